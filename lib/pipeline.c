/*
 * pipeline.c: files read and prepared ahead of the indexer (pipeline.h).
 *
 * A ring of PIPE_DEPTH jobs, each with its own prepdoc (and so its own
 * tokenizer).  Three counters, each only ever growing, say where the
 * jobs are: submitted (by the indexer), prepared (by the thread) and
 * taken (by the indexer again).  The mutex guards `prepared` and `stop`;
 * the other counters are the indexer's alone.  A job's fields belong to
 * the indexer until it is submitted, to the thread until it is prepared,
 * and to the indexer again after that.
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
/* Files in flight hold at most about this much text (one always may). */
#define PIPE_BYTES ((uint64_t)8 << 20)
/* Binary files are recognised as git and ripgrep do: a NUL byte in the
 * first 8 KiB. */
#define BINARY_PROBE 8192

struct pipeline {
    pjob jobs[PIPE_DEPTH];
    uint64_t submitted, prepared, taken;
    uint64_t bytes;          /* sizes of the files submitted, not taken */
    bool threaded, stop;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
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
    cap = (size_t)st.st_size + 1;
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

/* Read, check, hash and prepare j's file. */
static void
prepare(pjob *j)
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
    j->rc = writer_prepare(j->p, text, len);
    if (j->rc == BRIEF_ECORRUPT)
        snprintf(j->why, sizeof j->why, "%s: a token lies outside every "
                 "passage", j->shown);
    else if (j->rc)
        snprintf(j->why, sizeof j->why, "%s: out of memory", j->shown);
}

static void *
worker(void *arg)
{
    pipeline *pl = arg;

    pthread_mutex_lock(&pl->lock);
    for (;;) {
        pjob *j;
        while (!pl->stop && pl->prepared == pl->submitted)
            pthread_cond_wait(&pl->cond, &pl->lock);
        if (pl->stop)
            break;
        j = &pl->jobs[pl->prepared % PIPE_DEPTH];
        pthread_mutex_unlock(&pl->lock);
        prepare(j);
        pthread_mutex_lock(&pl->lock);
        pl->prepared++;
        pthread_cond_broadcast(&pl->cond);
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

pipeline *
pipeline_new(bool threaded)
{
    pipeline *pl = calloc(1, sizeof *pl);

    if (!pl)
        return NULL;
    for (size_t i = 0; i < PIPE_DEPTH; i++)
        if (!(pl->jobs[i].p = prepdoc_new())) {
            pipeline_free(pl);
            return NULL;
        }
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->cond, NULL);
    /* No thread to be had: prepare each file when it is taken. */
    pl->threaded = threaded &&
                   pthread_create(&pl->thread, NULL, worker, pl) == 0;
    return pl;
}

void
pipeline_free(pipeline *pl)
{
    if (!pl)
        return;
    if (pl->threaded) {
        pthread_mutex_lock(&pl->lock);
        pl->stop = true;
        pthread_cond_broadcast(&pl->cond);
        pthread_mutex_unlock(&pl->lock);
        pthread_join(pl->thread, NULL);
    }
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->cond);
    for (size_t i = 0; i < PIPE_DEPTH; i++)
        prepdoc_free(pl->jobs[i].p);
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
    pl->submitted++;
    pthread_cond_broadcast(&pl->cond);
    pthread_mutex_unlock(&pl->lock);
}

pjob *
pipeline_take(pipeline *pl)
{
    pjob *j = &pl->jobs[pl->taken % PIPE_DEPTH];

    if (pl->taken == pl->submitted)
        return NULL;
    if (!pl->threaded) {
        prepare(j);
        pl->prepared++;
        return j;
    }
    pthread_mutex_lock(&pl->lock);
    while (pl->prepared == pl->taken)
        pthread_cond_wait(&pl->cond, &pl->lock);
    pthread_mutex_unlock(&pl->lock);
    return j;
}

void
pipeline_release(pipeline *pl)
{
    pjob *j = &pl->jobs[pl->taken % PIPE_DEPTH];

    prepdoc_discard(j->p);
    pl->bytes -= j->size;
    pl->taken++;
}
