#!/bin/sh
# 090-skip-warnings: brief-index skips binary files (a NUL byte in the
# first 8 KB) and files that are not UTF-8 with one warning line each
# (offsets counted from 0), skips hidden directories and the index
# itself, and follows symbolic links only with -L, reporting loops.
# Warnings are not errors: the exit status stays 0.
. "$(dirname "$0")/lib.sh"

cd "$T"
mkdir -p d/.hidden d/sub other
printf 'visible zebra\n' >d/ok.txt
printf 'hidden zebra\n' >d/.hidden/h.txt
printf 'dotfile zebra\n' >d/.dotfile.txt
printf 'bin zebra\0rest\n' >d/bin.dat          # NUL at byte 9
printf 'latin zebra caf\351 more\n' >d/latin.txt  # \351 at byte 15
printf 'outside zebra\n' >other/o.txt
ln -s ../ok.txt d/sub/link.txt
ln -s ../other d/linkdir
ln -s .. d/sub/loop

t 'one warning per skipped file; symbolic links not followed' bi d <<EOF
added 2, updated 0, removed 0, unchanged 0
stderr: brief-index: d/bin.dat: binary file (NUL byte at 9), skipped
stderr: brief-index: d/latin.txt: not UTF-8 at byte 15, skipped
EOF
t 'only the visible files are found (a hidden file is not a directory)' \
    cites zebra <<EOF
d/.dotfile.txt:1:9
d/ok.txt:1:9
EOF
t '--quiet keeps the warnings' bi --quiet d <<EOF
stderr: brief-index: d/bin.dat: binary file (NUL byte at 9), skipped
stderr: brief-index: d/latin.txt: not UTF-8 at byte 15, skipped
EOF

# A NUL byte after the first 8 KB does not make a binary file; invalid
# UTF-8 anywhere does.
mkdir e
{ printf 'late zebra\n'; head -c 9000 /dev/zero | tr '\0' 'a'; printf '\0\n'; } >e/late-nul.txt
{ printf 'late zebra\n'; head -c 9000 /dev/zero | tr '\0' 'a'; printf '\377\n'; } >e/late-bad.txt
t 'a NUL after 8 KB: text; a bad byte after 8 KB: not UTF-8' bi -d e.ix e <<EOF
added 1, updated 0, removed 0, unchanged 0
stderr: brief-index: e/late-bad.txt: not UTF-8 at byte 9011, skipped
EOF
t '... the late NUL file is searchable' cites -d e.ix late zebra <<EOF
e/late-nul.txt:1:1
EOF

# -L follows links, each file indexed under the path it was reached by,
# and reports the loop (found while walking, before any file is read).
t '-L follows symbolic links and reports the loop' bi -L -d follow.ix d <<EOF
added 4, updated 0, removed 0, unchanged 0
stderr: brief-index: d/sub/loop: symbolic link loop, skipped
stderr: brief-index: d/bin.dat: binary file (NUL byte at 9), skipped
stderr: brief-index: d/latin.txt: not UTF-8 at byte 15, skipped
EOF
t '-L: the linked file and directory are found' cites -d follow.ix zebra <<EOF
d/.dotfile.txt:1:9
d/linkdir/o.txt:1:9
d/ok.txt:1:9
d/sub/link.txt:1:9
EOF
t '--check after -L' bi -d follow.ix --check <<EOF
follow.ix: index is consistent
EOF

done_testing
