/* SPDX-License-Identifier: MIT */
/**
 * @file config.h
 * @brief Compile-time limits and switches, with Linux's defaults.
 *
 * Every value here can be overridden, in this order of precedence:
 *  1. a header named by `PROCMGR_CONFIG_HEADER` (e.g.
 *     `-DPROCMGR_CONFIG_HEADER="my_procmgr_config.h"`); the CMake build
 *     generates one from its `PROCMGR_*` cache options;
 *  2. `-D` on the compiler command line;
 *  3. the defaults below.
 *
 * The library and every file that includes a procmgr header must be built
 * with the same values: they fix the size of the objects a kernel embeds.
 * A value out of range stops the build with an `#error` naming the fix.
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_CONFIG_H
#define PROCMGR_CONFIG_H

#include <stdint.h>

#ifdef PROCMGR_CONFIG_HEADER
#include PROCMGR_CONFIG_HEADER
#endif

/** @addtogroup pm_core
 * @{
 */

/* ---- PIDs (include/linux/threads.h, kernel/pid.c) ---- */

/** Largest pid_max a table accepts: Linux's PID_MAX_LIMIT on 64-bit (4 Mi). */
#ifndef PM_PID_MAX_LIMIT
#define PM_PID_MAX_LIMIT 4194304
#endif

/** pid_max of a table initialised with 0: Linux's PID_MAX_DEFAULT. */
#ifndef PM_PID_MAX_DEFAULT
#define PM_PID_MAX_DEFAULT 32768
#endif

/** Pids below this are skipped when allocation wraps: Linux's RESERVED_PIDS. */
#ifndef PM_RESERVED_PIDS
#define PM_RESERVED_PIDS 300
#endif

/** Deepest PID namespace nesting: Linux's MAX_PID_NS_LEVEL. */
#ifndef PM_MAX_PID_NS_LEVEL
#define PM_MAX_PID_NS_LEVEL 32
#endif

/* ---- Credentials and user namespaces ---- */

/** Highest capability number: Linux's CAP_LAST_CAP (CAP_CHECKPOINT_RESTORE). */
#ifndef PM_CAP_LAST_CAP
#define PM_CAP_LAST_CAP 40
#endif

/** Most supplementary groups: Linux's NGROUPS_MAX. */
#ifndef PM_NGROUPS_MAX
#define PM_NGROUPS_MAX 65536
#endif

/** Deepest user namespace nesting below the initial one (kernel/user_namespace.c). */
#ifndef PM_USERNS_MAX_LEVEL
#define PM_USERNS_MAX_LEVEL 32
#endif

/** Most extents in a uid_map or gid_map: Linux's UID_GID_MAP_MAX_EXTENTS. */
#ifndef PM_UID_GID_MAP_MAX_EXTENTS
#define PM_UID_GID_MAP_MAX_EXTENTS 340
#endif

/* ---- Memory ---- */

/** log2 of the user page size; 12 (4 KiB) on both reference architectures. */
#ifndef PM_PAGE_SHIFT
#define PM_PAGE_SHIFT 12
#endif

/** User page size in bytes. */
#define PM_PAGE_SIZE ((uint64_t)1 << PM_PAGE_SHIFT)

/* ---- Signals ---- */

/** Queued-signal records a signal-handler group keeps for reuse after
 *  dequeuing them (more are given back to the table's pool). */
#ifndef PM_SIG_CACHE_MAX
#define PM_SIG_CACHE_MAX 8
#endif

/** Records a table's pool keeps for reuse (more are freed). */
#ifndef PM_SIG_POOL_MAX
#define PM_SIG_POOL_MAX 256
#endif

/** Records the exit paths put in the table's pool before they take the
 *  table lock (SIGCHLD, parent-death and orphaned-group signals come from
 *  there; past it their siginfo is lost, as when Linux's GFP_ATOMIC
 *  allocation fails). */
#ifndef PM_SIG_RESERVE
#define PM_SIG_RESERVE 16
#endif

/* ---- HAL ---- */

/**
 * Bytes of storage procmgr reserves for each lock it embeds (the kernel's
 * lock lives inside). 8 fits a ticket spinlock with saved interrupt state;
 * the hosted port, whose locks are pthread mutexes, builds with 64.
 */
#ifndef PM_HAL_LOCK_SIZE
#define PM_HAL_LOCK_SIZE 8
#endif

/** Alignment of that storage in bytes (a power of two). */
#ifndef PM_HAL_LOCK_ALIGN
#define PM_HAL_LOCK_ALIGN 8
#endif

/* ---- Checks ---- */

/**
 * 1: internal consistency checks (PM_ASSERT) call pm_hal_panic() when they
 * fail. 0: they compile away. Checks of caller-supplied input are never
 * compiled away: bad input always gets its errno.
 */
#ifndef PM_CONFIG_ASSERT
#define PM_CONFIG_ASSERT 1
#endif

/** @} */

/* ---- Validation: a wrong value fails the build here, not at run time ---- */

#if PM_PID_MAX_LIMIT < 1024 || PM_PID_MAX_LIMIT > 4194304
#error "PM_PID_MAX_LIMIT must be within 1024..4194304 (Linux's PID_MAX_LIMIT is 4194304)"
#endif
#if PM_PID_MAX_DEFAULT < PM_RESERVED_PIDS + 1 || PM_PID_MAX_DEFAULT > PM_PID_MAX_LIMIT
#error "PM_PID_MAX_DEFAULT must be above PM_RESERVED_PIDS and at most PM_PID_MAX_LIMIT"
#endif
#if PM_RESERVED_PIDS < 1
#error "PM_RESERVED_PIDS must be at least 1 (pid 0 is never allocated)"
#endif
#if PM_MAX_PID_NS_LEVEL < 1 || PM_MAX_PID_NS_LEVEL > 32
#error "PM_MAX_PID_NS_LEVEL must be within 1..32 (Linux's MAX_PID_NS_LEVEL is 32)"
#endif
#if PM_CAP_LAST_CAP < 40 || PM_CAP_LAST_CAP > 63
#error "PM_CAP_LAST_CAP must be within 40..63: capability sets are one 64-bit word"
#endif
#if PM_NGROUPS_MAX < 1 || PM_NGROUPS_MAX > 65536
#error "PM_NGROUPS_MAX must be within 1..65536 (Linux's NGROUPS_MAX is 65536)"
#endif
#if PM_USERNS_MAX_LEVEL < 1 || PM_USERNS_MAX_LEVEL > 32
#error "PM_USERNS_MAX_LEVEL must be within 1..32"
#endif
#if PM_UID_GID_MAP_MAX_EXTENTS < 1 || PM_UID_GID_MAP_MAX_EXTENTS > 340
#error "PM_UID_GID_MAP_MAX_EXTENTS must be within 1..340 (Linux allows 340)"
#endif
#if PM_PAGE_SHIFT < 12 || PM_PAGE_SHIFT > 16
#error "PM_PAGE_SHIFT must be within 12..16 (4 KiB to 64 KiB pages)"
#endif
#if PM_SIG_CACHE_MAX < 0 || PM_SIG_CACHE_MAX > 4096
#error "PM_SIG_CACHE_MAX must be within 0..4096"
#endif
#if PM_SIG_POOL_MAX < PM_SIG_RESERVE || PM_SIG_POOL_MAX > 1048576
#error "PM_SIG_POOL_MAX must be within PM_SIG_RESERVE..1048576"
#endif
#if PM_SIG_RESERVE < 0 || PM_SIG_RESERVE > 4096
#error "PM_SIG_RESERVE must be within 0..4096"
#endif
#if PM_HAL_LOCK_SIZE < 4 || PM_HAL_LOCK_SIZE > 256
#error "PM_HAL_LOCK_SIZE must be within 4..256: define it to sizeof your kernel's lock type"
#endif
#if PM_HAL_LOCK_ALIGN < 1 || PM_HAL_LOCK_ALIGN > 64 || \
    (PM_HAL_LOCK_ALIGN & (PM_HAL_LOCK_ALIGN - 1)) != 0
#error "PM_HAL_LOCK_ALIGN must be a power of two within 1..64"
#endif
#if PM_CONFIG_ASSERT != 0 && PM_CONFIG_ASSERT != 1
#error "PM_CONFIG_ASSERT must be 0 or 1"
#endif

#endif /* PROCMGR_CONFIG_H */
