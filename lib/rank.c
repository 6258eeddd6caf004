/*
 * rank.c: BM25 and a bounded min-heap for the top k.
 */
#include <math.h>
#include <stdlib.h>

#include "rank.h"

double
rank_idf(uint64_t n, uint64_t df)
{
    double N = (double)n, d = (double)df;

    if (df > n)
        N = d;
    return log(1.0 + (N - d + 0.5) / (d + 0.5));
}

double
rank_bm25(double idf, uint32_t tf, uint32_t len, double avg_len)
{
    double f = tf, norm;

    if (avg_len <= 0)
        avg_len = 1;
    norm = RANK_K1 * (1.0 - RANK_B + RANK_B * (double)len / avg_len);
    return idf * f * (RANK_K1 + 1.0) / (f + norm);
}

/* Whether a ranks below b: lower score, or equal score and later. */
static int
worse(const topk *t, const scored *a, const scored *b)
{
    if (a->score != b->score)
        return a->score < b->score;
    if (t->order && a->id != b->id)
        return t->order(t->ctx, a->id, b->id) > 0;
    return a->id > b->id;
}

int
topk_init(topk *t, size_t k, int (*order)(void *, uint64_t, uint64_t),
          void *ctx)
{
    t->n = 0;
    t->k = k;
    t->order = order;
    t->ctx = ctx;
    t->heap = malloc((k + 1) * sizeof *t->heap);
    return t->heap ? 0 : -1;
}

static void
sift_down(const topk *t, scored *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        scored tmp;
        if (l < n && worse(t, &h[l], &h[m]))
            m = l;
        if (r < n && worse(t, &h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
}

void
topk_push(topk *t, uint64_t id, double score)
{
    scored s = { id, score };
    size_t i;

    if (t->k == 0)
        return;
    if (t->n == t->k) {
        if (!worse(t, &t->heap[0], &s))
            return;
        t->heap[0] = s;
        sift_down(t, t->heap, t->n, 0);
        return;
    }
    /* Sift up: the root is the worst kept entry. */
    i = t->n++;
    t->heap[i] = s;
    while (i > 0 && worse(t, &t->heap[i], &t->heap[(i - 1) / 2])) {
        scored tmp = t->heap[i];
        t->heap[i] = t->heap[(i - 1) / 2];
        t->heap[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

void
topk_sort(topk *t)
{
    /* Heap sort in place: pop the worst to the end, k log k. */
    for (size_t n = t->n; n > 1; n--) {
        scored tmp = t->heap[0];
        t->heap[0] = t->heap[n - 1];
        t->heap[n - 1] = tmp;
        sift_down(t, t->heap, n - 1, 0);
    }
}

void
topk_free(topk *t)
{
    free(t->heap);
    t->heap = NULL;
    t->n = 0;
}
