/*
 * eval_int.h: what the two files of the evaluator share: its state and
 * the functions each calls in the other.  eval.c compiles words,
 * phrases, prefixes and paths and combines the leaves; eval_figre.c
 * compiles the fig: and re: leaves.  Names follow the file stems:
 * eval_oom() is in eval.c, eval_figre_compile_fig() in eval_figre.c.
 * The API is eval.h.
 */
#ifndef BRIEF_EVAL_INT_H
#define BRIEF_EVAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "eval.h"
#include "segment.h"

/* A sorted set of passage ids. */
typedef struct idset {
    uint64_t *ids;
    size_t n;
} idset;

struct eval {
    brief_index *ix;
    store_txn *t;
    const query *q;
    eleaf *leaves;
    size_t n_leaves, cap_leaves;
    idset result;
    segcur *words;          /* over postings while compiling; NULL: none */
};

/* Set "out of memory" as ev's index message; returns BRIEF_ENOMEM. */
int eval_oom(eval *ev);

/* fig:BOUNDS: the passages of the figures within the bounds, at the
 * positions of their words.  Errors are set on ev's index. */
int eval_figre_compile_fig(eval *ev, eleaf *l);

/* re:/PATTERN/: the passages whose text the pattern matches, at the
 * positions of the words it touches; only the documents the trigram index
 * lets through are scanned.  Errors are set on ev's index. */
int eval_figre_compile_re(eval *ev, eleaf *l);

#endif
