/*
 * error.c: status strings and the per-handle message.
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

const char *
brief_strerror(int rc)
{
    switch (rc) {
    case BRIEF_OK:        return "success";
    case BRIEF_DONE:      return "no more items";
    case BRIEF_ENOMEM:    return "out of memory";
    case BRIEF_EIO:       return "input/output error";
    case BRIEF_EINVAL:    return "invalid argument";
    case BRIEF_ESYNTAX:   return "query syntax error";
    case BRIEF_EENCODING: return "not UTF-8";
    case BRIEF_ECORRUPT:  return "index is corrupt";
    case BRIEF_EVERSION:  return "index has an unsupported schema version";
    case BRIEF_EFULL:     return "index map or disk is full";
    case BRIEF_ENOINDEX:  return "no index";
    case BRIEF_EBUSY:     return "index is busy";
    case BRIEF_ELIMIT:    return "regex match limit exceeded";
    default:              return "unknown status";
    }
}

int
err_set(brief_err *e, int rc, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return rc;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    if (rc != BRIEF_ESYNTAX)
        e->offset = -1;
    return rc;
}

void
err_clear(brief_err *e)
{
    e->msg[0] = '\0';
    e->offset = -1;
}
