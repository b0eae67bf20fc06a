/* SPDX-License-Identifier: MIT */
/*
 * Resource limits (INIT_RLIMITS, kernel/sys.c do_prlimit, prlimit64) and
 * the per-user counts of RLIMIT_NPROC and RLIMIT_SIGPENDING
 * (kernel/ucount.c, kernel/signal.c sig_get_ucounts).
 */
#include "cred_test.h"

TestSuite(rlimit, .init = pm_test_setup);

PM_TEST(rlimit, linux_initial_values)
{
	struct pm_rlimits r;
	struct pm_rlimit l;
	/* {resource, soft, hard}: include/asm-generic/resource.h, fork_init with max_threads. */
	static const uint64_t want[PM_RLIM_NLIMITS][2] = {
	    [PM_RLIMIT_CPU] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	    [PM_RLIMIT_FSIZE] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	    [PM_RLIMIT_DATA] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	    [PM_RLIMIT_STACK] = {8 << 20, PM_RLIM_INFINITY},
	    [PM_RLIMIT_CORE] = {0, PM_RLIM_INFINITY},
	    [PM_RLIMIT_RSS] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	    [PM_RLIMIT_NPROC] = {TEST_MAX_THREADS / 2, TEST_MAX_THREADS / 2},
	    [PM_RLIMIT_NOFILE] = {1024, 4096},
	    [PM_RLIMIT_MEMLOCK] = {8 << 20, 8 << 20},
	    [PM_RLIMIT_AS] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	    [PM_RLIMIT_LOCKS] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	    [PM_RLIMIT_SIGPENDING] = {TEST_MAX_THREADS / 2, TEST_MAX_THREADS / 2},
	    [PM_RLIMIT_MSGQUEUE] = {819200, 819200},
	    [PM_RLIMIT_NICE] = {0, 0},
	    [PM_RLIMIT_RTPRIO] = {0, 0},
	    [PM_RLIMIT_RTTIME] = {PM_RLIM_INFINITY, PM_RLIM_INFINITY},
	};

	pm_rlimits_init(&r, TEST_MAX_THREADS);
	for (unsigned int i = 0; i < PM_RLIM_NLIMITS; i++) {
		cr_assert_eq(pm_rlimit_get(&r, i, &l), 0);
		cr_assert_eq(l.rlim_cur, want[i][0], "resource %u soft", i);
		cr_assert_eq(l.rlim_max, want[i][1], "resource %u hard", i);
		cr_assert_eq(pm_rlimit_cur(&r, i), want[i][0]);
		cr_assert_eq(pm_rlimit_max(&r, i), want[i][1]);
	}
	cr_assert_eq(pm_rlimit_get(&r, 16, &l), -PM_EINVAL);
	pm_rlimits_destroy(&r);
}

PM_TEST(rlimit, setrlimit_rules)
{
	struct world w;
	struct pm_rlimit l = {10, 5}, old;

	world_init(&w);
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NOFILE, &l, NULL), -PM_EINVAL,
	             "soft above hard");
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), 16, &l, NULL), -PM_EINVAL);
	l.rlim_cur = 10;
	l.rlim_max = PM_NR_OPEN + 1;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NOFILE, &l, NULL), -PM_EPERM,
	             "nr_open ceiling, even for root");
	l.rlim_max = PM_NR_OPEN;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NOFILE, &l, &old), 0,
	             "root raises a hard limit");
	cr_assert_eq(old.rlim_cur, 1024);
	cr_assert_eq(old.rlim_max, 4096);
	become_user(&w, 1000);
	l.rlim_max = 2000;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NOFILE, &l, NULL), 0,
	             "lowering is free");
	l.rlim_max = 2001;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NOFILE, &l, NULL), -PM_EPERM,
	             "and irreversible without CAP_SYS_RESOURCE");
	cr_assert_eq(pm_rlimit_cur(&w.rlim, PM_RLIMIT_NOFILE), 10);
	cr_assert_eq(pm_rlimit_max(&w.rlim, PM_RLIMIT_NOFILE), 2000);
	l.rlim_cur = 2000;
	l.rlim_max = 2000;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NOFILE, &l, NULL), 0,
	             "the soft limit up to the hard one");
	world_fini(&w);
}

/* Raising a hard limit checks capable(): CAP_SYS_RESOURCE in the initial namespace only. */
PM_TEST(rlimit, raising_needs_the_initial_namespace)
{
	struct world w;
	struct pm_cred_slot c;
	struct pm_rlimit l = {8 << 20, 1ull << 40};

	world_init(&w);
	l.rlim_max = 1ull << 30;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_STACK, &l, NULL), 0);
	cr_assert_eq(pm_cred_clone(&c, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	l.rlim_max = 1ull << 31;
	cr_assert_eq(pm_rlimit_set(&w.rlim, c.cred, PM_RLIMIT_STACK, &l, NULL), -PM_EPERM,
	             "root of a child namespace");
	pm_cred_slot_destroy(&c);
	world_fini(&w);
}

PM_TEST(rlimit, prlimit_checks_the_target_first)
{
	struct world w;
	struct pm_rlimit l = {1, 1}, old;
	const struct pm_cred *other;

	world_init(&w);
	set_creds(&w.self, 2000, 2000, 2000, 2000, 0, 0, 0);
	other = pm_cred_get(cur(&w));
	become_user(&w, 1000);
	cr_assert_eq(pm_rlimit_prlimit(&w.rlim, cur(&w), other, false, 99, &l, &old), -PM_EPERM,
	             "EPERM before EINVAL");
	cr_assert_eq(pm_rlimit_prlimit(&w.rlim, cur(&w), cur(&w), true, 99, NULL, &old),
	             -PM_EINVAL);
	cr_assert_eq(pm_rlimit_prlimit(&w.rlim, cur(&w), cur(&w), true, PM_RLIMIT_CORE, &l, &old),
	             0);
	cr_assert_eq(old.rlim_cur, 0);
	cr_assert_eq(pm_rlimit_prlimit(&w.rlim, w.init, other, false, PM_RLIMIT_CORE, NULL, &old),
	             0);
	cr_assert_eq(old.rlim_max, 1);
	pm_cred_put(other);
	world_fini(&w);
}

PM_TEST(rlimit, inherited_on_fork_and_clamped_by_secure_exec)
{
	struct pm_rlimits a, b;
	struct pm_userns root;
	const struct pm_cred *init;
	struct pm_rlimit l = {64 << 20, PM_RLIM_INFINITY};

	pm_userns_init_root(&root, 100);
	cr_assert_eq(pm_cred_init_root(&root, &init), 0);
	pm_rlimits_init(&a, 100);
	cr_assert_eq(pm_rlimit_set(&a, init, PM_RLIMIT_STACK, &l, NULL), 0);
	pm_rlimits_copy(&b, &a);
	cr_assert_eq(pm_rlimit_cur(&b, PM_RLIMIT_STACK), 64 << 20, "copied on clone");
	pm_rlimits_exec_secure(&b);
	cr_assert_eq(pm_rlimit_cur(&b, PM_RLIMIT_STACK), 8 << 20, "secureexec: at most _STK_LIM");
	cr_assert_eq(pm_rlimit_max(&b, PM_RLIMIT_STACK), PM_RLIM_INFINITY);
	cr_assert_eq(pm_rlimit_cur(&a, PM_RLIMIT_STACK), 64 << 20, "the parent keeps its own");
	pm_rlimits_destroy(&a);
	pm_rlimits_destroy(&b);
	pm_cred_put(init);
	pm_userns_destroy_root(&root);
}

/* sig_get_ucounts: queued signals are charged to the receiver's real user, within its limit. */
PM_TEST(rlimit, sigpending_charges)
{
	struct world w;
	struct pm_ucounts *q[4];

	world_init(&w);
	become_user(&w, 1000);
	q[0] = pm_cred_sigpending_charge(cur(&w), 2, false);
	q[1] = pm_cred_sigpending_charge(cur(&w), 2, false);
	cr_assert(q[0] && q[1]);
	cr_assert_null(pm_cred_sigpending_charge(cur(&w), 2, false), "third over a limit of 2");
	cr_assert_eq(pm_cred_sigpending_count(cur(&w)), 2, "a refused charge is undone");
	q[2] = pm_cred_sigpending_charge(cur(&w), 2, true);
	cr_assert_not_null(q[2], "override_rlimit (kill of a non-RT signal)");
	/* The charge follows the user, not the credential: change uid with entries queued. */
	set_creds(&w.self, 2000, 2000, 2000, 2000, 0, 0, 0);
	cr_assert_eq(pm_cred_sigpending_count(cur(&w)), 0);
	q[3] = pm_cred_sigpending_charge(cur(&w), 1, false);
	cr_assert_not_null(q[3]);
	for (int i = 0; i < 4; i++)
		pm_cred_sigpending_uncharge(q[i]);
	cr_assert_eq(pm_cred_sigpending_count(cur(&w)), 0);
	world_fini(&w);
}

/* Counts are hierarchical: a child namespace's users also count for its owner, up to its ceiling. */
PM_TEST(rlimit, child_namespace_counts_against_owner)
{
	struct world w;
	struct pm_cred_slot c;
	struct pm_rlimit l = {1, 1};
	struct pm_ucounts *q;

	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_SIGPENDING, &l, NULL), 0);
	/* The namespace records the creator's RLIMIT_SIGPENDING (1) as its ceiling. */
	cr_assert_eq(pm_cred_clone(&c, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	q = pm_cred_sigpending_charge(c.cred, 100, false);
	cr_assert_not_null(q);
	cr_assert_eq(pm_cred_sigpending_count(cur(&w)), 1, "counted for user 1000 outside too");
	cr_assert_null(pm_cred_sigpending_charge(c.cred, 100, false),
	               "over the owner's ceiling one level up");
	pm_cred_sigpending_uncharge(q);
	cr_assert(pm_cred_nproc_overlimit(c.cred, 0), "1 thread > 0");
	cr_assert_not(pm_cred_nproc_overlimit(c.cred, 5));
	pm_cred_slot_destroy(&c);
	world_fini(&w);
}
