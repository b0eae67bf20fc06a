/* SPDX-License-Identifier: MIT */
/**
 * @file cred.h
 * @brief Credentials: ids, groups, capabilities, the set*id family,
 *        capget/capset, the capability prctl() options, exec transitions,
 *        and the permission checks every other module asks.
 *
 * A `struct pm_cred` is Linux's `struct cred`: real, effective, saved and
 * filesystem uid and gid (global ids, see userns.h), sorted supplementary
 * groups, the five capability sets, securebits, no_new_privs and the owning
 * user namespace. Once committed it is **immutable** and shared by
 * reference count: readers never lock. A change is copy-on-write, as in
 * Linux (prepare_creds/commit_creds): pm_cred_prepare() makes a private
 * copy, the caller edits it, pm_cred_commit() publishes it.
 *
 * **Per-thread credentials.** Credentials belong to threads, as in Linux:
 * each thread embeds a `struct pm_cred_slot`, and the set*id calls, capset
 * and the prctl() options here change the *calling* thread only (the
 * kernel's syscalls do; C libraries broadcast set*id to all threads
 * themselves). The process-wide rules Linux applies are the caller's:
 *  - clone(CLONE_THREAD) and fork share the parent's credentials
 *    (pm_cred_clone());
 *  - execve first kills the other threads, then commits the new
 *    credentials (pm_cred_exec_prepare(), pm_cred_exec_commit());
 *  - kill(pid) checks the target process's leader thread's credentials,
 *    prlimit(pid) those of the thread named by pid;
 *  - capset() may only target the caller (pid 0 or its own tid);
 *  - RLIMIT_NPROC counts threads: each thread is charged to its real user.
 *
 * **The table's side of the contract** (struct pm_thread embeds a
 * pm_cred_slot):
 *  - thread creation: pm_cred_clone() (shares or creates credentials,
 *    creates a user namespace for CLONE_NEWUSER, charges RLIMIT_NPROC);
 *  - release (reaping): pm_cred_release(); freeing: pm_cred_slot_destroy();
 *  - after any call that commits, pm_cred_slot_take_effects() says whether
 *    to make the process non-dumpable and clear its parent-death signal
 *    (Linux commit_creds does both directly).
 *  - the signal module calls pm_cred_kill_permission() (procmgr/cred_check.h)
 *    with the two credentials and session facts, and pm_cred_sigpending_charge() for
 *    RLIMIT_SIGPENDING (rlimit.h);
 *  - the loader calls pm_cred_exec_prepare_file() before the point of no
 *    return and pm_cred_exec_commit() after it, and puts AT_SECURE from
 *    the result in the auxiliary vector (procmgr/cred_exec.h).
 *
 * Errors are negated Linux errno values; a failed call changes nothing.
 *
 * @ingroup pm_cred
 */
#ifndef PROCMGR_CRED_H
#define PROCMGR_CRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/config.h"
#include "procmgr/types.h"
#include "procmgr/hal.h"
#include "procmgr/capability.h"
#include "procmgr/userns.h"
#include "procmgr/sched.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_cred Credentials, capabilities, user namespaces, limits
 * @brief "May this subject do that?", answered the way Linux does.
 * @{
 */

struct pm_rlimits;

/** Supplementary groups (Linux struct group_info): sorted, shared, immutable. */
struct pm_group_info;

/** pm_cred.flags: no_new_privs is set (Linux PFA_NO_NEW_PRIVS, per thread). */
#define PM_CRED_NO_NEW_PRIVS 0x1u

/**
 * Credentials (Linux struct cred). All ids are global (initial-namespace)
 * ids. Immutable once committed: only a credential returned by
 * pm_cred_prepare() (and not yet committed) may be modified.
 */
struct pm_cred {
	uint32_t usage;                   /**< references (atomic) */
	uint32_t securebits;              /**< PM_SECBIT_* */
	pm_uid_t uid;                     /**< real uid */
	pm_uid_t euid;                    /**< effective uid */
	pm_uid_t suid;                    /**< saved set-user-id */
	pm_uid_t fsuid;                   /**< filesystem uid */
	pm_gid_t gid;                     /**< real gid */
	pm_gid_t egid;                    /**< effective gid */
	pm_gid_t sgid;                    /**< saved set-group-id */
	pm_gid_t fsgid;                   /**< filesystem gid */
	uint32_t flags;                   /**< PM_CRED_* */
	uint32_t pad_;                    /**< zero */
	pm_kernel_cap_t cap_inheritable;  /**< inheritable set (pI) */
	pm_kernel_cap_t cap_permitted;    /**< permitted set (pP) */
	pm_kernel_cap_t cap_effective;    /**< effective set (pE) */
	pm_kernel_cap_t cap_bset;         /**< bounding set (X) */
	pm_kernel_cap_t cap_ambient;      /**< ambient set (pA), always within pP and pI */
	struct pm_userns *user_ns;        /**< owning user namespace (a reference) */
	struct pm_group_info *group_info; /**< supplementary groups (a reference) */
	struct pm_ucounts *ucounts;       /**< counters of (user_ns, uid) (a reference) */
};

/* ======================================================================== */
/** @name Lifecycle: prepare, commit, get, put (kernel/cred.c)
 * @{
 */

/**
 * @brief Create the credentials of a tree's first process (Linux
 *        init_cred): every id 0, no groups, full permitted, effective and
 *        bounding sets, empty inheritable and ambient sets, securebits 0.
 *
 * @param root  an initial namespace (pm_userns_init_root()).
 * @param out   receives the credentials with one reference.
 * @return 0 or -PM_ENOMEM.
 *
 * **Locking**: takes @p root's PM_LOCK_LEAF lock (after allocating).
 */
int pm_cred_init_root(struct pm_userns *root, const struct pm_cred **out);

/**
 * @brief Take a reference (Linux get_cred).
 * @param cred  credentials with at least one reference.
 * @return @p cred. Lock-free.
 */
const struct pm_cred *pm_cred_get(const struct pm_cred *cred);

/**
 * @brief Drop a reference; the last one frees the credentials and drops
 *        their namespace, group and counter references (Linux put_cred).
 * @param cred  credentials, or NULL (nothing happens).
 *
 * **Locking**: may take PM_LOCK_LEAF of a namespace (counter release);
 * callable with locks of lower classes held.
 */
void pm_cred_put(const struct pm_cred *cred);

/**
 * @brief Make a private, modifiable copy of @p old (Linux prepare_creds).
 *
 * @param old  committed credentials.
 * @param out  receives the copy (one reference), sharing @p old's
 *             namespace, groups and counters.
 * @return 0 or -PM_ENOMEM.
 *
 * **Locking**: none; allocates.
 */
int pm_cred_prepare(const struct pm_cred *old, struct pm_cred **out);

/**
 * @brief Discard prepared credentials that were not committed (Linux
 *        abort_creds).
 * @param cred  from pm_cred_prepare().
 */
void pm_cred_abort(struct pm_cred *cred);

/** One thread's credentials: what struct pm_thread embeds. */
struct pm_cred_slot {
	/** Current credentials (one reference). Only the owning thread
	 *  replaces it; the owner reads it without a lock. */
	const struct pm_cred *cred;
	/** PM_LOCK_CRED: serialises replacement against other threads'
	 *  pm_cred_slot_get() (procmgr has no RCU; see pm_cred_slot_get()). */
	pm_hal_lock_t lock;
	/** PM_CRED_SLOT_* flags of the thread (owner only). */
	uint32_t flags;
	/** PM_CRED_EFFECT_* accumulated by commits, see pm_cred_slot_take_effects(). */
	uint32_t effects;
};

/** pm_cred_slot.flags: a set*uid left the real user over RLIMIT_NPROC (PF_NPROC_EXCEEDED). */
#define PM_CRED_SLOT_NPROC_EXCEEDED 0x1u
/** pm_cred_slot.flags: this thread was charged to RLIMIT_NPROC (by pm_cred_clone/_slot_init). */
#define PM_CRED_SLOT_NPROC_CHARGED  0x2u

/** Effect of a commit: set the process's dumpable flag to suid_dumpable (Linux commit_creds). */
#define PM_CRED_EFFECT_NONDUMPABLE  0x1u
/** Effect of a commit: clear the thread's parent-death signal (Linux commit_creds). */
#define PM_CRED_EFFECT_CLEAR_PDEATH 0x2u

/**
 * @brief Set up a slot holding @p cred, for a tree's first thread (use
 *        pm_cred_clone() for every later one). Charges the thread to its
 *        real user's RLIMIT_NPROC count.
 * @param slot  caller-owned storage.
 * @param cred  credentials; the slot takes its own reference.
 */
void pm_cred_slot_init(struct pm_cred_slot *slot, const struct pm_cred *cred);

/**
 * @brief The owning thread's own credentials; no lock, no reference.
 * @param slot  the calling thread's slot.
 * @return its credentials, valid until the thread replaces them.
 */
static inline const struct pm_cred *pm_cred_slot_current(const struct pm_cred_slot *slot)
{
	return slot->cred;
}

/**
 * @brief Another thread's current credentials, with a reference (Linux
 *        get_task_cred). Put it with pm_cred_put().
 * @param slot  any thread's slot.
 * @return the credentials with one reference.
 *
 * **Locking**: takes @p slot's PM_LOCK_CRED lock for two instructions
 * (Linux uses RCU here).
 */
const struct pm_cred *pm_cred_slot_get(struct pm_cred_slot *slot);

/**
 * @brief Publish prepared credentials as the calling thread's own (Linux
 *        commit_creds). Moves the thread's RLIMIT_NPROC charge when the
 *        real uid or user namespace changes, and records
 *        PM_CRED_EFFECT_* in the slot when an effective or filesystem id
 *        changes or capabilities are not a subset of the old ones.
 * @param slot  the calling thread's slot.
 * @param cred  from pm_cred_prepare(); the slot takes over its reference.
 *
 * **Locking**: takes @p slot's PM_LOCK_CRED lock; frees the old
 * credentials after releasing it.
 */
void pm_cred_commit(struct pm_cred_slot *slot, struct pm_cred *cred);

/**
 * @brief Read and clear the PM_CRED_EFFECT_* bits accumulated by commits.
 * @param slot  the calling thread's slot.
 * @return the bits.
 */
uint32_t pm_cred_slot_take_effects(struct pm_cred_slot *slot);

/**
 * @brief Credentials for a new thread or process (Linux copy_creds and the
 *        RLIMIT_NPROC check of copy_process).
 *
 * Without CLONE_NEWUSER the child shares the parent's credentials. With
 * it, the child gets new credentials in a new user namespace (see
 * pm_cred_prepare_userns()). The child is then charged to its real user's
 * RLIMIT_NPROC count; if that count (or one of an ancestor namespace's
 * user) is over the limit, the clone fails unless the child's real uid is
 * global root or the parent has CAP_SYS_RESOURCE or CAP_SYS_ADMIN in the
 * initial namespace. On success the parent's PM_CRED_SLOT_NPROC_EXCEEDED
 * flag is cleared.
 *
 * @param child        caller-owned slot of the new thread (not initialised).
 * @param parent       the calling thread's slot.
 * @param clone_flags  the clone flags (only PM_CLONE_NEWUSER, 0x10000000,
 *                     is looked at here; the table validates the others).
 * @param rlim         the calling process's limits.
 * @param chrooted     the caller's root is not its mount namespace's root.
 * @return 0 (the child slot is initialised); -PM_EAGAIN over RLIMIT_NPROC;
 *         -PM_ENOSPC, -PM_EPERM or -PM_ENOMEM from creating the namespace.
 *         On failure nothing changed and @p child is not initialised.
 *
 * **Locking**: no procmgr lock held on entry; allocates.
 */
int pm_cred_clone(struct pm_cred_slot *child, struct pm_cred_slot *parent, uint64_t clone_flags,
                  const struct pm_rlimits *rlim, bool chrooted);

/**
 * @brief Uncharge the thread from RLIMIT_NPROC when it is released (Linux
 *        release_task's dec_rlimit_ucounts). Idempotent.
 * @param slot  the released thread's slot.
 */
void pm_cred_release(struct pm_cred_slot *slot);

/**
 * @brief Free a slot: uncharges it if pm_cred_release() was not called,
 *        drops its credentials and destroys its lock.
 * @param slot  a slot no thread uses any more.
 */
void pm_cred_slot_destroy(struct pm_cred_slot *slot);

/**
 * @brief Prepared credentials in a new user namespace whose parent is
 *        @p old's (Linux unshare_userns / copy_creds + create_user_ns +
 *        set_cred_user_ns): owner = old euid, group = old egid, full
 *        permitted, effective and bounding sets, empty inheritable and
 *        ambient, securebits 0. The namespace inherits the parent's
 *        setgroups switch and records whether the creator had CAP_SETFCAP;
 *        its RLIMIT_NPROC and RLIMIT_SIGPENDING ceilings for the creator
 *        are the creator's limits (RLIMIT_NPROC unenforced for global root
 *        in an initial namespace).
 *
 * @param old       the caller's committed credentials.
 * @param rlim      the caller's limits.
 * @param chrooted  the caller is chrooted.
 * @param out       receives prepared credentials; commit or abort them.
 * @return 0; -PM_ENOSPC if @p old's namespace is at level 33
 *         (PM_USERNS_MAX_LEVEL + 1) or the owner's max_user_namespaces
 *         count is exhausted at some level; -PM_EPERM if chrooted or the
 *         caller's euid or egid has no mapping in its namespace;
 *         -PM_ENOMEM.
 */
int pm_cred_prepare_userns(const struct pm_cred *old, const struct pm_rlimits *rlim, bool chrooted,
                           struct pm_cred **out);

/** @} */

/* ======================================================================== */
/** @name Reading ids as the caller's namespace sees them
 * @{
 */

/**
 * @brief getresuid(): real, effective and saved uid in @p cred's namespace.
 * @param cred  credentials.
 * @param out   receives {ruid, euid, suid}; unmapped ids read as 65534.
 */
void pm_cred_getresuid(const struct pm_cred *cred, pm_uid_t out[3]);

/**
 * @brief getresgid(): real, effective and saved gid in @p cred's namespace.
 * @param cred  credentials.
 * @param out   receives {rgid, egid, sgid}.
 */
void pm_cred_getresgid(const struct pm_cred *cred, pm_gid_t out[3]);

/**
 * @brief getgroups() into kernel memory (Linux getgroups, groups_to_user).
 * @param cred  credentials.
 * @param size  capacity of @p list in entries (gidsetsize).
 * @param list  destination, may be NULL when @p size is 0.
 * @return the number of groups (when @p size is 0, without copying), or
 *         -PM_EINVAL if @p size is negative or below the number of groups.
 */
int pm_cred_getgroups(const struct pm_cred *cred, int32_t size, pm_gid_t *list);

/**
 * @brief getgroups(2) into user memory.
 * @param cred   credentials.
 * @param size   gidsetsize.
 * @param ulist  user address of a gid_t array.
 * @return as pm_cred_getgroups(), or -PM_EFAULT.
 *
 * **Locking**: none held (user copy).
 */
int pm_cred_getgroups_user(const struct pm_cred *cred, int32_t size, pm_uaddr_t ulist);

/**
 * @brief Is @p kgid the filesystem gid or a supplementary group (Linux
 *        in_group_p)? O(log n), lock-free.
 * @param cred  credentials.
 * @param kgid  a global gid.
 * @return true if so.
 */
bool pm_cred_in_group_p(const struct pm_cred *cred, pm_gid_t kgid);

/**
 * @brief As pm_cred_in_group_p() with the effective gid (Linux in_egroup_p).
 * @param cred  credentials.
 * @param kgid  a global gid.
 * @return true if so.
 */
bool pm_cred_in_egroup_p(const struct pm_cred *cred, pm_gid_t kgid);

/** @} */

/* ======================================================================== */
/** @name The set*id family (kernel/sys.c, kernel/groups.c)
 * Every call acts on the calling thread's slot. An id of (uid_t)-1 means
 * "unchanged" where Linux allows it; an id with no mapping in the caller's
 * namespace is -PM_EINVAL before any permission check. "Privileged" is
 * CAP_SETUID (CAP_SETGID) in the caller's namespace. Capabilities follow
 * uid changes as cap_task_fix_setuid says (see docs/architecture.md). A
 * set*uid that leaves the real user over RLIMIT_NPROC still succeeds and
 * sets PM_CRED_SLOT_NPROC_EXCEEDED (the next execve fails with EAGAIN).
 * -PM_ENOMEM when a new credential or per-user counter cannot be allocated.
 * **Locking**: no procmgr lock held on entry (they allocate).
 * @{
 */

/**
 * @brief setuid(2): privileged sets real, effective, saved and fs uid;
 *        otherwise euid and fsuid, to the real or saved uid only.
 * @param self  the calling thread's slot.
 * @param rlim  the calling process's limits (RLIMIT_NPROC).
 * @param uid   new uid as the caller's namespace sees it.
 * @return 0, -PM_EINVAL (unmapped, including -1), -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_setuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim, pm_uid_t uid);

/**
 * @brief setreuid(2): ruid to ruid or euid, euid to ruid, euid or suid
 *        unless privileged; suid := new euid if the ruid is given or the
 *        euid is set to something other than the old ruid.
 * @param self  the calling thread's slot.
 * @param rlim  the calling process's limits.
 * @param ruid  new real uid or -1.
 * @param euid  new effective uid or -1.
 * @return 0, -PM_EINVAL, -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_setreuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim, pm_uid_t ruid,
                     pm_uid_t euid);

/**
 * @brief setresuid(2): each given id must be one of the current real,
 *        effective or saved uids unless privileged. Returns at once when
 *        nothing would change.
 * @param self  the calling thread's slot.
 * @param rlim  the calling process's limits.
 * @param ruid  new real uid or -1.
 * @param euid  new effective uid or -1.
 * @param suid  new saved uid or -1.
 * @return 0, -PM_EINVAL, -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_setresuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim, pm_uid_t ruid,
                      pm_uid_t euid, pm_uid_t suid);

/**
 * @brief setfsuid(2): the new fsuid must be the real, effective, saved or
 *        current fs uid unless privileged. Never fails.
 * @param self  the calling thread's slot.
 * @param uid   new fs uid (-1 or an unmapped id: only report).
 * @return the previous fs uid as the caller's namespace sees it, whether
 *         or not it changed.
 */
pm_uid_t pm_cred_setfsuid(struct pm_cred_slot *self, pm_uid_t uid);

/**
 * @brief setgid(2), the gid twin of pm_cred_setuid() (no capability fix-up).
 * @param self  the calling thread's slot.
 * @param gid   new gid.
 * @return 0, -PM_EINVAL, -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_setgid(struct pm_cred_slot *self, pm_gid_t gid);

/**
 * @brief setregid(2), the gid twin of pm_cred_setreuid().
 * @param self  the calling thread's slot.
 * @param rgid  new real gid or -1.
 * @param egid  new effective gid or -1.
 * @return 0, -PM_EINVAL, -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_setregid(struct pm_cred_slot *self, pm_gid_t rgid, pm_gid_t egid);

/**
 * @brief setresgid(2), the gid twin of pm_cred_setresuid().
 * @param self  the calling thread's slot.
 * @param rgid  new real gid or -1.
 * @param egid  new effective gid or -1.
 * @param sgid  new saved gid or -1.
 * @return 0, -PM_EINVAL, -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_setresgid(struct pm_cred_slot *self, pm_gid_t rgid, pm_gid_t egid, pm_gid_t sgid);

/**
 * @brief setfsgid(2), the gid twin of pm_cred_setfsuid().
 * @param self  the calling thread's slot.
 * @param gid   new fs gid.
 * @return the previous fs gid as the caller's namespace sees it.
 */
pm_gid_t pm_cred_setfsgid(struct pm_cred_slot *self, pm_gid_t gid);

/**
 * @brief setgroups(2) from kernel memory.
 * @param self  the calling thread's slot.
 * @param size  number of groups (gidsetsize).
 * @param list  the gids as the caller's namespace sees them.
 * @return 0; -PM_EPERM without CAP_SETGID in the caller's namespace or
 *         when the namespace forbids setgroups (checked first); -PM_EINVAL
 *         for a negative size, more than PM_NGROUPS_MAX groups or an
 *         unmapped gid; -PM_ENOMEM.
 */
int pm_cred_setgroups(struct pm_cred_slot *self, int32_t size, const pm_gid_t *list);

/**
 * @brief setgroups(2) from user memory.
 * @param self   the calling thread's slot.
 * @param size   gidsetsize.
 * @param ulist  user address of the gid_t array.
 * @return as pm_cred_setgroups(), or -PM_EFAULT.
 */
int pm_cred_setgroups_user(struct pm_cred_slot *self, int32_t size, pm_uaddr_t ulist);

/** @} */

/* ======================================================================== */
/** @name Capabilities: capget, capset, prctl (kernel/capability.c, security/commoncap.c)
 * @{
 */

/**
 * @brief Does @p cred have capability @p cap over namespace @p ns (Linux
 *        cap_capable / ns_capable)? Walks @p ns's ancestry: in the
 *        credential's own namespace the effective set decides; the owner
 *        of a child namespace (its euid, in the child's parent) holds every
 *        capability in it; a capability held in an ancestor applies to all
 *        descendants; a namespace that is not a descendant gets nothing.
 * @param cred  credentials.
 * @param ns    target namespace.
 * @param cap   a valid capability number.
 * @return true if granted. Lock-free, no allocation; O(depth).
 */
bool pm_cred_ns_capable(const struct pm_cred *cred, const struct pm_userns *ns, unsigned int cap);

/**
 * @brief pm_cred_ns_capable() over the initial namespace of @p cred's tree
 *        (Linux capable()).
 * @param cred  credentials.
 * @param cap   a valid capability number.
 * @return true if granted.
 */
bool pm_cred_capable(const struct pm_cred *cred, unsigned int cap);

/**
 * @brief capget(2), step 1: read and check the header (Linux capget and
 *        cap_validate_magic). An unknown version is answered by writing
 *        version 3 into the header.
 *
 * The whole system call is:
 * @code
 * r = pm_cred_capget_begin(uheader, udata, &pid, &ndata);
 * if (r <= 0) return r;                       // error, or a version probe
 * target = pid == 0 ? self : lookup_thread(pid);  // -PM_ESRCH if none
 * return pm_cred_capget_finish(target, udata, ndata);
 * @endcode
 *
 * @param uheader  user address of struct pm_cap_user_header.
 * @param udata    user address of the data records, or 0 to probe the
 *                 version only.
 * @param pid      receives the header's pid (>= 0) when 1 is returned.
 * @param ndata    receives the number of data records (1 or 2).
 * @return 1: look the pid up and finish; 0: done (a probe with @p udata 0,
 *         even for an unknown version); -PM_EINVAL for an unknown version
 *         or a negative pid; -PM_EFAULT.
 *
 * **Locking**: none held (user copies).
 */
int pm_cred_capget_begin(pm_uaddr_t uheader, pm_uaddr_t udata, int32_t *pid, unsigned int *ndata);

/**
 * @brief capget(2), step 2: copy @p target's effective, permitted and
 *        inheritable sets out as @p ndata data records (low 32 bits first;
 *        version 1 loses the high bits).
 * @param target  the credentials of the thread the header named.
 * @param udata   user address of the data records.
 * @param ndata   from pm_cred_capget_begin().
 * @return 0 or -PM_EFAULT.
 */
int pm_cred_capget_finish(const struct pm_cred *target, pm_uaddr_t udata, unsigned int ndata);

/**
 * @brief capset rules on the calling thread (Linux cap_capset): the new
 *        inheritable set within old inheritable and permitted unless
 *        CAP_SETPCAP, and within old inheritable and bounding set always;
 *        permitted never raised; effective within the new permitted. The
 *        ambient set is trimmed to the new permitted and inheritable sets.
 *        Bits above PM_CAP_LAST_CAP are ignored.
 * @param self  the calling thread's slot.
 * @param eff   new effective set.
 * @param prm   new permitted set.
 * @param inh   new inheritable set.
 * @return 0, -PM_EPERM, -PM_ENOMEM.
 */
int pm_cred_capset(struct pm_cred_slot *self, pm_kernel_cap_t eff, pm_kernel_cap_t prm,
                   pm_kernel_cap_t inh);

/**
 * @brief capset(2) from user memory (Linux capset).
 * @param self      the calling thread's slot.
 * @param self_tid  the caller's thread id as it sees it (header pid must be
 *                  0 or this).
 * @param uheader   user address of the header.
 * @param udata     user address of the data records.
 * @return 0; -PM_EINVAL (bad version); -PM_EPERM (another pid, or the
 *         rules of pm_cred_capset()); -PM_EFAULT; -PM_ENOMEM.
 */
int pm_cred_capset_user(struct pm_cred_slot *self, pm_pid_t self_tid, pm_uaddr_t uheader,
                        pm_uaddr_t udata);

/**
 * @brief The credential options of prctl(2) (Linux cap_task_prctl plus
 *        PR_SET/GET_NO_NEW_PRIVS): PR_CAPBSET_READ/DROP, PR_GET/SET_KEEPCAPS,
 *        PR_GET/SET_SECUREBITS, PR_CAP_AMBIENT (IS_SET, RAISE, LOWER,
 *        CLEAR_ALL), PR_SET/GET_NO_NEW_PRIVS.
 * @param self    the calling thread's slot.
 * @param option  PM_PR_*.
 * @param arg2    prctl's second argument.
 * @param arg3    third.
 * @param arg4    fourth.
 * @param arg5    fifth.
 * @return the option's value (0/1 for the READ/GET/IS_SET queries, the
 *         securebits for PR_GET_SECUREBITS, 0 for changes); -PM_EINVAL for
 *         an invalid capability, a bad sub-command or non-zero unused
 *         arguments where Linux checks them; -PM_EPERM (dropping from the
 *         bounding set without CAP_SETPCAP; raising an ambient capability
 *         not both permitted and inheritable or under
 *         SECURE_NO_CAP_AMBIENT_RAISE; a locked keep-caps; securebits that
 *         change a locked bit, unlock a lock, set an unknown bit, or need
 *         CAP_SETPCAP); -PM_ENOMEM; -PM_ENOSYS for any other option (the
 *         caller handles it).
 */
int64_t pm_cred_prctl(struct pm_cred_slot *self, int option, uint64_t arg2, uint64_t arg3,
                      uint64_t arg4, uint64_t arg5);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_CRED_H */
