/*
 * test_resyntax.c: the PCRE2 syntax the pattern analyses share: which
 * quantifiers are read, what they allow, and which braces PCRE2 versions
 * read differently.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "resyntax.h"

/* resyntax_quant() on the whole of s gives rc, and for rc 1 the bounds
 * and the bytes taken. */
static bool
quant_is(const char *s, int rc, long min, long max, size_t taken)
{
    size_t pos = 0;
    long a = -7, b = -7;
    int got = resyntax_quant(s, strlen(s), &pos, &a, &b);

    if (got == rc && (rc != 1 || (a == min && b == max && pos == taken)) &&
        (rc == 1 || pos == 0))
        return true;
    printf("  \"%s\": got %d, {%ld,%ld}, %zu bytes\n", s, got, a, b, pos);
    return false;
}

#define QUANT(s, min, max, taken) CHECK(quant_is(s, 1, min, max, taken))
#define NONE(s) CHECK(quant_is(s, 0, 0, 0, 0))
#define VARIES(s) CHECK(quant_is(s, -1, 0, 0, 0))

static void
test_quantifiers(void)
{
    QUANT("*", 0, -1, 1);
    QUANT("+", 1, -1, 1);
    QUANT("?", 0, 1, 1);
    QUANT("*?x", 0, -1, 2);
    QUANT("++", 1, -1, 2);
    QUANT("{3}", 3, 3, 3);
    QUANT("{2,}", 2, -1, 4);
    QUANT("{2,5}x", 2, 5, 5);
    QUANT("{0,1}?", 0, 1, 6);
    QUANT("{99999999}", 999999, 999999, 10);    /* no longer exact */
}

static void
test_not_quantifiers(void)
{
    NONE("");
    NONE("a");
    NONE("{");
    NONE("{}");
    NONE("{a}");
    NONE("{,}");
    NONE("{2");
    NONE("{2,x}");
    NONE("{ }");
}

/* Quantifiers from PCRE2 10.43 on, literals before (Perl 5.34's rule). */
static void
test_version_dependent(void)
{
    VARIES("{,3}");
    VARIES("{ 2}");
    VARIES("{2 }");
    VARIES("{2, 3}");
    VARIES("{ 2 , }");
    VARIES("{ ,4 }");
}

int
main(void)
{
    TEST(test_quantifiers);
    TEST(test_not_quantifiers);
    TEST(test_version_dependent);
    return check_report();
}
