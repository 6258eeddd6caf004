/*
 * writer.h: a batch of document changes and its commit.  A batch holds
 * new documents (text, passages and the postings they add, accumulated
 * per word) and the ids of documents to remove; writer_commit() applies
 * all of it in one LMDB write transaction, growing the map and redoing the
 * transaction when it fills.
 */
#ifndef BRIEF_WRITER_H
#define BRIEF_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "brief_int.h"

typedef struct batch batch;

batch *batch_new(void);
void batch_free(batch *b);

/* Bytes of text and postings held: commit when this grows large. */
size_t batch_bytes(const batch *b);
/* Changes held: documents added, removed and touched. */
size_t batch_docs(const batch *b);

/* What the file was like when read: a change to any of these makes the
 * next run read it again (and compare content hashes). */
typedef struct file_stamp {
    uint64_t size;
    int64_t mtime_ns, ctime_ns;
} file_stamp;

/* Add a document under docid.  Takes ownership of text (malloc'ed). */
int batch_add(batch *b, brief_index *ix, uint32_t docid, const char *path,
              char *text, size_t len, const file_stamp *st, uint64_t hash);

/*
 * batch_add() in two steps, so that the first can run in another thread:
 * writer_prepare() does the work that needs nothing but the text
 * (passages, figures, trigrams, tokens), batch_add_prepared() adds the
 * result to a batch.  A prepdoc holds a document until it is added; a
 * prepwork, what preparing needs only while it runs (a tokenizer, the
 * tokens, the trigram extractor's scratch), kept from one document to the
 * next.  A thread that prepares documents owns one prepwork, however many
 * prepdocs it fills: each would otherwise touch pages of its own
 * (bench/PROFILE.md).  One thread at a time may use either.
 */
typedef struct prepdoc prepdoc;
typedef struct prepwork prepwork;
/* zone_bytes: the index's (trigram.h). */
prepdoc *prepdoc_new(size_t zone_bytes);
void prepdoc_free(prepdoc *p);
/* Free the document p holds (one not handed to a batch). */
void prepdoc_discard(prepdoc *p);
/* NULL when out of memory. */
prepwork *prepwork_new(void);
void prepwork_free(prepwork *w);
/* Prepare text in p, using w.  Takes ownership of text (malloc'ed).
 * BRIEF_OK or BRIEF_ENOMEM. */
int writer_prepare(prepdoc *p, prepwork *w, char *text, size_t len);
/* The docids the prepared document takes: one per zone of its text (the
 * first is its own). */
uint32_t prepdoc_ids(const prepdoc *p);
/* Add what p holds under docid; p is empty afterwards. */
int batch_add_prepared(batch *b, brief_index *ix, uint32_t docid,
                       const char *path, prepdoc *p, const file_stamp *st,
                       uint64_t hash);

/* Whether the batch adds a document under path. */
bool batch_has_path(const batch *b, const char *path);

/* Remove the stored document docid when the batch commits. */
int batch_remove(batch *b, uint32_t docid);

/* Set the stored stamp of docid (an unchanged file that was touched). */
int batch_touch(batch *b, uint32_t docid, const file_stamp *st);

/* Apply the batch in one transaction, then empty it.  flags:
 * WRITER_CONSOLIDATES, the run ends by consolidating the segments
 * (segment_maintain()); WRITER_THREADS, a thread may find the words' stems
 * while the documents are stored. */
enum { WRITER_CONSOLIDATES = 1, WRITER_THREADS = 2 };
int writer_commit(batch *b, brief_index *ix, unsigned flags);

/* The document record (docs database) of docid, decoded. */
typedef struct doc_rec {
    file_stamp stamp;
    uint64_t hash;
    uint32_t n_passages, n_tokens, flags;
    const char *path;        /* borrowed from the transaction */
    size_t path_len;
} doc_rec;

#define DOC_REC_FIXED 44

/* Read and check docid's record; BRIEF_DONE when absent. */
int writer_get_doc(store_txn *t, uint32_t docid, doc_rec *out,
                   brief_err *e);

/* Remove docid and everything it contributed, inside write txn t. */
int writer_remove_doc(store_txn *t, brief_index *ix, uint32_t docid);

#endif
