/* SPDX-License-Identifier: MIT */
/*
 * Compile-time checks that the shared ABI records have Linux's layout on
 * both reference architectures (include/uapi/asm-generic/siginfo.h,
 * signal.h; offsets from arch/x86/kernel/signal_64.c's static asserts).
 * Nothing here runs; a wrong layout fails the build.
 */
#include <stddef.h>

#include "procmgr/types.h"
#include "procmgr/hal.h"
#include "hal/pm_assert.h"

PM_STATIC_ASSERT(sizeof(pm_sigset_t) == 8, "kernel sigset_t is one 64-bit word");
PM_STATIC_ASSERT(sizeof(struct pm_siginfo) == 128, "siginfo_t is 128 bytes");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, si_signo) == 0, "si_signo");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, si_errno) == 4, "si_errno");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, si_code) == 8, "si_code");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.kill.pid) == 0x10, "si_pid");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.kill.uid) == 0x14, "si_uid");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.rt.value) == 0x18, "si_value");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.timer.tid) == 0x10, "si_tid");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.timer.overrun) == 0x14, "si_overrun");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.timer.value) == 0x18, "timer si_value");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.chld.status) == 0x18, "si_status");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.chld.utime) == 0x20, "si_utime");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.chld.stime) == 0x28, "si_stime");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.fault.addr) == 0x10, "si_addr");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.fault.addr_lsb) == 0x18, "si_addr_lsb");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.fault.lower) == 0x20, "si_lower");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.fault.upper) == 0x28, "si_upper");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.poll.band) == 0x10, "si_band");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.poll.fd) == 0x18, "si_fd");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.sys.call_addr) == 0x10, "si_call_addr");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.sys.syscall) == 0x18, "si_syscall");
PM_STATIC_ASSERT(offsetof(struct pm_siginfo, u.sys.arch) == 0x1c, "si_arch");
PM_STATIC_ASSERT(sizeof(union pm_sigval) == 8, "union sigval is 8 bytes");

PM_STATIC_ASSERT(sizeof(struct pm_stack) == 24, "stack_t is 24 bytes");
PM_STATIC_ASSERT(offsetof(struct pm_stack, ss_sp) == 0, "ss_sp");
PM_STATIC_ASSERT(offsetof(struct pm_stack, ss_flags) == 8, "ss_flags");
PM_STATIC_ASSERT(offsetof(struct pm_stack, ss_size) == 16, "ss_size");

PM_STATIC_ASSERT(sizeof(pm_hal_lock_t) == PM_HAL_LOCK_SIZE ||
                     sizeof(pm_hal_lock_t) % PM_HAL_LOCK_ALIGN == 0,
                 "pm_hal_lock_t has the configured size");
