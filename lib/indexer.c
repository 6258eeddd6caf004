/*
 * indexer.c: an indexing run (brief_indexer_*).  Walks the roots, decides
 * per file whether it is new, changed or unchanged (size, mtime and ctime,
 * then the content hash), has what must be indexed read and prepared by
 * the pipeline (pipeline.c), feeds batches to the committer
 * (committer.c), and removes documents whose files are gone from under
 * the roots.  Holds the writers' lock (an flock on DIR/write.lock) for
 * the whole run.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "brief_int.h"
#include "buf.h"
#include "committer.h"
#include "path.h"
#include "pipeline.h"
#include "text.h"
#include "walk.h"
#include "writer.h"

/* A batch commits once it holds this much text and postings: large enough
 * that commits are few, small enough to bound memory (one batch is
 * committed while the next fills, to at most half of this: flush()). */
#define BATCH_BYTES ((size_t)24 << 20)
/* read_known() and remove_gone() drop the map's pages they read this
 * often (files looked up, paths read): each read maps the page cache's
 * whole folio around its page, so a pass over every file would hold
 * some 40 times the pages it reads (bench/PROFILE.md). */
#define RELEASE_EVERY_KEYS 1024

typedef struct root {
    char *stored;            /* the root as a stored-path prefix */
    bool is_file;
} root;

/* What the index held for a walked file when the run started. */
typedef struct known {
    uint32_t docid;          /* 0: not indexed */
    uint64_t hash;
    file_stamp stamp;
} known;

typedef struct buffer_doc {
    char *name;
    char *text;
    size_t len;
} buffer_doc;

struct brief_indexer {
    brief_index *ix;
    brief_indexer_opts opts;
    size_t batch_bytes;      /* commit a batch once it holds this much */
    walk w;
    root *roots;
    size_t n_roots;
    char **removes;          /* stored paths (prefixes) to remove */
    size_t n_removes;
    buffer_doc *buffers;
    size_t n_buffers;
    uint32_t *dropped;       /* docids brief_indexer_remove() drops */
    size_t n_dropped, cap_dropped;
    committer *com;          /* commits the batches, during a run */
    brief_counts counts;
    brief_progress prog;
    struct timespec t0;
    double last_progress;
    prepdoc *prep;           /* for buffers */
    prepwork *work;
};

static double
since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
warn(brief_indexer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(brief_indexer *w, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;

    if (!w->opts.warn)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->opts.warn(w->opts.ctx, msg);
}

static void
warn_busy(void *ctx, const char *msg)
{
    brief_indexer *w = ctx;

    if (w->opts.warn)
        w->opts.warn(w->opts.ctx, msg);
}

static void
walk_warn(void *ctx, const char *msg)
{
    brief_indexer *w = ctx;

    w->counts.skipped++;
    if (w->opts.warn)
        w->opts.warn(w->opts.ctx, msg);
}

int
brief_indexer_new(brief_indexer **out, brief_index *ix,
                  const brief_indexer_opts *opts)
{
    brief_indexer *w;
    struct stat st;
    int rc;

    *out = NULL;
    if (!ix->writable)
        return err_set(&ix->err, BRIEF_EINVAL,
                       "indexing needs the index opened for writing");
    w = calloc(1, sizeof *w);
    if (!w)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    w->ix = ix;
    if (opts)
        w->opts = *opts;
    /* Test hook: tiny batches make many segments and merges. */
    w->batch_bytes = getenv("BRIEF_TEST_BATCH_BYTES")
        ? strtoull(getenv("BRIEF_TEST_BATCH_BYTES"), NULL, 10) : BATCH_BYTES;
    w->w.follow_links = w->opts.follow_links;
    w->w.warn = walk_warn;
    w->w.ctx = w;
    if (stat(ix->dir, &st) == 0) {
        w->w.skip_dev = st.st_dev;
        w->w.skip_ino = st.st_ino;
    }
    if ((rc = index_lock(ix, warn_busy, w))) {
        free(w);
        return rc;
    }
    *out = w;
    return BRIEF_OK;
}

void
brief_indexer_free(brief_indexer *w)
{
    if (!w)
        return;
    walk_free(&w->w);
    for (size_t i = 0; i < w->n_roots; i++)
        free(w->roots[i].stored);
    for (size_t i = 0; i < w->n_removes; i++)
        free(w->removes[i]);
    for (size_t i = 0; i < w->n_buffers; i++) {
        free(w->buffers[i].name);
        free(w->buffers[i].text);
    }
    free(w->roots);
    free(w->removes);
    free(w->dropped);
    free(w->buffers);
    prepdoc_free(w->prep);
    prepwork_free(w->work);
    if (w->ix->lock_fd >= 0) {
        close(w->ix->lock_fd);
        w->ix->lock_fd = -1;
    }
    free(w);
}

int
brief_indexer_add_root(brief_indexer *w, const char *path)
{
    brief_index *ix = w->ix;
    char *abs = path_absolute(path);
    size_t before = w->w.n;
    struct stat st;
    root *r;
    int rc;

    if (!abs)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    rc = walk_root(&w->w, abs, path, &ix->err);
    if (rc) {
        free(abs);
        return rc;
    }
    r = realloc(w->roots, (w->n_roots + 1) * sizeof *r);
    if (!r) {
        free(abs);
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    }
    w->roots = r;
    r = &w->roots[w->n_roots++];
    r->is_file = stat(abs, &st) == 0 && !S_ISDIR(st.st_mode);
    r->stored = index_stored_path(ix, abs);
    free(abs);
    if (!r->stored)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    for (size_t i = before; i < w->w.n; i++)
        w->prog.bytes_total += w->w.files[i].size;
    w->prog.files_total = w->w.n + w->n_buffers;
    return BRIEF_OK;
}

int
brief_indexer_remove(brief_indexer *w, const char *path)
{
    char *abs = path_absolute(path), *stored, **p;

    if (!abs)
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    stored = index_stored_path(w->ix, abs);
    free(abs);
    p = realloc(w->removes, (w->n_removes + 1) * sizeof *p);
    if (!stored || !p) {
        free(stored);
        if (p)
            w->removes = p;
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    }
    w->removes = p;
    w->removes[w->n_removes++] = stored;
    return BRIEF_OK;
}

int
brief_indexer_add_buffer(brief_indexer *w, const char *name,
                         const char *text, size_t len)
{
    buffer_doc *b = realloc(w->buffers, (w->n_buffers + 1) * sizeof *b);
    char *abs;

    if (!b)
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    w->buffers = b;
    b = &w->buffers[w->n_buffers];
    /* The name is a path like any other (relative to the current
     * directory), so the buffer replaces the document of that file. */
    abs = path_absolute(name);
    b->name = abs ? index_stored_path(w->ix, abs) : NULL;
    free(abs);
    b->text = malloc(len + 1);
    if (!b->name || !b->text) {
        free(b->name);
        free(b->text);
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    }
    memcpy(b->text, text, len);
    b->len = len;
    w->n_buffers++;
    w->prog.files_total++;
    return BRIEF_OK;
}

static void
progress(brief_indexer *w, bool force)
{
    double now;

    if (!w->opts.progress)
        return;
    now = since(&w->t0);
    if (!force && now - w->last_progress < 0.1)
        return;
    w->last_progress = now;
    w->prog.elapsed = now;
    w->opts.progress(w->opts.ctx, &w->prog);
}

/* Commit the batch once it is full, in the committer's thread; with
 * force, commit it whatever it holds and wait until every batch is in the
 * index.  A batch half full waits for the commit of the one before it:
 * two full batches at once raised the peak RSS on large/ from 195 to
 * 258 MiB, half of one to 234 MiB, and filling half a batch mostly takes
 * longer than a commit, so the wait costs 2 % (bench/PROFILE.md). */
static int
flush(brief_indexer *w, bool force)
{
    const batch *b = committer_batch(w->com);
    int rc = BRIEF_OK;

    if (batch_docs(b) && (force || batch_bytes(b) >= w->batch_bytes))
        rc = committer_start(w->com);
    else if (batch_bytes(b) >= w->batch_bytes / 2)
        rc = committer_wait(w->com);
    return rc || !force ? rc : committer_wait(w->com);
}

/* The stored state of path: *docid 0 when not indexed. */
static int
lookup(brief_indexer *w, store_txn *t, const char *path, uint32_t *docid,
       doc_rec *rec)
{
    sval v;
    int rc = store_get(t, DB_PATHS, path, strlen(path), &v, &w->ix->err);

    *docid = 0;
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    if (v.len != 4)
        return err_set(&w->ix->err, BRIEF_ECORRUPT, "paths: '%s' maps to "
                       "%zu bytes", path, v.len);
    *docid = get_u32be(v.p);
    rc = writer_get_doc(t, *docid, rec, &w->ix->err);
    if (rc == BRIEF_DONE)
        return err_set(&w->ix->err, BRIEF_ECORRUPT, "paths: '%s' maps to "
                       "missing document %u", path, *docid);
    return rc;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* The stored state of path, in *k.  A document brief_indexer_remove()
 * drops reads as absent, as it will once the first batch is committed. */
static int
known_of(brief_indexer *w, store_txn *t, const char *path, known *k)
{
    doc_rec rec;
    int rc = lookup(w, t, path, &k->docid, &rec);

    if (rc || !k->docid ||
        (w->n_dropped && bsearch(&k->docid, w->dropped, w->n_dropped,
                                 sizeof *w->dropped, cmp_u32))) {
        k->docid = 0;
        return rc;
    }
    k->hash = rec.hash;
    k->stamp = rec.stamp;
    return BRIEF_OK;
}

/* The stored path (seen[i]) and the stored state of every walked file,
 * read in one transaction before the first commit: from then on batches
 * are committed in the committer's thread, beside which this thread may
 * not read the index (committer.h).  Each walked file is one path, so no
 * batch of the run changes another file's state. */
static int
read_known(brief_indexer *w, char **seen, known *k)
{
    store_txn *t;
    int rc;

    if ((rc = store_begin(w->ix->st, false, &t, &w->ix->err)))
        return rc;
    for (size_t i = 0; i < w->w.n && !rc; i++) {
        if (!(seen[i] = index_stored_path(w->ix, w->w.files[i].abs)))
            rc = err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
        else
            rc = known_of(w, t, seen[i], &k[i]);
        /* As in remove_gone(): the records read are copied into k. */
        if ((i + 1) % RELEASE_EVERY_KEYS == 0)
            store_txn_release_pages(t);
    }
    store_abort(t);
    store_release_pages(w->ix->st);
    return rc;
}

/* What a file read and prepared in p means, given what the index held
 * (old): unchanged (same content), touched, updated or added. */
static int
index_prepared(brief_indexer *w, const char *stored, const file_stamp *st,
               uint64_t hash, prepdoc *p, const known *old,
               uint32_t *next_docid)
{
    batch *b = committer_batch(w->com);
    uint32_t docid;
    int rc;

    if (old->docid && old->hash == hash && old->stamp.size == st->size) {
        prepdoc_discard(p);
        w->counts.unchanged++;
        return memcmp(&old->stamp, st, sizeof *st)
               ? batch_touch(b, old->docid, st) : BRIEF_OK;
    }
    if (old->docid) {
        w->counts.updated++;
        if ((rc = batch_remove(b, old->docid)))
            return rc;
    } else {
        w->counts.added++;
    }
    docid = *next_docid;
    *next_docid += prepdoc_ids(p);      /* one a zone (trigindex.h) */
    rc = batch_add_prepared(b, w->ix, docid, stored, p, st, hash);
    return rc ? rc : flush(w, false);
}

/* Index a buffer given to brief_indexer_add_buffer() (text owned by this
 * call). */
static int
index_buffer(brief_indexer *w, const buffer_doc *d, uint32_t *next_docid)
{
    file_stamp st = { d->len, 0, 0 };
    char why[4200];
    store_txn *t;
    known old;
    int rc;

    if (!pipeline_acceptable(d->name, d->text, d->len, why, sizeof why)) {
        free(d->text);
        warn(w, "%s", why);
        w->counts.skipped++;
        return BRIEF_OK;
    }
    if ((!w->prep && !(w->prep = prepdoc_new(w->ix->zone_bytes))) ||
        (!w->work && !(w->work = prepwork_new()))) {
        free(d->text);
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if ((rc = writer_prepare(w->prep, w->work, d->text, d->len)))
        return err_set(&w->ix->err, rc, "%s: out of memory", d->name);
    /* A buffer may be named like a file or buffer indexed before it in
     * this run: read its state once every batch before it is in, the one
     * being filled too when that one holds the name. */
    if ((batch_has_path(committer_batch(w->com), d->name) &&
         (rc = flush(w, true))) ||
        (rc = committer_wait(w->com)) ||
        (rc = store_begin(w->ix->st, false, &t, &w->ix->err)))
        return rc;
    rc = known_of(w, t, d->name, &old);
    store_abort(t);
    return rc ? rc : index_prepared(w, d->name, &st,
                                    XXH3_64bits(d->text, d->len), w->prep,
                                    &old, next_docid);
}

/* The file the pipeline prepared for walk file i. */
static int
index_file(brief_indexer *w, pipeline *pl, size_t i, char **seen,
           const known *k, uint32_t *next_docid)
{
    const walk_file *f = &w->w.files[i];
    file_stamp st = { f->size, f->mtime_ns, f->ctime_ns };
    pjob *j = pipeline_take(pl);
    int rc = BRIEF_OK;

    if (j->rc == BRIEF_DONE) {
        warn(w, "%s", j->why);
        w->counts.skipped++;
        /* A file that became binary or not UTF-8 is gone from the
         * index's point of view: forget its old document.  One that
         * could not be read keeps it. */
        if (!j->unreadable)
            seen[i][0] = '\0';
    } else if (j->rc) {
        rc = err_set(&w->ix->err, j->rc, "%s", j->why);
    } else {
        rc = index_prepared(w, seen[i], &st, j->hash, j->p, &k[i],
                            next_docid);
    }
    pipeline_release(pl);
    return rc;
}

/* Send walk file i to the pipeline unless it needs no reading: same
 * size, mtime and ctime as stored (the ctime catches an edit whose mtime
 * was set back, as git's index does). */
static void
consider(brief_indexer *w, pipeline *pl, size_t i, const known *k,
         bool *queued)
{
    const walk_file *f = &w->w.files[i];

    queued[i] = !k->docid || k->stamp.size != f->size ||
                k->stamp.mtime_ns != f->mtime_ns ||
                k->stamp.ctime_ns != f->ctime_ns;
    if (queued[i])
        pipeline_submit(pl, f->abs, f->shown, f->size);
}

/* Whether to prepare and commit in threads of their own: with more than
 * one CPU, unless a test says not (BRIEF_TEST_THREADS=0). */
static bool
use_threads(void)
{
    const char *env = getenv("BRIEF_TEST_THREADS");

    return sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
           !(env && strcmp(env, "0") == 0);
}

/* Every walked file, read and prepared ahead in the pipeline. */
static int
index_files(brief_indexer *w, char **seen, uint32_t *next_docid)
{
    pipeline *pl = pipeline_new(use_threads(), w->ix->zone_bytes);
    bool *queued = calloc(w->w.n + 1, sizeof *queued);
    known *k = calloc(w->w.n + 1, sizeof *k);
    size_t ahead = 0;
    int rc = BRIEF_OK;

    if (!pl || !queued || !k)
        rc = err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    else
        rc = read_known(w, seen, k);
    for (size_t i = 0; i < w->w.n && !rc; i++) {
        while (ahead < w->w.n && (ahead <= i || pipeline_room(pl))) {
            consider(w, pl, ahead, &k[ahead], queued);
            ahead++;
        }
        if (!queued[i])
            w->counts.unchanged++;
        else if ((rc = index_file(w, pl, i, seen, k, next_docid)))
            break;
        w->prog.files_done++;
        w->prog.bytes_done += w->w.files[i].size;
        progress(w, false);
    }
    pipeline_free(pl);
    free(queued);
    free(k);
    return rc;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_file(const void *a, const void *b)
{
    return strcmp(((const walk_file *)a)->abs, ((const walk_file *)b)->abs);
}

/* Sort the walked files and drop duplicates (a file under two roots). */
static void
dedupe(walk *wk)
{
    size_t n = 0;

    if (wk->n > 1)
        qsort(wk->files, wk->n, sizeof *wk->files, cmp_file);
    for (size_t i = 0; i < wk->n; i++) {
        if (n && strcmp(wk->files[n - 1].abs, wk->files[i].abs) == 0) {
            free(wk->files[i].abs);
            free(wk->files[i].shown);
            continue;
        }
        wk->files[n++] = wk->files[i];
    }
    wk->n = n;
}


/* Remember that docid is dropped by brief_indexer_remove(). */
static int
drop(brief_indexer *w, uint32_t docid)
{
    if (w->n_dropped == w->cap_dropped) {
        size_t cap = w->cap_dropped ? w->cap_dropped * 2 : 64;
        uint32_t *v = realloc(w->dropped, cap * sizeof *v);
        if (!v)
            return BRIEF_ENOMEM;
        w->dropped = v;
        w->cap_dropped = cap;
    }
    w->dropped[w->n_dropped++] = docid;
    return BRIEF_OK;
}

/* Mark for removal every document under one of prefixes[0..n) (or, with
 * seen, under a root and not in seen[0..n_seen), sorted).  No commit may
 * be in flight: this reads the index. */
static int
remove_gone(brief_indexer *w, char **prefixes, size_t n, bool *is_file,
            char **seen, size_t n_seen)
{
    brief_index *ix = w->ix;
    batch *b = committer_batch(w->com);
    store_txn *t;
    store_cursor *cur;
    sval k, v;
    size_t n_read = 0;
    int rc;

    if ((rc = store_begin(ix->st, false, &t, &ix->err)))
        return rc;
    if ((rc = store_cursor_open(t, DB_PATHS, &cur, &ix->err))) {
        store_abort(t);
        return rc;
    }
    for (rc = store_cursor_first(cur, &k, &v); rc == BRIEF_OK;
         rc = store_cursor_next(cur, &k, &v)) {
        bool under = false;
        char *key;
        /* The paths' pages lie all over the map: 145 MiB resident at
         * the end of a build of 4x large/ for a tree of 3.5 MiB.  What
         * has been read is not needed again. */
        if (++n_read % RELEASE_EVERY_KEYS == 0)
            store_txn_release_pages(t);
        for (size_t i = 0; i < n && !under; i++)
            under = is_file && is_file[i] ?
                    k.len == strlen(prefixes[i]) &&
                    memcmp(k.p, prefixes[i], k.len) == 0 :
                    path_is_under((const char *)k.p, k.len, prefixes[i]);
        if (!under || v.len != 4)
            continue;
        if (seen) {
            if (!(key = malloc(k.len + 1))) {
                rc = BRIEF_ENOMEM;
                break;
            }
            memcpy(key, k.p, k.len);
            key[k.len] = '\0';
            under = !bsearch(&key, seen, n_seen, sizeof *seen, cmp_str);
            free(key);
            if (!under)
                continue;
        }
        if ((rc = batch_remove(b, get_u32be(v.p))) ||
            (!seen && (rc = drop(w, get_u32be(v.p)))))
            break;
        w->counts.removed++;
    }
    store_cursor_close(cur);
    store_abort(t);
    store_release_pages(ix->st);
    if (rc == BRIEF_DONE)
        rc = BRIEF_OK;
    return rc == BRIEF_ENOMEM ? err_set(&ix->err, rc, "out of memory") : rc;
}

/* A run that filled an empty index ends by rewriting it without free
 * pages: each database then lies in consecutive pages, so a new process
 * that reads one (plens for ranking, say) maps it in a few faults, and
 * the batches' free pages are gone (bench/PROFILE.md).  A file with few
 * free pages (a build of one batch: the few its first transactions
 * freed) is rewritten in place instead, the same bytes written again in
 * 2 MiB runs: its databases lie together already, and a search maps it
 * as fast as a copy, which took a sixth of such a build.  Not a file
 * under COMPACT_FRESH_MIN: it fits in one huge page, so a search maps it
 * as fast either way.  Later runs leave the file as it is; brief-index
 * --compact rewrites it on demand. */
#define COMPACT_FRESH_MIN ((uint64_t)2 << 20)

static int
compact_fresh(brief_indexer *w)
{
    int rc;

    committer_free(w->com);
    w->com = NULL;
    rc = index_compact(w->ix, COMPACT_IF_FREE, COMPACT_FRESH_MIN);
    if (rc && w->ix->st) {
        /* The index is whole; only the copy (a full disk) or the
         * rewrite in place failed. */
        warn(w, "%s: not compacted: %s", w->ix->dir, brief_errmsg(w->ix));
        err_clear(&w->ix->err);
        rc = BRIEF_OK;
    }
    return rc;
}

int
brief_indexer_run(brief_indexer *w, brief_counts *counts)
{
    brief_index *ix = w->ix;
    char **seen = NULL;
    bool *is_file = NULL;
    char **root_prefixes = NULL;
    uint32_t next_docid;
    uint64_t next, docs_before;
    store_txn *t;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &w->t0);
    dedupe(&w->w);
    seen = calloc(w->w.n + 1, sizeof *seen);
    root_prefixes = calloc(w->n_roots + 1, sizeof *root_prefixes);
    is_file = calloc(w->n_roots + 1, sizeof *is_file);
    if (!seen || !root_prefixes || !is_file) {
        rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = index_begin(ix, false, &t)))
        goto out;
    if (!(rc = store_meta_get(t, "next_docid", &next, &ix->err)))
        rc = store_meta_get(t, "documents", &docs_before, &ix->err);
    store_abort(t);
    if (rc)
        goto out;
    /* A first build ends by consolidating (compact_fresh()). */
    if (!(w->com = committer_new(ix, use_threads(), docs_before == 0))) {
        rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    next_docid = next ? (uint32_t)next : 1;

    if (w->n_removes &&
        (rc = remove_gone(w, w->removes, w->n_removes, NULL, NULL, 0)))
        goto out;
    if (w->n_dropped > 1)
        qsort(w->dropped, w->n_dropped, sizeof *w->dropped, cmp_u32);
    if ((rc = index_files(w, seen, &next_docid)))
        goto out;
    for (size_t i = 0; i < w->n_buffers; i++) {
        rc = index_buffer(w, &w->buffers[i], &next_docid);
        w->buffers[i].text = NULL;
        if (rc)
            goto out;
        w->prog.files_done++;
    }
    if (w->w.n > 1)
        qsort(seen, w->w.n, sizeof *seen, cmp_str);
    for (size_t i = 0; i < w->n_roots; i++) {
        root_prefixes[i] = w->roots[i].stored;
        is_file[i] = w->roots[i].is_file;
    }
    if (w->n_roots &&
        ((rc = committer_wait(w->com)) ||
         (rc = remove_gone(w, root_prefixes, w->n_roots, is_file, seen,
                           w->w.n))))
        goto out;
    rc = flush(w, true);
    progress(w, true);
    if (!rc && docs_before == 0 && w->counts.added)
        rc = compact_fresh(w);
out:
    if (seen)
        for (size_t i = 0; i < w->w.n; i++)
            free(seen[i]);
    free(seen);
    free(root_prefixes);
    free(is_file);
    committer_free(w->com);
    w->com = NULL;
    if (counts)
        *counts = w->counts;
    return rc;
}
