/* mmap and munmap: placement, replacement, errors, limits and rollback. */
#include <string.h>

#include "procmgr/hal.h"
#include "procmgr/host.h"
#include "vm_test.h"

TestSuite(vm_map, .init = vm_setup, .fini = vm_teardown);

static const struct pm_vma *area_at(pm_uaddr_t a)
{
	const struct pm_vma *v = pm_vm_find(&vm_vs, a);

	cr_assert_not_null(v, "no area at %#llx", (unsigned long long)a);
	return v;
}

/* mm/util.c mmap_base(): gap = 8 MiB + guard, raised to 128 MiB. */
VM_TEST(vm_map, topdown_starts_below_mmap_base_and_merges_downward)
{
	cr_assert_eq(vm_vs.mmap_base, X86_BASE_NR);
	cr_assert(vm_vs.topdown);
	cr_assert_eq(vm_map(0, PG, RW, ANON), (int64_t)(X86_BASE_NR - PG));
	cr_assert_eq(vm_map(0, 2 * PG, RW, ANON), (int64_t)(X86_BASE_NR - 3 * PG));
	/* Same flags, adjacent, anonymous private: Linux merges them (vma_merge). */
	cr_assert_eq(pm_vm_count(&vm_vs), 1);
	cr_assert_eq(area_at(X86_BASE_NR - PG)->start, X86_BASE_NR - 3 * PG);
	cr_assert_eq(area_at(X86_BASE_NR - PG)->pgoff, X86_BASE_NR - 3 * PG,
	             "anonymous pgoff is the start address");
	cr_assert_eq(vm_map(0, PG, RO, ANON), (int64_t)(X86_BASE_NR - 4 * PG));
	cr_assert_eq(pm_vm_count(&vm_vs), 2, "a different protection does not merge");
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 4);
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 3);
	vm_consistent(&vm_vs);
}

VM_TEST(vm_map, hint_used_when_free_and_rounded_per_arch)
{
	pm_uaddr_t h = 0x10000000;

	cr_assert_eq(vm_map(h, PG, RW, ANON), (int64_t)h);
	/* x86 top-down rounds a hint down (addr &= PAGE_MASK). */
	cr_assert_eq(vm_map(h + 0x5123, PG, RW, ANON), (int64_t)(h + 0x5000));
	/* An occupied hint falls back to the top-down search. */
	cr_assert_eq(vm_map(h, PG, RW, ANON), (int64_t)(X86_BASE_NR - PG));
	/* A hint below mmap_min_addr is raised to it (round_hint_to_min). */
	cr_assert_eq(vm_map(0x1000, PG, RW, ANON), (int64_t)PM_VM_MMAP_MIN_ADDR_DEFAULT);
	vm_consistent(&vm_vs);
}

PM_TEST(vm_map, riscv_generic_rules_round_hints_up)
{
	vm_destroy_vs();
	pm_host_as_destroy(vm_as);
	vm_setup_with(&pm_arch_riscv64, PM_VM_NO_RANDOMIZE);
	/* sv39: STACK_TOP = 2^38; gap 128 MiB. */
	cr_assert_eq(vm_vs.mmap_base, (1ull << 38) - (128ull << 20));
	/* round_hint_to_min() rounds down before generic PAGE_ALIGN sees it. */
	cr_assert_eq(vm_map(0x10000123, PG, RW, ANON), 0x10000000);
	/* The generic hint check also wants mmap_min_addr and a free range. */
	cr_assert_eq(vm_map(0x10000000, PG, RW, ANON),
	             (int64_t)((1ull << 38) - (128ull << 20) - PG));
	cr_assert_eq(pm_vm_munmap(&vm_vs, (1ull << 38) - (128ull << 20) - PG, PG), 0);
	cr_assert_eq(vm_map(0, PG, RW, ANON), (int64_t)((1ull << 38) - (128ull << 20) - PG));
	vm_consistent(&vm_vs);
	vm_destroy_vs();
}

VM_TEST(vm_map, fixed_replaces_and_splits)
{
	pm_uaddr_t a = 0x20000000;
	struct pm_host_mapping m;

	cr_assert_eq(vm_map(a, 8 * PG, RW, ANON), (int64_t)a);
	memset(pm_host_as_ptr(vm_as, a, 8 * PG), 0xaa, 8 * PG);
	cr_assert_eq(vm_map(a + 2 * PG, 2 * PG, RO, ANON | PM_MAP_FIXED), (int64_t)(a + 2 * PG));
	cr_assert_eq(pm_vm_count(&vm_vs), 3);
	cr_assert_eq(area_at(a)->end, a + 2 * PG);
	cr_assert_eq(area_at(a + 2 * PG)->prot, RO);
	cr_assert_eq(area_at(a + 4 * PG)->start, a + 4 * PG);
	cr_assert_eq(area_at(a + 4 * PG)->pgoff, a + 4 * PG);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, a + 2 * PG, 1), 0,
	             "the replacement is fresh zero pages");
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, a + 4 * PG, 1), 0xaa);
	cr_assert(pm_host_as_query(vm_as, a + 2 * PG, &m));
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 8);
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 6);
	/* Replacing with the old protection merges the three back into one. */
	cr_assert_eq(vm_map(a + 2 * PG, 2 * PG, RW, ANON | PM_MAP_FIXED), (int64_t)(a + 2 * PG));
	cr_assert_eq(pm_vm_count(&vm_vs), 1);
	vm_consistent(&vm_vs);
}

VM_TEST(vm_map, fixed_over_several_areas_and_holes)
{
	pm_uaddr_t a = 0x20000000;

	cr_assert_eq(vm_map(a, PG, RO, ANON), (int64_t)a);
	cr_assert_eq(vm_map(a + 2 * PG, PG, RW, ANON), (int64_t)(a + 2 * PG));
	cr_assert_eq(vm_map(a + 4 * PG, 2 * PG, RO, ANON), (int64_t)(a + 4 * PG));
	cr_assert_eq(vm_map(a + PG, 4 * PG, RX, ANON | PM_MAP_FIXED), (int64_t)(a + PG));
	cr_assert_eq(pm_vm_count(&vm_vs), 3);
	cr_assert_eq(area_at(a + PG)->end, a + 5 * PG);
	cr_assert_eq(area_at(a + 5 * PG)->start, a + 5 * PG);
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 6);
	cr_assert_eq(pm_vm_counters(&vm_vs)->exec_vm, 4);
	vm_consistent(&vm_vs);
}

/* MAP_FIXED_NOREPLACE: -EEXIST if anything is in the range (do_mmap). */
VM_TEST(vm_map, fixed_noreplace)
{
	pm_uaddr_t a = 0x20000000;
	struct vm_snap s;

	cr_assert_eq(vm_map(a + PG, PG, RW, ANON), (int64_t)(a + PG));
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(vm_map(a, 2 * PG, RW, ANON | PM_MAP_FIXED_NOREPLACE), -PM_EEXIST);
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(vm_map(a, PG, RW, ANON | PM_MAP_FIXED_NOREPLACE), (int64_t)a);
	cr_assert_eq(vm_map(a + 1, PG, RW, ANON | PM_MAP_FIXED_NOREPLACE), -PM_EINVAL);
}

/* Errors in do_mmap()'s order; each leaves everything as it was. */
VM_TEST(vm_map, bad_input_gets_linux_errno_and_changes_nothing)
{
	struct vm_snap s;
	struct pm_vm_map_req req = {.addr = 0, .len = PG, .prot = RW, .flags = ANON};
	pm_uaddr_t out;

	cr_assert_eq(vm_map(0x20000000, PG, RW, ANON), 0x20000000);
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(vm_map(0, 0, RW, ANON), -PM_EINVAL, "len 0");
	cr_assert_eq(vm_map(0x30000001, PG, RW, ANON | PM_MAP_FIXED), -PM_EINVAL,
	             "unaligned fixed");
	cr_assert_eq(vm_map(X86_TOP - PG, 2 * PG, RW, ANON | PM_MAP_FIXED), -PM_ENOMEM,
	             "fixed beyond TASK_SIZE");
	cr_assert_eq(vm_map(0, 1ull << 63, RW, ANON), -PM_ENOMEM, "longer than TASK_SIZE");
	cr_assert_eq(vm_map(0, ~0ull - 10, RW, ANON), -PM_ENOMEM, "PAGE_ALIGN(len) wraps");
	cr_assert_eq(vm_map(0, PG, RW, PM_MAP_ANONYMOUS), -PM_EINVAL, "no mapping type");
	cr_assert_eq(vm_map(0, PG, RW, PM_MAP_SHARED_VALIDATE | PM_MAP_ANONYMOUS), -PM_EINVAL,
	             "anonymous MAP_SHARED_VALIDATE");
	cr_assert_eq(vm_map(0, PG, RW, PM_MAP_SHARED | PM_MAP_ANONYMOUS | PM_MAP_GROWSDOWN),
	             -PM_EINVAL, "shared grows-down");
	cr_assert_eq(vm_map(0x1000, PG, RW, ANON | PM_MAP_FIXED), -PM_EPERM,
	             "fixed below mmap_min_addr");
	cr_assert_eq(vm_map(0, PG, RW, ANON | PM_MAP_HUGETLB), -PM_EINVAL);
	req.offset = 123;
	cr_assert_eq(pm_vm_mmap(&vm_vs, &req, &out), -PM_EINVAL, "unaligned offset");
	vm_snap_same(&vm_vs, &s);
	/* CAP_SYS_RAWIO lets a fixed mapping go below mmap_min_addr. */
	req = (struct pm_vm_map_req){.addr = 0x1000,
	                             .len = PG,
	                             .prot = RW,
	                             .flags = ANON | PM_MAP_FIXED,
	                             .extra = PM_VM_MAPX_RAWIO};
	cr_assert_eq(pm_vm_mmap(&vm_vs, &req, &out), 0);
	cr_assert_eq(out, 0x1000);
}

/* Unknown PROT bits are ignored by mmap (do_mmap never checks them). */
VM_TEST(vm_map, unknown_prot_bits_ignored)
{
	int64_t a = vm_map(0, PG, RW | 0x100 | PM_PROT_SEM, ANON);

	cr_assert_gt(a, 0);
	cr_assert_eq(area_at((pm_uaddr_t)a)->prot, RW);
}

/* may_expand_vm(): RLIMIT_AS counts every page; MAP_FIXED counts only the
 * pages it adds (mmap_region's count_vma_pages_range). */
VM_TEST(vm_map, rlimit_as)
{
	struct pm_vm_limits lim = {PM_VM_STK_LIM, PM_VM_RLIM_INFINITY, PM_VM_RLIM_INFINITY, 4 * PG};
	pm_uaddr_t a = 0x20000000;

	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_eq(vm_map(a, 4 * PG, RO, ANON), (int64_t)a);
	cr_assert_eq(vm_map(0, PG, RO, ANON), -PM_ENOMEM);
	cr_assert_eq(vm_map(a + PG, 2 * PG, RW, ANON | PM_MAP_FIXED), (int64_t)(a + PG));
	cr_assert_eq(vm_map(a + 3 * PG, 2 * PG, RW, ANON | PM_MAP_FIXED), -PM_ENOMEM);
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 4);
	vm_consistent(&vm_vs);
}

/* RLIMIT_DATA covers private writable memory only; a soft limit of 0 is
 * Linux's Valgrind allowance up to the hard limit. */
VM_TEST(vm_map, rlimit_data)
{
	struct pm_vm_limits lim = {PM_VM_STK_LIM, 2 * PG, 2 * PG, PM_VM_RLIM_INFINITY};

	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_gt(vm_map(0, 2 * PG, RW, ANON), 0);
	cr_assert_eq(vm_map(0, PG, RW, ANON), -PM_ENOMEM);
	cr_assert_gt(vm_map(0, 8 * PG, RO, ANON), 0, "read-only is not data");
	cr_assert_gt(vm_map(0, 8 * PG, RW, PM_MAP_SHARED | PM_MAP_ANONYMOUS), 0,
	             "shared is not data");
	lim.data = 0;
	lim.data_max = 3 * PG;
	pm_vmspace_set_limits(&vm_vs, &lim);
	cr_assert_gt(vm_map(0, PG, RW, ANON), 0, "soft 0: up to the hard limit");
	cr_assert_eq(vm_map(0, PG, RW, ANON), -PM_ENOMEM);
	vm_consistent(&vm_vs);
}

PM_TEST(vm_map, max_map_count)
{
	struct pm_vm_config cfg = {
	    .arch = &pm_arch_x86_64, .flags = PM_VM_NO_RANDOMIZE, .max_map_count = 3};
	pm_uaddr_t a = 0x20000000;

	vm_destroy_vs();
	cr_assert_eq(pm_vmspace_init(&vm_vs, vm_as, &cfg), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(vm_map(a + 2 * PG * (pm_uaddr_t)i, PG, RW, ANON),
		             (int64_t)(a + 2 * PG * (pm_uaddr_t)i),
		             "map_count > max is checked first");
	cr_assert_eq(vm_map(a + 8 * PG, PG, RW, ANON), -PM_ENOMEM);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + 6 * PG, PG), 0);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + 4 * PG, PG), 0);
	cr_assert_eq(vm_map(a + 4 * PG, 3 * PG, RW, ANON), (int64_t)(a + 4 * PG));
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + 5 * PG, PG), -PM_ENOMEM,
	             "punching a hole at max_map_count");
	vm_consistent(&vm_vs);
	pm_vmspace_destroy(&vm_vs);
}

VM_TEST(vm_map, munmap_errors_and_splits)
{
	pm_uaddr_t a = 0x20000000;
	struct vm_snap s;

	cr_assert_eq(vm_map(a, 8 * PG, RW, ANON), (int64_t)a);
	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + 1, PG), -PM_EINVAL);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a, 0), -PM_EINVAL);
	cr_assert_eq(pm_vm_munmap(&vm_vs, X86_TOP, PG), -PM_EINVAL);
	cr_assert_eq(pm_vm_munmap(&vm_vs, X86_TOP - PG, 2 * PG), -PM_EINVAL);
	cr_assert_eq(pm_vm_munmap(&vm_vs, X86_TOP + PG, PG), -PM_EINVAL);
	vm_hal_reset();
	cr_assert_eq(pm_vm_munmap(&vm_vs, 0x30000000, PG), 0, "nothing mapped: success");
	cr_assert_eq(vm_hal_calls(VM_HAL_UNMAP), 0, "and no HAL call");
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + 3 * PG, 1), 0, "len rounds up to a page");
	cr_assert_eq(pm_vm_count(&vm_vs), 2);
	cr_assert_eq(pm_vm_find(&vm_vs, a + 4 * PG)->pgoff, a + 4 * PG);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a - PG, 2 * PG), 0, "trims the front");
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + 7 * PG, 4 * PG), 0, "trims the back");
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 5);
	vm_consistent(&vm_vs);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a, 16 * PG), 0, "spans both areas");
	cr_assert_eq(pm_vm_count(&vm_vs), 0);
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 0);
	cr_assert_eq(pm_host_as_count(vm_as), 0);
}

/* A grows-down area keeps 1 MiB (stack_guard_gap) free below it
 * (unmapped_area_topdown retries below vm_start_gap). */
VM_TEST(vm_map, stack_guard_gap_respected)
{
	pm_uaddr_t stack = X86_BASE_NR - (4ull << 20);

	cr_assert_eq(vm_map(stack, 4 * PG, RW, ANON | PM_MAP_GROWSDOWN | PM_MAP_FIXED),
	             (int64_t)stack);
	cr_assert_eq(vm_map(0, 4 * PG, RW, ANON), (int64_t)(X86_BASE_NR - 4 * PG),
	             "above the stack: just below mmap_base");
	cr_assert_eq(vm_map(0, 5ull << 20, RW, ANON),
	             (int64_t)(stack - PM_VM_STACK_GUARD_GAP - (5ull << 20)),
	             "too big for the room above the stack: below it, past the guard gap");
	cr_assert_eq(vm_map(stack - PG, PG, RW, ANON), (int64_t)(X86_BASE_NR - 5 * PG),
	             "a hint inside the guard gap is refused");
	cr_assert_eq(pm_vm_count(&vm_vs), 3);
	vm_consistent(&vm_vs);
}

PM_TEST(vm_map, legacy_layout_is_bottom_up)
{
	vm_destroy_vs();
	pm_host_as_destroy(vm_as);
	vm_setup_with(&pm_arch_x86_64, PM_VM_NO_RANDOMIZE | PM_VM_LEGACY_LAYOUT);
	cr_assert(!vm_vs.topdown);
	cr_assert_eq(vm_vs.mmap_base, 0x2aaaaaaab000ull, "TASK_UNMAPPED_BASE");
	cr_assert_eq(vm_map(0, PG, RW, ANON), 0x2aaaaaaab000ll);
	cr_assert_eq(vm_map(0, PG, RO, ANON), 0x2aaaaaaac000ll);
	vm_consistent(&vm_vs);
	vm_destroy_vs();
}

/* Top-down exhaustion falls back to a bottom-up search (Linux comment:
 * "A failed mmap() very likely causes application failure"). */
VM_TEST(vm_map, topdown_failure_falls_back_bottom_up)
{
	pm_uaddr_t base = vm_vs.mmap_base;

	vm_hal_fake(true);
	cr_assert_eq(vm_map(PM_VM_MMAP_MIN_ADDR_DEFAULT, base - PM_VM_MMAP_MIN_ADDR_DEFAULT, RO,
	                    ANON | PM_MAP_FIXED | PM_MAP_NORESERVE),
	             (int64_t)PM_VM_MMAP_MIN_ADDR_DEFAULT);
	cr_assert_eq(vm_map(0, PG, RO, ANON), (int64_t)base,
	             "above mmap_base, from the legacy base");
	cr_assert_eq(vm_map(0, 2 * PG, RW, ANON), (int64_t)(base + PG));
	cr_assert_eq(pm_vm_check(&vm_vs), 0);
}

/* 5-level x86: only a hint above 47 bits gets an address above them. */
PM_TEST(vm_map, x86_la57_high_hint)
{
	struct pm_vm_config cfg = {.arch = &pm_arch_x86_64,
	                           .layout = &pm_arch_x86_64.layouts[1],
	                           .flags = PM_VM_NO_RANDOMIZE};
	pm_uaddr_t out;

	vm_destroy_vs();
	cr_assert_eq(pm_vmspace_init(&vm_vs, vm_as, &cfg), 0);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0, PG, 0, &out), 0);
	cr_assert_eq(out, X86_BASE_NR - PG);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 1ull << 50, PG, 0, &out), 0);
	cr_assert_eq(out, 1ull << 50);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, X86_TOP - PG, 2 * PG, 0, &out), 0);
	cr_assert_eq(out, X86_BASE_NR - 2 * PG, "a hint straddling 47 bits is ignored");
	pm_vmspace_destroy(&vm_vs);
}

VM_TEST(vm_map, get_unmapped_area_checks)
{
	pm_uaddr_t out;

	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0, 0, 0, &out), -PM_EINVAL);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0, PG + 1, 0, &out), -PM_EINVAL);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0, X86_TOP + PG, 0, &out), -PM_ENOMEM);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0x1234, PG, PM_MAP_FIXED, &out), -PM_EINVAL);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0x10000, PG, PM_MAP_FIXED, &out), 0);
	cr_assert_eq(out, 0x10000);
}

/* ---- file mappings ---- */

static struct pm_hal_file *vfile(const char *path, uint32_t flags)
{
	static unsigned char data[4 * 4096];
	struct pm_host_file_spec spec = {
	    .path = path, .data = data, .size = sizeof(data), .flags = flags};
	struct pm_hal_file *f;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i / 4096 + 1);
	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open(path, &f), 0);
	return f;
}

static int64_t fmap(struct pm_hal_file *f, pm_uaddr_t addr, uint64_t len, uint64_t off,
                    unsigned int prot, unsigned int flags, bool writable)
{
	struct pm_vm_map_req req = {.addr = addr,
	                            .len = len,
	                            .prot = prot,
	                            .flags = flags,
	                            .file = f,
	                            .offset = off,
	                            .file_writable = writable};
	pm_uaddr_t out;
	int err = pm_vm_mmap(&vm_vs, &req, &out);

	return err ? err : (int64_t)out;
}

VM_TEST(vm_map, file_private_mapping_refcount_identity_merge)
{
	struct pm_hal_file *f = vfile("/vm/lib.so", 0);
	pm_uaddr_t a = 0x20000000;
	const struct pm_vma *v;

	cr_assert_eq(fmap(f, a, PG, PG, RX, PM_MAP_PRIVATE | PM_MAP_FIXED, false), (int64_t)a);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, a, 1), 2, "offset 4096 = page 2");
	cr_assert_eq(fmap(f, a + PG, PG, 2 * PG, RX, PM_MAP_PRIVATE | PM_MAP_FIXED, false),
	             (int64_t)(a + PG));
	cr_assert_eq(pm_vm_count(&vm_vs), 1, "contiguous offsets of the same file merge");
	cr_assert_eq(fmap(f, a + 2 * PG, PG, 0, RX, PM_MAP_PRIVATE | PM_MAP_FIXED, false),
	             (int64_t)(a + 2 * PG));
	cr_assert_eq(pm_vm_count(&vm_vs), 2, "a backwards offset does not");
	v = pm_vm_find(&vm_vs, a);
	cr_assert_eq(v->file, f);
	cr_assert_eq(v->pgoff, PG);
	cr_assert_eq(v->dev, 0xfffe);
	cr_assert_neq(v->ino, 0);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + PG, PG), 0);
	cr_assert_eq(pm_vm_find(&vm_vs, a + 2 * PG)->pgoff, 0);
	pm_hal_file_put(f);
	cr_assert_eq(pm_host_files_open(), 1, "the two areas still hold the file");
	cr_assert_eq(pm_vm_munmap(&vm_vs, a, 3 * PG), 0);
	cr_assert_eq(pm_host_files_open(), 0);
	pm_host_files_clear();
}

/* do_mmap(): shared writable needs FMODE_WRITE (EACCES); PROT_EXEC on a
 * noexec mount is EPERM; grows-down files EINVAL; MAP_SHARED_VALIDATE
 * rejects unknown flags (EOPNOTSUPP) where MAP_SHARED drops them. */
VM_TEST(vm_map, file_mapping_permissions)
{
	struct pm_hal_file *f = vfile("/vm/data", 0), *nx = vfile("/vm/noexec", PM_FILE_NOEXEC);
	struct vm_snap s;

	vm_snap_take(&vm_vs, &s);
	cr_assert_eq(fmap(f, 0, PG, 0, RW, PM_MAP_SHARED, false), -PM_EACCES);
	cr_assert_eq(fmap(nx, 0, PG, 0, RX, PM_MAP_PRIVATE, false), -PM_EPERM);
	cr_assert_eq(fmap(f, 0, PG, 0, RO, PM_MAP_PRIVATE | PM_MAP_GROWSDOWN, false), -PM_EINVAL);
	cr_assert_eq(
	    fmap(f, 0x20000000, PG, 0, RO, PM_MAP_SHARED_VALIDATE | PM_MAP_FIXED_NOREPLACE, false),
	    -PM_EOPNOTSUPP);
	cr_assert_eq(fmap(f, 0, PG, (1ull << 63) - PG, RO, PM_MAP_PRIVATE, false), -PM_EOVERFLOW);
	vm_snap_same(&vm_vs, &s);
	cr_assert_gt(fmap(f, 0, PG, 0, RO, PM_MAP_SHARED | 0x40000000u, false), 0);
	cr_assert_gt(fmap(f, 0, PG, 0, RW, PM_MAP_SHARED, true), 0);
	cr_assert_gt(fmap(nx, 0, PG, 0, RO, PM_MAP_PRIVATE, false), 0);
	cr_assert_eq(pm_vm_find_next(&vm_vs, 0)->maxprot, RW, "noexec: VM_MAYEXEC cleared");
	cr_assert_eq(pm_vm_counters(&vm_vs)->data_vm, 0);
	pm_hal_file_put(f);
	pm_hal_file_put(nx);
	vm_destroy_vs();
	pm_host_files_clear();
}

/* ---- rollback ---- */

/* Every allocation of a MAP_FIXED that punches a hole (split record, new
 * record, tree nodes) is tested failing: -ENOMEM and nothing changed. */
VM_TEST(vm_map, allocation_failures_change_nothing)
{
	pm_uaddr_t a = 0x20000000;
	struct vm_snap s;

	for (int i = 0; i < 40; i++) /* a tree of several levels */
		cr_assert_gt(vm_map(a + 2 * PG * (pm_uaddr_t)i, PG, i % 2 ? RW : RO, ANON), 0);
	cr_assert_eq(vm_map(a + 100 * PG, 8 * PG, RW, ANON), (int64_t)(a + 100 * PG));
	vm_snap_take(&vm_vs, &s);
	for (uint64_t n = 1;; n++) {
		int64_t r;

		pm_host_fault_alloc_nth(n);
		r = vm_map(a + 102 * PG, 2 * PG, RO, ANON | PM_MAP_FIXED);
		pm_host_fault_reset();
		if (r >= 0)
			break;
		cr_assert_eq(r, -PM_ENOMEM);
		vm_snap_same(&vm_vs, &s);
	}
	cr_assert_eq(pm_vm_count(&vm_vs), 43);
	vm_snap_take(&vm_vs, &s);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_vm_munmap(&vm_vs, a + 100 * PG, PG * 3 / 2);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		vm_snap_same(&vm_vs, &s);
	}
	vm_consistent(&vm_vs);
}

VM_TEST(vm_map, hal_failures_roll_back)
{
	pm_uaddr_t a = 0x20000000;
	struct vm_snap s;

	cr_assert_eq(vm_map(a, 4 * PG, RW, ANON), (int64_t)a);
	memset(pm_host_as_ptr(vm_as, a, 4 * PG), 0x5a, 4 * PG);
	vm_snap_take(&vm_vs, &s);
	vm_hal_fail(VM_HAL_MAP, 1, -PM_ENOMEM);
	cr_assert_eq(vm_map(0, PG, RW, ANON), -PM_ENOMEM);
	vm_snap_same(&vm_vs, &s);
	vm_hal_fail(VM_HAL_UNMAP, 1, -PM_ENOMEM);
	cr_assert_eq(pm_vm_munmap(&vm_vs, a + PG, PG), -PM_ENOMEM);
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, a + PG, 1), 0x5a);
	vm_hal_fail(VM_HAL_UNMAP, 1, -PM_ENOMEM);
	cr_assert_eq(vm_map(a + PG, PG, RO, ANON | PM_MAP_FIXED), -PM_ENOMEM);
	vm_snap_same(&vm_vs, &s);
	/* The new mapping fails after the old pages went: the old area is
	 * mapped again (zero-filled: the HAL kept no copy). */
	vm_hal_fail(VM_HAL_MAP, 1, -PM_EACCES);
	cr_assert_eq(vm_map(a + PG, 2 * PG, RO, ANON | PM_MAP_FIXED), -PM_EACCES);
	vm_snap_same(&vm_vs, &s);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, a, 1), 0x5a);
	cr_assert_eq(*(unsigned char *)pm_host_as_ptr(vm_as, a + PG, 1), 0);
	/* ... and if even that fails, the range is a hole in both. */
	vm_hal_fail_from(VM_HAL_MAP, 1, -PM_EACCES);
	cr_assert_eq(vm_map(a + PG, 2 * PG, RO, ANON | PM_MAP_FIXED), -PM_EACCES);
	vm_hal_reset();
	cr_assert_eq(pm_vm_count(&vm_vs), 2);
	cr_assert_null(pm_vm_find(&vm_vs, a + PG));
	cr_assert_null(pm_vm_find(&vm_vs, a + 2 * PG));
	cr_assert_eq(pm_vm_counters(&vm_vs)->total_vm, 2);
	vm_consistent(&vm_vs);
}
