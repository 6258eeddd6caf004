/*
 * lmdb-poke: edit an LMDB environment the way 420-hostile.sh needs, with
 * nothing but liblmdb (mdb_load from lmdb-utils would do as well, but is
 * not a dependency of brief).
 *
 *   lmdb-poke DIR put DB HEXKEY HEXVALUE   set a key in the named DB
 *   lmdb-poke DIR patch DB HEXKEY OFFSET HEXBYTES
 *                                       overwrite bytes of its value
 *   lmdb-poke DIR rekey DB HEXKEY NEWHEXKEY
 *                                       move a value to another key
 *   lmdb-poke DIR create DB...          create empty named databases
 *   lmdb-poke DIR root [DB]             print the page number of DB's root
 *                                       (without DB: of the catalog of
 *                                       named databases), read from the
 *                                       file as LMDB lays it out
 *   lmdb-poke DIR rawpatch OFFSET HEXBYTES
 *                                       overwrite bytes of data.mdb
 *   lmdb-poke DIR free                  print the number of pages on the
 *                                       free list (as mdb_stat -f)
 *   lmdb-poke DIR get DB HEXKEY         print a key's value in hex
 *   lmdb-poke DIR keys DB               print every key of DB in hex, one
 *                                       a line, in order
 *   lmdb-poke DIR                       create an environment with no
 *                                       database in it
 *
 * Named databases are created with the flags brief gives them.  Exit 0 on
 * success, 2 with a message otherwise.
 */
#define _XOPEN_SOURCE 700      /* pread, pwrite under -std=c11 */
#include <fcntl.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
die(const char *what, int rc)
{
    fprintf(stderr, "lmdb-poke: %s: %s\n", what, mdb_strerror(rc));
    return 2;
}

/* Decode hex into a malloc'ed buffer; NULL when it is not hex. */
static unsigned char *
unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    unsigned char *v = malloc(n + 1);

    if (!v || strlen(hex) % 2)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1)
            return NULL;
        v[i] = (unsigned char)b;
    }
    *len = n;
    return v;
}

static unsigned
flags_of(const char *db)
{
    if (strcmp(db, "stems") == 0)
        return MDB_DUPSORT;
    if (strcmp(db, "figvals") == 0)
        return MDB_DUPSORT | MDB_DUPFIXED;
    return 0;
}

static uint64_t
le(const unsigned char *p, int n)
{
    uint64_t v = 0;

    while (n-- > 0)
        v = v << 8 | p[n];
    return v;
}

/* The root page of db (NULL: the catalog), from LMDB's data format 1 on a
 * 64-bit machine: the meta page with the higher txnid names the catalog's
 * root (MDB_meta.mm_dbs[1].md_root), whose leaf nodes hold each named
 * database's MDB_db (48 bytes, md_root last).  Assumes 4 KiB pages and a
 * catalog of one leaf page, as brief's are. */
static int
print_root(const char *dir, const char *db)
{
    char path[4096];
    unsigned char m[2][160], page[4096];
    const unsigned char *meta;
    uint64_t root;
    int fd;

    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if ((fd = open(path, O_RDONLY)) < 0 ||
        pread(fd, m[0], 160, 0) != 160 || pread(fd, m[1], 160, 4096) != 160)
        return 2;
    meta = le(m[1] + 144, 8) > le(m[0] + 144, 8) ? m[1] : m[0];
    root = le(meta + 88 + 40, 8);
    if (db && pread(fd, page, 4096, (off_t)root * 4096) == 4096) {
        unsigned n = ((unsigned)le(page + 12, 2) - 16) / 2;
        root = UINT64_MAX;
        for (unsigned i = 0; i < n; i++) {
            const unsigned char *node = page + le(page + 16 + 2 * i, 2);
            size_t ksize = le(node + 6, 2);
            if (ksize == strlen(db) && memcmp(node + 8, db, ksize) == 0)
                root = le(node + 8 + ksize + 40, 8);
        }
    }
    close(fd);
    if (root == UINT64_MAX) {
        fprintf(stderr, "lmdb-poke: no root for %s\n", db ? db : "main");
        return 2;
    }
    printf("%llu\n", (unsigned long long)root);
    return 0;
}

static int
rawpatch(const char *dir, const char *offset, const char *hex)
{
    char path[4096];
    unsigned char *bytes;
    size_t n;
    int fd, ok;

    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (!(bytes = unhex(hex, &n)) || (fd = open(path, O_WRONLY)) < 0)
        return 2;
    ok = pwrite(fd, bytes, n, (off_t)strtoull(offset, NULL, 10)) ==
         (ssize_t)n;
    close(fd);
    return ok ? 0 : 2;
}

/* The pages on the free list: each record of LMDB's database 0 is a
 * list of page numbers, its length first. */
static int
print_free(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    size_t pages = 0;
    int rc;

    if ((rc = mdb_env_create(&env)) || (rc = mdb_env_set_maxdbs(env, 32)) ||
        (rc = mdb_env_open(env, dir, MDB_RDONLY, 0666)))
        return die(dir, rc);
    if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) ||
        (rc = mdb_cursor_open(txn, 0, &cur)))
        return die("free list", rc);
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        size_t n;
        memcpy(&n, v.mv_data, sizeof n);
        pages += n;
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    if (rc != MDB_NOTFOUND)
        return die("free list", rc);
    printf("%zu\n", pages);
    return 0;
}

static void
print_hex(const MDB_val *v)
{
    for (size_t i = 0; i < v->mv_size; i++)
        printf("%02x", ((const unsigned char *)v->mv_data)[i]);
    putchar('\n');
}

/* Print the value of hex key in database db of dir, in hex; without
 * hexkey, every key of db. */
static int
print_value(const char *dir, const char *db, const char *hexkey)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *cur;
    MDB_val key, val;
    int rc;

    if (hexkey && !(key.mv_data = unhex(hexkey, &key.mv_size))) {
        fputs("lmdb-poke: KEY is hex\n", stderr);
        return 2;
    }
    if ((rc = mdb_env_create(&env)) || (rc = mdb_env_set_maxdbs(env, 32)) ||
        (rc = mdb_env_open(env, dir, MDB_RDONLY, 0666)))
        return die(dir, rc);
    if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) ||
        (rc = mdb_dbi_open(txn, db, flags_of(db), &dbi)))
        return die(db, rc);
    if (hexkey) {
        if ((rc = mdb_get(txn, dbi, &key, &val)))
            return die(db, rc);
        print_hex(&val);
    } else {
        if ((rc = mdb_cursor_open(txn, dbi, &cur)))
            return die(db, rc);
        while ((rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) == 0)
            print_hex(&key);
        if (rc != MDB_NOTFOUND)
            return die(db, rc);
        mdb_cursor_close(cur);
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return 0;
}

int
main(int argc, char **argv)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    int rc;

    if (argc > 2 && strcmp(argv[2], "root") == 0)
        return print_root(argv[1], argc > 3 ? argv[3] : NULL);
    if (argc == 5 && strcmp(argv[2], "rawpatch") == 0)
        return rawpatch(argv[1], argv[3], argv[4]);
    if (argc == 3 && strcmp(argv[2], "free") == 0)
        return print_free(argv[1]);
    if (argc == 5 && strcmp(argv[2], "get") == 0)
        return print_value(argv[1], argv[3], argv[4]);
    if (argc == 4 && strcmp(argv[2], "keys") == 0)
        return print_value(argv[1], argv[3], NULL);
    if (argc < 2 || (argc > 2 && strcmp(argv[2], "put") != 0 &&
                     strcmp(argv[2], "patch") != 0 &&
                     strcmp(argv[2], "rekey") != 0 &&
                     strcmp(argv[2], "create") != 0) ||
        (argc > 2 && strcmp(argv[2], "put") == 0 && argc != 6) ||
        (argc > 2 && strcmp(argv[2], "rekey") == 0 && argc != 6) ||
        (argc > 2 && strcmp(argv[2], "patch") == 0 && argc != 7)) {
        fputs("usage: lmdb-poke DIR [put DB HEXKEY HEXVALUE | patch DB HEXKEY "
              "OFFSET HEXBYTES | rekey DB HEXKEY NEWHEXKEY | create DB... | "
              "root [DB] | rawpatch OFFSET HEXBYTES | free | get DB HEXKEY | "
              "keys DB]\n",
              stderr);
        return 2;
    }
    if ((rc = mdb_env_create(&env)) || (rc = mdb_env_set_maxdbs(env, 32)) ||
        (rc = mdb_env_set_mapsize(env, (size_t)1 << 30)) ||
        (rc = mdb_env_open(env, argv[1], 0, 0666)))
        return die(argv[1], rc);
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn)))
        return die("begin", rc);
    if (argc > 2 && strcmp(argv[2], "put") == 0) {
        MDB_val key, val;
        if (!(key.mv_data = unhex(argv[4], &key.mv_size)) ||
            !(val.mv_data = unhex(argv[5], &val.mv_size))) {
            fputs("lmdb-poke: KEY and VALUE are hex\n", stderr);
            return 2;
        }
        if ((rc = mdb_dbi_open(txn, argv[3], flags_of(argv[3]), &dbi)))
            return die(argv[3], rc);
        if ((rc = mdb_put(txn, dbi, &key, &val, 0)))
            return die("put", rc);
    } else if (argc > 2 && strcmp(argv[2], "patch") == 0) {
        MDB_val key, val, nv;
        unsigned char *bytes, *copy;
        size_t n, at = strtoul(argv[5], NULL, 10);
        if (!(key.mv_data = unhex(argv[4], &key.mv_size)) ||
            !(bytes = unhex(argv[6], &n))) {
            fputs("lmdb-poke: KEY and BYTES are hex\n", stderr);
            return 2;
        }
        if ((rc = mdb_dbi_open(txn, argv[3], flags_of(argv[3]), &dbi)) ||
            (rc = mdb_get(txn, dbi, &key, &val)))
            return die(argv[3], rc);
        if (at + n > val.mv_size) {
            fputs("lmdb-poke: the bytes do not fit in the value\n", stderr);
            return 2;
        }
        if (!(copy = malloc(val.mv_size)))
            return 2;
        memcpy(copy, val.mv_data, val.mv_size);
        memcpy(copy + at, bytes, n);
        nv.mv_data = copy;
        nv.mv_size = val.mv_size;
        if ((rc = mdb_put(txn, dbi, &key, &nv, 0)))
            return die("put", rc);
    } else if (argc > 2 && strcmp(argv[2], "rekey") == 0) {
        MDB_val key, key2, val, copy;
        if (!(key.mv_data = unhex(argv[4], &key.mv_size)) ||
            !(key2.mv_data = unhex(argv[5], &key2.mv_size))) {
            fputs("lmdb-poke: the keys are hex\n", stderr);
            return 2;
        }
        if ((rc = mdb_dbi_open(txn, argv[3], flags_of(argv[3]), &dbi)) ||
            (rc = mdb_get(txn, dbi, &key, &val)))
            return die(argv[3], rc);
        copy.mv_size = val.mv_size;
        if (!(copy.mv_data = malloc(val.mv_size + 1)))
            return 2;
        memcpy(copy.mv_data, val.mv_data, val.mv_size);
        if ((rc = mdb_del(txn, dbi, &key, NULL)) ||
            (rc = mdb_put(txn, dbi, &key2, &copy, 0)))
            return die("rekey", rc);
    } else {
        for (int i = 3; i < argc; i++)
            if ((rc = mdb_dbi_open(txn, argv[i],
                                   MDB_CREATE | flags_of(argv[i]), &dbi)))
                return die(argv[i], rc);
    }
    if ((rc = mdb_txn_commit(txn)))
        return die("commit", rc);
    mdb_env_close(env);
    return 0;
}
