/*
 * search.c: keyword searches (brief_search_*): parse, evaluate, score
 * every matching passage with BM25, keep the top k, and turn each into a
 * cited hit on demand.  One read transaction spans the search, so hits
 * point straight into LMDB's map.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cite.h"
#include "path.h"
#include "search.h"
#include "writer.h"

#define DEFAULT_LIMIT 10



/* The passages record of docid (passage_rec_get reads it). */
static int
get_passages(brief_search *s, uint32_t docid, sval *v)
{
    unsigned char key[4];
    int rc;

    put_u32be(key, docid);
    rc = store_get(s->t, DB_PASSAGES, key, 4, v, &s->ix->err);
    if (rc == BRIEF_DONE)
        rc = err_set(&s->ix->err, BRIEF_ECORRUPT, "document %u has no "
                     "passages record", docid);
    return rc;
}

/* Step the cursor forward this many records at most before seeking.  A
 * step cost 230 instructions and a seek 1,070 (callgrind, `people` on
 * large/, the first search of a process); stepping up to 2 made that
 * search's whole process 11 % fewer instructions than up to 8 did. */
#define MAX_STEPS 2

static int
no_plens(brief_search *s, uint32_t docid)
{
    return err_set(&s->ix->err, BRIEF_ECORRUPT, "document %u has no passage "
                   "lengths record", docid);
}

/* The plens record of docid through cursor cur, which stands on the
 * record of prev (0: none yet).  The documents of a result ascend, so
 * near ones are reached by stepping. */
static int
seek_plens(brief_search *s, store_cursor *cur, uint32_t prev,
           uint32_t docid, sval *v)
{
    unsigned char key[4];
    sval k = { NULL, 0 };
    int rc = BRIEF_DONE;

    put_u32be(key, docid);
    if (prev && docid - prev <= MAX_STEPS) {
        do
            rc = store_cursor_next(cur, &k, v);
        while (rc == BRIEF_OK && k.len == 4 && memcmp(k.p, key, 4) < 0);
    }
    if (rc == BRIEF_DONE)
        rc = store_cursor_seek(cur, key, 4, &k, v);
    if (rc == BRIEF_OK && (k.len != 4 || memcmp(k.p, key, 4) != 0))
        rc = BRIEF_DONE;
    return rc == BRIEF_DONE ? no_plens(s, docid) : rc;
}

/* The plens record of docid: from the handle's cache (cur NULL), else
 * through cur as seek_plens() does. */
static int
plens_of(brief_search *s, store_cursor *cur, uint32_t prev, uint32_t docid,
         sval *v)
{
    if (!cur)
        return plcache_get(&s->ix->plens, docid, v) ? BRIEF_OK
                                                    : no_plens(s, docid);
    return seek_plens(s, cur, prev, docid, v);
}

/* Smallest index >= from in ids[0..n) whose id >= want (galloping). */
static size_t
gallop(const uint64_t *ids, size_t n, size_t from, uint64_t want)
{
    size_t step = 1, lo = from, hi;

    while (from + step < n && ids[from + step] < want) {
        lo = from + step;
        step *= 2;
    }
    hi = from + step < n ? from + step + 1 : n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The stored path of docid, through a small cache: ties compare the
 * same few documents (the worst kept one above all) again and again. */
static int
doc_path(brief_search *s, uint32_t docid, sval *path)
{
    path_slot *e = &s->paths[docid % SEARCH_PATH_SLOTS];
    doc_rec r;

    if (e->path && e->docid == docid) {
        *path = (sval){ (const unsigned char *)e->path, e->len };
        return 0;
    }
    if (writer_get_doc(s->t, docid, &r, NULL))
        return -1;
    *e = (path_slot){ docid, r.path, r.path_len };
    *path = (sval){ (const unsigned char *)r.path, r.path_len };
    return 0;
}

/* Document order for ties: by stored path, then passage.  The ranks of
 * the paths when the handle holds them (plcache.h), else the paths, which
 * point into the map and stay valid for the transaction. */
static int
doc_order(void *ctx, uint64_t a, uint64_t b)
{
    brief_search *s = ctx;
    sval pa, pb;
    uint32_t ra, rb;
    int c;

    if (PID_DOC(a) != PID_DOC(b) && s->ranked &&
        plcache_rank(&s->ix->plens, PID_DOC(a), &ra) &&
        plcache_rank(&s->ix->plens, PID_DOC(b), &rb))
        return ra < rb ? -1 : 1;
    if (PID_DOC(a) == PID_DOC(b) || doc_path(s, PID_DOC(a), &pa) ||
        doc_path(s, PID_DOC(b), &pb))
        return a < b ? -1 : a > b;
    c = memcmp(pa.p, pb.p, pa.len < pb.len ? pa.len : pb.len);
    if (c == 0)
        c = (pa.len > pb.len) - (pa.len < pb.len);
    return c;
}

/* A scoring leaf as score() walks it: its list, its idf, and the first
 * entry not yet passed. */
typedef struct scorer {
    const plist *l;
    double idf;
    size_t at;
} scorer;

/* Score every matching passage and keep the best, in one walk over
 * ids[] by document: each passage's token count comes from plens (a tree
 * a tenth the size of passages, so that a common word's thousand
 * documents touch a few dozen pages, not a thousand; or, from a handle's
 * second search of a snapshot on, its copy in memory: plcache.h), and
 * each scoring leaf's list is followed by a cursor of its own.  No array
 * the size of the result is made: a whole process pays for every fresh
 * page it touches (bench/PROFILE.md).  A passage's BM25 terms are added
 * in the leaves' order, from 0. */
static int
score(brief_search *s, const uint64_t *ids, size_t n, size_t limit)
{
    brief_index *ix = s->ix;
    uint64_t n_pass, n_tok;
    store_cursor *cur = NULL;
    scorer *sc = NULL;
    size_t n_leaves, k = 0;
    double avg;
    eleaf *leaves;
    int rc;

    if ((rc = store_meta_get(s->t, "passages", &n_pass, &ix->err)) ||
        (rc = store_meta_get(s->t, "tokens", &n_tok, &ix->err)))
        return rc;
    avg = n_pass ? (double)n_tok / (double)n_pass : 1.0;
    leaves = eval_leaves(s->ev, &n_leaves);
    sc = malloc((n_leaves + 1) * sizeof *sc);
    if (!sc ||
        topk_init(&s->top, limit < n ? limit : n, doc_order, s)) {
        rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t L = 0; L < n_leaves; L++)
        if (leaves[L].scoring)
            sc[k++] = (scorer){ &leaves[L].list,
                                rank_idf(n_pass, leaves[L].list.n), 0 };
    s->ranked = plcache_ready(&ix->plens, s->t);
    if (!s->ranked &&
        (rc = store_cursor_open(s->t, DB_PLENS, &cur, &ix->err)))
        goto out;
    for (size_t i = 0, prev = 0; i < n && !rc;) {
        uint32_t doc = PID_DOC(ids[i]);
        size_t width;
        sval v;
        if ((rc = plens_of(s, cur, (uint32_t)prev, doc, &v)))
            break;
        prev = doc;
        width = v.len ? v.p[0] : 0;
        for (; i < n && PID_DOC(ids[i]) == doc; i++) {
            size_t off = 1 + (size_t)PID_PASS(ids[i]) * width;
            uint32_t len;
            double total = 0;
            if ((width != 2 && width != 4) || off + width > v.len) {
                rc = err_set(&ix->err, BRIEF_ECORRUPT, "document %u has "
                             "no passage %u", doc, PID_PASS(ids[i]));
                break;
            }
            len = width == 2 ? (uint32_t)(v.p[off] | v.p[off + 1] << 8)
                             : get_u32le(v.p + off);
            for (scorer *c = sc; c < sc + k; c++) {
                const plist *l = c->l;
                if (c->at < l->n && l->ids[c->at] < ids[i])
                    c->at = gallop(l->ids, l->n, c->at, ids[i]);
                /* Past a match: the next passage sought is beyond it. */
                if (c->at < l->n && l->ids[c->at] == ids[i])
                    total += rank_bm25(c->idf, l->tf[c->at++], len, avg);
            }
            if (topk_admits(&s->top, total))
                topk_push(&s->top, ids[i], total);
        }
    }
    if (!rc)
        topk_sort(&s->top);
out:
    store_cursor_close(cur);
    free(sc);
    return rc;
}

static void
explain(brief_search *s)
{
    char tree[4096];
    eleaf *leaves;
    size_t n;
    int rc = 0;

    query_format(query_root(s->q), tree, sizeof tree);
    buf_printf(&rc, &s->explain, "query: %s\n", tree);
    leaves = eval_leaves(s->ev, &n);
    for (size_t i = 0; i < n; i++) {
        const eleaf *l = &leaves[i];
        const qnode *q = l->q;
        buf_printf(&rc, &s->explain, "  %-6s %.*s -> %s: %zu passages%s\n",
                   q->kind == Q_PHRASE ? "phrase" : q->kind == Q_PREFIX ?
                   "prefix" : q->kind == Q_PATH ? "path" :
                   q->kind == Q_FIG ? "figure" : q->kind == Q_RE ? "regex" :
                   "word",
                   (int)q->len, s->text + q->offset,
                   l->describe ? l->describe : "", l->list.n,
                   l->scoring ? "" : l->q->kind == Q_PATH ? " (filter)" :
                   " (excluded)");
        if (l->n_words) {
            buf_printf(&rc, &s->explain, "    words:");
            for (size_t w = 0; w < l->n_words && w < 50; w++)
                buf_printf(&rc, &s->explain, " %s", l->words[w]);
            buf_printf(&rc, &s->explain, "%s\n",
                       l->n_words > 50 ? " ..." : "");
        }
    }
    buf_printf(&rc, &s->explain, "matched %llu passages\n",
               (unsigned long long)s->count);
}

int
search_match(brief_search *s, const char *query_text, const uint64_t **ids,
             size_t *n)
{
    brief_index *ix = s->ix;
    char msg[256];
    size_t off;
    int rc;

    rc = query_parse(query_text, strlen(query_text), &s->q, msg, sizeof msg,
                     &off);
    if (rc == BRIEF_ESYNTAX) {
        err_set(&ix->err, rc, "query:1:%zu: %s", off + 1, msg);
        ix->err.offset = (long)off;
        return rc;
    }
    if (rc)
        return err_set(&ix->err, rc, "out of memory");
    if ((rc = eval_compile(&s->ev, ix, s->t, s->q)) ||
        (rc = eval_run(s->ev, ids, n)))
        return rc;
    s->count = *n;
    return BRIEF_OK;
}

int
brief_search_new(brief_search **out, brief_index *ix, const char *query_text,
                 const brief_search_opts *opts)
{
    brief_search *s;
    const uint64_t *ids;
    size_t n, limit = opts && opts->limit ? opts->limit : DEFAULT_LIMIT;
    int rc;

    *out = NULL;
    err_clear(&ix->err);
    if (!(s = search_new(ix)))
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    if (!(s->text = strdup(query_text))) {
        free(s);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if ((rc = index_begin(ix, false, &s->t)) ||
        (rc = search_match(s, query_text, &ids, &n)) ||
        (rc = score(s, ids, n, limit)))
        goto fail;
    s->explain_pending = true;
    *out = s;
    return BRIEF_OK;
fail:
    brief_search_free(s);
    return rc;
}

brief_search *
search_new(brief_index *ix)
{
    /* Not calloc(): cwd is most of the struct, and getcwd() fills it. */
    brief_search *s = malloc(sizeof *s);

    if (!s)
        return NULL;
    memset(s, 0, offsetof(brief_search, cwd));
    s->ix = ix;
    if (!getcwd(s->cwd, sizeof s->cwd))
        s->cwd[0] = '\0';
    if (!ix->stale)
        ix->stale = stalecache_new();       /* NULL: stat() every time */
    stalecache_sync(ix->stale);
    return s;
}

bool
search_stale(brief_search *s, uint64_t size, int64_t mtime_ns)
{
    return stalecache_stale(s->ix->stale, s->abs_path, size, mtime_ns);
}

int
search_set_path(brief_search *s, const char *stored, size_t len)
{
    free(s->path);
    free(s->abs_path);
    s->path = NULL;
    s->abs_path = index_abs_path(s->ix, stored, len);
    if (!s->abs_path || !(s->path = path_display(s->abs_path, s->cwd)))
        return err_set(&s->ix->err, BRIEF_ENOMEM, "out of memory");
    return BRIEF_OK;
}

int
search_text(brief_search *s, uint32_t docid, sval *out)
{
    if (!s->texts.t)
        textreader_init(&s->texts, s->t);
    return textreader_get(&s->texts, docid, out, &s->ix->err);
}

/* Whether the document doc (its record rec, its path in s->abs_path) has
 * changed since it was indexed: asked of the file system at its first
 * hit, then read from s->stales. */
static bool
doc_stale(brief_search *s, uint32_t doc, const doc_rec *rec)
{
    stale_slot *e = &s->stales[doc % SEARCH_PATH_SLOTS];

    if (!e->set || e->docid != doc)
        *e = (stale_slot){ doc, true, search_stale(s, rec->stamp.size,
                                                   rec->stamp.mtime_ns) };
    return e->stale;
}

/* Fill s->hit for the passage id. */
static int
make_hit(brief_search *s, uint64_t id, double sc)
{
    brief_index *ix = s->ix;
    uint32_t doc = PID_DOC(id);
    doc_rec rec;
    sval text, pv;
    passage p;
    eleaf *leaves;
    size_t n_leaves, n_matches;
    brief_hit *h = &s->hit;
    int rc;

    if ((rc = writer_get_doc(s->t, doc, &rec, &ix->err)) ||
        (rc = search_text(s, doc, &text)) ||
        (rc = get_passages(s, doc, &pv)))
        return rc == BRIEF_DONE ? err_set(&ix->err, BRIEF_ECORRUPT,
                                          "document %u is incomplete", doc)
                                : rc;
    if (cite_passage(pv.p, pv.len, PID_PASS(id), text.len, &p))
        return err_set(&ix->err, BRIEF_ECORRUPT, "document %u: passage %u "
                       "is malformed", doc, PID_PASS(id));
    if ((rc = search_set_path(s, rec.path, rec.path_len)))
        return rc;
    leaves = eval_leaves(s->ev, &n_leaves);
    if (cite_matches(ix->tok, leaves, n_leaves, id, (const char *)text.p,
                     text.len, &p, &s->memo, &s->matches, &n_matches,
                     &s->cap_matches))
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    memset(h, 0, sizeof *h);
    h->path = s->path;
    h->abs_path = s->abs_path;
    h->score = sc;
    h->docid = doc;
    h->stale = doc_stale(s, doc, &rec);
    h->passage.line_start = p.line_start;
    h->passage.line_end = p.line_end;
    h->passage.byte_start = p.byte_start;
    h->passage.byte_end = p.byte_end;
    h->passage.text = (const char *)text.p + p.byte_start;
    h->passage.text_len = p.byte_end - p.byte_start;
    h->matches = s->matches;
    h->n_matches = n_matches;
    h->doc_text = (const char *)text.p;
    h->doc_len = text.len;
    cite_hit_from_matches(h, (const char *)text.p, &p, &s->memo);
    return BRIEF_OK;
}

int
brief_search_next(brief_search *s, const brief_hit **hit)
{
    int rc;

    *hit = NULL;
    if (s->g)
        return grep_next(s, hit);
    if (s->next >= s->top.n)
        return BRIEF_DONE;
    rc = make_hit(s, s->top.heap[s->next].id, s->top.heap[s->next].score);
    s->next++;
    if (rc)
        return rc;
    *hit = &s->hit;
    return BRIEF_OK;
}

int
brief_search_status(const brief_search *s)
{
    return s->status;
}

uint64_t
brief_search_count(const brief_search *s)
{
    return s->count;
}

const char *
brief_search_explain(const brief_search *s)
{
    if (s->explain_pending) {
        /* Written on the first request: most searches never ask, and
         * formatting it was a tenth of a short search. */
        brief_search *w = (brief_search *)(uintptr_t)s;
        w->explain_pending = false;
        explain(w);
    }
    return s->explain.data ? (const char *)s->explain.data : "";
}

void
brief_search_free(brief_search *s)
{
    if (!s)
        return;
    grep_free(s->g);
    eval_free(s->ev);
    query_free(s->q);
    textreader_close(&s->texts);
    store_abort(s->t);
    topk_free(&s->top);
    free(s->matches);
    cite_memo_free(&s->memo);
    free(s->path);
    free(s->abs_path);
    buf_free(&s->explain);
    free(s->text);
    free(s);
}
