/*
 * serve.c: brief_serve(), the JSON-lines server behind brief-search
 * --serve.  One request a line, one reply of JSON lines each, ended by a
 * "summary" (or an "error"); docs/PROTOCOL.md is the contract.  Requests
 * are parsed with jansson; replies are written by the JSON printer, so
 * hits and figures are the same objects as --json prints.  Each request
 * opens its own read transaction, so the server sees what a concurrent
 * brief-index committed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brief_int.h"
#include "print.h"

/* One request being answered. */
typedef struct req {
    brief_index *ix;
    FILE *out;
    json_t *params;
    char *id;                /* the id as JSON text ("null" when absent) */
    brief_printer *pr;
    uint64_t hits, matched;
} req;

/* Print {"type":"error","id":...,"message":...}. */
static void
reply_error(FILE *out, const char *id, const char *msg)
{
    json_t *o = json_pack("{s:s}", "type", "error");
    json_t *idv = json_loads(id ? id : "null", JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char *s;

    json_object_set_new(o, "id", idv ? idv : json_null());
    json_object_set_new(o, "message", json_string(msg));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s)
        fprintf(out, "%s\n", s);
    free(s);
    json_decref(o);
}

/* A string parameter: NULL when absent; error when not a string. */
static int
str_param(req *r, const char *name, bool required, const char **out)
{
    json_t *v = json_object_get(r->params, name);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (!required)
            return BRIEF_OK;
        return err_set(&r->ix->err, BRIEF_EINVAL, "params.%s is required",
                       name);
    }
    if (!json_is_string(v))
        return err_set(&r->ix->err, BRIEF_EINVAL, "params.%s must be a "
                       "string", name);
    *out = json_string_value(v);
    return BRIEF_OK;
}

/* A limit: absent gives def; must be a positive integer. */
static int
limit_param(req *r, size_t def, size_t *out)
{
    json_t *v = json_object_get(r->params, "limit");

    *out = def;
    if (!v || json_is_null(v))
        return BRIEF_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return err_set(&r->ix->err, BRIEF_EINVAL, "params.limit must be a "
                       "positive integer");
    *out = (size_t)json_integer_value(v);
    return BRIEF_OK;
}

static int
bool_param(req *r, const char *name, bool *out)
{
    json_t *v = json_object_get(r->params, name);

    *out = false;
    if (!v || json_is_null(v))
        return BRIEF_OK;
    if (!json_is_boolean(v))
        return err_set(&r->ix->err, BRIEF_EINVAL, "params.%s must be true "
                       "or false", name);
    *out = json_is_true(v);
    return BRIEF_OK;
}

/* min/max of figures: a string in the CLI's notation, or a number. */
static int
amount_param(req *r, const char *name, char *buf, size_t cap,
             const char **out)
{
    json_t *v = json_object_get(r->params, name);

    *out = NULL;
    if (!v || json_is_null(v))
        return BRIEF_OK;
    if (json_is_number(v)) {
        snprintf(buf, cap, "%.17g", json_number_value(v));
        *out = buf;
        return BRIEF_OK;
    }
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return BRIEF_OK;
    }
    return err_set(&r->ix->err, BRIEF_EINVAL, "params.%s must be a string "
                   "or a number", name);
}

static int
drain(req *r, brief_search *s)
{
    const brief_hit *h;
    int rc;

    while ((rc = brief_search_next(s, &h)) == BRIEF_OK) {
        if ((rc = brief_printer_hit(r->pr, h)))
            return rc;
        r->hits++;
    }
    r->matched = brief_search_count(s);
    if (rc == BRIEF_DONE)
        rc = brief_search_status(s);
    return rc;
}

static int
do_search(req *r)
{
    brief_search_opts o = { 0 };
    brief_search *s;
    const char *q;
    int rc;

    if ((rc = str_param(r, "query", true, &q)) ||
        (rc = limit_param(r, 10, &o.limit)) ||
        (rc = brief_search_new(&s, r->ix, q, &o)))
        return rc;
    rc = drain(r, s);
    brief_search_free(s);
    return rc;
}

/* Collects the names of documents cut short by a regex's limits. */
static void
regex_warn(void *ctx, const char *msg)
{
    req *r = ctx;

    err_set(&r->ix->err, BRIEF_ELIMIT, "%s", msg);
}

static int
do_regex(req *r)
{
    brief_regex_opts o = { 0 };
    brief_search *s;
    const char *pat;
    int rc;

    if ((rc = str_param(r, "pattern", true, &pat)) ||
        (rc = bool_param(r, "caseless", &o.caseless)) ||
        (rc = str_param(r, "query", false, &o.query)) ||
        (rc = limit_param(r, 100, &o.limit)))
        return rc;
    o.warn = regex_warn;
    o.ctx = r;
    if ((rc = brief_regex_new(&s, r->ix, &pat, 1, &o)))
        return rc;
    rc = drain(r, s);
    brief_search_free(s);
    return rc;
}

static int
do_figures(req *r)
{
    brief_figure_opts o = { 0 };
    brief_figures *f;
    const brief_figure *fig;
    char lo[40], hi[40];
    int rc;

    if ((rc = str_param(r, "query", true, &o.query)) ||
        (rc = str_param(r, "unit", false, &o.unit)) ||
        (rc = amount_param(r, "min", lo, sizeof lo, &o.min)) ||
        (rc = amount_param(r, "max", hi, sizeof hi, &o.max)) ||
        (rc = limit_param(r, 100, &o.limit)) ||
        (rc = brief_figures_new(&f, r->ix, &o)))
        return rc;
    while ((rc = brief_figures_next(f, &fig)) == BRIEF_OK) {
        if ((rc = brief_printer_figure(r->pr, fig)))
            break;
        r->hits++;
    }
    r->matched = r->hits;
    brief_figures_free(f);
    return rc == BRIEF_DONE ? BRIEF_OK : rc;
}

/* Print {"type":"indexed","id":...,"path":...,"status":...}. */
static void
reply_indexed(req *r, const char *path, const brief_counts *n)
{
    const char *status = n->added ? "added" : n->updated ? "updated" :
                         n->removed ? "removed" : n->skipped ? "skipped" :
                         "unchanged";
    json_t *o = json_pack("{s:s}", "type", "indexed");
    json_t *idv = json_loads(r->id, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char *s;

    json_object_set_new(o, "id", idv ? idv : json_null());
    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "status", json_string(status));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s)
        fprintf(r->out, "%s\n", s);
    free(s);
    json_decref(o);
    r->hits++;
}

static void
collect_warning(void *ctx, const char *msg)
{
    req *r = ctx;

    err_set(&r->ix->err, BRIEF_EINVAL, "%s", msg);
}

/* index {path} / {name, text}, and remove {path}. */
static int
do_index(req *r, bool remove)
{
    brief_indexer_opts o = { false, collect_warning, NULL, r };
    brief_indexer *w;
    brief_counts n;
    const char *path, *name, *text;
    FILE *probe;
    int rc;

    if ((rc = str_param(r, "path", false, &path)) ||
        (rc = str_param(r, "name", false, &name)) ||
        (rc = str_param(r, "text", false, &text)))
        return rc;
    if (remove ? !path : !path && !(name && text))
        return err_set(&r->ix->err, BRIEF_EINVAL, remove ?
                       "params.path is required" : "params.path, or "
                       "params.name and params.text, are required");
    err_clear(&r->ix->err);
    if ((rc = brief_indexer_new(&w, r->ix, &o)))
        return rc;
    if (remove || (path && !(probe = fopen(path, "r")))) {
        rc = brief_indexer_remove(w, path);
    } else if (path) {
        fclose(probe);
        rc = brief_indexer_add_root(w, path);
    } else {
        rc = brief_indexer_add_buffer(w, name, text,
                                      json_string_length(
                                          json_object_get(r->params,
                                                          "text")));
    }
    if (!rc)
        rc = brief_indexer_run(w, &n);
    brief_indexer_free(w);
    if (!rc && n.skipped && *r->ix->err.msg)
        return BRIEF_EINVAL;            /* the warning says why */
    if (!rc)
        reply_indexed(r, path ? path : name, &n);
    return rc;
}

static int
do_stats(req *r)
{
    brief_stats st;
    json_t *o, *idv;
    char *s;
    int rc = brief_index_stats(r->ix, &st);

    if (rc)
        return rc;
    o = json_pack("{s:s}", "type", "stats");
    idv = json_loads(r->id, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    json_object_set_new(o, "id", idv ? idv : json_null());
    json_object_set_new(o, "documents", json_integer((json_int_t)
                                                     st.documents));
    json_object_set_new(o, "passages", json_integer((json_int_t)st.passages));
    json_object_set_new(o, "terms", json_integer((json_int_t)st.terms));
    json_object_set_new(o, "tokens", json_integer((json_int_t)st.tokens));
    json_object_set_new(o, "text_bytes", json_integer((json_int_t)
                                                      st.text_bytes));
    json_object_set_new(o, "disk_bytes", json_integer((json_int_t)
                                                      st.disk_bytes));
    json_object_set_new(o, "language", json_string(st.language));
    json_object_set_new(o, "schema_version",
                        json_integer(st.schema_version));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s)
        fprintf(r->out, "%s\n", s);
    free(s);
    json_decref(o);
    r->hits = 1;
    return BRIEF_OK;
}

static uint64_t
micros_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)((t.tv_sec - t0->tv_sec) * 1000000 +
                      (t.tv_nsec - t0->tv_nsec) / 1000);
}

/* Answer one request line. */
static void
answer(brief_index *ix, FILE *out, const char *line, size_t lineno)
{
    brief_print_opts po = { 0 };
    json_error_t jerr;
    json_t *msg = json_loads(line, JSON_ALLOW_NUL, &jerr), *idv, *method;
    req r = { ix, out, NULL, NULL, NULL, 0, 0 };
    struct timespec t0;
    const char *m;
    char text[300];
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!msg) {
        snprintf(text, sizeof text, "line %zu: not JSON: %s (column %d)",
                 lineno, jerr.text, jerr.column);
        reply_error(out, NULL, text);
        return;
    }
    idv = json_object_get(msg, "id");
    r.id = json_dumps(idv ? idv : json_null(), JSON_ENCODE_ANY |
                      JSON_COMPACT);
    method = json_object_get(msg, "method");
    r.params = json_object_get(msg, "params");
    if (!json_is_object(msg) || !json_is_string(method)) {
        reply_error(out, r.id, "a request is an object with a \"method\" "
                    "string");
        goto out;
    }
    if (r.params && !json_is_object(r.params)) {
        reply_error(out, r.id, "\"params\" must be an object");
        goto out;
    }
    if (!r.params)
        r.params = json_object();
    else
        json_incref(r.params);
    po.id = r.id;
    err_clear(&ix->err);
    if ((rc = brief_printer_new(&r.pr, out, BRIEF_FORMAT_JSON, &po))) {
        reply_error(out, r.id, "out of memory");
        goto out;
    }
    m = json_string_value(method);
    if (strcmp(m, "search") == 0)
        rc = do_search(&r);
    else if (strcmp(m, "regex") == 0)
        rc = do_regex(&r);
    else if (strcmp(m, "figures") == 0)
        rc = do_figures(&r);
    else if (strcmp(m, "index") == 0)
        rc = do_index(&r, false);
    else if (strcmp(m, "remove") == 0)
        rc = do_index(&r, true);
    else if (strcmp(m, "stats") == 0)
        rc = do_stats(&r);
    else
        rc = err_set(&ix->err, BRIEF_EINVAL, "unknown method '%.60s' (search,"
                     " regex, figures, index, remove, stats)", m);
    if (rc)
        reply_error(out, r.id, *ix->err.msg ? ix->err.msg :
                    brief_strerror(rc));
    else
        brief_printer_end(r.pr, r.hits, r.matched, micros_since(&t0));
    brief_printer_free(r.pr);
    json_decref(r.params);
out:
    free(r.id);
    json_decref(msg);
    fflush(out);
}

int
brief_serve(brief_index *ix, FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        answer(ix, out, line, lineno);
    }
    free(line);
    return ferror(in) ? err_set(&ix->err, BRIEF_EIO, "reading requests "
                                "failed") : BRIEF_OK;
}
