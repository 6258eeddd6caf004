#!/bin/sh
# 040-errors-exit: exit status 0 when something was found, 1 when nothing
# was (and nothing is printed), 2 on an error, with a one-line message.
# A bad query is reported as "brief-search: query:1:COL: message", COL
# the 1-based column of the offending character in the joined query.
. "$(dirname "$0")/lib.sh"
index_corpus

t 'hits: exit 0' cites gigabit <<EOF
$F:17:195
EOF
t 'no hits: nothing printed, exit 1' bs zebra <<EOF
exit 1
EOF
t 'no hits with --vimgrep: nothing printed, exit 1' bs --vimgrep zebra <<EOF
exit 1
EOF
hits() { bs --json "$@" | jq -r 'select(.type == "hit") | .path'; }
t 'no hits with --json: no hit object' hits zebra <<EOF
EOF
json_status() { bs --json "$@" >/dev/null; }
t '... and exit 1' json_status zebra <<EOF
exit 1
EOF

# Malformed queries: exit 2, the message on stderr, nothing on stdout.
t 'unclosed parenthesis' bs '(gdp OR yuan' <<EOF
stderr: brief-search: query:1:1: unbalanced parenthesis
exit 2
EOF
t 'unopened parenthesis' bs 'gdp yuan)' <<EOF
stderr: brief-search: query:1:9: unbalanced parenthesis
exit 2
EOF
t 'unterminated phrase' bs 'gdp "base stations' <<EOF
stderr: brief-search: query:1:5: unterminated phrase
exit 2
EOF
t 'AND without a right operand' bs 'gdp AND' <<EOF
stderr: brief-search: query:1:5: AND needs a right operand
exit 2
EOF
t 'OR without a left operand' bs 'OR gdp' <<EOF
stderr: brief-search: query:1:1: OR needs a left operand
exit 2
EOF
t 'the column counts in the joined QUERY arguments' bs gdp yuan OR <<EOF
stderr: brief-search: query:1:10: OR needs a right operand
exit 2
EOF
t 'NEAR/k without a number' bs 'gdp NEAR/x yuan' <<EOF
stderr: brief-search: query:1:5: NEAR/k needs a number from 0 to 1000
exit 2
EOF
t 'only an exclusion' bs -- -gdp <<EOF
stderr: brief-search: query:1:1: nothing to exclude from: add a word that must match
exit 2
EOF
t 'empty parentheses' bs 'gdp ()' <<EOF
stderr: brief-search: query:1:5: empty group
exit 2
EOF
t 'empty query' bs '' <<EOF
stderr: brief-search: query:1:1: empty query
exit 2
EOF

# Command-line errors: exit 2.
t 'no QUERY' bs <<EOF
stderr: brief-search: no QUERY given
stderr: Try 'brief-search --help'.
exit 2
EOF
t 'an unknown option' bs --bogus gdp <<EOF
stderr: \$BIN/brief-search: unrecognized option '--bogus'
stderr: Try 'brief-search --help'.
exit 2
EOF
t '-n not a number' bs -n x gdp <<EOF
stderr: brief-search: -n needs a positive number, not 'x'
exit 2
EOF
t '-n 0' bs -n 0 gdp <<EOF
stderr: brief-search: -n needs a positive number, not '0'
exit 2
EOF
t '--color with a bad WHEN' bs --color=sometimes gdp <<EOF
stderr: brief-search: --color takes never, always or auto, not 'sometimes'
exit 2
EOF

# A missing index: exit 2.
t '-d naming no index' bs -d "$T/none" gdp <<EOF
stderr: brief-search: \$T/none: no index here (create one with brief-index)
exit 2
EOF
mkdir "$T/elsewhere"
cd "$T/elsewhere"
mv "$T/.brief" "$T/moved.brief"
t 'no .brief here or in a parent' bs gdp <<EOF
stderr: brief-search: no .brief index in this directory or a parent (create one with brief-index, or give -d DIR)
exit 2
EOF
cd "$T"

# brief-index: exit 2 on errors, 0 otherwise.
t 'brief-index: no PATH' bi <<EOF
stderr: brief-index: no PATH given (try 'brief-index .')
stderr: Try 'brief-index --help'.
exit 2
EOF
t 'brief-index: an unknown option' bi --bogus <<EOF
stderr: \$BIN/brief-index: unrecognized option '--bogus'
stderr: Try 'brief-index --help'.
exit 2
EOF
t 'brief-index: a missing PATH' bi -d ix nonexistent <<EOF
stderr: brief-index: nonexistent: No such file or directory
exit 2
EOF
t 'brief-index: an unknown --lang' bi -d ix --lang klingon corpus <<EOF
stderr: brief-index: unknown language 'klingon' (brief-index --lang list shows them)
exit 2
EOF
t 'brief-index --check without an index' bi -d "$T/none" --check <<EOF
stderr: brief-index: \$T/none: no index here (create one with brief-index)
exit 2
EOF
check '... which it does not create' no "$([ -e "$T/none" ] && echo yes || echo no)"
usage_of() { "$@" --help | sed -n 1p; }
t 'brief-index --help: exit 0' usage_of bi <<EOF
usage: brief-index [options] PATH...
EOF
t 'brief-search --help: exit 0' usage_of bs <<EOF
usage: brief-search [options] [--] QUERY...
EOF

done_testing
