/*
 * resyntax.h: pieces of PCRE2's pattern syntax that the two pattern
 * analyses, literal.c (the literal every match holds) and trigram.c (the
 * trigram query), read alike.  Each analysis keeps its own parser: what
 * they make of a pattern differs.
 */
#ifndef BRIEF_RESYNTAX_H
#define BRIEF_RESYNTAX_H

#include <stddef.h>

/*
 * The quantifier at s[*pos] (s holds len bytes): *, +, ?, {n}, {n,} or
 * {n,m}, with a lazy or possessive mark after it.  Returns 1 with *min,
 * *max (-1: no bound; a count past 100000 is not kept exactly, but stays
 * past it) and *pos moved past it; 0 when there is none there (a '{' is
 * then a literal to every PCRE2); -1, *pos unmoved, for a '{' that PCRE2
 * versions read differently: {,m} and forms with spaces ({ 2 }, {2, 3})
 * are quantifiers from PCRE2 10.43 on, literals before.  A caller gives
 * up on the pattern rather than guess.
 */
int resyntax_quant(const char *s, size_t len, size_t *pos, long *min,
                   long *max);

#endif
