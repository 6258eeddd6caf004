/*
 * test_text.c: UTF-8 validation (with the offset of the first bad
 * sequence), decoding, character classes and NFKC + case folding.
 */
#include <string.h>

#include "check.h"
#include "text.h"

/* text_is_utf8 on a string literal; the offset of the first bad byte, or
 * -1 when it is valid. */
static long
bad_at(const char *s, size_t len)
{
    size_t bad = 12345;

    return text_is_utf8(s, len, &bad) ? -1 : (long)bad;
}

#define BAD(lit) bad_at(lit, sizeof(lit) - 1)

static void
utf8_valid(void)
{
    CHECK(BAD("") == -1);
    CHECK(BAD("plain ascii, more than eight bytes long") == -1);
    CHECK(BAD("caf\xC3\xA9") == -1);                        /* é */
    CHECK(BAD("\xE2\x80\x99 \xE4\xB8\x87\xE4\xBA\xBF") == -1);  /* ’ 万亿 */
    CHECK(BAD("\xF0\x9F\x98\x80") == -1);                   /* U+1F600 */
    CHECK(BAD("\xF4\x8F\xBF\xBF") == -1);                   /* U+10FFFF */
    CHECK(BAD("\xED\x9F\xBF") == -1);                       /* U+D7FF */
    CHECK(BAD("\xEE\x80\x80") == -1);                       /* U+E000 */
    CHECK(BAD("\xC2\x80") == -1);                           /* U+0080 */
    CHECK(BAD("\xE0\xA0\x80") == -1);                       /* U+0800 */
    CHECK(BAD("\xF0\x90\x80\x80") == -1);                   /* U+10000 */
}

static void
utf8_invalid(void)
{
    /* overlong encodings */
    CHECK(BAD("ab\xC0\xAF") == 2);
    CHECK(BAD("abcdefgh\xC1\xBF") == 8);
    CHECK(BAD("\xE0\x80\xAF") == 0);
    CHECK(BAD("x\xF0\x8F\xBF\xBF") == 1);
    /* surrogates */
    CHECK(BAD("abcdefghij\xED\xA0\x80") == 10);
    CHECK(BAD("\xED\xBF\xBF") == 0);
    /* above U+10FFFF */
    CHECK(BAD("12345678\xF4\x90\x80\x80") == 8);
    CHECK(BAD("\xF5\x80\x80\x80") == 0);
    CHECK(BAD("\xFF") == 0);
    /* truncated, at the end and in the middle */
    CHECK(BAD("abc\xE4\xB8") == 3);
    CHECK(BAD("abc\xE4\xB8 and more") == 3);
    CHECK(BAD("\xF0\x9F\x98") == 0);
    CHECK(BAD("ok \xC3") == 3);
    /* a lone continuation byte */
    CHECK(BAD("caf\xC3\xA9\xA9") == 5);
    /* the first bad sequence is reported, not a later one */
    CHECK(BAD("a\xC3\xA9\xE2\x80\x99z\x80 \xFF") == 7);
    /* a NULL offset pointer is allowed */
    CHECK(!text_is_utf8("\xFF", 1, NULL));
}

static void
decode(void)
{
    size_t n;

    CHECK(text_decode("a", 1, &n) == 'a' && n == 1);
    CHECK(text_decode("\xC3\xA9x", 3, &n) == 0xE9 && n == 2);
    CHECK(text_decode("\xE2\x80\x99", 3, &n) == 0x2019 && n == 3);
    CHECK(text_decode("\xF0\x9F\x98\x80", 4, &n) == 0x1F600 && n == 4);
    CHECK(text_decode("\xE2\x80", 2, &n) == 0xFFFD && n == 1);
    CHECK(text_decode("\xED\xA0\x80", 3, &n) == 0xFFFD && n == 1);
    CHECK(text_decode("\x80", 1, &n) == 0xFFFD && n == 1);
}

static void
classes(void)
{
    CHECK(text_is_word_char('a') && text_is_word_char('Z'));
    CHECK(text_is_word_char('0') && !text_is_word_char('-'));
    CHECK(!text_is_word_char(' ') && !text_is_word_char('\''));
    CHECK(text_is_word_char(0xE9));             /* é */
    CHECK(text_is_word_char(0x0301));           /* combining acute */
    CHECK(text_is_word_char(0xFF11));           /* fullwidth 1 */
    CHECK(text_is_word_char(0x4E07));           /* 万 */
    CHECK(!text_is_word_char(0x2019));          /* ’ */
    CHECK(!text_is_word_char(0x3002));          /* 。 */
    CHECK(text_is_cjk(0x4E07) && text_is_cjk(0x3042) && text_is_cjk(0x30AB));
    CHECK(text_is_cjk(0xD55C) && text_is_cjk(0x20000));
    CHECK(!text_is_cjk('a') && !text_is_cjk(0xE9) && !text_is_cjk(0xFF11));
    CHECK(text_is_mark(0x0301) && text_is_mark(0xFE00));
    CHECK(!text_is_mark('a') && !text_is_mark(0x4E07));
}

/* Fold a literal and compare with the expected literal. */
static int
folds_to(const char *in, const char *want)
{
    char out[64];
    size_t n = text_fold(in, strlen(in), out, sizeof out);

    return n == strlen(want) && strcmp(out, want) == 0;
}

static void
fold(void)
{
    char out[8];

    CHECK(folds_to("Hello", "hello"));
    CHECK(folds_to("MiXeD 123", "mixed 123"));
    CHECK(folds_to("Stra\xC3\x9F" "e", "strasse"));          /* Straße */
    CHECK(folds_to("\xEF\xAC\x81" "ne", "fine"));            /* ﬁne */
    CHECK(folds_to("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93", "123"));
    CHECK(folds_to("\xEF\xBC\xA1\xEF\xBD\x82", "ab"));       /* Ａｂ */
    CHECK(folds_to("CAF\xC3\x89", "caf\xC3\xA9"));           /* CAFÉ */
    CHECK(folds_to("cafe\xCC\x81", "caf\xC3\xA9"));          /* e + U+0301 */
    CHECK(folds_to("\xCE\xA3\xCE\x9F\xCE\xA6", "\xCF\x83\xCE\xBF\xCF\x86"));
    CHECK(folds_to("don\xE2\x80\x99t", "don't"));            /* ’ */
    CHECK(folds_to("don\xCA\xBCt", "don't"));                /* U+02BC */
    CHECK(folds_to("\xE4\xB8\x87\xE4\xBA\xBF", "\xE4\xB8\x87\xE4\xBA\xBF"));
    CHECK(folds_to("\xEF\xBD\xB6\xEF\xBE\x9E", "\xE3\x82\xAC")); /* ｶﾞ ガ */
    /* does not fit: 0, for ASCII and for the utf8proc path */
    CHECK(text_fold("abcdefgh", 8, out, sizeof out) == 0);
    CHECK(text_fold("abcdefg", 7, out, sizeof out) == 7);
    CHECK(text_fold("Stra\xC3\x9F" "ee", 8, out, sizeof out) == 0);
    CHECK(text_fold("Stra\xC3\x9F", 6, out, sizeof out) == 6);
    /* not UTF-8 */
    CHECK(text_fold("a\xFF", 2, out, sizeof out) == 0);
}

/* A long non-ASCII input goes past the stack buffer of text_fold. */
static void
fold_long(void)
{
    static char in[3000], out[4000];
    size_t n;

    for (size_t i = 0; i < 1000; i++)
        memcpy(in + 3 * i, "\xEF\xBC\xA1", 3);              /* Ａ */
    n = text_fold(in, sizeof in, out, sizeof out);
    CHECK(n == 1000);
    CHECK(out[0] == 'a' && out[999] == 'a' && out[1000] == '\0');
}

static size_t
encode(int32_t cp, char *out)
{
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* text_fold skips utf8proc for ASCII and for code points it knows are
 * stable; check that for every BMP code point the shortcut agrees with
 * utf8proc, which "\xC3\x80" (À, not stable) forces. */
static void
fold_shortcut(void)
{
    char in[8], alone[64], with[64];
    size_t n, n_alone, n_with;
    int bad = 0;

    for (int32_t cp = 0x80; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        n = encode(cp, in);
        n_alone = text_fold(in, n, alone, sizeof alone);
        memcpy(in + n, "\xC3\x80", 2);
        n_with = text_fold(in, n + 2, with, sizeof with);
        if (n_with != n_alone + 2 || memcmp(alone, with, n_alone) != 0
            || memcmp(with + n_alone, "\xC3\xA0", 2) != 0) {
            if (bad++ < 5)
                printf("  U+%04X folds differently\n", (unsigned)cp);
        }
    }
    CHECK(bad == 0);
}

int
main(void)
{
    TEST(utf8_valid);
    TEST(utf8_invalid);
    TEST(decode);
    TEST(classes);
    TEST(fold);
    TEST(fold_long);
    TEST(fold_shortcut);
    return check_report();
}
