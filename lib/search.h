/*
 * search.h: the state behind brief_search, shared by search.c (keyword
 * searches, ranked) and grep.c (regex searches, in document order).
 */
#ifndef BRIEF_SEARCH_H
#define BRIEF_SEARCH_H

#include <limits.h>

#include "brief_int.h"
#include "buf.h"
#include "cite.h"
#include "eval.h"
#include "query.h"
#include "rank.h"
#include "textstore.h"

typedef struct grep grep;

/* A document's stored path, cached for the tie order of the ranking. */
typedef struct path_slot {
    uint32_t docid;
    const char *path;        /* into the map; NULL: empty slot */
    size_t len;
} path_slot;

#define SEARCH_PATH_SLOTS 64

/* Whether a document is stale, remembered for a keyword search's later
 * hits in it (slot docid % SEARCH_PATH_SLOTS; a document that shares a
 * slot with another is asked again): a stat() was a fifth of a short
 * search. */
typedef struct stale_slot {
    uint32_t docid;
    bool set, stale;
} stale_slot;

struct brief_search {
    brief_index *ix;
    store_txn *t;
    query *q;
    eval *ev;
    topk top;
    size_t next;
    uint64_t count;
    brief_hit hit;
    brief_match *matches;
    size_t cap_matches;
    char *path, *abs_path;
    char *text;              /* the query */
    buf explain;
    bool explain_pending;    /* keyword searches: written on demand */
    path_slot paths[SEARCH_PATH_SLOTS];
    stale_slot stales[SEARCH_PATH_SLOTS];
    bool ranked;             /* ix->plens holds this snapshot's path ranks */
    grep *g;                 /* regex searches: their state (grep.c) */
    cite_memo memo;          /* positions found in the current text */
    textreader texts;        /* the stored texts (search_text()) */
    int status;              /* BRIEF_ELIMIT once a regex hit a limit */
    char cwd[PATH_MAX];      /* last: search_new() leaves it to getcwd() */
};

/* A search on ix, every field zero, after what every search does first:
 * note the working directory (for the paths shown) and drop the stale
 * flags the file system no longer vouches for.  NULL when out of
 * memory. */
brief_search *search_new(brief_index *ix);

/* Document docid's stored text, through s->texts (which keeps the last
 * block read).  As textreader_get(). */
int search_text(brief_search *s, uint32_t docid, sval *out);

/* The passage ids matching a keyword query, sorted, in s->ev (compiles
 * and runs the query; s->q and s->t must be set).  Sets the message. */
int search_match(brief_search *s, const char *query_text,
                 const uint64_t **ids, size_t *n);

/* The next regex hit (grep.c). */
int grep_next(brief_search *s, const brief_hit **hit);
void grep_free(grep *g);

/* Fill s->path and s->abs_path for a stored path. */
int search_set_path(brief_search *s, const char *stored, size_t len);

/* Whether the file at s->abs_path differs from what was indexed (its
 * size and mtime): s->ix's stale cache, else stat(). */
bool search_stale(brief_search *s, uint64_t size, int64_t mtime_ns);

#endif
