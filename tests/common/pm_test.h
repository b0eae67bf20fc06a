/* SPDX-License-Identifier: MIT */
/*
 * Shared harness for Criterion suites. Every test starts from a clean
 * hosted HAL (no armed faults, no virtual files, no events) and must end
 * with nothing leaked: no live allocations, no held locks and no open files
 * beyond those it started with.
 *
 * Criterion 2.4 ignores failures and crashes in .fini fixtures, so the end
 * check cannot live there: PM_TEST wraps each test body instead.
 *
 *   TestSuite(pool, .init = pm_test_setup);
 *   PM_TEST(pool, reuse) { ... }
 *   PM_TEST(pool, panics, .signal = SIGABRT) { ... }
 */
#ifndef PM_TEST_H
#define PM_TEST_H

#include <criterion/criterion.h>

#include "procmgr/host.h"

/* Criterion .init fixture: a clean hosted HAL. */
static inline void pm_test_setup(void)
{
	pm_host_reset();
}

struct pm_test_mark {
	uint64_t live_allocs;
	uint64_t files_open;
};

static inline struct pm_test_mark pm_test_begin_(void)
{
	struct pm_host_stats s;
	struct pm_test_mark m;

	pm_host_stats_get(&s);
	m.live_allocs = s.live_allocs;
	m.files_open = pm_host_files_open();
	return m;
}

static inline void pm_test_end_(struct pm_test_mark m)
{
	struct pm_host_stats s;

	pm_host_stats_get(&s);
	pm_host_fault_reset();
	cr_assert_eq(s.live_allocs, m.live_allocs,
	             "leak: %llu allocations live at the start, %llu at the end",
	             (unsigned long long)m.live_allocs, (unsigned long long)s.live_allocs);
	cr_assert_eq(pm_host_locks_held(), 0, "a lock is still held at the end of the test");
	cr_assert_eq(pm_host_files_open(), m.files_open, "a file was left open");
}

/* A Criterion test whose body must leave no allocation, lock or file behind. */
#define PM_TEST(suite, name, ...)                                \
	static void pm_body_##suite##_##name(void);              \
	Test(suite, name, ##__VA_ARGS__)                         \
	{                                                        \
		struct pm_test_mark pm_mark_ = pm_test_begin_(); \
		pm_body_##suite##_##name();                      \
		pm_test_end_(pm_mark_);                          \
	}                                                        \
	static void pm_body_##suite##_##name(void)

#endif /* PM_TEST_H */
