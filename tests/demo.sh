#!/bin/sh
# make demo: index corpus/ into ./.brief and run the README's example
# queries.  Exit status 0 when every query found what it should.
set -e
BIN=${BIN:-bin}
run() {
    printf '\n$ brief-search %s\n' "$*"
    "$BIN/brief-search" --color=never "$@"
}
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
