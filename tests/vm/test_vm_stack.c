/* The initial stack builder: layout, bytes, auxv order, errors, writing. */
#include <stdlib.h>
#include <string.h>

#include "procmgr/auxv.h"
#include "procmgr/host.h"
#include "vm_test.h"

TestSuite(vm_stack, .init = vm_setup, .fini = vm_teardown);

static uint64_t word(const uint8_t *img, const struct pm_vm_stack_layout *l, pm_uaddr_t at)
{
	uint64_t v;

	memcpy(&v, img + (at - l->sp), 8);
	return v;
}

static const char *const argv_true[] = {"/usr/bin/true", "--version"};
static const char *const envp_true[] = {"PATH=/usr/bin:/bin", "A=1"};

/* The input of a recorded 6.18 exec: env -i PATH=/usr/bin:/bin A=1
 * /usr/bin/true --version under ADDR_NO_RANDOMIZE. */
static void true_input(struct pm_vm_stack_in *in)
{
	memset(in, 0, sizeof(*in));
	in->argv = (struct pm_vm_strv){.v = argv_true, .count = 2};
	in->envp = (struct pm_vm_strv){.v = envp_true, .count = 2};
	in->execfn = "/usr/bin/true";
	in->phdr = 93824992231488ull;
	in->phnum = 13;
	in->entry = 93824992240592ull;
	in->base = 140737353916416ull;
	in->hw.hwcap = 395049983;
	in->hw.hwcap2 = 2;
	in->hw.vdso_base = 140737353908224ull;
	in->hw.minsigstksz = 3376;
}

/* Every address Linux gave that process, checked one by one. */
VM_TEST(vm_stack, matches_recorded_linux_exec)
{
	static const uint64_t types[] = {
	    PM_AT_SYSINFO_EHDR, PM_AT_MINSIGSTKSZ, PM_AT_HWCAP,
	    PM_AT_PAGESZ,       PM_AT_CLKTCK,      PM_AT_PHDR,
	    PM_AT_PHENT,        PM_AT_PHNUM,       PM_AT_BASE,
	    PM_AT_FLAGS,        PM_AT_ENTRY,       PM_AT_UID,
	    PM_AT_EUID,         PM_AT_GID,         PM_AT_EGID,
	    PM_AT_SECURE,       PM_AT_RANDOM,      PM_AT_HWCAP2,
	    PM_AT_EXECFN,       PM_AT_PLATFORM,    PM_AT_RSEQ_FEATURE_SIZE,
	    PM_AT_RSEQ_ALIGN,   PM_AT_NULL};
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	uint8_t *img;

	true_input(&in);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0);
	cr_assert_eq(l.sp, 140737488350704ull);
	cr_assert_eq(l.random, 140737488351129ull, "odd: 16-aligned - 7 - 16");
	cr_assert_eq(l.platform, 140737488351145ull);
	cr_assert_eq(l.execfn, 140737488351210ull);
	cr_assert_eq(l.arg_start, 140737488351163ull);
	cr_assert_eq(l.arg_end, 140737488351187ull);
	cr_assert_eq(l.env_end, 140737488351210ull);
	cr_assert_eq(l.auxv_count, 23);
	img = malloc(l.size);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, img, l.size), 0);
	cr_assert_eq(word(img, &l, l.sp), 2, "argc");
	cr_assert_eq(word(img, &l, l.argv), 140737488351163ull);
	cr_assert_eq(word(img, &l, l.argv + 8), 140737488351177ull);
	cr_assert_eq(word(img, &l, l.argv + 16), 0);
	cr_assert_eq(word(img, &l, l.envp), 140737488351187ull);
	cr_assert_eq(word(img, &l, l.envp + 8), 140737488351206ull);
	cr_assert_eq(word(img, &l, l.envp + 16), 0);
	for (size_t i = 0; i < l.auxv_count; i++)
		cr_assert_eq(word(img, &l, l.auxv + 16 * i), types[i], "auxv[%zu] type", i);
	cr_assert_eq(word(img, &l, l.auxv + 16 * 16 + 8), l.random);
	cr_assert_eq(word(img, &l, l.auxv + 16 * 3 + 8), 4096, "AT_PAGESZ");
	cr_assert_eq(word(img, &l, l.auxv + 16 * 4 + 8), 100, "AT_CLKTCK");
	cr_assert_eq(word(img, &l, l.auxv + 16 * 6 + 8), 56, "AT_PHENT");
	cr_assert_eq(word(img, &l, l.auxv + 16 * 20 + 8), 28, "AT_RSEQ_FEATURE_SIZE");
	cr_assert_eq(word(img, &l, l.auxv + 16 * 21 + 8), 32, "AT_RSEQ_ALIGN");
	cr_assert_str_eq((char *)img + (l.platform - l.sp), "x86_64");
	cr_assert_str_eq((char *)img + (l.execfn - l.sp), "/usr/bin/true");
	cr_assert_str_eq((char *)img + (l.arg_start - l.sp), "/usr/bin/true");
	cr_assert_eq(word(img, &l, X86_TOP - 8), 0, "the top word is never written");
	free(img);
}

/* riscv64: ARCH_DLINFO with the cache entries, no AT_HWCAP2, no platform. */
VM_TEST(vm_stack, riscv_auxv_order)
{
	static const uint64_t types[] = {PM_AT_SYSINFO_EHDR,
	                                 PM_AT_L1I_CACHESIZE,
	                                 PM_AT_L1I_CACHEGEOMETRY,
	                                 PM_AT_L1D_CACHESIZE,
	                                 PM_AT_L1D_CACHEGEOMETRY,
	                                 PM_AT_L2_CACHESIZE,
	                                 PM_AT_L2_CACHEGEOMETRY,
	                                 PM_AT_L3_CACHESIZE,
	                                 PM_AT_L3_CACHEGEOMETRY,
	                                 PM_AT_MINSIGSTKSZ,
	                                 PM_AT_HWCAP,
	                                 PM_AT_PAGESZ,
	                                 PM_AT_CLKTCK,
	                                 PM_AT_PHDR,
	                                 PM_AT_PHENT,
	                                 PM_AT_PHNUM,
	                                 PM_AT_BASE,
	                                 PM_AT_FLAGS,
	                                 PM_AT_ENTRY,
	                                 PM_AT_UID,
	                                 PM_AT_EUID,
	                                 PM_AT_GID,
	                                 PM_AT_EGID,
	                                 PM_AT_SECURE,
	                                 PM_AT_RANDOM,
	                                 PM_AT_EXECFN,
	                                 PM_AT_RSEQ_FEATURE_SIZE,
	                                 PM_AT_RSEQ_ALIGN,
	                                 PM_AT_NULL};
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	uint8_t img[4096];
	pm_uaddr_t top = 1ull << 38;

	true_input(&in);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_riscv64, &in, top, &l, img, sizeof(img)), 0);
	cr_assert_eq(l.platform, 0);
	cr_assert_eq(l.random, (l.arg_start & ~15ull) - 16, "no platform string");
	cr_assert_eq(l.auxv_count, sizeof(types) / sizeof(types[0]));
	for (size_t i = 0; i < l.auxv_count; i++)
		cr_assert_eq(word(img, &l, l.auxv + 16 * i), types[i], "auxv[%zu] type", i);
	cr_assert_eq(word(img, &l, l.auxv + 16 * 9 + 8), 3376);
	cr_assert_eq(l.sp % 16, 0);
}

/* Linux >= 5.18: an empty argv becomes {""} (argc 1). */
VM_TEST(vm_stack, empty_argv_is_one_empty_string)
{
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	uint8_t img[4096];

	true_input(&in);
	in.argv = (struct pm_vm_strv){0};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, img, sizeof(img)), 0);
	cr_assert_eq(l.argc, 1);
	cr_assert_eq(word(img, &l, l.sp), 1);
	cr_assert_eq(word(img, &l, l.argv), l.arg_start);
	cr_assert_eq(l.arg_end - l.arg_start, 1);
	cr_assert_eq(img[l.arg_start - l.sp], 0);
	cr_assert_eq(word(img, &l, l.argv + 8), 0);
}

VM_TEST(vm_stack, blob_equals_pointer_array)
{
	static const char argb[] = "/usr/bin/true\0--version";
	static const char envb[] = "PATH=/usr/bin:/bin\0A=1";
	struct pm_vm_stack_in a, b;
	struct pm_vm_stack_layout la, lb;
	uint8_t ia[4096], ib[4096];

	true_input(&a);
	true_input(&b);
	b.argv = (struct pm_vm_strv){.blob = argb, .blob_len = sizeof(argb), .count = 2};
	b.envp = (struct pm_vm_strv){.blob = envb, .blob_len = sizeof(envb), .count = 2};
	memset(a.random, 0x5c, 16);
	memset(b.random, 0x5c, 16);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &a, X86_TOP, &la, ia, sizeof(ia)), 0);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &b, X86_TOP, &lb, ib, sizeof(ib)), 0);
	cr_assert_eq(memcmp(&la, &lb, sizeof(la)), 0);
	cr_assert_eq(memcmp(ia, ib, la.size), 0);
}

VM_TEST(vm_stack, options_align_rnd_rseq_execfd)
{
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l, l0;
	uint8_t img[16384];

	true_input(&in);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l0, NULL, 0), 0);
	in.align_rnd = 5000;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0);
	cr_assert_eq(l.random, ((l0.arg_start - 5000) & ~15ull) - 7 - 16, "arch_align_stack");
	in.align_rnd = 8192;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL);
	in.align_rnd = 0;
	in.flags = PM_VM_STACK_NO_RSEQ | PM_VM_STACK_EXECFD;
	in.execfd = 3;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, img, sizeof(img)), 0);
	cr_assert_eq(l.auxv_count, 22);
	cr_assert_eq(word(img, &l, l.auxv + 16 * 20), PM_AT_EXECFD, "after AT_PLATFORM");
	cr_assert_eq(word(img, &l, l.auxv + 16 * 20 + 8), 3);
	in.hw.vdso_base = 0;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0);
	cr_assert_eq(l.auxv_count, 21, "x86: no vDSO, no AT_SYSINFO_EHDR");
}

/* fs/exec.c: MAX_ARG_STRLEN per string and bprm_stack_limits' budget. */
VM_TEST(vm_stack, e2big)
{
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	char *big = malloc(PM_VM_MAX_ARG_STRLEN + 1);
	const char *v[1] = {big};

	true_input(&in);
	memset(big, 'x', PM_VM_MAX_ARG_STRLEN);
	big[PM_VM_MAX_ARG_STRLEN - 1] = 0;
	in.envp = (struct pm_vm_strv){.v = v, .count = 1};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0,
	             "MAX_ARG_STRLEN with its NUL fits");
	big[PM_VM_MAX_ARG_STRLEN - 1] = 'x';
	big[PM_VM_MAX_ARG_STRLEN] = 0;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_E2BIG);
	in.envp = (struct pm_vm_strv){0};
	in.execfn = big;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_E2BIG,
	             "the filename too");
	in.execfn = "/x";
	/* A 512 KiB stack limit leaves the ARG_MAX floor: 128 KiB for all. */
	big[100000] = 0;
	in.stack_limit = 512 * 1024;
	in.envp = (struct pm_vm_strv){.v = v, .count = 1};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0);
	{
		const char *two[2] = {big, big};

		in.envp = (struct pm_vm_strv){.v = two, .count = 2};
		cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0),
		             -PM_E2BIG);
		in.stack_limit = 1024 * 1024;
		cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0,
		             "a quarter of 1 MiB holds both");
	}
	free(big);
	/* Pointers alone past the budget. */
	in.envp = (struct pm_vm_strv){.blob = "", .blob_len = 0, .count = 0};
	in.stack_limit = 0;
	in.argv = (struct pm_vm_strv){.blob = NULL, .count = 1ull << 61};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL,
	             "a count without strings");
}

VM_TEST(vm_stack, malformed_input_is_einval)
{
	static const char blob[] = "ab\0cd";
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	const char *withnull[2] = {"a", NULL};
	uint8_t img[64];

	true_input(&in);
	in.argv = (struct pm_vm_strv){.blob = blob, .blob_len = sizeof(blob), .count = 3};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL,
	             "fewer strings than counted");
	in.argv.count = 1;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL,
	             "bytes left over");
	in.argv.blob_len = 5;
	in.argv.count = 2;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL,
	             "last string without its NUL");
	in.argv = (struct pm_vm_strv){.v = withnull, .count = 2};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL);
	true_input(&in);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP + 8, &l, NULL, 0), -PM_EINVAL);
	cr_assert_eq(pm_vm_stack_build(NULL, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL);
	in.execfn = NULL;
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), -PM_EINVAL);
	true_input(&in);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, 0, &l, NULL, 0), -PM_EFAULT,
	             "cannot reach below address 0");
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, img, sizeof(img)),
	             -PM_EFAULT, "buffer too small");
}

/* The whole exec sequence on a vmspace: top, area, build, write. */
VM_TEST(vm_stack, write_into_the_new_address_space)
{
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	pm_uaddr_t top = pm_vm_stack_top(&vm_vs), start;
	uint8_t *img;
	char back[16];

	true_input(&in);
	pm_vm_stack_random(&vm_vs, &in);
	cr_assert_eq(in.align_rnd, 0, "no randomisation: no drop");
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, top, &l, NULL, 0), 0);
	cr_assert_eq(pm_vm_stack_map(&vm_vs, top, l.strings_size, PM_VM_EXSTACK_DISABLE_X, &start),
	             0);
	img = malloc(l.size);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, top, &l, img, l.size), 0);
	vm_hal_fail(VM_HAL_WRITE, 1, -PM_EFAULT);
	cr_assert_eq(pm_vm_stack_write(&vm_vs, &l, img), -PM_EFAULT);
	cr_assert_eq(pm_vm_image(&vm_vs)->start_stack, 0);
	cr_assert_eq(pm_vm_stack_write(&vm_vs, &l, img), 0);
	cr_assert_eq(memcmp(pm_host_as_ptr(vm_as, l.sp, l.size), img, l.size), 0);
	cr_assert_eq(pm_vm_image(&vm_vs)->start_stack, l.sp);
	cr_assert_eq(pm_vm_image(&vm_vs)->arg_start, l.arg_start);
	cr_assert_eq(pm_vm_image(&vm_vs)->env_end, l.env_end);
	cr_assert_eq(pm_vm_area_kind(&vm_vs, pm_vm_find(&vm_vs, l.sp)), PM_VMA_KIND_STACK);
	memcpy(back, pm_host_as_ptr(vm_as, l.random, 16), 16);
	cr_assert_eq(memcmp(back, in.random, 16), 0);
	free(img);
	vm_consistent(&vm_vs);
}

/* An image larger than the stack area grows it (find_extend_vma_locked),
 * within RLIMIT_STACK; no stack area at all is EFAULT. */
VM_TEST(vm_stack, write_grows_the_stack_or_faults)
{
	enum { N = 3000 };
	static char strs[N][64];
	static const char *v[N];
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l;
	pm_uaddr_t start;
	uint8_t *img;

	for (int i = 0; i < N; i++) {
		memset(strs[i], 'a' + i % 26, 63);
		v[i] = strs[i];
	}
	true_input(&in);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0);
	img = malloc(l.size);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, img, l.size), 0);
	cr_assert_eq(pm_vm_stack_write(&vm_vs, &l, img), -PM_EFAULT, "no stack area");
	free(img);
	in.envp = (struct pm_vm_strv){.v = v, .count = N};
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, NULL, 0), 0);
	/* Map the area for strings only (as if they were copied first). */
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 0, 0, &start), 0);
	cr_assert_gt(start, l.sp, "the image is bigger than the area");
	img = malloc(l.size);
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TOP, &l, img, l.size), 0);
	cr_assert_eq(pm_vm_stack_write(&vm_vs, &l, img), 0);
	cr_assert_leq(pm_vm_find(&vm_vs, X86_TOP - 1)->start, l.sp);
	free(img);
	vm_consistent(&vm_vs);
}
