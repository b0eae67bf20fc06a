/* SPDX-License-Identifier: MIT */
/*
 * Supplementary groups (kernel/groups.c): setgroups/getgroups rules and
 * errors in Linux's order (checked on Linux 6.18), in_group_p over a
 * sorted list, user memory variants and allocation failures.
 */
#include <stdlib.h>

#include "cred_test.h"

TestSuite(groups, .init = pm_test_setup);

PM_TEST(groups, setgroups_sorts_and_keeps_duplicates)
{
	struct world w;
	pm_gid_t in[3] = {5, 3, 5}, out[8];

	world_init(&w);
	cr_assert_eq(pm_cred_setgroups(&w.self, 3, in), 0);
	cr_assert_eq(pm_cred_getgroups(cur(&w), 0, NULL), 3, "size 0 counts");
	cr_assert_eq(pm_cred_getgroups(cur(&w), 2, out), -PM_EINVAL, "too small");
	cr_assert_eq(pm_cred_getgroups(cur(&w), -1, out), -PM_EINVAL);
	cr_assert_eq(pm_cred_getgroups(cur(&w), 8, out), 3);
	/* Linux 6.18 returns "3 5 5". */
	cr_assert(out[0] == 3 && out[1] == 5 && out[2] == 5);
	cr_assert(pm_cred_in_group_p(cur(&w), 5));
	cr_assert_not(pm_cred_in_group_p(cur(&w), 4));
	cr_assert(pm_cred_in_group_p(cur(&w), 0), "the fsgid counts");
	cr_assert_eq(pm_cred_setgroups(&w.self, 0, NULL), 0, "clearing");
	cr_assert_eq(pm_cred_getgroups(cur(&w), 0, NULL), 0);
	world_fini(&w);
}

PM_TEST(groups, setgroups_errors_in_linux_order)
{
	struct world w;
	pm_gid_t bad[2] = {1, (pm_gid_t)-1};

	world_init(&w);
	cr_assert_eq(pm_cred_setgroups(&w.self, PM_NGROUPS_MAX + 1, bad), -PM_EINVAL);
	cr_assert_eq(pm_cred_setgroups(&w.self, -1, bad), -PM_EINVAL);
	cr_assert_eq(pm_cred_setgroups(&w.self, 2, bad), -PM_EINVAL, "gid -1 is never mapped");
	cr_assert_eq(pm_cred_getgroups(cur(&w), 0, NULL), 0, "no change");
	/* Without CAP_SETGID, EPERM comes before the size check. */
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_setgroups(&w.self, PM_NGROUPS_MAX + 1, bad), -PM_EPERM);
	cr_assert_eq(pm_cred_setgroups(&w.self, -1, bad), -PM_EPERM);
	world_fini(&w);
}

PM_TEST(groups, in_group_p_over_many_groups)
{
	struct world w;
	pm_gid_t *g = malloc(PM_NGROUPS_MAX * sizeof(*g));

	world_init(&w);
	for (uint32_t i = 0; i < PM_NGROUPS_MAX; i++)
		g[i] = (PM_NGROUPS_MAX - i) * 2; /* even gids, descending */
	cr_assert_eq(pm_cred_setgroups(&w.self, PM_NGROUPS_MAX, g), 0, "a full group list");
	for (pm_gid_t k = 1; k < 2 * PM_NGROUPS_MAX + 4; k += 7)
		cr_assert_eq(pm_cred_in_group_p(cur(&w), k),
		             (k % 2 == 0 && k <= 2 * PM_NGROUPS_MAX) || k == 0);
	cr_assert(pm_cred_in_egroup_p(cur(&w), 2));
	free(g);
	world_fini(&w);
}

PM_TEST(groups, user_memory_variants)
{
	struct world w;
	struct pm_hal_as *as = pm_host_as_create(false);
	pm_uaddr_t buf;
	pm_gid_t *host, g[200];

	world_init(&w);
	pm_host_as_set_current(as);
	cr_assert_eq(pm_host_as_map_anywhere(as, 4096, PM_PROT_READ | PM_PROT_WRITE, &buf), 0);
	host = pm_host_as_ptr(as, buf, 4096);
	for (int i = 0; i < 200; i++)
		host[i] = (pm_gid_t)(200 - i);
	cr_assert_eq(pm_cred_setgroups_user(&w.self, 200, buf), 0, "several chunks");
	cr_assert_eq(pm_cred_getgroups(cur(&w), 200, g), 200);
	for (int i = 0; i < 200; i++)
		cr_assert_eq(g[i], (pm_gid_t)(i + 1));
	memset(host, 0, 4096);
	cr_assert_eq(pm_cred_getgroups_user(cur(&w), 200, buf), 200);
	cr_assert_eq(host[0], 1);
	cr_assert_eq(host[199], 200);
	cr_assert_eq(pm_cred_getgroups_user(cur(&w), 200, buf + 4096 - 8), -PM_EFAULT);
	/* An unmapped gid before the fault is EINVAL; the fault before it is EFAULT. */
	host[1020] = 7;
	host[1021] = (pm_gid_t)-1;
	cr_assert_eq(pm_cred_setgroups_user(&w.self, 10, buf + 1020 * 4), -PM_EINVAL);
	host[1021] = 7;
	cr_assert_eq(pm_cred_setgroups_user(&w.self, 10, buf + 1020 * 4), -PM_EFAULT);
	cr_assert_eq(pm_cred_getgroups(cur(&w), 0, NULL), 200, "failures change nothing");
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
	world_fini(&w);
}

PM_TEST(groups, setgroups_fault_injection)
{
	struct world w;
	pm_gid_t g[3] = {1, 2, 3};

	world_init(&w);
	for (uint64_t i = 1;; i++) {
		int err;

		pm_host_fault_alloc_nth(i);
		err = pm_cred_setgroups(&w.self, 3, g);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(pm_cred_getgroups(cur(&w), 0, NULL), 0);
	}
	cr_assert_eq(pm_cred_getgroups(cur(&w), 0, NULL), 3);
	world_fini(&w);
}

/* userns_may_setgroups: only after gid_map is written and while setgroups says "allow". */
PM_TEST(groups, user_namespace_setgroups_rule)
{
	struct world w;
	struct pm_cred_slot c1, c2;
	pm_gid_t g = 0;

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&c1, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_eq(pm_userns_write_map(c1.cred->user_ns, PM_USERNS_GID_MAP, "0 0 10", 6, 0,
	                                 cur(&w), cur(&w)),
	             0);
	cr_assert_eq(pm_cred_setgroups(&c1, 1, &g), 0,
	             "root of the child, gid_map written, allowed");
	/* An unprivileged parent may only map its own gid after denying setgroups. */
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_clone(&c2, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_eq(pm_userns_write_map(c2.cred->user_ns, PM_USERNS_GID_MAP, "0 1000 1", 8, 0,
	                                 c2.cred, c2.cred),
	             -PM_EPERM);
	cr_assert_eq(pm_cred_setgroups(&c2, 0, NULL), -PM_EPERM, "gid_map not written");
	cr_assert_eq(pm_userns_write_setgroups(c2.cred->user_ns, c2.cred, "deny", 4, 0), 0);
	cr_assert_eq(pm_userns_write_map(c2.cred->user_ns, PM_USERNS_GID_MAP, "0 1000 1", 8, 0,
	                                 c2.cred, c2.cred),
	             0);
	cr_assert_eq(pm_cred_setgroups(&c2, 0, NULL), -PM_EPERM, "denied for good");
	pm_cred_slot_destroy(&c1);
	pm_cred_slot_destroy(&c2);
	world_fini(&w);
}
