/*
 * figures_int.h: what the files of the figure extractor share: the token,
 * the segment, the amount and the state of a run; the one-line token
 * predicates; the functions one file calls in another.  Only lib/figures*.c
 * include it; the API is figures.h.
 *
 * The extractor, in pipeline order (docs/FIGURES.md has the rules):
 *
 *   figures_token.c    bytes -> tokens; the lexicon of the words it knows;
 *                      matching CJK characters; skimming the sentences
 *                      without a number
 *   figures_words.c    numbers in words: "forty-two", "two and a half
 *                      million", "three-quarters", 三十
 *   figures_amount.c   an amount: sign, unit before, number, fraction,
 *                      scale, unit after, "or more"; identifiers ("G20")
 *   figures_context.c  the words around it: qualifiers, years, ranks,
 *                      labels, subjects
 *   figures.c          the driver: segments, dates, ranges, the unit
 *                      decided, the figures emitted; the API of figures.h
 *
 * Naming.  A function defined in one of these files and called from
 * another starts with its file's stem, as everywhere in lib/:
 * figures_amount_parse() is in figures_amount.c, figures_token_scan() in
 * figures_token.c (the longest stem that fits names the file).  figures.c
 * shares nothing: its figures_*() are the API of figures.h.  The one
 * exception is the predicates at the end of this header -- at(), is_p(),
 * glued() and the like: every rule is written in them, so they are static
 * inline and keep their short names.
 */
#ifndef BRIEF_FIGURES_INT_H
#define BRIEF_FIGURES_INT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "figures.h"

/* A Bloom filter of the lexicon, built once (figures.c):
 * most words are in no table, and two bit tests reject them faster than
 * bsearch() (which took half the run time). */
#define BLOOM_BITS 2048

enum { T_NUM, T_WORD, T_CJK, T_PUNCT };
enum { GAP_NONE, GAP_SPACE, GAP_LINE };   /* whitespace before a token */
enum {
    F_SEP = 1, F_DEC = 2, F_LONG = 4,     /* NUM: 1,000 / 3.5 / too long */
    F_CAP = 8, F_UPPER = 16               /* WORD: March / USD */
};
enum { AM_NONE, AM_OK, AM_SKIP };  /* figures_amount_parse() results */

enum {
    LX_NONE, LX_DIGIT, LX_TEEN, LX_TENS, LX_HUNDRED, LX_SCALE, LX_SCALEPL,
    LX_ABBR, LX_ABBRCUR, LX_DOZEN, LX_ORD, LX_A, LX_HALF, LX_MONTH,
    LX_BETWEEN, LX_CODE, LX_CURW, LX_CENTS, LX_POUNDS, LX_STERLING,
    LX_PERCENT, LX_PER, LX_PCTG, LX_TIME, LX_ORDSUF
};

/* A word the extractor knows.  val: the number, the power of ten of a
 * scale, the month, or the multiplier of a time unit (decade = 10). */
typedef struct lexent {
    const char *word;
    uint8_t cls;
    int val;
    const char *unit;
} lexent;

/* A token: a number (NUM), a word (WORD), one CJK character (CJK) or one
 * other character (PUNCT), with its source byte span. */
typedef struct tok {
    size_t start, end;      /* source byte span */
    double mant;            /* NUM: the digits as an integer */
    const lexent *lx;       /* WORD: its lexicon entry, or NULL */
    int32_t cp;             /* PUNCT, CJK: the code point */
    int16_t exp10;          /* NUM: value = mant * 10^exp10 */
    uint8_t kind, gap, flags, ndig;    /* ndig: NUM integer digits */
    uint8_t nlow;           /* strlen(low) */
    char low[16];           /* WORD: ASCII lower case; "" when not */
} tok;

/* A segment: the tokens of one sentence, over the source text. */
typedef struct seg {
    const char *text;
    const tok *t;
    int n;
} seg;

/* A number with what is written around it, before it becomes a figure. */
typedef struct amount {
    int t0, t1;             /* tokens [t0, t1) */
    double mant;
    int exp10;              /* value = mant * 10^exp10 */
    int scale_exp;          /* the power of ten the scale words added */
    const char *unit;       /* NULL: none written */
    bool unit_prefix;       /* "$5": the unit came before the number */
    bool scaled, words, neg, ordinal, decade, lone_one;
    bool plain;             /* bare digits: no separator, point or sign */
    int ndig;
    fig_qualifier qual;     /* written after it: "or more", 以上 */
    int subj_from;          /* subject after "a 12-year period", or -1 */
} amount;

/* A number read from words by figures_words_parse(). */
typedef struct wnum {
    double value;
    int end;                /* token after the number */
    int scale_exp;          /* the scale of "three million", else 0 */
    bool ordinal, lone_one, scaled;
} wnum;

/* One figures_extract() run: the segment being read, the figures found. */
typedef struct ctx {
    seg s;
    figure *v;
    size_t n_v, cap_v;
    size_t seg_first;       /* first figure of the current segment */
    int last_end;           /* token after the last figure, or -1 */
} ctx;

/* ---- token predicates and small helpers --------------------------- */

static inline const tok *
at(const seg *s, int k)
{
    return k >= 0 && k < s->n ? &s->t[k] : NULL;
}

static inline bool
is_p(const tok *t, int32_t cp)
{
    return t && t->kind == T_PUNCT && t->cp == cp;
}

static inline bool
is_w(const tok *t, const char *w)
{
    return t && t->kind == T_WORD && strcmp(t->low, w) == 0;
}

static inline int
lxc(const tok *t)
{
    return t && t->kind == T_WORD && t->lx ? t->lx->cls : LX_NONE;
}

static inline bool
glued(const tok *t)
{
    return t && t->gap == GAP_NONE;
}

/* Whitespace before t, at most one line break: a figure may run across a
 * line break ("$20\nbillion"), never across a paragraph. */
static inline bool
spaced(const tok *t)
{
    return t && t->gap != GAP_NONE;
}

/* bsearch() of a string in a sorted array of strings. */
static inline int
str_cmp(const void *key, const void *ent)
{
    return strcmp(key, *(const char *const *)ent);
}

static inline bool
in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

static inline bool
is_wl(const tok *t, const char *const *list)
{
    return t && t->kind == T_WORD && t->low[0] && in_list(t->low, list);
}

static inline bool
ends_with(const tok *t, const char *suffix)
{
    size_t n = t && t->kind == T_WORD ? t->nlow : 0;
    size_t m = strlen(suffix);

    return n > m && strcmp(t->low + n - m, suffix) == 0;
}

static inline bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 10^e, exact for 0 <= e <= 22. */
static inline double
pow10i(int e)
{
    static const double p10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    return e >= 0 && e <= 22 ? p10[e] : pow(10, e);
}

/* ---- figures_token.c ---------------------------------------------- */

/* Decode the code point at text[p] (p < len), its length in *n; U+FFFD
 * of length 1 for an invalid or truncated sequence. */
int32_t figures_token_decode(const char *text, size_t len, size_t p,
                             size_t *n);

/* Fill bloom, the Bloom filter of the lexicon figures_token_scan() uses. */
void figures_token_bloom_build(uint8_t bloom[BLOOM_BITS / 8]);

/* The words figures_token_skim() takes for a number, by first and last
 * letter: bit n of len[f][l] is set when one of them has n letters, bit
 * c of penult[f][l] when one has letter c next to last.  Most words fail
 * these tests; the rest are looked up. */
typedef struct skimset {
    uint16_t len[26][26];
    uint32_t penult[26][26];
} skimset;

void figures_token_skimset_build(skimset *set);

/* Skim text from pos, where a segment begins, for the first byte that may
 * begin a number: a digit; a byte outside ASCII, but for U+2000..U+203F;
 * or the first letter of a word figures_words_parse() may start a number
 * with or need ("one", "twenty", "first", "half", "quarters", "dozen",
 * "million").  Every figure has one, so a segment without one holds no
 * figure.  Sets *number to that byte's offset (len when there is none)
 * and returns the last offset before it at which a segment surely begins:
 * after a stop that ends a sentence, or where whitespace holding a
 * paragraph break starts; pos when there is none.  Reading every byte
 * once, it costs a fraction of figures_token_scan(). */
size_t figures_token_skim(const char *text, size_t len, size_t pos,
                          const skimset *set, size_t *number);

/* Does a point after this word (ASCII lower case: "mr", "no") not end a
 * sentence? */
bool figures_token_abbr(const char *low);

/* The denominator a word (ASCII lower case) names in a fraction: "half"
 * 2, "thirds" 3, "quarter" 4 ...; 0 for any other word. */
int figures_token_denominator(const char *low);

/* Scan the token at or after *pos into t (bloom may be NULL).  Returns
 * false at the end of the text; *newlines counts the line breaks in the
 * whitespace skipped. */
bool figures_token_scan(const char *s, size_t len, size_t *pos,
                        const uint8_t *bloom, tok *t, int *newlines);

/* The number of glued CJK (or full-width) tokens at k that spell u8, or
 * 0. */
int figures_token_cjk_match(const seg *s, int k, const char *u8);

/* ---- figures_words.c ---------------------------------------------- */

/* "and a half", "and one-half", "-and-a-half" at k.  Returns the tokens
 * taken, or 0. */
int figures_words_and_fraction(const seg *s, int k, double *frac);

/* English number words from k0 ("forty-two", "a million", "twenty-first")
 * into *w; false when there are none. */
bool figures_words_parse(const seg *s, int k0, wnum *w);

/* Chinese numerals at k ("三十", "一百零五").  Returns the tokens taken,
 * or 0. */
int figures_words_parse_cn(const seg *s, int k, double *value);

/* ---- figures_amount.c --------------------------------------------- */

/* mant * 10^exp10, signed, rounded once. */
double figures_amount_value(const amount *a);

/* The currency a sign names ("$", "€", "¥"), or NULL. */
const char *figures_amount_symbol_unit(const tok *t);

/* Is the number at k part of an identifier because of what is glued
 * before it ("G20", "COVID-19")? */
bool figures_amount_ident_before(const seg *s, int k);

/* Does what is glued after a number at j make it an identifier ("5G",
 * "10:30")? */
bool figures_amount_ident_after(const seg *s, int j, const amount *a);

/* One past the last token glued to the identifier that starts at k. */
int figures_amount_skip_chain(const seg *s, int k);

/* The amount at token i.  Returns AM_NONE, AM_OK, or AM_SKIP (go on
 * from a->t1). */
int figures_amount_parse(const seg *s, int i, amount *a);

/* ---- figures_context.c -------------------------------------------- */

/* Does token k start a clause (first, or after a quote, parenthesis,
 * colon or dash)? */
bool figures_context_clause_start(const seg *s, int k);

/* The qualifier written just before token k; *start is its first token
 * (k when there is none). */
fig_qualifier figures_context_qualifier_before(const ctx *c, int k,
                                               int *start);

/* Is the bare four-digit number of tokens [q, e) a calendar year? */
bool figures_context_year(const ctx *c, int q, int e);

/* Is the ordinal word at q a rank ("the second", "ranks first")? */
bool figures_context_ordinal(const seg *s, int q);

/* Is the bare number at q a name ("Apollo 11", "section 1258")? */
bool figures_context_is_label(const seg *s, int q);

/* The subject named before the figure whose text starts at q, as a byte
 * span in *ss, *se; false when there is none. */
bool figures_context_np_backward(const ctx *c, int q, const char *unit,
                                 size_t *ss, size_t *se);

/* Is unit a span of time ("years" ... "hours")? */
bool figures_context_is_span(const char *unit);

/* The subject written after a figure that ends before token k. */
bool figures_context_subject_after(const seg *s, int k, const amount *a,
                                   const char *unit, size_t *ss,
                                   size_t *se);

#endif
