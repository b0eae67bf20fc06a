/* SPDX-License-Identifier: MIT */
/*
 * Supplementary groups (Linux kernel/groups.c): a sorted, shared list of
 * global gids searched by bisection, and getgroups/setgroups. An empty
 * list is represented by NULL.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_uaccess.h"

/* Copy groups from user memory in chunks, so the stack stays small. */
#define GROUPS_CHUNK 64

static size_t groups_bytes(uint32_t n)
{
	return sizeof(struct pm_group_info) + (size_t)n * sizeof(pm_gid_t);
}

int pm_groups_alloc_(uint32_t n, struct pm_group_info **out)
{
	struct pm_group_info *gi = pm_hal_alloc(groups_bytes(n), _Alignof(struct pm_group_info));

	if (!gi)
		return -PM_ENOMEM;
	gi->usage = 1;
	gi->ngroups = n;
	*out = gi;
	return 0;
}

struct pm_group_info *pm_groups_get_(struct pm_group_info *gi)
{
	pm_atomic_inc_u32_(&gi->usage);
	return gi;
}

void pm_groups_put_(struct pm_group_info *gi)
{
	if (gi && pm_atomic_dec_and_test_u32_(&gi->usage))
		pm_hal_free(gi, groups_bytes(gi->ngroups));
}

/* Heapsort: O(n log n) with no recursion and no extra memory. */
static void sift_down(pm_gid_t *a, size_t start, size_t end)
{
	size_t root = start;

	while (2 * root + 1 < end) {
		size_t child = 2 * root + 1;
		pm_gid_t t;

		if (child + 1 < end && a[child] < a[child + 1])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

void pm_groups_sort_(struct pm_group_info *gi)
{
	size_t n = gi->ngroups;

	for (size_t i = n / 2; i-- > 0;)
		sift_down(gi->gid, i, n);
	for (size_t end = n; end > 1; end--) {
		pm_gid_t t = gi->gid[0];

		gi->gid[0] = gi->gid[end - 1];
		gi->gid[end - 1] = t;
		sift_down(gi->gid, 0, end - 1);
	}
}

bool pm_groups_search_(const struct pm_group_info *gi, pm_gid_t kgid)
{
	size_t lo = 0, hi;

	if (!gi)
		return false;
	hi = gi->ngroups;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gi->gid[mid] < kgid)
			lo = mid + 1;
		else if (gi->gid[mid] > kgid)
			hi = mid;
		else
			return true;
	}
	return false;
}

bool pm_cred_in_group_p(const struct pm_cred *cred, pm_gid_t kgid)
{
	return kgid == cred->fsgid || pm_groups_search_(cred->group_info, kgid);
}

bool pm_cred_in_egroup_p(const struct pm_cred *cred, pm_gid_t kgid)
{
	return kgid == cred->egid || pm_groups_search_(cred->group_info, kgid);
}

static uint32_t ngroups(const struct pm_cred *cred)
{
	return cred->group_info ? cred->group_info->ngroups : 0;
}

int pm_cred_getgroups(const struct pm_cred *cred, int32_t size, pm_gid_t *list)
{
	uint32_t n = ngroups(cred);

	if (size < 0)
		return -PM_EINVAL;
	if (size == 0)
		return (int)n;
	if (n > (uint32_t)size)
		return -PM_EINVAL;
	for (uint32_t i = 0; i < n; i++)
		list[i] = pm_userns_from_kgid_munged(cred->user_ns, cred->group_info->gid[i]);
	return (int)n;
}

int pm_cred_getgroups_user(const struct pm_cred *cred, int32_t size, pm_uaddr_t ulist)
{
	uint32_t n = ngroups(cred);
	pm_gid_t chunk[GROUPS_CHUNK];

	if (size < 0)
		return -PM_EINVAL;
	if (size == 0)
		return (int)n;
	if (n > (uint32_t)size)
		return -PM_EINVAL;
	for (uint32_t i = 0; i < n; i += GROUPS_CHUNK) {
		uint32_t k = n - i < GROUPS_CHUNK ? n - i : GROUPS_CHUNK;

		for (uint32_t j = 0; j < k; j++)
			chunk[j] =
			    pm_userns_from_kgid_munged(cred->user_ns, cred->group_info->gid[i + j]);
		if (pm_copy_to_user(ulist + (uint64_t)i * sizeof(pm_gid_t), chunk,
		                    k * sizeof(pm_gid_t)))
			return -PM_EFAULT;
	}
	return (int)n;
}

/* may_setgroups: CAP_SETGID in the caller's namespace and the namespace allows it. */
static bool may_setgroups(const struct pm_cred *c)
{
	return pm_cred_ns_capable(c, c->user_ns, PM_CAP_SETGID) &&
	       pm_userns_may_setgroups(c->user_ns);
}

/* set_current_groups: commit new credentials carrying @gi (consumed). */
static int set_current_groups(struct pm_cred_slot *self, struct pm_group_info *gi)
{
	struct pm_cred *new;
	int err = pm_cred_prepare(self->cred, &new);

	if (err) {
		pm_groups_put_(gi);
		return err;
	}
	pm_groups_put_(new->group_info);
	new->group_info = gi;
	pm_cred_commit(self, new);
	return 0;
}

static int setgroups_check(struct pm_cred_slot *self, int32_t size, struct pm_group_info **gi)
{
	if (!may_setgroups(self->cred))
		return -PM_EPERM;
	if (size < 0 || (uint32_t)size > PM_NGROUPS_MAX)
		return -PM_EINVAL;
	if (size == 0) {
		*gi = NULL;
		return 0;
	}
	return pm_groups_alloc_((uint32_t)size, gi);
}

int pm_cred_setgroups(struct pm_cred_slot *self, int32_t size, const pm_gid_t *list)
{
	const struct pm_userns *ns = self->cred->user_ns;
	struct pm_group_info *gi;
	int err = setgroups_check(self, size, &gi);

	if (err)
		return err;
	for (int32_t i = 0; i < size; i++) {
		pm_gid_t k = pm_userns_make_kgid(ns, list[i]);

		if (k == PM_GID_INVALID) {
			pm_groups_put_(gi);
			return -PM_EINVAL;
		}
		gi->gid[i] = k;
	}
	if (gi)
		pm_groups_sort_(gi);
	return set_current_groups(self, gi);
}

/*
 * groups_from_user, in chunks. Linux reads one gid at a time, so when a
 * chunk faults the chunk is read again gid by gid to report EINVAL or
 * EFAULT for whichever comes first.
 */
static int groups_from_user(const struct pm_userns *ns, struct pm_group_info *gi, uint32_t at,
                            pm_uaddr_t ulist, uint32_t k)
{
	pm_gid_t chunk[GROUPS_CHUNK];
	bool slow = pm_copy_from_user(chunk, ulist, k * sizeof(pm_gid_t)) != 0;

	for (uint32_t j = 0; j < k; j++) {
		pm_gid_t kg;

		if (slow && pm_copy_from_user(&chunk[j], ulist + (uint64_t)j * sizeof(pm_gid_t),
		                              sizeof(pm_gid_t)))
			return -PM_EFAULT;
		kg = pm_userns_make_kgid(ns, chunk[j]);
		if (kg == PM_GID_INVALID)
			return -PM_EINVAL;
		gi->gid[at + j] = kg;
	}
	return 0;
}

int pm_cred_setgroups_user(struct pm_cred_slot *self, int32_t size, pm_uaddr_t ulist)
{
	const struct pm_userns *ns = self->cred->user_ns;
	struct pm_group_info *gi;
	int err = setgroups_check(self, size, &gi);

	if (err)
		return err;
	for (uint32_t i = 0; i < (uint32_t)size; i += GROUPS_CHUNK) {
		uint32_t k = (uint32_t)size - i < GROUPS_CHUNK ? (uint32_t)size - i : GROUPS_CHUNK;

		err = groups_from_user(ns, gi, i, ulist + (uint64_t)i * sizeof(pm_gid_t), k);
		if (err) {
			pm_groups_put_(gi);
			return err;
		}
	}
	if (gi)
		pm_groups_sort_(gi);
	return set_current_groups(self, gi);
}
