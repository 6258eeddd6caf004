/*
 * query.c: the query parser, a recursive descent over the grammar in
 * query.h with one token of look-ahead.  Nodes and strings come from an
 * arena owned by the query, so query_free() is one walk over a few
 * blocks.  Nothing here tokenizes, folds case or stems.
 */
#include <assert.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "query.h"

#define NEAR_DEFAULT_K 10
#define NEAR_MAX_K     1000

static const char near_operand_msg[] =
    "NEAR needs a word, prefix, phrase, fig: or re: on each side";
static const char nothing_msg[] =
    "nothing to exclude from: add a word that must match";

/* ---- arena ---------------------------------------------------------- */

/* Blocks double from 4 KB up to 1 MB: a one-word query costs one small
 * block, a 100 KB query a handful of large ones. */
#define BLOCK_MIN ((size_t)4096)
#define BLOCK_MAX ((size_t)1 << 20)

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct query {
    block *blocks;           /* newest first */
    qnode *root;
};

/* n bytes aligned for any type, or NULL when out of memory. */
static void *
alloc(query *q, size_t n)
{
    const size_t align = alignof(max_align_t);
    block *b = q->blocks;
    size_t cap;
    void *p;

    n = (n + align - 1) / align * align;
    if (!b || b->cap - b->used < n) {
        cap = b ? b->cap * 2 : BLOCK_MIN;
        if (cap > BLOCK_MAX)
            cap = BLOCK_MAX;
        if (cap < n)
            cap = n;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = q->blocks;
        q->blocks = b;
    }
    p = (unsigned char *)b->data + b->used;
    b->used += n;
    return p;
}

/* A NUL-terminated copy of s[0..len), or NULL when out of memory. */
static char *
copy_text(query *q, const char *s, size_t len)
{
    char *t = alloc(q, len + 1);

    if (t) {
        memcpy(t, s, len);
        t[len] = '\0';
    }
    return t;
}

/* ---- lexer ---------------------------------------------------------- */

typedef enum ttype {
    T_END, T_WORD, T_PREFIX, T_PATH, T_FIG, T_RE, T_PHRASE, T_LPAREN,
    T_RPAREN,
    T_NEG, T_NOT, T_AND, T_OR, T_NEAR,
} ttype;

typedef struct token {
    ttype type;
    size_t start, end;       /* text[start..end) */
    unsigned k;              /* T_NEAR */
} token;

typedef struct parser {
    const char *text;
    size_t len;
    size_t pos;              /* where the next token is lexed */
    token tok;               /* the current token */
    size_t prev_end;         /* end of the last token consumed */
    unsigned depth;          /* groups and NOTs open */
    query *q;
    qnode **stack;           /* operands of the AND/OR nodes being built */
    size_t n_stack, cap_stack;
    int rc;
    size_t err_offset;
    const char *err_msg;
} parser;

static bool
is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
        || c == '\v' || c == '\0';
}

static bool
is_word_byte(unsigned char c)
{
    return !is_space(c) && c != '(' && c != ')' && c != '"';
}

/* Record the first error and return its code. */
static int
fail(parser *p, size_t offset, const char *msg)
{
    if (!p->rc) {
        p->rc = BRIEF_ESYNTAX;
        p->err_offset = offset;
        p->err_msg = msg;
    }
    return p->rc;
}

static int
fail_nomem(parser *p)
{
    if (!p->rc) {
        p->rc = BRIEF_ENOMEM;
        p->err_offset = 0;
        p->err_msg = "out of memory";
    }
    return p->rc;
}

static bool
word_is(const parser *p, size_t start, size_t end, const char *kw)
{
    size_t n = strlen(kw);

    return end - start == n && memcmp(p->text + start, kw, n) == 0;
}

/* Classify the word text[start..end): an operator when keywords is set,
 * else a term or prefix.  Fills p->tok. */
static int
classify_word(parser *p, size_t start, size_t end, bool keywords)
{
    const char *s = p->text;
    size_t i, k = 0;

    p->tok.start = start;
    p->tok.end = end;
    if (keywords && word_is(p, start, end, "AND"))
        p->tok.type = T_AND;
    else if (keywords && word_is(p, start, end, "OR"))
        p->tok.type = T_OR;
    else if (keywords && word_is(p, start, end, "NOT"))
        p->tok.type = T_NOT;
    else if (keywords && word_is(p, start, end, "NEAR")) {
        p->tok.type = T_NEAR;
        p->tok.k = NEAR_DEFAULT_K;
    } else if (keywords && end - start >= 5
               && memcmp(s + start, "NEAR/", 5) == 0) {
        /* Stop adding digits once past the limit: no overflow. */
        for (i = start + 5; i < end && s[i] >= '0' && s[i] <= '9'; i++)
            if (k <= NEAR_MAX_K)
                k = k * 10 + (size_t)(s[i] - '0');
        if (i == start + 5 || i < end || k > NEAR_MAX_K)
            return fail(p, start, "NEAR/k needs a number from 0 to 1000");
        p->tok.type = T_NEAR;
        p->tok.k = (unsigned)k;
    } else if (s[end - 1] == '*') {
        for (i = end; i > start && s[i - 1] == '*'; i--)
            ;
        if (i == start)
            return fail(p, start, "empty prefix");
        p->tok.type = T_PREFIX;
    } else
        p->tok.type = T_WORD;
    return 0;
}

/* Lex the token at p->pos into p->tok.  keywords is false right after a
 * leading '-', whose operand is never an operator. */
static int
lex(parser *p, bool keywords)
{
    const char *s = p->text;
    size_t i = p->pos, start, depth = 0;

    while (i < p->len && is_space((unsigned char)s[i]))
        i++;
    start = i;
    p->tok.start = start;
    if (i == p->len) {
        p->tok.type = T_END;
        p->tok.end = p->pos = i;
        return 0;
    }
    if (s[i] == '(' || s[i] == ')') {
        p->tok.type = s[i] == '(' ? T_LPAREN : T_RPAREN;
        p->tok.end = p->pos = i + 1;
        return 0;
    }
    if (s[i] == '"') {
        for (i++; i < p->len && s[i] != '"'; i++)
            ;
        if (i == p->len)
            return fail(p, start, "unterminated phrase");
        p->tok.type = T_PHRASE;
        p->tok.end = p->pos = i + 1;
        return 0;
    }
    if (s[i] == '-' && i + 1 < p->len && s[i + 1] != '-'
        && s[i + 1] != ')' && !is_space((unsigned char)s[i + 1])) {
        p->tok.type = T_NEG;
        p->tok.end = p->pos = i + 1;
        return 0;
    }
    if (p->len - i >= 4 && memcmp(s + i, "fig:", 4) == 0) {
        for (i += 4; i < p->len && !is_space((unsigned char)s[i]) &&
             s[i] != ')'; i++)
            ;
        p->tok.type = T_FIG;
        p->tok.end = p->pos = i;
        return 0;
    }
    if (p->len - i >= 3 && memcmp(s + i, "re:", 3) == 0) {
        /* re:/PATTERN/ or re:/PATTERN/i; "\/" stands for a '/'. */
        if (i + 3 >= p->len || s[i + 3] != '/')
            return fail(p, start, "re: needs a pattern between slashes: "
                        "re:/PATTERN/");
        for (i += 4; i < p->len && s[i] != '/'; i++)
            if (s[i] == '\\' && i + 1 < p->len)
                i++;
        if (i >= p->len)
            return fail(p, start, "unterminated re:/PATTERN/");
        if (i == start + 4)
            return fail(p, start, "empty re:// pattern");
        for (i++; i < p->len && s[i] == 'i'; i++)
            ;
        if (i < p->len && !is_space((unsigned char)s[i]) && s[i] != ')')
            return fail(p, i, "re:/PATTERN/ takes only the flag i");
        p->tok.type = T_RE;
        p->tok.end = p->pos = i;
        return 0;
    }
    if (p->len - i >= 5 && memcmp(s + i, "path:", 5) == 0) {
        for (i += 5; i < p->len && !is_space((unsigned char)s[i]); i++) {
            if (s[i] == ')' && depth == 0)
                break;
            depth += s[i] == '(';
            depth -= s[i] == ')';
        }
        if (i == start + 5)
            return fail(p, start, "empty path glob");
        p->tok.type = T_PATH;
        p->tok.end = p->pos = i;
        return 0;
    }
    while (i < p->len && is_word_byte((unsigned char)s[i]))
        i++;
    p->pos = i;
    return classify_word(p, start, i, keywords);
}

/* Consume the current token and lex the next. */
static int
advance(parser *p)
{
    bool keywords = p->tok.type != T_NEG;

    p->prev_end = p->tok.end;
    return lex(p, keywords);
}

static bool
starts_operand(ttype t)
{
    return t == T_WORD || t == T_PREFIX || t == T_PATH || t == T_PHRASE
        || t == T_FIG || t == T_RE
        || t == T_LPAREN || t == T_NEG || t == T_NOT;
}

/* ---- nodes ---------------------------------------------------------- */

static qnode *
new_node(parser *p, qkind kind, size_t start)
{
    qnode *n = alloc(p->q, sizeof *n);

    if (!n) {
        fail_nomem(p);
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->offset = start;
    n->len = p->prev_end - start;
    return n;
}

/* Push n on the operand stack; when n is itself a `kind` node, push its
 * kids instead (flattening). */
static int
push_flat(parser *p, qnode *n, qkind kind)
{
    size_t add = n->kind == kind ? n->n_kids : 1, cap;
    qnode **stack;

    if (p->cap_stack - p->n_stack < add) {
        cap = p->cap_stack ? p->cap_stack : 64;
        while (cap - p->n_stack < add)
            cap *= 2;
        stack = realloc(p->stack, cap * sizeof *stack);
        if (!stack)
            return fail_nomem(p);
        p->stack = stack;
        p->cap_stack = cap;
    }
    if (n->kind == kind) {
        memcpy(p->stack + p->n_stack, n->kids, add * sizeof *n->kids);
        p->n_stack += add;
    } else
        p->stack[p->n_stack++] = n;
    return 0;
}

/* Make a `kind` node of the operands stacked from base on, and pop them. */
static int
pop_node(parser *p, qkind kind, size_t base, size_t start, qnode **out)
{
    size_t n_kids = p->n_stack - base;
    qnode *n = new_node(p, kind, start);

    if (!n)
        return p->rc;
    n->kids = alloc(p->q, n_kids * sizeof *n->kids);
    if (!n->kids)
        return fail_nomem(p);
    memcpy(n->kids, p->stack + base, n_kids * sizeof *n->kids);
    n->n_kids = n_kids;
    p->n_stack = base;
    *out = n;
    return 0;
}

/* The NOT that makes n only negative (n itself, or the first kid of an
 * AND whose kids are all NOTs), or NULL when n has a positive part. */
static const qnode *
only_negative(const qnode *n)
{
    if (n->kind == Q_NOT)
        return n;
    if (n->kind != Q_AND)
        return NULL;
    for (size_t i = 0; i < n->n_kids; i++)
        if (n->kids[i]->kind != Q_NOT)
            return NULL;
    return n->kids[0];
}

static int
check_positive(parser *p, const qnode *n)
{
    const qnode *neg = only_negative(n);

    return neg ? fail(p, neg->offset, nothing_msg) : 0;
}

/* ---- parser --------------------------------------------------------- */

static int parse_or(parser *p, qnode **out);
static int parse_unary(parser *p, qnode **out);

/* The words between the quotes of the current T_PHRASE token. */
static int
parse_phrase(parser *p, qnode **out)
{
    const char *s = p->text;
    size_t start = p->tok.start, end = p->tok.end - 1, i, w, n_words = 0;
    qnode *n;

    for (i = start + 1; i < end; i++)
        if (!is_space((unsigned char)s[i])
            && (i == start + 1 || is_space((unsigned char)s[i - 1])))
            n_words++;
    if (n_words == 0)
        return fail(p, start, "empty phrase");
    p->prev_end = p->tok.end;
    n = new_node(p, Q_PHRASE, start);
    if (!n || !(n->words = alloc(p->q, n_words * sizeof *n->words)))
        return fail_nomem(p);
    for (i = start + 1; i < end; i = w) {
        while (i < end && is_space((unsigned char)s[i]))
            i++;
        for (w = i; w < end && !is_space((unsigned char)s[w]); w++)
            ;
        if (w > i) {
            n->words[n->n_words] = copy_text(p->q, s + i, w - i);
            if (!n->words[n->n_words++])
                return fail_nomem(p);
        }
    }
    *out = n;
    return advance(p);
}

/* A word, prefix or path: the current token's text, less the "path:" or
 * the trailing '*'s. */
static int
parse_leaf(parser *p, qkind kind, qnode **out)
{
    size_t start = p->tok.start, end = p->tok.end;
    qnode *n;

    if (kind == Q_PATH)
        start += 5;
    if (kind == Q_FIG)
        start += 4;
    while (kind == Q_PREFIX && p->text[end - 1] == '*')
        end--;
    p->prev_end = p->tok.end;
    n = new_node(p, kind, p->tok.start);
    if (!n || !(n->text = copy_text(p->q, p->text + start, end - start)))
        return fail_nomem(p);
    *out = n;
    return advance(p);
}

/* re:/PATTERN/[i]: text is the pattern with "\\/" turned into '/';
 * k is 1 with the flag i. */
static int
parse_re(parser *p, qnode **out)
{
    const char *s = p->text + p->tok.start + 4;
    size_t end = p->tok.end, close = end, n = 0;
    qnode *nd;
    char *pat;

    while (p->text[close - 1] == 'i')
        close--;
    close--;                            /* the closing '/' */
    p->prev_end = p->tok.end;
    nd = new_node(p, Q_RE, p->tok.start);
    if (!nd || !(pat = alloc(p->q, close - (p->tok.start + 4) + 1)))
        return fail_nomem(p);
    for (const char *c = s; c < p->text + close; c++) {
        if (*c == '\\' && c + 1 < p->text + close && c[1] == '/')
            c++;
        pat[n++] = *c;
    }
    pat[n] = '\0';
    nd->text = pat;
    nd->k = close + 1 < end;
    *out = nd;
    return advance(p);
}

static int
parse_group(parser *p, qnode **out)
{
    size_t open = p->tok.start;
    int rc;

    if (p->depth >= QUERY_MAX_DEPTH)
        return fail(p, open, "query nested too deeply");
    if ((rc = advance(p)))
        return rc;
    if (p->tok.type == T_RPAREN)
        return fail(p, open, "empty group");
    if (p->tok.type == T_END)
        return fail(p, open, "unbalanced parenthesis");
    p->depth++;
    rc = parse_or(p, out);
    p->depth--;
    if (rc)
        return rc;
    if (p->tok.type != T_RPAREN)
        return fail(p, open, "unbalanced parenthesis");
    return advance(p);
}

static int
parse_primary(parser *p, qnode **out)
{
    switch (p->tok.type) {
    case T_WORD:   return parse_leaf(p, Q_TERM, out);
    case T_PREFIX: return parse_leaf(p, Q_PREFIX, out);
    case T_PATH:   return parse_leaf(p, Q_PATH, out);
    case T_FIG:    return parse_leaf(p, Q_FIG, out);
    case T_RE:     return parse_re(p, out);
    case T_PHRASE: return parse_phrase(p, out);
    case T_LPAREN: return parse_group(p, out);
    case T_OR:     return fail(p, p->tok.start, "OR needs a left operand");
    case T_AND:    return fail(p, p->tok.start, "AND needs a left operand");
    case T_NEAR:   return fail(p, p->tok.start, near_operand_msg);
    case T_RPAREN: return fail(p, p->tok.start, "unbalanced parenthesis");
    case T_END:    break;
    case T_NEG:    break;
    case T_NOT:    break;
    }
    /* Callers check for T_END; parse_unary takes T_NEG and T_NOT. */
    assert(p->tok.type == T_END);
    return fail(p, p->tok.start, "empty query");
}

static int
parse_unary(parser *p, qnode **out)
{
    size_t start = p->tok.start;
    qnode *kid, *n;
    int rc;

    if (p->tok.type != T_NOT && p->tok.type != T_NEG)
        return parse_primary(p, out);
    if (p->depth >= QUERY_MAX_DEPTH)
        return fail(p, start, "query nested too deeply");
    if ((rc = advance(p)))
        return rc;
    if (!starts_operand(p->tok.type))
        return fail(p, start, "NOT needs an operand");
    p->depth++;
    rc = parse_unary(p, &kid);
    p->depth--;
    if (rc || (rc = check_positive(p, kid)))
        return rc;
    if (!(n = new_node(p, Q_NOT, start))
        || !(n->kids = alloc(p->q, sizeof *n->kids)))
        return fail_nomem(p);
    n->kids[0] = kid;
    n->n_kids = 1;
    *out = n;
    return 0;
}

static bool
near_operand(const qnode *n)
{
    return n->kind == Q_TERM || n->kind == Q_PREFIX || n->kind == Q_PHRASE
        || n->kind == Q_FIG || n->kind == Q_RE;
}

static int
parse_near(parser *p, qnode **out)
{
    size_t start = p->tok.start, near_at, right_at;
    unsigned k;
    qnode *left, *right, *n;
    int rc;

    if ((rc = parse_unary(p, &left)))
        return rc;
    if (p->tok.type != T_NEAR) {
        *out = left;
        return 0;
    }
    near_at = p->tok.start;
    k = p->tok.k;
    if (!near_operand(left))
        return fail(p, start, near_operand_msg);
    if ((rc = advance(p)))
        return rc;
    if (!starts_operand(p->tok.type))
        return fail(p, near_at, near_operand_msg);
    right_at = p->tok.start;
    if ((rc = parse_unary(p, &right)))
        return rc;
    if (!near_operand(right))
        return fail(p, right_at, near_operand_msg);
    if (p->tok.type == T_NEAR)
        return fail(p, p->tok.start, "NEAR cannot be chained");
    if (!(n = new_node(p, Q_NEAR, start))
        || !(n->kids = alloc(p->q, 2 * sizeof *n->kids)))
        return fail_nomem(p);
    n->kids[0] = left;
    n->kids[1] = right;
    n->n_kids = 2;
    n->k = k;
    *out = n;
    return 0;
}

static int
parse_and(parser *p, qnode **out)
{
    size_t start = p->tok.start, base = p->n_stack, and_at;
    qnode *kid;
    int rc;

    if ((rc = parse_near(p, &kid)))
        return rc;
    for (;;) {
        if (p->tok.type == T_AND) {
            and_at = p->tok.start;
            if ((rc = advance(p)))
                return rc;
            if (!starts_operand(p->tok.type))
                return fail(p, and_at, "AND needs a right operand");
        } else if (!starts_operand(p->tok.type))
            break;
        if ((rc = push_flat(p, kid, Q_AND)) || (rc = parse_near(p, &kid)))
            return rc;
    }
    if (p->n_stack == base) {
        *out = kid;
        return 0;
    }
    if ((rc = push_flat(p, kid, Q_AND)))
        return rc;
    return pop_node(p, Q_AND, base, start, out);
}

static int
parse_or(parser *p, qnode **out)
{
    size_t start = p->tok.start, base = p->n_stack, or_at;
    qnode *kid;
    int rc;

    if ((rc = parse_and(p, &kid)))
        return rc;
    while (p->tok.type == T_OR) {
        or_at = p->tok.start;
        if ((rc = check_positive(p, kid)) || (rc = push_flat(p, kid, Q_OR))
            || (rc = advance(p)))
            return rc;
        if (!starts_operand(p->tok.type))
            return fail(p, or_at, "OR needs a right operand");
        if ((rc = parse_and(p, &kid)))
            return rc;
    }
    if (p->n_stack == base) {
        *out = kid;
        return 0;
    }
    if ((rc = check_positive(p, kid)) || (rc = push_flat(p, kid, Q_OR)))
        return rc;
    return pop_node(p, Q_OR, base, start, out);
}

static int
parse_query(parser *p)
{
    qnode *root;
    int rc;

    if ((rc = lex(p, true)))
        return rc;
    if (p->tok.type == T_END)
        return fail(p, 0, "empty query");
    if ((rc = parse_or(p, &root)))
        return rc;
    if (p->tok.type == T_RPAREN)
        return fail(p, p->tok.start, "unbalanced parenthesis");
    assert(p->tok.type == T_END);
    if ((rc = check_positive(p, root)))
        return rc;
    p->q->root = root;
    return 0;
}

int
query_parse(const char *text, size_t len, query **out,
            char *msg, size_t msg_cap, size_t *offset)
{
    parser p;
    query *q;

    assert(out && (text || len == 0));
    *out = NULL;
    memset(&p, 0, sizeof p);
    p.text = text;
    p.len = len;
    q = calloc(1, sizeof *q);
    if (!q)
        fail_nomem(&p);
    else {
        p.q = q;
        parse_query(&p);
    }
    free(p.stack);
    if (p.rc) {
        query_free(q);
        if (msg && msg_cap)
            snprintf(msg, msg_cap, "%s", p.err_msg);
        if (offset)
            *offset = p.err_offset;
        return p.rc;
    }
    *out = q;
    return 0;
}

const qnode *
query_root(const query *q)
{
    return q->root;
}

void
query_free(query *q)
{
    block *b, *next;

    if (!q)
        return;
    for (b = q->blocks; b; b = next) {
        next = b->next;
        free(b);
    }
    free(q);
}

/* ---- format --------------------------------------------------------- */

typedef struct sink {
    char *out;
    size_t cap, len;         /* len < cap: room for the NUL is kept */
} sink;

static void
put(sink *w, const char *s)
{
    size_t n = strlen(s);

    if (n > w->cap - 1 - w->len)
        n = w->cap - 1 - w->len;
    memcpy(w->out + w->len, s, n);
    w->len += n;
    w->out[w->len] = '\0';
}

static void
format_node(sink *w, const qnode *n)
{
    static const char *const names[] = {
        [Q_TERM] = "TERM(", [Q_PREFIX] = "PREFIX(", [Q_PHRASE] = "PHRASE(",
        [Q_PATH] = "PATH(", [Q_FIG] = "FIG(", [Q_RE] = "RE(",
        [Q_AND] = "AND(", [Q_OR] = "OR(",
        [Q_NOT] = "NOT(", [Q_NEAR] = "NEAR/",
    };
    char k[16];

    put(w, names[n->kind]);
    if (n->kind == Q_NEAR) {
        snprintf(k, sizeof k, "%u(", n->k);
        put(w, k);
    }
    switch (n->kind) {
    case Q_TERM:
    case Q_PATH:
    case Q_FIG:
        put(w, n->text);
        break;
    case Q_RE:
        put(w, "/");
        put(w, n->text);
        put(w, n->k ? "/i" : "/");
        break;
    case Q_PREFIX:
        put(w, n->text);
        put(w, "*");
        break;
    case Q_PHRASE:
        put(w, "\"");
        for (size_t i = 0; i < n->n_words; i++) {
            put(w, i ? " " : "");
            put(w, n->words[i]);
        }
        put(w, "\"");
        break;
    case Q_AND:
    case Q_OR:
    case Q_NOT:
    case Q_NEAR:
        for (size_t i = 0; i < n->n_kids; i++) {
            put(w, i ? ", " : "");
            format_node(w, n->kids[i]);
        }
        break;
    }
    put(w, ")");
}

void
query_format(const qnode *n, char *out, size_t cap)
{
    sink w = { out, cap, 0 };

    if (cap == 0)
        return;
    out[0] = '\0';
    format_node(&w, n);
}
