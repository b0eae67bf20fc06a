/* SPDX-License-Identifier: MIT */
/*
 * mprotect (Linux mm/mprotect.c do_mprotect_pkey and mprotect_fixup):
 * validate the whole range first, in Linux's order of checks, so a failure
 * changes nothing; then change the page tables; then split the areas at
 * the ends, set the new protection and merge compatible neighbours.
 */
#include "vm/vm_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_bits.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

/* What the change needs, found by the checking pass. */
struct mprot_plan {
	pm_uaddr_t start, end;
	unsigned int prot;
	unsigned int splits; /* areas to split at start and at end (0..2) */
};

static bool is_data(unsigned int prot, unsigned int flags)
{
	return (prot & PM_PROT_WRITE) && !(flags & (PM_VMA_SHARED | PM_VMA_GROWSDOWN));
}

/*
 * Walk the areas of [start, end) as Linux does, stopping at the first
 * error: a hole (ENOMEM), a protection the area may not get (EACCES),
 * turning into data beyond RLIMIT_DATA (ENOMEM), a split beyond
 * max_map_count (ENOMEM). Areas whose protection does not change are
 * left alone, as mprotect_fixup() does.
 */
static int check_range(const struct pm_vmspace *vs, struct mprot_plan *p)
{
	struct vmt_cursor c;
	pm_uaddr_t at = p->start;
	uint64_t new_data = 0, count = vs->map_count;

	for (bool ok = vmt_seek(vs, p->start, &c); ok && vmt_vma(&c)->start < p->end;
	     ok = vmt_next(&c)) {
		const struct pm_vma *v = vmt_vma(&c);
		pm_uaddr_t lo = pm_max_u64(v->start, p->start), hi = pm_min_u64(v->end, p->end);

		if (v->start > at)
			return -PM_ENOMEM;
		if (p->prot & ~v->maxprot)
			return -PM_EACCES;
		at = v->end;
		if (v->prot == p->prot)
			continue;
		if (is_data(p->prot, v->flags) && !is_data(v->prot, v->flags)) {
			new_data += vm_pages(hi - lo);
			if (!vm_may_expand(vs, p->prot, v->flags, new_data) &&
			    vm_may_expand(vs, v->prot, v->flags, new_data))
				return -PM_ENOMEM;
		}
		if (v->start < lo) {
			if (count >= vs->max_map_count)
				return -PM_ENOMEM;
			count++;
			p->splits++;
		}
		if (v->end > hi) {
			if (count >= vs->max_map_count)
				return -PM_ENOMEM;
			count++;
			p->splits++;
		}
	}
	return at < p->end ? -PM_ENOMEM : 0;
}

/* Split the area containing addr (strictly inside it) at addr. */
static void split_at(struct pm_vmspace *vs, pm_uaddr_t addr, struct pm_vma *rec)
{
	struct vmt_cursor c;
	struct pm_vma *v;

	PM_ASSERT(rec != NULL); /* check_range counted this split */
	vmt_seek(vs, addr, &c);
	v = vmt_vma(&c);
	*rec = *v;
	rec->start = addr;
	rec->pgoff = v->pgoff + (addr - v->start);
	vm_vma_get_file(rec);
	vmt_set_range(&c, v->start, addr);
	vmt_insert(vs, rec);
}

/* Merge every mergeable pair of neighbours from the area ending at start
 * to the one starting at end. */
static void merge_window(struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end)
{
	pm_uaddr_t at = start ? start - 1 : 0;

	for (;;) {
		struct vmt_cursor c;
		struct pm_vma *v, *n;

		if (!vmt_seek(vs, at, &c))
			return;
		v = vmt_vma(&c);
		if (v->start >= end || !vmt_next(&c))
			return;
		n = vmt_vma(&c);
		if (vm_vma_mergeable(v, n)) {
			pm_uaddr_t e = n->end;

			vmt_erase(vs, &c);
			vm_vma_put_file(n);
			vm_vma_free(vs, n);
			vmt_update(vs, v, v->start, e);
		} else {
			at = n->start;
		}
	}
}

static void apply(struct pm_vmspace *vs, const struct mprot_plan *p, struct pm_vma *recs[2])
{
	struct vmt_cursor c;
	unsigned int used = 0;
	const struct pm_vma *v;

	v = vmt_find_next(vs, p->start);
	if (v && v->start < p->start && v->prot != p->prot)
		split_at(vs, p->start, recs[used++]);
	v = vmt_find_next(vs, p->end - 1);
	if (v && v->end > p->end && v->start < p->end && v->prot != p->prot)
		split_at(vs, p->end, recs[used++]);
	for (bool ok = vmt_seek(vs, p->start, &c); ok && vmt_vma(&c)->start < p->end;
	     ok = vmt_next(&c)) {
		struct pm_vma *a = vmt_vma(&c);
		uint64_t n = vm_pages(a->end - a->start);

		vm_acct(vs, a->prot, a->flags, n, -1);
		a->prot = p->prot;
		vm_acct(vs, a->prot, a->flags, n, 1);
	}
	for (; used < 2; used++)
		if (recs[used])
			vm_vma_free(vs, recs[used]);
	merge_window(vs, p->start, p->end);
}

int pm_vm_mprotect(struct pm_vmspace *vs, pm_uaddr_t addr, uint64_t len, unsigned int prot)
{
	unsigned int grows = prot & (PM_PROT_GROWSDOWN | PM_PROT_GROWSUP);
	struct mprot_plan p = {addr, 0, 0, 0};
	struct pm_vma *recs[2] = {NULL, NULL};
	const struct pm_vma *first;
	uint64_t alen;
	int err;

	prot &= ~grows;
	if (grows == (PM_PROT_GROWSDOWN | PM_PROT_GROWSUP) || !pm_is_aligned(addr, PM_PAGE_SIZE))
		return -PM_EINVAL;
	if (len == 0)
		return 0;
	alen = (len + PM_PAGE_SIZE - 1) & ~(PM_PAGE_SIZE - 1);
	p.end = addr + alen;
	if (p.end <= addr)
		return -PM_ENOMEM;
	if (prot & ~(unsigned int)(PM_PROT_MASK | PM_PROT_SEM))
		return -PM_EINVAL;
	p.prot = prot & PM_PROT_MASK;
	first = vmt_find_next(vs, addr);
	if (!first || first->start >= p.end)
		return -PM_ENOMEM;
	if (grows & PM_PROT_GROWSDOWN) {
		if (!(first->flags & PM_VMA_GROWSDOWN))
			return -PM_EINVAL;
		p.start = first->start;
	} else if (grows & PM_PROT_GROWSUP) {
		return -PM_EINVAL; /* no grows-up areas on these architectures */
	} else if (first->start > addr) {
		return -PM_ENOMEM;
	}
	err = check_range(vs, &p);
	if (err)
		return err;
	for (unsigned int i = 0; i < p.splits; i++)
		if (!(recs[i] = vm_vma_alloc(vs)))
			err = -PM_ENOMEM;
	if (!err)
		err = vmt_reserve(vs, p.splits);
	if (!err)
		err = pm_hal_as_protect(vs->as, p.start, p.end - p.start, p.prot);
	if (err) {
		for (unsigned int i = 0; i < 2; i++)
			if (recs[i])
				vm_vma_free(vs, recs[i]);
		vmt_trim(vs);
		return err;
	}
	apply(vs, &p, recs);
	vmt_trim(vs);
	return 0;
}
