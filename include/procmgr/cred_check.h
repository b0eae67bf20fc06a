/* SPDX-License-Identifier: MIT */
/**
 * @file cred_check.h
 * @brief "May this subject do that?": file DAC checks, signal permission,
 *        ptrace-style privilege comparison and prlimit permission, as
 *        Linux answers them (fs/namei.c, fs/open.c, kernel/signal.c,
 *        kernel/ptrace.c, security/commoncap.c, kernel/sys.c).
 *
 * Capability checks themselves (pm_cred_capable, pm_cred_ns_capable) are
 * in procmgr/cred.h. Everything here is pure: no lock, no allocation.
 *
 * @ingroup pm_cred
 */
#ifndef PROCMGR_CRED_CHECK_H
#define PROCMGR_CRED_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/cred.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_cred
 * @{
 */

/* ======================================================================== */
/** @name Permission checks
 * Pure, lock-free, allocation-free.
 * @{
 */

/* Permission request bits (include/linux/fs.h MAY_*). */
#define PM_MAY_EXEC   0x01u /**< execute, or search a directory */
#define PM_MAY_WRITE  0x02u /**< write */
#define PM_MAY_READ   0x04u /**< read */
#define PM_MAY_APPEND 0x08u /**< append */
#define PM_MAY_ACCESS 0x10u /**< from access(2) */
#define PM_MAY_OPEN   0x20u /**< from open(2) */
#define PM_MAY_CHDIR  0x40u /**< from chdir(2) */

/**
 * @brief DAC permission check on a file (Linux generic_permission and
 *        acl_permission_check, without ACLs): the owner class if the fsuid
 *        owns the file, else the group class if the bits differ and the
 *        file's group is the fsgid or a supplementary group, else other.
 *        On refusal, for a directory CAP_DAC_READ_SEARCH grants anything
 *        but write and CAP_DAC_OVERRIDE grants all; for other files
 *        CAP_DAC_READ_SEARCH grants a plain read and CAP_DAC_OVERRIDE
 *        grants all unless execute is asked and no execute bit is set.
 *        Capabilities count only in the caller's namespace and only when
 *        the file's uid and gid are mapped there.
 * @param cred  the caller's credentials (fsuid, fsgid, groups, effective set).
 * @param attr  the file (mode, uid, gid).
 * @param mask  PM_MAY_* bits.
 * @return 0 or -PM_EACCES.
 */
int pm_cred_generic_permission(const struct pm_cred *cred, const struct pm_file_attr *attr,
                               unsigned int mask);

/**
 * @brief The credentials access(2) checks with (Linux
 *        access_override_creds): fsuid and fsgid from the real ids, and,
 *        unless SECURE_NO_SETUID_FIXUP, the effective set from the
 *        permitted set for a real root and empty otherwise.
 * @param cred  the caller's credentials.
 * @param tmp   storage for the override (a shallow copy: valid while
 *              @p cred is, holds no references; never put it).
 * @return @p cred itself when nothing changes, else @p tmp.
 */
const struct pm_cred *pm_cred_access_creds(const struct pm_cred *cred, struct pm_cred *tmp);

/**
 * @brief kill_ok_by_cred: the sender's euid or ruid equals the target's
 *        ruid or saved uid, or the sender has CAP_KILL in the target's
 *        namespace. (The target's euid is never compared.)
 * @param sender  the sending thread's credentials.
 * @param target  the target task's credentials.
 * @return true if allowed.
 */
bool pm_cred_kill_ok_by_cred(const struct pm_cred *sender, const struct pm_cred *target);

/** pm_cred_kill_permission(): sender and target are in the same thread group. */
#define PM_KILL_SAME_THREAD_GROUP 0x1u
/** pm_cred_kill_permission(): the target is in the sender's session, or has none. */
#define PM_KILL_SAME_SESSION      0x2u
/** pm_cred_kill_permission(): the signal comes from the kernel (si_code > 0, SEND_SIG_PRIV). */
#define PM_KILL_FROM_KERNEL       0x4u

/**
 * @brief Signal permission (Linux check_kill_permission): invalid signal
 *        -> EINVAL; kernel signals, the same thread group and
 *        pm_cred_kill_ok_by_cred() are allowed; otherwise SIGCONT within
 *        the sender's session is allowed; else EPERM.
 * @param sender  the sender's credentials.
 * @param target  the target's credentials.
 * @param sig     signal number, 0..64 (0 probes).
 * @param flags   PM_KILL_* facts about the pair.
 * @return 0, -PM_EINVAL or -PM_EPERM.
 */
int pm_cred_kill_permission(const struct pm_cred *sender, const struct pm_cred *target, int sig,
                            unsigned int flags);

/* ptrace access modes (include/linux/ptrace.h PTRACE_MODE_*). */
#define PM_PTRACE_MODE_READ      0x01u /**< inspect */
#define PM_PTRACE_MODE_ATTACH    0x02u /**< attach (and modify) */
#define PM_PTRACE_MODE_NOAUDIT   0x04u /**< do not audit (no effect here) */
#define PM_PTRACE_MODE_FSCREDS   0x08u /**< compare with fsuid/fsgid and the effective set */
#define PM_PTRACE_MODE_REALCREDS 0x10u /**< compare with uid/gid and the permitted set */

/** Facts about the target of pm_cred_ptrace_may_access(). */
struct pm_ptrace_target {
	bool same_thread_group;            /**< caller and target share a thread group */
	bool has_mm;                       /**< the target has an address space */
	bool dumpable;                     /**< its dumpable mode is SUID_DUMP_USER */
	const struct pm_userns *mm_userns; /**< namespace of its address space (mm->user_ns) */
};

/**
 * @brief "Same or more privileged" (Linux __ptrace_may_access with
 *        cap_ptrace_access_check): the caller's uid and gid (fs or real
 *        ones, by mode) equal all three of the target's, or it has
 *        CAP_SYS_PTRACE in the target's namespace; a non-dumpable target
 *        also needs CAP_SYS_PTRACE in its mm's namespace; finally the
 *        target's permitted set must be within the caller's (effective or
 *        permitted, by mode) in the same namespace, or CAP_SYS_PTRACE.
 * @param caller  the caller's credentials.
 * @param target  the target's credentials.
 * @param mode    PM_PTRACE_MODE_*: exactly one of FSCREDS and REALCREDS.
 * @param t       facts about the target.
 * @return 0 or -PM_EPERM (also for a mode with neither or both of
 *         FSCREDS and REALCREDS).
 */
int pm_cred_ptrace_may_access(const struct pm_cred *caller, const struct pm_cred *target,
                              unsigned int mode, const struct pm_ptrace_target *t);

/**
 * @brief prlimit64 on another task (Linux check_prlimit_permission): the
 *        caller's real uid must equal the target's real, effective and
 *        saved uids, and its real gid the target's three gids; or the
 *        caller has CAP_SYS_RESOURCE in the target's namespace.
 * @param caller     the caller's credentials.
 * @param target     the target thread's credentials.
 * @param same_task  the target is the calling thread itself (always allowed).
 * @return 0 or -PM_EPERM.
 */
int pm_cred_prlimit_permission(const struct pm_cred *caller, const struct pm_cred *target,
                               bool same_task);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_CRED_CHECK_H */
