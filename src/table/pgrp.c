/* SPDX-License-Identifier: MIT */
/*
 * Process groups and sessions (Linux kernel/sys.c: setpgid, getpgid,
 * ksys_setsid, getsid, getppid) and orphaned process groups (kernel/exit.c:
 * will_become_orphaned_pgrp, has_stopped_jobs, kill_orphaned_pgrp; POSIX.1
 * 2.2.2.52: a group is orphaned when no member has a parent in another
 * group of the same session).
 */
#include "table/table_internal.h"
#include "table/table_signal.h"

static struct pm_process *first_member(const struct pm_pid *pgrp)
{
	if (pm_list_empty(&pgrp->pgrp_members))
		return NULL;
	return pm_list_entry(pgrp->pgrp_members.next, struct pm_process, pgrp_node);
}

/* ---- orphaned process groups --------------------------------------------------- */

bool will_become_orphaned_pgrp_(const struct pm_pid *pgrp, const struct pm_process *ignored)
{
	const struct pm_list *skip = ignored ? &ignored->pgrp_node : NULL;
	const struct pm_list *pos;

	pm_list_for_each (pos, &pgrp->pgrp_members) {
		const struct pm_process *p = list_centry_(pos, struct pm_process, pgrp_node);
		const struct pm_process *pp;

		if ((skip && pos == skip) || (p->leader->exit_state && group_empty_(p)) ||
		    !p->real_parent)
			continue;
		pp = p->real_parent->process;
		if (is_global_init_(pp))
			continue;
		if (pp->pgrp != pgrp && pp->session == p->session)
			return false;
	}
	return true;
}

bool pgrp_is_orphaned_(const struct pm_process *p)
{
	return will_become_orphaned_pgrp_(p->pgrp, NULL);
}

static bool has_stopped_jobs(const struct pm_pid *pgrp)
{
	const struct pm_list *pos;

	pm_list_for_each (pos, &pgrp->pgrp_members)
		if (list_centry_(pos, struct pm_process, pgrp_node)->sigflags &
		    PM_SIGNAL_STOP_STOPPED)
			return true;
	return false;
}

/*
 * p's group may have lost its last link to the outside: on p's exit
 * (parent NULL: p's own parent was that link) or when p's parent thread
 * `parent` died and p was reparented. A newly orphaned group with stopped
 * members gets SIGHUP then SIGCONT (POSIX 3.2.2.2).
 */
void kill_orphaned_pgrp_(struct pm_process *p, struct pm_thread *parent)
{
	struct pm_pid *pgrp = p->pgrp;
	const struct pm_process *ignored = p;
	struct pm_process *pp;

	if (!parent)
		parent = p->real_parent;
	else
		ignored = NULL;
	if (!parent)
		return;
	pp = parent->process;
	if (pp->pgrp == pgrp || pp->session != p->session ||
	    !will_become_orphaned_pgrp_(pgrp, ignored))
		return;
	if (has_stopped_jobs(pgrp)) {
		table_sig_kill_pgrp_priv_(pgrp, TSIG_HUP);
		table_sig_kill_pgrp_priv_(pgrp, TSIG_CONT);
	}
	table_notify_(PM_EVENT_PGRP_ORPHANED, NULL, NULL, pm_pid_ns(pgrp),
	              pgrp->numbers[pgrp->level].nr);
}

/* ---- setpgid / getpgid ------------------------------------------------------------ */

static int setpgid_locked(struct pm_thread *self, pm_pid_t pid, pm_pid_t pgid)
{
	struct pm_process *me = self->process;
	struct pm_pidns *ns = thread_ns_(self);
	struct pm_thread *pt;
	struct pm_process *p;
	struct pm_pid *pgrp;

	if (!pid)
		pid = pm_pid_nr_ns(me->tgid, ns);
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -PM_EINVAL;
	pt = pm_find_thread_locked(ns, pid);
	if (!pt)
		return -PM_ESRCH;
	if (!thread_is_leader_(pt))
		return -PM_EINVAL;
	p = pt->process;
	if (p->real_parent && p->real_parent->process == me) {
		if (p->session != me->session)
			return -PM_EPERM;
		if (!(p->flags & PM_PF_FORKNOEXEC))
			return -PM_EACCES;
	} else if (p != me) {
		return -PM_ESRCH;
	}
	if (p->flags & PM_PF_SESSION_LEADER)
		return -PM_EPERM;
	pgrp = pt->pid;
	if (pgid != pid) {
		struct pm_process *g;

		pgrp = pm_find_pid_locked(ns, pgid);
		g = pgrp ? first_member(pgrp) : NULL;
		if (!g || g->session != me->session)
			return -PM_EPERM;
	}
	if (p->pgrp != pgrp) {
		pid_get_(pgrp); /* keep it across the detach of the old group */
		process_detach_pgrp_(p);
		process_attach_pgrp_(p, pgrp);
		pid_put_(p->table, pgrp);
		table_state_update_(p);
	}
	return 0;
}

int pm_setpgid(struct pm_thread *self, pm_pid_t pid, pm_pid_t pgid)
{
	struct pm_table *t = self->process->table;
	int err;

	tlock(t);
	err = (self->flags & PM_TF_EXITING) ? -PM_ESRCH : setpgid_locked(self, pid, pgid);
	tunlock(t);
	return err;
}

/* The process of pid (0: the caller) for getpgid and getsid. */
static struct pm_process *target_of(struct pm_thread *self, pm_pid_t pid)
{
	struct pm_thread *th;

	if (!pid)
		return self->process;
	th = pm_find_thread_locked(thread_ns_(self), pid);
	return th ? th->process : NULL;
}

int pm_getpgid(struct pm_thread *self, pm_pid_t pid, pm_pid_t *out)
{
	struct pm_table *t = self->process->table;
	struct pm_process *p;
	int err = 0;

	tlock(t);
	p = target_of(self, pid);
	if (p)
		*out = pid_vnr_(p->pgrp, self);
	else
		err = -PM_ESRCH;
	tunlock(t);
	return err;
}

/* ---- sessions ------------------------------------------------------------------------ */

int pm_setsid(struct pm_thread *self, pm_pid_t *out)
{
	struct pm_process *p = self->process;
	struct pm_table *t = p->table;
	struct pm_pid *sid;
	int err = -PM_EPERM;

	tlock(t);
	sid = p->tgid;
	if (self->flags & PM_TF_EXITING) {
		err = -PM_ESRCH;
	} else if (!(p->flags & PM_PF_SESSION_LEADER) && pm_list_empty(&sid->pgrp_members)) {
		/* set_special_pids: leader of a new session and group. */
		p->flags |= PM_PF_SESSION_LEADER;
		pid_get_(sid);
		process_detach_session_(p);
		process_attach_session_(p, sid);
		process_detach_pgrp_(p);
		process_attach_pgrp_(p, sid);
		pid_put_(t, sid);
		table_state_update_(p);
		*out = pid_vnr_(sid, self);
		err = 0;
	}
	tunlock(t);
	return err;
}

int pm_getsid(struct pm_thread *self, pm_pid_t pid, pm_pid_t *out)
{
	struct pm_table *t = self->process->table;
	struct pm_process *p;
	int err = 0;

	tlock(t);
	p = target_of(self, pid);
	if (p)
		*out = pid_vnr_(p->session, self);
	else
		err = -PM_ESRCH;
	tunlock(t);
	return err;
}

pm_pid_t pm_getppid(struct pm_thread *self)
{
	struct pm_table *t = self->process->table;
	struct pm_thread *parent;
	pm_pid_t r = 0;

	tlock(t);
	parent = self->process->real_parent;
	if (parent)
		r = pid_vnr_(parent->process->tgid, self);
	tunlock(t);
	return r;
}
