/*
 * segment.c: segments of the postings and trigram databases (segment.h
 * says why).  Layout:
 *
 *   key in DB_POSTINGS / DB_TRIGRAMS:  u32be segment id | logical key
 *   meta "segments":      n x { u32le id, first docid, last docid,
 *                               u64le bytes of values }, ids ascending
 *   meta "next_segment":  u64le, the id the next segment takes
 *   meta "dead_segments": n x u32le: merged segments whose keys are still
 *                         to be deleted (no reader looks at them)
 *
 * Both logical keys end in the u32be first docid of a chunk, and both
 * chunk formats begin with varint (last - first) followed by docid deltas
 * whose first is 0 (postings.c, trigindex.c).  A merge copies a full
 * chunk as it is, turns the others back into the stream form the
 * builders take (the first delta against the previous chunk's last
 * docid) and lets the builder cut full chunks (merge_db()).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "postings.h"
#include "segment.h"
#include "trigindex.h"

#define SEG_REC 20
/* Longest logical key (LMDB's limit is 511 bytes with the segment id). */
#define SEG_KEY_MAX 500
/* Merges write their output in one transaction; past this many bytes of
 * values they would hold too much memory, unless the list is full. */
#define SEG_MERGE_MAX ((uint64_t)64 << 20)
#define SEG_FANIN 4
/* A merge's reads release the map's pages this often (bytes written),
 * and a merge into a copy commits a piece as often (store_checkpoint()):
 * every 16 MiB, a build of large/ peaked at 177 MiB, not 154. */
#define SEG_RELEASE_EVERY ((uint64_t)4 << 20)
/* Keys of dead segments deleted per transaction (bounded memory). */
#define SEG_SWEEP_KEYS 65536
#define SEG_DEAD_MAX 256
/* A run that consolidates at its end defers merges up to this many
 * segments (segment_maintain()). */
#define SEG_DEFER_MAX 32

int
seglist_load(store_txn *t, seglist *out, brief_err *e)
{
    sval v;
    int rc = store_get(t, DB_META, "segments", 8, &v, e);

    out->n = 0;
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    if (v.len % SEG_REC || v.len / SEG_REC > SEG_MAX)
        return err_set(e, BRIEF_ECORRUPT, "the segment list is malformed "
                       "(%zu bytes)", v.len);
    for (size_t i = 0; i < v.len / SEG_REC; i++) {
        seginfo *s = &out->v[i];
        const unsigned char *p = v.p + i * SEG_REC;
        s->id = get_u32le(p);
        s->first = get_u32le(p + 4);
        s->last = get_u32le(p + 8);
        s->bytes = get_u64le(p + 12);
        if (s->first > s->last || (i && (s->id <= s[-1].id ||
                                          s->first <= s[-1].last)))
            return err_set(e, BRIEF_ECORRUPT, "the segment list is out of "
                           "order at segment %u", s->id);
    }
    out->n = v.len / SEG_REC;
    return BRIEF_OK;
}

static int
seglist_save(store_txn *t, const seglist *l, brief_err *e)
{
    unsigned char v[SEG_MAX * SEG_REC];

    for (size_t i = 0; i < l->n; i++) {
        unsigned char *p = v + i * SEG_REC;
        put_u32le(p, l->v[i].id);
        put_u32le(p + 4, l->v[i].first);
        put_u32le(p + 8, l->v[i].last);
        put_u64le(p + 12, l->v[i].bytes);
    }
    return store_put(t, DB_META, "segments", 8, v, l->n * SEG_REC, e);
}

/* id | key into out; the length, or 0 when key is too long. */
static size_t
seg_key(unsigned char *out, uint32_t id, const void *key, size_t klen)
{
    if (klen > SEG_KEY_MAX)
        return 0;
    put_u32be(out, id);
    memcpy(out + 4, key, klen);
    return klen + 4;
}

/* Order of logical keys: LMDB's (bytes, then the shorter first). */
static int
key_cmp(const sval *a, const sval *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->p, b->p, n);

    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* ---- the merging cursor ---- */

typedef struct head {
    store_cursor *c;
    const seginfo *seg;
    sval k, v;               /* logical key and value; k.p NULL: none */
} head;

struct segcur {
    seglist list;
    head h[SEG_MAX];
    int cur;                 /* head of the current entry; -1 none */
    /* A tournament over the heads (a loser tree): node i of 1..leaves-1
     * holds the head that lost the match there, cur won them all; leaves
     * is list.n rounded up to a power of 2, the heads past list.n, and
     * those with no key, losing every match.  After segcur_next() moves
     * the winner, it replays only its path, one key compared a level,
     * where a scan compared every head (a merge of 24 segments spent a
     * tenth of a build there; bench/PROFILE.md). */
    int loser[SEG_MAX];
    unsigned leaves;
    bool played;             /* loser[] holds the current tournament */
    /* For segcur_seek_ahead(): the key of the last seek, and the last
     * key stepped past since then (len SIZE_MAX: none).  No segment holds
     * a key in [sought, its head's key) other than those stepped past. */
    bool ahead;              /* sought is valid */
    size_t sought_len, passed_len;
    unsigned char sought[SEG_KEY_MAX], passed[SEG_KEY_MAX];
};

/* Take what a store cursor returned as h's entry if it is in h's
 * segment. */
static int
head_take(head *h, int rc, sval k, sval v)
{
    h->k.p = NULL;
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    if (k.len < 4 || get_u32be(k.p) != h->seg->id)
        return BRIEF_OK;
    h->k.p = k.p + 4;
    h->k.len = k.len - 4;
    h->v = v;
    return BRIEF_OK;
}

/* c->cur's entry; BRIEF_DONE (and no current head) when the winner has
 * none. */
static int
current(segcur *c, sval *k, sval *v)
{
    if (c->cur < 0 || (size_t)c->cur >= c->list.n || !c->h[c->cur].k.p) {
        c->cur = -1;
        return BRIEF_DONE;
    }
    if (k)
        *k = c->h[c->cur].k;
    if (v)
        *v = c->h[c->cur].v;
    return BRIEF_OK;
}

/* Whether head a wins over head b: it has a key and b none, or the
 * smaller key (the older segment on a tie, which only damage makes). */
static bool
wins(const segcur *c, int a, int b)
{
    int d;

    if ((size_t)b >= c->list.n || !c->h[b].k.p)
        return true;
    if ((size_t)a >= c->list.n || !c->h[a].k.p)
        return false;
    d = key_cmp(&c->h[a].k, &c->h[b].k);
    return d < 0 || (d == 0 && a < b);
}

/* Make the head with the smallest key current, every head having moved:
 * play the whole tournament. */
static int
pick(segcur *c, sval *k, sval *v)
{
    int won[2 * SEG_MAX];

    for (c->leaves = 1; c->leaves < c->list.n; c->leaves *= 2)
        ;
    for (unsigned i = 0; i < c->leaves; i++)
        won[c->leaves + i] = (int)i;
    for (unsigned n = c->leaves - 1; n >= 1; n--) {
        int a = won[2 * n], b = won[2 * n + 1];
        bool first = wins(c, a, b);
        won[n] = first ? a : b;
        c->loser[n] = first ? b : a;
    }
    c->cur = won[1];
    c->played = true;
    return current(c, k, v);
}

/* The same when only the current head moved: replay its path. */
static int
repick(segcur *c, sval *k, sval *v)
{
    int w = c->cur;

    if (!c->played)
        return pick(c, k, v);
    for (unsigned n = (c->leaves + (unsigned)w) / 2; n >= 1; n /= 2)
        if (wins(c, c->loser[n], w)) {
            int t = c->loser[n];
            c->loser[n] = w;
            w = t;
        }
    c->cur = w;
    return current(c, k, v);
}

/* Make the head with the largest key current (segcur_floor()). */
static int
pick_largest(segcur *c, sval *k, sval *v)
{
    c->cur = -1;
    c->played = false;
    for (size_t i = 0; i < c->list.n; i++)
        if (c->h[i].k.p && (c->cur < 0 ||
                            key_cmp(&c->h[i].k, &c->h[c->cur].k) > 0))
            c->cur = (int)i;
    return current(c, k, v);
}

/* A cursor over the given segments of db. */
static int
open_on(store_txn *t, store_db db, const seglist *l, segcur **out,
        brief_err *e)
{
    /* Only the heads of l's segments are set: zeroing the whole cursor
     * (some 6 KB, room for SEG_MAX heads) cost 7 k instructions a
     * search. */
    segcur *c = malloc(sizeof *c);
    int rc = BRIEF_OK;

    *out = NULL;
    if (!c)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    c->list.n = l->n;
    memcpy(c->list.v, l->v, l->n * sizeof *l->v);
    c->cur = -1;
    c->played = false;
    c->ahead = false;
    c->sought_len = c->passed_len = 0;
    for (size_t i = 0; i < c->list.n; i++)
        c->h[i] = (head){ .seg = &c->list.v[i] };
    for (size_t i = 0; i < c->list.n && !rc; i++)
        rc = store_cursor_open(t, db, &c->h[i].c, e);
    if (rc) {
        segcur_close(c);
        return rc;
    }
    *out = c;
    return BRIEF_OK;
}

int
segcur_open(store_txn *t, store_db db, segcur **out, brief_err *e)
{
    seglist l;
    int rc = seglist_load(t, &l, e);

    *out = NULL;
    return rc ? rc : open_on(t, db, &l, out, e);
}

void
segcur_close(segcur *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->list.n; i++)
        store_cursor_close(c->h[i].c);
    free(c);
}

/* Put h on the first key >= key of its segment. */
static int
head_seek(head *h, const void *key, size_t klen)
{
    unsigned char full[SEG_KEY_MAX + 4];
    size_t n = seg_key(full, h->seg->id, key, klen);
    sval sk = { NULL, 0 }, sv = { NULL, 0 };
    int rc = n ? store_cursor_seek(h->c, full, n, &sk, &sv) : BRIEF_ECORRUPT;

    return head_take(h, rc, sk, sv);
}

/* Remember key as the last seek's, for segcur_seek_ahead(). */
static void
sought(segcur *c, const void *key, size_t klen)
{
    c->ahead = klen <= SEG_KEY_MAX;
    if (c->ahead)
        memcpy(c->sought, key, c->sought_len = klen);
    c->passed_len = SIZE_MAX;
}

int
segcur_seek(segcur *c, const void *key, size_t klen, sval *k, sval *v)
{
    for (size_t i = 0; i < c->list.n; i++) {
        int rc = head_seek(&c->h[i], key, klen);
        if (rc)
            return rc;
    }
    sought(c, key, klen);
    return pick(c, k, v);
}

int
segcur_seek_ahead(segcur *c, const void *key, size_t klen, sval *k,
                  sval *v)
{
    sval want = { key, klen };
    sval last = c->passed_len != SIZE_MAX ?
                (sval){ c->passed, c->passed_len } :
                (sval){ c->sought, c->sought_len };
    int d = c->ahead ? key_cmp(&want, &last) : -1;

    /* Ahead of every key stepped past (and at or after the last seek):
     * a head at or after key is where a seek would put it, and a head
     * with no key has none after key either. */
    if (d < 0 || (d == 0 && c->passed_len != SIZE_MAX))
        return segcur_seek(c, key, klen, k, v);
    for (size_t i = 0; i < c->list.n; i++) {
        head *h = &c->h[i];
        int rc;
        if (!h->k.p || key_cmp(&h->k, &want) >= 0)
            continue;
        if ((rc = head_seek(h, key, klen)))
            return rc;
    }
    sought(c, key, klen);
    return pick(c, k, v);
}

int
segcur_first(segcur *c, sval *k, sval *v)
{
    return segcur_seek(c, "", 0, k, v);
}

int
segcur_next(segcur *c, sval *k, sval *v)
{
    head *h;
    sval sk, sv;
    int rc;

    if (c->cur < 0)
        return BRIEF_DONE;
    h = &c->h[c->cur];
    if (c->ahead && h->k.len <= SEG_KEY_MAX)
        memcpy(c->passed, h->k.p, c->passed_len = h->k.len);
    else
        c->ahead = false;
    rc = store_cursor_next(h->c, &sk, &sv);
    if ((rc = head_take(h, rc, sk, sv)))
        return rc;
    return repick(c, k, v);
}

int
segcur_floor(segcur *c, const void *key, size_t klen, sval *k, sval *v)
{
    sval want = { key, klen };

    c->ahead = false;           /* heads now stand before key */
    for (size_t i = 0; i < c->list.n; i++) {
        head *h = &c->h[i];
        sval sk = { NULL, 0 }, sv = { NULL, 0 };
        int rc = head_seek(h, key, klen);
        if (rc)
            return rc;
        if (h->k.p && key_cmp(&h->k, &want) == 0)
            continue;
        rc = store_cursor_prev(h->c, &sk, &sv);
        if (rc == BRIEF_DONE)       /* the seek ran off the end */
            rc = store_cursor_last(h->c, &sk, &sv);
        if ((rc = head_take(h, rc, sk, sv)))
            return rc;
        if (h->k.p && key_cmp(&h->k, &want) > 0)
            h->k.p = NULL;
    }
    return pick_largest(c, k, v);
}

const seginfo *
segcur_segment(const segcur *c)
{
    return c->cur < 0 ? NULL : c->h[c->cur].seg;
}

/* ---- writing ---- */

int
segment_put(store_txn *t, store_db db, uint32_t seg, const void *key,
            size_t klen, const void *val, size_t vlen, brief_err *e)
{
    unsigned char full[SEG_KEY_MAX + 4];
    size_t n = seg_key(full, seg, key, klen);

    if (!n)
        return err_set(e, BRIEF_EINVAL, "a key of %zu bytes is too long",
                       klen);
    return store_put(t, db, full, n, val, vlen, e);
}

int
segment_del(store_txn *t, store_db db, uint32_t seg, const void *key,
            size_t klen, brief_err *e)
{
    unsigned char full[SEG_KEY_MAX + 4];
    size_t n = seg_key(full, seg, key, klen);

    if (!n)
        return err_set(e, BRIEF_EINVAL, "a key of %zu bytes is too long",
                       klen);
    return store_del(t, db, full, n, NULL, 0, e);
}

int
segwriter_begin(segwriter *w, store_txn *t, uint32_t first, uint32_t last,
                brief_err *e)
{
    uint64_t next;
    int rc = store_meta_get(t, "next_segment", &next, e);

    if (rc)
        return rc;
    if (next > UINT32_MAX)
        return err_set(e, BRIEF_ECORRUPT, "segment ids are exhausted");
    w->t = w->reads = t;
    w->e = e;
    w->seg.id = (uint32_t)next;
    w->seg.first = first;
    w->seg.last = last;
    w->seg.bytes = 0;
    /* Tests lower it, to merge a small index in many pieces. */
    w->piece = getenv("BRIEF_TEST_PIECE_BYTES")
        ? strtoull(getenv("BRIEF_TEST_PIECE_BYTES"), NULL, 10)
        : SEG_RELEASE_EVERY;
    w->piece += !w->piece;
    w->q = NULL;
    return store_meta_put(t, "next_segment", next + 1, e);
}

static int queue_add(segwriter *w, store_db db, const void *key,
                     size_t klen, const void *val, size_t vlen);

int
segwriter_add(segwriter *w, store_db db, const void *key, size_t klen,
              const void *val, size_t vlen)
{
    unsigned char full[SEG_KEY_MAX + 4];
    size_t n;

    if (w->q)
        return queue_add(w, db, key, klen, val, vlen);
    n = seg_key(full, w->seg.id, key, klen);
    if (!n)
        return err_set(w->e, BRIEF_EINVAL, "a key of %zu bytes is too "
                       "long", klen);
    if ((w->seg.bytes + vlen) / w->piece != w->seg.bytes / w->piece) {
        int rc = store_checkpoint(w->t, w->e);
        store_txn_release_pages(w->t);
        if (w->reads != w->t)
            store_txn_release_pages(w->reads);
        if (rc)
            return rc;
    }
    w->seg.bytes += vlen;
    return store_append(w->t, db, full, n, val, vlen, w->e);
}

int
segwriter_end(segwriter *w)
{
    seglist l;
    int rc;

    if (w->seg.bytes == 0)
        return BRIEF_OK;
    if ((rc = seglist_load(w->t, &l, w->e)))
        return rc;
    if (l.n == SEG_MAX)
        return err_set(w->e, BRIEF_EFULL, "the index has %d segments; "
                       "run brief-index --compact", SEG_MAX);
    if (l.n && w->seg.first <= l.v[l.n - 1].last)
        return err_set(w->e, BRIEF_ECORRUPT, "segment %u overlaps the "
                       "segment before it", w->seg.id);
    l.v[l.n++] = w->seg;
    return seglist_save(w->t, &l, w->e);
}

/* ---- merging ---- */

/* Where a merge writes one term's chunks. */
typedef struct emit_ctx {
    segwriter *w;
    store_db db;
    const unsigned char *term;
    size_t tlen;
} emit_ctx;

static int
emit(void *ctx, uint32_t first, const unsigned char *v, size_t len,
     bool replaces_tail)
{
    emit_ctx *c = ctx;
    unsigned char key[SEG_KEY_MAX];

    (void)replaces_tail;
    memcpy(key, c->term, c->tlen);
    put_u32be(key + c->tlen, first);
    return segwriter_add(c->w, c->db, key, c->tlen + 4, v, len);
}

/* Append chunk (first docid first) to stream, its first delta taken
 * against *prev; *prev becomes its last docid.  -1 when malformed.  A
 * posting chunk's entries follow its first delta as they are; a trigram
 * chunk may be a bitmap (trigindex.c). */
static int
chunk_to_stream(store_db db, const sval *v, uint32_t first, uint32_t *prev,
                buf *stream)
{
    const unsigned char *p = v->p, *end = v->p + v->len;
    uint64_t span, zero;
    int rc = 0;

    if (db == DB_TRIGRAMS)
        return trigindex_chunk_to_stream(v->p, v->len, first, prev, stream);
    if (varint_get(&p, end, &span) || varint_get(&p, end, &zero) ||
        zero != 0 || span > UINT32_MAX - first || first < *prev)
        return -1;
    buf_put_varint(&rc, stream, first - *prev);
    buf_put(&rc, stream, p, (size_t)(end - p));
    *prev = first + (uint32_t)span;
    return rc ? -2 : 0;
}

/* Whether a chunk copied as it is (first docid first) keeps its term's
 * order: its header's last docid is below next, the first docid of the
 * chunk after it, and first is past prev when pending chunks (pending)
 * stand before it.  The chunk itself is not decoded: that is what
 * copying it saves. */
static bool
copy_keeps_order(store_db db, const sval *v, uint32_t first, uint32_t next,
                 bool pending, uint32_t prev)
{
    uint32_t last;
    int rc = db == DB_TRIGRAMS
        ? trigindex_chunk_last(v->p, v->len, first, &last)
        : postings_chunk_last(v->p, v->len, first, &last);

    return rc == 0 && last < next && (!pending || first > prev);
}

/* One term's chunks (stream holds n of them, single the only one). */
static int
write_term(emit_ctx *ec, size_t n, const buf *stream, const buf *single,
           uint32_t single_first)
{
    int rc;

    if (n == 1)
        return emit(ec, single_first, single->data, single->len, false);
    rc = ec->db == DB_POSTINGS
        ? postings_chunks_build(stream->data, stream->len, NULL, 0, 0,
                                emit, ec)
        : trigindex_chunks_build(stream->data, stream->len, emit, ec);
    if (rc == -1)
        return err_set(ec->w->e, BRIEF_ECORRUPT, "a chunk to merge is "
                       "corrupt");
    return rc == -2 ? err_set(ec->w->e, BRIEF_ENOMEM, "out of memory") : rc;
}

/* Copy every term of the segments in l of db into w.  A chunk that its
 * segment follows with another of the same term was cut full, and is
 * copied as it is; a segment's last chunk of a term is turned back into
 * the stream form and joined with the next segment's into full chunks.
 * So a short chunk may stand before a copied one: readers take chunks of
 * any length. */
static int
merge_db(store_txn *t, store_db db, const seglist *l, segwriter *w)
{
    segcur *c;
    buf term = { NULL, 0, 0 }, stream = { NULL, 0, 0 },
        single = { NULL, 0, 0 };
    emit_ctx ec = { w, db, NULL, 0 };
    uint32_t prev = 0, single_first = 0;
    size_t n = 0;
    sval k, v;
    int rc, brc = 0;

    if ((rc = open_on(t, db, l, &c, w->e)))
        return rc;
    rc = segcur_first(c, &k, &v);
    while (rc == BRIEF_OK) {
        const seginfo *seg = segcur_segment(c);
        sval ck = k, cv = v;
        uint32_t first;
        int next;
        if (ck.len < 5 || ck.len - 4 > SEG_KEY_MAX) {
            rc = err_set(w->e, BRIEF_ECORRUPT, "a key to merge is "
                         "malformed");
            break;
        }
        first = get_u32be(ck.p + ck.len - 4);
        if (n && (term.len != ck.len - 4 ||
                  memcmp(term.data, ck.p, term.len) != 0)) {
            ec.term = term.data;
            ec.tlen = term.len;
            if ((rc = write_term(&ec, n, &stream, &single, single_first)))
                break;
            n = 0;
        }
        /* The entry after this one tells whether it is full.  (Appends
         * leave the pages under ck and cv as they are: MDB_APPEND splits
         * off a new page.) */
        next = segcur_next(c, &k, &v);
        if (next != BRIEF_OK && next != BRIEF_DONE) {
            rc = next;
            break;
        }
        if (next == BRIEF_OK && segcur_segment(c) == seg &&
            k.len == ck.len && memcmp(k.p, ck.p, ck.len - 4) == 0) {
            if (!copy_keeps_order(db, &cv, first,
                                  get_u32be(k.p + k.len - 4), n, prev)) {
                rc = err_set(w->e, BRIEF_ECORRUPT, "a chunk to merge is "
                             "corrupt");
                break;
            }
            ec.term = ck.p;        /* the pending chunks' term too */
            ec.tlen = ck.len - 4;
            if (n && (rc = write_term(&ec, n, &stream, &single,
                                      single_first)))
                break;
            n = 0;
            if ((rc = emit(&ec, first, cv.p, cv.len, false)))
                break;
            rc = next;
            continue;
        }
        if (n == 0) {
            term.len = stream.len = single.len = 0;
            prev = 0;
            buf_put(&brc, &term, ck.p, ck.len - 4);
            buf_put(&brc, &single, cv.p, cv.len);
            single_first = first;
        }
        if ((rc = chunk_to_stream(db, &cv, first, &prev, &stream)) || brc) {
            rc = rc == -1 ? err_set(w->e, BRIEF_ECORRUPT, "a chunk to "
                                    "merge is corrupt")
                          : err_set(w->e, BRIEF_ENOMEM, "out of memory");
            break;
        }
        n++;
        rc = next;
    }
    if (rc == BRIEF_DONE) {
        ec.term = term.data;
        ec.tlen = term.len;
        rc = n ? write_term(&ec, n, &stream, &single, single_first)
               : BRIEF_OK;
    }
    segcur_close(c);
    buf_free(&term);
    buf_free(&stream);
    buf_free(&single);
    return rc;
}

/* Size tier of a segment: 0 below 1 MiB, then one per factor of 4. */
static unsigned
tier(uint64_t bytes)
{
    unsigned t = 0;

    for (bytes >>= 20; bytes; bytes >>= 2)
        t++;
    return t;
}

/* Whether the newest SEG_FANIN segments of l should be merged. */
static bool
due(const seglist *l)
{
    uint64_t sum = 0;
    const seginfo *s;

    if (l->n < SEG_FANIN)
        return false;
    s = &l->v[l->n - SEG_FANIN];
    for (size_t i = 0; i < SEG_FANIN; i++) {
        if (tier(s[i].bytes) != tier(s[0].bytes))
            return false;
        sum += s[i].bytes;
    }
    return sum <= SEG_MERGE_MAX || l->n >= SEG_MAX - 1;
}

/* The ids of dead segments (meta "dead_segments"). */
static int
dead_load(store_txn *t, uint32_t *ids, size_t *n, brief_err *e)
{
    sval v;
    int rc = store_get(t, DB_META, "dead_segments", 13, &v, e);

    *n = 0;
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    if (v.len % 4 || v.len / 4 > SEG_DEAD_MAX)
        return err_set(e, BRIEF_ECORRUPT, "the dead segment list is "
                       "malformed (%zu bytes)", v.len);
    for (size_t i = 0; i < v.len / 4; i++)
        ids[i] = get_u32le(v.p + 4 * i);
    *n = v.len / 4;
    return BRIEF_OK;
}

static int
dead_save(store_txn *t, const uint32_t *ids, size_t n, brief_err *e)
{
    unsigned char v[SEG_DEAD_MAX * 4];

    for (size_t i = 0; i < n; i++)
        put_u32le(v + 4 * i, ids[i]);
    return store_put(t, DB_META, "dead_segments", 13, v, n * 4, e);
}

/* Delete a bounded number of keys of the first dead segment in write txn
 * t, and forget it once none is left; *done when there is none. */
static int
sweep_once(store_txn *t, brief_err *e, bool *done)
{
    uint32_t ids[SEG_DEAD_MAX];
    unsigned char id[4];
    size_t n;
    bool more = false;
    int rc = dead_load(t, ids, &n, e);

    *done = rc == BRIEF_OK && n == 0;
    if (rc || *done)
        return rc;
    put_u32be(id, ids[0]);
    if ((rc = store_del_prefix(t, DB_POSTINGS, id, 4, SEG_SWEEP_KEYS, &more,
                               e)))
        return rc;
    if (!more && (rc = store_del_prefix(t, DB_TRIGRAMS, id, 4,
                                        SEG_SWEEP_KEYS, &more, e)))
        return rc;
    if (more)
        return BRIEF_OK;
    memmove(ids, ids + 1, (n - 1) * sizeof *ids);
    return dead_save(t, ids, n - 1, e);
}

/* Merge the newest k segments of l into one in write txn t.  The merged
 * segments leave the list at once (readers no longer see them) and join
 * the dead list; sweep_once() deletes their keys later, a bounded number
 * per transaction, so that a merge holds no more than its output. */
static int
merge_newest(store_txn *t, seglist *l, uint32_t *dead, size_t n_dead,
             size_t k, brief_err *e)
{
    seglist tail;
    segwriter w;
    int rc;

    tail.n = k;
    memcpy(tail.v, &l->v[l->n - k], sizeof tail.v[0] * k);
    if ((rc = segwriter_begin(&w, t, tail.v[0].first, tail.v[k - 1].last,
                              e)) ||
        (rc = merge_db(t, DB_POSTINGS, &tail, &w)) ||
        (rc = merge_db(t, DB_TRIGRAMS, &tail, &w)))
        return rc;
    for (size_t i = 0; i < k; i++)
        dead[n_dead++] = tail.v[i].id;
    l->n -= k;
    l->v[l->n++] = w.seg;
    if ((rc = dead_save(t, dead, n_dead, e)))
        return rc;
    return seglist_save(t, l, e);
}

/* The number of newest segments of l that one consolidating merge takes:
 * as many as hold max bytes together (SEG_MERGE_MAX for a merge in
 * data.mdb, whose transaction holds its output; no bound for
 * segment_rewrite(), which commits in pieces). */
static size_t
consolidating(const seglist *l, uint64_t max)
{
    /* Tests lower the bound to keep several segments. */
    const char *env = getenv("BRIEF_TEST_CONSOLIDATE_BYTES");
    uint64_t sum = 0;
    size_t k = 0;

    if (env)
        max = strtoull(env, NULL, 10);
    while (k < l->n && sum + l->v[l->n - 1 - k].bytes <= max)
        sum += l->v[l->n - 1 - k++].bytes;
    return k;
}

/* One merge in write txn t; *done when none is due.  deferring: the run
 * consolidates at its end, so a merge is not due while that consolidation
 * would take every segment anyway (and they are few enough). */
static int
merge_step(store_txn *t, brief_err *e, bool *done, bool deferring)
{
    seglist l;
    uint32_t dead[SEG_DEAD_MAX];
    size_t n_dead;
    int rc;

    *done = false;
    if ((rc = seglist_load(t, &l, e)) ||
        (rc = dead_load(t, dead, &n_dead, e)))
        return rc;
    if (!due(&l) || n_dead + SEG_FANIN > SEG_DEAD_MAX ||
        (deferring && l.n < SEG_DEFER_MAX &&
         consolidating(&l, UINT64_MAX) == l.n)) {
        *done = true;
        return BRIEF_OK;
    }
    return merge_newest(t, &l, dead, n_dead, SEG_FANIN, e);
}

static int
merge_once(store_txn *t, brief_err *e, bool *done)
{
    return merge_step(t, e, done, false);
}

static int
merge_deferring(store_txn *t, brief_err *e, bool *done)
{
    return merge_step(t, e, done, true);
}

/* One consolidating merge in write txn t; *done when fewer than two
 * segments fit in one (as when the newest is the product of one). */
static int
consolidate_once(store_txn *t, brief_err *e, bool *done)
{
    seglist l;
    uint32_t dead[SEG_DEAD_MAX];
    size_t n_dead, k;
    int rc;

    *done = false;
    if ((rc = seglist_load(t, &l, e)) ||
        (rc = dead_load(t, dead, &n_dead, e)))
        return rc;
    k = consolidating(&l, SEG_MERGE_MAX);
    if (k < 2 || n_dead + k > SEG_DEAD_MAX) {
        *done = true;
        return BRIEF_OK;
    }
    return merge_newest(t, &l, dead, n_dead, k, e);
}

/* ---- a merge on a thread of its own ---- */

/* segment_rewrite() merges on a thread of its own, in a read transaction
 * of its own, and queues what it would write; the calling thread, which
 * holds the copy's write transaction, copies the other databases
 * meanwhile, then writes the queued records in their order, so the copy
 * is the one a merge on one thread writes, byte for byte.  On large/ in 8
 * segments the merge's reading, joining and cutting of chunks took 2,000
 * M instructions, LMDB's appends of its output 560 M, and the other
 * databases' copy 910 M; the merge and the copy then took 0.64-0.81 s,
 * and 0.56-0.67 s on two threads (bench/PROFILE.md).  The queue holds two
 * buffers of records: the merging thread fills one while the writer
 * empties the other, so the merge runs at most 16 MiB ahead.  (Two of 16
 * MiB were faster still, but raised a build's peak RSS on large-x8 from
 * 229 to 252 MiB, next to the 256 MiB bound.)  A record: u8 database,
 * u16le key length, u32le value length, key, value. */
#define MQ_BYTES ((size_t)8 << 20)
#define MQ_HEAD 7

typedef struct mergeq {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    buf fill;                /* the merging thread's */
    buf full;                /* handed over; ready: not taken yet */
    bool ready, done, stop;
    int rc;                  /* the merge's result, once done */
    brief_err err;           /* its message */
    /* What the merging thread merges, and from where. */
    store_txn *reads;
    const seglist *l;
    pthread_t thread;
} mergeq;

/* Hand q->fill over to the writer once it has taken the buffer before:
 * BRIEF_EINVAL when the writer stopped. */
static int
queue_hand(mergeq *q)
{
    buf b;
    bool stop;

    pthread_mutex_lock(&q->lock);
    while (q->ready && !q->stop)
        pthread_cond_wait(&q->cond, &q->lock);
    if (!(stop = q->stop)) {
        b = q->full;
        q->full = q->fill;
        q->fill = b;
        q->fill.len = 0;
        q->ready = true;
        pthread_cond_broadcast(&q->cond);
    }
    pthread_mutex_unlock(&q->lock);
    return stop ? BRIEF_EINVAL : BRIEF_OK;
}

static int
queue_add(segwriter *w, store_db db, const void *key, size_t klen,
          const void *val, size_t vlen)
{
    mergeq *q = w->q;
    unsigned char hdr[MQ_HEAD];
    int rc = 0;

    if (klen > SEG_KEY_MAX)
        return err_set(w->e, BRIEF_EINVAL, "a key of %zu bytes is too "
                       "long", klen);
    /* Handed over before it would grow past MQ_BYTES. */
    if (q->fill.len && q->fill.len + MQ_HEAD + klen + vlen > MQ_BYTES &&
        (rc = queue_hand(q)))
        return err_set(w->e, rc, "the merge's writer stopped");
    hdr[0] = (unsigned char)db;
    hdr[1] = (unsigned char)klen;
    hdr[2] = (unsigned char)(klen >> 8);
    put_u32le(hdr + 3, (uint32_t)vlen);
    buf_put(&rc, &q->fill, hdr, sizeof hdr);
    buf_put(&rc, &q->fill, key, klen);
    buf_put(&rc, &q->fill, val, vlen);
    if (rc)
        return err_set(w->e, BRIEF_ENOMEM, "out of memory");
    return BRIEF_OK;
}

static void *
merge_thread(void *arg)
{
    mergeq *q = arg;
    segwriter w = { .e = &q->err, .q = q };
    int rc;

    if (!(rc = merge_db(q->reads, DB_POSTINGS, q->l, &w)) &&
        !(rc = merge_db(q->reads, DB_TRIGRAMS, q->l, &w)) && q->fill.len)
        rc = queue_hand(q);
    store_abort(q->reads);
    q->reads = NULL;
    pthread_mutex_lock(&q->lock);
    q->rc = rc;
    q->done = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Start merging the segments in l of from's snapshot on a thread: 0, or
 * an error when no thread could start (then nothing is queued). */
static int
queue_start(mergeq *q, store_txn *from, const seglist *l, brief_err *e)
{
    int rc;

    memset(q, 0, sizeof *q);
    q->l = l;
    err_clear(&q->err);
    if ((rc = store_begin_twin(from, &q->reads, e)))
        return rc;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->cond, NULL);
    if (pthread_create(&q->thread, NULL, merge_thread, q) != 0) {
        store_abort(q->reads);
        pthread_mutex_destroy(&q->lock);
        pthread_cond_destroy(&q->cond);
        return err_set(e, BRIEF_ENOMEM, "cannot start a thread");
    }
    return BRIEF_OK;
}

/* Write what the merging thread queues into w until it is done: its
 * result, or the writer's error. */
static int
queue_drain(mergeq *q, segwriter *w)
{
    int rc = BRIEF_OK;

    for (;;) {
        bool ready;
        pthread_mutex_lock(&q->lock);
        while (!q->ready && !q->done)
            pthread_cond_wait(&q->cond, &q->lock);
        ready = q->ready;
        pthread_mutex_unlock(&q->lock);
        if (!ready)
            break;
        /* The merging thread leaves q->full alone until it is taken. */
        for (size_t at = 0; at < q->full.len && !rc;) {
            const unsigned char *r = q->full.data + at;
            size_t klen = r[1] | (size_t)r[2] << 8;
            size_t vlen = get_u32le(r + 3);
            rc = segwriter_add(w, (store_db)r[0], r + MQ_HEAD, klen,
                               r + MQ_HEAD + klen, vlen);
            at += MQ_HEAD + klen + vlen;
        }
        pthread_mutex_lock(&q->lock);
        q->full.len = 0;
        q->ready = false;
        pthread_cond_broadcast(&q->cond);
        pthread_mutex_unlock(&q->lock);
        if (rc)
            break;
    }
    return rc;
}

/* Stop the merging thread (when the writer failed) and wait for it: the
 * merge's result, its message in e. */
static int
queue_end(mergeq *q, bool stop, brief_err *e)
{
    int rc;

    pthread_mutex_lock(&q->lock);
    q->stop = stop;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->cond);
    buf_free(&q->fill);
    buf_free(&q->full);
    if ((rc = q->rc) && !stop)
        err_set(e, rc, "%s", q->err.msg);
    return rc;
}

int
segment_rewrite(store *s, const char *dir, brief_err *e)
{
    store_txn *from, *to = NULL;
    store *copy = NULL;
    seglist l, one = { .n = 1 };
    segwriter w;
    mergeq q;
    int rc, qrc;

    if ((rc = store_begin(s, false, &from, e)))
        return rc;
    if ((rc = seglist_load(from, &l, e)))
        goto out;
    /* Every segment, whatever their size: the copy is committed in
     * pieces.  (Tests may bound it to keep several.) */
    if (l.n < 2 || consolidating(&l, UINT64_MAX) < l.n) {
        rc = BRIEF_DONE;
        goto out;
    }
    if ((rc = store_copy_open(s, dir, &copy, &to, e)) ||
        (rc = queue_start(&q, from, &l, e)))
        goto out;
    for (store_db db = 0; db < DB_COUNT && !rc; db++)
        if (db != DB_POSTINGS && db != DB_TRIGRAMS)
            rc = store_copy_db(from, to, db, e);
    /* The meta copied names the old segments; the merged one's id is
     * the next (segwriter_begin()) and none is dead. */
    if (!rc && !(rc = segwriter_begin(&w, to, l.v[0].first,
                                      l.v[l.n - 1].last, e))) {
        w.reads = from;
        rc = queue_drain(&q, &w);
    }
    if ((qrc = queue_end(&q, rc != BRIEF_OK, e)) && !rc)
        rc = qrc;
    if (!rc) {
        one.v[0] = w.seg;
        if (!(rc = seglist_save(to, &one, e)))
            rc = dead_save(to, NULL, 0, e);
        if (!rc) {
            rc = store_commit(to, e);
            to = NULL;
        }
    }
out:
    store_abort(to);
    store_abort(from);
    if (copy) {
        int crc = store_copy_close(s, copy, rc == BRIEF_OK, e);
        rc = rc ? rc : crc;
    }
    return rc;
}

/* Run step (a sweep or a merge) in transactions of its own until it is
 * done; *steps counts the committed ones. */
static int
repeat(store *s, int (*step)(store_txn *, brief_err *, bool *),
       brief_err *e, unsigned *steps)
{
    for (int tries = 0; tries < 20;) {
        store_txn *t;
        bool done;
        int rc = store_begin(s, true, &t, e);
        if (rc)
            return rc;
        rc = step(t, e, &done);
        if (rc || done)
            store_abort(t);
        else if ((rc = store_commit(t, e)) == BRIEF_OK)
            (*steps)++;
        store_release_pages(s);
        if (rc == BRIEF_EFULL) {
            if ((rc = store_grow(s, e)))
                return rc;
            tries++;
            continue;
        }
        if (rc || done)
            return rc;
    }
    return err_set(e, BRIEF_EFULL, "merging segments: the map cannot grow");
}

int
segment_maintain(store *s, brief_err *e, bool consolidates,
                 unsigned *merged)
{
    unsigned swept = 0, before;
    int rc;

    *merged = 0;
    do {
        before = *merged;
        if ((rc = repeat(s, sweep_once, e, &swept)) ||
            (rc = repeat(s, consolidates ? merge_deferring : merge_once, e,
                         merged)))
            return rc;
    } while (*merged != before);
    return BRIEF_OK;
}

int
segment_consolidate(store *s, brief_err *e)
{
    unsigned steps = 0;
    int rc;

    /* Sweeping first makes room in the dead list; each merge takes two
     * segments at least, so the merges end. */
    if ((rc = repeat(s, sweep_once, e, &steps)) ||
        (rc = repeat(s, consolidate_once, e, &steps)))
        return rc;
    return repeat(s, sweep_once, e, &steps);
}

/* Whether id is in l or in dead[0..n). */
static bool
known(const seglist *l, const uint32_t *dead, size_t n, uint32_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].id == id)
            return true;
    for (size_t i = 0; i < n; i++)
        if (dead[i] == id)
            return true;
    return false;
}

int
segment_check(store_txn *t, brief_err *e)
{
    static const store_db dbs[] = { DB_POSTINGS, DB_TRIGRAMS };
    uint32_t dead[SEG_DEAD_MAX];
    size_t n_dead;
    seglist l;
    int rc;

    if ((rc = seglist_load(t, &l, e)) ||
        (rc = dead_load(t, dead, &n_dead, e)))
        return rc;
    for (size_t d = 0; d < 2 && !rc; d++) {
        store_cursor *c;
        unsigned char next[4] = { 0, 0, 0, 0 };
        sval k, v;
        if ((rc = store_cursor_open(t, dbs[d], &c, e)))
            return rc;
        /* One seek per segment: from each one's first key to the next. */
        for (rc = store_cursor_seek(c, next, 4, &k, &v); rc == BRIEF_OK;
             rc = store_cursor_seek(c, next, 4, &k, &v)) {
            uint32_t id = k.len >= 4 ? get_u32be(k.p) : 0;
            if (k.len < 4 || !known(&l, dead, n_dead, id)) {
                rc = err_set(e, BRIEF_ECORRUPT, "a key lies in segment %u, "
                             "which the segment list does not name", id);
                break;
            }
            if (id == UINT32_MAX)
                break;
            put_u32be(next, id + 1);
        }
        store_cursor_close(c);
        if (rc == BRIEF_DONE || rc == BRIEF_OK)
            rc = BRIEF_OK;
    }
    return rc;
}
