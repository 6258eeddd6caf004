/*
 * plcache.h: the passages' token counts (the plens database) held in
 * memory by an index handle that answers more than one search, so that
 * ranking reads them from an array rather than through a cursor, the
 * way a search engine keeps its length norms in memory.
 *
 * A cache belongs to one read snapshot (LMDB's transaction id).  The
 * first search of a snapshot reads the lengths it needs through a cursor
 * (reading all of them would cost a one-off process more than it saves);
 * the second builds the cache, and later ones of that snapshot use it.
 * An index that changed is a new snapshot: the cache is dropped.
 *
 * With the lengths it keeps each document's rank in path order (the
 * paths database walked in key order), which orders ties without reading
 * the documents' records.
 */
#ifndef BRIEF_PLCACHE_H
#define BRIEF_PLCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brief.h"
#include "error.h"
#include "store.h"

typedef struct plcache {
    uint64_t snapshot;       /* the transaction id it holds; 0: none */
    uint64_t seen;           /* the id of the last search without it */
    uint32_t *off;           /* docid's record is bytes[off[docid],
                                off[docid + 1]); empty: none */
    size_t n_off;            /* docids [0, n_off); off has one more */
    unsigned char *bytes;    /* the plens values, one after another */
    size_t len;
    uint32_t *rank;          /* rank[docid]: place in path order, for
                                docids [0, n_rank); UINT32_MAX: none */
    size_t n_rank;
} plcache;

/* Whether c holds the lengths of t's snapshot after this call: built now
 * when an earlier search saw the same snapshot.  Errors reading plens
 * (the caller then reads through a cursor and meets them itself) and a
 * lack of memory leave it without. */
bool plcache_ready(plcache *c, store_txn *t);

/* The plens value of docid, from a ready cache; false when it has none. */
bool plcache_get(const plcache *c, uint32_t docid, sval *v);

/* The rank of docid's path among all paths, from a ready cache; false
 * when it has none. */
bool plcache_rank(const plcache *c, uint32_t docid, uint32_t *rank);

/* Forget everything (the store was reopened, or the handle closes). */
void plcache_free(plcache *c);

#endif
