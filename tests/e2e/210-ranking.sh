#!/bin/sh
# 210-ranking: making the search faster never changes an answer.  Each
# line of 210-ranking/expected.txt is a query (drawn once from the words
# of ../shared/corpora/sotu: common, middle and rare words, AND of two
# and three, OR, phrases, prefixes, NOT, NEAR), a tab, and the cksum of
# its top 10 hits printed with --vimgrep (every match's path:line:col, in
# rank order, ties included), run in the corpus directory.  They were
# written by the search before lazy positions, the k-way union of a
# stem's words and the cursor over passage lengths (commit 4a0eb5b),
# which decoded every posting with its positions and looked each
# document up on its own.
# One check per 20 queries; a failure lists the queries that differ.
# SKIP when sotu is missing (SOTU=DIR elsewhere); under $RUN (valgrind)
# only every 10th query.
. "$(dirname "$0")/lib.sh"

SOTU=${SOTU:-$ROOT/../shared/corpora/sotu}
STEP=1
[ -n "$RUN" ] && STEP=10

if [ ! -d "$SOTU" ]; then
    echo "SKIP $TOPIC: no corpus at $SOTU"
    exit 0
fi
bi -q -d "$T/sotu.brief" "$SOTU" >"$T/index.log" 2>&1 ||
    echo "FAIL $TOPIC: indexing $SOTU"
cd "$SOTU" || exit 1
n=0
bad=
first=1
while IFS='	' read -r query want; do
    if [ $((n % STEP)) -eq 0 ]; then
        got=$(bs -d "$T/sotu.brief" --vimgrep -n 10 -- "$query" 2>&1 |
              cut -d: -f1-3 | cksum)
        [ "$got" = "$want" ] || bad="$bad$query
"
    fi
    n=$((n + 1))
    if [ $((n % 20)) -eq 0 ]; then
        check "sotu: queries $first-$n rank as before" "" "$bad"
        bad=
        first=$((n + 1))
    fi
done <"$E/expected.txt"
[ $first -gt $n ] || check "sotu: queries $first-$n rank as before" "" "$bad"
done_testing
