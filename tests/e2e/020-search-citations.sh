#!/bin/sh
# 020-search-citations: plain-word queries over the briefing, cited
# exactly as path:line:col.  The column is the 1-based byte column of the
# first match in the passage, on its line.  Every expectation below was
# found by hand (grep -n, and awk index() under LC_ALL=C), and every
# order of several hits was recomputed with BM25 (k1 1.2, b 0.75) over
# the passages outside the program.
. "$(dirname "$0")/lib.sh"
index_corpus

# Words are stemmed: "stations" and "station" find each other.
t 'the README example: 5G base stations' cites 5G base stations <<EOF
$F:17:128
EOF
t 'stations' cites stations <<EOF
$F:17:136
EOF
t 'station (singular) finds "stations"' cites station <<EOF
$F:17:136
EOF
t 'several QUERY arguments are joined with spaces' cites 'trillion' yuan <<EOF
$F:13:75
EOF

# Case does not matter in words.
t 'STATIONS' cites STATIONS <<EOF
$F:17:136
EOF
t 'GiGaBiT' cites GiGaBiT <<EOF
$F:17:195
EOF

# Both apostrophes: "country's" (line 1) and "country’s" (line 5) are
# both the word country.
t "country's: the first three of the 12 passages" cites -n 3 "country's" <<EOF
$F:5:30
$F:11:73
$F:15:7
EOF
t 'country’s (curly apostrophe) finds the same' cites -n 3 'country’s' <<EOF
$F:5:30
$F:11:73
$F:15:7
EOF
t 'country’s finds a straight apostrophe (line 1)' cites 'country’s congress' <<EOF
$F:1:55
EOF
t "country's finds a curly apostrophe (line 5)" cites "country's look" <<EOF
$F:5:19
EOF
t 'default -n is 10 of the 12 passages with country' cites country <<EOF
$F:5:30
$F:11:73
$F:15:7
$F:9:7
$F:13:16
$F:7:139
$F:47:40
$F:43:76
$F:21:32
$F:31:5
EOF

# Hyphenated words are found whole and by each part.
t 'sub-categories' cites sub-categories <<EOF
$F:9:140
EOF
t 'sub (first part of sub-categories)' cites sub <<EOF
$F:9:140
EOF
t 'categories: the first match is the plain word at col 42' cites categories <<EOF
$F:9:42
EOF
t 'high-tech' cites high-tech <<EOF
$F:31:21
EOF
t 'tech (second part of high-tech)' cites tech <<EOF
$F:31:26
EOF
t 'high: high-tech, then high-quality twice' cites high <<EOF
$F:31:21
$F:25:134
$F:51:59
EOF
t 'Made-in-China' cites Made-in-China <<EOF
$F:27:279
EOF

# Numbers: separators removed, decimals kept, 5G one token.
t '465,000' cites 465,000 <<EOF
$F:31:41
EOF
t '465000 finds "465,000"' cites 465000 <<EOF
$F:31:41
EOF
t '124000 finds "124,000"' cites 124000 <<EOF
$F:47:63
EOF
t '3.38' cites 3.38 <<EOF
$F:17:157
EOF
t '31.7 (written "31.7%")' cites 31.7 <<EOF
$F:13:131
EOF
t '40 finds "40%" and "40 trillion", not "40,000"' cites 40 <<EOF
$F:11:62
$F:13:72
EOF
t '5g: two passages, both "5G"' cites 5g <<EOF
$F:17:128
$F:35:158
EOF

done_testing
