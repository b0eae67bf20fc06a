/* SPDX-License-Identifier: MIT */
/*
 * The delivery decision (Linux kernel/signal.c: get_signal,
 * dequeue_signal, do_signal_stop, do_notify_parent_cldstop,
 * signal_delivered, restore_saved_sigmask; arch/x86/kernel/signal.c and
 * arch/riscv/kernel/signal.c: the restart rules of handle_signal and
 * arch_do_signal_or_restart).
 *
 * pm_signal_next() works under the process's sighand lock alone while it
 * only dequeues; job control (stops, reporting stops and continues to the
 * parent) needs the table lock, so it drops the sighand lock, takes both
 * in order and looks again, as get_signal() drops its siglock around
 * is_current_pgrp_orphaned().
 */
#include "signal/signal_internal.h"
#include "table/table_jobctl.h"

/* nsec_to_clock_t: USER_HZ is 100 on both architectures. */
static int64_t clock_ticks(uint64_t ns)
{
	return (int64_t)(ns / 10000000u);
}

void notify_parent_cldstop_(struct pm_process *p, int why)
{
	struct pm_thread *parent = table_real_parent_(p);
	struct pm_thread *leader = table_leader_(p);
	struct sig_send s;
	struct pm_siginfo info;
	struct pm_process *pp;
	const struct pm_sigaction *ka;
	uint64_t ut, st;

	if (!parent)
		return;
	pm_memset(&info, 0, sizeof(info));
	info.si_signo = PM_SIGCHLD;
	info.si_code = why;
	info.u.chld.pid = pm_pid_nr_ns(pm_process_pid(p), pm_thread_pidns(parent));
	info.u.chld.uid = sig_sender_uid_(leader, parent);
	table_times_(p, false, &ut, &st);
	info.u.chld.utime = clock_ticks(ut);
	info.u.chld.stime = clock_ticks(st);
	info.u.chld.status =
	    why == PM_CLD_CONTINUED ? PM_SIGCONT : (table_group_exit_code_(p) & 0x7f);
	s = (struct sig_send){PM_SIGCHLD, &info, false, leader, NULL};
	pp = parent->process;
	sig_lock(pp);
	ka = &pp->sig.sighand->action[PM_SIGCHLD - 1];
	/* SIGCHLD is not sent when ignored or with SA_NOCLDSTOP; the table
	 * wakes the parent's waiters either way. */
	if (ka->sa_handler != PM_SIG_IGN && !(ka->sa_flags & PM_SA_NOCLDSTOP))
		(void)send_signal_locked_(&s, parent, true);
	sig_unlock(pp);
}

/*
 * do_signal_stop: start a group stop (first thread: every other thread
 * that is not stopped is asked to take part) and take part in it. Table
 * and sighand locks held. False when the stop was cancelled (a SIGCONT
 * since the dequeue, a group exit, an exec). *done is set when this
 * thread completed the stop: the caller tells the parent.
 */
static bool do_signal_stop(struct pm_thread *self, int signr, bool *done)
{
	struct pm_process *p = self->process;
	struct pm_sig_process *sp = &p->sig;

	*done = false;
	if (!(self->sig.jobctl & PM_JOBCTL_STOP_PENDING)) {
		uint32_t gstop = PM_JOBCTL_STOP_PENDING | PM_JOBCTL_STOP_CONSUME | (uint32_t)signr;
		struct pm_list *pos;

		if (!(self->sig.jobctl & PM_JOBCTL_STOP_DEQUEUED) || table_group_exiting_(p) ||
		    table_group_exec_(p))
			return false;
		sp->group_stop_count = 0;
		if (jobctl_set_pending_(self, gstop))
			sp->group_stop_count++;
		pm_list_for_each (pos, &sp->threads) {
			struct pm_thread *o = sig_thread_of(pos);

			if (o == self || (o->sig.jobctl & PM_JOBCTL_STOPPED))
				continue;
			if (jobctl_set_pending_(o, gstop)) {
				sp->group_stop_count++;
				signal_wake_up_(o, false);
			}
		}
	}
	*done = participate_group_stop_(self);
	self->sig.jobctl |= PM_JOBCTL_STOPPED;
	return true;
}

int sig_dequeue_(struct pm_thread *self, pm_sigset_t blocked, struct pm_siginfo *info)
{
	struct pm_process *p = self->process;
	int sig = sig_next_(self->sig.pending.signal, blocked);

	if (sig) {
		sigq_collect_(p, &self->sig.pending, sig, info);
	} else {
		sig = sig_next_(p->sig.shared_pending.signal, blocked);
		if (sig)
			sigq_collect_(p, &p->sig.shared_pending, sig, info);
	}
	recalc_sigpending_(self);
	/* A later SIGCONT must still cancel the stop this signal starts. */
	if (sig && sig_kernel_stop(sig))
		self->sig.jobctl |= PM_JOBCTL_STOP_DEQUEUED;
	return sig;
}

static void handler_decision(struct pm_thread *self, int sig, struct pm_sigaction *ka,
                             pm_uaddr_t sp, struct pm_sig_delivery *out)
{
	pm_sigset_t mask = self->sig.blocked | ka->sa_mask;

	out->action = PM_SIGACT_HANDLER;
	out->signo = sig;
	out->ka = *ka;
	/* SA_RESETHAND (SA_ONESHOT) resets the disposition before it runs. */
	if (ka->sa_flags & PM_SA_RESETHAND)
		ka->sa_handler = PM_SIG_DFL;
	if (!(out->ka.sa_flags & PM_SA_NODEFER))
		mask |= M(sig);
	out->handler_mask = mask & ~PM_SIG_UNBLOCKABLE;
	out->saved_mask = self->sig.restore_sigmask ? self->sig.saved_sigmask : self->sig.blocked;
	out->altstack = self->sig.altstack;
	out->on_altstack =
	    (out->ka.sa_flags & PM_SA_ONSTACK) && pm_sas_ss_flags_(&self->sig.altstack, sp) == 0;
}

enum step { STEP_DONE, STEP_NEED_TABLE, STEP_STOPPED_NOTIFY };

_Static_assert(offsetof(struct pm_sig_delivery, ka) ==
                   offsetof(struct pm_sig_delivery, info) + sizeof(struct pm_siginfo),
               "pm_signal_next clears everything around info");

/* A decision without a dequeued siginfo (a dequeue writes all of it). */
static void no_info(struct pm_sig_delivery *out)
{
	pm_memset(&out->info, 0, sizeof(out->info));
}

/*
 * One pass of get_signal's loop under the locks held. STEP_NEED_TABLE:
 * the caller retakes both locks and calls again (*stop_sig keeps a stop
 * signal already dequeued). STEP_STOPPED_NOTIFY: this thread completed a
 * group stop with signal *stop_sig; the caller reports it.
 */
static enum step next_locked(struct pm_thread *self, bool tlocked, int *stop_sig, pm_uaddr_t sp,
                             struct pm_sig_delivery *out)
{
	struct pm_process *p = self->process;
	struct pm_sighand *sh = p->sig.sighand;
	int sig = *stop_sig;

	*stop_sig = 0;
	for (;;) {
		struct pm_sigaction *ka;
		bool done;

		if (!sig) {
			/* Marked for death: a group exit, a fatal signal, an exec. */
			if (fatal_pending(self)) {
				self->sig.pending.signal &= ~M(PM_SIGKILL);
				recalc_sigpending_(self);
				out->action = PM_SIGACT_EXIT;
				out->signo = PM_SIGKILL;
				no_info(out);
				out->info.si_signo = PM_SIGKILL;
				return STEP_DONE;
			}
			if (self->sig.jobctl & PM_JOBCTL_STOP_PENDING) {
				if (!tlocked)
					return STEP_NEED_TABLE;
				if (do_signal_stop(self, 0, &done)) {
					out->action = PM_SIGACT_STOP;
					no_info(out);
					*stop_sig =
					    (int)(self->sig.jobctl & PM_JOBCTL_STOP_SIGMASK);
					return done ? STEP_STOPPED_NOTIFY : STEP_DONE;
				}
			}
			if (self->sig.jobctl & PM_JOBCTL_STOPPED) {
				out->action = PM_SIGACT_STOP;
				no_info(out);
				return STEP_DONE;
			}
			sig = sigq_dequeue_sync_(self, &out->info);
			if (sig)
				recalc_sigpending_(self);
			else
				sig = sig_dequeue_(self, self->sig.blocked, &out->info);
			if (!sig) {
				out->action = PM_SIGACT_NONE;
				no_info(out);
				return STEP_DONE;
			}
		}
		ka = &sh->action[sig - 1];
		if (ka->sa_handler == PM_SIG_IGN) {
			sig = 0;
			continue;
		}
		if (ka->sa_handler != PM_SIG_DFL) {
			handler_decision(self, sig, ka, sp, out);
			return STEP_DONE;
		}
		/* The default action. */
		if (sig_kernel_ignore(sig) ||
		    ((p->sig.flags & PM_SIGP_UNKILLABLE) && !sig_kernel_only(sig))) {
			sig = 0;
			continue;
		}
		if (sig_kernel_stop(sig)) {
			if (!tlocked) {
				*stop_sig = sig;
				return STEP_NEED_TABLE;
			}
			/* Job-control stops do nothing in an orphaned group. */
			if (sig != PM_SIGSTOP && table_jobctl_pgrp_orphaned_(p)) {
				sig = 0;
				continue;
			}
			if (do_signal_stop(self, sig, &done)) {
				out->action = PM_SIGACT_STOP;
				out->signo = sig;
				*stop_sig = sig;
				return done ? STEP_STOPPED_NOTIFY : STEP_DONE;
			}
			sig = 0; /* cancelled by a SIGCONT meanwhile */
			continue;
		}
		out->action = sig_kernel_coredump(sig) ? PM_SIGACT_COREDUMP : PM_SIGACT_EXIT;
		out->signo = sig;
		return STEP_DONE;
	}
}

int pm_signal_next(struct pm_thread *self, pm_uaddr_t sp, struct pm_sig_delivery *out)
{
	struct pm_process *p = self->process;
	struct pm_table *tb = p->table;
	bool tlocked = false;
	int stop_sig = 0;
	enum step st;

	/* info is written by the dequeue, or cleared by no_info(). */
	pm_memset(out, 0, offsetof(struct pm_sig_delivery, info));
	pm_memset(&out->ka, 0, sizeof(*out) - offsetof(struct pm_sig_delivery, ka));
	if (self->sig.exiting) {
		no_info(out);
		return -PM_ESRCH;
	}
	for (;;) {
		if (tlocked)
			pm_table_lock(tb);
		sig_lock(p);
		/* A stop or continue the parent has not heard of (SIGNAL_CLD_MASK). */
		if (p->sig.flags & PM_SIGP_CLD) {
			if (tlocked) {
				p->sig.flags &= ~PM_SIGP_CLD;
				sig_unlock(p);
				table_jobctl_report_(p);
				sig_lock(p);
			} else {
				st = STEP_NEED_TABLE;
				goto again;
			}
		}
		st = next_locked(self, tlocked, &stop_sig, sp, out);
	again:
		sig_unlock(p);
		if (st == STEP_STOPPED_NOTIFY)
			table_jobctl_stopped_(p, stop_sig);
		if (tlocked)
			pm_table_unlock(tb);
		if (st != STEP_NEED_TABLE)
			break;
		/* Job control may tell the parent (SIGCHLD with CLD_STOPPED or
		 * CLD_CONTINUED) under the locks: have its record ready, as
		 * Linux's GFP_ATOMIC allocation would (failure only loses the
		 * siginfo). */
		(void)pm_sig_pool_fill(tb, 2);
		tlocked = true;
	}
	return (int)out->action;
}

void pm_sig_delivered(struct pm_thread *self, const struct pm_sig_delivery *d)
{
	struct pm_process *p = self->process;

	sig_lock(p);
	/* The frame holds a sigsuspend's saved mask now. */
	self->sig.restore_sigmask = 0;
	set_task_blocked_(self, d->handler_mask & ~PM_SIG_UNBLOCKABLE);
	sig_unlock(p);
	if (self->sig.altstack.ss_flags & PM_SS_AUTODISARM) {
		self->sig.altstack.ss_sp = 0;
		self->sig.altstack.ss_size = 0;
		self->sig.altstack.ss_flags = PM_SS_DISABLE;
	}
}

enum pm_restart_action pm_sig_restart_action(int64_t syscall_ret,
                                             const struct pm_sig_delivery *handler)
{
	switch (syscall_ret) {
	case -PM_ERESTART_RESTARTBLOCK:
		return handler ? PM_RESTART_EINTR : PM_RESTART_RESTARTBLOCK;
	case -PM_ERESTARTNOHAND:
		return handler ? PM_RESTART_EINTR : PM_RESTART_AGAIN;
	case -PM_ERESTARTSYS:
		if (handler && !(handler->ka.sa_flags & PM_SA_RESTART))
			return PM_RESTART_EINTR;
		return PM_RESTART_AGAIN;
	case -PM_ERESTARTNOINTR:
		return PM_RESTART_AGAIN;
	default:
		return PM_RESTART_NONE;
	}
}

void pm_sig_restore_sigmask(struct pm_thread *self)
{
	struct pm_process *p = self->process;

	if (!self->sig.restore_sigmask)
		return;
	sig_lock(p);
	self->sig.restore_sigmask = 0;
	set_task_blocked_(self, self->sig.saved_sigmask);
	sig_unlock(p);
}

void pm_sig_set_blocked(struct pm_thread *self, pm_sigset_t mask)
{
	struct pm_process *p = self->process;

	mask &= ~PM_SIG_UNBLOCKABLE;
	if (mask == self->sig.blocked)
		return;
	sig_lock(p);
	set_task_blocked_(self, mask);
	sig_unlock(p);
}

bool pm_sig_pending(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	bool r;

	sig_lock(p);
	r = self->sig.sigpending || recalc_sigpending_tsk_(self) || (p->sig.flags & PM_SIGP_CLD);
	sig_unlock(p);
	return r;
}

bool pm_sig_thread_stopped(struct pm_thread *t)
{
	struct pm_process *p = t->process;
	bool r;

	sig_lock(p);
	r = (t->sig.jobctl & PM_JOBCTL_STOPPED) != 0;
	sig_unlock(p);
	return r;
}
