/*
 * figquery.c: reading figure bounds and scanning the figvals index.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "figquery.h"
#include "figstore.h"

/* Set b->unit from u, or fail when another unit was given already. */
static int
take_unit(figbounds *b, const char *u, char *msg, size_t cap)
{
    if (!*u)
        return BRIEF_OK;
    if (*b->unit && strcmp(b->unit, u) != 0) {
        snprintf(msg, cap, "fig: names two units, %s and %s", b->unit, u);
        return BRIEF_ESYNTAX;
    }
    snprintf(b->unit, sizeof b->unit, "%s", u);
    return BRIEF_OK;
}

int
figquery_amount(const char *s, size_t len, double *v,
                char unit[FIG_UNIT_MAX])
{
    char spaced[128];
    size_t n = 0;

    if (figures_parse_value(s, len, v, unit) == BRIEF_OK)
        return BRIEF_OK;
    if (len + 8 > sizeof spaced)
        return BRIEF_EINVAL;
    for (size_t i = 0; i < len; i++) {
        bool digit_before = i && ((s[i - 1] >= '0' && s[i - 1] <= '9') ||
                                  s[i - 1] == '.');
        bool letter = (s[i] >= 'a' && s[i] <= 'z') ||
                      (s[i] >= 'A' && s[i] <= 'Z');
        if (digit_before && letter)
            spaced[n++] = ' ';
        spaced[n++] = s[i];
    }
    return figures_parse_value(spaced, n, v, unit);
}

static int
amount(figbounds *b, const char *s, size_t len, double *v, char *msg,
       size_t cap)
{
    char unit[FIG_UNIT_MAX];

    if (len == 0 || figquery_amount(s, len, v, unit) != BRIEF_OK) {
        snprintf(msg, cap, "fig: cannot read '%.*s' as an amount",
                 (int)(len > 60 ? 60 : len), s);
        return BRIEF_ESYNTAX;
    }
    return take_unit(b, unit, msg, cap);
}

int
figquery_parse(const char *s, size_t len, figbounds *out, char *msg,
               size_t msg_cap)
{
    size_t i = 0, u;
    const char *dots;
    int rc;

    memset(out, 0, sizeof *out);
    /* A leading unit: the bytes before the first that starts an amount or
     * a comparison, when they name a unit ("yuan>1tn", "%", "USD"). */
    for (u = 0; u < len && !strchr("<>=.-+0123456789", s[u]); u++)
        ;
    if (u > 0) {
        char unit[FIG_UNIT_MAX];
        if (figures_parse_unit(s, u, unit) == BRIEF_OK) {
            snprintf(out->unit, sizeof out->unit, "%s", unit);
            i = u;
        } else if (u == len) {
            snprintf(msg, msg_cap, "fig: '%.*s' is not a unit",
                     (int)(len > 60 ? 60 : len), s);
            return BRIEF_ESYNTAX;
        }
    }
    s += i;
    len -= i;
    if (len == 0)
        return BRIEF_OK;
    if (s[0] == '>' || s[0] == '<' || s[0] == '=') {
        bool eq = len > 1 && s[1] == '=', gt = s[0] == '>', lt = s[0] == '<';
        size_t skip = (gt || lt) && eq ? 2 : 1;
        double v;
        if ((rc = amount(out, s + skip, len - skip, &v, msg, msg_cap)))
            return rc;
        if (gt || !lt) {
            out->has_lo = true;
            out->lo = v;
            out->lo_open = gt && !eq;
        }
        if (lt || !gt) {
            out->has_hi = true;
            out->hi = v;
            out->hi_open = lt && !eq;
        }
        return BRIEF_OK;
    }
    dots = NULL;
    for (size_t k = 0; k + 1 < len; k++)
        if (s[k] == '.' && s[k + 1] == '.') {
            dots = s + k;
            break;
        }
    if (!dots) {
        double v;
        if ((rc = amount(out, s, len, &v, msg, msg_cap)))
            return rc;
        out->has_lo = out->has_hi = true;
        out->lo = out->hi = v;
        return BRIEF_OK;
    }
    if (dots > s) {
        if ((rc = amount(out, s, (size_t)(dots - s), &out->lo, msg,
                         msg_cap)))
            return rc;
        out->has_lo = true;
    }
    if (dots + 2 < s + len) {
        if ((rc = amount(out, dots + 2, (size_t)(s + len - dots - 2),
                         &out->hi, msg, msg_cap)))
            return rc;
        out->has_hi = true;
    }
    if (!out->has_lo && !out->has_hi) {
        snprintf(msg, msg_cap, "fig: '..' needs an amount on one side");
        return BRIEF_ESYNTAX;
    }
    if (out->has_lo && out->has_hi && out->lo > out->hi) {
        snprintf(msg, msg_cap, "fig: the range %g..%g is empty", out->lo,
                 out->hi);
        return BRIEF_ESYNTAX;
    }
    return BRIEF_OK;
}

void
figquery_describe(const figbounds *b, char *out, size_t cap)
{
    char lo[32] = "-inf", hi[32] = "inf";

    if (b->has_lo)
        snprintf(lo, sizeof lo, "%.15g", b->lo);
    if (b->has_hi)
        snprintf(hi, sizeof hi, "%.15g", b->hi);
    snprintf(out, cap, "%s in %c%s, %s%c", *b->unit ? b->unit : "any unit",
             b->has_lo && !b->lo_open ? '[' : '(', lo, hi,
             b->has_hi && !b->hi_open ? ']' : ')');
}

bool
figquery_holds(const figbounds *b, double v)
{
    if (b->has_lo && (v < b->lo || (b->lo_open && v == b->lo)))
        return false;
    if (b->has_hi && (v > b->hi || (b->hi_open && v == b->hi)))
        return false;
    return true;
}

/* The figures of one run of a unit (figvals key key[0..klen)) within b. */
static int
scan_run(store_cursor *cur, const unsigned char *key, size_t klen,
         const figbounds *b, int (*fn)(void *, uint32_t, uint32_t, double),
         void *ctx, brief_err *e)
{
    unsigned char start[16];
    sval v;
    int rc;

    figstore_val(start, b->has_lo ? b->lo : -INFINITY, 0, 0);
    for (rc = store_cursor_dup_seek(cur, key, klen, start, 16, &v);
         rc == BRIEF_OK; rc = store_cursor_dup(cur, key, klen, false, &v)) {
        double x;
        if (v.len != 16)
            return err_set(e, BRIEF_ECORRUPT, "figvals: a value is "
                           "malformed");
        x = figstore_unorder((uint64_t)get_u32be(v.p) << 32 |
                             get_u32be(v.p + 4));
        if (b->has_hi && (x > b->hi || (b->hi_open && x == b->hi)))
            break;
        if (!figquery_holds(b, x))
            continue;
        if ((rc = fn(ctx, get_u32be(v.p + 8), get_u32be(v.p + 12), x)))
            return rc;
    }
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* The figures of one unit within b, run by run (not in value order: the
 * callers sort). */
static int
scan_unit(store_cursor *cur, const char *unit, const figbounds *b,
          int (*fn)(void *, uint32_t, uint32_t, double), void *ctx,
          brief_err *e)
{
    unsigned char key[FIGSTORE_KEY_MAX];
    size_t ulen = strlen(unit), klen, u;
    uint32_t r = 0, run;
    sval k, v;
    int rc;

    for (;; r = run + 1) {
        klen = figstore_run_key(key, unit, ulen, r);
        if ((rc = store_cursor_seek(cur, key, klen, &k, &v)))
            break;
        if (figstore_key_unit(&k, &u, &run) || u != ulen ||
            memcmp(k.p, unit, ulen) != 0)
            break;
        klen = figstore_run_key(key, unit, ulen, run);
        if ((rc = scan_run(cur, key, klen, b, fn, ctx, e)) ||
            run == UINT32_MAX)
            break;
    }
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
figquery_scan(store_txn *t, const figbounds *b,
              int (*fn)(void *ctx, uint32_t docid, uint32_t idx,
                        double value),
              void *ctx, brief_err *e)
{
    store_cursor *cur;
    sval k, v;
    char units[64][FIG_UNIT_MAX];
    size_t n = 0;
    int rc;

    if ((rc = store_cursor_open(t, DB_FIGVALS, &cur, e)))
        return rc;
    if (*b->unit) {
        snprintf(units[n++], FIG_UNIT_MAX, "%s", b->unit);
    } else {
        /* Every unit there is: a handful, each with a few runs. */
        for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK && n < 64;
             rc = store_cursor_next_key(cur, &k, &v)) {
            size_t ulen;
            uint32_t run;
            if (figstore_key_unit(&k, &ulen, &run)) {
                rc = err_set(e, BRIEF_ECORRUPT, "figvals: a key is "
                             "malformed");
                break;
            }
            if (n && strlen(units[n - 1]) == ulen &&
                memcmp(units[n - 1], k.p, ulen) == 0)
                continue;
            memcpy(units[n], k.p, ulen);
            units[n++][ulen] = '\0';
        }
    }
    if (rc == BRIEF_DONE || rc == BRIEF_OK)
        rc = BRIEF_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = scan_unit(cur, units[i], b, fn, ctx, e);
    store_cursor_close(cur);
    return rc;
}
