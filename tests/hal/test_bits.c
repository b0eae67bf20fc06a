/* Bit operations, alignment and checked arithmetic (src/hal/pm_bits.h, pm_checked.h). */
#include <stdint.h>

#include "pm_test.h"
#include "hal/pm_bits.h"
#include "hal/pm_checked.h"
#include "procmgr/types.h"

TestSuite(bits, .init = pm_test_setup);

PM_TEST(bits, ctz_clz_fls_popcount)
{
	cr_assert_eq(pm_ctz64(1), 0);
	cr_assert_eq(pm_ctz64(0x8000000000000000ull), 63);
	cr_assert_eq(pm_ctz64(0x50), 4);
	cr_assert_eq(pm_clz64(1), 63);
	cr_assert_eq(pm_clz64(UINT64_MAX), 0);
	cr_assert_eq(pm_fls64(0), 0);
	cr_assert_eq(pm_fls64(1), 1);
	cr_assert_eq(pm_fls64(0x80), 8);
	cr_assert_eq(pm_fls64(UINT64_MAX), 64);
	cr_assert_eq(pm_popcount64(0), 0);
	cr_assert_eq(pm_popcount64(UINT64_MAX), 64);
	cr_assert_eq(pm_popcount64(0xf0f0), 8);
}

PM_TEST(bits, pow2_and_alignment)
{
	uint64_t out = 7;

	cr_assert(!pm_is_pow2(0));
	cr_assert(pm_is_pow2(1));
	cr_assert(pm_is_pow2(4096));
	cr_assert(!pm_is_pow2(4095));
	cr_assert(pm_is_pow2(0x8000000000000000ull));
	cr_assert_eq(pm_align_down(0x1fff, 0x1000), 0x1000);
	cr_assert_eq(pm_align_down(0x1000, 0x1000), 0x1000);
	cr_assert(pm_align_up(0x1001, 0x1000, &out));
	cr_assert_eq(out, 0x2000);
	cr_assert(pm_align_up(0x1000, 0x1000, &out));
	cr_assert_eq(out, 0x1000);
	cr_assert(pm_align_up(0, 0x1000, &out));
	cr_assert_eq(out, 0);
	out = 7;
	cr_assert(!pm_align_up(UINT64_MAX - 10, 0x1000, &out), "rounding up past 2^64 must fail");
	cr_assert_eq(out, 7, "a failed align_up leaves the output alone");
	cr_assert(pm_is_aligned(0x3000, 0x1000));
	cr_assert(!pm_is_aligned(0x3008, 0x1000));
	cr_assert_eq(pm_min_u64(3, 9), 3);
	cr_assert_eq(pm_max_u64(3, 9), 9);
}

PM_TEST(bits, checked_arithmetic)
{
	uint64_t u;
	size_t s;
	int64_t i;

	cr_assert(!pm_add_overflow_u64(1, 2, &u));
	cr_assert_eq(u, 3);
	cr_assert(pm_add_overflow_u64(UINT64_MAX, 1, &u));
	cr_assert(!pm_sub_overflow_u64(5, 5, &u));
	cr_assert_eq(u, 0);
	cr_assert(pm_sub_overflow_u64(4, 5, &u));
	cr_assert(!pm_mul_overflow_u64(1ull << 31, 1ull << 32, &u));
	cr_assert_eq(u, 1ull << 63);
	cr_assert(pm_mul_overflow_u64(1ull << 32, 1ull << 32, &u));
	cr_assert(pm_add_overflow_size(SIZE_MAX, 1, &s));
	cr_assert(!pm_mul_overflow_size(1000, 1000, &s));
	cr_assert_eq(s, 1000000);
	cr_assert(pm_mul_overflow_size(SIZE_MAX / 2 + 1, 2, &s));
	cr_assert(pm_add_overflow_i64(INT64_MAX, 1, &i));
	cr_assert(!pm_add_overflow_i64(-5, 3, &i));
	cr_assert_eq(i, -2);
}

PM_TEST(bits, range_ok)
{
	cr_assert(pm_range_ok(0, 0, 0));
	cr_assert(pm_range_ok(0x1000, 0x1000, 0x2000));
	cr_assert(!pm_range_ok(0x1000, 0x1001, 0x2000));
	cr_assert(!pm_range_ok(UINT64_MAX, 2, UINT64_MAX), "wrap-around is caught");
	cr_assert(pm_range_ok(0x2000, 0, 0x2000));
	cr_assert(!pm_range_ok(0x2001, 0, 0x2000));
}

struct outer {
	int a;
	long b;
	struct inner {
		char c;
	} in;
};

PM_TEST(bits, container_of_and_array_size)
{
	struct outer o;
	struct inner *ip = &o.in;
	long *bp = &o.b;
	int arr[17];

	cr_assert_eq(pm_container_of(ip, struct outer, in), &o);
	cr_assert_eq(pm_container_of(bp, struct outer, b), &o);
	cr_assert_eq(PM_ARRAY_SIZE(arr), 17);
}
