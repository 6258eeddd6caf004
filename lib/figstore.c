/*
 * figstore.c: figure records and the unit/value index.
 *
 * The value under a docid holds the document's figures in source order.
 * Integers are varints (buf.h); offsets are delta-coded, so that a figure
 * takes 12 to 20 bytes rather than the 60 of a fixed record:
 *
 *   value   := n | figure{n}
 *   figure  := flags | start - prev_end | end - start | [subject] |
 *              passage - prev_passage | pos | n_pos |
 *              value | [value_high] | [unit]
 *   subject := zigzag(subject_start - start) | subject_end - subject_start
 *   number  := zigzag varint of an integer (flag set) or f64 little-endian
 *   unit    := u8 length (1..7) | the unit's bytes
 *
 * prev_end and prev_passage are the previous figure's end and passage, 0
 * for the first figure.  flags:
 *   0x07  qualifier, 0 (none) to 5 (at most)
 *   0x08  a range: value_high follows; otherwise it equals value
 *   0x10  a subject follows; otherwise subject_start = subject_end = 0
 *   0x20  the unit is the previous figure's and is not repeated
 *   0x40  value is an integer (|v| < 2^53, not -0), stored as a varint
 *   0x80  likewise value_high
 * A reader decodes from the start; figiter_seek() reads on from where it
 * stopped, so a pass over a document's figures in index order is linear.
 * Decoding checks every read against the value's end, a count against the
 * bytes that could hold it (FIG_MIN each), offsets against 4 GiB and pos
 * and n_pos against 4096 (a figure's words lie in one passage).
 *
 * figvals value (16 bytes, big-endian so that bytes sort as numbers):
 *   u64 ordered value | u32 docid | u32 figure index
 * The ordered value flips the sign bit of a positive double and every bit
 * of a negative one: -2.5 < -1 < 0 < 3.38 stay in that order as unsigned
 * integers.  A range figure is filed under both its ends.
 *
 * figvals key: unit | 0x00 | u32be run.  Each batch files its figures
 * under a new run of each unit, named by the batch's smallest docid with
 * figures, and writes it sorted with MDB_APPENDDUP: full pages, and the
 * pages of earlier runs are not touched.  (One sorted list per unit took
 * twice the pages, half full, and each batch copied most of them.)  The
 * run holding a docid is the unit's last run at or below it.  A run with
 * FIGSTORE_RUN_CAP values or more is full and stays as it is.  When a
 * batch leaves a unit with more than FIGSTORE_RUNS_MAX runs after its last
 * full one, or more than one holding FIGSTORE_RUN_CAP values together,
 * those runs are merged into the first of them (contiguous runs, so the
 * rule above stays true).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "figstore.h"

#define F_QUAL      0x07
#define F_RANGE     0x08
#define F_SUBJECT   0x10
#define F_SAME_UNIT 0x20
#define F_INT       0x40        /* value; F_INT << 1 for value_high */

/* The fewest bytes a figure takes: flags, five one-byte varints and a
 * one-byte integer value. */
#define FIG_MIN 7

/* Runs a unit may have after its last full run before they are merged:
 * a look-up by value seeks in each. */
#define FIGSTORE_RUNS_MAX 16
/* A run this big is full: it is never merged again, so a merge holds at
 * most this many values plus one batch's (8 MiB of them, and as many of
 * pages written) whatever the size of the index, and a look-up seeks in
 * one more run per 512 Ki values (5 full runs of "count" on 8x large/).
 * (Merging all of a unit's runs held 2.5 million values of "count" there,
 * 40 MiB, at the peak of the build.) */
#define FIGSTORE_RUN_CAP 524288
/* A merge reading runs drops the map's pages this often (values read:
 * 1 MiB of them, about 270 pages). */
#define FIGSTORE_RELEASE_EVERY 65536

/* Offsets are stored as they were in u32 fields. */
#define OFF_MAX UINT32_MAX

static uint64_t
bits_of(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof u);
    return u;
}

static double
double_of(uint64_t u)
{
    double d;

    memcpy(&d, &u, sizeof d);
    return d;
}

uint64_t
figstore_order(double v)
{
    uint64_t u = bits_of(v == 0 ? 0.0 : v);     /* -0 sorts as 0 */

    return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

double
figstore_unorder(uint64_t u)
{
    return double_of(u >> 63 ? u & ~((uint64_t)1 << 63) : ~u);
}

static uint64_t
zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t
unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Whether v is stored as an integer varint rather than 8 bytes. */
static bool
is_int(double v)
{
    return v == floor(v) && fabs(v) < 9007199254740992.0 &&    /* 2^53 */
           !(v == 0 && signbit(v));
}

/* ---------------------------------------------------------------- */
/* Encoding */

static void
put_number(int *rc, buf *b, double v)
{
    unsigned char p[8];

    if (is_int(v)) {
        buf_put_varint(rc, b, zigzag((int64_t)v));
        return;
    }
    put_u64le(p, bits_of(v));
    buf_put(rc, b, p, 8);
}

/* Whether r can follow prev (NULL for the first figure). */
static bool
encodable(const figrec *r, const figrec *prev)
{
    const figure *f = &r->f;

    return f->start >= (prev ? prev->f.end : 0) && f->end > f->start &&
           f->end <= OFF_MAX && f->subject_start <= f->subject_end &&
           f->subject_end <= OFF_MAX &&
           r->passage >= (prev ? prev->passage : 0) &&
           (unsigned)f->qualifier <= FIG_Q_AT_MOST && f->unit[0] &&
           !isnan(f->value) && !isnan(f->value_high);
}

static unsigned
flags_of(const figrec *r, const figrec *prev)
{
    const figure *f = &r->f;
    unsigned flags = (unsigned)f->qualifier;

    if (f->is_range)
        flags |= F_RANGE | (is_int(f->value_high) ? F_INT << 1 : 0);
    if (f->subject_start || f->subject_end)
        flags |= F_SUBJECT;
    if (prev && strncmp(f->unit, prev->f.unit, FIG_UNIT_MAX) == 0)
        flags |= F_SAME_UNIT;
    return flags | (is_int(f->value) ? F_INT : 0);
}

static int
encode_one(const figrec *r, const figrec *prev, buf *b)
{
    const figure *f = &r->f;
    unsigned flags = flags_of(r, prev);
    size_t ulen = strnlen(f->unit, FIG_UNIT_MAX - 1);
    int rc = BRIEF_OK;

    if (!encodable(r, prev))
        return BRIEF_EINVAL;
    buf_put_byte(&rc, b, (unsigned char)flags);
    buf_put_varint(&rc, b, f->start - (prev ? prev->f.end : 0));
    buf_put_varint(&rc, b, f->end - f->start);
    if (flags & F_SUBJECT) {
        buf_put_varint(&rc, b, zigzag((int64_t)f->subject_start -
                                      (int64_t)f->start));
        buf_put_varint(&rc, b, f->subject_end - f->subject_start);
    }
    buf_put_varint(&rc, b, r->passage - (prev ? prev->passage : 0));
    buf_put_varint(&rc, b, r->pos);
    buf_put_varint(&rc, b, r->n_pos);
    put_number(&rc, b, f->value);
    if (flags & F_RANGE)
        put_number(&rc, b, f->value_high);
    if (!(flags & F_SAME_UNIT)) {
        buf_put_byte(&rc, b, (unsigned char)ulen);
        buf_put(&rc, b, f->unit, ulen);
    }
    return rc;
}

int
figstore_encode(const figrec *recs, size_t n, buf *b)
{
    int rc = BRIEF_OK;

    if (n > UINT32_MAX)
        return BRIEF_EINVAL;
    buf_put_varint(&rc, b, n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = encode_one(&recs[i], i ? &recs[i - 1] : NULL, b);
    return rc;
}

/* ---------------------------------------------------------------- */
/* Decoding: every function returns 0, or -1 when the value is malformed */

int
figiter_init(figiter *it, const void *v, size_t len)
{
    uint64_t n;

    memset(it, 0, sizeof *it);
    it->begin = it->p = v;
    it->end = it->p + len;
    if (varint_get(&it->p, it->end, &n) ||
        n > (uint64_t)(it->end - it->p) / FIG_MIN)
        return -1;
    it->n = (uint32_t)n;
    return 0;
}

/* A varint no larger than max. */
static int
get_uint(figiter *it, uint64_t max, uint64_t *v)
{
    return varint_get(&it->p, it->end, v) || *v > max ? -1 : 0;
}

static int
get_number(figiter *it, bool is_integer, double *v)
{
    uint64_t u;

    if (is_integer) {
        if (varint_get(&it->p, it->end, &u))
            return -1;
        *v = (double)unzigzag(u);
        return 0;
    }
    if (it->end - it->p < 8)
        return -1;
    *v = double_of(get_u64le(it->p));
    it->p += 8;
    return isnan(*v) ? -1 : 0;
}

/* The figure's byte spans, passage and positions. */
static int
get_spans(figiter *it, unsigned flags, figrec *r)
{
    uint64_t gap, len, sub = 0, slen = 0, pass, pos, n_pos;
    int64_t s;

    if (get_uint(it, OFF_MAX, &gap) || get_uint(it, OFF_MAX, &len) ||
        len == 0 || ((flags & F_SUBJECT) &&
                     (get_uint(it, 2 * (uint64_t)OFF_MAX + 1, &sub) ||
                      get_uint(it, OFF_MAX, &slen))) ||
        get_uint(it, OFF_MAX, &pass) || get_uint(it, 4096, &pos) ||
        get_uint(it, 4096, &n_pos))
        return -1;
    gap += it->idx ? it->prev.f.end : 0;
    s = (int64_t)gap + unzigzag(sub);
    pass += it->idx ? it->prev.passage : 0;
    if (gap + len > OFF_MAX || s < 0 || (uint64_t)s + slen > OFF_MAX ||
        pass > UINT32_MAX)
        return -1;
    r->f.start = (size_t)gap;
    r->f.end = (size_t)(gap + len);
    r->f.subject_start = (flags & F_SUBJECT) ? (size_t)s : 0;
    r->f.subject_end = (flags & F_SUBJECT) ? (size_t)s + (size_t)slen : 0;
    r->passage = (uint32_t)pass;
    r->pos = (uint32_t)pos;
    r->n_pos = (uint32_t)n_pos;
    return 0;
}

static int
get_unit(figiter *it, unsigned flags, figrec *r)
{
    size_t n;

    if (flags & F_SAME_UNIT) {
        if (it->idx == 0)
            return -1;
        memcpy(r->f.unit, it->prev.f.unit, FIG_UNIT_MAX);
        return 0;
    }
    if (it->p == it->end)
        return -1;
    n = *it->p++;
    if (n == 0 || n >= FIG_UNIT_MAX || n > (size_t)(it->end - it->p) ||
        memchr(it->p, '\0', n))
        return -1;
    memcpy(r->f.unit, it->p, n);
    it->p += n;
    return 0;
}

int
figiter_next(figiter *it, figrec *r)
{
    unsigned flags;

    if (it->idx == it->n)
        return it->p == it->end ? 0 : -1;
    memset(r, 0, sizeof *r);
    if (it->p == it->end)
        return -1;
    flags = *it->p++;
    if ((flags & F_QUAL) > FIG_Q_AT_MOST || get_spans(it, flags, r) ||
        get_number(it, flags & F_INT, &r->f.value))
        return -1;
    r->f.value_high = r->f.value;
    if ((flags & F_RANGE) &&
        get_number(it, flags & (F_INT << 1), &r->f.value_high))
        return -1;
    if (get_unit(it, flags, r))
        return -1;
    r->f.qualifier = (fig_qualifier)(flags & F_QUAL);
    r->f.is_range = flags & F_RANGE;
    it->prev = *r;
    it->idx++;
    return 1;
}

int
figiter_seek(figiter *it, uint32_t idx, figrec *r)
{
    if (idx >= it->n)
        return -1;
    if (idx + 1 == it->idx) {
        *r = it->prev;
        return 0;
    }
    if (idx < it->idx && figiter_init(it, it->begin,
                                      (size_t)(it->end - it->begin)))
        return -1;
    while (it->idx <= idx)
        if (figiter_next(it, r) != 1)
            return -1;
    return 0;
}

int
figstore_get(const void *v, size_t len, uint32_t idx, figrec *r)
{
    figiter it;

    return figiter_init(&it, v, len) ? -1 : figiter_seek(&it, idx, r);
}

int
figstore_count(const void *v, size_t len, uint32_t *n)
{
    figiter it;

    if (figiter_init(&it, v, len))
        return -1;
    *n = it.n;
    return 0;
}

/* ---------------------------------------------------------------- */
/* The unit index and the database */

void
figstore_val(unsigned char out[16], double value, uint32_t docid,
             uint32_t idx)
{
    uint64_t o = figstore_order(value);

    put_u32be(out, (uint32_t)(o >> 32));
    put_u32be(out + 4, (uint32_t)o);
    put_u32be(out + 8, docid);
    put_u32be(out + 12, idx);
}

size_t
figstore_run_key(unsigned char *key, const char *unit, size_t ulen,
                 uint32_t run)
{
    if (ulen > FIG_UNIT_MAX - 1)
        ulen = FIG_UNIT_MAX - 1;
    memcpy(key, unit, ulen);
    key[ulen] = 0;
    put_u32be(key + ulen + 1, run);
    return ulen + 5;
}

int
figstore_key_unit(const sval *key, size_t *ulen, uint32_t *run)
{
    if (key->len < 6 || key->len > FIGSTORE_KEY_MAX ||
        key->p[key->len - 5] != 0 || memchr(key->p, 0, key->len - 5))
        return -1;
    *ulen = key->len - 5;
    *run = get_u32be(key->p + key->len - 4);
    return 0;
}

/* Add the figvals entries of one figure (one per end of a range). */
static int
collect(figbatch *fb, const figrec *r, uint32_t docid, uint32_t idx)
{
    for (int end = 0; end < 2; end++) {
        double x = end ? r->f.value_high : r->f.value;
        struct figent *f;
        if (end && (!r->f.is_range || x == r->f.value))
            break;
        if (fb->n == fb->cap) {
            size_t cap = fb->cap ? 2 * fb->cap : 256;
            struct figent *v = realloc(fb->v, cap * sizeof *v);
            if (!v)
                return -1;
            fb->v = v;
            fb->cap = cap;
        }
        f = &fb->v[fb->n++];
        figstore_val(f->v, x, docid, idx);
        memset(f->unit, 0, sizeof f->unit);
        memcpy(f->unit, r->f.unit, strnlen(r->f.unit, FIG_UNIT_MAX - 1));
    }
    return 0;
}

/* By unit (padded with zeros: strcmp()'s order), then value, compared
 * eight bytes at a time. */
static int
cmp_figent(const void *x, const void *y)
{
    const struct figent *a = x, *b = y;
    uint64_t p = get_u64be((const unsigned char *)a->unit);
    uint64_t q = get_u64be((const unsigned char *)b->unit);

    _Static_assert(sizeof a->unit == 8, "a unit is compared as 8 bytes");
    if (p == q) {
        p = get_u64be(a->v);
        q = get_u64be(b->v);
    }
    if (p == q) {
        p = get_u64be(a->v + 8);
        q = get_u64be(b->v + 8);
    }
    return (p > q) - (p < q);
}

/* The key of the run holding docid's entries of unit (ulen bytes): the
 * unit's last run at or below docid, through cursor cur; BRIEF_DONE when
 * there is none. */
static int
run_of(store_cursor *cur, const char *unit, size_t ulen, uint32_t docid,
       unsigned char *key, size_t *klen)
{
    unsigned char want[FIGSTORE_KEY_MAX];
    size_t wlen = figstore_run_key(want, unit, ulen, docid), u;
    uint32_t run;
    sval k, v;
    int rc = store_cursor_seek(cur, want, wlen, &k, &v);

    if (rc == BRIEF_OK && !(k.len == wlen && memcmp(k.p, want, wlen) == 0))
        rc = store_cursor_prev(cur, &k, &v);
    else if (rc == BRIEF_DONE)
        rc = store_cursor_last(cur, &k, &v);
    if (rc)
        return rc;
    if (figstore_key_unit(&k, &u, &run) || u != ulen ||
        memcmp(k.p, unit, ulen) != 0)
        return BRIEF_DONE;
    memcpy(key, k.p, k.len);
    *klen = k.len;
    return BRIEF_OK;
}

/* A run of a unit: its key's docid and its number of values. */
struct run {
    uint32_t id;
    size_t n;
};

/* The runs of unit (ulen bytes) in order, through cursor cur: each one's
 * docid and size into *out (the caller frees it), their number into *n. */
static int
list_runs(store_cursor *cur, const char *unit, size_t ulen,
          struct run **out, size_t *n)
{
    unsigned char key[FIGSTORE_KEY_MAX];
    struct run *runs = NULL, *p;
    uint32_t r = 0, id;
    size_t cap = 0, u;
    sval k, v;
    int rc;

    for (*n = 0;; r = id + 1) {
        size_t klen = figstore_run_key(key, unit, ulen, r);
        if ((rc = store_cursor_seek(cur, key, klen, &k, &v)))
            break;
        if (figstore_key_unit(&k, &u, &id) || u != ulen ||
            memcmp(k.p, unit, ulen) != 0)
            break;
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            if (!(p = realloc(runs, cap * sizeof *p))) {
                rc = BRIEF_ENOMEM;
                break;
            }
            runs = p;
        }
        runs[*n].id = id;
        if ((rc = store_cursor_dup_count(cur, &runs[*n].n)))
            break;
        if (++*n, id == UINT32_MAX)
            break;
    }
    *out = runs;
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* The size at which a run is full: FIGSTORE_RUN_CAP, or
 * $BRIEF_TEST_FIGVALS_CAP (tests: full runs on a small corpus). */
static size_t
run_cap(void)
{
    const char *env = getenv("BRIEF_TEST_FIGVALS_CAP");
    unsigned long long cap = env ? strtoull(env, NULL, 10) : 0;

    return cap ? (size_t)cap : FIGSTORE_RUN_CAP;
}

/* Whether to merge a unit's runs[0..n) after a batch added runs[n - 1].
 * The window [*first, n) is the new run and the runs before it back to
 * the last full one, as long as those older runs hold fewer than cap
 * values in all; it is merged when it has more than FIGSTORE_RUNS_MAX
 * runs, or more than one that hold cap values or more together.  Its
 * size goes to *n_vals.  So a unit has at most FIGSTORE_RUNS_MAX runs
 * after its last full one, and a merge holds fewer than cap values plus
 * one batch's. */
static bool
window(const struct run *runs, size_t n, size_t cap, size_t *first,
       size_t *n_vals)
{
    size_t j = n - 1, older = 0;

    while (j > 0 && older + runs[j - 1].n < cap)
        older += runs[--j].n;
    *first = j;
    *n_vals = older + runs[n - 1].n;
    return n - j > FIGSTORE_RUNS_MAX || (n - j > 1 && *n_vals >= cap);
}

/* The n_vals values of unit's runs[0..n), through cursor cur of t, into
 * *out (the caller frees it); run i's values, sorted, are
 * (*out)[ends[i - 1] .. ends[i]) (from 0 for i = 0).  The pages read are
 * dropped every FIGSTORE_RELEASE_EVERY values: the runs lie all over the
 * map. */
static int
read_runs(store_txn *t, store_cursor *cur, const char *unit, size_t ulen,
          const struct run *runs, size_t n, size_t n_vals, size_t *ends,
          unsigned char (**out)[16])
{
    unsigned char key[FIGSTORE_KEY_MAX], (*vals)[16];
    size_t m = 0;
    int rc = BRIEF_OK;

    if (!(*out = vals = malloc(n_vals ? n_vals * 16 : 16)))
        return BRIEF_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t klen = figstore_run_key(key, unit, ulen, runs[i].id);
        sval v;
        for (rc = store_cursor_dup(cur, key, klen, true, &v); rc == BRIEF_OK;
             rc = store_cursor_dup(cur, key, klen, false, &v)) {
            /* More values than LMDB counted would overrun vals. */
            if (v.len != 16 || m == n_vals) {
                rc = BRIEF_ECORRUPT;
                break;
            }
            memcpy(vals[m++], v.p, 16);
            if (m % FIGSTORE_RELEASE_EVERY == 0)
                store_txn_release_pages(t);
        }
        if (rc == BRIEF_DONE)
            rc = BRIEF_OK;
        ends[i] = m;
    }
    return !rc && m != n_vals ? BRIEF_ECORRUPT : rc;
}

/* Replace unit's runs[0..n) by one run under runs[0]'s key holding their
 * values vals (run i's sorted in [ends[i - 1], ends[i])): a k-way merge,
 * appended in order, so the run's pages are full.  k is small (at most
 * FIGSTORE_RUNS_MAX + 1 but for runs shrunk by removals), so the least
 * head is found by a scan. */
static int
write_merged(store_txn *t, const char *unit, size_t ulen,
             const struct run *runs, size_t n, unsigned char (*vals)[16],
             const size_t *ends, size_t *heads, brief_err *e)
{
    unsigned char key[FIGSTORE_KEY_MAX];
    size_t klen;
    int rc = BRIEF_OK;

    for (size_t i = 0; i < n && !rc; i++) {
        klen = figstore_run_key(key, unit, ulen, runs[i].id);
        rc = store_del(t, DB_FIGVALS, key, klen, NULL, 0, e);
        heads[i] = i ? ends[i - 1] : 0;
    }
    klen = figstore_run_key(key, unit, ulen, runs[0].id);
    while (!rc) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (heads[i] < ends[i] &&
                (best == n ||
                 memcmp(vals[heads[i]], vals[heads[best]], 16) < 0))
                best = i;
        if (best == n)
            break;
        rc = store_append_dup(t, DB_FIGVALS, key, klen, vals[heads[best]++],
                              16, e);
    }
    return rc;
}

/* After a batch added a run of unit (ulen bytes): merge the unit's
 * newest runs into the first of them when window() says so. */
static int
merge_runs(store_txn *t, const char *unit, size_t ulen, brief_err *e)
{
    unsigned char (*vals)[16] = NULL;
    struct run *runs = NULL;
    size_t n = 0, first = 0, n_vals = 0, *ends = NULL;
    bool merge = false;
    store_cursor *cur;
    int rc;

    if ((rc = store_cursor_open(t, DB_FIGVALS, &cur, e)))
        return rc;
    rc = list_runs(cur, unit, ulen, &runs, &n);
    if (!rc && n > 1)
        merge = window(runs, n, run_cap(), &first, &n_vals);
    if (merge && !(ends = malloc(2 * (n - first) * sizeof *ends)))
        rc = BRIEF_ENOMEM;
    if (!rc && merge)
        rc = read_runs(t, cur, unit, ulen, runs + first, n - first, n_vals,
                       ends, &vals);
    store_cursor_close(cur);
    if (!rc && merge) {
        /* The runs are in vals now: their pages, read all over the map,
         * are dropped before the merge writes (bench/PROFILE.md). */
        store_txn_release_pages(t);
        rc = write_merged(t, unit, ulen, runs + first, n - first, vals,
                          ends, ends + (n - first), e);
    }
    free(runs);
    free(ends);
    free(vals);
    if (rc == BRIEF_ENOMEM)
        return err_set(e, rc, "out of memory");
    if (rc == BRIEF_ECORRUPT)
        return err_set(e, rc, "figvals: a value is malformed");
    return rc;
}

int
figbatch_flush(store_txn *t, figbatch *fb, brief_err *e)
{
    unsigned char key[FIGSTORE_KEY_MAX], (*vals)[16];
    int rc = BRIEF_OK;

    if (!fb->n)
        return BRIEF_OK;
    if (!(vals = malloc(fb->n * sizeof *vals)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    if (fb->n > 1)
        qsort(fb->v, fb->n, sizeof *fb->v, cmp_figent);
    /* Each unit's values, copied side by side, go in with one call. */
    for (size_t i = 0, j; i < fb->n && !rc; i = j) {
        const char *unit = fb->v[i].unit;
        size_t ulen = strlen(unit);
        for (j = i; j < fb->n && strcmp(fb->v[j].unit, unit) == 0; j++)
            memcpy(vals[j - i], fb->v[j].v, 16);
        rc = store_append_dups(t, DB_FIGVALS, key,
                               figstore_run_key(key, unit, ulen, fb->run),
                               vals, 16, j - i, e);
        if (!rc)
            rc = merge_runs(t, unit, ulen, e);
    }
    free(vals);
    fb->n = 0;
    fb->run = 0;
    return rc;
}

void
figbatch_free(figbatch *fb)
{
    free(fb->v);
    memset(fb, 0, sizeof *fb);
}

int
figstore_check_runs(store_txn *t, brief_err *e)
{
    store_cursor *cur;
    unsigned char unit[FIG_UNIT_MAX];
    size_t ulen = 0, u;
    uint32_t run, prev_run = 0, floor = 0;
    bool have = false;
    sval k, v;
    int rc;

    if ((rc = store_cursor_open(t, DB_FIGVALS, &cur, e)))
        return rc;
    /* Keys in order; for each, its values' docids lie in [run, next). */
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        uint32_t d;
        if (figstore_key_unit(&k, &u, &run) || v.len != 16) {
            rc = err_set(e, BRIEF_ECORRUPT, "a figvals entry is malformed");
            break;
        }
        d = get_u32be(v.p + 8);
        if (!have || u != ulen || memcmp(k.p, unit, u) != 0 ||
            run != prev_run) {
            /* A new run: it bounds the docids of the unit's last one. */
            if (have && u == ulen && memcmp(k.p, unit, u) == 0 &&
                floor >= run) {
                rc = err_set(e, BRIEF_ECORRUPT, "figvals: a run of '%.*s' "
                             "holds document %u, not below the next run",
                             (int)u, (const char *)k.p, floor);
                break;
            }
            memcpy(unit, k.p, u);
            ulen = u;
            prev_run = run;
            floor = 0;
            have = true;
        }
        if (d < run) {
            rc = err_set(e, BRIEF_ECORRUPT, "figvals: document %u is filed "
                         "under a later run of '%.*s'", d, (int)u,
                         (const char *)k.p);
            break;
        }
        if (d > floor)
            floor = d;
    }
    store_cursor_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
figstore_put(store_txn *t, figbatch *fb, uint32_t docid, const figrec *recs,
             size_t n, brief_err *e)
{
    unsigned char key[4];
    buf v = { NULL, 0, 0 };
    int rc;

    if (n == 0)
        return BRIEF_OK;
    if ((rc = figstore_encode(recs, n, &v))) {
        buf_free(&v);
        if (rc == BRIEF_ENOMEM)
            return err_set(e, rc, "out of memory");
        return err_set(e, rc, "figures of document %u are out of order",
                       docid);
    }
    put_u32be(key, docid);
    rc = store_append(t, DB_FIGURES, key, 4, v.data, v.len, e);
    buf_free(&v);
    if (rc)
        return rc;
    if (!fb->n || docid < fb->run)
        fb->run = docid;
    for (size_t i = 0; i < n; i++)
        if (collect(fb, &recs[i], docid, (uint32_t)i))
            return err_set(e, BRIEF_ENOMEM, "out of memory");
    return BRIEF_OK;
}

int
figstore_del(store_txn *t, uint32_t docid, brief_err *e)
{
    unsigned char key[4], *copy, rkey[FIGSTORE_KEY_MAX], val[16];
    store_cursor *cur;
    figiter it;
    figrec r;
    size_t rlen;
    sval v;
    int rc, more = 0;

    put_u32be(key, docid);
    rc = store_get(t, DB_FIGURES, key, 4, &v, e);
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    /* Deleting moves pages: work on a copy of the records. */
    if (!(copy = malloc(v.len + 1)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    memcpy(copy, v.p, v.len);
    if (figiter_init(&it, copy, v.len))
        more = -1;
    else
        while (!rc && (more = figiter_next(&it, &r)) == 1) {
            size_t ulen = strnlen(r.f.unit, FIG_UNIT_MAX - 1);
            if ((rc = store_cursor_open(t, DB_FIGVALS, &cur, e)))
                break;
            rc = run_of(cur, r.f.unit, ulen, docid, rkey, &rlen);
            store_cursor_close(cur);
            if (rc == BRIEF_DONE) {
                rc = err_set(e, BRIEF_ECORRUPT, "figvals: no run of '%s' "
                             "holds document %u", r.f.unit, docid);
                break;
            }
            for (int end = 0; end < 2 && !rc; end++) {
                double x = end ? r.f.value_high : r.f.value;
                if (end && (!r.f.is_range || x == r.f.value))
                    break;
                figstore_val(val, x, docid, it.idx - 1);
                rc = store_del(t, DB_FIGVALS, rkey, rlen, val, 16, e);
            }
        }
    free(copy);
    if (!rc && more != 0)
        rc = err_set(e, BRIEF_ECORRUPT, "figures of document %u are "
                     "malformed", docid);
    return rc ? rc : store_del(t, DB_FIGURES, key, 4, NULL, 0, e);
}
