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
/* Room for the longest chunk trigindex_chunks_build() cuts: at most
 * TRIG_CHUNK_MAX - 6 bytes of deltas and one more of at most 10, and
 * encode()'s 6. */
#define TRIG_CHUNK_OUT (TRIG_CHUNK_MAX + 10)

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

/* Free the accumulators' streams; n and bytes become 0. */
static void
drop_streams(trigacc *a)
{
    for (size_t i = 0; i < a->n; i++)
        buf_free(&a->v[i].stream);
    a->n = 0;
    a->bytes = 0;
}

void
trigacc_clear(trigacc *a)
{
    drop_streams(a);
    if (a->slots)
        memset(a->slots, 0, a->n_slots * sizeof *a->slots);
}

void
trigacc_free(trigacc *a)
{
    if (!a)
        return;
    drop_streams(a);
    free(a->v);
    free(a->slots);
    free(a);
}

size_t
trigacc_bytes(const trigacc *a)
{
    return a->bytes;
}

/* Fibonacci hashing: the product's high half depends on every bit of t.
 * (Its low bits depend only on t's low bits, so masking them made every
 * trigram ending in the same two bytes share a home slot, and the
 * probes ran long.) */
static size_t
hash(trigram t, size_t mask)
{
    return (size_t)(((uint64_t)t * 0x9e3779b97f4a7c15u) >> 32) & mask;
}

static int
rehash(trigacc *a)
{
    size_t n = a->n_slots ? a->n_slots * 2 : 4096;
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

/* Room for n more trigrams: the table at most half full after them and
 * the accumulators' array large enough, so that adding them moves
 * nothing (find() and the prefetches rely on it). */
static int
reserve(trigacc *a, size_t n)
{
    while ((a->n + n + 1) * 2 > a->n_slots)
        if (rehash(a))
            return -1;
    if (a->n + n > a->cap) {
        size_t cap = a->cap ? a->cap : 4096;
        tacc *v;
        while (cap < a->n + n)
            cap *= 2;
        if (!(v = realloc(a->v, cap * sizeof *v)))
            return -1;
        a->v = v;
        a->cap = cap;
    }
    return 0;
}

/* The index in a->v of t's accumulator, added if new (room reserved). */
static uint32_t
find(trigacc *a, trigram t, size_t h)
{
    while (a->slots[h]) {
        if (a->slots[h] >> 32 == t)
            return (uint32_t)a->slots[h] - 1;
        h = (h + 1) & (a->n_slots - 1);
    }
    memset(&a->v[a->n], 0, sizeof a->v[a->n]);
    a->v[a->n].t = t;
    a->slots[h] = (uint64_t)t << 32 | (uint32_t)++a->n;
    a->bytes += sizeof(tacc);
    return (uint32_t)a->n - 1;
}

/* Trigrams are added GROUP at a time, each step of the group's look-ups
 * prefetching what the next step reads: the slot, then the accumulator,
 * then the end of its stream.  A batch's table and streams are tens of
 * MB, so each of the three is a cache miss, and one after the other
 * they were most of the indexer thread's time (bench/PROFILE.md). */
#define GROUP 16

/* Add the n distinct trigrams v under id. */
static int
add_zone(trigacc *a, const trigram *v, size_t n, uint32_t id)
{
    uint32_t at[GROUP];
    size_t h[GROUP];
    int rc = 0;

    for (size_t g = 0; g < n && !rc; g += GROUP) {
        size_t m = n - g < GROUP ? n - g : GROUP;
        if (reserve(a, m))
            return BRIEF_ENOMEM;
        for (size_t i = 0; i < m; i++) {
            h[i] = hash(v[g + i], a->n_slots - 1);
            __builtin_prefetch(&a->slots[h[i]]);
        }
        for (size_t i = 0; i < m; i++) {
            at[i] = find(a, v[g + i], h[i]);
            __builtin_prefetch(&a->v[at[i]]);
        }
        for (size_t i = 0; i < m; i++) {
            const buf *b = &a->v[at[i]].stream;
            if (b->data)
                __builtin_prefetch(b->data + b->len, 1);
        }
        for (size_t i = 0; i < m && !rc; i++) {
            tacc *x = &a->v[at[i]];
            size_t before = x->stream.len;
            buf_put_varint(&rc, &x->stream, id - x->last);
            x->last = id;
            a->bytes += x->stream.len - before;
        }
    }
    return rc;
}

int
trigacc_add(trigacc *a, const trigset *set, uint32_t docid)
{
    int rc = 0;

    for (size_t k = 0, from = 0; k < set->n_zones && !rc; k++) {
        rc = add_zone(a, set->v + from, set->zend[k] - from,
                      docid + (uint32_t)k);
        from = set->zend[k];
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

/* Write to out, room for len + 6 bytes, the chunk of [first, last] whose
 * deltas after first are rest[0..len), in the shorter form; its length
 * (a header of at most 5 bytes, then the 0 and the deltas, or a bitmap
 * no longer than they are). */
static size_t
encode(unsigned char *out, const unsigned char *rest, size_t len,
       uint32_t first, uint32_t last)
{
    const unsigned char *p = rest, *end = rest + len;
    size_t bytes = (last - first) / 8 + 1, n;
    uint64_t doc = first, d;
    unsigned char *map;

    if (bytes > len) {
        /* A list: first's delta (0, one byte) and the rest. */
        n = varint_put(out, (uint64_t)(last - first) * 2);
        out[n++] = 0;
        memcpy(out + n, rest, len);
        return n + len;
    }
    n = varint_put(out, (uint64_t)(last - first) * 2 + 1);
    map = out + n;
    memset(map, 0, bytes);
    map[0] = 1;
    while (p < end && !varint_get(&p, end, &d)) {
        doc += d;
        map[(doc - first) / 8] |= (unsigned char)(1u << ((doc - first) % 8));
    }
    return n + bytes;
}

/* A chunk's deltas after its first docid are the stream's own, as they
 * stand: each chunk is encoded from a slice of the stream, the slice
 * after its first docid's delta. */
int
trigindex_chunks_build(const unsigned char *stream, size_t len,
                       int (*emit)(void *ctx, uint32_t first,
                                   const unsigned char *v, size_t len,
                                   bool replaces_tail),
                       void *ctx)
{
    const unsigned char *p = stream, *end = stream + len, *rest = NULL;
    unsigned char out[TRIG_CHUNK_OUT];
    uint32_t first = 0, last = 0;
    uint64_t doc = 0;
    int rc;

    while (p < end) {
        const unsigned char *at = p;
        uint64_t d;
        if (varint_get(&p, end, &d) || (rest && d == 0) ||
            doc + d > UINT32_MAX)
            return -1;
        doc += d;
        /* Full: the 0, the deltas and one more of 5 bytes would pass
         * TRIG_CHUNK_MAX. */
        if (rest && (size_t)(at - rest) + 6 > TRIG_CHUNK_MAX) {
            if ((rc = emit(ctx, first, out,
                           encode(out, rest, (size_t)(at - rest), first,
                                  last), false)))
                return rc;
            rest = NULL;
        }
        if (!rest) {
            first = (uint32_t)doc;
            rest = p;
        }
        last = (uint32_t)doc;
    }
    return rest ? emit(ctx, first, out,
                       encode(out, rest, (size_t)(end - rest), first, last),
                       false)
                : 0;
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

/* Where a chunk's docids go: appended to *docs (n, cap), or, when bits
 * is not NULL, set in the bitmap bits (every docid of the chunk below
 * its end: the caller sized it). */
typedef struct sink {
    uint32_t **docs;
    size_t *n, *cap;
    uint64_t *bits;
} sink;

static void
set_bit(uint64_t *bits, uint64_t doc)
{
    bits[doc >> 6] |= (uint64_t)1 << (doc & 63);
}

/* Whether [p, end) is a bitmap form's body of span + 1 bits: the first
 * and the last set, none after the last. */
static bool
map_ok(const unsigned char *p, const unsigned char *end, uint64_t span)
{
    return (uint64_t)(end - p) == span / 8 + 1 && (p[0] & 1) &&
           (p[span / 8] & (1u << (span % 8))) &&
           (p[span / 8] >> (span % 8)) == 1;
}

/* The bitmap form's body [p, end) of span + 1 bits into out. */
static int
decode_map(const unsigned char *p, const unsigned char *end, uint32_t first,
           uint64_t span, const sink *out)
{
    if (!map_ok(p, end, span))
        return -1;
    /* Byte by byte: a run of documents without the trigram costs a test
     * per byte, not per bit.  Into a bitmap, a byte's 8 bits land at
     * once, in one word or across two; into a list, room for the byte's
     * documents is made once, and each set bit found by counting
     * trailing zeros. */
    for (uint64_t i = 0; i <= span / 8; i++) {
        uint64_t b = p[i], doc = first + i * 8;
        unsigned shift = (unsigned)(doc & 63);
        if (!b)
            continue;
        if (out->bits) {
            out->bits[doc >> 6] |= b << shift;
            if (shift > 56 && b >> (64 - shift))
                out->bits[(doc >> 6) + 1] |= b >> (64 - shift);
            continue;
        }
        if (*out->n + 8 > *out->cap) {
            size_t c = *out->cap ? *out->cap * 2 : 1024;
            uint32_t *v = realloc(*out->docs, c * sizeof *v);
            if (!v)
                return -2;
            *out->docs = v;
            *out->cap = c;
        }
        for (; b; b &= b - 1)
            (*out->docs)[(*out->n)++] = (uint32_t)doc +
                                        (uint32_t)__builtin_ctzll(b);
    }
    return 0;
}

/* The chunk [p, p + len) under first into out; 0, -1 when it is
 * malformed, -2 when out of memory. */
static int
chunk_decode(const unsigned char *p, size_t len, uint32_t first,
             const sink *out)
{
    const unsigned char *end = p + len;
    uint64_t span, d, doc = first;
    bool start = true;

    if (varint_get(&p, end, &span) || (span >> 1) > UINT32_MAX - first)
        return -1;
    if (span & 1)
        return decode_map(p, end, first, span >> 1, out);
    span >>= 1;
    while (p < end) {
        if (varint_get(&p, end, &d) || (start ? d != 0 : d == 0))
            return -1;
        doc += d;
        if (doc > (uint64_t)first + span)
            return -1;
        if (out->bits)
            set_bit(out->bits, doc);
        else if (push(out->docs, out->n, out->cap, doc))
            return -2;
        start = false;
    }
    return !start && doc == (uint64_t)first + span ? 0 : -1;
}

int
trigindex_chunk_decode(const unsigned char *p, size_t len, uint32_t first,
                       uint32_t **docs, size_t *n, size_t *cap)
{
    sink out = { docs, n, cap, NULL };

    return chunk_decode(p, len, first, &out);
}

int
trigindex_chunk_last(const unsigned char *p, size_t len, uint32_t first,
                     uint32_t *last)
{
    uint64_t span;

    if (varint_get(&p, p + len, &span) || (span >> 1) > UINT32_MAX - first)
        return -1;
    *last = first + (uint32_t)(span >> 1);
    return 0;
}

/* The bitmap form's body [p, end) of span + 1 bits under first appended
 * to stream as deltas, the first against *prev. */
static int
map_to_stream(const unsigned char *p, const unsigned char *end,
              uint32_t first, uint64_t span, uint32_t *prev, buf *stream)
{
    uint64_t last = *prev;
    int rc = 0;

    if (!map_ok(p, end, span))
        return -1;
    for (uint64_t i = 0; i <= span / 8; i++) {
        unsigned b = p[i];
        if (!b)
            continue;
        /* Room for the byte's (at most 8) deltas of at most 5 bytes. */
        if (stream->len + 40 > stream->cap &&
            (buf_reserve(&rc, stream, 40), rc))
            return -2;
        for (; b; b &= b - 1) {
            uint64_t doc = first + i * 8 + (unsigned)__builtin_ctz(b);
            stream->len += varint_put(stream->data + stream->len,
                                      doc - last);
            last = doc;
        }
    }
    *prev = (uint32_t)last;
    return 0;
}

/* A list's deltas after its first docid go to the stream as they stand,
 * once walked for their sum; a bitmap's bits become deltas. */
int
trigindex_chunk_to_stream(const unsigned char *v, size_t len,
                          uint32_t first, uint32_t *prev, buf *stream)
{
    const unsigned char *p = v, *end = v + len, *rest;
    uint64_t span, d, doc = first;
    int rc = 0;

    if (first < *prev || varint_get(&p, end, &span) ||
        (span >> 1) > UINT32_MAX - first)
        return -1;
    if (span & 1)
        return map_to_stream(p, end, first, span >> 1, prev, stream);
    span >>= 1;
    if (varint_get(&p, end, &d) || d != 0)
        return -1;
    for (rest = p; p < end;) {
        if (varint_get(&p, end, &d) || d == 0)
            return -1;
        if ((doc += d) > (uint64_t)first + span)
            return -1;
    }
    if (doc != (uint64_t)first + span)
        return -1;
    buf_put_varint(&rc, stream, first - *prev);
    buf_put(&rc, stream, rest, (size_t)(end - rest));
    *prev = (uint32_t)doc;
    return rc ? -2 : 0;
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

/* a's accumulators in trigram order, as trigram << 32 | index + 1.  A
 * radix sort, a byte of the 24-bit trigram a pass, in the hash table's
 * slots (at least twice as many as the accumulators), which are stale
 * afterwards: no allocation, and far less than qsort() of the 32-byte
 * accumulators cost. */
static const uint64_t *
sorted_order(trigacc *a)
{
    uint64_t *v = a->slots, *tmp = a->slots + a->n;
    size_t n = a->n;

    for (size_t i = 0; i < n; i++)
        v[i] = (uint64_t)a->v[i].t << 32 | ((uint32_t)i + 1);
    for (int shift = 32; shift < 56; shift += 8) {
        size_t count[257] = { 0 };
        uint64_t *t;
        for (size_t i = 0; i < n; i++)
            count[(v[i] >> shift & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            tmp[count[v[i] >> shift & 0xff]++] = v[i];
        t = v;
        v = tmp;
        tmp = t;
    }
    return v;
}

int
trigacc_commit(trigacc *a, segwriter *w)
{
    const uint64_t *order;
    unsigned char one[TRIG_CHUNK_OUT];
    int rc = BRIEF_OK;

    /* In key order: every key is appended.  The hash table is stale
     * after sorting, so the caller clears a (trigacc_clear()); a retry
     * (writer_commit() on a full map) sorts again from a->v. */
    if (!a->n)
        return BRIEF_OK;
    order = sorted_order(a);
    for (size_t i = 0; i < a->n && !rc; i++) {
        const tacc *x = &a->v[(uint32_t)order[i] - 1];
        const unsigned char *p = x->stream.data;
        const unsigned char *end = p + x->stream.len;
        emit_ctx c = { w, x->t };
        uint64_t first;
        /* Most lists fit in one chunk: encoded straight from the stream
         * (its first delta is the first docid, its last docid known),
         * without the walk that cuts chunks. */
        if (x->stream.len + 5 <= TRIG_CHUNK_MAX &&
            !varint_get(&p, end, &first) && first <= x->last) {
            rc = emit(&c, (uint32_t)first, one,
                      encode(one, p, (size_t)(end - p), (uint32_t)first,
                             x->last), false);
        } else {
            rc = trigindex_chunks_build(x->stream.data, x->stream.len,
                                        emit, &c);
        }
        if (rc == -1)
            rc = err_set(w->e, BRIEF_ECORRUPT, "a trigram stream is "
                         "corrupt");
        else if (rc == -2)
            rc = err_set(w->e, BRIEF_ENOMEM, "out of memory");
    }
    return rc;
}

/* Cut the ids[0..n) (ascending, at least first) that lie in the chunk
 * v keyed first by clearing their bits, when it is a bitmap whose first
 * and last ids stay: the chunk so cut into out, and the number of ids
 * cut; 0 when it is not such a chunk (the caller rewrites it whole), -1
 * when an id is not listed, -2 when out of memory.  The chunk keeps its
 * form even where the other would now be shorter; a merge re-encodes
 * it. */
static long
clear_bits(sval v, uint32_t first, const uint32_t *ids, size_t n,
           buf *out)
{
    const unsigned char *p = v.p, *end = v.p + v.len;
    unsigned char *map;
    uint64_t span;
    size_t m = 0;
    int rc = 0;

    if (varint_get(&p, end, &span) || !(span & 1))
        return 0;
    span >>= 1;
    if ((uint64_t)(end - p) != span / 8 + 1)
        return 0;                       /* malformed: reported whole */
    while (m < n && ids[m] - first <= span)
        m++;
    if (!m || ids[0] == first || ids[m - 1] - first == span)
        return 0;
    out->len = 0;
    buf_put(&rc, out, v.p, v.len);
    if (rc)
        return -2;
    map = out->data + (p - v.p);
    for (size_t i = 0; i < m; i++) {
        uint32_t off = ids[i] - first;
        unsigned char bit = (unsigned char)(1u << (off % 8));
        if (!(map[off / 8] & bit))
            return -1;
        map[off / 8] &= (unsigned char)~bit;
    }
    return (long)m;
}

/* Cut ids[0..n) (ascending, one document's zones) out of tri's chunks:
 * each chunk that holds some is read and rewritten once, a bitmap's
 * bits cleared in place where it can be. */
static int
remove_ids(store_txn *t, segcur *cur, trigram tri, const uint32_t *ids,
           size_t n, buf *body, buf *tmp, uint32_t **docs, size_t *cap,
           brief_err *e)
{
    for (size_t done = 0; done < n;) {
        unsigned char key[7];
        uint32_t first, n_keep = 0, prev = 0, keep_first = 0, seg;
        size_t n_docs = 0, j = done;
        sval k, v;
        long cut;
        int rc, brc = 0;
        key_of(key, tri, ids[done]);
        rc = segcur_floor(cur, key, 7, &k, &v);
        if (rc || k.len != 7 || memcmp(k.p, key, 3) != 0)
            return err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                           "zone %u", ids[done]);
        first = get_u32be(k.p + 3);
        seg = segcur_segment(cur)->id;
        cut = clear_bits(v, first, ids + done, n - done, tmp);
        if (cut == -1)
            return err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                           "zone %u", ids[done]);
        if (cut == -2)
            return err_set(e, BRIEF_ENOMEM, "out of memory");
        if (cut > 0) {
            done += (size_t)cut;
            key_of(key, tri, first);
            if ((rc = segment_put(t, DB_TRIGRAMS, seg, key, 7, tmp->data,
                                  tmp->len, e)))
                return rc;
            continue;
        }
        if ((rc = trigindex_chunk_decode(v.p, v.len, first, docs, &n_docs,
                                         cap)))
            return rc == -2 ? err_set(e, BRIEF_ENOMEM, "out of memory")
                            : err_set(e, BRIEF_ECORRUPT, "a trigram chunk "
                                      "is corrupt");
        body->len = 0;
        for (size_t i = 0; i < n_docs; i++) {
            uint32_t d = (*docs)[i];
            if (j < n && ids[j] < d)
                break;                  /* not listed: lacks ids[j] */
            if (j < n && ids[j] == d) {
                j++;
                continue;
            }
            buf_put_varint(&brc, body, n_keep ? d - prev : 0);
            if (!n_keep)
                keep_first = d;
            prev = d;
            n_keep++;
        }
        if (brc)
            return err_set(e, brc, "out of memory");
        if (j == done || (j < n && n_docs && ids[j] <= (*docs)[n_docs - 1]))
            return err_set(e, BRIEF_ECORRUPT, "the trigram index lacks "
                           "zone %u", ids[j < n ? j : done]);
        done = j;
        key_of(key, tri, first);
        if ((!n_keep || keep_first != first) &&
            (rc = segment_del(t, DB_TRIGRAMS, seg, key, 7, e)))
            return rc;
        if (!n_keep)
            continue;
        tmp->len = 0;
        buf_reserve(&brc, tmp, body->len + 6);
        if (brc)
            return err_set(e, brc, "out of memory");
        tmp->len = encode(tmp->data, body->data + 1, body->len - 1,
                          keep_first, prev);
        key_of(key, tri, keep_first);
        if ((rc = segment_put(t, DB_TRIGRAMS, seg, key, 7, tmp->data,
                              tmp->len, e)))
            return rc;
    }
    return BRIEF_OK;
}

static int
cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return (a > b) - (a < b);
}

int
trigindex_remove(store_txn *t, const trigset *set, uint32_t docid,
                 brief_err *e)
{
    segcur *cur;
    uint32_t *docs = NULL, *ids;
    uint64_t *pairs;             /* trigram << 32 | zone id */
    size_t cap = 0;
    buf body = { NULL, 0, 0 }, tmp = { NULL, 0, 0 };
    int rc;

    pairs = malloc((set->n + 1) * sizeof *pairs);
    ids = malloc((set->n_zones + 1) * sizeof *ids);
    if (!pairs || !ids) {
        free(pairs);
        free(ids);
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    }
    for (size_t k = 0, i = 0; k < set->n_zones; k++)
        for (; i < set->zend[k]; i++)
            pairs[i] = (uint64_t)set->v[i] << 32 | (docid + (uint32_t)k);
    qsort(pairs, set->n, sizeof *pairs, cmp_u64);
    if ((rc = segcur_open(t, DB_TRIGRAMS, &cur, e)))
        goto out;
    for (size_t i = 0; i < set->n && !rc;) {
        trigram tri = (trigram)(pairs[i] >> 32);
        size_t n = 0;
        for (; i < set->n && (trigram)(pairs[i] >> 32) == tri; i++)
            ids[n++] = (uint32_t)pairs[i];
        rc = remove_ids(t, cur, tri, ids, n, &body, &tmp, &docs, &cap, e);
    }
    segcur_close(cur);
out:
    free(pairs);
    free(ids);
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

/*
 * Evaluation.  The chunks of each distinct trigram and 2-byte prefix
 * (TQ_PRE2) of the query are found once, in key order through one cursor
 * (a query such as a year range names "199" and "-19" many times), and
 * kept as pointers into the map, valid for the transaction.  Each node
 * is then evaluated into a bitmap of the documents, a bit a docid: a
 * bitmap chunk ORs in a byte at a time, AND and OR are word operations,
 * and a prefix's keys need no merge.  A bitmap takes a bit per document
 * of the index, held once per level of the query being evaluated; the
 * docid lists it replaced took 4 bytes per document of each list, and
 * their merges most of the time.
 */

/* One chunk: its value and the key's first docid. */
typedef struct tchunk {
    const unsigned char *v;
    size_t len;
    uint32_t first;
} tchunk;

/* A prefix is keyed by its node's tri with PRE2_TAG set, above every
 * trigram. */
#define PRE2_TAG ((trigram)1 << 24)
/* from[i] of a prefix whose range was too large to read: ALL. */
#define TOO_COMMON SIZE_MAX

typedef struct tlists {
    trigram *tri;            /* the keys, sorted */
    size_t count;
    size_t *from;            /* key i's chunks: ch[from[i] .. to[i]) */
    size_t *to;
    tchunk *ch;
    size_t n_ch, cap_ch;
    uint64_t words;          /* bitmap words: every chunk's docids fit */
    const uint32_t *starts;  /* with whole documents: their docids */
    size_t n_starts;
} tlists;

static void
tlists_free(tlists *l)
{
    free(l->tri);
    free(l->from);
    free(l->to);
    free(l->ch);
}

/* Add q's trigrams to l->tri (unsorted, repeats kept; cap its room); -1
 * when out of memory. */
static int
collect(tlists *l, size_t *cap, const tq *q)
{
    if (q->kind == TQ_TRI || q->kind == TQ_PRE2) {
        if (l->count == *cap) {
            size_t c = *cap ? *cap * 2 : 64;
            trigram *v = realloc(l->tri, c * sizeof *v);
            if (!v)
                return -1;
            l->tri = v;
            *cap = c;
        }
        l->tri[l->count++] = q->tri | (q->kind == TQ_PRE2 ? PRE2_TAG : 0);
        return 0;
    }
    for (size_t i = 0; i < q->n_kids; i++)
        if (collect(l, cap, q->kids[i]))
            return -1;
    return 0;
}

static int
cmp_tri(const void *x, const void *y)
{
    trigram a = *(const trigram *)x, b = *(const trigram *)y;

    return (a > b) - (a < b);
}

static int
chunk_corrupt(brief_err *e)
{
    return err_set(e, BRIEF_ECORRUPT, "a trigram chunk is corrupt");
}

/* The chunks of key l->tri[i] (a trigram, or a 2-byte prefix with
 * PRE2_TAG: every key that starts with those bytes) from where cur
 * stands.  A prefix whose chunks pass budget bytes is too common to
 * narrow anything ("in"*): it is left as TOO_COMMON.  BRIEF_OK or an
 * error. */
static int
load_one(segcur *cur, tlists *l, size_t i, size_t budget, brief_err *e)
{
    trigram key_tri = l->tri[i];
    unsigned char key[7];
    size_t prefix = key_tri & PRE2_TAG ? 2 : 3, bytes = 0;
    sval k, v;
    int rc;

    key_of(key, key_tri & ~PRE2_TAG, 0);
    l->from[i] = l->n_ch;
    for (rc = segcur_seek_ahead(cur, key, 7, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        uint32_t first, last;
        if (k.len != 7 || memcmp(k.p, key, prefix) != 0)
            break;
        if (prefix == 2 && (bytes += v.len) > budget) {
            l->n_ch = l->from[i];
            l->from[i] = TOO_COMMON;
            return BRIEF_OK;
        }
        first = get_u32be(k.p + 3);
        if (trigindex_chunk_last(v.p, v.len, first, &last))
            return chunk_corrupt(e);
        if ((uint64_t)last / 64 + 1 > l->words)
            l->words = (uint64_t)last / 64 + 1;
        if (l->n_ch == l->cap_ch) {
            size_t c = l->cap_ch ? l->cap_ch * 2 : 256;
            tchunk *ch = realloc(l->ch, c * sizeof *ch);
            if (!ch)
                return err_set(e, BRIEF_ENOMEM, "out of memory");
            l->ch = ch;
            l->cap_ch = c;
        }
        l->ch[l->n_ch++] = (tchunk){ v.p, v.len, first };
    }
    l->to[i] = l->n_ch;
    return rc == BRIEF_OK || rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* Find the chunks of every trigram and prefix of q. */
static int
tlists_load(store_txn *t, const tq *q, tlists *l, brief_err *e)
{
    size_t n = 0, cap = 0, budget;
    uint64_t n_docs;
    segcur *cur;
    int rc;

    if (collect(l, &cap, q))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    if (l->count)
        qsort(l->tri, l->count, sizeof *l->tri, cmp_tri);
    for (size_t i = 0; i < l->count; i++)
        if (!n || l->tri[n - 1] != l->tri[i])
            l->tri[n++] = l->tri[i];
    l->count = n;
    l->words = 1;
    if (!(l->from = calloc(n + 1, sizeof *l->from)) ||
        !(l->to = calloc(n + 1, sizeof *l->to)))
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
    for (size_t i = 0; i < n && rc == BRIEF_OK; i++)
        rc = load_one(cur, l, i, budget, e);
    segcur_close(cur);
    return rc;
}

/* Whether v has a bit in [lo, hi). */
static bool
any_bit(const uint64_t *v, uint64_t lo, uint64_t hi)
{
    for (uint64_t b = lo; b < hi; b++)
        if (v[b / 64] >> (b % 64) & 1)
            return true;
    return false;
}

/* With l->starts: each document's zones all in v when one is. */
static void
spread(const tlists *l, uint64_t *v)
{
    uint64_t limit = l->words * 64;

    for (size_t i = 0; i < l->n_starts && l->starts[i] < limit; i++) {
        uint64_t lo = l->starts[i], hi = limit;
        if (i + 1 < l->n_starts && l->starts[i + 1] < limit)
            hi = l->starts[i + 1];
        if (hi - lo > 1 && any_bit(v, lo, hi))
            for (uint64_t b = lo; b < hi; b++)
                v[b / 64] |= (uint64_t)1 << (b % 64);
    }
}

/* dst := the zones of the trigram or prefix key, or *all.  0, -1 when a
 * chunk is malformed. */
static int
eval_key(const tlists *l, trigram key, uint64_t *dst, bool *all)
{
    trigram *at = bsearch(&key, l->tri, l->count, sizeof *l->tri, cmp_tri);
    sink out = { NULL, NULL, NULL, dst };
    size_t i;

    memset(dst, 0, l->words * sizeof *dst);
    if (!at)
        return 0;
    i = (size_t)(at - l->tri);
    if (l->from[i] == TOO_COMMON) {
        *all = true;
        return 0;
    }
    for (size_t c = l->from[i]; c < l->to[i]; c++)
        if (chunk_decode(l->ch[c].v, l->ch[c].len, l->ch[c].first, &out))
            return -1;
    if (l->starts)
        spread(l, dst);
    return 0;
}

static bool
is_empty(const uint64_t *v, uint64_t words)
{
    for (uint64_t w = 0; w < words; w++)
        if (v[w])
            return false;
    return true;
}

/* dst (l->words words) := the documents that satisfy q, or *all when q
 * narrows nothing.  0, -1 when a chunk is malformed, -2 when out of
 * memory. */
static int
eval(const tlists *l, const tq *q, uint64_t *dst, bool *all)
{
    uint64_t *kid = NULL;
    bool have = false;      /* dst holds a kid's documents */
    int rc = 0;

    *all = false;
    switch (q->kind) {
    case TQ_ALL:
        *all = true;
        return 0;
    case TQ_NONE:
        memset(dst, 0, l->words * sizeof *dst);
        return 0;
    case TQ_TRI:
    case TQ_PRE2:
        return eval_key(l, q->tri | (q->kind == TQ_PRE2 ? PRE2_TAG : 0),
                        dst, all);
    default:
        break;
    }
    if (q->n_kids > 1 && !(kid = malloc(l->words * sizeof *kid)))
        return -2;
    for (size_t i = 0; i < q->n_kids && !rc; i++) {
        uint64_t *into = have ? kid : dst;
        bool kall;
        if ((rc = eval(l, q->kids[i], into, &kall)))
            break;
        if (kall && q->kind == TQ_OR) {     /* anything OR ALL is ALL */
            *all = true;
            break;
        }
        if (kall)
            continue;                       /* x AND ALL is x */
        if (have && q->kind == TQ_AND)
            for (uint64_t w = 0; w < l->words; w++)
                dst[w] &= kid[w];
        else if (have)
            for (uint64_t w = 0; w < l->words; w++)
                dst[w] |= kid[w];
        have = true;
        if (q->kind == TQ_AND && is_empty(dst, l->words))
            break;                          /* nothing left to intersect */
    }
    if (!rc && !have && !*all) {
        *all = q->kind == TQ_AND;           /* only ALLs */
        memset(dst, 0, l->words * sizeof *dst);
    }
    free(kid);
    return rc;
}

/* The ids that satisfy q, each document's zones taken together when
 * starts (its docids, n_starts of them) is given. */
static int
eval_ids(store_txn *t, const tq *q, const uint32_t *starts, size_t n_starts,
         uint32_t **docs, size_t *n, bool *all, brief_err *e)
{
    tlists l;
    uint64_t *bits = NULL;
    size_t count = 0;
    int rc;

    memset(&l, 0, sizeof l);
    l.starts = starts;
    l.n_starts = n_starts;
    *docs = NULL;
    *n = 0;
    *all = q->kind == TQ_ALL;
    if (q->kind == TQ_ALL || q->kind == TQ_NONE)
        return BRIEF_OK;
    if ((rc = tlists_load(t, q, &l, e)))
        goto out;
    if (!(bits = malloc(l.words * sizeof *bits))) {
        rc = err_set(e, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    switch (eval(&l, q, bits, all)) {
    case -1:
        rc = chunk_corrupt(e);
        goto out;
    case -2:
        rc = err_set(e, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    if (*all)
        goto out;
    for (uint64_t w = 0; w < l.words; w++)
        count += (size_t)__builtin_popcountll(bits[w]);
    if (!(*docs = malloc(count * sizeof **docs + 4))) {
        rc = err_set(e, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    for (uint64_t w = 0; w < l.words; w++)
        for (uint64_t b = bits[w]; b; b &= b - 1)
            (*docs)[(*n)++] = (uint32_t)(w * 64 +
                                         (uint64_t)__builtin_ctzll(b));
out:
    if (rc)
        *all = false;               /* a corrupt chunk: nothing kept */
    free(bits);
    tlists_free(&l);
    return rc;
}

int
trigindex_eval(store_txn *t, const tq *q, uint32_t **ids, size_t *n,
               bool *all, brief_err *e)
{
    return eval_ids(t, q, NULL, 0, ids, n, all, e);
}

static int
docs_malformed(brief_err *e)
{
    return err_set(e, BRIEF_ECORRUPT, "a docs key is malformed");
}

/* Every docid, ascending, into *out (malloc'ed). */
static int
all_docids(store_txn *t, uint32_t **out, size_t *n, brief_err *e)
{
    store_cursor *cur;
    size_t cap = 0;
    sval k, v;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = store_cursor_open(t, DB_DOCS, &cur, e)))
        return rc;
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        if (k.len != 4) {
            rc = docs_malformed(e);
            break;
        }
        if (*n == cap) {
            uint32_t *p = realloc(*out, (cap = cap ? cap * 2 : 1024) *
                                  sizeof *p);
            if (!p) {
                rc = err_set(e, BRIEF_ENOMEM, "out of memory");
                break;
            }
            *out = p;
        }
        (*out)[(*n)++] = get_u32be(k.p);
    }
    store_cursor_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
trigindex_eval_zones(store_txn *t, const tq *q, bool whole, uint32_t **ids,
                     size_t *n, bool *all, brief_err *e)
{
    uint32_t *starts = NULL;
    size_t n_starts = 0;
    int rc;

    *ids = NULL;
    *n = 0;
    *all = false;
    if (whole && q->kind != TQ_ALL && q->kind != TQ_NONE &&
        (rc = all_docids(t, &starts, &n_starts, e)))
        return rc;
    rc = eval_ids(t, q, starts, whole ? n_starts : 0, ids, n, all, e);
    if (whole && !starts && !rc)
        *n = 0;                 /* no document: nothing to spread over */
    free(starts);
    return rc;
}

/* The document that owns zone id, where cur stands after: *doc, and
 * *next the docid after it (UINT64_MAX: none). */
static int
locate(store_cursor *cur, uint32_t id, uint32_t *doc, uint64_t *next,
       brief_err *e)
{
    unsigned char key[4];
    sval k, v;
    int rc;

    put_u32be(key, id);
    rc = store_cursor_seek(cur, key, 4, &k, &v);
    if (rc == BRIEF_OK && (k.len != 4 || get_u32be(k.p) != id))
        rc = store_cursor_prev(cur, &k, &v);
    else if (rc == BRIEF_DONE)
        rc = store_cursor_last(cur, &k, &v);
    if (rc == BRIEF_OK && (k.len != 4 || get_u32be(k.p) > id))
        return docs_malformed(e);
    if (rc == BRIEF_DONE)
        return err_set(e, BRIEF_ECORRUPT, "the trigram index names zone "
                       "%u, before every document", id);
    if (rc)
        return rc;
    *doc = get_u32be(k.p);
    rc = store_cursor_next(cur, &k, &v);
    *next = rc == BRIEF_OK && k.len == 4 ? get_u32be(k.p) : UINT64_MAX;
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
trigindex_owners(store_txn *t, const uint32_t *ids, size_t n,
                 uint32_t *owner, brief_err *e)
{
    store_cursor *cur;
    uint64_t next = 0;       /* the docid after doc's */
    uint32_t doc = 0;
    int rc = BRIEF_OK;

    if (n == 0)
        return BRIEF_OK;
    if ((rc = store_cursor_open(t, DB_DOCS, &cur, e)))
        return rc;
    for (size_t i = 0; i < n && rc == BRIEF_OK; i++) {
        if (!i || ids[i] >= next)
            rc = locate(cur, ids[i], &doc, &next, e);
        owner[i] = doc;
    }
    store_cursor_close(cur);
    return rc;
}

int
trigindex_to_docs(store_txn *t, uint32_t *ids, size_t *n, brief_err *e)
{
    size_t kept = 0;
    int rc = trigindex_owners(t, ids, *n, ids, e);

    for (size_t i = 0; i < *n && !rc; i++)
        if (!kept || ids[kept - 1] != ids[i])
            ids[kept++] = ids[i];
    *n = kept;
    return rc;
}

int
trigindex_eval_docs(store_txn *t, const tq *q, uint32_t **docs, size_t *n,
                    bool *all, brief_err *e)
{
    int rc = trigindex_eval(t, q, docs, n, all, e);

    if (!rc && !*all)
        rc = trigindex_to_docs(t, *docs, n, e);
    if (rc) {
        free(*docs);
        *docs = NULL;
        *n = 0;
    }
    return rc;
}
