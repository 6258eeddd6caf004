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

static int
check_report(void)
{
    printf("%d passed, %d failed\n", check_n_passed, check_n_failed);
    return check_n_failed ? 1 : 0;
}

#endif
