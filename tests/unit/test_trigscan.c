/*
 * test_trigscan.c: the trigram set picked from a pattern's byte-level
 * query, checked two ways: a property (for random patterns and texts,
 * every match PCRE2 finds, at every start, holds one of the set's
 * trigrams), and trigscan_find() against a naive search of the set.
 * PCRE2 is called directly here, as an oracle independent of brief's
 * own matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "regex_gen.h"
#include "trigscan.h"

/* Whether s[0..len) holds one of ts's trigrams; where the first starts
 * in *at. */
static bool
naive(const trigscan *ts, const char *s, size_t len, size_t *at)
{
    for (size_t i = 0; i + 3 <= len; i++) {
        trigram t = (trigram)(unsigned char)s[i] << 16 |
                    (trigram)(unsigned char)s[i + 1] << 8 |
                    (unsigned char)s[i + 2];
        for (size_t k = 0; k < ts->n; k++)
            if (ts->v[k] == t) {
                *at = i;
                return true;
            }
    }
    return false;
}

/* The set of a few patterns: r03's dashes, and anchors at each offset. */
static void
test_trigscan_build(void)
{
    static const char r03[] = "\\b(1[6-9]|20)[0-9]{2} ?[-\xE2\x80\x93] ?"
                              "(1[6-9]|20)[0-9]{2}\\b";
    trigscan ts;
    tq *q;

    CHECK((q = trigram_analyze_bytes(r03)) && trigscan_build(q, &ts));
    tq_free(q);
    /* '-' and the en dash's last byte, each followed by ' ', '1' or '2'. */
    CHECK(ts.n_anchors == 2 && ts.frequency == 130);
    CHECK(ts.filtered[0] && ts.filtered[1] && ts.any_filtered);
    CHECK(ts.anchor[0] == '-' || ts.anchor[1] == '-');
    CHECK(ts.anchor[0] == 0x93 || ts.anchor[1] == 0x93);
    CHECK(ts.n == 28);
    /* Nothing to look for: no trigram, or only through ALL. */
    CHECK((q = trigram_analyze_bytes("ab")) && !trigscan_build(q, &ts));
    tq_free(q);
    CHECK((q = trigram_analyze_bytes("abc|.")) && !trigscan_build(q, &ts));
    tq_free(q);
    /* Too many anchors: any of 26 letters then "--". */
    CHECK((q = trigram_analyze_bytes("[a-z]{3}|[A-Z]{3}")) &&
          !trigscan_build(q, &ts));
    tq_free(q);
}

/* The set of pattern pat into *ts; false (a failed check) when it has
 * none. */
static bool
set_of(const char *pat, trigscan *ts)
{
    tq *q = trigram_analyze_bytes(pat);
    bool ok = q && trigscan_build(q, ts);

    if (!ok)
        CHECK(!"a set for a pattern with trigrams");
    tq_free(q);
    return ok;
}

/* Random pieces into text until it holds target bytes, none past cap;
 * returns the length. */
static size_t
pieces_text(char *text, size_t target, size_t cap,
            const char *const *pieces, size_t n)
{
    size_t len = 0;

    while (len < target) {
        const char *c = pieces[pick((int)n)];
        size_t l = strlen(c);
        if (len + l > cap)
            break;
        memcpy(text + len, c, l);
        len += l;
    }
    return len;
}

/* Whether trigscan_find() gives for text what naive() does: an
 * occurrence with no other starting more than two bytes before it, or
 * NULL when there is none.  Counts texts with an occurrence in *found. */
static bool
find_ok(const trigscan *ts, const char *pat, const char *text, size_t len,
        long *found, long *wrong)
{
    size_t want;
    bool any = naive(ts, text, len, &want);
    const char *got = trigscan_find(ts, text, len);

    *found += any;
    if (got ? any && (size_t)(got - text) <= want + 2 &&
                  naive(ts, got, 3, &want)
            : !any)
        return true;
    if ((*wrong)++ < 5)
        printf("  /%s/ in %zu bytes \"%.*s\": at %ld, first %ld\n", pat,
               len, len < 100 ? (int)len : 0, text,
               got ? (long)(got - text) : -1L, any ? (long)want : -1L);
    return false;
}

/* trigscan_find() returns an occurrence with no other starting more than
 * two bytes before it, and NULL only when there is none, for texts of
 * every length around the 16-byte steps. */
static void
test_trigscan_find(void)
{
    static const char *const pats[] = {
        "[0-9]-[12]", "\\b(1[6-9]|20)[0-9]{2} ?[-\xE2\x80\x93] ?(1[6-9]|20)",
        "abc", "a[bc]-|xa-", "--1", "1--", "-1-", "\xE2\x80\x93x",
        "[0-9]-[0-9]", "[0-9]\xE2\x80\x93[0-9]|[0-9]-[0-9]-", "x-[0-9ab]"
    };
    static const char *const chars[] = {
        "-", "1", "2", "a", "b", "c", "x", " ", "\n", "\xE2\x80\x93", "0"
    };
    char text[200];
    long n_found = 0, n_wrong = 0;

    srand(7);
    for (size_t k = 0; k < sizeof pats / sizeof *pats; k++) {
        trigscan ts;
        if (!set_of(pats[k], &ts))
            continue;
        for (int round = 0; round < 3000; round++) {
            size_t target = (size_t)pick(90);
            size_t len = pieces_text(text, target, target, chars,
                                     sizeof chars / sizeof *chars);
            find_ok(&ts, pats[k], text, len, &n_found, &n_wrong);
        }
    }
    CHECK(n_wrong == 0);
    CHECK(n_found > 4000);
}

/* Long texts in which anchors mostly come without their followers ("- a"
 * lines, as reStructuredText's '-'), so that trigscan_find()'s quick
 * loop switches to testing the followers, with one of the set's
 * trigrams, or none, at a random place, and random bytes around. */
static void
test_trigscan_find_long(void)
{
    static const char *const pats[] = {
        "\\b(1[6-9]|20)[0-9]{2} ?[-\xE2\x80\x93] ?(1[6-9]|20)",
        "[0-9]-[12]", "x-[0-9ab]", "a[bc]-|xa-", "-1-", "(cat|dog)s"
    };
    static const char *const filler[] = {
        "- a", "--", "-", "\xE2\x80\x93x", " ", "\n", "a", "c", "d"
    };
    static char text[4200];
    long n_found = 0, n_wrong = 0;

    srand(11);
    for (size_t k = 0; k < sizeof pats / sizeof *pats; k++) {
        trigscan ts;
        if (!set_of(pats[k], &ts))
            continue;
        for (int round = 0; round < 400; round++) {
            size_t len = pieces_text(text, (size_t)pick(4000), sizeof text,
                                     filler, sizeof filler / sizeof *filler);
            size_t at;
            /* One of the set's trigrams, in two rounds of three. */
            if (pick(3) && len >= 3) {
                trigram t = ts.v[pick((int)ts.n)];
                at = (size_t)pick((int)(len - 2));
                text[at] = (char)(t >> 16);
                text[at + 1] = (char)(t >> 8);
                text[at + 2] = (char)t;
            }
            find_ok(&ts, pats[k], text, len, &n_found, &n_wrong);
        }
    }
    CHECK(n_wrong == 0);
    CHECK(n_found > 1000);
}

/* ---------------------------------------------------------------- */
/* Property: random patterns, random texts                           */
/* ---------------------------------------------------------------- */

static const char *const alphabet[] = {
    "a", "b", "A", "1", "2", "0", "-", " ", ".", "\xC3\xA9", "\xC3\x89",
    "\xE2\x80\x93"
};

static void
gen_atom(gen *g, int depth)
{
    static const char *const other[] = {
        ".", "[ab]", "[^a]", "[0-9]", "[12]", "[-\xE2\x80\x93]", "[aA]",
        "\\w", "\\d", "\\s", "\\b", "^", "$", "\\.", "\\-", "\\x61",
        "\\K", "(?i)", "\\QaB\\E", "(?<=a)", "(?!b)", "\\n", "a{2}",
        "(*ACCEPT)", "(*SKIP)", "[0-9]{2}"
    };
    static const char *const opens[] = { "(", "(?:", "(?i:", "(?=", "(?>" };
    int r = pick(100);

    if (r < 55) {
        put(g, gen_char(g));
    } else if (r < 72 && depth < 3) {
        put(g, opens[pick(sizeof opens / sizeof *opens)]);
        gen_alt(g, depth + 1);
        put(g, ")");
    } else {
        put(g, other[pick(sizeof other / sizeof *other)]);
    }
}

static const char *const quants[] = { "?", "*", "+", "{2}", "{1,2}" };

static const gen_kind kind = {
    alphabet, sizeof alphabet / sizeof *alphabet, gen_atom, 6,
    quants, sizeof quants / sizeof *quants, 2, 40, 10
};

/* A match must hold one of the set's trigrams. */
typedef struct set_check {
    const trigscan *ts;
    const char *pattern, *text;
    long printed;
} set_check;

static bool
holds_trigram(void *ctx, const char *m, size_t len)
{
    set_check *c = ctx;
    size_t at;

    if (naive(c->ts, m, len, &at))
        return true;
    if (c->printed++ < 5)
        printf("  /%s/ matches \"%.*s\" in \"%s\", without any of its "
               "%zu trigrams\n", c->pattern, (int)len, m, c->text,
               c->ts->n);
    return false;
}

/* For 20000 patterns and 40 texts each: every match of the pattern, at
 * every start, holds one of its set's trigrams.  The counts guard
 * against a vacuous pass. */
static void
test_trigscan_property(void)
{
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    long n_compiled = 0, n_set = 0, n_matched = 0, n_wrong = 0;
    long printed = 0;
    char text[256];
    trigscan ts;

    srand(20261128);
    for (int round = 0; round < 20000; round++) {
        gen g;
        pcre2_code *re;
        int err;
        PCRE2_SIZE eoff;
        tq *q;
        bool has;
        gen_pattern(&g, &kind);
        re = pcre2_compile((PCRE2_SPTR)g.s, g.n, PCRE2_UTF | PCRE2_UCP |
                           PCRE2_MULTILINE, &err, &eoff, NULL);
        if (!re)
            continue;
        n_compiled++;
        if (!(q = trigram_analyze_bytes(g.s))) {
            CHECK(!"out of memory");
            pcre2_code_free(re);
            break;
        }
        has = trigscan_build(q, &ts);
        tq_free(q);
        if (!has) {
            pcre2_code_free(re);
            continue;
        }
        n_set++;
        for (int t = 0; t < 40; t++) {
            set_check c = { &ts, g.s, text, printed };
            gen_text(&kind, text, sizeof text);
            n_matched += each_match(re, md, text, holds_trigram, &c,
                                    &n_wrong);
            printed = c.printed;
        }
        pcre2_code_free(re);
    }
    if (n_wrong)
        printf("  %ld wrong of %ld matches\n", n_wrong, n_matched);
    CHECK(n_wrong == 0);
    CHECK(n_compiled > 10000);
    CHECK(n_set > 2000);
    CHECK(n_matched > 5000);
    pcre2_match_data_free(md);
}

int
main(void)
{
    TEST(test_trigscan_build);
    TEST(test_trigscan_find);
    TEST(test_trigscan_find_long);
    TEST(test_trigscan_property);
    return check_report();
}
