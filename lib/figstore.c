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

/* Put (put = true) or delete the figvals entries of one figure. */
static int
index_one(store_txn *t, const figrec *r, uint32_t docid, uint32_t idx,
          bool put, brief_err *e)
{
    unsigned char v[16];
    size_t ulen = strnlen(r->f.unit, FIG_UNIT_MAX);
    int rc;

    for (int end = 0; end < 2; end++) {
        double x = end ? r->f.value_high : r->f.value;
        if (end && (!r->f.is_range || x == r->f.value))
            break;
        figstore_val(v, x, docid, idx);
        rc = put ? store_put(t, DB_FIGVALS, r->f.unit, ulen, v, 16, e)
                 : store_del(t, DB_FIGVALS, r->f.unit, ulen, v, 16, e);
        if (rc)
            return rc;
    }
    return BRIEF_OK;
}

int
figstore_put(store_txn *t, uint32_t docid, const figrec *recs, size_t n,
             brief_err *e)
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
    for (size_t i = 0; i < n && !rc; i++)
        rc = index_one(t, &recs[i], docid, (uint32_t)i, true, e);
    return rc;
}

int
figstore_del(store_txn *t, uint32_t docid, brief_err *e)
{
    unsigned char key[4], *copy;
    figiter it;
    figrec r;
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
        while (!rc && (more = figiter_next(&it, &r)) == 1)
            rc = index_one(t, &r, docid, it.idx - 1, false, e);
    free(copy);
    if (!rc && more != 0)
        rc = err_set(e, BRIEF_ECORRUPT, "figures of document %u are "
                     "malformed", docid);
    return rc ? rc : store_del(t, DB_FIGURES, key, 4, NULL, 0, e);
}
