/*
 * test_store.c: map growth on an existing index.  BRIEF_TEST_MAP_SIZE
 * asks for a map smaller than the data file; LMDB raises it to the pages
 * in use, and store_grow() must double that real size, so that one
 * doubling makes room for a value as big as the data in use.  And
 * store_copy() reads what the map holds: from data.mdb in a read
 * transaction (a value inline in its page, one on overflow pages, parts
 * of one), from memory in a write transaction's dirty pages.  And the
 * free list's pages counted, and a file rewritten in place unchanged.
 * And a copy written entry by entry (store_copy_db()) holds every entry
 * of the original, in pieces, with few free pages.  And a store whose
 * data.mdb another file replaced opens the new one at its next first
 * transaction.  And appends (through a kept cursor) mixed with puts,
 * deletes and appends out of order in one transaction leave what a
 * model says, in order.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
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

    CHECK_RC(store_open(&s, dir, STORE_WRITE | STORE_CREATE, &e));
    CHECK_RC(put(s, "a", 4 * MIB));
    store_close(s);

    setenv("BRIEF_TEST_MAP_SIZE", "65536", 1);
    CHECK_RC(store_open(&s, dir, STORE_WRITE, &e));
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

/* Values of n bytes, every byte telling its key and offset. */
static void
fill(char *v, size_t n, char key)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (char)(key * 31 + i * 7 + i / 4099);
}

static void
copy_reads_the_file(void)
{
    static const size_t sizes[] = { 1, 100, 2000, 5000, 70000 };
    static char v[70000], got[70000];
    store *s;
    store_txn *t;
    brief_err e;
    sval x;

    CHECK_RC(store_open(&s, dir, STORE_WRITE, &e));
    CHECK_RC(store_begin(s, true, &t, &e));
    for (size_t i = 0; i < 5; i++) {
        char key[2] = { (char)('p' + i), 0 };
        fill(v, sizes[i], key[0]);
        CHECK_RC(store_put(t, DB_PASSAGES, key, 1, v, sizes[i], &e));
        /* Dirty: not yet in the file. */
        CHECK_RC(store_get(t, DB_PASSAGES, key, 1, &x, &e));
        CHECK_RC(store_copy(t, x.p, x.len, got, &e));
        CHECK(x.len == sizes[i] && memcmp(got, v, x.len) == 0);
    }
    CHECK_RC(store_commit(t, &e));
    CHECK_RC(store_begin(s, false, &t, &e));
    for (size_t i = 0; i < 5; i++) {
        char key[2] = { (char)('p' + i), 0 };
        size_t from = sizes[i] / 3;
        fill(v, sizes[i], key[0]);
        CHECK_RC(store_get(t, DB_PASSAGES, key, 1, &x, &e));
        memset(got, 0, sizeof got);
        CHECK_RC(store_copy(t, x.p, x.len, got, &e));
        CHECK(x.len == sizes[i] && memcmp(got, v, x.len) == 0);
        memset(got, 0, sizeof got);
        CHECK_RC(store_copy(t, x.p + from, x.len - from, got, &e));
        CHECK(memcmp(got, v + from, x.len - from) == 0);
    }
    /* Not in the map at all: copied from memory. */
    CHECK_RC(store_copy(t, v, 10, got, &e));
    CHECK(memcmp(got, v, 10) == 0);
    store_abort(t);
    store_close(s);
}

/* Whether /proc/self/maps maps data.mdb of dir at base. */
static bool
maps_at(uintptr_t base)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[4096], want[64];
    bool found = false;

    snprintf(want, sizeof want, "%s/data.mdb\n", dir);
    while (f && !found && fgets(line, sizeof line, f)) {
        const char *path = strchr(line, '/');
        found = strtoull(line, NULL, 16) == base && path &&
                strcmp(path, want) == 0;
    }
    if (f)
        fclose(f);
    return found;
}

/* The store knows where LMDB mapped data.mdb, both ways it finds out: for
 * writing from /proc/self/maps, read-only from a value of the catalog
 * (the map's first page is meta page 0); a read value lies past it. */
static void
map_base_is_found(void)
{
    static const unsigned how[] = { STORE_WRITE, STORE_NO_WRITER };
    store *s;
    store_txn *t;
    brief_err e;
    sval x;

    for (size_t i = 0; i < 2; i++) {
        CHECK_RC(store_open(&s, dir, how[i], &e));
        CHECK(store_map_base(s) != 0);
        CHECK(maps_at(store_map_base(s)));
        CHECK_RC(store_begin(s, false, &t, &e));
        CHECK_RC(store_get(t, DB_PASSAGES, "p", 1, &x, &e));
        CHECK((uintptr_t)x.p > store_map_base(s) + 8192 &&
              (uintptr_t)x.p < store_map_base(s) + store_file_size(s));
        store_abort(t);
        store_close(s);
    }
}

/* Opened read-only (STORE_NO_WRITER), the store cannot be shared by a
 * writer: BRIEF_EBUSY until it is closed. */
static void
no_writer_refuses_a_writer(void)
{
    store *r, *w;
    brief_err e;

    CHECK_RC(store_open(&r, dir, STORE_NO_WRITER, &e));
    CHECK(store_open(&w, dir, STORE_WRITE, &e) == BRIEF_EBUSY);
    CHECK(strstr(e.msg, "already open read-only") != NULL);
    store_close(r);
    CHECK_RC(store_open(&w, dir, STORE_WRITE, &e));
    store_close(w);
    /* Without the promise a reader shares with a later writer. */
    CHECK_RC(store_open(&r, dir, 0, &e));
    CHECK_RC(store_open(&w, dir, STORE_WRITE, &e));
    CHECK(store_users(r) == 2);
    store_close(w);
    store_close(r);
}

/* The whole data file of dir, malloc'ed; *n its size. */
static char *
slurp(size_t *n)
{
    char path[64], *p = NULL;
    FILE *f;
    long len;

    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (!(f = fopen(path, "rb")))
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)len)) &&
        fread(p, 1, (size_t)len, f) != (size_t)len) {
        free(p);
        p = NULL;
    }
    *n = p ? (size_t)len : 0;
    fclose(f);
    return p;
}

/* A value replaced frees its pages: store_free_pages() counts them (not
 * the free list's entries).  store_rewrite() leaves the file as it was,
 * over runs of 2 MiB and the shorter last one (the file is some 4 MiB). */
static void
free_pages_and_rewrite(void)
{
    uint64_t n_free, n_pages;
    size_t n_before, n_after;
    char *before, *after;
    store *s;
    store_txn *t;
    brief_err e;
    sval x;

    CHECK_RC(store_open(&s, dir, STORE_WRITE, &e));
    CHECK_RC(put(s, "f", 64 << 10));
    CHECK_RC(put(s, "f", 64 << 10));
    CHECK_RC(store_free_pages(s, &n_free, &n_pages, &e));
    CHECK(n_free >= 16 && n_free < n_pages);
    CHECK(n_pages * 4096 == store_file_size(s));
    store_close(s);

    CHECK((before = slurp(&n_before)) != NULL);
    CHECK(n_before > 2 * MIB && n_before % (2 * MIB) != 0);
    CHECK_RC(store_rewrite(dir, &e));
    CHECK((after = slurp(&n_after)) != NULL);
    CHECK(n_after == n_before && before && after &&
          memcmp(before, after, n_before) == 0);
    free(before);
    free(after);

    CHECK_RC(store_open(&s, dir, STORE_WRITE, &e));
    CHECK_RC(store_begin(s, false, &t, &e));
    CHECK_RC(store_get(t, DB_DOCS, "f", 1, &x, &e));
    CHECK(x.len == 64 << 10 && x.p[0] == 'x' && x.p[x.len - 1] == 'x');
    store_abort(t);
    store_close(s);
    CHECK(store_rewrite("/nonexistent", &e) == BRIEF_EIO);
    CHECK(strstr(e.msg, "/nonexistent/data.mdb: ") != NULL);
}

/* Every entry of every database of the index in sub, in order, as
 * (db, key length, key, value length, value) records; *n their bytes. */
static char *
dump(const char *sub, size_t *n)
{
    buf out = { NULL, 0, 0 };
    store *s;
    store_txn *t;
    brief_err e;
    int rc = 0;

    *n = 0;
    if (store_open(&s, sub, 0, &e))
        return NULL;
    if (store_begin(s, false, &t, &e) == 0) {
        for (int db = 0; db < DB_COUNT; db++) {
            store_cursor *c;
            sval k, v;
            if (store_cursor_open(t, db, &c, &e))
                continue;
            for (int r = store_cursor_first(c, &k, &v); r == BRIEF_OK;
                 r = store_cursor_next(c, &k, &v)) {
                buf_put_varint(&rc, &out, (uint64_t)db);
                buf_put_varint(&rc, &out, k.len);
                buf_put(&rc, &out, k.p, k.len);
                buf_put_varint(&rc, &out, v.len);
                buf_put(&rc, &out, v.p, v.len);
            }
            store_cursor_close(c);
        }
        store_abort(t);
    }
    store_close(s);
    *n = out.len;
    return rc ? (buf_free(&out), NULL) : out.data;
}

/* An index with what store_copy_db() copies differently: plain keys,
 * values on overflow pages (20 MiB of them: more than one piece), a
 * DUPSORT key of one value, of two, of 500 (a sub-database), a DUPFIXED
 * key of one value, of three, and of 5,000 (many pages of values). */
static void
fill_for_copy(store *s)
{
    static char big[MIB];
    store_txn *t;
    brief_err e;
    unsigned char key[4], val[16];

    CHECK_RC(store_begin(s, true, &t, &e));
    for (uint32_t i = 0; i < 3000; i++) {
        put_u32be(key, i);
        memset(val, (int)i, sizeof val);
        CHECK_RC(store_append(t, DB_DOCS, key, 4, val, i % 17, &e));
    }
    for (uint32_t i = 0; i < 20; i++) {
        put_u32be(key, i);
        memset(big, 'a' + (int)i, sizeof big);
        CHECK_RC(store_append(t, DB_TEXT, key, 4, big, sizeof big - i,
                              &e));
    }
    CHECK_RC(store_put(t, DB_STEMS, "a", 1, "one", 3, &e));
    CHECK_RC(store_put(t, DB_STEMS, "b", 1, "x1", 2, &e));
    CHECK_RC(store_put(t, DB_STEMS, "b", 1, "x2", 2, &e));
    for (int i = 0; i < 500; i++) {
        char w[16];
        snprintf(w, sizeof w, "word%04d", i);
        CHECK_RC(store_put(t, DB_STEMS, "c", 1, w, strlen(w), &e));
    }
    for (uint32_t i = 0; i < 5000; i++) {
        memset(val, 0, sizeof val);
        put_u32be(val, i);
        if (i < 1)
            CHECK_RC(store_put(t, DB_FIGVALS, "u1", 2, val, 16, &e));
        if (i < 3)
            CHECK_RC(store_put(t, DB_FIGVALS, "u2", 2, val, 16, &e));
        CHECK_RC(store_put(t, DB_FIGVALS, "u3", 2, val, 16, &e));
    }
    CHECK_RC(store_commit(t, &e));
}

static void
copy_db_entry_by_entry(void)
{
    char sub[64], path[96];
    char *before, *after;
    size_t n_before, n_after;
    uint64_t n_free, n_pages, size_before;
    store *s, *copy;
    store_txn *from, *to;
    brief_err e;

    snprintf(sub, sizeof sub, "%s/copy", dir);
    snprintf(path, sizeof path, "%.60s/data.mdb.compact", sub);
    CHECK_RC(store_open(&s, sub, STORE_WRITE | STORE_CREATE, &e));
    fill_for_copy(s);
    store_close(s);
    CHECK((before = dump(sub, &n_before)) != NULL);

    /* Not kept: the original stays, and no copy is left. */
    CHECK_RC(store_open(&s, sub, STORE_WRITE, &e));
    size_before = store_file_size(s);
    CHECK_RC(store_copy_open(s, sub, &copy, &to, &e));
    CHECK(access(path, F_OK) == 0);
    CHECK_RC(store_begin(s, false, &from, &e));
    CHECK_RC(store_copy_db(from, to, DB_DOCS, &e));
    store_abort(to);
    CHECK_RC(store_copy_close(s, copy, false, &e));
    CHECK(access(path, F_OK) != 0);

    CHECK_RC(store_copy_open(s, sub, &copy, &to, &e));
    for (int db = 0; db < DB_COUNT; db++)
        CHECK_RC(store_copy_db(from, to, db, &e));
    store_abort(from);
    CHECK_RC(store_commit(to, &e));
    CHECK_RC(store_copy_close(s, copy, true, &e));
    CHECK(access(path, F_OK) != 0);
    store_close(s);

    CHECK((after = dump(sub, &n_after)) != NULL);
    CHECK(n_after == n_before && before && after &&
          memcmp(before, after, n_before) == 0);
    CHECK_RC(store_open(&s, sub, STORE_WRITE, &e));
    CHECK_RC(store_free_pages(s, &n_free, &n_pages, &e));
    CHECK(n_free > 0 && n_free <= 16);       /* two pieces at least */
    CHECK(store_file_size(s) <= size_before);
    store_close(s);
    free(before);
    free(after);
}

/* The value of key "k" that a new read transaction of s sees ("" when
 * none); its generation after it. */
static const char *
value_k(store *s, char *out, size_t cap, unsigned *gen)
{
    store_txn *t;
    brief_err e;
    sval v;

    out[0] = '\0';
    if (store_begin(s, false, &t, &e) == 0) {
        if (store_get(t, DB_DOCS, "k", 1, &v, &e) == 0 && v.len < cap) {
            memcpy(out, v.p, v.len);
            out[v.len] = '\0';
        }
        store_abort(t);
    }
    *gen = store_generation(s);
    return out;
}

/* A one-entry index in dir/name holding k = value. */
static void
make_index(const char *name, const char *value)
{
    char path[256];
    store *s;
    store_txn *t;
    brief_err e;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK_RC(store_open(&s, path, STORE_WRITE | STORE_CREATE, &e));
    CHECK_RC(store_begin(s, true, &t, &e));
    CHECK_RC(store_put(t, DB_DOCS, "k", 1, value, strlen(value), &e));
    CHECK_RC(store_commit(t, &e));
    store_close(s);
}

/* Move dir/from's files over dir/to's, as a compaction moves its copy. */
static void
replace(const char *from, const char *to)
{
    char a[256], b[256];

    for (int i = 0; i < 2; i++) {
        const char *f = i ? "lock.mdb" : "data.mdb";
        snprintf(a, sizeof a, "%s/%s/%s", dir, from, f);
        snprintf(b, sizeof b, "%s/%s/%s", dir, to, f);
        CHECK(rename(a, b) == 0);
    }
}

static void
replaced_file_is_reopened(void)
{
    char path[256], v[16];
    store *s, *s2, *s3;
    store_txn *t;
    brief_err e;
    unsigned gen;

    make_index("r1", "one");
    make_index("r2", "two");
    make_index("r3", "three");
    snprintf(path, sizeof path, "%s/r1", dir);
    CHECK_RC(store_open(&s, path, STORE_WRITE, &e));
    CHECK(strcmp(value_k(s, v, sizeof v, &gen), "one") == 0 && gen == 0);

    /* With a transaction open, the old file stays: a second transaction
     * must read the same environment. */
    CHECK_RC(store_begin(s, false, &t, &e));
    replace("r2", "r1");
    CHECK(strcmp(value_k(s, v, sizeof v, &gen), "one") == 0 && gen == 0);
    store_abort(t);
    /* The next first transaction opens the new file. */
    CHECK(strcmp(value_k(s, v, sizeof v, &gen), "two") == 0 && gen == 1);
    CHECK(strcmp(value_k(s, v, sizeof v, &gen), "two") == 0 && gen == 1);
    /* A handle opened now shares the store of the new file. */
    CHECK_RC(store_open(&s2, path, STORE_WRITE, &e));
    CHECK(s2 == s && store_users(s) == 2);
    store_close(s2);

    /* A store opened on a newer file first: s keeps its file rather than
     * open a second environment on that one. */
    replace("r3", "r1");
    CHECK_RC(store_open(&s3, path, STORE_WRITE, &e));
    CHECK(s3 != s);
    CHECK(strcmp(value_k(s3, v, sizeof v, &gen), "three") == 0 && gen == 0);
    CHECK(strcmp(value_k(s, v, sizeof v, &gen), "two") == 0 && gen == 1);
    store_close(s3);
    /* Once that one is closed, s opens the newer file. */
    CHECK(strcmp(value_k(s, v, sizeof v, &gen), "three") == 0 && gen == 2);
    store_close(s);
}

/* Keys 0..N-1 of DB_DOCS: model[k] is the one-byte value under k, or 0
 * when k is absent.  Appends of even keys, with every few steps another
 * write to the same database: a put below the end, a delete, an append
 * of a key already there (a put after all), a delete of the last key. */
#define APPEND_KEYS 40000

static void
appends_mixed_with_writes(void)
{
    static unsigned char model[APPEND_KEYS];
    char path[256];
    unsigned char key[4], val[100];
    store *s;
    store_txn *t;
    store_cursor *c;
    brief_err e;
    sval k, v;
    uint32_t last = 0, seen = 0, n = 0;
    int rc;

    snprintf(path, sizeof path, "%s/append", dir);
    CHECK(mkdir(path, 0777) == 0);
    CHECK_RC(store_open(&s, path, STORE_WRITE | STORE_CREATE, &e));
    CHECK_RC(store_begin(s, true, &t, &e));
    memset(val, 0, sizeof val);
    for (uint32_t i = 0; i < APPEND_KEYS; i += 2) {
        uint32_t other = i / 3 | 1;
        val[0] = (unsigned char)(i % 251 + 1);
        put_u32be(key, i);
        CHECK_RC(store_append(t, DB_DOCS, key, 4, val, sizeof val, &e));
        model[i] = val[0];
        last = i;
        switch (i / 2 % 7) {
        case 1:               /* an odd key below the end */
            val[0] = 7;
            put_u32be(key, other);
            CHECK_RC(store_put(t, DB_DOCS, key, 4, val, sizeof val, &e));
            model[other] = 7;
            break;
        case 3:               /* an earlier key gone */
            put_u32be(key, i / 2 & ~1u);
            CHECK_RC(store_del(t, DB_DOCS, key, 4, NULL, 0, &e));
            model[i / 2 & ~1u] = 0;
            break;
        case 4:               /* appended again: not after the end */
            val[0] = 9;
            put_u32be(key, i / 4 * 2);
            CHECK_RC(store_append(t, DB_DOCS, key, 4, val, sizeof val,
                                  &e));
            model[i / 4 * 2] = 9;
            break;
        case 6:               /* the last key gone, then appended */
            put_u32be(key, last);
            CHECK_RC(store_del(t, DB_DOCS, key, 4, NULL, 0, &e));
            val[0] = 11;
            CHECK_RC(store_append(t, DB_DOCS, key, 4, val, sizeof val,
                                  &e));
            model[last] = 11;
            break;
        }
    }
    CHECK_RC(store_commit(t, &e));

    CHECK_RC(store_begin(s, false, &t, &e));
    CHECK_RC(store_cursor_open(t, DB_DOCS, &c, &e));
    for (rc = store_cursor_first(c, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(c, &k, &v)) {
        uint32_t at = get_u32be(k.p);
        CHECK(k.len == 4 && at < APPEND_KEYS && (n == 0 || at > seen));
        CHECK(v.len == sizeof val && at < APPEND_KEYS && v.p[0] == model[at]);
        seen = at;
        n++;
    }
    CHECK(rc == BRIEF_DONE);
    for (uint32_t i = 0; i < APPEND_KEYS; i++)
        n -= model[i] != 0;
    CHECK(n == 0);
    store_cursor_close(c);
    store_abort(t);
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
    TEST(key_order_is_lmdbs);
    TEST(copy_reads_the_file);
    TEST(map_base_is_found);
    TEST(no_writer_refuses_a_writer);
    TEST(free_pages_and_rewrite);
    TEST(copy_db_entry_by_entry);
    TEST(replaced_file_is_reopened);
    TEST(appends_mixed_with_writes);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_report();
}
