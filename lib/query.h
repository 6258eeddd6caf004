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
 *            | "fig:"BOUNDS | "re:/"PATTERN"/"["i"]
 *
 * Operators are recognised only in upper case; "and", "or", "not", "near"
 * are ordinary words.  A word is a run of bytes other than white space,
 * '(', ')' and '"'.  A trailing '*' makes a prefix ("immigra*"; "a**" is
 * the prefix "a"); a '*' inside a word is part of it ("a*b").
 *
 * "-" is NOT when it begins a word and the next byte starts an operand:
 * "-foo", "-(a b)", '-"a b"'.  What follows such a "-" is never an
 * operator ("-OR" excludes the word OR).  "a-b", a lone "-" and "--foo"
 * are words.  Inside quotes nothing is an operator: the words are split
 * on white space, and there is no nesting.
 *
 * "path:" followed by a glob restricts the documents.  The glob runs to
 * the next white space and may hold any byte ('*', '"', '(' ...), except
 * that a ')' with no '(' before it in the glob ends it: "(a path:*.c)"
 * works, and "path:x(1).txt" is one glob.  Only lower-case "path:".
 *
 * "fig:" is followed by figure bounds up to white space or ')': a unit
 * ("fig:yuan"), a comparison or range ("fig:>100000", "fig:20..40%"), or
 * both ("fig:yuan>1tn"); eval.c reads them (figures_parse_query).  An
 * empty "fig:" matches every figure.  "re:/PATTERN/" takes a PCRE2 pattern
 * up to the next unescaped '/' (write "\/" for a '/'; it may hold white
 * space), then an optional flag i.  Both are leaves like words: they may
 * be NEAR operands.
 *
 * The tree: AND of ANDs and OR of ORs are flattened into one node, and an
 * operator with a single operand is not made ("(a)" is TERM(a)).  NOT
 * binds tightest, then NEAR, then AND, then OR: "a b OR c" is
 * OR(AND(a, b), c); "a NOT b", "a -b" and "a AND NOT b" are AND(a,
 * NOT(b)).  The root is never Q_NOT, and every Q_AND has at least one kid
 * that is not Q_NOT.
 *
 * Errors.  The parser stops at the first error it meets, reading left
 * to right (an unclosed '(' is noticed only where its ')' should be), and
 * reports the message below and the byte offset of the culprit.
 *
 *   "empty query"                 nothing but white space; offset 0
 *   "unbalanced parenthesis"      the '(' never closed, or the stray ')'
 *   "empty group"                 "()": the '('
 *   "query nested too deeply"     more than QUERY_MAX_DEPTH groups and
 *                                 NOTs inside each other: the first '(',
 *                                 NOT or '-' over the limit
 *   "unterminated phrase"         the opening '"'
 *   "empty phrase"                '""' or '"  "': the opening '"'
 *   "empty prefix"                "*": the '*'
 *   "empty path glob"             "path:" alone: the 'p'
 *   "OR needs a left operand"     the OR; likewise "OR needs a right
 *                                 operand", "AND needs a left operand",
 *                                 "AND needs a right operand"
 *   "NOT needs an operand"        the NOT ("a NOT", "NOT )")
 *   "nothing to exclude from: add a word that must match"
 *                                 the query, an OR branch or the operand
 *                                 of a NOT is only negative ("-a",
 *                                 "a OR -b", "NOT NOT a"): its first NOT
 *   "NEAR/k needs a number from 0 to 1000"
 *                                 "NEAR/x", "NEAR/1001": the NEAR
 *   "re: needs a pattern between slashes: re:/PATTERN/"
 *                                 "re:" without a '/': the 'r'; likewise
 *                                 "unterminated re:/PATTERN/" and
 *                                 "empty re:// pattern"
 *   "re:/PATTERN/ takes only the flag i"
 *                                 the first byte after the '/' that is not
 *   "NEAR needs a word, prefix, phrase, fig: or re: on each side"
 *                                 the operand that is something else, or
 *                                 the NEAR when an operand is missing
 *   "NEAR cannot be chained"      "a NEAR b NEAR c": the second NEAR
 */
#ifndef BRIEF_QUERY_H
#define BRIEF_QUERY_H

#include <stddef.h>
#include <stdint.h>

/* How many groups and NOTs may nest.  Real queries nest a few levels;
 * the limit bounds the parser's recursion (about five stack frames a
 * level), so no query text can overflow the stack. */
#define QUERY_MAX_DEPTH 100

typedef enum qkind {
    Q_TERM,      /* text: a word as typed */
    Q_PREFIX,    /* text: the prefix as typed, without the '*' */
    Q_PHRASE,    /* words[0..n_words): the words inside the quotes */
    Q_PATH,      /* text: the glob */
    Q_FIG,       /* text: the figure bounds after "fig:" (figquery.c) */
    Q_RE,        /* text: the PCRE2 pattern; k = 1 for re:/.../i */
    Q_AND,       /* kids[0..n_kids), n_kids >= 2; some may be Q_NOT,
                    not all */
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

/* Parse text[0..len).  On success returns 0 (BRIEF_OK) and *out (free
 * with query_free()).  On a syntax error returns BRIEF_ESYNTAX, *out =
 * NULL, and fills msg (at most msg_cap bytes, e.g. "unbalanced
 * parenthesis") and *offset (0-based byte offset of the culprit).  Out of
 * memory: BRIEF_ENOMEM, with msg "out of memory" and *offset 0.  msg may
 * be NULL (then msg_cap is ignored), and so may offset.  A NUL byte in
 * text counts as white space. */
int query_parse(const char *text, size_t len, query **out,
                char *msg, size_t msg_cap, size_t *offset);

/* The root of the tree; borrowed until query_free(). */
const qnode *query_root(const query *q);

/* Free the query and every node and string of its tree.  Accepts NULL. */
void query_free(query *q);

/* Write the tree as one line, e.g. AND(TERM(5g), OR(TERM(a), TERM(b)),
 * NOT(PHRASE("x y")), NEAR/5(TERM(a), PREFIX(imm*)), PATH(*.c)) into out
 * (from out[0], NUL-terminated, truncated at cap bytes; nothing is
 * written when cap is 0).  NEAR always shows its k.  For --explain and
 * for tests. */
void query_format(const qnode *n, char *out, size_t cap);

#endif
