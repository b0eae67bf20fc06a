/* SPDX-License-Identifier: MIT */
/*
 * Masks and waiting (Linux kernel/signal.c: sys_rt_sigprocmask,
 * sigprocmask, do_sigpending, sigsuspend, do_sigtimedwait, do_sigaltstack;
 * include/linux/sched/signal.h: on_sig_stack, sas_ss_flags).
 */
#include <string.h>

#include "sig_fixture.h"
#include "signal/signal_internal.h"

TestSuite(mask, .init = pm_test_setup);

/* sigprocmask: SIG_BLOCK ors, SIG_UNBLOCK clears, SIG_SETMASK replaces;
 * the old mask is returned; rt_sigprocmask drops SIGKILL and SIGSTOP. */
PM_TEST(mask, every_how)
{
	struct tu u;
	pm_sigset_t set = pm_sigmask(SIGUSR1) | pm_sigmask(SIGINT), old = 0;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_BLOCK, &set, &old), 0);
	cr_assert_eq(old, 0);
	cr_assert_eq(pm_sig_blocked(u.init), set);
	set = pm_sigmask(40);
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_BLOCK, &set, &old), 0);
	cr_assert_eq(pm_sig_blocked(u.init), pm_sigmask(SIGUSR1) | pm_sigmask(SIGINT) | set);
	set = pm_sigmask(SIGINT);
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_UNBLOCK, &set, &old), 0);
	cr_assert_eq(pm_sig_blocked(u.init), pm_sigmask(SIGUSR1) | pm_sigmask(40));
	set = pm_sigmask(SIGTERM);
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_SETMASK, &set, &old), 0);
	cr_assert_eq(old, pm_sigmask(SIGUSR1) | pm_sigmask(40));
	cr_assert_eq(pm_sig_blocked(u.init), pm_sigmask(SIGTERM));
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_SETMASK, NULL, &old), 0, "read only");
	cr_assert_eq(old, pm_sigmask(SIGTERM));
	/* SIGKILL and SIGSTOP cannot be blocked; silently left out. */
	set = ~(pm_sigset_t)0;
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_SETMASK, &set, NULL), 0);
	cr_assert_eq(pm_sig_blocked(u.init), ~(pm_sigmask(SIGKILL) | pm_sigmask(SIGSTOP)));
	tu_teardown(&u);
}

/* sigprocmask: an unknown how is EINVAL with nothing changed, but only
 * when a set is given (rt_sigprocmask(7, NULL, ...) is 0 on this host). */
PM_TEST(mask, bad_how_changes_nothing)
{
	struct tu u;
	pm_sigset_t set = pm_sigmask(SIGUSR1), old = 0x55;
	struct sig_snap s;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_sigprocmask(u.init, PM_SIG_BLOCK, &set, NULL), 0);
	snap_take(u.init->process, &s);
	set = pm_sigmask(SIGTERM);
	cr_assert_eq(pm_sigprocmask(u.init, 3, &set, &old), -PM_EINVAL);
	cr_assert_eq(pm_sigprocmask(u.init, -1, &set, &old), -PM_EINVAL);
	cr_assert_eq(old, 0x55, "oset untouched on error");
	snap_assert(u.init->process, &s, "sigprocmask with a bad how");
	cr_assert_eq(pm_sigprocmask(u.init, 7, NULL, &old), 0);
	cr_assert_eq(old, pm_sigmask(SIGUSR1));
	cr_assert_eq(pm_rt_sigprocmask(u.init, PM_SIG_BLOCK, 0, 0, 4), -PM_EINVAL,
	             "sigsetsize must be 8");
	snap_assert(u.init->process, &s, "rt_sigprocmask with a bad size");
	tu_teardown(&u);
}

/* do_sigpending: (own | shared) & blocked. */
PM_TEST(mask, sigpending_is_the_blocked_union_of_both_queues)
{
	struct tu u;
	struct pm_thread *a, *t2;
	pm_sigset_t set = pm_sigmask(SIGUSR1) | pm_sigmask(SIGUSR2) | pm_sigmask(SIGINT);

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_BLOCK, &set, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_BLOCK, &set, NULL), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(a), SIGUSR2), 0);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(t2), SIGINT), 0);
	cr_assert_eq(pm_sigpending(a), pm_sigmask(SIGUSR1) | pm_sigmask(SIGUSR2));
	cr_assert_eq(pm_sigpending(t2), pm_sigmask(SIGUSR1) | pm_sigmask(SIGINT));
	set = pm_sigmask(SIGUSR1);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_UNBLOCK, &set, NULL), 0);
	cr_assert_eq(pm_sigpending(t2), pm_sigmask(SIGINT), "only blocked ones are reported");
	sig_handle(a, SIGUSR1, H1, 0, 0);
	sig_handle(a, SIGUSR2, H1, 0, 0);
	sig_handle(a, SIGINT, H1, 0, 0);
	pm_sigemptyset(&set);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &set, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_SETMASK, &set, NULL), 0);
	sig_drain(a);
	sig_drain(t2);
	cr_assert_eq(pm_sigpending(a) | pm_sigpending(t2), 0);
	tu_settle(&u);
	tu_teardown(&u);
}

/* sigsuspend: the temporary mask is in force until a handler's frame is
 * set up; the frame saves the old mask (sigmask_to_save) and sigreturn
 * restores it; with no handler restore_saved_sigmask puts it back. */
PM_TEST(mask, sigsuspend_mask_is_temporary)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sig_delivery d;
	pm_sigset_t set = pm_sigmask(SIGUSR1) | pm_sigmask(SIGUSR2);

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	sig_handle(a, SIGUSR1, H1, 0, 0);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &set, NULL), 0);
	cr_assert_eq(pm_sigsuspend(a, pm_sigmask(SIGUSR2)), -PM_EAGAIN, "nothing pending: sleep");
	cr_assert_eq(pm_sig_blocked(a), pm_sigmask(SIGUSR2));
	pm_host_events_clear();
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(sig_wakeups(a), 1, "the sleeper is woken");
	cr_assert(pm_sig_pending(a));
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_HANDLER);
	cr_assert_eq(d.signo, SIGUSR1);
	cr_assert_eq(d.saved_mask, set, "the frame saves the mask from before sigsuspend");
	cr_assert_eq(d.handler_mask, pm_sigmask(SIGUSR2) | pm_sigmask(SIGUSR1));
	pm_sig_delivered(a, &d);
	pm_sig_restore_sigmask(a); /* nothing to restore: the frame has it */
	cr_assert_eq(pm_sig_blocked(a), pm_sigmask(SIGUSR2) | pm_sigmask(SIGUSR1));
	pm_sig_set_blocked(a, d.saved_mask); /* rt_sigreturn */
	cr_assert_eq(pm_sig_blocked(a), set);
	/* A signal pending already: -ERESTARTNOHAND at once; with no handler
	 * to run (ignored), the saved mask comes back. */
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR2), 0);
	sig_handle(a, SIGUSR2, H2, 0, 0);
	cr_assert_eq(pm_sigsuspend(a, 0), -PM_ERESTARTNOHAND);
	cr_assert_eq(pm_sig_blocked(a), 0);
	sig_handle(a, SIGUSR2, PM_SIG_IGN, 0, 0);
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_NONE);
	pm_sig_restore_sigmask(a);
	cr_assert_eq(pm_sig_blocked(a), set, "restore_saved_sigmask");
	cr_assert_eq(pm_sig_pause(a), -PM_EAGAIN);
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_sigtimedwait: own queue before the shared one, lowest number first
 * (synchronous first), real-time records in order; EAGAIN when none; the
 * blocking form unblocks the set for the wait (real_blocked) and restores
 * the mask after. */
PM_TEST(mask, sigtimedwait_order_and_eagain)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_siginfo info;
	pm_sigset_t all = ~(pm_sigset_t)0, set;
	union pm_sigval v;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sigtimedwait(a, all, false, &info), -PM_EAGAIN);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR2), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGINT), 0);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(a), SIGTERM), 0);
	for (int i = 0; i < 3; i++) {
		memset(&info, 0, sizeof(info));
		info.si_code = PM_SI_QUEUE;
		v.sival_int = i;
		info.u.rt.value = v;
		cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 35, &info), 0);
	}
	set = pm_sigmask(SIGUSR2) | pm_sigmask(SIGINT) | pm_sigmask(SIGTERM) | pm_sigmask(35);
	cr_assert_eq(pm_sigtimedwait(a, set, false, &info), SIGTERM, "own queue first");
	cr_assert_eq(info.si_code, PM_SI_TKILL);
	cr_assert_eq(pm_sigtimedwait(a, set, false, &info), SIGINT, "then lowest number");
	cr_assert_eq(info.si_code, PM_SI_USER);
	cr_assert_eq(info.u.kill.pid, 1);
	cr_assert_eq(pm_sigtimedwait(a, set, false, &info), SIGUSR2);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(pm_sigtimedwait(a, set, false, &info), 35);
		cr_assert_eq(info.u.rt.value.sival_int, i, "real-time records in order");
	}
	cr_assert_eq(pm_sigtimedwait(a, set, false, &info), -PM_EAGAIN);
	/* Blocking: the set is unblocked while waiting, then the mask returns. */
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGUSR1), true, &info), -PM_EAGAIN);
	cr_assert_eq(pm_sig_blocked(a), all & ~pm_sigmask(SIGUSR1) & ~PM_SIG_UNBLOCKABLE);
	cr_assert_eq(a->sig.real_blocked, all & ~PM_SIG_UNBLOCKABLE);
	cr_assert_eq(pm_sigtimedwait_finish(a, pm_sigmask(SIGUSR1), false, &info), -PM_EAGAIN);
	cr_assert_eq(pm_sig_blocked(a), all & ~PM_SIG_UNBLOCKABLE);
	cr_assert_eq(a->sig.real_blocked, 0);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGUSR1), true, &info), -PM_EAGAIN);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_sigtimedwait_finish(a, pm_sigmask(SIGUSR1), true, &info), SIGUSR1);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGUSR1), true, &info), -PM_EAGAIN);
	cr_assert_eq(pm_sigtimedwait_finish(a, pm_sigmask(SIGUSR1), true, &info), -PM_EINTR,
	             "woken by something else");
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_sigaltstack on this host: EPERM while on it, EINVAL for a bad mode,
 * ENOMEM below MINSIGSTKSZ (2048), SS_DISABLE needs no size and stores
 * nothing; the old stack reports SS_ONSTACK/SS_DISABLE (sas_ss_flags). */
PM_TEST(mask, sigaltstack_rules)
{
	struct tu u;
	struct pm_stack ss = {0x10000, 0, 0, 8192}, old;
	struct sig_snap s;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x7000, 0), 0);
	cr_assert_eq(old.ss_flags, PM_SS_DISABLE, "no stack yet");
	cr_assert_eq(pm_sigaltstack(u.init, &ss, &old, 0x7000, 0), 0);
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x7000, 0), 0);
	cr_assert_eq(old.ss_sp, 0x10000);
	cr_assert_eq(old.ss_size, 8192);
	cr_assert_eq(old.ss_flags, 0);
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x11000, 0), 0);
	cr_assert_eq(old.ss_flags, PM_SS_ONSTACK, "sp inside (ss_sp, ss_sp + size]");
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x10000 + 8192, 0), 0);
	cr_assert_eq(old.ss_flags, PM_SS_ONSTACK, "the top end counts");
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x10000, 0), 0);
	cr_assert_eq(old.ss_flags, 0, "the base does not");
	snap_take(u.init->process, &s);
	old.ss_flags = 77;
	struct pm_stack other = {0x40000, 0, 0, 8192};
	cr_assert_eq(pm_sigaltstack(u.init, &other, &old, 0x11000, 0), -PM_EPERM);
	cr_assert_eq(old.ss_flags, 77, "oss untouched on error");
	other.ss_flags = 4;
	cr_assert_eq(pm_sigaltstack(u.init, &other, NULL, 0x7000, 0), -PM_EINVAL);
	other.ss_flags = PM_SS_DISABLE | 4;
	cr_assert_eq(pm_sigaltstack(u.init, &other, NULL, 0x7000, 0), -PM_EINVAL);
	other.ss_flags = 0;
	other.ss_size = PM_MINSIGSTKSZ - 1;
	cr_assert_eq(pm_sigaltstack(u.init, &other, NULL, 0x7000, 0), -PM_ENOMEM);
	other.ss_size = 4096;
	cr_assert_eq(pm_sigaltstack(u.init, &other, NULL, 0x7000, 8192), -PM_ENOMEM,
	             "the port's larger minimum");
	snap_assert(u.init->process, &s, "a refused sigaltstack");
	other.ss_size = PM_MINSIGSTKSZ;
	other.ss_flags = PM_SS_ONSTACK; /* accepted as a mode, reads back 0 */
	cr_assert_eq(pm_sigaltstack(u.init, &other, &old, 0x7000, 0), 0);
	cr_assert_eq(old.ss_sp, 0x10000, "the old stack is reported");
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x7000, 0), 0);
	cr_assert_eq(old.ss_flags, 0);
	other.ss_flags = PM_SS_DISABLE;
	other.ss_size = 1;
	cr_assert_eq(pm_sigaltstack(u.init, &other, NULL, 0x7000, 0), 0, "no size check");
	cr_assert_eq(pm_sigaltstack(u.init, NULL, &old, 0x7000, 0), 0);
	cr_assert_eq(old.ss_flags, PM_SS_DISABLE);
	cr_assert_eq(old.ss_size, 0);
	cr_assert_eq(old.ss_sp, 0);
	tu_teardown(&u);
}

/* SS_AUTODISARM: the thread is never "on" such a stack (on_sig_stack), so
 * it may change it from a handler; signal_delivered disarms it. */
PM_TEST(mask, sigaltstack_autodisarm)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_stack ss = {0x10000, PM_SS_AUTODISARM, 0, 8192}, old;
	struct pm_sig_delivery d;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigaltstack(a, &ss, NULL, 0x7000, 0), 0);
	cr_assert_eq(pm_sigaltstack(a, NULL, &old, 0x11000, 0), 0);
	cr_assert_eq(old.ss_flags, PM_SS_AUTODISARM, "never SS_ONSTACK, flag kept");
	sig_handle(a, SIGUSR1, H1, PM_SA_ONSTACK, 0);
	cr_assert_eq(pm_kill(a, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_HANDLER);
	cr_assert(d.on_altstack);
	cr_assert_eq(d.altstack.ss_sp, 0x10000, "the frame's uc_stack is the stored stack");
	pm_sig_delivered(a, &d);
	cr_assert_eq(pm_sigaltstack(a, NULL, &old, 0x11000, 0), 0);
	cr_assert_eq(old.ss_flags, PM_SS_DISABLE, "disarmed while the handler runs");
	pm_sig_restore_altstack(a, &d.altstack, 0x7000); /* rt_sigreturn */
	cr_assert_eq(pm_sigaltstack(a, NULL, &old, 0x7000, 0), 0);
	cr_assert_eq(old.ss_sp, 0x10000);
	cr_assert_eq(old.ss_flags, PM_SS_AUTODISARM);
	ss.ss_sp = 0x50000;
	cr_assert_eq(pm_sigaltstack(a, &ss, NULL, 0x11000, 0), 0, "no EPERM with AUTODISARM");
	tu_settle(&u);
	tu_teardown(&u);
}
