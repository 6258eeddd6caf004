/*
 * index.c: brief_index handles: locating, opening and closing an index,
 * its error message, statistics, compaction, and the mapping between
 * stored and absolute paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brief_int.h"
#include "segment.h"
#include "terms.h"

#define DEFAULT_DIR ".brief"

static bool
is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
brief_index_locate(char **out, const char *dir, bool search_parents)
{
    const char *env = getenv("BRIEF_INDEX");
    char cwd[PATH_MAX], *p;

    *out = NULL;
    if (!dir && env && *env)
        dir = env;
    if (!dir && !search_parents)
        dir = DEFAULT_DIR;
    if (dir)
        return (*out = strdup(dir)) ? BRIEF_OK : BRIEF_ENOMEM;
    if (!getcwd(cwd, sizeof cwd - sizeof "/" DEFAULT_DIR))
        return BRIEF_EIO;
    for (;;) {
        size_t n = strlen(cwd);
        sprintf(cwd + n, "%s" DEFAULT_DIR, n > 1 ? "/" : "");
        if (is_dir(cwd))
            return (*out = strdup(cwd)) ? BRIEF_OK : BRIEF_ENOMEM;
        cwd[n] = '\0';
        p = strrchr(cwd, '/');
        if (!p || n <= 1)
            return BRIEF_ENOINDEX;
        p[p == cwd ? 1 : 0] = '\0';
    }
}

/* The trigram index's zones (trigram.h) are ZONE_BYTES long in a new
 * index, or BRIEF_TEST_ZONE_BYTES (for tests: small zones on small texts). */
#define ZONE_BYTES 8192
#define ZONE_BYTES_MIN 16
#define ZONE_BYTES_MAX ((uint64_t)1 << 30)

static uint64_t
new_zone_bytes(void)
{
    const char *env = getenv("BRIEF_TEST_ZONE_BYTES");
    char *end;
    unsigned long long n;

    if (!env || !*env)
        return ZONE_BYTES;
    n = strtoull(env, &end, 10);
    return *end || n < ZONE_BYTES_MIN || n > ZONE_BYTES_MAX ? ZONE_BYTES
                                                            : n;
}

/* Read the schema version, the language and the zone size through t
 * into ix (ix->lang and ix->zone_bytes). */
static int
read_meta(brief_index *ix, store_txn *t)
{
    sval v;
    uint64_t version, zone_bytes;
    int rc;

    if ((rc = store_meta_get(t, "schema", &version, &ix->err)))
        return rc;
    if (version == 0) {
        /* The first build was stopped before its first commit: the
         * environment exists, nothing in it does. */
        uint64_t n_docs = 0;
        if (!(rc = store_count(t, DB_DOCS, &n_docs, &ix->err)) && n_docs == 0)
            rc = err_set(&ix->err, BRIEF_ENOINDEX, "%s: no index here "
                         "(create one with brief-index)", ix->dir);
        if (rc)
            return rc;
    }
    if (version != STORE_SCHEMA_VERSION)
        return err_set(&ix->err, version ? BRIEF_EVERSION : BRIEF_ECORRUPT,
                       version ? "%s: index schema version %llu, this brief "
                       "reads version %d (rebuild the index)" :
                       "%s: index has no schema version record",
                       ix->dir, (unsigned long long)version,
                       STORE_SCHEMA_VERSION);
    rc = store_get(t, DB_META, "language", 8, &v, &ix->err);
    if (rc == BRIEF_DONE || (!rc && (v.len == 0 || v.len >= sizeof ix->lang)))
        rc = err_set(&ix->err, BRIEF_ECORRUPT,
                     "%s: index has no valid language record", ix->dir);
    if (rc)
        return rc;
    memcpy(ix->lang, v.p, v.len);
    ix->lang[v.len] = '\0';
    if ((rc = store_meta_get(t, "zone_bytes", &zone_bytes, &ix->err)))
        return rc;
    if (zone_bytes < ZONE_BYTES_MIN || zone_bytes > ZONE_BYTES_MAX)
        return err_set(&ix->err, BRIEF_ECORRUPT, "%s: index has no valid "
                       "zone size record", ix->dir);
    ix->zone_bytes = (size_t)zone_bytes;
    return BRIEF_OK;
}

/* Check or write the schema version, the language and the zone size. */
static int
check_meta(brief_index *ix, bool create, const char *lang)
{
    store_txn *t;
    uint64_t version;
    int rc;

    rc = store_begin(ix->st, ix->writable, &t, &ix->err);
    if (rc)
        return rc;
    ix->gen = store_generation(ix->st);
    if ((rc = store_meta_get(t, "schema", &version, &ix->err)))
        goto out;
    if (version == 0 && create) {
        snprintf(ix->lang, sizeof ix->lang, "%s", lang ? lang : "english");
        if ((rc = store_meta_put(t, "schema", STORE_SCHEMA_VERSION,
                                 &ix->err)) ||
            (rc = store_put(t, DB_META, "language", 8, ix->lang,
                            strlen(ix->lang), &ix->err)) ||
            (rc = store_meta_put(t, "next_docid", 1, &ix->err)) ||
            (rc = store_meta_put(t, "path_order", 1, &ix->err)) ||
            (rc = store_meta_put(t, "zone_bytes", new_zone_bytes(),
                                 &ix->err)))
            goto out;
        if ((rc = store_commit(t, &ix->err)))
            return rc;
        return check_meta(ix, false, lang);
    }
    if ((rc = read_meta(ix, t)))
        goto out;
    if (create && lang && strcmp(lang, ix->lang) != 0)
        rc = err_set(&ix->err, BRIEF_EINVAL, "%s: the index's language is "
                     "%s, not %s (build a new index to change it)", ix->dir,
                     ix->lang, lang);
out:
    store_abort(t);
    return rc;
}

int
brief_index_open(brief_index **out, const char *dir, unsigned flags,
                 const char *lang)
{
    brief_index *ix;
    bool create = flags & BRIEF_OPEN_CREATE, unknown;
    char *slash;
    unsigned how;
    int rc;

    *out = ix = calloc(1, sizeof *ix);
    if (!ix)
        return BRIEF_ENOMEM;
    ix->lock_fd = -1;
    err_clear(&ix->err);
    ix->writable = flags & BRIEF_OPEN_WRITE;
    if (create && lang) {
        stemmer *probe = stemmer_new(lang, &unknown);
        if (!probe)
            return err_set(&ix->err, unknown ? BRIEF_EINVAL : BRIEF_ENOMEM,
                           "unknown language '%s' (brief-index --lang list "
                           "shows them)", lang);
        stemmer_free(probe);
    }
    if (create && ix->writable && !is_dir(dir) && mkdir(dir, 0777) != 0)
        return err_set(&ix->err, errno == ENOENT ? BRIEF_ENOINDEX :
                       BRIEF_EIO, "%s: %s", dir, errno == EEXIST ?
                       "not a directory" : strerror(errno));
    if (!is_dir(dir)) {
        struct stat st;
        return err_set(&ix->err, BRIEF_ENOINDEX, stat(dir, &st) == 0 ?
                       "%s: not a directory" : "%s: no index here "
                       "(create one with brief-index)", dir);
    }
    ix->dir = realpath(dir, NULL);
    if (!ix->dir)
        return err_set(&ix->err, BRIEF_EIO, "%s: %s", dir, strerror(errno));
    ix->root = strdup(ix->dir);
    if (!ix->root)
        return BRIEF_ENOMEM;
    slash = strrchr(ix->root, '/');
    slash[slash == ix->root ? 1 : 0] = '\0';

    if (ix->writable)
        how = STORE_WRITE | (create ? STORE_CREATE : 0);
    else
        how = flags & BRIEF_OPEN_NO_WRITER ? STORE_NO_WRITER : 0;
    rc = store_open(&ix->st, ix->dir, how, &ix->err);
    if (rc)
        return rc;
    if ((rc = check_meta(ix, create && ix->writable, lang)))
        return rc;
    ix->stem = stemmer_new(ix->lang, &unknown);
    if (!ix->stem)
        return err_set(&ix->err, unknown ? BRIEF_ECORRUPT : BRIEF_ENOMEM,
                       "%s: index language '%s' is unknown", ix->dir,
                       ix->lang);
    ix->tok = tokenizer_new();
    if (!ix->tok)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    return BRIEF_OK;
}

int
index_begin(brief_index *ix, bool write, store_txn **out)
{
    char lang[sizeof ix->lang];
    stemmer *stem;
    bool unknown;
    int rc = store_begin(ix->st, write, out, &ix->err);

    if (rc || store_generation(ix->st) == ix->gen)
        return rc;
    /* data.mdb is another file than when this handle last read it. */
    plcache_free(&ix->plens);
    memcpy(lang, ix->lang, sizeof lang);
    if ((rc = read_meta(ix, *out)))
        goto fail;
    if (strcmp(lang, ix->lang) != 0) {
        if (!(stem = stemmer_new(ix->lang, &unknown))) {
            rc = err_set(&ix->err, unknown ? BRIEF_ECORRUPT : BRIEF_ENOMEM,
                         "%s: index language '%s' is unknown", ix->dir,
                         ix->lang);
            goto fail;
        }
        stemmer_free(ix->stem);
        ix->stem = stem;
    }
    ix->gen = store_generation(ix->st);
    return BRIEF_OK;
fail:
    store_abort(*out);
    *out = NULL;
    return rc;
}

void
brief_index_close(brief_index *ix)
{
    if (!ix)
        return;
    store_close(ix->st);
    plcache_free(&ix->plens);
    blkcache_free(&ix->blocks);
    stalecache_free(ix->stale);
    stemmer_free(ix->stem);
    tokenizer_free(ix->tok);
    if (ix->lock_fd >= 0)
        close(ix->lock_fd);
    free(ix->dir);
    free(ix->root);
    free(ix);
}

const char *
brief_errmsg(const brief_index *ix)
{
    return ix ? ix->err.msg : "out of memory";
}

long
brief_erroffset(const brief_index *ix)
{
    return ix ? ix->err.offset : -1;
}

const char **
brief_languages(void)
{
    return stem_languages();
}

/* The distinct words of the postings (logical keys word | 0 | docid, a
 * word's chunks adjacent).  The stems database lists only the words that
 * are not their own stem, so it cannot give this count. */
static int
count_words(store_txn *t, uint64_t *out, brief_err *e)
{
    unsigned char prev[TERMS_KEY_MAX];
    size_t prev_len = 0;
    segcur *cur;
    sval k, v;
    int rc;

    *out = 0;
    if ((rc = segcur_open(t, DB_POSTINGS, &cur, e)))
        return rc;
    for (rc = segcur_first(cur, &k, &v); rc == BRIEF_OK;
         rc = segcur_next(cur, &k, &v)) {
        size_t wlen = k.len >= 4 ? k.len - 4 : 0;
        if (wlen > sizeof prev)
            wlen = sizeof prev;
        if (wlen == prev_len && memcmp(prev, k.p, wlen) == 0)
            continue;
        memcpy(prev, k.p, wlen);
        prev_len = wlen;
        (*out)++;
    }
    segcur_close(cur);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
brief_index_stats(brief_index *ix, brief_stats *out)
{
    store_txn *t;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = index_begin(ix, false, &t)))
        return rc;
    if (!(rc = store_meta_get(t, "documents", &out->documents, &ix->err)) &&
        !(rc = store_meta_get(t, "passages", &out->passages, &ix->err)) &&
        !(rc = store_meta_get(t, "tokens", &out->tokens, &ix->err)) &&
        !(rc = store_meta_get(t, "text_bytes", &out->text_bytes,
                              &ix->err)))
        rc = count_words(t, &out->terms, &ix->err);
    store_abort(t);
    out->disk_bytes = store_file_size(ix->st);
    out->schema_version = STORE_SCHEMA_VERSION;
    snprintf(out->language, sizeof out->language, "%s", ix->lang);
    return rc;
}

/* Take the writers' lock: at once when free, else after a warning. */
int
index_lock(brief_index *ix, void (*warn)(void *ctx, const char *msg),
           void *ctx)
{
    char *path;

    if (ix->lock_fd >= 0)
        return BRIEF_OK;
    path = malloc(strlen(ix->dir) + sizeof "/write.lock");
    if (!path)
        return err_set(&ix->err, BRIEF_ENOMEM, "out of memory");
    sprintf(path, "%s/write.lock", ix->dir);
    ix->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    free(path);
    if (ix->lock_fd < 0)
        return err_set(&ix->err, BRIEF_EIO, "%s/write.lock: %s", ix->dir,
                       strerror(errno));
    if (flock(ix->lock_fd, LOCK_EX | LOCK_NB) == 0)
        return BRIEF_OK;
    if (errno != EWOULDBLOCK)
        return err_set(&ix->err, BRIEF_EIO, "%s/write.lock: %s", ix->dir,
                       strerror(errno));
    if (warn) {
        char msg[4200];
        snprintf(msg, sizeof msg, "%s: another brief-index is writing this "
                 "index; waiting", ix->dir);
        warn(ctx, msg);
    }
    while (flock(ix->lock_fd, LOCK_EX) != 0)
        if (errno != EINTR)
            return err_set(&ix->err, BRIEF_EBUSY, "%s/write.lock: %s",
                           ix->dir, strerror(errno));
    return BRIEF_OK;
}

int
index_compact(brief_index *ix, unsigned flags, uint64_t min_bytes)
{
    uint64_t n_free = 0, n_pages = 0;
    bool in_place = false;
    int rc;

    /* The other handles would keep mapping the old file. */
    if (store_users(ix->st) > 1)
        return err_set(&ix->err, BRIEF_EBUSY, "%s: compacting needs the "
                       "only handle on the index in this process", ix->dir);
    /* Several segments are merged into a copy of the index; else the
     * index is copied, or rewritten in place, as it is. */
    if (!(rc = flags & COMPACT_VERIFY ? store_read_all(ix->st, &ix->err)
                                      : BRIEF_OK) &&
        (rc = segment_rewrite(ix->st, ix->dir, &ix->err)) == BRIEF_DONE &&
        !(rc = segment_consolidate(ix->st, &ix->err))) {
        if (store_file_size(ix->st) < min_bytes)
            return BRIEF_OK;
        if (flags & COMPACT_IF_FREE)
            rc = store_free_pages(ix->st, &n_free, &n_pages, &ix->err);
        in_place = !rc && (flags & COMPACT_IF_FREE) &&
                   n_free * COMPACT_FREE_SHARE <= n_pages;
        if (!rc && !in_place)
            rc = store_compact(ix->st, ix->dir, &ix->err);
    } else if (rc == BRIEF_OK && (flags & COMPACT_NO_FREE)) {
        /* The merge's copy commits in pieces, and the pages the last
         * pieces copied on write stay free (5 for sotu/ after updates);
         * LMDB's compacting copy of it leaves none. */
        rc = store_free_pages(ix->st, &n_free, &n_pages, &ix->err);
        if (!rc && n_free)
            rc = store_compact(ix->st, ix->dir, &ix->err);
    }

    /* The environment still maps the old file: open the new one (or the
     * old one again, when the copy failed); a file rewritten in place
     * must not be mapped meanwhile. */
    store_close(ix->st);
    ix->st = NULL;
    plcache_free(&ix->plens);
    if (in_place)
        rc = store_rewrite(ix->dir, &ix->err);
    if (!rc)
        return store_open(&ix->st, ix->dir, STORE_WRITE, &ix->err);
    if (rc != BRIEF_ECORRUPT) {
        brief_err keep = ix->err;
        if (store_open(&ix->st, ix->dir, STORE_WRITE, &ix->err) == 0)
            ix->err = keep;
    }
    return rc;
}

int
brief_index_compact(brief_index *ix)
{
    bool held = ix->lock_fd >= 0;
    int rc;

    if (!ix->writable)
        return err_set(&ix->err, BRIEF_EINVAL,
                       "compacting needs the index opened for writing");
    if ((rc = index_lock(ix, NULL, NULL)))
        return rc;
    rc = index_compact(ix, COMPACT_VERIFY | COMPACT_NO_FREE, 0);
    if (!held) {
        close(ix->lock_fd);
        ix->lock_fd = -1;
    }
    return rc;
}

char *
index_abs_path(const brief_index *ix, const char *stored, size_t len)
{
    size_t root_len = strlen(ix->root);
    char *p;

    if (len && stored[0] == '/') {
        p = malloc(len + 1);
        if (p) {
            memcpy(p, stored, len);
            p[len] = '\0';
        }
        return p;
    }
    p = malloc(root_len + 1 + len + 1);
    if (!p)
        return NULL;
    memcpy(p, ix->root, root_len);
    if (root_len > 1)
        p[root_len++] = '/';
    memcpy(p + root_len, stored, len);
    p[root_len + len] = '\0';
    return p;
}

char *
index_stored_path(const brief_index *ix, const char *abs)
{
    size_t n = strlen(ix->root);

    if (n == 1)                         /* the index is /.brief */
        return strdup(abs + 1);
    if (strncmp(abs, ix->root, n) == 0 && abs[n] == '/')
        return strdup(abs + n + 1);
    if (strcmp(abs, ix->root) == 0)     /* the root itself: "" holds every
                                           relative path */
        return strdup("");
    return strdup(abs);
}
