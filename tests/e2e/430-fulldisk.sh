#!/bin/sh
# 430-fulldisk: a full file system.  An index of corpus/ on a 16 MiB tmpfs,
# the rest of the tmpfs filled; indexing 200 more documents (700 KB) must stop with
# "DIR: no space left on device; this batch was not committed, the index
# is intact" and exit 2, and the index must still pass --check and
# answer as before.  A build from scratch (of 2 MiB and more: a smaller
# one is not copied) in batches, with no room for the copy that compacts
# it at the end, warns and keeps the index as written, exit 0; in one
# batch it is rewritten in place, which needs no room.
# (420-hostile tries a file size limit, EFBIG.)
# Mounting needs root and a system that allows it; otherwise the test
# says SKIP and why.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2
mkdir mnt more
if [ "$(id -u)" != 0 ]; then
    echo "SKIP $TOPIC: a full disk: mounting a tmpfs needs root"
    exit 0
fi
if ! mount -t tmpfs -o size=16m tmpfs mnt 2>mount.err; then
    echo "SKIP $TOPIC: a full disk: cannot mount a tmpfs:" \
         "$(head -n 1 mount.err)"
    exit 0
fi
trap 'umount "$T/mnt"; rm -rf "$T"' EXIT

cp -R "$ROOT/corpus" corpus
bi -q -d mnt/ix corpus || echo "FAIL $TOPIC: indexing corpus/"
copies 200 more/doc%04d.txt 'Copy %d of the briefing.'
dd if=/dev/zero of=mnt/fill bs=4096 2>/dev/null
t 'a full disk: brief-index stops with a message (exit 2)' \
    bi -q -d mnt/ix more <<EOF
stderr: brief-index: \$T/mnt/ix: no space left on device; this batch was not committed, the index is intact
exit 2
EOF
t '... the index is intact' bi -d mnt/ix --check <<EOF
mnt/ix: index is consistent
EOF
t '... and answers as before' cites -d mnt/ix gigabit <<EOF
corpus/2024-03-08-new-industrialization.txt:17:195
EOF
t '... without the new documents' sh -c \
    "'$BIN/brief-index' -d mnt/ix --stats | sed -n 's/^documents *//p'" <<EOF
$(ls corpus | wc -l)
EOF
rm mnt/fill
t '... which go in once there is room' bi -q -d mnt/ix more <<EOF
EOF

# The fresh build of more/ in mnt/fresh (below) is whole and answers.
fresh_answers() {
    t '... the index is whole' bi -d mnt/fresh --check <<EOF
mnt/fresh: index is consistent
EOF
    t '... and answers' cites -d mnt/fresh '"Copy 7 of"' <<EOF
more/doc0007.txt:1:1
EOF
}

# A build from scratch with room for the index but not for the copy that
# compacts it at the end: the index stays as written, with a warning.
# more/ in batches of 64 KiB of text makes an index of some 3 MiB, which
# is compacted when there is room (055-compact); before the copy the
# file is about twice that (6.0 against 3.2 MB), and the room left is
# two and a half times it.
rm -rf mnt/ix
export BRIEF_TEST_BATCH_BYTES=65536
bi -q -d probe more || echo "FAIL $TOPIC: indexing more/"
pages=$(( $(wc -c <probe/data.mdb) / 4096 ))
avail=$(df -B4096 --output=avail mnt | tail -n 1)
dd if=/dev/zero of=mnt/fill bs=4096 count=$((avail - pages * 5 / 2)) \
    2>/dev/null
t 'no room to compact a fresh build: a warning, exit 0' \
    bi -q -d mnt/fresh more <<EOF
stderr: brief-index: \$T/mnt/fresh: not compacted: compacting the index: No space left on device
EOF
unset BRIEF_TEST_BATCH_BYTES
t '... no copy left behind' ls mnt/fresh <<EOF
data.mdb
lock.mdb
write.lock
EOF
fresh_answers

# In one batch the same build leaves few free pages and is rewritten in
# place: it needs no more room than it wrote.
rm -rf mnt/fresh mnt/fill probe
bi -q -d probe more || echo "FAIL $TOPIC: indexing more/"
pages=$(( $(wc -c <probe/data.mdb) / 4096 ))
avail=$(df -B4096 --output=avail mnt | tail -n 1)
dd if=/dev/zero of=mnt/fill bs=4096 count=$((avail - pages - 16)) \
    2>/dev/null
t 'a fresh build in one batch, rewritten in place: no warning' \
    bi -q -d mnt/fresh more <<EOF
EOF
fresh_answers
done_testing
