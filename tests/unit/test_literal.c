/*
 * test_literal.c: the literal every match of a pattern contains, checked
 * two ways: the literal of hand-picked patterns (the bench's among them),
 * and a property (for random patterns and random texts, every match
 * PCRE2 finds contains the literal).  PCRE2 is called directly here, as
 * an oracle independent of brief's own matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "literal.h"
#include "regex_gen.h"

/* The literal of pattern is want ("" for none). */
static bool
has_literal(const char *pattern, const char *want)
{
    literal lit;
    char got[LITERAL_MAX + 1];
    size_t n = 0;

    if (literal_required(pattern, strlen(pattern), &lit)) {
        n = lit.len;
        memcpy(got, lit.s, n);
    }
    got[n] = '\0';
    if (n == strlen(want) && memcmp(got, want, n) == 0)
        return true;
    printf("  /%s/: want \"%s\", got \"%s\"\n", pattern, want, got);
    return false;
}

#define L(pattern, want) CHECK(has_literal(pattern, want))

static void
test_literal_bench(void)
{
    L("\\$[0-9][0-9,.]* ?(million|billion|trillion)", "illion");
    L("\\b(1[6-9]|20)[0-9]{2} ?[-\xE2\x80\x93] ?(1[6-9]|20)[0-9]{2}\\b", "");
    L("[0-9.]+ trillion", " trillion");
    L("earthquake", "earthquake");
    L("[Ee]arthquakes?", "arthquake");
    L("[0-9]+(\\.[0-9]+)? ?(%|percent)", "");
    L("[0-9]+%", "%");
}

static void
test_literal_concat(void)
{
    L("foo(bar|baz)qux", "fooba");
    L("ab*c", "a");
    L("ab+c", "ab");
    L("colou?r", "colo");
    L("x{2}", "x");
    L("(?:abc)+d", "abcd");
    L("a\\.b\\$", "a.b$");
    L("caf\xC3\xA9s", "caf\xC3\xA9s");
    L("\\d+ (million|billion)", "illion");
    L("\\bword\\b", "word");
    L("^start", "start");
    L("end$", "end");
    L("a.b.cd", "cd");
    L("\\w+ing\\b", "ing");
    L("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

static void
test_literal_alternation(void)
{
    L("a|b", "");
    L("(foo|foobar)", "foo");
    L("(barfoo|foo)", "foo");
    L("(million|billion|trillion)", "illion");
    L("abc|abc", "abc");
    L("x(|abc)y", "x");
    L("(a|b)cdef", "cdef");
}

static void
test_literal_groups(void)
{
    L("(?<name>abc)d", "abcd");
    L("(?P<n>ab)c", "abc");
    L("(?'n'ab)c", "abc");
    L("(?>abc)d", "abcd");
    L("(?|ab|ab)c", "abc");
    L("a(?=bcd)", "a");
    L("(?<=xyz)ab", "ab");
    L("(?!xyz)ab", "ab");
}

static void
test_literal_classes(void)
{
    L("[abc]", "");
    L("[]abc]xyz", "xyz");
    L("[^]]abc", "abc");
    L("[[:alpha:]]+def", "def");
    L("[\\]]ghi", "ghi");
    L("[a\\x{41}]jkl", "jkl");
    L("\\p{Lu}mno", "mno");
    L("\\x41pqr", "pqr");
    L("\\x{263A}stu", "stu");
}

/* Whatever it does not follow: no literal. */
static void
test_literal_gives_up(void)
{
    L("(?i)abc", "");
    L("a(?i:bc)", "");
    L("(?x)abc", "");
    L("ab\\Kcd", "");
    L("(*UTF)abc", "");
    L("\\Qabc\\E", "");
    L("(a)\\1bcd", "");
    L("(a)\\g1bcd", "");
    L("(?<n>a)\\k<n>bcd", "");
    L("a{,3}bcd", "");
    L("abcd{2, 3}", "");
    L("a{xbcd", "");
    L("abc)", "");
    L("(abc", "");
    L("[abc", "");
    L("(?1)abc", "");
    L("(?(1)a|b)cde", "");
    L("\\Nabc", "");
    L("\\012abc", "");
}

/* ---------------------------------------------------------------- */
/* Property: random patterns, random texts                           */
/* ---------------------------------------------------------------- */

static const char *const alphabet[] = {
    "a", "b", "c", "a", "b", "c", "A", " ", ".", "x", "\xC3\xA9", "1", "-"
};

static void
gen_atom(gen *g, int depth)
{
    static const char *const other[] = {
        ".", "[ab]", "[^a]", "[]a]", "[\\]b]", "[[:digit:]]", "\\w", "\\d",
        "\\s", "\\b", "\\B", "^", "$", "\\.", "\\-", "\\x61", "\\x{E9}",
        "\\p{Ll}", "\\K", "(?i)", "\\Qab\\E", "(?<=a)", "(?!b)", "\\n",
        "a{2}", "b{1,2}", "c{,2}", "(*ACCEPT)"
    };
    static const char *const opens[] = {
        "(", "(?:", "(?i:", "(?=", "(?!", "(?>", "(?|", "(?<n>"
    };
    int r = pick(100);

    if (r < 55) {
        put(g, gen_char(g));
    } else if (r < 75 && depth < 3) {
        int o = pick(sizeof opens / sizeof *opens);
        if (o == 7 && g->groups)
            o = 0;                      /* one group of that name */
        g->groups += o == 0 || o == 7;
        put(g, opens[o]);
        gen_alt(g, depth + 1);
        put(g, ")");
    } else if (r < 78 && g->groups) {
        put(g, "\\1");
    } else {
        put(g, other[pick(sizeof other / sizeof *other)]);
    }
}

static const char *const quants[] = {
    "?", "*", "+", "{2}", "{1,2}", "{0,2}", "{2,}", "??", "+?", "{1}"
};

static const gen_kind kind = {
    alphabet, sizeof alphabet / sizeof *alphabet, gen_atom, 6,
    quants, sizeof quants / sizeof *quants, 3, 40, 10
};

/* A match must contain the literal. */
typedef struct lit_check {
    const literal *lit;
    const char *pattern, *text;
    long printed;
} lit_check;

static bool
holds_literal(void *ctx, const char *m, size_t len)
{
    lit_check *c = ctx;

    if (literal_find(c->lit, m, len))
        return true;
    if (c->printed++ < 5)
        printf("  /%s/ matches \"%.*s\" in \"%s\", without \"%.*s\"\n",
               c->pattern, (int)len, m, c->text, (int)c->lit->len,
               c->lit->s);
    return false;
}

/* For 20000 patterns and 40 texts each: every match of the pattern, at
 * every start, contains its literal.  The counts guard against a
 * vacuous pass. */
static void
test_literal_property(void)
{
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    long n_compiled = 0, n_literal = 0, n_matched = 0, n_wrong = 0;
    long printed = 0;
    char text[256];
    literal lit;

    srand(20261128);
    for (int round = 0; round < 20000; round++) {
        gen g;
        pcre2_code *re;
        int err;
        PCRE2_SIZE eoff;
        gen_pattern(&g, &kind);
        re = pcre2_compile((PCRE2_SPTR)g.s, g.n, PCRE2_UTF | PCRE2_UCP |
                           PCRE2_MULTILINE, &err, &eoff, NULL);
        if (!re)
            continue;
        n_compiled++;
        if (!literal_required(g.s, g.n, &lit)) {
            pcre2_code_free(re);
            continue;
        }
        n_literal++;
        for (int t = 0; t < 40; t++) {
            lit_check c = { &lit, g.s, text, printed };
            gen_text(&kind, text, sizeof text);
            n_matched += each_match(re, md, text, holds_literal, &c,
                                    &n_wrong);
            printed = c.printed;
        }
        pcre2_code_free(re);
    }
    if (n_wrong)
        printf("  %ld wrong of %ld matches\n", n_wrong, n_matched);
    CHECK(n_wrong == 0);
    CHECK(n_compiled > 10000);
    CHECK(n_literal > 3000);
    CHECK(n_matched > 20000);
    pcre2_match_data_free(md);
}

/* The first occurrence of lit in s[0..len) by the definition. */
static const char *
naive(const literal *lit, const char *s, size_t len)
{
    for (size_t i = 0; i + lit->len <= len; i++)
        if (memcmp(s + i, lit->s, lit->len) == 0)
            return s + i;
    return NULL;
}

/* literal_find() agrees with the definition for literals of 1 to 9
 * bytes over a small alphabet (many near misses of the rare pair), at
 * every length around the 16-byte steps and at every start. */
static void
test_literal_find(void)
{
    static const char *const pats[] = {
        "b", "ab", "ba", "aab", "illion", " trillion", "aaaa", "abcabcabc",
        "x", "b\\.c", "caf\xC3\xA9"
    };
    char text[200];
    long n_found = 0, n_wrong = 0;

    srand(42);
    for (size_t k = 0; k < sizeof pats / sizeof *pats; k++) {
        literal lit;
        if (!literal_required(pats[k], strlen(pats[k]), &lit)) {
            CHECK(!"a literal pattern has its literal");
            continue;
        }
        CHECK(lit.rare1 <= lit.rare2 && lit.rare2 < lit.len);
        for (int round = 0; round < 3000; round++) {
            size_t len = (size_t)pick(sizeof text);
            const char *want, *got;
            for (size_t i = 0; i < len; i++)
                text[i] = pick(8) ? "abcilnotr .x"[pick(12)] : lit.s[pick(
                                                                (int)lit.len)];
            if (pick(3) == 0 && len >= lit.len) {
                size_t at = (size_t)pick((int)(len - lit.len + 1));
                memcpy(text + at, lit.s, lit.len);
            }
            want = naive(&lit, text, len);
            got = literal_find(&lit, text, len);
            n_found += want != NULL;
            if (want != got && n_wrong++ < 5)
                printf("  \"%s\" in \"%.*s\": at %ld, want %ld\n",
                       pats[k], (int)len, text, got ? (long)(got - text) : -1L,
                       want ? (long)(want - text) : -1L);
        }
    }
    CHECK(n_wrong == 0);
    CHECK(n_found > 10000);
}

int
main(void)
{
    TEST(test_literal_bench);
    TEST(test_literal_concat);
    TEST(test_literal_alternation);
    TEST(test_literal_groups);
    TEST(test_literal_classes);
    TEST(test_literal_gives_up);
    TEST(test_literal_find);
    TEST(test_literal_property);
    return check_report();
}
