/*
 * Sizes and offsets of the riscv64 signal-frame records, taken from
 * Debian's riscv64 cross uapi headers (linux-libc-dev-riscv64-cross):
 * asm/sigcontext.h, asm/ucontext.h, asm/ptrace.h, asm/signal.h,
 * asm/siginfo.h. struct rt_sigframe is kernel-internal
 * (arch/riscv/kernel/signal.c) and is rebuilt here from uapi types. This
 * file must not include libc's signal.h.
 */
#include <stddef.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>

#include "../uapi_layout.h"

struct rt_sigframe {
	struct siginfo info;
	struct ucontext uc;
};

#define SIZE(rec)                                  \
	{                                          \
#rec, "sizeof", sizeof(struct rec) \
	}
#define OFF(rec, m)                               \
	{                                         \
#rec, #m, offsetof(struct rec, m) \
	}
#define UR(m) OFF(user_regs_struct, m)

const struct pm_uapi_field pm_riscv64_uapi[] = {
    SIZE(rt_sigframe),
    OFF(rt_sigframe, info),
    OFF(rt_sigframe, uc),
    SIZE(ucontext),
    OFF(ucontext, uc_flags),
    OFF(ucontext, uc_link),
    OFF(ucontext, uc_stack),
    OFF(ucontext, uc_sigmask),
    OFF(ucontext, __unused),
    OFF(ucontext, uc_mcontext),
    {"stack_t", "sizeof", sizeof(stack_t)},
    {"stack_t", "ss_sp", offsetof(stack_t, ss_sp)},
    {"stack_t", "ss_flags", offsetof(stack_t, ss_flags)},
    {"stack_t", "ss_size", offsetof(stack_t, ss_size)},
    {"siginfo_t", "sizeof", sizeof(siginfo_t)},
    {"sigset_t", "sizeof", sizeof(sigset_t)},
    SIZE(sigcontext),
    {"sigcontext", "alignof", _Alignof(struct sigcontext)},
    OFF(sigcontext, sc_regs),
    OFF(sigcontext, sc_fpregs),
    {"__riscv_fp_state", "sizeof", sizeof(union __riscv_fp_state)},
    SIZE(__riscv_d_ext_state),
    OFF(__riscv_d_ext_state, f),
    OFF(__riscv_d_ext_state, fcsr),
    OFF(__riscv_q_ext_state, reserved),
    SIZE(user_regs_struct),
    UR(pc),
    UR(ra),
    UR(sp),
    UR(gp),
    UR(tp),
    UR(t0),
    UR(t1),
    UR(t2),
    UR(s0),
    UR(s1),
    UR(a0),
    UR(a1),
    UR(a2),
    UR(a3),
    UR(a4),
    UR(a5),
    UR(a6),
    UR(a7),
    UR(s2),
    UR(s3),
    UR(s4),
    UR(s5),
    UR(s6),
    UR(s7),
    UR(s8),
    UR(s9),
    UR(s10),
    UR(s11),
    UR(t3),
    UR(t4),
    UR(t5),
    UR(t6),
    {"constant", "MINSIGSTKSZ", MINSIGSTKSZ},
    {"constant", "SA_SIGINFO", SA_SIGINFO},
    {"constant", "SA_ONSTACK", SA_ONSTACK},
    {NULL, NULL, 0},
};
