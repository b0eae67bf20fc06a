/* SPDX-License-Identifier: MIT */
/*
 * execve credentials (fs/exec.c bprm_fill_uid, security/commoncap.c
 * cap_bprm_creds_from_file, get_vfs_caps_from_disk). AT_SECURE cases were
 * checked against getauxval(AT_SECURE) on Linux 6.18.
 */
#include "cred_test.h"

TestSuite(exec, .init = pm_test_setup);

struct xcaps {
	unsigned char b[24];
	size_t len;
};

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* A security.capability value: revision 2, or 3 when rootid is not -1. */
static struct xcaps xattr(pm_kernel_cap_t prm, pm_kernel_cap_t inh, bool eff, uint32_t rootid)
{
	struct xcaps x;
	uint32_t rev = rootid == UINT32_MAX ? PM_VFS_CAP_REVISION_2 : PM_VFS_CAP_REVISION_3;

	memset(&x, 0, sizeof(x));
	put32(x.b, rev | (eff ? PM_VFS_CAP_FLAGS_EFFECTIVE : 0));
	put32(x.b + 4, (uint32_t)prm);
	put32(x.b + 8, (uint32_t)inh);
	put32(x.b + 12, (uint32_t)(prm >> 32));
	put32(x.b + 16, (uint32_t)(inh >> 32));
	put32(x.b + 20, rootid);
	x.len = rootid == UINT32_MAX ? 20 : 24;
	return x;
}

static struct pm_file_attr file(uint32_t mode, pm_uid_t uid, pm_gid_t gid)
{
	struct pm_file_attr a;

	memset(&a, 0, sizeof(a));
	a.mode = PM_S_IFREG | mode;
	a.uid = uid;
	a.gid = gid;
	return a;
}

/* Run the exec on the world's thread and commit; returns the result flags. */
static struct pm_exec_creds run(struct world *w, const struct pm_file_attr *a,
                                const struct xcaps *x, unsigned int unsafe, int want)
{
	struct pm_exec_creds ec;
	int err =
	    pm_cred_exec_prepare(cur(w), a, x ? x->b : NULL, x ? x->len : 0, unsafe, NULL, &ec);

	cr_assert_eq(err, want, "exec: %d, wanted %d", err, want);
	if (!err)
		pm_cred_exec_commit(&w->self, &ec);
	return ec;
}

PM_TEST(exec, root_keeps_everything_plain_binary)
{
	struct world w;
	struct pm_file_attr a = file(0755, 0, 0);
	struct pm_exec_creds r;

	world_init(&w);
	r = run(&w, &a, NULL, 0, 0);
	cr_assert_not(r.secureexec);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET, "root: pP' = X | pI");
	cr_assert_eq(cur(&w)->cap_effective, PM_CAP_FULL_SET);
	world_fini(&w);
}

PM_TEST(exec, non_root_loses_permitted_without_ambient)
{
	struct world w;
	struct pm_file_attr a = file(0755, 0, 0);
	struct pm_exec_creds r;

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 1000, 1000), 0);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(cur(&w)->securebits, PM_SECBIT_KEEP_CAPS);
	r = run(&w, &a, NULL, 0, 0);
	cr_assert_not(r.secureexec);
	cr_assert_eq(cur(&w)->cap_permitted | cur(&w)->cap_effective, 0);
	cr_assert_eq(cur(&w)->securebits, 0, "SECURE_KEEP_CAPS is cleared by every exec");
	world_fini(&w);
}

PM_TEST(exec, setuid_root_binary)
{
	struct world w;
	struct pm_file_attr a = file(04755, 0, 0);
	struct pm_exec_creds r;
	pm_uid_t u[3];

	world_init(&w);
	become_user(&w, 1000);
	r = run(&w, &a, NULL, 0, 0);
	pm_cred_getresuid(cur(&w), u);
	cr_assert(u[0] == 1000 && u[1] == 0 && u[2] == 0, "ruid kept, euid and suid root");
	cr_assert_eq(cur(&w)->fsuid, 0);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET, "euid root gets the bounding set");
	cr_assert_eq(cur(&w)->cap_effective, PM_CAP_FULL_SET);
	cr_assert(r.secureexec);
	cr_assert(r.per_clear);
	cr_assert_not(r.nondumpable, "the pre-exec ids decide begin_new_exec's rule");
	cr_assert_eq(pm_cred_slot_take_effects(&w.self),
	             PM_CRED_EFFECT_NONDUMPABLE | PM_CRED_EFFECT_CLEAR_PDEATH);
	world_fini(&w);
}

PM_TEST(exec, setuid_bits_ignored_by_nosuid_nnp_and_unmapped_owner)
{
	struct world w;
	struct pm_file_attr a = file(04755, 0, 0);
	struct pm_exec_creds r;

	world_init(&w);
	become_user(&w, 1000);
	a.flags = PM_FILE_NOSUID;
	r = run(&w, &a, NULL, 0, 0);
	cr_assert_eq(cur(&w)->euid, 1000);
	cr_assert_not(r.secureexec);
	a.flags = 0;
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	r = run(&w, &a, NULL, 0, 0);
	cr_assert_eq(cur(&w)->euid, 1000, "no_new_privs");
	cr_assert_eq(cur(&w)->flags & PM_CRED_NO_NEW_PRIVS, PM_CRED_NO_NEW_PRIVS,
	             "kept across exec");
	world_fini(&w);
}

PM_TEST(exec, setgid_needs_group_execute)
{
	struct world w;
	struct pm_file_attr a = file(02755, 0, 50);
	struct pm_exec_creds r;

	world_init(&w);
	become_user(&w, 1000);
	r = run(&w, &a, NULL, 0, 0);
	cr_assert_eq(cur(&w)->egid, 50);
	cr_assert_eq(cur(&w)->sgid, 50);
	cr_assert(r.secureexec);
	become_user(&w, 1000);
	a = file(02745, 0, 50); /* S_ISGID without S_IXGRP: a mandatory-locking mark */
	r = run(&w, &a, NULL, 0, 0);
	cr_assert_eq(cur(&w)->egid, 1000);
	cr_assert_not(r.secureexec);
	world_fini(&w);
}

/* Linux 6.18: ruid 0 with euid 1000 is still a secure exec (new euid != old ruid). */
PM_TEST(exec, secureexec_when_euid_differs_from_ruid)
{
	struct world w;
	struct pm_file_attr a = file(0755, 0, 0);
	struct pm_exec_creds r;

	world_init(&w);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 0, 1000, 1000), 0);
	r = run(&w, &a, NULL, 0, 0);
	cr_assert(r.secureexec);
	cr_assert(r.nondumpable);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET, "real root: pP' = X | pI");
	cr_assert_eq(cur(&w)->cap_effective, 0, "euid not root: no effective bit");
	world_fini(&w);
}

PM_TEST(exec, file_capabilities)
{
	struct world w;
	struct pm_file_attr a = file(0755, 0, 0);
	struct xcaps ep = xattr(CAP(NET_RAW), 0, true, UINT32_MAX);
	struct xcaps p = xattr(CAP(NET_RAW), 0, false, UINT32_MAX);
	struct pm_exec_creds r;

	world_init(&w);
	become_user(&w, 1000);
	r = run(&w, &a, &ep, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(NET_RAW));
	cr_assert_eq(cur(&w)->cap_effective, CAP(NET_RAW), "the effective bit");
	cr_assert(r.secureexec, "a non-root user gained capabilities");
	cr_assert_eq(cur(&w)->euid, 1000);
	become_user(&w, 1000);
	r = run(&w, &a, &p, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(NET_RAW));
	cr_assert_eq(cur(&w)->cap_effective, 0, "no effective bit: the program raises it itself");
	cr_assert(r.secureexec);
	/* Nosuid mounts ignore file capabilities too. */
	become_user(&w, 1000);
	a.flags = PM_FILE_NOSUID;
	r = run(&w, &a, &ep, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, 0);
	cr_assert_not(r.secureexec);
	world_fini(&w);
}

/* pP' = (X & fP) | (pI & fI) */
PM_TEST(exec, inheritable_and_bounding_sets)
{
	struct world w;
	struct pm_file_attr a = file(0755, 0, 0);
	struct xcaps fi = xattr(0, CAP(KILL) | CAP(CHOWN), true, UINT32_MAX);
	struct xcaps fp = xattr(CAP(SYS_TIME) | CAP(KILL), 0, true, UINT32_MAX);

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_DROP, PM_CAP_SYS_TIME, 0, 0, 0), 0);
	set_creds(&w.self, 1000, 1000, 1000, 1000, 0, 0, CAP(KILL));
	run(&w, &a, &fi, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(KILL), "pI & fI");
	cr_assert_eq(cur(&w)->cap_inheritable, CAP(KILL), "pI' = pI");
	/* fE asks for CAP_SYS_TIME, which the bounding set denies: the exec fails. */
	run(&w, &a, &fp, 0, -PM_EPERM);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(KILL), "nothing changed");
	fp = xattr(CAP(SYS_TIME) | CAP(KILL), 0, false, UINT32_MAX);
	run(&w, &a, &fp, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(KILL), "without fE the missing bit is dropped");
	world_fini(&w);
}

/* Ambient capabilities survive an exec of a plain binary and become pP and pE. */
PM_TEST(exec, ambient_across_exec)
{
	struct world w;
	struct pm_file_attr plain = file(0755, 0, 0), suid = file(04755, 0, 0);
	struct xcaps fc = xattr(CAP(CHOWN), 0, false, UINT32_MAX);
	struct pm_exec_creds r;

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 1000, 1000), 0);
	cr_assert_eq(pm_cred_capset(&w.self, 0, CAP(SETUID), CAP(SETUID)), 0);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, PM_CAP_SETUID, 0, 0),
	    0);
	r = run(&w, &plain, NULL, 0, 0);
	/* Linux 6.18: secure=0, eff=prm=CAP_SETUID, ambient kept. */
	cr_assert_not(r.secureexec);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(SETUID));
	cr_assert_eq(cur(&w)->cap_effective, CAP(SETUID));
	cr_assert_eq(cur(&w)->cap_ambient, CAP(SETUID));
	r = run(&w, &plain, &fc, 0, 0);
	cr_assert_eq(cur(&w)->cap_ambient, 0, "file capabilities cancel ambient");
	cr_assert_eq(cur(&w)->cap_permitted, CAP(CHOWN));
	cr_assert(r.secureexec);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 1000, 1000), 0);
	set_creds(&w.self, 1000, 1000, 1000, 1000, CAP(SETUID), CAP(SETUID), CAP(SETUID));
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, PM_CAP_SETUID, 0, 0),
	    0);
	run(&w, &suid, NULL, 0, 0);
	cr_assert_eq(cur(&w)->cap_ambient, 0, "a set-id exec cancels ambient");
	world_fini(&w);
}

/* handle_privileged_root: setuid-root plus file caps run by a non-root user gets only the file caps. */
PM_TEST(exec, setuid_root_with_file_caps)
{
	struct world w;
	struct pm_file_attr a = file(04755, 0, 0);
	struct xcaps fc = xattr(CAP(NET_ADMIN), 0, true, UINT32_MAX);

	world_init(&w);
	become_user(&w, 1000);
	run(&w, &a, &fc, 0, 0);
	cr_assert_eq(cur(&w)->euid, 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(NET_ADMIN));
	/* Run by root, the file caps do not limit it. */
	world_fini(&w);
	world_init(&w);
	run(&w, &a, &fc, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET);
	/* SECURE_NOROOT: root is nobody special. */
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, PM_SECBIT_NOROOT, 0, 0, 0), 0);
	a = file(0755, 0, 0);
	run(&w, &a, NULL, 0, 0);
	cr_assert_eq(cur(&w)->cap_permitted, 0);
	world_fini(&w);
}

/* Unsafe execs (no_new_privs, shared fs, tracer without CAP_SYS_PTRACE) gain nothing. */
PM_TEST(exec, unsafe_exec_gains_nothing)
{
	struct world w;
	struct pm_file_attr a = file(04755, 0, 0), plain = file(0755, 0, 0);
	struct xcaps fc = xattr(CAP(NET_RAW), 0, true, UINT32_MAX);
	struct pm_exec_creds ec;
	const struct pm_cred *tracer;

	world_init(&w);
	become_user(&w, 1000);
	run(&w, &a, NULL, PM_EXEC_UNSAFE_SHARE, 0);
	cr_assert_eq(cur(&w)->euid, 1000, "no CAP_SETUID: the set-id is undone");
	cr_assert_eq(cur(&w)->cap_permitted, 0);
	run(&w, &plain, &fc, PM_EXEC_UNSAFE_SHARE, 0);
	cr_assert_eq(cur(&w)->cap_permitted, 0, "file caps not granted either");
	/* Traced by an unprivileged tracer: the same. */
	tracer = pm_cred_get(cur(&w));
	cr_assert_eq(pm_cred_exec_prepare(cur(&w), &a, NULL, 0, 0, tracer, &ec), 0);
	cr_assert_eq(ec.cred->euid, 1000);
	pm_cred_exec_abort(&ec);
	/* A tracer with CAP_SYS_PTRACE does not hold the exec back. */
	cr_assert_eq(pm_cred_exec_prepare(cur(&w), &a, NULL, 0, 0, w.init, &ec), 0);
	cr_assert_eq(ec.cred->euid, 0);
	pm_cred_exec_abort(&ec);
	pm_cred_put(tracer);
	world_fini(&w);
}

PM_TEST(exec, namespaced_file_capabilities)
{
	struct world w;
	struct pm_cred_slot c;
	struct pm_file_attr a = file(0755, 0, 0);
	struct xcaps v3 = xattr(CAP(NET_RAW), 0, true, 100000);
	struct xcaps v3other = xattr(CAP(NET_RAW), 0, true, 200000);
	struct pm_exec_creds ec;

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&c, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_eq(pm_userns_write_map(c.cred->user_ns, PM_USERNS_UID_MAP, "0 100000 1000", 13, 0,
	                                 cur(&w), cur(&w)),
	             0);
	cr_assert_eq(pm_userns_write_map(c.cred->user_ns, PM_USERNS_GID_MAP, "0 100000 1000", 13, 0,
	                                 cur(&w), cur(&w)),
	             0);
	cr_assert_eq(pm_cred_setresuid(&c, &w.rlim, 5, 5, 5), 0);
	/* rootid 100000 is root of the child: the capabilities apply there. */
	cr_assert_eq(pm_cred_exec_prepare(c.cred, &a, v3.b, v3.len, 0, NULL, &ec), 0);
	cr_assert_eq(ec.cred->cap_permitted, CAP(NET_RAW));
	pm_cred_exec_abort(&ec);
	/* rootid 200000 owns neither the child nor the initial namespace: ignored (ENODATA). */
	cr_assert_eq(pm_cred_exec_prepare(c.cred, &a, v3other.b, v3other.len, 0, NULL, &ec), 0);
	cr_assert_eq(ec.cred->cap_permitted, 0);
	pm_cred_exec_abort(&ec);
	/* A superblock of a namespace that is not an ancestor: set-id and caps ignored. */
	a.mode |= PM_S_ISUID;
	a.uid = 100000;
	a.sb_userns = c.cred->user_ns;
	cr_assert_eq(pm_cred_exec_prepare(cur(&w), &a, v3.b, v3.len, 0, NULL, &ec), 0);
	cr_assert_eq(ec.cred->euid, 0, "root exec'ing a child-namespace file: no set-uid 100000");
	pm_cred_exec_abort(&ec);
	pm_cred_slot_destroy(&c);
	world_fini(&w);
}

PM_TEST(exec, malformed_capability_values)
{
	struct world w;
	struct pm_file_attr a = file(0755, 0, 0);
	struct pm_vfs_caps vc;
	struct xcaps x = xattr(CAP(KILL), 0, false, UINT32_MAX);
	unsigned char big[32] = {0};
	struct pm_exec_creds ec;

	world_init(&w);
	cr_assert_eq(pm_cred_parse_vfs_caps(x.b, 3, NULL, &w.root, &vc), -PM_EINVAL, "too short");
	cr_assert_eq(pm_cred_parse_vfs_caps(x.b, 24, NULL, &w.root, &vc), -PM_EINVAL,
	             "revision 2 with 24 bytes");
	put32(x.b, 0x04000000);
	cr_assert_eq(pm_cred_parse_vfs_caps(x.b, 20, NULL, &w.root, &vc), -PM_EINVAL, "revision 4");
	put32(x.b, PM_VFS_CAP_REVISION_1 | PM_VFS_CAP_FLAGS_EFFECTIVE);
	cr_assert_eq(pm_cred_parse_vfs_caps(x.b, 12, NULL, &w.root, &vc), 0, "revision 1, 32-bit");
	cr_assert_eq(vc.permitted, CAP(KILL));
	x = xattr(~0ull, ~0ull, false, UINT32_MAX);
	cr_assert_eq(pm_cred_parse_vfs_caps(x.b, 20, NULL, &w.root, &vc), 0);
	cr_assert_eq(vc.permitted, PM_CAP_FULL_SET, "bits past the last capability dropped");
	/* The exec fails with the parser's error, and ERANGE for a value over 24 bytes. */
	put32(x.b, 0x7f000000);
	cr_assert_eq(pm_cred_exec_prepare(cur(&w), &a, x.b, 20, 0, NULL, &ec), -PM_EINVAL);
	cr_assert_eq(pm_cred_exec_prepare(cur(&w), &a, big, sizeof(big), 0, NULL, &ec), -PM_ERANGE);
	world_fini(&w);
}

PM_TEST(exec, prepare_file_reads_through_the_hal)
{
	struct world w;
	struct xcaps x = xattr(CAP(NET_BIND_SERVICE), 0, true, UINT32_MAX);
	unsigned char big[30] = {0};
	struct pm_host_file_spec spec = {.path = "/bin/ping",
	                                 .data = "x",
	                                 .size = 1,
	                                 .mode = PM_S_IFREG | 0755,
	                                 .caps = x.b,
	                                 .caps_size = x.len};
	struct pm_hal_file *f;
	struct pm_exec_creds ec;

	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open("/bin/ping", &f), 0);
	cr_assert_eq(pm_cred_exec_prepare_file(cur(&w), f, 0, NULL, &ec), 0);
	cr_assert_eq(ec.cred->cap_effective, CAP(NET_BIND_SERVICE));
	pm_cred_exec_commit(&w.self, &ec);
	pm_hal_file_put(f);
	spec.caps = big;
	spec.caps_size = sizeof(big);
	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open("/bin/ping", &f), 0);
	cr_assert_eq(pm_cred_exec_prepare_file(cur(&w), f, 0, NULL, &ec), -PM_ERANGE);
	pm_hal_file_put(f);
	spec.caps = NULL;
	spec.caps_size = 0;
	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open("/bin/ping", &f), 0);
	cr_assert_eq(pm_cred_exec_prepare_file(cur(&w), f, 0, NULL, &ec), 0, "no xattr: ENODATA");
	cr_assert_eq(ec.cred->cap_permitted, 0);
	pm_cred_exec_abort(&ec);
	pm_hal_file_put(f);
	pm_host_files_clear();
	world_fini(&w);
}

PM_TEST(exec, fault_injection_leaves_the_old_credentials)
{
	struct world w;
	struct pm_file_attr a = file(04755, 0, 0);
	struct pm_exec_creds ec;

	world_init(&w);
	become_user(&w, 1000);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_exec_prepare(cur(&w), &a, NULL, 0, 0, NULL, &ec), -PM_ENOMEM);
	pm_host_fault_reset();
	cr_assert_eq(cur(&w)->euid, 1000);
	world_fini(&w);
}
