/* SPDX-License-Identifier: MIT */
/*
 * One size or offset of an ABI record, by name. The uapi side is computed
 * in a file that includes only the Linux uapi headers (which clash with
 * libc's signal.h); the test computes the same names from procmgr's records
 * and compares.
 */
#ifndef PM_TEST_UAPI_LAYOUT_H
#define PM_TEST_UAPI_LAYOUT_H

#include <stddef.h>

struct pm_uapi_field {
	const char *record; /* Linux's struct name */
	const char *field;  /* member, or "sizeof" */
	size_t value;       /* offset or size in bytes */
};

/* x86_64 and riscv64 uapi facts (x86_64_uapi.c, riscv64/riscv64_uapi.c),
 * each ending with a NULL record. */
extern const struct pm_uapi_field pm_x86_64_uapi[];
extern const struct pm_uapi_field pm_riscv64_uapi[];

#endif /* PM_TEST_UAPI_LAYOUT_H */
