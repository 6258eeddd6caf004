/*
 * committer.h: batches committed in a thread of their own.  The indexer
 * fills one batch while the committer writes the batch before it into
 * the index (writer_commit(): merges, then one write transaction), so
 * that the sorting, chunk cutting, page writing and fsync of a commit
 * overlap the accumulating of the next batch instead of stalling it and
 * the pipeline behind it.  Batches are committed one at a time and in the
 * order they were filled, each in one transaction, so what a reader (or a
 * crash) sees is the same sequence of states as without the thread.
 * Without a thread (one CPU, or a test) each batch is committed when
 * handed over.
 *
 * Ownership: the batch committer_batch() returns belongs to the caller's
 * thread until committer_start(); from then on to the committer's, until
 * a later committer_start() or committer_wait() has waited for it.  While
 * a commit runs, the committer's thread is the only one to use the
 * index's store, stemmer and tokenizer: the caller must not read or write
 * the index then (wait first).  LMDB wants a write transaction begun,
 * used and committed by one thread, and a map that grows (store_grow())
 * is remapped under any other transaction of the process.
 */
#ifndef BRIEF_COMMITTER_H
#define BRIEF_COMMITTER_H

#include <stdbool.h>

#include "brief_int.h"
#include "writer.h"

typedef struct committer committer;

/* Commit ix's batches, in a thread of their own when threaded (and a
 * thread can be had).  consolidates: the run ends by consolidating the
 * segments (a first build), so the merges on the way are deferred to it
 * (segment_maintain()).  NULL when out of memory. */
committer *committer_new(brief_index *ix, bool threaded, bool consolidates);
/* Wait for the commit in flight, stop the thread, free both batches (an
 * uncommitted one is dropped).  Accepts NULL. */
void committer_free(committer *c);

/* The batch to fill.  Borrowed: valid until the next committer_start(). */
batch *committer_batch(committer *c);

/* Wait for the commit in flight, then start committing the batch being
 * filled; the other batch, empty, is filled from now on.  Returns the
 * status of the commit waited for (when it failed, nothing is started
 * and the message is in ix); without a thread, commits the batch at once
 * and returns its status. */
int committer_start(committer *c);

/* Wait for the commit in flight, if any, and return its status (the
 * message, when it failed, copied to ix).  Afterwards the caller may use
 * the index again. */
int committer_wait(committer *c);

#endif
