#!/bin/sh
# 060-stale: the text of each document is stored, so a hit from a file
# changed since indexing still cites the indexed text, marked stale (text
# format "[stale]" after the citation, JSON "stale":true) until the next
# brief-index.
. "$(dirname "$0")/lib.sh"
index_corpus
printf 'Notes on gigabit fibre.\n' >corpus/notes.txt
bi -q corpus

stale() { bs --json "$@" | jq -r 'select(.type == "hit") | "\(.path):\(.line):\(.column) stale=\(.stale)"'; }
t 'fresh hits are not stale' stale gigabit <<EOF
corpus/notes.txt:1:10 stale=false
$F:17:195 stale=false
EOF

# Two lines put in front of the briefing, a line added to the notes; not
# re-indexed.
{ printf 'NEW FIRST LINE\n\n'; cat "$ROOT/$F"; } >"$F"
printf 'More notes.\n' >>corpus/notes.txt
t 'the citations point into the stored text, marked stale' \
    stale gigabit <<EOF
corpus/notes.txt:1:10 stale=true
$F:17:195 stale=true
EOF
stale_marks() { bs "$@" | grep -c '^corpus/notes.txt:1:10: \[stale\]'; }
t 'the text format: [stale] after the citation' stale_marks gigabit <<EOF
1
EOF
# (once broken: no space between [stale] and the passage text)
t 'the text format: citation, [stale], passage' bs gigabit fibre <<EOF
corpus/notes.txt:1:10: [stale] Notes on gigabit fibre.
EOF
passage() { bs --json "$@" | jq -r 'select(.type == "hit") | .passage.text'; }
t 'the new text is not searched before re-indexing' cites 'NEW FIRST LINE' <<EOF
exit 1
EOF
t 'the passage text is the indexed text' passage 'gigabit connectivity' <<EOF
  Our country has built the world's largest and most technologically advanced communications network facilities. The number of 5G base stations has reached 3.38 million, enabling cities to have Gigabit connectivity, counties to have 5G connectivity, and every village to have broadband access.
EOF

# A deleted file is stale too; its stored text is still cited.
rm corpus/notes.txt
t 'a deleted file: stale, still cited' stale gigabit <<EOF
corpus/notes.txt:1:10 stale=true
$F:17:195 stale=true
EOF

# The next brief-index brings them up to date.
t 're-index' bi corpus <<EOF
added 0, updated 1, removed 1, unchanged 0
EOF
t 'not stale any more, the citation two lines down' stale gigabit <<EOF
$F:19:195 stale=false
EOF
t 'the new line is found' cites NEW FIRST LINE <<EOF
$F:1:1
EOF

# A new mtime on the same content: re-indexing reads it as unchanged,
# and the hit must not stay stale after it.
printf 'Touch me gently.\n' >corpus/touch.txt
bi -q corpus
touch -d '2001-02-03 04:05:06' corpus/touch.txt
t 'touched: unchanged' bi corpus <<EOF
added 0, updated 0, removed 0, unchanged 2
EOF
# (once broken: the stored mtime is not refreshed when the content is unchanged)
t '... and not stale after that brief-index' stale gently <<EOF
corpus/touch.txt:1:10 stale=false
EOF

# Several hits in each of two documents, one of them changed: a search
# asks the file system once a document, and each hit has its own
# document's answer.
printf 'Quokka one.\n\nQuokka quokka two.\n' >corpus/qa.txt
printf 'Quokka three.\n\nQuokka quokka quokka four.\n' >corpus/qb.txt
bi -q corpus
printf 'Changed.\n' >>corpus/qa.txt
t 'two documents, one changed: each hit has its own' stale quokka <<EOF
corpus/qb.txt:3:1 stale=false
corpus/qa.txt:3:1 stale=true
corpus/qa.txt:1:1 stale=true
corpus/qb.txt:1:1 stale=false
EOF

done_testing
