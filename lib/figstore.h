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

/* The figvals key of a unit's run: unit | 0 | u32be run, into key (room
 * for FIGSTORE_KEY_MAX bytes); its length. */
#define FIGSTORE_KEY_MAX (FIG_UNIT_MAX + 5)
size_t figstore_run_key(unsigned char *key, const char *unit, size_t ulen,
                        uint32_t run);
/* The unit of a figvals key into *ulen (its bytes start the key) and its
 * run; -1 when the key is malformed. */
int figstore_key_unit(const sval *key, size_t *ulen, uint32_t *run);

/* A batch's new figures.  Their unit index entries are collected here and
 * written by figbatch_flush() as one run per unit, sorted (so that the
 * run's pages are filled completely and no earlier page is touched). */
typedef struct figbatch {
    struct figent {
        unsigned char v[16];            /* figstore_val() */
        char unit[FIG_UNIT_MAX];
    } *v;
    size_t n, cap;
    uint32_t run;                       /* the smallest docid */
} figbatch;

/* Store docid's figure records in write txn t and collect their unit
 * index entries in fb.  Documents come in ascending docid order, above
 * every docid of the index. */
int figstore_put(store_txn *t, figbatch *fb, uint32_t docid,
                 const figrec *recs, size_t n, brief_err *e);
/* Write fb's entries (a run per unit) and merge a unit's newest runs
 * when they are too many or, together, full (figstore.c's head).  fb is
 * emptied. */
int figbatch_flush(store_txn *t, figbatch *fb, brief_err *e);
void figbatch_free(figbatch *fb);
/* Remove docid's figures; none is not an error. */
int figstore_del(store_txn *t, uint32_t docid, brief_err *e);
/* The figvals keys are well-formed and every value lies in the run that
 * removal looks in (its docid at or above the run, below the next run of
 * its unit); BRIEF_ECORRUPT naming the first that is not. */
int figstore_check_runs(store_txn *t, brief_err *e);

#endif
