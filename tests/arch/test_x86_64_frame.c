/*
 * x86_64 rt_sigframe: placement (arch/x86/kernel/signal.c get_sigframe),
 * bytes (signal_64.c x64_setup_rt_frame, fpu/signal.c
 * copy_fpstate_to_sigframe) and handler entry (handle_signal).
 */
#include <stdlib.h>

#include "pm_test.h"
#include "x86_64_fixture.h"

TestSuite(x86_64_frame, .init = pm_test_setup);

#define XSIZE   832 /* legacy + header + AVX */
#define XFEAT   0x7ull
#define RSP     0x7ffe0000a238ull
#define HANDLER 0x401000ull
#define RESTORE 0x402000ull

struct fx {
	struct pm_user_regs regs;
	struct pm_siginfo info;
	uint8_t image[4096];
	struct pm_user_fpu fpu;
	struct pm_sigframe_in in;
	struct pm_sigframe_layout lay;
	uint8_t *buf;
};

static void fx_init(struct fx *f, uint64_t sa_flags)
{
	memset(f, 0, sizeof(*f));
	fx_regs(&f->regs, RSP);
	fx_siginfo(&f->info, 10);
	fx_image(f->image, XSIZE, 0x5);
	f->fpu = (struct pm_user_fpu){
	    .xsave = true, .size = XSIZE, .xfeatures = XFEAT, .image = f->image};
	f->in = (struct pm_sigframe_in){
	    .signo = 10,
	    .info = &f->info,
	    .sa_flags = sa_flags | FX_SA_RESTORER,
	    .handler = HANDLER,
	    .restorer = RESTORE,
	    .saved_mask = (1ull << 1) | (1ull << 8) | (1ull << 18) | (1ull << 40),
	    .altstack = {.ss_sp = 0, .ss_flags = FX_SS_DISABLE, .ss_size = 0},
	    .fpu = &f->fpu,
	};
}

static void fx_build(struct fx *f)
{
	cr_assert_eq(pm_arch_sigframe_layout(&f->regs, &f->in, &f->lay), 0);
	f->buf = malloc(f->lay.size);
	cr_assert_not_null(f->buf);
	memset(f->buf, 0x5a, f->lay.size);
	cr_assert_eq(pm_arch_sigframe_fill(&f->regs, &f->in, &f->lay, f->buf), 0);
}

/* get_sigframe: 128-byte red zone, FP area 64-aligned below it, frame
 * 440 bytes below that at 8 mod 16 (what a `call` leaves). */
PM_TEST(x86_64_frame, layout_below_the_red_zone)
{
	struct fx f;
	uint64_t fp, frame;

	fx_init(&f, FX_SA_SIGINFO);
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	fp = (RSP - 128 - (XSIZE + 4)) & ~63ull;
	frame = ((fp - 440) & ~15ull) - 8;
	cr_assert_eq(f.lay.fpstate, fp);
	cr_assert_eq(f.lay.frame, frame);
	cr_assert_eq(f.lay.size, fp + XSIZE + 4 - frame);
	cr_assert_eq((f.lay.frame + 8) % 16, 0, "handler entry looks like after a call");
	cr_assert_leq(f.lay.frame + f.lay.size, RSP - 128, "the red zone is never written");
}

PM_TEST(x86_64_frame, layout_needs_sa_restorer)
{
	struct fx f;
	struct pm_sigframe_layout l = {1, 2, 3};

	fx_init(&f, FX_SA_SIGINFO);
	f.in.sa_flags &= ~FX_SA_RESTORER;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &l), -PM_EFAULT,
	             "x64_setup_rt_frame: x86-64 should always use SA_RESTORER");
	cr_assert_eq(l.frame, 1, "nothing written on failure");
	f.lay = (struct pm_sigframe_layout){RSP - 4096, 440 + XSIZE + 4, RSP - 3584};
	f.buf = calloc(1, f.lay.size);
	cr_assert_eq(pm_arch_sigframe_fill(&f.regs, &f.in, &f.lay, f.buf), -PM_EFAULT);
	free(f.buf);
}

/* SA_ONSTACK with a usable alternate stack: start at its top, no red zone. */
PM_TEST(x86_64_frame, layout_switches_to_the_alternate_stack)
{
	struct fx f;
	uint64_t top = 0x20000 + 0x8000;

	fx_init(&f, FX_SA_SIGINFO | FX_SA_ONSTACK);
	f.in.altstack = (struct pm_stack){.ss_sp = 0x20000, .ss_flags = 0, .ss_size = 0x8000};
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	cr_assert_eq(f.lay.fpstate, (top - (XSIZE + 4)) & ~63ull);
	cr_assert_gt(f.lay.frame, 0x20000);
	cr_assert_leq(f.lay.frame + f.lay.size, top);

	/* Without SA_ONSTACK, or with the stack disabled, the normal stack. */
	f.in.sa_flags &= ~FX_SA_ONSTACK;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	cr_assert_gt(f.lay.frame, 0x7ffe00000000ull);
	f.in.sa_flags |= FX_SA_ONSTACK;
	f.in.altstack = (struct pm_stack){.ss_sp = 0, .ss_flags = FX_SS_DISABLE, .ss_size = 0};
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	cr_assert_gt(f.lay.frame, 0x7ffe00000000ull);
}

/* Already on the alternate stack: stay (below the red zone) and refuse to
 * overflow it; entering a stack too small for the frame fails too. */
PM_TEST(x86_64_frame, layout_refuses_to_leave_the_alternate_stack)
{
	struct fx f;

	fx_init(&f, FX_SA_SIGINFO | FX_SA_ONSTACK);
	f.in.altstack = (struct pm_stack){.ss_sp = 0x20000, .ss_flags = 0, .ss_size = 0x8000};
	f.regs.rsp = 0x27000;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	cr_assert_eq(f.lay.fpstate, (0x27000 - 128 - (XSIZE + 4)) & ~63ull, "nested: no switch");
	f.regs.rsp = 0x20400;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT,
	             "the frame would overflow the alternate stack");
	f.in.sa_flags &= ~FX_SA_ONSTACK;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT,
	             "nested_altstack is checked even without SA_ONSTACK");

	f.in.sa_flags |= FX_SA_ONSTACK;
	f.regs.rsp = RSP;
	f.in.altstack.ss_size = 1024;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT,
	             "entering a stack smaller than the frame");
}

/* SS_AUTODISARM: on_sig_stack() is false, so a signal on the stack
 * restarts from its top instead of nesting (the stack is disarmed after
 * each delivery anyway). */
PM_TEST(x86_64_frame, layout_autodisarm_restarts_at_the_top)
{
	struct fx f;

	fx_init(&f, FX_SA_SIGINFO | FX_SA_ONSTACK);
	f.in.altstack =
	    (struct pm_stack){.ss_sp = 0x20000, .ss_flags = FX_SS_AUTODISARM, .ss_size = 0x8000};
	f.regs.rsp = 0x27000;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	cr_assert_eq(f.lay.fpstate, (0x28000 - (XSIZE + 4)) & ~63ull);
}

PM_TEST(x86_64_frame, layout_refuses_wrapping_addresses)
{
	struct fx f;

	fx_init(&f, FX_SA_SIGINFO);
	f.regs.rsp = 100;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT);
	f.regs.rsp = 128 + 64;
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT);
	f.regs.rsp = RSP;
	f.in.sa_flags |= FX_SA_ONSTACK;
	f.in.altstack = (struct pm_stack){.ss_sp = ~0ull - 100, .ss_flags = 0, .ss_size = 0x8000};
	cr_assert_eq(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT);
}

/* Every field of the frame at its offset, as x64_setup_rt_frame writes it. */
PM_TEST(x86_64_frame, fill_writes_linux_bytes)
{
	struct fx f;
	const uint8_t *b;

	fx_init(&f, FX_SA_SIGINFO);
	f.in.altstack = (struct pm_stack){
	    .ss_sp = 0x20000, .ss_flags = FX_SS_AUTODISARM, .ss_size = 0x8000, .pad_ = 77};
	fx_build(&f);
	b = f.buf;
	cr_assert_eq(fx_u64(b, 0), RESTORE, "pretcode = sa_restorer");
	cr_assert_eq(fx_u64(b, FX_UC(uc_flags)), 7,
	             "FP_XSTATE | SIGCONTEXT_SS | STRICT_RESTORE_SS");
	cr_assert_eq(fx_u64(b, FX_UC(uc_link)), 0);
	cr_assert_eq(fx_u64(b, FX_UC(uc_stack.ss_sp)), 0x20000);
	cr_assert_eq(fx_u32(b, FX_UC(uc_stack.ss_flags)), 0x80000000u, "stored flags");
	cr_assert_eq(fx_u32(b, FX_UC(uc_stack.ss_flags) + 4), 0, "padding");
	cr_assert_eq(fx_u64(b, FX_UC(uc_stack.ss_size)), 0x8000);
	cr_assert_eq(fx_u64(b, FX_SC(r8)), f.regs.r8);
	cr_assert_eq(fx_u64(b, FX_SC(r15)), f.regs.r15);
	cr_assert_eq(fx_u64(b, FX_SC(rdi)), f.regs.rdi);
	cr_assert_eq(fx_u64(b, FX_SC(rsi)), f.regs.rsi);
	cr_assert_eq(fx_u64(b, FX_SC(rbp)), f.regs.rbp);
	cr_assert_eq(fx_u64(b, FX_SC(rbx)), f.regs.rbx);
	cr_assert_eq(fx_u64(b, FX_SC(rdx)), f.regs.rdx);
	cr_assert_eq(fx_u64(b, FX_SC(rax)), f.regs.rax);
	cr_assert_eq(fx_u64(b, FX_SC(rcx)), f.regs.rcx);
	cr_assert_eq(fx_u64(b, FX_SC(rsp)), RSP);
	cr_assert_eq(fx_u64(b, FX_SC(rip)), 0x401234);
	cr_assert_eq(fx_u64(b, FX_SC(eflags)), f.regs.eflags, "flags as interrupted");
	cr_assert_eq(fx_u16(b, FX_SC(cs)), 0x33);
	cr_assert_eq(fx_u16(b, FX_SC(gs)), 0);
	cr_assert_eq(fx_u16(b, FX_SC(fs)), 0);
	cr_assert_eq(fx_u16(b, FX_SC(ss)), 0x2b);
	cr_assert_eq(fx_u64(b, FX_SC(err)), 6);
	cr_assert_eq(fx_u64(b, FX_SC(trapno)), 14);
	cr_assert_eq(fx_u64(b, FX_SC(oldmask)), f.in.saved_mask);
	cr_assert_eq(fx_u64(b, FX_SC(cr2)), 0xdead000);
	cr_assert_eq(fx_u64(b, FX_SC(fpstate)), f.lay.fpstate);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(fx_u64(b, FX_SC(reserved1) + 8 * i), 0);
	cr_assert_eq(fx_u64(b, FX_UC(uc_sigmask)), f.in.saved_mask, "the mask as saved");
	/* copy_siginfo_to_user: 48 bytes, then zeros. */
	cr_assert_eq(memcmp(b + 312, &f.info, 48), 0);
	for (int i = 48; i < 128; i++)
		cr_assert_eq(b[312 + i], 0, "siginfo byte %d", i);
	for (uint64_t a = f.lay.frame + 440; a < f.lay.fpstate; a++)
		cr_assert_eq(b[a - f.lay.frame], 0, "alignment gap");
	free(f.buf);
}

/* copy_fpstate_to_sigframe + save_xstate_epilog: the image, software
 * bytes, header cleared beyond XSTATE_BV with x87|SSE set, magic2 after. */
PM_TEST(x86_64_frame, fill_writes_the_xsave_area)
{
	struct fx f;
	const uint8_t *fp;

	fx_init(&f, FX_SA_SIGINFO);
	fx_build(&f);
	fp = f.buf + (f.lay.fpstate - f.lay.frame);
	cr_assert_eq(memcmp(fp, f.image, 464), 0, "legacy area as saved");
	cr_assert_eq(fx_u32(fp, 464), PM_X86_64_FP_XSTATE_MAGIC1);
	cr_assert_eq(fx_u32(fp, 468), XSIZE + 4, "extended_size");
	cr_assert_eq(fx_u64(fp, 472), XFEAT, "xfeatures = user_xfeatures");
	cr_assert_eq(fx_u32(fp, 480), XSIZE, "xstate_size = user_size");
	for (int i = 484; i < 512; i++)
		cr_assert_eq(fp[i], 0, "sw_reserved padding");
	cr_assert_eq(fx_u64(fp, 512), 0x5 | 0x3, "XSTATE_BV with FP|SSE forced");
	for (int i = 520; i < 576; i++)
		cr_assert_eq(fp[i], 0, "XSAVE header beyond XSTATE_BV");
	cr_assert_eq(memcmp(fp + 576, f.image + 576, XSIZE - 576), 0, "components as saved");
	cr_assert_eq(fx_u32(fp, XSIZE), PM_X86_64_FP_XSTATE_MAGIC2);
	free(f.buf);
}

/* Without SA_SIGINFO Linux does not write the siginfo (we leave zeros);
 * rsi still points at it. */
PM_TEST(x86_64_frame, fill_without_sa_siginfo)
{
	struct fx f;

	fx_init(&f, 0);
	fx_build(&f);
	for (int i = 0; i < 128; i++)
		cr_assert_eq(f.buf[312 + i], 0);
	pm_arch_sigframe_enter(&f.regs, &f.in, &f.lay);
	cr_assert_eq(f.regs.rsi, f.lay.frame + 312);
	free(f.buf);
}

/* A CPU without XSAVE: 512-byte FXSAVE area, magic1 still written, no
 * magic2, no UC_FP_XSTATE. */
PM_TEST(x86_64_frame, fill_fxsave_only)
{
	struct fx f;
	const uint8_t *fp;

	fx_init(&f, FX_SA_SIGINFO);
	f.fpu = (struct pm_user_fpu){.xsave = false, .size = 512, .xfeatures = 3, .image = f.image};
	fx_build(&f);
	cr_assert_eq(f.lay.fpstate % 64, 0);
	cr_assert_eq(f.lay.size, f.lay.fpstate + 512 - f.lay.frame, "no magic2 word");
	fp = f.buf + (f.lay.fpstate - f.lay.frame);
	cr_assert_eq(fx_u64(f.buf, FX_UC(uc_flags)), 6);
	cr_assert_eq(fx_u32(fp, 464), PM_X86_64_FP_XSTATE_MAGIC1);
	cr_assert_eq(fx_u32(fp, 468), 516);
	cr_assert_eq(fx_u64(fp, 472), 3);
	cr_assert_eq(fx_u32(fp, 480), 512);
	free(f.buf);
}

/* Interrupted 32-bit code: no UC_STRICT_RESTORE_SS; a kernel without FP
 * management gets a frame with fpstate 0. */
PM_TEST(x86_64_frame, fill_compat_code_and_no_fpu)
{
	struct fx f;

	fx_init(&f, FX_SA_SIGINFO);
	f.regs.cs = PM_X86_64_USER32_CS;
	f.in.fpu = NULL;
	fx_build(&f);
	cr_assert_eq(f.lay.size, 440);
	cr_assert_eq(f.lay.fpstate, 0);
	cr_assert_eq(f.lay.frame, ((RSP - 128 - 440) & ~15ull) - 8);
	cr_assert_eq(fx_u64(f.buf, FX_UC(uc_flags)), PM_X86_64_UC_SIGCONTEXT_SS);
	cr_assert_eq(fx_u64(f.buf, FX_SC(fpstate)), 0);
	cr_assert_eq(fx_u16(f.buf, FX_SC(cs)), 0x23);
	free(f.buf);
}

/* x64_setup_rt_frame + handle_signal: the handler's registers. */
PM_TEST(x86_64_frame, enter_sets_the_handler_registers)
{
	struct fx f;
	struct pm_user_regs before;

	fx_init(&f, FX_SA_SIGINFO);
	f.regs.ss = 0x18; /* not a valid user stack selector */
	f.regs.eflags |= PM_X86_64_EFLAGS_RF;
	fx_build(&f);
	before = f.regs;
	pm_arch_sigframe_enter(&f.regs, &f.in, &f.lay);
	cr_assert_eq(f.regs.rdi, 10);
	cr_assert_eq(f.regs.rsi, f.lay.frame + 312, "&frame->info");
	cr_assert_eq(f.regs.rdx, f.lay.frame + 8, "&frame->uc");
	cr_assert_eq(f.regs.rax, 0);
	cr_assert_eq(f.regs.rsp, f.lay.frame);
	cr_assert_eq(f.regs.rip, HANDLER);
	cr_assert_eq(f.regs.cs, 0x33);
	cr_assert_eq(f.regs.ss, 0x2b, "force_valid_ss");
	cr_assert_eq(f.regs.eflags,
	             before.eflags &
	                 ~(PM_X86_64_EFLAGS_DF | PM_X86_64_EFLAGS_RF | PM_X86_64_EFLAGS_TF),
	             "DF, RF, TF cleared; AC and the arithmetic flags kept");
	cr_assert_eq(f.regs.rbx, before.rbx, "other registers keep their values");
	cr_assert_eq(f.regs.r15, before.r15);
	cr_assert_eq(f.regs.orig_rax, before.orig_rax);
	cr_assert_eq(f.regs.fs_base, before.fs_base);
	free(f.buf);
}
