/*
 * test_query.c: the query parser.  Two tables drive most of it: query
 * text -> query_format() of the tree, and query text -> (message, byte
 * offset).  Then node spans, query_format() truncation, and the large
 * inputs: deep nesting, 10,000 terms, 100 KB of text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "check.h"
#include "query.h"

typedef struct ok_case {
    const char *text;
    const char *tree;
} ok_case;

typedef struct err_case {
    const char *text;
    const char *msg;
    size_t offset;
} err_case;

static const ok_case ok_cases[] = {
    /* words and explicit operators */
    { "a", "TERM(a)" },
    { "  \ta\n ", "TERM(a)" },
    { "a b", "AND(TERM(a), TERM(b))" },
    { "a AND b", "AND(TERM(a), TERM(b))" },
    { "a OR b", "OR(TERM(a), TERM(b))" },
    { "a NOT b", "AND(TERM(a), NOT(TERM(b)))" },
    { "a AND NOT b", "AND(TERM(a), NOT(TERM(b)))" },
    { "a -b", "AND(TERM(a), NOT(TERM(b)))" },
    { "-b a", "AND(NOT(TERM(b)), TERM(a))" },
    { "(a b) -c", "AND(TERM(a), TERM(b), NOT(TERM(c)))" },
    { "a -(b c)", "AND(TERM(a), NOT(AND(TERM(b), TERM(c))))" },
    { "a -(b OR c)", "AND(TERM(a), NOT(OR(TERM(b), TERM(c))))" },
    { "a -\"b c\"", "AND(TERM(a), NOT(PHRASE(\"b c\")))" },
    { "a -(b -c)", "AND(TERM(a), NOT(AND(TERM(b), NOT(TERM(c)))))" },
    /* operators only in upper case */
    { "a and b or c", "AND(TERM(a), TERM(and), TERM(b), TERM(or), "
                      "TERM(c))" },
    { "not a", "AND(TERM(not), TERM(a))" },
    { "a near b", "AND(TERM(a), TERM(near), TERM(b))" },
    { "NEARBY ORE", "AND(TERM(NEARBY), TERM(ORE))" },
    /* '-' */
    { "a-b", "TERM(a-b)" },
    { "a - b", "AND(TERM(a), TERM(-), TERM(b))" },
    { "a --b", "AND(TERM(a), TERM(--b))" },
    { "(a -)", "AND(TERM(a), TERM(-))" },
    { "a -OR", "AND(TERM(a), NOT(TERM(OR)))" },
    { "a -NEAR/5", "AND(TERM(a), NOT(TERM(NEAR/5)))" },
    { "(a)-b", "AND(TERM(a), NOT(TERM(b)))" },
    /* precedence: NOT, NEAR, AND, OR */
    { "a b OR c", "OR(AND(TERM(a), TERM(b)), TERM(c))" },
    { "a OR b c", "OR(TERM(a), AND(TERM(b), TERM(c)))" },
    { "a OR b AND c", "OR(TERM(a), AND(TERM(b), TERM(c)))" },
    { "(a OR b) c", "AND(OR(TERM(a), TERM(b)), TERM(c))" },
    { "a NEAR b c", "AND(NEAR/10(TERM(a), TERM(b)), TERM(c))" },
    { "a NEAR b OR c", "OR(NEAR/10(TERM(a), TERM(b)), TERM(c))" },
    { "c a NEAR b", "AND(TERM(c), NEAR/10(TERM(a), TERM(b)))" },
    { "a OR b -c", "OR(TERM(a), AND(TERM(b), NOT(TERM(c))))" },
    /* flattening, and no single-operand wrappers */
    { "((a))", "TERM(a)" },
    { "a (b c) d", "AND(TERM(a), TERM(b), TERM(c), TERM(d))" },
    { "(a b) AND (c d)", "AND(TERM(a), TERM(b), TERM(c), TERM(d))" },
    { "((a AND b) (c (d e)))",
      "AND(TERM(a), TERM(b), TERM(c), TERM(d), TERM(e))" },
    { "a OR (b OR c) OR d", "OR(TERM(a), TERM(b), TERM(c), TERM(d))" },
    { "(a OR (b OR (c)))", "OR(TERM(a), TERM(b), TERM(c))" },
    { "(a OR b) (c OR d)",
      "AND(OR(TERM(a), TERM(b)), OR(TERM(c), TERM(d)))" },
    { "a OR (b c)", "OR(TERM(a), AND(TERM(b), TERM(c)))" },
    { "x (-a -b)", "AND(TERM(x), NOT(TERM(a)), NOT(TERM(b)))" },
    /* prefixes */
    { "immigra*", "PREFIX(immigra*)" },
    { "a**", "PREFIX(a*)" },
    { "a*b", "TERM(a*b)" },
    { "a*b*", "PREFIX(a*b*)" },
    { "a -imm*", "AND(TERM(a), NOT(PREFIX(imm*)))" },
    /* phrases */
    { "\"a b\"", "PHRASE(\"a b\")" },
    { "\"a\"", "PHRASE(\"a\")" },
    { "\"  a \t  b  \"", "PHRASE(\"a b\")" },
    { "\"a OR (b NOT -c NEAR\"", "PHRASE(\"a OR (b NOT -c NEAR\")" },
    { "\"a* b\"", "PHRASE(\"a* b\")" },
    { "x\"a b\"y", "AND(TERM(x), PHRASE(\"a b\"), TERM(y))" },
    { "\"a\" \"b c\"", "AND(PHRASE(\"a\"), PHRASE(\"b c\"))" },
    /* path globs run to white space; an unmatched ')' ends them */
    { "path:*.c", "PATH(*.c)" },
    { "a path:docs/*.md", "AND(TERM(a), PATH(docs/*.md))" },
    { "(a path:*.c)", "AND(TERM(a), PATH(*.c))" },
    { "path:x(1).txt", "PATH(x(1).txt)" },
    { "path:a\"b", "PATH(a\"b)" },
    { "path:*.c OR path:*.h", "OR(PATH(*.c), PATH(*.h))" },
    { "a -path:*.md", "AND(TERM(a), NOT(PATH(*.md)))" },
    { "PATH:x", "TERM(PATH:x)" },
    { "xpath:y", "TERM(xpath:y)" },
    /* NEAR */
    { "a NEAR b", "NEAR/10(TERM(a), TERM(b))" },
    { "a NEAR/5 b", "NEAR/5(TERM(a), TERM(b))" },
    { "a NEAR/0 b", "NEAR/0(TERM(a), TERM(b))" },
    { "a NEAR/1000 b", "NEAR/1000(TERM(a), TERM(b))" },
    { "a NEAR/007 b", "NEAR/7(TERM(a), TERM(b))" },
    { "imm* NEAR/3 \"x y\"", "NEAR/3(PREFIX(imm*), PHRASE(\"x y\"))" },
    { "(a) NEAR ((b))", "NEAR/10(TERM(a), TERM(b))" },
    { "(a NEAR b) (c NEAR d)",
      "AND(NEAR/10(TERM(a), TERM(b)), NEAR/10(TERM(c), TERM(d)))" },
    /* the example in query.h */
    { "5g (a OR b) -\"x y\" a NEAR/5 imm* path:*.c",
      "AND(TERM(5g), OR(TERM(a), TERM(b)), NOT(PHRASE(\"x y\")), "
      "NEAR/5(TERM(a), PREFIX(imm*)), PATH(*.c))" },
};

static const char near_msg[] =
    "NEAR needs a word, prefix, phrase, fig: or re: on each side";
static const char nothing_msg[] =
    "nothing to exclude from: add a word that must match";

static const err_case err_cases[] = {
    { "", "empty query", 0 },
    { " \t\n ", "empty query", 0 },
    /* parentheses */
    { "(", "unbalanced parenthesis", 0 },
    { "a (b", "unbalanced parenthesis", 2 },
    { "((a)", "unbalanced parenthesis", 0 },
    { "a (b OR c", "unbalanced parenthesis", 2 },
    { ")", "unbalanced parenthesis", 0 },
    { "a)", "unbalanced parenthesis", 1 },
    { "(a))", "unbalanced parenthesis", 3 },
    { "(a path:b))", "unbalanced parenthesis", 10 },
    { "()", "empty group", 0 },
    { "a ( ) b", "empty group", 2 },
    /* phrases */
    { "\"a b", "unterminated phrase", 0 },
    { "a \"b c", "unterminated phrase", 2 },
    { "\"a\" \"", "unterminated phrase", 4 },
    { "\"\"", "empty phrase", 0 },
    { "a \" \t \"", "empty phrase", 2 },
    /* prefixes and globs */
    { "*", "empty prefix", 0 },
    { "a **", "empty prefix", 2 },
    { "-*", "empty prefix", 1 },
    { "path:", "empty path glob", 0 },
    { "a path: b", "empty path glob", 2 },
    { "(a path:)", "empty path glob", 3 },
    /* OR, AND */
    { "OR a", "OR needs a left operand", 0 },
    { "(OR a)", "OR needs a left operand", 1 },
    { "a OR", "OR needs a right operand", 2 },
    { "a OR OR b", "OR needs a right operand", 2 },
    { "(a OR)", "OR needs a right operand", 3 },
    { "a OR AND b", "OR needs a right operand", 2 },
    { "AND a", "AND needs a left operand", 0 },
    { "a OR AND", "OR needs a right operand", 2 },
    { "(AND a)", "AND needs a left operand", 1 },
    { "a AND", "AND needs a right operand", 2 },
    { "a AND AND b", "AND needs a right operand", 2 },
    { "a AND OR b", "AND needs a right operand", 2 },
    { "(a AND)", "AND needs a right operand", 3 },
    /* NOT */
    { "NOT", "NOT needs an operand", 0 },
    { "a NOT", "NOT needs an operand", 2 },
    { "(a NOT)", "NOT needs an operand", 3 },
    { "a NOT OR b", "NOT needs an operand", 2 },
    { "a NOT AND b", "NOT needs an operand", 2 },
    { "-a", nothing_msg, 0 },
    { "NOT a", nothing_msg, 0 },
    { "-a -b", nothing_msg, 0 },
    { "(-a)", nothing_msg, 1 },
    { "a OR -b", nothing_msg, 5 },
    { "-a OR b", nothing_msg, 0 },
    { "a OR NOT b c OR NOT d", nothing_msg, 16 },
    { "x OR (-a -b)", nothing_msg, 6 },
    { "NOT NOT a", nothing_msg, 4 },
    { "x NOT -a", nothing_msg, 6 },
    { "x -(-a)", nothing_msg, 4 },
    { "-path:x", nothing_msg, 0 },
    /* NEAR */
    { "a NEAR/x b", "NEAR/k needs a number from 0 to 1000", 2 },
    { "a NEAR/ b", "NEAR/k needs a number from 0 to 1000", 2 },
    { "a NEAR/5x b", "NEAR/k needs a number from 0 to 1000", 2 },
    { "a NEAR/-1 b", "NEAR/k needs a number from 0 to 1000", 2 },
    { "a NEAR/1001 b", "NEAR/k needs a number from 0 to 1000", 2 },
    { "a NEAR/99999999999999999999999 b",
      "NEAR/k needs a number from 0 to 1000", 2 },
    { "NEAR a", near_msg, 0 },
    { "a NEAR", near_msg, 2 },
    { "a NEAR/3", near_msg, 2 },
    { "a NEAR OR b", near_msg, 2 },
    { "(a NEAR)", near_msg, 3 },
    { "a NEAR (b c)", near_msg, 7 },
    { "a NEAR (b OR c)", near_msg, 7 },
    { "(a b) NEAR c", near_msg, 0 },
    { "x -a NEAR b", near_msg, 2 },
    { "a NEAR -b", near_msg, 7 },
    { "a NEAR NOT b", near_msg, 7 },
    { "path:x NEAR a", near_msg, 0 },
    { "a NEAR path:x", near_msg, 7 },
    { "(a NEAR b) NEAR c", near_msg, 0 },
    { "a NEAR/2 b NEAR/3 c", "NEAR cannot be chained", 11 },
    { "a NEAR b NEAR c", "NEAR cannot be chained", 9 },
};

/* Parse text; on success write its tree to tree and return 1, on error
 * print it and return 0. */
static int
format_of(const char *text, char *tree, size_t cap)
{
    query *q = NULL;
    char msg[128];
    size_t offset = 99;
    int rc = query_parse(text, strlen(text), &q, msg, sizeof msg, &offset);

    if (rc) {
        printf("  query '%s': rc %d, %s at %zu\n", text, rc, msg, offset);
        return 0;
    }
    query_format(query_root(q), tree, cap);
    query_free(q);
    return 1;
}

static void
test_trees(void)
{
    char got[512];

    for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
        const ok_case *c = &ok_cases[i];

        if (!format_of(c->text, got, sizeof got)) {
            CHECK(!"parses");
        } else if (strcmp(got, c->tree) != 0) {
            printf("  query '%s'\n   want %s\n    got %s\n",
                   c->text, c->tree, got);
            CHECK(!"tree as expected");
        }
    }
}

static void
test_errors(void)
{
    for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
        const err_case *c = &err_cases[i];
        query *q = (query *)&q;
        char msg[128] = "";
        size_t offset = 99;
        int rc = query_parse(c->text, strlen(c->text), &q, msg, sizeof msg,
                             &offset);

        if (rc != BRIEF_ESYNTAX || q != NULL || strcmp(msg, c->msg) != 0
            || offset != c->offset) {
            printf("  query '%s'\n   want %d %s at %zu\n    got %d %s at %zu"
                   "\n", c->text, BRIEF_ESYNTAX, c->msg, c->offset, rc,
                   msg, offset);
            CHECK(!"error as expected");
        }
        if (rc == 0)
            query_free(q);
    }
}

/* text is not NUL-terminated: only text[0..len) is read, and a NUL byte
 * inside it separates words. */
static void
test_length_and_nul(void)
{
    static const char text[] = "a b\0c)";
    query *q;
    char tree[64];

    CHECK(query_parse(text, 3, &q, NULL, 0, NULL) == 0);
    query_format(query_root(q), tree, sizeof tree);
    CHECK(strcmp(tree, "AND(TERM(a), TERM(b))") == 0);
    query_free(q);
    CHECK(query_parse(text, 5, &q, NULL, 0, NULL) == 0);
    query_format(query_root(q), tree, sizeof tree);
    CHECK(strcmp(tree, "AND(TERM(a), TERM(b), TERM(c))") == 0);
    query_free(q);
    CHECK(query_parse(NULL, 0, &q, NULL, 0, NULL) == BRIEF_ESYNTAX);
    CHECK(q == NULL);
    query_free(NULL);
}

static void
test_spans(void)
{
    static const char text[] = "x (a b) -\"c d\" e NEAR/5 f* path:g";
    const qnode *r, *k;
    query *q;

    CHECK(query_parse(text, strlen(text), &q, NULL, 0, NULL) == 0);
    r = query_root(q);
    CHECK(r->kind == Q_AND && r->n_kids == 6);
    CHECK(r->offset == 0 && r->len == strlen(text));
    CHECK(r->kids[1]->offset == 3 && r->kids[1]->len == 1);
    k = r->kids[3];
    CHECK(k->kind == Q_NOT && k->offset == 8 && k->len == 6);
    CHECK(k->kids[0]->kind == Q_PHRASE && k->kids[0]->offset == 9);
    CHECK(k->kids[0]->n_words == 2);
    CHECK(strcmp(k->kids[0]->words[1], "d") == 0);
    k = r->kids[4];
    CHECK(k->kind == Q_NEAR && k->k == 5 && k->offset == 15);
    CHECK(k->len == 11);
    CHECK(k->kids[1]->kind == Q_PREFIX && k->kids[1]->offset == 24);
    CHECK(k->kids[1]->len == 2 && strcmp(k->kids[1]->text, "f") == 0);
    k = r->kids[5];
    CHECK(k->kind == Q_PATH && k->offset == 27 && k->len == 6);
    CHECK(strcmp(k->text, "g") == 0);
    query_free(q);
}

static void
test_format_truncates(void)
{
    query *q;
    char out[16];

    CHECK(query_parse("abc", 3, &q, NULL, 0, NULL) == 0);
    memset(out, 'x', sizeof out);
    query_format(query_root(q), out, 5);
    CHECK(strcmp(out, "TERM") == 0);
    query_format(query_root(q), out, 1);
    CHECK(out[0] == '\0');
    out[0] = 'x';
    query_format(query_root(q), out, 0);
    CHECK(out[0] == 'x');
    query_free(q);
}

static void
test_message_truncates(void)
{
    query *q;
    char msg[6];
    size_t offset = 99;

    CHECK(query_parse("()", 2, &q, msg, sizeof msg, &offset)
          == BRIEF_ESYNTAX);
    CHECK(strcmp(msg, "empty") == 0 && offset == 0);
    CHECK(query_parse("()", 2, &q, NULL, 0, NULL) == BRIEF_ESYNTAX);
}

/* n copies of open, then mid, then n copies of close. */
static char *
nest(size_t n, const char *open, const char *mid, const char *close)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    char *s = malloc(n * (lo + lc) + lm + 1), *p = s;

    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < n; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

/* Parse text, expecting either tree (when msg is NULL) or msg at offset. */
static int
expect(const char *text, const char *tree, const char *msg, size_t offset)
{
    query *q = NULL;
    char got[128] = "";
    size_t got_offset = 99;
    int rc;

    if (!text)
        return 0;
    rc = query_parse(text, strlen(text), &q, got, sizeof got, &got_offset);
    if (rc == 0)
        query_format(query_root(q), got, sizeof got);
    query_free(q);
    if (!msg)
        return rc == 0 && strcmp(got, tree) == 0;
    return rc == BRIEF_ESYNTAX && strcmp(got, msg) == 0
        && got_offset == offset;
}

static int
parses(const char *text)
{
    query *q = NULL;
    int rc;

    if (!text)
        return 0;
    rc = query_parse(text, strlen(text), &q, NULL, 0, NULL);
    query_free(q);
    return rc == 0;
}

static void
test_deep_nesting(void)
{
    static const char deep[] = "query nested too deeply";
    char *s;
    const size_t max = QUERY_MAX_DEPTH;

    CHECK(expect(s = nest(max, "(", "a", ")"), "TERM(a)", NULL, 0));
    free(s);
    CHECK(expect(s = nest(max + 1, "(", "a", ")"), NULL, deep, max));
    free(s);
    CHECK(expect(s = nest(1000, "(", "a", ")"), NULL, deep, max));
    free(s);
    CHECK(expect(s = nest(100000, "(", "", ""), NULL, deep, max));
    free(s);
    CHECK(expect(s = nest(1000, "NOT ", "a", ""), NULL, deep, 4 * max));
    free(s);
    CHECK(expect(s = nest(1000, "x -(", "a", ")"), NULL, deep,
                 4 * (max / 2) + 2));
    free(s);
    CHECK(parses(s = nest(max / 2, "x -(", "a", ")")));
    free(s);
}

static void
test_many_terms(void)
{
    const size_t n = 10000;
    size_t cap = n * 12, len = 0;
    char *text = malloc(cap);
    const qnode *r;
    query *q;

    if (!text) {
        CHECK(!"malloc");
        return;
    }
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "w%zu ", i);
    CHECK(query_parse(text, len, &q, NULL, 0, NULL) == 0);
    r = query_root(q);
    CHECK(r->kind == Q_AND && r->n_kids == n);
    CHECK(strcmp(r->kids[n - 1]->text, "w9999") == 0);
    query_free(q);

    len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%sw%zu",
                                i ? " OR " : "", i);
    CHECK(query_parse(text, len, &q, NULL, 0, NULL) == 0);
    r = query_root(q);
    CHECK(r->kind == Q_OR && r->n_kids == n);
    CHECK(strcmp(r->kids[4321]->text, "w4321") == 0);
    query_free(q);
    free(text);
}

/* Append copies of unit to text until it holds at least size bytes;
 * return the number of copies. */
static size_t
repeat(char *text, size_t size, const char *unit)
{
    size_t n = 0, len = 0, unit_len = strlen(unit);

    for (; len < size; n++, len += unit_len)
        memcpy(text + len, unit, unit_len + 1);
    return n;
}

/* 100 KB as one word, as one phrase, and as groups to flatten. */
static void
test_100k(void)
{
    const size_t size = 100 * 1024;
    char *text = malloc(size + 16);
    const qnode *r;
    size_t n;
    query *q;

    if (!text) {
        CHECK(!"malloc");
        return;
    }
    memset(text, 'a', size);
    CHECK(query_parse(text, size, &q, NULL, 0, NULL) == 0);
    CHECK(strlen(query_root(q)->text) == size);
    query_free(q);

    text[0] = '"';
    for (size_t i = 1; i + 1 < size; i += 2)
        text[i + 1] = ' ';
    text[size - 1] = '"';
    CHECK(query_parse(text, size, &q, NULL, 0, NULL) == 0);
    r = query_root(q);
    CHECK(r->kind == Q_PHRASE && r->n_words == (size - 2) / 2);
    query_free(q);

    n = repeat(text, size, "(a -b) ");
    CHECK(query_parse(text, strlen(text), &q, NULL, 0, NULL) == 0);
    r = query_root(q);
    CHECK(r->kind == Q_AND && r->n_kids == 2 * n);
    CHECK(r->kids[2 * n - 1]->kind == Q_NOT);
    query_free(q);

    n = repeat(text, size, "(a OR b) OR ");
    text[strlen(text) - 4] = '\0';
    CHECK(query_parse(text, strlen(text), &q, NULL, 0, NULL) == 0);
    r = query_root(q);
    CHECK(r->kind == Q_OR && r->n_kids == 2 * n);
    query_free(q);
    free(text);
}

int
main(void)
{
    TEST(test_trees);
    TEST(test_errors);
    TEST(test_length_and_nul);
    TEST(test_spans);
    TEST(test_format_truncates);
    TEST(test_message_truncates);
    TEST(test_deep_nesting);
    TEST(test_many_terms);
    TEST(test_100k);
    return check_report();
}
