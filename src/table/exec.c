/* SPDX-License-Identifier: MIT */
/*
 * The process-table side of execve (Linux fs/exec.c: de_thread,
 * begin_new_exec; kernel/pid.c: exchange_tids).
 */
#include "table/table_internal.h"
#include "table/table_signal.h"

int pm_exec_dethread(struct pm_thread *self, uint32_t *left)
{
	struct pm_process *p = self->process;
	struct pm_table *t = p->table;
	struct pm_list *pos;
	int err = 0;

	tlock(t);
	if (self->flags & PM_TF_EXITING) {
		err = -PM_ESRCH;
	} else if (group_empty_(p) || p->group_exec_task == self) {
		*left = p->live - 1;
	} else if (group_exiting_(p) || p->group_exec_task) {
		/* Another group action is in progress: let it happen. */
		err = -PM_EAGAIN;
	} else {
		p->group_exec_task = self;
		pm_list_for_each (pos, &p->threads) {
			struct pm_thread *th = pm_list_entry(pos, struct pm_thread, group_node);

			if (th != self && !(th->flags & PM_TF_EXITING))
				table_sig_wake_to_die_(th);
		}
		*left = p->live - 1;
	}
	tunlock(t);
	return err;
}

/* The exec'ing thread takes the zombie leader's pid; the leader goes. */
static void take_leadership(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	struct pm_thread *leader = p->leader;
	struct pm_pid *mine = self->pid;

	PM_ASSERT(leader->exit_state == PM_EXIT_ZOMBIE);
	self->pid = leader->pid;
	self->pid->thread = self;
	leader->pid = mine;
	mine->thread = leader;
	p->leader = self;
	if (p->table->init == leader)
		p->table->init = self;
	/* The leader comes first in the thread list. */
	pm_list_del(&self->group_node);
	pm_list_add(&self->group_node, &p->threads);
	leader->exit_state = PM_EXIT_DEAD;
	release_task_(leader);
}

int pm_exec_dethread_commit(struct pm_thread *self, bool secureexec)
{
	struct pm_process *p = self->process;
	struct pm_table *t = p->table;
	int err = 0;

	tlock(t);
	if (self->flags & PM_TF_EXITING) {
		err = -PM_ESRCH;
	} else if (p->live != 1) {
		err = -PM_EBUSY;
	} else {
		if (!thread_is_leader_(self))
			take_leadership(self);
		p->group_exec_task = NULL;
		p->exit_signal = TSIG_CHLD;
		p->flags &= ~PM_PF_FORKNOEXEC;
		self->self_exec_id++;
		self->vfork_parent = NULL;
		/* A new address space and private handlers (unshare_sighand). */
		pm_list_del(&p->vm_peers);
		pm_list_del(&p->sighand_peers);
		p->dumpable = PM_SUID_DUMP_USER;
		if (secureexec)
			self->pdeath_signal = 0;
		table_state_update_(p);
	}
	table_run_deferred_(t);
	tunlock(t);
	return err;
}
