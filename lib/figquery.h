/*
 * figquery.h: figure bounds (a unit and a value range), as written after
 * "fig:" in a query or given to --unit/--min/--max, and the look-up of the
 * figures within them through the figvals cursor.
 */
#ifndef BRIEF_FIGQUERY_H
#define BRIEF_FIGQUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "figures.h"
#include "store.h"

typedef struct figbounds {
    char unit[FIG_UNIT_MAX];     /* "" for any unit */
    bool has_lo, has_hi;
    double lo, hi;
    bool lo_open, hi_open;       /* > and < rather than >= and <= */
} figbounds;

/*
 * Parse "fig:" bounds: [UNIT][RANGE][UNIT] where RANGE is ">X", ">=X",
 * "<X", "<=X", "=X", "X" (equal), "X..Y", "X.." or "..Y", and X, Y are
 * amounts as figures_parse_value() reads them ("1e6", "3.38million",
 * "20%", "1tn").  A unit written with an amount ("20..40%") applies to the
 * whole.  Empty text: every figure.  On error returns BRIEF_ESYNTAX with a
 * message in msg (without position).
 */
int figquery_parse(const char *s, size_t len, figbounds *out, char *msg,
                   size_t msg_cap);

/* figures_parse_value(), also for an amount written without spaces, as
 * query words must be: "3.38million" is read as "3.38 million". */
int figquery_amount(const char *s, size_t len, double *v,
                    char unit[FIG_UNIT_MAX]);

/* Describe the bounds for --explain: "CNY in [1e+12, inf)". */
void figquery_describe(const figbounds *b, char *out, size_t cap);

/* Whether value v lies within b (the unit is not checked). */
bool figquery_holds(const figbounds *b, double v);

/* Call fn(ctx, docid, idx) for every figure within b, unit by unit and in
 * value order; a range figure may be reported twice.  fn returns 0 to go
 * on.  Returns BRIEF_OK or an error. */
int figquery_scan(store_txn *t, const figbounds *b,
                  int (*fn)(void *ctx, uint32_t docid, uint32_t idx,
                            double value),
                  void *ctx, brief_err *e);

#endif
