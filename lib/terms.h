/*
 * terms.h: how words become index keys.  The index stores words as
 * written (folded); a stemmed query looks up the stem in the stems
 * database to find every word with that stem.
 */
#ifndef BRIEF_TERMS_H
#define BRIEF_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stem.h"

/* Longest postings key: a folded word, a 0 byte and a 4-byte docid. */
#define TERMS_KEY_MAX (240 + 5)

/* The stem of a folded word: Snowball's for words that begin with a
 * letter outside the CJK scripts; the word itself otherwise (numbers,
 * "5g", CJK bigrams).  Borrowed: valid until the next call. */
const char *terms_stem(stemmer *s, const char *word, size_t len,
                       size_t *stem_len);

/* Whether word is its own stem.  Such a word (most words of a large corpus:
 * numbers, names, junk) has no entry in the stems database; a query whose
 * stem it is finds it by its postings key alone. */
bool terms_is_own_stem(stemmer *s, const char *word, size_t len);

/* Write the postings key word | 0 | u32be docid into key; return its
 * length.  key has room for TERMS_KEY_MAX bytes. */
size_t terms_key(unsigned char *key, const char *word, size_t len,
                 uint32_t docid);

#endif
