/*
 * stalecache.c: stale flags kept across searches while inotify vouches
 * for them (stalecache.h).
 *
 * One open-addressing table holds every path the cache knows: files, and
 * the directories watched for them.  A file goes through three states:
 * SEEN in its first search (stat() answers), WATCHED from its second on,
 * once it and its directories are watched (the kept lstat() answers), or
 * ASK when the cache cannot vouch for it (stat() answers, always).  Any event, a
 * full table or a failed read forgets everything: the inotify descriptor
 * is closed, which drops every watch, and the next searches begin again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <xxhash.h>

#include "stalecache.h"
#include "walk.h"

enum { SEEN = 1, WATCHED, ASK, DIR_OK, DIR_UNTRUSTED };

typedef struct slot {
    char *path;              /* NULL: empty */
    uint64_t hash;
    uint8_t state;
    bool gone;               /* WATCHED: no file there */
    uint32_t search;         /* SEEN: in which search (c->searches) */
    uint64_t size;           /* WATCHED: its lstat() */
    int64_t mtime_ns;
} slot;

struct stalecache {
    int fd;                  /* inotify; -1 when nothing is watched */
    bool no_inotify;         /* inotify_init1() failed: never again */
    slot *tab;
    size_t cap, n;           /* cap a power of two, n <= cap / 2 */
    uint32_t searches;       /* stalecache_sync() calls */
    unsigned long asked;
};

/* What a directory on a watched file's path is watched for: any change
 * of the names in it, or of itself.  Its files' contents are watched on
 * the files (a hard link elsewhere writes the same inode). */
#define DIR_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
                    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | \
                    IN_DONT_FOLLOW)
#define FILE_EVENTS (IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | \
                     IN_MOVE_SELF | IN_DONT_FOLLOW)

/* File systems whose every change passes through this kernel, so that
 * inotify reports it (statfs f_type; linux/magic.h). */
static bool
trusted_fs(long type)
{
    switch ((unsigned long)type & 0xffffffffUL) {
    case 0xEF53UL:           /* ext2, ext3, ext4 */
    case 0x58465342UL:       /* XFS */
    case 0x9123683EUL:       /* Btrfs */
    case 0xF2F52010UL:       /* F2FS */
    case 0x01021994UL:       /* tmpfs */
        return true;
    default:
        return false;
    }
}

stalecache *
stalecache_new(void)
{
    stalecache *c = calloc(1, sizeof *c);

    if (c)
        c->fd = -1;
    return c;
}

static void
forget(stalecache *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    for (size_t i = 0; i < c->cap; i++)
        free(c->tab[i].path);
    if (c->tab)
        memset(c->tab, 0, c->cap * sizeof *c->tab);
    c->n = 0;
}

void
stalecache_free(stalecache *c)
{
    if (!c)
        return;
    forget(c);
    free(c->tab);
    free(c);
}

void
stalecache_sync(stalecache *c)
{
    char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

    /* An event, or a read that failed for another reason than an empty
     * queue: what is kept can no longer be vouched for. */
    if (!c)
        return;
    c->searches++;
    if (c->fd >= 0 && (read(c->fd, ev, sizeof ev) != -1 || errno != EAGAIN))
        forget(c);
}

/* The slot of path (its first len bytes) in c->tab: its own, or the empty
 * one where it would go.  NULL when the table is not there yet. */
static slot *
find(stalecache *c, const char *path, size_t len, uint64_t h)
{
    if (!c->cap)
        return NULL;
    for (size_t i = h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        slot *s = &c->tab[i];
        if (!s->path || (s->hash == h && strncmp(s->path, path, len) == 0 &&
                         s->path[len] == '\0'))
            return s;
    }
}

/* Add path (its first len bytes) in state; NULL when out of memory or
 * full (then everything is forgotten). */
static slot *
add(stalecache *c, const char *path, size_t len, uint64_t h, uint8_t state)
{
    slot *s;

    if (c->n + 1 > c->cap / 2) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        slot *old = c->tab, *t;

        if (cap > 2 * STALECACHE_MAX) {
            forget(c);
            return NULL;
        }
        if (!(t = calloc(cap, sizeof *t)))
            return NULL;
        c->tab = t;
        c->cap = cap;
        for (size_t i = 0; old && i < cap / 2; i++)
            if (old[i].path)
                *find(c, old[i].path, strlen(old[i].path), old[i].hash) =
                    old[i];
        free(old);
    }
    s = find(c, path, len, h);
    if (!(s->path = strndup(path, len)))
        return NULL;
    s->hash = h;
    s->state = state;
    c->n++;
    return s;
}

/* Watch the directory path[0, len) unless it is watched already.
 * DIR_OK or DIR_UNTRUSTED (its file system's changes may not all be
 * reported); 0 when it cannot be watched. */
static uint8_t
watch_dir(stalecache *c, const char *path, size_t len)
{
    uint64_t h = XXH3_64bits(path, len);
    slot *s = find(c, path, len, h);
    char dir[4096];
    struct statfs fs;

    if (s && s->path)
        return s->state == DIR_OK || s->state == DIR_UNTRUSTED ? s->state
                                                               : 0;
    if (len >= sizeof dir)
        return 0;
    memcpy(dir, path, len);
    dir[len] = '\0';
    if (inotify_add_watch(c->fd, dir, DIR_EVENTS) < 0 ||
        !(s = add(c, path, len, h, DIR_UNTRUSTED)))
        return 0;
    if (statfs(dir, &fs) == 0 && trusted_fs(fs.f_type))
        s->state = DIR_OK;
    return s->state;
}

/* Watch the file at the absolute path p and every directory on its way,
 * then lstat() it into *w.  Whether the cache can vouch for it from now
 * on.  It may grow or empty c's table. */
static bool
watch(stalecache *c, const char *p, slot *w)
{
    struct stat st;
    uint8_t dir = 0;

    if (p[0] != '/' || c->no_inotify)
        return false;
    if (c->fd < 0 && (c->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        c->no_inotify = true;
        return false;
    }
    /* "/", "/a", "/a/b", ... up to the file's directory: a rename of any
     * of them changes what the path names.  Only the file's own directory
     * must be on a file system whose changes are all reported; the others
     * are watched for renames. */
    if (!(dir = watch_dir(c, p, 1)))
        return false;
    for (const char *q = p; (q = strchr(q + 1, '/'));)
        if (!(dir = watch_dir(c, p, (size_t)(q - p))))
            return false;
    if (dir != DIR_OK || c->fd < 0 ||
        (inotify_add_watch(c->fd, p, FILE_EVENTS) < 0 && errno != ENOENT))
        return false;
    c->asked++;
    if (lstat(p, &st) != 0) {
        /* No file there: its directory's watch sees one come. */
        w->gone = true;
        return errno == ENOENT;
    }
    w->gone = false;
    w->size = (uint64_t)st.st_size;
    w->mtime_ns = walk_time_ns(st.st_mtim);
    return !S_ISLNK(st.st_mode);  /* what a link names is not watched */
}

/* The answer of stat() itself. */
static bool
ask(stalecache *c, const char *abs, uint64_t size, int64_t mtime_ns)
{
    struct stat st;

    if (c)
        c->asked++;
    return stat(abs, &st) != 0 || (uint64_t)st.st_size != size ||
           walk_time_ns(st.st_mtim) != mtime_ns;
}

bool
stalecache_stale(stalecache *c, const char *abs, uint64_t size,
                 int64_t mtime_ns)
{
    size_t len;
    uint64_t h;
    slot *e, w = { 0 };
    bool ok;

    if (!c)
        return ask(NULL, abs, size, mtime_ns);
    len = strlen(abs);
    h = XXH3_64bits(abs, len);
    e = find(c, abs, len, h);
    if (!e || !e->path) {
        if ((e = add(c, abs, len, h, SEEN)))
            e->search = c->searches;
        return ask(c, abs, size, mtime_ns);
    }
    if (e->state == SEEN && e->search != c->searches) {
        ok = watch(c, abs, &w);
        /* The table may have moved or emptied meanwhile. */
        if (!(e = find(c, abs, len, h)) || !e->path)
            return ask(c, abs, size, mtime_ns);
        e->state = ok ? WATCHED : ASK;
        e->gone = w.gone;
        e->size = w.size;
        e->mtime_ns = w.mtime_ns;
    }
    if (e->state != WATCHED)
        return ask(c, abs, size, mtime_ns);
    return e->gone || e->size != size || e->mtime_ns != mtime_ns;
}

unsigned long
stalecache_asked(const stalecache *c)
{
    return c ? c->asked : 0;
}
