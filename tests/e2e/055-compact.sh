#!/bin/sh
# 055-compact: a run that fills an empty index ends by rewriting it
# without free pages, each database in consecutive pages (docs/FORMAT.md,
# "How the index changes"), unless its file is under 2 MiB; later runs
# write in place and leave free pages, which brief-index --compact
# removes on demand.
. "$(dirname "$0")/lib.sh"

# lmdb-poke counts the pages on LMDB's free list (420-hostile/lmdb-poke.c).
need_poke
free_pages() { "$POKE" "${1:-.brief}" free; }
data_bytes() { wc -c <"${1:-.brief}/data.mdb" | tr -d ' '; }

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
copies 200 corpus/more%04d.txt 'Copy %d of the briefing.'
t 'a build from scratch' bi corpus <<EOF
added 204, updated 0, removed 0, unchanged 0
EOF
check '... of 2 MiB and more' yes \
    "$(test "$(data_bytes)" -ge 2097152 && echo yes || data_bytes)"
t '... ends with no free pages' free_pages <<EOF
0
EOF
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
