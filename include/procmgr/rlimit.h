/* SPDX-License-Identifier: MIT */
/**
 * @file rlimit.h
 * @brief Resource limits: the 16 RLIMIT_* with Linux's numbers and initial
 *        values, getrlimit/setrlimit/prlimit64 rules, and the per-user
 *        counts behind RLIMIT_NPROC and RLIMIT_SIGPENDING (Linux ucounts).
 *
 * Limits are per process (Linux signal_struct.rlim): struct pm_process
 * embeds a `struct pm_rlimits`, initialised from the parent's with
 * pm_rlimits_copy() at fork and kept across execve. Readers of a single
 * value (the VM module reading RLIMIT_STACK, RLIMIT_DATA, RLIMIT_AS) take
 * no lock; changes and consistent old-value reads take the structure's
 * PM_LOCK_LEAF lock.
 *
 * Per-user counts: every thread is charged to the RLIMIT_NPROC count of
 * its real user in its user namespace (and, through the namespace's
 * owner, of every ancestor namespace), by pm_cred_clone() and
 * pm_cred_release() in cred.h. Queued signals are charged to the
 * receiving thread's real user with pm_cred_sigpending_charge() below.
 *
 * @ingroup pm_cred
 */
#ifndef PROCMGR_RLIMIT_H
#define PROCMGR_RLIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/config.h"
#include "procmgr/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_cred
 * @{
 */

/** @name Resources (include/uapi/asm-generic/resource.h; x86_64 and riscv64)
 * @{
 */
#define PM_RLIMIT_CPU        0  /**< CPU time in seconds */
#define PM_RLIMIT_FSIZE      1  /**< largest file created, bytes */
#define PM_RLIMIT_DATA       2  /**< data segment (brk and private writable mappings), bytes */
#define PM_RLIMIT_STACK      3  /**< main thread's stack, bytes */
#define PM_RLIMIT_CORE       4  /**< core file size, bytes */
#define PM_RLIMIT_RSS        5  /**< resident set size, bytes (not enforced by Linux) */
#define PM_RLIMIT_NPROC      6  /**< threads of the real user */
#define PM_RLIMIT_NOFILE     7  /**< open files: one above the largest descriptor */
#define PM_RLIMIT_MEMLOCK    8  /**< locked memory, bytes */
#define PM_RLIMIT_AS         9  /**< address space, bytes */
#define PM_RLIMIT_LOCKS      10 /**< file locks */
#define PM_RLIMIT_SIGPENDING 11 /**< queued signals of the real user */
#define PM_RLIMIT_MSGQUEUE   12 /**< POSIX message queue bytes */
#define PM_RLIMIT_NICE       13 /**< nice ceiling, as 20 - nice */
#define PM_RLIMIT_RTPRIO     14 /**< real-time priority ceiling */
#define PM_RLIMIT_RTTIME     15 /**< real-time CPU time without blocking, microseconds */
#define PM_RLIM_NLIMITS      16 /**< number of resources */
/** @} */

/** No limit (RLIM64_INFINITY; RLIM_INFINITY on 64-bit). */
#define PM_RLIM_INFINITY UINT64_MAX

/** Default RLIMIT_STACK soft limit, and the secure-exec ceiling (_STK_LIM, 8 MiB). */
#define PM_STK_LIM ((uint64_t)8 << 20)

/** Highest RLIMIT_NOFILE hard limit (sysctl fs.nr_open, default 1048576). */
#ifndef PM_NR_OPEN
#define PM_NR_OPEN 1048576u
#endif

/** One limit (struct rlimit64). */
struct pm_rlimit {
	uint64_t rlim_cur; /**< soft limit */
	uint64_t rlim_max; /**< hard limit: ceiling of the soft limit */
};

/** A process's limits (Linux signal_struct.rlim). Caller-owned. */
struct pm_rlimits {
	/** The limits, indexed by PM_RLIMIT_*; read a single word lock-free. */
	struct pm_rlimit rlim[PM_RLIM_NLIMITS];
	/** PM_LOCK_LEAF: serialises changes (Linux task_lock of the leader). */
	pm_hal_lock_t lock;
};

/**
 * @brief Initialise @p r with Linux's initial limits (INIT_RLIMITS and
 *        fork_init): everything infinite except RLIMIT_STACK 8 MiB soft,
 *        RLIMIT_CORE 0 soft, RLIMIT_NOFILE 1024/4096, RLIMIT_MEMLOCK
 *        8 MiB/8 MiB, RLIMIT_MSGQUEUE 819200/819200, RLIMIT_NICE and
 *        RLIMIT_RTPRIO 0/0, and RLIMIT_NPROC and RLIMIT_SIGPENDING
 *        max_threads / 2 for both.
 * @param r            caller-owned storage.
 * @param max_threads  the kernel's thread limit (Linux max_threads).
 */
void pm_rlimits_init(struct pm_rlimits *r, uint64_t max_threads);

/**
 * @brief Initialise @p dst as a copy of @p src (fork: limits are inherited).
 * @param dst  caller-owned storage, not initialised.
 * @param src  the parent's limits.
 *
 * **Locking**: takes @p src's lock.
 */
void pm_rlimits_copy(struct pm_rlimits *dst, struct pm_rlimits *src);

/**
 * @brief Destroy @p r (its lock).
 * @param r  limits nobody uses any more.
 */
void pm_rlimits_destroy(struct pm_rlimits *r);

/**
 * @brief Current soft limit of @p resource, lock-free (Linux rlimit()).
 * @param r         the limits.
 * @param resource  a PM_RLIMIT_* below PM_RLIM_NLIMITS (not checked).
 * @return the soft limit.
 */
uint64_t pm_rlimit_cur(const struct pm_rlimits *r, unsigned int resource);

/**
 * @brief Current hard limit of @p resource, lock-free (Linux rlimit_max()).
 * @param r         the limits.
 * @param resource  a PM_RLIMIT_* below PM_RLIM_NLIMITS (not checked).
 * @return the hard limit.
 */
uint64_t pm_rlimit_max(const struct pm_rlimits *r, unsigned int resource);

/**
 * @brief getrlimit(2)/prlimit64 without a new value.
 * @param r         the limits.
 * @param resource  resource number.
 * @param out       receives both limits, read consistently.
 * @return 0 or -PM_EINVAL (resource >= 16).
 *
 * **Locking**: takes @p r's lock.
 */
int pm_rlimit_get(struct pm_rlimits *r, unsigned int resource, struct pm_rlimit *out);

/**
 * @brief Change and/or read one limit (Linux do_prlimit): checks in
 *        Linux's order, then updates.
 * @param r         the target process's limits.
 * @param caller    the calling thread's credentials (raising a hard limit
 *                  needs CAP_SYS_RESOURCE in the initial namespace).
 * @param resource  resource number.
 * @param new_rlim  the new limits, or NULL to only read.
 * @param old_rlim  receives the limits before the change, or NULL.
 * @return 0; -PM_EINVAL for resource >= 16 or soft > hard; -PM_EPERM for
 *         an RLIMIT_NOFILE hard limit above PM_NR_OPEN or a raised hard
 *         limit without the capability. The caller arms the RLIMIT_CPU
 *         timer when a finite RLIMIT_CPU soft limit was set.
 *
 * **Locking**: takes @p r's lock.
 */
int pm_rlimit_set(struct pm_rlimits *r, const struct pm_cred *caller, unsigned int resource,
                  const struct pm_rlimit *new_rlim, struct pm_rlimit *old_rlim);

/**
 * @brief prlimit64(2) once the target thread is found (Linux prlimit64):
 *        the permission check of pm_cred_prlimit_permission() when the
 *        target is not the caller, then pm_rlimit_set().
 * @param r          the target process's limits.
 * @param caller     the caller's credentials.
 * @param target     the target thread's credentials.
 * @param same_task  the target is the calling thread.
 * @param resource   resource number.
 * @param new_rlim   new limits or NULL.
 * @param old_rlim   receives the old limits, or NULL.
 * @return 0; -PM_EPERM from the permission check (made first, as
 *         prlimit64 does), then the errors of pm_rlimit_set().
 */
int pm_rlimit_prlimit(struct pm_rlimits *r, const struct pm_cred *caller,
                      const struct pm_cred *target, bool same_task, unsigned int resource,
                      const struct pm_rlimit *new_rlim, struct pm_rlimit *old_rlim);

/**
 * @brief The secure-exec clamp of begin_new_exec: RLIMIT_STACK's soft
 *        limit becomes at most 8 MiB. Call it when pm_exec_creds says
 *        secureexec, before the stack layout is chosen.
 * @param r  the exec'ing process's limits.
 *
 * **Locking**: takes @p r's lock.
 */
void pm_rlimits_exec_secure(struct pm_rlimits *r);

/** @name Per-user counts (Linux kernel/ucount.c)
 * @{
 */

struct pm_cred;
struct pm_ucounts;

/**
 * @brief Threads charged to @p cred's real user in its namespace
 *        (get_rlimit_value of UCOUNT_RLIMIT_NPROC).
 * @param cred  credentials.
 * @return the count.
 */
int64_t pm_cred_nproc_count(const struct pm_cred *cred);

/**
 * @brief Is @p cred's real user over @p limit threads, or is one of the
 *        namespace owners above it over its namespace's ceiling (Linux
 *        is_rlimit_overlimit)?
 * @param cred   credentials.
 * @param limit  RLIMIT_NPROC soft limit of the asking process.
 * @return true if over.
 */
bool pm_cred_nproc_overlimit(const struct pm_cred *cred, uint64_t limit);

/**
 * @brief Charge one queued signal to the receiving thread's real user
 *        (Linux sig_get_ucounts / inc_rlimit_get_ucounts).
 * @param receiver  the receiving thread's credentials.
 * @param limit     the receiver's RLIMIT_SIGPENDING soft limit.
 * @param override  charge even over the limit (kernel-generated and
 *                  non-real-time kill() signals; see the signal module).
 * @return the counters charged, to pass to pm_cred_sigpending_uncharge()
 *         when the entry is freed (keep it in the queued entry); or NULL
 *         when over the limit (nothing charged: the caller drops the
 *         siginfo or fails with EAGAIN as Linux does).
 *
 * Lock-free, no allocation.
 */
struct pm_ucounts *pm_cred_sigpending_charge(const struct pm_cred *receiver, uint64_t limit,
                                             bool override);

/**
 * @brief Undo one pm_cred_sigpending_charge() (Linux
 *        dec_rlimit_put_ucounts).
 * @param uc  what pm_cred_sigpending_charge() returned.
 *
 * **Locking**: may take a namespace's PM_LOCK_LEAF lock if this was the
 * last reference to the counters.
 */
void pm_cred_sigpending_uncharge(struct pm_ucounts *uc);

/**
 * @brief pm_cred_sigpending_charge() to counters the caller already holds
 *        a reference to, taking none (Linux inc_rlimit_ucounts's part of
 *        inc_rlimit_get_ucounts).
 *
 * For a queue that keeps a reference in a recycled entry: when the
 * receiver's pm_cred.ucounts is the entry's, charging needs no reference
 * count traffic.
 *
 * @param uc        counters the caller holds a reference to (normally
 *                  the receiver's pm_cred.ucounts).
 * @param limit     the receiver's RLIMIT_SIGPENDING soft limit.
 * @param override  charge even over the limit.
 * @return true if charged; false when over the limit (nothing charged).
 *
 * Lock-free, no allocation.
 */
bool pm_cred_sigpending_charge_held(struct pm_ucounts *uc, uint64_t limit, bool override);

/**
 * @brief Undo one pm_cred_sigpending_charge_held(), keeping the caller's
 *        reference (Linux dec_rlimit_ucounts).
 * @param uc  the counters charged.
 *
 * Lock-free.
 */
void pm_cred_sigpending_uncharge_held(struct pm_ucounts *uc);

/**
 * @brief Drop a reference to counters returned by
 *        pm_cred_sigpending_charge() and kept after
 *        pm_cred_sigpending_uncharge_held() (Linux put_ucounts).
 * @param uc  the counters; NULL is ignored.
 *
 * **Locking**: may take a namespace's PM_LOCK_LEAF lock if this was the
 * last reference; may free memory through pm_hal_free().
 */
void pm_cred_ucounts_put(struct pm_ucounts *uc);

/**
 * @brief Signals queued for @p cred's real user (for tests and /proc).
 * @param cred  credentials.
 * @return the count.
 */
int64_t pm_cred_sigpending_count(const struct pm_cred *cred);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_RLIMIT_H */
