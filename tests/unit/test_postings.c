/*
 * test_postings.c: the chunk codec.  Random posting lists are encoded the
 * way the writer does (entries -> stream -> chunks), decoded (at once and
 * lazily), and compared; unions of lists are checked against a reference;
 * documents are removed from chunks; varints round-trip.
 */
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "buf.h"
#include "check.h"
#include "postings.h"

typedef struct chunks {
    buf vals[4096];
    uint32_t first[4096];
    size_t n;
} chunks;

static int
collect(void *ctx, uint32_t first, const unsigned char *v, size_t len,
        bool replaces_tail)
{
    chunks *c = ctx;
    int rc = 0;

    if (replaces_tail) {
        c->n--;
        buf_free(&c->vals[c->n]);
    }
    memset(&c->vals[c->n], 0, sizeof c->vals[c->n]);
    buf_put(&rc, &c->vals[c->n], v, len);
    c->first[c->n++] = first;
    return rc;
}

static void
test_varint(void)
{
    unsigned char b[10];
    uint64_t vals[] = { 0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX,
                        UINT64_MAX };

    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        size_t n = varint_put(b, vals[i]);
        const unsigned char *p = b;
        uint64_t v;
        CHECK(varint_get(&p, b + n, &v) == 0 && v == vals[i] &&
              p == b + n);
        p = b;
        CHECK(n == 1 || varint_get(&p, b + n - 1, &v) == -1);
    }
    CHECK(varint_put(b, 300) == 2 && b[0] == 0xAC && b[1] == 0x02);
}

/* The worked example at the top of postings.c. */
static void
test_example(void)
{
    postings_entry pe = { 0 };
    buf stream = { NULL, 0, 0 };
    chunks c = { .n = 0 };
    int rc = 0;
    const unsigned char want[] = { 3, 0, 1, 2, 2, 3, 4, 3, 1, 0, 1, 0 };

    postings_entry_reset(&pe);
    postings_entry_add(&pe, 2, 3);
    postings_entry_add(&pe, 2, 7);
    postings_entry_encode(&rc, &pe, 9, 0, &stream);
    postings_entry_reset(&pe);
    postings_entry_add(&pe, 0, 0);
    postings_entry_encode(&rc, &pe, 12, 9, &stream);
    CHECK(rc == 0);
    CHECK(postings_chunks_build(stream.data, stream.len, NULL, 0, 0,
                                collect, &c) == 0);
    CHECK(c.n == 1 && c.first[0] == 9);
    CHECK(c.vals[0].len == sizeof want &&
          memcmp(c.vals[0].data, want, sizeof want) == 0);
    postings_entry_free(&pe);
    buf_free(&stream);
    buf_free(&c.vals[0]);
}

/* Random lists: 1..400 docs, 1..5 passages, 1..6 positions each. */
static void
test_random_roundtrip(void)
{
    buf one = { NULL, 0, 0 };
    uint32_t one_first = 0;
    int one_rc, n_one = 0, n_cut = 0;

    srand(12345);
    for (int round = 0; round < 200; round++) {
        plist want = { 0 }, got = { 0 }, lazy = { 0 };
        postings_entry pe = { 0 };
        buf stream = { NULL, 0, 0 };
        static chunks c;
        uint32_t doc = 0, prev = 0;
        int n_docs = 1 + rand() % 400, rc = 0;
        bool same = true;

        c.n = 0;
        for (int d = 0; d < n_docs; d++) {
            uint32_t pass = 0;
            int n_pass = 1 + rand() % 5;
            doc += 1 + (uint32_t)(rand() % (rand() % 2 ? 3 : 100000));
            postings_entry_reset(&pe);
            for (int p = 0; p < n_pass; p++) {
                ppos pos[6];
                int tf = 1 + rand() % 6;
                uint32_t at = 0;
                pass += (uint32_t)(p ? 1 + rand() % 50 : rand() % 3);
                for (int k = 0; k < tf; k++) {
                    at += (uint32_t)(k ? 1 + rand() % 20 : rand() % 10);
                    pos[k] = (ppos)at;
                    postings_entry_add(&pe, pass, at);
                }
                plist_push(&want, PID(doc, pass), pos, (uint32_t)tf);
            }
            postings_entry_encode(&rc, &pe, doc, prev, &stream);
            prev = doc;
        }
        CHECK(rc == 0);
        CHECK(postings_chunks_build(stream.data, stream.len, NULL, 0, 0,
                                    collect, &c) == 0);
        /* A stream that fits in one chunk: the same chunk, made without
         * reading the entries. */
        one_rc = postings_chunk_one(stream.data, stream.len, doc, &one,
                                    &one_first);
        if (one_rc == 1) {
            n_one++;
            CHECK(c.n == 1 && c.first[0] == one_first &&
                  one.len == c.vals[0].len &&
                  memcmp(one.data, c.vals[0].data, one.len) == 0);
        } else {
            n_cut++;
            CHECK(one_rc == 0 && stream.len + 5 > POSTINGS_CHUNK_MAX);
        }
        for (size_t i = 0; i < c.n; i++) {
            uint32_t last;
            CHECK(c.vals[i].len <= POSTINGS_CHUNK_MAX + 200);
            CHECK(postings_chunk_last(c.vals[i].data, c.vals[i].len,
                                      c.first[i], &last) == 0);
            CHECK(postings_chunk_decode(c.vals[i].data, c.vals[i].len,
                                        c.first[i], &got) == 0);
            CHECK(postings_chunk_decode_lazy(c.vals[i].data, c.vals[i].len,
                                             c.first[i], &lazy) == 0);
            CHECK(PID_DOC(got.ids[got.n - 1]) == last);
        }
        same = got.n == want.n && got.n_pos == want.n_pos &&
               memcmp(got.ids, want.ids, want.n * 8) == 0 &&
               memcmp(got.tf, want.tf, want.n * 4) == 0 &&
               memcmp(got.pos, want.pos, want.n_pos * sizeof(ppos)) == 0;
        CHECK(same);
        /* Lazily decoded: the same passages, positions on demand. */
        CHECK(lazy.n == want.n && lazy.n_pos == 0 &&
              memcmp(lazy.ids, want.ids, want.n * 8) == 0 &&
              memcmp(lazy.tf, want.tf, want.n * 4) == 0);
        for (size_t i = 0; i < want.n && lazy.n == want.n; i++) {
            ppos scratch[POSTINGS_MAX_TF];
            CHECK(memcmp(plist_pos(&lazy, i, scratch), want.pos + want.off[i],
                         want.tf[i] * sizeof(ppos)) == 0);
        }
        for (size_t i = 0; i < c.n; i++)
            buf_free(&c.vals[i]);
        plist_free(&want);
        plist_free(&got);
        plist_free(&lazy);
        postings_entry_free(&pe);
        buf_free(&stream);
    }
    CHECK(n_one > 20 && n_cut > 20);
    buf_free(&one);
}

/* Cut stream (entries, the first against docid 0) into chunks, append
 * them to mem (which must not move: lists borrow the chunks' bytes),
 * list them in refs[0..*n_refs) when refs is not NULL, and decode them
 * lazily into l. */
static void
keep_chunks(const buf *stream, buf *mem, pchunk *refs, size_t *n_refs,
            plist *l)
{
    static chunks c;
    int rc = 0;

    c.n = 0;
    CHECK(postings_chunks_build(stream->data, stream->len, NULL, 0, 0,
                                collect, &c) == 0);
    for (size_t i = 0; i < c.n; i++) {
        size_t at = mem->len;
        CHECK(mem->len + c.vals[i].len <= mem->cap);
        buf_put(&rc, mem, c.vals[i].data, c.vals[i].len);
        if (refs)
            refs[(*n_refs)++] = (pchunk){ mem->data + at, c.vals[i].len,
                                          c.first[i] };
        CHECK(postings_chunk_decode_lazy(mem->data + at, c.vals[i].len,
                                         c.first[i], l) == 0);
        buf_free(&c.vals[i]);
    }
    CHECK(rc == 0);
}

/* A random list: ids ascending (some shared between lists), each with 1
 * to 3 sorted positions; lazily decoded when lazy, else built directly. */
static void
random_list(plist *l, bool lazy, buf *chunk)
{
    postings_entry pe = { 0 };
    buf stream = { NULL, 0, 0 };
    uint32_t doc = 0, prev = 0;
    int n = rand() % 60, rc = 0;

    for (int d = 0; d < n; d++) {
        int tf = 1 + rand() % 3;
        ppos pos[3];
        doc += 1 + (uint32_t)(rand() % 8);
        postings_entry_reset(&pe);
        for (int k = 0; k < tf; k++) {
            pos[k] = (ppos)(k * 7 + rand() % 7);
            postings_entry_add(&pe, 0, pos[k]);
        }
        postings_entry_encode(&rc, &pe, doc, prev, &stream);
        prev = doc;
        if (!lazy)
            plist_push(l, PID(doc, 0), pos, (uint32_t)tf);
    }
    if (lazy && n)
        keep_chunks(&stream, chunk, NULL, NULL, l);
    CHECK(rc == 0);
    postings_entry_free(&pe);
    buf_free(&stream);
}

static int
cmp_pos(const void *a, const void *b)
{
    return (int)*(const ppos *)a - (int)*(const ppos *)b;
}

/* plist_union() against a naive reference: every (id, position) pair of
 * every list, in id then position order.  Up to 9 lists, so that merged
 * lists are merged again. */
static void
test_union(void)
{
    srand(777);
    for (int round = 0; round < 300; round++) {
        size_t k = 1 + (size_t)(rand() % 9);
        plist lists[9], got = { 0 };
        buf chunks_mem[9];
        size_t at = 0;

        for (size_t j = 0; j < k; j++) {
            memset(&lists[j], 0, sizeof lists[j]);
            /* Reserved up front: the lists point into it. */
            chunks_mem[j] = (buf){ malloc(65536), 0, 65536 };
            random_list(&lists[j], rand() % 2, &chunks_mem[j]);
        }
        CHECK(plist_union(lists, k, &got) == 0);
        for (uint32_t doc = 1; doc < 60 * 8; doc++) {
            ppos want[9 * 3], scratch[POSTINGS_MAX_TF];
            uint32_t tf = 0;
            for (size_t j = 0; j < k; j++)
                for (size_t i = 0; i < lists[j].n; i++)
                    if (lists[j].ids[i] == PID(doc, 0)) {
                        const ppos *ps = plist_pos(&lists[j], i, scratch);
                        for (uint32_t u = 0; u < lists[j].tf[i]; u++)
                            want[tf++] = ps[u];
                    }
            if (!tf)
                continue;
            qsort(want, tf, sizeof *want, cmp_pos);
            CHECK(at < got.n && got.ids[at] == PID(doc, 0) &&
                  got.tf[at] == tf);
            if (at < got.n && got.tf[at] == tf)
                CHECK(memcmp(plist_pos(&got, at, scratch), want,
                             tf * sizeof *want) == 0);
            at++;
        }
        CHECK(at == got.n);
        for (size_t j = 0; j < k; j++) {
            plist_free(&lists[j]);
            buf_free(&chunks_mem[j]);
        }
        plist_free(&got);
    }
}

/* Whether lists x and y hold the same passages with the same positions
 * (lazy or not). */
static bool
same_list(const plist *x, const plist *y)
{
    ppos sx[POSTINGS_MAX_TF], sy[POSTINGS_MAX_TF];

    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (x->ids[i] != y->ids[i] || x->tf[i] != y->tf[i] ||
            memcmp(plist_pos(x, i, sx), plist_pos(y, i, sy),
                   x->tf[i] * sizeof *sx) != 0)
            return false;
    return true;
}

/* plist_union_into() against plist_union() of the same two lists: a
 * lazy list, in a block with or without room made first, and a second
 * list that is lazy, decoded, or a union (lazy entries beside merged
 * ones), sharing many passages with the first. */
static void
test_union_into(void)
{
    srand(4242);
    for (int round = 0; round < 400; round++) {
        plist a = { 0 }, b = { 0 }, parts[2], want = { 0 }, two[2];
        buf mem[3];
        int kind = rand() % 3;

        for (int j = 0; j < 3; j++)
            mem[j] = (buf){ malloc(65536), 0, 65536 };
        random_list(&a, true, &mem[0]);
        if (kind < 2) {
            random_list(&b, kind == 0, &mem[1]);
        } else {
            memset(parts, 0, sizeof parts);
            for (int j = 0; j < 2; j++)
                random_list(&parts[j], rand() % 2, &mem[1 + j]);
            CHECK(plist_union(parts, 2, &b) == 0);
            plist_free(&parts[0]);
            plist_free(&parts[1]);
        }
        two[0] = a;
        two[1] = b;
        CHECK(plist_union(two, 2, &want) == 0);
        if (rand() % 2)
            CHECK(plist_make_room(&a, a.n + b.n) == 0);
        CHECK(plist_union_into(&a, &b) == 0);
        CHECK(same_list(&a, &want));
        plist_free(&a);
        plist_free(&b);
        plist_free(&want);
        for (int j = 0; j < 3; j++)
            buf_free(&mem[j]);
    }

    /* A list with decoded positions is refused and left as it was. */
    {
        plist a = { 0 }, b = { 0 };
        ppos p[2] = { 1, 5 };
        buf mem = { malloc(65536), 0, 65536 };

        CHECK(plist_push(&a, PID(3, 0), p, 2) == 0);
        random_list(&b, true, &mem);
        CHECK(plist_union_into(&a, &b) == -1);
        CHECK(a.n == 1 && a.ids[0] == PID(3, 0) && a.tf[0] == 2);
        plist_free(&a);
        plist_free(&b);
        buf_free(&mem);
    }
}

/* Whether the union u of a token's lists has position want in entry i. */
static bool
has_pos(const plist *u, size_t i, uint32_t want)
{
    ppos scratch[POSTINGS_MAX_TF];
    const ppos *ps = plist_pos(u, i, scratch);

    for (uint32_t k = 0; k < u->tf[i]; k++)
        if (ps[k] == want)
            return true;
    return false;
}

/* plist_phrase() against a naive reference: each token's lists united
 * with plist_union(), then every start position of the first token
 * checked in the others' unions. */
static void
test_phrase(void)
{
    srand(4242);
    for (int round = 0; round < 400; round++) {
        size_t n = 2 + (size_t)(rand() % 3), first[5], n_lists = 0;
        plist lists[12], unions[4], got = { 0 };
        pcursor cur[12];
        buf mem[12];
        uint32_t offs[4];

        for (size_t k = 0; k < n; k++) {
            size_t words = 1 + (size_t)(rand() % 3);
            first[k] = n_lists;
            offs[k] = k == 0 ? 0 : offs[k - 1] + 1 + (uint32_t)(rand() % 2);
            for (size_t j = 0; j < words; j++, n_lists++) {
                memset(&lists[n_lists], 0, sizeof lists[n_lists]);
                mem[n_lists] = (buf){ malloc(65536), 0, 65536 };
                random_list(&lists[n_lists], rand() % 2, &mem[n_lists]);
            }
            memset(&unions[k], 0, sizeof unions[k]);
            CHECK(plist_union(&lists[first[k]], words, &unions[k]) == 0);
        }
        first[n] = n_lists;
        for (size_t j = 0; j < n_lists; j++)
            pcursor_list(&cur[j], &lists[j]);
        CHECK(plist_phrase(cur, first, offs, n, &got) == 0);
        /* The reference, passage by passage of the first token. */
        size_t g = 0, at[4] = { 0 };
        for (size_t i = 0; i < unions[0].n; i++) {
            uint64_t id = unions[0].ids[i];
            ppos scratch[POSTINGS_MAX_TF], want[POSTINGS_MAX_TF];
            const ppos *ps = plist_pos(&unions[0], i, scratch);
            uint32_t n_want = 0;
            bool all = true;
            for (size_t k = 1; k < n && all; k++) {
                while (at[k] < unions[k].n && unions[k].ids[at[k]] < id)
                    at[k]++;
                all = at[k] < unions[k].n && unions[k].ids[at[k]] == id;
            }
            for (uint32_t u = 0; all && u < unions[0].tf[i]; u++) {
                bool ok = true;
                for (size_t k = 1; k < n && ok; k++)
                    ok = has_pos(&unions[k], at[k], ps[u] + offs[k]);
                if (ok)
                    want[n_want++] = ps[u];
            }
            if (!n_want)
                continue;
            CHECK(g < got.n && got.ids[g] == id && got.tf[g] == n_want);
            if (g < got.n && got.tf[g] == n_want) {
                ppos s2[POSTINGS_MAX_TF];
                CHECK(memcmp(plist_pos(&got, g, s2), want,
                             n_want * sizeof *want) == 0);
            }
            g++;
        }
        CHECK(g == got.n);
        for (size_t j = 0; j < n_lists; j++) {
            plist_free(&lists[j]);
            buf_free(&mem[j]);
        }
        for (size_t k = 0; k < n; k++)
            plist_free(&unions[k]);
        plist_free(&got);
    }
}

/* A word's list of n_docs documents with ids from 1 up by steps of 1 to
 * gap (or docs[0..n_docs), ascending, when not NULL), 1 to 3 passages
 * each with 1 to 3 positions, cut into chunks kept
 * in mem (which must not move: the chunks are borrowed) and listed in
 * refs[0..*n_refs); also decoded lazily into l. */
static void
chunked_list(int n_docs, int gap, const uint32_t *docs, plist *l, buf *mem,
             pchunk *refs, size_t *n_refs)
{
    postings_entry pe = { 0 };
    buf stream = { NULL, 0, 0 };
    uint32_t doc = 0, prev = 0;
    int rc = 0;

    *n_refs = 0;
    for (int d = 0; d < n_docs; d++) {
        int n_pass = 1 + rand() % 3;
        doc = docs ? docs[d] : doc + 1 + (uint32_t)(rand() % gap);
        postings_entry_reset(&pe);
        for (int p = 0; p < n_pass; p++)
            for (int k = 0, tf = 1 + rand() % 3; k < tf; k++)
                postings_entry_add(&pe, (uint32_t)p,
                                   (uint32_t)(k * 4 + rand() % 4));
        postings_entry_encode(&rc, &pe, doc, prev, &stream);
        prev = doc;
    }
    if (n_docs)
        keep_chunks(&stream, mem, refs, n_refs, l);
    CHECK(rc == 0);
    postings_entry_free(&pe);
    buf_free(&stream);
}

/* plist_phrase() over chunk cursors, which decode a chunk at a time and
 * skip chunks unread, against the same over the decoded lists (which
 * test_phrase checks against a naive match): dense and sparse words of
 * many chunks, so that skipping happens in every token. */
static void
test_phrase_chunks(void)
{
    srand(9191);
    for (int round = 0; round < 150; round++) {
        size_t n = 2 + (size_t)(rand() % 2), first[4], n_lists = 0;
        plist lists[9], a = { 0 }, b = { 0 };
        pcursor by_list[9], by_chunk[9];
        static pchunk refs[9][512];
        size_t n_refs[9];
        buf mem[9];
        uint32_t offs[3];

        for (size_t k = 0; k < n; k++) {
            size_t words = 1 + (size_t)(rand() % 3);
            first[k] = n_lists;
            offs[k] = k == 0 ? 0 : offs[k - 1] + 1;
            for (size_t j = 0; j < words; j++, n_lists++) {
                int dense = rand() % 3;
                memset(&lists[n_lists], 0, sizeof lists[n_lists]);
                mem[n_lists] = (buf){ malloc(1 << 20), 0, 1 << 20 };
                chunked_list(dense == 0 ? rand() % 30 : 200 + rand() % 1500,
                             dense == 2 ? 2 : 40, NULL, &lists[n_lists],
                             &mem[n_lists], refs[n_lists], &n_refs[n_lists]);
            }
        }
        first[n] = n_lists;
        for (size_t j = 0; j < n_lists; j++) {
            pcursor_list(&by_list[j], &lists[j]);
            CHECK(pcursor_chunks(&by_chunk[j], refs[j], n_refs[j]) == 0);
        }
        CHECK(plist_phrase(by_list, first, offs, n, &a) == 0);
        CHECK(plist_phrase(by_chunk, first, offs, n, &b) == 0);
        CHECK(a.n == b.n && (a.n == 0 ||
              (memcmp(a.ids, b.ids, a.n * sizeof *a.ids) == 0 &&
               memcmp(a.tf, b.tf, a.n * sizeof *a.tf) == 0)));
        for (size_t i = 0; i < a.n && a.n == b.n; i++) {
            ppos s1[POSTINGS_MAX_TF], s2[POSTINGS_MAX_TF];
            CHECK(memcmp(plist_pos(&a, i, s1), plist_pos(&b, i, s2),
                         a.tf[i] * sizeof(ppos)) == 0);
        }
        for (size_t j = 0; j < n_lists; j++) {
            pcursor_free(&by_chunk[j]);
            plist_free(&lists[j]);
            buf_free(&mem[j]);
        }
        plist_free(&a);
        plist_free(&b);
    }
}

/* A phrase whose rarest word is in documents at the edges of the other
 * word's chunks: seeks land on a chunk's first and last documents. */
static void
test_phrase_chunk_edges(void)
{
    size_t hits = 0;

    srand(31337);
    for (int round = 0; round < 40; round++) {
        plist lists[2] = { { 0 }, { 0 } }, a = { 0 }, b = { 0 };
        pcursor by_list[2], by_chunk[2];
        static pchunk refs[2][512];
        static uint32_t edges[1024];
        size_t n_refs[2], n_edges = 0, first[3] = { 0, 1, 2 };
        uint32_t offs[2] = { 0, 1 };
        buf mem[2];

        for (int j = 0; j < 2; j++)
            mem[j] = (buf){ malloc(1 << 20), 0, 1 << 20 };
        chunked_list(2000 + rand() % 2000, 2, NULL, &lists[1], &mem[1],
                     refs[1], &n_refs[1]);
        /* The first document of every third chunk, and the last of the
         * chunk after: the seek to it skips a chunk and lands in the
         * next one's last document. */
        for (size_t k = 0; k + 1 < n_refs[1]; k += 3) {
            uint32_t last;
            CHECK(postings_chunk_last(refs[1][k + 1].p, refs[1][k + 1].len,
                                      refs[1][k + 1].first, &last) == 0);
            edges[n_edges++] = refs[1][k].first;
            if (edges[n_edges - 1] < last)
                edges[n_edges++] = last;
        }
        chunked_list((int)n_edges, 0, edges, &lists[0], &mem[0], refs[0],
                     &n_refs[0]);
        for (int j = 0; j < 2; j++) {
            pcursor_list(&by_list[j], &lists[j]);
            CHECK(pcursor_chunks(&by_chunk[j], refs[j], n_refs[j]) == 0);
        }
        CHECK(plist_phrase(by_list, first, offs, 2, &a) == 0);
        CHECK(plist_phrase(by_chunk, first, offs, 2, &b) == 0);
        CHECK(a.n == b.n && (a.n == 0 ||
              memcmp(a.ids, b.ids, a.n * sizeof *a.ids) == 0));
        hits += a.n;
        for (int j = 0; j < 2; j++) {
            pcursor_free(&by_chunk[j]);
            plist_free(&lists[j]);
            buf_free(&mem[j]);
        }
        plist_free(&a);
        plist_free(&b);
    }
    CHECK(hits > 100);          /* the edges held phrases to find */
}

/* A corrupt chunk met by a cursor, at its start or skipped to, is -1. */
static void
test_phrase_corrupt(void)
{
    static const unsigned char bad[] = { 0x80 };    /* a cut varint */
    plist l = { 0 }, out = { 0 };
    pcursor cur[2];
    pchunk refs[2];
    size_t n_refs = 0, first[3] = { 0, 1, 2 };
    uint32_t offs[2] = { 0, 1 };
    buf mem = { malloc(1 << 20), 0, 1 << 20 };

    srand(5);
    chunked_list(300, 2, NULL, &l, &mem, refs, &n_refs);
    CHECK(n_refs >= 1);
    CHECK(pcursor_chunks(&cur[0], (const pchunk[]){ { bad, 1, 1 } }, 1) ==
          -1);
    pcursor_free(&cur[0]);
    CHECK(n_refs >= 2);
    /* The second word's second chunk is corrupt, where the first word's
     * passages are: met when the phrase walks or seeks into it (a chunk
     * past every passage sought is never read). */
    for (int driver = 0; driver < 2 && n_refs >= 2; driver++) {
        pchunk two[2] = { refs[0], { bad, 1, refs[1].first } };
        CHECK(pcursor_chunks(&cur[0], driver ? refs + 1 : refs,
                             driver ? 1 : n_refs) == 0);
        CHECK(pcursor_chunks(&cur[1], two, 2) == 0);
        CHECK(plist_phrase(cur, first, offs, 2, &out) == -1);
        pcursor_free(&cur[0]);
        pcursor_free(&cur[1]);
        plist_clear(&out);
    }
    plist_free(&l);
    plist_free(&out);
    buf_free(&mem);
}

/* A token without words (none of its words is in the index) matches
 * nowhere, and the cursors may then be NULL: no word at all had any. */
static void
test_phrase_no_words(void)
{
    plist l = { 0 }, out = { 0 };
    pcursor cur[1];
    buf mem = { malloc(65536), 0, 65536 };
    const uint32_t offs[3] = { 0, 1, 2 };
    const size_t none[3] = { 0, 0, 0 }, mid[4] = { 0, 1, 1, 1 };

    CHECK(plist_phrase(NULL, none, offs, 2, &out) == 0 && out.n == 0);
    srand(6);
    random_list(&l, 0, &mem);
    CHECK(l.n > 0);
    pcursor_list(&cur[0], &l);
    CHECK(plist_phrase(cur, mid, offs, 3, &out) == 0 && out.n == 0);
    plist_free(&l);
    plist_free(&out);
    buf_free(&mem);
}

/* Appending to a tail chunk, then removing every document one by one. */
static void
test_append_and_remove(void)
{
    postings_entry pe = { 0 };
    buf s1 = { NULL, 0, 0 }, s2 = { NULL, 0, 0 }, out = { NULL, 0, 0 };
    static chunks c;
    plist got = { 0 };
    uint32_t new_first;
    int rc = 0;

    for (uint32_t d = 1; d <= 3; d++) {
        postings_entry_reset(&pe);
        postings_entry_add(&pe, 0, d);
        postings_entry_encode(&rc, &pe, d, d - 1, d < 3 ? &s1 : &s2);
    }
    /* s2 holds doc 3 with a delta against doc 2: rebuild it against 0. */
    s2.len = 0;
    postings_entry_encode(&rc, &pe, 3, 0, &s2);
    c.n = 0;
    CHECK(postings_chunks_build(s1.data, s1.len, NULL, 0, 0, collect,
                                &c) == 0 && c.n == 1);
    CHECK(postings_chunks_build(s2.data, s2.len, c.vals[0].data,
                                c.vals[0].len, c.first[0], collect,
                                &c) == 0);
    CHECK(c.n == 1 && c.first[0] == 1);
    CHECK(postings_chunk_decode(c.vals[0].data, c.vals[0].len, 1,
                                &got) == 0 && got.n == 3);
    CHECK(got.ids[2] == PID(3, 0) && got.pos[2] == 3);

    CHECK(postings_chunk_remove(c.vals[0].data, c.vals[0].len, 1, 7, &out,
                                &new_first) == 1);
    CHECK(postings_chunk_remove(c.vals[0].data, c.vals[0].len, 1, 1, &out,
                                &new_first) == 0 && new_first == 2);
    plist_clear(&got);
    CHECK(postings_chunk_decode(out.data, out.len, 2, &got) == 0 &&
          got.n == 2 && got.ids[0] == PID(2, 0) && got.ids[1] == PID(3, 0));
    buf_free(&c.vals[0]);
    c.n = 0;
    collect(&c, 2, out.data, out.len, false);
    CHECK(postings_chunk_remove(c.vals[0].data, c.vals[0].len, 2, 3, &out,
                                &new_first) == 0 && new_first == 2);
    CHECK(postings_chunk_remove(out.data, out.len, 2, 2, &s1,
                                &new_first) == 0 && s1.len == 0);
    buf_free(&c.vals[0]);
    buf_free(&s1);
    buf_free(&s2);
    buf_free(&out);
    plist_free(&got);
    postings_entry_free(&pe);
}

static void
test_corrupt(void)
{
    plist l = { 0 };
    const unsigned char trunc[] = { 3, 0, 1, 2, 2, 3 };
    const unsigned char big_tf[] = { 0, 0, 1, 0, 0xff, 0x7f, 1 };
    const unsigned char past[] = { 0, 5, 1, 0, 1, 0 };
    const unsigned char long_pos[] = { 0, 0, 1, 0, 1, 0x85, 0x80, 0 };
    /* Passage 2^32 - 1, then one more: past what a passage id holds. */
    const unsigned char pass_over[] = { 0, 0, 2, 0xff, 0xff, 0xff, 0xff,
                                        0x0f, 1, 0, 1, 1, 0 };
    /* A second passage at delta 0: the same passage twice. */
    const unsigned char same_pass[] = { 0, 0, 2, 1, 1, 0, 0, 1, 0 };
    /* Positions 4095, then 4096 (past MAX_POS), and 4096 alone. */
    const unsigned char pos_over[] = { 0, 0, 1, 0, 2, 0xff, 0x1f, 1 };
    const unsigned char pos_over1[] = { 0, 0, 1, 0, 1, 0x80, 0x20 };
    const unsigned char *bad[] = { same_pass, pos_over, pos_over1 };
    const size_t bad_len[] = { sizeof same_pass, sizeof pos_over,
                               sizeof pos_over1 };
    uint32_t last, nf;
    buf out = { NULL, 0, 0 };

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(postings_chunk_decode(bad[i], bad_len[i], 1, &l) == -1);
        CHECK(postings_chunk_decode_lazy(bad[i], bad_len[i], 1, &l) == -1);
    }
    CHECK(postings_chunk_decode(trunc, sizeof trunc, 9, &l) == -1);
    CHECK(postings_chunk_decode(big_tf, sizeof big_tf, 1, &l) == -1);
    CHECK(postings_chunk_decode(past, sizeof past, 1, &l) == -1);
    CHECK(postings_chunk_decode_lazy(trunc, sizeof trunc, 9, &l) == -1);
    CHECK(postings_chunk_decode_lazy(big_tf, sizeof big_tf, 1, &l) == -1);
    CHECK(postings_chunk_decode_lazy(past, sizeof past, 1, &l) == -1);
    /* A position in three bytes (0x85 0x80 0x00 = 5): plist_pos() reads at
     * most two, so both decoders refuse it. */
    CHECK(postings_chunk_decode(long_pos, sizeof long_pos, 1, &l) == -1);
    CHECK(postings_chunk_decode_lazy(long_pos, sizeof long_pos, 1, &l) ==
          -1);
    CHECK(postings_chunk_decode(pass_over, sizeof pass_over, 1, &l) == -1);
    CHECK(postings_chunk_decode_lazy(pass_over, sizeof pass_over, 1, &l) ==
          -1);
    CHECK(postings_chunk_last((const unsigned char *)"\xff", 1, 0,
                              &last) == -1);
    CHECK(postings_chunk_remove(trunc, sizeof trunc, 9, 9, &out, &nf) ==
          -1);
    plist_free(&l);
    buf_free(&out);
}

/* Damaged chunks: the lazy decoder (with its fast path for a passage of
 * one position) refuses exactly what the full one refuses, and keeps the
 * same passages and positions from the rest. */
static void
test_lazy_damaged(void)
{
    srand(999);
    for (int round = 0; round < 3000; round++) {
        unsigned char v[64];
        size_t len = 4 + (size_t)(rand() % 40);
        plist full = { 0 }, lazy = { 0 };
        int a, b;

        /* A plausible chunk: span, then entries of small varints with
         * many ones (tf 1), a few bytes flipped or set high. */
        for (size_t i = 0; i < len; i++)
            v[i] = (unsigned char)(rand() % 4 ? rand() % 4 : rand() % 256);
        a = postings_chunk_decode(v, len, 7, &full);
        b = postings_chunk_decode_lazy(v, len, 7, &lazy);
        CHECK(a == b);
        if (a == 0 && b == 0) {
            CHECK(full.n == lazy.n &&
                  memcmp(full.ids, lazy.ids, full.n * 8) == 0 &&
                  memcmp(full.tf, lazy.tf, full.n * 4) == 0);
            for (size_t i = 0; i < full.n && full.n == lazy.n; i++) {
                ppos scratch[POSTINGS_MAX_TF];
                CHECK(memcmp(plist_pos(&lazy, i, scratch),
                             full.pos + full.off[i],
                             full.tf[i] * sizeof(ppos)) == 0);
            }
        }
        plist_free(&full);
        plist_free(&lazy);
    }
}

/* Room made for a known count is close to it (a new block's pages are
 * all written), room grown one entry at a time doubles. */
static void
test_room(void)
{
    static const size_t want[] = { 1, 64, 65, 1000, 5824, 6982, 100000 };
    plist l = { 0 };

    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        CHECK(plist_make_room(&l, want[i]) == 0);
        CHECK(l.cap >= want[i] && l.cap <= (want[i] < 64 ? 64 :
                                            want[i] + want[i] / 8));
        plist_free(&l);
    }
    for (size_t i = 0; i < 3000; i++) {
        size_t cap = l.cap;
        CHECK(plist_push(&l, i, NULL, 0) == 0);
        CHECK(l.cap == cap || l.cap == (cap ? 2 * cap : 64));
    }
    plist_free(&l);
}

int
main(void)
{
    TEST(test_varint);
    TEST(test_example);
    TEST(test_random_roundtrip);
    TEST(test_union);
    TEST(test_union_into);
    TEST(test_room);
    TEST(test_phrase);
    TEST(test_phrase_chunks);
    TEST(test_phrase_chunk_edges);
    TEST(test_phrase_corrupt);
    TEST(test_phrase_no_words);
    TEST(test_append_and_remove);
    TEST(test_corrupt);
    TEST(test_lazy_damaged);
    return check_report();
}
