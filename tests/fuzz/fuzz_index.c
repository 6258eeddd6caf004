/*
 * fuzz_index: open and search an index whose data file was corrupted.
 *
 * A small valid index is built once (fuzz_common.h) and its data.mdb kept
 * in memory.  Each input is a list of patches applied to a fresh copy of
 * that image, which brief_index_open() then opens read-only; when it
 * opens, statistics, keyword, phrase, NEAR, prefix, figure and regex
 * searches (every hit printed as JSON) and brief_index_check() run on it.
 * Each call must return a status -- OK or an error -- and never crash,
 * hang or read outside what it was given.
 *
 * Input: byte 0 selects the kinds of patch (bit 0: values, bit 1: pages);
 * the rest is read as records until it runs out.
 *
 *  value patch (edits one stored value through LMDB, so the B-trees stay
 *  sound and the corruption reaches brief's own decoders, as FTS5's
 *  fts5corrupt tests do):
 *      db u8 (mod 10), entry u16le (mod the entries), op u8, at u16le,
 *      n u8, then n bytes
 *      op % 5: 0 xor the bytes in at `at`; 1 truncate to `at`;
 *              2 append the bytes; 3 delete the entry; 4 set the key to
 *              the bytes (the value moves to another key)
 *
 *  page patch (raw bytes of data.mdb, after the value patches): the
 *  pages LMDB itself reads:
 *      offset u24le (mod the file size), n u8 (1..16), then n bytes xored
 *
 * LMDB trusts its own pages (mdb.c does not bounds-check node offsets,
 * flags or sizes), so raw page patches make liblmdb itself fault; brief
 * must turn that into an error (lib/fault.h, and the root checks in
 * store.c), like any other damage.  FUZZ_INDEX_PAGES=0 leaves the pages
 * alone, to fuzz brief's decoders only.  With
 * FUZZ_VERBOSE=1 each input prints what open and check returned, and
 * with FUZZ_INDEX_KEEP=DIR the spoiled data.mdb is also copied to
 * DIR/data.mdb, so that the command-line tools can be run on it.
 */
#include <fcntl.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

static const char *const db_names[] = {
    "meta", "docs", "paths", "text", "passages", "postings", "stems",
    "figures", "figvals", "trigrams", "plens",
};
#define N_DBS (sizeof db_names / sizeof *db_names)

static char work[128], data_path[160];
static unsigned char *image;
static size_t image_len;
static char sink[1 << 16];
static int pages_allowed, verbose;

static unsigned char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p;
    long n;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) || !(p = malloc((size_t)n)) ||
        fread(p, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char src[128], path[160];
    const char *tmp = fuzz_tmpdir();

    (void)argc;
    (void)argv;
    snprintf(src, sizeof src, "%s/src", tmp);
    fuzz_build_index(src);
    snprintf(path, sizeof path, "%s/data.mdb", src);
    image = read_file(path, &image_len);
    snprintf(work, sizeof work, "%s/work", tmp);
    snprintf(data_path, sizeof data_path, "%s/data.mdb", work);
    pages_allowed = !getenv("FUZZ_INDEX_PAGES") ||
                    strcmp(getenv("FUZZ_INDEX_PAGES"), "0") != 0;
    verbose = getenv("FUZZ_VERBOSE") != NULL;
    if (mkdir(work, 0777) != 0) {
        perror(work);
        exit(2);
    }
    return 0;
}

static void
write_image(void)
{
    int fd = open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);

    if (fd < 0 || write(fd, image, image_len) != (ssize_t)image_len) {
        perror(data_path);
        exit(2);
    }
    close(fd);
}

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned
get(reader *r, int bytes)
{
    unsigned v = 0;

    for (int i = 0; i < bytes; i++) {
        v |= (unsigned)(r->n ? *r->p : 0) << (8 * i);
        if (r->n) {
            r->p++;
            r->n--;
        }
    }
    return v;
}

/* Apply one value patch inside txn.  Errors (a key too long, a DUPFIXED
 * size) just leave the value as it was. */
static void
patch_value(MDB_txn *txn, reader *r)
{
    unsigned db = get(r, 1) % N_DBS, entry = get(r, 2), op = get(r, 1) % 5;
    unsigned at = get(r, 2), n = get(r, 1);
    unsigned char bytes[256], *v = NULL;
    MDB_val key, val, k2;
    MDB_cursor *c = NULL;
    MDB_dbi dbi;
    MDB_stat st;
    size_t vlen;

    if (n > r->n)
        n = (unsigned)r->n;
    memcpy(bytes, r->p, n);
    r->p += n;
    r->n -= n;
    if (mdb_dbi_open(txn, db_names[db], 0, &dbi) ||
        mdb_stat(txn, dbi, &st) || st.ms_entries == 0 ||
        mdb_cursor_open(txn, dbi, &c) ||
        mdb_cursor_get(c, &key, &val, MDB_FIRST))
        goto out;
    entry %= st.ms_entries;
    for (unsigned i = 0; i < entry; i++)
        if (mdb_cursor_get(c, &key, &val, MDB_NEXT))
            goto out;
    vlen = val.mv_size + (op == 2 ? n : 0);
    if (!(v = malloc(vlen + 1)))
        goto out;
    memcpy(v, val.mv_data, val.mv_size);
    k2 = key;
    switch (op) {
    case 0:
        for (unsigned i = 0; i < n && val.mv_size; i++)
            v[(at + i) % val.mv_size] ^= bytes[i] ? bytes[i] : 0x80;
        break;
    case 1:
        vlen = at < val.mv_size ? at : val.mv_size / 2;
        break;
    case 2:
        memcpy(v + val.mv_size, bytes, n);
        break;
    case 3:
        mdb_cursor_del(c, 0);
        goto out;
    case 4:
        if (n == 0)
            goto out;
        k2.mv_data = bytes;
        k2.mv_size = n;
        break;
    }
    {
        unsigned char *kcopy = malloc(key.mv_size ? key.mv_size : 1);
        MDB_val kc = { key.mv_size, kcopy };
        MDB_val nv = { vlen, v };
        if (!kcopy)
            goto out;
        memcpy(kcopy, key.mv_data, key.mv_size);
        if (op == 4)
            kc = k2;
        mdb_cursor_del(c, 0);
        mdb_cursor_close(c);
        c = NULL;
        mdb_put(txn, dbi, &kc, &nv, 0);
        free(kcopy);
    }
out:
    if (c)
        mdb_cursor_close(c);
    free(v);
}

static void
patch_values(reader *r)
{
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;

    if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, N_DBS) ||
        mdb_env_set_mapsize(env, 64u << 20) ||
        mdb_env_open(env, work, MDB_NOSYNC, 0666) ||
        mdb_txn_begin(env, NULL, 0, &txn)) {
        fprintf(stderr, "fuzz_index: LMDB cannot open the clean image\n");
        abort();
    }
    while (r->n > 0)
        patch_value(txn, r);
    if (mdb_txn_commit(txn))
        fprintf(stderr, "fuzz_index: commit failed\n");
    mdb_env_close(env);
}

static void
patch_pages(reader *r)
{
    int fd = open(data_path, O_RDWR);
    struct stat st;

    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0)
        abort();
    while (r->n > 0) {
        off_t at = (off_t)(get(r, 3) % (unsigned)st.st_size);
        unsigned n = get(r, 1) % 16 + 1;
        unsigned char b[16];
        ssize_t got = pread(fd, b, n, at);
        for (ssize_t i = 0; i < got; i++)
            b[i] ^= (unsigned char)get(r, 1);
        if (got > 0 && pwrite(fd, b, (size_t)got, at) != got)
            abort();
    }
    close(fd);
}

static void
drain(brief_index *ix, brief_search *s, FILE *out)
{
    brief_printer *p = NULL;
    const brief_hit *hit;
    uint64_t n = 0;
    int rc;

    if (brief_printer_new(&p, out, BRIEF_FORMAT_JSON, NULL))
        abort();
    while ((rc = brief_search_next(s, &hit)) == BRIEF_OK) {
        brief_printer_hit(p, hit);
        n++;
    }
    FUZZ_ASSERT(rc == BRIEF_DONE || rc < 0, "search_next rc %d", rc);
    (void)ix;
    brief_printer_end(p, n, brief_search_count(s), 0);
    brief_printer_free(p);
}

static void
exercise(brief_index *ix)
{
    static const char *const queries[] = {
        "industrial", "trillion yuan", "\"base stations\"", "immigra*",
        "country NEAR/3 industrialization", "fig:yuan>1tn", "基站",
        "the OR fox -dog", "path:notes/* running", "re:/[0-9]+ million/",
    };
    static const char *const patterns[] = { "[0-9]+%", "fox|café" };
    brief_search_opts so = { 5 };
    brief_regex_opts ro = { 0 };
    brief_figure_opts fo = { 0 };
    const brief_figure *fig;
    brief_figures *f;
    brief_search *s;
    brief_stats st;
    FILE *out = fmemopen(sink, sizeof sink, "w");
    int rc;

    if (!out)
        abort();
    brief_index_stats(ix, &st);
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        if (brief_search_new(&s, ix, queries[i], &so) == BRIEF_OK)
            drain(ix, s, out);
        brief_search_free(s);
    }
    if (brief_regex_new(&s, ix, patterns, 2, &ro) == BRIEF_OK)
        drain(ix, s, out);
    brief_search_free(s);
    ro.full_scan = true;
    if (brief_regex_new(&s, ix, patterns, 1, &ro) == BRIEF_OK)
        drain(ix, s, out);
    brief_search_free(s);
    fo.unit = "percent";
    fo.sort_by_value = true;
    if (brief_figures_new(&f, ix, &fo) == BRIEF_OK) {
        while ((rc = brief_figures_next(f, &fig)) == BRIEF_OK)
            ;
        FUZZ_ASSERT(rc == BRIEF_DONE || rc < 0, "figures_next rc %d", rc);
    }
    brief_figures_free(f);
    fo.unit = NULL;
    fo.sort_by_value = false;
    fo.query = "yuan";
    if (brief_figures_new(&f, ix, &fo) == BRIEF_OK)
        while (brief_figures_next(f, &fig) == BRIEF_OK)
            ;
    brief_figures_free(f);
    rc = brief_index_check(ix);
    FUZZ_ASSERT(rc == BRIEF_OK || rc < 0, "check rc %d", rc);
    if (verbose)
        fprintf(stderr, "fuzz_index: check: %s%s%s\n", brief_strerror(rc),
                rc ? ": " : "", rc ? brief_errmsg(ix) : "");
    fclose(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = { data, size };
    unsigned mode = get(&r, 1);
    brief_index *ix = NULL;
    int rc;

    if (size > 4096)
        return 0;
    write_image();
    if (mode & 1)
        patch_values(&r);
    if ((mode & 2) && pages_allowed)
        patch_pages(&r);
    if (getenv("FUZZ_INDEX_KEEP")) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s' '%s/data.mdb'",
                 getenv("FUZZ_INDEX_KEEP"), data_path,
                 getenv("FUZZ_INDEX_KEEP"));
        if (system(cmd) != 0)
            fprintf(stderr, "fuzz_index: %s failed\n", cmd);
    }
    rc = brief_index_open(&ix, work, BRIEF_OPEN_READ, NULL);
    if (verbose && rc)
        fprintf(stderr, "fuzz_index: open: %s: %s\n", brief_strerror(rc),
                brief_errmsg(ix));
    FUZZ_ASSERT(rc <= 0, "open rc %d", rc);
    FUZZ_ASSERT(rc == BRIEF_OK || *brief_errmsg(ix), "open failed (%s) "
                "without a message", brief_strerror(rc));
    if (rc == BRIEF_OK)
        exercise(ix);
    brief_index_close(ix);
    return 0;
}
