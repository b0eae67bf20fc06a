/* Checked user access (src/hal/uaccess.c) over the hosted HAL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pm_test.h"
#include "hal/pm_uaccess.h"
#include "procmgr/errno.h"

#define PG PM_PAGE_SIZE

static struct pm_hal_as *as;

static void setup(void)
{
	pm_test_setup();
	as = pm_host_as_create(false);
	pm_host_as_set_current(as);
	/* Two readable pages at 0x10000 with nothing after them. */
	cr_assert_eq(pm_hal_as_map(as, 0x10000, 2 * PG, PM_PROT_READ | PM_PROT_WRITE,
	                           PM_MAP_PRIVATE | PM_MAP_ANONYMOUS, NULL, 0),
	             0);
}

static void teardown(void)
{
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
}

TestSuite(uaccess, .init = setup, .fini = teardown);

static void put(pm_uaddr_t at, const char *s, size_t n)
{
	cr_assert_eq(pm_hal_as_write(as, at, s, n), 0);
}

PM_TEST(uaccess, wrapping_ranges_fault_before_the_hal)
{
	char b[16];
	struct pm_host_stats before, after;

	pm_host_stats_get(&before);
	cr_assert_eq(pm_copy_from_user(b, UINT64_MAX - 4, 16), -PM_EFAULT);
	cr_assert_eq(pm_copy_to_user(UINT64_MAX - 4, b, 16), -PM_EFAULT);
	cr_assert_eq(pm_clear_user(UINT64_MAX, 2), -PM_EFAULT);
	pm_host_stats_get(&after);
	cr_assert_eq(after.user_copies, before.user_copies, "the HAL never saw a wrapping range");
}

PM_TEST(uaccess, zero_length_never_reaches_the_hal)
{
	cr_assert_eq(pm_copy_from_user(NULL, 0xdead0000, 0), 0);
	cr_assert_eq(pm_copy_to_user(0xdead0000, NULL, 0), 0);
	cr_assert_eq(pm_clear_user(0xdead0000, 0), 0);
}

PM_TEST(uaccess, copies_pass_through)
{
	char b[4] = {0};

	cr_assert_eq(pm_copy_to_user(0x10010, "abc", 4), 0);
	cr_assert_eq(pm_copy_from_user(b, 0x10010, 4), 0);
	cr_assert_str_eq(b, "abc");
	cr_assert_eq(pm_clear_user(0x10010, 2), 0);
	cr_assert_eq(pm_copy_from_user(b, 0x10010, 4), 0);
	cr_assert_eq(b[0], 0);
	cr_assert_eq(b[2], 'c');
	cr_assert_eq(pm_copy_from_user(b, 0x11ffe, 4), -PM_EFAULT);
}

PM_TEST(uaccess, strnlen_counts_the_nul)
{
	size_t len = 0;

	put(0x10100, "hello", 6);
	cr_assert_eq(pm_strnlen_user(0x10100, 100, &len), 0);
	cr_assert_eq(len, 6);
	cr_assert_eq(pm_strnlen_user(0x10100, 6, &len), 0);
	cr_assert_eq(len, 6);
	cr_assert_eq(pm_strnlen_user(0x10100, 5, &len), 0);
	cr_assert_eq(len, 6, "no NUL within max: max + 1");
	cr_assert_eq(pm_strnlen_user(0x10100, 0, &len), 0);
	cr_assert_eq(len, 1);
}

/* A string ending in the last byte before an unmapped page is fine: the
 * scan must not touch the next page (Linux's strnlen_user does the same). */
PM_TEST(uaccess, string_ending_at_the_last_mapped_byte)
{
	pm_uaddr_t end = 0x12000;
	size_t len = 0;
	char dst[16];

	put(end - 4, "abc", 4);
	cr_assert_eq(pm_strnlen_user(end - 4, 1000, &len), 0);
	cr_assert_eq(len, 4);
	cr_assert_eq(pm_strncpy_from_user(dst, end - 4, sizeof(dst), &len), 0);
	cr_assert_eq(len, 3);
	cr_assert_str_eq(dst, "abc");
}

PM_TEST(uaccess, string_running_into_unmapped_memory_faults)
{
	size_t len = 0;
	char dst[16];

	put(0x12000 - 3, "abc", 3); /* no NUL before the end of the mapping */
	cr_assert_eq(pm_strnlen_user(0x12000 - 3, 1000, &len), -PM_EFAULT);
	cr_assert_eq(pm_strncpy_from_user(dst, 0x12000 - 3, sizeof(dst), &len), -PM_EFAULT);
	cr_assert_eq(pm_strnlen_user(0x12000 - 3, 3, &len), 0, "but max stops before the fault");
	cr_assert_eq(len, 4);
	cr_assert_eq(pm_strnlen_user(0x40000, 10, &len), -PM_EFAULT);
}

PM_TEST(uaccess, long_strings_cross_many_chunks)
{
	static char big[3000];
	size_t len = 0;
	char *dst = malloc(sizeof(big));

	memset(big, 'x', sizeof(big) - 1);
	put(0x10000 + 1000, big, sizeof(big));
	cr_assert_eq(pm_strnlen_user(0x10000 + 1000, 5000, &len), 0);
	cr_assert_eq(len, sizeof(big));
	cr_assert_eq(pm_strncpy_from_user(dst, 0x10000 + 1000, sizeof(big), &len), 0);
	cr_assert_eq(len, sizeof(big) - 1);
	cr_assert_eq(memcmp(dst, big, sizeof(big)), 0);
	cr_assert_eq(pm_strncpy_from_user(dst, 0x10000 + 1000, sizeof(big) - 1, &len),
	             -PM_ENAMETOOLONG);
	free(dst);
}

PM_TEST(uaccess, strncpy_rejects_zero_size)
{
	size_t len;
	char c;

	cr_assert_eq(pm_strncpy_from_user(&c, 0x10000, 0, &len), -PM_EINVAL);
}

PM_TEST(uaccess, injected_copy_fault_surfaces)
{
	size_t len;

	put(0x10200, "abc", 4);
	pm_host_fault_copy_nth(1);
	cr_assert_eq(pm_strnlen_user(0x10200, 100, &len), -PM_EFAULT);
	cr_assert_eq(pm_strnlen_user(0x10200, 100, &len), 0);
}
