/*
 * check.c: brief_index_check(), a full walk of the index that verifies
 * every invariant and names the first violation.  It reads everything
 * once: documents and their passages (re-tokenizing the stored text),
 * every posting chunk, and the stems database.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief_int.h"
#include "buf.h"
#include "cite.h"
#include "figstore.h"
#include "postings.h"
#include "segment.h"
#include "terms.h"
#include "trigindex.h"
#include "trigram.h"
#include "text.h"
#include "textstore.h"
#include "writer.h"

typedef struct docinfo {
    uint32_t n_passages;
    uint16_t *pass_tokens;   /* positions per passage */
} docinfo;

typedef struct checker {
    brief_index *ix;
    store_txn *t;
    docinfo *docs;           /* indexed by docid */
    uint32_t max_docid;
    uint64_t end_id;         /* past the last document's last zone */
    uint32_t *owner;         /* zone id -> its document's docid, 0 none */
    uint64_t n_docs, n_passages, n_tokens, text_bytes, occurrences;
    uint64_t trigrams;       /* distinct trigrams summed over documents */
    trigset tset;
    textreader texts;        /* the documents' texts, in docid order */
} checker;

static int
bad(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
bad(checker *c, const char *fmt, ...)
{
    char what[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_set(&c->ix->err, BRIEF_ECORRUPT, "%s: check failed: %s",
                   c->ix->dir, what);
}

/* One document: its record, path, text and passages. */
static int
check_doc(checker *c, uint32_t docid)
{
    unsigned char key[4];
    doc_rec d;
    sval text, pv, pk, lv;
    passage prev = { 0, 0, 0, 0, 0, 0 }, p;
    uint32_t n_tok = 0, line = 1;
    size_t at = 0, pi = 0, bad_at, line_begin = 0;
    token tok;
    char path[256];
    int rc;

    put_u32be(key, docid);
    if ((rc = writer_get_doc(c->t, docid, &d, &c->ix->err)))
        return rc == BRIEF_DONE ? bad(c, "%sdocument %llu vanished", "",
                   (unsigned long long)(docid)) : rc;
    snprintf(path, sizeof path, "%.*s", (int)d.path_len, d.path);
    rc = store_get(c->t, DB_PATHS, d.path, d.path_len, &pk, &c->ix->err);
    if (rc == BRIEF_DONE || (!rc && (pk.len != 4 ||
                                     get_u32be(pk.p) != docid)))
        return bad(c, "path '%s' does not map to document %llu", path,
                   (unsigned long long)(docid));
    if ((rc = textreader_get(&c->texts, docid, &text, &c->ix->err)) ||
        (rc = store_get(c->t, DB_PASSAGES, key, 4, &pv, &c->ix->err)) ||
        (rc = store_get(c->t, DB_PLENS, key, 4, &lv, &c->ix->err)))
        return rc == BRIEF_DONE ? bad(c, "'%s' (document %llu) lacks its "
                                      "text, passages or passage lengths",
                                      path, (unsigned long long)(docid))
                                : rc;
    if (!text_is_utf8((const char *)text.p, text.len, &bad_at))
        return bad(c, "'%s': stored text is not UTF-8 at byte %llu", path,
                   (unsigned long long)(bad_at));
    if (passage_rec_count(pv.p, pv.len) != d.n_passages)
        return bad(c, "'%s': passage count disagrees with the record "
                   "(%llu bytes)", path,
                   (unsigned long long)(pv.len));
    if (lv.len == 0 || (lv.p[0] != 2 && lv.p[0] != 4) ||
        lv.len != 1 + (size_t)d.n_passages * lv.p[0])
        return bad(c, "'%s': its plens record has %llu bytes, not a width "
                   "and one count per passage", path,
                   (unsigned long long)lv.len);
    c->docs[docid].n_passages = d.n_passages;
    c->docs[docid].pass_tokens = calloc(d.n_passages + 1, sizeof(uint16_t));
    if (!c->docs[docid].pass_tokens)
        return err_set(&c->ix->err, BRIEF_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < d.n_passages; i++) {
        /* Passages may share one CJK character (passage.h), no more. */
        if (cite_passage(pv.p, pv.len, i, text.len, &p) ||
            (i && p.byte_start + 4 < prev.byte_end) ||
            (i && p.byte_start <= prev.byte_start))
            return bad(c, "'%s': passage %llu is out of order or range",
                       path, (unsigned long long)i);
        /* One pass over the text: the line number and where the line of
         * byte_start begins (after the last newline before it). */
        for (; at < p.byte_start; at++)
            if (((const char *)text.p)[at] == '\n') {
                line++;
                line_begin = at + 1;
            }
        if (line != p.line_start || p.line_begin != line_begin)
            return bad(c, "'%s': passage %llu has a wrong line number",
                       path, (unsigned long long)i);
        if ((lv.p[0] == 2 ? (uint32_t)(lv.p[1 + 2 * i] |
                                       lv.p[2 + 2 * i] << 8)
                          : get_u32le(lv.p + 1 + 4 * i)) != p.n_tokens)
            return bad(c, "'%s': passage %llu's length in plens is not "
                       "its token count", path, (unsigned long long)i);
        c->docs[docid].pass_tokens[i] = (uint16_t)p.n_tokens;
        n_tok += p.n_tokens;
        prev = p;
    }

    if (n_tok != d.n_tokens)
        return bad(c, "'%s': token counts do not add up (%llu)", path,
                   (unsigned long long)(n_tok));
    /* Every token lies inside a passage. */
    tokenizer_reset(c->ix->tok, (const char *)text.p, text.len, 0);
    while (tokenizer_next(c->ix->tok, &tok)) {
        while (pi + 1 < d.n_passages &&
               !cite_passage(pv.p, pv.len, (uint32_t)pi + 1, text.len, &p) &&
               p.byte_start <= tok.start)
            pi++;
        if (pi >= d.n_passages ||
            cite_passage(pv.p, pv.len, (uint32_t)pi, text.len, &p) ||
            tok.start < p.byte_start || tok.end > p.byte_end)
            return bad(c, "'%s': a token at byte %llu is outside every "
                       "passage", path,
                   (unsigned long long)(tok.start));
        c->occurrences++;
    }
    /* A document's zones lie before the next document. */
    if (docid < c->end_id)
        return bad(c, "document %llu lies among the zones of the one "
                   "before it", (unsigned long long)docid);
    c->end_id = (uint64_t)docid + trigram_zones(text.len, c->ix->zone_bytes);
    if (trigram_extract_zones((const char *)text.p, text.len,
                              c->ix->zone_bytes, &c->tset))
        return err_set(&c->ix->err, BRIEF_ENOMEM, "out of memory");
    c->trigrams += c->tset.n;
    c->n_docs++;
    c->n_passages += d.n_passages;
    c->n_tokens += d.n_tokens;
    c->text_bytes += text.len;
    return BRIEF_OK;
}

static int
check_docs(checker *c)
{
    store_cursor *cur;
    sval k, v;
    uint64_t next;
    int rc;

    if ((rc = store_meta_get(c->t, "next_docid", &next, &c->ix->err)) ||
        (rc = store_cursor_open(c->t, DB_DOCS, &cur, &c->ix->err)))
        return rc;
    if ((rc = store_cursor_last(cur, &k, &v)) == BRIEF_OK && k.len == 4)
        c->max_docid = get_u32be(k.p);
    /* Checked before sizing the table by it: a corrupt id is not a
     * reason to allocate gigabytes. */
    if (c->max_docid && c->max_docid >= next) {
        store_cursor_close(cur);
        return bad(c, "document %u is past next_docid %llu", c->max_docid,
                   (unsigned long long)next);
    }
    c->docs = calloc((size_t)c->max_docid + 1, sizeof *c->docs);
    if (!c->docs) {
        store_cursor_close(cur);
        return err_set(&c->ix->err, BRIEF_ENOMEM, "out of memory");
    }
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        if (k.len != 4 || get_u32be(k.p) > c->max_docid) {
            rc = bad(c, "%sa docs key is malformed (%llu bytes)", "",
                   (unsigned long long)(k.len));
            break;
        }
        if ((rc = check_doc(c, get_u32be(k.p))))
            break;
    }
    store_cursor_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* Whether docids [first, last] lie in segment s. */
static bool
in_segment(const seginfo *s, uint32_t first, uint32_t last)
{
    return s && s->first <= first && last <= s->last;
}

/* Every chunk decodes and points at live documents and passages. */
static int
check_postings(checker *c)
{
    segcur *cur;
    plist l = { 0 };
    uint64_t occ = 0;
    char word[TERMS_KEY_MAX + 1], prev[TERMS_KEY_MAX + 1] = "";
    uint32_t prev_last = 0;
    sval k, v, sv;
    int rc;

    if ((rc = segcur_open(c->t, DB_POSTINGS, &cur, &c->ix->err)))
        return rc;
    for (rc = segcur_first(cur, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        const unsigned char *zero = memchr(k.p, 0, k.len);
        size_t wlen = zero ? (size_t)(zero - k.p) : 0, stem_len;
        uint32_t first, last;
        const char *stem;
        bool found = false;
        store_cursor *sc;
        if (!zero || k.len != wlen + 5 || wlen == 0 ||
            wlen > TERMS_KEY_MAX) {
            rc = bad(c, "%sa postings key is malformed (%llu bytes)", "",
                   (unsigned long long)(k.len));
            break;
        }
        memcpy(word, k.p, wlen);
        word[wlen] = '\0';
        first = get_u32be(k.p + wlen + 1);
        plist_clear(&l);
        if (postings_chunk_last(v.p, v.len, first, &last) ||
            postings_chunk_decode(v.p, v.len, first, &l) || l.n == 0 ||
            PID_DOC(l.ids[0]) != first || PID_DOC(l.ids[l.n - 1]) != last) {
            rc = bad(c, "postings of '%s' at document %llu do not decode",
                     word, (unsigned long long)first);
            break;
        }
        if (!in_segment(segcur_segment(cur), first, last)) {
            rc = bad(c, "postings of '%s' at document %llu lie outside "
                     "their segment", word, (unsigned long long)first);
            break;
        }
        /* A word's chunks, in key order, ascend without overlapping. */
        if (strcmp(prev, word) == 0 && first <= prev_last) {
            rc = bad(c, "postings of '%s' at document %llu overlap the "
                     "chunk before", word, (unsigned long long)first);
            break;
        }
        memcpy(prev, word, wlen + 1);
        prev_last = last;
        for (size_t i = 0; i < l.n && !rc; i++) {
            uint32_t d = PID_DOC(l.ids[i]), p = PID_PASS(l.ids[i]);
            if (d > c->max_docid || !c->docs[d].pass_tokens ||
                p >= c->docs[d].n_passages)
                rc = bad(c, "postings of '%s' point at a missing document "
                         "or passage (document %llu)", word,
                   (unsigned long long)(d));
            else if (l.tf[i] && l.pos[l.off[i + 1] - 1] >=
                     c->docs[d].pass_tokens[p])
                rc = bad(c, "postings of '%s' hold a position past its "
                         "passage (document %llu)", word,
                   (unsigned long long)(d));
            occ += l.tf[i];
        }
        if (rc)
            break;
        stem = terms_stem(c->ix->stem, word, wlen, &stem_len);
        if (!stem) {
            rc = err_set(&c->ix->err, BRIEF_ENOMEM, "out of memory");
            break;
        }
        if (stem_len == wlen && memcmp(stem, word, wlen) == 0)
            continue;           /* its own stem: no stems entry */
        if ((rc = store_cursor_open(c->t, DB_STEMS, &sc, &c->ix->err)))
            break;
        for (rc = store_cursor_dup(sc, stem, stem_len, true, &sv);
             rc == BRIEF_OK && !found;
             rc = store_cursor_dup(sc, stem, stem_len, false, &sv))
            found = sv.len == wlen && memcmp(sv.p, word, wlen) == 0;
        store_cursor_close(sc);
        if (!found) {
            rc = bad(c, "word '%s' is missing from the stems database "
                     "(%llu)", word,
                   (unsigned long long)(0));
            break;
        }
        rc = BRIEF_OK;
    }
    segcur_close(cur);
    plist_free(&l);
    if (rc == BRIEF_DONE && occ != c->occurrences)
        return bad(c, "%spostings hold %llu occurrences, the texts "
                   "another number", "",
                   (unsigned long long)(occ));
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* Every stems entry names a word that has postings, under its stem,
 * which is not the word itself. */
static int
check_stems(checker *c)
{
    store_cursor *cur;
    segcur *pc;
    unsigned char key[TERMS_KEY_MAX];
    char word[TERMS_KEY_MAX + 1];
    sval k, v, pk, pv;
    int rc;

    if ((rc = store_cursor_open(c->t, DB_STEMS, &cur, &c->ix->err)))
        return rc;
    if ((rc = segcur_open(c->t, DB_POSTINGS, &pc, &c->ix->err))) {
        store_cursor_close(cur);
        return rc;
    }
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        size_t klen, stem_len;
        const char *stem;
        if (v.len == 0 || v.len > TERMS_KEY_MAX - 5) {
            rc = bad(c, "a stems entry is malformed (%zu bytes)", v.len);
            break;
        }
        memcpy(word, v.p, v.len);
        word[v.len] = '\0';
        if (v.len == k.len && memcmp(v.p, k.p, k.len) == 0) {
            rc = bad(c, "word '%s' is its own stem and has a stems entry",
                     word);
            break;
        }
        stem = terms_stem(c->ix->stem, word, v.len, &stem_len);
        if (!stem || stem_len != k.len || memcmp(stem, k.p, k.len) != 0) {
            rc = bad(c, "word '%s' is filed under the wrong stem", word);
            break;
        }
        klen = terms_key(key, word, v.len, 0);
        rc = segcur_seek(pc, key, klen, &pk, &pv);
        if (rc == BRIEF_DONE || (rc == BRIEF_OK && (pk.len != klen ||
            memcmp(pk.p, key, klen - 4) != 0))) {
            rc = bad(c, "word '%s' is in the stems database but has no "
                     "postings", word);
            break;
        }
        if (rc)
            break;
    }
    segcur_close(pc);
    store_cursor_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* The figures of document d (value v) lie inside its text and passages;
 * count them and the unit index entries they need. */
static int
check_doc_figures(checker *c, uint32_t d, sval v, uint64_t *n_figs,
                  uint64_t *want_vals)
{
    sval text;
    figiter it;
    figrec r;
    int more, rc;

    if (!d || d > c->max_docid || !c->docs[d].pass_tokens)
        return bad(c, "figures of a missing document (%u)", d);
    if ((rc = textstore_get(c->t, d, &text, &c->ix->err)))
        return rc;
    if (figiter_init(&it, v.p, v.len))
        return bad(c, "the figure count of document %u is malformed", d);
    while ((more = figiter_next(&it, &r)) == 1 &&
           r.f.end <= text.len && r.f.subject_end <= text.len &&
           r.passage < c->docs[d].n_passages) {
        *want_vals += r.f.is_range && r.f.value_high != r.f.value ? 2 : 1;
        (*n_figs)++;
    }
    if (more)
        return bad(c, "figure %u of document %u is malformed",
                   more == 1 ? it.idx - 1 : it.idx, d);
    return BRIEF_OK;
}

/* Figure records lie inside their documents and passages, and the unit
 * index holds exactly one entry per figure end. */
static int
check_figures(checker *c)
{
    store_cursor *cur;
    sval k, v;
    uint64_t n_figs = 0, n_vals = 0, want_vals = 0, meta;
    int rc;

    if ((rc = store_cursor_open(c->t, DB_FIGURES, &cur, &c->ix->err)))
        return rc;
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v))
        if ((rc = check_doc_figures(c, k.len == 4 ? get_u32be(k.p) : 0, v,
                                    &n_figs, &want_vals)))
            break;
    store_cursor_close(cur);
    if (rc != BRIEF_DONE)
        return rc;
    if ((rc = store_count(c->t, DB_FIGVALS, &n_vals, &c->ix->err)) ||
        (rc = store_meta_get(c->t, "figures", &meta, &c->ix->err)))
        return rc;
    if (n_vals != want_vals)
        return bad(c, "the figure index holds %llu entries, not %llu",
                   (unsigned long long)n_vals,
                   (unsigned long long)want_vals);
    if ((rc = figstore_check_runs(c->t, &c->ix->err)) == BRIEF_ECORRUPT) {
        char what[sizeof c->ix->err.msg];
        snprintf(what, sizeof what, "%s", c->ix->err.msg);
        return bad(c, "%s", what);
    }
    if (rc)
        return rc;
    if (meta != n_figs)
        return bad(c, "meta 'figures' is %llu, the documents hold %llu",
                   (unsigned long long)meta, (unsigned long long)n_figs);
    return BRIEF_OK;
}

/* c->owner: which document each zone id up to c->end_id is of. */
static int
zone_owners(checker *c)
{
    uint32_t doc = 0;

    if (!(c->owner = calloc(c->end_id + 1, sizeof *c->owner)))
        return err_set(&c->ix->err, BRIEF_ENOMEM, "out of memory");
    for (uint64_t id = 1; id < c->end_id; id++) {
        if (id <= c->max_docid && c->docs[id].pass_tokens)
            doc = (uint32_t)id;
        c->owner[id] = doc;
    }
    return BRIEF_OK;
}

/* Every trigram chunk decodes to zones of live documents (trigindex.h),
 * and the lists hold as many entries as the documents' zones have
 * distinct trigrams. */
static int
check_trigrams(checker *c)
{
    segcur *cur;
    sval k, v;
    uint64_t entries = 0;
    uint32_t *docs = NULL, prev_last = 0;
    unsigned char prev[3] = { 0, 0, 0 };
    size_t cap = 0;
    bool any = false;
    int rc;

    if ((rc = zone_owners(c)) ||
        (rc = segcur_open(c->t, DB_TRIGRAMS, &cur, &c->ix->err)))
        return rc;
    for (rc = segcur_first(cur, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        size_t n = 0;
        int drc;
        if (k.len != 7) {
            rc = bad(c, "%s", "a trigram chunk is malformed");
            break;
        }
        /* The decoder checks the form, the order and the last docid. */
        drc = trigindex_chunk_decode(v.p, v.len, get_u32be(k.p + 3), &docs,
                                     &n, &cap);
        if (drc == -2) {
            rc = err_set(&c->ix->err, BRIEF_ENOMEM, "out of memory");
            break;
        }
        if (drc) {
            rc = bad(c, "%s", "a trigram chunk is corrupt");
            break;
        }
        for (size_t i = 0; i < n && !rc; i++)
            if (docs[i] >= c->end_id || !c->owner[docs[i]])
                rc = bad(c, "the trigram index names zone %llu, of no "
                         "document", (unsigned long long)docs[i]);
        if (!rc && !in_segment(segcur_segment(cur), docs[0], docs[n - 1]))
            rc = bad(c, "%s", "a trigram chunk lies outside its segment");
        /* A trigram's chunks, in key order, ascend without overlapping. */
        if (!rc && any && memcmp(prev, k.p, 3) == 0 && docs[0] <= prev_last)
            rc = bad(c, "trigram chunks overlap at zone %llu",
                     (unsigned long long)docs[0]);
        if (rc)
            break;
        memcpy(prev, k.p, 3);
        prev_last = docs[n - 1];
        any = true;
        entries += n;
    }
    free(docs);
    segcur_close(cur);
    if (rc != BRIEF_DONE)
        return rc;
    if (entries != c->trigrams)
        return bad(c, "the trigram index holds %llu entries, the texts "
                   "%llu", (unsigned long long)entries,
                   (unsigned long long)c->trigrams);
    return BRIEF_OK;
}

/* The text blocks hold the texts of the live documents, each once, in
 * ascending docid order (check_doc() found each live document's). */
static int
check_texts(checker *c)
{
    textreader r;
    uint64_t n = 0;
    uint32_t d, prev = 0;
    sval text;
    int rc;

    textreader_init(&r, c->t);
    while ((rc = textreader_next(&r, &d, &text, &c->ix->err)) == BRIEF_OK) {
        if (d <= prev || d > c->max_docid || !c->docs[d].pass_tokens) {
            rc = bad(c, "the text database holds a text of document %u, "
                     "which is missing or out of order", d);
            break;
        }
        prev = d;
        n++;
    }
    textreader_close(&r);
    if (rc != BRIEF_DONE)
        return rc;
    if (n != c->n_docs)
        return bad(c, "the text database holds %llu texts, not one per "
                   "document", (unsigned long long)n);
    return BRIEF_OK;
}

/* No key lies outside the segments the index knows (segment.c). */
static int
check_segments(checker *c)
{
    char what[sizeof c->ix->err.msg];
    int rc = segment_check(c->t, &c->ix->err);

    if (rc != BRIEF_ECORRUPT)
        return rc;
    snprintf(what, sizeof what, "%s", c->ix->err.msg);
    return bad(c, "%s", what);
}

/* Counters in meta match what was counted, and so do the other dbs. */
static int
check_counts(checker *c)
{
    static const char *const names[] = { "documents", "passages", "tokens",
                                         "text_bytes" };
    uint64_t want[] = { c->n_docs, c->n_passages, c->n_tokens,
                        c->text_bytes };
    uint64_t v, next;
    int rc;

    for (size_t i = 0; i < 4; i++) {
        if ((rc = store_meta_get(c->t, names[i], &v, &c->ix->err)))
            return rc;
        if (v != want[i])
            return bad(c, "meta '%s' is %llu, not what the documents hold",
                       names[i], (unsigned long long)v);
    }
    if ((rc = store_meta_get(c->t, "next_docid", &next, &c->ix->err)))
        return rc;
    if (c->n_docs && next < c->end_id)
        return bad(c, "%snext_docid %llu is not past the last document's "
                   "zones", "", (unsigned long long)(next));
    for (store_db db = DB_PATHS; db <= DB_PLENS; db++) {
        if (db == DB_TEXT)
            continue;           /* blocks of documents: check_texts() */
        if (db > DB_PASSAGES && db != DB_PLENS)
            continue;
        if ((rc = store_count(c->t, db, &v, &c->ix->err)))
            return rc;
        if (v != c->n_docs)
            return bad(c, "%sa database holds %llu entries, not one per "
                       "document", "",
                   (unsigned long long)(v));
    }
    return BRIEF_OK;
}

/* With meta path_order 1, the paths in byte order have ascending docids
 * (grep.c scans candidates in docid order as path order). */
static int
check_path_order(checker *c)
{
    store_cursor *cur;
    uint64_t ordered;
    uint32_t last = 0;
    sval k, v;
    int rc;

    if ((rc = store_meta_get(c->t, "path_order", &ordered, &c->ix->err)) ||
        !ordered)
        return rc;
    if ((rc = store_cursor_open(c->t, DB_PATHS, &cur, &c->ix->err)))
        return rc;
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        uint32_t d = v.len == 4 ? get_u32be(v.p) : 0;
        if (d <= last) {
            rc = bad(c, "meta 'path_order' is 1, but '%.*s' (document %u) "
                     "sorts after document %u", (int)k.len,
                     (const char *)k.p, d, last);
            break;
        }
        last = d;
    }
    store_cursor_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
brief_index_check(brief_index *ix)
{
    checker c;
    int rc;

    memset(&c, 0, sizeof c);
    c.ix = ix;
    err_clear(&ix->err);
    if ((rc = index_begin(ix, false, &c.t)))
        return rc;
    textreader_init(&c.texts, c.t);
    if (!(rc = check_docs(&c)) && !(rc = check_texts(&c)) &&
        !(rc = check_postings(&c)) &&
        !(rc = check_stems(&c)) && !(rc = check_figures(&c)) &&
        !(rc = check_trigrams(&c)) && !(rc = check_segments(&c)) &&
        !(rc = check_path_order(&c)))
        rc = check_counts(&c);
    if (c.docs)
        for (size_t i = 0; i <= c.max_docid; i++)
            free(c.docs[i].pass_tokens);
    free(c.docs);
    free(c.owner);
    trigset_free(&c.tset);
    textreader_close(&c.texts);
    store_abort(c.t);
    return rc;
}
