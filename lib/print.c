/*
 * print.c: creating printers and what the formats share.
 */
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
        if (*s == '\n')
            fputs("\\n", fp);
        else if (*s == '\t')
            fputs("\\t", fp);
        else if (*s < 0x20 || *s == 0x7f)
            fprintf(fp, "\\x%02x", *s);
        else
            putc(*s, fp);
    }
    if (color)
        fputs(COLOR_OFF, fp);
}

void
print_line_bounds(const char *text, size_t len, size_t off, size_t *start,
                  size_t *end)
{
    size_t s = off > len ? len : off, e = s;

    while (s > 0 && text[s - 1] != '\n')
        s--;
    while (e < len && text[e] != '\n')
        e++;
    if (e > s && text[e - 1] == '\r')
        e--;
    *start = s;
    *end = e;
}
