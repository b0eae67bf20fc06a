/* Layout decisions: mmap_base, stack top, ET_DYN randomisation. */
#include "procmgr/host.h"
#include "vm_test.h"

TestSuite(vm_layout, .init = pm_test_setup);

static struct pm_hal_as *as;
static struct pm_vmspace vs;

static void make(const struct pm_arch_desc *arch, size_t layout, unsigned int flags,
                 uint64_t stack_limit)
{
	struct pm_vm_config cfg = {.arch = arch, .layout = &arch->layouts[layout], .flags = flags};

	cfg.limits = (struct pm_vm_limits){stack_limit, PM_VM_RLIM_INFINITY, PM_VM_RLIM_INFINITY,
	                                   PM_VM_RLIM_INFINITY};
	if (!as)
		as = pm_host_as_create(false);
	cr_assert_eq(pm_vmspace_init(&vs, as, &cfg), 0);
}

static void done(void)
{
	pm_vmspace_destroy(&vs);
	pm_host_as_destroy(as);
	as = NULL;
}

/* arch_pick_mmap_layout() without randomisation, every paging mode. */
PM_TEST(vm_layout, mmap_base_without_randomisation)
{
	static const struct {
		const struct pm_arch_desc *arch;
		size_t layout;
		uint64_t top;
	} cases[] = {
	    {&pm_arch_x86_64, 0, 0x7ffffffff000ull}, {&pm_arch_x86_64, 1, 0x7ffffffff000ull},
	    {&pm_arch_riscv64, 0, 1ull << 38},       {&pm_arch_riscv64, 1, 1ull << 47},
	    {&pm_arch_riscv64, 2, 1ull << 47},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make(cases[i].arch, cases[i].layout, PM_VM_NO_RANDOMIZE, PM_VM_STK_LIM);
		cr_assert(vs.topdown);
		cr_assert_eq(vs.mmap_base, cases[i].top - (128ull << 20),
		             "case %zu: 128 MiB minimum", i);
		cr_assert_eq(pm_vm_stack_top(&vs), cases[i].top, "case %zu: STACK_TOP", i);
		cr_assert_eq(pm_vm_mmap_rnd(&vs), 0);
		pm_vmspace_destroy(&vs);
		/* A 1 GiB stack limit: gap = limit + guard gap. */
		make(cases[i].arch, cases[i].layout, PM_VM_NO_RANDOMIZE, 1ull << 30);
		cr_assert_eq(vs.mmap_base, cases[i].top - (1ull << 30) - PM_VM_STACK_GUARD_GAP);
		pm_vmspace_destroy(&vs);
	}
	pm_host_as_destroy(as);
	as = NULL;
}

/* An unlimited stack forces the legacy layout in mm/util.c (riscv64) but
 * not on x86_64, where the gap is just clamped to 5/6 of the window. */
PM_TEST(vm_layout, unlimited_stack)
{
	make(&pm_arch_riscv64, 0, PM_VM_NO_RANDOMIZE, PM_VM_RLIM_INFINITY);
	cr_assert(!vs.topdown);
	cr_assert_eq(vs.mmap_base, 0x2aaaaab000ull, "TASK_UNMAPPED_BASE");
	pm_vmspace_destroy(&vs);
	make(&pm_arch_x86_64, 0, PM_VM_NO_RANDOMIZE, PM_VM_RLIM_INFINITY);
	cr_assert(vs.topdown);
	cr_assert_eq(vs.mmap_base,
	             (0x7ffffffff000ull - 0x7ffffffff000ull / 6 * 5 + 4095) & ~4095ull);
	done();
}

/* With randomisation: mmap_base moves down by up to 2^28 pages (x86) and
 * the gap includes the stack's own randomisation range. */
PM_TEST(vm_layout, randomised_ranges)
{
	uint64_t top = 0x7ffffffff000ull,
	         gap = PM_VM_STK_LIM + PM_VM_STACK_GUARD_GAP + (0x3fffffull << 12);
	pm_uaddr_t lo = ~0ull, hi = 0, slo = ~0ull, shi = 0;

	pm_host_random_seed(42);
	for (int i = 0; i < 200; i++) {
		pm_uaddr_t st;
		uint64_t r;

		make(&pm_arch_x86_64, 0, 0, PM_VM_STK_LIM);
		cr_assert_eq(vs.mmap_base & 4095, 0);
		cr_assert_leq(vs.mmap_base, top - gap);
		cr_assert_geq(vs.mmap_base, top - gap - (1ull << 40));
		cr_assert_eq(vs.mmap_legacy_base - 0x2aaaaaaab000ull, top - gap - vs.mmap_base,
		             "x86: one random value for both bases");
		lo = vs.mmap_base < lo ? vs.mmap_base : lo;
		hi = vs.mmap_base > hi ? vs.mmap_base : hi;
		st = pm_vm_stack_top(&vs);
		cr_assert_eq(st & 4095, 0);
		cr_assert_leq(st, top);
		cr_assert_geq(st, top - (0x3fffffull << 12) - 4096);
		slo = st < slo ? st : slo;
		shi = st > shi ? st : shi;
		r = pm_vm_mmap_rnd(&vs);
		cr_assert_eq(r & 4095, 0);
		cr_assert_lt(r, 1ull << 40);
		pm_vmspace_destroy(&vs);
	}
	cr_assert_gt(hi - lo, 1ull << 38, "200 draws spread over the 2^40 range");
	cr_assert_gt(shi - slo, 1ull << 32, "and the 16 GiB stack range");
	make(&pm_arch_riscv64, 0, 0, PM_VM_STK_LIM);
	cr_assert_lt((1ull << 38) - pm_vm_stack_top(&vs), (0x3ffffull << 12) + 8192,
	             "riscv: 18 bits of stack pages");
	cr_assert_lt(pm_vm_mmap_rnd(&vs), 1ull << 30, "riscv: 18 bits of mmap pages");
	done();
}

PM_TEST(vm_layout, init_rejects_bad_config)
{
	struct pm_arch_layout foreign = pm_arch_x86_64.layouts[0];
	struct pm_vm_config cfg = {.arch = &pm_arch_x86_64};
	struct pm_hal_as *a = pm_host_as_create(false);

	cr_assert_eq(pm_vmspace_init(NULL, a, &cfg), -PM_EINVAL);
	cr_assert_eq(pm_vmspace_init(&vs, NULL, &cfg), -PM_EINVAL);
	cr_assert_eq(pm_vmspace_init(&vs, a, NULL), -PM_EINVAL);
	cfg.layout = &foreign;
	cr_assert_eq(pm_vmspace_init(&vs, a, &cfg), -PM_EINVAL, "not one of the arch's layouts");
	cfg.layout = NULL;
	cfg.flags = 0x80;
	cr_assert_eq(pm_vmspace_init(&vs, a, &cfg), -PM_EINVAL);
	cfg.flags = 0;
	cfg.mmap_rnd_bits = 33;
	cr_assert_eq(pm_vmspace_init(&vs, a, &cfg), -PM_EINVAL, "above ARCH_MMAP_RND_BITS_MAX");
	cfg.mmap_rnd_bits = 32;
	cr_assert_eq(pm_vmspace_init(&vs, a, &cfg), 0);
	cr_assert_eq(vs.mmap_rnd_bits, 32);
	cr_assert_eq(vs.limits.stack, PM_VM_STK_LIM, "zero limits mean Linux's defaults");
	cr_assert_eq(vs.limits.as, PM_VM_RLIM_INFINITY);
	pm_vmspace_destroy(&vs);
	pm_host_as_destroy(a);
}

/* setup_new_exec() picks the layout again from the (possibly capped)
 * stack limit: a bigger limit moves mmap_base down. */
PM_TEST(vm_layout, pick_again_after_new_limits)
{
	struct pm_vm_limits lim = {2ull << 30, PM_VM_RLIM_INFINITY, PM_VM_RLIM_INFINITY,
	                           PM_VM_RLIM_INFINITY};

	make(&pm_arch_x86_64, 0, PM_VM_NO_RANDOMIZE, PM_VM_STK_LIM);
	pm_vmspace_set_limits(&vs, &lim);
	pm_vm_pick_layout(&vs);
	cr_assert_eq(vs.mmap_base, 0x7ffffffff000ull - (2ull << 30) - PM_VM_STACK_GUARD_GAP);
	done();
}

/* riscv (generic): a failed top-down search retries bottom-up from
 * TASK_UNMAPPED_BASE up to STACK_TOP_MAX; x86 legacy honours a free hint. */
PM_TEST(vm_layout, fallbacks_and_legacy_hint)
{
	struct pm_vm_map_req req = {.addr = PM_VM_MMAP_MIN_ADDR_DEFAULT,
	                            .prot = PM_PROT_READ,
	                            .flags = PM_MAP_PRIVATE | PM_MAP_ANONYMOUS | PM_MAP_FIXED};
	pm_uaddr_t out;

	vm_setup_with(&pm_arch_riscv64, PM_VM_NO_RANDOMIZE);
	vm_hal_fake(true);
	req.len = vm_vs.mmap_base - PM_VM_MMAP_MIN_ADDR_DEFAULT;
	cr_assert_eq(pm_vm_mmap(&vm_vs, &req, &out), 0);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0, PG, 0, &out), 0);
	cr_assert_eq(out, vm_vs.mmap_base, "bottom-up, first free page above the full range");
	vm_destroy_vs();
	pm_host_as_destroy(vm_as);
	vm_setup_with(&pm_arch_x86_64, PM_VM_NO_RANDOMIZE | PM_VM_LEGACY_LAYOUT);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0x40000000, PG, 0, &out), 0);
	cr_assert_eq(out, 0x40000000);
	cr_assert_eq(vm_map(0x40000000, PG, RO, ANON), 0x40000000);
	cr_assert_eq(pm_vm_get_unmapped_area(&vm_vs, 0x40000000, PG, 0, &out), 0);
	cr_assert_eq(out, 0x2aaaaaaab000ull, "occupied hint: from the legacy base");
	vm_destroy_vs();
	vm_teardown();
}

PM_TEST(vm_layout, find_prev_and_next)
{
	vm_setup();
	cr_assert_null(pm_vm_find_prev(&vm_vs, 0x50000000));
	cr_assert_eq(vm_map(0x40000000, PG, RO, ANON), 0x40000000);
	cr_assert_eq(vm_map(0x40002000, 2 * PG, RW, ANON), 0x40002000);
	cr_assert_null(pm_vm_find_prev(&vm_vs, 0x40000000));
	cr_assert_eq(pm_vm_find_prev(&vm_vs, 0x40000001)->start, 0x40000000);
	cr_assert_eq(pm_vm_find_prev(&vm_vs, 0x40002000)->start, 0x40000000);
	cr_assert_eq(pm_vm_find_prev(&vm_vs, 0x40003000)->start, 0x40002000, "containing area");
	cr_assert_eq(pm_vm_find_prev(&vm_vs, ~0ull)->start, 0x40002000);
	cr_assert_eq(pm_vm_find_next(&vm_vs, 0x40001000)->start, 0x40002000);
	cr_assert_null(pm_vm_find(&vm_vs, 0x40001000));
	cr_assert_null(pm_vm_find_next(&vm_vs, 0x40004000));
	vm_destroy_vs();
	vm_teardown();
}
