/* Hosted entropy, time, events and panics. */
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "pm_test.h"
#include "procmgr/hal.h"

TestSuite(host_misc, .init = pm_test_setup);

PM_TEST(host_misc, seeded_random_is_reproducible)
{
	unsigned char a[40], b[40], c[40];

	pm_host_random_seed(42);
	pm_hal_random_bytes(a, sizeof(a));
	pm_host_random_seed(42);
	pm_hal_random_bytes(b, sizeof(b));
	pm_host_random_seed(43);
	pm_hal_random_bytes(c, sizeof(c));
	cr_assert_eq(memcmp(a, b, sizeof(a)), 0, "same seed, same bytes");
	cr_assert_neq(memcmp(a, c, sizeof(a)), 0, "another seed, other bytes");
}

PM_TEST(host_misc, unseeded_random_varies)
{
	unsigned char a[32], b[32];

	pm_host_random_seed(1);
	pm_host_random_unseed();
	pm_hal_random_bytes(a, sizeof(a));
	pm_hal_random_bytes(b, sizeof(b));
	cr_assert_neq(memcmp(a, b, sizeof(a)), 0);
}

PM_TEST(host_misc, time_is_monotonic_and_freezable)
{
	uint64_t t1 = pm_hal_time_ns(), t2 = pm_hal_time_ns();

	cr_assert_leq(t1, t2);
	pm_host_time_freeze(123456789);
	cr_assert_eq(pm_hal_time_ns(), 123456789);
	cr_assert_eq(pm_hal_time_ns(), 123456789);
	pm_host_time_unfreeze();
	cr_assert_geq(pm_hal_time_ns(), t2);
}

static int hook_calls;
static int64_t hook_last_arg;

static void hook(void *ctx, const struct pm_event *ev)
{
	hook_calls += *(int *)ctx;
	hook_last_arg = ev->arg;
}

PM_TEST(host_misc, events_are_recorded_in_order)
{
	struct pm_event ev = {.type = PM_EVENT_CHILD_STATE, .arg = 1}, got;
	int inc = 1;

	pm_host_notify_hook(hook, &inc);
	pm_hal_notify(&ev);
	ev.type = PM_EVENT_PGRP_ORPHANED;
	ev.arg = 77;
	pm_hal_notify(&ev);
	cr_assert_eq(pm_host_events_count(), 2);
	cr_assert(pm_host_event_get(0, &got));
	cr_assert_eq(got.type, PM_EVENT_CHILD_STATE);
	cr_assert(pm_host_event_get(1, &got));
	cr_assert_eq(got.type, PM_EVENT_PGRP_ORPHANED);
	cr_assert_eq(got.arg, 77);
	cr_assert(!pm_host_event_get(2, &got));
	cr_assert_eq(hook_calls, 2);
	cr_assert_eq(hook_last_arg, 77);
	pm_host_events_clear();
	cr_assert_eq(pm_host_events_count(), 0);
}

PM_TEST(host_misc, clear_restarts_the_record_but_not_the_total)
{
	struct pm_event ev = {.type = PM_EVENT_SIGNAL_PENDING}, got;
	struct pm_host_stats before, after;

	pm_host_stats_get(&before);
	for (int i = 0; i < 5; i++) {
		ev.arg = i;
		pm_hal_notify(&ev);
	}
	pm_host_events_clear();
	ev.arg = 100;
	pm_hal_notify(&ev);
	cr_assert_eq(pm_host_events_count(), 1);
	cr_assert(pm_host_event_get(0, &got));
	cr_assert_eq(got.arg, 100, "index 0 is the first event after the clear");
	cr_assert(!pm_host_event_get(1, &got));
	pm_host_stats_get(&after);
	cr_assert_eq(after.events - before.events, 6, "stats count every call");
}

PM_TEST(host_misc, event_ring_keeps_the_newest)
{
	struct pm_event ev = {.type = PM_EVENT_SIGNAL_PENDING}, got;

	for (int i = 0; i < PM_HOST_EVENTS_MAX + 10; i++) {
		ev.arg = i;
		pm_hal_notify(&ev);
	}
	cr_assert_eq(pm_host_events_count(), PM_HOST_EVENTS_MAX + 10);
	cr_assert(!pm_host_event_get(9, &got), "the oldest were dropped");
	cr_assert(pm_host_event_get(10, &got));
	cr_assert_eq(got.arg, 10);
	cr_assert(pm_host_event_get(PM_HOST_EVENTS_MAX + 9, &got));
	cr_assert_eq(got.arg, PM_HOST_EVENTS_MAX + 9);
}

static jmp_buf panic_jump;
static char panic_msg[128];

static void catch_panic(const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	strncpy(panic_msg, msg, sizeof(panic_msg) - 1);
	longjmp(panic_jump, 1);
}

PM_TEST(host_misc, panic_handler_sees_the_message)
{
	pm_host_panic_handler(catch_panic);
	if (setjmp(panic_jump) == 0) {
		pm_hal_panic("file.c", 7, "invariant broken");
		cr_assert_fail("pm_hal_panic returned");
	}
	cr_assert_str_eq(panic_msg, "invariant broken");
}

PM_TEST(host_misc, panic_aborts_by_default, .signal = SIGABRT)
{
	pm_hal_panic("file.c", 1, "boom");
}
