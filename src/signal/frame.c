/* SPDX-License-Identifier: MIT */
/*
 * The whole delivery of one signal, and rt_sigreturn, over the
 * architecture contract of procmgr/arch.h (Linux
 * arch_do_signal_or_restart, handle_signal, setup_rt_frame,
 * signal_setup_done, sys_rt_sigreturn). Nothing here knows an
 * architecture: the port lays out, fills and checks the bytes.
 */
#include "signal/signal_internal.h"
#include "procmgr/arch.h"
#include "hal/pm_uaccess.h"

/* Scratch for n bytes: the kernel's buffer when big enough, else memory
 * from the HAL (*owned set; no lock is held here). */
static void *scratch(void *buf, size_t size, size_t n, bool *owned)
{
	*owned = false;
	if (buf && size >= n)
		return buf;
	*owned = true;
	return pm_hal_alloc(n, 64);
}

static void scratch_done(void *p, size_t n, bool owned)
{
	if (owned && p)
		pm_hal_free(p, n);
}

static void restart(struct pm_user_regs *regs, const struct pm_sig_delivery *handler)
{
	if (pm_arch_syscall_nr(regs) >= 0)
		pm_arch_syscall_restart(
		    regs, pm_sig_restart_action(pm_arch_syscall_return(regs), handler));
}

int pm_sig_handle(struct pm_thread *self, struct pm_user_regs *regs,
                  const struct pm_sig_frame_env *env, struct pm_sig_delivery *out)
{
	struct pm_sigframe_in in;
	struct pm_sigframe_layout lay;
	void *buf = NULL;
	bool owned = false;
	int act = pm_signal_next(self, pm_arch_regs_sp(regs), out);
	int err = -PM_EFAULT;

	if (act == PM_SIGACT_NONE) {
		restart(regs, NULL);
		pm_sig_restore_sigmask(self);
		return act;
	}
	if (act != PM_SIGACT_HANDLER)
		return act;
	/* The frame saves the context after the restart decision. */
	restart(regs, out);
	pm_memset(&in, 0, sizeof(in));
	in.signo = out->signo;
	in.info = &out->info;
	in.sa_flags = out->ka.sa_flags;
	in.handler = out->ka.sa_handler;
	in.restorer = out->ka.sa_restorer;
	in.sigreturn_trampoline = env->sigreturn_trampoline;
	in.saved_mask = out->saved_mask;
	in.altstack = out->altstack;
	in.fpu = env->fpu;
	if (pm_arch_sigframe_layout(regs, &in, &lay))
		goto fail;
	buf = scratch(env->frame_buf, env->frame_size, lay.size, &owned);
	if (!buf) {
		err = -PM_ENOMEM;
		goto fail;
	}
	if (pm_arch_sigframe_fill(regs, &in, &lay, buf) ||
	    pm_copy_to_user(lay.frame, buf, lay.size))
		goto fail;
	scratch_done(buf, lay.size, owned);
	pm_arch_sigframe_enter(regs, &in, &lay);
	pm_sig_delivered(self, out);
	return act;
fail:
	if (buf)
		scratch_done(buf, lay.size, owned);
	pm_sig_force_sigsegv(self, out->signo);
	return err;
}

int pm_sig_sigreturn(struct pm_thread *self, struct pm_user_regs *regs,
                     const struct pm_sig_frame_env *env, struct pm_user_fpu_restore *fr)
{
	struct pm_sigreturn_out o;
	pm_uaddr_t at = 0;
	size_t n = pm_arch_sigreturn_frame(regs, env->fpu, &at);
	bool owned;
	void *buf = scratch(env->frame_buf, env->frame_size, n, &owned);
	int err;

	if (!buf)
		goto fail;
	err = pm_copy_from_user(buf, at, n);
	if (!err)
		err = pm_arch_sigreturn_restore(regs, env->fpu, buf, n, &o, fr);
	scratch_done(buf, n, owned);
	if (err)
		goto fail;
	pm_sig_set_blocked(self, o.mask);
	pm_sig_restore_altstack(self, &o.altstack, o.altstack_sp);
	if (o.ext) {
		if (!env->ext_buf || env->ext_size < o.ext_size ||
		    pm_copy_from_user(env->ext_buf, o.ext, o.ext_size) ||
		    pm_arch_sigreturn_fpu(env->fpu, env->ext_buf, o.ext_size, fr))
			goto fail;
	}
	return 0;
fail:
	/* signal_fault(): SIGSEGV, through the handler if there is one. */
	pm_sig_force_sigsegv(self, 0);
	return -PM_EFAULT;
}
