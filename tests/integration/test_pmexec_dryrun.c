/* SPDX-License-Identifier: MIT */
/*
 * `pmexec --dry-run --no-randomize` against the running kernel. Linux
 * execs the same program with randomisation off, the same argv,
 * environment and an 8 MiB RLIMIT_STACK, and is stopped before the
 * program's first instruction (tests/common/linux_exec.c); the Linux
 * document is built from what it gave (registers, maps, auxv, stat, the
 * stack image) and the program's ELF headers, with pmexec's keys. Then
 * every field is compared, with linux-exec-state's compare rules:
 * host-specific values are skipped only when pmexec passed its host's
 * through (AT_HWCAP, AT_HWCAP2, AT_MINSIGSTKSZ equal to this process's,
 * the ids equal to this process's), AT_SYSINFO_EHDR's value is never
 * compared (its place in the auxv is), and the stack images are compared
 * byte for byte with the 16 AT_RANDOM bytes and the skipped values
 * masked.
 */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_mini.h"
#include "linux_exec.h"
#include "pmexec_test.h"
#include "procmgr/auxv.h"

TestSuite(pmexec_dryrun, .init = pmexec_test_requirements);

#define PAGE_DOWN(x) ((x) & ~4095ull)

static char *env_std[] = {"PATH=/usr/bin:/bin", "A=1", "LANG=C.UTF-8", NULL};

/* ---- the program's ELF headers ---- */

struct elf_info {
	uint16_t type;
	size_t nload;
	Elf64_Phdr load[32];
	char interp[PATH_MAX];
};

static void read_elf(const char *path, struct elf_info *e)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(e, 0, sizeof(*e));
	cr_assert_geq(fd, 0, "open %s", path);
	cr_assert_eq(pread(fd, &eh, sizeof(eh), 0), (ssize_t)sizeof(eh));
	e->type = eh.e_type;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		cr_assert_eq(pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))),
		             (ssize_t)sizeof(ph));
		if (ph.p_type == PT_LOAD && e->nload < 32)
			e->load[e->nload++] = ph;
		if (ph.p_type == PT_INTERP && !e->interp[0] && ph.p_filesz < sizeof(e->interp))
			cr_assert_eq(pread(fd, e->interp, ph.p_filesz, (off_t)ph.p_offset),
			             (ssize_t)ph.p_filesz);
	}
	close(fd);
}

/* ---- comparison ---- */

struct cmp {
	const struct jm *pm;
	char diffs[8192];
	size_t used;
	unsigned int fields, differ;
};

static void diff(struct cmp *c, const char *fmt, const char *path, const char *l, const char *p)
{
	c->differ++;
	if (c->used < sizeof(c->diffs) - 256)
		c->used += (size_t)snprintf(c->diffs + c->used, sizeof(c->diffs) - c->used, fmt,
		                            path, l, p);
}

static void num(struct cmp *c, const char *path, uint64_t linux_v)
{
	bool found;
	uint64_t v = jm_num(c->pm, path, &found);
	char l[32], p[32];

	c->fields++;
	if (found && v == linux_v)
		return;
	snprintf(l, sizeof(l), "%#llx", (unsigned long long)linux_v);
	snprintf(p, sizeof(p), found ? "%#llx" : "(missing)", (unsigned long long)v);
	diff(c, "DIFF %s: linux=%s pmexec=%s\n", path, l, p);
}

static void str(struct cmp *c, const char *path, const char *linux_v)
{
	const char *v = jm_str(c->pm, path);

	c->fields++;
	if (v && linux_v && strcmp(v, linux_v) == 0)
		return;
	diff(c, "DIFF %s: linux=\"%s\" pmexec=\"%s\"\n", path, linux_v ? linux_v : "(none)",
	     v ? v : "(missing)");
}

static uint64_t host_auxv(uint64_t type)
{
	uint64_t pair[2], v = 0;
	int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);

	while (fd >= 0 && read(fd, pair, sizeof(pair)) == (ssize_t)sizeof(pair) && pair[0])
		if (pair[0] == type)
			v = pair[1];
	if (fd >= 0)
		close(fd);
	return v;
}

/* compare.py's rule: a host value passed through is not a difference. */
static bool skipped_value(const struct jm *pm, size_t i, uint64_t type)
{
	char path[64];
	uint64_t v;
	bool found;

	snprintf(path, sizeof(path), "auxv[%zu].value", i);
	v = jm_num(pm, path, &found);
	switch (type) {
	case PM_AT_SYSINFO_EHDR:
		return true; /* the kernel's choice; its place in the auxv is compared */
	case PM_AT_HWCAP:
	case PM_AT_HWCAP2:
	case PM_AT_MINSIGSTKSZ:
		return found && v == host_auxv(type);
	case PM_AT_UID:
		return found && v == getuid();
	case PM_AT_EUID:
		return found && v == geteuid();
	case PM_AT_GID:
		return found && v == getgid();
	case PM_AT_EGID:
		return found && v == getegid();
	default:
		return false;
	}
}

static const char *at_name(uint64_t t)
{
	static const struct {
		uint64_t t;
		const char *n;
	} names[] = {{0, "AT_NULL"},
	             {3, "AT_PHDR"},
	             {4, "AT_PHENT"},
	             {5, "AT_PHNUM"},
	             {6, "AT_PAGESZ"},
	             {7, "AT_BASE"},
	             {8, "AT_FLAGS"},
	             {9, "AT_ENTRY"},
	             {11, "AT_UID"},
	             {12, "AT_EUID"},
	             {13, "AT_GID"},
	             {14, "AT_EGID"},
	             {15, "AT_PLATFORM"},
	             {16, "AT_HWCAP"},
	             {17, "AT_CLKTCK"},
	             {23, "AT_SECURE"},
	             {25, "AT_RANDOM"},
	             {26, "AT_HWCAP2"},
	             {27, "AT_RSEQ_FEATURE_SIZE"},
	             {28, "AT_RSEQ_ALIGN"},
	             {31, "AT_EXECFN"},
	             {33, "AT_SYSINFO_EHDR"},
	             {51, "AT_MINSIGSTKSZ"}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == t)
			return names[i].n;
	return "AT_?";
}

static void segments(struct cmp *c, const char *prefix, const struct elf_info *e, uint64_t bias)
{
	char path[128];

	snprintf(path, sizeof(path), "%ssegments", prefix);
	c->fields++;
	if (jm_len(c->pm, path) != e->nload)
		diff(c, "DIFF %s: linux=%s pmexec=%s\n", path, "(count differs)", "");
	for (size_t i = 0; i < e->nload; i++) {
		const Elf64_Phdr *ph = &e->load[i];
		char prot[4] = {ph->p_flags & PF_R ? 'r' : '-', ph->p_flags & PF_W ? 'w' : '-',
		                ph->p_flags & PF_X ? 'x' : '-', 0};

		snprintf(path, sizeof(path), "%ssegments[%zu].vaddr", prefix, i);
		num(c, path, ph->p_vaddr + bias);
		snprintf(path, sizeof(path), "%ssegments[%zu].memsz", prefix, i);
		num(c, path, ph->p_memsz);
		snprintf(path, sizeof(path), "%ssegments[%zu].filesz", prefix, i);
		num(c, path, ph->p_filesz);
		snprintf(path, sizeof(path), "%ssegments[%zu].offset", prefix, i);
		num(c, path, ph->p_offset);
		snprintf(path, sizeof(path), "%ssegments[%zu].prot", prefix, i);
		str(c, path, prot);
	}
}

/* Lowest mapping of `file` minus the first PT_LOAD's page: the load bias. */
static uint64_t maps_bias(const struct lx_state *st, const char *file, const struct elf_info *e)
{
	char real[PATH_MAX];
	uint64_t low = UINT64_MAX;

	if (e->type == ET_EXEC || !realpath(file, real))
		return 0;
	for (size_t i = 0; i < st->nmaps; i++)
		if (strcmp(st->maps[i].path, real) == 0 && st->maps[i].start < low)
			low = st->maps[i].start;
	return low - PAGE_DOWN(e->load[0].p_vaddr);
}

static void vec(struct cmp *c, const struct lx_state *st, const char *name, const char *addrs,
                uint64_t at, uint64_t n)
{
	char path[64];

	c->fields++;
	if (jm_len(c->pm, name) != n)
		diff(c, "DIFF %s: linux=%s pmexec=%s\n", name, "(count differs)", "");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a = lx_stack_word(st, at + 8 * i);

		snprintf(path, sizeof(path), "%s[%llu]", name, (unsigned long long)i);
		str(c, path, lx_stack_str(st, a));
		snprintf(path, sizeof(path), "%s[%llu]", addrs, (unsigned long long)i);
		num(c, path, a);
	}
}

static void stack_image(struct cmp *c, const struct lx_state *st)
{
	const char *hex = jm_str(c->pm, "stack_hex");
	uint64_t sp = st->regs.rsp, argc = lx_stack_word(st, sp);
	size_t n = st->stack_size, auxv_off = 8 * (1 + argc + 1), envc = 0;
	uint8_t *lx = malloc(n), *pm = malloc(n);
	uint64_t rnd = lx_auxv(st, PM_AT_RANDOM, NULL), prnd = jm_num(c->pm, "random_addr", NULL);

	c->fields++;
	while (lx_stack_word(st, sp + auxv_off + 8 * envc))
		envc++;
	auxv_off += 8 * (envc + 1);
	if (!hex || strlen(hex) != 2 * n) {
		diff(c, "DIFF %s: linux=%s pmexec=%s\n", "stack_hex", "(image)",
		     "(length differs)");
		goto out;
	}
	memcpy(lx, st->stack, n);
	for (size_t i = 0; i < n; i++) {
		unsigned int b;

		sscanf(hex + 2 * i, "%2x", &b);
		pm[i] = (uint8_t)b;
	}
	/* AT_RANDOM bytes, and the values of skipped auxv entries, on both sides */
	if (rnd >= sp && rnd - sp + 16 <= n)
		memset(lx + (rnd - sp), 0, 16);
	if (prnd >= sp && prnd - sp + 16 <= n)
		memset(pm + (prnd - sp), 0, 16);
	for (size_t i = 0; i < st->naux; i++)
		if (skipped_value(c->pm, i, st->auxv[2 * i]) && auxv_off + 16 * i + 16 <= n) {
			memset(lx + auxv_off + 16 * i + 8, 0, 8);
			memset(pm + auxv_off + 16 * i + 8, 0, 8);
		}
	for (size_t i = 0; i < n; i++) {
		if (lx[i] != pm[i]) {
			char l[64], p[16];

			snprintf(l, sizeof(l), "%#x at sp+%#zx", lx[i], i);
			snprintf(p, sizeof(p), "%#x", pm[i]);
			diff(c, "DIFF %s: linux=%s pmexec=%s\n", "stack_hex", l, p);
			break;
		}
	}
out:
	free(lx);
	free(pm);
}

/* The whole document, field by field. `elf` is the file exec finally loads
 * (the interpreter of a script). */
static void compare(struct cmp *c, const struct lx_state *st, const char *path, const char *elf)
{
	struct elf_info e, ie;
	uint64_t sp = st->regs.rsp, argc = lx_stack_word(st, sp), envc = 0;
	const struct user_regs_struct *r = &st->regs;
	char key[64];

	read_elf(elf, &e);
	while (lx_stack_word(st, sp + 8 * (argc + 2 + envc)))
		envc++;
	str(c, "path", path);
	str(c, "type", e.type == ET_EXEC ? "ET_EXEC" : "ET_DYN");
	str(c, "machine", "x86_64");
	num(c, "load_bias", maps_bias(st, elf, &e));
	num(c, "entry", lx_auxv(st, PM_AT_ENTRY, NULL));
	segments(c, "", &e, maps_bias(st, elf, &e));
	if (e.interp[0]) {
		read_elf(e.interp, &ie);
		str(c, "interp.path", e.interp);
		num(c, "interp.load_bias", lx_auxv(st, PM_AT_BASE, NULL));
		num(c, "interp.entry", r->rip);
		segments(c, "interp.", &ie, lx_auxv(st, PM_AT_BASE, NULL));
	} else {
		const struct jm *j = jm_get(c->pm, "interp");

		c->fields++;
		if (!j || j->type != JM_NULL)
			diff(c, "DIFF %s: linux=%s pmexec=%s\n", "interp", "null", "(not null)");
	}
	num(c, "brk", st->stat[LX_STAT_START_BRK]);
	num(c, "stack_top", st->stack_end);
	num(c, "sp", sp);
	num(c, "argc", argc);
	vec(c, st, "argv", "argv_addrs", sp + 8, argc);
	vec(c, st, "envp", "envp_addrs", sp + 8 * (argc + 2), envc);
	str(c, "execfn", lx_stack_str(st, lx_auxv(st, PM_AT_EXECFN, NULL)));
	str(c, "platform", lx_stack_str(st, lx_auxv(st, PM_AT_PLATFORM, NULL)));
	c->fields++;
	if (jm_len(c->pm, "auxv") != st->naux)
		diff(c, "DIFF %s: linux=%s pmexec=%s\n", "auxv", "(count differs)", "");
	for (size_t i = 0; i < st->naux; i++) {
		snprintf(key, sizeof(key), "auxv[%zu].type", i);
		str(c, key, at_name(st->auxv[2 * i]));
		snprintf(key, sizeof(key), "auxv[%zu].value", i);
		if (!skipped_value(c->pm, i, st->auxv[2 * i]))
			num(c, key, st->auxv[2 * i + 1]);
	}
	num(c, "random_addr", lx_auxv(st, PM_AT_RANDOM, NULL));
	str(c, "stack_prot", st->stack_exec ? "rwx" : "rw-");
	num(c, "stack_vma_start", st->stack_start);
	num(c, "stat.start_code", st->stat[LX_STAT_START_CODE]);
	num(c, "stat.end_code", st->stat[LX_STAT_END_CODE]);
	num(c, "stat.start_stack", st->stat[LX_STAT_START_STACK]);
	num(c, "stat.start_data", st->stat[LX_STAT_START_DATA]);
	num(c, "stat.end_data", st->stat[LX_STAT_END_DATA]);
	num(c, "stat.start_brk", st->stat[LX_STAT_START_BRK]);
	num(c, "stat.arg_start", st->stat[LX_STAT_ARG_START]);
	num(c, "stat.arg_end", st->stat[LX_STAT_ARG_END]);
	num(c, "stat.env_start", st->stat[LX_STAT_ENV_START]);
	num(c, "stat.env_end", st->stat[LX_STAT_ENV_END]);
	num(c, "regs.rip", r->rip);
	num(c, "regs.rsp", r->rsp);
	num(c, "regs.rax", r->rax);
	num(c, "regs.rdx", r->rdx);
	num(c, "regs.rbp", r->rbp);
	num(c, "regs.r15", r->r15);
	num(c, "regs.orig_rax", r->orig_rax);
	num(c, "regs.eflags", r->eflags);
	num(c, "regs.cs", r->cs);
	num(c, "regs.ss", r->ss);
	num(c, "regs.fs_base", r->fs_base);
	stack_image(c, st);
}

/* Exec `argv` under Linux and plan it with pmexec; every field must agree. */
static void check(const char *what, char *const argv[], char *const envp[], const char *elf,
                  char *const *popts)
{
	struct lx_req req = {.path = argv[0], .argv = argv, .envp = envp, .rlim_stack = 8u << 20};
	struct lx_state *st = calloc(1, sizeof(*st));
	char *opts_default[] = {"--dry-run", "--no-randomize", NULL};
	char **pv = pmexec_argv(popts ? popts : opts_default, argv);
	struct prun_opts po = {.rlim_stack = 8u << 20};
	struct prun r;
	struct cmp c = {0};
	char err[128];
	struct jm *doc;

	cr_assert_eq(lx_exec(&req, st), 0);
	cr_assert_eq(st->outcome, LX_STOPPED, "%s: Linux did not stop at the exec", what);
	cr_assert_eq(prun(pv, envp, &po, &r), 0);
	cr_assert(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "%s: pmexec %#x: %s", what,
	          r.status, r.err);
	doc = jm_parse(r.out, err, sizeof(err));
	cr_assert_not_null(doc, "%s: bad JSON: %s", what, err);
	c.pm = doc;
	compare(&c, st, argv[0], elf);
	if (getenv("PM_DRYRUN_VERBOSE"))
		fprintf(stderr, "%-24s %u/%u fields agree\n", what, c.fields - c.differ, c.fields);
	cr_expect_eq(c.differ, 0, "%s: %u of %u fields differ:\n%s", what, c.differ, c.fields,
	             c.diffs);
	jm_destroy(doc);
	prun_free(&r);
	free(pv);
	lx_free(st);
	free(st);
}

PM_TEST(pmexec_dryrun, static_busybox)
{
	char *argv[] = {BUSYBOX, "echo", "hello", "from procmgr", NULL};

	check("busybox echo", argv, env_std, BUSYBOX, NULL);
}

PM_TEST(pmexec_dryrun, static_pie)
{
	char *argv[] = {PMEXEC_PROBE, "a", "", "b", NULL};

	check("static-pie", argv, env_std, PMEXEC_PROBE, NULL);
}

PM_TEST(pmexec_dryrun, dynamic_coreutils)
{
	char *t[] = {"/usr/bin/true", "--version", NULL};
	char *ls[] = {"/bin/ls", "-l", "/", NULL};
	char *pe[] = {"/usr/bin/printenv", "A", NULL};

	check("true --version", t, env_std, "/usr/bin/true", NULL);
	check("ls -l /", ls, env_std, "/bin/ls", NULL);
	check("printenv", pe, env_std, "/usr/bin/printenv", NULL);
}

/* A #! script: the interpreter is what is loaded, AT_EXECFN the script. */
PM_TEST(pmexec_dryrun, script)
{
	static const char s[] = "#!/bin/sh -e\necho hi\n";
	char *argv[] = {(char *)pmexec_test_file("dry.sh", s, sizeof(s) - 1, 0755), "arg", NULL};

	check("#! script", argv, env_std, "/bin/sh", NULL);
}

/* Many and long strings: the stack image spans pages. */
PM_TEST(pmexec_dryrun, big_arguments)
{
	enum { N = 600 };
	static char buf[N][20], big[30000];
	static char *argv[N + 2], *envp[4];

	argv[0] = BUSYBOX;
	for (int i = 0; i < N; i++) {
		snprintf(buf[i], sizeof(buf[i]), "arg%d-%.*s", i, i % 7, "xxxxxxx");
		argv[i + 1] = buf[i];
	}
	memset(big, 'v', sizeof(big) - 1);
	memcpy(big, "BIG=", 4);
	envp[0] = big;
	envp[1] = "SMALL=1";
	envp[2] = "EMPTY=";
	check("big arguments", argv, envp, BUSYBOX, NULL);
}

/* An empty environment and argv[0] other than the path (--argv0). */
PM_TEST(pmexec_dryrun, argv0_and_empty_environment)
{
	char *argv[] = {"/usr/bin/true", NULL};
	char *lx_argv[] = {"some-name", NULL};
	char *empty[] = {NULL};
	char *opts[] = {"--dry-run", "--no-randomize", "--argv0", "some-name", NULL};
	struct lx_req req = {
	    .path = "/usr/bin/true", .argv = lx_argv, .envp = empty, .rlim_stack = 8u << 20};
	struct lx_state *st = calloc(1, sizeof(*st));
	char **pv = pmexec_argv(opts, argv);
	struct prun_opts po = {.rlim_stack = 8u << 20};
	struct prun r;
	struct cmp c = {0};
	struct jm *doc;

	cr_assert_eq(lx_exec(&req, st), 0);
	cr_assert_eq(st->outcome, LX_STOPPED);
	cr_assert_eq(prun(pv, empty, &po, &r), 0);
	doc = jm_parse(r.out, NULL, 0);
	cr_assert_not_null(doc, "%s", r.err);
	c.pm = doc;
	compare(&c, st, "/usr/bin/true", "/usr/bin/true");
	cr_expect_eq(c.differ, 0, "%u of %u fields differ:\n%s", c.differ, c.fields, c.diffs);
	jm_destroy(doc);
	prun_free(&r);
	free(pv);
	lx_free(st);
	free(st);
}

/* --seed: the same seed gives the same document, another seed another one. */
PM_TEST(pmexec_dryrun, seed_is_reproducible)
{
	char *argv[] = {"/bin/ls", NULL};
	char *s1[] = {"--dry-run", "--seed", "1", NULL}, *s2[] = {"--dry-run", "--seed", "2", NULL};
	char **a = pmexec_argv(s1, argv), **b = pmexec_argv(s2, argv);
	struct prun r1, r2, r3;

	cr_assert_eq(prun(a, env_std, NULL, &r1), 0);
	cr_assert_eq(prun(a, env_std, NULL, &r2), 0);
	cr_assert_eq(prun(b, env_std, NULL, &r3), 0);
	cr_expect_str_eq(r1.out, r2.out);
	cr_expect_str_neq(r1.out, r3.out);
	cr_expect_not_null(strstr(r1.out, "\"load_bias\""));
	prun_free(&r1);
	prun_free(&r2);
	prun_free(&r3);
	free(a);
	free(b);
}

/* A riscv64 program is planned with riscv64's rules on this x86_64 host:
 * Sv39 stack top, no AT_PLATFORM or AT_HWCAP2, ARCH_DLINFO's eight cache
 * entries after AT_SYSINFO_EHDR (fs/binfmt_elf.c, arch/riscv elf.h). */
PM_TEST(pmexec_dryrun, riscv64_plan)
{
#ifdef PMEXEC_RISCV64_PROBE
	char *argv[] = {PMEXEC_RISCV64_PROBE, "x", NULL};
	char *opts[] = {"--dry-run", "--no-randomize", NULL};
	char *sv48[] = {"--dry-run", "--no-randomize", "--layout", "sv48", NULL};
	char **pv = pmexec_argv(opts, argv), **pv48 = pmexec_argv(sv48, argv);
	static const char *const order[] = {"AT_SYSINFO_EHDR",
	                                    "AT_L1I_CACHESIZE",
	                                    "AT_L1I_CACHEGEOMETRY",
	                                    "AT_L1D_CACHESIZE",
	                                    "AT_L1D_CACHEGEOMETRY",
	                                    "AT_L2_CACHESIZE",
	                                    "AT_L2_CACHEGEOMETRY",
	                                    "AT_L3_CACHESIZE",
	                                    "AT_L3_CACHEGEOMETRY",
	                                    "AT_MINSIGSTKSZ",
	                                    "AT_HWCAP",
	                                    "AT_PAGESZ"};
	struct prun r;
	struct jm *doc;
	char key[32];

	cr_assert_eq(prun(pv, env_std, NULL, &r), 0);
	doc = jm_parse(r.out, NULL, 0);
	cr_assert_not_null(doc, "%s", r.err);
	cr_expect_str_eq(jm_str(doc, "machine"), "riscv64");
	cr_expect_str_eq(jm_str(doc, "type"), "ET_EXEC");
	cr_expect_eq(jm_num(doc, "stack_top", NULL), 0x4000000000ull);
	cr_expect_eq(jm_num(doc, "sp", NULL) % 16, 0);
	cr_expect_null(jm_get(doc, "platform"));
	cr_expect_null(jm_get(doc, "regs"));
	cr_expect_str_eq(jm_str(doc, "argv[1]"), "x");
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		snprintf(key, sizeof(key), "auxv[%zu].type", i);
		cr_expect_str_eq(jm_str(doc, key), order[i]);
	}
	for (size_t i = 0; i < jm_len(doc, "auxv"); i++) {
		snprintf(key, sizeof(key), "auxv[%zu].type", i);
		cr_expect_str_neq(jm_str(doc, key), "AT_HWCAP2");
		cr_expect_str_neq(jm_str(doc, key), "AT_PLATFORM");
	}
	jm_destroy(doc);
	prun_free(&r);
	cr_assert_eq(prun(pv48, env_std, NULL, &r), 0);
	doc = jm_parse(r.out, NULL, 0);
	cr_assert_not_null(doc, "%s", r.err);
	cr_expect_eq(jm_num(doc, "stack_top", NULL), 0x800000000000ull);
	jm_destroy(doc);
	prun_free(&r);
	free(pv);
	free(pv48);
#else
	cr_skip_test("no riscv64-linux-gnu-gcc: no riscv64 program to plan");
#endif
}
