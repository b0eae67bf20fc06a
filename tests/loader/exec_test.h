/* SPDX-License-Identifier: MIT */
/* User memory and virtual programs for the exec suites. */
#ifndef PM_TEST_EXEC_TEST_H
#define PM_TEST_EXEC_TEST_H

#include "loader_test.h"

/* A bump allocator over a simulated user address space (made current). */
struct uenv {
	struct pm_hal_as *as;
	pm_uaddr_t base, cur;
	uint64_t size;
};

static inline void uenv_init(struct uenv *u, uint64_t size)
{
	u->as = pm_host_as_create(false);
	cr_assert_not_null(u->as);
	cr_assert_eq(pm_host_as_map_anywhere(u->as, size, PM_PROT_READ | PM_PROT_WRITE, &u->base),
	             0);
	u->cur = u->base;
	u->size = size;
	pm_host_as_set_current(u->as);
}

static inline void uenv_fini(struct uenv *u)
{
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(u->as);
}

static inline pm_uaddr_t u_bytes(struct uenv *u, const void *p, size_t n)
{
	pm_uaddr_t at = u->cur;

	cr_assert_leq(at + n, u->base + u->size);
	cr_assert_eq(pm_hal_copy_to_user(at, p, n), 0);
	u->cur += (n + 7) & ~(size_t)7;
	return at;
}

static inline pm_uaddr_t u_str(struct uenv *u, const char *s)
{
	return u_bytes(u, s, strlen(s) + 1);
}

/* A NULL-terminated array of strings in user memory. */
static inline pm_uaddr_t u_vec(struct uenv *u, const char *const *v)
{
	pm_uaddr_t ptrs[64];
	size_t n = 0;

	for (; v[n]; n++)
		ptrs[n] = u_str(u, v[n]);
	ptrs[n] = 0;
	return u_bytes(u, ptrs, (n + 1) * sizeof(ptrs[0]));
}

/* Add a virtual file. */
static inline void vfile_add(const char *path, const void *data, size_t size, uint32_t mode)
{
	struct pm_host_file_spec spec = {.path = path, .data = data, .size = size, .mode = mode};

	cr_assert_eq(pm_host_file_add(&spec), 0);
}

/* The standard static x86_64 program as a virtual file. */
static inline void vprog_add(const char *path)
{
	struct eb_elf e;
	size_t size;
	uint8_t *img;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(&e, &size);
	vfile_add(path, img, size, 0);
	free(img);
}

/* A text file (script) as a virtual file. */
static inline void vtext_add(const char *path, const char *text)
{
	vfile_add(path, text, strlen(text), 0);
}

/* A dynamic PIE and its ET_DYN interpreter. */
static inline void vdyn_add(const char *interp_path)
{
	struct eb_elf e;
	size_t size;
	uint8_t *img;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W | PM_PF_X, 0, 0, 0x200, 0x200, 0x1000);
	eb_blob(&e, 0x100, eb_x86_exit42, eb_x86_exit42_len);
	e.entry = 0x100;
	img = eb_build(&e, &size);
	vfile_add("/lib/ld.so", img, size, 0);
	free(img);
	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x200, 0, strlen(interp_path) + 1, strlen(interp_path) + 1,
	      1);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x300, 0x300, 0x1000);
	eb_blob(&e, 0x200, interp_path, strlen(interp_path) + 1);
	e.entry = 0x280;
	img = eb_build(&e, &size);
	vfile_add("/bin/dyn", img, size, 0);
	free(img);
}

static inline struct pm_exec_params xparams(const char *filename, pm_uaddr_t argv, pm_uaddr_t envp)
{
	struct pm_exec_params p = {.arch = &pm_arch_x86_64,
	                           .filename = filename,
	                           .argv = argv,
	                           .envp = envp,
	                           .rlim_stack_cur = 8u << 20};

	return p;
}

#endif /* PM_TEST_EXEC_TEST_H */
