/* SPDX-License-Identifier: MIT */
/*
 * Private state and helpers of the signal module. Functions ending in an
 * underscore expect the process's PM_LOCK_SIGHAND held unless they say
 * otherwise; "TABLE" in a comment means PM_LOCK_TABLE held as well.
 */
#ifndef PM_SRC_SIGNAL_INTERNAL_H
#define PM_SRC_SIGNAL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/signal.h"
#include "procmgr/signal_deliver.h"
#include "procmgr/table.h"
#include "procmgr/errno.h"
#include "procmgr/rlimit.h"
#include "procmgr/cred_check.h"
#include "hal/pm_assert.h"
#include "hal/pm_sigabi.h"
#include "hal/pm_string.h"

/* Bytes of siginfo the kernel keeps (sizeof(struct kernel_siginfo)). */
#define SIG_KINFO_SIZE 48u

/* A queued siginfo (Linux struct sigqueue). */
struct pm_sigqueue {
	struct pm_sigqueue *next; /* next in its signal's circular list, or the free list */
	/* The counters it was last charged to, with a reference (NULL: none).
	 * A record in a sighand cache keeps it, so that the next charge to
	 * the same user touches no reference count; the pool holds none. */
	struct pm_ucounts *ucounts;
	uint64_t seq;                 /* its queue's pm_sigpending.seq when queued */
	bool charged;                 /* holds one RLIMIT_SIGPENDING count on ucounts */
	uint8_t info[SIG_KINFO_SIZE]; /* the first 48 bytes of a struct pm_siginfo */
};

/* pm_sig_process.flags (sighand lock). */
#define PM_SIGP_UNKILLABLE  0x1u /* a PID namespace init (Linux SIGNAL_UNKILLABLE) */
#define PM_SIGP_GLOBAL_INIT 0x2u /* the table's global init */
#define PM_SIGP_CLD         0x4u /* a stop or continue is waiting to be reported */

/* pm_sig_thread.jobctl (include/linux/sched/jobctl.h, without ptrace). */
#define PM_JOBCTL_STOP_SIGMASK  0xffffu    /* signal of the pending stop */
#define PM_JOBCTL_STOP_DEQUEUED (1u << 16) /* a stop signal was dequeued */
#define PM_JOBCTL_STOP_PENDING  (1u << 17) /* must take part in a group stop */
#define PM_JOBCTL_STOP_CONSUME  (1u << 18) /* counts in group_stop_count */
#define PM_JOBCTL_STOPPED       (1u << 19) /* stopped by job control */

#define M(s)         pm_sigmask(s)
#define SIG_STD_MASK (~PM_SIG_RT_MASK)

/* The class tests of include/linux/signal.h (real-time signals are in none). */
static inline bool sig_kernel_only(int sig)
{
	return (M(sig) & PM_SIG_KERNEL_ONLY_MASK) != 0;
}

static inline bool sig_kernel_stop(int sig)
{
	return (M(sig) & PM_SIG_KERNEL_STOP_MASK) != 0;
}

static inline bool sig_kernel_coredump(int sig)
{
	return (M(sig) & PM_SIG_KERNEL_COREDUMP_MASK) != 0;
}

static inline bool sig_kernel_ignore(int sig)
{
	return (M(sig) & PM_SIG_KERNEL_IGNORE_MASK) != 0;
}

static inline struct pm_sig_process *sigp(struct pm_process *p)
{
	return &p->sig;
}

static inline void sig_lock(struct pm_process *p)
{
	pm_hal_lock_acquire(&p->sig.sighand->lock);
}

static inline void sig_unlock(struct pm_process *p)
{
	pm_hal_lock_release(&p->sig.sighand->lock);
}

static inline struct pm_thread *sig_thread_of(struct pm_list *node)
{
	return pm_container_of(pm_container_of(node, struct pm_sig_thread, node), struct pm_thread,
	                       sig);
}

/* sig_handler_ignored: SIG_IGN, or SIG_DFL of a signal ignored by default. */
static inline bool sig_handler_ignored(pm_uaddr_t handler, int sig)
{
	return handler == PM_SIG_IGN || (handler == PM_SIG_DFL && sig_kernel_ignore(sig));
}

/* fatal_signal_pending: SIGKILL waits in the thread's own queue. */
static inline bool fatal_pending(const struct pm_thread *t)
{
	return (t->sig.pending.signal & M(PM_SIGKILL)) != 0;
}

/* ---- pending.c: queues, records, the pool ---- */
void sigpending_init_(struct pm_sigpending *q);
/* A record for a queue of process p: p's sighand cache first, then the
 * table's pool; NULL when both are empty. */
struct pm_sigqueue *sigq_get_(struct pm_process *p);
/* Give a record back (cache, pool or free); uncharges it. */
void sigq_put_(struct pm_process *p, struct pm_sigqueue *q);
/* Append q (filled) for signal sig. */
void sigq_append_(struct pm_sigpending *pend, int sig, struct pm_sigqueue *q);
/* collect_signal: take sig's first record (or synthesise SI_USER info);
 * clears the bit when no record of sig is left. */
void sigq_collect_(struct pm_process *p, struct pm_sigpending *pend, int sig,
                   struct pm_siginfo *info);
/* dequeue_synchronous_signal from t's own queue; 0 when none. */
int sigq_dequeue_sync_(struct pm_thread *t, struct pm_siginfo *info);
/* next_signal: synchronous signals first, then the lowest number. */
int sig_next_(pm_sigset_t pending, pm_sigset_t blocked);
/* flush_sigqueue_mask: drop the signals of mask from pend. */
void sigq_flush_mask_(struct pm_process *p, struct pm_sigpending *pend, pm_sigset_t mask);
/* flush_sigqueue. */
void sigq_flush_(struct pm_process *p, struct pm_sigpending *pend);
/* The pool of the table p lives in. */
struct pm_sig_pool *sig_pool_of_(struct pm_process *p);
/* Take a record from the pool (its own lock); NULL when empty. */
struct pm_sigqueue *pool_take_(struct pm_sig_pool *pool);
/* Return a record to the pool (its own lock), freeing it past the cap. */
void pool_give_(struct pm_sig_pool *pool, struct pm_sigqueue *q);
/* A new record from pm_hal_alloc() (no lock held), counted in the pool's
 * allocations; give it back with pool_give_() or sigq_put_(). */
struct pm_sigqueue *sigq_alloc_(struct pm_sig_pool *pool);
/* Records free in the pool (racy read, for preloading). */
uint32_t pool_free_count_(struct pm_sig_pool *pool);
void pool_init_(struct pm_sig_pool *pool);
void pool_destroy_(struct pm_sig_pool *pool);
/* Free every record of a sighand's cache (it is going away). */
void sighand_drain_(struct pm_sighand *sh, struct pm_sig_pool *pool);

/* ---- the credential module's part (pending.c, kill.c) ---- */
/* dequeue_signal: the lowest signal not in `blocked`, the thread's own
 * queue first, then its process's; 0 if none. Fills *info, recalculates
 * sigpending and notes a dequeued stop signal. Sighand lock held. */
int sig_dequeue_(struct pm_thread *self, pm_sigset_t blocked, struct pm_siginfo *info);
/* Charge record q (not charged) to t's real user against its
 * RLIMIT_SIGPENDING; false when over the limit (q stays uncharged).
 * `self` is the calling thread (or NULL): its own credentials need no
 * reference. sigq_put_() uncharges. */
bool sig_charge_(struct pm_thread *t, struct pm_thread *self, bool override, struct pm_sigqueue *q);
/* check_kill_permission's credential part (kill_ok_by_cred and the SIGCONT
 * session rule); TABLE. */
int sig_kill_permission_(struct pm_thread *sender, struct pm_thread *target, int sig,
                         unsigned int flags);
/* The sender's real uid as the target's user namespace sees it (target
 * NULL: the sender's own namespace). */
pm_uid_t sig_sender_uid_(struct pm_thread *sender, struct pm_thread *target);
/* An si_uid given in the sender's user namespace (sender: the calling
 * thread), as the target's sees it. */
pm_uid_t sig_remap_uid_(struct pm_thread *sender, struct pm_thread *target, pm_uid_t uid);

/* ---- sighand.c ---- */
struct pm_sighand *sighand_alloc_(void);
void sighand_free_(struct pm_sighand *sh, struct pm_sig_pool *pool);
void flush_signal_handlers_(struct pm_sighand *sh, bool force_default);

/* ---- send.c: generation (TABLE and the target's sighand lock held) ---- */
struct sig_send {
	int sig;
	/* Explicit siginfo (modified in place, as Linux's send_signal_locked
	 * does, across every target of one call), or NULL for the special
	 * senders below. */
	struct pm_siginfo *info;
	bool priv;                /* SEND_SIG_PRIV (info NULL): SI_KERNEL */
	struct pm_thread *sender; /* current (NULL: the kernel) */
	/* Records reserved for this call, used when the target has none. */
	struct pm_sigqueue *resv;
};
/* send_signal_locked: 0, -PM_EAGAIN (real-time overflow). */
int send_signal_locked_(struct sig_send *s, struct pm_thread *t, bool group);
/* __send_signal_locked with force given (do_notify_parent). */
int send_signal_force_locked_(struct sig_send *s, struct pm_thread *t, bool group, bool force);
/* Does a send of sig to t need a record it might not get? */
bool send_needs_record_(const struct pm_thread *t, int sig, bool group);
void signal_wake_up_(struct pm_thread *t, bool resume);
/* recalc_sigpending for the calling thread (may clear the flag). */
void recalc_sigpending_(struct pm_thread *t);
/* recalc_sigpending_tsk: set the flag if something is deliverable. */
bool recalc_sigpending_tsk_(struct pm_thread *t);
/* retarget_shared_pending. */
void retarget_shared_pending_(struct pm_thread *t, pm_sigset_t which);
/* __set_task_blocked. */
void set_task_blocked_(struct pm_thread *t, pm_sigset_t newset);
/* task_set_jobctl_pending. */
bool jobctl_set_pending_(struct pm_thread *t, uint32_t mask);
/* task_clear_jobctl_pending. */
void jobctl_clear_pending_(struct pm_thread *t, uint32_t mask);
/* task_participate_group_stop: true if the group stop completed. */
bool participate_group_stop_(struct pm_thread *t);

/* ---- kill.c ---- */
/* The group send of the table's seams: SEND_SIG_PRIV or SEND_SIG_NOINFO
 * from sender, with permission checked for the latter; TABLE. */
int group_send_special_(struct pm_thread *sender, struct pm_thread *t, int sig, bool priv);

/* ---- deliver.c ---- */
/* do_notify_parent_cldstop for p (why: PM_CLD_STOPPED or _CONTINUED);
 * TABLE held, no sighand lock. */
void notify_parent_cldstop_(struct pm_process *p, int why);

#endif /* PM_SRC_SIGNAL_INTERNAL_H */
