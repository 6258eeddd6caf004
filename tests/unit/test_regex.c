/*
 * test_regex.c: regex_next() finds the same matches, in the same order,
 * whether it looks for the pattern's literal (or a set of its trigrams)
 * first or not (they only skip lines that cannot hold a match), line by
 * line and with REGEX_MULTILINE, on hand-picked cases and on random
 * patterns and multi-line texts; only where PCRE2's match limit stops a
 * search without them may the search with them find more.  Line by line,
 * regex_next_in() over the text's zones (trigram.h), one after the
 * other, finds them too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "check.h"
#include "regex.h"
#include "trigram.h"

#define MAX_MATCHES 64

static long n_limit_only_without;    /* see agree() */
static long n_scanned;               /* walks that used a trigram set */

typedef struct found {
    size_t n;
    size_t s[MAX_MATCHES], e[MAX_MATCHES];
    int rc;                  /* the last regex_next result */
} found;

/* Every match of pattern in text, as grep.c walks them: from the end of
 * each, one byte further after an empty one; with zone_bytes, zone by
 * zone with regex_next_in().  False when the pattern does not compile. */
static bool
walk_zones(const char *pattern, unsigned flags, const char *text,
           size_t zone_bytes, found *out)
{
    const char *pats[1] = { pattern };
    char msg[128];
    size_t which, off, pos = 0, len = strlen(text), ms, me, k = 0, end;
    size_t nz = zone_bytes ? trigram_zones(len, zone_bytes) : 1;
    regex *re;

    out->n = 0;
    out->rc = 0;
    if (regex_compile(&re, pats, 1, flags, msg, sizeof msg, &which, &off))
        return false;
    n_scanned += regex_prefilter(re) == 't';
    end = zone_bytes ? trigram_zone_start(text, len, zone_bytes, 1) : len;
    while (out->n < MAX_MATCHES && pos <= len) {
        out->rc = zone_bytes ? regex_next_in(re, text, len, pos, end, &ms,
                                             &me)
                             : regex_next(re, text, len, pos, &ms, &me);
        if (out->rc == 0 && ++k < nz) {         /* on to the next zone */
            pos = end > pos ? end : pos;
            end = trigram_zone_start(text, len, zone_bytes, k + 1);
            continue;
        }
        if (out->rc != 1)
            break;
        out->s[out->n] = ms;
        out->e[out->n++] = me;
        pos = me > ms ? me : me + 1;
        while (pos < len && ((unsigned char)text[pos] & 0xC0) == 0x80)
            pos++;
    }
    regex_free(re);
    return true;
}

static bool
walk(const char *pattern, unsigned flags, const char *text, found *out)
{
    return walk_zones(pattern, flags, text, 0, out);
}

/* a (with a prefilter) finds what b (without) finds: the same matches,
 * or, where b ran into PCRE2's match limit, at least its matches (the
 * prefilter's line-sized searches may stay under the limit where one
 * search over the rest of the text does not). */
static bool
same(const found *a, const found *b)
{
    if (a->n == b->n && a->rc == b->rc &&
        memcmp(a->s, b->s, a->n * sizeof *a->s) == 0 &&
        memcmp(a->e, b->e, a->n * sizeof *a->e) == 0)
        return true;
    if (b->rc == BRIEF_ELIMIT && a->rc != BRIEF_ELIMIT && b->n <= a->n &&
        memcmp(a->s, b->s, b->n * sizeof *a->s) == 0 &&
        memcmp(a->e, b->e, b->n * sizeof *a->e) == 0) {
        n_limit_only_without++;
        return true;
    }
    return false;
}

/* The matches with the literal or trigrams (as chosen, and with a
 * trigram set forced) and without either agree; n_out: their number. */
static bool
agree(const char *pattern, unsigned flags, const char *text, size_t *n_out)
{
    found a, b, c, z;
    /* Zones of 1 to 12 bytes: most lines of these texts start a zone of
     * their own, and some zones are empty (inside a long line). */
    size_t zone = 1 + strlen(text) % 12;
    bool zoned = !(flags & REGEX_MULTILINE);

    if (!walk(pattern, flags, text, &a) ||
        !walk(pattern, flags | REGEX_NO_LITERAL, text, &b) ||
        !walk(pattern, flags | REGEX_FORCE_SCAN, text, &c) ||
        (zoned && !walk_zones(pattern, flags, text, zone, &z)))
        return true;                    /* PCRE2 rejects it: nothing to do */
    if (n_out)
        *n_out = a.n;
    if (same(&a, &b) && same(&c, &b) && (!zoned || same(&z, &b)))
        return true;
    printf("  /%s/%s on \"%s\": %zu matches (status %d) as chosen, %zu (%d) "
           "with trigrams, %zu (%d) with neither, %zu (%d) by zones of %zu "
           "bytes\n", pattern, flags & REGEX_MULTILINE ? "U" : "", text,
           a.n, a.rc, c.n, c.rc, b.n, b.rc, zoned ? z.n : 0,
           zoned ? z.rc : 0, zone);
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

static void
test_regex_trigram_lines(void)
{
    static const char r03[] = "\\b(1[6-9]|20)[0-9]{2} ?[-\xE2\x80\x93] ?"
                              "(1[6-9]|20)[0-9]{2}\\b";
    long before = n_scanned;

    /* Dashes everywhere, the years only on some lines: line 1 has a dash
     * between digits but no years, line 3 the en dash. */
    CHECK(finds(r03, 0, "12-34 - 1\n1600 - 1700\n1999\xE2\x80\x93" "2001",
                "10:21 22:33"));
    CHECK(finds(r03, 0, "--------\n-1620-1630-\n1620 -1630", "10:19 21:31"));
    CHECK(finds(r03, 0, "x1620-1630", ""));
    CHECK(finds(r03, 0, "1620-\n1630", ""));
    CHECK(n_scanned > before);
    /* A trigram at a line's start, at its end, and across a line break
     * (no match may hold the break). */
    CHECK(finds("[ab]-[12]", REGEX_FORCE_SCAN, "a-1\nxb-2\nb-\n2", "0:3 5:8"));
    CHECK(finds("x\\ny", REGEX_FORCE_SCAN, "x\ny\nx\ny", ""));
    CHECK(finds("x\\ny", REGEX_FORCE_SCAN | REGEX_MULTILINE, "x\ny\nx\ny",
                "0:3 4:7"));
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

/* Patterns and texts of digits, dashes and spaces, where the trigram
 * sets have the most to do (few letters, so few literals). */
static void
gen_dashes(char *s, size_t cap, int depth)
{
    static const char *const atoms[] = {
        "[0-9]", "[12]", "[-\xE2\x80\x93]", "(?:1|20)", "\\b", "(?<=-)",
        "-", "1", "2", "0", "\xE2\x80\x93", " ", "[0-9]{2}", "a"
    };
    /* Parts that make the trigram sets larger, weaker or give up. */
    static const char *const rare[] = {
        " ?", ".", "[^\\n]", "\\s", "\\n", "$", "^", "\\d", "\\K",
        "(*ACCEPT)", "(?i)a", "-+", "a*"
    };

    for (int i = pick(7); i >= 0; i--) {
        int r = pick(10);
        if (r == 0 && depth < 2) {
            put(s, cap, "(");
            gen_dashes(s, cap, depth + 1);
            put(s, cap, pick(4) ? ")" : pick(2) ? ")?" : ")+");
        } else if (r < 3) {
            put(s, cap, rare[pick(sizeof rare / sizeof *rare)]);
        } else {
            put(s, cap, atoms[pick(sizeof atoms / sizeof *atoms)]);
        }
    }
    if (depth == 0 && pick(5) == 0) {
        put(s, cap, "|");
        gen_dashes(s, cap, 1);
    }
}

static void
test_regex_trigram_random(void)
{
    static const char *const chars[] = {
        "1", "2", "0", "6", "-", "-", " ", " ", "\n", "\xE2\x80\x93", "a",
        "\xC3\xA9"
    };
    long n_matches = 0, n_wrong = 0, before = n_scanned;

    srand(20261128);
    for (int round = 0; round < 4000; round++) {
        char pattern[256] = "", text[256] = "";
        unsigned flags = pick(6) == 0 ? REGEX_MULTILINE : 0;
        gen_dashes(pattern, sizeof pattern, 0);
        for (int t = 0; t < 30; t++) {
            size_t n = 0;
            text[0] = '\0';
            for (int i = pick(80); i >= 0; i--)
                put(text, sizeof text, chars[pick(sizeof chars /
                                                  sizeof *chars)]);
            if (!agree(pattern, flags, text, &n) && n_wrong++ > 5)
                break;
            n_matches += (long)n;
        }
    }
    CHECK(n_wrong == 0);
    CHECK(n_matches > 20000);
    CHECK(n_scanned - before > 20000);     /* about a third of them */
}

int
main(void)
{
    TEST(test_regex_literal_lines);
    TEST(test_regex_trigram_lines);
    TEST(test_regex_literal_random);
    TEST(test_regex_trigram_random);
    return check_report();
}
