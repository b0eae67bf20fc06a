/* SPDX-License-Identifier: MIT */
/**
 * @file table.h
 * @brief The process table: processes, threads, parent/child links, clone,
 *        exit, zombies, reaping, wait, process groups and sessions.
 *
 * One `struct pm_table` is one process universe: a root PID namespace, the
 * pid maps, and every process and thread created in it. The kernel embeds
 * `struct pm_process` (a thread group, Linux's signal_struct and group
 * leader) and `struct pm_thread` (a task) in its own structures, passes
 * them to pm_table_spawn_init() and pm_clone(), and frees them when procmgr
 * reports PM_EVENT_RELEASE for them. The rules for their lifetimes are
 * Linux's: kernel/fork.c (copy_process), kernel/exit.c (do_exit,
 * exit_notify, release_task, do_wait), kernel/sys.c (setpgid, setsid,
 * prctl), kernel/pid.c and kernel/pid_namespace.c.
 *
 * Procmgr never blocks: a wait that would sleep returns -PM_EAGAIN and the
 * kernel sleeps until PM_EVENT_CHILD_STATE names the waiting process.
 * Threads that must die (a group exit, a fatal signal, an exec in another
 * thread, the death of their PID namespace's init) are reported with
 * PM_EVENT_SIGNAL_PENDING (arg 1) and pm_thread_exit_pending(); the kernel
 * runs them into pm_exit_group().
 *
 * Credentials and limits: every thread embeds its credential slot and
 * every process its resource limits (cred.h, rlimit.h). The table creates,
 * shares, charges (RLIMIT_NPROC) and releases them in clone, exit and
 * reaping; the kernel calls the credential module's set*id, capset and
 * prctl functions on pm_thread_cred() and pm_process_rlimits() and then
 * pm_thread_cred_changed() (see "Credentials and limits" below).
 *
 * Locking: every table function takes the table's PM_LOCK_TABLE itself
 * unless its name ends in `_locked`, in which case the caller holds it
 * (pm_table_lock()). Nothing allocates with the lock held: functions that
 * need memory (pm_clone(), pm_unshare(), pm_table_spawn_init()) allocate it
 * first and fail with -PM_ENOMEM having changed nothing.
 *
 * Fields of the structures below are private to procmgr; they are in this
 * header only so that the kernel can embed the structures. Use the
 * functions.
 *
 * @defgroup pm_table Process table and PID namespaces
 * @brief Pids, processes, threads, clone, exit, wait, groups, sessions.
 * @{
 */
#ifndef PROCMGR_TABLE_H
#define PROCMGR_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/config.h"
#include "procmgr/types.h"
#include "procmgr/list.h"
#include "procmgr/hal.h"
#include "procmgr/pidns.h"
#include "procmgr/sched.h"
#include "procmgr/cred.h"
#include "procmgr/rlimit.h"
#include "procmgr/signal.h"
#include "procmgr/userns.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/** @name Linux constants (include/uapi/linux/sched.h, wait.h, prctl.h)
 * @{
 */

#define PM_WNOHANG    0x00000001 /**< do not block */
#define PM_WUNTRACED  0x00000002 /**< report stopped children (wait4) */
#define PM_WSTOPPED   0x00000002 /**< report stopped children (waitid) */
#define PM_WEXITED    0x00000004 /**< report exited children (waitid; implied by wait4) */
#define PM_WCONTINUED 0x00000008 /**< report continued children */
#define PM_WNOWAIT    0x01000000 /**< leave the child waitable (waitid) */
#define PM_WNOTHREAD  0x20000000 /**< Linux __WNOTHREAD: only the caller thread's children */
#define PM_WALL       0x40000000 /**< Linux __WALL: clone and non-clone children */
#define PM_WCLONE     ((int)0x80000000u) /**< Linux __WCLONE: only clone children */

#define PM_P_ALL   0 /**< waitid: any child */
#define PM_P_PID   1 /**< waitid: the child with this pid */
#define PM_P_PGID  2 /**< waitid: children in this process group (0: the caller's) */
#define PM_P_PIDFD 3 /**< waitid: pidfd (resolved by the kernel; not accepted here) */

#ifndef PM_PR_SET_PDEATHSIG
#define PM_PR_SET_PDEATHSIG       1  /**< prctl: signal on parent death */
#define PM_PR_GET_PDEATHSIG       2  /**< prctl: read it */
#define PM_PR_SET_CHILD_SUBREAPER 36 /**< prctl: adopt orphaned descendants */
#define PM_PR_GET_CHILD_SUBREAPER 37 /**< prctl: read it */
#endif

/** @} */

/* ======================================================================== */
/** @name Objects
 * @{
 */

/** Resource usage, as the kernel reports it per thread (Linux struct
 *  rusage fields procmgr accumulates; times in nanoseconds). */
struct pm_rusage {
	uint64_t utime_ns;  /**< user CPU time */
	uint64_t stime_ns;  /**< system CPU time */
	uint64_t minflt;    /**< minor page faults */
	uint64_t majflt;    /**< major page faults */
	uint64_t nvcsw;     /**< voluntary context switches */
	uint64_t nivcsw;    /**< involuntary context switches */
	uint64_t inblock;   /**< block input operations */
	uint64_t oublock;   /**< block output operations */
	uint64_t maxrss_kb; /**< largest resident set, KiB */
};

/** States a process is counted in (pm_table_stats()). */
enum pm_proc_state {
	PM_PROC_RUNNING = 0,  /**< some live thread is runnable (or exiting) */
	PM_PROC_SLEEPING = 1, /**< every live thread is asleep (pm_thread_set_sleeping()) */
	PM_PROC_STOPPED = 2,  /**< stopped by job control */
	PM_PROC_ZOMBIE = 3,   /**< every thread exited; waiting to be reaped */
	PM_PROC_NSTATES = 4,  /**< number of states */
};

/** A thread group (Linux's signal_struct with its group leader's process
 *  links). Embedded by the kernel; fields are private. Protected by
 *  PM_LOCK_TABLE. */
struct pm_process {
	struct pm_table *table;            /**< table it lives in */
	struct pm_pid *tgid;               /**< its process id (the leader's tid) */
	struct pm_thread *leader;          /**< group leader thread */
	struct pm_list threads;            /**< threads not yet released, creation order */
	uint32_t nr_threads;               /**< length of @c threads */
	uint32_t live;                     /**< threads that have not begun exiting */
	struct pm_thread *real_parent;     /**< parent thread; NULL for init */
	struct pm_list sibling;            /**< node in real_parent->children */
	int32_t exit_signal;               /**< signal to the parent at death */
	uint32_t sigflags;                 /**< Linux SIGNAL_* flags (table_internal.h) */
	uint64_t parent_exec_id;           /**< parent's self_exec_id at fork */
	struct pm_rlimits rlim;            /**< resource limits (their own PM_LOCK_LEAF lock) */
	struct pm_pid *pgrp;               /**< process group */
	struct pm_pid *session;            /**< session */
	struct pm_list pgrp_node;          /**< node in the group's member list */
	struct pm_list session_node;       /**< node in the session's member list */
	uint32_t flags;                    /**< PM_PF_* (table_internal.h) */
	int32_t group_exit_code;           /**< status of a group exit or stop signal */
	uint8_t exit_state;                /**< 0, zombie or dead */
	uint8_t state_class;               /**< enum pm_proc_state it is counted in */
	uint8_t dumpable;                  /**< PM_SUID_DUMP_* of its address space */
	uint16_t nr_sleeping;              /**< live threads reported asleep */
	struct pm_thread *group_exec_task; /**< thread running exec, or NULL */
	struct pm_list sighand_peers;      /**< processes sharing signal handlers */
	struct pm_list vm_peers;           /**< processes sharing the address space */
	struct pm_rusage dead;             /**< usage of threads already released */
	struct pm_rusage children;         /**< usage of reaped children (Linux c* fields) */
	uint64_t start_time_ns;            /**< pm_hal_time_ns() at creation */
	struct pm_sig_process sig;         /**< signal state (signal.h; PM_LOCK_SIGHAND) */
};

/** A thread (Linux task_struct, process-management part). Embedded by the
 *  kernel; fields are private. Protected by PM_LOCK_TABLE. */
struct pm_thread {
	struct pm_process *process;          /**< its thread group */
	struct pm_pid *pid;                  /**< its thread id */
	struct pm_list group_node;           /**< node in process->threads */
	struct pm_list children;             /**< processes whose parent is this thread */
	struct pm_pidns *pidns_for_children; /**< where its children get pids */
	struct pm_thread *vfork_parent;      /**< parent waiting in vfork, or NULL */
	uint64_t clone_flags;                /**< PM_CLONE_* it was created with */
	uint64_t self_exec_id;               /**< bumped at each exec */
	int32_t exit_code;                   /**< Linux exit_code (status word) */
	int32_t pdeath_signal;               /**< PR_SET_PDEATHSIG value */
	struct pm_cred_slot cred;            /**< credentials (cred.h; their own locking) */
	uint8_t exit_state;                  /**< 0, zombie or dead */
	uint8_t flags;                       /**< PM_TF_* (table_internal.h) */
	uint16_t pad_;                       /**< padding */
	struct pm_rusage rusage;             /**< usage the kernel reported */
	struct pm_sig_thread sig;            /**< signal state (signal.h; PM_LOCK_SIGHAND) */
};

/** Internal radix nodes kept for reuse, so that steady-state clone and
 *  exit need no pm_hal_alloc(). Private. */
struct pm_node_cache {
	void *free;     /**< singly linked list of free nodes (PM_LOCK_TABLE) */
	uint32_t count; /**< nodes on the list */
	uint32_t max;   /**< nodes kept at most */
};

/** Options for pm_table_init(); zero fields take the defaults. */
struct pm_table_config {
	uint32_t pid_max; /**< numbers are below this; 0 = PM_PID_MAX_DEFAULT */
	/** threads-max: fork fails with EAGAIN at it; init's RLIMIT_NPROC and
	 *  RLIMIT_SIGPENDING and the per-user max_user_namespaces are half of
	 *  it, as Linux's fork_init sets them; 0 = none (those are unlimited) */
	uint32_t max_threads;
	uint32_t node_cache_max; /**< radix nodes kept for reuse; 0 = 64 */
	bool no_node_cache;      /**< keep none: every node comes from pm_hal_alloc() */
};

/** One process universe. Embedded or allocated by the caller; fields are
 *  private. */
struct pm_table {
	pm_hal_lock_t lock;                 /**< PM_LOCK_TABLE */
	struct pm_pidns root_ns;            /**< the root PID namespace */
	struct pm_thread *init;             /**< global init's leader thread, or NULL */
	uint32_t max_threads;               /**< see pm_table_config */
	uint32_t nr_threads;                /**< threads not yet released */
	uint32_t nr_processes;              /**< processes not yet released */
	uint32_t nr_state[PM_PROC_NSTATES]; /**< processes per enum pm_proc_state */
	uint32_t nr_namespaces;             /**< PID namespaces, the root included */
	uint32_t ns_serial;                 /**< last namespace serial handed out */
	uint64_t processes_created;         /**< total */
	uint64_t processes_exited;          /**< total (every thread gone) */
	uint64_t threads_created;           /**< total, group leaders included */
	uint64_t threads_exited;            /**< total */
	uint64_t live_nodes;                /**< radix nodes in maps */
	struct pm_userns user_ns;           /**< the initial user namespace (cred.h) */
	struct pm_pidns *zap_list;          /**< namespaces whose init waits to end */
	struct pm_list namespaces;          /**< every PID namespace, the root first */
	struct pm_node_cache cache;         /**< spare radix nodes */
	struct pm_sig_pool sigpool;         /**< queued-signal records (signal.h) */
};

/** Counters of a table (pm_table_stats()). */
struct pm_table_stats {
	uint32_t processes;                 /**< not yet released (zombies included) */
	uint32_t threads;                   /**< not yet released */
	uint32_t by_state[PM_PROC_NSTATES]; /**< processes per enum pm_proc_state */
	uint32_t namespaces;                /**< PID namespaces */
	uint32_t root_pids;                 /**< pids in use in the root namespace */
	uint64_t processes_created;         /**< since pm_table_init() */
	uint64_t processes_exited;          /**< since pm_table_init() */
	uint64_t threads_created;           /**< since pm_table_init() */
	uint64_t threads_exited;            /**< since pm_table_init() */
	uint64_t radix_nodes;               /**< nodes in pid maps */
	uint32_t cached_nodes;              /**< spare nodes held for reuse */
};

/** @} */

/* ======================================================================== */
/** @name Table
 * @{
 */

/**
 * @brief Initialise @p t: an empty universe with its root PID namespace.
 *
 * @param t    storage for the table (caller-owned).
 * @param cfg  options, or NULL for the defaults.
 * @return 0; -PM_EINVAL if @p t is NULL or pid_max is not within
 *         PM_RESERVED_PIDS + 1 .. PM_PID_MAX_LIMIT (Linux pid_max_min and
 *         PID_MAX_LIMIT).
 *
 * Allocates nothing. Locking: none (the table is not shared yet).
 * Source: kernel/pid.c:pid_idr_init.
 */
int pm_table_init(struct pm_table *t, const struct pm_table_config *cfg);

/**
 * @brief Tear @p t down: release every process and thread still in it
 *        (PM_EVENT_RELEASE for each, no exit semantics), free every
 *        internal node and namespace.
 *
 * @param t  an initialised table; nobody else may use it any more. Every
 *           pm_pidns_get() reference must have been dropped.
 *
 * Locking: takes PM_LOCK_TABLE, then destroys it.
 */
void pm_table_destroy(struct pm_table *t);

/**
 * @brief Create the global init: pid 1 of the root namespace, its child
 *        reaper, leader of session 1 and process group 1, with no parent.
 *
 * init gets Linux's init_cred (every id 0, full permitted, effective and
 * bounding sets, the table's initial user namespace) and INIT_RLIMITS
 * (pm_rlimits_init() with the table's max_threads), and is dumpable.
 *
 * @param t       a table with no process yet.
 * @param proc    storage for init's process (caller-owned).
 * @param thread  storage for its first thread.
 * @return 0; -PM_EINVAL if a process already exists or an argument is
 *         NULL; -PM_ENOMEM if a pid, a radix node or the credentials cannot
 *         be allocated.
 *
 * Locking: allocates first, then takes PM_LOCK_TABLE. Source: init/main.c
 * (rest_init creates init with kernel_clone()), kernel/cred.c init_cred,
 * include/asm-generic/resource.h INIT_RLIMITS; it starts as a session and
 * group leader, as after its first setsid().
 */
int pm_table_spawn_init(struct pm_table *t, struct pm_process *proc, struct pm_thread *thread);

/**
 * @brief Counters of @p t.
 * @param t    a table.
 * @param out  receives them.
 *
 * Locking: takes PM_LOCK_TABLE.
 */
void pm_table_stats(struct pm_table *t, struct pm_table_stats *out);

/**
 * @brief Verify every invariant of @p t: pid maps and their counts, radix
 *        bits, pid references, thread lists, parent/child links, group and
 *        session membership, namespace references and the counters.
 *
 * @param t    a table.
 * @param why  if not NULL, receives a static description of the first
 *             broken invariant (or "ok").
 * @return 0 when consistent, -PM_EINVAL otherwise.
 *
 * O(processes + pids). Locking: takes PM_LOCK_TABLE. Meant for tests.
 */
int pm_table_check(struct pm_table *t, const char **why);

/**
 * @brief Take @p t's lock, for the `_locked` functions.
 * @param t  a table.
 */
void pm_table_lock(struct pm_table *t);

/**
 * @brief Release @p t's lock.
 * @param t  a table whose lock the caller holds.
 */
void pm_table_unlock(struct pm_table *t);

/** @} */

/* ======================================================================== */
/** @name Clone, unshare, exec
 * @{
 */

/** Arguments of pm_clone() (Linux struct kernel_clone_args, the parts the
 *  process table decides on; stacks, TLS and tid pointers stay the
 *  kernel's). */
struct pm_clone_args {
	uint64_t flags;      /**< PM_CLONE_* */
	int32_t exit_signal; /**< signal sent to the parent at death (0: none) */
	bool legacy;         /**< flags come from clone(2), not clone3(2) */
	bool chrooted;       /**< the caller's root is not its mount namespace's root */
};

/**
 * @brief Decode the flags word of the legacy clone(2) system call.
 *
 * @param word  clone's first argument: PM_CLONE_* with the exit signal in
 *              the low byte (PM_CSIGNAL).
 * @param out   receives flags = low 32 bits without PM_CSIGNAL, exit_signal
 *              = the low byte (not validated, as Linux), legacy = true,
 *              chrooted = false.
 *
 * Pure. Source: kernel/fork.c:SYSCALL_DEFINE5(clone).
 */
void pm_clone_args_legacy(uint64_t word, struct pm_clone_args *out);

/**
 * @brief Create a process or thread (Linux copy_process and kernel_clone).
 *
 * @param self    the calling thread.
 * @param args    flags and exit signal; fork is flags 0 with exit_signal
 *                SIGCHLD (17), vfork PM_CLONE_VM | PM_CLONE_VFORK.
 * @param nproc   storage for the new process (unused with PM_CLONE_THREAD,
 *                may then be NULL).
 * @param nthread storage for the new thread.
 * @param pid     if not NULL, receives the new thread's id as @p self sees
 *                it (its pid namespace).
 * @return 0, or, checked in Linux's order and changing nothing:
 *  - -PM_EINVAL: clone3 (legacy false) with a flag outside PM_CLONE_*,
 *    PM_CLONE_DETACHED, exit-signal bits in flags, PM_CLONE_SIGHAND with
 *    PM_CLONE_CLEAR_SIGHAND, PM_CLONE_THREAD or PM_CLONE_PARENT with a
 *    nonzero exit signal, or an exit signal above 64; legacy clone with
 *    PM_CLONE_PIDFD and PM_CLONE_PARENT_SETTID (one pointer for both);
 *    NEWNS with FS; NEWUSER with FS; THREAD without SIGHAND; SIGHAND without
 *    VM; PARENT from a namespace init (or global init); THREAD with NEWUSER
 *    or NEWPID or after unshare(CLONE_NEWPID); PIDFD with DETACHED;
 *    NEWIPC with SYSVSEM; NEWPID after unshare(CLONE_NEWPID); a NULL
 *    argument (no process storage without PM_CLONE_THREAD);
 *  - -PM_ENOSPC, -PM_EPERM, -PM_ENOMEM: PM_CLONE_NEWUSER could not create
 *    the user namespace (pm_cred_clone(): 33 levels or max_user_namespaces,
 *    a chrooted caller, an euid or egid unmapped in the caller's namespace);
 *  - -PM_EAGAIN: the child's real user is over the caller's RLIMIT_NPROC
 *    soft limit (threads counted, zombies included) and the child's real
 *    uid is not global root and the caller has neither CAP_SYS_RESOURCE nor
 *    CAP_SYS_ADMIN in the initial user namespace; max_threads reached; no
 *    free pid in one of the namespaces;
 *  - -PM_EPERM: another new namespace without CAP_SYS_ADMIN over the
 *    child's user namespace;
 *  - -PM_ENOSPC: PM_CLONE_NEWPID beyond PM_MAX_PID_NS_LEVEL;
 *  - -PM_ENOMEM: out of memory, or the target PID namespace's init died;
 *  - -PM_ERESTARTNOINTR: @p self must exit (group exit, fatal signal, exec
 *    in another thread): Linux restarts the fork once the signal is
 *    handled, which kills the caller, so user space never sees it;
 *  - -PM_ESRCH: @p self has exited.
 *
 * The child shares the caller's credentials (new ones in a new user
 * namespace with PM_CLONE_NEWUSER) and is charged to its real user's
 * RLIMIT_NPROC count until it is reaped; a new process gets a copy of the
 * caller's limits and dumpable mode (pm_cred_clone(), pm_rlimits_copy()).
 * The child starts with pdeath signal 0, the caller's process group and
 * session, Linux's parent (the caller, or the caller's parent with
 * PM_CLONE_PARENT or PM_CLONE_THREAD) and exit signal (-1 for threads;
 * the caller's with PM_CLONE_PARENT), PF_FORKNOEXEC (setpgid EACCES rule)
 * and has_child_subreaper inherited. PM_CLONE_SIGHAND and PM_CLONE_VM
 * sharing is recorded for pm_unshare() and pm_thread_clone_flags(). A
 * vfork parent must wait until pm_thread_vfork_parent() of the child is
 * NULL (the child exec'd or exited).
 *
 * Locking: allocates first, then takes PM_LOCK_TABLE.
 * Source: kernel/fork.c:copy_process, kernel_clone, clone3_args_valid;
 * kernel/cred.c:copy_creds; kernel/nsproxy.c:copy_namespaces;
 * kernel/pid.c:alloc_pid.
 */
int pm_clone(struct pm_thread *self, const struct pm_clone_args *args, struct pm_process *nproc,
             struct pm_thread *nthread, pm_pid_t *pid);

/**
 * @brief unshare(2) for the parts the process table owns.
 *
 * @param self      the calling thread.
 * @param flags     PM_CLONE_* flags as unshare() takes them.
 * @param chrooted  the caller's root is not its mount namespace's root
 *                  (PM_CLONE_NEWUSER is then refused, as Linux does).
 * @return 0; -PM_EINVAL for a flag unshare does not know, for THREAD,
 *         SIGHAND or VM (after Linux's implications NEWUSER => THREAD|FS,
 *         VM => SIGHAND, SIGHAND => THREAD, NEWNS => FS) in a process with
 *         other threads, SIGHAND or VM while another process shares the
 *         handlers, VM while another process shares the address space, or
 *         NEWPID twice before forking; for PM_CLONE_NEWUSER the errors of
 *         pm_cred_prepare_userns() (-PM_ENOSPC at 33 levels or past
 *         max_user_namespaces, -PM_EPERM when chrooted or the euid or egid
 *         is unmapped); -PM_EPERM for another namespace flag without
 *         CAP_SYS_ADMIN over the (new) user namespace; -PM_ENOSPC past
 *         PM_MAX_PID_NS_LEVEL; -PM_ENOMEM; -PM_ESRCH if @p self exited.
 *
 * PM_CLONE_NEWUSER gives the caller new credentials in a new user
 * namespace (full capabilities there; its ids unmapped until the maps
 * are written) and moves its RLIMIT_NPROC charge. PM_CLONE_NEWPID
 * creates a namespace for the caller's future children (the caller keeps
 * its own); the other flags are validated only: the kernel unshares the
 * objects they name.
 *
 * Locking: allocates first, then takes PM_LOCK_TABLE. Source:
 * kernel/fork.c:ksys_unshare, check_unshare_flags; kernel/user_namespace.c:
 * unshare_userns; kernel/nsproxy.c:unshare_nsproxy_namespaces;
 * kernel/pid_namespace.c:copy_pid_ns.
 */
int pm_unshare(struct pm_thread *self, uint64_t flags, bool chrooted);

/**
 * @brief First step of execve once the new image is ready: kill the
 *        other threads of the caller's process (Linux de_thread).
 *
 * @param self  the thread calling execve.
 * @param left  receives how many other threads have yet to exit; the
 *              kernel runs each into pm_exit_group() and calls again
 *              until it is 0, then calls pm_exec_dethread_commit().
 * @return 0; -PM_EAGAIN if a group exit is already in progress (the exec
 *         must fail, as Linux's de_thread); -PM_ESRCH if @p self exited.
 *
 * Locking: takes PM_LOCK_TABLE. Source: fs/exec.c:de_thread.
 */
int pm_exec_dethread(struct pm_thread *self, uint32_t *left);

/**
 * @brief Commit execve for the table: @p self becomes the group leader
 *        (taking the leader's pid if it was another thread), the process
 *        loses PF_FORKNOEXEC (setpgid then fails with EACCES), its exit
 *        signal becomes SIGCHLD, self_exec_id increases, it stops sharing
 *        its old address space (the new one is dumpable) and a vfork
 *        parent is released.
 *
 * The credential steps of execve go around it (procmgr/cred_exec.h):
 * pm_cred_exec_nproc_check() first, pm_cred_exec_prepare_file() before
 * pm_exec_dethread(), then after this call pm_cred_exec_commit() on
 * pm_thread_cred(@p self), pm_thread_cred_changed() (which makes the
 * image non-dumpable when the result says so), pm_set_dumpable(self, 0)
 * when the executable is not readable, and pm_rlimits_exec_secure() when
 * secureexec.
 *
 * @param self        the exec'ing thread, alone in its process (see
 *                    pm_exec_dethread()).
 * @param secureexec  the new image is set-id or gained capabilities: the
 *                    parent-death signal is cleared (Linux bprm->secureexec).
 * @return 0; -PM_EBUSY if other threads remain; -PM_ESRCH if @p self
 *         exited.
 *
 * Locking: takes PM_LOCK_TABLE. Source: fs/exec.c:de_thread,
 * begin_new_exec; kernel/pid.c:exchange_tids.
 */
int pm_exec_dethread_commit(struct pm_thread *self, bool secureexec);

/** @} */

/* ======================================================================== */
/** @name Credentials and limits
 * The credential module's objects inside the table's (procmgr/cred.h,
 * cred_check.h, cred_exec.h, rlimit.h). The calling thread changes its
 * own credentials with the module's functions, for example
 * @code
 * err = pm_cred_setresuid(pm_thread_cred(self),
 *                         pm_process_rlimits(pm_thread_process(self)), r, e, s);
 * pm_thread_cred_changed(self);
 * @endcode
 * and reads them lock-free with pm_cred_slot_current(pm_thread_cred(self)).
 * Another thread's credentials are read with a reference:
 * pm_cred_slot_get(pm_thread_cred(t)) ... pm_cred_put(). A process's
 * limits are read lock-free with pm_rlimit_cur(pm_process_rlimits(p),
 * PM_RLIMIT_*) (the signal module: RLIMIT_SIGPENDING; the VM module:
 * RLIMIT_STACK, RLIMIT_DATA, RLIMIT_AS). An id reported to another task
 * (si_uid) is pm_userns_from_kuid_munged(viewer's cred->user_ns,
 * cred->uid). Kill permission checks the target process's leader thread
 * (pm_process_leader_locked()).
 * @{
 */

#ifndef PM_SUID_DUMP_DISABLE
#define PM_SUID_DUMP_DISABLE 0 /**< not dumpable (the value of fs.suid_dumpable used) */
#define PM_SUID_DUMP_USER    1 /**< dumpable, owned by the user */
#define PM_SUID_DUMP_ROOT    2 /**< dumpable by root only (fs.suid_dumpable = 2) */
#endif

#ifndef PM_PR_GET_DUMPABLE
#define PM_PR_GET_DUMPABLE 3 /**< prctl: read the dumpable mode */
#define PM_PR_SET_DUMPABLE 4 /**< prctl: set it (0 or 1) */
#endif

/**
 * @brief The credential slot of @p t (procmgr/cred.h). Valid until
 *        PM_EVENT_RELEASE for @p t (the table destroys the slot then).
 * @param t  a thread.
 * @return its slot. Locking: none.
 */
struct pm_cred_slot *pm_thread_cred(struct pm_thread *t);

/**
 * @brief The resource limits of @p p (procmgr/rlimit.h), shared by its
 *        threads, copied at fork, kept across execve. Valid until
 *        PM_EVENT_RELEASE for @p p.
 * @param p  a process.
 * @return its limits. Locking: none.
 */
struct pm_rlimits *pm_process_rlimits(struct pm_process *p);

/**
 * @brief The group leader thread of @p p: the thread whose credentials
 *        kill(2) checks, and the holder of the process id.
 * @param p  a process.
 * @return the leader (a zombie leader too), valid while the table lock is
 *         held.
 */
struct pm_thread *pm_process_leader_locked(const struct pm_process *p);

/**
 * @brief Apply what the calling thread's credential commits since the
 *        last call require (Linux commit_creds): when an effective or fs
 *        id changed or capabilities were gained, the address space becomes
 *        non-dumpable (fs.suid_dumpable = 0, for every process sharing it)
 *        and the thread's parent-death signal is cleared. Call it after
 *        every successful set*id, setgroups, capset, credential prctl and
 *        pm_cred_exec_commit(). (pm_unshare() and pm_clone() apply their own.)
 * @param self  the calling thread.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/cred.c:commit_creds.
 */
void pm_thread_cred_changed(struct pm_thread *self);

/**
 * @brief The credentials of a thread named by id, with a reference (for
 *        capget(2); Linux find_task_by_vpid and get_task_cred).
 * @param self  the calling thread.
 * @param tid   a thread id in @p self's PID namespace; 0 means @p self.
 * @param out   receives the credentials with one reference: put them with
 *              pm_cred_put().
 * @return 0, or -PM_ESRCH when no thread has that id (negative ids
 *         included; capget's own check, EINVAL for a negative pid, comes
 *         first: pm_cred_capget_begin()) or @p self has exited.
 *
 * Locking: takes PM_LOCK_TABLE, then the slot's PM_LOCK_CRED.
 * Source: kernel/capability.c:cap_get_target_pid.
 */
int pm_thread_cred_find(struct pm_thread *self, pm_pid_t tid, const struct pm_cred **out);

/**
 * @brief prlimit64(2), and getrlimit/setrlimit with @p pid 0: read and/or
 *        change a limit of the process of the thread named @p pid.
 * @param self      the calling thread.
 * @param pid       a thread id in @p self's namespace, 0 for @p self.
 * @param resource  PM_RLIMIT_*.
 * @param new_rlim  the new limits, or NULL to only read.
 * @param old_rlim  receives the limits before any change, or NULL.
 * @return 0; -PM_ESRCH when no thread has that id or @p self has
 *         exited; -PM_EPERM when the
 *         target is another thread whose uids and gids are not all the
 *         caller's real ones and the caller lacks CAP_SYS_RESOURCE over
 *         its user namespace; then the errors of pm_rlimit_set()
 *         (-PM_EINVAL for resource >= 16 or soft > hard, -PM_EPERM for an
 *         RLIMIT_NOFILE hard limit above PM_NR_OPEN or a raised hard limit
 *         without CAP_SYS_RESOURCE in the initial namespace). A failure
 *         changes nothing. The kernel arms the RLIMIT_CPU timer itself.
 *
 * Locking: takes PM_LOCK_TABLE, then the limits' PM_LOCK_LEAF.
 * Source: kernel/sys.c:prlimit64, check_prlimit_permission, do_prlimit.
 */
int pm_prlimit(struct pm_thread *self, pm_pid_t pid, unsigned int resource,
               const struct pm_rlimit *new_rlim, struct pm_rlimit *old_rlim);

/**
 * @brief prctl(PR_GET_DUMPABLE): the dumpable mode of the caller's
 *        address space.
 * @param self  the calling thread.
 * @return PM_SUID_DUMP_DISABLE or PM_SUID_DUMP_USER.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:prctl, get_dumpable.
 */
int pm_get_dumpable(struct pm_thread *self);

/**
 * @brief prctl(PR_SET_DUMPABLE, @p mode), also what the loader calls for
 *        an unreadable executable (would_dump: mode 0).
 * @param self  the calling thread.
 * @param mode  PM_SUID_DUMP_DISABLE or PM_SUID_DUMP_USER.
 * @return 0, or -PM_EINVAL for another value.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:prctl, set_dumpable.
 */
int pm_set_dumpable(struct pm_thread *self, unsigned long mode);

/** @} */

/* ======================================================================== */
/** @name Exit
 * Exit cannot fail for a live thread; -PM_ESRCH reports a thread that had
 * already exited. Each returns once the table has done everything Linux's
 * do_exit does before the task is gone: reparenting, orphaned-group
 * signals, the zombie state and the parent's notification (or the
 * release). When the last thread of a namespace init exits, its exit
 * completes only when every other member of the namespace is gone
 * (PM_EVENT_PIDNS_EMPTY); the last thread of global init exiting is a
 * kernel panic, as on Linux.
 * @{
 */

/**
 * @brief exit(2): end the calling thread with status (@p status & 0xff).
 * @param self    the thread.
 * @param status  exit(2)'s argument.
 * @return 0, or -PM_ESRCH if @p self already exited.
 *
 * When it is the last thread and no group exit is in progress, its status
 * becomes the process's (Linux synchronize_group_exit).
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/exit.c:do_exit.
 */
int pm_thread_exit(struct pm_thread *self, int status);

/**
 * @brief exit_group(2): end every thread of the caller's process with
 *        status (@p status & 0xff); a group exit already in progress keeps
 *        its status.
 * @param self    the thread.
 * @param status  exit_group(2)'s argument.
 * @return 0, or -PM_ESRCH if @p self already exited.
 *
 * The other threads are told to die (PM_EVENT_SIGNAL_PENDING, arg 1);
 * the kernel calls pm_exit_group() for each of them too.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/exit.c:do_group_exit.
 */
int pm_exit_group(struct pm_thread *self, int status);

/**
 * @brief Death by a fatal signal: do_group_exit(@p sig) from get_signal.
 * @param self  a thread of the dying process.
 * @param sig   the signal, 1..64.
 * @param core  a core was dumped (wait shows killed(SIG, core)).
 * @return 0; -PM_EINVAL for a signal outside 1..64; -PM_ESRCH if @p self
 *         already exited.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/signal.c:get_signal,
 * kernel/exit.c:do_group_exit.
 */
int pm_exit_signaled(struct pm_thread *self, int sig, bool core);

/**
 * @brief Must @p t exit? True once its process is in a group exit, was
 *        killed, or another thread runs exec; the kernel then calls
 *        pm_exit_group() for it.
 * @param t  a thread.
 * @return true if it must exit and has not yet.
 *
 * Locking: takes PM_LOCK_TABLE.
 */
bool pm_thread_exit_pending(struct pm_thread *t);

/** @} */

/* ======================================================================== */
/** @name Wait
 * @{
 */

/** What a successful wait reports. */
struct pm_wait_result {
	pm_pid_t pid;            /**< the child, in the caller's namespace; 0: nothing (WNOHANG) */
	int32_t status;          /**< wait4 status word (WIFEXITED etc.) */
	int32_t signo;           /**< waitid's si_signo: SIGCHLD, or 0 when nothing was found */
	int32_t code;            /**< waitid's si_code: PM_CLD_* */
	int32_t cld_status;      /**< waitid's si_status: exit value or signal */
	pm_uid_t uid;            /**< waitid's si_uid: the child's real uid */
	struct pm_rusage rusage; /**< the child's usage and its children's */
};

/**
 * @brief wait4(2).
 *
 * @param self     the calling thread.
 * @param upid     > 0: that child; 0: any child in the caller's process
 *                 group; -1: any child; < -1: any child in group -upid.
 * @param options  PM_WNOHANG, PM_WUNTRACED, PM_WCONTINUED, PM_WNOTHREAD,
 *                 PM_WCLONE, PM_WALL (PM_WEXITED is implied).
 * @param res      receives the result (pid 0 when WNOHANG found nothing).
 * @return 0; -PM_EINVAL for another option; -PM_ESRCH for INT_MIN;
 *         -PM_ECHILD when no child matches; -PM_EAGAIN when one matches
 *         but none is ready and WNOHANG is not set: the kernel sleeps until
 *         PM_EVENT_CHILD_STATE for the caller's process and calls again.
 *
 * A zombie is reaped (its usage added to the caller's children totals,
 * PM_EVENT_RELEASE); a stop is reported once (status (sig << 8) | 0x7f);
 * a continue once (0xffff). Children of every thread of the caller's
 * process are considered, the caller's own first, unless PM_WNOTHREAD.
 * "Clone children" (exit signal other than SIGCHLD) need PM_WCLONE or
 * PM_WALL, the others must not have PM_WCLONE.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/exit.c:kernel_wait4,
 * do_wait, wait_consider_task, wait_task_zombie, wait_task_stopped,
 * wait_task_continued.
 */
int pm_wait4(struct pm_thread *self, pm_pid_t upid, int options, struct pm_wait_result *res);

/**
 * @brief waitid(2).
 *
 * @param self     the calling thread.
 * @param idtype   PM_P_ALL, PM_P_PID or PM_P_PGID.
 * @param id       the pid or process group (PM_P_PGID 0: the caller's).
 * @param options  PM_WEXITED, PM_WSTOPPED, PM_WCONTINUED (at least one),
 *                 PM_WNOHANG, PM_WNOWAIT, PM_WNOTHREAD, PM_WCLONE, PM_WALL.
 * @param res      receives the result; signo is 0 and every field 0
 *                 when WNOHANG found nothing.
 * @return 0; -PM_EINVAL for an unknown option, none of the three events,
 *         P_PID with id <= 0, P_PGID with id < 0, or another idtype
 *         (P_PIDFD included: the kernel resolves pidfds to P_PID);
 *         -PM_ECHILD; -PM_EAGAIN as for pm_wait4().
 *
 * PM_WNOWAIT reports without reaping or consuming the state.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/exit.c:kernel_waitid.
 */
int pm_waitid(struct pm_thread *self, int idtype, pm_pid_t id, int options,
              struct pm_wait_result *res);

/** @} */

/* ======================================================================== */
/** @name Process groups, sessions, ids
 * Pids are numbers in the caller's PID namespace.
 * @{
 */

/**
 * @brief setpgid(2).
 * @param self  the calling thread.
 * @param pid   the process (0: the caller).
 * @param pgid  the group (0: @p pid itself).
 * @return 0; -PM_EINVAL for pgid < 0 or a target that is not a thread
 *         group leader; -PM_ESRCH when no such process, or it is neither
 *         the caller nor its child; -PM_EPERM for a child in another
 *         session, a session leader, or a group that does not exist in
 *         the caller's session; -PM_EACCES for a child that has exec'd.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:setpgid.
 */
int pm_setpgid(struct pm_thread *self, pm_pid_t pid, pm_pid_t pgid);

/**
 * @brief getpgid(2).
 * @param self  the calling thread.
 * @param pid   a process or thread id (0: the caller).
 * @param out   receives the group id (0 if the group's id is not visible).
 * @return 0 or -PM_ESRCH.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:getpgid.
 */
int pm_getpgid(struct pm_thread *self, pm_pid_t pid, pm_pid_t *out);

/**
 * @brief setsid(2): the caller becomes leader of a new session and group.
 * @param self  the calling thread.
 * @param out   receives the new session id.
 * @return 0; -PM_EPERM if the caller is a session leader already or a
 *         process group with the caller's id exists.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:ksys_setsid.
 */
int pm_setsid(struct pm_thread *self, pm_pid_t *out);

/**
 * @brief getsid(2).
 * @param self  the calling thread.
 * @param pid   a process or thread id (0: the caller).
 * @param out   receives the session id (0 if not visible).
 * @return 0 or -PM_ESRCH.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:getsid.
 */
int pm_getsid(struct pm_thread *self, pm_pid_t pid, pm_pid_t *out);

/**
 * @brief getpid(2): the caller's process id in its own namespace.
 * @param self  the calling thread.
 * @return the id. Locking: none. Source: kernel/sys.c:getpid.
 */
pm_pid_t pm_getpid(const struct pm_thread *self);

/**
 * @brief gettid(2).
 * @param self  the calling thread.
 * @return its thread id in its own namespace. Locking: none.
 */
pm_pid_t pm_gettid(const struct pm_thread *self);

/**
 * @brief getppid(2): the parent's process id, 0 when the parent is outside
 *        the caller's namespace (or for init).
 * @param self  the calling thread.
 * @return the id. Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:getppid.
 */
pm_pid_t pm_getppid(struct pm_thread *self);

/** @} */

/* ======================================================================== */
/** @name prctl
 * @{
 */

/**
 * @brief prctl(PR_SET_PDEATHSIG, @p sig) for the calling thread.
 * @param self  the thread.
 * @param sig   0 (none) to 64.
 * @return 0 or -PM_EINVAL for an invalid signal.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:prctl.
 */
int pm_set_pdeathsig(struct pm_thread *self, int sig);

/**
 * @brief prctl(PR_GET_PDEATHSIG).
 * @param self  the thread.
 * @return its parent-death signal (0: none). Locking: takes PM_LOCK_TABLE.
 */
int pm_get_pdeathsig(struct pm_thread *self);

/**
 * @brief prctl(PR_SET_CHILD_SUBREAPER, @p on): orphaned descendants of the
 *        caller's process are given to it instead of the namespace init.
 *        Setting it marks every current descendant has_child_subreaper
 *        (never cleared), as Linux.
 * @param self  the calling thread.
 * @param on    nonzero to set, 0 to clear.
 * @return 0.
 *
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:prctl,
 * propagate_has_child_subreaper.
 */
int pm_set_child_subreaper(struct pm_thread *self, unsigned long on);

/**
 * @brief prctl(PR_GET_CHILD_SUBREAPER).
 * @param self  the thread.
 * @return 1 if its process is a child subreaper, else 0.
 *         Locking: takes PM_LOCK_TABLE.
 */
int pm_get_child_subreaper(struct pm_thread *self);

/** @} */

/* ======================================================================== */
/** @name Threads: accessors and kernel reports
 * @{
 */

/**
 * @brief The process of @p t. @param t a thread. @return its process.
 * Locking: none (changes only at exec, under the table lock).
 */
struct pm_process *pm_thread_process(const struct pm_thread *t);

/**
 * @brief The pid of @p t (its thread id). @param t a thread.
 * @return its struct pm_pid (valid until the thread is released).
 */
struct pm_pid *pm_thread_pid(const struct pm_thread *t);

/**
 * @brief The process id of @p p. @param p a process.
 * @return its struct pm_pid (the group leader's thread id).
 */
struct pm_pid *pm_process_pid(const struct pm_process *p);

/**
 * @brief The PID namespace @p t lives in (Linux task_active_pid_ns).
 * @param t  a thread. @return its namespace.
 */
struct pm_pidns *pm_thread_pidns(const struct pm_thread *t);

/**
 * @brief Where @p t's children get their pids (changes with
 *        unshare(CLONE_NEWPID)). @param t a thread. @return the namespace.
 * Locking: none; read it under the table lock if another thread of the
 * process may unshare concurrently.
 */
struct pm_pidns *pm_thread_pidns_for_children(const struct pm_thread *t);

/**
 * @brief The clone flags @p t was created with: what it shares with its
 *        creator (PM_CLONE_VM, _FS, _FILES, _SIGHAND, _SYSVSEM, _IO, ...).
 * @param t  a thread. @return the flags (0 for global init).
 */
uint64_t pm_thread_clone_flags(const struct pm_thread *t);

/**
 * @brief The thread blocked in vfork() until @p t execs or exits.
 * @param t  a vfork child's thread.
 * @return the parent thread, or NULL when it may run again.
 * Locking: takes PM_LOCK_TABLE.
 */
struct pm_thread *pm_thread_vfork_parent(struct pm_thread *t);

/**
 * @brief Has @p t exited (begun do_exit)?
 * @param t  a thread. @return true once pm_thread_exit() or pm_exit_group()
 *        ran for it. Locking: takes PM_LOCK_TABLE.
 */
bool pm_thread_exited(struct pm_thread *t);

/**
 * @brief Record that @p t sleeps (true) or runs (false), for the state
 *        counts of pm_table_stats().
 * @param t         a live thread.
 * @param sleeping  its new state.
 * Locking: takes PM_LOCK_TABLE.
 */
void pm_thread_set_sleeping(struct pm_thread *t, bool sleeping);

/**
 * @brief Add usage the kernel measured for @p t (CPU time, faults...).
 * @param t    a thread that has not been released.
 * @param add  amounts to add; maxrss_kb is a maximum, not a sum.
 * Locking: takes PM_LOCK_TABLE.
 */
void pm_thread_add_rusage(struct pm_thread *t, const struct pm_rusage *add);

/**
 * @brief getrusage(2) for @p p: RUSAGE_SELF (@p children false: every
 *        thread, released ones included) or RUSAGE_CHILDREN (true).
 * @param p         a process.
 * @param children  which totals.
 * @param out       receives them.
 * Locking: takes PM_LOCK_TABLE. Source: kernel/sys.c:getrusage.
 */
void pm_process_rusage(struct pm_process *p, bool children, struct pm_rusage *out);

/**
 * @brief The state @p p is counted in.
 * @param p  a process. @return its enum pm_proc_state.
 * Locking: takes PM_LOCK_TABLE.
 */
enum pm_proc_state pm_process_state(struct pm_process *p);

/** @} */

/* ======================================================================== */
/** @name Lookup and iteration (caller holds the table lock)
 * Pointers returned stay valid until the kernel frees the object after
 * PM_EVENT_RELEASE for it.
 * @{
 */

/**
 * @brief The pid with number @p nr in @p ns (Linux find_pid_ns).
 * @param ns  a namespace. @param nr a number.
 * @return the pid, or NULL. O(log64 pid_max).
 */
struct pm_pid *pm_find_pid_locked(struct pm_pidns *ns, pm_pid_t nr);

/**
 * @brief The thread whose id is @p nr in @p ns (find_task_by_pid_ns).
 * @param ns  a namespace. @param nr a thread id.
 * @return the thread (zombie leaders included), or NULL.
 */
struct pm_thread *pm_find_thread_locked(struct pm_pidns *ns, pm_pid_t nr);

/**
 * @brief The process whose id is @p nr in @p ns (pid_task(PIDTYPE_TGID)).
 * @param ns  a namespace. @param nr a process id.
 * @return the process, or NULL (also for the id of a non-leader thread).
 */
struct pm_process *pm_find_process_locked(struct pm_pidns *ns, pm_pid_t nr);

/**
 * @brief The process group of @p p. @param p a process.
 * @return the group's pid (its number is the group id).
 */
struct pm_pid *pm_process_pgrp_locked(const struct pm_process *p);

/**
 * @brief The session of @p p. @param p a process.
 * @return the session's pid.
 */
struct pm_pid *pm_process_session_locked(const struct pm_process *p);

/**
 * @brief The parent process of @p p.
 * @param p  a process. @return its real parent's process, NULL for init.
 */
struct pm_process *pm_process_parent_locked(const struct pm_process *p);

/**
 * @brief Iterate the children of thread @p t (Linux t->children), oldest
 *        first, reparented ones last.
 * @param t     a thread.
 * @param prev  the previous child returned, or NULL to start.
 * @return the next child process, or NULL at the end.
 */
struct pm_process *pm_child_next_locked(const struct pm_thread *t, const struct pm_process *prev);

/**
 * @brief Iterate the threads of @p p in creation order.
 * @param p     a process.
 * @param prev  the previous thread returned, or NULL to start.
 * @return the next thread not yet released, or NULL at the end.
 */
struct pm_thread *pm_thread_next_locked(const struct pm_process *p, const struct pm_thread *prev);

/**
 * @brief Iterate the members of the process group @p pgrp.
 * @param pgrp  a group's pid (pm_process_pgrp_locked(), pm_find_pid_locked()).
 * @param prev  the previous member, or NULL to start.
 * @return the next member (zombies included until reaped), or NULL.
 */
struct pm_process *pm_pgrp_next_locked(const struct pm_pid *pgrp, const struct pm_process *prev);

/**
 * @brief Iterate the members of the session @p sid.
 * @param sid   a session's pid.
 * @param prev  the previous member, or NULL to start.
 * @return the next member, or NULL.
 */
struct pm_process *pm_session_next_locked(const struct pm_pid *sid, const struct pm_process *prev);

/**
 * @brief Iterate the processes of @p ns by increasing pid (the order of
 *        /proc and of kill(-1)).
 * @param ns  a namespace.
 * @param nr  in: the smallest pid to return; out: the pid of the process
 *            returned. Start with 1, continue with the last value + 1.
 * @return the process, or NULL when none is left. O(log64 pid_max) per
 *         step; processes created in nested namespaces are included.
 */
struct pm_process *pm_pidns_next_process_locked(struct pm_pidns *ns, pm_pid_t *nr);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_TABLE_H */
