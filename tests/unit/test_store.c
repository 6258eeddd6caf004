/*
 * test_store.c: map growth on an existing index.  BRIEF_TEST_MAP_SIZE
 * asks for a map smaller than the data file; LMDB raises it to the pages
 * in use, and store_grow() must double that real size, so that one
 * doubling makes room for a value as big as the data in use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

#define MIB ((size_t)1 << 20)

static char dir[] = "/tmp/test_store.XXXXXX";

/* One write transaction putting n bytes under key; its status. */
static int
put(store *s, const char *key, size_t n)
{
    store_txn *t;
    brief_err e;
    char *v = malloc(n);
    int rc;

    if (!v)
        return BRIEF_ENOMEM;
    memset(v, 'x', n);
    rc = store_begin(s, true, &t, &e);
    if (!rc) {
        rc = store_put(t, DB_DOCS, key, strlen(key), v, n, &e);
        rc = rc ? (store_abort(t), rc) : store_commit(t, &e);
    }
    free(v);
    return rc;
}

/* A data file of about 4 MiB in use, then a map asked 64 KiB. */
static void
grow_doubles_the_real_map(void)
{
    store *s;
    brief_err e;
    int tries = 0, rc;

    CHECK_RC(store_open(&s, dir, true, true, &e));
    CHECK_RC(put(s, "a", 4 * MIB));
    store_close(s);

    setenv("BRIEF_TEST_MAP_SIZE", "65536", 1);
    CHECK_RC(store_open(&s, dir, true, false, &e));
    unsetenv("BRIEF_TEST_MAP_SIZE");
    /* The map is the 4 MiB in use: 3 MiB more does not fit. */
    while ((rc = put(s, "b", 3 * MIB)) == BRIEF_EFULL && tries < 20) {
        CHECK_RC(store_grow(s, &e));
        tries++;
    }
    CHECK_RC(rc);
    /* Doubling 4 MiB once is enough; doubling the 64 KiB asked for
     * would take seven doublings to pass 4 MiB. */
    CHECK(tries == 1);
    store_close(s);
}

/* LMDB's default order, as its mdb_cmp_memn() has it. */
static int
memn(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);

    if (c)
        return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

static int
sign(int x)
{
    return (x > 0) - (x < 0);
}

/* store_key_cmp() orders every pair of keys as LMDB's default does: the
 * 4-byte fast path and the rest, bytes 0x00, 0x80 and 0xff, empty keys,
 * keys one a prefix of the other. */
static void
key_order_is_lmdbs(void)
{
    static const unsigned char bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
    unsigned char a[9], b[9];

    srand(99);
    for (int round = 0; round < 200000; round++) {
        size_t an = (size_t)(rand() % 10), bn = (size_t)(rand() % 10);
        if (round % 3 == 0)
            an = bn = 4;
        for (size_t i = 0; i < 9; i++) {
            a[i] = bytes[rand() % 5];
            b[i] = rand() % 4 ? a[i] : bytes[rand() % 5];
        }
        if (sign(store_key_cmp(a, an, b, bn)) != memn(a, an, b, bn)) {
            CHECK(!"store_key_cmp agrees with mdb_cmp_memn");
            break;
        }
    }
    CHECK(store_key_cmp("", 0, "", 0) == 0);
    CHECK(store_key_cmp("\x01\x00\x00\x00", 4, "\x00\xff\xff\xff", 4) > 0);
}

int
main(void)
{
    char cmd[64];

    if (!mkdtemp(dir)) {
        perror(dir);
        return 1;
    }
    TEST(grow_doubles_the_real_map);
    TEST(key_order_is_lmdbs);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_report();
}
