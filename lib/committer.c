/*
 * committer.c: batches committed in a thread of their own (committer.h).
 *
 * Two batches: the indexer fills one, the thread commits the other.  The
 * mutex guards `flight` (the batch being committed, NULL when none) and
 * `stop`.  The thread sets `status` and `committed` under it before it
 * clears `flight`; the indexer reads and resets them once it has seen
 * `flight` cleared, when the thread cannot touch them until it is handed
 * the next batch.  `fill` and the filling batch are the indexer's.
 * The thread commits through a handle of its own (`view`) that shares
 * ix's store, stemmer and tokenizer but has its own message, so that the
 * two threads never write one brief_err: a failure's message is copied to
 * ix by the thread that waits for it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "committer.h"

struct committer {
    brief_index *ix;
    brief_index view;        /* what writer_commit() uses of ix */
    batch *batches[2];
    int fill;                /* index of the batch being filled */
    batch *flight;           /* being committed; NULL when none */
    int status;              /* of the last commit, until waited for */
    bool committed;          /* a commit ended and was not waited for */
    bool threaded, stop;
    unsigned flags;          /* writer_commit()'s */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

static void *
worker(void *arg)
{
    committer *c = arg;

    pthread_mutex_lock(&c->lock);
    for (;;) {
        batch *b;
        int rc;
        while (!c->stop && !c->flight)
            pthread_cond_wait(&c->cond, &c->lock);
        if (!c->flight)
            break;
        b = c->flight;
        pthread_mutex_unlock(&c->lock);
        rc = writer_commit(b, &c->view, c->flags);
        pthread_mutex_lock(&c->lock);
        c->status = rc;
        c->committed = true;
        c->flight = NULL;
        pthread_cond_broadcast(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

committer *
committer_new(brief_index *ix, bool threaded, bool consolidates)
{
    committer *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->ix = ix;
    /* writer_commit() reads the store, the stemmer (filing words under
     * their stems), the tokenizer (removing documents) and the zone
     * size; the indexer leaves all of them alone while a commit runs. */
    c->view.st = ix->st;
    c->view.stem = ix->stem;
    c->view.tok = ix->tok;
    c->view.zone_bytes = ix->zone_bytes;
    c->view.writable = true;
    c->view.lock_fd = -1;
    err_clear(&c->view.err);
    if (!(c->batches[0] = batch_new()) || !(c->batches[1] = batch_new())) {
        batch_free(c->batches[0]);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    c->threaded = threaded &&
                  pthread_create(&c->thread, NULL, worker, c) == 0;
    c->flags = (consolidates ? WRITER_CONSOLIDATES : 0) |
               (c->threaded ? WRITER_THREADS : 0);
    return c;
}

void
committer_free(committer *c)
{
    if (!c)
        return;
    if (c->threaded) {
        pthread_mutex_lock(&c->lock);
        c->stop = true;
        pthread_cond_broadcast(&c->cond);
        pthread_mutex_unlock(&c->lock);
        pthread_join(c->thread, NULL);
    }
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->cond);
    batch_free(c->batches[0]);
    batch_free(c->batches[1]);
    free(c);
}

batch *
committer_batch(committer *c)
{
    return c->batches[c->fill];
}

int
committer_wait(committer *c)
{
    int rc;

    if (c->threaded) {
        pthread_mutex_lock(&c->lock);
        while (c->flight)
            pthread_cond_wait(&c->cond, &c->lock);
        pthread_mutex_unlock(&c->lock);
    }
    if (!c->committed)
        return BRIEF_OK;
    rc = c->status;
    c->committed = false;
    c->status = BRIEF_OK;
    /* As writer_commit() does on ix itself: a commit that succeeded
     * leaves no message behind. */
    if (rc)
        err_set(&c->ix->err, rc, "%s", c->view.err.msg);
    else
        err_clear(&c->ix->err);
    return rc;
}

int
committer_start(committer *c)
{
    batch *b = c->batches[c->fill];
    int rc;

    if ((rc = committer_wait(c)))
        return rc;
    c->fill ^= 1;
    if (!c->threaded) {
        c->status = writer_commit(b, &c->view, c->flags);
        c->committed = true;
        return committer_wait(c);
    }
    pthread_mutex_lock(&c->lock);
    c->flight = b;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    return BRIEF_OK;
}
