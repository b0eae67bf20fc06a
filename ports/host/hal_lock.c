/* SPDX-License-Identifier: MIT */
/*
 * Locks over pthread mutexes. Besides locking, the hosted port checks the
 * contract of hal.h: classes are acquired in increasing order, a lock is
 * never taken twice by the same thread, and locks are released in reverse
 * order by the thread that holds them. A violation panics, which fails the
 * test that caused it. The bookkeeping is written only by the holder, under
 * the mutex, and read by others only to compare with their own id, so it
 * needs no ordering (relaxed atomics keep the checks off the hot path).
 * Acquisitions are counted per thread: a shared counter would add a locked
 * read-modify-write to every acquisition of every lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "host_internal.h"

#define LOCK_MAGIC 0x4c4f434bu /* "LOCK" */
#define MAX_HELD   32

struct host_lock {
	pthread_mutex_t mutex;
	uint32_t magic;
	int cls;
	atomic_uintptr_t owner; /* the holder's id marker, 0 when free */
};

_Static_assert(sizeof(struct host_lock) <= PM_HAL_LOCK_SIZE,
               "the hosted port needs PM_HAL_LOCK_SIZE >= sizeof(struct host_lock)");
_Static_assert(_Alignof(struct host_lock) <= PM_HAL_LOCK_ALIGN,
               "the hosted port needs PM_HAL_LOCK_ALIGN >= alignof(struct host_lock)");

/* Per-thread stack of held locks, innermost last. */
static _Thread_local struct host_lock *held_stack[MAX_HELD];
static _Thread_local unsigned int held_count;
static _Thread_local uint64_t acquired;  /* pm_host_thread_lock_acquires() */
static _Thread_local char thread_marker; /* its address identifies the thread */

static struct host_lock *as_host(const pm_hal_lock_t *lock)
{
	struct host_lock *l = (struct host_lock *)(uintptr_t)lock->opaque;

	return l;
}

static uintptr_t self_id(void)
{
	return (uintptr_t)&thread_marker;
}

void pm_hal_lock_init(pm_hal_lock_t *lock, enum pm_lock_class cls)
{
	struct host_lock *l = as_host(lock);

	if (cls < PM_LOCK_VM || cls > PM_LOCK_LEAF)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_init: unknown lock class");
	pthread_mutex_init(&l->mutex, NULL);
	l->magic = LOCK_MAGIC;
	l->cls = (int)cls;
	atomic_store(&l->owner, 0);
}

void pm_hal_lock_destroy(pm_hal_lock_t *lock)
{
	struct host_lock *l = as_host(lock);

	if (l->magic != LOCK_MAGIC)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_destroy: not an initialised lock");
	if (atomic_load(&l->owner))
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_destroy: lock is held");
	pthread_mutex_destroy(&l->mutex);
	l->magic = 0;
}

void pm_hal_lock_acquire(pm_hal_lock_t *lock)
{
	struct host_lock *l = as_host(lock);

	if (l->magic != LOCK_MAGIC)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_acquire: not an initialised lock");
	if (atomic_load_explicit(&l->owner, memory_order_relaxed) == self_id())
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_acquire: recursive acquire");
	if (held_count > 0 && l->cls < held_stack[held_count - 1]->cls)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_acquire: lock order violated");
	if (held_count == MAX_HELD)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_acquire: too many locks held");
	pthread_mutex_lock(&l->mutex);
	atomic_store_explicit(&l->owner, self_id(), memory_order_relaxed);
	held_stack[held_count++] = l;
	acquired++;
}

void pm_hal_lock_release(pm_hal_lock_t *lock)
{
	struct host_lock *l = as_host(lock);

	if (l->magic != LOCK_MAGIC)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_release: not an initialised lock");
	if (atomic_load_explicit(&l->owner, memory_order_relaxed) != self_id())
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_release: not held by this thread");
	if (held_count == 0 || held_stack[held_count - 1] != l)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_lock_release: not the innermost lock");
	held_count--;
	atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
	pthread_mutex_unlock(&l->mutex);
}

bool pm_hal_lock_is_held(const pm_hal_lock_t *lock)
{
	const struct host_lock *l = as_host(lock);

	return atomic_load_explicit(&l->owner, memory_order_relaxed) == self_id();
}

unsigned int pm_host_locks_held(void)
{
	return held_count;
}

uint64_t pm_host_thread_lock_acquires(void)
{
	return acquired;
}
