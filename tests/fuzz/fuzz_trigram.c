/*
 * fuzz_trigram: the regex-to-trigram analysis (lib/trigram.h) on
 * arbitrary pattern bytes, and its soundness.
 *
 * Input: one flags byte (bit 0: caseless), then the pattern up to the
 * first NUL byte, then a text.  trigram_analyze() must return a query for
 * any pattern (it never fails on syntax) and tq_format() must print it.
 * Then, when the text is UTF-8 and the library's own regex (regex.c:
 * PCRE2 with UTF, UCP, MULTILINE) finds a match in it, the trigram query
 * must be true of the text's trigrams: otherwise the trigram index would
 * wrongly drop a document that matches.  Last, for any text, the scan of
 * the pattern's byte-level trigram set (lib/trigscan.h) must find what a
 * naive search of the set finds, from several starts in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "regex.h"
#include "text.h"
#include "trigram.h"
#include "trigscan.h"

/* Linear: texts here are short, and the set need not be sorted. */
static int
has(const trigset *s, trigram t)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == t)
            return 1;
    return 0;
}

static int
eval(const tq *q, const trigset *s)
{
    switch (q->kind) {
    case TQ_ALL:
        return 1;
    case TQ_NONE:
        return 0;
    case TQ_TRI:
        return has(s, q->tri);
    case TQ_PRE2:
        for (size_t i = 0; i < s->n; i++)
            if (s->v[i] >> 8 == q->tri >> 8)
                return 1;
        return 0;
    case TQ_AND:
        for (size_t i = 0; i < q->n_kids; i++)
            if (!eval(q->kids[i], s))
                return 0;
        return 1;
    case TQ_OR:
        for (size_t i = 0; i < q->n_kids; i++)
            if (eval(q->kids[i], s))
                return 1;
        return 0;
    }
    FUZZ_ASSERT(0, "tq kind %d", (int)q->kind);
    return 0;
}

/* Where the first of ts's trigrams starts in s[0..len), or -1. */
static long
naive_find(const trigscan *ts, const unsigned char *s, size_t len)
{
    for (size_t i = 0; i + 3 <= len; i++) {
        trigram t = (trigram)s[i] << 16 | (trigram)s[i + 1] << 8 | s[i + 2];
        for (size_t k = 0; k < ts->n; k++)
            if (ts->v[k] == t)
                return (long)i;
    }
    return -1;
}

/* trigscan_find() from several starts in text: NULL only when the set
 * has no trigram there, else one of them, starting at most two bytes
 * after the first. */
static void
check_scan(const char *pattern, const char *text, size_t len)
{
    static trigscan ts;
    tq *q = trigram_analyze_bytes(pattern);

    FUZZ_ASSERT(q != NULL, "analyze_bytes returned NULL");
    if (trigscan_build(q, &ts))
        for (size_t from = 0; from <= len; from += 1 + from) {
            const unsigned char *s = (const unsigned char *)text + from;
            const char *got = trigscan_find(&ts, text + from, len - from);
            long want = naive_find(&ts, s, len - from), at;
            at = got ? (long)(got - (text + from)) : -1;
            FUZZ_ASSERT(got ? want >= 0 && at <= want + 2 &&
                              naive_find(&ts, (const unsigned char *)got,
                                         3) == 0
                            : want < 0,
                        "/%s/: the scan from %zu found %ld, the first is "
                        "at %ld", pattern, from, at, want);
        }
    tq_free(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *pattern, *text, msg[256], shown[1024];
    const uint8_t *nul;
    size_t plen, tlen, bad, which, offset, ms, me;
    trigset set;
    const char *pats[1];
    bool caseless;
    regex *re = NULL;
    tq *q;

    if (size < 1 || size > 4096)
        return 0;
    memset(&set, 0, sizeof set);
    caseless = data[0] & 1;
    data++;
    size--;
    nul = memchr(data, '\0', size);
    plen = nul ? (size_t)(nul - data) : size;
    tlen = nul ? size - plen - 1 : 0;
    if (!(pattern = malloc(plen + 1)))
        return 0;
    memcpy(pattern, data, plen);
    pattern[plen] = '\0';

    q = trigram_analyze(pattern, caseless);
    FUZZ_ASSERT(q != NULL, "analyze returned NULL");
    tq_format(q, shown, sizeof shown);
    FUZZ_ASSERT(memchr(shown, '\0', sizeof shown), "format: no NUL");
    tq_format(q, shown, 1);

    text = malloc(tlen ? tlen : 1);
    if (!nul || !text)
        goto out;
    memcpy(text, nul + 1, tlen);       /* exact size: ASan sees overreads */
    check_scan(pattern, text, tlen);
    if (!text_is_utf8(text, tlen, &bad))
        goto out;
    pats[0] = pattern;
    if (regex_compile(&re, pats, 1, caseless ? REGEX_CASELESS : 0, msg,
                      sizeof msg, &which, &offset) != BRIEF_OK)
        goto out;
    if (regex_next(re, text, tlen, 0, &ms, &me) == 1) {
        FUZZ_ASSERT(trigram_extract(text, tlen, &set) == 0, "extract");
        tq_format(q, shown, sizeof shown);
        FUZZ_ASSERT(eval(q, &set), "pattern /%s/%s matches [%zu, %zu) of "
                    "the text but its trigram query %s is false",
                    pattern, caseless ? "i" : "", ms, me, shown);
    }
out:
    regex_free(re);
    trigset_free(&set);
    tq_free(q);
    free(text);
    free(pattern);
    return 0;
}
