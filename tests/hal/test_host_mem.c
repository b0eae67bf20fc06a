/* Hosted pm_hal_alloc/pm_hal_free, counters and allocation fault injection. */
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "pm_test.h"
#include "procmgr/hal.h"

TestSuite(host_mem, .init = pm_test_setup);

PM_TEST(host_mem, alignment_is_honoured)
{
	for (size_t align = 1; align <= 4096; align <<= 1) {
		void *p = pm_hal_alloc(40, align);

		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % align, 0, "align %zu", align);
		memset(p, 0, 40);
		pm_hal_free(p, 40);
	}
}

PM_TEST(host_mem, counters_follow_allocations)
{
	struct pm_host_stats a, b, c;
	void *p, *q;

	pm_host_stats_get(&a);
	p = pm_hal_alloc(100, 8);
	q = pm_hal_alloc(28, 8);
	pm_host_stats_get(&b);
	cr_assert_eq(b.allocs - a.allocs, 2);
	cr_assert_eq(b.live_allocs - a.live_allocs, 2);
	cr_assert_eq(b.live_bytes - a.live_bytes, 128);
	cr_assert_geq(b.peak_bytes, b.live_bytes);
	pm_hal_free(p, 100);
	pm_hal_free(q, 28);
	pm_host_stats_get(&c);
	cr_assert_eq(c.frees - a.frees, 2);
	cr_assert_eq(c.live_allocs, a.live_allocs);
	cr_assert_eq(c.live_bytes, a.live_bytes);
}

PM_TEST(host_mem, fresh_memory_is_poisoned)
{
	unsigned char *p = pm_hal_alloc(64, 8);

	/* procmgr must never rely on pm_hal_alloc returning zeroed memory. */
	for (int i = 0; i < 64; i++)
		cr_assert_neq(p[i], 0);
	pm_hal_free(p, 64);
}

/* The switch the issue asks for: the Nth allocation fails, later ones succeed. */
PM_TEST(host_mem, fault_nth_fails_once_then_succeeds)
{
	void *p[6];
	struct pm_host_stats before, after;

	pm_host_stats_get(&before);
	pm_host_fault_alloc_nth(3);
	for (int i = 0; i < 6; i++)
		p[i] = pm_hal_alloc(16, 8);
	cr_assert_not_null(p[0]);
	cr_assert_not_null(p[1]);
	cr_assert_null(p[2], "the 3rd allocation after arming must fail");
	cr_assert_not_null(p[3], "allocations after the Nth succeed again");
	cr_assert_not_null(p[4]);
	cr_assert_not_null(p[5]);
	cr_assert_eq(pm_host_alloc_calls(), 6);
	pm_host_stats_get(&after);
	cr_assert_eq(after.failed_allocs - before.failed_allocs, 1);
	for (int i = 0; i < 6; i++)
		if (p[i])
			pm_hal_free(p[i], 16);
}

PM_TEST(host_mem, fault_nth_counts_from_arming)
{
	void *a = pm_hal_alloc(8, 8), *b, *c;

	pm_host_fault_alloc_nth(1);
	b = pm_hal_alloc(8, 8);
	c = pm_hal_alloc(8, 8);
	cr_assert_not_null(a);
	cr_assert_null(b, "n=1 is the very next call");
	cr_assert_not_null(c);
	pm_hal_free(a, 8);
	pm_hal_free(c, 8);
}

PM_TEST(host_mem, fault_after_fails_every_later_call)
{
	void *p[5];

	pm_host_fault_alloc_after(2);
	for (int i = 0; i < 5; i++)
		p[i] = pm_hal_alloc(8, 8);
	cr_assert_not_null(p[0]);
	cr_assert_not_null(p[1]);
	cr_assert_null(p[2]);
	cr_assert_null(p[3]);
	cr_assert_null(p[4]);
	pm_host_fault_reset();
	p[2] = pm_hal_alloc(8, 8);
	cr_assert_not_null(p[2], "reset disarms the switch");
	cr_assert_eq(pm_host_alloc_calls(), 1, "reset restarts the call counter");
	for (int i = 0; i < 3; i++)
		pm_hal_free(p[i], 8);
}

PM_TEST(host_mem, fault_after_zero_fails_at_once)
{
	pm_host_fault_alloc_after(0);
	cr_assert_null(pm_hal_alloc(8, 8));
}

PM_TEST(host_mem, fault_nth_zero_disarms)
{
	void *p;

	pm_host_fault_alloc_after(0);
	pm_host_fault_alloc_nth(0);
	p = pm_hal_alloc(8, 8);
	cr_assert_not_null(p, "arming nth replaces an earlier 'after' fault");
	pm_hal_free(p, 8);
}

PM_TEST(host_mem, free_with_wrong_size_panics, .signal = SIGABRT)
{
	void *p = pm_hal_alloc(32, 8);

	pm_hal_free(p, 33);
}

PM_TEST(host_mem, free_of_foreign_pointer_panics, .signal = SIGABRT)
{
	static uint64_t not_ours[8];

	pm_hal_free(&not_ours[4], 8);
}

PM_TEST(host_mem, zero_size_alloc_panics, .signal = SIGABRT)
{
	(void)pm_hal_alloc(0, 8);
}

PM_TEST(host_mem, bad_alignment_panics, .signal = SIGABRT)
{
	(void)pm_hal_alloc(8, 24);
}
