/*
 * tokenize.h: text -> tokens, in the shape of FTS5's xToken callback: each
 * token has its folded form, its source byte span and its word position.
 *
 * Rules (docs/FORMAT.md "Tokens" is the user-facing copy):
 *  - A token is a run of letters, marks and digits (Unicode categories L,
 *    M, N), NFKC-normalized and case-folded.
 *  - Apostrophes (', U+2019 and U+02BC) between two letters join the word
 *    ("don't"); all three fold to '.  A possessive "'s" after a word
 *    character and before a non-word character is dropped, and a trailing
 *    "'" is not part of the word, so "country's" and "country’s" are both
 *    "country" (span ending before the apostrophe) and "s" is no token.
 *  - Numbers: a "," after a digit and before exactly three digits and a
 *    non-digit is dropped ("465,000" -> "465000"; "1,2" is two tokens); a
 *    "." between digits stays ("3.38"); letters and digits run together
 *    ("5G" -> "5g").  Digits here are ASCII digits.  TOKEN_NUMBER marks a
 *    folded form made only of ASCII digits and dots.
 *  - Hyphenated words ('-', U+2010, U+2011 between word characters, as in
 *    "sub-categories"): one TOKEN_COMPOUND token for the whole, folded
 *    with '-' for every hyphen, at the same position as its first part,
 *    then TOKEN_PART tokens for each part ("sub", "categories") at
 *    consecutive positions.  When the whole is longer than TOKEN_MAX_BYTES
 *    (or folds to more than TOKEN_MAX_FOLDED) only the parts are emitted,
 *    as plain tokens: TOKEN_PART always follows a TOKEN_COMPOUND.
 *  - CJK runs (Han, kana, Hangul) become overlapping bigrams, each at its
 *    own position ("万亿元" -> "万亿" "亿元"); a lone CJK character is one
 *    token.  They are flagged TOKEN_CJK and are not stemmed.  A CJK
 *    character keeps its combining marks; a run ends at any other
 *    character, so "5G基站" is "5g" then "基站".
 *  - A word longer than TOKEN_MAX_BYTES source bytes is cut into pieces of
 *    at most that many bytes (at character boundaries, between two word
 *    characters where possible), one token each at its own position; a
 *    piece whose folded form would exceed TOKEN_MAX_FOLDED is cut shorter.
 */
#ifndef BRIEF_TOKENIZE_H
#define BRIEF_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* Longest source span of one token; the folded form is capped at
 * TOKEN_MAX_FOLDED bytes (LMDB keys are at most 511 bytes). */
#define TOKEN_MAX_BYTES  120
#define TOKEN_MAX_FOLDED 240

enum {
    TOKEN_NUMBER   = 1 << 0,   /* only digits, '.' and ',' as written */
    TOKEN_CJK      = 1 << 1,   /* a CJK bigram or single character */
    TOKEN_COMPOUND = 1 << 2,   /* a hyphenated whole */
    TOKEN_PART     = 1 << 3,   /* a part of a hyphenated whole */
};

typedef struct token {
    const char *word;     /* folded, NUL-terminated; borrowed until the next
                             tokenizer_next() */
    size_t word_len;
    size_t start, end;    /* source byte span, end exclusive */
    uint32_t pos;         /* word position; the first token gets first_pos */
    unsigned flags;
} token;

typedef struct tokenizer tokenizer;

/* Returns NULL when out of memory. */
tokenizer *tokenizer_new(void);
void tokenizer_free(tokenizer *t);

/* Start on text[0..len), which must be valid UTF-8 and stay alive while
 * tokens are read.  Positions count from first_pos. */
void tokenizer_reset(tokenizer *t, const char *text, size_t len,
                     uint32_t first_pos);

/* The next token: 1 with *tok filled, 0 at the end of the text. */
int tokenizer_next(tokenizer *t, token *tok);

/* The position the next token will have: positions never decrease, and
 * a hyphenated whole shares its first part's. */
uint32_t tokenizer_pos(const tokenizer *t);
/* Pass over the tokens before position pos, as tokenizer_next() would
 * return them, so that the next one is the first at pos or later.  For
 * callers that want a few known positions (citations). */
void tokenizer_skip(tokenizer *t, uint32_t pos);

/*
 * Until the next tokenizer_reset(), leave the folding of ASCII tokens to
 * tokenizer_word(): their tok->word is NULL, word_len 0 and TOKEN_NUMBER
 * unset.  Spans, positions and the other flags are the same as without
 * it (an ASCII token's folded form is never longer than its source, so
 * folding cannot shorten it).  Tokens with other bytes are folded as
 * usual.  For callers that look at the words of a few tokens only.
 */
void tokenizer_lazy(tokenizer *t);

/* Fold tok, the token tokenizer_next() returned last, if lazy mode left
 * it unfolded. */
void tokenizer_word(tokenizer *t, token *tok);

#endif
