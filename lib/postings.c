/*
 * postings.c: the posting-chunk codec.  A word's posting list is split into
 * chunks stored under (word, first docid), so adding or removing a document
 * rewrites one small chunk, not a common word's whole list.
 *
 * Chunk format (all integers varints, buf.c):
 *
 *   chunk    := last_docid - first_docid | entry+
 *   entry    := docid delta | n_pass | passage{n_pass}
 *               the first entry's delta is 0 (its docid is the key's);
 *               later deltas are > 0
 *   passage  := pass delta | tf | pos delta{tf}
 *               pass: the passage number in the document; the first in an
 *               entry is absolute, later ones are deltas > 0
 *               pos: word positions within the passage; the first is
 *               absolute, later ones deltas >= 0
 *
 * Example: a word at positions 3 and 7 of passage 2 of doc 9, and at 0 of
 * passage 0 of doc 12, stored under first docid 9, is
 * [3, 0,1, 2,2,3,4, 3,1, 0,1,0]: last-first=3 | doc 9: 1 passage, pass 2,
 * tf 2, pos 3, 7 | doc 12 (9+3): 1 passage, pass 0, tf 1, pos 0.
 */
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "postings.h"

/* Positions and term frequencies above this are corruption: a passage
 * holds at most PASSAGE_MAX_WORDS (120) positions. */
#define MAX_POS (POSTINGS_MAX_TF - 1)

/* The bytes of an entry: its id, raw, tf and off. */
#define ENTRY_BYTES (sizeof(uint64_t) + sizeof(void *) + 2 * sizeof(uint32_t))

/* The bytes of the block of cap entries (off has one more). */
static size_t
entries_bytes(size_t cap)
{
    return cap * ENTRY_BYTES + sizeof(uint32_t);
}

void
plist_free(plist *l)
{
    blkcache *c = l->cache;

    blk_put(c, l->ids, l->ent_bytes);
    blk_put(c, l->pos, l->pos_bytes);
    memset(l, 0, sizeof *l);
    l->cache = c;
}

void
plist_clear(plist *l)
{
    l->n = 0;
    l->n_pos = 0;
}

/* The entries to make room for when a list of cap entries must hold
 * want.  Twice cap when that is enough: pushing one at a time then copies
 * each entry about once.  Else (a count made room for at once, as before
 * a word's chunks are decoded) want, rounded up to an eighth of a power
 * of two, not to a power of two: every page of a new block is written
 * when it is made (blk_get()), and a stem's union of 5,824 passages had
 * taken 47 pages for 8,192 entries (bench/PROFILE.md). */
static size_t
grown_cap(size_t cap, size_t want)
{
    size_t step = 8;

    if (want <= 64 || cap * 2 >= want)
        return cap ? cap * 2 : 64;
    while (step * 16 <= want)
        step *= 2;
    return (want + step - 1) / step * step;
}

/* Room for n_more passages and pos_more positions.  Growing the entries
 * moves ids, raw, tf and off into one new block, the 8-byte fields
 * first so that each is aligned. */
static int
plist_reserve(plist *l, size_t n_more, size_t pos_more)
{
    if (l->n + n_more > l->cap) {
        size_t cap = grown_cap(l->cap, l->n + n_more), got;
        const unsigned char **raw;
        uint32_t *tf, *off;
        unsigned char *b;
        if (!(b = blk_get(l->cache, entries_bytes(cap), &got)))
            return -2;
        raw = (void *)(b + cap * sizeof *l->ids);
        tf = (void *)((unsigned char *)raw + cap * sizeof *l->raw);
        off = tf + cap;
        if (l->n) {
            memcpy(b, l->ids, l->n * sizeof *l->ids);
            memcpy(raw, l->raw, l->n * sizeof *l->raw);
            memcpy(tf, l->tf, l->n * sizeof *l->tf);
            memcpy(off, l->off, (l->n + 1) * sizeof *l->off);
        }
        blk_put(l->cache, l->ids, l->ent_bytes);
        l->ent_bytes = got;
        l->ids = (void *)b;
        l->raw = raw;
        l->tf = tf;
        l->off = off;
        l->cap = cap;
    }
    if (l->n_pos + pos_more > l->pos_cap) {
        size_t cap = l->pos_cap ? l->pos_cap * 2 : 256, got;
        ppos *p;
        while (cap < l->n_pos + pos_more)
            cap *= 2;
        if (!(p = blk_get(l->cache, cap * sizeof *p, &got)))
            return -2;
        if (l->n_pos)
            memcpy(p, l->pos, l->n_pos * sizeof *p);
        blk_put(l->cache, l->pos, l->pos_bytes);
        l->pos_bytes = got;
        l->pos = p;
        l->pos_cap = cap;
    }
    return 0;
}

int
plist_make_room(plist *l, size_t n)
{
    return plist_reserve(l, n, 0);
}

int
plist_push(plist *l, uint64_t id, const ppos *pos, uint32_t n_pos)
{
    if (plist_reserve(l, 1, n_pos))
        return -2;
    if (l->n == 0)
        l->off[0] = 0;
    l->ids[l->n] = id;
    l->tf[l->n] = n_pos;
    l->raw[l->n] = NULL;
    if (n_pos)
        memcpy(l->pos + l->n_pos, pos, n_pos * sizeof *pos);
    l->n_pos += n_pos;
    l->off[++l->n] = (uint32_t)l->n_pos;
    return 0;
}

/* Append a passage whose tf positions are still encoded at raw, to a
 * list with room for it. */
static inline void
put_raw(plist *l, uint64_t id, const unsigned char *raw, uint32_t tf)
{
    size_t n = l->n;

    if (n == 0)
        l->off[0] = 0;
    l->ids[n] = id;
    l->tf[n] = tf;
    l->raw[n] = raw;
    l->off[n + 1] = l->off[n];
    l->n = n + 1;
}

static int
push_raw(plist *l, uint64_t id, const unsigned char *raw, uint32_t tf)
{
    if (l->n == l->cap && plist_reserve(l, 1, 0))
        return -2;
    put_raw(l, id, raw, tf);
    return 0;
}

int
plist_push_from(plist *l, const plist *src, size_t i)
{
    if (src->raw[i])
        return push_raw(l, src->ids[i], src->raw[i], src->tf[i]);
    return plist_push(l, src->ids[i], src->pos + src->off[i], src->tf[i]);
}

static int
cmp_ppos(const void *a, const void *b)
{
    return (int)*(const ppos *)a - (int)*(const ppos *)b;
}

/* The first index >= from of l whose id is >= want (galloping). */
static size_t
seek(const plist *l, size_t from, uint64_t want)
{
    size_t step = 1, lo = from, hi;

    while (from + step < l->n && l->ids[from + step] < want) {
        lo = from + step;
        step *= 2;
    }
    hi = from + step < l->n ? from + step + 1 : l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->ids[mid] < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Append entries [from, to) of src (lazy or not) to l, which has room
 * for their entries: the fields by plain copies, the positions of those
 * not lazy (contiguous in src->pos) by one. */
static int
push_span(plist *l, const plist *src, size_t from, size_t to)
{
    size_t m = to - from, n = l->n;
    uint32_t base = src->n_pos ? src->off[from] : 0;
    uint32_t n_pos = src->n_pos ? src->off[to] - base : 0;

    if (n_pos && plist_reserve(l, 0, n_pos))
        return -2;
    if (n == 0)
        l->off[0] = 0;
    memcpy(l->ids + n, src->ids + from, m * sizeof *l->ids);
    memcpy(l->tf + n, src->tf + from, m * sizeof *l->tf);
    memcpy(l->raw + n, src->raw + from, m * sizeof *l->raw);
    if (n_pos) {
        uint32_t at = l->off[n];
        memcpy(l->pos + at, src->pos + base, n_pos * sizeof *l->pos);
        for (size_t i = 1; i <= m; i++)
            l->off[n + i] = at + (src->off[from + i] - base);
        l->n_pos += n_pos;
    } else {
        uint32_t *restrict off = l->off + n + 1, at = l->off[n];
        for (size_t i = 0; i < m; i++)
            off[i] = at;
    }
    l->n = n + m;
    return 0;
}

/* The merged positions of entry i of a and entry j of b (the same
 * passage), in order, at most 2 * POSTINGS_MAX_TF of them (more is
 * corruption), appended to l as one entry. */
static int
push_both(plist *l, const plist *a, size_t i, const plist *b, size_t j)
{
    ppos sa[POSTINGS_MAX_TF], sb[POSTINGS_MAX_TF];
    const ppos *pa = plist_pos(a, i, sa), *pb = plist_pos(b, j, sb);
    uint32_t na = a->tf[i], nb = b->tf[j], u = 0, v = 0, n;
    ppos *out;

    if (na > 2 * POSTINGS_MAX_TF)
        na = 2 * POSTINGS_MAX_TF;
    if (nb > 2 * POSTINGS_MAX_TF - na)
        nb = 2 * POSTINGS_MAX_TF - na;
    if (plist_reserve(l, 1, na + nb))
        return -2;
    out = l->pos + l->n_pos;
    for (n = 0; u < na && v < nb; n++)
        out[n] = pb[v] < pa[u] ? pb[v++] : pa[u++];
    while (u < na)
        out[n++] = pa[u++];
    while (v < nb)
        out[n++] = pb[v++];
    if (l->n == 0)
        l->off[0] = 0;
    l->ids[l->n] = a->ids[i];
    l->tf[l->n] = n;
    l->raw[l->n] = NULL;
    l->n_pos += n;
    l->off[++l->n] = (uint32_t)l->n_pos;
    return 0;
}

/* Append entry i of src to l, which has room for the entry. */
static inline int
put_from(plist *l, const plist *src, size_t i)
{
    if (src->raw[i]) {
        put_raw(l, src->ids[i], src->raw[i], src->tf[i]);
        return 0;
    }
    return plist_push(l, src->ids[i], src->pos + src->off[i], src->tf[i]);
}

/* Append the union of a and b to l, a passage both have with its
 * positions merged.  An entry at a time: a stem's words interleave,
 * and galloping past runs of one or two cost more than it saved. */
static int
merge2(const plist *a, const plist *b, plist *l)
{
    size_t i = 0, j = 0;
    int rc = plist_reserve(l, a->n + b->n, 0);

    while (!rc && i < a->n && j < b->n) {
        uint64_t x = a->ids[i], y = b->ids[j];
        if (x < y)
            rc = put_from(l, a, i++);
        else if (y < x)
            rc = put_from(l, b, j++);
        else
            rc = push_both(l, a, i++, b, j++);
    }
    if (!rc)
        rc = push_span(l, a, i, a->n);
    if (!rc)
        rc = push_span(l, b, j, b->n);
    return rc;
}

/*
 * The union in a's own block, for a list without decoded positions (a
 * word's, decoded lazily, has none): a's entries are moved up by b->n,
 * then merged with b's from the start of the block.  The k-th entry
 * written comes from at most k + 1 of a's and b's, so it never lands
 * past the next of a's still to be read, and no third list is made: on
 * a new process each block is fresh pages (bench/PROFILE.md).
 */
int
plist_union_into(plist *a, const plist *b)
{
    size_t m = b->n, n = a->n, i = 0, j = 0;
    plist from;
    int rc = 0;

    if (a->n_pos)
        return -1;
    if (plist_reserve(a, m, 0))
        return -2;
    if (m == 0)
        return 0;
    memmove(a->ids + m, a->ids, n * sizeof *a->ids);
    memmove(a->tf + m, a->tf, n * sizeof *a->tf);
    memmove(a->raw + m, a->raw, n * sizeof *a->raw);
    /* a's entries as a list of their own: all lazy, so its off and pos
     * are never read. */
    from = *a;
    from.ids += m;
    from.tf += m;
    from.raw += m;
    a->n = 0;
    /* Writes stay below index i + j < n + m, the block's room: no write
     * reallocates the entries that from reads. */
    while (!rc && i < n && j < m) {
        uint64_t x = from.ids[i], y = b->ids[j];
        if (x < y)
            rc = put_from(a, &from, i++);
        else if (y < x)
            rc = put_from(a, b, j++);
        else
            rc = push_both(a, &from, i++, b, j++);
    }
    if (!rc && j < m)
        rc = push_span(a, b, j, m);
    if (!rc && i < n) {
        /* The rest of a's, lazy: down to the end, no positions. */
        size_t k = n - i, at = a->n;
        memmove(a->ids + at, from.ids + i, k * sizeof *a->ids);
        memmove(a->tf + at, from.tf + i, k * sizeof *a->tf);
        memmove(a->raw + at, from.raw + i, k * sizeof *a->raw);
        for (size_t t = 1; t <= k; t++)
            a->off[at + t] = a->off[at];
        a->n = at + k;
    }
    return rc;
}

/* plist_union()'s lists by size, for the two-queue merge below. */
static int
cmp_size(const void *a, const void *b)
{
    size_t x = (*(const plist *const *)a)->n;
    size_t y = (*(const plist *const *)b)->n;

    return (x > y) - (x < y);
}

/*
 * The lists are merged two at a time, always the two shortest in hand
 * (Huffman's order, which copies least): the given lists sorted by size
 * in one queue, the merged ones in a second, whose sizes grow as they
 * are made, so the shortest in hand heads one of the two.  A stem's
 * words are skewed ('government' and six rare forms), so most passages
 * are copied once, by the last merge.
 */
int
plist_union(const plist *lists, size_t k, plist *out)
{
    const plist **given = malloc((k ? k : 1) * sizeof *given);
    plist *made = calloc(k ? k : 1, sizeof *made);
    size_t n_given = 0, g = 0, m_head = 0, m_end = 0;
    int rc = 0;

    if (!given || !made) {
        free(given);
        free(made);
        return -2;
    }
    for (size_t j = 0; j < k; j++)
        if (lists[j].n)
            given[n_given++] = &lists[j];
    qsort(given, n_given, sizeof *given, cmp_size);
    if (n_given == 1)
        rc = plist_reserve(out, given[0]->n, 0) ? -2
             : push_span(out, given[0], 0, given[0]->n);
    /* Each merge takes two lists and leaves one: n_given - 1 merges. */
    while (!rc && (n_given - g) + (m_end - m_head) > 1) {
        bool last = (n_given - g) + (m_end - m_head) == 2;
        const plist *two[2];
        plist *spent[2] = { NULL, NULL };
        for (int t = 0; t < 2; t++) {
            if (g < n_given &&
                (m_head == m_end || given[g]->n <= made[m_head].n))
                two[t] = given[g++];
            else
                two[t] = spent[t] = &made[m_head++];
        }
        if (last) {
            rc = merge2(two[0], two[1], out);
        } else {
            made[m_end].cache = out->cache;
            rc = merge2(two[0], two[1], &made[m_end++]);
        }
        for (int t = 0; t < 2; t++)
            if (spent[t])
                plist_free(spent[t]);
    }
    for (size_t j = 0; j < m_end; j++)
        plist_free(&made[j]);
    free(given);
    free(made);
    return rc;
}

static inline const plist *
in_hand(const pcursor *c)
{
    return c->list ? c->list : &c->buf;
}

/* The current passage, kept in c->id: a phrase of two common stems
 * asks for it some 100,000 times, more often than the cursor moves. */
static inline uint64_t
pcursor_id(const pcursor *c)
{
    return c->id;
}

/* Set c->id after c->i or the list in hand changed; returns 0. */
static inline int
settle(pcursor *c)
{
    const plist *l = in_hand(c);

    c->id = c->i < l->n ? l->ids[c->i] : UINT64_MAX;
    return 0;
}

/* Decode chunks from c->next on until one holds a passage >= want,
 * skipping unread those whose header's last docid is below want's.  At
 * the end, buf is empty.  0, -1 (corrupt) or -2 (out of memory). */
static int
load_from(pcursor *c, uint64_t want)
{
    while (c->next < c->n_chunks) {
        const pchunk *k = &c->chunks[c->next++];
        uint32_t last;
        int rc;
        if (postings_chunk_last(k->p, k->len, k->first, &last))
            return -1;
        if (last < PID_DOC(want))
            continue;
        plist_clear(&c->buf);
        if ((rc = postings_chunk_decode_lazy(k->p, k->len, k->first,
                                             &c->buf)))
            return rc;
        if ((c->i = seek(&c->buf, 0, want)) < c->buf.n)
            return settle(c);
    }
    plist_clear(&c->buf);
    c->i = 0;
    return settle(c);
}

void
pcursor_list(pcursor *c, const plist *l)
{
    memset(c, 0, sizeof *c);
    c->list = l;
    c->weight = l->n;
    settle(c);
}

int
pcursor_chunks(pcursor *c, const pchunk *chunks, size_t n)
{
    memset(c, 0, sizeof *c);
    c->chunks = chunks;
    c->n_chunks = n;
    for (size_t k = 0; k < n; k++)
        c->weight += chunks[k].len;
    return load_from(c, 0);
}

void
pcursor_free(pcursor *c)
{
    plist_free(&c->buf);
}

/* pcursor_seek() when c is before id. */
static int
seek_on(pcursor *c, uint64_t id)
{
    const plist *l = in_hand(c);
    size_t i = c->i;

    if (l->ids[l->n - 1] < id) {
        c->i = l->n;
        return c->list ? settle(c) : load_from(c, id);
    }
    for (int step = 0; step < 4 && l->ids[i] < id; step++)
        i++;
    c->i = l->ids[i] < id ? seek(l, i, id) : i;
    return settle(c);
}

/* Move c to its first passage >= id.  The lists of a phrase's words are
 * often alike in density: a few steps forward usually get there before
 * galloping would.  Most calls find c there already: that test is
 * inline (a phrase of two common stems makes 100,000 of them).  0, -1
 * or -2 (load_from()). */
static inline int
pcursor_seek(pcursor *c, uint64_t id)
{
    return pcursor_id(c) >= id ? 0 : seek_on(c, id);
}

/* A phrase's token: any of its words, cur[0 .. n), standing on the
 * least of their current passages (id). */
typedef struct ptoken {
    pcursor *cur;
    size_t n;
    uint64_t id;
    size_t weight;           /* the words' */
} ptoken;

/* Move t to its first passage >= id: the words before id, and the least
 * of them.  Most calls find t there already, by one test.  0, -1 or -2
 * (load_from()). */
static inline int
token_seek(ptoken *t, uint64_t id)
{
    uint64_t least = UINT64_MAX;
    int rc;

    if (t->id >= id)
        return 0;
    for (size_t j = 0; j < t->n; j++) {
        if ((rc = pcursor_seek(&t->cur[j], id)))
            return rc;
        if (pcursor_id(&t->cur[j]) < least)
            least = pcursor_id(&t->cur[j]);
    }
    t->id = least;
    return 0;
}

/* The positions of token [w, w_end) in passage id into out (at most
 * POSTINGS_MAX_TF, ascending), *n how many (0: the token is not in the
 * passage).  0, -1 or -2. */
static int
token_positions(pcursor *cur, size_t w, size_t w_end, uint64_t id,
                ppos *out, uint32_t *n)
{
    ppos scratch[POSTINGS_MAX_TF];
    bool several = false;
    int rc = 0;

    *n = 0;
    for (size_t j = w; j < w_end && !rc; j++) {
        const plist *l = in_hand(&cur[j]);
        const ppos *ps;
        if ((rc = pcursor_seek(&cur[j], id)) || pcursor_id(&cur[j]) != id)
            continue;
        several = *n > 0;
        ps = plist_pos(l, cur[j].i, scratch);
        for (uint32_t u = 0; u < l->tf[cur[j].i] && *n < POSTINGS_MAX_TF;
             u++)
            out[(*n)++] = ps[u];
    }
    /* Two words of one stem never share a position: a plain sort. */
    if (several)
        qsort(out, *n, sizeof *out, cmp_ppos);
    return rc;
}

/* The start positions p of pos[0] with p + offs[k] in pos[k] for every
 * k (each pos[k] ascending, np[k] long) into hits; returns how many. */
static uint32_t
phrase_starts(ppos *const *pos, const uint32_t *np, const uint32_t *offs,
              size_t n, uint32_t *from, ppos *hits)
{
    uint32_t n_hits = 0;

    for (size_t k = 1; k < n; k++)
        from[k] = 0;
    for (uint32_t u = 0; u < np[0]; u++) {
        bool ok = true;
        for (size_t k = 1; k < n && ok; k++) {
            uint32_t want = pos[0][u] + offs[k];
            while (from[k] < np[k] && pos[k][from[k]] < want)
                from[k]++;
            ok = from[k] < np[k] && pos[k][from[k]] == want;
        }
        if (ok)
            hits[n_hits++] = pos[0][u];
    }
    return n_hits;
}

/* The tokens are joined by leapfrogging: each in turn, the rarest
 * first, is moved to the passage the one before it reached, until all
 * stand on one; a token far ahead so skips the others' passages before it
 * unread.  (Stepping through the rarest token's passages and looking each
 * up in every other word took twice the instructions on k07.) */
int
plist_phrase(pcursor *cur, const size_t *first, const uint32_t *offs,
             size_t n, plist *out)
{
    ptoken *tok = calloc(n, sizeof *tok), **order = calloc(n, sizeof *order);
    ppos **pos = calloc(n, sizeof *pos), hits[POSTINGS_MAX_TF];
    uint32_t *np = calloc(2 * n, sizeof *np), *from = np ? np + n : NULL;
    int rc = tok && order && pos && np ? 0 : -2;
    uint64_t id = 0;

    for (size_t k = 0, at; k < n && !rc; k++) {
        ptoken *t = &tok[k];
        if (!(pos[k] = malloc(POSTINGS_MAX_TF * sizeof **pos)))
            rc = -2;
        t->n = first[k + 1] - first[k];
        /* A token none of whose words is in the index has none here;
         * cur is NULL when no word of the phrase is. */
        t->cur = t->n ? cur + first[k] : NULL;
        t->id = UINT64_MAX;
        for (size_t j = 0; j < t->n; j++) {
            t->weight += t->cur[j].weight;
            if (pcursor_id(&t->cur[j]) < t->id)
                t->id = pcursor_id(&t->cur[j]);
        }
        /* By weight, by insertion: a phrase has a few tokens. */
        for (at = k; at > 0 && order[at - 1]->weight > t->weight; at--)
            order[at] = order[at - 1];
        order[at] = t;
    }
    while (!rc && n) {
        /* Round the tokens until n in a row stand on id. */
        for (size_t r = 0, agree = 0; agree < n && id != UINT64_MAX && !rc;
             r = r + 1 < n ? r + 1 : 0) {
            if (!(rc = token_seek(order[r], id))) {
                agree = order[r]->id == id ? agree + 1 : 1;
                id = order[r]->id;
            }
        }
        if (rc || id == UINT64_MAX)
            break;
        for (size_t k = 0; k < n && !rc; k++)
            rc = token_positions(cur, first[k], first[k + 1], id, pos[k],
                                 &np[k]);
        if (!rc) {
            uint32_t n_hits = phrase_starts(pos, np, offs, n, from, hits);
            if (n_hits && plist_push(out, id, hits, n_hits))
                rc = -2;
        }
        id++;
    }
    for (size_t k = 0; pos && k < n; k++)
        free(pos[k]);
    free(pos);
    free(np);
    free(tok);
    free(order);
    return rc;
}

const ppos *
plist_pos(const plist *l, size_t i, ppos *scratch)
{
    const unsigned char *p = l->raw[i];
    uint32_t at = 0;

    if (!p)
        return l->pos + l->off[i];
    /* Checked by the lazy decoder: tf varints of at most two bytes (a
     * position is below 2^14) whose sums stay within MAX_POS. */
    for (uint32_t k = 0; k < l->tf[i]; k++) {
        uint32_t x = *p & 0x7f;
        if (*p++ & 0x80)
            x |= (uint32_t)(*p++ & 0x7f) << 7;
        at = k ? at + x : x;
        scratch[k] = (ppos)at;
    }
    return scratch;
}

void
postings_entry_reset(postings_entry *pe)
{
    pe->n_pass = 0;
    pe->last_pass = -1;
    pe->n_v = 0;
}

static int
entry_push(postings_entry *pe, uint32_t x)
{
    if (pe->n_v == pe->cap_v) {
        size_t cap = pe->cap_v ? pe->cap_v * 2 : 16;
        uint32_t *v = realloc(pe->v, cap * sizeof *v);
        if (!v)
            return -2;
        pe->v = v;
        pe->cap_v = cap;
    }
    pe->v[pe->n_v++] = x;
    return 0;
}

int
postings_entry_add(postings_entry *pe, uint32_t pass, uint32_t pos)
{
    if ((int32_t)pass != pe->last_pass) {
        /* A new passage: its number, then a tf slot counted up below. */
        if (entry_push(pe, pass) || entry_push(pe, 0))
            return -2;
        pe->tf_at = (uint32_t)pe->n_v - 1;
        pe->last_pass = (int32_t)pass;
        pe->n_pass++;
    }
    pe->v[pe->tf_at]++;
    return entry_push(pe, pos);
}

void
postings_entry_encode(int *rc, const postings_entry *pe, uint32_t docid,
                      uint32_t prev_docid, buf *out)
{
    buf_put_varint(rc, out, docid - prev_docid);
    postings_entry_encode_body(rc, pe, out);
}

void
postings_entry_encode_body(int *rc, const postings_entry *pe, buf *out)
{
    size_t i = 0;
    uint32_t prev_pass = 0;

    buf_put_varint(rc, out, pe->n_pass);
    for (uint32_t p = 0; p < pe->n_pass; p++) {
        uint32_t pass = pe->v[i++], tf = pe->v[i++], prev_pos = 0;
        buf_put_varint(rc, out, p ? pass - prev_pass : pass);
        buf_put_varint(rc, out, tf);
        for (uint32_t k = 0; k < tf; k++) {
            uint32_t pos = pe->v[i++];
            buf_put_varint(rc, out, k ? pos - prev_pos : pos);
            prev_pos = pos;
        }
        prev_pass = pass;
    }
}

void
postings_entry_free(postings_entry *pe)
{
    free(pe->v);
    memset(pe, 0, sizeof *pe);
}

long
postings_entry_skip(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;
    uint64_t n_pass, x, tf;

    if (varint_get(&q, end, &n_pass) || n_pass == 0)
        return -1;
    while (n_pass--) {
        if (varint_get(&q, end, &x) || varint_get(&q, end, &tf) ||
            tf == 0 || tf > MAX_POS)
            return -1;
        while (tf--)
            if (varint_get(&q, end, &x))
                return -1;
    }
    return (long)(q - p);
}

int
postings_chunk_last(const unsigned char *p, size_t len,
                    uint32_t first_docid, uint32_t *last)
{
    uint64_t d;

    if (varint_get(&p, p + len, &d) || d > UINT32_MAX - first_docid)
        return -1;
    *last = first_docid + (uint32_t)d;
    return 0;
}

int
postings_chunk_decode(const unsigned char *p, size_t len,
                      uint32_t first_docid, plist *out)
{
    const unsigned char *end = p + len;
    uint64_t span, d, n_pass, x, tf;
    uint64_t doc = first_docid;
    ppos pos[MAX_POS + 1];

    if (varint_get(&p, end, &span))
        return -1;
    while (p < end) {
        uint64_t pass = 0;
        if (varint_get(&p, end, &d) || varint_get(&p, end, &n_pass) ||
            n_pass == 0)
            return -1;
        doc += d;
        if (doc > (uint64_t)first_docid + span)
            return -1;
        /* A passage takes at least 3 bytes: its number, tf and a
         * position. */
        if (n_pass > (uint64_t)(end - p) / 3)
            return -1;
        for (uint64_t i = 0; i < n_pass; i++) {
            uint64_t at = 0;
            if (varint_get(&p, end, &x) || varint_get(&p, end, &tf) ||
                tf == 0 || tf > MAX_POS)
                return -1;
            pass = i ? pass + x : x;
            if ((i && x == 0) || pass > UINT32_MAX)
                return -1;
            for (uint64_t k = 0; k < tf; k++) {
                const unsigned char *q = p;
                /* A position takes at most two bytes (plist_pos()). */
                if (varint_get(&p, end, &x) || p - q > 2)
                    return -1;
                at = k ? at + x : x;
                if (at > MAX_POS)
                    return -1;
                pos[k] = (ppos)at;
            }
            if (plist_push(out, PID(doc, pass), pos, (uint32_t)tf))
                return -2;
        }
    }
    return 0;
}

/* The checks of postings_chunk_decode(), without keeping the positions.
 * Room for the chunk's passages is made at once (they take at least 3
 * bytes each), and the list's fields are held in locals meanwhile (a
 * store through out->ids might otherwise change out->n, so that every
 * passage read them all again).  Most passages hold a word once at a
 * position below 128: pass, tf 1 and the position, a byte each; a run of
 * them is read by a loop of its own (bench/PROFILE.md). */
int
postings_chunk_decode_lazy(const unsigned char *p, size_t len,
                           uint32_t first_docid, plist *out)
{
    const unsigned char *end = p + len, **raw;
    uint64_t span, d, n_pass, doc = first_docid, *ids;
    uint32_t *tfs, *off, n_pos;
    size_t n;

    if (out->n + len / 3 + 1 > out->cap &&
        plist_reserve(out, len / 3 + 1, 0))
        return -2;
    if (varint_get(&p, end, &span))
        return -1;
    n = out->n;
    ids = out->ids;
    tfs = out->tf;
    off = out->off;
    raw = out->raw;
    if (n == 0)
        off[0] = 0;
    n_pos = off[n];
    while (p < end) {
        uint64_t pass = 0, lo = 0, x, tf, base, i = 0, sum = 0;
        if (varint_get(&p, end, &d) || varint_get(&p, end, &n_pass) ||
            n_pass == 0)
            return -1;
        doc += d;
        if (doc > (uint64_t)first_docid + span ||
            n_pass > (uint64_t)(end - p) / 3)
            return -1;
        base = PID(doc, 0);
        for (;;) {
            /* Later passages' deltas are > 0 (lo); pass grows by less
             * than 128 a passage of the run, and is checked after it. */
            while (i < n_pass && end - p >= 3 && (p[0] | p[2]) < 0x80 &&
                   p[1] == 1 && p[0] >= lo) {
                pass += p[0];
                lo = 1;
                ids[n] = base | pass;
                tfs[n] = 1;
                raw[n] = p + 2;
                off[++n] = n_pos;
                p += 3;
                i++;
            }
            if (pass > UINT32_MAX)
                return -1;
            if (i == n_pass)
                break;
            if (varint_get(&p, end, &x) || varint_get(&p, end, &tf) ||
                tf == 0 || tf > MAX_POS || x < lo ||
                (pass += x) > UINT32_MAX)
                return -1;
            ids[n] = base | pass;
            tfs[n] = (uint32_t)tf;
            raw[n] = p;
            off[++n] = n_pos;
            lo = 1;
            i++;
            /* Positions of at most two bytes (plist_pos()); they only
             * grow, so the last one is checked. */
            for (sum = 0; tf > 0; tf--) {
                if (p == end)
                    return -1;
                sum += *p & 0x7f;
                if (*p++ & 0x80) {
                    if (p == end || *p & 0x80)
                        return -1;
                    sum += (uint64_t)*p++ << 7;
                }
            }
            if (sum > MAX_POS)
                return -1;
        }
    }
    out->n = n;
    return 0;
}

/* Chunk under construction by postings_chunks_build(). */
typedef struct chunk {
    buf body;               /* entries, the first with delta 0 */
    uint32_t first, last;
    bool replaces_tail;
    bool open;
} chunk;

static int
chunk_flush(chunk *c, buf *tmp,
            int (*emit)(void *, uint32_t, const unsigned char *, size_t,
                        bool),
            void *ctx)
{
    int rc = 0;

    if (!c->open)
        return 0;
    tmp->len = 0;
    buf_put_varint(&rc, tmp, c->last - c->first);
    buf_put(&rc, tmp, c->body.data, c->body.len);
    if (rc)
        return -2;
    rc = emit(ctx, c->first, tmp->data, tmp->len, c->replaces_tail);
    c->open = false;
    c->replaces_tail = false;
    c->body.len = 0;
    return rc;
}

int
postings_chunks_build(const unsigned char *stream, size_t stream_len,
                      const unsigned char *tail, size_t tail_len,
                      uint32_t tail_first,
                      int (*emit)(void *ctx, uint32_t first,
                                  const unsigned char *v, size_t len,
                                  bool replaces_tail),
                      void *ctx)
{
    const unsigned char *p = stream, *end = stream + stream_len;
    chunk c = { { NULL, 0, 0 }, 0, 0, false, false };
    buf tmp = { NULL, 0, 0 };
    uint32_t docid = 0;
    int rc = 0;

    if (tail && tail_len < POSTINGS_CHUNK_MAX) {
        const unsigned char *q = tail;
        uint64_t span;
        if (varint_get(&q, tail + tail_len, &span))
            return -1;
        buf_put(&rc, &c.body, q, (size_t)(tail + tail_len - q));
        c.first = tail_first;
        c.last = tail_first + (uint32_t)span;
        c.open = c.replaces_tail = true;
    }
    while (!rc && p < end) {
        uint64_t d;
        long body;
        if (varint_get(&p, end, &d) || (body = postings_entry_skip(p, end))
            < 0 || d > UINT32_MAX - docid) {
            rc = -1;
            break;
        }
        docid += (uint32_t)d;
        if (c.open && docid <= c.last) {
            rc = -1;
            break;
        }
        if (c.open && c.body.len + (size_t)body + 5 > POSTINGS_CHUNK_MAX)
            rc = chunk_flush(&c, &tmp, emit, ctx);
        if (rc)
            break;
        if (!c.open) {
            c.first = docid;
            c.open = true;
            buf_put_varint(&rc, &c.body, 0);
        } else {
            buf_put_varint(&rc, &c.body, docid - c.last);
        }
        buf_put(&rc, &c.body, p, (size_t)body);
        if (rc)
            rc = -2;
        c.last = docid;
        p += body;
    }
    if (!rc)
        rc = chunk_flush(&c, &tmp, emit, ctx);
    buf_free(&c.body);
    buf_free(&tmp);
    return rc;
}

int
postings_chunk_one(const unsigned char *stream, size_t stream_len,
                   uint32_t last, buf *out, uint32_t *first)
{
    const unsigned char *p = stream, *end = stream + stream_len;
    uint64_t d;
    int rc = 0;

    /* postings_chunks_build() cuts a chunk only before an entry that
     * would take its body past POSTINGS_CHUNK_MAX - 5, and the body is no
     * longer than the stream (its first delta is 0). */
    if (stream_len + 5 > POSTINGS_CHUNK_MAX)
        return 0;
    if (varint_get(&p, end, &d) || d > last)
        return -1;
    out->len = 0;
    buf_put_varint(&rc, out, last - d);
    buf_put_varint(&rc, out, 0);
    buf_put(&rc, out, p, (size_t)(end - p));
    *first = (uint32_t)d;
    return rc ? -2 : 1;
}

int
postings_chunk_remove(const unsigned char *p, size_t len,
                      uint32_t first_docid, uint32_t docid,
                      buf *out, uint32_t *new_first)
{
    const unsigned char *end = p + len, *q = p;
    uint64_t span, d;
    uint32_t doc = first_docid, prev_kept = 0;
    bool found = false, any = false;
    buf body = { NULL, 0, 0 };
    int rc = 0;

    if (varint_get(&q, end, &span))
        return -1;
    while (q < end) {
        long n;
        if (varint_get(&q, end, &d) || (n = postings_entry_skip(q, end)) < 0)
            goto corrupt;
        doc += (uint32_t)d;
        if (doc == docid) {
            found = true;
        } else {
            if (!any)
                *new_first = doc;
            buf_put_varint(&rc, &body, any ? doc - prev_kept : 0);
            buf_put(&rc, &body, q, (size_t)n);
            prev_kept = doc;
            any = true;
        }
        q += n;
    }
    if (!found) {
        buf_free(&body);
        return 1;
    }
    out->len = 0;
    if (any) {
        buf_put_varint(&rc, out, prev_kept - *new_first);
        buf_put(&rc, out, body.data, body.len);
    }
    buf_free(&body);
    return rc ? -2 : 0;
corrupt:
    buf_free(&body);
    return -1;
}
