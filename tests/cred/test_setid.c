/* SPDX-License-Identifier: MIT */
/*
 * The set*id family (kernel/sys.c) and the capability fix-ups on uid
 * changes (security/commoncap.c cap_task_fix_setuid, cap_emulate_setxuid).
 * Expected values were checked against Linux 6.18 where noted.
 */
#include "cred_test.h"

TestSuite(setid, .init = pm_test_setup);

static void ids(const struct world *w, pm_uid_t r, pm_uid_t e, pm_uid_t s, pm_uid_t fs)
{
	const struct pm_cred *c = cur(w);

	cr_assert_eq(c->uid, r, "ruid %u != %u", c->uid, r);
	cr_assert_eq(c->euid, e, "euid %u != %u", c->euid, e);
	cr_assert_eq(c->suid, s, "suid %u != %u", c->suid, s);
	cr_assert_eq(c->fsuid, fs, "fsuid %u != %u", c->fsuid, fs);
}

/* setuid as root sets all four ids; dropping every root id clears pP, pE and pA. */
PM_TEST(setid, setuid_as_root_drops_everything)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 1000), 0);
	ids(&w, 1000, 1000, 1000, 1000);
	cr_assert_eq(cur(&w)->cap_permitted | cur(&w)->cap_effective | cur(&w)->cap_ambient, 0);
	cr_assert_eq(cur(&w)->cap_bset, PM_CAP_FULL_SET, "the bounding set stays");
	/* "drop root and try to get it back" */
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 0, 0, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, 0, -1u), -PM_EPERM);
	cr_assert_eq(pm_cred_slot_take_effects(&w.self),
	             PM_CRED_EFFECT_NONDUMPABLE | PM_CRED_EFFECT_CLEAR_PDEATH);
	world_fini(&w);
}

PM_TEST(setid, setuid_unprivileged_uses_real_or_saved_uid)
{
	struct world w;

	world_init(&w);
	set_creds(&w.self, 1000, 0, 0, 1000, PM_CAP_FULL_SET, 0, 0); /* setuid-root binary */
	/* Without CAP_SETUID in the effective set only euid and fsuid change. */
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 1000), 0);
	ids(&w, 1000, 1000, 0, 1000);
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 0), 0, "back to the saved uid");
	ids(&w, 1000, 0, 0, 0);
	cr_assert_eq(cur(&w)->cap_effective, PM_CAP_FULL_SET, "euid 0 again: pE := pP");
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 7), 0,
	             "now privileged: euid 0 and CAP_SETUID");
	ids(&w, 7, 7, 7, 7);
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 8), -PM_EPERM);
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, -1u), -PM_EINVAL, "(uid_t)-1 is never a uid");
	world_fini(&w);
}

/* SECURE_KEEP_CAPS keeps pP (not pE, never pA) across the drop of every root uid. */
PM_TEST(setid, keep_caps_keeps_permitted)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 1000, 1000), 0);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(cur(&w)->cap_effective, 0, "euid left 0: pE cleared");
	world_fini(&w);
}

PM_TEST(setid, no_setuid_fixup_leaves_capabilities_alone)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, PM_SECBIT_NO_SETUID_FIXUP, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 1000, 1000), 0);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(cur(&w)->cap_effective, PM_CAP_FULL_SET);
	world_fini(&w);
}

/* Ambient is cleared as soon as no root uid remains, even with keep-caps. */
PM_TEST(setid, dropping_root_clears_ambient)
{
	struct world w;
	struct pm_cred *n;

	world_init(&w);
	cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
	n->cap_inheritable = CAP(NET_RAW);
	n->cap_ambient = CAP(NET_RAW);
	n->securebits = PM_SECBIT_KEEP_CAPS;
	pm_cred_commit(&w.self, n);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 1000, 0), 0);
	cr_assert_eq(cur(&w)->cap_ambient, CAP(NET_RAW), "suid 0 remains: nothing dropped yet");
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, -1u, -1u, 1000), 0);
	cr_assert_eq(cur(&w)->cap_ambient, 0);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET, "kept by keep-caps");
	world_fini(&w);
}

PM_TEST(setid, setreuid_rules)
{
	struct world w;

	world_init(&w);
	set_creds(&w.self, 1000, 2000, 3000, 1, 0, 0, 0);
	/* ruid may become the old ruid or euid; euid the old ruid, euid or suid. */
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, 3000, -1u), -PM_EPERM);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, -1u, 4000), -PM_EPERM);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, -1u, 3000), 0);
	/* euid set to something other than the old ruid: suid := new euid. */
	ids(&w, 1000, 3000, 3000, 3000);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, -1u, 1000), 0);
	ids(&w, 1000, 1000, 3000, 1000);
	/* BSD swap: setting the ruid always copies the new euid to suid. */
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, 1000, 3000), 0);
	ids(&w, 1000, 3000, 3000, 3000);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, 3000, 1000), 0);
	ids(&w, 3000, 1000, 1000, 1000);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, -1u, -1u), 0);
	world_fini(&w);
}

PM_TEST(setid, setresuid_noop_and_permission)
{
	struct world w;
	struct pm_cred *before;

	world_init(&w);
	set_creds(&w.self, 1000, 2000, 3000, 1, 0, 0, 0);
	before = pm_cred_mut_(cur(&w));
	/* Nothing would change: 0 without a new credential (the no-op fast path). */
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 1000, 2000, 3000), 0);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, -1u, -1u, -1u), 0);
	cr_assert_eq(cur(&w), before);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, 3000, 1000, 2000), 0, "any permutation");
	ids(&w, 3000, 1000, 2000, 1000);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, -1u, 4000, -1u), -PM_EPERM);
	ids(&w, 3000, 1000, 2000, 1000);
	world_fini(&w);
}

/* The no-op test also requires fsuid == euid: setresuid resets a diverged fsuid. */
PM_TEST(setid, setresuid_resyncs_fsuid)
{
	struct world w;

	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_setfsuid(&w.self, 1000), 1000);
	set_creds(&w.self, 1000, 1000, 5, 1000, 0, 0, 0);
	cr_assert_eq(pm_cred_setfsuid(&w.self, 5), 1000);
	cr_assert_eq(cur(&w)->fsuid, 5);
	cr_assert_eq(pm_cred_setresuid(&w.self, &w.rlim, -1u, 1000, -1u), 0);
	cr_assert_eq(cur(&w)->fsuid, 1000);
	world_fini(&w);
}

/* setfsuid returns the previous fsuid, never an errno (checked on Linux 6.18). */
PM_TEST(setid, setfsuid_reports_and_adjusts_fs_capabilities)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(pm_cred_setfsuid(&w.self, -1u), 0, "-1 only reports");
	cr_assert_eq(pm_cred_setfsuid(&w.self, 1234), 0);
	cr_assert_eq(cur(&w)->fsuid, 1234);
	/* fsuid left 0: CAP_FS_SET leaves the effective set, nothing else. */
	cr_assert_eq(cur(&w)->cap_effective, PM_CAP_FULL_SET & ~PM_CAP_FS_SET);
	cr_assert_eq(cur(&w)->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(pm_cred_setfsuid(&w.self, -1u), 1234);
	cr_assert_eq(pm_cred_setfsuid(&w.self, 0), 1234);
	cr_assert_eq(cur(&w)->cap_effective, PM_CAP_FULL_SET, "back to 0: raised from pP");
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_setfsuid(&w.self, 0), 1000, "refused: still reports");
	cr_assert_eq(cur(&w)->fsuid, 1000);
	world_fini(&w);
}

PM_TEST(setid, setfsuid_never_fails_without_memory)
{
	struct world w;

	world_init(&w);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_setfsuid(&w.self, 5), 0);
	pm_host_fault_reset();
	cr_assert_eq(cur(&w)->fsuid, 0, "no change");
	world_fini(&w);
}

PM_TEST(setid, gid_twins)
{
	struct world w;
	const struct pm_cred *c;

	world_init(&w);
	cr_assert_eq(pm_cred_setgid(&w.self, 100), 0);
	c = cur(&w);
	cr_assert(c->gid == 100 && c->egid == 100 && c->sgid == 100 && c->fsgid == 100);
	cr_assert_eq(c->cap_effective, PM_CAP_FULL_SET, "no capability fix-up for gids");
	set_creds(&w.self, 1000, 1000, 1000, 100, 0, 0, 0);
	cr_assert_eq(pm_cred_setgid(&w.self, 200), -PM_EPERM);
	cr_assert_eq(pm_cred_setregid(&w.self, 200, -1u), -PM_EPERM);
	cr_assert_eq(pm_cred_setresgid(&w.self, -1u, 200, -1u), -PM_EPERM);
	cr_assert_eq(pm_cred_setresgid(&w.self, 100, 100, 100), 0, "no-op");
	cr_assert_eq(pm_cred_setgid(&w.self, -1u), -PM_EINVAL);
	cr_assert_eq(pm_cred_setfsgid(&w.self, 200), 100, "refused, reports the old fsgid");
	cr_assert_eq(pm_cred_setfsgid(&w.self, -1u), 100);
	/* A privileged process juggles gids like uids. */
	set_creds(&w.self, 1000, 1000, 1000, 100, CAP(SETGID), CAP(SETGID), 0);
	cr_assert_eq(pm_cred_setresgid(&w.self, 1, 2, 3), 0);
	c = cur(&w);
	cr_assert(c->gid == 1 && c->egid == 2 && c->sgid == 3 && c->fsgid == 2);
	cr_assert_eq(pm_cred_setregid(&w.self, -1u, 5), 0);
	c = cur(&w);
	cr_assert(c->gid == 1 && c->egid == 5 && c->sgid == 5 && c->fsgid == 5);
	cr_assert_eq(pm_cred_setfsgid(&w.self, 9), 5);
	cr_assert_eq(cur(&w)->fsgid, 9);
	world_fini(&w);
}

/* Ids must be mapped in the caller's namespace: EINVAL before any permission check. */
PM_TEST(setid, unmapped_ids_are_einval_in_a_user_namespace)
{
	struct world w;
	struct pm_cred_slot child;

	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_clone(&child, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_eq(pm_cred_setuid(&child, &w.rlim, 0), -PM_EINVAL, "no uid_map yet");
	cr_assert_eq(pm_userns_write_map(child.cred->user_ns, PM_USERNS_UID_MAP, "0 1000 1", 8, 0,
	                                 child.cred, child.cred),
	             0);
	cr_assert_eq(pm_cred_setuid(&child, &w.rlim, 1), -PM_EINVAL);
	cr_assert_eq(pm_cred_setresuid(&child, &w.rlim, 0, 0, 0), 0, "root in the namespace");
	cr_assert_eq(child.cred->uid, 1000, "which is 1000 outside");
	cr_assert_eq(pm_cred_setgid(&child, 0), -PM_EINVAL, "no gid_map");
	pm_cred_slot_destroy(&child);
	world_fini(&w);
}

/* set*uid over RLIMIT_NPROC succeeds; the next execve fails with EAGAIN (flag_nproc_exceeded). */
PM_TEST(setid, nproc_exceeded_defers_the_failure_to_execve)
{
	struct world w;
	struct pm_cred_slot a, b;
	struct pm_rlimit lim = {1, 1};

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&a, &w.self, 0, &w.rlim, false), 0);
	cr_assert_eq(pm_cred_clone(&b, &w.self, 0, &w.rlim, false), 0);
	cr_assert_eq(pm_cred_setuid(&a, &w.rlim, 1000), 0);
	cr_assert_eq(pm_cred_setuid(&b, &w.rlim, 1000), 0);
	cr_assert_eq(pm_cred_nproc_count(a.cred), 2);
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NPROC, &lim, NULL), 0);
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 1000), 0, "never fails for this");
	cr_assert_eq(pm_cred_exec_nproc_check(&w.self, &w.rlim), -PM_EAGAIN);
	pm_cred_slot_destroy(&a);
	pm_cred_slot_destroy(&b);
	cr_assert_eq(pm_cred_exec_nproc_check(&w.self, &w.rlim), 0, "under the limit again");
	cr_assert_eq(w.self.flags & PM_CRED_SLOT_NPROC_EXCEEDED, 0, "and the flag is cleared");
	world_fini(&w);
}

PM_TEST(setid, setresuid_fault_injection_changes_nothing)
{
	struct world w;

	world_init(&w);
	for (uint64_t i = 1;; i++) {
		const struct pm_cred *before = cur(&w);
		int err;

		pm_host_fault_alloc_nth(i);
		err = pm_cred_setresuid(&w.self, &w.rlim, 4242, 4242, 4242);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(cur(&w), before);
		cr_assert_eq(pm_cred_nproc_count(before), 1);
	}
	cr_assert_eq(cur(&w)->uid, 4242);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 1, "the charge moved to user 4242");
	world_fini(&w);
}

/* Every other set*id call: allocation failure is ENOMEM and leaves the credentials alone. */
PM_TEST(setid, every_call_fails_cleanly_without_memory)
{
	struct world w;
	const struct pm_cred *before;

	world_init(&w);
	before = cur(&w);
	pm_host_fault_alloc_after(0);
	cr_assert_eq(pm_cred_setuid(&w.self, &w.rlim, 7), -PM_ENOMEM);
	cr_assert_eq(pm_cred_setreuid(&w.self, &w.rlim, 7, 7), -PM_ENOMEM);
	cr_assert_eq(pm_cred_setgid(&w.self, 7), -PM_ENOMEM);
	cr_assert_eq(pm_cred_setregid(&w.self, 7, 7), -PM_ENOMEM);
	cr_assert_eq(pm_cred_setresgid(&w.self, 7, 7, 7), -PM_ENOMEM);
	cr_assert_eq(pm_cred_setfsgid(&w.self, 7), 0, "setfsgid reports, never fails");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, PM_SECBIT_NOROOT, 0, 0, 0),
	             -PM_ENOMEM);
	pm_host_fault_reset();
	cr_assert_eq(cur(&w), before, "nothing was committed");
	cr_assert_eq(pm_cred_slot_take_effects(&w.self), 0);
	world_fini(&w);
}
