/* SPDX-License-Identifier: MIT */
/*
 * Thread and group exit, reparenting, zombies and release (Linux
 * kernel/exit.c: do_exit, do_group_exit, synchronize_group_exit,
 * exit_notify, forget_original_parent, find_child_reaper,
 * find_new_reaper, reparent_leader, release_task, __exit_signal).
 */
#include "table/table_internal.h"
#include "table/table_signal.h"

static struct pm_thread *find_alive_thread(const struct pm_process *p)
{
	struct pm_list *pos;

	pm_list_for_each (pos, &p->threads) {
		struct pm_thread *t = pm_list_entry(pos, struct pm_thread, group_node);

		if (!(t->flags & PM_TF_EXITING))
			return t;
	}
	return NULL;
}

/* ---- release ------------------------------------------------------------- */

/* The last task of p is gone (__unhash_process with group_dead). */
static void process_release(struct pm_process *p)
{
	struct pm_table *t = p->table;
	struct pm_pid *tgid = p->tgid;
	struct pm_pidns *ns = pm_pid_ns(tgid);

	if (ns->child_reaper && ns->child_reaper->process == p)
		ns->child_reaper = NULL;
	table_state_remove_(p);
	p->exit_state = PM_EXIT_DEAD;
	table_sig_process_release_(p);
	pm_list_del(&p->sibling);
	pm_list_del(&p->sighand_peers);
	pm_list_del(&p->vm_peers);
	process_detach_pgrp_(p);
	process_detach_session_(p);
	tgid->leader_of = NULL;
	pid_put_(t, tgid);
	t->nr_processes--;
	pm_rlimits_destroy(&p->rlim);
	table_notify_(PM_EVENT_RELEASE, p, NULL, NULL, 0);
}

void release_task_(struct pm_thread *t)
{
	for (;;) {
		struct pm_process *p = t->process;
		struct pm_table *tbl = p->table;
		struct pm_thread *leader = p->leader;
		bool group_dead = thread_is_leader_(t);
		bool zap_leader = false;

		PM_ASSERT(t->flags & PM_TF_EXITING);
		t->exit_state = PM_EXIT_DEAD;
		/* The last init thread of a dead namespace: nothing reaps there. */
		if (thread_ns_(t)->child_reaper == t)
			thread_ns_(t)->child_reaper = NULL;
		/* A zombie counted toward RLIMIT_NPROC until now. */
		pm_cred_release(&t->cred);
		table_sig_thread_release_(t);
		rusage_add_(&p->dead, &t->rusage);
		pm_list_del(&t->group_node);
		p->nr_threads--;
		t->pid->thread = NULL;
		pid_put_(tbl, t->pid);
		pidns_put_locked_(t->pidns_for_children);
		tbl->nr_threads--;
		/* The last non-leader thread reports the zombie leader. */
		if (!group_dead && group_empty_(p) && leader->exit_state == PM_EXIT_ZOMBIE)
			zap_leader = notify_parent_exit_(p, p->exit_signal);
		pm_cred_slot_destroy(&t->cred);
		table_notify_(PM_EVENT_RELEASE, NULL, t, NULL, 0);
		if (group_dead) {
			process_release(p);
			return;
		}
		if (!zap_leader)
			return;
		t = leader;
	}
}

/* ---- notifying the parent ---------------------------------------------------- */

bool notify_parent_exit_(struct pm_process *p, int sig)
{
	struct pm_thread *parent = p->real_parent;
	bool autoreap;

	PM_ASSERT(p->leader->exit_state == PM_EXIT_ZOMBIE && group_empty_(p) && parent);
	if (p->exit_state != PM_EXIT_ZOMBIE) {
		p->exit_state = PM_EXIT_ZOMBIE;
		table_state_update_(p);
	}
	/* A parent that exec'd since the fork gets SIGCHLD, whatever was asked. */
	if (sig != TSIG_CHLD && p->parent_exec_id != parent->self_exec_id)
		sig = TSIG_CHLD;
	autoreap = table_sig_notify_parent_(p, sig);
	table_notify_(PM_EVENT_CHILD_STATE, parent->process, NULL, NULL, 0);
	if (autoreap)
		p->exit_state = PM_EXIT_DEAD;
	return autoreap;
}

/* ---- reparenting ------------------------------------------------------------ */

/* Linux find_child_reaper: NULL when father is its namespace's last init
 * thread, whose exit now waits for the namespace to empty. */
static struct pm_thread *find_child_reaper(struct pm_thread *father)
{
	struct pm_pidns *ns = thread_ns_(father);
	struct pm_thread *reaper = ns->child_reaper;

	if (reaper != father)
		return reaper;
	reaper = find_alive_thread(father->process);
	if (reaper) {
		ns->child_reaper = reaper;
		return reaper;
	}
	zap_pid_ns_(ns, father);
	return NULL;
}

/* Linux find_new_reaper: another live thread, the nearest live subreaper
 * ancestor in the same namespace, or the namespace init. */
static struct pm_thread *find_new_reaper(struct pm_thread *father, struct pm_thread *child_reaper)
{
	struct pm_thread *th = find_alive_thread(father->process);

	if (th)
		return th;
	if (father->process->flags & PM_PF_HAS_SUBREAPER) {
		uint32_t level = father->pid->level;
		struct pm_thread *r;

		for (r = father->process->real_parent; r && r->pid->level == level;
		     r = r->process->real_parent) {
			if (!(r->process->flags & PM_PF_IS_SUBREAPER))
				continue;
			th = find_alive_thread(r->process);
			if (th)
				return th;
		}
	}
	return child_reaper;
}

/* Linux reparent_leader: true when the child must be released now. */
static bool reparent_leader(struct pm_thread *father, struct pm_process *p)
{
	bool dead = false;

	p->exit_signal = TSIG_CHLD;
	if (p->leader->exit_state == PM_EXIT_ZOMBIE && group_empty_(p))
		dead = notify_parent_exit_(p, p->exit_signal);
	kill_orphaned_pgrp_(p, father);
	return dead;
}

static void reparent_children(struct pm_thread *father, struct pm_thread *reaper)
{
	struct pm_list *pos, *tmp;

	if (pm_list_empty(&father->children))
		return;
	reaper = find_new_reaper(father, reaper);
	pm_list_for_each_safe (pos, tmp, &father->children) {
		struct pm_process *p = pm_list_entry(pos, struct pm_process, sibling);
		struct pm_list *tp;

		pm_list_del(&p->sibling);
		pm_list_add_tail(&p->sibling, &reaper->children);
		p->real_parent = reaper;
		pm_list_for_each (tp, &p->threads) {
			struct pm_thread *th = pm_list_entry(tp, struct pm_thread, group_node);

			if (th->pdeath_signal)
				table_sig_send_pdeath_(father, th, th->pdeath_signal);
		}
		if (reaper->process != father->process && reparent_leader(father, p))
			release_task_(p->leader);
	}
}

/* The end of exit_notify, once reparenting is done. */
static void exit_notify_finish(struct pm_thread *t, bool group_dead)
{
	struct pm_process *p = t->process;
	bool autoreap;

	if (group_dead)
		kill_orphaned_pgrp_(p, NULL);
	t->exit_state = PM_EXIT_ZOMBIE;
	if (thread_is_leader_(t))
		autoreap = group_empty_(p) && notify_parent_exit_(p, p->exit_signal);
	else
		autoreap = true;
	if (autoreap)
		release_task_(t);
}

void exit_notify_(struct pm_thread *t, bool group_dead)
{
	struct pm_thread *reaper = find_child_reaper(t);

	if (!reaper) {
		t->flags |= PM_TF_EXIT_DEFERRED;
		return;
	}
	reparent_children(t, reaper);
	exit_notify_finish(t, group_dead);
}

/* zap_pid_ns_processes returned: the namespace holds only its init. */
void exit_notify_resume_(struct pm_thread *t)
{
	t->flags &= (uint8_t)~PM_TF_EXIT_DEFERRED;
	PM_ASSERT(pm_list_empty(&t->children));
	exit_notify_finish(t, true);
}

/* ---- do_exit ------------------------------------------------------------------ */

void do_exit_(struct pm_thread *t, int32_t code)
{
	struct pm_process *p = t->process;
	struct pm_table *tbl = p->table;
	bool group_dead;

	PM_ASSERT(!(t->flags & PM_TF_EXITING));
	/* synchronize_group_exit: the last thread's code is the group's. */
	p->live--;
	if (p->live == 0 && !group_exiting_(p)) {
		p->sigflags = PM_SIGNAL_GROUP_EXIT;
		p->group_exit_code = code;
	}
	if (t->flags & PM_TF_SLEEPING)
		p->nr_sleeping--;
	t->flags = (uint8_t)((t->flags & ~PM_TF_SLEEPING) | PM_TF_EXITING);
	table_sig_thread_exit_(t);
	group_dead = p->live == 0;
	if (group_dead && is_global_init_(p))
		pm_hal_panic(__FILE__, __LINE__, "Attempted to kill init!");
	t->exit_code = code;
	t->vfork_parent = NULL; /* mm_release completes the vfork */
	tbl->threads_exited++;
	if (group_dead) {
		tbl->processes_exited++;
		pm_list_del(&p->vm_peers); /* exit_mm of the last user */
		if (p->flags & PM_PF_SESSION_LEADER)
			table_notify_(PM_EVENT_SESSION_LEADER_EXIT, p, t, thread_ns_(t),
			              pm_pid_nr_ns(p->session, thread_ns_(t)));
	}
	table_state_update_(p);
	if (group_dead)
		table_notify_(PM_EVENT_PROCESS_EXIT, p, NULL, NULL, 0);
	exit_notify_(t, group_dead);
}

void group_exit_start_(struct pm_process *p, int32_t code, struct pm_thread *except)
{
	struct pm_list *pos;

	p->group_exit_code = code;
	p->sigflags = PM_SIGNAL_GROUP_EXIT;
	pm_list_for_each (pos, &p->threads) {
		struct pm_thread *th = pm_list_entry(pos, struct pm_thread, group_node);

		if (th != except && !(th->flags & PM_TF_EXITING))
			table_sig_wake_to_die_(th);
	}
	table_state_update_(p);
}

void do_group_exit_(struct pm_thread *t, int32_t code)
{
	struct pm_process *p = t->process;

	if (group_exiting_(p))
		code = p->group_exit_code;
	else if (p->group_exec_task)
		code = 0;
	else
		group_exit_start_(p, code, t);
	do_exit_(t, code);
}

/* ---- public entry points ---------------------------------------------------------- */

int pm_thread_exit(struct pm_thread *self, int status)
{
	struct pm_table *t = self->process->table;
	int err = 0;

	table_sig_preload_(t);
	tlock(t);
	if (self->flags & PM_TF_EXITING)
		err = -PM_ESRCH;
	else
		do_exit_(self, (int32_t)((status & 0xff) << 8));
	table_run_deferred_(t);
	tunlock(t);
	return err;
}

int pm_exit_group(struct pm_thread *self, int status)
{
	struct pm_table *t = self->process->table;
	int err = 0;

	table_sig_preload_(t);
	tlock(t);
	if (self->flags & PM_TF_EXITING)
		err = -PM_ESRCH;
	else
		do_group_exit_(self, (int32_t)((status & 0xff) << 8));
	table_run_deferred_(t);
	tunlock(t);
	return err;
}

int pm_exit_signaled(struct pm_thread *self, int sig, bool core)
{
	struct pm_table *t = self->process->table;
	int err = 0;

	if (sig < 1 || sig > TSIG_NSIG)
		return -PM_EINVAL;
	table_sig_preload_(t);
	tlock(t);
	if (self->flags & PM_TF_EXITING)
		err = -PM_ESRCH;
	else
		do_group_exit_(self, sig | (core ? 0x80 : 0));
	table_run_deferred_(t);
	tunlock(t);
	return err;
}

bool pm_thread_exit_pending(struct pm_thread *t)
{
	struct pm_table *tbl = t->process->table;
	bool r;

	tlock(tbl);
	r = !(t->flags & PM_TF_EXITING) &&
	    (group_exiting_(t->process) ||
	     (t->process->group_exec_task && t->process->group_exec_task != t));
	tunlock(tbl);
	return r;
}

bool pm_thread_exited(struct pm_thread *t)
{
	struct pm_table *tbl = t->process->table;
	bool r;

	tlock(tbl);
	r = (t->flags & PM_TF_EXITING) != 0;
	tunlock(tbl);
	return r;
}
