/* SPDX-License-Identifier: MIT */
/*
 * Interim implementation of the signal seam (table_signal.h) for a world
 * where every disposition is SIG_DFL and no signal is blocked. It follows
 * Linux kernel/signal.c: send_signal_locked (force), prepare_signal,
 * sig_task_ignored, complete_signal's fatal fast path, next_signal and
 * get_signal's default actions.
 */
#include "table/table_internal.h"
#include "table/table_jobctl.h"
#include "table/table_signal.h"
#include "hal/pm_bits.h"

#define M(s)        TSIG_MASK(s)
#define KERNEL_ONLY (M(TSIG_KILL) | M(TSIG_STOP))
#define KERNEL_STOP (M(TSIG_STOP) | M(TSIG_TSTP) | M(TSIG_TTIN) | M(TSIG_TTOU))
#define KERNEL_COREDUMP                                                                          \
	(M(TSIG_QUIT) | M(TSIG_ILL) | M(TSIG_TRAP) | M(TSIG_ABRT) | M(TSIG_FPE) | M(TSIG_SEGV) | \
	 M(TSIG_BUS) | M(TSIG_SYS) | M(TSIG_XCPU) | M(TSIG_XFSZ))
#define KERNEL_IGNORE (M(TSIG_CONT) | M(TSIG_CHLD) | M(TSIG_WINCH) | M(TSIG_URG))
#define SYNCHRONOUS \
	(M(TSIG_SEGV) | M(TSIG_BUS) | M(TSIG_ILL) | M(TSIG_TRAP) | M(TSIG_FPE) | M(TSIG_SYS))

/* siginmask: the classes hold only standard signals (below SIGRTMIN). */
static bool in(int sig, uint64_t mask)
{
	return sig < 32 && (M(sig) & mask);
}

/* sig_task_ignored with a SIG_DFL handler. */
static bool dfl_ignored(const struct pm_process *p, int sig, bool force)
{
	if (is_global_init_(p) && in(sig, KERNEL_ONLY))
		return true;
	if ((p->sigflags & PM_SIGNAL_UNKILLABLE) && !(force && in(sig, KERNEL_ONLY)))
		return true;
	return in(sig, KERNEL_IGNORE);
}

static struct pm_thread *a_live_thread(struct pm_process *p)
{
	struct pm_list *pos;

	pm_list_for_each (pos, &p->threads) {
		struct pm_thread *t = pm_list_entry(pos, struct pm_thread, group_node);

		if (!(t->flags & PM_TF_EXITING))
			return t;
	}
	return NULL;
}

/* send_signal_locked for a process-directed signal. */
static void send(struct pm_process *p, int sig, bool force)
{
	struct pm_thread *t;

	if (sig <= 0 || sig > TSIG_NSIG || p->exit_state)
		return;
	/* prepare_signal */
	if (group_exiting_(p))
		return;
	if (in(sig, KERNEL_STOP)) {
		p->dfl_pending &= ~M(TSIG_CONT);
	} else if (sig == TSIG_CONT) {
		p->dfl_pending &= ~KERNEL_STOP;
		/* The first thread to run again reports to the parent. */
		if (table_jobctl_continue_(p, false))
			table_jobctl_report_(p);
	}
	if (dfl_ignored(p, sig, force))
		return;
	/* complete_signal: a fatal default action kills the group now, save
	 * the core-dump ones which one thread takes in get_signal. */
	if (!in(sig, KERNEL_STOP) && !in(sig, KERNEL_COREDUMP)) {
		group_exit_start_(p, sig, NULL);
		return;
	}
	p->dfl_pending |= M(sig);
	t = a_live_thread(p);
	if (t)
		table_notify_(PM_EVENT_SIGNAL_PENDING, p, t, NULL, 0);
}

void table_sig_send_dfl_(struct pm_process *p, int sig, bool force)
{
	send(p, sig, force);
}

bool table_sig_notify_parent_(struct pm_process *child, int sig)
{
	struct pm_process *parent = child->real_parent->process;

	if (sig == TSIG_CHLD && (parent->flags & PM_PF_SIGCHLD_IGN))
		return true; /* SIG_IGN: auto-reap, and no signal */
	send(parent, sig, false);
	return false;
}

void table_sig_notify_cldstop_(struct pm_process *child, int why)
{
	/* SIGCHLD's default action is to ignore it: nothing to send. */
	(void)child;
	(void)why;
}

void table_sig_send_pdeath_(struct pm_thread *sender, struct pm_thread *target, int sig)
{
	/* Forced when the sender is invisible in the target's namespace. */
	send(target->process, sig, pid_vnr_(sender->pid, target) == 0);
}

void table_sig_kill_pgrp_priv_(struct pm_pid *pgrp, int sig)
{
	struct pm_list *pos;

	pm_list_for_each (pos, &pgrp->pgrp_members)
		send(pm_list_entry(pos, struct pm_process, pgrp_node), sig, true);
}

void table_sig_kill_priv_(struct pm_process *target, int sig)
{
	send(target, sig, true);
}

void table_sig_wake_to_die_(struct pm_thread *t)
{
	table_notify_(PM_EVENT_SIGNAL_PENDING, t->process, t, NULL, 1);
}

void table_sig_ignore_sigchld_(struct pm_process *p)
{
	p->flags |= PM_PF_SIGCHLD_IGN;
}

/* next_signal: synchronous signals first, then the lowest number. */
static int next_signal(uint64_t pending)
{
	uint64_t x = pending;

	if (x & SYNCHRONOUS)
		x &= SYNCHRONOUS;
	return (int)pm_ctz64(x) + 1;
}

bool table_sig_dfl_deliver_(struct pm_process *p)
{
	int sig;

	if (!p->dfl_pending || p->exit_state || group_exiting_(p) ||
	    (p->sigflags & PM_SIGNAL_STOP_STOPPED) || !a_live_thread(p))
		return false;
	sig = next_signal(p->dfl_pending);
	p->dfl_pending &= ~M(sig);
	if ((p->sigflags & PM_SIGNAL_UNKILLABLE) && !in(sig, KERNEL_ONLY))
		return true;
	if (in(sig, KERNEL_STOP)) {
		if (sig != TSIG_STOP && pgrp_is_orphaned_(p))
			return true;
		table_jobctl_stopped_(p, sig);
		return true;
	}
	/* A fatal default action; no core is written (RLIMIT_CORE is 0). */
	group_exit_start_(p, sig, NULL);
	return true;
}
