#!/bin/sh
# 190-pipeline: files read and prepared in a second thread (lib/pipeline.c)
# make the same index as without it (BRIEF_TEST_THREADS=0).  The briefing
# cut into 33 files, some of them binary, not UTF-8 or unreadable, is
# indexed both ways, then edited and indexed again both ways; the
# warnings, the summary lines, --stats and the answers to a set of
# queries must be the same.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 2
mkdir docs
awk -v RS= '{ f = sprintf("docs/p%03d.txt", NR); print > f; close(f) }' \
    "$ROOT/$F"
printf 'bin\000ary\n' >docs/p004.txt
printf 'caf\351\n' >docs/p009.txt
printf 'locked trillion\n' >docs/p012.txt
chmod 000 docs/p012.txt

queries() {    # queries INDEX
    for q in industrial '"manufacturing industry"' 'manufactur*' \
        'trillion NEAR/3 yuan' 'fig:CNY' 'locked'; do
        printf '$ %s\n' "$q"
        bs -d "$1" -n 50 -v "$q" 2>&1
    done
    bs -d "$1" -e '[0-9.]+ (trillion|million)' 2>&1
}
both() {       # both ARGS: index into one (thread) and two (no thread)
    bi -d one "$@" >one.out 2>&1
    echo "exit $?" >>one.out
    BRIEF_TEST_THREADS=0 bi -d two "$@" >two.out 2>&1
    echo "exit $?" >>two.out
    check "$what: warnings and summary" "$(cat two.out)" "$(cat one.out)"
    check "$what: --stats" "$(bi -d two --stats | grep -v disk)" \
        "$(bi -d one --stats | grep -v disk)"
    check "$what: answers" "$(queries two)" "$(queries one)"
}

what='first run'
both docs
# root reads unreadable files: then p012 is indexed both ways alike
check "$what: the warnings name the skipped files" 1 \
    "$(grep -c 'p004.txt: binary file' one.out)"
printf 'Now 12 trillion yuan more.\n' >>docs/p002.txt
chmod 644 docs/p012.txt
printf 'plain again\n' >docs/p004.txt
rm docs/p020.txt
what='second run'
both docs
t 'the threaded index passes --check' bi -d one --check <<EOF
one: index is consistent
EOF

done_testing
