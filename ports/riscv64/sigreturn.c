/* SPDX-License-Identifier: MIT */
/*
 * riscv64 rt_sigreturn: reading a frame back. Sources:
 * arch/riscv/kernel/signal.c (sys_rt_sigreturn, restore_sigcontext,
 * restore_fp_state, __restore_v_state, get_rt_frame_size).
 *
 * The frame restores only the 32 user_regs_struct words: status (and so
 * the privilege level) is never read from it. The extension headers are
 * walked as Linux does (END closes the list, a vector header needs live
 * vector state and the exact size); everything is checked before anything
 * is written.
 */
#include "port_internal.h"

size_t pm_arch_sigreturn_frame(const struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                               pm_uaddr_t *frame)
{
	*frame = regs->sp;
	return pm_port_frame_size_(regs, fpu);
}

/*
 * Walk the extension headers from the first one. Linux reads them with
 * unchecked user loads and could follow a forged chain past the frame;
 * procmgr refuses any header outside the bytes it was given.
 */
static int walk_ext(const struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                    const uint8_t *b, size_t size, struct pm_user_fpu_restore *plan)
{
	size_t off = PORT_EXT_HDR_OFF;

	for (;;) {
		struct pm_riscv64_ctx_hdr hdr;

		if (off > size - sizeof(hdr))
			return -PM_EINVAL;
		pm_memcpy(&hdr, b + off, sizeof(hdr));
		switch (hdr.magic) {
		case PM_RISCV64_END_MAGIC:
			return hdr.size == PM_RISCV64_END_HDR_SIZE ? 0 : -PM_EINVAL;
		case PM_RISCV64_V_MAGIC:
			if (!pm_port_v_live_(regs, fpu) || hdr.size != pm_port_v_sc_size_(fpu) ||
			    off + sizeof(hdr) + sizeof(plan->vcsr) > size)
				return -PM_EINVAL;
			pm_memcpy(&plan->vcsr, b + off + sizeof(hdr), sizeof(plan->vcsr));
			plan->v_valid = true;
			break;
		default:
			return -PM_EINVAL;
		}
		off += hdr.size;
	}
}

int pm_arch_sigreturn_restore(struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                              const void *frame, size_t size, struct pm_sigreturn_out *out,
                              struct pm_user_fpu_restore *fr)
{
	const uint8_t *b = frame;
	struct pm_riscv64_rt_sigframe f;
	struct pm_user_regs r = *regs;
	struct pm_user_fpu_restore plan;
	uint32_t reserved;
	int err;

	if (size < pm_port_frame_size_(regs, fpu))
		return -PM_EFAULT;
	pm_memcpy(&f, b, sizeof(f));
	pm_memset(&plan, 0, sizeof(plan));
	if (fpu && fpu->fstate) {
		plan.fstate_valid = true;
		plan.fstate = f.uc.uc_mcontext.sc_fpregs.d;
	}
	/* "Check the reserved word before extensions parsing" */
	pm_memcpy(&reserved, b + PORT_EXT_RESERVED_OFF, sizeof(reserved));
	if (reserved != 0)
		return -PM_EINVAL;
	err = walk_ext(regs, fpu, b, size, &plan);
	if (err)
		return err;
	/* Linux's copy from a NULL datap faults: the same SIGSEGV. */
	if (plan.v_valid && plan.vcsr.datap == 0)
		return -PM_EINVAL;

	pm_memcpy(&r, f.uc.uc_mcontext.sc_regs, sizeof(f.uc.uc_mcontext.sc_regs));
	r.cause = (uint64_t)-1; /* no restart processing on this return */
	out->mask = f.uc.uc_sigmask & ~PM_SIG_UNBLOCKABLE;
	out->altstack = pm_save_altstack_(&f.uc.uc_stack);
	/* Linux restores the alternate stack after the registers. */
	out->altstack_sp = r.sp;
	out->ext = plan.v_valid ? plan.vcsr.datap : 0;
	out->ext_size = plan.v_valid ? 32 * (size_t)fpu->vlenb : 0;
	*fr = plan;
	*regs = r;
	return 0;
}

int pm_arch_sigreturn_fpu(const struct pm_user_fpu *fpu, const void *ext, size_t size,
                          struct pm_user_fpu_restore *fr)
{
	if (!fpu || !fr->v_valid)
		return -PM_EINVAL;
	if (size < 32 * (size_t)fpu->vlenb)
		return -PM_EFAULT;
	fr->vregs = ext;
	return 0;
}
