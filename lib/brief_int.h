/*
 * brief_int.h: the structures behind the public handles, shared by the
 * files that implement the API.
 */
#ifndef BRIEF_INT_H
#define BRIEF_INT_H

#include "blkcache.h"
#include "brief.h"
#include "error.h"
#include "plcache.h"
#include "stalecache.h"
#include "stem.h"
#include "store.h"
#include "tokenize.h"

struct brief_index {
    store *st;
    stemmer *stem;
    tokenizer *tok;
    brief_err err;
    char *dir;               /* the index directory, absolute */
    char *root;              /* its parent: stored paths are relative to it */
    char lang[32];
    size_t zone_bytes;       /* meta "zone_bytes": trigram.h's zones */
    bool writable;
    int lock_fd;             /* the writers' lock, -1 when not held */
    unsigned gen;            /* the store's generation it last read */
    plcache plens;           /* passage lengths for later searches */
    blkcache blocks;         /* searches' large freed blocks, for the next */
    stalecache *stale;       /* hits' stale flags across searches; NULL
                                until the first */
};

/* Begin a transaction on ix's store (store_begin()).  When the store
 * opened a new data.mdb since the handle last read it, the handle first
 * reads its schema, language and zone size again, and forgets what it
 * cached of the old file.  Searches and indexing runs start here. */
int index_begin(brief_index *ix, bool write, store_txn **out);

/* Take the writers' lock (an flock on DIR/write.lock) for the handle: at
 * once when free, else after telling warn(ctx, msg) that it waits.  Held
 * until brief_index_close() or until ix->lock_fd is closed. */
int index_lock(brief_index *ix, void (*warn)(void *ctx, const char *msg),
               void *ctx);

/* How index_compact() goes about it. */
enum {
    /* Read every entry first (store_read_all()), for an index that may
     * be damaged. */
    COMPACT_VERIFY = 1 << 0,
    /* Copy only a file with more than 1/COMPACT_FREE_SHARE of its pages
     * free; rewrite any other in place (store_rewrite()). */
    COMPACT_IF_FREE = 1 << 1,
    /* Leave no free page: a merge into a copy (segment_rewrite()) that
     * left some is copied once more. */
    COMPACT_NO_FREE = 1 << 2,
};
#define COMPACT_FREE_SHARE 100

/* Merge the newest segments (segment_consolidate()), rewrite the
 * environment without free pages and reopen it; the caller holds the
 * writers' lock and no transaction is open.  flags: the COMPACT_ ones
 * above.  A data file still under min_bytes after the merge is left as
 * it is. */
int index_compact(brief_index *ix, unsigned flags, uint64_t min_bytes);

/* The absolute path of a stored path (relative to ix->root or absolute).
 * The caller frees the result; NULL when out of memory. */
char *index_abs_path(const brief_index *ix, const char *stored,
                     size_t len);

/* The path to store for an absolute path: relative to ix->root when under
 * it.  The caller frees the result; NULL when out of memory. */
char *index_stored_path(const brief_index *ix, const char *abs);

#endif
