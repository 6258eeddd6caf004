/*
 * test_bm25.c: BM25 scores through the public API against hand-computed
 * values on a three-document corpus (each document one passage).
 *
 *   a.txt "apple banana apple"          3 tokens
 *   b.txt "banana cherry"               2 tokens
 *   c.txt "cherry cherry cherry date"   4 tokens     N = 3, avgdl = 3
 *
 * idf(df) = ln(1 + (N - df + 0.5) / (df + 0.5)); k1 = 1.2, b = 0.75
 *   apple:  df 1, idf ln(8/3) = 0.980829;  a: tf 2, len 3,
 *           2 * 2.2 / (2 + 1.2) = 1.375            -> 1.348640
 *   cherry: df 2, idf ln(1.6) = 0.470004;  c: tf 3, len 4,
 *           3 * 2.2 / (3 + 1.5) = 1.466667         -> 0.689339
 *           b: tf 1, len 2, 2.2 / (1 + 0.9) = 1.157895 -> 0.544215
 *   banana cherry: only b, 2 * 0.544215            -> 1.088430
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brief.h"
#include "../unit/check.h"

static char dir[64], ixdir[80];

static void
put(const char *name, const char *text)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* Run query; expect n hits with the given file names and scores. */
static void
expect(brief_index *ix, const char *query, size_t n, const char **names,
       const double *scores)
{
    brief_search *s;
    const brief_hit *h;
    size_t i = 0;

    CHECK_RC(brief_search_new(&s, ix, query, NULL));
    while (brief_search_next(s, &h) == BRIEF_OK) {
        CHECK(i < n);
        if (i < n) {
            CHECK(strstr(h->path, names[i]) != NULL);
            CHECK(fabs(h->score - scores[i]) < 1e-5);
            if (fabs(h->score - scores[i]) >= 1e-5)
                printf("     %s: %s scored %.6f, want %.6f\n", query,
                       h->path, h->score, scores[i]);
        }
        i++;
    }
    CHECK(i == n);
    brief_search_free(s);
}

static void
test_bm25(void)
{
    brief_index *ix;
    brief_indexer *w;
    const char *apple[] = { "a.txt" }, *cherry[] = { "c.txt", "b.txt" };
    const char *both[] = { "b.txt" };
    const double s_apple[] = { 1.348640 }, s_cherry[] = { 0.689339,
                                                          0.544215 };
    const double s_both[] = { 1.088430 };

    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_WRITE |
                              BRIEF_OPEN_CREATE, NULL));
    CHECK_RC(brief_indexer_new(&w, ix, NULL));
    CHECK_RC(brief_indexer_add_root(w, dir));
    CHECK_RC(brief_indexer_run(w, NULL));
    brief_indexer_free(w);
    expect(ix, "apple", 1, apple, s_apple);
    expect(ix, "cherry", 2, cherry, s_cherry);
    expect(ix, "banana cherry", 1, both, s_both);
    brief_index_close(ix);
}

/* Equal scores come in document order (by path), even after a.txt was
 * re-indexed and got a later document number.  Now a is "banana cherry"
 * too: avgdl = 8/3, banana df 2: 0.470004 * 2.2 / (1 + 1.2 * (0.25 +
 * 0.75 * 2 / (8/3))) = 0.523549. */
static void
test_ties(void)
{
    brief_index *ix;
    const char *names[] = { "a.txt", "b.txt" };
    const double sc[] = { 0.523549, 0.523549 };

    put("a.txt", "banana cherry\n");
    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_WRITE, NULL));
    {
        brief_indexer *w;
        CHECK_RC(brief_indexer_new(&w, ix, NULL));
        CHECK_RC(brief_indexer_add_root(w, dir));
        CHECK_RC(brief_indexer_run(w, NULL));
        brief_indexer_free(w);
    }
    expect(ix, "banana", 2, names, sc);
    brief_index_close(ix);
}

int
main(void)
{
    char cmd[128];

    snprintf(dir, sizeof dir, "/tmp/brief-bm25-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    snprintf(ixdir, sizeof ixdir, "%s/.brief", dir);
    put("a.txt", "apple banana apple\n");
    put("b.txt", "banana cherry\n");
    put("c.txt", "cherry cherry cherry date\n");
    TEST(test_bm25);
    TEST(test_ties);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 2;
    return check_report();
}
