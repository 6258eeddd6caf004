/*
 * terms.c: the word -> stem rule and postings keys (store.c documents the
 * key layout).
 */
#include <string.h>

#include "buf.h"
#include "terms.h"
#include "text.h"

const char *
terms_stem(stemmer *s, const char *word, size_t len, size_t *stem_len)
{
    size_t n;
    int32_t cp;

    if (len == 0)
        goto asis;
    /* Snowball works on letters; numbers, "5g" and CJK stay as they are. */
    cp = text_decode(word, len, &n);
    if (!text_is_word_char(cp) || text_is_cjk(cp) ||
        (cp >= '0' && cp <= '9'))
        goto asis;
    return stemmer_stem(s, word, len, stem_len);
asis:
    *stem_len = len;
    return word;
}

bool
terms_is_own_stem(stemmer *s, const char *word, size_t len)
{
    size_t stem_len;
    const char *stem = terms_stem(s, word, len, &stem_len);

    return stem && stem_len == len && memcmp(stem, word, len) == 0;
}

size_t
terms_key(unsigned char *key, const char *word, size_t len, uint32_t docid)
{
    if (len > TERMS_KEY_MAX - 5)
        len = TERMS_KEY_MAX - 5;
    memcpy(key, word, len);
    key[len] = 0;
    put_u32be(key + len + 1, docid);
    return len + 5;
}
