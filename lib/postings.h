/*
 * postings.h: the posting-chunk codec and the in-memory posting list.
 * The byte format is written at the top of postings.c and in
 * docs/FORMAT.md.  Nothing here knows about LMDB.
 */
#ifndef BRIEF_POSTINGS_H
#define BRIEF_POSTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blkcache.h"
#include "buf.h"

/* A chunk stops growing once its value would pass this many bytes.  LMDB
 * keeps values up to about 2000 bytes inside its 4 KiB leaf pages; larger
 * ones take whole overflow pages, and updating one document would then
 * rewrite them.  A single document's entry may still exceed it. */
#define POSTINGS_CHUNK_MAX 1800

/* A passage id orders hits in document order: docid in the high half,
 * passage number within the document in the low half. */
#define PID(doc, pass) ((uint64_t)(doc) << 32 | (uint32_t)(pass))
#define PID_DOC(pid)   ((uint32_t)((pid) >> 32))
#define PID_PASS(pid)  ((uint32_t)(pid))

/* Positions within a passage are small: passages hold at most
 * PASSAGE_MAX_WORDS positions, so 16 bits leave room to spare. */
typedef uint16_t ppos;

/* The most positions one passage can hold for one word (larger term
 * frequencies are corruption); plist_pos() buffers hold this many. */
#define POSTINGS_MAX_TF 4096

/*
 * A decoded posting list at passage level: for the i-th passage ids[i],
 * its term frequency tf[i] and its positions, read with plist_pos().
 * They are in pos[off[i] .. off[i+1]), or, for a passage decoded lazily
 * (raw[i] not NULL), still encoded in the chunk at raw[i]: most passages
 * of a list are only counted and scored, never asked where they matched.
 */
typedef struct plist {
    size_t n, cap;
    uint64_t *ids;       /* one block holds ids, raw, tf and off */
    uint32_t *tf;
    uint32_t *off;       /* n + 1 entries once n > 0 */
    const unsigned char **raw;   /* borrowed from the chunks; see above */
    ppos *pos;
    size_t n_pos, pos_cap;
    blkcache *cache;     /* where the blocks come from and go back */
    size_t ent_bytes, pos_bytes;     /* the blocks' sizes (blk_get()) */
} plist;

/* Give l's blocks back to its cache (kept: l->cache) and empty it. */
void plist_free(plist *l);
void plist_clear(plist *l);
/* Append a passage with its positions (sorted); ids must ascend. */
int plist_push(plist *l, uint64_t id, const ppos *pos, uint32_t n_pos);
/* Append entry i of src (lazy or not) to l; ids must ascend. */
int plist_push_from(plist *l, const plist *src, size_t i);
/* out := the union of lists[0..k): each passage once, with the positions
 * of every list that has it merged (at most 2 * POSTINGS_MAX_TF).  The
 * lists are merged two at a time, the shortest first.  Returns 0 or -2
 * (out of memory). */
int plist_union(const plist *lists, size_t k, plist *out);
/* a := the union of a and b, as plist_union() makes it, in a's block
 * (grown first if it has no room for b's entries).  For a list without
 * decoded positions, as a word's list decoded lazily is: -1 when a has
 * some (a unchanged).  Returns 0, -1 or -2 (out of memory). */
int plist_union_into(plist *a, const plist *b);
/* A posting chunk in the map (valid while the read transaction is): its
 * bytes and its key's first docid. */
typedef struct pchunk {
    const unsigned char *p;
    size_t len;
    uint32_t first;
} pchunk;

/*
 * A cursor over one word's passages: over its chunks, decoded one at a
 * time (lazily) into buf, those wholly before a sought passage skipped
 * by their headers unread; or over a list decoded already (list).  The
 * current passage is entry i of the list in hand; past the last one,
 * pcursor_id() is UINT64_MAX.  A phrase of common words so reads a few
 * KB at a time instead of whole lists (k07 on large/: 700 KB).
 */
typedef struct pcursor {
    const pchunk *chunks;
    size_t n_chunks, next;   /* next: the chunk after the one in buf */
    plist buf;
    const plist *list;       /* pcursor_list(): that list, not chunks */
    size_t i;
    uint64_t id;             /* entry i's passage, or UINT64_MAX */
    size_t weight;           /* chunks' bytes, or list's passages */
} pcursor;

/* Over the decoded list l (borrowed). */
void pcursor_list(pcursor *c, const plist *l);
/* Over chunks[0..n) (borrowed; a word's, in docid order), at the first
 * passage.  0, -1 when a chunk is corrupt, -2 when out of memory. */
int pcursor_chunks(pcursor *c, const pchunk *chunks, size_t n);
void pcursor_free(pcursor *c);

/* A phrase of n tokens, each standing for several words (a stem's):
 * token k is any of cur[first[k] .. first[k + 1]) (fresh cursors, one a
 * word), at offset offs[k] from the phrase's start (offs[0] = 0,
 * ascending).  out := the passages where every token occurs at p +
 * offs[k] for some start p, with those p as positions.  The same as
 * plist_union() of each token's lists, then matching, without the
 * unions: the tokens, the rarest first (by the cursors' weights), are
 * moved in turn to the passage the one before reached (leapfrogging),
 * and only passages holding every token have their positions read.
 * Returns 0, -1 when a chunk is corrupt, or -2 (out of memory). */
int plist_phrase(pcursor *cur, const size_t *first, const uint32_t *offs,
                 size_t n, plist *out);
/* The tf[i] positions of passage i, ascending: in l, or decoded into
 * scratch (POSTINGS_MAX_TF entries) when the passage was decoded lazily.
 * Cannot fail: the lazy decoder checked them. */
const ppos *plist_pos(const plist *l, size_t i, ppos *scratch);

/*
 * One document's occurrences of one word, built by the writer: call
 * postings_entry_begin, then postings_entry_add for each occurrence in
 * order, then postings_entry_end.
 */
typedef struct postings_entry {
    uint32_t n_pass;
    int32_t last_pass;       /* -1 before the first occurrence */
    uint32_t tf_at;          /* index of the current passage's tf slot */
    uint32_t last_pos;
    /* (pass, tf, positions...) as small integers, encoded at the end */
    uint32_t *v;
    size_t n_v, cap_v;
} postings_entry;

void postings_entry_reset(postings_entry *pe);
int postings_entry_add(postings_entry *pe, uint32_t pass, uint32_t pos);
/* Append the entry for docid, delta-coded against prev_docid, to out. */
void postings_entry_encode(int *rc, const postings_entry *pe,
                           uint32_t docid, uint32_t prev_docid, buf *out);
/* The same without the docid delta: what follows it in a stream. */
void postings_entry_encode_body(int *rc, const postings_entry *pe,
                                buf *out);
void postings_entry_free(postings_entry *pe);

/* Length of the entry body (everything after the docid delta) at
 * [p, end); -1 when corrupt. */
long postings_entry_skip(const unsigned char *p, const unsigned char *end);

/* The last docid of a chunk (from its header); -1 when corrupt. */
int postings_chunk_last(const unsigned char *p, size_t len,
                        uint32_t first_docid, uint32_t *last);

/* Decode a chunk stored under first_docid and append its passages to out.
 * Returns 0, -1 when corrupt, -2 when out of memory. */
int postings_chunk_decode(const unsigned char *p, size_t len,
                          uint32_t first_docid, plist *out);

/* Make room in l for n more passages, so that decoding chunks of about
 * that many adds them without growing the arrays again (a word's chunks
 * take at least 3 bytes a passage: postings_chunks_room()).  -2 when out
 * of memory. */
int plist_make_room(plist *l, size_t n);

/* The most passages len bytes of chunks can hold. */
#define postings_chunks_room(len) ((len) / 3 + 1)

/* The same, but the positions are checked and left in the chunk, where
 * plist_pos() decodes them on demand: the chunk's bytes must stay valid
 * (the read transaction open) as long as out is used. */
int postings_chunk_decode_lazy(const unsigned char *p, size_t len,
                               uint32_t first_docid, plist *out);

/*
 * Build chunks from a run of entries ("stream": docid deltas, the first
 * against 0, so the first delta is the docid itself).  If tail (the last
 * existing chunk of the word, or NULL) has room, the first entries are
 * appended to it.  For each chunk calls emit(ctx, first_docid, value,
 * len, replaces_tail).  Returns 0, -1 corrupt, -2 out of memory, or
 * emit's nonzero status.
 */
int postings_chunks_build(const unsigned char *stream, size_t stream_len,
                          const unsigned char *tail, size_t tail_len,
                          uint32_t tail_first,
                          int (*emit)(void *ctx, uint32_t first,
                                      const unsigned char *v, size_t len,
                                      bool replaces_tail),
                          void *ctx);

/*
 * The one chunk of a stream (as above) whose last docid is last, into out
 * (its contents replaced), when the stream fits in one: 1 and *first set;
 * 0 when it does not fit (postings_chunks_build() cuts it), -1 when
 * corrupt, -2 out of memory.  It copies the entries without reading them.
 */
int postings_chunk_one(const unsigned char *stream, size_t stream_len,
                       uint32_t last, buf *out, uint32_t *first);

/*
 * Remove docid from the chunk stored under first_docid.  On return
 * *new_first is the chunk's new first docid and out holds the new value;
 * out->len == 0 means the chunk is now empty.  Returns 0, 1 when docid was
 * not in the chunk (out untouched), -1 corrupt, -2 out of memory.
 */
int postings_chunk_remove(const unsigned char *p, size_t len,
                          uint32_t first_docid, uint32_t docid,
                          buf *out, uint32_t *new_first);

#endif
