/* SPDX-License-Identifier: MIT */
/*
 * Job control and SIGCHLD (Linux kernel/signal.c: prepare_signal,
 * do_signal_stop, do_notify_parent_cldstop, get_signal's orphaned-group
 * rule, do_notify_parent; kernel/exit.c exit_notify).
 */
#include "sig_fixture.h"
#include "signal/signal_internal.h"

TestSuite(jobctl, .init = pm_test_setup);

/* A process whose group is not orphaned: its parent (a session leader)
 * is in another group of the same session. */
static struct pm_thread *job(struct tu *u, struct pm_thread **leader)
{
	struct pm_thread *s = tu_fork(u->init), *j;
	pm_pid_t sid;

	cr_assert_eq(pm_setsid(s, &sid), 0);
	j = tu_fork(s);
	cr_assert_eq(pm_setpgid(j, 0, 0), 0);
	*leader = s;
	return j;
}

/* SIGCHLD the parent has queued for child c, with its si_code. */
static int32_t chld_code(struct pm_thread *parent)
{
	struct pm_siginfo info;
	int sig = pm_sigtimedwait(parent, pm_sigmask(SIGCHLD), false, &info);

	return sig == SIGCHLD ? info.si_code : -1;
}

/* prepare_signal: a stop signal flushes a pending SIGCONT; SIGCONT
 * flushes pending stop signals (even blocked ones). */
PM_TEST(jobctl, stop_and_continue_flush_each_other)
{
	struct tu u;
	struct pm_thread *s, *j;
	pm_sigset_t all = ~(pm_sigset_t)0;

	tu_setup(&u, NULL);
	j = job(&u, &s);
	cr_assert_eq(pm_sigprocmask(j, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGTSTP), 0);
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGTTIN), 0);
	cr_assert_eq(pm_tgkill(s, pm_getpid(j), pm_getpid(j), SIGTTOU), 0);
	cr_assert_eq(pm_sigpending(j),
	             pm_sigmask(SIGTSTP) | pm_sigmask(SIGTTIN) | pm_sigmask(SIGTTOU));
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGCONT), 0);
	cr_assert_eq(pm_sigpending(j), pm_sigmask(SIGCONT), "SIGCONT flushed every stop signal");
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGTSTP), 0);
	cr_assert_eq(pm_sigpending(j), pm_sigmask(SIGTSTP), "a stop signal flushed SIGCONT");
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_signal_stop: every thread takes part; the last one completes the
 * group stop and the parent gets SIGCHLD CLD_STOPPED (status the signal)
 * and can wait for it; SIGCONT continues it and the first thread to run
 * reports CLD_CONTINUED. */
PM_TEST(jobctl, group_stop_and_continue_notify_the_parent)
{
	struct tu u;
	struct pm_thread *s, *j, *t2;
	struct pm_sig_delivery d;
	struct pm_wait_result r;
	struct pm_siginfo info;
	pm_sigset_t chld = pm_sigmask(SIGCHLD);

	tu_setup(&u, NULL);
	j = job(&u, &s);
	t2 = tu_thread(j);
	cr_assert_eq(pm_sigprocmask(s, PM_SIG_BLOCK, &chld, NULL), 0);
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGTSTP), 0);
	cr_assert_eq(sig_next(j, &d), PM_SIGACT_STOP);
	cr_assert_eq(d.signo, SIGTSTP);
	cr_assert_eq(pm_sigpending(s), 0, "not complete while t2 runs");
	cr_assert(pm_sig_pending(t2), "t2 is asked to take part");
	cr_assert_eq(sig_next(t2, &d), PM_SIGACT_STOP);
	cr_assert(pm_sig_thread_stopped(j) && pm_sig_thread_stopped(t2));
	cr_assert_eq(pm_sigtimedwait(s, chld, false, &info), SIGCHLD);
	cr_assert_eq(info.si_code, PM_CLD_STOPPED, "si_code %d", info.si_code);
	cr_assert_eq(info.u.chld.pid, pm_getpid(j));
	cr_assert_eq(info.u.chld.status, SIGTSTP);
	cr_assert_eq(tu_wait4(s, -1, PM_WUNTRACED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, pm_getpid(j));
	cr_assert(WIFSTOPPED_(r.status) && WSTOPSIG_(r.status) == SIGTSTP);
	cr_assert_eq(sig_next(t2, &d), PM_SIGACT_STOP, "stays stopped");
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGCONT), 0);
	cr_assert_not(pm_sig_thread_stopped(j));
	cr_assert_eq(sig_next(t2, &d), PM_SIGACT_NONE, "SIGCONT's default is ignore");
	cr_assert_eq(chld_code(s), PM_CLD_CONTINUED);
	cr_assert_eq(tu_wait4(s, -1, PM_WCONTINUED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.status, 0xffff, "WIFCONTINUED");
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_notify_parent_cldstop: no SIGCHLD when the parent's SIGCHLD has
 * SA_NOCLDSTOP (waiters are still woken). */
PM_TEST(jobctl, sa_nocldstop)
{
	struct tu u;
	struct pm_thread *s, *j;
	struct pm_sig_delivery d;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	j = job(&u, &s);
	sig_handle(s, SIGCHLD, H1, PM_SA_NOCLDSTOP, 0);
	pm_host_events_clear();
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGSTOP), 0);
	cr_assert_eq(sig_next(j, &d), PM_SIGACT_STOP);
	cr_assert_eq(pm_sigpending(s) | s->process->sig.shared_pending.signal, 0);
	cr_assert_geq(tu_events(PM_EVENT_CHILD_STATE), 1, "waiters woken anyway");
	cr_assert_eq(tu_wait4(s, -1, PM_WUNTRACED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, pm_getpid(j));
	cr_assert_eq(pm_kill(s, pm_getpid(j), SIGCONT), 0);
	(void)sig_next(j, &d);
	cr_assert_eq(s->process->sig.shared_pending.signal, 0, "nor for CLD_CONTINUED");
	tu_settle(&u);
	tu_teardown(&u);
}

/* get_signal: SIGTSTP, SIGTTIN and SIGTTOU do nothing to an orphaned
 * process group (SIGSTOP still stops). */
PM_TEST(jobctl, orphaned_group_ignores_tty_stops)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sig_delivery d;
	const int tty[] = {SIGTSTP, SIGTTIN, SIGTTOU};

	tu_setup(&u, NULL);
	a = tu_fork(u.init); /* init's group: orphaned (init has no parent) */
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(pm_kill(u.init, pm_getpid(a), tty[i]), 0);
		cr_assert_eq(sig_next(a, &d), PM_SIGACT_NONE, "signal %d", tty[i]);
		cr_assert_not(pm_sig_thread_stopped(a));
	}
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGSTOP), 0);
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_STOP);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGKILL), 0);
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_notify_parent: CLD_EXITED / CLD_KILLED / CLD_DUMPED with status. */
PM_TEST(jobctl, sigchld_on_exit)
{
	struct tu u;
	struct pm_thread *p, *c;
	struct pm_siginfo info;
	pm_sigset_t chld = pm_sigmask(SIGCHLD);
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	p = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(p, PM_SIG_BLOCK, &chld, NULL), 0);
	for (int k = 0; k < 3; k++) {
		c = tu_fork(p);
		if (k == 0)
			cr_assert_eq(pm_exit_group(c, 7), 0);
		else
			cr_assert_eq(pm_exit_signaled(c, k == 1 ? SIGTERM : SIGSEGV, k == 2), 0);
		tu_settle(&u);
		cr_assert_eq(pm_sigtimedwait(p, chld, false, &info), SIGCHLD);
		cr_assert_eq(info.u.chld.pid, tu_pid(p, c));
		cr_assert_eq(info.si_code, k == 0   ? PM_CLD_EXITED
		                           : k == 1 ? PM_CLD_KILLED
		                                    : PM_CLD_DUMPED);
		cr_assert_eq(info.u.chld.status, k == 0 ? 7 : k == 1 ? SIGTERM : SIGSEGV);
		cr_assert_eq(tu_wait4(p, -1, 0, &r), 0);
	}
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_notify_parent: SIGCHLD ignored (SIG_IGN) or SA_NOCLDWAIT: the child
 * is reaped at once and wait finds nothing (ECHILD). */
PM_TEST(jobctl, autoreap)
{
	struct tu u;
	struct pm_thread *p, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	for (int k = 0; k < 2; k++) {
		pm_sigset_t chld = pm_sigmask(SIGCHLD);

		p = tu_fork(u.init);
		if (k == 0) {
			sig_handle(p, SIGCHLD, PM_SIG_IGN, 0, 0);
		} else {
			sig_handle(p, SIGCHLD, H1, PM_SA_NOCLDWAIT, 0);
			cr_assert_eq(pm_sigprocmask(p, PM_SIG_BLOCK, &chld, NULL), 0);
		}
		c = tu_fork(p);
		cr_assert_eq(pm_exit_group(c, 0), 0);
		tu_settle(&u);
		cr_assert_eq(tu_wait4(p, -1, PM_WNOHANG, &r), -PM_ECHILD, "case %d", k);
		if (k == 1) {
			cr_assert(pm_sigismember(p->process->sig.shared_pending.signal, SIGCHLD),
			          "SA_NOCLDWAIT still sends SIGCHLD to a handler");
			cr_assert_eq(pm_sigprocmask(p, PM_SIG_UNBLOCK, &chld, NULL), 0);
			sig_drain(p);
		}
		cr_assert_eq(pm_exit_group(p, 0), 0);
		tu_settle(&u);
		cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	}
	tu_settle(&u);
	tu_teardown(&u);
}
