/*
 * figstore.h: figures in the index.  Each document's figures are stored
 * as fixed-size records under its docid; every figure is also filed under
 * its unit with an order-preserving encoding of its value, so that a look-
 * up by unit and value range is one cursor range (store.c has the layout).
 */
#ifndef BRIEF_FIGSTORE_H
#define BRIEF_FIGSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "figures.h"
#include "store.h"

/* Bytes of one figure record. */
#define FIG_REC 60

/* A figure as stored: what figures_extract() found, and where its words
 * are (passage, position of its first word in the passage, and how many
 * positions it covers; n_pos 0 when it holds no word). */
typedef struct figrec {
    figure f;
    uint32_t passage, pos, n_pos;
} figrec;

void figstore_encode(const figrec *r, unsigned char *out);
/* Returns -1 when the record is malformed. */
int figstore_decode(const unsigned char *p, figrec *r);

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
