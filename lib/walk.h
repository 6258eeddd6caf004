/*
 * walk.h: finding the files under the roots of an indexing run.
 */
#ifndef BRIEF_WALK_H
#define BRIEF_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

/* A stat() time in nanoseconds since the epoch, as the index keeps a
 * file's stamp (and as the stale checks compare it). */
static inline int64_t
walk_time_ns(struct timespec ts)
{
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

typedef struct walk_file {
    char *abs;               /* absolute path */
    char *shown;             /* as the user named it, for messages */
    uint64_t size;
    int64_t mtime_ns;
    int64_t ctime_ns;        /* catches edits that restore the mtime */
} walk_file;

typedef struct walk {
    walk_file *files;
    size_t n, cap;
    bool follow_links;
    dev_t skip_dev;          /* the index directory, never entered */
    ino_t skip_ino;
    void (*warn)(void *ctx, const char *msg);
    void *ctx;
} walk;

/* Add the files under root (a file or a directory; `shown` is how the user
 * wrote it) to w->files, in sorted order.  Hidden directories and the
 * index are skipped silently; symbolic links are skipped unless
 * follow_links, and then loops are reported through warn.  A root that
 * does not exist is an error. */
int walk_root(walk *w, const char *root_abs, const char *shown,
              brief_err *e);

void walk_free(walk *w);

#endif
