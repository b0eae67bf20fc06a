/* SPDX-License-Identifier: MIT */
/*
 * Bad inputs: pmexec names the file, Linux's errno and what was wrong,
 * and exits 127 (not found) or 126 (found but not executable) as shells
 * do; the errno is the one the running kernel's execve gives for the same
 * file (asked directly). A failure after the point of no return kills the
 * process with SIGSEGV, as Linux does.
 */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux_exec.h"
#include "pmexec_test.h"
#include "procmgr/errno.h"

TestSuite(pmexec_errors, .init = pmexec_test_requirements);

static char *env0[] = {"PATH=/usr/bin:/bin", NULL};

/* A copy of a program, patched by `patch` (may be NULL). */
static const char *patched_copy(const char *src, const char *name,
                                void (*patch)(uint8_t *img, size_t size))
{
	FILE *f = fopen(src, "rb");
	uint8_t *img;
	long size;
	const char *p;

	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	img = malloc((size_t)size);
	cr_assert_eq(fread(img, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	if (patch)
		patch(img, (size_t)size);
	p = pmexec_test_file(name, img, (size_t)size, 0755);
	free(img);
	return p;
}

/* Linux's execve errno for path (0: it ran), through the shared oracle. */
static int linux_errno(const char *path, int *fatal_sig)
{
	char *argv[] = {(char *)path, NULL};
	struct lx_req req = {.path = path, .argv = argv, .envp = env0};
	struct lx_state *st = calloc(1, sizeof(*st));
	int e;

	cr_assert_eq(lx_exec(&req, st), 0);
	e = st->outcome == LX_ERRNO ? st->err : 0;
	*fatal_sig = st->outcome == LX_FATAL ? SIGSEGV : 0;
	lx_free(st);
	free(st);
	return e;
}

/* pmexec on path: exit status `status`, stderr naming file, errno and why. */
static void expect_error(const char *path, int status, int err, const char *file, const char *why)
{
	char *argv[] = {(char *)path, NULL};
	char **pv = pmexec_argv(NULL, argv);
	char want[512];
	struct prun r;
	int sig;

	cr_expect_eq(linux_errno(path, &sig), err, "Linux's execve of %s gives errno %d", path,
	             linux_errno(path, &sig));
	cr_assert_eq(prun(pv, env0, NULL, &r), 0);
	cr_expect(WIFEXITED(r.status) && WEXITSTATUS(r.status) == status,
	          "%s: status %#x, want exit %d (%s)", path, r.status, status, r.err);
	snprintf(want, sizeof(want), "pmexec: %s: %s (%s): ", file, pm_errno_name(err),
	         pm_strerror(err));
	cr_expect(strncmp(r.err, want, strlen(want)) == 0, "stderr '%s', want it to start '%s'",
	          r.err, want);
	cr_expect_not_null(strstr(r.err, why), "stderr '%s' should say '%s'", r.err, why);
	cr_expect_str_eq(r.out, "");
	prun_free(&r);
	free(pv);
}

PM_TEST(pmexec_errors, missing_file)
{
	const char *p = "/nonexistent/program";

	expect_error(p, 127, ENOENT, p, "no such file");
}

PM_TEST(pmexec_errors, not_elf)
{
	const char *p = pmexec_test_file("text.txt", "hello world\n", 12, 0755);

	expect_error(p, 126, ENOEXEC, p, "not an ELF file");
}

static void to_aarch64(uint8_t *img, size_t size)
{
	(void)size;
	img[18] = 183; /* e_machine = EM_AARCH64 */
	img[19] = 0;
}

PM_TEST(pmexec_errors, wrong_machine)
{
	const char *p = patched_copy(BUSYBOX, "aarch64_busybox", to_aarch64);

	expect_error(p, 126, ENOEXEC, p, "built for aarch64 (e_machine 183), not x86_64");
}

static void bad_phentsize(uint8_t *img, size_t size)
{
	(void)size;
	img[54] = 55; /* e_phentsize */
}

PM_TEST(pmexec_errors, malformed_elf)
{
	const char *p = patched_copy(BUSYBOX, "phentsize_busybox", bad_phentsize);
	static uint8_t head[100];
	FILE *f = fopen(BUSYBOX, "rb");
	const char *t;

	expect_error(p, 126, ENOEXEC, p, "e_phentsize is 55");
	cr_assert_eq(fread(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	t = pmexec_test_file("truncated_busybox", head, sizeof(head), 0755);
	expect_error(t, 126, ENOEXEC, t, "run past the end of the file");
}

PM_TEST(pmexec_errors, not_executable)
{
	const char *p = pmexec_test_file("noexec.sh", "#!/bin/sh\n", 10, 0644);

	expect_error(p, 126, EACCES, p, "no execute permission");
	expect_error("/etc", 126, EACCES, "/etc", "directory");
}

static void no_ld_so(uint8_t *img, size_t size)
{
	uint8_t *at = memmem(img, size, "/lib64/ld-linux", 15);

	cr_assert_not_null(at);
	memcpy(at, "/nope6", 6); /* PT_INTERP "/nope6/ld-linux-x86-64.so.2" */
}

PM_TEST(pmexec_errors, missing_interpreters)
{
	static const char s[] = "#!/nonexistent/sh\n";
	const char *p = pmexec_test_file("badinterp.sh", s, sizeof(s) - 1, 0755);
	const char *d = patched_copy("/bin/true", "noldso_true", no_ld_so);

	expect_error(p, 127, ENOENT, "/nonexistent/sh", "#! interpreter does not exist");
	expect_error(d, 127, ENOENT, "/nope6/ld-linux-x86-64.so.2",
	             "its ELF interpreter (PT_INTERP) does not exist");
}

/* A riscv64 program is planned by --dry-run but cannot run on x86_64. */
PM_TEST(pmexec_errors, riscv64_program_cannot_run)
{
#ifdef PMEXEC_RISCV64_PROBE
	expect_error(PMEXEC_RISCV64_PROBE, 126, ENOEXEC, PMEXEC_RISCV64_PROBE,
	             "a riscv64 program cannot run on this x86_64 host");
#else
	cr_skip_test("no riscv64-linux-gnu-gcc: no riscv64 program to try");
#endif
}

/* p_filesz > p_memsz is found by Linux only after the point of no return:
 * execve does not return and the process dies with SIGSEGV. So does pmexec. */
static void filesz_over_memsz(uint8_t *img, size_t size)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	memcpy(&eh, img, sizeof(eh));
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		uint8_t *at = img + eh.e_phoff + i * sizeof(ph);

		cr_assert_leq(eh.e_phoff + (i + 1) * sizeof(ph), size);
		memcpy(&ph, at, sizeof(ph));
		if (ph.p_type == PT_LOAD) {
			ph.p_filesz = ph.p_memsz + 1;
			memcpy(at, &ph, sizeof(ph));
			return;
		}
	}
}

PM_TEST(pmexec_errors, fatal_after_point_of_no_return)
{
	const char *p = patched_copy(BUSYBOX, "filesz_busybox", filesz_over_memsz);
	char *argv[] = {(char *)p, "true", NULL};
	char **pv = pmexec_argv(NULL, argv);
	struct prun r;
	int sig;

	cr_expect_eq(linux_errno(p, &sig), 0);
	cr_expect_eq(sig, SIGSEGV, "Linux kills the process with SIGSEGV");
	cr_assert_eq(prun(pv, env0, NULL, &r), 0);
	cr_expect(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGSEGV, "status %#x (%s)",
	          r.status, r.err);
	cr_expect_not_null(strstr(r.err, "EINVAL"), "%s", r.err);
	prun_free(&r);
	free(pv);
}

/* Command-line mistakes: status 2 and a hint. */
PM_TEST(pmexec_errors, usage)
{
	char *none[] = {NULL};
	char *bad[] = {"--bogus", BUSYBOX, NULL};
	char *seed[] = {"--seed", "x", BUSYBOX, NULL};
	char **v[] = {pmexec_argv(NULL, none), pmexec_argv(NULL, bad), pmexec_argv(NULL, seed)};

	for (size_t i = 0; i < 3; i++) {
		struct prun r;

		cr_assert_eq(prun(v[i], env0, NULL, &r), 0);
		cr_expect(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 2, "case %zu: %#x", i,
		          r.status);
		cr_expect_not_null(strstr(r.err, "pmexec --help"));
		prun_free(&r);
		free(v[i]);
	}
}
