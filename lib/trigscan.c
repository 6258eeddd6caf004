/*
 * trigscan.c: the trigrams of a query one of which every match holds,
 * and a search for them.  A trigram query is a boolean of trigrams; an
 * OR needs one trigram of each branch's set, an AND any one branch's set,
 * so one set that every satisfying string hits falls out bottom-up: the
 * union under OR, the cheapest branch under AND.  Each trigram is looked
 * for by its rarest byte (its anchor): the text is scanned 16 bytes at a
 * time for the anchors, and the bytes around a hit are checked against
 * the trigrams of that anchor.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "literal.h"
#include "trigscan.h"

/* Deeper queries are not searched for a set (each level holds two on the
 * stack); a query that deep comes from a pattern no scan would help. */
#define MAX_DEPTH 24

/* Stops of trigscan_find()'s quick loop on an anchor not followed by a
 * follower, after which it tests the followers in every step. */
#define IDLE_STOPS 8

typedef struct tset {
    trigram v[TRIGSCAN_MAX];
    size_t n;
} tset;

static unsigned char
byte_at(trigram t, int k)
{
    return (unsigned char)(t >> (16 - 8 * k));
}

/* How common byte c is, as literal_frequency() has it but with UTF-8's
 * bytes told apart: a lead byte, or 0x80 (the middle byte of U+2000 to
 * U+203F: quotes, dashes, the ellipsis), is more common than the last
 * byte that tells such characters apart (0x93 of the en dash). */
static int
frequency(unsigned char c)
{
    return literal_frequency(c) + (c >= 0xC0 || c == 0x80 ? 5 : 0);
}

/* The offset of t's rarest byte; of equals the middle one, then the
 * first: an anchor with a byte after it can be checked with that byte
 * (trigscan.h), and in UTF-8 the later bytes tell characters apart. */
static int
anchor_of(trigram t)
{
    static const int order[3] = { 1, 0, 2 };
    int best = 1;

    for (int i = 1; i < 3; i++)
        if (frequency(byte_at(t, order[i])) < frequency(byte_at(t, best)))
            best = order[i];
    return best;
}

/* What looking for s costs: the frequency of its most common anchor
 * first, then how many anchors and trigrams it has; -1 when it has more
 * anchors than the scan compares. */
static long
cost(const tset *s)
{
    unsigned char seen[256] = { 0 };
    int worst = 0;
    size_t n_anchors = 0;

    for (size_t i = 0; i < s->n; i++) {
        unsigned char a = byte_at(s->v[i], anchor_of(s->v[i]));
        int f = frequency(a);
        if (!seen[a]++)
            n_anchors++;
        worst = f > worst ? f : worst;
    }
    if (n_anchors > TRIGSCAN_ANCHORS)
        return -1;
    return (long)worst * 4096 + (long)n_anchors * 512 + (long)s->n;
}

/* out := out | {t}; false when out is full. */
static bool
add(tset *out, trigram t)
{
    size_t i = 0;

    while (i < out->n && out->v[i] < t)
        i++;
    if (i < out->n && out->v[i] == t)
        return true;
    if (out->n == TRIGSCAN_MAX)
        return false;
    memmove(out->v + i + 1, out->v + i, (out->n - i) * sizeof *out->v);
    out->v[i] = t;
    out->n++;
    return true;
}

/* A set of trigrams every string satisfying q holds one of, into *out;
 * false when there is none within the limits. */
static bool
pick(const tq *q, tset *out, int depth)
{
    tset kid;
    long best = -1;

    out->n = 0;
    if (depth > MAX_DEPTH)
        return false;
    switch (q->kind) {
    case TQ_TRI:
        out->v[0] = q->tri;
        out->n = 1;
        return true;
    case TQ_OR:
        for (size_t i = 0; i < q->n_kids; i++) {
            if (!pick(q->kids[i], &kid, depth + 1))
                return false;
            for (size_t j = 0; j < kid.n; j++)
                if (!add(out, kid.v[j]))
                    return false;
        }
        return cost(out) >= 0;
    case TQ_AND:
        for (size_t i = 0; i < q->n_kids; i++) {
            long c;
            if (!pick(q->kids[i], &kid, depth + 1) || (c = cost(&kid)) < 0)
                continue;
            if (best < 0 || c < best) {
                best = c;
                *out = kid;
            }
        }
        return best >= 0;
    case TQ_PRE2:
        /* "Some trigram after these two bytes": no set of trigrams says
         * that, so nothing is needed, as for ALL. */
        return false;
    default:
        return false;           /* ALL: nothing is needed; NONE: unused */
    }
}

static int
cmp_trigram(const void *x, const void *y)
{
    trigram a = *(const trigram *)x, b = *(const trigram *)y;

    return (a > b) - (a < b);
}

static bool
has(const uint64_t *set, unsigned char c)
{
    return set[c >> 6] >> (c & 63) & 1;
}

/* Describe the bytes that follow anchor a in its trigrams as a range and
 * up to TRIGSCAN_FOLLOW others (ts->lo, hi, follow), or leave the anchor
 * unfiltered when one of them ends with it or they do not fit. */
static void
follow_set(trigscan *ts, size_t a)
{
    uint64_t set[4] = { 0 };
    size_t run = 0, best = 0, best_end = 0;

    if (ts->group[a][2].n)
        return;
    for (int k = 0; k < 2; k++) {
        const trigscan_group *g = &ts->group[a][k];
        for (size_t i = g->first; i < g->first + g->n; i++) {
            unsigned char c = byte_at(ts->v[i], k + 1);
            set[c >> 6] |= (uint64_t)1 << (c & 63);
        }
    }
    for (size_t c = 0; c < 256; c++) {
        run = has(set, (unsigned char)c) ? run + 1 : 0;
        if (run > best) {
            best = run;
            best_end = c;
        }
    }
    ts->lo[a] = (unsigned char)(best_end + 1 - best);
    ts->hi[a] = (unsigned char)best_end;
    for (size_t c = 0; c < 256; c++) {
        if (!has(set, (unsigned char)c) || (c >= ts->lo[a] && c <= ts->hi[a]))
            continue;
        if (ts->n_follow[a] == TRIGSCAN_FOLLOW) {
            ts->n_follow[a] = 0;
            return;
        }
        ts->follow[a][ts->n_follow[a]++] = (unsigned char)c;
    }
    ts->filtered[a] = true;
    ts->any_filtered = true;
}

bool
trigscan_build(const tq *q, trigscan *out)
{
    tset s;
    size_t at = 0;

    memset(out, 0, sizeof *out);
    if (!pick(q, &s, 0) || s.n == 0)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char a = byte_at(s.v[i], anchor_of(s.v[i]));
        int f = literal_frequency(a);
        if (!out->slot[a]) {
            out->anchor[out->n_anchors++] = a;
            out->slot[a] = (unsigned char)out->n_anchors;
        }
        out->frequency = f > out->frequency ? f : out->frequency;
    }
    /* Group by anchor and offset, each group sorted for bsearch(). */
    for (size_t a = 0; a < out->n_anchors; a++)
        for (int k = 0; k < 3; k++) {
            trigscan_group *g = &out->group[a][k];
            g->first = at;
            for (size_t i = 0; i < s.n; i++) {
                int o = 0;
                if (anchor_of(s.v[i]) != k ||
                    byte_at(s.v[i], k) != out->anchor[a])
                    continue;
                out->v[at++] = s.v[i];
                for (int j = 0; j < 3; j++) {
                    unsigned char c = byte_at(s.v[i], j);
                    if (j == k)
                        continue;
                    g->other[o++][c >> 6] |= (uint64_t)1 << (c & 63);
                }
            }
            g->n = at - g->first;
        }
    out->n = at;
    for (size_t a = 0; a < out->n_anchors; a++)
        follow_set(out, a);
    return true;
}

/* The earliest trigram of ts that starts in s[0..len) and has its anchor
 * at s[i]; NULL when none does. */
static const char *
check(const trigscan *ts, const char *s, size_t len, size_t i)
{
    size_t slot = ts->slot[(unsigned char)s[i]];

    for (int k = 2; k >= 0; k--) {
        const trigscan_group *g = &ts->group[slot - 1][k];
        const unsigned char *p = (const unsigned char *)s + i - k;
        unsigned char c1, c2;
        trigram t;
        if (g->n == 0 || i < (size_t)k || i - (size_t)k + 3 > len)
            continue;
        c1 = p[k == 0 ? 1 : 0];
        c2 = p[k == 2 ? 1 : 2];
        if (!has(g->other[0], c1) || !has(g->other[1], c2))
            continue;
        t = (trigram)p[0] << 16 | (trigram)p[1] << 8 | p[2];
        if (bsearch(&t, ts->v + g->first, g->n, sizeof t, cmp_trigram))
            return (const char *)p;
    }
    return NULL;
}

#if defined(__SSE2__)
/* The anchors and the bytes that follow them as vectors: two or four
 * anchors, the last repeated, so that the loops have a fixed shape; for
 * each, its followers' range (lo and hi - lo) and other bytes (the range's
 * first byte again where there are fewer). */
typedef struct vecs {
    __m128i v[TRIGSCAN_ANCHORS], f[TRIGSCAN_ANCHORS][TRIGSCAN_FOLLOW];
    __m128i lo[TRIGSCAN_ANCHORS], width[TRIGSCAN_ANCHORS];
    bool four;
} vecs;

static void
vecs_init(vecs *w, const trigscan *ts)
{
    w->four = ts->n_anchors > 2;
    for (size_t a = 0; a < TRIGSCAN_ANCHORS; a++) {
        size_t b = a < ts->n_anchors ? a : ts->n_anchors - 1;
        /* An anchor without a filter: any next byte is in range. */
        bool f = ts->filtered[b];
        w->v[a] = _mm_set1_epi8((char)ts->anchor[b]);
        w->lo[a] = _mm_set1_epi8(f ? (char)ts->lo[b] : 0);
        w->width[a] = _mm_set1_epi8(f ? (char)(ts->hi[b] - ts->lo[b])
                                      : (char)0xff);
        for (size_t j = 0; j < TRIGSCAN_FOLLOW; j++)
            w->f[a][j] = _mm_set1_epi8((char)(j < ts->n_follow[b] ?
                                              ts->follow[b][j] : ts->lo[b]));
    }
}

/* The bytes of x that are anchors (0xff) and the others (0). */
static inline __m128i
anchors_in(const vecs *w, __m128i x)
{
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, w->v[0]),
                               _mm_cmpeq_epi8(x, w->v[1]));

    if (w->four)
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(x, w->v[2]),
                                             _mm_cmpeq_epi8(x, w->v[3])));
    return hit;
}

/* The bytes of x that are anchor a with one of its followers next (y is
 * x a byte on). */
static inline __m128i
anchor_hits(const vecs *w, size_t a, __m128i x, __m128i y)
{
    /* y - lo <= hi - lo, unsigned: y in the range. */
    __m128i d = _mm_sub_epi8(y, w->lo[a]);
    __m128i next = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(d, w->width[a]), d),
        _mm_or_si128(_mm_cmpeq_epi8(y, w->f[a][0]),
                     _mm_or_si128(_mm_cmpeq_epi8(y, w->f[a][1]),
                                  _mm_cmpeq_epi8(y, w->f[a][2]))));

    return _mm_and_si128(_mm_cmpeq_epi8(x, w->v[a]), next);
}

/* The positions in s[i..i + 16) worth a check(): anchors, and for a
 * filtered anchor only where one of its followers comes next (a '-' in
 * prose is not followed by a digit).  Reads s[i + 16]. */
static inline __m128i
block(const vecs *w, const char *s, size_t i)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
    __m128i y = _mm_loadu_si128((const __m128i *)(s + i + 1));
    __m128i hit = _mm_or_si128(anchor_hits(w, 0, x, y),
                               anchor_hits(w, 1, x, y));

    if (w->four)
        hit = _mm_or_si128(hit, _mm_or_si128(anchor_hits(w, 2, x, y),
                                             anchor_hits(w, 3, x, y)));
    return hit;
}

/* block() as a bit mask; an anchor alone when none is filtered. */
static inline unsigned
worth(const trigscan *ts, const vecs *w, const char *s, size_t i)
{
    if (!ts->any_filtered)
        return (unsigned)_mm_movemask_epi8(
            anchors_in(w, _mm_loadu_si128((const __m128i *)(s + i))));
    return (unsigned)_mm_movemask_epi8(block(w, s, i));
}
#endif

const char *
trigscan_find(const trigscan *ts, const char *s, size_t len)
{
    const char *o;
    size_t i = 0;

#if defined(__SSE2__)
    {
        vecs w;
        unsigned m;
        vecs_init(&w, ts);
        size_t idle = 0;
        /* 64 bytes a step while nothing worth a check shows, which is
         * most steps.  An anchor alone is looked for first (a compare a
         * vector); once IDLE_STOPS of those stops found no follower, the
         * anchor is common in this text (a '-' in reStructuredText), and
         * the steps test the followers too.  The prefetch, a few pages
         * ahead, measured 5-10 % faster on large/ (each document's text
         * starts cold). */
        for (; i + 65 <= len; i += 64) {
            const __m128i *p = (const __m128i *)(s + i);
            bool found = false;
            __m128i any = idle < IDLE_STOPS ? _mm_or_si128(
                _mm_or_si128(anchors_in(&w, _mm_loadu_si128(p)),
                             anchors_in(&w, _mm_loadu_si128(p + 1))),
                _mm_or_si128(anchors_in(&w, _mm_loadu_si128(p + 2)),
                             anchors_in(&w, _mm_loadu_si128(p + 3))))
                : _mm_or_si128(
                _mm_or_si128(block(&w, s, i), block(&w, s, i + 16)),
                _mm_or_si128(block(&w, s, i + 32), block(&w, s, i + 48)));
            if (i + 2048 < len)
                _mm_prefetch(s + i + 2048, _MM_HINT_T0);
            if (!_mm_movemask_epi8(any))
                continue;
            for (size_t j = i; j < i + 64; j += 16)
                for (m = worth(ts, &w, s, j); m; m &= m - 1) {
                    found = true;
                    if ((o = check(ts, s, len, j + (size_t)__builtin_ctz(m))))
                        return o;
                }
            idle += !found;
        }
        for (; i + 17 <= len; i += 16)
            for (m = worth(ts, &w, s, i); m; m &= m - 1)
                if ((o = check(ts, s, len, i + (size_t)__builtin_ctz(m))))
                    return o;
    }
#endif
    for (; i < len; i++)
        if (ts->slot[(unsigned char)s[i]] && (o = check(ts, s, len, i)))
            return o;
    return NULL;
}
