#!/bin/sh
# 055-compact: a run that fills an empty index ends by rewriting it
# without free pages, each database in consecutive pages (docs/FORMAT.md,
# "How the index changes"); later runs write in place and leave free
# pages, which brief-index --compact removes on demand.
. "$(dirname "$0")/lib.sh"

# lmdb-poke counts the pages on LMDB's free list (420-hostile/lmdb-poke.c).
need_poke
free_pages() { "$POKE" .brief free; }

cp -R "$ROOT/corpus" "$T/corpus" && cd "$T" || exit 2
for i in 1 2 3; do
    sed "s/China/Cathay $i/" "$F" >"corpus/copy-$i.txt"
done

t 'a build from scratch' bi corpus <<EOF
added 4, updated 0, removed 0, unchanged 0
EOF
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
added 0, updated 1, removed 0, unchanged 3
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
added 0, updated 0, removed 4, unchanged 0
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
