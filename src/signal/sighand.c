/* SPDX-License-Identifier: MIT */
/*
 * Signal names and default actions, the disposition tables (Linux struct
 * sighand_struct), sigaction(2) and execve's signal resets (kernel/
 * signal.c: do_sigaction, flush_signal_handlers; kernel/fork.c:
 * copy_sighand; fs/exec.c: unshare_sighand, begin_new_exec).
 */
#include "signal/signal_internal.h"
#include "table/table_jobctl.h"
#include "hal/pm_uaccess.h"

static const char *const sig_names[PM_NSIG] = {
    "SIGHUP",      "SIGINT",      "SIGQUIT",     "SIGILL",      "SIGTRAP",     "SIGABRT",
    "SIGBUS",      "SIGFPE",      "SIGKILL",     "SIGUSR1",     "SIGSEGV",     "SIGUSR2",
    "SIGPIPE",     "SIGALRM",     "SIGTERM",     "SIGSTKFLT",   "SIGCHLD",     "SIGCONT",
    "SIGSTOP",     "SIGTSTP",     "SIGTTIN",     "SIGTTOU",     "SIGURG",      "SIGXCPU",
    "SIGXFSZ",     "SIGVTALRM",   "SIGPROF",     "SIGWINCH",    "SIGIO",       "SIGPWR",
    "SIGSYS",      "SIGRTMIN",    "SIGRTMIN+1",  "SIGRTMIN+2",  "SIGRTMIN+3",  "SIGRTMIN+4",
    "SIGRTMIN+5",  "SIGRTMIN+6",  "SIGRTMIN+7",  "SIGRTMIN+8",  "SIGRTMIN+9",  "SIGRTMIN+10",
    "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+16",
    "SIGRTMIN+17", "SIGRTMIN+18", "SIGRTMIN+19", "SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22",
    "SIGRTMIN+23", "SIGRTMIN+24", "SIGRTMIN+25", "SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28",
    "SIGRTMIN+29", "SIGRTMIN+30", "SIGRTMIN+31", "SIGRTMIN+32",
};

const char *pm_sig_name(int sig)
{
	return pm_sig_valid(sig) ? sig_names[sig - 1] : NULL;
}

enum pm_sig_default pm_sig_default_action(int sig)
{
	if (!pm_sig_valid(sig))
		return PM_SIG_DFL_IGN;
	if (sig == PM_SIGCONT)
		return PM_SIG_DFL_CONT;
	if (sig_kernel_ignore(sig))
		return PM_SIG_DFL_IGN;
	if (sig_kernel_stop(sig))
		return PM_SIG_DFL_STOP;
	if (sig_kernel_coredump(sig))
		return PM_SIG_DFL_CORE;
	return PM_SIG_DFL_TERM;
}

/* ---- disposition tables ---------------------------------------------------------- */

struct pm_sighand *sighand_alloc_(void)
{
	struct pm_sighand *sh = pm_hal_alloc(sizeof(*sh), _Alignof(struct pm_sighand));

	if (!sh)
		return NULL;
	pm_memset(sh, 0, sizeof(*sh));
	pm_hal_lock_init(&sh->lock, PM_LOCK_SIGHAND);
	sh->count = 1;
	return sh;
}

void sighand_free_(struct pm_sighand *sh, struct pm_sig_pool *pool)
{
	sighand_drain_(sh, pool);
	pm_hal_lock_destroy(&sh->lock);
	pm_hal_free(sh, sizeof(*sh));
}

/* flush_signal_handlers: handlers become SIG_DFL (ignored ones too with
 * force_default); flags, masks and restorers are cleared. */
void flush_signal_handlers_(struct pm_sighand *sh, bool force_default)
{
	for (int i = 0; i < PM_NSIG; i++) {
		struct pm_sigaction *ka = &sh->action[i];

		if (force_default || ka->sa_handler != PM_SIG_IGN)
			ka->sa_handler = PM_SIG_DFL;
		ka->sa_flags = 0;
		ka->sa_restorer = 0;
		ka->sa_mask = 0;
	}
}

/* ---- sigaction -------------------------------------------------------------------- */

int pm_sigaction(struct pm_thread *self, int sig, const struct pm_sigaction *act,
                 struct pm_sigaction *oact)
{
	struct pm_process *p = self->process;
	struct pm_sigaction *k;

	if (!pm_sig_valid(sig) || (act && sig_kernel_only(sig)))
		return -PM_EINVAL;
	sig_lock(p);
	k = &p->sig.sighand->action[sig - 1];
	if (k->sa_flags & PM_SA_IMMUTABLE) {
		sig_unlock(p);
		return -PM_EINVAL;
	}
	if (oact) {
		*oact = *k;
		oact->sa_flags &= PM_SA_UAPI_FLAGS;
	}
	if (act) {
		*k = *act;
		k->sa_flags &= PM_SA_UAPI_FLAGS;
		k->sa_mask &= ~PM_SIG_UNBLOCKABLE;
		/* POSIX 3.3.1.3: an ignored signal is discarded, blocked or not. */
		if (sig_handler_ignored(k->sa_handler, sig)) {
			struct pm_list *pos;

			sigq_flush_mask_(p, &p->sig.shared_pending, M(sig));
			pm_list_for_each (pos, &p->sig.threads)
				sigq_flush_mask_(p, &sig_thread_of(pos)->sig.pending, M(sig));
		}
	}
	sig_unlock(p);
	return 0;
}

/* struct sigaction as the architecture's rt_sigaction reads it. */
static bool decode_sigaction(const struct pm_arch_desc *arch, const uint64_t *w,
                             struct pm_sigaction *out)
{
	out->sa_handler = w[0];
	out->sa_flags = w[1];
	if (arch->has_sa_restorer) {
		out->sa_restorer = w[2];
		out->sa_mask = w[3];
	} else {
		out->sa_restorer = 0;
		out->sa_mask = w[2];
		/* No SA_RESTORER in this architecture's UAPI_SA_FLAGS. */
		out->sa_flags &= ~PM_SA_RESTORER;
	}
	return true;
}

static void encode_sigaction(const struct pm_arch_desc *arch, const struct pm_sigaction *in,
                             uint64_t *w)
{
	w[0] = in->sa_handler;
	w[1] = in->sa_flags;
	if (arch->has_sa_restorer) {
		w[2] = in->sa_restorer;
		w[3] = in->sa_mask;
	} else {
		w[1] &= ~PM_SA_RESTORER;
		w[2] = in->sa_mask;
	}
}

int pm_rt_sigaction(struct pm_thread *self, const struct pm_arch_desc *arch, int sig,
                    pm_uaddr_t uact, pm_uaddr_t uoact, size_t sigsetsize)
{
	size_t size = arch->has_sa_restorer ? 32 : 24;
	struct pm_sigaction act, oact;
	uint64_t w[4] = {0, 0, 0, 0};
	int err;

	if (sigsetsize != sizeof(pm_sigset_t))
		return -PM_EINVAL;
	if (uact) {
		if (pm_copy_from_user(w, uact, size))
			return -PM_EFAULT;
		(void)decode_sigaction(arch, w, &act);
	}
	err = pm_sigaction(self, sig, uact ? &act : NULL, uoact ? &oact : NULL);
	if (err)
		return err;
	if (uoact) {
		encode_sigaction(arch, &oact, w);
		if (pm_copy_to_user(uoact, w, size))
			return -PM_EFAULT;
	}
	return 0;
}

/* ---- execve ----------------------------------------------------------------------- */

int pm_sig_exec_prepare(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	bool shared;

	if (p->sig.exec_spare)
		return 0;
	pm_table_lock(p->table);
	shared = p->sig.sighand->count > 1;
	pm_table_unlock(p->table);
	if (!shared)
		return 0;
	p->sig.exec_spare = sighand_alloc_();
	return p->sig.exec_spare ? 0 : -PM_ENOMEM;
}

int pm_sig_exec(struct pm_thread *self)
{
	struct pm_process *p = self->process;
	struct pm_table *t = p->table;
	struct pm_sighand *sh, *spare;

	for (;;) {
		pm_table_lock(t);
		if (p->sig.sighand->count == 1 || p->sig.exec_spare)
			break;
		pm_table_unlock(t);
		p->sig.exec_spare = sighand_alloc_();
		if (!p->sig.exec_spare)
			return -PM_ENOMEM;
	}
	sh = p->sig.sighand;
	spare = p->sig.exec_spare;
	p->sig.exec_spare = NULL;
	pm_hal_lock_acquire(&sh->lock);
	if (sh->count > 1) {
		/* unshare_sighand: a private copy; every other thread is gone,
		 * and senders hold the table lock, so nobody uses the old lock
		 * for this process any more. */
		pm_memcpy(spare->action, sh->action, sizeof(sh->action));
		sh->count--;
		p->sig.sighand = spare;
		spare = NULL;
		pm_hal_lock_release(&sh->lock);
		sh = p->sig.sighand;
		pm_hal_lock_acquire(&sh->lock);
	}
	flush_signal_handlers_(sh, false);
	pm_hal_lock_release(&sh->lock);
	pm_table_unlock(t);
	if (spare)
		sighand_free_(spare, &t->sigpool);
	/* begin_new_exec: the stack's address and size go, its flags stay. */
	self->sig.altstack.ss_sp = 0;
	self->sig.altstack.ss_size = 0;
	return 0;
}

void pm_sig_exec_hook(void *thread)
{
	struct pm_thread *self = thread;
	struct pm_siginfo info;

	if (pm_sig_exec(self) == 0)
		return;
	/* Past the point of no return: bprm_execve's force_fatal_sig(SIGSEGV). */
	pm_memset(&info, 0, sizeof(info));
	info.si_signo = PM_SIGSEGV;
	info.si_code = PM_SI_KERNEL;
	if (pm_sig_force(self, &info, PM_SIG_FORCE_DFL) != 0)
		(void)pm_sig_send(self, PM_SIGKILL, NULL, true);
}
