/*
 * print_json.c: JSON Lines.  One "hit" object per hit, then a "summary";
 * docs/JSON.md documents every field.  Output is always valid JSON:
 * control characters are escaped and invalid UTF-8 becomes U+FFFD; a path
 * that is not UTF-8 also gets "path_b64" with its exact bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "text.h"

/* Write s[0..len) as a JSON string. */
static void
json_str(FILE *fp, const char *s, size_t len)
{
    putc('"', fp);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t bad;
        if (c == '"' || c == '\\') {
            putc('\\', fp);
            putc(c, fp);
        } else if (c == '\n') {
            fputs("\\n", fp);
        } else if (c == '\t') {
            fputs("\\t", fp);
        } else if (c == '\r') {
            fputs("\\r", fp);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(fp, "\\u%04x", c);
        } else if (c < 0x80) {
            putc(c, fp);
        } else {
            size_t n = len - i < 4 ? len - i : 4, k;
            /* One character: valid only if its own bytes validate. */
            text_decode(s + i, n, &k);
            if (text_is_utf8(s + i, k, &bad) && k > 1) {
                fwrite(s + i, 1, k, fp);
                i += k;
                continue;
            }
            fputs("\\ufffd", fp);
        }
        i++;
    }
    putc('"', fp);
}

static void
base64(FILE *fp, const unsigned char *s, size_t len)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    putc('"', fp);
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        putc(tab[v >> 18 & 63], fp);
        putc(tab[v >> 12 & 63], fp);
        putc(i + 1 < len ? tab[v >> 6 & 63] : '=', fp);
        putc(i + 2 < len ? tab[v & 63] : '=', fp);
    }
    putc('"', fp);
}

/* The start of an object: {"type":TYPE, and "id" when there is one. */
static void
json_head(brief_printer *p, const char *type)
{
    fprintf(p->fp, "{\"type\":\"%s\",", type);
    if (p->opts.id)
        fprintf(p->fp, "\"id\":%s,", p->opts.id);
}

/* Start and end positions in all three kinds of column (brief.h). */
static void
json_columns(FILE *fp, uint32_t line, uint32_t col, uint32_t col_char,
             uint32_t col_utf16, uint32_t end_line, uint32_t end_col,
             uint32_t end_char, uint32_t end_utf16)
{
    fprintf(fp, "\"line\":%u,\"column\":%u,\"column_char\":%u,"
            "\"column_utf16\":%u,\"end_line\":%u,\"end_column\":%u,"
            "\"end_column_char\":%u,\"end_column_utf16\":%u", line, col,
            col_char, col_utf16, end_line, end_col, end_char, end_utf16);
}

/* The "passage" member shared by hits and figures. */
static void
json_passage(FILE *fp, const brief_passage *ps)
{
    fprintf(fp, "\"passage\":{\"line_start\":%u,\"line_end\":%u,"
            "\"byte_start\":%llu,\"byte_end\":%llu,\"text\":",
            ps->line_start, ps->line_end,
            (unsigned long long)ps->byte_start,
            (unsigned long long)ps->byte_end);
    json_str(fp, ps->text, ps->text_len);
    putc('}', fp);
}

/* "path" (and "path_b64" when it is not UTF-8). */
static void
json_path(FILE *fp, const char *path)
{
    size_t plen = strlen(path), bad;

    fputs("\"path\":", fp);
    json_str(fp, path, plen);
    if (!text_is_utf8(path, plen, &bad)) {
        fputs(",\"path_b64\":", fp);
        base64(fp, (const unsigned char *)path, plen);
    }
}

/* A number as JSON: integral values in full, others in the fewest
 * digits that read back as the same double (31.7, not 31.699...). */
static void
json_number(FILE *fp, double v)
{
    char s[40];

    if (!isfinite(v)) {
        fputs("null", fp);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e18) {
        fprintf(fp, "%.0f", v);
        return;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(s, sizeof s, "%.*g", digits, v);
        if (strtod(s, NULL) == v)
            break;
    }
    fputs(s, fp);
}

static int
json_hit(brief_printer *p, const brief_hit *h)
{
    FILE *fp = p->fp;

    json_head(p, "hit");
    json_path(fp, h->path);
    putc(',', fp);
    json_columns(fp, h->line, h->column, h->column_char, h->column_utf16,
                 h->end_line, h->end_column, h->end_column_char,
                 h->end_column_utf16);
    fprintf(fp, ",\"byte_start\":%llu,\"byte_end\":%llu,\"score\":%.6g,"
            "\"stale\":%s,", (unsigned long long)h->byte_start,
            (unsigned long long)h->byte_end, h->score,
            h->stale ? "true" : "false");
    json_passage(fp, &h->passage);
    fputs(",\"matches\":[", fp);
    for (size_t i = 0; i < h->n_matches; i++) {
        const brief_match *m = &h->matches[i];
        fputs(i ? ",{" : "{", fp);
        json_columns(fp, m->line, m->column, m->column_char,
                     m->column_utf16, m->end_line, m->end_column,
                     m->end_column_char, m->end_column_utf16);
        fprintf(fp, ",\"byte_start\":%llu,\"byte_end\":%llu,\"text\":",
                (unsigned long long)m->byte_start,
                (unsigned long long)m->byte_end);
        json_str(fp, h->doc_text + m->byte_start,
                 m->byte_end - m->byte_start);
        putc('}', fp);
    }
    fputs("]}\n", fp);
    return BRIEF_OK;
}

static int
json_figure(brief_printer *p, const brief_figure *f)
{
    FILE *fp = p->fp;

    json_head(p, "figure");
    json_path(fp, f->path);
    putc(',', fp);
    json_columns(fp, f->line, f->column, f->column_char, f->column_utf16,
                 f->end_line, f->end_column, f->end_column_char,
                 f->end_column_utf16);
    fprintf(fp, ",\"byte_start\":%llu,\"byte_end\":%llu,\"value\":",
            (unsigned long long)f->byte_start,
            (unsigned long long)f->byte_end);
    json_number(fp, f->value);
    if (f->is_range) {
        fputs(",\"value_high\":", fp);
        json_number(fp, f->value_high);
    }
    fputs(",\"unit\":", fp);
    json_str(fp, f->unit, strlen(f->unit));
    fputs(",\"qualifier\":", fp);
    if (*f->qualifier)
        json_str(fp, f->qualifier, strlen(f->qualifier));
    else
        fputs("null", fp);
    fputs(",\"subject\":", fp);
    if (f->subject)
        json_str(fp, f->subject, f->subject_len);
    else
        fputs("null", fp);
    fputs(",\"text\":", fp);
    json_str(fp, f->text, f->text_len);
    fprintf(fp, ",\"stale\":%s,", f->stale ? "true" : "false");
    json_passage(fp, &f->passage);
    fputs("}\n", fp);
    return BRIEF_OK;
}

static int
json_end(brief_printer *p, uint64_t hits, uint64_t matched,
         uint64_t elapsed_us)
{
    json_head(p, "summary");
    fprintf(p->fp, "\"hits\":%llu,\"matched\":%llu,\"elapsed_us\":%llu}\n",
            (unsigned long long)hits, (unsigned long long)matched,
            (unsigned long long)elapsed_us);
    return BRIEF_OK;
}

const print_ops print_json_ops = { json_hit, json_figure, json_end };
