#!/bin/sh
# 035-ranking: BM25 over passages (k1 1.2, b 0.75), best first, ties in
# document order; -n N limits the hits.  A corpus small enough to score
# by hand:
#
#   rank/a.txt  1 apple pie is sweet                  (4 words)
#               3 apple apple and pie                 (4 words, apple twice)
#               5 one apple among many other words here   (7 words)
#               7 apple pie is sweet                  (same as line 1)
#   rank/b.txt  1 apple pie is sweet                  (same again)
#   rank/c.txt  1 pie without the fruit
#
# Six passages of 27 words: avgdl 4.5.  apple is in 5 of them:
# idf = ln(1 + (6-5+0.5)/(5+0.5)) = 0.241162, and
#   tf 2, 4 words: idf*2*2.2/(2 + 1.2*(0.25+0.75*4/4.5)) = 0.342295
#   tf 1, 4 words: idf*2.2/(1 + 1.1)                      = 0.252646
#   tf 1, 7 words: idf*2.2/(1 + 1.2*(0.25+0.75*7/4.5))    = 0.196502
# fruit is in 1: idf = ln(1 + 5.5/1.5) = 1.540445, score 1.6138.
. "$(dirname "$0")/lib.sh"

cd "$T"
mkdir rank
printf 'apple pie is sweet\n\napple apple and pie\n\none apple among many other words here\n\napple pie is sweet\n' >rank/a.txt
printf 'apple pie is sweet\n' >rank/b.txt
printf 'pie without the fruit\n' >rank/c.txt
bi -q rank

t 'apple: tf 2 first, then three ties in document order, longest last' \
    cites apple <<EOF
rank/a.txt:3:1
rank/a.txt:1:1
rank/a.txt:7:1
rank/b.txt:1:1
rank/a.txt:5:5
EOF

scores() { bs --json "$@" | jq -r 'select(.type == "hit") | "\(.path):\(.line) \(.score)"'; }
t 'apple: the BM25 scores computed by hand' scores apple <<EOF
rank/a.txt:3 0.342295
rank/a.txt:1 0.252646
rank/a.txt:7 0.252646
rank/b.txt:1 0.252646
rank/a.txt:5 0.196502
EOF

t 'apple OR fruit: the rare word ranks first' cites apple OR fruit <<EOF
rank/c.txt:1:17
rank/a.txt:3:1
rank/a.txt:1:1
rank/a.txt:7:1
rank/b.txt:1:1
rank/a.txt:5:5
EOF

t '-n 2' cites -n 2 apple <<EOF
rank/a.txt:3:1
rank/a.txt:1:1
EOF
t '-n 3 cuts between ties, keeping document order' cites -n 3 apple <<EOF
rank/a.txt:3:1
rank/a.txt:1:1
rank/a.txt:7:1
EOF
t '--max-count 1' cites --max-count 1 apple <<EOF
rank/a.txt:3:1
EOF
t '-n larger than the hits; pie ties five times: document order' \
    cites -n 100 pie <<EOF
rank/a.txt:1:7
rank/a.txt:3:17
rank/a.txt:7:7
rank/b.txt:1:7
rank/c.txt:1:1
EOF

# -v adds the score to the text format.
# (once broken: no space between the score and the passage text)
t '-v: the score after the citation' bs -v -n 1 apple <<EOF
rank/a.txt:3:1: (0.3423) apple apple and pie
EOF

done_testing
