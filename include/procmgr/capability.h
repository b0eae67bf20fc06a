/* SPDX-License-Identifier: MIT */
/**
 * @file capability.h
 * @brief Capability numbers and sets, securebits, the capability prctl()
 *        options, capget/capset records and the on-disk file-capability
 *        format, all with Linux's values.
 *
 * Sources: include/uapi/linux/capability.h, include/linux/capability.h,
 * include/uapi/linux/securebits.h (Linux 6.14+ bits included),
 * include/uapi/linux/prctl.h. The functions that use these live in
 * procmgr/cred.h.
 *
 * @ingroup pm_cred
 */
#ifndef PROCMGR_CAPABILITY_H
#define PROCMGR_CAPABILITY_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_cred
 * @{
 */

/** @name Capability numbers (include/uapi/linux/capability.h)
 * @{
 */
#define PM_CAP_CHOWN              0  /**< change file ownership */
#define PM_CAP_DAC_OVERRIDE       1  /**< bypass file read, write and execute checks */
#define PM_CAP_DAC_READ_SEARCH    2  /**< bypass file read and directory search checks */
#define PM_CAP_FOWNER             3  /**< bypass checks that need the file's owner */
#define PM_CAP_FSETID             4  /**< keep set-id bits on modification */
#define PM_CAP_KILL               5  /**< bypass signal permission checks */
#define PM_CAP_SETGID             6  /**< set*gid, setgroups, gid_map */
#define PM_CAP_SETUID             7  /**< set*uid, uid_map */
#define PM_CAP_SETPCAP            8  /**< bounding set, inheritable set, securebits */
#define PM_CAP_LINUX_IMMUTABLE    9  /**< immutable and append-only file flags */
#define PM_CAP_NET_BIND_SERVICE   10 /**< bind ports below 1024 */
#define PM_CAP_NET_BROADCAST      11 /**< broadcast and multicast */
#define PM_CAP_NET_ADMIN          12 /**< network administration */
#define PM_CAP_NET_RAW            13 /**< raw and packet sockets */
#define PM_CAP_IPC_LOCK           14 /**< lock memory */
#define PM_CAP_IPC_OWNER          15 /**< bypass System V IPC permission checks */
#define PM_CAP_SYS_MODULE         16 /**< load kernel modules */
#define PM_CAP_SYS_RAWIO          17 /**< raw I/O */
#define PM_CAP_SYS_CHROOT         18 /**< chroot */
#define PM_CAP_SYS_PTRACE         19 /**< trace any process */
#define PM_CAP_SYS_PACCT          20 /**< process accounting */
#define PM_CAP_SYS_ADMIN          21 /**< system administration */
#define PM_CAP_SYS_BOOT           22 /**< reboot */
#define PM_CAP_SYS_NICE           23 /**< raise priority, other processes' scheduling */
#define PM_CAP_SYS_RESOURCE       24 /**< override resource limits */
#define PM_CAP_SYS_TIME           25 /**< set the clocks */
#define PM_CAP_SYS_TTY_CONFIG     26 /**< vhangup and terminal configuration */
#define PM_CAP_MKNOD              27 /**< create device files */
#define PM_CAP_LEASE              28 /**< file leases */
#define PM_CAP_AUDIT_WRITE        29 /**< write the audit log */
#define PM_CAP_AUDIT_CONTROL      30 /**< configure auditing */
#define PM_CAP_SETFCAP            31 /**< set file capabilities; map uid 0 in a child namespace */
#define PM_CAP_MAC_OVERRIDE       32 /**< override mandatory access control */
#define PM_CAP_MAC_ADMIN          33 /**< configure mandatory access control */
#define PM_CAP_SYSLOG             34 /**< kernel log operations */
#define PM_CAP_WAKE_ALARM         35 /**< wake-up alarms */
#define PM_CAP_BLOCK_SUSPEND      36 /**< block system suspend */
#define PM_CAP_AUDIT_READ         37 /**< read the audit log */
#define PM_CAP_PERFMON            38 /**< performance monitoring */
#define PM_CAP_BPF                39 /**< BPF operations */
#define PM_CAP_CHECKPOINT_RESTORE 40 /**< checkpoint/restore operations */
/** @} */

/**
 * A capability set: bit n stands for capability n (Linux kernel_cap_t,
 * one 64-bit word since Linux 6.3).
 */
typedef uint64_t pm_kernel_cap_t;

/** Every valid capability: Linux CAP_VALID_MASK / CAP_FULL_SET. */
#define PM_CAP_FULL_SET   ((pm_kernel_cap_t)((((uint64_t)1 << PM_CAP_LAST_CAP) << 1) - 1))
/** The empty set (CAP_EMPTY_SET). */
#define PM_CAP_EMPTY_SET  ((pm_kernel_cap_t)0)
/** The set holding only capability @p c (CAP_TO_MASK). */
#define PM_CAP_TO_MASK(c) ((pm_kernel_cap_t)1 << (c))

/**
 * Capabilities that follow the filesystem uid (include/linux/capability.h
 * CAP_FS_MASK): chown, mknod, DAC override and read-search, fowner, fsetid,
 * MAC override.
 */
#define PM_CAP_FS_MASK                                                                  \
	(PM_CAP_TO_MASK(PM_CAP_CHOWN) | PM_CAP_TO_MASK(PM_CAP_MKNOD) |                  \
	 PM_CAP_TO_MASK(PM_CAP_DAC_OVERRIDE) | PM_CAP_TO_MASK(PM_CAP_DAC_READ_SEARCH) | \
	 PM_CAP_TO_MASK(PM_CAP_FOWNER) | PM_CAP_TO_MASK(PM_CAP_FSETID) |                \
	 PM_CAP_TO_MASK(PM_CAP_MAC_OVERRIDE))
/** CAP_FS_MASK plus CAP_LINUX_IMMUTABLE: what setfsuid() drops and raises. */
#define PM_CAP_FS_SET (PM_CAP_FS_MASK | PM_CAP_TO_MASK(PM_CAP_LINUX_IMMUTABLE))

/**
 * @brief Is @p cap a capability number this build knows (Linux cap_valid)?
 * @param cap  any value.
 * @return true for 0..PM_CAP_LAST_CAP.
 */
static inline bool pm_cap_valid(uint64_t cap)
{
	return cap <= PM_CAP_LAST_CAP;
}

/**
 * @brief Is capability @p cap in @p set (Linux cap_raised)?
 * @param set  a capability set.
 * @param cap  a valid capability number.
 * @return true if the bit is set.
 */
static inline bool pm_cap_raised(pm_kernel_cap_t set, unsigned int cap)
{
	return ((set >> cap) & 1u) != 0;
}

/**
 * @brief Is @p a a subset of @p set (Linux cap_issubset)?
 * @param a    candidate subset.
 * @param set  the superset.
 * @return true when every bit of @p a is in @p set.
 */
static inline bool pm_cap_issubset(pm_kernel_cap_t a, pm_kernel_cap_t set)
{
	return (a & ~set) == 0;
}

/**
 * @brief Linux name of capability @p cap ("CAP_KILL").
 * @param cap  capability number.
 * @return the name, or NULL if @p cap is not valid.
 */
const char *pm_cap_name(unsigned int cap);

/**
 * @brief Capability number of @p name ("CAP_KILL", or "kill", any case).
 * @param name  NUL-terminated name.
 * @return the number, or -PM_EINVAL if no capability has that name.
 */
int pm_cap_from_name(const char *name);

/** @name Securebits (include/uapi/linux/securebits.h)
 * Bit numbers and masks. Bits 8-11 (exec restrictions for interpreters)
 * exist since Linux 6.14 and are the only ones an unprivileged thread may
 * change. Default: 0.
 * @{
 */
#define PM_SECURE_NOROOT                       0 /**< uid 0 gets no capabilities at exec */
#define PM_SECURE_NOROOT_LOCKED                1 /**< make bit 0 immutable */
#define PM_SECURE_NO_SETUID_FIXUP              2 /**< uid changes do not touch capabilities */
#define PM_SECURE_NO_SETUID_FIXUP_LOCKED       3 /**< make bit 2 immutable */
#define PM_SECURE_KEEP_CAPS                    4 /**< keep permitted caps when uid 0 goes away */
#define PM_SECURE_KEEP_CAPS_LOCKED             5 /**< make bit 4 immutable */
#define PM_SECURE_NO_CAP_AMBIENT_RAISE         6 /**< forbid PR_CAP_AMBIENT_RAISE */
#define PM_SECURE_NO_CAP_AMBIENT_RAISE_LOCKED  7 /**< make bit 6 immutable */
#define PM_SECURE_EXEC_RESTRICT_FILE           8 /**< interpreters check files with AT_EXECVE_CHECK */
#define PM_SECURE_EXEC_RESTRICT_FILE_LOCKED    9  /**< make bit 8 immutable */
#define PM_SECURE_EXEC_DENY_INTERACTIVE        10 /**< interpreters refuse interactive use */
#define PM_SECURE_EXEC_DENY_INTERACTIVE_LOCKED 11 /**< make bit 10 immutable */

/** The mask of securebit number @p b (Linux issecure_mask). */
#define PM_SECBIT(b) (1u << (b))

#define PM_SECBIT_NOROOT                 PM_SECBIT(PM_SECURE_NOROOT)                 /**< 0x001 */
#define PM_SECBIT_NOROOT_LOCKED          PM_SECBIT(PM_SECURE_NOROOT_LOCKED)          /**< 0x002 */
#define PM_SECBIT_NO_SETUID_FIXUP        PM_SECBIT(PM_SECURE_NO_SETUID_FIXUP)        /**< 0x004 */
#define PM_SECBIT_NO_SETUID_FIXUP_LOCKED PM_SECBIT(PM_SECURE_NO_SETUID_FIXUP_LOCKED) /**< 0x008 */
#define PM_SECBIT_KEEP_CAPS              PM_SECBIT(PM_SECURE_KEEP_CAPS)              /**< 0x010 */
#define PM_SECBIT_KEEP_CAPS_LOCKED       PM_SECBIT(PM_SECURE_KEEP_CAPS_LOCKED)       /**< 0x020 */
#define PM_SECBIT_NO_CAP_AMBIENT_RAISE   PM_SECBIT(PM_SECURE_NO_CAP_AMBIENT_RAISE)   /**< 0x040 */
#define PM_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED \
	PM_SECBIT(PM_SECURE_NO_CAP_AMBIENT_RAISE_LOCKED)                     /**< 0x080 */
#define PM_SECBIT_EXEC_RESTRICT_FILE PM_SECBIT(PM_SECURE_EXEC_RESTRICT_FILE) /**< 0x100 */
#define PM_SECBIT_EXEC_RESTRICT_FILE_LOCKED \
	PM_SECBIT(PM_SECURE_EXEC_RESTRICT_FILE_LOCKED)                             /**< 0x200 */
#define PM_SECBIT_EXEC_DENY_INTERACTIVE PM_SECBIT(PM_SECURE_EXEC_DENY_INTERACTIVE) /**< 0x400 */
#define PM_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED \
	PM_SECBIT(PM_SECURE_EXEC_DENY_INTERACTIVE_LOCKED) /**< 0x800 */

/** Every settable bit (SECURE_ALL_BITS): 0x555. */
#define PM_SECURE_ALL_BITS                                                    \
	(PM_SECBIT_NOROOT | PM_SECBIT_NO_SETUID_FIXUP | PM_SECBIT_KEEP_CAPS | \
	 PM_SECBIT_NO_CAP_AMBIENT_RAISE | PM_SECBIT_EXEC_RESTRICT_FILE |      \
	 PM_SECBIT_EXEC_DENY_INTERACTIVE)
/** Every lock bit (SECURE_ALL_LOCKS): 0xaaa. */
#define PM_SECURE_ALL_LOCKS        (PM_SECURE_ALL_BITS << 1)
/** Bits an unprivileged thread may change (SECURE_ALL_UNPRIVILEGED): 0x500. */
#define PM_SECURE_ALL_UNPRIVILEGED (PM_SECBIT_EXEC_RESTRICT_FILE | PM_SECBIT_EXEC_DENY_INTERACTIVE)
/** @} */

/** @name prctl() options about credentials (include/uapi/linux/prctl.h)
 * @{
 */
#define PM_PR_GET_KEEPCAPS          7  /**< read SECURE_KEEP_CAPS */
#define PM_PR_SET_KEEPCAPS          8  /**< set or clear SECURE_KEEP_CAPS */
#define PM_PR_CAPBSET_READ          23 /**< is a capability in the bounding set? */
#define PM_PR_CAPBSET_DROP          24 /**< drop a capability from the bounding set */
#define PM_PR_GET_SECUREBITS        27 /**< read the securebits */
#define PM_PR_SET_SECUREBITS        28 /**< write the securebits */
#define PM_PR_SET_NO_NEW_PRIVS      38 /**< set no_new_privs (never cleared) */
#define PM_PR_GET_NO_NEW_PRIVS      39 /**< read no_new_privs */
#define PM_PR_CAP_AMBIENT           47 /**< ambient set operations (sub-commands below) */
#define PM_PR_CAP_AMBIENT_IS_SET    1  /**< is a capability in the ambient set? */
#define PM_PR_CAP_AMBIENT_RAISE     2  /**< add one (needs it permitted and inheritable) */
#define PM_PR_CAP_AMBIENT_LOWER     3  /**< remove one */
#define PM_PR_CAP_AMBIENT_CLEAR_ALL 4  /**< empty the ambient set */
/** @} */

/** @name capget()/capset() records (include/uapi/linux/capability.h)
 * @{
 */
#define PM_LINUX_CAPABILITY_VERSION_1 0x19980330u /**< 32-bit sets, one data record */
#define PM_LINUX_CAPABILITY_VERSION_2 0x20071026u /**< deprecated; same as version 3 */
#define PM_LINUX_CAPABILITY_VERSION_3 0x20080522u /**< 64-bit sets as two data records */

/** struct __user_cap_header_struct: 8 bytes. */
struct pm_cap_user_header {
	uint32_t version; /**< PM_LINUX_CAPABILITY_VERSION_* */
	int32_t pid;      /**< target thread id; 0 = the caller */
};

/** struct __user_cap_data_struct: 12 bytes; version 3 passes two (low, high). */
struct pm_cap_user_data {
	uint32_t effective;   /**< effective set, 32 bits */
	uint32_t permitted;   /**< permitted set, 32 bits */
	uint32_t inheritable; /**< inheritable set, 32 bits */
};
/** @} */

/** @name File capabilities: the security.capability xattr (struct vfs_cap_data)
 * Little-endian on disk: magic_etc, then {permitted, inheritable} u32 pairs
 * (one pair for revision 1, two for 2 and 3), then the root uid (revision 3).
 * @{
 */
#define PM_VFS_CAP_REVISION_MASK   0xFF000000u        /**< revision field of magic_etc */
#define PM_VFS_CAP_FLAGS_EFFECTIVE 0x000001u          /**< the file's effective bit */
#define PM_VFS_CAP_REVISION_1      0x01000000u        /**< 32-bit sets */
#define PM_VFS_CAP_REVISION_2      0x02000000u        /**< 64-bit sets */
#define PM_VFS_CAP_REVISION_3      0x03000000u        /**< 64-bit sets and a root uid */
#define PM_XATTR_CAPS_SZ_1         12u                /**< bytes of a revision 1 value */
#define PM_XATTR_CAPS_SZ_2         20u                /**< bytes of a revision 2 value */
#define PM_XATTR_CAPS_SZ_3         24u                /**< bytes of a revision 3 value */
#define PM_XATTR_CAPS_SZ           PM_XATTR_CAPS_SZ_3 /**< the largest valid value */
/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_CAPABILITY_H */
