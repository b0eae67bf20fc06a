/* SPDX-License-Identifier: MIT */
/*
 * PID namespaces (Linux kernel/pid.c: alloc_pid, pid_nr_ns;
 * kernel/pid_namespace.c: create_pid_namespace, copy_pid_ns,
 * zap_pid_ns_processes; kernel/fork.c: ksys_unshare, copy_process).
 */
#include "table_fixture.h"
#include "procmgr/host.h"

TestSuite(pidns, .init = pm_test_setup);

static struct pm_thread *newpid_child(struct pm_thread *parent)
{
	struct pm_thread *c = NULL;

	cr_assert_eq(tu_clone(parent, PM_CLONE_NEWPID, SIGCHLD, &c), 0);
	return c;
}

PM_TEST(pidns, numbers_per_level_and_visibility)
{
	struct tu u;
	struct pm_thread *a, *c, *d;
	struct pm_pidns *ns;
	pm_pid_t v;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	c = newpid_child(a);
	d = tu_fork(c);
	ns = pm_thread_pidns(c);
	cr_assert_eq(pm_pidns_level(ns), 1);
	cr_assert_eq(pm_pidns_parent(ns), pm_thread_pidns(u.init));
	cr_assert(pm_pidns_is_descendant(ns, pm_thread_pidns(u.init)));
	cr_assert(!pm_pidns_is_descendant(pm_thread_pidns(u.init), ns));
	cr_assert_eq(pm_getpid(c), 1, "the first process of a namespace is its pid 1");
	cr_assert_eq(tu_pid(a, c), 3);
	cr_assert_eq(pm_getpid(d), 2);
	cr_assert_eq(tu_pid(u.init, d), 4);
	cr_assert_eq(pm_pid_level(pm_thread_pid(d)), 1);
	cr_assert_eq(pm_pid_nr_innermost(pm_thread_pid(d)), 2, "innermost: the number in ns");
	cr_assert_eq(pm_pid_nr_innermost(pm_thread_pid(a)), tu_pid(u.init, a));
	cr_assert_eq(pm_pid_nr_innermost(NULL), 0);
	cr_assert_eq(pm_gettid(d), 2);
	cr_assert_eq(tu_pid(c, a), 0, "pid_nr_ns: not visible from inside");
	cr_assert_eq(pm_getppid(c), 0, "getppid: the parent is outside the namespace");
	cr_assert_eq(pm_getppid(d), 1);
	cr_assert_eq(pm_getpgid(c, 0, &v), 0);
	cr_assert_eq(v, 0, "the inherited group's leader is not visible");
	cr_assert_eq(pm_getsid(d, 0, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(pm_pidns_child_reaper(ns), c);
	cr_assert_eq(pm_pidns_nr_pids(ns), 2);
	cr_assert_eq(pm_pidns_pid_max(ns), PM_PID_MAX_DEFAULT, "inherited pid_max");
	tu_teardown(&u);
}

PM_TEST(pidns, walk_lists_the_members_in_pid_order)
{
	struct tu u;
	struct pm_thread *c, *d, *e;
	struct pm_process *p;
	pm_pid_t nr = 1, want[] = {1, 2, 3};
	int n = 0;

	tu_setup(&u, NULL);
	tu_fork(u.init);
	c = newpid_child(u.init);
	d = tu_fork(c);
	tu_thread(d);
	e = tu_fork(d);
	(void)e;
	pm_table_lock(&u.t);
	while ((p = pm_pidns_next_process_locked(pm_thread_pidns(c), &nr)) != NULL) {
		cr_assert_lt(n, 3);
		cr_assert_eq(nr, want[n], "the thread's tid (3) is skipped: processes only");
		n++;
		nr++;
		if (n == 2)
			want[2] = 4;
	}
	pm_table_unlock(&u.t);
	cr_assert_eq(n, 3);
	tu_teardown(&u);
}

PM_TEST(pidns, init_death_kills_the_namespace_and_forbids_forks)
{
	struct tu u;
	struct pm_thread *a, *c, *d, *e, *z, *x;
	struct pm_wait_result r;
	struct pm_pidns *ns;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWPID, false), 0);
	cr_assert_eq(pm_getpid(a), 2, "unshare(CLONE_NEWPID) does not move the caller");
	c = tu_fork(a);
	ns = pm_thread_pidns(c);
	pm_pidns_get(ns);
	cr_assert_eq(pm_getpid(c), 1, "its next child is the new namespace's init");
	d = tu_fork(c);
	e = tu_fork(d);
	z = tu_fork(c);
	cr_assert_eq(pm_thread_exit(z, 0), 0);
	pm_host_events_clear();
	cr_assert_eq(pm_thread_exit(c, 7), 0);
	tu_check(&u);
	cr_assert(!pm_pidns_accepts_new(ns), "disable_pid_allocation");
	cr_assert(pm_thread_exit_pending(d));
	cr_assert(pm_thread_exit_pending(e));
	cr_assert_eq(tu_wait4(a, -1, PM_WNOHANG, &r), 0);
	cr_assert_eq(r.pid, 0, "init is not a zombie until its namespace is empty");
	cr_assert_eq(tu_events(PM_EVENT_PIDNS_EMPTY), 0);
	tu_settle(&u);
	cr_assert_eq(tu_events(PM_EVENT_PIDNS_EMPTY), 1);
	cr_assert_eq(pm_pidns_nr_pids(ns), 1, "init's own pid, until it is reaped");
	cr_assert_eq(tu_wait4(a, -1, 0, &r), 0);
	cr_assert_eq(r.status, 7 << 8);
	cr_assert_eq(pm_pidns_nr_pids(ns), 0);
	/* The namespace is dead: forking into it fails with ENOMEM. */
	cr_assert_eq(tu_clone(a, 0, SIGCHLD, &x), -PM_ENOMEM);
	cr_assert_eq(tu_wait4(a, -1, PM_WNOHANG, &r), -PM_ECHILD);
	pm_pidns_put(ns);
	tu_teardown(&u);
}

PM_TEST(pidns, killing_reaches_nested_inits_but_not_outsiders)
{
	struct tu u;
	struct pm_thread *c, *n1, *m, *out;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	out = tu_fork(u.init);
	c = newpid_child(u.init);
	n1 = newpid_child(c);
	m = tu_fork(n1);
	cr_assert_eq(pm_thread_exit(c, 0), 0);
	/* A forced SIGKILL from the ancestor namespace kills the nested init. */
	cr_assert(pm_thread_exit_pending(n1));
	cr_assert(pm_thread_exit_pending(m));
	cr_assert(!pm_thread_exit_pending(out));
	tu_settle(&u);
	cr_assert_eq(tu_wait4(u.init, tu_pid(u.init, c), 0, &r), 0);
	tu_teardown(&u);
}

PM_TEST(pidns, namespace_init_ignores_unforced_default_signals)
{
	struct tu u;
	struct pm_thread *p, *c, *q, *d;

	tu_setup(&u, NULL);
	p = tu_fork(u.init);
	c = newpid_child(p);
	cr_assert_eq(pm_set_pdeathsig(c, SIGTERM), 0);
	cr_assert_eq(pm_thread_exit(p, 0), 0);
	tu_settle(&u);
	cr_assert(!pm_thread_exited(c),
	          "sig_task_ignored: SIGNAL_UNKILLABLE drops SIGTERM even when forced");
	cr_assert_eq(pm_getppid(c), 0);
	q = tu_fork(u.init);
	d = newpid_child(q);
	cr_assert_eq(pm_set_pdeathsig(d, SIGKILL), 0);
	cr_assert_eq(pm_thread_exit(q, 0), 0);
	tu_settle(&u);
	cr_assert(pm_thread_exited(d), "a forced SIGKILL from outside kills it");
	tu_teardown(&u);
}

PM_TEST(pidns, unshare_rules)
{
	struct tu u;
	struct pm_thread *a, *t, *c;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t = tu_thread(a);
	cr_assert_eq(pm_unshare(a, 1ull << 40, false), -PM_EINVAL, "unknown flag");
	cr_assert_eq(pm_unshare(a, PM_CLONE_PARENT, false), -PM_EINVAL, "not an unshare flag");
	cr_assert_eq(pm_unshare(a, PM_CLONE_VM, false), -PM_EINVAL,
	             "VM implies THREAD: other threads");
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, false), -PM_EINVAL, "NEWUSER implies THREAD");
	cr_assert_eq(pm_unshare(a, PM_CLONE_FILES | PM_CLONE_FS | PM_CLONE_NEWNS, false), 0);
	cr_assert_eq(pm_unshare(t, PM_CLONE_NEWPID, false), 0, "per thread: pid_ns_for_children");
	cr_assert_eq(pm_unshare(t, PM_CLONE_NEWPID, false), -PM_EINVAL,
	             "copy_pid_ns: pid_ns_for_children already differs");
	cr_assert_eq(tu_clone(t, PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD, 0, NULL),
	             -PM_EINVAL, "no threads once children go elsewhere");
	cr_assert_eq(tu_clone(t, PM_CLONE_NEWPID, SIGCHLD, NULL), -PM_EINVAL);
	c = tu_fork(a);
	cr_assert_eq(pm_getpid(c), 4, "the other thread still forks into the root");
	c = tu_fork(t);
	cr_assert_eq(pm_getpid(c), 1);
	cr_assert_eq(pm_unshare(a, 0, false), 0);
	tu_teardown(&u);
}

PM_TEST(pidns, unshare_sharing_checks)
{
	struct tu u;
	struct pm_thread *a, *v, *s;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_unshare(a, PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD, false), 0,
	             "nothing shared: pretend it worked");
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_VFORK, SIGCHLD, &v), 0);
	cr_assert_eq(pm_unshare(v, PM_CLONE_VM, false), -PM_EINVAL,
	             "the vfork child shares the mm");
	cr_assert_eq(pm_unshare(a, PM_CLONE_SIGHAND, false), 0);
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_SIGHAND, SIGCHLD, &s), 0);
	cr_assert_eq(pm_unshare(s, PM_CLONE_SIGHAND, false), -PM_EINVAL, "sighand shared");
	cr_assert_eq(pm_unshare(a, PM_CLONE_SIGHAND, false), -PM_EINVAL);
	cr_assert_eq(pm_thread_exit(v, 0), 0);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(pidns, nesting_stops_at_32_levels)
{
	struct tu u;
	struct pm_thread *c = NULL;

	tu_setup(&u, NULL);
	c = u.init;
	for (int level = 1; level <= PM_MAX_PID_NS_LEVEL; level++) {
		c = newpid_child(c);
		cr_assert_eq(pm_pidns_level(pm_thread_pidns(c)), (uint32_t)level);
	}
	cr_assert_eq(pm_pid_level(pm_thread_pid(c)), 32, "33 numbers, one per level");
	cr_assert_eq(tu_clone(c, PM_CLONE_NEWPID, SIGCHLD, NULL), -PM_ENOSPC);
	cr_assert_eq(pm_unshare(c, PM_CLONE_NEWPID, false), -PM_ENOSPC);
	tu_check(&u);
	tu_teardown(&u);
}

PM_TEST(pidns, failed_first_fork_resets_the_cursor)
{
	struct pm_table_config cfg = {.pid_max = 301};
	struct tu u;
	struct pm_thread *a, *x, *c;
	struct pm_wait_result r;

	tu_setup(&u, &cfg);
	a = tu_fork(u.init);
	for (int i = 3; i <= 300; i++)
		x = tu_fork(u.init);
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWPID, false), 0);
	cr_assert_eq(tu_clone(a, 0, SIGCHLD, &c), -PM_EAGAIN, "the root namespace is full");
	tu_check(&u);
	cr_assert_eq(pm_thread_exit(x, 0), 0);
	cr_assert_eq(tu_wait4(u.init, 300, 0, &r), 0);
	tu_settle(&u);
	c = tu_fork(a);
	cr_assert_eq(pm_getpid(c), 1, "alloc_pid reset the empty namespace's cursor");
	tu_teardown(&u);
}

PM_TEST(pidns, subreapers_are_searched_inside_the_namespace_only)
{
	struct tu u;
	struct pm_thread *s, *c, *m, *k;

	tu_setup(&u, NULL);
	s = tu_fork(u.init);
	cr_assert_eq(pm_set_child_subreaper(s, 1), 0);
	c = newpid_child(s);
	m = tu_fork(c);
	k = tu_fork(m);
	cr_assert_eq(pm_thread_exit(m, 0), 0);
	cr_assert_eq(pm_getppid(k), 1, "the namespace init, not the outside subreaper");
	tu_teardown(&u);
}

PM_TEST(pidns, init_whose_last_thread_is_not_the_leader)
{
	struct tu u;
	struct pm_thread *c, *ct, *d;
	struct pm_wait_result r;

	tu_setup(&u, NULL);
	c = newpid_child(u.init);
	ct = tu_thread(c);
	d = tu_fork(c);
	cr_assert_eq(pm_thread_exit(c, 0), 0);
	cr_assert_eq(pm_pidns_child_reaper(pm_thread_pidns(ct)), ct, "another thread takes over");
	cr_assert_eq(pm_getppid(d), 1);
	cr_assert_eq(pm_thread_exit(ct, 5), 0);
	tu_settle(&u);
	/* zap_pid_ns_processes waited for init_pids == 2 (zombie leader and ct);
	 * found by the fuzzer: the namespace kept pointing at the released ct. */
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(r.status, 5 << 8);
	tu_teardown(&u);
}
