/*
 * test_tokenize.c: the tokenizer rules of tokenize.h, token by token with
 * exact positions and byte spans, then the golden files
 * tests/golden/tokenize/NAME.in -> NAME.out (one token a line: "pos start
 * end flags word").  With UPDATE=1 in the environment the .out files are
 * rewritten from the current output.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tokenize.h"
#include "tokenize_ref.h"

#define GOLDEN_DIR "tests/golden/tokenize"

typedef struct want {
    uint32_t pos;
    size_t start, end;
    unsigned flags;
    const char *word;
} want;

static tokenizer *tk;

/* Does tokenizing `text` give exactly the n tokens of w? */
static int
tokens_are(const char *text, const want *w, size_t n)
{
    token t;
    size_t i = 0;
    int ok = 1;

    tokenizer_reset(tk, text, strlen(text), 0);
    while (tokenizer_next(tk, &t)) {
        if (i >= n || t.pos != w[i].pos || t.start != w[i].start
            || t.end != w[i].end || t.flags != w[i].flags
            || strcmp(t.word, w[i].word) != 0
            || t.word_len != strlen(w[i].word)) {
            printf("  token %zu: %u %zu %zu %u \"%s\"\n", i, t.pos, t.start,
                   t.end, t.flags, t.word);
            ok = 0;
        }
        i++;
    }
    if (i != n) {
        printf("  %zu tokens, expected %zu\n", i, n);
        ok = 0;
    }
    return ok;
}

#define TOKENS(text, ...) do { \
        static const want w_[] = { __VA_ARGS__ }; \
        CHECK(tokens_are(text, w_, sizeof w_ / sizeof w_[0])); \
    } while (0)

enum {
    NUM = TOKEN_NUMBER, CJK = TOKEN_CJK, CMP = TOKEN_COMPOUND,
    PART = TOKEN_PART
};

static void
words(void)
{
    TOKENS("Hello, World!  x",
           {0, 0, 5, 0, "hello"}, {1, 7, 12, 0, "world"},
           {2, 15, 16, 0, "x"});
    TOKENS("  caf\xC3\xA9 NA\xC3\x8FVE Stra\xC3\x9F" "e \xEF\xAC\x81ne",
           {0, 2, 7, 0, "caf\xC3\xA9"}, {1, 8, 14, 0, "na\xC3\xAFve"},
           {2, 15, 22, 0, "strasse"}, {3, 23, 28, 0, "fine"});
    /* a combining mark stays in its word and composes */
    TOKENS("cafe\xCC\x81!", {0, 0, 6, 0, "caf\xC3\xA9"});
    CHECK(tokens_are("", NULL, 0));
    CHECK(tokens_are(" ,.-'\xE2\x80\x99 ", NULL, 0));
}

static void
apostrophes(void)
{
    TOKENS("don't don\xE2\x80\x99t rock'n'roll O'Brien",
           {0, 0, 5, 0, "don't"}, {1, 6, 13, 0, "don't"},
           {2, 14, 25, 0, "rock'n'roll"}, {3, 26, 33, 0, "o'brien"});
    /* the possessive 's is dropped and the span ends before it */
    TOKENS("my country's, country\xE2\x80\x99s it's",
           {0, 0, 2, 0, "my"}, {1, 3, 10, 0, "country"},
           {2, 14, 21, 0, "country"}, {3, 26, 28, 0, "it"});
    TOKENS("COUNTRY'S 1990's countries' 'quoted'",
           {0, 0, 7, 0, "country"}, {1, 10, 14, NUM, "1990"},
           {2, 17, 26, 0, "countries"}, {3, 29, 35, 0, "quoted"});
    /* U+02BC is an apostrophe too */
    TOKENS("don\xCA\xBCt", {0, 0, 6, 0, "don't"});
    /* 's before a CJK character still ends the word */
    TOKENS("it's\xE4\xB8\x87", {0, 0, 2, 0, "it"},
           {1, 4, 7, CJK, "\xE4\xB8\x87"});
    /* between digits an apostrophe does not join */
    TOKENS("5'9", {0, 0, 1, NUM, "5"}, {1, 2, 3, NUM, "9"});
}

static void
numbers(void)
{
    TOKENS("465,000 3.38 5G 1,2 40%",
           {0, 0, 7, NUM, "465000"}, {1, 8, 12, NUM, "3.38"},
           {2, 13, 15, 0, "5g"}, {3, 16, 17, NUM, "1"},
           {4, 18, 19, NUM, "2"}, {5, 20, 22, NUM, "40"});
    TOKENS("1,000,000 12,3456 1,000.5 v1.2 3. 2,000,",
           {0, 0, 9, NUM, "1000000"}, {1, 10, 12, NUM, "12"},
           {2, 13, 17, NUM, "3456"}, {3, 18, 25, NUM, "1000.5"},
           {4, 26, 30, 0, "v1.2"}, {5, 31, 32, NUM, "3"},
           {6, 34, 39, NUM, "2000"});
    /* fullwidth digits fold to ASCII and count as a number */
    TOKENS("\xEF\xBC\x91\xEF\xBC\x92", {0, 0, 6, NUM, "12"});
}

static void
hyphens(void)
{
    TOKENS("a sub-categories b",
           {0, 0, 1, 0, "a"}, {1, 2, 16, CMP, "sub-categories"},
           {1, 2, 5, PART, "sub"}, {2, 6, 16, PART, "categories"},
           {3, 17, 18, 0, "b"});
    TOKENS("State-of-the-Art.",
           {0, 0, 16, CMP, "state-of-the-art"},
           {0, 0, 5, PART, "state"}, {1, 6, 8, PART, "of"},
           {2, 9, 12, PART, "the"}, {3, 13, 16, PART, "art"});
    /* U+2010 and U+2011 are written as '-' in the compound */
    TOKENS("x\xE2\x80\x90y z\xE2\x80\x91" "2020",
           {0, 0, 5, CMP, "x-y"}, {0, 0, 1, PART, "x"},
           {1, 4, 5, PART, "y"}, {2, 6, 14, CMP, "z-2020"},
           {2, 6, 7, PART, "z"}, {3, 10, 14, PART | NUM, "2020"});
    /* no compound without a word character on both sides */
    TOKENS("a--b -c d- e",
           {0, 0, 1, 0, "a"}, {1, 3, 4, 0, "b"}, {2, 6, 7, 0, "c"},
           {3, 8, 9, 0, "d"}, {4, 11, 12, 0, "e"});
    /* the possessive ends a compound */
    TOKENS("mother-in-law's car",
           {0, 0, 13, CMP, "mother-in-law"}, {0, 0, 6, PART, "mother"},
           {1, 7, 9, PART, "in"}, {2, 10, 13, PART, "law"},
           {3, 16, 19, 0, "car"});
}

/* A compound longer than TOKEN_MAX_BYTES gives only its parts, unflagged. */
static void
long_compound(void)
{
    char text[200];
    token t;
    uint32_t n = 0;

    memset(text, 'a', sizeof text);
    for (size_t i = 9; i < sizeof text; i += 10)
        text[i] = '-';
    text[sizeof text - 1] = '\0';      /* 20 parts of 9 letters */
    tokenizer_reset(tk, text, strlen(text), 0);
    while (tokenizer_next(tk, &t)) {
        CHECK(t.flags == 0 && t.pos == n && t.word_len == 9);
        CHECK(t.start == 10 * n && t.end == 10 * n + 9);
        n++;
    }
    CHECK(n == 20);
}

static void
cjk(void)
{
    /* 万亿元 */
    TOKENS("\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83",
           {0, 0, 6, CJK, "\xE4\xB8\x87\xE4\xBA\xBF"},
           {1, 3, 9, CJK, "\xE4\xBA\xBF\xE5\x85\x83"});
    /* a lone character; a run split from Latin letters and digits */
    TOKENS("\xE4\xB8\x87 5G\xE5\x9F\xBA\xE7\xAB\x99" "ok",
           {0, 0, 3, CJK, "\xE4\xB8\x87"}, {1, 4, 6, 0, "5g"},
           {2, 6, 12, CJK, "\xE5\x9F\xBA\xE7\xAB\x99"},
           {3, 12, 14, 0, "ok"});
    /* punctuation splits runs: 中国，人 */
    TOKENS("\xE4\xB8\xAD\xE5\x9B\xBD\xEF\xBC\x8C\xE4\xBA\xBA",
           {0, 0, 6, CJK, "\xE4\xB8\xAD\xE5\x9B\xBD"},
           {1, 9, 12, CJK, "\xE4\xBA\xBA"});
    /* kana and Hangul; halfwidth ｶﾞ folds to ガ */
    TOKENS("\xE3\x81\x82\xE3\x82\xA2 \xED\x95\x9C\xEA\xB5\xAD "
           "\xEF\xBD\xB6\xEF\xBE\x9E",
           {0, 0, 6, CJK, "\xE3\x81\x82\xE3\x82\xA2"},
           {1, 7, 13, CJK, "\xED\x95\x9C\xEA\xB5\xAD"},
           {2, 14, 20, CJK, "\xE3\x82\xAC"});
    /* a variation selector stays with its character */
    TOKENS("\xE8\x91\x9B\xEF\xB8\x80\xE5\x9F\x8E",
           {0, 0, 9, CJK, "\xE8\x91\x9B\xEF\xB8\x80\xE5\x9F\x8E"});
}

/* Words longer than TOKEN_MAX_BYTES are cut at character boundaries. */
static void
long_words(void)
{
    static char text[1000];
    token t;
    size_t at = 0;
    uint32_t n = 0;

    memset(text, 'A', 300);
    tokenizer_reset(tk, text, 300, 7);
    while (tokenizer_next(tk, &t)) {
        CHECK(t.pos == 7 + n && t.start == at && t.flags == 0);
        CHECK(t.end - t.start == (n < 2 ? 120u : 60u));
        CHECK(t.word_len == t.end - t.start && t.word[0] == 'a');
        at = t.end;
        n++;
    }
    CHECK(n == 3 && at == 300);

    /* 150 x é: 300 bytes, cut into 2-byte characters */
    for (size_t i = 0; i < 150; i++)
        memcpy(text + 2 * i, "\xC3\x89", 2);
    tokenizer_reset(tk, text, 300, 0);
    at = 0;
    n = 0;
    while (tokenizer_next(tk, &t)) {
        CHECK(t.start == at && t.end - t.start <= TOKEN_MAX_BYTES);
        CHECK((t.end - t.start) % 2 == 0);
        CHECK(memcmp(t.word, "\xC3\xA9", 2) == 0);
        at = t.end;
        n++;
    }
    CHECK(n == 3 && at == 300);

    /* U+FDFA folds to 18 code points: pieces shrink to fit
     * TOKEN_MAX_FOLDED */
    for (size_t i = 0; i < 40; i++)
        memcpy(text + 3 * i, "\xEF\xB7\xBA", 3);
    tokenizer_reset(tk, text, 120, 0);
    at = 0;
    n = 0;
    while (tokenizer_next(tk, &t)) {
        CHECK(t.start == at && t.pos == n);
        CHECK(t.word_len > 0 && t.word_len <= TOKEN_MAX_FOLDED);
        CHECK(strlen(t.word) == t.word_len);
        at = t.end;
        n++;
    }
    CHECK(at == 120 && n > 1);

    /* a long number is cut between digits, joined commas dropped */
    for (size_t i = 0; i < 100; i++)
        memcpy(text + 4 * i, "123,", 4);
    memcpy(text + 400, "123", 4);
    tokenizer_reset(tk, text, 403, 0);
    at = 0;
    while (tokenizer_next(tk, &t)) {
        CHECK(t.start == at && t.end - t.start <= TOKEN_MAX_BYTES);
        CHECK(t.flags == TOKEN_NUMBER && !strchr(t.word, ','));
        at = t.end;
    }
    CHECK(at == 403);
}

static void
first_pos_and_reuse(void)
{
    token t;

    tokenizer_reset(tk, "one two", 7, 41);
    CHECK(tokenizer_next(tk, &t) && t.pos == 41);
    tokenizer_reset(tk, "three", 5, 0);
    CHECK(tokenizer_next(tk, &t) && t.pos == 0 && !strcmp(t.word, "three"));
    CHECK(!tokenizer_next(tk, &t));
    CHECK(!tokenizer_next(tk, &t));
}

/* Random text from pieces that exercise every rule (and a few bytes that
 * are not UTF-8): every span is inside the text, in order, and every word
 * fits. */
static void
random_text(void)
{
    static const char *const bits[] = {
        "a", "Z", "9", "0", " ", "'", "\xE2\x80\x99", ",", ".", "-",
        "\xE2\x80\x90", "s", "\xE4\xB8\x87", "\xCC\x81", "\xC3\xA9",
        "\xEF\xB7\xBA", "\xEF\xB8\x80", "\n", "\xEF\xBC\x91", "!",
        "\xFF", "\xE2\x80"      /* not UTF-8: must not break anything */
    };
    static char text[4096];
    const char *bit;
    unsigned seed = 12345;
    token t;
    size_t len, last_start;
    uint32_t last_pos;
    int bad;

    for (int round = 0; round < 300; round++) {
        len = 0;
        while (len < sizeof text - 8) {
            seed = seed * 1103515245u + 12345u;
            bit = bits[(seed >> 16) % (sizeof bits / sizeof bits[0])];
            memcpy(text + len, bit, strlen(bit));
            len += strlen(bit);
        }
        tokenizer_reset(tk, text, len, 0);
        last_start = 0;
        last_pos = 0;
        bad = 0;
        while (tokenizer_next(tk, &t)) {
            bad |= t.start >= t.end || t.end > len || t.start < last_start;
            bad |= t.end - t.start > TOKEN_MAX_BYTES;
            bad |= t.word_len == 0 || t.word_len > TOKEN_MAX_FOLDED;
            bad |= strlen(t.word) != t.word_len;
            bad |= t.pos != last_pos && t.pos != last_pos + 1;
            last_start = t.start;
            last_pos = t.pos;
        }
        CHECK(!bad);
    }
}

/* Lazy mode (tokenizer_lazy) gives the same tokens once tokenizer_word()
 * folds them, on text of every kind; ASCII tokens come unfolded, and
 * tokenizer_reset() ends the mode. */
static void
lazy_same(void)
{
    static const char *const bits[] = {
        "a", "Q", "7", " ", "'", "s", ",", ".", "-", "\xE2\x80\x90",
        "\xC3\xA9", "\xEF\xB7\xBA", "\xE4\xB8\x87", "\n", "\xFF",
        "long-hyphenated-compound", "3,000", "x"
    };
    static char text[2048];
    static token eager[2048];
    static char words[2048][TOKEN_MAX_FOLDED + 1];
    unsigned seed = 777;
    size_t unfolded = 0;
    token t;
    int bad = 0;

    for (int round = 0; round < 300; round++) {
        size_t len = 0, n = 0, i = 0;
        /* Every tenth round: one word longer than TOKEN_MAX_BYTES. */
        while (len < sizeof text - 32) {
            const char *bit;
            seed = seed * 1103515245u + 12345u;
            bit = round % 10 == 0 && len > 100 && len < 400 ? "x"
                  : bits[(seed >> 16) % (sizeof bits / sizeof bits[0])];
            memcpy(text + len, bit, strlen(bit));
            len += strlen(bit);
        }
        tokenizer_reset(tk, text, len, 0);
        while (n < 2048 && tokenizer_next(tk, &eager[n])) {
            memcpy(words[n], eager[n].word, eager[n].word_len + 1);
            n++;
        }
        tokenizer_reset(tk, text, len, 0);
        tokenizer_lazy(tk);
        while (i < n && tokenizer_next(tk, &t)) {
            unfolded += t.word == NULL;
            bad |= t.word == NULL && t.word_len != 0;
            tokenizer_word(tk, &t);
            bad |= t.pos != eager[i].pos || t.start != eager[i].start ||
                   t.end != eager[i].end || t.flags != eager[i].flags ||
                   t.word_len != eager[i].word_len ||
                   memcmp(t.word, words[i], t.word_len + 1) != 0;
            i++;
        }
        bad |= i != n || (n < 2048 && tokenizer_next(tk, &t));
    }
    CHECK(!bad);
    CHECK(unfolded > 1000);
    /* A reset ends lazy mode. */
    tokenizer_reset(tk, "plain words", 11, 0);
    CHECK(tokenizer_next(tk, &t) && t.word && !strcmp(t.word, "plain"));
}

/* Whether real and reference tokenizers give the same tokens (every
 * field, the folded word included) for text, eager or lazy. */
static bool
same_as_reference(tokenizer *ref, const char *text, size_t len, bool lazy,
                  size_t *n_tokens)
{
    token a, b;
    int ra, rb;

    tokenizer_reset(tk, text, len, 0);
    ref_tokenizer_reset(ref, text, len, 0);
    if (lazy) {
        tokenizer_lazy(tk);
        ref_tokenizer_lazy(ref);
    }
    for (;;) {
        ra = tokenizer_next(tk, &a);
        rb = ref_tokenizer_next(ref, &b);
        if (ra != rb)
            return false;
        if (!ra)
            return true;
        (*n_tokens)++;
        if ((a.word == NULL) != (b.word == NULL))
            return false;
        if (lazy) {
            tokenizer_word(tk, &a);
            ref_tokenizer_word(ref, &b);
        }
        if (a.pos != b.pos || a.start != b.start || a.end != b.end ||
            a.flags != b.flags || a.word_len != b.word_len ||
            memcmp(a.word, b.word, a.word_len + 1) != 0)
            return false;
    }
}

/* Random text of the pieces that stress the fast paths: words around 16
 * bytes long (the vector width) and past TOKEN_MAX_BYTES, commas and dots
 * inside numbers, capitals, every kind of joiner after a word, and texts
 * that end inside a word.  Returns the length. */
static size_t
stress_text(char *text, size_t size, unsigned *seed)
{
    static const char *const bits[] = {
        "a", "Q", "7", " ", "  ", "'", "s", ",", ".", "-", "\xE2\x80\x90",
        "\xE2\x80\x99", "\xC3\xA9", "\xE4\xB8\x87", "\n", "(", ")",
        "3,000", "2.5", "U.S.", "don't", "x", "abcdefghijklmno",
        "ABCDEFGHIJKLMNOP", "abcdefghijklmnopq", "0123456789012345",
        "Zz9", "@", "[", "`", "{", "\t", "well-known"
    };
    size_t len = 0, target;

    *seed = *seed * 1103515245u + 12345u;
    target = (*seed >> 16) % (size - 200);
    while (len < target) {
        const char *bit;
        size_t l;
        bool long_run;
        *seed = *seed * 1103515245u + 12345u;
        /* Now and then a run of letters past TOKEN_MAX_BYTES. */
        long_run = (*seed >> 8) % 97 == 0;
        bit = long_run ? "abcdefghijklmnopqrstuvwxyzabcdef"
                       : bits[(*seed >> 16) % (sizeof bits / sizeof bits[0])];
        l = strlen(bit);
        for (int k = long_run ? 5 : 1; k > 0 && len + l <= size; k--) {
            memcpy(text + len, bit, l);
            len += l;
        }
        if (len + 200 > size)
            break;
    }
    return len;
}

/* The fast paths agree with the byte loops (the reference tokenizer) on
 * random text, eager and lazy. */
static void
reference_same(void)
{
    static char text[1200];
    tokenizer *ref = ref_tokenizer_new();
    unsigned seed = 4242;
    size_t n_tokens = 0;
    int bad = 0;

    CHECK(ref != NULL);
    if (!ref)
        return;
    for (int round = 0; round < 3000; round++) {
        size_t len = stress_text(text, sizeof text, &seed);
        if (!same_as_reference(ref, text, len, false, &n_tokens) ||
            !same_as_reference(ref, text, len, true, &n_tokens)) {
            if (bad++ < 3)
                printf("  differs on \"%.*s\"\n", (int)len, text);
        }
    }
    CHECK(!bad);
    CHECK(n_tokens > 100000);
    ref_tokenizer_free(ref);
}

/* Prose-like random text: words and spaces mostly, so that 64 bytes hold
 * several simple words, with now and then a piece that is not one (a
 * joiner between letters, a number, a non-ASCII letter, CJK, a word past
 * TOKEN_MAX_BYTES).  Returns the length. */
static size_t
prose_text(char *text, size_t size, unsigned *seed)
{
    static const char *const bits[] = {
        "the ", "war ", "and ", "peace ", "of ", "a ", "people, ", "it. ",
        "Government ", "in ", "1999 ", "to ", "(see) ", "x ", "- ", "-- ",
        "' ", "don't ", "3.5 ", "U.S. ", "self-government ", "caf\xC3\xA9 ",
        "\xE4\xB8\x87\xE4\xB8\x87 ", "peoples' ", "end.\n", "a,b ",
        "well- ", "no-", "state", ". ", "\xE2\x80\x99s "
    };
    size_t len = 0, target;

    *seed = *seed * 1103515245u + 12345u;
    target = (*seed >> 16) % (size - 200);
    while (len < target) {
        const char *bit;
        size_t l;
        *seed = *seed * 1103515245u + 12345u;
        bit = (*seed >> 8) % 211 == 0 ? "abcdefghijklmnopqrstuvwxyzabcdefgh"
            "ijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"
            "rstuvwxyzabcdefghijklmnopqrstuvwxyz "
            : bits[(*seed >> 16) % 7 ? (*seed >> 16) % 14
                                     : (*seed >> 19) % (sizeof bits /
                                                        sizeof bits[0])];
        l = strlen(bit);
        if (len + l + 200 > size)
            break;
        memcpy(text + len, bit, l);
        len += l;
    }
    return len;
}

/* After tokenizer_skip(tk, at), the tokens are those tokenizer_next()
 * gives from the first at position at or later, field for field. */
static bool
skip_same(const char *text, size_t len, uint32_t at, bool lazy)
{
    static token all[4096];
    size_t n = 0, i = 0;
    token t;
    bool ok = true;

    tokenizer_reset(tk, text, len, 0);
    if (lazy)
        tokenizer_lazy(tk);
    while (n < 4096 && tokenizer_next(tk, &all[n]))
        n++;
    while (i < n && all[i].pos < at)
        i++;
    tokenizer_reset(tk, text, len, 0);
    if (lazy)
        tokenizer_lazy(tk);
    tokenizer_skip(tk, at);
    ok = tokenizer_pos(tk) == (i < n ? all[i].pos : tokenizer_pos(tk));
    for (; ok && tokenizer_next(tk, &t); i++)
        ok = i < n && t.start == all[i].start && t.end == all[i].end &&
             t.pos == all[i].pos && t.flags == all[i].flags &&
             t.word_len == all[i].word_len;
    return ok && i == n;
}

/* tokenizer_skip() to every position, and to a few past the end, on
 * random prose and on the stress text of the fast paths. */
static void
skip_to_positions(void)
{
    static char text[1200];
    unsigned seed = 777;
    size_t checked = 0;
    int bad = 0;

    for (int round = 0; round < 1200; round++) {
        size_t len = round % 2 ? prose_text(text, sizeof text, &seed)
                               : stress_text(text, sizeof text, &seed);
        uint32_t last = 0;
        token t;
        tokenizer_reset(tk, text, len, 0);
        while (tokenizer_next(tk, &t))
            last = t.pos;
        for (uint32_t at = 0; at <= last + 2; at += 1 + round % 3) {
            if (!skip_same(text, len, at, round % 4 < 2)) {
                if (bad++ < 3)
                    printf("  skip to %u differs on \"%.*s\"\n", at,
                           (int)len, text);
            }
            checked++;
        }
    }
    CHECK(!bad);
    CHECK(checked > 40000);
}

static void
put_flags(FILE *f, unsigned flags)
{
    static const char *const names[] = { "number", "cjk", "compound",
                                         "part" };
    int n = 0;

    for (int i = 0; i < 4; i++)
        if (flags & (1u << i))
            fprintf(f, "%s%s", n++ ? "+" : "", names[i]);
    if (!n)
        fputc('-', f);
}

/* Tokenize in_path into a malloc'ed text of "pos start end flags word"
 * lines. */
static char *
golden_output(const char *in_path, size_t *out_len)
{
    size_t len;
    char *text = check_read_file(in_path, &len), *out = NULL;
    FILE *f;
    token t;

    f = open_memstream(&out, out_len);
    if (!text || !f) {
        free(text);
        if (f)
            fclose(f);
        free(out);
        return NULL;
    }
    tokenizer_reset(tk, text, len, 0);
    while (tokenizer_next(tk, &t)) {
        fprintf(f, "%u %zu %zu ", t.pos, t.start, t.end);
        put_flags(f, t.flags);
        fprintf(f, " %s\n", t.word);
    }
    fclose(f);
    free(text);
    return out;
}

static int
golden_one(const char *name, int update)
{
    char in_path[512], out_path[512];
    char *got, *expect;
    size_t got_len, expect_len = 0;
    int ok;
    FILE *f;

    snprintf(in_path, sizeof in_path, "%s/%s", GOLDEN_DIR, name);
    snprintf(out_path, sizeof out_path, "%s/%.*s.out", GOLDEN_DIR,
             (int)(strlen(name) - 3), name);
    got = golden_output(in_path, &got_len);
    if (!got)
        return 0;
    if (update) {
        f = fopen(out_path, "wb");
        ok = f && fwrite(got, 1, got_len, f) == got_len;
        if (f && fclose(f) != 0)
            ok = 0;
        free(got);
        return ok;
    }
    expect = check_read_file(out_path, &expect_len);
    ok = expect && expect_len == got_len && !memcmp(expect, got, got_len);
    if (!ok)
        printf("  %s differs from the output (UPDATE=1 rewrites it)\n",
               out_path);
    free(expect);
    free(got);
    return ok;
}

static void
golden(void)
{
    DIR *d = opendir(GOLDEN_DIR);
    struct dirent *e;
    const char *update = getenv("UPDATE");
    size_t n;
    int count = 0;

    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".in") != 0)
            continue;
        CHECK(golden_one(e->d_name, update && !strcmp(update, "1")));
        count++;
    }
    closedir(d);
    CHECK(count >= 2);
}

int
main(void)
{
    tk = tokenizer_new();
    if (!tk)
        return 1;
    TEST(words);
    TEST(apostrophes);
    TEST(numbers);
    TEST(hyphens);
    TEST(long_compound);
    TEST(cjk);
    TEST(long_words);
    TEST(first_pos_and_reuse);
    TEST(random_text);
    TEST(lazy_same);
    TEST(reference_same);
    TEST(skip_to_positions);
    TEST(golden);
    tokenizer_free(tk);
    return check_report();
}
