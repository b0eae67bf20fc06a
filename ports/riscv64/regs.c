/* SPDX-License-Identifier: MIT */
/*
 * riscv64 user registers: accessors and the state of a freshly exec'd
 * thread. Sources: arch/riscv/include/asm/syscall.h (syscall_get_nr = a7,
 * syscall_get_arguments = orig_a0, a1..a5), ptrace.h (struct pt_regs),
 * process.c (start_thread).
 */
#include "port_internal.h"

/* user_regs_struct is the head of struct pm_user_regs, as of pt_regs. */
PM_STATIC_ASSERT(offsetof(struct pm_user_regs, t6) == 31 * sizeof(uint64_t),
                 "user_regs_struct order");
PM_STATIC_ASSERT(sizeof(struct pm_user_regs) == 36 * sizeof(uint64_t), "pt_regs is 36 words");

const struct pm_arch_desc *pm_arch_native(void)
{
	return &pm_arch_riscv64;
}

pm_uaddr_t pm_arch_regs_pc(const struct pm_user_regs *regs)
{
	return regs->pc;
}

void pm_arch_regs_set_pc(struct pm_user_regs *regs, pm_uaddr_t pc)
{
	regs->pc = pc;
}

pm_uaddr_t pm_arch_regs_sp(const struct pm_user_regs *regs)
{
	return regs->sp;
}

void pm_arch_regs_set_sp(struct pm_user_regs *regs, pm_uaddr_t sp)
{
	regs->sp = sp;
}

pm_uaddr_t pm_arch_regs_tp(const struct pm_user_regs *regs)
{
	return regs->tp;
}

void pm_arch_regs_set_tp(struct pm_user_regs *regs, pm_uaddr_t tp)
{
	regs->tp = tp;
}

int64_t pm_arch_syscall_nr(const struct pm_user_regs *regs)
{
	if (regs->cause != PM_RISCV64_EXC_SYSCALL)
		return -1;
	return (int64_t)regs->a7;
}

uint64_t pm_arch_syscall_arg(const struct pm_user_regs *regs, unsigned int n)
{
	switch (n) {
	case 0:
		return regs->orig_a0;
	case 1:
		return regs->a1;
	case 2:
		return regs->a2;
	case 3:
		return regs->a3;
	case 4:
		return regs->a4;
	case 5:
		return regs->a5;
	default:
		return 0;
	}
}

void pm_arch_syscall_set_return(struct pm_user_regs *regs, int64_t ret)
{
	regs->a0 = (uint64_t)ret;
}

int64_t pm_arch_syscall_return(const struct pm_user_regs *regs)
{
	return (int64_t)regs->a0;
}

void pm_arch_regs_init_exec(struct pm_user_regs *regs, pm_uaddr_t pc, pm_uaddr_t sp)
{
	pm_memset(regs, 0, sizeof(*regs));
	regs->pc = pc;
	regs->sp = sp;
	/* start_thread(): SPIE, FS = Initial with an FPU, UXL = 64; V off. */
	regs->status = PM_RISCV64_SR_SPIE | PM_RISCV64_SR_FS_INITIAL | PM_RISCV64_SR_UXL_64;
}
