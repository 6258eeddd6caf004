/*
 * print_text.c: the default format.  Each hit is `path:line:col:` and the
 * passage on one line (line breaks become spaces), so grep-style tools and
 * editors read it; on a terminal the passage is wrapped under the
 * citation instead, and matches are coloured when colour is on.
 */
#include <string.h>

#include "print.h"
#include "text.h"

/* Print passage bytes [from, to) of the document; line breaks and other
 * control characters become spaces.  With wrap, words are re-flowed at
 * p->opts.wrap columns with a two-space indent; *col tracks the column
 * (only then). */
static void
put_span(brief_printer *p, const char *s, size_t from, size_t to,
         unsigned *col, bool *space, const char *on)
{
    FILE *fp = p->fp;
    unsigned wrap = p->opts.wrap;

    for (size_t i = from; i < to;) {
        size_t n = 1;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            if (!wrap && c == '\t')
                putc('\t', fp);
            else if (!wrap && !(c == '\r' && i + 1 < to && s[i + 1] == '\n'))
                putc(' ', fp);
            else if (wrap)
                *space = true;
            i++;
            continue;
        }
        if (wrap && c == ' ') {
            *space = true;
            i++;
            continue;
        }
        if (wrap && *space) {
            /* Measure the word to decide whether it fits on this line. */
            size_t j = i;
            unsigned w = 0;
            while (j < to && (unsigned char)s[j] > ' ' && s[j] != 0x7f) {
                size_t k;
                text_decode(s + j, to - j, &k);
                j += k;
                w++;
            }
            if (*col > 2 && *col + 1 + w > wrap) {
                fputs("\n  ", fp);
                *col = 2;
            } else if (*col > 2) {
                putc(' ', fp);
                (*col)++;
            }
            *space = false;
        }
        if (c >= 0x80)
            text_decode(s + i, to - i, &n);
        if (on) {
            /* Colour starts at the first visible byte, after any space
             * or line break the wrapping put before it. */
            fputs(on, fp);
            on = NULL;
        }
        if (!wrap) {
            /* Not wrapping: the whole run of printable bytes at once
             * (one stdio call per character was a tenth of a search). */
            size_t j = i + 1;
            while (j < to && (unsigned char)s[j] >= 0x20 && s[j] != 0x7f)
                j++;
            fwrite(s + i, 1, j - i, fp);
            i = j;
            continue;
        }
        fwrite(s + i, 1, n, fp);
        (*col)++;
        i += n;
    }
}

static int
text_hit(brief_printer *p, const brief_hit *h)
{
    FILE *fp = p->fp;
    bool color = p->opts.color;
    const char *doc = h->doc_text;
    size_t at = h->passage.byte_start, end = h->passage.byte_end;
    unsigned col = 2;
    bool space = false;

    if (p->opts.wrap && p->n)
        putc('\n', fp);
    print_path(fp, h->path, color);
    fprintf(fp, color ? ":" COLOR_LINE "%u" COLOR_OFF ":%u:" : ":%u:%u:",
            h->line, h->column);
    if (p->opts.show_score)
        fprintf(fp, " (%.4f)", h->score);
    if (h->stale)
        fputs(" [stale]", fp);
    if ((p->opts.show_score || h->stale) && !p->opts.wrap)
        putc(' ', fp);
    if (p->opts.lines) {
        size_t ls, le;
        print_line_bounds(doc, h->doc_len, h->byte_start, &ls, &le);
        at = ls;
        end = le;
    }
    if (p->opts.wrap)
        fputs("\n  ", fp);
    for (size_t m = 0; m < h->n_matches; m++) {
        size_t ms = h->matches[m].byte_start, me = h->matches[m].byte_end;
        if (ms < at || me > end)
            continue;
        put_span(p, doc, at, ms, &col, &space, NULL);
        put_span(p, doc, ms, me, &col, &space, color ? COLOR_MATCH : NULL);
        if (color)
            fputs(COLOR_OFF, fp);
        at = me;
    }
    put_span(p, doc, at, end, &col, &space, NULL);
    putc('\n', fp);
    return BRIEF_OK;
}

const print_ops print_text_ops = { text_hit, print_figure_line, NULL };
