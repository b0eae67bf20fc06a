/* SPDX-License-Identifier: MIT */
/*
 * Private helpers of the x86_64 port: the Linux constants it needs from
 * the signal ABI, and the alternate-stack tests of
 * include/linux/sched/signal.h (on_sig_stack, sas_ss_flags), which every
 * port uses the same way. ports/riscv64/port_internal.h is its twin.
 */
#ifndef PM_PORT_INTERNAL_H
#define PM_PORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"
#include "procmgr/arch_sigframe.h"
#include "procmgr/errno.h"
#include "hal/pm_assert.h"
#include "hal/pm_checked.h"
#include "hal/pm_string.h"

/* sa_flags and ss_flags bits (asm-generic/signal-defs.h, x86 uapi signal.h,
 * uapi linux/signal.h). */
#define PORT_SA_SIGINFO    0x00000004ull
#define PORT_SA_RESTORER   0x04000000ull
#define PORT_SA_ONSTACK    0x08000000ull
#define PORT_SS_ONSTACK    1
#define PORT_SS_DISABLE    2
#define PORT_SS_AUTODISARM ((int32_t)0x80000000u)

/* SIGKILL (9) and SIGSTOP (19) can never be blocked. */
#define PORT_UNBLOCKABLE ((1ull << (9 - 1)) | (1ull << (19 - 1)))

/* Bytes of siginfo the kernel copies (sizeof(struct kernel_siginfo)); the
 * rest of the 128 is cleared (copy_siginfo_to_user). */
#define PORT_KERNEL_SIGINFO_SIZE 48

/* __on_sig_stack(): sp inside (ss_sp, ss_sp + ss_size]; stacks grow down. */
static inline bool pm_port_on_stack_(const struct pm_stack *ss, uint64_t sp)
{
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* on_sig_stack(): never "on" an SS_AUTODISARM stack, which signal
 * delivery disarms. */
static inline bool pm_port_on_sig_stack_(const struct pm_stack *ss, uint64_t sp)
{
	if (ss->ss_flags & PORT_SS_AUTODISARM)
		return false;
	return pm_port_on_stack_(ss, sp);
}

/* sas_ss_flags(): SS_DISABLE without a stack, SS_ONSTACK when on it. */
static inline int pm_port_sas_ss_flags_(const struct pm_stack *ss, uint64_t sp)
{
	if (ss->ss_size == 0)
		return PORT_SS_DISABLE;
	return pm_port_on_sig_stack_(ss, sp) ? PORT_SS_ONSTACK : 0;
}

/* The siginfo as copy_siginfo_to_user() writes it into @p dst (128 bytes). */
static inline void pm_port_copy_siginfo_(struct pm_siginfo *dst, const struct pm_siginfo *src)
{
	pm_memset(dst, 0, sizeof(*dst));
	pm_memcpy(dst, src, PORT_KERNEL_SIGINFO_SIZE);
}

/* The stored sigaltstack as __save_altstack() writes it (padding zero). */
static inline struct pm_stack pm_port_altstack_(const struct pm_stack *ss)
{
	struct pm_stack out;

	pm_memset(&out, 0, sizeof(out));
	out.ss_sp = ss->ss_sp;
	out.ss_flags = ss->ss_flags;
	out.ss_size = ss->ss_size;
	return out;
}

#endif /* PM_PORT_INTERNAL_H */
