/*
 * micro.h: what bench/micro/'s programs share: files read into memory
 * (each followed by 64 zero bytes), and a monotonic clock.
 */
#ifndef BRIEF_MICRO_H
#define BRIEF_MICRO_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct micro_texts {
    char **text;
    size_t *len, n;
} micro_texts;

/* Read the files named one a line in list; unreadable ones are skipped. */
static int
micro_read_files(FILE *list, micro_texts *m)
{
    char name[4096];

    memset(m, 0, sizeof *m);
    while (fgets(name, sizeof name, list)) {
        FILE *f;
        long size;
        char *b;
        name[strcspn(name, "\n")] = '\0';
        if (!(f = fopen(name, "rb")))
            continue;
        if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET) || !(b = calloc((size_t)size + 64, 1)) ||
            fread(b, 1, (size_t)size, f) != (size_t)size) {
            fclose(f);
            continue;
        }
        fclose(f);
        if (!(m->text = realloc(m->text, (m->n + 1) * sizeof *m->text)) ||
            !(m->len = realloc(m->len, (m->n + 1) * sizeof *m->len)))
            return -1;
        m->text[m->n] = b;
        m->len[m->n++] = (size_t)size;
    }
    return 0;
}

static void
micro_free(micro_texts *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->text[i]);
    free(m->text);
    free(m->len);
}

/* Seconds, monotonic. */
static double
micro_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#endif
