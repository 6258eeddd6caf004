/*
 * test_figures.c: figure extraction, one rule of docs/FIGURES.md per
 * case (sentence in; value, high end, unit, qualifier, exact text and
 * subject out), then the value and unit parsers, then random input that
 * must never crash or produce a span outside the text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "check.h"
#include "figures.h"

/* One rule.  fig is the exact source text of the figure the rule makes;
 * when it is NULL the rule says that no figure touches the text `none`. */
typedef struct fcase {
    const char *rule;
    const char *text;
    const char *fig;
    double value, high;     /* high 0: not a range */
    const char *unit;
    const char *qual;
    const char *subject;    /* NULL: none */
} fcase;

#define NONE_IN(rule, text, none) {rule, text, NULL, 0, 0, none, NULL, NULL}

static const fcase cases[] = {
    /* numbers */
    {"digits", "Our country has 178 high-tech zones.", "178", 178, 0,
     "count", "", "high-tech zones"},
    {"thousands separators", "It has 465,000 national high-tech enterprises.",
     "465,000", 465000, 0, "count", "", "national high-tech enterprises"},
    {"decimal and scale word", "The number of 5G base stations has reached "
     "3.38 million.", "3.38 million", 3380000, 0, "count", "",
     "5G base stations"},
    {"leading point", "at a rate of .5 percent", ".5 percent", 0.5, 0,
     "percent", "", "rate"},
    {"negative number", "growth of -2.5% last year", "-2.5%", -2.5, 0,
     "percent", "", "growth"},
    {"minus sign", "a change of \xE2\x88\x92" "3.2% in exports",
     "\xE2\x88\x92" "3.2%", -3.2, 0, "percent", "", "change"},
    {"scale thousand", "3 thousand workers", "3 thousand", 3000, 0, "count",
     "", "workers"},
    {"scale billion", "20 billion dollars", "20 billion dollars", 2e10, 0,
     "USD", "", NULL},
    {"abbreviation bn", "a $3.8bn deal", "$3.8bn", 3.8e9, 0, "USD", "",
     "deal"},
    {"abbreviation k", "a $50k salary", "$50k", 5e4, 0, "USD", "",
     "salary"},
    {"abbreviation mn", "sales of 12mn units", "12mn", 1.2e7, 0, "count",
     "", "units"},
    {"abbreviation tn", "debt of 2.5tn yuan", "2.5tn yuan", 2.5e12, 0, "CNY",
     "", "debt"},
    {"abbreviation m after currency", "a \xE2\x82\xAC" "5m grant",
     "\xE2\x82\xAC" "5m", 5e6, 0, "EUR", "", "grant"},
    {"plural scale of old", "some 6 1/2 millions of workers",
     "some 6 1/2 millions", 6.5e6, 0, "count", "about", "workers"},
    {"dozen", "two dozen eggs", "two dozen", 24, 0, "count", "", "eggs"},
    /* words and fractions */
    {"number word", "three sentences: develop", "three", 3, 0, "count", "",
     "sentences"},
    {"hyphenated number word", "forty-two cats", "forty-two", 42, 0, "count",
     "", "cats"},
    {"long number words", "one hundred and two thousand nine hundred and "
     "eighty-five soldiers", "one hundred and two thousand nine hundred and "
     "eighty-five", 102985, 0, "count", "", "soldiers"},
    {"a million", "a million jobs", "a million", 1e6, 0, "count", "",
     "jobs"},
    {"half a million", "half a million people", "half a million", 5e5, 0,
     "count", "", "people"},
    {"and one-half", "two and one-half billion dollars",
     "two and one-half billion dollars", 2.5e9, 0, "USD", "", NULL},
    {"hyphenated and a half", "four-and-a-half per cent bonds",
     "four-and-a-half per cent", 4.5, 0, "percent", "", "bonds"},
    {"mixed number", "3 3/4 million acres", "3 3/4 million", 3.75e6, 0,
     "count", "", "acres"},
    {"and a quarter", "ten and a quarter billion yuan",
     "ten and a quarter billion yuan", 1.025e10, 0, "CNY", "", NULL},
    {"fraction word", "two-thirds of the members", "two-thirds", 2.0 / 3, 0,
     "count", "", "members"},
    {"vulgar fraction", "a 3\xC2\xBD percent rise", "3\xC2\xBD percent", 3.5,
     0, "percent", "", "rise"},
    /* percentages */
    {"percent sign", "accounting for 31.7% of GDP", "31.7%", 31.7, 0,
     "percent", "", "GDP"},
    {"percent word", "accounting for 31.7 percent of GDP", "31.7 percent",
     31.7, 0, "percent", "", "GDP"},
    {"per cent", "the 4 1/2 per cent bonds", "4 1/2 per cent", 4.5, 0,
     "percent", "", "bonds"},
    {"hyphenated percent", "a 15-percent tax", "15-percent", 15, 0,
     "percent", "", "tax"},
    {"percentage points", "up 2 percentage points", "2 percentage points",
     2, 0, "percent", "", NULL},
    {"Chinese percent prefix", "\xE5\x8D\xA0\xE7\x99\xBE\xE5\x88\x86\xE4\xB9"
     "\x8B" "31.7", "\xE7\x99\xBE\xE5\x88\x86\xE4\xB9\x8B" "31.7", 31.7, 0,
     "percent", "", NULL},
    {"full-width percent", "\xE5\xA2\x9E\xE9\x95\xBF" "31.7\xEF\xBC\x85",
     "31.7\xEF\xBC\x85", 31.7, 0, "percent", "", NULL},
    /* currencies */
    {"dollar sign", "it cost $1,178.", "$1,178", 1178, 0, "USD", "", NULL},
    {"dollars word", "pay 15 dollars a week", "15 dollars", 15, 0, "USD",
     "", NULL},
    {"currency code after", "priced at 500 USD", "500 USD", 500, 0, "USD",
     "", NULL},
    {"currency code before", "USD 500 million in aid", "USD 500 million",
     5e8, 0, "USD", "", "aid"},
    {"US$", "US$5 billion", "US$5 billion", 5e9, 0, "USD", "", NULL},
    {"US dollars", "5 billion US dollars", "5 billion US dollars", 5e9, 0,
     "USD", "", NULL},
    {"HK$", "HK$10 fares", "HK$10", 10, 0, "HKD", "", "fares"},
    {"yuan", "100 yuan", "100 yuan", 100, 0, "CNY", "", NULL},
    {"RMB before", "RMB 5 billion", "RMB 5 billion", 5e9, 0, "CNY", "",
     NULL},
    {"renminbi", "5 billion renminbi", "5 billion renminbi", 5e9, 0, "CNY",
     "", NULL},
    {"yuan sign", "\xE5\x94\xAE\xE4\xBB\xB7" "5\xE5\x85\x83",
     "5\xE5\x85\x83", 5, 0, "CNY", "", NULL},
    {"euro sign", "\xE2\x82\xAC" "20", "\xE2\x82\xAC" "20", 20, 0, "EUR", "",
     NULL},
    {"euros", "20 euros", "20 euros", 20, 0, "EUR", "", NULL},
    {"pound sign", "\xC2\xA3" "7 million", "\xC2\xA3" "7 million", 7e6, 0,
     "GBP", "", NULL},
    {"pounds sterling", "5 pounds sterling", "5 pounds sterling", 5, 0,
     "GBP", "", NULL},
    {"pounds weigh", "a bag of 5 pounds", "5", 5, 0, "count", "", "pounds"},
    {"yen sign", "\xC2\xA5" "300", "\xC2\xA5" "300", 300, 0, "JPY", "",
     NULL},
    {"yen", "300 yen", "300 yen", 300, 0, "JPY", "", NULL},
    {"cents", "oats at 43 cents", "43 cents", 0.43, 0, "USD", "", NULL},
    /* Chinese figures */
    {"Chinese 万亿元", "39.9\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83",
     "39.9\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83", 3.99e13, 0, "CNY", "",
     NULL},
    {"Chinese 亿", "5\xE4\xBA\xBF\xE5\x85\x83", "5\xE4\xBA\xBF\xE5\x85\x83",
     5e8, 0, "CNY", "", NULL},
    {"Chinese 万", "3.38\xE4\xB8\x87\xE4\xB8\xAA", "3.38\xE4\xB8\x87", 33800,
     0, "count", "", NULL},
    {"Chinese about", "\xE7\xBA\xA6" "39.9\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85"
     "\x83", "\xE7\xBA\xA6" "39.9\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83",
     3.99e13, 0, "CNY", "about", NULL},
    {"Chinese or more", "100\xE4\xB8\x87\xE4\xBB\xA5\xE4\xB8\x8A",
     "100\xE4\xB8\x87\xE4\xBB\xA5\xE4\xB8\x8A", 1e6, 0, "count",
     "at_least", NULL},
    {"Chinese after an identifier", "5G\xE5\x9F\xBA\xE7\xAB\x99\xE8\xBE"
     "\xBE\xE5\x88\xB0" "337.7\xE4\xB8\x87\xE4\xB8\xAA",
     "337.7\xE4\xB8\x87", 3377000, 0, "count", "", NULL},
    {"Chinese year", "2023\xE5\xB9\xB4", "2023\xE5\xB9\xB4", 2023, 0, "year",
     "", NULL},
    NONE_IN("Chinese date", "3\xE6\x9C\x88" "8\xE6\x97\xA5",
            "3\xE6\x9C\x88" "8\xE6\x97\xA5"),
    /* line breaks */
    {"across a line break", "it cost $20\nbillion.", "$20\nbillion", 2e10, 0,
     "USD", "", NULL},
    {"number at sentence end", "Now there are 200.", "200", 200, 0, "count",
     "", NULL},
    /* ranges */
    {"between and", "between 3 and 5 million jobs", "between 3 and 5 million",
     3e6, 5e6, "count", "", "jobs"},
    {"to with unit after", "15 to 20 dollars", "15 to 20 dollars", 15, 20,
     "USD", "", NULL},
    {"hyphen with code", "15-20 USD", "15-20 USD", 15, 20, "USD", "", NULL},
    {"en dash with symbol", "$15\xE2\x80\x93" "20", "$15\xE2\x80\x93" "20",
     15, 20, "USD", "", NULL},
    {"from to written in full", "from $1,178 to $45", "$1,178", 1178, 0,
     "USD", "", NULL},
    {"from to second figure", "from $1,178 to $45", "$45", 45, 0, "USD", "",
     NULL},
    {"year range", "from 1990 to 1995 the", "1990 to 1995", 1990, 1995,
     "year", "", NULL},
    {"fiscal year range", "in 2023-24 we", "2023-24", 2023, 2024, "year", "",
     NULL},
    {"unit shared by a list", "5 or 6 percent", "5", 5, 0, "percent", "",
     NULL},
    NONE_IN("a score", "a 3-2 vote", "3-2"),
    /* spans of time */
    {"hyphenated span", "a 12-year period", "12-year", 12, 0, "years", "",
     "period"},
    {"one-year", "a 1-year term", "1-year", 1, 0, "years", "", "term"},
    {"age", "a 10-year-old girl", "10-year-old", 10, 0, "years", "", "girl"},
    {"consecutive years", "for 14 consecutive years", "14 consecutive years",
     14, 0, "years", "", NULL},
    {"decades", "in two decades", "two decades", 20, 0, "years", "", NULL},
    {"possessive time word", "He was paid three day\u2019s wages, one "
     "year's pay.", "three day\u2019s", 3, 0, "days", "", "wages"},
    {"possessive time word, straight quote", "one year's pay", "one year's",
     1, 0, "years", "", "pay"},
    {"possessive month", "Three month's rent", "Three month's", 3, 0,
     "months", "", "rent"},
    {"possessive week", "two week's pay", "two week's", 2, 0, "weeks", "",
     "pay"},
    {"currency code in capitals", "priced at 500 USD", "500 USD", 500, 0,
     "USD", "", NULL},
    {"currency code in lower case: a word", "priced at 500 usd today.",
     "500", 500, 0, "count", "", "usd"},
    {"months of", "after 24 months of talks", "24 months", 24, 0, "months",
     "", "talks"},
    {"days", "within 90 days", "90 days", 90, 0, "days", "", NULL},
    /* years */
    {"year after in", "In 2023, output grew.", "2023", 2023, 0, "year", "",
     NULL},
    {"year after since", "since 1990 the economy", "1990", 1990, 0, "year",
     "", NULL},
    {"count not year", "2023 enterprises joined", "2023", 2023, 0, "count",
     "", "enterprises"},
    {"full date", "on September 30, 1894 the", "September 30, 1894", 1894, 0,
     "year", "", NULL},
    {"day month year", "on 30 September 1894 the", "30 September 1894",
     1894, 0, "year", "", NULL},
    {"old ordinal date", "since March 2d, 1821 the", "March 2d, 1821", 1821,
     0, "year", "", NULL},
    NONE_IN("date without year", "On March 8, the minister spoke.", "8"),
    {"decade", "in the 1990s", "1990s", 1990, 1999, "year", "", NULL},
    {"list of years", "in 1998, 1999 and 2000", "1999", 1999, 0, "year", "",
     NULL},
    {"year compared", "an increase over 1899 of $5", "1899", 1899, 0, "year",
     "", NULL},
    /* ordinals */
    {"ordinal digits", "Since the 18th National Congress of the Party",
     "18th", 18, 0, "rank", "", "National Congress"},
    {"ordinal word", "the second session of the", "second", 2, 0, "rank", "",
     "session"},
    {"ordinal after ranking verb", "ranks first in the world", "first", 1, 0,
     "rank", "", NULL},
    {"compound ordinal", "the twenty-first century", "twenty-first", 21, 0,
     "rank", "", "century"},
    {"quoted subject", "the second \"Ministerial Channel\" of the", "second",
     2, 0, "rank", "", "Ministerial Channel"},
    NONE_IN("ordinal adverb", "First, we must act.", "First"),
    NONE_IN("ordinal date", "on the first of December the", "first"),
    NONE_IN("lone one", "On the one hand, we must", "one"),
    /* qualifiers */
    {"about", "about 100 special industry clusters", "about 100", 100, 0,
     "count", "about", "special industry clusters"},
    {"close to", "close to 40 trillion yuan", "close to 40 trillion yuan",
     4e13, 0, "CNY", "about", NULL},
    {"nearly", "nearly 5 million Americans", "nearly 5 million", 5e6, 0,
     "count", "about", "Americans"},
    {"more than", "more than 30% of the world's total", "more than 30%", 30,
     0, "percent", "over", "world's total"},
    {"a little more than", "a little more than 5% of sales",
     "a little more than 5%", 5, 0, "percent", "over", "sales"},
    {"less than", "less than 4,000 men", "less than 4,000", 4000, 0, "count",
     "under", "men"},
    {"fewer than", "fewer than 10 ships", "fewer than 10", 10, 0, "count",
     "under", "ships"},
    {"at least", "at least fifty injunctions", "at least fifty", 50, 0,
     "count", "at_least", "injunctions"},
    {"no less than", "no less than 3%", "no less than 3%", 3, 0, "percent",
     "at_least", NULL},
    {"up to", "up to 500 troops", "up to 500", 500, 0, "count", "at_most",
     "troops"},
    {"no more than", "no more than $100", "no more than $100", 100, 0, "USD",
     "at_most", NULL},
    {"or more", "for 5 or more years", "5 or more years", 5, 0, "years",
     "at_least", NULL},
    {"plus", "50,000-plus troops", "50,000-plus", 50000, 0, "count", "over",
     "troops"},
    {"over the next", "$500 million over the next 4 years", "4 years", 4, 0,
     "years", "", NULL},
    {"over as during", "Over 3 years, we built schools.", "3 years", 3, 0,
     "years", "", NULL},
    /* subjects */
    {"subject before a verb", "GDP grew by 5.2% last year", "5.2%", 5.2, 0,
     "percent", "", "GDP"},
    {"subject of apposition", "total output will be 40 trillion yuan, about "
     "39.9 trillion yuan", "about 39.9 trillion yuan", 3.99e13, 0, "CNY",
     "about", "total output"},
    {"subject with and", "more than 50 million small and medium-sized "
     "enterprises in", "more than 50 million", 5e7, 0, "count", "over",
     "small and medium-sized enterprises"},
    {"subject with of", "with five sets of data:", "five", 5, 0, "count", "",
     "sets of data"},
    {"subject without a participle", "three of its members resigned",
     "three", 3, 0, "count", "", "members"},
    /* not figures */
    NONE_IN("identifier 5G", "build 5G networks", "5G"),
    NONE_IN("identifier 6G", "research on 6G technology", "6G"),
    NONE_IN("identifier 5G-A", "support 5G-A, and", "5G-A"),
    NONE_IN("identifier B-17", "the B-17 bombers", "B-17"),
    NONE_IN("identifier 401(k)", "their 401(k) plans", "401(k)"),
    NONE_IN("identifier COVID-19", "COVID-19 cases rose", "COVID-19"),
    NONE_IN("name with a number", "the Apollo 11 astronauts", "11"),
    NONE_IN("section number", "section 1258 of the statutes", "1258"),
    NONE_IN("clock time", "at 10:30 today", "10:30"),
    NONE_IN("version", "version 1.2.3 ships", "1.2.3"),
    NONE_IN("list marker", "or shut down; (2) Second, the", "2"),
};

/* Does figure f cover any byte of text[a, b)? */
static bool
overlaps(const figure *f, size_t a, size_t b)
{
    return f->start < b && a < f->end;
}

static bool
near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

/* Run one case; print why it fails. */
static void
run_case(const fcase *c)
{
    size_t len = strlen(c->text), n, i;
    const char *hit = c->fig ? c->fig : c->unit;
    const char *pos = strstr(c->text, hit);
    size_t a = pos ? (size_t)(pos - c->text) : 0;
    size_t b = a + strlen(hit);
    figure *f;

    CHECK(pos != NULL);
    CHECK(figures_extract(c->text, len, &f, &n) == BRIEF_OK);
    for (i = 0; i < n; i++)
        if (c->fig ? f[i].start == a && f[i].end == b : overlaps(&f[i], a, b))
            break;
    if (!c->fig) {
        if (i < n)
            printf("     unexpected figure \"%.*s\"\n",
                   (int)(f[i].end - f[i].start), c->text + f[i].start);
        CHECK(i == n);
    } else if (i == n) {
        printf("     no figure \"%s\"; found:", c->fig);
        for (size_t j = 0; j < n; j++)
            printf(" \"%.*s\"", (int)(f[j].end - f[j].start),
                   c->text + f[j].start);
        printf("\n");
        CHECK(i < n);
    } else {
        const figure *g = &f[i];
        size_t sl = g->subject_end - g->subject_start;
        CHECK(near(g->value, c->value));
        CHECK(near(g->value_high, c->high ? c->high : c->value));
        CHECK(g->is_range == (c->high != 0));
        CHECK(strcmp(g->unit, c->unit) == 0);
        CHECK(strcmp(figures_qualifier_name(g->qualifier), c->qual) == 0);
        CHECK(c->subject ? sl == strlen(c->subject) &&
              memcmp(c->text + g->subject_start, c->subject, sl) == 0
              : g->subject_start == 0 && g->subject_end == 0);
        if (check_failed_here)
            printf("     got %.10g..%.10g %s %s subject \"%.*s\"\n",
                   g->value, g->value_high, g->unit,
                   figures_qualifier_name(g->qualifier), (int)sl,
                   c->text + g->subject_start);
    }
    free(f);
}

static void
value_parser(void)
{
    static const struct { const char *s; double v; const char *unit; } ok[] = {
        {"1 million", 1e6, ""}, {"3.5bn", 3.5e9, ""}, {"20%", 20, "percent"},
        {"40 trillion yuan", 4e13, "CNY"}, {"1e6", 1e6, ""},
        {"-2.5E-3", -2.5e-3, ""}, {"465,000", 465000, ""},
        {" 3.38 million ", 3380000, ""}, {"$3.8bn", 3.8e9, "USD"},
        {"30 %", 30, "percent"}, {"-5", -5, ""}, {"forty-two", 42, ""},
        {"3.38million", 3380000, ""}, {"1tn", 1e12, ""},
        {"39.9\xE4\xB8\x87\xE4\xBA\xBF\xE5\x85\x83", 3.99e13, "CNY"},
        {"18th", 18, "rank"}, {"2 years", 2, "years"},
    };
    static const char *const bad[] = {
        "", "   ", "abc", "5 apples", "1e", "e6", "1e6x", "5G", "3 to 5",
        "more than 5", "1990s",
    };
    char unit[FIG_UNIT_MAX];
    double v;

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        int rc = figures_parse_value(ok[i].s, strlen(ok[i].s), &v, unit);
        CHECK(rc == BRIEF_OK);
        CHECK(rc == BRIEF_OK && near(v, ok[i].v));
        CHECK(strcmp(unit, ok[i].unit) == 0);
        if (rc != BRIEF_OK || !near(v, ok[i].v) || strcmp(unit, ok[i].unit))
            printf("     \"%s\" -> %d %g \"%s\"\n", ok[i].s, rc, v, unit);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(figures_parse_value(bad[i], strlen(bad[i]), &v, unit) ==
              BRIEF_EINVAL);
        CHECK(unit[0] == '\0');
    }
}

static void
unit_parser(void)
{
    static const char *const ok[][2] = {
        {"yuan", "CNY"}, {"RMB", "CNY"}, {"%", "percent"},
        {"Percent", "percent"}, {"per cent", "percent"}, {"dollars", "USD"},
        {"usd", "USD"}, {"$", "USD"}, {"\xE2\x82\xAC", "EUR"},
        {"pounds sterling", "GBP"}, {"\xC2\xA5", "JPY"}, {"yr", "years"},
        {"year", "year"}, {"ordinal", "rank"}, {"count", "count"},
        {"\xE5\x85\x83", "CNY"},
    };
    static const char *const bad[] = {"pounds", "xyz", "", "percentx"};
    char unit[FIG_UNIT_MAX];

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        CHECK(figures_parse_unit(ok[i][0], strlen(ok[i][0]), unit) ==
              BRIEF_OK);
        CHECK(strcmp(unit, ok[i][1]) == 0);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(figures_parse_unit(bad[i], strlen(bad[i]), unit) ==
              BRIEF_EINVAL);
    CHECK(strcmp(figures_qualifier_name(FIG_Q_AT_LEAST), "at_least") == 0);
    CHECK(strcmp(figures_qualifier_name(FIG_Q_NONE), "") == 0);
    CHECK(strcmp(figures_qualifier_name((fig_qualifier)99), "") == 0);
}

/* Does figures_extract(), which passes over the sentences it skims
 * without a number, give what reading every sentence gives?  Prints the
 * first difference. */
static bool
same_unskimmed(const char *text, size_t len, size_t *n_out)
{
    figure *f, *g;
    size_t n, m, i;
    bool same;

    CHECK(figures_extract(text, len, &f, &n) == BRIEF_OK);
    CHECK(figures_extract_unskimmed(text, len, &g, &m) == BRIEF_OK);
    for (i = 0; i < n && i < m && !memcmp(&f[i], &g[i], sizeof *f); i++)
        ;
    same = n == m && i == n;
    if (!same)
        printf("     skimmed %zu figures, read %zu; first differ at %zu in "
               "\"%.60s\"\n", n, m, i, text);
    free(f);
    free(g);
    *n_out = m;
    return same;
}

/* Check the invariants every figure list keeps: spans inside the text
 * and non-empty, in source order without overlap, subjects inside; and
 * that skimming changes none of it. */
static void
check_spans(const char *text, size_t len)
{
    figure *f;
    size_t n, prev_end = 0;

    CHECK(same_unskimmed(text, len, &n));
    CHECK(figures_extract(text, len, &f, &n) == BRIEF_OK);
    for (size_t i = 0; i < n; i++) {
        CHECK(f[i].start < f[i].end && f[i].end <= len);
        CHECK(f[i].start >= prev_end);
        CHECK(f[i].subject_start <= f[i].subject_end &&
              f[i].subject_end <= len);
        CHECK(f[i].value_high >= f[i].value);
        CHECK(f[i].unit[0] != '\0');
        prev_end = f[i].end;
    }
    free(f);
}

/* Random byte strings and random soups of the pieces figures are made of;
 * each must extract without a crash (ASan/UBSan catch the rest). */
static void
random_input(void)
{
    static const char *const piece[] = {
        "1", "23", "465", ",", "000", ".", "5", " ", "\n", "\n\n", "-",
        "million", "bn", "k", "and", "a", "half", "one", "hundred", "forty",
        "first", "th", "s", "'", "$", "US", "%", "percent", "per", "cent",
        "between", "to", "from", "September", "the", "of", "(", ")", "/",
        "\xE4\xB8\x87", "\xE4\xBA\xBF", "\xE5\x85\x83", "\xE5\xB9\xB4",
        "\xE7\x99\xBE\xE5\x88\x86\xE4\xB9\x8B", "\xE7\xAC\xAC", "\xEF\xBC\x85",
        "\xFF", "\xE2\x80", "\xC2\xBD", "year", "-year", "G", "more than",
        "or more", "is", "number", "dollars", "yuan", "1990", "2023", "d",
        "Jan", "Mr", "U", "x", "items", ";", "!", "?", "\r", "\r\n", "\"",
        "\xE2\x80\x9D", "about", "dozen", "quarter",
    };
    char buf[512];
    unsigned seed = 12345;

    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        while (len < sizeof buf - 40) {
            seed = seed * 1103515245 + 12345;
            if (round % 3 == 0) {
                buf[len++] = (char)(seed >> 16);
            } else {
                const char *p = piece[(seed >> 16) % (sizeof piece /
                                                      sizeof *piece)];
                memcpy(buf + len, p, strlen(p));
                len += strlen(p);
                if ((seed >> 8) & 1)
                    buf[len++] = ' ';
            }
            if (((seed >> 20) & 63) == 0)
                break;
        }
        check_spans(buf, len);
    }
    check_spans("", 0);
    check_spans("5", 1);
    check_spans("$", 1);
    check_spans("between", 7);
    check_spans("5 or more than 6 people", 23);
}

/* Sentences that the skim must not pass over, or must not end too soon:
 * each has a figure that a wrong cut before its number would change or
 * lose (docs/FIGURES.md: a list marker "12." begins its sentence; a
 * qualifier or a month must be in the figure's sentence). */
static void
skim(void)
{
    static const char *const texts[] = {
        "Prices rose. On Jan. 5, 1990 the index fell.",   /* abbreviation */
        "We counted x. 12. Then we stopped.",   /* one letter and point */
        "We counted items;12.",                 /* a stop inside a word */
        "Costs grew by about\n5 percent.",       /* one line break */
        "Costs grew by about\r\n5 percent.",     /* one, as CR LF */
        "Costs grew.\n\nIt ranked third in the world.",  /* ordinal */
        "They bought a dozen eggs.",
        "It cost a hundred dollars.",
        "Eleven people came.",
        "One quarter of voters agreed.",
        "Sales of forty thousand units.",
        "\xE5\xA2\x9E\xE9\x95\xBF\xE7\x99\xBE\xE5\x88\x86\xE4\xB9\x8B"
        "\xE4\xB8\x89\xE5\x8D\x81\xE3\x80\x82",   /* 增长百分之三十。 */
        "\xE2\x80\x9CNothing,\xE2\x80\x9D he said. It cost 5 dollars.",
    };
    size_t n;

    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        CHECK(same_unskimmed(texts[i], strlen(texts[i]), &n));
        CHECK(n > 0);
    }
}

/* A segment is cut at SEG_MAX tokens; a figure per token must still come
 * out in order and in range. */
static void
long_sentence(void)
{
    size_t len = 200000;
    char *text = malloc(len);
    figure *f;
    size_t n;

    CHECK(text != NULL);
    if (!text)
        return;
    for (size_t i = 0; i < len; i += 2) {
        text[i] = (char)('1' + i % 9);
        text[i + 1] = ' ';
    }
    check_spans(text, len);
    CHECK(figures_extract(text, len, &f, &n) == BRIEF_OK);
    CHECK(n == len / 2);
    free(f);
    free(text);
}

int
main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_failed_here = 0;
        run_case(&cases[i]);
        if (check_failed_here) {
            check_n_failed++;
            printf("FAIL figures: %s\n", cases[i].rule);
        } else {
            check_n_passed++;
            printf("ok   figures: %s\n", cases[i].rule);
        }
    }
    TEST(value_parser);
    TEST(unit_parser);
    TEST(random_input);
    TEST(long_sentence);
    TEST(skim);
    return check_report();
}
