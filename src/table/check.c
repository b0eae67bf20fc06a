/* SPDX-License-Identifier: MIT */
/*
 * pm_table_check(): every invariant of the table, recomputed from scratch.
 * O(pids + processes + threads); meant for tests, which call it after
 * every operation.
 */
#include "table/table_internal.h"

#define FAIL(msg)                  \
	do {                       \
		*why = (msg);      \
		return -PM_EINVAL; \
	} while (0)

static uint32_t list_len(const struct pm_list *head)
{
	const struct pm_list *pos;
	uint32_t n = 0;

	pm_list_for_each (pos, head)
		n++;
	return n;
}

static int check_namespaces(struct pm_table *t, const char **why)
{
	struct pm_list *pos;
	uint64_t nodes = 0;
	uint32_t n = 0;

	pm_list_for_each (pos, &t->namespaces) {
		struct pm_pidns *ns = pm_list_entry(pos, struct pm_pidns, all_node);
		struct pm_pid *pid;
		pm_pid_t nr = 0;

		n++;
		if (ns->table != t || ns->refcount == 0)
			FAIL("pidns: wrong table or no reference");
		if ((ns->parent == NULL) != (ns == &t->root_ns) ||
		    (ns->parent && ns->parent->level + 1 != ns->level))
			FAIL("pidns: parent and level disagree");
		if (pidmap_check_(&ns->map, ns->pid_max, &nodes, why))
			return -PM_EINVAL;
		if (ns->map.count != (ns->pid_allocated & ~PM_PIDNS_ADDING))
			FAIL("pidns: pid_allocated differs from the map");
		while ((pid = pidmap_next_(&ns->map, &nr)) != NULL) {
			if (pid->level < ns->level || pid->numbers[ns->level].ns != ns ||
			    pid->numbers[ns->level].nr != nr)
				FAIL("pidns: map entry does not carry its number");
			nr++;
		}
		if (ns->child_reaper && thread_ns_(ns->child_reaper) != ns)
			FAIL("pidns: child reaper lives elsewhere");
		if (ns->zap_thread && !(ns->zap_thread->flags & PM_TF_EXIT_DEFERRED))
			FAIL("pidns: waiting init is not parked");
	}
	if (n != t->nr_namespaces)
		FAIL("pidns: namespace count");
	if (nodes != t->live_nodes)
		FAIL("pidmap: node count");
	return 0;
}

static int check_pid(const struct pm_pid *pid, const char **why)
{
	const struct pm_list *pos;
	uint32_t roles = (pid->thread ? 1u : 0u) + (pid->leader_of ? 1u : 0u);

	for (uint32_t i = 0; i <= pid->level; i++) {
		const struct pm_pidns *ns = pid->numbers[i].ns;

		if (!ns || ns->level != i || (i > 0 && ns->parent != pid->numbers[i - 1].ns))
			FAIL("pid: numbers do not follow the namespace chain");
		if (pidmap_find_(&ns->map, pid->numbers[i].nr) != pid)
			FAIL("pid: a number is not in its map");
	}
	if (pid->thread && pid->thread->pid != pid)
		FAIL("pid: thread link is one-sided");
	if (pid->leader_of && pid->leader_of->tgid != pid)
		FAIL("pid: process link is one-sided");
	pm_list_for_each (pos, &pid->pgrp_members) {
		if (list_centry_(pos, struct pm_process, pgrp_node)->pgrp != pid)
			FAIL("pid: group member points elsewhere");
		roles++;
	}
	pm_list_for_each (pos, &pid->session_members) {
		if (list_centry_(pos, struct pm_process, session_node)->session != pid)
			FAIL("pid: session member points elsewhere");
		roles++;
	}
	if (roles == 0 || roles != pid->count)
		FAIL("pid: reference count differs from its roles");
	if (!pm_list_empty(&pid->pgrp_members)) {
		const struct pm_process *first =
		    pm_list_entry(pid->pgrp_members.next, struct pm_process, pgrp_node);

		pm_list_for_each (pos, &pid->pgrp_members)
			if (list_centry_(pos, struct pm_process, pgrp_node)->session !=
			    first->session)
				FAIL("pgrp: members in different sessions");
	}
	return 0;
}

static int check_threads(const struct pm_process *p, uint32_t *children, const char **why)
{
	const struct pm_list *pos, *cp;
	uint32_t live = 0, sleeping = 0, n = 0;
	bool leader_seen = false;

	pm_list_for_each (pos, &p->threads) {
		const struct pm_thread *th = list_centry_(pos, struct pm_thread, group_node);

		n++;
		if (th->process != p || th->pid->thread != th || !th->pidns_for_children)
			FAIL("thread: links");
		/* Every thread not yet released is charged to its real user. */
		if (!th->cred.cred || !(th->cred.flags & PM_CRED_SLOT_NPROC_CHARGED) ||
		    pm_cred_nproc_count(th->cred.cred) < 1)
			FAIL("thread: credentials missing or not charged to RLIMIT_NPROC");
		if (thread_ns_(th) != thread_ns_(p->leader))
			FAIL("thread: threads of one process in different namespaces");
		if (th == p->leader)
			leader_seen = true;
		else if (th->exit_state)
			FAIL("thread: a dead non-leader thread was not released");
		if (!(th->flags & PM_TF_EXITING)) {
			live++;
			if (th->flags & PM_TF_SLEEPING)
				sleeping++;
		} else if (!(th->flags & PM_TF_EXIT_DEFERRED) && th == p->leader &&
		           !th->exit_state) {
			FAIL("thread: exited leader is not a zombie");
		}
		pm_list_for_each (cp, &th->children) {
			const struct pm_process *c = list_centry_(cp, struct pm_process, sibling);

			if (c->real_parent != th || c->exit_state == PM_EXIT_DEAD ||
			    c->table != p->table)
				FAIL("children: child does not point back");
			(*children)++;
		}
		if ((th->flags & PM_TF_EXITING) && !pm_list_empty(&th->children) &&
		    !(th->flags & PM_TF_EXIT_DEFERRED))
			FAIL("children: an exited thread kept children");
	}
	if (!leader_seen || n != p->nr_threads || live != p->live || sleeping != p->nr_sleeping)
		FAIL("thread: list and counts disagree");
	return 0;
}

static int check_process(struct pm_table *t, const struct pm_process *p, uint32_t *children,
                         uint32_t *states, const char **why)
{
	if (p->table != t || p->exit_state == PM_EXIT_DEAD || !p->leader || !p->pgrp || !p->session)
		FAIL("process: links");
	if (p->leader->pid != p->tgid)
		FAIL("process: leader does not hold the process id");
	if (check_threads(p, children, why))
		return -PM_EINVAL;
	if (!p->real_parent != is_global_init_(p))
		FAIL("process: only global init has no parent");
	if (p->real_parent && p->real_parent->process->exit_state == PM_EXIT_DEAD)
		FAIL("process: parent was released");
	if (p->exit_state == PM_EXIT_ZOMBIE &&
	    (p->leader->exit_state != PM_EXIT_ZOMBIE || !group_empty_(p) || p->live))
		FAIL("process: zombie with live threads");
	if (p->live == 0 && !group_exiting_(p))
		FAIL("process: every thread exited without a group exit");
	if ((p->flags & PM_PF_SESSION_LEADER) && p->session != p->tgid)
		FAIL("process: session leader of another session");
	if (p->state_class >= PM_PROC_NSTATES)
		FAIL("process: state");
	if (p->dumpable > PM_SUID_DUMP_ROOT)
		FAIL("process: dumpable mode");
	for (unsigned int r = 0; r < PM_RLIM_NLIMITS; r++)
		if (p->rlim.rlim[r].rlim_cur > p->rlim.rlim[r].rlim_max)
			FAIL("process: a soft limit above its hard limit");
	states[p->state_class]++;
	return 0;
}

int table_check_locked_(struct pm_table *t, const char **why)
{
	uint32_t states[PM_PROC_NSTATES] = {0};
	uint32_t processes = 0, threads = 0, children = 0;
	struct pm_pid *pid;
	pm_pid_t nr = 0;

	if (check_namespaces(t, why))
		return -PM_EINVAL;
	while ((pid = pidmap_next_(&t->root_ns.map, &nr)) != NULL) {
		if (check_pid(pid, why))
			return -PM_EINVAL;
		if (pid->leader_of) {
			if (check_process(t, pid->leader_of, &children, states, why))
				return -PM_EINVAL;
			processes++;
			threads += pid->leader_of->nr_threads;
		}
		nr++;
	}
	if (processes != t->nr_processes || threads != t->nr_threads)
		FAIL("table: process or thread count");
	if (children + (t->init && t->init->process->exit_state != PM_EXIT_DEAD ? 1u : 0u) !=
	    processes)
		FAIL("table: a process is missing from its parent's children");
	for (int i = 0; i < PM_PROC_NSTATES; i++)
		if (states[i] != t->nr_state[i])
			FAIL("table: state counts");
	if (list_len(&t->namespaces) != t->nr_namespaces)
		FAIL("table: namespace list");
	*why = "ok";
	return 0;
}
