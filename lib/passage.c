/*
 * passage.c: cutting a document into passages (rules in passage.h), and
 * byte offset -> line:col.  One pass: lines are found with memchr, each
 * paragraph is tokenized once, and only the tokens of the open piece are
 * kept, so a 200 MB line costs O(n) time and O(PASSAGE_MAX_WORDS) memory.
 * It does not index or stem; it only needs token spans and positions.  A
 * caller's sink sees each token when it is read and again when its piece
 * is cut, so that the indexer tokenizes the text once.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "passage.h"

/* A piece is cut after a sentence end only when that leaves at least this
 * many words in it; otherwise a short first sentence would make every
 * piece one sentence long. */
#define MIN_SENTENCE_WORDS 20

/* A run of ".!?" and closing quotes longer than this is decoration (a row
 * of dots), not a sentence end.  It also bounds the bytes a sentence end
 * adds after a token. */
#define SENTENCE_PUNCT_MAX 16

/* One token of the open piece. */
typedef struct ptok {
    size_t start, end;
    size_t sent_end;        /* end of the sentence ending here, or 0 */
    uint32_t npos;          /* positions in the piece up to this token */
    unsigned flags;
    uint32_t tag;           /* the sink's */
} ptok;

typedef struct cutter {
    const char *text;
    passage *out;
    size_t n_out, cap_out;
    ptok *pend;             /* tokens of the open piece */
    size_t n_pend, cap_pend;
    size_t piece_start;
    size_t line_off;        /* line cursor: byte line_off is on line_no */
    size_t line_begin;      /* where the line of line_off begins */
    uint32_t line_no;
    const passage_sink *sink;
    int rc;
} cutter;

static bool
is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static size_t
skip_space(const char *text, size_t a, size_t b)
{
    while (a < b && is_space(text[a]))
        a++;
    return a;
}

static size_t
trim_space(const char *text, size_t a, size_t b)
{
    while (b > a && is_space(text[b - 1]))
        b--;
    return b;
}

static uint32_t
count_newlines(const char *text, size_t a, size_t b)
{
    const char *p = text + a, *end = text + b;
    uint32_t n = 0;

    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* The last '\n' in [p, p + n), or NULL (memrchr is a GNU extension). */
static const char *
last_newline(const char *p, size_t n)
{
    while (n--)
        if (p[n] == '\n')
            return p + n;
    return NULL;
}

/* The line of byte off; offsets asked for are nearly in order.  Also
 * keeps c->line_begin, the offset where that line begins. */
static uint32_t
line_of(cutter *c, size_t off)
{
    const char *nl;

    if (off >= c->line_off) {
        c->line_no += count_newlines(c->text, c->line_off, off);
        nl = off > c->line_off ? last_newline(c->text + c->line_off,
                                              off - c->line_off) : NULL;
        if (nl)
            c->line_begin = (size_t)(nl - c->text) + 1;
    } else if (memchr(c->text + off, '\n', c->line_off - off)) {
        /* Back across a line end (rare: pieces overlap by one CJK
         * character at most).  Without one the line is the same, and
         * its start is not searched for again: in a 200 MB line that
         * search made each overlap cost O(n). */
        c->line_no -= count_newlines(c->text, off, c->line_off);
        nl = off ? last_newline(c->text, off) : NULL;
        c->line_begin = nl ? (size_t)(nl - c->text) + 1 : 0;
    }
    c->line_off = off;
    return c->line_no;
}

static void
emit(cutter *c, size_t a, size_t b, uint32_t n_tokens)
{
    passage *p;
    size_t cap;

    assert(a < b);
    if (c->rc)
        return;
    if (c->n_out == c->cap_out) {
        cap = c->cap_out ? 2 * c->cap_out : 64;
        p = realloc(c->out, cap * sizeof *p);
        if (!p) {
            c->rc = -1;
            return;
        }
        c->out = p;
        c->cap_out = cap;
    }
    p = &c->out[c->n_out++];
    p->byte_start = (uint32_t)a;
    p->byte_end = (uint32_t)b;
    p->line_start = line_of(c, a);
    p->line_begin = (uint32_t)c->line_begin;
    p->line_end = line_of(c, b - 1);
    p->n_tokens = n_tokens;
}

/* Emit the token-free stretch [a, b) in pieces of at most
 * PASSAGE_MAX_BYTES, cut at character boundaries. */
static void
chunk(cutter *c, size_t a, size_t b)
{
    size_t e, end;

    while (b - a > PASSAGE_MAX_BYTES) {
        e = a + PASSAGE_MAX_BYTES;
        while (e > a && (c->text[e] & 0xC0) == 0x80)
            e--;
        if (e == a)
            e = a + PASSAGE_MAX_BYTES;
        end = trim_space(c->text, a, e);
        if (end > a)
            emit(c, a, end, 0);
        a = skip_space(c->text, e, b);
    }
    if (a < b)
        emit(c, a, b, 0);
}

/* Length of the string in list matching text at i (before lim), or 0. */
static size_t
match(const char *text, size_t i, size_t lim, const char *const *list)
{
    size_t n;

    if (i >= lim)
        return 0;
    for (; *list; list++) {
        if ((*list)[0] != text[i])
            continue;
        n = strlen(*list);
        if (n <= lim - i && memcmp(text + i, *list, n) == 0)
            return n;
    }
    return 0;
}

/*
 * If the token ending at off ends a sentence (. ! ? or …, maybe closing
 * quotes or brackets, then white space or the paragraph end pe), return
 * where the sentence ends; else 0.  The CJK stops 。！？ need no space.
 */
static size_t
sentence_end(const char *text, size_t off, size_t pe)
{
    static const char *const stops[] = { ".", "!", "?", "\u2026", NULL };
    static const char *const cjk_stops[] = {
        "\u3002", "\uFF01", "\uFF1F", NULL
    };
    static const char *const closers[] = {
        "\"", "'", ")", "]", "}", "\u201D", "\u2019", "\u00BB", "\u300D",
        "\u300F", "\uFF09", NULL
    };
    size_t i = off, lim = pe - off > SENTENCE_PUNCT_MAX ?
                              off + SENTENCE_PUNCT_MAX : pe;
    size_t n;
    bool stop = false, cjk = false;
    unsigned char first = off < pe ? (unsigned char)text[off] : 0;

    /* Most tokens are followed by a space or a comma. */
    if (first != '.' && first != '!' && first != '?' && first != 0xE2
        && first != 0xE3 && first != 0xEF)
        return 0;
    for (;;) {
        if ((n = match(text, i, lim, stops)) != 0) {
            stop = true;
        } else if ((n = match(text, i, lim, cjk_stops)) != 0) {
            stop = cjk = true;
        } else {
            break;
        }
        i += n;
    }
    if (!stop)
        return 0;
    while ((n = match(text, i, lim, closers)) != 0)
        i += n;
    if (cjk || i == pe || (i < pe && is_space(text[i])))
        return i;
    return 0;
}

static void
push(cutter *c, size_t a, size_t b, size_t sent_end, bool new_pos,
     unsigned flags, uint32_t tag)
{
    ptok *p;
    size_t cap;
    uint32_t npos = c->n_pend ? c->pend[c->n_pend - 1].npos : 0;

    if (c->n_pend == c->cap_pend) {
        cap = c->cap_pend ? 2 * c->cap_pend : 2 * PASSAGE_MAX_WORDS;
        p = realloc(c->pend, cap * sizeof *p);
        if (!p) {
            c->rc = -1;
            return;
        }
        c->pend = p;
        c->cap_pend = cap;
    }
    p = &c->pend[c->n_pend++];
    p->start = a;
    p->end = b;
    p->sent_end = sent_end;
    p->npos = npos + new_pos;
    p->flags = flags;
    p->tag = tag;
}

/* Tell the sink that the first k tokens of the open piece lie in the
 * passage emitted last. */
static void
settle(cutter *c, size_t k)
{
    const ptok *p = c->pend;
    uint32_t pass = (uint32_t)c->n_out - 1;

    for (size_t i = 0; c->sink && i < k && !c->rc; i++)
        if (c->sink->place(c->sink->ctx, p[i].tag, p[i].start, pass,
                           p[i].npos - p[0].npos))
            c->rc = -1;
}

/*
 * How many of the open piece's tokens to close it with, when the token at
 * next_start does not fit: up to the last sentence end that leaves
 * MIN_SENTENCE_WORDS words, else all of them.  Inside a CJK run, whose
 * bigrams overlap, cut where two tokens do not overlap if there is such a
 * place after MIN_SENTENCE_WORDS words.
 */
static size_t
cut_point(const cutter *c, size_t next_start)
{
    const ptok *p = c->pend;
    size_t n = c->n_pend;

    for (size_t i = n; i-- > 0;)
        if (p[i].sent_end && p[i].npos >= MIN_SENTENCE_WORDS)
            return i + 1;
    if (next_start >= p[n - 1].end)
        return n;
    for (size_t i = n - 1; i-- > 0;)
        if (p[i].npos >= MIN_SENTENCE_WORDS && p[i].end <= p[i + 1].start
            && !(p[i + 1].flags & TOKEN_PART))
            return i + 1;
    return n;
}

/* Close the open piece before the token starting at next_start. */
static void
cut(cutter *c, size_t next_start)
{
    size_t k = cut_point(c, next_start), end, g0, g1;
    ptok *p = c->pend;
    uint32_t base = p[k - 1].npos;

    end = p[k - 1].sent_end ? p[k - 1].sent_end : p[k - 1].end;
    emit(c, c->piece_start, end, base);
    settle(c, k);
    if (k < c->n_pend) {
        c->n_pend -= k;
        memmove(p, p + k, c->n_pend * sizeof *p);
        for (size_t i = 0; i < c->n_pend; i++)
            p[i].npos -= base;
        c->piece_start = p[0].start;
        return;
    }
    c->n_pend = 0;
    c->piece_start = next_start;
    if (next_start <= end)
        return;
    g0 = skip_space(c->text, end, next_start);
    g1 = trim_space(c->text, g0, next_start);
    if (g1 - g0 > PASSAGE_MAX_BYTES)
        chunk(c, g0, g1);
}

static uint32_t
count_hyphens(const char *w, size_t len)
{
    uint32_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += w[i] == '-';
    return n;
}

/* Close the paragraph [ps, pe): its last piece ends at pe. */
static void
finish(cutter *c, size_t ps, size_t pe)
{
    const ptok *last;
    size_t end;

    if (c->n_pend == 0) {
        chunk(c, ps, pe);
        return;
    }
    last = &c->pend[c->n_pend - 1];
    if (pe - c->piece_start <= PASSAGE_MAX_BYTES) {
        emit(c, c->piece_start, pe, last->npos);
        settle(c, c->n_pend);
        return;
    }
    end = last->sent_end ? last->sent_end : last->end;
    emit(c, c->piece_start, end, last->npos);
    settle(c, c->n_pend);
    chunk(c, skip_space(c->text, end, pe), pe);
}

/* Cut the paragraph [ps, pe) into pieces. */
static void
paragraph(cutter *c, tokenizer *t, size_t ps, size_t pe)
{
    token tok;
    size_t a, b, se, eff;
    uint32_t last_pos = 0, add, npos, tag = 0;
    bool any = false, new_pos;

    tokenizer_reset(t, c->text + ps, pe - ps, 0);
    if (!c->sink)
        tokenizer_lazy(t);  /* only compounds' words are looked at */
    c->piece_start = ps;
    c->n_pend = 0;
    while (!c->rc && tokenizer_next(t, &tok)) {
        a = ps + tok.start;
        b = ps + tok.end;
        se = sentence_end(c->text, b, pe);
        eff = se ? se : b;
        if (tok.flags & TOKEN_COMPOUND)
            se = 0;         /* its last part carries the sentence end */
        new_pos = !any || tok.pos != last_pos;
        if (!any && eff - ps > PASSAGE_MAX_BYTES) {
            chunk(c, ps, trim_space(c->text, ps, a));
            c->piece_start = a;
        }
        /* A compound and its parts stay in one piece. */
        if (!(tok.flags & TOKEN_PART)) {
            if (tok.flags & TOKEN_COMPOUND)
                tokenizer_word(t, &tok);
            add = tok.flags & TOKEN_COMPOUND ?
                count_hyphens(tok.word, tok.word_len) + 1 : 1;
            while (c->n_pend > 0) {
                npos = c->pend[c->n_pend - 1].npos;
                if (npos + add <= PASSAGE_MAX_WORDS
                    && eff - c->piece_start <= PASSAGE_MAX_BYTES)
                    break;
                cut(c, a);
            }
        }
        if (c->sink) {
            tok.start = a;
            tok.end = b;
            if (c->sink->read(c->sink->ctx, &tok, &tag)) {
                c->rc = -1;
                break;
            }
        }
        push(c, a, b, se, new_pos, tok.flags, tag);
        any = true;
        last_pos = tok.pos;
    }
    finish(c, ps, pe);
}

/* Where the line starting at i ends (its '\n', or len). */
static size_t
line_end(const char *text, size_t i, size_t len)
{
    const char *nl = memchr(text + i, '\n', len - i);

    return nl ? (size_t)(nl - text) : len;
}

static bool
is_blank(const char *text, size_t a, size_t b)
{
    for (; a < b; a++)
        if (text[a] != ' ' && text[a] != '\t' && text[a] != '\r')
            return false;
    return true;
}

int
passage_cut(tokenizer *t, const char *text, size_t len,
            const passage_sink *sink, passage **out, size_t *n_out)
{
    cutter c;
    size_t i = 0, le, ps, pe;

    *out = NULL;
    *n_out = 0;
    if (len > UINT32_MAX)
        return -1;
    memset(&c, 0, sizeof c);
    c.text = text;
    c.line_no = 1;
    c.sink = sink;
    while (i < len && !c.rc) {
        le = line_end(text, i, len);
        if (is_blank(text, i, le)) {
            i = le + 1;
            continue;
        }
        ps = i;
        for (;;) {
            pe = le;
            while (text[pe - 1] == '\r')
                pe--;
            i = le + 1;
            if (i >= len)
                break;
            le = line_end(text, i, len);
            if (is_blank(text, i, le))
                break;
        }
        paragraph(&c, t, ps, pe);
    }
    free(c.pend);
    if (c.rc) {
        free(c.out);
        return -1;
    }
    *out = c.out;
    *n_out = c.n_out;
    return 0;
}

void
passage_linecol(const char *text, size_t from, uint32_t from_line,
                size_t off, uint32_t *line, uint32_t *col)
{
    const char *p = text + from, *end = text + off, *nl;
    size_t line_start = from;
    uint32_t n = from_line;

    assert(from <= off);
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p = nl + 1;
        line_start = (size_t)(p - text);
    }
    *line = n;
    *col = (uint32_t)(off - line_start + 1);
}

/* ---------------------------------------------------------------- */
/* The passages database's record                                    */
/* ---------------------------------------------------------------- */

static void
fields(const passage *p, uint32_t f[PASSAGE_FIELDS])
{
    f[0] = p->byte_start;
    f[1] = p->byte_end;
    f[2] = p->line_start;
    f[3] = p->line_end;
    f[4] = p->n_tokens;
    f[5] = p->line_begin;
}

size_t
passage_rec_max(size_t n)
{
    return 1 + n * PASSAGE_FIELDS * 4;
}

size_t
passage_rec_put(const passage *p, size_t n, unsigned char *out)
{
    uint32_t f[PASSAGE_FIELDS], max = 0;
    size_t width, at = 1;

    for (size_t i = 0; i < n; i++) {
        fields(&p[i], f);
        for (int k = 0; k < PASSAGE_FIELDS; k++)
            if (f[k] > max)
                max = f[k];
    }
    width = max <= UINT16_MAX ? 2 : 4;
    out[0] = (unsigned char)width;
    for (size_t i = 0; i < n; i++) {
        fields(&p[i], f);
        for (int k = 0; k < PASSAGE_FIELDS; k++, at += width)
            if (width == 2) {
                out[at] = (unsigned char)f[k];
                out[at + 1] = (unsigned char)(f[k] >> 8);
            } else {
                put_u32le(out + at, f[k]);
            }
    }
    return at;
}

size_t
passage_rec_count(const unsigned char *rec, size_t len)
{
    size_t each;

    if (len == 0 || (rec[0] != 2 && rec[0] != 4))
        return SIZE_MAX;
    each = (size_t)rec[0] * PASSAGE_FIELDS;
    return (len - 1) % each ? SIZE_MAX : (len - 1) / each;
}

int
passage_rec_get(const unsigned char *rec, size_t len, size_t i,
                passage *out)
{
    size_t n = passage_rec_count(rec, len), width;
    const unsigned char *q;
    uint32_t f[PASSAGE_FIELDS];

    if (n == SIZE_MAX || i >= n)
        return -1;
    width = rec[0];
    q = rec + 1 + i * width * PASSAGE_FIELDS;
    for (int k = 0; k < PASSAGE_FIELDS; k++, q += width)
        f[k] = width == 2 ? (uint32_t)(q[0] | q[1] << 8) : get_u32le(q);
    out->byte_start = f[0];
    out->byte_end = f[1];
    out->line_start = f[2];
    out->line_end = f[3];
    out->n_tokens = f[4];
    out->line_begin = f[5];
    return 0;
}
