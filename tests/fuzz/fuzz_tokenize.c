/*
 * fuzz_tokenize: the tokenizer on arbitrary bytes.  The input is cut at
 * its first invalid UTF-8 byte (the indexer skips files that are not
 * UTF-8, so the tokenizer is only ever given valid text), tokenized from
 * a position taken from the input, and every token is checked against
 * the rules in lib/tokenize.h: spans inside the text, on character
 * boundaries and in order, folded forms non-empty, NUL-terminated, valid
 * UTF-8 and within the length caps, positions never going back,
 * TOKEN_PART only after TOKEN_COMPOUND.  Then the same text again in lazy
 * mode (tokenizer_lazy()): once tokenizer_word() has folded each token,
 * the tokens must be the eager ones.  Last, the eager tokens must be
 * those of the reference tokenizer (tokenize_ref.h), which has no fast
 * paths.  And skipping (tokenizer_skip(), as citations use it, in lazy
 * mode) to ascending positions taken from the input must land on the
 * eager token at or after each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "text.h"
#include "tokenize.h"
#include "../unit/tokenize_ref.h"

static tokenizer *tk, *ref;

/* The eager pass's tokens, with their words, for the lazy pass. */
typedef struct seen {
    token tok;
    char word[TOKEN_MAX_FOLDED + 1];
} seen;

static seen *eager;
static size_t cap_eager;

static int
is_boundary(const uint8_t *s, size_t len, size_t at)
{
    return at == 0 || at == len || (s[at] & 0xC0) != 0x80;
}

/* Whether tok (folded) is the eager pass's token i. */
static int
same_token(const token *tok, int i)
{
    return tok->pos == eager[i].tok.pos && tok->start == eager[i].tok.start &&
           tok->end == eager[i].tok.end && tok->flags == eager[i].tok.flags &&
           tok->word_len == eager[i].tok.word_len &&
           memcmp(tok->word, eager[i].word, tok->word_len + 1) == 0;
}

/* The tokens of next() (folded by word(), unless NULL) must be the n of
 * the eager pass. */
static void
replay(const char *what, tokenizer *t, int (*next)(tokenizer *, token *),
       void (*word)(tokenizer *, token *), int n)
{
    token tok;

    for (int i = 0; i <= n; i++) {
        int more = next(t, &tok);
        FUZZ_ASSERT(more == (i < n), "%s: %s token %d of %d", what,
                    more ? "an extra" : "no", i, n);
        if (!more)
            break;
        if (word)
            word(t, &tok);
        FUZZ_ASSERT(same_token(&tok, i),
                    "%s: token %d differs", what, i);
    }
}

/* In lazy mode, skip to ascending positions (steps of 1 to 4 taken from
 * the input's bytes) and read the token there: it must be the first
 * eager token at that position or later, and tokenizer_pos() must have
 * said so. */
static void
check_skip(tokenizer *t, const uint8_t *data, size_t size, uint32_t want,
           int n)
{
    token tok;
    int i = 0;

    for (size_t step = 0;; step++) {
        uint32_t pos;
        tokenizer_skip(t, want);
        while (i < n && eager[i].tok.pos < want)
            i++;
        pos = tokenizer_pos(t);
        FUZZ_ASSERT(i == n || pos == eager[i].tok.pos,
                    "skip to %u: next position %u, expected %u", want, pos,
                    eager[i].tok.pos);
        if (!tokenizer_next(t, &tok)) {
            FUZZ_ASSERT(i == n, "skip to %u: no token, expected %d of %d",
                        want, i, n);
            return;
        }
        FUZZ_ASSERT(i < n, "skip to %u: a token past the last", want);
        tokenizer_word(t, &tok);
        FUZZ_ASSERT(same_token(&tok, i),
                    "skip to %u: token %d differs", want, i);
        i++;
        want = tok.pos + (size ? data[step % size] % 4 : 1);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t first_pos = 0;
    size_t bad, len;
    uint32_t last_pos;
    size_t last_start = 0;
    unsigned last_flags = 0;
    char *text;
    token tok;
    int n = 0;

    if ((!tk && !(tk = tokenizer_new())) ||
        (!ref && !(ref = ref_tokenizer_new())))
        abort();
    if (size >= 1) {
        first_pos = data[0];
        data++;
        size--;
    }
    len = text_is_utf8((const char *)data, size, &bad) ? size : bad;
    /* An exact-size copy, so that ASan sees any read past the end. */
    text = malloc(len ? len : 1);
    if (!text)
        return 0;
    memcpy(text, data, len);
    tokenizer_reset(tk, text, len, first_pos);
    last_pos = first_pos;
    while (tokenizer_next(tk, &tok)) {
        FUZZ_ASSERT(tok.start < tok.end && tok.end <= len,
                    "span [%zu, %zu) of %zu", tok.start, tok.end, len);
        FUZZ_ASSERT(tok.end - tok.start <= TOKEN_MAX_BYTES,
                    "span of %zu bytes", tok.end - tok.start);
        FUZZ_ASSERT(is_boundary(data, len, tok.start) &&
                    is_boundary(data, len, tok.end),
                    "span [%zu, %zu) splits a character", tok.start,
                    tok.end);
        FUZZ_ASSERT(tok.word_len > 0 && tok.word_len <= TOKEN_MAX_FOLDED,
                    "folded length %zu", tok.word_len);
        FUZZ_ASSERT(strlen(tok.word) == tok.word_len,
                    "word_len %zu, strlen %zu", tok.word_len,
                    strlen(tok.word));
        FUZZ_ASSERT(text_is_utf8(tok.word, tok.word_len, &bad),
                    "folded word not UTF-8 at %zu", bad);
        FUZZ_ASSERT(n == 0 || tok.pos >= last_pos,
                    "position %u after %u", tok.pos, last_pos);
        FUZZ_ASSERT(n > 0 || tok.pos == first_pos,
                    "first position %u, expected %u", tok.pos, first_pos);
        FUZZ_ASSERT(!(tok.flags & TOKEN_PART) ||
                    (n > 0 && (last_flags & (TOKEN_COMPOUND | TOKEN_PART))),
                    "TOKEN_PART not after a compound");
        FUZZ_ASSERT(n == 0 || tok.start >= last_start ||
                    (last_flags & TOKEN_COMPOUND),
                    "token at %zu after one at %zu", tok.start,
                    last_start);
        last_pos = tok.pos;
        last_start = tok.start;
        last_flags = tok.flags;
        if ((size_t)n == cap_eager) {
            cap_eager = cap_eager ? 2 * cap_eager : 256;
            if (!(eager = realloc(eager, cap_eager * sizeof *eager)))
                abort();
        }
        eager[n].tok = tok;
        memcpy(eager[n].word, tok.word, tok.word_len + 1);
        n++;
    }
    tokenizer_reset(tk, text, len, first_pos);
    tokenizer_lazy(tk);
    replay("lazy mode", tk, tokenizer_next, tokenizer_word, n);
    ref_tokenizer_reset(ref, text, len, first_pos);
    replay("reference", ref, ref_tokenizer_next, NULL, n);
    tokenizer_reset(tk, text, len, first_pos);
    tokenizer_lazy(tk);
    check_skip(tk, data, size, first_pos + (size ? data[size - 1] % 8 : 0),
               n);
    free(text);
    return 0;
}
