/*
 * test_stem.c: the stemmer wrapper: language names, the cache (hits,
 * collisions, long words) and the golden word list
 * tests/golden/stem/english.in -> english.out (one stem a line, as
 * Snowball's voc.txt / output.txt).  UPDATE=1 rewrites english.out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stem.h"

#define GOLDEN_IN  "tests/golden/stem/english.in"
#define GOLDEN_OUT "tests/golden/stem/english.out"

/* Stem a literal and compare with the expected stem. */
static int
stems_to(stemmer *s, const char *word, const char *want)
{
    size_t n = 99;
    const char *got = stemmer_stem(s, word, strlen(word), &n);

    if (!got || n != strlen(want) || memcmp(got, want, n) != 0) {
        printf("  %s -> %.*s\n", word, got ? (int)n : 4,
               got ? got : "NULL");
        return 0;
    }
    return got[n] == '\0';
}

static void
languages(void)
{
    const char **list = stem_languages();
    bool unknown = true, has_english = false;
    stemmer *s;
    size_t n = 0;

    CHECK(list != NULL);
    for (; list && list[n]; n++)
        has_english |= strcmp(list[n], "english") == 0;
    CHECK(n > 10 && has_english);

    s = stemmer_new("english", &unknown);
    CHECK(s && !unknown);
    stemmer_free(s);
    /* aliases libstemmer accepts */
    s = stemmer_new("en", &unknown);
    CHECK(s && !unknown && stems_to(s, "stations", "station"));
    stemmer_free(s);
    s = stemmer_new("porter", &unknown);
    CHECK(s && !unknown && stems_to(s, "generalization", "gener"));
    stemmer_free(s);
    s = stemmer_new("french", &unknown);
    CHECK(s && !unknown && stems_to(s, "continuellement", "continuel"));
    stemmer_free(s);

    s = stemmer_new("klingon", &unknown);
    CHECK(s == NULL && unknown);
    unknown = false;
    CHECK(stemmer_new(NULL, &unknown) == NULL && unknown);
    CHECK(stemmer_new("klingon", NULL) == NULL);
    stemmer_free(NULL);
}

static void
cache(void)
{
    bool unknown;
    stemmer *s = stemmer_new("english", &unknown);
    char word[64];
    size_t n;
    const char *got;

    CHECK(s != NULL);
    if (!s)
        return;
    /* a hit returns the same answer */
    CHECK(stems_to(s, "country", "countri"));
    CHECK(stems_to(s, "country", "countri"));
    /* the word is compared, not only its hash slot: many different words
     * land in every slot */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 20000; i++) {
            n = (size_t)snprintf(word, sizeof word, "walking%d", i);
            got = stemmer_stem(s, word, n, &n);
            CHECK(got && n == strlen(word) && !strcmp(got, word));
        }
        CHECK(stems_to(s, "stations", "station"));
    }
    /* not NUL-terminated input; a prefix is its own word */
    CHECK(stemmer_stem(s, "stationsXYZ", 8, &n) && n == 7);
    CHECK(stems_to(s, "station", "station"));
    /* longer than a cache slot */
    CHECK(stems_to(s, "antidisestablishmentarianismsinternationalizations",
                   "antidisestablishmentarianismsinternation"));
    CHECK(stems_to(s, "antidisestablishmentarianismsinternationalizations",
                   "antidisestablishmentarianismsinternation"));
    CHECK(stemmer_stem(s, "", 0, &n) && n == 0);
    stemmer_free(s);
}

static void
golden(void)
{
    bool unknown;
    stemmer *s = stemmer_new("english", &unknown);
    char *in, *expect = NULL, *out = NULL, *line, *save = NULL;
    const char *stem;
    size_t in_len, expect_len = 0, out_len = 0, n;
    const char *update = getenv("UPDATE");
    FILE *f;

    in = check_read_file(GOLDEN_IN, &in_len);
    f = open_memstream(&out, &out_len);
    CHECK(s && in && f);
    if (!s || !in || !f)
        goto out;
    for (line = strtok_r(in, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        stem = stemmer_stem(s, line, strlen(line), &n);
        fprintf(f, "%.*s\n", stem ? (int)n : 6, stem ? stem : "(null)");
    }
    fclose(f);
    f = NULL;
    if (update && !strcmp(update, "1")) {
        f = fopen(GOLDEN_OUT, "wb");
        CHECK(f && fwrite(out, 1, out_len, f) == out_len);
        if (f)
            CHECK(fclose(f) == 0);
        f = NULL;
        goto out;
    }
    expect = check_read_file(GOLDEN_OUT, &expect_len);
    CHECK(expect && expect_len == out_len && !memcmp(expect, out, out_len));
out:
    if (f)
        fclose(f);
    free(expect);
    free(out);
    free(in);
    stemmer_free(s);
}

int
main(void)
{
    TEST(languages);
    TEST(cache);
    TEST(golden);
    return check_report();
}
