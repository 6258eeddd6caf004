/*
 * figstore.c: figure records and the unit/value index.
 *
 * Record (FIG_REC = 60 bytes, little-endian):
 *   f64 value | f64 value_high | char unit[8] (NUL-padded) |
 *   u8 qualifier | u8 flags (1: range) | u16 reserved |
 *   u32 start | u32 end | u32 subject_start | u32 subject_end |
 *   u32 passage | u32 pos | u32 n_pos | u32 reserved
 *
 * figvals value (16 bytes, big-endian so that bytes sort as numbers):
 *   u64 ordered value | u32 docid | u32 figure index
 * The ordered value flips the sign bit of a positive double and every bit
 * of a negative one: -2.5 < -1 < 0 < 3.38 stay in that order as unsigned
 * integers.  A range figure is filed under both its ends.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "figstore.h"

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

void
figstore_encode(const figrec *r, unsigned char *out)
{
    memset(out, 0, FIG_REC);
    put_u64le(out, bits_of(r->f.value));
    put_u64le(out + 8, bits_of(r->f.value_high));
    memcpy(out + 16, r->f.unit, strnlen(r->f.unit, FIG_UNIT_MAX - 1));
    out[24] = (unsigned char)r->f.qualifier;
    out[25] = r->f.is_range ? 1 : 0;
    put_u32le(out + 28, (uint32_t)r->f.start);
    put_u32le(out + 32, (uint32_t)r->f.end);
    put_u32le(out + 36, (uint32_t)r->f.subject_start);
    put_u32le(out + 40, (uint32_t)r->f.subject_end);
    put_u32le(out + 44, r->passage);
    put_u32le(out + 48, r->pos);
    put_u32le(out + 52, r->n_pos);
}

int
figstore_decode(const unsigned char *p, figrec *r)
{
    memset(r, 0, sizeof *r);
    r->f.value = double_of(get_u64le(p));
    r->f.value_high = double_of(get_u64le(p + 8));
    memcpy(r->f.unit, p + 16, FIG_UNIT_MAX);
    if (r->f.unit[FIG_UNIT_MAX - 1] != '\0' || r->f.unit[0] == '\0' ||
        p[24] > FIG_Q_AT_MOST || p[25] > 1 || isnan(r->f.value) ||
        isnan(r->f.value_high))
        return -1;
    r->f.qualifier = (fig_qualifier)p[24];
    r->f.is_range = p[25];
    r->f.start = get_u32le(p + 28);
    r->f.end = get_u32le(p + 32);
    r->f.subject_start = get_u32le(p + 36);
    r->f.subject_end = get_u32le(p + 40);
    r->passage = get_u32le(p + 44);
    r->pos = get_u32le(p + 48);
    r->n_pos = get_u32le(p + 52);
    /* A figure's words lie in one passage: a few positions at most. */
    if (r->f.start >= r->f.end || r->f.subject_start > r->f.subject_end ||
        r->n_pos > 4096 || r->pos > 4096)
        return -1;
    return 0;
}

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
    unsigned char key[4], *v;
    int rc = BRIEF_OK;

    if (n == 0)
        return BRIEF_OK;
    if (!(v = malloc(n * FIG_REC)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        figstore_encode(&recs[i], v + i * FIG_REC);
    put_u32be(key, docid);
    rc = store_append(t, DB_FIGURES, key, 4, v, n * FIG_REC, e);
    free(v);
    for (size_t i = 0; i < n && !rc; i++)
        rc = index_one(t, &recs[i], docid, (uint32_t)i, true, e);
    return rc;
}

int
figstore_del(store_txn *t, uint32_t docid, brief_err *e)
{
    unsigned char key[4], *copy;
    sval v;
    size_t n;
    int rc;

    put_u32be(key, docid);
    rc = store_get(t, DB_FIGURES, key, 4, &v, e);
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    if (v.len % FIG_REC)
        return err_set(e, BRIEF_ECORRUPT, "figures of document %u are "
                       "malformed", docid);
    /* Deleting moves pages: work on a copy of the records. */
    n = v.len / FIG_REC;
    if (!(copy = malloc(v.len + 1)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    memcpy(copy, v.p, v.len);
    for (size_t i = 0; i < n && !rc; i++) {
        figrec r;
        if (figstore_decode(copy + i * FIG_REC, &r))
            rc = err_set(e, BRIEF_ECORRUPT, "figure %zu of document %u is "
                         "malformed", i, docid);
        else
            rc = index_one(t, &r, docid, (uint32_t)i, false, e);
    }
    free(copy);
    return rc ? rc : store_del(t, DB_FIGURES, key, 4, NULL, 0, e);
}
