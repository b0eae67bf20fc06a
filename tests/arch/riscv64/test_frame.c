/*
 * riscv64 rt_sigframe (arch/riscv/kernel/signal.c): placement
 * (get_sigframe), bytes (setup_rt_frame, setup_sigcontext, save_v_state),
 * handler entry, and rt_sigreturn (restore_sigcontext, __restore_v_state)
 * of built and of forged frames.
 */
#include <stdlib.h>

#include "rv_test.h"

#define SP      0x3ffffff238ull
#define HANDLER 0x10400ull
#define TRAMP   0x3fff7fe800ull
#define VLENB   32
#define V_SC    (8 + 48 + 32 * VLENB)
#define HDR_OFF 1080
#define RES_OFF 1076

struct fx {
	struct pm_user_regs regs;
	struct pm_siginfo info;
	struct pm_riscv64_d_ext_state fstate;
	struct pm_riscv64_v_ext_state vcsr;
	uint8_t vregs[32 * VLENB];
	struct pm_user_fpu fpu;
	struct pm_sigframe_in in;
	struct pm_sigframe_layout lay;
	uint8_t *buf;
};

static void fx_init(struct fx *f, uint64_t sa_flags, int with_v)
{
	uint64_t *w = (uint64_t *)&f->regs;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(f->regs) / 8; i++)
		w[i] = 0x0101010101010101ull * (i + 1);
	f->regs.sp = SP;
	f->regs.pc = 0x10234;
	f->regs.status = PM_RISCV64_SR_SPIE | PM_RISCV64_SR_FS_INITIAL | PM_RISCV64_SR_UXL_64 |
	                 (with_v ? 0x200ull : 0); /* VS = Initial */
	f->regs.cause = PM_RISCV64_EXC_SYSCALL;
	memset(&f->info, 0xa5, sizeof(f->info));
	f->info.si_signo = 10;
	f->info.si_errno = 0;
	f->info.si_code = -6;
	f->info.pad0_ = 0;
	f->info.u.kill.pid = 4242;
	f->info.u.kill.uid = 1000;
	memset(f->info.u.pad_ + 8, 0, 24);
	for (int i = 0; i < 32; i++)
		f->fstate.f[i] = 0x4000000000000000ull + (uint64_t)i;
	f->fstate.fcsr = 0x41;
	f->fstate.pad_ = 0xdeadbeef;
	f->vcsr = (struct pm_riscv64_v_ext_state){
	    .vstart = 1, .vl = 2, .vtype = 3, .vcsr = 4, .vlenb = 999, .datap = 777};
	for (int i = 0; i < 32 * VLENB; i++)
		f->vregs[i] = (uint8_t)(i * 13 + 1);
	f->fpu = (struct pm_user_fpu){
	    .fstate = &f->fstate, .vlenb = VLENB, .vcsr = &f->vcsr, .vregs = f->vregs};
	f->in = (struct pm_sigframe_in){
	    .signo = 10,
	    .info = &f->info,
	    .sa_flags = sa_flags,
	    .handler = HANDLER,
	    .sigreturn_trampoline = TRAMP,
	    .saved_mask = (1ull << 1) | (1ull << 8) | (1ull << 18) | (1ull << 40),
	    .altstack = {.ss_sp = 0, .ss_flags = RV_SS_DISABLE, .ss_size = 0},
	    .fpu = &f->fpu,
	};
}

static void fx_build(struct fx *f)
{
	RV_EQ(pm_arch_sigframe_layout(&f->regs, &f->in, &f->lay), 0);
	f->buf = malloc(f->lay.size);
	memset(f->buf, 0x5a, f->lay.size);
	RV_EQ(pm_arch_sigframe_fill(&f->regs, &f->in, &f->lay, f->buf), 0);
}

/* get_sigframe: no red zone, 16-byte aligned, the frame size rounded up. */
static void layout_below_sp(void)
{
	struct fx f;

	fx_init(&f, 0, 0);
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	RV_EQ(f.lay.frame, (SP - 1088) & ~15ull);
	RV_EQ(f.lay.size, 1088);
	RV_EQ(f.lay.fpstate, 0);
	fx_init(&f, 0, 1);
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	RV_EQ(f.lay.size, (1088 + V_SC + 15) & ~15);
	RV_EQ(f.lay.frame, (SP - f.lay.size) & ~15ull);
}

static void layout_alternate_stack(void)
{
	struct fx f;

	fx_init(&f, RV_SA_ONSTACK, 0);
	f.in.altstack = (struct pm_stack){.ss_sp = 0x20000, .ss_flags = 0, .ss_size = 0x8000};
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	RV_EQ(f.lay.frame, 0x28000 - 1088);
	/* Nested: stay, and refuse to overflow (checked only when already on it). */
	f.regs.sp = 0x24000;
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	RV_EQ(f.lay.frame, 0x24000 - 1088);
	f.regs.sp = 0x20200;
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT);
	f.in.sa_flags = 0;
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT);
	/* Entering a stack smaller than the frame is not checked by riscv's
	 * get_sigframe: the frame runs below it, as in Linux. */
	f.in.sa_flags = RV_SA_ONSTACK;
	f.regs.sp = SP;
	f.in.altstack.ss_size = 512;
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	RV_EQ(f.lay.frame, (0x20200 - 1088) & ~15ull);
	/* SS_AUTODISARM: never "on" it, so a nested signal restarts at the top. */
	f.in.altstack =
	    (struct pm_stack){.ss_sp = 0x20000, .ss_flags = RV_SS_AUTODISARM, .ss_size = 0x8000};
	f.regs.sp = 0x20200;
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), 0);
	RV_EQ(f.lay.frame, 0x28000 - 1088);
	/* Wrap-around is a fault. */
	f.regs.sp = 1000;
	f.in.sa_flags = 0;
	RV_EQ(pm_arch_sigframe_layout(&f.regs, &f.in, &f.lay), -PM_EFAULT);
}

/* setup_rt_frame + setup_sigcontext, field by field. */
static void fill_writes_linux_bytes(void)
{
	struct fx f;
	const uint8_t *b;

	fx_init(&f, 0, 0);
	f.in.altstack = (struct pm_stack){
	    .ss_sp = 0x20000, .ss_flags = RV_SS_AUTODISARM, .pad_ = 9, .ss_size = 0x8000};
	fx_build(&f);
	b = f.buf;
	RV_CHECK(memcmp(b, &f.info, 48) == 0); /* siginfo even without SA_SIGINFO */
	for (int i = 48; i < 128; i++)
		RV_EQ(b[i], 0);
	RV_EQ(rv_u64(b, 128), 0); /* uc_flags */
	RV_EQ(rv_u64(b, 136), 0); /* uc_link */
	RV_EQ(rv_u64(b, 144), 0x20000);
	RV_EQ(rv_u32(b, 152), 0x80000000u);
	RV_EQ(rv_u32(b, 156), 0);
	RV_EQ(rv_u64(b, 160), 0x8000);
	RV_EQ(rv_u64(b, 168), f.in.saved_mask);
	for (int i = 176; i < 304; i++)
		RV_EQ(b[i], 0);
	RV_CHECK(memcmp(b + 304, &f.regs, 256) == 0); /* sc_regs = head of pt_regs */
	RV_EQ(rv_u64(b, 304), 0x10234);               /* pc first */
	RV_CHECK(memcmp(b + 560, f.fstate.f, 256) == 0);
	RV_EQ(rv_u32(b, 816), 0x41);
	RV_EQ(rv_u32(b, 820), 0);
	for (int i = 824; i < RES_OFF; i++)
		RV_EQ(b[i], 0);
	RV_EQ(rv_u32(b, RES_OFF), 0);
	RV_EQ(rv_u64(b, HDR_OFF), 0); /* END {0, 0} */
	free(f.buf);
}

/* save_v_state: header, CSRs, datap just after them, the registers, END. */
static void fill_writes_live_vector_state(void)
{
	struct fx f;
	const uint8_t *b;

	fx_init(&f, 0, 1);
	fx_build(&f);
	b = f.buf;
	RV_EQ(rv_u32(b, HDR_OFF), PM_RISCV64_V_MAGIC);
	RV_EQ(rv_u32(b, HDR_OFF + 4), V_SC);
	RV_EQ(rv_u64(b, 1088), 1);
	RV_EQ(rv_u64(b, 1096), 2);
	RV_EQ(rv_u64(b, 1104), 3);
	RV_EQ(rv_u64(b, 1112), 4);
	RV_EQ(rv_u64(b, 1120), VLENB);
	RV_EQ(rv_u64(b, 1128), f.lay.frame + 1136);
	RV_CHECK(memcmp(b + 1136, f.vregs, 32 * VLENB) == 0);
	RV_EQ(rv_u64(b, HDR_OFF + V_SC), 0);
	RV_CHECK(HDR_OFF + V_SC + 8 <= f.lay.size);
	free(f.buf);

	/* V present but not live: no vector state. */
	fx_init(&f, 0, 0);
	fx_build(&f);
	RV_EQ(f.lay.size, 1088);
	RV_EQ(rv_u64(f.buf, HDR_OFF), 0);
	free(f.buf);
}

/* No FPU: the F/D area stays zero. */
static void fill_without_fpu(void)
{
	struct fx f;

	fx_init(&f, 0, 0);
	f.fpu.fstate = NULL;
	fx_build(&f);
	for (int i = 560; i < 1088; i++)
		RV_EQ(f.buf[i], 0);
	free(f.buf);
}

static void enter_sets_handler_registers(void)
{
	struct fx f;
	struct pm_user_regs before;

	fx_init(&f, RV_SA_SIGINFO, 0);
	fx_build(&f);
	before = f.regs;
	pm_arch_sigframe_enter(&f.regs, &f.in, &f.lay);
	RV_EQ(f.regs.pc, HANDLER);
	RV_EQ(f.regs.sp, f.lay.frame);
	RV_EQ(f.regs.a0, 10);
	RV_EQ(f.regs.a1, f.lay.frame);
	RV_EQ(f.regs.a2, f.lay.frame + 128);
	RV_EQ(f.regs.ra, TRAMP);
	RV_EQ(f.regs.s0, before.s0);
	RV_EQ(f.regs.a3, before.a3);
	RV_EQ(f.regs.tp, before.tp);
	RV_EQ(f.regs.status, before.status);
	free(f.buf);
}

/* Deliver then return: the handler left sp at the frame. */
static void deliver(struct fx *f, int with_v)
{
	fx_init(f, RV_SA_SIGINFO, with_v);
	fx_build(f);
	pm_arch_sigframe_enter(&f->regs, &f->in, &f->lay);
	f->regs.a7 = 139;
	f->regs.cause = PM_RISCV64_EXC_SYSCALL;
}

static int sigreturn(struct fx *f, struct pm_sigreturn_out *out, struct pm_user_fpu_restore *fr)
{
	pm_uaddr_t at;
	size_t n = pm_arch_sigreturn_frame(&f->regs, &f->fpu, &at);

	RV_EQ(at, f->lay.frame);
	RV_EQ(n, f->lay.size);
	return pm_arch_sigreturn_restore(&f->regs, &f->fpu, f->buf, n, out, fr);
}

static void round_trip(void)
{
	struct fx f, orig;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint64_t all = ~0ull;

	fx_init(&orig, RV_SA_SIGINFO, 1);
	deliver(&f, 1);
	memcpy(f.buf + 168, &all, 8);
	RV_EQ(sigreturn(&f, &out, &fr), 0);
	RV_CHECK(memcmp(&f.regs, &orig.regs, 256) == 0);
	RV_EQ(f.regs.cause, (uint64_t)-1);
	RV_EQ(f.regs.status, orig.regs.status);
	RV_EQ(out.mask, ~((1ull << 8) | (1ull << 18)));
	RV_EQ(out.altstack.ss_flags, RV_SS_DISABLE);
	RV_EQ(out.altstack_sp, SP);
	RV_CHECK(fr.fstate_valid);
	RV_CHECK(memcmp(fr.fstate.f, orig.fstate.f, 256) == 0);
	RV_EQ(fr.fstate.fcsr, 0x41);
	RV_CHECK(fr.v_valid);
	RV_EQ(fr.vcsr.vl, 2);
	RV_EQ(fr.vcsr.vlenb, VLENB);
	RV_EQ(out.ext, f.lay.frame + 1136);
	RV_EQ(out.ext_size, 32 * VLENB);
	RV_EQ(pm_arch_sigreturn_fpu(&f.fpu, f.buf + 1136, out.ext_size, &fr), 0);
	RV_CHECK(fr.vregs == f.buf + 1136);
	RV_EQ(pm_arch_sigreturn_fpu(&f.fpu, f.buf + 1136, out.ext_size - 1, &fr), -PM_EFAULT);
	free(f.buf);

	/* Without live vector state nothing is left to read. */
	deliver(&f, 0);
	RV_EQ(sigreturn(&f, &out, &fr), 0);
	RV_CHECK(!fr.v_valid);
	RV_EQ(out.ext, 0);
	RV_EQ(pm_arch_sigreturn_fpu(&f.fpu, f.buf, 4096, &fr), -PM_EINVAL);
	free(f.buf);
}

/* restore_sigcontext refuses: reserved word set, END with a size, unknown
 * magic, vector state the thread does not have or of the wrong size; and
 * procmgr a chain leaving the frame or a NULL datap. Nothing changes. */
static void forged_frames_are_refused(void)
{
	static const struct {
		size_t off;
		uint32_t val;
		int v;
	} bad[] = {
	    {RES_OFF, 1, 0},        {HDR_OFF + 4, 8, 0},
	    {HDR_OFF, 0x1234, 0},   {HDR_OFF + 4, V_SC + 8, 1},
	    {HDR_OFF + 4, 4096, 1}, {1128, 0, 1},
	};
	struct fx f;
	struct pm_sigreturn_out out = {.mask = 5};
	struct pm_user_fpu_restore fr = {.fstate_valid = false};
	struct pm_user_regs saved;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		deliver(&f, bad[i].v);
		if (bad[i].off == 1128) /* datap = NULL */
			memset(f.buf + 1128, 0, 8);
		else
			memcpy(f.buf + bad[i].off, &bad[i].val, 4);
		saved = f.regs;
		RV_EQ(sigreturn(&f, &out, &fr), -PM_EINVAL);
		RV_CHECK(memcmp(&saved, &f.regs, sizeof(saved)) == 0);
		RV_EQ(out.mask, 5);
		RV_CHECK(!fr.fstate_valid);
		free(f.buf);
	}

	/* A second vector header in place of END leads out of the frame. */
	deliver(&f, 1);
	{
		uint32_t hdr[2] = {PM_RISCV64_V_MAGIC, V_SC};

		memcpy(f.buf + HDR_OFF + V_SC, hdr, 8);
	}
	RV_EQ(sigreturn(&f, &out, &fr), -PM_EINVAL);
	free(f.buf);

	/* A vector header when the thread's vector state is not live. */
	deliver(&f, 1);
	f.regs.status &= ~PM_RISCV64_SR_VS;
	{
		pm_uaddr_t at;
		size_t n = pm_arch_sigreturn_frame(&f.regs, &f.fpu, &at);

		RV_EQ(n, 1088);
		RV_EQ(pm_arch_sigreturn_restore(&f.regs, &f.fpu, f.buf, f.lay.size, &out, &fr),
		      -PM_EINVAL);
	}
	free(f.buf);

	/* Short reads are faults. */
	deliver(&f, 0);
	RV_EQ(pm_arch_sigreturn_restore(&f.regs, &f.fpu, f.buf, 1087, &out, &fr), -PM_EFAULT);
	free(f.buf);
}

/* The frame restores user_regs_struct only: status (privilege, FS, VS)
 * is never taken from it. */
static void status_is_not_restored(void)
{
	struct fx f;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	uint64_t status;

	deliver(&f, 0);
	status = f.regs.status;
	memset(f.buf + 304 + 256, 0xff, 8); /* where a status word would follow */
	RV_EQ(sigreturn(&f, &out, &fr), 0);
	RV_EQ(f.regs.status, status);
	free(f.buf);
}

const struct rv_test rv_frame_tests[] = {
    {"frame: layout below sp", layout_below_sp},
    {"frame: layout on the alternate stack", layout_alternate_stack},
    {"frame: fill writes Linux's bytes", fill_writes_linux_bytes},
    {"frame: fill writes live vector state", fill_writes_live_vector_state},
    {"frame: fill without an FPU", fill_without_fpu},
    {"frame: enter sets the handler registers", enter_sets_handler_registers},
    {"sigreturn: round trip", round_trip},
    {"sigreturn: forged frames are refused", forged_frames_are_refused},
    {"sigreturn: status is never restored", status_is_not_restored},
    {NULL, NULL},
};
