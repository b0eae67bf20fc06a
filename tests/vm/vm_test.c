/* SPDX-License-Identifier: MIT */
#include "vm_test.h"

#include <string.h>

#include "procmgr/hal.h"
#include "procmgr/host.h"

struct pm_hal_as *vm_as;
struct pm_vmspace vm_vs;

/* ---- HAL fault injection (linked with --wrap=pm_hal_as_*) ---- */

static unsigned int calls[VM_HAL_N], fail_nth[VM_HAL_N];
static bool fail_sticky[VM_HAL_N];
static int fail_err[VM_HAL_N];
static bool fake;
static bool vs_live;

void vm_hal_fake(bool on)
{
	fake = on;
}

void vm_hal_fail(enum vm_hal_call call, unsigned int nth, int err)
{
	calls[call] = 0;
	fail_nth[call] = nth;
	fail_err[call] = err;
	fail_sticky[call] = false;
}

void vm_hal_fail_from(enum vm_hal_call call, unsigned int nth, int err)
{
	vm_hal_fail(call, nth, err);
	fail_sticky[call] = true;
}

void vm_hal_reset(void)
{
	memset(calls, 0, sizeof(calls));
	memset(fail_nth, 0, sizeof(fail_nth));
	memset(fail_sticky, 0, sizeof(fail_sticky));
	fake = false;
}

unsigned int vm_hal_calls(enum vm_hal_call call)
{
	return calls[call];
}

static bool should_fail(enum vm_hal_call call, int *err)
{
	calls[call]++;
	if (fail_nth[call] && (calls[call] == fail_nth[call] ||
	                       (fail_sticky[call] && calls[call] > fail_nth[call]))) {
		*err = fail_err[call];
		return true;
	}
	return false;
}

int __real_pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                         unsigned int flags, struct pm_hal_file *file, uint64_t offset);
int __wrap_pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                         unsigned int flags, struct pm_hal_file *file, uint64_t offset);
int __real_pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len);
int __wrap_pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len);
int __real_pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len,
                             unsigned int prot);
int __wrap_pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len,
                             unsigned int prot);
int __real_pm_hal_as_fork_range(struct pm_hal_as *dst, struct pm_hal_as *src, pm_uaddr_t start,
                                uint64_t len, unsigned int flags);
int __wrap_pm_hal_as_fork_range(struct pm_hal_as *dst, struct pm_hal_as *src, pm_uaddr_t start,
                                uint64_t len, unsigned int flags);
int __real_pm_hal_as_write(struct pm_hal_as *as, pm_uaddr_t uaddr, const void *src, size_t n);
int __wrap_pm_hal_as_write(struct pm_hal_as *as, pm_uaddr_t uaddr, const void *src, size_t n);

int __wrap_pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                         unsigned int flags, struct pm_hal_file *file, uint64_t offset)
{
	int err;

	if (should_fail(VM_HAL_MAP, &err))
		return err;
	if (fake)
		return 0;
	return __real_pm_hal_as_map(as, start, len, prot, flags, file, offset);
}

int __wrap_pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len)
{
	int err;

	if (should_fail(VM_HAL_UNMAP, &err))
		return err;
	if (fake)
		return 0;
	return __real_pm_hal_as_unmap(as, start, len);
}

int __wrap_pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len,
                             unsigned int prot)
{
	int err;

	if (should_fail(VM_HAL_PROTECT, &err))
		return err;
	if (fake)
		return 0;
	return __real_pm_hal_as_protect(as, start, len, prot);
}

int __wrap_pm_hal_as_fork_range(struct pm_hal_as *dst, struct pm_hal_as *src, pm_uaddr_t start,
                                uint64_t len, unsigned int flags)
{
	int err;

	if (should_fail(VM_HAL_FORK, &err))
		return err;
	if (fake)
		return 0;
	return __real_pm_hal_as_fork_range(dst, src, start, len, flags);
}

int __wrap_pm_hal_as_write(struct pm_hal_as *as, pm_uaddr_t uaddr, const void *src, size_t n)
{
	int err;

	if (should_fail(VM_HAL_WRITE, &err))
		return err;
	if (fake)
		return 0;
	return __real_pm_hal_as_write(as, uaddr, src, n);
}

/* ---- fixture ---- */

void vm_setup_with(const struct pm_arch_desc *arch, unsigned int flags)
{
	struct pm_vm_config cfg = {.arch = arch, .flags = flags};

	pm_test_setup();
	vm_hal_reset();
	vm_as = pm_host_as_create(false);
	cr_assert_not_null(vm_as);
	cr_assert_eq(pm_vmspace_init(&vm_vs, vm_as, &cfg), 0);
	vs_live = true;
}

void vm_destroy_vs(void)
{
	if (vs_live)
		pm_vmspace_destroy(&vm_vs);
	vs_live = false;
}

void vm_setup(void)
{
	vm_setup_with(&pm_arch_x86_64, PM_VM_NO_RANDOMIZE);
}

void vm_teardown(void)
{
	vm_destroy_vs();
	pm_host_as_destroy(vm_as);
	vm_as = NULL;
	vm_hal_reset();
}

int64_t vm_map(pm_uaddr_t addr, uint64_t len, unsigned int prot, unsigned int flags)
{
	struct pm_vm_map_req req = {.addr = addr, .len = len, .prot = prot, .flags = flags};
	pm_uaddr_t out = 0;
	int err = pm_vm_mmap(&vm_vs, &req, &out);

	return err ? err : (int64_t)out;
}

/* ---- snapshots ---- */

void vm_snap_take(const struct pm_vmspace *vs, struct vm_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (const struct pm_vma *v = pm_vm_find_next(vs, 0); v; v = pm_vm_find_next(vs, v->end)) {
		cr_assert_lt(s->n, sizeof(s->areas) / sizeof(s->areas[0]));
		s->areas[s->n++] = *v;
	}
	s->acct = *pm_vm_counters(vs);
	s->image = *pm_vm_image(vs);
	s->hal_regions = pm_host_as_count(vs->as);
}

void vm_snap_same(const struct pm_vmspace *vs, const struct vm_snap *s)
{
	struct vm_snap now;

	vm_snap_take(vs, &now);
	cr_assert_eq(now.n, s->n, "area count %zu, was %zu", now.n, s->n);
	for (size_t i = 0; i < s->n; i++)
		cr_assert_eq(memcmp(&now.areas[i], &s->areas[i], sizeof(s->areas[i])), 0,
		             "area %zu changed: [%#llx, %#llx) prot %u", i,
		             (unsigned long long)now.areas[i].start,
		             (unsigned long long)now.areas[i].end, now.areas[i].prot);
	cr_assert_eq(memcmp(&now.acct, &s->acct, sizeof(s->acct)), 0, "counters changed");
	cr_assert_eq(memcmp(&now.image, &s->image, sizeof(s->image)), 0, "image changed");
	vm_consistent(vs);
}

void vm_consistent(const struct pm_vmspace *vs)
{
	struct pm_host_mapping m;
	pm_uaddr_t prev_end = 0;

	cr_assert_eq(pm_vm_check(vs), 0, "vmspace invariants broken");
	for (const struct pm_vma *v = pm_vm_find_next(vs, 0); v; v = pm_vm_find_next(vs, v->end)) {
		for (pm_uaddr_t at = v->start; at < v->end; at = m.end) {
			cr_assert(pm_host_as_query(vs->as, at, &m),
			          "area page %#llx not mapped in the HAL", (unsigned long long)at);
			cr_assert_eq(m.prot, v->prot, "HAL prot %u at %#llx, area says %u", m.prot,
			             (unsigned long long)at, v->prot);
		}
		if (v->start > prev_end && v->start >= PG)
			cr_assert(!pm_host_as_query(vs->as, v->start - PG, &m),
			          "page below area %#llx is mapped in the HAL only",
			          (unsigned long long)v->start);
		if (v->start > prev_end && prev_end)
			cr_assert(!pm_host_as_query(vs->as, prev_end, &m),
			          "page above area end %#llx is mapped in the HAL only",
			          (unsigned long long)prev_end);
		prev_end = v->end;
	}
}
