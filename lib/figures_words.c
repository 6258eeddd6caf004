/*
 * figures_words.c: numbers written in words.  English ("forty-two", "one
 * hundred and two thousand", "two and one-half billion", "a million",
 * "half a million", "three-quarters", "twenty-first") and Chinese numerals
 * after 百分之 or 第 ("三十", "一百零五").  What is written around the
 * number is figures_amount.c's.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "figures_int.h"

/* ---- numbers ------------------------------------------------------- */

/* The denominator the word t names in a fraction, or 0. */
static int
denominator(const tok *t)
{
    if (!t || t->kind != T_WORD || !t->low[0])
        return 0;
    return figures_token_denominator(t->low);
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
int
figures_words_and_fraction(const seg *s, int k, double *frac)
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
        (m = figures_words_and_fraction(s, k, &frac))) {
        st->cur += frac;
        st->last = W_FRAC;
        return m;
    }
    if (!is_w(t, "and") || st->last == W_NONE || st->last == W_AND)
        return 0;
    if (st->last != W_FRAC && st->last != W_SCALE &&
        (m = figures_words_and_fraction(s, k, &frac))) {
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
bool
figures_words_parse(const seg *s, int k0, wnum *w)
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
int
figures_words_parse_cn(const seg *s, int k, double *value)
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
            if (figures_token_decode(digits, sizeof digits - 1, p, &n) ==
                t->cp)
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
