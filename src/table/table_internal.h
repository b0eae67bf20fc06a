/* SPDX-License-Identifier: MIT */
/*
 * Private state and helpers of the process table. Functions ending in an
 * underscore expect PM_LOCK_TABLE held unless they say otherwise.
 */
#ifndef PM_SRC_TABLE_INTERNAL_H
#define PM_SRC_TABLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/table.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"
#include "ns/pidns_internal.h"
#include "hal/pm_assert.h"

/* pm_process.sigflags: Linux's signal_struct flags (include/linux/sched/signal.h). */
#define PM_SIGNAL_STOP_STOPPED   0x01u /* job control stop in effect */
#define PM_SIGNAL_STOP_CONTINUED 0x02u /* SIGCONT since the last WCONTINUED report */
#define PM_SIGNAL_GROUP_EXIT     0x04u /* group exit in progress */
#define PM_SIGNAL_CLD_STOPPED    0x10u /* parent not yet told of the stop */
#define PM_SIGNAL_CLD_CONTINUED  0x20u /* parent not yet told of the continue */
#define PM_SIGNAL_UNKILLABLE     0x40u /* a namespace init (or global init) */
#define PM_SIGNAL_CLD_MASK       (PM_SIGNAL_CLD_STOPPED | PM_SIGNAL_CLD_CONTINUED)
#define PM_SIGNAL_STOP_MASK      (PM_SIGNAL_CLD_MASK | PM_SIGNAL_STOP_STOPPED | PM_SIGNAL_STOP_CONTINUED)

/* pm_process.flags. */
#define PM_PF_SESSION_LEADER 0x01u /* signal->leader */
#define PM_PF_FORKNOEXEC     0x02u /* the leader has not exec'd since fork */
#define PM_PF_IS_SUBREAPER   0x04u /* prctl(PR_SET_CHILD_SUBREAPER) */
#define PM_PF_HAS_SUBREAPER  0x08u /* some ancestor is a subreaper */

/* pm_thread.flags. */
#define PM_TF_EXITING       0x01u /* PF_EXITING: in or past do_exit */
#define PM_TF_SLEEPING      0x02u /* kernel said it sleeps */
#define PM_TF_EXIT_DEFERRED 0x04u /* namespace init waiting for its namespace to empty */

/* exit_state of threads and processes. */
#define PM_EXIT_ZOMBIE 1
#define PM_EXIT_DEAD   2

/* Signal numbers the table uses (identical on x86_64 and riscv64). */
#define TSIG_HUP     1
#define TSIG_QUIT    3
#define TSIG_ILL     4
#define TSIG_TRAP    5
#define TSIG_ABRT    6
#define TSIG_BUS     7
#define TSIG_FPE     8
#define TSIG_KILL    9
#define TSIG_SEGV    11
#define TSIG_CHLD    17
#define TSIG_CONT    18
#define TSIG_STOP    19
#define TSIG_TSTP    20
#define TSIG_TTIN    21
#define TSIG_TTOU    22
#define TSIG_URG     23
#define TSIG_XCPU    24
#define TSIG_XFSZ    25
#define TSIG_WINCH   28
#define TSIG_SYS     31
#define TSIG_NSIG    64
#define TSIG_MASK(s) ((uint64_t)1 << ((s)-1))

/* pm_list_entry for read-only walks. */
#define list_centry_(node, type, member) \
	((const type *)(const void *)((const char *)(node)-offsetof(type, member)))

static inline void tlock(struct pm_table *t)
{
	pm_hal_lock_acquire(&t->lock);
}

static inline void tunlock(struct pm_table *t)
{
	pm_hal_lock_release(&t->lock);
}

static inline bool thread_is_leader_(const struct pm_thread *t)
{
	return t->process->leader == t;
}

/* Linux task_active_pid_ns: the namespace of the thread's own pid. */
static inline struct pm_pidns *thread_ns_(const struct pm_thread *t)
{
	return pm_pid_ns(t->pid);
}

static inline pm_pid_t pid_vnr_(const struct pm_pid *pid, const struct pm_thread *viewer)
{
	return pm_pid_nr_ns(pid, thread_ns_(viewer));
}

/* thread_group_empty: no thread but the leader left (Linux checks the leader). */
static inline bool group_empty_(const struct pm_process *p)
{
	return p->nr_threads == 1;
}

static inline bool group_exiting_(const struct pm_process *p)
{
	return (p->sigflags & PM_SIGNAL_GROUP_EXIT) != 0;
}

static inline bool is_global_init_(const struct pm_process *p)
{
	return p->tgid && p->tgid->numbers[0].nr == 1 &&
	       p->tgid->numbers[0].ns == &p->table->root_ns;
}

/* is_child_reaper(pid): number 1 in the namespace it was created in. */
static inline bool pid_is_child_reaper_(const struct pm_pid *pid)
{
	return pid->numbers[pid->level].nr == 1;
}

static inline bool valid_signal_(int sig)
{
	return sig >= 0 && sig <= TSIG_NSIG;
}

/* ---- table.c ---- */
void table_notify_(enum pm_event_type type, struct pm_process *p, struct pm_thread *th,
                   struct pm_pidns *ns, int64_t arg);
void table_state_update_(struct pm_process *p);
void table_state_remove_(struct pm_process *p);
/* Finish what waits for a namespace to empty; call before unlocking after
 * anything that may release pids. */
void table_run_deferred_(struct pm_table *t);
void rusage_add_(struct pm_rusage *to, const struct pm_rusage *from);

/* ---- pid.c ---- */
struct pm_pid *pid_new_(uint32_t level);
void pid_discard_(struct pm_pid *pid);
int pid_assign_numbers_(struct pm_pidns *ns, struct pm_pid *pid, struct pidmap_stash *s);
void pid_get_(struct pm_pid *pid);
void pid_put_(struct pm_table *t, struct pm_pid *pid);
/* Nodes a pid allocated in ns may need, worst case. */
uint32_t pid_nodes_needed_(const struct pm_pidns *ns);
void process_attach_pgrp_(struct pm_process *p, struct pm_pid *pgrp);
void process_attach_session_(struct pm_process *p, struct pm_pid *sid);
void process_detach_pgrp_(struct pm_process *p);
void process_detach_session_(struct pm_process *p);

/* ---- exit.c ---- */
/* do_exit for t with Linux exit_code `code`. */
void do_exit_(struct pm_thread *t, int32_t code);
/* do_group_exit: the group exit code wins if one is set. */
void do_group_exit_(struct pm_thread *t, int32_t code);
/* Start a group exit of p with code (complete_signal's fatal fast path and
 * do_group_exit): every thread must exit. */
void group_exit_start_(struct pm_process *p, int32_t code, struct pm_thread *except);
void release_task_(struct pm_thread *t);
/* do_notify_parent for a process whose leader is a zombie and whose group
 * is empty; returns true when it must be released now (autoreap). */
bool notify_parent_exit_(struct pm_process *p, int sig);

/* ---- exit_ns.c ---- */
/* The last thread of ns's init is exiting: kill the rest of ns. */
void zap_pid_ns_(struct pm_pidns *ns, struct pm_thread *reaper);
/* Complete inits whose namespaces have emptied. */
bool zap_complete_ready_(struct pm_table *t);
/* exit_notify: reparent, orphaned groups, zombie, parent notification;
 * parked for a namespace init whose namespace is not empty yet. */
void exit_notify_(struct pm_thread *t, bool group_dead);
/* Resume a parked exit_notify: the namespace holds only its init. */
void exit_notify_resume_(struct pm_thread *t);

/* ---- pgrp.c ---- */
bool will_become_orphaned_pgrp_(const struct pm_pid *pgrp, const struct pm_process *ignored);
bool pgrp_is_orphaned_(const struct pm_process *p);
void kill_orphaned_pgrp_(struct pm_process *p, struct pm_thread *parent);

/* ---- check.c ---- */
int table_check_locked_(struct pm_table *t, const char **why);

#endif /* PM_SRC_TABLE_INTERNAL_H */
