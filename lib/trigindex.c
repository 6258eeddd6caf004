/*
 * trigindex.c: trigram lists in LMDB.
 *
 * Logical key (segment.h puts the segment id in front): the trigram's
 * 3 bytes | u32be first docid.  Value:
 *   (last docid - first docid) * 2 + form | body
 *   form 0: body := docid delta+ (varints), the first 0 (the key's
 *           docid), later ones > 0
 *   form 1: body := a bitmap of last - first + 1 bits, least significant
 *           bit of each byte first: bit i is set when first + i is
 *           listed (bits 0 and last - first are); the bits after the
 *           last are 0
 * The writer takes the shorter form: a trigram in more than about one
 * document in eight (most of English text's) costs a bit a document
 * rather than a byte.  Examples, under key (tri, 7): docs 7, 9, 30 are
 * [46, 0, 2, 21] (form 0: span 23); docs 7, 8, 9, 11 are [9, 0x17]
 * (form 1: span 4, bits 0, 1, 2 and 4), not [8, 0, 1, 1, 2].  A chunk
 * stops growing at TRIG_CHUNK_MAX bytes of deltas, for the same reason
 * as posting chunks (postings.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "segment.h"
#include "trigindex.h"

#define TRIG_CHUNK_MAX 1800

typedef struct tacc {
    trigram t;
    uint32_t last;           /* last docid added */
    buf stream;              /* deltas, the first against 0 */
} tacc;

struct trigacc {
    tacc *v;
    size_t n, cap;
    uint64_t *slots;         /* trigram << 32 | index + 1; 0 empty: the
                              * probe needs no look at the tacc */
    size_t n_slots;
    size_t bytes;
};

trigacc *
trigacc_new(void)
{
    return calloc(1, sizeof(trigacc));
}

void
trigacc_clear(trigacc *a)
{
    for (size_t i = 0; i < a->n; i++)
        buf_free(&a->v[i].stream);
    a->n = 0;
    a->bytes = 0;
    if (a->slots)
        memset(a->slots, 0, a->n_slots * sizeof *a->slots);
}

void
trigacc_free(trigacc *a)
{
    if (!a)
        return;
    trigacc_clear(a);
    free(a->v);
    free(a->slots);
    free(a);
}

size_t
trigacc_bytes(const trigacc *a)
{
    return a->bytes;
}

static size_t
hash(trigram t, size_t mask)
{
    return (t * 2654435761u) & mask;
}

static int
rehash(trigacc *a)
{
    size_t n = a->n_slots ? a->n_slots * 2 : 65536;
    uint64_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < a->n; i++) {
        size_t h = hash(a->v[i].t, n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = (uint64_t)a->v[i].t << 32 | ((uint32_t)i + 1);
    }
    free(a->slots);
    a->slots = slots;
    a->n_slots = n;
    return 0;
}

static tacc *
get(trigacc *a, trigram t)
{
    size_t h;

    if ((a->n + 1) * 2 > a->n_slots && rehash(a))
        return NULL;
    h = hash(t, a->n_slots - 1);
    while (a->slots[h]) {
        if (a->slots[h] >> 32 == t)
            return &a->v[(uint32_t)a->slots[h] - 1];
        h = (h + 1) & (a->n_slots - 1);
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4096;
        tacc *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return NULL;
        a->v = v;
        a->cap = cap;
    }
    memset(&a->v[a->n], 0, sizeof a->v[a->n]);
    a->v[a->n].t = t;
    a->slots[h] = (uint64_t)t << 32 | (uint32_t)++a->n;
    a->bytes += sizeof(tacc);
    return &a->v[a->n - 1];
}

int
trigacc_add(trigacc *a, const trigset *set, uint32_t docid)
{
    int rc = 0;

    for (size_t i = 0; i < set->n && !rc; i++) {
        tacc *x = get(a, set->v[i]);
        size_t before;
        if (!x)
            return BRIEF_ENOMEM;
        before = x->stream.len;
        buf_put_varint(&rc, &x->stream, docid - x->last);
        x->last = docid;
        a->bytes += x->stream.len - before;
    }
    return rc;
}

static void
key_of(unsigned char key[7], trigram t, uint32_t docid)
{
    key[0] = (unsigned char)(t >> 16);
    key[1] = (unsigned char)(t >> 8);
    key[2] = (unsigned char)t;
    put_u32be(key + 3, docid);
}

/* Append to out the chunk of [first, last] whose deltas (the first 0)
 * are body[0..len), in the shorter form. */
static void
encode(int *rc, buf *out, const unsigned char *body, size_t len,
       uint32_t first, uint32_t last)
{
    const unsigned char *p = body, *end = body + len;
    size_t bytes = (last - first) / 8 + 1;
    uint64_t doc = first, d;
    unsigned char *map;

    if (bytes >= len) {
        buf_put_varint(rc, out, (uint64_t)(last - first) * 2);
        buf_put(rc, out, body, len);
        return;
    }
    buf_put_varint(rc, out, (uint64_t)(last - first) * 2 + 1);
    buf_reserve(rc, out, bytes);
    if (*rc)
        return;
    map = out->data + out->len;
    memset(map, 0, bytes);
    while (p < end && !varint_get(&p, end, &d)) {
        doc += d;
        map[(doc - first) / 8] |= (unsigned char)(1u << ((doc - first) % 8));
    }
    out->len += bytes;
}

/* Emit the chunk for [first, last] with deltas (the first 0) body. */
static int
flush(const buf *body, uint32_t first, uint32_t last, buf *tmp,
      int (*emit)(void *, uint32_t, const unsigned char *, size_t, bool),
      void *ctx)
{
    int rc = 0;

    tmp->len = 0;
    encode(&rc, tmp, body->data, body->len, first, last);
    return rc ? -2 : emit(ctx, first, tmp->data, tmp->len, false);
}

int
trigindex_chunks_build(const unsigned char *stream, size_t len,
                       int (*emit)(void *ctx, uint32_t first,
                                   const unsigned char *v, size_t len,
                                   bool replaces_tail),
                       void *ctx)
{
    const unsigned char *p = stream, *end = stream + len;
    buf body = { NULL, 0, 0 }, tmp = { NULL, 0, 0 };
    uint32_t first = 0, last = 0;
    uint64_t doc = 0;
    int rc = 0;

    while (!rc && p < end) {
        uint64_t d;
        if (varint_get(&p, end, &d) || (body.len && d == 0) ||
            doc + d > UINT32_MAX) {
            rc = -1;
            break;
        }
        doc += d;
        if (body.len && body.len + 5 > TRIG_CHUNK_MAX) {
            if ((rc = flush(&body, first, last, &tmp, emit, ctx)))
                break;
            body.len = 0;
        }
        if (!body.len)
            first = (uint32_t)doc;
        buf_put_varint(&rc, &body, doc - (body.len ? last : first));
        if (rc)
            rc = -2;
        last = (uint32_t)doc;
    }
    if (!rc && body.len)
        rc = flush(&body, first, last, &tmp, emit, ctx);
    buf_free(&body);
    buf_free(&tmp);
    return rc;
}

/* Append doc to (*docs)[*n], growing it.  -2 when out of memory. */
static int
push(uint32_t **docs, size_t *n, size_t *cap, uint64_t doc)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        uint32_t *v = realloc(*docs, c * sizeof *v);
        if (!v)
            return -2;
        *docs = v;
        *cap = c;
    }
    (*docs)[(*n)++] = (uint32_t)doc;
    return 0;
}

/* The bitmap form's body [p, end) of span + 1 bits into *docs. */
static int
decode_map(const unsigned char *p, const unsigned char *end, uint32_t first,
           uint64_t span, uint32_t **docs, size_t *n, size_t *cap)
{
    if ((uint64_t)(end - p) != span / 8 + 1 || !(p[0] & 1) ||
        !(p[span / 8] & (1u << (span % 8))) || (p[span / 8] >> (span % 8)) > 1)
        return -1;
    /* Byte by byte: a run of documents without the trigram costs a test
     * per byte, not per bit; room for the byte's documents is made once,
     * and each set bit found by counting trailing zeros. */
    for (uint64_t i = 0; i <= span / 8; i++) {
        unsigned b = p[i];
        if (!b)
            continue;
        if (*n + 8 > *cap) {
            size_t c = *cap ? *cap * 2 : 1024;
            uint32_t *v = realloc(*docs, c * sizeof *v);
            if (!v)
                return -2;
            *docs = v;
            *cap = c;
        }
        for (; b; b &= b - 1)
            (*docs)[(*n)++] = first + (uint32_t)(i * 8) +
                              (uint32_t)__builtin_ctz(b);
    }
    return 0;
}

int
trigindex_chunk_decode(const unsigned char *p, size_t len, uint32_t first,
                       uint32_t **docs, size_t *n, size_t *cap)
{
    const unsigned char *end = p + len;
    uint64_t span, d, doc = first;
    bool start = true;

    if (varint_get(&p, end, &span) || (span >> 1) > UINT32_MAX - first)
        return -1;
    if (span & 1)
        return decode_map(p, end, first, span >> 1, docs, n, cap);
    span >>= 1;
    while (p < end) {
        if (varint_get(&p, end, &d) || (start ? d != 0 : d == 0))
            return -1;
        doc += d;
        if (doc > (uint64_t)first + span)
            return -1;
        if (push(docs, n, cap, doc))
            return -2;
        start = false;
    }
    return !start && doc == (uint64_t)first + span ? 0 : -1;
}

int
trigindex_chunk_to_stream(const unsigned char *v, size_t len,
                          uint32_t first, uint32_t *prev, buf *stream)
{
    uint32_t *docs = NULL;
    size_t n = 0, cap = 0;
    int rc = trigindex_chunk_decode(v, len, first, &docs, &n, &cap);

    if (!rc && first < *prev)
        rc = -1;
    for (size_t i = 0; i < n && !rc; i++) {
        buf_put_varint(&rc, stream, docs[i] - (i ? docs[i - 1] : *prev));
        if (rc)
            rc = -2;
    }
    if (!rc)
        *prev = docs[n - 1];
    free(docs);
    return rc;
}

/* Where trigacc_commit() writes one trigram's chunks. */
typedef struct emit_ctx {
    segwriter *w;
    trigram tri;
} emit_ctx;

static int
emit(void *ctx, uint32_t first, const unsigned char *v, size_t len,
     bool replaces_tail)
{
    emit_ctx *c = ctx;
    unsigned char key[7];

    (void)replaces_tail;
    key_of(key, c->tri, first);
    return segwriter_add(c->w, DB_TRIGRAMS, key, 7, v, len);
}

static int
cmp_tacc(const void *a, const void *b)
{
    trigram x = ((const tacc *)a)->t, y = ((const tacc *)b)->t;

    return (x > y) - (x < y);
}

int
trigacc_commit(trigacc *a, segwriter *w)
{
    int rc = BRIEF_OK;

    /* In key order: every key is appended.  The hash table is stale
     * after sorting, so the batch is cleared by the caller. */
    if (a->n > 1)
        qsort(a->v, a->n, sizeof *a->v, cmp_tacc);
    if (a->slots)
        memset(a->slots, 0, a->n_slots * sizeof *a->slots);
    for (size_t i = 0; i < a->n && !rc; i++) {
        emit_ctx c = { w, a->v[i].t };
        rc = trigindex_chunks_build(a->v[i].stream.data,
                                    a->v[i].stream.len, emit, &c);
        if (rc == -1)
            rc = err_set(w->e, BRIEF_ECORRUPT, "a trigram stream is "
                         "corrupt");
        else if (rc == -2)
            rc = err_set(w->e, BRIEF_ENOMEM, "out of memory");
    }
    return rc;
}

/* Cut docid out of tri's chunk that holds it. */
static int
remove_one(store_txn *t, segcur *cur, trigram tri, uint32_t docid,
           buf *body, buf *tmp, uint32_t **docs, size_t *cap, brief_err *e)
{
    unsigned char key[7];
    uint32_t first, n_keep = 0, prev = 0, keep_first = 0, seg;
    size_t n = 0;
    sval k, v;
    int rc, brc = 0;

    key_of(key, tri, docid);
    rc = segcur_floor(cur, key, 7, &k, &v);
    if (rc || k.len != 7 || memcmp(k.p, key, 3) != 0)
        return err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                       "document %u", docid);
    first = get_u32be(k.p + 3);
    seg = segcur_segment(cur)->id;
    if ((rc = trigindex_chunk_decode(v.p, v.len, first, docs, &n, cap)))
        return rc == -2 ? err_set(e, BRIEF_ENOMEM, "out of memory")
                        : err_set(e, BRIEF_ECORRUPT, "a trigram chunk is "
                                  "corrupt");
    body->len = 0;
    for (size_t j = 0; j < n; j++) {
        if ((*docs)[j] == docid)
            continue;
        buf_put_varint(&brc, body, n_keep ? (*docs)[j] - prev : 0);
        if (!n_keep)
            keep_first = (*docs)[j];
        prev = (*docs)[j];
        n_keep++;
    }
    if (brc)
        return err_set(e, brc, "out of memory");
    if (n_keep == n)
        return err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                       "document %u", docid);
    key_of(key, tri, first);
    if ((rc = segment_del(t, DB_TRIGRAMS, seg, key, 7, e)) || !n_keep)
        return rc;
    tmp->len = 0;
    encode(&brc, tmp, body->data, body->len, keep_first, prev);
    if (brc)
        return err_set(e, brc, "out of memory");
    key_of(key, tri, keep_first);
    return segment_put(t, DB_TRIGRAMS, seg, key, 7, tmp->data, tmp->len, e);
}

int
trigindex_remove(store_txn *t, const trigset *set, uint32_t docid,
                 brief_err *e)
{
    segcur *cur;
    uint32_t *docs = NULL;
    size_t cap = 0;
    buf body = { NULL, 0, 0 }, tmp = { NULL, 0, 0 };
    int rc;

    if ((rc = segcur_open(t, DB_TRIGRAMS, &cur, e)))
        return rc;
    for (size_t i = 0; i < set->n && !rc; i++)
        rc = remove_one(t, cur, set->v[i], docid, &body, &tmp, &docs, &cap,
                        e);
    segcur_close(cur);
    free(docs);
    buf_free(&body);
    buf_free(&tmp);
    return rc;
}

int
trigindex_list(store_txn *t, trigram tri, uint32_t **docs, size_t *n,
               size_t *cap, brief_err *e)
{
    unsigned char key[7];
    segcur *cur;
    sval k, v;
    int rc;

    if ((rc = segcur_open(t, DB_TRIGRAMS, &cur, e)))
        return rc;
    key_of(key, tri, 0);
    for (rc = segcur_seek(cur, key, 7, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        int drc;
        if (k.len != 7 || memcmp(k.p, key, 3) != 0)
            break;
        drc = trigindex_chunk_decode(v.p, v.len, get_u32be(k.p + 3), docs, n,
                                     cap);
        if (drc) {
            segcur_close(cur);
            return drc == -2 ? err_set(e, BRIEF_ENOMEM, "out of memory")
                             : err_set(e, BRIEF_ECORRUPT, "a trigram chunk "
                                       "is corrupt");
        }
    }
    segcur_close(cur);
    return rc == BRIEF_OK || rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* The lists of a query's distinct trigrams and 2-byte prefixes
 * (TQ_PRE2), read once each.  A prefix is keyed by its node's tri with
 * PRE2_TAG set, above every trigram. */
#define PRE2_TAG ((trigram)1 << 24)

typedef struct tlists {
    trigram *tri;            /* sorted */
    uint32_t **docs;
    size_t *n;
    size_t count, cap;
} tlists;

static void
tlists_free(tlists *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->docs[i]);
    free(l->tri);
    free(l->docs);
    free(l->n);
}

/* Add q's trigrams to l->tri (unsorted, repeats kept); -1 out of memory. */
static int
collect(tlists *l, const tq *q)
{
    if (q->kind == TQ_TRI || q->kind == TQ_PRE2) {
        if (l->count == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 64;
            trigram *v = realloc(l->tri, cap * sizeof *v);
            if (!v)
                return -1;
            l->tri = v;
            l->cap = cap;
        }
        l->tri[l->count++] = q->tri | (q->kind == TQ_PRE2 ? PRE2_TAG : 0);
        return 0;
    }
    for (size_t i = 0; i < q->n_kids; i++)
        if (collect(l, q->kids[i]))
            return -1;
    return 0;
}

static int
cmp_tri(const void *x, const void *y)
{
    trigram a = *(const trigram *)x, b = *(const trigram *)y;

    return (a > b) - (a < b);
}

/* v[0..*n) sorted and without repeats, through a bitmap of the docids
 * up to the largest (a prefix's lists hold each document many times).
 * -1 when out of memory. */
static int
sort_unique(uint32_t *v, size_t *n)
{
    uint32_t max = 0;
    uint64_t *bits;
    size_t words, k = 0;

    for (size_t i = 0; i < *n; i++)
        max = v[i] > max ? v[i] : max;
    words = (size_t)max / 64 + 1;
    if (!(bits = calloc(words, sizeof *bits)))
        return -1;
    for (size_t i = 0; i < *n; i++)
        bits[v[i] >> 6] |= (uint64_t)1 << (v[i] & 63);
    for (size_t w = 0; w < words; w++)
        for (uint64_t b = bits[w]; b; b &= b - 1)
            v[k++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
    *n = k;
    free(bits);
    return 0;
}

/* l->n[i] of a prefix whose range was too large to read: ALL. */
#define TOO_COMMON SIZE_MAX

/* The list of key (a trigram, or a 2-byte prefix with PRE2_TAG: every
 * key that starts with those bytes, the union of their lists) into
 * l->docs[i], l->n[i], from where cur stands.  A prefix whose chunks
 * pass budget bytes is too common to narrow anything ("in"*): it is
 * left as TOO_COMMON.  BRIEF_OK or an error. */
static int
load_one(segcur *cur, trigram key_tri, tlists *l, size_t i, size_t budget,
         brief_err *e)
{
    unsigned char key[7];
    size_t cap = 0, prefix = key_tri & PRE2_TAG ? 2 : 3, bytes = 0;
    sval k, v;
    int rc;

    key_of(key, key_tri & ~PRE2_TAG, 0);
    for (rc = segcur_seek_ahead(cur, key, 7, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        int drc;
        if (k.len != 7 || memcmp(k.p, key, prefix) != 0)
            break;
        if (prefix == 2 && (bytes += v.len) > budget) {
            free(l->docs[i]);
            l->docs[i] = NULL;
            l->n[i] = TOO_COMMON;
            return BRIEF_OK;
        }
        drc = trigindex_chunk_decode(v.p, v.len, get_u32be(k.p + 3),
                                     &l->docs[i], &l->n[i], &cap);
        if (drc)
            return drc == -2 ? err_set(e, BRIEF_ENOMEM, "out of memory")
                             : err_set(e, BRIEF_ECORRUPT, "a trigram "
                                       "chunk is corrupt");
    }
    if (rc != BRIEF_OK && rc != BRIEF_DONE)
        return rc;
    /* One trigram's chunks come in docid order; several trigrams' not. */
    if (prefix == 2 && l->n[i] && sort_unique(l->docs[i], &l->n[i]))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    return BRIEF_OK;
}

/* Read the list of every trigram and prefix of q, in byte order through
 * one cursor (a query such as a year range names "199" and "-19" many
 * times). */
static int
tlists_load(store_txn *t, const tq *q, tlists *l, brief_err *e)
{
    size_t n = 0, budget;
    uint64_t n_docs;
    segcur *cur;
    int rc;

    if (collect(l, q))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    if (l->count)
        qsort(l->tri, l->count, sizeof *l->tri, cmp_tri);
    for (size_t i = 0; i < l->count; i++)
        if (!n || l->tri[n - 1] != l->tri[i])
            l->tri[n++] = l->tri[i];
    l->count = 0;
    if (!(l->docs = calloc(n + 1, sizeof *l->docs)) ||
        !(l->n = calloc(n + 1, sizeof *l->n)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    if (n == 0)
        return BRIEF_OK;
    /* A prefix range is worth reading up to about 16 bitmaps of every
     * document (a dense trigram's chunk is a bitmap): "$1"* on large/
     * is a few KB, "in"* hundreds. */
    if (store_meta_get(t, "documents", &n_docs, NULL))
        n_docs = 0;
    budget = 16 * ((size_t)n_docs / 8 + 8);
    if ((rc = segcur_open(t, DB_TRIGRAMS, &cur, e)))
        return rc;
    for (; l->count < n && rc == BRIEF_OK; l->count++)
        rc = load_one(cur, l->tri[l->count], l, l->count, budget, e);
    segcur_close(cur);
    return rc;
}

/* The union of the sorted lists kd[0..n_kids) (kn their lengths) into
 * *docs, through a bitmap of the docids up to the largest. */
static int
unite(const uint32_t *const *kd, const size_t *kn, size_t n_kids,
      uint32_t **docs, size_t *n)
{
    uint32_t max = 0;
    size_t total = 0, words;
    uint64_t *bits;

    for (size_t i = 0; i < n_kids; i++)
        if (kn[i]) {
            total += kn[i];
            if (kd[i][kn[i] - 1] > max)
                max = kd[i][kn[i] - 1];
        }
    words = (size_t)max / 64 + 1;
    if (!(bits = calloc(words, sizeof *bits)) ||
        !(*docs = malloc((total + 1) * sizeof **docs))) {
        free(bits);
        return -1;
    }
    for (size_t i = 0; i < n_kids; i++)
        for (size_t j = 0; j < kn[i]; j++)
            bits[kd[i][j] >> 6] |= (uint64_t)1 << (kd[i][j] & 63);
    *n = 0;
    for (size_t w = 0; w < words; w++)
        for (uint64_t b = bits[w]; b; b &= b - 1)
            (*docs)[(*n)++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
    free(bits);
    return 0;
}

/* A list of docids that eval() either owns (and frees) or borrows from
 * the tlists. */
typedef struct dlist {
    const uint32_t *v;
    size_t n;
    bool owned;
} dlist;

static void
dlist_free(dlist *d)
{
    if (d->owned)
        free((void *)d->v);
    d->v = NULL;
    d->n = 0;
    d->owned = false;
}

/* *a := *a AND b (both sorted): a new list, owned. */
static int
intersect(dlist *a, const dlist *b)
{
    uint32_t *out = malloc((a->n < b->n ? a->n : b->n) * sizeof *out + 4);
    size_t i = 0, j = 0, n = 0;

    if (!out)
        return -1;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j])
            i++;
        else if (b->v[j] < a->v[i])
            j++;
        else {
            out[n++] = a->v[i];
            i++;
            j++;
        }
    }
    dlist_free(a);
    a->v = out;
    a->n = n;
    a->owned = true;
    return 0;
}

/* trigindex_eval() over the lists in l: *out the documents (borrowed from
 * l when a single trigram's), or *all. */
static int
eval(const tlists *l, const tq *q, dlist *out, bool *all)
{
    dlist *kd = NULL;
    size_t n_kd = 0;
    int rc = 0;

    memset(out, 0, sizeof *out);
    *all = false;
    switch (q->kind) {
    case TQ_ALL:
        *all = true;
        return 0;
    case TQ_NONE:
        return 0;
    case TQ_TRI:
    case TQ_PRE2: {
        trigram key = q->tri | (q->kind == TQ_PRE2 ? PRE2_TAG : 0);
        trigram *at = bsearch(&key, l->tri, l->count, sizeof *l->tri,
                              cmp_tri);
        if (!at)
            return 0;
        if (l->n[at - l->tri] == TOO_COMMON) {
            *all = true;
            return 0;
        }
        out->v = l->docs[at - l->tri];
        out->n = l->n[at - l->tri];
        return 0;
    }
    default:
        break;
    }
    if (!(kd = calloc(q->n_kids, sizeof *kd)))
        return -1;
    for (size_t i = 0; i < q->n_kids; i++) {
        bool kall;
        if ((rc = eval(l, q->kids[i], &kd[n_kd], &kall)))
            goto out;
        if (kall && q->kind == TQ_OR) {     /* anything OR ALL is ALL */
            *all = true;
            goto out;
        }
        if (kall)
            continue;                       /* x AND ALL is x */
        n_kd++;
        if (q->kind == TQ_AND) {
            if (n_kd > 1) {
                rc = intersect(&kd[0], &kd[1]);
                dlist_free(&kd[1]);
                n_kd = 1;
                if (rc)
                    goto out;
            }
            if (kd[0].n == 0)
                break;                      /* nothing left to intersect */
        }
    }
    if (n_kd == 0) {
        *all = q->kind == TQ_AND;           /* only ALLs */
    } else if (n_kd == 1) {
        *out = kd[0];
        memset(&kd[0], 0, sizeof kd[0]);
    } else {
        const uint32_t **v = malloc(n_kd * sizeof *v);
        size_t *n = malloc(n_kd * sizeof *n);
        uint32_t *u = NULL;
        if (!v || !n) {
            rc = -1;
        } else {
            for (size_t i = 0; i < n_kd; i++) {
                v[i] = kd[i].v;
                n[i] = kd[i].n;
            }
            rc = unite(v, n, n_kd, &u, &out->n);
            out->v = u;
            out->owned = true;
        }
        free(v);
        free(n);
    }
out:
    for (size_t i = 0; i < q->n_kids; i++)
        dlist_free(&kd[i]);
    free(kd);
    return rc;
}

int
trigindex_eval(store_txn *t, const tq *q, uint32_t **docs, size_t *n,
               bool *all, brief_err *e)
{
    tlists l = { NULL, NULL, NULL, 0, 0 };
    dlist d = { NULL, 0, false };
    int rc;

    *docs = NULL;
    *n = 0;
    *all = q->kind == TQ_ALL;
    if (q->kind == TQ_ALL || q->kind == TQ_NONE)
        return BRIEF_OK;
    if (!(rc = tlists_load(t, q, &l, e))) {
        if (eval(&l, q, &d, all))
            rc = err_set(e, BRIEF_ENOMEM, "out of memory");
        else if (d.owned)
            *docs = (uint32_t *)d.v;        /* the caller's now */
        else if (*all)
            ;
        else if (!(*docs = malloc(d.n * sizeof **docs + 4)))
            rc = err_set(e, BRIEF_ENOMEM, "out of memory");
        else if (d.n)
            memcpy(*docs, d.v, d.n * sizeof **docs);
        if (!rc)
            *n = d.n;
        else
            dlist_free(&d);
    }
    tlists_free(&l);
    if (rc) {
        free(*docs);                /* a corrupt chunk: nothing kept */
        *docs = NULL;
        *n = 0;
        *all = false;
    }
    return rc;
}
