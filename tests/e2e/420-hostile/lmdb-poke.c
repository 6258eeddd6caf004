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
 *   lmdb-poke DIR                       create an environment with no
 *                                       database in it
 *
 * Named databases are created with the flags brief gives them.  Exit 0 on
 * success, 2 with a message otherwise.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
main(int argc, char **argv)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    int rc;

    if (argc < 2 || (argc > 2 && strcmp(argv[2], "put") != 0 &&
                     strcmp(argv[2], "patch") != 0 &&
                     strcmp(argv[2], "rekey") != 0 &&
                     strcmp(argv[2], "create") != 0) ||
        (argc > 2 && strcmp(argv[2], "put") == 0 && argc != 6) ||
        (argc > 2 && strcmp(argv[2], "rekey") == 0 && argc != 6) ||
        (argc > 2 && strcmp(argv[2], "patch") == 0 && argc != 7)) {
        fputs("usage: lmdb-poke DIR [put DB HEXKEY HEXVALUE | patch DB HEXKEY "
              "OFFSET HEXBYTES | rekey DB HEXKEY NEWHEXKEY | create DB...]\n",
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
