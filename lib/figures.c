/*
 * figures.c: find the figures in a text -- number, scale, unit, qualifier
 * and subject -- as byte spans of the source.  Pure text processing: no
 * index, no query, no output.  docs/FIGURES.md is the user-facing copy of
 * the rules decided here.
 *
 * Pipeline: bytes -> tokens (NUM, WORD, CJK, PUNCT, each knowing whether
 * whitespace precedes it) -> segments (a sentence; at most SEG_MAX tokens)
 * -> at each token, the figure that starts there, if any.  Every step
 * looks at a bounded number of tokens around the current one, so the whole
 * is linear in the length of the text.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "figures.h"

/* Tokens per segment.  A segment is a sentence; one longer than this is
 * cut, which can split a figure at the cut (never seen in practice). */
#define SEG_MAX 1024
/* Words in a subject: enough for "specialized, special and new small and
 * medium-sized enterprises", short enough that a run-on is not taken. */
#define NP_MAX 8

enum { T_NUM, T_WORD, T_CJK, T_PUNCT };
enum { GAP_NONE, GAP_SPACE, GAP_LINE };   /* whitespace before a token */
enum {
    F_SEP = 1, F_DEC = 2, F_LONG = 4,     /* NUM: 1,000 / 3.5 / too long */
    F_CAP = 8, F_UPPER = 16               /* WORD: March / USD */
};
enum { C_SPACE, C_LETTER, C_DIGIT, C_CJK, C_PUNCT };
enum { AM_NONE, AM_OK, AM_SKIP };         /* parse_amount() results */

enum {
    LX_NONE, LX_DIGIT, LX_TEEN, LX_TENS, LX_HUNDRED, LX_SCALE, LX_SCALEPL,
    LX_ABBR, LX_ABBRCUR, LX_DOZEN, LX_ORD, LX_A, LX_HALF, LX_MONTH,
    LX_BETWEEN, LX_CODE, LX_CURW, LX_CENTS, LX_POUNDS, LX_STERLING,
    LX_PERCENT, LX_PER, LX_PCTG, LX_TIME, LX_ORDSUF
};

/* A word the extractor knows.  val: the number, the power of ten of a
 * scale, the month, or the multiplier of a time unit (decade = 10). */
typedef struct lexent {
    const char *word;
    uint8_t cls;
    int val;
    const char *unit;
} lexent;

/* Sorted by strcmp() for bsearch(). */
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

/* Words that end a subject: function words and the verbs of briefings.
 * Sorted by strcmp(). */
static const char *const stopwords[] = {
    "a", "about", "above", "abroad", "accounted", "accounting", "accounts",
    "across", "after", "again", "against", "ago", "ahead", "all", "almost",
    "alone", "along", "already", "also", "although", "always", "am", "among",
    "an", "and", "annually", "another", "any", "apiece", "are", "around",
    "as", "at", "be", "became", "because", "become", "becomes", "been",
    "before", "being", "below", "better", "between", "bigger", "both", "but",
    "by", "came", "can", "certain", "come", "comes", "could", "currently",
    "daily", "did", "do", "does", "during", "each", "earlier", "either",
    "else", "enough", "even", "ever", "every", "faster", "fell", "few", "for",
    "from", "gave", "get", "gets", "give", "gives", "got", "greater", "grew",
    "grow", "grows", "had", "has", "have", "having", "he", "her", "here",
    "herein", "hers", "higher", "him", "his", "hit", "hits", "how", "however",
    "i", "if", "in", "include", "included", "includes", "including",
    "increased", "increases", "instead", "into", "is", "it", "its", "itself",
    "just", "larger", "last", "later", "least", "less", "look", "looks",
    "lower", "made", "make", "makes", "many", "may", "me", "might", "monthly",
    "more", "most", "much", "must", "my", "near", "neither", "next", "no",
    "nor", "not", "now", "of", "off", "on", "once", "one", "only", "onto",
    "or", "other", "others", "our", "ours", "out", "over", "own", "per",
    "rank", "ranked", "ranking", "ranks", "rather", "reach", "reached",
    "reaches", "reaching", "recently", "remain", "remained", "remains",
    "respectively", "rose", "said", "same", "saw", "say", "says", "see",
    "sees", "several", "shall", "she", "should", "show", "showed", "shows",
    "since", "slower", "smaller", "so", "some", "still", "stood", "such",
    "take", "takes", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "therein", "thereof", "these", "they", "this", "those", "though",
    "through", "thus", "till", "to", "today", "together", "too", "took",
    "totaled", "totalled", "toward", "towards", "under", "until", "up",
    "upon", "us", "various", "very", "via", "was", "we", "went", "were",
    "what", "when", "where", "whereas", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "worse",
    "would", "yearly", "yet", "you", "your",
};

typedef struct tok {
    size_t start, end;      /* source byte span */
    double mant;            /* NUM: the digits as an integer */
    const lexent *lx;       /* WORD: its lexicon entry, or NULL */
    int32_t cp;             /* PUNCT, CJK: the code point */
    int16_t exp10;          /* NUM: value = mant * 10^exp10 */
    uint8_t kind, gap, flags, ndig;    /* ndig: NUM integer digits */
    char low[16];           /* WORD: ASCII lower case; "" when not */
} tok;

typedef struct seg {
    const char *text;
    const tok *t;
    int n;
} seg;

/* A number with what is written around it, before it becomes a figure. */
typedef struct amount {
    int t0, t1;             /* tokens [t0, t1) */
    double mant;
    int exp10;              /* value = mant * 10^exp10 */
    int scale_exp;          /* the power of ten the scale words added */
    const char *unit;       /* NULL: none written */
    bool unit_prefix;       /* "$5": the unit came before the number */
    bool scaled, words, neg, ordinal, decade, lone_one;
    bool plain;             /* bare digits: no separator, point or sign */
    int ndig;
    fig_qualifier qual;     /* written after it: "or more", 以上 */
    int subj_from;          /* subject after "a 12-year period", or -1 */
} amount;

typedef struct ctx {
    seg s;
    figure *v;
    size_t n_v, cap_v;
    size_t seg_first;       /* first figure of the current segment */
    int last_end;           /* token after the last figure, or -1 */
} ctx;

/* ---- characters and tokens ---------------------------------------- */

/* Decode the code point at text[p] (p < len).  An invalid or truncated
 * sequence decodes as U+FFFD of length 1. */
static int32_t
decode(const char *text, size_t len, size_t p, size_t *n)
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

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
lex_cmp(const void *key, const void *ent)
{
    return strcmp(key, ((const lexent *)ent)->word);
}

static int
str_cmp(const void *key, const void *ent)
{
    return strcmp(key, *(const char *const *)ent);
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

#define N_LEX (sizeof lexicon / sizeof *lexicon)
/* A Bloom filter of the lexicon, built per call of figures_extract():
 * most words are in no table, and two bit tests reject them faster than
 * bsearch() (which took half the run time). */
#define BLOOM_BITS 2048

static uint32_t
word_hash(const char *w)
{
    uint32_t h = 2166136261u;           /* FNV-1a */

    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

static void
bloom_build(uint8_t bloom[BLOOM_BITS / 8])
{
    memset(bloom, 0, BLOOM_BITS / 8);
    for (size_t i = 0; i < N_LEX; i++) {
        uint32_t h = word_hash(lexicon[i].word);
        bloom[(h % BLOOM_BITS) / 8] |= (uint8_t)(1u << (h % 8));
        h >>= 16;
        bloom[(h % BLOOM_BITS) / 8] |= (uint8_t)(1u << (h % 8));
    }
}

static bool
bloom_has(const uint8_t *bloom, const char *w)
{
    uint32_t h = word_hash(w);

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
 * low gets the ASCII lower case of a short ASCII word, ’ as '. */
static size_t
scan_word(const char *s, size_t len, size_t p, const uint8_t *bloom, tok *t)
{
    size_t n, n2, li = 0;
    bool low_ok = true, upper = true;
    int32_t c;

    t->kind = T_WORD;
    if (s[p] >= 'A' && s[p] <= 'Z')
        t->flags |= F_CAP;
    while (p < len) {
        if (is_ascii_letter(s[p])) {
            c = s[p];
            n = 1;
            upper = upper && c < 'a';
        } else if ((c = decode(s, len, p, &n)) >= 0x80 &&
                   cp_class(c) == C_LETTER) {
            low_ok = false;
        } else if ((c == '\'' || c == 0x2019) && p + n < len &&
                   (is_ascii_letter(s[p + n]) ||
                    ((unsigned char)s[p + n] >= 0x80 &&
                     cp_class(decode(s, len, p + n, &n2)) == C_LETTER))) {
            c = '\'';
        } else {
            break;
        }
        if (low_ok && li < sizeof t->low - 1 && c < 0x80)
            t->low[li++] = (char)(c == '\'' ? c : c | 0x20);
        else
            low_ok = false;
        p += n;
    }
    if (!low_ok)
        li = 0;
    t->low[li] = '\0';
    if (upper && low_ok)
        t->flags |= F_UPPER;
    /* the longest word in the lexicon has 11 letters */
    if (li > 0 && li <= 11 && (!bloom || bloom_has(bloom, t->low)))
        t->lx = bsearch(t->low, lexicon, N_LEX, sizeof *lexicon, lex_cmp);
    return p;
}

/* Scan the token at or after *pos.  Returns false at the end of the text;
 * *newlines counts the line breaks in the whitespace skipped. */
static bool
scan(const char *s, size_t len, size_t *pos, const uint8_t *bloom, tok *t,
     int *newlines)
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
        } else if ((cls = cp_class(c = decode(s, len, p, &n))) != C_SPACE) {
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
    t->flags = t->ndig = 0;
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

/* ---- token predicates --------------------------------------------- */

static const tok *
at(const seg *s, int k)
{
    return k >= 0 && k < s->n ? &s->t[k] : NULL;
}

static bool
is_p(const tok *t, int32_t cp)
{
    return t && t->kind == T_PUNCT && t->cp == cp;
}

static bool
is_w(const tok *t, const char *w)
{
    return t && t->kind == T_WORD && strcmp(t->low, w) == 0;
}

static int
lxc(const tok *t)
{
    return t && t->kind == T_WORD && t->lx ? t->lx->cls : LX_NONE;
}

static bool
glued(const tok *t)
{
    return t && t->gap == GAP_NONE;
}

/* Whitespace before t, at most one line break: a figure may run across a
 * line break ("$20\nbillion"), never across a paragraph. */
static bool
spaced(const tok *t)
{
    return t && t->gap != GAP_NONE;
}

static bool
in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

static bool
is_wl(const tok *t, const char *const *list)
{
    return t && t->kind == T_WORD && t->low[0] && in_list(t->low, list);
}

static bool
is_stop(const tok *t)
{
    return t->kind == T_WORD && t->low[0] &&
           bsearch(t->low, stopwords, sizeof stopwords / sizeof *stopwords,
                   sizeof *stopwords, str_cmp);
}

static bool
ends_with(const tok *t, const char *suffix)
{
    size_t n = t && t->kind == T_WORD ? strlen(t->low) : 0;
    size_t m = strlen(suffix);

    return n > m && strcmp(t->low + n - m, suffix) == 0;
}

static bool
is_quote(const tok *t)
{
    return is_p(t, '"') || is_p(t, '\'') || is_p(t, 0x201c) ||
           is_p(t, 0x201d) || is_p(t, 0x2018) || is_p(t, 0x2019);
}

/* True when token k starts a clause: first in the segment, or after an
 * opening quote, parenthesis, colon or dash. */
static bool
clause_start(const seg *s, int k)
{
    const tok *p = at(s, k - 1);

    return !p || is_quote(p) || is_p(p, '(') || is_p(p, '[') ||
           is_p(p, ':') || is_p(p, 0x2014) || is_p(p, 0x2013);
}

/* Match the glued CJK (or full-width) characters of u8 at token k.
 * Returns the number of tokens matched, or 0. */
static int
cjk_match(const seg *s, int k, const char *u8)
{
    size_t len = strlen(u8), p = 0, n;
    int m = 0;

    while (p < len) {
        const tok *t = at(s, k + m);
        if (!t || (m > 0 && !glued(t)) || t->kind == T_NUM ||
            t->kind == T_WORD || t->cp != decode(u8, len, p, &n))
            return 0;
        p += n;
        m++;
    }
    return m;
}

static const char *
symbol_unit(const tok *t)
{
    static const struct { int32_t cp; const char *unit; } sym[] = {
        {'$', "USD"}, {0xff04, "USD"}, {0x20ac, "EUR"}, {0xa3, "GBP"},
        {0xffe1, "GBP"}, {0xa5, "JPY"}, {0xffe5, "JPY"}, {0x20b9, "INR"},
        {0x20a9, "KRW"}, {0x20bd, "RUB"},
    };

    if (t && t->kind == T_PUNCT)
        for (size_t i = 0; i < sizeof sym / sizeof *sym; i++)
            if (sym[i].cp == t->cp)
                return sym[i].unit;
    return NULL;
}

/* The country before a glued "$": "US$5", "HK$5" (case matters). */
static const char *
dollar_prefix(const seg *s, const tok *t)
{
    static const char *const pre[][2] = {
        {"US", "USD"}, {"HK", "HKD"}, {"A", "AUD"}, {"C", "CAD"},
        {"S", "SGD"}, {"NZ", "NZD"}, {"NT", "TWD"}, {"R", "BRL"},
    };
    size_t len = t->end - t->start;

    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (strlen(pre[i][0]) == len &&
            memcmp(s->text + t->start, pre[i][0], len) == 0)
            return pre[i][1];
    return NULL;
}

/* ---- numbers ------------------------------------------------------- */

static double
pow10i(int e)
{
    static const double p10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    return e >= 0 && e <= 22 ? p10[e] : pow(10, e);
}

/* mant * 10^exp10, rounded once when both fit (3.38 million is exactly
 * 3380000, not 3.38 * 1e6). */
static double
amount_value(const amount *a)
{
    double v = a->exp10 >= 0 ? a->mant * pow10i(a->exp10)
                             : a->mant / pow10i(-a->exp10);

    return a->neg ? -v : v;
}

/* The denominator a word names in a fraction: "half" 2, "thirds" 3,
 * "quarter" 4, "fifths" 5 ...; 0 for any other word. */
static int
denominator(const tok *t)
{
    static const char *const names[] = {
        "", "", "half", "third", "quarter", "fifth", "sixth", "seventh",
        "eighth", "ninth", "tenth",
    };
    char w[16];
    size_t len;

    if (!t || t->kind != T_WORD || !t->low[0])
        return 0;
    if (strcmp(t->low, "halves") == 0 || strcmp(t->low, "fourth") == 0 ||
        strcmp(t->low, "fourths") == 0)
        return t->low[0] == 'h' ? 2 : 4;
    len = strlen(t->low);
    memcpy(w, t->low, len + 1);
    if (len > 1 && w[len - 1] == 's')
        w[len - 1] = '\0';
    for (int d = 2; d <= 10; d++)
        if (strcmp(w, names[d]) == 0)
            return d;
    return 0;
}

/* A number word 1..9 written before a fraction ("three-quarters"). */
static int
small_word(const tok *t)
{
    return lxc(t) == LX_DIGIT && t->lx->val > 0 ? t->lx->val : 0;
}

/* A fraction in words at k: "a half", "one half", "a quarter",
 * "one-half", "three-quarters".  Returns the tokens taken, or 0. */
static int
word_fraction(const seg *s, int k, double *frac)
{
    const tok *t = at(s, k), *u = at(s, k + 1), *v = at(s, k + 2);
    int num = is_w(t, "a") ? 1 : small_word(t), d;

    if (!num)
        return 0;
    if (spaced(u) && (d = denominator(u)) && num < d) {
        *frac = (double)num / d;
        return 2;
    }
    if (is_p(u, '-') && glued(u) && glued(v) && !is_w(t, "a") &&
        (d = denominator(v)) && num < d) {
        *frac = (double)num / d;
        return 3;
    }
    return 0;
}

/* "and a half", "and one-half", "and a quarter" at k (the "and").
 * Returns the tokens taken, or 0. */
static int
and_fraction(const seg *s, int k, double *frac)
{
    int m, d;

    if (is_p(at(s, k), '-') && glued(at(s, k)) && is_w(at(s, k + 1), "and")
        && glued(at(s, k + 1)) && is_p(at(s, k + 2), '-') &&
        is_w(at(s, k + 3), "a") && is_p(at(s, k + 4), '-') &&
        glued(at(s, k + 5)) && (d = denominator(at(s, k + 5))) > 1) {
        *frac = 1.0 / d;            /* "four-and-a-half" */
        return 6;
    }
    if (!is_w(at(s, k), "and") || !spaced(at(s, k)) ||
        !spaced(at(s, k + 1)))
        return 0;
    m = word_fraction(s, k + 1, frac);
    return m ? m + 1 : 0;
}

/* State of the number-word reader: what the last word was. */
enum { W_NONE, W_UNIT, W_TEEN, W_TENS, W_HUNDRED, W_SCALE, W_AND, W_FRAC };

typedef struct wnum {
    double value;
    int end;                /* token after the number */
    int scale_exp;          /* the scale of "three million", else 0 */
    bool ordinal, lone_one, scaled;
} wnum;

/* The number-word reader: the total of the scales passed, the part
 * being read, what the last word was, the smallest scale so far. */
typedef struct wstate {
    double total, cur;
    int last, min_exp;
    bool closed;            /* "two and a half million" takes no more */
} wstate;

/* A scale word ("million", "dozen") after the part read so far. */
static int
word_scale(const tok *t, wstate *st, wnum *w)
{
    int e = t->lx->val;
    double mult = lxc(t) == LX_DOZEN ? 12 : pow10i(e);

    if (st->last == W_NONE || st->last == W_SCALE || st->last == W_AND ||
        st->cur <= 0 || e >= st->min_exp)
        return 0;
    st->closed = st->cur != floor(st->cur);
    st->total += st->cur * mult;
    w->scale_exp = st->total == st->cur * mult && mult != 12 ? e : 0;
    w->scaled = true;
    st->cur = 0;
    st->min_exp = lxc(t) == LX_DOZEN ? 0 : e;
    st->last = W_SCALE;
    return 1;
}

/* "two" .. "ninety", "forty-two", "twenty-first" at k. */
static int
word_digits(const seg *s, int k, wstate *st, wnum *w)
{
    const tok *t = at(s, k), *u = at(s, k + 1), *v = at(s, k + 2);
    int c = lxc(t);

    if (!(st->last == W_TENS && c == LX_DIGIT && t->lx->val > 0) &&
        st->last != W_NONE && st->last != W_HUNDRED &&
        st->last != W_SCALE && st->last != W_AND)
        return 0;
    st->cur += t->lx->val;
    st->last = c == LX_DIGIT ? W_UNIT : c == LX_TEEN ? W_TEEN : W_TENS;
    if (st->last != W_TENS || !is_p(u, '-') || !glued(u) || !glued(v))
        return 1;
    if (small_word(v)) {
        st->cur += small_word(v);
        st->last = W_UNIT;
        return 3;
    }
    if (lxc(v) == LX_ORD && v->lx->val < 10) {
        st->cur += v->lx->val;
        w->ordinal = true;
        return 3;
    }
    return 1;
}

/* Read one step of number words at k.  Returns the tokens it takes, or 0
 * when the number ends before k. */
static int
word_step(const seg *s, int k, bool first, wstate *st, wnum *w)
{
    const tok *t = at(s, k), *u = at(s, k + 1);
    int c = lxc(t), m;
    double frac;

    if (st->closed)
        return 0;
    if (c == LX_A && first && spaced(u) &&
        (lxc(u) == LX_HUNDRED || lxc(u) == LX_SCALE || lxc(u) == LX_DOZEN)) {
        st->cur = 1;                /* "a million" */
        st->last = W_UNIT;
        return 1;
    }
    if (c == LX_HALF && first && is_w(u, "a") && spaced(u) &&
        spaced(at(s, k + 2)) && lxc(at(s, k + 2)) == LX_SCALE) {
        st->cur = 0.5;              /* "half a million" */
        st->last = W_FRAC;
        return 2;
    }
    if (first && c != LX_A && (m = word_fraction(s, k, &frac))) {
        st->cur = frac;             /* "one third", "three-quarters" */
        st->last = W_FRAC;
        return m;
    }
    if (c == LX_DIGIT || c == LX_TEEN || c == LX_TENS)
        return word_digits(s, k, st, w);
    if (c == LX_HUNDRED && st->cur < 100 && (st->last == W_UNIT ||
                                             st->last == W_TEEN ||
                                             st->last == W_TENS)) {
        st->cur *= 100;
        st->last = W_HUNDRED;
        return 1;
    }
    if (c == LX_SCALE || c == LX_SCALEPL || c == LX_DOZEN)
        return word_scale(t, st, w);
    if (c == LX_ORD && (st->last == W_NONE || st->last == W_HUNDRED ||
                        st->last == W_SCALE || st->last == W_AND ||
                        (st->last == W_TENS && t->lx->val < 10))) {
        if (t->lx->val >= 100)
            st->cur = (st->cur > 0 ? st->cur : 1) * t->lx->val;
        else
            st->cur += t->lx->val;
        w->ordinal = true;          /* "one hundred and first" */
        st->last = W_UNIT;
        return 1;
    }
    if (is_p(t, '-') && glued(t) && st->last != W_NONE &&
        st->last != W_FRAC && st->last != W_SCALE &&
        (m = and_fraction(s, k, &frac))) {
        st->cur += frac;
        st->last = W_FRAC;
        return m;
    }
    if (!is_w(t, "and") || st->last == W_NONE || st->last == W_AND)
        return 0;
    if (st->last != W_FRAC && st->last != W_SCALE &&
        (m = and_fraction(s, k, &frac))) {
        st->cur += frac;            /* "two and one-half" */
        st->last = W_FRAC;
        return m;
    }
    if ((st->last == W_HUNDRED || st->last == W_SCALE) && spaced(u) &&
        (lxc(u) == LX_DIGIT || lxc(u) == LX_TEEN || lxc(u) == LX_TENS)) {
        st->last = W_AND;           /* "one hundred and two" */
        return 1;
    }
    return 0;
}

/* English number words from k: "forty-two", "one hundred and two
 * thousand nine hundred and eighty-five", "two and one-half billion",
 * "a million", "half a million", "twenty-first". */
static bool
parse_words(const seg *s, int k0, wnum *w)
{
    wstate st = {0, 0, W_NONE, 99, false};
    int k = k0, m, n_words = 0;

    memset(w, 0, sizeof *w);
    while (!w->ordinal && at(s, k) &&
           (k == k0 || spaced(at(s, k)) || is_w(at(s, k + 1), "and")) &&
           (m = word_step(s, k, k == k0, &st, w)) > 0) {
        k += m;
        n_words++;
    }
    if (st.last == W_AND)
        k--;
    if (st.last == W_NONE)
        return false;
    w->value = st.total + st.cur;
    w->end = k;
    w->lone_one = n_words == 1 && !w->ordinal && st.last == W_UNIT &&
                  w->value == 1;
    return true;
}

/* Chinese numerals after 百分之 or 第: "三十", "十四", "一百零五".
 * Returns the tokens taken, or 0. */
static int
parse_cn_numeral(const seg *s, int k, double *value)
{
    static const char digits[] = "零〇一二两三四五六七八九";
    static const int dval[] = {0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9};
    double total = 0, section = 0, number = 0;
    int m = 0;
    const tok *t;
    size_t n;

    for (; (t = at(s, k + m)) && t->kind == T_CJK && (m == 0 || glued(t));
         m++) {
        int d = -1, unit = 0;
        size_t p = 0;
        for (int i = 0; p < sizeof digits - 1; i++, p += n)
            if (decode(digits, sizeof digits - 1, p, &n) == t->cp)
                d = dval[i];
        if (t->cp == 0x5341)
            unit = 10;
        else if (t->cp == 0x767e)
            unit = 100;
        else if (t->cp == 0x5343)
            unit = 1000;
        if (d >= 0) {
            number = d;
        } else if (unit) {
            section += (number == 0 ? 1 : number) * unit;
            number = 0;
        } else if (t->cp == 0x4e07 || t->cp == 0x4ebf) {
            double big = t->cp == 0x4e07 ? 1e4 : 1e8;
            if (section + number == 0)
                total *= big;
            else
                total += (section + number) * big;
            section = number = 0;
        } else {
            break;
        }
    }
    *value = total + section + number;
    return m;
}

/* ---- amounts: prefix, number, scale, unit ------------------------- */

/* A unit written before the number at k: "$", "US$", "RMB", "人民币",
 * "百分之", or 第 (rank).  Returns the tokens it takes, or 0. */
static int
parse_prefix(const seg *s, int k, amount *a)
{
    const tok *t = at(s, k), *u = at(s, k + 1);
    int m;

    if (!t)
        return 0;
    if ((a->unit = symbol_unit(t)))
        return 1;
    if (t->kind == T_WORD && is_p(u, '$') && glued(u) &&
        (a->unit = dollar_prefix(s, t)))
        return 2;
    if (lxc(t) == LX_CODE && (t->flags & F_UPPER)) {
        a->unit = t->lx->unit;
        return 1;
    }
    if ((m = cjk_match(s, k, "人民币"))) {
        a->unit = "CNY";
        return m;
    }
    if ((m = cjk_match(s, k, "百分之"))) {
        a->unit = "percent";
        return m;
    }
    if ((m = cjk_match(s, k, "第"))) {
        a->ordinal = true;
        return m;
    }
    return 0;
}

/* True when the number at k is part of an identifier because of what is
 * glued before it: "G20", "B-17", "COVID-19", "#1", "1.2.3". */
static bool
ident_before(const seg *s, int k)
{
    static const char *const ok[] = {
        "mid", "pre", "post", "early", "late", "circa", "fy", NULL
    };
    const tok *t = at(s, k), *p = at(s, k - 1), *pp = at(s, k - 2);

    if (!p || !glued(t))
        return false;
    if (p->kind == T_WORD || p->kind == T_NUM || is_p(p, '#'))
        return !is_wl(p, ok);
    if ((is_p(p, '-') || is_p(p, '.') || is_p(p, '/') || is_p(p, ':')) &&
        glued(p) && pp && (pp->kind == T_WORD || pp->kind == T_NUM))
        return !(is_p(p, '-') && (is_wl(pp, ok) || lxc(pp) == LX_TENS));
    return false;
}

/* True when what is glued after a number at j makes it an identifier:
 * "5G", "3D", "401(k)", "10:30", "3-D", "1-800-555-0100".  A scale
 * ("3.8bn", "3.38million"), an ordinal suffix and a decade's "s" are no
 * identifier. */
static bool
ident_after(const seg *s, int j, const amount *a)
{
    const tok *t = at(s, j), *u = at(s, j + 1), *v = at(s, j + 2);
    int c = lxc(t);

    if (!t || !glued(t))
        return false;
    if (t->kind == T_WORD)
        return !(c == LX_ABBR || c == LX_SCALE || c == LX_ORDSUF ||
                 is_w(t, "s") || (c == LX_ABBRCUR && a->unit_prefix));
    if (t->kind == T_NUM)
        return true;
    if (is_p(t, '(') && glued(u) && u->kind == T_WORD && is_p(v, ')'))
        return true;
    if ((is_p(t, '.') || is_p(t, ':') || is_p(t, '/')) && glued(u) &&
        u->kind == T_NUM)
        return true;
    if (is_p(t, '-') && glued(u) && u->kind == T_WORD &&
        u->end - u->start == 1 && (u->flags & F_CAP))
        return true;
    return is_p(t, '-') && glued(u) && u->kind == T_NUM && is_p(v, '-') &&
           glued(v);
}

/* One past the last token glued to the identifier that starts at k. */
static int
skip_chain(const seg *s, int k)
{
    const tok *t;

    for (k++; (t = at(s, k)) && glued(t) && t->kind != T_CJK; k++)
        if (t->kind == T_PUNCT &&
            (t->cp >= 0x80 || !strchr("-./:()#'&+", (int)t->cp)))
            break;
    return k;
}

/* "3 3/4", "9-1/2", "3½" after the integer that ends before j.
 * Returns the tokens taken, or 0. */
static int
mixed_fraction(const seg *s, int j, double *frac)
{
    static const struct { int32_t cp; double v; } vulgar[] = {
        {0xbd, 0.5}, {0xbc, 0.25}, {0xbe, 0.75}, {0x2153, 1.0 / 3},
        {0x2154, 2.0 / 3},
    };
    const tok *t = at(s, j);
    int k = j;

    for (size_t i = 0; t && i < sizeof vulgar / sizeof *vulgar; i++)
        if (is_p(t, vulgar[i].cp) && glued(t)) {
            *frac = vulgar[i].v;
            return 1;
        }
    if (is_p(t, '-') && glued(t))
        k++;
    else if (!spaced(t))
        return 0;
    t = at(s, k);
    if (t && t->kind == T_NUM && !(t->flags & (F_SEP | F_DEC)) &&
        (k == j || glued(t)) && is_p(at(s, k + 1), '/') &&
        glued(at(s, k + 1)) && glued(at(s, k + 2)) &&
        at(s, k + 2)->kind == T_NUM && !(at(s, k + 2)->flags & F_DEC) &&
        t->mant > 0 && t->mant < at(s, k + 2)->mant &&
        at(s, k + 2)->mant <= 16 && !glued(at(s, k + 3))) {
        *frac = t->mant / at(s, k + 2)->mant;
        return k + 3 - j;
    }
    return 0;
}

/* Scale words after digits at j: "million", "3.8bn", "$5m", "万亿".
 * Adds the power of ten to a->exp10 and returns the next token. */
static int
parse_scale(const seg *s, int j, amount *a)
{
    const tok *t = at(s, j);
    int c = lxc(t), n_sc = 0, prev = -1, e, m;

    /* "3.8bn", "$5m", "3.38million" */
    if (glued(t) && (c == LX_ABBR || c == LX_SCALE ||
                     (c == LX_ABBRCUR && a->unit_prefix))) {
        a->exp10 += t->lx->val;
        a->scale_exp += t->lx->val;
        a->scaled = true;
        return j + 1;
    }
    if (glued(t) && t->kind == T_CJK) {
        static const char *const cn[] = {"十", "百", "千", "万", "亿"};
        static const int cn_exp[] = {1, 2, 3, 4, 8};
        for (;;) {
            if (!a->qual && (cjk_match(s, j, "多") ||
                             cjk_match(s, j, "余"))) {
                a->qual = FIG_Q_OVER;   /* "40多万" */
                j++;
            }
            for (m = 0; m < 5 && !cjk_match(s, j, cn[m]); m++)
                ;
            if (m == 5)
                return j;
            a->exp10 += cn_exp[m];
            a->scale_exp += cn_exp[m];
            a->scaled = true;
            j++;
        }
    }
    while (n_sc < 2 && (t = at(s, j)) && spaced(t)) {
        c = lxc(t);
        if (c == LX_HUNDRED && n_sc == 0)
            e = 2;
        else if (c == LX_SCALE || c == LX_SCALEPL ||
                 (c == LX_ABBR && t->lx->val > 3))
            e = t->lx->val;
        else if (c == LX_DOZEN && n_sc == 0) {
            a->mant *= 12;
            a->scaled = true;
            return j + 1;
        } else
            break;
        if (e <= prev)
            break;
        a->exp10 += e;
        a->scale_exp += e;
        a->scaled = true;
        prev = e;
        n_sc++;
        j++;
    }
    return j;
}

/* "or more", "and above", "or less", "-plus" after a number at j. */
static int
trailing_qual(const seg *s, int j, amount *a)
{
    static const char *const at_least[] = {
        "more", "above", "over", "greater", NULL
    };
    static const char *const at_most[] = {
        "less", "fewer", "below", "under", NULL
    };
    const tok *t = at(s, j), *u = at(s, j + 1);

    if (a->qual)
        return j;
    if ((is_w(t, "or") || is_w(t, "and")) && spaced(t) && spaced(u)) {
        if (is_wl(u, at_least))
            a->qual = FIG_Q_AT_LEAST;
        else if (is_wl(u, at_most))
            a->qual = FIG_Q_AT_MOST;
        return a->qual ? j + 2 : j;
    }
    if (is_p(t, '-') && glued(t) && is_w(u, "plus") && glued(u)) {
        a->qual = FIG_Q_OVER;
        return j + 2;
    }
    return j;
}

/* Chinese units glued after a number at j: 元, 美元, 年, 个月, 天, %;
 * 月 and 日 make a date, which is no figure (a->t1 = -1 asks the caller
 * to skip it).  Then 以上, 以下, 左右, 多. */
static int
cjk_suffix(const seg *s, int j, amount *a)
{
    static const char *const units[][2] = {
        {"人民币", "CNY"}, {"美元", "USD"}, {"欧元", "EUR"},
        {"日元", "JPY"}, {"英镑", "GBP"}, {"港元", "HKD"}, {"港币", "HKD"},
        {"元", "CNY"}, {"个月", "months"}, {"年", "years"},
        {"周", "weeks"}, {"星期", "weeks"}, {"天", "days"},
        {"小时", "hours"}, {"岁", "years"}, {"月", ""}, {"日", ""},
        {"号", ""},
    };
    static const struct { const char *u8; fig_qualifier q; } quals[] = {
        {"以上", FIG_Q_AT_LEAST}, {"以下", FIG_Q_AT_MOST},
        {"左右", FIG_Q_ABOUT}, {"多", FIG_Q_OVER}, {"余", FIG_Q_OVER},
    };
    int m = 0;
    double v = amount_value(a);

    for (size_t i = 0; !a->unit && i < sizeof units / sizeof *units; i++) {
        if (!(m = cjk_match(s, j, units[i][0])))
            continue;
        if (units[i][1][0] == '\0') {
            if (!a->plain || a->scaled || v < 1 || v > 31)
                return j;
            a->t1 = -1;
            return j + m;
        }
        a->unit = units[i][1];
        if (strcmp(a->unit, "years") == 0 && a->plain && !a->scaled &&
            a->ndig == 4 && m == 1 && cjk_match(s, j, "年"))
            a->unit = "year";
        j += m;
        break;
    }
    for (size_t i = 0; !a->qual && i < sizeof quals / sizeof *quals; i++)
        if ((m = cjk_match(s, j, quals[i].u8))) {
            a->qual = quals[i].q;
            j += m;
        }
    return j;
}

/* The country before "dollars": "US", "U.S.", "American", "Canadian",
 * "Australian", "Hong Kong".  Returns the tokens it takes, or 0. */
static int
dollar_country(const seg *s, int j, const char **unit)
{
    const tok *t = at(s, j);

    if (!spaced(t) || t->kind != T_WORD)
        return 0;
    if (is_w(t, "us") || is_w(t, "american")) {
        *unit = "USD";
        return 1;
    }
    if (is_w(t, "u") && is_p(at(s, j + 1), '.') && is_w(at(s, j + 2), "s") &&
        is_p(at(s, j + 3), '.') && glued(at(s, j + 3))) {
        *unit = "USD";
        return 4;
    }
    if (is_w(t, "canadian") || is_w(t, "australian")) {
        *unit = t->low[0] == 'c' ? "CAD" : "AUD";
        return 1;
    }
    if (is_w(t, "hong") && is_w(at(s, j + 1), "kong")) {
        *unit = "HKD";
        return 2;
    }
    return 0;
}

/* A span of time after a number at j: "years", "14 consecutive years",
 * "12-year", "10-year-old".  Returns the next token (j when none). */
static int
time_suffix(const seg *s, int j, amount *a)
{
    static const char *const adj[] = {
        "consecutive", "straight", "successive", "full", "more",
        "additional", "long", "short", "brief", "whole", "calendar",
        "fiscal", NULL
    };
    const tok *t = at(s, j);
    int k = j;

    if (is_p(t, '-') && glued(t) && glued(at(s, j + 1)) &&
        (lxc(at(s, j + 1)) == LX_PERCENT || lxc(at(s, j + 1)) == LX_CURW)) {
        a->unit = lxc(at(s, j + 1)) == LX_PERCENT ? "percent"
                                                  : at(s, j + 1)->lx->unit;
        a->subj_from = j + 2;
        return j + 2;
    }
    if (is_p(t, '-') && glued(t) && glued(at(s, j + 1)) &&
        lxc(at(s, j + 1)) == LX_TIME) {
        k = j + 1;
        t = at(s, k);
        a->unit = t->lx->unit;
        a->mant *= t->lx->val;
        k++;
        if (is_p(at(s, k), '-') && glued(at(s, k)) && glued(at(s, k + 1)) &&
            (is_w(at(s, k + 1), "old") || is_w(at(s, k + 1), "long")))
            k += 2;
        a->subj_from = k;
        return k;
    }
    while (k < j + 2 && spaced(at(s, k)) && is_wl(at(s, k), adj))
        k++;
    t = at(s, k);
    if (!spaced(t) || lxc(t) != LX_TIME)
        return j;
    a->unit = t->lx->unit;
    a->mant *= t->lx->val;
    if (ends_with(t, "'s"))
        a->subj_from = k + 1;       /* "one year's service" */
    return k + 1;
}

/* The unit written after a number at j: "%", "percent", "per cent",
 * "percentage points", "yuan", "US dollars", "pounds sterling", "cents",
 * a currency code, a span of time, a Chinese unit. */
static int
parse_suffix(const seg *s, int j, amount *a)
{
    const tok *t = at(s, j), *u = at(s, j + 1);
    const char *cur = NULL;
    int c = lxc(t), m;

    if (!t)
        return j;
    if (a->unit) {
        /* "$5 billion dollars": the same currency again */
        if (spaced(t) && c == LX_CURW && strcmp(t->lx->unit, a->unit) == 0)
            return j + 1;
        return j;
    }
    if ((is_p(t, '%') || is_p(t, 0xff05)) && t->gap != GAP_LINE) {
        a->unit = "percent";
        return j + 1;
    }
    if (t->kind == T_CJK && glued(t))
        return cjk_suffix(s, j, a);
    if (spaced(t)) {
        if (c == LX_PERCENT || (c == LX_PER && is_w(u, "cent")) ||
            (c == LX_PCTG && (is_w(u, "points") || is_w(u, "point")))) {
            a->unit = "percent";
            return c == LX_PERCENT ? j + 1 : j + 2;
        }
        if ((m = dollar_country(s, j, &cur)) && spaced(at(s, j + m)) &&
            lxc(at(s, j + m)) == LX_CURW &&
            strcmp(at(s, j + m)->lx->unit, "USD") == 0) {
            a->unit = cur;
            return j + m + 1;
        }
        if (c == LX_CURW || (c == LX_CODE && (t->flags & F_UPPER))) {
            a->unit = t->lx->unit;
            return j + 1;
        }
        if ((c == LX_POUNDS && is_w(u, "sterling")) || c == LX_STERLING) {
            a->unit = "GBP";
            return c == LX_POUNDS ? j + 2 : j + 1;
        }
        if (c == LX_CENTS) {
            a->unit = "USD";
            a->exp10 -= 2;
            return j + 1;
        }
    }
    return time_suffix(s, j, a);
}

/* The fraction after the digits token t, whose next token is j: "3/4",
 * "3 3/4", "9-1/2", "3½".  Returns the token after it (j when there is
 * none), or -1 when it makes an identifier ("9/11", "3/8/2024"). */
static int
digit_fraction(const seg *s, const tok *t, int j, amount *a)
{
    const tok *u = at(s, j), *d = at(s, j + 1);
    double frac;
    int m;

    if (is_p(u, '/') && glued(u) && glued(d) && d->kind == T_NUM) {
        if ((t->flags & (F_SEP | F_DEC)) || (d->flags & (F_SEP | F_DEC)) ||
            t->mant >= d->mant || d->mant > 16 ||
            (is_p(at(s, j + 2), '/') && glued(at(s, j + 2))))
            return -1;
        a->mant = t->mant / d->mant;
        a->plain = false;
        return j + 2;
    }
    if ((t->flags & F_DEC) || t->ndig == 0)
        return j;
    if ((m = mixed_fraction(s, j, &frac)) ||
        (m = and_fraction(s, j, &frac))) {
        a->mant += frac;
        a->plain = false;
    }
    return j + m;
}

/* A suffix glued to bare digits at j: "18th", "2d", "1990s", "1990's".
 * Returns AM_OK (a->t1 set), AM_SKIP for another suffix on digits that
 * cannot take it ("3.5th"), or AM_NONE when there is none. */
static int
digit_suffix(const seg *s, int j, amount *a)
{
    const tok *u = at(s, j), *v = at(s, j + 1);
    int n = 0;

    if (!glued(u))
        return AM_NONE;
    if (lxc(u) == LX_ORDSUF) {
        n = a->plain || a->ordinal ? 1 : 0;     /* "18th", "第18th" */
        a->ordinal = true;
    } else if (is_w(u, "s") ||
               ((is_p(u, '\'') || is_p(u, 0x2019)) && glued(v) &&
                is_w(v, "s"))) {
        a->decade = true;
        n = a->plain && a->ndig == 4 && fmod(a->mant, 10) == 0
            ? (is_w(u, "s") ? 1 : 2) : 0;
    } else {
        return AM_NONE;
    }
    if (n == 0) {
        a->t1 = skip_chain(s, j);
        return AM_SKIP;
    }
    a->t1 = j + n;
    return AM_OK;
}

/* The number itself at j, digits or words, with its fractions and
 * scale.  Returns AM_NONE, AM_OK or AM_SKIP (a->t1: where to go on). */
static int
parse_number(const seg *s, int j, amount *a)
{
    const tok *t = at(s, j);
    wnum w;
    int m, r;

    if (t->kind == T_WORD) {
        if (!parse_words(s, j, &w))
            return AM_NONE;
        a->mant = w.value;
        a->words = true;
        a->ordinal = a->ordinal || w.ordinal;
        a->lone_one = w.lone_one;
        a->scaled = w.scaled;
        a->scale_exp = w.scale_exp;
        a->t1 = w.end;
        return AM_OK;
    }
    if (t->kind == T_CJK) {
        if (!(a->ordinal || a->unit) ||
            !(m = parse_cn_numeral(s, j, &a->mant)))
            return AM_NONE;
        a->t1 = j + m;
        return AM_OK;
    }
    if (t->kind != T_NUM)
        return AM_NONE;
    a->mant = t->mant;
    a->exp10 = t->exp10;
    a->ndig = t->ndig;
    a->plain = !(t->flags & (F_SEP | F_DEC)) && !a->neg && !a->unit_prefix &&
               !a->ordinal;
    if ((t->flags & F_LONG) || (j = digit_fraction(s, t, j + 1, a)) < 0 ||
        ident_after(s, j, a)) {
        a->t1 = skip_chain(s, j < 0 ? a->t0 : j);
        return AM_SKIP;
    }
    if ((r = digit_suffix(s, j, a)) != AM_NONE)
        return r;
    a->t1 = parse_scale(s, j, a);
    if (a->scaled)
        a->plain = false;
    return AM_OK;
}

/* An amount at i: [-] [prefix unit] number [scale] [or more] [unit]
 * [or more].  Returns AM_NONE, AM_OK or AM_SKIP (skip to a->t1). */
static int
parse_amount(const seg *s, int i, amount *a)
{
    const tok *t = at(s, i), *u = at(s, i + 1);
    int j = i, r;

    memset(a, 0, sizeof *a);
    a->t0 = i;
    a->subj_from = -1;
    if ((is_p(t, '-') || is_p(t, 0x2212)) && glued(u) &&
        (i == 0 || !glued(t) || is_p(at(s, i - 1), '(')) &&
        (u->kind == T_NUM || symbol_unit(u))) {
        a->neg = true;
        j++;
    }
    j += parse_prefix(s, j, a);
    a->unit_prefix = a->unit != NULL;
    t = at(s, j);
    if (!t || (j > i && !(t->kind == T_NUM ||
                          (t->kind == T_WORD && t->lx) ||
                          (t->kind == T_CJK && (a->ordinal || a->unit)))))
        return AM_NONE;
    if ((r = parse_number(s, j, a)) != AM_OK)
        return r;
    j = a->t1;
    if (a->ordinal || a->decade)
        return AM_OK;
    j = trailing_qual(s, j, a);
    a->t1 = 0;
    j = parse_suffix(s, j, a);
    if (a->t1 == -1) {
        a->t1 = j;
        return AM_SKIP;
    }
    j = trailing_qual(s, j, a);
    a->t1 = j;
    if (!isfinite(amount_value(a)))
        return AM_NONE;
    if (a->subj_from < 0 && is_p(at(s, j), '-') && glued(at(s, j)) &&
        glued(at(s, j + 1)) && at(s, j + 1)->kind == T_WORD)
        a->subj_from = j + 1;       /* "a 50-state strategy" */
    return AM_OK;
}

/* ---- qualifiers and context --------------------------------------- */

/* Match the words of phrase (space-separated) ending at token k.
 * Returns the index of its first token, or -1. */
static int
match_back(const seg *s, int k, const char *phrase)
{
    const char *end = phrase + strlen(phrase), *w;
    char word[16];
    const tok *t;

    while (end > phrase) {
        for (w = end; w > phrase && w[-1] != ' '; w--)
            ;
        if ((size_t)(end - w) >= sizeof word)
            return -1;
        memcpy(word, w, (size_t)(end - w));
        word[end - w] = '\0';
        t = at(s, k);
        if (!is_w(t, word) || (w > phrase && !spaced(t)))
            return -1;
        k--;
        end = w > phrase ? w - 1 : w;
    }
    return k + 1;
}

/* The qualifier written just before token k.  Sets *start to the first
 * token of its words (k when there is none).  Longest phrase wins: "no
 * more than" is at_most, not over.  Words of the previous figure are not
 * taken again ("5 or more than 6"). */
static fig_qualifier
qualifier_before(const ctx *c, int k, int *start)
{
    static const struct { const char *words; fig_qualifier q; } tab[] = {
        {"about", FIG_Q_ABOUT}, {"around", FIG_Q_ABOUT},
        {"approximately", FIG_Q_ABOUT}, {"roughly", FIG_Q_ABOUT},
        {"nearly", FIG_Q_ABOUT}, {"almost", FIG_Q_ABOUT},
        {"some", FIG_Q_ABOUT}, {"close to", FIG_Q_ABOUT},
        {"an estimated", FIG_Q_ABOUT}, {"circa", FIG_Q_ABOUT},
        {"more than", FIG_Q_OVER}, {"over", FIG_Q_OVER},
        {"above", FIG_Q_OVER}, {"exceeding", FIG_Q_OVER},
        {"in excess of", FIG_Q_OVER}, {"upwards of", FIG_Q_OVER},
        {"upward of", FIG_Q_OVER}, {"a little more than", FIG_Q_OVER},
        {"slightly more than", FIG_Q_OVER}, {"well over", FIG_Q_OVER},
        {"just over", FIG_Q_OVER}, {"greater than", FIG_Q_OVER},
        {"less than", FIG_Q_UNDER}, {"fewer than", FIG_Q_UNDER},
        {"below", FIG_Q_UNDER}, {"under", FIG_Q_UNDER},
        {"just under", FIG_Q_UNDER}, {"a little less than", FIG_Q_UNDER},
        {"at least", FIG_Q_AT_LEAST}, {"no less than", FIG_Q_AT_LEAST},
        {"not less than", FIG_Q_AT_LEAST}, {"no fewer than", FIG_Q_AT_LEAST},
        {"not fewer than", FIG_Q_AT_LEAST}, {"a minimum of", FIG_Q_AT_LEAST},
        {"up to", FIG_Q_AT_MOST}, {"no more than", FIG_Q_AT_MOST},
        {"not more than", FIG_Q_AT_MOST}, {"at most", FIG_Q_AT_MOST},
        {"a maximum of", FIG_Q_AT_MOST}, {"not exceeding", FIG_Q_AT_MOST},
    };
    static const struct { const char *u8; fig_qualifier q; } cn[] = {
        {"大约", FIG_Q_ABOUT}, {"将近", FIG_Q_ABOUT}, {"接近", FIG_Q_ABOUT},
        {"约", FIG_Q_ABOUT}, {"近", FIG_Q_ABOUT}, {"超过", FIG_Q_OVER},
        {"逾", FIG_Q_OVER}, {"超", FIG_Q_OVER}, {"不到", FIG_Q_UNDER},
        {"不足", FIG_Q_UNDER}, {"至少", FIG_Q_AT_LEAST},
        {"不少于", FIG_Q_AT_LEAST}, {"不超过", FIG_Q_AT_MOST},
        {"最多", FIG_Q_AT_MOST},
    };
    const seg *s = &c->s;
    fig_qualifier q = FIG_Q_NONE;
    int best = k, b;

    *start = k;
    if (at(s, k - 1) && at(s, k - 1)->kind == T_CJK) {
        for (size_t i = 0; i < sizeof cn / sizeof *cn; i++) {
            int m = 0;
            for (b = k - 1; b >= k - 3 && !(m = cjk_match(s, b, cn[i].u8));
                 b--)
                ;
            if (m && b + m == k && b < best && b >= c->last_end) {
                best = b;
                q = cn[i].q;
            }
        }
        *start = best;
        return q;
    }
    if (!spaced(at(s, k)) || !at(s, k - 1) || at(s, k - 1)->kind != T_WORD)
        return FIG_Q_NONE;
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if ((b = match_back(s, k - 1, tab[i].words)) >= 0 && b < best &&
            b >= c->last_end) {
            best = b;
            q = tab[i].q;
        }
    *start = best;
    return q;
}

/* After a year, the next token must not be a word it could count: "In
 * 2023, our country" is a year, "2023 enterprises" a count. */
static bool
year_follow_ok(const seg *s, int k)
{
    static const char *const ok[] = {"alone", "onward", "onwards", NULL};
    const tok *t = at(s, k);

    return !t || t->kind != T_WORD || (t->flags & F_CAP) || is_stop(t) ||
           is_wl(t, ok) || lxc(t) == LX_MONTH || ends_with(t, "ed");
}

/* Is a bare four-digit number whose text starts at token q and ends
 * before token e a calendar year?  See docs/FIGURES.md "Years". */
static bool
year_context(const ctx *c, int q, int e)
{
    static const char *const strong[] = {
        "in", "since", "until", "till", "during", "before", "after",
        "circa", "year", "fiscal", "through", "throughout", "early", "late",
        "mid", "spring", "summer", "autumn", "fall", "winter", "the",
        "this", "that", "its", "our", "their", "fy", "years", NULL
    };
    /* "the act of 1845", "prior to 1819" */
    static const char *const of_nouns[] = {
        "act", "acts", "treaty", "war", "session", "law", "convention",
        "census", "end", "beginning", "middle", "half", "summer", "spring",
        "autumn", "fall", "winter", "crisis", "panic", "election", "class",
        "tariff", "budget", NULL
    };
    static const char *const to_words[] = {
        "prior", "previous", "subsequent", "up", NULL
    };
    static const char *const weak[] = {
        "of", "to", "from", "by", "between", "and", "or", "for", "at", "as",
        "with", "over", "than", NULL
    };
    static const char *const verbs[] = {
        "is", "was", "will", "would", "must", "can", "could", "has", "had",
        "saw", "marks", "marked", "brought", "became", NULL
    };
    const seg *s = &c->s;
    const tok *p = at(s, q - 1);
    const figure *last = c->n_v > c->seg_first ? &c->v[c->n_v - 1] : NULL;

    if (is_wl(p, strong) ||
        (is_w(p, "of") && is_wl(at(s, q - 2), of_nouns)) ||
        (is_w(p, "to") && is_wl(at(s, q - 2), to_words)))
        return true;
    if (last && c->last_end == q - 1 && strcmp(last->unit, "year") == 0 &&
        (is_p(p, ',') || is_w(p, "and") || is_w(p, "or")))
        return true;                /* "1998, 1999 and 2000" */
    if (is_p(p, ',') && (is_p(at(s, e), ',') || is_p(at(s, e), '.') ||
                         is_wl(at(s, e), verbs)))
        return true;                /* "of D-Day, 1944, they" */
    if (is_wl(p, weak) || clause_start(s, q))
        return year_follow_ok(s, e);
    return false;
}

/* An ordinal word is a rank only after a determiner or a ranking verb:
 * "the second session", "ranks first"; not "First, we must". */
static bool
ordinal_context(const seg *s, int q)
{
    static const char *const ok[] = {
        "the", "its", "our", "their", "his", "her", "my", "your", "this",
        "rank", "ranks", "ranked", "ranking", "place", "placed", "came",
        "come", "comes", "finished", "stood", "stands", NULL
    };

    return is_wl(at(s, q - 1), ok);
}

/* A bare number right after a capitalized word or a word that numbers
 * things is a name: "Apollo 11", "Boeing 747", "section 1258". */
static bool
is_label(const seg *s, int q)
{
    static const char *const labels[] = {
        "section", "sections", "article", "articles", "chapter", "title",
        "paragraph", "clause", "page", "pages", "volume", "item", "rule",
        "schedule", "part", "footnote", "note", "no", "number", "room",
        "route", "flight", "table", "figure", "appendix", "annex", "act",
        NULL
    };
    const tok *p = at(s, q - 1);

    if (!p || p->kind != T_WORD || !spaced(at(s, q)))
        return false;
    return is_wl(p, labels) || ((p->flags & F_CAP) && !clause_start(s, q - 1)
                                && !is_stop(p) && !p->lx);
}

/* ---- subjects ------------------------------------------------------ */

/* One past the word compound that starts at k ("sub-categories", "5G",
 * "Made-in-China"), or k when none starts there.  A hyphen before one of
 * dash_words is a dash: "the first World War-was marred". */
static int
compound_end(const seg *s, int k)
{
    static const char *const dash_words[] = {
        "the", "a", "an", "was", "were", "is", "are", "and", "but", "which",
        "who", "that", "this", "these", "those", "it", "they", "we", "he",
        "she", "on", "for", "with", "as", NULL
    };
    const tok *t = at(s, k);
    bool letter;
    int j;

    if (!t || (t->kind != T_WORD && t->kind != T_NUM))
        return k;
    letter = t->kind == T_WORD;
    for (j = k + 1; (t = at(s, j)) && glued(t); j++) {
        if (t->kind == T_WORD || t->kind == T_NUM) {
            letter = letter || t->kind == T_WORD;
        } else if ((is_p(t, '-') || is_p(t, '&')) && glued(at(s, j + 1)) &&
                   (at(s, j + 1)->kind == T_WORD ||
                    at(s, j + 1)->kind == T_NUM) &&
                   !is_wl(at(s, j + 1), dash_words)) {
            j++;
            letter = letter || at(s, j)->kind == T_WORD;
        } else {
            break;
        }
    }
    return letter ? j : k;
}

/* The first token of the compound that ends at token k, or -1. */
static int
compound_start(const seg *s, int k)
{
    const tok *t = at(s, k);
    int j = k;

    if (!t || (t->kind != T_WORD && t->kind != T_NUM))
        return -1;
    while (glued(at(s, j)) && at(s, j - 1)) {
        const tok *p = at(s, j - 1), *pp = at(s, j - 2);
        if (p->kind == T_WORD || p->kind == T_NUM)
            j--;
        else if ((is_p(p, '-') || is_p(p, '&')) && glued(p) && pp &&
                 (pp->kind == T_WORD || pp->kind == T_NUM))
            j -= 2;
        else
            break;
    }
    return compound_end(s, j) == k + 1 ? j : -1;
}

static bool
possessive(const seg *s, int e)
{
    const tok *t = at(s, e - 1);
    size_t n = t && t->kind == T_WORD ? strlen(t->low) : 0;

    return n > 2 && t->low[n - 2] == '\'' && t->low[n - 1] == 's';
}

/* A possessive pronoun: with the possessive after it, it is dropped from
 * a subject ("our country's total industrial added value"). */
static bool
is_pron(const tok *t)
{
    static const char *const pron[] = {
        "our", "my", "your", "their", "its", "his", "her", NULL
    };

    return is_wl(t, pron);
}

/* Is the compound [k, e) a possessive a subject drops: one after a
 * possessive pronoun ("our country's") or one of time ("last year's")? */
static bool
dropped_possessive(const seg *s, int k, int e)
{
    static const char *const times[] = {
        "year's", "month's", "week's", "day's", "today's", "yesterday's",
        "tomorrow's", "tonight's", "decade's", "century's", NULL
    };

    return possessive(s, e) &&
           (is_pron(at(s, k - 1)) || (e == k + 1 && is_wl(at(s, k), times)));
}

static bool
is_det(const tok *t)
{
    static const char *const det[] = {
        "the", "a", "an", "our", "my", "your", "their", "its", "his", "her",
        "this", "these", "those", NULL
    };

    return is_wl(t, det);
}

/* Can the compound [k, e) be a word of a subject? */
static bool
content(const seg *s, int k, int e)
{
    const tok *t = at(s, k);
    int c = lxc(t);

    if (e <= k || (c >= LX_DIGIT && c <= LX_TENS))
        return false;               /* "one-fourth" */
    if (e - k > 1)
        return true;
    return t->kind == T_WORD && !is_stop(t) &&
           !(c >= LX_DIGIT && c <= LX_A) && c != LX_BETWEEN &&
           !(c == LX_MONTH && (t->flags & F_CAP));
}

/* After a comma at k-1: do modifiers and then "and" follow, as in
 * "specialized, special and new enterprises"? */
static bool
list_follows(const seg *s, int k)
{
    for (int n = 0, e; n < 3 && (e = compound_end(s, k)) > k &&
                       content(s, k, e); n++) {
        k = e;
        if (is_p(at(s, k), ','))
            k++;
        else if (is_w(at(s, k), "and") || is_w(at(s, k), "or"))
            return true;
    }
    return false;
}

/* The noun phrase that starts at k: determiners dropped, at most NP_MAX
 * words, through "of" once ("sets of data") and through "and" or a comma
 * between modifiers ("small and medium-sized enterprises"). */
static bool
np_forward(const seg *s, int k, bool time_ok, size_t *ss, size_t *se)
{
    int ws[NP_MAX], we[NP_MAX], words = 0, e;
    bool of_used = false, quoted = false;
    const tok *t;

    if (is_quote(at(s, k)) && glued(at(s, k + 1))) {
        quoted = true;
        k++;
    }
    for (int d = 0; d < 2 && is_det(at(s, k)); d++)
        k++;
    /* "our country's product output" -> "product output" */
    if (dropped_possessive(s, k, compound_end(s, k)))
        k = compound_end(s, k);
    while (words < NP_MAX && (e = compound_end(s, k)) > k &&
           content(s, k, e)) {
        ws[words] = k;
        we[words++] = e;
        k = e;
        t = at(s, k);
        if (quoted && is_quote(t))
            break;
        e = compound_end(s, k + 1);
        if (is_w(t, "of") && !of_used && content(s, k + 1, e)) {
            of_used = true;
            k++;
        } else if ((is_w(t, "and") || is_w(t, "or") ||
                    (is_p(t, ',') && list_follows(s, k + 1))) &&
                   !of_used && content(s, k + 1, e) &&
                   !ends_with(at(s, k - 1), "s")) {
            k++;
        }
    }
    /* a participle ends no subject: "three of its members resigned" */
    while (words > 0 && ends_with(at(s, we[words - 1] - 1), "ed"))
        words--;
    /* "in Fiscal Year 1977" names a date, "for the current year" a time */
    if (words == 0 || (at(s, k) && at(s, k)->kind == T_NUM) ||
        (!time_ok && lxc(at(s, we[words - 1] - 1)) == LX_TIME))
        return false;
    *ss = s->t[ws[0]].start;
    *se = s->t[we[words - 1] - 1].end;
    return true;
}

/* "40 trillion yuan, about 39.9 trillion yuan": a figure right after
 * another of the same unit and a comma has the same subject. */
static bool
apposition(const ctx *c, int q, const char *unit, size_t *ss, size_t *se)
{
    const figure *last = c->n_v > c->seg_first ? &c->v[c->n_v - 1] : NULL;

    if (!last || !is_p(at(&c->s, q - 1), ',') || c->last_end != q - 1 ||
        strcmp(last->unit, unit) != 0 || !last->subject_end)
        return false;
    *ss = last->subject_start;
    *se = last->subject_end;
    return true;
}

/* The subject a sentence names before the figure whose text starts at
 * q: "The number of 5G base stations has reached 3.38 million",
 * "total industrial added value will be close to 40 trillion yuan". */
static bool
np_backward(const ctx *c, int q, const char *unit, size_t *ss, size_t *se)
{
    static const char *const links[] = {
        "has reached", "have reached", "reached", "reaches", "reach",
        "is", "are", "was", "were", "be", "amounted to", "amounts to",
        "totaled", "totalled", "totals", "stood at", "stands at", "hit",
        "rose to", "rose by", "grew to", "grew by", "increased to",
        "increased by", "fell to", "fell by", "dropped to", "of", NULL
    };
    static const char *const rank_links[] = {
        "ranks", "ranked", "rank", "placed", "came", "comes", "stands",
        "stood", "finished", "is", "are", "was", "were", NULL
    };
    const char *const *link = strcmp(unit, "rank") == 0 ? rank_links
                                                        : links;
    static const char *const aux[] = {
        "will", "would", "shall", "should", "can", "could", "may", "might",
        "must", "to", "has", "have", "had", "been", "also", "now", "already",
        "still", "just", "only", NULL
    };
    static const char *const weak[] = {
        "number", "total", "amount", "sum", "figure", "record", "average",
        "level", "volume", "value", NULL
    };
    const seg *s = &c->s;
    int k = q - 1, b = -1, first = -1, end = -1, words = 0, st;
    bool of_used = false;

    if (at(s, k) == NULL || at(s, k)->kind != T_WORD)
        return apposition(c, q, unit, ss, se);
    for (int i = 0; link[i]; i++)
        if ((st = match_back(s, k, link[i])) >= 0 && (b < 0 || st < b))
            b = st;
    if (b < 0)
        return false;
    for (k = b - 1; is_wl(at(s, k), aux); k--)
        ;
    while (words < NP_MAX && (st = compound_start(s, k)) >= 0 &&
           content(s, st, k + 1) && !dropped_possessive(s, st, k + 1)) {
        if (end < 0)
            end = k;
        first = st;
        words++;
        k = st - 1;
        if (!of_used && is_w(at(s, k), "of") &&
            (st = compound_start(s, k - 1)) >= 0 && content(s, st, k)) {
            of_used = true;
            k--;
        }
    }
    if (first < 0)
        return false;
    /* "the number of 5G base stations" -> "5G base stations" */
    while (first < end && is_wl(at(s, first), weak) &&
           is_w(at(s, first + 1), "of"))
        first += 2;
    if ((first == end && is_wl(at(s, first), weak)) ||
        lxc(at(s, end)) == LX_TIME)
        return false;               /* "during the fiscal year of $5" */
    *ss = s->t[first].start;
    *se = s->t[end].end;
    return true;
}

static bool
is_currency(const char *unit)
{
    return unit[0] >= 'A' && unit[0] <= 'Z';
}

static bool
is_span(const char *unit)
{
    return strcmp(unit, "years") == 0 || strcmp(unit, "months") == 0 ||
           strcmp(unit, "weeks") == 0 || strcmp(unit, "days") == 0 ||
           strcmp(unit, "hours") == 0;
}

/* The subject written after a figure that ends before token k. */
static bool
subject_after(const seg *s, int k, const amount *a, const char *unit,
              size_t *ss, size_t *se)
{
    const tok *t = at(s, k);

    if (strcmp(unit, "year") == 0)
        return false;
    if (a->subj_from >= 0)
        return np_forward(s, a->subj_from, false, ss, se);
    if (is_w(t, "of") || (is_currency(unit) && (is_w(t, "in") ||
                                                is_w(t, "for"))))
        return np_forward(s, k + 1, false, ss, se);
    if (is_span(unit))
        return false;
    return np_forward(s, k, strcmp(unit, "rank") == 0, ss, se);
}

/* ---- figures ------------------------------------------------------- */

enum { CONN_NONE, CONN_BETWEEN, CONN_TO, CONN_DASH, CONN_LIST };

static int
emit(ctx *c, double lo, double hi, const char *unit, fig_qualifier q,
     int t0, int t1, const size_t *subj)
{
    figure *f;
    size_t n = strlen(unit);

    if (c->n_v == c->cap_v) {
        size_t cap = c->cap_v ? c->cap_v * 2 : 16;
        figure *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return BRIEF_ENOMEM;
        c->v = v;
        c->cap_v = cap;
    }
    f = &c->v[c->n_v++];
    memset(f, 0, sizeof *f);
    f->value = lo;
    f->value_high = hi;
    f->is_range = hi != lo;
    memcpy(f->unit, unit, n < FIG_UNIT_MAX ? n : FIG_UNIT_MAX - 1);
    f->qualifier = q;
    f->start = c->s.t[t0].start;
    f->end = c->s.t[t1 - 1].end;
    if (subj && subj[1] > subj[0]) {
        f->subject_start = subj[0];
        f->subject_end = subj[1];
    }
    c->last_end = t1;
    return BRIEF_OK;
}

static bool
is_day(const tok *t)
{
    return t && t->kind == T_NUM && spaced(t) && !(t->flags & (F_SEP | F_DEC))
           && t->ndig <= 2 && t->mant >= 1 && t->mant <= 31;
}

static bool
is_year_num(const seg *s, int k)
{
    const tok *t = at(s, k), *u = at(s, k + 1);

    return t && t->kind == T_NUM && !(t->flags & (F_SEP | F_DEC)) &&
           t->ndig == 4 && t->mant >= 1000 && t->mant <= 2199 &&
           !(glued(u) && (u->kind == T_WORD || u->kind == T_NUM));
}

/* The year after a month (and day) from token j: "1894" in "September
 * 30, 1894" or "September 1894".  Returns its token, or -1. */
static int
date_year(const seg *s, int j)
{
    if (is_p(at(s, j), ',') && is_year_num(s, j + 1))
        return j + 1;
    return is_year_num(s, j) && spaced(at(s, j)) ? j : -1;
}

/* A date at the month name i: "September 30, 1894", "June 1944",
 * "March 8".  A date with a year is one figure, the year; a day and
 * month alone are no figure. */
static int
try_date(ctx *c, int i, int *next)
{
    const seg *s = &c->s;
    int j = i + 1, y;
    const tok *t;

    if (is_p(at(s, j), '.') && glued(at(s, j)))
        j++;
    if (is_w(at(s, j), "the") && is_day(at(s, j + 1)) &&
        lxc(at(s, j + 2)) == LX_ORDSUF)
        j++;                        /* "September the 11th" */
    if (is_day(t = at(s, j)) && !ident_after(s, j + 1, &(amount){0})) {
        j++;
        if (glued(at(s, j)) && lxc(at(s, j)) == LX_ORDSUF)
            j++;
        t = at(s, j);
        if ((is_w(t, "and") || is_w(t, "to") || is_p(t, '-') ||
             is_p(t, 0x2013)) && is_day(at(s, j + 1)))
            j += 2;
        *next = j;
    }
    if ((y = date_year(s, j)) < 0)
        return BRIEF_OK;
    *next = y + 1;
    return emit(c, s->t[y].mant, s->t[y].mant, "year", FIG_Q_NONE, i, y + 1,
                NULL);
}

/* How the token at k joins two amounts: "between 3 and 5", "15 to 20",
 * "15-20", "4 and 4 1/2 per cent". */
static int
connector(const seg *s, int k, bool between)
{
    const tok *t = at(s, k);

    if (!t || !at(s, k + 1))
        return CONN_NONE;
    if (between)
        return is_w(t, "and") ? CONN_BETWEEN : CONN_NONE;
    if ((is_w(t, "to") || is_w(t, "through")) && spaced(at(s, k + 1)))
        return CONN_TO;
    if ((is_p(t, '-') || is_p(t, 0x2013) || is_p(t, '~') ||
         is_p(t, 0xff5e) || cjk_match(s, k, "至") || cjk_match(s, k, "到")) &&
        glued(t) == glued(at(s, k + 1)))
        return CONN_DASH;
    if ((is_w(t, "and") || is_w(t, "or")) && spaced(at(s, k + 1)))
        return CONN_LIST;
    return CONN_NONE;
}

/* A figure being decided: the amount, where its text starts (qualifier
 * included) and ends, and what the words around it make of it. */
typedef struct draft {
    amount a;
    int i;                  /* the amount's first token */
    int q0, end;            /* its text: tokens [q0, end) */
    bool between, range, bare;
    fig_qualifier q;
    const char *unit;
    double lo, hi;
    size_t subj[2];
} draft;

/* Emit the year of the date whose day is d's amount and whose month
 * follows at token j ("30 September 1894", "the 1st of May, 1893"), or
 * skip a date without a year ("8 March").  Sets *next; returns a status. */
static int
day_date(ctx *c, const draft *d, int j, int *next)
{
    const seg *s = &c->s;
    int y;

    j += is_p(at(s, j), '.') && glued(at(s, j));
    *next = j;
    if ((y = date_year(s, j)) < 0)
        return BRIEF_OK;
    *next = y + 1;
    return emit(c, s->t[y].mant, s->t[y].mant, "year", FIG_Q_NONE, d->i,
                y + 1, NULL);
}

/* Is d a day of a date, or a list marker ("(2)", "2." alone)?  Then it is
 * handled here: *rc is the status and *next the token to go on from. */
static bool
not_a_count(ctx *c, const draft *d, int *next, int *rc)
{
    const seg *s = &c->s;
    const amount *a = &d->a;
    const tok *t = at(s, a->t1);
    int k = a->t1 + (is_w(t, "day") ? 1 : 0);

    if (d->between)
        return false;
    if (a->plain && d->bare && a->ndig <= 2 && d->lo >= 1 && d->lo <= 31 &&
        spaced(t) && lxc(t) == LX_MONTH && (t->flags & F_CAP)) {
        *rc = day_date(c, d, a->t1 + 1, next);
        return true;
    }
    t = at(s, k + 1);
    if (a->ordinal && d->lo >= 1 && d->lo <= 31 && is_w(at(s, k), "of") &&
        lxc(t) == LX_MONTH && (t->flags & F_CAP)) {
        *rc = day_date(c, d, k + 2, next);
        return true;
    }
    if (a->plain && d->bare && a->ndig <= 2 &&
        ((is_p(at(s, d->i - 1), '(') && glued(at(s, d->i)) &&
          is_p(at(s, a->t1), ')') && glued(at(s, a->t1))) ||
         (d->q0 == 0 && a->t1 + 1 == s->n &&
          (is_p(at(s, a->t1), '.') || is_p(at(s, a->t1), ')'))))) {
        *next = a->t1 + 1;
        *rc = BRIEF_OK;
        return true;
    }
    return false;
}

/* Join d's amount with a second one after a connector: a range ("between
 * 3 and 5 million", "15-20 USD"), a year range ("from 1990 to 1995"), a
 * unit shared ("5 or 6 percent"), or a score ("3-2").  Returns true when
 * that settles everything (*rc, *next set). */
static bool
join(ctx *c, draft *d, int *next, int *rc)
{
    const seg *s = &c->s;
    amount *a = &d->a, b;
    int conn = connector(s, a->t1, d->between);
    double yb;

    if (a->ordinal || a->decade || !conn ||
        parse_amount(s, a->t1 + 1, &b) != AM_OK || b.ordinal || b.decade)
        return false;
    yb = b.ndig == 2 && conn == CONN_DASH ? floor(d->lo / 100) * 100 + b.mant
                                          : b.mant;
    if (a->plain && a->ndig == 4 && d->lo >= 1000 && d->lo <= 2199 &&
        b.plain && (b.ndig == 4 || (b.ndig == 2 && conn == CONN_DASH)) &&
        yb > d->lo && conn != CONN_LIST &&
        (d->between || is_w(at(s, d->q0 - 1), "from") ||
         year_context(c, d->q0, b.t1))) {
        *next = b.t1;
        *rc = emit(c, d->lo, yb, "year", FIG_Q_NONE, d->q0, b.t1, NULL);
        return true;
    }
    if (d->bare && (b.unit || b.scaled)) {
        a->unit = b.unit;           /* "15 to 20 dollars", "3 to 5 million" */
        a->exp10 += b.scale_exp;
        a->scaled = b.scaled;
    } else if (!d->bare && !b.unit && !b.scaled && conn != CONN_LIST) {
        b.unit = a->unit;           /* "$15-20" */
    }
    d->lo = amount_value(a);
    d->hi = amount_value(&b);
    d->unit = a->unit;
    if ((a->unit ? b.unit && strcmp(a->unit, b.unit) == 0 : !b.unit) &&
        (conn == CONN_BETWEEN || (conn == CONN_DASH && d->hi > d->lo) ||
         (conn == CONN_TO && d->bare && d->hi > d->lo))) {
        d->range = true;
        d->end = b.t1;
        if (d->hi < d->lo) {
            double tmp = d->lo;
            d->lo = d->hi;
            d->hi = tmp;
        }
        if (!d->unit)
            d->unit = "count";
    } else if (conn == CONN_DASH && d->bare && glued(at(s, a->t1))) {
        *next = b.t1;
        *rc = BRIEF_OK;
        return true;
    }
    if (d->range || (d->bare && d->unit))
        subject_after(s, b.t1, &b, d->unit ? d->unit : "count", d->subj,
                      d->subj + 1);
    return false;
}

/* The unit of a figure that is not a range: rank, year, count.  Returns
 * false when the amount is no figure after all: an ordinal adverb ("First,
 * we"), a lone "one", a label ("Apollo 11"). */
static bool
decide_unit(const ctx *c, draft *d)
{
    const seg *s = &c->s;
    const amount *a = &d->a;
    bool year_like = d->lo >= 1000 && d->lo <= 2199 &&
                     ((a->plain && a->ndig == 4) ||
                      (a->words && is_w(at(s, d->q0 - 1), "year")));

    d->hi = d->lo;
    if (a->ordinal) {
        d->unit = "rank";
        return !a->words || ordinal_context(s, d->q0);
    }
    if (a->decade) {
        d->hi = d->lo + (fmod(d->lo, 100) == 0 && d->lo < 2000 ? 99 : 9);
        d->unit = "year";
        return true;
    }
    if (d->unit)
        return true;
    if (year_like && year_context(c, d->q0, a->t1)) {
        d->unit = "year";
    } else if (year_like && d->q && year_context(c, d->i, a->t1)) {
        d->unit = "year";           /* "an increase over 1899" */
        d->q = FIG_Q_NONE;
        d->q0 = d->i;
    } else if (!d->q && !a->qual &&
               (a->lone_one || (a->plain && is_label(s, d->q0)))) {
        return false;
    } else {
        d->unit = "count";
    }
    return true;
}

/* The figure at token i, if any: emits zero or one figure (a date or a
 * range may settle more) and sets *next to the token to go on from. */
static int
try_figure(ctx *c, int i, int *next)
{
    const seg *s = &c->s;
    const tok *t = at(s, i);
    draft d;
    int r, rc = BRIEF_OK;

    *next = i + 1;
    if (lxc(t) == LX_MONTH && (t->flags & F_CAP))
        return try_date(c, i, next);
    if (t->kind == T_NUM && ident_before(s, i)) {
        *next = skip_chain(s, i);
        return BRIEF_OK;
    }
    memset(&d, 0, sizeof d);
    d.between = lxc(t) == LX_BETWEEN;
    d.i = d.q0 = i + d.between;
    if ((r = parse_amount(s, d.i, &d.a)) == AM_SKIP)
        *next = d.a.t1;
    if (r != AM_OK)
        return BRIEF_OK;
    d.lo = d.hi = amount_value(&d.a);
    d.unit = d.a.unit;
    d.end = d.a.t1;
    d.bare = !d.a.unit && !d.a.scaled && !d.a.qual;
    if (d.between)
        d.q0 = i;
    else
        d.q = qualifier_before(c, d.i, &d.q0);
    if (not_a_count(c, &d, next, &rc) || join(c, &d, next, &rc))
        return rc;
    if (d.between && !d.range) {
        d.between = false;
        d.q = qualifier_before(c, d.i, &d.q0);
    }
    if (!d.range && !decide_unit(c, &d)) {
        *next = d.a.t1;
        return BRIEF_OK;
    }
    if (d.q == FIG_Q_OVER && is_span(d.unit) && is_w(at(s, d.q0), "over") &&
        (clause_start(s, d.q0) || is_p(at(s, d.q0 - 1), ','))) {
        d.q = FIG_Q_NONE;           /* "Over 3 years, we ..." */
        d.q0 = d.i;
    }
    if (!d.q)
        d.q = d.a.qual;
    if (!d.subj[1] && !subject_after(s, d.end, &d.a, d.unit, d.subj,
                                     d.subj + 1) &&
        strcmp(d.unit, "year") != 0 && !is_span(d.unit))
        np_backward(c, d.q0, d.unit, d.subj, d.subj + 1);
    *next = d.end;
    return emit(c, d.lo, d.hi, d.unit, d.q, d.q0, d.end, d.subj);
}

/* Can a figure start at token k?  A cheap filter before try_figure(). */
static bool
may_start(const seg *s, int k)
{
    const tok *t = &s->t[k];
    int c = lxc(t);

    switch (t->kind) {
    case T_NUM:
        return true;
    case T_PUNCT:
        return t->cp == '-' || t->cp == 0x2212 || symbol_unit(t);
    case T_CJK:
        return t->cp == 0x4eba || t->cp == 0x767e || t->cp == 0x7b2c;
    default:
        return (c >= LX_DIGIT && c <= LX_TENS) || c == LX_A ||
               c == LX_HALF || c == LX_ORD || c == LX_MONTH ||
               c == LX_BETWEEN || c == LX_CODE ||
               (is_p(at(s, k + 1), '$') && glued(at(s, k + 1)));
    }
}

static int
process(ctx *c)
{
    int i = 0, next, rc;

    c->seg_first = c->n_v;
    c->last_end = -1;
    while (i < c->s.n) {
        next = i + 1;
        if (may_start(&c->s, i) && (rc = try_figure(c, i, &next)) != 0)
            return rc;
        i = next > i ? next : i + 1;
    }
    c->s.n = 0;
    return BRIEF_OK;
}

/* Does the token last in t[0..n) end a sentence?  Not the point of
 * "U.S." or "Mr.", nor one followed by more text on the same word. */
static bool
sentence_end(const char *text, size_t len, const tok *t, int n)
{
    static const char *const abbr[] = {
        "mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "gen", "gov", "sen", "rep", "inc", "co", "corp", "ltd", "jr",
        "sr", "approx", "fig", "pp", "ca", NULL
    };
    const tok *e = &t[n - 1], *p = n > 1 ? &t[n - 2] : NULL;

    if (e->kind != T_PUNCT)
        return false;
    if (e->cp == 0x3002 || e->cp == 0xff01 || e->cp == 0xff1f ||
        e->cp == 0xff1b)
        return true;
    if (e->cp != '.' && e->cp != '!' && e->cp != '?' && e->cp != ';')
        return false;
    /* followed by space, a closing quote or parenthesis, or a curly
     * quote (U+201D begins with the byte 0xe2) */
    if (e->end < len && !memchr(" \t\r\n\"')", text[e->end], 7) &&
        (unsigned char)text[e->end] != 0xe2)
        return false;
    return !(e->cp == '.' && p && glued(e) && p->kind == T_WORD &&
             (strlen(p->low) == 1 || in_list(p->low, abbr)));
}

int
figures_extract(const char *text, size_t len, figure **out, size_t *n_out)
{
    ctx c;
    tok *toks, t;
    size_t pos = 0;
    int nl, rc = BRIEF_OK;
    uint8_t bloom[BLOOM_BITS / 8];

    *out = NULL;
    *n_out = 0;
    if (!text || len == 0)
        return BRIEF_OK;
    if (!(toks = malloc(SEG_MAX * sizeof *toks)))
        return BRIEF_ENOMEM;
    memset(&c, 0, sizeof c);
    c.s.text = text;
    c.s.t = toks;
    bloom_build(bloom);
    while (rc == BRIEF_OK && scan(text, len, &pos, bloom, &t, &nl)) {
        if (nl >= 2 && c.s.n > 0 && (rc = process(&c)) != BRIEF_OK)
            break;
        toks[c.s.n++] = t;
        if (c.s.n == SEG_MAX || sentence_end(text, len, toks, c.s.n))
            rc = process(&c);
    }
    if (rc == BRIEF_OK && c.s.n > 0)
        rc = process(&c);
    free(toks);
    if (rc != BRIEF_OK) {
        free(c.v);
        return rc;
    }
    *out = c.v;
    *n_out = c.n_v;
    return BRIEF_OK;
}

const char *
figures_qualifier_name(fig_qualifier q)
{
    switch (q) {
    case FIG_Q_ABOUT:    return "about";
    case FIG_Q_OVER:     return "over";
    case FIG_Q_UNDER:    return "under";
    case FIG_Q_AT_LEAST: return "at_least";
    case FIG_Q_AT_MOST:  return "at_most";
    default:             return "";
    }
}

/* "1e6", "-2.5E-3": a number in exponent notation, the whole of s. */
static bool
parse_exponent(const char *s, size_t len, double *value)
{
    amount a;
    size_t p = 0;
    uint64_t m = 0;
    int n_dig = 0, e = 0, esign = 1, n_e = 0;

    memset(&a, 0, sizeof a);
    if (p < len && (s[p] == '-' || s[p] == '+'))
        a.neg = s[p++] == '-';
    for (; p < len && is_digit(s[p]); p++, n_dig++)
        m = n_dig < 18 ? m * 10 + (uint64_t)(s[p] - '0') : m;
    if (p < len && s[p] == '.')
        for (p++; p < len && is_digit(s[p]); p++, n_dig++)
            if (n_dig < 18) {
                m = m * 10 + (uint64_t)(s[p] - '0');
                a.exp10--;
            }
    if (n_dig == 0 || p >= len || (s[p] != 'e' && s[p] != 'E'))
        return false;
    if (++p < len && (s[p] == '-' || s[p] == '+'))
        esign = s[p++] == '-' ? -1 : 1;
    for (; p < len && is_digit(s[p]) && n_e < 3; p++, n_e++)
        e = e * 10 + (s[p] - '0');
    if (n_e == 0 || p != len)
        return false;
    a.mant = (double)m;
    a.exp10 += esign * e;
    *value = amount_value(&a);
    return isfinite(*value);
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
figures_parse_value(const char *s, size_t len, double *value,
                    char unit[FIG_UNIT_MAX])
{
    tok toks[32];
    seg sg;
    amount a;
    size_t pos = 0, n;
    int n_tok = 0, nl;
    const char *u;

    unit[0] = '\0';
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    while (len > 0 && is_blank(*s)) {
        s++;
        len--;
    }
    if (len == 0)
        return BRIEF_EINVAL;
    if (parse_exponent(s, len, value))
        return BRIEF_OK;
    while (scan(s, len, &pos, NULL, &toks[n_tok], &nl))
        if (++n_tok == 32)
            return BRIEF_EINVAL;
    sg.text = s;
    sg.t = toks;
    sg.n = n_tok;
    if (n_tok == 0 || parse_amount(&sg, 0, &a) != AM_OK || a.t1 != n_tok ||
        a.decade || a.qual)
        return BRIEF_EINVAL;
    *value = amount_value(&a);
    u = a.unit ? a.unit : a.ordinal ? "rank" : "";
    n = strlen(u);
    memcpy(unit, u, n + 1 <= FIG_UNIT_MAX ? n + 1 : FIG_UNIT_MAX);
    unit[FIG_UNIT_MAX - 1] = '\0';
    return BRIEF_OK;
}

int
figures_parse_unit(const char *s, size_t len, char unit[FIG_UNIT_MAX])
{
    static const char *const names[][2] = {
        {"percent", "percent"}, {"%", "percent"}, {"％", "percent"},
        {"pct", "percent"}, {"per cent", "percent"},
        {"CNY", "CNY"}, {"yuan", "CNY"}, {"RMB", "CNY"},
        {"renminbi", "CNY"}, {"元", "CNY"},
        {"USD", "USD"}, {"$", "USD"}, {"dollar", "USD"}, {"dollars", "USD"},
        {"EUR", "EUR"}, {"€", "EUR"}, {"euro", "EUR"}, {"euros", "EUR"},
        {"GBP", "GBP"}, {"£", "GBP"}, {"sterling", "GBP"},
        {"pounds sterling", "GBP"},
        {"JPY", "JPY"}, {"¥", "JPY"}, {"yen", "JPY"},
        {"HKD", "HKD"}, {"CAD", "CAD"}, {"AUD", "AUD"}, {"CHF", "CHF"},
        {"INR", "INR"}, {"KRW", "KRW"}, {"RUB", "RUB"}, {"SGD", "SGD"},
        {"NZD", "NZD"}, {"TWD", "TWD"}, {"BRL", "BRL"},
        {"year", "year"}, {"years", "years"}, {"yr", "years"},
        {"yrs", "years"}, {"month", "months"}, {"months", "months"},
        {"week", "weeks"}, {"weeks", "weeks"}, {"day", "days"},
        {"days", "days"}, {"hour", "hours"}, {"hours", "hours"},
        {"rank", "rank"}, {"ordinal", "rank"}, {"count", "count"},
    };

    unit[0] = '\0';
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    while (len > 0 && is_blank(*s)) {
        s++;
        len--;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *w = names[i][0];
        size_t j = 0;
        if (strlen(w) != len)
            continue;
        while (j < len && (s[j] | 0x20) == (w[j] | 0x20) &&
               ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z' ? 1 :
                s[j] == w[j]))
            j++;
        if (j == len) {
            memcpy(unit, names[i][1], strlen(names[i][1]) + 1);
            return BRIEF_OK;
        }
    }
    return BRIEF_EINVAL;
}
