/* SPDX-License-Identifier: MIT */
/* Reaping, shared by wait.c and the death of a namespace init. */
#ifndef PM_SRC_TABLE_WAIT_H
#define PM_SRC_TABLE_WAIT_H

#include "table/table_internal.h"

/*
 * Reap the zombie process `child` for `waiter` (Linux wait_task_zombie
 * without WNOWAIT): its usage and its children's go into the waiter's
 * children totals, `res` (if not NULL) receives the status, and the child
 * is released. PM_LOCK_TABLE held.
 */
void wait_reap_zombie_(struct pm_process *waiter, struct pm_process *child,
                       struct pm_wait_result *res);

/* getrusage(p, RUSAGE_SELF or RUSAGE_BOTH). */
void process_rusage_(const struct pm_process *p, bool with_children, struct pm_rusage *out);

#endif /* PM_SRC_TABLE_WAIT_H */
