#!/bin/sh
# 420-hostile: odd and hostile input gets a clear message, never a crash
# or a hang.
#  - files: invalid UTF-8 (several kinds), NUL bytes (early: binary; late:
#    indexed), empty files, unreadable files, symbolic link loops and
#    special files with -L, names with spaces, newlines and non-UTF-8
#    bytes (JSON stays valid);
#  - the index: missing, not a directory, read-only, of a newer schema,
#    truncated, garbage, its first build killed, a full map, a full disk;
#  - queries: catastrophic regexes, a 100 KB query, 10,000 terms;
#  - a 200 MB file of one line (last; skipped under valgrind).
# Every command runs under `timeout`, so a hang fails instead of hanging.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2
chmod 755 "$T"                  # the unprivileged cases traverse it
LIMIT=${LIMIT:-60}              # seconds any one command may take
[ -z "$RUN" ] || LIMIT=$((LIMIT * 10))
bi() { timeout "$LIMIT" $RUN "$BIN/brief-index" "$@"; }
bs() { timeout "$LIMIT" $RUN "$BIN/brief-search" "$@"; }
json_ok() { "$@" | jq -c . >/dev/null 2>&1 && echo valid || echo invalid; }

# A command as an unprivileged user, when we are root and can become one
# (chmod 000 does not stop root); as ourselves when we are not root.
NOBODY=
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null &&
       setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null
    then
        NOBODY='setpriv --reuid=nobody --regid=nogroup --clear-groups'
    fi
fi
as_user() { timeout "$LIMIT" $NOBODY "$@"; }
can_drop() { [ "$(id -u)" != 0 ] || [ -n "$NOBODY" ]; }

# lmdb-poke edits an LMDB environment (420-hostile/lmdb-poke.c).
POKE=$T/lmdb-poke
${CC:-cc} -std=c11 -O1 -o "$POKE" "$E/lmdb-poke.c" -llmdb 2>poke.err ||
    { echo "FAIL $TOPIC: cannot build lmdb-poke: $(cat poke.err)"; POKE=false; }

# ------------------------------------------------------------------
# 1. Files
# ------------------------------------------------------------------
mkdir in
printf 'good text\n\377\376 bad\n' >in/bad-byte.txt
printf 'overlong \300\257 slash\n' >in/bad-overlong.txt
printf 'surrogate \355\240\200 here\n' >in/bad-surrogate.txt
printf 'beyond \364\220\200\200 U+10FFFF\n' >in/bad-toolarge.txt
printf 'cut short at the end \342\202' >in/bad-truncated.txt
printf 'abc\000def\n' >in/nul-early.txt
{ awk 'BEGIN { for (i = 0; i < 900; i++) printf "filler%03d ", i }'
  printf '\nlate\000nul zebra\n'; } >in/nul-late.txt
: >in/empty.txt
printf '\n\n\n   \n\t\n' >in/blank.txt
printf 'spaces zebra\n' >'in/a name with spaces.txt'
printf 'newline zebra\n' >'in/new
line.txt'
printf 'latin1 zebra\n' >"$(printf 'in/caf\351.txt')"

t 'invalid UTF-8 and early NUL bytes are skipped, each with its byte' \
    bi -d ix in <<EOF
added 6, updated 0, removed 0, unchanged 0
stderr: brief-index: in/bad-byte.txt: not UTF-8 at byte 10, skipped
stderr: brief-index: in/bad-overlong.txt: not UTF-8 at byte 9, skipped
stderr: brief-index: in/bad-surrogate.txt: not UTF-8 at byte 10, skipped
stderr: brief-index: in/bad-toolarge.txt: not UTF-8 at byte 7, skipped
stderr: brief-index: in/bad-truncated.txt: not UTF-8 at byte 21, skipped
stderr: brief-index: in/nul-early.txt: binary file (NUL byte at 3), skipped
EOF
t 'a NUL byte after the first 8 KiB is text: the words after it are found' \
    cites -d ix nul zebra <<EOF
in/nul-late.txt:2:6
EOF
t '... and JSON carries the NUL escaped' sh -c \
    "'$BIN/brief-search' -d ix --json nul zebra | jq -r 'select(.type == \"hit\") | .passage.text | test(\"\\u0000\")'" <<EOF
true
EOF
t 'names with spaces, a newline and a non-UTF-8 byte' \
    sh -c "'$BIN/brief-search' -d ix -n 5 --json zebra | jq -r 'select(.type == \"hit\") | [.path, .path_b64 // \"-\"] | @json'" <<EOF
["in/a name with spaces.txt","-"]
["in/caf�.txt","aW4vY2Fm6S50eHQ="]
["in/new\\nline.txt","-"]
["in/nul-late.txt","-"]
EOF
check '... JSON stays valid' valid "$(json_ok bs -d ix --json -n 5 zebra)"
t '... the text format escapes the newline' bs -d ix 'path:*new*' zebra <<EOF
in/new\\nline.txt:1:9:newline zebra
EOF
t 'empty and blank files are indexed and match nothing' \
    sh -c "'$BIN/brief-index' -d ix --stats | sed -n 's/^documents *//p'" <<EOF
6
EOF
t '--check after all that' bi -d ix --check <<EOF
ix: index is consistent
EOF

# -L: loops, a dangling link, special files (skipped without reading: a
# FIFO would block and /dev/zero never end), a file whose read fails.
mkdir links
printf 'linked zebra\n' >links/a.txt
mkdir links/sub
ln -s .. links/sub/up
ln -s ../sub links/sub/again
ln -s nowhere links/dangling.txt
mkfifo links/fifo.txt
ln -s /dev/zero links/zero.txt
ln -s /dev/tty links/tty.txt
if [ -r /proc/self/mem ]; then
    ln -s /proc/self/mem links/mem.txt      # regular, but read() fails: EIO
    mem_warning='stderr: brief-index: links/mem.txt: Input/output error, skipped'
else
    mem_warning=
fi
t 'symbolic link loops, a dangling link and special files with -L' \
    bi -d lix -L links <<EOF
added 1, updated 0, removed 0, unchanged 0
stderr: brief-index: links/dangling.txt: broken symbolic link, skipped
stderr: brief-index: links/sub/again: symbolic link loop, skipped
stderr: brief-index: links/sub/up: symbolic link loop, skipped
$mem_warning
EOF

# Unreadable files: chmod 000 as an unprivileged user.
if can_drop; then
    mkdir -m 777 un un/c
    printf 'readable\n' >un/c/a.txt
    printf 'secret\n' >un/c/b.txt
    chmod 755 un/c
    chmod 644 un/c/a.txt
    chmod 000 un/c/b.txt
    mkdir -m 000 un/c/closed
    t 'unreadable files and directories are skipped with the reason' \
        as_user "$BIN/brief-index" -d un/ix un/c <<EOF
added 1, updated 0, removed 0, unchanged 0
stderr: brief-index: un/c/closed: Permission denied
stderr: brief-index: un/c/b.txt: Permission denied, skipped
EOF
else
    echo "SKIP $TOPIC: unreadable files: root, and setpriv cannot drop to nobody"
fi

# ------------------------------------------------------------------
# 2. The index directory
# ------------------------------------------------------------------
t 'a missing index: brief-search' bs -d none gdp <<EOF
stderr: brief-search: none: no index here (create one with brief-index)
exit 2
EOF
t 'a missing index: --check' bi -d none --check <<EOF
stderr: brief-index: none: no index here (create one with brief-index)
exit 2
EOF
t 'a missing index: --remove' bi -d none --remove in <<EOF
stderr: brief-index: none: no index here (create one with brief-index)
exit 2
EOF
echo 'a file' >afile
t 'an index path that is a file: brief-search' bs -d afile gdp <<EOF
stderr: brief-search: afile: not a directory
exit 2
EOF
t 'an index path that is a file: brief-index' bi -d afile in <<EOF
stderr: brief-index: afile: not a directory
exit 2
EOF

# A small good index to spoil in various ways.
cp -R "$ROOT/corpus" corpus
bi -q -d good corpus || echo "FAIL $TOPIC: indexing corpus/"
size=$(wc -c <good/data.mdb)
spoil() {   # spoil NAME: a fresh copy of the good index as NAME
    rm -rf "$1"
    cp -R good "$1"
}

# Read-only: LMDB writes its lock file even to read; when it may not,
# brief reads without it (MDB_NOLOCK), so other users can search an index
# they may not write, with or without a lock file, but not index into it.
if can_drop; then
    spoil ro
    chmod 444 ro/*
    chmod 555 ro
    t 'a read-only index (another user): brief-search works' \
        as_user sh -c "'$BIN/brief-search' -d ro gdp | cut -d: -f1-3" <<EOF
corpus/2024-03-08-new-industrialization.txt:13:140
EOF
    t '... so does --check' as_user "$BIN/brief-index" -d ro --check <<EOF
ro: index is consistent
EOF
    t '... but not indexing' \
        as_user "$BIN/brief-index" -d ro corpus <<EOF
stderr: brief-index: \$T/ro: Permission denied (writing the index needs write access to it)
exit 2
EOF
    spoil rolock
    rm rolock/lock.mdb
    chmod 444 rolock/*
    chmod 555 rolock
    t 'a read-only index without lock.mdb: brief-search works' \
        as_user sh -c "'$BIN/brief-search' -d rolock gdp | cut -d: -f1-3" <<EOF
corpus/2024-03-08-new-industrialization.txt:13:140
EOF
    chmod 755 rolock
    chmod 755 ro
    chmod 644 ro/*
    t '... and it is intact' bi -d ro --check <<EOF
ro: index is consistent
EOF
    # Only the directory read-only, its files writable by the user: the
    # index works, and --compact (which writes a new file) fails clearly.
    spoil rodir
    chmod 666 rodir/*
    chmod 555 rodir
    printf 'one more zebra\n' >corpus/more.txt
    t 'a read-only directory: indexing still works' \
        as_user "$BIN/brief-index" -d rodir corpus <<EOF
added 1, updated 0, removed 0, unchanged 1
EOF
    t '... --compact says why it cannot' \
        as_user "$BIN/brief-index" -d rodir --compact <<EOF
stderr: brief-index: \$T/rodir/data.mdb.compact: Permission denied
exit 2
EOF
    rm corpus/more.txt
    chmod 755 rodir
fi
if [ "$(id -u)" = 0 ]; then
    spoil rootro
    chmod 444 rootro/*
    chmod 555 rootro
    printf 'one more zebra\n' >corpus/more.txt
    t 'as root, a read-only index is written anyway (root ignores modes)' \
        bi -d rootro corpus <<EOF
added 1, updated 0, removed 0, unchanged 1
EOF
    rm corpus/more.txt
    chmod 755 rootro
fi

# A newer schema version.
spoil newer
"$POKE" newer put meta 736368656d61 0800000000000000     # "schema" = 8
for cmd in 'bs -d newer gdp' 'bi -d newer --check' 'bi -d newer corpus'; do
    tool=brief-search
    case $cmd in bi*) tool=brief-index ;; esac
    t "a newer schema: ${cmd%% *} ${cmd#* -d newer }" $cmd <<EOF
stderr: $tool: \$T/newer: index schema version 8, this brief reads version 7 (rebuild the index)
exit 2
EOF
done

# Truncated data files: caught before LMDB maps pages that are not there.
for n in 5000 $((size / 2)) $((size - 4096)); do
    spoil trunc
    truncate -s "$n" trunc/data.mdb
    t "data.mdb truncated to $n bytes: brief-search" bs -d trunc gdp <<EOF
stderr: brief-search: \$T/trunc: data.mdb is truncated ($n bytes, its pages need $size); rebuild the index
exit 2
EOF
    t "... --check" bi -d trunc --check <<EOF
stderr: brief-index: \$T/trunc: data.mdb is truncated ($n bytes, its pages need $size); rebuild the index
exit 2
EOF
    t "... brief-index" bi -d trunc corpus <<EOF
stderr: brief-index: \$T/trunc: data.mdb is truncated ($n bytes, its pages need $size); rebuild the index
exit 2
EOF
done
for n in 1 4096; do
    spoil trunc
    truncate -s "$n" trunc/data.mdb
    t "data.mdb truncated to $n bytes (not both meta pages)" \
        bs -d trunc gdp <<EOF
stderr: brief-search: \$T/trunc: MDB_INVALID: File is not an LMDB file
exit 2
EOF
done
spoil trunc
: >trunc/data.mdb
# An empty data file is what a first build killed at once leaves: no
# index (see below).
t 'data.mdb truncated to 0 bytes' bs -d trunc gdp <<EOF
stderr: brief-search: \$T/trunc: no index here (create one with brief-index)
exit 2
EOF

# Garbage.
spoil garbage
yes 'garbage garbage garbage' | head -c "$size" >garbage/data.mdb
t 'data.mdb full of garbage: brief-search' bs -d garbage gdp <<EOF
stderr: brief-search: \$T/garbage: MDB_INVALID: File is not an LMDB file
exit 2
EOF
t '... brief-index' bi -d garbage corpus <<EOF
stderr: brief-index: \$T/garbage: MDB_INVALID: File is not an LMDB file
exit 2
EOF
# Passage lengths (plens) that disagree with the passages: ranking reads
# plens, --check compares the two.
spoil plens
"$POKE" plens put plens 00000001 05
t 'a plens record shorter than its document: search' bs -d plens gdp <<EOF
stderr: brief-search: document 1 has no passage 6
exit 2
EOF
t '... --check' bi -d plens --check <<EOF
stderr: brief-index: \$T/plens: check failed: 'corpus/2024-03-08-new-industrialization.txt': its plens record has 1 bytes, not a width and one count per passage
exit 2
EOF
spoil plens
"$POKE" plens patch plens 00000001 1 2800
t "a passage's length in plens differs from passages: --check" \
    bi -d plens --check <<EOF
stderr: brief-index: \$T/plens: check failed: 'corpus/2024-03-08-new-industrialization.txt': passage 0's length in plens is not its token count
exit 2
EOF

# Damaged B-tree pages (docs/RELIABILITY.md, "Corrupted pages").  A root
# page whose header is wrong is refused before LMDB reads it: LMDB would
# loop forever on a `lower` below the header (found by fuzz_index:
# tests/fuzz/regress/index-pages/hang-open_dbs).
# The page size in the second meta page (its free database's first
# field): LMDB would read the meta pages at that size, past the end of
# the file (found by fuzz_index: regress/index-pages/bus-env_open-page-size).
spoil pages
"$POKE" pages rawpatch $((4096 + 16 + 24)) 00101000
t 'a meta page with a page size of 1 MiB' bs -d pages gdp <<EOF
stderr: brief-search: \$T/pages: data.mdb is damaged: meta page 1 gives a page size of 1052672; rebuild the index
exit 2
EOF
spoil pages
catalog=$("$POKE" pages root)
"$POKE" pages rawpatch $((catalog * 4096 + 12)) 0f00
t 'the root page of the database catalog damaged: brief-search' \
    bs -d pages gdp <<EOF
stderr: brief-search: \$T/pages: data.mdb is damaged: page $catalog (the root of the database catalog) is not a sound B-tree page; rebuild the index
exit 2
EOF
t '... brief-index' bi -d pages corpus <<EOF
stderr: brief-index: \$T/pages: data.mdb is damaged: page $catalog (the root of the database catalog) is not a sound B-tree page; rebuild the index
exit 2
EOF
spoil pages
root=$("$POKE" pages root postings)
"$POKE" pages rawpatch $((root * 4096)) ff
t "the root page of 'postings' damaged" bi -d pages --check <<EOF
stderr: brief-index: \$T/pages: data.mdb is damaged: page $root (the root of 'postings') is not a sound B-tree page; rebuild the index
exit 2
EOF
# Deeper damage makes liblmdb itself fault, which brief turns into an
# error (lib/fault.h): a leaf whose first node lies 65528 bytes on, past
# the end of the file (SIGBUS), in the first database whose root lies in
# the file's last 64 KiB.
for db in text passages docs figures trigrams postings; do
    root=$("$POKE" good root $db)
    [ $((root * 4096 + 65536)) -gt "$size" ] && break
done
spoil pages
"$POKE" pages rawpatch $((root * 4096 + 16)) f8ff
cp pages/data.mdb pages.before
t "a node past the end of the file, in '$db': --check" \
    bi -d pages --check <<EOF
stderr: brief-index: \$T/pages/data.mdb: a corrupted page in '$db' made liblmdb fail (SIGBUS); rebuild the index
exit 2
EOF
t '... --compact' bi -d pages --compact <<EOF
stderr: brief-index: \$T/pages/data.mdb: a corrupted page in '$db' made liblmdb fail (SIGBUS); rebuild the index
exit 2
EOF
t '... and the index was not written' cmp pages/data.mdb pages.before <<EOF
EOF

spoil garbage
yes 'garbage' | head -c 8192 >garbage/lock.mdb
t 'lock.mdb full of garbage: LMDB rebuilds it' cites -d garbage gigabit <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF
# A corrupt value brief decodes (found by fuzz_index, which leaked the
# list read so far; tests/fuzz/regress/index/leak-trigram-chunk): the
# trigram chunk of
# "lli" (in segment 0) starting at document 1 lists documents 1 and 3 (04:
# span 2 in the delta form, then deltas 0 and 2); a delta of 3 runs past
# its span.  The error must be clean, and under valgrind (make memcheck)
# leak nothing.  The bitmap form (05: span 2) with a bit set past the
# span (ff) is as corrupt.
mkdir tri
printf '3 million\n' >tri/a.txt
printf 'none\n' >tri/b.txt
printf '5 million\n' >tri/c.txt
bi -q -d triix tri || echo "FAIL $TOPIC: indexing tri/"
"$POKE" triix put trigrams 000000006c6c6900000001 040003
t 'a corrupt trigram chunk: -e' bs -d triix -e million <<EOF
stderr: brief-search: a trigram chunk is corrupt
exit 2
EOF
t '... re: in a query' bs -d triix 're:/[0-9]+ million/' <<EOF
stderr: brief-search: a trigram chunk is corrupt
exit 2
EOF
t '... --check' bi -d triix --check <<EOF
stderr: brief-index: \$T/triix: check failed: a trigram chunk is corrupt
exit 2
EOF
bi -q -d trimap tri || echo "FAIL $TOPIC: indexing tri/"
"$POKE" trimap put trigrams 000000006c6c6900000001 05ff
t 'a corrupt bitmap trigram chunk: -e' bs -d trimap -e million <<EOF
stderr: brief-search: a trigram chunk is corrupt
exit 2
EOF
t '... --check' bi -d trimap --check <<EOF
stderr: brief-index: \$T/trimap: check failed: a trigram chunk is corrupt
exit 2
EOF
# A key in a segment the index does not list (lib/segment.c): searches
# never look at it, --check names it.
bi -q -d segix tri || echo "FAIL $TOPIC: indexing tri/"
"$POKE" segix put postings 00000007776f72640000000001 0001000100
t 'a key in an unknown segment: searches do not see it' cites -d segix million <<EOF
tri/a.txt:1:3
tri/c.txt:1:3
EOF
t '... --check names it' bi -d segix --check <<EOF
stderr: brief-index: \$T/segix: check failed: a key lies in segment 7, which the segment list does not name
exit 2
EOF

# Chunks that overlap (lib/check.c): each decodes and lies in its
# segment, but a second chunk of "million" holds document 2 (the chunk of
# "none", whose only document it is), before the end of the chunk at
# document 1 (documents 1 and 3); likewise a trigram chunk of "lli" at
# zone 2 (delta form, span 0).  Each key sorts after the sound chunk's.
bi -q -d overp tri || echo "FAIL $TOPIC: indexing tri/"
"$POKE" overp put postings 000000006d696c6c696f6e0000000002 \
    "$("$POKE" overp get postings 000000006e6f6e650000000002)"
t 'postings chunks that overlap: --check' bi -d overp --check <<EOF
stderr: brief-index: \$T/overp: check failed: postings of 'million' at document 2 overlap the chunk before
exit 2
EOF
bi -q -d overt tri || echo "FAIL $TOPIC: indexing tri/"
"$POKE" overt put trigrams 000000006c6c6900000002 0000
t 'trigram chunks that overlap: --check' bi -d overt --check <<EOF
stderr: brief-index: \$T/overt: check failed: trigram chunks overlap at zone 2
exit 2
EOF

# A postings key longer than any word brief writes (300 bytes before its
# 0): --check names it rather than copy it into its word buffer.
bi -q -d longkey tri || echo "FAIL $TOPIC: indexing tri/"
"$POKE" longkey put postings \
    "00000000$(printf '%0300d' 0 | sed 's/0/61/g')0000000001" 0001000100
t 'a postings key of a 300-byte word: --check' bi -d longkey --check <<EOF
stderr: brief-index: \$T/longkey: check failed: a postings key is malformed (305 bytes)
exit 2
EOF

# A merge copies a full chunk without decoding it, so it checks the
# chunk's header: its span must end before the next chunk's first docid.
# 40 copies in batches of 200 KB make two segments, the first holding
# "the" in chunks at documents 1, 17 and 33; a span of 16 (byte 0, 0x0f
# to 0x10) makes the first reach document 17.  Unpatched, it compacts.
mkdir many
(cd many && copies 40 'm%03d.txt' 'Copy %d.')
env BRIEF_TEST_BATCH_BYTES=200000 BRIEF_TEST_CONSOLIDATE_BYTES=1 \
    $RUN "$BIN/brief-index" -q -d spans many || echo "FAIL $TOPIC: many/"
cp -r spans spans2
the=$("$POKE" spans keys postings | grep '^........7468650000000001$')
t '"the" has a full chunk before another in the same segment' \
    sh -c "'$POKE' spans keys postings | grep -c '^${the%00000001}00000011\$'" <<EOF
1
EOF
"$POKE" spans patch postings "$the" 0 10
sum_before=$(cksum <spans/data.mdb)
t 'a copied chunk whose span reaches the next chunk: --compact' \
    bi -d spans --compact <<EOF
stderr: brief-index: a chunk to merge is corrupt
exit 2
EOF
t '... leaves no copy (the merge writes into one) and data.mdb as it was' \
    sh -c "ls spans; test \"\$(cksum <spans/data.mdb)\" = '$sum_before' &&
           echo same" <<EOF
data.mdb
lock.mdb
write.lock
same
EOF
t '... and unpatched, it compacts' bi -q -d spans2 --compact <<EOF
EOF

# Counts read from disk must not be trusted (found by fuzz_index, which
# ran out of memory: regress/index/oom-fig-n-pos, oom-path-n-passages).
# A figure whose n_pos says 16M (the varint at byte 8 of the figures of
# "about 40 trillion yuan of GDP": count 1, flags, gap, length, subject
# offset and length, passage, pos, n_pos), a figures value whose count
# says 4G (the varint at byte 0), and a docs record whose n_passages (u32
# at byte 24) says 16M: queries fail as corrupt rather than build lists
# of 16M entries (400 MB; a count of 4G would exhaust the memory), and
# --check sees all three.  Checked: exit 2 and a first line naming the
# corruption.
corrupt_run() {    # corrupt_run CMD...: "exit S: (names the corruption)"
    "$@" >/dev/null 2>corrupt.err
    echo "exit $?: $(head -1 corrupt.err |
        sed -n '/corrupt\|malformed\|disagrees\|incomplete/s/.*/(names the corruption)/p')"
}
mkdir fp
printf 'about 40 trillion yuan of GDP\n' >fp/a.txt
bi -q -d fpix fp || echo "FAIL $TOPIC: indexing fp/"
rm -rf fpix2 fpix4
cp -R fpix fpix2
cp -R fpix fpix4
"$POKE" fpix patch figures 00000001 8 80808008
"$POKE" fpix2 patch docs 00000001 24 00000001
"$POKE" fpix4 patch figures 00000001 0 ffffffff0f
check 'a figure record claiming 16M positions: fig:' \
    'exit 2: (names the corruption)' "$(corrupt_run bs -d fpix 'fig:yuan>1tn')"
check '... --check sees it' \
    'exit 2: (names the corruption)' "$(corrupt_run bi -d fpix --check)"
check 'a figures value claiming 4G figures: fig:' \
    'exit 2: (names the corruption)' "$(corrupt_run bs -d fpix4 'fig:yuan>1tn')"
check '... --figures' \
    'exit 2: (names the corruption)' "$(corrupt_run bs -d fpix4 --figures)"
check '... --check sees it' \
    'exit 2: (names the corruption)' "$(corrupt_run bi -d fpix4 --check)"
check 'a docs record claiming 16M passages: path:' \
    'exit 2: (names the corruption)' "$(corrupt_run bs -d fpix2 'path:fp/* gdp')"
check '... --check sees it' \
    'exit 2: (names the corruption)' "$(corrupt_run bi -d fpix2 --check)"

# A docs record moved to the largest docid (found by fuzz_index:
# regress/index/oom-check-max-docid): --check sized an array by the
# largest key and reported "out of memory" instead of the corruption.
rm -rf fpix3
bi -q -d fpix3 fp || echo "FAIL $TOPIC: indexing fp/ again"
"$POKE" fpix3 rekey docs 00000001 fffffff0
check 'a document under docid 4294967280: a search' \
    'exit 2: (names the corruption)' "$(corrupt_run bs -d fpix3 gdp)"
t '... --check' bi -d fpix3 --check <<EOF
stderr: brief-index: \$T/fpix3: check failed: document 4294967280 is past next_docid 2
exit 2
EOF

spoil isdir
rm isdir/data.mdb
mkdir isdir/data.mdb
t 'data.mdb is a directory' bs -d isdir gdp <<EOF
stderr: brief-search: \$T/isdir: Is a directory
exit 2
EOF

# The very first build killed.  Before its first commit an index holds
# nothing, which is no index (not a corrupt one); the next run builds it.
# The two states a kill can leave before that commit, made by lmdb-poke:
# an environment without databases, and the databases without a schema.
mkdir first1 first2
"$POKE" first1
"$POKE" first2 create meta docs paths text passages postings stems \
    figures figvals trigrams plens
for d in first1 first2; do
    t "first build killed before its first commit ($d): --check" \
        bi -d $d --check <<EOF
stderr: brief-index: \$T/$d: no index here (create one with brief-index)
exit 2
EOF
    t '... brief-index builds it' bi -q -d $d corpus <<EOF
EOF
    t '... then --check passes' bi -d $d --check <<EOF
$d: index is consistent
EOF
done
# And killed for real at random moments of a first build.
mkdir gen
copies 300 gen/doc%03d.txt 'Copy %d.'
bad=
for ms in 0 1 2 3 4 5 7 10 15 20 30 50 80 120 200; do
    rm -rf killed
    $RUN "$BIN/brief-index" -q -d killed gen 2>/dev/null &
    pid=$!
    sleep "0.$(printf '%03d' "$ms")"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    out=$(bi -d killed --check 2>&1)
    case $out in
    'killed: index is consistent' | \
    *"killed: no index here (create one with brief-index)") ;;
    *) bad="$bad
after ${ms} ms: $out" ;;
    esac
    bi -q -d killed gen 2>/dev/null && bi -q -d killed --check ||
        bad="$bad
after ${ms} ms: the next run did not recover"
done
check 'first builds killed at 15 moments: --check passes or says "no index"' \
    '' "$(echo "$bad" | sed '/^$/d' | normalise)"

# A map that starts tiny grows as needed.
t 'a full map grows: BRIEF_TEST_MAP_SIZE=65536' \
    env BRIEF_TEST_MAP_SIZE=65536 "$BIN/brief-index" -q -d tiny gen <<EOF
EOF
t '... the index is consistent' bi -d tiny --check <<EOF
tiny: index is consistent
EOF
t '... and complete' sh -c \
    "'$BIN/brief-index' -d tiny --stats | sed -n 's/^documents *//p'" <<EOF
300
EOF

# A full disk, simulated by a file size limit (SIGXFSZ ignored, so the
# write fails with EFBIG or short): a clear error, the index intact.
# 430-fulldisk.sh fills a real (tmpfs) file system.
spoil fulldisk
(
    trap '' XFSZ
    ulimit -f "$(( (size + 200000) / 512 ))"
    exec "$BIN/brief-index" -q -d fulldisk gen
) >full.out 2>full.err
full_status=$?
check 'a full disk: brief-index fails with a message (exit 2)' \
    '2 brief-index: $T/fulldisk: file size limit exceeded (ulimit -f); this batch was not committed, the index is intact' \
    "$full_status $(normalise <full.err)"
t '... the index is intact' bi -d fulldisk --check <<EOF
fulldisk: index is consistent
EOF
t '... and still answers' cites -d fulldisk gigabit <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF

# ------------------------------------------------------------------
# 3. Queries
# ------------------------------------------------------------------
mkdir cat
{ awk 'BEGIN { for (i = 0; i < 80; i++) printf "a"; print "b" }'
  awk 'BEGIN { for (i = 0; i < 5000; i++) printf "x"; print "" }'; } \
    >cat/a.txt
bi -q -d catix cat || echo "FAIL $TOPIC: indexing cat/"
for p in '(a+)+$' '(a*)*$' '^(a|aa)+$'; do
    t "a catastrophic regex stops at PCRE2's limit: $p" bs -d catix -e "$p" <<EOF
stderr: brief-search: cat/a.txt: regex match limit exceeded, rest of the file skipped
exit 2
EOF
done
t 'a regex that only looks catastrophic' bs -d catix -e '(x+x+)+y' <<EOF
exit 1
EOF
t 're: inside a query, catastrophic' bs -d catix 're:/(a+)+$/' <<EOF
stderr: brief-search: query:1:1: re:/(a+)+$/ hit PCRE2's match limit
exit 2
EOF

q=$(awk 'BEGIN { for (i = 0; i < 12000; i++) printf "word%d ", i }')
t "a 100 KB query of 12,000 words (${#q} bytes): nothing matches all" \
    bs -d good "$q" <<EOF
exit 1
EOF
q=$(awk 'BEGIN { for (i = 0; i < 102400; i++) printf "a" }')
t 'a 100 KB word' bs -d good "$q" <<EOF
exit 1
EOF
q=$(awk 'BEGIN { for (i = 0; i < 9999; i++) printf "word%d OR ", i; printf "gigabit" }')
t '10,000 terms ORed' cites -d good "$q" <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF
q=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "gigabit " }')
t '10,000 terms ANDed' cites -d good "$q" <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF
q=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%sgiga*", i ? " OR " : "" }')
t '10,000 prefixes' cites -d good "$q" <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF
q=$(awk 'BEGIN { printf "\""; for (i = 0; i < 10000; i++) printf "the "; printf "\"" }')
t 'a phrase of 10,000 words' bs -d good "$q" <<EOF
exit 1
EOF
q=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "("; printf "gdp"; for (i = 0; i < 10000; i++) printf ")" }')
t '10,000 nested parentheses' bs -d good "$q" <<EOF
stderr: brief-search: query:1:101: query nested too deeply
exit 2
EOF
q=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "NOT "; printf "gdp" }')
t '10,000 NOTs' bs -d good "$q" <<EOF
stderr: brief-search: query:1:401: query nested too deeply
exit 2
EOF
q=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "- "; printf "gdp" }')
t '10,000 lone minus signs' bs -d good -- "$q" <<EOF
stderr: brief-search: query:1:1: nothing searchable in '-'
exit 2
EOF
q=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "-"; printf "gigabit" }')
t 'a word of 10,000 minus signs' cites -d good -- "$q" <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF
req=$(awk 'BEGIN { printf "{\"id\":1,\"method\":\"search\",\"params\":{\"query\":\""; for (i = 0; i < 9999; i++) printf "word%d OR ", i; printf "gigabit\"}}" }')
t 'a 100 KB request to --serve' sh -c "printf '%s\n' '$req' | '$BIN/brief-search' -d good --serve | jq -r '.type'" <<EOF
hit
summary
EOF

# An id holding U+0000 (found by fuzz_serve: regress/serve/id-with-nul):
# every reply to a request carries its id.
printf '%s\n' '{"id":"a\u0000","method":"stats"}' \
    '{"id":{"k":"\u0000"},"method":"nope"}' \
    '{"id":"b\u0000","method":"search","params":{"query":"gigabit"}}' \
    >nul-ids.jsonl
t 'request ids holding \u0000 come back in every reply' sh -c \
    "'$BIN/brief-search' -d good --serve <nul-ids.jsonl | jq -c '[.type, .id]'" <<EOF
["stats","a\\u0000"]
["summary","a\\u0000"]
["error",{"k":"\\u0000"}]
["hit","b\\u0000"]
["summary","b\\u0000"]
EOF

# ------------------------------------------------------------------
# 4. A 200 MB file of one line
# ------------------------------------------------------------------
if [ -n "$RUN" ]; then
    echo "SKIP $TOPIC: 200 MB line: not under \$RUN ($RUN)"
else
    mkdir huge
    yes 'alpha beta gamma delta of the epsilon zeta eta theta iota kappa' |
        head -c 200000000 | tr '\n' ' ' >huge/line.txt
    /usr/bin/time -f '%e %M' -o huge.time \
        timeout "$LIMIT" "$BIN/brief-index" -q -d hugeix huge 2>huge.err
    status=$?
    read -r secs kb <huge.time 2>/dev/null
    if [ $status -eq 124 ]; then
        # It takes about 10 s (25 s sanitized); zones once made it 250 s.
        echo "FAIL $TOPIC: 200 MB line: indexing took over $LIMIT s"
    else
        check '200 MB line: indexed' '0' "$status$(sed 's/^/ /' huge.err)"
        echo "# $TOPIC: 200 MB line indexed in $secs s, $((kb / 1024)) MB peak" >&2
        check '... in at most 8 times its size of memory' yes \
            "$(awk -v kb="$kb" 'BEGIN { print (kb * 1024 <= 8 * 200000000) ? "yes" : kb " KB" }')"
        t '... a search' sh -c "'$BIN/brief-search' -d hugeix -n 3 epsilon | cut -d: -f1-3" <<EOF
huge/line.txt:1:31
huge/line.txt:1:671
huge/line.txt:1:1311
EOF
        if timeout 30 "$BIN/brief-index" -q -d hugeix --check 2>huge.err; then
            echo "ok   $TOPIC: ... --check"
        elif [ $? -eq 124 ]; then
            echo "SKIP $TOPIC: 200 MB line: --check took over 30 s (report it: it once scanned each passage's line from its start)"
        else
            echo "FAIL $TOPIC: ... --check: $(cat huge.err)"
            failures=$((failures + 1))
        fi
    fi
    rm -rf huge hugeix
fi
done_testing
