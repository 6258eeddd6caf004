/*
 * cite.c: locating a hit's matches.  The passage is tokenized again (its
 * positions count from 0, as the postings store them); a token is a match
 * when a positive leaf has an occurrence covering its position and the
 * token's word is one of the leaf's words.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cite.h"
#include "regex.h"
#include "text.h"

void
cite_match_set(brief_match *m, const char *text, const passage *p,
               cite_memo *memo)
{
    cite_pos a, b;

    cite_locate_memo(memo, text, p->line_begin, p->line_start,
                     m->byte_start, &a);
    cite_locate_memo(memo, text, p->line_begin, p->line_start, m->byte_end,
                     &b);
    m->line = a.line;
    m->column = a.column;
    m->column_char = a.column_char;
    m->column_utf16 = a.column_utf16;
    m->end_line = b.line;
    m->end_column = b.column;
    m->end_column_char = b.column_char;
    m->end_column_utf16 = b.column_utf16;
}

static int regex_spans(regex *re, const char *text, size_t len,
                       const passage *p, cite_memo *memo, brief_match **out,
                       size_t *n, size_t *cap);

/* The index of id in leaf l's list, or -1. */
static long
find(const plist *l, uint64_t id)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->ids[lo] == id ? (long)lo : -1;
}

/* Positions below this are looked up in a bitmap per leaf; a passage
 * holds far fewer tokens, and later ones take the slow path. */
#define COVER_BITS POSTINGS_MAX_TF
#define COVER_WORDS (COVER_BITS / 64)

/* Whether leaf l (at index at of its list) covers position pos. */
static bool
covers(const eleaf *l, long at, uint32_t pos)
{
    ppos scratch[POSTINGS_MAX_TF];
    const ppos *ps = plist_pos(&l->list, (size_t)at, scratch);

    for (uint32_t i = 0; i < l->list.tf[at]; i++)
        if (ps[i] <= pos && pos < ps[i] + l->span)
            return true;
    return false;
}

/* Mark in bits[COVER_WORDS] the positions below COVER_BITS that leaf l
 * (at index at of its list) covers; returns the first position after
 * its last occurrence. */
static uint32_t
cover_build(const eleaf *l, long at, uint64_t *bits)
{
    ppos scratch[POSTINGS_MAX_TF];
    const ppos *ps = plist_pos(&l->list, (size_t)at, scratch);
    uint32_t end = 0;

    for (uint32_t i = 0; i < l->list.tf[at]; i++) {
        for (uint32_t q = ps[i]; q < ps[i] + l->span && q < COVER_BITS; q++)
            bits[q / 64] |= (uint64_t)1 << (q % 64);
        if (ps[i] + l->span > end)
            end = ps[i] + l->span;
    }
    return end;
}

static bool
cover_has(const eleaf *l, long at, const uint64_t *bits, uint32_t pos)
{
    if (pos >= COVER_BITS)
        return covers(l, at, pos);
    return bits[pos / 64] >> (pos % 64) & 1;
}

/* The first position from pos on that any covers, or pos itself when it
 * is past the bitmap (such positions are each looked at). */
static uint32_t
next_covered(const uint64_t *any, uint32_t pos)
{
    size_t w = pos / 64;
    uint64_t m;

    if (pos >= COVER_BITS)
        return pos;
    for (m = any[w] & (~(uint64_t)0 << (pos % 64)); !m; m = any[w])
        if (++w == COVER_WORDS)
            return COVER_BITS;
    return (uint32_t)(w * 64 + (size_t)__builtin_ctzll(m));
}

int
cite_matches(tokenizer *tk, const eleaf *leaves, size_t n_leaves,
             uint64_t id, const char *text, size_t len,
             const passage *p, cite_memo *memo, brief_match **out,
             size_t *n, size_t *cap)
{
    /* Each leaf's bitmap, set only for the leaves the passage has: a
     * query of a few leaves needs no allocation at all. */
    enum { STACK_LEAVES = 4 };
    long at_stack[STACK_LEAVES], *at = at_stack;
    uint64_t bits_stack[STACK_LEAVES * COVER_WORDS], *bits = bits_stack;
    uint64_t any[COVER_WORDS] = { 0 };  /* covered by some leaf */
    size_t last_end = 0;
    uint32_t end = 0;
    token tok;
    int rc = 0;

    *n = 0;
    if (n_leaves > STACK_LEAVES) {
        at = malloc(n_leaves * sizeof *at);
        bits = malloc(n_leaves * COVER_WORDS * 8);
        if (!at || !bits) {
            free(at);
            free(bits);
            return -1;
        }
    }
    for (size_t i = 0; i < n_leaves; i++) {
        at[i] = leaves[i].scoring ? find(&leaves[i].list, id) : -1;
        if (at[i] >= 0 && !leaves[i].re) {
            uint64_t *b = bits + i * COVER_WORDS;
            uint32_t e;
            memset(b, 0, COVER_WORDS * 8);
            e = cover_build(&leaves[i], at[i], b);
            end = e > end ? e : end;
            for (size_t w = 0; w < COVER_WORDS; w++)
                any[w] |= b[w];
        }
    }
    /* No token after the last covered position can be a match, and the
     * tokens before the next covered one are passed over unread. */
    tokenizer_reset(tk, text + p->byte_start, p->byte_end - p->byte_start, 0);
    tokenizer_lazy(tk);     /* only covered tokens' words are compared */
    for (;;) {
        bool hit = false;
        uint32_t want = next_covered(any, tokenizer_pos(tk));
        if (want >= end)
            break;
        tokenizer_skip(tk, want);
        if (!tokenizer_next(tk, &tok) || tok.pos >= end)
            break;
        brief_match *m;
        if (*n && p->byte_start + tok.start < last_end)
            continue;
        for (size_t i = 0; i < n_leaves && !hit; i++) {
            if (at[i] < 0 || leaves[i].re ||
                !cover_has(&leaves[i], at[i], bits + i * COVER_WORDS,
                           tok.pos))
                continue;
            if (!leaves[i].any_word)
                tokenizer_word(tk, &tok);
            hit = leaves[i].any_word ||
                  eval_leaf_has_word(&leaves[i], tok.word, tok.word_len);
        }
        if (!hit)
            continue;
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            brief_match *q = realloc(*out, c * sizeof *q);
            if (!q) {
                rc = -1;
                goto out;
            }
            *out = q;
            *cap = c;
        }
        m = &(*out)[(*n)++];
        m->byte_start = p->byte_start + tok.start;
        m->byte_end = p->byte_start + tok.end;
        cite_match_set(m, text, p, memo);
        last_end = m->byte_end;
    }
    for (size_t i = 0; i < n_leaves && !rc; i++)
        if (at[i] >= 0 && leaves[i].re &&
            regex_spans(leaves[i].re, text, len, p, memo, out, n, cap))
            rc = -1;
out:
    if (at != at_stack) {
        free(at);
        free(bits);
    }
    return rc;
}

static int
cmp_match(const void *x, const void *y)
{
    const brief_match *a = x, *b = y;

    if (a->byte_start != b->byte_start)
        return a->byte_start < b->byte_start ? -1 : 1;
    return (a->byte_end < b->byte_end) - (a->byte_end > b->byte_end);
}

/* Add the spans a re: leaf's pattern matches in passage p to the matches,
 * then put them all in text order without overlaps. */
static int
regex_spans(regex *re, const char *text, size_t len, const passage *p,
            cite_memo *memo, brief_match **out, size_t *n, size_t *cap)
{
    size_t pos = p->byte_start, ms, me, before = *n, k = 0;

    while (pos <= p->byte_end &&
           regex_next(re, text, len, pos, &ms, &me) == 1 &&
           ms < p->byte_end) {
        brief_match *m;
        if (me > p->byte_end)
            me = p->byte_end;
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            brief_match *q = realloc(*out, c * sizeof *q);
            if (!q)
                return -1;
            *out = q;
            *cap = c;
        }
        m = &(*out)[(*n)++];
        m->byte_start = ms;
        m->byte_end = me;
        cite_match_set(m, text, p, memo);
        pos = me > ms ? me : me + 1;
    }
    if (*n == before)
        return 0;
    qsort(*out, *n, sizeof **out, cmp_match);
    for (size_t i = 0; i < *n; i++)
        if (!k || (*out)[i].byte_start >= (*out)[k - 1].byte_end)
            (*out)[k++] = (*out)[i];
    *n = k;
    return 0;
}

void
cite_locate(const char *text, size_t line_begin, uint32_t line, size_t off,
            cite_pos *out)
{
    size_t start;

    passage_linecol(text, line_begin, line, off, &out->line, &out->column);
    start = off - (out->column - 1);
    out->column_char = out->column_utf16 = 1;
    for (size_t i = start; i < off;) {
        size_t n;
        int32_t cp;
        if ((unsigned char)text[i] < 0x80) {
            out->column_char++;
            out->column_utf16++;
            i++;
            continue;
        }
        cp = text_decode(text + i, off - i, &n);
        out->column_char++;
        out->column_utf16 += cp > 0xffff ? 2 : 1;
        i += n;
    }
}

/* Insert mark c at index at of memo; -1 when out of memory. */
static int
put_mark(cite_memo *memo, size_t at, const cite_mark *c)
{
    if (memo->n == memo->cap) {
        size_t cap = memo->cap ? memo->cap * 2 : 64;
        cite_mark *m = realloc(memo->marks, cap * sizeof *m);
        if (!m)
            return -1;
        memo->marks = m;
        memo->cap = cap;
    }
    memmove(memo->marks + at + 1, memo->marks + at,
            (memo->n - at) * sizeof *memo->marks);
    memo->marks[at] = *c;
    memo->n++;
    return 0;
}

/* The length of the run at s[0..n) of ASCII bytes other than a newline,
 * at most CITE_MARK_GAP, eight bytes at a time. */
static size_t
plain_run(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;

    if (n > CITE_MARK_GAP)
        n = CITE_MARK_GAP;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, nl;
        memcpy(&w, s + i, 8);
        nl = w ^ ones * '\n';          /* a zero byte where a newline was */
        if ((w | ((nl - ones) & ~nl)) & highs)
            break;
    }
    while (i < n && (unsigned char)s[i] < 0x80 && s[i] != '\n')
        i++;
    return i;
}

/* Move c forward to byte off (>= c->off), character by character as
 * cite_locate() counts; false when off cut the last character (a walk
 * on from there would count differently).  When marks is not NULL, place a mark in memo at
 * index *at (then one further) every CITE_MARK_GAP bytes, where the next
 * character cannot reach past off (a character cut by off decodes
 * differently). */
static bool
advance(const char *text, cite_mark *c, size_t off, cite_memo *memo,
        size_t *at)
{
    size_t last = c->off;
    bool whole = true;

    while (c->off < off) {
        size_t n = plain_run(text + c->off, off - c->off);
        int32_t cp;
        if (n) {
            /* ASCII other than a newline: one column of each kind a
             * byte. */
            c->off += n;
            c->pos.column_char += (uint32_t)n;
            c->pos.column_utf16 += (uint32_t)n;
            goto mark;
        }
        {
            unsigned char lead = (unsigned char)text[c->off];
            size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
            if (need > off - c->off)
                whole = false;      /* off cuts this character */
        }
        cp = text_decode(text + c->off, off - c->off, &n);
        c->off += n;
        if (cp == '\n') {
            c->line_begin = c->off;
            c->pos.line++;
            c->pos.column_char = c->pos.column_utf16 = 1;
        } else {
            c->pos.column_char++;
            c->pos.column_utf16 += cp > 0xffff ? 2 : 1;
        }
mark:
        if (memo && c->off - last >= CITE_MARK_GAP && off - c->off >= 4 &&
            put_mark(memo, *at, c) == 0) {
            last = c->off;
            ++*at;
        }
    }
    c->pos.column = (uint32_t)(c->off - c->line_begin + 1);
    return whole;
}

/* The number of marks at or before off. */
static size_t
marks_before(const cite_memo *memo, size_t off)
{
    size_t lo = 0, hi = memo->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memo->marks[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void
cite_locate_memo(cite_memo *memo, const char *text, size_t line_begin,
                 uint32_t line, size_t off, cite_pos *out)
{
    cite_mark c = { line_begin, line_begin, { line, 1, 1, 1 } };
    size_t at;

    if (!memo) {
        cite_locate(text, line_begin, line, off, out);
        return;
    }
    if (memo->text != text) {
        memo->text = text;
        memo->n = 0;
        memo->has_last = false;
    }
    /* Start from the known position nearest before off: the line's
     * start, a mark, or the position located last (the next match of a
     * passage, or a match's end after its start). */
    at = marks_before(memo, off);
    if (at && memo->marks[at - 1].off > line_begin)
        c = memo->marks[at - 1];
    if (memo->has_last && memo->last.off > c.off && memo->last.off <= off)
        c = memo->last;
    memo->has_last = advance(text, &c, off, memo, &at);
    memo->last = c;
    *out = c.pos;
}

void
cite_memo_forget(cite_memo *memo)
{
    memo->text = NULL;
    memo->n = 0;
    memo->has_last = false;
}

void
cite_memo_free(cite_memo *memo)
{
    if (!memo)
        return;
    free(memo->marks);
    memo->marks = NULL;
    memo->n = memo->cap = 0;
    memo->text = NULL;
    memo->has_last = false;
}

void
cite_hit_from_matches(brief_hit *h, const char *text, const passage *p,
                      cite_memo *memo)
{
    brief_match m;

    if (h->n_matches) {
        m = h->matches[0];
    } else {
        m.byte_start = m.byte_end = p->byte_start;
        cite_match_set(&m, text, p, memo);
    }
    h->line = m.line;
    h->column = m.column;
    h->column_char = m.column_char;
    h->column_utf16 = m.column_utf16;
    h->end_line = m.end_line;
    h->end_column = m.end_column;
    h->end_column_char = m.end_column_char;
    h->end_column_utf16 = m.end_column_utf16;
    h->byte_start = m.byte_start;
    h->byte_end = m.byte_end;
}

int
cite_passage(const unsigned char *rec, size_t rec_len, uint32_t i,
             size_t text_len, passage *out)
{
    if (passage_rec_get(rec, rec_len, i, out) ||
        out->byte_start > out->byte_end || out->byte_end > text_len ||
        out->line_begin > out->byte_start ||
        out->line_start == 0 || out->line_end < out->line_start)
        return -1;
    return 0;
}
