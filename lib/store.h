/*
 * store.h: the LMDB environment, its named databases and transactions.
 * Only store.c calls mdb_*.  The byte layout of every database is written
 * at the top of store.c and in docs/FORMAT.md.
 */
#ifndef BRIEF_STORE_H
#define BRIEF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define STORE_SCHEMA_VERSION 7

typedef enum store_db {
    DB_META,
    DB_DOCS,
    DB_PATHS,
    DB_TEXT,
    DB_PASSAGES,
    DB_POSTINGS,
    DB_STEMS,       /* DUPSORT: stem -> each indexed word with that stem,
                       but for words that are their own stem */
    DB_FIGURES,     /* docid -> the document's figure records */
    DB_FIGVALS,     /* DUPSORT, DUPFIXED: unit | 0 | run -> value | docid |
                       figure */
    DB_TRIGRAMS,    /* trigram | first docid -> chunk of docids */
    DB_PLENS,       /* docid -> each passage's token count, varints */
    DB_COUNT
} store_db;

typedef struct store store;
typedef struct store_txn store_txn;
typedef struct store_cursor store_cursor;

/* A borrowed key or value: valid until the transaction ends or the
 * database is written in it. */
typedef struct sval {
    const unsigned char *p;
    size_t len;
} sval;

/* The order of keys in every database: LMDB's own (bytes, then length,
 * as its mdb_cmp_memn()), with 4-byte keys (the docids of docs,
 * passages, plens and texts, stored big-endian) compared without a call
 * to memcmp(): those calls were a twelfth of a short search.  The order
 * being the same, the files stay what LMDB's tools and older builds
 * read. */
int store_key_cmp(const void *a, size_t a_len, const void *b, size_t b_len);

/* How store_open() opens an index: for reading (0) or writing, creating
 * it when missing; a store opened for reading is still opened for
 * writing when the files allow it, so that a writer opened later in the
 * process can share it, unless the caller promises none will be
 * (STORE_NO_WRITER: LMDB then opens it read-only, which is cheaper). */
enum {
    STORE_WRITE = 1 << 0,
    STORE_CREATE = 1 << 1,       /* with STORE_WRITE */
    STORE_NO_WRITER = 1 << 2,    /* without STORE_WRITE */
};

/* Open the environment in dir as how says (the flags above).  Clears
 * stale reader slots.  Opening an index this process has open already
 * returns the same store (LMDB allows one environment per file per
 * process); asking for writing when it is open read-only is BRIEF_EBUSY. */
int store_open(store **out, const char *dir, unsigned how, brief_err *e);
/* Where LMDB mapped the data file; 0 when unknown (values then go
 * unchecked).  For tests. */
uintptr_t store_map_base(const store *s);
/* Drop one reference; the last closes the environment. */
void store_close(store *s);
/* How many handles share s. */
unsigned store_users(const store *s);

/* Size of the data file in bytes (0 when unknown). */
uint64_t store_file_size(const store *s);

/* Double the map (after BRIEF_EFULL); no transaction may be open. */
int store_grow(store *s, brief_err *e);

/* Drop the pages of the map from the process's resident set (the page
 * cache keeps them): a long indexing run calls it after each commit, so
 * its memory does not grow with the index.  Safe with transactions open:
 * the map is read-only, its pages come back on the next touch. */
void store_release_pages(store *s);
/* The same from inside a transaction that reads much (a merge). */
void store_txn_release_pages(store_txn *t);

/* Read every entry under the fault guard: BRIEF_ECORRUPT where damage
 * would make liblmdb fault.  For an index that may be damaged, before
 * store_compact(). */
int store_read_all(store *s, brief_err *e);
/* Copy the environment to dir/data.mdb.compact without free pages and
 * move it over data.mdb.  No transaction may be open. */
int store_compact(store *s, const char *dir, brief_err *e);
/* The pages on LMDB's free list, and the pages of the data file in use
 * (free or not). */
int store_free_pages(store *s, uint64_t *n_free, uint64_t *n_pages,
                     brief_err *e);
/* Rewrite dir/data.mdb in place, the same bytes, 2 MiB at a time at
 * offsets that are multiples of 2 MiB, each run dropped from the page
 * cache first: the page cache then holds the file in 2 MiB folios, as
 * store_compact()'s copy leaves its file, and a search maps 2 MiB at a
 * fault.  The store of dir must be closed (pages mapped stay as they
 * are); the caller holds the writers' lock. */
int store_rewrite(const char *dir, brief_err *e);

/* A compacted copy written entry by entry, for a rewrite that changes
 * what it copies (segment_rewrite()): a new environment in
 * dir/data.mdb.compact, and the one write transaction *to that writes
 * it, its databases created.  The caller holds the writers' lock. */
int store_copy_open(store *s, const char *dir, store **copy, store_txn **to,
                    brief_err *e);
/* Append every entry of db of read transaction from to write transaction
 * to of a copy, dropping the pages of both maps as it goes. */
int store_copy_db(store_txn *from, store_txn *to, store_db db,
                  brief_err *e);
/* In a write transaction of a copy: commit what it holds and go on in a
 * new transaction, so that the pages it touched stay bounded.  In any
 * other transaction, nothing.  No cursor of t may be open. */
int store_checkpoint(store_txn *t, brief_err *e);
/* Close copy (its transaction committed or aborted).  keep: sync it,
 * rewrite it as store_rewrite() does, and move it over s's data.mdb;
 * else, or when that fails, delete it.  Readers that have the old file
 * open keep their mapping; s still maps the old file. */
int store_copy_close(store *s, store *copy, bool keep, brief_err *e);

/* Begin a transaction.  When none of s is open and data.mdb is no longer
 * the file s has open (another process compacted the index, or built it
 * anew), s first opens the new file in its place and its generation
 * goes up; the caller then forgets what it knew of the old file. */
int store_begin(store *s, bool write, store_txn **out, brief_err *e);
/* How many times s opened a new data.mdb in place of its file. */
unsigned store_generation(const store *s);
/* A second read transaction on the snapshot of read transaction like,
 * for another thread (LMDB's transactions are one thread's each).
 * BRIEF_EBUSY when a commit came in between: the snapshots differ. */
int store_begin_twin(store_txn *like, store_txn **out, brief_err *e);
/* The id of the snapshot t reads (LMDB's transaction id): another id, an
 * index that changed in between. */
uint64_t store_txn_snapshot(store_txn *t);

/* Copy len bytes of a value of t (a pointer into the map, as a get or a
 * cursor gave it) to dst.  In a read transaction the bytes are read from
 * data.mdb with pread() rather than through the map: the map's pages are
 * not touched, so a caller that reads many values once each (a regex
 * scan's texts) takes no page fault for them.  Elsewhere (a write
 * transaction's dirty pages, a map not found) it is a memcpy().
 * BRIEF_EIO when the file cannot be read. */
int store_copy(store_txn *t, const void *p, size_t len, void *dst,
               brief_err *e);
/* Commit and free the transaction (also on failure).  BRIEF_EFULL when
 * the map filled: grow and redo. */
int store_commit(store_txn *t, brief_err *e);
/* Abort and free.  NULL is a no-op. */
void store_abort(store_txn *t);

/* Point reads and writes.  store_get returns BRIEF_DONE when the key is
 * absent, BRIEF_ECORRUPT when LMDB hands out a value lying outside the
 * data file (a corrupted page header: reading it would be SIGBUS).  store_del with val deletes one duplicate (DB_STEMS), without
 * it the key; an absent key is not an error. */
int store_get(store_txn *t, store_db db, const void *key, size_t klen,
              sval *val, brief_err *e);
int store_put(store_txn *t, store_db db, const void *key, size_t klen,
              const void *val, size_t vlen, brief_err *e);
/* Like store_put, for a key that probably sorts after every key in db:
 * then LMDB fills pages completely instead of splitting them in half.
 * Falls back to store_put when the key is not last. */
int store_append(store_txn *t, store_db db, const void *key, size_t klen,
                 const void *val, size_t vlen, brief_err *e);
/* DUPSORT: like store_put, for a value that probably sorts after every
 * value of key (MDB_APPENDDUP): the key's pages are filled completely.
 * Falls back to store_put when the value is not last. */
int store_append_dup(store_txn *t, store_db db, const void *key,
                     size_t klen, const void *val, size_t vlen,
                     brief_err *e);
/* DUPFIXED: store_append_dup() of the n values of size bytes each at
 * vals, ascending, in one call (MDB_MULTIPLE): LMDB finds the key once,
 * not once a value. */
int store_append_dups(store_txn *t, store_db db, const void *key,
                      size_t klen, const void *vals, size_t size, size_t n,
                      brief_err *e);
int store_del(store_txn *t, store_db db, const void *key, size_t klen,
              const void *val, size_t vlen, brief_err *e);

/* Delete the keys that begin with prefix, at most max of them; *more
 * tells whether some are left. */
int store_del_prefix(store_txn *t, store_db db, const void *prefix,
                     size_t plen, size_t max, bool *more, brief_err *e);

/* Number of entries (all duplicates counted) in db. */
int store_count(store_txn *t, store_db db, uint64_t *n, brief_err *e);

/* Cursors.  Each positioning call returns BRIEF_OK with key and val set,
 * BRIEF_DONE when there is no such entry, or an error with the message
 * set on the brief_err the cursor was opened with (BRIEF_ECORRUPT for a
 * key or value outside the data file, as store_get). */
int store_cursor_open(store_txn *t, store_db db, store_cursor **out,
                      brief_err *e);
void store_cursor_close(store_cursor *c);
/* First entry with key >= key. */
int store_cursor_seek(store_cursor *c, const void *key, size_t klen,
                      sval *k, sval *v);
int store_cursor_first(store_cursor *c, sval *k, sval *v);
int store_cursor_last(store_cursor *c, sval *k, sval *v);
int store_cursor_next(store_cursor *c, sval *k, sval *v);
int store_cursor_prev(store_cursor *c, sval *k, sval *v);
/* DUPSORT: the values of key, one by one (first with first = true). */
int store_cursor_dup(store_cursor *c, const void *key, size_t klen,
                     bool first, sval *v);
/* DUPSORT: the first value of key that is >= val. */
int store_cursor_dup_seek(store_cursor *c, const void *key, size_t klen,
                          const void *val, size_t vlen, sval *v);
/* DUPSORT: the first entry of the next key. */
int store_cursor_next_key(store_cursor *c, sval *k, sval *v);

/* DUPSORT: the number of values of the key the cursor is at (LMDB
 * keeps it, so nothing is read). */
int store_cursor_dup_count(store_cursor *c, size_t *n);

/* Meta counters, little-endian u64 under a name; absent reads as 0. */
int store_meta_get(store_txn *t, const char *name, uint64_t *v,
                   brief_err *e);
int store_meta_put(store_txn *t, const char *name, uint64_t v,
                   brief_err *e);
/* Add delta (possibly negative) to a counter. */
int store_meta_add(store_txn *t, const char *name, int64_t delta,
                   brief_err *e);

#endif
