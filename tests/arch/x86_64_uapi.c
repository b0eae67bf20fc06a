/* SPDX-License-Identifier: MIT */
/*
 * Sizes and offsets of the x86_64 signal-frame records, taken from the
 * host's Linux uapi headers (linux-libc-dev): asm/sigcontext.h,
 * asm/ucontext.h, asm/signal.h, asm/siginfo.h, and glibc's sys/user.h for
 * user_regs_struct. struct rt_sigframe is kernel-internal
 * (arch/x86/include/asm/sigframe.h) and is rebuilt here from uapi types.
 * This file must not include libc's signal.h.
 */
#include <stddef.h>
#include <asm/sigcontext.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <asm/ucontext.h>
#include <sys/user.h>

#include "uapi_layout.h"

/* arch/x86/include/asm/sigframe.h, 64-bit. */
struct rt_sigframe {
	char *pretcode;
	struct ucontext uc;
	struct siginfo info;
};

#define SIZE(rec)                                  \
	{                                          \
#rec, "sizeof", sizeof(struct rec) \
	}
#define OFF(rec, m)                               \
	{                                         \
#rec, #m, offsetof(struct rec, m) \
	}

const struct pm_uapi_field pm_x86_64_uapi[] = {
    SIZE(rt_sigframe),
    OFF(rt_sigframe, pretcode),
    OFF(rt_sigframe, uc),
    OFF(rt_sigframe, info),
    SIZE(ucontext),
    OFF(ucontext, uc_flags),
    OFF(ucontext, uc_link),
    OFF(ucontext, uc_stack),
    OFF(ucontext, uc_mcontext),
    OFF(ucontext, uc_sigmask),
    {"stack_t", "sizeof", sizeof(stack_t)},
    {"stack_t", "ss_sp", offsetof(stack_t, ss_sp)},
    {"stack_t", "ss_flags", offsetof(stack_t, ss_flags)},
    {"stack_t", "ss_size", offsetof(stack_t, ss_size)},
    {"siginfo_t", "sizeof", sizeof(siginfo_t)},
    SIZE(sigcontext),
    OFF(sigcontext, r8),
    OFF(sigcontext, r9),
    OFF(sigcontext, r10),
    OFF(sigcontext, r11),
    OFF(sigcontext, r12),
    OFF(sigcontext, r13),
    OFF(sigcontext, r14),
    OFF(sigcontext, r15),
    OFF(sigcontext, rdi),
    OFF(sigcontext, rsi),
    OFF(sigcontext, rbp),
    OFF(sigcontext, rbx),
    OFF(sigcontext, rdx),
    OFF(sigcontext, rax),
    OFF(sigcontext, rcx),
    OFF(sigcontext, rsp),
    OFF(sigcontext, rip),
    OFF(sigcontext, eflags),
    OFF(sigcontext, cs),
    OFF(sigcontext, gs),
    OFF(sigcontext, fs),
    OFF(sigcontext, ss),
    OFF(sigcontext, err),
    OFF(sigcontext, trapno),
    OFF(sigcontext, oldmask),
    OFF(sigcontext, cr2),
    OFF(sigcontext, fpstate),
    OFF(sigcontext, reserved1),
    SIZE(_fpx_sw_bytes),
    OFF(_fpx_sw_bytes, magic1),
    OFF(_fpx_sw_bytes, extended_size),
    OFF(_fpx_sw_bytes, xfeatures),
    OFF(_fpx_sw_bytes, xstate_size),
    OFF(_fpx_sw_bytes, padding),
    SIZE(_fpstate_64),
    OFF(_fpstate_64, cwd),
    OFF(_fpstate_64, swd),
    OFF(_fpstate_64, twd),
    OFF(_fpstate_64, fop),
    OFF(_fpstate_64, rip),
    OFF(_fpstate_64, rdp),
    OFF(_fpstate_64, mxcsr),
    OFF(_fpstate_64, mxcsr_mask),
    OFF(_fpstate_64, st_space),
    OFF(_fpstate_64, xmm_space),
    OFF(_fpstate_64, reserved2),
    OFF(_fpstate_64, sw_reserved),
    SIZE(_header),
    OFF(_header, xfeatures),
    OFF(_header, reserved1),
    OFF(_header, reserved2),
    OFF(_xstate, xstate_hdr),
    SIZE(user_regs_struct),
    OFF(user_regs_struct, r15),
    OFF(user_regs_struct, r14),
    OFF(user_regs_struct, r13),
    OFF(user_regs_struct, r12),
    OFF(user_regs_struct, rbp),
    OFF(user_regs_struct, rbx),
    OFF(user_regs_struct, r11),
    OFF(user_regs_struct, r10),
    OFF(user_regs_struct, r9),
    OFF(user_regs_struct, r8),
    OFF(user_regs_struct, rax),
    OFF(user_regs_struct, rcx),
    OFF(user_regs_struct, rdx),
    OFF(user_regs_struct, rsi),
    OFF(user_regs_struct, rdi),
    OFF(user_regs_struct, orig_rax),
    OFF(user_regs_struct, rip),
    OFF(user_regs_struct, cs),
    OFF(user_regs_struct, eflags),
    OFF(user_regs_struct, rsp),
    OFF(user_regs_struct, ss),
    OFF(user_regs_struct, fs_base),
    OFF(user_regs_struct, gs_base),
    OFF(user_regs_struct, ds),
    OFF(user_regs_struct, es),
    OFF(user_regs_struct, fs),
    OFF(user_regs_struct, gs),
    {"constant", "UC_FP_XSTATE", UC_FP_XSTATE},
    {"constant", "UC_SIGCONTEXT_SS", UC_SIGCONTEXT_SS},
    {"constant", "UC_STRICT_RESTORE_SS", UC_STRICT_RESTORE_SS},
    {"constant", "FP_XSTATE_MAGIC1", FP_XSTATE_MAGIC1},
    {"constant", "FP_XSTATE_MAGIC2", FP_XSTATE_MAGIC2},
    {"constant", "FP_XSTATE_MAGIC2_SIZE", FP_XSTATE_MAGIC2_SIZE},
    {"constant", "MINSIGSTKSZ", MINSIGSTKSZ},
    {NULL, NULL, 0},
};
