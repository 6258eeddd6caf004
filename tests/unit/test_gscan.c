/*
 * test_gscan.c: the helper threads of a regex search (lib/gscan.c).
 * Whatever gscan_take() says of a document must be what scanning it
 * alone says: no match, or the same first match.  The caller here walks
 * the documents as grep.c does, at different paces, so that the helpers
 * and the caller meet at different places; a source that cannot open, or
 * that fails on some documents, leaves those to the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brief.h"
#include "check.h"
#include "gscan.h"

#define N_DOCS 300

static char *docs[N_DOCS];
static size_t lens[N_DOCS];

/* The fake source: the texts above; fail_every > 0 fails each document
 * whose index is a multiple of it; cannot_open makes open() fail. */
static int fail_every;
static int cannot_open;

static void *
src_open(void *ctx)
{
    return cannot_open ? NULL : ctx;
}

static int
src_text(void *r, size_t i, gtext *out)
{
    (void)r;
    if (fail_every && i % (size_t)fail_every == 0)
        return -1;
    *out = (gtext){ docs[i], lens[i], NULL, 0 };
    return 0;
}

static void
src_close(void *r)
{
    (void)r;
}

static const gscan_source src = { src_open, src_text, src_close, docs };

/* Random documents: lines of words, some with a figure "12%" that the
 * pattern below finds, most without. */
static void
make_docs(unsigned seed)
{
    srand(seed);
    for (size_t i = 0; i < N_DOCS; i++) {
        size_t cap = 64 + (size_t)(rand() % 4000), n = 0;
        free(docs[i]);
        docs[i] = malloc(cap + 16);
        while (n < cap) {
            int r = rand() % 100;
            const char *w = r < 2 ? "12% " : r < 10 ? "\n" : "word ";
            memcpy(docs[i] + n, w, strlen(w));
            n += strlen(w);
        }
        lens[i] = n;
    }
}

static void
pause_us(long us)
{
    struct timespec ts = { us / 1000000, us % 1000000 * 1000 };

    nanosleep(&ts, NULL);
}

/* Walk documents 0..N_DOCS-1 with a helper set of `threads`, sleeping
 * pace_us before each; check every answer against the caller's own scan.
 * Returns how many documents the helpers had done. */
static size_t
walk(regex *re, unsigned threads, long start_us, long pace_us)
{
    gscan *g;
    size_t done = 0;

    CHECK(gscan_start(&g, re, N_DOCS, &src, threads) == BRIEF_OK);
    CHECK(threads < 2 || g != NULL);
    pause_us(start_us);
    for (size_t i = 0; i < N_DOCS; i++) {
        size_t ms = 0, me = 0, ws, we;
        int took = gscan_take(g, i, &ms, &me);
        int want = regex_next(re, docs[i], lens[i], 0, &ws, &we);
        if (pace_us)
            pause_us(pace_us);
        if (took == GSCAN_NONE)
            CHECK(want == 0);
        if (took == GSCAN_FIRST)
            CHECK(want == 1 && ms == ws && me == we);
        if (took != GSCAN_MINE)
            done++;
        if (fail_every && i % (size_t)fail_every == 0)
            CHECK(took == GSCAN_MINE);
    }
    gscan_stop(g);
    return done;
}

static regex *
compile(const char *pattern)
{
    char msg[256];
    size_t which, off;
    regex *re = NULL;

    CHECK(regex_compile(&re, &pattern, 1, 0, msg, sizeof msg, &which,
                        &off) == BRIEF_OK);
    return re;
}

/* Helpers that start well ahead of the caller do most documents; a
 * caller that runs at once meets them somewhere; every answer agrees. */
static void
test_gscan_agrees(void)
{
    regex *re = compile("[0-9]+%");

    for (unsigned seed = 1; seed <= 3; seed++) {
        make_docs(seed);
        CHECK(walk(re, 2, 100000, 0) > N_DOCS / 2);
        walk(re, 2, 0, 0);
        walk(re, 4, 0, 20);
        walk(re, 8, 0, 0);
    }
    regex_free(re);
}

/* One thread or one document: no helpers. */
static void
test_gscan_not_worth_it(void)
{
    regex *re = compile("x");
    gscan *g = (gscan *)1;

    CHECK(gscan_start(&g, re, N_DOCS, &src, 1) == BRIEF_OK && !g);
    CHECK(gscan_start(&g, re, 1, &src, 8) == BRIEF_OK && !g);
    CHECK(gscan_take(NULL, 0, NULL, NULL) == GSCAN_MINE);
    gscan_stop(NULL);
    regex_free(re);
}

/* A source that cannot open leaves everything to the caller; one that
 * fails on some documents leaves those. */
static void
test_gscan_source_fails(void)
{
    regex *re = compile("[0-9]+%");

    make_docs(7);
    cannot_open = 1;
    CHECK(walk(re, 3, 50000, 0) == 0);
    cannot_open = 0;
    fail_every = 5;
    CHECK(walk(re, 3, 100000, 0) > 0);
    fail_every = 0;
    regex_free(re);
}

/* A document where PCRE2 gives up (its match limit) is the caller's: it
 * redoes it and reports the limit itself. */
static void
test_gscan_limit(void)
{
    regex *re = compile("(a+)+$");
    gscan *g;
    size_t ms, me;

    make_docs(9);
    free(docs[N_DOCS - 1]);
    docs[N_DOCS - 1] = malloc(64);
    memset(docs[N_DOCS - 1], 'a', 40);
    docs[N_DOCS - 1][40] = 'b';
    lens[N_DOCS - 1] = 41;
    CHECK(gscan_start(&g, re, N_DOCS, &src, 2) == BRIEF_OK && g);
    pause_us(300000);
    CHECK(gscan_take(g, N_DOCS - 1, &ms, &me) == GSCAN_MINE);
    CHECK(regex_next(re, docs[N_DOCS - 1], lens[N_DOCS - 1], 0, &ms, &me) ==
          BRIEF_ELIMIT);
    gscan_stop(g);
    regex_free(re);
}

int
main(void)
{
    TEST(test_gscan_agrees);
    TEST(test_gscan_not_worth_it);
    TEST(test_gscan_source_fails);
    TEST(test_gscan_limit);
    for (size_t i = 0; i < N_DOCS; i++)
        free(docs[i]);
    return check_report();
}
