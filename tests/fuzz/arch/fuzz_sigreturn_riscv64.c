/*
 * Fuzz riscv64 rt_sigreturn (the port's C code built for the host) with
 * arbitrary frames: the bytes come from user memory. Input: a format byte
 * (FPU present, vector state live, vlenb), then the frame, then the vector
 * data. Invariants: a refused frame changes no register; an accepted one
 * keeps status and the trap CSRs, ends restart processing, unblocks
 * SIGKILL/SIGSTOP, and asks for vector data only of the thread's length.
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
	static const struct pm_riscv64_d_ext_state fstate;
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
	fpu.fstate = (data[0] & 1) ? &fstate : NULL;
	fpu.vlenb = (data[0] & 2) ? 16u << ((data[0] >> 2) & 3) : 0;
	memset(&regs, 0x55, sizeof(regs));
	regs.status =
	    PM_RISCV64_SR_UXL_64 | PM_RISCV64_SR_FS_INITIAL | ((data[0] & 16) ? 0x200 : 0);
	regs.cause = PM_RISCV64_EXC_SYSCALL;
	regs.sp = 0x3fffff0000;
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
	if (regs.status != before.status || regs.badaddr != before.badaddr ||
	    regs.orig_a0 != before.orig_a0 || regs.cause != (uint64_t)-1 ||
	    (out.mask & ((1ull << 8) | (1ull << 18))) || out.altstack_sp != regs.sp ||
	    fr.fstate_valid != (fpu.fstate != NULL) || (fr.v_valid && !out.ext))
		abort();
	if (!out.ext)
		return 0;
	if (out.ext_size != 32 * fpu.vlenb)
		abort();
	data += n;
	size -= n;
	err = pm_arch_sigreturn_fpu(&fpu, data, size, &fr);
	if (err ? err != -PM_EFAULT : fr.vregs != data)
		abort();
	return 0;
}
