/* SPDX-License-Identifier: MIT */
/*
 * riscv64 system-call restart (arch/riscv/kernel/signal.c:
 * arch_do_signal_or_restart). `ecall` is four bytes, so pc - 4 executes it
 * again; a0 gets the first argument back from orig_a0 and a7 still holds
 * the number. Linux rewinds before choosing a handler and undoes it for
 * the -EINTR outcomes; the end state is what this function writes.
 */
#include "port_internal.h"

#define RISCV64_ECALL_INSN_LEN 4

void pm_arch_syscall_restart(struct pm_user_regs *regs, enum pm_restart_action action)
{
	/* "Avoid additional syscall restarting via ret_from_exception" */
	regs->cause = (uint64_t)-1;
	switch (action) {
	case PM_RESTART_NONE:
		break;
	case PM_RESTART_EINTR:
		regs->a0 = (uint64_t) - (int64_t)PM_EINTR;
		break;
	case PM_RESTART_AGAIN:
		regs->a0 = regs->orig_a0;
		regs->pc -= RISCV64_ECALL_INSN_LEN;
		break;
	case PM_RESTART_RESTARTBLOCK:
		regs->a0 = regs->orig_a0;
		regs->pc -= RISCV64_ECALL_INSN_LEN;
		regs->a7 = (uint64_t)pm_arch_riscv64.nr_restart_syscall;
		break;
	}
}
