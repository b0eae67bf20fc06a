/* The HAL conformance test (tests/conformance) run against the hosted port. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_test.h"
#include "pm_hal_conformance.h"
#include "procmgr/errno.h"

#define PG PM_PAGE_SIZE

TestSuite(conformance, .init = pm_test_setup);

static int checks_run;

static void report(void *ctx, const char *check, bool ok, const char *detail)
{
	(void)ctx;
	checks_run++;
	if (!ok)
		fprintf(stderr, "conformance: %s: %s\n", check, detail);
}

static struct pm_hal_file *pattern_file(uint64_t size)
{
	unsigned char *data = malloc(size);
	struct pm_host_file_spec s = {.path = "/conformance/file", .data = data, .size = size};
	struct pm_hal_file *f = NULL;

	for (uint64_t i = 0; i < size; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	cr_assert_eq(pm_host_file_add(&s), 0);
	free(data);
	cr_assert_eq(pm_hal_file_open_exec("/conformance/file", &f), 0);
	return f;
}

static void run_on(bool real)
{
	struct pm_hal_as *as = pm_host_as_create(real);
	struct pm_hal_conformance_env env = {.report = report};
	pm_uaddr_t rw, ro, gap, free_range;
	struct pm_hal_file *f = pattern_file(5000);

	cr_assert_eq(pm_host_as_map_anywhere(as, 2 * PG, PM_PROT_READ | PM_PROT_WRITE, &rw), 0);
	cr_assert_eq(pm_host_as_map_anywhere(as, PG, PM_PROT_READ, &ro), 0);
	/* Reserve a range, then free it: nothing is mapped there afterwards. */
	cr_assert_eq(pm_host_as_map_anywhere(as, 5 * PG, PM_PROT_NONE, &gap), 0);
	cr_assert_eq(pm_hal_as_unmap(as, gap, 5 * PG), 0);
	free_range = gap;
	pm_host_as_set_current(as);
	env.user_rw = rw;
	env.user_rw_size = 2 * PG;
	env.user_ro = ro;
	env.user_unmapped = gap + 4 * PG;
	env.as = as;
	env.as_free = free_range;
	env.file = f;
	env.file_size = 5000;
	checks_run = 0;
	cr_assert_eq(pm_hal_conformance_run(&env), 0, "the hosted HAL must conform (%s space)",
	             real ? "real" : "simulated");
	cr_assert_geq(checks_run, 25, "every check ran");
	pm_host_as_set_current(NULL);
	pm_hal_file_put(f);
	pm_host_as_destroy(as);
}

PM_TEST(conformance, simulated_address_space)
{
	run_on(false);
}

PM_TEST(conformance, real_address_space)
{
	run_on(true);
}

/* Run with only the required parts: two writable pages and an unmapped
 * address. ro_is_rw claims the writable pages are read-only as well. */
static int run_minimal(bool ro_is_rw)
{
	struct pm_hal_as *as = pm_host_as_create(false);
	struct pm_hal_conformance_env env = {.report = report};
	int failures;

	cr_assert_eq(
	    pm_host_as_map_anywhere(as, 2 * PG, PM_PROT_READ | PM_PROT_WRITE, &env.user_rw), 0);
	env.user_rw_size = 2 * PG;
	env.user_unmapped = 0x7000000000;
	if (ro_is_rw)
		env.user_ro = env.user_rw;
	pm_host_as_set_current(as);
	failures = pm_hal_conformance_run(&env);
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
	return failures;
}

PM_TEST(conformance, minimal_environment)
{
	cr_assert_eq(run_minimal(false), 0, "optional parts are skipped");
}

PM_TEST(conformance, refuses_incomplete_environment)
{
	struct pm_hal_conformance_env env = {0};

	cr_assert_eq(pm_hal_conformance_run(NULL), -PM_EINVAL);
	cr_assert_eq(pm_hal_conformance_run(&env), -PM_EINVAL);
	env.user_rw = 0x10000;
	env.user_rw_size = PG;
	env.user_unmapped = 0x90000;
	cr_assert_eq(pm_hal_conformance_run(&env), -PM_EINVAL, "needs two pages");
}

/* The test can fail: a HAL that lets a write through to read-only memory
 * is caught. Claiming a writable page is read-only makes the (correct) HAL
 * look like one, and exactly that check must report it. */
PM_TEST(conformance, detects_a_broken_hal)
{
	cr_assert_eq(run_minimal(true), 1);
}
