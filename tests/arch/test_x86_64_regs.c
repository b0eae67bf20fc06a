/*
 * x86_64 registers: accessors (arch/x86/include/asm/syscall.h), exec
 * state (start_thread_common, ELF_PLAT_INIT, set_personality_64bit),
 * system-call restart (signal.c handle_signal, arch_do_signal_or_restart)
 * and the hosted pm_arch_enter_user.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "pm_test.h"
#include "x86_64_fixture.h"

TestSuite(x86_64_regs, .init = pm_test_setup);

PM_TEST(x86_64_regs, accessors)
{
	struct pm_user_regs r;

	fx_regs(&r, 0x7ffc1000);
	cr_assert_eq(pm_arch_native(), &pm_arch_x86_64);
	cr_assert_eq(pm_arch_regs_pc(&r), r.rip);
	cr_assert_eq(pm_arch_regs_sp(&r), 0x7ffc1000);
	pm_arch_regs_set_pc(&r, 0x1000);
	pm_arch_regs_set_sp(&r, 0x2000);
	pm_arch_regs_set_tp(&r, 0x3000);
	cr_assert_eq(r.rip, 0x1000);
	cr_assert_eq(r.rsp, 0x2000);
	cr_assert_eq(r.fs_base, 0x3000, "the thread pointer is the fs base");
	cr_assert_eq(pm_arch_regs_tp(&r), 0x3000);
}

/* syscall_get_arguments(): rdi, rsi, rdx, r10 (not rcx), r8, r9. */
PM_TEST(x86_64_regs, syscall_number_arguments_and_result)
{
	struct pm_user_regs r;

	fx_regs(&r, 0);
	r.orig_rax = 61;
	cr_assert_eq(pm_arch_syscall_nr(&r), 61);
	cr_assert_eq(pm_arch_syscall_arg(&r, 0), r.rdi);
	cr_assert_eq(pm_arch_syscall_arg(&r, 1), r.rsi);
	cr_assert_eq(pm_arch_syscall_arg(&r, 2), r.rdx);
	cr_assert_eq(pm_arch_syscall_arg(&r, 3), r.r10);
	cr_assert_eq(pm_arch_syscall_arg(&r, 4), r.r8);
	cr_assert_eq(pm_arch_syscall_arg(&r, 5), r.r9);
	cr_assert_eq(pm_arch_syscall_arg(&r, 6), 0);
	pm_arch_syscall_set_return(&r, -PM_EINTR);
	cr_assert_eq(r.rax, (uint64_t)-4);
	cr_assert_eq(pm_arch_syscall_return(&r), -4);
	r.orig_rax = (uint64_t)-1;
	cr_assert_eq(pm_arch_syscall_nr(&r), -1, "not in a system call");
}

PM_TEST(x86_64_regs, init_exec_is_linux_start_thread)
{
	struct pm_user_regs r, want;

	fx_regs(&r, 0);
	pm_arch_regs_init_exec(&r, 0x401000, 0x7ffffffde000);
	memset(&want, 0, sizeof(want));
	want.rip = 0x401000;
	want.rsp = 0x7ffffffde000;
	want.cs = 0x33;
	want.ss = 0x2b;
	want.eflags = 0x202;
	want.orig_rax = 59; /* __NR_execve */
	cr_assert_eq(memcmp(&r, &want, sizeof(r)), 0);
}

/* The four restart outcomes of Linux's table (fact sheet 7). */
PM_TEST(x86_64_regs, restart_actions)
{
	struct pm_user_regs r, before;

	fx_regs(&r, 0);
	r.orig_rax = 35; /* nanosleep */
	r.rax = (uint64_t)-512;
	r.rip = 0x401002;
	before = r;
	pm_arch_syscall_restart(&r, PM_RESTART_NONE);
	cr_assert_eq(memcmp(&r, &before, sizeof(r)), 0);

	pm_arch_syscall_restart(&r, PM_RESTART_EINTR);
	cr_assert_eq(r.rax, (uint64_t)-4);
	cr_assert_eq(r.rip, 0x401002);

	r = before;
	pm_arch_syscall_restart(&r, PM_RESTART_AGAIN);
	cr_assert_eq(r.rax, 35, "rax = orig_rax");
	cr_assert_eq(r.rip, 0x401000, "back over the 2-byte syscall");
	cr_assert_eq(r.orig_rax, 35, "orig_rax keeps the number");
	cr_assert_gt(pm_arch_syscall_return(&r), -512, "no restart code left to act on");

	r = before;
	pm_arch_syscall_restart(&r, PM_RESTART_RESTARTBLOCK);
	cr_assert_eq(r.rax, 219, "__NR_restart_syscall");
	cr_assert_eq(r.rip, 0x401000);
	cr_assert_eq(r.rdi, before.rdi, "arguments untouched");
}

/* ---- pm_arch_enter_user (hosted) ---- */

void pm_test_dirty_and_enter(uint64_t pc, uint64_t sp) __attribute__((noreturn));
void pm_test_entry_probe(void);
void pm_test_entry_report(void) __attribute__((noreturn));
uint8_t pm_test_probe[416] __attribute__((aligned(16)));
static uint64_t probe_sp;

/* Runs on the entered stack: exit 0 if the state is start_thread()'s. */
void pm_test_entry_report(void)
{
	uint64_t v;
	uint32_t mxcsr;
	uint16_t fcw;

	for (int i = 0; i < 15; i++) {
		memcpy(&v, pm_test_probe + 8 * i, 8);
		if (v != 0)
			_exit(10 + i);
	}
	memcpy(&v, pm_test_probe + 120, 8);
	if (v != probe_sp)
		_exit(30);
	memcpy(&v, pm_test_probe + 128, 8);
	/* Valgrind's pushfq reports neither IF nor the fixed bit 1. */
	if (v != 0x202 && !(RUNNING_ON_VALGRIND && (v & ~0x202ull) == 0))
		_exit(31);
	memcpy(&mxcsr, pm_test_probe + 136, 4);
	if (mxcsr != 0x1f80)
		_exit(32);
	memcpy(&fcw, pm_test_probe + 144, 2);
	if (fcw != 0x37f)
		_exit(33);
	for (int i = 160; i < 416; i++)
		if (pm_test_probe[i] != 0)
			_exit(34);
	_exit(0);
}

PM_TEST(x86_64_regs, enter_user_starts_with_clean_registers)
{
	size_t len = 64 * 1024;
	uint8_t *stack =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	cr_assert_neq(stack, MAP_FAILED);
	probe_sp = (uint64_t)(uintptr_t)(stack + len - 256);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		pm_test_dirty_and_enter((uint64_t)(uintptr_t)pm_test_entry_probe, probe_sp);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "status %#x", status);
	cr_assert_eq(WEXITSTATUS(status), 0,
	             "exit %d (10+i: GPR i nonzero, 30 rsp, 31 rflags, 32 MXCSR, 33 FCW, 34 xmm)",
	             WEXITSTATUS(status));
	munmap(stack, len);
}
