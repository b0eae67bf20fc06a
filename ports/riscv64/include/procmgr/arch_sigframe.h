/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 signal-frame ABI records, byte for byte as Linux lays
 * them out (arch/riscv/kernel/signal.c struct rt_sigframe, uapi
 * asm/ucontext.h, asm/sigcontext.h, asm/ptrace.h).
 *
 * The port builds and parses frames through these; the riscv64 test
 * program checks every size and offset against Debian's riscv64 uapi
 * headers, and the vector records (newer than those headers) against
 * Linux 6.x's values. All little-endian.
 */
#ifndef PROCMGR_ARCH_SIGFRAME_H
#define PROCMGR_ARCH_SIGFRAME_H

#include <stdalign.h>
#include <stdint.h>

#include "procmgr/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_port_riscv64
 * @{
 */

/** Extension header magic of the vector state (RISCV_V_MAGIC). */
#define PM_RISCV64_V_MAGIC      0x53465457u
/** Extension header magic closing the list (END_MAGIC). */
#define PM_RISCV64_END_MAGIC    0x0u
/** Size field of the END header (END_HDR_SIZE). */
#define PM_RISCV64_END_HDR_SIZE 0x0u

/** sizeof(struct rt_sigframe) without vector state (MMU kernels). */
#define PM_RISCV64_RT_SIGFRAME_SIZE 1088

/** struct __riscv_d_ext_state: the F and D registers, 264 bytes. */
struct pm_riscv64_d_ext_state {
	uint64_t f[32]; /**< f0-f31 */
	uint32_t fcsr;  /**< fcsr */
	uint32_t pad_;  /**< padding (written 0) */
};

/** struct __riscv_ctx_hdr: one extension header after the FP state. */
struct pm_riscv64_ctx_hdr {
	uint32_t magic; /**< RISCV_V_MAGIC, or END_MAGIC to close the list */
	uint32_t size;  /**< bytes of this extension, header included; 0 for END */
};

/** struct __riscv_v_ext_state (uapi ptrace.h): vector CSRs and data pointer. */
struct pm_riscv64_v_ext_state {
	uint64_t vstart; /**< vstart */
	uint64_t vl;     /**< vl */
	uint64_t vtype;  /**< vtype */
	uint64_t vcsr;   /**< vcsr */
	uint64_t vlenb;  /**< vlenb: bytes per vector register */
	uint64_t datap;  /**< user address of the 32 * vlenb register bytes */
};

/** struct __riscv_extra_ext_header: overlays the FP union's tail. */
struct pm_riscv64_extra_ext_header {
	alignas(16) uint32_t padding_[129]; /**< the FP state */
	uint32_t reserved;                  /**< must be 0 (checked by rt_sigreturn) */
	struct pm_riscv64_ctx_hdr hdr;      /**< the first extension header */
};

/** struct sigcontext: the user registers and the FP union, 784 bytes. */
struct pm_riscv64_sigcontext {
	/** struct user_regs_struct: pc, ra, sp, gp, tp, t0-t2, s0, s1,
	 *  a0-a7, s2-s11, t3-t6 (the first 32 words of struct pm_user_regs). */
	uint64_t sc_regs[32];
	/** union __riscv_fp_state / struct __riscv_extra_ext_header. */
	union {
		struct pm_riscv64_d_ext_state d;            /**< F/D registers (what Linux saves) */
		alignas(16) uint8_t fp_state_[528];         /**< the union's full size (Q layout) */
		struct pm_riscv64_extra_ext_header extdesc; /**< reserved word and first header */
	} sc_fpregs;
};

/** struct ucontext: 960 bytes. */
struct pm_riscv64_ucontext {
	uint64_t uc_flags;                        /**< 0 */
	uint64_t uc_link;                         /**< 0 */
	struct pm_stack uc_stack;                 /**< the stored sigaltstack */
	pm_sigset_t uc_sigmask;                   /**< saved mask */
	uint8_t unused_[1024 / 8 - 8];            /**< room for a larger sigset_t */
	struct pm_riscv64_sigcontext uc_mcontext; /**< registers (16-byte aligned) */
};

/** struct rt_sigframe: what the handler's sp points at (then any V state). */
struct pm_riscv64_rt_sigframe {
	struct pm_siginfo info;        /**< siginfo, always written */
	struct pm_riscv64_ucontext uc; /**< the context */
};

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ARCH_SIGFRAME_H */
