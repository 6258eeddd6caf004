/*
 * resyntax.c: PCRE2 pattern syntax shared by literal.c and trigram.c
 * (resyntax.h).
 */
#include "resyntax.h"

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The decimal number at s[*i], or one past 100000 when it is larger;
 * *i moves past it. */
static long
number(const char *s, size_t len, size_t *i)
{
    long n = 0;

    for (; *i < len && is_digit(s[*i]); (*i)++)
        n = n < 100000 ? n * 10 + (s[*i] - '0') : n;
    return n;
}

/* Whether s[i] starts the rest of a brace that PCRE2 10.43 and later
 * read as a quantifier: spaces, digits, spaces, optionally a comma,
 * spaces, digits and spaces, then '}', with a digit somewhere. */
static int
loose_quant(const char *s, size_t len, size_t i)
{
    int digits = 0;

    while (i < len && s[i] == ' ')
        i++;
    for (; i < len && is_digit(s[i]); i++)
        digits = 1;
    while (i < len && s[i] == ' ')
        i++;
    if (i < len && s[i] == ',') {
        for (i++; i < len && s[i] == ' '; i++)
            ;
        for (; i < len && is_digit(s[i]); i++)
            digits = 1;
        while (i < len && s[i] == ' ')
            i++;
    }
    return digits && i < len && s[i] == '}';
}

int
resyntax_quant(const char *s, size_t len, size_t *pos, long *min,
               long *max)
{
    size_t i = *pos;
    char c;

    if (i >= len)
        return 0;
    c = s[i];
    if (c == '*' || c == '+' || c == '?') {
        *min = c == '+';
        *max = c == '?' ? 1 : -1;
        i++;
    } else if (c == '{') {
        long a, b;
        if (++i >= len || !is_digit(s[i]))
            return loose_quant(s, len, i) ? -1 : 0;
        a = b = number(s, len, &i);
        if (i < len && s[i] == ',') {
            b = -1;
            if (++i < len && is_digit(s[i]))
                b = number(s, len, &i);
        }
        if (i >= len || s[i] != '}')
            return loose_quant(s, len, *pos + 1) ? -1 : 0;
        i++;
        *min = a;
        *max = b;
    } else {
        return 0;
    }
    if (i < len && (s[i] == '?' || s[i] == '+'))
        i++;                                    /* lazy, possessive */
    *pos = i;
    return 1;
}
