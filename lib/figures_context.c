/*
 * figures_context.c: what the words around an amount say about it: the
 * qualifier before it ("more than", "no fewer than", 超过), whether a bare
 * four-digit number is a calendar year, whether an ordinal is a rank,
 * whether a number is a label ("Apollo 11"), and the subject counted,
 * after the figure ("3.38 million 5G base stations") or before it ("the
 * number of 5G base stations has reached 3.38 million").
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "figures_int.h"

/* Words in a subject: enough for "specialized, special and new small and
 * medium-sized enterprises", short enough that a run-on is not taken. */
#define NP_MAX 8

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

static bool
is_stop(const tok *t)
{
    return t->kind == T_WORD && t->low[0] &&
           bsearch(t->low, stopwords, sizeof stopwords / sizeof *stopwords,
                   sizeof *stopwords, str_cmp);
}

static bool
is_quote(const tok *t)
{
    return is_p(t, '"') || is_p(t, '\'') || is_p(t, 0x201c) ||
           is_p(t, 0x201d) || is_p(t, 0x2018) || is_p(t, 0x2019);
}

/* True when token k starts a clause: first in the segment, or after an
 * opening quote, parenthesis, colon or dash. */
bool
figures_context_clause_start(const seg *s, int k)
{
    const tok *p = at(s, k - 1);

    return !p || is_quote(p) || is_p(p, '(') || is_p(p, '[') ||
           is_p(p, ':') || is_p(p, 0x2014) || is_p(p, 0x2013);
}

/* ---- qualifiers and context --------------------------------------- */

/* Match the words of phrase (space-separated) ending at token k.
 * Returns the index of its first token, or -1.  Each token's word is
 * compared with the end of what is left of the phrase, so that a phrase
 * is mostly rejected at its last letters (this runs for every number). */
static int
match_back(const seg *s, int k, const char *phrase)
{
    size_t left = strlen(phrase);

    while (left > 0) {
        const tok *t = at(s, k);
        size_t n = t && t->kind == T_WORD ? t->nlow : 0;

        if (n == 0 || n > left ||
            memcmp(phrase + left - n, t->low, n) != 0)
            return -1;
        left -= n;
        if (left > 0 && (phrase[--left] != ' ' || !spaced(t)))
            return -1;
        k--;
    }
    return k + 1;
}

/* The qualifier written just before token k.  Sets *start to the first
 * token of its words (k when there is none).  Longest phrase wins: "no
 * more than" is at_most, not over.  Words of the previous figure are not
 * taken again ("5 or more than 6"). */
fig_qualifier
figures_context_qualifier_before(const ctx *c, int k, int *start)
{
#define QW(w, q) {w, sizeof w - 1, q}
    static const struct {
        const char *words;
        size_t len;
        fig_qualifier q;
    } tab[] = {
        QW("about", FIG_Q_ABOUT), QW("around", FIG_Q_ABOUT),
        QW("approximately", FIG_Q_ABOUT), QW("roughly", FIG_Q_ABOUT),
        QW("nearly", FIG_Q_ABOUT), QW("almost", FIG_Q_ABOUT),
        QW("some", FIG_Q_ABOUT), QW("close to", FIG_Q_ABOUT),
        QW("an estimated", FIG_Q_ABOUT), QW("circa", FIG_Q_ABOUT),
        QW("more than", FIG_Q_OVER), QW("over", FIG_Q_OVER),
        QW("above", FIG_Q_OVER), QW("exceeding", FIG_Q_OVER),
        QW("in excess of", FIG_Q_OVER), QW("upwards of", FIG_Q_OVER),
        QW("upward of", FIG_Q_OVER), QW("a little more than", FIG_Q_OVER),
        QW("slightly more than", FIG_Q_OVER), QW("well over", FIG_Q_OVER),
        QW("just over", FIG_Q_OVER), QW("greater than", FIG_Q_OVER),
        QW("less than", FIG_Q_UNDER), QW("fewer than", FIG_Q_UNDER),
        QW("below", FIG_Q_UNDER), QW("under", FIG_Q_UNDER),
        QW("just under", FIG_Q_UNDER), QW("a little less than", FIG_Q_UNDER),
        QW("at least", FIG_Q_AT_LEAST), QW("no less than", FIG_Q_AT_LEAST),
        QW("not less than", FIG_Q_AT_LEAST),
        QW("no fewer than", FIG_Q_AT_LEAST),
        QW("not fewer than", FIG_Q_AT_LEAST),
        QW("a minimum of", FIG_Q_AT_LEAST), QW("up to", FIG_Q_AT_MOST),
        QW("no more than", FIG_Q_AT_MOST), QW("not more than", FIG_Q_AT_MOST),
        QW("at most", FIG_Q_AT_MOST), QW("a maximum of", FIG_Q_AT_MOST),
        QW("not exceeding", FIG_Q_AT_MOST),
    };
#undef QW
    static const struct { const char *u8; fig_qualifier q; } cn[] = {
        {"大约", FIG_Q_ABOUT}, {"将近", FIG_Q_ABOUT}, {"接近", FIG_Q_ABOUT},
        {"约", FIG_Q_ABOUT}, {"近", FIG_Q_ABOUT}, {"超过", FIG_Q_OVER},
        {"逾", FIG_Q_OVER}, {"超", FIG_Q_OVER}, {"不到", FIG_Q_UNDER},
        {"不足", FIG_Q_UNDER}, {"至少", FIG_Q_AT_LEAST},
        {"不少于", FIG_Q_AT_LEAST}, {"不超过", FIG_Q_AT_MOST},
        {"最多", FIG_Q_AT_MOST},
    };
    const seg *s = &c->s;
    const tok *w;
    fig_qualifier q = FIG_Q_NONE;
    int best = k, b;

    *start = k;
    if (at(s, k - 1) && at(s, k - 1)->kind == T_CJK) {
        for (size_t i = 0; i < sizeof cn / sizeof *cn; i++) {
            int m = 0;
            for (b = k - 1;
                 b >= k - 3 && !(m = figures_token_cjk_match(s, b, cn[i].u8));
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
    if (!spaced(at(s, k)) || !(w = at(s, k - 1)) || w->kind != T_WORD ||
        w->nlow == 0)
        return FIG_Q_NONE;
    /* a phrase must end as the word before k does: most fail that */
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if (tab[i].words[tab[i].len - 1] == w->low[w->nlow - 1] &&
            (b = match_back(s, k - 1, tab[i].words)) >= 0 && b < best &&
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
bool
figures_context_year(const ctx *c, int q, int e)
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
    if (is_wl(p, weak) || figures_context_clause_start(s, q))
        return year_follow_ok(s, e);
    return false;
}

/* An ordinal word is a rank only after a determiner or a ranking verb:
 * "the second session", "ranks first"; not "First, we must". */
bool
figures_context_ordinal(const seg *s, int q)
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
bool
figures_context_is_label(const seg *s, int q)
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
    return is_wl(p, labels) ||
           ((p->flags & F_CAP) && !figures_context_clause_start(s, q - 1) &&
            !is_stop(p) && !p->lx);
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
    size_t n = t && t->kind == T_WORD ? t->nlow : 0;

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
bool
figures_context_np_backward(const ctx *c, int q, const char *unit,
                            size_t *ss, size_t *se)
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

bool
figures_context_is_span(const char *unit)
{
    return strcmp(unit, "years") == 0 || strcmp(unit, "months") == 0 ||
           strcmp(unit, "weeks") == 0 || strcmp(unit, "days") == 0 ||
           strcmp(unit, "hours") == 0;
}

/* The subject written after a figure that ends before token k. */
bool
figures_context_subject_after(const seg *s, int k, const amount *a,
                              const char *unit, size_t *ss, size_t *se)
{
    const tok *t = at(s, k);

    if (strcmp(unit, "year") == 0)
        return false;
    if (a->subj_from >= 0)
        return np_forward(s, a->subj_from, false, ss, se);
    if (is_w(t, "of") || (is_currency(unit) && (is_w(t, "in") ||
                                                is_w(t, "for"))))
        return np_forward(s, k + 1, false, ss, se);
    if (figures_context_is_span(unit))
        return false;
    return np_forward(s, k, strcmp(unit, "rank") == 0, ss, se);
}
