/* SPDX-License-Identifier: MIT */
/*
 * The vmspace object: creation, limits, accounting, lookups and the
 * helpers every operation shares (area records, merge rule, Linux's
 * may_expand_vm and vm_stat_account, randomness).
 */
#include "vm/vm_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_string.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

/* ---- randomness (all of it through pm_hal_random_bytes) ---- */

uint64_t vm_random_u64(void)
{
	uint64_t v;

	pm_hal_random_bytes(&v, sizeof(v));
	return v;
}

/* Uniform in [0, n), n > 0 (Linux get_random_u32_below: Lemire's
 * multiply-and-shift with rejection of the biased low products). */
uint32_t vm_random_below(uint32_t n)
{
	uint32_t x, threshold = (uint32_t)(0u - n) % n;
	uint64_t m;

	do {
		pm_hal_random_bytes(&x, sizeof(x));
		m = (uint64_t)x * n;
	} while ((uint32_t)m < threshold);
	return (uint32_t)(m >> 32);
}

bool vm_randomize(const struct pm_vmspace *vs)
{
	return !(vs->flags & PM_VM_NO_RANDOMIZE);
}

/* ---- area records ---- */

struct pm_vma *vm_vma_alloc(struct pm_vmspace *vs)
{
	(void)vs;
	return pm_hal_alloc(sizeof(struct pm_vma), _Alignof(struct pm_vma));
}

void vm_vma_free(struct pm_vmspace *vs, struct pm_vma *vma)
{
	(void)vs;
	pm_hal_free(vma, sizeof(*vma));
}

void vm_vma_get_file(const struct pm_vma *vma)
{
	if (vma->file)
		pm_hal_file_get(vma->file);
}

void vm_vma_put_file(const struct pm_vma *vma)
{
	if (vma->file)
		pm_hal_file_put(vma->file);
}

/*
 * Linux is_mergeable_vma() + can_vma_merge_before/after(): same flags and
 * file, file offsets continuing. An anonymous private area's offset is its
 * address, so adjacent ones always continue; a shared anonymous area is its
 * own shmem object and never merges; special mappings never merge.
 */
bool vm_vma_mergeable(const struct pm_vma *lo, const struct pm_vma *hi)
{
	if (lo->end != hi->start || lo->prot != hi->prot || lo->maxprot != hi->maxprot ||
	    lo->flags != hi->flags || lo->file != hi->file || (lo->flags & PM_VMA_SPECIAL))
		return false;
	if (!lo->file && (lo->flags & PM_VMA_SHARED))
		return false;
	return hi->pgoff == lo->pgoff + (lo->end - lo->start);
}

pm_uaddr_t vm_start_gap(const struct pm_vma *vma)
{
	if (!(vma->flags & PM_VMA_GROWSDOWN))
		return vma->start;
	return vma->start > PM_VM_STACK_GUARD_GAP ? vma->start - PM_VM_STACK_GUARD_GAP : 0;
}

/* ---- accounting (mm/mmap.c vm_stat_account, may_expand_vm) ---- */

static bool is_stack(unsigned int flags)
{
	return (flags & PM_VMA_GROWSDOWN) != 0;
}

static bool is_data(unsigned int prot, unsigned int flags)
{
	return (prot & PM_PROT_WRITE) && !(flags & (PM_VMA_SHARED | PM_VMA_GROWSDOWN));
}

static bool is_exec(unsigned int prot, unsigned int flags)
{
	return (prot & (PM_PROT_EXEC | PM_PROT_WRITE)) == PM_PROT_EXEC && !is_stack(flags);
}

void vm_acct(struct pm_vmspace *vs, unsigned int prot, unsigned int flags, uint64_t npages,
             int sign)
{
	uint64_t d = sign > 0 ? npages : 0u - npages;

	vs->acct.total_vm += d;
	if (is_exec(prot, flags))
		vs->acct.exec_vm += d;
	else if (is_stack(flags))
		vs->acct.stack_vm += d;
	else if (is_data(prot, flags))
		vs->acct.data_vm += d;
	if (flags & PM_VMA_LOCKED)
		vs->acct.locked_vm += d;
}

bool vm_may_expand(const struct pm_vmspace *vs, unsigned int prot, unsigned int flags,
                   uint64_t npages)
{
	if (vs->acct.total_vm + npages > vm_pages(vs->limits.as))
		return false;
	if (is_data(prot, flags) && vs->acct.data_vm + npages > vm_pages(vs->limits.data)) {
		/* Linux's allowance for Valgrind: a soft limit of 0 means the hard one. */
		return vs->limits.data == 0 &&
		       vs->acct.data_vm + npages <= vm_pages(vs->limits.data_max);
	}
	return true;
}

/* ---- the object ---- */

static const struct pm_vm_limits default_limits = {
    PM_VM_STK_LIM,
    PM_VM_RLIM_INFINITY,
    PM_VM_RLIM_INFINITY,
    PM_VM_RLIM_INFINITY,
};

static bool layout_of(const struct pm_arch_desc *arch, const struct pm_arch_layout *l)
{
	for (size_t i = 0; i < arch->n_layouts; i++)
		if (&arch->layouts[i] == l)
			return true;
	return false;
}

int pm_vmspace_init(struct pm_vmspace *vs, struct pm_hal_as *as, const struct pm_vm_config *cfg)
{
	const struct pm_arch_layout *layout;
	const unsigned int known =
	    PM_VM_NO_RANDOMIZE | PM_VM_LEGACY_LAYOUT | PM_VM_NO_BRK_RANDOMIZE;
	static const struct pm_vm_limits zero;

	if (!vs || !as || !cfg || !cfg->arch || !cfg->arch->n_layouts || (cfg->flags & ~known))
		return -PM_EINVAL;
	layout = cfg->layout ? cfg->layout : &cfg->arch->layouts[0];
	if (!layout_of(cfg->arch, layout) || cfg->mmap_rnd_bits > layout->mmap_rnd_bits_max)
		return -PM_EINVAL;
	pm_memset(vs, 0, sizeof(*vs));
	vs->as = as;
	vs->arch = cfg->arch;
	vs->layout = layout;
	vs->flags = cfg->flags;
	vs->mmap_rnd_bits = cfg->mmap_rnd_bits ? cfg->mmap_rnd_bits : layout->mmap_rnd_bits;
	vs->mmap_min_addr = cfg->mmap_min_addr ? cfg->mmap_min_addr : PM_VM_MMAP_MIN_ADDR_DEFAULT;
	vs->max_map_count = cfg->max_map_count ? cfg->max_map_count : PM_VM_MAX_MAP_COUNT_DEFAULT;
	vs->limits = pm_memcmp(&cfg->limits, &zero, sizeof(zero)) ? cfg->limits : default_limits;
	pm_vm_pick_layout(vs);
	return 0;
}

void pm_vmspace_destroy(struct pm_vmspace *vs)
{
	struct vmt_cursor c;

	for (bool ok = vmt_first(vs, &c); ok; ok = vmt_next(&c)) {
		struct pm_vma *v = vmt_vma(&c);

		vm_vma_put_file(v);
		vm_vma_free(vs, v);
	}
	vmt_free_all(vs);
}

void pm_vmspace_set_limits(struct pm_vmspace *vs, const struct pm_vm_limits *lim)
{
	vs->limits = *lim;
}

void pm_vm_set_image(struct pm_vmspace *vs, const struct pm_vm_image *img)
{
	vs->image = *img;
}

const struct pm_vm_image *pm_vm_image(const struct pm_vmspace *vs)
{
	return &vs->image;
}

const struct pm_vm_counters *pm_vm_counters(const struct pm_vmspace *vs)
{
	return &vs->acct;
}

size_t pm_vm_count(const struct pm_vmspace *vs)
{
	return vs->map_count;
}

int pm_vm_check(const struct pm_vmspace *vs)
{
	struct pm_vmspace sum;
	struct vmt_cursor c;

	if (!vmt_check(vs))
		return -PM_EINVAL;
	pm_memset(&sum, 0, sizeof(sum));
	for (bool ok = vmt_first(vs, &c); ok; ok = vmt_next(&c)) {
		const struct pm_vma *v = vmt_vma(&c);

		if ((v->start | v->end) & (PM_PAGE_SIZE - 1) || v->end > vs->layout->task_size ||
		    (v->prot & ~v->maxprot))
			return -PM_EINVAL;
		vm_acct(&sum, v->prot, v->flags, vm_pages(v->end - v->start), 1);
	}
	return pm_memcmp(&sum.acct, &vs->acct, sizeof(sum.acct)) ? -PM_EINVAL : 0;
}

/* ---- lookups ---- */

const struct pm_vma *pm_vm_find(const struct pm_vmspace *vs, pm_uaddr_t addr)
{
	const struct pm_vma *v = vmt_find_next(vs, addr);

	return v && v->start <= addr ? v : NULL;
}

const struct pm_vma *pm_vm_find_next(const struct pm_vmspace *vs, pm_uaddr_t addr)
{
	return vmt_find_next(vs, addr);
}

struct pm_vma *vm_find_prev(const struct pm_vmspace *vs, pm_uaddr_t addr)
{
	struct vmt_cursor c;

	if (!vmt_seek(vs, addr, &c))
		return vmt_last(vs, &c) ? vmt_vma(&c) : NULL;
	if (vmt_vma(&c)->start < addr)
		return vmt_vma(&c);
	return vmt_prev(&c) ? vmt_vma(&c) : NULL;
}

const struct pm_vma *pm_vm_find_prev(const struct pm_vmspace *vs, pm_uaddr_t addr)
{
	return vm_find_prev(vs, addr);
}

/* Linux vma_is_initial_heap() and vma_is_initial_stack() (include/linux/mm.h). */
enum pm_vma_kind pm_vm_area_kind(const struct pm_vmspace *vs, const struct pm_vma *vma)
{
	if (vma->start < vs->image.brk && vma->end > vs->image.start_brk)
		return PM_VMA_KIND_HEAP;
	if (vma->start <= vs->image.start_stack && vma->end >= vs->image.start_stack &&
	    vs->image.start_stack != 0)
		return PM_VMA_KIND_STACK;
	return PM_VMA_KIND_NONE;
}
