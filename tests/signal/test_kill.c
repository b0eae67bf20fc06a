/* SPDX-License-Identifier: MIT */
/*
 * Generation (Linux kernel/signal.c: kill_something_info,
 * __kill_pgrp_info, kill_proc_info, check_kill_permission /
 * kill_ok_by_cred, do_tkill / do_send_specific, do_rt_sigqueueinfo,
 * do_rt_tgsigqueueinfo, complete_signal / wants_signal, sig_task_ignored
 * for SIGNAL_UNKILLABLE).
 */
#include <string.h>

#include "sig_fixture.h"
#include "signal/signal_internal.h"

TestSuite(kill, .init = pm_test_setup);

/* kill_something_info: pid > 0 ESRCH before EINVAL; sig 0 probes. */
PM_TEST(kill, pid_positive_errors)
{
	struct tu u;
	struct pm_thread *a;
	struct sig_snap s;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	snap_take(a->process, &s);
	cr_assert_eq(pm_kill(u.init, 999, SIGTERM), -PM_ESRCH);
	cr_assert_eq(pm_kill(u.init, 999, 65), -PM_ESRCH, "the lookup comes first");
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), 65), -PM_EINVAL);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), -1), -PM_EINVAL);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), 0), 0, "the null signal probes");
	cr_assert_eq(pm_kill(u.init, INT32_MIN, SIGTERM), -PM_ESRCH);
	snap_assert(a->process, &s, "kill that sent nothing");
	tu_settle(&u);
	tu_teardown(&u);
}

/* kill_ok_by_cred: the sender's real or effective uid must match the
 * target's real or saved uid (or CAP_KILL); SIGCONT within the session
 * always passes. kill(pid < -1) succeeds if any member accepted, else
 * the last error; kill(-1) skips init and the caller, returns 0 even if
 * every target refused (EPERM is not kept), ESRCH with no target. */
PM_TEST(kill, permission_and_aggregation)
{
	struct tu u;
	struct pm_thread *a, *b, *c, *d;
	pm_sigset_t all = ~(pm_sigset_t)0;
	pm_pid_t sid;
	struct sig_snap s;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_setsid(a, &sid), 0);
	b = tu_fork(a);
	c = tu_fork(a);
	d = tu_fork(u.init); /* other session, root */
	cr_assert_eq(pm_sigprocmask(b, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sigprocmask(c, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sigprocmask(d, PM_SIG_SETMASK, &all, NULL), 0);
	sig_setuid(a, 1000);
	sig_setuid(b, 1000);
	/* c stays root. */
	snap_take(c->process, &s);
	cr_assert_eq(pm_kill(a, pm_getpid(c), SIGUSR1), -PM_EPERM);
	cr_assert_eq(pm_kill(a, pm_getpid(c), 0), -PM_EPERM, "the probe checks permission");
	cr_assert_eq(pm_kill(a, pm_getpid(c), 65), -PM_EINVAL, "EINVAL before EPERM");
	snap_assert(c->process, &s, "a refused kill");
	cr_assert_eq(pm_kill(a, pm_getpid(b), SIGUSR1), 0, "same real uid");
	cr_assert_eq(pm_kill(a, pm_getpid(c), SIGCONT), 0, "SIGCONT in the session");
	cr_assert_eq(pm_kill(a, pm_getpid(d), SIGCONT), -PM_EPERM, "not across sessions");
	/* The group a, b, c: b accepts, c refuses: success. */
	cr_assert_eq(pm_kill(a, 0, SIGUSR2), 0);
	cr_assert(pm_sigismember(pm_sigpending(b), SIGUSR2));
	cr_assert_not(pm_sigismember(pm_sigpending(c), SIGUSR2));
	cr_assert_eq(pm_kill(b, -sid, SIGINT), 0);
	cr_assert_eq(pm_kill(b, -999, SIGINT), -PM_ESRCH);
	/* Only refusals: EPERM for a group... */
	cr_assert_eq(pm_setpgid(c, 0, 0), 0);
	cr_assert_eq(pm_kill(a, -pm_getpid(c), SIGINT), -PM_EPERM);
	/* ...but 0 for kill(-1), which reached b and was refused by c, d. */
	cr_assert_eq(pm_kill(a, -1, SIGHUP), 0);
	cr_assert(pm_sigismember(pm_sigpending(b), SIGHUP));
	cr_assert_not(pm_sigismember(pm_sigpending(a), SIGHUP), "not the caller");
	cr_assert_not(pm_sigismember(pm_sigpending(d), SIGHUP));
	cr_assert_eq(pm_kill(u.init, -1, SIGUSR1), 0);
	cr_assert_not(pm_sigismember(pm_sigpending(u.init), SIGUSR1), "never init");
	cr_assert(pm_sigismember(pm_sigpending(d), SIGUSR1));
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(kill, kill_minus_one_alone_is_esrch)
{
	struct tu u;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_kill(u.init, -1, SIGTERM), -PM_ESRCH, "only init and the caller");
	tu_teardown(&u);
}

/* do_tkill: tgid/tid <= 0 EINVAL; a thread not in tgid ESRCH; si_code
 * SI_TKILL, thread-directed. */
PM_TEST(kill, tgkill_and_tkill)
{
	struct tu u;
	struct pm_thread *a, *t2, *b;
	struct pm_siginfo info;
	pm_sigset_t all = ~(pm_sigset_t)0;
	struct sig_snap s;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	b = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_SETMASK, &all, NULL), 0);
	snap_take(a->process, &s);
	cr_assert_eq(pm_tgkill(u.init, 0, pm_gettid(t2), SIGUSR1), -PM_EINVAL);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), -5, SIGUSR1), -PM_EINVAL);
	cr_assert_eq(pm_tkill(u.init, 0, SIGUSR1), -PM_EINVAL);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(b), pm_gettid(t2), SIGUSR1), -PM_ESRCH);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), 999, SIGUSR1), -PM_ESRCH);
	cr_assert_eq(pm_tkill(u.init, 999, SIGUSR1), -PM_ESRCH);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(t2), 65), -PM_EINVAL);
	snap_assert(a->process, &s, "a refused tgkill");
	cr_assert_eq(pm_tkill(u.init, pm_gettid(t2), SIGUSR1), 0);
	cr_assert_eq(t2->sig.pending.signal, pm_sigmask(SIGUSR1));
	cr_assert_eq(pm_sigtimedwait(t2, all, false, &info), SIGUSR1);
	cr_assert_eq(info.si_code, PM_SI_TKILL);
	cr_assert_eq(info.u.kill.pid, 1);
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_rt_sigqueueinfo: (si_code >= 0 || si_code == SI_TKILL) to another
 * thread is EPERM (forging the kernel or kill()); to oneself allowed. */
PM_TEST(kill, sigqueueinfo_si_code_rule)
{
	struct tu u;
	struct pm_thread *a, *t2;
	struct pm_siginfo info, got;
	pm_sigset_t all = ~(pm_sigset_t)0;
	const int32_t forged[] = {PM_SI_USER, PM_SI_KERNEL, 1, PM_SI_TKILL};
	struct sig_snap s;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_SETMASK, &all, NULL), 0);
	snap_take(a->process, &s);
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		memset(&info, 0, sizeof(info));
		info.si_code = forged[i];
		cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info), -PM_EPERM,
		             "si_code %d", forged[i]);
		cr_assert_eq(pm_rt_tgsigqueueinfo(a, pm_getpid(a), pm_gettid(t2), 40, &info),
		             -PM_EPERM, "another thread of the same process too");
	}
	info.si_code = PM_SI_QUEUE;
	cr_assert_eq(pm_rt_tgsigqueueinfo(u.init, 0, pm_gettid(t2), 40, &info), -PM_EINVAL);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, 999, 40, &info), -PM_ESRCH);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 65, &info), -PM_EINVAL);
	snap_assert(a->process, &s, "a refused sigqueueinfo");
	/* To oneself anything goes; si_signo is the call's. */
	memset(&info, 0, sizeof(info));
	info.si_code = PM_SI_KERNEL;
	info.si_signo = 3;
	cr_assert_eq(pm_rt_tgsigqueueinfo(t2, pm_getpid(a), pm_gettid(t2), 41, &info), 0);
	cr_assert_eq(pm_sigtimedwait(t2, all, false, &got), 41);
	cr_assert_eq(got.si_signo, 41);
	cr_assert_eq(got.si_code, PM_SI_KERNEL);
	info.si_code = PM_SI_QUEUE;
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 42, &info), 0);
	tu_settle(&u);
	tu_teardown(&u);
}

/* complete_signal / wants_signal: the main thread first if it can take
 * the signal, else round robin from the thread chosen last; threads that
 * block the signal or already have one pending are skipped. */
PM_TEST(kill, choosing_the_thread)
{
	struct tu u;
	struct pm_thread *a, *t2, *t3;
	pm_sigset_t usr1 = pm_sigmask(SIGUSR1);

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	t3 = tu_thread(a);
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sig_handle(a, sig, H1, 0, 0);
	pm_host_events_clear();
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR2), 0);
	cr_assert_eq(sig_wakeups(a), 1, "the main thread first");
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGINT), 0);
	cr_assert_eq(sig_wakeups(t2), 1, "the main thread is busy: the next one");
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGHUP), 0);
	cr_assert_eq(sig_wakeups(t3), 1, "round robin from the last chosen");
	sig_drain(a);
	sig_drain(t2);
	sig_drain(t3);
	/* Blocked threads are skipped. */
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_BLOCK, &usr1, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_BLOCK, &usr1, NULL), 0);
	pm_host_events_clear();
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(sig_wakeups(a) + sig_wakeups(t2), 0);
	cr_assert_eq(sig_wakeups(t3), 1);
	sig_drain(t3);
	tu_settle(&u);
	tu_teardown(&u);
}

/* complete_signal's fatal path: an unhandled fatal signal marks the group
 * exiting and gives every thread SIGKILL; a core-dumping one is left to
 * one thread (get_signal's do_coredump). */
PM_TEST(kill, fatal_signal_kills_the_group)
{
	struct tu u;
	struct pm_thread *a, *t2, *t3;
	struct pm_sig_delivery d;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	t3 = tu_thread(a);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGTERM), 0);
	cr_assert(fatal_pending(a) && fatal_pending(t2) && fatal_pending(t3));
	cr_assert_eq(sig_next(t3, &d), PM_SIGACT_EXIT);
	cr_assert_eq(d.signo, SIGKILL);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(WTERMSIG_(r.status), SIGTERM, "the group dies of the signal sent");
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGQUIT), 0);
	cr_assert_not(fatal_pending(t2), "a core dump is not the fast path");
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_COREDUMP);
	cr_assert_eq(d.signo, SIGQUIT);
	cr_assert_eq(pm_exit_signaled(a, SIGQUIT, true), 0);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(WTERMSIG_(r.status), SIGQUIT);
	cr_assert_eq(r.status & 0x80, 0x80, "WCOREDUMP");
	tu_settle(&u);
	tu_teardown(&u);
}

/* sig_task_ignored: a PID namespace's init takes default actions only of
 * SIGKILL and SIGSTOP, and only from an ancestor namespace; signals it
 * handles reach it from anywhere. */
PM_TEST(kill, namespace_init_only_with_a_handler)
{
	struct tu u;
	struct pm_thread *ni, *inner;
	struct pm_sig_delivery d;
	pm_pid_t outer_pid;

	tu_setup(&u, NULL);
	cr_assert_eq(tu_clone(u.init, PM_CLONE_NEWPID, SIGCHLD, &ni), 0);
	inner = tu_fork(ni);
	cr_assert_eq(pm_getpid(ni), 1);
	outer_pid = tu_pid(u.init, ni);
	cr_assert_eq(pm_kill(inner, 1, SIGTERM), 0);
	cr_assert_eq(pm_kill(inner, 1, SIGKILL), 0);
	cr_assert_eq(pm_kill(u.init, outer_pid, SIGTERM), 0);
	cr_assert_eq(pm_sigpending(ni) | ni->process->sig.shared_pending.signal, 0,
	             "dropped at generation");
	cr_assert_eq(sig_next(ni, &d), PM_SIGACT_NONE);
	sig_handle(ni, SIGTERM, H1, 0, 0);
	cr_assert_eq(pm_kill(inner, 1, SIGTERM), 0);
	cr_assert_eq(sig_next(ni, &d), PM_SIGACT_HANDLER, "a handled signal reaches it");
	cr_assert_eq(d.info.u.kill.pid, 2);
	cr_assert_eq(pm_kill(u.init, outer_pid, SIGTERM), 0);
	cr_assert_eq(sig_next(ni, &d), PM_SIGACT_HANDLER);
	cr_assert_eq(d.info.u.kill.pid, 0, "a sender outside the namespace is pid 0");
	cr_assert_eq(pm_kill(u.init, outer_pid, SIGKILL), 0);
	cr_assert_eq(sig_next(ni, &d), PM_SIGACT_EXIT, "SIGKILL from the parent namespace kills");
	cr_assert_eq(pm_exit_signaled(ni, SIGKILL, false), 0);
	tu_settle(&u);
	tu_teardown(&u);
}
