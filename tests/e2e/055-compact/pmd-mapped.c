/*
 * pmd-mapped FILE: map FILE at an address that is a multiple of 2 MiB,
 * read a byte of each of its pages, and print how many KiB of it the
 * kernel mapped 2 MiB at a time ("FilePmdMapped" in /proc/self/smaps):
 * the page cache's 2 MiB folios of the file (055-compact).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HUGE ((size_t)2 << 20)

int
main(int argc, char **argv)
{
    struct stat st;
    int fd = argc == 2 ? open(argv[1], O_RDONLY) : -1;
    char line[256], *area, *at;
    volatile char sum = 0;
    unsigned long kib = 0;
    int in = 0;
    FILE *f;

    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "usage: pmd-mapped FILE (a file to read)\n");
        return 2;
    }
    area = mmap(NULL, (size_t)st.st_size + HUGE, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return 2;
    at = (char *)(((uintptr_t)area + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
    if (mmap(at, (size_t)st.st_size, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
             0) == MAP_FAILED)
        return 2;
    for (off_t i = 0; i < st.st_size; i += 4096)
        sum += at[i];
    if (!(f = fopen("/proc/self/smaps", "r")))
        return 2;
    /* A mapping's lines follow its header "start-end perms ...". */
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            in = lo == (uintptr_t)at;
        else if (in && sscanf(line, "FilePmdMapped: %lu kB", &kib) == 1)
            break;
    }
    fclose(f);
    printf("%lu\n", kib);
    return 0;
}
