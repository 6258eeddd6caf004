#!/bin/sh
# 140-embed: the C library as an outside program sees it.  examples/embed
# (built by make) runs a query; then the installed header, libraries and
# brief.pc alone are enough to build the same program with pkg-config.
. "${ROOT:-.}/tests/e2e/lib.sh"
index_corpus

EMBED=$ROOT/${B:-build/rel}/examples/embed
LINE17='corpus/2024-03-08-new-industrialization.txt:17:128:  Our country has built the world'"'"'s largest and most technologically advanced communications network facilities. The number of 5G base stations has reached 3.38 million, enabling cities to have Gigabit connectivity, counties to have 5G connectivity, and every village to have broadband access.'

t 'examples/embed cites the README query' "$EMBED" .brief 5G base stations <<EOF
$LINE17
EOF
t 'examples/embed: no hits, exit 1' "$EMBED" .brief zzzzqx <<EOF
exit 1
EOF

# Install into a scratch prefix; build embed.c from what was installed.
make -s -C "$ROOT" install DESTDIR="$T/inst" prefix=/usr >"$T/make.log" 2>&1
PKG_CONFIG_PATH=$T/inst/usr/lib/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$T/inst
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
MAJOR=$(sed -n 's/^#define BRIEF_VERSION_MAJOR //p' "$ROOT/include/brief.h")
MINOR=$(sed -n 's/^#define BRIEF_VERSION_MINOR //p' "$ROOT/include/brief.h")
t 'pkg-config brief: the version of brief.h' pkg-config --modversion brief <<EOF
$MAJOR.$MINOR
EOF
cc -o "$T/embed" "$ROOT/examples/embed.c" $(pkg-config --cflags brief) \
    "$T/inst/usr/lib/libbrief.a" \
    $(pkg-config --libs-only-l --static brief | sed 's/-lbrief//') \
    >"$T/cc.log" 2>&1
t 'built from the installed files, it answers the same' "$T/embed" .brief 5G base stations <<EOF
$LINE17
EOF
check 'the shared library carries the soname libbrief.so.'"$MAJOR" yes \
    "$(readelf -d "$T/inst/usr/lib/libbrief.so.$MAJOR" |
       grep -q "SONAME.*libbrief.so.$MAJOR" && echo yes)"
done_testing
