/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the VM suites: a simulated address space with a
 * vmspace over it, HAL fault injection for the address-space calls (the
 * suite links with -Wl,--wrap=pm_hal_as_*), snapshots to prove that a
 * failed call changed nothing, and a check that the page tables agree with
 * the areas.
 */
#ifndef PM_TEST_VM_H
#define PM_TEST_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm_test.h"
#include "procmgr/errno.h"
#include "procmgr/vm.h"
#include "procmgr/vm_stack.h"

#define PG   PM_PAGE_SIZE
#define RW   (PM_PROT_READ | PM_PROT_WRITE)
#define RO   PM_PROT_READ
#define RX   (PM_PROT_READ | PM_PROT_EXEC)
#define ANON (PM_MAP_PRIVATE | PM_MAP_ANONYMOUS)

/* x86_64 4-level, no randomisation: the 8 MiB stack limit plus the 1 MiB
 * guard gap is below the 128 MiB minimum, so mmap_base = TASK_SIZE - 128 MiB
 * (where ld.so lands under `setarch -R`). */
#define X86_TOP     0x7ffffffff000ull
#define X86_BASE_NR (X86_TOP - (128ull << 20))

/* HAL address-space calls that fault injection can fail. */
enum vm_hal_call { VM_HAL_MAP, VM_HAL_UNMAP, VM_HAL_PROTECT, VM_HAL_FORK, VM_HAL_WRITE, VM_HAL_N };

/* Make the nth call (1 = next) of `call` fail with `err`; 0 disarms. */
void vm_hal_fail(enum vm_hal_call call, unsigned int nth, int err);
/* Make every call of `call` from the nth on fail with `err`. */
void vm_hal_fail_from(enum vm_hal_call call, unsigned int nth, int err);
/* Disarm every HAL fault and zero the counters. */
void vm_hal_reset(void);
/* Calls of `call` since the last reset. */
unsigned int vm_hal_calls(enum vm_hal_call call);
/* true: the address-space calls succeed without touching the host HAL
 * (placement tests over huge ranges the host could not back). */
void vm_hal_fake(bool on);

/* The fixture's address space and vmspace. */
extern struct pm_hal_as *vm_as;
extern struct pm_vmspace vm_vs;

/* Fresh simulated space; a vmspace over it with `arch`, `flags`. */
void vm_setup_with(const struct pm_arch_desc *arch, unsigned int flags);
void vm_setup(void);    /* x86_64, PM_VM_NO_RANDOMIZE */
void vm_teardown(void); /* .fini: destroys the address space */
void vm_destroy_vs(void);

/* A test over the fixture: the vmspace is destroyed before PM_TEST's leak
 * check. */
#define VM_TEST(suite, name, ...)                   \
	static void vm_body_##suite##_##name(void); \
	PM_TEST(suite, name, ##__VA_ARGS__)         \
	{                                           \
		vm_body_##suite##_##name();         \
		vm_destroy_vs();                    \
	}                                           \
	static void vm_body_##suite##_##name(void)

/* Anonymous private mapping helper; returns the address or a negative errno. */
int64_t vm_map(pm_uaddr_t addr, uint64_t len, unsigned int prot, unsigned int flags);

/* Everything observable about a vmspace. */
struct vm_snap {
	size_t n;
	struct pm_vma areas[64];
	struct pm_vm_counters acct;
	struct pm_vm_image image;
	size_t hal_regions;
};
void vm_snap_take(const struct pm_vmspace *vs, struct vm_snap *s);
/* Assert that vs is exactly as in s (areas, counters, image, page tables). */
void vm_snap_same(const struct pm_vmspace *vs, const struct vm_snap *s);
/* Assert that the invariants hold and every area is mapped in the HAL with
 * its protection, and that the pages around each gap are not. */
void vm_consistent(const struct pm_vmspace *vs);

#endif /* PM_TEST_VM_H */
