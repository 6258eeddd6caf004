/*
 * indexer.c: an indexing run (brief_indexer_*).  Walks the roots, decides
 * per file whether it is new, changed or unchanged (size, mtime and ctime,
 * then
 * the content hash), reads and checks what must be indexed, feeds batches
 * to writer.c, and removes documents whose files are gone from under the
 * roots.  Holds the writers' lock (an flock on DIR/write.lock) for the
 * whole run.
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
#include "path.h"
#include "pipeline.h"
#include "text.h"
#include "walk.h"
#include "writer.h"

/* A batch commits once it holds this much text and postings: large enough
 * that commits are few, small enough to bound memory. */
#define BATCH_BYTES ((size_t)24 << 20)

typedef struct root {
    char *stored;            /* the root as a stored-path prefix */
    bool is_file;
} root;

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
    brief_counts counts;
    brief_progress prog;
    struct timespec t0;
    double last_progress;
    prepdoc *prep;           /* for buffers */
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
    free(w->buffers);
    prepdoc_free(w->prep);
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

static int
flush(brief_indexer *w, batch *b, bool force)
{
    if (batch_docs(b) == 0 || (!force && batch_bytes(b) < w->batch_bytes))
        return BRIEF_OK;
    return writer_commit(b, w->ix);
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

/* Files that need no reading: same size, mtime and ctime as stored (the
 * ctime catches an edit whose mtime was set back, as git's index does). */
static int
unchanged(brief_indexer *w, const char *stored, const walk_file *f,
          bool *same)
{
    store_txn *t;
    doc_rec rec;
    uint32_t docid;
    int rc = store_begin(w->ix->st, false, &t, &w->ix->err);

    *same = false;
    if (rc)
        return rc;
    rc = lookup(w, t, stored, &docid, &rec);
    if (!rc && docid && rec.stamp.size == f->size &&
        rec.stamp.mtime_ns == f->mtime_ns && rec.stamp.ctime_ns == f->ctime_ns)
        *same = true;
    store_abort(t);
    return rc;
}

/* What a file read and prepared in p means: unchanged (same content),
 * touched, updated or added. */
static int
index_prepared(brief_indexer *w, batch *b, const char *stored,
               const file_stamp *st, uint64_t hash, prepdoc *p,
               uint32_t *next_docid)
{
    brief_index *ix = w->ix;
    store_txn *t;
    doc_rec rec;
    uint32_t old;
    int rc;

    if ((rc = store_begin(ix->st, false, &t, &ix->err)))
        return rc;
    rc = lookup(w, t, stored, &old, &rec);
    store_abort(t);
    if (rc)
        return rc;
    if (old && rec.hash == hash && rec.stamp.size == st->size) {
        prepdoc_discard(p);
        w->counts.unchanged++;
        return memcmp(&rec.stamp, st, sizeof *st) ? batch_touch(b, old, st)
                                                   : BRIEF_OK;
    }
    if (old) {
        w->counts.updated++;
        if ((rc = batch_remove(b, old)))
            return rc;
    } else {
        w->counts.added++;
    }
    rc = batch_add_prepared(b, ix, (*next_docid)++, stored, p, st, hash);
    return rc ? rc : flush(w, b, false);
}

/* Index a buffer given to brief_indexer_add_buffer() (text owned by this
 * call). */
static int
index_buffer(brief_indexer *w, batch *b, const buffer_doc *d,
             uint32_t *next_docid)
{
    file_stamp st = { d->len, 0, 0 };
    char why[4200];
    int rc;

    if (!pipeline_acceptable(d->name, d->text, d->len, why, sizeof why)) {
        free(d->text);
        warn(w, "%s", why);
        w->counts.skipped++;
        return BRIEF_OK;
    }
    if (!w->prep && !(w->prep = prepdoc_new())) {
        free(d->text);
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    }
    if ((rc = writer_prepare(w->prep, d->text, d->len)))
        return err_set(&w->ix->err, rc, "%s: %s", d->name,
                       rc == BRIEF_ECORRUPT ? "a token lies outside every "
                       "passage" : "out of memory");
    return index_prepared(w, b, d->name, &st,
                          XXH3_64bits(d->text, d->len), w->prep,
                          next_docid);
}

/* The file the pipeline prepared for walk file i. */
static int
index_file(brief_indexer *w, batch *b, pipeline *pl, size_t i, char **seen,
           uint32_t *next_docid)
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
        rc = index_prepared(w, b, seen[i], &st, j->hash, j->p, next_docid);
    }
    pipeline_release(pl);
    return rc;
}

/* Send walk file i to the pipeline unless it is unchanged. */
static int
consider(brief_indexer *w, pipeline *pl, size_t i, char **seen,
         bool *queued)
{
    const walk_file *f = &w->w.files[i];
    bool same;
    int rc;

    if (!(seen[i] = index_stored_path(w->ix, f->abs)))
        return err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    if ((rc = unchanged(w, seen[i], f, &same)))
        return rc;
    if (!same)
        pipeline_submit(pl, f->abs, f->shown, f->size);
    queued[i] = !same;
    return BRIEF_OK;
}

/* Every walked file, read and prepared ahead in the pipeline. */
static int
index_files(brief_indexer *w, batch *b, char **seen, uint32_t *next_docid)
{
    const char *env = getenv("BRIEF_TEST_THREADS");
    bool threaded = sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
                    !(env && strcmp(env, "0") == 0);
    pipeline *pl = pipeline_new(threaded);
    bool *queued = calloc(w->w.n + 1, sizeof *queued);
    size_t ahead = 0;
    int rc = BRIEF_OK;

    if (!pl || !queued)
        rc = err_set(&w->ix->err, BRIEF_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->w.n && !rc; i++) {
        while (!rc && ahead < w->w.n && (ahead <= i || pipeline_room(pl)))
            rc = consider(w, pl, ahead++, seen, queued);
        if (rc)
            break;
        if (!queued[i])
            w->counts.unchanged++;
        else if ((rc = index_file(w, b, pl, i, seen, next_docid)))
            break;
        w->prog.files_done++;
        w->prog.bytes_done += w->w.files[i].size;
        progress(w, false);
    }
    pipeline_free(pl);
    free(queued);
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


/* Mark for removal every document under one of prefixes[0..n) (or, with
 * seen, under a root and not in seen[0..n_seen), sorted). */
static int
remove_gone(brief_indexer *w, batch *b, char **prefixes, size_t n,
            bool *is_file, char **seen, size_t n_seen)
{
    brief_index *ix = w->ix;
    store_txn *t;
    store_cursor *cur;
    sval k, v;
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
        if ((rc = batch_remove(b, get_u32be(v.p))))
            break;
        w->counts.removed++;
    }
    store_cursor_close(cur);
    store_abort(t);
    if (rc == BRIEF_DONE)
        rc = BRIEF_OK;
    return rc == BRIEF_ENOMEM ? err_set(&ix->err, rc, "out of memory") : rc;
}

int
brief_indexer_run(brief_indexer *w, brief_counts *counts)
{
    brief_index *ix = w->ix;
    batch *b = batch_new();
    char **seen = NULL;
    bool *is_file = NULL;
    char **root_prefixes = NULL;
    uint32_t next_docid;
    uint64_t next;
    store_txn *t;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &w->t0);
    dedupe(&w->w);
    seen = calloc(w->w.n + 1, sizeof *seen);
    root_prefixes = calloc(w->n_roots + 1, sizeof *root_prefixes);
    is_file = calloc(w->n_roots + 1, sizeof *is_file);
    if (!b || !seen || !root_prefixes || !is_file) {
        rc = err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = store_begin(ix->st, false, &t, &ix->err)))
        goto out;
    rc = store_meta_get(t, "next_docid", &next, &ix->err);
    store_abort(t);
    if (rc)
        goto out;
    next_docid = next ? (uint32_t)next : 1;

    if (w->n_removes &&
        (rc = remove_gone(w, b, w->removes, w->n_removes, NULL, NULL, 0)))
        goto out;
    if ((rc = index_files(w, b, seen, &next_docid)))
        goto out;
    for (size_t i = 0; i < w->n_buffers; i++) {
        rc = index_buffer(w, b, &w->buffers[i], &next_docid);
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
    if (w->n_roots && (rc = remove_gone(w, b, root_prefixes, w->n_roots,
                                        is_file, seen, w->w.n)))
        goto out;
    rc = flush(w, b, true);
    progress(w, true);
out:
    if (seen)
        for (size_t i = 0; i < w->w.n; i++)
            free(seen[i]);
    free(seen);
    free(root_prefixes);
    free(is_file);
    batch_free(b);
    if (counts)
        *counts = w->counts;
    return rc;
}
