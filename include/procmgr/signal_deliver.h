/* SPDX-License-Identifier: MIT */
/**
 * @file signal_deliver.h
 * @brief What a thread does with its pending signals on the way back to
 *        user mode (Linux get_signal and signal_delivered), the alternate
 *        signal stack, the system-call restart decision, execve's signal
 *        resets, and a convenience that runs a whole delivery or
 *        rt_sigreturn over an architecture port.
 *
 * A kernel calls pm_signal_next() whenever a thread is about to return to
 * user mode and pm_sig_pending() is true (PM_EVENT_SIGNAL_PENDING tells it
 * when that becomes so), and acts on the answer:
 *
 * | answer | the kernel |
 * |---|---|
 * | PM_SIGACT_HANDLER | builds the handler's frame (pm_sig_handle() does it with the port), then pm_sig_delivered(); calls pm_signal_next() again, so that every deliverable signal gets a frame, the last one on top |
 * | PM_SIGACT_STOP | parks the thread until PM_EVENT_THREAD_RESUME (or a fatal signal's PM_EVENT_SIGNAL_PENDING), then calls pm_signal_next() again |
 * | PM_SIGACT_EXIT | pm_exit_signaled(thread, signo, false) |
 * | PM_SIGACT_COREDUMP | writes a core if RLIMIT_CORE allows, then pm_exit_signaled(thread, signo, written) |
 * | PM_SIGACT_NONE | returns to user mode, applying pm_sig_restart_action() with no handler and pm_sig_restore_sigmask() |
 *
 * Locking: each function says; none allocates with a lock held.
 *
 * @ingroup pm_signal
 */
#ifndef PROCMGR_SIGNAL_DELIVER_H
#define PROCMGR_SIGNAL_DELIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/types.h"
#include "procmgr/signal.h"
#include "procmgr/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_signal
 * @{
 */

/* ======================================================================== */
/** @name The delivery decision
 * @{
 */

/** What pm_signal_next() asks the kernel to do. */
enum pm_sig_act {
	PM_SIGACT_NONE = 0,     /**< nothing to deliver: return to user mode */
	PM_SIGACT_HANDLER = 1,  /**< run a handler: build its frame */
	PM_SIGACT_STOP = 2,     /**< stop the thread (job control) */
	PM_SIGACT_EXIT = 3,     /**< terminate the process */
	PM_SIGACT_COREDUMP = 4, /**< dump core, then terminate the process */
};

/** One decision of pm_signal_next(). */
struct pm_sig_delivery {
	enum pm_sig_act action; /**< what to do */
	int signo;              /**< the signal (0 with NONE and a plain STOP) */
	/** Its siginfo as copy_siginfo_to_user() writes it (48 bytes, then
	 *  zeros); for a handler, EXIT and COREDUMP. */
	struct pm_siginfo info;
	/** The handler's disposition as it was when dequeued (SA_RESETHAND has
	 *  already reset the installed one). */
	struct pm_sigaction ka;
	/** The mask the frame saves and rt_sigreturn restores (Linux
	 *  sigmask_to_save(): a sigsuspend's saved mask if one is active). */
	pm_sigset_t saved_mask;
	/** The mask in force while the handler runs (blocked | sa_mask | the
	 *  signal unless SA_NODEFER; never SIGKILL or SIGSTOP), installed by
	 *  pm_sig_delivered(). */
	pm_sigset_t handler_mask;
	/** The thread's sigaltstack as stored (for the frame's uc_stack). */
	struct pm_stack altstack;
	/** The frame goes on the alternate stack: SA_ONSTACK, a stack is set
	 *  and the thread is not on it (Linux sigsp()). */
	bool on_altstack;
};

/**
 * @brief The next thing @p self must do about its signals (Linux
 *        get_signal()).
 *
 * In order: report a stop or continue its process has not told its
 * parent about yet (CLD_STOPPED, CLD_CONTINUED); die if the process is
 * exiting or another thread execs; take part in a group stop; stay
 * stopped; then dequeue: synchronous fault signals of its own queue
 * first (si_code > 0, in the order they came), then its own queue, then
 * its process's, lowest number first (synchronous ones before the rest,
 * one siginfo per dequeue for real-time signals). Ignored signals are
 * dropped; a handler is returned (SA_RESETHAND resets the disposition
 * now); the default action stops (SIGTSTP, SIGTTIN and SIGTTOU are
 * dropped in an orphaned process group), terminates or dumps core. A
 * namespace init drops default actions of everything but SIGKILL and
 * SIGSTOP that reach it.
 *
 * @param self  the calling thread, on its way to user mode.
 * @param sp    its user stack pointer (for the alternate stack decision).
 * @param out   receives the decision (action PM_SIGACT_NONE when there is
 *              nothing to do).
 * @return out->action, or -PM_ESRCH if @p self has exited.
 *
 * A default stop completes when the last thread of the process stops;
 * the parent then gets SIGCHLD (CLD_STOPPED) unless its SIGCHLD handler
 * has SA_NOCLDSTOP or is SIG_IGN, and its waiters are woken either way.
 *
 * Locking: takes the process's PM_LOCK_SIGHAND; PM_LOCK_TABLE too (first)
 * for job control and parent notification.
 * Source: get_signal, dequeue_synchronous_signal, dequeue_signal,
 * next_signal, collect_signal, do_signal_stop, do_notify_parent_cldstop.
 */
int pm_signal_next(struct pm_thread *self, pm_uaddr_t sp, struct pm_sig_delivery *out);

/**
 * @brief A handler frame for @p d was set up (Linux signal_delivered):
 *        install d->handler_mask, forget a sigsuspend's saved mask (the
 *        frame holds it), disarm an SS_AUTODISARM alternate stack.
 * @param self  the thread.
 * @param d     the PM_SIGACT_HANDLER decision.
 *
 * Locking: takes the process's PM_LOCK_SIGHAND. Source: signal_delivered.
 */
void pm_sig_delivered(struct pm_thread *self, const struct pm_sig_delivery *d);

/**
 * @brief What to do with the system call @p self was in (Linux
 *        handle_signal() and arch_do_signal_or_restart()).
 *
 * | @p syscall_ret | a handler runs, no SA_RESTART | a handler, SA_RESTART | no handler |
 * |---|---|---|---|
 * | -ERESTARTSYS | EINTR | AGAIN | AGAIN |
 * | -ERESTARTNOINTR | AGAIN | AGAIN | AGAIN |
 * | -ERESTARTNOHAND | EINTR | EINTR | AGAIN |
 * | -ERESTART_RESTARTBLOCK | EINTR | EINTR | RESTARTBLOCK |
 * | anything else | NONE | NONE | NONE |
 *
 * @param syscall_ret  the system call's result register
 *                     (pm_arch_syscall_return()); call this only when the
 *                     thread was in a system call (pm_arch_syscall_nr() >= 0).
 * @param handler      the PM_SIGACT_HANDLER decision, or NULL when no
 *                     handler runs.
 * @return the action for pm_arch_syscall_restart().
 *
 * Pure.
 */
enum pm_restart_action pm_sig_restart_action(int64_t syscall_ret,
                                             const struct pm_sig_delivery *handler);

/**
 * @brief No handler ran: put back the mask a sigsuspend saved (Linux
 *        restore_saved_sigmask()).
 * @param self  the thread.
 * Locking: takes the process's PM_LOCK_SIGHAND if a mask was saved.
 */
void pm_sig_restore_sigmask(struct pm_thread *self);

/**
 * @brief Install @p mask as the blocked set (Linux set_current_blocked):
 *        rt_sigreturn's saved mask. SIGKILL and SIGSTOP are left out.
 * @param self  the thread.
 * @param mask  the new mask.
 * Locking: takes the process's PM_LOCK_SIGHAND.
 */
void pm_sig_set_blocked(struct pm_thread *self, pm_sigset_t mask);

/**
 * @brief Does @p self have something to do before returning to user mode
 *        (Linux signal_pending(): a deliverable signal, a stop to take
 *        part in, a death)?
 * @param self  a thread.
 * @return true if pm_signal_next() would not answer PM_SIGACT_NONE
 *         (it may still drop ignored signals and answer NONE).
 * Locking: takes the process's PM_LOCK_SIGHAND.
 */
bool pm_sig_pending(struct pm_thread *self);

/**
 * @brief Is @p t stopped by job control (it answered PM_SIGACT_STOP and
 *        has not been continued or killed since)?
 * @param t  a thread.
 * @return true if so.
 * Locking: takes the process's PM_LOCK_SIGHAND.
 */
bool pm_sig_thread_stopped(struct pm_thread *t);

/** @} */

/* ======================================================================== */
/** @name The alternate signal stack
 * The stack belongs to its thread: only the thread changes it, so these
 * take no lock.
 * @{
 */

/**
 * @brief sigaltstack(2) (Linux do_sigaltstack).
 *
 * @param self      the calling thread.
 * @param ss        the new stack, or NULL to only read. ss_flags is 0,
 *                  SS_ONSTACK or SS_DISABLE, optionally with SS_AUTODISARM;
 *                  SS_DISABLE stores no stack whatever ss_sp and ss_size say.
 * @param oss       receives the old stack (ss_flags: SS_DISABLE when none,
 *                  else SS_ONSTACK while @p sp is on it, else 0, plus a
 *                  stored SS_AUTODISARM); written only on success.
 * @param sp        the caller's user stack pointer.
 * @param min_size  smallest stack accepted in bytes: MINSIGSTKSZ (2048) or
 *                  more if the port's frames need it (Linux
 *                  sigaltstack_size_valid); 0 means MINSIGSTKSZ.
 * @return 0; -PM_EPERM when changing it while on it (@p sp inside it and
 *         no SS_AUTODISARM); -PM_EINVAL for another mode; -PM_ENOMEM for a
 *         size below @p min_size. A request equal to the stored stack
 *         succeeds before the size check.
 *
 * Source: do_sigaltstack, on_sig_stack, sas_ss_flags.
 */
int pm_sigaltstack(struct pm_thread *self, const struct pm_stack *ss, struct pm_stack *oss,
                   pm_uaddr_t sp, uint64_t min_size);

/**
 * @brief sigaltstack(2) on user memory (Linux SYSCALL_DEFINE2(sigaltstack)).
 * @param self      the calling thread.
 * @param uss       user address of the new stack_t, or 0.
 * @param uoss      user address for the old one, or 0.
 * @param sp        the caller's user stack pointer.
 * @param min_size  as pm_sigaltstack().
 * @return as pm_sigaltstack(), or -PM_EFAULT.
 */
int pm_sys_sigaltstack(struct pm_thread *self, pm_uaddr_t uss, pm_uaddr_t uoss, pm_uaddr_t sp,
                       uint64_t min_size);

/**
 * @brief rt_sigreturn's restore_altstack(): apply the frame's uc_stack as
 *        sigaltstack() would, ignoring its errors.
 * @param self  the thread.
 * @param ss    the stack from the frame.
 * @param sp    the stack pointer the port says to check against
 *              (pm_sigreturn_out.altstack_sp).
 */
void pm_sig_restore_altstack(struct pm_thread *self, const struct pm_stack *ss, pm_uaddr_t sp);

/**
 * @brief The stored alternate stack of @p self.
 * @param self  a thread. @param out receives it.
 */
void pm_sig_altstack(const struct pm_thread *self, struct pm_stack *out);

/** @} */

/* ======================================================================== */
/** @name execve
 * @{
 */

/**
 * @brief Before execve's point of no return: allocate the dispositions
 *        the process will need if it shares them with another process
 *        (CLONE_SIGHAND), so that pm_sig_exec() cannot fail.
 * @param self  the exec'ing thread.
 * @return 0 or -PM_ENOMEM (nothing changed).
 * Locking: allocates with no lock held; takes PM_LOCK_TABLE briefly.
 */
int pm_sig_exec_prepare(struct pm_thread *self);

/**
 * @brief execve's signal resets (fs/exec.c begin_new_exec: unshare_sighand
 *        and flush_signal_handlers(me, 0); the alternate stack is cleared):
 *        handled signals become SIG_DFL, ignored ones stay ignored, flags,
 *        masks and restorers are cleared; a disposition table shared with
 *        another process is first copied. The blocked mask and pending
 *        signals are kept. Call it after pm_exec_dethread_commit().
 * @param self  the exec'ing thread, alone in its process.
 * @return 0, or -PM_ENOMEM when the table is shared, pm_sig_exec_prepare()
 *         was not called and memory ran out (nothing changed; Linux fails
 *         the exec after its point of no return the same way).
 * Locking: may allocate first; takes PM_LOCK_TABLE, then PM_LOCK_SIGHAND.
 */
int pm_sig_exec(struct pm_thread *self);

/**
 * @brief The signal module as struct pm_exec_hooks::signals_reset (the
 *        loader's exec reaches signals only through that seam): runs
 *        pm_sig_exec() on the thread given as the hook's context.
 *
 * Use: pm_sig_exec_prepare(self) before pm_exec_prepare() (so the reset
 * cannot fail), then set `hooks.signals_reset = pm_sig_exec_hook` with
 * `hooks.ctx = self`, or pass `pm_sig_exec_hook, self` as the last two
 * arguments of pm_exec_cred_hooks_init(). The hook runs at the point of
 * no return, after pm_exec_dethread_commit().
 *
 * If the reset fails anyway (pm_sig_exec_prepare() was skipped and memory
 * ran out), the process is past the point of no return and dies as
 * Linux's bprm_execve() makes it: SIGSEGV is forced with SIG_DFL (or,
 * should even that find no memory, SIGKILL, which needs none).
 *
 * @param thread  the exec'ing struct pm_thread.
 * Locking: as pm_sig_exec(). Source: fs/exec.c begin_new_exec,
 * bprm_execve (force_fatal_sig after the point of no return).
 */
void pm_sig_exec_hook(void *thread);

/** @} */

/* ======================================================================== */
/** @name Delivery and rt_sigreturn over an architecture port
 * These run Linux's sequence with the pm_arch_* functions of the port the
 * kernel links (docs/porting.md section 4): decision, restart, frame
 * layout, fill, copy to user, handler registers, mask. They take no lock
 * while building frames or copying.
 * @{
 */

/** What pm_sig_handle() and pm_sig_sigreturn() need from the kernel. */
struct pm_sig_frame_env {
	/** The thread's user FP/vector state (port format), or NULL. */
	const struct pm_user_fpu *fpu;
	/** riscv64: the vDSO rt_sigreturn trampoline; unused on x86_64. */
	pm_uaddr_t sigreturn_trampoline;
	/** Scratch for one frame's bytes, or NULL: a frame larger than
	 *  @c frame_size is built in memory from pm_hal_alloc(). */
	void *frame_buf;
	size_t frame_size; /**< bytes at @c frame_buf */
	/** rt_sigreturn: where FP/vector state kept outside the frame is read
	 *  to (x86_64: 64-byte aligned; it must stay until the state is
	 *  loaded, since the reload plan points into it), or NULL. */
	void *ext_buf;
	size_t ext_size; /**< bytes at @c ext_buf */
};

/**
 * @brief Handle one pending signal of @p self on its way to user mode:
 *        pm_signal_next(); for a handler the restart decision, the frame
 *        (layout, fill, copy to the user stack, handler registers) and
 *        pm_sig_delivered(); with nothing to deliver the no-handler restart
 *        and pm_sig_restore_sigmask().
 *
 * @param self  the thread (the current one: frames go to its address space).
 * @param regs  its user registers; changed for a handler or a restart.
 * @param env   FP state, trampoline, scratch.
 * @param out   receives the decision.
 * @return out->action (>= 0): the kernel acts on STOP, EXIT and COREDUMP
 *         as signal_deliver.h's table says and calls again after a
 *         HANDLER until NONE; -PM_EFAULT when the frame could not be
 *         written (SIGSEGV was forced, as Linux's force_sigsegv(): call
 *         again); -PM_ENOMEM when no memory was left for a large frame
 *         (SIGSEGV forced too); -PM_ESRCH if @p self exited.
 *
 * Locking: as pm_signal_next(); no lock held while the frame is built or
 * copied. Source: arch_do_signal_or_restart, handle_signal,
 * signal_setup_done.
 */
int pm_sig_handle(struct pm_thread *self, struct pm_user_regs *regs,
                  const struct pm_sig_frame_env *env, struct pm_sig_delivery *out);

/**
 * @brief rt_sigreturn(2): read the frame at the user stack, restore the
 *        registers, the mask and the alternate stack, and read FP/vector
 *        state kept outside the frame into env->ext_buf.
 *
 * @param self  the thread (current).
 * @param regs  its registers at the rt_sigreturn system call.
 * @param env   FP state and buffers.
 * @param fr    receives the FP/vector reload plan (port format).
 * @return 0: the kernel loads the FP state as @p fr says and returns
 *         pm_arch_syscall_return(@p regs) to user mode. -PM_EFAULT for an
 *         unreadable or refused frame (or an env->ext_buf too small):
 *         SIGSEGV was forced, the registers are unchanged, and the kernel
 *         returns to the signal delivery path.
 *
 * Locking: none held while copying; PM_LOCK_SIGHAND for the mask.
 * Source: x86_64 and riscv64 sys_rt_sigreturn, restore_altstack.
 */
int pm_sig_sigreturn(struct pm_thread *self, struct pm_user_regs *regs,
                     const struct pm_sig_frame_env *env, struct pm_user_fpu_restore *fr);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_SIGNAL_DELIVER_H */
