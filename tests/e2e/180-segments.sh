#!/bin/sh
# 180-segments: postings and trigrams split into segments (one per batch,
# merged four at a time; docs/FORMAT.md) never change an answer.  The
# briefing is cut into one file per paragraph plus copies (120 files) and
# indexed in one batch, and with BRIEF_TEST_BATCH_BYTES=1 (one document
# per batch: 120 segments without merges, more than the 64 an index may
# hold, so the run only succeeds when merges happen).  A first build ends
# by consolidating its newest segments (up to 64 MiB of values: all of
# them here) into one; BRIEF_TEST_CONSOLIDATE_BYTES bounds that lower, 0
# keeping them all.  Every query of the list below must print the same on
# each, and --check must pass.  Then files are edited, removed and added,
# the tiny-batch index is updated in tiny batches (no consolidation),
# compared with a fresh one-batch index of the new files, and compacted
# (which consolidates).
. "$(dirname "$0")/lib.sh"

# lmdb-poke reads the segment list, 20 bytes a segment: meta "segments"
# (420-hostile/lmdb-poke.c).
need_poke
segments() {
    "$POKE" "$1" get meta "$(printf segments | od -An -tx1 | tr -d ' \n')" |
        awk '{ print length($0) / 40 }'
}
# The segments' ids, one a line (the first u32le of each record).
segment_ids() {
    "$POKE" "$1" get meta "$(printf segments | od -An -tx1 | tr -d ' \n')" |
        awk 'function hex(s) { return index("0123456789abcdef", s) - 1 }
             { for (i = 1; i < length($0); i += 40) {
                   n = 0
                   for (j = 6; j >= 0; j -= 2)
                       n = n * 256 + hex(substr($0, i + j, 1)) * 16 \
                           + hex(substr($0, i + j + 1, 1))
                   print n } }'
}

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
BRIEF_TEST_BATCH_BYTES=1 BRIEF_TEST_CONSOLIDATE_BYTES=0 bi -q -d many docs
check 'one document per batch: indexed (merges keep the segments few)' \
    0 $?
n_many=$(segments many)
check '... into several segments (not consolidated)' 1 \
    "$(echo "$n_many" | awk '{ print ($1 > 2 && $1 < 64) }')"
t 'one document per batch: --check' bi -d many --check <<EOF
many: index is consistent
EOF
queries one >one.out
queries many >many.out
check 'one document per batch answers as one batch does' \
    "$(cat one.out)" "$(cat many.out)"
check '... (and the queries found something)' 1 \
    "$(grep -c '^docs/' one.out | awk '{ print ($1 > 150) }')"

# Consolidation at the end of a first build: all segments, or as many of
# the newest as the bound holds.
BRIEF_TEST_BATCH_BYTES=1 bi -q -d merged docs
t 'a first build ends with one segment' segments merged <<EOF
1
EOF
t '... --check' bi -d merged --check <<EOF
merged: index is consistent
EOF
queries merged >merged.out
check '... answers as one batch does' "$(cat one.out)" "$(cat merged.out)"
# Segment ids count up from 0, one for each batch and each merge: 20
# documents, one a batch, take ids 0-19, and the consolidation's is 20
# when no merge ran on the way (26 when one did every fourth batch).
mkdir twenty
cp $(ls docs/*.txt | head -n 20) twenty/
BRIEF_TEST_BATCH_BYTES=1 bi -q -d t20 twenty
t 'a first build leaves its merges to the consolidation' segment_ids t20 <<EOF
20
EOF
queries t20 >t20.out
bi -q -d t20one twenty
queries t20one >t20one.out
check '... answers as one batch does' "$(cat t20one.out)" "$(cat t20.out)"
BRIEF_TEST_BATCH_BYTES=1 BRIEF_TEST_CONSOLIDATE_BYTES=20000 \
    bi -q -d part docs
n_part=$(segments part)
check 'a lower bound consolidates only the newest segments' 1 \
    "$(echo "$n_part $n_many" | awk '{ print ($1 > 1 && $1 < $2) }')"
t '... --check' bi -d part --check <<EOF
part: index is consistent
EOF
queries part >part.out
check '... answers as one batch does' "$(cat one.out)" "$(cat part.out)"

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
check '... in several segments (an update does not consolidate)' 1 \
    "$(segments many | awk '{ print ($1 > 1) }')"
bi -q -d many --compact
t '--compact consolidates them into one' segments many <<EOF
1
EOF
t '... --check' bi -d many --check <<EOF
many: index is consistent
EOF
queries many >many.out
check '... answers as a fresh index of the new files' \
    "$(cat fresh.out)" "$(cat many.out)"

done_testing
