/* SPDX-License-Identifier: MIT */
/*
 * Credential lifecycle (kernel/cred.c): init_cred, prepare/commit
 * copy-on-write, references, per-thread slots, commit effects, clone
 * (copy_creds + copy_process's RLIMIT_NPROC check) and release.
 */
#include <pthread.h>

#include "cred_test.h"

TestSuite(cred_life, .init = pm_test_setup);

PM_TEST(cred_life, init_cred_is_root_with_every_capability)
{
	struct world w;
	pm_uid_t u[3];

	world_init(&w);
	/* kernel/cred.c init_cred: ids 0, full permitted/effective/bounding, empty pI/pA. */
	cr_assert_eq(w.init->uid | w.init->euid | w.init->suid | w.init->fsuid, 0);
	cr_assert_eq(w.init->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(w.init->cap_effective, PM_CAP_FULL_SET);
	cr_assert_eq(w.init->cap_bset, PM_CAP_FULL_SET);
	cr_assert_eq(w.init->cap_inheritable | w.init->cap_ambient, 0);
	cr_assert_eq(w.init->securebits, 0);
	cr_assert_eq(PM_CAP_FULL_SET, 0x1ffffffffffull,
	             "41 capabilities, CAP_CHOWN..CAP_CHECKPOINT_RESTORE");
	pm_cred_getresuid(w.init, u);
	cr_assert_eq(u[0] | u[1] | u[2], 0);
	cr_assert_eq(pm_cred_nproc_count(w.init), 1, "the first thread is charged to root");
	world_fini(&w);
}

PM_TEST(cred_life, prepare_copies_commit_replaces_and_frees_the_old)
{
	struct world w;
	struct pm_cred *n;
	const struct pm_cred *held;

	world_init(&w);
	cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
	cr_assert_neq(n, cur(&w), "copy-on-write: a new object");
	cr_assert_eq(n->user_ns, cur(&w)->user_ns);
	cr_assert_eq(n->cap_effective, cur(&w)->cap_effective);
	n->cap_effective = 0;
	held = pm_cred_get(cur(&w));
	pm_cred_commit(&w.self, n);
	cr_assert_eq(cur(&w), n);
	cr_assert_eq(held->cap_effective, PM_CAP_FULL_SET, "a committed credential never changes");
	pm_cred_put(held);
	/* abort_creds discards an uncommitted copy. */
	cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
	pm_cred_abort(n);
	world_fini(&w);
}

PM_TEST(cred_life, prepare_fails_cleanly_without_memory)
{
	struct world w;
	struct pm_cred *n = NULL;

	world_init(&w);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_prepare(cur(&w), &n), -PM_ENOMEM);
	pm_host_fault_reset();
	cr_assert_null(n);
	world_fini(&w);
}

PM_TEST(cred_life, init_root_fault_injection)
{
	struct pm_userns root;

	pm_userns_init_root(&root, 0);
	for (uint64_t i = 1;; i++) {
		const struct pm_cred *c = NULL;
		int err;

		pm_host_fault_alloc_nth(i);
		err = pm_cred_init_root(&root, &c);
		pm_host_fault_reset();
		if (err == 0) {
			pm_cred_put(c);
			break;
		}
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_null(c);
	}
	pm_userns_destroy_root(&root);
}

/* commit_creds: a changed effective/fs id or a capability gain makes the process non-dumpable. */
PM_TEST(cred_life, commit_reports_dumpability_effects)
{
	struct world w;
	struct pm_cred *n;

	world_init(&w);
	cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
	n->cap_inheritable = CAP(KILL);
	pm_cred_commit(&w.self, n);
	cr_assert_eq(pm_cred_slot_take_effects(&w.self), 0, "pI change alone: still dumpable");

	cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
	n->fsuid = 5;
	pm_cred_commit(&w.self, n);
	cr_assert_eq(pm_cred_slot_take_effects(&w.self),
	             PM_CRED_EFFECT_NONDUMPABLE | PM_CRED_EFFECT_CLEAR_PDEATH);
	cr_assert_eq(pm_cred_slot_take_effects(&w.self), 0, "taking clears");

	set_creds(&w.self, 5, 5, 5, 5, CAP(KILL), 0, 0);
	cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
	n->cap_permitted |= CAP(CHOWN);
	pm_cred_commit(&w.self, n);
	cr_assert_eq(pm_cred_slot_take_effects(&w.self) & PM_CRED_EFFECT_NONDUMPABLE,
	             PM_CRED_EFFECT_NONDUMPABLE, "gaining a permitted capability");
	world_fini(&w);
}

struct race {
	struct pm_cred_slot *slot;
	volatile int stop;
	volatile long reads;
};

static void *reader(void *arg)
{
	struct race *r = arg;

	while (!r->stop) {
		const struct pm_cred *c = pm_cred_slot_get(r->slot);

		/* Every credential ever published has uid == euid: never a torn or freed one. */
		if (c->uid != c->euid || c->usage == 0)
			abort();
		pm_cred_put(c);
		r->reads++;
	}
	return NULL;
}

PM_TEST(cred_life, other_threads_get_references_while_the_owner_commits)
{
	struct world w;
	struct race r;
	pthread_t t;

	world_init(&w);
	r.slot = &w.self;
	r.stop = 0;
	r.reads = 0;
	cr_assert_eq(pthread_create(&t, NULL, reader, &r), 0);
	for (pm_uid_t i = 0; i < 3000 || r.reads < 1000; i++) {
		struct pm_cred *n;

		cr_assert_eq(pm_cred_prepare(cur(&w), &n), 0);
		n->uid = n->euid = i % 7;
		cr_assert_eq(pm_cred_set_ucounts_(n), 0);
		pm_cred_commit(&w.self, n);
	}
	r.stop = 1;
	pthread_join(t, NULL);
	cr_assert_gt(r.reads, 0);
	world_fini(&w);
}

PM_TEST(cred_life, clone_shares_and_charges_nproc)
{
	struct world w;
	struct pm_cred_slot child;

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&child, &w.self, 0, &w.rlim, false), 0);
	/* copy_creds: without CLONE_NEWUSER the child runs with the same credentials. */
	cr_assert_eq(pm_cred_slot_current(&child), cur(&w));
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 2, "RLIMIT_NPROC counts every thread");
	pm_cred_release(&child);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 1, "release_task uncharges");
	pm_cred_release(&child);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 1, "idempotent");
	pm_cred_slot_destroy(&child);
	world_fini(&w);
}

/* copy_process: over RLIMIT_NPROC -> EAGAIN unless root or CAP_SYS_RESOURCE/CAP_SYS_ADMIN. */
PM_TEST(cred_life, clone_over_rlimit_nproc_fails_with_eagain)
{
	struct world w;
	struct pm_cred_slot kids[3];
	struct pm_rlimit lim = {2, 2};

	world_init(&w);
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NPROC, &lim, NULL), 0);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_clone(&kids[0], &w.self, 0, &w.rlim, false), 0);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 2);
	cr_assert_eq(pm_cred_clone(&kids[1], &w.self, 0, &w.rlim, false), -PM_EAGAIN);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 2, "a refused clone leaves the count alone");
	/* A capability holder in the initial namespace is exempt. */
	set_creds(&w.self, 1000, 1000, 1000, 1000, CAP(SYS_RESOURCE), CAP(SYS_RESOURCE), 0);
	cr_assert_eq(pm_cred_clone(&kids[1], &w.self, 0, &w.rlim, false), 0);
	set_creds(&w.self, 1000, 1000, 1000, 1000, CAP(SYS_ADMIN), CAP(SYS_ADMIN), 0);
	cr_assert_eq(pm_cred_clone(&kids[2], &w.self, 0, &w.rlim, false), 0);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 4);
	for (int i = 0; i < 3; i++)
		pm_cred_slot_destroy(&kids[i]);
	/* Real uid 0 is never limited. */
	set_creds(&w.self, 0, 0, 0, 0, 0, 0, 0);
	lim.rlim_cur = lim.rlim_max = 0;
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_NPROC, &lim, NULL), 0);
	cr_assert_eq(pm_cred_clone(&kids[0], &w.self, 0, &w.rlim, false), 0);
	pm_cred_slot_destroy(&kids[0]);
	world_fini(&w);
}

PM_TEST(cred_life, clone_newuser_gives_full_caps_in_a_new_namespace)
{
	struct world w;
	struct pm_cred_slot child;
	const struct pm_cred *c;
	pm_uid_t u[3];

	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_clone(&child, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	c = pm_cred_slot_current(&child);
	/* create_user_ns + set_cred_user_ns. */
	cr_assert_eq(c->user_ns->parent, &w.root);
	cr_assert_eq(c->user_ns->level, 1);
	cr_assert_eq(c->user_ns->owner, 1000);
	cr_assert_eq(c->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(c->cap_effective, PM_CAP_FULL_SET);
	cr_assert_eq(c->cap_bset, PM_CAP_FULL_SET);
	cr_assert_eq(c->uid, 1000, "the global ids do not change");
	pm_cred_getresuid(c, u);
	cr_assert_eq(u[0], 65534, "unmapped ids read as the overflow uid");
	cr_assert(pm_cred_ns_capable(c, c->user_ns, PM_CAP_SYS_ADMIN));
	cr_assert_not(pm_cred_capable(c, PM_CAP_SYS_ADMIN), "capabilities count only inside");
	cr_assert_eq(pm_cred_nproc_count(c), 1, "charged to (new ns, 1000)");
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 2, "and to (parent, owner) one level up");
	pm_cred_slot_destroy(&child);
	cr_assert_eq(pm_cred_nproc_count(cur(&w)), 1);
	world_fini(&w);
}

PM_TEST(cred_life, clone_newuser_fault_injection)
{
	struct world w;

	world_init(&w);
	become_user(&w, 1000);
	for (uint64_t i = 1;; i++) {
		struct pm_cred_slot child;
		int err;

		pm_host_fault_alloc_nth(i);
		err = pm_cred_clone(&child, &w.self, PM_CLONE_NEWUSER, &w.rlim, false);
		pm_host_fault_reset();
		if (err == 0) {
			cr_assert_gt(i, 3, "cred, ns counters, ns and the new counters allocate");
			pm_cred_slot_destroy(&child);
			break;
		}
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(pm_cred_nproc_count(cur(&w)), 1, "nothing charged");
	}
	world_fini(&w);
}

/* create_user_ns: level > 32 -> ENOSPC; unmapped creator or chroot -> EPERM. */
PM_TEST(cred_life, userns_creation_errors)
{
	struct world w;
	const struct pm_cred *chain[34];
	struct pm_cred *n, *m = NULL;
	int depth = 0;

	world_init(&w);
	chain[0] = pm_cred_get(cur(&w));
	for (;;) {
		struct pm_cred *next;
		int err = pm_cred_prepare_userns(chain[depth], &w.rlim, false, &next);

		if (err) {
			cr_assert_eq(err, -PM_ENOSPC);
			break;
		}
		/* Map root so the next level's creator is mapped. */
		cr_assert_eq(pm_userns_write_map(next->user_ns, PM_USERNS_UID_MAP, "0 0 1", 5, 0,
		                                 next, next),
		             0);
		/* An unprivileged gid_map needs setgroups denied first. */
		cr_assert_eq(pm_userns_write_setgroups(next->user_ns, next, "deny", 4, 0), 0);
		cr_assert_eq(pm_userns_write_map(next->user_ns, PM_USERNS_GID_MAP, "0 0 1", 5, 0,
		                                 next, next),
		             0);
		chain[++depth] = next;
	}
	cr_assert_eq(depth, 33, "Linux allows 33 levels below the initial namespace");
	cr_assert_eq(chain[depth]->user_ns->level, 33);
	/* No mapping for the creator in its namespace: EPERM. */
	cr_assert_eq(pm_cred_prepare_userns(chain[1], &w.rlim, false, &n), 0);
	cr_assert_eq(pm_cred_prepare_userns(n, &w.rlim, false, &m), -PM_EPERM,
	             "the new namespace has no uid_map yet");
	pm_cred_abort(n);
	cr_assert_eq(pm_cred_prepare_userns(cur(&w), &w.rlim, true, &n), -PM_EPERM, "chrooted");
	while (depth >= 0)
		pm_cred_put(chain[depth--]);
	world_fini(&w);
}

/* max_user_namespaces (init: max_threads / 2) per user, counted at every level. */
PM_TEST(cred_life, max_user_namespaces_is_enforced)
{
	struct pm_userns root;
	const struct pm_cred *init;
	struct pm_rlimits rl;
	struct pm_cred *a, *b, *c;

	pm_userns_init_root(&root, 4); /* allows 2 */
	pm_rlimits_init(&rl, 4);
	cr_assert_eq(pm_cred_init_root(&root, &init), 0);
	cr_assert_eq(pm_cred_prepare_userns(init, &rl, false, &a), 0);
	cr_assert_eq(pm_cred_prepare_userns(init, &rl, false, &b), 0);
	cr_assert_eq(pm_cred_prepare_userns(init, &rl, false, &c), -PM_ENOSPC);
	pm_cred_abort(a);
	cr_assert_eq(pm_cred_prepare_userns(init, &rl, false, &c), 0,
	             "freed namespaces count no more");
	pm_cred_abort(b);
	pm_cred_abort(c);
	pm_cred_put(init);
	pm_rlimits_destroy(&rl);
	pm_userns_destroy_root(&root);
}
