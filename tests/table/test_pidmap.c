/* SPDX-License-Identifier: MIT */
/*
 * The pid radix map (src/ns/pidns_map.c) in isolation: Linux alloc_pid's
 * cyclic allocation (idr_alloc_cyclic from the cursor, wrapping to
 * RESERVED_PIDS once the cursor passed it), lookup, removal and ordered
 * walk, with the node bitmaps checked after every step.
 */
#include <stdlib.h>

#include "pm_test.h"
#include "procmgr/errno.h"
#include "procmgr/table.h"
#include "ns/pidns_internal.h"
#include "table/table_internal.h"

TestSuite(pidmap, .init = pm_test_setup);

#define ENTRY ((struct pm_pid *)(uintptr_t)0x1000)

static int map_alloc(struct pm_table *t, pm_pid_t *nr)
{
	struct pidmap_stash s = {NULL, 0};
	int err;

	pm_table_lock(t);
	cr_assert_eq(pidmap_stash_prepare_locked_(t, &s, t->root_ns.map.height), 0);
	err = pidmap_alloc_cyclic_(&t->root_ns, ENTRY, &s, nr);
	pidmap_stash_drain_locked_(t, &s);
	pm_table_unlock(t);
	return err;
}

static void map_remove(struct pm_table *t, pm_pid_t nr)
{
	pm_table_lock(t);
	pidmap_remove_(t, &t->root_ns.map, nr);
	pm_table_unlock(t);
}

static void map_check(struct pm_table *t)
{
	const char *why = "ok";
	uint64_t nodes = 0;

	cr_assert_eq(pidmap_check_(&t->root_ns.map, t->root_ns.pid_max, &nodes, &why), 0, "%s",
	             why);
	cr_assert_eq(nodes, t->live_nodes);
}

static void map_clear(struct pm_table *t)
{
	struct pm_pid *p;
	pm_pid_t nr = 0;

	while ((p = pidmap_next_(&t->root_ns.map, &nr)) != NULL)
		map_remove(t, nr);
	cr_assert_eq(t->live_nodes, 0);
}

PM_TEST(pidmap, height_follows_pid_max)
{
	/* 64-way nodes: 3 levels for Linux's default 32768, 4 for PID_MAX_LIMIT. */
	cr_assert_eq(pidmap_height_for_(301), 2);
	cr_assert_eq(pidmap_height_for_(4096), 2);
	cr_assert_eq(pidmap_height_for_(4097), 3);
	cr_assert_eq(pidmap_height_for_(32768), 3);
	cr_assert_eq(pidmap_height_for_(262144), 3);
	cr_assert_eq(pidmap_height_for_(4194304), 4);
}

PM_TEST(pidmap, first_numbers_are_sequential_from_1)
{
	struct pm_table t;
	pm_pid_t nr;

	cr_assert_eq(pm_table_init(&t, NULL), 0);
	for (pm_pid_t want = 1; want <= 200; want++) {
		cr_assert_eq(map_alloc(&t, &nr), 0);
		cr_assert_eq(nr, want, "kernel/pid.c: a fresh namespace hands out 1, 2, 3...");
		cr_assert_eq(pidmap_find_(&t.root_ns.map, nr), ENTRY);
	}
	map_check(&t);
	cr_assert_null(pidmap_find_(&t.root_ns.map, 0));
	cr_assert_null(pidmap_find_(&t.root_ns.map, -5));
	cr_assert_null(pidmap_find_(&t.root_ns.map, 201));
	cr_assert_null(pidmap_find_(&t.root_ns.map, 40000), "beyond the map's span");
	map_clear(&t);
	pm_table_destroy(&t);
}

PM_TEST(pidmap, numbers_are_not_reused_before_the_cursor_wraps)
{
	struct pm_table t;
	pm_pid_t nr;

	cr_assert_eq(pm_table_init(&t, NULL), 0);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(map_alloc(&t, &nr), 0);
	map_remove(&t, 3);
	cr_assert_eq(map_alloc(&t, &nr), 0);
	cr_assert_eq(nr, 11, "idr_alloc_cyclic continues from the cursor, not the hole");
	map_check(&t);
	map_clear(&t);
	pm_table_destroy(&t);
}

PM_TEST(pidmap, wrap_restarts_at_reserved_pids_and_fills_eagain)
{
	struct pm_table_config cfg = {.pid_max = 1000};
	struct pm_table t;
	pm_pid_t nr;

	cr_assert_eq(pm_table_init(&t, &cfg), 0);
	for (pm_pid_t want = 1; want < 1000; want++) {
		cr_assert_eq(map_alloc(&t, &nr), 0);
		cr_assert_eq(nr, want);
	}
	cr_assert_eq(map_alloc(&t, &nr), -PM_EAGAIN, "alloc_pid maps ENOSPC to EAGAIN");
	map_check(&t);
	map_remove(&t, 5);
	map_remove(&t, 350);
	map_remove(&t, 500);
	map_remove(&t, 999);
	cr_assert_eq(map_alloc(&t, &nr), 0);
	cr_assert_eq(nr, 350, "after pid_max, numbers restart at RESERVED_PIDS (300)");
	cr_assert_eq(map_alloc(&t, &nr), 0);
	cr_assert_eq(nr, 500);
	cr_assert_eq(map_alloc(&t, &nr), 0);
	cr_assert_eq(nr, 999);
	cr_assert_eq(map_alloc(&t, &nr), -PM_EAGAIN, "pid 5 is below RESERVED_PIDS: never reused");
	map_check(&t);
	map_clear(&t);
	pm_table_destroy(&t);
}

PM_TEST(pidmap, reserved_pids_boundary_is_reusable)
{
	struct pm_table_config cfg = {.pid_max = 400};
	struct pm_table t;
	pm_pid_t nr;

	cr_assert_eq(pm_table_init(&t, &cfg), 0);
	for (int i = 1; i < 400; i++)
		cr_assert_eq(map_alloc(&t, &nr), 0);
	map_remove(&t, 300);
	map_remove(&t, 299);
	cr_assert_eq(map_alloc(&t, &nr), 0);
	cr_assert_eq(nr, 300, "pid_min after the wrap is RESERVED_PIDS itself");
	cr_assert_eq(map_alloc(&t, &nr), -PM_EAGAIN);
	map_clear(&t);
	pm_table_destroy(&t);
}

PM_TEST(pidmap, walk_returns_numbers_in_order)
{
	struct pm_table t;
	pm_pid_t nr;
	int seen = 0;

	cr_assert_eq(pm_table_init(&t, NULL), 0);
	for (int i = 0; i < 300; i++)
		cr_assert_eq(map_alloc(&t, &nr), 0);
	for (pm_pid_t k = 2; k <= 300; k += 2)
		map_remove(&t, k);
	nr = 0;
	for (pm_pid_t want = 1; pidmap_next_(&t.root_ns.map, &nr); nr++, want += 2) {
		cr_assert_eq(nr, want);
		seen++;
	}
	cr_assert_eq(seen, 150);
	map_check(&t);
	map_clear(&t);
	pm_table_destroy(&t);
}

/* A reference model: the same cyclic rule over a plain bitmap. */
static pm_pid_t model_alloc(uint8_t *used, pm_pid_t pid_max, pm_pid_t *cursor)
{
	pm_pid_t min = *cursor > PM_RESERVED_PIDS ? PM_RESERVED_PIDS : 1;
	pm_pid_t start = *cursor > min ? *cursor : min;

	for (pm_pid_t n = start; n < pid_max; n++)
		if (!used[n])
			return used[n] = 1, *cursor = n + 1, n;
	if (start > min)
		for (pm_pid_t n = min; n < pid_max; n++)
			if (!used[n])
				return used[n] = 1, *cursor = n + 1, n;
	return 0;
}

PM_TEST(pidmap, random_churn_matches_the_model_at_pid_max_limit)
{
	struct pm_table_config cfg = {.pid_max = PM_PID_MAX_LIMIT};
	struct pm_table t;
	uint8_t *used = calloc(PM_PID_MAX_LIMIT, 1);
	pm_pid_t *live = calloc(20010, sizeof(pm_pid_t));
	pm_pid_t cursor = 0, nr;
	size_t nlive = 0;
	unsigned int seed = 12345;

	cr_assert_eq(pm_table_init(&t, &cfg), 0);
	cr_assert_eq(t.root_ns.map.height, 4);
	for (int step = 0; step < 60000; step++) {
		seed = seed * 1103515245u + 12345u;
		if (nlive < 20000 && (nlive == 0 || (seed >> 16) % 3 != 0)) {
			pm_pid_t want = model_alloc(used, PM_PID_MAX_LIMIT, &cursor);

			cr_assert_eq(map_alloc(&t, &nr), 0);
			cr_assert_eq(nr, want);
			live[nlive++] = nr;
		} else {
			size_t i = (seed >> 8) % nlive;

			map_remove(&t, live[i]);
			used[live[i]] = 0;
			live[i] = live[--nlive];
		}
		if (step % 5000 == 0)
			map_check(&t);
	}
	/* Force a wrap: jump the cursor near the end. */
	t.root_ns.cursor = PM_PID_MAX_LIMIT - 2;
	cursor = PM_PID_MAX_LIMIT - 2;
	for (int i = 0; i < 5; i++) {
		pm_pid_t want = model_alloc(used, PM_PID_MAX_LIMIT, &cursor);

		cr_assert_eq(map_alloc(&t, &nr), 0);
		cr_assert_eq(nr, want);
		live[nlive++] = nr;
	}
	map_check(&t);
	map_clear(&t);
	pm_table_destroy(&t);
	free(used);
	free(live);
}

PM_TEST(pidmap, stash_failure_is_drained_back)
{
	struct pm_table_config cfg = {.no_node_cache = true};
	struct pm_table t;
	struct pidmap_stash s = {NULL, 0};

	cr_assert_eq(pm_table_init(&t, &cfg), 0);
	pm_host_fault_alloc_nth(2);
	pm_table_lock(&t);
	cr_assert_eq(pidmap_stash_prepare_locked_(&t, &s, 3), -PM_ENOMEM);
	pm_host_fault_reset();
	cr_assert_eq(s.count, 1, "what was reserved stays until drained");
	pidmap_stash_drain_locked_(&t, &s);
	cr_assert_eq(s.count, 0);
	cr_assert_null(s.head);
	pm_table_unlock(&t);
	pm_table_destroy(&t);
}
