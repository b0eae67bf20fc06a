/* SPDX-License-Identifier: MIT */
/* Checked user-memory access on top of the HAL's copy functions. */
#include "hal/pm_uaccess.h"

#include "procmgr/errno.h"
#include "procmgr/hal.h"
#include "hal/pm_bits.h"
#include "hal/pm_checked.h"

/* Bytes read per HAL call when scanning strings; never crosses a page. */
#define PM_STR_CHUNK 256u

static int range_wraps(pm_uaddr_t uaddr, size_t n)
{
	uint64_t end;

	return pm_add_overflow_u64(uaddr, (uint64_t)n, &end);
}

int pm_copy_from_user(void *dst, pm_uaddr_t uaddr, size_t n)
{
	if (range_wraps(uaddr, n))
		return -PM_EFAULT;
	if (n == 0)
		return 0;
	return pm_hal_copy_from_user(dst, uaddr, n) ? -PM_EFAULT : 0;
}

int pm_copy_to_user(pm_uaddr_t uaddr, const void *src, size_t n)
{
	if (range_wraps(uaddr, n))
		return -PM_EFAULT;
	if (n == 0)
		return 0;
	return pm_hal_copy_to_user(uaddr, src, n) ? -PM_EFAULT : 0;
}

int pm_clear_user(pm_uaddr_t uaddr, size_t n)
{
	if (range_wraps(uaddr, n))
		return -PM_EFAULT;
	if (n == 0)
		return 0;
	return pm_hal_clear_user(uaddr, n) ? -PM_EFAULT : 0;
}

/* Bytes that can be read at addr without crossing into the next page. */
static size_t chunk_at(pm_uaddr_t addr, size_t left)
{
	uint64_t to_page = PM_PAGE_SIZE - (addr & (PM_PAGE_SIZE - 1));

	return (size_t)pm_min_u64(pm_min_u64(to_page, PM_STR_CHUNK), left);
}

/*
 * Walk the string at uaddr for at most max bytes, copying into dst when it
 * is not NULL. Sets *len to the length including the NUL, or max + 1.
 */
static int scan_user_string(char *dst, pm_uaddr_t uaddr, size_t max, size_t *len)
{
	char buf[PM_STR_CHUNK];
	size_t done = 0;

	while (done < max) {
		uint64_t addr;
		size_t n;

		if (pm_add_overflow_u64(uaddr, done, &addr))
			return -PM_EFAULT;
		n = chunk_at(addr, max - done);
		if (range_wraps(addr, n) || pm_hal_copy_from_user(buf, addr, n))
			return -PM_EFAULT;
		for (size_t i = 0; i < n; i++) {
			if (dst)
				dst[done + i] = buf[i];
			if (buf[i] == '\0') {
				*len = done + i + 1;
				return 0;
			}
		}
		done += n;
	}
	*len = max + 1;
	return 0;
}

int pm_strnlen_user(pm_uaddr_t uaddr, size_t max, size_t *len)
{
	return scan_user_string(NULL, uaddr, max, len);
}

int pm_strncpy_from_user(char *dst, pm_uaddr_t uaddr, size_t size, size_t *len)
{
	size_t n = 0;
	int err;

	if (size == 0)
		return -PM_EINVAL;
	err = scan_user_string(dst, uaddr, size, &n);
	if (err)
		return err;
	if (n > size)
		return -PM_ENAMETOOLONG;
	*len = n - 1;
	return 0;
}
