/* SPDX-License-Identifier: MIT */
/*
 * Reading file bytes for the loader: Linux's elf_read() over kernel_read(),
 * including rw_verify_area()'s refusal of offsets that are negative as a
 * loff_t, so that a lying p_offset gets Linux's errno and never reaches the
 * kernel's file layer.
 */
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

int pm_elf_read_hal(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
	return pm_hal_file_read(ctx, off, buf, len, got);
}

int elf_pread_(const struct pm_elf_plan_args *a, uint64_t off, void *buf, size_t len)
{
	size_t got = 0;
	int err;

	/* rw_verify_area: pos < 0, or pos + count < 0, as loff_t. */
	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -PM_EINVAL;
	err = a->read(a->read_ctx, off, buf, len, &got);
	if (err)
		return err;
	return got == len ? 0 : -PM_EIO;
}
