/* SPDX-License-Identifier: MIT */
/*
 * Checked access to user memory. Modules call these, never the HAL's copy
 * functions directly: the range is checked for wrap-around in integer space
 * first, and strings are read page by page so a string that ends just
 * before an unmapped page is read without touching that page.
 *
 * Context for all: no procmgr lock held (they call HAL functions that may
 * sleep).
 */
#ifndef PM_SRC_HAL_UACCESS_H
#define PM_SRC_HAL_UACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "procmgr/types.h"

/* 0, or -PM_EFAULT if [uaddr, uaddr + n) wraps or the HAL faults. */
int pm_copy_from_user(void *dst, pm_uaddr_t uaddr, size_t n);
int pm_copy_to_user(pm_uaddr_t uaddr, const void *src, size_t n);
int pm_clear_user(pm_uaddr_t uaddr, size_t n);

/*
 * Length of the NUL-terminated user string at uaddr, looking at no more
 * than max bytes (Linux strnlen_user). On 0, *len is the length including
 * the NUL, or max + 1 if no NUL lies in the first max bytes.
 * Returns -PM_EFAULT if a byte before the NUL (or before max) is unreadable.
 */
int pm_strnlen_user(pm_uaddr_t uaddr, size_t max, size_t *len);

/*
 * Copy the NUL-terminated user string at uaddr into dst (size bytes, > 0).
 * On 0, dst holds the string and *len its length without the NUL.
 * -PM_ENAMETOOLONG if it does not fit (dst is then undefined);
 * -PM_EFAULT on a fault; -PM_EINVAL if size is 0.
 */
int pm_strncpy_from_user(char *dst, pm_uaddr_t uaddr, size_t size, size_t *len);

#endif /* PM_SRC_HAL_UACCESS_H */
