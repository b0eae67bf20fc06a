/* SPDX-License-Identifier: MIT */
/*
 * The process table's entry points for the signal module: job-control
 * state, group exits, and the facts about processes and threads that
 * Linux's kernel/signal.c reads from task_struct and signal_struct. All
 * expect PM_LOCK_TABLE held.
 *
 * The stop state lives here because wait4/waitid report it (WUNTRACED,
 * WCONTINUED) and orphaned-group detection looks at it; deciding when a
 * group stops or continues is the signal module's job.
 */
#ifndef PM_SRC_TABLE_JOBCTL_H
#define PM_SRC_TABLE_JOBCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/table.h"

/* do_signal_stop, last thread stopped: the group of p is stopped by `sig`
 * (SIGNAL_STOP_STOPPED, group_exit_code = sig) and its parent is told
 * (CLD_STOPPED). Ignored for a group that is exiting. */
void table_jobctl_stopped_(struct pm_process *p, int sig);

/* prepare_signal(SIGCONT): a stopped group (or, with `stopping`, one whose
 * group stop was under way) continues: SIGNAL_STOP_CONTINUED for
 * WCONTINUED, CLD_CONTINUED (or CLD_STOPPED) to report, threads resumed
 * (PM_EVENT_THREAD_RESUME). Returns true if anything changed. */
bool table_jobctl_continue_(struct pm_process *p, bool stopping);

/* get_signal's SIGNAL_CLD_MASK step: the first thread of p to run again
 * tells its parent what table_jobctl_continue_() recorded. */
void table_jobctl_report_(struct pm_process *p);

/* is_current_pgrp_orphaned for p: SIGTSTP, SIGTTIN, SIGTTOU are then
 * discarded instead of stopping. */
bool table_jobctl_pgrp_orphaned_(const struct pm_process *p);

/* Is the group of p stopped by job control (SIGNAL_STOP_STOPPED)? */
bool table_jobctl_is_stopped_(const struct pm_process *p);

/* ---- group exits ---- */

/* SIGNAL_GROUP_EXIT is set: the process is dying. */
bool table_group_exiting_(const struct pm_process *p);

/* An exec in some thread of p is killing the others (group_exec_task). */
bool table_group_exec_(const struct pm_process *p);

/* complete_signal's fatal fast path: SIGNAL_GROUP_EXIT with `code`; the
 * signal module itself puts SIGKILL on every thread and wakes them. */
void table_group_exit_mark_(struct pm_process *p, int32_t code);

/* group_exit_code (the stop signal of a stopped group). */
int32_t table_group_exit_code_(const struct pm_process *p);

/* ---- facts ---- */

/* The leader thread of p. */
struct pm_thread *table_leader_(const struct pm_process *p);

/* The real parent thread of p (NULL for init). */
struct pm_thread *table_real_parent_(const struct pm_process *p);

/* SIGNAL_UNKILLABLE: p is a PID namespace init (or global init). */
bool table_unkillable_(const struct pm_process *p);

/* force_sig_info_to_task clears SIGNAL_UNKILLABLE. */
void table_clear_unkillable_(struct pm_process *p);

/* p is the table's global init. */
bool table_global_init_(const struct pm_process *p);

/* PF_EXITING of t. */
bool table_thread_exiting_(const struct pm_thread *t);

/* Linux exit_code of t (its exit status word, or the group's). */
int32_t table_thread_exit_code_(const struct pm_thread *t);

/* CPU times of p in nanoseconds: its leader's, plus with `dead` those of
 * the threads already released (task_cputime + signal->utime). */
void table_times_(const struct pm_process *p, bool dead, uint64_t *utime, uint64_t *stime);

#endif /* PM_SRC_TABLE_JOBCTL_H */
