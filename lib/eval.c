/*
 * eval.c: query leaves -> posting lists -> the set of matching passages.
 * Lists are materialized whole (sorted arrays) and combined by merging;
 * see eval.h for what each kind of leaf matches.  This file compiles
 * words, phrases, prefixes and paths and does the boolean combination;
 * the fig: and re: leaves are compiled in eval_figre.c.
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "eval.h"
#include "eval_int.h"
#include "passage.h"
#include "path.h"
#include "regex.h"
#include "segment.h"
#include "terms.h"
#include "text.h"
#include "writer.h"

/* A prefix may stand for at most this many words: "a*" over a large
 * corpus would otherwise merge tens of thousands of lists. */
#define MAX_PREFIX_WORDS 20000

int
eval_oom(eval *ev)
{
    return err_set(&ev->ix->err, BRIEF_ENOMEM, "out of memory");
}

static int
corrupt(eval *ev, const char *word)
{
    return err_set(&ev->ix->err, BRIEF_ECORRUPT,
                   "postings of '%s' are corrupt", word);
}

/* The cursor over postings that every word look-up of a compile shares
 * (opened on first use): a stem's or a prefix's words are looked up in
 * ascending order, so segcur_seek_ahead() skips the segments already
 * past each word. */
static int
words_cursor(eval *ev, segcur **out)
{
    int rc = BRIEF_OK;

    if (!ev->words)
        rc = segcur_open(ev->t, DB_POSTINGS, &ev->words, &ev->ix->err);
    *out = ev->words;
    return rc;
}

/* The posting chunks of a run of index words, found in the map (valid
 * while the read transaction is), grouped by word: word i (at byte
 * word[i].at of the words it was given) has refs[word[i-1].end ..
 * word[i].end). */
typedef struct wchunks {
    pchunk *refs;
    size_t n_refs, cap_refs;
    struct { size_t end, at; } *word;
    size_t n, cap;
} wchunks;

static void
wchunks_free(wchunks *wc)
{
    free(wc->refs);
    free(wc->word);
}

/* Append word's chunks to wc's refs (not yet as a word of its own). */
static int
word_chunks(eval *ev, const char *word, size_t len, wchunks *wc)
{
    unsigned char key[TERMS_KEY_MAX];
    size_t klen = terms_key(key, word, len, 0);
    segcur *cur;
    sval k, v;
    int rc;

    if ((rc = words_cursor(ev, &cur)))
        return rc;
    for (rc = segcur_seek_ahead(cur, key, klen, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        if (k.len != klen || memcmp(k.p, key, klen - 4) != 0)
            break;
        if (wc->n_refs == wc->cap_refs) {
            size_t c = wc->cap_refs ? wc->cap_refs * 2 : 16;
            pchunk *r = realloc(wc->refs, c * sizeof *r);
            if (!r)
                return eval_oom(ev);
            wc->refs = r;
            wc->cap_refs = c;
        }
        wc->refs[wc->n_refs++] =
            (pchunk){ v.p, v.len, get_u32be(k.p + klen - 4) };
    }
    return rc == BRIEF_OK || rc == BRIEF_DONE ? BRIEF_OK : rc;
}

static int
cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
leaf_add_word(eleaf *l, const char *w, size_t len)
{
    char **p = realloc(l->words, (l->n_words + 1) * sizeof *p);

    if (!p)
        return -1;
    l->words = p;
    if (!(p[l->n_words] = strndup(w, len)))
        return -1;
    l->n_words++;
    return 0;
}

/* Append to wc each of words (NUL-separated in buf) with its chunks, and
 * add it to the leaf's words.  The word at byte maybe of words (SIZE_MAX:
 * none) may have no postings; then it is left out of both.  This is the
 * one walk over a token's words, for unions and phrases alike. */
static int
words_chunks(eval *ev, eleaf *l, const buf *words, size_t maybe,
             wchunks *wc)
{
    int rc = BRIEF_OK;

    for (size_t off = 0; off < words->len && !rc;) {
        const char *w = (const char *)words->data + off;
        size_t len = strlen(w), before = wc->n_refs, at = off;
        off += len + 1;
        if ((rc = word_chunks(ev, w, len, wc)))
            break;
        if (at == maybe && wc->n_refs == before)
            continue;
        if (wc->n == wc->cap) {
            size_t c = wc->cap ? 2 * wc->cap : 8;
            void *p = realloc(wc->word, c * sizeof *wc->word);
            if (!p)
                return eval_oom(ev);
            wc->word = p;
            wc->cap = c;
        }
        wc->word[wc->n].end = wc->n_refs;
        wc->word[wc->n++].at = at;
        if (leaf_add_word(l, w, len))
            rc = eval_oom(ev);
    }
    return rc;
}

/* The bytes of the chunks of word i of wc. */
static size_t
word_bytes(const wchunks *wc, size_t i)
{
    size_t bytes = 0;

    for (size_t c = i ? wc->word[i - 1].end : 0; c < wc->word[i].end; c++)
        bytes += wc->refs[c].len;
    return bytes;
}

/* out := every passage of word i of wc (ids ascending), named by words
 * in an error.  The size of its chunks is known first, so out grows once,
 * not by doubling as they are decoded (the copies were a tenth of a
 * common phrase's time). */
static int
word_postings(eval *ev, const wchunks *wc, size_t i, const buf *words,
              plist *out)
{
    size_t from = i ? wc->word[i - 1].end : 0, to = wc->word[i].end;
    size_t bytes = word_bytes(wc, i);
    int rc = BRIEF_OK;

    if (to > from && plist_make_room(out, postings_chunks_room(bytes)))
        rc = eval_oom(ev);
    for (size_t c = from; c < to && !rc; c++) {
        int drc = postings_chunk_decode_lazy(wc->refs[c].p, wc->refs[c].len,
                                             wc->refs[c].first, out);
        if (drc)
            rc = drc == -2 ? eval_oom(ev)
                           : corrupt(ev, (const char *)words->data +
                                             wc->word[i].at);
    }
    return rc;
}

/*
 * out := union of the postings of words (as words_chunks() takes them).
 * A stem's words are skewed ('government' and six rare forms): the
 * others are united first, then the largest is decoded straight into
 * out and they are merged into it in place (plist_union_into()), so
 * that its list is not made twice, once alone and once in the union.
 */
static int
union_words(eval *ev, eleaf *l, const buf *words, size_t maybe, plist *out)
{
    wchunks wc = { 0 };
    plist *lists = NULL, rest = { 0 };
    size_t big = 0, big_bytes = 0;
    int rc = words_chunks(ev, l, words, maybe, &wc), urc;

    plist_free(out);
    rest.cache = out->cache;
    for (size_t i = 0; !rc && i < wc.n; i++) {
        size_t bytes = word_bytes(&wc, i);
        if (bytes > big_bytes) {
            big = i;
            big_bytes = bytes;
        }
    }
    if (!rc && wc.n > 1) {
        if (!(lists = calloc(wc.n, sizeof *lists)))
            rc = eval_oom(ev);
        for (size_t i = 0; lists && i < wc.n; i++)
            lists[i].cache = out->cache;
        for (size_t i = 0, k = 0; i < wc.n && !rc; i++)
            if (i != big)
                rc = word_postings(ev, &wc, i, words, &lists[k++]);
        if (!rc && plist_union(lists, wc.n - 1, &rest))
            rc = eval_oom(ev);
    }
    if (!rc && wc.n && plist_make_room(out, postings_chunks_room(big_bytes)
                                                + rest.n))
        rc = eval_oom(ev);
    if (!rc && wc.n)
        rc = word_postings(ev, &wc, big, words, out);
    /* -1 (decoded positions in out) would mean a chunk decoded wrongly:
     * word_postings() leaves every position in its chunk. */
    if (!rc && (urc = plist_union_into(out, &rest)))
        rc = urc == -2 ? eval_oom(ev)
                       : corrupt(ev, (const char *)words->data +
                                         wc.word[big].at);
    for (size_t i = 0; lists && i < wc.n; i++)
        plist_free(&lists[i]);
    free(lists);
    plist_free(&rest);
    wchunks_free(&wc);
    return rc;
}

/* Whether a sorts before b in the stems database's duplicate order
 * (bytes, then length). */
static bool
dup_before(const char *a, size_t a_len, const sval *b)
{
    int c = memcmp(a, b->p, a_len < b->len ? a_len : b->len);

    return c ? c < 0 : a_len < b->len;
}

/* The index words that may share word's stem, NUL-separated into out in
 * byte order: those the stems database lists under it, and the stem
 * itself when it is its own stem (the stems database leaves such words
 * out), at byte *maybe of out (else SIZE_MAX): it is a word of the index
 * only if it has postings, which union_words() finds out.  *stem is
 * borrowed as terms_stem's. */
static int
stem_words(eval *ev, const char *word, size_t len, buf *out, size_t *maybe,
           const char **stem, size_t *stem_len)
{
    store_cursor *cur;
    sval v;
    buf self = { NULL, 0, 0 };
    bool pending;
    int rc, brc = 0;

    *maybe = SIZE_MAX;
    *stem = terms_stem(ev->ix->stem, word, len, stem_len);
    if (*stem)
        buf_put(&brc, &self, *stem, *stem_len);
    if (brc || !*stem)
        return eval_oom(ev);
    pending = terms_is_own_stem(ev->ix->stem, (const char *)self.data,
                                self.len);
    if ((rc = store_cursor_open(ev->t, DB_STEMS, &cur, &ev->ix->err)))
        goto out;
    for (rc = store_cursor_dup(cur, self.data, self.len, true, &v);
         rc == BRIEF_OK; rc = store_cursor_dup(cur, self.data, self.len,
                                               false, &v)) {
        if (pending && dup_before((const char *)self.data, self.len, &v)) {
            *maybe = out->len;
            buf_put(&brc, out, self.data, self.len);
            buf_put_byte(&brc, out, 0);
            pending = false;
        }
        buf_put(&brc, out, v.p, v.len);
        buf_put_byte(&brc, out, 0);
    }
    store_cursor_close(cur);
    if (pending) {
        *maybe = out->len;
        buf_put(&brc, out, self.data, self.len);
        buf_put_byte(&brc, out, 0);
    }
    if (rc == BRIEF_DONE)
        rc = BRIEF_OK;
    if (brc)
        rc = eval_oom(ev);
out:
    /* terms_is_own_stem() stemmed again; the stem cache makes this cheap. */
    *stem = terms_stem(ev->ix->stem, word, len, stem_len);
    buf_free(&self);
    return rc;
}

/* The words of one analysed token of a term or phrase (its stem's),
 * NUL-separated into words as stem_words() gives them; its description
 * goes to describe. */
static int
token_words(eval *ev, const char *word, size_t len, buf *words,
            size_t *maybe, buf *describe)
{
    const char *stem;
    size_t stem_len;
    int rc = stem_words(ev, word, len, words, maybe, &stem, &stem_len);
    int brc = 0;

    if (rc)
        return rc;
    /* "stem (from word)", by buf_put: every search makes it, and
     * vsnprintf() cost more than the rest of this function. */
    if (describe->len)
        buf_put_byte(&brc, describe, ' ');
    buf_put(&brc, describe, stem, stem_len);
    if (stem_len != len || memcmp(stem, word, len)) {
        buf_put(&brc, describe, " (from ", 7);
        buf_put(&brc, describe, word, len);
        buf_put_byte(&brc, describe, ')');
    }
    return brc ? eval_oom(ev) : BRIEF_OK;
}

/* The list of a single token: the union of its words' postings. */
static int
token_union(eval *ev, eleaf *l, const char *word, size_t len, plist *out,
            buf *describe)
{
    buf words = { NULL, 0, 0 };
    size_t maybe;
    int rc = token_words(ev, word, len, &words, &maybe, describe);

    if (!rc)
        rc = union_words(ev, l, &words, maybe, out);
    buf_free(&words);
    return rc;
}

/* The list of a phrase of n tokens (words NUL-separated, at offsets
 * offs): each token's words' postings, matched by plist_phrase() without
 * uniting them first (the unions were most of a common phrase's time). */
static int
phrase_list(eval *ev, eleaf *l, const buf *tokens, const uint32_t *offs,
            size_t n, plist *out, buf *describe)
{
    wchunks wc = { 0 };
    size_t *first = calloc(n + 1, sizeof *first);
    pcursor *cur = NULL;
    buf words = { NULL, 0, 0 };
    int rc = first ? BRIEF_OK : eval_oom(ev), prc;

    /* Token k's words are wc's words first[k] .. first[k + 1]. */
    for (size_t k = 0, off = 0; k < n && !rc; k++) {
        const char *w = (const char *)tokens->data + off;
        size_t wlen = strlen(w), maybe;
        off += wlen + 1;
        words.len = 0;
        first[k] = wc.n;
        rc = token_words(ev, w, wlen, &words, &maybe, describe);
        if (!rc)
            rc = words_chunks(ev, l, &words, maybe, &wc);
    }
    if (!rc && wc.n && !(cur = calloc(wc.n, sizeof *cur)))
        rc = eval_oom(ev);
    for (size_t i = 0; i < wc.n && !rc; i++) {
        size_t from = i ? wc.word[i - 1].end : 0, to = wc.word[i].end;
        /* A word without chunks: refs may be NULL (no word had any). */
        if ((prc = pcursor_chunks(&cur[i], to > from ? wc.refs + from : NULL,
                                  to - from)))
            rc = prc == -2 ? eval_oom(ev) : corrupt(ev, "a phrase's word");
    }
    if (!rc) {
        first[n] = wc.n;
        if ((prc = plist_phrase(cur, first, offs, n, out)))
            rc = prc == -2 ? eval_oom(ev) : corrupt(ev, "a phrase's word");
    }
    for (size_t i = 0; cur && i < wc.n; i++)
        pcursor_free(&cur[i]);
    free(cur);
    wchunks_free(&wc);
    buf_free(&words);
    free(first);
    return rc;
}

static uint32_t *
realloc_u32(uint32_t *p, size_t n)
{
    uint32_t *q = realloc(p, n * sizeof *q);

    if (!q)
        free(p);
    return q;
}

static eleaf *
new_leaf(eval *ev, const qnode *q)
{
    eleaf *l;

    if (ev->n_leaves == ev->cap_leaves) {
        size_t cap = ev->cap_leaves ? ev->cap_leaves * 2 : 8;
        eleaf *p = realloc(ev->leaves, cap * sizeof *p);
        if (!p)
            return NULL;
        ev->leaves = p;
        ev->cap_leaves = cap;
    }
    l = &ev->leaves[ev->n_leaves++];
    memset(l, 0, sizeof *l);
    l->q = q;
    l->span = 1;
    l->list.cache = &ev->ix->blocks;
    return l;
}

static int
nothing_to_search(eval *ev, const qnode *q)
{
    ev->ix->err.offset = (long)q->offset;
    return err_set(&ev->ix->err, BRIEF_ESYNTAX, "query:1:%zu: nothing "
                   "searchable in '%.*s'", q->offset + 1, (int)q->len,
                   q->text ? q->text : "");
}

/* A word or a phrase: the text is tokenized like documents are.  A word
 * that is one token (or a hyphenated compound) looks up that token; one
 * that yields several (CJK bigrams, "5G,A") is a phrase of them.  In a
 * phrase, compounds give way to their parts. */
static int
compile_words(eval *ev, eleaf *l, const char *text, size_t len, bool phrase)
{
    tokenizer *tk = ev->ix->tok;
    token tok;
    buf words = { NULL, 0, 0 }, describe = { NULL, 0, 0 };
    uint32_t *offs = NULL, first = 0;
    size_t n = 0;
    int rc = BRIEF_OK, brc = 0;

    /* Collect the words first: tok.word lives only until the next call. */
    tokenizer_reset(tk, text, len, 0);
    while (tokenizer_next(tk, &tok)) {
        bool compound = tok.flags & TOKEN_COMPOUND;
        if (compound && (phrase || n))
            continue;
        if (n == 0)
            first = tok.pos;
        if (!(offs = realloc_u32(offs, n + 1))) {
            rc = eval_oom(ev);
            goto out;
        }
        offs[n++] = tok.pos - first;
        buf_put(&brc, &words, tok.word, tok.word_len);
        buf_put_byte(&brc, &words, 0);
        if (compound)
            break;
    }
    if (brc) {
        rc = eval_oom(ev);
        goto out;
    }
    if (n == 0) {
        rc = nothing_to_search(ev, l->q);
        goto out;
    }
    if (n == 1) {
        rc = token_union(ev, l, (const char *)words.data,
                         strlen((const char *)words.data), &l->list,
                         &describe);
    } else {
        rc = phrase_list(ev, l, &words, offs, n, &l->list, &describe);
        l->span = offs[n - 1] + 1;
    }
    buf_put_byte(&brc, &describe, 0);
    if (!rc && brc)
        rc = eval_oom(ev);
    if (rc)
        goto out;
    l->describe = (char *)describe.data;
    describe.data = NULL;
out:
    free(offs);
    buf_free(&words);
    buf_free(&describe);
    return rc;
}

/* A prefix: the union of every index word that begins with it. */
static int
compile_prefix(eval *ev, eleaf *l)
{
    char prefix[TOKEN_MAX_FOLDED + 1];
    size_t plen = text_fold(l->q->text, strlen(l->q->text), prefix,
                            sizeof prefix);
    unsigned char key[TERMS_KEY_MAX + 1];
    buf words = { NULL, 0, 0 };
    segcur *cur;
    size_t n = 0;
    sval k, v;
    int rc, brc = 0;

    if (plen == 0)
        return nothing_to_search(ev, l->q);
    if ((rc = words_cursor(ev, &cur)))
        return rc;
    memcpy(key, prefix, plen);
    rc = segcur_seek(cur, key, plen, &k, &v);
    while (rc == BRIEF_OK) {
        const unsigned char *zero = memchr(k.p, 0, k.len);
        size_t wlen = zero ? (size_t)(zero - k.p) : k.len;
        if (wlen < plen || memcmp(k.p, prefix, plen) != 0)
            break;
        if (++n > MAX_PREFIX_WORDS) {
            buf_free(&words);
            ev->ix->err.offset = (long)l->q->offset;
            return err_set(&ev->ix->err, BRIEF_ESYNTAX, "query:1:%zu: "
                           "'%s*' matches more than %d words; make the "
                           "prefix longer", l->q->offset + 1, l->q->text,
                           MAX_PREFIX_WORDS);
        }
        buf_put(&brc, &words, k.p, wlen);
        buf_put_byte(&brc, &words, 0);
        /* Skip the word's other chunks: word | 0x01 sorts after them. */
        memcpy(key, k.p, wlen);
        key[wlen] = 1;
        rc = segcur_seek_ahead(cur, key, wlen + 1, &k, &v);
    }
    if (brc)
        rc = eval_oom(ev);
    else if (rc == BRIEF_OK || rc == BRIEF_DONE)
        rc = union_words(ev, l, &words, SIZE_MAX, &l->list);
    buf_free(&words);
    if (!rc) {
        char d[64];
        snprintf(d, sizeof d, "%zu words", n);
        if (!(l->describe = strdup(d)))
            rc = eval_oom(ev);
    }
    return rc;
}

/* path:GLOB: every passage of each document whose path matches: as stored
 * (relative to the index's parent), as shown (relative to the current
 * directory) or, for a glob without '/', its file name. */
static int
compile_path(eval *ev, eleaf *l)
{
    const char *glob = l->q->text;
    bool base_only = !strchr(glob, '/');
    store_cursor *cur;
    sval k, v;
    char path[4096], cwd[4096];
    size_t n_docs = 0;
    int rc;

    l->scoring = false;
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    if ((rc = store_cursor_open(ev->t, DB_DOCS, &cur, &ev->ix->err)))
        return rc;
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        uint32_t docid, n_pass;
        size_t plen;
        const char *name;
        if (k.len != 4 || v.len < DOC_REC_FIXED ||
            v.len - DOC_REC_FIXED >= sizeof path) {
            store_cursor_close(cur);
            return err_set(&ev->ix->err, BRIEF_ECORRUPT,
                           "docs: a record is malformed");
        }
        docid = get_u32be(k.p);
        n_pass = get_u32le(v.p + 24);
        plen = v.len - DOC_REC_FIXED;
        memcpy(path, v.p + DOC_REC_FIXED, plen);
        path[plen] = '\0';
        name = strrchr(path, '/');
        name = name ? name + 1 : path;
        if (fnmatch(glob, path, 0) != 0 &&
            !(base_only && fnmatch(glob, name, 0) == 0)) {
            char *abs = index_abs_path(ev->ix, path, plen), *shown;
            bool match;
            if (!abs || !(shown = path_display(abs, cwd))) {
                free(abs);
                store_cursor_close(cur);
                return eval_oom(ev);
            }
            match = fnmatch(glob, shown, 0) == 0;
            free(abs);
            free(shown);
            if (!match)
                continue;
        }
        n_docs++;
        {
            /* The count in the record must agree with the passages
             * themselves: a corrupt count must not run away. */
            unsigned char key[4];
            sval pv;
            put_u32be(key, docid);
            rc = store_get(ev->t, DB_PASSAGES, key, 4, &pv, &ev->ix->err);
            if (rc || passage_rec_count(pv.p, pv.len) != n_pass) {
                store_cursor_close(cur);
                return rc && rc != BRIEF_DONE ? rc :
                       err_set(&ev->ix->err, BRIEF_ECORRUPT, "document %u: "
                               "passage count disagrees with its passages",
                               docid);
            }
        }
        for (uint32_t i = 0; i < n_pass; i++)
            if (plist_push(&l->list, PID(docid, i), NULL, 0)) {
                store_cursor_close(cur);
                return eval_oom(ev);
            }
    }
    store_cursor_close(cur);
    if (rc != BRIEF_DONE)
        return rc;
    snprintf(path, sizeof path, "%zu documents", n_docs);
    return (l->describe = strdup(path)) ? BRIEF_OK : eval_oom(ev);
}

/* Depth-first, left to right: eval_run() visits the leaves in the same
 * order. */
static int
compile_node(eval *ev, const qnode *q, bool positive)
{
    eleaf *l;
    int rc;

    switch (q->kind) {
    case Q_AND:
    case Q_OR:
    case Q_NEAR:
        for (size_t i = 0; i < q->n_kids; i++)
            if ((rc = compile_node(ev, q->kids[i], positive)))
                return rc;
        return BRIEF_OK;
    case Q_NOT:
        return compile_node(ev, q->kids[0], false);
    default:
        break;
    }
    if (!(l = new_leaf(ev, q)))
        return eval_oom(ev);
    l->scoring = positive;
    switch (q->kind) {
    case Q_TERM:
        return compile_words(ev, l, q->text, strlen(q->text), false);
    case Q_PHRASE: {
        buf text = { NULL, 0, 0 };
        int brc = 0;
        for (size_t i = 0; i < q->n_words; i++) {
            if (i)
                buf_put_byte(&brc, &text, ' ');
            buf_put_str(&brc, &text, q->words[i]);
        }
        rc = brc ? eval_oom(ev) : compile_words(ev, l, (char *)text.data,
                                                text.len, true);
        buf_free(&text);
        return rc;
    }
    case Q_PREFIX:
        return compile_prefix(ev, l);
    case Q_PATH:
        return compile_path(ev, l);
    case Q_FIG:
        return eval_figre_compile_fig(ev, l);
    case Q_RE:
        return eval_figre_compile_re(ev, l);
    default:
        return err_set(&ev->ix->err, BRIEF_EINVAL, "bad query node");
    }
}

int
eval_compile(eval **out, brief_index *ix, store_txn *t, const query *q)
{
    eval *ev = calloc(1, sizeof *ev);
    int rc;

    *out = NULL;
    if (!ev)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    ev->ix = ix;
    ev->t = t;
    ev->q = q;
    rc = compile_node(ev, query_root(q), true);
    segcur_close(ev->words);
    ev->words = NULL;
    if (rc) {
        eval_free(ev);
        return rc;
    }
    for (size_t i = 0; i < ev->n_leaves; i++)
        if (ev->leaves[i].n_words > 1)
            qsort(ev->leaves[i].words, ev->leaves[i].n_words, sizeof(char *),
              cmp_cstr);
    *out = ev;
    return BRIEF_OK;
}

/* ---------------------------------------------------------------- */
/* Boolean combination                                               */
/* ---------------------------------------------------------------- */

static int
set_from_list(const plist *l, idset *out)
{
    out->n = l->n;
    out->ids = malloc((l->n + 1) * sizeof *out->ids);
    if (!out->ids)
        return -1;
    if (l->n)
        memcpy(out->ids, l->ids, l->n * sizeof *out->ids);
    return 0;
}

/* a := a AND b (keep = true) or a AND NOT b (keep = false). */
static void
set_filter(idset *a, const idset *b, bool keep)
{
    size_t i, j = 0, n = 0;

    for (i = 0; i < a->n; i++) {
        while (j < b->n && b->ids[j] < a->ids[i])
            j++;
        if ((j < b->n && b->ids[j] == a->ids[i]) == keep)
            a->ids[n++] = a->ids[i];
    }
    a->n = n;
}

static int
set_union(idset *a, const idset *b)
{
    uint64_t *ids = malloc((a->n + b->n + 1) * sizeof *ids);
    size_t i = 0, j = 0, n = 0;

    if (!ids)
        return -1;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->ids[i] < b->ids[j]))
            ids[n++] = a->ids[i++];
        else if (i == a->n || b->ids[j] < a->ids[i])
            ids[n++] = b->ids[j++];
        else
            ids[n++] = a->ids[i++], j++;
    }
    free(a->ids);
    a->ids = ids;
    a->n = n;
    return 0;
}

/* Whether some occurrence of a and of b lie at most k words apart (words
 * between the end of one and the start of the other). */
static bool
near_in(const eleaf *a, size_t i, const eleaf *b, size_t j, unsigned k)
{
    ppos sa[POSTINGS_MAX_TF], sb[POSTINGS_MAX_TF];
    const ppos *pa = plist_pos(&a->list, i, sa);
    const ppos *pb = plist_pos(&b->list, j, sb);
    uint32_t na = a->list.tf[i], nb = b->list.tf[j];

    for (uint32_t x = 0; x < na; x++)
        for (uint32_t y = 0; y < nb; y++) {
            long s = pa[x], t = pb[y];
            long gap = s < t ? t - (s + (long)a->span) :
                               s - (t + (long)b->span);
            if (gap <= (long)k)
                return true;
        }
    return false;
}

static int
near_set(const eleaf *a, const eleaf *b, unsigned k, idset *out)
{
    size_t j = 0;

    out->n = 0;
    out->ids = malloc((a->list.n + 1) * sizeof *out->ids);
    if (!out->ids)
        return -1;
    for (size_t i = 0; i < a->list.n; i++) {
        while (j < b->list.n && b->list.ids[j] < a->list.ids[i])
            j++;
        if (j < b->list.n && b->list.ids[j] == a->list.ids[i] &&
            near_in(a, i, b, j, k))
            out->ids[out->n++] = a->list.ids[i];
    }
    return 0;
}

static int
run_node(eval *ev, const qnode *q, size_t *leaf, idset *out)
{
    idset kid;
    int rc;

    out->ids = NULL;
    out->n = 0;
    switch (q->kind) {
    case Q_AND: {
        idset *neg = calloc(q->n_kids, sizeof *neg);
        bool have = false;
        if (!neg)
            return -1;
        rc = 0;
        for (size_t i = 0; i < q->n_kids && !rc; i++) {
            const qnode *c = q->kids[i];
            bool is_not = c->kind == Q_NOT;
            if ((rc = run_node(ev, is_not ? c->kids[0] : c, leaf, &kid)))
                break;
            if (is_not) {
                neg[i] = kid;
            } else if (!have) {
                *out = kid;
                have = true;
            } else {
                set_filter(out, &kid, true);
                free(kid.ids);
            }
        }
        for (size_t i = 0; i < q->n_kids; i++) {
            if (!rc && neg[i].ids)
                set_filter(out, &neg[i], false);
            free(neg[i].ids);
        }
        free(neg);
        return rc;
    }
    case Q_OR:
        for (size_t i = 0; i < q->n_kids; i++) {
            if ((rc = run_node(ev, q->kids[i], leaf, &kid)))
                return rc;
            if (i == 0) {
                *out = kid;
                continue;
            }
            rc = set_union(out, &kid);
            free(kid.ids);
            if (rc)
                return rc;
        }
        return 0;
    case Q_NEAR: {
        const eleaf *a = &ev->leaves[*leaf], *b = &ev->leaves[*leaf + 1];
        *leaf += 2;
        return near_set(a, b, q->k, out);
    }
    case Q_NOT:
        return -1;              /* the parser keeps NOT inside AND */
    default:
        return set_from_list(&ev->leaves[(*leaf)++].list, out);
    }
}

int
eval_run(eval *ev, const uint64_t **ids, size_t *n)
{
    size_t leaf = 0;

    free(ev->result.ids);
    if (run_node(ev, query_root(ev->q), &leaf, &ev->result))
        return err_set(&ev->ix->err, BRIEF_ENOMEM, "out of memory");
    *ids = ev->result.ids;
    *n = ev->result.n;
    return BRIEF_OK;
}

eleaf *
eval_leaves(eval *ev, size_t *n)
{
    *n = ev->n_leaves;
    return ev->leaves;
}

bool
eval_leaf_has_word(const eleaf *l, const char *word, size_t len)
{
    size_t lo = 0, hi = l->n_words;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(l->words[mid], word, len);
        if (c == 0 && l->words[mid][len] != '\0')
            c = 1;
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void
eval_free(eval *ev)
{
    if (!ev)
        return;
    for (size_t i = 0; i < ev->n_leaves; i++) {
        eleaf *l = &ev->leaves[i];
        plist_free(&l->list);
        regex_free(l->re);
        for (size_t j = 0; j < l->n_words; j++)
            free(l->words[j]);
        free(l->words);
        free(l->describe);
    }
    free(ev->leaves);
    free(ev->result.ids);
    free(ev);
}
