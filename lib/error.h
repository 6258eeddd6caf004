/*
 * error.h: the per-handle error message.  A handle embeds a brief_err; the
 * code that first detects a failure sets the message with err_set(), outer
 * levels return rc unchanged.
 */
#ifndef BRIEF_ERROR_H
#define BRIEF_ERROR_H

#include "brief.h"

typedef struct brief_err {
    char msg[512];
    long offset;            /* byte offset for BRIEF_ESYNTAX, else -1 */
} brief_err;

/* Set the message (printf-style) and return rc, so that callers can write
 * `return err_set(e, BRIEF_EIO, "%s: %s", path, strerror(errno));`. */
int err_set(brief_err *e, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Forget the last message (when an error is deliberately swallowed). */
void err_clear(brief_err *e);

#endif
