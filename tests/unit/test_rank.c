/*
 * test_rank.c: the top-k selection.  Streams of scores with many ties
 * are pushed as score() pushes them (topk_admits() first) and the kept
 * passages compared, in order, with a full sort of the stream; with and
 * without a tie order, for k of 0, 1, 10 and more than the stream.
 */
#include <stdlib.h>

#include "check.h"
#include "rank.h"

/* A tie order that is not the ids' own: even ids first, then by id
 * descending. */
static int
evens_first(void *ctx, uint64_t a, uint64_t b)
{
    (void)ctx;
    if ((a & 1) != (b & 1))
        return (a & 1) ? 1 : -1;
    return (a < b) - (a > b);
}

static int (*sort_order)(void *, uint64_t, uint64_t);

/* Best first: the order topk_sort() leaves. */
static int
cmp_best(const void *pa, const void *pb)
{
    const scored *a = pa, *b = pb;

    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (sort_order)
        return sort_order(NULL, a->id, b->id);
    return (a->id > b->id) - (a->id < b->id);
}

static unsigned long rng = 12345;

static unsigned
next_rand(void)
{
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

/* n passages whose scores take only levels values (ties everywhere);
 * the kept k must be the first k of the sorted stream. */
static void
one_stream(size_t n, size_t k, unsigned levels,
           int (*order)(void *, uint64_t, uint64_t))
{
    scored *all = malloc((n + 1) * sizeof *all);
    topk t;
    size_t pushed = 0, want = k < n ? k : n;

    CHECK(all && topk_init(&t, k, order, NULL) == 0);
    for (size_t i = 0; i < n; i++) {
        all[i].id = 1000 + next_rand() % 100000;
        all[i].score = (double)(next_rand() % levels) / 4.0;
        if (topk_admits(&t, all[i].score)) {
            topk_push(&t, all[i].id, all[i].score);
            pushed++;
        }
    }
    topk_sort(&t);
    sort_order = order;
    qsort(all, n, sizeof *all, cmp_best);
    CHECK(t.n == want);
    for (size_t i = 0; i < t.n && i < want; i++)
        CHECK(t.heap[i].id == all[i].id &&
              t.heap[i].score == all[i].score);
    /* The test lets fewer through than the stream once t is full. */
    if (n > 1000 && k == 10 && levels > 100)
        CHECK(pushed < n / 10);
    topk_free(&t);
    free(all);
}

/* Streams of every k and tie density, ties broken by order. */
static void
streams(int (*order)(void *, uint64_t, uint64_t))
{
    static const size_t ks[] = { 0, 1, 10, 5000 };
    static const unsigned levels[] = { 1, 3, 50, 100000 };

    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++)
        for (size_t j = 0; j < sizeof levels / sizeof *levels; j++)
            one_stream(3000, ks[i], levels[j], order);
}

static void
test_ties_by_id(void)
{
    streams(NULL);
}

static void
test_ties_by_order(void)
{
    streams(evens_first);
}

/* The admission test on its own: open while t has room, then only for
 * scores at least its worst kept one. */
static void
test_admits(void)
{
    topk t, none;

    CHECK(topk_init(&t, 2, NULL, NULL) == 0);
    CHECK(topk_admits(&t, -1.0));
    topk_push(&t, 1, 2.0);
    CHECK(topk_admits(&t, 0.0));
    topk_push(&t, 2, 3.0);
    CHECK(!topk_admits(&t, 1.5));
    CHECK(topk_admits(&t, 2.0));        /* a tie: topk_push() decides */
    CHECK(topk_admits(&t, 9.0));
    topk_free(&t);
    CHECK(topk_init(&none, 0, NULL, NULL) == 0);
    CHECK(!topk_admits(&none, 1.0));
    topk_free(&none);
}

int
main(void)
{
    TEST(test_admits);
    TEST(test_ties_by_id);
    TEST(test_ties_by_order);
    return check_report();
}
