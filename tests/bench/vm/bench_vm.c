/*
 * VM layout: area lookup at 10, 1e3 and 1e5 areas, free-gap placement,
 * mmap+munmap, and the initial stack for 8 and 1000 arguments. The
 * address-space HAL calls are stubbed (see CMakeLists.txt).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_bench.h"
#include "procmgr/host.h"
#include "procmgr/vm.h"
#include "procmgr/vm_stack.h"

#define PG 4096ull

int __wrap_pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                         unsigned int flags, struct pm_hal_file *file, uint64_t offset);
int __wrap_pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len);
int __wrap_pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len,
                             unsigned int prot);

int __wrap_pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                         unsigned int flags, struct pm_hal_file *file, uint64_t offset)
{
	(void)as, (void)start, (void)len, (void)prot, (void)flags, (void)file, (void)offset;
	return 0;
}

int __wrap_pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len)
{
	(void)as, (void)start, (void)len;
	return 0;
}

int __wrap_pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len,
                             unsigned int prot)
{
	(void)as, (void)start, (void)len, (void)prot;
	return 0;
}

#define NADDR (1u << 16)

struct space {
	struct pm_vmspace vs;
	size_t n;
	pm_uaddr_t lo;
	pm_uaddr_t *addrs; /* NADDR random addresses inside areas */
};

static uint64_t rng_state = 12345;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* n one-page areas just below mmap_base, one free page between each two:
 * every gap is one page, so a 2-page request must skip them all. */
static void build(struct space *s, struct pm_hal_as *as, size_t n)
{
	struct pm_vm_config cfg = {
	    .arch = &pm_arch_x86_64, .flags = PM_VM_NO_RANDOMIZE, .max_map_count = 1u << 22};
	struct pm_vm_map_req req = {.len = PG,
	                            .prot = PM_PROT_READ,
	                            .flags =
	                                PM_MAP_PRIVATE | PM_MAP_ANONYMOUS | PM_MAP_FIXED_NOREPLACE};
	pm_uaddr_t out;

	if (pm_vmspace_init(&s->vs, as, &cfg))
		abort();
	s->n = n;
	s->lo = s->vs.mmap_base - 2 * PG * n;
	for (size_t i = 0; i < n; i++) {
		req.addr = s->lo + 2 * PG * i;
		if (pm_vm_mmap(&s->vs, &req, &out))
			abort();
	}
	s->addrs = malloc(NADDR * sizeof(*s->addrs));
	for (size_t i = 0; i < NADDR; i++)
		s->addrs[i] = s->lo + 2 * PG * (rng() % n) + (rng() % PG);
}

static void drop(struct space *s)
{
	pm_vmspace_destroy(&s->vs);
	free(s->addrs);
}

static void find_random(void *ctx, uint64_t iters)
{
	struct space *s = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		const struct pm_vma *v = pm_vm_find(&s->vs, s->addrs[i & (NADDR - 1)]);

		pm_bench_keep(v);
	}
}

/* The same lookups confined to 64 neighbouring areas: the tree walk with
 * its nodes in cache, i.e. the CPU cost without the memory latency. */
static void find_local(void *ctx, uint64_t iters)
{
	struct space *s = ctx;
	pm_uaddr_t base = s->lo + 2 * PG * (s->n / 2);

	for (uint64_t i = 0; i < iters; i++) {
		const struct pm_vma *v =
		    pm_vm_find(&s->vs, base + 2 * PG * (s->addrs[i & (NADDR - 1)] % 64));

		pm_bench_keep(v);
	}
}

static void place_1page(void *ctx, uint64_t iters)
{
	struct space *s = ctx;
	pm_uaddr_t out = 0;

	for (uint64_t i = 0; i < iters; i++) {
		pm_vm_get_unmapped_area(&s->vs, 0, PG, 0, &out);
		pm_bench_keep(out);
	}
}

static void place_2pages(void *ctx, uint64_t iters)
{
	struct space *s = ctx;
	pm_uaddr_t out = 0;

	for (uint64_t i = 0; i < iters; i++) {
		pm_vm_get_unmapped_area(&s->vs, 0, 2 * PG, 0, &out);
		pm_bench_keep(out);
	}
}

static void map_unmap(void *ctx, uint64_t iters)
{
	struct space *s = ctx;
	struct pm_vm_map_req req = {.len = 2 * PG,
	                            .prot = PM_PROT_READ | PM_PROT_WRITE,
	                            .flags = PM_MAP_PRIVATE | PM_MAP_ANONYMOUS};
	pm_uaddr_t out = 0;

	for (uint64_t i = 0; i < iters; i++) {
		if (pm_vm_mmap(&s->vs, &req, &out) || pm_vm_munmap(&s->vs, out, 2 * PG))
			abort();
	}
}

struct stack_ctx {
	struct pm_vm_stack_in in;
	void *buf;
	size_t size;
};

static void stack_build(void *ctx, uint64_t iters)
{
	struct stack_ctx *c = ctx;
	struct pm_vm_stack_layout l;

	for (uint64_t i = 0; i < iters; i++) {
		if (pm_vm_stack_build(&pm_arch_x86_64, &c->in, 0x7ffffffff000ull, &l, c->buf,
		                      c->size))
			abort();
		pm_bench_keep(l.sp);
	}
}

static const char *env10[] = {"PATH=/usr/local/bin:/usr/bin:/bin",
                              "HOME=/home/user",
                              "LANG=C.UTF-8",
                              "TERM=xterm-256color",
                              "USER=user",
                              "SHELL=/bin/bash",
                              "PWD=/home/user/src",
                              "LOGNAME=user",
                              "SHLVL=1",
                              "_=/usr/bin/prog"};

static void stack_case(const char *name, size_t argc)
{
	static char args[1000][16];
	static const char *argv[1000];
	struct stack_ctx c;
	struct pm_vm_stack_layout l;

	for (size_t i = 0; i < argc; i++) {
		snprintf(args[i], sizeof(args[i]), "argument-%zu", i);
		argv[i] = args[i];
	}
	memset(&c, 0, sizeof(c));
	c.in.argv = (struct pm_vm_strv){.v = argv, .count = argc};
	c.in.envp = (struct pm_vm_strv){.v = env10, .count = 10};
	c.in.execfn = "/usr/bin/prog";
	c.in.hw.vdso_base = 0x7ffff7fc1000ull;
	if (pm_vm_stack_build(&pm_arch_x86_64, &c.in, 0x7ffffffff000ull, &l, NULL, 0))
		abort();
	c.size = l.size;
	c.buf = malloc(l.size);
	pm_bench_case(name, argc > 100 ? 20000 : 500000, stack_build, &c);
	pm_bench_note("%s: image %zu bytes", name, l.size);
	free(c.buf);
}

int main(void)
{
	struct pm_hal_as *as = pm_host_as_create(false);
	static const size_t sizes[] = {10, 1000, 100000};
	static struct space s;
	char name[64];

	for (size_t k = 0; k < 3; k++) {
		size_t n = pm_bench_smoke() ? 10 : sizes[k];

		build(&s, as, n);
		snprintf(name, sizeof(name), "find_random_%zu_areas", sizes[k]);
		pm_bench_case(name, 2000000, find_random, &s);
		if (k > 0) {
			snprintf(name, sizeof(name), "find_hot_64_of_%zu_areas", sizes[k]);
			pm_bench_case(name, 2000000, find_local, &s);
			snprintf(name, sizeof(name), "place_first_gap_%zu_areas", sizes[k]);
			pm_bench_case(name, 1000000, place_1page, &s);
			snprintf(name, sizeof(name), "place_skip_all_gaps_%zu_areas", sizes[k]);
			pm_bench_case(name, 1000000, place_2pages, &s);
			snprintf(name, sizeof(name), "mmap_munmap_%zu_areas", sizes[k]);
			pm_bench_case(name, 500000, map_unmap, &s);
			pm_bench_note("%zu areas: tree height %u", sizes[k], s.vs.height);
		}
		drop(&s);
	}
	stack_case("stack_build_8_args", 8);
	stack_case("stack_build_1000_args", 1000);
	pm_bench_note("sizeof(struct pm_vmspace) = %zu, sizeof(struct pm_vma) = %zu, tree node 256",
	              sizeof(struct pm_vmspace), sizeof(struct pm_vma));
	pm_host_as_destroy(as);
	return 0;
}
