#!/bin/sh
# 055-compact: a run that fills an empty index ends by rewriting it
# without free pages, each database in consecutive pages (docs/FORMAT.md,
# "How the index changes"), unless its file is under 2 MiB, or has few
# free pages (one batch): that one is rewritten in place, so that the
# page cache holds it in 2 MiB folios as it holds a copy; later runs
# write in place and leave free pages, which brief-index --compact
# removes on demand.
. "$(dirname "$0")/lib.sh"

# lmdb-poke counts the pages on LMDB's free list (420-hostile/lmdb-poke.c).
need_poke
free_pages() { "$POKE" "${1:-.brief}" free; }
data_bytes() { wc -c <"${1:-.brief}/data.mdb" | tr -d ' '; }
# pmd-mapped FILE: the KiB of FILE's page cache that a map of it takes in
# 2 MiB folios (055-compact/pmd-mapped.c).
PMD=$T/pmd-mapped
${CC:-cc} -std=c11 -O1 -o "$PMD" "$E/pmd-mapped.c" 2>"$T/pmd.err" ||
    echo "FAIL $TOPIC: cannot build pmd-mapped: $(cat "$T/pmd.err")"
# Whether this kernel and file system keep a file written 2 MiB at a time
# in 2 MiB folios (a file written by dd is the reference): if not, the
# check of the folios is skipped.
huge_folios() {
    dd if=/dev/zero of="$T/ref" bs=2M count=2 2>/dev/null &&
        test "$("$PMD" "$T/ref")" -ge 2048
}

cp -R "$ROOT/corpus" "$T/corpus" && cd "$T" || exit 2
for i in 1 2 3; do
    sed "s/China/Cathay $i/" "$F" >"corpus/copy-$i.txt"
done

# A small index (four documents, some 150 KB) is left as its run wrote
# it: the pages its first transactions replaced stay free.
t 'a small build from scratch' bi -d small corpus <<EOF
added 4, updated 0, removed 0, unchanged 0
EOF
check '... is under 2 MiB' yes \
    "$(test "$(data_bytes small)" -lt 2097152 && echo yes || data_bytes small)"
check '... and keeps the few pages its first transactions freed' yes \
    "$(n=$(free_pages small); test "$n" -gt 0 && test "$n" -le 8 &&
       echo yes || echo "$n")"
t '... which --check accepts' bi -d small --check <<EOF
small: index is consistent
EOF
t '... and answers' cites -d small '"Cathay 2"' <<EOF
corpus/copy-2.txt:1:1
corpus/copy-2.txt:27:287
EOF

# 200 more documents (1.5 MB of text) make an index of 2 MiB and more.
# Indexed in batches of 64 KiB of text, they are merged into one segment
# at the end, which leaves the batches' segments free: the file is
# copied without them.
copies 200 corpus/more%04d.txt 'Copy %d of the briefing.'
t 'a build from scratch in batches' \
    env BRIEF_TEST_BATCH_BYTES=65536 $RUN "$BIN/brief-index" -d batched \
    corpus <<EOF
added 204, updated 0, removed 0, unchanged 0
EOF
check '... of 2 MiB and more' yes \
    "$(test "$(data_bytes batched)" -ge 2097152 && echo yes ||
       data_bytes batched)"
t '... ends with no free pages' free_pages batched <<EOF
0
EOF
if huge_folios; then
    check '... its page cache in 2 MiB folios' yes \
        "$(n=$("$PMD" batched/data.mdb); test "$n" -ge 2048 && echo yes ||
           echo "$n KiB")"
fi
t '... and no copy left beside data.mdb' ls batched <<EOF
data.mdb
lock.mdb
write.lock
EOF
t '... and answers from the copy' cites -d batched '"Cathay 2"' <<EOF
corpus/copy-2.txt:1:1
corpus/copy-2.txt:27:287
EOF
t '--check' bi -d batched --check <<EOF
batched: index is consistent
EOF

# In one batch they leave only the few pages the first transactions
# freed: the file is rewritten in place, the same bytes 2 MiB at a time,
# and its page cache is then in 2 MiB folios, as a copy's is.
t 'a build from scratch in one batch' bi corpus <<EOF
added 204, updated 0, removed 0, unchanged 0
EOF
if huge_folios; then
    check '... its page cache in 2 MiB folios' yes \
        "$(n=$("$PMD" .brief/data.mdb); test "$n" -ge 2048 && echo yes ||
           echo "$n KiB")"
else
    echo "SKIP $TOPIC: this kernel keeps no file in 2 MiB folios"
fi
check '... of 2 MiB and more' yes \
    "$(test "$(data_bytes)" -ge 2097152 && echo yes || data_bytes)"
check '... keeps its few free pages' yes \
    "$(n=$(free_pages); test "$n" -gt 0 && test "$n" -le 8 &&
       echo yes || echo "$n")"
t '... and no copy left beside data.mdb' ls .brief <<EOF
data.mdb
lock.mdb
write.lock
EOF
t '... and answers from the rewritten file' cites '"Cathay 2"' <<EOF
corpus/copy-2.txt:1:1
corpus/copy-2.txt:27:287
EOF
t '--check' bi --check <<EOF
.brief: index is consistent
EOF

# The merge of the batches' segments copies a list's full chunks as they
# are and joins the rest (lib/segment.c, merge_db()): the two indexes
# answer alike, common words (lists of many chunks a segment) included.
for q in the development '"economic development"' 'growth AND china' \
    'develop*' 'cathay NEAR/3 china'; do
    check "in batches or in one, the same answer to $q" \
        "$(bs -n 1000 "$q" 2>&1 | md5sum)" \
        "$(bs -d batched -n 1000 "$q" 2>&1 | md5sum)"
done
check '... (and the answers are long)' 1 \
    "$(bs -n 1000 the | wc -l | awk '{ print ($1 > 150) }')"

# A later run writes in place: the pages it replaced are free.
printf 'A note on zebras.\n' >>corpus/copy-1.txt
t 'an update' bi corpus <<EOF
added 0, updated 1, removed 0, unchanged 203
EOF
check '... leaves free pages' yes \
    "$(test "$(free_pages)" -gt 0 && echo yes || free_pages)"
t 'brief-index --compact' bi --compact <<EOF
EOF
t '... leaves none' free_pages <<EOF
0
EOF
t '... and the update is found' cites zebras <<EOF
corpus/copy-1.txt:65:17
EOF

# A merge into the copy commits a piece every 4 MiB of its output (here,
# every 16 KiB), and the pages the last pieces copied on write stay free
# in it: --compact then copies the copy once more.
printf 'A note on okapis.\n' >>corpus/copy-2.txt
t 'another update' bi corpus <<EOF
added 0, updated 1, removed 0, unchanged 203
EOF
t 'brief-index --compact, merging in pieces' \
    env BRIEF_TEST_PIECE_BYTES=16384 $RUN "$BIN/brief-index" --compact <<EOF
EOF
t '... leaves no free page either' free_pages <<EOF
0
EOF
t '... and both updates are found' cites 'zebras OR okapis' <<EOF
corpus/copy-1.txt:65:17
corpus/copy-2.txt:65:17
EOF

# An index emptied by --remove is filled from scratch again.
t 'every document removed' bi --remove corpus <<EOF
added 0, updated 0, removed 204, unchanged 0
EOF
t 'the next run that fills it' bi -q corpus <<EOF
EOF
t '... compacts it too' free_pages <<EOF
0
EOF
t '--check at the end' bi --check <<EOF
.brief: index is consistent
EOF

done_testing
