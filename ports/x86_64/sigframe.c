/* SPDX-License-Identifier: MIT */
/*
 * Building an x86_64 rt_sigframe. Sources: arch/x86/kernel/signal.c
 * (get_sigframe, handle_signal), signal_64.c (x64_setup_rt_frame,
 * __unsafe_setup_sigcontext, frame_uc_flags), fpu/signal.c
 * (fpu__alloc_mathframe, copy_fpstate_to_sigframe, save_xstate_epilog).
 *
 * The user stack from the interrupted rsp down:
 *
 *   rsp - 128 .. rsp      red zone, never touched
 *   FP area               XSAVE image + FP_XSTATE_MAGIC2, 64-byte aligned
 *   rt_sigframe           440 bytes at 8 mod 16 (as if just called)
 *
 * or the same from the top of the alternate stack (no red zone there).
 */
#include "port_internal.h"

PM_STATIC_ASSERT(sizeof(struct pm_x86_64_rt_sigframe) == PM_X86_64_RT_SIGFRAME_SIZE,
                 "rt_sigframe is 440 bytes");
PM_STATIC_ASSERT(sizeof(struct pm_x86_64_fxsave) == 512, "FXSAVE image");
PM_STATIC_ASSERT(sizeof(struct pm_x86_64_xsave_header) == 64, "XSAVE header");

#define X86_64_XSAVE_HEADER_OFF 512
#define X86_64_XSAVE_MIN_SIZE   (512 + 64)

/* xstate_sigframe_size(): the image, plus the magic2 word with XSAVE. */
static uint64_t fp_area_size(const struct pm_user_fpu *fpu)
{
	return fpu->xsave ? (uint64_t)fpu->size + PM_X86_64_FP_XSTATE_MAGIC2_SIZE : fpu->size;
}

int pm_arch_sigframe_layout(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            struct pm_sigframe_layout *out)
{
	const struct pm_stack *ss = &in->altstack;
	bool nested = pm_on_sig_stack_(ss, regs->rsp);
	bool entering = false;
	uint64_t sp, fp = 0, fsize = 0, end;

	/* "x86-64 should always use SA_RESTORER." */
	if (!(in->sa_flags & PORT_SA_RESTORER))
		return -PM_EFAULT;
	if (pm_sub_overflow_u64(regs->rsp, PM_X86_64_RED_ZONE, &sp))
		return -PM_EFAULT;
	if ((in->sa_flags & PORT_SA_ONSTACK) && pm_sas_ss_flags_(ss, sp) == 0) {
		if (pm_add_overflow_u64(ss->ss_sp, ss->ss_size, &sp))
			return -PM_EFAULT;
		entering = true;
	}
	if (in->fpu) {
		fsize = fp_area_size(in->fpu);
		if (pm_sub_overflow_u64(sp, fsize, &sp))
			return -PM_EFAULT;
		sp &= ~63ull;
		fp = sp;
	}
	if (pm_sub_overflow_u64(sp, PM_X86_64_RT_SIGFRAME_SIZE, &sp) || (sp & ~15ull) < 8)
		return -PM_EFAULT;
	sp = (sp & ~15ull) - 8;
	if ((nested || entering) && !pm_on_stack_(ss, sp))
		return -PM_EFAULT;
	end = fp ? fp + fsize : sp + PM_X86_64_RT_SIGFRAME_SIZE;
	out->frame = sp;
	out->size = (size_t)(end - sp);
	out->fpstate = fp;
	return 0;
}

/* frame_uc_flags(): XSAVE state present, ss saved, and ss restored strictly
 * when the interrupted code was 64-bit (user_64bit_mode()). */
static uint64_t frame_uc_flags(const struct pm_user_regs *regs, const struct pm_user_fpu *fpu)
{
	uint64_t flags = PM_X86_64_UC_SIGCONTEXT_SS;

	if (fpu && fpu->xsave)
		flags |= PM_X86_64_UC_FP_XSTATE;
	if (regs->cs == PM_X86_64_USER_CS)
		flags |= PM_X86_64_UC_STRICT_RESTORE_SS;
	return flags;
}

static void fill_sigcontext(struct pm_x86_64_sigcontext *sc, const struct pm_user_regs *regs,
                            const struct pm_sigframe_in *in, pm_uaddr_t fpstate)
{
	sc->r8 = regs->r8;
	sc->r9 = regs->r9;
	sc->r10 = regs->r10;
	sc->r11 = regs->r11;
	sc->r12 = regs->r12;
	sc->r13 = regs->r13;
	sc->r14 = regs->r14;
	sc->r15 = regs->r15;
	sc->rdi = regs->rdi;
	sc->rsi = regs->rsi;
	sc->rbp = regs->rbp;
	sc->rbx = regs->rbx;
	sc->rdx = regs->rdx;
	sc->rax = regs->rax;
	sc->rcx = regs->rcx;
	sc->rsp = regs->rsp;
	sc->rip = regs->rip;
	sc->eflags = regs->eflags;
	sc->cs = (uint16_t)regs->cs;
	sc->gs = 0;
	sc->fs = 0;
	sc->ss = (uint16_t)regs->ss;
	sc->err = regs->error_code;
	sc->trapno = regs->trap_nr;
	sc->oldmask = in->saved_mask;
	sc->cr2 = regs->cr2;
	sc->fpstate = fpstate;
}

/*
 * The FP area: the kernel's image, the software bytes, and with XSAVE the
 * header cleared beyond XSTATE_BV (Linux clears it before XSAVE, which
 * writes only XSTATE_BV), x87|SSE forced present, and magic2 after it.
 */
static void fill_fp_area(uint8_t *dst, const struct pm_user_fpu *fpu)
{
	struct pm_x86_64_fpx_sw_bytes sw;
	struct pm_x86_64_xsave_header hdr;
	uint32_t magic2 = PM_X86_64_FP_XSTATE_MAGIC2;

	pm_memcpy(dst, fpu->image, fpu->size);
	pm_memset(&sw, 0, sizeof(sw));
	sw.magic1 = PM_X86_64_FP_XSTATE_MAGIC1;
	sw.extended_size = fpu->size + PM_X86_64_FP_XSTATE_MAGIC2_SIZE;
	sw.xfeatures = fpu->xfeatures;
	sw.xstate_size = fpu->size;
	pm_memcpy(dst + offsetof(struct pm_x86_64_fxsave, sw_reserved), &sw, sizeof(sw));
	if (!fpu->xsave)
		return;
	pm_memcpy(&hdr, dst + X86_64_XSAVE_HEADER_OFF, sizeof(hdr));
	hdr.xfeatures |= PM_X86_64_XFEATURE_MASK_FPSSE;
	pm_memset(hdr.reserved1, 0, sizeof(hdr.reserved1));
	pm_memset(hdr.reserved2, 0, sizeof(hdr.reserved2));
	pm_memcpy(dst + X86_64_XSAVE_HEADER_OFF, &hdr, sizeof(hdr));
	pm_memcpy(dst + fpu->size, &magic2, sizeof(magic2));
}

int pm_arch_sigframe_fill(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                          const struct pm_sigframe_layout *layout, void *buf)
{
	const struct pm_user_fpu *fpu = in->fpu;
	struct pm_x86_64_rt_sigframe f;
	uint8_t *b = buf;

	if (!(in->sa_flags & PORT_SA_RESTORER))
		return -PM_EFAULT;
	PM_ASSERT(layout->size >= PM_X86_64_RT_SIGFRAME_SIZE);
	PM_ASSERT(!fpu || (fpu->image && fpu->size >= 512 &&
	                   (!fpu->xsave || fpu->size >= X86_64_XSAVE_MIN_SIZE) &&
	                   layout->fpstate >= layout->frame + PM_X86_64_RT_SIGFRAME_SIZE &&
	                   layout->fpstate - layout->frame + fp_area_size(fpu) == layout->size));

	pm_memset(&f, 0, sizeof(f));
	f.pretcode = in->restorer;
	f.uc.uc_flags = frame_uc_flags(regs, fpu);
	f.uc.uc_link = 0;
	f.uc.uc_stack = pm_save_altstack_(&in->altstack);
	fill_sigcontext(&f.uc.uc_mcontext, regs, in, fpu ? layout->fpstate : 0);
	f.uc.uc_sigmask = in->saved_mask;
	if (in->sa_flags & PORT_SA_SIGINFO)
		pm_copy_siginfo_to_user_(&f.info, in->info);

	/* Every byte once: the frame, the alignment gap, the FP area. */
	pm_memcpy(b, &f, sizeof(f));
	if (fpu) {
		size_t off = (size_t)(layout->fpstate - layout->frame);

		pm_memset(b + sizeof(f), 0, off - sizeof(f));
		fill_fp_area(b + off, fpu);
	}
	return 0;
}

void pm_arch_sigframe_enter(struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            const struct pm_sigframe_layout *layout)
{
	regs->rdi = (uint64_t)(int64_t)in->signo;
	regs->rax = 0; /* "in case the signal handler was declared without prototypes" */
	regs->rsi = layout->frame + offsetof(struct pm_x86_64_rt_sigframe, info);
	regs->rdx = layout->frame + offsetof(struct pm_x86_64_rt_sigframe, uc);
	regs->rip = in->handler;
	regs->rsp = layout->frame;
	regs->cs = PM_X86_64_USER_CS;
	/* force_valid_ss(): Linux keeps a valid ss; with no LDT the only valid
	 * user stack selector is __USER_DS. */
	regs->ss = PM_X86_64_USER_DS;
	regs->eflags &= ~(PM_X86_64_EFLAGS_DF | PM_X86_64_EFLAGS_RF | PM_X86_64_EFLAGS_TF);
}
