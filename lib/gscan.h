/*
 * gscan.h: a regex search's documents scanned on more than one core.
 *
 * The caller (grep.c) walks the documents in path order, one thread,
 * because that is the order hits are returned in.  Most candidate
 * documents hold no match at all, and finding that out is most of the
 * work, so helper threads take documents from the other end of the list
 * and find each one's first match.  When the caller reaches a document a
 * helper has finished, it skips it (no match) or starts at the match the
 * helper found; otherwise it claims the document and scans it itself.
 * Each document is claimed once (an atomic state per document), so the
 * two ends meet in the middle; a helper stops at the first document the
 * caller has claimed.  The one a helper is still scanning when the
 * caller gets there is scanned by both: the caller never waits.
 *
 * Helpers read the texts through the caller's gscan_source and match
 * with their own regex_clone(); the caller must gscan_stop() before
 * whatever the source reads from goes away.
 */
#ifndef BRIEF_GSCAN_H
#define BRIEF_GSCAN_H

#include <stddef.h>

#include "regex.h"

typedef struct gscan gscan;

/* The text of a document to scan, and where matches may start: the
 * whole text, or with n_ranges the ranges [ranges[2i], ranges[2i + 1]),
 * ascending, whose ends are lines' starts or len (regex_next_in()). */
typedef struct gtext {
    const char *p;
    size_t len;
    const size_t *ranges;
    size_t n_ranges;
} gtext;

/* Where helpers read the texts, each through a reader of its own (the
 * caller's is not safe to share). */
typedef struct gscan_source {
    /* In the helper's thread: its reader, or NULL when it cannot have
     * one (the helper then leaves every document to the caller). */
    void *(*open)(void *ctx);
    /* Document i's text through reader r: 0, or -1 (the caller will find
     * out why when it reads document i itself). */
    int (*text)(void *r, size_t i, gtext *out);
    void (*close)(void *r);
    void *ctx;
} gscan_source;

/* Start helpers (threads - 1 of them) over documents 0..n-1.  Whether
 * they are worth it is the caller's call (each costs a thread, a
 * transaction and a regex clone: about 0.3 ms in all here).  *out is
 * NULL with fewer than 2 threads or documents, or when no helper could
 * start: the caller then scans everything itself.  Returns BRIEF_OK or
 * BRIEF_ENOMEM. */
int gscan_start(gscan **out, const regex *re, size_t n,
                const gscan_source *src, unsigned threads);

/* What gscan_take() says of a document. */
enum {
    GSCAN_MINE,              /* scan it yourself */
    GSCAN_NONE,              /* it holds no match */
    GSCAN_FIRST,             /* its first match is [*ms, *me) */
};

/* Document i, as the caller reaches it (i ascending).  g may be NULL
 * (then GSCAN_MINE). */
int gscan_take(gscan *g, size_t i, size_t *ms, size_t *me);

/* Stop the helpers, wait for them, and free g.  NULL is a no-op. */
void gscan_stop(gscan *g);

/* The number of threads a search uses when asked for 0 (automatic): the
 * online processors, at most GSCAN_MAX_THREADS. */
#define GSCAN_MAX_THREADS 8
unsigned gscan_auto_threads(void);

#endif
