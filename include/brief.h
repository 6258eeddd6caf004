/*
 * brief.h: the public C API of brief, a search tool for briefings.
 *
 * brief keeps an inverted index of UTF-8 text files in an LMDB
 * environment (a directory, by default `.brief`).  Documents are cut into
 * passages; a keyword query returns BM25-ranked passages, each cited as
 * path:line:col with its text.  The command-line tools brief-index and
 * brief-search use nothing but this header.
 *
 * Conventions, which hold for every function below:
 *  - Functions return a status: BRIEF_OK (0) or a negative brief_status.
 *    The handle keeps a message for the last error, read with
 *    brief_errmsg(); it names what failed and where
 *    ("query:1:7: unbalanced parenthesis", "a.txt: not UTF-8 at byte 42").
 *  - Pointers handed out are either owned by the caller ("the caller owns
 *    *out; free it with brief_X_free()") or borrowed ("borrowed: valid
 *    until EVENT").  Every _new/_open has its _free/_close, and each of
 *    those accepts NULL.
 *  - Threads: one brief_index handle must not be used by two threads at
 *    once; open one handle per thread instead (brief_index_open is itself
 *    thread-safe).  Any number of handles, in threads or processes, may
 *    read while one writes: readers see the index as of the last committed
 *    batch, never half a document.
 *  - Memory: a handle keeps the large blocks of its searches' posting
 *    lists (64 MiB at most) for its next search, so that a loop of
 *    searches does not fault fresh pages in each time;
 *    brief_index_close() frees them.
 *  - Stale flags: a hit's stale flag (its file changed or vanished since
 *    it was indexed) is true as of the moment its search began.  A handle
 *    asks stat() the first time a search finds a file; from a file's
 *    second search on it watches the file and the directories on its path
 *    with inotify (one descriptor per handle, a watch per file and
 *    directory, within fs.inotify.max_user_watches) and answers without a
 *    system call until any of them changes.  Files on network, FUSE or
 *    overlay file systems, reached through a symbolic link, or beyond
 *    what inotify allows are asked of stat() every time.  A change
 *    written through a shared mmap() is one inotify does not report.
 *  - Handles outlive compactions: another process that compacts the
 *    index moves a new data file over the old (and one that deletes the
 *    index and builds it again leaves a new file too).  A handle notices (one stat() as a search or run begins) and opens
 *    the new file as soon as no search or run of its index in this
 *    process is open; until then those read the snapshot they began
 *    with.
 *  - The only state shared between handles: handles on the same index in
 *    one process share its LMDB environment (LMDB allows one per data file
 *    per process), found through a registry guarded by a mutex.  Nothing
 *    else is global.
 *
 * Typical use:
 *
 *     brief_index *ix;
 *     brief_search *s;
 *     const brief_hit *hit;
 *     if (brief_index_open(&ix, NULL, BRIEF_OPEN_READ) != BRIEF_OK) ...
 *     if (brief_search_new(&s, ix, "5G base stations", NULL) != BRIEF_OK)
 *         fprintf(stderr, "%s\n", brief_errmsg(ix));
 *     while (brief_search_next(s, &hit) == BRIEF_OK)
 *         printf("%s:%u:%u: %.*s\n", hit->path, hit->line, hit->column,
 *                (int)hit->passage.text_len, hit->passage.text);
 *     brief_search_free(s);
 *     brief_index_close(ix);
 */
#ifndef BRIEF_H
#define BRIEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this header; the shared library's soname follows MAJOR. */
#define BRIEF_VERSION_MAJOR 0
#define BRIEF_VERSION_MINOR 1

/**
 * Status codes.  Every function returns BRIEF_OK or one of the negative
 * codes; BRIEF_DONE (positive) ends an iteration.
 */
typedef enum brief_status {
    BRIEF_OK        = 0,
    BRIEF_DONE      = 1,    /**< an iterator has no more items */
    BRIEF_ENOMEM    = -1,   /**< out of memory */
    BRIEF_EIO       = -2,   /**< a file or the index could not be read or
                                 written; the message names it */
    BRIEF_EINVAL    = -3,   /**< bad argument or option */
    BRIEF_ESYNTAX   = -4,   /**< the query does not parse; the message has
                                 line:col and brief_erroffset() the byte */
    BRIEF_EENCODING = -5,   /**< input is not UTF-8; message has the byte */
    BRIEF_ECORRUPT  = -6,   /**< stored data failed a check */
    BRIEF_EVERSION  = -7,   /**< index written by another schema version */
    BRIEF_EFULL     = -8,   /**< the map or the disk is full */
    BRIEF_ENOINDEX  = -9,   /**< no index where one was expected */
    BRIEF_EBUSY     = -10,  /**< another writer holds the index */
    BRIEF_ELIMIT    = -11,  /**< a regex hit PCRE2's match or depth limit
                                 in some document (the others were still
                                 searched) */
} brief_status;

/**
 * A static English description of a status code.
 * @return never NULL; "unknown status" for codes not listed above.
 */
const char *brief_strerror(int rc);

/* ------------------------------------------------------------------ */
/* Opening an index                                                    */
/* ------------------------------------------------------------------ */

typedef struct brief_index brief_index;

/** Flags for brief_index_open(). */
enum {
    BRIEF_OPEN_READ   = 0,        /**< read only; the index must exist */
    BRIEF_OPEN_WRITE  = 1 << 0,   /**< read-write */
    BRIEF_OPEN_CREATE = 1 << 1,   /**< with WRITE: create when missing */
    /** with READ: no handle of this process will write the index while
     *  this one is open.  Handles on one index in one process share one
     *  LMDB environment, which a reading handle opens for writing when
     *  the files allow it, so that a writing handle opened later can
     *  share it.  This flag opens it read-only instead, which is cheaper
     *  (for a one-shot search, about 3 % of its time); a writing handle
     *  opened while it is open is then BRIEF_EBUSY. */
    BRIEF_OPEN_NO_WRITER = 1 << 2,
};

/**
 * Locate the index directory the way git finds `.git`.
 *
 * When @p dir is not NULL it is the answer.  Otherwise $BRIEF_INDEX, when
 * set and not empty.  Otherwise, when @p search_parents is true, the
 * nearest `.brief` directory in the current directory or one of its
 * parents; when false (brief-index's rule), `./.brief`.
 *
 * @param out  the caller owns *out; free it with free().
 * @return BRIEF_OK, BRIEF_ENOINDEX when no `.brief` was found (with a
 *         message), BRIEF_ENOMEM.
 */
int brief_index_locate(char **out, const char *dir, bool search_parents);

/**
 * Open (and with BRIEF_OPEN_CREATE, create) the index at @p dir.
 *
 * Stale reader slots left by killed processes are cleared.  A read-only
 * handle never blocks a writer and is never blocked by one.
 *
 * A damaged index is BRIEF_ECORRUPT, here or from any later call on the
 * handle, never a crash.  LMDB trusts its pages, so brief checks the
 * root pages LMDB reads first, and the first open in a process installs
 * handlers for SIGSEGV and SIGBUS: a fault inside a liblmdb call made by
 * brief becomes that call's BRIEF_ECORRUPT, and any other fault is passed
 * to the handler that was installed before (or the default action).  A
 * program that installs its own handlers for these signals after opening
 * an index replaces brief's, and a damaged page may then crash it.
 *
 * @param out   receives the handle, also on failure when the failure has a
 *              message (then brief_errmsg(*out) explains it); the caller
 *              owns *out either way; free it with brief_index_close().
 * @param dir   the index directory.
 * @param flags BRIEF_OPEN_READ [| BRIEF_OPEN_NO_WRITER], or
 *              BRIEF_OPEN_WRITE [| BRIEF_OPEN_CREATE].
 * @param lang  with BRIEF_OPEN_CREATE: the stemming language of a new
 *              index (any libstemmer name; NULL for "english").  When the
 *              index exists, NULL or its own language; another one is
 *              BRIEF_EINVAL (a new index is needed to change it).
 * @return BRIEF_OK, BRIEF_ENOINDEX, BRIEF_EVERSION, BRIEF_ECORRUPT,
 *         BRIEF_EINVAL (unknown language), BRIEF_EIO, BRIEF_ENOMEM.
 */
int brief_index_open(brief_index **out, const char *dir, unsigned flags,
                     const char *lang);

/** Close the handle and free everything it owns.  NULL is a no-op. */
void brief_index_close(brief_index *ix);

/**
 * The message of the last error on this handle, or "" when none.
 * Borrowed: valid until the next call on this handle.
 */
const char *brief_errmsg(const brief_index *ix);

/**
 * For BRIEF_ESYNTAX: the 0-based byte offset in the query text where the
 * error was found; -1 otherwise.
 */
long brief_erroffset(const brief_index *ix);

/** Figures about an index, as brief-index --stats prints them. */
typedef struct brief_stats {
    uint64_t documents;
    uint64_t passages;
    uint64_t terms;          /**< distinct indexed words */
    uint64_t tokens;         /**< word occurrences */
    uint64_t text_bytes;     /**< bytes of stored document text */
    uint64_t disk_bytes;     /**< size of the LMDB data file */
    uint32_t schema_version;
    char language[32];
} brief_stats;

/** Fill @p out with figures about the index. */
int brief_index_stats(brief_index *ix, brief_stats *out);

/**
 * Walk the whole index and verify every invariant: postings point at live
 * documents and passages, counts add up, passages cover the text, paths
 * and documents agree.
 * @return BRIEF_OK, or BRIEF_ECORRUPT with a message naming the first
 *         violation.
 */
int brief_index_check(brief_index *ix);

/* ------------------------------------------------------------------ */
/* Indexing                                                            */
/* ------------------------------------------------------------------ */

typedef struct brief_indexer brief_indexer;

/** Progress of an indexing run, passed to brief_indexer_opts.progress. */
typedef struct brief_progress {
    uint64_t files_done, files_total;
    uint64_t bytes_done, bytes_total;
    double elapsed;          /**< seconds since brief_indexer_run began */
} brief_progress;

/** What an indexing run did; filled by brief_indexer_run(). */
typedef struct brief_counts {
    uint64_t added, updated, removed, unchanged, skipped;
} brief_counts;

typedef struct brief_indexer_opts {
    bool follow_links;       /**< follow symbolic links met while walking */
    /** One warning line (no newline), e.g. "a.bin: binary file, skipped".
     *  Borrowed: valid until the callback returns.  NULL: ignored. */
    void (*warn)(void *ctx, const char *msg);
    /** Called at most every 100 ms and once at the end.  NULL: none. */
    void (*progress)(void *ctx, const brief_progress *p);
    void *ctx;
} brief_indexer_opts;

/**
 * Start an indexing run on a handle opened with BRIEF_OPEN_WRITE.
 *
 * Only one run may write an index at a time: when another process holds
 * it, this waits for it (after a warning) unless @p opts is set otherwise.
 *
 * @param opts may be NULL for the defaults; copied.
 * @param out  the caller owns *out; free it with brief_indexer_free().
 */
int brief_indexer_new(brief_indexer **out, brief_index *ix,
                      const brief_indexer_opts *opts);

/**
 * Add a root to index: a file, or a directory walked recursively.
 *
 * Hidden directories and the index itself are skipped silently; binary
 * files (a NUL byte in the first 8 KiB) and files that are not UTF-8 are
 * skipped with a warning, and a document whose file became so is removed.
 * Nothing is written until brief_indexer_run().
 */
int brief_indexer_add_root(brief_indexer *w, const char *path);

/**
 * Mark the document stored under the file @p path (or every document under
 * the directory @p path) for removal by brief_indexer_run().
 */
int brief_indexer_remove(brief_indexer *w, const char *path);

/**
 * Index a buffer held in memory under @p name, as if it were a file of
 * that name (an editor's unsaved text).  @p text is copied.  It replaces
 * the document of that name, also one indexed earlier in the same run
 * (the file itself, or a buffer of the same name added before it): the
 * last one wins.
 */
int brief_indexer_add_buffer(brief_indexer *w, const char *name,
                             const char *text, size_t len);

/**
 * Do the work: index new and changed files, re-check unchanged ones by
 * size, mtime and content hash, and remove documents whose files are gone
 * from under the roots.  Writes commit in batches; each batch is one LMDB
 * transaction, so a crash leaves the last committed batch.
 *
 * With more than one CPU the run starts threads of its own (two that read
 * and prepare files ahead, one that commits a batch while the next one
 * fills) and ends them before it returns.  The handle's callbacks
 * (progress, warnings) are called in the caller's thread only, and the
 * brief_index handle must not be used by another thread meanwhile (as
 * always).
 * @param counts may be NULL.
 */
int brief_indexer_run(brief_indexer *w, brief_counts *counts);

/** Free the run.  NULL is a no-op. */
void brief_indexer_free(brief_indexer *w);

/**
 * Merge the segments of the postings and trigrams into one and rewrite
 * the environment without free pages (after many updates; a rewrite that
 * merges, written in pieces, keeps a dozen or so).  A build from scratch
 * ends the same way, but a build of one batch is rewritten only when its
 * file is 2 MiB or more.  The handle must be open for writing and be the
 * process's only handle on the index; other processes that have the
 * index open keep reading the snapshot they had until their next
 * search, which opens the new file (see "Handles outlive compactions").
 */
int brief_index_compact(brief_index *ix);

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

typedef struct brief_search brief_search;

/**
 * A matched word (or phrase) inside a hit's passage.
 *
 * Editors disagree on what a column is: Vim and ripgrep count bytes,
 * Emacs characters, LSP and VS Code UTF-16 code units.  Every position
 * carries all three, each 1-based: column (bytes), column_char (code
 * points) and column_utf16 (UTF-16 units: 2 for a character outside the
 * Basic Multilingual Plane).
 */
typedef struct brief_match {
    uint32_t line, column;           /**< 1-based; column counts bytes */
    uint32_t end_line, end_column;   /**< the column just past the match */
    uint64_t byte_start, byte_end;   /**< 0-based in the file, end
                                          exclusive */
    uint32_t column_char, column_utf16;          /**< of the start */
    uint32_t end_column_char, end_column_utf16;  /**< just past the end */
} brief_match;

/** A passage: a paragraph or a piece of a long one. */
typedef struct brief_passage {
    uint32_t line_start, line_end;
    uint64_t byte_start, byte_end;
    const char *text;                /**< not NUL-terminated */
    size_t text_len;
} brief_passage;

/**
 * One hit.  Borrowed: everything it points to is valid until the next
 * brief_search_next() or brief_search_free() on the same search.
 */
typedef struct brief_hit {
    const char *path;        /**< as the user should see it: relative to
                                  the current directory when shorter */
    const char *abs_path;    /**< absolute */
    uint32_t line, column;   /**< of the first match in the passage */
    uint32_t column_char, column_utf16;  /**< the same column, counted in
                                              characters and UTF-16 units */
    uint32_t end_line, end_column;       /**< just past the first match */
    uint32_t end_column_char, end_column_utf16;
    uint64_t byte_start, byte_end;   /**< of the first match */
    double score;            /**< BM25; higher is better */
    bool stale;              /**< the file changed since it was indexed */
    uint32_t docid;
    brief_passage passage;
    const brief_match *matches;
    size_t n_matches;
    const char *doc_text;    /**< the whole stored document (not
                                  NUL-terminated), for context lines */
    size_t doc_len;
} brief_hit;

typedef struct brief_search_opts {
    size_t limit;            /**< at most this many hits; 0 means 10 */
} brief_search_opts;

/**
 * Parse and run a keyword query; hits are then read with
 * brief_search_next() in rank order (best first; ties in document order:
 * by stored path, then passage).
 *
 * The query language (docs/QUERY.md): words, all of which must match
 * (stemmed); `AND`; `OR`; `NOT` or a leading `-`; parentheses;
 * "exact phrase"; prefix*; a NEAR/k b; path:GLOB.
 *
 * The search holds a read transaction: what it returns is one consistent
 * snapshot of the index.
 *
 * From its second search of one snapshot on, a handle keeps every
 * passage's length and each document's place in path order (what
 * ranking and the order of ties read) in memory, about 1 % of the size
 * of the indexed text, until the index changes or the handle is closed.
 *
 * @param opts may be NULL for the defaults.
 * @param out  the caller owns *out; free it with brief_search_free().
 * @return BRIEF_OK, BRIEF_ESYNTAX (message "query:1:COL: ..."),
 *         BRIEF_ECORRUPT, BRIEF_ENOMEM.
 */
int brief_search_new(brief_search **out, brief_index *ix, const char *query,
                     const brief_search_opts *opts);

/**
 * The next hit.
 * @param hit borrowed: valid until the next call on @p s.
 * @return BRIEF_OK with *hit set, BRIEF_DONE after the last one, or an
 *         error.
 */
int brief_search_next(brief_search *s, const brief_hit **hit);

/** Options of brief_regex_new(). */
typedef struct brief_regex_opts {
    bool caseless;           /**< -i */
    bool whole_word;         /**< -w: matches are whole words */
    bool multiline;          /**< -U: a match may cross line breaks */
    bool by_passage;         /**< one hit per passage instead of per line */
    const char *query;       /**< keywords: only passages matching them
                                  are searched; NULL for every document */
    size_t limit;            /**< at most this many matches; 0: all */
    bool full_scan;          /**< ignore the trigram index and scan every
                                  document (to check the index) */
    /** Called with a message naming the document when a pattern hits
     *  PCRE2's match limit there; the search goes on with the next.
     *  Borrowed: valid until the callback returns.  NULL: ignored. */
    void (*warn)(void *ctx, const char *msg);
    void *ctx;
    /** Threads that scan documents, the caller's included: 0 for one per
     *  online processor (at most 8) when there are 16 documents and 8 MB
     *  of text or more to scan, else the caller's alone; N for N in all;
     *  1 for the caller's alone.  Never with opts->query.  Helper threads
     *  end by brief_search_free(); the hits and their order are the same
     *  whatever the number. */
    unsigned threads;
} brief_regex_opts;

/**
 * Start a regex search: PCRE2 patterns (any may match; UTF and UCP, so
 * \w, \d and \b are Unicode-aware; JIT-compiled) over the stored text
 * of every document, or of the passages matching opts->query.  Like grep
 * it is line-oriented: ^ and $ match at line ends and a match does not
 * cross a line break unless opts->multiline.  Hits, read with
 * brief_search_next(), come in document (path) and line order; each is
 * one line (or passage) with all its matches; score is 0.
 *
 * @param out the caller owns *out; free it with brief_search_free().
 * @return BRIEF_OK, BRIEF_ESYNTAX (PCRE2's message and the offset in the
 *         pattern; brief_erroffset() gives it too), BRIEF_ENOMEM, ...
 */
int brief_regex_new(brief_search **out, brief_index *ix,
                    const char *const *patterns, size_t n_patterns,
                    const brief_regex_opts *opts);

/**
 * After the last hit: BRIEF_OK, or BRIEF_ELIMIT when some document was
 * cut short by PCRE2's limits (opts->warn named it).
 */
int brief_search_status(const brief_search *s);

/** Number of passages that matched (before the limit). */
uint64_t brief_search_count(const brief_search *s);

/**
 * How the query was parsed and stemmed: the parse tree, the terms looked
 * up and the passages each matched, as lines of text.
 * Borrowed: valid until brief_search_free().
 */
const char *brief_search_explain(const brief_search *s);

/** Free the search.  NULL is a no-op. */
void brief_search_free(brief_search *s);

/* ------------------------------------------------------------------ */
/* Figures                                                             */
/* ------------------------------------------------------------------ */

/**
 * A figure found in a document: "about 39.9 trillion yuan" is the value
 * 39900000000000 in CNY, qualified "about".  docs/FIGURES.md has the rules.
 * Borrowed: everything it points to is valid until the next
 * brief_figures_next() or brief_figures_free().
 */
typedef struct brief_figure {
    const char *path;        /**< as shown: relative when shorter */
    const char *abs_path;
    uint32_t line, column;   /**< of the figure's text; byte columns */
    uint32_t end_line, end_column;
    uint32_t column_char, column_utf16;          /**< see brief_match */
    uint32_t end_column_char, end_column_utf16;
    uint64_t byte_start, byte_end;   /**< the text's span in the file */
    double value;            /**< a range's low end */
    double value_high;       /**< a range's high end; == value otherwise */
    bool is_range;
    const char *unit;        /**< canonical: "percent", "CNY", "USD",
                                  "year", "years", "rank", "count", ... */
    const char *qualifier;   /**< "about", "over", "under", "at_least",
                                  "at_most", or "" */
    const char *text;        /**< the exact source text (not
                                  NUL-terminated) */
    size_t text_len;
    const char *subject;     /**< the thing counted, from the text; NULL
                                  when none (not NUL-terminated) */
    size_t subject_len;
    bool stale;              /**< the file changed since it was indexed */
    uint32_t docid;
    brief_passage passage;   /**< the passage the figure stands in */
    const char *doc_text;    /**< the whole stored document */
    size_t doc_len;
} brief_figure;

/** What brief_figures_new() lists. */
typedef struct brief_figure_opts {
    const char *query;       /**< keywords: only figures in passages that
                                  match; NULL or "": every figure */
    const char *unit;        /**< a canonical unit or a synonym ("yuan",
                                  "%", "dollars"); NULL: any */
    const char *min, *max;   /**< amounts as written: "1e6", "465,000",
                                  "3.38 million", "30%"; NULL: unbounded */
    bool sort_by_value;      /**< value order instead of document order */
    const char *const *patterns;   /**< PCRE2 patterns one of which the
                                        text or subject must match */
    size_t n_patterns;
    bool caseless;           /**< for patterns: -i */
    bool whole_word;         /**< for patterns: -w */
    size_t limit;            /**< at most this many; 0: all */
} brief_figure_opts;

typedef struct brief_figures brief_figures;

/**
 * List figures: by unit and value range (a cursor range over the figure
 * index), within the passages of a keyword query, or all of them, in
 * document order (path, then position) or value order.
 *
 * @param out the caller owns *out; free it with brief_figures_free().
 * @return BRIEF_OK; BRIEF_EINVAL for a unit or amount that cannot be read
 *         ("--min: cannot read 'x' as an amount"); BRIEF_ESYNTAX for a bad
 *         query or pattern; BRIEF_ENOMEM; BRIEF_ECORRUPT.
 */
int brief_figures_new(brief_figures **out, brief_index *ix,
                      const brief_figure_opts *opts);

/**
 * The next figure.
 * @param fig borrowed: valid until the next call on @p f.
 * @return BRIEF_OK, BRIEF_DONE after the last, or an error.
 */
int brief_figures_next(brief_figures *f, const brief_figure **fig);

/** How the bounds were read, e.g. "CNY in [1e+12, inf)" (borrowed). */
const char *brief_figures_explain(const brief_figures *f);

/** Free the listing.  NULL is a no-op. */
void brief_figures_free(brief_figures *f);

/* ------------------------------------------------------------------ */
/* Printing hits                                                       */
/* ------------------------------------------------------------------ */

/** Output formats of brief-search; see brief-search(1) and docs/JSON.md. */
typedef enum brief_format {
    BRIEF_FORMAT_TEXT,       /**< path:line:col: passage */
    BRIEF_FORMAT_VIMGREP,    /**< path:line:col:line-text, one per match */
    BRIEF_FORMAT_JSON,       /**< JSON Lines: hit objects, then a summary */
} brief_format;

typedef struct brief_print_opts {
    bool color;              /**< ANSI colour: path, line, matches */
    unsigned wrap;           /**< text format: wrap passages at this many
                                  columns (0: one line per hit) */
    bool show_score;         /**< text format: print the BM25 score */
    bool lines;              /**< text format: print the line of the first
                                  match instead of the passage (regex
                                  hits, as grep does) */
    const char *id;          /**< JSON: the raw JSON value (a number or a
                                  string with its quotes) printed as "id"
                                  in every object; NULL: no "id" */
} brief_print_opts;

typedef struct brief_printer brief_printer;

/**
 * A printer of hits to a stdio stream, in one format.
 * @param opts may be NULL for no colour, no wrapping, no score.
 * @param out  the caller owns *out; free it with brief_printer_free().
 * @return BRIEF_OK, BRIEF_ENOMEM, BRIEF_EINVAL (unknown format).
 */
int brief_printer_new(brief_printer **out, FILE *stream, brief_format fmt,
                      const brief_print_opts *opts);

/** Print one hit.  @return BRIEF_OK or BRIEF_EIO when writing failed. */
int brief_printer_hit(brief_printer *p, const brief_hit *hit);

/**
 * Print one figure: `path:line:col: VALUE UNIT [qualifier] "text" —
 * subject` in the text and vimgrep formats, a "figure" object in JSON.
 */
int brief_printer_figure(brief_printer *p, const brief_figure *fig);

/**
 * Print the end of the answer (JSON: the summary object; the other
 * formats print nothing).
 * @param hits    hits printed; @param matched passages that matched.
 */
int brief_printer_end(brief_printer *p, uint64_t hits, uint64_t matched,
                      uint64_t elapsed_us);

/** Free the printer (the stream stays open).  NULL is a no-op. */
void brief_printer_free(brief_printer *p);

/* ------------------------------------------------------------------ */
/* Server                                                              */
/* ------------------------------------------------------------------ */

/**
 * Answer JSON-lines requests from @p in on @p out until end of file (the
 * protocol of brief-search --serve; docs/PROTOCOL.md).  Every request is
 * answered, bad ones with an "error" object, and the loop goes on.  Each
 * request runs in its own read transaction, so changes committed by a
 * concurrent brief-index are seen without a restart.  "index" and
 * "remove" requests need @p ix opened with BRIEF_OPEN_WRITE.
 *
 * @return BRIEF_OK at end of file, BRIEF_EIO when reading failed.
 */
int brief_serve(brief_index *ix, FILE *in, FILE *out);

/**
 * A static list of the stemming languages, NULL-terminated.
 */
const char **brief_languages(void);

#ifdef __cplusplus
}
#endif

#endif
