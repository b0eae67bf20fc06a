/*
 * x86_64 ABI layouts: every record the port builds or reads, size and
 * field offsets, against the host's Linux uapi headers (x86_64_uapi.c).
 */
#include <stddef.h>
#include <string.h>

#include "pm_test.h"
#include "uapi_layout.h"
#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"
#include "procmgr/arch_sigframe.h"

TestSuite(x86_64_layout, .init = pm_test_setup);

#define SIZE(rec, ours)                             \
	{                                           \
#rec, "sizeof", sizeof(struct ours) \
	}
#define OFF(rec, m, ours, o)                       \
	{                                          \
#rec, #m, offsetof(struct ours, o) \
	}
#define SC(m) OFF(sigcontext, m, pm_x86_64_sigcontext, m)
#define UR(m) OFF(user_regs_struct, m, pm_user_regs, m)
#define FX(m) OFF(_fpstate_64, m, pm_x86_64_fxsave, m)

static const struct pm_uapi_field ours[] = {
    SIZE(rt_sigframe, pm_x86_64_rt_sigframe),
    OFF(rt_sigframe, pretcode, pm_x86_64_rt_sigframe, pretcode),
    OFF(rt_sigframe, uc, pm_x86_64_rt_sigframe, uc),
    OFF(rt_sigframe, info, pm_x86_64_rt_sigframe, info),
    SIZE(ucontext, pm_x86_64_ucontext),
    OFF(ucontext, uc_flags, pm_x86_64_ucontext, uc_flags),
    OFF(ucontext, uc_link, pm_x86_64_ucontext, uc_link),
    OFF(ucontext, uc_stack, pm_x86_64_ucontext, uc_stack),
    OFF(ucontext, uc_mcontext, pm_x86_64_ucontext, uc_mcontext),
    OFF(ucontext, uc_sigmask, pm_x86_64_ucontext, uc_sigmask),
    {"stack_t", "sizeof", sizeof(struct pm_stack)},
    {"stack_t", "ss_sp", offsetof(struct pm_stack, ss_sp)},
    {"stack_t", "ss_flags", offsetof(struct pm_stack, ss_flags)},
    {"stack_t", "ss_size", offsetof(struct pm_stack, ss_size)},
    {"siginfo_t", "sizeof", sizeof(struct pm_siginfo)},
    SIZE(sigcontext, pm_x86_64_sigcontext),
    SC(r8),
    SC(r9),
    SC(r10),
    SC(r11),
    SC(r12),
    SC(r13),
    SC(r14),
    SC(r15),
    SC(rdi),
    SC(rsi),
    SC(rbp),
    SC(rbx),
    SC(rdx),
    SC(rax),
    SC(rcx),
    SC(rsp),
    SC(rip),
    SC(eflags),
    SC(cs),
    SC(gs),
    SC(fs),
    SC(ss),
    SC(err),
    SC(trapno),
    SC(oldmask),
    SC(cr2),
    SC(fpstate),
    SC(reserved1),
    SIZE(_fpx_sw_bytes, pm_x86_64_fpx_sw_bytes),
    OFF(_fpx_sw_bytes, magic1, pm_x86_64_fpx_sw_bytes, magic1),
    OFF(_fpx_sw_bytes, extended_size, pm_x86_64_fpx_sw_bytes, extended_size),
    OFF(_fpx_sw_bytes, xfeatures, pm_x86_64_fpx_sw_bytes, xfeatures),
    OFF(_fpx_sw_bytes, xstate_size, pm_x86_64_fpx_sw_bytes, xstate_size),
    OFF(_fpx_sw_bytes, padding, pm_x86_64_fpx_sw_bytes, padding),
    SIZE(_fpstate_64, pm_x86_64_fxsave),
    FX(cwd),
    FX(swd),
    FX(twd),
    FX(fop),
    FX(rip),
    FX(rdp),
    FX(mxcsr),
    FX(mxcsr_mask),
    FX(st_space),
    FX(xmm_space),
    FX(reserved2),
    FX(sw_reserved),
    SIZE(_header, pm_x86_64_xsave_header),
    OFF(_header, xfeatures, pm_x86_64_xsave_header, xfeatures),
    OFF(_header, reserved1, pm_x86_64_xsave_header, reserved1),
    OFF(_header, reserved2, pm_x86_64_xsave_header, reserved2),
    {"_xstate", "xstate_hdr", sizeof(struct pm_x86_64_fxsave)},
    {"user_regs_struct", "sizeof", offsetof(struct pm_user_regs, trap_nr)},
    UR(r15),
    UR(r14),
    UR(r13),
    UR(r12),
    UR(rbp),
    UR(rbx),
    UR(r11),
    UR(r10),
    UR(r9),
    UR(r8),
    UR(rax),
    UR(rcx),
    UR(rdx),
    UR(rsi),
    UR(rdi),
    UR(orig_rax),
    UR(rip),
    UR(cs),
    UR(eflags),
    UR(rsp),
    UR(ss),
    UR(fs_base),
    UR(gs_base),
    UR(ds),
    UR(es),
    UR(fs),
    UR(gs),
    {"constant", "UC_FP_XSTATE", PM_X86_64_UC_FP_XSTATE},
    {"constant", "UC_SIGCONTEXT_SS", PM_X86_64_UC_SIGCONTEXT_SS},
    {"constant", "UC_STRICT_RESTORE_SS", PM_X86_64_UC_STRICT_RESTORE_SS},
    {"constant", "FP_XSTATE_MAGIC1", PM_X86_64_FP_XSTATE_MAGIC1},
    {"constant", "FP_XSTATE_MAGIC2", PM_X86_64_FP_XSTATE_MAGIC2},
    {"constant", "FP_XSTATE_MAGIC2_SIZE", PM_X86_64_FP_XSTATE_MAGIC2_SIZE},
    {"constant", "MINSIGSTKSZ", 2048},
};

static const struct pm_uapi_field *find(const char *rec, const char *field)
{
	for (const struct pm_uapi_field *u = pm_x86_64_uapi; u->record; u++)
		if (strcmp(u->record, rec) == 0 && strcmp(u->field, field) == 0)
			return u;
	return NULL;
}

/* Every record the frame code uses has Linux's size and offsets. */
PM_TEST(x86_64_layout, every_field_matches_the_uapi_headers)
{
	size_t n_uapi = 0;

	for (const struct pm_uapi_field *u = pm_x86_64_uapi; u->record; u++)
		n_uapi++;
	cr_assert_eq(PM_ARRAY_SIZE(ours), n_uapi, "both tables list the same facts");
	for (size_t i = 0; i < PM_ARRAY_SIZE(ours); i++) {
		const struct pm_uapi_field *u = find(ours[i].record, ours[i].field);

		cr_assert_not_null(u, "%s.%s missing from the uapi table", ours[i].record,
		                   ours[i].field);
		cr_assert_eq(ours[i].value, u->value, "%s.%s: procmgr %zu, Linux %zu",
		             ours[i].record, ours[i].field, ours[i].value, u->value);
	}
}

/* The fact sheet's numbers (linux-exec-abi.md 6.4), independently. */
PM_TEST(x86_64_layout, frame_offsets_of_the_fact_sheet)
{
	cr_assert_eq(sizeof(struct pm_x86_64_rt_sigframe), 440);
	cr_assert_eq(offsetof(struct pm_x86_64_rt_sigframe, uc.uc_mcontext), 48);
	cr_assert_eq(offsetof(struct pm_x86_64_rt_sigframe, uc.uc_sigmask), 304);
	cr_assert_eq(offsetof(struct pm_x86_64_rt_sigframe, info), 312);
	cr_assert_eq(offsetof(struct pm_x86_64_fxsave, sw_reserved), 464);
	cr_assert_eq(pm_arch_x86_64.rt_sigframe_size, sizeof(struct pm_x86_64_rt_sigframe));
	cr_assert_eq(PM_X86_64_FIX_EFLAGS, 0x50dd5, "FIX_EFLAGS");
}
