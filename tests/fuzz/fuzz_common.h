/*
 * fuzz_common.h: helpers shared by the libFuzzer targets in tests/fuzz/:
 * a private temporary directory (removed at exit) and a small index built
 * once, through the public API, from documents held here.  Header-only so
 * that each target stays one translation unit.
 */
#ifndef BRIEF_FUZZ_COMMON_H
#define BRIEF_FUZZ_COMMON_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brief.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Stop the run with a message: the fuzzer reports it as a crash. */
#define FUZZ_ASSERT(cond, ...)                                          \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                               \
            fputc('\n', stderr);                                        \
            abort();                                                    \
        }                                                               \
    } while (0)

static char fuzz_tmp[64];

/* rm -rf path (no symbolic link is followed). */
__attribute__((unused)) static void
fuzz_rm(const char *path)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    char sub[1024];

    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode) && (d = opendir(path))) {
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                fuzz_rm(sub);
            }
        closedir(d);
    }
    remove(path);
}

__attribute__((unused)) static void
fuzz_rm_tmp(void)
{
    if (fuzz_tmp[0])
        fuzz_rm(fuzz_tmp);
}

/* A fresh directory under $TMPDIR (or /tmp), removed when the process
 * exits normally.  Returns its path (static storage). */
__attribute__((unused)) static const char *
fuzz_tmpdir(void)
{
    const char *t = getenv("TMPDIR");

    snprintf(fuzz_tmp, sizeof fuzz_tmp, "%s/brief-fuzz.XXXXXX",
             t && *t && strlen(t) < 40 ? t : "/tmp");
    if (!mkdtemp(fuzz_tmp)) {
        perror("mkdtemp");
        exit(2);
    }
    atexit(fuzz_rm_tmp);
    return fuzz_tmp;
}

/* The documents of the small index: words, phrases, figures of every
 * unit, CJK, hyphens, apostrophes, long lines and several passages. */
static const char *const fuzz_docs[][2] = {
    { "briefing.txt",
      "China News Service, March 8: \"Since the 18th National Congress, "
      "my country's new industrialization has accelerated.\"\n\n"
      "Our country has 41 major categories and 666 sub-categories;\n\n"
      "In 2023 the industrial added value was close to 40 trillion yuan, "
      "about 39.9 trillion yuan, accounting for 31.7% of GDP.\n\n"
      "The number of 5G base stations has reached 3.38 million, more "
      "than 60% of the world's total, up to $3.8bn a year.\n" },
    { "notes/cjk.txt",
      "5G基站数量达到338万个。工业增加值约39.9万亿元。\n\n"
      "Ünïcödé façade naïve café — “quotes” don’t stop it.\n" },
    { "notes/long.txt",
      "Immigration immigrants immigrate; running runner runs ran.\n"
      "A line with tabs\tand\tmore tabs and a very-long-hyphenated-"
      "compound-word-that-goes-on.\n\n"
      "Between 3 and 5 million people, 15-20 USD, fewer than 200 "
      "firms, the 3rd rank, 4 years, 12 months.\n" },
    { "a b/space name.txt",
      "Spaces in the path. Quick brown fox jumps over the lazy dog.\n" },
};

/* Build the small index at dir.  Exits on failure: a fuzzer without its
 * index would test nothing. */
__attribute__((unused)) static void
fuzz_build_index(const char *dir)
{
    brief_index *ix = NULL;
    brief_indexer *w = NULL;
    int rc;

    rc = brief_index_open(&ix, dir, BRIEF_OPEN_WRITE | BRIEF_OPEN_CREATE,
                          NULL);
    if (!rc)
        rc = brief_indexer_new(&w, ix, NULL);
    for (size_t i = 0; !rc && i < sizeof fuzz_docs / sizeof *fuzz_docs;
         i++)
        rc = brief_indexer_add_buffer(w, fuzz_docs[i][0], fuzz_docs[i][1],
                                      strlen(fuzz_docs[i][1]));
    if (!rc)
        rc = brief_indexer_run(w, NULL);
    brief_indexer_free(w);
    if (rc) {
        fprintf(stderr, "fuzz: building the index in %s: %s\n", dir,
                ix && *brief_errmsg(ix) ? brief_errmsg(ix)
                                        : brief_strerror(rc));
        exit(2);
    }
    brief_index_close(ix);
}

#endif
