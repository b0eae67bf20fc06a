/* SPDX-License-Identifier: MIT */
/*
 * Bit operations and alignment helpers. Builtins that compile to single
 * instructions on both reference architectures (and never to libc calls).
 */
#ifndef PM_SRC_HAL_BITS_H
#define PM_SRC_HAL_BITS_H

#include <stdbool.h>
#include <stdint.h>

/* Index of the lowest set bit of x; x must not be 0. */
static inline unsigned int pm_ctz64(uint64_t x)
{
	return (unsigned int)__builtin_ctzll(x);
}

/* Count of leading zero bits of x; x must not be 0. */
static inline unsigned int pm_clz64(uint64_t x)
{
	return (unsigned int)__builtin_clzll(x);
}

/* 1-based index of the highest set bit (Linux fls64): 0 for x == 0. */
static inline unsigned int pm_fls64(uint64_t x)
{
	return x ? 64u - pm_clz64(x) : 0u;
}

/* Number of set bits. */
static inline unsigned int pm_popcount64(uint64_t x)
{
	return (unsigned int)__builtin_popcountll(x);
}

/* Is x a power of two (0 is not)? */
static inline bool pm_is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* x rounded down to a multiple of align (a power of two). */
static inline uint64_t pm_align_down(uint64_t x, uint64_t align)
{
	return x & ~(align - 1);
}

/*
 * x rounded up to a multiple of align (a power of two) into *out.
 * Returns false, leaving *out alone, if the result does not fit.
 */
static inline bool pm_align_up(uint64_t x, uint64_t align, uint64_t *out)
{
	uint64_t r = (x + (align - 1)) & ~(align - 1);

	if (r < x)
		return false;
	*out = r;
	return true;
}

/* Is x a multiple of align (a power of two)? */
static inline bool pm_is_aligned(uint64_t x, uint64_t align)
{
	return (x & (align - 1)) == 0;
}

static inline uint64_t pm_min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t pm_max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

#endif /* PM_SRC_HAL_BITS_H */
