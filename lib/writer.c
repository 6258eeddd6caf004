/*
 * writer.c: turning documents into index entries and committing them.
 *
 * batch_add() tokenizes a document once, cuts it into passages and appends
 * each word's entry (postings.c) to that word's stream in the batch's
 * accumulator.  writer_commit() then, in one write transaction: removes the
 * documents marked for removal (re-tokenizing their stored text to find
 * their words), stores the new documents, and writes every accumulated
 * stream as the word's chunks in a new segment (segment.h), in word
 * order, so that every key is appended.  Then segment_maintain() merges
 * segments when enough of one size have piled up.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "buf.h"
#include "figstore.h"
#include "passage.h"
#include "postings.h"
#include "segment.h"
#include "terms.h"
#include "textstore.h"
#include "trigindex.h"
#include "writer.h"

/* One word's accumulated postings for the batch. */
typedef struct acc {
    char *word;              /* in the batch's word arena */
    uint32_t len;
    uint32_t last_docid;     /* last docid encoded into stream */
    buf stream;
} acc;

typedef struct bdoc {
    uint32_t docid;
    char *path;
    char *text;
    size_t len;
    file_stamp stamp;
    uint64_t hash;
    passage *pass;
    size_t n_pass;
    uint32_t n_tokens;
    figrec *figs;
    size_t n_figs;
} bdoc;

typedef struct touch {
    uint32_t docid;
    file_stamp stamp;
} touch;

struct batch {
    bdoc *docs;
    size_t n_docs, cap_docs;
    uint32_t *removes;
    size_t n_removes, cap_removes;
    touch *touches;
    size_t n_touches, cap_touches;
    acc *accs;
    size_t n_accs, cap_accs;
    uint64_t *slots;         /* open addressing: the high half of the
                              * word's hash << 32 | acc index + 1, 0 =
                              * empty: most probes need no look at the
                              * acc.  Kept, emptied, from batch to batch */
    size_t n_slots;
    char **arena;            /* word storage blocks */
    size_t n_arena, arena_used;
    size_t bytes;
    trigacc *trig;           /* the batch's trigram lists */
    prepdoc *prep;           /* batch_add()'s document being prepared */
    prepwork *work;          /* and what preparing it needs */
};

#define ARENA_BLOCK (1 << 20)

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

batch *
batch_new(void)
{
    batch *b = calloc(1, sizeof(batch));

    if (b && !(b->trig = trigacc_new())) {
        free(b);
        b = NULL;
    }
    return b;
}

/* Free what the batch's documents and words hold, and empty it; the hash
 * tables are left stale (batch_clear() empties them). */
static void
batch_drop(batch *b)
{
    for (size_t i = 0; i < b->n_docs; i++) {
        free(b->docs[i].path);
        free(b->docs[i].text);
        free(b->docs[i].pass);
        free(b->docs[i].figs);
    }
    for (size_t i = 0; i < b->n_accs; i++)
        buf_free(&b->accs[i].stream);
    for (size_t i = 0; i < b->n_arena; i++)
        free(b->arena[i]);
    free(b->arena);
    b->arena = NULL;
    b->n_arena = b->arena_used = 0;
    b->n_docs = b->n_removes = b->n_touches = b->n_accs = 0;
    b->bytes = 0;
}

static void
batch_clear(batch *b)
{
    batch_drop(b);
    if (b->slots)
        memset(b->slots, 0, b->n_slots * sizeof *b->slots);
    trigacc_clear(b->trig);
}

void
batch_free(batch *b)
{
    if (!b)
        return;
    batch_drop(b);
    free(b->docs);
    free(b->removes);
    free(b->touches);
    free(b->accs);
    free(b->slots);
    trigacc_free(b->trig);
    prepdoc_free(b->prep);
    prepwork_free(b->work);
    free(b);
}

size_t
batch_bytes(const batch *b)
{
    return b->bytes + trigacc_bytes(b->trig);
}

bool
batch_has_path(const batch *b, const char *path)
{
    for (size_t i = 0; i < b->n_docs; i++)
        if (strcmp(b->docs[i].path, path) == 0)
            return true;
    return false;
}

size_t
batch_docs(const batch *b)
{
    return b->n_docs + b->n_removes + b->n_touches;
}

int
batch_remove(batch *b, uint32_t docid)
{
    if (grow((void **)&b->removes, &b->cap_removes, b->n_removes + 1,
             sizeof *b->removes))
        return BRIEF_ENOMEM;
    b->removes[b->n_removes++] = docid;
    return BRIEF_OK;
}

int
batch_touch(batch *b, uint32_t docid, const file_stamp *st)
{
    if (grow((void **)&b->touches, &b->cap_touches, b->n_touches + 1,
             sizeof *b->touches))
        return BRIEF_ENOMEM;
    b->touches[b->n_touches].docid = docid;
    b->touches[b->n_touches++].stamp = *st;
    return BRIEF_OK;
}

static char *
arena_copy(batch *b, const char *s, size_t len)
{
    char *p;

    if (!b->n_arena || b->arena_used + len + 1 > ARENA_BLOCK) {
        char **a = realloc(b->arena, (b->n_arena + 1) * sizeof *a);
        if (!a)
            return NULL;
        b->arena = a;
        if (!(a[b->n_arena] = malloc(ARENA_BLOCK)))
            return NULL;
        b->n_arena++;
        b->arena_used = 0;
    }
    p = b->arena[b->n_arena - 1] + b->arena_used;
    memcpy(p, s, len);
    p[len] = '\0';
    b->arena_used += len + 1;
    return p;
}

#define HASH_HIGH 0xffffffff00000000u

/* Whether slot (not empty) may hold the word of hash hv. */
static bool
slot_may_be(uint64_t slot, uint64_t hv)
{
    return ((slot ^ hv) & HASH_HIGH) == 0;
}

/* Double the hash table (or create it) and reinsert every acc. */
static int
rehash(batch *b)
{
    size_t n = b->n_slots ? b->n_slots * 2 : 4096;
    uint64_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < b->n_accs; i++) {
        uint64_t hv = XXH3_64bits(b->accs[i].word, b->accs[i].len);
        size_t h = hv & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = (hv & HASH_HIGH) | ((uint32_t)i + 1);
    }
    free(b->slots);
    b->slots = slots;
    b->n_slots = n;
    return 0;
}

/* Room for n more accs: the table at most half full after them and the
 * array large enough, so that adding them moves nothing (find() and the
 * prefetches in accumulate() rely on it). */
static int
reserve(batch *b, size_t n)
{
    while ((b->n_accs + n + 1) * 2 > b->n_slots)
        if (rehash(b))
            return -1;
    return grow((void **)&b->accs, &b->cap_accs, b->n_accs + n,
                sizeof *b->accs);
}

/* The acc of word (its hash hv, its probe starting at slot h), created
 * when new (room reserved); NULL when out of memory. */
static acc *
find(batch *b, const char *word, size_t len, uint64_t hv, size_t h)
{
    acc *a;

    for (; b->slots[h]; h = (h + 1) & (b->n_slots - 1)) {
        if (!slot_may_be(b->slots[h], hv))
            continue;
        a = &b->accs[(uint32_t)b->slots[h] - 1];
        if (a->len == len && memcmp(a->word, word, len) == 0)
            return a;
    }
    a = &b->accs[b->n_accs];
    memset(a, 0, sizeof *a);
    if (!(a->word = arena_copy(b, word, len)))
        return NULL;
    a->len = (uint32_t)len;
    b->slots[h] = (hv & HASH_HIGH) | (uint32_t)++b->n_accs;
    b->bytes += len + sizeof *a;
    return a;
}

/* Note that the token starting at byte start, at (pass, relpos), lies in
 * the figures it falls in: a figure's first token sets its passage and
 * position, its last its number of positions.  Tokens come in text
 * order; *fi is the first figure not yet behind them. */
static void
place_figures(bdoc *d, size_t *fi, size_t start, uint32_t pass,
              uint32_t relpos)
{
    while (*fi < d->n_figs && d->figs[*fi].f.end <= start)
        (*fi)++;
    for (size_t j = *fi; j < d->n_figs && d->figs[j].f.start <= start;
         j++) {
        figrec *r = &d->figs[j];
        if (start >= r->f.end)
            continue;
        if (r->n_pos == 0) {
            r->passage = pass;
            r->pos = relpos;
        }
        if (r->passage == pass && relpos >= r->pos)
            r->n_pos = relpos - r->pos + 1;
    }
}

/* Figures that hold no word: the passage they start in. */
static void
place_wordless(bdoc *d)
{
    for (size_t i = 0; i < d->n_figs; i++) {
        figrec *r = &d->figs[i];
        size_t p = 0;
        if (r->n_pos)
            continue;
        while (p + 1 < d->n_pass && d->pass[p + 1].byte_start <= r->f.start)
            p++;
        r->passage = (uint32_t)p;
    }
}

/* Run the figure extractor over d's text. */
static int
extract_figures(bdoc *d)
{
    figure *f;
    size_t n;

    if (figures_extract(d->text, d->len, &f, &n) != BRIEF_OK)
        return BRIEF_ENOMEM;
    if (n && !(d->figs = calloc(n, sizeof *d->figs))) {
        free(f);
        return BRIEF_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        d->figs[i].f = f[i];
    d->n_figs = n;
    free(f);
    return BRIEF_OK;
}

/* One distinct word of a prepared document and its entry. */
typedef struct pword {
    uint64_t hash;           /* XXH3 of the word, for the batch's table */
    uint32_t word, len;      /* the folded word: offset in words, bytes */
    uint32_t body, body_len; /* its encoded entry: offset in bodies */
    postings_entry pe;
} pword;

struct prepdoc {
    size_t zone_bytes;
    bdoc d;                  /* text, passages, figures: owned until added */
    trigset tris;            /* the text's distinct trigrams */
    pword *pw;               /* the document's distinct words */
    size_t n_pw, cap_pw;
    uint32_t *slots;         /* open addressing: pw index + 1, 0 = empty */
    size_t n_slots;
    buf words, bodies;
};

struct prepwork {
    tokenizer *tok;
    trigset tris;            /* only its scratch, lent to each prepdoc's */
    prepdoc *p;              /* the document being prepared */
    size_t fi;               /* its first figure not behind the tokens */
};

prepdoc *
prepdoc_new(size_t zone_bytes)
{
    prepdoc *p = calloc(1, sizeof *p);

    if (p)
        p->zone_bytes = zone_bytes;
    return p;
}

prepwork *
prepwork_new(void)
{
    prepwork *w = calloc(1, sizeof *w);

    if (w && !(w->tok = tokenizer_new())) {
        free(w);
        w = NULL;
    }
    return w;
}

void
prepwork_free(prepwork *w)
{
    if (!w)
        return;
    tokenizer_free(w->tok);
    trigset_free(&w->tris);
    free(w);
}

void
prepdoc_discard(prepdoc *p)
{
    free(p->d.text);
    free(p->d.pass);
    free(p->d.figs);
    memset(&p->d, 0, sizeof p->d);
    p->words.len = p->bodies.len = 0;
    /* The table is sized by the largest document yet: after it, a short
     * one empties only its own slots (each found from its word's home). */
    if (p->n_pw * 8 < p->n_slots) {
        for (size_t i = 0, mask = p->n_slots - 1; i < p->n_pw; i++) {
            size_t h = p->pw[i].hash & mask;
            while (p->slots[h] != i + 1)
                h = (h + 1) & mask;
            p->slots[h] = 0;
        }
    } else if (p->slots) {
        memset(p->slots, 0, p->n_slots * sizeof *p->slots);
    }
    p->n_pw = 0;
}

void
prepdoc_free(prepdoc *p)
{
    if (!p)
        return;
    prepdoc_discard(p);
    trigset_free(&p->tris);
    for (size_t i = 0; i < p->cap_pw; i++)
        postings_entry_free(&p->pw[i].pe);
    free(p->pw);
    free(p->slots);
    buf_free(&p->words);
    buf_free(&p->bodies);
    free(p);
}

/* Make the slot table of p fit n words (or create it); reinsert. */
static int
pword_rehash(prepdoc *p, size_t n)
{
    uint32_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < p->n_pw; i++) {
        size_t h = p->pw[i].hash & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = (uint32_t)i + 1;
    }
    free(p->slots);
    p->slots = slots;
    p->n_slots = n;
    return 0;
}

/* The entry of word in the document being prepared, created when new;
 * NULL when out of memory. */
static pword *
pword_get(prepdoc *p, const char *word, size_t len)
{
    uint64_t hv = XXH3_64bits(word, len);
    size_t h;
    pword *w;
    int rc = 0;

    if ((p->n_pw + 1) * 2 > p->n_slots &&
        pword_rehash(p, p->n_slots ? p->n_slots * 2 : 1024))
        return NULL;
    h = hv & (p->n_slots - 1);
    while (p->slots[h]) {
        w = &p->pw[p->slots[h] - 1];
        if (w->len == len &&
            memcmp(p->words.data + w->word, word, len) == 0)
            return w;
        h = (h + 1) & (p->n_slots - 1);
    }
    if (p->n_pw == p->cap_pw) {
        size_t cap = p->cap_pw ? p->cap_pw * 2 : 256;
        pword *v = realloc(p->pw, cap * sizeof *v);
        if (!v)
            return NULL;
        memset(v + p->cap_pw, 0, (cap - p->cap_pw) * sizeof *v);
        p->pw = v;
        p->cap_pw = cap;
    }
    w = &p->pw[p->n_pw];
    w->hash = hv;
    w->word = (uint32_t)p->words.len;
    w->len = (uint32_t)len;
    postings_entry_reset(&w->pe);
    buf_put(&rc, &p->words, word, len);
    if (rc)
        return NULL;
    p->slots[h] = (uint32_t)++p->n_pw;
    return w;
}

/* passage_cut()'s sink: the tag of a token is its word's entry, found
 * (or made) as the tokens come, so that words are numbered in text order;
 * once its passage is known, it is added to that entry, and the figures
 * it falls in are placed on it. */
static int
read_token(void *ctx, const token *tok, uint32_t *tag)
{
    prepwork *w = ctx;
    pword *pw = pword_get(w->p, tok->word, tok->word_len);

    if (!pw)
        return -1;
    *tag = (uint32_t)(pw - w->p->pw);
    return 0;
}

static int
place_token(void *ctx, uint32_t tag, size_t start, uint32_t pass,
            uint32_t relpos)
{
    prepwork *w = ctx;

    if (postings_entry_add(&w->p->pw[tag].pe, pass, relpos))
        return -1;
    place_figures(&w->p->d, &w->fi, start, pass, relpos);
    return 0;
}

/* Encode each word's entry. */
static int
encode_words(prepdoc *p)
{
    int rc = 0;

    for (size_t i = 0; i < p->n_pw; i++) {
        p->pw[i].body = (uint32_t)p->bodies.len;
        postings_entry_encode_body(&rc, &p->pw[i].pe, &p->bodies);
        p->pw[i].body_len = (uint32_t)p->bodies.len - p->pw[i].body;
    }
    return rc ? BRIEF_ENOMEM : BRIEF_OK;
}

/* The figures come first, so that the tokens are placed in them as the
 * passages are cut: the text is tokenized once. */
int
writer_prepare(prepdoc *p, prepwork *w, char *text, size_t len)
{
    bdoc *d = &p->d;
    passage_sink sink = { read_token, place_token, w };
    int rc;

    prepdoc_discard(p);
    d->text = text;
    d->len = len;
    w->p = p;
    w->fi = 0;
    if (extract_figures(d) ||
        passage_cut(w->tok, text, len, &sink, &d->pass, &d->n_pass))
        return BRIEF_ENOMEM;
    for (size_t i = 0; i < d->n_pass; i++)
        d->n_tokens += d->pass[i].n_tokens;
    place_wordless(d);
    trigset_swap_scratch(&w->tris, &p->tris);
    rc = trigram_extract_zones(text, len, p->zone_bytes, &p->tris);
    trigset_swap_scratch(&w->tris, &p->tris);
    return rc ? BRIEF_ENOMEM : encode_words(p);
}

uint32_t
prepdoc_ids(const prepdoc *p)
{
    return (uint32_t)trigram_zones(p->d.len, p->zone_bytes);
}

/* Words are added GROUP at a time, each step of the group's look-ups
 * prefetching what the next step reads: the slot, the acc, its word,
 * then the end of its stream.  A batch's table, accs, words and streams
 * are tens of MB, so each is a cache miss, and one after the other they
 * were most of accumulate()'s time (bench/PROFILE.md).  The words'
 * hashes come from the worker that prepared the document. */
#define GROUP 16

/* The acc index that slot h's word may be, or SIZE_MAX. */
static size_t
probe(const batch *b, size_t h, uint64_t hv)
{
    uint64_t slot = b->slots[h];

    return slot && slot_may_be(slot, hv) ? (uint32_t)slot - 1 : SIZE_MAX;
}

/* Append each word's entry of p to its stream in the batch, under
 * docid. */
static int
accumulate(batch *b, const prepdoc *p, uint32_t docid)
{
    size_t h[GROUP], at[GROUP];
    acc *a[GROUP];
    int rc = 0;

    for (size_t g = 0; g < p->n_pw && !rc; g += GROUP) {
        const pword *w = p->pw + g;
        size_t m = p->n_pw - g < GROUP ? p->n_pw - g : GROUP;
        if (reserve(b, m))
            return BRIEF_ENOMEM;
        for (size_t i = 0; i < m; i++) {
            h[i] = w[i].hash & (b->n_slots - 1);
            __builtin_prefetch(&b->slots[h[i]]);
        }
        for (size_t i = 0; i < m; i++)
            if ((at[i] = probe(b, h[i], w[i].hash)) != SIZE_MAX)
                __builtin_prefetch(&b->accs[at[i]]);
        for (size_t i = 0; i < m; i++)
            if (at[i] != SIZE_MAX)
                __builtin_prefetch(b->accs[at[i]].word);
        for (size_t i = 0; i < m; i++) {
            const buf *s;
            if (!(a[i] = find(b, (const char *)p->words.data + w[i].word,
                              w[i].len, w[i].hash, h[i])))
                return BRIEF_ENOMEM;
            s = &a[i]->stream;
            if (s->data)
                __builtin_prefetch(s->data + s->len, 1);
        }
        for (size_t i = 0; i < m && !rc; i++) {
            size_t before = a[i]->stream.len;
            buf_put_varint(&rc, &a[i]->stream, docid - a[i]->last_docid);
            buf_put(&rc, &a[i]->stream, p->bodies.data + w[i].body,
                    w[i].body_len);
            a[i]->last_docid = docid;
            b->bytes += a[i]->stream.len - before;
        }
    }
    return rc;
}

int
batch_add_prepared(batch *b, brief_index *ix, uint32_t docid,
                   const char *path, prepdoc *p, const file_stamp *st,
                   uint64_t hash)
{
    bdoc *d;
    int rc;

    if (grow((void **)&b->docs, &b->cap_docs, b->n_docs + 1, sizeof *d)) {
        prepdoc_discard(p);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    d = &b->docs[b->n_docs++];
    *d = p->d;                          /* the batch owns it from here */
    memset(&p->d, 0, sizeof p->d);
    d->docid = docid;
    d->stamp = *st;
    d->hash = hash;
    if (!(d->path = strdup(path)) ||
        trigacc_add(b->trig, &p->tris, docid))
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    b->bytes += d->len + d->n_pass * sizeof *d->pass;
    if ((rc = accumulate(b, p, docid)))
        return err_set(&ix->err, rc, "out of memory");
    return BRIEF_OK;
}

int
batch_add(batch *b, brief_index *ix, uint32_t docid, const char *path,
          char *text, size_t len, const file_stamp *st, uint64_t hash)
{
    int rc;

    if ((!b->prep && !(b->prep = prepdoc_new(ix->zone_bytes))) ||
        (!b->work && !(b->work = prepwork_new()))) {
        free(text);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if ((rc = writer_prepare(b->prep, b->work, text, len)))
        return err_set(&ix->err, rc, "out of memory");
    return batch_add_prepared(b, ix, docid, path, b->prep, st, hash);
}

/* ---------------------------------------------------------------- */
/* Commit                                                            */
/* ---------------------------------------------------------------- */

int
writer_get_doc(store_txn *t, uint32_t docid, doc_rec *out, brief_err *e)
{
    unsigned char key[4];
    sval v;
    int rc;

    put_u32be(key, docid);
    rc = store_get(t, DB_DOCS, key, 4, &v, e);
    if (rc)
        return rc;
    if (v.len < DOC_REC_FIXED)
        return err_set(e, BRIEF_ECORRUPT, "document %u: record of %zu "
                       "bytes", docid, v.len);
    out->stamp.size = get_u64le(v.p);
    out->stamp.mtime_ns = (int64_t)get_u64le(v.p + 8);
    out->hash = get_u64le(v.p + 16);
    out->n_passages = get_u32le(v.p + 24);
    out->n_tokens = get_u32le(v.p + 28);
    out->flags = get_u32le(v.p + 32);
    out->stamp.ctime_ns = (int64_t)get_u64le(v.p + 36);
    out->path = (const char *)v.p + DOC_REC_FIXED;
    out->path_len = v.len - DOC_REC_FIXED;
    return BRIEF_OK;
}

static int
put_doc(store_txn *t, const bdoc *d, brief_err *e)
{
    unsigned char key[4];
    buf rec = { NULL, 0, 0 };
    int rc = 0;

    put_u32be(key, d->docid);
    buf_reserve(&rc, &rec, DOC_REC_FIXED);
    if (rc)
        return err_set(e, rc, "out of memory");
    put_u64le(rec.data, d->stamp.size);
    put_u64le(rec.data + 8, (uint64_t)d->stamp.mtime_ns);
    put_u64le(rec.data + 16, d->hash);
    put_u32le(rec.data + 24, (uint32_t)d->n_pass);
    put_u32le(rec.data + 28, d->n_tokens);
    put_u32le(rec.data + 32, 0);
    put_u64le(rec.data + 36, (uint64_t)d->stamp.ctime_ns);
    rec.len = DOC_REC_FIXED;
    buf_put_str(&rc, &rec, d->path);
    if (rc) {
        buf_free(&rec);
        return err_set(e, rc, "out of memory");
    }
    rc = store_append(t, DB_DOCS, key, 4, rec.data, rec.len, e);
    buf_free(&rec);
    return rc;
}

static int
put_passages(store_txn *t, const bdoc *d, brief_err *e)
{
    unsigned char key[4], *v;
    size_t len;
    int rc;

    put_u32be(key, d->docid);
    v = malloc(passage_rec_max(d->n_pass));
    if (!v)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    len = passage_rec_put(d->pass, d->n_pass, v);
    rc = store_append(t, DB_PASSAGES, key, 4, v, len, e);
    free(v);
    return rc;
}

/* The passages' token counts again, for ranking (plens): a width byte
 * (2 when every count fits in 16 bits, else 4), then one little-endian
 * count of that width per passage, so that passage i is read directly. */
static int
put_plens(store_txn *t, const bdoc *d, brief_err *e)
{
    unsigned char key[4], *v;
    size_t width = 2;
    int rc;

    put_u32be(key, d->docid);
    for (size_t i = 0; i < d->n_pass; i++)
        if (d->pass[i].n_tokens > UINT16_MAX)
            width = 4;
    if (!(v = malloc(1 + d->n_pass * width)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    v[0] = (unsigned char)width;
    for (size_t i = 0; i < d->n_pass; i++) {
        uint32_t n = d->pass[i].n_tokens;
        if (width == 2) {
            v[1 + 2 * i] = (unsigned char)n;
            v[2 + 2 * i] = (unsigned char)(n >> 8);
        } else {
            put_u32le(v + 1 + 4 * i, n);
        }
    }
    rc = store_append(t, DB_PLENS, key, 4, v, 1 + d->n_pass * width, e);
    free(v);
    return rc;
}

/* Meta path_order is 1 while docid order is path order: while each new
 * document's path sorts after every stored one, as those of a build from
 * scratch do (a run sorts its files by path), unless some lie outside
 * the index's parent and are stored by absolute path.  A regex search
 * then reads the paths of only the documents that match (grep.c).  A
 * path that sorts before the last one clears it for the life of the
 * index.  The last key stays valid for the comparison: nothing is
 * written in between. */
static int
note_path_order(store_txn *t, const char *path, size_t len, brief_err *e)
{
    store_cursor *cur;
    uint64_t ordered;
    sval k, v;
    int rc, c;

    if ((rc = store_meta_get(t, "path_order", &ordered, e)) || !ordered)
        return rc;
    if ((rc = store_cursor_open(t, DB_PATHS, &cur, e)))
        return rc;
    rc = store_cursor_last(cur, &k, &v);
    store_cursor_close(cur);
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    c = memcmp(path, k.p, len < k.len ? len : k.len);
    if (c < 0 || (c == 0 && len <= k.len))
        return store_meta_put(t, "path_order", 0, e);
    return BRIEF_OK;
}

/* A new document's records; its text goes to the batch's packer, its
 * figures' unit index entries to the batch's runs. */
static int
store_new_doc(store_txn *t, textpack *tp, figbatch *fb, const bdoc *d,
              brief_err *e)
{
    unsigned char key[4];
    uint64_t tokens = d->n_tokens;
    int rc;

    put_u32be(key, d->docid);
    if ((rc = put_doc(t, d, e)) ||
        (rc = note_path_order(t, d->path, strlen(d->path), e)) ||
        (rc = store_put(t, DB_PATHS, d->path, strlen(d->path), key, 4, e)) ||
        (rc = textpack_add(tp, d->docid, d->text, d->len, e)) ||
        (rc = put_passages(t, d, e)) ||
        (rc = put_plens(t, d, e)) ||
        (rc = store_meta_add(t, "documents", 1, e)) ||
        (rc = store_meta_add(t, "passages", (int64_t)d->n_pass, e)) ||
        (rc = store_meta_add(t, "tokens", (int64_t)tokens, e)) ||
        (rc = store_meta_add(t, "figures", (int64_t)d->n_figs, e)) ||
        (rc = figstore_put(t, fb, d->docid, d->figs, d->n_figs, e)))
        return rc;
    return store_meta_add(t, "text_bytes", (int64_t)d->len, e);
}

static int
emit_chunk(void *ctx, uint32_t first, const unsigned char *v, size_t len,
           bool replaces_tail)
{
    segwriter *w = ctx;
    unsigned char key[TERMS_KEY_MAX];
    size_t klen = terms_key(key, (const char *)w->term, w->term_len, first);

    (void)replaces_tail;
    return segwriter_add(w, DB_POSTINGS, key, klen, v, len);
}

/* Write a's stream as the word's chunks in the batch's segment, and file
 * the word under its stem s (stem_len bytes; NULL when it is its own)
 * (a word filed already is left alone: looking it up in the stems
 * database touches fewer pages than seeking it in every earlier
 * segment). */
static int
write_word(segwriter *w, const char *s, size_t stem_len, const acc *a,
           buf *one)
{
    uint32_t first;
    int rc;

    if (s && (rc = store_put(w->t, DB_STEMS, s, stem_len, a->word, a->len,
                             w->e)))
        return rc;
    w->term = (const unsigned char *)a->word;
    w->term_len = a->len;
    rc = postings_chunk_one(a->stream.data, a->stream.len, a->last_docid,
                            one, &first);
    if (rc == 1)
        rc = emit_chunk(w, first, one->data, one->len, false);
    else if (rc == 0)
        rc = postings_chunks_build(a->stream.data, a->stream.len, NULL, 0,
                                   0, emit_chunk, w);
    if (rc == -1)
        return err_set(w->e, BRIEF_ECORRUPT, "postings of '%s' are corrupt",
                       a->word);
    if (rc == -2)
        return err_set(w->e, BRIEF_ENOMEM, "out of memory");
    return rc;
}

static int
cmp_acc(const void *x, const void *y)
{
    const acc *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->word, b->word, n);

    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* A word of the batch, keyed for sorting by its first eight bytes as a
 * number (padded with zeros: a word sorts before its extensions). */
typedef struct wordkey {
    uint64_t key;
    const acc *a;
} wordkey;

static int
cmp_wordkey(const void *x, const void *y)
{
    return cmp_acc(((const wordkey *)x)->a, ((const wordkey *)y)->a);
}

/* The batch's words in byte order, which makes every key of the segment
 * an append: an LSD radix sort of the keys, a byte a pass (a byte all
 * keys share is skipped), then qsort() of each run of words that share
 * their first eight bytes.  A quarter of qsort()'s instructions on the
 * accumulators (bench/PROFILE.md).  NULL when out of memory. */
static wordkey *
sort_words(const batch *b)
{
    size_t n = b->n_accs;
    wordkey *all = malloc((2 * n + 1) * sizeof *all), *v = all, *tmp;

    if (!all)
        return NULL;
    tmp = all + n;
    for (size_t i = 0; i < n; i++) {
        unsigned char pad[8] = { 0 };
        const acc *a = &b->accs[i];
        memcpy(pad, a->word, a->len < 8 ? a->len : 8);
        v[i].key = get_u64be(pad);
        v[i].a = a;
    }
    for (int shift = 0; shift < 64 && n; shift += 8) {
        size_t count[257] = { 0 };
        wordkey *t;
        for (size_t i = 0; i < n; i++)
            count[(v[i].key >> shift & 0xff) + 1]++;
        if (count[(v[0].key >> shift & 0xff) + 1] == n)
            continue;
        for (int c = 0; c < 256; c++)
            count[c + 1] += count[c];
        for (size_t i = 0; i < n; i++)
            tmp[count[v[i].key >> shift & 0xff]++] = v[i];
        t = v;
        v = tmp;
        tmp = t;
    }
    if (v != all)
        memcpy(all, v, n * sizeof *v);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && all[j].key == all[i].key; j++)
            ;
        if (j - i > 1)
            qsort(all + i, j - i, sizeof *all, cmp_wordkey);
    }
    return all;
}

/* The stems of a commit's words, in the order of sorted: word i is its
 * own stem when at[i] is OWN_STEM, else its stem is the len[i] bytes at
 * arena + at[i].  A thread of their own finds them while the commit
 * stores the batch's documents (a tenth of the commit of a one-batch
 * build, bench/PROFILE.md); the commit leaves the stemmer alone until
 * stems_wait(). */
#define OWN_STEM UINT32_MAX
typedef struct stems {
    stemmer *stem;
    const wordkey *sorted;
    size_t n;
    uint32_t *at, *len;
    buf arena;
    int rc;
    bool threaded;
    pthread_t thread;
} stems;

static void *
find_stems(void *arg)
{
    stems *s = arg;
    int rc = 0;

    for (size_t i = 0; i < s->n && !rc; i++) {
        const acc *a = s->sorted[i].a;
        size_t len;
        const char *st = terms_stem(s->stem, a->word, a->len, &len);
        if (!st || s->arena.len + len >= OWN_STEM) {
            rc = -1;
        } else if (len == a->len && memcmp(st, a->word, len) == 0) {
            s->at[i] = OWN_STEM;
        } else {
            s->at[i] = (uint32_t)s->arena.len;
            s->len[i] = (uint32_t)len;
            buf_put(&rc, &s->arena, st, len);
        }
    }
    s->rc = rc ? BRIEF_ENOMEM : BRIEF_OK;
    return NULL;
}

/* Find the stems of sorted[0..n), in a thread when threaded allows (and
 * one can be had), else at once. */
static void
stems_start(stems *s, stemmer *stem, const wordkey *sorted, size_t n,
            bool threaded)
{
    memset(s, 0, sizeof *s);
    s->stem = stem;
    s->sorted = sorted;
    s->n = n;
    s->at = malloc((n + 1) * sizeof *s->at);
    s->len = malloc((n + 1) * sizeof *s->len);
    if (!s->at || !s->len) {
        s->n = 0;
        s->rc = BRIEF_ENOMEM;
        return;
    }
    s->threaded = threaded &&
                  pthread_create(&s->thread, NULL, find_stems, s) == 0;
    if (!s->threaded)
        find_stems(s);
}

/* Wait for the stems; BRIEF_OK or BRIEF_ENOMEM. */
static int
stems_wait(stems *s)
{
    if (s->threaded)
        pthread_join(s->thread, NULL);
    s->threaded = false;
    return s->rc;
}

static void
stems_free(stems *s)
{
    free(s->at);
    free(s->len);
    buf_free(&s->arena);
}

/* The last docid d takes: its last zone's (trigram.h). */
static uint32_t
last_id(const bdoc *d, size_t zone_bytes)
{
    return d->docid + (uint32_t)trigram_zones(d->len, zone_bytes) - 1;
}

/* The batch's postings and trigrams: a new segment, the words in the
 * order of sorted, their stems in st. */
static int
write_segment(batch *b, brief_index *ix, store_txn *t,
              const wordkey *sorted, const stems *st)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    segwriter w;
    buf one = { NULL, 0, 0 };
    int rc;

    for (size_t i = 0; i < b->n_docs; i++) {
        uint32_t last = last_id(&b->docs[i], ix->zone_bytes);
        lo = b->docs[i].docid < lo ? b->docs[i].docid : lo;
        hi = last > hi ? last : hi;
    }
    rc = segwriter_begin(&w, t, lo, hi, &ix->err);
    for (size_t i = 0; i < b->n_accs && !rc; i++) {
        const char *s = st->at[i] == OWN_STEM
                        ? NULL : (const char *)st->arena.data + st->at[i];
        /* Out of order, a word would still be stored, by a slower put:
         * checked, so that a fault in sort_words() cannot hide. */
        if (i && cmp_acc(sorted[i - 1].a, sorted[i].a) >= 0)
            rc = err_set(&ix->err, BRIEF_ECORRUPT, "the batch's words are "
                         "out of order at '%s'", sorted[i].a->word);
        else
            rc = write_word(&w, s, st->len[i], sorted[i].a, &one);
    }
    buf_free(&one);
    if (rc || (rc = trigacc_commit(b->trig, &w)))
        return rc;
    return segwriter_end(&w);
}

/* The batch's touches and new documents. */
static int
store_docs(batch *b, brief_index *ix, store_txn *t)
{
    brief_err *e = &ix->err;
    textpack tp;
    figbatch fb = { NULL, 0, 0, 0 };
    int rc;

    for (size_t i = 0; i < b->n_touches; i++) {
        unsigned char key[4];
        sval v;
        unsigned char *copy;
        put_u32be(key, b->touches[i].docid);
        if ((rc = store_get(t, DB_DOCS, key, 4, &v, e)) == BRIEF_DONE)
            continue;
        if (rc)
            return rc;
        if (v.len < DOC_REC_FIXED || !(copy = malloc(v.len)))
            return err_set(e, BRIEF_ENOMEM, "out of memory");
        memcpy(copy, v.p, v.len);
        put_u64le(copy + 8, (uint64_t)b->touches[i].stamp.mtime_ns);
        put_u64le(copy + 36, (uint64_t)b->touches[i].stamp.ctime_ns);
        rc = store_put(t, DB_DOCS, key, 4, copy, v.len, e);
        free(copy);
        if (rc)
            return rc;
    }
    rc = BRIEF_OK;
    textpack_init(&tp, t);
    for (size_t i = 0; i < b->n_docs && !rc; i++)
        rc = store_new_doc(t, &tp, &fb, &b->docs[i], e);
    if (!rc && !(rc = textpack_flush(&tp, e)))
        rc = figbatch_flush(t, &fb, e);
    textpack_free(&tp);
    figbatch_free(&fb);
    return rc;
}

static int
apply(batch *b, brief_index *ix, store_txn *t, const wordkey *sorted,
      bool threaded)
{
    brief_err *e = &ix->err;
    stems st;
    uint64_t next;
    int rc, src;

    for (size_t i = 0; i < b->n_removes; i++)
        if ((rc = writer_remove_doc(t, ix, b->removes[i])))
            return rc;
    stems_start(&st, ix->stem, sorted, b->n_accs, threaded);
    rc = store_docs(b, ix, t);
    if ((src = stems_wait(&st)) && !rc)
        rc = err_set(e, src, "out of memory");
    /* The pages the removals and the figvals runs read are not read
     * again: drop them before the segment is written. */
    if (!rc)
        store_txn_release_pages(t);
    if (!rc && b->n_docs)
        rc = write_segment(b, ix, t, sorted, &st);
    stems_free(&st);
    if (rc || (rc = store_meta_get(t, "next_docid", &next, e)))
        return rc;
    for (size_t i = 0; i < b->n_docs; i++)
        if (last_id(&b->docs[i], ix->zone_bytes) >= next)
            next = (uint64_t)last_id(&b->docs[i], ix->zone_bytes) + 1;
    return store_meta_put(t, "next_docid", next, e);
}

int
writer_commit(batch *b, brief_index *ix, unsigned flags)
{
    bool consolidates = flags & WRITER_CONSOLIDATES;
    store_txn *t;
    wordkey *sorted = sort_words(b);
    unsigned merged;
    int rc;

    if (!sorted) {
        batch_clear(b);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    /* Merges due go first: the pages they free are reused by the batch
     * (at the end of a run they would be left free in the file). */
    if (b->n_docs &&
        (rc = segment_maintain(ix->st, &ix->err, consolidates, &merged))) {
        free(sorted);
        batch_clear(b);
        return rc;
    }
    /* Each retry doubles the map; 20 doublings of 1 GiB is beyond any
     * disk, so the loop ends. */
    for (int tries = 0; tries < 20; tries++) {
        if ((rc = store_begin(ix->st, true, &t, &ix->err)))
            break;
        rc = apply(b, ix, t, sorted, flags & WRITER_THREADS);
        if (rc == BRIEF_OK) {
            rc = store_commit(t, &ix->err);
        } else {
            store_abort(t);
        }
        if (rc != BRIEF_EFULL)
            break;
        if ((rc = store_grow(ix->st, &ix->err)))
            break;
    }
    if (rc == BRIEF_OK)
        err_clear(&ix->err);
    free(sorted);
    batch_clear(b);
    store_release_pages(ix->st);
    return rc;
}
