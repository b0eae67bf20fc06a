/* SPDX-License-Identifier: MIT */
/* Helpers shared by the loader suites. */
#ifndef PM_TEST_LOADER_TEST_H
#define PM_TEST_LOADER_TEST_H

#include <stdlib.h>

#include "elf_build.h"
#include "pm_test.h"
#include "procmgr/arch.h"
#include "procmgr/errno.h"
#include "procmgr/exec.h"
#include "procmgr/loader.h"
#include "procmgr/mman.h"

/* x86_64 4-level TASK_SIZE, ELF_ET_DYN_BASE page, and mmap_base with an
 * 8 MiB stack limit and no randomisation (the gap is clamped to 128 MiB). */
#define X86_TASK      0x7ffffffff000ull
#define X86_DYN_BASE  0x555555554000ull
#define X86_MMAP_BASE (X86_TASK - (128ull << 20))

/* Plan `e` for `arch` from memory; the plan must be released. */
static inline int lt_plan(const struct pm_arch_desc *arch, const struct eb_elf *e,
                          unsigned int flags, struct pm_elf_plan *plan)
{
	size_t size = 0;
	uint8_t *img = eb_build(e, &size);
	struct eb_mem m = {.data = img, .size = size};
	struct pm_elf_plan_args a = {
	    .arch = arch, .read = eb_mem_read, .read_ctx = &m, .flags = flags, .file_size = size};
	int err = pm_elf_plan(&a, plan);

	free(img);
	return err;
}

static inline int lt_plan_interp(const struct pm_arch_desc *arch, const struct eb_elf *e,
                                 uint64_t no_base, struct pm_elf_plan *plan)
{
	size_t size = 0;
	uint8_t *img = eb_build(e, &size);
	struct eb_mem m = {.data = img, .size = size};
	struct pm_elf_plan_args a = {
	    .arch = arch, .read = eb_mem_read, .read_ctx = &m, .file_size = size};
	int err = pm_elf_plan_interp(&a, no_base, plan);

	free(img);
	return err;
}

/*
 * A find_free over a host address space: hint if free, else the highest
 * free range below `base` (Linux's top-down get_unmapped_area).
 */
struct lt_find {
	struct pm_hal_as *as;
	pm_uaddr_t base;
	unsigned int calls;
};

static inline bool lt_range_free(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len)
{
	struct pm_host_mapping m;

	for (pm_uaddr_t a = start; a < start + len; a += 4096)
		if (pm_host_as_query(as, a, &m))
			return false;
	return true;
}

static inline int lt_find_free(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	struct lt_find *f = ctx;
	struct pm_host_mapping m;
	pm_uaddr_t top = f->base;

	f->calls++;
	if (hint && !(hint & 4095) && hint + len > hint && hint + len <= X86_TASK &&
	    lt_range_free(f->as, hint, len)) {
		*out = hint;
		return 0;
	}
	while (top >= len) {
		pm_uaddr_t a = top - len, probe = a;
		bool clash = false;

		/* the highest mapping inside [a, top) decides where to retry */
		for (pm_uaddr_t q = top; q > a; q -= 4096) {
			if (pm_host_as_query(f->as, q - 4096, &m)) {
				clash = true;
				probe = m.start;
				break;
			}
		}
		if (!clash) {
			*out = a;
			return 0;
		}
		top = probe;
	}
	return -PM_ENOMEM;
}

#endif /* PM_TEST_LOADER_TEST_H */
