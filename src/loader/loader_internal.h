/* SPDX-License-Identifier: MIT */
/*
 * Shared internals of the loader. ELF arithmetic follows Linux's
 * fs/binfmt_elf.c macros exactly, including its wrap-around in unsigned
 * long where Linux relies on it (computed values that wrapped are caught
 * by the same later checks that catch them in Linux).
 */
#ifndef PM_SRC_LOADER_INTERNAL_H
#define PM_SRC_LOADER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "procmgr/exec.h"
#include "procmgr/loader.h"

/* ELF_MIN_ALIGN is 4096 on both reference architectures. */
#define ELF_PAGE 4096ull

static inline uint64_t elf_pagestart(uint64_t v)
{
	return v & ~(ELF_PAGE - 1);
}

static inline uint64_t elf_pageoffset(uint64_t v)
{
	return v & (ELF_PAGE - 1);
}

/* ELF_PAGEALIGN: wraps to 0 near 2^64, as Linux's does. */
static inline uint64_t elf_pagealign(uint64_t v)
{
	return (v + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
}

/* Little-endian field loads from untrusted bytes (no alignment assumed). */
static inline uint16_t elf_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t elf_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t elf_le64(const uint8_t *p)
{
	return (uint64_t)elf_le32(p) | ((uint64_t)elf_le32(p + 4) << 32);
}

/*
 * Read exactly len bytes at off (Linux elf_read / kernel_read): 0, the
 * callback's error, -PM_EINVAL for ranges past INT64_MAX (rw_verify_area),
 * or -PM_EIO on a short read. Defined in elf_read.c.
 */
int elf_pread_(const struct pm_elf_plan_args *a, uint64_t off, void *buf, size_t len);

/*
 * Parse the PT_GNU_PROPERTY note (fs/binfmt_elf.c:parse_elf_properties)
 * into plan->gnu_property.status and .x86_feature_1. Defined in
 * elf_read.c.
 */
void elf_parse_gnu_property_(const struct pm_elf_plan_args *a, struct pm_elf_plan *plan);

/* Mutable access to segment i of a plan being built (elf_plan.c). */
struct pm_elf_segment *elf_seg_(struct pm_elf_plan *plan, size_t i);

/*
 * Recompute every absolute address and load_error of plan for its current
 * load_bias (elf_layout.c): the post-point-of-no-return half of
 * load_elf_binary / load_elf_interp.
 */
void elf_layout_(struct pm_elf_plan *plan);

/* ---- exec (exec.c, exec_args.c, shebang.c) ---- */

/*
 * count() argv and envp, bprm_stack_limits(), then copy the filename, the
 * envp strings and the argv strings (fs/exec.c:do_execveat_common) into
 * ex->strings, with "" for an empty argv. 0 or -EFAULT, -E2BIG, -ENOMEM.
 */
int exec_args_copy_(struct pm_exec *ex, const char *filename, pm_uaddr_t argv, pm_uaddr_t envp);

/* copy_string_kernel(): push a kernel string below argv[0]. 0 or -E2BIG. */
int exec_push_(struct pm_exec *ex, const char *s);

/* remove_arg_zero(): drop argv[0]. */
void exec_remove_arg0_(struct pm_exec *ex);

/* Unmap every range pm_elf_apply() mapped for plan (elf_apply.c). */
void elf_unmap_all_(const struct pm_elf_plan *plan, const struct pm_elf_mapper *mapper);

/* fs/binfmt_script.c:load_script() on ex->buf: rewrite argv and open the
 * interpreter into *next (shebang.c). */
int exec_load_script_(struct pm_exec *ex, struct pm_hal_file **next);

#endif /* PM_SRC_LOADER_INTERNAL_H */
