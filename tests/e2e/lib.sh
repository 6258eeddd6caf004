# tests/e2e/lib.sh: sourced by every tests/e2e/NNN-topic.sh (POSIX sh).
#
# Each script gets a private temporary directory $T (removed at exit) and
# runs the binaries from $BIN (set by tests/run; default $ROOT/bin).  A
# check prints exactly one line, "ok   NNN-topic: what" or
# "FAIL NNN-topic: what" followed by an indented diff (-expected +actual).
#
#   t WHAT CMD [ARG...] <<EOF      run CMD and compare its transcript with
#   expected transcript            stdin: a heredoc, or a sidecar file
#   EOF                            (t WHAT CMD... <"$E/case.out")
#
# The transcript of a command is its stdout, then each stderr line as
# "stderr: LINE", then "exit N" when the status N is not 0.  Only the
# nondeterministic parts are normalised: the path of $T reads "$T", the
# directory of the binaries "$BIN", JSON "elapsed_us" values 0.
#
#   known_broken REASON     the next check is a known bug: it still FAILs
#                           (it is never hidden), naming the reason
#   check WHAT EXPECTED ACTUAL      compare two strings
#   bi ARG... / bs ARG...   brief-index / brief-search from $BIN, each
#                           prefixed by $RUN (e.g. valgrind)
#   cites ARG...            brief-search, printing only each path:line:col
#   perl_cites RE FILE...   what perl finds: path:line:col of each match
#   index_corpus            copy corpus/ into $T, cd there, index it
#   done_testing            last line of a script: its exit status

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
F=corpus/2024-03-08-new-industrialization.txt   # the briefing

# copies N FORMAT HEAD: N documents, the i-th named printf(FORMAT, i),
# each HEAD (printf(HEAD, i)), an empty line and the briefing.
copies() {
    awk -v src="$ROOT/$F" -v n="$1" -v name="$2" -v head="$3" 'BEGIN {
        while ((getline l < src) > 0) text = text l "\n"
        for (i = 1; i <= n; i++) {
            out = sprintf(name, i)
            printf head "\n\n%s", i, text > out
            close(out)
        }
    }'
}
failures=0
broken=

# serving IX: brief-search -d IX --serve in the background, fed through
# the fifo $T/requests on descriptor 3, replying into $T/served; $server
# is its pid (close descriptor 3, then wait for it).
serving() {
    mkfifo "$T/requests"
    bs -d "$1" --serve <"$T/requests" >"$T/served" 2>&1 &
    server=$!
    exec 3>"$T/requests"
}
# inode FILE: its inode number.
inode() { ls -i "$1" | awk '{ print $1 }'; }

bi() { $RUN "$BIN/brief-index" "$@"; }
bs() { $RUN "$BIN/brief-search" "$@"; }

cites() {
    bs "$@" >"$T/.hits"
    _s=$?
    cut -d: -f1-3 "$T/.hits"
    return $_s
}

index_corpus() {
    cp -R "$ROOT/corpus" "$T/corpus" && cd "$T" && bi -q corpus
}

known_broken() { broken=$1; }

# perl_cites PATTERN FILE...: path:line:col of every match of the Perl
# pattern, found as grep would (line by line, each from the end of the
# last) on the UTF-8 text, so that [-–] is a class of two characters;
# columns in bytes.  The oracle of the regex tests.
perl_cites() {
    _pc_pat=$1
    shift
    P=$_pc_pat perl -MEncode -ne '
        BEGIN { $p = decode_utf8($ENV{P}) }
        $_ = decode_utf8($_);
        while (/$p/g) {
            print "$ARGV:$.:",
                  length(encode_utf8(substr($_, 0, $-[0]))) + 1, "\n";
        }
        close ARGV if eof' "$@"
}

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

transcript() {
    "$@" >"$T/.out" 2>"$T/.err" </dev/null
    _s=$?
    cat "$T/.out"
    sed 's/^/stderr: /' "$T/.err"
    [ $_s -eq 0 ] || echo "exit $_s"
}

normalise() {
    sed -e "s|$T|\$T|g" -e "s|$BIN/|\$BIN/|g" \
        -e 's/"elapsed_us":[0-9]*/"elapsed_us":0/g'
}

t() {
    _what=$1
    shift
    _exp=$(cat)
    check "$_what" "$_exp" "$(transcript "$@" | normalise)"
}

# Build lmdb-poke (420-hostile/lmdb-poke.c) as $POKE, or fail the topic.
need_poke() {
    POKE=$T/lmdb-poke
    ${CC:-cc} -std=c11 -O1 -o "$POKE" "$ROOT/tests/e2e/420-hostile/lmdb-poke.c" \
        -llmdb 2>"$T/poke.err" || {
        echo "FAIL $TOPIC: cannot build lmdb-poke: $(cat "$T/poke.err")"
        exit 1
    }
}

done_testing() { [ "$failures" -eq 0 ]; }
