/*
 * embed.c: the smallest program that embeds brief: open an index, run a
 * keyword query, print each hit's citation and passage.
 *
 *     cc embed.c $(pkg-config --cflags --libs brief) -o embed
 *     ./embed .brief 5G base stations
 */
#include <stdio.h>
#include <string.h>

#include <brief.h>

int
main(int argc, char **argv)
{
    brief_index *ix;
    brief_search *s = NULL;
    const brief_hit *hit;
    char query[1024] = "";
    int rc, n = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: embed INDEX-DIR QUERY...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        strncat(query, argv[i], sizeof query - strlen(query) - 2);
        strcat(query, " ");
    }
    rc = brief_index_open(&ix, argv[1], BRIEF_OPEN_READ, NULL);
    if (rc == BRIEF_OK)
        rc = brief_search_new(&s, ix, query, NULL);
    while (rc == BRIEF_OK && (rc = brief_search_next(s, &hit)) == BRIEF_OK) {
        printf("%s:%u:%u:%.*s\n", hit->path, hit->line, hit->column,
               (int)hit->passage.text_len, hit->passage.text);
        n++;
    }
    if (rc != BRIEF_OK && rc != BRIEF_DONE)
        fprintf(stderr, "embed: %s\n", brief_errmsg(ix));
    brief_search_free(s);
    brief_index_close(ix);
    return rc != BRIEF_OK && rc != BRIEF_DONE ? 2 : n ? 0 : 1;
}
