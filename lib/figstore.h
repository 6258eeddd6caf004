/*
 * figstore.h: figures in the index.  Each document's figures are stored
 * under its docid as one value of variable-length records (the layout is
 * at the top of figstore.c; nothing else knows it); every figure is also
 * filed under its unit with an order-preserving encoding of its value, so
 * that a look-up by unit and value range is one cursor range (store.c has
 * the layout of the databases).
 *
 * Typical use, reading every figure of a document:
 *
 *     figiter it;
 *     figrec r;
 *     int more;
 *     if (figiter_init(&it, v.p, v.len))
 *         return corrupt;
 *     while ((more = figiter_next(&it, &r)) == 1)
 *         use(&r);
 *     if (more < 0)
 *         return corrupt;
 */
#ifndef BRIEF_FIGSTORE_H
#define BRIEF_FIGSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "figures.h"
#include "store.h"

/* A figure as stored: what figures_extract() found, and where its words
 * are (passage, position of its first word in the passage, and how many
 * positions it covers; n_pos 0 when it holds no word). */
typedef struct figrec {
    figure f;
    uint32_t passage, pos, n_pos;
} figrec;

/* Append the value of a document's n figures to b.  The figures must be
 * in source order (each starts at or after the previous one's end, in the
 * same or a later passage) with offsets below 4 GiB.  Returns BRIEF_OK,
 * BRIEF_EINVAL when they are not, or BRIEF_ENOMEM. */
int figstore_encode(const figrec *recs, size_t n, buf *b);

/* A reader over one stored value.  It points into the value, which must
 * stay valid (and unchanged) while the reader is used.  The fields are
 * private to figstore.c. */
typedef struct figiter {
    const unsigned char *begin, *p, *end;
    uint32_t n, idx;            /* figures in the value; figures read */
    figrec prev;                /* the last figure read: the deltas' base */
} figiter;

/* Start reading the value v[0..len).  Returns 0, or -1 when its header
 * is malformed (a count the value cannot hold). */
int figiter_init(figiter *it, const void *v, size_t len);
/* The number of figures in the value. */
static inline uint32_t
figiter_count(const figiter *it)
{
    return it->n;
}

/* Decode the next figure into *r.  Returns 1, 0 after the last figure
 * (when the value ended exactly there), or -1 when the value is
 * malformed; never reads outside it. */
int figiter_next(figiter *it, figrec *r);
/* Decode figure idx into *r, reading on from the current figure, or from
 * the first when idx is behind it: reading a document's figures in
 * increasing order costs one pass.  Returns 0, or -1 when the value is
 * malformed or holds no figure idx. */
int figiter_seek(figiter *it, uint32_t idx, figrec *r);

/* Figure idx of the value v[0..len) (one pass up to idx); 0 or -1 as
 * figiter_seek(). */
int figstore_get(const void *v, size_t len, uint32_t idx, figrec *r);
/* The number of figures of the value v[0..len) into *n; 0 or -1 when the
 * header is malformed. */
int figstore_count(const void *v, size_t len, uint32_t *n);

/* The figvals value of a figure: value (ordered), docid, figure index. */
void figstore_val(unsigned char out[16], double value, uint32_t docid,
                  uint32_t idx);
/* u64 whose unsigned order is the order of the doubles (NaN excluded). */
uint64_t figstore_order(double v);
double figstore_unorder(uint64_t u);

/* Store docid's figures (records and unit index) in write txn t. */
int figstore_put(store_txn *t, uint32_t docid, const figrec *recs, size_t n,
                 brief_err *e);
/* Remove docid's figures; none is not an error. */
int figstore_del(store_txn *t, uint32_t docid, brief_err *e);

#endif
