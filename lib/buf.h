/*
 * buf.h: a growable byte buffer and LEB128-style varints.
 *
 * The appenders take a sticky status (FTS5's idiom): they do nothing when
 * *rc is already set, and set it to BRIEF_ENOMEM when growing fails, so an
 * encoder reads as straight-line code and checks once at the end.
 */
#ifndef BRIEF_BUF_H
#define BRIEF_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct buf {
    unsigned char *data;
    size_t len, cap;
} buf;

void buf_free(buf *b);
/* Make room for n more bytes. */
void buf_reserve(int *rc, buf *b, size_t n);
void buf_put(int *rc, buf *b, const void *p, size_t n);
void buf_put_byte(int *rc, buf *b, unsigned char c);
void buf_put_str(int *rc, buf *b, const char *s);
void buf_put_u32be(int *rc, buf *b, uint32_t v);
void buf_printf(int *rc, buf *b, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Write v at p (at most 10 bytes); return the number of bytes written.
 * Inline: the indexer calls it for every posting. */
static inline size_t
varint_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;

    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Read a varint from [*p, end) and advance *p.  Returns 0 on success, -1
 * when the input ends early or the varint is longer than 10 bytes. */
static inline int
varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    const unsigned char *q = *p;
    uint64_t x = 0;
    unsigned shift = 0;

    if (q < end && *q < 0x80) {         /* one byte: the common case */
        *v = *q;
        *p = q + 1;
        return 0;
    }
    while (q < end && shift < 70) {
        unsigned char c = *q++;
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *p = q;
            *v = x;
            return 0;
        }
        shift += 7;
    }
    return -1;
}

/* Append a varint to b (sticky rc, as buf_put). */
static inline void
buf_put_varint(int *rc, buf *b, uint64_t v)
{
    if (*rc)
        return;
    if (b->len + 10 > b->cap) {
        buf_reserve(rc, b, 10);
        if (*rc)
            return;
    }
    b->len += varint_put(b->data + b->len, v);
}

/* Eight bytes as a number that sorts as memcmp() sorts them. */
static inline uint64_t
get_u64be(const unsigned char *b)
{
    return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
           (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
           (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
           (uint64_t)b[6] << 8 | b[7];
}

uint32_t get_u32be(const unsigned char *p);
void put_u32be(unsigned char *p, uint32_t v);
uint32_t get_u32le(const unsigned char *p);
void put_u32le(unsigned char *p, uint32_t v);
uint64_t get_u64le(const unsigned char *p);
void put_u64le(unsigned char *p, uint64_t v);

#endif
