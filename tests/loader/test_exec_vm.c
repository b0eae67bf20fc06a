/* SPDX-License-Identifier: MIT */
/*
 * Exec into a vmspace (procmgr/exec_vm.h): the mapper over the VM module,
 * the stack area before the segments (setup_arg_pages), brk and the
 * initial stack after them (load_elf_binary, create_elf_tables), the
 * configuration (begin_new_exec's RLIMIT_STACK cap, PF_RANDOMIZE), and
 * every allocation failure after the point of no return leaving a
 * consistent vmspace whose areas match the page tables.
 */
#include "exec_test.h"
#include "procmgr/auxv.h"
#include "procmgr/exec_vm.h"

TestSuite(exec_vm, .init = pm_test_setup);

static const struct pm_arch_hwinfo hw = {
    .hwcap = 0x178bfbff, .hwcap2 = 2, .vdso_base = 0x7ffff7fc1000, .minsigstksz = 3376};

/* One exec into a fresh simulated address space. */
struct run {
	struct uenv u;
	struct pm_exec *ex;
	struct pm_hal_as *as;
	struct pm_vmspace vs;
	struct pm_exec_vm ev;
	struct pm_exec_image img;
	bool vs_live;
};

static void run_prepare(struct run *r, const char *path, const char *const *argv,
                        const char *const *envp, unsigned int elf_flags, uint64_t rlim_stack)
{
	struct pm_exec_params pa;
	struct pm_vm_config cfg = {0};

	memset(r, 0, sizeof(*r));
	r->ex = calloc(1, sizeof(*r->ex));
	cr_assert_not_null(r->ex);
	uenv_init(&r->u, 1 << 20);
	pa = xparams(path, u_vec(&r->u, argv), u_vec(&r->u, envp));
	pa.elf_flags = elf_flags;
	pa.rlim_stack_cur = rlim_stack;
	cr_assert_eq(pm_exec_prepare(r->ex, &pa), 0);
	cr_assert_eq(pm_exec_point_of_no_return(r->ex), 0);
	r->as = pm_host_as_create(false);
	pm_exec_vm_config(r->ex, &cfg);
	cr_assert_eq(pm_vmspace_init(&r->vs, r->as, &cfg), 0);
	r->vs_live = true;
}

/* stack area, segments, brk and stack: 0 or the first error. */
static int run_load(struct run *r)
{
	int err = pm_exec_vm_stack_area(&r->ev, &r->vs, r->ex);

	if (!err)
		err = pm_exec_load(r->ex, &r->ev.mapper, &r->img);
	if (!err)
		err = pm_exec_vm_finish(&r->ev, &r->img, &hw, NULL);
	return err;
}

static void run_fini(struct run *r)
{
	pm_exec_release(r->ex);
	if (r->vs_live)
		pm_vmspace_destroy(&r->vs);
	pm_host_as_destroy(r->as);
	uenv_fini(&r->u);
	free(r->ex);
}

/* Every area is backed by the HAL's mappings with its protection, and the
 * HAL has exactly `nmaps` mappings (the tests' images have no merges). */
static void expect_areas_match(struct run *r, size_t nmaps)
{
	cr_assert_eq(pm_vm_check(&r->vs), 0);
	for (const struct pm_vma *v = pm_vm_find_next(&r->vs, 0); v;
	     v = pm_vm_find_next(&r->vs, v->end)) {
		for (pm_uaddr_t a = v->start; a < v->end;) {
			struct pm_host_mapping m;

			cr_assert(pm_host_as_query(r->as, a, &m), "area page %#llx not mapped",
			          (unsigned long long)a);
			cr_assert_eq(m.prot, v->prot);
			a = m.end;
		}
	}
	cr_assert_eq(pm_host_as_count(r->as), nmaps);
	cr_assert_eq(pm_vm_count(&r->vs), nmaps);
}

static uint64_t word_at(struct run *r, pm_uaddr_t a)
{
	uint64_t v;

	memcpy(&v, pm_host_as_ptr(r->as, a, 8), 8);
	return v;
}

static uint64_t auxv_get(struct run *r, uint64_t type)
{
	for (size_t i = 0; i < r->ev.stack.auxv_count; i++)
		if (word_at(r, r->ev.stack.auxv + 16 * i) == type)
			return word_at(r, r->ev.stack.auxv + 16 * i + 8);
	cr_assert_fail("no auxv entry %llu", (unsigned long long)type);
	return 0;
}

/* A static program: stack area at STACK_TOP, the segment at its link
 * address, brk after it, and argc/argv/envp/auxv where Linux puts them. */
PM_TEST(exec_vm, static_program)
{
	static const char *argv[] = {"prog", "one", NULL}, *envp[] = {"A=1", NULL};
	struct run r;
	const struct pm_vma *stack, *text;
	const struct pm_vm_image *im;

	vprog_add("/bin/prog");
	run_prepare(&r, "/bin/prog", argv, envp, 0, 8u << 20);
	cr_assert_eq(run_load(&r), 0);
	/* setup_arg_pages: [top - strings pages - 128 KiB, top), grows down */
	cr_assert_eq(r.ev.stack_top, X86_TASK);
	stack = pm_vm_find(&r.vs, X86_TASK - 1);
	cr_assert_not_null(stack);
	cr_assert_eq(stack->flags & PM_VMA_GROWSDOWN, PM_VMA_GROWSDOWN);
	cr_assert_eq(stack->start, X86_TASK - 0x1000 - (128u << 10));
	cr_assert_eq(stack->prot, PM_PROT_READ | PM_PROT_WRITE);
	text = pm_vm_find(&r.vs, 0x400000);
	cr_assert_not_null(text);
	cr_assert_not_null(text->file);
	cr_assert_eq(text->prot, PM_PROT_READ | PM_PROT_EXEC);
	expect_areas_match(&r, 2);
	/* brk right after the image (no randomisation), code/data bounds */
	im = pm_vm_image(&r.vs);
	cr_assert_eq(im->start_brk, 0x401000);
	cr_assert_eq(im->brk, 0x401000);
	cr_assert_eq(im->start_code, r.img.start_code);
	cr_assert_eq(im->end_data, r.img.end_data);
	cr_assert_eq(im->start_stack, r.ev.sp);
	/* the stack: argc, argv, envp, auxv */
	cr_assert_eq(r.ev.sp & 15, 0);
	cr_assert_eq(r.ev.entry, 0x400078);
	cr_assert_eq(word_at(&r, r.ev.sp), 2);
	cr_assert_str_eq((const char *)pm_host_as_ptr(r.as, word_at(&r, r.ev.sp + 8), 5), "prog");
	cr_assert_str_eq((const char *)pm_host_as_ptr(r.as, word_at(&r, r.ev.sp + 16), 4), "one");
	cr_assert_eq(word_at(&r, r.ev.sp + 24), 0);
	cr_assert_str_eq((const char *)pm_host_as_ptr(r.as, word_at(&r, r.ev.sp + 32), 4), "A=1");
	cr_assert_eq(auxv_get(&r, PM_AT_ENTRY), 0x400078);
	cr_assert_eq(auxv_get(&r, PM_AT_PHDR), 0x400040);
	cr_assert_eq(auxv_get(&r, PM_AT_BASE), 0);
	cr_assert_eq(auxv_get(&r, PM_AT_HWCAP), hw.hwcap);
	cr_assert_eq(auxv_get(&r, PM_AT_SYSINFO_EHDR), hw.vdso_base);
	cr_assert_str_eq((const char *)pm_host_as_ptr(r.as, auxv_get(&r, PM_AT_EXECFN), 10),
	                 "/bin/prog");
	cr_assert_eq(im->arg_start, r.ev.stack.arg_start);
	run_fini(&r);
}

/* A PIE with an ET_DYN interpreter: the program at ELF_ET_DYN_BASE, the
 * interpreter where get_unmapped_area() puts it (just below mmap_base),
 * AT_BASE its address and the first pc its entry. */
PM_TEST(exec_vm, pie_and_interpreter)
{
	static const char *argv[] = {"dyn", NULL}, *envp[] = {NULL};
	struct run r;

	vdyn_add("/lib/ld.so");
	run_prepare(&r, "/bin/dyn", argv, envp, 0, 8u << 20);
	cr_assert_eq(run_load(&r), 0);
	cr_assert_eq(r.img.at_base, X86_MMAP_BASE - 0x1000);
	cr_assert_eq(r.ev.entry, X86_MMAP_BASE - 0x1000 + 0x100);
	cr_assert_eq(auxv_get(&r, PM_AT_BASE), X86_MMAP_BASE - 0x1000);
	cr_assert_eq(auxv_get(&r, PM_AT_ENTRY), X86_DYN_BASE + 0x280);
	cr_assert_not_null(pm_vm_find(&r.vs, X86_DYN_BASE));
	cr_assert_not_null(pm_vm_find(&r.vs, X86_MMAP_BASE - 0x1000));
	expect_areas_match(&r, 3);
	run_fini(&r);
}

/* With PM_ELF_RANDOMIZE the vmspace randomises too (PF_RANDOMIZE covers
 * both): the stack top moves and stays page aligned. */
PM_TEST(exec_vm, randomised_layout)
{
	static const char *argv[] = {"prog", NULL}, *envp[] = {NULL};
	struct run r;

	vprog_add("/bin/prog");
	pm_host_random_seed(7);
	run_prepare(&r, "/bin/prog", argv, envp, PM_ELF_RANDOMIZE, 8u << 20);
	cr_assert_eq(r.vs.flags & PM_VM_NO_RANDOMIZE, 0);
	cr_assert_eq(run_load(&r), 0);
	cr_assert_neq(r.ev.stack_top, X86_TASK);
	cr_assert_eq(r.ev.stack_top & 0xfff, 0);
	cr_assert_eq(r.ev.sp & 15, 0);
	expect_areas_match(&r, 2);
	run_fini(&r);
}

/* pm_exec_vm_config: PF_RANDOMIZE from the plan; all-zero limits become
 * Linux's defaults; RLIMIT_STACK capped at _STK_LIM only for a secure
 * exec (begin_new_exec). */
PM_TEST(exec_vm, config)
{
	struct pm_exec ex;
	struct pm_vm_config cfg;

	memset(&ex, 0, sizeof(ex));
	ex.arch = &pm_arch_x86_64;
	ex.layout = &pm_arch_x86_64.layouts[0];
	ex.rlim_stack_cur = 64u << 20;
	ex.mmap_rnd_bits = 30;
	memset(&cfg, 0, sizeof(cfg));
	pm_exec_vm_config(&ex, &cfg);
	cr_assert_eq(cfg.arch, &pm_arch_x86_64);
	cr_assert_eq(cfg.flags, PM_VM_NO_RANDOMIZE);
	cr_assert_eq(cfg.mmap_rnd_bits, 30);
	cr_assert_eq(cfg.limits.stack, 64u << 20);
	cr_assert_eq(cfg.limits.data, PM_VM_RLIM_INFINITY);
	cr_assert_eq(cfg.limits.as, PM_VM_RLIM_INFINITY);
	ex.elf_flags = PM_ELF_RANDOMIZE;
	ex.creds.secureexec = true;
	cfg.limits.data = 1u << 30; /* the caller's limits are kept */
	cfg.flags |= PM_VM_LEGACY_LAYOUT;
	pm_exec_vm_config(&ex, &cfg);
	cr_assert_eq(cfg.flags, PM_VM_LEGACY_LAYOUT);
	cr_assert_eq(cfg.limits.stack, PM_STK_LIM);
	cr_assert_eq(cfg.limits.data, 1u << 30);
	ex.rlim_stack_cur = 1u << 20; /* below the cap: unchanged */
	pm_exec_vm_config(&ex, &cfg);
	cr_assert_eq(cfg.limits.stack, 1u << 20);
}

/* The converter copies every value and refuses an inconsistent image. */
PM_TEST(exec_vm, stack_in)
{
	static const char strings[] = "a\0bb\0X=1\0/f";
	struct pm_exec_image img = {
	    .strings = strings,
	    .strings_len = sizeof(strings),
	    .envp_offset = 5,
	    .execfn_offset = 9,
	    .argc = 2,
	    .envc = 1,
	    .at_phdr = 0x1040,
	    .at_phent = 56,
	    .at_phnum = 7,
	    .at_base = 0x7000,
	    .at_entry = 0x1100,
	    .secure = true,
	    .uid = 1,
	    .euid = 2,
	    .gid = 3,
	    .egid = 4,
	    .rlim_stack_cur = 1u << 20,
	};
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout lay;

	cr_assert_eq(pm_exec_stack_in(&img, &hw, &in), 0);
	cr_assert_eq(in.argv.count, 2);
	cr_assert_eq(in.argv.blob_len, 5);
	cr_assert_eq(in.envp.count, 1);
	cr_assert_eq(in.envp.blob_len, 4);
	cr_assert_str_eq(in.execfn, "/f");
	cr_assert_eq(in.phdr, 0x1040);
	cr_assert_eq(in.phnum, 7);
	cr_assert_eq(in.base, 0x7000);
	cr_assert_eq(in.entry, 0x1100);
	cr_assert(in.secure);
	cr_assert_eq(in.euid, 2);
	cr_assert_eq(in.egid, 4);
	cr_assert_eq(in.hw.vdso_base, hw.vdso_base);
	cr_assert_eq(in.stack_limit, 1u << 20);
	/* the builder accepts what the converter made */
	cr_assert_eq(pm_vm_stack_build(&pm_arch_x86_64, &in, X86_TASK, &lay, NULL, 0), 0);
	cr_assert_eq(lay.argc, 2);
	cr_assert_eq(lay.envc, 1);
	/* bad offsets, unterminated strings, NULL arguments */
	img.envp_offset = 10;
	cr_assert_eq(pm_exec_stack_in(&img, &hw, &in), -PM_EINVAL);
	img.envp_offset = 5;
	img.execfn_offset = sizeof(strings);
	cr_assert_eq(pm_exec_stack_in(&img, &hw, &in), -PM_EINVAL);
	img.execfn_offset = 9;
	img.strings_len = sizeof(strings) - 1;
	cr_assert_eq(pm_exec_stack_in(&img, &hw, &in), -PM_EINVAL);
	cr_assert_eq(pm_exec_stack_in(NULL, &hw, &in), -PM_EINVAL);
	cr_assert_eq(pm_exec_stack_in(&img, NULL, &in), -PM_EINVAL);
}

/* Misuse: before the point of no return, NULL arguments. */
PM_TEST(exec_vm, bad_arguments)
{
	static const char *argv[] = {"prog", NULL}, *envp[] = {NULL};
	struct run r;
	struct pm_exec_vm ev;
	struct pm_exec fresh;

	vprog_add("/bin/prog");
	run_prepare(&r, "/bin/prog", argv, envp, 0, 8u << 20);
	memset(&fresh, 0, sizeof(fresh));
	cr_assert_eq(pm_exec_vm_stack_area(&ev, &r.vs, &fresh), -PM_EINVAL);
	cr_assert_eq(pm_exec_vm_stack_area(NULL, &r.vs, r.ex), -PM_EINVAL);
	cr_assert_eq(pm_exec_vm_stack_area(&ev, NULL, r.ex), -PM_EINVAL);
	cr_assert_eq(pm_exec_vm_finish(NULL, &r.img, &hw, NULL), -PM_EINVAL);
	cr_assert_eq(pm_vm_count(&r.vs), 0);
	run_fini(&r);
}

/* The stack area is mapped before the segments, as setup_arg_pages runs
 * first: a program whose segment overlaps it fails to load with EEXIST
 * (MAP_FIXED_NOREPLACE), and only the stack stays. */
PM_TEST(exec_vm, segment_over_stack)
{
	static const char *argv[] = {"prog", NULL}, *envp[] = {NULL};
	struct run r;
	struct eb_elf e;
	size_t size;
	uint8_t *img;

	eb_std(&e, X86_TASK - 0x10000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(&e, &size);
	vfile_add("/bin/high", img, size, 0);
	free(img);
	run_prepare(&r, "/bin/high", argv, envp, 0, 8u << 20);
	cr_assert_eq(pm_exec_vm_stack_area(&r.ev, &r.vs, r.ex), 0);
	cr_assert_eq(pm_exec_load(r.ex, &r.ev.mapper, &r.img), -PM_EEXIST);
	expect_areas_match(&r, 1);
	run_fini(&r);
}

/* The padzero of a writable segment goes through the mapper's clear: the
 * bytes after the file's end in the last file page read as zero. */
PM_TEST(exec_vm, bss_zeroed)
{
	static const char *argv[] = {"d", NULL}, *envp[] = {NULL};
	static uint8_t junk[0x2000];
	struct run r;
	struct eb_elf e;
	size_t size;
	uint8_t *img, *p;

	memset(junk, 0xaa, sizeof(junk));
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x1000, 0x601000, 0x10, 0x3000, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_blob(&e, 0x1000, junk, sizeof(junk));
	img = eb_build(&e, &size);
	vfile_add("/bin/data", img, size, 0);
	free(img);
	run_prepare(&r, "/bin/data", argv, envp, 0, 8u << 20);
	cr_assert_eq(run_load(&r), 0);
	p = pm_host_as_ptr(r.as, 0x601000, 0x1000);
	cr_assert_eq(p[0x0f], 0xaa);
	for (size_t i = 0x10; i < 0x1000; i++)
		cr_assert_eq(p[i], 0, "byte %#zx after the file part is %#x", i, p[i]);
	cr_assert_not_null(pm_vm_find(&r.vs, 0x603000)); /* anonymous bss page */
	cr_assert_eq(pm_vm_image(&r.vs)->start_brk, 0x604000);
	run_fini(&r);
}

/* Every allocation after the point of no return failing in turn: the call
 * that hit it returns -PM_ENOMEM and the vmspace is consistent with the
 * page tables, holding only what the earlier steps made. */
PM_TEST(exec_vm, allocation_failures)
{
	static const char *argv[] = {"dyn", "x", NULL}, *envp[] = {"E=1", NULL};
	unsigned int failed = 0;

	vdyn_add("/lib/ld.so");
	for (uint64_t n = 1;; n++) {
		struct run r;
		int err, step;

		run_prepare(&r, "/bin/dyn", argv, envp, 0, 8u << 20);
		pm_host_fault_alloc_nth(n);
		step = 0;
		err = pm_exec_vm_stack_area(&r.ev, &r.vs, r.ex);
		if (!err) {
			step = 1;
			err = pm_exec_load(r.ex, &r.ev.mapper, &r.img);
		}
		if (!err) {
			step = 2;
			err = pm_exec_vm_finish(&r.ev, &r.img, &hw, NULL);
		}
		pm_host_fault_reset();
		if (!err) {
			expect_areas_match(&r, 3);
			run_fini(&r);
			break;
		}
		failed++;
		cr_assert_eq(err, -PM_ENOMEM, "allocation %llu, step %d: %d", (unsigned long long)n,
		             step, err);
		/* stack area: nothing; load: the stack only; finish: all three */
		expect_areas_match(&r, step == 0 ? 0 : step == 1 ? 1 : 3);
		if (step == 2)
			cr_assert_eq(pm_vm_image(&r.vs)->start_stack, 0);
		run_fini(&r);
	}
	cr_assert_geq(failed, 3);
}
