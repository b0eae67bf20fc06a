/* SPDX-License-Identifier: MIT */
/*
 * A thread's own signal state: its mask, what it waits for and its
 * alternate stack (Linux kernel/signal.c: sys_rt_sigprocmask, sigprocmask,
 * do_sigpending, sigsuspend, sys_pause, do_sigtimedwait, do_sigaltstack,
 * restore_altstack; include/linux/sched/signal.h: on_sig_stack,
 * sas_ss_flags).
 */
#include "signal/signal_internal.h"
#include "hal/pm_uaccess.h"

/* ---- the mask ------------------------------------------------------------------- */

pm_sigset_t pm_sig_blocked(const struct pm_thread *self)
{
	return self->sig.blocked;
}

int pm_sigprocmask(struct pm_thread *self, int how, const pm_sigset_t *set, pm_sigset_t *oset)
{
	pm_sigset_t old = self->sig.blocked, newset;

	if (set) {
		pm_sigset_t s = *set & ~PM_SIG_UNBLOCKABLE;

		switch (how) {
		case PM_SIG_BLOCK:
			newset = old | s;
			break;
		case PM_SIG_UNBLOCK:
			newset = old & ~s;
			break;
		case PM_SIG_SETMASK:
			newset = s;
			break;
		default:
			return -PM_EINVAL;
		}
		/* __set_current_blocked: nothing to do for an unchanged mask. */
		if (newset != old) {
			sig_lock(self->process);
			set_task_blocked_(self, newset);
			sig_unlock(self->process);
		}
	}
	if (oset)
		*oset = old;
	return 0;
}

int pm_rt_sigprocmask(struct pm_thread *self, int how, pm_uaddr_t uset, pm_uaddr_t uoset,
                      size_t sigsetsize)
{
	pm_sigset_t set, old;
	int err;

	if (sigsetsize != sizeof(pm_sigset_t))
		return -PM_EINVAL;
	if (uset && pm_copy_from_user(&set, uset, sizeof(set)))
		return -PM_EFAULT;
	err = pm_sigprocmask(self, how, uset ? &set : NULL, &old);
	if (err)
		return err;
	if (uoset && pm_copy_to_user(uoset, &old, sizeof(old)))
		return -PM_EFAULT;
	return 0;
}

pm_sigset_t pm_sigpending(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	pm_sigset_t set;

	sig_lock(p);
	set = self->sig.pending.signal | p->sig.shared_pending.signal;
	sig_unlock(p);
	return set & self->sig.blocked;
}

int pm_rt_sigpending(struct pm_thread *self, pm_uaddr_t uset, size_t sigsetsize)
{
	pm_sigset_t set;

	if (sigsetsize > sizeof(pm_sigset_t))
		return -PM_EINVAL;
	set = pm_sigpending(self);
	return pm_copy_to_user(uset, &set, sigsetsize) ? -PM_EFAULT : 0;
}

/* ---- waiting -------------------------------------------------------------------------- */

static bool pending_now(struct pm_thread *self)
{
	return self->sig.sigpending || recalc_sigpending_tsk_(self);
}

int pm_sigsuspend(struct pm_thread *self, pm_sigset_t mask)
{
	struct pm_process *p = self->process;
	bool pending;

	sig_lock(p);
	self->sig.saved_sigmask = self->sig.blocked;
	set_task_blocked_(self, mask & ~PM_SIG_UNBLOCKABLE);
	/* The saved mask comes back when the handler's frame returns, or at
	 * once if no handler runs (set_restore_sigmask). */
	self->sig.restore_sigmask = 1;
	pending = pending_now(self);
	sig_unlock(p);
	return pending ? -PM_ERESTARTNOHAND : -PM_EAGAIN;
}

int pm_rt_sigsuspend(struct pm_thread *self, pm_uaddr_t umask, size_t sigsetsize)
{
	pm_sigset_t mask;

	if (sigsetsize != sizeof(pm_sigset_t))
		return -PM_EINVAL;
	if (pm_copy_from_user(&mask, umask, sizeof(mask)))
		return -PM_EFAULT;
	return pm_sigsuspend(self, mask);
}

int pm_sig_pause(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	bool pending;

	sig_lock(p);
	pending = pending_now(self);
	sig_unlock(p);
	return pending ? -PM_ERESTARTNOHAND : -PM_EAGAIN;
}

/* dequeue_signal with a mask: only signals of `set`, own queue first. */
static int take_from(struct pm_thread *self, pm_sigset_t set, struct pm_siginfo *info)
{
	struct pm_siginfo tmp;

	return sig_dequeue_(self, ~set, info ? info : &tmp);
}

int pm_sigtimedwait(struct pm_thread *self, pm_sigset_t set, bool block, struct pm_siginfo *info)
{
	struct pm_process *p = self->process;
	int sig;

	set &= ~PM_SIG_UNBLOCKABLE;
	sig_lock(p);
	sig = take_from(self, set, info);
	if (!sig && block) {
		/* Unblock them for the wait; real_blocked keeps them from being
		 * ignored meanwhile. */
		self->sig.real_blocked = self->sig.blocked;
		self->sig.blocked &= ~set;
		recalc_sigpending_(self);
	}
	sig_unlock(p);
	return sig ? sig : -PM_EAGAIN;
}

int pm_sigtimedwait_finish(struct pm_thread *self, pm_sigset_t set, bool woken,
                           struct pm_siginfo *info)
{
	struct pm_process *p = self->process;
	int sig;

	set &= ~PM_SIG_UNBLOCKABLE;
	sig_lock(p);
	set_task_blocked_(self, self->sig.real_blocked);
	self->sig.real_blocked = 0;
	sig = take_from(self, set, info);
	sig_unlock(p);
	if (sig)
		return sig;
	return woken ? -PM_EINTR : -PM_EAGAIN;
}

/* ---- the alternate stack ------------------------------------------------------------------- */

int pm_sigaltstack(struct pm_thread *self, const struct pm_stack *ss, struct pm_stack *oss,
                   pm_uaddr_t sp, uint64_t min_size)
{
	struct pm_stack *cur = &self->sig.altstack;
	struct pm_stack old;

	pm_memset(&old, 0, sizeof(old));
	old.ss_sp = cur->ss_sp;
	old.ss_size = cur->ss_size;
	old.ss_flags = pm_sas_ss_flags_(cur, sp) | (cur->ss_flags & PM_SS_FLAG_BITS);
	if (ss) {
		int32_t mode = ss->ss_flags & ~PM_SS_FLAG_BITS;

		if (pm_on_sig_stack_(cur, sp))
			return -PM_EPERM;
		if (mode != PM_SS_DISABLE && mode != PM_SS_ONSTACK && mode != 0)
			return -PM_EINVAL;
		if (cur->ss_sp != ss->ss_sp || cur->ss_size != ss->ss_size ||
		    cur->ss_flags != ss->ss_flags) {
			pm_uaddr_t base = ss->ss_sp;
			uint64_t size = ss->ss_size;

			if (mode == PM_SS_DISABLE) {
				base = 0;
				size = 0;
			} else if (size < (min_size ? min_size : PM_MINSIGSTKSZ)) {
				return -PM_ENOMEM;
			}
			cur->ss_sp = base;
			cur->ss_size = size;
			cur->ss_flags = ss->ss_flags;
		}
	}
	if (oss)
		*oss = old;
	return 0;
}

int pm_sys_sigaltstack(struct pm_thread *self, pm_uaddr_t uss, pm_uaddr_t uoss, pm_uaddr_t sp,
                       uint64_t min_size)
{
	struct pm_stack ss, oss;
	int err;

	if (uss && pm_copy_from_user(&ss, uss, sizeof(ss)))
		return -PM_EFAULT;
	err = pm_sigaltstack(self, uss ? &ss : NULL, uoss ? &oss : NULL, sp, min_size);
	if (!err && uoss && pm_copy_to_user(uoss, &oss, sizeof(oss)))
		err = -PM_EFAULT;
	return err;
}

void pm_sig_restore_altstack(struct pm_thread *self, const struct pm_stack *ss, pm_uaddr_t sp)
{
	/* Errors other than a fault are squashed, as Linux does. */
	(void)pm_sigaltstack(self, ss, NULL, sp, PM_MINSIGSTKSZ);
}

void pm_sig_altstack(const struct pm_thread *self, struct pm_stack *out)
{
	*out = self->sig.altstack;
}
