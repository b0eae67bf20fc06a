/* SPDX-License-Identifier: MIT */
/*
 * Generating a signal for a thread or its process (Linux kernel/signal.c:
 * send_signal_locked, __send_signal_locked, prepare_signal, sig_ignored,
 * sig_task_ignored, complete_signal, wants_signal, signal_wake_up,
 * recalc_sigpending, retarget_shared_pending, __set_task_blocked and the
 * jobctl helpers). Everything here runs with the target process's
 * PM_LOCK_SIGHAND held; generation also holds PM_LOCK_TABLE (first).
 */
#include "signal/signal_internal.h"
#include "table/table_jobctl.h"
#include "hal/pm_bits.h"

/* ---- wake-ups and TIF_SIGPENDING ---------------------------------------------------- */

void signal_wake_up_(struct pm_thread *t, bool resume)
{
	struct pm_event ev = {PM_EVENT_SIGNAL_PENDING, t->process, t, NULL, resume ? 1 : 0};

	t->sig.sigpending = 1;
	if (resume)
		t->sig.jobctl &= ~PM_JOBCTL_STOPPED;
	pm_hal_notify(&ev);
}

bool recalc_sigpending_tsk_(struct pm_thread *t)
{
	pm_sigset_t b = t->sig.blocked;

	if ((t->sig.jobctl & PM_JOBCTL_STOP_PENDING) || (t->sig.pending.signal & ~b) ||
	    (t->process->sig.shared_pending.signal & ~b)) {
		t->sig.sigpending = 1;
		return true;
	}
	return false;
}

void recalc_sigpending_(struct pm_thread *t)
{
	if (!recalc_sigpending_tsk_(t))
		t->sig.sigpending = 0;
}

/* The thread after t in its process's list, wrapping around. */
static struct pm_thread *next_thread(struct pm_thread *t)
{
	struct pm_list *n = t->sig.node.next;

	if (n == &t->process->sig.threads)
		n = n->next;
	return sig_thread_of(n);
}

void retarget_shared_pending_(struct pm_thread *t, pm_sigset_t which)
{
	pm_sigset_t retarget = t->process->sig.shared_pending.signal & which;

	if (!retarget)
		return;
	for (struct pm_thread *o = next_thread(t); o != t; o = next_thread(o)) {
		if (o->sig.exiting || !(retarget & ~o->sig.blocked))
			continue;
		/* Remove the signals this thread can handle. */
		retarget &= o->sig.blocked;
		if (!o->sig.sigpending)
			signal_wake_up_(o, false);
		if (!retarget)
			break;
	}
}

void set_task_blocked_(struct pm_thread *t, pm_sigset_t newset)
{
	if (t->sig.sigpending && t->process->sig.nr_threads > 1)
		retarget_shared_pending_(t, newset & ~t->sig.blocked);
	t->sig.blocked = newset;
	recalc_sigpending_(t);
}

/* ---- jobctl ------------------------------------------------------------------------ */

bool jobctl_set_pending_(struct pm_thread *t, uint32_t mask)
{
	if (fatal_pending(t) || t->sig.exiting)
		return false;
	if (mask & PM_JOBCTL_STOP_SIGMASK)
		t->sig.jobctl &= ~PM_JOBCTL_STOP_SIGMASK;
	t->sig.jobctl |= mask;
	return true;
}

void jobctl_clear_pending_(struct pm_thread *t, uint32_t mask)
{
	if (mask & PM_JOBCTL_STOP_PENDING)
		mask |= PM_JOBCTL_STOP_CONSUME | PM_JOBCTL_STOP_DEQUEUED;
	t->sig.jobctl &= ~mask;
}

bool participate_group_stop_(struct pm_thread *t)
{
	struct pm_sig_process *sp = &t->process->sig;
	bool consume = (t->sig.jobctl & PM_JOBCTL_STOP_CONSUME) != 0;

	PM_ASSERT(t->sig.jobctl & PM_JOBCTL_STOP_PENDING);
	jobctl_clear_pending_(t, PM_JOBCTL_STOP_PENDING);
	if (!consume)
		return false;
	PM_ASSERT(sp->group_stop_count > 0);
	sp->group_stop_count--;
	/* A fresh group stop completes: the caller marks it and tells the
	 * parent (do_signal_stop's comment on SIGNAL_STOP_STOPPED). */
	return sp->group_stop_count == 0 && !table_jobctl_is_stopped_(t->process);
}

/* ---- ignored signals ------------------------------------------------------------------ */

static bool sig_task_ignored(struct pm_thread *t, int sig, bool force)
{
	struct pm_process *p = t->process;
	pm_uaddr_t handler = p->sig.sighand->action[sig - 1].sa_handler;

	/* SIGKILL and SIGSTOP may not be sent to the global init. */
	if (table_global_init_(p) && sig_kernel_only(sig))
		return true;
	/* A namespace init takes a default action only from its ancestors. */
	if (table_unkillable_(p) && handler == PM_SIG_DFL && !(force && sig_kernel_only(sig)))
		return true;
	return sig_handler_ignored(handler, sig);
}

/* Blocked signals are never ignored: the handler may change before they
 * are unblocked (nor while sigtimedwait waits for them). */
static bool sig_ignored(struct pm_thread *t, int sig, bool force)
{
	if ((t->sig.blocked | t->sig.real_blocked) & M(sig))
		return false;
	return sig_task_ignored(t, sig, force);
}

/* ---- prepare_signal ----------------------------------------------------------------------- */

static void flush_all(struct pm_process *p, pm_sigset_t mask)
{
	struct pm_list *pos;

	sigq_flush_mask_(p, &p->sig.shared_pending, mask);
	pm_list_for_each (pos, &p->sig.threads)
		sigq_flush_mask_(p, &sig_thread_of(pos)->sig.pending, mask);
}

/* Job control happens at generation, whatever the mask or disposition:
 * a stop signal cancels a pending SIGCONT, SIGCONT cancels pending stop
 * signals and continues the group. False: drop the signal. */
static bool prepare_signal(int sig, struct pm_thread *t, bool force)
{
	struct pm_process *p = t->process;
	struct pm_sig_process *sp = &p->sig;

	if (table_group_exiting_(p))
		return false; /* the process is dying */
	if (sig_kernel_stop(sig)) {
		flush_all(p, M(PM_SIGCONT));
	} else if (sig == PM_SIGCONT) {
		struct pm_list *pos;

		flush_all(p, PM_SIG_KERNEL_STOP_MASK);
		pm_list_for_each (pos, &sp->threads) {
			struct pm_thread *o = sig_thread_of(pos);

			jobctl_clear_pending_(o, PM_JOBCTL_STOP_PENDING);
			o->sig.jobctl &= ~PM_JOBCTL_STOPPED;
		}
		/* Stopped: report CLD_CONTINUED; in the middle of a group stop:
		 * pretend it finished, so only CLD_STOPPED is reported. The
		 * first thread through pm_signal_next() tells the parent. */
		if (table_jobctl_continue_(p, sp->group_stop_count > 0))
			sp->flags |= PM_SIGP_CLD;
		sp->group_stop_count = 0;
	}
	return !sig_ignored(t, sig, force);
}

/* ---- complete_signal ---------------------------------------------------------------------- */

static bool wants_signal(int sig, const struct pm_thread *t)
{
	if (t->sig.blocked & M(sig))
		return false;
	if (t->sig.exiting)
		return false;
	if (sig == PM_SIGKILL)
		return true;
	if (t->sig.jobctl & PM_JOBCTL_STOPPED)
		return false;
	/* Linux also takes a thread running on a CPU (task_curr); procmgr
	 * does not know which are, and treats none as running. */
	return !t->sig.sigpending;
}

static bool sig_fatal(const struct pm_process *p, int sig)
{
	return !(M(sig) & (PM_SIG_KERNEL_IGNORE_MASK | PM_SIG_KERNEL_STOP_MASK)) &&
	       p->sig.sighand->action[sig - 1].sa_handler == PM_SIG_DFL;
}

static void complete_signal(int sig, struct pm_thread *t, bool group)
{
	struct pm_process *p = t->process;
	struct pm_sig_process *sp = &p->sig;
	struct pm_thread *w = t;

	if (!wants_signal(sig, t)) {
		/* One thread, or thread-directed: it dequeues before it runs. */
		if (!group || sp->nr_threads == 1)
			return;
		w = sp->curr_target;
		while (!wants_signal(sig, w)) {
			w = next_thread(w);
			if (w == sp->curr_target)
				return; /* an eligible thread finds it in the queue */
		}
		sp->curr_target = w;
	}
	/* A fatal signal takes the whole group down at once, save the
	 * core-dumping ones, which one thread handles in get_signal. */
	if (sig_fatal(p, sig) && !table_group_exiting_(p) && !(w->sig.real_blocked & M(sig)) &&
	    !sig_kernel_coredump(sig)) {
		struct pm_list *pos;

		table_group_exit_mark_(p, sig);
		sp->group_stop_count = 0;
		pm_list_for_each (pos, &sp->threads) {
			struct pm_thread *o = sig_thread_of(pos);

			jobctl_clear_pending_(o, PM_JOBCTL_STOP_PENDING);
			o->sig.pending.signal |= M(PM_SIGKILL);
			signal_wake_up_(o, true);
		}
		return;
	}
	signal_wake_up_(w, sig == PM_SIGKILL);
}

/* ---- __send_signal_locked ------------------------------------------------------------------- */

static int32_t info_code(const struct pm_siginfo *info)
{
	return info->si_code;
}

bool send_needs_record_(const struct pm_thread *t, int sig, bool group)
{
	const struct pm_sigpending *pend =
	    group ? &t->process->sig.shared_pending : &t->sig.pending;

	if (sig == PM_SIGKILL)
		return false;
	return !(sig < PM_SIGRTMIN && (pend->signal & M(sig)));
}

/* A record: the caller's reservation, else the sighand cache, else the pool. */
static struct pm_sigqueue *get_record(struct sig_send *s, struct pm_process *p)
{
	struct pm_sigqueue *q = s->resv;

	if (q) {
		s->resv = q->next;
		return q;
	}
	return sigq_get_(p);
}

static void fill_info(struct sig_send *s, struct pm_thread *t, struct pm_sigqueue *q)
{
	struct pm_siginfo si;

	if (s->info) {
		pm_memcpy(q->info, s->info, SIG_KINFO_SIZE);
		return;
	}
	pm_memset(&si, 0, sizeof(si));
	si.si_signo = s->sig;
	if (s->priv || !s->sender) {
		si.si_code = PM_SI_KERNEL;
	} else {
		si.si_code = PM_SI_USER;
		si.u.kill.pid =
		    pm_pid_nr_ns(pm_process_pid(s->sender->process), pm_thread_pidns(t));
		si.u.kill.uid = sig_sender_uid_(s->sender, t);
	}
	pm_memcpy(q->info, &si, SIG_KINFO_SIZE);
}

int send_signal_force_locked_(struct sig_send *s, struct pm_thread *t, bool group, bool force)
{
	struct pm_process *p = t->process;
	int sig = s->sig;
	struct pm_sigpending *pend;
	struct pm_sigqueue *q;
	bool override;

	if (!prepare_signal(sig, t, force))
		return 0;
	pend = group ? &p->sig.shared_pending : &t->sig.pending;
	/* One instance of a standard signal per queue. */
	if (sig < PM_SIGRTMIN && (pend->signal & M(sig)))
		return 0;
	if (sig != PM_SIGKILL) {
		/* kill() may not fail when low on memory: standard signals from
		 * kill() and the kernel are charged past the limit. */
		override = sig < PM_SIGRTMIN && (!s->info || info_code(s->info) >= 0);
		q = get_record(s, p);
		if (q && !sig_charge_(t, s->sender, override, q)) {
			sigq_put_(p, q);
			q = NULL;
		}
		if (q) {
			fill_info(s, t, q);
			sigq_append_(pend, sig, q);
		} else if (s->info && sig >= PM_SIGRTMIN && info_code(s->info) != PM_SI_USER) {
			/* A real-time signal sent by something other than kill(). */
			return -PM_EAGAIN;
		}
		/* Otherwise the signal goes without its siginfo. */
	}
	pend->signal |= M(sig);
	complete_signal(sig, t, group);
	return 0;
}

/* siginfo_layout's SIL_KILL, SIL_CHLD and SIL_RT: the layouts with si_pid
 * and si_uid. */
static bool has_si_pid_and_uid(int sig, int32_t code)
{
	if (code > PM_SI_USER && code < PM_SI_KERNEL) {
		static const uint8_t limit[PM_SIGSYS + 1] = {
		    [PM_SIGILL] = 11, [PM_SIGFPE] = 15, [PM_SIGSEGV] = 10, [PM_SIGBUS] = 5,
		    [PM_SIGTRAP] = 6, [PM_SIGCHLD] = 6, [PM_SIGPOLL] = 6,  [PM_SIGSYS] = 2,
		};

		if (sig <= PM_SIGSYS && limit[sig] && code <= limit[sig])
			return sig == PM_SIGCHLD; /* SIL_CHLD, else fault, poll, sys */
		return code > 6;                  /* SIL_POLL up to NSIGPOLL, then SIL_KILL */
	}
	if (code == PM_SI_TIMER || code == PM_SI_SIGIO)
		return false;
	return true; /* SIL_KILL (SI_USER, SI_KERNEL, codes past it) or SIL_RT */
}

/* task_pid_nr_ns(current, task_active_pid_ns(t)) != 0: the sender has a
 * pid in t's namespace, as it always has in its own. */
static bool sender_visible(struct pm_thread *sender, struct pm_thread *t)
{
	struct pm_pidns *ns;

	if (!sender || sender == t)
		return true;
	ns = pm_thread_pidns(t);
	return ns == pm_thread_pidns(sender) || pm_pid_nr_ns(pm_thread_pid(sender), ns) != 0;
}

int send_signal_locked_(struct sig_send *s, struct pm_thread *t, bool group)
{
	bool force = false;
	bool visible = sender_visible(s->sender, t);

	if (!s->info && !s->priv) {
		/* From an ancestor namespace, SIGKILL and SIGSTOP reach an init. */
		force = !visible;
	} else if (!s->info) {
		force = true;
	} else if (has_si_pid_and_uid(s->sig, s->info->si_code)) {
		if (s->sender)
			s->info->u.kill.uid = sig_remap_uid_(s->sender, t, s->info->u.kill.uid);
		force = s->info->si_code == PM_SI_KERNEL;
		if (!visible) {
			s->info->u.kill.pid = 0;
			force = true;
		}
	}
	return send_signal_force_locked_(s, t, group, force);
}
