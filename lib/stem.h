/*
 * stem.h: Snowball stemming through libstemmer, with a small cache.  Only
 * stem.c calls sb_stemmer_*.  One stemmer per handle; not thread-safe.
 */
#ifndef BRIEF_STEM_H
#define BRIEF_STEM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct stemmer stemmer;

/* NULL when the language is unknown (see stem_languages()) or out of
 * memory; *unknown tells which. */
stemmer *stemmer_new(const char *lang, bool *unknown);
void stemmer_free(stemmer *s);

/* The stem of a folded word.  Borrowed: valid until the next call.  Words
 * that stemming must not touch (numbers, CJK) are the caller's to skip.
 * NULL when out of memory (or len > INT_MAX). */
const char *stemmer_stem(stemmer *s, const char *word, size_t len,
                         size_t *stem_len);

/* libstemmer's language names, NULL-terminated (static). */
const char **stem_languages(void);

#endif
