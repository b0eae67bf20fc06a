/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the credential suites: an initial user namespace, the
 * init credentials, one thread slot holding them and a process's limits.
 * Everything is torn down inside the test body so PM_TEST's leak check
 * sees a clean state.
 */
#ifndef PM_TESTS_CRED_TEST_H
#define PM_TESTS_CRED_TEST_H

#include <string.h>

#include "pm_test.h"
#include "procmgr/cred.h"
#include "procmgr/errno.h"
#include "procmgr/rlimit.h"
#include "procmgr/userns.h"
#include "cred/cred_internal.h"

#define TEST_MAX_THREADS 200000u

struct world {
	struct pm_userns root;
	const struct pm_cred *init;
	struct pm_cred_slot self;
	struct pm_rlimits rlim;
};

static inline void world_init(struct world *w)
{
	pm_userns_init_root(&w->root, TEST_MAX_THREADS);
	cr_assert_eq(pm_cred_init_root(&w->root, &w->init), 0);
	pm_cred_slot_init(&w->self, w->init);
	pm_rlimits_init(&w->rlim, TEST_MAX_THREADS);
}

static inline void world_fini(struct world *w)
{
	pm_cred_slot_destroy(&w->self);
	pm_cred_put(w->init);
	pm_rlimits_destroy(&w->rlim);
	pm_userns_destroy_root(&w->root);
}

static inline const struct pm_cred *cur(const struct world *w)
{
	return pm_cred_slot_current(&w->self);
}

/* Replace the slot's credentials with a modified copy (what a test needs, not a syscall). */
static inline void set_creds(struct pm_cred_slot *s, pm_uid_t r, pm_uid_t e, pm_uid_t sv,
                             pm_gid_t g, pm_kernel_cap_t prm, pm_kernel_cap_t eff,
                             pm_kernel_cap_t inh)
{
	struct pm_cred *n;

	cr_assert_eq(pm_cred_prepare(pm_cred_slot_current(s), &n), 0);
	n->uid = r;
	n->euid = e;
	n->suid = sv;
	n->fsuid = e;
	n->gid = n->egid = n->sgid = n->fsgid = g;
	n->cap_permitted = prm;
	n->cap_effective = eff;
	n->cap_inheritable = inh;
	n->cap_ambient &= prm & inh;
	cr_assert_eq(pm_cred_set_ucounts_(n), 0);
	pm_cred_commit(s, n);
	pm_cred_slot_take_effects(s);
}

/* An unprivileged user: all ids @id, no capabilities. */
static inline void become_user(struct world *w, pm_uid_t id)
{
	set_creds(&w->self, id, id, id, id, 0, 0, 0);
}

#define CAP(c) PM_CAP_TO_MASK(PM_CAP_##c)

#endif /* PM_TESTS_CRED_TEST_H */
