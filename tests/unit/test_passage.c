/*
 * test_passage.c: paragraphs, cuts at sentence ends, word and byte
 * limits, token-free stretches, CJK runs, line numbers, passage_linecol,
 * and the corpus document.  Every case also goes through check_cover():
 * each token inside exactly one passage, passages in order, within the
 * limits, n_tokens and line numbers right; and each is cut a second time
 * with a sink, which must get the same passages and be told of every
 * token of a whole-text tokenization, in order, placed in the passage
 * that holds it at its position there.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "passage.h"

#define CORPUS "corpus/2024-03-08-new-industrialization.txt"

static tokenizer *tk, *tk2;

/* What the sink was told of each token: read (its tag is its number),
 * then placed, which must come in the same order. */
typedef struct seen {
    uint32_t start, end, hash;
    uint32_t pass, relpos;
} seen;

typedef struct sinklog {
    seen *v;
    size_t n_read, n_placed, cap;
    bool disorder;           /* a token placed out of order */
} sinklog;

static uint32_t
fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static int
log_read(void *ctx, const token *tok, uint32_t *tag)
{
    sinklog *l = ctx;
    seen *s;

    if (l->n_read == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 1024;
        if (!(s = realloc(l->v, c * sizeof *s)))
            return -1;
        l->v = s;
        l->cap = c;
    }
    s = &l->v[l->n_read];
    s->start = (uint32_t)tok->start;
    s->end = (uint32_t)tok->end;
    s->hash = fnv(tok->word, tok->word_len);
    *tag = (uint32_t)l->n_read++;
    return 0;
}

static int
log_place(void *ctx, uint32_t tag, size_t start, uint32_t pass,
          uint32_t relpos)
{
    sinklog *l = ctx;

    if (tag != l->n_placed || tag >= l->n_read || l->v[tag].start != start)
        l->disorder = true;
    else {
        l->v[tag].pass = pass;
        l->v[tag].relpos = relpos;
        l->n_placed++;
    }
    return 0;
}

/* Whether the sink was told of token number i, t, lying in passage k at
 * position relpos. */
static int
told(const sinklog *l, size_t i, const token *t, size_t k, uint32_t relpos)
{
    const seen *s = &l->v[i];

    if (i < l->n_placed && s->start == t->start && s->end == t->end &&
        s->hash == fnv(t->word, t->word_len) && s->pass == k &&
        s->relpos == relpos)
        return 1;
    printf("  token %zu (%s at %zu) not told to the sink as it is\n", i,
           t->word, t->start);
    return 0;
}

/* Line counting independent of passage.c, for offsets in increasing
 * order. */
typedef struct cursor {
    size_t off;
    uint32_t line;
} cursor;

static uint32_t
line_at(const char *text, cursor *c, size_t off)
{
    for (; c->off < off; c->off++)
        c->line += text[c->off] == '\n';
    return c->line;
}

/* The invariants of passage.h for p[0..n) cut from text; 1 when all
 * hold.  Linear, so it runs on big inputs too. */
static int
check_cover(const char *text, size_t len, const passage *p, size_t n,
            const sinklog *l)
{
    uint32_t *counted = calloc(n + 1, sizeof *counted);
    uint32_t *first = calloc(n + 1, sizeof *first);
    uint32_t last_pos = 0;
    cursor start_cur = { 0, 1 }, end_cur = { 0, 1 };
    size_t j = 0, k, inside, in = 0, i_tok = 0;
    int ok = counted && first;
    bool any = false;
    token t;

    for (size_t i = 0; ok && i < n; i++) {
        ok &= p[i].byte_start < p[i].byte_end && p[i].byte_end <= len;
        ok &= p[i].byte_end - p[i].byte_start <= PASSAGE_MAX_BYTES;
        ok &= p[i].n_tokens <= PASSAGE_MAX_WORDS;
        ok &= i == 0 || p[i].byte_start > p[i - 1].byte_start;
        ok &= i == 0 || p[i].byte_end > p[i - 1].byte_end;
        ok &= line_at(text, &start_cur, p[i].byte_start) == p[i].line_start;
        ok &= line_at(text, &end_cur, p[i].byte_end - 1) == p[i].line_end;
        if (!ok)
            printf("  passage %zu: %u-%u\n", i, p[i].byte_start,
                   p[i].byte_end);
    }
    tokenizer_reset(tk2, text, len, 0);
    while (ok && tokenizer_next(tk2, &t)) {
        while (j < n && p[j].byte_end <= t.start)
            j++;
        inside = 0;
        for (k = j; k < n && p[k].byte_start <= t.start; k++)
            if (t.end <= p[k].byte_end) {
                inside++;
                in = k;
                if (!any || t.pos != last_pos)
                    counted[k]++;
            }
        if (inside != 1) {
            printf("  token %s at %zu-%zu is in %zu passages\n", t.word,
                   t.start, t.end, inside);
            ok = 0;
        }
        if (ok && counted[in] == 1 && (!any || t.pos != last_pos))
            first[in] = t.pos;
        ok = ok && told(l, i_tok++, &t, in, t.pos - first[in]);
        any = true;
        last_pos = t.pos;
    }
    for (size_t i = 0; ok && i < n; i++)
        if (counted[i] != p[i].n_tokens) {
            printf("  passage %zu: n_tokens %u, counted %u\n", i,
                   p[i].n_tokens, counted[i]);
            ok = 0;
        }
    if (ok && (l->disorder || l->n_read != i_tok ||
               l->n_placed != i_tok)) {
        printf("  %zu tokens, %zu read, %zu placed%s\n", i_tok, l->n_read,
               l->n_placed, l->disorder ? ", out of order" : "");
        ok = 0;
    }
    free(counted);
    free(first);
    return ok;
}

/* Cut text and check the invariants; *n_out passages in *out.  Cut with
 * a sink as well, and check what it was told. */
static int
cut(const char *text, size_t len, passage **out, size_t *n_out)
{
    sinklog l = { 0 };
    passage_sink sink = { log_read, log_place, &l };
    passage *p2 = NULL;
    size_t n2 = 0;
    int ok;

    if (passage_cut(tk, text, len, NULL, out, n_out) != 0)
        return 0;
    ok = passage_cut(tk, text, len, &sink, &p2, &n2) == 0 &&
         n2 == *n_out && (n2 == 0 || memcmp(p2, *out, n2 * sizeof *p2) == 0);
    if (!ok)
        printf("  the cut with a sink differs\n");
    ok = ok && check_cover(text, len, *out, *n_out, &l);
    free(p2);
    free(l.v);
    return ok;
}

static int
is(const passage *p, uint32_t a, uint32_t b, uint32_t l0, uint32_t l1,
   uint32_t n)
{
    if (p->byte_start == a && p->byte_end == b && p->line_start == l0
        && p->line_end == l1 && p->n_tokens == n)
        return 1;
    printf("  got %u-%u lines %u-%u n=%u\n", p->byte_start, p->byte_end,
           p->line_start, p->line_end, p->n_tokens);
    return 0;
}

static void
paragraphs(void)
{
    const char *text = "  First line one.\nline two \n\n \t\r\n\n"
                       "Second para\r\n\r\n* * *\n\n  Third";
    passage *p = NULL;
    size_t n = 0;

    CHECK(cut(text, strlen(text), &p, &n) && n == 4);
    if (n == 4) {
        /* leading indentation and trailing spaces are kept, \r is not */
        CHECK(is(&p[0], 0, 27, 1, 2, 5));
        CHECK(is(&p[1], 34, 45, 6, 6, 2));
        CHECK(is(&p[2], 49, 54, 8, 8, 0));      /* no tokens */
        CHECK(is(&p[3], 56, 63, 10, 10, 1));
    }
    free(p);

    CHECK(passage_cut(tk, "", 0, NULL, &p, &n) == 0 && n == 0);
    free(p);
    CHECK(passage_cut(tk, " \n\t\r\n\n", 6, NULL, &p, &n) == 0
          && n == 0);
    free(p);
    /* a compound does not take a position of its own */
    CHECK(cut("a sub-categories b", 18, &p, &n) && n == 1
          && is(&p[0], 0, 18, 1, 1, 4));
    free(p);
}

/* Append the words "w<i>" for i in [from, to), with ". " after every
 * `every`-th word (0: never). */
static size_t
put_words(char *s, size_t len, int from, int to, int every)
{
    for (int i = from; i < to; i++)
        len += (size_t)sprintf(s + len, "w%d%s", i,
                               every && (i + 1) % every == 0 ? ". " : " ");
    return len;
}

static void
sentences(void)
{
    static char text[8192];
    passage *p = NULL;
    size_t n = 0, len;
    const char *w;

    /* 325 words in sentences of 13: cuts after 117 (9 sentences) */
    len = put_words(text, 0, 0, 325, 13);
    text[--len] = '\0';
    CHECK(cut(text, len, &p, &n) && n == 3);
    if (n == 3) {
        CHECK(p[0].n_tokens == 117 && p[1].n_tokens == 117);
        CHECK(p[2].n_tokens == 91 && p[2].byte_end == len);
        w = strstr(text, "w116.");
        CHECK(w && p[0].byte_end == (uint32_t)(w - text) + 5);
        w = strstr(text, "w117 ");
        CHECK(w && p[1].byte_start == (uint32_t)(w - text));
    }
    free(p);

    /* no sentence end: cut before the 121st word */
    len = put_words(text, 0, 0, 300, 0);
    text[--len] = '\0';
    CHECK(cut(text, len, &p, &n) && n == 3);
    if (n == 3) {
        CHECK(p[0].n_tokens == 120 && p[1].n_tokens == 120);
        CHECK(p[2].n_tokens == 60);
        w = strstr(text, "w119 ");
        CHECK(w && p[0].byte_end == (uint32_t)(w - text) + 4);
    }
    free(p);

    /* a sentence end after fewer than 20 words is not used */
    len = put_words(text, 0, 0, 5, 5);
    len = put_words(text, len, 5, 200, 0);
    text[--len] = '\0';
    CHECK(cut(text, len, &p, &n) && n == 2 && p[0].n_tokens == 120);
    free(p);

    /* closing quotes and brackets belong to the sentence */
    len = put_words(text, 0, 0, 30, 0);
    len += (size_t)sprintf(text + len, "end.\") ");
    len = put_words(text, len, 30, 130, 0);
    text[--len] = '\0';
    CHECK(cut(text, len, &p, &n) && n == 2 && p[0].n_tokens == 31);
    w = strstr(text, "end.\")");
    CHECK(n == 2 && w && p[0].byte_end == (uint32_t)(w - text) + 6);
    free(p);
}

static void
byte_limit(void)
{
    static char text[12000];
    passage *p = NULL;
    size_t n = 0, len = 0;

    /* 100 words of 100 bytes: 81 of them fit in PASSAGE_MAX_BYTES */
    for (int i = 0; i < 100; i++) {
        memset(text + len, 'a' + i % 26, 100);
        len += 100;
        text[len++] = ' ';
    }
    text[--len] = '\0';
    CHECK(cut(text, len, &p, &n) && n == 2);
    CHECK(n == 2 && is(&p[0], 0, 8180, 1, 1, 81));
    CHECK(n == 2 && is(&p[1], 8181, (uint32_t)len, 1, 1, 19));
    free(p);
}

static void
token_free(void)
{
    static char text[30000];
    passage *p = NULL;
    size_t n = 0;

    /* a paragraph without tokens */
    memset(text, '=', 20000);
    CHECK(cut(text, 20000, &p, &n) && n == 3);
    CHECK(n == 3 && is(&p[0], 0, 8192, 1, 1, 0));
    CHECK(n == 3 && is(&p[2], 16384, 20000, 1, 1, 0));
    free(p);

    /* cut at character boundaries: U+2014 is 3 bytes */
    for (int i = 0; i < 5000; i++)
        memcpy(text + 3 * i, "\xE2\x80\x94", 3);
    CHECK(cut(text, 15000, &p, &n) && n == 2);
    CHECK(n == 2 && is(&p[0], 0, 8190, 1, 1, 0));
    free(p);

    /* in the middle of a paragraph, between two words */
    memcpy(text, "word ", 5);
    memset(text + 5, '=', 20000);
    memcpy(text + 20005, " word", 5);
    CHECK(cut(text, 20010, &p, &n) && n == 5);
    CHECK(n == 5 && is(&p[0], 0, 4, 1, 1, 1));
    CHECK(n == 5 && is(&p[1], 5, 8197, 1, 1, 0));
    CHECK(n == 5 && is(&p[4], 20006, 20010, 1, 1, 1));
    free(p);

    /* at the start and at the end */
    memset(text, '=', 9000);
    memcpy(text + 9000, " word ", 6);
    memset(text + 9006, '#', 9000);
    CHECK(cut(text, 18006, &p, &n) && n == 5);
    CHECK(n == 5 && is(&p[0], 0, 8192, 1, 1, 0));
    CHECK(n == 5 && is(&p[2], 9001, 9005, 1, 1, 1));
    CHECK(n == 5 && is(&p[4], 17198, 18006, 1, 1, 0));
    free(p);
}

static void
cjk_runs(void)
{
    static char text[4000];
    passage *p = NULL;
    size_t n = 0, len = 0;

    /* 300 Han characters, no punctuation: the bigrams overlap, so the
     * pieces share one character */
    for (int i = 0; i < 300; i++, len += 3)
        memcpy(text + len, "\xE4\xB8\x87", 3);
    CHECK(cut(text, len, &p, &n) && n == 3);
    for (size_t i = 1; i < n; i++)
        CHECK(p[i].byte_start + 3 == p[i - 1].byte_end);
    free(p);

    /* with 。 every 50 characters the cuts are clean */
    len = 0;
    for (int i = 0; i < 300; i++, len += 3)
        memcpy(text + len, i % 50 == 49 ? "\xE3\x80\x82" : "\xE4\xB8\x87",
               3);
    CHECK(cut(text, len, &p, &n) && n == 3);
    for (size_t i = 1; i < n; i++)
        CHECK(p[i].byte_start == p[i - 1].byte_end);
    CHECK(n == 3 && p[0].byte_end == 300 && p[0].n_tokens == 96);
    free(p);
}

static void
linecol(void)
{
    const char *text = "ab\ncd\n\nxyz";
    uint32_t line, col;

    passage_linecol(text, 0, 1, 0, &line, &col);
    CHECK(line == 1 && col == 1);
    passage_linecol(text, 0, 1, 2, &line, &col);
    CHECK(line == 1 && col == 3);
    passage_linecol(text, 0, 1, 3, &line, &col);
    CHECK(line == 2 && col == 1);
    passage_linecol(text, 0, 1, 9, &line, &col);
    CHECK(line == 4 && col == 3);
    passage_linecol(text, 3, 2, 9, &line, &col);
    CHECK(line == 4 && col == 3);
    passage_linecol(text, 7, 4, 7, &line, &col);
    CHECK(line == 4 && col == 1);
}

static void
corpus(void)
{
    size_t len = 0, n = 0, off, i;
    char *text = check_read_file(CORPUS, &len);
    passage *p = NULL;
    const char *hit;
    uint32_t line, col;

    CHECK(text != NULL);
    if (!text)
        return;
    hit = strstr(text, "5G base stations");
    CHECK(hit != NULL);
    CHECK(cut(text, len, &p, &n) && n > 30);
    if (hit && n) {
        off = (size_t)(hit - text);
        for (i = 0; i < n && p[i].byte_end <= off; i++)
            ;
        CHECK(i < n && p[i].byte_start <= off);
        if (i < n) {
            passage_linecol(text, 0, 1, p[i].byte_start, &line, &col);
            CHECK(line == 17 && col == 1 && p[i].line_start == 17);
            passage_linecol(text, p[i].byte_start, p[i].line_start, off,
                            &line, &col);
            CHECK(line == 17 && col > 1);
        }
    }
    free(p);
    free(text);
}

/* One 16 MB line of mixed text: linear time, bounded pieces. */
static void
huge_line(void)
{
    static const char *const bits[] = {
        "word ", "sub-categories ", "465,000 ", "end. ", "\xE4\xB8\x87",
        "==========", "\xE2\x80\x94", "it\xE2\x80\x99s ", "x"
    };
    size_t len = 16u << 20, at = 0, n = 0, b;
    char *text = malloc(len);
    passage *p = NULL;
    unsigned seed = 7;

    CHECK(text != NULL);
    if (!text)
        return;
    while (at < len - 32) {
        seed = seed * 1103515245u + 12345u;
        b = (seed >> 16) % 9;
        /* long runs of one piece now and then */
        for (int r = (seed >> 8) % 64 == 0 ? 2000 : 1; r > 0; r--) {
            if (at + strlen(bits[b]) >= len)
                break;
            memcpy(text + at, bits[b], strlen(bits[b]));
            at += strlen(bits[b]);
        }
    }
    CHECK(cut(text, at, &p, &n) && n > 1000);
    free(p);
    free(text);
}

/* The passages database's record: 16-bit fields while every value fits,
 * 32-bit ones otherwise; every passage comes back as it went in, and
 * records whose length does not fit their width are refused. */
static void
record(void)
{
    passage in[3] = {
        { 0, 40, 1, 1, 7, 0 },
        { 42, 65535, 3, 900, 120, 41 },
        { 65535, 65535, 900, 900, 0, 65535 },
    }, out;
    unsigned char rec[1 + 3 * PASSAGE_FIELDS * 4];
    size_t len;

    CHECK(passage_rec_max(3) == sizeof rec);
    len = passage_rec_put(in, 3, rec);
    CHECK(len == 1 + 3 * PASSAGE_FIELDS * 2 && rec[0] == 2);
    CHECK(passage_rec_count(rec, len) == 3);
    for (size_t i = 0; i < 3; i++)
        CHECK(passage_rec_get(rec, len, i, &out) == 0 &&
              memcmp(&out, &in[i], sizeof out) == 0);
    CHECK(passage_rec_get(rec, len, 3, &out) == -1);

    in[2].line_begin = 65536;       /* one field over 16 bits: all 32 */
    len = passage_rec_put(in, 3, rec);
    CHECK(len == sizeof rec && rec[0] == 4);
    CHECK(passage_rec_count(rec, len) == 3);
    CHECK(passage_rec_get(rec, len, 2, &out) == 0 &&
          memcmp(&out, &in[2], sizeof out) == 0);
    CHECK(passage_rec_get(rec, len, 0, &out) == 0 &&
          memcmp(&out, &in[0], sizeof out) == 0);

    CHECK(passage_rec_count(rec, len - 1) == SIZE_MAX);
    CHECK(passage_rec_get(rec, len - 1, 0, &out) == -1);
    CHECK(passage_rec_count(rec, 0) == SIZE_MAX);
    rec[0] = 3;
    CHECK(passage_rec_count(rec, len) == SIZE_MAX);
    CHECK(passage_rec_put(in, 0, rec) == 1 && passage_rec_count(rec, 1) == 0);
}

int
main(void)
{
    tk = tokenizer_new();
    tk2 = tokenizer_new();
    if (!tk || !tk2)
        return 1;
    TEST(paragraphs);
    TEST(sentences);
    TEST(byte_limit);
    TEST(token_free);
    TEST(cjk_runs);
    TEST(linecol);
    TEST(corpus);
    TEST(huge_line);
    TEST(record);
    tokenizer_free(tk);
    tokenizer_free(tk2);
    return check_report();
}
