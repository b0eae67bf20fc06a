/* SPDX-License-Identifier: MIT */
/*
 * Job-control state of the process table, entry points for the signal
 * module (and the interim seam in table_signal.c). All expect
 * PM_LOCK_TABLE held.
 *
 * The stop state lives here because wait4/waitid report it (WUNTRACED,
 * WCONTINUED) and orphaned-group detection looks at it; deciding when a
 * group stops or continues is the signal module's job.
 */
#ifndef PM_SRC_TABLE_JOBCTL_H
#define PM_SRC_TABLE_JOBCTL_H

#include <stdbool.h>

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

/* Is the group of p stopped by job control? */
bool table_jobctl_is_stopped_(const struct pm_process *p);

#endif /* PM_SRC_TABLE_JOBCTL_H */
