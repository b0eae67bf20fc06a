/* SPDX-License-Identifier: MIT */
/*
 * Private helpers of the riscv64 port: the Linux constants it needs from
 * the signal ABI. The rules every port applies the same way (alternate
 * stack, siginfo copy) are in src/hal/pm_sigabi.h.
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
#include "hal/pm_sigabi.h"
#include "hal/pm_string.h"

/* sa_flags bits (asm-generic/signal-defs.h). riscv64 has no SA_RESTORER. */
#define PORT_SA_SIGINFO 0x00000004ull
#define PORT_SA_ONSTACK 0x08000000ull

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
