/*
 * print.c: creating printers and what the formats share.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"

int
brief_printer_new(brief_printer **out, FILE *stream, brief_format fmt,
                  const brief_print_opts *opts)
{
    brief_printer *p;

    *out = NULL;
    p = calloc(1, sizeof *p);
    if (!p)
        return BRIEF_ENOMEM;
    p->fp = stream;
    if (opts)
        p->opts = *opts;
    switch (fmt) {
    case BRIEF_FORMAT_TEXT:    p->ops = &print_text_ops; break;
    case BRIEF_FORMAT_VIMGREP: p->ops = &print_vimgrep_ops; break;
    case BRIEF_FORMAT_JSON:    p->ops = &print_json_ops; break;
    default:
        free(p);
        return BRIEF_EINVAL;
    }
    *out = p;
    return BRIEF_OK;
}

int
brief_printer_hit(brief_printer *p, const brief_hit *hit)
{
    int rc = p->ops->hit(p, hit);

    p->n++;
    return rc ? rc : ferror(p->fp) ? BRIEF_EIO : BRIEF_OK;
}

int
brief_printer_figure(brief_printer *p, const brief_figure *fig)
{
    int rc = p->ops->figure(p, fig);

    p->n++;
    return rc ? rc : ferror(p->fp) ? BRIEF_EIO : BRIEF_OK;
}

static void
one_value(char *out, size_t cap, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, cap, "%.0f", v);
    else
        snprintf(out, cap, "%.15g", v);
}

void
print_value(char *out, size_t cap, const brief_figure *f)
{
    char lo[40], hi[40];

    one_value(lo, sizeof lo, f->value);
    if (!f->is_range) {
        snprintf(out, cap, "%s", lo);
        return;
    }
    one_value(hi, sizeof hi, f->value_high);
    snprintf(out, cap, "%s..%s", lo, hi);
}

/* s[0..n) on one line: control characters (line breaks) become spaces. */
static void
put_flat(FILE *fp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        putc((unsigned char)s[i] < 0x20 ? ' ' : s[i], fp);
}

int
print_figure_line(brief_printer *p, const brief_figure *f)
{
    FILE *fp = p->fp;
    bool color = p->opts.color;
    char v[96];

    print_value(v, sizeof v, f);
    print_path(fp, f->path, color);
    fprintf(fp, color ? ":" COLOR_LINE "%u" COLOR_OFF ":%u: " : ":%u:%u: ",
            f->line, f->column);
    fprintf(fp, color ? COLOR_MATCH "%s" COLOR_OFF " %s" : "%s %s", v,
            f->unit);
    if (*f->qualifier)
        fprintf(fp, " %s", f->qualifier);
    fputs(" \"", fp);
    put_flat(fp, f->text, f->text_len);
    putc('"', fp);
    if (f->subject) {
        fputs(" \xe2\x80\x94 ", fp);
        put_flat(fp, f->subject, f->subject_len);
    }
    if (f->stale)
        fputs(" [stale]", fp);
    putc('\n', fp);
    return BRIEF_OK;
}

int
brief_printer_end(brief_printer *p, uint64_t hits, uint64_t matched,
                  uint64_t elapsed_us)
{
    int rc = p->ops->end ? p->ops->end(p, hits, matched, elapsed_us) : 0;

    if (!rc && fflush(p->fp) != 0)
        rc = BRIEF_EIO;
    return rc;
}

void
brief_printer_free(brief_printer *p)
{
    free(p);
}

void
print_path(FILE *fp, const char *path, bool color)
{
    if (color)
        fputs(COLOR_PATH, fp);
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        size_t n = 0;
        /* A run of plain bytes at once: putc() locks the stream. */
        while (s[n] >= 0x20 && s[n] != 0x7f)
            n++;
        if (n) {
            fwrite(s, 1, n, fp);
            s += n - 1;
        } else if (*s == '\n')
            fputs("\\n", fp);
        else if (*s == '\t')
            fputs("\\t", fp);
        else
            fprintf(fp, "\\x%02x", *s);
    }
    if (color)
        fputs(COLOR_OFF, fp);
}

void
print_line_bounds(const char *text, size_t len, size_t off, size_t *start,
                  size_t *end)
{
    size_t s = off > len ? len : off, e = s;

    const char *nl = memchr(text + e, '\n', len - e);

    while (s > 0 && text[s - 1] != '\n')
        s--;
    e = nl ? (size_t)(nl - text) : len;
    if (e > s && text[e - 1] == '\r')
        e--;
    *start = s;
    *end = e;
}
