/*
 * eval.h: evaluating a parsed query against the index, at passage level.
 *
 * eval_compile() turns the syntax tree into leaves with materialized
 * posting lists (a word: the union of the words that share its stem; a
 * prefix: the union of the words that begin with it; a phrase: the
 * passages where its words stand at consecutive positions; a path glob:
 * every passage of the matching documents), then eval_run() combines them
 * with AND, OR, NOT and NEAR into the sorted list of matching passages.
 */
#ifndef BRIEF_EVAL_H
#define BRIEF_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brief_int.h"
#include "postings.h"
#include "query.h"

/* A leaf of the query: what it matched and how it scores. */
typedef struct eleaf {
    const qnode *q;          /* its node in the syntax tree */
    plist list;              /* passages, tf and positions (phrase: start
                                positions of each occurrence) */
    uint32_t span;           /* positions one occurrence covers */
    bool scoring;            /* positive: counts in BM25 and highlights */
    bool any_word;           /* fig: and re: leaves: every token at their
                                positions is theirs, whatever the word */
    struct regex *re;        /* re: leaves: the pattern, which cite.c runs
                                again to highlight exactly what matched */
    char **words;            /* index words it matched, sorted */
    size_t n_words;
    char *describe;          /* for --explain: how the text was analysed */
} eleaf;

typedef struct eval eval;

/* Compile q against the index in read transaction t.  Errors (e.g. a term
 * with nothing searchable in it: BRIEF_ESYNTAX with its offset) are set on
 * ix->err. */
int eval_compile(eval **out, brief_index *ix, store_txn *t, const query *q);

/* The matching passage ids, sorted.  Borrowed until eval_free(). */
int eval_run(eval *ev, const uint64_t **ids, size_t *n);

/* The leaves, for scoring, highlighting and --explain. */
eleaf *eval_leaves(eval *ev, size_t *n);

void eval_free(eval *ev);

/* Whether word is one of leaf's words. */
bool eval_leaf_has_word(const eleaf *l, const char *word, size_t len);

#endif
