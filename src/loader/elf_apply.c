/* SPDX-License-Identifier: MIT */
/*
 * Applying a plan: fs/binfmt_elf.c:elf_load() for every PT_LOAD, through a
 * mapper. The first file mapping of an image with a reservation spans the
 * whole image and is trimmed right after (elf_map's total_size), so that a
 * collision anywhere in the image fails it as Linux's MAP_FIXED_NOREPLACE
 * does; later segments replace what lies under them (MAP_FIXED), and bss
 * pages replace too (vm_brk_flags unmaps first). On failure every range
 * this call mapped is unmapped again, newest first.
 */
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"
#include "procmgr/mman.h"

/* ---- the HAL mapper ---- */

static int hal_map(void *ctx, pm_uaddr_t start, uint64_t len, unsigned int prot, unsigned int flags,
                   struct pm_hal_file *file, uint64_t offset)
{
	struct pm_elf_hal_mapper *hm = ctx;

	if (flags & PM_MAP_FIXED) {
		int err = pm_hal_as_unmap(hm->as, start, len);

		if (err)
			return err;
	}
	return pm_hal_as_map(hm->as, start, len, prot, PM_MAP_PRIVATE, file, file ? offset : 0);
}

static int hal_unmap(void *ctx, pm_uaddr_t start, uint64_t len)
{
	struct pm_elf_hal_mapper *hm = ctx;

	return pm_hal_as_unmap(hm->as, start, len);
}

static int hal_clear(void *ctx, pm_uaddr_t uaddr, uint64_t n)
{
	struct pm_elf_hal_mapper *hm = ctx;

	return pm_hal_as_clear(hm->as, uaddr, (size_t)n);
}

static int hal_find(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	struct pm_elf_hal_mapper *hm = ctx;

	if (!hm->find_free)
		return -PM_ENOMEM;
	return hm->find_free(hm->find_ctx, hint, len, out);
}

void pm_elf_hal_mapper_init(struct pm_elf_hal_mapper *hm, struct pm_hal_as *as,
                            int (*find_free)(void *ctx, pm_uaddr_t hint, uint64_t len,
                                             pm_uaddr_t *out),
                            void *find_ctx)
{
	hm->mapper.ctx = hm;
	hm->mapper.map = hal_map;
	hm->mapper.unmap = hal_unmap;
	hm->mapper.clear = hal_clear;
	hm->mapper.find_free = hal_find;
	hm->as = as;
	hm->find_free = find_free;
	hm->find_ctx = find_ctx;
}

/* ---- apply ---- */

/* Length of segment i's file mapping as first made (with the reservation). */
static uint64_t first_len(const struct pm_elf_plan *p, size_t i, const struct pm_elf_segment *s)
{
	return i == 0 && p->reserve ? elf_pagealign(p->total_size) : s->map_len;
}

static void unmap_segment(const struct pm_elf_plan *p, const struct pm_elf_mapper *m, size_t i,
                          bool anon)
{
	const struct pm_elf_segment *s = pm_elf_plan_segment(p, i);

	if (anon && s->anon_len)
		(void)m->unmap(m->ctx, s->anon_start, s->anon_len);
	if (s->map_len)
		(void)m->unmap(m->ctx, s->map_start, first_len(p, i, s));
}

/* Unmap what segments [0, done) mapped, newest first, after segment `done`
 * got as far as `progress` (0 nothing, 1 its file mapping). */
static void rollback(const struct pm_elf_plan *p, const struct pm_elf_mapper *m, size_t done,
                     int progress)
{
	if (progress && done < p->nseg)
		unmap_segment(p, m, done, false);
	for (size_t i = done; i-- > 0;)
		unmap_segment(p, m, i, true);
}

void elf_unmap_all_(const struct pm_elf_plan *plan, const struct pm_elf_mapper *mapper)
{
	rollback(plan, mapper, plan->nseg, 0);
}

static int map_segment(const struct pm_elf_plan *p, const struct pm_elf_mapper *m, size_t i,
                       struct pm_hal_file *file, int *progress)
{
	const struct pm_elf_segment *s = pm_elf_plan_segment(p, i);
	unsigned int flags = PM_MAP_PRIVATE | (i == 0 ? p->first_map_flags : PM_MAP_FIXED);
	int err;

	*progress = 0;
	if (s->map_len) {
		uint64_t len = first_len(p, i, s);

		err = m->map(m->ctx, s->map_start, len, s->prot, flags, file, s->map_offset);
		if (err)
			return err;
		*progress = 1;
		if (len > s->map_len)
			(void)m->unmap(m->ctx, s->map_start + s->map_len, len - s->map_len);
		if (s->zero_len && m->clear(m->ctx, s->zero_start, s->zero_len) != 0)
			return -PM_EFAULT;
	}
	if (s->anon_len) {
		err = m->map(m->ctx, s->anon_start, s->anon_len, s->anon_prot,
		             PM_MAP_PRIVATE | PM_MAP_ANONYMOUS | PM_MAP_FIXED, NULL, 0);
		if (err)
			return err;
	}
	return 0;
}

int pm_elf_apply(struct pm_elf_plan *plan, const struct pm_elf_mapper *mapper,
                 struct pm_hal_file *file)
{
	if (!plan || !mapper || !mapper->map || !mapper->unmap || !mapper->clear)
		return -PM_EINVAL;
	if (!plan->placed) {
		pm_uaddr_t at = 0;
		int err;

		if (plan->total_size == 0)
			return -PM_EINVAL; /* checked before the first mapping */
		if (!mapper->find_free || plan->span == 0 || plan->span > plan->layout->task_size)
			return -PM_ENOMEM; /* get_unmapped_area: len > TASK_SIZE */
		err = mapper->find_free(mapper->ctx, plan->hint, plan->span, &at);
		if (err)
			return err;
		(void)pm_elf_place(plan, at);
	}
	if (plan->load_error)
		return plan->load_error;
	for (size_t i = 0; i < plan->nseg; i++) {
		int progress, err = map_segment(plan, mapper, i, file, &progress);

		if (err) {
			rollback(plan, mapper, i, progress);
			return err;
		}
	}
	return 0;
}
