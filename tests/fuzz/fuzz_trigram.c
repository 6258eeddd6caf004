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
 * wrongly drop a document that matches.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "regex.h"
#include "text.h"
#include "trigram.h"

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
    if (!nul || !text || !text_is_utf8((const char *)nul + 1, tlen, &bad))
        goto out;
    memcpy(text, nul + 1, tlen);
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
