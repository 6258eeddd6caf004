/*
 * eval_figre.c: the fig: and re: leaves of a query.  fig:BOUNDS looks the
 * figures within the bounds up in the figure index; re:/PATTERN/ runs
 * PCRE2 over the stored text of the documents the trigram index keeps.
 * Either way the leaf's list holds the passages hit, at the positions of
 * the words the figure or the match covers.  The rest of the evaluator is
 * in eval.c.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cite.h"
#include "eval_int.h"
#include "figquery.h"
#include "figstore.h"
#include "regex.h"
#include "textstore.h"
#include "trigindex.h"

/* A passage position hit by a fig: or re: leaf, before sorting. */
typedef struct hitpos {
    uint64_t id;
    uint32_t pos;
} hitpos;

typedef struct hits {
    hitpos *v;
    size_t n, cap;
} hits;

static int
hits_add(hits *h, uint64_t id, uint32_t pos)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        hitpos *p = realloc(h->v, cap * sizeof *p);
        if (!p)
            return -1;
        h->v = p;
        h->cap = cap;
    }
    h->v[h->n].id = id;
    h->v[h->n++].pos = pos;
    return 0;
}

static int
cmp_hitpos(const void *x, const void *y)
{
    const hitpos *a = x, *b = y;

    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Turn hits into the leaf's list: sorted, positions merged, duplicates
 * dropped.  A position of UINT32_MAX marks a passage hit with no word. */
static int
hits_to_list(hits *h, plist *out)
{
    ppos pos[4096];

    if (h->n > 1)
        qsort(h->v, h->n, sizeof *h->v, cmp_hitpos);
    for (size_t i = 0; i < h->n;) {
        uint64_t id = h->v[i].id;
        uint32_t n = 0;
        for (; i < h->n && h->v[i].id == id; i++)
            if (h->v[i].pos != UINT32_MAX && n < 4096 &&
                (n == 0 || pos[n - 1] != h->v[i].pos))
                pos[n++] = (ppos)h->v[i].pos;
        if (plist_push(out, id, pos, n))
            return -1;
    }
    return 0;
}

/* figquery_scan() callback: collect the figures found, each as
 * docid << 32 | figure index. */
typedef struct figscan {
    uint64_t *v;
    size_t n, cap;
} figscan;

static int
fig_found(void *ctx, uint32_t docid, uint32_t idx, double value)
{
    figscan *fs = ctx;

    (void)value;
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 256;
        uint64_t *v = realloc(fs->v, cap * sizeof *v);
        if (!v)
            return BRIEF_ENOMEM;
        fs->v = v;
        fs->cap = cap;
    }
    fs->v[fs->n++] = (uint64_t)docid << 32 | idx;
    return 0;
}

static int
cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return (a > b) - (a < b);
}

/* The record of figure fs->v[i], read on from *it when the previous
 * figure was of the same document. */
static int
fig_record(eval *ev, const figscan *fs, size_t i, figiter *it, figrec *r)
{
    uint32_t docid = (uint32_t)(fs->v[i] >> 32);
    unsigned char key[4];
    sval v;
    int rc;

    if (i == 0 || fs->v[i - 1] >> 32 != docid) {
        put_u32be(key, docid);
        rc = store_get(ev->t, DB_FIGURES, key, 4, &v, &ev->ix->err);
        if (rc == BRIEF_DONE || (!rc && figiter_init(it, v.p, v.len)))
            rc = BRIEF_ECORRUPT;
        if (rc)
            return rc;
    }
    return figiter_seek(it, (uint32_t)fs->v[i], r) ? BRIEF_ECORRUPT : 0;
}

/* fig:BOUNDS: the passages of the figures within the bounds, at the
 * positions of their words. */
int
eval_figre_compile_fig(eval *ev, eleaf *l)
{
    figbounds b;
    figscan fs = { NULL, 0, 0 };
    figiter it;
    hits h = { NULL, 0, 0 };
    char msg[200];
    int rc;

    l->any_word = true;
    if (figquery_parse(l->q->text, strlen(l->q->text), &b, msg,
                       sizeof msg)) {
        ev->ix->err.offset = (long)l->q->offset;
        return err_set(&ev->ix->err, BRIEF_ESYNTAX, "query:1:%zu: %s",
                       l->q->offset + 1, msg);
    }
    rc = figquery_scan(ev->t, &b, fig_found, &fs, &ev->ix->err);
    if (!rc && fs.n > 1)        /* by document: one pass over each */
        qsort(fs.v, fs.n, sizeof *fs.v, cmp_u64);
    for (size_t i = 0; i < fs.n && !rc; i++) {
        uint32_t docid = (uint32_t)(fs.v[i] >> 32);
        figrec r;
        if (fig_record(ev, &fs, i, &it, &r)) {
            rc = err_set(&ev->ix->err, BRIEF_ECORRUPT, "figures of "
                         "document %u are malformed", docid);
            break;
        }
        if (r.n_pos == 0 && hits_add(&h, PID(docid, r.passage),
                                     UINT32_MAX))
            rc = eval_oom(ev);
        for (uint32_t k = 0; k < r.n_pos && !rc; k++)
            if (hits_add(&h, PID(docid, r.passage), r.pos + k))
                rc = eval_oom(ev);
    }
    if (!rc && hits_to_list(&h, &l->list))
        rc = eval_oom(ev);
    if (!rc) {
        char d[160];
        figquery_describe(&b, d, sizeof d);
        if (!(l->describe = strdup(d)))
            rc = eval_oom(ev);
    }
    free(fs.v);
    free(h.v);
    return rc;
}

/* The positions of the tokens of passage p (id) that overlap the matches
 * [ms[i], me[i]) (byte offsets in text). */
static int
re_positions(eval *ev, hits *h, uint64_t id, const char *text,
             const passage *p, const size_t *ms, const size_t *me,
             size_t n)
{
    tokenizer *tk = ev->ix->tok;
    token tok;
    size_t j = 0, before = h->n;

    tokenizer_reset(tk, text + p->byte_start, p->byte_end - p->byte_start,
                    0);
    while (j < n && tokenizer_next(tk, &tok)) {
        size_t ts = p->byte_start + tok.start, te = p->byte_start + tok.end;
        while (j < n && me[j] <= ts && ms[j] != me[j])
            j++;
        if (j < n && ts < me[j] && ms[j] < te && hits_add(h, id, tok.pos))
            return -1;
    }
    if (h->n == before && hits_add(h, id, UINT32_MAX))
        return -1;
    return 0;
}

/* The next document to scan for re:: from the trigram candidates when
 * there are some, else every stored text in docid order. */
static int
next_doc(textreader *tr, const uint32_t *cand, size_t n_cand, bool all,
         size_t *at, uint32_t *docid, sval *v, brief_err *e)
{
    int rc;

    if (all)
        return textreader_next(tr, docid, v, e);
    if (*at >= n_cand)
        return BRIEF_DONE;
    *docid = cand[(*at)++];
    rc = textreader_get(tr, *docid, v, e);
    return rc == BRIEF_DONE ? BRIEF_ECORRUPT : rc;
}

/* re:/PATTERN/: the passages whose text the pattern matches, at the
 * positions of the words it touches.  Only the documents the trigram
 * index lets through are scanned. */
int
eval_figre_compile_re(eval *ev, eleaf *l)
{
    const char *pat = l->q->text;
    regex *re;
    textreader tr;
    hits h = { NULL, 0, 0 };
    size_t *ms = NULL, *me = NULL, cap = 0, which, off, at = 0, n_cand = 0;
    uint32_t *cand = NULL, docid;
    bool all = true;
    tq *q;
    char msg[200];
    sval v;
    int rc;

    l->any_word = true;
    textreader_init(&tr, ev->t);
    rc = regex_compile(&re, &pat, 1, l->q->k ? REGEX_CASELESS : 0, msg,
                       sizeof msg, &which, &off);
    if (rc == BRIEF_ESYNTAX) {
        ev->ix->err.offset = (long)l->q->offset;
        return err_set(&ev->ix->err, rc, "query:1:%zu: re: %s (at "
                       "pattern byte %zu)", l->q->offset + 1, msg, off + 1);
    }
    if (rc)
        return eval_oom(ev);
    if (!(q = trigram_analyze(pat, l->q->k))) {
        rc = eval_oom(ev);
        goto out;
    }
    rc = trigindex_eval_docs(ev->t, q, &cand, &n_cand, &all, &ev->ix->err);
    tq_free(q);
    if (rc)
        goto out;
    while ((rc = next_doc(&tr, cand, n_cand, all, &at, &docid, &v,
                          &ev->ix->err)) == BRIEF_OK) {
        const char *text = (const char *)v.p;
        unsigned char key[4];
        size_t pos = 0, n = 0, s, e, pi = 0, first;
        sval pv;
        int m;
        while ((m = regex_next(re, text, v.len, pos, &s, &e)) == 1) {
            if (n == cap) {
                size_t c = cap ? cap * 2 : 64;
                size_t *a = realloc(ms, c * sizeof *a);
                size_t *b = a ? realloc(me, c * sizeof *b) : NULL;
                if (a)
                    ms = a;
                if (!b) {
                    rc = BRIEF_ENOMEM;
                    break;
                }
                me = b;
                cap = c;
            }
            ms[n] = s;
            me[n++] = e;
            pos = e > s ? e : e + 1;
        }
        if (rc)
            break;
        if (m < 0) {
            rc = m == BRIEF_ELIMIT ? err_set(&ev->ix->err, m, "query:1:%zu: "
                                             "re:/%s/ hit PCRE2's match "
                                             "limit", l->q->offset + 1, pat)
                                   : BRIEF_ENOMEM;
            break;
        }
        if (n == 0)
            continue;
        put_u32be(key, docid);
        if ((rc = store_get(ev->t, DB_PASSAGES, key, 4, &pv, &ev->ix->err)))
            break;
        /* Group the matches by passage. */
        for (size_t i = 0; i < n;) {
            passage p;
            while (!cite_passage(pv.p, pv.len, (uint32_t)pi + 1, v.len, &p) &&
                   p.byte_start <= ms[i])
                pi++;
            if (cite_passage(pv.p, pv.len, (uint32_t)pi, v.len, &p)) {
                rc = BRIEF_ECORRUPT;
                break;
            }
            first = i;
            while (i < n && ms[i] < p.byte_end)
                i++;
            if (i == first) {
                i++;            /* between passages: no passage to hit */
                continue;
            }
            if (re_positions(ev, &h, PID(docid, pi), text, &p, ms + first,
                             me + first, i - first)) {
                rc = BRIEF_ENOMEM;
                break;
            }
        }
        if (rc)
            break;
    }
    if (rc == BRIEF_DONE)
        rc = BRIEF_OK;
    if (!rc && hits_to_list(&h, &l->list))
        rc = BRIEF_ENOMEM;
    if (rc == BRIEF_ENOMEM)
        rc = eval_oom(ev);
    else if (rc == BRIEF_ECORRUPT)
        rc = err_set(&ev->ix->err, rc, "stored text or passages are "
                     "malformed");
    if (!rc && !(l->describe = strdup(l->q->k ? "regex, caseless" :
                                      "regex")))
        rc = eval_oom(ev);
out:
    textreader_close(&tr);
    if (rc)
        regex_free(re);
    else
        l->re = re;
    free(cand);
    free(ms);
    free(me);
    free(h.v);
    return rc;
}
