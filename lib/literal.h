/*
 * literal.h: a string that every match of a PCRE2 pattern contains, as
 * bytes of the subject (case-sensitive patterns only), and a fast search
 * for it, so that a matcher can look for it before it runs the pattern,
 * as ripgrep does with its "inner literals".  Knows nothing about PCRE2:
 * the pattern is read by a small parser of its own, which gives up (no
 * literal) on whatever it does not follow.
 */
#ifndef BRIEF_LITERAL_H
#define BRIEF_LITERAL_H

#include <stdbool.h>
#include <stddef.h>

/* The longest literal kept; any piece of a required string is required
 * too, so cutting a longer one is always sound. */
#define LITERAL_MAX 64

/* A literal and how to look for it: the offsets of its two rarest bytes
 * (by the frequency of bytes in English text), checked 16 positions at a
 * time before the whole literal is compared. */
typedef struct literal {
    char s[LITERAL_MAX];
    size_t len;              /* 1 to LITERAL_MAX */
    size_t rare1, rare2;     /* offsets in s; equal when len is 1 */
} literal;

/* Find a string every match of pattern[0..len) contains (the pattern is
 * compiled with UTF and UCP, case-sensitive, not extended) and fill *out
 * for literal_find(); false when none is known.  Sound by construction:
 * the parts it does not understand (\K, (?i), (?x), verbs, recursion,
 * conditionals, \Q...\E, backreferences, malformed quantifiers) make it
 * return false, and classes, escapes such as \d and optional parts break
 * the string.  Of several candidates the longest is kept. */
bool literal_required(const char *pattern, size_t len, literal *out);

/* Whether looking for lit is likely faster than looking for byte c alone
 * (PCRE2 skips to a pattern's first code unit by itself): whether lit's
 * rarest byte is rarer than c. */
bool literal_beats(const literal *lit, unsigned char c);

/* How common byte c is in English text, 0 (never) to 255 (space, 'e'). */
int literal_frequency(unsigned char c);

/* The first occurrence of lit in s[0..len), or NULL. */
const char *literal_find(const literal *lit, const char *s, size_t len);

#endif
