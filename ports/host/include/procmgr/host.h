/* SPDX-License-Identifier: MIT */
/**
 * @file host.h
 * @brief The hosted port: procmgr's HAL over POSIX, for tests and tools.
 *
 * ports/host implements every pm_hal_* function inside an ordinary Linux
 * process: pm_hal_alloc over malloc, locks as spinlocks that yield while
 * they wait (PM_LOCK_VM, which may sleep, over a pthread mutex), checking
 * the class order and balance, user memory and address spaces over host
 * memory, files over the host file system plus in-memory "virtual" files,
 * entropy over getrandom, time over clock_gettime. This header adds what a
 * test or tool needs on top: fault injection, counters, address-space and
 * file set-up, captured events, and switches that make runs reproducible.
 *
 * All functions are thread-safe unless they say otherwise.
 *
 * @ingroup pm_host
 */
#ifndef PROCMGR_HOST_H
#define PROCMGR_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_host Hosted port
 * @brief The POSIX implementation of the HAL and its test controls.
 * @{
 */

/* ======================================================================== */
/** @name Fault injection
 * Counters start at the last pm_host_fault_reset() (or program start).
 * @{
 */

/**
 * @brief Make the @p n-th pm_hal_alloc() call from now fail (1 = the next
 *        one); every other call succeeds. Replaces any alloc fault set before.
 * @param n  1-based call number; 0 disarms.
 */
void pm_host_fault_alloc_nth(uint64_t n);

/**
 * @brief Let the next @p n pm_hal_alloc() calls succeed and make every later
 *        one fail, until reset. Replaces any alloc fault set before.
 * @param n  calls that still succeed (0: all fail from now).
 */
void pm_host_fault_alloc_after(uint64_t n);

/**
 * @brief Make the @p n-th user copy from now (pm_hal_copy_to_user,
 *        pm_hal_copy_from_user or pm_hal_clear_user; 1 = the next one)
 *        return -PM_EFAULT without copying.
 * @param n  1-based call number; 0 disarms.
 */
void pm_host_fault_copy_nth(uint64_t n);

/** @brief Disarm every fault and restart the call counters at 0. */
void pm_host_fault_reset(void);

/**
 * @brief pm_hal_alloc() calls since the last pm_host_fault_reset().
 * @return the count, failed calls included.
 */
uint64_t pm_host_alloc_calls(void);

/** @} */

/* ======================================================================== */
/** @name Counters
 * @{
 */

/** Totals since program start (live_* are current values). */
struct pm_host_stats {
	uint64_t allocs;        /**< successful pm_hal_alloc() calls */
	uint64_t frees;         /**< pm_hal_free() calls */
	uint64_t failed_allocs; /**< pm_hal_alloc() calls that returned NULL */
	uint64_t live_allocs;   /**< allocations not yet freed */
	uint64_t live_bytes;    /**< bytes not yet freed */
	uint64_t peak_bytes;    /**< highest live_bytes seen */
	uint64_t user_copies;   /**< user copies attempted */
	uint64_t user_faults;   /**< user copies that faulted */
	uint64_t events;        /**< pm_hal_notify() calls */
};

/**
 * @brief Read the counters.
 * @param out  receives a snapshot.
 */
void pm_host_stats_get(struct pm_host_stats *out);

/**
 * @brief Locks the calling thread holds now.
 * @return the count (0 when every acquire was balanced by a release).
 */
unsigned int pm_host_locks_held(void);

/**
 * @brief pm_hal_lock_acquire() calls the calling thread has made since it
 *        started (per thread, so that counting costs no shared atomic).
 * @return the count; benchmarks difference it around a loop.
 */
uint64_t pm_host_thread_lock_acquires(void);

/** @} */

/* ======================================================================== */
/** @name Address spaces and user memory
 * A host address space is either *simulated* (user addresses are
 * translated to host memory the port allocates, so a test can map any
 * address without touching the real process) or *real* (user addresses are
 * the process's own, mapped with mmap; pmexec runs programs in one). The
 * user-memory functions of the HAL act on the calling thread's current
 * address space; with none set, every user access faults.
 * @{
 */

/**
 * @brief Create an empty address space.
 * @param real  true for a real one (at most one should exist per process).
 * @return the address space, or NULL when out of memory.
 */
struct pm_hal_as *pm_host_as_create(bool real);

/**
 * @brief Unmap everything in @p as and free it. If it is some thread's
 *        current space, that thread must set another first.
 * @param as  an address space from pm_host_as_create().
 */
void pm_host_as_destroy(struct pm_hal_as *as);

/**
 * @brief Make @p as the calling thread's current address space (NULL: none).
 * @param as  the space user copies of this thread will use.
 */
void pm_host_as_set_current(struct pm_hal_as *as);

/**
 * @brief The calling thread's current address space.
 * @return it, or NULL.
 */
struct pm_hal_as *pm_host_as_current(void);

/**
 * @brief Map @p len bytes of anonymous zeroed memory somewhere free in @p as.
 * @param as    the address space.
 * @param len   bytes, > 0 (rounded up to pages).
 * @param prot  PM_PROT_* bits.
 * @param out   receives the user address.
 * @return 0, -PM_EINVAL for a zero length, or -PM_ENOMEM.
 */
int pm_host_as_map_anywhere(struct pm_hal_as *as, uint64_t len, unsigned int prot, pm_uaddr_t *out);

/**
 * @brief Host pointer to the bytes of user range [uaddr, uaddr + n) in @p as,
 *        for a test to inspect or prepare; ignores protections.
 * @param as     the address space.
 * @param uaddr  user address.
 * @param n      bytes that must be mapped contiguously in one mapping.
 * @return the host pointer, or NULL if the range is not inside one mapping.
 */
void *pm_host_as_ptr(struct pm_hal_as *as, pm_uaddr_t uaddr, uint64_t n);

/** A mapping of a host address space, as pm_host_as_query() reports it. */
struct pm_host_mapping {
	pm_uaddr_t start;   /**< first byte */
	pm_uaddr_t end;     /**< one past the last byte */
	unsigned int prot;  /**< PM_PROT_* */
	unsigned int flags; /**< PM_MAP_* given at map time */
	bool file;          /**< backed by a file */
};

/**
 * @brief The mapping containing @p uaddr.
 * @param as     the address space.
 * @param uaddr  any user address.
 * @param out    receives the mapping.
 * @return true if @p uaddr is mapped.
 */
bool pm_host_as_query(struct pm_hal_as *as, pm_uaddr_t uaddr, struct pm_host_mapping *out);

/**
 * @brief Number of separate mappings in @p as.
 * @param as  the address space.
 * @return the count.
 */
size_t pm_host_as_count(struct pm_hal_as *as);

/** @} */

/* ======================================================================== */
/** @name Files
 * pm_hal_file_open_exec() looks for a virtual file of that exact path
 * first, then opens a host file.
 * @{
 */

/** Description of a virtual (in-memory) file. */
struct pm_host_file_spec {
	const char *path; /**< exact path pm_hal_file_open_exec() will match */
	const void *data; /**< contents (copied) */
	size_t size;      /**< bytes at @c data */
	uint32_t mode;    /**< PM_S_IF* type and permission bits; 0 = regular 0755 */
	pm_uid_t uid;     /**< owner */
	pm_gid_t gid;     /**< group */
	uint32_t flags;   /**< PM_FILE_NOSUID, PM_FILE_NOEXEC */
	const void *caps; /**< raw security.capability bytes (copied), or NULL */
	size_t caps_size; /**< bytes at @c caps */
	/** If nonzero, pm_hal_file_open_exec() fails with -open_error (for
	 *  example PM_ETXTBSY) instead of opening. */
	int open_error;
};

/**
 * @brief Add (or replace) a virtual file.
 * @param spec  the file; everything is copied.
 * @return 0, -PM_EINVAL for a NULL or empty path, or -PM_ENOMEM.
 */
int pm_host_file_add(const struct pm_host_file_spec *spec);

/**
 * @brief Remove the virtual file @p path; open handles stay valid.
 * @param path  its path.
 * @return 0 or -PM_ENOENT.
 */
int pm_host_file_remove(const char *path);

/** @brief Remove every virtual file. */
void pm_host_files_clear(void);

/**
 * @brief Open a file for the loader like pm_hal_file_open_exec() but without
 *        the permission checks, so a tool can plan a file it cannot execute.
 * @param path  path of a virtual or host file.
 * @param out   receives the file with one reference.
 * @return 0 or a negative errno from the host (-PM_ENOENT, -PM_EACCES, ...).
 */
int pm_host_file_open(const char *path, struct pm_hal_file **out);

/**
 * @brief Open files not yet released with pm_hal_file_put().
 * @return the count.
 */
uint64_t pm_host_files_open(void);

/** @} */

/* ======================================================================== */
/** @name Events
 * pm_hal_notify() keeps the last PM_HOST_EVENTS_MAX events in order and
 * calls an optional hook. It may be called from any thread; the functions
 * below read and reset the record, and install the hook, while no other
 * thread is calling it (a test looks at the events after the fact).
 * @{
 */

/** Events kept by the recorder. */
#define PM_HOST_EVENTS_MAX 1024

/**
 * @brief Install a hook called for every event (NULL removes it). The hook
 *        runs inside pm_hal_notify(), under its rules: no sleeping, no
 *        calls into procmgr.
 * @param hook  function to call.
 * @param ctx   passed to it.
 */
void pm_host_notify_hook(void (*hook)(void *ctx, const struct pm_event *ev), void *ctx);

/**
 * @brief Events recorded since the last pm_host_events_clear().
 * @return the count (older ones beyond PM_HOST_EVENTS_MAX are dropped).
 */
size_t pm_host_events_count(void);

/**
 * @brief The @p i-th recorded event, oldest first.
 * @param i    index below pm_host_events_count().
 * @param out  receives the event.
 * @return true if it exists.
 */
bool pm_host_event_get(size_t i, struct pm_event *out);

/** @brief Forget recorded events. */
void pm_host_events_clear(void);

/** @} */

/* ======================================================================== */
/** @name Reproducibility
 * @{
 */

/**
 * @brief Make pm_hal_random_bytes() a deterministic stream from @p seed
 *        (splitmix64) instead of getrandom().
 * @param seed  any value.
 */
void pm_host_random_seed(uint64_t seed);

/** @brief Go back to getrandom(). */
void pm_host_random_unseed(void);

/**
 * @brief Freeze pm_hal_time_ns() at @p ns.
 * @param ns  the value it returns from now on.
 */
void pm_host_time_freeze(uint64_t ns);

/** @brief Let pm_hal_time_ns() follow CLOCK_MONOTONIC again. */
void pm_host_time_unfreeze(void);

/**
 * @brief Replace what pm_hal_panic() does after printing. The handler must
 *        not return (it may longjmp); if it does, the process aborts.
 * @param handler  function to call, or NULL for the default (abort).
 */
void pm_host_panic_handler(void (*handler)(const char *file, int line, const char *msg));

/**
 * @brief Disarm faults, forget events and virtual files, unseed random
 *        numbers and unfreeze time. Counters keep running.
 */
void pm_host_reset(void);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_HOST_H */
