#!/bin/sh
# 119-regex-path-order: while meta path_order is 1 (docid order is path
# order), a regex search narrowed by the trigram index takes its
# candidates in docid order without reading their paths (lib/grep.c
# candidate_docs()).  What breaks the order must clear the flag
# (lib/writer.c note_path_order()), or the matches come out of path
# order: an update gives an early path the last docid, and a file
# outside the index's parent directory is stored by its absolute path,
# which sorts before every relative one whatever the walk's order.  A
# directory "a" beside a file "a-b.txt" does not break it: a run sorts
# all its files by full path ('-' is 0x2d, '/' 0x2f; lib/indexer.c
# dedupe()), not name by name.  Each answer is in byte order of the
# stored paths, as --full-scan's (a walk of the paths database), and
# --check holds.
. "$(dirname "$0")/lib.sh"

# same LABEL PATTERN: the matches of -e PATTERN are --full-scan's.
same() {
    check "$1: --full-scan -e $2" "$(bs -d ix --full-scan -e "$2")" \
        "$(bs -d ix -e "$2")"
}

# kept PATTERN: how many documents the trigram index keeps.
kept() {
    bs -d ix --explain -e "$1" | grep '^kept '
}

cd "$T" || exit 2
mkdir texts
printf '%s\n' 'first line' 'the zq4417 token' >texts/b.txt
printf '%s\n' 'zq4417 at the start' >texts/c.txt
printf '%s\n' 'one' 'two' 'ends with zq4417' >texts/d.txt
printf '%s\n' 'nothing rare here' >texts/e.txt
bi -q -d ix texts || echo "FAIL $TOPIC: indexing the texts"

t 'the trigram index keeps 3 of 4' kept zq4417 <<'EOF'
kept 3 of 4 documents
EOF
t 'a fresh index: b, c, d' bs -d ix -e zq4417 <<'EOF'
texts/b.txt:2:5:the zq4417 token
texts/c.txt:1:1:zq4417 at the start
texts/d.txt:3:11:ends with zq4417
EOF
same 'a fresh index' zq4417

# b.txt changes: its document is replaced by one with the last docid,
# but its path still sorts first.
printf '%s\n' 'other and longer text' 'on two lines,' 'then zq4417 again' \
    >texts/b.txt
t 'b.txt updated' bi -d ix texts <<'EOF'
added 0, updated 1, removed 0, unchanged 3
EOF
t 'after the update: still b, c, d' bs -d ix -e zq4417 <<'EOF'
texts/b.txt:3:6:then zq4417 again
texts/c.txt:1:1:zq4417 at the start
texts/d.txt:3:11:ends with zq4417
EOF
same 'after the update' zq4417
t '--check after the update' bi -d ix --check <<'EOF'
ix: index is consistent
EOF

# A directory "a" and a file "a-b.txt": name by name "a" comes first,
# but by full path "a-b.txt" does, and so do its docid and its match.
rm -r texts ix
mkdir texts texts/a
printf '%s\n' 'a dash: qv7731' >texts/a-b.txt
printf '%s\n' 'x' 'qv7731 in a/' >texts/a/x.txt
printf '%s\n' 'and qv7731 in y' >texts/a/y.txt
printf '%s\n' 'no token' >texts/b.txt
bi -q -d ix texts || echo "FAIL $TOPIC: indexing the walk's texts"
t 'a-b.txt: the trigram index keeps 3 of 4' kept qv7731 <<'EOF'
kept 3 of 4 documents
EOF
t 'a-b.txt before a/x.txt' bs -d ix -e qv7731 <<'EOF'
texts/a-b.txt:1:9:a dash: qv7731
texts/a/x.txt:2:1:qv7731 in a/
texts/a/y.txt:1:5:and qv7731 in y
EOF
same 'a-b.txt' qv7731
t '--check after a-b.txt' bi -d ix --check <<'EOF'
ix: index is consistent
EOF

# One run over w/texts and z, the index in w: w/texts/a.txt comes first
# by full path, but z/y.txt is stored as "/.../z/y.txt", before
# "texts/a.txt".
rm -r texts ix
mkdir w w/texts z
cd w || exit 2
printf '%s\n' 'inside: qv7731' >texts/a.txt
printf '%s\n' 'no token' >texts/n.txt
printf '%s\n' 'outside: qv7731' >../z/y.txt
bi -q -d ix texts ../z || echo "FAIL $TOPIC: indexing w/texts and z"
t 'outside: the trigram index keeps 2 of 3' kept qv7731 <<'EOF'
kept 2 of 3 documents
EOF
t 'outside: the absolute path first' bs -d ix -e qv7731 <<'EOF'
../z/y.txt:1:10:outside: qv7731
texts/a.txt:1:9:inside: qv7731
EOF
same 'outside' qv7731
t '--check after a file outside' bi -d ix --check <<'EOF'
ix: index is consistent
EOF

# The texts are copied, one after another, into one buffer (lib/grep.c
# load()): what the citations remember of one text (cite_memo) must not
# place the next.  p.txt's match is on line 3 at byte 7; q.txt's on line
# 1 at byte 15, past it.
mkdir ../m
printf '%s\n' 'a' 'b' 'xx vk2093' >../m/p.txt
printf '%s\n' 'this line has vk2093 far along' >../m/q.txt
bi -q -d ../m/ix ../m || echo "FAIL $TOPIC: indexing m"
t 'two texts in one buffer: each cited on its own lines' \
    bs -d ../m/ix -e vk2093 <<'EOF'
../m/p.txt:3:4:xx vk2093
../m/q.txt:1:15:this line has vk2093 far along
EOF

done_testing
