/*
 * gscan.c: helper threads that find the first match of a regex search's
 * documents from the far end of the list (see gscan.h for the protocol).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "brief.h"
#include "gscan.h"

/* A document's state.  Only FREE changes by compare-and-swap (whoever
 * claims it); the claimant alone moves it on from there. */
enum {
    FREE,                    /* nobody has it yet */
    HELPING,                 /* a helper is scanning it */
    CALLER,                  /* the caller has it */
    NONE,                    /* a helper found no match */
    FIRST,                   /* a helper found the first match */
    GAVE_UP,                 /* a helper hit a limit or could not read
                              * the text: the caller redoes it and
                              * reports what it meets */
};

typedef struct helper {
    struct gscan *g;
    regex *re;
    pthread_t thread;
} helper;

struct gscan {
    gscan_source src;
    size_t n;
    _Atomic unsigned char *state;
    size_t *ms, *me;         /* of FIRST documents */
    _Atomic long long back;  /* the helpers' next document is back - 1 */
    atomic_bool stop;
    helper helpers[GSCAN_MAX_THREADS - 1];
    unsigned n_helpers;
};

unsigned
gscan_auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > GSCAN_MAX_THREADS ? GSCAN_MAX_THREADS :
           (unsigned)n;
}

/* Scan documents from the back until the caller's are reached. */
static void
help_with(gscan *g, helper *h, void *reader)
{
    while (!atomic_load_explicit(&g->stop, memory_order_relaxed)) {
        long long at = atomic_fetch_sub(&g->back, 1) - 1;
        unsigned char expect = FREE, done = GAVE_UP;
        size_t i, ms, me;
        gtext t;
        int rc;
        if (at < 0)
            return;
        i = (size_t)at;
        /* The caller has come this far: the rest is its. */
        if (!atomic_compare_exchange_strong(&g->state[i], &expect, HELPING))
            return;
        if (g->src.text(reader, i, &t) == 0) {
            rc = t.n_ranges ? 0 : regex_next(h->re, t.p, t.len, 0, &ms, &me);
            for (size_t r = 0; r < t.n_ranges && rc == 0; r++)
                rc = regex_next_in(h->re, t.p, t.len, t.ranges[2 * r],
                                   t.ranges[2 * r + 1], &ms, &me);
            if (rc == 1) {
                g->ms[i] = ms;
                g->me[i] = me;
                done = FIRST;
            } else if (rc == 0) {
                done = NONE;
            }
        }
        atomic_store_explicit(&g->state[i], done, memory_order_release);
    }
}

static void *
help(void *arg)
{
    helper *h = arg;
    gscan *g = h->g;
    void *reader = g->src.open(g->src.ctx);

    if (reader) {
        help_with(g, h, reader);
        g->src.close(reader);
    }
    return NULL;
}

int
gscan_start(gscan **out, const regex *re, size_t n, const gscan_source *src,
            unsigned threads)
{
    gscan *g;

    *out = NULL;
    if (threads > GSCAN_MAX_THREADS)
        threads = GSCAN_MAX_THREADS;
    if (threads < 2 || n < 2)
        return BRIEF_OK;
    if (!(g = calloc(1, sizeof *g)))
        return BRIEF_ENOMEM;
    g->src = *src;
    g->n = n;
    g->state = calloc(n, sizeof *g->state);
    g->ms = malloc(n * sizeof *g->ms);
    g->me = malloc(n * sizeof *g->me);
    if (!g->state || !g->ms || !g->me) {
        gscan_stop(g);
        return BRIEF_ENOMEM;
    }
    atomic_init(&g->back, (long long)n);
    atomic_init(&g->stop, false);
    for (unsigned t = 0; t + 1 < threads; t++) {
        helper *h = &g->helpers[g->n_helpers];
        h->g = g;
        if (regex_clone(re, &h->re))
            break;
        if (pthread_create(&h->thread, NULL, help, h)) {
            regex_free(h->re);
            break;              /* fewer helpers, or none: still right */
        }
        g->n_helpers++;
    }
    *out = g;
    return BRIEF_OK;
}

int
gscan_take(gscan *g, size_t i, size_t *ms, size_t *me)
{
    unsigned char s;

    if (!g)
        return GSCAN_MINE;
    s = atomic_load_explicit(&g->state[i], memory_order_acquire);
    if (s == FREE) {
        if (atomic_compare_exchange_strong(&g->state[i], &s, CALLER))
            return GSCAN_MINE;
        /* A helper claimed it meanwhile; s is now what it holds. */
        s = atomic_load_explicit(&g->state[i], memory_order_acquire);
    }
    if (s == NONE)
        return GSCAN_NONE;
    if (s == FIRST) {
        *ms = g->ms[i];
        *me = g->me[i];
        return GSCAN_FIRST;
    }
    return GSCAN_MINE;       /* still being scanned, or given up */
}

void
gscan_stop(gscan *g)
{
    if (!g)
        return;
    atomic_store(&g->stop, true);
    for (unsigned t = 0; t < g->n_helpers; t++) {
        pthread_join(g->helpers[t].thread, NULL);
        regex_free(g->helpers[t].re);
    }
    free((void *)g->state);
    free(g->ms);
    free(g->me);
    free(g);
}
