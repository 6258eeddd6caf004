/*
 * stem.c: libstemmer behind a direct-mapped cache.  Running text repeats
 * its words, so most calls are a hash, a memcmp and no Snowball run.  The
 * only file that calls sb_stemmer_*.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "stem.h"

/* 4096 slots of 79 bytes (320 KB): enough for the working vocabulary of a
 * document batch; a power of two so the slot is a mask of the hash. */
#define CACHE_SLOTS 4096
/* Words and stems longer than this bypass the cache (rare; English words
 * over 38 bytes are mostly noise). */
#define CACHE_WORD 38

typedef struct slot {
    unsigned char word_len;         /* 0: empty */
    unsigned char stem_len;
    char word[CACHE_WORD];
    char stem[CACHE_WORD + 1];
} slot;

struct stemmer {
    struct sb_stemmer *sb;
    slot *cache;
};

stemmer *
stemmer_new(const char *lang, bool *unknown)
{
    stemmer *s;
    struct sb_stemmer *probe;

    if (unknown)
        *unknown = false;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cache = calloc(CACHE_SLOTS, sizeof *s->cache);
    if (!s->cache)
        goto fail;
    s->sb = lang ? sb_stemmer_new(lang, "UTF_8") : NULL;
    if (!s->sb) {
        /* libstemmer returns NULL both for an unknown name and for out of
         * memory: if a stemmer every build has can be made, the name was
         * the problem. */
        probe = lang ? sb_stemmer_new("english", "UTF_8") : NULL;
        if (unknown)
            *unknown = probe != NULL || !lang;
        sb_stemmer_delete(probe);
        goto fail;
    }
    return s;
fail:
    free(s->cache);
    free(s);
    return NULL;
}

void
stemmer_free(stemmer *s)
{
    if (!s)
        return;
    sb_stemmer_delete(s->sb);
    free(s->cache);
    free(s);
}

/* FNV-1a. */
static uint32_t
hash(const char *w, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h;
}

const char *
stemmer_stem(stemmer *s, const char *word, size_t len, size_t *stem_len)
{
    slot *e = NULL;
    const sb_symbol *out;
    size_t n;

    if (len > 0 && len <= CACHE_WORD) {
        e = &s->cache[hash(word, len) & (CACHE_SLOTS - 1)];
        if (e->word_len == len && memcmp(e->word, word, len) == 0) {
            *stem_len = e->stem_len;
            return e->stem;
        }
    }
    if (len > INT_MAX)
        return NULL;
    out = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
    if (!out)
        return NULL;
    n = (size_t)sb_stemmer_length(s->sb);
    *stem_len = n;
    if (!e || n > CACHE_WORD)
        return (const char *)out;
    memcpy(e->word, word, len);
    e->word_len = (unsigned char)len;
    memcpy(e->stem, out, n);
    e->stem[n] = '\0';
    e->stem_len = (unsigned char)n;
    return e->stem;
}

const char **
stem_languages(void)
{
    return sb_stemmer_list();
}
