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

/* A position as editors count it (brief.h, brief_match). */
typedef struct cite_pos {
    uint32_t line, column, column_char, column_utf16;
} cite_pos;

/* The position of byte off in text, given that byte line_begin (<= off)
 * begins line `line`.  Counts from line_begin: linear in the distance. */
void cite_locate(const char *text, size_t line_begin, uint32_t line,
                 size_t off, cite_pos *out);

/* A known position in a text: byte off, the start of its line, and the
 * position itself. */
typedef struct cite_mark {
    size_t off, line_begin;
    cite_pos pos;
} cite_mark;

/* Positions found in one text, so that locating many offsets in one long
 * line does not count each from the line's start (a 200 MB line with
 * 1,000 hits took 24 s that way).  Marks are at most CITE_MARK_GAP bytes
 * apart along what was scanned; cite_locate_memo() goes on from the
 * nearest mark before an offset, in any order.  Zero-initialise; free
 * with cite_memo_free(); the text must not change while it is in use. */
typedef struct cite_memo {
    const char *text;        /* the text the marks are in */
    cite_mark *marks;        /* in increasing off */
    size_t n, cap;
    cite_mark last;          /* the position located last */
    bool has_last;
} cite_memo;

#define CITE_MARK_GAP 65536

/* As cite_locate(), the same result, remembering marks in memo (which
 * forgets its marks when text is another text).  NULL memo: cite_locate.
 * Out of memory, it places no mark. */
void cite_locate_memo(cite_memo *memo, const char *text, size_t line_begin,
                      uint32_t line, size_t off, cite_pos *out);

/* Forget memo's marks, keeping their room: for a new text that may lie
 * where the last one did (a reused buffer). */
void cite_memo_forget(cite_memo *memo);
/* Free memo's marks (not memo).  NULL is a no-op. */
void cite_memo_free(cite_memo *memo);

/* Fill *out (grown as needed; *cap its capacity) with the matches of the
 * passage pass_no of document text (len bytes) at passage id `id`, in
 * text order, located through memo (may be NULL).  Returns 0, or -1 when
 * out of memory. */
int cite_matches(tokenizer *tk, const eleaf *leaves, size_t n_leaves,
                 uint64_t id, const char *text, size_t len,
                 const passage *p, cite_memo *memo, brief_match **out,
                 size_t *n, size_t *cap);

/* Fill m's lines and columns (all three kinds) from its byte range; p is
 * the passage it lies in.  memo may be NULL. */
void cite_match_set(brief_match *m, const char *text, const passage *p,
                    cite_memo *memo);

/* Copy the first match's position into the hit (or, with no match, the
 * passage's start). */
void cite_hit_from_matches(brief_hit *h, const char *text,
                           const passage *p, cite_memo *memo);

/* Decode passage i of a passages record (passage_rec_get).  Returns -1
 * when the record has no passage i or it does not fit in text_len. */
int cite_passage(const unsigned char *rec, size_t rec_len, uint32_t i,
                 size_t text_len, passage *out);

#endif
