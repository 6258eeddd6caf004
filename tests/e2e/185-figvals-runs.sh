#!/bin/sh
# 185-figvals-runs: the figvals runs (one per unit and batch; the newest
# merged when more than 16 follow the unit's last full run, or when they
# fill one together; a full run is never merged again: docs/FORMAT.md
# "figvals") never change an answer.  BRIEF_TEST_FIGVALS_CAP makes a run
# full at a few values, so a small corpus indexed one document per batch
# makes full runs, merges by size and merges by count.  Figure look-ups
# (--figures, its bounds, fig: leaves) must print the same as on an index
# built in one batch, --check must pass, and so after edits, removals and
# additions made in tiny batches.  Then the same on sotu/ in 40 batches.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 2
mkdir docs
awk -v RS= '{ f = sprintf("docs/p%03d.txt", NR); print > f; close(f) }' \
    "$ROOT/$F"
for round in 1 2 3; do        # copies, so that a unit has many runs
    for f in docs/p*.txt; do
        cp "$f" "docs/c$round$(basename "$f")"
    done
done

queries() {    # queries INDEX: figure look-ups of every kind
    for u in count percent CNY year years rank; do
        printf '$ --figures --unit %s\n' "$u"
        bs -d "$1" --figures --unit "$u" 2>&1
        printf '$ --figures --unit %s --sort value\n' "$u"
        bs -d "$1" --figures --unit "$u" --sort value 2>&1
    done
    printf '$ --figures\n'
    bs -d "$1" --figures 2>&1
    printf '$ --figures --unit percent --min 10 --max 40\n'
    bs -d "$1" --figures --unit percent --min 10 --max 40 2>&1
    printf '$ --figures --unit CNY --min 1e12\n'
    bs -d "$1" --figures --unit CNY --min 1e12 2>&1
    printf '$ --figures --min 100 industry\n'
    bs -d "$1" --figures --min 100 industry 2>&1
    for q in 'fig:count>1000' 'fig:percent AND digital' 'fig:year<2020'; do
        printf '$ %s\n' "$q"
        bs -d "$1" -n 100 "$q" 2>&1
    done
}

bi -q -d one docs
check 'one batch: indexed' 0 $?
queries one >one.out
for cap in 3 1 100000; do
    BRIEF_TEST_BATCH_BYTES=1 BRIEF_TEST_FIGVALS_CAP=$cap bi -q -d "many$cap" \
        docs
    check "one document per batch, runs full at $cap values: indexed" 0 $?
    t "... --check" bi -d "many$cap" --check <<EOF
many$cap: index is consistent
EOF
    queries "many$cap" >many.out
    check '... figure look-ups answer as one batch does' \
        "$(cat one.out)" "$(cat many.out)"
done
check '... (and they found something)' 1 \
    "$(grep -c '^docs/' one.out | awk '{ print ($1 > 300) }')"

# Updates in tiny batches: edit, remove, add; then a fresh index.
printf 'Output grew 12%% in 2023, to 7 trillion yuan.\n' >>docs/p002.txt
printf 'Green manufacturing grew 15%% in 2022.\n' >docs/p010.txt
rm docs/p005.txt docs/c1p007.txt docs/c2p013.txt docs/c3p009.txt
printf 'Base stations: 3.38 million, and 45%% more.\n' >docs/new.txt
BRIEF_TEST_BATCH_BYTES=1 BRIEF_TEST_FIGVALS_CAP=3 bi -q -d many3 docs
check 'updated in tiny batches' 0 $?
t '... --check' bi -d many3 --check <<EOF
many3: index is consistent
EOF
bi -q -d fresh docs
queries fresh >fresh.out
queries many3 >many.out
check '... answers as a fresh index of the new files' \
    "$(cat fresh.out)" "$(cat many.out)"

# A real corpus: sotu/ (233 speeches) in about 40 batches, runs full at
# 500 values (not under $RUN: valgrind would take minutes).
SOTU=${SOTU:-$ROOT/../shared/corpora/sotu}
if [ -n "$RUN" ]; then
    echo "SKIP $TOPIC: sotu/ under \$RUN"
elif [ ! -d "$SOTU" ]; then
    echo "SKIP $TOPIC: no corpus at $SOTU"
else
    big() {
        for u in count percent USD year; do
            printf '$ --figures --unit %s --sort value\n' "$u"
            bs -d "$1" --figures --unit "$u" --sort value 2>&1 | cksum
        done
        printf '$ --figures --unit USD --min 1e9 --max 1e12\n'
        bs -d "$1" --figures --unit USD --min 1e9 --max 1e12 2>&1 | cksum
        printf '$ --figures --unit year --min 1900 --max 1950\n'
        bs -d "$1" --figures --unit year --min 1900 --max 1950 2>&1 | cksum
    }
    bi -q -d s1 "$SOTU"
    BRIEF_TEST_BATCH_BYTES=250000 BRIEF_TEST_FIGVALS_CAP=500 \
        bi -q -d s40 "$SOTU"
    check 'sotu/ in about 40 batches: indexed' 0 $?
    t '... --check' bi -d s40 --check <<EOF
s40: index is consistent
EOF
    check '... figure look-ups answer as one batch does' \
        "$(big s1)" "$(big s40)"
fi

done_testing
