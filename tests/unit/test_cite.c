/*
 * test_cite.c: cite_locate_memo() gives what cite_locate() (counting from
 * the line's start) gives, for random offsets in random and in increasing
 * order, from any line start at or before the offset, on texts of long
 * lines mixing 1- to 4-byte characters, with offsets inside characters
 * too; and it keeps marks, which is what makes it linear on long lines.
 * cite_match_set() counts a match's end on from its start, as if alone.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cite.h"

#define TEXT_LEN (2 * 1024 * 1024)

static char *text;
static size_t len;
static size_t *lines;          /* byte offsets of line starts */
static size_t n_lines;

/* A text of a few long lines: ASCII, é, 中, 😀, an invalid byte now and
 * then, a newline about every 250 KB. */
static void
make_text(unsigned seed)
{
    static const char *const pieces[] = {
        "a", "word ", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xff",
    };
    size_t cap = TEXT_LEN + 8;

    srand(seed);
    text = malloc(cap);
    lines = malloc(64 * sizeof *lines);
    len = 0;
    n_lines = 1;
    lines[0] = 0;
    while (len < TEXT_LEN) {
        int r = rand() % 1000000;
        const char *s = pieces[r % 6 == 5 && r % 7 ? 0 : r % 6];
        if (r < 4 && n_lines < 64) {
            text[len++] = '\n';
            lines[n_lines++] = len;
            continue;
        }
        memcpy(text + len, s, strlen(s));
        len += strlen(s);
    }
}

/* The line (index into lines) holding off. */
static size_t
line_of(size_t off)
{
    size_t i = 0;

    while (i + 1 < n_lines && lines[i + 1] <= off)
        i++;
    return i;
}

/* Locate off from a random line start at or before it, both ways. */
static bool
same(cite_memo *memo, size_t off)
{
    size_t l = line_of(off);
    cite_pos a, b;

    l = rand() % 4 ? l : (size_t)rand() % (l + 1);
    cite_locate(text, lines[l], (uint32_t)l + 1, off, &a);
    cite_locate_memo(memo, text, lines[l], (uint32_t)l + 1, off, &b);
    if (memcmp(&a, &b, sizeof a) == 0)
        return true;
    printf("off %zu from line %zu: %u:%u/%u/%u, memo %u:%u/%u/%u\n", off,
           l + 1, a.line, a.column, a.column_char, a.column_utf16, b.line,
           b.column, b.column_char, b.column_utf16);
    return false;
}

static void
random_order(void)
{
    cite_memo memo = { 0 };
    bool ok = true;

    for (int i = 0; i < 1000 && ok; i++)
        ok = same(&memo, (size_t)rand() % (len + 1));
    CHECK(ok);
    /* Marks were kept, no more than one per CITE_MARK_GAP of text. */
    CHECK(memo.n > 0);
    CHECK(memo.n <= len / CITE_MARK_GAP + 1);
    for (size_t i = 1; i < memo.n; i++)
        CHECK(memo.marks[i - 1].off < memo.marks[i].off);
    cite_memo_free(&memo);
}

static void
increasing_order(void)
{
    cite_memo memo = { 0 };
    bool ok = true;
    size_t off = 0;

    while (off <= len && ok) {
        ok = same(&memo, off);
        off += (size_t)rand() % 20000;
    }
    CHECK(ok);
    CHECK(memo.n > 0);
    cite_memo_free(&memo);
}

/* A second text at another address: the marks of the first are
 * forgotten. */
static void
another_text(void)
{
    cite_memo memo = { 0 };
    char *copy = malloc(len + 1);
    cite_pos a, b;

    memcpy(copy, text, len);
    CHECK(same(&memo, len));
    copy[0] = '\n';
    cite_locate(copy, 0, 1, len, &a);
    cite_locate_memo(&memo, copy, 0, 1, len, &b);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    CHECK(a.line == line_of(len) + 2);
    cite_locate_memo(NULL, copy, 0, 1, len, &b);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    cite_memo_free(&memo);
    cite_memo_free(NULL);
    free(copy);
}

/* cite_match_set() counts a match's end on from its start: the same as
 * locating the end alone, on a text of short lines (the ASCII runs end at
 * every '\n') with starts and ends anywhere, inside characters too. */
static void
match_end(void)
{
    static const char *const pieces[] = {
        "a", "word ", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
        "\xff", "\n", "0123456789abcdef"
    };
    char small[8192];
    size_t starts[8192], n = 0, n_starts = 1;
    cite_memo memo = { 0 };
    long n_wrong = 0;

    starts[0] = 0;
    while (n + 16 < sizeof small) {
        const char *p = pieces[rand() % 8];
        memcpy(small + n, p, strlen(p));
        n += strlen(p);
        if (small[n - 1] == '\n')
            starts[n_starts++] = n;
    }
    for (int i = 0; i < 20000; i++) {
        size_t from = (size_t)rand() % n, to = from + (size_t)rand() % 300;
        size_t l = 0;
        brief_match m = { 0 };
        passage p = { 0 };
        cite_pos want;
        if (to > n)
            to = n;
        while (l + 1 < n_starts && starts[l + 1] <= from)
            l++;
        l = rand() % 4 ? l : (size_t)rand() % (l + 1);
        p.line_begin = (uint32_t)starts[l];
        p.line_start = (uint32_t)l + 1;
        m.byte_start = from;
        m.byte_end = to;
        cite_match_set(&m, small, &p, &memo);
        cite_locate(small, starts[l], (uint32_t)l + 1, to, &want);
        if ((m.end_line != want.line || m.end_column != want.column ||
             m.end_column_char != want.column_char ||
             m.end_column_utf16 != want.column_utf16) && n_wrong++ < 5)
            printf("[%zu, %zu): end %u:%u/%u/%u, alone %u:%u/%u/%u\n", from,
                   to, m.end_line, m.end_column, m.end_column_char,
                   m.end_column_utf16, want.line, want.column,
                   want.column_char, want.column_utf16);
    }
    CHECK(n_wrong == 0);
    cite_memo_free(&memo);
}

int
main(void)
{
    make_text(7);
    TEST(random_order);
    TEST(increasing_order);
    TEST(another_text);
    TEST(match_end);
    free(text);
    free(lines);
    return check_report();
}
