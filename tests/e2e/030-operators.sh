#!/bin/sh
# 030-operators: AND, OR, NOT and -, parentheses, "phrases", prefix*,
# NEAR/k and path:GLOB over the briefing, cited exactly (verified by
# hand as in 020).  Operators are upper case only.
. "$(dirname "$0")/lib.sh"
index_corpus

t 'GDP AND yuan: the first match is yuan' cites GDP AND yuan <<EOF
$F:13:84
EOF
t 'lower-case "and" is a word (absent from line 13)' cites yuan and GDP <<EOF
exit 1
EOF

# gigabit (BM25 2.87, in a 42-word passage) outranks aircraft (2.17, in
# a longer one); with turbines required as well line 27 scores twice
# 2.17 and comes first.
t 'gigabit OR aircraft' cites gigabit OR aircraft <<EOF
$F:17:195
$F:27:362
EOF
t 'OR binds looser than AND: gigabit OR (aircraft turbines)' \
    cites gigabit OR aircraft turbines <<EOF
$F:27:362
$F:17:195
EOF
t '(gigabit OR aircraft) world: the first match is world' \
    cites '(gigabit OR aircraft) world' <<EOF
$F:17:29
EOF
t '(gigabit OR aircraft) -cruise drops line 27' \
    cites '(gigabit OR aircraft) -cruise' <<EOF
$F:17:195
EOF

# country is in 12 passages, three of them (11, 15, 17) with world.
t 'country NOT world' cites country NOT world <<EOF
$F:5:30
$F:9:7
$F:13:16
$F:7:139
$F:47:40
$F:43:76
$F:21:32
$F:31:5
$F:1:100
EOF
t 'country -world is the same' cites country -world <<EOF
$F:5:30
$F:9:7
$F:13:16
$F:7:139
$F:47:40
$F:43:76
$F:21:32
$F:31:5
$F:1:100
EOF
t 'world -country: every world is beside a country' cites world -country <<EOF
exit 1
EOF
t '-- ends the options: a query may start with -' \
    cites -n 2 -- country -world <<EOF
$F:5:30
$F:9:7
EOF

# Phrases: consecutive positions, stemmed words.
t '"base stations"' cites '"base stations"' <<EOF
$F:17:131
EOF
t '"base station" (stemmed)' cites '"base station"' <<EOF
$F:17:131
EOF
t '"stations base" (wrong order)' cites '"stations base"' <<EOF
exit 1
EOF
t '"high-tech enterprises"' cites '"high-tech enterprises"' <<EOF
$F:31:58
EOF
t '"high quality" finds high-quality' cites '"high quality"' <<EOF
$F:25:134
$F:51:59
EOF
t '"made in china" finds Made-in-China' cites '"made in china"' <<EOF
$F:27:279
EOF
t "\"country's new industrialization\" on lines 5, 7, 1" \
    cites "\"country's new industrialization\"" <<EOF
$F:5:30
$F:7:139
$F:1:100
EOF
t '"medium-sized enterprise development"' \
    cites '"medium-sized enterprise development"' <<EOF
$F:59:36
EOF

# Prefixes match words as written: industrialization stems to industri,
# so a prefix of the stem would miss it.  Line 35 is one paragraph of 900
# bytes cut into two passages; the second starts at byte 650 of the line
# ("One is to promote"), and "industrialization" is at column 882.
# (once broken: column counted from the passage start, not the line start)
t 'industrializ*: eight passages' cites 'industrializ*' <<EOF
$F:19:48
$F:5:46
$F:33:73
$F:37:62
$F:7:153
$F:35:882
$F:31:181
$F:1:114
EOF
t 'informatiz*' cites 'informatiz*' <<EOF
$F:33:53
EOF
t 'GIGAB* (a prefix is case-insensitive)' cites 'GIGAB*' <<EOF
$F:17:195
EOF
t 'immigra*: no such word' cites 'immigra*' <<EOF
exit 1
EOF

# NEAR/k: at most k words between the two.  Line 13: "yuan, accounting
# for 31.7% of GDP" has 4 words between yuan and GDP.
t 'GDP NEAR/4 yuan' cites GDP NEAR/4 yuan <<EOF
$F:13:84
EOF
t 'GDP NEAR/3 yuan: too far' cites GDP NEAR/3 yuan <<EOF
exit 1
EOF
t 'yuan NEAR/4 GDP (either order)' cites yuan NEAR/4 GDP <<EOF
$F:13:84
EOF
t 'GDP NEAR yuan (default 10)' cites GDP NEAR yuan <<EOF
$F:13:84
EOF
t 'of NEAR/0 GDP: adjacent words' cites of NEAR/0 GDP <<EOF
$F:13:137
EOF
t '"5G base stations" NEAR/20 gigabit' \
    cites '"5G base stations" NEAR/20 gigabit' <<EOF
$F:17:128
EOF

# path:GLOB keeps documents whose path (as shown) matches.
t 'path:corpus/*.txt gigabit' cites path:corpus/*.txt gigabit <<EOF
$F:17:195
EOF
t 'path:*.md gigabit' cites 'path:*.md' gigabit <<EOF
exit 1
EOF
t 'path:*2024-03-08* 5G' cites 'path:*2024-03-08*' 5G <<EOF
$F:17:128
$F:35:158
EOF

done_testing
