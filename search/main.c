/*
 * brief-search: query a brief index.  Parses arguments, runs the search
 * through the library (brief.h only) and prints hits with a printer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "brief.h"

static const char usage[] =
"usage: brief-search [options] [--] QUERY...\n"
"       brief-search [options] -e REGEX [-e REGEX]... [QUERY...]\n"
"       brief-search --figures [--unit U] [--min X] [--max X] [QUERY...]\n"
"\n"
"Search the index for passages that match QUERY (several arguments are\n"
"joined with spaces) and print the best first, each cited as\n"
"path:line:col.  Words are stemmed: 'stations' also finds 'station'.\n"
"\n"
"query language (operators in upper case only):\n"
"  5G base stations      all words must match (AND may be written)\n"
"  yuan OR dollars       either word\n"
"  GDP NOT yuan, GDP -yuan   exclude passages with a word\n"
"  (a OR b) c            grouping; OR binds looser than AND\n"
"  \"base stations\"       an exact phrase (stemmed words, in order)\n"
"  immigra*              a prefix of words as written\n"
"  GDP NEAR/5 yuan       at most 5 words apart in one passage (NEAR: 10)\n"
"  path:corpus/*.txt     only documents whose path matches the glob\n"
"  fig:yuan, fig:>1e5, fig:20..40%   a figure in that unit or range\n"
"  re:/[0-9.]+ trillion/ a PCRE2 match in the passage (re:/.../i: caseless)\n"
"\n"
"regex search (-e): PCRE2 patterns over the stored text, UTF-aware, line\n"
"by line like grep; every match is printed, in document and line order.\n"
"With a QUERY only the passages matching it are searched:\n"
"  brief-search -e '[0-9.]+ trillion' GDP\n"
"\n"
"figures (--figures): the figures in the passages that match QUERY (all\n"
"when there is none), as path:line:col: VALUE UNIT [qualifier] \"text\" -- subject\n"
"  brief-search --figures --unit yuan --min '1 trillion'\n"
"  brief-search --figures --min 30% GDP\n"
"\n"
"options:\n"
"  -d, --index DIR   the index (default: $BRIEF_INDEX, else the nearest\n"
"                    .brief in this directory or a parent)\n"
"  -n, --max-count N  print at most N hits (default 10; with -e: N matches,\n"
"                    default all)\n"
"  -e, --regexp RE   a PCRE2 pattern (repeatable: any may match)\n"
"  -i, --ignore-case  -e: match case-insensitively\n"
"  -w, --word-regexp  -e: matches must be whole words\n"
"  -U, --multiline   -e: matches may cross line breaks\n"
"      --passage     -e: print each match's passage, not its line\n"
"      --full-scan   -e: search all of every document, not only the zones the\n"
"                    trigram index keeps (same answer, slower; to check it)\n"
"      --threads N   -e: scan with N threads (default 0: one per processor,\n"
"                    at most 8, over 8 MB of text; 1: no helpers); same output\n"
"      --figures     list figures instead of passages\n"
"      --unit U      --figures: only in this unit (percent, CNY, yuan, USD, $,\n"
"                    year, years, rank, count, ...)\n"
"      --min X, --max X  --figures: value bounds (1e6, 465,000, 3.38 million,\n"
"                    40 trillion, 30%)\n"
"      --sort KEY    --figures: doc (default) or value\n"
"      --json        JSON Lines: one object per hit, then a summary\n"
"      --vimgrep     path:line:col:line, one line per match (Vim, Emacs)\n"
"      --color WHEN  never, always or auto (default: on a terminal, not\n"
"                    inside Emacs, not with NO_COLOR set)\n"
"  -v, --verbose     also print each hit's BM25 score\n"
"      --explain     print how the query was parsed and stemmed\n"
"      --serve       answer JSON requests, one a line, on stdin; reply in\n"
"                    JSON Lines on stdout (docs/PROTOCOL.md)\n"
"  -h, --help        this help\n"
"\n"
"Exit status: 0 when something was found, 1 when nothing was, 2 on an\n"
"error (a bad query: 'query:1:COL: message').\n";

/* The -e patterns.  File scope: the option errors below return at once,
 * and the array stays reachable until exit. */
static const char **patterns;

static void
warn(void *ctx, const char *msg)
{
    (void)ctx;
    fflush(stdout);
    fprintf(stderr, "brief-search: %s\n", msg);
}

/* --serve: a read-write handle when allowed ("index" requests need it),
 * else read-only. */
static int
run_server(const char *dir_opt)
{
    brief_index *ix = NULL;
    char *dir = NULL;
    int rc = brief_index_locate(&dir, dir_opt, true);

    if (rc == BRIEF_ENOINDEX) {
        fputs("brief-search: no .brief index in this directory or a parent"
              " (create one with brief-index, or give -d DIR)\n", stderr);
        return 2;
    }
    if (!rc && brief_index_open(&ix, dir, BRIEF_OPEN_WRITE, NULL)) {
        brief_index_close(ix);
        rc = brief_index_open(&ix, dir, BRIEF_OPEN_READ, NULL);
    }
    if (!rc)
        rc = brief_serve(ix, stdin, stdout);
    if (rc)
        fprintf(stderr, "brief-search: %s\n", ix && *brief_errmsg(ix) ?
                brief_errmsg(ix) : brief_strerror(rc));
    brief_index_close(ix);
    free(dir);
    return rc ? 2 : 0;
}

static char *
join(int argc, char **argv)
{
    size_t n = 1;
    char *q;

    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    if (!(q = malloc(n)))
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

static unsigned
term_width(void)
{
    struct winsize ws;
    const char *cols = getenv("COLUMNS");

    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    if (cols && atoi(cols) > 20)
        return (unsigned)atoi(cols);
    return 80;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "index", required_argument, NULL, 'd' },
        { "max-count", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },
        { "vimgrep", no_argument, NULL, 'g' },
        { "color", required_argument, NULL, 'c' },
        { "colour", required_argument, NULL, 'c' },
        { "verbose", no_argument, NULL, 'v' },
        { "explain", no_argument, NULL, 'x' },
        { "regexp", required_argument, NULL, 'e' },
        { "ignore-case", no_argument, NULL, 'i' },
        { "word-regexp", no_argument, NULL, 'w' },
        { "multiline", no_argument, NULL, 'U' },
        { "passage", no_argument, NULL, 'p' },
        { "figures", no_argument, NULL, 'F' },
        { "full-scan", no_argument, NULL, 'S' },
        { "threads", required_argument, NULL, 'J' },
        { "serve", no_argument, NULL, 'E' },
        { "unit", required_argument, NULL, 'u' },
        { "min", required_argument, NULL, 'm' },
        { "max", required_argument, NULL, 'M' },
        { "sort", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir_opt = NULL, *color = "auto";
    brief_format fmt = BRIEF_FORMAT_TEXT;
    brief_search_opts so = { 0 };
    brief_regex_opts ro = { 0 };
    brief_figure_opts fo = { 0 };
    size_t n_patterns = 0;
    brief_figures *fl = NULL;
    const brief_figure *fig;
    bool figures = false, serve = false;

    brief_print_opts po = { 0 };
    bool explain = false, tty = isatty(1);
    brief_index *ix = NULL;
    brief_search *s = NULL;
    brief_printer *pr = NULL;
    const brief_hit *hit;
    struct timespec t0, t1;
    char *dir = NULL, *query = NULL, *end;
    uint64_t n_hits = 0;
    bool limited = false;
    int ch, rc;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!(patterns = calloc((size_t)argc, sizeof *patterns))) {
        fputs("brief-search: out of memory\n", stderr);
        return 2;
    }
    while ((ch = getopt_long(argc, argv, "+d:n:e:iwUvh", opts, NULL)) !=
           -1) {
        switch (ch) {
        case 'd': dir_opt = optarg; break;
        case 'n':
            so.limit = strtoul(optarg, &end, 10);
            if (*end || *optarg < '0' || *optarg > '9' || so.limit == 0) {
                fprintf(stderr, "brief-search: -n needs a positive number, "
                        "not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'j': fmt = BRIEF_FORMAT_JSON; break;
        case 'g': fmt = BRIEF_FORMAT_VIMGREP; break;
        case 'c': color = optarg; break;
        case 'v': po.show_score = true; break;
        case 'x': explain = true; break;
        case 'e': patterns[n_patterns++] = optarg; break;
        case 'i': ro.caseless = true; break;
        case 'w': ro.whole_word = true; break;
        case 'U': ro.multiline = true; break;
        case 'p': ro.by_passage = true; break;
        case 'F': figures = true; break;
        case 'S': ro.full_scan = true; break;
        case 'J':
            ro.threads = (unsigned)strtoul(optarg, &end, 10);
            if (*end || *optarg < '0' || *optarg > '9' || ro.threads > 64) {
                fprintf(stderr, "brief-search: --threads needs a number from"
                        " 0 (automatic) to 64, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'E': serve = true; break;
        case 'u': fo.unit = optarg; break;
        case 'm': fo.min = optarg; break;
        case 'M': fo.max = optarg; break;
        case 's':
            if (strcmp(optarg, "value") && strcmp(optarg, "doc")) {
                fprintf(stderr, "brief-search: --sort takes doc or value, "
                        "not '%s'\n", optarg);
                return 2;
            }
            fo.sort_by_value = strcmp(optarg, "value") == 0;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default:
            fputs("Try 'brief-search --help'.\n", stderr);
            return 2;
        }
    }
    if (strcmp(color, "always") == 0) {
        po.color = true;
    } else if (strcmp(color, "auto") == 0) {
        /* Emacs runs M-x grep on a terminal but parses the text before
         * it removes colours: stay plain inside Emacs. */
        const char *term = getenv("TERM");
        po.color = tty && !getenv("NO_COLOR") && !getenv("INSIDE_EMACS") &&
                   term && strcmp(term, "dumb") != 0;
    } else if (strcmp(color, "never") != 0) {
        fprintf(stderr, "brief-search: --color takes never, always or auto,"
                " not '%s'\n", color);
        return 2;
    }
    if (fmt == BRIEF_FORMAT_JSON)
        po.color = false;
    po.lines = n_patterns && !ro.by_passage;
    if (fmt == BRIEF_FORMAT_TEXT && tty && !po.lines)
        po.wrap = term_width();
    if (serve)
        return run_server(dir_opt);
    if (optind == argc && !n_patterns && !figures) {
        fputs("brief-search: no QUERY given\n"
              "Try 'brief-search --help'.\n", stderr);
        return 2;
    }
    if (!(query = join(argc - optind, argv + optind))) {
        fputs("brief-search: out of memory\n", stderr);
        return 2;
    }
    rc = brief_index_locate(&dir, dir_opt, true);
    if (rc == BRIEF_ENOINDEX) {
        fputs("brief-search: no .brief index in this directory or a parent"
              " (create one with brief-index, or give -d DIR)\n", stderr);
        free(query);
        return 2;
    }
    if (!rc)
        rc = brief_index_open(&ix, dir, BRIEF_OPEN_READ |
                              BRIEF_OPEN_NO_WRITER, NULL);
    ro.limit = so.limit;
    ro.query = query;
    ro.warn = warn;
    fo.query = query;
    fo.patterns = patterns;
    fo.n_patterns = n_patterns;
    fo.caseless = ro.caseless;
    fo.whole_word = ro.whole_word;
    fo.limit = so.limit;
    if (!rc && figures)
        rc = brief_figures_new(&fl, ix, &fo);
    else if (!rc && n_patterns)
        rc = brief_regex_new(&s, ix, patterns, n_patterns, &ro);
    else if (!rc)
        rc = brief_search_new(&s, ix, query, &so);
    if (!rc)
        rc = brief_printer_new(&pr, stdout, fmt, &po);
    /* --explain goes to stderr with --json, so stdout stays JSON Lines. */
    if (!rc && explain)
        fprintf(fmt == BRIEF_FORMAT_JSON ? stderr : stdout,
                fl ? "figures: %s\n" : "%s", fl ? brief_figures_explain(fl)
                                                 : brief_search_explain(s));
    while (!rc && fl && (rc = brief_figures_next(fl, &fig)) == BRIEF_OK) {
        rc = brief_printer_figure(pr, fig);
        n_hits++;
    }
    while (!rc && s && (rc = brief_search_next(s, &hit)) == BRIEF_OK) {
        rc = brief_printer_hit(pr, hit);
        n_hits++;
    }
    if (rc == BRIEF_DONE)
        rc = BRIEF_OK;
    if (!rc && s && (rc = brief_search_status(s)) == BRIEF_ELIMIT)
        limited = true;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* No hits: nothing at all is printed, as grep does (and the issue). */
    if ((!rc || limited) && n_hits)
        brief_printer_end(pr, n_hits, s ? brief_search_count(s) : n_hits,
                               (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 +
                                          (t1.tv_nsec - t0.tv_nsec) / 1000));
    if (limited)
        ;                       /* each file was named by warn() */
    else if (rc == BRIEF_EIO && pr && !*brief_errmsg(ix))
        fputs("brief-search: write error\n", stderr);
    else if (rc)
        fprintf(stderr, "brief-search: %s\n", ix && *brief_errmsg(ix) ?
                brief_errmsg(ix) : brief_strerror(rc));
    brief_printer_free(pr);
    brief_search_free(s);
    brief_figures_free(fl);
    brief_index_close(ix);
    free(dir);
    free(query);
    free(patterns);
    return rc ? 2 : n_hits ? 0 : 1;
}
