/*
 * path.h: path arithmetic: absolute forms, prefixes and the display form
 * (relative to the current directory when that is shorter).
 */
#ifndef BRIEF_PATH_H
#define BRIEF_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* The absolute, normalized form of path: realpath when it exists, else
 * realpath of its parent plus its last component, else lexically against
 * the current directory.  The caller frees it; NULL when out of memory. */
char *path_absolute(const char *path);

/* Remove "." components, resolve ".." lexically, collapse "//" and drop a
 * trailing '/', in place.  p must be absolute. */
void path_normalize(char *p);

/* True when path equals dir or lies below it ("a/b" is under "a", "ab"
 * is not).  An empty dir holds every relative path. */
bool path_is_under(const char *path, size_t path_len, const char *dir);

/* The display form of an absolute path, relative to cwd (absolute, as
 * getcwd gives it) when that is shorter.  The caller frees it. */
char *path_display(const char *abs, const char *cwd);

#endif
