/*
 * trigindex.h: the trigram index in LMDB: for each trigram of the folded
 * texts, the documents that hold it, in chunks like the postings (store.c
 * has the layout).  Built in batches with the rest of a document, removed
 * with it, and looked up to narrow a regex to the documents that can match.
 */
#ifndef BRIEF_TRIGINDEX_H
#define BRIEF_TRIGINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"
#include "trigram.h"

/* A batch's trigram lists: trigram -> docids (ascending). */
typedef struct trigacc trigacc;

trigacc *trigacc_new(void);
void trigacc_free(trigacc *a);
/* Add docid (larger than any added before) under each trigram of set. */
int trigacc_add(trigacc *a, const trigset *set, uint32_t docid);
/* Bytes held. */
size_t trigacc_bytes(const trigacc *a);
/* Merge everything into the index in write txn t, then empty a. */
int trigacc_commit(trigacc *a, store_txn *t, brief_err *e);
void trigacc_clear(trigacc *a);

/* Remove docid from the lists of the trigrams in set. */
int trigindex_remove(store_txn *t, const trigset *set, uint32_t docid,
                     brief_err *e);

/* The documents that satisfy q, sorted; *all is set (and *docs NULL) when
 * q is ALL.  The caller frees *docs. */
int trigindex_eval(store_txn *t, const tq *q, uint32_t **docs, size_t *n,
                   bool *all, brief_err *e);

/* All docids of one trigram, appended to *docs (for --check). */
int trigindex_list(store_txn *t, trigram tri, uint32_t **docs, size_t *n,
                   size_t *cap, brief_err *e);

#endif
