/*
 * Shared set-up for the x86_64 frame tests: an interrupted context with a
 * distinct value in every register, an XSAVE image, a siginfo, and the
 * frame read back at field offsets.
 */
#ifndef PM_TEST_X86_64_FIXTURE_H
#define PM_TEST_X86_64_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"
#include "procmgr/arch_sigframe.h"
#include "procmgr/errno.h"

#define FX_SA_SIGINFO    0x00000004ull
#define FX_SA_RESTORER   0x04000000ull
#define FX_SA_ONSTACK    0x08000000ull
#define FX_SS_DISABLE    2
#define FX_SS_AUTODISARM ((int32_t)0x80000000u)

/* An XSAVE image of the given size: legacy area and components filled
 * with a pattern, software bytes and header tail holding garbage the port
 * must overwrite, XSTATE_BV = xstate_bv. */
static inline void fx_image(uint8_t *img, uint32_t size, uint64_t xstate_bv)
{
	for (uint32_t i = 0; i < size; i++)
		img[i] = (uint8_t)(i * 7 + 3);
	if (size >= 576) {
		memcpy(img + 512, &xstate_bv, 8);
		memset(img + 520, 0xee, 56);
	}
}

/* The interrupted context: every register distinct, 64-bit code. */
static inline void fx_regs(struct pm_user_regs *r, uint64_t rsp)
{
	uint64_t *w = (uint64_t *)r;

	for (size_t i = 0; i < sizeof(*r) / 8; i++)
		w[i] = 0x1111111111111111ull * ((i % 15) + 1) + i;
	r->rsp = rsp;
	r->rip = 0x401234;
	r->cs = PM_X86_64_USER_CS;
	r->ss = PM_X86_64_USER_DS;
	r->eflags = 0x246 | PM_X86_64_EFLAGS_DF | PM_X86_64_EFLAGS_TF | PM_X86_64_EFLAGS_AC;
	r->orig_rax = 39;
	r->trap_nr = 14;
	r->error_code = 6;
	r->cr2 = 0xdead000;
}

/* A siginfo whose bytes beyond the kernel's 48 are garbage. */
static inline void fx_siginfo(struct pm_siginfo *si, int signo)
{
	memset(si, 0xa5, sizeof(*si));
	si->si_signo = signo;
	si->si_errno = 0;
	si->si_code = -6; /* SI_TKILL */
	si->pad0_ = 0;
	si->u.kill.pid = 4242;
	si->u.kill.uid = 1000;
	memset(si->u.pad_ + 8, 0, 24); /* bytes 24..47 */
}

static inline uint64_t fx_u64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static inline uint32_t fx_u32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static inline uint16_t fx_u16(const uint8_t *b, size_t off)
{
	uint16_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

#define FX_SC(m) (offsetof(struct pm_x86_64_rt_sigframe, uc.uc_mcontext.m))
#define FX_UC(m) (offsetof(struct pm_x86_64_rt_sigframe, uc.m))

#endif /* PM_TEST_X86_64_FIXTURE_H */
