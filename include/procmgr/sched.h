/* SPDX-License-Identifier: MIT */
/**
 * @file sched.h
 * @brief clone and unshare flags, with Linux's values
 *        (include/uapi/linux/sched.h). Shared by the process table
 *        (pm_clone, pm_unshare) and the credential module (CLONE_NEWUSER).
 * @ingroup pm_core
 */
#ifndef PROCMGR_SCHED_H
#define PROCMGR_SCHED_H

/** @addtogroup pm_core
 * @{
 */

#define PM_CSIGNAL              0x000000ffull  /**< exit-signal bits of legacy clone() */
#define PM_CLONE_NEWTIME        0x00000080ull  /**< new time namespace (clone3, unshare) */
#define PM_CLONE_VM             0x00000100ull  /**< share the address space */
#define PM_CLONE_FS             0x00000200ull  /**< share root, cwd, umask */
#define PM_CLONE_FILES          0x00000400ull  /**< share the file table */
#define PM_CLONE_SIGHAND        0x00000800ull  /**< share signal handlers */
#define PM_CLONE_PIDFD          0x00001000ull  /**< return a pidfd */
#define PM_CLONE_PTRACE         0x00002000ull  /**< let the tracer trace the child */
#define PM_CLONE_VFORK          0x00004000ull  /**< parent waits for exec or exit */
#define PM_CLONE_PARENT         0x00008000ull  /**< child gets the caller's parent */
#define PM_CLONE_THREAD         0x00010000ull  /**< same thread group */
#define PM_CLONE_NEWNS          0x00020000ull  /**< new mount namespace */
#define PM_CLONE_SYSVSEM        0x00040000ull  /**< share SysV semaphore undo */
#define PM_CLONE_SETTLS         0x00080000ull  /**< set the TLS pointer */
#define PM_CLONE_PARENT_SETTID  0x00100000ull  /**< store the tid in the parent */
#define PM_CLONE_CHILD_CLEARTID 0x00200000ull  /**< clear the tid in the child at exit */
#define PM_CLONE_DETACHED       0x00400000ull  /**< ignored (legacy); rejected by clone3 */
#define PM_CLONE_UNTRACED       0x00800000ull  /**< not traced whatever CLONE_PTRACE says */
#define PM_CLONE_CHILD_SETTID   0x01000000ull  /**< store the tid in the child */
#define PM_CLONE_NEWCGROUP      0x02000000ull  /**< new cgroup namespace */
#define PM_CLONE_NEWUTS         0x04000000ull  /**< new UTS namespace */
#define PM_CLONE_NEWIPC         0x08000000ull  /**< new IPC namespace */
#define PM_CLONE_NEWUSER        0x10000000ull  /**< new user namespace */
#define PM_CLONE_NEWPID         0x20000000ull  /**< new PID namespace */
#define PM_CLONE_NEWNET         0x40000000ull  /**< new network namespace */
#define PM_CLONE_IO             0x80000000ull  /**< share the I/O context */
#define PM_CLONE_CLEAR_SIGHAND  0x100000000ull /**< clone3: reset handlers to SIG_DFL */
#define PM_CLONE_INTO_CGROUP    0x200000000ull /**< clone3: start in a given cgroup */

/** @} */

#endif /* PROCMGR_SCHED_H */
