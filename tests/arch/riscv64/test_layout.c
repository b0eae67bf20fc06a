/*
 * riscv64 ABI layouts: every record the port builds or reads against
 * Debian's riscv64 uapi headers (riscv64_uapi.c), and the vector-extension
 * records, newer than those 6.1 headers, against Linux 6.x's values
 * (uapi asm/sigcontext.h and ptrace.h: RISCV_V_MAGIC, __riscv_ctx_hdr,
 * __riscv_extra_ext_header, __sc_riscv_v_state).
 */
#include <stddef.h>

#include "../uapi_layout.h"
#include "rv_test.h"

#define SIZE(rec, ours)                             \
	{                                           \
#rec, "sizeof", sizeof(struct ours) \
	}
#define OFF(rec, m, ours, o)                       \
	{                                          \
#rec, #m, offsetof(struct ours, o) \
	}
#define UR(m) OFF(user_regs_struct, m, pm_user_regs, m)

static const struct pm_uapi_field ours[] = {
    SIZE(rt_sigframe, pm_riscv64_rt_sigframe),
    OFF(rt_sigframe, info, pm_riscv64_rt_sigframe, info),
    OFF(rt_sigframe, uc, pm_riscv64_rt_sigframe, uc),
    SIZE(ucontext, pm_riscv64_ucontext),
    OFF(ucontext, uc_flags, pm_riscv64_ucontext, uc_flags),
    OFF(ucontext, uc_link, pm_riscv64_ucontext, uc_link),
    OFF(ucontext, uc_stack, pm_riscv64_ucontext, uc_stack),
    OFF(ucontext, uc_sigmask, pm_riscv64_ucontext, uc_sigmask),
    OFF(ucontext, __unused, pm_riscv64_ucontext, unused_),
    OFF(ucontext, uc_mcontext, pm_riscv64_ucontext, uc_mcontext),
    {"stack_t", "sizeof", sizeof(struct pm_stack)},
    {"stack_t", "ss_sp", offsetof(struct pm_stack, ss_sp)},
    {"stack_t", "ss_flags", offsetof(struct pm_stack, ss_flags)},
    {"stack_t", "ss_size", offsetof(struct pm_stack, ss_size)},
    {"siginfo_t", "sizeof", sizeof(struct pm_siginfo)},
    {"sigset_t", "sizeof", sizeof(pm_sigset_t)},
    SIZE(sigcontext, pm_riscv64_sigcontext),
    {"sigcontext", "alignof", _Alignof(struct pm_riscv64_sigcontext)},
    OFF(sigcontext, sc_regs, pm_riscv64_sigcontext, sc_regs),
    OFF(sigcontext, sc_fpregs, pm_riscv64_sigcontext, sc_fpregs),
    {"__riscv_fp_state", "sizeof", sizeof(((struct pm_riscv64_sigcontext *)0)->sc_fpregs)},
    SIZE(__riscv_d_ext_state, pm_riscv64_d_ext_state),
    OFF(__riscv_d_ext_state, f, pm_riscv64_d_ext_state, f),
    OFF(__riscv_d_ext_state, fcsr, pm_riscv64_d_ext_state, fcsr),
    /* The q layout's reserved words are where the extension header now lives. */
    OFF(__riscv_q_ext_state, reserved, pm_riscv64_extra_ext_header, reserved),
    {"user_regs_struct", "sizeof", offsetof(struct pm_user_regs, status)},
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
    {"constant", "MINSIGSTKSZ", 2048},
    {"constant", "SA_SIGINFO", RV_SA_SIGINFO},
    {"constant", "SA_ONSTACK", RV_SA_ONSTACK},
};

static void every_field_matches_the_uapi_headers(void)
{
	size_t n = 0;

	for (const struct pm_uapi_field *u = pm_riscv64_uapi; u->record; u++)
		n++;
	RV_EQ(n, sizeof(ours) / sizeof(ours[0]));
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		const struct pm_uapi_field *u = pm_riscv64_uapi;

		while (u->record &&
		       (strcmp(u->record, ours[i].record) || strcmp(u->field, ours[i].field)))
			u++;
		if (!u->record) {
			printf("  missing %s.%s\n", ours[i].record, ours[i].field);
			RV_CHECK(0);
			continue;
		}
		if (u->value != ours[i].value)
			printf("  %s.%s: procmgr %zu, Linux %zu\n", ours[i].record, ours[i].field,
			       ours[i].value, u->value);
		RV_EQ(ours[i].value, u->value);
	}
}

/* The fact sheet's offsets (linux-exec-abi.md 6.5) and Linux 6.x's
 * vector records, which Debian 12's headers predate. */
static void frame_offsets_and_vector_records(void)
{
	const size_t sc = offsetof(struct pm_riscv64_rt_sigframe, uc.uc_mcontext);

	RV_EQ(sizeof(struct pm_riscv64_rt_sigframe), 1088);
	RV_EQ(offsetof(struct pm_riscv64_rt_sigframe, uc), 128);
	RV_EQ(offsetof(struct pm_riscv64_rt_sigframe, uc.uc_stack), 144);
	RV_EQ(offsetof(struct pm_riscv64_rt_sigframe, uc.uc_sigmask), 168);
	RV_EQ(sc, 304);
	RV_EQ(sc + offsetof(struct pm_riscv64_sigcontext, sc_fpregs), 560);
	RV_EQ(sc + offsetof(struct pm_riscv64_sigcontext, sc_fpregs.d.fcsr), 816);
	RV_EQ(sc + offsetof(struct pm_riscv64_sigcontext, sc_fpregs.extdesc.reserved), 1076);
	RV_EQ(sc + offsetof(struct pm_riscv64_sigcontext, sc_fpregs.extdesc.hdr), 1080);
	RV_EQ(sizeof(struct pm_riscv64_extra_ext_header), 528);
	RV_EQ(sizeof(struct pm_riscv64_ctx_hdr), 8);
	RV_EQ(sizeof(struct pm_riscv64_v_ext_state), 48);
	RV_EQ(offsetof(struct pm_riscv64_v_ext_state, datap), 40);
	RV_EQ(PM_RISCV64_V_MAGIC, 0x53465457);
	RV_EQ(pm_arch_riscv64.rt_sigframe_size, 1088);
	RV_EQ(sizeof(struct pm_user_regs), 36 * 8);
	RV_EQ(offsetof(struct pm_user_regs, orig_a0), 35 * 8);
}

const struct rv_test rv_layout_tests[] = {
    {"layout: every field matches the uapi headers", every_field_matches_the_uapi_headers},
    {"layout: frame offsets and vector records", frame_offsets_and_vector_records},
    {NULL, NULL},
};
