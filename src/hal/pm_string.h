/* SPDX-License-Identifier: MIT */
/*
 * Memory functions for library code. Library files may not include
 * <string.h>; these map to the compiler builtins, which inline small fixed
 * sizes and otherwise call the memcpy/memset/memmove/memcmp every kernel
 * provides (the only non-HAL symbols the archive may need).
 */
#ifndef PM_SRC_HAL_STRING_H
#define PM_SRC_HAL_STRING_H

#include <stddef.h>

#define pm_memcpy(d, s, n)  __builtin_memcpy((d), (s), (n))
#define pm_memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define pm_memset(d, c, n)  __builtin_memset((d), (c), (n))
#define pm_memcmp(a, b, n)  __builtin_memcmp((a), (b), (n))

/* strlen bounded by max, for kernel-memory strings (never user memory). */
static inline size_t pm_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* strcmp for kernel-memory strings. */
static inline int pm_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

#endif /* PM_SRC_HAL_STRING_H */
