/* SPDX-License-Identifier: MIT */
/*
 * Job-control stop state (Linux kernel/signal.c: do_signal_stop,
 * task_participate_group_stop, prepare_signal's SIGCONT branch,
 * signal_set_stop_flags, and get_signal's SIGNAL_CLD_MASK report).
 */
#include "table/table_internal.h"
#include "table/table_jobctl.h"
#include "table/table_signal.h"

static void tell_parent(struct pm_process *p, int why)
{
	struct pm_thread *parent = p->real_parent;

	if (!parent)
		return;
	table_sig_notify_cldstop_(p, why);
	table_notify_(PM_EVENT_CHILD_STATE, parent->process, NULL, NULL, 0);
}

void table_jobctl_stopped_(struct pm_process *p, int sig)
{
	if (group_exiting_(p) || p->group_exec_task || p->exit_state)
		return;
	/* A group already stopped keeps the signal it stopped for. */
	if (!(p->sigflags & PM_SIGNAL_STOP_STOPPED))
		p->group_exit_code = sig;
	p->sigflags = (p->sigflags & ~PM_SIGNAL_STOP_MASK) | PM_SIGNAL_STOP_STOPPED;
	table_state_update_(p);
	tell_parent(p, PM_CLD_STOPPED);
}

bool table_jobctl_continue_(struct pm_process *p, bool stopping)
{
	uint32_t why = 0;
	struct pm_list *pos;

	if (group_exiting_(p))
		return false;
	if (p->sigflags & PM_SIGNAL_STOP_STOPPED)
		why = PM_SIGNAL_CLD_CONTINUED;
	else if (stopping)
		why = PM_SIGNAL_CLD_STOPPED;
	if (!why)
		return false;
	p->sigflags = (p->sigflags & ~PM_SIGNAL_STOP_MASK) | why | PM_SIGNAL_STOP_CONTINUED;
	p->group_exit_code = 0;
	pm_list_for_each (pos, &p->threads) {
		struct pm_thread *th = pm_list_entry(pos, struct pm_thread, group_node);

		if (!(th->flags & PM_TF_EXITING))
			table_notify_(PM_EVENT_THREAD_RESUME, p, th, NULL, 0);
	}
	table_state_update_(p);
	return true;
}

void table_jobctl_report_(struct pm_process *p)
{
	uint32_t cld = p->sigflags & PM_SIGNAL_CLD_MASK;

	if (!cld)
		return;
	p->sigflags &= ~PM_SIGNAL_CLD_MASK;
	tell_parent(p, (cld & PM_SIGNAL_CLD_CONTINUED) ? PM_CLD_CONTINUED : PM_CLD_STOPPED);
}

bool table_jobctl_pgrp_orphaned_(const struct pm_process *p)
{
	return pgrp_is_orphaned_(p);
}

bool table_jobctl_is_stopped_(const struct pm_process *p)
{
	return (p->sigflags & PM_SIGNAL_STOP_STOPPED) != 0;
}

/* ---- group exits and facts for the signal module -------------------------------- */

bool table_group_exiting_(const struct pm_process *p)
{
	return group_exiting_(p);
}

bool table_group_exec_(const struct pm_process *p)
{
	return p->group_exec_task != NULL;
}

void table_group_exit_mark_(struct pm_process *p, int32_t code)
{
	p->group_exit_code = code;
	p->sigflags = PM_SIGNAL_GROUP_EXIT;
	table_state_update_(p);
}

int32_t table_group_exit_code_(const struct pm_process *p)
{
	return p->group_exit_code;
}

struct pm_thread *table_leader_(const struct pm_process *p)
{
	return p->leader;
}

struct pm_thread *table_real_parent_(const struct pm_process *p)
{
	return p->real_parent;
}

bool table_unkillable_(const struct pm_process *p)
{
	return (p->sigflags & PM_SIGNAL_UNKILLABLE) != 0;
}

void table_clear_unkillable_(struct pm_process *p)
{
	p->sigflags &= ~PM_SIGNAL_UNKILLABLE;
}

bool table_global_init_(const struct pm_process *p)
{
	return is_global_init_(p);
}

bool table_thread_exiting_(const struct pm_thread *t)
{
	return (t->flags & PM_TF_EXITING) != 0;
}

void table_times_(const struct pm_process *p, bool dead, uint64_t *utime, uint64_t *stime)
{
	*utime = p->leader->rusage.utime_ns;
	*stime = p->leader->rusage.stime_ns;
	if (dead) {
		*utime += p->dead.utime_ns;
		*stime += p->dead.stime_ns;
	}
}

int32_t table_thread_exit_code_(const struct pm_thread *t)
{
	return t->exit_code;
}
