/*
 * fault.c: the SIGSEGV/SIGBUS handler behind FAULT_GUARD (fault.h).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"

__thread sigjmp_buf *fault_armed __attribute__((tls_model("initial-exec")));

/* What the last caught fault was; written just before the jump. */
static __thread char fault_text[160]
    __attribute__((tls_model("initial-exec")));

static struct sigaction previous[2];     /* SIGSEGV's, SIGBUS's */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct sigaction *
previous_for(int sig)
{
    return &previous[sig == SIGBUS];
}

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
    sigjmp_buf *jb = fault_armed;

    (void)uc;
    if (jb) {
        sigset_t both;

        fault_armed = NULL;
        /* strcpy is async-signal-safe in practice; these are constants. */
        strcpy(fault_text, sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
        /* The guard does not restore the signal mask.  This handler runs
         * with SA_NODEFER, but another that chains to it (libFuzzer's,
         * a sanitizer's) may have blocked the signal: unblock both, or
         * the next fault would kill the process. */
        sigemptyset(&both);
        sigaddset(&both, SIGSEGV);
        sigaddset(&both, SIGBUS);
        pthread_sigmask(SIG_UNBLOCK, &both, NULL);
        siglongjmp(*jb, 1);
    }
    /* Not inside a liblmdb call: not ours.  Put the previous handler
     * back; returning re-runs the faulting instruction under it.  A
     * signal sent by kill() has no instruction to re-run: send it
     * again. */
    sigaction(sig, previous_for(sig), NULL);
    if (si->si_code <= 0)
        raise(sig);
}

static void
install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous[0]);
    sigaction(SIGBUS, &sa, &previous[1]);
}

void
fault_init(void)
{
    pthread_once(&once, install);
}

void
fault_raise(const char *what)
{
    sigjmp_buf *jb = fault_armed;

    if (!jb)
        return;
    fault_armed = NULL;
    snprintf(fault_text, sizeof fault_text, "%s", what);
    siglongjmp(*jb, 1);
}

const char *
fault_what(void)
{
    return fault_text;
}
