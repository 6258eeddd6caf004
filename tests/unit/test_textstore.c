/*
 * test_textstore.c: texts packed into blocks and read back.  Random
 * documents (small ones sharing blocks, large ones alone, docids with
 * gaps) must read back byte for byte, by docid and in order, before and
 * after removals from the start, middle and end of blocks, read in place
 * and copied (textreader_copying(): a block of tiny texts has a header
 * longer than one read of it); a malformed block is BRIEF_ECORRUPT, not
 * a crash.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "textstore.h"

#define N_DOCS 600

static char dir[] = "/tmp/test_textstore.XXXXXX";
static char *texts[N_DOCS + 1];     /* by docid; NULL: no document */
static size_t lens[N_DOCS + 1];

/* Docid i reads back from r as texts[] says. */
static void
check_get(textreader *r, uint32_t i)
{
    brief_err e;
    sval v;
    int rc = textreader_get(r, i, &v, &e);

    if (i <= N_DOCS && texts[i]) {
        CHECK(rc == BRIEF_OK && v.len == lens[i] &&
              memcmp(v.p, texts[i], v.len) == 0);
    } else {
        CHECK(rc == BRIEF_DONE);
    }
}

/* Every docid reads back as texts[] says, by look-up in order and out of
 * order (most look-ups then seek a block and land inside it), and in
 * order by textreader_next(), copied when copy. */
static void
check_mode(store *st, bool copy)
{
    store_txn *t;
    brief_err e;
    textreader r;
    uint32_t d, want = 1;
    sval v;
    int rc;

    CHECK_RC(store_begin(st, false, &t, &e));
    textreader_init(&r, t);
    if (copy)
        textreader_copying(&r);
    for (uint32_t i = 0; i <= N_DOCS + 1; i++)
        check_get(&r, i);
    /* 7919 is prime: k * 7919 runs through every residue. */
    for (uint32_t k = 0; k <= N_DOCS + 1; k++)
        check_get(&r, k * 7919 % (N_DOCS + 2));
    textreader_close(&r);
    textreader_init(&r, t);
    if (copy)
        textreader_copying(&r);
    while ((rc = textreader_next(&r, &d, &v, &e)) == BRIEF_OK) {
        while (want <= N_DOCS && !texts[want])
            want++;
        CHECK(d == want && v.len == lens[d] &&
              memcmp(v.p, texts[d], v.len) == 0);
        want = d + 1;
    }
    CHECK(rc == BRIEF_DONE);
    while (want <= N_DOCS && !texts[want])
        want++;
    CHECK(want == N_DOCS + 1);
    textreader_close(&r);
    store_abort(t);
}

static void
check_all(store *st)
{
    check_mode(st, false);
    check_mode(st, true);
}

static store *s;

static void
pack_read_remove(void)
{
    store_txn *t;
    brief_err e;
    textpack p;

    srand(7);
    /* Two batches, as two commits: a block never spans them. */
    for (uint32_t lo = 1; lo <= N_DOCS; lo += N_DOCS / 2) {
        CHECK_RC(store_begin(s, true, &t, &e));
        textpack_init(&p, t);
        for (uint32_t d = lo; d < lo + N_DOCS / 2; d++) {
            if (rand() % 5 == 0)
                continue;
            /* The first 250: a block of tiny texts, its header some
             * 400 bytes. */
            lens[d] = d <= 250 ? (size_t)(rand() % 4)
                      : rand() % 50 == 0 ? 70000 + (size_t)(rand() % 100000)
                                         : (size_t)(rand() % 9000);
            texts[d] = malloc(lens[d] + 1);
            for (size_t i = 0; i < lens[d]; i++)
                texts[d][i] = (char)('a' + (d + i) % 26);
            CHECK_RC(textpack_add(&p, d, texts[d], lens[d], &e));
        }
        CHECK_RC(textpack_flush(&p, &e));
        textpack_free(&p);
        CHECK_RC(store_commit(t, &e));
    }
    check_all(s);

    /* Remove a third, in one transaction, then the rest but a few. */
    for (int round = 0; round < 2; round++) {
        CHECK_RC(store_begin(s, true, &t, &e));
        for (uint32_t d = 1; d <= N_DOCS; d++) {
            if (!texts[d] || rand() % (round ? 10 : 3) == 0)
                continue;
            if (round == 0 && d % 3)
                continue;
            CHECK_RC(textstore_del(t, d, &e));
            free(texts[d]);
            texts[d] = NULL;
        }
        CHECK_RC(textstore_del(t, N_DOCS + 5, &e));     /* none: fine */
        CHECK_RC(store_commit(t, &e));
        check_all(s);
    }
}

static void
malformed_block(void)
{
    static const unsigned char bad[][6] = {
        { 0 },                          /* no documents */
        { 1, 1, 1, 'x' },               /* the first delta is not 0 */
        { 2, 0, 1, 0, 1, 'x' },         /* a later delta of 0 */
        { 1, 0, 9, 'x' },               /* the text runs past the value */
        { 2, 0, 1, 'x' },               /* the header runs past it */
    };
    static const size_t bad_len[] = { 1, 4, 6, 4, 4 };
    store_txn *t;
    brief_err e;
    textreader r;
    unsigned char key[4];
    sval v;

    put_u32be(key, N_DOCS + 100);
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        CHECK_RC(store_begin(s, true, &t, &e));
        CHECK_RC(store_put(t, DB_TEXT, key, 4, bad[i], bad_len[i], &e));
        CHECK(textstore_get(t, N_DOCS + 100, &v, &e) == BRIEF_ECORRUPT);
        CHECK(textstore_del(t, N_DOCS + 100, &e) == BRIEF_ECORRUPT);
        CHECK_RC(store_commit(t, &e));
        /* Committed, read by a copying reader: from data.mdb. */
        CHECK_RC(store_begin(s, false, &t, &e));
        textreader_init(&r, t);
        textreader_copying(&r);
        CHECK(textreader_get(&r, N_DOCS + 100, &v, &e) == BRIEF_ECORRUPT);
        textreader_close(&r);
        store_abort(t);
        CHECK_RC(store_begin(s, true, &t, &e));
        CHECK_RC(store_del(t, DB_TEXT, key, 4, NULL, 0, &e));
        CHECK_RC(store_commit(t, &e));
    }
}

int
main(void)
{
    char cmd[64];
    brief_err e;

    if (!mkdtemp(dir)) {
        perror(dir);
        return 1;
    }
    if (store_open(&s, dir, STORE_WRITE | STORE_CREATE, &e)) {
        fprintf(stderr, "%s: %s\n", dir, e.msg);
        return 1;
    }
    TEST(pack_read_remove);
    TEST(malformed_block);
    store_close(s);
    for (size_t i = 0; i <= N_DOCS; i++)
        free(texts[i]);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_report();
}
