/* mprotect: splitting, merging, Linux's errors, limits and rollback. */
#include <string.h>

#include "procmgr/hal.h"
#include "procmgr/host.h"
#include "vm_test.h"

TestSuite(vm_protect, .init = vm_setup, .fini = vm_teardown);

#define A 0x20000000ull

VM_TEST(vm_protect, splits_then_merges_back)
{
	cr_assert_eq(vm_map(A, 8 * PG, RW, ANON | PM_MAP_FIXED), (int64_t)A);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 2 * PG, 2 * PG, RO), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 3);
	cr_assert_eq(pm_vm_find(&vm_vs, A + 2 * PG)->start, A + 2 * PG);
	cr_assert_eq(pm_vm_find(&vm_vs, A + 2 * PG)->pgoff, A + 2 * PG);
	cr_assert_eq(pm_vm_find(&vm_vs, A + 4 * PG)->start, A + 4 * PG);
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 6);
	vm_consistent(&vm_vs);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 2 * PG, 2 * PG, RW), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 1, "compatible neighbours merge (vma_modify_flags)");
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 8);
	vm_consistent(&vm_vs);
}

VM_TEST(vm_protect, across_areas_merges_all)
{
	cr_assert_eq(vm_map(A, PG, RO, ANON | PM_MAP_FIXED), (int64_t)A);
	cr_assert_eq(vm_map(A + PG, PG, RW, ANON | PM_MAP_FIXED), (int64_t)(A + PG));
	cr_assert_eq(vm_map(A + 2 * PG, PG, RX, ANON | PM_MAP_FIXED), (int64_t)(A + 2 * PG));
	cr_assert_eq(vm_map(A + 3 * PG, PG, RW, ANON | PM_MAP_FIXED), (int64_t)(A + 3 * PG));
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + PG, 2 * PG, RW), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 2);
	cr_assert_eq(pm_vm_find(&vm_vs, A + PG)->end, A + 4 * PG);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 4 * PG, RX | PM_PROT_SEM), 0, "PROT_SEM is ignored");
	cr_assert_eq(pm_vm_count(&vm_vs), 1);
	cr_assert_eq(pm_vm_counters(&vm_vs)->exec_vm, 4);
	vm_consistent(&vm_vs);
}

/* do_mprotect_pkey()'s errors; unlike Linux a failure changes nothing,
 * even when the failing area is not the first. */
VM_TEST(vm_protect, errors_change_nothing)
{
	struct vm_snap s;

	cr_assert_eq(vm_map(A, 2 * PG, RW, ANON | PM_MAP_FIXED), (int64_t)A);
	cr_assert_eq(vm_map(A + 3 * PG, PG, RW, ANON | PM_MAP_FIXED), (int64_t)(A + 3 * PG));
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 1, PG, RO), -PM_EINVAL);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, PG, 0x10), -PM_EINVAL, "unknown bit");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 0, 0x10), 0, "len 0 succeeds before any check");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, ~0ull - PG, RO), -PM_ENOMEM, "wraps");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 4 * PG, RO), -PM_ENOMEM, "hole inside");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A - PG, 2 * PG, RO), -PM_ENOMEM, "unmapped start");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 8 * PG, PG, RO), -PM_ENOMEM, "nothing there");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, PG, RO | PM_PROT_GROWSDOWN), -PM_EINVAL,
	             "GROWSDOWN on an area that does not grow down");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, PG, RO | PM_PROT_GROWSUP), -PM_EINVAL);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, PG, RO | PM_PROT_GROWSUP | PM_PROT_GROWSDOWN),
	             -PM_EINVAL);
	vm_snap_same(&vm_vs, &s);
}

VM_TEST(vm_protect, growsdown_extends_to_area_start)
{
	cr_assert_eq(vm_map(A, 8 * PG, RW, ANON | PM_MAP_FIXED | PM_MAP_GROWSDOWN), (int64_t)A);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 4 * PG, PG, RX | PM_PROT_GROWSDOWN), 0);
	cr_assert_eq(pm_vm_count(&vm_vs), 2);
	cr_assert_eq(pm_vm_find(&vm_vs, A)->prot, RX);
	cr_assert_eq(pm_vm_find(&vm_vs, A)->end, A + 5 * PG);
	cr_assert_eq(pm_vm_counters(&vm_vs)->stack_vm, 8);
	vm_consistent(&vm_vs);
}

/* newflags & ~(newflags >> 4): VM_MAY* bits limit mprotect (EACCES). */
VM_TEST(vm_protect, maxprot_gives_eacces)
{
	static unsigned char data[4096];
	struct pm_host_file_spec spec = {.path = "/vm/ro", .data = data, .size = sizeof(data)};
	struct pm_vm_map_req req = {
	    .addr = A, .len = PG, .prot = RO, .flags = PM_MAP_SHARED | PM_MAP_FIXED};
	pm_uaddr_t out;
	struct vm_snap s;

	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open("/vm/ro", &req.file), 0);
	cr_assert_eq(pm_vm_mmap(&vm_vs, &req, &out), 0);
	cr_assert_eq(vm_map(A + PG, PG, RO, ANON | PM_MAP_FIXED), (int64_t)(A + PG));
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 2 * PG, RW), -PM_EACCES,
	             "shared mapping of a file not open for writing");
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 2 * PG, RX), 0);
	pm_hal_file_put(req.file);
	vm_destroy_vs();
	pm_host_files_clear();
}

/* mprotect_fixup(): turning memory into data is checked against RLIMIT_DATA. */
VM_TEST(vm_protect, rlimit_data_when_made_writable)
{
	struct pm_vm_limits lim = {PM_VM_STK_LIM, 3 * PG, 3 * PG, PM_VM_RLIM_INFINITY};
	struct vm_snap s;

	cr_assert_eq(vm_map(A, 2 * PG, RO, ANON | PM_MAP_FIXED), (int64_t)A);
	cr_assert_eq(vm_map(A + 2 * PG, 2 * PG, RX, ANON | PM_MAP_FIXED), (int64_t)(A + 2 * PG));
	pm_vmspace_set_limits(&vm_vs, &lim);
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 4 * PG, RW), -PM_ENOMEM);
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, 3 * PG, RW), 0);
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 3);
	vm_consistent(&vm_vs);
}

PM_TEST(vm_protect, split_at_max_map_count)
{
	struct pm_vm_config cfg = {
	    .arch = &pm_arch_x86_64, .flags = PM_VM_NO_RANDOMIZE, .max_map_count = 2};

	vm_destroy_vs();
	cr_assert_eq(pm_vmspace_init(&vm_vs, vm_as, &cfg), 0);
	cr_assert_eq(vm_map(A, 4 * PG, RW, ANON | PM_MAP_FIXED), (int64_t)A);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A, PG, RO), 0, "1 -> 2 areas");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 2 * PG, PG, RO), -PM_ENOMEM, "would need 4");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + PG, PG, RW), 0, "no change, no split");
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + PG, 3 * PG, RO), 0, "merges instead");
	cr_assert_eq(pm_vm_count(&vm_vs), 1);
	vm_consistent(&vm_vs);
	pm_vmspace_destroy(&vm_vs);
}

VM_TEST(vm_protect, failures_roll_back)
{
	struct vm_snap s;

	for (int i = 0; i < 30; i++)
		cr_assert_gt(vm_map(A + 2 * PG * (pm_uaddr_t)i, PG, RO, ANON | PM_MAP_FIXED), 0);
	cr_assert_eq(vm_map(A + 100 * PG, 8 * PG, RW, ANON | PM_MAP_FIXED),
	             (int64_t)(A + 100 * PG));
	vm_snap_take(&vm_vs, &s);
	vm_hal_fail(VM_HAL_PROTECT, 1, -PM_EACCES);
	cr_assert_eq(pm_vm_mprotect(&vm_vs, A + 102 * PG, 2 * PG, RO), -PM_EACCES);
	vm_snap_same(&vm_vs, &s);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_vm_mprotect(&vm_vs, A + 102 * PG, 2 * PG, RO);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		vm_snap_same(&vm_vs, &s);
	}
	cr_assert_eq(pm_vm_count(&vm_vs), 33);
	vm_consistent(&vm_vs);
}
