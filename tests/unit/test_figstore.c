/*
 * test_figstore.c: the figure record codec.  Figures of every kind
 * (integer and fractional values, -0, infinity, ranges, subjects before
 * and after, units repeated and changed, offsets near 4 GiB) round-trip;
 * figures out of order are refused; the reader seeks forward and back;
 * every truncation, byte change and oversized count of a valid value is
 * decoded from an exact-size copy (so ASan sees any read past its end)
 * and fails cleanly.  The unit index's runs merge as the head of
 * figstore.c says and keep every value where removal finds it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "buf.h"
#include "check.h"
#include "figstore.h"

#define N_FIGS 9

static figrec
rec(size_t start, size_t end, double value, const char *unit)
{
    figrec r;

    memset(&r, 0, sizeof r);
    r.f.start = start;
    r.f.end = end;
    r.f.value = r.f.value_high = value;
    strcpy(r.f.unit, unit);
    return r;
}

/* Figures of every kind, in source order. */
static void
make_figs(figrec *v)
{
    v[0] = rec(0, 5, 2023, "year");
    v[1] = rec(5, 20, 3.38, "percent");
    v[1].f.qualifier = FIG_Q_AT_MOST;
    v[1].f.subject_start = 1;               /* before the figure */
    v[1].f.subject_end = 4;
    v[1].passage = 2;
    v[1].pos = 4096;
    v[1].n_pos = 3;
    v[2] = rec(30, 40, -0.0, "percent");
    v[3] = rec(40, 41, -7, "count");
    v[3].f.subject_start = 41;              /* after it */
    v[3].f.subject_end = 60;
    v[4] = rec(70, 90, 3e6, "USD");
    v[4].f.is_range = true;
    v[4].f.value_high = 5.5e6;
    v[4].passage = 9;
    v[5] = rec(90, 95, 1.5, "USD");
    v[5].f.is_range = true;
    v[5].f.value_high = 2;
    v[6] = rec(100, 101, INFINITY, "count");
    v[7] = rec(200, 201, 9007199254740992.0, "percent");      /* 2^53 */
    v[8] = rec(UINT32_MAX - 1, UINT32_MAX, -1e300, "rank");
    v[8].f.subject_start = 0;               /* subject at byte 0 */
    v[8].f.subject_end = 1;
    v[8].passage = UINT32_MAX;
    for (size_t i = 1; i < N_FIGS; i++)     /* passages never go back */
        if (v[i].passage < v[i - 1].passage)
            v[i].passage = v[i - 1].passage;
}

static bool
same(const figrec *a, const figrec *b)
{
    return memcmp(&a->f.value, &b->f.value, sizeof a->f.value) == 0 &&
           memcmp(&a->f.value_high, &b->f.value_high,
                  sizeof a->f.value_high) == 0 &&
           a->f.is_range == b->f.is_range &&
           strcmp(a->f.unit, b->f.unit) == 0 &&
           a->f.qualifier == b->f.qualifier && a->f.start == b->f.start &&
           a->f.end == b->f.end && a->f.subject_start == b->f.subject_start &&
           a->f.subject_end == b->f.subject_end &&
           a->passage == b->passage && a->pos == b->pos &&
           a->n_pos == b->n_pos;
}

static void
encode(const figrec *v, size_t n, buf *b)
{
    memset(b, 0, sizeof *b);
    CHECK_RC(figstore_encode(v, n, b));
}

static void
test_roundtrip(void)
{
    figrec v[N_FIGS], r;
    figiter it;
    uint32_t n = 0;
    buf b;
    int more;

    make_figs(v);
    encode(v, N_FIGS, &b);
    CHECK(b.len < N_FIGS * 20);
    CHECK(figstore_count(b.data, b.len, &n) == 0 && n == N_FIGS);
    CHECK(figiter_init(&it, b.data, b.len) == 0);
    CHECK(figiter_count(&it) == N_FIGS);
    for (size_t i = 0; (more = figiter_next(&it, &r)) == 1; i++)
        CHECK(i < N_FIGS && same(&r, &v[i]));
    CHECK(more == 0 && it.idx == N_FIGS);
    CHECK(signbit(v[2].f.value));           /* -0 stays -0 */
    buf_free(&b);
}

static void
test_seek(void)
{
    static const uint32_t order[] = { 3, 3, 4, 8, 0, 7, 2, 2, 1, 5, 6 };
    figrec v[N_FIGS], r;
    figiter it;
    buf b;

    make_figs(v);
    encode(v, N_FIGS, &b);
    CHECK(figiter_init(&it, b.data, b.len) == 0);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        CHECK(figiter_seek(&it, order[i], &r) == 0 &&
              same(&r, &v[order[i]]));
    CHECK(figiter_seek(&it, N_FIGS, &r) == -1);
    for (uint32_t i = 0; i < N_FIGS; i++)
        CHECK(figstore_get(b.data, b.len, i, &r) == 0 && same(&r, &v[i]));
    CHECK(figstore_get(b.data, b.len, N_FIGS, &r) == -1);
    buf_free(&b);
}

static void
test_refused(void)
{
    figrec v[2];
    buf b = { NULL, 0, 0 };

    v[0] = rec(10, 20, 1, "count");
    v[1] = rec(15, 25, 2, "count");         /* overlaps */
    CHECK(figstore_encode(v, 2, &b) == BRIEF_EINVAL);
    v[1] = rec(20, 20, 2, "count");         /* empty */
    CHECK(figstore_encode(v, 2, &b) == BRIEF_EINVAL);
    v[1] = rec(20, 25, NAN, "count");
    CHECK(figstore_encode(v, 2, &b) == BRIEF_EINVAL);
    v[0].passage = 3;                       /* passages go back */
    v[1] = rec(20, 25, 2, "count");
    CHECK(figstore_encode(v, 2, &b) == BRIEF_EINVAL);
    v[0].passage = 0;
    v[1].f.end = (size_t)UINT32_MAX + 1;
    CHECK(figstore_encode(v, 2, &b) == BRIEF_EINVAL);
    buf_free(&b);
}

/* Decode p[0..len) from an exact-size copy: -1 malformed, else the
 * number of figures read. */
static int
decode_all(const unsigned char *p, size_t len)
{
    unsigned char *c = malloc(len ? len : 1);
    figiter it;
    figrec r;
    int n = 0, more = -1;

    memcpy(c, p, len);
    if (figiter_init(&it, c, len) == 0)
        while ((more = figiter_next(&it, &r)) == 1)
            n++;
    free(c);
    return more == 0 ? n : -1;
}

static void
test_corrupt(void)
{
    static const unsigned char huge[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
    figrec v[N_FIGS];
    unsigned char *c;
    buf b;

    make_figs(v);
    encode(v, N_FIGS, &b);
    CHECK(decode_all(b.data, b.len) == N_FIGS);
    for (size_t len = 0; len < b.len; len++)        /* every truncation */
        CHECK(decode_all(b.data, len) == -1);
    c = malloc(b.len + 1);
    memcpy(c, b.data, b.len);
    c[b.len] = 0;
    CHECK(decode_all(c, b.len + 1) == -1);          /* a byte too many */
    for (size_t i = 0; i < b.len; i++)              /* every byte changed */
        for (unsigned x = 1; x < 256; x <<= 1) {
            memcpy(c, b.data, b.len);
            c[i] ^= (unsigned char)x;
            (void)decode_all(c, b.len);
        }
    memcpy(c, b.data, b.len);
    c[0] = N_FIGS + 1;                              /* a count too many */
    CHECK(decode_all(c, b.len) == -1);
    CHECK(decode_all(huge, sizeof huge) == -1);     /* 4G figures */
    CHECK(figstore_count(huge, sizeof huge, &(uint32_t){ 0 }) == -1);
    free(c);
    buf_free(&b);
}

/* The unit index in runs: 20 batches of 10 documents (more runs than a
 * unit may keep, so they merge), then removals; every value stays in the
 * run removal looks in, and exactly the live documents' values remain. */
#define RUN_BATCHES 20
#define RUN_DOCS (RUN_BATCHES * 10)

static void
test_runs(void)
{
    char dir[] = "/tmp/test_figstore.XXXXXX", cmd[64];
    static bool gone[RUN_DOCS + 1];
    store *s;
    store_txn *t;
    store_cursor *cur;
    brief_err e;
    figbatch fb = { NULL, 0, 0, 0 };
    uint64_t n, want = 0;
    sval k, v;
    int rc;

    if (!mkdtemp(dir) || store_open(&s, dir, STORE_WRITE | STORE_CREATE, &e)) {
        CHECK(!"a store in a temporary directory");
        return;
    }
    srand(11);
    for (uint32_t b = 0; b < RUN_BATCHES; b++) {
        CHECK_RC(store_begin(s, true, &t, &e));
        for (uint32_t d = 10 * b + 1; d <= 10 * b + 10; d++) {
            figrec r[3] = {
                rec(0, 2, rand() % 1000, "percent"),
                rec(3, 5, rand() % 1000, "USD"),
                rec(6, 8, rand() % 1000, "count"),
            };
            r[1].f.is_range = true;
            r[1].f.value_high = r[1].f.value + 1;
            CHECK_RC(figstore_put(t, &fb, d, r, d % 2 ? 3 : 2, &e));
            want += d % 2 ? 4 : 3;
        }
        CHECK_RC(figbatch_flush(t, &fb, &e));
        CHECK_RC(store_commit(t, &e));
    }
    figbatch_free(&fb);
    CHECK_RC(store_begin(s, true, &t, &e));
    CHECK_RC(figstore_check_runs(t, &e));
    CHECK_RC(store_count(t, DB_FIGVALS, &n, &e));
    CHECK(n == want);
    for (uint32_t d = 1; d <= RUN_DOCS; d++)
        if (rand() % 4 == 0) {
            CHECK_RC(figstore_del(t, d, &e));
            gone[d] = true;
            want -= d % 2 ? 4 : 3;
        }
    CHECK_RC(figstore_check_runs(t, &e));
    CHECK_RC(store_count(t, DB_FIGVALS, &n, &e));
    CHECK(n == want);
    /* No value of a removed document is left. */
    CHECK_RC(store_cursor_open(t, DB_FIGVALS, &cur, &e));
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v))
        CHECK(v.len == 16 && !gone[get_u32be(v.p + 8)]);
    CHECK(rc == BRIEF_DONE);
    for (rc = store_cursor_first(cur, &k, &v), n = 0; rc == BRIEF_OK;
         rc = store_cursor_next_key(cur, &k, &v))
        n++;
    /* 17 runs after batch 17 were merged into one; 3 batches since. */
    CHECK(n == 3 * 4);
    store_cursor_close(cur);
    store_abort(t);
    store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

/* Full runs: with runs full at CAP values ($BRIEF_TEST_FIGVALS_CAP),
 * batches of 1 to 4 documents, and of 30 (a full run by themselves),
 * leave each unit with full runs and then at most 16 that are not; the
 * merges keep every value once, in the run removal looks in; and so
 * after removals and more batches. */
#define CAP 25
#define CAP_BATCHES 90
#define CAP_MORE 20
#define CAP_DOCS 2000

static const char *const cap_units[3] = { "count", "percent", "USD" };

/* Document d has figures 0 .. d % 3 in cap_units[0 ..]. */
static double
cap_value(uint32_t d, uint32_t i)
{
    return (double)((d * 7919 + i * 104729) % 1000) - 300;
}

/* Every value of figvals is a live document's, as filed, and every live
 * document's is there once; with ordered, each unit's runs are full ones,
 * then at most 16 that are not.  Returns the number of runs. */
static size_t
check_cap_runs(store_txn *t, const bool *gone, uint32_t n_docs, bool ordered)
{
    static unsigned char seen[CAP_DOCS + 1][3];
    char unit[FIG_UNIT_MAX] = "";
    unsigned char key[FIGSTORE_KEY_MAX], want[16];
    size_t n_runs = 0, not_full = 0, n, ulen;
    store_cursor *cur;
    brief_err e;
    uint32_t run;
    sval k, v;
    int rc;

    memset(seen, 0, sizeof seen);
    CHECK_RC(figstore_check_runs(t, &e));
    CHECK_RC(store_cursor_open(t, DB_FIGVALS, &cur, &e));
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next_key(cur, &k, &v)) {
        size_t klen = k.len;
        CHECK(figstore_key_unit(&k, &ulen, &run) == 0 && klen <= sizeof key);
        memcpy(key, k.p, klen);
        if (ulen != strlen(unit) || memcmp(key, unit, ulen) != 0) {
            CHECK(!ordered || not_full <= 16);
            memcpy(unit, key, ulen);
            unit[ulen] = '\0';
            not_full = 0;
        }
        n_runs++;
        CHECK_RC(store_cursor_dup_count(cur, &n));
        if (n < CAP)
            not_full++;
        else
            CHECK(!ordered || not_full == 0);
        for (rc = store_cursor_dup(cur, key, klen, true, &v); rc == BRIEF_OK;
             rc = store_cursor_dup(cur, key, klen, false, &v), n--) {
            uint32_t d = get_u32be(v.p + 8), i = get_u32be(v.p + 12);
            CHECK(v.len == 16 && d >= run && d <= n_docs && !gone[d] &&
                  i <= d % 3 && strcmp(unit, cap_units[i % 3]) == 0);
            if (d > n_docs || i > 2)
                continue;
            figstore_val(want, cap_value(d, i), d, i);
            CHECK(memcmp(v.p, want, 16) == 0);
            seen[d][i]++;
        }
        CHECK(rc == BRIEF_DONE && n == 0);
    }
    CHECK(rc == BRIEF_DONE);
    CHECK(!ordered || not_full <= 16);
    store_cursor_close(cur);
    for (uint32_t d = 1; d <= n_docs; d++)
        for (uint32_t i = 0; i < 3; i++)
            CHECK(seen[d][i] == (!gone[d] && i <= d % 3));
    return n_runs;
}

/* Batch b of the test: its documents from *d on. */
static void
cap_batch(store *s, figbatch *fb, uint32_t b, uint32_t *d)
{
    uint32_t n = b % 9 == 0 ? 30 : 1 + b % 4;
    store_txn *t;
    brief_err e;

    CHECK_RC(store_begin(s, true, &t, &e));
    for (uint32_t end = *d + n; *d < end; ++*d) {
        figrec r[3];
        for (uint32_t i = 0; i <= *d % 3; i++)
            r[i] = rec(3 * i, 3 * i + 2, cap_value(*d, i), cap_units[i]);
        CHECK_RC(figstore_put(t, fb, *d, r, *d % 3 + 1, &e));
    }
    CHECK_RC(figbatch_flush(t, fb, &e));
    CHECK_RC(store_commit(t, &e));
}

static void
test_full_runs(void)
{
    char dir[] = "/tmp/test_figstore.XXXXXX", cmd[64];
    static bool gone[CAP_DOCS + 1];
    figbatch fb = { NULL, 0, 0, 0 };
    uint32_t d = 1, b;
    store *s;
    store_txn *t;
    brief_err e;
    size_t n_runs;

    if (!mkdtemp(dir) || store_open(&s, dir, STORE_WRITE | STORE_CREATE, &e)) {
        CHECK(!"a store in a temporary directory");
        return;
    }
    setenv("BRIEF_TEST_FIGVALS_CAP", "25", 1);
    for (b = 0; b < CAP_BATCHES; b++)
        cap_batch(s, &fb, b, &d);
    CHECK(d - 1 <= CAP_DOCS);
    CHECK_RC(store_begin(s, true, &t, &e));
    n_runs = check_cap_runs(t, gone, d - 1, true);
    /* Merged: far fewer runs than batches, yet more than one per unit
     * (about 550 values of "count" make some 20 full runs). */
    CHECK(n_runs > 3 * 10 && n_runs < 3 * CAP_BATCHES / 2);
    srand(12);
    for (uint32_t x = 1; x < d; x++)
        if (rand() % 3 == 0) {
            CHECK_RC(figstore_del(t, x, &e));
            gone[x] = true;
        }
    check_cap_runs(t, gone, d - 1, false);
    CHECK_RC(store_commit(t, &e));
    for (; b < CAP_BATCHES + CAP_MORE; b++)
        cap_batch(s, &fb, b, &d);
    CHECK(d - 1 <= CAP_DOCS);
    CHECK_RC(store_begin(s, false, &t, &e));
    check_cap_runs(t, gone, d - 1, false);
    store_abort(t);
    unsetenv("BRIEF_TEST_FIGVALS_CAP");
    figbatch_free(&fb);
    store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

int
main(void)
{
    TEST(test_roundtrip);
    TEST(test_seek);
    TEST(test_refused);
    TEST(test_corrupt);
    TEST(test_runs);
    TEST(test_full_runs);
    return check_report();
}
