/*
 * cite.h: where a hit's matches are: the words of a passage that the
 * query's positive leaves matched, as byte ranges and line:col.
 */
#ifndef BRIEF_CITE_H
#define BRIEF_CITE_H

#include <stddef.h>
#include <stdint.h>

#include "brief.h"
#include "eval.h"
#include "passage.h"

/* Fill *out (grown as needed; *cap its capacity) with the matches of the
 * passage pass_no of document text (len bytes) at passage id `id`, in
 * text order.  Returns 0, or -1 when out of memory. */
int cite_matches(tokenizer *tk, const eleaf *leaves, size_t n_leaves,
                 uint64_t id, const char *text, size_t len,
                 const passage *p, brief_match **out, size_t *n,
                 size_t *cap);

/* Decode passage i of a passages record (PASSAGE_REC bytes each).  Returns -1 when
 * the record is too short or the passage does not fit in text_len. */
int cite_passage(const unsigned char *rec, size_t rec_len, uint32_t i,
                 size_t text_len, passage *out);

#endif
