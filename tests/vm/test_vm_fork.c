/* fork: duplicating a vmspace (dup_mmap) and its pages through the HAL. */
#include <string.h>

#include "procmgr/hal.h"
#include "procmgr/host.h"
#include "vm_test.h"

TestSuite(vm_fork, .init = vm_setup, .fini = vm_teardown);

#define A 0x20000000ull

static void populate(struct pm_hal_file **f)
{
	static unsigned char data[2 * 4096] = {7, 7, 7};
	struct pm_host_file_spec spec = {.path = "/vm/fork", .data = data, .size = sizeof(data)};
	struct pm_vm_map_req req = {
	    .addr = A + 8 * PG, .len = PG, .prot = RO, .flags = PM_MAP_PRIVATE | PM_MAP_FIXED};
	pm_uaddr_t out;

	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open("/vm/fork", f), 0);
	req.file = *f;
	cr_assert_eq(pm_vm_mmap(&vm_vs, &req, &out), 0);
	cr_assert_eq(vm_map(A, 2 * PG, RW, ANON | PM_MAP_FIXED), (int64_t)A);
	cr_assert_eq(vm_map(A + 4 * PG, PG, RW, PM_MAP_SHARED | PM_MAP_ANONYMOUS | PM_MAP_FIXED),
	             (int64_t)(A + 4 * PG));
	for (int i = 0; i < 40; i++)
		cr_assert_gt(vm_map(A + (16 + 2 * (pm_uaddr_t)i) * PG, PG, RO, ANON | PM_MAP_FIXED),
		             0);
	cr_assert_eq(pm_vm_brk_init(&vm_vs, 0x600000, false), 0);
	memset(pm_host_as_ptr(vm_as, A, 2 * PG), 0x11, 2 * PG);
	memset(pm_host_as_ptr(vm_as, A + 4 * PG, PG), 0x22, PG);
}

VM_TEST(vm_fork, child_gets_copies_private_cow_shared_shared)
{
	struct pm_hal_file *f;
	struct pm_hal_as *cas = pm_host_as_create(false);
	struct pm_vmspace child;
	struct vm_snap ps, cs;

	populate(&f);
	vm_snap_take(&vm_vs, &ps);
	cr_assert_eq(pm_vmspace_fork(&child, cas, &vm_vs), 0);
	vm_snap_take(&child, &cs);
	cr_assert_eq(cs.n, ps.n);
	cr_assert_eq(memcmp(cs.areas, ps.areas, ps.n * sizeof(ps.areas[0])), 0);
	cr_assert_eq(memcmp(&cs.acct, &ps.acct, sizeof(cs.acct)), 0);
	cr_assert_eq(memcmp(&cs.image, &ps.image, sizeof(cs.image)), 0);
	cr_assert_eq(child.mmap_base, vm_vs.mmap_base);
	vm_consistent(&child);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(cas, A, 1), 0x11);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(cas, A + 8 * PG, 1), 7);
	*(unsigned char *)pm_host_as_ptr(cas, A, 1) = 0x99;
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, A, 1), 0x11, "private: a copy");
	*(unsigned char *)pm_host_as_ptr(cas, A + 4 * PG, 1) = 0x33;
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, A + 4 * PG, 1), 0x33,
	             "shared: shared");
	/* Both hold file references; the child can change without the parent. */
	pm_hal_file_put(f);
	cr_assert_eq(pm_vm_munmap(&child, A, 128 * PG), 0);
	cr_assert_eq(pm_vm_count(&child), 0);
	vm_snap_same(&vm_vs, &ps);
	pm_vmspace_destroy(&child);
	pm_host_as_destroy(cas);
	vm_destroy_vs();
	cr_assert_eq(pm_host_files_open(), 0);
	pm_host_files_clear();
}

VM_TEST(vm_fork, failures_leave_no_trace)
{
	struct pm_hal_file *f;
	struct pm_hal_as *cas = pm_host_as_create(false);
	struct pm_vmspace child;
	struct vm_snap ps;

	populate(&f);
	pm_hal_file_put(f);
	vm_snap_take(&vm_vs, &ps);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_vmspace_fork(&child, cas, &vm_vs);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(pm_host_as_count(cas), 0);
		vm_snap_same(&vm_vs, &ps);
	}
	pm_vmspace_destroy(&child);
	pm_host_as_destroy(cas);
	cas = pm_host_as_create(false);
	vm_hal_fail(VM_HAL_FORK, 3, -PM_ENOMEM);
	cr_assert_eq(pm_vmspace_fork(&child, cas, &vm_vs), -PM_ENOMEM);
	cr_assert_eq(pm_host_as_count(cas), 0, "the ranges already copied are gone again");
	vm_snap_same(&vm_vs, &ps);
	pm_host_as_destroy(cas);
	vm_destroy_vs();
	pm_host_files_clear();
}
