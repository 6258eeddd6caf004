#!/bin/sh
# 410-concurrency: one writer at a time, any number of readers.
#  - brief-index finding the index locked by another writer says so and
#    waits ("...: another brief-index is writing this index; waiting"),
#    then does its work;
#  - two brief-index runs started together on one index both succeed, the
#    second after the first, and the index is consistent;
#  - twenty brief-search processes searching while a run commits 1000
#    documents (and grows the map from BRIEF_TEST_MAP_SIZE) never fail,
#    and each sees all the new documents or none.
# The corpus is written here: 1000 copies of the briefing, about 3.5 MB.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2
# Private copies: a rebuild while the test runs must not fail a search.
mkdir bin big more
cp "$BIN/brief-index" "$BIN/brief-search" bin/ || exit 2
BIN=$T/bin
N=1000
awk -v n="$N" -v src="$ROOT/$F" 'BEGIN {
    while ((getline l < src) > 0) text = text l "\n"
    for (i = 1; i <= n; i++) {
        out = sprintf("big/doc%04d.txt", i)
        printf "Copy %d of the briefing.\n\n%s", i, text > out
        close(out)
    }
}'
printf 'A small file about zebras.\n' >more/zebra.txt

locked() { ! flock -n "$1" true 2>/dev/null; }

# wait_for_lock DIR PID: until PID holds DIR/write.lock (or has exited).
wait_for_lock() {
    while kill -0 "$2" 2>/dev/null && ! locked "$1/write.lock"; do
        sleep 0.01
    done
}

# 1. The lock held by someone else: brief-index waits for it.
bi -q -d ix more || echo "FAIL $TOPIC: indexing more/"
if command -v flock >/dev/null; then
    # The holder keeps the lock until brief-index says it waits (t()
    # writes its stderr to $T/.err), or a minute: a fixed second was too
    # short for brief-index to start under valgrind on a busy machine.
    : >"$T/.err"
    flock ix/write.lock sh -c 'i=0; while [ $i -lt 3000 ] &&
        ! grep -q waiting "$1/.err"; do sleep 0.02; i=$((i + 1)); done' \
        sh "$T" &
    holder=$!
    wait_for_lock ix "$holder"
    t 'a held lock: brief-index warns, waits, then indexes' \
        bi -d ix more <<EOF
added 0, updated 0, removed 0, unchanged 1
stderr: brief-index: \$T/ix: another brief-index is writing this index; waiting
EOF
    wait "$holder"
else
    echo "SKIP $TOPIC: a held lock: flock(1) is not installed"
fi

# 2. Two runs at once: the second waits for the first.
"$BIN/brief-index" -q -d ix big >first.out 2>first.err &
first=$!
command -v flock >/dev/null && wait_for_lock ix "$first"
kill -0 "$first" 2>/dev/null && first_running=yes || first_running=no
"$BIN/brief-index" -q -d ix more >second.out 2>second.err
second_status=$?
wait "$first"
first_status=$?
check 'two runs at once: both succeed' '0 0' "$first_status $second_status"
if [ $first_running = yes ]; then
    check '... the second said it waits' \
        "brief-index: $T/ix: another brief-index is writing this index; waiting" \
        "$(cat second.err)"
else
    echo "SKIP $TOPIC: the first run finished before the second started"
fi
t '... and the index is consistent' bi -d ix --check <<EOF
ix: index is consistent
EOF
t '... with the documents of both' sh -c \
    "'$BIN/brief-index' -d ix --stats | sed -n 's/^documents *//p'" <<EOF
$((N + 1))
EOF

# 3. Twenty searchers while big/ is added to an index of one document
# whose map starts tiny (BRIEF_TEST_MAP_SIZE), so the writer grows the map
# again and again under the readers.  Each searcher runs searches until
# the writer is done; a status above 1 is a failure.  Every big/ file
# holds "briefing": a search sees all of them or none (one consistent
# snapshot; they fit in one batch).
bi -q -d ix2 more || echo "FAIL $TOPIC: indexing more/ into ix2"
BRIEF_TEST_MAP_SIZE=65536 "$BIN/brief-index" -q -d ix2 big \
    >reindex.out 2>reindex.err &
writer=$!
i=0
while [ $i -lt 20 ]; do
    i=$((i + 1))
    (
        n=0
        while [ $n -lt 3 ] || kill -0 "$writer" 2>/dev/null; do
            n=$((n + 1))
            case $(( (n + i) % 3 )) in
            0) "$BIN/brief-search" -d ix2 -n 3 'zebra OR briefing' ;;
            1) "$BIN/brief-search" -d ix2 -n 3 -e 'zebras?' ;;
            2) "$BIN/brief-search" -d ix2 --json -n 100000 briefing |
                   jq -r 'select(.type == "summary") | "hits \(.hits)"' ;;
            esac >"search$i.out" 2>"search$i.err"
            s=$?
            [ $s -le 1 ] || echo "searcher $i: exit $s: $(cat "search$i.err")"
            grep '^hits' "search$i.out" |
                grep -v -e '^hits 0$' -e "^hits $N\$" |
                sed "s/^/searcher $i: saw only some of the files: /"
            sleep 0.1
        done >"searcher$i.log"
        echo "$n" >"searcher$i.count"
    ) &
done
wait "$writer"
writer_status=$?
check 'a run growing the map while 20 brief-search run: it succeeds' \
    "0" "$writer_status$(sed 's/^/ /' reindex.err)"
wait
check '... and no search failed or saw half the run' '' \
    "$(cat searcher*.log | head -10)"
searches=$(cat searcher*.count | awk '{ n += $1 } END { print n }')
echo "# $TOPIC: $searches searches by 20 processes during the run" >&2
t '... the index is consistent' bi -d ix2 --check <<EOF
ix2: index is consistent
EOF
t '... and holds every file' sh -c \
    "'$BIN/brief-search' -d ix2 --json -n 100000 briefing | jq -r 'select(.type == \"summary\") | .hits'" <<EOF
$N
EOF
done_testing
