#!/bin/sh
# 050-incremental: re-running brief-index reads only what changed, drops
# what is gone, says so in "added N, updated N, removed N, unchanged N",
# and keeps the index consistent; searches see the new text only.
. "$(dirname "$0")/lib.sh"
index_corpus
printf 'The quick brown fox.\n\nIt jumps over the lazy dog.\n' >corpus/fox.txt
printf 'Lorem ipsum dolor sit amet.\n' >corpus/lorem.txt

t 'two files added beside the briefing' bi corpus <<EOF
added 2, updated 0, removed 0, unchanged 1
EOF
t '--check' bi --check <<EOF
.brief: index is consistent
EOF
t 'the new text is found (4 words rank before 5)' cites fox OR lorem <<EOF
corpus/fox.txt:1:17
corpus/lorem.txt:1:1
EOF

# Edit one file, add one, delete one, in a single re-run.
printf 'The slow red fox.\n' >corpus/fox.txt
printf 'A new file about zebras.\n' >corpus/zebra.txt
rm corpus/lorem.txt
t 'edited, added and deleted at once' bi corpus <<EOF
added 1, updated 1, removed 1, unchanged 1
EOF
t '--check after the re-run' bi --check <<EOF
.brief: index is consistent
EOF
t 'the edited text is found' cites slow fox <<EOF
corpus/fox.txt:1:5
EOF
t 'the old text is not' cites quick <<EOF
exit 1
EOF
t 'nor the old passage: lazy' cites lazy <<EOF
exit 1
EOF
t 'the deleted file is not' cites lorem <<EOF
exit 1
EOF
t 'the added file is' cites zebra <<EOF
corpus/zebra.txt:1:18
EOF
t 'the briefing is untouched' cites 5G base stations <<EOF
$F:17:128
EOF

# Touching a file without changing it costs nothing.
touch corpus/fox.txt
t 'a new mtime, the same content: unchanged' bi corpus <<EOF
added 0, updated 0, removed 0, unchanged 3
EOF
t '--check after the touch' bi --check <<EOF
.brief: index is consistent
EOF

# Other content of the same size, the mtime set back to what it was:
# the content hash tells.
touch -r corpus/fox.txt "$T/stamp"
printf 'The slow red cat.\n' >corpus/fox.txt
touch -r "$T/stamp" corpus/fox.txt
t 'same size, same mtime, other content: updated' bi corpus <<EOF
added 0, updated 1, removed 0, unchanged 2
EOF
t '... the new word is found' cites cat <<EOF
corpus/fox.txt:1:14
EOF
t '--check after the same-size edit' bi --check <<EOF
.brief: index is consistent
EOF

# Re-indexing one file of a tree leaves the rest of the tree alone.
printf 'The slow red dog.\n' >corpus/fox.txt
t 'a single file as PATH: only it is looked at' bi corpus/fox.txt <<EOF
added 0, updated 1, removed 0, unchanged 0
EOF
t '... and the other documents stay' cites zebra <<EOF
corpus/zebra.txt:1:18
EOF
t '--check after indexing one file' bi --check <<EOF
.brief: index is consistent
EOF

# --remove drops documents without touching the files.
t '--remove FILE' bi --remove corpus/zebra.txt <<EOF
added 0, updated 0, removed 1, unchanged 0
EOF
t '--check after --remove' bi --check <<EOF
.brief: index is consistent
EOF
t 'the removed document is not found' cites zebra <<EOF
exit 1
EOF
check '... though the file is still there' yes "$([ -f corpus/zebra.txt ] && echo yes)"
t '--remove --quiet' bi --quiet --remove corpus/fox.txt <<EOF
EOF
t 'fox is gone' cites fox <<EOF
exit 1
EOF
t 'a re-run adds them back' bi corpus <<EOF
added 2, updated 0, removed 0, unchanged 1
EOF
t '--check after adding them back' bi --check <<EOF
.brief: index is consistent
EOF
t '--remove DIR drops every document under it' bi --remove corpus <<EOF
added 0, updated 0, removed 3, unchanged 0
EOF
t '--check on the empty index' bi --check <<EOF
.brief: index is consistent
EOF
t 'nothing is found any more' cites 5G <<EOF
exit 1
EOF

# A root emptied of its files: their documents go on the next run.
mkdir extra
printf 'An extra note on gigabit.\n' >extra/n.txt
t 'two roots' bi -q corpus extra <<EOF
EOF
rm -r extra
mkdir extra
t 'an emptied root: its document is removed' bi corpus extra <<EOF
added 0, updated 0, removed 1, unchanged 3
EOF
t '--check at the end' bi --check <<EOF
.brief: index is consistent
EOF
t 'gigabit: only the briefing' cites gigabit <<EOF
$F:17:195
EOF

done_testing
