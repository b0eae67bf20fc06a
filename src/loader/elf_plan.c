/* SPDX-License-Identifier: MIT */
/*
 * ELF validation and planning: the checks of fs/binfmt_elf.c that run
 * before the point of no return (load_elf_binary's header checks,
 * load_elf_phdrs, the PT_INTERP loop, the interpreter's consistency
 * checks), the program-header scan and the placement decision ("PIE
 * handling"). The post-point-of-no-return half is elf_layout.c.
 *
 * Program headers are read in chunks into a small stack buffer: twice when
 * the table does not fit one chunk (count, then fill), never as a whole.
 */
#include "hal/pm_bits.h"
#include "hal/pm_checked.h"
#include "hal/pm_string.h"
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"
#include "procmgr/mman.h"

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define PH_CHUNK  16u /* program headers per read */

struct scan {
	const struct pm_elf_plan_args *a;
	struct pm_elf_plan *p;
	uint8_t buf[PH_CHUNK * PHDR_SIZE];
	size_t nload;
	bool seen_interp;
};

struct pm_elf_segment *elf_seg_(struct pm_elf_plan *plan, size_t i)
{
	return plan->seg_extra ? &plan->seg_extra[i] : &plan->seg_inline[i];
}

const struct pm_elf_segment *pm_elf_plan_segment(const struct pm_elf_plan *plan, size_t i)
{
	if (!plan || i >= plan->nseg)
		return NULL;
	return plan->seg_extra ? &plan->seg_extra[i] : &plan->seg_inline[i];
}

void pm_elf_plan_release(struct pm_elf_plan *plan)
{
	if (plan && plan->seg_extra) {
		pm_hal_free(plan->seg_extra, plan->nseg * sizeof(*plan->seg_extra));
		plan->seg_extra = NULL;
		plan->nseg = 0;
	}
}

/* First pass over one program header: what load_elf_binary's two loops
 * and load_elf_interp look at, except PT_LOAD contents. */
static void note_phdr(struct scan *s, const uint8_t *ph, uint16_t idx)
{
	struct pm_elf_plan *p = s->p;
	uint32_t type = elf_le32(ph);
	uint32_t flags = elf_le32(ph + 4);

	switch (type) {
	case PM_PT_LOAD:
		s->nload++;
		break;
	case PM_PT_INTERP:
		/* Main programs only; the first one ends Linux's first loop. */
		if (!p->interp_role && !s->seen_interp) {
			s->seen_interp = true;
			p->has_interp = true;
			p->interp_index = idx;
			p->interp_offset = elf_le64(ph + 8);
			p->interp_filesz = elf_le64(ph + 32);
		}
		break;
	case PM_PT_GNU_PROPERTY:
		/* The last one before the first PT_INTERP (main), or the last. */
		if (!s->seen_interp) {
			p->gnu_property.present = true;
			p->gnu_property.index = idx;
			p->gnu_property.offset = elf_le64(ph + 8);
			p->gnu_property.filesz = elf_le64(ph + 32);
		}
		break;
	case PM_PT_GNU_STACK:
		p->exec_stack = (flags & PM_PF_X) ? PM_EXSTACK_ENABLE_X : PM_EXSTACK_DISABLE_X;
		break;
	case PM_PT_TLS:
		if (!p->tls.present) {
			p->tls.present = true;
			p->tls.vaddr = elf_le64(ph + 16);
			p->tls.filesz = elf_le64(ph + 32);
			p->tls.memsz = elf_le64(ph + 40);
			p->tls.align = elf_le64(ph + 48);
		}
		break;
	case PM_PT_PHDR:
		if (!p->has_phdr) {
			p->has_phdr = true;
			p->phdr_vaddr = elf_le64(ph + 16);
		}
		break;
	default:
		break;
	}
}

static void fill_segment(struct pm_elf_segment *seg, const uint8_t *ph, uint16_t idx)
{
	pm_memset(seg, 0, sizeof(*seg));
	seg->p_flags = elf_le32(ph + 4);
	seg->p_offset = elf_le64(ph + 8);
	seg->p_vaddr = elf_le64(ph + 16);
	seg->p_filesz = elf_le64(ph + 32);
	seg->p_memsz = elf_le64(ph + 40);
	seg->p_align = elf_le64(ph + 48);
	seg->index = idx;
}

/* Walk the table chunk by chunk; fill == false notes, true fills PT_LOADs. */
static int walk_phdrs(struct scan *s, bool fill)
{
	struct pm_elf_plan *p = s->p;
	size_t loads = 0;

	for (uint16_t at = 0; at < p->phnum; at = (uint16_t)(at + PH_CHUNK)) {
		uint16_t n = (uint16_t)pm_min_u64(PH_CHUNK, (uint64_t)(p->phnum - at));
		/* One chunk holds the whole table: read it once for both passes. */
		bool cached = fill && p->phnum <= PH_CHUNK;

		if (!cached) {
			int err = elf_pread_(s->a, p->e_phoff + (uint64_t)at * PHDR_SIZE, s->buf,
			                     (size_t)n * PHDR_SIZE);
			if (err)
				return err;
		}
		for (uint16_t k = 0; k < n; k++) {
			const uint8_t *ph = s->buf + (size_t)k * PHDR_SIZE;

			if (!fill) {
				note_phdr(s, ph, (uint16_t)(at + k));
			} else if (elf_le32(ph) == PM_PT_LOAD) {
				/* The file changed between passes: refuse. */
				if (loads == s->nload)
					return -PM_EIO;
				fill_segment(elf_seg_(p, loads++), ph, (uint16_t)(at + k));
			}
		}
	}
	return fill && loads != s->nload ? -PM_EIO : 0;
}

/* PT_INTERP: size limits, readable, NUL-terminated (load_elf_binary). */
static int check_interp(const struct scan *s)
{
	const struct pm_elf_plan *p = s->p;
	uint8_t last = 0;
	int err;

	if (p->interp_filesz > PM_ELF_INTERP_MAX || p->interp_filesz < 2)
		return -PM_ENOEXEC;
	/* elf_read of the whole range; its last byte decides short reads. */
	if (p->interp_offset > (uint64_t)INT64_MAX ||
	    p->interp_filesz > (uint64_t)INT64_MAX - p->interp_offset)
		return -PM_EINVAL;
	err = elf_pread_(s->a, p->interp_offset + p->interp_filesz - 1, &last, 1);
	if (err)
		return err;
	return last == 0 ? 0 : -PM_ENOEXEC;
}

/* total_mapping_size() and maximum_alignment(), with Linux's wrapping. */
static void sizes(struct pm_elf_plan *p)
{
	uint64_t lo = UINT64_MAX, hi = 0, align = 0;

	for (size_t i = 0; i < p->nseg; i++) {
		const struct pm_elf_segment *g = elf_seg_(p, i);

		lo = pm_min_u64(lo, elf_pagestart(g->p_vaddr));
		hi = pm_max_u64(hi, g->p_vaddr + g->p_memsz);
		if (pm_is_pow2(g->p_align))
			align = pm_max_u64(align, g->p_align);
	}
	p->total_size = p->nseg ? hi - lo : 0;
	p->max_align = elf_pagealign(align);
	p->span = elf_pagealign(p->total_size);
}

/* arch_mmap_rnd(): (random & ((1 << bits) - 1)) << PAGE_SHIFT. */
static uint64_t mmap_rnd(const struct pm_elf_plan_args *a, const struct pm_arch_layout *l)
{
	unsigned int bits = a->mmap_rnd_bits ? a->mmap_rnd_bits : l->mmap_rnd_bits;
	uint64_t r = 0;

	pm_hal_random_bytes(&r, sizeof(r));
	return (r & ((1ull << bits) - 1)) << 12;
}

/* The placement decision of load_elf_binary / load_elf_interp. */
static void place_main(const struct pm_elf_plan_args *a, struct pm_elf_plan *p)
{
	const struct pm_elf_segment *first = p->nseg ? elf_seg_(p, 0) : NULL;
	uint64_t v = first ? first->p_vaddr : 0;

	p->placement = PM_ELF_PLACE_FIXED;
	p->first_map_flags = PM_MAP_FIXED_NOREPLACE;
	p->placed = true;
	if (p->e_type == PM_ET_EXEC || !first)
		return;
	p->reserve = true;
	if (p->has_interp) {
		uint64_t bias = p->layout->et_dyn_base;

		if (a->flags & PM_ELF_RANDOMIZE)
			bias += mmap_rnd(a, p->layout);
		if (p->max_align)
			bias &= ~(p->max_align - 1);
		p->load_bias = elf_pagestart(bias - v);
	} else if (first->p_filesz == 0) {
		/* No mmap happens for this segment: its bss lands where the
		 * bias says (probe or not, the arithmetic gives this). */
		p->load_bias = elf_pagestart(0 - v);
	} else {
		p->placement =
		    p->max_align > ELF_PAGE ? PM_ELF_PLACE_FIND_ALIGNED : PM_ELF_PLACE_FIND;
		p->hint =
		    p->placement == PM_ELF_PLACE_FIND ? elf_pagestart(elf_pagestart(0 - v) + v) : 0;
		p->placed = false;
		p->load_bias = 0 - elf_pagestart(v); /* provisional: first page at 0 */
	}
}

static void place_interp(struct pm_elf_plan *p, uint64_t no_base)
{
	const struct pm_elf_segment *first = p->nseg ? elf_seg_(p, 0) : NULL;
	uint64_t v = first ? first->p_vaddr : 0;

	p->placement = PM_ELF_PLACE_FIXED;
	p->placed = true;
	p->reserve = true;
	/* Interpreters are mapped MAP_FIXED (ET_EXEC) or not fixed (ET_DYN). */
	p->first_map_flags = PM_MAP_FIXED;
	if (p->e_type != PM_ET_DYN || !first)
		return;
	p->first_map_flags = PM_MAP_FIXED_NOREPLACE;
	if (first->p_filesz == 0) {
		uint64_t load_addr = no_base ? 0 - v : 0;

		p->load_bias = elf_pagestart(load_addr + v) - elf_pagestart(v);
		return;
	}
	p->placement = PM_ELF_PLACE_FIND;
	p->hint = no_base ? 0 : elf_pagestart(v);
	p->placed = false;
	p->load_bias = 0 - elf_pagestart(v);
}

static int read_header(const struct pm_elf_plan_args *a, bool interp, uint8_t eh[EHDR_SIZE])
{
	size_t got = 0;
	int err;

	if (interp)
		return elf_pread_(a, 0, eh, EHDR_SIZE); /* short: -EIO */
	if (a->head) {
		pm_memcpy(eh, a->head, EHDR_SIZE);
		return 0;
	}
	/* prepare_binprm: zero-filled buffer, short reads are fine. */
	pm_memset(eh, 0, EHDR_SIZE);
	err = a->read(a->read_ctx, 0, eh, EHDR_SIZE, &got);
	return err;
}

static int check_args(const struct pm_elf_plan_args *a)
{
	const struct pm_arch_layout *l;

	if (!a || !a->arch || !a->read || !a->arch->elf_check || !a->arch->n_layouts ||
	    !a->arch->layouts)
		return -PM_EINVAL;
	l = a->layout ? a->layout : &a->arch->layouts[0];
	if (a->mmap_rnd_bits > l->mmap_rnd_bits_max || l->mmap_rnd_bits > 63 || !l->task_size)
		return -PM_EINVAL;
	return 0;
}

static int plan_common(const struct pm_elf_plan_args *a, struct pm_elf_plan *p, bool interp,
                       uint64_t no_base)
{
	const int bad = interp ? -PM_ELIBBAD : -PM_ENOEXEC;
	struct scan s;
	uint8_t eh[EHDR_SIZE];
	uint64_t table_end;
	int err;

	if (!p)
		return -PM_EINVAL;
	pm_memset(p, 0, sizeof(*p));
	err = check_args(a);
	if (err)
		return err;
	p->arch = a->arch;
	p->layout = a->layout ? a->layout : &a->arch->layouts[0];
	p->interp_role = interp;
	p->file_size = a->file_size;
	err = read_header(a, interp, eh);
	if (err)
		return err;
	if (pm_memcmp(eh, "\177ELF", 4) != 0)
		return bad;
	p->e_type = elf_le16(eh + 16);
	p->e_machine = elf_le16(eh + 18);
	p->e_entry = elf_le64(eh + 24);
	p->e_phoff = elf_le64(eh + 32);
	p->e_flags = elf_le32(eh + 48);
	p->phent = elf_le16(eh + 54);
	p->phnum = elf_le16(eh + 56);
	if (!interp && p->e_type != PM_ET_EXEC && p->e_type != PM_ET_DYN)
		return -PM_ENOEXEC;
	if (a->arch->elf_check(eh) != 0)
		return bad;
	/* load_elf_phdrs: entry size, count, and a readable table. */
	if (p->phent != PHDR_SIZE || p->phnum == 0 || p->phnum > PM_ELF_PHNUM_MAX)
		return bad;
	if (pm_add_overflow_u64(p->e_phoff, (uint64_t)p->phnum * PHDR_SIZE, &table_end) ||
	    table_end > (uint64_t)INT64_MAX)
		return bad;
	pm_memset(&s, 0, sizeof(s));
	s.a = a;
	s.p = p;
	if (walk_phdrs(&s, false) != 0)
		return bad;
	if (p->has_interp) {
		err = check_interp(&s);
		if (err)
			return err;
	}
	elf_parse_gnu_property_(a, p);
	if (s.nload > PM_ELF_PLAN_INLINE_SEGMENTS) {
		p->seg_extra = pm_hal_alloc(s.nload * sizeof(*p->seg_extra), _Alignof(uint64_t));
		if (!p->seg_extra)
			return -PM_ENOMEM;
	}
	p->nseg = s.nload;
	err = walk_phdrs(&s, true);
	if (err) {
		pm_elf_plan_release(p);
		return bad;
	}
	/* Properties come from the interpreter when there is one. */
	if ((a->flags & PM_ELF_GNU_PROPERTY_STRICT) && p->gnu_property.status &&
	    (interp || !p->has_interp)) {
		err = p->gnu_property.status;
		pm_elf_plan_release(p);
		return err;
	}
	sizes(p);
	if (interp && p->e_type != PM_ET_EXEC && p->e_type != PM_ET_DYN) {
		/* load_elf_interp returns ~0UL: execve fails with (int)-1. */
		p->placed = true;
		p->load_error = -PM_EPERM;
		return 0;
	}
	if (interp)
		place_interp(p, no_base);
	else
		place_main(a, p);
	elf_layout_(p);
	return 0;
}

int pm_elf_plan(const struct pm_elf_plan_args *args, struct pm_elf_plan *plan)
{
	return plan_common(args, plan, false, 0);
}

int pm_elf_plan_interp(const struct pm_elf_plan_args *args, pm_uaddr_t main_load_bias,
                       struct pm_elf_plan *plan)
{
	return plan_common(args, plan, true, main_load_bias);
}

int pm_elf_place(struct pm_elf_plan *plan, pm_uaddr_t addr)
{
	const struct pm_elf_segment *first;

	if (!plan || plan->placed || !plan->nseg)
		return -PM_EINVAL;
	first = elf_seg_(plan, 0);
	if (plan->placement == PM_ELF_PLACE_FIND_ALIGNED)
		plan->load_bias = elf_pagestart((addr & ~(plan->max_align - 1)) - first->p_vaddr);
	else
		plan->load_bias = elf_pagestart(addr) - elf_pagestart(first->p_vaddr);
	plan->placed = true;
	elf_layout_(plan);
	return 0;
}
