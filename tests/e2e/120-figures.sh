#!/bin/sh
# 120-figures: brief-search --figures lists the figures found when the
# text was indexed, one per line,
#   path:line:col: VALUE UNIT [qualifier] "text" — subject
# filtered by --unit, --min and --max, a keyword QUERY and -e, sorted by
# document or value, and as JSON objects.  The extractor's rules are the
# unit tests' and the gold file's business; here a representative set of
# figures is checked, and the options around them.  Columns were found
# by hand (cut -b COL-END on the line); byte offsets with head -N | wc -c.
. "$(dirname "$0")/lib.sh"
index_corpus

# The figures of lines 9, 13, 15, 17 and 43: counts, a year, sums in
# yuan with "close to" and "about", percentages with "more than", an
# ordinal without a subject, a span of years, a scale word, and a
# subject named before the number ("The number of 5G base stations has
# reached 3.38 million").
on_lines() {
    bs --figures | awk -F: -v want=" $* " 'index(want, " " $2 " ")'
}
t 'representative figures: value, unit, qualifier, text, subject' \
    on_lines 9 13 15 17 43 <<EOF
$F:9:112: 41 count "41" — major categories
$F:9:136: 666 count "666" — sub-categories
$F:13:6: 2023 year "2023"
$F:13:63: 40000000000000 CNY about "close to 40 trillion yuan" — total industrial added value
$F:13:90: 39900000000000 CNY about "about 39.9 trillion yuan" — total industrial added value
$F:13:131: 31.7 percent "31.7%" — GDP
$F:15:53: 30 percent over "more than 30%" — world's total
$F:15:97: 1 rank "first"
$F:15:120: 14 years "14 consecutive years"
$F:17:157: 3380000 count "3.38 million" — 5G base stations
$F:43:13: 50000000 count over "more than 50 million" — small and medium-sized enterprises
EOF

# Every figure, against the file: its text is the bytes at [byte_start,
# byte_end), and line and column agree with byte_start.  Prints the
# disagreements, then how many figures were checked.
figures_agree() {
    bs --figures --json "$@" | jq -r 'select(.type == "figure") |
        [.byte_start, .byte_end, .line, .column, .text] | @tsv' |
    LC_ALL=C awk -F '\t' -v file="$F" '
        BEGIN { while ((getline s < file) > 0) { n++; at[n] = pos; text[n] = s; pos += length(s) + 1 } }
        function lc(b,   l) { for (l = n; l > 1 && at[l] > b; l--) ; return l ":" b - at[l] + 1 }
        {
            m++
            if (lc($1) != $3 ":" $4) print "byte " $1 ": " $3 ":" $4 ", not " lc($1)
            split(lc($1), p, ":")
            if (substr(text[p[1]], p[2], $2 - $1) != $5) print "byte " $1 ": not " $5
        }
        END { print (m > 20 ? "more than 20" : m + 0) " figures" }'
}
t 'every figure agrees with the file' figures_agree <<EOF
more than 20 figures
EOF

# --unit: a canonical name or a synonym.
t '--unit yuan' bs --figures --unit yuan <<EOF
$F:13:63: 40000000000000 CNY about "close to 40 trillion yuan" — total industrial added value
$F:13:90: 39900000000000 CNY about "about 39.9 trillion yuan" — total industrial added value
EOF
cite() { bs "$@" | cut -d: -f1-3; }
t '--unit CNY: the same' cite --figures --unit CNY <<EOF
$F:13:63
$F:13:90
EOF
t '--unit RMB: the same' cite --figures --unit RMB <<EOF
$F:13:63
$F:13:90
EOF
t '--unit %' bs --figures --unit % <<EOF
$F:11:52: 40 percent over "more than 40%" — product output
$F:13:131: 31.7 percent "31.7%" — GDP
$F:15:53: 30 percent over "more than 30%" — world's total
EOF
t '--unit percent: the same' cite --figures --unit percent <<EOF
$F:11:52
$F:13:131
$F:15:53
EOF
t '--unit years (spans) is not --unit year (calendar years)' \
    cite --figures --unit years <<EOF
$F:15:120
$F:51:680
EOF
t '--unit year' cite --figures --unit year <<EOF
$F:13:6
EOF
t '--unit dollars: none in the briefing' bs --figures --unit dollars <<EOF
exit 1
EOF

# --min and --max (both inclusive) in every notation.
t '--min 1e6' bs --figures --min 1e6 <<EOF
$F:13:63: 40000000000000 CNY about "close to 40 trillion yuan" — total industrial added value
$F:13:90: 39900000000000 CNY about "about 39.9 trillion yuan" — total industrial added value
$F:17:157: 3380000 count "3.38 million" — 5G base stations
$F:43:13: 50000000 count over "more than 50 million" — small and medium-sized enterprises
EOF
t '--min 465,000 (inclusive)' cite --figures --min 465,000 <<EOF
$F:13:63
$F:13:90
$F:17:157
$F:31:41
$F:43:13
EOF
t "--min 465,000 --max '3.38 million' (both inclusive)" \
    bs --figures --min 465,000 --max '3.38 million' <<EOF
$F:17:157: 3380000 count "3.38 million" — 5G base stations
$F:31:41: 465000 count "465,000" — national high-tech enterprises
EOF
t "--min '40 trillion': 39.9 trillion is below" \
    cite --figures --min '40 trillion' <<EOF
$F:13:63
EOF
t "--max '40 trillion' --unit yuan" \
    cite --figures --max '40 trillion' --unit yuan <<EOF
$F:13:63
$F:13:90
EOF
t '--min 30%: the % sets the unit' cite --figures --min 30% <<EOF
$F:11:52
$F:13:131
$F:15:53
EOF
t '--max 30%' cite --figures --max 30% <<EOF
$F:15:53
EOF
t '--min 1e20: nothing, exit 1' bs --figures --min 1e20 <<EOF
exit 1
EOF

# --sort value: ascending; equal values in document order.
t '--sort value' cite --figures --min 1e6 --sort value <<EOF
$F:17:157
$F:43:13
$F:13:90
$F:13:63
EOF
t '--sort value: ties in document order' \
    bs --figures --unit rank --sort value <<EOF
$F:11:104: 1 rank "first" — product output
$F:15:97: 1 rank "first"
$F:3:19: 2 rank "second" — Ministerial Channel
$F:3:55: 2 rank "second" — session
$F:3:77: 14 rank "14th" — National People's Congress
$F:1:41: 18 rank "18th" — National Congress
EOF
t '--sort doc is the default' cite --figures --unit rank --sort doc <<EOF
$F:1:41
$F:3:19
$F:3:55
$F:3:77
$F:11:104
$F:15:97
EOF
t '-n 2: the first two' cite --figures --unit rank --sort value -n 2 <<EOF
$F:11:104
$F:15:97
EOF

# A QUERY keeps the figures of the passages that match it.
t '--figures GDP: the figures of line 13' cite --figures GDP <<EOF
$F:13:6
$F:13:63
$F:13:90
$F:13:131
EOF
t '--figures --unit percent GDP' bs --figures --unit percent GDP <<EOF
$F:13:131: 31.7 percent "31.7%" — GDP
EOF
t "--figures 'gigabit OR consecutive': lines 15, 17 and 51" \
    cite --figures 'gigabit OR consecutive' <<EOF
$F:15:53
$F:15:97
$F:15:120
$F:17:157
$F:51:585
$F:51:680
EOF
t '--figures zebra: nothing printed, exit 1' bs --figures zebra <<EOF
exit 1
EOF
t '... nor with --json' bs --json --figures zebra <<EOF
exit 1
EOF

# -e keeps the figures whose text or subject a pattern matches.
t '-e on the subject: enterprises' cite --figures -e enterprises <<EOF
$F:31:41
$F:43:13
$F:47:63
$F:51:585
EOF
t '-e on the text: ^about' bs --figures -e '^about' <<EOF
$F:13:90: 39900000000000 CNY about "about 39.9 trillion yuan" — total industrial added value
$F:63:40: 100 count about "about 100" — special industry clusters
EOF
t '-i -e FIRST' cite --figures -i -e FIRST <<EOF
$F:11:104
$F:15:97
EOF
t 'two -e: either' cite --figures -e million -e % <<EOF
$F:11:52
$F:13:131
$F:15:53
$F:17:157
$F:43:13
EOF
t '-e with --unit and a QUERY' cite --figures --unit CNY -e '^close' GDP <<EOF
$F:13:63
EOF
# "industr" is in three subjects, never as a whole word.
t '-w -e industr: no whole word' bs --figures -w -e industr <<EOF
exit 1
EOF
t 'a bad -e' bs --figures -e '(' <<EOF
stderr: brief-search: regex:1:2: missing closing parenthesis
exit 2
EOF
t 'a bad second -e is named as in regex search' \
    bs --figures -e a -e '(' <<EOF
stderr: brief-search: regex 2:1:2: missing closing parenthesis
exit 2
EOF

# JSON: one figure object per line, then the summary.  "close to 40
# trillion yuan" is at bytes [1115, 1140) (line 13 starts at 1053,
# head -12 | wc -c) in the passage [1053, 1196).
keys() { bs --figures --json "$@" | jq -c 'keys_unsorted'; }
t 'JSON: the fields of a figure, then the summary' keys -n 1 <<EOF
["type","path","line","column","column_char","column_utf16","end_line","end_column","end_column_char","end_column_utf16","byte_start","byte_end","value","unit","qualifier","subject","text","stale","passage"]
["type","hits","matched","elapsed_us"]
EOF
fields() {
    bs --figures --json "$@" | jq -c 'select(.type == "figure") |
        [.path, .line, .column, .end_column, .byte_start, .byte_end,
         .value, .unit, .qualifier, .subject, .text, .stale,
         .passage.line_start, .passage.byte_start, .passage.byte_end]'
}
t 'JSON: the figures in yuan' fields --unit yuan <<EOF
["$F",13,63,88,1115,1140,40000000000000,"CNY","about","total industrial added value","close to 40 trillion yuan",false,13,1053,1196]
["$F",13,90,114,1142,1166,39900000000000,"CNY","about","total industrial added value","about 39.9 trillion yuan",false,13,1053,1196]
EOF
t 'JSON: no qualifier, no subject: null' fields --unit rank --max 1 <<EOF
["$F",11,104,109,1032,1037,1,"rank",null,"product output","first",false,11,929,1051]
["$F",15,97,102,1294,1299,1,"rank",null,null,"first",false,15,1198,1338]
EOF
# jq reads 31.699999999999999 back as 31.7; the text as printed must be
# the shortest form that does.
raw_value() { bs --figures --json "$@" | grep -o '"value":[^,]*'; }
t 'JSON: 31.7 is written 31.7' raw_value --unit percent GDP <<EOF
"value":31.7
EOF
passage_text() {
    bs --figures --json --unit percent GDP | jq -r 'select(.type == "figure") |
        .passage.text'
}
t '... and its text' passage_text <<EOF
$(sed -n 13p "$F")
EOF
summary() {
    bs --figures --json "$@" | jq -c 'select(.type == "summary") |
        [.hits, .matched]'
}
t 'JSON summary: the figures printed' summary --unit percent <<EOF
[3,3]
EOF

# Bad bounds: a message, exit 2, nothing on stdout.
t "--min x" bs --figures --min x <<EOF
stderr: brief-search: --min: cannot read 'x' as an amount (e.g. 1e6, 465,000, 3.38 million, 30%)
exit 2
EOF
t "--max lots" bs --figures --max lots <<EOF
stderr: brief-search: --max: cannot read 'lots' as an amount (e.g. 1e6, 465,000, 3.38 million, 30%)
exit 2
EOF
t '--unit bogus' bs --figures --unit bogus <<EOF
stderr: brief-search: --unit: 'bogus' is not a unit (try percent, CNY, yuan, USD, year, count)
exit 2
EOF
t '--unit yuan --min 30%: two units' bs --figures --unit yuan --min 30% <<EOF
stderr: brief-search: --min 30% is in percent, not CNY
exit 2
EOF
t '--sort size' bs --figures --sort size <<EOF
stderr: brief-search: --sort takes doc or value, not 'size'
exit 2
EOF

# Dollars, a range, and re-indexing an edited file.  "$3.8bn" starts at
# column 17, "15 to 20 dollars" at 13 and "12 dollars" at 44 (12 + 16 +
# 6 + 9 bytes before it).
mkdir d
printf 'The fund raised $3.8bn last year.\n\nDonors gave 15 to 20 dollars each, up from 12 dollars.\n' \
    >d/fund.txt
bi -q -d d.ix d
t '--unit dollars' bs -d d.ix --figures --unit dollars <<EOF
d/fund.txt:1:17: 3800000000 USD "\$3.8bn"
d/fund.txt:3:13: 15..20 USD "15 to 20 dollars"
d/fund.txt:3:44: 12 USD "12 dollars"
EOF
t "--unit '\$' --sort value: a range sorts by its low end" \
    cite -d d.ix --figures --unit '$' --sort value <<EOF
d/fund.txt:3:44
d/fund.txt:3:13
d/fund.txt:1:17
EOF
t '--min 3.8bn --max 3.8bn' cite -d d.ix --figures --min 3.8bn --max 3.8bn <<EOF
d/fund.txt:1:17
EOF
range() {
    bs --figures --json "$@" | jq -c 'select(.value_high) |
        [keys_unsorted[12:15], .value, .value_high, .unit]'
}
t 'JSON: a range has value_high after value' range -d d.ix <<EOF
[["value","value_high","unit"],15,20,"USD"]
EOF

printf 'The fund raised $4.1bn last year.\n\nDonors gave 25 dollars each.\n' \
    >d/fund.txt
t 're-indexing the edited file' bi -d d.ix d <<EOF
added 0, updated 1, removed 0, unchanged 0
EOF
t '... its old figures are gone, the new ones found' \
    bs -d d.ix --figures <<EOF
d/fund.txt:1:17: 4100000000 USD "\$4.1bn"
d/fund.txt:3:13: 25 USD "25 dollars"
EOF
t '... 3.8bn is not in the value index any more' \
    bs -d d.ix --figures --min 3.8bn --max 3.8bn <<EOF
exit 1
EOF
t '... nor 12 dollars' bs -d d.ix --figures --unit USD --max 20 <<EOF
exit 1
EOF
t '... nor for fig:' bs -d d.ix 'fig:=3.8bn' <<EOF
exit 1
EOF
rm d/fund.txt
t 're-indexing after the file is deleted' bi -d d.ix d <<EOF
added 0, updated 0, removed 1, unchanged 0
EOF
t '... no figures at all' bs -d d.ix --figures <<EOF
exit 1
EOF

done_testing
