#!/bin/sh
# 070-json: --json prints JSON Lines, one object per hit and a summary,
# every line valid JSON (checked with jq).  Lines and columns are
# 1-based, columns count bytes, end_column is just past the match; byte
# offsets are 0-based into the file, end exclusive.
. "$(dirname "$0")/lib.sh"
index_corpus

# Every field of one hit, checked by hand: line 17 starts at byte 1340
# (head -16 | wc -c) and is 293 bytes long; "5G" is at columns 128 and
# 234, "base" at 131, "stations" at 136.  Score: BM25 of 5g (tf 2), base
# and station over the 34 passages, as in 020.
t 'the README example as JSON' bs --json 5G base stations \
    <"$E/5g-base-stations.out"

types() { bs --json "$@" | jq -R -r 'fromjson? // "NOT JSON: \(.)" | .type? // .'; }
t 'every line is valid JSON: 12 hits, then the summary' \
    types -n 50 country <<EOF
hit
hit
hit
hit
hit
hit
hit
hit
hit
hit
hit
hit
summary
EOF

keys() { bs --json "$@" | jq -c 'keys_unsorted'; }
t 'the fields, in the order of the issue' keys -n 1 gigabit <<EOF
["type","path","line","column","column_char","column_utf16","end_line","end_column","end_column_char","end_column_utf16","byte_start","byte_end","score","stale","passage","matches"]
["type","hits","matched","elapsed_us"]
EOF
inner_keys() {
    bs --json "$@" | jq -c 'select(.type == "hit") |
        (.passage | keys_unsorted), (.matches[0] | keys_unsorted)'
}
t 'the fields of passage and matches' inner_keys -n 1 gigabit <<EOF
["line_start","line_end","byte_start","byte_end","text"]
["line","column","column_char","column_utf16","end_line","end_column","end_column_char","end_column_utf16","byte_start","byte_end","text"]
EOF

summary() { bs --json "$@" | jq -c 'select(.type == "summary")'; }
t 'summary: hits printed (-n 1) of 2 matched' summary -n 1 5g <<EOF
{"type":"summary","hits":1,"matched":2,"elapsed_us":0}
EOF

# The second passage of line 35 starts at byte 4365 (line 35 starts at
# 3715, head -34 | wc -c; the paragraph is cut after "manufacturing
# industry. ") and ends with the line at 4615; "classify" is at byte
# 4458, column 744 of line 35.
where() {
    bs --json "$@" | jq -c 'select(.type == "hit") |
        [.line, .column, .byte_start, .byte_end, .passage.line_start,
         .passage.line_end, .passage.byte_start, .passage.byte_end]'
}
# (once broken: column counted from the passage start, not the line start)
t 'a passage starting inside a line: columns still count from the line' \
    where classify <<EOF
[35,744,4458,4466,35,35,4365,4615]
EOF

# Every match of a broad query, against the file itself: the bytes at
# [byte_start, byte_end) are the match text, and line, column, end_line,
# end_column agree with the offsets.  Prints the disagreements.
matches_agree() {
    bs --json "$@" | jq -r 'select(.type == "hit") |
        ([.byte_start, .byte_start, .line, .column, 0, 0, ""],
         (.matches[] | [.byte_start, .byte_end, .line, .column,
                        .end_line, .end_column, .text])) | @tsv' |
    LC_ALL=C awk -F '\t' -v file="$F" '
        BEGIN { while ((getline s < file) > 0) { n++; at[n] = pos; text[n] = s; pos += length(s) + 1 } }
        function lc(b,   l) { for (l = n; l > 1 && at[l] > b; l--) ; return l ":" b - at[l] + 1 }
        {
            got = $3 ":" $4
            if (lc($1) != got) print "byte " $1 ": " got ", not " lc($1)
            if ($5 == 0) next
            if (lc($2) != $5 ":" $6) print "byte " $2 ": end " $5 ":" $6 ", not " lc($2)
            split(lc($1), p, ":")
            if (substr(text[p[1]], p[2], $2 - $1) != $7) print "byte " $1 ": not " $7
        }'
}
# (once broken: column counted from the passage start, not the line start)
t 'every match agrees with the file (5g OR industrializ* OR ...)' \
    matches_agree -n 100 '5g OR industrializ* OR "artificial intelligence" OR country OR yuan OR high-tech OR 465,000' <<EOF
EOF

# Odd file names and control characters.  The names are sorted bytes
# (caf\351 < ctl < new\nline < utf); the four passages are 2, 2, 2 and 3
# words long (avgdl 2.25), zebra is in all four: idf ln(1 + 0.5/4.5), so
# 0.110378 for the three ties (kept in document order) and 0.0927173.
mkdir x
printf 'zebra crossing\n' >"$(printf 'x/caf\351.txt')"
printf 'zebra\ttab\n' >"$(printf 'x/new\nline.txt')"
printf 'ctrl \001 zebra \\ "q"\n' >x/ctl.txt
printf 'caf\303\251 zebra\n' >x/utf.txt
bi -q -d x.ix x
t 'control characters escaped, a non-UTF-8 name with path_b64' \
    bs -d x.ix --json zebra <"$E/odd-names.out"
t '... all valid JSON' types -d x.ix zebra <<EOF
hit
hit
hit
hit
summary
EOF
name_bytes() {
    bs -d x.ix --json zebra | jq -r 'select(.path_b64) | .path_b64' |
        base64 -d | od -An -c
}
t 'path_b64 holds the exact bytes of the name' name_bytes <<EOF
$(printf 'x/caf\351.txt' | od -An -c)
EOF

done_testing
