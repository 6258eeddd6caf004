/*
 * test_trigram.c: the trigrams of a text (folded, distinct) and
 * the analysis of a PCRE2 pattern into a trigram query, checked four
 * ways: the exact query text of hand-picked patterns; a property test
 * (whenever PCRE2 matches a random text, the text's trigrams satisfy the
 * query of the random pattern); pairs (pattern, text) that PCRE2 matches
 * and that once had wrong queries (test_kept_*); and every caseless pair
 * of characters PCRE2 knows folds alike.
 * PCRE2 (and utf8proc's simple case mappings) are called directly here,
 * outside regex.c and text.c, to be an oracle independent of brief's own
 * matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "check.h"
#include "tq_oracle.h"
#include "regex_gen.h"
#include "text.h"
#include "trigram.h"

static trigram
tri(const char *s)
{
    return (trigram)(unsigned char)s[0] << 16 |
           (trigram)(unsigned char)s[1] << 8 | (unsigned char)s[2];
}

/* ---------------------------------------------------------------- */
/* Extraction                                                        */
/* ---------------------------------------------------------------- */

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* trigram_extract() promises distinct trigrams in no particular order:
 * sort them, and say whether they were distinct. */
static bool
sort_set(trigset *s)
{
    qsort(s->v, s->n, sizeof *s->v, cmp_u32);
    for (size_t i = 1; i < s->n; i++)
        if (s->v[i - 1] == s->v[i])
            return false;
    return true;
}

/* s's trigrams are distinct and, sorted, equal want[0..n) (3-byte
 * strings, sorted). */
static bool
extracts(const char *s, const char *const *want, size_t n)
{
    trigset set = { 0 };
    bool same;

    if (trigram_extract(s, strlen(s), &set))
        return false;
    same = sort_set(&set) && set.n == n;
    for (size_t i = 0; same && i < n; i++)
        same = set.v[i] == tri(want[i]);
    if (!same) {
        printf("  extract \"%s\":", s);
        for (size_t i = 0; i < set.n; i++)
            printf(" %06x", (unsigned)set.v[i]);
        printf("\n");
    }
    trigset_free(&set);
    return same;
}

#define EXTRACTS(s, ...) do { \
        static const char *const want_[] = { __VA_ARGS__ }; \
        CHECK(extracts(s, want_, sizeof want_ / sizeof *want_)); \
    } while (0)

static void
test_extract_ascii(void)
{
    trigset set = { 0 };

    CHECK(trigram_extract("", 0, &set) == 0 && set.n == 0);
    CHECK(trigram_extract("ab", 2, &set) == 0 && set.n == 0);
    EXTRACTS("abc", "abc");
    /* Distinct and sorted: "hello hello" has 9 windows, 6 trigrams. */
    EXTRACTS("Hello HELLO", " he", "ell", "hel", "llo", "lo ", "o h");
    EXTRACTS("aaaa", "aaa");
    EXTRACTS("a\nb c", "\nb ", "a\nb", "b c");
    trigset_free(&set);
}

/* Zone k holds the lines that start in [k * Z, (k + 1) * Z). */
static void
test_zone_starts(void)
{
    /* "aaaa\n" 0-4, "bbbbbbbbbb\n" 5-15, "cc\n" 16-18 */
    const char *t = "aaaa\nbbbbbbbbbb\ncc\n";
    size_t len = strlen(t);

    CHECK(trigram_zones(0, 8) == 1);
    CHECK(trigram_zones(1, 8) == 1);
    CHECK(trigram_zones(8, 8) == 1);
    CHECK(trigram_zones(9, 8) == 2);
    CHECK(trigram_zones(len, 8) == 3);
    CHECK(trigram_zone_start(t, len, 8, 0) == 0);
    CHECK(trigram_zone_start(t, len, 8, 1) == 16);     /* empty: no line */
    CHECK(trigram_zone_start(t, len, 8, 2) == 16);     /* starts at 8..15 */
    CHECK(trigram_zone_start(t, len, 8, 3) == len);
    CHECK(trigram_zone_start(t, len, 5, 1) == 5);      /* t[4] is '\n' */
    CHECK(trigram_zone_start(t, len, 5, 2) == 16);
    CHECK(trigram_zone_start("", 0, 8, 1) == 0);
}

/* Zone k's trigrams, sorted, are want[0..n). */
static bool
zone_is(const trigset *s, size_t k, const char *const *want, size_t n)
{
    size_t from = k ? s->zend[k - 1] : 0, m = s->zend[k] - from;
    trigram *v = malloc((m + 1) * sizeof *v);
    bool same = v && m == n;

    if (v)
        memcpy(v, s->v + from, m * sizeof *v);
    qsort(v, m, sizeof *v, cmp_u32);
    for (size_t i = 0; same && i < n; i++)
        same = v[i] == tri(want[i]);
    if (!same)
        printf("  zone %zu: %zu trigrams, want %zu\n", k, m, n);
    free(v);
    return same;
}

static void
test_extract_zones(void)
{
    static const char *const z0[] = {
        "\nbb", "\ncc", "a\nb", "aa\n", "aaa", "b\nc", "bb\n", "bbb"
    };
    static const char *const z2[] = { "cc\n" };
    trigset set = { 0 };

    /* Zone 0 holds lines 1 and 2 and the trigrams that start in them
     * ("\ncc" reaches into zone 2); zone 1 is empty. */
    CHECK(trigram_extract_zones("AAAA\nbbbbbbbbbb\ncc\n", 19, 8, &set) == 0);
    CHECK(set.n_zones == 3);
    if (set.n_zones == 3) {
        CHECK(zone_is(&set, 0, z0, sizeof z0 / sizeof *z0));
        CHECK(zone_is(&set, 1, NULL, 0));
        CHECK(zone_is(&set, 2, z2, 1));
    }
    /* One zone: all of them. */
    CHECK(trigram_extract("AAAA\nbbbbbbbbbb\ncc\n", 19, &set) == 0);
    CHECK(set.n_zones == 1 && set.zend[0] == set.n && set.n == 9);
    trigset_free(&set);
}

/* Random texts and zone sizes: each zone's trigrams are distinct, every
 * line's trigrams are in the zone it starts in, and the zones together
 * hold exactly the text's trigrams. */
static void
test_extract_zones_random(void)
{
    static const char *const pieces[] = {
        "a", "b", "\n", "\n", "\xC3\x89", "\xE2\x84\xAA", " ", "c",
        "dddddddddddddddddddddddddddddddddddddddddddd"  /* a long line */
    };
    trigset whole = { 0 }, zones = { 0 };
    char text[16384];
    long n_lines = 0;

    srand(1130);
    for (int round = 0; round < 500; round++) {
        size_t len = 0, zb = 1 + (size_t)(rand() % 40);
        bool ok = true;
        for (int i = rand() % 300; i > 0; i--) {
            const char *p = pieces[rand() % (sizeof pieces /
                                             sizeof *pieces)];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        if (trigram_extract(text, len, &whole) ||
            trigram_extract_zones(text, len, zb, &zones)) {
            CHECK(!"out of memory");
            break;
        }
        CHECK(zones.n_zones == trigram_zones(len, zb));
        for (size_t k = 0, from = 0; k < zones.n_zones; k++) {
            trigset z = { zones.v + from, zones.zend[k] - from, 0, NULL,
                          0, 0, NULL, NULL, 0 };
            trigram *copy = malloc((z.n + 1) * sizeof *copy);
            memcpy(copy, z.v, z.n * sizeof *copy);
            z.v = copy;
            ok = ok && sort_set(&z);
            /* A zone without a line start has no trigrams. */
            if (trigram_zone_start(text, len, zb, k) ==
                trigram_zone_start(text, len, zb, k + 1))
                ok = ok && z.n == 0;
            free(copy);
            from = zones.zend[k];
        }
        /* Each line's own trigrams lie in its zone. */
        for (size_t ls = 0, k = 0; ls < len; n_lines++) {
            const char *nl = memchr(text + ls, '\n', len - ls);
            size_t le = nl ? (size_t)(nl - text) : len, from, n;
            trigset line = { 0 };
            while (k + 1 < zones.n_zones &&
                   trigram_zone_start(text, len, zb, k + 1) <= ls)
                k++;
            from = k ? zones.zend[k - 1] : 0;
            n = zones.zend[k] - from;
            if (trigram_extract(text + ls, le - ls, &line) == 0)
                for (size_t i = 0; i < line.n && ok; i++) {
                    bool found = false;
                    for (size_t j = 0; j < n && !found; j++)
                        found = zones.v[from + j] == line.v[i];
                    ok = found;
                }
            trigset_free(&line);
            ls = le + 1;
        }
        /* Together: the text's trigrams. */
        qsort(zones.v, zones.n, sizeof *zones.v, cmp_u32);
        qsort(whole.v, whole.n, sizeof *whole.v, cmp_u32);
        {
            size_t m = 0;
            for (size_t i = 0; i < zones.n; i++)
                if (!m || zones.v[m - 1] != zones.v[i])
                    zones.v[m++] = zones.v[i];
            ok = ok && m == whole.n &&
                 memcmp(zones.v, whole.v, m * sizeof *zones.v) == 0;
        }
        CHECK(ok);
        if (!ok) {
            printf("  round %d, zones of %zu bytes\n", round, zb);
            break;
        }
    }
    CHECK(n_lines > 5000);
    trigset_free(&whole);
    trigset_free(&zones);
}

/* Non-ASCII text is NFKC-case-folded first; trigrams are of its bytes. */
static void
test_extract_fold(void)
{
    EXTRACTS("caf\xC3\xA9", "af\xC3", "caf", "f\xC3\xA9");        /* café */
    EXTRACTS("CAF\xC3\x89", "af\xC3", "caf", "f\xC3\xA9");        /* CAFÉ */
    EXTRACTS("Stra\xC3\x9F" "e", "ass", "ras", "sse", "str", "tra"); /* ß */
    EXTRACTS("STRA\xE1\xBA\x9E" "E", "ass", "ras", "sse", "str", "tra"); /* ẞ */
    EXTRACTS("\xE2\x84\xAA" "ey", "key");                        /* Kelvin */
    EXTRACTS("\xEF\xAC\x81" "x", "fix");                         /* ﬁ */
    EXTRACTS("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "abc");     /* ＡＢＣ */
    EXTRACTS("\xCE\xA3\xCF\x82", "\x83\xcf\x83", "\xcf\x83\xcf"); /* Σς */
    EXTRACTS("it\xE2\x80\x99s", "it'", "t's");                   /* ’ is ' */
}

/* Random texts: the set equals the distinct windows of the folded text,
 * also when one trigset is reused (its scratch state is reset). */
static void
test_extract_random(void)
{
    static const char *const pieces[] = {
        "a", "b", "c", "A", "B", " ", "\xC3\xA9", "\xC3\x89", "\xC3\x9F",
        "\xE2\x84\xAA", "k", "\xE6\x97\xA5", "\n", "z", "Z"
    };
    trigset set = { 0 };
    char text[2048], *f;
    uint32_t *want;
    size_t len, flen, n;

    srand(7);
    for (int round = 0; round < 300; round++) {
        len = 0;
        for (int i = rand() % 600; i > 0; i--) {
            const char *p = pieces[rand() % (sizeof pieces / sizeof *pieces)];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        if (trigram_extract(text, len, &set) ||
            trigram_fold(text, len, &f, &flen) ||
            !(want = malloc((flen + 1) * sizeof *want))) {
            CHECK(!"out of memory");
            break;
        }
        n = 0;
        for (size_t i = 0; i + 3 <= flen; i++)
            want[n++] = tri(f + i);
        free(f);
        qsort(want, n, sizeof *want, cmp_u32);
        len = n;
        n = 0;
        for (size_t i = 0; i < len; i++)
            if (!n || want[n - 1] != want[i])
                want[n++] = want[i];
        CHECK(sort_set(&set) && set.n == n &&
              (n == 0 || memcmp(set.v, want, n * sizeof *want) == 0));
        free(want);
        if (check_failed_here)
            break;
    }
    trigset_free(&set);
}

static void
test_fold(void)
{
    char *f;
    size_t n;

    CHECK(trigram_fold("MiXeD 42", 8, &f, &n) == 0 && n == 8 &&
          memcmp(f, "mixed 42", 8) == 0);
    free(f);
    /* À (2 bytes) -> à; ß -> ss (2 bytes -> 2); ﬁ (3 bytes) -> fi. */
    CHECK(trigram_fold("\xC3\x80\xC3\x9F\xEF\xAC\x81", 7, &f, &n) == 0 &&
          n == 6 && memcmp(f, "\xC3\xA0ssfi", 6) == 0);
    free(f);
}

/* Random texts with long ASCII runs (folded 16 bytes at a time) and
 * the bytes just outside A-Z: the fold is each character's, the ASCII
 * ones lowered and the others by text_fold(). */
static void
test_fold_random(void)
{
    static const char *const pieces[] = {
        "@", "A", "M", "Z", "[", "`", "a", "z", "{", "\x7f", "\x01", " ",
        "\n", "0", "9", "Hello, World", "THE QUICK BROWN FOX JUMPS",
        "\xC3\x89", "\xC3\x9F", "\xE2\x84\xAA", "\xEF\xAC\x81",
        "\xE6\x97\xA5", "\xC3"      /* a stray lead byte */
    };
    char text[4096], want[3 * 4096 + 4], folded[64];
    long blocks = 0;

    srand(1127);
    for (int round = 0; round < 2000; round++) {
        size_t len = 0, n = 0, flen;
        char *f;
        for (int i = rand() % 200; i > 0; i--) {
            const char *p = pieces[rand() % (sizeof pieces /
                                             sizeof *pieces)];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        for (size_t i = 0, k, m; i < len; i += k) {
            unsigned char c = (unsigned char)text[i];
            if (c < 0x80) {
                want[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                k = 1;
                continue;
            }
            text_decode(text + i, len - i, &k);
            m = text_fold(text + i, k, folded, sizeof folded);
            if (m == 0 || m > 3 * k) {
                memcpy(want + n, text + i, k);
                n += k;
            } else {
                memcpy(want + n, folded, m);
                n += m;
            }
        }
        for (size_t i = 0, run = 0; i < len; i++) {
            run = (unsigned char)text[i] < 0x80 ? run + 1 : 0;
            blocks += run == 16;
        }
        if (trigram_fold(text, len, &f, &flen)) {
            CHECK(!"out of memory");
            break;
        }
        CHECK(flen == n && memcmp(f, want, n) == 0);
        free(f);
        if (check_failed_here) {
            printf("  round %d\n", round);
            break;
        }
    }
    CHECK(blocks > 10000);
}

/* ---------------------------------------------------------------- */
/* Analysis: the exact query text                                    */
/* ---------------------------------------------------------------- */

/* Whether q (then freed), the query of pattern (how: how it was
 * analysed, for the message), prints as want. */
static bool
query_is(tq *q, const char *pattern, const char *how, const char *want)
{
    char got[4096];

    if (!q)
        return false;
    tq_format(q, got, sizeof got);
    tq_free(q);
    if (strcmp(got, want) == 0)
        return true;
    printf("  /%s/%s\n    want %s\n    got  %s\n", pattern, how, want, got);
    return false;
}

#define Q(pattern, want) \
    CHECK(query_is(trigram_analyze(pattern, false), pattern, "", want))
#define QI(pattern, want) \
    CHECK(query_is(trigram_analyze(pattern, true), pattern, "i", want))
/* The same for trigram_analyze_bytes(). */
#define QB(pattern, want) \
    CHECK(query_is(trigram_analyze_bytes(pattern), pattern, " (bytes)", \
                   want))

static void
test_analyze_literals(void)
{
    Q("abc", "\"abc\"");
    Q("ab", "ALL");                             /* shorter than a trigram */
    Q("", "ALL");
    Q("Hello", "\"hel\" AND \"ell\" AND \"llo\"");
    Q("abcdefghijkl", "\"abc\" AND \"bcd\" AND \"cde\" AND \"def\" AND "
      "\"efg\" AND \"fgh\" AND \"ghi\" AND \"hij\" AND \"ijk\" AND \"jkl\"");
    Q("a\\.b\\.c", "\"a.b\" AND \".b.\" AND \"b.c\"");
    Q("\\.\\.\\.", "\"...\"");
    Q("\\Qa.b\\E", "\"a.b\"");
    Q("\\Qa\\E\\Qbc\\E", "\"abc\"");
    Q("a\\tb\\nc", "\"a\\x09b\" AND \"\\x09b\\x0a\" AND \"b\\x0ac\"");
    Q("a\"b", "\"a\\\"b\"");                    /* quoted in the text */
    Q("a\\\\bc", "\"a\\\\b\" AND \"\\\\bc\"");
    Q("(?:abc)", "\"abc\"");
    Q("(?>abc)", "\"abc\"");
    Q("(?<n>abc)d", "\"abc\" AND \"bcd\"");
    Q("(*UTF)abc", "\"abc\"");
    Q("a\\Kbcd", "\"abc\" AND \"bcd\"");
    /* A brace no PCRE2 reads as a quantifier is a literal; one that only
     * PCRE2 10.43 and later read so ({,m}, spaces) gives up. */
    Q("ab{c", "\"ab{\" AND \"b{c\"");
    Q("abcd{,3}", "ALL");
    Q("abcd{2, 3}", "ALL");
    Q("abcd{ 2 }", "ALL");
    /* (*ACCEPT) ends the match there: "abc" alone matches. */
    Q("abc(*ACCEPT)xyz", "ALL");
    Q("(?:abc(*ACCEPT:n)|d)xyz", "ALL");
}

/* Without folding: the bytes as a case-sensitive match has them; what
 * the match reported may not hold (\K, verbs) or may hold in another
 * case ((?i)) claims nothing. */
static void
test_analyze_bytes(void)
{
    QB("ABCd", "\"ABC\" AND \"BCd\"");
    QB("[AB]cd", "\"Acd\" OR \"Bcd\"");
    QB("\xC3\x89t\xC3\xA9", "\"\\xc3\\x89t\" AND \"\\x89t\\xc3\" AND "
       "\"t\\xc3\\xa9\"");
    QB("\\QAbC\\E", "\"AbC\"");
    QB("(?i)abc", "ALL");
    QB("x(?i:abc)", "ALL");
    QB("a\\Kbcd", "ALL");
    QB("(*UTF)abc", "ALL");
    QB("abc(*ACCEPT)xyz", "ALL");
    QB("[0-9]-[12]", "\"0-1\" OR \"0-2\" OR \"1-1\" OR \"1-2\" OR "
       "\"2-1\" OR \"2-2\" OR \"3-1\" OR \"3-2\" OR \"4-1\" OR \"4-2\" OR "
       "\"5-1\" OR \"5-2\" OR \"6-1\" OR \"6-2\" OR \"7-1\" OR \"7-2\" OR "
       "\"8-1\" OR \"8-2\" OR \"9-1\" OR \"9-2\"");
}

static void
test_analyze_alternation(void)
{
    Q("abc|def", "\"abc\" OR \"def\"");
    Q("(abc|abd)", "\"abc\" OR \"abd\"");
    Q("(?|abc|def)", "\"abc\" OR \"def\"");
    Q("(abc|def)ghi", "(\"abc\" AND \"bcg\" AND \"cgh\" AND \"ghi\") OR "
      "(\"def\" AND \"efg\" AND \"fgh\" AND \"ghi\")");
    Q("ab(c|d)ef", "(\"abc\" AND \"bce\" AND \"cef\") OR "
      "(\"abd\" AND \"bde\" AND \"def\")");
    Q("(a|b)(c|d)(e|f)", "\"ace\" OR \"acf\" OR \"ade\" OR \"adf\" OR "
      "\"bce\" OR \"bcf\" OR \"bde\" OR \"bdf\"");
    /* Exact sets past 8 bytes become trigrams, prefixes and suffixes. */
    Q("(abcdefgh|ijklmnop)qr", "((\"abc\" AND \"bcd\" AND \"cde\" AND "
      "\"def\" AND \"efg\" AND \"fgh\") OR (\"ijk\" AND \"jkl\" AND \"klm\" "
      "AND \"lmn\" AND \"mno\" AND \"nop\")) AND (\"ghq\" OR \"opq\") AND "
      "(\"hqr\" OR \"pqr\")");
    Q("abc|", "ALL");                           /* the empty branch */
    Q("(ab|cd|)ef", "ALL");
}

static void
test_analyze_classes(void)
{
    Q("ab[cd]ef", "(\"abc\" AND \"bce\" AND \"cef\") OR "
      "(\"abd\" AND \"bde\" AND \"def\")");
    Q("ab[c-e]f", "(\"abc\" AND \"bcf\") OR (\"abd\" AND \"bdf\") OR "
      "(\"abe\" AND \"bef\")");
    Q("[A-F]oo", "\"aoo\" OR \"boo\" OR \"coo\" OR \"doo\" OR \"eoo\" OR "
      "\"foo\"");
    Q("[Ss]tate", "\"sta\" AND \"tat\" AND \"ate\"");   /* folded: one */
    Q("x[]a]y", "\"x]y\" OR \"xay\"");
    Q("[0-9.]+ trillion", "(\"0 t\" OR \"1 t\" OR \"2 t\" OR \"3 t\" OR "
      "\"4 t\" OR \"5 t\" OR \"6 t\" OR \"7 t\" OR \"8 t\" OR \"9 t\" OR "
      "\". t\") AND \" tr\" AND \"tri\" AND \"ril\" AND \"ill\" AND \"lli\" "
      "AND \"lio\" AND \"ion\"");
    /* Large, negated and escape classes: ALL for their part. */
    Q("ab[a-z]f", "\"ab\"*");              /* but a byte follows "ab" */
    Q("ab[^c]de", "\"ab\"*");
    Q("[[:alpha:]]bc", "ALL");
    Q("[\\d]ab", "ALL");
    Q("\\$[0-9,]+", "ALL");
    Q("[0-9]+%", "ALL");
    Q("[a-c][x-z]", "ALL");
    /* \E in a class is ignored, so the ']' after it is a literal and
     * the class runs on ("[\E]bdef[g]" is one character of "]bdef[g"):
     * quoting in a class claims nothing (fuzz_trigram). */
    Q("[\\E]bdef[g]", "ALL");
    Q("x[\\Q]\\E]yzw", "ALL");
}

static void
test_analyze_repetition(void)
{
    Q("colou?r", "(\"col\" AND \"olo\" AND \"lou\" AND \"our\") OR "
      "(\"col\" AND \"olo\" AND \"lor\")");
    Q("ab(cd)?ef", "(\"abc\" AND \"bcd\" AND \"cde\" AND \"def\") OR "
      "(\"abe\" AND \"bef\")");
    Q("abcd?", "(\"abc\" AND \"bcd\") OR \"abc\"");
    Q("abc+def", "\"abc\" AND \"cde\" AND \"def\"");
    Q("abc*def", "\"ab\"* AND \"def\"");
    Q("abc{0}d", "\"ab\"*");
    Q("abc{2,}", "\"abc\"");
    Q("ab(cde)+fg", "\"cde\" AND \"abc\" AND \"bcd\" AND \"def\" AND "
      "\"efg\"");
    Q("ab(cde)*fg", "\"ab\"*");
    Q("ab(?:c|de)+fg", "(\"abc\" OR (\"abd\" AND \"bde\")) AND "
      "(\"cfg\" OR \"efg\")");
    Q("x{3}yz", "\"xyz\"");
    Q("(abc){2}", "\"abc\"");
    Q("ab{2,3}c", "ALL");
    Q("x(a|bc)*y", "ALL");
    Q(".*", "ALL");
    Q("a.c", "ALL");
    Q("\\w+ing", "\"ing\"");
    Q("\\d+ percent", "\" pe\" AND \"per\" AND \"erc\" AND \"rce\" AND "
      "\"cen\" AND \"ent\"");
    Q("abc\\d+def", "\"abc\" AND \"def\"");
}

static void
test_analyze_caseless(void)
{
    QI("abc", "\"abc\"");
    QI("Hello", "\"hel\" AND \"ell\" AND \"llo\"");
    Q("(?i)abc", "\"abc\"");
    Q("(?i:abc)def", "\"abc\" AND \"bcd\" AND \"cde\" AND \"def\"");
    Q("a(?i)bcd", "\"abc\" AND \"bcd\"");
    QI("[A-F]oo", "\"aoo\" OR \"boo\" OR \"coo\" OR \"doo\" OR \"eoo\" OR "
       "\"foo\"");
}

static void
test_analyze_utf8(void)
{
    const char *cafe = "\"caf\" AND \"af\\xc3\" AND \"f\\xc3\\xa9\"";

    Q("caf\xC3\xA9", cafe);                     /* café */
    Q("CAF\xC3\x89", cafe);                     /* CAFÉ */
    Q("stra\xC3\x9F" "e", "\"str\" AND \"tra\" AND \"ras\" AND \"ass\" AND "
      "\"sse\"");                               /* straße */
    Q("\xC3\xBC" "ber|\xC3\x9C" "ber", "\"\\xc3\\xbcb\" AND \"\\xbcbe\" AND "
      "\"ber\"");                               /* über|Über: one */
    Q("[\xC3\xA9\xC3\xA8]t\xC3\xA9", "(\"\\xc3\\xa9t\" AND \"\\xa9t\\xc3\" "
      "AND \"t\\xc3\\xa9\") OR (\"\\xc3\\xa8t\" AND \"\\xa8t\\xc3\" AND "
      "\"t\\xc3\\xa9\")");                      /* [éè]té */
    Q("\xEF\xAC\x81nal", "\"fin\" AND \"ina\" AND \"nal\"");      /* ﬁnal */
    Q("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C",
      "\"ful\" AND \"ull\"");                   /* Ｆｕｌｌ */
    Q("\xE2\x84\xAA" "elvin", "\"kel\" AND \"elv\" AND \"lvi\" AND \"vin\"");
    Q("\xE6\x97\xA5\xE6\x9C\xAC", "\"\\xe6\\x97\\xa5\" AND "
      "\"\\x97\\xa5\\xe6\" AND \"\\xa5\\xe6\\x9c\" AND \"\\xe6\\x9c\\xac\"");
}

/* Caseless, a non-ASCII character claims nothing (lib/trigram.c,
 * info_char), whatever test_caseless_folds_agree says. */
static void
test_analyze_caseless_utf8(void)
{
    QI("CAF\xC3\x89", "\"caf\"");
    QI("stra\xC3\x9F" "e", "\"str\" AND \"tra\"");
    QI("caf[\xC3\xA9\xC3\xA8]", "\"caf\"");
    Q("(?i)\xC3\x89t\xC3\xA9", "ALL");
    QI("\xCE\xA3\xCE\xBF\xCF\x86\xCE\xAF\xCE\xB1", "ALL");  /* Σοφία */
    QI("x\\Q\xC3\xA9t\xC3\xA9\\E", "ALL");
}

static void
test_analyze_anchors(void)
{
    Q("^abc$", "\"abc\"");
    Q("\\babc\\b", "\"abc\"");
    Q("\\Aabc\\z", "\"abc\"");
    Q("abc(?=def)", "\"abc\"");                 /* lookaround: zero width */
    Q("(?=abc)def", "\"def\"");
    Q("(?<=abc)def", "\"def\"");
    Q("abc(?!def)ghi", "\"abc\" AND \"bcg\" AND \"cgh\" AND \"ghi\"");
    Q("(?=abc)", "ALL");
}

/* What the analysis does not follow matches anything: the part, or the
 * whole pattern when the parser gives up. */
static void
test_analyze_unbounded(void)
{
    Q("(abc)\\1", "\"abc\"");                   /* backreference */
    Q("(a)(?1)bcd", "ALL");                     /* subroutine call */
    Q("\\p{L}bcd", "\"bcd\"");
    Q("\\x41bc", "ALL");
    Q("(?x)a b c", "ALL");                      /* extended mode */
    Q("(?#c)abc", "ALL");                       /* comment */
    Q("abc(", "ALL");                           /* not a pattern */
    Q("abc)", "ALL");
}

/* A part with few known 2-byte tails, then something that cannot match
 * the empty string: some trigram begins with one of the tails ("ab"*),
 * where codesearch's rule knows nothing because what comes next starts
 * unknown. */
static void
test_analyze_pre2(void)
{
    Q("\\$[0-9][0-9,.]* ?(million|billion|trillion)",
      "((\"mil\" AND \"ill\" AND \"lli\" AND \"lio\" AND \"ion\") OR "
      "(\"bil\" AND \"ill\" AND \"lli\" AND \"lio\" AND \"ion\") OR "
      "(\"tri\" AND \"ril\" AND \"ill\" AND \"lli\" AND \"lio\" AND "
      "\"ion\")) AND (\"$0\"* OR \"$1\"* OR \"$2\"* OR \"$3\"* OR "
      "\"$4\"* OR \"$5\"* OR \"$6\"* OR \"$7\"* OR \"$8\"* OR \"$9\"*)");
    Q("ab\\d", "\"ab\"*");
    Q("ab.", "\"ab\"*");
    Q("(ab|cd)\\w+xyz", "(\"ab\"* OR \"cd\"*) AND \"xyz\"");
    Q("ab.*c", "\"ab\"*");                   /* the rest is not empty */
    Q("x(ab|c)\\d", "\"ab\"* OR \"xc\"*");   /* "xab" or "xc", then */
    Q("a\"\\d", "\"a\\\"\"*");                /* quoted in the text */
    Q("\xC3\x89\\d", "\"\\xc3\\xa9\"*");    /* É: folded, two bytes */
    Q("[a-h][01]\\d", "\"a0\"* OR \"a1\"* OR \"b0\"* OR \"b1\"* OR "
      "\"c0\"* OR \"c1\"* OR \"d0\"* OR \"d1\"* OR \"e0\"* OR \"e1\"* OR "
      "\"f0\"* OR \"f1\"* OR \"g0\"* OR \"g1\"* OR \"h0\"* OR \"h1\"*");
    QB("AB\\d", "\"AB\"*");                 /* bytes: not folded */
    QI("AB\\d", "\"ab\"*");
    Q("(?i)\\$[0-9].*MILLION", "(\"$0\"* OR \"$1\"* OR \"$2\"* OR "
      "\"$3\"* OR \"$4\"* OR \"$5\"* OR \"$6\"* OR \"$7\"* OR \"$8\"* OR "
      "\"$9\"*) AND \"mil\" AND \"ill\" AND \"lli\" AND \"lio\" AND "
      "\"ion\"");
    /* Nothing that must follow: the match may end with the tail. */
    Q("\\$[0-9]", "ALL");
    Q("\\$[0-9]x*", "ALL");
    Q("ab\\d*", "ALL");
    Q("ab(\\d|)", "ALL");
    Q("ab(?=\\d)", "ALL");                    /* lookahead: zero width */
    Q("ab\\b", "ALL");
    Q("(ab\\d*)", "ALL");                     /* the group ends first */
    /* A tail shorter than 2 bytes, or too many tails (20 > 16). */
    Q("a.b", "ALL");
    Q("(ab|c)\\d", "ALL");
    Q("[a-j][01]\\d", "ALL");
    /* Not worth it: the seam gives real trigrams, or a trigram ending in
     * the tail is already needed. */
    Q("ab[cd]", "\"abc\" OR \"abd\"");
    Q("abc\\d", "\"abc\"");
    Q("\\d+abc\\d", "\"abc\"");
    Q("(abc)+\\d", "\"abc\"");
    /* Caseless, a non-ASCII character claims nothing (info_char): no
     * tail before it is known, nor is one made of it. */
    QI("\xC3\x89\\d", "ALL");
    QI("x\xC3\x89\\d", "ALL");
    QI("ab\xC3\x89", "\"ab\"*");
}

static void
test_analyze_any(void)
{
    const char *two[] = { "abc", "Def" }, *with_all[] = { "abc", ".*" };
    char got[256];
    tq *q;

    q = trigram_analyze_any(two, 2, false);
    tq_format(q, got, sizeof got);
    CHECK(strcmp(got, "\"abc\" OR \"def\"") == 0);
    tq_free(q);
    q = trigram_analyze_any(with_all, 2, false);
    tq_format(q, got, sizeof got);
    CHECK(strcmp(got, "ALL") == 0);
    tq_free(q);
    /* tq_format truncates at its cap. */
    q = trigram_analyze("abcdefgh", false);
    tq_format(q, got, 8);
    CHECK(strlen(got) < 8 && strncmp(got, "\"abc\"", 5) == 0);
    tq_free(q);
}

/* ---------------------------------------------------------------- */
/* The oracle: PCRE2, and satisfies() (tq_oracle.h) over a trigset   */
/* ---------------------------------------------------------------- */

/* Compiled as regex.c compiles (UTF, UCP, MULTILINE); NULL when PCRE2
 * rejects the pattern. */
static pcre2_code *
compile(const char *pattern, bool caseless)
{
    int err;
    PCRE2_SIZE off;

    return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE |
                         (caseless ? PCRE2_CASELESS : 0), &err, &off, NULL);
}

static bool
matches(pcre2_code *re, pcre2_match_data *md, const char *text)
{
    return pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md,
                       NULL) >= 0;
}

/* PCRE2 matches text and the text's trigrams satisfy the query: the
 * index would keep the document.  Prints the case when it would not. */
static bool
kept(const char *pattern, bool caseless, const char *text)
{
    pcre2_code *re = compile(pattern, caseless);
    pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re,
                                                                     NULL)
                              : NULL;
    trigset set = { 0 };
    tq *q = trigram_analyze(pattern, caseless);
    char qtext[1024];
    bool ok = false;

    if (!re || !md || !q || trigram_extract(text, strlen(text), &set) ||
        !sort_set(&set))
        printf("  /%s/: does not compile\n", pattern);
    else if (!matches(re, md, text))
        printf("  /%s/ does not match \"%s\"\n", pattern, text);
    else if (!(ok = satisfies(q, &set))) {
        tq_format(q, qtext, sizeof qtext);
        printf("  /%s/%s matches \"%s\", whose trigrams fail %s\n", pattern,
               caseless ? "i" : "", text, qtext);
    }
    tq_free(q);
    trigset_free(&set);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return ok;
}

/* ---------------------------------------------------------------- */
/* Property: random patterns from a small grammar, random texts      */
/* ---------------------------------------------------------------- */

/* Characters chosen so that folding matters: ASCII case, é/É, ß/ẞ,
 * k/K/Kelvin sign, s/S/long s, σ/Σ/final ς, ﬁ, İ/ı/i/I, a CJK character. */
static const char *const alphabet[] = {
    "a", "b", "c", "a", "b", "c", "A", "B", "C", " ", ".", "s", "S", "k",
    "K", "i", "I", "f", "\xC3\xA9", "\xC3\x89", "\xC3\x9F", "\xE1\xBA\x9E",
    "\xE2\x84\xAA", "\xC5\xBF", "\xCF\x83", "\xCE\xA3", "\xCF\x82",
    "\xEF\xAC\x81", "\xC4\xB0", "\xC4\xB1", "\xE6\x97\xA5"
};
static void
gen_class(gen *g)
{
    static const char *const items[] = {
        "a", "b", "c", "A", "s", "k", ".", " ", "a-c", "A-C", "i-k", "\\d",
        "\\w", "\xC3\xA9", "\xC3\x9F", "\xCF\x83", "\xE2\x84\xAA",
        "\\x62", "\\141", "\\.-c", "\\b", "\\Qa]\\E"
    };

    put(g, "[");
    if (pick(6) == 0)
        put(g, "^");
    for (int i = pick(3); i >= 0; i--)
        put(g, items[pick(sizeof items / sizeof *items)]);
    put(g, "]");
}

static void
gen_atom(gen *g, int depth)
{
    static const char *const escapes[] = {
        "\\w", "\\d", "\\s", "\\W", "\\b", "\\B", "\\.", "\\Qab\\E", "\\K",
        "^", "$", "\\x{E9}", "\\p{Lu}", "\\141", "\\x62", "\\o{143}",
        "\\N{U+62}", "\\Qa.\\E"
    };
    static const char *const opens[] = {
        "(", "(?:", "(?i:", "(?=", "(?!", "(?>", "(?|"
    };
    int r = pick(100);

    if (r < 50) {
        put(g, gen_char(g));
    } else if (r < 56) {
        put(g, ".");
    } else if (r < 68) {
        gen_class(g);
    } else if (r < 82 && depth < 3) {
        int o = pick(sizeof opens / sizeof *opens);
        g->groups += o == 0;
        put(g, opens[o]);
        gen_alt(g, depth + 1);
        put(g, ")");
    } else if (r < 85) {
        put(g, "(?i)");
    } else if (r < 88 && g->groups) {
        static const char *const refs[] = {
            "\\1", "\\g1", "\\g{1}", "\\g-1", "\\g'1'", "\\g<1>"
        };
        put(g, refs[pick(sizeof refs / sizeof *refs)]);
    } else if (r < 90) {
        put(g, "(?<=");
        put(g, gen_char(g));
        put(g, ")");
    } else {
        put(g, escapes[pick(sizeof escapes / sizeof *escapes)]);
    }
}

static const char *const quants[] = {
    "?", "*", "+", "{2}", "{1,2}", "{0,2}", "{2,}", "??", "+?", "{1}"
};

static const gen_kind kind = {
    alphabet, sizeof alphabet / sizeof *alphabet, gen_atom, 4,
    quants, sizeof quants / sizeof *quants, 3, 12, 12
};

/* Whether q holds a TQ_PRE2 node. */
static bool
has_pre2(const tq *q)
{
    for (size_t i = 0; i < q->n_kids; i++)
        if (has_pre2(q->kids[i]))
            return true;
    return q->kind == TQ_PRE2;
}

/* The raw query qb (trigram_analyze_bytes()) holds for the bytes of the
 * match PCRE2 just reported in text, unfolded. */
static bool
bytes_hold(const tq *qb, pcre2_match_data *md, const char *text)
{
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    trigram v[128];
    trigset set = { v, 0, 128, NULL, 0, 0, NULL, NULL, 0 };

    if (qb->kind == TQ_ALL || ov[1] < ov[0])
        return true;
    for (size_t i = ov[0]; i + 3 <= ov[1] && set.n < 128; i++)
        v[set.n++] = tri(text + i);
    qsort(v, set.n, sizeof *v, cmp_u32);
    return satisfies(qb, &set);
}

/* For 20000 patterns and 40 texts each: PCRE2 matches => the query holds,
 * for the folded text and, case-sensitive, for the bytes of the match.
 * The counts guard against a vacuous pass. */
static void
test_property(void)
{
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    trigset set = { 0 };
    long n_compiled = 0, n_matched = 0, n_selective = 0, n_wrong = 0;
    long n_pre2 = 0, n_bytes = 0;
    char text[128], qtext[1024];

    srand(20240308);
    for (int round = 0; round < 20000; round++) {
        gen g;
        bool caseless = pick(4) == 0;
        pcre2_code *re;
        tq *q, *qb;
        gen_pattern(&g, &kind);
        if (!(re = compile(g.s, caseless)))
            continue;
        n_compiled++;
        q = trigram_analyze(g.s, caseless);
        qb = caseless ? &(tq){ TQ_ALL, 0, NULL, 0 } :
                        trigram_analyze_bytes(g.s);
        if (!q || !qb) {
            CHECK(!"out of memory");
            pcre2_code_free(re);
            break;
        }
        for (int t = 0; t < 40; t++) {
            gen_text(&kind, text, sizeof text);
            if (!matches(re, md, text))
                continue;
            n_matched++;
            n_selective += q->kind != TQ_ALL;
            n_pre2 += has_pre2(q);
            n_bytes += has_pre2(qb);
            if (!bytes_hold(qb, md, text) && n_wrong++ < 5) {
                tq_format(qb, qtext, sizeof qtext);
                printf("  /%s/ matches \"%s\", whose bytes fail %s\n", g.s,
                       text, qtext);
            }
            if (trigram_extract(text, strlen(text), &set) ||
                !sort_set(&set)) {
                CHECK(!"trigram_extract");
                break;
            }
            if (!satisfies(q, &set) && n_wrong++ < 5) {
                tq_format(q, qtext, sizeof qtext);
                printf("  /%s/%s matches \"%s\", whose trigrams fail %s\n",
                       g.s, caseless ? "i" : "", text, qtext);
            }
        }
        tq_free(q);
        if (!caseless)
            tq_free(qb);
        pcre2_code_free(re);
    }
    if (n_wrong)
        printf("  %ld wrong of %ld matches\n", n_wrong, n_matched);
    CHECK(n_wrong == 0);
    CHECK(n_compiled > 10000);
    CHECK(n_matched > 20000);
    CHECK(n_selective > 1000);
    if (n_pre2 <= 300 || n_bytes <= 300)
        printf("  %ld matches under a \"ab\"* query, %ld of bytes\n",
               n_pre2, n_bytes);
    CHECK(n_pre2 > 300);
    CHECK(n_bytes > 300);
    trigset_free(&set);
    pcre2_match_data_free(md);
}

/* ---------------------------------------------------------------- */
/* Wrong answers found by the property and differential tests, since */
/* fixed: PCRE2 matches the text, so its trigrams must satisfy the   */
/* query.                                                            */
/* ---------------------------------------------------------------- */

/* "?" on a part x that is not an exact set (x+, a literal of 8 bytes or
 * more) must put the empty string in x's prefix and suffix sets
 * (repeat()); else concat() demands x's prefix after an exact part
 * before it ("the" + "ory" -> "heo") and the seam trigrams between the
 * part before and x (" " + "ab" -> " ab"). */
static void
test_kept_optional_inexact(void)
{
    CHECK(kept("the(ory+)?", false, "the cat"));
    CHECK(kept("\\d (ab+)?cd", false, "1 cd"));
    CHECK(kept("x(ab+)?yz", false, "xyz"));
    CHECK(kept("go (extraordinarily )?far", false, "go far"));
}

/* A quantifier after \Q...\E repeats its last character only, not the
 * whole quoted string. */
static void
test_kept_quoted_quantifier(void)
{
    CHECK(kept("\\Qab\\E+c", false, "abbc"));
    CHECK(kept("xy\\Qab\\E?cd", false, "xyacd"));
}

/* In a class, \b is a backspace, \cX a control character, \o{..} and
 * \N{U+..} code points, \Q...\E quoting: not their letters. */
static void
test_kept_class_escapes(void)
{
    CHECK(kept("k[\\b]s", false, "k\bs"));
    CHECK(kept("q[\\cA]y", false, "q\001y"));
    CHECK(kept("x[\\o{101}]y", false, "xAy"));
    CHECK(kept("x[\\N{U+41}]y", false, "xAy"));
    CHECK(kept("abc[\\Q]\\E]", false, "abc]"));
}

/* An escaped character can start a range ([\.-9] is . to 9); the '-' is
 * not a literal then. */
static void
test_kept_class_escaped_range(void)
{
    CHECK(kept("x[\\.-9]y", false, "x5y"));
    CHECK(kept("x[\\--/]y", false, "x.y"));
}

/* Escapes that go on past their letter: \0 takes up to two more octal
 * digits and \NNN (more than there are groups) is octal, so \124 is 'T'
 * and \012 a newline; \g1 and \g-1 are backreferences without braces;
 * in \g'1' and \k'n' the argument is quoted.  parse_escape() must skip
 * all of it, not read the rest as literal text ("24rillion", "1le"). */
static void
test_kept_numbered_escapes(void)
{
    CHECK(kept("\\124rillion", false, "Trillion"));
    CHECK(kept("a\\0123", false, "a\n3"));
    CHECK(kept("(a)\\101bc", false, "aAbc"));
    CHECK(kept("(t)\\g1le", false, "little"));
    CHECK(kept("(t)\\g-1le", false, "little"));
    CHECK(kept("(t)\\g'1'le", false, "little"));
    CHECK(kept("(?<n>t)\\k'n'le", false, "little"));
}

/* A quoted literal longer than a set's strings (64 bytes) was cut at its
 * end, and the cut end taken for its suffix ("000...0" + "d" -> "00d"),
 * for the seam after it and for "ab"*. */
static void
test_kept_long_quoted(void)
{
    char pat[256], text[256];

    snprintf(pat, sizeof pat, "\\Q%070dbc\\Ed", 0);
    snprintf(text, sizeof text, "%070dbcd", 0);
    CHECK(kept(pat, false, text));
    snprintf(pat, sizeof pat, "\\Q%070dbc\\E\\d", 0);
    snprintf(text, sizeof text, "%070dbc7", 0);
    CHECK(kept(pat, false, text));
    snprintf(pat, sizeof pat, "\\Q%070dBC\\E", 0);
    CHECK(query_is(trigram_analyze(pat, false), pat, "", "\"000\" AND "
                   "\"00b\" AND \"0bc\""));
}

/* "ab"* (TQ_PRE2): the byte after the tail may be the text's last, a
 * digit the pattern's class allowed, the first byte of a folded
 * character, or a character folded to the tail ("\xC5\xBF" is long s). */
static void
test_kept_pre2(void)
{
    const char *money = "\\$[0-9][0-9,.]* ?(million|billion|trillion)";

    CHECK(kept(money, false, "a $5 million"));
    CHECK(kept(money, false, "$1,250.5billion"));
    CHECK(kept(money, true, "$7 TRILLION"));
    CHECK(kept("ab\\d", false, "ab1"));
    CHECK(kept("AB\\d", true, "xaB9"));
    CHECK(kept("sk.", true, "\xC5\xBF\xE2\x84\xAA\xC3\xA9"));  /* ſKé */
    CHECK(kept("\xC3\x89\\d", false, "x\xC3\x89" "1"));         /* É1 */
    CHECK(kept("ab.", false, "ab\xE6\x97\xA5"));                   /* ab日 */
}

/* c as UTF-8 in out; its length. */
static size_t
utf8(int32_t c, char *out)
{
    return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out);
}

/* PCRE2's caseless matching of single characters never relates two
 * characters that fold differently: for every code point and its simple
 * upper, lower and title case that PCRE2 matches caselessly, the folds
 * (trigram_fold) are equal.  So a caseless pattern may use the folded
 * index like a case-sensitive one (which info_char does not, yet). */
static void
test_caseless_folds_agree(void)
{
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    long n_pairs = 0, n_differ = 0;

    for (int32_t c = 0x41; c < 0x110000; c++) {
        char pat[32], pc[8], dc[8], *f1, *f2;
        int32_t cands[3];
        size_t pn, dn, n1, n2;
        pcre2_code *re;
        if (c >= 0xD800 && c < 0xE000)
            continue;
        snprintf(pat, sizeof pat, "^\\x{%x}$", (unsigned)c);
        if (!(re = compile(pat, true)))
            continue;
        pn = utf8(c, pc);
        cands[0] = utf8proc_toupper(c);
        cands[1] = utf8proc_tolower(c);
        cands[2] = utf8proc_totitle(c);
        for (int k = 0; k < 3; k++) {
            if (cands[k] == c)
                continue;
            dn = utf8(cands[k], dc);
            if (pcre2_match(re, (PCRE2_SPTR)dc, dn, 0, 0, md, NULL) < 0)
                continue;
            n_pairs++;
            if (trigram_fold(pc, pn, &f1, &n1) ||
                trigram_fold(dc, dn, &f2, &n2))
                break;
            if ((n1 != n2 || memcmp(f1, f2, n1) != 0) && n_differ++ < 5)
                printf("  U+%04X and U+%04X match caselessly, fold apart\n",
                       (unsigned)c, (unsigned)cands[k]);
            free(f1);
            free(f2);
        }
        pcre2_code_free(re);
    }
    CHECK(n_differ == 0);
    CHECK(n_pairs > 2000);
    pcre2_match_data_free(md);
}

int
main(void)
{
    TEST(test_extract_ascii);
    TEST(test_extract_fold);
    TEST(test_extract_random);
    TEST(test_zone_starts);
    TEST(test_extract_zones);
    TEST(test_extract_zones_random);
    TEST(test_fold_random);
    TEST(test_fold);
    TEST(test_analyze_literals);
    TEST(test_analyze_bytes);
    TEST(test_analyze_alternation);
    TEST(test_analyze_classes);
    TEST(test_analyze_repetition);
    TEST(test_analyze_caseless);
    TEST(test_analyze_utf8);
    TEST(test_analyze_caseless_utf8);
    TEST(test_analyze_anchors);
    TEST(test_analyze_unbounded);
    TEST(test_analyze_pre2);
    TEST(test_analyze_any);
    TEST(test_property);
    TEST(test_kept_optional_inexact);
    TEST(test_kept_quoted_quantifier);
    TEST(test_kept_class_escapes);
    TEST(test_kept_class_escaped_range);
    TEST(test_kept_numbered_escapes);
    TEST(test_kept_pre2);
    TEST(test_kept_long_quoted);
    TEST(test_caseless_folds_agree);
    return check_report();
}
