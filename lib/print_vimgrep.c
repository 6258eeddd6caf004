/*
 * print_vimgrep.c: one line per match, `path:line:col:text of that line`,
 * as ripgrep's --vimgrep prints it; Vim's default 'grepformat' and Emacs's
 * grep-mode read it without configuration.
 */
#include "print.h"

static int
vimgrep_hit(brief_printer *p, const brief_hit *h)
{
    FILE *fp = p->fp;
    bool color = p->opts.color;
    size_t n = h->n_matches ? h->n_matches : 1;

    for (size_t m = 0; m < n; m++) {
        const brief_match *mt = h->n_matches ? &h->matches[m] : NULL;
        size_t off = mt ? mt->byte_start : h->byte_start, s, e;
        print_line_bounds(h->doc_text, h->doc_len, off, &s, &e);
        print_path(fp, h->path, color);
        fprintf(fp, ":%u:%u:", mt ? mt->line : h->line,
                mt ? mt->column : h->column);
        for (size_t i = s; i < e; i++) {
            unsigned char c = (unsigned char)h->doc_text[i];
            if (color && mt && i == mt->byte_start)
                fputs(COLOR_MATCH, fp);
            putc(c < 0x20 && c != '\t' ? ' ' : c, fp);
            if (color && mt && i + 1 == mt->byte_end)
                fputs(COLOR_OFF, fp);
        }
        putc('\n', fp);
    }
    return BRIEF_OK;
}

const print_ops print_vimgrep_ops = {
    vimgrep_hit, print_figure_line, NULL
};
