/*
 * fuzz_figures: the figure extractor on arbitrary bytes (it promises to
 * tolerate invalid UTF-8 and never to read past len), and the parsers of
 * command-line amounts and units on the same bytes.  Checks the contract
 * of lib/figures.h: spans inside the text and in source order, start <
 * end, subjects inside the text, a NUL-terminated canonical unit.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "figures.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    char unit[FIG_UNIT_MAX];
    figure *f = NULL;
    size_t n = 0;
    double v;
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);           /* exact size: ASan sees overreads */
    rc = figures_extract(text, size, &f, &n);
    FUZZ_ASSERT(rc == BRIEF_OK || rc == BRIEF_ENOMEM, "rc %d", rc);
    FUZZ_ASSERT(rc == BRIEF_OK || (f == NULL && n == 0), "error with output");
    FUZZ_ASSERT((n == 0) == (f == NULL), "n %zu, f %p", n, (void *)f);
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(f[i].start < f[i].end && f[i].end <= size,
                    "figure %zu: span [%zu, %zu) of %zu", i, f[i].start,
                    f[i].end, size);
        FUZZ_ASSERT(i == 0 || f[i].start >= f[i - 1].start,
                    "figure %zu at %zu after one at %zu", i, f[i].start,
                    f[i - 1].start);
        FUZZ_ASSERT(f[i].subject_start <= f[i].subject_end &&
                    f[i].subject_end <= size,
                    "figure %zu: subject [%zu, %zu) of %zu", i,
                    f[i].subject_start, f[i].subject_end, size);
        FUZZ_ASSERT(memchr(f[i].unit, '\0', FIG_UNIT_MAX) && f[i].unit[0],
                    "figure %zu: unit not a NUL-terminated name", i);
        FUZZ_ASSERT(*figures_qualifier_name(f[i].qualifier) ||
                    f[i].qualifier == FIG_Q_NONE,
                    "figure %zu: qualifier %d", i, (int)f[i].qualifier);
        FUZZ_ASSERT(f[i].is_range || f[i].value_high == f[i].value ||
                    (isnan(f[i].value) && isnan(f[i].value_high)),
                    "figure %zu: not a range but %g != %g", i, f[i].value,
                    f[i].value_high);
    }
    free(f);

    memset(unit, 'x', sizeof unit);
    rc = figures_parse_value(text, size, &v, unit);
    FUZZ_ASSERT(rc == BRIEF_OK || rc == BRIEF_EINVAL, "parse_value rc %d",
                rc);
    if (rc == BRIEF_OK)
        FUZZ_ASSERT(memchr(unit, '\0', sizeof unit),
                    "parse_value: unit not NUL-terminated");
    memset(unit, 'x', sizeof unit);
    rc = figures_parse_unit(text, size, unit);
    FUZZ_ASSERT(rc == BRIEF_OK || rc == BRIEF_EINVAL, "parse_unit rc %d",
                rc);
    FUZZ_ASSERT(memchr(unit, '\0', sizeof unit),
                "parse_unit: unit not NUL-terminated");
    free(text);
    return 0;
}
