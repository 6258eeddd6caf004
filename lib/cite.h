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

/* A position as editors count it (brief.h, brief_match). */
typedef struct cite_pos {
    uint32_t line, column, column_char, column_utf16;
} cite_pos;

/* The position of byte off in text, given that byte line_begin (<= off)
 * begins line `line`. */
void cite_locate(const char *text, size_t line_begin, uint32_t line,
                 size_t off, cite_pos *out);

/* Fill m's lines and columns (all three kinds) from its byte range; p is
 * the passage it lies in. */
void cite_match_set(brief_match *m, const char *text, const passage *p);

/* Copy the first match's position into the hit (or, with no match, the
 * passage's start). */
void cite_hit_from_matches(brief_hit *h, const char *text,
                           const passage *p);

/* Decode passage i of a passages record (PASSAGE_REC bytes each).  Returns -1 when
 * the record is too short or the passage does not fit in text_len. */
int cite_passage(const unsigned char *rec, size_t rec_len, uint32_t i,
                 size_t text_len, passage *out);

#endif
