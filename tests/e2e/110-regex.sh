#!/bin/sh
# 110-regex: brief-search -e runs PCRE2 over the stored text like grep:
# line by line, every match, in document and line order, cited
# path:line:col with byte columns.  Every citation below was found by
# hand on the file, e.g. with
#   perl -ne 'while (/PATTERN/g) { print "$.:", $-[0] + 1, "\n" }' FILE
# (bytes, not characters) or head -N FILE | wc -c for byte offsets; none
# was copied from the program's output.
. "$(dirname "$0")/lib.sh"
index_corpus

# The text format prints each line with a match once, cited at its first
# match, followed by the whole line as it is in the file.
t 'a literal: the line, cited at its first match' bs -e Gigabit <<EOF
$F:17:195:$(sed -n 17p "$F")
EOF
t 'a literal twice on a line: one hit, at the first' cites -e trillion <<EOF
$F:13:75
EOF
t '... --vimgrep: one line per match, each with its whole line' \
    bs --vimgrep -e 'trillion yuan' <<EOF
$F:13:75:$(sed -n 13p "$F")
$F:13:101:$(sed -n 13p "$F")
EOF
t 'a class and a count: digits with a thousands separator' \
    cites --vimgrep -e '[0-9]+,[0-9]{3}' <<EOF
$F:31:41
$F:47:63
$F:47:145
$F:51:595
EOF
t 'case matters without -i' bs -e TRILLION <<EOF
exit 1
EOF
t '-i: caseless' cites --vimgrep -i -e TRILLION <<EOF
$F:13:75
$F:13:101
EOF

# "special" is also inside "specialized" (13 matches in all); -w keeps
# the four whole words.
count() { bs "$@" | wc -l | tr -d ' '; }
t 'without -w: special inside specialized too' \
    count --vimgrep -e special <<EOF
13
EOF
t '-w: whole words only' cites --vimgrep -w -e special <<EOF
$F:7:115
$F:47:84
$F:47:169
$F:63:50
EOF
t '-w -e industr: never a whole word' bs -w -e industr <<EOF
exit 1
EOF

# Several -e: a line matches when any does; matches come in text order,
# whatever the order of the patterns.
t 'two -e: trillion or million' \
    cites --vimgrep -e million -e trillion <<EOF
$F:13:75
$F:13:101
$F:17:162
$F:43:26
EOF
t '... the text format: one hit per line' cites -e million -e trillion <<EOF
$F:13:75
$F:17:162
$F:43:26
EOF

# ^ and $ match at the start and end of every line.  Line 5 holds a
# three-byte U+2019, so its columns (bytes) run two ahead of characters.
t '^: at line starts' cites --vimgrep -e '^Promot' <<EOF
$F:19:1
$F:45:1
EOF
t '^GDP: GDP never starts a line' bs -e '^GDP' <<EOF
exit 1
EOF
t '$: at line ends (byte columns after a U+2019)' \
    cites --vimgrep -e 'ization$' <<EOF
$F:5:56
$F:19:58
EOF
columns() {
    bs --json "$@" | jq -c 'select(.type == "hit") | .matches[] |
        [.line, .column, .column_char, .column_utf16, .end_column,
         .end_column_char, .end_column_utf16]'
}
t '... JSON: on line 5 character and UTF-16 columns are two less' \
    columns -e 'ization$' <<EOF
[5,56,54,54,63,61,61]
[19,58,58,58,65,65,65]
EOF
t 'GDP;$ ends line 13' cites -e 'GDP;$' <<EOF
$F:13:140
EOF
t 'a UTF-8 pattern: country’s' cites -e 'country’s' <<EOF
$F:5:30
EOF

# Line 13 ends "GDP;", a blank line follows, and line 15 starts "  Our".
# GDP; is at byte 1192 (line 13 starts at 1053: head -12 | wc -c), line
# 15 starts at 1198.  Without -U no match contains a line break.
t 'no match across a line break without -U' bs -e 'GDP;\s+Our' <<EOF
exit 1
EOF
t '... nor a pattern for the line break itself' bs -e 'GDP;\n' <<EOF
exit 1
EOF
t '-U: the match may cross it' cites -U -e 'GDP;\s+Our' <<EOF
$F:13:140
EOF
spans() {
    bs --json "$@" | jq -c 'select(.type == "hit") | .matches[] |
        [.line, .column, .end_line, .end_column, .byte_start, .byte_end,
         .text]'
}
t '... and ends on line 15 (JSON)' spans -U -e 'GDP;\s+Our' <<EOF
[13,140,15,6,1192,1203,"GDP;\n\n  Our"]
EOF
# [^a]* would run on to the "a" of "manufacturing" (byte 1215) if it
# could cross lines; without -U it stops at the end of line 13.
t '[^a]* stops at the line end without -U' spans -e 'GDP[^a]*' <<EOF
[13,140,13,144,1192,1196,"GDP;"]
EOF
t '... and runs on with -U' spans -U -e 'GDP[^a]*' <<EOF
[13,140,15,18,1192,1215,"GDP;\n\n  Our country's m"]
EOF

# --passage: one hit per passage, printed whole.  Line 35 is one
# paragraph cut into two passages: bytes [3715, 4364) and [4365, 4615)
# (the line starts at 3715, head -34 | wc -c; the second passage at
# "One is", column 651).  industr\w* matches six times on it.
where() {
    bs --json "$@" | jq -c 'select(.type == "hit" and .line == 35) |
        [.line, .column, .passage.byte_start, .passage.byte_end,
         [.matches[].column]]'
}
t 'by line: line 35 is one hit with six matches' where -e 'industr\w*' <<EOF
[35,138,3715,4364,[138,307,367,641,717,882]]
EOF
t '--passage: two hits, one per passage' \
    where --passage -e 'industr\w*' <<EOF
[35,138,3715,4364,[138,307,367,641]]
[35,717,4365,4615,[717,882]]
EOF
t '--passage prints the passage, not the line' bs --passage -e classify <<EOF
$F:35:744:$(tail -c +4366 "$F" | head -c 250)
EOF

# -n N limits the MATCHES (default: all).  5G is at 17:128, 17:234 and
# four times on line 35 (158, 339, 436, 467).
t 'all six 5G by default' cites --vimgrep -e 5G <<EOF
$F:17:128
$F:17:234
$F:35:158
$F:35:339
$F:35:436
$F:35:467
EOF
t '-n 3: three matches' cites --vimgrep -n 3 -e 5G <<EOF
$F:17:128
$F:17:234
$F:35:158
EOF
per_hit() {
    bs --json "$@" | jq -c 'if .type == "hit" then [.line, [.matches[].column]]
                            else [.type, .hits] end'
}
t '-n 3 in hits: line 17 with two matches, line 35 with one' \
    per_hit -n 3 -e 5G <<EOF
[17,[128,234]]
[35,[158]]
["summary",2]
EOF
t '-n 5 --passage: the passage of line 35 gets three' \
    per_hit -n 5 --passage -e 5G <<EOF
[17,[128,234]]
[35,[158,339,436]]
["summary",2]
EOF

# --json: hit objects like keyword hits (score 0) with every match of the
# line; "40 trillion" is at byte 1124 (1053 + 71), "39.9 trillion" at
# 1148.
keys() { bs --json "$@" | jq -c 'keys_unsorted'; }
t 'JSON: the fields of a regex hit' keys -e Gigabit <<EOF
["type","path","line","column","column_char","column_utf16","end_line","end_column","end_column_char","end_column_utf16","byte_start","byte_end","score","stale","passage","matches"]
["type","hits","matched","elapsed_us"]
EOF
hit() {
    bs --json "$@" | jq -c 'select(.type == "hit") | [.line, .column,
        .byte_start, .byte_end, .score, .passage.line_start,
        .passage.line_end, .passage.byte_start, .passage.byte_end]'
}
t 'JSON: a hit with its passage' hit -e '[0-9.]+ trillion' <<EOF
[13,72,1124,1135,0,13,13,1053,1196]
EOF
t '... the matches' spans -e '[0-9.]+ trillion' <<EOF
[13,72,13,83,1124,1135,"40 trillion"]
[13,96,13,109,1148,1161,"39.9 trillion"]
EOF
summary() {
    bs --json "$@" | jq -c 'select(.type == "summary") | [.hits, .matched]'
}
t '... the summary counts the lines hit' summary -e 5G <<EOF
[2,2]
EOF

# Every match of a broad pattern, against the file itself: the bytes at
# [byte_start, byte_end) are the match text, and line, column, end_line
# and end_column agree with the offsets.  Prints the disagreements.
matches_agree() {
    bs --json "$@" | jq -r 'select(.type == "hit") | .matches[] |
        [.byte_start, .byte_end, .line, .column, .end_line, .end_column,
         .text] | @tsv' |
    LC_ALL=C awk -F '\t' -v file="$F" '
        BEGIN { while ((getline s < file) > 0) { n++; at[n] = pos; text[n] = s; pos += length(s) + 1 } }
        function lc(b,   l) { for (l = n; l > 1 && at[l] > b; l--) ; return l ":" b - at[l] + 1 }
        {
            m++
            if (lc($1) != $3 ":" $4) print "byte " $1 ": " $3 ":" $4 ", not " lc($1)
            if (lc($2) != $5 ":" $6) print "byte " $2 ": end " $5 ":" $6 ", not " lc($2)
            split(lc($1), p, ":")
            if (substr(text[p[1]], p[2], $2 - $1) != $7) print "byte " $1 ": not " $7
        }
        END { print m " matches" }'
}
# 379 words of 7+ letters, as grep -o counts them.
t 'every match agrees with the file (words of 7+ letters)' \
    matches_agree -e '\b[A-Za-z]{7,}\b' <<EOF
$(grep -o '[[:alpha:]]\{7,\}' "$F" | wc -l | tr -d ' ') matches
EOF

# Keywords restrict the scan to the passages that match them.
t "-e '[0-9.]+ trillion' GDP" cites -e '[0-9.]+ trillion' GDP <<EOF
$F:13:72
EOF
t '... in another passage: nothing' bs -e '[0-9.]+ trillion' gigabit <<EOF
exit 1
EOF
t '-e 5G stations: only line 17 has stations' \
    cites --vimgrep -e 5G stations <<EOF
$F:17:128
$F:17:234
EOF
t '-e with a bad query: the query error' bs -e 5G '(stations' <<EOF
stderr: brief-search: query:1:1: unbalanced parenthesis
exit 2
EOF
# The first passage of line 35 ends mid-line after "industry." (byte
# 4364); $ must still mean the end of a line, and line 35 goes on.
t '$ with keywords: a passage end is not a line end' \
    bs -e 'industry\.$' 5G <<EOF
exit 1
EOF
t '... ^ with keywords: a passage start is not a line start' \
    bs -e '^One is' classify <<EOF
exit 1
EOF

# Document order is the byte order of the paths, whatever order they
# were indexed in (m.txt first, then the others), then line order.
mkdir x x/z
printf 'one fig\n' >x/m.txt
bi -q -d x.ix x
printf 'fig\n\nno\nfig fig\n' >x/a.txt
printf 'fig\n' >x/z/b.txt
printf 'Fig\nfig\n' >x/B.txt
bi -q -d x.ix x
t 'several files: path order, then line order' \
    cites -d x.ix --vimgrep -i -e fig <<EOF
x/B.txt:1:1
x/B.txt:2:1
x/a.txt:1:1
x/a.txt:4:1
x/a.txt:4:5
x/m.txt:1:5
x/z/b.txt:1:1
EOF
t '... -n 4 stops inside x/a.txt' cites -d x.ix --vimgrep -i -n 4 -e fig <<EOF
x/B.txt:1:1
x/B.txt:2:1
x/a.txt:1:1
x/a.txt:4:1
EOF

# A bad pattern: PCRE2's message and the 1-based byte in the pattern
# where PCRE2 stopped (for "(" its end, offset 1), exit 2, nothing on
# stdout.
t 'bad pattern: (' bs -e '(' <<EOF
stderr: brief-search: regex:1:2: missing closing parenthesis
exit 2
EOF
t 'bad pattern: a{2,1} (at the })' bs -e 'a{2,1}' <<EOF
stderr: brief-search: regex:1:6: numbers out of order in {} quantifier
exit 2
EOF
t 'the second of two patterns is named' bs -e gdp -e '[z' <<EOF
stderr: brief-search: regex 2:1:3: missing terminating ] for character class
exit 2
EOF

# Catastrophic backtracking: (a+)+$ on 5000 a's and a b.  PCRE2's limits
# stop it in y/b-bad.txt, whose match before the runaway line is printed
# and whose rest (the banana on line 3) is skipped; the other files are
# searched, the file is named on stderr, exit 2.
mkdir y
printf 'banana\n' >y/a-ok.txt
{ printf 'papaya\n'; head -c 5000 /dev/zero | tr '\0' a; printf 'b\nbanana\n'; } \
    >y/b-bad.txt
printf 'one\ncassava\n' >y/c-ok.txt
bi -q -d y.ix y
start=$(date +%s)
t 'a runaway pattern: stopped in one file, the others searched, exit 2' \
    bs -d y.ix --vimgrep -e '(a+)+$' <<EOF
y/a-ok.txt:1:6:banana
y/b-bad.txt:1:6:papaya
y/c-ok.txt:2:7:cassava
stderr: brief-search: y/b-bad.txt: regex match limit exceeded, rest of the file skipped
exit 2
EOF
check '... in under 5 seconds' yes \
    "$([ $(($(date +%s) - start)) -lt 5 ] && echo yes)"
paths() { bs --json "$@" 2>/dev/null | jq -r '.path // .type'; }
t '... JSON: the three hits and the summary, all valid JSON' \
    paths -d y.ix -e '(a+)+$' <<EOF
y/a-ok.txt
y/b-bad.txt
y/c-ok.txt
summary
EOF

done_testing
