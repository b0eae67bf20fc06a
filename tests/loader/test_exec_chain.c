/* SPDX-License-Identifier: MIT */
/*
 * Exec chains: `#!` rewrites (argv, AT_EXECFN, depth limit, errors),
 * PT_INTERP interpreters, the credential and signal seams around the point
 * of no return, failures after it, and every allocation failing in turn.
 */
#include <stdio.h>

#include "exec_test.h"

TestSuite(exec_chain, .init = pm_test_setup);

/* The argv strings of a prepared exec, joined with '|'. */
static void argv_of(const struct pm_exec *ex, char *out, size_t cap)
{
	size_t at = ex->p, n = 0;

	out[0] = 0;
	for (uint32_t i = 0; i < ex->argc; i++) {
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "", ex->strings + at);
		at += strlen(ex->strings + at) + 1;
	}
}

static int run(const char *path, const char *const *argv, struct pm_exec *ex, struct uenv *u)
{
	struct pm_exec_params pa = xparams(path, argv ? u_vec(u, argv) : 0, 0);

	return pm_exec_prepare(ex, &pa);
}

PM_TEST(exec_chain, script_argv)
{
	static const char *argv[] = {"s", "1", "2", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	char got[512];

	uenv_init(&u, 1 << 20);
	vprog_add("/bin/prog");
	vtext_add("/s", "#!/bin/prog -x  y \nbody\n");
	cr_assert_eq(run("/s", argv, ex, &u), 0);
	argv_of(ex, got, sizeof(got));
	cr_assert_str_eq(got, "/bin/prog|-x  y|/s|1|2");
	/* AT_EXECFN stays the script's path; the program is the interpreter */
	cr_assert_str_eq(ex->strings + ex->execfn_off, "/s");
	cr_assert_eq(ex->main.e_entry, 0x400078);
	cr_assert_eq(ex->depth, 1);
	pm_exec_release(ex);
	/* nested: each level's script path is the previous interpreter name */
	vtext_add("/t", "#!/s\n");
	cr_assert_eq(run("/t", argv, ex, &u), 0);
	argv_of(ex, got, sizeof(got));
	cr_assert_str_eq(got, "/bin/prog|-x  y|/s|/t|1|2");
	pm_exec_release(ex);
	/* an empty argv: the script path still goes in */
	cr_assert_eq(run("/s", NULL, ex, &u), 0);
	argv_of(ex, got, sizeof(got));
	cr_assert_str_eq(got, "/bin/prog|-x  y|/s");
	pm_exec_release(ex);
	uenv_fini(&u);
	free(ex);
}

/* exec_binprm: five `#!` levels work, a sixth is ELOOP, a self-loop too. */
PM_TEST(exec_chain, depth_limit)
{
	static const char *argv[] = {"x", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	char path[16], text[32];

	uenv_init(&u, 1 << 20);
	vprog_add("/s0");
	for (int i = 1; i <= 6; i++) {
		snprintf(path, sizeof(path), "/s%d", i);
		snprintf(text, sizeof(text), "#!/s%d\n", i - 1);
		vtext_add(path, text);
	}
	cr_assert_eq(run("/s5", argv, ex, &u), 0);
	cr_assert_eq(ex->depth, 5);
	pm_exec_release(ex);
	cr_assert_eq(run("/s6", argv, ex, &u), -PM_ELOOP);
	vtext_add("/loop", "#!/loop\n");
	cr_assert_eq(run("/loop", argv, ex, &u), -PM_ELOOP);
	uenv_fini(&u);
	free(ex);
}

PM_TEST(exec_chain, script_errors)
{
	static const char *argv[] = {"x", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_params pa;
	struct pm_host_file_spec busy = {
	    .path = "/busy", .data = "#!/s\n", .size = 5, .open_error = PM_ETXTBSY};
	struct pm_host_file_spec noexec = {
	    .path = "/noexec", .data = "#!/s\n", .size = 5, .flags = PM_FILE_NOEXEC};

	uenv_init(&u, 1 << 20);
	vtext_add("/nointerp", "#!/missing\n");
	cr_assert_eq(run("/nointerp", argv, ex, &u), -PM_ENOENT);
	vtext_add("/bad", "#!\n");
	cr_assert_eq(run("/bad", argv, ex, &u), -PM_ENOEXEC);
	cr_assert_eq(pm_host_file_add(&busy), 0);
	cr_assert_eq(pm_host_file_add(&noexec), 0);
	vtext_add("/tobusy", "#!/busy\n");
	cr_assert_eq(run("/tobusy", argv, ex, &u), -PM_ETXTBSY);
	vtext_add("/tonoexec", "#!/noexec\n");
	cr_assert_eq(run("/tonoexec", argv, ex, &u), -PM_EACCES);
	/* a script reached through an O_CLOEXEC fd: ENOENT; an ELF is fine */
	vprog_add("/p");
	vtext_add("/s", "#!/p\n");
	pa = xparams("/dev/fd/3/s", u_vec(&u, argv), 0);
	pa.path_inaccessible = true;
	pa.file = NULL;
	vtext_add("/dev/fd/3/s", "#!/p\n");
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_ENOENT);
	pa = xparams("/p", u_vec(&u, argv), 0);
	pa.path_inaccessible = true;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	pm_exec_release(ex);
	uenv_fini(&u);
	free(ex);
}

/* What a rewrite pushes counts against the budget (copy_string_kernel). */
PM_TEST(exec_chain, script_e2big)
{
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_params pa;
	char *s = malloc(PM_ARG_MAX);
	/* budget: 128 KiB minus two pointers; after the rewrite the strings
	 * are "/p", "/s", the long one and "/s": 9 bytes besides it */
	const size_t fill = PM_ARG_MAX - 16 - 9 + 1;
	pm_uaddr_t v[3];

	uenv_init(&u, 4 << 20);
	vprog_add("/p");
	vtext_add("/s", "#!/p\n"); /* removes "x" (2), adds "/s" (3) and "/p" (3) */
	/* one byte too many: fits while copying, not after the rewrite */
	memset(s, 'e', fill);
	s[fill - 1] = 0;
	v[0] = u_str(&u, "x");
	v[1] = u_str(&u, s);
	v[2] = 0;
	pa = xparams("/s", u_bytes(&u, v, sizeof(v)), 0);
	pa.rlim_stack_cur = 0;
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_E2BIG);
	s[fill - 2] = 0; /* one byte less: it fits exactly */
	v[1] = u_str(&u, s);
	pa = xparams("/s", u_bytes(&u, v, sizeof(v)), 0);
	pa.rlim_stack_cur = 0;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_eq(ex->strings_size - ex->p, ex->limit);
	pm_exec_release(ex);
	free(s);
	uenv_fini(&u);
	free(ex);
}

PM_TEST(exec_chain, pt_interp)
{
	static const char *argv[] = {"dyn", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_image img;
	struct pm_elf_hal_mapper hm;
	struct pm_hal_as *as = pm_host_as_create(false);
	struct lt_find fd = {.as = as, .base = X86_MMAP_BASE};

	uenv_init(&u, 1 << 20);
	vdyn_add("/lib/ld.so");
	cr_assert_eq(run("/bin/dyn", argv, ex, &u), 0);
	cr_assert_str_eq(ex->interp_path, "/lib/ld.so");
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	pm_elf_hal_mapper_init(&hm, as, lt_find_free, &fd);
	cr_assert_eq(pm_exec_load(ex, &hm.mapper, &img), 0);
	cr_assert_eq(img.at_entry, X86_DYN_BASE + 0x280);
	cr_assert_eq(img.at_phdr, X86_DYN_BASE + 64);
	cr_assert_eq(img.at_base, X86_MMAP_BASE - 0x1000);
	cr_assert_eq(img.entry, X86_MMAP_BASE - 0x1000 + 0x100);
	cr_assert_eq(pm_host_as_count(as), 2);
	pm_exec_release(ex);
	pm_host_as_destroy(as);
	/* missing, unreadable or bad interpreters */
	vdyn_add("/lib/none.so");
	cr_assert_eq(run("/bin/dyn", argv, ex, &u), -PM_ENOENT);
	vfile_add("/lib/short", "\177ELF", 4, 0);
	vdyn_add("/lib/short");
	cr_assert_eq(run("/bin/dyn", argv, ex, &u), -PM_EIO);
	{
		char script[80];

		memset(script, ' ', sizeof(script));
		memcpy(script, "#!/bin/sh", 9);
		vfile_add("/lib/script", script, sizeof(script), 0);
	}
	vdyn_add("/lib/script");
	cr_assert_eq(run("/bin/dyn", argv, ex, &u), -PM_ELIBBAD);
	uenv_fini(&u);
	free(ex);
}

/* Failures after the point of no return are returned by pm_exec_load, and
 * the program's mappings go when the interpreter's fail. */
PM_TEST(exec_chain, load_failures)
{
	static const char *argv[] = {"dyn", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_image img;
	struct pm_elf_hal_mapper hm;
	struct pm_hal_as *as = pm_host_as_create(false);

	uenv_init(&u, 1 << 20);
	vdyn_add("/lib/ld.so");
	cr_assert_eq(run("/bin/dyn", argv, ex, &u), 0);
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL); /* no free-range service */
	cr_assert_eq(pm_exec_load(ex, &hm.mapper, &img), -PM_ENOMEM);
	cr_assert_eq(pm_host_as_count(as), 0);
	pm_exec_release(ex);
	pm_host_as_destroy(as);
	uenv_fini(&u);
	free(ex);
}

/* The seams: creds computed for the final file last before the point of no
 * return, aborted on failure, committed after the signal reset. */
struct seam_log {
	char log[128];
	int creds_err;
	uint32_t mode_seen;
};

static int h_prepare(void *ctx, struct pm_hal_file *file, const struct pm_file_attr *attr,
                     struct pm_exec_newcred *out)
{
	struct seam_log *l = ctx;

	(void)file;
	strcat(l->log, "prepare,");
	l->mode_seen = attr->mode;
	if (l->creds_err)
		return l->creds_err;
	out->secureexec = true;
	out->euid = 0;
	out->uid = 1000;
	return 0;
}

static void h_abort(void *ctx, struct pm_exec_newcred *c)
{
	(void)c;
	strcat(((struct seam_log *)ctx)->log, "abort,");
}

static void h_commit(void *ctx, struct pm_exec_newcred *c)
{
	(void)c;
	strcat(((struct seam_log *)ctx)->log, "commit,");
}

static void h_signals(void *ctx)
{
	strcat(((struct seam_log *)ctx)->log, "signals,");
}

PM_TEST(exec_chain, seams)
{
	static const char *argv[] = {"s", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct seam_log l = {0};
	struct pm_exec_hooks hooks = {&l, h_prepare, h_abort, h_commit, h_signals};
	struct pm_exec_params pa;
	struct pm_exec_image img;
	struct pm_elf_hal_mapper hm;
	struct pm_hal_as *as = pm_host_as_create(false);

	uenv_init(&u, 1 << 20);
	vfile_add("/p", NULL, 0, 0);
	vprog_add("/p");
	vfile_add("/s", "#!/p\n", 5, PM_S_IFREG | 04755);
	pa = xparams("/s", u_vec(&u, argv), 0);
	pa.hooks = &hooks;
	pa.rlim_stack_cur = UINT64_MAX;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	/* the credentials are those of the interpreter, not the set-uid script */
	cr_assert_eq(l.mode_seen, PM_S_IFREG | 0755);
	cr_assert_str_eq(l.log, "prepare,");
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	cr_assert_str_eq(l.log, "prepare,signals,commit,");
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	cr_assert_eq(pm_exec_load(ex, &hm.mapper, &img), 0);
	cr_assert(img.secure);
	cr_assert_eq(img.uid, 1000);
	cr_assert_eq(img.rlim_stack_cur, PM_STK_LIM); /* capped by a secure exec */
	pm_exec_release(ex);
	cr_assert_str_eq(l.log, "prepare,signals,commit,");
	/* released before the point of no return: aborted */
	l.log[0] = 0;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	pm_exec_release(ex);
	cr_assert_str_eq(l.log, "prepare,abort,");
	/* the hook's error is exec's */
	l.log[0] = 0;
	l.creds_err = -PM_EPERM;
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EPERM);
	cr_assert_str_eq(l.log, "prepare,");
	pm_host_as_destroy(as);
	uenv_fini(&u);
	free(ex);
}

/* Every allocation of a prepare failing in turn: ENOMEM, nothing leaked,
 * no file left open (PM_TEST checks too). */
PM_TEST(exec_chain, allocation_failures)
{
	static const char *argv[] = {"s", "a", NULL};
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_params pa;
	struct pm_host_stats s0, s1;
	struct eb_elf *e = malloc(sizeof(*e));
	size_t size;
	uint8_t *img;
	uint64_t n;

	uenv_init(&u, 1 << 20);
	/* a program with many PT_LOADs (the plan allocates) behind a script */
	eb_std(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	for (int i = 1; i < 12; i++)
		eb_ph(e, PM_PT_LOAD, PM_PF_R, 0, 0x1000000 + (uint64_t)i * 0x1000, 0x10, 0x10,
		      0x1000);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(e, &size);
	vfile_add("/p", img, size, 0);
	vtext_add("/s", "#!/p\n");
	pa = xparams("/s", u_vec(&u, argv), 0);
	for (n = 1;; n++) {
		uint64_t files = pm_host_files_open();
		int err;

		pm_host_stats_get(&s0);
		pm_host_fault_alloc_nth(n);
		err = pm_exec_prepare(ex, &pa);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		pm_host_stats_get(&s1);
		cr_assert_eq(s1.live_allocs, s0.live_allocs);
		cr_assert_eq(pm_host_files_open(), files);
	}
	cr_assert_eq(n, 3); /* the strings, then the plan's segments */
	pm_exec_release(ex);
	/* and every user copy failing in turn: EFAULT, nothing kept */
	for (n = 1;; n++) {
		int err;

		pm_host_fault_copy_nth(n);
		err = pm_exec_prepare(ex, &pa);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_EFAULT);
	}
	cr_assert_gt(n, 4);
	pm_exec_release(ex);
	free(img);
	free(e);
	uenv_fini(&u);
	free(ex);
}
