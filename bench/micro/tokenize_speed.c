/*
 * tokenize_speed: nanoseconds a token of lib/tokenize.c, folded (as the
 * indexer tokenizes) and lazy (as passage cutting and citations do), over
 * the files named one a line on stdin, read into memory first; the best
 * of 5 passes.  The checksum covers every field of every token and its
 * folded word, so two builds that print the same checksum tokenized the
 * same.  `make bench-micro` builds it; for example
 *   find ../shared/corpora/large -type f | head -3000 |
 *       build/rel/bench/tokenize_speed
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "micro.h"
#include "tokenize.h"

static uint64_t
word_hash(const token *t)
{
    uint64_t h = 5381;

    if (!t->word)
        return 1;
    for (size_t i = 0; i <= t->word_len; i++)   /* the NUL too */
        h = h * 33 + (unsigned char)t->word[i];
    return h;
}

int
main(void)
{
    micro_texts m;
    tokenizer *t = tokenizer_new();

    if (!t || micro_read_files(stdin, &m) || m.n == 0) {
        fputs("tokenize_speed: file names on stdin, one a line\n", stderr);
        return 2;
    }
    for (int lazy = 0; lazy < 2; lazy++) {
        double best = 1e30;
        uint64_t n_tok = 0, sum = 0;
        for (int pass = 0; pass < 5; pass++) {
            double t0 = micro_now();
            token tok;
            n_tok = sum = 0;
            for (size_t i = 0; i < m.n; i++) {
                tokenizer_reset(t, m.text[i], m.len[i], 0);
                if (lazy)
                    tokenizer_lazy(t);
                while (tokenizer_next(t, &tok)) {
                    n_tok++;
                    sum = sum * 31 + tok.start * 7 + tok.end + tok.pos +
                          tok.flags + tok.word_len + word_hash(&tok);
                }
            }
            if (micro_now() - t0 < best)
                best = micro_now() - t0;
        }
        printf("%s: %llu tokens in %zu files, %.2f ns a token, "
               "checksum %016llx\n", lazy ? "lazy" : "folded",
               (unsigned long long)n_tok, m.n, best * 1e9 / (double)n_tok,
               (unsigned long long)sum);
    }
    tokenizer_free(t);
    micro_free(&m);
    return 0;
}
