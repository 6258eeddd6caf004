/*
 * pipeline.h: files read, checked and prepared for a batch ahead of the
 * indexer, in threads of their own.  The indexer submits the files that
 * need reading in its order and takes them back in the same order, each
 * read, checked (binary, UTF-8, size), hashed and passed through
 * writer_prepare(), so that the tokenizing, figures and trigrams of one
 * file overlap the accumulating and committing of the files before it.
 * Without a thread (one CPU, or a test) each file is prepared when taken.
 */
#ifndef BRIEF_PIPELINE_H
#define BRIEF_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "writer.h"

/* One file: what the indexer submitted, then what preparing it found. */
typedef struct pjob {
    const char *path;        /* to open (borrowed until released) */
    const char *shown;       /* for messages (borrowed) */
    uint64_t size;           /* as the walk saw it */
    /* BRIEF_OK: prepared in p; BRIEF_DONE: skipped, why says so;
     * BRIEF_ENOMEM / BRIEF_ECORRUPT: failed, why says so. */
    int rc;
    bool unreadable;         /* skipped because it could not be read */
    char why[4200];
    uint64_t hash;           /* of the text, when prepared */
    prepdoc *p;
} pjob;

typedef struct pipeline pipeline;

/* threaded: prepare in threads of their own.  NULL when out of
 * memory. */
pipeline *pipeline_new(bool threaded, size_t zone_bytes);
/* Stops the threads and frees every job. */
void pipeline_free(pipeline *pl);
/* Whether another file may be submitted now. */
bool pipeline_room(const pipeline *pl);
void pipeline_submit(pipeline *pl, const char *path, const char *shown,
                     uint64_t size);
/* The oldest job not taken, prepared (waits for it); NULL when none. */
pjob *pipeline_take(pipeline *pl);
/* Done with the job pipeline_take() returned (its document, if not
 * added to a batch, is freed). */
void pipeline_release(pipeline *pl);

/* Why a text cannot be indexed (binary, not UTF-8, too large), written
 * to why; false when it cannot. */
bool pipeline_acceptable(const char *shown, const char *text, size_t len,
                         char *why, size_t n);

#endif
