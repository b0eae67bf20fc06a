/* SPDX-License-Identifier: MIT */
/**
 * @file signal.h
 * @brief Signals: numbers and names, sets, default actions, dispositions,
 *        masks, pending queues and generation (kill, tgkill, sigqueue),
 *        as Linux's kernel/signal.c has them.
 *
 * The decision side (which signal a thread takes next and what the kernel
 * must do with it, sigaltstack, syscall restart, frames) is in
 * procmgr/signal_deliver.h.
 *
 * **Objects.** A process embeds `struct pm_sig_process` and each thread a
 * `struct pm_sig_thread` (inside struct pm_process and struct pm_thread);
 * the process table initialises and releases them at clone, exec, exit and
 * reaping. Dispositions live in a `struct pm_sighand` that procmgr
 * allocates and shares between processes created with CLONE_SIGHAND
 * (threads always share their process's). Queued siginfo records come from
 * a pool the table owns, refilled through pm_hal_alloc() with no lock held.
 *
 * **Locking.** Signal state is protected by the PM_LOCK_SIGHAND lock of the
 * process's `struct pm_sighand` (Linux sighand->siglock), which nests
 * inside PM_LOCK_TABLE. A thread's own operations (sigprocmask, sigaction,
 * dequeuing) take only that lock; generating a signal for another thread
 * takes the table lock first (the target is looked up or pinned under it),
 * as Linux takes tasklist_lock or RCU before siglock. No function here
 * allocates with a lock held; those that may allocate say so.
 *
 * Every function names the Linux function it reproduces (kernel/signal.c
 * unless stated); the fact sheet is ../shared/reference/linux-semantics.md
 * section 1.
 *
 * @defgroup pm_signal Signals
 * @brief Dispositions, pending queues, masks, kill, job control and the
 *        delivery decision.
 * @{
 */
#ifndef PROCMGR_SIGNAL_H
#define PROCMGR_SIGNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/config.h"
#include "procmgr/types.h"
#include "procmgr/list.h"
#include "procmgr/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pm_arch_desc;

/* ======================================================================== */
/** @name Signal numbers (identical on x86_64 and riscv64)
 * arch/x86/include/uapi/asm/signal.h, include/uapi/asm-generic/signal.h.
 * @{
 */
#define PM_SIGHUP    1  /**< hangup */
#define PM_SIGINT    2  /**< interrupt */
#define PM_SIGQUIT   3  /**< quit */
#define PM_SIGILL    4  /**< illegal instruction */
#define PM_SIGTRAP   5  /**< trace trap */
#define PM_SIGABRT   6  /**< abort */
#define PM_SIGIOT    6  /**< alias of SIGABRT */
#define PM_SIGBUS    7  /**< bus error */
#define PM_SIGFPE    8  /**< arithmetic exception */
#define PM_SIGKILL   9  /**< kill (cannot be caught, blocked or ignored) */
#define PM_SIGUSR1   10 /**< user signal 1 */
#define PM_SIGSEGV   11 /**< segmentation violation */
#define PM_SIGUSR2   12 /**< user signal 2 */
#define PM_SIGPIPE   13 /**< broken pipe */
#define PM_SIGALRM   14 /**< alarm clock */
#define PM_SIGTERM   15 /**< termination */
#define PM_SIGSTKFLT 16 /**< coprocessor stack fault (unused) */
#define PM_SIGCHLD   17 /**< child stopped, continued or terminated */
#define PM_SIGCONT   18 /**< continue */
#define PM_SIGSTOP   19 /**< stop (cannot be caught, blocked or ignored) */
#define PM_SIGTSTP   20 /**< terminal stop */
#define PM_SIGTTIN   21 /**< background read from the terminal */
#define PM_SIGTTOU   22 /**< background write to the terminal */
#define PM_SIGURG    23 /**< urgent socket data */
#define PM_SIGXCPU   24 /**< CPU time limit exceeded */
#define PM_SIGXFSZ   25 /**< file size limit exceeded */
#define PM_SIGVTALRM 26 /**< virtual alarm clock */
#define PM_SIGPROF   27 /**< profiling alarm clock */
#define PM_SIGWINCH  28 /**< window size change */
#define PM_SIGIO     29 /**< I/O possible */
#define PM_SIGPOLL   29 /**< alias of SIGIO */
#define PM_SIGPWR    30 /**< power failure */
#define PM_SIGSYS    31 /**< bad system call */
#define PM_SIGRTMIN  32 /**< first real-time signal (the kernel's; libc reserves some) */
#define PM_SIGRTMAX  64 /**< last real-time signal */
#define PM_NSIG      64 /**< highest signal number (_NSIG); a sigset is one 64-bit word */
/** @} */

/* ======================================================================== */
/** @name ABI constants (asm-generic/signal-defs.h, linux/signal.h, siginfo.h)
 * @{
 */
#define PM_SIG_DFL ((pm_uaddr_t)0)  /**< default action */
#define PM_SIG_IGN ((pm_uaddr_t)1)  /**< ignore */
#define PM_SIG_ERR ((pm_uaddr_t)-1) /**< error return of signal() */

#define PM_SIG_BLOCK   0 /**< sigprocmask: add to the mask */
#define PM_SIG_UNBLOCK 1 /**< sigprocmask: remove from the mask */
#define PM_SIG_SETMASK 2 /**< sigprocmask: replace the mask */

#define PM_SA_NOCLDSTOP      0x00000001ull /**< no SIGCHLD when children stop or continue */
#define PM_SA_NOCLDWAIT      0x00000002ull /**< children are reaped automatically */
#define PM_SA_SIGINFO        0x00000004ull /**< three-argument handler with siginfo */
#define PM_SA_UNSUPPORTED    0x00000400ull /**< never supported: probe bit, always cleared */
#define PM_SA_EXPOSE_TAGBITS 0x00000800ull /**< keep address tag bits in si_addr */
#define PM_SA_RESTORER       0x04000000ull /**< sa_restorer is valid (x86_64 only) */
#define PM_SA_ONSTACK        0x08000000ull /**< run on the alternate stack */
#define PM_SA_RESTART        0x10000000ull /**< restart interrupted system calls */
#define PM_SA_NODEFER        0x40000000ull /**< do not block the signal in its handler */
#define PM_SA_RESETHAND      0x80000000ull /**< reset to SIG_DFL when delivered */
/** Flags sigaction() keeps (Linux UAPI_SA_FLAGS with SA_RESTORER; a port
 *  without SA_RESTORER clears that bit before calling pm_sigaction()). */
#define PM_SA_UAPI_FLAGS                                                                     \
	(PM_SA_NOCLDSTOP | PM_SA_NOCLDWAIT | PM_SA_SIGINFO | PM_SA_ONSTACK | PM_SA_RESTART | \
	 PM_SA_NODEFER | PM_SA_RESETHAND | PM_SA_EXPOSE_TAGBITS | PM_SA_RESTORER)
/** Internal flag of a disposition that sigaction() may not change any more
 *  (Linux SA_IMMUTABLE, set by a forced exit signal). */
#define PM_SA_IMMUTABLE 0x00800000ull

#define PM_SS_ONSTACK    1                            /**< executing on the alternate stack */
#define PM_SS_DISABLE    2                            /**< alternate stack disabled */
#define PM_SS_AUTODISARM ((int32_t)(-2147483647 - 1)) /**< disarm when a handler starts (1 << 31) */
#define PM_SS_FLAG_BITS  PM_SS_AUTODISARM             /**< flag bits besides the mode */
#define PM_MINSIGSTKSZ   2048u                        /**< smallest alternate stack (uapi) */
#define PM_SIGSTKSZ      8192u                        /**< suggested alternate stack size */

#define PM_SI_USER     0     /**< kill() */
#define PM_SI_KERNEL   0x80  /**< sent by the kernel */
#define PM_SI_QUEUE    (-1)  /**< sigqueue() */
#define PM_SI_TIMER    (-2)  /**< POSIX timer expiry */
#define PM_SI_MESGQ    (-3)  /**< message queue state change */
#define PM_SI_ASYNCIO  (-4)  /**< AIO completion */
#define PM_SI_SIGIO    (-5)  /**< queued SIGIO */
#define PM_SI_TKILL    (-6)  /**< tkill() and tgkill() */
#define PM_SI_DETHREAD (-7)  /**< sent by execve killing subsidiary threads */
#define PM_SI_ASYNCNL  (-60) /**< asynchronous name lookup completion */

#define PM_CLD_EXITED    1 /**< si_code: child exited */
#define PM_CLD_KILLED    2 /**< si_code: child was killed */
#define PM_CLD_DUMPED    3 /**< si_code: child was killed and dumped core */
#define PM_CLD_TRAPPED   4 /**< si_code: traced child trapped */
#define PM_CLD_STOPPED   5 /**< si_code: child stopped */
#define PM_CLD_CONTINUED 6 /**< si_code: stopped child continued */
/** @} */

/* ======================================================================== */
/** @name Signal sets
 * Bit (n - 1) of a pm_sigset_t stands for signal n. Every operation is
 * pure; signal numbers outside 1..64 are the caller's to refuse.
 * @{
 */

/** @brief The set holding only @p sig. @param sig 1..64. @return the set. */
static inline pm_sigset_t pm_sigmask(int sig)
{
	return (pm_sigset_t)1 << (unsigned int)(sig - 1);
}

/** @brief Empty @p set. @param set the set. */
static inline void pm_sigemptyset(pm_sigset_t *set)
{
	*set = 0;
}

/** @brief Fill @p set with signals 1..64. @param set the set. */
static inline void pm_sigfillset(pm_sigset_t *set)
{
	*set = ~(pm_sigset_t)0;
}

/** @brief Add @p sig to @p set. @param set the set. @param sig 1..64. */
static inline void pm_sigaddset(pm_sigset_t *set, int sig)
{
	*set |= pm_sigmask(sig);
}

/** @brief Remove @p sig from @p set. @param set the set. @param sig 1..64. */
static inline void pm_sigdelset(pm_sigset_t *set, int sig)
{
	*set &= ~pm_sigmask(sig);
}

/** @brief Is @p sig in @p set? @param set the set. @param sig 1..64.
 *  @return true if it is. */
static inline bool pm_sigismember(pm_sigset_t set, int sig)
{
	return (set & pm_sigmask(sig)) != 0;
}

/** @brief Is @p set empty? @param set the set. @return true if it is. */
static inline bool pm_sigisemptyset(pm_sigset_t set)
{
	return set == 0;
}

/** @brief The lowest signal in @p set. @param set a set.
 *  @return 1..64, or 0 for an empty set. */
static inline int pm_sigfirst(pm_sigset_t set)
{
	return set ? __builtin_ctzll(set) + 1 : 0;
}

/** Signals that cannot be caught, blocked or ignored (SIG_KERNEL_ONLY_MASK). */
#define PM_SIG_KERNEL_ONLY_MASK     ((pm_sigset_t)0x0000000000040100ull)
/** Stop signals: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU (SIG_KERNEL_STOP_MASK). */
#define PM_SIG_KERNEL_STOP_MASK     ((pm_sigset_t)0x00000000003c0000ull)
/** Signals whose default action dumps core (SIG_KERNEL_COREDUMP_MASK):
 *  QUIT, ILL, TRAP, ABRT, BUS, FPE, SEGV, XCPU, XFSZ, SYS. */
#define PM_SIG_KERNEL_COREDUMP_MASK ((pm_sigset_t)0x00000000418004fcull)
/** Signals ignored by default: CHLD, CONT, URG, WINCH (SIG_KERNEL_IGNORE_MASK). */
#define PM_SIG_KERNEL_IGNORE_MASK   ((pm_sigset_t)0x0000000008430000ull)
/** Signals dequeued before any other (kernel/signal.c SYNCHRONOUS_MASK):
 *  SEGV, BUS, ILL, TRAP, FPE, SYS. */
#define PM_SIG_SYNCHRONOUS_MASK     ((pm_sigset_t)0x00000000400004d8ull)
/** Real-time signals 32..64. */
#define PM_SIG_RT_MASK              ((pm_sigset_t)0xffffffff80000000ull)

/** @} */

/* ======================================================================== */
/** @name Numbers, names and default actions
 * @{
 */

/** Default actions (derived from Linux's kernel masks, get_signal()). */
enum pm_sig_default {
	PM_SIG_DFL_TERM = 0, /**< terminate the process */
	PM_SIG_DFL_CORE = 1, /**< dump core, then terminate */
	PM_SIG_DFL_STOP = 2, /**< stop every thread of the process */
	PM_SIG_DFL_CONT = 3, /**< continue a stopped process (done at generation), else ignore */
	PM_SIG_DFL_IGN = 4,  /**< ignore */
};

/**
 * @brief Is @p sig a signal number (1..64)? (Linux valid_signal() also
 *        accepts 0, the existence probe; the callers that do say so.)
 * @param sig  any int.
 * @return true for 1..64.
 */
static inline bool pm_sig_valid(int sig)
{
	return sig >= 1 && sig <= PM_NSIG;
}

/**
 * @brief Linux's name of @p sig: "SIGHUP".."SIGSYS", then "SIGRTMIN",
 *        "SIGRTMIN+1" .. "SIGRTMIN+32" (the kernel's numbering; libc's
 *        SIGRTMIN is higher).
 * @param sig  signal number.
 * @return a static string, or NULL outside 1..64.
 *
 * Pure. Source: include/uapi/asm-generic/signal.h.
 */
const char *pm_sig_name(int sig);

/**
 * @brief The default action of @p sig (include/linux/signal.h masks, as
 *        get_signal() applies them; real-time signals terminate).
 * @param sig  1..64.
 * @return its enum pm_sig_default; PM_SIG_DFL_IGN outside 1..64.
 *
 * Pure.
 */
enum pm_sig_default pm_sig_default_action(int sig);

/** @} */

/* ======================================================================== */
/** @name Objects
 * Fields are private to procmgr; they are here so that the process table
 * can embed them. Each group of fields names the lock that protects it.
 * @{
 */

/** A disposition (the kernel's struct k_sigaction; the field order is
 *  x86_64's user struct sigaction). */
struct pm_sigaction {
	pm_uaddr_t sa_handler;  /**< PM_SIG_DFL, PM_SIG_IGN or a handler address */
	uint64_t sa_flags;      /**< PM_SA_* */
	pm_uaddr_t sa_restorer; /**< return trampoline (with PM_SA_RESTORER) */
	pm_sigset_t sa_mask;    /**< signals blocked while the handler runs */
};

/** A queued siginfo record (private; from the table's pool). */
struct pm_sigqueue;

/** A pending queue (Linux struct sigpending). */
struct pm_sigpending {
	pm_sigset_t signal; /**< signals pending on this queue */
	uint64_t seq;       /**< records queued so far (orders synchronous signals) */
	/** Per signal, the last of its records in a circular list (the head
	 *  is tail->next); NULL when none is queued. A pending bit without a
	 *  record is a signal whose siginfo was lost. */
	struct pm_sigqueue *tail[PM_NSIG];
};

/** Dispositions shared by the processes created with CLONE_SIGHAND (Linux
 *  struct sighand_struct). Allocated by procmgr. */
struct pm_sighand {
	pm_hal_lock_t lock;                  /**< PM_LOCK_SIGHAND: everything below and the
	                     *  signal state of every sharing process */
	uint32_t count;                      /**< sharing processes (changes under PM_LOCK_TABLE) */
	uint32_t ncache;                     /**< records on @c cache */
	struct pm_sigqueue *cache;           /**< records kept for reuse */
	struct pm_sigaction action[PM_NSIG]; /**< disposition of signal n at [n - 1] */
};

/** A process's signal state (Linux signal_struct, signal part). Embedded
 *  in struct pm_process. */
struct pm_sig_process {
	/** The dispositions; replaced only by exec, under PM_LOCK_TABLE and
	 *  the old sighand's lock. Stable for the process's own threads. */
	struct pm_sighand *sighand;
	/** A spare sighand from pm_sig_exec_prepare(), for exec (owner). */
	struct pm_sighand *exec_spare;
	/* ---- sighand->lock ---- */
	struct pm_sigpending shared_pending; /**< process-directed signals */
	struct pm_list threads;              /**< pm_sig_thread.node of each thread */
	struct pm_thread *curr_target;       /**< where the next thread search starts */
	uint32_t nr_threads;                 /**< threads on @c threads */
	uint32_t group_stop_count;           /**< threads yet to stop in a group stop */
	uint32_t flags;                      /**< PM_SIGP_* (signal_internal.h) */
	uint32_t pad_;                       /**< padding */
};

/** A thread's signal state (Linux task_struct, signal part). Embedded in
 *  struct pm_thread. */
struct pm_sig_thread {
	/* ---- the process's sighand->lock ---- */
	struct pm_list node;          /**< in pm_sig_process.threads */
	pm_sigset_t blocked;          /**< signal mask */
	pm_sigset_t real_blocked;     /**< the mask saved by a sigtimedwait */
	pm_sigset_t saved_sigmask;    /**< the mask saved by a sigsuspend */
	struct pm_sigpending pending; /**< thread-directed signals */
	uint32_t jobctl;              /**< PM_JOBCTL_* (signal_internal.h) */
	uint8_t sigpending;           /**< Linux TIF_SIGPENDING */
	uint8_t restore_sigmask;      /**< Linux TIF_RESTORE_SIGMASK */
	uint8_t exiting;              /**< Linux PF_EXITING, for the signal code */
	uint8_t pad_;                 /**< padding */
	/* ---- owner only ---- */
	struct pm_stack altstack; /**< sigaltstack as stored (flags 0, SS_ONSTACK,
	                             *  SS_DISABLE, maybe with SS_AUTODISARM) */
};

/** A table's pool of queued-signal records (struct pm_table embeds it). */
struct pm_sig_pool {
	pm_hal_lock_t lock;       /**< PM_LOCK_LEAF: the fields below */
	struct pm_sigqueue *free; /**< free records */
	uint32_t count;           /**< records on @c free */
	uint32_t allocated;       /**< records allocated and not yet freed */
};

/** @} */

/* ======================================================================== */
/** @name Dispositions
 * @{
 */

/**
 * @brief sigaction(2) (Linux do_sigaction).
 *
 * @param self  the calling thread.
 * @param sig   1..64.
 * @param act   the new disposition, or NULL to only read; its sa_flags
 *              bits outside PM_SA_UAPI_FLAGS are cleared and SIGKILL and
 *              SIGSTOP are removed from its sa_mask.
 * @param oact  receives the old disposition (flags cleared the same way),
 *              or NULL.
 * @return 0; -PM_EINVAL for @p sig outside 1..64, a new disposition for
 *         SIGKILL or SIGSTOP, or a disposition made immutable by a forced
 *         exit signal (even to read it). Nothing changes on error.
 *
 * Setting SIG_IGN, or SIG_DFL for a signal ignored by default (SIGCHLD,
 * SIGCONT, SIGURG, SIGWINCH), discards that signal from the process's
 * shared queue and every one of its threads' queues, blocked or not
 * (POSIX 3.3.1.3). Dispositions are shared with CLONE_SIGHAND processes.
 *
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: do_sigaction.
 */
int pm_sigaction(struct pm_thread *self, int sig, const struct pm_sigaction *act,
                 struct pm_sigaction *oact);

/**
 * @brief rt_sigaction(2) on user memory, in @p arch's struct sigaction
 *        layout (x86_64: handler, flags, restorer, mask, 32 bytes;
 *        riscv64: handler, flags, mask, 24 bytes, and no SA_RESTORER).
 *
 * @param self        the calling thread.
 * @param arch        the architecture whose layout the caller uses.
 * @param sig         signal number.
 * @param uact        user address of the new action, or 0.
 * @param uoact       user address for the old action, or 0.
 * @param sigsetsize  must be 8.
 * @return 0; -PM_EINVAL for @p sigsetsize or pm_sigaction()'s reasons;
 *         -PM_EFAULT if @p uact cannot be read (nothing changed) or
 *         @p uoact cannot be written (the new action is installed, as in
 *         Linux).
 *
 * Locking: as pm_sigaction(); user copies with no lock held.
 * Source: SYSCALL_DEFINE4(rt_sigaction).
 */
int pm_rt_sigaction(struct pm_thread *self, const struct pm_arch_desc *arch, int sig,
                    pm_uaddr_t uact, pm_uaddr_t uoact, size_t sigsetsize);

/** @} */

/* ======================================================================== */
/** @name Masks and waiting
 * @{
 */

/**
 * @brief rt_sigprocmask(2) (Linux sigprocmask and set_current_blocked).
 *
 * @param self  the calling thread.
 * @param how   PM_SIG_BLOCK, PM_SIG_UNBLOCK or PM_SIG_SETMASK (looked at
 *              only when @p set is given).
 * @param set   the signals, or NULL to only read; SIGKILL and SIGSTOP are
 *              silently left out.
 * @param oset  receives the mask before the call, or NULL.
 * @return 0, or -PM_EINVAL for an unknown @p how with a @p set (nothing
 *         changes).
 *
 * Blocking a signal pending on the shared queue wakes another thread that
 * does not block it (retarget_shared_pending).
 *
 * Locking: takes the process's PM_LOCK_SIGHAND.
 * Source: sys_rt_sigprocmask, sigprocmask, __set_task_blocked.
 */
int pm_sigprocmask(struct pm_thread *self, int how, const pm_sigset_t *set, pm_sigset_t *oset);

/**
 * @brief rt_sigprocmask(2) on user memory.
 * @param self        the calling thread.
 * @param how         as pm_sigprocmask().
 * @param uset        user address of the new set, or 0.
 * @param uoset       user address for the old mask, or 0.
 * @param sigsetsize  must be 8.
 * @return 0; -PM_EINVAL (size, how); -PM_EFAULT (nothing changed if
 *         @p uset was unreadable; the mask changed if only @p uoset failed).
 *
 * Locking: as pm_sigprocmask(). Source: SYSCALL_DEFINE4(rt_sigprocmask).
 */
int pm_rt_sigprocmask(struct pm_thread *self, int how, pm_uaddr_t uset, pm_uaddr_t uoset,
                      size_t sigsetsize);

/**
 * @brief sigpending(2): signals pending for the caller (its own queue and
 *        its process's) that it blocks.
 * @param self  the calling thread.
 * @return the set.
 *
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: do_sigpending.
 */
pm_sigset_t pm_sigpending(struct pm_thread *self);

/**
 * @brief rt_sigpending(2) on user memory.
 * @param self        the calling thread.
 * @param uset        user address of the result.
 * @param sigsetsize  bytes to write, at most 8 (smaller is allowed).
 * @return 0, -PM_EINVAL for a size above 8, -PM_EFAULT.
 *
 * Source: SYSCALL_DEFINE2(rt_sigpending).
 */
int pm_rt_sigpending(struct pm_thread *self, pm_uaddr_t uset, size_t sigsetsize);

/**
 * @brief The caller's signal mask.
 * @param self  the calling thread. @return its blocked set.
 * Locking: none (only the thread itself changes it).
 */
pm_sigset_t pm_sig_blocked(const struct pm_thread *self);

/**
 * @brief rt_sigsuspend(2): install @p mask until a signal arrives; the
 *        old mask is saved and put back when the signal's handler
 *        returns (or at once when no handler runs).
 *
 * @param self  the calling thread.
 * @param mask  the temporary mask; SIGKILL and SIGSTOP are left out.
 * @return -PM_ERESTARTNOHAND, the system call's result, when a signal is
 *         pending now; -PM_EAGAIN when none is: the kernel sleeps
 *         interruptibly until PM_EVENT_SIGNAL_PENDING names the thread
 *         (or pm_sig_pending() is true), then returns -PM_ERESTARTNOHAND.
 *         Call it once per system call.
 *
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: sigsuspend.
 */
int pm_sigsuspend(struct pm_thread *self, pm_sigset_t mask);

/**
 * @brief rt_sigsuspend(2) on user memory.
 * @param self        the calling thread.
 * @param umask       user address of the mask.
 * @param sigsetsize  must be 8.
 * @return as pm_sigsuspend(); -PM_EINVAL for the size; -PM_EFAULT.
 * Source: SYSCALL_DEFINE2(rt_sigsuspend).
 */
int pm_rt_sigsuspend(struct pm_thread *self, pm_uaddr_t umask, size_t sigsetsize);

/**
 * @brief pause(2).
 * @param self  the calling thread.
 * @return -PM_ERESTARTNOHAND when a signal is pending, else -PM_EAGAIN
 *         (sleep as for pm_sigsuspend()).
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: sys_pause.
 */
int pm_sig_pause(struct pm_thread *self);

/**
 * @brief rt_sigtimedwait(2), first step: take a pending signal of @p set.
 *
 * @param self   the calling thread.
 * @param set    signals to wait for (SIGKILL and SIGSTOP are left out).
 * @param block  the timeout is not zero: when nothing is pending, unblock
 *               @p set for the wait (the old mask is kept as real_blocked,
 *               so those signals are never ignored meanwhile).
 * @param info   receives the signal's siginfo (128 bytes as user space
 *               sees it), or NULL.
 * @return the signal number (private queue first, then the process's);
 *         -PM_EAGAIN when none is pending: final if @p block is false,
 *         else the kernel sleeps until PM_EVENT_SIGNAL_PENDING or the
 *         timeout and calls pm_sigtimedwait_finish().
 *
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: do_sigtimedwait.
 */
int pm_sigtimedwait(struct pm_thread *self, pm_sigset_t set, bool block, struct pm_siginfo *info);

/**
 * @brief rt_sigtimedwait(2), after the sleep: restore the mask and try
 *        again.
 * @param self      the calling thread.
 * @param set       the same set.
 * @param woken     the sleep ended before the timeout (a signal).
 * @param info      receives the siginfo, or NULL.
 * @return the signal number; -PM_EINTR if @p woken and none of @p set is
 *         pending (another signal interrupted the wait); -PM_EAGAIN on
 *         timeout.
 *
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: do_sigtimedwait.
 */
int pm_sigtimedwait_finish(struct pm_thread *self, pm_sigset_t set, bool woken,
                           struct pm_siginfo *info);

/** @} */

/* ======================================================================== */
/** @name Generation
 * Pids are numbers in the caller's PID namespace. Each call validates its
 * arguments first and changes nothing on error.
 * @{
 */

/**
 * @brief kill(2) (Linux kill_something_info): @p pid > 0 the process
 *        holding that thread id, 0 the caller's process group, -1 every
 *        process the caller may signal except its namespace's init and its
 *        own process, < -1 the group -@p pid.
 *
 * @param self  the calling thread.
 * @param pid   target.
 * @param sig   0 (existence and permission probe) to 64.
 * @return 0 or -errno, in Linux's order: a missing target (-PM_ESRCH, even
 *         for a bad signal; INT_MIN is -PM_ESRCH), then -PM_EINVAL for a
 *         signal outside 0..64, then -PM_EPERM. A group send succeeds if
 *         any member accepted the signal, else returns the last error;
 *         kill(-1) returns the last error other than EPERM, so 0 even
 *         when every target refused, and -PM_ESRCH when there is no
 *         target. -PM_EAGAIN when a real-time signal's siginfo cannot be
 *         queued for its only target only arises with SI_QUEUE info, never
 *         from kill(); -PM_ENOMEM when records cannot be allocated.
 *
 * The signal carries si_code SI_USER, the caller's pid as the target's
 * namespace sees it (0 from an ancestor namespace) and its real uid.
 *
 * Locking: allocates first if needed, then takes PM_LOCK_TABLE and each
 * target's PM_LOCK_SIGHAND. Source: sys_kill, kill_something_info,
 * __kill_pgrp_info, group_send_sig_info, check_kill_permission.
 */
int pm_kill(struct pm_thread *self, pm_pid_t pid, int sig);

/**
 * @brief tgkill(2): @p sig to the thread @p tid of process @p tgid.
 * @param self  the calling thread.
 * @param tgid  the process (> 0).
 * @param tid   the thread (> 0).
 * @param sig   0..64.
 * @return 0; -PM_EINVAL for @p tgid or @p tid <= 0 or a bad signal (after
 *         the lookup); -PM_ESRCH when no such thread exists in that
 *         process; -PM_EPERM; -PM_EAGAIN for a real-time signal whose
 *         siginfo cannot be queued (RLIMIT_SIGPENDING); -PM_ENOMEM.
 *
 * The signal is thread-directed with si_code SI_TKILL.
 *
 * Locking: as pm_kill(). Source: sys_tgkill, do_send_specific.
 */
int pm_tgkill(struct pm_thread *self, pm_pid_t tgid, pm_pid_t tid, int sig);

/**
 * @brief tkill(2): pm_tgkill() without the process check.
 * @param self  the calling thread.
 * @param tid   the thread (> 0, else -PM_EINVAL).
 * @param sig   0..64.
 * @return as pm_tgkill().
 * Source: sys_tkill.
 */
int pm_tkill(struct pm_thread *self, pm_pid_t tid, int sig);

/**
 * @brief rt_sigqueueinfo(2): @p sig with the caller's siginfo to the
 *        process holding thread id @p pid (no group forms).
 *
 * @param self  the calling thread.
 * @param pid   target thread id.
 * @param sig   0..64; becomes the info's si_signo.
 * @param info  the 128 bytes user space passed (the kernel copied them in).
 * @return 0; -PM_E2BIG for an si_code with no known layout whose bytes
 *         past the first 48 are not zero; -PM_EPERM for si_code >= 0 or
 *         SI_TKILL (forging the kernel or kill()) unless @p pid is the
 *         caller's own thread id; then pm_kill()'s errors; -PM_EAGAIN
 *         when a real-time signal cannot be queued (RLIMIT_SIGPENDING).
 *
 * Locking: as pm_kill(). Source: sys_rt_sigqueueinfo,
 * __copy_siginfo_from_user, do_rt_sigqueueinfo.
 */
int pm_rt_sigqueueinfo(struct pm_thread *self, pm_pid_t pid, int sig,
                       const struct pm_siginfo *info);

/**
 * @brief rt_tgsigqueueinfo(2): as pm_rt_sigqueueinfo() for the thread
 *        @p tid of process @p tgid.
 * @param self  the calling thread.
 * @param tgid  the process (> 0).
 * @param tid   the thread (> 0).
 * @param sig   0..64.
 * @param info  the caller's siginfo.
 * @return -PM_EINVAL for @p tgid or @p tid <= 0 first, then as
 *         pm_rt_sigqueueinfo() and pm_tgkill().
 * Source: do_rt_tgsigqueueinfo.
 */
int pm_rt_tgsigqueueinfo(struct pm_thread *self, pm_pid_t tgid, pm_pid_t tid, int sig,
                         const struct pm_siginfo *info);

/**
 * @brief Read a user siginfo for rt_sigqueueinfo / rt_tgsigqueueinfo:
 *        128 bytes from @p uinfo.
 * @param out    receives them.
 * @param uinfo  user address.
 * @return 0 or -PM_EFAULT.
 */
int pm_sig_copy_siginfo_from_user(struct pm_siginfo *out, pm_uaddr_t uinfo);

/**
 * @brief A signal the kernel sends (Linux send_sig_info, and
 *        group_send_sig_info with a kernel siginfo): SIGPIPE, SIGALRM,
 *        SIGXCPU, SIGIO, ... No permission check.
 *
 * @param target  the thread (thread-directed) or a thread of the process
 *                (@p group).
 * @param sig     1..64.
 * @param info    its siginfo, or NULL for SI_KERNEL with zero pid and uid
 *                (SEND_SIG_PRIV).
 * @param group   process-directed (shared queue) instead of thread-directed.
 * @return 0; -PM_EINVAL for a bad signal; -PM_ESRCH if @p target exited;
 *         -PM_EAGAIN for a real-time signal whose info cannot be queued.
 *
 * Locking: takes PM_LOCK_TABLE, then the target's PM_LOCK_SIGHAND; no
 * allocation (records come from the pool: call pm_sig_pool_fill() ahead
 * when info must not be lost). Source: send_sig_info, do_send_sig_info.
 */
int pm_sig_send(struct pm_thread *target, int sig, const struct pm_siginfo *info, bool group);

/** How pm_sig_force() treats the current disposition (Linux enum sig_handler). */
enum pm_sig_force_mode {
	PM_SIG_FORCE_CURRENT = 0, /**< keep a handler; SIG_IGN or blocked becomes SIG_DFL */
	PM_SIG_FORCE_DFL = 1,     /**< always SIG_DFL (force_fatal_sig) */
	PM_SIG_FORCE_EXIT = 2,    /**< SIG_DFL, and sigaction() may not change it any more */
};

/**
 * @brief Force a synchronous signal on @p t (a fault): unblock it, make an
 *        ignored or (by @p mode) any disposition SIG_DFL, and let a
 *        namespace init die of it.
 * @param t     the faulting thread.
 * @param info  its siginfo (si_signo 1..64, si_code > 0 for a fault).
 * @param mode  see enum pm_sig_force_mode.
 * @return 0, -PM_EINVAL for a bad signal, -PM_ESRCH if @p t exited.
 *
 * Locking: takes PM_LOCK_TABLE then PM_LOCK_SIGHAND.
 * Source: force_sig_info_to_task, force_sig_fault, force_fatal_sig.
 */
int pm_sig_force(struct pm_thread *t, const struct pm_siginfo *info, enum pm_sig_force_mode mode);

/**
 * @brief force_sigsegv(): a handler frame could not be set up for @p sig;
 *        SIGSEGV is forced (with SIG_DFL if @p sig was SIGSEGV itself).
 * @param self  the thread.
 * @param sig   the signal whose delivery failed.
 * Locking: as pm_sig_force().
 */
void pm_sig_force_sigsegv(struct pm_thread *self, int sig);

/**
 * @brief Make sure @p t's pool holds at least @p n free records, so that
 *        signals generated under the table lock (by the table's exit
 *        paths, or by pm_sig_send() from a context that cannot allocate)
 *        keep their siginfo.
 * @param t  a table.
 * @param n  records wanted (at most PM_SIG_POOL_MAX are kept).
 * @return 0 or -PM_ENOMEM (the pool keeps what could be allocated).
 *
 * Locking: allocates with no lock held, then takes the pool's PM_LOCK_LEAF.
 */
int pm_sig_pool_fill(struct pm_table *t, uint32_t n);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_SIGNAL_H */
