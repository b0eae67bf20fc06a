/*
 * x86_64 rt_sigreturn (arch/x86/kernel/signal_64.c sys_rt_sigreturn,
 * restore_sigcontext; fpu/signal.c __fpu_restore_sig): a frame built for
 * known registers comes back as the same state, and forged frames are
 * refused or neutralised.
 */
#include <stdlib.h>

#include "pm_test.h"
#include "x86_64_fixture.h"

TestSuite(x86_64_sigreturn, .init = pm_test_setup);

#define XSIZE 832
#define XFEAT 0x7ull
#define RSP   0x7ffe0000a238ull

struct rt {
	struct pm_user_regs orig, regs;
	struct pm_siginfo info;
	uint8_t image[1024];
	struct pm_user_fpu fpu;
	struct pm_sigframe_in in;
	struct pm_sigframe_layout lay;
	uint8_t *buf; /* the "user memory" from lay.frame */
};

/* Deliver: build the frame and enter the handler, whose `ret` to the
 * restorer leaves rsp = frame + 8 at the rt_sigreturn system call. */
static void rt_deliver(struct rt *t, uint64_t sa_flags)
{
	memset(t, 0, sizeof(*t));
	fx_regs(&t->orig, RSP);
	fx_siginfo(&t->info, 12);
	fx_image(t->image, XSIZE, 0x7);
	t->fpu = (struct pm_user_fpu){
	    .xsave = true, .size = XSIZE, .xfeatures = XFEAT, .image = t->image};
	t->in = (struct pm_sigframe_in){
	    .signo = 12,
	    .info = &t->info,
	    .sa_flags = sa_flags | FX_SA_RESTORER | FX_SA_SIGINFO,
	    .handler = 0x401000,
	    .restorer = 0x402000,
	    .saved_mask = (1ull << 4) | (1ull << 63),
	    .altstack = {.ss_sp = 0x30000, .ss_flags = 0, .ss_size = 0x10000},
	    .fpu = &t->fpu,
	};
	cr_assert_eq(pm_arch_sigframe_layout(&t->orig, &t->in, &t->lay), 0);
	t->buf = malloc(t->lay.size);
	cr_assert_eq(pm_arch_sigframe_fill(&t->orig, &t->in, &t->lay, t->buf), 0);
	t->regs = t->orig;
	pm_arch_sigframe_enter(&t->regs, &t->in, &t->lay);
	t->regs.rsp += 8;
	t->regs.orig_rax = 15;
	t->regs.rax = 15;
}

static int rt_restore(struct rt *t, struct pm_sigreturn_out *out, struct pm_user_fpu_restore *fr)
{
	pm_uaddr_t at;
	size_t n = pm_arch_sigreturn_frame(&t->regs, &t->fpu, &at);

	cr_assert_eq(at, t->lay.frame, "the frame is at rsp - 8");
	cr_assert_eq(n, 440);
	return pm_arch_sigreturn_restore(&t->regs, &t->fpu, t->buf, n, out, fr);
}

PM_TEST(x86_64_sigreturn, round_trip_restores_the_interrupted_state)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	struct pm_user_regs want;
	uint64_t at_call_rsp;

	rt_deliver(&t, 0);
	at_call_rsp = t.regs.rsp;
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	want = t.orig;
	want.orig_rax = (uint64_t)-1; /* "disable syscall checks" */
	cr_assert_eq(memcmp(&t.regs, &want, sizeof(want)), 0, "every register back");
	cr_assert_eq(out.mask, (1ull << 4) | (1ull << 63));
	cr_assert_eq(out.altstack.ss_sp, 0x30000);
	cr_assert_eq(out.altstack.ss_size, 0x10000);
	cr_assert_eq(out.altstack.ss_flags, 0);
	cr_assert_eq(out.altstack_sp, at_call_rsp, "restore_altstack runs before the registers");
	cr_assert_eq(fr.how, PM_X86_64_FPU_PENDING);
	cr_assert_eq(out.ext, t.lay.fpstate);
	cr_assert_eq(out.ext_size, XSIZE + 4);

	cr_assert_eq(
	    pm_arch_sigreturn_fpu(&t.fpu, t.buf + (out.ext - t.lay.frame), out.ext_size, &fr), 0);
	cr_assert_eq(fr.how, PM_X86_64_FPU_XRSTOR);
	cr_assert_eq(fr.xrestore, XFEAT);
	cr_assert_eq(fr.init, 0);
	cr_assert_eq(fr.image, t.buf + (out.ext - t.lay.frame));
	cr_assert_eq(memcmp((const uint8_t *)fr.image + 576, t.image + 576, XSIZE - 576), 0,
	             "the components to reload are the ones saved");
	free(t.buf);
}

/* set_current_blocked(): SIGKILL and SIGSTOP never come back blocked. */
PM_TEST(x86_64_sigreturn, mask_drops_sigkill_and_sigstop)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint64_t all = ~0ull;

	rt_deliver(&t, 0);
	memcpy(t.buf + FX_UC(uc_sigmask), &all, 8);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(out.mask, ~((1ull << 8) | (1ull << 18)));
	free(t.buf);
}

/* restore_sigcontext(): cs and ss forced to RPL 3, only FIX_EFLAGS from
 * the frame: a forged IOPL, IF, NT or VM does not reach the registers. */
PM_TEST(x86_64_sigreturn, flags_and_rpl_cannot_be_forged)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint64_t forged = 0x3000 | 0x4000 | 0x20000 | 0x80000 | 0x100000 | 0xcd5;
	uint16_t cs = 0x30, ss = 0x28;
	uint64_t before;

	rt_deliver(&t, 0);
	memcpy(t.buf + FX_SC(eflags), &forged, 8);
	memcpy(t.buf + FX_SC(cs), &cs, 2);
	memcpy(t.buf + FX_SC(ss), &ss, 2);
	before = t.regs.eflags;
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(t.regs.eflags, (before & ~0x50dd5ull) | (forged & 0x50dd5ull));
	cr_assert_eq(t.regs.eflags & 0x3000, 0, "IOPL stays 0");
	cr_assert_eq(t.regs.eflags & PM_X86_64_EFLAGS_IF, PM_X86_64_EFLAGS_IF, "IF stays set");
	cr_assert_eq(t.regs.eflags & 0x20000, 0, "no virtual-8086 mode");
	cr_assert_eq(t.regs.cs, 0x33, "cs | 3");
	cr_assert_eq(t.regs.ss, 0x2b, "ss | 3");
	free(t.buf);
}

/* A kernel code or data selector would fault on IRET (Linux then sends
 * SIGSEGV): refused, registers untouched. */
PM_TEST(x86_64_sigreturn, kernel_selectors_are_refused)
{
	static const uint16_t bad_cs[] = {0x10, 0x08, 0x2b, 0x40, 0};
	struct rt t;
	struct pm_sigreturn_out out = {.mask = 77};
	struct pm_user_fpu_restore fr = {.xrestore = 99};
	struct pm_user_regs saved;

	for (size_t i = 0; i < PM_ARRAY_SIZE(bad_cs); i++) {
		rt_deliver(&t, 0);
		memcpy(t.buf + FX_SC(cs), &bad_cs[i], 2);
		saved = t.regs;
		cr_assert_eq(rt_restore(&t, &out, &fr), -PM_EINVAL, "cs %#x", bad_cs[i]);
		cr_assert_eq(memcmp(&t.regs, &saved, sizeof(saved)), 0, "registers untouched");
		cr_assert_eq(out.mask, 77, "outputs untouched");
		cr_assert_eq(fr.xrestore, 99);
		free(t.buf);
	}
	/* A 32-bit user cs is legitimate. */
	rt_deliver(&t, 0);
	memcpy(t.buf + FX_SC(cs), &(uint16_t){0x23}, 2);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(t.regs.cs, 0x23);
	free(t.buf);
}

/* With UC_STRICT_RESTORE_SS a bad ss is refused; without it (old DOSEMU,
 * CRIU frames) 64-bit code gets __USER_DS (force_valid_ss). */
PM_TEST(x86_64_sigreturn, stack_selector_fixup)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint16_t ss = 0x10;
	uint64_t flags = PM_X86_64_UC_SIGCONTEXT_SS | PM_X86_64_UC_FP_XSTATE;

	rt_deliver(&t, 0);
	memcpy(t.buf + FX_SC(ss), &ss, 2);
	cr_assert_eq(rt_restore(&t, &out, &fr), -PM_EINVAL);
	memcpy(t.buf + FX_UC(uc_flags), &flags, 8);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(t.regs.ss, 0x2b);
	free(t.buf);

	/* 32-bit code is not fixed up: the bad ss is refused. */
	rt_deliver(&t, 0);
	memcpy(t.buf + FX_SC(ss), &ss, 2);
	memcpy(t.buf + FX_UC(uc_flags), &flags, 8);
	memcpy(t.buf + FX_SC(cs), &(uint16_t){0x23}, 2);
	cr_assert_eq(rt_restore(&t, &out, &fr), -PM_EINVAL);
	free(t.buf);
}

PM_TEST(x86_64_sigreturn, short_reads_are_faults)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;

	rt_deliver(&t, 0);
	cr_assert_eq(pm_arch_sigreturn_restore(&t.regs, &t.fpu, t.buf, 439, &out, &fr), -PM_EFAULT);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, t.buf + (out.ext - t.lay.frame), XSIZE + 3, &fr),
	             -PM_EFAULT);
	free(t.buf);
}

/* check_xstate_in_sigframe(): without both magics only the legacy area
 * comes back (FXRSTOR) and every other feature is reset to init. */
PM_TEST(x86_64_sigreturn, missing_magic_restores_the_legacy_area_only)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint8_t *fp;

	for (int which = 0; which < 2; which++) {
		rt_deliver(&t, 0);
		cr_assert_eq(rt_restore(&t, &out, &fr), 0);
		fp = t.buf + (out.ext - t.lay.frame);
		fp[which ? XSIZE : 464] ^= 1;
		cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, fp, out.ext_size, &fr), 0);
		cr_assert_eq(fr.how, PM_X86_64_FPU_FXRSTOR, "magic%d", which + 1);
		cr_assert_eq(fr.xrestore, 3);
		cr_assert_eq(fr.init, XFEAT & ~3ull);
		free(t.buf);
	}
}

/* restore_fpregs_from_user(): "Restore enabled features only." */
PM_TEST(x86_64_sigreturn, frame_features_are_limited_to_the_threads)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint64_t feat = 0x2e5; /* x87, AVX, opmask, ..., PKRU; no SSE */
	uint8_t *fp;

	rt_deliver(&t, 0);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	fp = t.buf + (out.ext - t.lay.frame);
	memcpy(fp + 472, &feat, 8);
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, fp, out.ext_size, &fr), 0);
	cr_assert_eq(fr.how, PM_X86_64_FPU_XRSTOR);
	cr_assert_eq(fr.xrestore, 0x5);
	cr_assert_eq(fr.init, 0x2, "SSE, left out by the frame, goes back to init");
	free(t.buf);
}

/* XRSTOR needs 64-byte alignment, FXRSTOR 16: Linux's restore faults,
 * which is SIGSEGV. */
PM_TEST(x86_64_sigreturn, misaligned_fp_area_is_refused)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint64_t moved;
	uint8_t *fp;

	rt_deliver(&t, 0);
	moved = t.lay.fpstate + 16;
	memcpy(t.buf + FX_SC(fpstate), &moved, 8);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(out.ext, moved);
	fp = t.buf + (t.lay.fpstate - t.lay.frame);
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, fp, out.ext_size, &fr), -PM_EINVAL);
	/* The same area without the magics goes through FXRSTOR: 16 is enough. */
	fp[464] = 0;
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, fp, out.ext_size, &fr), 0);
	cr_assert_eq(fr.how, PM_X86_64_FPU_FXRSTOR);
	moved += 8;
	memcpy(t.buf + FX_SC(fpstate), &moved, 8);
	t.regs.rsp = t.lay.frame + 8;
	t.regs.cs = 0x33;
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, fp, out.ext_size, &fr), -PM_EINVAL);
	free(t.buf);
}

/* fpu__restore_sig(NULL): no FP area means "reset to init". */
PM_TEST(x86_64_sigreturn, null_fpstate_resets_the_fpu)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;

	rt_deliver(&t, 0);
	memset(t.buf + FX_SC(fpstate), 0, 8);
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(fr.how, PM_X86_64_FPU_INIT);
	cr_assert_eq(out.ext, 0);
	cr_assert_eq(out.ext_size, 0);
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, t.buf, 4096, &fr), -PM_EINVAL,
	             "nothing pending");
	free(t.buf);
}

/* Without XSAVE: FXRSTOR of 512 bytes, x87|SSE, nothing else to reset. */
PM_TEST(x86_64_sigreturn, fxsave_only_cpu)
{
	struct rt t;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;

	rt_deliver(&t, 0);
	free(t.buf);
	t.fpu = (struct pm_user_fpu){.xsave = false, .size = 512, .xfeatures = 3, .image = t.image};
	cr_assert_eq(pm_arch_sigframe_layout(&t.orig, &t.in, &t.lay), 0);
	t.buf = malloc(t.lay.size);
	cr_assert_eq(pm_arch_sigframe_fill(&t.orig, &t.in, &t.lay, t.buf), 0);
	t.regs = t.orig;
	pm_arch_sigframe_enter(&t.regs, &t.in, &t.lay);
	t.regs.rsp += 8;
	cr_assert_eq(rt_restore(&t, &out, &fr), 0);
	cr_assert_eq(out.ext_size, 512);
	cr_assert_eq(pm_arch_sigreturn_fpu(&t.fpu, t.buf + (out.ext - t.lay.frame), 512, &fr), 0);
	cr_assert_eq(fr.how, PM_X86_64_FPU_FXRSTOR);
	cr_assert_eq(fr.xrestore, 3);
	cr_assert_eq(fr.init, 0);
	free(t.buf);
}
