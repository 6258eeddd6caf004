/*
 * blkcache.h: the large blocks an index handle keeps from one search for
 * the next.  glibc gives a freed block of a few hundred KB back to the
 * system (munmap, or trimming the top of the heap), and the next search
 * faults every page of a new one in again: in a loop of searches on one
 * handle that was a sixth of the time and half of the p99 (see
 * bench/PROFILE.md).  A cache keeps at most BLKCACHE_SLOTS blocks of at
 * least BLKCACHE_MIN bytes, BLKCACHE_MAX bytes in all.  Functions given a
 * NULL cache are malloc() and free().  Not thread-safe: like its handle,
 * a cache serves one thread at a time.
 */
#ifndef BRIEF_BLKCACHE_H
#define BRIEF_BLKCACHE_H

#include <stddef.h>

#define BLKCACHE_SLOTS 16
#define BLKCACHE_MIN   (64 * 1024)
#define BLKCACHE_MAX   (64 * 1024 * 1024)

typedef struct blkcache {
    struct { void *p; size_t size; } slot[BLKCACHE_SLOTS];
    size_t n, bytes;
} blkcache;

/* A block of at least size bytes, its size in *got: the smallest kept
 * block that is large enough, else a new one.  NULL: out of memory. */
void *blk_get(blkcache *c, size_t size, size_t *got);

/* Give back block p (from malloc() or blk_get(); NULL: nothing) of size
 * bytes (what blk_get() gave in *got): kept when it is large and the
 * cache has room, else freed.  The cache makes room by freeing blocks
 * smaller than p. */
void blk_put(blkcache *c, void *p, size_t size);

/* Free every kept block. */
void blkcache_free(blkcache *c);

#endif
