/*
 * trigscan.h: a set of trigrams one of which every match of a pattern
 * holds, picked from its trigram query (trigram_analyze_bytes()), and a
 * search of a text for them.  A matcher looks for the next of them and
 * runs the pattern only on that line, as with a required literal
 * (literal.h) where a pattern has none: "\b(1[6-9]|20)[0-9]{2} ?[-–] ?..."
 * needs one of "0-1", "- 1", "\x93 1"... around its dash.
 */
#ifndef BRIEF_TRIGSCAN_H
#define BRIEF_TRIGSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trigram.h"

/* The most trigrams and distinct anchor bytes kept: each anchor costs a
 * compare per 16 bytes of text, and a larger set is seldom selective. */
#define TRIGSCAN_MAX     256
#define TRIGSCAN_ANCHORS 4
#define TRIGSCAN_FOLLOW  3

/* Trigrams grouped by the anchor byte they are looked for by (each one's
 * rarest byte) and its offset in them. */
typedef struct trigscan_group {
    size_t first, n;             /* in trigscan.v */
    uint64_t other[2][4];        /* the bytes at the other two offsets */
} trigscan_group;

typedef struct trigscan {
    trigram v[TRIGSCAN_MAX];     /* sorted within each group */
    size_t n;
    unsigned char anchor[TRIGSCAN_ANCHORS];
    size_t n_anchors;
    unsigned char slot[256];     /* anchor index + 1 of a byte, or 0 */
    trigscan_group group[TRIGSCAN_ANCHORS][3];
    /* The bytes that may follow each anchor in its trigrams, when they
     * are a range (lo..hi) and at most TRIGSCAN_FOLLOW others: the scan
     * then checks anchor and next byte together (filtered[a]). */
    bool filtered[TRIGSCAN_ANCHORS], any_filtered;
    unsigned char lo[TRIGSCAN_ANCHORS], hi[TRIGSCAN_ANCHORS];
    unsigned char follow[TRIGSCAN_ANCHORS][TRIGSCAN_FOLLOW];
    size_t n_follow[TRIGSCAN_ANCHORS];
    int frequency;               /* of the most common anchor (literal.h) */
} trigscan;

/* Pick from q a set of trigrams one of which every string satisfying q
 * holds (the cheapest to look for, by the frequency of their rarest
 * bytes) and fill *out.  False when there is none within the limits
 * above (q is ALL, or an OR of too many). */
bool trigscan_build(const tq *q, trigscan *out);

/* The first position in s[0..len) where one of ts's trigrams starts,
 * found by the position of its anchor byte; NULL when there is none. */
const char *trigscan_find(const trigscan *ts, const char *s, size_t len);

#endif
