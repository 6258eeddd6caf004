#!/bin/sh
# 118-regex-pre2: a part of a pattern with few known 2-byte tails ("$0"
# to "$9" in "\$[0-9][0-9,.]* ?(million|...)"), followed by something
# that cannot match the empty string, needs some trigram that begins
# with one of the tails ("$5"*, lib/trigram.c pre2_of()), evaluated as a
# range of the index's keys (lib/trigindex.c), the union of their lists.  --explain shows the
# terms and that fewer documents are kept than by the scale words alone
# (codesearch's query, which knows nothing of "$[0-9]": it keeps b.txt,
# "$ 5", and d.txt, "$9" as its last bytes).  Every match is still
# found: the path:line:col of each is what perl finds line by line, and
# what --full-scan finds.
. "$(dirname "$0")/lib.sh"

# same LABEL [-i] PATTERN: brief's citations are perl's (on the UTF-8
# text, columns in bytes) and --full-scan's.
same() {
    _label=$1
    shift
    _opt=
    if [ "$1" = -i ]; then
        _opt=-i
        shift
    fi
    _want=$(perl_cites "${_opt:+(?i)}$1" texts/*.txt)
    _got=$(bs -d ix --vimgrep $_opt -e "$1" | cut -d: -f1-3)
    _full=$(bs -d ix --full-scan --vimgrep $_opt -e "$1" | cut -d: -f1-3)
    # check echoes its label: dash's echo would read \b as a backspace.
    _shown=$(printf '%s' "$1" | sed 's/\\/\\\\/g')
    _n=$(printf '%s\n' "$_want" | grep -c .)
    check "$_label: perl ${_opt:+$_opt }-e $_shown ($_n matches)" \
        "$_want" "$_got"
    check "$_label: --full-scan ${_opt:+$_opt }-e $_shown" "$_full" "$_got"
}

cd "$T" || exit 2
mkdir texts
printf '%s\n' 'It cost $5 million in 2001.' 'Then $1,250.5billion, at the end' \
    >texts/a.txt
printf '%s\n' 'a million dollars, and $ 5 more' >texts/b.txt
# "$5\t" sorts before "$5 ": the range's lists come out of docid order.
printf 'prices: $5\tand a billion stars\n' >texts/c.txt
printf '%s' 'a trillion, then $9' >texts/d.txt
printf 'The bill: $2 MILLION, and \303\2111 or \303\2512\n' >texts/e.txt
printf '%s\n' 'no money here' >texts/f.txt
bi -q -d ix texts || echo "FAIL $TOPIC: indexing the texts"

R01='\$[0-9][0-9,.]* ?(million|billion|trillion)'

# explain PATTERN [-i]: the trigram query and the count of documents kept.
explain() {
    bs -d ix --explain $2 -e "$1" | grep -e '^trigrams:' -e '^kept '
}

t 'the scale words alone keep 5' explain '(million|billion|trillion)' <<'EOF'
trigrams: ("mil" AND "ill" AND "lli" AND "lio" AND "ion") OR ("bil" AND "ill" AND "lli" AND "lio" AND "ion") OR ("tri" AND "ril" AND "ill" AND "lli" AND "lio" AND "ion")
kept 5 of 6 documents
EOF
t 'r01 keeps 3: not b.txt, nor d.txt' explain "$R01" <<'EOF'
trigrams: (("mil" AND "ill" AND "lli" AND "lio" AND "ion") OR ("bil" AND "ill" AND "lli" AND "lio" AND "ion") OR ("tri" AND "ril" AND "ill" AND "lli" AND "lio" AND "ion")) AND ("$0"* OR "$1"* OR "$2"* OR "$3"* OR "$4"* OR "$5"* OR "$6"* OR "$7"* OR "$8"* OR "$9"*)
kept 3 of 6 documents
EOF
t 'r01 caseless keeps the same 3' explain "$R01" -i <<'EOF'
trigrams: (("mil" AND "ill" AND "lli" AND "lio" AND "ion") OR ("bil" AND "ill" AND "lli" AND "lio" AND "ion") OR ("tri" AND "ril" AND "ill" AND "lli" AND "lio" AND "ion")) AND ("$0"* OR "$1"* OR "$2"* OR "$3"* OR "$4"* OR "$5"* OR "$6"* OR "$7"* OR "$8"* OR "$9"*)
kept 3 of 6 documents
EOF
t 'a folded two-byte character before a digit' explain 'É\d' <<'EOF'
trigrams: "\xc3\xa9"*
kept 1 of 6 documents
EOF
t 'nothing after the tail: no term' explain '\$[0-9]x*' <<'EOF'
trigrams: ALL
kept 6 of 6 documents
EOF

same r01 "$R01"
same r01 -i "$R01"
same 'dollars then the word' '\$[0-9].*illion'
same 'two bytes of a character' 'É\d'
same 'caseless' -i 'É\d'

# A tail too common to narrow anything: "in" before every printable
# character in 20 documents.  Its range of keys passes the budget (16
# bitmaps of every document, lib/trigindex.c) and is not read: every
# document is kept, the one without "in" too, and the matches are
# still perl's.
rm -r texts ix
mkdir texts
i=0
while [ $i -lt 20 ]; do
    awk 'BEGIN { for (c = 33; c < 127; c++) printf "in%c\n", c }' \
        >texts/in$i.txt
    i=$((i + 1))
done
printf '%s\n' 'xyz 5' >texts/zz.txt
bi -q -d ix texts || echo "FAIL $TOPIC: indexing the texts"
t 'a common tail keeps every document' explain 'in\d' <<'EOF'
trigrams: "in"*
kept 21 of 21 documents
EOF
same 'a common tail' 'in\d'
done_testing
