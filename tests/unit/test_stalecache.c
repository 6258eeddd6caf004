/*
 * test_stalecache.c: stale flags kept across searches.  A file is asked
 * about in "searches" (stalecache_sync() first, as a search does); after
 * each kind of change a file can go through — written, touched, replaced
 * by a rename, deleted and made again, its directory renamed, written
 * through a hard link elsewhere — the next search must say stale, and
 * must stop saying it once the record matches again.  Where the cache
 * can vouch for a file, the third search must not ask the file system
 * (else the cache is silently off); where it cannot (a symbolic link on
 * the way), every answer is still right.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "stalecache.h"

static char top[] = "/tmp/brief-stalecache-XXXXXX";
static bool vouches;         /* top's file system is one the cache trusts */

typedef struct stamp {
    uint64_t size;
    int64_t mtime_ns;
} stamp;

/* The record an index would hold for path now. */
static stamp
stamp_of(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return (stamp){ 0, -1 };
    return (stamp){ (uint64_t)st.st_size,
                    (int64_t)st.st_mtim.tv_sec * 1000000000 +
                        st.st_mtim.tv_nsec };
}

static char *
at(const char *name)
{
    static char buf[4][512];
    static int i;
    char *p = buf[i++ % 4];

    snprintf(p, 512, "%s/%s", top, name);
    return p;
}

static void
put(const char *path, const char *text, int flags)
{
    int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
        close(fd);
    }
}

/* Set path's mtime to ns nanoseconds (and keep its size). */
static void
set_mtime(const char *path, int64_t ns)
{
    struct timespec t[2] = { { ns / 1000000000, ns % 1000000000 },
                             { ns / 1000000000, ns % 1000000000 } };

    CHECK(utimensat(AT_FDCWD, path, t, 0) == 0);
}

/* One search's question about path against record r. */
static bool
search(stalecache *c, const char *path, stamp r)
{
    stalecache_sync(c);
    return stalecache_stale(c, path, r.size, r.mtime_ns);
}

/* Three searches that find path unchanged against its current record;
 * the third must not ask the file system when the cache vouches for it.
 * The record. */
static stamp
settle(stalecache *c, const char *path, bool watched)
{
    stamp r = stamp_of(path);
    unsigned long asked;

    CHECK(!search(c, path, r));
    CHECK(!search(c, path, r));
    asked = stalecache_asked(c);
    CHECK(!search(c, path, r));
    if (watched && vouches)
        CHECK(stalecache_asked(c) == asked);
    if (!watched)
        CHECK(stalecache_asked(c) == asked + 1);
    return r;
}

static void
test_changes_to_the_file(void)
{
    stalecache *c = stalecache_new();
    const char *f = at("a.txt"), *tmp = at("a.txt.new");
    stamp r;

    CHECK(c);
    put(f, "one two three\n", O_TRUNC);
    set_mtime(f, (int64_t)1000000 * 1000000000);

    r = settle(c, f, true);
    put(f, "four\n", O_APPEND);                 /* size */
    CHECK(search(c, f, r));

    set_mtime(f, (int64_t)1000000 * 1000000000);
    r = settle(c, f, true);
    put(f, "FOUR\n", 0);                        /* same size, new mtime */
    CHECK(search(c, f, r));

    r = settle(c, f, true);
    set_mtime(f, (int64_t)2000000 * 1000000000);                      /* mtime alone */
    CHECK(search(c, f, r));

    r = settle(c, f, true);
    put(tmp, "saved by an editor\n", O_TRUNC);  /* replaced by a rename */
    CHECK(rename(tmp, f) == 0);
    CHECK(search(c, f, r));

    r = settle(c, f, true);
    CHECK(unlink(f) == 0);                      /* deleted */
    CHECK(search(c, f, r));
    CHECK(search(c, f, r));
    CHECK(search(c, f, r));
    put(f, "saved by an editor\n", O_TRUNC);    /* and back as it was */
    set_mtime(f, r.mtime_ns);
    CHECK(!search(c, f, r));

    stalecache_free(c);
}

static void
test_changes_on_the_way(void)
{
    stalecache *c = stalecache_new();
    char d[512], moved[512], f[600], hard[600];
    stamp r;

    snprintf(d, sizeof d, "%s/dir", top);
    snprintf(moved, sizeof moved, "%s/moved", top);
    snprintf(f, sizeof f, "%s/dir/b.txt", top);
    CHECK(mkdir(d, 0755) == 0);
    put(f, "in a directory\n", O_TRUNC);

    /* Its directory renamed away: gone; renamed back: as it was. */
    r = settle(c, f, true);
    CHECK(rename(d, moved) == 0);
    CHECK(search(c, f, r));
    CHECK(search(c, f, r));
    CHECK(search(c, f, r));
    CHECK(rename(moved, d) == 0);
    CHECK(!search(c, f, r));

    /* Written through a hard link in another directory. */
    snprintf(hard, sizeof hard, "%s/hard.txt", top);
    CHECK(link(f, hard) == 0);
    r = settle(c, f, true);
    put(hard, "more\n", O_APPEND);
    CHECK(search(c, f, r));

    /* A directory made where one of the path's was: b.txt is watched
     * again only once the cache has started over. */
    r = settle(c, f, true);
    CHECK(rename(d, moved) == 0);
    CHECK(mkdir(d, 0755) == 0);
    CHECK(search(c, f, r));
    put(f, "a new file by the old name\n", O_TRUNC);
    r = settle(c, f, true);
    put(f, "x", O_APPEND);
    CHECK(search(c, f, r));

    stalecache_free(c);
}

static void
test_symbolic_links_are_asked(void)
{
    stalecache *c = stalecache_new();
    char real[512], via[512], f[600];
    stamp r;

    snprintf(real, sizeof real, "%s/real", top);
    snprintf(via, sizeof via, "%s/via", top);
    snprintf(f, sizeof f, "%s/via/c.txt", top);
    CHECK(mkdir(real, 0755) == 0 && symlink(real, via) == 0);
    put(f, "through a link\n", O_TRUNC);
    r = settle(c, f, false);
    put(f, "more\n", O_APPEND);
    CHECK(search(c, f, r));

    /* The file itself a link. */
    snprintf(f, sizeof f, "%s/link.txt", top);
    CHECK(symlink(at("real/c.txt"), f) == 0);
    r = settle(c, f, false);
    put(f, "more\n", O_APPEND);
    CHECK(search(c, f, r));

    /* A path not absolute. */
    CHECK(chdir(top) == 0);
    r = settle(c, "real/c.txt", false);
    put("real/c.txt", "more\n", O_APPEND);
    CHECK(search(c, "real/c.txt", r));

    stalecache_free(c);
}

/* Many files, the table grown several times: every answer right, and
 * none asked of the file system once all are watched. */
static void
test_many_files(void)
{
    stalecache *c = stalecache_new();
    char path[600];
    stamp r[1000];
    unsigned long asked = 0;
    bool wrong = false;

    CHECK(mkdir(at("many"), 0755) == 0);
    for (int i = 0; i < 1000; i++) {
        snprintf(path, sizeof path, "%s/many/%d.txt", top, i);
        put(path, "x\n", O_TRUNC);
        r[i] = stamp_of(path);
    }
    for (int round = 0; round < 3; round++) {
        stalecache_sync(c);
        if (round == 2)
            asked = stalecache_asked(c);
        for (int i = 0; i < 1000; i++) {
            snprintf(path, sizeof path, "%s/many/%d.txt", top, i);
            wrong |= stalecache_stale(c, path, r[i].size, r[i].mtime_ns);
            wrong |= !stalecache_stale(c, path, r[i].size + 1,
                                       r[i].mtime_ns);
        }
    }
    CHECK(!wrong);
    if (vouches)
        CHECK(stalecache_asked(c) == asked);
    snprintf(path, sizeof path, "%s/many/%d.txt", top, 617);
    put(path, "y\n", O_APPEND);
    stalecache_sync(c);
    CHECK(stalecache_stale(c, path, r[617].size, r[617].mtime_ns));
    stalecache_free(c);
}

static void
test_no_cache(void)
{
    const char *f = at("a.txt");
    stamp r = stamp_of(f);

    CHECK(!stalecache_stale(NULL, f, r.size, r.mtime_ns));
    CHECK(stalecache_stale(NULL, f, r.size + 1, r.mtime_ns));
    CHECK(stalecache_stale(NULL, at("none.txt"), 0, 0));
    stalecache_sync(NULL);
    stalecache_free(NULL);
}

int
main(void)
{
    struct statfs fs;
    char cmd[600];
    int rc;

    if (!mkdtemp(top)) {
        perror(top);
        return 2;
    }
    /* The file systems stalecache.c trusts (linux/magic.h). */
    if (statfs(top, &fs) == 0)
        switch ((unsigned long)fs.f_type & 0xffffffffUL) {
        case 0xEF53UL: case 0x58465342UL: case 0x9123683EUL:
        case 0xF2F52010UL: case 0x01021994UL:
            vouches = true;
        }
    if (!vouches)
        printf("# %s: a file system the cache does not trust; "
               "its use is not checked\n", top);
    TEST(test_changes_to_the_file);
    TEST(test_changes_on_the_way);
    TEST(test_symbolic_links_are_asked);
    TEST(test_many_files);
    TEST(test_no_cache);
    rc = check_report();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
