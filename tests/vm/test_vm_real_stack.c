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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux_exec.h"
#include "procmgr/auxv.h"
#include "vm_test.h"

TestSuite(vm_real_stack, .init = pm_test_setup);

static uint64_t aux_get(const struct lx_state *r, uint64_t type)
{
	return lx_auxv(r, type, NULL);
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
	struct lx_req req = {.path = VM_EXEC_TARGET, .argv = argv, .envp = envp};
	struct lx_state *r = calloc(1, sizeof(*r));
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	uint64_t rnd, sp, top;
	uint8_t *img;

	if (lx_unavailable())
		cr_skip_test("Valgrind loads its client itself");
	cr_assert_eq(lx_exec(&req, r), 0);
	cr_assert_eq(r->outcome, LX_STOPPED, "no stop after exec (outcome %d)", r->outcome);
	cr_assert_not_null(r->stack, "no [stack] in the maps, or it could not be read");
	sp = r->regs.rsp;
	top = r->stack_end;
	memset(&in, 0, sizeof(in));
	in.argv = (struct pm_vm_strv){.v = (const char *const *)argv, .count = count(argv)};
	in.envp = (struct pm_vm_strv){.v = (const char *const *)envp, .count = count(envp)};
	in.execfn = VM_EXEC_TARGET;
	/* Host and loader values, passed through. */
	in.hw.hwcap = aux_get(r, PM_AT_HWCAP);
	in.hw.hwcap2 = aux_get(r, PM_AT_HWCAP2);
	in.hw.vdso_base = aux_get(r, PM_AT_SYSINFO_EHDR);
	in.hw.minsigstksz = aux_get(r, PM_AT_MINSIGSTKSZ);
	in.phdr = aux_get(r, PM_AT_PHDR);
	in.phnum = aux_get(r, PM_AT_PHNUM);
	in.entry = aux_get(r, PM_AT_ENTRY);
	in.base = aux_get(r, PM_AT_BASE);
	in.at_flags = aux_get(r, PM_AT_FLAGS);
	in.uid = (pm_uid_t)aux_get(r, PM_AT_UID);
	in.euid = (pm_uid_t)aux_get(r, PM_AT_EUID);
	in.gid = (pm_gid_t)aux_get(r, PM_AT_GID);
	in.egid = (pm_gid_t)aux_get(r, PM_AT_EGID);
	in.secure = aux_get(r, PM_AT_SECURE) != 0;
	rnd = aux_get(r, PM_AT_RANDOM);
	cr_assert(rnd >= sp && rnd + 16 <= top);
	memcpy(in.random, r->stack + (rnd - sp), 16);

	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, top, &l, NULL, 0), 0);
	cr_assert_eq(l.sp, sp, "sp: procmgr %#llx, Linux %#llx", (unsigned long long)l.sp,
	             (unsigned long long)sp);
	cr_assert_eq(l.auxv_count, r->naux, "auxv pairs: procmgr %zu, Linux %zu", l.auxv_count,
	             r->naux);
	img = malloc(l.size);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, top, &l, img, l.size), 0);
	for (size_t i = 0; i < l.auxv_count; i++) {
		uint64_t t, v;

		memcpy(&t, img + (l.auxv - l.sp) + 16 * i, 8);
		memcpy(&v, img + (l.auxv - l.sp) + 16 * i + 8, 8);
		cr_assert_eq(t, r->auxv[2 * i], "auxv[%zu]: type %llu, Linux %llu", i,
		             (unsigned long long)t, (unsigned long long)r->auxv[2 * i]);
		cr_assert_eq(v, r->auxv[2 * i + 1], "auxv[%zu] (type %llu): %#llx, Linux %#llx", i,
		             (unsigned long long)t, (unsigned long long)v,
		             (unsigned long long)r->auxv[2 * i + 1]);
	}
	cr_assert_eq(l.size, r->stack_size);
	for (size_t i = 0; i < l.size; i++)
		cr_assert_eq(img[i], r->stack[i], "byte at sp+%zu (%#llx): %#x, Linux %#x", i,
		             (unsigned long long)(l.sp + i), img[i], r->stack[i]);
	free(img);
	lx_free(r);
	free(r);
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
