/*
 * tokenize.c: the tokenizer iterator (rules in tokenize.h).  It scans the
 * text once, allocates nothing per token and folds ASCII words itself;
 * only words with non-ASCII bytes go through text_fold().  It does not
 * stem and knows nothing about passages.
 *
 * A word is one or more parts joined by hyphens; a part is a run of
 * non-CJK word characters with the joined apostrophes, commas and dots.
 * Parts are scanned lazily, at most TOKEN_MAX_BYTES at a time, so a
 * 200 MB word costs one pass.  A hyphenated word is scanned twice: once to
 * see whether the whole fits in a COMPOUND token, once part by part.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
/* BRIEF_TOKENIZE_REFERENCE: byte loops only, without the fast paths;
 * tests/unit/tokenize_ref.h builds this file so, as the reference the
 * fast paths must agree with. */
#if defined(__SSE2__) && !defined(BRIEF_TOKENIZE_REFERENCE)
#define FAST_SSE2 1
#include <emmintrin.h>
#endif

#include "text.h"
#include "tokenize.h"

/* Character classes; the values are the letters of ascii_class. */
enum {
    C_OTHER = '.',
    C_WORD = 'w',       /* letter, mark or digit outside CJK */
    C_APOS = 'a',       /* ' U+2019 U+02BC */
    C_COMMA = 'c',
    C_DOT = 'd',
    C_HYPHEN = 'h',     /* - U+2010 U+2011 */
    C_CJK = 'k'
};

static const char ascii_class[129] =
    "................"  "................"
    ".......a....chd."  "wwwwwwwwww......"
    ".wwwwwwwwwwwwwww"  "wwwwwwwwwww....."
    ".wwwwwwwwwwwwwww"  "wwwwwwwwwww.....";

/* A CJK character takes at most this many bytes of following combining
 * marks (variation selectors, dakuten), which keeps a bigram short. */
#define CJK_UNIT_MAX 24

#ifdef FAST_SSE2
/* The ASCII letters and digits of 16 bytes, as bits. */
static inline unsigned
alnum_bits(__m128i x)
{
    __m128i l = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)),
                             _mm_set1_epi8('a'));
    __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    __m128i w = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l),
        _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));

    return (unsigned)_mm_movemask_epi8(w);
}
#endif

/* The end of the run of ASCII letters and digits at s[i..lim), 16 bytes
 * at a time where they are all inside (a word's end is a mispredicted
 * branch in a byte loop). */
static inline size_t
word_run(const unsigned char *s, size_t i, size_t lim)
{
#ifdef FAST_SSE2
    for (; i + 16 <= lim; i += 16) {
        unsigned m = ~alnum_bits(_mm_loadu_si128((const __m128i *)(s + i)))
                     & 0xffff;
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < lim && s[i] < 0x80 && ascii_class[s[i]] == C_WORD)
        i++;
    return i;
}

/* The end of the run of ASCII bytes other than letters and digits at
 * s[i..len). */
static inline size_t
gap_run(const unsigned char *s, size_t i, size_t len)
{
#ifdef FAST_SSE2
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned m = alnum_bits(x) | (unsigned)_mm_movemask_epi8(x);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < len && s[i] < 0x80 && ascii_class[s[i]] != C_WORD)
        i++;
    return i;
}

enum { MODE_TEXT, MODE_PARTS, MODE_CJK };

struct tokenizer {
    const unsigned char *text;
    size_t len;
    size_t at;              /* where scanning resumes */
    uint32_t pos;           /* position of the next new token */
    int mode;
    bool in_compound;       /* MODE_PARTS after a COMPOUND token */
    size_t cjk_a, cjk_b;    /* MODE_CJK: previous character [a, b) */
    bool cjk_emitted;       /* a bigram of this run was emitted */
    bool lazy;              /* tokenizer_lazy(): ASCII tokens unfolded */
    char scratch[TOKEN_MAX_BYTES + 1];
    char word[TOKEN_MAX_FOLDED + 1];
};

typedef struct part {
    size_t start, end;      /* the part's bytes */
    size_t next;            /* where scanning resumes after it */
    bool ascii;             /* no byte >= 0x80 was scanned */
    bool hyphen;            /* a hyphen joins it to a following part */
    bool cut;               /* cut for length: the word goes on at next */
} part;

tokenizer *
tokenizer_new(void)
{
    return calloc(1, sizeof(tokenizer));
}

void
tokenizer_free(tokenizer *t)
{
    free(t);
}

void
tokenizer_reset(tokenizer *t, const char *text, size_t len,
                uint32_t first_pos)
{
    t->text = (const unsigned char *)text;
    t->len = len;
    t->at = 0;
    t->pos = first_pos;
    t->mode = MODE_TEXT;
    t->in_compound = false;
    t->lazy = false;
}

void
tokenizer_lazy(tokenizer *t)
{
    t->lazy = true;
}

/* Class of the character at i and its length in *n; C_OTHER with *n = 0
 * at the end of the text. */
static int
class_at(const tokenizer *t, size_t i, size_t *n)
{
    int32_t cp;

    if (i >= t->len) {
        *n = 0;
        return C_OTHER;
    }
    if (t->text[i] < 0x80) {
        *n = 1;
        return ascii_class[t->text[i]];
    }
    cp = text_decode((const char *)t->text + i, t->len - i, n);
    if (cp == 0x2019 || cp == 0x02BC)
        return C_APOS;
    if (cp == 0x2010 || cp == 0x2011)
        return C_HYPHEN;
    if (!text_is_word_char(cp))
        return C_OTHER;
    return text_is_cjk(cp) ? C_CJK : C_WORD;
}

static bool
is_digit(unsigned c)
{
    return c - '0' < 10u;
}

static bool
digit_at(const tokenizer *t, size_t i)
{
    return i < t->len && is_digit(t->text[i]);
}

/* True when a letter (a word character but not an ASCII digit) is at i. */
static bool
letter_at(const tokenizer *t, size_t i)
{
    size_t n;

    return class_at(t, i, &n) == C_WORD && !digit_at(t, i);
}

/*
 * Does the joiner (apostrophe, comma or dot) at i, after a word character,
 * continue the part?  prev_digit: that character is an ASCII digit.
 */
static bool
joins(const tokenizer *t, int c, size_t i, size_t n, bool prev_digit)
{
    if (c == C_APOS)
        return !prev_digit && letter_at(t, i + n);
    if (!prev_digit)
        return false;
    if (c == C_DOT)
        return digit_at(t, i + 1);
    return digit_at(t, i + 1) && digit_at(t, i + 2) && digit_at(t, i + 3)
        && !digit_at(t, i + 4);
}

/* Is an apostrophe at i (n bytes) the possessive 's ending the word? */
static bool
possessive(const tokenizer *t, size_t i, size_t n)
{
    size_t m;

    return i + n < t->len && (t->text[i + n] | 0x20) == 's'
        && class_at(t, i + n + 1, &m) != C_WORD;
}

/*
 * Scan the part starting at `at` (a C_WORD character) into *p.  A part
 * longer than TOKEN_MAX_BYTES is cut, preferably between two word
 * characters, so that the rest starts with a word character.
 */
static void
scan_part(const tokenizer *t, size_t at, part *p)
{
    const unsigned char *s = t->text;
    size_t i = at, n, m, last_cut = at, last_word_end = at, lim, run;
    bool prev_digit = false, prev_word = false;
    int c;

    p->start = at;
    p->ascii = true;
    p->hyphen = p->cut = false;
    lim = t->len - at > TOKEN_MAX_BYTES ? at + TOKEN_MAX_BYTES : t->len;
    for (;;) {
        /* The common case: a run of ASCII letters and digits. */
        run = i;
        i = word_run(s, i, lim);
        if (i > run) {
            if (prev_word || i - run > 1)
                last_cut = i - 1;
            prev_digit = is_digit(s[i - 1]);
            prev_word = true;
            last_word_end = i;
        }
        c = class_at(t, i, &n);
        if (c == C_WORD) {
            if (i + n - at > TOKEN_MAX_BYTES)
                break;
            if (prev_word)
                last_cut = i;
            prev_digit = n == 1 && is_digit(s[i]);
            p->ascii &= n == 1;
            prev_word = true;
            i += n;
            last_word_end = i;
            continue;
        }
        p->end = p->next = i;
        if (c == C_APOS && possessive(t, i, n)) {
            p->next = i + n + 1;
        } else if (c == C_HYPHEN) {
            if (class_at(t, i + n, &m) == C_WORD) {
                p->hyphen = true;
                p->next = i + n;
            }
        } else if ((c == C_APOS || c == C_COMMA || c == C_DOT)
                   && joins(t, c, i, n, prev_digit)) {
            p->ascii &= n == 1;
            prev_word = false;
            i += n;
            continue;
        }
        return;
    }
    /* Too long: cut before the word character at i if the one before is
     * one too, else at the last such place, else after the last word
     * character (the rest then starts with a joiner). */
    if (prev_word)
        last_cut = i;
    p->end = p->next = last_cut > at ? last_cut : last_word_end;
    p->cut = true;
}

/*
 * Fold src[a..b) into t->word with commas dropped and the hyphens U+2010
 * and U+2011 written as '-'.  Returns the folded length, 0 when it does
 * not fit in TOKEN_MAX_FOLDED bytes.  *number: only digits and dots.
 */
static size_t
fold(tokenizer *t, size_t a, size_t b, bool ascii, bool *number)
{
    const unsigned char *s = t->text;
    char *w = t->word;
    size_t n = 0, i;
    bool num = true;
    unsigned c;

    if (b - a > TOKEN_MAX_BYTES)
        return 0;
#ifdef FAST_SSE2
    /* Most ASCII words: 16 bytes at once, when they hold no comma. */
    if (ascii && b - a <= 16 && a + 16 <= t->len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + a));
        __m128i up = _mm_sub_epi8(x, _mm_set1_epi8('A'));
        __m128i dg = _mm_sub_epi8(x, _mm_set1_epi8('0'));
        unsigned keep = (1u << (b - a)) - 1;
        up = _mm_cmpeq_epi8(_mm_min_epu8(up, _mm_set1_epi8(25)), up);
        dg = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(dg, _mm_set1_epi8(9)),
                                         dg),
                          _mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
        if (!((unsigned)_mm_movemask_epi8(
                  _mm_cmpeq_epi8(x, _mm_set1_epi8(','))) & keep)) {
            _mm_storeu_si128((__m128i *)w, _mm_or_si128(
                x, _mm_and_si128(up, _mm_set1_epi8(0x20))));
            w[b - a] = '\0';
            *number = ((unsigned)_mm_movemask_epi8(dg) & keep) == keep;
            return b - a;
        }
    }
#endif
    if (ascii) {
        for (i = a; i < b; i++) {
            c = s[i];
            if (c == ',')
                continue;
            if (c - 'A' < 26u)
                c |= 0x20;
            if (!is_digit(c) && c != '.')
                num = false;
            w[n++] = (char)c;
        }
        w[n] = '\0';
        *number = num;
        return n;
    }
    for (i = a; i < b; i++) {
        if (s[i] == ',')
            continue;
        if (s[i] == 0xE2 && i + 2 < b && s[i + 1] == 0x80
            && (s[i + 2] == 0x90 || s[i + 2] == 0x91)) {
            t->scratch[n++] = '-';
            i += 2;
            continue;
        }
        t->scratch[n++] = (char)s[i];
    }
    n = text_fold(t->scratch, n, w, TOKEN_MAX_FOLDED + 1);
    for (i = 0; i < n && num; i++)
        num = w[i] == '.' || is_digit((unsigned char)w[i]);
    *number = n > 0 && num;
    return n;
}

/* Fold [a, *b) into t->word; when the folded form does not fit, shorten
 * *b (at a character boundary) until it does. */
static size_t
fold_shrink(tokenizer *t, size_t a, size_t *b, bool ascii, bool *number)
{
    size_t n, mid;

    while ((n = fold(t, a, *b, ascii, number)) == 0) {
        mid = a + (*b - a) / 2;
        while (mid > a && (t->text[mid] & 0xC0) == 0x80)
            mid--;
        if (mid == a) {
            /* keep the first character */
            mid = a + 1;
            while (mid < *b && (t->text[mid] & 0xC0) == 0x80)
                mid++;
        }
        if (mid >= *b) {
            /* One character always fits; this is only reached on bytes
             * that are not UTF-8, which are copied as they are. */
            n = *b - a;
            memcpy(t->word, t->text + a, n);
            t->word[n] = '\0';
            *number = false;
            return n;
        }
        *b = mid;
    }
    return n;
}

static void
fill(tokenizer *t, token *tok, size_t len, size_t a, size_t b,
     uint32_t pos, unsigned flags)
{
    tok->word = t->word;
    tok->word_len = len;
    tok->start = a;
    tok->end = b;
    tok->pos = pos;
    tok->flags = flags;
}

/* Emit the part *p (maybe shortened by folding) and move past it. */
static void
emit_part(tokenizer *t, part *p, token *tok, unsigned flags)
{
    bool number = false;
    size_t end = p->end;
    size_t n = t->lazy && p->ascii ? 0
             : fold_shrink(t, p->start, &end, p->ascii, &number);

    if (end != p->end) {
        p->end = p->next = end;
        p->hyphen = false;
        p->cut = true;
    }
    fill(t, tok, n, p->start, p->end, t->pos++,
         flags | (number ? TOKEN_NUMBER : 0));
    if (t->lazy && p->ascii)
        tok->word = NULL;
    t->at = p->next;
    if (p->hyphen || p->cut) {
        t->mode = MODE_PARTS;
    } else {
        t->mode = MODE_TEXT;
        t->in_compound = false;
    }
}

/*
 * The first part *p is followed by a hyphen: if the whole hyphenated word
 * fits in TOKEN_MAX_BYTES, return true with *end set to its end.  Scans at
 * most about 2 * TOKEN_MAX_BYTES.
 */
static bool
compound_end(const tokenizer *t, const part *p, size_t *end, bool *ascii)
{
    part q = *p;

    *ascii = p->ascii;
    while (q.hyphen) {
        scan_part(t, q.next, &q);
        *ascii &= q.ascii && t->text[q.start - 1] == '-';
        if (q.cut || q.end - p->start > TOKEN_MAX_BYTES)
            return false;
    }
    *end = q.end;
    return true;
}

/* A word starts at t->at: emit its compound token or its first part. */
static void
word_start(tokenizer *t, token *tok)
{
    part p;
    size_t end, n;
    bool ascii, number;

    scan_part(t, t->at, &p);
    if (p.hyphen && compound_end(t, &p, &end, &ascii)) {
        /* An ASCII compound fits: compound_end() kept it within
         * TOKEN_MAX_BYTES. */
        n = t->lazy && ascii ? 1 : fold(t, p.start, end, ascii, &number);
        if (n > 0) {
            fill(t, tok, n, p.start, end, t->pos, TOKEN_COMPOUND);
            if (t->lazy && ascii) {
                tok->word = NULL;
                tok->word_len = 0;
            }
            t->mode = MODE_PARTS;
            t->in_compound = true;
            return;
        }
    }
    t->in_compound = false;
    emit_part(t, &p, tok, 0);
}

/* Where the CJK character at i ends, with its combining marks. */
static size_t
cjk_unit_end(const tokenizer *t, size_t i)
{
    size_t n, j;
    int32_t cp;

    text_decode((const char *)t->text + i, t->len - i, &n);
    j = i + n;
    while (j < t->len && t->text[j] >= 0x80) {
        cp = text_decode((const char *)t->text + j, t->len - j, &n);
        if (!text_is_mark(cp) || j + n - i > CJK_UNIT_MAX)
            break;
        j += n;
    }
    return j;
}

static void
emit_cjk(tokenizer *t, token *tok, size_t a, size_t b)
{
    bool number;
    size_t n = fold_shrink(t, a, &b, false, &number);

    fill(t, tok, n, a, b, t->pos++, TOKEN_CJK);
}

/* MODE_CJK: emit the next bigram (or the lone character) of the run;
 * 0 when the run is over. */
static int
cjk_next(tokenizer *t, token *tok)
{
    size_t n, end;

    if (class_at(t, t->cjk_b, &n) == C_CJK) {
        end = cjk_unit_end(t, t->cjk_b);
        emit_cjk(t, tok, t->cjk_a, end);
        t->cjk_a = t->cjk_b;
        t->cjk_b = end;
        t->cjk_emitted = true;
        return 1;
    }
    t->mode = MODE_TEXT;
    t->at = t->cjk_b;
    if (t->cjk_emitted)
        return 0;
    emit_cjk(t, tok, t->cjk_a, t->cjk_b);
    return 1;
}

#if !defined(BRIEF_TOKENIZE_REFERENCE)
/* Most words: a run of ASCII letters and digits at a (an ASCII one)
 * within TOKEN_MAX_BYTES that ends the text, or that an ASCII byte
 * ends which joins nothing: a space, most punctuation, or an apostrophe,
 * comma, dot or hyphen that no letter or digit follows ("war, peace",
 * "peoples' rights").  Its end, or 0 for any other word. */
static size_t
simple_end(const tokenizer *t, size_t a)
{
    const unsigned char *s = t->text;
    size_t lim = t->len - a > TOKEN_MAX_BYTES ? a + TOKEN_MAX_BYTES : t->len;
    size_t i = word_run(s, a + 1, lim);

    if (i < t->len) {
        if (s[i] >= 0x80 || ascii_class[s[i]] == C_WORD)
            return 0;           /* non-ASCII next, or cut for length */
        if (ascii_class[s[i]] != C_OTHER && i + 1 < t->len &&
            (s[i + 1] >= 0x80 || ascii_class[s[i + 1]] == C_WORD))
            return 0;           /* a joiner that may join */
    }
    return i;
}

/* Emit the simple word at t->at (simple_end()) as word_start() would,
 * without its general scan; false (nothing done) for any other word. */
static bool
simple_word(tokenizer *t, token *tok)
{
    size_t a = t->at, i = simple_end(t, a), n;
    bool number = false;

    if (!i)
        return false;
    /* emit_part() of the part [a, i), which folding cannot shorten. */
    n = t->lazy ? 0 : fold(t, a, i, true, &number);
    fill(t, tok, n, a, i, t->pos++, number ? TOKEN_NUMBER : 0);
    if (t->lazy)
        tok->word = NULL;
    t->at = i;
    t->mode = MODE_TEXT;
    t->in_compound = false;
    return true;
}
#endif

void
tokenizer_word(tokenizer *t, token *tok)
{
    bool number;

    if (tok->word)
        return;
    tok->word_len = fold(t, tok->start, tok->end, true, &number);
    tok->word = t->word;
    if (number)
        tok->flags |= TOKEN_NUMBER;
}

int
tokenizer_next(tokenizer *t, token *tok)
{
    const unsigned char *s = t->text;
    size_t n;
    int c;

    for (;;) {
        if (t->mode == MODE_CJK) {
            if (cjk_next(t, tok))
                return 1;
            continue;
        }
        if (t->mode == MODE_PARTS) {
            part p;

            if (class_at(t, t->at, &n) != C_WORD) {
                t->mode = MODE_TEXT;
                t->in_compound = false;
                continue;
            }
            scan_part(t, t->at, &p);
            emit_part(t, &p, tok, t->in_compound ? TOKEN_PART : 0);
            return 1;
        }
        t->at = gap_run(s, t->at, t->len);
        if (t->at >= t->len)
            return 0;
#if !defined(BRIEF_TOKENIZE_REFERENCE)
        if (s[t->at] < 0x80 && simple_word(t, tok))
            return 1;
#endif
        c = class_at(t, t->at, &n);
        if (c == C_WORD) {
            word_start(t, tok);
            return 1;
        }
        if (c == C_CJK) {
            t->mode = MODE_CJK;
            t->cjk_a = t->at;
            t->cjk_b = cjk_unit_end(t, t->at);
            t->cjk_emitted = false;
            continue;
        }
        t->at += n;
    }
}

uint32_t
tokenizer_pos(const tokenizer *t)
{
    return t->pos;
}

#if !defined(BRIEF_TOKENIZE_REFERENCE) && defined(FAST_SSE2)
/* Pass over at most left simple words (simple_end()) and the gaps between
 * them in the 64 bytes at t->at, counting word starts in bit masks; the
 * words passed over.  0 when the bytes hold none it can vouch for. */
static uint32_t
skip_block(tokenizer *t, uint32_t left)
{
    const unsigned char *s = t->text + t->at;
    uint64_t w = 0, h = 0, j = 0, starts, ends, bad, m;
    unsigned lim, k, end;
    uint32_t n;

    if (t->len - t->at <= 64)
        return 0;
    for (unsigned q = 0; q < 4; q++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + 16 * q));
        __m128i p = _mm_sub_epi8(x, _mm_set1_epi8(','));    /* , - . */
        __m128i jm = _mm_or_si128(
            _mm_cmpeq_epi8(_mm_min_epu8(p, _mm_set1_epi8(2)), p),
            _mm_cmpeq_epi8(x, _mm_set1_epi8('\'')));
        w |= (uint64_t)alnum_bits(x) << (16 * q);
        h |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << (16 * q);
        j |= (uint64_t)(unsigned)_mm_movemask_epi8(jm) << (16 * q);
    }
    /* Only up to the first byte >= 0x80, and the last word must end (at a
     * byte k) before it with one more byte to look at. */
    lim = h ? (unsigned)__builtin_ctzll(h) : 63;
    if (lim < 2 || !(m = ~w & (((uint64_t)1 << (lim - 1)) - 1)))
        return 0;
    k = 63 - (unsigned)__builtin_clzll(m);
    m = ((uint64_t)1 << (k + 1)) - 1;
    starts = w & ~(w << 1) & m;
    ends = ~w & (w << 1) & m;
    /* A joiner after a word and before a letter or digit: stop before
     * that word. */
    bad = ends & j & (w >> 1);
    end = k;
    if (bad) {
        uint64_t before = starts & (((uint64_t)1 << __builtin_ctzll(bad)) - 1);
        end = 63 - (unsigned)__builtin_clzll(before);
        starts &= ((uint64_t)1 << end) - 1;
    }
    n = (uint32_t)__builtin_popcountll(starts);
    if (n > left) {
        for (uint32_t i = 0; i < left; i++)
            starts &= starts - 1;
        end = (unsigned)__builtin_ctzll(starts);
        n = left;
    }
    t->at += end;
    t->pos += n;
    t->in_compound = false;
    return n;
}
#endif

void
tokenizer_skip(tokenizer *t, uint32_t pos)
{
    token tok;

    while (t->pos < pos) {
#if !defined(BRIEF_TOKENIZE_REFERENCE)
        /* Simple words (most of them) are passed over as tokenizer_next()
         * would take them, without filling a token. */
        if (t->mode == MODE_TEXT) {
            size_t i;
#ifdef FAST_SSE2
            if (skip_block(t, pos - t->pos))
                continue;
#endif
            t->at = gap_run(t->text, t->at, t->len);
            if (t->at >= t->len)
                return;
            if (t->text[t->at] < 0x80 && (i = simple_end(t, t->at))) {
                t->at = i;
                t->pos++;
                t->in_compound = false;
                continue;
            }
        }
#endif
        if (!tokenizer_next(t, &tok))
            return;
    }
}
