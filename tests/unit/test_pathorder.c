/*
 * test_pathorder.c: meta path_order, 1 while docid order is path order
 * (lib/writer.c note_path_order()), and brief_index_check()'s test of
 * it (lib/check.c check_path_order()).  Indexes are built through the
 * public API in a temporary directory; the flag is read, and forced to
 * 1 where the order is broken, through the store behind the handle.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "brief_int.h"
#include "buf.h"
#include "check.h"
#include "store.h"

static char dir[] = "/tmp/test_pathorder.XXXXXX";

/* Write text to dir/name; with a non-zero mtime, set the file's to it
 * (so that a rewrite differs in mtime as well as in size). */
static void
put(const char *name, const char *text, time_t mtime)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
    if (mtime) {
        struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
        CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
    }
}

static void
make_dir(const char *name)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(mkdir(path, 0777) == 0);
}

/* Open (creating) the index dir/ixname; NULL after a reported failure. */
static brief_index *
open_ix(const char *ixname)
{
    char path[256];
    brief_index *ix = NULL;
    int rc;

    snprintf(path, sizeof path, "%s/%s", dir, ixname);
    rc = brief_index_open(&ix, path, BRIEF_OPEN_WRITE | BRIEF_OPEN_CREATE,
                          NULL);
    CHECK_RC(rc);
    if (rc) {
        brief_index_close(ix);
        return NULL;
    }
    return ix;
}

/* One indexing run over the roots dir/root[0..n). */
static int
reindex(brief_index *ix, const char *const *roots, size_t n)
{
    char path[256];
    brief_indexer *x;
    int rc = brief_indexer_new(&x, ix, NULL);

    for (size_t i = 0; !rc && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, roots[i]);
        rc = brief_indexer_add_root(x, path);
    }
    if (!rc)
        rc = brief_indexer_run(x, NULL);
    brief_indexer_free(x);
    return rc;
}

/* Meta path_order; 99 when it cannot be read. */
static uint64_t
path_order(brief_index *ix)
{
    store_txn *t;
    brief_err e;
    uint64_t v = 99;

    if (store_begin(ix->st, false, &t, &e))
        return 99;
    if (store_meta_get(t, "path_order", &v, &e))
        v = 99;
    store_abort(t);
    return v;
}

static void
set_path_order(brief_index *ix, uint64_t v)
{
    store_txn *t;
    brief_err e;

    CHECK_RC(store_begin(ix->st, true, &t, &e));
    CHECK_RC(store_meta_put(t, "path_order", v, &e));
    CHECK_RC(store_commit(t, &e));
}

/* The docid stored under path; 0 when there is none. */
static uint32_t
docid_of(brief_index *ix, const char *path)
{
    store_txn *t;
    brief_err e;
    uint32_t d = 0;
    sval v;

    if (store_begin(ix->st, false, &t, &e))
        return 0;
    if (!store_get(t, DB_PATHS, path, strlen(path), &v, &e) && v.len == 4)
        d = get_u32be(v.p);
    store_abort(t);
    return d;
}

/* A set flag the index does not bear out is BRIEF_ECORRUPT naming it;
 * cleared again, the index checks. */
static void
check_catches_false_flag(brief_index *ix)
{
    set_path_order(ix, 1);
    CHECK(brief_index_check(ix) == BRIEF_ECORRUPT);
    CHECK(strstr(brief_errmsg(ix), "path_order") != NULL);
    set_path_order(ix, 0);
    CHECK_RC(brief_index_check(ix));
}

/* A fresh index in path order keeps the flag; an update of b.txt (the
 * first path) gives it the last docid and clears it. */
static void
test_update(void)
{
    static const char *const roots[] = { "u" };
    brief_index *ix;

    make_dir("u");
    put("u/b.txt", "bee\n", 1000000000);
    put("u/c.txt", "sea\n", 1000000000);
    if (!(ix = open_ix("u/.brief")))
        return;
    CHECK_RC(reindex(ix, roots, 1));
    CHECK(path_order(ix) == 1);
    CHECK(docid_of(ix, "b.txt") < docid_of(ix, "c.txt"));
    CHECK_RC(brief_index_check(ix));

    put("u/b.txt", "another bee, longer\n", 1000000100);
    CHECK_RC(reindex(ix, roots, 1));
    CHECK(docid_of(ix, "b.txt") > docid_of(ix, "c.txt"));
    CHECK(path_order(ix) == 0);
    CHECK_RC(brief_index_check(ix));
    check_catches_false_flag(ix);
    brief_index_close(ix);
}

/* A file added later whose path sorts first clears the flag; one that
 * sorts last keeps it. */
static void
test_added(void)
{
    static const char *const roots[] = { "n" };
    brief_index *ix;

    make_dir("n");
    put("n/m.txt", "middle\n", 0);
    if (!(ix = open_ix("n/.brief")))
        return;
    CHECK_RC(reindex(ix, roots, 1));
    put("n/z.txt", "last\n", 0);
    CHECK_RC(reindex(ix, roots, 1));
    CHECK(path_order(ix) == 1);
    CHECK_RC(brief_index_check(ix));
    put("n/a.txt", "first\n", 0);
    CHECK_RC(reindex(ix, roots, 1));
    CHECK(path_order(ix) == 0);
    CHECK_RC(brief_index_check(ix));
    check_catches_false_flag(ix);
    brief_index_close(ix);
}

/* "a-b.txt" and "a/x.txt": name by name the directory "a" comes first,
 * but a run sorts its files by full path ('-' 0x2d before '/' 0x2f), so
 * the docids follow the paths' byte order and the flag stays. */
static void
test_dash_slash(void)
{
    static const char *const roots[] = { "w" };
    brief_index *ix;

    make_dir("w");
    make_dir("w/a");
    put("w/a-b.txt", "dash\n", 0);
    put("w/a/x.txt", "slash\n", 0);
    if (!(ix = open_ix("w/.brief")))
        return;
    CHECK_RC(reindex(ix, roots, 1));
    CHECK(docid_of(ix, "a-b.txt") != 0);
    CHECK(docid_of(ix, "a-b.txt") < docid_of(ix, "a/x.txt"));
    CHECK(path_order(ix) == 1);
    CHECK_RC(brief_index_check(ix));
    brief_index_close(ix);
}

/* One run over o/in (the index in o) and out: o/in/a.txt comes first by
 * full path, but out/y.txt is stored by its absolute path, which sorts
 * before "in/a.txt".  The flag is cleared in the run that breaks it. */
static void
test_outside(void)
{
    static const char *const roots[] = { "o/in", "out" };
    char real[PATH_MAX], abs[PATH_MAX + 16];
    brief_index *ix;

    make_dir("o");
    make_dir("o/in");
    make_dir("out");
    put("o/in/a.txt", "inside\n", 0);
    put("out/y.txt", "outside\n", 0);
    if (!(ix = open_ix("o/.brief")))
        return;
    CHECK_RC(reindex(ix, roots, 2));
    CHECK(realpath(dir, real) != NULL);
    snprintf(abs, sizeof abs, "%s/out/y.txt", real);
    CHECK(docid_of(ix, "in/a.txt") != 0);
    CHECK(docid_of(ix, "in/a.txt") < docid_of(ix, abs));
    CHECK(path_order(ix) == 0);
    CHECK_RC(brief_index_check(ix));
    check_catches_false_flag(ix);
    brief_index_close(ix);
}

int
main(void)
{
    char cmd[64];

    if (!mkdtemp(dir)) {
        perror(dir);
        return 1;
    }
    TEST(test_update);
    TEST(test_added);
    TEST(test_dash_slash);
    TEST(test_outside);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_report();
}
