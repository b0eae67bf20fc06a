/*
 * Fuzz x86_64 rt_sigreturn with arbitrary frames and FP areas: the bytes
 * come from user memory. Input: a format byte (XSAVE or not, user_size),
 * then the 440-byte frame, then the FP area. Invariants: a refused frame
 * changes no register; an accepted one leaves user selectors, only the
 * FIX_EFLAGS bits changed, no restart processing, SIGKILL/SIGSTOP
 * unblocked; the FP plan only restores the thread's features from an
 * aligned area.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"
#include "procmgr/errno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[] = {576, 832, 2432, 2696};
	struct pm_user_regs regs, before;
	struct pm_user_fpu fpu;
	struct pm_sigreturn_out out;
	struct pm_user_fpu_restore fr;
	pm_uaddr_t frame;
	size_t n;
	int err;

	if (size < 1)
		return 0;
	memset(&fpu, 0, sizeof(fpu));
	fpu.xsave = data[0] & 1;
	fpu.size = fpu.xsave ? sizes[(data[0] >> 1) & 3] : 512;
	fpu.xfeatures = fpu.xsave ? 0x2e7 : 3;
	memset(&regs, 0x77, sizeof(regs));
	regs.eflags = 0x246;
	regs.rsp = 0x7ffd00001008;
	data++;
	size--;
	n = pm_arch_sigreturn_frame(&regs, &fpu, &frame);
	before = regs;
	err = pm_arch_sigreturn_restore(&regs, &fpu, data, size < n ? size : n, &out, &fr);
	if (err) {
		if ((err != -PM_EINVAL && err != -PM_EFAULT) ||
		    memcmp(&regs, &before, sizeof(regs)))
			abort();
		return 0;
	}
	if ((regs.cs != 0x33 && regs.cs != 0x23) || regs.ss != 0x2b ||
	    (regs.eflags & ~PM_X86_64_FIX_EFLAGS) != (before.eflags & ~PM_X86_64_FIX_EFLAGS) ||
	    regs.orig_rax != (uint64_t)-1 || (out.mask & ((1ull << 8) | (1ull << 18))) ||
	    out.altstack_sp != before.rsp || regs.fs_base != before.fs_base)
		abort();
	if (!out.ext)
		return 0;
	data += n;
	size -= n;
	err = pm_arch_sigreturn_fpu(&fpu, data, size, &fr);
	if (err) {
		if (err != -PM_EINVAL && err != -PM_EFAULT)
			abort();
		return 0;
	}
	if ((fr.xrestore & ~fpu.xfeatures) || (fr.init & ~fpu.xfeatures) ||
	    (fr.xrestore & fr.init) || fr.image != data ||
	    (fr.how == PM_X86_64_FPU_XRSTOR && (fr.fpstate & 63)) ||
	    (fr.how == PM_X86_64_FPU_FXRSTOR && (fr.fpstate & 15)))
		abort();
	return 0;
}
