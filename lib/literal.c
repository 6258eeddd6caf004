/*
 * literal.c: the longest string every match of a pattern contains.  Each
 * node of the pattern gets
 *
 *   exact  whether it matches exactly one string (then pre = suf = best)
 *   pre    a string every match starts with
 *   suf    a string every match ends with
 *   best   a string every match contains
 *
 * Concatenation joins x's suffix to y's prefix (a match of xy holds
 * them side by side), alternation keeps what all branches share, and an
 * optional or repeated part keeps what it holds but breaks the strings
 * around it.  Anything the parser does not follow makes it give up: no
 * literal is always a safe answer.
 */
#include <stdbool.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "literal.h"
#include "resyntax.h"
#include "text.h"

typedef struct piece {
    size_t len;
    char s[LITERAL_MAX];
} piece;

typedef struct node {
    bool exact;
    piece pre, suf, best;
} node;

typedef struct parser {
    const char *s;
    size_t len, pos;
    bool give_up;
    int depth;
} parser;

/* p := a b, cut to LITERAL_MAX bytes: the last ones with keep_tail, else
 * the first.  Returns whether nothing was cut. */
static bool
join(piece *p, const piece *a, const piece *b, bool keep_tail)
{
    char t[2 * LITERAL_MAX];
    size_t n = a->len + b->len, off = 0;

    memcpy(t, a->s, a->len);
    memcpy(t + a->len, b->s, b->len);
    if (n > LITERAL_MAX) {
        off = keep_tail ? n - LITERAL_MAX : 0;
        n = LITERAL_MAX;
    }
    memmove(p->s, t + off, n);
    p->len = n;
    return off == 0 && n == a->len + b->len;
}

static const piece *
longer(const piece *a, const piece *b)
{
    return b->len > a->len ? b : a;
}

/* The longest string that both a and b contain (the first such in a). */
static void
common(piece *out, const piece *a, const piece *b)
{
    size_t best = 0, at = 0;

    for (size_t i = 0; i < a->len; i++)
        for (size_t j = 0; j < b->len; j++) {
            size_t k = 0;
            while (i + k < a->len && j + k < b->len &&
                   a->s[i + k] == b->s[j + k])
                k++;
            if (k > best) {
                best = k;
                at = i;
            }
        }
    memmove(out->s, a->s + at, best);
    out->len = best;
}

/* The empty string exactly: anchors, lookarounds. */
static void
empty(node *x)
{
    memset(x, 0, sizeof *x);
    x->exact = true;
}

/* Something unknown, perhaps empty: a class, '.', \d. */
static void
unknown(node *x)
{
    memset(x, 0, sizeof *x);
}

/* Exactly the bytes s[0..n) (n <= 4). */
static void
bytes(node *x, const char *s, size_t n)
{
    memset(x, 0, sizeof *x);
    x->exact = true;
    memcpy(x->pre.s, s, n);
    x->pre.len = n;
    x->suf = x->best = x->pre;
}

/* x := x y. */
static void
concat(node *x, const node *y)
{
    node z;
    piece seam;

    memset(&z, 0, sizeof z);
    if (x->exact && y->exact) {
        z.exact = join(&z.pre, &x->pre, &y->pre, false);
        join(&z.suf, &x->suf, &y->suf, true);
        z.best = z.pre;
        *x = z;
        return;
    }
    if (x->exact)
        join(&z.pre, &x->pre, &y->pre, false);
    else
        z.pre = x->pre;
    if (y->exact)
        join(&z.suf, &x->suf, &y->suf, true);
    else
        z.suf = y->suf;
    join(&seam, &x->suf, &y->pre, false);
    z.best = *longer(longer(&x->best, &y->best), &seam);
    z.best = *longer(&z.best, longer(&z.pre, &z.suf));
    *x = z;
}

/* x := x | y. */
static void
alternate(node *x, const node *y)
{
    size_t n = 0;

    if (x->exact && y->exact && x->pre.len == y->pre.len &&
        memcmp(x->pre.s, y->pre.s, x->pre.len) == 0)
        return;
    x->exact = false;
    while (n < x->pre.len && n < y->pre.len && x->pre.s[n] == y->pre.s[n])
        n++;
    x->pre.len = n;
    for (n = 0; n < x->suf.len && n < y->suf.len &&
         x->suf.s[x->suf.len - 1 - n] == y->suf.s[y->suf.len - 1 - n]; n++)
        ;
    memmove(x->suf.s, x->suf.s + x->suf.len - n, n);
    x->suf.len = n;
    common(&x->best, &x->best, &y->best);
    x->best = *longer(&x->best, longer(&x->pre, &x->suf));
}

static void parse_alt(parser *p, node *out);

/* Skip a class "[...]" (it holds no literal); give up when unclosed or
 * when it quotes with \Q. */
static void
parse_class(parser *p, node *x)
{
    const char *s = p->s;

    unknown(x);
    p->pos++;                                   /* '[' */
    if (p->pos < p->len && s[p->pos] == '^')
        p->pos++;
    if (p->pos < p->len && s[p->pos] == ']')
        p->pos++;                               /* a literal ']' */
    while (p->pos < p->len && s[p->pos] != ']') {
        if (s[p->pos] == '\\') {
            if (p->pos + 1 >= p->len || s[p->pos + 1] == 'Q' ||
                s[p->pos + 1] == 'E') {
                p->give_up = true;
                return;
            }
            p->pos += 2;
            if (p->pos < p->len && s[p->pos] == '{')
                while (p->pos < p->len && s[p->pos] != '}')
                    p->pos++;
            continue;
        }
        if (s[p->pos] == '[' && p->pos + 1 < p->len &&
            strchr(":.=", s[p->pos + 1])) {     /* [:alpha:] */
            const char *end = strstr(s + p->pos + 2, ":]");
            if (!end || (size_t)(end - s) >= p->len) {
                p->give_up = true;
                return;
            }
            p->pos = (size_t)(end - s) + 2;
            continue;
        }
        p->pos++;
    }
    if (p->pos >= p->len)
        p->give_up = true;
    else
        p->pos++;                               /* ']' */
}

/* "(...)": groups, named groups and lookarounds; every other (?...) and
 * (*...) form makes us give up. */
static void
parse_group(parser *p, node *x)
{
    const char *s = p->s;
    bool zero_width = false;

    p->pos++;                                   /* '(' */
    if (p->pos < p->len && s[p->pos] == '*') {
        p->give_up = true;
        return;
    }
    if (p->pos < p->len && s[p->pos] == '?') {
        char c = p->pos + 1 < p->len ? s[p->pos + 1] : 0;
        char d = p->pos + 2 < p->len ? s[p->pos + 2] : 0;
        if (c == ':' || c == '>' || c == '|') {
            p->pos += 2;
        } else if (c == '=' || c == '!') {
            p->pos += 2;
            zero_width = true;
        } else if (c == '<' && (d == '=' || d == '!')) {
            p->pos += 3;
            zero_width = true;
        } else if ((c == '<' && d != '=' && d != '!') ||
                   (c == 'P' && d == '<') || c == '\'') {
            char close = c == '\'' ? '\'' : '>';
            p->pos += c == 'P' ? 3 : 2;
            while (p->pos < p->len && s[p->pos] != close)
                p->pos++;
            p->pos++;
        } else {
            p->give_up = true;                  /* flags, calls, ... */
            return;
        }
    }
    if (++p->depth > 200) {
        p->give_up = true;
        return;
    }
    parse_alt(p, x);
    p->depth--;
    if (p->pos < p->len && s[p->pos] == ')')
        p->pos++;
    else
        p->give_up = true;
    if (zero_width)
        empty(x);
}

/* An escape after '\'. */
static void
parse_escape(parser *p, node *x)
{
    char e = p->pos + 1 < p->len ? p->s[p->pos + 1] : 0;

    p->pos += 2;
    unknown(x);
    if (!e || (unsigned char)e >= 0x80 || (e >= '0' && e <= '9')) {
        p->give_up = true;                      /* backreference, octal */
        return;
    }
    if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'))) {
        bytes(x, &e, 1);                        /* \$ \. \- */
        return;
    }
    if (strchr("bBAzZG", e)) {
        empty(x);
        return;
    }
    if (strchr("dDwWsShHvVRXntrfae", e))
        return;
    if (e == 'p' || e == 'P' || e == 'x' || e == 'o' || e == 'c') {
        if (e == 'c') {
            p->pos++;
        } else if (p->pos < p->len && p->s[p->pos] == '{') {
            while (p->pos < p->len && p->s[p->pos] != '}')
                p->pos++;
            p->pos++;
        } else if (e == 'x') {
            for (int k = 0; k < 2 && p->pos < p->len &&
                 strchr("0123456789abcdefABCDEF", p->s[p->pos]) &&
                 p->s[p->pos]; k++)
                p->pos++;
        } else if (e != 'o') {
            p->pos++;                           /* \pL */
        } else {
            p->give_up = true;
        }
        return;
    }
    p->give_up = true;                          /* \K \Q \E \g \k \N ... */
}

/* One atom: a character, class, group, escape, '.', anchor. */
static void
parse_atom(parser *p, node *x)
{
    const char *s = p->s;
    size_t n = 1;
    char c = s[p->pos];

    unknown(x);                 /* what a sub-parser that gives up leaves */
    switch (c) {
    case '(':
        parse_group(p, x);
        return;
    case '[':
        parse_class(p, x);
        return;
    case '\\':
        parse_escape(p, x);
        return;
    case '.':
        p->pos++;
        unknown(x);
        return;
    case '^':
    case '$':
        p->pos++;
        empty(x);
        return;
    case '*':
    case '+':
    case '?':
    case '{':
        p->pos++;
        unknown(x);
        p->give_up = true;
        return;
    default:
        break;
    }
    if ((unsigned char)c >= 0x80)
        text_decode(s + p->pos, p->len - p->pos, &n);   /* n <= 4 */
    bytes(x, s + p->pos, n);
    p->pos += n;
}

/* The quantifier after an atom, if any (resyntax.h).  A '{' that some
 * PCRE2 reads as a quantifier and another as a literal makes us give up,
 * and so does a literal '{' (parse_atom()). */
static bool
parse_quant(parser *p, long *min, long *max)
{
    int rc = resyntax_quant(p->s, p->len, &p->pos, min, max);

    if (rc < 0)
        p->give_up = true;
    return rc > 0;
}

/* A concatenation: atoms with quantifiers, up to '|' or ')'. */
static void
parse_concat(parser *p, node *out)
{
    empty(out);
    while (!p->give_up && p->pos < p->len && p->s[p->pos] != '|' &&
           p->s[p->pos] != ')') {
        node a;
        long min, max;
        parse_atom(p, &a);
        if (p->give_up)
            return;
        if (parse_quant(p, &min, &max)) {
            if (min == 0)
                unknown(&a);
            else if (!(min == 1 && max == 1))
                a.exact = false;        /* keeps pre, suf and best */
        }
        if (p->give_up)
            return;
        concat(out, &a);
    }
}

static void
parse_alt(parser *p, node *out)
{
    parse_concat(p, out);
    while (!p->give_up && p->pos < p->len && p->s[p->pos] == '|') {
        node b;
        p->pos++;
        parse_concat(p, &b);
        alternate(out, &b);
    }
}

/* A rough order after letter frequencies, in the manner of ripgrep's
 * byte-frequency table.  Only the order matters: literal_find() watches
 * the two rarest bytes of a literal, trigscan.c the rarest of a
 * trigram. */
int
literal_frequency(unsigned char c)
{
    static const char common[] = "etaoinshrdlcumwfgypbvkjxqz";
    const char *p;

    if (c == ' ')
        return 255;
    if (c >= 'a' && c <= 'z') {
        p = strchr(common, c);
        return 250 - 5 * (int)(p - common);
    }
    if (c >= 'A' && c <= 'Z')
        return 110;
    if (c >= '0' && c <= '9')
        return 140;
    if (c == ',' || c == '.' || c == '\n')
        return 200;
    if (c == '-' || c == '\'' || c == '"' || c == '(' || c == ')' ||
        c == ':' || c == ';' || c == '\t' || c == '\r')
        return 130;
    if (c >= 0x80)
        return 60;
    return c < 0x20 ? 10 : 80;
}

bool
literal_required(const char *pattern, size_t len, literal *out)
{
    parser p = { pattern, len, 0, false, 0 };
    node x;
    int f1 = 256, f2 = 256;

    memset(out, 0, sizeof *out);
    parse_alt(&p, &x);
    if (p.give_up || p.pos < p.len || x.best.len == 0)  /* a stray ')' */
        return false;
    memcpy(out->s, x.best.s, x.best.len);
    out->len = x.best.len;
    /* The rarest byte, then the rarest other byte (a repeated one, as in
     * "ll", would find every "ll"). */
    for (size_t i = 0; i < out->len; i++) {
        int f = literal_frequency((unsigned char)out->s[i]);
        if (f < f1) {
            f1 = f;
            out->rare1 = i;
        }
    }
    out->rare2 = out->len - 1 != out->rare1 ? out->len - 1 : 0;
    for (size_t i = 0; i < out->len; i++) {
        int f = literal_frequency((unsigned char)out->s[i]);
        if (out->s[i] != out->s[out->rare1] && f < f2) {
            f2 = f;
            out->rare2 = i;
        }
    }
    if (out->rare2 < out->rare1) {
        size_t t = out->rare1;
        out->rare1 = out->rare2;
        out->rare2 = t;
    }
    return true;
}

bool
literal_beats(const literal *lit, unsigned char c)
{
    return literal_frequency((unsigned char)lit->s[lit->rare1]) <
           literal_frequency(c);
}

const char *
literal_find(const literal *lit, const char *s, size_t len)
{
    const size_t n = lit->len, r1 = lit->rare1, r2 = lit->rare2;
    const char c1 = lit->s[r1], c2 = lit->s[r2];
    size_t at = 0, last;

    if (len < n)
        return NULL;
    if (n == 1)
        return memchr(s, c1, len);
    last = len - n;                     /* the last possible start */
#if defined(__SSE2__)
    {
        /* 16 starts at a time: the two rare bytes at their offsets. */
        const __m128i v1 = _mm_set1_epi8(c1), v2 = _mm_set1_epi8(c2);
        for (; at + 16 <= last + 1; at += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(s + at + r1));
            __m128i b = _mm_loadu_si128((const __m128i *)(s + at + r2));
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(a, v1), _mm_cmpeq_epi8(b, v2)));
            while (m) {
                size_t k = at + (size_t)__builtin_ctz(m);
                if (memcmp(s + k, lit->s, n) == 0)
                    return s + k;
                m &= m - 1;
            }
        }
    }
#endif
    for (; at <= last; at++)
        if (s[at + r1] == c1 && s[at + r2] == c2 &&
            memcmp(s + at, lit->s, n) == 0)
            return s + at;
    return NULL;
}
