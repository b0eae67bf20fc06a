/* SPDX-License-Identifier: MIT */
/*
 * The program break and the stack area: brk placement at exec
 * (load_elf_binary's brk handling, arch_randomize_brk), the brk system
 * call (mm/mmap.c), the initial stack area (fs/exec.c setup_arg_pages) and
 * its growth (mm/mmap.c expand_downwards).
 */
#include "vm/vm_internal.h"

#include "hal/pm_bits.h"
#include "hal/pm_string.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

static bool page_align_ok(pm_uaddr_t a, pm_uaddr_t *out)
{
	return pm_align_up(a, PM_PAGE_SIZE, out);
}

/* mm/util.c randomize_page(): a random page in [start, start + range). */
static pm_uaddr_t randomize_page(pm_uaddr_t start, uint64_t range)
{
	if (start > UINT64_MAX - range)
		range = UINT64_MAX - start;
	range >>= PM_PAGE_SHIFT;
	if (range == 0)
		return start;
	return start + ((vm_random_u64() % range) << PM_PAGE_SHIFT);
}

int pm_vm_brk_init(struct pm_vmspace *vs, pm_uaddr_t elf_brk, bool static_pie)
{
	pm_uaddr_t brk;

	/* A static PIE's brk moves out of the mmap area to ELF_ET_DYN_BASE. */
	if (static_pie)
		elf_brk = vs->layout->et_dyn_base;
	if (!page_align_ok(elf_brk, &brk) || brk > vs->layout->task_size)
		return -PM_EINVAL;
	if (vm_randomize(vs) && !(vs->flags & PM_VM_NO_BRK_RANDOMIZE)) {
		if (!static_pie)
			brk += PM_PAGE_SIZE; /* a gap between .bss and brk */
		brk = randomize_page(brk, vs->arch->brk_rnd_range);
	}
	vs->image.start_brk = vs->image.brk = brk;
	return 0;
}

/* The brk area's attributes: private anonymous read/write memory. */
static void brk_area(struct pm_vma *a, pm_uaddr_t start, pm_uaddr_t end)
{
	pm_memset(a, 0, sizeof(*a));
	a->start = start;
	a->end = end;
	a->pgoff = start;
	a->prot = PM_PROT_READ | PM_PROT_WRITE;
	a->maxprot = PM_PROT_MASK;
}

/* Grow the break from oldbrk to newbrk (page aligned, oldbrk < newbrk). */
static int brk_grow(struct pm_vmspace *vs, pm_uaddr_t oldbrk, pm_uaddr_t newbrk)
{
	uint64_t len = newbrk - oldbrk, task = vs->layout->task_size;
	const struct pm_vma *next = vmt_find_next(vs, oldbrk);
	struct pm_vma want, *prev, *rec = NULL;
	int err;

	if (len > task || oldbrk > task - len)
		return -PM_ENOMEM;
	/* Keep a page (or the stack guard gap) below the next area. */
	if (next && newbrk + PM_PAGE_SIZE > vm_start_gap(next))
		return -PM_ENOMEM;
	brk_area(&want, oldbrk, newbrk);
	if (!vm_may_expand(vs, want.prot, want.flags, vm_pages(len)) ||
	    vs->map_count > vs->max_map_count)
		return -PM_ENOMEM;
	/* Only an area already inside the heap is extended (vma_prev_limit). */
	prev = vm_find_prev(vs, oldbrk);
	if (!prev || prev->end <= vs->image.start_brk || !vm_vma_mergeable(prev, &want)) {
		prev = NULL;
		rec = vm_vma_alloc(vs);
		if (!rec || vmt_reserve(vs, 1)) {
			if (rec)
				vm_vma_free(vs, rec);
			return -PM_ENOMEM;
		}
		*rec = want;
	}
	err = pm_hal_as_map(vs->as, oldbrk, len, want.prot, PM_MAP_PRIVATE, NULL, 0);
	if (err) {
		if (rec)
			vm_vma_free(vs, rec);
		return err;
	}
	if (prev)
		vmt_update(vs, prev, prev->start, newbrk);
	else
		vmt_insert(vs, rec);
	vm_acct(vs, want.prot, want.flags, vm_pages(len), 1);
	return 0;
}

int pm_vm_brk(struct pm_vmspace *vs, pm_uaddr_t brk, pm_uaddr_t *result)
{
	struct pm_vm_image *im = &vs->image;
	pm_uaddr_t newbrk, oldbrk;
	int err;

	*result = im->brk;
	if (brk < im->start_brk)
		return -PM_EINVAL;
	/* check_data_rlimit(): the heap plus the data segment. */
	if (vs->limits.data != PM_VM_RLIM_INFINITY &&
	    (brk - im->start_brk) + (im->end_data - im->start_data) > vs->limits.data)
		return -PM_ENOSPC;
	if (!page_align_ok(brk, &newbrk) || !page_align_ok(im->brk, &oldbrk))
		return -PM_ENOMEM;
	if (oldbrk != newbrk) {
		if (brk <= im->brk) {
			/* Always allowed, but only over the heap's own pages. */
			const struct pm_vma *v = vmt_find_next(vs, newbrk);

			if (!v || v->start >= oldbrk)
				return -PM_ENOMEM;
			err = vm_unmap_range(vs, newbrk, oldbrk);
		} else {
			err = brk_grow(vs, oldbrk, newbrk);
			vmt_trim(vs);
		}
		if (err)
			return err;
	}
	im->brk = brk;
	*result = brk;
	return 0;
}

/* ---- the stack area ---- */

/* Is [base, top) free, and clear of an accessible area's guard gap below? */
static bool stack_room(const struct pm_vmspace *vs, pm_uaddr_t base, pm_uaddr_t top)
{
	const struct pm_vma *v = vmt_find_next(vs, base), *prev = pm_vm_find_prev(vs, base + 1);

	if (v && v->start < top)
		return false;
	return !prev || (prev->flags & PM_VMA_GROWSDOWN) || prev->prot == PM_PROT_NONE ||
	       base - prev->end >= PM_VM_STACK_GUARD_GAP;
}

int pm_vm_stack_map(struct pm_vmspace *vs, pm_uaddr_t top, uint64_t strings_size, int exec_stack,
                    pm_uaddr_t *start)
{
	uint64_t rlim = vs->limits.stack & ~(PM_PAGE_SIZE - 1), size;
	pm_uaddr_t vstart, base;
	struct pm_vma *rec;
	int err;

	if (!pm_is_aligned(top, PM_PAGE_SIZE) || top > vs->layout->task_size ||
	    exec_stack < PM_VM_EXSTACK_DEFAULT || exec_stack > PM_VM_EXSTACK_ENABLE_X)
		return -PM_EINVAL;
	if (strings_size > top || top < vs->mmap_min_addr)
		return -PM_ENOMEM;
	vstart = pm_align_down(top - strings_size, PM_PAGE_SIZE);
	size = top - vstart;
	if (size >= top - vs->mmap_min_addr)
		return -PM_ENOMEM;
	/* 128 KiB below the strings, or RLIMIT_STACK if that is less. */
	if (size + PM_VM_STACK_EXPAND > rlim)
		base = top - pm_min_u64(rlim, top);
	else
		base = vstart >= PM_VM_STACK_EXPAND ? vstart - PM_VM_STACK_EXPAND : vstart;
	base = pm_min_u64(base, vstart);
	/* expand_downwards() refusals; setup_arg_pages reports them as EFAULT. */
	if (base < vs->mmap_min_addr || !stack_room(vs, base, top) ||
	    !vm_may_expand(vs, PM_PROT_READ | PM_PROT_WRITE, PM_VMA_GROWSDOWN,
	                   vm_pages(top - base)))
		return -PM_EFAULT;
	rec = vm_vma_alloc(vs);
	if (!rec)
		return -PM_ENOMEM;
	if (vmt_reserve(vs, 1)) {
		vm_vma_free(vs, rec);
		return -PM_ENOMEM;
	}
	brk_area(rec, base, top);
	rec->flags = PM_VMA_GROWSDOWN;
	if (exec_stack == PM_VM_EXSTACK_ENABLE_X)
		rec->prot |= PM_PROT_EXEC;
	err = pm_hal_as_map(vs->as, base, top - base, rec->prot, PM_MAP_PRIVATE | PM_MAP_GROWSDOWN,
	                    NULL, 0);
	if (err) {
		vm_vma_free(vs, rec);
		vmt_trim(vs);
		return -PM_EFAULT;
	}
	vm_acct(vs, rec->prot, rec->flags, vm_pages(top - base), 1);
	vm_insert_area(vs, rec);
	if (start)
		*start = base;
	return 0;
}

int pm_vm_expand_stack(struct pm_vmspace *vs, pm_uaddr_t addr)
{
	struct pm_vma *v = vmt_find_next(vs, addr);
	const struct pm_vma *prev;
	uint64_t grow;
	int err;

	if (!v)
		return -PM_EFAULT;
	if (v->start <= addr)
		return 0;
	if (!(v->flags & PM_VMA_GROWSDOWN))
		return -PM_EFAULT;
	addr &= ~(PM_PAGE_SIZE - 1);
	if (addr < vs->mmap_min_addr)
		return -PM_EPERM;
	/* The guard gap against an accessible area below (not another stack). */
	prev = pm_vm_find_prev(vs, v->start);
	if (prev && !(prev->flags & PM_VMA_GROWSDOWN) && prev->prot != PM_PROT_NONE &&
	    addr - prev->end < PM_VM_STACK_GUARD_GAP)
		return -PM_ENOMEM;
	grow = vm_pages(v->start - addr);
	if (!vm_may_expand(vs, v->prot, v->flags, grow) || v->end - addr > vs->limits.stack)
		return -PM_ENOMEM;
	err = pm_hal_as_map(vs->as, addr, v->start - addr, v->prot,
	                    PM_MAP_PRIVATE | PM_MAP_GROWSDOWN, NULL, 0);
	if (err)
		return err;
	v->pgoff -= v->start - addr;
	vmt_update(vs, v, addr, v->end);
	vm_acct(vs, v->prot, v->flags, grow, 1);
	return 0;
}
