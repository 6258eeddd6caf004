/*
 * figlist.c: listing figures (brief_figures_*): by unit and value range
 * through the figure index, within the passages of a keyword query, or
 * all of them; filtered by patterns on their text or subject; in document
 * or value order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cite.h"
#include "figquery.h"
#include "figstore.h"
#include "regex.h"
#include "search.h"
#include "writer.h"

typedef struct fentry {
    uint32_t docid, idx;
    figrec r;
    const char *path;        /* stored path, in the map */
    size_t path_len;
} fentry;

struct brief_figures {
    brief_search *s;         /* the transaction, paths, query matching */
    fentry *v;
    size_t n, cap, next;
    figbounds b;
    char explain[200];
    brief_figure fig;
};

static int
add(brief_figures *f, uint32_t docid, uint32_t idx)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        fentry *p = realloc(f->v, cap * sizeof *p);
        if (!p)
            return BRIEF_ENOMEM;
        f->v = p;
        f->cap = cap;
    }
    f->v[f->n].docid = docid;
    f->v[f->n++].idx = idx;
    return BRIEF_OK;
}

static int
found(void *ctx, uint32_t docid, uint32_t idx, double value)
{
    (void)value;
    return add(ctx, docid, idx);
}

/* Every figure of every document. */
static int
all_figures(brief_figures *f, brief_err *e)
{
    store_cursor *cur;
    sval k, v;
    int rc;

    if ((rc = store_cursor_open(f->s->t, DB_FIGURES, &cur, e)))
        return rc;
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        uint32_t n = 0;
        if (k.len != 4 || figstore_count(v.p, v.len, &n))
            rc = err_set(e, BRIEF_ECORRUPT, "figures of a document are "
                         "malformed");
        for (uint32_t i = 0; i < n && !rc; i++)
            rc = add(f, get_u32be(k.p), i);
        if (rc)
            break;
    }
    store_cursor_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

static int
cmp_id(const void *x, const void *y)
{
    const fentry *a = x, *b = y;

    if (a->docid != b->docid)
        return a->docid < b->docid ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Fill each entry's record and path; drop duplicates (a range figure is
 * filed under both ends). */
static int
load(brief_figures *f, brief_err *e)
{
    size_t n = 0;
    figiter it;
    int rc;

    if (f->n > 1)
        qsort(f->v, f->n, sizeof *f->v, cmp_id);
    for (size_t i = 0; i < f->n; i++) {
        fentry *x = &f->v[i];
        unsigned char key[4];
        doc_rec rec;
        sval v;
        if (n && f->v[n - 1].docid == x->docid && f->v[n - 1].idx == x->idx)
            continue;
        put_u32be(key, x->docid);
        if ((rc = store_get(f->s->t, DB_FIGURES, key, 4, &v, e)) ||
            (rc = writer_get_doc(f->s->t, x->docid, &rec, e)))
            return rc == BRIEF_DONE ? err_set(e, BRIEF_ECORRUPT, "figure "
                                              "of missing document %u",
                                              x->docid) : rc;
        /* Sorted by figure: one pass over each document's figures. */
        if (((i == 0 || f->v[i - 1].docid != x->docid) &&
             figiter_init(&it, v.p, v.len)) ||
            figiter_seek(&it, x->idx, &x->r))
            return err_set(e, BRIEF_ECORRUPT, "figures of document %u are "
                           "malformed", x->docid);
        x->path = rec.path;
        x->path_len = rec.path_len;
        f->v[n++] = *x;
    }
    f->n = n;
    return BRIEF_OK;
}

static int
cmp_doc(const void *x, const void *y)
{
    const fentry *a = x, *b = y;
    size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
    int c = memcmp(a->path, b->path, n);

    if (c == 0)
        c = (a->path_len > b->path_len) - (a->path_len < b->path_len);
    if (c == 0)
        c = (a->r.f.start > b->r.f.start) - (a->r.f.start < b->r.f.start);
    return c;
}

static int
cmp_value(const void *x, const void *y)
{
    const fentry *a = x, *b = y;

    if (a->r.f.value != b->r.f.value)
        return a->r.f.value < b->r.f.value ? -1 : 1;
    return cmp_doc(x, y);
}

/* Keep the entries whose passage matches the query. */
static int
keep_matching(brief_figures *f, const char *keywords)
{
    const uint64_t *ids;
    size_t n_ids, n = 0;
    int rc = search_match(f->s, keywords, &ids, &n_ids);

    if (rc)
        return rc;
    for (size_t i = 0; i < f->n; i++) {
        uint64_t id = PID(f->v[i].docid, f->v[i].r.passage);
        size_t lo = 0, hi = n_ids;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ids[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n_ids && ids[lo] == id)
            f->v[n++] = f->v[i];
    }
    f->n = n;
    return BRIEF_OK;
}

/* Keep the entries whose text or subject a pattern matches. */
static int
keep_pattern(brief_figures *f, const brief_figure_opts *o, brief_err *e)
{
    regex *re;
    char msg[200];
    size_t which, off, n = 0;
    int rc = regex_compile(&re, o->patterns, o->n_patterns,
                           (o->caseless ? REGEX_CASELESS : 0) |
                           (o->whole_word ? REGEX_WORD : 0), msg,
                           sizeof msg, &which, &off);

    if (rc == BRIEF_ESYNTAX && o->n_patterns > 1)
        return err_set(e, rc, "regex %zu:1:%zu: %s", which + 1, off + 1,
                       msg);
    if (rc == BRIEF_ESYNTAX)
        return err_set(e, rc, "regex:1:%zu: %s", off + 1, msg);
    if (rc)
        return err_set(e, rc, "out of memory");
    for (size_t i = 0; i < f->n && rc >= 0; i++) {
        fentry *x = &f->v[i];
        sval text;
        size_t ms, me;
        bool hit;
        if ((rc = search_text(f->s, x->docid, &text)))
            break;
        if (x->r.f.end > text.len || x->r.f.subject_end > text.len) {
            rc = err_set(e, BRIEF_ECORRUPT, "a figure lies outside its "
                         "document %u", x->docid);
            break;
        }
        rc = regex_next(re, (const char *)text.p + x->r.f.start,
                        x->r.f.end - x->r.f.start, 0, &ms, &me);
        hit = rc == 1;
        if (!hit && rc == 0 && x->r.f.subject_end > x->r.f.subject_start)
            hit = (rc = regex_next(re, (const char *)text.p +
                                   x->r.f.subject_start,
                                   x->r.f.subject_end -
                                   x->r.f.subject_start, 0, &ms, &me)) == 1;
        if (hit)
            f->v[n++] = *x;
        if (rc == 1 || rc == BRIEF_ELIMIT)
            rc = 0;
    }
    regex_free(re);
    if (rc < 0)
        return rc == BRIEF_ENOMEM ? err_set(e, rc, "out of memory") : rc;
    f->n = n;
    return BRIEF_OK;
}

/* Read --unit, --min and --max into f->b. */
static int
bounds(brief_figures *f, const brief_figure_opts *o, brief_err *e)
{
    char unit[FIG_UNIT_MAX];

    if (o->unit && *o->unit) {
        if (figures_parse_unit(o->unit, strlen(o->unit), unit) != BRIEF_OK)
            return err_set(e, BRIEF_EINVAL, "--unit: '%s' is not a unit "
                           "(try percent, CNY, yuan, USD, year, count)",
                           o->unit);
        snprintf(f->b.unit, sizeof f->b.unit, "%s", unit);
    }
    for (int hi = 0; hi < 2; hi++) {
        const char *s = hi ? o->max : o->min;
        double v;
        if (!s || !*s)
            continue;
        if (figquery_amount(s, strlen(s), &v, unit) != BRIEF_OK)
            return err_set(e, BRIEF_EINVAL, "--%s: cannot read '%s' as an "
                           "amount (e.g. 1e6, 465,000, 3.38 million, 30%%)",
                           hi ? "max" : "min", s);
        if (*unit && !*f->b.unit)
            snprintf(f->b.unit, sizeof f->b.unit, "%s", unit);
        else if (*unit && strcmp(unit, f->b.unit))
            return err_set(e, BRIEF_EINVAL, "--%s %s is in %s, not %s",
                           hi ? "max" : "min", s, unit, f->b.unit);
        if (hi) {
            f->b.has_hi = true;
            f->b.hi = v;
        } else {
            f->b.has_lo = true;
            f->b.lo = v;
        }
    }
    figquery_describe(&f->b, f->explain, sizeof f->explain);
    return BRIEF_OK;
}

int
brief_figures_new(brief_figures **out, brief_index *ix,
                  const brief_figure_opts *opts)
{
    brief_figure_opts none = { 0 };
    const brief_figure_opts *o = opts ? opts : &none;
    brief_figures *f;
    int rc;

    *out = NULL;
    err_clear(&ix->err);
    if (!(f = calloc(1, sizeof *f)) || !(f->s = search_new(ix))) {
        free(f);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if ((rc = bounds(f, o, &ix->err)) ||
        (rc = index_begin(ix, false, &f->s->t)))
        goto fail;
    if (*f->b.unit || f->b.has_lo || f->b.has_hi)
        rc = figquery_scan(f->s->t, &f->b, found, f, &ix->err);
    else
        rc = all_figures(f, &ix->err);
    if (rc == BRIEF_ENOMEM)
        err_set(&ix->err, rc, "out of memory");
    if (rc || (rc = load(f, &ix->err)))
        goto fail;
    if (o->query && *o->query && (rc = keep_matching(f, o->query)))
        goto fail;
    if (o->n_patterns && (rc = keep_pattern(f, o, &ix->err)))
        goto fail;
    if (f->n > 1)
        qsort(f->v, f->n, sizeof *f->v, o->sort_by_value ? cmp_value :
              cmp_doc);
    if (o->limit && f->n > o->limit)
        f->n = o->limit;
    *out = f;
    return BRIEF_OK;
fail:
    brief_figures_free(f);
    return rc;
}

int
brief_figures_next(brief_figures *f, const brief_figure **out)
{
    brief_search *s = f->s;
    brief_figure *g = &f->fig;
    const fentry *x;
    unsigned char key[4];
    sval text, pv;
    doc_rec rec;
    passage p;
    int rc;

    *out = NULL;
    if (f->next >= f->n)
        return BRIEF_DONE;
    x = &f->v[f->next++];
    put_u32be(key, x->docid);
    if ((rc = search_text(s, x->docid, &text)) ||
        (rc = store_get(s->t, DB_PASSAGES, key, 4, &pv, &s->ix->err)) ||
        (rc = writer_get_doc(s->t, x->docid, &rec, &s->ix->err)))
        return rc == BRIEF_DONE ? BRIEF_ECORRUPT : rc;
    if (cite_passage(pv.p, pv.len, x->r.passage, text.len, &p) ||
        x->r.f.end > text.len || x->r.f.subject_end > text.len ||
        x->r.f.start < p.line_begin)
        return err_set(&s->ix->err, BRIEF_ECORRUPT, "figure %u of document "
                       "%u is out of place", x->idx, x->docid);
    if ((rc = search_set_path(s, x->path, x->path_len)))
        return rc;
    memset(g, 0, sizeof *g);
    g->path = s->path;
    g->abs_path = s->abs_path;
    {
        brief_match m;
        m.byte_start = x->r.f.start;
        m.byte_end = x->r.f.end;
        cite_match_set(&m, (const char *)text.p, &p, &s->memo);
        g->line = m.line;
        g->column = m.column;
        g->column_char = m.column_char;
        g->column_utf16 = m.column_utf16;
        g->end_line = m.end_line;
        g->end_column = m.end_column;
        g->end_column_char = m.end_column_char;
        g->end_column_utf16 = m.end_column_utf16;
    }
    g->byte_start = x->r.f.start;
    g->byte_end = x->r.f.end;
    g->value = x->r.f.value;
    g->value_high = x->r.f.value_high;
    g->is_range = x->r.f.is_range;
    g->unit = x->r.f.unit;
    g->qualifier = figures_qualifier_name(x->r.f.qualifier);
    g->text = (const char *)text.p + x->r.f.start;
    g->text_len = x->r.f.end - x->r.f.start;
    if (x->r.f.subject_end > x->r.f.subject_start) {
        g->subject = (const char *)text.p + x->r.f.subject_start;
        g->subject_len = x->r.f.subject_end - x->r.f.subject_start;
    }
    g->stale = search_stale(s, rec.stamp.size, rec.stamp.mtime_ns);
    g->docid = x->docid;
    g->passage.line_start = p.line_start;
    g->passage.line_end = p.line_end;
    g->passage.byte_start = p.byte_start;
    g->passage.byte_end = p.byte_end;
    g->passage.text = (const char *)text.p + p.byte_start;
    g->passage.text_len = p.byte_end - p.byte_start;
    g->doc_text = (const char *)text.p;
    g->doc_len = text.len;
    *out = g;
    return BRIEF_OK;
}

const char *
brief_figures_explain(const brief_figures *f)
{
    return f->explain;
}

void
brief_figures_free(brief_figures *f)
{
    if (!f)
        return;
    brief_search_free(f->s);
    free(f->v);
    free(f);
}
