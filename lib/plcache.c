/*
 * plcache.c: the plens database in memory for a handle's later searches
 * (plcache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "plcache.h"

void
plcache_free(plcache *c)
{
    free(c->off);
    free(c->bytes);
    free(c->rank);
    memset(c, 0, sizeof *c);
}

/* Read every plens record of t into c; false when out of memory or the
 * database cannot be read (c is empty then). */
static bool
build(plcache *c, store_txn *t)
{
    store_cursor *cur;
    brief_err e = { 0 };
    size_t cap = 0, next = 0;
    uint64_t docids;
    sval k, v;
    int rc;

    /* Docids lie below next_docid: a damaged last key must not size the
     * array (the cursor's look-ups then meet the damage themselves). */
    if (store_meta_get(t, "next_docid", &docids, &e) ||
        store_cursor_open(t, DB_PLENS, &cur, &e))
        return false;
    if ((rc = store_cursor_last(cur, &k, &v)) == BRIEF_OK && k.len == 4) {
        c->n_off = (size_t)get_u32be(k.p) + 1;
        if (c->n_off > docids)
            rc = BRIEF_ECORRUPT;
        else if (!(c->off = calloc(c->n_off + 1, sizeof *c->off)))
            rc = BRIEF_ENOMEM;
    }
    for (rc = rc ? rc : store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        uint32_t doc = k.len == 4 ? get_u32be(k.p) : UINT32_MAX;
        /* A record holds a width byte at least. */
        if (doc >= c->n_off || doc < next || v.len == 0 ||
            c->len + v.len >= UINT32_MAX) {
            rc = BRIEF_ECORRUPT;
            break;
        }
        if (c->len + v.len > cap) {
            size_t want = cap ? cap * 2 : 65536;
            unsigned char *b;
            while (want < c->len + v.len)
                want *= 2;
            if (!(b = realloc(c->bytes, want))) {
                rc = BRIEF_ENOMEM;
                break;
            }
            c->bytes = b;
            cap = want;
        }
        /* Documents without a record (removed) get an empty range. */
        while (next <= doc)
            c->off[next++] = (uint32_t)c->len;
        memcpy(c->bytes + c->len, v.p, v.len);
        c->len += v.len;
    }
    store_cursor_close(cur);
    if (rc != BRIEF_DONE || !c->off) {
        plcache_free(c);
        return false;
    }
    while (next <= c->n_off)
        c->off[next++] = (uint32_t)c->len;
    return true;
}

/* Rank every document of t in path order into c->rank, for the docids
 * build() found lengths for (the rest compare their paths); false when
 * out of memory or the paths cannot be read. */
static bool
build_rank(plcache *c, store_txn *t)
{
    store_cursor *cur;
    brief_err e = { 0 };
    uint32_t r = 0;
    sval k, v;
    int rc;

    if (store_cursor_open(t, DB_PATHS, &cur, &e))
        return false;
    c->n_rank = c->n_off;
    if (!(c->rank = malloc((c->n_rank ? c->n_rank : 1) * sizeof *c->rank))) {
        store_cursor_close(cur);
        return false;
    }
    memset(c->rank, 0xff, c->n_rank * sizeof *c->rank);
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        uint32_t doc = v.len == 4 ? get_u32be(v.p) : UINT32_MAX;
        if (v.len != 4 || (doc < c->n_rank && c->rank[doc] != UINT32_MAX)) {
            rc = BRIEF_ECORRUPT;
            break;
        }
        if (doc < c->n_rank)
            c->rank[doc] = r;
        r++;
    }
    store_cursor_close(cur);
    return rc == BRIEF_DONE;
}

bool
plcache_ready(plcache *c, store_txn *t)
{
    uint64_t id = store_txn_snapshot(t);

    if (c->snapshot == id)
        return true;
    if (c->snapshot)
        plcache_free(c);
    if (c->seen != id) {
        c->seen = id;
        return false;
    }
    if (!build(c, t) || !build_rank(c, t)) {
        plcache_free(c);
        return false;
    }
    c->snapshot = id;
    return true;
}

bool
plcache_get(const plcache *c, uint32_t docid, sval *v)
{
    if (docid >= c->n_off || c->off[docid] == c->off[docid + 1])
        return false;
    *v = (sval){ c->bytes + c->off[docid], c->off[docid + 1] - c->off[docid] };
    return true;
}

bool
plcache_rank(const plcache *c, uint32_t docid, uint32_t *rank)
{
    if (docid >= c->n_rank || c->rank[docid] == UINT32_MAX)
        return false;
    *rank = c->rank[docid];
    return true;
}
