/* SPDX-License-Identifier: MIT */
/*
 * Private helpers of the x86_64 port: the Linux constants it needs from
 * the signal ABI. The rules every port applies the same way (alternate
 * stack, siginfo copy) are in src/hal/pm_sigabi.h.
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
#include "hal/pm_sigabi.h"
#include "hal/pm_string.h"

/* sa_flags bits (asm-generic/signal-defs.h, x86 uapi signal.h). */
#define PORT_SA_SIGINFO  0x00000004ull
#define PORT_SA_RESTORER 0x04000000ull
#define PORT_SA_ONSTACK  0x08000000ull

#endif /* PM_PORT_INTERNAL_H */
