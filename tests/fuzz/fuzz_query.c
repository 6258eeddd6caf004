/*
 * fuzz_query: query_parse() on arbitrary bytes, then query_format() of
 * the tree into buffers of several sizes.  Checks the contract of
 * lib/query.h: an error has a message and an offset inside the text; a
 * tree obeys the shape rules (the root is never NOT, AND and OR have two
 * or more kids and are flattened, NOT only under AND and never all of an
 * AND, NEAR has two leaf operands, every node lies inside the text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "query.h"

static const char *text_of_query;

static void
check_node(const qnode *n, const qnode *parent, size_t len, int depth)
{
    size_t n_not = 0;

    FUZZ_ASSERT(depth <= 4 * QUERY_MAX_DEPTH + 8, "tree depth %d", depth);
    FUZZ_ASSERT(n->offset <= len && n->len <= len - n->offset,
                "node at %zu+%zu of %zu", n->offset, n->len, len);
    switch (n->kind) {
    case Q_TERM: case Q_PREFIX: case Q_PATH: case Q_FIG: case Q_RE:
        FUZZ_ASSERT(n->text != NULL, "leaf %d without text", (int)n->kind);
        /* A NUL byte inside re:/.../ or path: ends the C string early;
         * the public API takes NUL-terminated queries, so only this
         * internal entry point sees one. */
        FUZZ_ASSERT(n->kind == Q_FIG || *n->text ||
                    memchr(text_of_query, '\0', len), "empty leaf %d",
                    (int)n->kind);
        break;
    case Q_PHRASE:
        FUZZ_ASSERT(n->n_words >= 1, "empty phrase");
        for (size_t i = 0; i < n->n_words; i++)
            FUZZ_ASSERT(n->words[i] && *n->words[i], "empty phrase word");
        break;
    case Q_AND:
    case Q_OR:
        FUZZ_ASSERT(n->n_kids >= 2, "%s of %zu", n->kind == Q_AND ? "AND" :
                    "OR", n->n_kids);
        for (size_t i = 0; i < n->n_kids; i++) {
            FUZZ_ASSERT(n->kids[i]->kind != n->kind, "%s not flattened",
                        n->kind == Q_AND ? "AND" : "OR");
            n_not += n->kids[i]->kind == Q_NOT;
            check_node(n->kids[i], n, len, depth + 1);
        }
        FUZZ_ASSERT(n_not < n->n_kids, "an AND or OR of NOTs only");
        FUZZ_ASSERT(n->kind == Q_AND || n_not == 0, "NOT under OR");
        break;
    case Q_NOT:
        FUZZ_ASSERT(parent && parent->kind == Q_AND, "NOT not under AND");
        FUZZ_ASSERT(n->n_kids == 1, "NOT of %zu", n->n_kids);
        FUZZ_ASSERT(n->kids[0]->kind != Q_NOT, "NOT NOT");
        check_node(n->kids[0], n, len, depth + 1);
        break;
    case Q_NEAR:
        FUZZ_ASSERT(n->n_kids == 2, "NEAR of %zu", n->n_kids);
        FUZZ_ASSERT(n->k <= 1000, "NEAR/%u", n->k);
        for (size_t i = 0; i < 2; i++) {
            qkind k = n->kids[i]->kind;
            FUZZ_ASSERT(k == Q_TERM || k == Q_PREFIX || k == Q_PHRASE ||
                        k == Q_FIG || k == Q_RE, "NEAR operand %d", (int)k);
            check_node(n->kids[i], n, len, depth + 1);
        }
        break;
    default:
        FUZZ_ASSERT(0, "node kind %d", (int)n->kind);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[] = { 0, 1, 2, 7, 64, 4096 };
    char *text = malloc(size ? size : 1), msg[200], *out;
    size_t offset = (size_t)-1;
    query *q = NULL;
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);           /* exact size, not NUL-terminated */
    text_of_query = text;
    msg[0] = '\0';
    rc = query_parse(text, size, &q, msg, sizeof msg, &offset);
    FUZZ_ASSERT(rc == BRIEF_OK || rc == BRIEF_ESYNTAX || rc == BRIEF_ENOMEM,
                "rc %d", rc);
    if (rc) {
        FUZZ_ASSERT(q == NULL, "error with a tree");
        FUZZ_ASSERT(*msg && memchr(msg, '\0', sizeof msg), "no message");
        FUZZ_ASSERT(offset <= size, "offset %zu of %zu (%s)", offset, size,
                    msg);
        free(text);
        return 0;
    }
    check_node(query_root(q), NULL, size, 0);
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        out = malloc(caps[i] ? caps[i] : 1);
        if (!out)
            break;
        query_format(query_root(q), out, caps[i]);
        if (caps[i])
            FUZZ_ASSERT(memchr(out, '\0', caps[i]), "format: no NUL in %zu",
                        caps[i]);
        free(out);
    }
    /* The parser also runs on messages it cannot write. */
    query_free(q);
    q = NULL;
    rc = query_parse(text, size, &q, NULL, 0, NULL);
    FUZZ_ASSERT(rc == BRIEF_OK, "second parse rc %d", rc);
    query_free(q);
    free(text);
    return 0;
}
