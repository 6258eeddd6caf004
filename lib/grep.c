/*
 * grep.c: regex searches (brief_regex_new).  Documents are visited in
 * path order, each over the zones of its stored text that the trigram
 * index says may hold a match (trigram.h: a match within a line lies in
 * its line's zone), over its whole text (-U, where a match may cross
 * lines, or a pattern the index cannot narrow), or over the passages
 * that match the keyword query; matches are grouped into one hit per
 * line (or per passage) and cited like keyword hits.  Each text is
 * copied out of data.mdb with pread() rather than read through LMDB's
 * map (textreader_copying()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cite.h"
#include "gscan.h"
#include "print.h"
#include "regex.h"
#include "search.h"
#include "text.h"
#include "trigindex.h"
#include "writer.h"

/* A document to scan: its id and, with a keyword query, the passages,
 * or the zones that may hold a match. */
typedef struct gdoc {
    uint32_t docid;
    const char *path;        /* in the map, for sorting */
    size_t path_len;
    size_t first, n;         /* its passage ids in grep.pids, or its zones
                              * (ascending) in grep.zones */
    bool has_rec;            /* rec read already (not by all_docs) */
    doc_rec rec;
} gdoc;

struct grep {
    regex *re;
    brief_regex_opts opts;
    gdoc *docs;
    size_t n_docs, cur;      /* cur: the document being scanned */
    uint64_t *pids;          /* matching passages, with a query */
    uint32_t *zones;         /* the documents' zones to scan, or NULL */
    size_t zone_bytes;       /* the index's */
    size_t *zr;              /* the current document's: byte ranges */
    size_t n_zr, cap_zr;
    bool loaded;
    const char *text;        /* the current document */
    size_t len;
    const unsigned char *prec;   /* its passages record */
    size_t prec_len;
    doc_rec rec;
    size_t range, range_end, pos;    /* range: index into the doc's pids */
    bool pending;            /* a match found but not yet returned */
    bool has_last;           /* last_ms: start of the last match returned */
    size_t last_ms;
    size_t pend_s, pend_e;
    size_t emitted;          /* matches returned so far */
    size_t path_of;          /* cur + 1 of the document s->path names */
    size_t rec_of;           /* cur + 1 of the document rec holds */
    bool stale;              /* that document's */
    store_txn *t;            /* the search's, for the helpers' readers */
    gscan *scan;             /* the helper threads (gscan.h), or NULL */
    bool have_first;         /* a helper found the current document's */
    size_t first_s, first_e; /* first match */
};

static int
cmp_gdoc(const void *x, const void *y)
{
    const gdoc *a = x, *b = y;
    size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
    int c = memcmp(a->path, b->path, n);

    return c ? c : (a->path_len > b->path_len) - (a->path_len < b->path_len);
}

/* Sort g->docs by path.  The indexer numbers the files of a walk in path
 * order, so documents in docid order (as the trigram index and keyword
 * queries give them) mostly are in path order already: one pass to see
 * that costs a tenth of the sort (1,721 documents for r03). */
static void
sort_by_path(grep *g)
{
    for (size_t i = 1; i < g->n_docs; i++)
        if (cmp_gdoc(&g->docs[i - 1], &g->docs[i]) > 0) {
            qsort(g->docs, g->n_docs, sizeof *g->docs, cmp_gdoc);
            return;
        }
}

/* Every document, in path order (the paths database is keyed by path). */
static int
all_docs(brief_search *s, grep *g)
{
    store_cursor *cur;
    sval k, v;
    size_t cap = 0;
    int rc;

    if ((rc = store_cursor_open(s->t, DB_PATHS, &cur, &s->ix->err)))
        return rc;
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        if (v.len != 4)
            continue;
        if (g->n_docs == cap) {
            gdoc *p = realloc(g->docs, (cap = cap ? cap * 2 : 256) *
                              sizeof *p);
            if (!p) {
                rc = BRIEF_ENOMEM;
                break;
            }
            g->docs = p;
        }
        g->docs[g->n_docs].docid = get_u32be(v.p);
        g->docs[g->n_docs].n = 0;
        g->docs[g->n_docs].has_rec = false;
        g->n_docs++;
    }
    store_cursor_close(cur);
    if (rc == BRIEF_ENOMEM)
        return err_set(&s->ix->err, rc, "out of memory");
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* The zones the trigram index says can hold a match (trigindex.h):
 * sorted ids, or *all when the patterns need no trigram; with -U, every
 * zone of a document whose zones together can.  The query goes to
 * --explain. */
static int
candidates(brief_search *s, grep *g, const char *const *patterns, size_t n,
           uint32_t **ids, size_t *n_ids, bool *all)
{
    tq *q = trigram_analyze_any(patterns, n, g->opts.caseless);
    char text[4096];
    int rc, brc = 0;

    *ids = NULL;
    *n_ids = 0;
    *all = true;
    if (!q)
        return err_set(&s->ix->err, BRIEF_ENOMEM, "out of memory");
    tq_format(q, text, sizeof text);
    rc = trigindex_eval_zones(s->t, q, g->opts.multiline, ids, n_ids, all,
                              &s->ix->err);
    tq_free(q);
    buf_printf(&brc, &s->explain, "trigrams: %s\n", text);
    return rc ? rc : brc ? err_set(&s->ix->err, BRIEF_ENOMEM,
                                   "out of memory") : BRIEF_OK;
}

/* Keep the documents of g->docs that are among docs[0..n) (sorted). */
static void
keep_candidates(grep *g, const uint32_t *docs, size_t n)
{
    size_t kept = 0;

    for (size_t i = 0; i < g->n_docs; i++) {
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (docs[mid] < g->docs[i].docid)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && docs[lo] == g->docs[i].docid)
            g->docs[kept++] = g->docs[i];
    }
    g->n_docs = kept;
}

/* The documents of the zones ids[0..n) (sorted) into g->docs, each
 * once and with its zones (g->zones) when zoned, in docid order. */
static int
zone_docs(brief_search *s, grep *g, const uint32_t *ids, size_t n,
          bool zoned)
{
    uint32_t *owner = malloc((n + 1) * sizeof *owner);
    int rc;

    g->docs = malloc((n + 1) * sizeof *g->docs);
    if (zoned)
        g->zones = malloc((n + 1) * sizeof *g->zones);
    if (!owner || !g->docs || (zoned && !g->zones)) {
        free(owner);
        return err_set(&s->ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if ((rc = trigindex_owners(s->t, ids, n, owner, &s->ix->err))) {
        free(owner);
        return rc;
    }
    for (size_t i = 0; i < n;) {
        gdoc *d = &g->docs[g->n_docs++];
        d->docid = owner[i];
        d->first = i;
        d->has_rec = false;
        for (; i < n && owner[i] == d->docid; i++)
            if (zoned)
                g->zones[i] = ids[i] - d->docid;
        d->n = zoned ? i - d->first : 0;
    }
    free(owner);
    return BRIEF_OK;
}

/* The candidate documents themselves (g->docs, in docid order), in path
 * order: no need to read every path when the trigram index kept few.
 * While docid order is path order (meta path_order), none is read here:
 * a document's record is read when it has a match (load_rec()), and
 * most candidates of a selective pattern have none (r03 on large/: 1,663
 * kept). */
static int
candidate_docs(brief_search *s, grep *g)
{
    uint64_t ordered;
    int rc;

    if ((rc = store_meta_get(s->t, "path_order", &ordered, &s->ix->err)))
        return rc;
    for (size_t i = 0; i < g->n_docs && !ordered; i++) {
        gdoc *d = &g->docs[i];
        if ((rc = writer_get_doc(s->t, d->docid, &d->rec, &s->ix->err)) ==
            BRIEF_DONE)
            return err_set(&s->ix->err, BRIEF_ECORRUPT, "the trigram index "
                           "names a missing document %u", d->docid);
        if (rc)
            return rc;
        d->path = d->rec.path;
        d->path_len = d->rec.path_len;
        d->has_rec = true;
    }
    if (!ordered)
        sort_by_path(g);
    return BRIEF_OK;
}

/* The documents of the passages matching the query, in path order. */
static int
query_docs(brief_search *s, grep *g, const char *keywords)
{
    const uint64_t *ids;
    size_t n;
    int rc = search_match(s, keywords, &ids, &n);

    if (rc)
        return rc;
    g->pids = malloc((n + 1) * sizeof *g->pids);
    g->docs = malloc((n + 1) * sizeof *g->docs);
    if (!g->pids || !g->docs)
        return err_set(&s->ix->err, BRIEF_ENOMEM, "out of memory");
    if (n)
        memcpy(g->pids, ids, n * sizeof *ids);
    for (size_t i = 0; i < n;) {
        gdoc *d = &g->docs[g->n_docs++];
        d->docid = PID_DOC(ids[i]);
        d->first = i;
        while (i < n && PID_DOC(ids[i]) == d->docid)
            i++;
        d->n = i - d->first;
        if ((rc = writer_get_doc(s->t, d->docid, &d->rec, &s->ix->err)))
            return rc == BRIEF_DONE ? BRIEF_ECORRUPT : rc;
        d->path = d->rec.path;
        d->path_len = d->rec.path_len;
        d->has_rec = true;
    }
    sort_by_path(g);
    return BRIEF_OK;
}

/* The byte ranges of document d's zones in its text, into zr (2 a range,
 * *n ranges): a run of zones is one range, empty zones none.  0, or -1
 * when out of memory. */
static int
zone_ranges(const grep *g, const gdoc *d, const char *text, size_t len,
            size_t **zr, size_t *n, size_t *cap)
{
    size_t zb = g->zone_bytes, nz = trigram_zones(len, zb);

    *n = 0;
    for (size_t i = d->first; i < d->first + d->n && g->zones[i] < nz;
         i++) {
        size_t a = trigram_zone_start(text, len, zb, g->zones[i]), b;
        while (i + 1 < d->first + d->n && g->zones[i + 1] < nz &&
               g->zones[i + 1] == g->zones[i] + 1)
            i++;
        b = trigram_zone_start(text, len, zb, g->zones[i] + 1);
        if (a == b)
            continue;
        if (*n && (*zr)[2 * *n - 1] == a) {
            (*zr)[2 * *n - 1] = b;
            continue;
        }
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            size_t *p = realloc(*zr, 2 * c * sizeof *p);
            if (!p)
                return -1;
            *zr = p;
            *cap = c;
        }
        (*zr)[2 * *n] = a;
        (*zr)[2 * *n + 1] = b;
        (*n)++;
    }
    return 0;
}

/* A helper's reader of the texts: a transaction of its own on the
 * search's snapshot. */
typedef struct hreader {
    const grep *g;
    store_txn *t;
    textreader texts;
    size_t *zr, n_zr, cap_zr;    /* the current text's zones */
    brief_err err;           /* not reported: the caller finds it again */
} hreader;

static void *
reader_open(void *ctx)
{
    const grep *g = ctx;
    hreader *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->g = g;
    if (store_begin_twin(g->t, &r->t, &r->err)) {
        free(r);
        return NULL;
    }
    textreader_init(&r->texts, r->t);
    textreader_copying(&r->texts);
    return r;
}

static int
reader_text(void *reader, size_t i, gtext *out)
{
    hreader *r = reader;
    sval v;

    if (textreader_get(&r->texts, r->g->docs[i].docid, &v, &r->err))
        return -1;
    *out = (gtext){ (const char *)v.p, v.len, NULL, 0 };
    if (!r->g->zones)
        return 0;
    if (zone_ranges(r->g, &r->g->docs[i], out->p, out->len, &r->zr,
                    &r->n_zr, &r->cap_zr))
        return -1;
    out->ranges = r->zr;
    out->n_ranges = r->n_zr;
    return r->n_zr ? 0 : -1;
}

static void
reader_close(void *reader)
{
    hreader *r = reader;

    textreader_close(&r->texts);
    store_abort(r->t);
    free(r->zr);
    free(r);
}

/* With threads chosen automatically, helpers start only over this many
 * documents and bytes of text: below, the search is over about as soon
 * as they would have started.  Measured on large/: 356 documents, about
 * 3 MB, took 3.9 ms alone and 4.4 ms with a helper; 1,721 documents,
 * 20 MB, 13.1 ms alone and 11.7 ms with one. */
#define HELP_MIN_DOCS 16
#define HELP_MIN_BYTES ((uint64_t)8 << 20)

/* Whether helpers are worth starting: the candidates' file sizes, or,
 * when their records are not read yet, a document's mean text times
 * their number. */
static bool
worth_helping(brief_search *s, const grep *g)
{
    uint64_t bytes = 0, docs = 0;

    if (g->n_docs < HELP_MIN_DOCS)
        return false;
    if (!g->docs[0].has_rec)
        return !store_meta_get(s->t, "text_bytes", &bytes, NULL) &&
               !store_meta_get(s->t, "documents", &docs, NULL) && docs &&
               bytes / docs * g->n_docs >= HELP_MIN_BYTES;
    for (size_t i = 0; i < g->n_docs && bytes < HELP_MIN_BYTES; i++)
        bytes += g->docs[i].rec.stamp.size;
    return bytes >= HELP_MIN_BYTES;
}

/* Start the threads that look for documents' first matches from the far
 * end of the list (gscan.h): as many as asked for, or with threads 0 one
 * per processor when the search is large enough for them. */
static int
start_helpers(brief_search *s, grep *g)
{
    gscan_source src = { reader_open, reader_text, reader_close, g };
    unsigned threads = g->opts.threads;

    if (!threads)
        threads = worth_helping(s, g) ? gscan_auto_threads() : 1;
    g->t = s->t;
    if (gscan_start(&g->scan, g->re, g->n_docs, &src, threads))
        return err_set(&s->ix->err, BRIEF_ENOMEM, "out of memory");
    return BRIEF_OK;
}

int
brief_regex_new(brief_search **out, brief_index *ix,
                const char *const *patterns, size_t n_patterns,
                const brief_regex_opts *opts)
{
    brief_search *s;
    grep *g;
    char msg[256];
    size_t which, off;
    unsigned flags = 0;
    int rc;

    *out = NULL;
    err_clear(&ix->err);
    if (n_patterns == 0)
        return err_set(&ix->err, BRIEF_EINVAL, "no pattern");
    s = search_new(ix);
    g = calloc(1, sizeof *g);
    if (!s || !g) {
        free(s);
        free(g);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    s->g = g;
    g->zone_bytes = ix->zone_bytes;
    if (opts)
        g->opts = *opts;
    flags = (g->opts.caseless ? REGEX_CASELESS : 0) |
            (g->opts.whole_word ? REGEX_WORD : 0) |
            (g->opts.multiline ? REGEX_MULTILINE : 0);
    rc = regex_compile(&g->re, patterns, n_patterns, flags, msg, sizeof msg,
                       &which, &off);
    if (rc == BRIEF_ESYNTAX) {
        if (n_patterns > 1)
            err_set(&ix->err, rc, "regex %zu:1:%zu: %s", which + 1, off + 1,
                    msg);
        else
            err_set(&ix->err, rc, "regex:1:%zu: %s", off + 1, msg);
        ix->err.offset = (long)off;
        goto fail;
    }
    if (rc) {
        err_set(&ix->err, rc, "out of memory");
        goto fail;
    }
    if ((rc = index_begin(ix, false, &s->t)))
        goto fail;
    /* Each text is read once: copied, it takes no page fault on the map
     * (textstore.h). */
    textreader_init(&s->texts, s->t);
    textreader_copying(&s->texts);
    {
        uint32_t *cand = NULL;
        size_t n_cand = 0;
        bool all = true;
        uint64_t total = 0;
        int brc = 0;
        if (!g->opts.full_scan)
            rc = candidates(s, g, patterns, n_patterns, &cand, &n_cand,
                            &all);
        if (!rc && g->opts.query && *g->opts.query) {
            if (!(rc = query_docs(s, g, g->opts.query)) && !all &&
                !(rc = trigindex_to_docs(s->t, cand, &n_cand, &ix->err)))
                keep_candidates(g, cand, n_cand);
        } else if (!rc && all) {
            rc = all_docs(s, g);
        } else if (!rc) {
            /* -U: whole documents, a match may cross the zones */
            if (!(rc = zone_docs(s, g, cand, n_cand, !g->opts.multiline)))
                rc = candidate_docs(s, g);
        }
        if (!rc)
            rc = store_meta_get(s->t, "documents", &total, &ix->err);
        if (!rc && !g->opts.full_scan)
            buf_printf(&brc, &s->explain, "kept %zu of %llu documents\n",
                       g->n_docs, (unsigned long long)total);
        if (!rc && g->zones)
            buf_printf(&brc, &s->explain, "scanning %zu zone%s of %zu "
                       "bytes\n", n_cand, n_cand == 1 ? "" : "s",
                       s->ix->zone_bytes);
        free(cand);
        if (!rc && brc)
            rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if (!rc && !g->pids)
        rc = start_helpers(s, g);
    if (rc)
        goto fail;
    s->count = 0;               /* from now on: lines (or passages) hit */
    *out = s;
    return BRIEF_OK;
fail:
    brief_search_free(s);
    return rc;
}

void
grep_free(grep *g)
{
    if (!g)
        return;
    gscan_stop(g->scan);        /* before the snapshot it reads ends */
    regex_free(g->re);
    free(g->docs);
    free(g->pids);
    free(g->zones);
    free(g->zr);
    free(g);
}

/* Read the passages record of the current document, once: only a
 * document with a match (or with a keyword query) needs it. */
static int
load_passages(brief_search *s, grep *g)
{
    unsigned char key[4];
    sval pv;
    int rc;

    if (g->prec)
        return BRIEF_OK;
    put_u32be(key, g->docs[g->cur].docid);
    if ((rc = store_get(s->t, DB_PASSAGES, key, 4, &pv, &s->ix->err)))
        return rc == BRIEF_DONE ? err_set(&s->ix->err, BRIEF_ECORRUPT,
                                          "document %u is incomplete",
                                          g->docs[g->cur].docid) : rc;
    g->prec = pv.p ? pv.p : (const unsigned char *)"";
    g->prec_len = pv.len;
    return BRIEF_OK;
}

/* The record of document g->cur into g->rec, once: only a document
 * with a match needs its path and stamp. */
static int
load_rec(brief_search *s, grep *g)
{
    const gdoc *d = &g->docs[g->cur];
    int rc;

    if (g->rec_of == g->cur + 1)
        return BRIEF_OK;
    if (d->has_rec)
        g->rec = d->rec;
    else if ((rc = writer_get_doc(s->t, d->docid, &g->rec, &s->ix->err)))
        return rc == BRIEF_DONE ? err_set(&s->ix->err, BRIEF_ECORRUPT,
                                          "document %u is incomplete",
                                          d->docid) : rc;
    g->rec_of = g->cur + 1;
    return BRIEF_OK;
}

/* Load document g->cur; BRIEF_DONE when there are no more. */
static int
load(brief_search *s, grep *g)
{
    const gdoc *d;
    sval text;
    int rc;

    if (g->cur >= g->n_docs)
        return BRIEF_DONE;
    d = &g->docs[g->cur];
    if ((rc = search_text(s, d->docid, &text)))
        return rc == BRIEF_DONE ? err_set(&s->ix->err, BRIEF_ECORRUPT,
                                          "document %u is incomplete",
                                          d->docid) : rc;
    g->text = (const char *)text.p;
    g->len = text.len;
    cite_memo_forget(&s->memo);     /* the texts share one buffer */
    g->prec = NULL;
    g->prec_len = 0;
    if (g->pids && (rc = load_passages(s, g)))
        return rc;
    if (g->zones && zone_ranges(g, d, g->text, g->len, &g->zr, &g->n_zr,
                                &g->cap_zr))
        return err_set(&s->ix->err, BRIEF_ENOMEM, "out of memory");
    g->range = 0;
    g->pos = 0;
    g->range_end = g->len;
    g->pending = false;
    g->has_last = false;
    g->loaded = true;
    return BRIEF_OK;
}

/* Set pos/range_end to range i (passage or zones) of the current
 * document; false when the document has no more ranges. */
static bool
enter_range(grep *g, size_t i)
{
    const gdoc *d = &g->docs[g->cur];
    passage p;

    if (g->zones) {
        if (i >= g->n_zr)
            return false;
        g->range = i;
        g->pos = g->zr[2 * i];
        g->range_end = g->zr[2 * i + 1];
        return true;
    }
    if (!g->pids)
        return i == 0;
    if (i >= d->n ||
        cite_passage(g->prec, g->prec_len, PID_PASS(g->pids[d->first + i]),
                     g->len, &p))
        return false;
    g->range = i;
    g->pos = p.byte_start;
    g->range_end = p.byte_end;
    return true;
}

/* The next match in the current document: 1, 0 at its end, or an error
 * (BRIEF_ELIMIT). */
static int
next_match(grep *g, size_t *ms, size_t *me)
{
    if (g->pending) {
        g->pending = false;
        *ms = g->pend_s;
        *me = g->pend_e;
        return 1;
    }
    for (;;) {
        /* The whole text is the subject, so that $ and look-aheads see
         * the real line ends; a match must start inside the range. */
        int rc;
        if (g->have_first) {            /* a helper's, from pos 0 */
            g->have_first = false;
            *ms = g->first_s;
            *me = g->first_e;
            rc = 1;
        } else if (g->zones) {
            rc = regex_next_in(g->re, g->text, g->len, g->pos, g->range_end,
                               ms, me);
        } else {
            rc = g->pos <= g->range_end ?
                 regex_next(g->re, g->text, g->len, g->pos, ms, me) : 0;
        }
        if (rc == 1 && *ms < g->range_end + (g->range_end == g->len)) {
            size_t n = 1;
            bool empty = *me == *ms;
            /* Step past an empty match by one character. */
            if (empty && *me < g->len)
                text_decode(g->text + *me, g->len - *me, &n);
            g->pos = *me > *ms ? *me : *me + n;
            /* Like grep, an empty match counts once a line: not after
             * another match on the same line. */
            if (empty && g->has_last && !memchr(g->text + g->last_ms, '\n',
                                                *ms - g->last_ms))
                continue;
            g->has_last = true;
            g->last_ms = *ms;
            return 1;
        }
        if (rc < 0)
            return rc;
        if (!enter_range(g, g->range + 1))
            return 0;
    }
}

/* The passage holding byte off, or a one-line passage when none does. */
static void
find_passage(grep *g, size_t off, passage *out)
{
    size_t n = passage_rec_count(g->prec, g->prec_len), lo = 0, hi, ls, le;
    passage p;

    hi = n == SIZE_MAX ? 0 : n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cite_passage(g->prec, g->prec_len, (uint32_t)mid, g->len, &p))
            break;
        if (p.byte_end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (n != SIZE_MAX && lo < n &&
        !cite_passage(g->prec, g->prec_len, (uint32_t)lo, g->len, &p) &&
        p.byte_start <= off && off < p.byte_end) {
        *out = p;
        return;
    }
    print_line_bounds(g->text, g->len, off, &ls, &le);
    out->byte_start = (uint32_t)ls;
    out->byte_end = (uint32_t)le;
    passage_linecol(g->text, 0, 1, ls, &out->line_start, &p.line_end);
    out->line_end = out->line_start;
    out->line_begin = (uint32_t)ls;
    out->n_tokens = 0;
}

static int
add_match(brief_search *s, size_t n, size_t ms, size_t me,
          const passage *p)
{
    brief_match *m;

    if (n == s->cap_matches) {
        size_t cap = s->cap_matches ? s->cap_matches * 2 : 16;
        brief_match *q = realloc(s->matches, cap * sizeof *q);
        if (!q)
            return BRIEF_ENOMEM;
        s->matches = q;
        s->cap_matches = cap;
    }
    m = &s->matches[n];
    m->byte_start = ms;
    m->byte_end = me;
    cite_match_set(m, s->g->text, p, &s->memo);
    return BRIEF_OK;
}

/* Report a limit hit in the current document and move past it. */
static void
limit_hit(brief_search *s, grep *g)
{
    char msg[4200];

    s->status = BRIEF_ELIMIT;
    if (g->opts.warn && !load_rec(s, g) &&
        !search_set_path(s, g->rec.path, g->rec.path_len)) {
        snprintf(msg, sizeof msg, "%s: regex match limit exceeded, rest of "
                 "the file skipped", s->path);
        g->opts.warn(g->opts.ctx, msg);
    }
    g->loaded = false;
    g->cur++;
}

int
grep_next(brief_search *s, const brief_hit **hit)
{
    grep *g = s->g;
    brief_hit *h = &s->hit;
    size_t ms, me, group_end, n = 0, ls;
    uint32_t docid;
    passage p;
    int rc;

    for (;;) {
        if (g->opts.limit && g->emitted >= g->opts.limit)
            return BRIEF_DONE;
        if (!g->loaded) {
            int took = g->cur < g->n_docs ?
                       gscan_take(g->scan, g->cur, &g->first_s, &g->first_e)
                       : GSCAN_MINE;
            if (took == GSCAN_NONE) {
                g->cur++;
                continue;
            }
            if ((rc = load(s, g)))
                return rc;
            g->have_first = took == GSCAN_FIRST;
            if (!enter_range(g, 0)) {
                g->loaded = false;
                g->cur++;
                continue;
            }
            /* The helper's first match may lie in a later zone. */
            while (g->have_first && g->zones && g->range_end < g->len &&
                   g->first_s >= g->range_end && enter_range(g, g->range + 1))
                ;
        }
        rc = next_match(g, &ms, &me);
        if (rc == 1)
            break;
        if (rc == BRIEF_ELIMIT) {
            limit_hit(s, g);
            continue;
        }
        if (rc)
            return err_set(&s->ix->err, rc, "out of memory");
        g->loaded = false;
        g->cur++;
    }
    docid = g->docs[g->cur].docid;
    if ((rc = load_passages(s, g)))
        return rc;
    /* The path and the stat() behind stale: once a document, not once a
     * line (before the gathering below, which may move to the next). */
    if (g->path_of != g->cur + 1) {
        if ((rc = load_rec(s, g)) ||
            (rc = search_set_path(s, g->rec.path, g->rec.path_len)))
            return rc;
        g->stale = search_stale(s, g->rec.stamp.size, g->rec.stamp.mtime_ns);
        g->path_of = g->cur + 1;
    }
    find_passage(g, ms, &p);
    print_line_bounds(g->text, g->len, ms, &ls, &group_end);
    if (g->opts.by_passage)
        group_end = p.byte_end;
    /* Gather the other matches of the same line (or passage). */
    for (;;) {
        if ((rc = add_match(s, n++, ms, me, &p)))
            return err_set(&s->ix->err, rc, "out of memory");
        g->emitted++;
        if (g->opts.limit && g->emitted >= g->opts.limit)
            break;
        rc = next_match(g, &ms, &me);
        if (rc == BRIEF_ELIMIT) {
            limit_hit(s, g);
            break;
        }
        if (rc != 1)
            break;
        if (ms >= group_end) {
            g->pending = true;
            g->pend_s = ms;
            g->pend_e = me;
            break;
        }
    }
    memset(h, 0, sizeof *h);
    h->path = s->path;
    h->abs_path = s->abs_path;
    h->docid = docid;
    h->stale = g->stale;
    h->passage.line_start = p.line_start;
    h->passage.line_end = p.line_end;
    h->passage.byte_start = p.byte_start;
    h->passage.byte_end = p.byte_end;
    h->passage.text = g->text + p.byte_start;
    h->passage.text_len = p.byte_end - p.byte_start;
    h->matches = s->matches;
    h->n_matches = n;
    h->doc_text = g->text;
    h->doc_len = g->len;
    cite_hit_from_matches(h, g->text, &p, &s->memo);
    s->count++;
    *hit = h;
    return BRIEF_OK;
}
