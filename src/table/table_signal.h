/* SPDX-License-Identifier: MIT */
/*
 * The process table's seam to the signal module (src/signal), which
 * implements every function below (src/signal/sig_table.c). The table
 * calls them at the points where Linux's kernel/fork.c, kernel/exit.c and
 * fs/exec.c call into kernel/signal.c. Unless a comment says otherwise
 * they are called with PM_LOCK_TABLE held, and the signal module nests the
 * PM_LOCK_SIGHAND locks it needs inside.
 *
 * The other direction (job-control state, group exits, facts about
 * processes and threads the signal code reads) is table_jobctl.h.
 */
#ifndef PM_SRC_TABLE_SIGNAL_H
#define PM_SRC_TABLE_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/table.h"

/* ---- the table object ---- */

/* pm_table_init: an empty record pool. No lock. */
void table_sig_table_init_(struct pm_table *t);

/* pm_table_destroy, after every process was released: free the pool. */
void table_sig_table_destroy_(struct pm_table *t);

/* Before an exit takes the table lock (no lock held): put PM_SIG_RESERVE
 * records in the pool for the signals the exit sends (SIGCHLD, parent
 * death, orphaned groups). Allocation failure only costs siginfo later. */
void table_sig_preload_(struct pm_table *t);

/* ---- creation (kernel/fork.c copy_sighand, copy_signal, copy_process) ---- */

/* What a clone allocates before the table lock. */
struct table_sig_prep {
	struct pm_sighand *sighand; /* the new process's dispositions */
};

/* Before the lock: allocate what a clone with `flags` needs (a new
 * dispositions table unless PM_CLONE_SIGHAND). No lock held. */
void table_sig_clone_prepare_(uint64_t flags, struct table_sig_prep *prep);

/* Did the preparation get what `flags` needs? (false: -PM_ENOMEM) */
bool table_sig_clone_ready_(const struct table_sig_prep *prep, uint64_t flags);

/* copy_process's signal_pending(current) check: a signal is waiting for
 * `self`, so fork restarts once it is handled (-PM_ERESTARTNOINTR). */
bool table_sig_clone_pending_(struct pm_thread *self);

/* Set up the signal state of the new thread `nt` (and of its new process
 * `np`, NULL with PM_CLONE_THREAD), created by `self` with `flags`; takes
 * from `prep` what it uses. Called once the table has linked them. */
void table_sig_clone_(struct pm_thread *self, struct pm_process *np, struct pm_thread *nt,
                      uint64_t flags, struct table_sig_prep *prep);

/* The first process of a table (init), with the dispositions from `prep`. */
void table_sig_spawn_init_(struct pm_process *p, struct pm_thread *t, struct table_sig_prep *prep);

/* After the lock is dropped: free what the clone did not use. */
void table_sig_clone_release_(struct table_sig_prep *prep);

/* ---- exit (kernel/exit.c, __exit_signal) ---- */

/* exit_signals: `t` begins do_exit (PF_EXITING): shared signals it would
 * have taken go to other threads, and it leaves a pending group stop
 * (which may complete it). */
void table_sig_thread_exit_(struct pm_thread *t);

/* __exit_signal for a thread: its own queue is flushed and it leaves its
 * process's thread list. */
void table_sig_thread_release_(struct pm_thread *t);

/* __exit_signal for the group: the shared queue is flushed and the
 * dispositions dropped. */
void table_sig_process_release_(struct pm_process *p);

/* ---- signals the table sends ---- */

/* do_notify_parent: the zombie process `child` (its group empty) reports
 * its death with `sig` (0 or above 64: no signal) to its parent. True when
 * the parent auto-reaps it (SIGCHLD SIG_IGN or SA_NOCLDWAIT; it must be
 * released now). The table has applied the parent-exec rule and wakes the
 * parent's waiters. */
bool table_sig_notify_parent_(struct pm_process *child, int sig);

/* do_notify_parent_cldstop: tell child's parent it stopped or continued
 * (why is PM_CLD_STOPPED or PM_CLD_CONTINUED). The table wakes waiters. */
void table_sig_notify_cldstop_(struct pm_process *child, int why);

/* forget_original_parent: the parent thread `sender` died and `target`
 * (a thread of its child) asked for `sig` with PR_SET_PDEATHSIG:
 * group_send_sig_info(sig, SEND_SIG_NOINFO, target, PIDTYPE_TGID). */
void table_sig_send_pdeath_(struct pm_thread *sender, struct pm_thread *target, int sig);

/* __kill_pgrp_info(sig, SEND_SIG_PRIV, pgrp): SIGHUP then SIGCONT to a
 * newly orphaned group with stopped members. */
void table_sig_kill_pgrp_priv_(struct pm_pid *pgrp, int sig);

/* group_send_sig_info(sig, SEND_SIG_PRIV, target): SIGKILL to every
 * member of a namespace whose init died. */
void table_sig_kill_priv_(struct pm_process *target, int sig);

/* zap_other_threads for one thread: a group exit or an exec needs `t` to
 * die (SIGKILL pending, signal_wake_up(t, 1)). */
void table_sig_wake_to_die_(struct pm_thread *t);

/* zap_pid_ns_processes: the dying init's SIGCHLD becomes SIG_IGN. */
void table_sig_ignore_sigchld_(struct pm_process *p);

#endif /* PM_SRC_TABLE_SIGNAL_H */
