/* SPDX-License-Identifier: MIT */
/**
 * @file errno.h
 * @brief Error numbers procmgr returns, with Linux's values.
 *
 * Every procmgr function that can fail returns a negated code from this file
 * (`-PM_EINVAL`), so a kernel hands it to user space unchanged. The numbers
 * are the asm-generic ones Linux uses on x86_64 and riscv64
 * (include/uapi/asm-generic/errno-base.h and errno.h). The `PM_ERESTART*`
 * codes are Linux's kernel-internal restart requests
 * (include/linux/errno.h); they never reach user space.
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_ERRNO_H
#define PROCMGR_ERRNO_H

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_core
 * @{
 */

#define PM_EPERM        1   /**< Operation not permitted */
#define PM_ENOENT       2   /**< No such file or directory */
#define PM_ESRCH        3   /**< No such process */
#define PM_EINTR        4   /**< Interrupted system call */
#define PM_EIO          5   /**< I/O error */
#define PM_ENXIO        6   /**< No such device or address */
#define PM_E2BIG        7   /**< Argument list too long */
#define PM_ENOEXEC      8   /**< Exec format error */
#define PM_EBADF        9   /**< Bad file number */
#define PM_ECHILD       10  /**< No child processes */
#define PM_EAGAIN       11  /**< Try again (also EWOULDBLOCK) */
#define PM_ENOMEM       12  /**< Out of memory */
#define PM_EACCES       13  /**< Permission denied */
#define PM_EFAULT       14  /**< Bad address */
#define PM_EBUSY        16  /**< Device or resource busy */
#define PM_EEXIST       17  /**< File exists */
#define PM_ENODEV       19  /**< No such device */
#define PM_ENOTDIR      20  /**< Not a directory */
#define PM_EISDIR       21  /**< Is a directory */
#define PM_EINVAL       22  /**< Invalid argument */
#define PM_ENFILE       23  /**< File table overflow */
#define PM_EMFILE       24  /**< Too many open files */
#define PM_ENOTTY       25  /**< Not a typewriter */
#define PM_ETXTBSY      26  /**< Text file busy */
#define PM_EFBIG        27  /**< File too large */
#define PM_ENOSPC       28  /**< No space left on device */
#define PM_ESPIPE       29  /**< Illegal seek */
#define PM_EROFS        30  /**< Read-only file system */
#define PM_EMLINK       31  /**< Too many links */
#define PM_EPIPE        32  /**< Broken pipe */
#define PM_EDOM         33  /**< Math argument out of domain */
#define PM_ERANGE       34  /**< Math result not representable */
#define PM_EDEADLK      35  /**< Resource deadlock would occur */
#define PM_ENAMETOOLONG 36  /**< File name too long */
#define PM_ENOLCK       37  /**< No record locks available */
#define PM_ENOSYS       38  /**< Invalid system call number */
#define PM_ENOTEMPTY    39  /**< Directory not empty */
#define PM_ELOOP        40  /**< Too many symbolic links (or interpreter levels) */
#define PM_ENOMSG       42  /**< No message of desired type */
#define PM_EIDRM        43  /**< Identifier removed */
#define PM_ENODATA      61  /**< No data available (no such attribute) */
#define PM_ETIME        62  /**< Timer expired */
#define PM_EOVERFLOW    75  /**< Value too large for defined data type */
#define PM_ELIBBAD      80  /**< Accessing a corrupted shared library */
#define PM_EILSEQ       84  /**< Illegal byte sequence */
#define PM_EUSERS       87  /**< Too many users */
#define PM_EOPNOTSUPP   95  /**< Operation not supported */
#define PM_ETIMEDOUT    110 /**< Connection timed out */
#define PM_ECANCELED    125 /**< Operation canceled */

#define PM_EWOULDBLOCK PM_EAGAIN     /**< Alias of PM_EAGAIN, as on Linux */
#define PM_ENOTSUP     PM_EOPNOTSUPP /**< Alias of PM_EOPNOTSUPP, as on Linux */
#define PM_EDEADLOCK   PM_EDEADLK    /**< Alias of PM_EDEADLK, as on Linux */

/* Kernel-internal restart requests (include/linux/errno.h). */
#define PM_ERESTARTSYS           512 /**< Restart if SA_RESTART, else EINTR */
#define PM_ERESTARTNOINTR        513 /**< Always restart */
#define PM_ERESTARTNOHAND        514 /**< Restart only if no handler runs */
#define PM_ENOIOCTLCMD           515 /**< No ioctl command (never returned by procmgr) */
#define PM_ERESTART_RESTARTBLOCK 516 /**< Restart through restart_syscall */

/** Largest code pm_errno_name() and pm_strerror() know. */
#define PM_ERRNO_MAX 516

/**
 * @brief Linux's symbolic name of an error code.
 *
 * @param err  an error code, negated (as procmgr returns it) or positive.
 * @return a static string such as "EPERM", "ERESTARTSYS"; "E?" for a code
 *         this file does not define, "0" for 0. Never NULL.
 *
 * Pure; no locking; any context.
 */
const char *pm_errno_name(int err);

/**
 * @brief Human-readable description of an error code (glibc's wording).
 *
 * @param err  an error code, negated or positive.
 * @return a static string such as "Operation not permitted"; "Unknown error"
 *         for a code this file does not define, "Success" for 0. Never NULL.
 *
 * Pure; no locking; any context.
 */
const char *pm_strerror(int err);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ERRNO_H */
