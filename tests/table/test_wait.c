/* SPDX-License-Identifier: MIT */
/*
 * wait4 and waitid (Linux kernel/exit.c: kernel_wait4, kernel_waitid,
 * do_wait, eligible_child, wait_consider_task, wait_task_zombie,
 * wait_task_stopped, wait_task_continued; status encoding of
 * include/uapi/linux/wait.h).
 */
#include "table_fixture.h"
#include "procmgr/host.h"

TestSuite(wait, .init = pm_test_setup);

PM_TEST(wait, wait4_argument_errors)
{
	struct tu u;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_wait4(u.init, -1, PM_WNOWAIT, &r), -PM_EINVAL, "not a wait4 option");
	cr_assert_eq(pm_wait4(u.init, -1, PM_WEXITED, &r), -PM_EINVAL, "not a wait4 option");
	cr_assert_eq(pm_wait4(u.init, -1, 0x100, &r), -PM_EINVAL);
	cr_assert_eq(pm_wait4(u.init, INT32_MIN, 0, &r), -PM_ESRCH, "-INT_MIN is not defined");
	cr_assert_eq(pm_wait4(u.init, -1, 0, &r), -PM_ECHILD, "no children at all");
	cr_assert_eq(pm_wait4(u.init, 77, 0, &r), -PM_ECHILD, "no such pid");
	cr_assert_eq(pm_wait4(u.init, -77, 0, &r), -PM_ECHILD, "no such group");
	tu_teardown(&u);
}

PM_TEST(wait, only_children_are_waitable)
{
	struct tu u;
	struct pm_thread *a, *b, *t;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	t = tu_thread(a);
	cr_assert_eq(pm_exit_group(b, 0), 0);
	cr_assert_eq(tu_wait4(u.init, pm_getpid(b), PM_WNOHANG, &r), -PM_ECHILD,
	             "a grandchild is not a child");
	cr_assert_eq(tu_wait4(u.init, pm_gettid(t), PM_WNOHANG, &r), -PM_ECHILD,
	             "the tid of a non-leader thread names no process");
	cr_assert_eq(tu_wait4(a, pm_getpid(a), PM_WNOHANG, &r), -PM_ECHILD, "not oneself");
	cr_assert_eq(tu_wait4(t, pm_getpid(b), 0, &r), 0,
	             "a sibling thread's child is waitable without __WNOTHREAD");
	cr_assert_eq(r.pid, 3);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(wait, nothing_ready_is_wnohang_zero_or_would_block)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0);
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), -PM_EAGAIN,
	             "a blocking wait reports would-block; the kernel sleeps");
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	cr_assert_eq(tu_events(PM_EVENT_CHILD_STATE), 1, "and is woken here");
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(r.pid, 2);
	tu_teardown(&u);
}

PM_TEST(wait, process_group_forms)
{
	struct tu u;
	struct pm_thread *a, *b, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(u.init);
	c = tu_fork(u.init);
	cr_assert_eq(pm_setpgid(b, 0, 0), 0);
	cr_assert_eq(pm_setpgid(u.init, pm_getpid(c), pm_getpid(b)), 0);
	cr_assert_eq(pm_exit_group(a, 1), 0);
	cr_assert_eq(pm_exit_group(b, 2), 0);
	cr_assert_eq(pm_exit_group(c, 3), 0);
	cr_assert_eq(tu_wait4(u.init, -3, 0, &r), 0);
	cr_assert_eq(r.pid, 3, "pid < -1: any child in group -pid, oldest first");
	cr_assert_eq(tu_wait4(u.init, -3, 0, &r), 0);
	cr_assert_eq(r.pid, 4);
	cr_assert_eq(tu_wait4(u.init, -3, 0, &r), -PM_ECHILD, "group gone");
	cr_assert_eq(tu_wait4(u.init, 0, 0, &r), 0);
	cr_assert_eq(r.pid, 2, "pid 0: the caller's own group");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(wait, wnothread_and_the_thread_order)
{
	struct tu u;
	struct pm_thread *a, *t, *ca, *ct;
	struct pm_wait_result r;
	pm_pid_t pca, pct;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	ca = tu_fork(a);
	ct = tu_fork(t);
	pca = pm_getpid(ca);
	pct = pm_getpid(ct);
	cr_assert_eq(pm_exit_group(ca, 1), 0);
	cr_assert_eq(pm_exit_group(ct, 2), 0);
	cr_assert_eq(tu_wait4(t, -1, 0, &r), 0);
	cr_assert_eq(r.pid, pct, "do_wait looks at the caller's own children first");
	cr_assert_eq(tu_wait4(t, -1, PM_WNOTHREAD, &r), -PM_ECHILD,
	             "__WNOTHREAD: only the calling thread's children");
	cr_assert_eq(tu_wait4(t, -1, 0, &r), 0);
	cr_assert_eq(r.pid, pca);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(wait, clone_children_need_wclone_or_wall)
{
	struct tu u;
	struct pm_thread *a, *n, *c;
	struct pm_wait_result r;
	pm_pid_t pn, pc;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	n = tu_fork(a);
	cr_assert_eq(tu_clone_legacy(a, 0, &c), 0);
	pn = pm_getpid(n);
	pc = pm_getpid(c);
	cr_assert_eq(pm_exit_group(n, 1), 0);
	cr_assert_eq(pm_exit_group(c, 2), 0);
	cr_assert_eq(tu_wait4(a, pc, PM_WNOHANG, &r), -PM_ECHILD);
	cr_assert_eq(tu_wait4(a, pn, PM_WCLONE | PM_WNOHANG, &r), -PM_ECHILD);
	cr_assert_eq(tu_wait4(a, -1, PM_WALL, &r), 0);
	cr_assert_eq(r.pid, pn);
	cr_assert_eq(tu_wait4(a, -1, PM_WALL, &r), 0);
	cr_assert_eq(r.pid, pc);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(wait, waitid_argument_errors_and_nothing_found)
{
	struct tu u;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	tu_fork(u.init);
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WNOHANG, &r), -PM_EINVAL,
	             "none of WEXITED, WSTOPPED, WCONTINUED");
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WEXITED | 0x100, &r), -PM_EINVAL);
	cr_assert_eq(pm_waitid(u.init, PM_P_PID, 0, PM_WEXITED, &r), -PM_EINVAL);
	cr_assert_eq(pm_waitid(u.init, PM_P_PID, -3, PM_WEXITED, &r), -PM_EINVAL);
	cr_assert_eq(pm_waitid(u.init, PM_P_PGID, -1, PM_WEXITED, &r), -PM_EINVAL);
	cr_assert_eq(pm_waitid(u.init, 4, 0, PM_WEXITED, &r), -PM_EINVAL, "unknown idtype");
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WEXITED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.signo, 0, "WNOHANG found nothing: si_signo 0");
	cr_assert_eq(r.pid, 0);
	cr_assert_eq(pm_waitid(u.init, PM_P_PGID, 0, PM_WEXITED | PM_WNOHANG, &r), 0,
	             "P_PGID 0: the caller's group (Linux 5.4+)");
	tu_teardown(&u);
}

PM_TEST(wait, waitid_siginfo_and_wnowait)
{
	struct tu u;
	struct pm_thread *a, *b, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(u.init);
	c = tu_fork(u.init);
	cr_assert_eq(pm_exit_group(a, 300), 0);
	cr_assert_eq(pm_exit_signaled(b, SIGTERM, false), 0);
	cr_assert_eq(pm_exit_signaled(c, SIGQUIT, true), 0);
	cr_assert_eq(pm_waitid(u.init, PM_P_PID, 2, PM_WEXITED | PM_WNOWAIT, &r), 0);
	cr_assert_eq(r.signo, SIGCHLD);
	cr_assert_eq(r.code, PM_CLD_EXITED);
	cr_assert_eq(r.cld_status, 300 & 0xff);
	cr_assert_eq(r.pid, 2);
	cr_assert_eq(r.uid, 0);
	cr_assert_eq(pm_waitid(u.init, PM_P_PID, 2, PM_WEXITED, &r), 0,
	             "WNOWAIT left the zombie waitable");
	cr_assert_eq(pm_waitid(u.init, PM_P_PID, 2, PM_WEXITED | PM_WNOHANG, &r), -PM_ECHILD);
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WEXITED, &r), 0);
	cr_assert_eq(r.code, PM_CLD_KILLED);
	cr_assert_eq(r.cld_status, SIGTERM);
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WEXITED, &r), 0);
	cr_assert_eq(r.code, PM_CLD_DUMPED);
	cr_assert_eq(r.cld_status, SIGQUIT);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(wait, a_zombie_is_invisible_to_wstopped_only)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_thread_exit(a, 3), 0);
	/* wait_task_zombie returns 0 without WEXITED and the zombie does not
	 * count as a child that could change (checked on Linux 6.18). */
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WSTOPPED, &r), -PM_ECHILD);
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WEXITED, &r), 0);
	tu_teardown(&u);
}

PM_TEST(wait, stop_and_continue_are_reported_once)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	pm_host_events_clear();
	tu_stop(a, SIGTSTP);
	cr_assert_eq(tu_events(PM_EVENT_CHILD_STATE), 1);
	cr_assert_eq(pm_process_state(pm_thread_process(a)), PM_PROC_STOPPED);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0, "stops need WUNTRACED");
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WSTOPPED | PM_WNOWAIT, &r), 0);
	cr_assert_eq(r.code, PM_CLD_STOPPED);
	cr_assert_eq(r.cld_status, SIGTSTP);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WUNTRACED, &r), 0);
	cr_assert_eq(r.status, (SIGTSTP << 8) | 0x7f);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WUNTRACED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0, "group_exit_code was consumed: reported once");
	tu_continue(a);
	cr_assert_eq(pm_process_state(pm_thread_process(a)), PM_PROC_RUNNING);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WCONTINUED, &r), 0);
	cr_assert_eq(r.status, 0xffff);
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WCONTINUED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.signo, 0, "SIGNAL_STOP_CONTINUED was cleared");
	tu_stop(a, SIGSTOP);
	tu_continue(a);
	cr_assert_eq(pm_waitid(u.init, PM_P_ALL, 0, PM_WCONTINUED, &r), 0);
	cr_assert_eq(r.code, PM_CLD_CONTINUED);
	cr_assert_eq(r.cld_status, SIGCONT);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WUNTRACED | PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0, "a stop cancelled by SIGCONT is not reported");
	tu_teardown(&u);
}

PM_TEST(wait, stopped_zombie_leader_still_reports_the_stop)
{
	struct tu u;
	struct pm_thread *a, *t;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	tu_stop(t, SIGSTOP);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WUNTRACED, &r), 0);
	cr_assert_eq(r.status, (SIGSTOP << 8) | 0x7f,
	             "wait_consider_task: a delayed group leader falls through to stops");
	tu_signal(t, SIGKILL, false);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(r.status, SIGKILL);
	tu_teardown(&u);
}
