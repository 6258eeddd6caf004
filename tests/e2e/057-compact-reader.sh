#!/bin/sh
# 057-compact-reader: compacting while another process keeps the index
# open.  LMDB's lock file holds the last transaction id, and a reader
# takes the meta page of that id's parity; a process that keeps the
# index open (brief-search --serve here) keeps the lock file from being
# set up again from the compacted file, whose ids are its own.  So
# compaction deletes lock.mdb after moving the copy in, and gives both of
# the copy's meta pages its last commit (docs/FORMAT.md, "Compaction").
# Before, a new process could take the copy's empty meta page: "no index
# here", and the next run indexed every file again.
#
# After each --compact a new brief-search finds every document, --check
# passes, and the serving process still answers.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2

mkdir docs
copies 30 docs/c%02d.txt 'Copy %d of the briefing.'
BRIEF_TEST_BATCH_BYTES=60000 bi -q -d ix docs || echo "FAIL $TOPIC: indexing"

serving ix
echo '{"id":1,"method":"search","params":{"query":"zebras"}}' >&3
# Until it has answered: it has the index open.
tries=0
until grep -q '"id":1' served 2>/dev/null || [ $tries -ge 500 ]; do
    sleep 0.01
    tries=$((tries + 1))
done

found() {     # found WORD: the documents a new brief-search cites
    bs -d ix -n 1000 "$1" | cut -d: -f1 | sort -u | wc -l | tr -d ' '
}
# The last page each meta page of data.mdb names (MDB_meta's mm_last_pg,
# 120 bytes into the meta after the 16-byte page header; the page size
# is the free database's md_pad, 24 bytes into the meta).
metas() {
    _ps=$(od -An -tu4 -j40 -N4 ix/data.mdb | tr -d ' ')
    echo "$(od -An -tu8 -j136 -N8 ix/data.mdb | tr -d ' ')" \
         "$(od -An -tu8 -j$((_ps + 136)) -N8 ix/data.mdb | tr -d ' ')"
}

# Each round removes a document (a commit that adds no segment) and
# compacts (the copy of one segment), then adds one (a segment more)
# and compacts (the merge into the copy): the last id has either parity
# at some --compact.
for round in 1 2 3 4; do
    rm "docs/c0$round.txt"
    bi -q -d ix docs || echo "FAIL $TOPIC: removal $round"
    t "round $round: --compact of one segment beside a serving reader" \
        bi -d ix --compact <<EOF
EOF
    check "... a new search finds every document" \
        "$((30 - round)) $((round - 1))" "$(found briefing) $(found zebras)"
    printf 'Zebras, note %d.\n' "$round" >"docs/zebra$round.txt"
    bi -q -d ix docs || echo "FAIL $TOPIC: update $round"
    lock_before=$(inode ix/lock.mdb)
    t "... of two, merged into the copy" bi -d ix --compact <<EOF
EOF
    check '... both meta pages name its last commit' yes \
        "$(metas | awk '{ print ($1 == $2 && $1 > 2) ? "yes" : $0 }')"
    check '... a new lock.mdb' yes \
        "$(test "$(inode ix/lock.mdb)" != "$lock_before" && echo yes)"
    check "... a new search finds every document" \
        "$((30 - round)) $round" "$(found briefing) $(found zebras)"
    t '... --check' bi -q -d ix --check <<EOF
EOF
done

echo '{"id":2,"method":"search","params":{"query":"briefing","limit":1}}' >&3
exec 3>&-
wait "$server"
check 'the serving reader answered throughout (its own snapshot)' \
    '1 2' "$(grep -o '"type":"summary","id":[0-9]*' served |
             sed 's/.*://' | tr '\n' ' ' | sed 's/ $//')"

done_testing
