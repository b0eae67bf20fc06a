/*
 * riscv64 registers: accessors (arch/riscv/include/asm/syscall.h), exec
 * state (process.c start_thread), system-call restart (signal.c
 * arch_do_signal_or_restart) and the hosted pm_arch_enter_user.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rv_test.h"

static void fill(struct pm_user_regs *r)
{
	uint64_t *w = (uint64_t *)r;

	for (size_t i = 0; i < sizeof(*r) / 8; i++)
		w[i] = 0x0101010101010101ull * (i + 1);
}

static void accessors(void)
{
	struct pm_user_regs r;

	fill(&r);
	RV_CHECK(pm_arch_native() == &pm_arch_riscv64);
	RV_EQ(pm_arch_regs_pc(&r), r.pc);
	RV_EQ(pm_arch_regs_sp(&r), r.sp);
	RV_EQ(pm_arch_regs_tp(&r), r.tp);
	pm_arch_regs_set_pc(&r, 0x1000);
	pm_arch_regs_set_sp(&r, 0x2000);
	pm_arch_regs_set_tp(&r, 0x3000);
	RV_EQ(r.pc, 0x1000);
	RV_EQ(r.sp, 0x2000);
	RV_EQ(r.tp, 0x3000);
}

/* syscall_get_nr = a7 while cause is EXC_SYSCALL; arguments orig_a0, a1..a5. */
static void syscall_number_arguments_and_result(void)
{
	struct pm_user_regs r;

	fill(&r);
	r.cause = PM_RISCV64_EXC_SYSCALL;
	r.a7 = 101;
	r.orig_a0 = 77;
	RV_EQ(pm_arch_syscall_nr(&r), 101);
	RV_EQ(pm_arch_syscall_arg(&r, 0), 77);
	RV_EQ(pm_arch_syscall_arg(&r, 1), r.a1);
	RV_EQ(pm_arch_syscall_arg(&r, 5), r.a5);
	RV_EQ(pm_arch_syscall_arg(&r, 6), 0);
	pm_arch_syscall_set_return(&r, -PM_EAGAIN);
	RV_EQ(r.a0, (uint64_t)-11);
	RV_EQ(pm_arch_syscall_return(&r), -11);
	r.cause = 13; /* a load page fault */
	RV_EQ(pm_arch_syscall_nr(&r), -1);
}

static void init_exec_is_linux_start_thread(void)
{
	struct pm_user_regs r, want;

	fill(&r);
	pm_arch_regs_init_exec(&r, 0x10400, 0x3fffffed00);
	memset(&want, 0, sizeof(want));
	want.pc = 0x10400;
	want.sp = 0x3fffffed00;
	want.status = 0x200002020ull; /* UXL=64, FS=Initial, SPIE; VS off */
	RV_CHECK(memcmp(&r, &want, sizeof(r)) == 0);
}

static void restart_actions(void)
{
	struct pm_user_regs r, before;

	fill(&r);
	r.cause = PM_RISCV64_EXC_SYSCALL;
	r.a0 = (uint64_t)-516;
	r.orig_a0 = 5;
	r.a7 = 115; /* clock_nanosleep */
	r.pc = 0x10404;
	before = r;

	pm_arch_syscall_restart(&r, PM_RESTART_NONE);
	RV_EQ(r.a0, before.a0);
	RV_EQ(r.cause, (uint64_t)-1);
	RV_EQ(pm_arch_syscall_nr(&r), -1);

	r = before;
	pm_arch_syscall_restart(&r, PM_RESTART_EINTR);
	RV_EQ(r.a0, (uint64_t)-4);
	RV_EQ(r.pc, 0x10404);

	r = before;
	pm_arch_syscall_restart(&r, PM_RESTART_AGAIN);
	RV_EQ(r.a0, 5);
	RV_EQ(r.pc, 0x10400);
	RV_EQ(r.a7, 115);

	r = before;
	pm_arch_syscall_restart(&r, PM_RESTART_RESTARTBLOCK);
	RV_EQ(r.a0, 5);
	RV_EQ(r.pc, 0x10400);
	RV_EQ(r.a7, 128); /* __NR_restart_syscall */
}

/* ---- pm_arch_enter_user (hosted) ---- */

void pm_test_dirty_and_enter(uint64_t pc, uint64_t sp) __attribute__((noreturn));
void pm_test_entry_probe(void);
int pm_test_entry_check(void);
uint64_t pm_test_probe[65]; /* [1..31] x1-x31, [32] fcsr, [33..64] f0-f31 */
static uint64_t probe_sp;

int pm_test_entry_check(void)
{
	for (int i = 1; i < 32; i++) {
		uint64_t want = i == 2   ? probe_sp - 16
		                : i == 5 ? (uint64_t)(uintptr_t)pm_test_entry_probe
		                         : 0;

		if (pm_test_probe[i] != want)
			return 10 + i;
	}
	if (pm_test_probe[32] != 0)
		return 50;
	for (int i = 33; i < 65; i++)
		if (pm_test_probe[i] != 0)
			return 51;
	return 0;
}

static void enter_user_starts_with_clean_registers(void)
{
	size_t len = 64 * 1024;
	uint8_t *stack =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	RV_CHECK(stack != MAP_FAILED);
	probe_sp = (uint64_t)(uintptr_t)(stack + len - 256);
	pid = fork();
	if (pid == 0)
		pm_test_dirty_and_enter((uint64_t)(uintptr_t)pm_test_entry_probe, probe_sp);
	RV_EQ(waitpid(pid, &status, 0), pid);
	RV_CHECK(WIFEXITED(status));
	if (WEXITSTATUS(status))
		printf("  exit %d: 10+i register xi, 50 fcsr, 51 f register (t0 holds pc)\n",
		       WEXITSTATUS(status));
	RV_EQ(WEXITSTATUS(status), 0);
	munmap(stack, len);
}

const struct rv_test rv_regs_tests[] = {
    {"regs: accessors", accessors},
    {"regs: system-call number, arguments, result", syscall_number_arguments_and_result},
    {"regs: init_exec is start_thread", init_exec_is_linux_start_thread},
    {"regs: restart actions", restart_actions},
    {"regs: enter_user starts with clean registers", enter_user_starts_with_clean_registers},
    {NULL, NULL},
};
