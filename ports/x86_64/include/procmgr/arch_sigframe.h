/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 signal-frame ABI records, byte for byte as Linux lays
 * them out (arch/x86/include/asm/sigframe.h, uapi asm/sigcontext.h,
 * asm/ucontext.h, asm-generic/ucontext.h).
 *
 * The port builds and parses frames through these; tests/arch checks every
 * size and offset against the uapi headers. All little-endian.
 */
#ifndef PROCMGR_ARCH_SIGFRAME_H
#define PROCMGR_ARCH_SIGFRAME_H

#include <stdint.h>

#include "procmgr/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_port_x86_64
 * @{
 */

/** uc_flags: the FP area has XSAVE extended state (FP_XSTATE magic present). */
#define PM_X86_64_UC_FP_XSTATE         0x1
/** uc_flags: the sigcontext's ss is meaningful. */
#define PM_X86_64_UC_SIGCONTEXT_SS     0x2
/** uc_flags: rt_sigreturn must restore ss as saved (set for 64-bit code). */
#define PM_X86_64_UC_STRICT_RESTORE_SS 0x4

/** _fpx_sw_bytes.magic1 of an XSAVE frame: "XSFP". */
#define PM_X86_64_FP_XSTATE_MAGIC1      0x46505853u
/** The word after the XSAVE image: "EXPF". */
#define PM_X86_64_FP_XSTATE_MAGIC2      0x46505845u
/** Bytes of FP_XSTATE_MAGIC2. */
#define PM_X86_64_FP_XSTATE_MAGIC2_SIZE 4

/** Size of struct pm_x86_64_rt_sigframe, without the FP area. */
#define PM_X86_64_RT_SIGFRAME_SIZE 440
/** The red zone below the interrupted rsp that a frame never touches. */
#define PM_X86_64_RED_ZONE         128

/** struct _fpx_sw_bytes: bytes 464..511 of the FXSAVE image, for software. */
struct pm_x86_64_fpx_sw_bytes {
	uint32_t magic1;        /**< FP_XSTATE_MAGIC1 */
	uint32_t extended_size; /**< xstate_size + 4 (magic2) */
	uint64_t xfeatures;     /**< user_xfeatures */
	uint32_t xstate_size;   /**< user_size: bytes of the XSAVE image */
	uint32_t padding[7];    /**< zero */
};

/** struct _fpstate_64: the 512-byte FXSAVE image (legacy area). */
struct pm_x86_64_fxsave {
	uint16_t cwd;                              /**< x87 control word */
	uint16_t swd;                              /**< x87 status word */
	uint16_t twd;                              /**< abridged tag word */
	uint16_t fop;                              /**< last opcode */
	uint64_t rip;                              /**< last instruction pointer */
	uint64_t rdp;                              /**< last data pointer */
	uint32_t mxcsr;                            /**< SSE control and status */
	uint32_t mxcsr_mask;                       /**< writable MXCSR bits */
	uint32_t st_space[32];                     /**< st0-st7, 16 bytes each */
	uint32_t xmm_space[64];                    /**< xmm0-xmm15, 16 bytes each */
	uint32_t reserved2[12];                    /**< reserved */
	struct pm_x86_64_fpx_sw_bytes sw_reserved; /**< software bytes */
};

/** struct _header: the 64-byte XSAVE header after the legacy area. */
struct pm_x86_64_xsave_header {
	uint64_t xfeatures;    /**< XSTATE_BV: components present in the image */
	uint64_t reserved1[2]; /**< XCOMP_BV and reserved: zero in a frame */
	uint64_t reserved2[5]; /**< reserved: zero */
};

/** struct sigcontext (64-bit): the saved registers, 256 bytes. */
struct pm_x86_64_sigcontext {
	uint64_t r8;           /**< r8 */
	uint64_t r9;           /**< r9 */
	uint64_t r10;          /**< r10 */
	uint64_t r11;          /**< r11 */
	uint64_t r12;          /**< r12 */
	uint64_t r13;          /**< r13 */
	uint64_t r14;          /**< r14 */
	uint64_t r15;          /**< r15 */
	uint64_t rdi;          /**< rdi */
	uint64_t rsi;          /**< rsi */
	uint64_t rbp;          /**< rbp */
	uint64_t rbx;          /**< rbx */
	uint64_t rdx;          /**< rdx */
	uint64_t rax;          /**< rax */
	uint64_t rcx;          /**< rcx */
	uint64_t rsp;          /**< rsp */
	uint64_t rip;          /**< rip */
	uint64_t eflags;       /**< rflags */
	uint16_t cs;           /**< cs */
	uint16_t gs;           /**< gs: written 0 */
	uint16_t fs;           /**< fs: written 0 */
	uint16_t ss;           /**< ss (UC_SIGCONTEXT_SS) */
	uint64_t err;          /**< error code of the trap */
	uint64_t trapno;       /**< trap vector */
	uint64_t oldmask;      /**< word 0 of the saved mask */
	uint64_t cr2;          /**< faulting address */
	uint64_t fpstate;      /**< user address of the FP area, 0 = none */
	uint64_t reserved1[8]; /**< reserved: Linux leaves them untouched */
};

/** struct ucontext (asm-generic/ucontext.h on x86_64): 304 bytes. */
struct pm_x86_64_ucontext {
	uint64_t uc_flags;                       /**< UC_* */
	uint64_t uc_link;                        /**< 0 */
	struct pm_stack uc_stack;                /**< the stored sigaltstack */
	struct pm_x86_64_sigcontext uc_mcontext; /**< registers */
	pm_sigset_t uc_sigmask;                  /**< saved mask */
};

/** struct rt_sigframe (64-bit): what the handler's rsp points at. */
struct pm_x86_64_rt_sigframe {
	uint64_t pretcode;            /**< return address: sa_restorer */
	struct pm_x86_64_ucontext uc; /**< the context */
	struct pm_siginfo info;       /**< siginfo, written only with SA_SIGINFO */
};

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ARCH_SIGFRAME_H */
