/* SPDX-License-Identifier: MIT */
/*
 * The prctl options of the process table (Linux kernel/sys.c: prctl
 * PR_SET/GET_PDEATHSIG, PR_SET/GET_CHILD_SUBREAPER,
 * propagate_has_child_subreaper over walk_process_tree).
 */
#include "table/table_internal.h"

int pm_set_pdeathsig(struct pm_thread *self, int sig)
{
	struct pm_table *t = self->process->table;

	if (!valid_signal_(sig))
		return -PM_EINVAL;
	tlock(t);
	self->pdeath_signal = sig;
	tunlock(t);
	return 0;
}

int pm_get_pdeathsig(struct pm_thread *self)
{
	struct pm_table *t = self->process->table;
	int sig;

	tlock(t);
	sig = self->pdeath_signal;
	tunlock(t);
	return sig;
}

/* Mark c has_child_subreaper; false to skip its subtree (already marked,
 * which its descendants then are too, or a namespace init whose
 * descendants never leave its namespace). */
static bool propagate_visit(struct pm_process *c)
{
	if ((c->flags & PM_PF_HAS_SUBREAPER) || pid_is_child_reaper_(c->tgid))
		return false;
	c->flags |= PM_PF_HAS_SUBREAPER;
	return true;
}

static struct pm_thread *first_thread(const struct pm_process *p)
{
	return pm_list_entry(p->threads.next, struct pm_thread, group_node);
}

/* walk_process_tree without recursion: depth first over the children of
 * every thread, climbing back up through real_parent. */
static void propagate_has_child_subreaper(struct pm_process *top)
{
	struct pm_process *proc = top;
	struct pm_thread *th = first_thread(top);
	struct pm_list *pos = &th->children;

	for (;;) {
		if (pos->next != &th->children) {
			struct pm_process *c;

			pos = pos->next;
			c = pm_list_entry(pos, struct pm_process, sibling);
			if (propagate_visit(c)) {
				proc = c;
				th = first_thread(c);
				pos = &th->children;
			}
			continue;
		}
		if (th->group_node.next != &proc->threads) {
			th = pm_list_entry(th->group_node.next, struct pm_thread, group_node);
			pos = &th->children;
			continue;
		}
		if (proc == top)
			break;
		/* Back up: continue after proc in its parent thread's list. */
		pos = &proc->sibling;
		th = proc->real_parent;
		proc = th->process;
	}
}

int pm_set_child_subreaper(struct pm_thread *self, unsigned long on)
{
	struct pm_process *p = self->process;
	struct pm_table *t = p->table;

	tlock(t);
	if (on) {
		p->flags |= PM_PF_IS_SUBREAPER;
		propagate_has_child_subreaper(p);
	} else {
		p->flags &= ~PM_PF_IS_SUBREAPER;
	}
	tunlock(t);
	return 0;
}

int pm_get_child_subreaper(struct pm_thread *self)
{
	struct pm_table *t = self->process->table;
	int r;

	tlock(t);
	r = (self->process->flags & PM_PF_IS_SUBREAPER) ? 1 : 0;
	tunlock(t);
	return r;
}
