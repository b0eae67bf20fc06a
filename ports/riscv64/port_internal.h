/* SPDX-License-Identifier: MIT */
/*
 * Private helpers of the riscv64 port: the Linux constants it needs from
 * the signal ABI, and the alternate-stack tests of
 * include/linux/sched/signal.h (on_sig_stack, sas_ss_flags), which every
 * port uses the same way. ports/x86_64/port_internal.h is its twin.
 */
#ifndef PM_PORT_INTERNAL_H
#define PM_PORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"
#include "procmgr/arch_sigframe.h"
#include "procmgr/errno.h"
#include "hal/pm_assert.h"
#include "hal/pm_checked.h"
#include "hal/pm_string.h"

/* sa_flags and ss_flags bits (asm-generic/signal-defs.h, uapi
 * linux/signal.h). riscv64 has no SA_RESTORER. */
#define PORT_SA_SIGINFO    0x00000004ull
#define PORT_SA_ONSTACK    0x08000000ull
#define PORT_SS_ONSTACK    1
#define PORT_SS_DISABLE    2
#define PORT_SS_AUTODISARM ((int32_t)0x80000000u)

/* SIGKILL (9) and SIGSTOP (19) can never be blocked. */
#define PORT_UNBLOCKABLE ((1ull << (9 - 1)) | (1ull << (19 - 1)))

/* Bytes of siginfo the kernel copies (sizeof(struct kernel_siginfo)); the
 * rest of the 128 is cleared (copy_siginfo_to_user). */
#define PORT_KERNEL_SIGINFO_SIZE 48

/* __on_sig_stack(): sp inside (ss_sp, ss_sp + ss_size]; stacks grow down. */
static inline bool pm_port_on_stack_(const struct pm_stack *ss, uint64_t sp)
{
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* on_sig_stack(): never "on" an SS_AUTODISARM stack, which signal
 * delivery disarms. */
static inline bool pm_port_on_sig_stack_(const struct pm_stack *ss, uint64_t sp)
{
	if (ss->ss_flags & PORT_SS_AUTODISARM)
		return false;
	return pm_port_on_stack_(ss, sp);
}

/* sas_ss_flags(): SS_DISABLE without a stack, SS_ONSTACK when on it. */
static inline int pm_port_sas_ss_flags_(const struct pm_stack *ss, uint64_t sp)
{
	if (ss->ss_size == 0)
		return PORT_SS_DISABLE;
	return pm_port_on_sig_stack_(ss, sp) ? PORT_SS_ONSTACK : 0;
}

/* The siginfo as copy_siginfo_to_user() writes it into @p dst (128 bytes). */
static inline void pm_port_copy_siginfo_(struct pm_siginfo *dst, const struct pm_siginfo *src)
{
	pm_memset(dst, 0, sizeof(*dst));
	pm_memcpy(dst, src, PORT_KERNEL_SIGINFO_SIZE);
}

/* The stored sigaltstack as __save_altstack() writes it (padding zero). */
static inline struct pm_stack pm_port_altstack_(const struct pm_stack *ss)
{
	struct pm_stack out;

	pm_memset(&out, 0, sizeof(out));
	out.ss_sp = ss->ss_sp;
	out.ss_flags = ss->ss_flags;
	out.ss_size = ss->ss_size;
	return out;
}

/* Offsets in the frame: the reserved word and first extension header
 * (struct __riscv_extra_ext_header over the FP union), the vector CSRs
 * after a vector header, and the vector data after them. */
#define PORT_SC_OFF                                    \
	(offsetof(struct pm_riscv64_rt_sigframe, uc) + \
	 offsetof(struct pm_riscv64_ucontext, uc_mcontext))
#define PORT_EXT_RESERVED_OFF                                              \
	(PORT_SC_OFF + offsetof(struct pm_riscv64_sigcontext, sc_fpregs) + \
	 offsetof(struct pm_riscv64_extra_ext_header, reserved))
#define PORT_EXT_HDR_OFF                                                   \
	(PORT_SC_OFF + offsetof(struct pm_riscv64_sigcontext, sc_fpregs) + \
	 offsetof(struct pm_riscv64_extra_ext_header, hdr))
#define PORT_V_CSR_OFF  (PORT_EXT_HDR_OFF + sizeof(struct pm_riscv64_ctx_hdr))
#define PORT_V_DATA_OFF (PORT_V_CSR_OFF + sizeof(struct pm_riscv64_v_ext_state))

/* riscv_v_vstate_query(): the thread's vector state is live (VS not Off). */
static inline bool pm_port_v_live_(const struct pm_user_regs *regs, const struct pm_user_fpu *fpu)
{
	return fpu && fpu->vlenb != 0 && (regs->status & PM_RISCV64_SR_VS) != 0;
}

/* riscv_v_sc_size: header, CSRs, 32 registers of vlenb bytes. */
static inline size_t pm_port_v_sc_size_(const struct pm_user_fpu *fpu)
{
	return sizeof(struct pm_riscv64_ctx_hdr) + sizeof(struct pm_riscv64_v_ext_state) +
	       32 * (size_t)fpu->vlenb;
}

/* get_rt_frame_size(false): the frame, plus live vector state, rounded to 16. */
static inline size_t pm_port_frame_size_(const struct pm_user_regs *regs,
                                         const struct pm_user_fpu *fpu)
{
	size_t size = PM_RISCV64_RT_SIGFRAME_SIZE;

	if (pm_port_v_live_(regs, fpu))
		size += pm_port_v_sc_size_(fpu);
	return (size + 15) & ~(size_t)15;
}

#endif /* PM_PORT_INTERNAL_H */
