/*
 * blkcache.c: the large blocks an index handle keeps between searches
 * (blkcache.h).  Sixteen slots: a linear scan is cheaper than any index.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "blkcache.h"

/* Under AddressSanitizer a kept block is poisoned until it is handed out
 * again, so that a use after blk_put() is reported as after free(). */
#if defined(__SANITIZE_ADDRESS__)
#define BLK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BLK_ASAN 1
#endif
#endif
#ifdef BLK_ASAN
#include <sanitizer/asan_interface.h>
#define HIDE(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define SHOW(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define HIDE(p, n) ((void)(p), (void)(n))
#define SHOW(p, n) ((void)(p), (void)(n))
#endif

/* Map the whole pages of a new block in one system call rather than a
 * page fault each as they are first written: a common word's lists are
 * a few hundred KB, and on a virtual machine where a fault costs about
 * 9 us that was a fifth of the faults of a whole-process search for
 * `people` on large/ (184 -> 147, about 0.3 ms of 8; bench/PROFILE.md).
 * Kernels before 5.14 do not know the advice and refuse it, which
 * changes nothing. */
static void
populate(void *p, size_t size)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + pg - 1) & ~(pg - 1);
    uintptr_t to = ((uintptr_t)p + size) & ~(pg - 1);

    if (to > from)
        (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)size;
#endif
}

void *
blk_get(blkcache *c, size_t size, size_t *got)
{
    size_t best = SIZE_MAX;
    void *p;

    if (c && size >= BLKCACHE_MIN)
        for (size_t i = 0; i < c->n; i++)
            if (c->slot[i].size >= size &&
                (best == SIZE_MAX || c->slot[i].size < c->slot[best].size))
                best = i;
    if (best != SIZE_MAX) {
        p = c->slot[best].p;
        *got = c->slot[best].size;
        c->bytes -= *got;
        c->slot[best] = c->slot[--c->n];
        SHOW(p, *got);
        return p;
    }
    *got = size;
    if ((p = malloc(size)) && size >= BLKCACHE_MIN)
        populate(p, size);
    return p;
}

/* The index of c's smallest block (c->n > 0). */
static size_t
smallest(const blkcache *c)
{
    size_t s = 0;

    for (size_t i = 1; i < c->n; i++)
        if (c->slot[i].size < c->slot[s].size)
            s = i;
    return s;
}

void
blk_put(blkcache *c, void *p, size_t size)
{
    if (!c || !p || size < BLKCACHE_MIN || size > BLKCACHE_MAX) {
        free(p);
        return;
    }
    while (c->n == BLKCACHE_SLOTS || c->bytes + size > BLKCACHE_MAX) {
        size_t s = smallest(c);
        if (c->slot[s].size >= size) {
            free(p);
            return;
        }
        SHOW(c->slot[s].p, c->slot[s].size);
        free(c->slot[s].p);
        c->bytes -= c->slot[s].size;
        c->slot[s] = c->slot[--c->n];
    }
    HIDE(p, size);
    c->slot[c->n].p = p;
    c->slot[c->n++].size = size;
    c->bytes += size;
}

void
blkcache_free(blkcache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        SHOW(c->slot[i].p, c->slot[i].size);
        free(c->slot[i].p);
    }
    c->n = 0;
    c->bytes = 0;
}
