#!/bin/sh
# 130-fig-re-operands: the query operands fig:BOUNDS (passages holding a
# figure in a unit and value range) and re:/PATTERN/ (passages the PCRE2
# pattern matches) compose with words, NOT, OR and NEAR; their errors
# carry the column of the operand; --explain shows each figure bound as
# read.  A hit is cited at its first match: for fig: the first word of
# the figure (columns found by hand with cut -b and grep -bo, as in 030;
# the figures themselves are listed in 120).
. "$(dirname "$0")/lib.sh"
index_corpus

# Rank order is 035's business: these lists are sorted by line.
by_line() { cites -n 50 "$@" | sort -t: -k2,2n; }

# Figures above 100000: 40 and 39.9 trillion yuan (13), 3.38 million
# (17), 465,000 (31), more than 50 million (43) and 124,000 (47); of
# those passages, 31, 43 and 47 say enterprises.
t 'enterprises fig:>100000' by_line 'enterprises fig:>100000' <<EOF
$F:31:41
$F:43:13
$F:47:63
EOF
t '... the same with AND' by_line 'enterprises AND fig:>100000' <<EOF
$F:31:41
$F:43:13
$F:47:63
EOF

# Line 13: "... about 39.9 trillion yuan, accounting for 31.7% of GDP":
# one word between 31.7% and GDP, four between the last yuan and GDP.
t 'GDP NEAR/8 fig:20..40%' cites 'GDP NEAR/8 fig:20..40%' <<EOF
$F:13:131
EOF
t 'GDP NEAR/1 fig:percent' cites 'GDP NEAR/1 fig:percent' <<EOF
$F:13:131
EOF
t 'GDP NEAR/0 fig:percent: "of" stands between' \
    cites 'GDP NEAR/0 fig:percent' <<EOF
exit 1
EOF
t 'GDP NEAR/8 fig:35..40%: 40% is on line 11, without GDP' \
    cites 'GDP NEAR/8 fig:35..40%' <<EOF
exit 1
EOF
t 'GDP NEAR/4 fig:yuan (cited at the first figure)' \
    cites 'GDP NEAR/4 fig:yuan' <<EOF
$F:13:63
EOF
t 'GDP NEAR/3 fig:yuan: too far' cites 'GDP NEAR/3 fig:yuan' <<EOF
exit 1
EOF
t 're:/trillion/ NEAR/0 fig:yuan' cites 're:/trillion/ NEAR/0 fig:yuan' <<EOF
$F:13:63
EOF

t 'fig:yuan' cites fig:yuan <<EOF
$F:13:63
EOF
t 'fig:RMB, fig:CNY, fig:Yuan: the same unit' \
    cites 'fig:RMB fig:CNY fig:Yuan' <<EOF
$F:13:63
EOF
t 'fig:yuan>1tn' cites 'fig:yuan>1tn' <<EOF
$F:13:63
EOF
t 'fig:yuan>40tn: none above 40 trillion' cites 'fig:yuan>40tn' <<EOF
exit 1
EOF
t 'fig:yuan>=40tn' cites 'fig:yuan>=40tn' <<EOF
$F:13:63
EOF
t 'fig:$: no dollars' cites 'fig:$' <<EOF
exit 1
EOF
t 'fig:yuan OR fig:%' by_line 'fig:yuan OR fig:%' <<EOF
$F:11:52
$F:13:63
$F:15:53
EOF
t 'fig:3.38mn (equal)' cites 'fig:3.38mn' <<EOF
$F:17:157
EOF
t 'fig:3.38million (equal)' cites 'fig:3.38million' <<EOF
$F:17:157
EOF
# 15 passages hold a figure (lines 1, 3, 5, 7, 9, 11, 13, 15, 17, 31,
# 33, 43, 47, 51 and 63); fig: alone matches every one.
count() { cites -n 100 "$@" | wc -l | tr -d ' '; }
t 'fig: (empty): every passage with a figure' count fig: <<EOF
15
EOF

# re:/PATTERN/.
t 'GDP re:/[0-9.]+ trillion/' cites 'GDP re:/[0-9.]+ trillion/' <<EOF
$F:13:72
EOF
t 're:/TRILLION/ (case matters)' cites 're:/TRILLION/' <<EOF
exit 1
EOF
t 're:/TRILLION/i' cites 're:/TRILLION/i' <<EOF
$F:13:75
EOF
t 're:/39.9 trillion/: white space inside the slashes' \
    cites 're:/39.9 trillion/' <<EOF
$F:13:96
EOF
t 'GDP -re:/trillion/' cites 'GDP -re:/trillion/' <<EOF
exit 1
EOF

# Slashes: "\/" is a slash in the pattern, "\\" a backslash.  "Speed:
# 30 " is 10 bytes.  (Check names spell the backslashes out: dash's echo
# would read them.)
mkdir s
printf 'Speed: 30 km/h on the A1/A2 road.\n' >s/speed.txt
bi -q -d s.ix s
t 're:/km(escaped slash)h/' cites -d s.ix 're:/km\/h/' <<EOF
s/speed.txt:1:11
EOF
t 're:/A1(escaped slash)A2 road/' cites -d s.ix 're:/A1\/A2 road/' <<EOF
s/speed.txt:1:23
EOF
t 're:/km(escaped backslash)/h/: the slash ends the pattern' \
    bs -d s.ix 're:/km\\/h/' <<EOF
stderr: brief-search: query:1:10: re:/PATTERN/ takes only the flag i
exit 2
EOF
t 're:/(escaped slash)/: cited at the first slash, column 13' \
    cites -d s.ix 're:/\//' <<EOF
s/speed.txt:1:13
EOF

# NOT with fig:.  enterprises is in the passages of lines 29, 31, 41,
# 43, 45, 47, 51, 53, 55, 57, 59, 61 and 63 (grep -n); count figures
# stand in 31, 43, 47, 51 and 63.
t 'enterprises NOT fig:>100000: ten passages' \
    by_line 'enterprises NOT fig:>100000' <<EOF
$F:29:83
$F:41:65
$F:45:80
$F:51:110
$F:53:130
$F:55:107
$F:57:120
$F:59:49
$F:61:144
$F:63:103
EOF
t 'enterprises -fig:count: eight' by_line 'enterprises -fig:count' <<EOF
$F:29:83
$F:41:65
$F:45:80
$F:53:130
$F:55:107
$F:57:120
$F:59:49
$F:61:144
EOF
t 'fig:percent -GDP' by_line 'fig:percent -GDP' <<EOF
$F:11:52
$F:15:53
EOF
t 'NOT fig:yuan alone: nothing to exclude from' bs 'NOT fig:yuan' <<EOF
stderr: brief-search: query:1:1: nothing to exclude from: add a word that must match
exit 2
EOF

# Errors: the message, and the column of the operand in the query.
t 'fig:bogus' bs fig:bogus <<EOF
stderr: brief-search: query:1:1: fig: 'bogus' is not a unit
exit 2
EOF
t 'GDP fig:bogus: column 5' bs GDP fig:bogus <<EOF
stderr: brief-search: query:1:5: fig: 'bogus' is not a unit
exit 2
EOF
t 'fig:>lots' bs 'fig:>lots' <<EOF
stderr: brief-search: query:1:1: fig: cannot read 'lots' as an amount
exit 2
EOF
t 'fig:yuan>5%: two units' bs 'fig:yuan>5%' <<EOF
stderr: brief-search: query:1:1: fig: names two units, CNY and percent
exit 2
EOF
t 'fig:..' bs 'fig:..' <<EOF
stderr: brief-search: query:1:1: fig: '..' needs an amount on one side
exit 2
EOF
t 'fig:5..1' bs 'fig:5..1' <<EOF
stderr: brief-search: query:1:1: fig: the range 5..1 is empty
exit 2
EOF
t 're:/a(/: PCRE2 message and the byte in the pattern' bs 're:/a(/' <<EOF
stderr: brief-search: query:1:1: re: missing closing parenthesis (at pattern byte 3)
exit 2
EOF
t 'GDP re:/a(/: column 5' bs GDP 're:/a(/' <<EOF
stderr: brief-search: query:1:5: re: missing closing parenthesis (at pattern byte 3)
exit 2
EOF
t 're:abc' bs re:abc <<EOF
stderr: brief-search: query:1:1: re: needs a pattern between slashes: re:/PATTERN/
exit 2
EOF
t 're:/x/q: the q' bs 're:/x/q' <<EOF
stderr: brief-search: query:1:7: re:/PATTERN/ takes only the flag i
exit 2
EOF
t 'GDP re:/x/iq: the q' bs 'GDP re:/x/iq' <<EOF
stderr: brief-search: query:1:12: re:/PATTERN/ takes only the flag i
exit 2
EOF
t 're:/abc: unterminated' bs 're:/abc' <<EOF
stderr: brief-search: query:1:1: unterminated re:/PATTERN/
exit 2
EOF
t 're://: empty' bs GDP 're://' <<EOF
stderr: brief-search: query:1:5: empty re:// pattern
exit 2
EOF
t 'fig: NEAR (a b): not a leaf' bs 'fig:yuan NEAR (a b)' <<EOF
stderr: brief-search: query:1:15: NEAR needs a word, prefix, phrase, fig: or re: on each side
exit 2
EOF

# A runaway re: is an error, not a hang.
mkdir y
{ head -c 5000 /dev/zero | tr '\0' a; printf 'b\n'; } >y/bad.txt
bi -q -d y.ix y
start=$(date +%s)
t 're:/(a+)+$/ on 5000 a and a b: the match limit' \
    bs -d y.ix 're:/(a+)+$/' <<EOF
stderr: brief-search: query:1:1: re:/(a+)+\$/ hit PCRE2's match limit
exit 2
EOF
check '... in under 5 seconds' yes \
    "$([ $(($(date +%s) - start)) -lt 5 ] && echo yes)"

# --explain: how each bound was read, as "UNIT in RANGE" with [ ] for
# included and ( ) for excluded ends, amounts in full.  Passages with a
# figure of at least 465,000: 13, 17, 31, 43; of at most 3.38 million:
# all 15 but 43 (only "more than 50 million"); of a million or more: 13,
# 17, 43.
explain() { bs --explain "$@" | grep '^  figure'; }
t '--explain fig:yuan>1tn' explain 'fig:yuan>1tn' <<EOF
  figure fig:yuan>1tn -> CNY in (1000000000000, inf): 1 passages
EOF
t '--explain fig:20..40%' explain 'GDP NEAR/8 fig:20..40%' <<EOF
  figure fig:20..40% -> percent in [20, 40]: 3 passages
EOF
t '--explain fig:>100000' explain 'enterprises fig:>100000' <<EOF
  figure fig:>100000 -> any unit in (100000, inf): 5 passages
EOF
t '--explain fig:>=465,000 fig:<=3.38mn' \
    explain 'fig:>=465,000 fig:<=3.38mn' <<EOF
  figure fig:>=465,000 -> any unit in [465000, inf): 4 passages
  figure fig:<=3.38mn -> any unit in (-inf, 3380000]: 14 passages
EOF
t '--explain fig:=465,000 and fig:465000: equal' \
    explain 'fig:=465,000 OR fig:465000' <<EOF
  figure fig:=465,000 -> any unit in [465000, 465000]: 1 passages
  figure fig:465000 -> any unit in [465000, 465000]: 1 passages
EOF
t '--explain fig:..30% fig:1e6..' explain 'fig:..30% OR fig:1e6..' <<EOF
  figure fig:..30% -> percent in (-inf, 30]: 1 passages
  figure fig:1e6.. -> any unit in [1000000, inf): 3 passages
EOF
t '--explain fig:RMB<2tn fig:rank<2' explain 'fig:RMB<2tn OR fig:rank<2' <<EOF
  figure fig:RMB<2tn -> CNY in (-inf, 2000000000000): 0 passages
  figure fig:rank<2 -> rank in (-inf, 2): 2 passages
EOF
t '--explain fig: and fig:$' explain 'fig: OR fig:$' <<EOF
  figure fig: -> any unit in (-inf, inf): 15 passages
  figure fig:$ -> USD in (-inf, inf): 0 passages
EOF
tree() { bs --explain "$@" | sed -n 1p; }
t '--explain: FIG and RE in the tree' \
    tree 'GDP NEAR/8 fig:20..40% re:/TRILLION/i' <<EOF
query: AND(NEAR/8(TERM(GDP), FIG(20..40%)), RE(/TRILLION/i))
EOF
relines() { bs --explain "$@" | grep '^  regex'; }
t '--explain: re: lines' relines 're:/TRILLION/i OR re:/GDP/' <<EOF
  regex  re:/TRILLION/i -> regex, caseless: 1 passages
  regex  re:/GDP/ -> regex: 1 passages
EOF

done_testing
