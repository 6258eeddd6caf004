/*
 * print.h: the printer interface (notmuch's sprinter shape): one file per
 * output format implements these hooks over the same brief_hit.
 */
#ifndef BRIEF_PRINT_H
#define BRIEF_PRINT_H

#include <stdio.h>

#include "brief.h"

#define COLOR_PATH  "\033[35m"
#define COLOR_LINE  "\033[32m"
#define COLOR_MATCH "\033[1;31m"
#define COLOR_OFF   "\033[0m"

typedef struct print_ops {
    int (*hit)(brief_printer *p, const brief_hit *hit);
    int (*figure)(brief_printer *p, const brief_figure *fig);
    int (*end)(brief_printer *p, uint64_t hits, uint64_t matched,
               uint64_t elapsed_us);
} print_ops;

struct brief_printer {
    FILE *fp;
    brief_print_opts opts;
    const print_ops *ops;
    uint64_t n;              /* hits printed so far */
};

extern const print_ops print_text_ops;
extern const print_ops print_vimgrep_ops;
extern const print_ops print_json_ops;

/* Write a file name with control characters escaped (\n, \t, \xHH). */
void print_path(FILE *fp, const char *path, bool color);

/* A figure's value as text: integral values in full ("39900000000000"),
 * others with up to 15 significant digits; a range as "LOW..HIGH". */
void print_value(char *out, size_t cap, const brief_figure *f);

/* The text and vimgrep line of a figure. */
int print_figure_line(brief_printer *p, const brief_figure *f);

/* The line of doc_text holding byte offset off: [*start, *end). */
void print_line_bounds(const char *text, size_t len, size_t off,
                       size_t *start, size_t *end);

#endif
