/* SPDX-License-Identifier: MIT */
/**
 * @file cred_exec.h
 * @brief Credentials across execve: set-id bits, file capabilities (the
 *        security.capability xattr) and the capability transition, with
 *        the AT_SECURE decision for the loader (fs/exec.c bprm_fill_uid,
 *        security/commoncap.c cap_bprm_creds_from_file, Linux 6.18).
 *
 * The loader's sequence: pm_cred_exec_nproc_check() at the start of
 * execve; pm_cred_exec_prepare_file() on the final executable (the
 * interpreter for a #! script) before the point of no return, or
 * pm_cred_exec_abort() if the exec fails before it; pm_cred_exec_commit()
 * after it, then pm_rlimits_exec_secure() when the result says secureexec.
 *
 * @ingroup pm_cred
 */
#ifndef PROCMGR_CRED_EXEC_H
#define PROCMGR_CRED_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/cred.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_cred
 * @{
 */

/* ======================================================================== */
/** @name execve (fs/exec.c bprm_fill_uid, security/commoncap.c)
 * @{
 */

/** The exec is unsafe: the fs_struct is shared with another process (LSM_UNSAFE_SHARE). */
#define PM_EXEC_UNSAFE_SHARE 0x1u

/** Parsed file capabilities (Linux struct cpu_vfs_cap_data). */
struct pm_vfs_caps {
	uint32_t magic_etc;          /**< revision and PM_VFS_CAP_FLAGS_EFFECTIVE */
	pm_uid_t rootid;             /**< global uid the capabilities belong to */
	pm_kernel_cap_t permitted;   /**< fP */
	pm_kernel_cap_t inheritable; /**< fI */
};

/**
 * @brief Parse and validate a raw security.capability value (Linux
 *        get_vfs_caps_from_disk). Untrusted bytes.
 *
 * @param buf        the value (little-endian vfs_cap_data / vfs_ns_cap_data).
 * @param len        its length in bytes.
 * @param fs_ns      user namespace of the file's superblock (NULL: the
 *                   initial namespace of @p caller_ns's tree).
 * @param caller_ns  the exec'ing task's namespace.
 * @param out        receives the capabilities (bits above
 *                   PM_CAP_LAST_CAP dropped).
 * @return 0; -PM_EINVAL for a length under 4, an unknown revision, or a
 *         length that does not match the revision (12, 20, 24 bytes);
 *         -PM_ENODATA when the root id has no mapping in @p fs_ns or is
 *         not root of @p caller_ns or an ancestor (the capabilities do not
 *         apply; exec goes on without them).
 *
 * Pure; lock-free.
 */
int pm_cred_parse_vfs_caps(const void *buf, size_t len, const struct pm_userns *fs_ns,
                           const struct pm_userns *caller_ns, struct pm_vfs_caps *out);

/** The result of pm_cred_exec_prepare(). */
struct pm_exec_creds {
	struct pm_cred *cred; /**< the new credentials (prepared, not committed) */
	bool secureexec;      /**< AT_SECURE: the loader must run in secure mode */
	bool per_clear;       /**< clear PER_CLEAR_ON_SETID personality flags */
	/** begin_new_exec's rule: the old credentials had euid != uid or
	 *  egid != gid, so the new image starts non-dumpable. */
	bool nondumpable;
};

/**
 * @brief Compute the credentials of a new program image (Linux
 *        prepare_exec_creds, bprm_fill_uid and cap_bprm_creds_from_file).
 *
 * Set-id bits apply unless the mount is nosuid, the superblock's user
 * namespace is not the caller's or an ancestor, no_new_privs is set, or
 * the file's uid or gid has no mapping in the caller's namespace; setgid
 * needs S_IXGRP too. File capabilities follow the same mount rules:
 * pP' = (X & fP) | (pI & fI); with the effective bit, a missing fP bit
 * fails the exec with EPERM. Unless SECURE_NOROOT, a new euid or ruid of
 * root gets pP' = X | pI (not for setuid-root files with file
 * capabilities run by a non-root user), and euid root sets the effective
 * bit. A set-id or capability-gaining exec that is unsafe (no_new_privs,
 * shared fs, or traced by a tracer without CAP_SYS_PTRACE) keeps the old
 * ids (if no_new_privs or no CAP_SETUID) and no new permitted bits.
 * Ambient is cleared by file capabilities or an id change, pP' |= pA',
 * pE' = fE ? pP' : pA', SECURE_KEEP_CAPS is cleared. AT_SECURE is set for
 * an id change, new euid != old uid, new egid != old gid, or a non-root
 * real uid gaining effective or non-ambient permitted capabilities.
 *
 * @param old      the calling thread's committed credentials.
 * @param attr     the executable's attributes (mode, owner, mount flags,
 *                 superblock namespace). For #! scripts this is the
 *                 interpreter: Linux ignores set-id bits of scripts.
 * @param caps     the raw security.capability value, or NULL if none.
 * @param caps_len its length in bytes.
 * @param unsafe   PM_EXEC_UNSAFE_* bits (no_new_privs is taken from @p old).
 * @param ptracer  credentials of the tracer captured at attach time
 *                 (ptracer_cred), or NULL when not traced.
 * @param out      receives the new credentials and flags.
 * @return 0; -PM_EINVAL for a malformed capability value; -PM_EPERM when
 *         the file's effective bit asks for capabilities the bounding set
 *         denies; -PM_ENOMEM. On failure nothing was allocated.
 *
 * **Locking**: none; allocates.
 */
int pm_cred_exec_prepare(const struct pm_cred *old, const struct pm_file_attr *attr,
                         const void *caps, size_t caps_len, unsigned int unsafe,
                         const struct pm_cred *ptracer, struct pm_exec_creds *out);

/**
 * @brief pm_cred_exec_prepare() reading the attributes and capabilities of
 *        @p file through the HAL (pm_hal_file_getattr, pm_hal_file_get_caps).
 * @param old      the calling thread's credentials.
 * @param file     the executable (the interpreter, for scripts).
 * @param unsafe   PM_EXEC_UNSAFE_* bits.
 * @param ptracer  the tracer's credentials, or NULL.
 * @param out      receives the result.
 * @return as pm_cred_exec_prepare(); errors of pm_hal_file_getattr();
 *         errors of pm_hal_file_get_caps() other than -PM_ENODATA and
 *         -PM_EOPNOTSUPP (no capabilities); -PM_ERANGE for a value longer
 *         than 24 bytes.
 *
 * **Locking**: none held (the HAL file functions may sleep).
 */
int pm_cred_exec_prepare_file(const struct pm_cred *old, struct pm_hal_file *file,
                              unsigned int unsafe, const struct pm_cred *ptracer,
                              struct pm_exec_creds *out);

/**
 * @brief Commit exec credentials after the point of no return (Linux
 *        begin_new_exec's commit_creds and its dumpability and
 *        parent-death-signal rules).
 *
 * The new image starts dumpable (SUID_DUMP_USER) unless
 * pm_cred_slot_take_effects() then reports PM_CRED_EFFECT_NONDUMPABLE
 * (the old credentials had euid != uid or egid != gid, or the commit
 * changed an effective or fs id or gained capabilities); the loader also
 * makes it non-dumpable when the file is not readable (would_dump).
 * PM_CRED_EFFECT_CLEAR_PDEATH is reported for a secure exec.
 *
 * @param self  the calling thread's slot.
 * @param ec    from pm_cred_exec_prepare(); its credential is consumed.
 */
void pm_cred_exec_commit(struct pm_cred_slot *self, struct pm_exec_creds *ec);

/**
 * @brief Release exec credentials when the exec fails before the point of
 *        no return (Linux free_bprm's abort_creds).
 * @param ec  from pm_cred_exec_prepare().
 */
void pm_cred_exec_abort(struct pm_exec_creds *ec);

/**
 * @brief The RLIMIT_NPROC check at the start of execve (Linux
 *        do_execveat_common): fails if a set*uid left the real user over
 *        the limit and it still is; otherwise clears the flag.
 * @param self  the calling thread's slot.
 * @param rlim  the calling process's limits.
 * @return 0 or -PM_EAGAIN.
 */
int pm_cred_exec_nproc_check(struct pm_cred_slot *self, const struct pm_rlimits *rlim);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_CRED_EXEC_H */
