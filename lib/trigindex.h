/*
 * trigindex.h: the trigram index in LMDB: for each trigram of the folded
 * texts, the documents that hold it, in chunks like the postings (store.c
 * has the layout).  Built in batches with the rest of a document, removed
 * with it, and looked up to narrow a regex to the documents that can match.
 */
#ifndef BRIEF_TRIGINDEX_H
#define BRIEF_TRIGINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "segment.h"
#include "store.h"
#include "trigram.h"

/*
 * The lists name zones (trigram.h) rather than documents: a document of
 * docid d whose text has z zones owns the ids d .. d + z - 1 (the next
 * document's docid is d + z at least), and zone k is listed under id
 * d + k.  A search narrows a regex to the zones that can hold a match.
 */

/* A batch's trigram lists: trigram -> zone ids (ascending). */
typedef struct trigacc trigacc;

trigacc *trigacc_new(void);
void trigacc_free(trigacc *a);
/* Add docid's zones (past any added before) under their trigrams. */
int trigacc_add(trigacc *a, const trigset *set, uint32_t docid);
/* Bytes held. */
size_t trigacc_bytes(const trigacc *a);
/* Write every list into the batch's segment w (the caller then clears
 * a). */
int trigacc_commit(trigacc *a, segwriter *w);
void trigacc_clear(trigacc *a);

/* Cut a stream (docid deltas, the first against 0) into chunks, passed
 * to emit with their first docid (replaces_tail is always false; the
 * signature is postings_chunks_build()'s).  Returns 0, emit's non-zero
 * status, -1 when the stream is corrupt or -2 when out of memory. */
int trigindex_chunks_build(const unsigned char *stream, size_t len,
                           int (*emit)(void *ctx, uint32_t first,
                                       const unsigned char *v, size_t len,
                                       bool replaces_tail),
                           void *ctx);

/* Decode the chunk v[0..len) of first docid first: its docids appended
 * to *docs (grown with realloc; the caller frees it).  Returns 0, -1 when
 * the chunk is malformed, -2 when out of memory. */
int trigindex_chunk_decode(const unsigned char *v, size_t len,
                           uint32_t first, uint32_t **docs, size_t *n,
                           size_t *cap);
/* The last docid of the chunk v[0..len) of first docid first, from its
 * header; -1 when the header is malformed. */
int trigindex_chunk_last(const unsigned char *v, size_t len, uint32_t first,
                         uint32_t *last);
/* Append the chunk v[0..len) of first docid first to a stream of docid
 * deltas, the first taken against *prev (which becomes its last docid);
 * for merging.  0, -1 (malformed or before *prev) or -2 (memory). */
int trigindex_chunk_to_stream(const unsigned char *v, size_t len,
                              uint32_t first, uint32_t *prev, buf *stream);

/* Remove docid's zones from the lists of their trigrams in set. */
int trigindex_remove(store_txn *t, const trigset *set, uint32_t docid,
                     brief_err *e);

/* The ids that satisfy q, sorted; *all is set (and *ids NULL) when q is
 * ALL.  The caller frees *ids. */
int trigindex_eval(store_txn *t, const tq *q, uint32_t **ids, size_t *n,
                   bool *all, brief_err *e);

/* The zones of the documents (DB_DOCS) that can hold a match of q, sorted
 * ids: with whole, all the zones of each document whose zones together
 * satisfy q (for matches that may cross lines, and so zones); without,
 * the zones that satisfy it alone. */
int trigindex_eval_zones(store_txn *t, const tq *q, bool whole,
                         uint32_t **ids, size_t *n, bool *all,
                         brief_err *e);

/* owner[i] := the docid of the document that owns zone ids[i] (ids
 * ascending): the largest docid at most ids[i].  BRIEF_ECORRUPT when
 * there is none. */
int trigindex_owners(store_txn *t, const uint32_t *ids, size_t n,
                     uint32_t *owner, brief_err *e);

/* Turn the zone ids[0..*n) (ascending) into their documents, in place:
 * each docid once, ascending. */
int trigindex_to_docs(store_txn *t, uint32_t *ids, size_t *n,
                      brief_err *e);

/* The documents with a zone that can hold a match of q (matches within a
 * line), sorted; *all as trigindex_eval(). */
int trigindex_eval_docs(store_txn *t, const tq *q, uint32_t **docs,
                        size_t *n, bool *all, brief_err *e);

/* All docids of one trigram, appended to *docs (for --check). */
int trigindex_list(store_txn *t, trigram tri, uint32_t **docs, size_t *n,
                   size_t *cap, brief_err *e);

#endif
