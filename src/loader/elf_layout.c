/* SPDX-License-Identifier: MIT */
/*
 * The post-point-of-no-return half of fs/binfmt_elf.c, computed instead of
 * done: for a given load bias, where elf_load() maps each PT_LOAD (elf_map,
 * padzero, vm_brk_flags), the first errno load_elf_binary() or
 * load_elf_interp() would hit on the way (mmap's static checks, the
 * TASK_SIZE bounds of every segment, the entry point), and the mm fields
 * (start_code ... start_brk) and AT_PHDR it would leave.
 *
 * Only errors that follow from the headers (and the file size) are
 * predicted here; collisions with existing mappings and memory shortage
 * surface from the mapper when the plan is applied.
 */
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/mman.h"

/* Static checks of vm_mmap(), do_mmap(), __get_unmapped_area() and
 * file_mmap_ok() for a fixed file mapping. */
static int mmap_check(uint64_t task, uint64_t addr, uint64_t len, uint64_t off)
{
	uint64_t pgoff = off >> 12;

	if (off + elf_pagealign(len) < off || elf_pageoffset(off))
		return -PM_EINVAL;
	if (!len)
		return -PM_EINVAL;
	if (pgoff + (len >> 12) < pgoff)
		return -PM_EOVERFLOW;
	if (len > task || addr > task - len)
		return -PM_ENOMEM;
	if (pgoff > ((uint64_t)INT64_MAX - len) >> 12)
		return -PM_EOVERFLOW;
	return 0;
}

/* Static checks of vm_brk_flags() and check_brk_limits(). */
static int brk_check(uint64_t task, uint64_t addr, uint64_t request)
{
	uint64_t len = elf_pagealign(request);

	if (len < request)
		return -PM_ENOMEM;
	if (len && (len > task || addr > task - len))
		return -PM_ENOMEM;
	return 0;
}

static unsigned int make_prot(uint32_t p_flags)
{
	return ((p_flags & PM_PF_R) ? PM_PROT_READ : 0u) |
	       ((p_flags & PM_PF_W) ? PM_PROT_WRITE : 0u) |
	       ((p_flags & PM_PF_X) ? PM_PROT_EXEC : 0u);
}

/* elf_load() for one segment at bias; returns its first error. */
static int load_segment(const struct pm_elf_plan *p, struct pm_elf_segment *s, bool first)
{
	const uint64_t task = p->layout->task_size;
	const uint64_t pageoff = elf_pageoffset(s->p_vaddr);
	const uint64_t addr = p->load_bias + s->p_vaddr;
	uint64_t zero_start, zero_end, map_addr;
	int err = 0;

	s->prot = make_prot(s->p_flags);
	s->anon_prot = PM_PROT_READ | PM_PROT_WRITE | (s->prot & PM_PROT_EXEC);
	s->map_start = elf_pagestart(addr);
	s->map_len = s->map_offset = s->zero_start = s->zero_len = 0;
	s->anon_start = s->anon_len = 0;
	map_addr = s->map_start;
	if (s->p_filesz) {
		uint64_t size = elf_pagealign(s->p_filesz + pageoff);

		s->map_offset = s->p_offset - pageoff;
		if (size) {
			uint64_t len = first && p->reserve ? elf_pagealign(p->total_size) : size;

			err = mmap_check(task, s->map_start, len, s->map_offset);
			s->map_len = size;
		}
		zero_start = map_addr + pageoff + s->p_filesz;
		zero_end = map_addr + pageoff + s->p_memsz;
		if (s->p_memsz > s->p_filesz && elf_pageoffset(zero_start) &&
		    (s->prot & PM_PROT_WRITE)) {
			uint64_t page = elf_pagestart(zero_start);

			s->zero_start = zero_start;
			s->zero_len = ELF_PAGE - elf_pageoffset(zero_start);
			/* clear_user faults (EFAULT) on a page nothing maps, or
			 * whose file page lies beyond the end of the file. */
			if (!err &&
			    (!size || (p->file_size && s->map_offset + (page - s->map_start) >=
			                                   elf_pagealign(p->file_size))))
				err = -PM_EFAULT;
		}
	} else {
		zero_start = map_addr;
		zero_end = zero_start + pageoff + s->p_memsz;
	}
	if (s->p_memsz > s->p_filesz) {
		uint64_t zs = elf_pagealign(zero_start), request = elf_pagealign(zero_end) - zs;
		int e = brk_check(task, zs, request);

		if (!err)
			err = e;
		s->anon_start = zs;
		s->anon_len = e ? 0 : elf_pagealign(request);
	}
	return err;
}

/* The per-segment TASK_SIZE check (main: un-biased p_vaddr, -EINVAL;
 * interpreter: load_addr + p_vaddr, -ENOMEM). */
static int bounds(const struct pm_elf_plan *p, const struct pm_elf_segment *s)
{
	const uint64_t task = p->layout->task_size;
	uint64_t k = p->interp_role ? p->load_bias + s->p_vaddr : s->p_vaddr;

	if (k >= task || s->p_filesz > s->p_memsz || s->p_memsz > task || task - s->p_memsz < k)
		return p->interp_role ? -PM_ENOMEM : -PM_EINVAL;
	return 0;
}

void elf_layout_(struct pm_elf_plan *p)
{
	const uint64_t bias = p->load_bias, task = p->layout->task_size;
	uint64_t start_code = UINT64_MAX, end_code = 0, start_data = 0, end_data = 0;
	uint64_t elf_brk = 0, phdr = 0;
	int err = 0;

	if (p->interp_role && !p->total_size)
		err = -PM_EINVAL;
	for (size_t i = 0; i < p->nseg; i++) {
		struct pm_elf_segment *s = elf_seg_(p, i);
		int e;

		if (i == 0 && !p->interp_role && p->e_type == PM_ET_DYN && !p->total_size && !err)
			err = -PM_EINVAL;
		e = load_segment(p, s, i == 0);
		if (err)
			continue; /* Linux stopped before this segment */
		err = e;
		if (err)
			continue;
		if (!p->interp_role) {
			uint64_t k = s->p_vaddr;

			if (s->p_offset <= p->e_phoff && p->e_phoff < s->p_offset + s->p_filesz)
				phdr = p->e_phoff - s->p_offset + s->p_vaddr;
			if ((s->p_flags & PM_PF_X) && k < start_code)
				start_code = k;
			if (start_data < k)
				start_data = k;
		}
		err = bounds(p, s);
		if (err || p->interp_role)
			continue;
		if ((s->p_flags & PM_PF_X) && end_code < s->p_vaddr + s->p_filesz)
			end_code = s->p_vaddr + s->p_filesz;
		if (end_data < s->p_vaddr + s->p_filesz)
			end_data = s->p_vaddr + s->p_filesz;
		if (elf_brk < s->p_vaddr + s->p_memsz)
			elf_brk = s->p_vaddr + s->p_memsz;
	}
	p->entry = p->e_entry + bias;
	if (!err && (p->interp_role || !p->has_interp) && p->entry >= task)
		err = -PM_EINVAL;
	p->load_error = err;
	if (p->interp_role)
		return;
	p->phdr_addr = phdr + bias;
	p->start_code = start_code + bias;
	p->end_code = end_code + bias;
	p->start_data = start_data + bias;
	p->end_data = end_data + bias;
	/* Static-pie: brk moves out of the mmap area to ELF_ET_DYN_BASE. */
	p->brk_moved = p->e_type == PM_ET_DYN && !p->has_interp;
	p->brk_start = elf_pagealign(p->brk_moved ? p->layout->et_dyn_base : elf_brk + bias);
}
