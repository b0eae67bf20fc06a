/* SPDX-License-Identifier: MIT */
/*
 * mmap and munmap (Linux mm/mmap.c do_mmap, mmap_region; mm/vma.c
 * do_vmi_munmap). Each operation runs in three steps: check and allocate
 * everything it may need (area records, tree nodes), make the HAL calls,
 * and only then change the tree, which cannot fail. A failure in the first
 * two steps leaves the vmspace as it was.
 */
#include "vm/vm_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_bits.h"
#include "hal/pm_string.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

/* MAP_* flags a MAP_SHARED_VALIDATE mapping may carry (LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK                                                                        \
	(PM_MAP_SHARED | PM_MAP_PRIVATE | PM_MAP_FIXED | PM_MAP_ANONYMOUS | PM_MAP_DENYWRITE | \
	 PM_MAP_EXECUTABLE | 0x4000000u /* MAP_UNINITIALIZED */ | PM_MAP_GROWSDOWN |           \
	 PM_MAP_LOCKED | PM_MAP_NORESERVE | PM_MAP_POPULATE | PM_MAP_NONBLOCK | PM_MAP_STACK | \
	 PM_MAP_HUGETLB)

/* Largest file offset + 1 (MAX_LFS_FILESIZE = LLONG_MAX). */
#define MAX_LFS_FILESIZE 0x7fffffffffffffffull

/* ---- tree edits (cannot fail once reserved) ---- */

void vm_insert_area(struct pm_vmspace *vs, struct pm_vma *rec)
{
	struct vmt_cursor c;
	struct pm_vma *prev = NULL, *next = NULL;

	if (vmt_seek(vs, rec->start, &c)) {
		next = vmt_vma(&c);
		if (vmt_prev(&c))
			prev = vmt_vma(&c);
	} else if (vmt_last(vs, &c)) {
		prev = vmt_vma(&c);
	}
	if (prev && !vm_vma_mergeable(prev, rec))
		prev = NULL;
	if (next && !vm_vma_mergeable(rec, next))
		next = NULL;
	if (!prev && !next) {
		vmt_insert(vs, rec);
		return;
	}
	if (prev && next) {
		pm_uaddr_t end = next->end;

		vmt_erase_vma(vs, next);
		vm_vma_put_file(next);
		vm_vma_free(vs, next);
		vmt_update(vs, prev, prev->start, end);
	} else if (prev) {
		vmt_update(vs, prev, prev->start, rec->end);
	} else {
		next->pgoff = rec->pgoff;
		vmt_update(vs, next, rec->start, next->end);
	}
	vm_vma_put_file(rec);
	vm_vma_free(vs, rec);
}

/*
 * Remove [start, end) from the tree and the counters (the HAL has already
 * unmapped it). `punch` is a preallocated record, needed only when the
 * range lies strictly inside one area; it is used or freed.
 */
static void unmap_tree(struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end,
                       struct pm_vma *punch)
{
	struct vmt_cursor c;

	while (vmt_seek(vs, start, &c) && vmt_vma(&c)->start < end) {
		struct pm_vma *v = vmt_vma(&c);
		pm_uaddr_t lo = pm_max_u64(v->start, start), hi = pm_min_u64(v->end, end);

		vm_acct(vs, v->prot, v->flags, vm_pages(hi - lo), -1);
		if (v->start < start && v->end > end) {
			PM_ASSERT(punch != NULL);
			*punch = *v;
			punch->start = end;
			punch->pgoff = v->pgoff + (end - v->start);
			vm_vma_get_file(punch);
			vmt_set_range(&c, v->start, start);
			vmt_insert(vs, punch);
			return;
		}
		if (v->start < start) {
			vmt_set_range(&c, v->start, start);
		} else if (v->end > end) {
			v->pgoff += end - v->start;
			vmt_set_range(&c, end, v->end);
			break;
		} else {
			vmt_erase(vs, &c);
			vm_vma_put_file(v);
			vm_vma_free(vs, v);
		}
	}
	if (punch)
		vm_vma_free(vs, punch);
}

/* Does unmapping [start, end) split one area in two? */
static bool punches_hole(const struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end)
{
	const struct pm_vma *v = vmt_find_next(vs, start);

	return v && v->start < start && v->end > end;
}

/* Pages of areas inside [start, end) (count_vma_pages_range). */
static uint64_t pages_in(const struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end)
{
	struct vmt_cursor c;
	uint64_t n = 0;

	for (bool ok = vmt_seek(vs, start, &c); ok && vmt_vma(&c)->start < end; ok = vmt_next(&c))
		n += vm_pages(pm_min_u64(vmt_vma(&c)->end, end) -
		              pm_max_u64(vmt_vma(&c)->start, start));
	return n;
}

int vm_unmap_range(struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end)
{
	const struct pm_vma *first = vmt_find_next(vs, start);
	struct pm_vma *punch = NULL;
	int err;

	if (!first || first->start >= end)
		return 0;
	if (punches_hole(vs, start, end)) {
		if (vs->map_count >= vs->max_map_count)
			return -PM_ENOMEM;
		punch = vm_vma_alloc(vs);
		if (!punch || vmt_reserve(vs, 1)) {
			if (punch)
				vm_vma_free(vs, punch);
			return -PM_ENOMEM;
		}
	}
	err = pm_hal_as_unmap(vs->as, start, end - start);
	if (err) {
		if (punch)
			vm_vma_free(vs, punch);
		return err;
	}
	unmap_tree(vs, start, end, punch);
	vmt_trim(vs);
	return 0;
}

int pm_vm_munmap(struct pm_vmspace *vs, pm_uaddr_t addr, uint64_t len)
{
	uint64_t task = vs->layout->task_size, alen;

	if (!pm_is_aligned(addr, PM_PAGE_SIZE) || addr > task || len > task - addr)
		return -PM_EINVAL;
	alen = (len + PM_PAGE_SIZE - 1) & ~(PM_PAGE_SIZE - 1);
	if (alen == 0)
		return -PM_EINVAL;
	return vm_unmap_range(vs, addr, addr + alen);
}

/* ---- mmap ---- */

/* The type checks of do_mmap(); fills the area's flags and maxprot. */
static int check_type(const struct pm_vm_map_req *req, unsigned int *mflags, struct pm_vma *rec)
{
	unsigned int type = *mflags & PM_MAP_TYPE;
	struct pm_file_attr attr;
	int err;

	rec->maxprot = PM_PROT_MASK;
	if (!req->file) {
		if (type != PM_MAP_SHARED && type != PM_MAP_PRIVATE)
			return -PM_EINVAL;
		if (type == PM_MAP_SHARED && (*mflags & PM_MAP_GROWSDOWN))
			return -PM_EINVAL;
		rec->flags |= type == PM_MAP_SHARED ? PM_VMA_SHARED : 0u;
		return 0;
	}
	if (type == PM_MAP_SHARED)
		*mflags &= LEGACY_MAP_MASK;
	else if (type == PM_MAP_SHARED_VALIDATE && (*mflags & ~LEGACY_MAP_MASK))
		return -PM_EOPNOTSUPP;
	else if (type != PM_MAP_SHARED_VALIDATE && type != PM_MAP_PRIVATE)
		return -PM_EINVAL;
	if (type != PM_MAP_PRIVATE) {
		if ((req->prot & PM_PROT_WRITE) && !req->file_writable)
			return -PM_EACCES;
		rec->flags |= PM_VMA_SHARED;
		if (!req->file_writable)
			rec->maxprot &= ~(unsigned int)PM_PROT_WRITE;
	}
	err = pm_hal_file_getattr(req->file, &attr);
	if (err)
		return err;
	if (attr.flags & PM_FILE_NOEXEC) {
		if (req->prot & PM_PROT_EXEC)
			return -PM_EPERM;
		rec->maxprot &= ~(unsigned int)PM_PROT_EXEC;
	}
	if (*mflags & PM_MAP_GROWSDOWN)
		return -PM_EINVAL;
	rec->dev = attr.dev;
	rec->ino = attr.ino;
	return 0;
}

/* Map the old areas of [start, end) again after a failed replacement. */
static int restore(struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end)
{
	struct vmt_cursor c;

	for (bool ok = vmt_seek(vs, start, &c); ok && vmt_vma(&c)->start < end; ok = vmt_next(&c)) {
		const struct pm_vma *v = vmt_vma(&c);
		pm_uaddr_t lo = pm_max_u64(v->start, start), hi = pm_min_u64(v->end, end);
		unsigned int f = (v->flags & PM_VMA_SHARED) ? PM_MAP_SHARED : PM_MAP_PRIVATE;
		int err;

		if (v->flags & PM_VMA_GROWSDOWN)
			f |= PM_MAP_GROWSDOWN;
		err = pm_hal_as_map(vs->as, lo, hi - lo, v->prot, f, v->file,
		                    v->file ? v->pgoff + (lo - v->start) : 0);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Map rec's range through the HAL. With `replace`, the old pages go first
 * (the HAL never maps over a mapping); if the new mapping then fails, the
 * old areas are mapped again, and if even that fails *hole is set: the
 * range is left unmapped and the caller drops it from the tree too.
 */
static int hal_map(struct pm_vmspace *vs, const struct pm_vma *rec, unsigned int mflags,
                   bool replace, bool *hole)
{
	uint64_t len = rec->end - rec->start;
	unsigned int f = (rec->flags & PM_VMA_SHARED) ? PM_MAP_SHARED : PM_MAP_PRIVATE;
	int err;

	*hole = false;
	f |= mflags & PM_MAP_GROWSDOWN;
	if (replace) {
		err = pm_hal_as_unmap(vs->as, rec->start, len);
		if (err)
			return err;
	}
	err = pm_hal_as_map(vs->as, rec->start, len, rec->prot, f, rec->file,
	                    rec->file ? rec->pgoff : 0);
	if (err && replace && restore(vs, rec->start, rec->end)) {
		(void)pm_hal_as_unmap(vs->as, rec->start, len);
		*hole = true;
	}
	return err;
}

int pm_vm_mmap(struct pm_vmspace *vs, const struct pm_vm_map_req *req, pm_uaddr_t *out)
{
	unsigned int mflags = req->flags;
	pm_uaddr_t addr;
	uint64_t len, npages, over;
	struct pm_vma *rec = NULL, *punch = NULL;
	bool fixed, replace, hole;
	int err;

	if (!pm_is_aligned(req->offset, PM_PAGE_SIZE) || req->len == 0)
		return -PM_EINVAL;
	if (mflags & PM_MAP_HUGETLB)
		return -PM_EINVAL;
	if (mflags & PM_MAP_FIXED_NOREPLACE)
		mflags |= PM_MAP_FIXED;
	fixed = (mflags & PM_MAP_FIXED) != 0;
	len = (req->len + PM_PAGE_SIZE - 1) & ~(PM_PAGE_SIZE - 1);
	if (len == 0)
		return -PM_ENOMEM;
	if (vm_pages(req->offset) + vm_pages(len) < vm_pages(req->offset))
		return -PM_EOVERFLOW;
	if (vs->map_count > vs->max_map_count)
		return -PM_ENOMEM;
	err = pm_vm_get_unmapped_area(vs, req->addr, len, mflags, &addr);
	if (err)
		return err;
	if (fixed && addr < vs->mmap_min_addr && !(req->extra & PM_VM_MAPX_RAWIO))
		return -PM_EPERM;
	over = fixed ? pages_in(vs, addr, addr + len) : 0;
	if ((mflags & PM_MAP_FIXED_NOREPLACE) && over)
		return -PM_EEXIST;
	if (req->file && (len > MAX_LFS_FILESIZE || req->offset > MAX_LFS_FILESIZE - len))
		return -PM_EOVERFLOW;

	rec = vm_vma_alloc(vs);
	if (!rec)
		return -PM_ENOMEM;
	pm_memset(rec, 0, sizeof(*rec));
	err = check_type(req, &mflags, rec);
	if (err)
		goto fail;
	rec->start = addr;
	rec->end = addr + len;
	rec->prot = req->prot & PM_PROT_MASK;
	rec->file = req->file;
	/* Linux: a file's offset; an anonymous private area's own address
	 * (so neighbours merge); 0 for shared anonymous memory. */
	rec->pgoff = req->file ? req->offset : (rec->flags & PM_VMA_SHARED) ? 0 : addr;
	rec->flags |= ((mflags & PM_MAP_GROWSDOWN) ? PM_VMA_GROWSDOWN : 0u) |
	              ((mflags & PM_MAP_LOCKED) ? PM_VMA_LOCKED : 0u) |
	              ((mflags & PM_MAP_NORESERVE) ? PM_VMA_NORESERVE : 0u) |
	              ((req->extra & PM_VM_MAPX_SPECIAL) ? PM_VMA_SPECIAL : 0u);
	npages = vm_pages(len);
	err = -PM_ENOMEM;
	if (!vm_may_expand(vs, rec->prot, rec->flags, npages - over))
		goto fail;
	replace = over != 0;
	if (replace && punches_hole(vs, addr, addr + len) && !(punch = vm_vma_alloc(vs)))
		goto fail;
	if (vmt_reserve(vs, 2))
		goto fail;
	err = hal_map(vs, rec, mflags, replace, &hole);
	if (err) {
		if (hole) {
			unmap_tree(vs, addr, addr + len, punch);
			punch = NULL;
		}
		goto fail;
	}
	if (replace)
		unmap_tree(vs, addr, addr + len, punch);
	vm_vma_get_file(rec);
	vm_acct(vs, rec->prot, rec->flags, npages, 1);
	vm_insert_area(vs, rec);
	vmt_trim(vs);
	*out = addr;
	return 0;
fail:
	if (punch)
		vm_vma_free(vs, punch);
	vm_vma_free(vs, rec);
	vmt_trim(vs);
	return err;
}
