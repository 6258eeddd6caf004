/*
 * tokenize_ref.h: lib/tokenize.c once more, built without its fast paths
 * (the SSE2 runs and the simple ASCII word) and named ref_tokenizer_*:
 * the reference the real tokenizer must agree with, token for token
 * (test_tokenize's reference_same, fuzz_tokenize).  Include it once, in
 * a program linked with libbrief.
 */
#ifndef BRIEF_TOKENIZE_REF_H
#define BRIEF_TOKENIZE_REF_H

#include "tokenize.h"

tokenizer *ref_tokenizer_new(void);
void ref_tokenizer_free(tokenizer *t);
void ref_tokenizer_reset(tokenizer *t, const char *text, size_t len,
                         uint32_t first_pos);
void ref_tokenizer_lazy(tokenizer *t);
int ref_tokenizer_next(tokenizer *t, token *tok);
void ref_tokenizer_word(tokenizer *t, token *tok);
uint32_t ref_tokenizer_pos(const tokenizer *t);
void ref_tokenizer_skip(tokenizer *t, uint32_t pos);

#define BRIEF_TOKENIZE_REFERENCE
#define tokenizer_new   ref_tokenizer_new
#define tokenizer_free  ref_tokenizer_free
#define tokenizer_reset ref_tokenizer_reset
#define tokenizer_lazy  ref_tokenizer_lazy
#define tokenizer_next  ref_tokenizer_next
#define tokenizer_word  ref_tokenizer_word
#define tokenizer_pos   ref_tokenizer_pos
#define tokenizer_skip  ref_tokenizer_skip
#include "tokenize.c"
#undef tokenizer_new
#undef tokenizer_free
#undef tokenizer_reset
#undef tokenizer_lazy
#undef tokenizer_next
#undef tokenizer_word
#undef tokenizer_pos
#undef tokenizer_skip

#endif
