/* SPDX-License-Identifier: MIT */
/*
 * The signal module's side of the process table's seam
 * (src/table/table_signal.h): what Linux's kernel/fork.c (copy_sighand,
 * copy_signal, copy_process, task_join_group_stop), kernel/exit.c
 * (exit_signals, __exit_signal, do_notify_parent, forget_original_parent,
 * kill_orphaned_pgrp), kernel/pid_namespace.c (zap_pid_ns_processes) and
 * fs/exec.c (zap_other_threads) ask of kernel/signal.c. Called with
 * PM_LOCK_TABLE held unless noted.
 */
#include "signal/signal_internal.h"
#include "table/table_jobctl.h"
#include "table/table_signal.h"

/* ---- the table object ------------------------------------------------------------- */

void table_sig_table_init_(struct pm_table *t)
{
	pool_init_(&t->sigpool);
}

void table_sig_table_destroy_(struct pm_table *t)
{
	pool_destroy_(&t->sigpool);
}

void table_sig_preload_(struct pm_table *t)
{
	(void)pm_sig_pool_fill(t, PM_SIG_RESERVE);
}

/* ---- creation ------------------------------------------------------------------------ */

void table_sig_clone_prepare_(uint64_t flags, struct table_sig_prep *prep)
{
	prep->sighand = (flags & PM_CLONE_SIGHAND) ? NULL : sighand_alloc_();
}

bool table_sig_clone_ready_(const struct table_sig_prep *prep, uint64_t flags)
{
	return (flags & PM_CLONE_SIGHAND) || prep->sighand;
}

void table_sig_clone_release_(struct table_sig_prep *prep)
{
	if (prep->sighand) {
		pm_hal_lock_destroy(&prep->sighand->lock);
		pm_hal_free(prep->sighand, sizeof(*prep->sighand));
		prep->sighand = NULL;
	}
}

bool table_sig_clone_pending_(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	bool pending;

	sig_lock(p);
	recalc_sigpending_(self);
	pending = self->sig.sigpending;
	sig_unlock(p);
	return pending;
}

static void thread_init(struct pm_thread *nt, pm_sigset_t blocked, const struct pm_stack *alt)
{
	pm_memset(&nt->sig, 0, sizeof(nt->sig));
	pm_list_init(&nt->sig.node);
	nt->sig.blocked = blocked;
	nt->sig.altstack = *alt;
}

static void process_init(struct pm_process *np, struct pm_sighand *sh, struct pm_thread *nt)
{
	struct pm_sig_process *sp = &np->sig;

	pm_memset(sp, 0, sizeof(*sp));
	sp->sighand = sh;
	pm_list_init(&sp->threads);
	pm_list_add_tail(&nt->sig.node, &sp->threads);
	sp->nr_threads = 1;
	sp->curr_target = nt;
	if (table_unkillable_(np))
		sp->flags |= PM_SIGP_UNKILLABLE;
}

/* task_join_group_stop: a thread created during a group stop takes part. */
static void join_group_stop(struct pm_thread *self, struct pm_thread *nt)
{
	struct pm_sig_process *sp = &self->process->sig;
	uint32_t mask = self->sig.jobctl & PM_JOBCTL_STOP_SIGMASK;

	if (sp->group_stop_count) {
		sp->group_stop_count++;
		mask |= PM_JOBCTL_STOP_CONSUME;
	} else if (!table_jobctl_is_stopped_(self->process)) {
		return;
	}
	(void)jobctl_set_pending_(nt, mask | PM_JOBCTL_STOP_PENDING);
}

void table_sig_clone_(struct pm_thread *self, struct pm_process *np, struct pm_thread *nt,
                      uint64_t flags, struct table_sig_prep *prep)
{
	struct pm_process *cur = self->process;
	struct pm_stack alt = self->sig.altstack;
	struct pm_sighand *sh;

	/* A thread sharing the address space but not waiting for the child
	 * must not share the alternate stack either (sas_ss_reset). */
	if ((flags & (PM_CLONE_VM | PM_CLONE_VFORK)) == PM_CLONE_VM)
		alt = (struct pm_stack){0, PM_SS_DISABLE, 0, 0};
	thread_init(nt, self->sig.blocked, &alt);
	if (!np) {
		sig_lock(cur);
		pm_list_add_tail(&nt->sig.node, &cur->sig.threads);
		cur->sig.nr_threads++;
		join_group_stop(self, nt);
		sig_unlock(cur);
		return;
	}
	if (flags & PM_CLONE_SIGHAND) {
		sh = cur->sig.sighand;
		sh->count++;
	} else {
		sh = prep->sighand;
		prep->sighand = NULL;
		sig_lock(cur);
		pm_memcpy(sh->action, cur->sig.sighand->action, sizeof(sh->action));
		sig_unlock(cur);
		if (flags & PM_CLONE_CLEAR_SIGHAND)
			flush_signal_handlers_(sh, false);
	}
	process_init(np, sh, nt);
}

void table_sig_spawn_init_(struct pm_process *p, struct pm_thread *t, struct table_sig_prep *prep)
{
	static const struct pm_stack none = {0, 0, 0, 0};

	thread_init(t, 0, &none);
	process_init(p, prep->sighand, t);
	prep->sighand = NULL;
}

/* ---- exit ---------------------------------------------------------------------------------- */

void table_sig_thread_exit_(struct pm_thread *t)
{
	struct pm_process *p = t->process;
	bool stopped = false;
	int sig = 0;

	sig_lock(p);
	t->sig.exiting = 1;
	/* Alone or dying with the group: nobody to hand anything to. */
	if (p->sig.nr_threads > 1 && !table_group_exiting_(p) && t->sig.sigpending) {
		retarget_shared_pending_(t, ~t->sig.blocked);
		if (t->sig.jobctl & PM_JOBCTL_STOP_PENDING) {
			sig = (int)(t->sig.jobctl & PM_JOBCTL_STOP_SIGMASK);
			stopped = participate_group_stop_(t);
		}
	}
	sig_unlock(p);
	if (stopped)
		table_jobctl_stopped_(p, sig);
}

void table_sig_thread_release_(struct pm_thread *t)
{
	struct pm_process *p = t->process;
	struct pm_sig_process *sp = &p->sig;

	sig_lock(p);
	if (sp->curr_target == t) {
		struct pm_list *n = t->sig.node.next;

		if (n == &sp->threads)
			n = n->next;
		sp->curr_target = n == &t->sig.node ? NULL : sig_thread_of(n);
	}
	pm_list_del(&t->sig.node);
	sp->nr_threads--;
	sigq_flush_(p, &t->sig.pending);
	t->sig.sigpending = 0;
	sig_unlock(p);
}

void table_sig_process_release_(struct pm_process *p)
{
	struct pm_sighand *sh = p->sig.sighand;

	pm_hal_lock_acquire(&sh->lock);
	sigq_flush_(p, &p->sig.shared_pending);
	pm_hal_lock_release(&sh->lock);
	if (--sh->count == 0)
		sighand_free_(sh, &p->table->sigpool);
	p->sig.sighand = NULL;
	if (p->sig.exec_spare) {
		sighand_free_(p->sig.exec_spare, &p->table->sigpool);
		p->sig.exec_spare = NULL;
	}
}

/* ---- signals the table sends ------------------------------------------------------------------ */

static int64_t ticks(uint64_t ns)
{
	return (int64_t)(ns / 10000000u); /* USER_HZ 100 */
}

bool table_sig_notify_parent_(struct pm_process *child, int sig)
{
	struct pm_thread *parent = table_real_parent_(child);
	struct pm_thread *leader = table_leader_(child);
	int32_t code = table_thread_exit_code_(leader);
	struct pm_process *pp = parent->process;
	const struct pm_sigaction *ka;
	struct pm_siginfo info;
	bool autoreap = false;
	uint64_t ut, st;

	pm_memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.u.chld.pid = pm_pid_nr_ns(pm_process_pid(child), pm_thread_pidns(parent));
	info.u.chld.uid = sig_sender_uid_(leader, parent);
	table_times_(child, true, &ut, &st);
	info.u.chld.utime = ticks(ut);
	info.u.chld.stime = ticks(st);
	info.u.chld.status = code & 0x7f;
	if (code & 0x80) {
		info.si_code = PM_CLD_DUMPED;
	} else if (code & 0x7f) {
		info.si_code = PM_CLD_KILLED;
	} else {
		info.si_code = PM_CLD_EXITED;
		info.u.chld.status = code >> 8;
	}
	sig_lock(pp);
	ka = &pp->sig.sighand->action[PM_SIGCHLD - 1];
	/* POSIX: SIGCHLD set to SIG_IGN or SA_NOCLDWAIT reaps children
	 * automatically; SA_NOCLDWAIT still sends SIGCHLD, SIG_IGN does not. */
	if (sig == PM_SIGCHLD &&
	    (ka->sa_handler == PM_SIG_IGN || (ka->sa_flags & PM_SA_NOCLDWAIT))) {
		autoreap = true;
		if (ka->sa_handler == PM_SIG_IGN)
			sig = 0;
	}
	if (pm_sig_valid(sig)) {
		/* __send_signal_locked: si_pid and si_uid are the parent's view. */
		struct sig_send s = {sig, &info, false, leader, NULL};

		(void)send_signal_force_locked_(&s, parent, true, false);
	}
	sig_unlock(pp);
	return autoreap;
}

void table_sig_notify_cldstop_(struct pm_process *child, int why)
{
	notify_parent_cldstop_(child, why);
}

void table_sig_send_pdeath_(struct pm_thread *sender, struct pm_thread *target, int sig)
{
	(void)group_send_special_(sender, target, sig, false);
}

void table_sig_kill_pgrp_priv_(struct pm_pid *pgrp, int sig)
{
	struct pm_process *p = NULL;

	while ((p = pm_pgrp_next_locked(pgrp, p)) != NULL)
		(void)group_send_special_(NULL, table_leader_(p), sig, true);
}

void table_sig_kill_priv_(struct pm_process *target, int sig)
{
	(void)group_send_special_(NULL, table_leader_(target), sig, true);
}

void table_sig_wake_to_die_(struct pm_thread *t)
{
	struct pm_process *p = t->process;

	sig_lock(p);
	p->sig.group_stop_count = 0;
	jobctl_clear_pending_(t, PM_JOBCTL_STOP_PENDING);
	t->sig.pending.signal |= M(PM_SIGKILL);
	signal_wake_up_(t, true);
	sig_unlock(p);
}

void table_sig_ignore_sigchld_(struct pm_process *p)
{
	sig_lock(p);
	p->sig.sighand->action[PM_SIGCHLD - 1].sa_handler = PM_SIG_IGN;
	sig_unlock(p);
}
