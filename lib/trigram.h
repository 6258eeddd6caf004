/*
 * trigram.h: the trigrams of a text, and a regex turned into a boolean
 * query of trigrams that every match must contain (Russ Cox's codesearch
 * algebra).  Texts and pattern literals are case-folded the same way, so
 * one index serves case-sensitive and caseless patterns alike.  Nothing
 * here knows about LMDB (trigindex.c stores and looks up the lists).
 */
#ifndef BRIEF_TRIGRAM_H
#define BRIEF_TRIGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A trigram as a number: its three bytes, big-endian (sorts like bytes). */
typedef uint32_t trigram;

/* The trigrams of a text, zone by zone: zone k's are v[zend[k - 1] ..
 * zend[k]) (from 0 for k = 0), distinct within the zone, in the order of
 * their first occurrence.  trigram_extract() fills one zone. */
typedef struct trigset {
    trigram *v;
    size_t n, cap;
    size_t *zend;            /* n_zones ends in v */
    size_t n_zones, cap_zones;
    uint64_t *seen;          /* 2^24-bit map while extracting (2 MiB) */
    char *fold;              /* the folded text, kept when small */
    size_t fold_cap;
} trigset;

/*
 * Zones.  A text of len bytes has trigram_zones(len, zone_bytes) zones
 * (1 for an empty text): zone k holds the lines that start at a byte
 * offset in [k * zone_bytes, (k + 1) * zone_bytes), so it begins at
 * trigram_zone_start(k) and ends where zone k + 1 begins (a line's
 * start, or len).  A zone may be empty (inside a long line).  Its
 * trigrams are those that start in its folded bytes, the last two
 * reaching into the next zone's: every match within one line has all
 * its trigrams in its line's zone, and a text's zones together hold
 * exactly its trigrams.
 */
size_t trigram_zones(size_t len, size_t zone_bytes);
size_t trigram_zone_start(const char *text, size_t len, size_t zone_bytes,
                          size_t k);

/* The distinct trigrams of the case-folded text[0..len) (valid UTF-8),
 * as one zone, or zone by zone.  Returns 0, or -1 when out of memory. */
int trigram_extract(const char *text, size_t len, trigset *out);
int trigram_extract_zones(const char *text, size_t len, size_t zone_bytes,
                          trigset *out);
void trigset_free(trigset *s);
/* Swap the extraction's scratch (seen map, fold buffer) of a and b: a
 * thread that fills many sets in turn keeps one scratch for all. */
void trigset_swap_scratch(trigset *a, trigset *b);

/* Case-fold s[0..len) as the index does into out (malloc'ed, *out_len);
 * returns -1 when out of memory. */
int trigram_fold(const char *s, size_t len, char **out, size_t *out_len);

/* A trigram query: ALL matches every document, NONE no document, TRI
 * the documents holding a trigram, PRE2 those holding some trigram that
 * begins with two given bytes (any third byte: a range of the index's
 * keys, printed "ab*"). */
typedef enum tq_kind {
    TQ_ALL, TQ_NONE, TQ_TRI, TQ_AND, TQ_OR, TQ_PRE2
} tq_kind;

typedef struct tq {
    tq_kind kind;
    trigram tri;             /* TQ_TRI; TQ_PRE2: its two bytes as the
                              * first two of a trigram, the third 0 */
    struct tq **kids;        /* TQ_AND, TQ_OR */
    size_t n_kids;
} tq;

/* Analyse a PCRE2 pattern (caseless: -i).  Never fails for syntax it does
 * not understand: such parts become ALL, so the query is always implied
 * by a match.  Returns NULL only when out of memory. */
tq *trigram_analyze(const char *pattern, bool caseless);

/* The same analysis of a case-sensitive pattern without folding: the
 * trigrams are bytes every match (the part PCRE2 reports) holds exactly
 * as the text has them, for a search of the text itself rather than of
 * the index.  A pattern that turns caseless with (?i), or holds \K or a
 * (*VERB), gives ALL.  Returns NULL only when out of memory. */
tq *trigram_analyze_bytes(const char *pattern);

/* The query of several patterns, any of which may match: OR of each. */
tq *trigram_analyze_any(const char *const *patterns, size_t n,
                        bool caseless);

void tq_free(tq *q);

/* Write q as text, e.g. ("tri" AND "ril") OR "$1"* OR ALL, NUL-terminated
 * and truncated at cap. */
void tq_format(const tq *q, char *out, size_t cap);

#endif
