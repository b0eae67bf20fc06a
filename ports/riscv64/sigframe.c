/* SPDX-License-Identifier: MIT */
/*
 * Building a riscv64 rt_sigframe. Sources: arch/riscv/kernel/signal.c
 * (get_sigframe, get_rt_frame_size, setup_rt_frame, setup_sigcontext,
 * save_fp_state, save_v_state), uapi asm/sigcontext.h and ptrace.h.
 *
 * The frame, 16-byte aligned below the interrupted sp (no red zone) or at
 * the top of the alternate stack:
 *
 *   0     siginfo (always written)
 *   128   ucontext: flags, link, uc_stack, uc_sigmask, 120 unused bytes
 *   304   sc_regs: pc, ra, sp, ... t6
 *   560   F/D state (264 bytes); reserved word at 1076; header at 1080
 *   1080  live vector state: header {RISCV_V_MAGIC, size}, CSRs at 1088,
 *         v0-v31 at 1136; then the END header {0, 0}
 */
#include "port_internal.h"

PM_STATIC_ASSERT(sizeof(struct pm_riscv64_rt_sigframe) == PM_RISCV64_RT_SIGFRAME_SIZE,
                 "rt_sigframe is 1088 bytes");

int pm_arch_sigframe_layout(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            struct pm_sigframe_layout *out)
{
	const struct pm_stack *ss = &in->altstack;
	size_t fsize = pm_port_frame_size_(regs, in->fpu);
	uint64_t sp = regs->sp;

	/* "If we are on the alternate signal stack and would overflow it, don't." */
	if (pm_on_sig_stack_(ss, sp) && (sp < fsize || !pm_on_sig_stack_(ss, sp - fsize)))
		return -PM_EFAULT;
	/* sigsp(): the top of the alternate stack with SA_ONSTACK, if usable. */
	if ((in->sa_flags & PORT_SA_ONSTACK) && pm_sas_ss_flags_(ss, sp) == 0 &&
	    pm_add_overflow_u64(ss->ss_sp, ss->ss_size, &sp))
		return -PM_EFAULT;
	if (pm_sub_overflow_u64(sp, fsize, &sp))
		return -PM_EFAULT;
	out->frame = sp & ~15ull;
	out->size = fsize;
	out->fpstate = 0;
	return 0;
}

/* save_v_state(): header, CSRs with datap pointing just after them, the
 * registers; returns the offset of the next header. */
static size_t fill_v_state(uint8_t *b, pm_uaddr_t frame, const struct pm_user_fpu *fpu)
{
	struct pm_riscv64_ctx_hdr hdr = {PM_RISCV64_V_MAGIC, (uint32_t)pm_port_v_sc_size_(fpu)};
	struct pm_riscv64_v_ext_state v = *fpu->vcsr;

	v.vlenb = fpu->vlenb;
	v.datap = frame + PORT_V_DATA_OFF;
	pm_memcpy(b + PORT_EXT_HDR_OFF, &hdr, sizeof(hdr));
	pm_memcpy(b + PORT_EXT_HDR_OFF + sizeof(hdr), &v, sizeof(v));
	pm_memcpy(b + PORT_V_DATA_OFF, fpu->vregs, 32 * fpu->vlenb);
	return PORT_EXT_HDR_OFF + hdr.size;
}

int pm_arch_sigframe_fill(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                          const struct pm_sigframe_layout *layout, void *buf)
{
	const struct pm_user_fpu *fpu = in->fpu;
	struct pm_riscv64_rt_sigframe f;
	struct pm_riscv64_ctx_hdr end = {PM_RISCV64_END_MAGIC, PM_RISCV64_END_HDR_SIZE};
	size_t end_off = PORT_EXT_HDR_OFF;
	uint8_t *b = buf;

	PM_ASSERT(layout->size == pm_port_frame_size_(regs, fpu));
	pm_memset(&f, 0, sizeof(f));
	pm_copy_siginfo_to_user_(&f.info, in->info);
	f.uc.uc_flags = 0;
	f.uc.uc_link = 0;
	f.uc.uc_stack = pm_save_altstack_(&in->altstack);
	f.uc.uc_sigmask = in->saved_mask;
	/* "sc_regs is structured the same as the start of pt_regs" */
	pm_memcpy(f.uc.uc_mcontext.sc_regs, regs, sizeof(f.uc.uc_mcontext.sc_regs));
	if (fpu && fpu->fstate) {
		f.uc.uc_mcontext.sc_fpregs.d = *fpu->fstate;
		f.uc.uc_mcontext.sc_fpregs.d.pad_ = 0;
	}
	/* The reserved word is 0 and the END header {0, 0}; both already are. */

	pm_memset(b, 0, layout->size);
	pm_memcpy(b, &f, sizeof(f));
	if (pm_port_v_live_(regs, fpu)) {
		PM_ASSERT(fpu->vcsr && fpu->vregs);
		end_off = fill_v_state(b, layout->frame, fpu);
	}
	pm_memcpy(b + end_off, &end, sizeof(end));
	return 0;
}

void pm_arch_sigframe_enter(struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            const struct pm_sigframe_layout *layout)
{
	/* Registers not set here keep their interrupted values. */
	regs->ra = in->sigreturn_trampoline;
	regs->pc = in->handler;
	regs->sp = layout->frame;
	regs->a0 = (uint64_t)(int64_t)in->signo;
	regs->a1 = layout->frame + offsetof(struct pm_riscv64_rt_sigframe, info);
	regs->a2 = layout->frame + offsetof(struct pm_riscv64_rt_sigframe, uc);
}
