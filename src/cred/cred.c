/* SPDX-License-Identifier: MIT */
/*
 * Credential lifecycle (Linux kernel/cred.c): allocation, the copy-on-write
 * pair prepare/commit, reference counting, and the per-thread slot the
 * process table embeds. A committed credential is never written again;
 * only its reference count changes.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_string.h"

struct pm_cred *pm_cred_alloc_(void)
{
	return pm_hal_alloc(sizeof(struct pm_cred), _Alignof(struct pm_cred));
}

static void cred_free(struct pm_cred *c)
{
	struct pm_userns *ns = c->user_ns;

	pm_groups_put_(c->group_info);
	pm_ucounts_put_(c->ucounts);
	pm_hal_free(c, sizeof(*c));
	pm_userns_put(ns);
}

int pm_cred_init_root(struct pm_userns *root, const struct pm_cred **out)
{
	struct pm_cred *c = pm_cred_alloc_();
	struct pm_ucounts *uc;
	int err;

	if (!c)
		return -PM_ENOMEM;
	err = pm_ucounts_alloc_(root, 0, &uc);
	if (err) {
		pm_hal_free(c, sizeof(*c));
		return err;
	}
	pm_memset(c, 0, sizeof(*c));
	c->usage = 1;
	c->cap_permitted = PM_CAP_FULL_SET;
	c->cap_effective = PM_CAP_FULL_SET;
	c->cap_bset = PM_CAP_FULL_SET;
	c->user_ns = pm_userns_get(root);
	c->ucounts = uc;
	*out = c;
	return 0;
}

const struct pm_cred *pm_cred_get(const struct pm_cred *cred)
{
	pm_atomic_inc_u32_(&pm_cred_mut_(cred)->usage);
	return cred;
}

void pm_cred_put(const struct pm_cred *cred)
{
	if (cred && pm_atomic_dec_and_test_u32_(&pm_cred_mut_(cred)->usage))
		cred_free(pm_cred_mut_(cred));
}

int pm_cred_prepare(const struct pm_cred *old, struct pm_cred **out)
{
	struct pm_cred *c = pm_cred_alloc_();

	if (!c)
		return -PM_ENOMEM;
	pm_memcpy(c, old, sizeof(*c));
	c->usage = 1;
	pm_userns_get(c->user_ns);
	if (c->group_info)
		pm_groups_get_(c->group_info);
	pm_ucounts_get_(c->ucounts);
	*out = c;
	return 0;
}

void pm_cred_abort(struct pm_cred *cred)
{
	PM_ASSERT(cred->usage == 1);
	pm_cred_put(cred);
}

int pm_cred_set_ucounts_(struct pm_cred *new)
{
	struct pm_ucounts *uc;
	int err;

	if (new->ucounts->ns == new->user_ns &&new->ucounts->uid == new->uid)
		return 0;
	err = pm_ucounts_alloc_(new->user_ns, new->uid, &uc);
	if (err)
		return err;
	pm_ucounts_put_(new->ucounts);
	new->ucounts = uc;
	return 0;
}

void pm_cred_getresuid(const struct pm_cred *cred, pm_uid_t out[3])
{
	out[0] = pm_userns_from_kuid_munged(cred->user_ns, cred->uid);
	out[1] = pm_userns_from_kuid_munged(cred->user_ns, cred->euid);
	out[2] = pm_userns_from_kuid_munged(cred->user_ns, cred->suid);
}

void pm_cred_getresgid(const struct pm_cred *cred, pm_gid_t out[3])
{
	out[0] = pm_userns_from_kgid_munged(cred->user_ns, cred->gid);
	out[1] = pm_userns_from_kgid_munged(cred->user_ns, cred->egid);
	out[2] = pm_userns_from_kgid_munged(cred->user_ns, cred->sgid);
}

/* ---- The per-thread slot ---- */

void pm_cred_slot_init(struct pm_cred_slot *slot, const struct pm_cred *cred)
{
	slot->cred = pm_cred_get(cred);
	pm_hal_lock_init(&slot->lock, PM_LOCK_CRED);
	slot->flags = PM_CRED_SLOT_NPROC_CHARGED;
	slot->effects = 0;
	pm_ucounts_rlimit_add_(cred->ucounts, PM_UCOUNT_RLIMIT_NPROC, 1);
}

const struct pm_cred *pm_cred_slot_get(struct pm_cred_slot *slot)
{
	const struct pm_cred *c;

	pm_hal_lock_acquire(&slot->lock);
	c = pm_cred_get(slot->cred);
	pm_hal_lock_release(&slot->lock);
	return c;
}

/*
 * cred_cap_issubset: is @subset no more capable than @set? Across
 * namespaces only when @set's euid owns one of @subset's ancestors below
 * @set's namespace.
 */
static bool cred_cap_issubset(const struct pm_cred *set, const struct pm_cred *subset)
{
	const struct pm_userns *ns = subset->user_ns;

	if (set->user_ns == ns)
		return pm_cap_issubset(subset->cap_permitted, set->cap_permitted);
	for (; ns->parent; ns = ns->parent)
		if (ns->parent == set->user_ns && ns->owner == set->euid)
			return true;
	return false;
}

void pm_cred_commit(struct pm_cred_slot *slot, struct pm_cred *cred)
{
	const struct pm_cred *old = slot->cred;
	bool move = (slot->flags & PM_CRED_SLOT_NPROC_CHARGED) && cred->ucounts != old->ucounts;

	PM_ASSERT(cred->usage == 1);
	if (old->euid != cred->euid || old->egid != cred->egid || old->fsuid != cred->fsuid ||
	    old->fsgid != cred->fsgid || !cred_cap_issubset(old, cred))
		slot->effects |= PM_CRED_EFFECT_NONDUMPABLE | PM_CRED_EFFECT_CLEAR_PDEATH;
	if (move)
		pm_ucounts_rlimit_add_(cred->ucounts, PM_UCOUNT_RLIMIT_NPROC, 1);
	pm_hal_lock_acquire(&slot->lock);
	__atomic_store_n(&slot->cred, cred, __ATOMIC_RELEASE);
	pm_hal_lock_release(&slot->lock);
	if (move)
		pm_ucounts_rlimit_add_(old->ucounts, PM_UCOUNT_RLIMIT_NPROC, -1);
	pm_cred_put(old);
}

uint32_t pm_cred_slot_take_effects(struct pm_cred_slot *slot)
{
	uint32_t e = slot->effects;

	slot->effects = 0;
	return e;
}

/* flag_nproc_exceeded, then commit_creds. */
void pm_cred_commit_setuid_(struct pm_cred_slot *self, struct pm_cred *new,
                            const struct pm_rlimits *rlim)
{
	if (new->ucounts != self->cred->ucounts) {
		if (new->uid != 0 && pm_ucounts_rlimit_over_(new->ucounts, PM_UCOUNT_RLIMIT_NPROC,
		                                             pm_rlimit_cur(rlim, PM_RLIMIT_NPROC)))
			self->flags |= PM_CRED_SLOT_NPROC_EXCEEDED;
		else
			self->flags &= ~PM_CRED_SLOT_NPROC_EXCEEDED;
	}
	pm_cred_commit(self, new);
}

int pm_cred_prepare_userns(const struct pm_cred *old, const struct pm_rlimits *rlim, bool chrooted,
                           struct pm_cred **out)
{
	struct pm_cred *new;
	int err = pm_cred_prepare(old, &new);

	if (err)
		return err;
	err = pm_userns_create_(new, rlim, chrooted);
	if (!err)
		err = pm_cred_set_ucounts_(new);
	if (err) {
		pm_cred_abort(new);
		return err;
	}
	*out = new;
	return 0;
}

int pm_cred_clone(struct pm_cred_slot *child, struct pm_cred_slot *parent, uint64_t clone_flags,
                  const struct pm_rlimits *rlim, bool chrooted)
{
	const struct pm_cred *pc = parent->cred;
	const struct pm_cred *cc;
	struct pm_cred *new;

	if (clone_flags & PM_CLONE_NEWUSER) {
		int err = pm_cred_prepare_userns(pc, rlim, chrooted, &new);

		if (err)
			return err;
		cc = new;
	} else {
		cc = pm_cred_get(pc);
	}
	pm_ucounts_rlimit_add_(cc->ucounts, PM_UCOUNT_RLIMIT_NPROC, 1);
	if (pm_ucounts_rlimit_over_(cc->ucounts, PM_UCOUNT_RLIMIT_NPROC,
	                            pm_rlimit_cur(rlim, PM_RLIMIT_NPROC)) &&
	    cc->uid != 0 && !pm_cred_capable(pc, PM_CAP_SYS_RESOURCE) &&
	    !pm_cred_capable(pc, PM_CAP_SYS_ADMIN)) {
		pm_ucounts_rlimit_add_(cc->ucounts, PM_UCOUNT_RLIMIT_NPROC, -1);
		pm_cred_put(cc);
		return -PM_EAGAIN;
	}
	parent->flags &= ~PM_CRED_SLOT_NPROC_EXCEEDED;
	child->cred = cc;
	pm_hal_lock_init(&child->lock, PM_LOCK_CRED);
	child->flags = PM_CRED_SLOT_NPROC_CHARGED;
	child->effects = 0;
	return 0;
}

void pm_cred_release(struct pm_cred_slot *slot)
{
	if (!(slot->flags & PM_CRED_SLOT_NPROC_CHARGED))
		return;
	slot->flags &= ~PM_CRED_SLOT_NPROC_CHARGED;
	pm_ucounts_rlimit_add_(slot->cred->ucounts, PM_UCOUNT_RLIMIT_NPROC, -1);
}

void pm_cred_slot_destroy(struct pm_cred_slot *slot)
{
	pm_cred_release(slot);
	pm_hal_lock_destroy(&slot->lock);
	pm_cred_put(slot->cred);
	slot->cred = NULL;
}
