/*
 * figures.h: find the figures in a text -- a number with its scale, unit,
 * qualifier and subject -- as byte spans of the source.
 *
 * This module knows text only: no index, no query, no output.  The rules
 * (what is a figure, the unit and qualifier tables, ranges, years,
 * subjects) are written down in docs/FIGURES.md; change both together.
 *
 * Typical use:
 *
 *     figure *f;
 *     size_t n;
 *     if (figures_extract(text, len, &f, &n) != BRIEF_OK)
 *         return BRIEF_ENOMEM;
 *     for (size_t i = 0; i < n; i++)
 *         printf("%g %s %s \"%.*s\"\n", f[i].value, f[i].unit,
 *                figures_qualifier_name(f[i].qualifier),
 *                (int)(f[i].end - f[i].start), text + f[i].start);
 *     free(f);
 */
#ifndef BRIEF_FIGURES_H
#define BRIEF_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

/* Room for the longest canonical unit name ("percent") and its NUL. */
#define FIG_UNIT_MAX 8

/* How the text qualifies a figure.  Only a word that qualifies the number
 * itself counts: "more than 30%" is FIG_Q_OVER, "over the next 4 years"
 * has no qualifier. */
typedef enum fig_qualifier {
    FIG_Q_NONE = 0,
    FIG_Q_ABOUT,        /* about, around, close to, nearly, some, ... */
    FIG_Q_OVER,         /* more than, over, above, exceeding, ... */
    FIG_Q_UNDER,        /* less than, fewer than, below, under, ... */
    FIG_Q_AT_LEAST,     /* at least, no less than, ... or more */
    FIG_Q_AT_MOST       /* up to, no more than, ... or less */
} fig_qualifier;

/*
 * One figure.  Byte offsets index the text given to figures_extract();
 * start < end always, and text[start..end) is the exact source text of
 * the figure, qualifier and unit included ("about 39.9 trillion yuan").
 * The caller maps offsets to line, column and passage.
 */
typedef struct figure {
    double value;           /* the number, scale applied; a range's low end */
    double value_high;      /* a range's high end; == value otherwise */
    bool is_range;          /* "between 3 and 5 million", "15-20 USD" */
    /* Canonical unit, NUL-terminated: "percent"; an ISO 4217 code for
     * money ("CNY", "USD", "EUR", "GBP", "JPY", ...); "year" for a
     * calendar year; "years", "months", "weeks", "days", "hours" for a
     * span of time; "rank" for an ordinal; otherwise "count". */
    char unit[FIG_UNIT_MAX];
    fig_qualifier qualifier;
    size_t start, end;      /* source byte span of the figure's text */
    /* Source byte span of the thing counted ("5G base stations"); both 0
     * when the text names none. */
    size_t subject_start, subject_end;
} figure;

/*
 * Find every figure in text[0..len), in source order.
 *
 * text should be UTF-8; invalid bytes are tolerated (they separate words)
 * and never read past len.  The text need not be NUL-terminated.  Runs in
 * time linear in len.
 *
 * Figures come in source order and never overlap.  On success *out is an
 * array of *n_out figures (NULL when there are none); the caller owns
 * *out and frees it with free().
 *
 * @return BRIEF_OK, or BRIEF_ENOMEM (then *out is NULL and *n_out 0).
 */
int figures_extract(const char *text, size_t len, figure **out,
                    size_t *n_out);

/* figures_extract() reading every sentence in full, where it passes over
 * those that hold no number: the reference the tests hold it to. */
int figures_extract_unskimmed(const char *text, size_t len, figure **out,
                              size_t *n_out);

/* The qualifier's name as docs/FIGURES.md writes it: "about", "over",
 * "under", "at_least", "at_most"; "" for FIG_Q_NONE or an unknown value.
 * The string is static. */
const char *figures_qualifier_name(fig_qualifier q);

/*
 * Parse a value as a user writes it on the command line: "1e6",
 * "465,000", "3.38 million", "3.5bn", "40 trillion yuan", "20%", "$3.8bn",
 * "-5", "forty-two", "39.9万亿元".  The whole of s[0..len) must be one
 * amount (surrounding spaces are ignored).
 *
 * On success *value is the number and unit holds the canonical unit the
 * text names ("percent", "CNY", ...), or "" when it names none ("1e6").
 *
 * @return BRIEF_OK, or BRIEF_EINVAL when s is not one amount.
 */
int figures_parse_value(const char *s, size_t len, double *value,
                        char unit[FIG_UNIT_MAX]);

/*
 * Map a unit as a user writes it to the canonical name stored in figures:
 * a canonical name in any case ("usd", "Percent"), a symbol ("%", "$",
 * "€", "£", "¥") or a synonym ("yuan", "RMB", "renminbi", "元", "dollars",
 * "euros", "sterling", "yen", "pct", "per cent", "yr", "ordinal").
 *
 * @return BRIEF_OK and the name in unit, or BRIEF_EINVAL when s names no
 *         unit (unit is then "").
 */
int figures_parse_unit(const char *s, size_t len, char unit[FIG_UNIT_MAX]);

#endif
