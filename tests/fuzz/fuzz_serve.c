/*
 * fuzz_serve: brief_serve() (lib/serve.c, the JSON-lines server of
 * brief-search --serve) fed the input as request lines, over a small
 * index built once in a temporary directory.  Requests and replies go
 * through fmemopen().  Every complete reply line must be one valid JSON
 * object with a "type": the server answers bad requests with an "error"
 * object and goes on, whatever the bytes.  And every reply to a request
 * carries the request's "id" (null when it has none or is not an object):
 * the replies to one request end with its "summary" or "error".
 *
 * The handle is read-only, so "index" and "remove" requests are answered
 * with an error and the fuzzer never writes to (or reads from) paths the
 * input names; brief-search --serve opens the index the same way unless
 * asked to write.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define OUT_CAP (1 << 20)

static brief_index *ix;
static char *out_buf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[128];
    int rc;

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/.brief", fuzz_tmpdir());
    fuzz_build_index(dir);
    if ((rc = brief_index_open(&ix, dir, BRIEF_OPEN_READ, NULL))) {
        fprintf(stderr, "fuzz_serve: %s\n", brief_strerror(rc));
        exit(2);
    }
    if (!(out_buf = malloc(OUT_CAP)))
        exit(2);
    return 0;
}

/* The id a reply to this request line must carry (a new reference). */
static json_t *
id_of_request(const char *line, size_t len)
{
    json_t *req = json_loadb(line, strnlen(line, len), JSON_ALLOW_NUL, NULL);
    json_t *id = json_is_object(req) ? json_object_get(req, "id") : NULL;

    id = json_incref(id ? id : json_null());
    json_decref(req);
    return id;
}

/* Check one reply line; returns its "type" (borrowed from *v). */
static const char *
check_reply(const char *line, size_t len, const json_t *want_id, json_t **v)
{
    json_error_t err;
    const json_t *id;
    int n = (int)(len > 300 ? 300 : len);

    *v = json_loadb(line, len, JSON_ALLOW_NUL, &err);
    FUZZ_ASSERT(*v != NULL, "reply is not JSON (%s): %.*s", err.text, n,
                line);
    FUZZ_ASSERT(json_is_object(*v) &&
                json_is_string(json_object_get(*v, "type")),
                "reply without a type: %.*s", n, line);
    id = json_object_get(*v, "id");
    FUZZ_ASSERT(id && json_equal(id, want_id), "reply with another id than "
                "its request's: %.*s", n, line);
    return json_string_value(json_object_get(*v, "type"));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *in, *out;
    char *req;
    long n;
    int rc;

    if (size == 0 || size > 1 << 16)
        return 0;
    if (!(req = malloc(size)))
        return 0;
    memcpy(req, data, size);
    in = fmemopen(req, size, "r");
    out = fmemopen(out_buf, OUT_CAP, "w");
    if (!in || !out)
        abort();
    rc = brief_serve(ix, in, out);
    FUZZ_ASSERT(rc == BRIEF_OK, "brief_serve: %s", brief_strerror(rc));
    n = ftell(out);
    fclose(in);
    fclose(out);
    if (n > 0 && n < OUT_CAP - 1) {
        /* Walk the requests as brief_serve() reads them (lines, ends
         * trimmed of \r and \n, empty ones skipped) beside the replies. */
        size_t at = 0, end = (size_t)n, r = 0;
        FUZZ_ASSERT(out_buf[end - 1] == '\n', "reply not ended by newline");
        while (at < end) {
            size_t rl;
            const char *nl = memchr(req + r, '\n', size - r);
            json_t *want;
            rl = nl ? (size_t)(nl - (req + r)) : size - r;
            while (rl > 0 && (req[r + rl - 1] == '\r'))
                rl--;
            if (rl == 0) {
                FUZZ_ASSERT(nl, "replies without a request");
                r = (size_t)(nl - req) + 1;
                continue;
            }
            want = id_of_request(req + r, rl);
            for (;;) {
                json_t *v;
                const char *type, *e;
                FUZZ_ASSERT(at < end, "a request without its summary");
                e = memchr(out_buf + at, '\n', end - at);
                type = check_reply(out_buf + at, (size_t)(e - (out_buf + at)),
                                   want, &v);
                at = (size_t)(e - out_buf) + 1;
                if (strcmp(type, "summary") == 0 ||
                    strcmp(type, "error") == 0) {
                    json_decref(v);
                    break;
                }
                json_decref(v);
            }
            json_decref(want);
            r = nl ? (size_t)(nl - req) + 1 : size;
        }
    }
    free(req);
    return 0;
}
