/* SPDX-License-Identifier: MIT */
/*
 * The process table's seam to the signal module (src/signal).
 *
 * Everything the table needs from signals goes through the functions
 * below, all called with PM_LOCK_TABLE held (the signal module nests its
 * PM_LOCK_SIGHAND inside). Until the signal module lands, table_signal.c
 * implements them for a world where every disposition is SIG_DFL and no
 * signal is blocked, which is exactly the state of a process that never
 * called sigaction or sigprocmask:
 *  - a fatal default action terminates the target process with that
 *    signal (Linux complete_signal's fast path: the group exits with the
 *    signal as status, every thread is woken to die, stopped ones too);
 *    core-dump signals (SIGQUIT, SIGSEGV, ...) wait in pm_process.
 *    dfl_pending until a thread of the target runs (get_signal), and kill
 *    without a core (RLIMIT_CORE is 0 by default);
 *  - stop signals wait the same way and then stop the whole group at once
 *    (SIGTSTP, SIGTTIN and SIGTTOU are discarded in an orphaned group);
 *  - SIGCONT continues a stopped group when it is sent, then is ignored;
 *    SIGCHLD, SIGWINCH and SIGURG are ignored;
 *  - Linux's sig_task_ignored rules hold: a namespace init (or global
 *    init) ignores every signal from inside its namespace, and global init
 *    also SIGKILL and SIGSTOP; forced signals (sent from an ancestor
 *    namespace, or by the kernel) still kill a namespace init;
 *  - a group exiting drops every further signal (prepare_signal);
 *  - no parent auto-reaps, except a dying namespace init whose SIGCHLD
 *    zap_pid_ns_processes set to SIG_IGN.
 * The HAL events of the contract are emitted: PM_EVENT_SIGNAL_PENDING for
 * a thread that must act (arg 1 when it must die), PM_EVENT_THREAD_RESUME
 * for threads of a continued group.
 *
 * What the signal module takes over:
 *  - every function below, with dispositions, masks, pending queues and
 *    siginfo (do_notify_parent's CLD_* info with utime/stime, SEND_SIG_PRIV
 *    and SEND_SIG_NOINFO senders, check_kill_permission for the
 *    parent-death signal, SA_NOCLDWAIT/SIG_IGN auto-reap and SA_NOCLDSTOP);
 *  - pm_process.dfl_pending and table_sig_dfl_deliver_(), which become its
 *    shared pending queue and get_signal;
 *  - calling the job-control entry points of table_jobctl.h from
 *    do_signal_stop, prepare_signal (SIGCONT) and get_signal, and
 *    pm_exit_signaled() when a fatal signal's default action runs.
 */
#ifndef PM_SRC_TABLE_SIGNAL_H
#define PM_SRC_TABLE_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/table.h"

/* do_notify_parent: the zombie process `child` (its group empty) reports
 * its death with `sig` (0 or above 64: no signal) to its parent. True when
 * the parent auto-reaps it (it must be released now). The table has
 * already applied the parent-exec rule and wakes the parent's waiters. */
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

/* Interim kill(2)-like generation of `sig` for process p (force: sent by
 * the kernel or from an ancestor namespace), for tests and pmsim until the
 * signal module provides kill. */
void table_sig_send_dfl_(struct pm_process *p, int sig, bool force);

/* Interim get_signal: act on the default actions waiting in
 * p->dfl_pending while a thread of p runs. True if one was taken. */
bool table_sig_dfl_deliver_(struct pm_process *p);

#endif /* PM_SRC_TABLE_SIGNAL_H */
