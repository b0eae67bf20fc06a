/* SPDX-License-Identifier: MIT */
/*
 * pm_clone: Linux's clone flag rules (kernel/fork.c: clone3_args_valid,
 * kernel_clone, copy_process; kernel/nsproxy.c: copy_namespaces), what the
 * child inherits, and that every failure changes nothing.
 */
#include <stdlib.h>

#include "table_fixture.h"
#include "table/table_internal.h"

TestSuite(clone, .init = pm_test_setup);

#define VM_SIGHAND_THREAD (PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD)

static void stats(struct tu *u, struct pm_table_stats *s)
{
	pm_table_stats(&u->t, s);
}

static void same_stats(const struct pm_table_stats *a, const struct pm_table_stats *b)
{
	cr_assert_eq(a->processes, b->processes);
	cr_assert_eq(a->threads, b->threads);
	cr_assert_eq(a->root_pids, b->root_pids);
	cr_assert_eq(a->namespaces, b->namespaces);
	cr_assert_eq(a->processes_created, b->processes_created);
	cr_assert_eq(a->threads_created, b->threads_created);
}

PM_TEST(clone, fork_numbers_parent_group_and_session)
{
	struct tu u;
	struct pm_thread *a, *b;
	pm_pid_t pgid, sid;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_getpid(u.init), 1);
	cr_assert_eq(pm_getppid(u.init), 0, "global init has no parent");
	a = tu_fork(u.init);
	b = tu_fork(a);
	tu_check(&u);
	cr_assert_eq(pm_getpid(a), 2);
	cr_assert_eq(pm_getpid(b), 3);
	cr_assert_eq(pm_gettid(b), 3, "a single-threaded process: tid == pid");
	cr_assert_eq(pm_getppid(b), 2);
	/* copy_process: the child joins the caller's group and session. */
	cr_assert_eq(pm_getpgid(b, 0, &pgid), 0);
	cr_assert_eq(pm_getsid(b, 0, &sid), 0);
	cr_assert_eq(pgid, 1);
	cr_assert_eq(sid, 1);
	cr_assert_eq(pm_thread_clone_flags(b), 0);
	cr_assert_eq(pm_get_pdeathsig(b), 0);
	tu_teardown(&u);
}

PM_TEST(clone, returns_the_childs_pid_in_the_callers_namespace)
{
	struct tu u;
	struct pm_clone_args a = {0, SIGCHLD, false, false};
	struct pm_process *p = tu_new_process();
	struct pm_thread *t = tu_new_thread();
	pm_pid_t pid = 0;

	tu_setup(&u, NULL);
	a.flags = PM_CLONE_NEWPID;
	cr_assert_eq(pm_clone(u.init, &a, p, t, &pid), 0);
	cr_assert_eq(pid, 2, "kernel_clone returns pid_vnr: the parent's view");
	cr_assert_eq(pm_getpid(t), 1, "the child is pid 1 of its new namespace");
	tu_teardown(&u);
}

PM_TEST(clone, threads_share_the_process_id)
{
	struct tu u;
	struct pm_thread *a, *t1, *t2;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t1 = tu_thread(a);
	t2 = tu_thread(t1);
	tu_check(&u);
	cr_assert_eq(pm_getpid(t1), pm_getpid(a));
	cr_assert_eq(pm_getpid(t2), pm_getpid(a));
	cr_assert_neq(pm_gettid(t1), pm_gettid(a));
	cr_assert_eq(pm_thread_process(t2), pm_thread_process(a));
	cr_assert_eq(pm_getppid(t2), 1, "CLONE_THREAD: real_parent is the group's parent");
	cr_assert_eq(pm_thread_clone_flags(t1), VM_SIGHAND_THREAD);
	tu_teardown(&u);
}

PM_TEST(clone, clone3_argument_rules)
{
	struct tu u;
	struct pm_table_stats before, after;

	tu_setup(&u, NULL);
	stats(&u, &before);
	/* clone3_args_valid and copy_clone_args_from_user. */
	cr_assert_eq(tu_clone(u.init, 1ull << 40, SIGCHLD, NULL), -PM_EINVAL, "unknown flag");
	cr_assert_eq(tu_clone(u.init, PM_CLONE_DETACHED, SIGCHLD, NULL), -PM_EINVAL);
	cr_assert_eq(tu_clone(u.init, 0x11, SIGCHLD, NULL), -PM_EINVAL, "CSIGNAL bits in flags");
	cr_assert_eq(tu_clone(u.init, 0, 65, NULL), -PM_EINVAL, "exit signal above _NSIG");
	cr_assert_eq(tu_clone(u.init, 0, -1, NULL), -PM_EINVAL);
	cr_assert_eq(
	    tu_clone(u.init, PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_CLEAR_SIGHAND, 0, NULL),
	    -PM_EINVAL);
	cr_assert_eq(tu_clone(u.init, VM_SIGHAND_THREAD, SIGCHLD, NULL), -PM_EINVAL,
	             "clone3: CLONE_THREAD with an exit signal");
	cr_assert_eq(tu_clone(u.init, PM_CLONE_PARENT, SIGCHLD, NULL), -PM_EINVAL,
	             "clone3: CLONE_PARENT with an exit signal");
	stats(&u, &after);
	same_stats(&before, &after);
	tu_teardown(&u);
}

PM_TEST(clone, copy_process_flag_rules_in_order)
{
	struct tu u;
	struct pm_thread *a, *t;
	struct pm_table_stats before, after;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	stats(&u, &before);
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWNS | PM_CLONE_FS, 0, NULL), -PM_EINVAL);
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWUSER | PM_CLONE_FS, 0, NULL), -PM_EINVAL);
	cr_assert_eq(tu_clone(a, PM_CLONE_THREAD | PM_CLONE_VM, 0, NULL), -PM_EINVAL,
	             "CLONE_THREAD without CLONE_SIGHAND");
	cr_assert_eq(tu_clone(a, PM_CLONE_SIGHAND, 0, NULL), -PM_EINVAL,
	             "CLONE_SIGHAND without CLONE_VM");
	cr_assert_eq(tu_clone(a, VM_SIGHAND_THREAD | PM_CLONE_NEWPID, 0, NULL), -PM_EINVAL);
	cr_assert_eq(tu_clone(a, VM_SIGHAND_THREAD | PM_CLONE_NEWUSER, 0, NULL), -PM_EINVAL);
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWIPC | PM_CLONE_SYSVSEM, SIGCHLD, NULL), -PM_EINVAL,
	             "copy_namespaces: NEWIPC with SYSVSEM");
	cr_assert_eq(tu_clone_legacy(a, PM_CLONE_PIDFD | PM_CLONE_DETACHED | SIGCHLD, NULL),
	             -PM_EINVAL);
	cr_assert_eq(tu_clone_legacy(a, PM_CLONE_PIDFD | PM_CLONE_PARENT_SETTID | SIGCHLD, NULL),
	             -PM_EINVAL, "legacy clone: pidfd and parent_tid share one pointer");
	/* Global init (SIGNAL_UNKILLABLE) may not create siblings. */
	cr_assert_eq(tu_clone_legacy(u.init, PM_CLONE_PARENT | SIGCHLD, NULL), -PM_EINVAL);
	stats(&u, &after);
	same_stats(&before, &after);
	/* Legacy clone ignores CLONE_DETACHED and does not validate the signal. */
	cr_assert_eq(tu_clone_legacy(a, PM_CLONE_DETACHED | 0x7f, &t), 0);
	tu_check(&u);
	tu_teardown(&u);
}

PM_TEST(clone, clone_parent_makes_a_sibling_with_the_callers_exit_signal)
{
	struct tu u;
	struct pm_thread *a, *b, *s;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_clone_legacy(a, 0, &b), 0);
	/* b's parent is a; its CLONE_PARENT child gets b's parent (a) and
	 * b's own exit signal (none), whatever it asked for. */
	cr_assert_eq(tu_clone_legacy(b, PM_CLONE_PARENT | SIGCHLD, &s), 0);
	tu_check(&u);
	cr_assert_eq(pm_getppid(s), pm_getpid(a));
	cr_assert_eq(s->process->exit_signal, 0);
	cr_assert_eq(pm_thread_exit(s, 4), 0);
	tu_settle(&u);
	cr_assert_eq(tu_wait4(a, -1, PM_WNOHANG, &r), -PM_ECHILD,
	             "eligible_child: clone children (exit signal != SIGCHLD) need __WCLONE");
	cr_assert_eq(tu_wait4(a, -1, PM_WCLONE, &r), 0);
	cr_assert_eq(r.status, 4 << 8);
	tu_teardown(&u);
}

PM_TEST(clone, exiting_and_dying_callers)
{
	struct tu u;
	struct pm_thread *a, *t;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	cr_assert_eq(pm_thread_exit(t, 0), 0);
	cr_assert_eq(tu_clone(t, 0, SIGCHLD, NULL), -PM_ESRCH, "a stale thread");
	t = tu_thread(a);
	cr_assert_eq(pm_exit_group(a, 3), 0);
	cr_assert(pm_thread_exit_pending(t));
	cr_assert_eq(tu_clone(t, 0, SIGCHLD, NULL), -PM_ERESTARTNOINTR,
	             "copy_process: a pending fatal signal restarts the fork (it kills first)");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(clone, vfork_parent_is_released_by_exit)
{
	struct tu u;
	struct pm_thread *a, *c;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_VFORK, SIGCHLD, &c), 0);
	cr_assert_eq(pm_thread_vfork_parent(c), a);
	cr_assert_eq(pm_thread_exit(c, 0), 0);
	cr_assert_null(pm_thread_vfork_parent(c), "mm_release completes vfork_done");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(clone, max_threads_and_full_pid_space_are_eagain)
{
	struct pm_table_config cfg = {.max_threads = 3};
	struct tu u;
	struct pm_thread *a, *b;
	struct pm_table_stats before, after;

	tu_setup(&u, &cfg);
	a = tu_fork(u.init);
	b = tu_thread(a);
	(void)b;
	stats(&u, &before);
	cr_assert_eq(tu_clone(a, 0, SIGCHLD, NULL), -PM_EAGAIN, "nr_threads >= max_threads");
	stats(&u, &after);
	same_stats(&before, &after);
	tu_teardown(&u);
}

PM_TEST(clone, pid_exhaustion_and_reuse_after_wrap)
{
	struct pm_table_config cfg = {.pid_max = 301};
	struct pm_thread *kids[300];
	struct pm_wait_result r;
	struct pm_table_stats before, after;
	struct tu u;
	struct pm_thread *x;

	tu_setup(&u, &cfg);
	for (int i = 2; i <= 300; i++)
		kids[i - 1] = tu_fork(u.init);
	stats(&u, &before);
	cr_assert_eq(tu_clone(u.init, 0, SIGCHLD, NULL), -PM_EAGAIN, "no free pid: EAGAIN");
	stats(&u, &after);
	same_stats(&before, &after);
	tu_check(&u);
	/* Free 5 and 300: after the wrap only numbers >= 300 come back. */
	cr_assert_eq(pm_thread_exit(kids[4], 0), 0);
	cr_assert_eq(pm_thread_exit(kids[299], 0), 0);
	cr_assert_eq(tu_wait4(u.init, 5, 0, &r), 0);
	cr_assert_eq(tu_wait4(u.init, 300, 0, &r), 0);
	tu_settle(&u);
	x = tu_fork(u.init);
	cr_assert_eq(pm_getpid(x), 300);
	cr_assert_eq(tu_clone(u.init, 0, SIGCHLD, NULL), -PM_EAGAIN);
	tu_teardown(&u);
}

/* Every allocation of pm_clone fails in turn: -PM_ENOMEM, nothing changed,
 * nothing leaked (PM_TEST), the table consistent. */
static void clone_fault_loop(uint64_t flags)
{
	struct pm_table_config cfg = {.no_node_cache = true};
	struct pm_table_stats before, after;
	struct tu u;
	struct pm_thread *a;
	int failures = 0;

	tu_setup(&u, &cfg);
	a = tu_fork(u.init);
	for (uint64_t n = 1;; n++) {
		struct pm_thread *c = NULL;
		int err;

		stats(&u, &before);
		pm_host_fault_alloc_nth(n);
		err = tu_clone(a, flags, SIGCHLD, &c);
		pm_host_fault_reset();
		if (err == 0) {
			cr_assert_not_null(c);
			break;
		}
		failures++;
		cr_assert_eq(err, -PM_ENOMEM, "allocation %llu: %d", (unsigned long long)n, err);
		stats(&u, &after);
		same_stats(&before, &after);
		tu_check(&u);
	}
	cr_assert_geq(failures, 2, "the pid and the radix nodes are allocated");
	tu_teardown(&u);
}

PM_TEST(clone, every_allocation_failure_of_fork_changes_nothing)
{
	clone_fault_loop(0);
}

PM_TEST(clone, every_allocation_failure_of_clone_newpid_changes_nothing)
{
	clone_fault_loop(PM_CLONE_NEWPID);
}

PM_TEST(clone, fork_in_steady_state_allocates_only_the_pid_and_dispositions)
{
	struct tu u;
	struct pm_thread *a, *c;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	c = tu_fork(a);
	cr_assert_eq(pm_thread_exit(c, 0), 0);
	cr_assert_eq(tu_wait4(a, -1, 0, &r), 0);
	tu_settle(&u);
	pm_host_fault_reset();
	c = tu_fork(a);
	/* The pid, and the child's copy of the dispositions (copy_sighand);
	 * radix nodes come from the table's cache. */
	cr_assert_eq(pm_host_alloc_calls(), 2, "radix nodes come from the table's cache");
	tu_teardown(&u);
}
