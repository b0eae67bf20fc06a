/* SPDX-License-Identifier: MIT */
/*
 * Per-user counters (Linux kernel/ucount.c): one object per (user
 * namespace, global uid), kept in a small hash table of the namespace and
 * reference counted by the credentials, child namespaces and queued
 * signals that charge it. Counts are hierarchical: a charge to (ns, uid)
 * is also a charge to (parent(ns), owner(ns)) and so on up to the initial
 * namespace, each level checked against the limit its namespace sets.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_string.h"

static unsigned int ucounts_hash(pm_uid_t uid)
{
	return (uint32_t)(uid * 0x9E3779B1u) >> (32 - 5);
}

PM_STATIC_ASSERT(PM_UCOUNTS_HASH_SIZE == 32, "ucounts_hash() yields 5 bits");

static struct pm_ucounts *find_locked(struct pm_userns *ns, pm_uid_t uid)
{
	struct pm_ucounts *uc = ns->ucounts_hash[ucounts_hash(uid)];

	while (uc && uc->uid != uid)
		uc = uc->next;
	return uc;
}

struct pm_ucounts *pm_ucounts_get_(struct pm_ucounts *uc)
{
	pm_atomic_inc_u32_(&uc->count);
	return uc;
}

/* alloc_ucounts: look up first so that the common case allocates nothing. */
int pm_ucounts_alloc_(struct pm_userns *ns, pm_uid_t uid, struct pm_ucounts **out)
{
	struct pm_ucounts *uc, *fresh;

	pm_hal_lock_acquire(&ns->ucounts_lock);
	uc = find_locked(ns, uid);
	if (uc)
		pm_atomic_inc_u32_(&uc->count);
	pm_hal_lock_release(&ns->ucounts_lock);
	if (uc) {
		*out = uc;
		return 0;
	}

	fresh = pm_hal_alloc(sizeof(*fresh), _Alignof(struct pm_ucounts));
	if (!fresh)
		return -PM_ENOMEM;
	pm_memset(fresh, 0, sizeof(*fresh));
	fresh->uid = uid;
	fresh->count = 1;
	fresh->ns = ns;

	pm_hal_lock_acquire(&ns->ucounts_lock);
	uc = find_locked(ns, uid);
	if (uc) {
		pm_atomic_inc_u32_(&uc->count);
	} else {
		unsigned int h = ucounts_hash(uid);

		pm_userns_get(ns);
		fresh->next = ns->ucounts_hash[h];
		ns->ucounts_hash[h] = fresh;
		uc = fresh;
		fresh = NULL;
	}
	pm_hal_lock_release(&ns->ucounts_lock);
	if (fresh)
		pm_hal_free(fresh, sizeof(*fresh));
	*out = uc;
	return 0;
}

void pm_ucounts_put_(struct pm_ucounts *uc)
{
	struct pm_userns *ns;
	struct pm_ucounts **pp;
	bool last;

	if (!uc || pm_atomic_dec_not_one_u32_(&uc->count))
		return;
	ns = uc->ns;
	pm_hal_lock_acquire(&ns->ucounts_lock);
	last = pm_atomic_dec_and_test_u32_(&uc->count);
	if (last) {
		pp = &ns->ucounts_hash[ucounts_hash(uc->uid)];
		while (*pp != uc)
			pp = &(*pp)->next;
		*pp = uc->next;
	}
	pm_hal_lock_release(&ns->ucounts_lock);
	if (!last)
		return;
	for (int i = 0; i < PM_UCOUNT_RLIMIT_COUNTS; i++)
		PM_ASSERT(uc->rlimit[i] == 0);
	for (int i = 0; i < PM_UCOUNT_COUNTS; i++)
		PM_ASSERT(uc->ucount[i] == 0);
	pm_hal_free(uc, sizeof(*uc));
	pm_userns_put(ns);
}

/* inc_ucount: each level must stay within its namespace's ucount_max. */
int pm_ucounts_inc_(struct pm_userns *ns, pm_uid_t uid, enum pm_ucount_type type,
                    struct pm_ucounts **out)
{
	struct pm_ucounts *uc, *iter, *bad;
	int err = pm_ucounts_alloc_(ns, uid, &uc);

	if (err)
		return err;
	for (iter = uc; iter; iter = iter->ns->ucounts) {
		int64_t max = __atomic_load_n(&iter->ns->ucount_max[type], __ATOMIC_RELAXED);

		if (!pm_atomic_inc_max_i64_(&iter->ucount[type], max))
			goto fail;
	}
	*out = uc;
	return 0;
fail:
	bad = iter;
	for (iter = uc; iter != bad; iter = iter->ns->ucounts)
		pm_atomic_add_i64_(&iter->ucount[type], -1);
	pm_ucounts_put_(uc);
	return -PM_ENOSPC;
}

void pm_ucounts_dec_(struct pm_ucounts *uc, enum pm_ucount_type type)
{
	for (struct pm_ucounts *iter = uc; iter; iter = iter->ns->ucounts) {
		int64_t v = pm_atomic_add_i64_(&iter->ucount[type], -1);

		PM_ASSERT(v >= 0);
		(void)v;
	}
	pm_ucounts_put_(uc);
}

void pm_ucounts_rlimit_add_(struct pm_ucounts *uc, enum pm_ucount_rlimit_type type, int64_t v)
{
	for (struct pm_ucounts *iter = uc; iter; iter = iter->ns->ucounts) {
		int64_t n = pm_atomic_add_i64_(&iter->rlimit[type], v);

		PM_ASSERT(n >= 0);
		(void)n;
	}
}

static int64_t clamp_limit(uint64_t limit)
{
	return limit > (uint64_t)PM_I64_MAX ? PM_I64_MAX : (int64_t)limit;
}

/* is_rlimit_overlimit: level 0 against the limit, each level above against its ns's ceiling. */
bool pm_ucounts_rlimit_over_(const struct pm_ucounts *uc, enum pm_ucount_rlimit_type type,
                             uint64_t limit)
{
	int64_t max = clamp_limit(limit);

	for (const struct pm_ucounts *iter = uc; iter; iter = iter->ns->ucounts) {
		if (pm_atomic_load_i64_(&iter->rlimit[type]) > max)
			return true;
		max = __atomic_load_n(&iter->ns->rlimit_max[type], __ATOMIC_RELAXED);
	}
	return false;
}

int64_t pm_cred_nproc_count(const struct pm_cred *cred)
{
	return pm_atomic_load_i64_(&cred->ucounts->rlimit[PM_UCOUNT_RLIMIT_NPROC]);
}

bool pm_cred_nproc_overlimit(const struct pm_cred *cred, uint64_t limit)
{
	return pm_ucounts_rlimit_over_(cred->ucounts, PM_UCOUNT_RLIMIT_NPROC, limit);
}

int64_t pm_cred_sigpending_count(const struct pm_cred *cred)
{
	return pm_atomic_load_i64_(&cred->ucounts->rlimit[PM_UCOUNT_RLIMIT_SIGPENDING]);
}

/* inc_rlimit_get_ucounts: every level must stay within its maximum unless overridden. */
bool pm_cred_sigpending_charge_held(struct pm_ucounts *uc, uint64_t limit, bool override)
{
	const enum pm_ucount_rlimit_type t = PM_UCOUNT_RLIMIT_SIGPENDING;
	struct pm_ucounts *iter, *bad;
	int64_t max = override ? PM_I64_MAX : clamp_limit(limit);

	for (iter = uc; iter; iter = iter->ns->ucounts) {
		int64_t n = pm_atomic_add_i64_(&iter->rlimit[t], 1);

		if (n > max) {
			pm_atomic_add_i64_(&iter->rlimit[t], -1);
			goto unwind;
		}
		if (!override)
			max = __atomic_load_n(&iter->ns->rlimit_max[t], __ATOMIC_RELAXED);
	}
	return true;
unwind:
	bad = iter;
	for (iter = uc; iter != bad; iter = iter->ns->ucounts)
		pm_atomic_add_i64_(&iter->rlimit[t], -1);
	return false;
}

struct pm_ucounts *pm_cred_sigpending_charge(const struct pm_cred *receiver, uint64_t limit,
                                             bool override)
{
	struct pm_ucounts *uc = receiver->ucounts;

	return pm_cred_sigpending_charge_held(uc, limit, override) ? pm_ucounts_get_(uc) : NULL;
}

void pm_cred_sigpending_uncharge_held(struct pm_ucounts *uc)
{
	pm_ucounts_rlimit_add_(uc, PM_UCOUNT_RLIMIT_SIGPENDING, -1);
}

void pm_cred_sigpending_uncharge(struct pm_ucounts *uc)
{
	pm_cred_sigpending_uncharge_held(uc);
	pm_ucounts_put_(uc);
}

void pm_cred_ucounts_put(struct pm_ucounts *uc)
{
	pm_ucounts_put_(uc);
}
