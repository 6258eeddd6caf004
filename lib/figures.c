/*
 * figures.c: find the figures in a text -- number, scale, unit, qualifier
 * and subject -- as byte spans of the source.  Pure text processing: no
 * index, no query, no output.  docs/FIGURES.md is the user-facing copy of
 * the rules decided here.
 *
 * Pipeline: bytes -> tokens (NUM, WORD, CJK, PUNCT, each knowing whether
 * whitespace precedes it) -> segments (a sentence; at most SEG_MAX tokens)
 * -> at each token, the figure that starts there, if any.  Every step
 * looks at a bounded number of tokens around the current one, so the whole
 * is linear in the length of the text.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "figures.h"

/* Tokens per segment.  A segment is a sentence; one longer than this is
 * cut, which can split a figure at the cut (never seen in practice). */
#define SEG_MAX 1024
/* Words in a subject: enough for "specialized, special and new small and
 * medium-sized enterprises", short enough that a run-on is not taken. */
#define NP_MAX 8

enum { T_NUM, T_WORD, T_CJK, T_PUNCT };
enum { GAP_NONE, GAP_SPACE, GAP_LINE };   /* whitespace before a token */
enum {
    F_SEP = 1, F_DEC = 2, F_LONG = 4,     /* NUM: 1,000 / 3.5 / too long */
    F_CAP = 8, F_UPPER = 16               /* WORD: March / USD */
};
enum { C_SPACE, C_LETTER, C_DIGIT, C_CJK, C_PUNCT };
enum { AM_NONE, AM_OK, AM_SKIP };         /* parse_amount() results */

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

/* Sorted by strcmp() for bsearch(). */
static const lexent lexicon[] = {
@LEX@};

/* Words that end a subject: function words and the verbs of briefings.
 * Sorted by strcmp(). */
static const char *const stopwords[] = {
@STOP@};

typedef struct tok {
    size_t start, end;      /* source byte span */
    double mant;            /* NUM: the digits as an integer */
    const lexent *lx;       /* WORD: its lexicon entry, or NULL */
    int32_t cp;             /* PUNCT, CJK: the code point */
    int16_t exp10;          /* NUM: value = mant * 10^exp10 */
    uint8_t kind, gap, flags, ndig;    /* ndig: NUM integer digits */
    char low[16];           /* WORD: ASCII lower case; "" when not */
} tok;

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

typedef struct ctx {
    seg s;
    figure *v;
    size_t n_v, cap_v;
    size_t seg_first;       /* first figure of the current segment */
    int last_end;           /* token after the last figure, or -1 */
} ctx;

/* ---- characters and tokens ---------------------------------------- */

/* Decode the code point at text[p] (p < len).  An invalid or truncated
 * sequence decodes as U+FFFD of length 1. */
static int32_t
decode(const char *text, size_t len, size_t p, size_t *n)
{
    const unsigned char *s = (const unsigned char *)text + p;
    size_t avail = len - p, need;
    int32_t cp, min;

    *n = 1;
    if (s[0] < 0x80)
        return s[0];
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        need = 1; cp = s[0] & 0x1f; min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        need = 2; cp = s[0] & 0x0f; min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        need = 3; cp = s[0] & 0x07; min = 0x10000;
    } else {
        return 0xfffd;
    }
    if (need >= avail)
        return 0xfffd;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0xfffd;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0xfffd;
    *n = need + 1;
    return cp;
}

static bool
in(int32_t c, int32_t lo, int32_t hi)
{
    return c >= lo && c <= hi;
}

/* The classes figures need.  Currency signs, dashes, quotes and CJK
 * punctuation are C_PUNCT; anything else outside ASCII that is not space
 * or CJK is taken as a letter. */
static int
cp_class(int32_t c)
{
    if (c < 0x80) {
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return C_LETTER;
        return c <= ' ' || c == 0x7f ? C_SPACE : C_PUNCT;
    }
    if (c < 0xa1 || c == 0x1680 || in(c, 0x2000, 0x200b) || c == 0x2028 ||
        c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 ||
        c == 0xfeff)
        return C_SPACE;
    if (in(c, 0x3400, 0x4dbf) || in(c, 0x4e00, 0x9fff) ||
        in(c, 0xf900, 0xfaff) || in(c, 0x20000, 0x3134f) ||
        in(c, 0x3040, 0x30ff) || in(c, 0xac00, 0xd7af))
        return C_CJK;
    if (in(c, 0xa1, 0xbf) || c == 0xd7 || c == 0xf7 ||
        in(c, 0x2010, 0x2bff) || in(c, 0x2e00, 0x2e7f) ||
        in(c, 0x3001, 0x303f) || in(c, 0xfe30, 0xfe6f) ||
        in(c, 0xff01, 0xff20) || in(c, 0xff3b, 0xff40) ||
        in(c, 0xff5b, 0xff65) || in(c, 0xffe0, 0xffef) || c == 0xfffd)
        return C_PUNCT;
    return C_LETTER;
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
lex_cmp(const void *key, const void *ent)
{
    return strcmp(key, ((const lexent *)ent)->word);
}

static int
str_cmp(const void *key, const void *ent)
{
    return strcmp(key, *(const char *const *)ent);
}

/* Digits with thousands separators and a decimal part: "465,000",
 * "3.38", ".5".  A comma separates only before exactly three digits, and
 * only after a first group of one to three. */
static size_t
scan_num(const char *s, size_t len, size_t p, tok *t)
{
    uint64_t m = 0;
    int n_sig = 0, n_int = 0, n_frac = 0;

    t->kind = T_NUM;
    while (p < len && is_digit(s[p])) {
        if (n_sig < 19) {
            m = m * 10 + (uint64_t)(s[p] - '0');
            n_sig += m > 0;
        } else {
            t->flags |= F_LONG;
        }
        n_int++;
        p++;
    }
    while (n_int >= 1 && n_int <= 3 && p + 3 < len && s[p] == ',' &&
           is_digit(s[p + 1]) && is_digit(s[p + 2]) && is_digit(s[p + 3]) &&
           (p + 4 >= len || !is_digit(s[p + 4]))) {
        for (int i = 1; i <= 3; i++)
            m = m * 10 + (uint64_t)(s[p + i] - '0');
        n_sig += 3;
        t->flags |= F_SEP;
        p += 4;
        if (n_sig > 18)
            t->flags |= F_LONG;
    }
    if (p + 1 < len && s[p] == '.' && is_digit(s[p + 1])) {
        t->flags |= F_DEC;
        for (p++; p < len && is_digit(s[p]); p++) {
            if (n_sig >= 18) {
                t->flags |= F_LONG;
                continue;
            }
            m = m * 10 + (uint64_t)(s[p] - '0');
            n_sig += m > 0;
            n_frac++;
        }
    }
    t->mant = (double)m;
    t->exp10 = (int16_t)-n_frac;
    t->ndig = (uint8_t)(n_int > 255 ? 255 : n_int);
    return p;
}

/* Letters, with apostrophes between letters ("world's", "country’s"). */
static size_t
scan_word(const char *s, size_t len, size_t p, tok *t)
{
    size_t n, n2, li = 0;
    bool low_ok = true, upper = true;
    int32_t c, c2;

    t->kind = T_WORD;
    if (s[p] >= 'A' && s[p] <= 'Z')
        t->flags |= F_CAP;
    while (p < len) {
        c = decode(s, len, p, &n);
        if (cp_class(c) == C_LETTER) {
            if (c >= 0x80)
                low_ok = false;
            else if (c >= 'a')
                upper = false;
            if (low_ok && li < sizeof t->low - 1)
                t->low[li++] = (char)(c | 0x20);
            else
                low_ok = false;
        } else if ((c == '\'' || c == 0x2019) && p + n < len &&
                   cp_class(c2 = decode(s, len, p + n, &n2)) == C_LETTER) {
            if (low_ok && li < sizeof t->low - 1)
                t->low[li++] = '\'';
            else
                low_ok = false;
        } else {
            break;
        }
        p += n;
    }
    (void)c2;
    if (!low_ok)
        li = 0;
    t->low[li] = '\0';
    if (upper && low_ok)
        t->flags |= F_UPPER;
    if (li > 0)
        t->lx = bsearch(t->low, lexicon, sizeof lexicon / sizeof *lexicon,
                        sizeof *lexicon, lex_cmp);
    return p;
}

/* Scan the token at or after *pos.  Returns false at the end of the text;
 * *newlines counts the line breaks in the whitespace skipped. */
static bool
scan(const char *s, size_t len, size_t *pos, tok *t, int *newlines)
{
    size_t p = *pos, n = 1;
    int32_t c = 0;
    bool space = false;
    int cls;

    *newlines = 0;
    for (; p < len; p += n) {
        c = decode(s, len, p, &n);
        if (cp_class(c) != C_SPACE)
            break;
        if (c == '\n' || c == 0x2028 || c == 0x2029 ||
            (c == '\r' && (p + 1 >= len || s[p + 1] != '\n')))
            (*newlines)++;
        space = true;
    }
    if (p >= len) {
        *pos = p;
        return false;
    }
    memset(t, 0, sizeof *t);
    t->start = p;
    t->gap = !space ? GAP_NONE : *newlines ? GAP_LINE : GAP_SPACE;
    cls = cp_class(c);
    if (cls == C_DIGIT || (c == '.' && p + 1 < len && is_digit(s[p + 1]) &&
                           (p == 0 || (cp_class((unsigned char)s[p - 1]) !=
                                       C_DIGIT && s[p - 1] != '.'))))
        t->end = scan_num(s, len, p, t);
    else if (cls == C_LETTER)
        t->end = scan_word(s, len, p, t);
    else {
        t->kind = cls == C_CJK ? T_CJK : T_PUNCT;
        t->cp = c;
        t->end = p + n;
    }
    *pos = t->end;
    return true;
}

/* ---- token predicates --------------------------------------------- */

static const tok *
at(const seg *s, int k)
{
    return k >= 0 && k < s->n ? &s->t[k] : NULL;
}

static bool
is_p(const tok *t, int32_t cp)
{
    return t && t->kind == T_PUNCT && t->cp == cp;
}

static bool
is_w(const tok *t, const char *w)
{
    return t && t->kind == T_WORD && strcmp(t->low, w) == 0;
}

static int
lxc(const tok *t)
{
    return t && t->kind == T_WORD && t->lx ? t->lx->cls : LX_NONE;
}

static bool
glued(const tok *t)
{
    return t && t->gap == GAP_NONE;
}

/* Whitespace before t, at most one line break: a figure may run across a
 * line break ("$20\nbillion"), never across a paragraph. */
static bool
spaced(const tok *t)
{
    return t && t->gap != GAP_NONE;
}

static bool
in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

static bool
is_wl(const tok *t, const char *const *list)
{
    return t && t->kind == T_WORD && t->low[0] && in_list(t->low, list);
}

static bool
is_stop(const tok *t)
{
    return t->kind == T_WORD && t->low[0] &&
           bsearch(t->low, stopwords, sizeof stopwords / sizeof *stopwords,
                   sizeof *stopwords, str_cmp);
}

static bool
is_quote(const tok *t)
{
    return is_p(t, '"') || is_p(t, '\'') || is_p(t, 0x201c) ||
           is_p(t, 0x201d) || is_p(t, 0x2018) || is_p(t, 0x2019);
}

/* True when token k starts a clause: first in the segment, or after an
 * opening quote, parenthesis, colon or dash. */
static bool
clause_start(const seg *s, int k)
{
    const tok *p = at(s, k - 1);

    return !p || is_quote(p) || is_p(p, '(') || is_p(p, '[') ||
           is_p(p, ':') || is_p(p, 0x2014) || is_p(p, 0x2013);
}

/* Match the glued CJK (or full-width) characters of u8 at token k.
 * Returns the number of tokens matched, or 0. */
static int
cjk_match(const seg *s, int k, const char *u8)
{
    size_t len = strlen(u8), p = 0, n;
    int m = 0;

    while (p < len) {
        const tok *t = at(s, k + m);
        if (!t || (m > 0 && !glued(t)) || t->kind == T_NUM ||
            t->kind == T_WORD || t->cp != decode(u8, len, p, &n))
            return 0;
        p += n;
        m++;
    }
    return m;
}

static const char *
symbol_unit(const tok *t)
{
    static const struct { int32_t cp; const char *unit; } sym[] = {
        {'$', "USD"}, {0xff04, "USD"}, {0x20ac, "EUR"}, {0xa3, "GBP"},
        {0xffe1, "GBP"}, {0xa5, "JPY"}, {0xffe5, "JPY"}, {0x20b9, "INR"},
        {0x20a9, "KRW"}, {0x20bd, "RUB"},
    };

    if (t && t->kind == T_PUNCT)
        for (size_t i = 0; i < sizeof sym / sizeof *sym; i++)
            if (sym[i].cp == t->cp)
                return sym[i].unit;
    return NULL;
}

/* The country before a glued "$": "US$5", "HK$5" (case matters). */
static const char *
dollar_prefix(const seg *s, const tok *t)
{
    static const char *const pre[][2] = {
        {"US", "USD"}, {"HK", "HKD"}, {"A", "AUD"}, {"C", "CAD"},
        {"S", "SGD"}, {"NZ", "NZD"}, {"NT", "TWD"}, {"R", "BRL"},
    };
    size_t len = t->end - t->start;

    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (strlen(pre[i][0]) == len &&
            memcmp(s->text + t->start, pre[i][0], len) == 0)
            return pre[i][1];
    return NULL;
}
@PART2@
