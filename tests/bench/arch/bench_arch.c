/*
 * The x86_64 port's signal paths with this machine's XSAVE geometry
 * (2432-byte AVX-512 area): building a frame (layout, fill, handler
 * registers) and reading it back (rt_sigreturn registers and FP plan),
 * against copying the same bytes with memcpy, the floor any kernel pays
 * to put a frame on the user stack.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pm_bench.h"
#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"

#define XSIZE 2432

struct ctx {
	struct pm_user_regs regs;
	struct pm_siginfo info;
	struct pm_user_fpu fpu;
	struct pm_sigframe_in in;
	struct pm_sigframe_layout lay;
	uint8_t *buf;
	uint8_t *copy;
	uint8_t image[XSIZE];
};

static void deliver(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		struct pm_user_regs r = c->regs;
		struct pm_sigframe_layout lay;

		pm_arch_sigframe_layout(&r, &c->in, &lay);
		pm_arch_sigframe_fill(&r, &c->in, &lay, c->buf);
		pm_arch_sigframe_enter(&r, &c->in, &lay);
		pm_bench_keep(r.rsp);
	}
}

static void sigreturn(void *p, uint64_t iters)
{
	struct ctx *c = p;
	size_t off = c->lay.fpstate - c->lay.frame;

	for (uint64_t i = 0; i < iters; i++) {
		struct pm_user_regs r = c->regs;
		struct pm_sigreturn_out out;
		struct pm_user_fpu_restore fr;
		pm_uaddr_t frame;
		size_t n;

		r.rsp = c->lay.frame + 8;
		n = pm_arch_sigreturn_frame(&r, &c->fpu, &frame);
		pm_arch_sigreturn_restore(&r, &c->fpu, c->buf, n, &out, &fr);
		pm_arch_sigreturn_fpu(&c->fpu, c->buf + off, out.ext_size, &fr);
		pm_bench_keep(fr.xrestore);
	}
}

static void copy_baseline(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		memcpy(c->copy, c->buf, c->lay.size);
		pm_bench_keep(c->copy[i & 63]);
	}
}

int main(void)
{
	static struct ctx c;

	memset(&c.regs, 0x11, sizeof(c.regs));
	c.regs.rsp = 0x7ffd0000a238;
	c.regs.cs = PM_X86_64_USER_CS;
	c.regs.ss = PM_X86_64_USER_DS;
	c.regs.eflags = 0x246;
	c.info.si_signo = 10;
	c.fpu =
	    (struct pm_user_fpu){.xsave = true, .size = XSIZE, .xfeatures = 0xe7, .image = c.image};
	c.in = (struct pm_sigframe_in){.signo = 10,
	                               .info = &c.info,
	                               .sa_flags = 0x04000004,
	                               .handler = 0x401000,
	                               .restorer = 0x402000,
	                               .fpu = &c.fpu};
	pm_arch_sigframe_layout(&c.regs, &c.in, &c.lay);
	c.buf = malloc(c.lay.size);
	c.copy = malloc(c.lay.size);
	pm_arch_sigframe_fill(&c.regs, &c.in, &c.lay, c.buf);
	pm_bench_note("frame with FP area: %zu bytes", c.lay.size);
	pm_bench_case("x86_64_sigframe_layout_fill_enter_xsave2432", 1000000, deliver, &c);
	pm_bench_case("x86_64_sigreturn_restore_and_fpu_plan", 1000000, sigreturn, &c);
	pm_bench_case("memcpy_of_the_frame_baseline", 1000000, copy_baseline, &c);
	free(c.buf);
	free(c.copy);
	return 0;
}
