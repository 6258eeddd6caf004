#!/bin/sh
# 058-serve-compact: a process that keeps the index open (brief-search
# --serve, opened for writing) while another process compacts it.  The
# compacted copy is a new data.mdb moved over the old; the serving
# process opens it before its next request (docs/FORMAT.md, "Beside
# processes that keep the index open").  Before, it went on reading the
# old file, never seeing a later update, and an "index" request
# committed to that old file, which no other process would read again:
# the document was lost.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2

mkdir docs
copies 30 docs/c%02d.txt 'Copy %d of the briefing.'
BRIEF_TEST_BATCH_BYTES=60000 bi -q -d ix docs || echo "FAIL $TOPIC: indexing"

serving ix
# ask ID JSON: send a request and wait for the end of its reply.
ask() {
    printf '%s\n' "$2" >&3
    _tries=0
    until grep -q "\"type\":\"\(summary\|error\)\",\"id\":$1[,}]" served \
          2>/dev/null || [ $_tries -ge 1000 ]; do
        sleep 0.01
        _tries=$((_tries + 1))
    done
}
# hits ID: the paths the reply to request ID cites, sorted, one line.
hits() {
    grep "\"type\":\"hit\",\"id\":$1," served | jq -r .path | sort |
        tr '\n' ' ' | sed 's/ $//'
}
# found WORD: the paths a new brief-search process cites.
found() {
    bs -d ix -n 1000 "$1" | cut -d: -f1 | sort -u | tr '\n' ' ' |
        sed 's/ $//'
}

ask 1 '{"id":1,"method":"search","params":{"query":"okapi"}}'
check 'the server answers before the compaction' '' "$(hits 1)"

data_before=$(inode ix/data.mdb)
printf 'Okapis live in the forest.\n' >docs/okapi.txt
bi -q -d ix docs || echo "FAIL $TOPIC: update"
t 'another process compacts the index' bi -q -d ix --compact <<EOF
EOF
check '... into a new data.mdb' yes \
    "$(test "$(inode ix/data.mdb)" != "$data_before" && echo yes)"
# A commit the old file never gets.
printf 'The okapi is a giraffid.\n' >docs/okapi2.txt
bi -q -d ix docs || echo "FAIL $TOPIC: update after compaction"

ask 2 '{"id":2,"method":"search","params":{"query":"okapi"}}'
check 'the server reads the new file: a commit made after the compaction' \
    'docs/okapi.txt docs/okapi2.txt' "$(hits 2)"

ask 3 '{"id":3,"method":"index","params":{"name":"notes/gnu.txt","text":"A gnu is an antelope.\n"}}'
check 'the server indexes a buffer' \
    '{"type":"indexed","id":3,"path":"notes/gnu.txt","status":"added"}' \
    "$(grep '"id":3,' served | grep -v summary)"
check '... into the new file: another process finds it' 'notes/gnu.txt' \
    "$(found antelope)"
check '... and every document before it' \
    'docs/okapi.txt docs/okapi2.txt 30' \
    "$(found okapi) $(found briefing | wc -w | tr -d ' ')"

ask 4 '{"id":4,"method":"stats"}'
check 'stats count the documents of the new file' 33 \
    "$(grep '"type":"stats","id":4,' served | jq .documents)"

# And again: a second compaction, now of the file the server reopened.
t 'a second compaction' bi -q -d ix --compact <<EOF
EOF
printf 'An eland is an antelope too.\n' >docs/eland.txt
bi -q -d ix docs || echo "FAIL $TOPIC: update after the second compaction"
ask 5 '{"id":5,"method":"search","params":{"query":"antelope"}}'
check 'the server follows a second compaction' \
    'docs/eland.txt notes/gnu.txt' "$(hits 5)"

exec 3>&-
wait "$server"
check 'no error replies, nothing on stderr' '' \
    "$(grep -v '"type":"\(hit\|summary\|indexed\|stats\)"' served)"
t 'the index passes --check' bi -q -d ix --check <<EOF
EOF

done_testing
