/* SPDX-License-Identifier: MIT */
/*
 * Permission checks: generic_permission and acl_permission_check
 * (fs/namei.c), access_override_creds (fs/open.c), kill_ok_by_cred and
 * check_kill_permission (kernel/signal.c), __ptrace_may_access and
 * cap_ptrace_access_check, check_prlimit_permission (kernel/sys.c).
 */
#include "cred_test.h"

TestSuite(perm, .init = pm_test_setup);

static struct pm_file_attr inode(uint32_t type, uint32_t mode, pm_uid_t uid, pm_gid_t gid)
{
	struct pm_file_attr a;

	memset(&a, 0, sizeof(a));
	a.mode = type | mode;
	a.uid = uid;
	a.gid = gid;
	return a;
}

#define R PM_MAY_READ
#define W PM_MAY_WRITE
#define X PM_MAY_EXEC

PM_TEST(perm, owner_group_other_classes)
{
	struct world w;
	struct pm_file_attr f = inode(PM_S_IFREG, 0640, 1000, 50);
	pm_gid_t g = 50;

	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R | W), 0, "owner rw-");
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, X), -PM_EACCES);
	/* The owner class alone decides for the owner, even when "other" would allow. */
	f = inode(PM_S_IFREG, 0077, 1000, 50);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), -PM_EACCES);
	become_user(&w, 2000);
	f = inode(PM_S_IFREG, 0640, 1000, 50);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), -PM_EACCES, "other ---");
	/* A supplementary group (needs CAP_SETGID to set, so set it as root first). */
	set_creds(&w.self, 0, 0, 0, 0, PM_CAP_FULL_SET, PM_CAP_FULL_SET, 0);
	cr_assert_eq(pm_cred_setgroups(&w.self, 1, &g), 0);
	set_creds(&w.self, 2000, 2000, 2000, 2000, 0, 0, 0);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), 0, "group r--");
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, W), -PM_EACCES);
	/* The fsuid, not the euid, is the owner test. */
	set_creds(&w.self, 2000, 2000, 3000, 2000, 0, 0, 0);
	f = inode(PM_S_IFREG, 0600, 3000, 1);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), -PM_EACCES);
	cr_assert_eq(pm_cred_setfsuid(&w.self, 3000), 2000);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), 0);
	world_fini(&w);
}

PM_TEST(perm, capability_overrides)
{
	struct world w;
	struct pm_file_attr f = inode(PM_S_IFREG, 0000, 1000, 1000);
	struct pm_file_attr d = inode(PM_S_IFDIR, 0000, 1000, 1000);

	world_init(&w);
	/* Root reads and writes anything, but executes only files with some x bit. */
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R | W), 0);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, X), -PM_EACCES);
	f.mode |= PM_S_IXOTH;
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, X), 0);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &d, R | W | X), 0, "directories: all");
	/* CAP_DAC_READ_SEARCH alone: read files, read and search directories, never write. */
	set_creds(&w.self, 5, 5, 5, 5, CAP(DAC_READ_SEARCH), CAP(DAC_READ_SEARCH), 0);
	f.mode = PM_S_IFREG;
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), 0);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R | W), -PM_EACCES);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &d, R | X), 0);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &d, W | X), -PM_EACCES);
	world_fini(&w);
}

/* capable_wrt_inode_uidgid: the override needs the inode's ids mapped in our namespace. */
PM_TEST(perm, overrides_need_mapped_owner)
{
	struct world w;
	struct pm_cred_slot c;
	struct pm_file_attr f = inode(PM_S_IFREG, 0600, 0, 0);

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&c, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_eq(pm_userns_write_map(c.cred->user_ns, PM_USERNS_UID_MAP, "0 100000 10", 11, 0,
	                                 cur(&w), cur(&w)),
	             0);
	cr_assert_eq(pm_userns_write_map(c.cred->user_ns, PM_USERNS_GID_MAP, "0 100000 10", 11, 0,
	                                 cur(&w), cur(&w)),
	             0);
	cr_assert_eq(pm_cred_setresuid(&c, &w.rlim, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_generic_permission(c.cred, &f, R), -PM_EACCES, "host root's file");
	f.uid = f.gid = 100003;
	f.mode = PM_S_IFREG;
	cr_assert_eq(pm_cred_generic_permission(c.cred, &f, R | W), 0, "a file of the namespace");
	pm_cred_slot_destroy(&c);
	world_fini(&w);
}

/* access(2) checks with the real ids; a non-root real uid loses every capability. */
PM_TEST(perm, access_uses_real_ids)
{
	struct world w;
	struct pm_cred tmp;
	const struct pm_cred *ac;
	struct pm_file_attr f = inode(PM_S_IFREG, 0600, 0, 0);

	world_init(&w);
	cr_assert_eq(pm_cred_access_creds(cur(&w), &tmp), cur(&w), "root: nothing to override");
	set_creds(&w.self, 1000, 0, 0, 0, PM_CAP_FULL_SET, PM_CAP_FULL_SET, 0); /* setuid root */
	ac = pm_cred_access_creds(cur(&w), &tmp);
	cr_assert_eq(ac, &tmp);
	cr_assert_eq(ac->fsuid, 1000);
	cr_assert_eq(ac->cap_effective, 0);
	cr_assert_eq(pm_cred_generic_permission(cur(&w), &f, R), 0, "the program itself may");
	cr_assert_eq(pm_cred_generic_permission(ac, &f, R), -PM_EACCES, "but its user may not");
	set_creds(&w.self, 0, 1000, 1000, 0, PM_CAP_FULL_SET, 0, 0);
	ac = pm_cred_access_creds(cur(&w), &tmp);
	cr_assert_eq(ac->cap_effective, PM_CAP_FULL_SET, "real root: pE := pP");
	world_fini(&w);
}

PM_TEST(perm, kill_permission)
{
	struct world w;
	const struct pm_cred *a, *b, *setuid_prog;

	world_init(&w);
	set_creds(&w.self, 1000, 1000, 1000, 1000, 0, 0, 0);
	a = pm_cred_get(cur(&w));
	set_creds(&w.self, 2000, 2000, 2000, 2000, 0, 0, 0);
	b = pm_cred_get(cur(&w));
	set_creds(&w.self, 1000, 0, 0, 0, PM_CAP_FULL_SET, PM_CAP_FULL_SET, 0);
	setuid_prog = pm_cred_get(cur(&w));
	cr_assert_eq(pm_cred_kill_permission(a, b, 15, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_kill_permission(a, b, 0, 0), -PM_EPERM, "signal 0 probes permission");
	cr_assert_eq(pm_cred_kill_permission(a, b, 65, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_kill_permission(a, b, -1, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_kill_permission(a, b, 18, PM_KILL_SAME_SESSION), 0,
	             "SIGCONT in session");
	cr_assert_eq(pm_cred_kill_permission(a, b, 15, PM_KILL_SAME_SESSION), -PM_EPERM);
	cr_assert_eq(pm_cred_kill_permission(a, b, 9, PM_KILL_SAME_THREAD_GROUP), 0);
	cr_assert_eq(pm_cred_kill_permission(a, b, 9, PM_KILL_FROM_KERNEL), 0);
	/* The user may signal its setuid program: sender ruid == target ruid. */
	cr_assert_eq(pm_cred_kill_permission(a, setuid_prog, 15, 0), 0);
	cr_assert(pm_cred_kill_ok_by_cred(setuid_prog, a), "ruid 1000 on both sides");
	cr_assert_eq(pm_cred_kill_permission(w.init, b, 9, 0), 0, "root has CAP_KILL");
	pm_cred_put(a);
	pm_cred_put(b);
	pm_cred_put(setuid_prog);
	world_fini(&w);
}

PM_TEST(perm, kill_compares_real_and_saved_not_effective)
{
	struct world w;
	const struct pm_cred *s, *t;

	world_init(&w);
	set_creds(&w.self, 3000, 1000, 3000, 1, 0, 0, 0);
	s = pm_cred_get(cur(&w));
	set_creds(&w.self, 2000, 1000, 2000, 1, 0, 0, 0);
	t = pm_cred_get(cur(&w));
	cr_assert_eq(pm_cred_kill_permission(s, t, 15, 0), -PM_EPERM, "euids equal, ruid/suid not");
	pm_cred_put(t);
	set_creds(&w.self, 2000, 5000, 1000, 1, 0, 0, 0);
	t = pm_cred_get(cur(&w));
	cr_assert_eq(pm_cred_kill_permission(s, t, 15, 0), 0, "sender euid == target suid");
	pm_cred_put(s);
	pm_cred_put(t);
	world_fini(&w);
}

PM_TEST(perm, ptrace_same_or_more_privileged)
{
	struct world w;
	const struct pm_cred *me, *same, *setuid_prog, *capped;
	struct pm_ptrace_target t = {false, true, true, NULL};
	const unsigned int rd = PM_PTRACE_MODE_READ | PM_PTRACE_MODE_REALCREDS;

	world_init(&w);
	set_creds(&w.self, 1000, 1000, 1000, 1000, 0, 0, 0);
	me = pm_cred_get(cur(&w));
	same = pm_cred_get(cur(&w));
	set_creds(&w.self, 1000, 0, 0, 1000, PM_CAP_FULL_SET, PM_CAP_FULL_SET, 0);
	setuid_prog = pm_cred_get(cur(&w));
	set_creds(&w.self, 1000, 1000, 1000, 1000, CAP(NET_RAW), 0, 0);
	capped = pm_cred_get(cur(&w));
	cr_assert_eq(pm_cred_ptrace_may_access(me, same, rd, &t), 0);
	cr_assert_eq(pm_cred_ptrace_may_access(me, setuid_prog, rd, &t), -PM_EPERM, "euid differs");
	cr_assert_eq(pm_cred_ptrace_may_access(me, capped, rd, &t), -PM_EPERM,
	             "target has permitted caps the tracer lacks");
	cr_assert_eq(pm_cred_ptrace_may_access(capped, me, rd, &t), 0);
	t.dumpable = false;
	cr_assert_eq(pm_cred_ptrace_may_access(me, same, rd, &t), -PM_EPERM, "non-dumpable");
	cr_assert_eq(pm_cred_ptrace_may_access(w.init, same, rd, &t), 0, "CAP_SYS_PTRACE");
	t.same_thread_group = true;
	cr_assert_eq(pm_cred_ptrace_may_access(me, setuid_prog, rd, &t), 0, "own thread group");
	cr_assert_eq(pm_cred_ptrace_may_access(me, same, PM_PTRACE_MODE_READ, &t), -PM_EPERM,
	             "neither FSCREDS nor REALCREDS");
	pm_cred_put(me);
	pm_cred_put(same);
	pm_cred_put(setuid_prog);
	pm_cred_put(capped);
	world_fini(&w);
}

PM_TEST(perm, prlimit_permission)
{
	struct world w;
	const struct pm_cred *a, *b;

	world_init(&w);
	set_creds(&w.self, 1000, 1000, 1000, 1000, 0, 0, 0);
	a = pm_cred_get(cur(&w));
	set_creds(&w.self, 1000, 0, 0, 1000, 0, 0, 0);
	b = pm_cred_get(cur(&w));
	cr_assert_eq(pm_cred_prlimit_permission(a, b, false), -PM_EPERM,
	             "all three uids must match");
	cr_assert_eq(pm_cred_prlimit_permission(a, a, false), 0);
	cr_assert_eq(pm_cred_prlimit_permission(b, b, true), 0, "the calling thread itself");
	cr_assert_eq(pm_cred_prlimit_permission(w.init, b, false), 0, "CAP_SYS_RESOURCE");
	pm_cred_put(a);
	pm_cred_put(b);
	world_fini(&w);
}
