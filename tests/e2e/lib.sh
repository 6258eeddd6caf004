# tests/e2e/lib.sh: sourced by every tests/e2e/NNN-topic.sh.
#
# Each script gets a private temporary directory $T (removed at exit) and
# runs the binaries from $BIN (set by tests/run; default $ROOT/bin).  A
# check prints exactly one line, "ok   NNN-topic: what" or
# "FAIL NNN-topic: what" followed by an indented diff (expected, actual).
#
#   t WHAT CMD [ARG...] <<EOF      run CMD; compare its transcript with
#   ...expected transcript...      stdin (a heredoc or a sidecar file
#   EOF                            "$E/case.out" next to the script)
#
# The transcript of a command is its stdout, then each stderr line as
# "stderr: LINE", then "exit N" when the status N is not 0.  The path of
# $T is shown as "$T" and JSON "elapsed_us" values as 0: those are the
# only nondeterministic fields.
#
#   known_broken REASON            the next check is a known bug: it still
#                                  FAILs (never hidden), with the reason
#   check WHAT EXPECTED ACTUAL     compare two strings
#   bi ARG... / bs ARG...          brief-index / brief-search from $BIN,
#                                  prefixed by $RUN (e.g. valgrind)
#   cites ARG...                   brief-search, printing only path:line:col

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/bin}
TOPIC=$(basename "$0" .sh)
E=$ROOT/tests/e2e/$TOPIC             # sidecar files of this script
T=$(mktemp -d "${TMPDIR:-/tmp}/brief-e2e.XXXXXX") || exit 2
T=$(cd "$T" && pwd -P)
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM
unset BRIEF_INDEX
LC_ALL=C.UTF-8
export LC_ALL
failures=0
broken=

bi() { $RUN "$BIN/brief-index" "$@"; }
bs() { $RUN "$BIN/brief-search" "$@"; }

# cites ARG...: the citations of brief-search --vimgrep-less text output
# (path:line:col of each hit), then the exit status when not 0.
cites() {
    bs --color=never "$@" >"$T/.cites" || { _s=$?; cut -d: -f1-3 "$T/.cites"; return $_s; }
    cut -d: -f1-3 "$T/.cites"
}

known_broken() { broken=$1; }

check() {
    if [ "$2" = "$3" ]; then
        echo "ok   $TOPIC: $1"
    else
        echo "FAIL $TOPIC: $1${broken:+ (known broken: $broken)}"
        printf '%s\n' "$2" >"$T/.expected"
        printf '%s\n' "$3" >"$T/.actual"
        diff -u "$T/.expected" "$T/.actual" | sed -e '1,2d' -e 's/^/    /'
        failures=$((failures + 1))
    fi
    broken=
}

# transcript CMD...: run CMD and print its transcript (see above).
transcript() {
    "$@" >"$T/.out" 2>"$T/.err" </dev/null
    _s=$?
    cat "$T/.out"
    sed 's/^/stderr: /' "$T/.err"
    [ $_s -eq 0 ] || echo "exit $_s"
}

normalise() {
    sed -e "s|$T|\$T|g" -e 's/"elapsed_us":[0-9]*/"elapsed_us":0/g'
}

t() {
    _what=$1; shift
    _exp=$(cat)
    check "$_what" "$_exp" "$(transcript "$@" | normalise)"
}

# done_testing: the exit status of the script (0 when nothing failed).
done_testing() { [ "$failures" -eq 0 ]; }
