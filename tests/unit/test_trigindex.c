/*
 * test_trigindex.c: trigindex_eval() checked against a brute-force
 * oracle.  About 5,000 generated documents (docids with gaps, a few
 * without any trigram) are indexed in four batches, four segments, so
 * that the read path merges segments; the index holds dense lists
 * (bitmap chunks), sparse ones (delta chunks), and lists of several
 * chunks of each form.  Then thousands of random trigram queries (AND
 * and OR of 1 to 5 kids, depth at most 4, leaves TRI, PRE2, ALL and NONE)
 * are evaluated both by trigindex_eval() and by testing the query on
 * every document's trigram set, and the answers must agree exactly.
 *
 * The one licence the contract gives is that a PRE2 whose chunks pass a
 * byte budget may count as ALL ("too common"), which only widens the
 * answer.  So each PRE2 leaf is either of a family rare enough to stay
 * far under the budget (the answer must then be exact), or marked
 * may_all; the answer must then lie between the oracle with that leaf
 * as it is and the oracle with that leaf as ALL (queries are monotone:
 * no NOT).  Hand-picked queries cover the edges (ALL, NONE, absent
 * trigrams, the ends of the key space, a prefix in every document), and
 * corrupt chunks must give BRIEF_ECORRUPT, not a crash.
 *
 * Only the contracts of trigindex.h, trigram.h, segment.h and store.h
 * are used to build and ask, but for one look at the chunks' form bit
 * (docs/FORMAT.md) to make sure both forms were written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "tq_oracle.h"
#include "segment.h"
#include "store.h"
#include "trigindex.h"
#include "trigram.h"

#define N_QUERIES 3000
#define MAX_DEPTH 4

static char dir[] = "/tmp/test_trigindex.XXXXXX";
static store *s;

/* ---------------------------------------------------------------- */
/* Helpers                                                           */
/* ---------------------------------------------------------------- */

/* A fixed generator (xorshift64*): the same documents and queries on
 * every libc. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t
rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717u) >> 32);
}

static void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);

    if (!p) {
        fprintf(stderr, "test_trigindex: out of memory\n");
        exit(1);
    }
    return p;
}

static trigram
tri3(unsigned a, unsigned b, unsigned c)
{
    return (trigram)a << 16 | (trigram)b << 8 | (trigram)c;
}

/* A node as trigram.c makes them, so that tq_free() frees it. */
static tq *
node(tq_kind kind, trigram t)
{
    tq *q = xcalloc(1, sizeof *q);

    q->kind = kind;
    q->tri = t;
    return q;
}

/* "ab"*: the two bytes as the first two of a trigram, the third 0. */
static tq *
pre2(unsigned a, unsigned b)
{
    return node(TQ_PRE2, tri3(a, b, 0));
}

static tq *
op(tq_kind kind, size_t n, tq *const *kids)
{
    tq *q = node(kind, 0);

    q->kids = xcalloc(n, sizeof *q->kids);
    memcpy(q->kids, kids, n * sizeof *kids);
    q->n_kids = n;
    return q;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* ---------------------------------------------------------------- */
/* The documents                                                     */
/* ---------------------------------------------------------------- */

/* A trigram of the generated texts and the chance (per mille) that a
 * document holds it. */
typedef struct gen_tri {
    trigram t;
    unsigned permille;
} gen_tri;

static gen_tri universe[400];
static size_t n_universe;

/* The "qq" family: 40 trigrams in half the documents each, so that "qq"*
 * reads far more than 16 bitmaps' worth of chunks; "qqA" is in every
 * document that has any trigram. */
#define QQ_FIRST 0x30
#define QQ_COUNT 40

static void
universe_add(trigram t, unsigned permille)
{
    universe[n_universe].t = t;
    universe[n_universe++].permille = permille;
}

static void
universe_build(void)
{
    /* Alphabet a..f: each 2-byte prefix has one trigram of each density
     * class, from nearly every document (bitmap chunks) to a few in a
     * thousand (delta chunks). */
    static const unsigned klass[6] = { 950, 700, 300, 100, 30, 5 };

    for (unsigned a = 0; a < 6; a++)
        for (unsigned b = 0; b < 6; b++)
            for (unsigned c = 0; c < 6; c++)
                universe_add(tri3('a' + a, 'a' + b, 'a' + c),
                             klass[(a * 5 + b * 3 + c) % 6]);
    /* Rare and medium families for exact PRE2, with neighbours on both
     * sides ("ml", "mn") that a prefix range must not take in. */
    universe_add(tri3('m', 'm', 'a'), 600);
    universe_add(tri3('m', 'm', 'b'), 300);
    universe_add(tri3('m', 'm', 'c'), 100);
    universe_add(tri3('m', 'l', 'z'), 50);
    universe_add(tri3('m', 'n', 'a'), 50);
    universe_add(tri3('x', 'y', 'a'), 20);
    universe_add(tri3('x', 'y', 'b'), 10);
    universe_add(tri3('x', 'y', 'c'), 5);
    universe_add(tri3('x', 'y', 'd'), 2);
    /* The ends of the key space. */
    universe_add(tri3(0x01, 0x01, 0x01), 10);
    universe_add(tri3(0x01, 0x01, 0x02), 3);
    universe_add(tri3(0xff, 0xff, 0xfe), 10);
    universe_add(tri3(0xff, 0xff, 0xff), 5);
    for (unsigned c = 0; c < QQ_COUNT; c++)
        universe_add(tri3('q', 'q', QQ_FIRST + c), 500);
}

static uint32_t *doc_id;            /* by document index, ascending */
static trigset *doc_set;            /* the same, trigrams sorted */
static size_t n_docs;
static int32_t *doc_index;          /* by docid: index or -1 */
static uint32_t next_docid;
static size_t n_words;              /* of a bitset over the documents */

/* The four batches: docids stepping by 1 with some gaps (a dense list
 * of 2,500 documents passes the 1,800 bytes of a chunk: bitmap chunks),
 * then by 10 to 30 (a list of 2,000 documents is sparse there, and as
 * long: delta chunks), then two small ones. */
static const struct batch_spec {
    size_t docs;
    unsigned step_min, step_max;
} batches[] = {
    { 2500, 1, 4 }, { 2000, 10, 30 }, { 300, 1, 3 }, { 300, 1, 2 },
};
#define N_BATCHES (sizeof batches / sizeof batches[0])

static void
make_doc(trigset *set)
{
    memset(set, 0, sizeof *set);
    set->v = xcalloc(n_universe, sizeof *set->v);
    set->zend = xcalloc(1, sizeof *set->zend);     /* one zone */
    set->n_zones = set->cap_zones = 1;
    if (rnd() % 100 == 0)
        return;                     /* a document without trigrams */
    for (size_t i = 0; i < n_universe; i++)
        if (rnd() % 1000 < universe[i].permille ||
            universe[i].t == tri3('q', 'q', 'A'))
            set->v[set->n++] = universe[i].t;
    qsort(set->v, set->n, sizeof *set->v, cmp_u32);
    set->cap = n_universe;
    set->zend[0] = set->n;
}

/* Generate and index the documents, a batch per transaction. */
static void
index_docs(void)
{
    size_t total = 0;
    uint32_t docid = 0;
    trigacc *acc = trigacc_new();
    brief_err e;

    CHECK(acc != NULL);
    if (!acc)
        return;
    for (size_t b = 0; b < N_BATCHES; b++)
        total += batches[b].docs;
    doc_id = xcalloc(total, sizeof *doc_id);
    doc_set = xcalloc(total, sizeof *doc_set);
    for (size_t b = 0; b < N_BATCHES; b++) {
        const struct batch_spec *bs = &batches[b];
        size_t from = n_docs;
        store_txn *t;
        segwriter w;

        docid += 50;                /* a gap between batches */
        for (size_t i = 0; i < bs->docs; i++) {
            docid += bs->step_min +
                     rnd() % (bs->step_max - bs->step_min + 1);
            doc_id[n_docs] = docid;
            make_doc(&doc_set[n_docs]);
            CHECK_RC(trigacc_add(acc, &doc_set[n_docs], docid));
            n_docs++;
        }
        if (b == 1) {
            /* A commit abandoned (the writer's retry on a full map):
             * the batch commits whole the second time. */
            CHECK_RC(store_begin(s, true, &t, &e));
            CHECK_RC(segwriter_begin(&w, t, doc_id[from], docid, &e));
            CHECK_RC(trigacc_commit(acc, &w));
            store_abort(t);
        }
        CHECK_RC(store_begin(s, true, &t, &e));
        CHECK_RC(segwriter_begin(&w, t, doc_id[from], docid, &e));
        CHECK_RC(trigacc_commit(acc, &w));
        CHECK_RC(segwriter_end(&w));
        trigacc_clear(acc);
        /* As the writer keeps them: the budget of a PRE2 comes from
         * "documents". */
        CHECK_RC(store_meta_put(t, "documents", n_docs, &e));
        CHECK_RC(store_meta_put(t, "next_docid", docid + 1, &e));
        CHECK_RC(store_commit(t, &e));
    }
    trigacc_free(acc);
    next_docid = docid + 1;
    doc_index = xcalloc(next_docid, sizeof *doc_index);
    memset(doc_index, 0xff, next_docid * sizeof *doc_index);
    for (size_t i = 0; i < n_docs; i++)
        doc_index[doc_id[i]] = (int32_t)i;
    n_words = (n_docs + 63) / 64;
}

/* ---------------------------------------------------------------- */
/* The oracle                                                        */
/* ---------------------------------------------------------------- */

/* A leaf the queries draw from, with its documents (a bitset by index,
 * found by satisfies() on every document once). */
typedef struct leaf {
    tq_kind kind;
    trigram tri;
    bool may_all;            /* a PRE2 that may pass the budget */
    uint64_t *bits;
} leaf;

static leaf leaves[600];
static size_t n_leaves;
/* Where each draw's candidates lie in leaves[]. */
static size_t tri_alpha, tri_other, tri_absent, pre_exact, pre_absent,
              pre_alpha, pre_qq, leaves_end;

static void
leaf_add(tq_kind kind, trigram t, bool may_all)
{
    leaf *l = &leaves[n_leaves++];
    tq q = { kind, t, NULL, 0 };

    l->kind = kind;
    l->tri = t;
    l->may_all = may_all;
    l->bits = xcalloc(n_words, sizeof *l->bits);
    for (size_t i = 0; i < n_docs; i++)
        if (satisfies(&q, &doc_set[i]))
            l->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Why the exact PRE2 families stay under the budget of 16 * (documents
 * / 8 + 8) bytes (about 10 KB for 5,100 documents): a list's chunks
 * cost at most a bit per docid of its span (the bitmap) or a varint per
 * document, whichever is shorter, plus a few bytes a chunk.  "mm"* is 3
 * lists of at most 360 + 1,200, 360 + 600 and 360 + 200 bytes, about
 * 3 KB; the others are far smaller.  An a..f prefix is 6 lists, one of
 * each density, about 6 KB: under the budget as well, but not by enough
 * to bet an exact answer on it, so it is marked may_all with "qq"*. */
static void
leaves_build(void)
{
    static const unsigned char exact[][2] = {
        { 'm', 'm' }, { 'm', 'l' }, { 'm', 'n' }, { 'x', 'y' },
        { 0x01, 0x01 }, { 0xff, 0xff },
    };
    static const unsigned char absent[][2] = {
        { 'z', 'z' }, { 'a', 'g' }, { 0x00, 0x00 }, { 0xff, 0xfe },
        { 'm', 'o' }, { 'q', 'p' },
    };
    static const trigram absent_tri[] = {
        0x000000, 0x7f7f7f, 0xffff00, 0x010100, 0x616267 /* abg */,
        0x6d6d64 /* mmd */, 0x717158 /* qqX */, 0x78797a /* xyz */,
    };

    tri_alpha = n_leaves;
    for (size_t i = 0; i < 216; i++)
        leaf_add(TQ_TRI, universe[i].t, false);
    tri_other = n_leaves;
    for (size_t i = 216; i < n_universe; i++)
        leaf_add(TQ_TRI, universe[i].t, false);
    tri_absent = n_leaves;
    for (size_t i = 0; i < sizeof absent_tri / sizeof *absent_tri; i++)
        leaf_add(TQ_TRI, absent_tri[i], false);
    pre_exact = n_leaves;
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        leaf_add(TQ_PRE2, tri3(exact[i][0], exact[i][1], 0), false);
    pre_absent = n_leaves;
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        leaf_add(TQ_PRE2, tri3(absent[i][0], absent[i][1], 0), false);
    pre_alpha = n_leaves;
    for (unsigned a = 'a'; a <= 'f'; a++)
        for (unsigned b = 'a'; b <= 'f'; b++)
            leaf_add(TQ_PRE2, tri3(a, b, 0), true);
    pre_qq = n_leaves;
    leaf_add(TQ_PRE2, tri3('q', 'q', 0), true);
    leaves_end = n_leaves;
}

static const leaf *
leaf_find(const tq *q)
{
    for (size_t i = 0; i < n_leaves; i++)
        if (leaves[i].kind == q->kind && leaves[i].tri == q->tri)
            return &leaves[i];
    return NULL;
}

static void
set_all(uint64_t *bits)
{
    for (size_t w = 0; w < n_words; w++)
        bits[w] = ~(uint64_t)0;
    if (n_docs % 64)
        bits[n_words - 1] = ((uint64_t)1 << (n_docs % 64)) - 1;
}

/* The documents of q into exact, and into upper the same with each
 * may_all leaf taken as ALL: trigindex_eval()'s answer must lie
 * between. */
static void
oracle(const tq *q, uint64_t *exact, uint64_t *upper)
{
    uint64_t *ke, *ku;
    const leaf *l;

    switch (q->kind) {
    case TQ_ALL:
        set_all(exact);
        set_all(upper);
        return;
    case TQ_NONE:
        memset(exact, 0, n_words * sizeof *exact);
        memset(upper, 0, n_words * sizeof *upper);
        return;
    case TQ_TRI:
    case TQ_PRE2:
        l = leaf_find(q);
        if (!l) {                   /* a hand-picked leaf: no cache */
            memset(exact, 0, n_words * sizeof *exact);
            for (size_t i = 0; i < n_docs; i++)
                if (satisfies(q, &doc_set[i]))
                    exact[i / 64] |= (uint64_t)1 << (i % 64);
            memcpy(upper, exact, n_words * sizeof *upper);
            return;
        }
        memcpy(exact, l->bits, n_words * sizeof *exact);
        if (l->may_all)
            set_all(upper);
        else
            memcpy(upper, l->bits, n_words * sizeof *upper);
        return;
    case TQ_AND:
    case TQ_OR:
        break;
    }
    ke = xcalloc(n_words, sizeof *ke);
    ku = xcalloc(n_words, sizeof *ku);
    if (q->kind == TQ_AND) {
        set_all(exact);
        set_all(upper);
    } else {
        memset(exact, 0, n_words * sizeof *exact);
        memset(upper, 0, n_words * sizeof *upper);
    }
    for (size_t i = 0; i < q->n_kids; i++) {
        oracle(q->kids[i], ke, ku);
        for (size_t w = 0; w < n_words; w++) {
            if (q->kind == TQ_AND) {
                exact[w] &= ke[w];
                upper[w] &= ku[w];
            } else {
                exact[w] |= ke[w];
                upper[w] |= ku[w];
            }
        }
    }
    free(ke);
    free(ku);
}

static size_t
popcount(const uint64_t *bits)
{
    size_t n = 0;

    for (size_t w = 0; w < n_words; w++)
        n += (size_t)__builtin_popcountll(bits[w]);
    return n;
}

static bool
has(const uint64_t *bits, size_t i)
{
    return bits[i / 64] >> (i % 64) & 1;
}

/* What the answers looked like, so that a generator gone dull (every
 * query ALL or empty) fails rather than passes. */
static struct {
    size_t queries, all, empty, narrowed, loose, shown;
} stats;

/* trigindex_eval(q) in t agrees with the oracle; if not, say how. */
static bool
check_query(store_txn *t, const tq *q)
{
    uint64_t *exact = xcalloc(n_words, sizeof *exact);
    uint64_t *upper = xcalloc(n_words, sizeof *upper);
    uint32_t *docs = NULL;
    size_t n = 0, n_exact, n_upper, hits = 0;
    bool all = false, ok;
    brief_err e;
    int rc;

    oracle(q, exact, upper);
    n_exact = popcount(exact);
    n_upper = popcount(upper);
    rc = trigindex_eval(t, q, &docs, &n, &all, &e);
    ok = rc == BRIEF_OK;
    if (ok && all) {
        /* "Cannot narrow": fair only when nothing would be left out,
         * counting a too-common PRE2 as ALL. */
        ok = n == 0 && n_upper == n_docs;
    } else if (ok) {
        for (size_t i = 0; i < n && ok; i++) {
            int32_t x = docs[i] < next_docid ? doc_index[docs[i]] : -1;
            ok = (i == 0 || docs[i - 1] < docs[i]) && x >= 0 &&
                 has(upper, (size_t)x);
            hits += ok && has(exact, (size_t)x);
        }
        ok = ok && hits == n_exact;
    }
    stats.queries++;
    if (ok) {
        stats.all += all;
        stats.empty += !all && n == 0;
        stats.narrowed += !all && n > 0 && n < n_docs;
        stats.loose += all ? n_exact < n_docs : n > n_exact;
    } else if (stats.shown++ < 5) {
        char text[512];
        tq_format(q, text, sizeof text);
        printf("  query %s\n  gave rc %d, %s%zu documents; the oracle "
               "%zu (at most %zu)\n", text, rc, all ? "ALL, " : "", n,
               n_exact, n_upper);
        if (rc)
            printf("  %s\n", e.msg);
    }
    free(docs);
    free(exact);
    free(upper);
    return ok;
}

/* ---------------------------------------------------------------- */
/* The tests                                                         */
/* ---------------------------------------------------------------- */

/* The index is as meant: four segments; bitmap and delta chunks, and
 * lists cut into several chunks of both forms within one segment. */
static void
index_shape(void)
{
    size_t form[2] = { 0, 0 }, multi[2] = { 0, 0 };
    unsigned char prev[3] = { 0, 0, 0 };
    uint32_t prev_seg = 0;
    store_txn *t;
    segcur *c;
    seglist l;
    brief_err e;
    sval k, v;
    int rc;

    CHECK_RC(store_begin(s, false, &t, &e));
    CHECK_RC(seglist_load(t, &l, &e));
    CHECK(l.n == N_BATCHES);
    CHECK_RC(segcur_open(t, DB_TRIGRAMS, &c, &e));
    for (rc = segcur_first(c, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(c, &k, &v)) {
        const unsigned char *p = v.p;
        uint64_t head = 0;
        uint32_t seg = segcur_segment(c)->id;
        CHECK(k.len == 7);
        CHECK(varint_get(&p, v.p + v.len, &head) == 0);
        form[head & 1]++;
        if (memcmp(k.p, prev, 3) == 0 && seg == prev_seg)
            multi[head & 1]++;
        memcpy(prev, k.p, 3);
        prev_seg = seg;
    }
    CHECK(rc == BRIEF_DONE);
    segcur_close(c);
    store_abort(t);
    CHECK(form[0] > 0 && form[1] > 0);
    CHECK(multi[0] > 0 && multi[1] > 0);
}

static tq *
random_leaf(void)
{
    unsigned r = rnd() % 100, r2 = rnd() % 100;
    size_t from, to;

    if (r < 60) {
        if (r2 < 85)
            from = tri_alpha, to = tri_other;
        else if (r2 < 95)
            from = tri_other, to = tri_absent;
        else
            from = tri_absent, to = pre_exact;
    } else if (r < 84) {
        if (r2 < 55)
            from = pre_exact, to = pre_absent;
        else if (r2 < 70)
            from = pre_absent, to = pre_alpha;
        else if (r2 < 90)
            from = pre_alpha, to = pre_qq;
        else
            from = pre_qq, to = leaves_end;
    } else {
        return node(r < 92 ? TQ_ALL : TQ_NONE, 0);
    }
    from += rnd() % (to - from);
    return node(leaves[from].kind, leaves[from].tri);
}

static tq *
random_query(unsigned depth)
{
    tq *kids[5];
    size_t n;

    if (depth == MAX_DEPTH || rnd() % 100 >= (depth == 1 ? 90u : 45u))
        return random_leaf();
    n = 1 + rnd() % 5;
    for (size_t i = 0; i < n; i++)
        kids[i] = random_query(depth + 1);
    return op(rnd() % 2 ? TQ_AND : TQ_OR, n, kids);
}

/* Random queries against the oracle. */
static void
random_queries(void)
{
    store_txn *t;
    brief_err e;

    memset(&stats, 0, sizeof stats);
    CHECK_RC(store_begin(s, false, &t, &e));
    for (int i = 0; i < N_QUERIES; i++) {
        tq *q = random_query(1);
        CHECK(check_query(t, q));
        tq_free(q);
    }
    store_abort(t);
    /* Most answers narrow to some documents but not all; every kind of
     * answer comes up. */
    CHECK(stats.narrowed > N_QUERIES / 3);
    CHECK(stats.empty > 50 && stats.all > 50);
}

/* Queries picked by hand: ALL, NONE, absent trigrams, the ends of the
 * key space, one trigram in every document, and "qq"* (in every
 * document with a trigram and far over the budget), alone and in AND
 * with a rare trigram: whatever the budget makes of it, no document
 * that holds the query may be missing. */
static void
fixed_queries(void)
{
    tq *k[4], *q;
    store_txn *t;
    brief_err e;
    uint32_t *docs;
    size_t n;
    bool all;

    CHECK_RC(store_begin(s, false, &t, &e));
    /* ALL and NONE at the top, exactly. */
    q = node(TQ_ALL, 0);
    CHECK_RC(trigindex_eval(t, q, &docs, &n, &all, &e));
    CHECK(all && n == 0);
    free(docs);
    tq_free(q);
    q = node(TQ_NONE, 0);
    CHECK_RC(trigindex_eval(t, q, &docs, &n, &all, &e));
    CHECK(!all && n == 0);
    free(docs);
    tq_free(q);

    q = node(TQ_TRI, tri3('z', 'z', 'z'));
    CHECK(check_query(t, q));
    tq_free(q);
    q = node(TQ_TRI, tri3(0xff, 0xff, 0xff));
    CHECK(check_query(t, q));
    tq_free(q);
    q = node(TQ_TRI, tri3(0x01, 0x01, 0x01));
    CHECK(check_query(t, q));
    tq_free(q);
    q = pre2(0xff, 0xff);
    CHECK(check_query(t, q));
    tq_free(q);
    q = node(TQ_TRI, tri3('q', 'q', 'A'));
    CHECK(check_query(t, q));
    tq_free(q);

    k[0] = node(TQ_ALL, 0);
    k[1] = node(TQ_ALL, 0);
    q = op(TQ_AND, 2, k);
    CHECK(check_query(t, q));
    tq_free(q);
    k[0] = node(TQ_TRI, tri3('z', 'z', 'z'));
    k[1] = pre2('z', 'z');
    k[2] = node(TQ_NONE, 0);
    q = op(TQ_OR, 3, k);
    CHECK(check_query(t, q));
    tq_free(q);

    /* "qq"* alone, in AND with rare trigrams, in OR with NONE. */
    q = pre2('q', 'q');
    CHECK(check_query(t, q));
    tq_free(q);
    k[0] = pre2('q', 'q');
    k[1] = node(TQ_TRI, tri3('x', 'y', 'd'));
    q = op(TQ_AND, 2, k);
    CHECK(check_query(t, q));
    tq_free(q);
    k[0] = node(TQ_TRI, tri3(0x01, 0x01, 0x02));
    k[1] = pre2('q', 'q');
    k[2] = pre2('x', 'y');
    q = op(TQ_AND, 3, k);
    CHECK(check_query(t, q));
    tq_free(q);
    k[0] = node(TQ_NONE, 0);
    k[1] = pre2('q', 'q');
    q = op(TQ_OR, 2, k);
    CHECK(check_query(t, q));
    tq_free(q);
    store_abort(t);
}

/* A malformed chunk, alone or among sound lists, is BRIEF_ECORRUPT.
 * Each is written into a segment of its own past the last document, in
 * a transaction then aborted. */
static void
corrupt_chunk(void)
{
    static const unsigned char bad[][6] = {
        { 0x80 },                       /* the span's varint ends early */
        { 0 },                          /* deltas: no document */
        { 2, 0 },                       /* ends before its last docid */
        { 4, 0, 5 },                    /* a docid past the span */
        { 2, 1, 1 },                    /* the first delta is not 0 */
        { 3 },                          /* bitmap: no bytes */
        { 3, 0x02 },                    /* bitmap: the first bit clear */
        { 3, 0x01 },                    /* bitmap: the last bit clear */
        { 0xff, 0xff, 0xff, 0xff, 0x7f },   /* span past 2^32 */
    };
    static const size_t bad_len[] = { 1, 1, 2, 3, 3, 1, 2, 2, 5 };
    uint32_t at = next_docid + 1000;
    unsigned char key[7] = { 'k', 'k', 'k' };

    put_u32be(key + 3, at);
    for (size_t i = 0; i < sizeof bad_len / sizeof *bad_len; i++) {
        tq *qs[3], *k[2];
        store_txn *t;
        segwriter w;
        brief_err e;

        CHECK_RC(store_begin(s, true, &t, &e));
        CHECK_RC(segwriter_begin(&w, t, at, at, &e));
        CHECK_RC(segwriter_add(&w, DB_TRIGRAMS, key, 7, bad[i], bad_len[i]));
        CHECK_RC(segwriter_end(&w));
        qs[0] = node(TQ_TRI, tri3('k', 'k', 'k'));
        qs[1] = pre2('k', 'k');
        k[0] = node(TQ_TRI, tri3('a', 'a', 'a'));
        k[1] = node(TQ_TRI, tri3('k', 'k', 'k'));
        qs[2] = op(TQ_OR, 2, k);
        for (size_t j = 0; j < 3; j++) {
            uint32_t *docs = NULL;
            size_t n = 0;
            bool all = false;
            int rc = trigindex_eval(t, qs[j], &docs, &n, &all, &e);
            CHECK(rc == BRIEF_ECORRUPT);
            if (rc != BRIEF_ECORRUPT)
                printf("  chunk %zu, query %zu: rc %d\n", i, j, rc);
            free(docs);
            tq_free(qs[j]);
        }
        store_abort(t);
    }
}

/* trigindex_chunks_build()'s chunks collected. */
typedef struct chunks {
    uint32_t first[64];
    buf v[64];
    size_t n;
} chunks;

static int
collect_chunk(void *ctx, uint32_t first, const unsigned char *v, size_t len,
              bool replaces_tail)
{
    chunks *c = ctx;
    int rc = 0;

    (void)replaces_tail;
    if (c->n == 64)
        return -3;
    c->first[c->n] = first;
    c->v[c->n].len = 0;
    buf_put(&rc, &c->v[c->n++], v, len);
    return rc;
}

/* The chunk of docs[0..n) as docs/FORMAT.md spells it: the deltas after
 * the first, then form 0 or, when no longer, form 1. */
static void
format_chunk(buf *out, const uint32_t *docs, size_t n)
{
    uint32_t span = docs[n - 1] - docs[0];
    buf deltas = { NULL, 0, 0 };
    int rc = 0;

    out->len = 0;
    for (size_t i = 1; i < n; i++)
        buf_put_varint(&rc, &deltas, docs[i] - docs[i - 1]);
    if (span / 8 + 1 > deltas.len) {
        buf_put_varint(&rc, out, (uint64_t)span * 2);
        buf_put_byte(&rc, out, 0);
        buf_put(&rc, out, deltas.data, deltas.len);
    } else {
        buf_put_varint(&rc, out, (uint64_t)span * 2 + 1);
        buf_reserve(&rc, out, span / 8 + 1);
        memset(out->data + out->len, 0, span / 8 + 1);
        for (size_t i = 0; i < n; i++)
            out->data[out->len + (docs[i] - docs[0]) / 8] |=
                (unsigned char)(1u << ((docs[i] - docs[0]) % 8));
        out->len += span / 8 + 1;
    }
    CHECK(rc == 0);
    buf_free(&deltas);
}

/* Lists of every density cut into chunks by trigindex_chunks_build(),
 * byte for byte as docs/FORMAT.md's rule cuts and encodes them (a new
 * chunk where one more 5-byte delta could take the 0 and the deltas past
 * 1800 bytes); the chunks turned back into a stream, one after the other
 * (trigindex_chunk_to_stream()), give the stream again.  Malformed
 * chunks and streams are refused. */
static void
chunks_by_the_format(void)
{
    static const uint32_t gaps[] = { 1, 2, 3, 9, 20, 130, 300, 20000,
                                     300000 };
    static uint32_t docs[8000];
    chunks got = { { 0 }, { { NULL, 0, 0 } }, 0 };
    buf stream = { NULL, 0, 0 }, back = { NULL, 0, 0 },
        want = { NULL, 0, 0 };
    int rc = 0;

    for (int round = 0; round < 300; round++) {
        uint32_t gap = gaps[round % (sizeof gaps / sizeof *gaps)];
        size_t n = 1 + rnd() % (round % 3 == 0 ? 8 : gap > 1000 ? 600 : 8000);
        size_t at = 0, body = 1, k = 0;
        uint32_t prev = 0;

        docs[0] = 1 + rnd() % 1000;
        for (size_t i = 1; i < n; i++)
            docs[i] = docs[i - 1] + 1 + rnd() % gap;
        stream.len = back.len = 0;
        for (size_t i = 0; i < n; i++)
            buf_put_varint(&rc, &stream, docs[i] - (i ? docs[i - 1] : 0));
        got.n = 0;
        CHECK(trigindex_chunks_build(stream.data, stream.len, collect_chunk,
                                     &got) == 0);
        /* The rule, over the docids. */
        for (size_t i = 1; i <= n; i++) {
            unsigned char tmp[10];
            size_t d = i < n ? varint_put(tmp, docs[i] - docs[i - 1]) : 0;
            if (i < n && body + 5 <= 1800) {
                body += d;
                continue;
            }
            format_chunk(&want, docs + at, i - at);
            CHECK(k < got.n && got.first[k] == docs[at] &&
                  got.v[k].len == want.len &&
                  memcmp(got.v[k].data, want.data, want.len) == 0);
            if (k >= got.n || got.v[k].len != want.len) {
                printf("  round %d, chunk %zu: %zu bytes, want %zu\n",
                       round, k, k < got.n ? got.v[k].len : 0, want.len);
                break;
            }
            k++;
            at = i;
            body = 1;
        }
        CHECK(k == got.n);
        for (size_t i = 0; i < got.n; i++)
            CHECK(trigindex_chunk_to_stream(got.v[i].data, got.v[i].len,
                                            got.first[i], &prev,
                                            &back) == 0);
        CHECK(prev == docs[n - 1] && back.len == stream.len &&
              memcmp(back.data, stream.data, stream.len) == 0);
    }
    CHECK(rc == 0);

    /* Chunks a merge must refuse. */
    {
        static const unsigned char bad[][6] = {
            { 0x80 },                   /* the span's varint ends early */
            { 2, 0 },                   /* ends before its last docid */
            { 4, 0, 5 },                /* a docid past the span */
            { 2, 1, 1 },                /* the first delta is not 0 */
            { 4, 0, 0, 2 },             /* a later delta is 0 */
            { 3 },                      /* bitmap: no bytes */
            { 3, 0x02 },                /* bitmap: the first bit clear */
            { 3, 0x01 },                /* bitmap: the last bit clear */
            { 5, 0x0d },                /* bitmap: a bit past the last */
            { 5, 0x05, 0 },             /* bitmap: a byte too many */
            { 0xff, 0xff, 0xff, 0xff, 0x7f },   /* span past 2^32 */
        };
        static const size_t bad_len[] = { 1, 2, 3, 3, 4, 1, 2, 2, 2, 3, 5 };
        static const unsigned char good[] = { 5, 0x05 };
        static const unsigned char zero[] = { 5, 0, 0 }, big[] = { 0x80,
            0x80, 0x80, 0x80, 0x10, 3 };
        uint32_t prev = 0;

        for (size_t i = 0; i < sizeof bad_len / sizeof *bad_len; i++) {
            prev = 0;
            CHECK(trigindex_chunk_to_stream(bad[i], bad_len[i], 10, &prev,
                                            &back) == -1);
        }
        prev = 11;
        CHECK(trigindex_chunk_to_stream(good, sizeof good, 10, &prev,
                                        &back) == -1);
        prev = 10;
        back.len = 0;
        CHECK(trigindex_chunk_to_stream(good, sizeof good, 10, &prev,
                                        &back) == 0 &&
              prev == 12 && back.len == 2 && back.data[0] == 0 &&
              back.data[1] == 2);
        got.n = 0;
        CHECK(trigindex_chunks_build(zero, sizeof zero, collect_chunk,
                                     &got) == -1);
        CHECK(trigindex_chunks_build(big, sizeof big, collect_chunk,
                                     &got) == -1);
    }
    for (size_t i = 0; i < 64; i++)
        buf_free(&got.v[i]);
    buf_free(&stream);
    buf_free(&back);
    buf_free(&want);
}

/* Whether document i holds t (its set is sorted). */
static bool
holds(size_t i, trigram t)
{
    const trigset *d = &doc_set[i];

    return bsearch(&t, d->v, d->n, sizeof *d->v, cmp_u32) != NULL;
}

/* Remove about one document in six, among them the first and the last,
 * and every list must be the remaining documents that hold its trigram.
 * Bitmap chunks lose ids in their middle (bits cleared in place) and at
 * their ends (rewritten); two adjacent docids are removed as the two
 * zones of one document.  Removing a document twice is an error. */
static void
removal(void)
{
    bool *gone = xcalloc(n_docs, sizeof *gone);
    uint32_t *docs = NULL;
    size_t cap = 0, n_gone = 0, pairs = 0;
    store_txn *t;
    brief_err e;

    CHECK_RC(store_begin(s, true, &t, &e));
    for (size_t i = 0; i < n_docs; i++) {
        trigset two;
        size_t a, b;
        if (!(i == 0 || i == n_docs - 1 || rnd() % 6 == 0))
            continue;
        gone[i] = true;
        n_gone++;
        if (!(i + 1 < n_docs && doc_id[i + 1] == doc_id[i] + 1 &&
              rnd() % 2)) {
            CHECK_RC(trigindex_remove(t, &doc_set[i], doc_id[i], &e));
            continue;
        }
        /* Documents i and i + 1 as zones 0 and 1 of one. */
        a = doc_set[i].n;
        b = doc_set[i + 1].n;
        two = (trigset){ 0 };
        two.v = xcalloc(a + b + 1, sizeof *two.v);
        two.zend = xcalloc(2, sizeof *two.zend);
        memcpy(two.v, doc_set[i].v, a * sizeof *two.v);
        memcpy(two.v + a, doc_set[i + 1].v, b * sizeof *two.v);
        two.n = a + b;
        two.zend[0] = a;
        two.zend[1] = a + b;
        two.n_zones = 2;
        CHECK_RC(trigindex_remove(t, &two, doc_id[i], &e));
        free(two.v);
        free(two.zend);
        gone[++i] = true;
        n_gone++;
        pairs++;
    }
    CHECK(n_gone > n_docs / 8 && pairs > 20);
    for (size_t u = 0; u < n_universe; u++) {
        size_t n = 0, j = 0;
        bool same = true;
        CHECK_RC(trigindex_list(t, universe[u].t, &docs, &n, &cap, &e));
        for (size_t i = 0; i < n_docs; i++) {
            if (gone[i] || !holds(i, universe[u].t))
                continue;
            if (j >= n || docs[j] != doc_id[i])
                same = false;
            j++;
        }
        CHECK(same && j == n);
        if (!same || j != n)
            printf("  trigram %06x: %zu listed, %zu expected\n",
                   (unsigned)universe[u].t, n, j);
    }
    for (size_t i = 0; i < n_docs; i++)
        if (gone[i] && doc_set[i].n) {
            CHECK(trigindex_remove(t, &doc_set[i], doc_id[i], &e) ==
                  BRIEF_ECORRUPT);
            break;
        }
    store_abort(t);
    free(docs);
    free(gone);
}

/* A chunk as index_chunks() saw it. */
typedef struct seen_chunk {
    unsigned char key[7];    /* trigram, u32be first docid */
    unsigned char *v;
    size_t len;
    uint32_t seg;
    bool full;               /* its segment has more of its trigram */
} seen_chunk;

/* Every chunk of the index, in key order (*n of them). */
static seen_chunk *
index_chunks(size_t *n)
{
    seen_chunk *v = NULL;
    size_t cap = 0;
    store_txn *t;
    segcur *c;
    brief_err e;
    sval k, val;
    int rc;

    *n = 0;
    CHECK_RC(store_begin(s, false, &t, &e));
    CHECK_RC(segcur_open(t, DB_TRIGRAMS, &c, &e));
    for (rc = segcur_first(c, &k, &val); rc == BRIEF_OK;
         rc = segcur_next(c, &k, &val)) {
        seen_chunk *x;
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            v = realloc(v, cap * sizeof *v);
            CHECK(v != NULL);
            if (!v)
                exit(1);
        }
        x = &v[(*n)++];
        CHECK(k.len == 7);
        memcpy(x->key, k.p, 7);
        x->v = xcalloc(val.len, 1);
        memcpy(x->v, val.p, val.len);
        x->len = val.len;
        x->seg = segcur_segment(c)->id;
        x->full = false;
        if (*n > 1 && x[-1].seg == x->seg && !memcmp(x[-1].key, k.p, 3))
            x[-1].full = true;
    }
    CHECK(rc == BRIEF_DONE);
    segcur_close(c);
    store_abort(t);
    return v;
}

/* The merge copies a full chunk without decoding it, but it checks the
 * header: a chunk whose span reaches the next chunk's first docid (a
 * header with nothing after it) fails the merge as corrupt, and the
 * index stays as it was. */
static void
copied_span(const seen_chunk *c, size_t n)
{
    unsigned char key[11], bad[10];
    uint32_t first, next;
    store_txn *t;
    brief_err e;
    size_t i = 0;

    while (i + 1 < n && !c[i].full)
        i++;
    CHECK(i + 1 < n && c[i].full);
    if (i + 1 >= n)
        return;
    first = get_u32be(c[i].key + 3);
    next = get_u32be(c[i + 1].key + 3);
    put_u32be(key, c[i].seg);
    memcpy(key + 4, c[i].key, 7);
    CHECK_RC(store_begin(s, true, &t, &e));
    CHECK_RC(store_put(t, DB_TRIGRAMS, key, sizeof key, bad,
                       varint_put(bad, (uint64_t)(next - first) << 1), &e));
    CHECK_RC(store_commit(t, &e));
    CHECK(segment_consolidate(s, &e) == BRIEF_ECORRUPT);
    CHECK_RC(store_begin(s, true, &t, &e));
    CHECK_RC(store_put(t, DB_TRIGRAMS, key, sizeof key, c[i].v, c[i].len,
                       &e));
    CHECK_RC(store_commit(t, &e));
}

/* A first build's consolidation merges the four segments into one: every
 * list stays as it was; a chunk its segment follows with another of its
 * trigram (cut full) is copied as it is, also after another segment's
 * last chunk of the trigram; the others are joined into full chunks. */
static void
consolidation(void)
{
    size_t n_before, n_after, copied = 0, after_tail = 0;
    seen_chunk *before = index_chunks(&n_before), *after;
    uint32_t *docs = NULL, **lists = xcalloc(n_universe, sizeof *lists);
    size_t *n_list = xcalloc(n_universe, sizeof *n_list), cap = 0;
    store_txn *t;
    seglist l;
    brief_err e;

    CHECK_RC(store_begin(s, false, &t, &e));
    for (size_t u = 0; u < n_universe; u++) {
        size_t lcap = 0;
        CHECK_RC(trigindex_list(t, universe[u].t, &lists[u], &n_list[u],
                                &lcap, &e));
    }
    store_abort(t);

    copied_span(before, n_before);
    CHECK_RC(segment_consolidate(s, &e));
    after = index_chunks(&n_after);
    CHECK_RC(store_begin(s, false, &t, &e));
    CHECK_RC(seglist_load(t, &l, &e));
    CHECK(l.n == 1);
    CHECK_RC(segment_check(t, &e));
    for (size_t u = 0; u < n_universe; u++) {
        size_t n = 0;
        CHECK_RC(trigindex_list(t, universe[u].t, &docs, &n, &cap, &e));
        CHECK(n == n_list[u] &&
              !memcmp(docs, lists[u], n * sizeof *docs));
        free(lists[u]);
    }
    store_abort(t);

    /* Both lists are in key order: walk them side by side. */
    for (size_t i = 0, j = 0; i < n_before; i++) {
        int d = 1;
        if (!before[i].full)
            continue;
        while (j < n_after && (d = memcmp(after[j].key, before[i].key, 7))
               < 0)
            j++;
        CHECK(j < n_after && d == 0 && after[j].len == before[i].len &&
              !memcmp(after[j].v, before[i].v, before[i].len));
        copied++;
        /* The same trigram's last chunk of an earlier segment stood
         * before it: joined with nothing, so short, then this copied. */
        if (i > 0 && !memcmp(before[i - 1].key, before[i].key, 3) &&
            before[i - 1].seg != before[i].seg)
            after_tail++;
    }
    CHECK(copied > 0 && after_tail > 0);
    CHECK(n_after < n_before);
    for (size_t i = 0; i < n_before; i++)
        free(before[i].v);
    for (size_t i = 0; i < n_after; i++)
        free(after[i].v);
    free(before);
    free(after);
    free(docs);
    free(lists);
    free(n_list);
}

int
main(void)
{
    char cmd[64];
    brief_err e;

    if (!mkdtemp(dir)) {
        perror(dir);
        return 1;
    }
    if (store_open(&s, dir, STORE_WRITE | STORE_CREATE, &e)) {
        fprintf(stderr, "%s: %s\n", dir, e.msg);
        return 1;
    }
    universe_build();
    TEST(index_docs);
    leaves_build();
    TEST(index_shape);
    TEST(random_queries);
    TEST(fixed_queries);
    TEST(corrupt_chunk);
    TEST(removal);
    TEST(consolidation);
    TEST(chunks_by_the_format);
    store_close(s);
    for (size_t i = 0; i < n_docs; i++)
        trigset_free(&doc_set[i]);
    for (size_t i = 0; i < n_leaves; i++)
        free(leaves[i].bits);
    free(doc_set);
    free(doc_id);
    free(doc_index);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_report();
}
