/*
 * passage.h: cutting a document into passages, and byte offset -> line:col.
 *
 * A passage is a paragraph (a run of non-blank lines), or a piece of a long
 * paragraph: pieces hold at most PASSAGE_MAX_WORDS tokens and are cut after
 * a sentence end (a token followed by . ! ? or …, maybe closing quotes or
 * brackets, then whitespace) when there is one in the piece, else at a word
 * boundary.  A piece also ends before a token that would take it past
 * PASSAGE_MAX_BYTES, and a stretch of text without tokens longer than that
 * is cut at character boundaries.  Passages are in order, do not overlap,
 * and every token lies inside exactly one of them.
 *
 * Details:
 *  - A blank line holds only spaces, tabs and \r.  The first piece of a
 *    paragraph starts at its first line's start (indentation included),
 *    later pieces at their first token.  The last piece ends at the end of
 *    the paragraph's last line (before \r\n), others after their sentence
 *    end or last token.
 *  - A sentence end is used for a cut only when at least 20 words come
 *    before it in the piece.  The CJK stops 。！？ need no white space.
 *  - A compound token and its parts are never split between pieces.
 *  - A paragraph without tokens ("* * *") is a passage with n_tokens 0,
 *    and so is token-free text at the start or end of a paragraph that
 *    cannot share a piece with a token, and a token-free stretch between
 *    two tokens longer than PASSAGE_MAX_BYTES.
 *  - One exception to "do not overlap": a CJK run of more than
 *    PASSAGE_MAX_WORDS bigrams with no punctuation must be cut between two
 *    bigrams, which share a character, so those two pieces overlap by it.
 */
#ifndef BRIEF_PASSAGE_H
#define BRIEF_PASSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "tokenize.h"

#define PASSAGE_MAX_WORDS 120
#define PASSAGE_MAX_BYTES 8192

typedef struct passage {
    uint32_t byte_start, byte_end;   /* end exclusive */
    uint32_t line_start, line_end;   /* 1-based, inclusive */
    uint32_t n_tokens;               /* tokens with their own position */
    uint32_t line_begin;             /* byte offset where line_start
                                        begins (<= byte_start) */
} passage;

/* A document's record in the passages database: a width byte, 2 when
 * every field of every passage fits in 16 bits (any text under 64 KiB)
 * and else 4, then the six fields of each passage in the order of the
 * struct, little-endian, of that width: passage i is read directly. */
#define PASSAGE_FIELDS 6

/* The most bytes the record of n passages takes. */
size_t passage_rec_max(size_t n);

/* Write the record of p[0..n) to out (passage_rec_max(n) bytes);
 * returns its length. */
size_t passage_rec_put(const passage *p, size_t n, unsigned char *out);

/* The number of passages in a record, or SIZE_MAX when its length does
 * not fit its width byte. */
size_t passage_rec_count(const unsigned char *rec, size_t len);

/* Passage i of a record into *out; -1 when the record has no passage i. */
int passage_rec_get(const unsigned char *rec, size_t len, size_t i,
                    passage *out);

/*
 * Who wants the tokens as well as the passages (the indexer).  read() is
 * given each token as tokenizer_next() made it, but with its span in the
 * text's offsets, and returns a tag for it in *tag.  Once the token's
 * passage is cut, place() is given that tag, the token's start, the
 * passage's index in *out and the token's position in the passage (from
 * 0).  Tokens are placed in text order.  Nonzero from either stops the
 * cut, which then fails.
 */
typedef struct passage_sink {
    int (*read)(void *ctx, const token *tok, uint32_t *tag);
    int (*place)(void *ctx, uint32_t tag, size_t start, uint32_t pass,
                 uint32_t relpos);
    void *ctx;
} passage_sink;

/* Cut text[0..len) (valid UTF-8) into passages, using t to tokenize and
 * telling sink (when not NULL) of every token.  *out is malloc'ed (the
 * caller frees it); returns 0, or -1 when out of memory, len >
 * UINT32_MAX or the sink failed.  A text with no tokens and no non-blank
 * bytes has 0 passages.  O(len) time. */
int passage_cut(tokenizer *t, const char *text, size_t len,
                const passage_sink *sink, passage **out, size_t *n_out);

/* Line and byte column (both 1-based) of byte offset `off` in text, given
 * that offset `from` (<= off) starts line `from_line`: pass a passage's
 * line_begin, not its byte_start, which may lie inside the line. */
void passage_linecol(const char *text, size_t from, uint32_t from_line,
                     size_t off, uint32_t *line, uint32_t *col);

#endif
