/* brk placement and the brk system call; the stack area and its growth. */
#include <string.h>

#include "procmgr/host.h"
#include "vm_test.h"

TestSuite(vm_brk, .init = vm_setup, .fini = vm_teardown);

/* load_elf_binary(): start_brk = PAGE_ALIGN(elf_brk); a static PIE's
 * moves to ELF_ET_DYN_BASE (values of a real 6.18 exec under setarch -R). */
VM_TEST(vm_brk, init_without_randomisation)
{
	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x4ab270, false), 0);
	cr_assert_eq(pm_vm_image(&vm_vs)->start_brk, 0x4ac000);
	cr_assert_eq(pm_vm_image(&vm_vs)->brk, 0x4ac000);
	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x7ffff7ff9270, true), 0);
	cr_assert_eq(pm_vm_image(&vm_vs)->start_brk, 0x555555555000, "static PIE");
	cr_assert_eq(pm_vm_brk_init(&vm_vs, ~0ull - 5, false), -PM_EINVAL);
	cr_assert_eq(pm_vm_brk_init(&vm_vs, X86_TOP + 1, false), -PM_EINVAL);
}

PM_TEST(vm_brk, init_randomised)
{
	vm_destroy_vs();
	pm_host_as_destroy(vm_as);
	vm_setup_with(&pm_arch_riscv64, 0);
	pm_host_random_seed(7);
	for (int i = 0; i < 100; i++) {
		pm_uaddr_t b;

		cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x12345, false), 0);
		b = pm_vm_image(&vm_vs)->start_brk;
		cr_assert_eq(b & 4095, 0);
		cr_assert_geq(b, 0x13000 + PG, "a page gap above .bss first");
		cr_assert_lt(b, 0x13000 + PG + (1ull << 30), "then randomize_page(brk, 1 GiB)");
		cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x12345, true), 0);
		b = pm_vm_image(&vm_vs)->start_brk;
		cr_assert_geq(b, 0x2aaaaab000ull,
		              "static PIE: from ELF_ET_DYN_BASE, no extra page");
		cr_assert_lt(b, 0x2aaaaab000ull + (1ull << 30));
	}
	vm_destroy_vs();
	pm_host_as_destroy(vm_as);
	vm_setup_with(&pm_arch_riscv64, PM_VM_NO_BRK_RANDOMIZE);
	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x12345, false), 0);
	cr_assert_eq(pm_vm_image(&vm_vs)->start_brk, 0x13000, "randomize_va_space = 1");
	vm_destroy_vs();
}

VM_TEST(vm_brk, grow_shrink_and_heap_area)
{
	pm_uaddr_t r;
	const struct pm_vma *v;

	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x600000, false), 0);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0, &r), -PM_EINVAL);
	cr_assert_eq(r, 0x600000, "brk(0) reports the break");
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x600010, &r), 0);
	cr_assert_eq(r, 0x600010, "the unaligned value is kept");
	v = pm_vm_find(&vm_vs, 0x600000);
	cr_assert_not_null(v);
	cr_assert_eq(v->end, 0x601000);
	cr_assert_eq(v->prot, RW);
	cr_assert_eq(pm_vm_area_kind(&vm_vs, v), PM_VMA_KIND_HEAP);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x603000, &r), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 1, "growth extends the heap area");
	cr_assert_eq(pm_vm_find(&vm_vs, 0x600000)->end, 0x603000);
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 3);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x601800, &r), 0);
	cr_assert_eq(pm_vm_find(&vm_vs, 0x600000)->end, 0x602000, "whole pages above go");
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x600000, &r), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 0);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x5ff000, &r), -PM_EINVAL, "below start_brk");
	cr_assert_eq(r, 0x600000);
	vm_consistent(&vm_vs);
}

/* do_brk_flags() extends only an area inside the heap (vma_prev_limit):
 * an adjacent .bss below start_brk stays a separate area. */
VM_TEST(vm_brk, heap_not_merged_with_bss)
{
	pm_uaddr_t r;

	cr_assert_eq(vm_map(0x5fe000, 2 * PG, RW, ANON | PM_MAP_FIXED), 0x5fe000);
	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x600000, false), 0);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x602000, &r), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 2);
	cr_assert_eq(pm_vm_area_kind(&vm_vs, pm_vm_find(&vm_vs, 0x5fe000)), PM_VMA_KIND_NONE);
	cr_assert_eq(pm_vm_check(&vm_vs), 0);
}

VM_TEST(vm_brk, refusals_keep_the_old_break)
{
	struct pm_vm_image img = {0};
	struct pm_vm_limits lim = {PM_VM_STK_LIM, 5 * PG, 5 * PG, PM_VM_RLIM_INFINITY};
	struct vm_snap s;
	pm_uaddr_t r;

	img.start_data = 0x500000;
	img.end_data = 0x502000;
	pm_vm_set_image(&vm_vs, &img);
	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x600000, false), 0);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x601000, &r), 0);
	cr_assert_eq(vm_map(0x609000, PG, RO, ANON | PM_MAP_FIXED), 0x609000);
	pm_vmspace_set_limits(&vm_vs, &lim);
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x603001, &r), -PM_ENOSPC,
	             "check_data_rlimit: heap + data segment > RLIMIT_DATA");
	cr_assert_eq(r, 0x601000);
	lim.data = PM_VM_RLIM_INFINITY;
	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x608001, &r), -PM_ENOMEM,
	             "must stay a page below the next area");
	cr_assert_eq(pm_vm_brk(&vm_vs, X86_TOP + PG, &r), -PM_ENOMEM, "beyond TASK_SIZE");
	lim.as = 3 * PG;
	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x603000, &r), -PM_ENOMEM, "RLIMIT_AS");
	pm_vmspace_set_limits(&vm_vs,
	                      &(struct pm_vm_limits){PM_VM_STK_LIM, PM_VM_RLIM_INFINITY,
	                                             PM_VM_RLIM_INFINITY, PM_VM_RLIM_INFINITY});
	vm_hal_fail(VM_HAL_MAP, 1, -PM_ENOMEM);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x603000, &r), -PM_ENOMEM);
	cr_assert_eq(r, 0x601000);
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(pm_vm_brk(&vm_vs, 0x608000, &r), 0, "exactly a page below is fine");
	vm_consistent(&vm_vs);
}

VM_TEST(vm_brk, allocation_failures)
{
	struct vm_snap s;
	pm_uaddr_t r;

	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x600000, false), 0);
	vm_snap_take(&vm_vs, &s);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_vm_brk(&vm_vs, 0x604000, &r);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(r, 0x600000);
		vm_snap_same(&vm_vs, &s);
	}
	cr_assert_eq(r, 0x604000);
}

/* ---- the stack area (setup_arg_pages) and its growth ---- */

VM_TEST(vm_brk, stack_area_like_setup_arg_pages)
{
	pm_uaddr_t start;
	const struct pm_vma *v;

	/* Strings within one page: that page plus 128 KiB (a real exec: 33 pages). */
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 69, PM_VM_EXSTACK_DEFAULT, &start), 0);
	cr_assert_eq(start, X86_TOP - 135168);
	v = pm_vm_find(&vm_vs, X86_TOP - 1);
	cr_assert_eq(v->prot, RW);
	cr_assert_eq(v->flags, PM_VMA_GROWSDOWN);
	cr_assert_eq(pm_vm_counters(&vm_vs)->stack_vm, 33);
	vm_consistent(&vm_vs);
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 69, PM_VM_EXSTACK_DEFAULT, &start),
	             -PM_EFAULT, "collides with the existing stack");
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP - 1, 69, 0, &start), -PM_EINVAL);
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 69, 3, &start), -PM_EINVAL);
	cr_assert_eq(pm_vm_stack_map(&vm_vs, 0x100000, 0x100000 - 0x1000, 0, &start), -PM_ENOMEM,
	             "the strings reach below mmap_min_addr");
}

VM_TEST(vm_brk, stack_area_exec_and_small_rlimit)
{
	struct pm_vm_limits lim = {64 * 1024, PM_VM_RLIM_INFINITY, PM_VM_RLIM_INFINITY,
	                           PM_VM_RLIM_INFINITY};
	pm_uaddr_t start;

	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 5000, PM_VM_EXSTACK_ENABLE_X, &start), 0);
	cr_assert_eq(start, X86_TOP - 64 * 1024, "RLIMIT_STACK smaller than strings + 128 KiB");
	cr_assert_eq(pm_vm_find(&vm_vs, start)->prot, RW | PM_PROT_EXEC);
	vm_consistent(&vm_vs);
}

VM_TEST(vm_brk, stack_area_failures)
{
	struct vm_snap s;
	pm_uaddr_t start;

	vm_snap_take(&vm_vs, &s);
	vm_hal_fail(VM_HAL_MAP, 1, -PM_ENOMEM);
	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 100, 0, &start), -PM_EFAULT);
	vm_snap_same(&vm_vs, &s);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_vm_stack_map(&vm_vs, X86_TOP, 100, 0, &start);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		vm_snap_same(&vm_vs, &s);
	}
	cr_assert_eq(vm_map(start - PM_VM_STACK_GUARD_GAP, PG, RO, ANON | PM_MAP_FIXED),
	             (int64_t)(start - PM_VM_STACK_GUARD_GAP));
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, start - PM_VM_STACK_GUARD_GAP + PG), -PM_ENOMEM,
	             "would come within the guard gap of the area below");
	vm_snap_same(&vm_vs, &s);
}

/* expand_downwards(): the fault path below a stack. */
VM_TEST(vm_brk, expand_stack)
{
	pm_uaddr_t start;
	struct pm_vm_limits lim = {1ull << 20, PM_VM_RLIM_INFINITY, PM_VM_RLIM_INFINITY,
	                           PM_VM_RLIM_INFINITY};

	cr_assert_eq(pm_vm_stack_map(&vm_vs, X86_TOP, 100, 0, &start), 0);
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, start + 5), 0, "already mapped");
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, start - 3 * PG - 8), 0);
	cr_assert_eq(pm_vm_find(&vm_vs, X86_TOP - 1)->start, start - 4 * PG);
	cr_assert_eq(pm_vm_find(&vm_vs, X86_TOP - 1)->pgoff, start - 4 * PG);
	cr_assert_eq(pm_vm_counters(&vm_vs)->stack_vm, 37);
	vm_consistent(&vm_vs);
	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, X86_TOP - (1ull << 20) - 1), -PM_ENOMEM,
	             "RLIMIT_STACK");
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, X86_TOP - (1ull << 20)), 0, "exactly the limit");
	cr_assert_eq(vm_map(0x20000000, PG, PM_PROT_NONE, ANON), 0x20000000);
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, 0x1fff0000), -PM_EFAULT, "not a grows-down area");
	cr_assert_eq(pm_vm_expand_stack(&vm_vs, X86_TOP + 5), -PM_EFAULT, "nothing above");
	vm_consistent(&vm_vs);
}
