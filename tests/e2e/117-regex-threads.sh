#!/bin/sh
# 117-regex-threads: brief-search -e scans documents on several threads
# (lib/gscan.c: helpers find documents' first matches from the end of the
# list while the main thread prints in path order).  The threads must not
# change an answer: for each pattern, every match's path:line:col
# (--vimgrep) is what perl finds line by line in the files, whatever
# --threads says; the hits, -n's cut, a match limit's warning and its
# place in the output are the same with 1, 2, 3 and 8 threads.  Then the
# same on ../shared/corpora/sotu (SOTU=DIR elsewhere; skipped when
# missing), 233 documents of about 46 KB.
. "$(dirname "$0")/lib.sh"

SOTU=${SOTU:-$ROOT/../shared/corpora/sotu}

# same LABEL INDEX PATTERN FILE...: with each number of threads, brief's
# citations are perl's.
same() {
    _label=$1
    _ix=$2
    _pat=$3
    shift 3
    _want=$(perl_cites "$_pat" "$@")
    for _n in 1 2 3 8; do
        _got=$(bs -d "$_ix" --threads $_n --vimgrep -e "$_pat" |
               cut -d: -f1-3)
        check "$_label: --threads $_n -e $(printf '%s' "$_pat" |
               sed 's/\\/\\\\/g') ($(printf '%s\n' "$_want" | grep -c .) \
matches)" "$_want" "$_got"
    done
}

# Figures, a word, a rare literal, a pattern that matches the empty
# string (one hit a line, as grep), and one no document holds.
PATTERNS='[0-9]+(\.[0-9]+)? ?(%|percent)
\b(1[6-9]|20)[0-9]{2}\b
zebra
^
q{7}'

cd "$T" || exit 2
mkdir texts
# 40 documents: most without a figure, a few with one at the first or
# the last byte or on several lines; every tenth without a final newline.
i=10
while [ $i -lt 50 ]; do
    {
        case $((i % 7)) in
        0) printf '12%% at the start\n' ;;
        esac
        j=0
        while [ $j -lt $((i * 3)) ]; do
            printf 'line %s of a text about the year and zebra crossings\n' \
                "$(printf '%s' "$i$j" | tr '0-9' 'a-j')"
            j=$((j + 1))
        done
        case $((i % 5)) in
        0) printf 'in 1999 it rose by 4.5 percent, in 2001 by 3%%\n' ;;
        esac
        case $((i % 10)) in
        3) printf 'the end: 7%%' ;;
        *) printf 'the end\n' ;;
        esac
    } >texts/d$i.txt
    i=$((i + 1))
done
bi -q -d "$T/texts.brief" texts || echo "FAIL $TOPIC: indexing the texts"
printf '%s\n' "$PATTERNS" | while IFS= read -r p; do
    same texts "$T/texts.brief" "$p" texts/*.txt
done >"$T/texts.log"
cat "$T/texts.log"
failures=$((failures + $(grep -c '^FAIL' "$T/texts.log")))

# -n stops at the same match, whoever scanned the documents.
want=$(bs -d "$T/texts.brief" --threads 1 --vimgrep -n 3 -e '[0-9]%')
for n in 2 8; do
    check "-n 3 with --threads $n" "$want" \
        "$(bs -d "$T/texts.brief" --threads $n --vimgrep -n 3 -e '[0-9]%')"
done

# A document where PCRE2 hits its match limit: a helper leaves it to the
# main thread, which warns once, in path order, and goes on.
printf '%s\n' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' >texts/d45.txt
bi -q -d "$T/texts.brief" texts || echo "FAIL $TOPIC: updating the texts"
want=$(transcript bs -d "$T/texts.brief" --threads 1 -e '(a+)+$' -e 'zebra' |
       normalise)
for n in 2 8; do
    check "a match limit, --threads $n: the same hits and warning" "$want" \
        "$(transcript bs -d "$T/texts.brief" --threads $n -e '(a+)+$' \
           -e 'zebra' | normalise)"
done
case $want in
*"d45.txt: regex match limit exceeded"*) echo "ok   $TOPIC: the warning" ;;
*) echo "FAIL $TOPIC: no match-limit warning in: $want"
   failures=$((failures + 1)) ;;
esac

t '--threads takes a number' bs -d "$T/texts.brief" --threads x -e a <<'EOF'
stderr: brief-search: --threads needs a number from 0 (automatic) to 64, not 'x'
exit 2
EOF

if [ -d "$SOTU" ]; then
    bi -q -d "$T/sotu.brief" "$SOTU" || echo "FAIL $TOPIC: indexing sotu"
    (cd "$SOTU" && printf '%s\n' "$PATTERNS" | head -n 3 |
     while IFS= read -r p; do
        same sotu "$T/sotu.brief" "$p" *.txt
    done) >"$T/sotu.log"
    cat "$T/sotu.log"
    failures=$((failures + $(grep -c '^FAIL' "$T/sotu.log")))
else
    echo "SKIP $TOPIC: sotu: no corpus at $SOTU"
fi
done_testing
