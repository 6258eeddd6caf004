#!/bin/sh
# 200-trigram-diff: the trigram index never changes an answer.  For every
# pattern, `brief-search -e P` (documents narrowed by the trigram index)
# prints exactly what `brief-search --full-scan -e P` prints: all matches,
# stderr and exit status included.  Patterns: the hand-written ones in
# 200-trigram-diff/patterns.txt, and those gen.awk derives from the words
# of each corpus.  Corpora: corpus/, a few UTF-8 texts written here, and
# ../shared/corpora/sotu (SOTU=DIR elsewhere; SKIP when missing).  One
# check per group of at most 50 patterns; a failure lists the patterns
# whose answers differ.  Under $RUN (valgrind) only every 25th pattern
# is run (every 100th on sotu).  With -v each check also says how many
# lines its patterns printed.
. "$(dirname "$0")/lib.sh"

SOTU=${SOTU:-$ROOT/../shared/corpora/sotu}
PER=50
STEP=1
[ -n "$RUN" ] && STEP=25
[ "$1" = -v ] && VERBOSE=1
n_patterns=0
job=main

# diff_one INDEX [OPTION...] -e PATTERN: append the arguments to $_bad
# when the two answers differ.
diff_one() {
    _ix=$1
    shift
    bs -d "$_ix" "$@" >"$_out.idx" 2>&1 </dev/null
    _a=$?
    bs -d "$_ix" --full-scan "$@" >"$_out.full" 2>&1 </dev/null
    _b=$?
    [ -n "$VERBOSE" ] && _lines=$((_lines + $(wc -l <"$_out.full")))
    if [ $_a -ne $_b ] || ! cmp -s "$_out.idx" "$_out.full"; then
        printf '%s: %s lines (exit %s) with the index, %s (exit %s) in a full scan\n' \
            "$*" "$(wc -l <"$_out.idx")" $_a "$(wc -l <"$_out.full")" $_b \
            >>"$_bad"
    fi
}

# The check of the patterns read since the last one.
flush() {
    [ "$_n" -gt 0 ] || return 0
    case $_group in
    'known broken: '*) known_broken "${_group#known broken: }" ;;
    esac
    _what="$_label: $_group: patterns $_first-$((_first + _n - 1))"
    [ -n "$VERBOSE" ] && _what="$_what ($_lines lines)"
    check "$_what" "" "$(cat "$_bad")"
    _first=$((_first + _n))
    _n=0
    _lines=0
    : >"$_bad"
}

# run_patterns LABEL INDEX FILE: every pattern of FILE (the format of
# patterns.txt) on the index INDEX.  $job names the scratch files, so
# that jobs running at once do not share them.
run_patterns() {
    _label=$1
    _index=$2
    _file=$3
    _out=$T/$_label.$job
    _bad=$_out.bad
    _group=patterns
    _n=0
    _first=1
    _lines=0
    : >"$_bad"
    while IFS= read -r _line || [ -n "$_line" ]; do
        case $_line in
        '## '*)
            flush
            _group=${_line#'## '}
            _first=1
            continue ;;
        ''|'#'|'# '*)
            continue ;;
        esac
        set --
        while :; do
            case $_line in
            -i' '*|-w' '*|-U' '*)
                set -- "$@" "${_line%% *}"
                _line=${_line#* } ;;
            *)
                break ;;
            esac
        done
        if [ $((n_patterns % STEP)) -eq 0 ]; then
            diff_one "$_index" "$@" -e "$_line"
        fi
        n_patterns=$((n_patterns + 1))
        _n=$((_n + 1))
        [ "$_n" -lt $PER ] || flush
    done <"$_file"
    flush
}

# run_generated LABEL INDEX FILE...: the patterns gen.awk makes from the
# words of FILE....
run_generated() {
    _l=$1
    _i=$2
    shift 2
    awk -v per=$PER -f "$E/gen.awk" "$@" >"$T/$_l.gen"
    run_patterns "$_l" "$_i" "$T/$_l.gen"
}

# corpus/ and the UTF-8 texts, in one job.
small_job() {
    job=small
    index_corpus || echo "FAIL $TOPIC: indexing corpus/"
    run_patterns corpus "$T/.brief" "$E/patterns.txt"
    run_generated corpus "$T/.brief" corpus/*.txt
    t 'corpus: --explain prints the query and the documents kept' \
        bs --explain -e 'xylo[pf]hone' <<EOF
trigrams: (("xyl" AND "ylo" AND "lop" AND "oph" AND "pho" AND "hon") OR ("xyl" AND "ylo" AND "lof" AND "ofh" AND "fho" AND "hon")) AND "one"
kept 0 of 1 documents
scanning 0 zones of 8192 bytes
exit 1
EOF
    # Zones of 64 bytes (lib/trigram.h): most lines of corpus/ start a
    # zone of their own, and zones inside its long lines are empty.
    (BRIEF_TEST_ZONE_BYTES=64
     export BRIEF_TEST_ZONE_BYTES
     bi -q -d "$T/zones.brief" corpus) ||
        echo "FAIL $TOPIC: indexing corpus/ in zones of 64 bytes"
    t 'corpus in zones of 64 bytes: --explain counts the zones scanned' \
        bs -d "$T/zones.brief" --explain -e 'trillion yuan' <<EOF
trigrams: "tri" AND "ril" AND "ill" AND "lli" AND "lio" AND "ion" AND "on " AND "n y" AND " yu" AND "yua" AND "uan"
kept 1 of 1 documents
scanning 1 zone of 64 bytes
corpus/2024-03-08-new-industrialization.txt:13:75:  In 2023, our country's total industrial added value will be close to 40 trillion yuan, about 39.9 trillion yuan, accounting for 31.7% of GDP;
EOF
    run_patterns corpus-zones "$T/zones.brief" "$E/patterns.txt"
    run_generated corpus-zones "$T/zones.brief" corpus/*.txt
    # Texts for the UTF-8 patterns: folding that changes the length (ß,
    # ﬁ, İ), caseless pairs that fold alike (k and the Kelvin sign, σ and
    # ς), compatibility forms (fullwidth), CJK, typographic punctuation.
    mkdir "$T/utf8"
    kelvin_sign='\342\204\252'
    printf 'Straße und STRASSE; Grüße aus Köln. café CAFÉ Café\nΣοφία σοφίας ΣΟΦΊΑΣ\n' \
        >"$T/utf8/de-el.txt"
    printf "Kelvin: 300 $kelvin_sign and 5 k; ﬁnance ﬁle ﬁ; ＦＵＬＬ width ｆｕｌｌ full\\n" \
        >"$T/utf8/compat.txt"
    printf 'İstanbul istanbul ISTANBUL ıdır\n日本語のテキスト 中文文本 100万亿元\n' \
        >"$T/utf8/tr-cjk.txt"
    printf 'naïve résumé — “quoted” it’s 25°C – 30°C\nRÉSUMÉ NAÏVE\n' \
        >"$T/utf8/punct.txt"
    printf 'plain ascii only: the theory of everything, 40 trillion yuan\n' \
        >"$T/utf8/ascii.txt"
    bi -q -d "$T/utf8.brief" "$T/utf8" ||
        echo "FAIL $TOPIC: indexing the UTF-8 texts"
    run_patterns utf8 "$T/utf8.brief" "$E/patterns.txt"
    (BRIEF_TEST_ZONE_BYTES=16
     export BRIEF_TEST_ZONE_BYTES
     bi -q -d "$T/utf8z.brief" "$T/utf8") ||
        echo "FAIL $TOPIC: indexing the UTF-8 texts in zones of 16 bytes"
    run_patterns utf8-zones "$T/utf8z.brief" "$E/patterns.txt"
}

# Three jobs at once, each writing its checks to a log; the failures are
# counted from the logs: sotu's hand-written patterns, sotu's generated
# ones, and small_job.
pids=
trap 'kill $pids 2>/dev/null; rm -rf "$T"' EXIT
if [ -d "$SOTU" ]; then
    bi -q -d "$T/sotu.brief" "$SOTU" >"$T/sotu.log" 2>&1 ||
        echo "FAIL $TOPIC: indexing sotu" >>"$T/sotu.log"
    [ -n "$RUN" ] && STEP=100                   # a full scan is slow there
    (job=hand; run_patterns sotu "$T/sotu.brief" "$E/patterns.txt") \
        >"$T/sotu1.log" 2>&1 &
    pids=$!
    (job=gen; run_generated sotu "$T/sotu.brief" "$SOTU"/*.txt) \
        >"$T/sotu2.log" 2>&1 &
    pids="$pids $!"
    [ -n "$RUN" ] && STEP=25
    # Not vacuous: a rare word with a class keeps few documents.
    kept=$(bs -d "$T/sotu.brief" --explain -e '[Ss]putnik' |
           sed -n 's/^kept \([0-9]*\) of \([0-9]*\) documents$/\1 \2/p')
    check 'sotu: [Ss]putnik keeps under a tenth of the documents' yes \
        "$(echo "$kept" | awk '$1 * 10 < $2 { print "yes"; next } { print }')" \
        >>"$T/sotu.log"
else
    echo "SKIP $TOPIC: sotu: no corpus at $SOTU" >"$T/sotu.log"
fi
(small_job) >"$T/small.log" 2>&1
wait
pids=
for log in small sotu1 sotu2 sotu; do
    [ -f "$T/$log.log" ] && cat "$T/$log.log"
done
failures=$(cat "$T"/*.log | grep -c '^FAIL')
done_testing
