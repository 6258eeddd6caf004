/*
 * textstore.c: the text database.  Documents' texts are packed into
 * blocks of consecutive docids; this file alone knows the layout.
 *
 * Format (docs/FORMAT.md "text" is the user-facing copy):
 *
 *   text: u32be first docid -> block
 *   block := n | { docid delta | len }{n} | text{n}      (n, deltas and
 *            lens are varints)
 *            n >= 1; the first delta is 0 (its docid is the key's), later
 *            ones > 0; the texts follow the header in the same order and
 *            their lens add up to the rest of the value.
 *
 * Example: documents 7 ("ab") and 9 ("xyz") in one block under key 7:
 * [2, 0,2, 2,3, 'a','b', 'x','y','z'].
 *
 * Why blocks: a value larger than about 2 KiB takes whole 4 KiB overflow
 * pages, so a document of 6 KB stored alone wasted 2 KB on average (15 MB
 * of 87 MB on large/).  A block ends where its last page is nearly full,
 * so little is wasted; a text stays one contiguous run of the block, read
 * in place from the map.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "blkcache.h"
#include "buf.h"
#include "textstore.h"

/* A block is closed once it holds this many bytes of text, and a text
 * this large gets a block of its own: removing a document rewrites its
 * block, which this bounds (to twice as much) for documents that share
 * one. */
#define TEXT_BLOCK_MAX ((size_t)64 << 10)
/* LMDB's overflow pages: a value above about 2 KiB (half a leaf page)
 * takes ceil((len + 16) / 4096) of them; 16 is the page header.  The page
 * is the OS page, 4 KiB on the machines brief runs on; on another size
 * the rule below wastes more, nothing else changes. */
#define TEXT_PAGE 4096
#define TEXT_PAGE_HDR 16
#define TEXT_INLINE_MAX 2000
/* A block is closed early when its last page is at most this much short
 * of full. */
#define TEXT_PAGE_SLACK 512

/* Decode the header of a block of vlen bytes keyed first, of which the
 * first hlen (<= vlen) are at h: the first document whose docid is at
 * least want, its docid in *docid and its text's offset and length in
 * the block in *off and *len, and the block's last docid in *last.
 * Returns 0, 1 when every docid is below want, -1 when the block is
 * malformed, or -2 when the header runs past the hlen bytes at hand. */
static int
decode(const unsigned char *h, size_t hlen, size_t vlen, uint32_t first,
       uint32_t want, uint32_t *docid, size_t *off, size_t *len,
       uint32_t *last)
{
    const unsigned char *p = h, *end;
    uint64_t n, delta, dlen, id = first, before = 0, total = 0;
    bool found = false;

    if (hlen == 0)                  /* h may be NULL: an empty value */
        return vlen ? -2 : -1;
    end = h + hlen;
    if (varint_get(&p, end, &n))
        return hlen < vlen ? -2 : -1;
    if (n == 0 || n > (uint64_t)(vlen - (size_t)(p - h)) / 2)
        return -1;
    for (uint64_t i = 0; i < n; i++) {
        if (varint_get(&p, end, &delta) || varint_get(&p, end, &dlen))
            return hlen < vlen ? -2 : -1;
        if ((i == 0) != (delta == 0) || dlen > vlen)
            return -1;
        id += delta;
        if (id > UINT32_MAX)
            return -1;
        if (!found && id >= want) {
            found = true;
            *docid = (uint32_t)id;
            before = total;
            *len = (size_t)dlen;
        }
        total += dlen;
    }
    if (total != (uint64_t)(vlen - (size_t)(p - h)))
        return -1;
    *last = (uint32_t)id;
    if (!found)
        return 1;
    *off = (size_t)(p - h) + (size_t)before;
    return 0;
}

void
textreader_init(textreader *r, store_txn *t)
{
    memset(r, 0, sizeof *r);
    r->t = t;
}

void
textreader_copying(textreader *r)
{
    r->copy = true;
}

void
textreader_close(textreader *r)
{
    store_cursor_close(r->cur);
    r->cur = NULL;
    r->block = NULL;
    free(r->hdr);
    free(r->text);
    r->hdr = r->text = NULL;
    r->hdr_cap = r->text_cap = 0;
}

static int
corrupt(const textreader *r, brief_err *e)
{
    return err_set(e, BRIEF_ECORRUPT, "the text block of document %u is "
                   "malformed", r->first);
}

/* Grow *p to hold n bytes. */
static int
reserve(unsigned char **p, size_t *cap, size_t n, brief_err *e)
{
    unsigned char *q;

    if (n <= *cap)
        return BRIEF_OK;
    if (!(q = realloc(*p, n)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    *p = q;
    *cap = n;
    return BRIEF_OK;
}

/* decode() over the header of the block in hand. */
static int
locate(const textreader *r, uint32_t want, uint32_t *docid, size_t *off,
       size_t *len, uint32_t *last)
{
    size_t vlen = (size_t)(r->end - r->block);

    return r->copy ? decode(r->hdr, r->hdr_len, vlen, r->first, want, docid,
                            off, len, last)
                   : decode(r->block, vlen, vlen, r->first, want, docid, off,
                            len, last);
}

/* A header is read this much at a time when copying: a block of 64 KiB
 * of texts of 6 KB has about 25 bytes of it. */
#define TEXT_HDR_READ 256

/* Make (k, v) the block in hand; BRIEF_ECORRUPT when it is malformed.
 * When copying, its header is read into r->hdr, more until it is whole;
 * v's bytes themselves are not touched.  The walk that checks the header
 * also finds the first document at or past want, as locate() does:
 * *found tells whether there is one, and *docid, *off and *len are its. */
static int
take(textreader *r, sval k, sval v, uint32_t want, bool *found,
     uint32_t *docid, size_t *off, size_t *len, brief_err *e)
{
    uint32_t last;
    int rc, drc;

    r->block = NULL;
    if (k.len != 4)
        return err_set(e, BRIEF_ECORRUPT, "a text key is malformed (%zu "
                       "bytes)", k.len);
    r->first = get_u32be(k.p);
    r->block = v.p;
    r->end = v.p + v.len;
    r->hdr_len = 0;
    do {
        if (r->copy) {
            size_t n = r->hdr_len ? r->hdr_len * 2 : TEXT_HDR_READ;
            r->hdr_len = n < v.len ? n : v.len;
            if ((rc = reserve(&r->hdr, &r->hdr_cap, r->hdr_len, e)) ||
                (rc = store_copy(r->t, v.p, r->hdr_len, r->hdr, e))) {
                r->block = NULL;
                return rc;
            }
        }
        drc = locate(r, want, docid, off, len, &last);
    } while (drc == -2);
    if (drc < 0) {
        r->block = NULL;
        return corrupt(r, e);
    }
    r->last = last;
    *found = drc == 0;
    return BRIEF_OK;
}

/* The text at [off, off + len) of the block in hand into *out: in place,
 * or when copying, read into r->text.  Texts larger than a block are read
 * in place even then: a buffer's fresh pages cost more than the map's
 * faults, each of which maps 16 pages (bench/PROFILE.md). */
static int
text_at(textreader *r, size_t off, size_t len, sval *out, brief_err *e)
{
    int rc;

    if (!r->copy || len > TEXT_BLOCK_MAX) {
        *out = (sval){ r->block + off, len };
        return BRIEF_OK;
    }
    if (!r->text) {
        /* Its pages are mapped in one call (blk_get()), not a fault
         * each.  It is cleared once: PCRE2's JIT reads whole words past
         * a subject's end, which valgrind reports when they were never
         * written (make memcheck). */
        if (!(r->text = blk_get(NULL, TEXT_BLOCK_MAX, &r->text_cap)))
            return err_set(e, BRIEF_ENOMEM, "out of memory");
        memset(r->text, 0, r->text_cap);
    }
    if ((rc = store_copy(r->t, r->block + off, len, r->text, e)))
        return rc;
    *out = (sval){ r->text, len };
    return BRIEF_OK;
}

/* Load the block that would hold docid: the one with the largest first
 * docid <= docid.  BRIEF_DONE when there is none; otherwise take()'s
 * *found, *d, *off and *len for docid. */
static int
seek_block(textreader *r, uint32_t docid, bool *found, uint32_t *d,
           size_t *off, size_t *len, brief_err *e)
{
    unsigned char key[4];
    sval k, v;
    int rc;

    if (!r->cur && (rc = store_cursor_open(r->t, DB_TEXT, &r->cur, e)))
        return rc;
    put_u32be(key, docid);
    rc = store_cursor_seek(r->cur, key, 4, &k, &v);
    if (rc == BRIEF_OK && !(k.len == 4 && get_u32be(k.p) == docid))
        rc = store_cursor_prev(r->cur, &k, &v);
    else if (rc == BRIEF_DONE)
        rc = store_cursor_last(r->cur, &k, &v);
    if (rc)
        return rc;
    return take(r, k, v, docid, found, d, off, len, e);
}

int
textreader_get(textreader *r, uint32_t docid, sval *out, brief_err *e)
{
    uint32_t d, last;
    size_t off, len;
    bool found;
    int rc;

    if (!r->block || docid < r->first || docid > r->last) {
        if ((rc = seek_block(r, docid, &found, &d, &off, &len, e)))
            return rc;
        if (docid < r->first || docid > r->last)
            return BRIEF_DONE;
    } else {
        if ((rc = locate(r, docid, &d, &off, &len, &last)) < 0)
            return corrupt(r, e);
        found = rc == 0;
    }
    if (!found || d != docid)
        return BRIEF_DONE;
    return text_at(r, off, len, out, e);
}

int
textreader_next(textreader *r, uint32_t *docid, sval *out, brief_err *e)
{
    unsigned char key[4];
    uint32_t last;
    size_t off, len;
    bool found = false;
    sval k, v;
    int rc;

    if (!r->block || r->next > r->last) {
        if (r->block && r->last == UINT32_MAX)
            return BRIEF_DONE;
        if (!r->cur && (rc = store_cursor_open(r->t, DB_TEXT, &r->cur, e)))
            return rc;
        put_u32be(key, r->next);
        if ((rc = store_cursor_seek(r->cur, key, 4, &k, &v)) ||
            (rc = take(r, k, v, r->next, &found, docid, &off, &len, e)))
            return rc;
    }
    /* A block sought past r->next begins at or after it: found. */
    if (!found && locate(r, r->next, docid, &off, &len, &last))
        return corrupt(r, e);
    r->next = *docid + 1;
    if (*docid == UINT32_MAX)
        r->last = UINT32_MAX;
    return text_at(r, off, len, out, e);
}

int
textstore_get(store_txn *t, uint32_t docid, sval *out, brief_err *e)
{
    textreader r;
    int rc;

    textreader_init(&r, t);
    rc = textreader_get(&r, docid, out, e);
    textreader_close(&r);
    return rc;
}

/* Append to b the block of docs[0..n). */
static void
encode(int *rc, buf *b, const struct textpack_doc *docs, size_t n)
{
    buf_put_varint(rc, b, n);
    for (size_t i = 0; i < n; i++) {
        buf_put_varint(rc, b, i ? docs[i].docid - docs[i - 1].docid : 0);
        buf_put_varint(rc, b, docs[i].len);
    }
    for (size_t i = 0; i < n; i++)
        buf_put(rc, b, docs[i].text, docs[i].len);
}

/* Write docs[0..n) as one block (with MDB_APPEND when append, for keys
 * above every stored one). */
static int
put_block(store_txn *t, const struct textpack_doc *docs, size_t n,
          bool append, brief_err *e)
{
    unsigned char key[4];
    buf b = { NULL, 0, 0 };
    int rc = 0;

    encode(&rc, &b, docs, n);
    if (rc) {
        buf_free(&b);
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    }
    put_u32be(key, docs[0].docid);
    rc = append ? store_append(t, DB_TEXT, key, 4, b.data, b.len, e)
                : store_put(t, DB_TEXT, key, 4, b.data, b.len, e);
    buf_free(&b);
    return rc;
}

int
textstore_del(store_txn *t, uint32_t docid, brief_err *e)
{
    textreader r;
    struct textpack_doc *docs = NULL;
    unsigned char key[4], *copy = NULL;
    const unsigned char *p;
    size_t n = 0, len, off, dlen;
    uint64_t count = 0;
    uint32_t d = 0, last;
    sval text;
    int rc;

    textreader_init(&r, t);
    rc = textreader_get(&r, docid, &text, e);
    if (rc == BRIEF_DONE) {
        textreader_close(&r);
        return BRIEF_OK;
    }
    if (rc)
        goto out;
    /* The writes below may move the map's pages: work on a copy.  The
     * count was checked when the reader took the block. */
    len = (size_t)(r.end - r.block);
    p = r.block;
    varint_get(&p, r.end, &count);
    if (!(copy = malloc(len)) || !(docs = malloc(count * sizeof *docs))) {
        rc = err_set(e, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(copy, r.block, len);
    for (uint32_t want = r.first;
         n < count && decode(copy, len, len, r.first, want, &d, &off,
                             &dlen, &last) == 0; want = d + 1) {
        if (d != docid)
            docs[n++] = (struct textpack_doc){ d, copy + off, dlen };
        if (d == UINT32_MAX)
            break;
    }
    put_u32be(key, r.first);
    if (!n || docs[0].docid != r.first)
        rc = store_del(t, DB_TEXT, key, 4, NULL, 0, e);
    if (!rc && n)
        rc = put_block(t, docs, n, false, e);
out:
    textreader_close(&r);
    free(docs);
    free(copy);
    return rc;
}

void
textpack_init(textpack *p, store_txn *t)
{
    memset(p, 0, sizeof *p);
    p->t = t;
}

/* Write the pending documents as one block. */
static int
flush(textpack *p, brief_err *e)
{
    int rc;

    if (!p->n)
        return BRIEF_OK;
    rc = put_block(p->t, p->docs, p->n, true, e);
    p->n = 0;
    p->bytes = p->hdr = 0;
    return rc;
}

/* Whether the pending block is worth closing: large enough, or ending
 * close to the end of an overflow page. */
static bool
full(const textpack *p)
{
    unsigned char tmp[10];
    size_t len = varint_put(tmp, p->n) + p->hdr + p->bytes, tail;

    if (p->bytes >= TEXT_BLOCK_MAX)
        return true;
    if (len <= TEXT_INLINE_MAX)
        return false;
    tail = (len + TEXT_PAGE_HDR) % TEXT_PAGE;
    return tail == 0 || tail >= TEXT_PAGE - TEXT_PAGE_SLACK;
}

int
textpack_add(textpack *p, uint32_t docid, const void *text, size_t len,
             brief_err *e)
{
    unsigned char tmp[10];
    int rc;

    if (len >= TEXT_BLOCK_MAX && (rc = flush(p, e)))
        return rc;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        struct textpack_doc *d = realloc(p->docs, cap * sizeof *d);
        if (!d)
            return err_set(e, BRIEF_ENOMEM, "out of memory");
        p->docs = d;
        p->cap = cap;
    }
    p->hdr += varint_put(tmp, p->n ? docid - p->docs[p->n - 1].docid : 0) +
              varint_put(tmp, len);
    p->docs[p->n++] = (struct textpack_doc){ docid, text, len };
    p->bytes += len;
    return full(p) ? flush(p, e) : BRIEF_OK;
}

int
textpack_flush(textpack *p, brief_err *e)
{
    return flush(p, e);
}

void
textpack_free(textpack *p)
{
    free(p->docs);
    p->docs = NULL;
    p->n = p->cap = 0;
}
