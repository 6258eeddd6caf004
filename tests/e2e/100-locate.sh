#!/bin/sh
# 100-locate: where the index is (-d DIR, else $BRIEF_INDEX, else the
# nearest .brief in the current directory or a parent, as git finds .git)
# and how paths are printed: relative to the current directory, or
# absolute where that is shorter.
. "$(dirname "$0")/lib.sh"

cd "$T"
mkdir -p proj/docs/sub
printf 'zebra one\n' >proj/docs/a.txt
printf 'zebra two\n' >proj/docs/sub/b.txt
cd proj
bi -q docs

t 'from the index parent' cites zebra <<EOF
docs/a.txt:1:1
docs/sub/b.txt:1:1
EOF
cd docs/sub
t 'from a subdirectory: the nearest .brief above, paths with ../' \
    cites zebra <<EOF
../a.txt:1:1
b.txt:1:1
EOF
t 'vimgrep paths are relative too' bs --vimgrep two <<EOF
b.txt:1:7:zebra two
EOF
json_paths() { bs --json "$@" | jq -r 'select(.type == "hit") | .path'; }
t 'JSON paths are relative too' json_paths zebra <<EOF
../a.txt
b.txt
EOF
t 'path:GLOB matches the path as shown' cites 'path:../*' zebra <<EOF
../a.txt:1:1
EOF

# -d and $BRIEF_INDEX, from a directory with no .brief above it.
cd "$T"
mkdir -p elsewhere/deep
cd elsewhere/deep
t '-d DIR (relative)' cites -d ../../proj/.brief zebra <<EOF
../../proj/docs/a.txt:1:1
../../proj/docs/sub/b.txt:1:1
EOF
t '--index DIR (absolute)' cites --index "$T/proj/.brief" zebra <<EOF
../../proj/docs/a.txt:1:1
../../proj/docs/sub/b.txt:1:1
EOF
env_cites() { BRIEF_INDEX=$T/proj/.brief cites "$@"; }
t '$BRIEF_INDEX' env_cites zebra <<EOF
../../proj/docs/a.txt:1:1
../../proj/docs/sub/b.txt:1:1
EOF
t '-d wins over $BRIEF_INDEX' env_cites -d "$T/none" zebra <<EOF
stderr: brief-search: \$T/none: no index here (create one with brief-index)
exit 2
EOF
cd "$T/proj/docs"
t '$BRIEF_INDEX wins over the nearest .brief' env_cites zebra <<EOF
a.txt:1:1
sub/b.txt:1:1
EOF
bi -q -d "$T/proj/docs/sub/.brief" sub
cd sub
t 'the nearest .brief wins over one further up' cites zebra <<EOF
b.txt:1:1
EOF
cd "$T"

# brief-index: -d, else $BRIEF_INDEX, else ./.brief (never a parent's).
mkdir notes
printf 'zebra three\n' >notes/c.txt
envi() { BRIEF_INDEX=$T/notes.ix bi "$@"; }
t 'brief-index honours $BRIEF_INDEX' envi notes <<EOF
added 1, updated 0, removed 0, unchanged 0
EOF
env_notes() { BRIEF_INDEX=$T/notes.ix cites "$@"; }
t '... and brief-search finds it there' env_notes zebra <<EOF
notes/c.txt:1:1
EOF
mkdir "$T/proj/more"
cd "$T/proj/more"
printf 'zebra four\n' >d.txt
t 'brief-index below proj/.brief creates ./.brief' bi . <<EOF
added 1, updated 0, removed 0, unchanged 0
EOF
check '... here' yes "$([ -d .brief ] && echo yes)"
cd "$T/proj"
t '... and leaves proj/.brief alone' cites zebra <<EOF
docs/a.txt:1:1
docs/sub/b.txt:1:1
EOF
cd "$T"

# A file outside the index's parent directory is stored with its
# absolute path and printed relative where that is shorter.
mkdir -p "$T/in"
printf 'zebra outside\n' >"$T/out.txt"
bi -q -d "$T/in/.brief" "$T/out.txt"
cd "$T/in"
t 'outside the index parent: ../out.txt' cites zebra <<EOF
../out.txt:1:1
EOF
# Deep enough that ../../.. is longer than the absolute path.
deep=$T/in
n=$(( ${#T} / 3 + 2 ))
while [ "$n" -gt 0 ]; do deep=$deep/d; n=$((n - 1)); done
mkdir -p "$deep"
cd "$deep"
t 'deep below: the absolute path, shorter' cites zebra <<EOF
\$T/out.txt:1:1
EOF

done_testing
