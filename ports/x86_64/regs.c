/* SPDX-License-Identifier: MIT */
/*
 * x86_64 user registers: accessors and the state of a freshly exec'd
 * thread. Sources: arch/x86/include/asm/syscall.h (syscall_get_nr,
 * syscall_get_arguments: rdi rsi rdx r10 r8 r9), ptrace.h, process_64.c
 * (start_thread_common, set_personality_64bit), elf.h (ELF_PLAT_INIT).
 */
#include "port_internal.h"

/* user_regs_struct is the head of struct pm_user_regs (sys/user.h). */
PM_STATIC_ASSERT(offsetof(struct pm_user_regs, orig_rax) == 15 * sizeof(uint64_t),
                 "user_regs_struct order");
PM_STATIC_ASSERT(offsetof(struct pm_user_regs, gs) == 26 * sizeof(uint64_t),
                 "user_regs_struct is 27 words");
PM_STATIC_ASSERT(sizeof(struct pm_user_regs) == 30 * sizeof(uint64_t),
                 "plus trap_nr, error_code, cr2");

#define X86_64_NR_EXECVE 59

const struct pm_arch_desc *pm_arch_native(void)
{
	return &pm_arch_x86_64;
}

pm_uaddr_t pm_arch_regs_pc(const struct pm_user_regs *regs)
{
	return regs->rip;
}

void pm_arch_regs_set_pc(struct pm_user_regs *regs, pm_uaddr_t pc)
{
	regs->rip = pc;
}

pm_uaddr_t pm_arch_regs_sp(const struct pm_user_regs *regs)
{
	return regs->rsp;
}

void pm_arch_regs_set_sp(struct pm_user_regs *regs, pm_uaddr_t sp)
{
	regs->rsp = sp;
}

pm_uaddr_t pm_arch_regs_tp(const struct pm_user_regs *regs)
{
	return regs->fs_base;
}

void pm_arch_regs_set_tp(struct pm_user_regs *regs, pm_uaddr_t tp)
{
	regs->fs_base = tp;
}

int64_t pm_arch_syscall_nr(const struct pm_user_regs *regs)
{
	return (int64_t)regs->orig_rax;
}

uint64_t pm_arch_syscall_arg(const struct pm_user_regs *regs, unsigned int n)
{
	switch (n) {
	case 0:
		return regs->rdi;
	case 1:
		return regs->rsi;
	case 2:
		return regs->rdx;
	case 3:
		return regs->r10;
	case 4:
		return regs->r8;
	case 5:
		return regs->r9;
	default:
		return 0;
	}
}

void pm_arch_syscall_set_return(struct pm_user_regs *regs, int64_t ret)
{
	regs->rax = (uint64_t)ret;
}

int64_t pm_arch_syscall_return(const struct pm_user_regs *regs)
{
	return (int64_t)regs->rax;
}

void pm_arch_regs_init_exec(struct pm_user_regs *regs, pm_uaddr_t pc, pm_uaddr_t sp)
{
	pm_memset(regs, 0, sizeof(*regs));
	regs->rip = pc;
	regs->rsp = sp;
	regs->cs = PM_X86_64_USER_CS;
	regs->ss = PM_X86_64_USER_DS;
	regs->eflags = PM_X86_64_EFLAGS_IF | PM_X86_64_EFLAGS_FIXED;
	/* "Pretend that this comes from a 64bit execve" (set_personality_64bit). */
	regs->orig_rax = X86_64_NR_EXECVE;
}
