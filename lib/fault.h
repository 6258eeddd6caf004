/*
 * fault.h: turn a memory fault inside liblmdb into an error.
 *
 * LMDB trusts its pages: a flipped byte in a B-tree page can make
 * mdb_get() or mdb_cursor_get() follow a pointer out of the map (SIGSEGV),
 * past the end of the file (SIGBUS), or fail one of its assertions
 * (abort()).  brief cannot check a page before LMDB reads it, so store.c
 * runs every liblmdb call inside FAULT_GUARD: a SIGSEGV or SIGBUS on this
 * thread, or an LMDB assertion, while the call runs jumps back to the
 * guard, which yields FAULT_CAUGHT instead of the call's result.  The
 * caller then reports the index as corrupted.
 *
 * A fault anywhere else is not ours: the handler puts the previous
 * handler back and lets the fault happen again, so a bug in brief still
 * crashes (or reaches a sanitizer) as before.
 *
 * The handlers are installed once per process by fault_init(), which
 * brief_index_open() calls.  What the interrupted liblmdb call was doing
 * is lost: store.c never commits a write transaction in which a call
 * faulted, and a read transaction in which one did only ends.
 */
#ifndef BRIEF_FAULT_H
#define BRIEF_FAULT_H

#include <setjmp.h>

/* What FAULT_GUARD yields when the call faulted: outside both LMDB's
 * error codes (-30799..-30780) and errno values. */
#define FAULT_CAUGHT (-30700)

/* The guard of the call running on this thread; NULL outside one. */
extern __thread sigjmp_buf *fault_armed
    __attribute__((tls_model("initial-exec")));

/*
 * rc = call, or FAULT_CAUGHT when the call faulted.  sigsetjmp without
 * the signal mask (0): no system call, and the handler runs with
 * SA_NODEFER, so leaving it by a jump leaves no signal blocked.
 */
#define FAULT_GUARD(rc, call)                                           \
    do {                                                                \
        sigjmp_buf fault_jb_;                                           \
        if (sigsetjmp(fault_jb_, 0) == 0) {                             \
            fault_armed = &fault_jb_;                                   \
            (rc) = (call);                                              \
        } else                                                          \
            (rc) = FAULT_CAUGHT;                                        \
        fault_armed = NULL;                                             \
    } while (0)

/* Install the SIGSEGV and SIGBUS handlers (once per process; later calls
 * do nothing). */
void fault_init(void);

/* Jump to the armed guard, if there is one, after recording what (an
 * assertion's text); return when no guard is armed.  For LMDB's assert
 * callback. */
void fault_raise(const char *what);

/* What the last fault caught on this thread was: "SIGSEGV", "SIGBUS" or
 * the text of the assertion. */
const char *fault_what(void);

#endif
