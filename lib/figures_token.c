/*
 * figures_token.c: the figure extractor's tokens.  Bytes become NUM, WORD,
 * CJK and PUNCT tokens, each with its source byte span and whether
 * whitespace precedes it; a word the extractor knows carries its lexicon
 * entry.  No rule about figures is decided here (figures_int.h has the
 * map of the other files).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures_int.h"

enum { C_SPACE, C_LETTER, C_DIGIT, C_CJK, C_PUNCT };

/* The words the extractor knows (lexent: figures_int.h).  Sorted by
 * strcmp() for bsearch(). */
static const lexent lexicon[] = {
    {"a", LX_A, 0, NULL}, {"apr", LX_MONTH, 4, NULL},
    {"april", LX_MONTH, 4, NULL}, {"aud", LX_CODE, 0, "AUD"},
    {"aug", LX_MONTH, 8, NULL}, {"august", LX_MONTH, 8, NULL},
    {"b", LX_ABBRCUR, 9, NULL}, {"between", LX_BETWEEN, 0, NULL},
    {"billion", LX_SCALE, 9, NULL}, {"billions", LX_SCALEPL, 9, NULL},
    {"bln", LX_ABBR, 9, NULL}, {"bn", LX_ABBR, 9, NULL},
    {"cad", LX_CODE, 0, "CAD"}, {"cent", LX_CENTS, 0, NULL},
    {"cents", LX_CENTS, 0, NULL}, {"centuries", LX_TIME, 100, "years"},
    {"century", LX_TIME, 100, "years"}, {"chf", LX_CODE, 0, "CHF"},
    {"cny", LX_CODE, 0, "CNY"}, {"d", LX_ORDSUF, 0, NULL},
    {"day", LX_TIME, 1, "days"}, {"day's", LX_TIME, 1, "days"},
    {"days", LX_TIME, 1, "days"}, {"dec", LX_MONTH, 12, NULL},
    {"decade", LX_TIME, 10, "years"}, {"decades", LX_TIME, 10, "years"},
    {"december", LX_MONTH, 12, NULL}, {"dollar", LX_CURW, 0, "USD"},
    {"dollars", LX_CURW, 0, "USD"}, {"dozen", LX_DOZEN, 12, NULL},
    {"eight", LX_DIGIT, 8, NULL}, {"eighteen", LX_TEEN, 18, NULL},
    {"eighteenth", LX_ORD, 18, NULL}, {"eighth", LX_ORD, 8, NULL},
    {"eightieth", LX_ORD, 80, NULL}, {"eighty", LX_TENS, 80, NULL},
    {"eleven", LX_TEEN, 11, NULL}, {"eleventh", LX_ORD, 11, NULL},
    {"eur", LX_CODE, 0, "EUR"}, {"euro", LX_CURW, 0, "EUR"},
    {"euros", LX_CURW, 0, "EUR"}, {"feb", LX_MONTH, 2, NULL},
    {"february", LX_MONTH, 2, NULL}, {"fifteen", LX_TEEN, 15, NULL},
    {"fifteenth", LX_ORD, 15, NULL}, {"fifth", LX_ORD, 5, NULL},
    {"fiftieth", LX_ORD, 50, NULL}, {"fifty", LX_TENS, 50, NULL},
    {"first", LX_ORD, 1, NULL}, {"five", LX_DIGIT, 5, NULL},
    {"fortieth", LX_ORD, 40, NULL}, {"forty", LX_TENS, 40, NULL},
    {"four", LX_DIGIT, 4, NULL}, {"fourteen", LX_TEEN, 14, NULL},
    {"fourteenth", LX_ORD, 14, NULL}, {"fourth", LX_ORD, 4, NULL},
    {"gbp", LX_CODE, 0, "GBP"}, {"half", LX_HALF, 0, NULL},
    {"hkd", LX_CODE, 0, "HKD"}, {"hour", LX_TIME, 1, "hours"},
    {"hours", LX_TIME, 1, "hours"}, {"hundred", LX_HUNDRED, 2, NULL},
    {"hundredth", LX_ORD, 100, NULL}, {"inr", LX_CODE, 0, "INR"},
    {"jan", LX_MONTH, 1, NULL}, {"january", LX_MONTH, 1, NULL},
    {"jpy", LX_CODE, 0, "JPY"}, {"jul", LX_MONTH, 7, NULL},
    {"july", LX_MONTH, 7, NULL}, {"jun", LX_MONTH, 6, NULL},
    {"june", LX_MONTH, 6, NULL}, {"k", LX_ABBR, 3, NULL},
    {"krw", LX_CODE, 0, "KRW"}, {"m", LX_ABBRCUR, 6, NULL},
    {"mar", LX_MONTH, 3, NULL}, {"march", LX_MONTH, 3, NULL},
    {"may", LX_MONTH, 5, NULL}, {"million", LX_SCALE, 6, NULL},
    {"millions", LX_SCALEPL, 6, NULL}, {"millionth", LX_ORD, 1000000, NULL},
    {"mln", LX_ABBR, 6, NULL}, {"mn", LX_ABBR, 6, NULL},
    {"month", LX_TIME, 1, "months"}, {"month's", LX_TIME, 1, "months"},
    {"months", LX_TIME, 1, "months"}, {"nd", LX_ORDSUF, 0, NULL},
    {"nine", LX_DIGIT, 9, NULL}, {"nineteen", LX_TEEN, 19, NULL},
    {"nineteenth", LX_ORD, 19, NULL}, {"ninetieth", LX_ORD, 90, NULL},
    {"ninety", LX_TENS, 90, NULL}, {"ninth", LX_ORD, 9, NULL},
    {"nov", LX_MONTH, 11, NULL}, {"november", LX_MONTH, 11, NULL},
    {"nzd", LX_CODE, 0, "NZD"}, {"oct", LX_MONTH, 10, NULL},
    {"october", LX_MONTH, 10, NULL}, {"one", LX_DIGIT, 1, NULL},
    {"pct", LX_PERCENT, 0, NULL}, {"per", LX_PER, 0, NULL},
    {"percent", LX_PERCENT, 0, NULL}, {"percentage", LX_PCTG, 0, NULL},
    {"pound", LX_POUNDS, 0, NULL}, {"pounds", LX_POUNDS, 0, NULL},
    {"rd", LX_ORDSUF, 0, NULL}, {"renminbi", LX_CURW, 0, "CNY"},
    {"rmb", LX_CODE, 0, "CNY"}, {"roubles", LX_CURW, 0, "RUB"},
    {"rub", LX_CODE, 0, "RUB"}, {"rubles", LX_CURW, 0, "RUB"},
    {"rupees", LX_CURW, 0, "INR"}, {"second", LX_ORD, 2, NULL},
    {"sep", LX_MONTH, 9, NULL}, {"sept", LX_MONTH, 9, NULL},
    {"september", LX_MONTH, 9, NULL}, {"seven", LX_DIGIT, 7, NULL},
    {"seventeen", LX_TEEN, 17, NULL}, {"seventeenth", LX_ORD, 17, NULL},
    {"seventh", LX_ORD, 7, NULL}, {"seventieth", LX_ORD, 70, NULL},
    {"seventy", LX_TENS, 70, NULL}, {"sgd", LX_CODE, 0, "SGD"},
    {"six", LX_DIGIT, 6, NULL}, {"sixteen", LX_TEEN, 16, NULL},
    {"sixteenth", LX_ORD, 16, NULL}, {"sixth", LX_ORD, 6, NULL},
    {"sixtieth", LX_ORD, 60, NULL}, {"sixty", LX_TENS, 60, NULL},
    {"st", LX_ORDSUF, 0, NULL}, {"sterling", LX_STERLING, 0, NULL},
    {"ten", LX_TEEN, 10, NULL}, {"tenth", LX_ORD, 10, NULL},
    {"th", LX_ORDSUF, 0, NULL}, {"third", LX_ORD, 3, NULL},
    {"thirteen", LX_TEEN, 13, NULL}, {"thirteenth", LX_ORD, 13, NULL},
    {"thirtieth", LX_ORD, 30, NULL}, {"thirty", LX_TENS, 30, NULL},
    {"thousand", LX_SCALE, 3, NULL}, {"thousands", LX_SCALEPL, 3, NULL},
    {"thousandth", LX_ORD, 1000, NULL}, {"three", LX_DIGIT, 3, NULL},
    {"tn", LX_ABBR, 12, NULL}, {"trillion", LX_SCALE, 12, NULL},
    {"trillions", LX_SCALEPL, 12, NULL}, {"trn", LX_ABBR, 12, NULL},
    {"twd", LX_CODE, 0, "TWD"}, {"twelfth", LX_ORD, 12, NULL},
    {"twelve", LX_TEEN, 12, NULL}, {"twentieth", LX_ORD, 20, NULL},
    {"twenty", LX_TENS, 20, NULL}, {"two", LX_DIGIT, 2, NULL},
    {"usd", LX_CODE, 0, "USD"}, {"week", LX_TIME, 1, "weeks"},
    {"week's", LX_TIME, 1, "weeks"}, {"weeks", LX_TIME, 1, "weeks"},
    {"year", LX_TIME, 1, "years"}, {"year's", LX_TIME, 1, "years"},
    {"years", LX_TIME, 1, "years"}, {"yen", LX_CURW, 0, "JPY"},
    {"yuan", LX_CURW, 0, "CNY"}, {"zero", LX_DIGIT, 0, NULL},
};

#define N_LEX (sizeof lexicon / sizeof *lexicon)

/* ---- characters and tokens ---------------------------------------- */

/* Decode the code point at text[p] (p < len).  An invalid or truncated
 * sequence decodes as U+FFFD of length 1. */
int32_t
figures_token_decode(const char *text, size_t len, size_t p, size_t *n)
{
    const unsigned char *s = (const unsigned char *)text + p;
    size_t avail = len - p, need;
    int32_t cp, min;

    *n = 1;
    if (s[0] < 0x80)
        return s[0];
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        need = 1; cp = s[0] & 0x1f; min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        need = 2; cp = s[0] & 0x0f; min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        need = 3; cp = s[0] & 0x07; min = 0x10000;
    } else {
        return 0xfffd;
    }
    if (need >= avail)
        return 0xfffd;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0xfffd;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0xfffd;
    *n = need + 1;
    return cp;
}

static bool
in_range(int32_t c, int32_t lo, int32_t hi)
{
    return c >= lo && c <= hi;
}

/* The classes figures need.  Currency signs, dashes, quotes and CJK
 * punctuation are C_PUNCT; anything else outside ASCII that is not space
 * or CJK is taken as a letter. */
static int
cp_class(int32_t c)
{
    if (c < 0x80) {
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return C_LETTER;
        return c <= ' ' || c == 0x7f ? C_SPACE : C_PUNCT;
    }
    if (c < 0xa1 || c == 0x1680 || in_range(c, 0x2000, 0x200b) ||
        c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
        c == 0x3000 || c == 0xfeff)
        return C_SPACE;
    if (in_range(c, 0x3400, 0x4dbf) || in_range(c, 0x4e00, 0x9fff) ||
        in_range(c, 0xf900, 0xfaff) || in_range(c, 0x20000, 0x3134f) ||
        in_range(c, 0x3040, 0x30ff) || in_range(c, 0xac00, 0xd7af))
        return C_CJK;
    if (in_range(c, 0xa1, 0xbf) || c == 0xd7 || c == 0xf7 ||
        in_range(c, 0x2010, 0x2bff) || in_range(c, 0x2e00, 0x2e7f) ||
        in_range(c, 0x3001, 0x303f) || in_range(c, 0xfe30, 0xfe6f) ||
        in_range(c, 0xff01, 0xff20) || in_range(c, 0xff3b, 0xff40) ||
        in_range(c, 0xff5b, 0xff65) || in_range(c, 0xffe0, 0xffef) ||
        c == 0xfffd)
        return C_PUNCT;
    return C_LETTER;
}

static int
lex_cmp(const void *key, const void *ent)
{
    return strcmp(key, ((const lexent *)ent)->word);
}

/* Digits with thousands separators and a decimal part: "465,000",
 * "3.38", ".5".  A comma separates only before exactly three digits, and
 * only after a first group of one to three. */
static size_t
scan_num(const char *s, size_t len, size_t p, tok *t)
{
    uint64_t m = 0;
    int n_sig = 0, n_int = 0, n_frac = 0;

    t->kind = T_NUM;
    while (p < len && is_digit(s[p])) {
        if (n_sig < 19) {
            m = m * 10 + (uint64_t)(s[p] - '0');
            n_sig += m > 0;
        } else {
            t->flags |= F_LONG;
        }
        n_int++;
        p++;
    }
    while (n_int >= 1 && n_int <= 3 && p + 3 < len && s[p] == ',' &&
           is_digit(s[p + 1]) && is_digit(s[p + 2]) && is_digit(s[p + 3]) &&
           (p + 4 >= len || !is_digit(s[p + 4]))) {
        for (int i = 1; i <= 3; i++)
            m = m * 10 + (uint64_t)(s[p + i] - '0');
        n_sig += 3;
        t->flags |= F_SEP;
        p += 4;
        if (n_sig > 18)
            t->flags |= F_LONG;
    }
    if (p + 1 < len && s[p] == '.' && is_digit(s[p + 1])) {
        t->flags |= F_DEC;
        for (p++; p < len && is_digit(s[p]); p++) {
            if (n_sig >= 18) {
                t->flags |= F_LONG;
                continue;
            }
            m = m * 10 + (uint64_t)(s[p] - '0');
            n_sig += m > 0;
            n_frac++;
        }
    }
    t->mant = (double)m;
    t->exp10 = (int16_t)-n_frac;
    t->ndig = (uint8_t)(n_int > 255 ? 255 : n_int);
    return p;
}

/* FNV-1a, a byte at a time (scan_word() hashes as it reads). */
#define FNV_START 2166136261u
#define FNV_STEP(h, c) (((h) ^ (unsigned char)(c)) * 16777619u)

static uint32_t
word_hash(const char *w)
{
    uint32_t h = FNV_START;

    for (; *w; w++)
        h = FNV_STEP(h, *w);
    return h;
}

/* The denominator a word names in a fraction: "half" 2, "thirds" 3,
 * "quarter" and "fourths" 4, "fifths" 5 ... "tenth" 10; 0 for any other
 * word.  low: the word in ASCII lower case. */
static const char *const denominator_names[] = {
    "", "", "half", "third", "quarter", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth",
};

int
figures_token_denominator(const char *low)
{
    char w[16];
    size_t len = strlen(low);

    if (strcmp(low, "halves") == 0 || strcmp(low, "fourth") == 0 ||
        strcmp(low, "fourths") == 0)
        return low[0] == 'h' ? 2 : 4;
    if (len == 0 || len >= sizeof w)
        return 0;
    memcpy(w, low, len + 1);
    if (len > 1 && w[len - 1] == 's')
        w[len - 1] = '\0';
    for (int d = 2; d <= 10; d++)
        if (strcmp(w, denominator_names[d]) == 0)
            return d;
    return 0;
}

/* Is the lexicon class one of a number in words, or of a word that
 * figures_words_parse() needs to read one? */
static bool
number_class(int cls)
{
    return (cls >= LX_DIGIT && cls <= LX_SCALEPL) || cls == LX_DOZEN ||
           cls == LX_ORD || cls == LX_HALF;
}

void
figures_token_bloom_build(uint8_t bloom[BLOOM_BITS / 8])
{
    memset(bloom, 0, BLOOM_BITS / 8);
    for (size_t i = 0; i < N_LEX; i++) {
        uint32_t h = word_hash(lexicon[i].word);
        bloom[(h % BLOOM_BITS) / 8] |= (uint8_t)(1u << (h % 8));
        h >>= 16;
        bloom[(h % BLOOM_BITS) / 8] |= (uint8_t)(1u << (h % 8));
    }
}

static void
skimset_add(skimset *set, const char *word)
{
    size_t n = strlen(word);
    int f = word[0] - 'a', l = word[n - 1] - 'a';

    set->len[f][l] |= (uint16_t)(1u << n);
    set->penult[f][l] |= 1u << (word[n - 2] - 'a');
}

/* Every word figures_token_denominator() takes, and the lexicon's words
 * of number_class(). */
void
figures_token_skimset_build(skimset *set)
{
    char plural[16];

    memset(set, 0, sizeof *set);
    for (size_t i = 0; i < N_LEX; i++)
        if (number_class(lexicon[i].cls))
            skimset_add(set, lexicon[i].word);
    for (int d = 2; d <= 10; d++) {
        snprintf(plural, sizeof plural, "%ss", denominator_names[d]);
        skimset_add(set, denominator_names[d]);
        skimset_add(set, plural);
    }
    skimset_add(set, "halves");
    skimset_add(set, "fourth");
    skimset_add(set, "fourths");
}

/* May the word whose word_hash() is h be in the lexicon? */
static bool
bloom_has(const uint8_t *bloom, uint32_t h)
{
    if (!(bloom[(h % BLOOM_BITS) / 8] & (1u << (h % 8))))
        return false;
    h >>= 16;
    return bloom[(h % BLOOM_BITS) / 8] & (1u << (h % 8));
}

static bool
is_ascii_letter(char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Letters, with apostrophes between letters ("world's", "country’s").
 * low gets the ASCII lower case of a short ASCII word, ’ as '.  Runs of
 * ASCII letters, nearly every byte of a word, take the inner loop. */
static size_t
scan_word(const char *s, size_t len, size_t p, const uint8_t *bloom, tok *t)
{
    size_t n, n2, li = 0;
    bool low_ok = true, upper = true;
    uint32_t h = FNV_START;
    int32_t c;

    t->kind = T_WORD;
    if (s[p] >= 'A' && s[p] <= 'Z')
        t->flags |= F_CAP;
    for (;;) {
        for (; p < len && is_ascii_letter(s[p]); p++, li++) {
            char low = (char)(s[p] | 0x20);
            upper = upper && s[p] < 'a';
            h = FNV_STEP(h, low);
            if (li < sizeof t->low - 1)
                t->low[li] = low;
        }
        if (p >= len)
            break;
        if ((unsigned char)s[p] < 0x80) {
            c = (unsigned char)s[p];
            n = 1;
        } else {
            c = figures_token_decode(s, len, p, &n);
        }
        if (c >= 0x80 && cp_class(c) == C_LETTER) {
            low_ok = false;
        } else if ((c == '\'' || c == 0x2019) && p + n < len &&
                   (is_ascii_letter(s[p + n]) ||
                    ((unsigned char)s[p + n] >= 0x80 &&
                     cp_class(figures_token_decode(s, len, p + n, &n2))
                     == C_LETTER))) {
            h = FNV_STEP(h, '\'');
            if (li < sizeof t->low - 1)
                t->low[li] = '\'';
            li++;
        } else {
            break;
        }
        p += n;
    }
    if (!low_ok || li > sizeof t->low - 1)
        li = 0;
    t->low[li] = '\0';
    t->nlow = (uint8_t)li;
    if (upper && li > 0)
        t->flags |= F_UPPER;
    /* the longest word in the lexicon has 11 letters */
    if (li > 0 && li <= 11 && (!bloom || bloom_has(bloom, h)))
        t->lx = bsearch(t->low, lexicon, N_LEX, sizeof *lexicon, lex_cmp);
    return p;
}

/* Scan the token at or after *pos.  Returns false at the end of the text;
 * *newlines counts the line breaks in the whitespace skipped. */
bool
figures_token_scan(const char *s, size_t len, size_t *pos,
                   const uint8_t *bloom, tok *t, int *newlines)
{
    size_t p = *pos, n = 1;
    int32_t c = 0;
    int cls = C_SPACE;

    *newlines = 0;
    for (; p < len; p += n) {
        if ((unsigned char)s[p] < 0x80) {
            c = (unsigned char)s[p];
            n = 1;
            if (c > ' ' && c != 0x7f)
                break;
        } else if ((cls = cp_class(c = figures_token_decode(s, len, p, &n)))
                   != C_SPACE) {
            break;
        }
        if (c == '\n' || c == 0x2028 || c == 0x2029 ||
            (c == '\r' && (p + 1 >= len || s[p + 1] != '\n')))
            (*newlines)++;
    }
    if (p >= len) {
        *pos = p;
        return false;
    }
    t->start = p;
    t->gap = p == *pos ? GAP_NONE : *newlines ? GAP_LINE : GAP_SPACE;
    t->mant = 0;
    t->lx = NULL;
    t->cp = 0;
    t->exp10 = 0;
    t->flags = t->ndig = t->nlow = 0;
    t->low[0] = '\0';
    cls = cp_class(c);
    if (cls == C_DIGIT || (c == '.' && p + 1 < len && is_digit(s[p + 1]) &&
                           (p == 0 || (!is_digit(s[p - 1]) &&
                                       s[p - 1] != '.'))))
        t->end = scan_num(s, len, p, t);
    else if (cls == C_LETTER)
        t->end = scan_word(s, len, p, bloom, t);
    else {
        t->kind = cls == C_CJK ? T_CJK : T_PUNCT;
        t->cp = c;
        t->end = p + n;
    }
    *pos = t->end;
    return true;
}

/* Is the word (ASCII lower case) an abbreviation that a point does not
 * end a sentence after: "mr", "no", "approx"? */
bool
figures_token_abbr(const char *low)
{
    static const char *const abbr[] = {     /* sorted: bsearch */
        "approx", "apr", "aug", "ca", "co", "corp", "dec", "dr", "etc",
        "feb", "fig", "gen", "gov", "inc", "jan", "jr", "jul", "jun", "ltd",
        "mar", "mr", "mrs", "ms", "no", "nov", "oct", "pp", "rep", "sen",
        "sep", "sept", "sr", "st", "vs"
    };

    return bsearch(low, abbr, sizeof abbr / sizeof *abbr, sizeof *abbr,
                   str_cmp) != NULL;
}

/* ---- skimming: sentences without a number -------------------------- */

/* What a byte is to the skim: an ASCII letter, digit, space (the C0
 * controls and DEL too, as cp_class() has them), a stop that may end a
 * sentence (. ! ? ;), other ASCII, or a byte of a character outside
 * ASCII. */
enum { K_OT, K_LT, K_DG, K_SP, K_ST, K_HI };

static const uint8_t skim_class[256] = {
    K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP,  /* 00 */
    K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP,  /* 08 */
    K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP,  /* 10 */
    K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP, K_SP,  /* 18 */
    K_SP, K_ST, K_OT, K_OT, K_OT, K_OT, K_OT, K_OT,  /* 20 */
    K_OT, K_OT, K_OT, K_OT, K_OT, K_OT, K_ST, K_OT,  /* 28 */
    K_DG, K_DG, K_DG, K_DG, K_DG, K_DG, K_DG, K_DG,  /* 30 */
    K_DG, K_DG, K_OT, K_ST, K_OT, K_OT, K_OT, K_ST,  /* 38 */
    K_OT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT,  /* 40 */
    K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT,  /* 48 */
    K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT,  /* 50 */
    K_LT, K_LT, K_LT, K_OT, K_OT, K_OT, K_OT, K_OT,  /* 58 */
    K_OT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT,  /* 60 */
    K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT,  /* 68 */
    K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT, K_LT,  /* 70 */
    K_LT, K_LT, K_LT, K_OT, K_OT, K_OT, K_OT, K_SP,  /* 78 */
    /* 80..ff */
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
    K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI, K_HI,
};

/* low = the ASCII letters w[0..n) in lower case (n < 16). */
static void
lower_word(char low[16], const unsigned char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(w[i] | 0x20);
    low[n] = '\0';
}

/* May the word w[0..n) (ASCII letters, 3 <= n < 16) be in set? */
static bool
skimset_has(const skimset *set, const unsigned char *w, size_t n)
{
    int f = (w[0] | 0x20) - 'a', l = (w[n - 1] | 0x20) - 'a';

    return (set->len[f][l] & (1u << n)) &&
           (set->penult[f][l] & (1u << ((w[n - 2] | 0x20) - 'a')));
}

/* Is the word w[0..n) (ASCII letters, n < 16) a number in words, or a word a
 * number in words needs ("hundred", "dozen", "quarters")? */
static bool
number_word(const unsigned char *w, size_t n)
{
    char low[16];
    const lexent *e;

    lower_word(low, w, n);
    e = bsearch(low, lexicon, N_LEX, sizeof *lexicon, lex_cmp);
    return e ? number_class(e->cls) : figures_token_denominator(low) > 0;
}

/* The stop s[p] is followed by what ends a sentence (sentence_end() in
 * figures.c has the same rule on tokens).  Does it surely end one?  A
 * point after a word does unless the word is one letter or an
 * abbreviation; [w, we) is the last run of ASCII letters the skim read.
 * Only a word that is exactly that run is judged; any other says no. */
static bool
skim_stop(const unsigned char *s, size_t len, size_t p, size_t w,
          size_t we)
{
    char low[16];
    size_t n = p - w;

    if (p + 1 < len && !memchr(" \t\r\n\"')", s[p + 1], 7) &&
        s[p + 1] != 0xe2)
        return false;
    if (s[p] != '.' || p == 0 || skim_class[s[p - 1]] != K_LT)
        return true;
    if (we != p || n < 2 || (w > 0 && (s[w - 1] >= 0x80 ||
                                       s[w - 1] == '\'')))
        return false;
    if (n >= sizeof low)
        return true;
    lower_word(low, s + w, n);
    return !figures_token_abbr(low);
}

size_t
figures_token_skim(const char *text, size_t len, size_t pos,
                   const skimset *set, size_t *number)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t p = pos, safe = pos, w = SIZE_MAX, we = SIZE_MAX, sp;
    int nl;

    while (p < len) {
        switch (skim_class[s[p]]) {
        case K_LT:
            /* words and the single spaces between them, most of a text,
             * without going round the switch */
            for (;;) {
                w = p;
                while (++p < len && skim_class[s[p]] == K_LT)
                    ;
                we = p;
                if (p - w >= 3 && p - w <= 15 &&
                    skimset_has(set, s + w, p - w) &&
                    number_word(s + w, p - w)) {
                    *number = w;
                    return safe;
                }
                if (p + 1 >= len || s[p] != ' ' ||
                    skim_class[s[p + 1]] != K_LT)
                    break;
                p++;
            }
            break;
        case K_SP:
            sp = p;
            nl = 0;
            do
                nl += s[p] == '\n' || (s[p] == '\r' &&
                                       (p + 1 >= len || s[p + 1] != '\n'));
            while (++p < len && skim_class[s[p]] == K_SP);
            if (nl >= 2)
                safe = sp;
            break;
        case K_ST:
            if (skim_stop(s, len, p, w, we))
                safe = p + 1;
            p++;
            break;
        case K_OT:
            p++;
            break;
        case K_HI:
            /* U+2000..U+203F, spaces, dashes and quotes, are no part of
             * a number; anything else outside ASCII may be */
            if (s[p] == 0xe2 && p + 2 < len && s[p + 1] == 0x80 &&
                (s[p + 2] & 0xc0) == 0x80) {
                p += 3;
                break;
            }
            /* fall through */
        default:
            *number = p;
            return safe;
        }
    }
    *number = len;
    return len;
}

/* Match the glued CJK (or full-width) characters of u8 at token k.
 * Returns the number of tokens matched, or 0. */
int
figures_token_cjk_match(const seg *s, int k, const char *u8)
{
    size_t len = strlen(u8), p = 0, n;
    int m = 0;

    while (p < len) {
        const tok *t = at(s, k + m);
        if (!t || (m > 0 && !glued(t)) || t->kind == T_NUM ||
            t->kind == T_WORD || t->cp != figures_token_decode(u8, len, p, &n))
            return 0;
        p += n;
        m++;
    }
    return m;
}
