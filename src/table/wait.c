/* SPDX-License-Identifier: MIT */
/*
 * wait4 and waitid (Linux kernel/exit.c: kernel_wait4, kernel_waitid,
 * do_wait, do_wait_pid, do_wait_thread, wait_consider_task,
 * eligible_child, wait_task_zombie, wait_task_stopped,
 * wait_task_continued). A wait that would sleep returns -PM_EAGAIN; the
 * kernel sleeps until PM_EVENT_CHILD_STATE names the caller's process.
 */
#include "table/table_wait.h"
#include "table/table_cred.h"
#include "hal/pm_string.h"

#define WAIT4_OPTIONS \
	(PM_WNOHANG | PM_WUNTRACED | PM_WCONTINUED | PM_WNOTHREAD | PM_WCLONE | PM_WALL)
#define WAITID_OPTIONS                                                                       \
	(PM_WNOHANG | PM_WNOWAIT | PM_WEXITED | PM_WSTOPPED | PM_WCONTINUED | PM_WNOTHREAD | \
	 PM_WCLONE | PM_WALL)

enum wait_type { WAIT_ANY, WAIT_PID, WAIT_PGID };

struct wait_opts {
	enum wait_type type;
	struct pm_pid *pid;
	int flags;
	struct pm_thread *self;
	struct pm_wait_result *res;
	int notask_error;
};

void process_rusage_(const struct pm_process *p, bool with_children, struct pm_rusage *out)
{
	struct pm_list *pos;

	*out = p->dead;
	pm_list_for_each (pos, &p->threads)
		rusage_add_(out, &pm_list_entry(pos, struct pm_thread, group_node)->rusage);
	if (with_children)
		rusage_add_(out, &p->children);
}

static bool eligible_child(const struct wait_opts *wo, const struct pm_process *p)
{
	if (wo->type == WAIT_PID && p->leader->pid != wo->pid)
		return false;
	if (wo->type == WAIT_PGID && p->pgrp != wo->pid)
		return false;
	if (wo->flags & PM_WALL)
		return true;
	/* "Clone children" report with another signal than SIGCHLD. */
	return (p->exit_signal != TSIG_CHLD) == ((wo->flags & PM_WCLONE) != 0);
}

static void fill(struct wait_opts *wo, const struct pm_process *p, int code, int status)
{
	struct pm_wait_result *r = wo->res;

	if (!r)
		return;
	r->pid = pid_vnr_(p->tgid, wo->self);
	r->signo = TSIG_CHLD;
	r->code = code;
	r->cld_status = status;
	r->uid = table_cred_uid_(p->leader, wo->self);
	process_rusage_(p, true, &r->rusage);
}

static void fill_exit(struct wait_opts *wo, const struct pm_process *p, int status)
{
	if ((status & 0x7f) == 0)
		fill(wo, p, PM_CLD_EXITED, (status >> 8) & 0xff);
	else
		fill(wo, p, (status & 0x80) ? PM_CLD_DUMPED : PM_CLD_KILLED, status & 0x7f);
	if (wo->res)
		wo->res->status = status;
}

static int exit_status(const struct pm_process *p)
{
	return group_exiting_(p) ? p->group_exit_code : p->leader->exit_code;
}

void wait_reap_zombie_(struct pm_process *waiter, struct pm_process *child,
                       struct pm_wait_result *res)
{
	struct wait_opts wo = {WAIT_ANY, NULL, PM_WEXITED, waiter->leader, res, 0};
	struct pm_rusage all;

	PM_ASSERT(child->exit_state == PM_EXIT_ZOMBIE);
	/* The parent's c* totals take the child's group and its c* totals. */
	process_rusage_(child, true, &all);
	rusage_add_(&waiter->children, &all);
	fill_exit(&wo, child, exit_status(child));
	child->exit_state = PM_EXIT_DEAD;
	release_task_(child->leader);
}

static int wait_task_zombie(struct wait_opts *wo, struct pm_process *p)
{
	if (!(wo->flags & PM_WEXITED))
		return 0;
	if (wo->flags & PM_WNOWAIT)
		fill_exit(wo, p, exit_status(p));
	else
		wait_reap_zombie_(wo->self->process, p, wo->res);
	return 1;
}

static int wait_task_stopped(struct wait_opts *wo, struct pm_process *p)
{
	int code;

	if (!(wo->flags & PM_WUNTRACED))
		return 0;
	if (!(p->sigflags & PM_SIGNAL_STOP_STOPPED) || !p->group_exit_code)
		return 0;
	code = p->group_exit_code;
	if (!(wo->flags & PM_WNOWAIT))
		p->group_exit_code = 0;
	fill(wo, p, PM_CLD_STOPPED, code);
	if (wo->res && !(wo->flags & PM_WNOWAIT))
		wo->res->status = (code << 8) | 0x7f;
	return 1;
}

static int wait_task_continued(struct wait_opts *wo, struct pm_process *p)
{
	if (!(wo->flags & PM_WCONTINUED) || !(p->sigflags & PM_SIGNAL_STOP_CONTINUED))
		return 0;
	if (!(wo->flags & PM_WNOWAIT))
		p->sigflags &= ~PM_SIGNAL_STOP_CONTINUED;
	fill(wo, p, PM_CLD_CONTINUED, TSIG_CONT);
	if (wo->res)
		wo->res->status = 0xffff;
	return 1;
}

static int wait_consider_task(struct wait_opts *wo, struct pm_process *p)
{
	int ret;

	if (p->exit_state == PM_EXIT_DEAD || !eligible_child(wo, p))
		return 0;
	if (p->leader->exit_state == PM_EXIT_ZOMBIE) {
		/* A leader whose other threads live is not reaped yet. */
		if (group_empty_(p))
			return wait_task_zombie(wo, p);
		wo->notask_error = 0;
	} else {
		wo->notask_error = 0;
	}
	ret = wait_task_stopped(wo, p);
	if (ret)
		return ret;
	return wait_task_continued(wo, p);
}

static bool is_effectively_child(const struct wait_opts *wo, const struct pm_process *target)
{
	const struct pm_thread *parent = target->real_parent;

	return parent == wo->self ||
	       (!(wo->flags & PM_WNOTHREAD) && parent && parent->process == wo->self->process);
}

static int do_wait_thread(struct wait_opts *wo, struct pm_thread *tsk)
{
	struct pm_list *pos;

	pm_list_for_each (pos, &tsk->children) {
		int ret = wait_consider_task(wo, pm_list_entry(pos, struct pm_process, sibling));

		if (ret)
			return ret;
	}
	return 0;
}

static int do_wait(struct wait_opts *wo)
{
	struct pm_thread *self = wo->self;
	int ret = 0;

	wo->notask_error = -PM_ECHILD;
	if (wo->type == WAIT_PID) {
		struct pm_process *target = wo->pid ? wo->pid->leader_of : NULL;

		if (target && is_effectively_child(wo, target))
			ret = wait_consider_task(wo, target);
	} else if (wo->type != WAIT_PGID || (wo->pid && !pm_list_empty(&wo->pid->pgrp_members))) {
		struct pm_thread *tsk = self;

		do {
			struct pm_list *next;

			ret = do_wait_thread(wo, tsk);
			if (ret || (wo->flags & PM_WNOTHREAD))
				break;
			next = tsk->group_node.next;
			if (next == &self->process->threads)
				next = next->next;
			tsk = pm_list_entry(next, struct pm_thread, group_node);
		} while (tsk != self);
	}
	if (ret)
		return ret;
	if (wo->notask_error)
		return wo->notask_error;
	return (wo->flags & PM_WNOHANG) ? 0 : -PM_EAGAIN;
}

static int run_wait(struct wait_opts *wo, bool pgid_self, pm_pid_t nr)
{
	struct pm_thread *self = wo->self;
	struct pm_table *t = self->process->table;
	int ret;

	tlock(t);
	if (self->flags & PM_TF_EXITING) {
		tunlock(t);
		return -PM_ESRCH;
	}
	if (pgid_self)
		wo->pid = self->process->pgrp;
	else if (wo->type != WAIT_ANY)
		wo->pid = pidmap_find_(&thread_ns_(self)->map, nr);
	ret = do_wait(wo);
	table_run_deferred_(t);
	tunlock(t);
	return ret;
}

int pm_wait4(struct pm_thread *self, pm_pid_t upid, int options, struct pm_wait_result *res)
{
	struct wait_opts wo = {WAIT_ANY, NULL, 0, self, res, 0};
	bool pgid_self = false;
	pm_pid_t nr = 0;
	int ret;

	if (!self || !res)
		return -PM_EINVAL;
	if (options & ~WAIT4_OPTIONS)
		return -PM_EINVAL;
	if (upid == INT32_MIN)
		return -PM_ESRCH;
	pm_memset(res, 0, sizeof(*res));
	if (upid < -1) {
		wo.type = WAIT_PGID;
		nr = -upid;
	} else if (upid == 0) {
		wo.type = WAIT_PGID;
		pgid_self = true;
	} else if (upid > 0) {
		wo.type = WAIT_PID;
		nr = upid;
	}
	wo.flags = options | PM_WEXITED;
	ret = run_wait(&wo, pgid_self, nr);
	if (ret < 0) {
		pm_memset(res, 0, sizeof(*res));
		return ret;
	}
	if (ret == 0)
		pm_memset(res, 0, sizeof(*res));
	return 0;
}

int pm_waitid(struct pm_thread *self, int idtype, pm_pid_t id, int options,
              struct pm_wait_result *res)
{
	struct wait_opts wo = {WAIT_ANY, NULL, options, self, res, 0};
	bool pgid_self = false;
	int ret;

	if (!self || !res)
		return -PM_EINVAL;
	if (options & ~WAITID_OPTIONS)
		return -PM_EINVAL;
	if (!(options & (PM_WEXITED | PM_WSTOPPED | PM_WCONTINUED)))
		return -PM_EINVAL;
	switch (idtype) {
	case PM_P_ALL:
		break;
	case PM_P_PID:
		if (id <= 0)
			return -PM_EINVAL;
		wo.type = WAIT_PID;
		break;
	case PM_P_PGID:
		if (id < 0)
			return -PM_EINVAL;
		wo.type = WAIT_PGID;
		pgid_self = id == 0;
		break;
	default:
		return -PM_EINVAL;
	}
	pm_memset(res, 0, sizeof(*res));
	ret = run_wait(&wo, pgid_self, id);
	if (ret <= 0)
		pm_memset(res, 0, sizeof(*res));
	return ret < 0 ? ret : 0;
}
