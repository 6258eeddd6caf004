/*
 * query.h: query text -> syntax tree.  The parser knows nothing about
 * tokenizing or stemming: a term keeps the text the user typed, and
 * eval.c turns it into index words.
 *
 * Grammar (docs/QUERY.md is the user-facing copy), loosest first:
 *
 *   query   := or
 *   or      := and { "OR" and }
 *   and     := near { ["AND"] near }          implicit AND between operands
 *   near    := unary { "NEAR" ["/" k] unary } k defaults to 10
 *   unary   := ("NOT" | "-") unary | primary  "-" only directly before an
 *                                             operand, "NOT" as a word
 *   primary := "(" or ")" | '"' words '"' | word | word"*" | "path:"GLOB
 *
 * Operators are recognised only in upper case; "and", "or", "not", "near"
 * are ordinary words.  A word is a run of bytes other than white space,
 * '(', ')' and '"'.  A trailing '*' makes a prefix.  "path:" followed by
 * a glob restricts the documents (the glob runs to the next white space).
 *
 * Checks made here, each an error with the position of the culprit:
 * unbalanced parentheses and quotes, an operator without an operand, an
 * empty phrase or group, NEAR/k with k not a number in 0..1000, a NEAR
 * operand that is not a word, prefix or phrase, a NOT that has nothing to
 * be subtracted from (the query or an OR branch is only negative), an
 * empty prefix ("*"), an empty glob.
 */
#ifndef BRIEF_QUERY_H
#define BRIEF_QUERY_H

#include <stddef.h>
#include <stdint.h>

typedef enum qkind {
    Q_TERM,      /* text: a word as typed */
    Q_PREFIX,    /* text: the prefix as typed, without the '*' */
    Q_PHRASE,    /* words[0..n_words): the words inside the quotes */
    Q_PATH,      /* text: the glob */
    Q_AND,       /* kids[0..n_kids), n_kids >= 2; some may be Q_NOT */
    Q_OR,        /* kids[0..n_kids), n_kids >= 2; none is Q_NOT */
    Q_NOT,       /* kids[0]: what is excluded; only as a Q_AND kid */
    Q_NEAR,      /* kids[0], kids[1]: Q_TERM, Q_PREFIX or Q_PHRASE; k */
} qkind;

typedef struct qnode {
    qkind kind;
    char *text;              /* Q_TERM, Q_PREFIX, Q_PATH; NUL-terminated */
    char **words;            /* Q_PHRASE */
    size_t n_words;
    struct qnode **kids;
    size_t n_kids;
    unsigned k;              /* Q_NEAR: at most k words between the two */
    size_t offset, len;      /* where the node is in the query text */
} qnode;

typedef struct query query;

/* Parse text[0..len).  On success returns 0 and *out (free with
 * query_free()).  On a syntax error returns -1, *out = NULL, and fills
 * msg (at most msg_cap bytes, e.g. "unbalanced parenthesis") and *offset
 * (0-based byte offset of the culprit).  Out of memory: -2. */
int query_parse(const char *text, size_t len, query **out,
                char *msg, size_t msg_cap, size_t *offset);

/* The root of the tree; borrowed until query_free(). */
const qnode *query_root(const query *q);

void query_free(query *q);

/* Append the tree as one line, e.g. AND(TERM(5g), OR(TERM(a), TERM(b)),
 * NOT(PHRASE("x y")), NEAR/5(TERM(a), PREFIX(imm*))) to out (NUL-
 * terminated, truncated at cap).  For --explain and for tests. */
void query_format(const qnode *n, char *out, size_t cap);

#endif
