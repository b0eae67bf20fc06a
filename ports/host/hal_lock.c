/* SPDX-License-Identifier: MIT */
/*
 * Locks as a kernel has them: PM_LOCK_VM, which hal.h lets sleep, is a
 * pthread mutex; the other classes are spinlocks (compare-and-exchange to
 * take, a release store to drop, as Linux's spin_unlock), which yield the
 * CPU while they wait so that a preempted holder gets to run. Like
 * glibc's own locks, they take no bus lock while the process has a single
 * thread (__libc_single_threaded): nothing else can hold them then.
 *
 * Besides locking, the hosted port checks the contract of hal.h: classes
 * are acquired in increasing order, a lock is never taken twice by the
 * same thread, and locks are released in reverse order by the thread that
 * holds them. A violation panics, which fails the test that caused it. The
 * bookkeeping is written only by the holder, under the lock, and read by
 * others only to compare with their own id, so it needs no ordering
 * (relaxed atomics keep the checks off the hot path).
 * Acquisitions are counted per thread: a shared counter would add a locked
 * read-modify-write to every acquisition of every lock.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "host_internal.h"

#define LOCK_MAGIC 0x4c4f434bu /* "LOCK" */
#define MAX_HELD   32

/* Busy-wait rounds before a waiting thread yields the CPU. */
#define SPINS_BEFORE_YIELD 64

struct host_lock {
	union {
		pthread_mutex_t mutex; /* PM_LOCK_VM */
		atomic_uint word;      /* the other classes: 1 while held */
	} u;
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
	if (cls == PM_LOCK_VM)
		pthread_mutex_init(&l->u.mutex, NULL);
	else
		atomic_init(&l->u.word, 0);
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
	if (l->cls == PM_LOCK_VM)
		pthread_mutex_destroy(&l->u.mutex);
	l->magic = 0;
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static bool try_take(struct host_lock *l)
{
	unsigned int free_word = 0;

	return atomic_compare_exchange_strong_explicit(&l->u.word, &free_word, 1,
	                                               memory_order_acquire, memory_order_relaxed);
}

static __attribute__((noinline)) void spin_wait(struct host_lock *l)
{
	for (;;) {
		for (int i = 0; i < SPINS_BEFORE_YIELD; i++) {
			if (!atomic_load_explicit(&l->u.word, memory_order_relaxed) && try_take(l))
				return;
			cpu_relax();
		}
		sched_yield();
	}
}

static void take(struct host_lock *l)
{
	if (l->cls == PM_LOCK_VM)
		pthread_mutex_lock(&l->u.mutex);
	else if (host_single_threaded_())
		atomic_store_explicit(&l->u.word, 1, memory_order_relaxed);
	else if (!try_take(l))
		spin_wait(l);
}

static void drop(struct host_lock *l)
{
	if (l->cls == PM_LOCK_VM)
		pthread_mutex_unlock(&l->u.mutex);
	else
		atomic_store_explicit(&l->u.word, 0, memory_order_release);
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
	take(l);
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
	drop(l);
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
