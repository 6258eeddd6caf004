/*
 * regex.h: PCRE2 patterns, compiled once (UTF, UCP, JIT) and matched the
 * way grep does: line by line unless multiline.  Only regex.c calls
 * pcre2_*.
 */
#ifndef BRIEF_REGEX_H
#define BRIEF_REGEX_H

#include <stdbool.h>
#include <stddef.h>

enum {
    REGEX_CASELESS  = 1 << 0,   /* -i */
    REGEX_WORD      = 1 << 1,   /* -w: the match is a whole word */
    REGEX_MULTILINE = 1 << 2,   /* -U: a match may cross line breaks */
    REGEX_NO_LITERAL = 1 << 3,  /* never look for the literal or trigrams
                                 * first (for tests: the same matches,
                                 * slower) */
    REGEX_FORCE_SCAN = 1 << 4,  /* for tests: look for trigrams whenever
                                 * the pattern has a set of them, however
                                 * common, rather than for its literal */
};

typedef struct regex regex;

/* Compile patterns[0..n) into one (any of them may match).  On a bad
 * pattern returns BRIEF_ESYNTAX with PCRE2's message in msg, *which the
 * pattern's index and *offset the byte in it; BRIEF_ENOMEM. */
int regex_compile(regex **out, const char *const *patterns, size_t n,
                  unsigned flags, char *msg, size_t msg_cap, size_t *which,
                  size_t *offset);

void regex_free(regex *r);

/* A regex matching as r does, for another thread: it shares r's compiled
 * code (read-only while matching) and has its own match state.  Free it
 * with regex_free() before r.  BRIEF_OK or BRIEF_ENOMEM. */
int regex_clone(const regex *r, regex **out);

/* What r looks for before it runs PCRE2 (for tests and profiles): 'l' its
 * literal, 't' a set of trigrams, 0 neither. */
int regex_prefilter(const regex *r);

/* The leftmost match in s[0..len) starting at or after `from`, which must
 * be a character boundary; s is valid UTF-8.  Unless multiline, a match
 * never contains '\n' (the line is then searched on its own, as grep
 * would).  Returns 1 with [*ms, *me), 0 when there is none, BRIEF_ELIMIT
 * when PCRE2's match or depth limit stopped it, or BRIEF_ENOMEM. */
int regex_next(regex *r, const char *s, size_t len, size_t from,
               size_t *ms, size_t *me);

/* regex_next()'s match if it starts before end, a line's start (just
 * after a '\n') or len; at end too when end is len.  The search reads
 * no further than end (nor than the match's line), so that a caller
 * can scan a text's zones alone (trigram.h).  Not multiline unless end
 * is len (BRIEF_EINVAL). */
int regex_next_in(regex *r, const char *s, size_t len, size_t from,
                  size_t end, size_t *ms, size_t *me);

#endif
