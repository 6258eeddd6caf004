#!/bin/sh
# 180-segments: postings and trigrams split into segments (one per batch,
# merged four at a time; docs/FORMAT.md) never change an answer.  The
# briefing is cut into one file per paragraph plus copies (120 files) and
# indexed twice: in one batch, and with BRIEF_TEST_BATCH_BYTES=1 (one
# document per batch: 120 segments without merges, more than the 64 an
# index may hold, so the run only succeeds when merges happen).  Every
# query of the list below must print the same on both, and --check must
# pass.  Then files are edited, removed and added, the tiny-batch index is
# updated in tiny batches, and compared with a fresh one-batch index of
# the new files.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 2
mkdir docs
awk -v RS= '{ f = sprintf("docs/p%03d.txt", NR); print > f; close(f) }' \
    "$ROOT/$F"
for round in 1 2 3; do        # copies, so that words span many batches
    for f in docs/p*.txt; do
        [ "$(ls docs | wc -l)" -lt 120 ] && cp "$f" "docs/c$round$(basename "$f")"
    done
done
check 'the briefing cut into 120 files' 120 "$(ls docs | wc -l)"

queries() {    # queries INDEX: every kind of look-up, in one transcript
    for q in industrial 'new industrialization' '"manufacturing industry"' \
        'manufactur*' 'digital AND economy' 'digital OR green' \
        'industry NOT digital' 'trillion NEAR/3 yuan' 'fig:% AND growth' 'fig:CNY' \
        '5g' 'zzzz-absent' 'manufactur* industri*' 'develop* OR a*' \
        'growth developing' 'z* OR y*'; do
        printf '$ %s\n' "$q"
        bs -d "$1" -n 50 -v "$q" 2>&1
    done
    for p in '[0-9.]+ trillion' 'base stations?' 'Industr(y|ial)'; do
        printf '$ -e %s\n' "$p"
        bs -d "$1" -e "$p" 2>&1
    done
    printf '$ --figures --unit CNY\n'
    bs -d "$1" --figures --unit CNY 2>&1
}

bi -q -d one docs
BRIEF_TEST_BATCH_BYTES=1 bi -q -d many docs
check 'one document per batch: indexed (merges keep the segments few)' \
    0 $?
t 'one document per batch: --check' bi -d many --check <<EOF
many: index is consistent
EOF
queries one >one.out
queries many >many.out
check 'one document per batch answers as one batch does' \
    "$(cat one.out)" "$(cat many.out)"
check '... (and the queries found something)' 1 \
    "$(grep -c '^docs/' one.out | awk '{ print ($1 > 150) }')"

# Updates in tiny batches: edit, remove, add.
printf 'A new paragraph on digital industry and 7 trillion yuan.\n' \
    >>docs/p002.txt
printf 'Green manufacturing grew 12%% in 2023.\n' >docs/p010.txt
rm docs/p005.txt docs/c1p007.txt
printf 'Base stations: 3.38 million, new industrialization.\n' >docs/new.txt
BRIEF_TEST_BATCH_BYTES=1 bi -q -d many docs
check 'updated in tiny batches' 0 $?
t '... --check' bi -d many --check <<EOF
many: index is consistent
EOF
bi -q -d fresh docs
queries fresh >fresh.out
queries many >many.out
check '... answers as a fresh index of the new files' \
    "$(cat fresh.out)" "$(cat many.out)"

done_testing
