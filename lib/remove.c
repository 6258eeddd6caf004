/*
 * remove.c: removing a stored document and everything it contributed.
 * There is no forward index: the document's stored text is tokenized
 * again to find its words, and the docid is cut out of each word's chunk.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "buf.h"
#include "figstore.h"
#include "postings.h"
#include "segment.h"
#include "terms.h"
#include "textstore.h"
#include "trigindex.h"
#include "writer.h"

/* A set of words: offsets into one buffer, open addressing. */
typedef struct wordset {
    buf words;               /* word bytes, each followed by a 0 */
    uint32_t *slots;         /* offset + 1; 0 = empty */
    size_t n, n_slots;
} wordset;

static int
wordset_add(wordset *s, const char *w, size_t len)
{
    size_t h;
    int rc = 0;

    if ((s->n + 1) * 2 > s->n_slots) {
        size_t n = s->n_slots ? s->n_slots * 2 : 1024;
        uint32_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return BRIEF_ENOMEM;
        for (size_t i = 0; i < s->n_slots; i++) {
            const char *x;
            if (!s->slots[i])
                continue;
            x = (const char *)s->words.data + s->slots[i] - 1;
            h = XXH3_64bits(x, strlen(x)) & (n - 1);
            while (slots[h])
                h = (h + 1) & (n - 1);
            slots[h] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->n_slots = n;
    }
    h = XXH3_64bits(w, len) & (s->n_slots - 1);
    while (s->slots[h]) {
        const char *x = (const char *)s->words.data + s->slots[h] - 1;
        if (strlen(x) == len && memcmp(x, w, len) == 0)
            return BRIEF_OK;
        h = (h + 1) & (s->n_slots - 1);
    }
    s->slots[h] = (uint32_t)s->words.len + 1;
    buf_put(&rc, &s->words, w, len);
    buf_put_byte(&rc, &s->words, 0);
    s->n++;
    return rc;
}

static void
wordset_free(wordset *s)
{
    buf_free(&s->words);
    free(s->slots);
}

/* Remove docid from word's postings (in the segment that holds it); drop
 * the word from the stems database when this was its last chunk. */
static int
remove_posting(store_txn *t, segcur *cur, brief_index *ix,
               const char *word, size_t len, uint32_t docid, buf *tmp)
{
    unsigned char key[TERMS_KEY_MAX];
    size_t klen = terms_key(key, word, len, docid), stem_len;
    const char *stem;
    uint32_t first, seg, new_first = 0;
    sval k, v;
    int rc;

    rc = segcur_floor(cur, key, klen, &k, &v);
    if (rc == BRIEF_OK && (k.len != klen || memcmp(k.p, key, klen - 4)))
        rc = BRIEF_DONE;
    if (rc)
        return err_set(&ix->err, BRIEF_ECORRUPT, "postings of '%s' lack "
                       "document %u", word, docid);
    first = get_u32be(k.p + klen - 4);
    seg = segcur_segment(cur)->id;
    rc = postings_chunk_remove(v.p, v.len, first, docid, tmp, &new_first);
    if (rc == 1 || rc == -1)
        return err_set(&ix->err, BRIEF_ECORRUPT, "postings of '%s' lack "
                       "document %u", word, docid);
    if (rc == -2)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    terms_key(key, word, len, first);
    if (tmp->len == 0 || new_first != first)
        if ((rc = segment_del(t, DB_POSTINGS, seg, key, klen, &ix->err)))
            return rc;
    if (tmp->len) {
        terms_key(key, word, len, new_first);
        return segment_put(t, DB_POSTINGS, seg, key, klen, tmp->data,
                           tmp->len, &ix->err);
    }
    /* The chunk is gone; is any other chunk of the word left? */
    terms_key(key, word, len, 0);
    rc = segcur_seek(cur, key, klen, &k, &v);
    if (rc == BRIEF_OK && k.len == klen && memcmp(k.p, key, klen - 4) == 0)
        return BRIEF_OK;
    if (rc != BRIEF_OK && rc != BRIEF_DONE)
        return rc;
    stem = terms_stem(ix->stem, word, len, &stem_len);
    if (!stem)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    if (stem_len == len && memcmp(stem, word, len) == 0)
        return BRIEF_OK;        /* its own stem: not in the stems database */
    return store_del(t, DB_STEMS, stem, stem_len, word, len, &ix->err);
}

/* Remove docid's figures and take them off the counter. */
static int
remove_figures(store_txn *t, brief_index *ix, uint32_t docid)
{
    unsigned char key[4];
    uint32_t n;
    sval v;
    int rc;

    put_u32be(key, docid);
    rc = store_get(t, DB_FIGURES, key, 4, &v, &ix->err);
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (!rc && figstore_count(v.p, v.len, &n))
        rc = err_set(&ix->err, BRIEF_ECORRUPT, "figures of document %u are "
                     "malformed", docid);
    if (rc || (rc = store_meta_add(t, "figures", -(int64_t)n, &ix->err)))
        return rc;
    return figstore_del(t, docid, &ix->err);
}

int
writer_remove_doc(store_txn *t, brief_index *ix, uint32_t docid)
{
    unsigned char key[4];
    doc_rec d;
    sval text, pk;
    wordset words = { { NULL, 0, 0 }, NULL, 0, 0 };
    trigset tris = { 0 };
    segcur *cur = NULL;
    buf tmp = { NULL, 0, 0 };
    char *text_copy = NULL, *path = NULL;
    size_t path_len, text_len;
    token tok;
    int rc;

    put_u32be(key, docid);
    if ((rc = writer_get_doc(t, docid, &d, &ix->err)))
        return rc == BRIEF_DONE ? BRIEF_OK : rc;
    rc = textstore_get(t, docid, &text, &ix->err);
    if (rc == BRIEF_DONE)
        rc = err_set(&ix->err, BRIEF_ECORRUPT, "document %u has no text",
                     docid);
    if (rc)
        return rc;
    /* Writes below may move the map's pages: work on copies. */
    text_len = text.len;
    path_len = d.path_len;
    text_copy = malloc(text_len + 1);
    path = malloc(path_len + 1);
    if (!text_copy || !path) {
        rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(text_copy, text.p, text_len);
    memcpy(path, d.path, path_len);
    tokenizer_reset(ix->tok, text_copy, text_len, 0);
    while (tokenizer_next(ix->tok, &tok))
        if ((rc = wordset_add(&words, tok.word, tok.word_len)))
            goto out;
    if ((rc = segcur_open(t, DB_POSTINGS, &cur, &ix->err)))
        goto out;
    for (size_t off = 0; off < words.words.len && !rc;) {
        const char *w = (const char *)words.words.data + off;
        size_t n = strlen(w);
        rc = remove_posting(t, cur, ix, w, n, docid, &tmp);
        off += n + 1;
    }
    if (rc)
        goto out;
    if (trigram_extract_zones(text_copy, text_len, ix->zone_bytes, &tris)) {
        rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = trigindex_remove(t, &tris, docid, &ix->err)))
        goto out;
    rc = store_get(t, DB_PATHS, path, path_len, &pk, &ix->err);
    if (rc == BRIEF_OK && pk.len == 4 && get_u32be(pk.p) == docid)
        rc = store_del(t, DB_PATHS, path, path_len, NULL, 0, &ix->err);
    else if (rc == BRIEF_DONE || rc == BRIEF_OK)
        rc = BRIEF_OK;
    if (rc ||
        (rc = store_meta_add(t, "documents", -1, &ix->err)) ||
        (rc = store_meta_add(t, "passages", -(int64_t)d.n_passages,
                             &ix->err)) ||
        (rc = store_meta_add(t, "tokens", -(int64_t)d.n_tokens,
                             &ix->err)) ||
        (rc = store_meta_add(t, "text_bytes", -(int64_t)text_len,
                             &ix->err)) ||
        (rc = remove_figures(t, ix, docid)) ||
        (rc = textstore_del(t, docid, &ix->err)) ||
        (rc = store_del(t, DB_PASSAGES, key, 4, NULL, 0, &ix->err)) ||
        (rc = store_del(t, DB_PLENS, key, 4, NULL, 0, &ix->err)))
        goto out;
    rc = store_del(t, DB_DOCS, key, 4, NULL, 0, &ix->err);
out:
    segcur_close(cur);
    wordset_free(&words);
    trigset_free(&tris);
    buf_free(&tmp);
    free(text_copy);
    free(path);
    return rc;
}
