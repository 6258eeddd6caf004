#!/bin/sh
# 170-columns: every position carries three columns (brief.h, brief_match):
# column counts bytes (Vim), column_char code points (Emacs),
# column_utf16 UTF-16 code units (LSP, VS Code), each 1-based, and the
# end_ forms just past the end.  On text with accents (2-byte UTF-8), CJK
# (3 bytes, 1 UTF-16 unit) and characters outside the BMP (emoji and
# U+1D400, 4 bytes, 2 UTF-16 units), keyword hits, regex matches and
# figures, in --json and in --serve, are checked against columns that
# python3 computes on its own from the file's lines: len(s.encode()),
# len(s) and len(s.encode('utf-16-le')) // 2 of the text before the spot.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2

mkdir cols
# Line 3 starts with U+1F600 and has U+1D400 U+1D401; line 4 mixes all
# widths; lines 7-8 let a -U match cross a line break.
printf '%s\n' \
    'café résumé naïve zebra 20% growth' \
    '中文字符 zebra 生产总值 40 trillion yuan' \
    '😀 emoji 𝐀𝐁 zebra rose 12.5% and 3-5 million tons' \
    'ÅÉ𝐀中 zebra 😀😀 7% zebra' \
    '' \
    'zebra at the start, 𝐀 then' \
    '😀 zebra across' \
    'the line end' >cols/u.txt
bi -q cols

cat >"$T/cols.py" <<'EOF'
"""Columns computed by python alone, and positions read from JSON lines.

expect PATH REGEX...  every match of the (python) regexes in each line of
                      the file, in file order: L:C/c/u-L:C/c/u TEXT
                      (bytes/characters/UTF-16 units, start and end)
got                   the same listing from the JSON lines on stdin:
                      every match of every hit, and every figure
verify                every position on stdin (hit, each match, figure,
                      passage) against the bytes of its file: the text
                      at [byte_start, byte_end) and the three columns
                      of both ends; prints each disagreement, then a count
"""
import json
import re
import sys


def widths(s):
    return len(s.encode()), len(s), len(s.encode('utf-16-le')) // 2


def fmt(line, start, end_line, end, text):
    b, c, u = widths(start)
    eb, ec, eu = widths(end)
    return '%d:%d/%d/%d-%d:%d/%d/%d %s' % (line, b + 1, c + 1, u + 1,
                                           end_line, eb + 1, ec + 1, eu + 1,
                                           text.replace('\n', '\\n'))


def expect(path, patterns):
    text = open(path, encoding='utf-8').read()
    lines = text.split('\n')
    found = []
    for pat in patterns:
        for m in re.finditer(pat, text):
            ln = text.count('\n', 0, m.start()) + 1
            col = m.start() - (text.rfind('\n', 0, m.start()) + 1)
            eln = text.count('\n', 0, m.end()) + 1
            ecol = m.end() - (text.rfind('\n', 0, m.end()) + 1)
            found.append((m.start(), fmt(ln, lines[ln - 1][:col], eln,
                                         lines[eln - 1][:ecol],
                                         m.group(0))))
    for _, s in sorted(found):
        print(s)


def got():
    out = []
    for raw in sys.stdin:
        o = json.loads(raw)
        spans = o.get('matches', []) if o['type'] == 'hit' else \
            [o] if o['type'] == 'figure' else []
        for m in spans:
            out.append((m['byte_start'], '%d:%d/%d/%d-%d:%d/%d/%d %s' % (
                m['line'], m['column'], m['column_char'], m['column_utf16'],
                m['end_line'], m['end_column'], m['end_column_char'],
                m['end_column_utf16'], m['text'].replace('\n', '\\n'))))
    for _, s in sorted(set(out)):
        print(s)


def position(data, off):
    """line, and the three 1-based columns of byte offset off."""
    ls = data.rfind(b'\n', 0, off) + 1
    return (data.count(b'\n', 0, off) + 1,) + tuple(
        w + 1 for w in widths(data[ls:off].decode()))


def verify():
    n = 0
    files = {}
    for raw in sys.stdin:
        o = json.loads(raw)
        if o['type'] not in ('hit', 'figure'):
            continue
        data = files.setdefault(o['path'], open(o['path'], 'rb').read())
        spans = [('top', o)] + [('match', m) for m in o.get('matches', [])]
        for kind, m in spans:
            n += 1
            want = position(data, m['byte_start']) + \
                position(data, m['byte_end'])
            have = tuple(m[k] for k in (
                'line', 'column', 'column_char', 'column_utf16', 'end_line',
                'end_column', 'end_column_char', 'end_column_utf16'))
            where = '%s %s %s:%d' % (o['type'], kind, o['path'],
                                     m['byte_start'])
            if want != have:
                print('%s: columns %s, python says %s' % (where, have, want))
            if 'text' in m and kind != 'top' or o['type'] == 'figure':
                if data[m['byte_start']:m['byte_end']].decode() != m['text']:
                    print('%s: text %r is not the file\'s' % (where,
                                                                m['text']))
        ps = o['passage']
        if data[ps['byte_start']:ps['byte_end']].decode() != ps['text'] or \
                position(data, ps['byte_start'])[0] != ps['line_start']:
            print('%s passage %d: not the file\'s' % (o['type'],
                                                      ps['byte_start']))
        if o['type'] == 'hit' and o['matches'] and any(
                o[k] != o['matches'][0][k] for k in (
                    'line', 'column', 'column_char', 'column_utf16',
                    'byte_start', 'byte_end')):
            print('hit %d: not at its first match' % o['byte_start'])
    print('%d positions checked' % n)


if sys.argv[1] == 'expect':
    expect(sys.argv[2], sys.argv[3:])
elif sys.argv[1] == 'got':
    got()
else:
    verify()
EOF
py() { python3 "$T/cols.py" "$@"; }
got() { "$@" | py got; }
U=cols/u.txt

# The listing worked out by hand for "zebra" (bytes/characters/UTF-16):
# line 1's prefix "café résumé naïve " is 6+9+7 = 22 bytes and 5+7+6 = 18
# characters (18 units): 23/19/19.  Line 3's "😀 emoji 𝐀𝐁 " is
# 4+1+5+1+8+1 = 20 bytes, 1+1+5+1+2+1 = 11 characters and 2+1+5+1+4+1 =
# 14 units: 21/12/15.  Line 4's "ÅÉ𝐀中 " is 2+2+4+3+1 = 12 bytes, 5
# characters, 1+1+2+1+1 = 6 units: 13/6/7; its second zebra follows
# "zebra 😀😀 7% " (6+8+4 bytes, 6+2+3 characters, 6+4+3 units): 31/18/21.
t 'keyword zebra: byte/char/UTF-16 columns of every match (by hand)' \
    got bs --json -n 50 zebra <<'EOF'
1:23/19/19-1:28/24/24 zebra
2:14/6/6-2:19/11/11 zebra
3:21/12/15-3:26/17/20 zebra
4:13/6/7-4:18/11/12 zebra
4:31/18/21-4:36/23/26 zebra
6:1/1/1-6:6/6/6 zebra
7:6/3/4-7:11/8/9 zebra
EOF
check '... and as python computes them' "$(py expect $U zebra)" \
    "$(got bs --json -n 50 zebra)"
check 'keyword with accents: naïve résumé' "$(py expect $U 'naïve|résumé')" \
    "$(got bs --json 'naïve résumé')"
check 'keyword in CJK: 中文字符 (two bigrams)' "$(py expect $U '中文|字符')" \
    "$(got bs --json '中文字符')"

check 'regex -e zebra' "$(py expect $U zebra)" "$(got bs --json -e zebra)"
check 'regex over characters outside the BMP: [😀𝐀𝐁]+' \
    "$(py expect $U '[😀𝐀𝐁]+')" "$(got bs --json -e '[😀𝐀𝐁]+')"
check 'regex over CJK' "$(py expect $U '[\u4e00-\u9fff]+')" \
    "$(got bs --json -e '[\x{4e00}-\x{9fff}]+')"
check 'regex over accented letters: \w+é\w*' "$(py expect $U '\w+é\w*')" \
    "$(got bs --json -e '\w+é\w*')"
check 'regex -U across a line break (end on the next line)' \
    "$(py expect $U '😀 zebra across\nthe')" \
    "$(got bs --json -U -e '😀 zebra across\nthe')"
check 'regex --passage: the same matches' "$(py expect $U '𝐀')" \
    "$(got bs --json --passage -e '𝐀')"

# Figures: "20%" follows line 1's 22 bytes and "zebra " (28 bytes, 24
# characters); "40 trillion yuan" follows "中文字符 zebra 生产总值 " (32
# bytes, 16 characters); "7%" follows line 4's "ÅÉ𝐀中 zebra 😀😀 " (27
# bytes, 14 characters, 17 units).
t 'figures: the five figures' got bs --json --figures <<'EOF'
1:29/25/25-1:32/28/28 20%
2:33/17/17-2:49/33/33 40 trillion yuan
3:32/23/26-3:37/28/31 12.5%
3:42/33/36-3:53/44/47 3-5 million
4:28/15/18-4:30/17/20 7%
EOF
check '... placed where python finds them' \
    "$(py expect $U '20%' '40 trillion yuan' '12\.5%' '3-5 million' '7%')" \
    "$(got bs --json --figures)"

# The server prints the same objects.
cat >"$T/req" <<'EOF'
{"id":1,"method":"search","params":{"query":"zebra","limit":50}}
{"id":2,"method":"regex","params":{"pattern":"[😀𝐀𝐁]+"}}
{"id":3,"method":"regex","params":{"pattern":"\\p{Han}+"}}
{"id":4,"method":"figures","params":{"query":""}}
{"id":5,"method":"search","params":{"query":"naïve résumé"}}
EOF
serve_req() { bs --serve <"$T/req"; }
check '--serve: hits, regex matches and figures' \
    "$(py expect $U zebra '[😀𝐀𝐁]+' '[\u4e00-\u9fff]+' '20%' \
       '40 trillion yuan' '12\.5%' '3-5 million' '7%' 'naïve|résumé')" \
    "$(got serve_req)"

# Every position of every object, top-level ones and passages included,
# against the file's bytes.
all_json() {
    bs --json -n 50 zebra
    bs --json '中文字符'
    bs --json 'naïve résumé'
    bs --json -e zebra
    bs --json -e '[😀𝐀𝐁]+'
    bs --json -U -e '😀 zebra across\nthe'
    bs --json --passage -e '𝐀'
    bs --json --figures
    serve_req
}
t 'every position agrees with the file' eval 'all_json | py verify' <<'EOF'
82 positions checked
EOF

done_testing
