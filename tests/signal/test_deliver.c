/* SPDX-License-Identifier: MIT */
/*
 * The delivery decision (Linux kernel/signal.c get_signal,
 * signal_delivered; arch/x86/kernel/signal.c handle_signal and
 * arch_do_signal_or_restart for the restart rules) and the wake-up events
 * (signal_wake_up -> PM_EVENT_SIGNAL_PENDING).
 */
#include "sig_fixture.h"

TestSuite(deliver, .init = pm_test_setup);

/* handle_signal + signal_delivered: the handler's mask is blocked |
 * sa_mask | the signal (unless SA_NODEFER); SA_ONSTACK uses the stack when
 * the thread is not on it; SA_RESETHAND resets the disposition now. */
PM_TEST(deliver, handler_decisions)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sig_delivery d;
	struct pm_sigaction o;
	struct pm_stack ss = {0x10000, 0, 0, 8192};
	pm_sigset_t blk = pm_sigmask(SIGINT);

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &blk, NULL), 0);
	cr_assert_eq(pm_sigaltstack(a, &ss, NULL, 0x7000, 0), 0);
	sig_handle(a, SIGUSR1, H1, PM_SA_ONSTACK | PM_SA_SIGINFO,
	           pm_sigmask(SIGTERM) | pm_sigmask(SIGKILL));
	sig_handle(a, SIGUSR2, H2, PM_SA_NODEFER | PM_SA_RESETHAND, 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_signal_next(a, 0x7000, &d), PM_SIGACT_HANDLER);
	cr_assert_eq(d.signo, SIGUSR1);
	cr_assert_eq(d.ka.sa_handler, H1);
	cr_assert_eq(d.handler_mask, blk | pm_sigmask(SIGTERM) | pm_sigmask(SIGUSR1));
	cr_assert_eq(d.saved_mask, blk);
	cr_assert(d.on_altstack);
	cr_assert_eq(d.info.si_signo, SIGUSR1);
	pm_sig_delivered(a, &d);
	cr_assert_eq(pm_sig_blocked(a), d.handler_mask);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR2), 0);
	cr_assert_eq(pm_signal_next(a, 0x11000, &d), PM_SIGACT_HANDLER);
	cr_assert_eq(d.signo, SIGUSR2);
	cr_assert_not(d.on_altstack, "no SA_ONSTACK");
	cr_assert_not(pm_sigismember(d.handler_mask, SIGUSR2), "SA_NODEFER");
	cr_assert_eq(d.ka.sa_handler, H2, "the decision keeps the handler");
	cr_assert_eq(pm_sigaction(a, SIGUSR2, NULL, &o), 0);
	cr_assert_eq(o.sa_handler, PM_SIG_DFL, "SA_RESETHAND reset it");
	/* Already on the alternate stack: the frame stays where it is. */
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	pm_sig_set_blocked(a, blk);
	cr_assert_eq(pm_signal_next(a, 0x11000, &d), PM_SIGACT_HANDLER);
	cr_assert_not(d.on_altstack, "nested on the stack: sigsp keeps sp");
	tu_settle(&u);
	tu_teardown(&u);
}

/* get_signal's default actions: terminate, core dump, stop, ignore. */
PM_TEST(deliver, default_actions)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sig_delivery d;
	const struct {
		int sig;
		int act;
	} c[] = {
	    {SIGTERM, PM_SIGACT_EXIT},     {SIGRTMIN + 3, PM_SIGACT_EXIT},
	    {SIGSEGV, PM_SIGACT_COREDUMP}, {SIGSYS, PM_SIGACT_COREDUMP},
	    {SIGSTOP, PM_SIGACT_STOP},
	};

	tu_setup(&u, NULL);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		pm_sigset_t m = pm_sigmask(c[i].sig);

		a = tu_fork(u.init);
		/* Blocked so that the fatal fast path is not taken at generation. */
		cr_assert_eq(pm_sigprocmask(a, PM_SIG_BLOCK, &m, NULL), 0);
		cr_assert_eq(pm_kill(u.init, pm_getpid(a), c[i].sig), 0);
		cr_assert_eq(pm_sigprocmask(a, PM_SIG_UNBLOCK, &m, NULL), 0);
		cr_assert_eq(sig_next(a, &d), c[i].act, "signal %d", c[i].sig);
		cr_assert_eq(d.signo, c[i].sig);
		if (c[i].act == PM_SIGACT_STOP) {
			cr_assert(pm_sig_thread_stopped(a));
			cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGKILL), 0);
		} else {
			cr_assert_eq(pm_exit_signaled(a, c[i].sig, false), 0);
		}
		tu_settle(&u);
	}
	/* Ignored by default while blocked stays queued; once unblocked the
	 * dequeue drops it (SIGCHLD, SIGURG, SIGWINCH). */
	a = tu_fork(u.init);
	pm_sigset_t m = pm_sigmask(SIGWINCH);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_BLOCK, &m, NULL), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGWINCH), 0);
	cr_assert(pm_sigismember(pm_sigpending(a), SIGWINCH), "blocked signals are never ignored");
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_UNBLOCK, &m, NULL), 0);
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_NONE);
	cr_assert_eq(pm_sigpending(a), 0);
	tu_settle(&u);
	tu_teardown(&u);
}

/* The restart table of handle_signal (with a handler) and
 * arch_do_signal_or_restart (without). */
PM_TEST(deliver, restart_decisions)
{
	struct pm_sig_delivery plain = {0}, restart = {0};
	const struct {
		int64_t ret;
		enum pm_restart_action none, h, hr;
	} c[] = {
	    {-PM_ERESTARTSYS, PM_RESTART_AGAIN, PM_RESTART_EINTR, PM_RESTART_AGAIN},
	    {-PM_ERESTARTNOINTR, PM_RESTART_AGAIN, PM_RESTART_AGAIN, PM_RESTART_AGAIN},
	    {-PM_ERESTARTNOHAND, PM_RESTART_AGAIN, PM_RESTART_EINTR, PM_RESTART_EINTR},
	    {-PM_ERESTART_RESTARTBLOCK, PM_RESTART_RESTARTBLOCK, PM_RESTART_EINTR,
	     PM_RESTART_EINTR},
	    {-PM_EINTR, PM_RESTART_NONE, PM_RESTART_NONE, PM_RESTART_NONE},
	    {0, PM_RESTART_NONE, PM_RESTART_NONE, PM_RESTART_NONE},
	    {5, PM_RESTART_NONE, PM_RESTART_NONE, PM_RESTART_NONE},
	};

	plain.action = restart.action = PM_SIGACT_HANDLER;
	restart.ka.sa_flags = PM_SA_RESTART;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cr_assert_eq(pm_sig_restart_action(c[i].ret, NULL), c[i].none, "%zu no handler", i);
		cr_assert_eq(pm_sig_restart_action(c[i].ret, &plain), c[i].h, "%zu handler", i);
		cr_assert_eq(pm_sig_restart_action(c[i].ret, &restart), c[i].hr, "%zu SA_RESTART",
		             i);
	}
	cr_assert_eq(PM_ERESTARTSYS, 512);
	cr_assert_eq(PM_ERESTARTNOINTR, 513);
	cr_assert_eq(PM_ERESTARTNOHAND, 514);
	cr_assert_eq(PM_ERESTART_RESTARTBLOCK, 516);
}

static bool last_wakeup(struct pm_event *out)
{
	bool found = false;
	struct pm_event ev;

	for (size_t i = 0; pm_host_event_get(i, &ev); i++)
		if (ev.type == PM_EVENT_SIGNAL_PENDING) {
			*out = ev;
			found = true;
		}
	return found;
}

/* signal_wake_up: PM_EVENT_SIGNAL_PENDING names the thread when it gains
 * a deliverable signal; nothing for a blocked one; a SIGKILL resumes a
 * stopped thread (arg 1). */
PM_TEST(deliver, wakeup_events)
{
	struct tu u;
	struct pm_thread *a, *t2;
	struct pm_sig_delivery d;
	struct pm_event ev;
	pm_sigset_t m = pm_sigmask(SIGUSR1);

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	sig_handle(a, SIGUSR1, H1, 0, 0);
	sig_handle(a, SIGUSR2, H1, 0, 0);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_BLOCK, &m, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_BLOCK, &m, NULL), 0);
	pm_host_events_clear();
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_host_events_count(), 0, "blocked everywhere: nobody to wake");
	cr_assert_not(pm_sig_pending(t2));
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(t2), SIGUSR2), 0);
	cr_assert_eq(sig_wakeups(t2), 1);
	cr_assert(last_wakeup(&ev));
	cr_assert_eq(ev.thread, t2);
	cr_assert_eq(ev.process, a->process);
	cr_assert_eq(ev.arg, 0);
	sig_drain(t2);
	/* t2 unblocks the shared SIGUSR1: it finds it itself. */
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_UNBLOCK, &m, NULL), 0);
	cr_assert(pm_sig_pending(t2));
	cr_assert_eq(sig_next(t2, &d), PM_SIGACT_HANDLER);
	cr_assert_eq(d.signo, SIGUSR1);
	/* Stopped, then SIGKILL: resume = 1. */
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGSTOP), 0);
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_STOP);
	cr_assert_eq(sig_next(t2, &d), PM_SIGACT_STOP);
	pm_host_events_clear();
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGKILL), 0);
	cr_assert_eq(sig_wakeups(a), 1);
	cr_assert(last_wakeup(&ev));
	cr_assert_eq(ev.arg, 1, "resume a stopped thread");
	tu_settle(&u);
	tu_teardown(&u);
}
