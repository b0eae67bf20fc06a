/* SPDX-License-Identifier: MIT */
/*
 * Resource limits (Linux include/asm-generic/resource.h INIT_RLIMITS,
 * kernel/fork.c fork_init, kernel/sys.c do_prlimit and prlimit64).
 * A single value is read lock-free with a relaxed atomic load; changes
 * take the structure's leaf lock so that the old value reported is the
 * one replaced.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"

#define MQ_BYTES_MAX 819200u /* include/linux/mqueue.h */
#define MLOCK_LIMIT  ((uint64_t)8 << 20)

static void store_rlim(struct pm_rlimit *dst, const struct pm_rlimit *src)
{
	__atomic_store_n(&dst->rlim_cur, src->rlim_cur, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->rlim_max, src->rlim_max, __ATOMIC_RELAXED);
}

void pm_rlimits_init(struct pm_rlimits *r, uint64_t max_threads)
{
	uint64_t nproc = max_threads / 2;

	for (unsigned int i = 0; i < PM_RLIM_NLIMITS; i++) {
		r->rlim[i].rlim_cur = PM_RLIM_INFINITY;
		r->rlim[i].rlim_max = PM_RLIM_INFINITY;
	}
	r->rlim[PM_RLIMIT_STACK].rlim_cur = PM_STK_LIM;
	r->rlim[PM_RLIMIT_CORE].rlim_cur = 0;
	r->rlim[PM_RLIMIT_NPROC].rlim_cur = nproc;
	r->rlim[PM_RLIMIT_NPROC].rlim_max = nproc;
	r->rlim[PM_RLIMIT_NOFILE].rlim_cur = 1024;
	r->rlim[PM_RLIMIT_NOFILE].rlim_max = 4096;
	r->rlim[PM_RLIMIT_MEMLOCK].rlim_cur = MLOCK_LIMIT;
	r->rlim[PM_RLIMIT_MEMLOCK].rlim_max = MLOCK_LIMIT;
	r->rlim[PM_RLIMIT_SIGPENDING].rlim_cur = nproc;
	r->rlim[PM_RLIMIT_SIGPENDING].rlim_max = nproc;
	r->rlim[PM_RLIMIT_MSGQUEUE].rlim_cur = MQ_BYTES_MAX;
	r->rlim[PM_RLIMIT_MSGQUEUE].rlim_max = MQ_BYTES_MAX;
	r->rlim[PM_RLIMIT_NICE].rlim_cur = 0;
	r->rlim[PM_RLIMIT_NICE].rlim_max = 0;
	r->rlim[PM_RLIMIT_RTPRIO].rlim_cur = 0;
	r->rlim[PM_RLIMIT_RTPRIO].rlim_max = 0;
	pm_hal_lock_init(&r->lock, PM_LOCK_LEAF);
}

void pm_rlimits_copy(struct pm_rlimits *dst, struct pm_rlimits *src)
{
	pm_hal_lock_acquire(&src->lock);
	for (unsigned int i = 0; i < PM_RLIM_NLIMITS; i++)
		dst->rlim[i] = src->rlim[i];
	pm_hal_lock_release(&src->lock);
	pm_hal_lock_init(&dst->lock, PM_LOCK_LEAF);
}

void pm_rlimits_destroy(struct pm_rlimits *r)
{
	pm_hal_lock_destroy(&r->lock);
}

uint64_t pm_rlimit_cur(const struct pm_rlimits *r, unsigned int resource)
{
	return __atomic_load_n(&r->rlim[resource].rlim_cur, __ATOMIC_RELAXED);
}

uint64_t pm_rlimit_max(const struct pm_rlimits *r, unsigned int resource)
{
	return __atomic_load_n(&r->rlim[resource].rlim_max, __ATOMIC_RELAXED);
}

int pm_rlimit_get(struct pm_rlimits *r, unsigned int resource, struct pm_rlimit *out)
{
	if (resource >= PM_RLIM_NLIMITS)
		return -PM_EINVAL;
	pm_hal_lock_acquire(&r->lock);
	*out = r->rlim[resource];
	pm_hal_lock_release(&r->lock);
	return 0;
}

int pm_rlimit_set(struct pm_rlimits *r, const struct pm_cred *caller, unsigned int resource,
                  const struct pm_rlimit *new_rlim, struct pm_rlimit *old_rlim)
{
	struct pm_rlimit *rl;
	int err = 0;

	if (resource >= PM_RLIM_NLIMITS)
		return -PM_EINVAL;
	if (new_rlim) {
		if (new_rlim->rlim_cur > new_rlim->rlim_max)
			return -PM_EINVAL;
		if (resource == PM_RLIMIT_NOFILE && new_rlim->rlim_max > PM_NR_OPEN)
			return -PM_EPERM;
	}
	rl = &r->rlim[resource];
	pm_hal_lock_acquire(&r->lock);
	/* Raising a hard limit needs CAP_SYS_RESOURCE in the initial namespace. */
	if (new_rlim && new_rlim->rlim_max > rl->rlim_max &&
	    !pm_cred_capable(caller, PM_CAP_SYS_RESOURCE))
		err = -PM_EPERM;
	if (!err) {
		if (old_rlim)
			*old_rlim = *rl;
		if (new_rlim)
			store_rlim(rl, new_rlim);
	}
	pm_hal_lock_release(&r->lock);
	return err;
}

int pm_rlimit_prlimit(struct pm_rlimits *r, const struct pm_cred *caller,
                      const struct pm_cred *target, bool same_task, unsigned int resource,
                      const struct pm_rlimit *new_rlim, struct pm_rlimit *old_rlim)
{
	/* The target check comes before any check of the arguments (prlimit64). */
	int err = pm_cred_prlimit_permission(caller, target, same_task);

	if (err)
		return err;
	return pm_rlimit_set(r, caller, resource, new_rlim, old_rlim);
}

void pm_rlimits_exec_secure(struct pm_rlimits *r)
{
	struct pm_rlimit *st = &r->rlim[PM_RLIMIT_STACK];

	pm_hal_lock_acquire(&r->lock);
	if (st->rlim_cur > PM_STK_LIM)
		__atomic_store_n(&st->rlim_cur, PM_STK_LIM, __ATOMIC_RELAXED);
	pm_hal_lock_release(&r->lock);
}
