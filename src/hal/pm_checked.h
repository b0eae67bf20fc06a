/* SPDX-License-Identifier: MIT */
/*
 * Overflow-checked arithmetic in integer space (never by pointer
 * wrap-around tests). Each returns true on overflow and then leaves *out
 * unspecified; callers return an errno.
 */
#ifndef PM_SRC_HAL_CHECKED_H
#define PM_SRC_HAL_CHECKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool pm_add_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

static inline bool pm_sub_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_sub_overflow(a, b, out);
}

static inline bool pm_mul_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

static inline bool pm_add_overflow_size(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

static inline bool pm_mul_overflow_size(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

static inline bool pm_add_overflow_i64(int64_t a, int64_t b, int64_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

/*
 * Does [start, start + len) fit below limit without wrapping? An empty
 * range fits if start <= limit.
 */
static inline bool pm_range_ok(uint64_t start, uint64_t len, uint64_t limit)
{
	uint64_t end;

	if (pm_add_overflow_u64(start, len, &end))
		return false;
	return end <= limit;
}

#endif /* PM_SRC_HAL_CHECKED_H */
