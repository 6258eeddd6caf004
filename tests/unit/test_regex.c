/*
 * test_regex.c: regex_next() finds the same matches, in the same order,
 * whether it looks for the pattern's literal first or not (the literal
 * only skips lines that cannot hold a match), line by line and with
 * REGEX_MULTILINE, on hand-picked cases and on random patterns and
 * multi-line texts; only where PCRE2's match limit stops a search without
 * the literal may the search with it find more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "check.h"
#include "regex.h"

#define MAX_MATCHES 64

static long n_limit_only_without;    /* see agree() */

typedef struct found {
    size_t n;
    size_t s[MAX_MATCHES], e[MAX_MATCHES];
    int rc;                  /* the last regex_next result */
} found;

/* Every match of pattern in text, as grep.c walks them: from the end of
 * each, one byte further after an empty one.  False when the pattern
 * does not compile. */
static bool
walk(const char *pattern, unsigned flags, const char *text, found *out)
{
    const char *pats[1] = { pattern };
    char msg[128];
    size_t which, off, pos = 0, len = strlen(text), ms, me;
    regex *re;

    out->n = 0;
    out->rc = 0;
    if (regex_compile(&re, pats, 1, flags, msg, sizeof msg, &which, &off))
        return false;
    while (out->n < MAX_MATCHES && pos <= len &&
           (out->rc = regex_next(re, text, len, pos, &ms, &me)) == 1) {
        out->s[out->n] = ms;
        out->e[out->n++] = me;
        pos = me > ms ? me : me + 1;
        while (pos < len && ((unsigned char)text[pos] & 0xC0) == 0x80)
            pos++;
    }
    regex_free(re);
    return true;
}

/* The matches with and without the literal agree; n_out: their number. */
static bool
agree(const char *pattern, unsigned flags, const char *text, size_t *n_out)
{
    found a, b;

    if (!walk(pattern, flags, text, &a) ||
        !walk(pattern, flags | REGEX_NO_LITERAL, text, &b))
        return true;                    /* PCRE2 rejects it: nothing to do */
    if (n_out)
        *n_out = a.n;
    if (a.n == b.n && a.rc == b.rc &&
        memcmp(a.s, b.s, a.n * sizeof *a.s) == 0 &&
        memcmp(a.e, b.e, a.n * sizeof *a.e) == 0)
        return true;
    /* Catastrophic backtracking: the literal's line-sized searches may
     * stay under PCRE2's match limit where one search over the rest of
     * the text does not; what was found before the limit agrees. */
    if (b.rc == BRIEF_ELIMIT && a.rc != BRIEF_ELIMIT && b.n <= a.n &&
        memcmp(a.s, b.s, b.n * sizeof *a.s) == 0 &&
        memcmp(a.e, b.e, b.n * sizeof *a.e) == 0) {
        n_limit_only_without++;
        return true;
    }
    printf("  /%s/%s on \"%s\": %zu matches (status %d) with the literal, "
           "%zu (%d) without\n", pattern, flags & REGEX_MULTILINE ? "U" : "",
           text, a.n, a.rc, b.n, b.rc);
    return false;
}

/* The matches of pattern in text are want (start:end pairs, spaces). */
static bool
finds(const char *pattern, unsigned flags, const char *text,
      const char *want)
{
    found f;
    char got[512];
    size_t n = 0;

    if (!walk(pattern, flags, text, &f))
        return false;
    got[0] = '\0';
    for (size_t i = 0; i < f.n && n + 32 < sizeof got; i++)
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%zu:%zu",
                              i ? " " : "", f.s[i], f.e[i]);
    if (strcmp(got, want) == 0 && agree(pattern, flags, text, NULL))
        return true;
    printf("  /%s/ on \"%s\": want %s, got %s\n", pattern, text, want, got);
    return false;
}

static void
test_regex_literal_lines(void)
{
    /* Line 2 holds the literal but no match: skipped to line 3. */
    CHECK(finds("[0-9]+ trillion", 0, "no\nx trillion\n5 trillion\n",
                "14:24"));
    CHECK(finds("[0-9]+ trillion", 0, "1 trillion 2 trillion", "0:10 11:21"));
    CHECK(finds("[0-9]+ trillion", 0, "trillion", ""));
    CHECK(finds("[0-9]+ trillion", 0, "", ""));
    /* A match that would cross a line break is looked for in its first
     * line alone, as without the literal. */
    CHECK(finds("a\\s+bcd", 0, "a\nbcd\na bcd", "6:11"));
    CHECK(finds("a\\s+bcd", REGEX_MULTILINE, "a\nbcd\na bcd", "0:5 6:11"));
    /* Look-behind and look-ahead see past the line. */
    CHECK(finds("(?<=x\\n)abc", 0, "x\nabc\nabc", "2:5"));
    CHECK(finds("abc(?=\\ny)", 0, "abc\nabc\ny", "4:7"));
    CHECK(finds("abc\\z", 0, "abc\nabc", "4:7"));
    CHECK(finds("^abc$", 0, "abc\nabcd\nabc", "0:3 9:12"));
    /* The literal at a line's start, at its end, on the last line. */
    CHECK(finds("end\\b", 0, "the end\nend\nends\nlegend", "4:7 8:11 20:23"));
}

/* ---------------------------------------------------------------- */
/* Random patterns and texts                                         */
/* ---------------------------------------------------------------- */

static const char *const alphabet[] = {
    "a", "b", "c", "a", "b", "c", " ", "\n", "x", "\xC3\xA9", "1"
};
#define N_ALPHA (sizeof alphabet / sizeof *alphabet)

static int
pick(int n)
{
    return rand() % n;
}

static void
put(char *s, size_t cap, const char *p)
{
    size_t n = strlen(s), l = strlen(p);

    if (n + l < cap)
        memcpy(s + n, p, l + 1);
}

static void
gen_pattern(char *s, size_t cap, int depth)
{
    static const char *const atoms[] = {
        ".", "[ab]", "\\s", "\\w+", "\\b", "^", "$", "\\n", "(?<=a)",
        "(?=\\n)", "\\z", "[^\\n]*", "\\s*", "a?", "(?:b|c)", "\\d"
    };

    for (int i = pick(5); i >= 0; i--) {
        int r = pick(10);
        if (r < 5)
            put(s, cap, alphabet[pick(N_ALPHA - 5)]);   /* a, b, c */
        else if (r < 7 && depth < 2) {
            put(s, cap, "(");
            gen_pattern(s, cap, depth + 1);
            put(s, cap, pick(3) ? ")" : ")+");
        } else
            put(s, cap, atoms[pick(sizeof atoms / sizeof *atoms)]);
    }
    if (depth == 0 && pick(6) == 0) {
        put(s, cap, "|");
        gen_pattern(s, cap, 1);
    }
}

static void
test_regex_literal_random(void)
{
    long n_patterns = 0, n_matches = 0, n_wrong = 0;

    srand(1128);
    for (int round = 0; round < 4000; round++) {
        char pattern[256] = "", text[256] = "";
        unsigned flags = pick(4) == 0 ? REGEX_MULTILINE : 0;
        gen_pattern(pattern, sizeof pattern, 0);
        n_patterns++;
        for (int t = 0; t < 30; t++) {
            size_t n = 0;
            text[0] = '\0';
            for (int i = pick(60); i >= 0; i--)
                put(text, sizeof text, alphabet[pick(N_ALPHA)]);
            if (!agree(pattern, flags, text, &n) && n_wrong++ > 5)
                break;
            n_matches += (long)n;
        }
    }
    CHECK(n_wrong == 0);
    CHECK(n_matches > 20000);
}

int
main(void)
{
    TEST(test_regex_literal_lines);
    TEST(test_regex_literal_random);
    return check_report();
}
