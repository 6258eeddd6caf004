# brief — one non-recursive Makefile.  `make help` lists the targets.
#
# User-overridable: CC CFLAGS CPPFLAGS LDFLAGS LDLIBS prefix DESTDIR.
# Warnings live in WARN so that setting CFLAGS cannot drop them.

CC      ?= cc
CFLAGS  ?= -O2 -g
prefix  ?= /usr/local
DESTDIR ?=

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla -Wundef \
       -Wwrite-strings
STD  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE

# Sanitized builds live apart (build/san, binaries in build/san/bin) so
# that switching SANITIZE never leaves the other build's binaries in bin/.
ifeq ($(SANITIZE),1)
CFLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
          -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
B = build/san
BIN = build/san/bin
else
B = build/rel
BIN = bin
endif

DEPS_PKGS = libstemmer-dev libpcre2-dev liblmdb-dev libutf8proc-dev libjansson-dev \
            libxxhash-dev pkg-config jq clang libclang-rt-14-dev vim-nox emacs-nox python3-jsonschema \
            valgrind
LIBS      = -lstemmer -lpcre2-8 -llmdb -lutf8proc -lxxhash -ljansson -lm -lpthread

ALL_CFLAGS = $(STD) $(WARN) -Iinclude -Ilib -fPIC $(CPPFLAGS) $(CFLAGS) -MMD -MP

SOVER     = 0
LIB_SRC   = $(sort $(wildcard lib/*.c))
LIB_OBJ   = $(LIB_SRC:%.c=$(B)/%.o)
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
API_SRC   = $(sort $(wildcard tests/api/test_*.c))
API_BIN   = $(API_SRC:tests/api/%.c=$(B)/tests/api_%)

ifeq ($(V),1)
Q =
else
Q = @
endif

.PHONY: all deps demo test unit e2e clean install help
.SECONDARY:
all: $(BIN)/brief-index $(BIN)/brief-search $(B)/examples/embed

# The example links like an outside program: the public header and the
# static library only.
$(B)/examples/embed: examples/embed.c include/brief.h $(B)/libbrief.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(STD) $(WARN) -Iinclude $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(B)/libbrief.a $(LIBS)

VERSION = $(shell sed -n 's/^\#define BRIEF_VERSION_MAJOR //p' include/brief.h).$(shell sed -n 's/^\#define BRIEF_VERSION_MINOR //p' include/brief.h)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libbrief.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

lib/libbrief.a: $(B)/libbrief.a
	$(Q)cp $< $@

lib/libbrief.so.$(SOVER): $(LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libbrief.so.$(SOVER) $(LDFLAGS) -o $@ $^ $(LIBS)

# The two CLIs are linked statically (STATIC=0: against the shared
# libraries).  A brief-search process otherwise spends about 0.4 ms of its
# 1.4 ms loading and relocating eight shared objects (bench/PROFILE.md).
STATIC ?= 1
ifeq ($(SANITIZE),1)
BIN_DEPS = $(B)/libbrief.a
CLI_LDFLAGS =
else
BIN_DEPS = $(B)/libbrief.a lib/libbrief.a lib/libbrief.so.$(SOVER)
CLI_LDFLAGS = $(if $(filter 1,$(STATIC)),-static)
endif

# A CLI is linked to a scratch file and copied into place.  The copy's
# page cache holds the program in large folios where the linker's many
# small writes left small ones: the copy's whole-process search ran 4 %
# faster, as an installed copy (install(1)) does (bench/PROFILE.md).  The
# rename keeps a running copy's file intact.
$(BIN)/brief-%: $(B)/%/main.o $(BIN_DEPS)
	@mkdir -p $(BIN)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $(CLI_LDFLAGS) -o $@.link $< $(B)/libbrief.a \
	    $(LIBS) $(LDLIBS)
	$(Q)cp $@.link $@.copy && rm -f $@.link && mv -f $@.copy $@

$(B)/index/main.o: indexer/main.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(B)/libbrief.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(B)/libbrief.a $(LIBS)

$(B)/tests/api_%: $(B)/tests/api/%.o $(B)/libbrief.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(B)/libbrief.a $(LIBS)

# deps: install the Debian packages that are missing; nothing when all are.
deps:
	@missing=""; for p in $(DEPS_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	        || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "make deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    || { echo "make deps: apt-get failed (are you root?)"; exit 2; }; \
	fi

build/.deps-ok: Makefile
	@$(MAKE) --no-print-directory deps
	@mkdir -p build && touch $@

$(LIB_OBJ): | build/.deps-ok

test: build/.deps-ok all $(UNIT_BIN) $(API_BIN)
	@B=$(B) BIN=$(BIN) sh tests/run

unit: build/.deps-ok $(UNIT_BIN) $(API_BIN)
	@B=$(B) BIN=$(BIN) ONLY=unit sh tests/run

e2e: build/.deps-ok all
	@B=$(B) BIN=$(BIN) ONLY=e2e sh tests/run

demo: build/.deps-ok all
	@BIN=$(BIN) sh tests/demo.sh

# bench: issue 4's benchmark against Xapian, SQLite FTS5 and ripgrep;
# writes bench/RESULTS.md.  BENCH_QUICK=1 for a short trial run.
.PHONY: bench
bench:
	@sh bench/run

# bench-micro: single pieces of the library timed in memory (no index):
# bench/micro/tokenize_speed and trigscan_speed; see each file's header.
MICRO = tokenize_speed trigscan_speed
.PHONY: bench-micro
bench-micro: $(MICRO:%=$(B)/bench/%)

$(B)/bench/%: bench/micro/%.c bench/micro/micro.h $(B)/libbrief.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) -Iinclude -Ilib -o $@ $< \
	    $(B)/libbrief.a $(LIBS)

install: all
	install -d $(DESTDIR)$(prefix)/bin $(DESTDIR)$(prefix)/lib \
	    $(DESTDIR)$(prefix)/include $(DESTDIR)$(prefix)/share/man/man1
	install -m 755 bin/brief-index bin/brief-search $(DESTDIR)$(prefix)/bin
	install -m 644 lib/libbrief.a $(DESTDIR)$(prefix)/lib
	install -m 755 lib/libbrief.so.$(SOVER) $(DESTDIR)$(prefix)/lib
	ln -sf libbrief.so.$(SOVER) $(DESTDIR)$(prefix)/lib/libbrief.so
	install -m 644 include/brief.h $(DESTDIR)$(prefix)/include
	install -m 644 man/brief-index.1 man/brief-search.1 \
	    $(DESTDIR)$(prefix)/share/man/man1
	install -d $(DESTDIR)$(prefix)/lib/pkgconfig
	sed -e 's|@prefix@|$(prefix)|' -e 's|@version@|$(VERSION)|' brief.pc.in \
	    >$(DESTDIR)$(prefix)/lib/pkgconfig/brief.pc

clean:
	rm -rf build bin lib/libbrief.a lib/libbrief.so.* .brief

help:
	@echo "make deps | all | demo | test [SANITIZE=1] | unit | e2e | clean | install"
	@echo "make bench | bench-micro | fuzz | fuzz-smoke | memcheck"

# The headers each object was built from (-MMD), in build/ and in a B= of
# one's own elsewhere (a frame-pointer build in /tmp, say).
-include $(sort $(shell find build $(B) -name '*.d' 2>/dev/null))

# ------------------------------------------------------------------
# Reliability (issue 7; docs/RELIABILITY.md).
#
# fuzz:       every libFuzzer target for FUZZ_SECONDS each (default 300);
#             `FUZZ_JOBS=2 make fuzz` runs two at once.  New inputs go to
#             build/fuzz/corpus/TARGET, crashes to build/fuzz/artifacts/.
# fuzz-smoke: replays tests/fuzz/regress/ and the seeds, then fuzzes each
#             target for FUZZ_SMOKE_SECONDS (about a minute in all).
# memcheck:   the end-to-end suite under valgrind.
# The fuzzers and lib/*.c are built by clang with the same flags into
# build/fuzz, apart from the normal and the sanitized builds.
# ------------------------------------------------------------------
FUZZ_CC      = clang
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 7
FUZZ_FLAGS   = -g -O1 -fno-omit-frame-pointer \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS = tokenize figures query trigram serve index
FUZZ_OBJ     = $(LIB_SRC:%.c=build/fuzz/%.o)
FUZZ_BIN     = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

.PHONY: fuzz fuzz-smoke fuzz-build memcheck
fuzz-build: build/.deps-ok $(FUZZ_BIN)

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CLANG   $<")
	$(Q)$(FUZZ_CC) $(STD) $(WARN) -Iinclude -Ilib $(CPPFLAGS) $(FUZZ_FLAGS) \
	    -MMD -MP -c -o $@ $<

build/fuzz/libbrief.a: $(FUZZ_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: build/fuzz/tests/fuzz/fuzz_%.o build/fuzz/libbrief.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< build/fuzz/libbrief.a $(LIBS)

$(FUZZ_OBJ): | build/.deps-ok

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run fuzz $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) sh tests/fuzz/run smoke $(FUZZ_TARGETS)

# memcheck runs the CLIs linked against the shared libraries, in
# build/mem/bin: valgrind cannot replace malloc in a static binary.
MEMCHECK_RUN = valgrind -q --error-exitcode=1 --leak-check=full \
               --errors-for-leak-kinds=definite
MEM_BIN = build/mem/bin
$(MEM_BIN)/brief-%: $(B)/%/main.o $(B)/libbrief.a
	@mkdir -p $(MEM_BIN)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(B)/libbrief.a $(LIBS) $(LDLIBS)

memcheck: build/.deps-ok all $(MEM_BIN)/brief-index $(MEM_BIN)/brief-search
	@B=$(B) BIN=$(MEM_BIN) ONLY=e2e RUN='$(MEMCHECK_RUN)' sh tests/run
