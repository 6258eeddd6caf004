/*
 * trigram.c: trigrams of case-folded text, and the analysis of a regex
 * into a trigram query, after codesearch (regexp.go): every node of the
 * pattern gets
 *
 *   emptyable  whether it can match the empty string
 *   exact      the set of strings it matches exactly, when small
 *   prefix     a set of strings one of which starts every match
 *   suffix     a set of strings one of which ends every match
 *   match      a trigram query every match satisfies
 *
 * and concatenation, alternation and repetition combine them.  Whatever
 * the parser here does not understand (backreferences, lookarounds,
 * large classes, \w+, extended mode) matches anything, so the query is
 * always implied by a match: it can only let through too many documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "resyntax.h"
#include "text.h"
#include "trigram.h"

/* codesearch's limits: an exact set of more strings than MAX_EXACT, or a
 * class of more characters than MAX_SET, is not worth tracking. */
#define MAX_EXACT 16
#define MAX_SET   20
#define MAX_STR   64         /* longest string kept in a set */
/* At most this many 2-byte tails make a "some trigram after them" query
 * (pre2_of()): each is a range scan of up to 256 trigram lists. */
#define MAX_PRE2  16

/* ---------------------------------------------------------------- */
/* Folding and extraction                                            */
/* ---------------------------------------------------------------- */

/* Whether the 16 bytes at s are ASCII; if so, their lower case is at o.
 * ASCII is most text, and byte by byte it was a third of the trigrams'
 * extraction (bench/PROFILE.md). */
static bool
fold16(const char *s, char *o)
{
#if defined(__SSE2__)
    __m128i x = _mm_loadu_si128((const __m128i *)s);
    __m128i up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                               _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));

    if (_mm_movemask_epi8(x))
        return false;
    x = _mm_add_epi8(x, _mm_and_si128(up, _mm_set1_epi8(0x20)));
    _mm_storeu_si128((__m128i *)o, x);
    return true;
#else
    (void)s;
    (void)o;
    return false;
#endif
}

/* Fold s[0..len) into o (room for 3 * len bytes): the folded length.
 * marks[0..n_marks) are ascending byte offsets of s at characters'
 * starts (or len); fmarks[i] gets the folded offset of marks[i]. */
static size_t
fold_into(const char *s, size_t len, char *o, const size_t *marks,
          size_t n_marks, size_t *fmarks)
{
    char folded[64];
    size_t n = 0, m = 0;

    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k, f;
        while (m < n_marks && marks[m] <= i)
            fmarks[m++] = n;
        /* 16 bytes at once when no mark lies after their first */
        if (len - i >= 16 && (m == n_marks || marks[m] >= i + 16) &&
            fold16(s + i, o + n)) {
            i += 16;
            n += 16;
            continue;
        }
        if (c < 0x80) {
            o[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        text_decode(s + i, len - i, &k);
        f = text_fold(s + i, k, folded, sizeof folded);
        if (f == 0 || f > 3 * k) {
            memcpy(o + n, s + i, k);    /* unfoldable: as it is */
            n += k;
        } else {
            memcpy(o + n, folded, f);
            n += f;
        }
        i += k;
    }
    while (m < n_marks)
        fmarks[m++] = n;
    return n;
}

int
trigram_fold(const char *s, size_t len, char **out, size_t *out_len)
{
    char *o = malloc(len * 3 + 4);

    if (!o)
        return -1;
    *out_len = fold_into(s, len, o, NULL, 0, NULL);
    *out = o;
    return 0;
}

size_t
trigram_zones(size_t len, size_t zone_bytes)
{
    return len ? (len - 1) / zone_bytes + 1 : 1;
}

size_t
trigram_zone_start(const char *text, size_t len, size_t zone_bytes,
                   size_t k)
{
    const char *nl;
    size_t at;

    if (k == 0)
        return 0;
    if (len == 0 || k > (len - 1) / zone_bytes)
        return len;
    at = k * zone_bytes;
    if (text[at - 1] == '\n')
        return at;
    nl = memchr(text + at, '\n', len - at);
    return nl ? (size_t)(nl - text) + 1 : len;
}

/* Room in s->v for more trigrams; -1 out of memory. */
static int
reserve(trigset *s, size_t more)
{
    size_t cap = s->cap ? s->cap : 1024;
    trigram *v;

    if (s->cap - s->n >= more)
        return 0;
    while (cap - s->n < more)
        cap *= 2;
    if (!(v = realloc(s->v, cap * sizeof *v)))
        return -1;
    s->v = v;
    s->cap = cap;
    return 0;
}

/* Append to s the trigrams starting at f[from..to) that the zone does not
 * have yet (f holds two more bytes).  Every trigram is written and the
 * count advanced only for a new one: whether a trigram is new is a coin
 * toss to the branch predictor, and the branch cost a third of the
 * extraction (bench/PROFILE.md).  -1 out of memory. */
static int
add_trigrams(trigset *s, const unsigned char *f, size_t from, size_t to)
{
    while (from < to) {
        size_t stop = to - from > 4096 ? from + 4096 : to, n = s->n;
        uint64_t *seen = s->seen;
        trigram *v;

        if (reserve(s, stop - from))
            return -1;
        v = s->v;
        for (; from < stop; from++) {
            trigram t = (trigram)f[from] << 16 |
                        (trigram)f[from + 1] << 8 | f[from + 2];
            uint64_t bit = (uint64_t)1 << (t & 63), w = seen[t >> 6];

            seen[t >> 6] = w | bit;
            v[n] = t;
            n += !(w & bit);
        }
        s->n = n;
    }
    return 0;
}

/* A folded text of up to this many bytes keeps its buffer for the next
 * text: a fresh one each time was an eighth of a build's page faults
 * (bench/PROFILE.md).  A larger one is freed, not to hold 3 bytes per
 * byte of the longest text. */
#define FOLD_KEPT ((size_t)1 << 20)

/* s's fold buffer, of at least need bytes; NULL out of memory. */
static char *
fold_buffer(trigset *s, size_t need)
{
    if (need > s->fold_cap) {
        char *f = malloc(need);
        if (!f)
            return NULL;
        free(s->fold);
        s->fold = f;
        s->fold_cap = need;
    }
    return s->fold;
}

int
trigram_extract_zones(const char *text, size_t len, size_t zone_bytes,
                      trigset *out)
{
    size_t nz = trigram_zones(len, zone_bytes), n, ends, from = 0, *marks;
    char *f;
    int rc = 0;

    out->n = 0;
    out->n_zones = 0;
    if (!out->seen && !(out->seen = calloc((size_t)1 << 18, 8)))
        return -1;
    if (nz > out->cap_zones) {
        size_t *z = realloc(out->zend, nz * sizeof *z);
        if (!z)
            return -1;
        out->zend = z;
        out->cap_zones = nz;
    }
    /* The zones' starts, then their folded offsets, in out->zend. */
    marks = calloc(nz, sizeof *marks);
    if (!marks || !(f = fold_buffer(out, len * 3 + 4))) {
        free(marks);
        return -1;
    }
    /* When zone k - 1 starts at or past k * zone_bytes (inside a long
     * line), zone k starts there too: no line starts between.  So a
     * 200 MB line is searched for its end once, not once a zone. */
    for (size_t k = 0; k < nz; k++)
        marks[k] = k && marks[k - 1] >= k * zone_bytes
                       ? marks[k - 1]
                       : trigram_zone_start(text, len, zone_bytes, k);
    n = fold_into(text, len, f, marks, nz, out->zend);
    ends = n > 2 ? n - 2 : 0;           /* trigrams start before ends */
    free(marks);
    /* A bit per possible trigram: test-and-set is one memory access,
     * and clearing afterwards touches only the bits that were set. */
    for (size_t k = 0; k < nz && !rc; k++) {
        size_t to = k + 1 < nz ? out->zend[k + 1] : n;
        if (to > ends)
            to = ends;
        rc = add_trigrams(out, (const unsigned char *)f, out->zend[k], to);
        for (size_t i = from; i < out->n; i++)
            out->seen[out->v[i] >> 6] = 0;
        from = out->n;
        out->zend[k] = out->n;
    }
    if (out->fold_cap > FOLD_KEPT) {
        free(out->fold);
        out->fold = NULL;
        out->fold_cap = 0;
    }
    out->n_zones = rc ? 0 : nz;
    return rc;
}

int
trigram_extract(const char *text, size_t len, trigset *out)
{
    return trigram_extract_zones(text, len, SIZE_MAX, out);
}

void
trigset_free(trigset *s)
{
    free(s->v);
    free(s->zend);
    free(s->seen);
    free(s->fold);
    memset(s, 0, sizeof *s);
}

void
trigset_swap_scratch(trigset *a, trigset *b)
{
    uint64_t *seen = a->seen;
    char *fold = a->fold;
    size_t fold_cap = a->fold_cap;

    a->seen = b->seen;
    a->fold = b->fold;
    a->fold_cap = b->fold_cap;
    b->seen = seen;
    b->fold = fold;
    b->fold_cap = fold_cap;
}

/* ---------------------------------------------------------------- */
/* Queries                                                           */
/* ---------------------------------------------------------------- */

static tq tq_all = { TQ_ALL, 0, NULL, 0 };
static tq tq_none = { TQ_NONE, 0, NULL, 0 };

static bool
is_static(const tq *q)
{
    return q == &tq_all || q == &tq_none;
}

void
tq_free(tq *q)
{
    if (!q || is_static(q))
        return;
    for (size_t i = 0; i < q->n_kids; i++)
        tq_free(q->kids[i]);
    free(q->kids);
    free(q);
}

static tq *
tq_tri(trigram t)
{
    tq *q = calloc(1, sizeof *q);

    if (q) {
        q->kind = TQ_TRI;
        q->tri = t;
    }
    return q;
}

/* "Some trigram that begins with bytes a, b" (TQ_PRE2). */
static tq *
tq_pre2(unsigned char a, unsigned char b)
{
    tq *q = tq_tri((trigram)a << 16 | (trigram)b << 8);

    if (q)
        q->kind = TQ_PRE2;
    return q;
}

/* a OP b, simplified: ALL and NONE absorb or vanish; same-kind nodes are
 * flattened.  Takes ownership of a and b; NULL when out of memory. */
static tq *
tq_op(tq_kind op, tq *a, tq *b)
{
    tq *q;
    size_t na, nb;

    if (!a || !b) {
        tq_free(a);
        tq_free(b);
        return NULL;
    }
    if (op == TQ_AND) {
        if (a->kind == TQ_NONE || b->kind == TQ_ALL) {
            tq_free(b);
            return a;
        }
        if (b->kind == TQ_NONE || a->kind == TQ_ALL) {
            tq_free(a);
            return b;
        }
    } else {
        if (a->kind == TQ_ALL || b->kind == TQ_NONE) {
            tq_free(b);
            return a;
        }
        if (b->kind == TQ_ALL || a->kind == TQ_NONE) {
            tq_free(a);
            return b;
        }
    }
    na = a->kind == op ? a->n_kids : 1;
    nb = b->kind == op ? b->n_kids : 1;
    q = calloc(1, sizeof *q);
    if (!q || !(q->kids = malloc((na + nb) * sizeof *q->kids))) {
        free(q);
        tq_free(a);
        tq_free(b);
        return NULL;
    }
    q->kind = op;
    for (int side = 0; side < 2; side++) {
        tq *x = side ? b : a;
        if (x->kind == op) {
            memcpy(q->kids + q->n_kids, x->kids, x->n_kids * sizeof *x->kids);
            q->n_kids += x->n_kids;
            free(x->kids);
            free(x);
        } else {
            q->kids[q->n_kids++] = x;
        }
    }
    return q;
}

/* The first n_bytes bytes of t, quoted, into buf (at least 24 bytes). */
static void
quote(trigram t, int n_bytes, char *buf)
{
    size_t k = 0;

    buf[k++] = '"';
    for (int i = 0; i < n_bytes; i++) {
        unsigned char c = (unsigned char)(t >> (16 - 8 * i));
        if (c == '"' || c == '\\')
            buf[k++] = '\\';
        if (c < 0x20 || c >= 0x7f)
            k += (size_t)snprintf(buf + k, 5, "\\x%02x", c);
        else
            buf[k++] = (char)c;
    }
    buf[k++] = '"';
    buf[k] = '\0';
}

static void
fmt(const tq *q, char *out, size_t cap, size_t *n)
{
#define PUT(s) do { size_t l_ = strlen(s); \
        if (*n + l_ < cap) { memcpy(out + *n, s, l_); *n += l_; } \
        out[*n < cap ? *n : cap - 1] = '\0'; } while (0)
    char buf[24];

    switch (q->kind) {
    case TQ_ALL:  PUT("ALL"); break;
    case TQ_NONE: PUT("NONE"); break;
    case TQ_TRI:
        quote(q->tri, 3, buf);
        PUT(buf);
        break;
    case TQ_PRE2:                               /* "ab"*: any third byte */
        quote(q->tri, 2, buf);
        PUT(buf);
        PUT("*");
        break;
    default:
        for (size_t i = 0; i < q->n_kids; i++) {
            bool paren = q->kids[i]->kind == TQ_AND ||
                         q->kids[i]->kind == TQ_OR;
            if (i)
                PUT(q->kind == TQ_AND ? " AND " : " OR ");
            if (paren)
                PUT("(");
            fmt(q->kids[i], out, cap, n);
            if (paren)
                PUT(")");
        }
    }
#undef PUT
}

void
tq_format(const tq *q, char *out, size_t cap)
{
    size_t n = 0;

    if (!cap)
        return;
    out[0] = '\0';
    fmt(q, out, cap, &n);
}

/* ---------------------------------------------------------------- */
/* String sets                                                       */
/* ---------------------------------------------------------------- */

typedef struct str {
    unsigned char len;
    char s[MAX_STR];
} str;

/* A set of strings; NULL-valued "v" with any = true means "unknown"
 * (every string: too many to track). */
typedef struct sset {
    str *v;
    size_t n;
    bool any;
    size_t cap;              /* of v */
} sset;

static void
sset_free(sset *s)
{
    free(s->v);
    s->v = NULL;
    s->n = 0;
    s->cap = 0;
}

static bool
sset_has(const sset *s, const char *p, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].len == len && memcmp(s->v[i].s, p, len) == 0)
            return true;
    return false;
}

static int
sset_add(sset *s, const char *p, size_t len)
{
    str *v;

    if (len > MAX_STR)
        len = MAX_STR;
    if (sset_has(s, p, len))
        return 0;
    if (s->n == s->cap) {
        /* Doubling: the cross products of classes add hundreds. */
        size_t cap = s->cap ? s->cap * 2 : 8;
        if (!(v = realloc(s->v, cap * sizeof *v)))
            return -1;
        s->v = v;
        s->cap = cap;
    }
    v = s->v;
    v[s->n].len = (unsigned char)len;
    memcpy(v[s->n].s, p, len);
    s->n++;
    return 0;
}

/* ---------------------------------------------------------------- */
/* Analysis                                                          */
/* ---------------------------------------------------------------- */

typedef struct info {
    bool emptyable;
    bool has_exact;          /* exact is valid */
    sset exact, prefix, suffix;
    tq *match;
} info;

static void
info_free(info *x)
{
    sset_free(&x->exact);
    sset_free(&x->prefix);
    sset_free(&x->suffix);
    tq_free(x->match);
    x->match = NULL;
}

/* Anything: one or more characters of any kind (emptyable when asked). */
static int
info_any(info *x, bool emptyable)
{
    memset(x, 0, sizeof *x);
    x->emptyable = emptyable;
    x->match = &tq_all;
    if (sset_add(&x->prefix, "", 0) || sset_add(&x->suffix, "", 0))
        return -1;
    return 0;
}

/* The empty string exactly (anchors, lookarounds, "()"). */
static int
info_empty(info *x)
{
    memset(x, 0, sizeof *x);
    x->emptyable = true;
    x->has_exact = true;
    x->match = &tq_all;
    return sset_add(&x->exact, "", 0);
}

/* AND of the trigrams of s: every string in set must hold... one of the
 * strings (OR over them) holds all its trigrams.  A string shorter than 3
 * bytes gives ALL. */
static tq *
or_of_strings(const sset *set)
{
    tq *q = &tq_none;

    if (set->any || set->n == 0)
        return &tq_all;
    for (size_t i = 0; i < set->n && q; i++) {
        const str *s = &set->v[i];
        tq *a = &tq_all;
        for (size_t k = 0; k + 3 <= s->len && a; k++)
            a = tq_op(TQ_AND, a, tq_tri((trigram)(unsigned char)s->s[k] << 16
                                        | (trigram)(unsigned char)s->s[k + 1]
                                        << 8 | (unsigned char)s->s[k + 2]));
        q = tq_op(TQ_OR, q, a);
    }
    return q;
}

/* Trade the exact set for prefix, suffix and match: called when it grows
 * too large, or when the strings are long enough to be worth it. */
static int
exact_to_match(info *x)
{
    tq *m;

    if (!x->has_exact)
        return 0;
    if (!(m = or_of_strings(&x->exact)))
        return -1;
    x->match = tq_op(TQ_AND, x->match, m);
    for (size_t i = 0; i < x->exact.n; i++) {
        const str *s = &x->exact.v[i];
        size_t p = s->len < 2 ? s->len : 2;
        if (sset_add(&x->prefix, s->s, p) ||
            sset_add(&x->suffix, s->s + s->len - p, p))
            return -1;
    }
    sset_free(&x->exact);
    x->has_exact = false;
    return x->match ? 0 : -1;
}

/* Cross product of two string sets into out (strings longer than MAX_STR
 * are cut, which only weakens the query).  keep_tail keeps their ends. */
static int
cross(const sset *a, const sset *b, sset *out, bool keep_tail)
{
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            char buf[2 * MAX_STR];
            size_t n = a->v[i].len + b->v[j].len, off = 0;
            memcpy(buf, a->v[i].s, a->v[i].len);
            memcpy(buf + a->v[i].len, b->v[j].s, b->v[j].len);
            if (n > MAX_STR && keep_tail)
                off = n - MAX_STR;
            if (sset_add(out, buf + off, n - off))
                return -1;
        }
    return 0;
}

static int
sset_union(sset *out, const sset *a)
{
    for (size_t i = 0; i < a->n; i++)
        if (sset_add(out, a->v[i].s, a->v[i].len))
            return -1;
    return 0;
}

/* Fold a prefix (or suffix) set into the query and keep only its first
 * (last) two bytes: enough for trigrams across a seam (codesearch's
 * simplifySet).  Shorter still when the set stays too large. */
static int
simplify_set(info *x, sset *set, bool suffix)
{
    tq *m = or_of_strings(set);

    if (!(x->match = tq_op(TQ_AND, x->match, m)))
        return -1;
    for (size_t keep = 2;; keep--) {
        sset t = { NULL, 0, false, 0 };
        for (size_t i = 0; i < set->n; i++) {
            const str *s = &set->v[i];
            size_t n = s->len < keep ? s->len : keep;
            if (sset_add(&t, suffix ? s->s + s->len - n : s->s, n)) {
                sset_free(&t);
                return -1;
            }
        }
        sset_free(set);
        *set = t;
        if (set->n <= MAX_SET || keep == 0)
            return 0;
    }
}

/* Keep the sets small: many or long exact strings become trigrams. */
static int
simplify(info *x)
{
    size_t min_len = MAX_STR;

    for (size_t i = 0; x->has_exact && i < x->exact.n; i++)
        if (x->exact.v[i].len < min_len)
            min_len = x->exact.v[i].len;
    if (x->has_exact && (x->exact.n > MAX_EXACT || min_len >= 8))
        if (exact_to_match(x))
            return -1;
    if (x->has_exact)
        return 0;
    return simplify_set(x, &x->prefix, false) ||
           simplify_set(x, &x->suffix, true) ? -1 : 0;
}

/* The length of the longest string of s. */
static size_t
max_len(const sset *s)
{
    size_t n = 0;

    for (size_t i = 0; i < s->n; i++)
        n = s->v[i].len > n ? s->v[i].len : n;
    return n;
}

/* x := x y (takes y). */
static int
concat(info *x, info *y)
{
    info z;
    sset mid = { NULL, 0, false, 0 };
    const sset *xs, *yp;

    memset(&z, 0, sizeof z);
    /* An exact string longer than MAX_STR would lose its end, which is
     * its suffix: trade x's strings for trigrams first. */
    if (x->has_exact && y->has_exact &&
        max_len(&x->exact) + max_len(&y->exact) > MAX_STR &&
        exact_to_match(x))
        goto oom;
    xs = x->has_exact ? &x->exact : &x->suffix;
    yp = y->has_exact ? &y->exact : &y->prefix;
    z.emptyable = x->emptyable && y->emptyable;
    z.match = tq_op(TQ_AND, x->match, y->match);
    x->match = y->match = NULL;
    if (!z.match)
        goto oom;
    if (x->has_exact && y->has_exact) {
        z.has_exact = true;
        if (cross(&x->exact, &y->exact, &z.exact, false))
            goto oom;
    } else {
        if (x->has_exact ? cross(&x->exact, yp, &z.prefix, false)
                         : sset_union(&z.prefix, &x->prefix) ||
                           (x->emptyable && sset_union(&z.prefix, yp)))
            goto oom;
        if (y->has_exact ? cross(xs, &y->exact, &z.suffix, true)
                         : sset_union(&z.suffix, &y->suffix) ||
                           (y->emptyable && sset_union(&z.suffix, xs)))
            goto oom;
    }
    /* Trigrams across the seam: one of x's suffixes, then one of y's
     * prefixes (when either side is exact, the crosses above hold it). */
    if (!x->has_exact && !y->has_exact && x->suffix.n <= MAX_SET &&
        y->prefix.n <= MAX_SET) {
        if (cross(&x->suffix, &y->prefix, &mid, false))
            goto oom;
        if (!(z.match = tq_op(TQ_AND, z.match, or_of_strings(&mid))))
            goto oom;
    }
    if (simplify(&z))
        goto oom;
    sset_free(&mid);
    info_free(x);
    info_free(y);
    *x = z;
    return 0;
oom:
    sset_free(&mid);
    info_free(&z);
    info_free(x);
    info_free(y);
    return -1;
}

/* x := x | y (takes y). */
static int
alternate(info *x, info *y)
{
    info z;

    memset(&z, 0, sizeof z);
    z.emptyable = x->emptyable || y->emptyable;
    if (x->has_exact && y->has_exact) {
        z.has_exact = true;
        if (sset_union(&z.exact, &x->exact) || sset_union(&z.exact, &y->exact))
            goto oom;
    } else {
        for (int side = 0; side < 2; side++) {
            info *s = side ? y : x;
            if (sset_union(&z.prefix, s->has_exact ? &s->exact : &s->prefix) ||
                sset_union(&z.suffix, s->has_exact ? &s->exact : &s->suffix))
                goto oom;
            if (s->has_exact) {
                /* Its strings' trigrams must join its side of the OR. */
                tq *m = or_of_strings(&s->exact);
                if (!(s->match = tq_op(TQ_AND, s->match, m)))
                    goto oom;
            }
        }
    }
    z.match = tq_op(TQ_OR, x->match, y->match);
    x->match = y->match = NULL;
    if (!z.match || simplify(&z))
        goto oom;
    info_free(x);
    info_free(y);
    *x = z;
    return 0;
oom:
    info_free(&z);
    info_free(x);
    info_free(y);
    return -1;
}

/* ---------------------------------------------------------------- */
/* The pattern parser                                                */
/* ---------------------------------------------------------------- */

typedef struct parser {
    const char *s;
    size_t len, pos;
    bool caseless;
    bool raw;                /* trigrams of the bytes matched, unfolded */
    bool give_up;            /* extended mode and the like: ALL */
    int depth;
} parser;

static int parse_alt(parser *p, info *out);

/* The bytes s[0..n) of the pattern as trigrams see them: case-folded as
 * the index folds text, or as they are in raw mode. */
static int
pattern_bytes(const parser *p, const char *s, size_t n, char **out,
              size_t *out_len)
{
    if (!p->raw)
        return trigram_fold(s, n, out, out_len);
    if (!(*out = malloc(n + 1)))
        return -1;
    memcpy(*out, s, n);
    *out_len = n;
    return 0;
}

/* One folded character (UTF-8 bytes) as an exact set. */
static int
info_char(info *x, const char *c, size_t n, const parser *p)
{
    char *f;
    size_t fl;
    int rc;

    /* PCRE2's caseless matching of a non-ASCII character (simple case
     * folding, Unicode case sets) and the index's full folding need not
     * agree ("ß", "ς", "İ"): claim nothing for such a character. */
    if (p->caseless && (unsigned char)c[0] >= 0x80)
        return info_any(x, false);
    memset(x, 0, sizeof *x);
    x->has_exact = true;
    x->match = &tq_all;
    if (pattern_bytes(p, c, n, &f, &fl))
        return -1;
    rc = sset_add(&x->exact, f, fl);
    free(f);
    return rc;
}

/* A class "[...]": its characters when few, else anything. */
static int
parse_class(parser *p, info *x)
{
    sset chars = { NULL, 0, false, 0 };
    bool negated = false, big = false;
    size_t start = p->pos;

    p->pos++;                                   /* '[' */
    if (p->pos < p->len && p->s[p->pos] == '^') {
        negated = true;
        p->pos++;
    }
    if (p->pos < p->len && p->s[p->pos] == ']') {
        if (sset_add(&chars, "]", 1))
            return -1;
        p->pos++;
    }
    while (p->pos < p->len && p->s[p->pos] != ']') {
        size_t n = 1;
        char c = p->s[p->pos];
        if (c == '[' && p->pos + 1 < p->len && p->s[p->pos + 1] == ':') {
            const char *end = strstr(p->s + p->pos, ":]");
            big = true;                         /* [:alpha:] */
            p->pos = end ? (size_t)(end - p->s) + 2 : p->len;
            continue;
        }
        if (c == '\\') {
            char e = p->pos + 1 < p->len ? p->s[p->pos + 1] : 0;
            /* \Q..\E quotes inside a class, and a lone \E is ignored:
             * "[\E]x]" is the class of ']' and 'x' (a ']' first is
             * literal).  Where such a class ends is not worth
             * following: the whole pattern claims nothing. */
            if (e == 'Q' || e == 'E') {
                sset_free(&chars);
                p->give_up = true;
                p->pos = p->len;
                return info_any(x, false);
            }
            p->pos += 2;
            /* Escaped letters and digits (\d \b \cA \o{..} \N{..}
             * \x..), or an escape that starts a range: too many forms to
             * follow; the class is then "any character".  Skip a braced
             * argument so that its '}' or ']' is not read as the class. */
            if (!e || (unsigned char)e >= 0x80 ||
                (e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
                (e >= 'A' && e <= 'Z') ||
                (p->pos + 1 < p->len && p->s[p->pos] == '-' &&
                 p->s[p->pos + 1] != ']')) {
                big = true;
                if (p->pos < p->len && p->s[p->pos] == '{') {
                    while (p->pos < p->len && p->s[p->pos] != '}')
                        p->pos++;
                    p->pos++;
                }
                continue;
            }
            if (!big && sset_add(&chars, &e, 1))
                return -1;
            continue;
        }
        if ((unsigned char)c >= 0x80)
            text_decode(p->s + p->pos, p->len - p->pos, &n);
        if (p->pos + n + 1 < p->len && p->s[p->pos + n] == '-' &&
            p->s[p->pos + n + 1] != ']') {
            /* A range: expand it when small and ASCII. */
            unsigned char lo = (unsigned char)c;
            unsigned char hi = (unsigned char)p->s[p->pos + n + 1];
            p->pos += n + 2;
            if (n > 1 || hi >= 0x80 || hi == '\\' || hi < lo ||
                hi - lo >= MAX_SET) {
                big = true;
                continue;
            }
            for (unsigned v = lo; v <= hi && !big; v++) {
                char ch = (char)v;
                if (sset_add(&chars, &ch, 1))
                    return -1;
            }
            continue;
        }
        if (!big && sset_add(&chars, p->s + p->pos, n))
            return -1;
        p->pos += n;
    }
    if (p->pos >= p->len) {
        p->pos = start + 1;                     /* unclosed: give up */
        p->give_up = true;
    } else {
        p->pos++;                               /* ']' */
    }
    for (size_t i = 0; p->caseless && i < chars.n; i++)
        big |= (unsigned char)chars.v[i].s[0] >= 0x80;   /* see info_char */
    if (negated || big || chars.n > MAX_SET || chars.n == 0) {
        sset_free(&chars);
        return info_any(x, false);
    }
    memset(x, 0, sizeof *x);
    x->has_exact = true;
    x->match = &tq_all;
    for (size_t i = 0; i < chars.n; i++) {
        char *f;
        size_t fl;
        if (pattern_bytes(p, chars.v[i].s, chars.v[i].len, &f, &fl) ||
            sset_add(&x->exact, f, fl)) {
            free(f);
            sset_free(&chars);
            return -1;
        }
        free(f);
    }
    sset_free(&chars);
    return 0;
}

/* "(...)": groups, and the (?...) forms. */
static int
parse_group(parser *p, info *x)
{
    const char *s = p->s;
    bool zero_width = false;
    int rc;

    p->pos++;                                   /* '(' */
    if (p->pos < p->len && s[p->pos] == '*') { /* (*VERB) */
        /* (*ACCEPT) ends a match before the rest of the pattern; raw
         * mode follows no verb (nor the (*pla:...) forms). */
        if (p->raw || (p->pos + 7 <= p->len &&
                       memcmp(s + p->pos, "*ACCEPT", 7) == 0))
            p->give_up = true;
        while (p->pos < p->len && s[p->pos] != ')')
            p->pos++;
        p->pos++;
        return info_empty(x);
    }
    if (p->pos < p->len && s[p->pos] == '?') {
        char c = p->pos + 1 < p->len ? s[p->pos + 1] : 0;
        if (c == ':' || c == '|' || c == '>') {
            p->pos += 2;
        } else if (c == '=' || c == '!') {
            p->pos += 2;
            zero_width = true;
        } else if (c == '<' && p->pos + 2 < p->len &&
                   (s[p->pos + 2] == '=' || s[p->pos + 2] == '!')) {
            p->pos += 3;
            zero_width = true;
        } else if (c == '<' || c == 'P' || c == '\'') {
            /* Named group (?<n>...), (?P<n>...), (?'n'...); (?P=n) is a
             * backreference and (?P>n) a call: anything. */
            if (c == 'P' && p->pos + 2 < p->len && s[p->pos + 2] != '<') {
                p->give_up = true;
                return info_any(x, true);
            }
            while (p->pos < p->len && s[p->pos] != '>' && s[p->pos] != '\'')
                p->pos++;
            if (c == '\'') {
                p->pos++;
                while (p->pos < p->len && s[p->pos] != '\'')
                    p->pos++;
            }
            p->pos++;
        } else {
            /* Inline flags (?i) (?-i) (?i:...) (?x)...: only i is followed;
             * x (extended) and anything unknown make us give up. */
            bool on = true, colon = false;
            for (p->pos++; p->pos < p->len && s[p->pos] != ')'; p->pos++) {
                char f = s[p->pos];
                if (f == '-')
                    on = false;
                else if (f == 'i') {
                    p->caseless = on;
                    p->give_up |= on && p->raw;  /* raw: case-sensitive */
                }
                else if (f == ':') {
                    colon = true;
                    p->pos++;
                    break;
                } else if (!strchr("msnJU^", f)) {
                    p->give_up = true;
                }
            }
            if (!colon) {
                p->pos++;                       /* ')' */
                return info_empty(x);
            }
        }
    }
    if (++p->depth > 200) {
        p->give_up = true;
        return info_any(x, true);
    }
    rc = parse_alt(p, x);
    p->depth--;
    if (rc)
        return rc;
    if (p->pos < p->len && s[p->pos] == ')')
        p->pos++;
    else
        p->give_up = true;
    if (zero_width) {
        info_free(x);
        return info_empty(x);
    }
    return 0;
}

/* Whether s[0..n) holds a non-ASCII byte. */
static bool
memchr_high(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* The literal f[0..fl), longer than a set's strings (MAX_STR), where
 * sset_add() would cut its end: its distinct trigrams, and its first and
 * last two bytes as prefix and suffix. */
static int
info_long(info *x, const char *f, size_t fl)
{
    memset(x, 0, sizeof *x);
    x->match = &tq_all;
    for (size_t k = 0; k + 3 <= fl && x->match; k++) {
        size_t j = 0;
        while (j < k && memcmp(f + j, f + k, 3) != 0)
            j++;
        if (j == k)
            x->match = tq_op(TQ_AND, x->match,
                             tq_tri((trigram)(unsigned char)f[k] << 16 |
                                    (trigram)(unsigned char)f[k + 1] << 8 |
                                    (unsigned char)f[k + 2]));
    }
    if (!x->match || sset_add(&x->prefix, f, 2) ||
        sset_add(&x->suffix, f + fl - 2, 2))
        return -1;
    return 0;
}

/* \Q...\E after "\Q": a literal run, as an exact string. */
static int
parse_quoted(parser *p, info *x)
{
    const char *start = p->s + p->pos, *end = strstr(start, "\\E");
    size_t n = end ? (size_t)(end - start) : p->len - p->pos;
    char *f;
    size_t fl;
    int rc;

    p->pos += n + (end ? 2 : 0);
    if ((p->pos < p->len && strchr("*+?{", p->s[p->pos])) ||
        (p->caseless && memchr_high(start, n))) {
        /* A quantifier applies to the last quoted character only;
         * rather than split the run, claim nothing for it. */
        return info_any(x, true);
    }
    if (pattern_bytes(p, start, n, &f, &fl))
        return -1;
    if (fl > MAX_STR) {
        rc = info_long(x, f, fl);
    } else {
        memset(x, 0, sizeof *x);
        x->has_exact = true;
        x->emptyable = n == 0;
        x->match = &tq_all;
        rc = sset_add(&x->exact, f, fl);
        if (!rc && fl >= 3)
            rc = exact_to_match(x);
    }
    free(f);
    return rc;
}

/* An escape after '\'. */
static int
parse_escape(parser *p, info *x)
{
    char e = p->pos + 1 < p->len ? p->s[p->pos + 1] : 0;
    const char *lit;

    p->pos += 2;
    if (!e) {
        p->give_up = true;
        return info_any(x, true);
    }
    /* \K: the match reported starts after text the analysis counts in
     * it, perhaps lines before; raw mode promises the match's own bytes. */
    if (e == 'K' && p->raw)
        p->give_up = true;
    if (strchr("bBAzZGK", e))
        return info_empty(x);
    if (e == 'Q')
        return parse_quoted(p, x);
    if (e == 'p' || e == 'P' || e == 'x' || e == 'o' || e == 'g' ||
        e == 'k' || e == 'N' || e == 'c') {
        /* \p{..} \x{..} \g{..} \k<..> \k'..': skip the argument;
         * anything. */
        if (p->pos < p->len && p->s[p->pos] && strchr("{<'", p->s[p->pos])) {
            char close = p->s[p->pos] == '{' ? '}' : p->s[p->pos] == '<' ?
                         '>' : '\'';
            p->pos++;
            while (p->pos < p->len && p->s[p->pos] != close)
                p->pos++;
            p->pos++;
        } else if (e == 'g') {                  /* \g1, \g-1 */
            if (p->pos < p->len && (p->s[p->pos] == '-' ||
                                    p->s[p->pos] == '+'))
                p->pos++;
            while (p->pos < p->len && p->s[p->pos] >= '0' &&
                   p->s[p->pos] <= '9')
                p->pos++;
        } else if (e == 'x') {
            while (p->pos < p->len && strchr("0123456789abcdefABCDEF",
                                             p->s[p->pos]) && p->s[p->pos])
                p->pos++;
        } else if (e == 'c' || e == 'p' || e == 'P') {
            p->pos++;
        }
        return info_any(x, e == 'g' || e == 'k');
    }
    if (e >= '0' && e <= '9') {
        /* A backreference or an octal character: its digits run on
         * (\124, \0123, \12); claim nothing for them. */
        for (int k = 0; k < 3 && p->pos < p->len && p->s[p->pos] >= '0' &&
             p->s[p->pos] <= '9'; k++)
            p->pos++;
        return info_any(x, true);
    }
    if (strchr("dDwWsShHvVRX", e))
        return info_any(x, false);
    switch (e) {
    case 'n': lit = "\n"; break;
    case 't': lit = "\t"; break;
    case 'r': lit = "\r"; break;
    case 'f': lit = "\f"; break;
    case 'a': lit = "\a"; break;
    case 'e': lit = "\033"; break;
    default:
        if ((unsigned char)e >= 0x80 || (e >= 'a' && e <= 'z') ||
            (e >= 'A' && e <= 'Z'))
            return info_any(x, true);           /* unknown: play safe */
        return info_char(x, &e, 1, p);
    }
    return info_char(x, lit, 1, p);
}

/* One atom: a character, class, group, escape, '.', anchor. */
static int
parse_atom(parser *p, info *x)
{
    const char *s = p->s;
    size_t n = 1;
    char c = s[p->pos];

    switch (c) {
    case '(':
        return parse_group(p, x);
    case '[':
        return parse_class(p, x);
    case '\\':
        return parse_escape(p, x);
    case '.':
        p->pos++;
        return info_any(x, false);
    case '^':
    case '$':
        p->pos++;
        return info_empty(x);
    default:
        break;
    }
    if ((unsigned char)c >= 0x80)
        text_decode(s + p->pos, p->len - p->pos, &n);
    p->pos += n;
    return info_char(x, s + p->pos - n, n, p);
}

/* The quantifier after an atom, if any (resyntax.h): min and max (max
 * -1: no bound).  Another '{' is a literal (parse_atom()), unless some
 * PCRE2 would read it as a quantifier: then the query is ALL. */
static bool
parse_quant(parser *p, long *min, long *max)
{
    int rc = resyntax_quant(p->s, p->len, &p->pos, min, max);

    if (rc < 0)
        p->give_up = true;
    return rc > 0;
}

/* Apply a quantifier to x. */
static int
repeat(info *x, long min, long max)
{
    if (min == 0 && max == 1) {                 /* x? = x | "" */
        x->emptyable = true;
        if (x->has_exact)
            return sset_add(&x->exact, "", 0) ? -1 : 0;
        tq_free(x->match);
        x->match = &tq_all;
        /* What comes before and after may meet directly. */
        return sset_add(&x->prefix, "", 0) || sset_add(&x->suffix, "", 0)
               ? -1 : 0;
    }
    if (min == 0) {                             /* x* x{0,n} */
        info_free(x);
        return info_any(x, true);
    }
    if (min == 1 && max == 1)
        return 0;
    /* x+ x{n,m} with n >= 1: starts and ends like x and holds what x
     * holds; only the exact strings are lost. */
    return exact_to_match(x);
}

/* Whether every document q keeps holds a trigram that ends with one of
 * the 2-byte strings of tails (as far as q's shape shows). */
static bool
ends_in(const tq *q, const sset *tails)
{
    char t[2];

    switch (q->kind) {
    case TQ_TRI:
        t[0] = (char)(q->tri >> 8);
        t[1] = (char)q->tri;
        return sset_has(tails, t, 2);
    case TQ_AND:
        for (size_t i = 0; i < q->n_kids; i++)
            if (ends_in(q->kids[i], tails))
                return true;
        return false;
    case TQ_OR:
        for (size_t i = 0; i < q->n_kids; i++)
            if (!ends_in(q->kids[i], tails))
                return false;
        return true;
    default:
        return false;
    }
}

/* What a match of x followed by at least one more byte holds: for the
 * strings S one of which ends every match of x (its exact set, else its
 * suffix set), a trigram that begins with the last two bytes of one of
 * them.  ALL when some string of S is shorter than 2 bytes (the byte
 * before it is unknown) or S has more than MAX_PRE2 tails.  The bytes
 * are those of the folded text (or of the text in raw mode), as S's are;
 * no character folds to nothing, so the byte after is in the match.
 * ALL too when x's query already holds a trigram ending in a tail (an
 * exact string of 3 bytes or more will): the trigram after it is then
 * missing only at the end of a text, not worth a range of lists. */
static tq *
pre2_of(const info *x)
{
    const sset *set = x->has_exact ? &x->exact : &x->suffix;
    sset tails = { NULL, 0, false, 0 };
    bool covered = x->has_exact;
    tq *q = &tq_none;

    if (set->any || set->n == 0)
        return &tq_all;
    for (size_t i = 0; i < set->n; i++) {
        const str *s = &set->v[i];
        if (s->len < 2 || (!sset_has(&tails, s->s + s->len - 2, 2) &&
                           tails.n == MAX_PRE2)) {
            sset_free(&tails);
            return &tq_all;
        }
        covered &= s->len >= 3;
        if (sset_add(&tails, s->s + s->len - 2, 2)) {
            sset_free(&tails);
            return NULL;
        }
    }
    if (covered || (!x->has_exact && ends_in(x->match, &tails))) {
        sset_free(&tails);
        return &tq_all;
    }
    for (size_t i = 0; i < tails.n && q; i++)
        q = tq_op(TQ_OR, q, tq_pre2((unsigned char)tails.v[i].s[0],
                                    (unsigned char)tails.v[i].s[1]));
    sset_free(&tails);
    return q;
}

/* Whether what a may start with is unknown: then concat()'s trigrams
 * across the seam before a are ALL, and pre2_of() may say more.  An
 * exact a keeps the strings before it in the cross product, to the next
 * seam; a known prefix gives real seam trigrams, which say more. */
static bool
starts_unknown(const info *a)
{
    return !a->has_exact && (a->prefix.any || sset_has(&a->prefix, "", 0));
}

/* A concatenation: atoms with quantifiers, up to '|' or ')'.  Besides
 * concat()'s rules, at every seam whose next atom starts unknown: if
 * anything after the seam cannot match the empty string, every match of
 * the part before it is followed by a byte of the match, so pre2_of()
 * holds ("\$[0-9]" before "[0-9,.]* ?(million|billion)").  That holds
 * once such an atom comes; until then the query waits in pending. */
static int
parse_concat(parser *p, info *out)
{
    tq *pending = &tq_all;

    if (info_empty(out))
        return -1;
    while (p->pos < p->len && p->s[p->pos] != '|' && p->s[p->pos] != ')') {
        info a;
        long min, max;
        bool a_emptyable;
        if (parse_atom(p, &a))
            goto oom;
        if (parse_quant(p, &min, &max) && repeat(&a, min, max)) {
            info_free(&a);
            goto oom;
        }
        if (starts_unknown(&a) &&
            !(pending = tq_op(TQ_AND, pending, pre2_of(out)))) {
            info_free(&a);
            return -1;
        }
        a_emptyable = a.emptyable;
        if (concat(out, &a))
            goto oom;
        if (!a_emptyable) {
            out->match = tq_op(TQ_AND, out->match, pending);
            pending = &tq_all;
            if (!out->match)
                return -1;
        }
    }
    tq_free(pending);
    return 0;
oom:
    tq_free(pending);
    return -1;
}

static int
parse_alt(parser *p, info *out)
{
    bool caseless = p->caseless;

    if (parse_concat(p, out))
        return -1;
    while (p->pos < p->len && p->s[p->pos] == '|') {
        info b;
        p->pos++;
        if (parse_concat(p, &b) || alternate(out, &b))
            return -1;
    }
    p->caseless = caseless;                     /* (?i) ends with its group */
    return 0;
}

static tq *
analyze(const char *pattern, bool caseless, bool raw)
{
    parser p = { pattern, strlen(pattern), 0, caseless, raw, false, 0 };
    info x;
    tq *q, *m;

    if (parse_alt(&p, &x))
        return NULL;
    if (p.pos < p.len)
        p.give_up = true;                       /* a stray ')' */
    if (p.give_up) {
        info_free(&x);
        return &tq_all;
    }
    m = x.has_exact ? or_of_strings(&x.exact) : &tq_all;
    q = tq_op(TQ_AND, x.match, m);
    x.match = NULL;
    info_free(&x);
    return q;
}

tq *
trigram_analyze(const char *pattern, bool caseless)
{
    return analyze(pattern, caseless, false);
}

tq *
trigram_analyze_bytes(const char *pattern)
{
    return analyze(pattern, false, true);
}

tq *
trigram_analyze_any(const char *const *patterns, size_t n, bool caseless)
{
    tq *q = &tq_none;

    for (size_t i = 0; i < n && q; i++)
        q = tq_op(TQ_OR, q, trigram_analyze(patterns[i], caseless));
    return q;
}
