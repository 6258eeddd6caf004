/*
 * walk.c: the recursive directory walk of brief-index.  Entries are
 * visited in byte order of their names, so documents get their ids, and
 * ties in ranking their order, from the sorted file list.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

/* Directories nested deeper than this are reported and skipped: a loop
 * that escaped the (dev, ino) check, or a hostile tree. */
#define MAX_DEPTH 256

typedef struct ancestor {
    dev_t dev;
    ino_t ino;
} ancestor;

static void
warnf(walk *w, const char *shown, const char *what)
{
    char msg[4096];

    if (!w->warn)
        return;
    snprintf(msg, sizeof msg, "%s: %s", shown, what);
    w->warn(w->ctx, msg);
}

static int
add_file(walk *w, const char *abs, const char *shown, const struct stat *st)
{
    walk_file *f;

    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        walk_file *p = realloc(w->files, cap * sizeof *p);
        if (!p)
            return BRIEF_ENOMEM;
        w->files = p;
        w->cap = cap;
    }
    f = &w->files[w->n];
    f->abs = strdup(abs);
    f->shown = strdup(shown);
    if (!f->abs || !f->shown) {
        free(f->abs);
        free(f->shown);
        return BRIEF_ENOMEM;
    }
    f->size = (uint64_t)st->st_size;
    f->mtime_ns = walk_time_ns(st->st_mtim);
    f->ctime_ns = walk_time_ns(st->st_ctim);
    w->n++;
    return BRIEF_OK;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(name) + 2);

    if (p)
        sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

static int walk_dir(walk *w, const char *abs, const char *shown,
                    ancestor *stack, int depth);

/* Visit one directory entry; st is its lstat. */
static int
visit(walk *w, const char *abs, const char *shown, struct stat *st,
      ancestor *stack, int depth)
{
    if (S_ISLNK(st->st_mode)) {
        if (!w->follow_links)
            return BRIEF_OK;
        if (stat(abs, st) != 0) {
            warnf(w, shown, "broken symbolic link, skipped");
            return BRIEF_OK;
        }
        if (S_ISDIR(st->st_mode)) {
            for (int i = 0; i < depth; i++)
                if (stack[i].dev == st->st_dev && stack[i].ino == st->st_ino) {
                    warnf(w, shown, "symbolic link loop, skipped");
                    return BRIEF_OK;
                }
        }
    }
    if (S_ISDIR(st->st_mode)) {
        if (st->st_dev == w->skip_dev && st->st_ino == w->skip_ino)
            return BRIEF_OK;
        if (depth >= MAX_DEPTH) {
            warnf(w, shown, "directories nested too deeply, skipped");
            return BRIEF_OK;
        }
        stack[depth].dev = st->st_dev;
        stack[depth].ino = st->st_ino;
        return walk_dir(w, abs, shown, stack, depth + 1);
    }
    if (S_ISREG(st->st_mode))
        return add_file(w, abs, shown, st);
    return BRIEF_OK;
}

static int
walk_dir(walk *w, const char *abs, const char *shown, ancestor *stack,
         int depth)
{
    DIR *d = opendir(abs);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = BRIEF_OK;

    if (!d) {
        warnf(w, shown, strerror(errno));
        return BRIEF_OK;
    }
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' && (!de->d_name[1] ||
            (de->d_name[1] == '.' && !de->d_name[2])))
            continue;
        if (n == cap) {
            char **p;
            cap = cap ? cap * 2 : 64;
            p = realloc(names, cap * sizeof *p);
            if (!p) {
                rc = BRIEF_ENOMEM;
                goto out;
            }
            names = p;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = BRIEF_ENOMEM;
            goto out;
        }
        n++;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == BRIEF_OK; i++) {
        char *a = join(abs, names[i]), *s = join(shown, names[i]);
        struct stat st;
        if (!a || !s)
            rc = BRIEF_ENOMEM;
        else if (lstat(a, &st) != 0)
            warnf(w, s, strerror(errno));
        else if (!(names[i][0] == '.' && S_ISDIR(st.st_mode)))
            rc = visit(w, a, s, &st, stack, depth);
        free(a);
        free(s);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int
walk_root(walk *w, const char *root_abs, const char *shown, brief_err *e)
{
    ancestor stack[MAX_DEPTH + 1];
    struct stat st;

    if (stat(root_abs, &st) != 0)
        return err_set(e, BRIEF_EIO, "%s: %s", shown, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        stack[0].dev = st.st_dev;
        stack[0].ino = st.st_ino;
        if (st.st_dev == w->skip_dev && st.st_ino == w->skip_ino)
            return BRIEF_OK;
        return walk_dir(w, root_abs, shown, stack, 1);
    }
    if (!S_ISREG(st.st_mode))
        return err_set(e, BRIEF_EINVAL, "%s: not a file or directory",
                       shown);
    return add_file(w, root_abs, shown, &st);
}

void
walk_free(walk *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->files[i].abs);
        free(w->files[i].shown);
    }
    free(w->files);
    w->files = NULL;
    w->n = w->cap = 0;
}
