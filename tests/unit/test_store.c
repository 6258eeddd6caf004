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

int
main(void)
{
    char cmd[64];

    if (!mkdtemp(dir)) {
        perror(dir);
        return 1;
    }
    TEST(grow_doubles_the_real_map);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_report();
}
