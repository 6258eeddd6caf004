/*
 * rank.h: BM25 over passages and a top-k selection.
 */
#ifndef BRIEF_RANK_H
#define BRIEF_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* BM25 parameters: the usual defaults (Robertson; Lucene, Xapian and
 * FTS5 use them too).  k1 caps how much repeated words add; b is how
 * strongly long passages are discounted. */
#define RANK_K1 1.2
#define RANK_B  0.75

/* Inverse document frequency of a term in df of n passages:
 * ln(1 + (n - df + 0.5) / (df + 0.5)).  The "1 +" (Lucene's form) keeps it
 * positive even for a term in most passages, so a match never lowers a
 * score. */
double rank_idf(uint64_t n, uint64_t df);

/* One term's BM25 contribution: idf * tf * (k1 + 1) /
 * (tf + k1 * (1 - b + b * len / avg_len)). */
double rank_bm25(double idf, uint32_t tf, uint32_t len, double avg_len);

typedef struct scored {
    uint64_t id;
    double score;
} scored;

/* The best k of a stream of scored passages: higher score first; equal
 * scores in the order of order(ctx, a, b) (< 0: a first), or of ascending
 * id when order is NULL. */
typedef struct topk {
    scored *heap;
    size_t n, k;
    int (*order)(void *ctx, uint64_t a, uint64_t b);
    void *ctx;
} topk;

/* Returns -1 when out of memory. */
int topk_init(topk *t, size_t k, int (*order)(void *, uint64_t, uint64_t),
              void *ctx);
void topk_push(topk *t, uint64_t id, double score);

/* Whether a passage scoring score may enter t: false when t is full and
 * its worst kept passage scores higher.  A test to make before
 * topk_push(): once t is full, few of a common word's thousands of
 * passages get past it, and the call is what would cost. */
static inline bool
topk_admits(const topk *t, double score)
{
    return t->n < t->k || (t->k > 0 && score >= t->heap[0].score);
}

/* Sort the kept entries best first; t->heap[0..t->n) is the result. */
void topk_sort(topk *t);
void topk_free(topk *t);

#endif
