/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 port's types: saved user registers, the user FPU state
 * and its rt_sigreturn reload plan.
 *
 * Include it after procmgr/arch.h in kernel code that embeds
 * struct pm_user_regs or drives the FPU. Only the x86_64 port and kernels
 * built for x86_64 include it (ports/riscv64 has its own with the same
 * name).
 */
#ifndef PROCMGR_ARCH_REGS_H
#define PROCMGR_ARCH_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_port_x86_64 x86_64 port
 * @brief Registers, FPU state and ABI records of the x86_64 port.
 * @ingroup pm_arch
 * @{
 */

/** __USER_CS: the 64-bit user code selector of Linux's GDT (segment.h). */
#define PM_X86_64_USER_CS   0x33
/** __USER32_CS: the compatibility-mode user code selector. */
#define PM_X86_64_USER32_CS 0x23
/** __USER_DS: the user data and stack selector. */
#define PM_X86_64_USER_DS   0x2b

/** RFLAGS bits (arch/x86/include/uapi/asm/processor-flags.h). */
#define PM_X86_64_EFLAGS_CF    0x00000001ull /**< carry */
#define PM_X86_64_EFLAGS_FIXED 0x00000002ull /**< bit 1, always set */
#define PM_X86_64_EFLAGS_PF    0x00000004ull /**< parity */
#define PM_X86_64_EFLAGS_AF    0x00000010ull /**< auxiliary carry */
#define PM_X86_64_EFLAGS_ZF    0x00000040ull /**< zero */
#define PM_X86_64_EFLAGS_SF    0x00000080ull /**< sign */
#define PM_X86_64_EFLAGS_TF    0x00000100ull /**< trap (single step) */
#define PM_X86_64_EFLAGS_IF    0x00000200ull /**< interrupts enabled */
#define PM_X86_64_EFLAGS_DF    0x00000400ull /**< direction */
#define PM_X86_64_EFLAGS_OF    0x00000800ull /**< overflow */
#define PM_X86_64_EFLAGS_IOPL  0x00003000ull /**< I/O privilege level */
#define PM_X86_64_EFLAGS_RF    0x00010000ull /**< resume */
#define PM_X86_64_EFLAGS_AC    0x00040000ull /**< alignment check */

/** Flags rt_sigreturn takes from the frame, Linux's FIX_EFLAGS
 *  (arch/x86/include/asm/sighandling.h): AC OF DF TF SF ZF AF PF CF RF. */
#define PM_X86_64_FIX_EFLAGS                                                                     \
	(PM_X86_64_EFLAGS_AC | PM_X86_64_EFLAGS_OF | PM_X86_64_EFLAGS_DF | PM_X86_64_EFLAGS_TF | \
	 PM_X86_64_EFLAGS_SF | PM_X86_64_EFLAGS_ZF | PM_X86_64_EFLAGS_AF | PM_X86_64_EFLAGS_PF | \
	 PM_X86_64_EFLAGS_CF | PM_X86_64_EFLAGS_RF)

/**
 * The saved user context of an x86_64 thread. The first 27 words are
 * Linux's user_regs_struct (sys/user.h, the pt_regs order followed by the
 * segment state), so PTRACE_GETREGS-style copies are a memcpy. The kernel
 * keeps it current on every entry from user mode: orig_rax = rax at a
 * system call, -1 for an interrupt or exception.
 */
struct pm_user_regs {
	uint64_t r15;      /**< r15 */
	uint64_t r14;      /**< r14 */
	uint64_t r13;      /**< r13 */
	uint64_t r12;      /**< r12 */
	uint64_t rbp;      /**< rbp */
	uint64_t rbx;      /**< rbx */
	uint64_t r11;      /**< r11 */
	uint64_t r10;      /**< r10 (4th system-call argument) */
	uint64_t r9;       /**< r9 (6th argument) */
	uint64_t r8;       /**< r8 (5th argument) */
	uint64_t rax;      /**< rax (system-call number in, result out) */
	uint64_t rcx;      /**< rcx */
	uint64_t rdx;      /**< rdx (3rd argument) */
	uint64_t rsi;      /**< rsi (2nd argument) */
	uint64_t rdi;      /**< rdi (1st argument) */
	uint64_t orig_rax; /**< system-call number at entry, or -1 outside one */
	uint64_t rip;      /**< instruction pointer */
	uint64_t cs;       /**< code selector */
	uint64_t eflags;   /**< rflags */
	uint64_t rsp;      /**< stack pointer */
	uint64_t ss;       /**< stack selector */
	uint64_t fs_base;  /**< fs base: the thread pointer */
	uint64_t gs_base;  /**< gs base */
	uint64_t ds;       /**< ds selector */
	uint64_t es;       /**< es selector */
	uint64_t fs;       /**< fs selector */
	uint64_t gs;       /**< gs selector */
	/* Not in user_regs_struct: Linux keeps these in thread_struct. */
	uint64_t trap_nr;    /**< vector of the last trap that sent a signal (sigcontext trapno) */
	uint64_t error_code; /**< its error code (sigcontext err) */
	uint64_t cr2;        /**< its faulting address (sigcontext cr2) */
};

/** Features saved by FXSAVE and always present in a frame: x87 | SSE. */
#define PM_X86_64_XFEATURE_MASK_FPSSE 0x3ull

/**
 * The thread's user FPU state, as the kernel's FPU code describes it
 * (Linux struct fpstate's user view). Format fields are read by every frame
 * function; @c image only by pm_arch_sigframe_fill().
 *
 * After a successful delivery the kernel resets the user FPU state to its
 * init value (Linux fpu__clear_user_states()): handlers start with FCW
 * 0x37f, MXCSR 0x1f80 and every other component in its init state.
 */
struct pm_user_fpu {
	/** The CPU has XSAVE and the kernel uses it (Linux use_xsave());
	 *  false: FXSAVE format only. */
	bool xsave;
	/** fpstate->user_size: bytes of the user image in standard (not
	 *  compacted) format, 512 without XSAVE. At least 576 with XSAVE. */
	uint32_t size;
	/** fpstate->user_xfeatures: the XSAVE features of user state (XCR0
	 *  minus dynamic features the process may not use); x87|SSE (3)
	 *  without XSAVE. */
	uint64_t xfeatures;
	/** Delivery: @c size bytes of the thread's current user state as
	 *  `XSAVE` with RFBM = @c xfeatures (or `FXSAVE`) stores it, PKRU
	 *  included as Linux's signal path writes it. Bytes 464..511 (software
	 *  reserved) and the XSAVE header beyond XSTATE_BV are ignored: the
	 *  port writes them as Linux does. */
	const void *image;
};

/** How the kernel reloads the FPU state after rt_sigreturn. */
enum pm_x86_64_fpu_reload {
	PM_X86_64_FPU_INIT =
	    0, /**< reset to init (sc.fpstate was NULL): fpu__clear_user_states() */
	PM_X86_64_FPU_XRSTOR = 1,  /**< XRSTOR @c image with RFBM = @c xrestore */
	PM_X86_64_FPU_FXRSTOR = 2, /**< FXRSTOR the first 512 bytes of @c image */
	PM_X86_64_FPU_PENDING = 3, /**< read @c ext, then call pm_arch_sigreturn_fpu() */
};

/**
 * The rt_sigreturn reload plan (Linux fpu__restore_sig()). After a
 * successful pm_arch_sigreturn_fpu() the kernel loads @c image as
 * @c how says, then resets the features in @c init to their init state
 * (XRSTOR of its init image with RFBM = @c init). Any fault of those
 * instructions: reset the whole FPU state to init and force SIGSEGV.
 */
struct pm_user_fpu_restore {
	enum pm_x86_64_fpu_reload how; /**< what to do */
	pm_uaddr_t fpstate;            /**< sc.fpstate: user address of the FP area, 0 for none */
	uint64_t xrestore;             /**< XRSTOR RFBM: the frame's xfeatures & user_xfeatures */
	uint64_t init;                 /**< features to reset to init afterwards */
	const void *image;             /**< the bytes passed to pm_arch_sigreturn_fpu() */
};

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ARCH_REGS_H */
