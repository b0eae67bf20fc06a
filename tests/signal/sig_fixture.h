/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the signal suites, over the process-table test universe
 * (tests/table/table_fixture.h): dispositions, snapshots of every queue,
 * mask and disposition of a process (to prove bad input changes nothing),
 * and dequeuing.
 */
#ifndef PM_SIG_FIXTURE_H
#define PM_SIG_FIXTURE_H

#include "table_fixture.h"
#include "procmgr/signal.h"
#include "procmgr/signal_deliver.h"

/* More signal numbers than table_fixture.h names. */
#define SIGINT   2
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGFPE   8
#define SIGUSR2  12
#define SIGPIPE  13
#define SIGALRM  14
#define SIGTTIN  21
#define SIGTTOU  22
#define SIGURG   23
#define SIGWINCH 28
#define SIGSYS   31
#define SIGRTMIN 32
#define SIGRTMAX 64

/* Handler addresses (never run: procmgr only decides). */
#define H1 ((pm_uaddr_t)0x401000)
#define H2 ((pm_uaddr_t)0x402000)

#define SNAP_THREADS 8

/* Everything of one process a signal call may change. */
struct sig_snap {
	struct pm_sigaction action[PM_NSIG];
	pm_sigset_t shared;
	uint64_t shared_hash;
	unsigned int nthreads;
	struct {
		pm_sigset_t blocked, real_blocked, saved, pending;
		uint64_t hash;
		uint32_t jobctl;
		uint8_t sigpending, restore;
		struct pm_stack altstack;
	} th[SNAP_THREADS];
	uint64_t pool_allocated;
};

void snap_take(struct pm_process *p, struct sig_snap *s);
/* Assert p is exactly as snapped. */
void snap_assert(struct pm_process *p, const struct sig_snap *s, const char *what);

/* sigaction with the given handler, flags and mask; asserts success. */
void sig_handle(struct pm_thread *t, int sig, pm_uaddr_t handler, uint64_t flags, pm_sigset_t mask);
/* Records queued for sig on a queue. */
unsigned int sig_records(const struct pm_sigpending *q, int sig);
/* pm_signal_next with sp 0; asserts it did not fail. */
int sig_next(struct pm_thread *t, struct pm_sig_delivery *d);
/* Take every deliverable signal through pm_signal_next until NONE (no
 * handler may run in a process that is not expected to have one). */
void sig_drain(struct pm_thread *t);
/* PM_EVENT_SIGNAL_PENDING events recorded for t. */
unsigned int sig_wakeups(const struct pm_thread *t);
/* Make t's real, effective and saved uid (and gids) id. */
void sig_setuid(struct pm_thread *t, pm_uid_t id);

/* Take every free record out of t's pool (so the next send must allocate);
 * pool_return() gives them back. */
struct pm_sigqueue *pool_steal(struct pm_table *t);
void pool_return(struct pm_table *t, struct pm_sigqueue *list);
/* Set p's RLIMIT_SIGPENDING (soft and hard) as root. */
void sig_set_rlimit_sigpending(struct pm_thread *t, uint64_t n);
#endif /* PM_SIG_FIXTURE_H */
