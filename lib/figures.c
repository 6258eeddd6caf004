/*
 * figures.c: find the figures in a text -- number, scale, unit, qualifier
 * and subject -- as byte spans of the source.  Pure text processing: no
 * index, no query, no output.  docs/FIGURES.md is the user-facing copy of
 * the rules decided here and in the files figures_int.h lists.
 *
 * Pipeline: bytes -> tokens (NUM, WORD, CJK, PUNCT, each knowing whether
 * whitespace precedes it; figures_token.c) -> segments (a sentence; at
 * most SEG_MAX tokens) -> at each token, the figure that starts there, if
 * any: an amount (figures_amount.c, figures_words.c) read with its
 * context (figures_context.c), then joined into a range or a date and
 * given its unit here.  Every step looks at a bounded number of tokens
 * around the current one, so the whole is linear in the length of the
 * text.
 *
 * Most sentences hold no number.  At a segment's start the text is
 * skimmed byte by byte (figures_token_skim()) up to the first digit,
 * number word or character outside ASCII; the segments before the last
 * sure sentence end ahead of it are passed over without being tokenized,
 * which leaves the figures as they were (the tests compare with
 * figures_extract_unskimmed()).
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "figures.h"
#include "figures_int.h"

/* Tokens per segment.  A segment is a sentence; one longer than this is
 * cut, which can split a figure at the cut (never seen in practice). */
#define SEG_MAX 1024

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
    if (is_day(t = at(s, j)) &&
        !figures_amount_ident_after(s, j + 1, &(amount){0})) {
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
         is_p(t, 0xff5e) || figures_token_cjk_match(s, k, "至") ||
         figures_token_cjk_match(s, k, "到")) &&
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
        figures_amount_parse(s, a->t1 + 1, &b) != AM_OK || b.ordinal ||
        b.decade)
        return false;
    yb = b.ndig == 2 && conn == CONN_DASH ? floor(d->lo / 100) * 100 + b.mant
                                          : b.mant;
    if (a->plain && a->ndig == 4 && d->lo >= 1000 && d->lo <= 2199 &&
        b.plain && (b.ndig == 4 || (b.ndig == 2 && conn == CONN_DASH)) &&
        yb > d->lo && conn != CONN_LIST &&
        (d->between || is_w(at(s, d->q0 - 1), "from") ||
         figures_context_year(c, d->q0, b.t1))) {
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
    d->lo = figures_amount_value(a);
    d->hi = figures_amount_value(&b);
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
        figures_context_subject_after(s, b.t1, &b,
                                      d->unit ? d->unit : "count", d->subj,
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
        return !a->words || figures_context_ordinal(s, d->q0);
    }
    if (a->decade) {
        d->hi = d->lo + (fmod(d->lo, 100) == 0 && d->lo < 2000 ? 99 : 9);
        d->unit = "year";
        return true;
    }
    if (d->unit)
        return true;
    if (year_like && figures_context_year(c, d->q0, a->t1)) {
        d->unit = "year";
    } else if (year_like && d->q && figures_context_year(c, d->i, a->t1)) {
        d->unit = "year";           /* "an increase over 1899" */
        d->q = FIG_Q_NONE;
        d->q0 = d->i;
    } else if (!d->q && !a->qual &&
               (a->lone_one ||
                (a->plain && figures_context_is_label(s, d->q0)))) {
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
    if (t->kind == T_NUM && figures_amount_ident_before(s, i)) {
        *next = figures_amount_skip_chain(s, i);
        return BRIEF_OK;
    }
    memset(&d, 0, sizeof d);
    d.between = lxc(t) == LX_BETWEEN;
    d.i = d.q0 = i + d.between;
    if ((r = figures_amount_parse(s, d.i, &d.a)) == AM_SKIP)
        *next = d.a.t1;
    if (r != AM_OK)
        return BRIEF_OK;
    d.lo = d.hi = figures_amount_value(&d.a);
    d.unit = d.a.unit;
    d.end = d.a.t1;
    d.bare = !d.a.unit && !d.a.scaled && !d.a.qual;
    if (d.between)
        d.q0 = i;
    else
        d.q = figures_context_qualifier_before(c, d.i, &d.q0);
    if (not_a_count(c, &d, next, &rc) || join(c, &d, next, &rc))
        return rc;
    if (d.between && !d.range) {
        d.between = false;
        d.q = figures_context_qualifier_before(c, d.i, &d.q0);
    }
    if (!d.range && !decide_unit(c, &d)) {
        *next = d.a.t1;
        return BRIEF_OK;
    }
    if (d.q == FIG_Q_OVER && figures_context_is_span(d.unit) &&
        is_w(at(s, d.q0), "over") &&
        (figures_context_clause_start(s, d.q0) ||
         is_p(at(s, d.q0 - 1), ','))) {
        d.q = FIG_Q_NONE;           /* "Over 3 years, we ..." */
        d.q0 = d.i;
    }
    if (!d.q)
        d.q = d.a.qual;
    if (!d.subj[1] &&
        !figures_context_subject_after(s, d.end, &d.a, d.unit, d.subj,
                                       d.subj + 1) &&
        strcmp(d.unit, "year") != 0 && !figures_context_is_span(d.unit))
        figures_context_np_backward(c, d.q0, d.unit, d.subj, d.subj + 1);
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
        return t->cp == '-' || t->cp == 0x2212 ||
               figures_amount_symbol_unit(t);
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
             (p->nlow == 1 || figures_token_abbr(p->low)));
}

/* The lexicon's Bloom filter and the skim's word tests, built once: a
 * build of large/ calls figures_extract() 11,670 times. */
static uint8_t bloom[BLOOM_BITS / 8];
static skimset skims;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void
tables_build(void)
{
    figures_token_bloom_build(bloom);
    figures_token_skimset_build(&skims);
}

/* figures_extract(); with skim, each run of segments that
 * figures_token_skim() finds without a number is passed over unread. */
static int
extract(const char *text, size_t len, bool skim, figure **out,
        size_t *n_out)
{
    ctx c;
    tok *toks, t;
    size_t pos = 0, number = 0;
    int nl, rc = BRIEF_OK;

    *out = NULL;
    *n_out = 0;
    if (!text || len == 0)
        return BRIEF_OK;
    if (!(toks = malloc(SEG_MAX * sizeof *toks)))
        return BRIEF_ENOMEM;
    memset(&c, 0, sizeof c);
    c.s.text = text;
    c.s.t = toks;
    pthread_once(&tables_once, tables_build);
    while (rc == BRIEF_OK) {
        /* At a segment's start, past the number the last skim found */
        if (skim && c.s.n == 0 && pos >= number)
            pos = figures_token_skim(text, len, pos, &skims, &number);
        if (!figures_token_scan(text, len, &pos, bloom, &t, &nl))
            break;
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

int
figures_extract(const char *text, size_t len, figure **out, size_t *n_out)
{
    return extract(text, len, true, out, n_out);
}

int
figures_extract_unskimmed(const char *text, size_t len, figure **out,
                          size_t *n_out)
{
    return extract(text, len, false, out, n_out);
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
    *value = figures_amount_value(&a);
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
    while (figures_token_scan(s, len, &pos, NULL, &toks[n_tok], &nl))
        if (++n_tok == 32)
            return BRIEF_EINVAL;
    sg.text = s;
    sg.t = toks;
    sg.n = n_tok;
    if (n_tok == 0 || figures_amount_parse(&sg, 0, &a) != AM_OK ||
        a.t1 != n_tok || a.decade || a.qual)
        return BRIEF_EINVAL;
    *value = figures_amount_value(&a);
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
