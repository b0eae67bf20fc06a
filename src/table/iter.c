/* SPDX-License-Identifier: MIT */
/*
 * Accessors, lookups and iteration (Linux kernel/pid.c: find_pid_ns,
 * pid_task, find_task_by_pid_ns, find_ge_pid; the for_each_* walkers of
 * include/linux/sched/signal.h and pid.h).
 */
#include "table/table_internal.h"

struct pm_process *pm_thread_process(const struct pm_thread *t)
{
	return t->process;
}

struct pm_pid *pm_thread_pid(const struct pm_thread *t)
{
	return t->pid;
}

struct pm_pid *pm_process_pid(const struct pm_process *p)
{
	return p->tgid;
}

struct pm_pidns *pm_thread_pidns(const struct pm_thread *t)
{
	return thread_ns_(t);
}

struct pm_pidns *pm_thread_pidns_for_children(const struct pm_thread *t)
{
	return t->pidns_for_children;
}

uint64_t pm_thread_clone_flags(const struct pm_thread *t)
{
	return t->clone_flags;
}

struct pm_thread *pm_thread_vfork_parent(struct pm_thread *t)
{
	struct pm_table *tbl = t->process->table;
	struct pm_thread *r;

	tlock(tbl);
	r = t->vfork_parent;
	tunlock(tbl);
	return r;
}

/* Every thread of a group is in its leader's namespace (copy_process
 * refuses CLONE_THREAD across namespaces), so the innermost number of the
 * tgid is the one self sees. */
pm_pid_t pm_getpid(const struct pm_thread *self)
{
	return pm_pid_nr_innermost(self->process->tgid);
}

pm_pid_t pm_gettid(const struct pm_thread *self)
{
	return pm_pid_nr_innermost(self->pid);
}

/* ---- lookups --------------------------------------------------------------------- */

struct pm_pid *pm_find_pid_locked(struct pm_pidns *ns, pm_pid_t nr)
{
	return pidmap_find_(&ns->map, nr);
}

struct pm_thread *pm_find_thread_locked(struct pm_pidns *ns, pm_pid_t nr)
{
	struct pm_pid *pid = pidmap_find_(&ns->map, nr);

	return pid ? pid->thread : NULL;
}

struct pm_process *pm_find_process_locked(struct pm_pidns *ns, pm_pid_t nr)
{
	struct pm_pid *pid = pidmap_find_(&ns->map, nr);

	return pid ? pid->leader_of : NULL;
}

struct pm_pid *pm_process_pgrp_locked(const struct pm_process *p)
{
	return p->pgrp;
}

struct pm_pid *pm_process_session_locked(const struct pm_process *p)
{
	return p->session;
}

struct pm_process *pm_process_parent_locked(const struct pm_process *p)
{
	return p->real_parent ? p->real_parent->process : NULL;
}

/* ---- iteration --------------------------------------------------------------------- */

/* The node after prev (or the first), NULL at the end. The walkers take
 * const arguments, like strchr, and hand back the objects themselves. */
static struct pm_list *next_node(const struct pm_list *head, const struct pm_list *prev)
{
	struct pm_list *n = prev ? prev->next : head->next;

	return n == head ? NULL : n;
}

struct pm_process *pm_child_next_locked(const struct pm_thread *t, const struct pm_process *prev)
{
	struct pm_list *n = next_node(&t->children, prev ? &prev->sibling : NULL);

	return n ? pm_list_entry(n, struct pm_process, sibling) : NULL;
}

struct pm_thread *pm_thread_next_locked(const struct pm_process *p, const struct pm_thread *prev)
{
	struct pm_list *n = next_node(&p->threads, prev ? &prev->group_node : NULL);

	return n ? pm_list_entry(n, struct pm_thread, group_node) : NULL;
}

struct pm_process *pm_pgrp_next_locked(const struct pm_pid *pgrp, const struct pm_process *prev)
{
	struct pm_list *n = next_node(&pgrp->pgrp_members, prev ? &prev->pgrp_node : NULL);

	return n ? pm_list_entry(n, struct pm_process, pgrp_node) : NULL;
}

struct pm_process *pm_session_next_locked(const struct pm_pid *sid, const struct pm_process *prev)
{
	struct pm_list *n = next_node(&sid->session_members, prev ? &prev->session_node : NULL);

	return n ? pm_list_entry(n, struct pm_process, session_node) : NULL;
}

struct pm_process *pm_pidns_next_process_locked(struct pm_pidns *ns, pm_pid_t *nr)
{
	pm_pid_t n = *nr;
	struct pm_pid *pid;

	while ((pid = pidmap_next_(&ns->map, &n)) != NULL) {
		if (pid->leader_of) {
			*nr = n;
			return pid->leader_of;
		}
		n++;
	}
	return NULL;
}
