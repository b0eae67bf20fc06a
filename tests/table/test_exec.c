/* SPDX-License-Identifier: MIT */
/*
 * The table side of execve (Linux fs/exec.c: de_thread, begin_new_exec;
 * kernel/pid.c: exchange_tids), and iteration, counters and fault
 * injection of the remaining allocation paths.
 */
#include <stdlib.h>

#include "table_fixture.h"
#include "procmgr/host.h"

TestSuite(exec, .init = pm_test_setup);

PM_TEST(exec, non_leader_exec_takes_the_leaders_pid)
{
	struct tu u;
	struct pm_thread *a, *t1, *t2;
	struct pm_wait_result r;
	uint32_t left = 99;
	pm_pid_t tid1;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t1 = tu_thread(a);
	t2 = tu_thread(a);
	tid1 = pm_gettid(t1);
	cr_assert_eq(pm_exec_dethread(t1, &left), 0);
	cr_assert_eq(left, 2, "two other threads must go");
	cr_assert(pm_thread_exit_pending(a));
	cr_assert(pm_thread_exit_pending(t2));
	cr_assert(!pm_thread_exit_pending(t1));
	cr_assert_eq(pm_exec_dethread_commit(t1, false), -PM_EBUSY);
	cr_assert_eq(pm_exec_dethread(t2, &left), -PM_EAGAIN,
	             "de_thread: another group action in progress");
	tu_settle(&u);
	cr_assert_eq(pm_exec_dethread(t1, &left), 0);
	cr_assert_eq(left, 0);
	cr_assert_eq(pm_exec_dethread_commit(t1, false), 0);
	tu_check(&u);
	cr_assert_eq(pm_gettid(t1), 2, "exchange_tids: the exec'er now holds the leader's id");
	cr_assert_eq(pm_getpid(t1), 2);
	cr_assert_eq(pm_getppid(t1), 1);
	cr_assert_eq(tu_wait4(u.init, -1, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0, "the old leader went away silently");
	pm_table_lock(&u.t);
	cr_assert_null(pm_find_thread_locked(pm_thread_pidns(t1), tid1),
	               "the exec'er's old tid went with the old leader");
	pm_table_unlock(&u.t);
	cr_assert_eq(pm_exit_group(t1, 12), 0);
	cr_assert_eq(tu_wait4(u.init, 2, 0, &r), 0);
	cr_assert_eq(r.status, 12 << 8);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exec, exec_clears_pdeathsig_only_when_secure_and_releases_vfork)
{
	struct tu u;
	struct pm_thread *a, *c;
	uint32_t left;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_VFORK, SIGCHLD, &c), 0);
	cr_assert_eq(pm_set_pdeathsig(c, SIGTERM), 0);
	cr_assert_eq(pm_exec_dethread(c, &left), 0);
	cr_assert_eq(pm_exec_dethread_commit(c, false), 0);
	cr_assert_null(pm_thread_vfork_parent(c), "exec ends the vfork");
	cr_assert_eq(pm_get_pdeathsig(c), SIGTERM);
	cr_assert_eq(pm_exec_dethread_commit(c, true), 0);
	cr_assert_eq(pm_get_pdeathsig(c), 0, "begin_new_exec: secureexec clears it");
	cr_assert_eq(pm_unshare(c, PM_CLONE_VM, false), 0, "no longer shares the parent's mm");
	tu_teardown(&u);
}

PM_TEST(exec, group_exit_refuses_exec)
{
	struct tu u;
	struct pm_thread *a, *t;
	uint32_t left;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	cr_assert_eq(pm_exit_group(a, 0), 0);
	cr_assert_eq(pm_exec_dethread(t, &left), -PM_EAGAIN);
	cr_assert_eq(pm_exit_group(t, 0), 0);
	cr_assert_eq(pm_exec_dethread(t, &left), -PM_ESRCH, "t has exited");
	cr_assert_eq(pm_exec_dethread_commit(t, false), -PM_ESRCH);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(exec, iteration_and_stats)
{
	struct tu u;
	struct pm_thread *a, *b, *c, *t;
	struct pm_process *p;
	struct pm_thread *th;
	struct pm_table_stats s;
	int n;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(u.init);
	c = tu_fork(a);
	t = tu_thread(a);
	cr_assert_eq(pm_setpgid(a, 0, 0), 0);
	cr_assert_eq(pm_setpgid(a, pm_getpid(c), pm_getpid(a)), 0);
	pm_table_lock(&u.t);
	n = 0;
	for (p = NULL; (p = pm_child_next_locked(u.init, p)) != NULL; n++)
		cr_assert_eq(p, pm_thread_process(n == 0 ? a : b));
	cr_assert_eq(n, 2);
	n = 0;
	for (th = NULL; (th = pm_thread_next_locked(pm_thread_process(a), th)) != NULL; n++)
		cr_assert_eq(th, n == 0 ? a : t);
	cr_assert_eq(n, 2);
	n = 0;
	for (p = NULL;
	     (p = pm_pgrp_next_locked(pm_process_pgrp_locked(pm_thread_process(a)), p)) != NULL;
	     n++)
		cr_assert_eq(p, pm_thread_process(n == 0 ? a : c));
	cr_assert_eq(n, 2);
	n = 0;
	for (p = NULL; (p = pm_session_next_locked(pm_process_session_locked(pm_thread_process(b)),
	                                           p)) != NULL;
	     n++)
		;
	cr_assert_eq(n, 4, "everybody is in init's session");
	cr_assert_eq(pm_find_thread_locked(pm_thread_pidns(a), pm_gettid(t)), t);
	cr_assert_null(pm_find_process_locked(pm_thread_pidns(a), pm_gettid(t)));
	cr_assert_eq(pm_find_process_locked(pm_thread_pidns(a), 2), pm_thread_process(a));
	cr_assert_eq(pm_process_parent_locked(pm_thread_process(c)), pm_thread_process(a));
	cr_assert_null(pm_process_parent_locked(pm_thread_process(u.init)));
	pm_table_unlock(&u.t);

	pm_thread_set_sleeping(b, true);
	pm_thread_set_sleeping(a, true);
	pm_table_stats(&u.t, &s);
	cr_assert_eq(s.processes, 4);
	cr_assert_eq(s.threads, 5);
	cr_assert_eq(s.by_state[PM_PROC_SLEEPING], 1, "a still has a running thread");
	cr_assert_eq(s.by_state[PM_PROC_RUNNING], 3);
	pm_thread_set_sleeping(t, true);
	tu_stop(c, SIGSTOP);
	cr_assert_eq(pm_thread_exit(b, 0), 0);
	pm_table_stats(&u.t, &s);
	cr_assert_eq(s.by_state[PM_PROC_SLEEPING], 1);
	cr_assert_eq(s.by_state[PM_PROC_STOPPED], 1);
	cr_assert_eq(s.by_state[PM_PROC_ZOMBIE], 1);
	cr_assert_eq(s.by_state[PM_PROC_RUNNING], 1);
	cr_assert_eq(s.processes_created, 4);
	cr_assert_eq(s.threads_created, 5);
	cr_assert_eq(s.processes_exited, 1);
	cr_assert_eq(s.namespaces, 1);
	cr_assert_eq(s.root_pids, 5);
	cr_assert_gt(s.radix_nodes, 0);
	tu_check(&u);
	tu_teardown(&u);
}

PM_TEST(exec, spawn_init_and_unshare_fault_injection)
{
	struct pm_table_config cfg = {.no_node_cache = true};
	struct pm_table t;
	struct pm_process *p = tu_new_process();
	struct pm_thread *th = tu_new_thread();
	int failures = 0;

	for (uint64_t n = 1;; n++) {
		const char *why;
		int err;

		cr_assert_eq(pm_table_init(&t, &cfg), 0);
		pm_host_fault_alloc_nth(n);
		err = pm_table_spawn_init(&t, p, th);
		pm_host_fault_reset();
		if (err == 0)
			break;
		failures++;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(pm_table_check(&t, &why), 0, "%s", why);
		pm_table_destroy(&t);
	}
	cr_assert_eq(failures, 7,
	             "the pid, the dispositions, init_cred and its per-user counters, "
	             "three radix nodes");
	cr_assert_eq(pm_table_spawn_init(&t, p, th), -PM_EINVAL, "init exists already");
	cr_assert_eq(pm_table_spawn_init(&t, NULL, th), -PM_EINVAL);
	failures = 0;
	for (uint64_t n = 1;; n++) {
		const char *why;
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_unshare(th, PM_CLONE_NEWPID, false);
		pm_host_fault_reset();
		if (err == 0)
			break;
		failures++;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(pm_table_check(&t, &why), 0, "%s", why);
		cr_assert_eq(pm_thread_pidns_for_children(th), pm_thread_pidns(th));
	}
	cr_assert_eq(failures, 1);
	pm_table_destroy(&t);
	free(p);
	free(th);
}

PM_TEST(exec, table_init_rejects_bad_pid_max)
{
	struct pm_table t;
	struct pm_table_config cfg = {.pid_max = 300};

	cr_assert_eq(pm_table_init(NULL, NULL), -PM_EINVAL);
	cr_assert_eq(pm_table_init(&t, &cfg), -PM_EINVAL, "pid_max_min is RESERVED_PIDS + 1");
	cfg.pid_max = PM_PID_MAX_LIMIT + 1;
	cr_assert_eq(pm_table_init(&t, &cfg), -PM_EINVAL);
	cfg.pid_max = 301;
	cr_assert_eq(pm_table_init(&t, &cfg), 0);
	pm_table_destroy(&t);
}

PM_TEST(exec, exec_in_a_thread_of_global_init_keeps_init_known)
{
	struct tu u;
	struct pm_thread *t;
	uint32_t left;

	tu_setup(&u, NULL);
	t = tu_thread(u.init);
	cr_assert_eq(pm_exec_dethread(t, &left), 0);
	tu_settle(&u); /* the old leader exits and, after the commit, goes */
	cr_assert_eq(pm_exec_dethread_commit(t, false), 0);
	tu_settle(&u);
	cr_assert_eq(pm_getpid(t), 1);
	cr_assert_eq(pm_gettid(t), 1, "found by the fuzzer: the table followed the old leader");
	u.init = t;
	tu_teardown(&u);
}
