/* SPDX-License-Identifier: MIT */
/*
 * struct pm_pid: allocation of its numbers in every namespace level and
 * its release when no task uses it any more (Linux kernel/pid.c:
 * alloc_pid, free_pid, attach_pid, detach_pid, change_pid).
 */
#include "table/table_internal.h"
#include "hal/pm_string.h"

struct pm_pid *pid_new_(uint32_t level)
{
	struct pm_pid *pid = pm_hal_alloc(pid_alloc_size_(level), _Alignof(struct pm_pid));

	if (pid) {
		pm_memset(pid, 0, pid_alloc_size_(level));
		pid->level = level;
		pm_list_init(&pid->pgrp_members);
		pm_list_init(&pid->session_members);
	}
	return pid;
}

void pid_discard_(struct pm_pid *pid)
{
	pm_hal_free(pid, pid_alloc_size_(pid->level));
}

uint32_t pid_nodes_needed_(const struct pm_pidns *ns)
{
	uint32_t n = 0;

	for (; ns; ns = ns->parent)
		n += ns->map.height;
	return n;
}

/*
 * Linux alloc_pid: a number in each namespace from the innermost outward,
 * each chosen cyclically; a full namespace fails with EAGAIN (ENOSPC
 * mapped), a namespace whose init died with ENOMEM, checked after the
 * numbers were taken. On failure the numbers taken are given back and an
 * empty namespace's cursor is reset so that its first process still gets
 * pid 1.
 */
int pid_assign_numbers_(struct pm_pidns *ns, struct pm_pid *pid, struct pidmap_stash *s)
{
	struct pm_table *t = ns->table;
	struct pm_pidns *tmp = ns;
	int i, err = 0;

	PM_ASSERT(pid->level == ns->level && pid->count == 0);
	for (i = (int)ns->level; i >= 0; i--) {
		pm_pid_t nr;

		err = pidmap_alloc_cyclic_(tmp, pid, s, &nr);
		if (err)
			break;
		pid->numbers[i].nr = nr;
		pid->numbers[i].ns = tmp;
		tmp = tmp->parent;
	}
	if (!err && !(ns->pid_allocated & PM_PIDNS_ADDING))
		err = -PM_ENOMEM;
	if (err) {
		while (++i <= (int)ns->level)
			pidmap_remove_(t, &pid->numbers[i].ns->map, pid->numbers[i].nr);
		if (ns->pid_allocated == PM_PIDNS_ADDING)
			ns->cursor = 0;
		return err;
	}
	for (i = 0; i <= (int)ns->level; i++)
		pid->numbers[i].ns->pid_allocated++;
	pidns_get_locked_(ns);
	return 0;
}

void pid_get_(struct pm_pid *pid)
{
	pid->count++;
}

/* Last role gone: the numbers become free (free_pid) and the memory goes. */
void pid_put_(struct pm_table *t, struct pm_pid *pid)
{
	struct pm_pidns *ns = pid->numbers[pid->level].ns;

	PM_ASSERT(pid->count > 0);
	if (--pid->count > 0)
		return;
	PM_ASSERT(!pid->thread && !pid->leader_of && pm_list_empty(&pid->pgrp_members) &&
	          pm_list_empty(&pid->session_members));
	for (uint32_t i = 0; i <= pid->level; i++) {
		struct pm_pidns *n = pid->numbers[i].ns;

		PM_ASSERT((n->pid_allocated & ~PM_PIDNS_ADDING) > 0);
		n->pid_allocated--;
		/* The first process of a namespace failed to fork: the
		 * namespace is dead (Linux free_pid, case PIDNS_ADDING). */
		if (n->pid_allocated == PM_PIDNS_ADDING)
			n->pid_allocated = 0;
		pidmap_remove_(t, &n->map, pid->numbers[i].nr);
	}
	pidns_put_locked_(ns);
	pid_discard_(pid);
}

/* ---- group and session membership (change_pid for PGID and SID) ---- */

void process_attach_pgrp_(struct pm_process *p, struct pm_pid *pgrp)
{
	p->pgrp = pgrp;
	pm_list_add_tail(&p->pgrp_node, &pgrp->pgrp_members);
	pid_get_(pgrp);
}

void process_attach_session_(struct pm_process *p, struct pm_pid *sid)
{
	p->session = sid;
	pm_list_add_tail(&p->session_node, &sid->session_members);
	pid_get_(sid);
}

void process_detach_pgrp_(struct pm_process *p)
{
	struct pm_pid *old = p->pgrp;

	pm_list_del(&p->pgrp_node);
	p->pgrp = NULL;
	pid_put_(p->table, old);
}

void process_detach_session_(struct pm_process *p)
{
	struct pm_pid *old = p->session;

	pm_list_del(&p->session_node);
	p->session = NULL;
	pid_put_(p->table, old);
}
