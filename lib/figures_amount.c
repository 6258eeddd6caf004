/*
 * figures_amount.c: an amount -- a number with what is written on it:
 * sign, a unit before it ("$", "US$", "RMB", 百分之), the digits or words,
 * a fraction ("3 3/4", "3½"), scale words ("million", "3.8bn", 万亿), a
 * unit after it ("%", "yuan", "US dollars", "14 consecutive years", 元)
 * and "or more".  Numbers glued into identifiers ("G20", "5G", "10:30")
 * are skipped here.  Whether the amount is a figure, and of what, is
 * decided by figures.c with figures_context.c.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "figures_int.h"

/* ---- values and currency signs ------------------------------------ */

/* mant * 10^exp10, rounded once when both fit (3.38 million is exactly
 * 3380000, not 3.38 * 1e6). */
double
figures_amount_value(const amount *a)
{
    double v = a->exp10 >= 0 ? a->mant * pow10i(a->exp10)
                             : a->mant / pow10i(-a->exp10);

    return a->neg ? -v : v;
}

const char *
figures_amount_symbol_unit(const tok *t)
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
    if ((a->unit = figures_amount_symbol_unit(t)))
        return 1;
    if (t->kind == T_WORD && is_p(u, '$') && glued(u) &&
        (a->unit = dollar_prefix(s, t)))
        return 2;
    if (lxc(t) == LX_CODE && (t->flags & F_UPPER)) {
        a->unit = t->lx->unit;
        return 1;
    }
    if ((m = figures_token_cjk_match(s, k, "人民币"))) {
        a->unit = "CNY";
        return m;
    }
    if ((m = figures_token_cjk_match(s, k, "百分之"))) {
        a->unit = "percent";
        return m;
    }
    if ((m = figures_token_cjk_match(s, k, "第"))) {
        a->ordinal = true;
        return m;
    }
    return 0;
}

/* True when the number at k is part of an identifier because of what is
 * glued before it: "G20", "B-17", "COVID-19", "#1", "1.2.3". */
bool
figures_amount_ident_before(const seg *s, int k)
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
bool
figures_amount_ident_after(const seg *s, int j, const amount *a)
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
int
figures_amount_skip_chain(const seg *s, int k)
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
            if (!a->qual && (figures_token_cjk_match(s, j, "多") ||
                             figures_token_cjk_match(s, j, "余"))) {
                a->qual = FIG_Q_OVER;   /* "40多万" */
                j++;
            }
            for (m = 0; m < 5 && !figures_token_cjk_match(s, j, cn[m]); m++)
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
    double v = figures_amount_value(a);

    for (size_t i = 0; !a->unit && i < sizeof units / sizeof *units; i++) {
        if (!(m = figures_token_cjk_match(s, j, units[i][0])))
            continue;
        if (units[i][1][0] == '\0') {
            if (!a->plain || a->scaled || v < 1 || v > 31)
                return j;
            a->t1 = -1;
            return j + m;
        }
        a->unit = units[i][1];
        if (strcmp(a->unit, "years") == 0 && a->plain && !a->scaled &&
            a->ndig == 4 && m == 1 && figures_token_cjk_match(s, j, "年"))
            a->unit = "year";
        j += m;
        break;
    }
    for (size_t i = 0; !a->qual && i < sizeof quals / sizeof *quals; i++)
        if ((m = figures_token_cjk_match(s, j, quals[i].u8))) {
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
        (m = figures_words_and_fraction(s, j, &frac))) {
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
        a->t1 = figures_amount_skip_chain(s, j);
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
        if (!figures_words_parse(s, j, &w))
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
            !(m = figures_words_parse_cn(s, j, &a->mant)))
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
        figures_amount_ident_after(s, j, a)) {
        a->t1 = figures_amount_skip_chain(s, j < 0 ? a->t0 : j);
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
int
figures_amount_parse(const seg *s, int i, amount *a)
{
    const tok *t = at(s, i), *u = at(s, i + 1);
    int j = i, r;

    memset(a, 0, sizeof *a);
    a->t0 = i;
    a->subj_from = -1;
    if ((is_p(t, '-') || is_p(t, 0x2212)) && glued(u) &&
        (i == 0 || !glued(t) || is_p(at(s, i - 1), '(')) &&
        (u->kind == T_NUM || figures_amount_symbol_unit(u))) {
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
    if (!isfinite(figures_amount_value(a)))
        return AM_NONE;
    if (a->subj_from < 0 && is_p(at(s, j), '-') && glued(at(s, j)) &&
        glued(at(s, j + 1)) && at(s, j + 1)->kind == T_WORD)
        a->subj_from = j + 1;       /* "a 50-state strategy" */
    return AM_OK;
}
