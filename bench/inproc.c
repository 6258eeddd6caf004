/*
 * inproc.c: in-process query latency of brief through its public C API.
 *
 * Runs every query of a list ROUNDS times (round-robin, after one untimed
 * warm-up round; the keyword queries in one loop, then the figure
 * look-ups in another) on one open index, reading each hit's citation and
 * passage text as a printer would, and prints latency percentiles.  It
 * includes nothing of brief but include/brief.h (the zstd rule).
 *
 * usage: inproc INDEX ROUNDS FILE
 * FILE has one query a line, TAB-separated:
 *   k ID QUERY               a keyword query (brief_search_new, 10 hits)
 *   f ID UNIT MIN MAX        a figure look-up (brief_figures_new); "-"
 *                            for a field that is not set
 * Output, one TSV line per query and one "ALL" line over every keyword
 * query timing:  ID n p50_us p99_us min_us max_us hits
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brief.h"

#define MAX_QUERIES 256

typedef struct query {
    char kind;                 /* 'k' or 'f' */
    char *id, *text;           /* text: the keyword query */
    char *unit, *min, *max;    /* figure look-ups; NULL when "-" */
    double *us;                /* ROUNDS timings */
    unsigned long hits;        /* hits of the last run */
} query;

/* A checksum over what a printer reads, so that no read is optimised
 * away; its value is meaningless. */
static unsigned long sink;

static double
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static unsigned long
touch(const char *s, size_t len)
{
    unsigned long h = len, w;
    size_t i = 0;

    /* A word at a time, as fwrite's memcpy reads: a byte-serial hash
     * (h * 31 + c, 4 cycles a byte) cost more than a printer would and
     * was a sixth of a rare term's measured time. */
    for (; i + sizeof w <= len; i += sizeof w) {
        memcpy(&w, s + i, sizeof w);
        h += w;
    }
    for (; i < len; i++)
        h += (unsigned char)s[i];
    return h;
}

/* Run one keyword query to the end; returns a status, *hits the count. */
static int
run_keyword(brief_index *ix, const char *text, unsigned long *hits)
{
    brief_search *s = NULL;
    const brief_hit *hit;
    int rc;

    *hits = 0;
    rc = brief_search_new(&s, ix, text, NULL);
    while (rc == BRIEF_OK && (rc = brief_search_next(s, &hit)) == BRIEF_OK) {
        sink += touch(hit->path, strlen(hit->path)) + hit->line +
                hit->column;
        sink += touch(hit->passage.text, hit->passage.text_len);
        (*hits)++;
    }
    brief_search_free(s);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

static int
run_figures(brief_index *ix, const query *q, unsigned long *hits)
{
    brief_figure_opts o = { 0 };
    brief_figures *f = NULL;
    const brief_figure *fig;
    int rc;

    o.unit = q->unit;
    o.min = q->min;
    o.max = q->max;
    *hits = 0;
    rc = brief_figures_new(&f, ix, &o);
    while (rc == BRIEF_OK && (rc = brief_figures_next(f, &fig)) == BRIEF_OK) {
        sink += touch(fig->path, strlen(fig->path)) + fig->line +
                fig->column + (unsigned long)fig->value;
        sink += touch(fig->text, fig->text_len);
        (*hits)++;
    }
    brief_figures_free(f);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n-1], p in (0, 100]. */
static double
percentile(const double *v, size_t n, double p)
{
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

    if (rank < 1)
        rank = 1;
    return v[rank > n ? n - 1 : rank - 1];
}

static void
report(const char *id, double *v, size_t n, unsigned long hits)
{
    qsort(v, n, sizeof *v, cmp_double);
    printf("%s\t%zu\t%.2f\t%.2f\t%.2f\t%.2f\t%lu\n", id, n,
           percentile(v, n, 50), percentile(v, n, 99), v[0], v[n - 1],
           hits);
}

static char *
field(char **line)
{
    char *f = *line, *tab;

    if (!f)
        return NULL;
    tab = strchr(f, '\t');
    if (tab) {
        *tab = '\0';
        *line = tab + 1;
    } else {
        *line = NULL;
    }
    return f;
}

static char *
opt_field(char **line)
{
    char *f = field(line);

    return f && strcmp(f, "-") ? f : NULL;
}

/* Read FILE into q[]; returns the count, or -1 with a message. */
static int
load(const char *path, query *q, char *buf, size_t buf_len)
{
    FILE *fp = fopen(path, "r");
    int n = 0;

    if (!fp) {
        perror(path);
        return -1;
    }
    while (n < MAX_QUERIES && fgets(buf, (int)buf_len, fp)) {
        char *line, *kind;
        size_t len = strlen(buf);

        if (len && buf[len - 1] == '\n')
            buf[--len] = '\0';
        if (!len || buf[0] == '#')
            continue;
        if (!(line = strdup(buf)))
            break;
        kind = field(&line);
        q[n].kind = kind[0];
        q[n].id = field(&line);
        if (q[n].kind == 'k') {
            q[n].text = field(&line);
        } else {
            q[n].unit = opt_field(&line);
            q[n].min = opt_field(&line);
            q[n].max = opt_field(&line);
        }
        if (!q[n].id || (q[n].kind == 'k' && !q[n].text)) {
            fprintf(stderr, "%s: bad line '%s'\n", path, buf);
            fclose(fp);
            return -1;
        }
        n++;
    }
    fclose(fp);
    return n;
}

int
main(int argc, char **argv)
{
    static query q[MAX_QUERIES];
    static char buf[4096];
    brief_index *ix = NULL;
    double *all = NULL;
    size_t n_all = 0;
    unsigned long total_hits = 0;
    long rounds;
    int n, rc = 0;

    if (argc != 4 || (rounds = strtol(argv[2], NULL, 10)) < 1) {
        fputs("usage: inproc INDEX ROUNDS FILE\n", stderr);
        return 2;
    }
    if ((n = load(argv[3], q, buf, sizeof buf)) <= 0)
        return 2;
    rc = brief_index_open(&ix, argv[1], BRIEF_OPEN_READ, NULL);
    if (rc) {
        fprintf(stderr, "inproc: %s\n", ix ? brief_errmsg(ix)
                                           : brief_strerror(rc));
        brief_index_close(ix);
        return 2;
    }
    bool oom = !(all = calloc((size_t)(rounds * n), sizeof *all));
    for (int i = 0; i < n; i++)
        oom |= !(q[i].us = calloc((size_t)rounds, sizeof *q[i].us));
    if (oom) {
        fputs("inproc: out of memory\n", stderr);
        return 2;
    }
    /* Keyword queries first, in a loop of their own as the peers' loops
     * are; then the figure look-ups.  Interleaved, a figure look-up of a
     * few milliseconds evicted the keyword queries' pages from the CPU's
     * caches, and their p50 on large/ rose from 84 to 126 us. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        char kind = pass == 0 ? 'k' : 'f';

        for (long r = -1; r < rounds && !rc; r++) {
            for (int i = 0; i < n && !rc; i++) {
                double t0;

                if (q[i].kind != kind)
                    continue;
                t0 = now_us();
                rc = kind == 'k' ? run_keyword(ix, q[i].text, &q[i].hits)
                                 : run_figures(ix, &q[i], &q[i].hits);
                if (r < 0)
                    continue;
                q[i].us[r] = now_us() - t0;
                if (kind == 'k')
                    all[n_all++] = q[i].us[r];
            }
        }
    }
    if (rc) {
        fprintf(stderr, "inproc: %s\n", brief_errmsg(ix));
        brief_index_close(ix);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        report(q[i].id, q[i].us, (size_t)rounds, q[i].hits);
        if (q[i].kind == 'k')
            total_hits += q[i].hits;
    }
    if (n_all)
        report("ALL", all, n_all, total_hits);
    printf("# checksum %lu\n", sink);
    brief_index_close(ix);
    return 0;
}
