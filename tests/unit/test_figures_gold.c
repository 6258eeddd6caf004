/*
 * test_figures_gold.c: the figure extractor against the figures decided
 * by hand in tests/figures/corpus.gold -- precision and recall of (value,
 * unit, qualifier) must be 100%, subject accuracy is printed -- and a run
 * over the State of the Union corpus (BRIEF_SOTU, else
 * ../shared/corpora/sotu): every span inside its text, the same figures
 * with and without skimming the sentences without a number, figures per
 * unit, the 20 most frequent subjects, throughput.  Statistics are "# "
 * lines.
 * Run from the top of the tree.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brief.h"
#include "check.h"
#include "figures.h"

#define GOLD_PATH "tests/figures/corpus.gold"
#define GOLD_MAX 256

typedef struct gold {
    double value, high;
    char unit[FIG_UNIT_MAX];
    char qual[16];
    char text[128];
    char subject[128];      /* "" for none */
    bool matched;
} gold;

/* Read a whole file; the caller frees.  NULL when it cannot be read. */
static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        *len = fread(buf, 1, (size_t)n, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

static void
copy_field(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", strcmp(src, "-") == 0 ? "" : src);
}

/* Parse the gold file into g[]; *corpus gets the path it names.
 * Returns the number of figures, or -1 on a malformed line. */
static int
parse_gold(char *text, gold *g, char *corpus, size_t corpus_cap)
{
    int n = 0;
    char *line, *save = NULL, *field[5];

    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        int nf = 0;
        char *p = line, *dots;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        while (nf < 5 && p) {
            field[nf++] = p;
            if ((p = strchr(p, '\t')))
                *p++ = '\0';
        }
        if (strcmp(field[0], "file") == 0 && nf == 2) {
            snprintf(corpus, corpus_cap, "%s", field[1]);
            continue;
        }
        if (nf != 5 || n == GOLD_MAX)
            return -1;
        memset(&g[n], 0, sizeof g[n]);
        g[n].value = strtod(field[0], NULL);
        dots = strstr(field[0], "..");
        g[n].high = dots ? strtod(dots + 2, NULL) : g[n].value;
        copy_field(g[n].unit, sizeof g[n].unit, field[1]);
        copy_field(g[n].qual, sizeof g[n].qual, field[2]);
        copy_field(g[n].text, sizeof g[n].text, field[3]);
        copy_field(g[n].subject, sizeof g[n].subject, field[4]);
        n++;
    }
    return n;
}

static bool
near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

static bool
same_figure(const gold *g, const figure *f)
{
    return near(f->value, g->value) && near(f->value_high, g->high) &&
           strcmp(f->unit, g->unit) == 0 &&
           strcmp(figures_qualifier_name(f->qualifier), g->qual) == 0;
}

static bool
same_text(const char *text, size_t a, size_t b, const char *want)
{
    return b - a == strlen(want) && memcmp(text + a, want, b - a) == 0;
}

/* Pair each extracted figure with an unmatched gold figure of the same
 * (value, unit, qualifier), preferring one with the same text. */
static void
gold_precision_recall(void)
{
    static gold g[GOLD_MAX];
    char corpus[256] = "", *gtext, *text;
    size_t glen, len, n, tp = 0, subj_ok = 0;
    figure *f;
    int n_gold;

    gtext = read_file(GOLD_PATH, &glen);
    CHECK(gtext != NULL);
    if (!gtext)
        return;
    n_gold = parse_gold(gtext, g, corpus, sizeof corpus);
    free(gtext);
    CHECK(n_gold > 0);
    text = read_file(corpus, &len);
    CHECK(text != NULL);
    if (n_gold <= 0 || !text) {
        free(text);
        return;
    }
    CHECK(figures_extract(text, len, &f, &n) == BRIEF_OK);
    for (size_t i = 0; i < n; i++) {
        int best = -1;
        for (int j = 0; j < n_gold; j++)
            if (!g[j].matched && same_figure(&g[j], &f[i]) &&
                (best < 0 ||
                 (!same_text(text, f[i].start, f[i].end, g[best].text) &&
                  same_text(text, f[i].start, f[i].end, g[j].text))))
                best = j;
        if (best < 0) {
            printf("# extra: %.10g %s %s \"%.*s\"\n", f[i].value, f[i].unit,
                   figures_qualifier_name(f[i].qualifier),
                   (int)(f[i].end - f[i].start), text + f[i].start);
            continue;
        }
        g[best].matched = true;
        tp++;
        if (same_text(text, f[i].subject_start, f[i].subject_end,
                      g[best].subject))
            subj_ok++;
        else
            printf("# subject of \"%s\": got \"%.*s\", gold \"%s\"\n",
                   g[best].text, (int)(f[i].subject_end - f[i].subject_start),
                   text + f[i].subject_start, g[best].subject);
    }
    for (int j = 0; j < n_gold; j++)
        if (!g[j].matched)
            printf("# missed: %.10g %s %s \"%s\"\n", g[j].value, g[j].unit,
                   g[j].qual, g[j].text);
    printf("# gold %s: %d figures, %zu extracted, precision %.1f%%, "
           "recall %.1f%%, subject accuracy %zu/%zu = %.1f%%\n", corpus,
           n_gold, n, n ? 100.0 * (double)tp / (double)n : 0,
           100.0 * (double)tp / n_gold, subj_ok, tp,
           tp ? 100.0 * (double)subj_ok / (double)tp : 0);
    CHECK(tp == n);
    CHECK(tp == (size_t)n_gold);
    free(f);
    free(text);
}

typedef struct tally {
    char unit[FIG_UNIT_MAX];
    size_t n;
} tally;

typedef struct subj_count {
    const char *s;
    size_t n;
} subj_count;

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_count(const void *a, const void *b)
{
    const subj_count *x = a, *y = b;

    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->s, y->s);
}

/* A span must start and end on a character boundary. */
static bool
on_boundary(const char *text, size_t len, size_t off)
{
    return off >= len || ((unsigned char)text[off] & 0xc0) != 0x80;
}

/* Check every figure of one document; add its units and subjects. */
static void
tally_document(const char *path, const char *text, size_t len,
               const figure *f, size_t n, tally *units, size_t *n_units,
               char ***subj, size_t *n_subj, size_t *cap_subj)
{
    for (size_t i = 0; i < n; i++) {
        size_t u, sl = f[i].subject_end - f[i].subject_start;
        bool ok = f[i].start < f[i].end && f[i].end <= len &&
                  on_boundary(text, len, f[i].start) &&
                  on_boundary(text, len, f[i].end) &&
                  f[i].subject_start <= f[i].subject_end &&
                  f[i].subject_end <= len && f[i].unit[0];
        if (!ok)
            printf("FAIL %s: figure %zu has a bad span [%zu, %zu)\n", path,
                   i, f[i].start, f[i].end);
        CHECK(ok);
        if (!ok)
            continue;
        for (u = 0; u < *n_units && strcmp(units[u].unit, f[i].unit); u++)
            ;
        if (u == *n_units && u < 32) {
            memcpy(units[u].unit, f[i].unit, FIG_UNIT_MAX);
            units[(*n_units)++].n = 0;
        }
        if (u < 32)
            units[u].n++;
        if (sl == 0)
            continue;
        if (*n_subj == *cap_subj) {
            size_t cap = *cap_subj ? *cap_subj * 2 : 1024;
            char **p = realloc(*subj, cap * sizeof *p);
            if (!p)
                continue;
            *subj = p;
            *cap_subj = cap;
        }
        if (((*subj)[*n_subj] = malloc(sl + 1))) {
            memcpy((*subj)[*n_subj], text + f[i].subject_start, sl);
            (*subj)[(*n_subj)++][sl] = '\0';
        }
    }
}

static void
print_top_subjects(char **subj, size_t n_subj)
{
    subj_count *counts = malloc((n_subj + 1) * sizeof *counts);
    size_t n_counts = 0;

    if (!counts)
        return;
    qsort(subj, n_subj, sizeof *subj, cmp_str);
    for (size_t i = 0; i < n_subj; i++) {
        if (n_counts && strcmp(counts[n_counts - 1].s, subj[i]) == 0)
            counts[n_counts - 1].n++;
        else
            counts[n_counts++] = (subj_count){subj[i], 1};
    }
    qsort(counts, n_counts, sizeof *counts, cmp_count);
    printf("# sotu: the 20 most frequent subjects of %zu:\n", n_subj);
    for (size_t i = 0; i < n_counts && i < 20; i++)
        printf("#   %5zu  %s\n", counts[i].n, counts[i].s);
    free(counts);
}

static const char *
sotu_dir(void)
{
    static const char *const dirs[] = {
        "../shared/corpora/sotu", "/work/shared/corpora/sotu",
    };
    const char *env = getenv("BRIEF_SOTU");
    DIR *d;

    if (env)
        return env;
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        if ((d = opendir(dirs[i]))) {
            closedir(d);
            return dirs[i];
        }
    return NULL;
}

/* Are f[0..n) the figures of text read sentence by sentence, with none
 * passed over unread? */
static bool
same_unskimmed(const char *text, size_t len, const figure *f, size_t n)
{
    figure *g;
    size_t m;
    bool same;

    CHECK(figures_extract_unskimmed(text, len, &g, &m) == BRIEF_OK);
    same = m == n && (n == 0 || memcmp(f, g, n * sizeof *f) == 0);
    free(g);
    return same;
}

static void
sotu(void)
{
    const char *dir = sotu_dir();
    DIR *d = opendir(dir);
    struct dirent *e;
    tally units[32];
    char **names = NULL, **subj = NULL, path[1024];
    size_t n_names = 0, n_units = 0, n_subj = 0, cap_subj = 0;
    size_t bytes = 0, n_fig = 0, n_differ = 0;
    double secs = 0;

    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".txt")) {
            char **p = realloc(names, (n_names + 1) * sizeof *p);
            if (!p)
                break;
            names = p;
            names[n_names++] = strdup(e->d_name);
        }
    closedir(d);
    qsort(names, n_names, sizeof *names, cmp_str);
    for (size_t i = 0; i < n_names; i++) {
        struct timespec t0, t1;
        size_t len, n;
        figure *f;
        char *text;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!(text = read_file(path, &len)))
            continue;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK(figures_extract(text, len, &f, &n) == BRIEF_OK);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        secs += (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        bytes += len;
        n_fig += n;
        tally_document(path, text, len, f, n, units, &n_units, &subj,
                       &n_subj, &cap_subj);
        n_differ += !same_unskimmed(text, len, f, n);
        free(f);
        free(text);
        free(names[i]);
    }
    free(names);
    printf("# sotu: %zu files, %.1f MB, %zu figures, %.1f MB/s\n", n_names,
           (double)bytes / 1e6, n_fig, secs > 0 ? bytes / 1e6 / secs : 0);
    for (size_t u = 0; u < n_units; u++)
        printf("#   %-8s %6zu\n", units[u].unit, units[u].n);
    print_top_subjects(subj, n_subj);
    for (size_t i = 0; i < n_subj; i++)
        free(subj[i]);
    free(subj);
    CHECK(n_fig > 0);
    CHECK(n_differ == 0);
}

int
main(void)
{
    TEST(gold_precision_recall);
    if (sotu_dir())
        TEST(sotu);
    else
        printf("SKIP sotu (no corpus: set BRIEF_SOTU)\n");
    return check_report();
}
