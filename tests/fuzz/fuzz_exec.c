/*
 * Fuzz exec preparation end to end: the input is the file "/x" (ELF,
 * script or anything), executed with a fixed argv and envp from simulated
 * user memory; "/x" may name itself as its interpreter ("#!/x", PT_INTERP
 * "/x") and "/p" is a valid static program. Then the point of no return
 * and loading into a fresh simulated space. Invariants: only Linux's
 * errnos; nothing leaks (files, allocations) whatever happens.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/errno.h"
#include "procmgr/exec.h"
#include "procmgr/host.h"
#include "procmgr/mman.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A static x86_64 program: one PT_LOAD at 0x400000, exit(42). */
static const uint8_t prog[] = {
    0x7f, 'E',  'L', 'F', 2, 1,    1,    0,    0, 0,    0, 0,    0,    0,  0,    0, 2,    0,   62,
    0,    1,    0,   0,   0, 0x78, 0,    0x40, 0, 0,    0, 0,    0,    64, 0,    0, 0,    0,   0,
    0,    0,    0,   0,   0, 0,    0,    0,    0, 0,    0, 0,    0,    0,  64,   0, 56,   0,   1,
    0,    64,   0,   0,   0, 0,    0,    1,    0, 0,    0, 5,    0,    0,  0,    0, 0,    0,   0,
    0,    0,    0,   0,   0, 0,    0x40, 0,    0, 0,    0, 0,    0,    0,  0x40, 0, 0,    0,   0,
    0,    0x84, 0,   0,   0, 0,    0,    0,    0, 0x84, 0, 0,    0,    0,  0,    0, 0,    0,   0x10,
    0,    0,    0,   0,   0, 0,    0xbf, 0x2a, 0, 0,    0, 0xb8, 0x3c, 0,  0,    0, 0x0f, 0x05};

static int find_free(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	(void)ctx;
	(void)hint;
	if (len > (1ull << 30))
		return -PM_ENOMEM;
	*out = 0x7f0000000000ull;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pm_exec ex;
	struct pm_host_file_spec x = {.path = "/x", .data = data, .size = size};
	struct pm_host_file_spec p = {.path = "/p", .data = prog, .size = sizeof(prog)};
	struct pm_hal_as *user = pm_host_as_create(false), *as = pm_host_as_create(false);
	struct pm_exec_params pa = {
	    .arch = &pm_arch_x86_64, .filename = "/x", .rlim_stack_cur = 8u << 20};
	struct pm_elf_hal_mapper hm;
	struct pm_exec_image img;
	pm_uaddr_t mem, vec[3];
	uint64_t files = pm_host_files_open();
	int err;

	pm_host_file_add(&x);
	pm_host_file_add(&p);
	pm_host_as_map_anywhere(user, 4096, PM_PROT_READ | PM_PROT_WRITE, &mem);
	pm_host_as_set_current(user);
	pm_hal_copy_to_user(mem + 64, "x\0arg\0K=V", 10);
	vec[0] = mem + 64;
	vec[1] = mem + 66;
	vec[2] = 0;
	pm_hal_copy_to_user(mem, vec, sizeof(vec));
	vec[0] = mem + 70;
	vec[1] = 0;
	pm_hal_copy_to_user(mem + 32, vec, 2 * sizeof(vec[0]));
	pa.argv = mem;
	pa.envp = mem + 32;
	err = pm_exec_prepare(&ex, &pa);
	switch (-err) {
	case 0:
		pm_exec_point_of_no_return(&ex);
		pm_elf_hal_mapper_init(&hm, as, find_free, NULL);
		if (ex.main.span <= (64u << 20) && ex.interp.span <= (64u << 20))
			pm_exec_load(&ex, &hm.mapper, &img);
		pm_exec_release(&ex);
		break;
	case PM_ENOEXEC:
	case PM_ELIBBAD:
	case PM_EIO:
	case PM_EINVAL:
	case PM_ENOMEM:
	case PM_ENOENT:
	case PM_EACCES:
	case PM_ELOOP:
	case PM_E2BIG:
		break;
	default:
		abort();
	}
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(user);
	pm_host_as_destroy(as);
	pm_host_files_clear();
	if (pm_host_files_open() != files)
		abort();
	return 0;
}
