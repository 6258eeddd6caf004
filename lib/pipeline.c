/*
 * pipeline.c: files read and prepared ahead of the indexer (pipeline.h).
 *
 * A ring of PIPE_DEPTH jobs, each with its own prepdoc, and a prepwork
 * (tokenizer, scratch) for each worker thread.  Three counters, each only ever growing, say where the
 * jobs are: submitted (by the indexer), claimed (by one of the worker
 * threads) and taken (by the indexer again); a job's `ready` says that
 * its worker is done with it.  Workers finish out of order; the indexer
 * takes the jobs in order.  The mutex guards `claimed`, every `ready`,
 * `stop` and the writes of `submitted` (the indexer, its only writer,
 * reads it without); `taken` and `bytes` are the indexer's alone.
 * A job's other fields belong to the indexer until it is submitted, to
 * the worker that claims it until it is ready, and to the indexer again
 * after that.  Workers wait on `work` for a job to claim; the indexer
 * waits on `done` for the job it takes next.  Two conditions, so that a
 * job submitted wakes one worker and a job prepared wakes only the
 * indexer (one condition woke all three threads for each, 52 k futex
 * calls in an index of large/).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "pipeline.h"
#include "text.h"

#define PIPE_DEPTH 8
/* Preparing (tokens, figures, trigrams) is about half of an indexing
 * run's work, more than the indexer and the committer each do: with one
 * worker it set the pace (bench/PROFILE.md).  Two workers let it use
 * whichever core is free. */
#define PIPE_WORKERS 2
/* Files in flight hold at most about this much text (one always may). */
#define PIPE_BYTES ((uint64_t)8 << 20)
/* Binary files are recognised as git and ripgrep do: a NUL byte in the
 * first 8 KiB. */
#define BINARY_PROBE 8192

/* A worker thread and what it prepares with (the one without threads
 * uses the first). */
typedef struct pworker {
    pipeline *pl;
    pthread_t thread;
    prepwork *work;
} pworker;

struct pipeline {
    pjob jobs[PIPE_DEPTH];
    bool ready[PIPE_DEPTH];
    uint64_t submitted, claimed, taken;
    uint64_t bytes;          /* sizes of the files submitted, not taken */
    bool stop;
    size_t n_threads;        /* 0: each job is prepared when taken */
    pworker workers[PIPE_WORKERS];
    pthread_mutex_t lock;
    pthread_cond_t work, done;
};

bool
pipeline_acceptable(const char *shown, const char *text, size_t len,
                    char *why, size_t n)
{
    size_t probe = len < BINARY_PROBE ? len : BINARY_PROBE, bad;
    const char *nul = memchr(text, '\0', probe);

    if (nul) {
        snprintf(why, n, "%s: binary file (NUL byte at %zu), skipped",
                 shown, (size_t)(nul - text));
        return false;
    }
    if (!text_is_utf8(text, len, &bad)) {
        snprintf(why, n, "%s: not UTF-8 at byte %zu, skipped", shown, bad);
        return false;
    }
    if (len > UINT32_MAX - 1) {
        snprintf(why, n, "%s: larger than 4 GiB, skipped", shown);
        return false;
    }
    return true;
}

/* Read j's file whole into *text (malloc'ed, NUL-terminated). */
static int
read_all(pjob *j, char **text, size_t *len)
{
    int fd = open(j->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    size_t n = 0, cap;
    char *p;

    if (fd < 0 || fstat(fd, &st) != 0)
        goto unreadable;
    /* Room for the NUL and one byte more, into which the read() that
     * meets the end returns 0: a buffer of size + 1 was full before that
     * read, so every file was copied into one twice its size. */
    cap = (size_t)st.st_size + 2;
    if (!(p = malloc(cap)))
        goto oom;
    for (;;) {
        ssize_t r;
        if (n + 1 == cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                goto oom;
            }
            p = q;
            cap *= 2;
        }
        r = read(fd, p + n, cap - 1 - n);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(p);
            goto unreadable;
        }
        n += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *text = p;
    *len = n;
    return BRIEF_OK;
unreadable:
    snprintf(j->why, sizeof j->why, "%s: %s, skipped", j->shown,
             strerror(errno));
    j->unreadable = true;
    if (fd >= 0)
        close(fd);
    return BRIEF_DONE;
oom:
    snprintf(j->why, sizeof j->why, "%s: out of memory", j->shown);
    close(fd);
    return BRIEF_ENOMEM;
}

/* Read, check, hash and prepare j's file, using w. */
static void
prepare(pjob *j, prepwork *w)
{
    char *text;
    size_t len;

    j->unreadable = false;
    j->why[0] = '\0';
    if ((j->rc = read_all(j, &text, &len)))
        return;
    if (!pipeline_acceptable(j->shown, text, len, j->why, sizeof j->why)) {
        free(text);
        j->rc = BRIEF_DONE;
        return;
    }
    j->hash = XXH3_64bits(text, len);
    if ((j->rc = writer_prepare(j->p, w, text, len)))
        snprintf(j->why, sizeof j->why, "%s: out of memory", j->shown);
}

static void *
worker(void *arg)
{
    pworker *pw = arg;
    pipeline *pl = pw->pl;

    pthread_mutex_lock(&pl->lock);
    for (;;) {
        size_t slot;
        while (!pl->stop && pl->claimed == pl->submitted)
            pthread_cond_wait(&pl->work, &pl->lock);
        if (pl->stop)
            break;
        slot = pl->claimed++ % PIPE_DEPTH;
        pthread_mutex_unlock(&pl->lock);
        prepare(&pl->jobs[slot], pw->work);
        pthread_mutex_lock(&pl->lock);
        pl->ready[slot] = true;
        pthread_cond_signal(&pl->done);
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

pipeline *
pipeline_new(bool threaded, size_t zone_bytes)
{
    pipeline *pl = calloc(1, sizeof *pl);

    if (!pl)
        return NULL;
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->work, NULL);
    pthread_cond_init(&pl->done, NULL);
    for (size_t i = 0; i < PIPE_DEPTH; i++)
        if (!(pl->jobs[i].p = prepdoc_new(zone_bytes))) {
            pipeline_free(pl);
            return NULL;
        }
    for (size_t i = 0; i < PIPE_WORKERS; i++) {
        pl->workers[i].pl = pl;
        if (!(pl->workers[i].work = prepwork_new())) {
            pipeline_free(pl);
            return NULL;
        }
    }
    /* No thread to be had: prepare each file when it is taken. */
    while (threaded && pl->n_threads < PIPE_WORKERS &&
           pthread_create(&pl->workers[pl->n_threads].thread, NULL, worker,
                          &pl->workers[pl->n_threads]) == 0)
        pl->n_threads++;
    return pl;
}

void
pipeline_free(pipeline *pl)
{
    if (!pl)
        return;
    if (pl->n_threads) {
        pthread_mutex_lock(&pl->lock);
        pl->stop = true;
        pthread_cond_broadcast(&pl->work);
        pthread_mutex_unlock(&pl->lock);
    }
    for (size_t i = 0; i < pl->n_threads; i++)
        pthread_join(pl->workers[i].thread, NULL);
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->work);
    pthread_cond_destroy(&pl->done);
    for (size_t i = 0; i < PIPE_DEPTH; i++)
        prepdoc_free(pl->jobs[i].p);
    for (size_t i = 0; i < PIPE_WORKERS; i++)
        prepwork_free(pl->workers[i].work);
    free(pl);
}

bool
pipeline_room(const pipeline *pl)
{
    return pl->submitted - pl->taken < PIPE_DEPTH &&
           (pl->bytes < PIPE_BYTES || pl->submitted == pl->taken);
}

void
pipeline_submit(pipeline *pl, const char *path, const char *shown,
                uint64_t size)
{
    pjob *j = &pl->jobs[pl->submitted % PIPE_DEPTH];

    j->path = path;
    j->shown = shown;
    j->size = size;
    pl->bytes += size;
    pthread_mutex_lock(&pl->lock);
    pl->ready[pl->submitted % PIPE_DEPTH] = false;
    pl->submitted++;
    pthread_cond_signal(&pl->work);
    pthread_mutex_unlock(&pl->lock);
}

pjob *
pipeline_take(pipeline *pl)
{
    size_t slot = pl->taken % PIPE_DEPTH;

    if (pl->taken == pl->submitted)
        return NULL;
    if (!pl->n_threads) {
        prepare(&pl->jobs[slot], pl->workers[0].work);
        return &pl->jobs[slot];
    }
    pthread_mutex_lock(&pl->lock);
    while (!pl->ready[slot])
        pthread_cond_wait(&pl->done, &pl->lock);
    pthread_mutex_unlock(&pl->lock);
    return &pl->jobs[slot];
}

void
pipeline_release(pipeline *pl)
{
    pjob *j = &pl->jobs[pl->taken % PIPE_DEPTH];

    prepdoc_discard(j->p);
    pl->bytes -= j->size;
    pl->taken++;
}
