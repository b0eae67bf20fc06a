/*
 * Real input: exec a real program on this Linux host with
 * ADDR_NO_RANDOMIZE, stop it before its first instruction (ptrace), read
 * the initial stack the kernel built ([sp, end of [stack]) from
 * /proc/PID/mem, and its auxv, and build the same stack with
 * pm_vm_stack_build() from the same argv, envp and execfn. The values
 * that describe this host or the loader (AT_HWCAP, AT_HWCAP2,
 * AT_MINSIGSTKSZ, the vDSO, the load addresses, the ids) and the 16
 * AT_RANDOM bytes are taken from the real process; everything else
 * (order, sizes, alignment, every address, every other value) must come
 * out of procmgr identical, byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procmgr/auxv.h"
#include "vm_test.h"

TestSuite(vm_real_stack, .init = pm_test_setup);

struct real {
	uint64_t sp, top;
	uint8_t *img;
	size_t size;
	uint64_t aux[2 * 64];
	size_t naux; /* pairs, AT_NULL included */
};

/* Valgrind's own loader builds its client's stack: no oracle under it. */
static bool under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "vgpreload");
}

static uint64_t stack_end(pid_t pid)
{
	char path[64], line[512];
	uint64_t lo, hi, end = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			end = hi;
	fclose(f);
	cr_assert_neq(end, 0, "no [stack] in the maps");
	return end;
}

static void run_real(char *const argv[], char *const envp[], struct real *r)
{
	struct user_regs_struct regs;
	char path[64];
	int st, fd;
	pid_t pid = fork();
	ssize_t got;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		personality((unsigned long)personality(0xffffffff) | ADDR_NO_RANDOMIZE);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execve(VM_EXEC_TARGET, argv, envp);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "no stop after exec (status %#x)", st);
	cr_assert_eq(ptrace(PTRACE_GETREGS, pid, NULL, &regs), 0);
	r->sp = regs.rsp;
	r->top = stack_end(pid);
	r->size = (size_t)(r->top - r->sp);
	r->img = malloc(r->size);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	got = pread(fd, r->img, r->size, (off_t)r->sp);
	cr_assert_eq(got, (ssize_t)r->size, "read the stack: %s", strerror(errno));
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	got = read(fd, r->aux, sizeof(r->aux));
	close(fd);
	cr_assert_gt(got, 0);
	r->naux = (size_t)got / 16;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static uint64_t aux_get(const struct real *r, uint64_t type)
{
	for (size_t i = 0; i < r->naux; i++)
		if (r->aux[2 * i] == type)
			return r->aux[2 * i + 1];
	return 0;
}

static size_t count(char *const v[])
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/* Build procmgr's image for the same exec and compare it with Linux's. */
static void compare_with_linux(char *const argv[], char *const envp[])
{
	struct real r;
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	uint8_t *img;
	uint64_t rnd;

	if (under_valgrind())
		cr_skip_test("Valgrind loads its client itself");
	run_real(argv, envp, &r);
	memset(&in, 0, sizeof(in));
	in.argv = (struct pm_vm_strv){.v = (const char *const *)argv, .count = count(argv)};
	in.envp = (struct pm_vm_strv){.v = (const char *const *)envp, .count = count(envp)};
	in.execfn = VM_EXEC_TARGET;
	/* Host and loader values, passed through. */
	in.hw.hwcap = aux_get(&r, PM_AT_HWCAP);
	in.hw.hwcap2 = aux_get(&r, PM_AT_HWCAP2);
	in.hw.vdso_base = aux_get(&r, PM_AT_SYSINFO_EHDR);
	in.hw.minsigstksz = aux_get(&r, PM_AT_MINSIGSTKSZ);
	in.phdr = aux_get(&r, PM_AT_PHDR);
	in.phnum = aux_get(&r, PM_AT_PHNUM);
	in.entry = aux_get(&r, PM_AT_ENTRY);
	in.base = aux_get(&r, PM_AT_BASE);
	in.at_flags = aux_get(&r, PM_AT_FLAGS);
	in.uid = (pm_uid_t)aux_get(&r, PM_AT_UID);
	in.euid = (pm_uid_t)aux_get(&r, PM_AT_EUID);
	in.gid = (pm_gid_t)aux_get(&r, PM_AT_GID);
	in.egid = (pm_gid_t)aux_get(&r, PM_AT_EGID);
	in.secure = aux_get(&r, PM_AT_SECURE) != 0;
	rnd = aux_get(&r, PM_AT_RANDOM);
	cr_assert(rnd >= r.sp && rnd + 16 <= r.top);
	memcpy(in.random, r.img + (rnd - r.sp), 16);

	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, r.top, &l, NULL, 0), 0);
	cr_assert_eq(l.sp, r.sp, "sp: procmgr %#llx, Linux %#llx", (unsigned long long)l.sp,
	             (unsigned long long)r.sp);
	cr_assert_eq(l.auxv_count, r.naux, "auxv pairs: procmgr %zu, Linux %zu", l.auxv_count,
	             r.naux);
	img = malloc(l.size);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, r.top, &l, img, l.size), 0);
	for (size_t i = 0; i < l.auxv_count; i++) {
		uint64_t t, v;

		memcpy(&t, img + (l.auxv - l.sp) + 16 * i, 8);
		memcpy(&v, img + (l.auxv - l.sp) + 16 * i + 8, 8);
		cr_assert_eq(t, r.aux[2 * i], "auxv[%zu]: type %llu, Linux %llu", i,
		             (unsigned long long)t, (unsigned long long)r.aux[2 * i]);
		cr_assert_eq(v, r.aux[2 * i + 1], "auxv[%zu] (type %llu): %#llx, Linux %#llx", i,
		             (unsigned long long)t, (unsigned long long)v,
		             (unsigned long long)r.aux[2 * i + 1]);
	}
	for (size_t i = 0; i < l.size; i++)
		cr_assert_eq(img[i], r.img[i], "byte at sp+%zu (%#llx): %#x, Linux %#x", i,
		             (unsigned long long)(l.sp + i), img[i], r.img[i]);
	free(img);
	free(r.img);
}

PM_TEST(vm_real_stack, typical_exec)
{
	char *argv[] = {"vm_exec_target", "--flag", "two words", "", "last", NULL};
	char *envp[] = {"PATH=/usr/bin:/bin", "HOME=/root", "LANG=C.UTF-8", "EMPTY=", "X=1", NULL};

	compare_with_linux(argv, envp);
}

PM_TEST(vm_real_stack, empty_environment)
{
	char *argv[] = {"prog", NULL};
	char *envp[] = {NULL};

	compare_with_linux(argv, envp);
}

/* Linux >= 5.18 pushes "" when argv is empty. */
PM_TEST(vm_real_stack, empty_argv)
{
	char *argv[] = {NULL};
	char *envp[] = {"A=1", NULL};

	compare_with_linux(argv, envp);
}

/* Strings spanning several pages, and many pointers. */
PM_TEST(vm_real_stack, many_and_long_strings)
{
	enum { N = 1000 };
	static char buf[N][24], big[20000];
	static char *argv[N + 1], *envp[3];

	for (int i = 0; i < N; i++) {
		snprintf(buf[i], sizeof(buf[i]), "arg-%d-%.*s", i, i % 11, "abcdefghijk");
		argv[i] = buf[i];
	}
	argv[N] = NULL;
	memset(big, 'v', sizeof(big) - 1);
	memcpy(big, "BIG=", 4);
	envp[0] = big;
	envp[1] = "SMALL=s";
	envp[2] = NULL;
	compare_with_linux(argv, envp);
}
