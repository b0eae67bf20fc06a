/* SPDX-License-Identifier: MIT */
/*
 * Process groups and sessions (Linux kernel/sys.c: setpgid, getpgid,
 * ksys_setsid, getsid) and orphaned process groups (kernel/exit.c:
 * will_become_orphaned_pgrp, kill_orphaned_pgrp; POSIX.1 2.2.2.52 and
 * 3.2.2.2).
 */
#include "table_fixture.h"
#include "procmgr/host.h"

TestSuite(pgrp, .init = pm_test_setup);

static pm_pid_t pgid_of(struct pm_thread *t)
{
	pm_pid_t g = -1;

	cr_assert_eq(pm_getpgid(t, 0, &g), 0);
	return g;
}

static pm_pid_t sid_of(struct pm_thread *t)
{
	pm_pid_t s = -1;

	cr_assert_eq(pm_getsid(t, 0, &s), 0);
	return s;
}

PM_TEST(pgrp, setpgid_errors_in_linux_order)
{
	struct tu u;
	struct pm_thread *a, *b, *c, *t, *s;
	uint32_t left;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	c = tu_fork(a);
	t = tu_thread(a);
	s = tu_fork(a);
	cr_assert_eq(pm_setpgid(a, 0, -1), -PM_EINVAL, "pgid < 0");
	cr_assert_eq(pm_setpgid(a, 999, 0), -PM_ESRCH, "no such process");
	cr_assert_eq(pm_setpgid(a, -4, 0), -PM_EINVAL, "pgid 0 takes pid: -4");
	cr_assert_eq(pm_setpgid(a, -4, 1), -PM_ESRCH);
	cr_assert_eq(pm_setpgid(a, pm_gettid(t), 0), -PM_EINVAL, "not a thread-group leader");
	cr_assert_eq(pm_setpgid(b, pm_getpid(c), 0), -PM_ESRCH, "a sibling: not our child");
	cr_assert_eq(pm_setpgid(u.init, pm_getpid(b), 0), -PM_ESRCH, "a grandchild");
	/* A child that exec'd may no longer be moved. */
	cr_assert_eq(pm_exec_dethread(c, &left), 0);
	cr_assert_eq(pm_exec_dethread_commit(c, false), 0);
	cr_assert_eq(pm_setpgid(a, pm_getpid(c), 0), -PM_EACCES);
	cr_assert_eq(pm_setpgid(c, 0, 0), 0, "the process itself still may");
	/* A child in another session. */
	{
		pm_pid_t sid;

		cr_assert_eq(pm_setsid(s, &sid), 0);
	}
	cr_assert_eq(pm_setpgid(a, pm_getpid(s), 0), -PM_EPERM);
	cr_assert_eq(pm_setpgid(s, 0, 0), -PM_EPERM, "a session leader cannot move");
	cr_assert_eq(pm_setpgid(u.init, 0, 0), -PM_EPERM, "init leads session 1");
	/* The target group must exist in the caller's session. */
	cr_assert_eq(pm_setpgid(a, pm_getpid(b), 999), -PM_EPERM, "no such group");
	cr_assert_eq(pm_setpgid(a, pm_getpid(b), pm_getpid(s)), -PM_EPERM,
	             "a group of another session");
	cr_assert_eq(pm_setpgid(a, pm_getpid(b), pm_getpid(a)), -PM_EPERM,
	             "pid a is a process but not (yet) a group");
	tu_check(&u);
	tu_teardown(&u);
}

PM_TEST(pgrp, setpgid_moves_and_creates_groups)
{
	struct tu u;
	struct pm_thread *a, *b, *c;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	c = tu_fork(a);
	cr_assert_eq(pm_setpgid(a, 0, 0), 0, "a new group led by a");
	cr_assert_eq(pgid_of(a), 2);
	cr_assert_eq(pgid_of(b), 1, "children keep the group they were forked in");
	cr_assert_eq(pm_setpgid(a, pm_getpid(b), pm_getpid(a)), 0, "into the parent's group");
	cr_assert_eq(pgid_of(b), 2);
	cr_assert_eq(pm_setpgid(a, pm_getpid(b), pm_getpid(a)), 0, "already there: 0");
	cr_assert_eq(pm_setpgid(c, 0, pm_getpid(c)), 0, "pgid == pid: its own group");
	cr_assert_eq(pgid_of(c), 4);
	cr_assert_eq(pm_setpgid(c, pm_getpid(c), pm_getpid(b)), -PM_EPERM,
	             "b's pid names no group");
	cr_assert_eq(pm_setpgid(c, 0, 1), 0, "back to init's group (same session)");
	tu_check(&u);
	tu_teardown(&u);
}

PM_TEST(pgrp, a_group_outlives_its_leader)
{
	struct tu u;
	struct pm_thread *a, *b, *c;
	struct pm_wait_result r;
	pm_pid_t g;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(u.init);
	c = tu_fork(u.init);
	cr_assert_eq(pm_setpgid(a, 0, 0), 0);
	cr_assert_eq(pm_setpgid(b, 0, 2), 0);
	cr_assert_eq(pm_thread_exit(a, 0), 0);
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	tu_settle(&u);
	cr_assert_eq(pm_getpgid(b, 0, &g), 0);
	cr_assert_eq(g, 2, "pid 2 lives on as b's group id");
	cr_assert_eq(pm_setpgid(c, 0, 2), 0, "and can still be joined");
	cr_assert_eq(tu_clone(u.init, 0, SIGCHLD, &a), 0);
	cr_assert_neq(pm_getpid(a), 2, "numbers are reused only when nothing holds them");
	tu_teardown(&u);
}

PM_TEST(pgrp, getpgid_getsid)
{
	struct tu u;
	struct pm_thread *a, *t;
	pm_pid_t v;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	cr_assert_eq(pm_setpgid(a, 0, 0), 0);
	cr_assert_eq(pm_getpgid(u.init, pm_gettid(t), &v), 0, "any thread id names its process");
	cr_assert_eq(v, 2);
	cr_assert_eq(pm_getsid(u.init, pm_getpid(a), &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(pm_getpgid(u.init, 555, &v), -PM_ESRCH);
	cr_assert_eq(pm_getsid(u.init, 555, &v), -PM_ESRCH);
	cr_assert_eq(pm_exit_group(a, 0), 0);
	tu_settle(&u);
	cr_assert_eq(pm_getpgid(u.init, 2, &v), 0, "a zombie still has its group");
	cr_assert_eq(v, 2);
	tu_teardown(&u);
}

PM_TEST(pgrp, setsid_rules)
{
	struct tu u;
	struct pm_thread *a, *b;
	pm_pid_t sid;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	cr_assert_eq(pm_setsid(u.init, &sid), -PM_EPERM, "already a session leader");
	cr_assert_eq(pm_setpgid(a, 0, 0), 0);
	cr_assert_eq(pm_setsid(a, &sid), -PM_EPERM, "a process group with our id exists");
	cr_assert_eq(pm_setsid(b, &sid), 0);
	cr_assert_eq(sid, 3);
	cr_assert_eq(sid_of(b), 3);
	cr_assert_eq(pgid_of(b), 3, "set_special_pids: new group too");
	cr_assert_eq(pm_setsid(b, &sid), -PM_EPERM);
	tu_check(&u);
	tu_teardown(&u);
}

/*
 * A shell-like session: sh (session leader), job leader j in its own group
 * with a child k in that group. The group's only link to the outside of the
 * group within the session is j's parent sh.
 */
struct job {
	struct pm_thread *sh, *j, *k;
};

static void make_job(struct tu *u, struct job *jb)
{
	pm_pid_t sid;

	jb->sh = tu_fork(u->init);
	cr_assert_eq(pm_setsid(jb->sh, &sid), 0);
	jb->j = tu_fork(jb->sh);
	cr_assert_eq(pm_setpgid(jb->j, 0, 0), 0);
	jb->k = tu_fork(jb->j);
}

PM_TEST(pgrp, orphaned_by_reparenting_with_stopped_member_gets_hup_cont)
{
	struct tu u;
	struct job jb;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	make_job(&u, &jb);
	tu_stop(jb.k, SIGSTOP);
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(jb.sh, 0), 0);
	cr_assert_eq(tu_events(PM_EVENT_PGRP_ORPHANED), 1);
	tu_settle(&u);
	/* SIGHUP's default action killed every member, the stopped one too. */
	cr_assert_eq(tu_wait4(u.init, pm_getpid(jb.j), 0, &r), 0);
	cr_assert_eq(r.status, SIGHUP);
	cr_assert_eq(tu_wait4(jb.j, -1, 0, &r), -PM_ESRCH, "j itself is gone");
	tu_teardown(&u);
}

PM_TEST(pgrp, orphaned_without_stopped_members_gets_no_signal)
{
	struct tu u;
	struct job jb;

	tu_setup(&u, NULL);
	make_job(&u, &jb);
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(jb.sh, 0), 0);
	tu_settle(&u);
	cr_assert_eq(tu_events(PM_EVENT_PGRP_ORPHANED), 1, "reported, but nothing sent");
	cr_assert(!pm_thread_exited(jb.j));
	cr_assert(!pm_thread_exited(jb.k));
	tu_teardown(&u);
}

PM_TEST(pgrp, orphaned_by_the_exit_of_the_last_link)
{
	struct tu u;
	struct job jb;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	make_job(&u, &jb);
	tu_stop(jb.k, SIGTSTP);
	cr_assert_eq(pm_thread_exit(jb.j, 0), 0);
	tu_settle(&u);
	/* k was reparented to init, then SIGHUP killed it. */
	cr_assert_eq(tu_wait4(u.init, pm_getpid(jb.k), 0, &r), 0);
	cr_assert_eq(r.status, SIGHUP);
	tu_teardown(&u);
}

PM_TEST(pgrp, orphaned_group_discards_terminal_stops_not_sigstop)
{
	struct tu u;
	struct job jb;

	tu_setup(&u, NULL);
	make_job(&u, &jb);
	tu_signal(jb.k, SIGTSTP, false);
	tu_settle(&u);
	cr_assert_eq(pm_process_state(pm_thread_process(jb.k)), PM_PROC_STOPPED,
	             "a group linked to its session stops on SIGTSTP");
	tu_continue(jb.k);
	cr_assert_eq(pm_thread_exit(jb.sh, 0), 0);
	tu_settle(&u);
	tu_signal(jb.k, SIGTSTP, false);
	tu_settle(&u);
	cr_assert_eq(pm_process_state(pm_thread_process(jb.k)), PM_PROC_RUNNING,
	             "get_signal: SIGTSTP is discarded in an orphaned group");
	tu_signal(jb.k, SIGSTOP, false);
	tu_settle(&u);
	cr_assert_eq(pm_process_state(pm_thread_process(jb.k)), PM_PROC_STOPPED,
	             "SIGSTOP stops even there");
	tu_teardown(&u);
}
