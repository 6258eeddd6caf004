/*
 * trigscan_speed PATTERN: how fast lib/trigscan.c finds the lines worth
 * running PATTERN on, over the files named one a line on stdin, read
 * into memory first (no page faults, no index): each text is scanned as
 * grep.c scans a candidate, on again after the line of each find; the
 * best of 9 passes.  Prints the scan's anchors, the lines found and
 * GB/s.  `make bench-micro` builds it; for example
 *   find ../shared/corpora/large -type f |
 *       build/rel/bench/trigscan_speed '\b(1[6-9]|20)[0-9]{2} ?[-–] ?...'
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "micro.h"
#include "trigram.h"
#include "trigscan.h"

int
main(int argc, char **argv)
{
    static trigscan ts;
    micro_texts m;
    tq *q;
    double best = 1e30;
    size_t found = 0, bytes = 0;

    if (argc != 2) {
        fputs("usage: trigscan_speed PATTERN <FILE-LIST\n", stderr);
        return 2;
    }
    if (!(q = trigram_analyze_bytes(argv[1])) || !trigscan_build(q, &ts)) {
        fprintf(stderr, "trigscan_speed: no trigram set for %s\n", argv[1]);
        return 1;
    }
    tq_free(q);
    if (micro_read_files(stdin, &m) || m.n == 0) {
        fputs("trigscan_speed: file names on stdin, one a line\n", stderr);
        return 2;
    }
    printf("anchors:");
    for (size_t a = 0; a < ts.n_anchors; a++)
        printf(" 0x%02x%s", ts.anchor[a], ts.filtered[a] ? " (filtered)" : "");
    printf("\n");
    for (size_t i = 0; i < m.n; i++)
        bytes += m.len[i];
    for (int pass = 0; pass < 9; pass++) {
        double t0 = micro_now(), dt;
        found = 0;
        for (size_t i = 0; i < m.n; i++) {
            const char *s = m.text[i], *end = s + m.len[i], *at, *nl;
            while (s < end && (at = trigscan_find(&ts, s, (size_t)(end - s)))) {
                found++;
                nl = memchr(at, '\n', (size_t)(end - at));
                s = nl ? nl + 1 : end;
            }
        }
        if ((dt = micro_now() - t0) < best)
            best = dt;
    }
    printf("%zu files, %zu bytes: %zu lines found, %.2f ms (%.2f GB/s)\n",
           m.n, bytes, found, best * 1e3, (double)bytes / best / 1e9);
    micro_free(&m);
    return 0;
}
