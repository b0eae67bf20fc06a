/*
 * Fuzz the ELF planner: the input is a file image, planned as a program
 * and as an interpreter for both architectures, placed if needed, and (for
 * small images) applied into a simulated address space and rolled back.
 * Invariants: only Linux's errnos come out; the reader is never asked for
 * an offset Linux would refuse; a plan without load_error describes
 * page-aligned mappings inside TASK_SIZE; applying it maps and unmapping
 * leaves the space empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/errno.h"
#include "procmgr/host.h"
#include "procmgr/loader.h"
#include "procmgr/mman.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *data;
	size_t size;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
	const struct mem *m = ctx;

	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		abort(); /* the loader must answer these itself */
	*got = 0;
	if (off < m->size) {
		*got = (size_t)(m->size - off) < len ? (size_t)(m->size - off) : len;
		memcpy(buf, m->data + off, *got);
	}
	return 0;
}

static void check_errno(int err)
{
	switch (-err) {
	case 0:
	case PM_ENOEXEC:
	case PM_ELIBBAD:
	case PM_EIO:
	case PM_EINVAL:
	case PM_ENOMEM:
		return;
	default:
		abort();
	}
}

static void check_layout(const struct pm_elf_plan *p)
{
	const uint64_t task = p->layout->task_size;

	if (!p->placed || p->load_error)
		return;
	for (size_t i = 0; i < p->nseg; i++) {
		const struct pm_elf_segment *s = pm_elf_plan_segment(p, i);

		if ((s->map_start | s->map_len | s->map_offset | s->anon_start | s->anon_len) &
		    4095)
			abort();
		if (s->map_len && (s->map_start > task || s->map_len > task - s->map_start))
			abort();
		if (s->anon_len && (s->anon_start > task || s->anon_len > task - s->anon_start))
			abort();
		if (s->zero_len && (s->zero_start < s->map_start || s->zero_len > 4096 ||
		                    s->zero_start + s->zero_len > s->map_start + s->map_len))
			abort();
	}
	if (!p->interp_role && !p->has_interp && p->entry >= task)
		abort();
}

/* Apply small images into a fresh simulated space; rollback must be total. */
static void apply(struct pm_elf_plan *p, const uint8_t *data, size_t size)
{
	struct pm_host_file_spec spec = {.path = "/fuzz", .data = data, .size = size};
	struct pm_elf_hal_mapper hm;
	struct pm_hal_file *f = NULL;
	struct pm_hal_as *as;

	if (p->load_error || p->span > (64u << 20) || p->nseg > 64)
		return;
	if (pm_host_file_add(&spec) || pm_host_file_open("/fuzz", &f))
		return;
	as = pm_host_as_create(false);
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	if (pm_elf_apply(p, &hm.mapper, f) == 0) {
		for (size_t i = 0; i < p->nseg; i++) {
			const struct pm_elf_segment *s = pm_elf_plan_segment(p, i);

			if (s->map_len)
				pm_hal_as_unmap(as, s->map_start, s->map_len);
			if (s->anon_len)
				pm_hal_as_unmap(as, s->anon_start, s->anon_len);
		}
	}
	if (pm_host_as_count(as) != 0)
		abort(); /* a failed apply left mappings, or one was unaccounted for */
	pm_host_as_destroy(as);
	pm_hal_file_put(f);
	pm_host_files_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pm_arch_desc *const arches[] = {&pm_arch_x86_64, &pm_arch_riscv64};
	struct mem m = {data, size};
	struct pm_elf_plan p;

	pm_host_random_seed(size);
	for (size_t k = 0; k < 2; k++) {
		struct pm_elf_plan_args a = {.arch = arches[k],
		                             .read = mem_read,
		                             .read_ctx = &m,
		                             .file_size = size,
		                             .flags = (size & 1) ? PM_ELF_RANDOMIZE : 0u};
		int err;

		if (size & 2)
			a.flags |= PM_ELF_GNU_PROPERTY_STRICT;
		err = pm_elf_plan(&a, &p);
		check_errno(err);
		if (!err) {
			if (p.phnum > PM_ELF_PHNUM_MAX || p.phent != 56)
				abort();
			if (!p.placed)
				pm_elf_place(&p, 0x10000000);
			check_layout(&p);
			if (k == 0)
				apply(&p, data, size);
			pm_elf_plan_release(&p);
		}
		err = pm_elf_plan_interp(&a, (size & 4) ? 0x555555554000ull : 0, &p);
		check_errno(err);
		if (!err) {
			if (!p.placed)
				pm_elf_place(&p, 0x20000000);
			check_layout(&p);
			pm_elf_plan_release(&p);
		}
	}
	return 0;
}
