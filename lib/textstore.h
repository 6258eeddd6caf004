/*
 * textstore.h: the documents' stored text.  Consecutive documents'
 * texts are packed into blocks, so that a text does not round up to
 * whole overflow pages on its own (the layout is at the top of
 * textstore.c; nothing else knows it).  A text is one contiguous run of
 * bytes inside its block, so readers still get it straight from the map.
 *
 * Typical use, reading the texts of ascending documents:
 *
 *     textreader r;
 *     sval text;
 *     textreader_init(&r, t);
 *     for (each docid)
 *         if ((rc = textreader_get(&r, docid, &text, e)))
 *             break;
 *     textreader_close(&r);
 */
#ifndef BRIEF_TEXTSTORE_H
#define BRIEF_TEXTSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

/* A reader of the text database in transaction t.  It keeps the last
 * block it read, so documents of one block cost no second look-up.  The
 * fields are private to textstore.c. */
typedef struct textreader {
    store_txn *t;
    store_cursor *cur;          /* opened on first use */
    const unsigned char *block, *end;   /* the block in hand, if any */
    uint32_t first, last;       /* its first and last docid */
    uint32_t next;              /* textreader_next(): the docid after */
    bool copy;                  /* textreader_copying() */
    unsigned char *hdr, *text;  /* copying: the block's header, the text */
    size_t hdr_len, hdr_cap, text_cap;
} textreader;

void textreader_init(textreader *r, store_txn *t);
/* Read the texts with store_copy() instead of in place: a text is then
 * valid only until the reader's next call, and reading it takes no page
 * fault on the map.  For readers that visit many documents once each (a
 * regex scan): on a machine where a fault costs 18 us, copying took r01
 * (356 candidates on large/) 22-41 % faster
 * (bench/PROFILE.md). */
void textreader_copying(textreader *r);
/* Release the reader's cursor.  Accepts a reader never used. */
void textreader_close(textreader *r);

/* Document docid's text into *out.  Borrowed: valid until the
 * transaction ends or writes (copy it before writing).  Returns BRIEF_OK,
 * BRIEF_DONE when the document has no text, BRIEF_ECORRUPT for a block
 * that does not decode, or an LMDB error. */
int textreader_get(textreader *r, uint32_t docid, sval *out, brief_err *e);

/* The next stored text in docid order (the first with a fresh reader):
 * *docid and *out (borrowed as above).  BRIEF_DONE after the last. */
int textreader_next(textreader *r, uint32_t *docid, sval *out,
                    brief_err *e);

/* One document's text, for a single look-up (textreader_get with a
 * reader of its own). */
int textstore_get(store_txn *t, uint32_t docid, sval *out, brief_err *e);

/* Delete document docid's text: its block is written again without it
 * (under its new first docid when docid was the first), or deleted when
 * it held only docid.  A document without text is not an error. */
int textstore_del(store_txn *t, uint32_t docid, brief_err *e);

/* New documents' texts, packed into blocks as they come in ascending
 * docid order (larger than every stored docid).  The texts are not
 * copied until textpack_flush() or a full block: they must stay valid
 * until then.  The fields are private to textstore.c. */
typedef struct textpack {
    store_txn *t;
    struct textpack_doc {
        uint32_t docid;
        const void *text;
        size_t len;
    } *docs;
    size_t n, cap;              /* pending documents */
    size_t bytes, hdr;          /* their text, their header entries */
} textpack;

void textpack_init(textpack *p, store_txn *t);
int textpack_add(textpack *p, uint32_t docid, const void *text, size_t len,
                 brief_err *e);
/* Write the pending documents' block. */
int textpack_flush(textpack *p, brief_err *e);
/* Free the packer; what is pending and not flushed is dropped. */
void textpack_free(textpack *p);

#endif
