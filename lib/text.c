/*
 * text.c: strict UTF-8 validation and decoding, the character classes the
 * tokenizer needs, and NFKC + case folding.  This is the only file that
 * calls utf8proc_*.  Folding skips utf8proc for ASCII and for the common
 * letters that NFKC + case folding leave alone (fold_stable()).
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"

#define HIGH_BITS 0x8080808080808080ull

/* Folding options: NFKC (compat decomposition, then composition) with
 * full case folding; STABLE keeps unassigned code points as they are. */
#define FOLD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPAT | \
                      UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)

/* Code points decomposed on the stack before text_fold() falls back to
 * malloc; tokens are at most 120 source bytes, so this is never reached
 * by the tokenizer. */
#define FOLD_STACK 512

/*
 * Decode the well-formed sequence at s[0..len) (Unicode table 3-7) into
 * *cp; return its length, or 0 when it is invalid or truncated.  s[0] is
 * not ASCII.
 */
static size_t
decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t n;
    int32_t v;

    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;          /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;          /* above U+10FFFF */
    } else {
        return 0;
    }
    if (len < 2 || s[1] < lo || s[1] > hi)
        return 0;
    v = (v << 6) | (s[1] & 0x3F);
    for (size_t i = 2; i < n; i++) {
        if (i >= len || (s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return n;
}

bool
text_is_utf8(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n;
    uint64_t w;
    int32_t cp;

    while (i < len) {
        if (len - i >= 8) {
            memcpy(&w, u + i, 8);
            if (!(w & HIGH_BITS)) {
                i += 8;
                continue;
            }
        }
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        n = decode(u + i, len - i, &cp);
        if (n == 0) {
            if (bad)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

int32_t
text_decode(const char *s, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    int32_t cp;

    assert(len > 0);
    if (len == 0) {
        *n = 0;
        return 0xFFFD;
    }
    if (u[0] < 0x80) {
        *n = 1;
        return u[0];
    }
    *n = decode(u, len, &cp);
    if (*n == 0) {
        *n = 1;
        return 0xFFFD;
    }
    return cp;
}

bool
text_is_word_char(int32_t cp)
{
    utf8proc_category_t cat;

    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' &&
                                            (cp | 0x20) <= 'z');
    cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

bool
text_is_mark(int32_t cp)
{
    utf8proc_category_t cat;

    if (cp < 0x300)
        return false;
    cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

bool
text_is_cjk(int32_t cp)
{
    if (cp < 0x1100)
        return false;
    return (cp >= 0x1100 && cp <= 0x11FF)       /* Hangul Jamo */
        || (cp >= 0x2E80 && cp <= 0x2FDF)       /* radicals */
        || (cp >= 0x3005 && cp <= 0x3007)       /* 々 〆 〇 */
        || (cp >= 0x3021 && cp <= 0x303C)       /* numerals, marks */
        || (cp >= 0x3040 && cp <= 0x31FF)       /* kana, bopomofo, jamo */
        || (cp >= 0x3400 && cp <= 0x4DBF)       /* Han extension A */
        || (cp >= 0x4E00 && cp <= 0x9FFF)       /* Han */
        || (cp >= 0xA960 && cp <= 0xA97F)       /* Hangul Jamo ext. A */
        || (cp >= 0xAC00 && cp <= 0xD7FF)       /* Hangul, Jamo ext. B */
        || (cp >= 0xF900 && cp <= 0xFAFF)       /* compat. ideographs */
        || (cp >= 0xFF66 && cp <= 0xFFDC)       /* halfwidth kana, Hangul */
        || (cp >= 0x1B000 && cp <= 0x1B16F)     /* kana supplement */
        || (cp >= 0x20000 && cp <= 0x3FFFF);    /* Han extensions B.. */
}

/* The two apostrophes that are not ASCII fold to '. */
static utf8proc_int32_t
map_apostrophe(utf8proc_int32_t cp, void *data)
{
    (void)data;
    return cp == 0x2019 || cp == 0x02BC ? '\'' : cp;
}

/* Decompose s into buf (cap code points); the count, which may exceed
 * cap, or < 0 on invalid input. */
static utf8proc_ssize_t
decompose(const char *s, size_t len, int32_t *buf, size_t cap)
{
    return utf8proc_decompose_custom((const utf8proc_uint8_t *)s,
                                     (utf8proc_ssize_t)len, buf,
                                     (utf8proc_ssize_t)cap, FOLD_OPTIONS,
                                     map_apostrophe, NULL);
}

/*
 * True when NFKC + case folding leaves cp as it is whatever surrounds it:
 * no decomposition, no case mapping, and never the second half of a
 * composition (those are all marks or Hangul jamo).  ASCII capitals are
 * handled by the caller.  tests/unit/test_text.c checks every one of them
 * against utf8proc.
 */
static bool
fold_stable(int32_t cp)
{
    return (cp >= 0xE0 && cp <= 0xFF)                  /* à..ÿ */
        || (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2) /* α..ω but ς */
        || (cp >= 0x430 && cp <= 0x44F)                /* а..я */
        || (cp >= 0x3041 && cp <= 0x3096)              /* hiragana */
        || (cp >= 0x30A1 && cp <= 0x30FA)              /* katakana */
        || (cp >= 0x3400 && cp <= 0x4DBF)              /* Han ext. A */
        || (cp >= 0x4E00 && cp <= 0x9FFF)              /* Han */
        || (cp >= 0xAC00 && cp <= 0xD7A3);             /* Hangul */
}

/* Fold s into out (len < cap) when every character is ASCII or stable;
 * false, with out clobbered, when utf8proc is needed. */
static bool
fold_fast(const unsigned char *s, size_t len, char *out)
{
    size_t n;
    int32_t cp;
    unsigned c;

    for (size_t i = 0; i < len; i += n) {
        c = s[i];
        if (c < 0x80) {
            out[i] = (char)(c - 'A' < 26u ? c | 0x20 : c);
            n = 1;
            continue;
        }
        n = decode(s + i, len - i, &cp);
        if (n == 0 || !fold_stable(cp))
            return false;
        memcpy(out + i, s + i, n);
    }
    out[len] = '\0';
    return true;
}

size_t
text_fold(const char *s, size_t len, char *out, size_t cap)
{
    int32_t stack[FOLD_STACK], *buf = stack;
    utf8proc_ssize_t n;
    size_t result = 0;

    if (len < cap && fold_fast((const unsigned char *)s, len, out))
        return len;
    if (len > SIZE_MAX / 8 / sizeof *buf)
        return 0;
    n = decompose(s, len, buf, FOLD_STACK);
    if (n > FOLD_STACK) {
        buf = malloc((size_t)n * sizeof *buf);
        if (!buf)
            return 0;
        n = decompose(s, len, buf, (size_t)n);
    }
    if (n < 0)
        goto out;
    /* Composes in place and rewrites buf as UTF-8 bytes. */
    n = utf8proc_reencode(buf, n, FOLD_OPTIONS);
    if (n < 0 || (size_t)n >= cap)
        goto out;
    memcpy(out, buf, (size_t)n);
    out[n] = '\0';
    result = (size_t)n;
out:
    if (buf != stack)
        free(buf);
    return result;
}
