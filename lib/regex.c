/*
 * regex.c: PCRE2 compile and match.  Patterns are joined into one
 * alternation, compiled with UTF and UCP (\w, \d, \b are Unicode-aware)
 * and MULTILINE (^ and $ at line ends), and JIT-compiled.  Subjects are
 * stored texts, validated UTF-8 when indexed, so matching skips PCRE2's
 * UTF check.  A case-sensitive pattern with a literal every match
 * contains (literal.c) is only run on the lines that hold the literal,
 * and may start a match no further than the end of such a line (PCRE2's
 * offset limit).  A pattern without a literal worth it may instead have
 * a set of trigrams one of which every match holds (trigscan.c), used
 * the same way.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "buf.h"
#include "literal.h"
#include "regex.h"
#include "trigscan.h"

/* Limits that stop catastrophic backtracking ("(a+)+$") long before it
 * hangs, and stay far above what real patterns over a line need. */
#define MATCH_LIMIT 20000000
#define DEPTH_LIMIT 100000

struct regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    bool multiline;
    bool has_lit;
    literal lit;             /* in every match, when has_lit */
    bool has_scan;           /* never with has_lit */
    trigscan scan;           /* one of these in every match, when has_scan */
    bool clone;              /* code, lit and scan are another regex's */
};

/* The most common anchor byte a trigram scan may look for: '-' and rarer
 * punctuation, not digits, space or letters (literal_frequency()).  A
 * scan stops at each anchor, and PCRE2 then runs once per line that holds
 * a trigram: with common anchors that costs more than PCRE2 alone. */
#define SCAN_MAX_FREQUENCY 130

/* The code unit every match of pattern starts with, when PCRE2 knows one
 * (it then skips to it by itself); -1 when there is none. */
static int
first_unit(const char *pattern, uint32_t opts)
{
    pcre2_code *c;
    int err;
    PCRE2_SIZE eoff;
    uint32_t type = 0, unit = 0;

    if (!(c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
                            &err, &eoff, NULL)))
        return -1;
    pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1)
        pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODEUNIT, &unit);
    pcre2_code_free(c);
    return type == 1 && unit <= 0xff ? (int)unit : -1;
}

/* Choose how r looks ahead of PCRE2 for pattern: its literal, a trigram
 * scan, or neither when every match starts with a code unit no more
 * common than what they would look for (PCRE2 then skips to it as fast:
 * "\$[0-9]+ million" scans for '$', not for "million").  A literal of
 * one or two bytes gives way to a scan whose anchors are no more common
 * than its rarest byte: "[0-9]-[12]" stops at "-1" and "-2", not at every
 * '-'.  Returns -1 when out of memory. */
static int
choose_prefilter(regex *r, const char *pattern, uint32_t opts, bool force)
{
    int unit, lit_frequency = 256;
    tq *q;

    r->has_lit = !force &&
                 literal_required(pattern, strlen(pattern), &r->lit);
    if (r->has_lit)
        lit_frequency = literal_frequency((unsigned char)
                                          r->lit.s[r->lit.rare1]);
    /* Unless multiline: a match across lines may start lines before the
     * trigram it holds (a literal is looked for all the same). */
    if (!r->multiline && (!r->has_lit || r->lit.len < 3)) {
        if (!(q = trigram_analyze_bytes(pattern)))
            return -1;
        r->has_scan = trigscan_build(q, &r->scan) &&
                      (force || (r->scan.frequency <= SCAN_MAX_FREQUENCY &&
                                 r->scan.frequency <= lit_frequency));
        tq_free(q);
    }
    if (r->has_scan)
        r->has_lit = false;
    /* Compiled once more, only to ask PCRE2, when there is a choice. */
    if (force || (!r->has_lit && !r->has_scan) ||
        (unit = first_unit(pattern, opts)) < 0)
        return 0;
    if (r->has_lit)
        r->has_lit = literal_beats(&r->lit, (unsigned char)unit);
    else
        r->has_scan = r->scan.frequency <
                      literal_frequency((unsigned char)unit);
    return 0;
}

/* r's own match data, context and JIT stack (a clone has them too). */
static int
match_state(regex *r)
{
    r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
    r->mctx = pcre2_match_context_create(NULL);
    r->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!r->md || !r->mctx || !r->jit_stack)
        return BRIEF_ENOMEM;
    pcre2_set_match_limit(r->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(r->mctx, DEPTH_LIMIT);
    pcre2_jit_stack_assign(r->mctx, NULL, r->jit_stack);
    return BRIEF_OK;
}

int
regex_compile(regex **out, const char *const *patterns, size_t n,
              unsigned flags, char *msg, size_t msg_cap, size_t *which,
              size_t *offset)
{
    regex *r;
    buf src = { NULL, 0, 0 };
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE;
    int rc = 0, err;
    PCRE2_SIZE eoff;

    *out = NULL;
    if (flags & REGEX_CASELESS)
        opts |= PCRE2_CASELESS;
    /* Check each pattern alone first, so an error names its pattern and
     * its own offset. */
    for (size_t i = 0; i < n; i++) {
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)patterns[i],
                                      PCRE2_ZERO_TERMINATED, opts, &err,
                                      &eoff, NULL);
        if (!c) {
            pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, msg_cap);
            *which = i;
            *offset = eoff;
            return BRIEF_ESYNTAX;
        }
        pcre2_code_free(c);
    }
    if (flags & REGEX_WORD)
        buf_put_str(&rc, &src, "(?<!\\w)(?:");
    for (size_t i = 0; i < n; i++)
        buf_printf(&rc, &src, "%s(?:%s)", i ? "|" : "", patterns[i]);
    if (flags & REGEX_WORD)
        buf_put_str(&rc, &src, ")(?!\\w)");
    if (rc || !(r = calloc(1, sizeof *r))) {
        buf_free(&src);
        return BRIEF_ENOMEM;
    }
    r->multiline = flags & REGEX_MULTILINE;
    /* Several patterns would need any of several literals; a caseless
     * one, every casing of it. */
    if (n == 1 && !(flags & (REGEX_CASELESS | REGEX_NO_LITERAL)) &&
        choose_prefilter(r, patterns[0], opts, flags & REGEX_FORCE_SCAN)) {
        buf_free(&src);
        regex_free(r);
        return BRIEF_ENOMEM;
    }
    if (!r->multiline)
        opts |= PCRE2_USE_OFFSET_LIMIT;
    r->code = pcre2_compile(src.data, src.len, opts, &err, &eoff, NULL);
    buf_free(&src);
    if (!r->code) {
        /* Only possible through the joining, e.g. an unbalanced "\Q". */
        pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, msg_cap);
        *which = 0;
        *offset = 0;
        regex_free(r);
        return BRIEF_ESYNTAX;
    }
    pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
    if ((rc = match_state(r))) {
        regex_free(r);
        return rc;
    }
    *out = r;
    return BRIEF_OK;
}

int
regex_clone(const regex *r, regex **out)
{
    regex *c = malloc(sizeof *c);
    int rc;

    *out = NULL;
    if (!c)
        return BRIEF_ENOMEM;
    *c = *r;
    c->clone = true;
    if ((rc = match_state(c))) {
        regex_free(c);
        return rc;
    }
    *out = c;
    return BRIEF_OK;
}

void
regex_free(regex *r)
{
    if (!r)
        return;
    pcre2_jit_stack_free(r->jit_stack);
    pcre2_match_context_free(r->mctx);
    pcre2_match_data_free(r->md);
    if (!r->clone)
        pcre2_code_free(r->code);
    free(r);
}

int
regex_prefilter(const regex *r)
{
    return r->has_lit ? 'l' : r->has_scan ? 't' : 0;
}

/* One pcre2_match on s[0..len) from `from`, the match starting at or
 * before `limit` (PCRE2_UNSET: anywhere). */
static int
match(regex *r, const char *s, size_t len, size_t from, size_t limit,
      size_t *ms, size_t *me)
{
    PCRE2_SIZE *ov;
    int n;

    if (!r->multiline)
        pcre2_set_offset_limit(r->mctx, limit);
    n = pcre2_match(r->code, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK,
                    r->md, r->mctx);

    if (n == PCRE2_ERROR_NOMATCH)
        return 0;
    if (n == PCRE2_ERROR_MATCHLIMIT || n == PCRE2_ERROR_DEPTHLIMIT ||
        n == PCRE2_ERROR_JIT_STACKLIMIT || n == PCRE2_ERROR_HEAPLIMIT)
        return BRIEF_ELIMIT;
    if (n < 0)
        return BRIEF_ENOMEM;
    ov = pcre2_get_ovector_pointer(r->md);
    *ms = ov[0];
    *me = ov[1];
    /* \K can put the start after the end; treat it as empty. */
    if (*me < *ms)
        *me = *ms;
    return 1;
}

/* Where to look for a match from `from` on: the line (*from, *limit]
 * that holds the next occurrence of the literal, or of one of the scan's
 * trigrams, before end (a line's start, or len).  Every match the caller
 * reports lies within one line and contains the literal (or a trigram),
 * so none starts on an earlier line (trigscan_find() may pass over an
 * occurrence that starts up to two bytes earlier, never one on an
 * earlier line).  Returns false when there is no further occurrence
 * (then there is no match). */
static bool
skip_ahead(const regex *r, const char *s, size_t len, size_t end,
           size_t *from, size_t *limit)
{
    const char *o, *nl;
    size_t at, o_len;

    if (r->has_lit) {
        o = literal_find(&r->lit, s + *from, end - *from);
        o_len = r->lit.len;
    } else {
        o = trigscan_find(&r->scan, s + *from, end - *from);
        o_len = 3;
    }
    if (!o)
        return false;
    if (r->multiline)                   /* a match may start lines before */
        return true;
    for (at = (size_t)(o - s); at > *from && s[at - 1] != '\n'; at--)
        ;
    *from = at;
    nl = memchr(o + o_len, '\n', len - (size_t)(o - s) - o_len);
    *limit = nl ? (size_t)(nl - s) : len;
    return true;
}

int
regex_next(regex *r, const char *s, size_t len, size_t from, size_t *ms,
           size_t *me)
{
    return regex_next_in(r, s, len, from, len, ms, me);
}

int
regex_next_in(regex *r, const char *s, size_t len, size_t from, size_t end,
              size_t *ms, size_t *me)
{
    /* The last offset a match may start at. */
    size_t last = end < len ? end - 1 : len;

    if (end < len && (from >= end || r->multiline))
        return from >= end ? 0 : BRIEF_EINVAL;
    while (from <= last) {
        const char *nl;
        size_t line_end, limit = r->multiline ? PCRE2_UNSET : last;
        int rc;
        if ((r->has_lit || r->has_scan) &&
            !skip_ahead(r, s, len, end, &from, &limit))
            return 0;
        if (limit > last && !r->multiline)
            limit = last;
        rc = match(r, s, len, from, limit, ms, me);
        if (rc == 0 && limit != PCRE2_UNSET) {
            from = limit + 1;           /* nothing on the literal's line */
            continue;
        }
        if (rc != 1 || r->multiline || !memchr(s + *ms, '\n', *me - *ms))
            return rc;
        /* The match crossed a line break: search its first line alone. */
        nl = memchr(s + *ms, '\n', len - *ms);
        line_end = nl ? (size_t)(nl - s) : len;
        rc = match(r, s, line_end, *ms, PCRE2_UNSET, ms, me);
        if (rc != 0)
            return rc;
        from = line_end + 1;
    }
    return 0;
}
