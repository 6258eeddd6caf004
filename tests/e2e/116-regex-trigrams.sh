#!/bin/sh
# 116-regex-trigrams: a case-sensitive pattern with no literal worth
# looking for but a set of trigrams one of which every match holds ("0-1",
# "- 1", "\x93 1"... around the dash of a range of years) is run only on
# the lines that hold one (lib/trigscan.c, lib/regex.c).  That must not
# change an answer: for each pattern, the path:line:col of every match
# (--vimgrep, byte columns) is what perl finds line by line in the files
# themselves, on texts written here to hold the trigrams on lines without
# a match, at a file's first and last byte, around line breaks and in
# runs of dashes, then on corpus/ and on ../shared/corpora/sotu (SOTU=DIR
# elsewhere; skipped when missing).
. "$(dirname "$0")/lib.sh"

SOTU=${SOTU:-$ROOT/../shared/corpora/sotu}

# same LABEL INDEX PATTERN FILE...: brief's citations are what perl finds
# line by line (each match from the end of the last) on the UTF-8 text,
# so that [-–] is a class of two characters; columns in bytes.
same() {
    _label=$1
    _ix=$2
    _pat=$3
    shift 3
    _want=$(perl_cites "$_pat" "$@")
    _got=$(bs -d "$_ix" --vimgrep -e "$_pat" | cut -d: -f1-3)
    # check echoes its label: dash's echo would read \b as a backspace.
    check "$_label: -e $(printf '%s' "$_pat" | sed 's/\\/\\\\/g') \
($(printf '%s\n' "$_want" | grep -c .) matches)" "$_want" "$_got"
}

PATTERNS='\b(1[6-9]|20)[0-9]{2} ?[-–] ?(1[6-9]|20)[0-9]{2}\b
\b(1[6-9]|20)[0-9]{2} ?(-|–) ?(1[6-9]|20)[0-9]{2}\b
[0-9]-[12]
[0-9] ?[-–] ?[0-9]
\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b
(?<=[0-9])-[12][0-9]
[0-9]–[0-9]|[0-9]-[0-9]-
[a-c]--[0-9]
x?[0-9][-.][0-9]$
^[0-9]+-'

cd "$T" || exit 2
mkdir texts
cp "$ROOT"/corpus/*.txt texts/
# Dashes and digits on lines without a match, a match at the first and
# the last byte, runs of dashes, en dashes, a range broken by a line
# break, a file without a final newline.
printf '%s\n' '1600-1700 first, then 1789 - 1797 and 1999–2001.' \
    '---------- 12-34 - 1 -1 --1' '2020-\n2024 1620 -' \
    'a--1 b--2 c--3 d--4' '2024-11-28 and 2024-11-2' '5-1-2 7–8' \
    >texts/a.txt
printf '%s\n%s\n%s\n%s' '–1620–1630–' '1.5 1-5' '12-' '1599 - 1600' \
    >texts/b.txt
printf '%s\n' '-' '--' '1-' '-2' >texts/c.txt
bi -q -d "$T/texts.brief" texts || echo "FAIL $TOPIC: indexing the texts"
printf '%s\n' "$PATTERNS" | while IFS= read -r p; do
    same texts "$T/texts.brief" "$p" texts/*.txt
done >"$T/texts.log"
# A file added later sorts first but has the last docid: the documents
# are still visited in path order.
printf '%s\n' '1650-1660' >texts/0.txt
bi -q -d "$T/texts.brief" texts || echo "FAIL $TOPIC: updating the texts"
first=$(printf '%s\n' "$PATTERNS" | head -n 1)
same texts-updated "$T/texts.brief" "$first" texts/*.txt >>"$T/texts.log"
cat "$T/texts.log"
failures=$((failures + $(grep -c '^FAIL' "$T/texts.log")))

if [ -d "$SOTU" ]; then
    bi -q -d "$T/sotu.brief" "$SOTU" || echo "FAIL $TOPIC: indexing sotu"
    (cd "$SOTU" && printf '%s\n' "$PATTERNS" | while IFS= read -r p; do
        same sotu "$T/sotu.brief" "$p" *.txt
    done) >"$T/sotu.log"
    cat "$T/sotu.log"
    failures=$((failures + $(grep -c '^FAIL' "$T/sotu.log")))
else
    echo "SKIP $TOPIC: sotu: no corpus at $SOTU"
fi
done_testing
