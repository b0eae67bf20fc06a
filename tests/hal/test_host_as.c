/* Hosted address spaces and user memory (simulated and real). */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "pm_test.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

#define PG   PM_PAGE_SIZE
#define RW   (PM_PROT_READ | PM_PROT_WRITE)
#define ANON (PM_MAP_PRIVATE | PM_MAP_ANONYMOUS)

static struct pm_hal_as *as;

static void setup(void)
{
	pm_test_setup();
	as = pm_host_as_create(false);
	cr_assert_not_null(as);
	pm_host_as_set_current(as);
}

static void teardown(void)
{
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
}

TestSuite(host_as, .init = setup, .fini = teardown);

PM_TEST(host_as, map_copy_round_trip_at_any_address)
{
	char msg[] = "hello, user space";
	char back[sizeof(msg)];

	cr_assert_eq(pm_hal_as_map(as, 0x400000, 2 * PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_copy_to_user(0x400ff8, msg, sizeof(msg)), 0,
	             "across the page boundary");
	cr_assert_eq(pm_hal_copy_from_user(back, 0x400ff8, sizeof(back)), 0);
	cr_assert_str_eq(back, msg);
	cr_assert_str_eq((char *)pm_host_as_ptr(as, 0x400ff8, sizeof(msg)), msg);
}

PM_TEST(host_as, no_current_space_faults)
{
	char b[4];

	pm_host_as_set_current(NULL);
	cr_assert_eq(pm_hal_copy_from_user(b, 0x1000, 4), -PM_EFAULT);
	cr_assert_eq(pm_hal_copy_to_user(0x1000, b, 4), -PM_EFAULT);
	cr_assert_eq(pm_hal_clear_user(0x1000, 4), -PM_EFAULT);
}

PM_TEST(host_as, map_refuses_overlap)
{
	cr_assert_eq(pm_hal_as_map(as, 0x10000, 4 * PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_map(as, 0x13000, 2 * PG, RW, ANON, NULL, 0), -PM_EEXIST);
	cr_assert_eq(pm_hal_as_map(as, 0xf000, 2 * PG, RW, ANON, NULL, 0), -PM_EEXIST);
	cr_assert_eq(pm_hal_as_map(as, 0x14000, PG, RW, ANON, NULL, 0), 0, "adjacent is fine");
	cr_assert_eq(pm_host_as_count(as), 2);
}

PM_TEST(host_as, unmap_middle_splits)
{
	struct pm_host_mapping m;
	char b = 0;

	cr_assert_eq(pm_hal_as_map(as, 0x10000, 5 * PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_copy_to_user(0x13000, "x", 1), 0);
	cr_assert_eq(pm_hal_as_unmap(as, 0x11000, 2 * PG), 0);
	cr_assert_eq(pm_host_as_count(as), 2);
	cr_assert(pm_host_as_query(as, 0x10000, &m));
	cr_assert_eq(m.start, 0x10000);
	cr_assert_eq(m.end, 0x11000);
	cr_assert(!pm_host_as_query(as, 0x11000, &m));
	cr_assert(!pm_host_as_query(as, 0x12fff, &m));
	cr_assert(pm_host_as_query(as, 0x13000, &m));
	cr_assert_eq(m.start, 0x13000);
	cr_assert_eq(m.end, 0x15000);
	cr_assert_eq(pm_hal_copy_from_user(&b, 0x13000, 1), 0);
	cr_assert_eq(b, 'x', "the upper half keeps its bytes after the split");
	cr_assert_eq(pm_hal_copy_from_user(&b, 0x11000, 1), -PM_EFAULT);
}

PM_TEST(host_as, unmap_across_several_and_holes)
{
	cr_assert_eq(pm_hal_as_map(as, 0x10000, PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_map(as, 0x12000, PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_map(as, 0x14000, 2 * PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_unmap(as, 0x10000, 5 * PG), 0);
	cr_assert_eq(pm_host_as_count(as), 1);
	cr_assert_eq(pm_hal_as_unmap(as, 0x30000, 4 * PG), 0, "unmapping nothing succeeds");
}

PM_TEST(host_as, protect_splits_and_enforces)
{
	struct pm_host_mapping m;

	cr_assert_eq(pm_hal_as_map(as, 0x20000, 3 * PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_protect(as, 0x21000, PG, PM_PROT_READ), 0);
	cr_assert_eq(pm_host_as_count(as), 3);
	cr_assert(pm_host_as_query(as, 0x21000, &m));
	cr_assert_eq(m.prot, PM_PROT_READ);
	cr_assert_eq(pm_hal_copy_to_user(0x21000, "a", 1), -PM_EFAULT);
	cr_assert_eq(pm_hal_copy_to_user(0x20fff, "ab", 2), -PM_EFAULT, "straddles into read-only");
	cr_assert_eq(pm_hal_copy_to_user(0x22000, "a", 1), 0);
	cr_assert_eq(pm_hal_as_protect(as, 0x22000, 2 * PG, PM_PROT_READ), -PM_ENOMEM,
	             "protecting an unmapped page fails like mprotect");
	cr_assert(pm_host_as_query(as, 0x22000, &m));
	cr_assert_eq(m.prot, RW, "a failed protect changes nothing");
	cr_assert_eq(pm_hal_as_protect(as, 0x20000, PG, PM_PROT_NONE), 0);
	cr_assert_eq(pm_hal_copy_from_user(&m, 0x20000, 1), -PM_EFAULT, "PROT_NONE is unreadable");
}

PM_TEST(host_as, forced_write_ignores_protection)
{
	char b[3] = {0};

	cr_assert_eq(pm_hal_as_map(as, 0x30000, PG, PM_PROT_READ, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_write(as, 0x30010, "hi", 3), 0);
	cr_assert_eq(pm_hal_copy_from_user(b, 0x30010, 3), 0);
	cr_assert_str_eq(b, "hi");
	cr_assert_eq(pm_hal_as_clear(as, 0x30010, 3), 0);
	cr_assert_eq(pm_hal_copy_from_user(b, 0x30010, 3), 0);
	cr_assert_eq(b[0], 0);
	cr_assert_eq(pm_hal_as_write(as, 0x30ffe, "abcd", 4), -PM_EFAULT, "runs off the mapping");
	cr_assert_eq(pm_hal_as_write(as, 0x30000, "", 0), 0);
}

PM_TEST(host_as, map_anywhere_avoids_mappings)
{
	pm_uaddr_t a, b;

	cr_assert_eq(pm_host_as_map_anywhere(as, 3 * PG, RW, &a), 0);
	cr_assert_eq(pm_host_as_map_anywhere(as, 100, RW, &b), 0);
	cr_assert(b >= a + 3 * PG || b + PG <= a);
	cr_assert_eq(pm_host_as_map_anywhere(as, 0, RW, &b), -PM_EINVAL);
}

PM_TEST(host_as, fork_range_private_copies_shared_shares)
{
	struct pm_hal_as *child = pm_host_as_create(false);
	char b = 0;

	cr_assert_eq(pm_hal_as_map(as, 0x50000, 2 * PG, RW, ANON, NULL, 0), 0);
	cr_assert_eq(pm_hal_as_map(as, 0x60000, PG, RW, PM_MAP_SHARED | PM_MAP_ANONYMOUS, NULL, 0),
	             0);
	cr_assert_eq(pm_hal_copy_to_user(0x50000, "p", 1), 0);
	cr_assert_eq(pm_hal_copy_to_user(0x60000, "s", 1), 0);
	cr_assert_eq(pm_hal_as_fork_range(child, as, 0x50000, 2 * PG, PM_MAP_PRIVATE), 0);
	cr_assert_eq(pm_hal_as_fork_range(child, as, 0x60000, PG, PM_MAP_SHARED), 0);
	cr_assert_eq(pm_hal_as_fork_range(child, as, 0x60000, PG, PM_MAP_SHARED), -PM_EEXIST);
	/* The parent writes after the fork. */
	cr_assert_eq(pm_hal_copy_to_user(0x50000, "P", 1), 0);
	cr_assert_eq(pm_hal_copy_to_user(0x60000, "S", 1), 0);
	pm_host_as_set_current(child);
	cr_assert_eq(pm_hal_copy_from_user(&b, 0x50000, 1), 0);
	cr_assert_eq(b, 'p', "private memory is the child's own copy");
	cr_assert_eq(pm_hal_copy_from_user(&b, 0x60000, 1), 0);
	cr_assert_eq(b, 'S', "shared memory is shared");
	pm_host_as_set_current(as);
	pm_host_as_destroy(child);
}

PM_TEST(host_as, fork_range_fails_cleanly_without_memory)
{
	struct pm_hal_as *child = pm_host_as_create(false);

	cr_assert_eq(pm_hal_as_fork_range(child, as, 0x50000, PG, PM_MAP_PRIVATE), -PM_ENOMEM,
	             "an unmapped source range is refused");
	cr_assert_eq(pm_host_as_count(child), 0);
	pm_host_as_destroy(child);
}

PM_TEST(host_as, copy_fault_injection)
{
	char b[2] = {0};

	cr_assert_eq(pm_hal_as_map(as, 0x70000, PG, RW, ANON, NULL, 0), 0);
	pm_host_fault_copy_nth(2);
	cr_assert_eq(pm_hal_copy_to_user(0x70000, "a", 1), 0);
	cr_assert_eq(pm_hal_copy_from_user(b, 0x70000, 1), -PM_EFAULT, "the 2nd copy faults");
	cr_assert_eq(pm_hal_copy_from_user(b, 0x70000, 1), 0, "and only the 2nd");
	cr_assert_eq(b[0], 'a');
}

PM_TEST(host_as, bad_range_from_procmgr_panics, .signal = SIGABRT)
{
	(void)pm_hal_as_map(as, 0x1001, PG, RW, ANON, NULL, 0);
}

/* A real address space maps into this very process. */
PM_TEST(host_as, real_space_maps_process_memory)
{
	struct pm_hal_as *real = pm_host_as_create(true);
	pm_uaddr_t at;
	char b[6] = {0};

	cr_assert_eq(pm_host_as_map_anywhere(real, 2 * PG, RW, &at), 0);
	pm_host_as_set_current(real);
	cr_assert_eq(pm_hal_copy_to_user(at + 10, "hello", 6), 0);
	cr_assert_str_eq((char *)(uintptr_t)(at + 10), "hello", "user address == host address");
	cr_assert_eq(pm_hal_as_protect(real, at, PG, PM_PROT_READ), 0);
	cr_assert_eq(pm_hal_copy_to_user(at, "x", 1), -PM_EFAULT);
	cr_assert_eq(pm_hal_as_write(real, at, "y", 1), 0, "forced write through mprotect");
	cr_assert_eq(*(char *)(uintptr_t)at, 'y');
	cr_assert_eq(pm_hal_as_map(real, at, PG, RW, ANON, NULL, 0), -PM_EEXIST);
	cr_assert_eq(pm_hal_as_unmap(real, at, 2 * PG), 0);
	cr_assert_eq(pm_hal_copy_from_user(b, at + 10, 1), -PM_EFAULT);
	pm_host_as_set_current(as);
	pm_host_as_destroy(real);
}

PM_TEST(host_as, real_space_refuses_occupied_addresses)
{
	struct pm_hal_as *real = pm_host_as_create(true);
	void *mine = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(mine, MAP_FAILED);
	cr_assert_eq(pm_hal_as_map(real, (pm_uaddr_t)(uintptr_t)mine, PG, RW, ANON, NULL, 0),
	             -PM_EEXIST, "memory the space does not know about is still not replaced");
	munmap(mine, PG);
	pm_host_as_destroy(real);
}
