/* Hosted locks: mutual exclusion and the checks of the hal.h lock contract. */
#include <pthread.h>
#include <signal.h>

#include "pm_test.h"
#include "procmgr/hal.h"

TestSuite(host_lock, .init = pm_test_setup);

PM_TEST(host_lock, acquire_release_and_is_held)
{
	pm_hal_lock_t l;

	pm_hal_lock_init(&l, PM_LOCK_TABLE);
	cr_assert(!pm_hal_lock_is_held(&l));
	pm_hal_lock_acquire(&l);
	cr_assert(pm_hal_lock_is_held(&l));
	cr_assert_eq(pm_host_locks_held(), 1);
	pm_hal_lock_release(&l);
	cr_assert(!pm_hal_lock_is_held(&l));
	cr_assert_eq(pm_host_locks_held(), 0);
	pm_hal_lock_destroy(&l);
}

static void *acquire_twice(void *arg)
{
	pm_hal_lock_t *l = arg;
	uint64_t before = pm_host_thread_lock_acquires();

	pm_hal_lock_acquire(l);
	pm_hal_lock_release(l);
	pm_hal_lock_acquire(l);
	pm_hal_lock_release(l);
	return (void *)(uintptr_t)(pm_host_thread_lock_acquires() - before);
}

PM_TEST(host_lock, acquisitions_are_counted_per_thread)
{
	pm_hal_lock_t l;
	uint64_t before = pm_host_thread_lock_acquires();
	pthread_t t;
	void *theirs;

	pm_hal_lock_init(&l, PM_LOCK_LEAF);
	pm_hal_lock_acquire(&l);
	pm_hal_lock_release(&l);
	cr_assert_eq(pthread_create(&t, NULL, acquire_twice, &l), 0);
	cr_assert_eq(pthread_join(t, &theirs), 0);
	cr_assert_eq((uintptr_t)theirs, 2, "the other thread counted its own two");
	cr_assert_eq(pm_host_thread_lock_acquires() - before, 1, "and not into this one's");
	pm_hal_lock_destroy(&l);
}

PM_TEST(host_lock, nesting_in_class_order_balances)
{
	pm_hal_lock_t vm, table, sig, cred, leaf;

	pm_hal_lock_init(&vm, PM_LOCK_VM);
	pm_hal_lock_init(&table, PM_LOCK_TABLE);
	pm_hal_lock_init(&sig, PM_LOCK_SIGHAND);
	pm_hal_lock_init(&cred, PM_LOCK_CRED);
	pm_hal_lock_init(&leaf, PM_LOCK_LEAF);
	pm_hal_lock_acquire(&vm);
	pm_hal_lock_acquire(&table);
	pm_hal_lock_acquire(&sig);
	pm_hal_lock_acquire(&cred);
	pm_hal_lock_acquire(&leaf);
	cr_assert_eq(pm_host_locks_held(), 5);
	pm_hal_lock_release(&leaf);
	pm_hal_lock_release(&cred);
	pm_hal_lock_release(&sig);
	pm_hal_lock_release(&table);
	pm_hal_lock_release(&vm);
	cr_assert_eq(pm_host_locks_held(), 0);
	pm_hal_lock_destroy(&vm);
	pm_hal_lock_destroy(&table);
	pm_hal_lock_destroy(&sig);
	pm_hal_lock_destroy(&cred);
	pm_hal_lock_destroy(&leaf);
}

PM_TEST(host_lock, same_class_may_nest)
{
	pm_hal_lock_t a, b;

	pm_hal_lock_init(&a, PM_LOCK_SIGHAND);
	pm_hal_lock_init(&b, PM_LOCK_SIGHAND);
	pm_hal_lock_acquire(&a);
	pm_hal_lock_acquire(&b);
	pm_hal_lock_release(&b);
	pm_hal_lock_release(&a);
	pm_hal_lock_destroy(&a);
	pm_hal_lock_destroy(&b);
}

PM_TEST(host_lock, wrong_order_panics, .signal = SIGABRT)
{
	pm_hal_lock_t sig, table;

	pm_hal_lock_init(&sig, PM_LOCK_SIGHAND);
	pm_hal_lock_init(&table, PM_LOCK_TABLE);
	pm_hal_lock_acquire(&sig);
	pm_hal_lock_acquire(&table);
}

PM_TEST(host_lock, recursive_acquire_panics, .signal = SIGABRT)
{
	pm_hal_lock_t l;

	pm_hal_lock_init(&l, PM_LOCK_LEAF);
	pm_hal_lock_acquire(&l);
	pm_hal_lock_acquire(&l);
}

PM_TEST(host_lock, release_not_held_panics, .signal = SIGABRT)
{
	pm_hal_lock_t l;

	pm_hal_lock_init(&l, PM_LOCK_LEAF);
	pm_hal_lock_release(&l);
}

PM_TEST(host_lock, release_out_of_order_panics, .signal = SIGABRT)
{
	pm_hal_lock_t a, b;

	pm_hal_lock_init(&a, PM_LOCK_TABLE);
	pm_hal_lock_init(&b, PM_LOCK_SIGHAND);
	pm_hal_lock_acquire(&a);
	pm_hal_lock_acquire(&b);
	pm_hal_lock_release(&a);
}

PM_TEST(host_lock, destroy_while_held_panics, .signal = SIGABRT)
{
	pm_hal_lock_t l;

	pm_hal_lock_init(&l, PM_LOCK_LEAF);
	pm_hal_lock_acquire(&l);
	pm_hal_lock_destroy(&l);
}

PM_TEST(host_lock, uninitialised_lock_panics, .signal = SIGABRT)
{
	pm_hal_lock_t l = {{0}};

	pm_hal_lock_acquire(&l);
}

PM_TEST(host_lock, unknown_class_panics, .signal = SIGABRT)
{
	pm_hal_lock_t l;

	pm_hal_lock_init(&l, (enum pm_lock_class)9);
}

/* Mutual exclusion: four threads increment a counter under the lock, for
 * the sleeping class (a pthread mutex) and a spinning one. With four
 * threads on fewer cores, spinners reach the yield in spin_wait too. */
struct counter {
	pm_hal_lock_t lock;
	long value;
};

static void *bump(void *arg)
{
	struct counter *c = arg;

	for (int i = 0; i < 20000; i++) {
		pm_hal_lock_acquire(&c->lock);
		long v = c->value;

		c->value = v + 1;
		pm_hal_lock_release(&c->lock);
	}
	return NULL;
}

static void four_threads_bump(enum pm_lock_class cls)
{
	struct counter c = {.value = 0};
	pthread_t t[4];

	pm_hal_lock_init(&c.lock, cls);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, bump, &c), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(c.value, 80000, "class %d: %ld increments of 80000", (int)cls, c.value);
	pm_hal_lock_destroy(&c.lock);
}

PM_TEST(host_lock, excludes_other_threads)
{
	four_threads_bump(PM_LOCK_TABLE);
	four_threads_bump(PM_LOCK_VM);
	four_threads_bump(PM_LOCK_LEAF);
}
