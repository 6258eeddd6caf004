/*
 * test_blkcache.c: the blocks an index handle keeps between searches.
 * What is kept and what is freed (sizes, slots, bytes), which block a
 * request gets, and posting lists built, grown, united and freed through
 * a cache: the same lists as without one, search after search.
 */
#include <stdlib.h>
#include <string.h>

#include "blkcache.h"
#include "check.h"
#include "postings.h"

/* Whether c holds a block of exactly size bytes. */
static bool
holds(const blkcache *c, size_t size)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->slot[i].size == size)
            return true;
    return false;
}

/* Sizes here are whole pages, large enough to be kept. */
#define PAGES(n) ((size_t)(n) * 4096)

static void
test_keep_and_give(void)
{
    blkcache c = { 0 };
    size_t got;
    void *small = blk_get(&c, 100, &got), *a, *b, *p;

    CHECK(small && got == 100);
    blk_put(&c, small, 100);            /* below BLKCACHE_MIN: freed */
    CHECK(c.n == 0 && c.bytes == 0);
    a = blk_get(&c, PAGES(25), &got);
    CHECK(a && got == PAGES(25));
    memset(a, 1, got);
    b = blk_get(&c, PAGES(75), &got);
    CHECK(b && got == PAGES(75));
    memset(b, 2, got);
    blk_put(&c, a, PAGES(25));
    blk_put(&c, b, PAGES(75));
    CHECK(c.n == 2 && c.bytes == PAGES(100));
    /* The smallest block large enough, with its whole size. */
    p = blk_get(&c, PAGES(20), &got);
    CHECK(p == a && got == PAGES(25) && c.n == 1 && c.bytes == PAGES(75));
    /* Too large for any: a new block; the kept one stays. */
    blk_put(&c, p, got);
    p = blk_get(&c, PAGES(100), &got);
    CHECK(p != a && p != b && got == PAGES(100) && c.n == 2);
    blk_put(&c, p, got);
    /* Below BLKCACHE_MIN, requests never take a kept block. */
    p = blk_get(&c, 1000, &got);
    CHECK(p != a && p != b && got == 1000 && c.n == 3);
    blk_put(&c, p, got);
    blk_put(&c, NULL, 0);
    CHECK(c.n == 3);
    blkcache_free(&c);
    CHECK(c.n == 0 && c.bytes == 0);
    /* No cache: new blocks, given back at once. */
    p = blk_get(NULL, PAGES(50), &got);
    CHECK(p && got == PAGES(50));
    memset(p, 3, got);
    blk_put(NULL, p, got);
}

/* Put a new block of size bytes (a multiple of pages) into c. */
static void
put_new(blkcache *c, size_t size)
{
    size_t got;
    void *p = blk_get(NULL, size, &got);

    CHECK(p && got == size);
    blk_put(c, p, got);
}

static void
test_bounds(void)
{
    blkcache c = { 0 };
    size_t big = BLKCACHE_MAX / 4 + PAGES(1);

    /* At most BLKCACHE_SLOTS blocks: a smaller one gives way to a larger
     * one, a block no larger than every kept one is freed. */
    for (size_t i = 0; i < BLKCACHE_SLOTS + 2; i++)
        put_new(&c, BLKCACHE_MIN + PAGES(i));
    CHECK(c.n == BLKCACHE_SLOTS);
    CHECK(!holds(&c, BLKCACHE_MIN) && !holds(&c, BLKCACHE_MIN + PAGES(1)));
    CHECK(holds(&c, BLKCACHE_MIN + PAGES(BLKCACHE_SLOTS + 1)));
    put_new(&c, BLKCACHE_MIN);
    CHECK(c.n == BLKCACHE_SLOTS && !holds(&c, BLKCACHE_MIN));
    blkcache_free(&c);
    /* At most BLKCACHE_MAX bytes: four blocks over a quarter do not fit;
     * the smallest is freed for the fourth. */
    for (size_t i = 0; i < 4; i++)
        put_new(&c, big + PAGES(i));
    CHECK(c.n == 3 && c.bytes <= BLKCACHE_MAX && !holds(&c, big));
    /* Larger than BLKCACHE_MAX: never kept. */
    put_new(&c, (size_t)BLKCACHE_MAX + PAGES(1));
    CHECK(c.n == 3 && holds(&c, big + PAGES(3)));
    blkcache_free(&c);
}

/* A list of n passages from seed, each with 1 to 3 positions, pushed
 * into l one by one (it grows from nothing, through its cache). */
static void
fill(plist *l, size_t n, unsigned seed)
{
    uint64_t id = 0;

    srand(seed);
    for (size_t i = 0; i < n; i++) {
        ppos pos[3];
        uint32_t tf = 1 + (uint32_t)(rand() % 3);
        for (uint32_t k = 0; k < tf; k++)
            pos[k] = (ppos)(k * 10 + rand() % 10);
        id += 1 + (uint64_t)(rand() % 5);
        CHECK(plist_push(l, id, pos, tf) == 0);
    }
}

static bool
same_list(const plist *a, const plist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        ppos sa[POSTINGS_MAX_TF], sb[POSTINGS_MAX_TF];
        const ppos *pa = plist_pos(a, i, sa), *pb = plist_pos(b, i, sb);
        if (a->ids[i] != b->ids[i] || a->tf[i] != b->tf[i] ||
            memcmp(pa, pb, a->tf[i] * sizeof *pa) != 0)
            return false;
    }
    return true;
}

/* Searches in turn on one cache: lists large enough for their blocks to
 * be kept, built, united and freed, equal to the same lists built
 * without a cache; the blocks of one round serve the next, whose lists
 * are smaller. */
static void
test_lists_through_cache(void)
{
    blkcache c = { 0 };

    for (unsigned round = 0; round < 12; round++) {
        size_t n = 3000 + (11 - round) * 1500;
        plist want[2] = { { 0 } }, got[2] = { { 0 } };
        plist uw = { 0 }, ug = { .cache = &c };
        void *kept[BLKCACHE_SLOTS];
        size_t n_kept = c.n, reused = 0;
        for (size_t i = 0; i < c.n; i++)
            kept[i] = c.slot[i].p;
        for (int j = 0; j < 2; j++) {
            got[j].cache = &c;
            fill(&want[j], n, round * 2 + (unsigned)j);
            fill(&got[j], n, round * 2 + (unsigned)j);
            CHECK(same_list(&want[j], &got[j]));
        }
        CHECK(plist_union(want, 2, &uw) == 0);
        CHECK(plist_union(got, 2, &ug) == 0);
        CHECK(same_list(&uw, &ug));
        /* The last round's blocks serve this one's largest lists or
         * their union. */
        for (size_t i = 0; i < n_kept; i++)
            for (int j = 0; j < 3; j++)
                reused += kept[i] == (void *)(j < 2 ? got[j].ids : ug.ids);
        CHECK(round == 0 || reused > 0);
        for (int j = 0; j < 2; j++) {
            plist_free(&want[j]);
            plist_free(&got[j]);
            CHECK(got[j].cache == &c && got[j].n == 0 && !got[j].ids);
        }
        plist_free(&uw);
        plist_free(&ug);
        CHECK(c.n > 0 && c.bytes <= BLKCACHE_MAX);
    }
    blkcache_free(&c);
}

int
main(void)
{
    TEST(test_keep_and_give);
    TEST(test_bounds);
    TEST(test_lists_through_cache);
    return check_report();
}
