/*
 * The running Linux kernel as the reference: deliver a real signal to a
 * real handler, capture the rt_sigframe (and FP area) the kernel wrote and
 * the registers it set, then ask the port for the frame of the same state
 * (same registers, mask, siginfo, alternate stack and XSAVE image) and
 * compare field by field. Only bytes Linux leaves untouched (stack
 * garbage) are skipped. The XSAVE geometry fed to the port comes from
 * CPUID, as a kernel's FPU code would compute it, not from the frame.
 */
#include <cpuid.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "pm_test.h"
#include "x86_64_fixture.h"

TestSuite(x86_64_real, .init = pm_test_setup);

#define FP_MAX 16384

void pm_test_sig_entry(int sig, siginfo_t *si, void *ctx);
void pm_test_real_handler(int sig, siginfo_t *si, void *ctx);
uint64_t pm_test_sig_regs[8];

static uint8_t real_frame[440];
static uint8_t real_fp[FP_MAX + 4];
static uint64_t real_frame_addr;
static size_t real_fp_size;

/* The C half of the handler: copy what the kernel wrote. */
void pm_test_real_handler(int sig, siginfo_t *si, void *ctx)
{
	const uint8_t *frame = (const uint8_t *)ctx - 8;
	const uint8_t *fp;
	uint64_t fpstate;
	uint32_t xstate_size;

	(void)sig;
	(void)si;
	real_frame_addr = (uint64_t)(uintptr_t)frame;
	memcpy(real_frame, frame, sizeof(real_frame));
	memcpy(&fpstate, frame + FX_SC(fpstate), 8);
	fp = (const uint8_t *)(uintptr_t)fpstate;
	memcpy(&xstate_size, fp + 480, 4);
	real_fp_size = xstate_size + 4 <= FP_MAX ? xstate_size + 4 : 0;
	memcpy(real_fp, fp, real_fp_size);
}

/* What the kernel's FPU code knows: XSAVE in use, the user features
 * (XCR0 without the dynamic AMX tile data a process must ask for) and the
 * standard-format size that covers them. */
static struct pm_user_fpu cpu_fpu(void)
{
	struct pm_user_fpu fpu = {.xsave = true, .size = 576};
	unsigned int a, b, c, d, lo, hi;

	__cpuid(1, a, b, c, d);
	cr_assert(c & (1u << 27), "this test needs OSXSAVE");
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	fpu.xfeatures = ((uint64_t)hi << 32 | lo) & ~(1ull << 18);
	for (unsigned int i = 2; i < 63; i++) {
		if (!(fpu.xfeatures & (1ull << i)))
			continue;
		__cpuid_count(0xd, i, a, b, c, d);
		if (a + b > fpu.size)
			fpu.size = a + b;
	}
	return fpu;
}

/* The interrupted context, as the frame's sigcontext records it. */
static void regs_from_frame(struct pm_user_regs *r, const uint8_t *f)
{
	memset(r, 0, sizeof(*r));
	r->r8 = fx_u64(f, FX_SC(r8));
	r->r9 = fx_u64(f, FX_SC(r9));
	r->r10 = fx_u64(f, FX_SC(r10));
	r->r11 = fx_u64(f, FX_SC(r11));
	r->r12 = fx_u64(f, FX_SC(r12));
	r->r13 = fx_u64(f, FX_SC(r13));
	r->r14 = fx_u64(f, FX_SC(r14));
	r->r15 = fx_u64(f, FX_SC(r15));
	r->rdi = fx_u64(f, FX_SC(rdi));
	r->rsi = fx_u64(f, FX_SC(rsi));
	r->rbp = fx_u64(f, FX_SC(rbp));
	r->rbx = fx_u64(f, FX_SC(rbx));
	r->rdx = fx_u64(f, FX_SC(rdx));
	r->rax = fx_u64(f, FX_SC(rax));
	r->rcx = fx_u64(f, FX_SC(rcx));
	r->rsp = fx_u64(f, FX_SC(rsp));
	r->rip = fx_u64(f, FX_SC(rip));
	r->eflags = fx_u64(f, FX_SC(eflags));
	r->cs = fx_u16(f, FX_SC(cs));
	r->ss = fx_u16(f, FX_SC(ss));
	r->error_code = fx_u64(f, FX_SC(err));
	r->trap_nr = fx_u64(f, FX_SC(trapno));
	r->cr2 = fx_u64(f, FX_SC(cr2));
	r->orig_rax = SYS_tgkill;
}

struct real_case {
	uint64_t sa_flags;      /* beyond what glibc adds */
	int alt;                /* 0: never set, 1: set, 2: set FX_SS_AUTODISARM, 3: SS_DISABLE */
	struct pm_stack stored; /* the sigaltstack as the kernel stores it */
};

static void *alt_mem;

static void set_altstack(struct real_case *c)
{
	stack_t ss = {.ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0};

	if (c->alt == 0) {
		/* Whatever is there (ASan installs one): stored flags are the
		 * requested ones, which a query returns beside a computed
		 * SS_ONSTACK or SS_DISABLE; a never-set stack stores 0. */
		cr_assert_eq(sigaltstack(NULL, &ss), 0);
		c->stored = (struct pm_stack){(uint64_t)(uintptr_t)ss.ss_sp,
		                              ss.ss_size ? ss.ss_flags & FX_SS_AUTODISARM : 0, 0,
		                              ss.ss_size};
		return;
	}
	if (c->alt != 3) {
		alt_mem = malloc(65536);
		ss = (stack_t){.ss_sp = alt_mem,
		               .ss_flags = c->alt == 2 ? FX_SS_AUTODISARM : 0,
		               .ss_size = 65536};
	}
	cr_assert_eq(sigaltstack(&ss, NULL), 0);
	c->stored = (struct pm_stack){(uint64_t)(uintptr_t)ss.ss_sp, ss.ss_flags, 0, ss.ss_size};
}

/* Bytes the kernel leaves as they were on the stack: stack_t padding,
 * sigcontext reserved1, and the siginfo without SA_SIGINFO. */
static int untouched(size_t off, bool siginfo)
{
	if (off >= FX_UC(uc_stack.ss_flags) + 4 && off < FX_UC(uc_stack.ss_size))
		return 1;
	if (off >= FX_SC(reserved1) && off < FX_SC(reserved1) + 64)
		return 1;
	return !siginfo && off >= 312;
}

static void run_case(struct real_case *c)
{
	struct sigaction sa, q;
	sigset_t block, now;
	struct pm_user_regs regs, entry, back;
	struct pm_siginfo info;
	struct pm_user_fpu fpu = cpu_fpu();
	struct pm_sigframe_in in;
	struct pm_sigframe_layout lay;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	static uint8_t image[FP_MAX];
	uint8_t *buf;
	bool siginfo = c->sa_flags & SA_SIGINFO;
	uint64_t mask;

	if (RUNNING_ON_VALGRIND)
		cr_skip_test("Valgrind builds its own signal frames, not the kernel's");
	set_altstack(c);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = pm_test_sig_entry;
	sa.sa_flags = (int)c->sa_flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	cr_assert_eq(sigaction(SIGUSR1, NULL, &q), 0);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGRTMIN + 5);
	cr_assert_eq(sigprocmask(SIG_BLOCK, &block, NULL), 0);
	cr_assert_eq(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	memcpy(&mask, &now, 8);

	cr_assert_eq(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1), 0);
	cr_assert_gt(real_fp_size, 0, "the handler ran and found the FP area");

	/* The same delivery, through the port. */
	regs_from_frame(&regs, real_frame);
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	info.si_code = SI_TKILL;
	info.u.kill.pid = getpid();
	info.u.kill.uid = getuid();
	cr_assert_eq(fpu.size + 4, real_fp_size, "CPUID and the kernel agree on the XSAVE size");
	memcpy(image, real_fp, fpu.size);
	memset(image + 464, 0, 48); /* what XSAVE leaves: no software bytes */
	fpu.image = image;
	in = (struct pm_sigframe_in){
	    .signo = SIGUSR1,
	    .info = &info,
	    .sa_flags = (uint64_t)(unsigned int)q.sa_flags,
	    .handler = (uint64_t)(uintptr_t)pm_test_sig_entry,
	    .restorer = (uint64_t)(uintptr_t)q.sa_restorer,
	    .saved_mask = mask,
	    .altstack = c->stored,
	    .fpu = &fpu,
	};
	cr_assert_eq(in.sa_flags & FX_SA_RESTORER, FX_SA_RESTORER, "glibc sets SA_RESTORER");

	cr_assert_eq(pm_arch_sigframe_layout(&regs, &in, &lay), 0);
	cr_assert_eq(lay.frame, real_frame_addr, "get_sigframe: same frame address");
	cr_assert_eq(lay.fpstate, fx_u64(real_frame, FX_SC(fpstate)), "same FP area address");
	cr_assert_eq(lay.size, lay.fpstate + fpu.size + 4 - lay.frame);
	buf = malloc(lay.size);
	cr_assert_eq(pm_arch_sigframe_fill(&regs, &in, &lay, buf), 0);
	for (size_t i = 0; i < 440; i++)
		if (!untouched(i, siginfo))
			cr_assert_eq(buf[i], real_frame[i], "frame byte %zu: port %#x, Linux %#x",
			             i, buf[i], real_frame[i]);
	cr_assert_eq(memcmp(buf + (lay.fpstate - lay.frame), real_fp, real_fp_size), 0,
	             "the FP area, software bytes and magic2 included");

	/* The registers Linux set for the handler. */
	entry = regs;
	pm_arch_sigframe_enter(&entry, &in, &lay);
	cr_assert_eq(entry.rsp, pm_test_sig_regs[0], "rsp");
	cr_assert_eq(entry.rdi, pm_test_sig_regs[1], "rdi");
	cr_assert_eq(entry.rsi, pm_test_sig_regs[2], "rsi");
	cr_assert_eq(entry.rdx, pm_test_sig_regs[3], "rdx");
	cr_assert_eq(entry.rax, pm_test_sig_regs[4], "rax");
	cr_assert_eq(entry.eflags, pm_test_sig_regs[5], "rflags");
	cr_assert_eq(entry.cs, pm_test_sig_regs[6] & 0xffff, "cs");
	cr_assert_eq(entry.ss, pm_test_sig_regs[7] & 0xffff, "ss");
	cr_assert_eq(entry.rip, (uint64_t)(uintptr_t)pm_test_sig_entry);

	/* rt_sigreturn of the kernel's own frame gives the interrupted state. */
	back = entry;
	back.rsp += 8;
	cr_assert_eq(pm_arch_sigreturn_restore(&back, &fpu, real_frame, 440, &out, &fr), 0);
	regs.orig_rax = (uint64_t)-1;
	cr_assert_eq(memcmp(&back, &regs, offsetof(struct pm_user_regs, fs_base)), 0);
	cr_assert_eq(out.mask, mask);
	cr_assert_eq(out.altstack.ss_sp, c->stored.ss_sp);
	cr_assert_eq(out.altstack.ss_flags, c->stored.ss_flags);
	cr_assert_eq(out.altstack.ss_size, c->stored.ss_size);
	cr_assert_eq(out.ext, lay.fpstate);
	cr_assert_eq(pm_arch_sigreturn_fpu(&fpu, real_fp, out.ext_size, &fr), 0);
	cr_assert_eq(fr.how, PM_X86_64_FPU_XRSTOR);
	cr_assert_eq(fr.xrestore, fpu.xfeatures);
	free(buf);
	free(alt_mem);
	alt_mem = NULL;
}

PM_TEST(x86_64_real, frame_on_the_normal_stack)
{
	struct real_case c = {.sa_flags = SA_SIGINFO, .alt = 0};

	run_case(&c);
}

PM_TEST(x86_64_real, frame_on_the_alternate_stack)
{
	struct real_case c = {.sa_flags = SA_SIGINFO | SA_ONSTACK, .alt = 1};

	run_case(&c);
	cr_assert_gt(real_frame_addr, c.stored.ss_sp);
	cr_assert_leq(real_frame_addr, c.stored.ss_sp + c.stored.ss_size);
}

PM_TEST(x86_64_real, frame_on_an_autodisarm_stack)
{
	struct real_case c = {.sa_flags = SA_SIGINFO | SA_ONSTACK, .alt = 2};

	run_case(&c);
	cr_assert_eq(fx_u32(real_frame, FX_UC(uc_stack.ss_flags)), (uint32_t)FX_SS_AUTODISARM,
	             "uc_stack records the stored flags");
}

PM_TEST(x86_64_real, frame_without_siginfo_and_a_disabled_stack)
{
	struct real_case c = {.sa_flags = SA_ONSTACK | SA_NODEFER, .alt = 3};

	run_case(&c);
	cr_assert_eq(fx_u32(real_frame, FX_UC(uc_stack.ss_flags)), SS_DISABLE,
	             "a disabled stack is stored as SS_DISABLE");
}
