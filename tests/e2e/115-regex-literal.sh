#!/bin/sh
# 115-regex-literal: a case-sensitive pattern with a literal that every
# match contains (" trillion" in "[0-9.]+ trillion", "illion" in
# "(million|billion)") is run only on the lines that hold the literal
# (lib/literal.c, lib/regex.c).  That must not change an answer: for each
# pattern, the path:line:col of every match (--vimgrep, byte columns) is
# what perl finds line by line in the files themselves, on texts written
# here to hold the literal on lines without a match, at a file's first and
# last byte and across a line break, then on corpus/ and on
# ../shared/corpora/sotu (SOTU=DIR elsewhere; skipped when missing).
. "$(dirname "$0")/lib.sh"

SOTU=${SOTU:-$ROOT/../shared/corpora/sotu}

# oracle PATTERN FILE...: path:line:col of every match, as grep would find
# them (line by line, each from the end of the last).
oracle() {
    _p=$1
    shift
    P=$_p perl -ne 'while (/$ENV{P}/g) { print "$ARGV:$.:", $-[0] + 1, "\n" }
                    close ARGV if eof' "$@"
}

# same LABEL INDEX [-i | -w] -e PATTERN FILE...: brief's citations are
# the oracle's, with the option written into perl's pattern.
same() {
    _label=$1
    _ix=$2
    shift 2
    _opts=
    while [ "$1" != -e ]; do
        _opts="$_opts $1"
        shift
    done
    _pat=$2
    shift 2
    case $_opts in
    ' -i') _perl="(?i)$_pat" ;;
    ' -w') _perl="(?<!\w)(?:$_pat)(?!\w)" ;;
    *) _perl=$_pat ;;
    esac
    _want=$(oracle "$_perl" "$@")
    # shellcheck disable=SC2086
    _got=$(bs -d "$_ix" --vimgrep $_opts -e "$_pat" | cut -d: -f1-3)
    # check echoes its label: dash's echo would read \b as a backspace.
    check "$_label:$_opts -e $(printf '%s' "$_pat" | sed 's/\\/\\\\/g') \
($(printf '%s\n' "$_want" | grep -c .) matches)" "$_want" "$_got"
}

PATTERNS='[0-9.]+ trillion
\$[0-9][0-9,.]* ?(million|billion|trillion)
\b(1[6-9]|20)[0-9]{2} ?- ?(1[6-9]|20)[0-9]{2}\b
[0-9]+\s+trillion
[Ee]arthquakes?
colou?r
foo(bar|baz)qux
(million|billion) (dollars|yuan)
\bthe\b
ion\b
(?<=[0-9] )trillion
trillion(?= yuan)
^The
\.$
percent\.?$
Stra(ß|ss)e'

cd "$T" || exit 2
mkdir texts
cp "$ROOT"/corpus/*.txt texts/
# The literal on lines without a match, at the first and the last byte,
# twice on a line, across a line break (no match line by line), in a
# file without a final newline.
printf '%s\n' 'trillion first, then $3.5 trillion and $40 billion in 1999-2001.' \
    'trillion alone, no number' 'The 5 trillion trillion' 40 'trillion yuan' \
    >texts/a.txt
printf '%s\n%s\n%s\n%s\n%s\n%s' 'colour color colouur' \
    'foobarqux foobazqux fooquxbar' 'Straße Strasse' \
    '1789 - 1797, 2020-2024 and 15-16' 'the end of the line.' '7 trillion' \
    >texts/b.txt
printf '%s\n' 'earthquake Earthquakes' '10 percent.' '20 percent' >texts/c.txt
bi -q -d "$T/texts.brief" texts || echo "FAIL $TOPIC: indexing the texts"
printf '%s\n' "$PATTERNS" | while IFS= read -r p; do
    same texts "$T/texts.brief" -e "$p" texts/*.txt
done >"$T/texts.log"
same texts "$T/texts.brief" -w -e 'trillion' texts/*.txt >>"$T/texts.log"
same texts "$T/texts.brief" -i -e 'TRILLION' texts/*.txt >>"$T/texts.log"
cat "$T/texts.log"
failures=$((failures + $(grep -c '^FAIL' "$T/texts.log")))

if [ -d "$SOTU" ]; then
    bi -q -d "$T/sotu.brief" "$SOTU" || echo "FAIL $TOPIC: indexing sotu"
    (cd "$SOTU" && printf '%s\n' "$PATTERNS" | while IFS= read -r p; do
        same sotu "$T/sotu.brief" -e "$p" *.txt
    done) >"$T/sotu.log"
    cat "$T/sotu.log"
    failures=$((failures + $(grep -c '^FAIL' "$T/sotu.log")))
else
    echo "SKIP $TOPIC: sotu: no corpus at $SOTU"
fi
done_testing
