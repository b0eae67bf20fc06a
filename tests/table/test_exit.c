/* SPDX-License-Identifier: MIT */
/*
 * Exit, zombies and reparenting (Linux kernel/exit.c: do_exit,
 * do_group_exit, synchronize_group_exit, exit_notify,
 * forget_original_parent, find_new_reaper, reparent_leader, release_task;
 * kernel/signal.c: do_notify_parent).
 */
#include <unistd.h>

#include "table_fixture.h"
#include "procmgr/host.h"

TestSuite(exit, .init = pm_test_setup);

PM_TEST(exit, zombie_until_reaped_then_released)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_table_stats s;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(a, 256 + 7), 0);
	tu_check(&u);
	pm_table_stats(&u.t, &s);
	cr_assert_eq(s.processes, 2, "a zombie stays in the table");
	cr_assert_eq(s.by_state[PM_PROC_ZOMBIE], 1);
	cr_assert_eq(s.processes_exited, 1);
	cr_assert_eq(pm_process_state(pm_thread_process(a)), PM_PROC_ZOMBIE);
	cr_assert_eq(tu_events(PM_EVENT_PROCESS_EXIT), 1);
	cr_assert_eq(tu_events(PM_EVENT_CHILD_STATE), 1, "the parent's waiters are woken");
	cr_assert_eq(tu_events(PM_EVENT_RELEASE), 0);
	cr_assert_eq(pm_thread_exit(a, 0), -PM_ESRCH, "exit of an exited thread");
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(r.pid, 2);
	cr_assert_eq(r.status, 7 << 8, "exit(n) stores (n & 0xff) << 8");
	cr_assert_eq(tu_events(PM_EVENT_RELEASE), 2, "thread and process");
	tu_settle(&u);
	pm_table_stats(&u.t, &s);
	cr_assert_eq(s.processes, 1);
	cr_assert_eq(s.by_state[PM_PROC_ZOMBIE], 0);
	tu_teardown(&u);
}

PM_TEST(exit, leader_exits_first_the_last_thread_sets_the_status)
{
	struct tu u;
	struct pm_thread *a, *t;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	cr_assert_eq(pm_thread_exit(a, 1), 0);
	tu_check(&u);
	/* delay_group_leader: a zombie leader with live threads is not reapable. */
	cr_assert_eq(tu_wait4(u.init, -1, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0);
	cr_assert_eq(pm_getpid(t), 2, "the process lives on in its other thread");
	cr_assert_eq(pm_thread_exit(t, 9), 0);
	tu_check(&u);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 2);
	cr_assert_eq(r.status, 9 << 8, "synchronize_group_exit: the last thread's code wins");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, exit_group_status_wins_over_later_exits)
{
	struct tu u;
	struct pm_thread *a, *t1, *t2;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t1 = tu_thread(a);
	t2 = tu_thread(a);
	pm_host_events_clear();
	cr_assert_eq(pm_exit_group(t1, 5), 0);
	cr_assert_eq(tu_events(PM_EVENT_SIGNAL_PENDING), 2, "zap_other_threads wakes each");
	cr_assert(pm_thread_exit_pending(a));
	cr_assert(pm_thread_exit_pending(t2));
	cr_assert_eq(pm_thread_exit(t2, 77), 0);
	cr_assert_eq(pm_exit_group(a, 88), 0);
	tu_check(&u);
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	cr_assert_eq(r.status, 5 << 8, "group_exit_code is reported");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, killed_status_and_core_bit)
{
	struct tu u;
	struct pm_thread *a, *b;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(u.init);
	cr_assert_eq(pm_exit_signaled(a, 0, false), -PM_EINVAL);
	cr_assert_eq(pm_exit_signaled(a, 65, false), -PM_EINVAL);
	cr_assert_eq(pm_exit_signaled(a, SIGTERM, false), 0);
	cr_assert_eq(pm_exit_signaled(b, SIGSEGV, true), 0);
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	cr_assert_eq(r.status, SIGTERM);
	cr_assert_eq(tu_wait4(u.init, 3, 0, &r), 0);
	cr_assert_eq(r.status, SIGSEGV | 0x80, "WCOREDUMP");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, orphans_go_to_init)
{
	struct tu u;
	struct pm_thread *a, *b;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	tu_check(&u);
	cr_assert_eq(pm_getppid(b), 1, "find_new_reaper: the namespace init");
	cr_assert_eq(pm_thread_exit(b, 4), 0);
	cr_assert_eq(tu_wait4(u.init, 3, 0, &r), 0);
	cr_assert_eq(r.status, 4 << 8);
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, zombie_orphan_is_reported_to_the_new_parent)
{
	struct tu u;
	struct pm_thread *a, *z;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	z = tu_fork(a);
	cr_assert_eq(pm_thread_exit(z, 6), 0);
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	/* reparent_leader: a zombie child notifies its new parent at once. */
	cr_assert_eq(tu_events(PM_EVENT_CHILD_STATE), 2);
	cr_assert_eq(tu_wait4(u.init, 3, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 3);
	cr_assert_eq(r.status, 6 << 8);
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(r.pid, 2);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, children_go_to_a_live_thread_first)
{
	struct tu u;
	struct pm_thread *a, *t, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	c = tu_fork(t);
	cr_assert_eq(pm_set_pdeathsig(c, SIGTERM), 0);
	cr_assert_eq(pm_thread_exit(t, 0), 0);
	tu_check(&u);
	/* The child stays in the process (a's leader thread) ... */
	cr_assert_eq(pm_getppid(c), 2);
	/* ... but its parent *thread* died: PR_SET_PDEATHSIG fires anyway. */
	cr_assert(pm_thread_exit_pending(c));
	tu_settle(&u);
	cr_assert_eq(tu_wait4(a, -1, 0, &r), 0);
	cr_assert_eq(r.status, SIGTERM, "killed by SIGTERM's default action");
	tu_teardown(&u);
}

PM_TEST(exit, subreaper_adopts_orphaned_descendants)
{
	struct tu u;
	struct pm_thread *s, *m, *c, *x, *y;

	tu_setup(&u, NULL);
	s = tu_fork(u.init);
	m = tu_fork(s);
	c = tu_fork(m);
	cr_assert_eq(pm_get_child_subreaper(s), 0);
	cr_assert_eq(pm_set_child_subreaper(s, 1), 0);
	cr_assert_eq(pm_get_child_subreaper(s), 1);
	cr_assert_eq(pm_thread_exit(m, 0), 0);
	tu_check(&u);
	cr_assert_eq(pm_getppid(c), pm_getpid(s), "nearest PR_SET_CHILD_SUBREAPER ancestor");
	/* Marked descendants keep has_child_subreaper when the flag is cleared,
	 * and a later child of c inherits it at fork. */
	x = tu_fork(c);
	y = tu_fork(x);
	cr_assert_eq(pm_set_child_subreaper(s, 0), 0);
	cr_assert_eq(pm_thread_exit(x, 0), 0);
	cr_assert_eq(pm_getppid(y), 1, "no live subreaper ancestor left: init");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, subreaper_set_after_fork_marks_existing_descendants)
{
	struct tu u;
	struct pm_thread *s, *m, *c;

	tu_setup(&u, NULL);
	s = tu_fork(u.init);
	m = tu_fork(s);
	c = tu_fork(m);
	cr_assert_eq(pm_set_child_subreaper(s, 1), 0);
	cr_assert_eq(pm_thread_exit(m, 0), 0);
	cr_assert_eq(pm_getppid(c), pm_getpid(s), "propagate_has_child_subreaper");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, pdeathsig_kill_and_ignored_signals)
{
	struct tu u;
	struct pm_thread *a, *b, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	c = tu_fork(a);
	cr_assert_eq(pm_set_pdeathsig(b, 65), -PM_EINVAL);
	cr_assert_eq(pm_set_pdeathsig(b, SIGKILL), 0);
	cr_assert_eq(pm_get_pdeathsig(b), SIGKILL);
	cr_assert_eq(pm_set_pdeathsig(c, SIGCHLD), 0);
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(u.init, 3, 0, &r), 0);
	cr_assert_eq(r.status, SIGKILL);
	cr_assert(!pm_thread_exited(c), "SIGCHLD's default action is to ignore it");
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	tu_teardown(&u);
}

PM_TEST(exit, exit_signal_default_action_reaches_the_parent)
{
	struct tu u;
	struct pm_thread *a, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_clone_legacy(a, SIGUSR1, &c), 0);
	cr_assert_eq(pm_thread_exit(c, 0), 0);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	cr_assert_eq(r.status, SIGUSR1, "the parent died of its child's exit signal (SIG_DFL)");
	tu_teardown(&u);
}

PM_TEST(exit, exit_signal_reverts_to_sigchld_after_the_parent_execs)
{
	struct tu u;
	struct pm_thread *a, *c;
	struct pm_wait_result r;
	uint32_t left;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_clone_legacy(a, SIGUSR1, &c), 0);
	cr_assert_eq(pm_exec_dethread(a, &left), 0);
	cr_assert_eq(left, 0);
	cr_assert_eq(pm_exec_dethread_commit(a, false), 0);
	cr_assert_eq(pm_thread_exit(c, 0), 0);
	tu_settle(&u);
	cr_assert(!pm_thread_exited(a), "do_notify_parent: parent_exec_id differs: SIGCHLD");
	cr_assert_eq(tu_wait4(a, -1, PM_WCLONE, &r), 0);
	cr_assert_eq(r.pid, 3);
	tu_teardown(&u);
}

PM_TEST(exit, session_leader_exit_is_reported)
{
	struct tu u;
	struct pm_thread *a;
	pm_pid_t sid;
	struct pm_event ev;
	bool seen = false;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_setsid(a, &sid), 0);
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	for (size_t i = 0; pm_host_event_get(i, &ev); i++)
		if (ev.type == PM_EVENT_SESSION_LEADER_EXIT) {
			seen = true;
			cr_assert_eq(ev.arg, 2);
			cr_assert_eq(ev.process, pm_thread_process(a));
		}
	cr_assert(seen, "disassociate_ctty runs for a dying session leader");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exit, rusage_accumulates_into_the_parents_children_totals)
{
	struct tu u;
	struct pm_thread *a, *b, *t;
	struct pm_rusage ru = {0}, out;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	t = tu_thread(b);
	ru.utime_ns = 100;
	ru.maxrss_kb = 50;
	pm_thread_add_rusage(b, &ru);
	ru.utime_ns = 30;
	ru.maxrss_kb = 70;
	pm_thread_add_rusage(t, &ru);
	cr_assert_eq(pm_exit_group(b, 0), 0);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(a, -1, 0, &r), 0);
	cr_assert_eq(r.rusage.utime_ns, 130, "every thread, the released one too");
	cr_assert_eq(r.rusage.maxrss_kb, 70);
	pm_process_rusage(pm_thread_process(a), true, &out);
	cr_assert_eq(out.utime_ns, 130, "wait_task_zombie adds to the waiter's c* totals");
	cr_assert_eq(pm_exit_group(a, 0), 0);
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(r.rusage.utime_ns, 130, "RUSAGE_BOTH includes reaped grandchildren");
	pm_process_rusage(pm_thread_process(u.init), true, &out);
	cr_assert_eq(out.utime_ns, 130);
	tu_teardown(&u);
}

static void panic_exit(const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	(void)msg;
	_exit(42);
}

Test(exit, global_init_exit_panics, .init = pm_test_setup, .exit_code = 42)
{
	struct pm_table t;
	struct pm_process *p = tu_new_process();
	struct pm_thread *th = tu_new_thread();

	pm_host_panic_handler(panic_exit);
	cr_assert_eq(pm_table_init(&t, NULL), 0);
	cr_assert_eq(pm_table_spawn_init(&t, p, th), 0);
	pm_thread_exit(th, 0); /* "Attempted to kill init!" */
}
