/*
 * test_api.c: the public API as an embedding program sees it, through
 * brief.h alone: NULL-safe frees, borrowed pointers, errors and their
 * offsets, buffers held in memory, removal, regex and figure iteration,
 * two handles in one process, and readers in threads while a writer
 * re-indexes.  Every test builds its own index in a temporary directory.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brief.h"
#include "../unit/check.h"

static char dir[64], ixdir[96];

static void
put(const char *name, const char *text)
{
    char path[160];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f) {
        printf("FAIL cannot write %s\n", path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* Index the whole directory with handle w; counts may be NULL. */
static int
reindex(brief_index *w, brief_counts *counts)
{
    brief_indexer *x;
    int rc = brief_indexer_new(&x, w, NULL);

    if (rc)
        return rc;
    rc = brief_indexer_add_root(x, dir);
    if (!rc)
        rc = brief_indexer_run(x, counts);
    brief_indexer_free(x);
    return rc;
}

/* Number of hits of a keyword query (-1 on an error). */
static long
count_hits(brief_index *ix, const char *query)
{
    brief_search_opts o = { 100 };
    brief_search *s;
    const brief_hit *h;
    long n = 0;
    int rc;

    if (brief_search_new(&s, ix, query, &o) != BRIEF_OK)
        return -1;
    while ((rc = brief_search_next(s, &h)) == BRIEF_OK)
        n++;
    brief_search_free(s);
    return rc == BRIEF_DONE ? n : -1;
}

static bool
has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Build the three-document index most tests start from. */
static void
setup(void)
{
    brief_index *w;

    put("a.txt", "The zebra crossing is striped.\n\nA second paragraph "
        "about zebra herds.\n");
    put("b.txt", "Output grew to 40 trillion yuan, about 31.7% of GDP.\n"
        "The zebra count rose by 3.38 million.\n");
    put("c.txt", "Nothing to see here.\n");
    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE |
                              BRIEF_OPEN_CREATE, NULL));
    CHECK_RC(reindex(w, NULL));
    brief_index_close(w);
}

/* Every destroy function accepts NULL; statuses have static names. */
static void
test_null_and_strerror(void)
{
    brief_index_close(NULL);
    brief_indexer_free(NULL);
    brief_search_free(NULL);
    brief_figures_free(NULL);
    brief_printer_free(NULL);
    CHECK(strcmp(brief_strerror(BRIEF_OK), "") != 0);
    CHECK(strcmp(brief_strerror(12345), "unknown status") == 0);
    CHECK(strcmp(brief_strerror(-12345), "unknown status") == 0);
    for (int rc = BRIEF_ELIMIT; rc <= BRIEF_DONE; rc++) {
        CHECK(brief_strerror(rc) != NULL);
        CHECK(strcmp(brief_strerror(rc), "unknown status") != 0);
    }
    CHECK(BRIEF_VERSION_MAJOR >= 0 && BRIEF_VERSION_MINOR >= 0);
    {
        const char **langs = brief_languages();
        bool english = false;
        for (size_t i = 0; langs && langs[i]; i++)
            english |= strcmp(langs[i], "english") == 0;
        CHECK(english);
    }
}

/* Opening: a missing index, an unknown language, a read-only handle
 * asked to compact, brief_index_locate with an explicit directory. */
static void
test_open_errors(void)
{
    brief_index *ix = NULL;
    char missing[128], *found = NULL;

    snprintf(missing, sizeof missing, "%s/no-such-index", dir);
    CHECK(brief_index_open(&ix, missing, BRIEF_OPEN_READ, NULL) ==
          BRIEF_ENOINDEX);
    CHECK(ix != NULL);
    if (ix) {
        CHECK(strstr(brief_errmsg(ix), "no-such-index") != NULL);
        CHECK(brief_erroffset(ix) == -1);
    }
    brief_index_close(ix);

    ix = NULL;
    CHECK(brief_index_open(&ix, missing, BRIEF_OPEN_WRITE |
                           BRIEF_OPEN_CREATE, "klingon") == BRIEF_EINVAL);
    if (ix)
        CHECK(strstr(brief_errmsg(ix), "klingon") != NULL);
    brief_index_close(ix);
    CHECK(access(missing, F_OK) != 0);  /* nothing was created */

    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK(strcmp(brief_errmsg(ix), "") == 0);
    CHECK(brief_index_compact(ix) == BRIEF_EINVAL);
    CHECK(strcmp(brief_errmsg(ix), "") != 0);
    brief_index_close(ix);

    CHECK_RC(brief_index_locate(&found, ixdir, true));
    CHECK(found && strcmp(found, ixdir) == 0);
    free(found);
}

/* A bad query: BRIEF_ESYNTAX, a "query:1:COL:" message and the byte
 * offset; a bad pattern the same with "regex:1:COL:"; a bad amount or
 * unit BRIEF_EINVAL.  Then a good search on the same handle works. */
static void
test_errors(void)
{
    brief_index *ix;
    brief_search *s = NULL;
    brief_figures *f = NULL;
    brief_figure_opts fo = { 0 };
    const char *pat = "ab(c";

    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK(brief_search_new(&s, ix, "zebra (crossing", NULL) ==
          BRIEF_ESYNTAX);
    CHECK(s == NULL);
    CHECK(has_prefix(brief_errmsg(ix), "query:1:7: "));
    CHECK(strstr(brief_errmsg(ix), "parenthesis") != NULL);
    CHECK(brief_erroffset(ix) == 6);

    CHECK(brief_search_new(&s, ix, "zebra OR", NULL) == BRIEF_ESYNTAX);
    CHECK(has_prefix(brief_errmsg(ix), "query:1:"));
    CHECK(brief_erroffset(ix) >= 0 && brief_erroffset(ix) <= 8);

    CHECK(brief_regex_new(&s, ix, &pat, 1, NULL) == BRIEF_ESYNTAX);
    CHECK(has_prefix(brief_errmsg(ix), "regex:1:5: "));
    CHECK(brief_erroffset(ix) == 4);

    fo.min = "lots";
    CHECK(brief_figures_new(&f, ix, &fo) == BRIEF_EINVAL);
    CHECK(f == NULL);
    CHECK(strstr(brief_errmsg(ix), "cannot read 'lots'") != NULL);
    CHECK(brief_erroffset(ix) == -1);
    fo.min = NULL;
    fo.unit = "furlongs";
    CHECK(brief_figures_new(&f, ix, &fo) == BRIEF_EINVAL);
    CHECK(strstr(brief_errmsg(ix), "furlongs") != NULL);

    CHECK(count_hits(ix, "zebra") == 3);
    brief_index_close(ix);
}

/* What a hit says agrees with itself: the passage is a slice of the
 * document, each match a slice of the passage spelling word (or other,
 * when not NULL). */
static bool
is_word(const char *text, size_t len, const char *word)
{
    return word && len == strlen(word) && strncasecmp(text, word, len) == 0;
}

static bool
hit_consistent(const brief_hit *h, const char *word, const char *other)
{
    if (h->passage.byte_end > h->doc_len ||
        h->passage.text != h->doc_text + h->passage.byte_start ||
        h->passage.text_len != h->passage.byte_end - h->passage.byte_start)
        return false;
    for (size_t i = 0; i < h->n_matches; i++) {
        const brief_match *m = &h->matches[i];
        if (m->byte_start < h->passage.byte_start ||
            m->byte_end > h->passage.byte_end ||
            !(is_word(h->doc_text + m->byte_start,
                      m->byte_end - m->byte_start, word) ||
              is_word(h->doc_text + m->byte_start,
                      m->byte_end - m->byte_start, other)))
            return false;
    }
    return h->n_matches == 0 || (h->byte_start == h->matches[0].byte_start &&
                                 h->line == h->matches[0].line &&
                                 h->column == h->matches[0].column);
}

/* Borrowed pointers: a hit stays valid while other searches and figure
 * listings run on the same handle, until the next call on its own
 * search.  Ranked order, paths, positions. */
static void
test_borrowed_hits(void)
{
    brief_index *ix;
    brief_search *s, *s2;
    brief_figures *f;
    const brief_hit *h, *h2;
    const brief_figure *fig;
    char *path, *text;
    size_t text_len;
    double last = 1e300;
    int n = 0, rc;

    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK_RC(brief_search_new(&s, ix, "zebra", NULL));
    CHECK(brief_search_count(s) == 3);
    CHECK(brief_search_explain(s) != NULL &&
          strstr(brief_search_explain(s), "zebra") != NULL);
    CHECK_RC(brief_search_next(s, &h));
    path = strdup(h->path);
    text = malloc(h->passage.text_len);
    memcpy(text, h->passage.text, h->passage.text_len);
    text_len = h->passage.text_len;

    /* Another search and a figure listing on the same handle. */
    CHECK_RC(brief_search_new(&s2, ix, "yuan OR zebra", NULL));
    while (brief_search_next(s2, &h2) == BRIEF_OK)
        CHECK(hit_consistent(h2, "yuan", "zebra"));
    brief_search_free(s2);
    CHECK_RC(brief_figures_new(&f, ix, NULL));
    while (brief_figures_next(f, &fig) == BRIEF_OK)
        ;
    brief_figures_free(f);

    CHECK(strcmp(h->path, path) == 0);
    CHECK(h->passage.text_len == text_len &&
          memcmp(h->passage.text, text, text_len) == 0);
    CHECK(hit_consistent(h, "zebra", NULL));
    do {
        char want[200];
        snprintf(want, sizeof want, "%s/", dir);
        CHECK(has_prefix(h->abs_path, want));
        CHECK(strcmp(h->abs_path + strlen(dir), "/a.txt") == 0 ||
              strcmp(h->abs_path + strlen(dir), "/b.txt") == 0);
        CHECK(strcmp(h->path + strlen(h->path) - 5,
                     h->abs_path + strlen(h->abs_path) - 5) == 0);
        CHECK(h->score > 0 && h->score <= last);
        CHECK(!h->stale);
        CHECK(h->line >= 1 && h->column >= 1);
        CHECK(h->column_char == h->column && h->column_utf16 == h->column);
        CHECK(h->end_line == h->line && h->end_column == h->column + 5);
        CHECK(h->byte_end == h->byte_start + 5);
        last = h->score;
        n++;
    } while ((rc = brief_search_next(s, &h)) == BRIEF_OK);
    CHECK(rc == BRIEF_DONE);
    CHECK(n == 3);
    CHECK(brief_search_status(s) == BRIEF_OK);
    brief_search_free(s);
    free(path);
    free(text);
    brief_index_close(ix);
}

/* A buffer indexed from memory is a document under its name: only len
 * bytes are read, it is found, and it replaces a same-named document.
 * Binary and non-UTF-8 buffers are skipped with a warning. */
static char warned[512];

static void
note_warning(void *ctx, const char *msg)
{
    (void)ctx;
    snprintf(warned, sizeof warned, "%s", msg);
}

static void
test_buffer(void)
{
    brief_indexer_opts o = { false, note_warning, NULL, NULL };
    brief_index *w;
    brief_indexer *x;
    brief_counts n;
    brief_search *s;
    const brief_hit *h = NULL;
    char want[200];
    const char text[] = "unsaved okapi notes\nsecond line okapiXXXX";

    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK_RC(brief_indexer_new(&x, w, &o));
    /* Only the first 37 bytes: "...second line okapi". */
    CHECK_RC(brief_indexer_add_buffer(x, "mem/notes.txt", text, 37));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.added == 1 && n.updated == 0 && n.skipped == 0);

    CHECK_RC(brief_search_new(&s, w, "okapi", NULL));
    CHECK(brief_search_next(s, &h) == BRIEF_OK);
    if (h) {
        snprintf(want, sizeof want, "%s/mem/notes.txt", dir);
        CHECK(strcmp(h->abs_path, want) == 0);
        CHECK(h->doc_len == 37 && memcmp(h->doc_text, text, 37) == 0);
        CHECK(h->n_matches == 2);
        CHECK(h->line == 1 && h->column == 9);
        if (h->n_matches == 2)
            CHECK(h->matches[1].line == 2 && h->matches[1].column == 13 &&
                  h->matches[1].end_column == 18);
    }
    brief_search_free(s);
    CHECK(count_hits(w, "okapixxxx") == 0);

    /* The same name again: the document is replaced, not added. */
    CHECK_RC(brief_indexer_new(&x, w, &o));
    CHECK_RC(brief_indexer_add_buffer(x, "mem/notes.txt", "now about "
                                      "ibex only\n", 20));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.updated == 1 && n.added == 0);
    CHECK(count_hits(w, "okapi") == 0);
    CHECK(count_hits(w, "ibex") == 1);

    /* Unchanged text: unchanged. */
    CHECK_RC(brief_indexer_new(&x, w, &o));
    CHECK_RC(brief_indexer_add_buffer(x, "mem/notes.txt", "now about "
                                      "ibex only\n", 20));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.unchanged == 1 && n.updated == 0 && n.added == 0);

    /* A NUL byte or bytes that are not UTF-8: skipped, with a warning. */
    warned[0] = '\0';
    CHECK_RC(brief_indexer_new(&x, w, &o));
    CHECK_RC(brief_indexer_add_buffer(x, "mem/bin.txt", "ab\0cd", 5));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.skipped == 1 && n.added == 0);
    CHECK(strstr(warned, "mem/bin.txt") != NULL);
    warned[0] = '\0';
    CHECK_RC(brief_indexer_new(&x, w, &o));
    CHECK_RC(brief_indexer_add_buffer(x, "mem/latin1.txt", "caf\351 ibex",
                                      9));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.skipped == 1 && n.added == 0);
    CHECK(strstr(warned, "mem/latin1.txt") != NULL &&
          strstr(warned, "UTF-8") != NULL);
    CHECK(count_hits(w, "ibex") == 1);
    CHECK_RC(brief_index_check(w));
    brief_index_close(w);
}

/* Removing a document: by its file name, and by a directory. */
static void
test_remove(void)
{
    brief_index *w;
    brief_indexer *x;
    brief_counts n;
    brief_stats before, after;
    char path[200];

    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK_RC(brief_index_stats(w, &before));
    CHECK(count_hits(w, "ibex") == 1);
    CHECK_RC(brief_indexer_new(&x, w, NULL));
    snprintf(path, sizeof path, "%s/mem", dir);
    CHECK_RC(brief_indexer_remove(x, path));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.removed == 1);
    CHECK(count_hits(w, "ibex") == 0);

    CHECK(count_hits(w, "see") == 1);
    CHECK_RC(brief_indexer_new(&x, w, NULL));
    snprintf(path, sizeof path, "%s/c.txt", dir);
    CHECK_RC(brief_indexer_remove(x, path));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.removed == 1);
    CHECK(count_hits(w, "see") == 0);
    CHECK_RC(brief_index_stats(w, &after));
    CHECK(after.documents == before.documents - 2);
    CHECK(strcmp(after.language, "english") == 0);
    CHECK_RC(brief_index_check(w));
    /* c.txt is back for the tests after this one. */
    CHECK_RC(reindex(w, &n));
    CHECK(n.added == 1 && n.unchanged == 2);
    brief_index_close(w);
}

/* Regex search: several patterns, document and line order, every match,
 * the limit counting matches, caseless, a keyword filter. */
static void
test_regex(void)
{
    brief_index *ix;
    brief_search *s;
    const brief_hit *h = NULL;
    brief_regex_opts o = { 0 };
    const char *pats[] = { "zebra \\w+", "[0-9.]+ trillion" };
    char seen[512] = "";
    int rc;

    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK_RC(brief_regex_new(&s, ix, pats, 2, &o));
    while ((rc = brief_search_next(s, &h)) == BRIEF_OK) {
        char one[128];
        CHECK(h->score == 0);
        CHECK(h->n_matches >= 1);
        snprintf(one, sizeof one, "%s:%u:%u", strrchr(h->path, '/') ?
                 strrchr(h->path, '/') + 1 : h->path, h->line, h->column);
        for (size_t i = 0; i < h->n_matches; i++)
            snprintf(one + strlen(one), sizeof one - strlen(one), "[%.*s]",
                     (int)(h->matches[i].byte_end - h->matches[i].byte_start),
                     h->doc_text + h->matches[i].byte_start);
        snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s ",
                 one);
    }
    CHECK(rc == BRIEF_DONE);
    CHECK(brief_search_status(s) == BRIEF_OK);
    CHECK(strcmp(seen, "a.txt:1:5[zebra crossing] a.txt:3:26[zebra herds] "
                 "b.txt:1:16[40 trillion] b.txt:2:5[zebra count] ") == 0);
    if (strcmp(seen, "a.txt:1:5[zebra crossing] a.txt:3:26[zebra herds] "
               "b.txt:1:16[40 trillion] b.txt:2:5[zebra count] "))
        printf("     regex hits: %s\n", seen);
    brief_search_free(s);

    /* limit 2 matches; caseless; only passages that match "yuan". */
    o.limit = 2;
    CHECK(count_hits(ix, "zebra") == 3);
    CHECK_RC(brief_regex_new(&s, ix, pats, 1, &o));
    for (rc = 0; brief_search_next(s, &h) == BRIEF_OK; rc++)
        ;
    CHECK(rc == 2);
    brief_search_free(s);
    o.limit = 0;
    o.caseless = true;
    o.query = "yuan";
    pats[0] = "THE ZEBRA";
    CHECK_RC(brief_regex_new(&s, ix, pats, 1, &o));
    CHECK(brief_search_next(s, &h) == BRIEF_OK);
    if (h)
        CHECK(h->line == 2 && h->column == 1 && h->n_matches == 1 &&
              strstr(h->path, "b.txt") != NULL);
    CHECK(brief_search_next(s, &h) == BRIEF_DONE);
    brief_search_free(s);
    brief_index_close(ix);
}

/* Figures: every one, a unit and a range (a synonym and amounts as
 * written), value order, the explanation of the bounds. */
static void
test_figures(void)
{
    brief_index *ix;
    brief_figures *f;
    const brief_figure *fig = NULL;
    brief_figure_opts o = { 0 };
    double last = -1;
    int n = 0, rc;

    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_READ, NULL));
    o.unit = "yuan";
    o.min = "1 trillion";
    CHECK_RC(brief_figures_new(&f, ix, &o));
    CHECK(strstr(brief_figures_explain(f), "CNY") != NULL);
    CHECK(brief_figures_next(f, &fig) == BRIEF_OK);
    if (fig) {
        CHECK(fig->value == 40e12 && fig->value_high == fig->value &&
              !fig->is_range);
        CHECK(strcmp(fig->unit, "CNY") == 0);
        CHECK(fig->text_len == 16 &&
              memcmp(fig->text, "40 trillion yuan", 16) == 0);
        CHECK(fig->text == fig->doc_text + fig->byte_start);
        CHECK(fig->line == 1 && fig->column == 16 &&
              fig->end_column == 32);
        CHECK(strstr(fig->path, "b.txt") != NULL && !fig->stale);
        CHECK(fig->passage.text == fig->doc_text + fig->passage.byte_start);
    }
    CHECK(brief_figures_next(f, &fig) == BRIEF_DONE);
    brief_figures_free(f);

    memset(&o, 0, sizeof o);
    o.sort_by_value = true;
    CHECK_RC(brief_figures_new(&f, ix, &o));
    while ((rc = brief_figures_next(f, &fig)) == BRIEF_OK) {
        CHECK(fig->value >= last);
        last = fig->value;
        CHECK(fig->qualifier != NULL && fig->unit != NULL);
        n++;
    }
    CHECK(rc == BRIEF_DONE);
    CHECK(n >= 3);
    brief_figures_free(f);

    memset(&o, 0, sizeof o);
    o.query = "GDP";
    o.min = "30%";
    CHECK_RC(brief_figures_new(&f, ix, &o));
    CHECK(brief_figures_next(f, &fig) == BRIEF_OK);
    if (fig)
        CHECK(fig->value == 31.7 && strcmp(fig->unit, "percent") == 0 &&
              strcmp(fig->qualifier, "about") == 0 && fig->subject &&
              fig->subject_len == 3 && memcmp(fig->subject, "GDP", 3) == 0);
    CHECK(brief_figures_next(f, &fig) == BRIEF_DONE);
    brief_figures_free(f);
    brief_index_close(ix);
}

/* A printer in JSON with an id, to a temporary file. */
static void
test_printer(void)
{
    brief_index *ix;
    brief_search *s;
    brief_printer *p = NULL;
    brief_print_opts po = { 0 };
    const brief_hit *h;
    FILE *tmp = tmpfile();
    char line[4096];

    CHECK(brief_printer_new(&p, tmp, (brief_format)42, NULL) ==
          BRIEF_EINVAL);
    po.id = "\"req-1\"";
    CHECK_RC(brief_printer_new(&p, tmp, BRIEF_FORMAT_JSON, &po));
    CHECK_RC(brief_index_open(&ix, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK_RC(brief_search_new(&s, ix, "crossing", NULL));
    while (brief_search_next(s, &h) == BRIEF_OK)
        CHECK_RC(brief_printer_hit(p, h));
    CHECK_RC(brief_printer_end(p, 1, 1, 0));
    brief_search_free(s);
    brief_printer_free(p);
    rewind(tmp);
    CHECK(fgets(line, sizeof line, tmp) != NULL);
    CHECK(has_prefix(line, "{\"type\":\"hit\",\"id\":\"req-1\",\"path\":"));
    CHECK(fgets(line, sizeof line, tmp) != NULL);
    CHECK(strcmp(line, "{\"type\":\"summary\",\"id\":\"req-1\",\"hits\":1,"
                 "\"matched\":1,\"elapsed_us\":0}\n") == 0);
    fclose(tmp);
    brief_index_close(ix);
}

/* Two handles on one index in one process: a reader sees what the other
 * (writing) handle committed, in its next search. */
static void
test_two_handles(void)
{
    brief_index *r, *w;
    brief_counts n;

    CHECK_RC(brief_index_open(&r, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK(count_hits(r, "gazelle") == 0);
    put("d.txt", "A gazelle and a zebra.\n");
    CHECK_RC(reindex(w, &n));
    CHECK(n.added == 1);
    CHECK(count_hits(r, "gazelle") == 1);
    CHECK(count_hits(w, "gazelle") == 1);
    brief_index_close(w);               /* the other one goes on */
    CHECK(count_hits(r, "zebra") == 4);
    brief_index_close(r);
    unlink(strcat(strcpy((char[160]){ 0 }, dir), "/d.txt"));
}

/* A reading handle opened with BRIEF_OPEN_NO_WRITER searches as any
 * other, and a writing handle cannot join it until it is closed. */
static void
test_no_writer(void)
{
    brief_index *r, *w;

    CHECK_RC(brief_index_open(&r, ixdir, BRIEF_OPEN_READ |
                              BRIEF_OPEN_NO_WRITER, NULL));
    CHECK(count_hits(r, "zebra") > 0);
    CHECK(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL) ==
          BRIEF_EBUSY);
    CHECK(strstr(brief_errmsg(w), "open it for writing first") != NULL);
    brief_index_close(w);
    brief_index_close(r);
    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    brief_index_close(w);
}

/* A file deleted from the directory that was indexed (here the index's
 * own root, as `brief-index .` does) loses its document at the next run
 * over that directory (brief_indexer_run: "remove documents whose files
 * are gone from under the roots"). */
static void
test_vanished_file(void)
{
    brief_index *w;
    brief_counts n;
    char path[200];

    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    put("e.txt", "A lonely wombat.\n");
    CHECK_RC(reindex(w, &n));
    CHECK(n.added == 1);
    CHECK(count_hits(w, "wombat") == 1);
    snprintf(path, sizeof path, "%s/e.txt", dir);
    unlink(path);
    CHECK_RC(reindex(w, &n));
    CHECK(n.removed == 1);
    CHECK(count_hits(w, "wombat") == 0);
    if (n.removed != 1)
        printf("     indexing %s again after rm e.txt: added %llu, "
               "updated %llu, removed %llu, unchanged %llu\n", dir,
               (unsigned long long)n.added, (unsigned long long)n.updated,
               (unsigned long long)n.removed,
               (unsigned long long)n.unchanged);
    /* The same through a subdirectory as the root works. */
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0777);
    put("sub/f.txt", "A lonely numbat.\n");
    CHECK_RC(reindex(w, &n));
    CHECK(count_hits(w, "numbat") == 1);
    snprintf(path, sizeof path, "%s/sub/f.txt", dir);
    unlink(path);
    {
        brief_indexer *x;
        CHECK_RC(brief_indexer_new(&x, w, NULL));
        snprintf(path, sizeof path, "%s/sub", dir);
        CHECK_RC(brief_indexer_add_root(x, path));
        CHECK_RC(brief_indexer_run(x, &n));
        brief_indexer_free(x);
    }
    CHECK(n.removed == 1);
    CHECK(count_hits(w, "numbat") == 0);
    rmdir(path);
    brief_index_close(w);
}

/* The stale flag of the first hit of query on ix; -1 when none. */
static int
first_stale(brief_index *ix, const char *query)
{
    brief_search *s;
    const brief_hit *h;
    int stale = -1;

    if (brief_search_new(&s, ix, query, NULL) == BRIEF_OK &&
        brief_search_next(s, &h) == BRIEF_OK)
        stale = h->stale;
    brief_search_free(s);
    return stale;
}

/* The same for the first figure of unit in g.txt. */
static int
first_figure_stale(brief_index *ix, const char *unit)
{
    brief_figure_opts o = { .unit = unit };
    brief_figures *f;
    const brief_figure *g;
    int stale = -1;

    if (brief_figures_new(&f, ix, &o) == BRIEF_OK)
        while (stale < 0 && brief_figures_next(f, &g) == BRIEF_OK)
            if (strstr(g->path, "g.txt"))
                stale = g->stale;
    brief_figures_free(f);
    return stale;
}

/* One handle, many searches: a hit's stale flag is kept from one search
 * to the next (lib/stalecache.h), and a file changed between two searches
 * is stale in the second, for keyword searches and figure look-ups
 * alike, however many searches found it fresh before. */
static void
test_stale_between_searches(void)
{
    brief_index *w;
    char path[200];
    FILE *fp;

    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    put("g.txt", "The quokka census counted 4,500 quokkas, 12% more.\n");
    CHECK_RC(reindex(w, NULL));
    for (int i = 0; i < 4; i++) {
        CHECK(first_stale(w, "quokka") == 0);
        CHECK(first_figure_stale(w, "percent") == 0);
    }
    snprintf(path, sizeof path, "%s/g.txt", dir);
    CHECK((fp = fopen(path, "a")) != NULL);
    if (fp) {
        fputs("Edited.\n", fp);
        fclose(fp);
    }
    CHECK(first_stale(w, "quokka") == 1);
    CHECK(first_figure_stale(w, "percent") == 1);
    CHECK_RC(reindex(w, NULL));
    for (int i = 0; i < 3; i++)
        CHECK(first_stale(w, "quokka") == 0);
    unlink(path);
    CHECK(first_stale(w, "quokka") == 1);
    CHECK_RC(reindex(w, NULL));
    CHECK(first_stale(w, "quokka") == -1);
    brief_index_close(w);
}

/*
 * A search holds a snapshot (brief.h: "readers see the index as of the
 * last committed batch"), and opening another handle in the same
 * process is allowed at any time.  So: start a search on one handle,
 * open a second handle, let a writer rewrite every document many times,
 * then read the hits of the first search: they must be the old text.
 */
static void
test_open_while_searching(void)
{
    brief_search_opts so = { 50 };
    brief_index *a, *b, *w;
    brief_search *s;
    const brief_hit *h;
    int rc, n = 0, wrong = 0;

    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK_RC(brief_index_open(&a, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK_RC(brief_search_new(&s, a, "zebra", &so));
    CHECK_RC(brief_index_open(&b, ixdir, BRIEF_OPEN_READ, NULL));
    for (int round = 0; round < 20; round++) {
        char text[300];
        snprintf(text, sizeof text, "round %d rewrote this zebra %0*d\n",
                 round, 40 + round * 7, round);
        put("a.txt", text);
        put("b.txt", text);
        CHECK_RC(reindex(w, NULL));
    }
    while ((rc = brief_search_next(s, &h)) == BRIEF_OK) {
        n++;
        if (h->passage.text_len < 5 || memcmp(h->passage.text, "round", 5)
            == 0)
            wrong++;
    }
    CHECK(rc == BRIEF_DONE);
    if (rc != BRIEF_DONE)
        printf("     first handle's search after 20 commits: %s: %s\n",
               brief_strerror(rc), brief_errmsg(a));
    CHECK(n == 3 && wrong == 0);
    brief_search_free(s);
    brief_index_close(b);
    brief_index_close(a);
    brief_index_close(w);
    setup();                            /* the three documents again */
}

/* Four reader threads, each with its own handle, search while a fifth
 * re-indexes with changed documents; every hit a reader sees must be
 * whole and consistent, and no call may fail. */
#define N_READERS 4
#define N_ROUNDS 25

typedef struct reader {
    brief_index *ix;
    long searches, hits, bad, errors;
    char first_error[256];
} reader;

static atomic_int writer_done;

static void *
reader_main(void *arg)
{
    reader *r = arg;
    brief_search_opts o = { 50 };

    while (!atomic_load(&writer_done) || r->searches < 20) {
        brief_search *s;
        const brief_hit *h;
        long n = 0;
        int rc = brief_search_new(&s, r->ix, "zebra", &o);
        if (rc == BRIEF_OK) {
            while ((rc = brief_search_next(s, &h)) == BRIEF_OK) {
                n++;
                if (!hit_consistent(h, "zebra", NULL) || h->n_matches < 1)
                    r->bad++;
            }
            brief_search_free(s);
        }
        if (rc != BRIEF_DONE) {
            if (!r->errors++)
                snprintf(r->first_error, sizeof r->first_error, "%s: %s",
                         brief_strerror(rc), brief_errmsg(r->ix));
        } else if (n != 16 && n != 17) {
            r->bad++;                   /* 8 documents of two passages, and
                                           in odd rounds one more */
        }
        r->searches++;
        r->hits += n;
    }
    return NULL;
}

typedef struct writer {
    brief_index *ix;
    int rc;
    char error[256];
} writer;

static void *
writer_main(void *arg)
{
    writer *w = arg;

    for (int round = 0; round < N_ROUNDS && !w->rc; round++) {
        for (int i = 0; i < 8; i++) {
            char name[32], text[400];
            snprintf(name, sizeof name, "t%d.txt", i);
            snprintf(text, sizeof text, "Round %d file %d: a zebra %.*s\n\n"
                     "More zebra text %d.\n", round, i, (round * 13 + i) % 200,
                     "padding padding padding padding padding padding padding "
                     "padding padding padding padding padding padding padding "
                     "padding padding padding padding padding padding padding "
                     "padding padding padding", round);
            put(name, text);
        }
        if (round % 2)
            put("t8.txt", "odd rounds have a ninth zebra\n");
        else
            unlink(strcat(strcpy((char[160]){ 0 }, dir), "/t8.txt"));
        w->rc = reindex(w->ix, NULL);
        if (w->rc)
            snprintf(w->error, sizeof w->error, "%s: %s",
                     brief_strerror(w->rc), brief_errmsg(w->ix));
    }
    atomic_store(&writer_done, 1);
    return NULL;
}

static void
test_threads(void)
{
    pthread_t rt[N_READERS], wt;
    reader rd[N_READERS];
    writer wr = { 0 };
    char cmd[200];

    /* A fresh index of eight documents with zebra in two passages. */
    snprintf(cmd, sizeof cmd, "rm -rf %s/.brief %s/*.txt", dir, dir);
    CHECK(system(cmd) == 0);
    for (int i = 0; i < 8; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%d.txt", i);
        put(name, "Start: a zebra.\n\nMore zebra text.\n");
    }
    CHECK_RC(brief_index_open(&wr.ix, ixdir, BRIEF_OPEN_WRITE |
                              BRIEF_OPEN_CREATE, NULL));
    CHECK_RC(reindex(wr.ix, NULL));
    /* Every handle is opened before any search starts (see
     * test_open_while_searching for the other order). */
    for (int i = 0; i < N_READERS; i++) {
        memset(&rd[i], 0, sizeof rd[i]);
        CHECK_RC(brief_index_open(&rd[i].ix, ixdir, BRIEF_OPEN_READ, NULL));
    }
    atomic_store(&writer_done, 0);
    for (int i = 0; i < N_READERS; i++)
        CHECK(pthread_create(&rt[i], NULL, reader_main, &rd[i]) == 0);
    CHECK(pthread_create(&wt, NULL, writer_main, &wr) == 0);
    CHECK(pthread_join(wt, NULL) == 0);
    for (int i = 0; i < N_READERS; i++)
        CHECK(pthread_join(rt[i], NULL) == 0);

    CHECK(wr.rc == BRIEF_OK);
    if (wr.rc)
        printf("# writer: %s\n", wr.error);
    for (int i = 0; i < N_READERS; i++) {
        CHECK(rd[i].searches >= 20);
        CHECK(rd[i].errors == 0);
        CHECK(rd[i].bad == 0);
        if (rd[i].errors || rd[i].bad)
            printf("# reader %d: %ld searches, %ld bad, %ld errors%s%s\n",
                   i, rd[i].searches, rd[i].bad, rd[i].errors,
                   rd[i].errors ? ", first: " : "", rd[i].first_error);
        brief_index_close(rd[i].ix);
    }
    /* After the writer: the last round's eight files (and t8.txt while
     * test_vanished_file fails). */
    CHECK(count_hits(wr.ix, "zebra") >= 16);
    CHECK_RC(brief_index_check(wr.ix));
    brief_index_close(wr.ix);
}

/* brief_indexer_add_buffer indexes a buffer "as if it were a file of
 * that name": named by the absolute path of an indexed file, it replaces
 * that file's document (the index of test_threads: t0.txt .. t7.txt). */
static void
test_buffer_named_by_path(void)
{
    brief_index *w;
    brief_indexer *x;
    brief_counts n;
    char name[200];
    const char text[] = "The unsaved t0 is about a quokka.\n";

    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK(count_hits(w, "zebra") >= 16);
    snprintf(name, sizeof name, "%s/t0.txt", dir);
    CHECK_RC(brief_indexer_new(&x, w, NULL));
    CHECK_RC(brief_indexer_add_buffer(x, name, text, strlen(text)));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    CHECK(n.updated == 1 && n.added == 0);
    if (n.updated != 1)
        printf("     buffer %s: added %llu, updated %llu (a second "
               "document for the same file)\n", name,
               (unsigned long long)n.added, (unsigned long long)n.updated);
    CHECK(count_hits(w, "quokka") == 1);
    CHECK(count_hits(w, "zebra") >= 14 && count_hits(w, "zebra") <= 15);
    brief_index_close(w);
}

/* One path indexed twice in a run (a file, then buffers named like it),
 * one batch per document (BRIEF_TEST_BATCH_BYTES=1): while a batch is
 * committed in its own thread the next one is filled, and each document
 * must still replace the one indexed just before it, not the one the
 * index held when the run began (lib/committer.h). */
static void
test_path_twice_in_a_run(void)
{
    brief_index *w;
    brief_indexer *x;
    brief_counts n;
    char t2[200], t3[200];

    snprintf(t2, sizeof t2, "%s/t2.txt", dir);
    snprintf(t3, sizeof t3, "%s/t3.txt", dir);
    put("t2.txt", "A file about a dugong.\n");
    setenv("BRIEF_TEST_BATCH_BYTES", "1", 1);
    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK_RC(brief_indexer_new(&x, w, NULL));
    CHECK_RC(brief_indexer_add_root(x, dir));
    CHECK_RC(brief_indexer_add_buffer(x, t2, "A buffer about a manatee.\n",
                                      26));
    CHECK_RC(brief_indexer_add_buffer(x, t3, "x walrus\n", 9));
    CHECK_RC(brief_indexer_add_buffer(x, t3, "y walrus narwhal\n", 17));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    unsetenv("BRIEF_TEST_BATCH_BYTES");
    /* t2 and t3 twice each, and t0, whose buffer of the test before
     * gives way to the file again. */
    CHECK(n.updated == 5 && n.added == 0);
    if (n.updated != 5 || n.added)
        printf("     added %llu, updated %llu\n", (unsigned long long)n.added,
               (unsigned long long)n.updated);
    CHECK(count_hits(w, "dugong") == 0);
    CHECK(count_hits(w, "manatee") == 1);
    CHECK(count_hits(w, "walrus") == 1);
    CHECK(count_hits(w, "narwhal") == 1);
    CHECK_RC(brief_index_check(w));
    brief_index_close(w);
}

/* The same in one batch (the default size), in an index of its own: the
 * second document must still replace the first, though the first is not
 * committed yet. */
static void
test_path_twice_in_a_batch(void)
{
    brief_index *w;
    brief_indexer *x;
    brief_counts n;
    char sub[160], ix[200], t4[200], t5[200];
    FILE *f;

    snprintf(sub, sizeof sub, "%s/batch", dir);
    snprintf(ix, sizeof ix, "%s/.brief", sub);
    snprintf(t4, sizeof t4, "%s/t4.txt", sub);
    snprintf(t5, sizeof t5, "%s/t5.txt", sub);
    CHECK(mkdir(sub, 0777) == 0);
    CHECK((f = fopen(t4, "w")) != NULL);
    if (!f)
        return;
    fputs("A file about an okapi.\n", f);
    fclose(f);
    CHECK_RC(brief_index_open(&w, ix, BRIEF_OPEN_WRITE | BRIEF_OPEN_CREATE,
                              NULL));
    CHECK_RC(brief_indexer_new(&x, w, NULL));
    CHECK_RC(brief_indexer_add_root(x, sub));
    CHECK_RC(brief_indexer_add_buffer(x, t4, "A buffer about a tapir.\n",
                                      24));
    CHECK_RC(brief_indexer_add_buffer(x, t5, "x quokka\n", 9));
    CHECK_RC(brief_indexer_add_buffer(x, t5, "y quokka numbat\n", 16));
    CHECK_RC(brief_indexer_run(x, &n));
    brief_indexer_free(x);
    /* t4 added, then updated by its buffer; t5 added, then updated. */
    CHECK(n.added == 2 && n.updated == 2 && n.unchanged == 0);
    if (n.added != 2 || n.updated != 2 || n.unchanged)
        printf("     added %llu, updated %llu, unchanged %llu\n",
               (unsigned long long)n.added, (unsigned long long)n.updated,
               (unsigned long long)n.unchanged);
    CHECK(count_hits(w, "okapi") == 0);
    CHECK(count_hits(w, "tapir") == 1);
    CHECK(count_hits(w, "quokka") == 1);
    CHECK(count_hits(w, "numbat") == 1);
    CHECK_RC(brief_index_check(w));
    brief_index_close(w);
}

/* The hits of query as "path line:col score" lines into out (cap
 * bytes); -1 on an error. */
static long
hit_lines(brief_index *ix, const char *query, char *out, size_t cap)
{
    brief_search *s;
    const brief_hit *h;
    size_t used = 0;
    long n = 0;
    int rc;

    out[0] = 0;
    if (brief_search_new(&s, ix, query, NULL) != BRIEF_OK)
        return -1;
    while ((rc = brief_search_next(s, &h)) == BRIEF_OK && used < cap) {
        used += (size_t)snprintf(out + used, cap - used, "%s %u:%u %.9g\n",
                                 h->path, h->line, h->column, h->score);
        n++;
    }
    brief_search_free(s);
    return rc == BRIEF_DONE ? n : -1;
}

/* A handle's later searches of one snapshot read the passage lengths
 * from memory (lib/plcache.h): the same hits and scores as the first,
 * and an index changed by another handle is read afresh. */
static void
test_lengths_in_memory(void)
{
    brief_index *r, *w;
    char first[4096], again[4096];
    long n;

    CHECK_RC(brief_index_open(&r, ixdir, BRIEF_OPEN_READ, NULL));
    CHECK((n = hit_lines(r, "zebra", first, sizeof first)) > 0);
    for (int i = 0; i < 3; i++) {
        CHECK(hit_lines(r, "zebra", again, sizeof again) == n);
        CHECK(strcmp(first, again) == 0);
    }
    /* A new document, the best hit: ranked with the new snapshot's
     * lengths, which a stale copy would not have. */
    put("e.txt", "A zebra, a zebra, and one more zebra.\n");
    CHECK_RC(brief_index_open(&w, ixdir, BRIEF_OPEN_WRITE, NULL));
    CHECK_RC(reindex(w, NULL));
    CHECK((n = hit_lines(w, "zebra", first, sizeof first)) > 0);
    CHECK(strncmp(first, "e.txt ", 6) == 0);
    brief_index_close(w);
    for (int i = 0; i < 3; i++) {
        CHECK(hit_lines(r, "zebra", again, sizeof again) == n);
        CHECK(strcmp(first, again) == 0);
        if (strcmp(first, again) != 0)
            printf("     first:\n%s     then:\n%s", first, again);
    }
    brief_index_close(r);
    unlink(strcat(strcpy((char[160]){ 0 }, dir), "/e.txt"));
}

/* Hits with equal scores come in path order, whichever order the
 * documents were added in: on a snapshot's first search (paths read from
 * the documents' records) and on later ones (ranks held in memory,
 * lib/plcache.h); a limit keeps the first ones in that order. */
static void
test_ties_in_path_order(void)
{
    static const char *const names[] = { "m.txt", "b.txt", "z.txt",
                                         "a.txt", "k.txt" };
    brief_index *w;
    brief_search_opts o = { 0 };
    char sub[160], ix[200], path[200];

    snprintf(sub, sizeof sub, "%s/ties", dir);
    snprintf(ix, sizeof ix, "%s/.brief", sub);
    CHECK(mkdir(sub, 0777) == 0);
    CHECK_RC(brief_index_open(&w, ix, BRIEF_OPEN_WRITE | BRIEF_OPEN_CREATE,
                              NULL));
    for (size_t i = 0; i < 5; i++) {
        brief_indexer *x;
        brief_counts n;
        snprintf(path, sizeof path, "%s/%s", sub, names[i]);
        CHECK_RC(brief_indexer_new(&x, w, NULL));
        CHECK_RC(brief_indexer_add_buffer(x, path, "One wombat.\n", 12));
        CHECK_RC(brief_indexer_run(x, &n));
        brief_indexer_free(x);
    }
    o.limit = 3;
    for (int round = 0; round < 4; round++) {
        brief_search *s;
        const brief_hit *h;
        char got[64] = "";
        CHECK_RC(brief_search_new(&s, w, "wombat", &o));
        while (brief_search_next(s, &h) == BRIEF_OK)
            strcat(got, h->path + strlen(h->path) - 5);
        brief_search_free(s);
        CHECK(strcmp(got, "a.txtb.txtk.txt") == 0);
        if (strcmp(got, "a.txtb.txtk.txt") != 0)
            printf("     search %d: %s\n", round + 1, got);
    }
    brief_index_close(w);
}

int
main(void)
{
    char cmd[128];

    snprintf(dir, sizeof dir, "/tmp/brief-api-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    snprintf(ixdir, sizeof ixdir, "%s/.brief", dir);
    setup();
    /* Buffer names are paths relative to the current directory, like
     * the paths given to brief_indexer_add_root(). */
    if (chdir(dir) != 0)
        return 2;
    TEST(test_null_and_strerror);
    TEST(test_open_errors);
    TEST(test_errors);
    TEST(test_borrowed_hits);
    TEST(test_buffer);
    TEST(test_remove);
    TEST(test_regex);
    TEST(test_figures);
    TEST(test_printer);
    TEST(test_two_handles);
    TEST(test_no_writer);
    TEST(test_vanished_file);
    TEST(test_stale_between_searches);
    TEST(test_open_while_searching);
    TEST(test_threads);
    TEST(test_buffer_named_by_path);
    TEST(test_path_twice_in_a_run);
    TEST(test_path_twice_in_a_batch);
    TEST(test_lengths_in_memory);
    TEST(test_ties_in_path_order);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 2;
    return check_report();
}
