#!/bin/sh
# make demo: index corpus/ into ./.brief and run the README's example
# queries.  Exit status 0 when every query found what it should.
set -e
BIN=${BIN:-bin}
run() {
    printf '\n$ brief-search %s\n' "$*"
    "$BIN/brief-search" --color=never "$@"
}
# An index an older brief left here (another schema version) would only
# be refused: the demo's index is rebuilt instead.
if [ -d .brief ] && ! "$BIN/brief-index" -d .brief --stats >/dev/null 2>&1; then
    echo '(.brief was written by another version of brief: rebuilding it)'
    rm -rf .brief
fi
echo '$ brief-index corpus/'
"$BIN/brief-index" corpus/
run 5G base stations
run -n 3 'trillion yuan'
run '"high-tech enterprises"'
run 'GDP NEAR/8 yuan'
run -n 2 'artificial intelligence OR robots'
run -n 2 'industrializ*'
run --vimgrep -n 1 'gigabit'
run --figures --unit yuan
run -e '[0-9.]+ trillion'
run -n 2 'enterprises fig:>100000'
