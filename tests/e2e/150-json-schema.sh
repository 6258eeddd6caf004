#!/bin/sh
# 150-json-schema: every line that brief-search --json and --serve print
# is checked against the JSON Schema of its "type" (tests/schema/*.json,
# the contract of docs/JSON.md and docs/PROTOCOL.md) by a real validator,
# Debian's python3-jsonschema (`make deps` installs it).  The queries
# cover keywords, -e regexes and --figures on corpus/, on files with odd
# names (control characters, quotes, non-UTF-8 bytes) and odd contents,
# and a --serve session with every method and bad requests.  Besides the
# schema, the checker holds the framing: valid UTF-8, one object a line,
# "id" on every server line and never on the CLI's, each reply ended by a
# summary (whose hits count the lines before it) or an error.  One
# "ok" per group; a failure prints the offending line and the message.
. "$(dirname "$0")/lib.sh"
index_corpus

# Debian's python3 (the package installs into /usr/lib/python3); another
# python3 on PATH may do when it has jsonschema too.
PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import jsonschema' 2>/dev/null; then
        PY=$p
        break
    fi
done
if [ -z "$PY" ]; then
    echo "FAIL $TOPIC: no python3 with jsonschema (make deps installs python3-jsonschema)"
    exit 1
fi

cat >"$T/validate.py" <<'EOF'
"""validate SCHEMA_DIR cli OUTPUT
validate SCHEMA_DIR serve OUTPUT REQUESTS

Checks every line of OUTPUT against the schema of its "type" and prints
"N hit, N summary, ..." (the kinds seen), or for each bad line the line
and what is wrong with it.  cli: hit, figure and summary objects without
"id", the summary last with hits = the objects before it.  serve: every
kind, each with the "id" of its request, one reply per request line in
order, each ended by a summary (hits = the objects of the reply) or an
error (after nothing, or after hits or figures when a search failed
midway).
"""
import base64
import collections
import json
import os
import sys

from jsonschema import Draft202012Validator

KINDS = ('hit', 'figure', 'summary', 'error', 'indexed', 'stats')
schema_dir, mode, output = sys.argv[1:4]
validators = {}
for kind in KINDS:
    with open(os.path.join(schema_dir, kind + '.json')) as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validators[kind] = Draft202012Validator(schema)
allowed = KINDS if mode == 'serve' else ('hit', 'figure', 'summary')
counts = collections.Counter()
bad = 0


def fail(n, line, why):
    global bad
    bad += 1
    print('line %d: %s' % (n, line.rstrip('\n')))
    print('    %s' % why)


objects = []
with open(output, 'rb') as f:
    for n, raw in enumerate(f, 1):
        try:
            line = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            fail(n, repr(raw), 'not UTF-8: %s' % e)
            continue
        if not line.endswith('\n') or '\n' in line[:-1]:
            fail(n, line, 'not one line ended by a newline')
        try:
            obj = json.loads(line)
        except ValueError as e:
            fail(n, line, 'not JSON: %s' % e)
            continue
        if not isinstance(obj, dict) or obj.get('type') not in allowed:
            fail(n, line, 'not an object with a "type" among %s'
                 % ', '.join(allowed))
            continue
        for e in sorted(validators[obj['type']].iter_errors(obj),
                        key=lambda e: list(e.absolute_path)):
            where = '/'.join(str(p) for p in e.absolute_path) or '(object)'
            fail(n, line, '%s: %s' % (where, e.message))
        if mode == 'cli' and 'id' in obj:
            fail(n, line, 'the CLI prints no "id"')
        if mode == 'serve' and 'id' not in obj:
            fail(n, line, 'a server line without "id"')
        if 'path_b64' in obj:
            name = base64.b64decode(obj['path_b64'], validate=True)
            try:
                name.decode('utf-8')
                fail(n, line, 'path_b64 for a name that is UTF-8')
            except UnicodeDecodeError:
                pass
        elif '\ufffd' in obj.get('path', ''):
            fail(n, line, 'U+FFFD in the path but no path_b64')
        counts[obj['type']] += 1
        objects.append((n, line, obj))


def check_reply(lines, want_id):
    """lines: (n, line, obj) of one reply; want_id: a value or None."""
    for n, line, obj in lines:
        if mode == 'serve' and obj.get('id') != want_id:
            fail(n, line, 'id %s, the request had %s'
                 % (json.dumps(obj.get('id')), json.dumps(want_id)))
    n, line, last = lines[-1]
    if last['type'] == 'summary':
        if last['hits'] != len(lines) - 1:
            fail(n, line, 'hits %d, but %d objects came before'
                 % (last['hits'], len(lines) - 1))
    elif last['type'] != 'error':
        fail(n, line, 'a reply must end with a summary or an error')
    elif any(o['type'] not in ('hit', 'figure') for _, _, o in lines[:-1]):
        fail(n, line, 'only hits or figures may come before an error')
    for n, line, obj in lines[:-1]:
        if obj['type'] in ('summary', 'error'):
            fail(n, line, 'a reply has one summary or error, at its end')


def replies():
    cur = []
    for item in objects:
        cur.append(item)
        if item[2]['type'] in ('summary', 'error'):
            yield cur
            cur = []
    if cur:
        fail(cur[-1][0], cur[-1][1], 'the output ends inside a reply')


if mode == 'cli':
    for reply in replies():
        check_reply(reply, None)
else:
    ids = []
    with open(sys.argv[4], 'rb') as f:
        for raw in f:
            text = raw.decode('utf-8', 'replace').rstrip('\r\n')
            if not text:
                continue            # empty lines get no reply
            try:
                req = json.loads(text)
                ids.append(req.get('id') if isinstance(req, dict) else None)
            except ValueError:
                ids.append(None)
    got = list(replies())
    if len(got) != len(ids):
        print('%d replies to %d requests' % (len(got), len(ids)))
        bad += 1
    for reply, want in zip(got, ids):
        check_reply(reply, want)

if not bad:
    print(', '.join('%d %s' % (counts[k], k) for k in KINDS if counts[k]) or
          'no output')
sys.exit(1 if bad else 0)
EOF

# valid WHAT EXPECTED-COUNTS cli CMD...   run CMD, validate its stdout
cli_out=$T/cli.jsonl
valid_cli() {
    "$PY" "$T/validate.py" "$ROOT/tests/schema" cli "$cli_out"
}
# q ARGS...: one brief-search --json run, its output added to $cli_out
q() { bs --json "$@" >>"$cli_out"; }

# ---- corpus: keywords --------------------------------------------------
: >"$cli_out"
q 5G base stations
q -n 50 country
q -n 1 gigabit
q 'GDP OR yuan'
q 'industrialization NOT new'
q -- '-yuan GDP'
q '"base stations"'
q 'indust*'
q 'GDP NEAR/5 yuan'
q 'country NEAR high-tech'
q '(5G OR gigabit) connectivity'
q 'path:corpus/*.txt manufacturing'
q 'fig:yuan'
q 'fig:>1e5'
q 'fig:20..40%'
q 're:/[0-9.]+ trillion/'
q 're:/CHINA/i news'
q -n 100 '5g OR industrializ* OR "artificial intelligence" OR country OR yuan OR high-tech OR 465,000'
q zyzzyva
q -n 3 the
t 'corpus, keyword queries: every line matches its schema' valid_cli <<'EOF'
75 hit, 18 summary
EOF

# ---- corpus: regexes ---------------------------------------------------
: >"$cli_out"
q -e trillion
q -e '[0-9.]+ trillion' GDP
q -e '\w+'
q -n 7 -e '\w+'
q -i -e 'CHINA'
q -w -e 'industr\w*'
q -e 5G -e Gigabit
q --passage -e 'enterprises'
q -U -e 'access\.\s+\S+'
q --full-scan -e 'high-tech'
q -e 'zzz+yzzyva'
q -e '^  '
t 'corpus, regexes (-e, -i, -w, -U, --passage): every line valid' \
    valid_cli <<'EOF'
94 hit, 11 summary
EOF

# ---- corpus: figures ---------------------------------------------------
: >"$cli_out"
q --figures
q --figures --unit yuan --min '1 trillion'
q --figures --min 30% GDP
q --figures --sort value --unit percent
q --figures --unit count --min 465,000 --max '3.38 million'
q --figures -n 2 enterprises
q --figures -e 'million' -i
q --figures --unit USD
t 'corpus, --figures: every line valid' valid_cli <<'EOF'
43 figure, 7 summary
EOF

# ---- odd file names and odd contents -----------------------------------
# Control characters, quotes and backslashes in names; names that are
# not UTF-8 (Latin-1, invalid bytes, an overlong form, a lone
# continuation byte, a cut 4-byte sequence) get path_b64.  The texts hold
# control characters, a CR, quotes, backslashes, DEL, U+2028, emoji.
mkdir odd
for name in 'plain.txt' 'with space.txt' 'tab\there.txt' 'new\nline.txt' \
    'quote\042s.txt' 'back\134slash.txt' 'ctl\001\002.txt' 'del\177.txt' \
    'esc\033[31m.txt' 'émoji😀.txt' '中文.txt' 'caf\351.txt' \
    'bad\377\376.txt' 'overlong\300\257.txt' 'lone\200.txt' \
    'cut\360\237\230.txt'; do
    printf 'A zebra herd of 12%% grew by about 3 million zebras in 2023.\n\nSecond: zebra "quoted" \\ back \001ctl \033[1mesc\033[0m\r\ndel\177 sep\342\200\250 😀 zebra 𝐀.\n' \
        >"$(printf "odd/$name")"
done
t 'the odd names are all indexed, without a warning' bi -q -d odd.ix odd <<'EOF'
EOF
t '... all sixteen found' eval 'bs -d odd.ix --json -n 100 herd |
    grep -c "\"type\":\"hit\""' <<'EOF'
16
EOF
: >"$cli_out"
q -d odd.ix -n 100 zebra
q -d odd.ix -n 100 'herd OR quoted'
q -d odd.ix -n 100 '"zebra herd"'
q -d odd.ix 'path:odd/caf* zebra'
q -d odd.ix -e zebra
q -d odd.ix -e '[[:cntrl:]]+'
q -d odd.ix -e '"[^"]*"' -e '\\'
q -d odd.ix -U -e 'zebras in 2023\.\n\nSecond'
q -d odd.ix --passage -e '😀'
q -d odd.ix --figures
q -d odd.ix --figures --unit percent zebra
t 'odd names and contents, --json: every line valid (path_b64 too)' \
    valid_cli <<'EOF'
226 hit, 64 figure, 11 summary
EOF
b64_names() {
    bs -d odd.ix --json -n 100 herd | jq -r 'select(.path_b64) | .path_b64' |
        sort
}
# odd/overlong\300\257.txt, odd/bad\377\376.txt, odd/cut\360\237\230.txt,
# odd/caf\351.txt, odd/lone\200.txt
t '... path_b64 on the five names that are not UTF-8, exactly' b64_names <<'EOF'
b2RkL292ZXJsb25nwK8udHh0
b2RkL2JhZP/+LnR4dA==
b2RkL2N1dPCfmC50eHQ=
b2RkL2NhZukudHh0
b2RkL2xvbmWALnR4dA==
EOF

# --explain goes to stderr with --json: stdout stays JSON Lines.
: >"$cli_out"
bs --json --explain 'industrializ* (GDP OR "base stations") -yuan' \
    >>"$cli_out" 2>"$T/explain"
bs --json --explain -e trillion >>"$cli_out" 2>>"$T/explain"
bs --json --explain --figures --unit yuan >>"$cli_out" 2>>"$T/explain"
t '--explain with --json: stdout valid' valid_cli <<'EOF'
1 hit, 2 figure, 2 summary
EOF
check '... the explanation went to stderr' 3 \
    "$(grep -c '^query: \|^trigrams: \|^figures: ' "$T/explain")"

# ---- --serve -----------------------------------------------------------
valid_serve() {
    bs --serve <"$1" >"$T/serve.jsonl"
    "$PY" "$T/validate.py" "$ROOT/tests/schema" serve "$T/serve.jsonl" "$1"
}
cat >"$T/req" <<'EOF'
{"id":1,"method":"search","params":{"query":"5G base stations"}}
{"id":2,"method":"search","params":{"query":"country","limit":50}}
{"id":3,"method":"search","params":{"query":"zyzzyva"}}
{"id":4,"method":"regex","params":{"pattern":"[0-9.]+ trillion"}}
{"id":5,"method":"regex","params":{"pattern":"\\w+"}}
{"id":6,"method":"regex","params":{"pattern":"CHINA","caseless":true,"query":"news","limit":2}}
{"id":7,"method":"figures","params":{"query":""}}
{"id":8,"method":"figures","params":{"query":"GDP","min":"30%"}}
{"id":9,"method":"figures","params":{"query":"","unit":"count","min":465000,"max":"3.38 million","limit":1}}
{"id":"s","method":"stats"}
{"id":"i1","method":"index","params":{"name":"notes/a \"draft\"\t.txt","text":"An unsaved zebra, 40% done.\n"}}
{"id":"i2","method":"search","params":{"query":"zebra"}}
{"id":"i3","method":"figures","params":{"query":"zebra"}}
{"id":"i4","method":"index","params":{"path":"corpus"}}
{"id":"i5","method":"remove","params":{"path":"notes/a \"draft\"\t.txt"}}
{"id":null,"method":"stats","params":{}}
{"method":"search","params":{"query":"gigabit"}}
{"id":[1,"two",{"3":null}],"method":"search","params":{"query":"gigabit"}}
EOF
t '--serve, every method: every line valid, replies in order' \
    valid_serve "$T/req" <<'EOF'
22 hit, 34 figure, 18 summary, 3 indexed, 2 stats
EOF

cat >"$T/req" <<'EOF'
not json
{"id":1}
[1,2]
"just a string"
{"id":2,"method":"fly"}
{"id":3,"method":7}
{"id":4,"method":"search"}
{"id":5,"method":"search","params":{"query":5}}
{"id":6,"method":"search","params":{"query":"x","limit":0}}
{"id":7,"method":"search","params":{"query":"x","limit":"10"}}
{"id":8,"method":"search","params":[]}
{"id":9,"method":"search","params":{"query":"(a"}}
{"id":10,"method":"regex","params":{}}
{"id":11,"method":"regex","params":{"pattern":"a(b"}}
{"id":12,"method":"regex","params":{"pattern":"a","caseless":"no"}}
{"id":13,"method":"figures","params":{"unit":"yuan"}}
{"id":14,"method":"figures","params":{"query":"","min":"lots"}}
{"id":15,"method":"figures","params":{"query":"","min":false}}
{"id":16,"method":"figures","params":{"query":"","unit":"furlongs"}}
{"id":17,"method":"index","params":{}}
{"id":18,"method":"index","params":{"name":"x.txt"}}
{"id":19,"method":"index","params":{"path":"odd.ix/data.mdb"}}
{"id":20,"method":"remove","params":{"name":"x.txt"}}
{"id":21,"method":"remove","params":{"path":3}}
{"id":"\u0001\"\\","method":"nope"}
{"id":23,"method":"stats"}
EOF
t '--serve, bad requests: every line valid, one error each' \
    valid_serve "$T/req" <<'EOF'
1 summary, 25 error, 1 stats
EOF

# "\u0000" is valid JSON; the reply must still carry the request's id
# (once broken: "not JSON", with id null).
printf '%s\n' '{"id":22,"method":"index","params":{"name":"x.txt","text":"a\u0000b"}}' \
    >"$T/req"
t '--serve, a text holding \u0000: the error carries the id' \
    valid_serve "$T/req" <<'EOF'
1 error
EOF

cat >"$T/req" <<'EOF'
{"id":"odd1","method":"search","params":{"query":"zebra","limit":100}}
{"id":"odd2","method":"regex","params":{"pattern":"[[:cntrl:]]+","limit":1000}}
{"id":"odd3","method":"figures","params":{"query":"herd"}}
{"id":"odd4","method":"index","params":{"path":"odd/with space.txt"}}
{"id":"odd5","method":"stats"}
EOF
serve_odd() {
    bs -d odd.ix --serve <"$1" >"$T/serve.jsonl"
    "$PY" "$T/validate.py" "$ROOT/tests/schema" serve "$T/serve.jsonl" "$1"
}
t '--serve over the odd names: every line valid' serve_odd "$T/req" <<'EOF'
80 hit, 48 figure, 5 summary, 1 indexed, 1 stats
EOF

# The checker itself: it must reject what breaks the schema.
printf '%s\n' \
    '{"type":"summary","hits":0,"matched":0,"elapsed_us":0,"extra":1}' \
    '{"type":"hit","path":"a","line":1,"column":1,"column_char":1,"column_utf16":1,"end_line":1,"end_column":2,"end_column_char":2,"end_column_utf16":2,"byte_start":0,"byte_end":1,"score":0,"stale":"no","passage":{"line_start":1,"line_end":1,"byte_start":0,"byte_end":1,"text":"1"}}' \
    '{"type":"figure","path":"a","line":1,"column":1,"column_char":1,"column_utf16":1,"end_line":1,"end_column":2,"end_column_char":2,"end_column_utf16":2,"byte_start":0,"byte_end":1,"value":"1","unit":"count","qualifier":"maybe","subject":null,"text":"1","stale":false,"passage":{"line_start":1,"line_end":1,"byte_start":0,"byte_end":1,"text":"1"}}' \
    '{"type":"summary","id":1,"hits":-1,"matched":0,"elapsed_us":0}' \
    'not json' >"$cli_out"
t 'the checker rejects bad objects (and says why)' valid_cli <<'EOF'
line 1: {"type":"summary","hits":0,"matched":0,"elapsed_us":0,"extra":1}
    (object): Additional properties are not allowed ('extra' was unexpected)
line 2: {"type":"hit","path":"a","line":1,"column":1,"column_char":1,"column_utf16":1,"end_line":1,"end_column":2,"end_column_char":2,"end_column_utf16":2,"byte_start":0,"byte_end":1,"score":0,"stale":"no","passage":{"line_start":1,"line_end":1,"byte_start":0,"byte_end":1,"text":"1"}}
    (object): 'matches' is a required property
line 2: {"type":"hit","path":"a","line":1,"column":1,"column_char":1,"column_utf16":1,"end_line":1,"end_column":2,"end_column_char":2,"end_column_utf16":2,"byte_start":0,"byte_end":1,"score":0,"stale":"no","passage":{"line_start":1,"line_end":1,"byte_start":0,"byte_end":1,"text":"1"}}
    stale: 'no' is not of type 'boolean'
line 3: {"type":"figure","path":"a","line":1,"column":1,"column_char":1,"column_utf16":1,"end_line":1,"end_column":2,"end_column_char":2,"end_column_utf16":2,"byte_start":0,"byte_end":1,"value":"1","unit":"count","qualifier":"maybe","subject":null,"text":"1","stale":false,"passage":{"line_start":1,"line_end":1,"byte_start":0,"byte_end":1,"text":"1"}}
    qualifier: 'maybe' is not one of ['about', 'over', 'under', 'at_least', 'at_most', None]
line 3: {"type":"figure","path":"a","line":1,"column":1,"column_char":1,"column_utf16":1,"end_line":1,"end_column":2,"end_column_char":2,"end_column_utf16":2,"byte_start":0,"byte_end":1,"value":"1","unit":"count","qualifier":"maybe","subject":null,"text":"1","stale":false,"passage":{"line_start":1,"line_end":1,"byte_start":0,"byte_end":1,"text":"1"}}
    value: '1' is not of type 'number'
line 4: {"type":"summary","id":1,"hits":-1,"matched":0,"elapsed_us":0}
    hits: -1 is less than the minimum of 0
line 4: {"type":"summary","id":1,"hits":-1,"matched":0,"elapsed_us":0}
    the CLI prints no "id"
line 5: not json
    not JSON: Expecting value: line 1 column 1 (char 0)
line 4: {"type":"summary","id":1,"hits":-1,"matched":0,"elapsed_us":0}
    hits -1, but 2 objects came before
exit 1
EOF

done_testing
