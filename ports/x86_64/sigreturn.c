/* SPDX-License-Identifier: MIT */
/*
 * x86_64 rt_sigreturn: reading a frame back. Sources:
 * arch/x86/kernel/signal_64.c (sys_rt_sigreturn, restore_sigcontext,
 * force_valid_ss), fpu/signal.c (fpu__restore_sig, __fpu_restore_sig,
 * check_xstate_in_sigframe, restore_fpregs_from_user).
 *
 * Nothing in the frame can raise privilege: cs and ss are forced to RPL 3
 * and must then be the user selectors (anything else would fault on IRET,
 * which Linux turns into SIGSEGV), and only the FIX_EFLAGS bits of rflags
 * come from the frame, never IF, IOPL, VM or NT.
 */
#include "port_internal.h"

size_t pm_arch_sigreturn_frame(const struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                               pm_uaddr_t *frame)
{
	(void)fpu;
	/* The handler's `ret` popped pretcode. */
	*frame = regs->rsp - sizeof(uint64_t);
	return PM_X86_64_RT_SIGFRAME_SIZE;
}

static void restore_gprs(struct pm_user_regs *r, const struct pm_x86_64_sigcontext *sc)
{
	r->rbx = sc->rbx;
	r->rcx = sc->rcx;
	r->rdx = sc->rdx;
	r->rsi = sc->rsi;
	r->rdi = sc->rdi;
	r->rbp = sc->rbp;
	r->rax = sc->rax;
	r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->r8 = sc->r8;
	r->r9 = sc->r9;
	r->r10 = sc->r10;
	r->r11 = sc->r11;
	r->r12 = sc->r12;
	r->r13 = sc->r13;
	r->r14 = sc->r14;
	r->r15 = sc->r15;
}

int pm_arch_sigreturn_restore(struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                              const void *frame, size_t size, struct pm_sigreturn_out *out,
                              struct pm_user_fpu_restore *fr)
{
	struct pm_x86_64_rt_sigframe f;
	const struct pm_x86_64_sigcontext *sc = &f.uc.uc_mcontext;
	struct pm_user_regs r = *regs;
	struct pm_user_fpu_restore plan;

	if (size < PM_X86_64_RT_SIGFRAME_SIZE)
		return -PM_EFAULT;
	pm_memcpy(&f, frame, sizeof(f));

	restore_gprs(&r, sc);
	/* "Get CS/SS and force CPL3" */
	r.cs = (uint64_t)sc->cs | 3;
	r.ss = (uint64_t)sc->ss | 3;
	r.eflags = (r.eflags & ~PM_X86_64_FIX_EFLAGS) | (sc->eflags & PM_X86_64_FIX_EFLAGS);
	r.orig_rax = (uint64_t)-1; /* no restart processing on this return */
	/* Old DOSEMU and CRIU frames: fix up ss for 64-bit code (force_valid_ss). */
	if (!(f.uc.uc_flags & PM_X86_64_UC_STRICT_RESTORE_SS) && r.cs == PM_X86_64_USER_CS)
		r.ss = PM_X86_64_USER_DS;
	if (r.cs != PM_X86_64_USER_CS && r.cs != PM_X86_64_USER32_CS)
		return -PM_EINVAL;
	if (r.ss != PM_X86_64_USER_DS)
		return -PM_EINVAL;

	pm_memset(&plan, 0, sizeof(plan));
	plan.fpstate = sc->fpstate;
	plan.how = PM_X86_64_FPU_INIT;
	out->ext = 0;
	out->ext_size = 0;
	if (fpu && sc->fpstate) {
		plan.how = PM_X86_64_FPU_PENDING;
		out->ext = sc->fpstate;
		out->ext_size =
		    fpu->xsave ? (size_t)fpu->size + PM_X86_64_FP_XSTATE_MAGIC2_SIZE : fpu->size;
	}
	out->mask = f.uc.uc_sigmask & ~PM_SIG_UNBLOCKABLE;
	out->altstack = pm_save_altstack_(&f.uc.uc_stack);
	/* Linux restores the alternate stack before the registers. */
	out->altstack_sp = regs->rsp;
	*fr = plan;
	*regs = r;
	return 0;
}

int pm_arch_sigreturn_fpu(const struct pm_user_fpu *fpu, const void *ext, size_t size,
                          struct pm_user_fpu_restore *fr)
{
	const uint8_t *b = ext;
	struct pm_x86_64_fpx_sw_bytes sw;
	uint32_t magic2;
	bool fx_only = true;
	uint64_t xrestore = PM_X86_64_XFEATURE_MASK_FPSSE;
	uint64_t need;

	if (!fpu || fr->how != PM_X86_64_FPU_PENDING)
		return -PM_EINVAL;
	need = fpu->xsave ? (uint64_t)fpu->size + PM_X86_64_FP_XSTATE_MAGIC2_SIZE : fpu->size;
	if (size < need || need < 512)
		return -PM_EFAULT;
	if (fpu->xsave) {
		/* check_xstate_in_sigframe(): both magics, else the legacy part only. */
		pm_memcpy(&sw, b + offsetof(struct pm_x86_64_fxsave, sw_reserved), sizeof(sw));
		pm_memcpy(&magic2, b + fpu->size, sizeof(magic2));
		if (sw.magic1 == PM_X86_64_FP_XSTATE_MAGIC1 &&
		    magic2 == PM_X86_64_FP_XSTATE_MAGIC2) {
			fx_only = false;
			xrestore = sw.xfeatures;
		}
		xrestore &= fpu->xfeatures; /* "Restore enabled features only." */
	}
	/* XRSTOR faults on an area not 64-byte aligned, FXRSTOR on one not
	 * 16-byte aligned: the kernel reloads from its own copy, so check here. */
	if (fr->fpstate & (fx_only ? 15u : 63u))
		return -PM_EINVAL;
	fr->how = fx_only ? PM_X86_64_FPU_FXRSTOR : PM_X86_64_FPU_XRSTOR;
	fr->xrestore = xrestore;
	fr->init = fpu->xsave ? fpu->xfeatures & ~xrestore : 0;
	fr->image = ext;
	return 0;
}
