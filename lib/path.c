/*
 * path.c: absolute, normalized and display forms of paths.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"

void
path_normalize(char *p)
{
    char *out = p, *in = p;

    /* out always ends without a '/', except for the root itself. */
    while (*in) {
        char *seg;
        size_t n;
        while (*in == '/')
            in++;
        seg = in;
        while (*in && *in != '/')
            in++;
        n = (size_t)(in - seg);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > p && *--out != '/')
                ;
            continue;
        }
        *out++ = '/';
        memmove(out, seg, n);
        out += n;
    }
    if (out == p)
        *out++ = '/';
    *out = '\0';
}

char *
path_absolute(const char *path)
{
    char *r = realpath(path, NULL), *copy, *slash, *parent, *out;
    char cwd[PATH_MAX];

    if (r)
        return r;
    copy = strdup(path);
    if (!copy)
        return NULL;
    while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
        copy[strlen(copy) - 1] = '\0';
    slash = strrchr(copy, '/');
    if (slash && slash[1] && strcmp(slash + 1, "..") && strcmp(slash + 1,
                                                                ".")) {
        *slash = '\0';
        parent = realpath(slash == copy ? "/" : copy, NULL);
        if (parent) {
            out = malloc(strlen(parent) + strlen(slash + 1) + 2);
            if (out) {
                strcpy(out, parent);
                if (strcmp(parent, "/"))
                    strcat(out, "/");
                strcat(out, slash + 1);
            }
            free(parent);
            free(copy);
            return out;
        }
        *slash = '/';
    }
    if (path[0] == '/') {
        out = copy;
    } else {
        if (!getcwd(cwd, sizeof cwd))
            strcpy(cwd, "/");
        out = malloc(strlen(cwd) + strlen(copy) + 2);
        if (out)
            strcat(strcat(strcpy(out, cwd), "/"), copy);
        free(copy);
    }
    if (out)
        path_normalize(out);
    return out;
}

bool
path_is_under(const char *path, size_t path_len, const char *dir)
{
    size_t n = strlen(dir);

    if (n == 0)
        return path_len == 0 || path[0] != '/';
    if (n == 1 && dir[0] == '/')
        return path_len && path[0] == '/';
    return path_len >= n && memcmp(path, dir, n) == 0 &&
           (path_len == n || path[n] == '/');
}

char *
path_display(const char *abs, const char *cwd)
{
    size_t common = 0, i, ups = 0, abs_len = strlen(abs);
    char *out;

    if (!cwd || cwd[0] != '/' || abs[0] != '/')
        return strdup(abs);
    if (strcmp(cwd, "/") == 0)
        return strdup(abs[1] ? abs + 1 : abs);
    /* The longest common prefix that ends at a component boundary. */
    for (i = 0; cwd[i] && cwd[i] == abs[i]; i++)
        if (cwd[i] == '/')
            common = i;
    if (!cwd[i] && (abs[i] == '/' || !abs[i]))
        common = i;
    for (i = common; cwd[i]; i++)
        if (cwd[i] == '/')
            ups++;
    if (abs[common] == '/')
        common++;
    out = malloc(ups * 3 + abs_len - common + 2);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (i = 0; i < ups; i++)
        strcat(out, "../");
    strcat(out, abs + common);
    if (!out[0])
        strcpy(out, ".");
    else if (out[strlen(out) - 1] == '/')
        out[strlen(out) - 1] = '\0';
    if (strlen(out) >= abs_len) {
        free(out);
        return strdup(abs);
    }
    return out;
}
