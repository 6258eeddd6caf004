/*
 * brief-index: build or update a brief index.  Parses arguments, calls the
 * library (brief.h only), prints progress, warnings and the summary.
 */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brief.h"

static const char usage[] =
"usage: brief-index [options] PATH...\n"
"       brief-index [-d DIR] --remove PATH...\n"
"       brief-index [-d DIR] --stats | --check | --compact\n"
"\n"
"Index the UTF-8 text files under each PATH (files or directories, walked\n"
"recursively) so that brief-search can find them.  Re-running updates the\n"
"index: only files whose size, mtime or content changed are read again,\n"
"and documents whose files are gone from under PATH are removed.\n"
"Hidden directories and the index itself are skipped; binary files and\n"
"files that are not UTF-8 are skipped with a warning (and their old\n"
"documents removed).\n"
"\n"
"options:\n"
"  -d, --index DIR  the index directory (default: $BRIEF_INDEX, else\n"
"                   ./.brief); created when missing\n"
"      --lang LANG  stemming language of a new index (default english;\n"
"                   '--lang list' shows them all)\n"
"  -L, --follow     follow symbolic links (loops are detected)\n"
"  -q, --quiet      no progress line and no summary (warnings stay)\n"
"      --remove     remove the documents of the given files or directories\n"
"      --stats      print figures about the index\n"
"      --check      verify every invariant of the index; exit 2 on the\n"
"                   first violation\n"
"      --compact    merge the postings' segments and rewrite the index\n"
"                   without free pages (after many updates)\n"
"  -h, --help       this help\n"
"\n"
"examples:\n"
"  brief-index corpus/            index corpus/ into ./.brief\n"
"  brief-index -d /tmp/ix notes/  index notes/ into /tmp/ix\n"
"  brief-index --remove old.txt   drop one document\n"
"\n"
"Exit status: 0 when the run completed (warnings are not errors), 2 on\n"
"an error.\n";

typedef struct cli {
    bool quiet, tty;
    unsigned progress_len;
} cli;

static void
on_warn(void *ctx, const char *msg)
{
    cli *c = ctx;

    if (c->progress_len) {
        fprintf(stderr, "\r%*s\r", (int)c->progress_len, "");
        c->progress_len = 0;
    }
    fprintf(stderr, "brief-index: %s\n", msg);
}

static void
on_progress(void *ctx, const brief_progress *p)
{
    cli *c = ctx;
    double mb = (double)p->bytes_done / 1e6, total = p->bytes_total / 1e6;
    double rate = p->elapsed > 0 ? mb / p->elapsed : 0, eta;
    int n;

    if (c->quiet || !c->tty)
        return;
    eta = rate > 0 ? (total - mb) / rate : 0;
    n = fprintf(stderr, "\rindexing: %llu/%llu files, %.1f/%.1f MB, "
                "%.1f MB/s, ETA %d:%02d ",
                (unsigned long long)p->files_done,
                (unsigned long long)p->files_total, mb, total, rate,
                (int)eta / 60, (int)eta % 60);
    c->progress_len = n > 1 ? (unsigned)n - 1 : 0;
}

static int
print_stats(brief_index *ix)
{
    brief_stats st;
    int rc = brief_index_stats(ix, &st);

    if (rc)
        return rc;
    printf("documents      %llu\n", (unsigned long long)st.documents);
    printf("passages       %llu\n", (unsigned long long)st.passages);
    printf("terms          %llu\n", (unsigned long long)st.terms);
    printf("tokens         %llu\n", (unsigned long long)st.tokens);
    printf("text bytes     %llu\n", (unsigned long long)st.text_bytes);
    printf("bytes on disk  %llu\n", (unsigned long long)st.disk_bytes);
    printf("language       %s\n", st.language);
    printf("schema         %u\n", st.schema_version);
    return BRIEF_OK;
}

static int
run(brief_index *ix, cli *c, bool follow, bool remove, char **paths,
    int n_paths)
{
    brief_indexer_opts o = { follow, on_warn, on_progress, c };
    brief_indexer *w;
    brief_counts n;
    int rc;

    if ((rc = brief_indexer_new(&w, ix, &o)))
        return rc;
    for (int i = 0; i < n_paths && !rc; i++)
        rc = remove ? brief_indexer_remove(w, paths[i])
                    : brief_indexer_add_root(w, paths[i]);
    if (!rc)
        rc = brief_indexer_run(w, &n);
    brief_indexer_free(w);
    if (c->progress_len)
        fprintf(stderr, "\r%*s\r", (int)c->progress_len, "");
    if (!rc && !c->quiet)
        printf("added %llu, updated %llu, removed %llu, unchanged %llu\n",
               (unsigned long long)n.added, (unsigned long long)n.updated,
               (unsigned long long)n.removed,
               (unsigned long long)n.unchanged);
    return rc;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "index", required_argument, NULL, 'd' },
        { "lang", required_argument, NULL, 'l' },
        { "follow", no_argument, NULL, 'L' },
        { "quiet", no_argument, NULL, 'q' },
        { "remove", no_argument, NULL, 'r' },
        { "stats", no_argument, NULL, 's' },
        { "check", no_argument, NULL, 'c' },
        { "compact", no_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir_opt = NULL, *lang = NULL;
    bool follow = false, remove = false, stats = false, check = false;
    bool compact = false, write;
    cli c = { false, isatty(2), 0 };
    brief_index *ix = NULL;
    char *dir = NULL;
    int ch, rc;

#ifdef __GLIBC__
    /* Blocks of 128 KiB and more (a batch's arrays, a merge's values)
     * are mapped and unmapped, not carved from the heap: glibc's sliding
     * threshold kept them in the heap, and a long run held 50 MiB of freed
     * but resident fragments there (bench/PROFILE.md, 8x large/). */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    while ((ch = getopt_long(argc, argv, "d:Lqh", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': dir_opt = optarg; break;
        case 'l': lang = optarg; break;
        case 'L': follow = true; break;
        case 'q': c.quiet = true; break;
        case 'r': remove = true; break;
        case 's': stats = true; break;
        case 'c': check = true; break;
        case 'C': compact = true; break;
        case 'h': fputs(usage, stdout); return 0;
        default:
            fputs("Try 'brief-index --help'.\n", stderr);
            return 2;
        }
    }
    if (lang && strcmp(lang, "list") == 0) {
        for (const char **l = brief_languages(); *l; l++)
            puts(*l);
        return 0;
    }
    if ((stats || check || compact) && optind < argc) {
        fputs("brief-index: --stats, --check and --compact take no PATH\n"
              "Try 'brief-index --help'.\n", stderr);
        return 2;
    }
    if (!stats && !check && !compact && optind == argc) {
        fputs("brief-index: no PATH given (try 'brief-index .')\n"
              "Try 'brief-index --help'.\n", stderr);
        return 2;
    }
    if (brief_index_locate(&dir, dir_opt, false)) {
        fputs("brief-index: out of memory\n", stderr);
        return 2;
    }
    write = !stats && !check;
    rc = brief_index_open(&ix, dir, write ? BRIEF_OPEN_WRITE |
                          (remove || compact ? 0 : BRIEF_OPEN_CREATE) :
                          BRIEF_OPEN_READ | BRIEF_OPEN_NO_WRITER, lang);
    if (!rc && stats)
        rc = print_stats(ix);
    if (!rc && check) {
        rc = brief_index_check(ix);
        if (!rc && !c.quiet)
            printf("%s: index is consistent\n", dir);
    }
    if (!rc && compact)
        rc = brief_index_compact(ix);
    if (!rc && optind < argc)
        rc = run(ix, &c, follow, remove, argv + optind, argc - optind);
    if (rc)
        fprintf(stderr, "brief-index: %s\n", *brief_errmsg(ix) ?
                brief_errmsg(ix) : brief_strerror(rc));
    brief_index_close(ix);
    free(dir);
    return rc ? 2 : 0;
}
