/*
 * regex_gen.h: random PCRE2 patterns and texts for the property tests of
 * the regex prefilters (test_literal.c, test_trigram.c, test_trigscan.c):
 * for each random pattern and random text, what PCRE2 matches must hold
 * what the prefilter claims every match holds.
 *
 * The skeleton is shared: alternations of concatenations of atoms, some
 * quantified.  Each test gives its own alphabet (the characters its
 * prefilter must get right: case folding, UTF-8, digits and dashes) and
 * its own atom generator (the syntax it must parse), which calls back
 * into gen_alt() for groups.  Random numbers come from rand(): a test
 * seeds it with srand() and gets the same patterns every run.
 */
#ifndef BRIEF_TEST_REGEX_GEN_H
#define BRIEF_TEST_REGEX_GEN_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct gen gen;

/* What a test sets before generating. */
typedef struct gen_kind {
    const char *const *alphabet;
    size_t n_alpha;
    void (*atom)(gen *g, int depth);
    int atoms;               /* a concatenation has 1 to atoms atoms */
    const char *const *quants;
    size_t n_quants;
    int quant_in_10;         /* the odds, in 10, of a quantifier */
    int text_pieces;         /* a text has 1 to text_pieces pieces */
    int newline_one_in;      /* a piece is a newline one time in this */
} gen_kind;

struct gen {
    const gen_kind *k;
    char s[512];             /* the pattern so far, NUL-terminated */
    size_t n;
    int groups;              /* capturing groups opened so far */
};

static inline int
pick(int n)
{
    return rand() % n;
}

/* Append s to the pattern, as long as it fits. */
static inline void
put(gen *g, const char *s)
{
    size_t l = strlen(s);

    if (g->n + l < sizeof g->s) {
        memcpy(g->s + g->n, s, l);
        g->n += l;
        g->s[g->n] = '\0';
    }
}

/* A random character of the alphabet. */
static inline const char *
gen_char(const gen *g)
{
    return g->k->alphabet[pick((int)g->k->n_alpha)];
}

static inline void
gen_concat(gen *g, int depth)
{
    for (int i = pick(g->k->atoms); i >= 0; i--) {
        size_t before = g->n;
        g->k->atom(g, depth);
        /* A quantifier after an anchor or a quantifier is an error or
         * pointless; PCRE2 rejects the bad ones and they are skipped. */
        if (g->n > before && pick(10) < g->k->quant_in_10)
            put(g, g->k->quants[pick((int)g->k->n_quants)]);
    }
}

static inline void
gen_alt(gen *g, int depth)
{
    gen_concat(g, depth);
    while (pick(5) == 0) {
        put(g, "|");
        gen_concat(g, depth);
    }
}

/* A new random pattern of kind k into *g (g->s). */
static inline void
gen_pattern(gen *g, const gen_kind *k)
{
    g->k = k;
    g->n = 0;
    g->s[0] = '\0';
    g->groups = 0;
    gen_alt(g, 0);
}

/* A random text of k's alphabet and newlines into out[0..cap). */
static inline void
gen_text(const gen_kind *k, char *out, size_t cap)
{
    size_t n = 0;

    for (int i = pick(k->text_pieces); i >= 0; i--) {
        const char *p = pick(k->newline_one_in)
                        ? k->alphabet[pick((int)k->n_alpha)] : "\n";
        size_t l = strlen(p);
        if (n + l >= cap)
            break;
        memcpy(out + n, p, l);
        n += l;
    }
    out[n] = '\0';
}

/* For the match of re anchored at each character of text (every start,
 * not only the leftmost match's): call holds(ctx, match, length), and
 * count in *wrong the matches it says no to, and those that end before
 * they start.  Returns the number of matches. */
static inline long
each_match(const pcre2_code *re, pcre2_match_data *md, const char *text,
           bool (*holds)(void *ctx, const char *m, size_t len), void *ctx,
           long *wrong)
{
    size_t len = strlen(text);
    long n = 0;

    for (size_t from = 0; from <= len; from++) {
        PCRE2_SIZE *ov;
        if (from < len && ((unsigned char)text[from] & 0xC0) == 0x80)
            continue;
        if (pcre2_match(re, (PCRE2_SPTR)text, len, from, PCRE2_ANCHORED,
                        md, NULL) < 0)
            continue;
        ov = pcre2_get_ovector_pointer(md);
        n++;
        if (ov[1] < ov[0] || !holds(ctx, text + ov[0], ov[1] - ov[0]))
            (*wrong)++;
    }
    return n;
}

#endif
