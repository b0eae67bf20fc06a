/* SPDX-License-Identifier: MIT */
/*
 * The death of a PID namespace's init (Linux kernel/pid_namespace.c:
 * zap_pid_ns_processes). Linux's init blocks in do_exit until every other
 * member of its namespace is gone; procmgr never blocks, so the exiting
 * thread's exit_notify is parked (PM_TF_EXIT_DEFERRED) and resumed by
 * table_run_deferred_() as soon as only init's own pids are left.
 */
#include "table/table_internal.h"
#include "table/table_signal.h"
#include "table/table_wait.h"

void zap_pid_ns_(struct pm_pidns *ns, struct pm_thread *reaper)
{
	struct pm_table *t = ns->table;
	struct pm_process *rp = reaper->process;
	struct pm_list *pos, *tmp;
	struct pm_pid *pid;
	pm_pid_t nr = 2;

	/* Terminated children are reaped at once from now on. */
	table_sig_ignore_sigchld_(rp);
	/* disable_pid_allocation: forks into the namespace get ENOMEM. */
	ns->pid_allocated &= ~PM_PIDNS_ADDING;
	/* SIGKILL, forced, for every task but init that is not dying yet. */
	while ((pid = pidmap_next_(&ns->map, &nr)) != NULL) {
		struct pm_thread *th = pid->thread;

		if (th && !(th->flags & PM_TF_EXITING) && th->process != rp &&
		    !group_exiting_(th->process))
			table_sig_kill_priv_(th->process, TSIG_KILL);
		nr++;
	}
	/* The kernel_wait4(-1, __WALL) loop: reap what is already dead. */
	pm_list_for_each_safe (pos, tmp, &reaper->children) {
		struct pm_process *c = pm_list_entry(pos, struct pm_process, sibling);

		if (c->exit_state == PM_EXIT_ZOMBIE)
			wait_reap_zombie_(rp, c, NULL);
	}
	ns->zap_thread = reaper;
	ns->zap_next = t->zap_list;
	t->zap_list = ns;
}

bool zap_complete_ready_(struct pm_table *t)
{
	struct pm_pidns **pp;

	for (pp = &t->zap_list; *pp; pp = &(*pp)->zap_next) {
		struct pm_pidns *ns = *pp;
		struct pm_thread *init = ns->zap_thread;
		uint32_t init_pids = thread_is_leader_(init) ? 1 : 2;

		if ((ns->pid_allocated & ~PM_PIDNS_ADDING) != init_pids)
			continue;
		*pp = ns->zap_next;
		ns->zap_next = NULL;
		ns->zap_thread = NULL;
		pidns_get_locked_(ns);
		table_notify_(PM_EVENT_PIDNS_EMPTY, NULL, NULL, ns, 0);
		exit_notify_resume_(init);
		pidns_put_locked_(ns);
		return true;
	}
	return false;
}
