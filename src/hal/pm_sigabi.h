/* SPDX-License-Identifier: MIT */
/*
 * The arch-neutral signal ABI rules that the signal module and every
 * architecture port apply the same way: the alternate-stack tests of
 * include/linux/sched/signal.h (__on_sig_stack, on_sig_stack,
 * sas_ss_flags), the siginfo bytes copy_siginfo_to_user writes, the
 * stack_t __save_altstack stores, and the never-blockable signals.
 */
#ifndef PM_HAL_SIGABI_H
#define PM_HAL_SIGABI_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/signal.h"
#include "procmgr/types.h"
#include "hal/pm_string.h"

/* SIGKILL and SIGSTOP can never be blocked (sigdelsetmask at sigreturn). */
#define PM_SIG_UNBLOCKABLE ((1ull << (PM_SIGKILL - 1)) | (1ull << (PM_SIGSTOP - 1)))

/* Bytes of siginfo the kernel copies (sizeof(struct kernel_siginfo)); the
 * rest of the 128 is cleared (copy_siginfo_to_user). */
#define PM_KERNEL_SIGINFO_SIZE 48

/* __on_sig_stack: sp inside (ss_sp, ss_sp + ss_size]; stacks grow down. */
static inline bool pm_on_stack_(const struct pm_stack *ss, uint64_t sp)
{
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* on_sig_stack: never "on" an SS_AUTODISARM stack, which delivery disarms. */
static inline bool pm_on_sig_stack_(const struct pm_stack *ss, uint64_t sp)
{
	if (ss->ss_flags & PM_SS_AUTODISARM)
		return false;
	return pm_on_stack_(ss, sp);
}

/* sas_ss_flags: SS_DISABLE without a stack, SS_ONSTACK when on it, else 0. */
static inline int32_t pm_sas_ss_flags_(const struct pm_stack *ss, uint64_t sp)
{
	if (ss->ss_size == 0)
		return PM_SS_DISABLE;
	return pm_on_sig_stack_(ss, sp) ? PM_SS_ONSTACK : 0;
}

/* The siginfo as copy_siginfo_to_user() writes it into @p dst (128 bytes). */
static inline void pm_copy_siginfo_to_user_(struct pm_siginfo *dst, const struct pm_siginfo *src)
{
	pm_memset(dst, 0, sizeof(*dst));
	pm_memcpy(dst, src, PM_KERNEL_SIGINFO_SIZE);
}

/* The stored sigaltstack as __save_altstack() writes it (padding zero). */
static inline struct pm_stack pm_save_altstack_(const struct pm_stack *ss)
{
	struct pm_stack out;

	pm_memset(&out, 0, sizeof(out));
	out.ss_sp = ss->ss_sp;
	out.ss_flags = ss->ss_flags;
	out.ss_size = ss->ss_size;
	return out;
}

#endif /* PM_HAL_SIGABI_H */
