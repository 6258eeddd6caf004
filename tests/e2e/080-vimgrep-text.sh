#!/bin/sh
# 080-vimgrep-text: the default text format is "path:line:col:" (the
# first match of the passage) then the passage text, one line per hit
# when not on a terminal; --vimgrep prints "path:line:col:line-text" once
# per match, as ripgrep does; --color and --explain.  The sidecar files
# in 080-vimgrep-text/ hold whole lines of the briefing (sed -n Np).
. "$(dirname "$0")/lib.sh"
index_corpus

t 'text: citation then passage' bs -n 2 gigabit OR aircraft \
    <"$E/gigabit-or-aircraft.out"
t 'vimgrep: one line per match, two in line 17' \
    bs --vimgrep gigabit OR broadband <"$E/vimgrep-gigabit-or-broadband.out"
vimgrep_cites() { bs --vimgrep "$@" | cut -d: -f1-3; }
t 'vimgrep: -n counts hits, not matches' vimgrep_cites -n 1 5g <<EOF
$F:17:128
$F:17:234
EOF
t 'vimgrep: all matches of the hits, in order' vimgrep_cites 5g <<EOF
$F:17:128
$F:17:234
$F:35:158
$F:35:339
$F:35:436
$F:35:467
EOF

# A passage that starts inside line 35 (at byte 650 of the line): the
# text format prints the passage only, vimgrep the whole line; both cite
# column 744 of the line.
# (once broken: column counted from the passage start, not the line start)
t 'text: a passage inside a long line' bs classify <"$E/classify.out"
# (once broken: column counted from the passage start, not the line start)
t 'vimgrep: the whole line' bs --vimgrep classify <"$E/vimgrep-classify.out"

# A passage over two lines.
mkdir fx
printf 'alpha beta\ngamma delta\n\nsecond para alpha\n' >fx/m.txt
bi -q -d fx.ix fx
t 'text: the lines of a passage joined by a space' \
    bs -d fx.ix alpha OR delta <<EOF
fx/m.txt:1:1:alpha beta gamma delta
fx/m.txt:4:13:second para alpha
EOF
t 'text: the citation is the first match, on the second line' \
    bs -d fx.ix delta <<EOF
fx/m.txt:2:7:alpha beta gamma delta
EOF
t 'vimgrep: each match with the text of its own line' \
    bs -d fx.ix --vimgrep alpha OR delta <<EOF
fx/m.txt:1:1:alpha beta
fx/m.txt:2:7:gamma delta
fx/m.txt:4:13:second para alpha
EOF

# Colour: never on a pipe unless asked; the same text without it.
esc=$(printf '\033')
has_esc() { bs "$@" | grep -c "$esc"; }
t '--color=always highlights' has_esc --color=always -d fx.ix alpha <<EOF
2
EOF
t '--color=auto on a pipe: no colour' has_esc --color=auto -d fx.ix alpha <<EOF
0
exit 1
EOF
t '--color=never: no colour' has_esc --color never -d fx.ix alpha <<EOF
0
exit 1
EOF
uncoloured() { bs --color=always "$@" | sed "s/$esc\\[[0-9;]*m//g"; }
t '--color=always: the same text once the colour is removed' \
    uncoloured -d fx.ix alpha OR delta <<EOF
fx/m.txt:1:1:alpha beta gamma delta
fx/m.txt:4:13:second para alpha
EOF
highlighted() { bs --color=always "$@" | grep -c "gamma $esc\[[0-9;]*mdelta"; }
t '--color=always highlights the matched words' highlighted -d fx.ix delta <<EOF
1
EOF

# --explain shows the parse and the stems actually looked up.
explained() { bs --explain "$@" | grep -E '^query:|->'; }
t '--explain: stations -> station, countries -> countri' \
    explained -n 1 stations countries <<EOF
query: AND(TERM(stations), TERM(countries))
  word   stations -> station (from stations): 1 passages
  word   countries -> countri (from countries): 12 passages
EOF
t '--explain: a prefix lists the words it expands to' \
    explained -n 1 'informatiz*' <<EOF
query: PREFIX(informatiz*)
  prefix informatiz* -> 1 words: 1 passages
EOF

# Every match of a passage, whatever comes between: citations pass over
# the plain words before the next covered position unread, and take
# every other token (a compound, its parts, "U.S.", "3,000", a
# possessive) as it comes.
# (once broken: the part "earthquake" after the compound token
# "earthquake-related" was never reached, so its match went missing)
mkdir fq
printf '%s\n' 'An earthquake began; within minutes earthquake-related searches,' \
    "U.S. earthquake data, the earthquake's 3,000 reports, earthquake." \
    >fq/q.txt
bi -q -d fq.ix fq
t 'vimgrep: matches in and after compounds, joined tokens, possessives' \
    bs -d fq.ix --vimgrep earthquake <<EOF
fq/q.txt:1:4:An earthquake began; within minutes earthquake-related searches,
fq/q.txt:1:37:An earthquake began; within minutes earthquake-related searches,
fq/q.txt:2:6:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
fq/q.txt:2:27:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
fq/q.txt:2:55:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
EOF
t 'vimgrep: phrases after joined tokens, each word a match' \
    bs -d fq.ix --vimgrep '"earthquake data"' OR '"3,000 reports"' <<EOF
fq/q.txt:2:6:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
fq/q.txt:2:17:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
fq/q.txt:2:40:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
fq/q.txt:2:46:U.S. earthquake data, the earthquake's 3,000 reports, earthquake.
EOF

done_testing
