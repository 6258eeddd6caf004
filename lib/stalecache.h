/*
 * stalecache.h: whether a document's file changed since it was indexed,
 * remembered from one search to the next and forgotten as soon as the
 * file system reports a change.
 *
 * Every hit carries a stale flag: its file is gone, or its size or mtime
 * differ from the index's record.  Asking stat() for it cost a third of a
 * mid-sized query in process (bench/PROFILE.md), and a plain cache across
 * searches could miss a file saved a moment before a search.  This one
 * cannot: a file seen in two searches is watched with inotify, together
 * with every directory on its path, and the result of one lstat() made
 * after the watches is kept.  The kernel queues an event before the
 * write, rename, unlink or utime that causes it returns, so draining the
 * queue at the start of a search (stalecache_sync) sees every change
 * completed before it; any event at all forgets everything.
 *
 * A path is asked of stat() every time when the cache cannot vouch for
 * it: a file seen once (a single search, as from the command line, never
 * pays for watches), a symbolic link, a path not absolute, a file system
 * whose changes inotify may not see (network, FUSE, overlay: only ext2-4,
 * XFS, Btrfs, F2FS and tmpfs are trusted), no inotify or a watch refused
 * (limits), more than STALECACHE_MAX paths.  What inotify never reports
 * is a change written through a shared mmap(), which editors do not use.
 *
 * Not thread-safe: like its index handle, a cache serves one thread at a
 * time.
 */
#ifndef BRIEF_STALECACHE_H
#define BRIEF_STALECACHE_H

#include <stdbool.h>
#include <stdint.h>

/* Paths (files and their directories) kept at most; then it starts over. */
#define STALECACHE_MAX 65536

typedef struct stalecache stalecache;

/* A new cache; NULL when out of memory (then use stalecache_stale(NULL)). */
stalecache *stalecache_new(void);

void stalecache_free(stalecache *c);

/* Forget everything when the file system reported a change since the
 * last call: call it when a search starts.  One read() when files are
 * watched, nothing otherwise. */
void stalecache_sync(stalecache *c);

/* Whether the file at abs is gone or its size or mtime (nanoseconds)
 * differ from size and mtime_ns, as of the last stalecache_sync().
 * A NULL c asks stat() every time. */
bool stalecache_stale(stalecache *c, const char *abs, uint64_t size,
                      int64_t mtime_ns);

/* How many times c asked the file system (stat or lstat), for tests. */
unsigned long stalecache_asked(const stalecache *c);

#endif
