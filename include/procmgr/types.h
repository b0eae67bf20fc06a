/* SPDX-License-Identifier: MIT */
/**
 * @file types.h
 * @brief Basic types shared by every module: ids, user addresses, the
 *        Linux ABI records that cross module boundaries, and the
 *        forward declarations of the objects a kernel embeds.
 *
 * The ABI records here (pm_sigset_t, struct pm_siginfo, struct pm_stack)
 * have Linux's exact sizes and layouts on x86_64 and riscv64, so a kernel can
 * copy them to and from user memory as they are.
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_TYPES_H
#define PROCMGR_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/config.h"

/** @addtogroup pm_core
 * @{
 */

/** A process or thread id as user space sees it (Linux pid_t). */
typedef int32_t pm_pid_t;
/** A user id (Linux uid_t); (pm_uid_t)-1 means "no change" or "invalid". */
typedef uint32_t pm_uid_t;
/** A group id (Linux gid_t). */
typedef uint32_t pm_gid_t;
/**
 * A user-space address. Always 64 bits wide, so the hosted build can plan
 * programs of either 64-bit architecture. Never dereferenced by procmgr:
 * user memory is reached only through the HAL.
 */
typedef uint64_t pm_uaddr_t;

/** A signal set: bit (n - 1) stands for signal n (Linux's kernel sigset_t). */
typedef uint64_t pm_sigset_t;

/** Invalid uid, also "leave unchanged" in setresuid() (Linux INVALID_UID). */
#define PM_UID_INVALID ((pm_uid_t)-1)
/** Invalid gid, also "leave unchanged" in setresgid(). */
#define PM_GID_INVALID ((pm_gid_t)-1)

/** Linux's `union sigval`: an int or a user pointer, 8 bytes. */
union pm_sigval {
	int32_t sival_int;    /**< integer value */
	pm_uaddr_t sival_ptr; /**< pointer value (a user address) */
};

/**
 * Linux's siginfo_t: 128 bytes on x86_64 and riscv64. Fields by layout
 * (include/uapi/asm-generic/siginfo.h); si_code decides which union member
 * is meaningful.
 */
struct pm_siginfo {
	int32_t si_signo; /**< signal number */
	int32_t si_errno; /**< errno value (usually 0) */
	int32_t si_code;  /**< SI_USER, SI_QUEUE, CLD_EXITED, ... */
	int32_t pad0_;    /**< alignment padding of the union (always 0) */
	/** Per-si_code payload. */
	union {
		/** kill(), tkill(): SI_USER, SI_TKILL. */
		struct {
			pm_pid_t pid; /**< sender's pid in the receiver's namespace */
			pm_uid_t uid; /**< sender's real uid in the receiver's user ns */
		} kill;
		/** POSIX.1b timers: SI_TIMER. */
		struct {
			int32_t tid;           /**< timer id */
			int32_t overrun;       /**< overrun count */
			union pm_sigval value; /**< timer's sigev_value */
			int32_t private_;      /**< kernel-private */
		} timer;
		/** sigqueue() and real-time signals: SI_QUEUE and others. */
		struct {
			pm_pid_t pid;          /**< sender's pid */
			pm_uid_t uid;          /**< sender's uid */
			union pm_sigval value; /**< the queued value */
		} rt;
		/** SIGCHLD: CLD_EXITED ... CLD_CONTINUED. */
		struct {
			pm_pid_t pid;   /**< child's pid */
			pm_uid_t uid;   /**< child's real uid */
			int32_t status; /**< exit value or signal */
			int32_t pad_;   /**< padding */
			int64_t utime;  /**< user time, clock ticks */
			int64_t stime;  /**< system time, clock ticks */
		} chld;
		/** SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP. */
		struct {
			pm_uaddr_t addr;  /**< faulting address */
			int16_t addr_lsb; /**< LSB of the address (BUS_MCEERR_*) */
			int16_t pad_[3];  /**< padding */
			pm_uaddr_t lower; /**< SEGV_BNDERR lower bound / SEGV_PKUERR key */
			pm_uaddr_t upper; /**< SEGV_BNDERR upper bound */
		} fault;
		/** SIGPOLL. */
		struct {
			int64_t band; /**< band event */
			int32_t fd;   /**< file descriptor */
		} poll;
		/** SIGSYS: SYS_SECCOMP. */
		struct {
			pm_uaddr_t call_addr; /**< calling instruction */
			int32_t syscall;      /**< system call number */
			uint32_t arch;        /**< AUDIT_ARCH_* */
		} sys;
		uint8_t pad_[112]; /**< the union's full size */
	} u;                       /**< the payload */
};

/** Linux's stack_t, as sigaltstack() reads and writes it: 24 bytes. */
struct pm_stack {
	pm_uaddr_t ss_sp; /**< base of the alternate stack (user address) */
	int32_t ss_flags; /**< SS_ONSTACK, SS_DISABLE, SS_AUTODISARM */
	int32_t pad_;     /**< padding */
	uint64_t ss_size; /**< size in bytes */
};

/* Objects defined by the modules; forward-declared so any header can name them. */
struct pm_table;
struct pm_process;
struct pm_thread;
struct pm_pidns;
struct pm_userns;
struct pm_cred;
struct pm_vmspace;
struct pm_user_regs;

/* Objects the kernel defines and procmgr only carries by pointer (see hal.h). */
struct pm_hal_as;
struct pm_hal_file;

/**
 * Recover the object that embeds @p ptr as member @p member (Linux
 * container_of). A kernel uses it to get from a `struct pm_process *` back
 * to its own task struct.
 */
#define pm_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/** Number of elements of an array (not a pointer). */
#define PM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** Marks a function that does not return. */
#if defined(__GNUC__) || defined(__clang__)
#define PM_NORETURN __attribute__((noreturn))
#else
#define PM_NORETURN _Noreturn
#endif

/** Marks a function whose result must be checked. */
#if defined(__GNUC__) || defined(__clang__)
#define PM_MUST_CHECK __attribute__((warn_unused_result))
#else
#define PM_MUST_CHECK
#endif

/** @} */

#endif /* PROCMGR_TYPES_H */
