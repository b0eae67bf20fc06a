/* SPDX-License-Identifier: MIT */
/**
 * @file pidns.h
 * @brief PID namespaces and pid numbers (Linux kernel/pid.c,
 *        kernel/pid_namespace.c).
 *
 * A process has one pid number in every PID namespace from the one it was
 * created in up to the root (level 0): `struct pm_pid` carries them, as
 * Linux's `struct pid` does. A number is looked up per namespace in a
 * 64-way radix map whose nodes come from pm_hal_alloc(); numbers are
 * handed out cyclically, wrapping to PM_RESERVED_PIDS after pid_max, and
 * reused only once the last reference to their `struct pm_pid` is gone
 * (a process group or session keeps its leader's number alive).
 *
 * The root namespace lives inside `struct pm_table`; the others are created
 * by pm_clone() with PM_CLONE_NEWPID or pm_unshare() and freed when their
 * last reference goes. The first process of a namespace is its init and
 * child reaper; when it dies every other member is killed, new processes
 * can no longer be created there (-PM_ENOMEM) and PM_EVENT_PIDNS_EMPTY
 * reports the end.
 *
 * Locking: functions that read pid numbers of a `struct pm_pid` take no
 * lock (the numbers never change). The others say which lock they take.
 *
 * @ingroup pm_table
 */
#ifndef PROCMGR_PIDNS_H
#define PROCMGR_PIDNS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/config.h"
#include "procmgr/types.h"
#include "procmgr/list.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_table
 * @{
 */

struct pm_pid;

/** Levels of the pid radix map: 64^4 slots cover PM_PID_MAX_LIMIT. */
#define PM_PIDMAP_MAX_HEIGHT 4

/** Flag in pm_pidns.pid_allocated while new pids may be allocated
 *  (Linux PIDNS_ADDING). */
#define PM_PIDNS_ADDING (1u << 31)

/**
 * The pid numbers of one namespace: a 64-way radix tree (like Linux's IDR)
 * from number to `struct pm_pid`. Fields are private to procmgr.
 */
struct pm_pidmap {
	void *root;      /**< top node, or NULL when the map is empty */
	uint32_t height; /**< levels below and including the root */
	uint32_t count;  /**< numbers in use */
};

/**
 * A PID namespace (Linux struct pid_namespace). The root one is embedded in
 * `struct pm_table`; the others are allocated by procmgr. Fields are
 * private: use the functions below. Protected by PM_LOCK_TABLE.
 */
struct pm_pidns {
	struct pm_table *table;         /**< the table it belongs to */
	struct pm_pidns *parent;        /**< enclosing namespace; NULL for the root */
	uint32_t level;                 /**< 0 for the root */
	uint32_t refcount;              /**< pids, threads, child namespaces, users */
	uint32_t pid_allocated;         /**< live pids here, with PM_PIDNS_ADDING */
	pm_pid_t pid_max;               /**< numbers are below this (inherited) */
	pm_pid_t cursor;                /**< next number to try (idr_next) */
	uint32_t serial;                /**< creation number within the table */
	struct pm_thread *child_reaper; /**< init (or its live thread), or NULL */
	struct pm_thread *zap_thread;   /**< exiting init waiting for the others */
	struct pm_pidns *zap_next;      /**< next namespace waiting to end */
	struct pm_pidmap map;           /**< number -> struct pm_pid */
	struct pm_list all_node;        /**< node in the table's namespace list */
	bool embedded;                  /**< the table's root (never freed) */
};

/**
 * @brief The number of @p pid in namespace @p ns (Linux pid_nr_ns).
 *
 * @param pid  a pid (NULL gives 0).
 * @param ns   a namespace (NULL gives 0).
 * @return the number, or 0 when @p pid is not visible in @p ns (it was
 *         created in a namespace that is not @p ns or a descendant of it).
 *
 * Locking: none (numbers are immutable). Source: kernel/pid.c:pid_nr_ns.
 */
pm_pid_t pm_pid_nr_ns(const struct pm_pid *pid, const struct pm_pidns *ns);

/**
 * @brief The number of @p pid in the namespace it was created in: what a
 * thread of that namespace sees (Linux pid_nr_ns(pid, ns_of_pid(pid)), so
 * task_tgid_vnr and task_pid_vnr for the owner of @p pid).
 *
 * @param pid  a pid (NULL gives 0).
 * @return its innermost number.
 *
 * Locking: none (numbers are immutable). Source: kernel/pid.c:pid_nr_ns.
 */
pm_pid_t pm_pid_nr_innermost(const struct pm_pid *pid);

/**
 * @brief Level of the namespace @p pid was created in (Linux pid->level).
 * @param pid  a pid.
 * @return 0 for a pid of the root namespace.
 *
 * Locking: none.
 */
uint32_t pm_pid_level(const struct pm_pid *pid);

/**
 * @brief The namespace @p pid was created in (Linux ns_of_pid).
 * @param pid  a pid.
 * @return its innermost namespace.
 *
 * Locking: none.
 */
struct pm_pidns *pm_pid_ns(const struct pm_pid *pid);

/**
 * @brief Nesting level of @p ns (0 = root).
 * @param ns  a namespace.
 * @return the level, at most PM_MAX_PID_NS_LEVEL.
 *
 * Locking: none.
 */
uint32_t pm_pidns_level(const struct pm_pidns *ns);

/**
 * @brief The namespace enclosing @p ns.
 * @param ns  a namespace.
 * @return the parent, or NULL for the root.
 *
 * Locking: none (immutable).
 */
struct pm_pidns *pm_pidns_parent(const struct pm_pidns *ns);

/**
 * @brief Is @p ns equal to @p ancestor or nested inside it?
 * @param ns        a namespace.
 * @param ancestor  a namespace.
 * @return true if processes of @p ns are visible from @p ancestor.
 *
 * Locking: none. Source: the level walk of kernel/pid_namespace.c
 * (pidns_is_ancestor).
 */
bool pm_pidns_is_descendant(const struct pm_pidns *ns, const struct pm_pidns *ancestor);

/**
 * @brief pid_max of @p ns: every number there is below it.
 * @param ns  a namespace.
 * @return the limit (inherited from the parent at creation, as Linux 6.14+
 *         does with its per-namespace pid_max).
 *
 * Locking: none.
 */
pm_pid_t pm_pidns_pid_max(const struct pm_pidns *ns);

/**
 * @brief Take a reference on @p ns so it outlives its processes (Linux
 *        get_pid_ns), e.g. for an open /proc or a setns() file.
 * @param ns  a namespace.
 *
 * Locking: takes PM_LOCK_TABLE.
 */
void pm_pidns_get(struct pm_pidns *ns);

/**
 * @brief Drop a reference from pm_pidns_get(); the namespace is freed with
 *        its last reference (Linux put_pid_ns).
 * @param ns  a namespace.
 *
 * Locking: takes PM_LOCK_TABLE.
 */
void pm_pidns_put(struct pm_pidns *ns);

/**
 * @brief The init (child reaper) thread of @p ns.
 * @param ns  a namespace.
 * @return the thread orphans of @p ns are given to, or NULL when no process
 *         was created there yet or its init has died.
 *
 * Locking: takes PM_LOCK_TABLE. The thread may change afterwards (another
 * thread of init takes over when the one returned exits).
 */
struct pm_thread *pm_pidns_child_reaper(struct pm_pidns *ns);

/**
 * @brief Does @p ns still accept new processes?
 * @param ns  a namespace.
 * @return false once its init has died (pm_clone() then fails with
 *         -PM_ENOMEM), true otherwise, also before its first process.
 *
 * Locking: takes PM_LOCK_TABLE. Source: PIDNS_ADDING, kernel/pid.c.
 */
bool pm_pidns_accepts_new(struct pm_pidns *ns);

/**
 * @brief Pids in use in @p ns: one per live thread, plus those kept by
 *        zombies, process groups and sessions.
 * @param ns  a namespace.
 * @return the count.
 *
 * Locking: takes PM_LOCK_TABLE.
 */
uint32_t pm_pidns_nr_pids(struct pm_pidns *ns);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_PIDNS_H */
