/* SPDX-License-Identifier: MIT */
/*
 * pm_exec_prepare() and friends: argv/envp (fs/exec.c count,
 * bprm_stack_limits, copy_strings), `#!` chains (binfmt_script.c,
 * exec_binprm's depth limit), PT_INTERP, the credential and signal seams,
 * the point of no return, loading, and allocation failures.
 */
#include "exec_test.h"

TestSuite(exec, .init = pm_test_setup);

static struct pm_exec *new_ex(void)
{
	struct pm_exec *ex = calloc(1, sizeof(*ex));

	cr_assert_not_null(ex);
	return ex;
}

/* Strings of an image as one comparable byte string. */
static void expect_strings(const struct pm_exec_image *img, const char *want, size_t len)
{
	cr_assert_eq(img->strings_len, len);
	cr_assert_eq(memcmp(img->strings, want, len), 0);
}

static void load_ok(struct pm_exec *ex, struct pm_exec_image *img, struct pm_hal_as **as)
{
	struct pm_elf_hal_mapper hm;
	static struct lt_find fd;

	*as = pm_host_as_create(false);
	fd = (struct lt_find){.as = *as, .base = X86_MMAP_BASE};
	pm_elf_hal_mapper_init(&hm, *as, lt_find_free, &fd);
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	cr_assert_eq(pm_exec_load(ex, &hm.mapper, img), 0);
}

PM_TEST(exec, static_program)
{
	static const char *argv[] = {"prog", "a", NULL}, *envp[] = {"X=1", NULL};
	struct uenv u;
	struct pm_exec *ex = new_ex();
	struct pm_exec_image img;
	struct pm_hal_as *as;
	struct pm_exec_params pa;
	static const char want[] = "prog\0a\0X=1\0/bin/prog";

	uenv_init(&u, 1 << 20);
	vprog_add("/bin/prog");
	pa = xparams("/bin/prog", u_vec(&u, argv), u_vec(&u, envp));
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_eq(pm_exec_load(ex, &(struct pm_elf_mapper){0}, &img), -PM_EINVAL);
	load_ok(ex, &img, &as);
	expect_strings(&img, want, sizeof(want));
	cr_assert_eq(img.argc, 2);
	cr_assert_eq(img.envc, 1);
	cr_assert_eq(img.envp_offset, 7);
	cr_assert_eq(img.execfn_offset, 11);
	cr_assert_eq(img.at_entry, 0x400078);
	cr_assert_eq(img.entry, 0x400078);
	cr_assert_eq(img.at_base, 0);
	cr_assert_eq(img.at_phdr, 0x400040);
	cr_assert_eq(img.at_phnum, 1);
	cr_assert_eq(img.at_phent, 56);
	cr_assert_eq(img.brk_start, 0x401000);
	cr_assert_eq(img.rlim_stack_cur, 8u << 20);
	cr_assert_eq(pm_exec_point_of_no_return(ex), -PM_EINVAL);
	pm_exec_release(ex);
	pm_exec_release(ex);
	pm_host_as_destroy(as);
	uenv_fini(&u);
	free(ex);
}

/* A NULL argv, or an empty one, gets argv[0] = "" (Linux 5.18+). */
PM_TEST(exec, empty_argv)
{
	static const char *none[] = {NULL};
	struct uenv u;
	struct pm_exec *ex = new_ex();
	struct pm_exec_params pa;
	struct pm_exec_image img;
	struct pm_hal_as *as;
	static const char want[] = "\0/p";

	uenv_init(&u, 1 << 20);
	vprog_add("/p");
	pa = xparams("/p", 0, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	load_ok(ex, &img, &as);
	expect_strings(&img, want, sizeof(want));
	cr_assert_eq(img.argc, 1);
	cr_assert_eq(img.envc, 0);
	cr_assert_eq(img.envp_offset, 1);
	pm_exec_release(ex);
	pm_host_as_destroy(as);
	pa = xparams("/p", u_vec(&u, none), u_vec(&u, none));
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_eq(ex->argc, 1);
	pm_exec_release(ex);
	uenv_fini(&u);
	free(ex);
}

/* Unreadable pointer arrays, pointers and strings: EFAULT; a string that
 * ends exactly before an unmapped page is fine. */
PM_TEST(exec, efault)
{
	struct uenv u;
	struct pm_exec *ex = new_ex();
	struct pm_exec_params pa;
	pm_uaddr_t v[3], edge;
	const pm_uaddr_t unmapped = 0x7000;

	uenv_init(&u, 1 << 20);
	vprog_add("/p");
	pa = xparams("/p", unmapped, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EFAULT);
	v[0] = u_str(&u, "ok");
	v[1] = unmapped;
	v[2] = 0;
	pa = xparams("/p", u_bytes(&u, v, sizeof(v)), 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EFAULT);
	pa = xparams("/p", 0, u_bytes(&u, v, sizeof(v)));
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EFAULT);
	/* a string running into the unmapped page after the region */
	edge = u.base + u.size - 3;
	cr_assert_eq(pm_hal_copy_to_user(edge, "abc", 3), 0);
	v[1] = edge;
	pa = xparams("/p", u_bytes(&u, v, sizeof(v)), 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EFAULT);
	cr_assert_eq(pm_hal_copy_to_user(edge, "ab", 3), 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	pm_exec_release(ex);
	/* an argv array whose NULL is the last word of the region */
	v[0] = u_str(&u, "x");
	cr_assert_eq(pm_hal_copy_to_user(u.base + u.size - 16, v, 8), 0);
	cr_assert_eq(pm_hal_copy_to_user(u.base + u.size - 8, &(uint64_t){0}, 8), 0);
	pa = xparams("/p", u.base + u.size - 16, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_eq(ex->argc, 1);
	pm_exec_release(ex);
	/* an array wrapping the address space */
	pa = xparams("/p", UINT64_MAX - 3, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EFAULT);
	uenv_fini(&u);
	free(ex);
}

/* MAX_ARG_STRLEN counts the NUL: 131071 characters pass, 131072 do not. */
PM_TEST(exec, e2big_string_length)
{
	struct uenv u;
	struct pm_exec *ex = new_ex();
	struct pm_exec_params pa;
	char *s = malloc(PM_MAX_ARG_STRLEN + 1);
	pm_uaddr_t v[2] = {0, 0};

	uenv_init(&u, 4 << 20);
	vprog_add("/p");
	memset(s, 'a', PM_MAX_ARG_STRLEN);
	s[PM_MAX_ARG_STRLEN - 1] = 0;
	v[0] = u_str(&u, s);
	pa = xparams("/p", u_bytes(&u, v, sizeof(v)), 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_eq(ex->strings_size - ex->p, PM_MAX_ARG_STRLEN + 3);
	pm_exec_release(ex);
	s[PM_MAX_ARG_STRLEN - 1] = 'a';
	s[PM_MAX_ARG_STRLEN] = 0;
	v[0] = u_str(&u, s);
	pa = xparams("/p", u_bytes(&u, v, sizeof(v)), 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_E2BIG);
	free(s);
	uenv_fini(&u);
	free(ex);
}

/* The budget: max(min(6 MiB, RLIMIT_STACK / 4), 128 KiB) minus 8 bytes per
 * pointer (argc counted as at least 1); the filename counts too. */
PM_TEST(exec, e2big_budget)
{
	struct uenv u;
	struct pm_exec *ex = new_ex();
	struct pm_exec_params pa;
	char *s = malloc(PM_ARG_MAX);
	pm_uaddr_t v[2] = {0, 0}, *many;
	/* limit 128 KiB - 8 (one pointer), minus "/p" */
	const size_t room = PM_ARG_MAX - 8 - 3;

	uenv_init(&u, 8 << 20);
	vprog_add("/p");
	memset(s, 'b', room);
	s[room - 1] = 0;
	v[0] = u_str(&u, s);
	pa = xparams("/p", u_bytes(&u, v, sizeof(v)), 0);
	pa.rlim_stack_cur = 0;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	pm_exec_release(ex);
	s[room - 1] = 'b';
	s[room] = 0;
	v[0] = u_str(&u, s);
	pa = xparams("/p", u_bytes(&u, v, sizeof(v)), 0);
	pa.rlim_stack_cur = 0;
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_E2BIG);
	/* with an 8 MiB stack the limit is 2 MiB: the same string fits */
	pa.rlim_stack_cur = 8u << 20;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	pm_exec_release(ex);
	/* pointers alone exhaust a 128 KiB budget: 16384 * 8 >= limit */
	many = calloc(16385, sizeof(*many));
	for (int i = 0; i < 16384; i++)
		many[i] = v[0];
	pa = xparams("/p", u_bytes(&u, many, 16385 * sizeof(*many)), 0);
	pa.rlim_stack_cur = 0;
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_E2BIG);
	free(many);
	free(s);
	uenv_fini(&u);
	free(ex);
}

/* Errors come in Linux's order: the open first, then argument copying. */
PM_TEST(exec, open_before_arguments)
{
	struct uenv u;
	struct pm_exec *ex = new_ex();
	struct pm_exec_params pa;
	struct pm_host_file_spec spec = {
	    .path = "/busy", .data = "x", .size = 1, .open_error = PM_ETXTBSY};

	uenv_init(&u, 1 << 20);
	pa = xparams("/missing", 0x7000, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_ENOENT);
	cr_assert_eq(pm_host_file_add(&spec), 0);
	pa = xparams("/busy", 0x7000, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_ETXTBSY);
	vfile_add("/noexec", "x", 1, PM_S_IFREG | 0644);
	pa = xparams("/dir", 0, 0);
	vfile_add("/dir", "x", 1, PM_S_IFDIR | 0755);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_EACCES);
	vtext_add("/text", "hello\n");
	pa = xparams("/text", 0, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_ENOEXEC);
	vfile_add("/empty", "", 0, 0);
	pa = xparams("/empty", 0, 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), -PM_ENOEXEC);
	cr_assert_eq(pm_exec_prepare(ex, NULL), -PM_EINVAL);
	cr_assert_eq(pm_exec_prepare(NULL, &pa), -PM_EINVAL);
	uenv_fini(&u);
	free(ex);
}

/* An already opened file (execveat) is used and keeps its own reference. */
PM_TEST(exec, given_file)
{
	struct pm_exec *ex = new_ex();
	struct pm_exec_params pa = xparams("/dev/fd/3", 0, 0);
	struct pm_hal_file *f;

	vprog_add("/p");
	cr_assert_eq(pm_host_file_open("/p", &f), 0);
	pa.file = f;
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_str_eq(ex->strings + ex->execfn_off, "/dev/fd/3");
	pm_exec_release(ex);
	pm_hal_file_put(f);
	free(ex);
}
