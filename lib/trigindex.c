/*
 * trigindex.c: trigram lists in LMDB.
 *
 * Key: the trigram's 3 bytes | u32be first docid.  Value (varints):
 *   last docid - first docid | docid delta+
 * where the first delta is 0 (the key's docid) and later ones are > 0.
 * Example: docs 7, 9, 30 under key (tri, 7): [23, 0, 2, 21].  A chunk
 * stops growing at TRIG_CHUNK_MAX bytes, for the same reason as posting
 * chunks (postings.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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
    uint32_t *slots;         /* index + 1; 0 empty */
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
    uint32_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < a->n; i++) {
        size_t h = hash(a->v[i].t, n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = (uint32_t)i + 1;
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
        if (a->v[a->slots[h] - 1].t == t)
            return &a->v[a->slots[h] - 1];
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
    a->slots[h] = (uint32_t)++a->n;
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

/* Write chunk body (deltas, the first 0) for [first, last] under t. */
static int
put_chunk(store_txn *t, trigram tri, uint32_t first, uint32_t last,
          const buf *body, buf *tmp, bool append, brief_err *e)
{
    unsigned char key[7];
    int rc = 0;

    tmp->len = 0;
    buf_put_varint(&rc, tmp, last - first);
    buf_put(&rc, tmp, body->data, body->len);
    if (rc)
        return err_set(e, rc, "out of memory");
    key_of(key, tri, first);
    if (append)
        return store_append(t, DB_TRIGRAMS, key, 7, tmp->data, tmp->len, e);
    return store_put(t, DB_TRIGRAMS, key, 7, tmp->data, tmp->len, e);
}

/* Decode a chunk into docids appended to *docs.  -1 when corrupt. */
static int
decode(const unsigned char *p, size_t len, uint32_t first, uint32_t **docs,
       size_t *n, size_t *cap)
{
    const unsigned char *end = p + len;
    uint64_t span, d, doc = first;
    bool start = true;

    if (varint_get(&p, end, &span))
        return -1;
    while (p < end) {
        if (varint_get(&p, end, &d) || (start ? d != 0 : d == 0))
            return -1;
        doc += d;
        if (doc > (uint64_t)first + span)
            return -1;
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 1024;
            uint32_t *v = realloc(*docs, c * sizeof *v);
            if (!v)
                return -2;
            *docs = v;
            *cap = c;
        }
        (*docs)[(*n)++] = (uint32_t)doc;
        start = false;
    }
    return doc == (uint64_t)first + span ? 0 : -1;
}

/* The last chunk of tri: BRIEF_OK with its first docid and value.
 * *at_end tells whether no other trigram sorts after it. */
static int
last_chunk(store_cursor *cur, trigram tri, uint32_t *first, sval *v,
           bool *at_end)
{
    unsigned char key[7];
    sval k;
    int rc;

    key_of(key, tri, UINT32_MAX);
    rc = store_cursor_seek(cur, key, 7, &k, v);
    *at_end = rc == BRIEF_DONE;
    rc = rc == BRIEF_DONE ? store_cursor_last(cur, &k, v) :
         rc == BRIEF_OK ? store_cursor_prev(cur, &k, v) : rc;
    if (rc)
        return rc;
    if (k.len != 7 || memcmp(k.p, key, 3) != 0)
        return BRIEF_DONE;
    *first = get_u32be(k.p + 3);
    return BRIEF_OK;
}

/* Merge one trigram's stream into its last chunk and new chunks. */
static int
merge(store_txn *t, store_cursor *cur, const tacc *x, buf *body, buf *tmp,
      brief_err *e)
{
    uint32_t first = 0, last = 0, doc = 0;
    const unsigned char *p = x->stream.data, *end = p + x->stream.len;
    sval tail;
    bool open = false, at_end, first_put = true;
    int rc = last_chunk(cur, x->t, &first, &tail, &at_end), brc = 0;

    body->len = 0;
    if (rc == BRIEF_OK && tail.len < TRIG_CHUNK_MAX) {
        const unsigned char *q = tail.p;
        uint64_t span;
        if (varint_get(&q, tail.p + tail.len, &span))
            return err_set(e, BRIEF_ECORRUPT, "a trigram chunk is corrupt");
        buf_put(&brc, body, q, (size_t)(tail.p + tail.len - q));
        last = first + (uint32_t)span;
        open = true;
    } else if (rc != BRIEF_OK && rc != BRIEF_DONE) {
        return rc;
    }
    while (p < end) {
        uint64_t d;
        if (varint_get(&p, end, &d))
            return err_set(e, BRIEF_ECORRUPT, "a trigram stream is corrupt");
        doc += (uint32_t)d;
        if (open && body->len + 5 > TRIG_CHUNK_MAX) {
            /* The first put may overwrite the tail chunk: no append. */
            if ((rc = put_chunk(t, x->t, first, last, body, tmp,
                                at_end && !first_put, e)))
                return rc;
            first_put = false;
            open = false;
            body->len = 0;
        }
        if (!open) {
            first = doc;
            open = true;
            buf_put_varint(&brc, body, 0);
        } else {
            buf_put_varint(&brc, body, doc - last);
        }
        last = doc;
    }
    if (brc)
        return err_set(e, brc, "out of memory");
    return open ? put_chunk(t, x->t, first, last, body, tmp,
                            at_end && !first_put, e) : BRIEF_OK;
}

static int
cmp_tacc(const void *a, const void *b)
{
    trigram x = ((const tacc *)a)->t, y = ((const tacc *)b)->t;

    return (x > y) - (x < y);
}

int
trigacc_commit(trigacc *a, store_txn *t, brief_err *e)
{
    store_cursor *cur;
    buf body = { NULL, 0, 0 }, tmp = { NULL, 0, 0 };
    int rc;

    /* In key order: sequential B-tree writes.  The hash table is stale
     * after sorting, so the batch is cleared by the caller. */
    if (a->n > 1)
        qsort(a->v, a->n, sizeof *a->v, cmp_tacc);
    if (a->slots)
        memset(a->slots, 0, a->n_slots * sizeof *a->slots);
    if ((rc = store_cursor_open(t, DB_TRIGRAMS, &cur, e)))
        return rc;
    for (size_t i = 0; i < a->n && !rc; i++)
        rc = merge(t, cur, &a->v[i], &body, &tmp, e);
    store_cursor_close(cur);
    buf_free(&body);
    buf_free(&tmp);
    return rc;
}

int
trigindex_remove(store_txn *t, const trigset *set, uint32_t docid,
                 brief_err *e)
{
    store_cursor *cur;
    uint32_t *docs = NULL;
    size_t cap = 0;
    buf body = { NULL, 0, 0 }, tmp = { NULL, 0, 0 };
    int rc;

    if ((rc = store_cursor_open(t, DB_TRIGRAMS, &cur, e)))
        return rc;
    for (size_t i = 0; i < set->n && !rc; i++) {
        unsigned char key[7];
        uint32_t first, n_keep = 0, prev = 0, keep_first = 0;
        size_t n = 0;
        sval k, v;
        int brc = 0;
        key_of(key, set->v[i], docid);
        rc = store_cursor_seek(cur, key, 7, &k, &v);
        if (rc == BRIEF_OK && (k.len != 7 || memcmp(k.p, key, 7) != 0))
            rc = store_cursor_prev(cur, &k, &v);
        else if (rc == BRIEF_DONE)
            rc = store_cursor_last(cur, &k, &v);
        if (rc || k.len != 7 || memcmp(k.p, key, 3) != 0) {
            rc = err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                         "document %u", docid);
            break;
        }
        first = get_u32be(k.p + 3);
        if ((rc = decode(v.p, v.len, first, &docs, &n, &cap))) {
            rc = rc == -2 ? err_set(e, BRIEF_ENOMEM, "out of memory")
                          : err_set(e, BRIEF_ECORRUPT, "a trigram chunk "
                                    "is corrupt");
            break;
        }
        body.len = 0;
        for (size_t j = 0; j < n; j++) {
            if (docs[j] == docid)
                continue;
            buf_put_varint(&brc, &body, n_keep ? docs[j] - prev : 0);
            if (!n_keep)
                keep_first = docs[j];
            prev = docs[j];
            n_keep++;
        }
        if (brc) {
            rc = err_set(e, brc, "out of memory");
            break;
        }
        if (n_keep == n) {
            rc = err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                         "document %u", docid);
            break;
        }
        key_of(key, set->v[i], first);
        if ((rc = store_del(t, DB_TRIGRAMS, key, 7, NULL, 0, e)))
            break;
        if (n_keep)
            rc = put_chunk(t, set->v[i], keep_first, prev, &body, &tmp, false,
                           e);
    }
    store_cursor_close(cur);
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
    store_cursor *cur;
    sval k, v;
    int rc;

    if ((rc = store_cursor_open(t, DB_TRIGRAMS, &cur, e)))
        return rc;
    key_of(key, tri, 0);
    for (rc = store_cursor_seek(cur, key, 7, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        int drc;
        if (k.len != 7 || memcmp(k.p, key, 3) != 0)
            break;
        drc = decode(v.p, v.len, get_u32be(k.p + 3), docs, n, cap);
        if (drc) {
            store_cursor_close(cur);
            return drc == -2 ? err_set(e, BRIEF_ENOMEM, "out of memory")
                             : err_set(e, BRIEF_ECORRUPT, "a trigram chunk "
                                       "is corrupt");
        }
    }
    store_cursor_close(cur);
    return rc == BRIEF_OK || rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* a := a AND b, or a OR b into a new array; sorted docid lists. */
static int
combine(bool and, uint32_t **a, size_t *na, const uint32_t *b, size_t nb)
{
    size_t i = 0, j = 0, n = 0;
    uint32_t *out = malloc((and ? *na : *na + nb) * sizeof *out + 4);

    if (!out)
        return -1;
    while (i < *na && j < nb) {
        if ((*a)[i] < b[j]) {
            if (!and)
                out[n++] = (*a)[i];
            i++;
        } else if (b[j] < (*a)[i]) {
            if (!and)
                out[n++] = b[j];
            j++;
        } else {
            out[n++] = (*a)[i];
            i++;
            j++;
        }
    }
    while (!and && i < *na)
        out[n++] = (*a)[i++];
    while (!and && j < nb)
        out[n++] = b[j++];
    free(*a);
    *a = out;
    *na = n;
    return 0;
}

int
trigindex_eval(store_txn *t, const tq *q, uint32_t **docs, size_t *n,
               bool *all, brief_err *e)
{
    size_t cap = 0;
    bool first = true;
    int rc;

    *docs = NULL;
    *n = 0;
    *all = false;
    switch (q->kind) {
    case TQ_ALL:
        *all = true;
        return BRIEF_OK;
    case TQ_NONE:
        return BRIEF_OK;
    case TQ_TRI:
        if ((rc = trigindex_list(t, q->tri, docs, n, &cap, e))) {
            free(*docs);                /* a corrupt chunk: nothing kept */
            *docs = NULL;
            *n = 0;
        }
        return rc;
    default:
        break;
    }
    for (size_t i = 0; i < q->n_kids; i++) {
        uint32_t *kd;
        size_t kn;
        bool kall;
        if ((rc = trigindex_eval(t, q->kids[i], &kd, &kn, &kall, e)))
            goto fail;
        if (kall) {
            if (q->kind == TQ_OR) {         /* anything OR ALL is ALL */
                free(*docs);
                *docs = NULL;
                *n = 0;
                *all = true;
                return BRIEF_OK;
            }
            continue;                       /* x AND ALL is x */
        }
        if (first) {
            *docs = kd;
            *n = kn;
            first = false;
            continue;
        }
        rc = combine(q->kind == TQ_AND, docs, n, kd, kn);
        free(kd);
        if (rc) {
            rc = err_set(e, BRIEF_ENOMEM, "out of memory");
            goto fail;
        }
        if (q->kind == TQ_AND && *n == 0)
            return BRIEF_OK;
    }
    if (first)
        *all = q->kind == TQ_AND;           /* only ALLs */
    return BRIEF_OK;
fail:
    free(*docs);
    *docs = NULL;
    *n = 0;
    return rc;
}
