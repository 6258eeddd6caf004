/*
 * store.c: the LMDB environment.  Opens the named databases, grows the
 * map when asked (writer.c does on MDB_MAP_FULL) and maps LMDB's errors
 * to brief's; index.c checks the schema version.  It knows the database names but not what the values mean
 * beyond the meta counters; writer.c and eval.c build and read them.
 *
 * Format (docs/FORMAT.md is the user-facing copy).  Integers named "be"
 * are big-endian so that keys sort numerically; the rest little-endian.
 *
 *   meta      name (ASCII) -> value
 *               "schema"      u64: STORE_SCHEMA_VERSION
 *               "language"    the Snowball language name
 *               "documents", "passages", "tokens", "text_bytes",
 *               "figures", "next_docid"  u64 counters
 *               "zone_bytes"  u64: the trigram zones' size (trigram.h); a
 *                             document takes as many docids as its text
 *                             has zones, next_docid past them
 *   docs      u32be docid -> u64 size | i64 mtime_ns | u64 xxh3 hash |
 *                            u32 n_passages | u32 n_tokens | u32 flags |
 *                            i64 ctime_ns | path bytes (to the end)
 *   paths     path bytes -> u32be docid
 *   text      u32be first docid -> block of consecutive documents' bytes,
 *             exactly as read (textstore.c)
 *   passages  u32be docid -> u8 width (2 or 4) | n_passages x uWIDTHle
 *             { byte_start, byte_end, line_start, line_end, n_tokens,
 *             line_begin } (line_begin: the byte where line line_start
 *             begins; passage.h)
 *   postings  word | 0x00 | u32be first docid -> chunk (postings.c)
 *   stems     stem -> word   (DUPSORT: one value per indexed word that is
 *             not its own stem; terms.h)
 *   figures   u32be docid -> n | n varint-coded figure records, offsets
 *             delta-coded (figstore.c)
 *   figvals   unit | 0 | u32be run -> u64be ordered value | u32be docid |
 *             u32be figure (DUPSORT + DUPFIXED, 16-byte values: a range
 *             look-up by unit and value is one cursor range per run, a
 *             run per batch; figstore.c)
 *   trigrams  3 bytes of folded text | u32be first docid -> chunk of the
 *             documents holding that trigram (trigindex.c)
 *   plens     u32be docid -> u8 width (2 or 4) | n_passages x uWIDTHle
 *             n_tokens (a copy of the passages field that ranking reads,
 *             in a tree a tenth the size: a search's look-ups touch few
 *             pages)
 */
#define _GNU_SOURCE           /* sync_file_range() */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "buf.h"
#include "fault.h"
#include "store.h"

/* A new map is 1 GiB of address space; LMDB does not allocate it on disk,
 * so being generous costs nothing and avoids early regrowth. */
#define STORE_MIN_MAP ((size_t)1 << 30)

static const char *const db_names[DB_COUNT] = {
    "meta", "docs", "paths", "text", "passages", "postings", "stems",
    "figures", "figvals", "trigrams", "plens",
};

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    size_t map_size;
    bool write;
    char *data_path;
    dev_t dev;               /* of data.mdb: the key of the registry */
    ino_t ino;
    uintptr_t map_base;      /* where LMDB mapped it; 0 when unknown */
    bool copy;               /* store_copy_open()'s: commits in pieces */
    unsigned how;            /* store_open()'s flags, for refresh() */
    unsigned gen;            /* files opened before this one: refresh() */
    unsigned n_txn;          /* transactions open; under registry_lock */
    unsigned refs;
    struct store *next;
};

/*
 * LMDB allows one environment per data file per process: a second
 * mdb_env_open of the same file resets the reader table and lets a writer
 * reuse pages a reader still uses.  So handles on one index in one process
 * share one store, found in this registry.  It is the library's only
 * global state, guarded by its mutex.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static store *registry;

/* lo and hi bound the bytes of the map a value may lie in: the pages up
 * to the last one committed for a read transaction (data.mdb reaches
 * them: check_size()), the whole map for a write transaction (it may
 * extend the file).  A write transaction's dirty pages lie outside the
 * map; a read transaction's values never do. */
struct store_txn {
    store *s;
    MDB_txn *txn;
    uintptr_t lo, hi;
    bool write;
    bool faulted;            /* a liblmdb call faulted: never commit */
    /* store_append()'s cursors, one a database, each where its last
     * append left it; NULL when none (appending()). */
    MDB_cursor *appends[DB_COUNT];
};

struct store_cursor {
    MDB_cursor *c;
    store_txn *t;
    store_db db;
    brief_err *e;           /* the handle's, for messages */
};

/* Map an LMDB or errno code to a brief status and set the message. */
static int
fail(brief_err *e, int mrc, const char *what)
{
    int rc;

    switch (mrc) {
    case MDB_MAP_FULL:          /* writer.c grows the map and redoes */
        rc = BRIEF_EFULL;
        break;
    case ENOSPC:                /* the disk is full: nothing to redo */
        rc = BRIEF_EIO;
        break;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_BAD_VALSIZE:
        rc = BRIEF_ECORRUPT;
        break;
    case MDB_VERSION_MISMATCH:
        rc = BRIEF_EVERSION;
        break;
    case ENOMEM:
        rc = BRIEF_ENOMEM;
        break;
    case FAULT_CAUGHT:
        return err_set(e, BRIEF_ECORRUPT, "%s: a corrupted page made "
                       "liblmdb fail (%s); rebuild the index", what,
                       fault_what());
    default:
        rc = BRIEF_EIO;
    }
    return err_set(e, rc, "%s: %s", what, mdb_strerror(mrc));
}

/* fail() for a call made in t on db.  A fault also marks t, which is
 * then never committed: the interrupted call may have left it half
 * changed.  Its message names the data file and the database. */
static int
fail_in(store_txn *t, store_db db, brief_err *e, int mrc)
{
    if (mrc != FAULT_CAUGHT)
        return fail(e, mrc, db_names[db]);
    t->faulted = true;
    return err_set(e, BRIEF_ECORRUPT, "%s: a corrupted page in '%s' made "
                   "liblmdb fail (%s); rebuild the index", t->s->data_path,
                   db_names[db], fault_what());
}

uint64_t
store_file_size(const store *s)
{
    struct stat st;

    if (!s->data_path || stat(s->data_path, &st) != 0)
        return 0;
    return (uint64_t)st.st_size;
}

/* Keys other than two 4-byte ones: bytes, then length.  Not inlined,
 * so that key_cmp()'s 4-byte case needs no stack frame. */
__attribute__((noinline)) static int
bytes_cmp(const void *a, size_t a_len, const void *b, size_t b_len)
{
    int c = a_len && b_len ? memcmp(a, b, a_len < b_len ? a_len : b_len)
                           : 0;

    return c ? c : (a_len > b_len) - (a_len < b_len);
}

/* store_key_cmp(), inline in cmp_keys(), and with no stack frame for
 * the 4-byte keys: LMDB calls it some ten times a seek, and the second
 * call and the frame were a twentieth of the instructions of a whole
 * process ranking a common word (bench/PROFILE.md). */
static inline int
key_cmp(const void *a, size_t a_len, const void *b, size_t b_len)
{
    if (a_len == 4 && b_len == 4) {
        const unsigned char *p = a, *q = b;
        uint32_t x = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                     (uint32_t)p[2] << 8 | p[3];
        uint32_t y = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
                     (uint32_t)q[2] << 8 | q[3];
        return (x > y) - (x < y);
    }
    return bytes_cmp(a, a_len, b, b_len);
}

int
store_key_cmp(const void *a, size_t a_len, const void *b, size_t b_len)
{
    return key_cmp(a, a_len, b, b_len);
}

/* Every database's key order (LMDB calls it through a pointer). */
static int
cmp_keys(const MDB_val *a, const MDB_val *b)
{
    return key_cmp(a->mv_data, a->mv_size, b->mv_data, b->mv_size);
}

static void map_from_catalog(store *s, MDB_txn *txn);

/* The flags of database db beyond MDB_CREATE. */
static unsigned
db_flags(int db)
{
    return db == DB_STEMS ? MDB_DUPSORT
         : db == DB_FIGVALS ? MDB_DUPSORT | MDB_DUPFIXED : 0;
}

static int
open_dbs(store *s, const char *dir, bool create, brief_err *e)
{
    MDB_txn *txn;
    int mrc;

    mrc = mdb_txn_begin(s->env, NULL, s->write ? 0 : MDB_RDONLY, &txn);
    if (mrc)
        return fail(e, mrc, "opening the index");
    for (int i = 0; i < DB_COUNT; i++) {
        unsigned flags = (create ? MDB_CREATE : 0) | db_flags(i);
        FAULT_GUARD(mrc, mdb_dbi_open(txn, db_names[i], flags, &s->dbi[i]));
        if (!mrc)
            mrc = mdb_set_compare(txn, s->dbi[i], cmp_keys);
        if (mrc) {
            mdb_txn_abort(txn);
            if (mrc == MDB_NOTFOUND && i == 0)
                /* No database at all: a first build stopped before its
                 * first commit. */
                return err_set(e, BRIEF_ENOINDEX, "%s: no index here "
                               "(create one with brief-index)", dir);
            if (mrc == MDB_NOTFOUND)
                return err_set(e, BRIEF_EVERSION, "index has no '%s' "
                               "database: written by another version of "
                               "brief? (rebuild the index)", db_names[i]);
            return fail(e, mrc, mrc == FAULT_CAUGHT ? s->data_path
                                                    : "opening the index");
        }
    }
    if (!s->write)
        map_from_catalog(s, txn);
    FAULT_GUARD(mrc, mdb_txn_commit(txn));
    return mrc ? fail(e, mrc, mrc == FAULT_CAUGHT ? s->data_path
                                                  : "opening the index")
               : BRIEF_OK;
}

/* LMDB maps the data file and trusts it: pages past the end of a
 * truncated file would kill the process with SIGBUS on first touch.  So
 * the file must reach the last page the meta page names. */
static int
check_size(store *s, const char *dir, brief_err *e)
{
    MDB_envinfo info;
    MDB_stat st;
    struct stat fs;

    if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &st) ||
        stat(s->data_path, &fs) != 0)
        return BRIEF_OK;            /* nothing to compare yet */
    if ((uint64_t)fs.st_size < ((uint64_t)info.me_last_pgno + 1) *
        st.ms_psize)
        return err_set(e, BRIEF_ECORRUPT, "%s: data.mdb is truncated "
                       "(%llu bytes, its pages need %llu); rebuild the "
                       "index", dir, (unsigned long long)fs.st_size,
                       ((unsigned long long)info.me_last_pgno + 1) *
                       st.ms_psize);
    return BRIEF_OK;
}

/*
 * The roots LMDB reads before brief can guard anything.  mdb_dbi_open()
 * searches the main database (the catalog of named databases), and a
 * damaged header there makes LMDB loop forever (a `lower` below the
 * header makes its page count wrap, and its binary search never ends)
 * rather than fault.  So before LMDB opens a database, brief reads the
 * current meta page, the catalog's root page and the root page of each
 * database it names, with pread, and checks their headers against LMDB's
 * on-disk format (data version 1, mdb.c: MDB_page, MDB_meta, MDB_db,
 * MDB_node; little-endian, 64-bit page numbers).  Damage deeper in a
 * tree is caught by the fault guard (fault.h) when LMDB faults on it.
 */
enum {
    PAGE_HDR = 16,               /* pgno u64, pad u16, flags, lower, upper */
    P_BRANCH = 0x01, P_LEAF = 0x02, P_OVERFLOW = 0x04, P_META = 0x08,
    META_MAGIC = 0xBEEFC0DE,
    META_DBS = PAGE_HDR + 24,    /* after magic, version, address, mapsize */
    DB_SIZE = 48,                /* pad u32, flags u16, depth u16, 4 counts, root */
    DB_ROOT = 40,
    META_LAST = META_DBS + 2 * DB_SIZE,  /* last_pg u64, then txnid u64 */
    NODE_HDR = 8,                /* lo u16, hi u16, flags u16, ksize u16 */
    F_BIGDATA = 0x01, F_SUBDATA = 0x02,
};

static unsigned
get_u16le(const unsigned char *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

/* Whether page pgno's header (in p) is a sound branch or leaf page. */
static bool
root_header_ok(const unsigned char *p, uint64_t pgno, size_t psize)
{
    unsigned flags = get_u16le(p + 10), lower = get_u16le(p + 12);
    unsigned upper = get_u16le(p + 14);

    return get_u64le(p) == pgno &&
           ((flags & (P_BRANCH | P_LEAF)) == P_BRANCH ||
            (flags & (P_BRANCH | P_LEAF)) == P_LEAF) &&
           !(flags & (P_OVERFLOW | P_META)) &&
           lower >= PAGE_HDR && (lower - PAGE_HDR) % 2 == 0 &&
           lower <= upper && upper <= psize;
}

static int
damaged(const char *dir, uint64_t pgno, const char *what, brief_err *e)
{
    return err_set(e, BRIEF_ECORRUPT, "%s: data.mdb is damaged: page %llu "
                   "(%s) is not a sound B-tree page; rebuild the index",
                   dir, (unsigned long long)pgno, what);
}

/* LMDB takes the page size from the newer meta page and reads the other
 * through the map at that offset: a damaged size puts it past the end
 * of the file (SIGBUS inside mdb_env_open, which the guard catches but
 * whose allocations it cannot undo).  So both meta pages, when they are
 * meta pages at all (else LMDB says MDB_INVALID), must give one sound
 * page size. */
static int
check_metas(const char *path, const char *dir, brief_err *e)
{
    unsigned char m[META_LAST + 16];
    uint32_t psize[2];
    int fd = open(path, O_RDONLY), i;

    if (fd < 0)
        return BRIEF_OK;            /* mdb_env_open() will say why */
    for (i = 0; i < 2; i++) {
        /* The second meta page lies one page (as the first says) on. */
        if (pread(fd, m, sizeof m, i ? (off_t)psize[0] : 0) !=
            (ssize_t)sizeof m || get_u32le(m + PAGE_HDR) != META_MAGIC ||
            !(get_u16le(m + 10) & P_META))
            break;                  /* not a meta page: LMDB's to judge */
        psize[i] = get_u32le(m + META_DBS);   /* the free db's md_pad */
        if (psize[i] < 512 || psize[i] > 65536 ||
            (psize[i] & (psize[i] - 1)) || (i && psize[1] != psize[0])) {
            close(fd);
            return err_set(e, BRIEF_ECORRUPT, "%s: data.mdb is damaged: "
                           "meta page %d gives a page size of %u; rebuild "
                           "the index", dir, i, psize[i]);
        }
    }
    close(fd);
    return BRIEF_OK;
}

static int
check_roots(store *s, const char *dir, brief_err *e)
{
    unsigned char meta[2][META_LAST + 16], *page = NULL;
    const unsigned char *m = NULL;
    uint64_t last, root;
    MDB_stat st;
    size_t psize;
    int fd, rc = BRIEF_OK;

    if (mdb_env_stat(s->env, &st) || (fd = open(s->data_path, O_RDONLY)) < 0)
        return BRIEF_OK;            /* nothing to read yet */
    psize = st.ms_psize;
    for (int i = 0; i < 2; i++) {
        if (pread(fd, meta[i], sizeof meta[i], (off_t)(i * psize)) !=
            (ssize_t)sizeof meta[i] ||
            get_u32le(meta[i] + PAGE_HDR) != META_MAGIC)
            continue;
        /* LMDB reads the meta page of the later transaction. */
        if (!m || get_u64le(meta[i] + META_LAST + 8) >
                  get_u64le(m + META_LAST + 8))
            m = meta[i];
    }
    if (!m || !(page = malloc(psize)))
        goto out;                   /* mdb_env_open() judged the metas */
    last = get_u64le(m + META_LAST);
    for (int db = 0; db < 2; db++) {
        root = get_u64le(m + META_DBS + db * DB_SIZE + DB_ROOT);
        if (root == UINT64_MAX)     /* P_INVALID: an empty database */
            continue;
        if (root > last || pread(fd, page, psize, (off_t)(root * psize)) !=
            (ssize_t)psize || !root_header_ok(page, root, psize)) {
            rc = damaged(dir, root, db ? "the root of the database "
                         "catalog" : "the root of the free-page list", e);
            goto out;
        }
    }
    if (root == UINT64_MAX || !(get_u16le(page + 10) & P_LEAF))
        goto out;                   /* no catalog, or too big to check */
    /* page holds the catalog's root leaf: check each entry, and the root
     * page of each database it names. */
    for (unsigned i = 0; i < (get_u16le(page + 12) - PAGE_HDR) / 2u; i++) {
        unsigned off = get_u16le(page + PAGE_HDR + 2 * i);
        const unsigned char *n = page + off;
        unsigned char hdr[PAGE_HDR];
        size_t dsize, ksize;
        uint64_t sub;

        if (off < get_u16le(page + 14) || off + NODE_HDR > psize)
            goto bad;
        dsize = get_u16le(n) | (size_t)get_u16le(n + 2) << 16;
        ksize = get_u16le(n + 6);
        if (get_u16le(n + 4) & F_BIGDATA || off + NODE_HDR + ksize + dsize >
            psize)
            goto bad;
        if (!(get_u16le(n + 4) & F_SUBDATA))
            continue;
        if (dsize != DB_SIZE)
            goto bad;
        sub = get_u64le(n + NODE_HDR + ksize + DB_ROOT);
        if (sub == UINT64_MAX)
            continue;
        if (sub > last || pread(fd, hdr, sizeof hdr, (off_t)(sub * psize)) !=
            (ssize_t)sizeof hdr || !root_header_ok(hdr, sub, psize)) {
            char what[64];
            snprintf(what, sizeof what, "the root of '%.*s'",
                     (int)(ksize < 16 ? ksize : 16), (const char *)n + NODE_HDR);
            rc = damaged(dir, sub, what, e);
            goto out;
        }
    }
    goto out;
bad:
    rc = damaged(dir, root, "the root of the database catalog", e);
out:
    free(page);
    close(fd);
    return rc;
}

/* Parse one field of a /proc/self/maps line: hex or decimal digits,
 * then skip the separator (a '-', ':' or a run of spaces).  sscanf, and
 * then strtoul, cost 7% of the instructions of a whole search process. */
static unsigned long
maps_field(const char **p, int base)
{
    unsigned long v = 0;

    for (;; (*p)++) {
        unsigned c = (unsigned char)**p, d;
        if (c - '0' < 10)
            d = c - '0';
        else if (base == 16 && (c | 0x20) - 'a' < 6)
            d = (c | 0x20) - 'a' + 10;
        else
            break;
        v = v * (unsigned)base + d;
    }
    while (**p == ' ' || **p == '-' || **p == ':')
        (*p)++;
    return v;
}

/* Find where LMDB mapped data.mdb, after it opened or remapped it: LMDB
 * does not tell (me_mapaddr is only set for MDB_FIXEDMAP), so look in
 * /proc/self/maps for the mapping at offset 0 of its device and inode or
 * (overlay file systems show the lower layer's) of its real path.  Not
 * found, map_base is 0 and values go unchecked. */
static void
find_map(store *s)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[4096], *real = NULL;

    s->map_base = 0;
    while (f && fgets(line, sizeof line, f)) {
        /* lo-hi perms offset major:minor inode path */
        const char *p = line;
        unsigned long lo = maps_field(&p, 16), off, maj, mnr, ino;

        maps_field(&p, 16);
        while (*p && *p != ' ')         /* the permissions */
            p++;
        maps_field(&p, 16);
        off = maps_field(&p, 16);
        maj = maps_field(&p, 16);
        mnr = maps_field(&p, 16);
        ino = maps_field(&p, 10);
        if (off != 0 || !*p || *p == '\n')
            continue;
        if (ino == s->ino && maj == major(s->dev) && mnr == minor(s->dev)) {
            s->map_base = lo;
            break;
        }
        /* Overlay file systems: compare the path (rarely needed, so the
         * real path is found only now). */
        if (!real && !(real = realpath(s->data_path, NULL)))
            continue;
        if (strncmp(p, real, strlen(real)) == 0 &&
            (p[strlen(real)] == '\n' || p[strlen(real)] == '\0')) {
            s->map_base = lo;
            break;
        }
    }
    if (f)
        fclose(f);
    free(real);
}

/* *base := where the map begins, given a value LMDB read from it: the
 * page the value lies in (at a multiple of the page size when the map
 * is aligned to it, as it is unless the index's pages are larger than
 * the system's) names its number in its header, and the map begins that
 * many pages before it, with meta pages 0 and 1.  1 when that does not
 * hold.  Reads through the map: call it guarded. */
static int
base_from_value(const void *v, size_t psize, uint64_t last, uintptr_t *base)
{
    uintptr_t page = (uintptr_t)v & ~((uintptr_t)psize - 1);
    uint64_t pgno = get_u64le((const unsigned char *)page);
    const unsigned char *m;

    if (pgno < 2 || pgno > last || pgno > page / psize)
        return 1;
    m = (const unsigned char *)(page - pgno * psize);
    if (get_u64le(m) != 0 || get_u64le(m + psize) != 1 ||
        !(get_u16le(m + 10) & P_META) ||
        get_u32le(m + PAGE_HDR) != META_MAGIC)
        return 1;
    *base = (uintptr_t)m;
    return 0;
}

/* Find where LMDB mapped data.mdb from txn, a read transaction whose
 * values lie in the map: the catalog's record of the first database
 * does.  Not found (the pages larger than the system's), map_base stays
 * 0 and find_map() reads /proc/self/maps, which took a twentieth of a
 * whole-process search (bench/PROFILE.md). */
static void
map_from_catalog(store *s, MDB_txn *txn)
{
    MDB_val k = { strlen(db_names[0]), (void *)db_names[0] }, v;
    MDB_envinfo info;
    MDB_stat st;
    MDB_dbi main;
    uintptr_t base = 0;
    int mrc;

    if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &st) ||
        mdb_dbi_open(txn, NULL, 0, &main))
        return;
    FAULT_GUARD(mrc, mdb_get(txn, main, &k, &v));
    if (mrc)
        return;
    FAULT_GUARD(mrc, base_from_value(v.mv_data, st.ms_psize,
                                     info.me_last_pgno, &base));
    if (mrc == 0)
        s->map_base = base;
}

/* LMDB calls this before abort() when one of its assertions fails, which
 * a corrupted page can make happen: inside a guarded call, it becomes
 * that call's fault (fault.h). */
static void
lmdb_assert(MDB_env *env, const char *msg)
{
    (void)env;
    fault_raise(msg);
}

/* Create s->env (closing one a failed attempt left) and open it on dir
 * with flags; LMDB's status. */
static int
open_env(store *s, const char *dir, unsigned flags)
{
    int mrc;

    if (s->env)
        mdb_env_close(s->env);
    s->env = NULL;
    if ((mrc = mdb_env_create(&s->env)) ||
        (mrc = mdb_env_set_assert(s->env, lmdb_assert)) ||
        (mrc = mdb_env_set_maxdbs(s->env, DB_COUNT)) ||
        (mrc = mdb_env_set_mapsize(s->env, s->map_size)))
        return mrc;
    /* It reads the meta pages through the map, at the page size the
     * first meta page claims: a damaged one can put them past the end of
     * the file (SIGBUS; found by fuzz_index). */
    FAULT_GUARD(mrc, mdb_env_open(s->env, dir, MDB_NOTLS | flags, 0666));
    return mrc;
}

static void store_free(store *s);

/* The store already open on dir's data file in this process: BRIEF_OK
 * with *out (one more reference), BRIEF_DONE when there is none.  Called
 * with the registry locked. */
static int
shared(const char *dir, bool write, store **out, brief_err *e)
{
    char path[4096];
    struct stat st;

    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (stat(path, &st) != 0)
        return BRIEF_DONE;
    for (store *s = registry; s; s = s->next) {
        if (s->dev != st.st_dev || s->ino != st.st_ino)
            continue;
        if (write && !s->write)
            return err_set(e, BRIEF_EBUSY, "%s: already open read-only in "
                           "this process; open it for writing first", dir);
        s->refs++;
        *out = s;
        return BRIEF_OK;
    }
    return BRIEF_DONE;
}

/* Open s->env on s->data_path in dir as how says, with the checks a file
 * from elsewhere needs; fills every field but the registry's.  Called
 * with the registry locked. */
static int
attach(store *s, const char *dir, unsigned how, brief_err *e)
{
    struct stat st;
    size_t need;
    int mrc, rc;
    int dead;
    bool write = how & STORE_WRITE, known = false;
    const bool asked_write = write, create = how & STORE_CREATE;

    /* Open the environment for writing whenever the files allow it, so
     * that a writing handle opened later in this process can share it
     * (unless the caller says there will be none); a handle opened for
     * reading still only reads. */
    if (!write && !(how & STORE_NO_WRITER) && access(dir, W_OK) == 0)
        write = access(s->data_path, W_OK) == 0;
    s->write = write;
    s->how = how;

    if (stat(s->data_path, &st) != 0) {
        if (!create)
            return err_set(e, BRIEF_ENOINDEX, "%s: no index here "
                           "(create one with brief-index)", dir);
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return err_set(e, BRIEF_EIO, "%s: %s", dir, strerror(errno));
        st.st_size = 0;
    } else if (st.st_size == 0 && !create) {
        /* An empty data file: a build that never wrote a page. */
        return err_set(e, BRIEF_ENOINDEX, "%s: no index here (create one "
                       "with brief-index)", dir);
    }
    need = (size_t)st.st_size * (write ? 2 : 1);
    s->map_size = need > STORE_MIN_MAP ? need : STORE_MIN_MAP;
    /* Tests shrink the first map to see it grow (docs/HACKING.md). */
    if (getenv("BRIEF_TEST_MAP_SIZE") && write)
        s->map_size = strtoull(getenv("BRIEF_TEST_MAP_SIZE"), NULL, 10);

    /* MDB_NOMETASYNC: one fsync a commit instead of two; a system crash
     * may undo the last batch but never breaks the index (FORMAT.md).
     * MDB_NORDAHEAD (MADV_RANDOM) for writers: a writer touches pages
     * here and there, and read-ahead would bring their neighbours in.
     * It does not stop the kernel from mapping more than the page read
     * (a pass over scattered pages was seen to hold some 40 times what
     * it read), so long passes also drop the map's pages as they go
     * (store_release_pages(); bench/PROFILE.md). */
    if ((rc = check_metas(s->data_path, dir, e)))
        return rc;
    mrc = open_env(s, dir, write ? MDB_NOMETASYNC | MDB_NORDAHEAD
                                 : MDB_RDONLY);
    if (mrc == EACCES && !asked_write) {
        /* lock.mdb may not be written (another user's index): read
         * without LMDB's reader table (FORMAT.md, "Reading an index you
         * may not write"). */
        s->write = false;
        mrc = open_env(s, dir, MDB_RDONLY | MDB_NOLOCK);
    }
    if (mrc)
        return mrc == EACCES && asked_write ?
               err_set(e, BRIEF_EIO, "%s: Permission denied (writing the "
                       "index needs write access to it)", dir) :
               fail(e, mrc, dir);
    mdb_reader_check(s->env, &dead);
    if (stat(s->data_path, &st) == 0) {
        s->dev = st.st_dev;
        s->ino = st.st_ino;
        known = true;
    }
    if ((rc = check_size(s, dir, e)) || (rc = check_roots(s, dir, e)) ||
        (rc = open_dbs(s, dir, create, e)))
        return rc;
    if (!s->map_base && known)
        find_map(s);
    return BRIEF_OK;
}

int
store_open(store **out, const char *dir, unsigned how, brief_err *e)
{
    store *s;
    int rc;

    *out = NULL;
    fault_init();
    pthread_mutex_lock(&registry_lock);
    if ((rc = shared(dir, how & STORE_WRITE, out, e)) != BRIEF_DONE) {
        pthread_mutex_unlock(&registry_lock);
        return rc;
    }
    s = calloc(1, sizeof *s);
    if (s && !(s->data_path = malloc(strlen(dir) + sizeof "/data.mdb"))) {
        free(s);
        s = NULL;
    }
    if (!s) {
        pthread_mutex_unlock(&registry_lock);
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    }
    sprintf(s->data_path, "%s/data.mdb", dir);
    if ((rc = attach(s, dir, how, e))) {
        pthread_mutex_unlock(&registry_lock);
        store_free(s);
        return rc;
    }
    s->refs = 1;
    s->next = registry;
    registry = s;
    *out = s;
    pthread_mutex_unlock(&registry_lock);
    return BRIEF_OK;
}

/*
 * Before a store's first transaction (none is open): when data.mdb is no
 * longer the file s has open -- another process's compaction moved its
 * copy over it, or the index was built anew -- open the new file in its
 * place, so that readers see it and a writer does not commit to a file
 * no one will read again.  When another store of this process has the
 * new file open already (a handle opened after the change), s keeps its
 * old file rather than open a second environment on the new one (the
 * registry's rule); the old file's last snapshot stays readable.  Called
 * with the registry locked.
 */
static int
refresh(store *s, brief_err *e)
{
    struct stat st;
    store *n;
    char *dir;
    int rc;

    if (s->copy || (s->dev == 0 && s->ino == 0) ||
        stat(s->data_path, &st) != 0 ||
        (st.st_dev == s->dev && st.st_ino == s->ino))
        return BRIEF_OK;
    for (const store *o = registry; o; o = o->next)
        if (o->dev == st.st_dev && o->ino == st.st_ino)
            return BRIEF_OK;
    n = calloc(1, sizeof *n);
    dir = strndup(s->data_path, strlen(s->data_path) - strlen("/data.mdb"));
    if (!n || !dir || !(n->data_path = strdup(s->data_path))) {
        free(dir);
        free(n);
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    }
    rc = attach(n, dir, s->how & ~(unsigned)STORE_CREATE, e);
    free(dir);
    if (!rc) {
        MDB_env *old = s->env;
        s->env = n->env;
        n->env = old;
        memcpy(s->dbi, n->dbi, sizeof s->dbi);
        s->map_size = n->map_size;
        s->write = n->write;
        s->dev = n->dev;
        s->ino = n->ino;
        s->map_base = n->map_base;
        s->gen++;
    }
    store_free(n);
    return rc;
}

unsigned
store_generation(const store *s)
{
    return s->gen;
}

/* Close the environment and free s (not in the registry). */
static void
store_free(store *s)
{
    if (s->env)
        mdb_env_close(s->env);
    free(s->data_path);
    free(s);
}

void
store_close(store *s)
{
    store **p;

    if (!s)
        return;
    pthread_mutex_lock(&registry_lock);
    if (--s->refs > 0) {
        pthread_mutex_unlock(&registry_lock);
        return;
    }
    for (p = &registry; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    pthread_mutex_unlock(&registry_lock);
    store_free(s);
}

uintptr_t
store_map_base(const store *s)
{
    return s->map_base;
}

unsigned
store_users(const store *s)
{
    return s->refs;
}

int
store_grow(store *s, brief_err *e)
{
    MDB_envinfo info;
    int mrc;

    /* Double the real size: LMDB raises a request below the file's size
     * to it, and MDB_MAP_RESIZED adopts another process's size. */
    if (mdb_env_info(s->env, &info) == 0 && info.me_mapsize > s->map_size)
        s->map_size = info.me_mapsize;
    s->map_size *= 2;
    mrc = mdb_env_set_mapsize(s->env, s->map_size);
    find_map(s);
    return mrc ? fail(e, mrc, "growing the index map") : BRIEF_OK;
}

void
store_release_pages(store *s)
{
    MDB_envinfo info;

    /* The map is shared and read-only (writes go through write(2)), so
     * dropping its pages loses nothing: the next touch maps them again
     * from the page cache.  find_map() knows where it is. */
    if (s->map_base && mdb_env_info(s->env, &info) == 0)
        madvise((void *)s->map_base, info.me_mapsize, MADV_DONTNEED);
}

void
store_txn_release_pages(store_txn *t)
{
    store_release_pages(t->s);
}

/* Read every entry of every database under the fault guard, so that
 * damage that would make liblmdb fault shows here, where it costs only
 * an error.  Run before store_compact(): mdb_env_copyfd2() walks the
 * same pages from a second thread's buffers, and a fault in its walk
 * would leave that thread waiting and its buffers behind. */
#define READ_ALL_RELEASE (16u << 20)     /* bytes of keys and values */

int
store_read_all(store *s, brief_err *e)
{
    size_t read = 0;
    store_txn *t;
    int rc;

    if ((rc = store_begin(s, false, &t, e)))
        return rc;
    for (int db = 0; db < DB_COUNT && rc == BRIEF_OK; db++) {
        store_cursor *c;
        sval k, v;

        if ((rc = store_cursor_open(t, db, &c, e)))
            break;
        /* Like the copy, the pass drops the pages it read as it goes. */
        for (rc = store_cursor_first(c, &k, &v); rc == BRIEF_OK;
             rc = store_cursor_next(c, &k, &v))
            if ((read += k.len + v.len) >= READ_ALL_RELEASE) {
                store_release_pages(s);
                read = 0;
            }
        if (rc == BRIEF_DONE)
            rc = BRIEF_OK;
        store_cursor_close(c);
    }
    store_abort(t);
    return rc;
}

/* LMDB's compacting copy walks the pages through the map, and a read
 * fault maps the page cache's folio around the page: left alone, the
 * copy's resident set grows to the size of the index.  So the copy is
 * written into a pipe, and a thread of ours moves it to the file and
 * drops the map's pages every RELEASE_EVERY bytes.  The walk cannot run
 * further ahead than the pipe (64 KiB) and LMDB's two 1 MiB buffers, so
 * what it holds mapped stays bounded whatever the scheduling.  (A timer
 * thread, tried first, let one build of 8x large/ in three reach 384
 * MiB; dropping every 8 MiB through a 1 MiB pipe, 381 MiB: each page the
 * walk reads maps its folio, tens of times its size.)  Dropping the
 * pages is safe beside the walk: the map is read-only, and a page read
 * again is mapped again from the page cache. */
#define RELEASE_EVERY (1u << 20)
#define PUMP_BUF 65536           /* a pipe's capacity */
/* The copy is written to the file in runs of this size at offsets that
 * are its multiples, so that the page cache holds the new file in 2 MiB
 * folios, which a search's read faults map whole (PMD-mapped): on large/
 * a whole-process `brief-search people` took 99 faults and 4.5 ms of CPU
 * instead of 149 and 8 ms with the 64 KiB writes of before, where each
 * new 2 MiB of the map touched costs a page table of its own
 * (bench/PROFILE.md). */
#define PUMP_RUN ((size_t)2 << 20)

typedef struct pump {
    store *s;
    int from, to;
    int err;                 /* the first errno of a failed read or write */
} pump;

/* Write run[0..len) to the file, unless an error came before. */
static void
pump_write(pump *p, const char *run, size_t len)
{
    for (size_t at = 0; !p->err && at < len;) {
        ssize_t w = write(p->to, run + at, len - at);
        if (w < 0 && errno != EINTR)
            p->err = errno;
        at += w > 0 ? (size_t)w : 0;
    }
}

static void *
pump_loop(void *arg)
{
    pump *p = arg;
    char small[4096], *run = malloc(PUMP_RUN), *to = run ? run : small;
    size_t cap = run ? PUMP_RUN : sizeof small, since = 0, len = 0;
    ssize_t n;

    if (!run)
        p->err = ENOMEM;
    /* After an error the pipe is still drained, so that LMDB's writer
     * never waits on it. */
    while ((n = read(p->from, to + len, cap - len)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* Nothing more is read: LMDB's writer gets EPIPE (its thread
             * inherits copy_compact()'s blocked SIGPIPE) and stops. */
            p->err = p->err ? p->err : errno;
            close(p->from);
            p->from = -1;
            break;
        }
        if ((len += (size_t)n) == cap) {
            pump_write(p, to, len);
            len = 0;
        }
        if ((since += (size_t)n) >= RELEASE_EVERY) {
            store_release_pages(p->s);
            since = 0;
        }
    }
    pump_write(p, to, len);
    free(run);
    return NULL;
}

/* mdb_env_copyfd2(MDB_CP_COMPACT) to fd through the pump: 0, an errno or
 * an LMDB error code. */
static int
copy_compact(store *s, int fd)
{
    pump p = { s, -1, fd, 0 };
    int pipefd[2], mrc;
    sigset_t pipe_sig, was;
    pthread_t th;

    if (pipe(pipefd) != 0)
        return errno;
    p.from = pipefd[0];
    if ((mrc = pthread_create(&th, NULL, pump_loop, &p)) != 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return mrc;
    }
    sigemptyset(&pipe_sig);
    sigaddset(&pipe_sig, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_sig, &was);
    FAULT_GUARD(mrc, mdb_env_copyfd2(s->env, pipefd[1], MDB_CP_COMPACT));
    pthread_sigmask(SIG_SETMASK, &was, NULL);
    close(pipefd[1]);
    pthread_join(th, NULL);
    if (p.from >= 0)
        close(p.from);
    store_release_pages(s);
    return p.err ? p.err : mrc;
}

/* store_rewrite() of the file at path. */
static int
rewrite_file(const char *path, brief_err *e)
{
    char *run = malloc(PUMP_RUN);
    int fd = -1, rc = BRIEF_OK;
    off_t at = 0;

    if (!run)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    /* The last commit's meta page may still be dirty (MDB_NOMETASYNC),
     * and the page cache drops only clean pages. */
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0 || fdatasync(fd) != 0)
        goto failed;
    for (;;) {
        ssize_t n = pread(fd, run, PUMP_RUN, at), w;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                goto failed;
            break;
        }
        /* Dropped, the run is written into one new folio (a whole one:
         * nothing is read back); the bytes on disk are the same all
         * along, so an interrupted rewrite leaves the index as it was. */
        posix_fadvise(fd, at, n, POSIX_FADV_DONTNEED);
        for (ssize_t done = 0; done < n; done += w > 0 ? w : 0)
            if ((w = pwrite(fd, run + done, (size_t)(n - done),
                            at + done)) < 0 && errno != EINTR)
                goto failed;
        at += n;
    }
    goto out;
failed:
    rc = err_set(e, BRIEF_EIO, "%s: %s", path, strerror(errno));
out:
    if (fd >= 0)
        close(fd);
    free(run);
    return rc;
}

/* Copy the new file at path, as LMDB wrote it in the runs of its
 * commits, into a new file of that name in PUMP_RUN runs at their
 * multiples (2 MiB folios, as rewrite_file() leaves a file), and sync
 * it.  The first file is unlinked before it is read: its dirty pages are
 * dropped, never written, where rewrite_file() needs them written first
 * and then writes the file again.  Each run starts its write-back once
 * written, so the sync at the end finds most of it done; the runs are
 * written from a map of the first file, one copy where pread() made two.
 * On large/: 0.59 -> 0.46 s for the sync and the rewrite together
 * (bench/PROFILE.md). */
static int
refile(const char *path, brief_err *e)
{
    int from = -1, to = -1, rc = BRIEF_OK;
    char *map = MAP_FAILED;
    struct stat st;

    if ((from = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
        fstat(from, &st) != 0 || unlink(path) != 0 ||
        (to = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                   st.st_mode & 0777)) < 0)
        goto failed;
    if (st.st_size && (map = mmap(NULL, (size_t)st.st_size, PROT_READ,
                                  MAP_SHARED, from, 0)) == MAP_FAILED)
        goto failed;
    for (off_t at = 0; at < st.st_size;) {
        size_t n = st.st_size - at < (off_t)PUMP_RUN
                       ? (size_t)(st.st_size - at) : PUMP_RUN;
        ssize_t w;
        for (size_t done = 0; done < n; done += w > 0 ? (size_t)w : 0)
            if ((w = pwrite(to, map + at + done, n - done,
                            at + done)) < 0 && errno != EINTR)
                goto failed;
        sync_file_range(to, at, (off_t)n, SYNC_FILE_RANGE_WRITE);
        /* What the map holds counts in the process's RSS. */
        madvise(map + at, n, MADV_DONTNEED);
        at += (off_t)n;
    }
    if (fdatasync(to) == 0)
        goto out;
failed:
    rc = err_set(e, BRIEF_EIO, "%s: %s", path, strerror(errno));
out:
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    return rc;
}

int
store_rewrite(const char *dir, brief_err *e)
{
    char *path = malloc(strlen(dir) + sizeof "/data.mdb");
    int rc;

    if (!path)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    sprintf(path, "%s/data.mdb", dir);
    rc = rewrite_file(path, e);
    free(path);
    return rc;
}

/* Give both meta pages of the new file at path its last commit: the
 * older becomes that commit again under the next id, as an empty commit
 * would leave it.  A reader then finds the file whole whichever meta
 * page it takes (replace_data()). */
static int
twin_metas(const char *path, brief_err *e)
{
    unsigned char m[2][META_LAST + 16];
    const size_t len = sizeof m[0] - PAGE_HDR;
    uint32_t psize = 0;
    int fd = open(path, O_RDWR | O_CLOEXEC), newer, rc = BRIEF_OK;

    if (fd < 0 ||
        pread(fd, m[0], sizeof m[0], 0) != (ssize_t)sizeof m[0] ||
        (psize = get_u32le(m[0] + META_DBS)) < 512 || psize > 65536 ||
        pread(fd, m[1], sizeof m[1], psize) != (ssize_t)sizeof m[1] ||
        get_u32le(m[0] + PAGE_HDR) != META_MAGIC ||
        get_u32le(m[1] + PAGE_HDR) != META_MAGIC) {
        rc = err_set(e, BRIEF_EIO, "%s: %s", path, fd < 0 ?
                     strerror(errno) : "the copy has no meta pages");
    } else {
        newer = get_u64le(m[1] + META_LAST + 8) >
                get_u64le(m[0] + META_LAST + 8);
        memcpy(m[!newer] + PAGE_HDR, m[newer] + PAGE_HDR, len);
        put_u64le(m[!newer] + META_LAST + 8,
                  get_u64le(m[newer] + META_LAST + 8) + 1);
        if (pwrite(fd, m[!newer] + PAGE_HDR, len,
                   (off_t)(newer ? 0 : psize) + PAGE_HDR) != (ssize_t)len)
            rc = err_set(e, BRIEF_EIO, "%s: %s", path, strerror(errno));
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Move the new file at path over s's data.mdb, then put a new, empty
 * lock.mdb in place of the old.  The lock file holds the last
 * transaction id, and readers take the meta page of its parity: one that
 * another process keeps open (a brief-search --serve) is not set up
 * again from the new file, whose ids are its own, so readers could take
 * its older meta page (for a copy by LMDB, an empty one: "no index
 * here"), and the writer would go on from ids the copy has used.  The
 * new lock file is set up from the new file by the next process to open
 * it; processes with the old one open keep the old file and its lock
 * file, a snapshot no writer changes.  It is created with the old one's
 * mode (a shared index stays writable to its group), and moved in,
 * rather than left for the next process to create.  A process that
 * opens the index between the two renames gets the new file and the old
 * lock file: twin_metas() made both meta pages whole for it. */
static int
replace_data(store *s, const char *path, brief_err *e)
{
    size_t n = strlen(s->data_path) - strlen("data.mdb");
    char lock[4096], fresh[4096];
    struct stat st;
    mode_t mode = stat(s->data_path, &st) == 0 ? st.st_mode & 0777 : 0644;
    int fd;

    snprintf(lock, sizeof lock, "%.*slock.mdb", (int)n, s->data_path);
    snprintf(fresh, sizeof fresh, "%.*slock.mdb.new", (int)n, s->data_path);
    if (stat(lock, &st) == 0)
        mode = st.st_mode & 0777;
    if (rename(path, s->data_path) != 0)
        return err_set(e, BRIEF_EIO, "%s: %s", s->data_path,
                       strerror(errno));
    fd = open(fresh, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0 || fchmod(fd, mode) != 0 || rename(fresh, lock) != 0) {
        /* Then the next process creates it. */
        unlink(fresh);
        unlink(lock);
    }
    if (fd >= 0)
        close(fd);
    return BRIEF_OK;
}

int
store_compact(store *s, const char *dir, brief_err *e)
{
    char *tmp;
    int fd, mrc, rc = BRIEF_OK;

    tmp = malloc(strlen(dir) + sizeof "/data.mdb.compact");
    if (!tmp)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    sprintf(tmp, "%s/data.mdb.compact", dir);
    unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        rc = err_set(e, BRIEF_EIO, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    /* store_read_all() found no damage (or the caller has just written
     * every page); a fault here after all leaves LMDB's copying thread
     * waiting, and brief-index exits. */
    mrc = copy_compact(s, fd);
    if (!mrc && !(rc = twin_metas(tmp, e)) && fsync(fd) != 0)
        mrc = errno;
    close(fd);
    if (mrc || rc) {
        unlink(tmp);
        if (!rc)
            rc = fail(e, mrc, mrc == FAULT_CAUGHT ? s->data_path
                                                  : "compacting the index");
        goto out;
    }
    /* Readers that have the old file open keep their mapping; new ones
     * open the compacted file. */
    if ((rc = replace_data(s, tmp, e)))
        unlink(tmp);
out:
    free(tmp);
    return rc;
}

/* Record the part of the map t may read (after any remapping). */
static void
set_bounds(store_txn *t, bool write)
{
    MDB_envinfo info;
    MDB_stat st;
    size_t len;

    t->write = write;
    t->lo = 0;
    t->hi = UINTPTR_MAX;
    if (!t->s->map_base)
        return;
    mdb_env_info(t->s->env, &info);
    mdb_env_stat(t->s->env, &st);
    len = write ? info.me_mapsize
                : (info.me_last_pgno + 1) * (size_t)st.ms_psize;
    t->lo = t->s->map_base;
    t->hi = t->lo + (len < info.me_mapsize ? len : info.me_mapsize);
}

/* Whether v's bytes may be read: LMDB follows corrupted page headers to
 * keys and values that run past the end of data.mdb (SIGBUS) or lie
 * outside the map. */
static bool
in_bounds(const store_txn *t, const MDB_val *v)
{
    uintptr_t p = (uintptr_t)v->mv_data;

    if (p < t->lo || p >= t->hi)
        return t->write;
    return v->mv_size <= t->hi - p;
}

/* The message for a key or value in_bounds() refused. */
static int
out_of_bounds(const store_txn *t, store_db db, brief_err *e)
{
    return err_set(e, BRIEF_ECORRUPT, "%s: a '%s' entry lies outside the "
                   "data file (a corrupted page); rebuild the index",
                   t->s->data_path, db_names[db]);
}

/* A transaction of s ended (or never began). */
static void
txn_gone(store *s)
{
    pthread_mutex_lock(&registry_lock);
    s->n_txn--;
    pthread_mutex_unlock(&registry_lock);
}

int
store_begin(store *s, bool write, store_txn **out, brief_err *e)
{
    store_txn *t;
    int mrc, rc;

    *out = NULL;
    t = malloc(sizeof *t);
    if (!t)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    t->s = s;
    t->faulted = false;
    memset(t->appends, 0, sizeof t->appends);
    pthread_mutex_lock(&registry_lock);
    rc = s->n_txn == 0 ? refresh(s, e) : BRIEF_OK;
    s->n_txn += rc == BRIEF_OK;
    pthread_mutex_unlock(&registry_lock);
    if (rc) {
        free(t);
        return rc;
    }
    mrc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    if (mrc == MDB_MAP_RESIZED) {
        /* Another process grew the map: adopt its size and retry. */
        mdb_env_set_mapsize(s->env, 0);
        find_map(s);
        mrc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
    }
    if (mrc) {
        txn_gone(s);
        free(t);
        return fail(e, mrc, "beginning a transaction");
    }
    set_bounds(t, write);
    *out = t;
    return BRIEF_OK;
}

int
store_begin_twin(store_txn *like, store_txn **out, brief_err *e)
{
    store_txn *t;
    int mrc;

    *out = NULL;
    if (like->write)
        return err_set(e, BRIEF_EINVAL, "a write transaction has no twin");
    if (!(t = malloc(sizeof *t)))
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    t->s = like->s;
    t->faulted = false;
    memset(t->appends, 0, sizeof t->appends);
    pthread_mutex_lock(&registry_lock);
    t->s->n_txn++;
    pthread_mutex_unlock(&registry_lock);
    /* No retry on MDB_MAP_RESIZED here, unlike store_begin(): adopting a
     * new map size is not safe while like is open in another thread. */
    FAULT_GUARD(mrc, mdb_txn_begin(t->s->env, NULL, MDB_RDONLY, &t->txn));
    if (mrc) {
        txn_gone(t->s);
        free(t);
        return fail(e, mrc, "beginning a transaction");
    }
    set_bounds(t, false);
    if (store_txn_snapshot(t) != store_txn_snapshot(like)) {
        store_abort(t);
        return err_set(e, BRIEF_EBUSY, "the index changed meanwhile");
    }
    *out = t;
    return BRIEF_OK;
}

int
store_copy(store_txn *t, const void *p, size_t len, void *dst, brief_err *e)
{
    uintptr_t a = (uintptr_t)p;
    size_t done = 0;
    int fd;

    if (t->write || !t->s->map_base || a < t->lo || a >= t->hi ||
        len > t->hi - a || mdb_env_get_fd(t->s->env, &fd)) {
        memcpy(dst, p, len);
        return BRIEF_OK;
    }
    while (done < len) {
        ssize_t got = pread(fd, (char *)dst + done, len - done,
                            (off_t)(a - t->s->map_base + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return err_set(e, BRIEF_EIO, "%s: %s", t->s->data_path,
                           got < 0 ? strerror(errno) : "shorter than its "
                           "pages say");
        done += (size_t)got;
    }
    return BRIEF_OK;
}

uint64_t
store_txn_snapshot(store_txn *t)
{
    size_t id;

    FAULT_GUARD(id, mdb_txn_id(t->txn));
    return id;
}

/* Why writing data.mdb failed with mrc: ENOSPC (a full file system),
 * EFBIG (the file size limit, ulimit -f) or 0 when neither shows.  LMDB
 * turns a short write into EIO, so for EIO look: the data file within a
 * page of the limit, or under 1 MiB left on the file system (a short
 * write stops where the space ran out; LMDB frees nothing after it). */
static int
write_cause(const store *s, int mrc)
{
    struct rlimit rl;
    struct statvfs vfs;
    struct stat st;
    uint64_t avail;

    if (mrc == ENOSPC || mrc == EFBIG)
        return mrc;
    if (mrc != EIO)
        return 0;
    if (stat(s->data_path, &st) == 0 && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
        rl.rlim_cur != RLIM_INFINITY &&
        (uint64_t)st.st_size + 65536 > (uint64_t)rl.rlim_cur)
        return EFBIG;
    if (statvfs(s->data_path, &vfs) != 0)
        return 0;
    avail = geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
    return avail * vfs.f_frsize < ((uint64_t)1 << 20) ? ENOSPC : 0;
}

/* A commit to copy c failed with mrc (a short write is EIO to LMDB). */
static int
copy_fail(const store *c, int mrc, brief_err *e)
{
    int cause = write_cause(c, mrc);

    return fail(e, cause ? cause : mrc, "compacting the index");
}

int
store_commit(store_txn *t, brief_err *e)
{
    const store *s = t->s;
    int mrc, cause;

    if (t->faulted) {
        store_abort(t);
        return err_set(e, BRIEF_ECORRUPT, "%s: not committed after a "
                       "corrupted page made liblmdb fail; rebuild the index",
                       s->data_path);
    }
    FAULT_GUARD(mrc, mdb_txn_commit(t->txn));
    txn_gone(t->s);
    free(t);
    if (!mrc)
        return BRIEF_OK;
    if (mrc == FAULT_CAUGHT)
        return fail(e, mrc, s->data_path);
    if (s->copy)
        return copy_fail(s, mrc, e);
    if (!(cause = write_cause(s, mrc)))
        return fail(e, mrc, "committing to the index");
    /* The meta page was not written: readers see the last commit. */
    return err_set(e, BRIEF_EIO, "%.*s: %s; this batch was not committed, "
                   "the index is intact", (int)(strlen(s->data_path) - 9),
                   s->data_path, cause == ENOSPC ? "no space left on device"
                   : "file size limit exceeded (ulimit -f)");
}

void
store_abort(store_txn *t)
{
    int mrc;

    if (!t)
        return;
    /* After a fault the transaction's state may be damaged: a second
     * fault here only leaks it. */
    FAULT_GUARD(mrc, (mdb_txn_abort(t->txn), 0));
    (void)mrc;
    txn_gone(t->s);
    free(t);
}

/* Guarded cursor calls, for loops whose counters a guard in their own
 * frame might clobber (a jump back restores registers), and calls made
 * in a frame that holds a guard already. */
static int
cursor_open(store_txn *t, store_db db, MDB_cursor **c)
{
    int mrc;

    FAULT_GUARD(mrc, mdb_cursor_open(t->txn, t->s->dbi[db], c));
    return mrc;
}

static int
cursor_get(MDB_cursor *c, MDB_val *k, MDB_val *v, MDB_cursor_op op)
{
    int mrc;

    FAULT_GUARD(mrc, mdb_cursor_get(c, k, v, op));
    return mrc;
}

static int
cursor_del(MDB_cursor *c)
{
    int mrc;

    FAULT_GUARD(mrc, mdb_cursor_del(c, 0));
    return mrc;
}

/* The cursor store_append() puts through in db, opened when there is
 * none (NULL and *mrc set when that fails).  A kept cursor that LMDB left
 * on the tree's last leaf finds it without a search from the root: a
 * put through mdb_put()'s cursor of its own searched every time, a
 * tenth of a merge's instructions.  LMDB moves a transaction's cursors
 * with every change to their tree, but any other write to db closes it
 * all the same (not_appending()), so that an append only ever follows
 * appends.  LMDB closes it with the transaction. */
static MDB_cursor *
appending(store_txn *t, store_db db, int *mrc)
{
    *mrc = t->appends[db] ? 0 : cursor_open(t, db, &t->appends[db]);
    if (*mrc)
        t->appends[db] = NULL;
    return t->appends[db];
}

static void
not_appending(store_txn *t, store_db db)
{
    if (t->appends[db]) {
        mdb_cursor_close(t->appends[db]);
        t->appends[db] = NULL;
    }
}

int
store_get(store_txn *t, store_db db, const void *key, size_t klen,
          sval *val, brief_err *e)
{
    MDB_val k = { klen, (void *)(uintptr_t)key }, v;
    int mrc;

    FAULT_GUARD(mrc, mdb_get(t->txn, t->s->dbi[db], &k, &v));
    if (mrc == MDB_NOTFOUND)
        return BRIEF_DONE;
    if (mrc)
        return fail_in(t, db, e, mrc);
    if (!in_bounds(t, &v))
        return out_of_bounds(t, db, e);
    val->p = v.mv_data;
    val->len = v.mv_size;
    return BRIEF_OK;
}

int
store_put(store_txn *t, store_db db, const void *key, size_t klen,
          const void *val, size_t vlen, brief_err *e)
{
    MDB_val k = { klen, (void *)(uintptr_t)key };
    MDB_val v = { vlen, (void *)(uintptr_t)val };
    unsigned flags = db == DB_STEMS || db == DB_FIGVALS ? MDB_NODUPDATA : 0;
    MDB_cursor *c;
    int mrc;

    not_appending(t, db);
    /* LMDB copies the page (and its parents) before it finds that the
     * pair is there already: look first, so that putting a pair again
     * (the writer files every word of a batch under its stem) leaves the
     * page alone instead of leaving a free page behind each time. */
    if (flags && (mrc = cursor_open(t, db, &c)) == 0) {
        MDB_val k2 = k, v2 = v;
        mrc = cursor_get(c, &k2, &v2, MDB_GET_BOTH);
        mdb_cursor_close(c);
        if (mrc == 0)
            return BRIEF_OK;
        if (mrc == FAULT_CAUGHT)
            return fail_in(t, db, e, mrc);
    }
    FAULT_GUARD(mrc, mdb_put(t->txn, t->s->dbi[db], &k, &v, flags));
    if (mrc == MDB_KEYEXIST)
        return BRIEF_OK;
    return mrc ? fail_in(t, db, e, mrc) : BRIEF_OK;
}

int
store_append(store_txn *t, store_db db, const void *key, size_t klen,
             const void *val, size_t vlen, brief_err *e)
{
    MDB_val k = { klen, (void *)(uintptr_t)key };
    MDB_val v = { vlen, (void *)(uintptr_t)val };
    int mrc;
    MDB_cursor *c = appending(t, db, &mrc);

    if (c)
        FAULT_GUARD(mrc, mdb_cursor_put(c, &k, &v, MDB_APPEND));
    if (mrc == MDB_KEYEXIST)
        return store_put(t, db, key, klen, val, vlen, e);
    return mrc ? fail_in(t, db, e, mrc) : BRIEF_OK;
}

int
store_append_dup(store_txn *t, store_db db, const void *key, size_t klen,
                 const void *val, size_t vlen, brief_err *e)
{
    MDB_val k = { klen, (void *)(uintptr_t)key };
    MDB_val v = { vlen, (void *)(uintptr_t)val };
    int mrc;

    not_appending(t, db);
    FAULT_GUARD(mrc, mdb_put(t->txn, t->s->dbi[db], &k, &v,
                             MDB_APPENDDUP | MDB_NODUPDATA));
    if (mrc == MDB_KEYEXIST)
        return store_put(t, db, key, klen, val, vlen, e);
    return mrc ? fail_in(t, db, e, mrc) : BRIEF_OK;
}

int
store_append_dups(store_txn *t, store_db db, const void *key, size_t klen,
                  const void *vals, size_t size, size_t n, brief_err *e)
{
    const unsigned char *p = vals;
    MDB_val k = { klen, (void *)(uintptr_t)key };
    MDB_val v[2] = { { size, (void *)(uintptr_t)vals }, { n, NULL } };
    MDB_cursor *c;
    int mrc, rc = BRIEF_OK;

    if (!n)
        return BRIEF_OK;
    not_appending(t, db);
    FAULT_GUARD(mrc, mdb_cursor_open(t->txn, t->s->dbi[db], &c));
    if (mrc)
        return fail_in(t, db, e, mrc);
    FAULT_GUARD(mrc, mdb_cursor_put(c, &k, v, MDB_MULTIPLE | MDB_APPENDDUP));
    mdb_cursor_close(c);
    if (mrc == MDB_KEYEXIST) {
        /* v[1] counts the values put: the rest one at a time. */
        for (size_t i = v[1].mv_size; i < n && !rc; i++)
            rc = store_append_dup(t, db, key, klen, p + i * size, size, e);
        return rc;
    }
    return mrc ? fail_in(t, db, e, mrc) : BRIEF_OK;
}

int
store_del(store_txn *t, store_db db, const void *key, size_t klen,
          const void *val, size_t vlen, brief_err *e)
{
    MDB_val k = { klen, (void *)(uintptr_t)key };
    MDB_val v = { vlen, (void *)(uintptr_t)val };
    int mrc;

    not_appending(t, db);
    FAULT_GUARD(mrc, mdb_del(t->txn, t->s->dbi[db], &k, val ? &v : NULL));
    if (mrc == MDB_NOTFOUND)
        return BRIEF_OK;
    return mrc ? fail_in(t, db, e, mrc) : BRIEF_OK;
}

int
store_del_prefix(store_txn *t, store_db db, const void *prefix, size_t plen,
                 size_t max, bool *more, brief_err *e)
{
    MDB_cursor *c;
    MDB_val k = { plen, (void *)(uintptr_t)prefix }, v;
    MDB_cursor_op op = MDB_SET_RANGE;
    size_t n = 0;
    int mrc;

    *more = false;
    not_appending(t, db);
    if ((mrc = cursor_open(t, db, &c)))
        return fail_in(t, db, e, mrc);
    /* After a delete the cursor stands on the next entry, which MDB_NEXT
     * then returns (LMDB marks the cursor as deleted). */
    for (;;) {
        if ((mrc = cursor_get(c, &k, &v, op)))
            break;
        op = MDB_NEXT;
        if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
            break;
        if (n++ == max) {
            *more = true;
            break;
        }
        if ((mrc = cursor_del(c)))
            break;
    }
    mdb_cursor_close(c);
    if (mrc && mrc != MDB_NOTFOUND)
        return fail_in(t, db, e, mrc);
    return BRIEF_OK;
}

int
store_count(store_txn *t, store_db db, uint64_t *n, brief_err *e)
{
    MDB_stat st;
    int mrc;

    FAULT_GUARD(mrc, mdb_stat(t->txn, t->s->dbi[db], &st));
    if (mrc)
        return fail_in(t, db, e, mrc);
    *n = st.ms_entries;
    return BRIEF_OK;
}

int
store_cursor_open(store_txn *t, store_db db, store_cursor **out,
                  brief_err *e)
{
    store_cursor *c;
    int mrc;

    *out = NULL;
    c = malloc(sizeof *c);
    if (!c)
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    FAULT_GUARD(mrc, mdb_cursor_open(t->txn, t->s->dbi[db], &c->c));
    if (mrc) {
        free(c);
        return fail_in(t, db, e, mrc);
    }
    c->t = t;
    c->db = db;
    c->e = e;
    *out = c;
    return BRIEF_OK;
}

void
store_cursor_close(store_cursor *c)
{
    if (!c)
        return;
    mdb_cursor_close(c->c);
    free(c);
}

/* One cursor step.  LMDB errors other than "not found" and a key or value
 * outside the data file set the message of the handle the cursor was
 * opened with; the caller returns rc as it is. */
static int
step(store_cursor *c, MDB_val *mk, MDB_val *mv, MDB_cursor_op op,
     sval *k, sval *v)
{
    int mrc;

    FAULT_GUARD(mrc, mdb_cursor_get(c->c, mk, mv, op));
    if (mrc == MDB_NOTFOUND)
        return BRIEF_DONE;
    if (mrc)
        return fail_in(c->t, c->db, c->e, mrc);
    if ((k && !in_bounds(c->t, mk)) || (v && !in_bounds(c->t, mv)))
        return out_of_bounds(c->t, c->db, c->e);
    if (k) {
        k->p = mk->mv_data;
        k->len = mk->mv_size;
    }
    if (v) {
        v->p = mv->mv_data;
        v->len = mv->mv_size;
    }
    return BRIEF_OK;
}

int
store_cursor_seek(store_cursor *c, const void *key, size_t klen,
                  sval *k, sval *v)
{
    MDB_val mk = { klen, (void *)(uintptr_t)key }, mv;

    return step(c, &mk, &mv, MDB_SET_RANGE, k, v);
}

int
store_cursor_first(store_cursor *c, sval *k, sval *v)
{
    MDB_val mk, mv;

    return step(c, &mk, &mv, MDB_FIRST, k, v);
}

int
store_cursor_last(store_cursor *c, sval *k, sval *v)
{
    MDB_val mk, mv;

    return step(c, &mk, &mv, MDB_LAST, k, v);
}

int
store_cursor_next(store_cursor *c, sval *k, sval *v)
{
    MDB_val mk, mv;

    return step(c, &mk, &mv, MDB_NEXT, k, v);
}

int
store_cursor_prev(store_cursor *c, sval *k, sval *v)
{
    MDB_val mk, mv;

    return step(c, &mk, &mv, MDB_PREV, k, v);
}

int
store_cursor_dup(store_cursor *c, const void *key, size_t klen, bool first,
                 sval *v)
{
    MDB_val mk = { klen, (void *)(uintptr_t)key }, mv;

    if (first)
        return step(c, &mk, &mv, MDB_SET_KEY, NULL, v);
    return step(c, &mk, &mv, MDB_NEXT_DUP, NULL, v);
}

int
store_cursor_dup_seek(store_cursor *c, const void *key, size_t klen,
                      const void *val, size_t vlen, sval *v)
{
    MDB_val mk = { klen, (void *)(uintptr_t)key };
    MDB_val mv = { vlen, (void *)(uintptr_t)val };

    return step(c, &mk, &mv, MDB_GET_BOTH_RANGE, NULL, v);
}

int
store_cursor_next_key(store_cursor *c, sval *k, sval *v)
{
    MDB_val mk, mv;

    return step(c, &mk, &mv, MDB_NEXT_NODUP, k, v);
}

int
store_cursor_dup_count(store_cursor *c, size_t *n)
{
    int mrc;

    *n = 0;
    FAULT_GUARD(mrc, mdb_cursor_count(c->c, n));
    return mrc ? fail_in(c->t, c->db, c->e, mrc) : BRIEF_OK;
}

int
store_meta_get(store_txn *t, const char *name, uint64_t *v, brief_err *e)
{
    sval val;
    int rc = store_get(t, DB_META, name, strlen(name), &val, e);

    *v = 0;
    if (rc == BRIEF_DONE)
        return BRIEF_OK;
    if (rc)
        return rc;
    if (val.len != 8)
        return err_set(e, BRIEF_ECORRUPT, "meta '%s' has %zu bytes, not 8",
                       name, val.len);
    *v = get_u64le(val.p);
    return BRIEF_OK;
}

int
store_meta_put(store_txn *t, const char *name, uint64_t v, brief_err *e)
{
    unsigned char b[8];

    put_u64le(b, v);
    return store_put(t, DB_META, name, strlen(name), b, 8, e);
}

int
store_meta_add(store_txn *t, const char *name, int64_t delta, brief_err *e)
{
    uint64_t v;
    int rc = store_meta_get(t, name, &v, e);

    if (rc)
        return rc;
    return store_meta_put(t, name, v + (uint64_t)delta, e);
}

/* LMDB's free list is database 0 (FREE_DBI, which lmdb.h keeps to
 * itself; its mdb_stat tool opens it the same way): an entry a
 * transaction that freed pages, its value their count (an MDB_ID, a
 * size_t) and then their numbers. */
#define FREE_LIST_DBI 0

int
store_free_pages(store *s, uint64_t *n_free, uint64_t *n_pages,
                 brief_err *e)
{
    store_txn *t;
    MDB_cursor *c = NULL;
    MDB_envinfo info;
    MDB_val k, v;
    int rc, mrc;

    *n_free = *n_pages = 0;
    if ((rc = store_begin(s, false, &t, e)))
        return rc;
    FAULT_GUARD(mrc, mdb_env_info(s->env, &info));
    *n_pages = mrc ? 0 : (uint64_t)info.me_last_pgno + 1;
    if (!mrc)
        FAULT_GUARD(mrc, mdb_cursor_open(t->txn, FREE_LIST_DBI, &c));
    while (!mrc && !(mrc = cursor_get(c, &k, &v, MDB_NEXT))) {
        size_t count;
        if (!in_bounds(t, &v) || v.mv_size < sizeof count) {
            rc = err_set(e, BRIEF_ECORRUPT, "%s: LMDB's free list is "
                         "malformed", s->data_path);
            break;
        }
        memcpy(&count, v.mv_data, sizeof count);
        *n_free += count;
    }
    if (!rc && mrc != MDB_NOTFOUND)
        rc = fail(e, mrc, s->data_path);
    if (c)
        mdb_cursor_close(c);
    store_abort(t);
    return rc;
}

/* ---- a compacted copy written by appends ---- */

/* The copy is written in pieces (store_checkpoint()), so that the dirty
 * pages a write transaction holds in memory stay few: LMDB would hold up
 * to 512 MiB of them before spilling any.  (Through a writable map, in
 * one transaction, the copy would have no free pages; but committing it
 * touches every page it wrote, which the resident set then holds.)  Each
 * piece frees the few pages the next copies on write: a copy ends with
 * a dozen free pages or so, whatever its size. */
int
store_copy_open(store *s, const char *dir, store **out, store_txn **to,
                brief_err *e)
{
    store *c = calloc(1, sizeof *c);
    const size_t need = (size_t)store_file_size(s) * 2;
    int mrc, rc;

    *out = NULL;
    *to = NULL;
    if (!c || !(c->data_path = malloc(strlen(dir) +
                                      sizeof "/data.mdb.compact"))) {
        free(c);
        return err_set(e, BRIEF_ENOMEM, "out of memory");
    }
    sprintf(c->data_path, "%s/data.mdb.compact", dir);
    c->write = c->copy = true;
    c->refs = 1;
    /* The copy is smaller than the file it copies (no free pages, full
     * ones): twice that is room to spare, and store_checkpoint() grows
     * it all the same. */
    c->map_size = need > STORE_MIN_MAP ? need : STORE_MIN_MAP;
    unlink(c->data_path);
    /* No lock file (the caller holds the writers' lock and no reader
     * knows the file yet), and no sync but store_copy_close()'s. */
    mrc = open_env(c, c->data_path, MDB_NOSUBDIR | MDB_NOLOCK |
                   MDB_NOSYNC);
    /* The databases are created in the first piece: a transaction of
     * their own would leave the page it wrote free. */
    if (!mrc && !(rc = store_begin(c, true, to, e))) {
        for (int i = 0; i < DB_COUNT && !mrc; i++)
            if (!(mrc = mdb_dbi_open((*to)->txn, db_names[i],
                                     MDB_CREATE | db_flags(i),
                                     &c->dbi[i])))
                mrc = mdb_set_compare((*to)->txn, c->dbi[i], cmp_keys);
        if (!mrc) {
            *out = c;
            return BRIEF_OK;
        }
        store_abort(*to);
        *to = NULL;
    }
    if (mrc)
        rc = fail(e, mrc, c->data_path);
    unlink(c->data_path);
    store_free(c);
    return rc;
}

int
store_checkpoint(store_txn *t, brief_err *e)
{
    store *c = t->s;
    MDB_envinfo info;
    MDB_stat st;
    int mrc;

    if (!c->copy)
        return BRIEF_OK;
    mrc = mdb_txn_commit(t->txn);
    t->txn = NULL;               /* committed or, on failure, aborted */
    memset(t->appends, 0, sizeof t->appends);   /* closed with it */
    if (!mrc && !mdb_env_info(c->env, &info) && !mdb_env_stat(c->env, &st)
        && (info.me_last_pgno + 1) * st.ms_psize > c->map_size / 2) {
        c->map_size *= 2;
        mrc = mdb_env_set_mapsize(c->env, c->map_size);
    }
    if (!mrc)
        mrc = mdb_txn_begin(c->env, NULL, 0, &t->txn);
    if (!mrc)
        return BRIEF_OK;
    t->faulted = true;           /* never commit what is left */
    return copy_fail(c, mrc, e);
}

/* A copy commits a piece every COPY_PIECE bytes. */
#define COPY_PIECE ((size_t)16 << 20)

/* After len more bytes read from `from` and written to `to`, drop the
 * pages of from's map every RELEASE_EVERY bytes, as the pump does, and
 * commit a piece every COPY_PIECE. */
static int
copied(store_txn *from, store_txn *to, size_t len, size_t *since,
       brief_err *e)
{
    size_t before = *since;

    *since += len;
    if (*since / RELEASE_EVERY != before / RELEASE_EVERY)
        store_release_pages(from->s);
    return *since / COPY_PIECE != before / COPY_PIECE
           ? store_checkpoint(to, e) : BRIEF_OK;
}

/* One step of cursor c of `from` in db: BRIEF_OK, BRIEF_DONE or an
 * error. */
static int
copy_get(store_txn *from, store_db db, MDB_cursor *c, MDB_val *k,
         MDB_val *v, MDB_cursor_op op, brief_err *e)
{
    int mrc;

    FAULT_GUARD(mrc, mdb_cursor_get(c, k, v, op));
    if (mrc == MDB_NOTFOUND)
        return BRIEF_DONE;
    if (mrc)
        return fail_in(from, db, e, mrc);
    if (!in_bounds(from, k) || !in_bounds(from, v))
        return out_of_bounds(from, db, e);
    return BRIEF_OK;
}

/* Append the values of key after its first one, which c stands on and
 * which is appended already: one at a time, or a page at a time in a
 * DUPFIXED database (first is the first value, of the values' size). */
static int
copy_dups(store_txn *from, store_txn *to, store_db db, MDB_cursor *c,
          const MDB_val *key, const MDB_val *first, size_t *since,
          brief_err *e)
{
    const size_t size = first->mv_size;
    MDB_val k = *key, v = *first;
    int rc;

    if (db != DB_FIGVALS) {
        while ((rc = copy_get(from, db, c, &k, &v, MDB_NEXT_DUP, e)) ==
               BRIEF_OK) {
            if ((rc = store_append_dup(to, db, key->mv_data, key->mv_size,
                                       v.mv_data, v.mv_size, e)))
                return rc;
            if ((rc = copied(from, to, v.mv_size, since, e)))
                return rc;
        }
        return rc == BRIEF_DONE ? BRIEF_OK : rc;
    }
    /* MDB_GET_MULTIPLE yields the page of values that holds the first
     * one, from its start, and leaves v as it is when the key has that
     * value alone. */
    for (bool page1 = true;
         (rc = copy_get(from, db, c, &k, &v, page1 ? MDB_GET_MULTIPLE
                                                   : MDB_NEXT_MULTIPLE,
                        e)) == BRIEF_OK;
         page1 = false) {
        size_t skip = page1 ? size : 0;
        if (v.mv_size % size || v.mv_size < skip)
            return out_of_bounds(from, db, e);
        if ((rc = store_append_dups(to, db, key->mv_data, key->mv_size,
                                    (const char *)v.mv_data + skip, size,
                                    (v.mv_size - skip) / size, e)))
            return rc;
        if ((rc = copied(from, to, v.mv_size, since, e)))
            return rc;
    }
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

static int
copy_cursor(store_txn *from, store_db db, MDB_cursor **c, brief_err *e)
{
    int mrc;

    FAULT_GUARD(mrc, mdb_cursor_open(from->txn, from->s->dbi[db], c));
    return mrc ? fail_in(from, db, e, mrc) : BRIEF_OK;
}

int
store_copy_db(store_txn *from, store_txn *to, store_db db, brief_err *e)
{
    const bool dups = db == DB_STEMS || db == DB_FIGVALS;
    MDB_cursor *c;
    MDB_val k, v;
    size_t since = 0;
    int rc;

    if ((rc = copy_cursor(from, db, &c, e)))
        return rc;
    /* Each key's first value is appended to the tree, its others
     * (DUPSORT) to the key's own. */
    for (rc = copy_get(from, db, c, &k, &v, MDB_FIRST, e); rc == BRIEF_OK;
         rc = copy_get(from, db, c, &k, &v, dups ? MDB_NEXT_NODUP
                                                 : MDB_NEXT, e)) {
        if ((rc = store_append(to, db, k.mv_data, k.mv_size, v.mv_data,
                               v.mv_size, e)))
            break;
        if ((rc = copied(from, to, k.mv_size + v.mv_size, &since, e)))
            break;
        if (dups && (rc = copy_dups(from, to, db, c, &k, &v, &since, e)))
            break;
    }
    mdb_cursor_close(c);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

int
store_copy_close(store *s, store *copy, bool keep, brief_err *e)
{
    char *path = copy->data_path;
    int rc = BRIEF_OK;

    copy->data_path = NULL;
    store_free(copy);
    /* refile() leaves the copy synced, in 2 MiB folios as the pump
     * would (store_rewrite()). */
    if (keep && !(rc = twin_metas(path, e)) && !(rc = refile(path, e)))
        rc = replace_data(s, path, e);
    if (!keep || rc)
        unlink(path);
    free(path);
    return rc;
}
