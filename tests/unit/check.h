/*
 * check.h: the unit-test harness.  CHECK(expr) records a failure with
 * file:line and the expression; TEST(name) runs one test function and
 * prints "ok   name" or "FAIL name"; check_report() prints the tally and
 * returns the exit status.  Header-only on purpose: each test binary is
 * one translation unit.
 */
#ifndef BRIEF_CHECK_H
#define BRIEF_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int check_failed_here;
static int check_n_passed, check_n_failed;

#define CHECK(expr) do { \
        if (!(expr)) { \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #expr); \
            check_failed_here = 1; \
        } \
    } while (0)

#define CHECK_RC(expr) do { \
        int check_rc_ = (expr); \
        if (check_rc_ != 0) { \
            printf("FAIL %s:%d: %s: %s\n", __FILE__, __LINE__, #expr, \
                   brief_strerror(check_rc_)); \
            check_failed_here = 1; \
        } \
    } while (0)

#define TEST(fn) do { \
        check_failed_here = 0; \
        fn(); \
        if (check_failed_here) { check_n_failed++; printf("FAIL %s\n", #fn); } \
        else { check_n_passed++; printf("ok   %s\n", #fn); } \
    } while (0)

/* The whole file at path, NUL-terminated (the caller frees it), its
 * length in *len; NULL when it cannot be read.  For golden files. */
static inline char *
check_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0
        && fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1))) {
        *len = fread(s, 1, (size_t)n, f);
        s[*len] = '\0';
    }
    fclose(f);
    return s;
}

static int
check_report(void)
{
    printf("%d passed, %d failed\n", check_n_passed, check_n_failed);
    return check_n_failed ? 1 : 0;
}

#endif
