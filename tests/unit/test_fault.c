/*
 * test_fault: FAULT_GUARD (lib/fault.h) turns a SIGSEGV, a SIGBUS or an
 * LMDB assertion inside the guarded call into FAULT_CAUGHT, again and
 * again, on any thread; a fault outside a guard still kills the process.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/fault.h"
#include "check.h"

static volatile unsigned char sink;

/* Read the byte at p: the guarded "liblmdb call". */
static int
touch(const unsigned char *p)
{
    sink = *(const volatile unsigned char *)p;
    return 7;
}

/* touch(p) under the guard, in a frame of its own as store.c does it: a
 * jump back may clobber the locals of the frame that holds the guard. */
static int
guarded_touch(const unsigned char *p)
{
    int rc;

    FAULT_GUARD(rc, touch(p));
    return rc;
}

static int
assert_fails(void)
{
    fault_raise("mdb.c:1: Assertion 'IS_LEAF(mp)' failed");
    return 8;               /* not reached inside a guard */
}

/* An inaccessible page: reading it is SIGSEGV. */
static unsigned char *
no_access_page(void)
{
    void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

/* A page of a shared mapping past the end of its (empty) file: SIGBUS. */
static unsigned char *
past_eof_page(void)
{
    FILE *f = tmpfile();
    void *p;

    if (!f)
        return NULL;
    p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(f), 0);
    fclose(f);
    return p == MAP_FAILED ? NULL : p;
}

static void
test_segv_caught(void)
{
    unsigned char *p = no_access_page(), ok = 1;

    fault_init();
    CHECK(p != NULL);
    for (int i = 0; i < 3; i++) {       /* the mask is left clean */
        CHECK(guarded_touch(p) == FAULT_CAUGHT);
        CHECK(strcmp(fault_what(), "SIGSEGV") == 0);
    }
    CHECK(guarded_touch(&ok) == 7);
    CHECK(fault_armed == NULL);
    munmap(p, 4096);
}

static void
test_sigbus_caught(void)
{
    unsigned char *p = past_eof_page();

    fault_init();
    CHECK(p != NULL);
    CHECK(guarded_touch(p) == FAULT_CAUGHT);
    CHECK(strcmp(fault_what(), "SIGBUS") == 0);
    munmap(p, 4096);
}

static void
test_assertion_caught(void)
{
    int rc;

    FAULT_GUARD(rc, assert_fails());
    CHECK(rc == FAULT_CAUGHT);
    CHECK(strstr(fault_what(), "IS_LEAF") != NULL);
    /* Outside a guard fault_raise() returns (LMDB then aborts). */
    fault_raise("not guarded");
    CHECK(fault_armed == NULL);
}

static void *
thread_main(void *arg)
{
    return (void *)(intptr_t)guarded_touch(arg);
}

static void
test_other_thread(void)
{
    unsigned char *p = no_access_page();
    pthread_t th;
    void *rc = NULL;

    fault_init();
    CHECK(p != NULL);
    CHECK(pthread_create(&th, NULL, thread_main, p) == 0);
    pthread_join(th, &rc);
    CHECK((intptr_t)rc == FAULT_CAUGHT);
    munmap(p, 4096);
}

/* Faults outside a guard are not ours: the child dies of SIGSEGV, and of
 * a SIGSEGV sent with kill() as well (under AddressSanitizer, its report
 * ends the child). */
static void
test_unguarded_still_kills(void)
{
    for (int how = 0; how < 2; how++) {
        int status = 0;
        pid_t pid = fork();

        if (pid == 0) {
            fault_init();
            if (how == 0) {
                unsigned char *p = no_access_page();
                touch(p);
            } else {
                kill(getpid(), SIGSEGV);
            }
            _exit(0);
        }
        CHECK(pid > 0);
        CHECK(waitpid(pid, &status, 0) == pid);
#ifdef __SANITIZE_ADDRESS__
        /* AddressSanitizer's handler reports the fault and exits. */
        CHECK(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
#else
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
#endif
    }
}

int
main(void)
{
    TEST(test_segv_caught);
    TEST(test_sigbus_caught);
    TEST(test_assertion_caught);
    TEST(test_other_thread);
    TEST(test_unguarded_still_kills);
    return check_report();
}
