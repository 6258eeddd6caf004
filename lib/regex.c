/*
 * regex.c: PCRE2 compile and match.  Patterns are joined into one
 * alternation, compiled with UTF and UCP (\w, \d, \b are Unicode-aware)
 * and MULTILINE (^ and $ at line ends), and JIT-compiled.  Subjects are
 * stored texts, validated UTF-8 when indexed, so matching skips PCRE2's
 * UTF check.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "buf.h"
#include "regex.h"

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
};

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
    r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
    r->mctx = pcre2_match_context_create(NULL);
    r->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!r->md || !r->mctx || !r->jit_stack) {
        regex_free(r);
        return BRIEF_ENOMEM;
    }
    pcre2_set_match_limit(r->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(r->mctx, DEPTH_LIMIT);
    pcre2_jit_stack_assign(r->mctx, NULL, r->jit_stack);
    *out = r;
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
    pcre2_code_free(r->code);
    free(r);
}

/* One pcre2_match on s[0..len) from `from`. */
static int
match(regex *r, const char *s, size_t len, size_t from, size_t *ms,
      size_t *me)
{
    int n = pcre2_match(r->code, (PCRE2_SPTR)s, len, from,
                        PCRE2_NO_UTF_CHECK, r->md, r->mctx);
    PCRE2_SIZE *ov;

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

int
regex_next(regex *r, const char *s, size_t len, size_t from, size_t *ms,
           size_t *me)
{
    while (from <= len) {
        const char *nl;
        size_t line_end;
        int rc = match(r, s, len, from, ms, me);
        if (rc != 1 || r->multiline || !memchr(s + *ms, '\n', *me - *ms))
            return rc;
        /* The match crossed a line break: search its first line alone. */
        nl = memchr(s + *ms, '\n', len - *ms);
        line_end = nl ? (size_t)(nl - s) : len;
        rc = match(r, s, line_end, *ms, ms, me);
        if (rc != 0)
            return rc;
        from = line_end + 1;
    }
    return 0;
}
