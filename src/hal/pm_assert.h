/* SPDX-License-Identifier: MIT */
/*
 * Internal consistency checks. PM_ASSERT states an assumption about
 * procmgr's own state; a failure is a procmgr bug and panics through the
 * HAL. Checks of caller input are never written with it: bad input returns
 * an errno. PM_CONFIG_ASSERT=0 compiles the checks away.
 */
#ifndef PM_SRC_HAL_ASSERT_H
#define PM_SRC_HAL_ASSERT_H

#include "procmgr/config.h"
#include "procmgr/hal.h"

#if PM_CONFIG_ASSERT
#define PM_ASSERT(cond)                                                               \
	do {                                                                          \
		if (__builtin_expect(!(cond), 0))                                     \
			pm_hal_panic(__FILE__, __LINE__, "assertion failed: " #cond); \
	} while (0)
#else
#define PM_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

/* Marks code that cannot be reached if procmgr's state is consistent. */
#define PM_UNREACHABLE() pm_hal_panic(__FILE__, __LINE__, "unreachable code reached")

/* Compile-time check. */
#define PM_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

/* Branch hints for hot paths. */
#define pm_likely(x)   __builtin_expect(!!(x), 1)
#define pm_unlikely(x) __builtin_expect(!!(x), 0)

#endif /* PM_SRC_HAL_ASSERT_H */
