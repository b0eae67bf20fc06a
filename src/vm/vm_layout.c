/* SPDX-License-Identifier: MIT */
/*
 * Layout decisions: where the mmap area starts (arch_pick_mmap_layout),
 * where the stack tops out (randomize_stack_top, arch_align_stack), the
 * ET_DYN randomisation (arch_mmap_rnd), and where a new mapping goes
 * (get_unmapped_area with its x86 and generic variants, unmapped_area and
 * unmapped_area_topdown).
 */
#include "vm/vm_internal.h"

#include "hal/pm_bits.h"
#include "procmgr/errno.h"

#define MIN_GAP (128ull << 20) /* mmap_base: at least 128 MiB below the stack top */

static pm_uaddr_t page_align(pm_uaddr_t a)
{
	return (a + PM_PAGE_SIZE - 1) & ~(PM_PAGE_SIZE - 1);
}

uint64_t pm_vm_mmap_rnd(const struct pm_vmspace *vs)
{
	if (!vm_randomize(vs))
		return 0;
	return (vm_random_u64() & ((1ull << vs->mmap_rnd_bits) - 1)) << PM_PAGE_SHIFT;
}

/* Linux mmap_base() (x86 and generic share the formula). */
static pm_uaddr_t mmap_base(const struct pm_vmspace *vs, uint64_t rnd, pm_uaddr_t top)
{
	uint64_t gap = vs->limits.stack, pad = PM_VM_STACK_GUARD_GAP, max_gap = top / 6 * 5;

	if (vm_randomize(vs))
		pad += vs->layout->stack_rnd_mask << PM_PAGE_SHIFT;
	if (gap + pad > gap) /* values close to RLIM_INFINITY would overflow */
		gap += pad;
	if (gap < MIN_GAP && MIN_GAP < max_gap)
		gap = MIN_GAP;
	else if (gap > max_gap)
		gap = max_gap;
	return page_align(top - gap - rnd);
}

void pm_vm_pick_layout(struct pm_vmspace *vs)
{
	const struct pm_arch_layout *l = vs->layout;
	uint64_t rnd = pm_vm_mmap_rnd(vs);
	bool legacy =
	    (vs->flags & PM_VM_LEGACY_LAYOUT) ||
	    (vs->arch->legacy_layout_if_unlimited_stack && vs->limits.stack == PM_VM_RLIM_INFINITY);

	vs->topdown = !legacy;
	vs->mmap_legacy_base = l->unmapped_base + rnd;
	if (vs->arch->mmap_rules == PM_ARCH_MMAP_X86) {
		vs->mmap_base =
		    legacy ? vs->mmap_legacy_base : mmap_base(vs, rnd, l->default_map_window);
	} else {
		vs->mmap_base = legacy ? vs->mmap_legacy_base : mmap_base(vs, rnd, l->stack_top);
		vs->mmap_legacy_base =
		    l->unmapped_base; /* the generic fallback is not randomised */
	}
}

pm_uaddr_t pm_vm_stack_top(const struct pm_vmspace *vs)
{
	pm_uaddr_t top = page_align(vs->layout->stack_top);

	if (vm_randomize(vs)) {
		top -= (vm_random_u64() & vs->layout->stack_rnd_mask) << PM_PAGE_SHIFT;
		top -= vm_random_below(vs->arch->align_stack_rnd);
	}
	return page_align(top & ~(pm_uaddr_t)15);
}

/* ---- unmapped_area() and unmapped_area_topdown() ---- */

/*
 * The free range of len bytes highest (or lowest) in [low, high), kept
 * clear of a grows-down area's guard gap: Linux retries below the guard
 * (top-down) or above the area (bottom-up) when the first candidate would
 * touch it. No alignment and no start gap here (no shadow stacks).
 */
static int unmapped_area(const struct pm_vmspace *vs, bool top, uint64_t len, pm_uaddr_t low,
                         pm_uaddr_t high, pm_uaddr_t *out)
{
	if (low < vs->mmap_min_addr)
		low = vs->mmap_min_addr;
	for (;;) {
		pm_uaddr_t gs, ge, gap;
		const struct pm_vma *next;

		if (top ? !vmt_gap_highest(vs, low, high, len, &gs, &ge)
		        : !vmt_gap_lowest(vs, low, high, len, &gs, &ge))
			return -PM_ENOMEM;
		gap = top ? ge - len : gs;
		next = vmt_find_next(vs, ge);
		if (next && (next->flags & PM_VMA_GROWSDOWN) && vm_start_gap(next) < gap + len) {
			if (top)
				high = vm_start_gap(next);
			else
				low = next->end;
			continue;
		}
		*out = gap;
		return 0;
	}
}

/* Is [addr, addr + len) free, up to the guard gap of the area above? */
static bool hint_free(const struct pm_vmspace *vs, pm_uaddr_t addr, uint64_t len)
{
	const struct pm_vma *next = vmt_find_next(vs, addr);

	return !next || addr + len <= vm_start_gap(next);
}

/* arch/x86/kernel/sys_x86_64.c arch_get_unmapped_area() (bottom-up). */
static int x86_bottomup(const struct pm_vmspace *vs, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	const struct pm_arch_layout *l = vs->layout;
	pm_uaddr_t end = hint > l->default_map_window ? l->task_size : l->default_map_window;

	if (len > end)
		return -PM_ENOMEM;
	if (hint) {
		pm_uaddr_t addr = page_align(hint);

		if (addr && end - len >= addr && hint_free(vs, addr, len)) {
			*out = addr;
			return 0;
		}
	}
	return unmapped_area(vs, false, len, vs->mmap_legacy_base, end, out);
}

/* arch/x86/mm/mmap.c mmap_address_hint_valid(). */
static bool x86_hint_valid(const struct pm_arch_layout *l, pm_uaddr_t addr, uint64_t len)
{
	if (l->task_size - len < addr)
		return false;
	return (addr > l->default_map_window) == (addr + len > l->default_map_window);
}

/* arch/x86/kernel/sys_x86_64.c arch_get_unmapped_area_topdown(). */
static int x86_topdown(const struct pm_vmspace *vs, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	const struct pm_arch_layout *l = vs->layout;
	pm_uaddr_t addr = hint & ~(PM_PAGE_SIZE - 1), high = vs->mmap_base;

	if (addr) {
		if (!x86_hint_valid(l, addr, len)) {
			addr = 0;
		} else if (hint_free(vs, addr, len)) {
			*out = addr;
			return 0;
		}
	}
	if (addr > l->default_map_window)
		high += l->task_size - l->default_map_window;
	if (unmapped_area(vs, true, len, PM_PAGE_SIZE, high, out) == 0)
		return 0;
	return x86_bottomup(vs, hint, len, out);
}

/* mm/mmap.c generic_get_unmapped_area[_topdown](); riscv's mmap_end is
 * STACK_TOP_MAX and its mmap base the plain mmap_base. */
static int generic_area(const struct pm_vmspace *vs, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	pm_uaddr_t mmap_end = vs->layout->stack_top_max;

	if (len > mmap_end - vs->mmap_min_addr)
		return -PM_ENOMEM;
	if (hint) {
		pm_uaddr_t addr = page_align(hint);

		if (mmap_end - len >= addr && addr >= vs->mmap_min_addr &&
		    hint_free(vs, addr, len)) {
			*out = addr;
			return 0;
		}
	}
	if (!vs->topdown)
		return unmapped_area(vs, false, len, vs->mmap_base, mmap_end, out);
	if (unmapped_area(vs, true, len, PM_PAGE_SIZE, vs->mmap_base, out) == 0)
		return 0;
	return unmapped_area(vs, false, len, vs->layout->unmapped_base, mmap_end, out);
}

/* do_mmap()'s round_hint_to_min(). */
static pm_uaddr_t round_hint_to_min(const struct pm_vmspace *vs, pm_uaddr_t hint)
{
	hint &= ~(PM_PAGE_SIZE - 1);
	if (hint && hint < vs->mmap_min_addr)
		return page_align(vs->mmap_min_addr);
	return hint;
}

int pm_vm_get_unmapped_area(const struct pm_vmspace *vs, pm_uaddr_t hint, uint64_t len,
                            unsigned int flags, pm_uaddr_t *out)
{
	const struct pm_arch_layout *l = vs->layout;
	pm_uaddr_t addr = hint;
	int err = 0;

	if (len == 0 || !pm_is_aligned(len, PM_PAGE_SIZE))
		return -PM_EINVAL;
	if (len > l->task_size)
		return -PM_ENOMEM;
	if (!(flags & (PM_MAP_FIXED | PM_MAP_FIXED_NOREPLACE))) {
		hint = round_hint_to_min(vs, hint);
		if (vs->arch->mmap_rules == PM_ARCH_MMAP_X86)
			err = vs->topdown ? x86_topdown(vs, hint, len, &addr)
			                  : x86_bottomup(vs, hint, len, &addr);
		else
			err = generic_area(vs, hint, len, &addr);
		if (err)
			return err;
	} else if (vs->arch->mmap_rules != PM_ARCH_MMAP_X86 &&
	           len > l->stack_top_max - vs->mmap_min_addr) {
		return -PM_ENOMEM;
	}
	if (addr > l->task_size - len)
		return -PM_ENOMEM;
	if (!pm_is_aligned(addr, PM_PAGE_SIZE))
		return -PM_EINVAL;
	*out = addr;
	return 0;
}
