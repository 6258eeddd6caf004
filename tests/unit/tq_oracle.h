/*
 * tq_oracle.h: the reference evaluator of a trigram query (trigram.h)
 * over one text's trigrams, for the tests that check what the analyzer
 * builds (test_trigram.c) and what the index answers (test_trigindex.c).
 */
#ifndef BRIEF_TEST_TQ_ORACLE_H
#define BRIEF_TEST_TQ_ORACLE_H

#include <stdbool.h>
#include <stddef.h>

#include "trigram.h"

/* q holds for the trigrams of s (sorted, without repeats). */
static bool
satisfies(const tq *q, const trigset *s)
{
    size_t lo = 0, hi = s->n;

    switch (q->kind) {
    case TQ_ALL:
        return true;
    case TQ_NONE:
        return false;
    case TQ_TRI:
    case TQ_PRE2:
        /* The first trigram at or after tri; for "ab"* (tri "ab\0"), it
         * begins with "ab" if any does. */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (s->v[mid] < q->tri)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (q->kind == TQ_TRI)
            return lo < s->n && s->v[lo] == q->tri;
        return lo < s->n && s->v[lo] >> 8 == q->tri >> 8;
    case TQ_AND:
        for (size_t i = 0; i < q->n_kids; i++)
            if (!satisfies(q->kids[i], s))
                return false;
        return true;
    case TQ_OR:
        for (size_t i = 0; i < q->n_kids; i++)
            if (satisfies(q->kids[i], s))
                return true;
        return false;
    }
    return false;
}

#endif
