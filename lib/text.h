/*
 * text.h: UTF-8 validation and Unicode normalization (NFKC + case fold)
 * through utf8proc.  Only text.c calls utf8proc_*.
 */
#ifndef BRIEF_TEXT_H
#define BRIEF_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF).  Otherwise false and *bad is the 0-based offset of the
 * first byte of the first invalid sequence. */
bool text_is_utf8(const char *s, size_t len, size_t *bad);

/* Decode one code point at s[0..len) (len > 0, valid UTF-8 assumed but
 * checked: an invalid byte decodes as U+FFFD of length 1).  Returns the
 * code point and sets *n to its byte length. */
int32_t text_decode(const char *s, size_t len, size_t *n);

/* Character classes the tokenizer needs, from utf8proc's categories. */
bool text_is_word_char(int32_t cp);   /* letters, marks, digits (L*, M*, N*) */
bool text_is_cjk(int32_t cp);         /* Han, Hiragana, Katakana, Hangul */
bool text_is_mark(int32_t cp);        /* combining marks (M*) */

/* NFKC + case fold s[0..len) into out (at most cap bytes, NUL-terminated).
 * U+2019 and U+02BC (apostrophes) become ASCII '.  Returns the length
 * written, or 0 when it did not fit or failed (s not valid UTF-8). */
size_t text_fold(const char *s, size_t len, char *out, size_t cap);

#endif
