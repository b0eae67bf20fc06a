/* SPDX-License-Identifier: MIT */
/*
 * x86_64 system-call restart (arch/x86/kernel/signal.c: handle_signal and
 * arch_do_signal_or_restart). `syscall` is two bytes (0f 05), so rewinding
 * rip by 2 executes it again; rax gets the number back from orig_rax.
 */
#include "port_internal.h"

#define X86_64_SYSCALL_INSN_LEN 2

void pm_arch_syscall_restart(struct pm_user_regs *regs, enum pm_restart_action action)
{
	switch (action) {
	case PM_RESTART_NONE:
		break;
	case PM_RESTART_EINTR:
		regs->rax = (uint64_t) - (int64_t)PM_EINTR;
		break;
	case PM_RESTART_AGAIN:
		regs->rax = regs->orig_rax;
		regs->rip -= X86_64_SYSCALL_INSN_LEN;
		break;
	case PM_RESTART_RESTARTBLOCK:
		regs->rax = (uint64_t)pm_arch_x86_64.nr_restart_syscall;
		regs->rip -= X86_64_SYSCALL_INSN_LEN;
		break;
	}
}
