/*
 * segment.h: the postings and trigram databases split into segments.
 *
 * Every batch writes its words' and trigrams' chunks into a segment of its
 * own: their keys are the logical key (term | u32be first docid) behind a
 * u32be segment id larger than any before, so a batch only appends at the
 * right edge of each B-tree and never copies the pages of earlier batches.
 * A segment holds the documents of one docid range; segments in id order
 * hold ascending, disjoint ranges.  When the four newest segments are of
 * one size tier, segment_maintain() merges them into one (LSM-style), so
 * a reader consults a few segments, not one per batch.
 *
 * Readers see the segments through segcur, which merges them into the one
 * sorted sequence of logical keys that a single database would hold: a
 * term's chunks come back in docid order whichever segments hold them.
 */
#ifndef BRIEF_SEGMENT_H
#define BRIEF_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

/* At most this many segments; segment_maintain() keeps far fewer. */
#define SEG_MAX 64

/* One segment: its id, the docids it holds, the bytes of its values. */
typedef struct seginfo {
    uint32_t id, first, last;
    uint64_t bytes;
} seginfo;

typedef struct seglist {
    seginfo v[SEG_MAX];
    size_t n;
} seglist;

/* The segment list (meta "segments"); none is an empty list. */
int seglist_load(store_txn *t, seglist *out, brief_err *e);

/* A cursor over the logical keys of every segment of db. */
typedef struct segcur segcur;

int segcur_open(store_txn *t, store_db db, segcur **out, brief_err *e);
void segcur_close(segcur *c);
/* The first logical key >= key: BRIEF_OK, BRIEF_DONE or an error. */
int segcur_seek(segcur *c, const void *key, size_t klen, sval *k, sval *v);
int segcur_first(segcur *c, sval *k, sval *v);
/* segcur_seek() for keys sought in ascending order, as by a look-up of
 * sorted words: a segment whose cursor already stands at or after key,
 * with nothing it holds between the last seek's key and there but what
 * segcur_next() stepped past, is not sought again.  Falls back to a seek
 * when key is not after every key stepped past since the last seek.  No
 * write to db may come between the calls. */
int segcur_seek_ahead(segcur *c, const void *key, size_t klen, sval *k,
                      sval *v);
/* The next logical key after the current one (after seek, first, next). */
int segcur_next(segcur *c, sval *k, sval *v);
/* The last logical key <= key; only the entry itself is valid after it
 * (no segcur_next). */
int segcur_floor(segcur *c, const void *key, size_t klen, sval *k,
                 sval *v);
/* The segment of the current entry. */
const seginfo *segcur_segment(const segcur *c);

/* Writes into one segment of db: key is the logical key. */
int segment_put(store_txn *t, store_db db, uint32_t seg, const void *key,
                size_t klen, const void *val, size_t vlen, brief_err *e);
int segment_del(store_txn *t, store_db db, uint32_t seg, const void *key,
                size_t klen, brief_err *e);

/* A segment being written by a batch or a merge: keys in ascending order
 * per database, each appended at the end of the tree. */
typedef struct segwriter {
    store_txn *t;
    brief_err *e;
    seginfo seg;
    store_txn *reads;            /* whose pages to drop as it goes: t's
                                    unless a merge reads another */
    const unsigned char *term;   /* for the writers' emit callbacks */
    size_t term_len;
    uint64_t piece;              /* bytes of values between checkpoints */
    struct mergeq *q;            /* non-NULL: what is added is queued for
                                    another thread's writer (segment.c) */
} segwriter;

/* Start a new segment for docids [first, last]. */
int segwriter_begin(segwriter *w, store_txn *t, uint32_t first,
                    uint32_t last, brief_err *e);
int segwriter_add(segwriter *w, store_db db, const void *key, size_t klen,
                  const void *val, size_t vlen);
/* Enter the segment in the list (nothing when it holds no value). */
int segwriter_end(segwriter *w);

/* For --check: every key of the postings and trigram databases lies in
 * a listed segment or a dead one waiting to be swept. */
int segment_check(store_txn *t, brief_err *e);

/* Merge the newest segments while the four newest share a size tier
 * (each merge in a transaction of its own).  *merged counts the merges.
 * consolidates: the run ends with segment_consolidate() (a first build),
 * so while that would take every segment (and there are fewer than 32),
 * none is merged on the way: the same chunks would be merged twice
 * (0.9 s of a 10 s build of large/, bench/PROFILE.md). */
int segment_maintain(store *s, brief_err *e, bool consolidates,
                     unsigned *merged);
/* Merge every segment into one, written into a compacted copy of the
 * index that is then moved over data.mdb (store_copy_open()), beside
 * every other database copied: a reader then seeks a word in one B-tree,
 * not one per batch, which cut the in-process p50 on large/ by a sixth
 * (bench/PROFILE.md), and the merged keys are never deleted.  For the
 * end of a first build and for --compact.  No transaction may be open;
 * s still maps the old file after it.  BRIEF_DONE, and nothing done,
 * when there are fewer than two segments (or tests bound the merge). */
int segment_rewrite(store *s, const char *dir, brief_err *e);
/* Otherwise: merge the newest segments in data.mdb, as many as hold
 * 64 MiB of values together, and delete the merged keys and those of
 * any dead segment; the caller then copies the file, so that their
 * pages do not stay free. */
int segment_consolidate(store *s, brief_err *e);

#endif
