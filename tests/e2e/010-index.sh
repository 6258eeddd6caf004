#!/bin/sh
# 010-index: brief-index builds ./.brief from corpus/, prints one summary
# line, and --stats / --check describe and verify what it built.
. "$(dirname "$0")/lib.sh"

cp -R "$ROOT/corpus" "$T/corpus"
cd "$T"

t 'indexing corpus/ prints the summary line' bi corpus <<EOF
added 1, updated 0, removed 0, unchanged 0
EOF

check 'the index is ./.brief' yes "$([ -d .brief ] && echo yes)"

t 'an unchanged corpus is read again as unchanged' bi corpus <<EOF
added 0, updated 0, removed 0, unchanged 1
EOF

t '--quiet silences the summary' bi --quiet corpus <<EOF
EOF

t '-q is --quiet' bi -q corpus <<EOF
EOF

t '--check passes on a fresh index' bi --check <<EOF
.brief: index is consistent
EOF

# The figures are counted by hand: 33 paragraphs, the long paragraph on
# line 35 cut in two at a sentence end; 1150 words, a hyphenated word
# counting once per part; 422 distinct words as written, case-folded,
# with "country's" as country and each hyphenated whole ("high-tech")
# besides its parts; 7747 bytes (wc -c).  The size on disk depends on
# the page size, so only its presence is compared.
stats() { bi "$@" --stats | sed 's/^\(bytes on disk *\)[0-9][0-9]*$/\1N/'; }
t '--stats: documents, passages, terms, tokens, bytes, language, schema' \
    stats <<EOF
documents      1
passages       34
terms          422
tokens         1150
text bytes     7747
bytes on disk  N
language       english
schema         7
EOF

# -d puts the index anywhere, even inside the tree being indexed: the
# index is never indexed itself.
t '-d DIR inside the indexed tree' bi -d corpus/ix corpus <<EOF
added 1, updated 0, removed 0, unchanged 0
EOF
t '... a second run finds nothing new (not the index itself)' \
    bi -d corpus/ix corpus <<EOF
added 0, updated 0, removed 0, unchanged 1
EOF
t '... and --check -d DIR checks that index' bi -d corpus/ix --check <<EOF
corpus/ix: index is consistent
EOF
rm -rf corpus/ix

# $BRIEF_INDEX names the index when -d is absent.
env_index() { BRIEF_INDEX=$T/env.ix bi "$@"; }
t '$BRIEF_INDEX names the index' env_index corpus <<EOF
added 1, updated 0, removed 0, unchanged 0
EOF
check '... which is created there' yes "$([ -d env.ix ] && echo yes)"

# Several roots at once, files as well as directories.  The note adds 5
# words, 2 of them new (note, fibre), and 28 bytes.
mkdir notes
printf 'A note about gigabit fibre.\n' >notes/n.txt
t 'several PATHs, directories and files' bi -d multi.ix corpus notes/n.txt <<EOF
added 2, updated 0, removed 0, unchanged 0
EOF
t '... counted by --stats' stats -d multi.ix <<EOF
documents      2
passages       35
terms          424
tokens         1155
text bytes     7775
bytes on disk  N
language       english
schema         7
EOF

done_testing
