/* SPDX-License-Identifier: MIT */
/**
 * @file pm_hal_conformance.h
 * @brief A test any kernel can run against its own HAL implementation.
 *
 * The conformance test exercises every group of hal.h the way procmgr
 * relies on it: allocation alignment and sizes, lock nesting in class order
 * and balance, user copies that succeed and that fault cleanly (including
 * ranges that straddle the end of a mapping, wrap around the address space,
 * or write to read-only memory), address-space operations, file reads,
 * entropy and time. It is freestanding C (procmgr headers only) so it links
 * into a kernel as easily as into the hosted test suite.
 *
 * Usage: fill struct pm_hal_conformance_env with addresses the test may use,
 * call pm_hal_conformance_run(), and read the report callback's lines or the
 * returned failure count.
 *
 * @ingroup pm_hal
 */
#ifndef PM_HAL_CONFORMANCE_H
#define PM_HAL_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_hal
 * @{
 */

/** What the test may touch. Optional parts are skipped when 0/NULL. */
struct pm_hal_conformance_env {
	/** Required: user address of at least two pages of readable and
	 *  writable memory in the current address space. Its contents are
	 *  overwritten. */
	pm_uaddr_t user_rw;
	/** Required: size of that memory in bytes (at least 2 pages). */
	size_t user_rw_size;
	/** Required: a user address with nothing mapped for at least one
	 *  page from it. */
	pm_uaddr_t user_unmapped;
	/** Optional: a readable page that is not writable (0 = skip). */
	pm_uaddr_t user_ro;
	/** Optional: the current address space, for the pm_hal_as_* checks. */
	struct pm_hal_as *as;
	/** With @c as: a page-aligned free range of at least 4 pages in it. */
	pm_uaddr_t as_free;
	/** Optional: a file holding @c file_size bytes where byte i is
	 *  (uint8_t)(i * 7 + 3), for the pm_hal_file_* checks. */
	struct pm_hal_file *file;
	/** With @c file: its size in bytes (at least 16). */
	uint64_t file_size;
	/** Called once per check; @p detail is NULL when it passed. */
	void (*report)(void *ctx, const char *check, bool ok, const char *detail);
	/** Passed to @c report. */
	void *ctx;
};

/**
 * @brief Run every conformance check against the linked HAL.
 * @param env  what the test may use; see struct pm_hal_conformance_env.
 * @return the number of failed checks (0 = conformant), or -PM_EINVAL if a
 *         required field of @p env is missing.
 *
 * Context: a thread that may sleep, holding no procmgr lock. Allocates and
 * frees a few KiB through pm_hal_alloc().
 */
int pm_hal_conformance_run(const struct pm_hal_conformance_env *env);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PM_HAL_CONFORMANCE_H */
