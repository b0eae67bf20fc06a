/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 port's types: saved user registers, the user FP and
 * vector state and its rt_sigreturn reload plan.
 *
 * Include it after procmgr/arch.h in kernel code that embeds
 * struct pm_user_regs or drives the FPU. Only the riscv64 port and kernels
 * built for riscv64 include it (ports/x86_64 has its own with the same
 * name).
 */
#ifndef PROCMGR_ARCH_REGS_H
#define PROCMGR_ARCH_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/arch.h"
#include "procmgr/arch_sigframe.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_port_riscv64 riscv64 port
 * @brief Registers, FP/vector state and ABI records of the riscv64 port
 *        (RV64GC, LP64D user ABI; the V extension optional).
 * @ingroup pm_arch
 * @{
 */

/** sstatus.SPIE: interrupts enabled after sret. */
#define PM_RISCV64_SR_SPIE       0x20ull
/** sstatus.SPP: previous privilege was supervisor. */
#define PM_RISCV64_SR_SPP        0x100ull
/** sstatus.VS: vector state (0 = Off, the V state is not live). */
#define PM_RISCV64_SR_VS         0x600ull
/** sstatus.FS: floating-point state field. */
#define PM_RISCV64_SR_FS         0x6000ull
/** sstatus.FS = Initial. */
#define PM_RISCV64_SR_FS_INITIAL 0x2000ull
/** sstatus.UXL: user XLEN field. */
#define PM_RISCV64_SR_UXL        0x300000000ull
/** sstatus.UXL = 64 bits. */
#define PM_RISCV64_SR_UXL_64     0x200000000ull
/** scause of an environment call from U-mode (EXC_SYSCALL). */
#define PM_RISCV64_EXC_SYSCALL   8

/**
 * The saved user context of a riscv64 thread: Linux's struct pt_regs. The
 * first 32 words are user_regs_struct (pc first), which the frame's
 * sc_regs copies. The kernel keeps it current on every trap from user mode:
 * pc = sepc, status = sstatus, cause = scause, badaddr = stval, and at a
 * system call orig_a0 = a0 (the first argument, kept for restarts).
 */
struct pm_user_regs {
	uint64_t pc;      /**< sepc: user program counter */
	uint64_t ra;      /**< x1 return address */
	uint64_t sp;      /**< x2 stack pointer */
	uint64_t gp;      /**< x3 global pointer */
	uint64_t tp;      /**< x4 thread pointer */
	uint64_t t0;      /**< x5 */
	uint64_t t1;      /**< x6 */
	uint64_t t2;      /**< x7 */
	uint64_t s0;      /**< x8 frame pointer */
	uint64_t s1;      /**< x9 */
	uint64_t a0;      /**< x10 first argument, return value */
	uint64_t a1;      /**< x11 */
	uint64_t a2;      /**< x12 */
	uint64_t a3;      /**< x13 */
	uint64_t a4;      /**< x14 */
	uint64_t a5;      /**< x15 */
	uint64_t a6;      /**< x16 */
	uint64_t a7;      /**< x17 system-call number */
	uint64_t s2;      /**< x18 */
	uint64_t s3;      /**< x19 */
	uint64_t s4;      /**< x20 */
	uint64_t s5;      /**< x21 */
	uint64_t s6;      /**< x22 */
	uint64_t s7;      /**< x23 */
	uint64_t s8;      /**< x24 */
	uint64_t s9;      /**< x25 */
	uint64_t s10;     /**< x26 */
	uint64_t s11;     /**< x27 */
	uint64_t t3;      /**< x28 */
	uint64_t t4;      /**< x29 */
	uint64_t t5;      /**< x30 */
	uint64_t t6;      /**< x31 */
	uint64_t status;  /**< sstatus at the trap (FS, VS, SPIE, UXL) */
	uint64_t badaddr; /**< stval */
	uint64_t cause;   /**< scause; -1 once the trap is no longer a restartable system call */
	uint64_t orig_a0; /**< a0 at system-call entry */
};

/**
 * The thread's user FP and vector state, as the kernel's FPU code
 * describes it. Format fields (@c fstate being NULL or not, @c vlenb) are
 * read by every frame function; contents only by pm_arch_sigframe_fill().
 * The vector state is in a frame only while it is live: status.VS not Off
 * in the thread's pm_user_regs (Linux riscv_v_vstate_query()). Handlers
 * keep the interrupted FP and vector values (Linux resets nothing).
 */
struct pm_user_fpu {
	/** F and D registers (Linux has_fpu()); NULL when the CPU has none.
	 *  The port's RV64GC user ABI expects one. */
	const struct pm_riscv64_d_ext_state *fstate;
	/** CSR vlenb, the bytes of one vector register, when the CPU has V
	 *  (has_vector()); 0 without V. */
	uint64_t vlenb;
	/** Delivery with live vector state: vstart, vl, vtype, vcsr (the
	 *  vlenb and datap fields are ignored: the port writes them). */
	const struct pm_riscv64_v_ext_state *vcsr;
	/** Delivery with live vector state: v0-v31, 32 * @c vlenb bytes. */
	const void *vregs;
};

/**
 * The rt_sigreturn reload plan (Linux restore_sigcontext()). With
 * @c fstate_valid the kernel loads @c fstate into f0-f31 and fcsr; with
 * @c v_valid it loads the vector CSRs from @c vcsr and v0-v31 from
 * @c vregs (after pm_arch_sigreturn_fpu()); otherwise the vector state
 * stays as the handler left it, as in Linux.
 */
struct pm_user_fpu_restore {
	bool fstate_valid;                    /**< the thread has an FPU: load @c fstate */
	bool v_valid;                         /**< the frame carried vector state */
	struct pm_riscv64_d_ext_state fstate; /**< F/D registers from the frame */
	/** Vector CSRs from the frame (datap: the user address of the data). */
	struct pm_riscv64_v_ext_state vcsr;
	const void *vregs; /**< the bytes passed to pm_arch_sigreturn_fpu() */
};

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ARCH_REGS_H */
