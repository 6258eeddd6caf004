/*
 * buf.c: growable buffer, varints and fixed-width integers.
 *
 * varint: 7 bits a byte, least significant group first, high bit set on
 * every byte but the last (LEB128).  [0xAC 0x02] encodes 300.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "buf.h"

void
buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void
buf_reserve(int *rc, buf *b, size_t n)
{
    size_t cap;
    unsigned char *p;

    if (*rc || b->len + n <= b->cap)
        return;
    /* 24 bytes fill glibc's smallest chunk (32).  Most buffers are a
     * batch's stream of one rare word or trigram, a few bytes long:
     * starting at 64 (an 80-byte chunk) cost a 24 MiB batch about 20 MiB
     * more resident memory (bench/PROFILE.md). */
    cap = b->cap ? b->cap : 24;
    while (cap < b->len + n)
        cap *= 2;
    p = realloc(b->data, cap);
    if (!p) {
        *rc = BRIEF_ENOMEM;
        return;
    }
    b->data = p;
    b->cap = cap;
}

void
buf_put(int *rc, buf *b, const void *p, size_t n)
{
    buf_reserve(rc, b, n);
    if (*rc || n == 0)
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void
buf_put_byte(int *rc, buf *b, unsigned char c)
{
    buf_reserve(rc, b, 1);
    if (!*rc)
        b->data[b->len++] = c;
}

void
buf_put_str(int *rc, buf *b, const char *s)
{
    buf_put(rc, b, s, strlen(s));
}

void
buf_put_u32be(int *rc, buf *b, uint32_t v)
{
    buf_reserve(rc, b, 4);
    if (!*rc) {
        put_u32be(b->data + b->len, v);
        b->len += 4;
    }
}

void
buf_printf(int *rc, buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*rc)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        *rc = BRIEF_EINVAL;
        return;
    }
    buf_reserve(rc, b, (size_t)n + 1);
    if (*rc)
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

uint32_t
get_u32be(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

void
put_u32be(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

uint32_t
get_u32le(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
           (uint32_t)p[1] << 8 | p[0];
}

void
put_u32le(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

uint64_t
get_u64le(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

void
put_u64le(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (unsigned char)v;
}
