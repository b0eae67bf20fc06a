/* The architecture descriptors (ports/x86_64/desc.c, ports/riscv64/desc.c). */
#include <string.h>
#include <sys/auxv.h>
#include <valgrind/valgrind.h>

#include "pm_test.h"
#include "procmgr/arch.h"
#include "procmgr/auxv.h"
#include "procmgr/elf.h"
#include "procmgr/errno.h"

TestSuite(arch_desc, .init = pm_test_setup);

static void ehdr(uint8_t *h, uint16_t machine, uint8_t cls)
{
	memset(h, 0, 64);
	memcpy(h, "\177ELF", 4);
	h[PM_EI_CLASS] = cls;
	h[PM_EI_DATA] = PM_ELFDATA2LSB;
	h[18] = (uint8_t)machine;
	h[19] = (uint8_t)(machine >> 8);
}

PM_TEST(arch_desc, elf_check_x86_64_checks_machine_only)
{
	uint8_t h[64];

	ehdr(h, PM_EM_X86_64, PM_ELFCLASS64);
	cr_assert_eq(pm_arch_x86_64.elf_check(h), 0);
	ehdr(h, PM_EM_X86_64, PM_ELFCLASS32);
	cr_assert_eq(pm_arch_x86_64.elf_check(h), 0, "x86_64's elf_check_arch ignores the class");
	ehdr(h, PM_EM_RISCV, PM_ELFCLASS64);
	cr_assert_eq(pm_arch_x86_64.elf_check(h), -PM_ENOEXEC);
	ehdr(h, 3 /* EM_386 */, PM_ELFCLASS32);
	cr_assert_eq(pm_arch_x86_64.elf_check(h), -PM_ENOEXEC);
}

PM_TEST(arch_desc, elf_check_riscv64_needs_class64)
{
	uint8_t h[64];

	ehdr(h, PM_EM_RISCV, PM_ELFCLASS64);
	h[48] = 0x5; /* e_flags: RVC | double-float ABI; not checked */
	cr_assert_eq(pm_arch_riscv64.elf_check(h), 0);
	ehdr(h, PM_EM_RISCV, PM_ELFCLASS32);
	cr_assert_eq(pm_arch_riscv64.elf_check(h), -PM_ENOEXEC);
	ehdr(h, PM_EM_X86_64, PM_ELFCLASS64);
	cr_assert_eq(pm_arch_riscv64.elf_check(h), -PM_ENOEXEC);
}

/* The layout constants follow from Linux's formulas; recompute them. */
static void check_layout(const struct pm_arch_layout *l, uint64_t min_va_for_unmapped)
{
	uint64_t w = l->default_map_window;
	uint64_t unmapped = ((min_va_for_unmapped / 3) + 4095) & ~4095ull;

	cr_assert_eq(l->et_dyn_base, w / 3 * 2, "%s: ELF_ET_DYN_BASE = window / 3 * 2", l->name);
	cr_assert_eq(l->unmapped_base, unmapped, "%s: TASK_UNMAPPED_BASE", l->name);
	cr_assert_leq(l->stack_top, l->task_size, "%s", l->name);
	cr_assert_leq(l->default_map_window, l->task_size, "%s", l->name);
	cr_assert_leq(l->stack_top_max, l->task_size, "%s", l->name);
	cr_assert_eq(l->stack_top & 4095, 0, "%s", l->name);
	cr_assert_leq(l->mmap_rnd_bits, l->mmap_rnd_bits_max, "%s", l->name);
}

PM_TEST(arch_desc, x86_64_layouts)
{
	const struct pm_arch_desc *d = &pm_arch_x86_64;

	cr_assert_eq(d->n_layouts, 2);
	cr_assert_str_eq(d->layouts[0].name, "4-level");
	cr_assert_eq(d->layouts[0].task_size, (1ull << 47) - 4096);
	cr_assert_eq(d->layouts[1].task_size, (1ull << 56) - 4096);
	for (size_t i = 0; i < d->n_layouts; i++) {
		check_layout(&d->layouts[i], d->layouts[i].default_map_window);
		cr_assert_eq(d->layouts[i].stack_rnd_mask, 0x3fffff);
		cr_assert_eq(d->layouts[i].mmap_rnd_bits, 28);
	}
	/* ELF_ET_DYN_BASE masked to a page gives the famous no-ASLR PIE base. */
	cr_assert_eq(d->layouts[0].et_dyn_base & ~4095ull, 0x555555554000ull);
}

PM_TEST(arch_desc, riscv64_layouts)
{
	const struct pm_arch_desc *d = &pm_arch_riscv64;

	cr_assert_eq(d->n_layouts, 3);
	cr_assert_str_eq(d->layouts[0].name, "sv39");
	cr_assert_eq(d->layouts[0].task_size, 1ull << 38);
	cr_assert_eq(d->layouts[1].task_size, 1ull << 47);
	cr_assert_eq(d->layouts[2].task_size, 1ull << 56);
	cr_assert_eq(d->layouts[2].default_map_window, 1ull << 47, "MMAP_VA_BITS caps at 48");
	for (size_t i = 0; i < d->n_layouts; i++) {
		check_layout(&d->layouts[i], 1ull << 39); /* MMAP_MIN_VA_BITS = 39 */
		cr_assert_eq(d->layouts[i].stack_rnd_mask, 0x3ffff);
		cr_assert_eq(d->layouts[i].mmap_rnd_bits, 18);
	}
	cr_assert_eq(d->layouts[0].et_dyn_base & ~4095ull, 0x2aaaaaa000ull);
	cr_assert_eq(d->layouts[1].et_dyn_base & ~4095ull, 0x555555555000ull);
}

PM_TEST(arch_desc, abi_facts)
{
	cr_assert_str_eq(pm_arch_x86_64.elf_platform, "x86_64");
	cr_assert_null(pm_arch_riscv64.elf_platform);
	cr_assert(pm_arch_x86_64.has_hwcap2 && !pm_arch_riscv64.has_hwcap2);
	cr_assert(pm_arch_x86_64.has_sa_restorer && !pm_arch_riscv64.has_sa_restorer);
	cr_assert_eq(pm_arch_x86_64.nr_rt_sigreturn, 15);
	cr_assert_eq(pm_arch_x86_64.nr_restart_syscall, 219);
	cr_assert_eq(pm_arch_riscv64.nr_rt_sigreturn, 139);
	cr_assert_eq(pm_arch_riscv64.nr_restart_syscall, 128);
	cr_assert_eq(pm_arch_x86_64.sigaction_size, 32);
	cr_assert_eq(pm_arch_riscv64.sigaction_size, 24);
	cr_assert_eq(pm_arch_x86_64.rt_sigframe_size, 440);
	cr_assert_eq(pm_arch_riscv64.rt_sigframe_size, 1088);
	cr_assert(!pm_arch_x86_64.legacy_layout_if_unlimited_stack);
	cr_assert(pm_arch_riscv64.legacy_layout_if_unlimited_stack);
}

PM_TEST(arch_desc, x86_64_dlinfo)
{
	struct pm_arch_hwinfo hw = {.minsigstksz = 3632};
	struct pm_auxv_entry e[PM_ARCH_DLINFO_MAX];
	size_t n = pm_arch_x86_64.auxv_dlinfo(&hw, e, PM_ARCH_DLINFO_MAX);

	cr_assert_eq(n, 1, "no vDSO: only AT_MINSIGSTKSZ");
	cr_assert_eq(e[0].type, PM_AT_MINSIGSTKSZ);
	cr_assert_eq(e[0].value, 3632);
	hw.vdso_base = 0x7ffff7fc1000;
	n = pm_arch_x86_64.auxv_dlinfo(&hw, e, PM_ARCH_DLINFO_MAX);
	cr_assert_eq(n, 2);
	cr_assert_eq(e[0].type, PM_AT_SYSINFO_EHDR);
	cr_assert_eq(e[0].value, 0x7ffff7fc1000);
	cr_assert_eq(e[1].type, PM_AT_MINSIGSTKSZ);
	cr_assert_eq(pm_arch_x86_64.auxv_dlinfo(&hw, e, 1), 1, "never writes past max");
}

PM_TEST(arch_desc, riscv64_dlinfo_order)
{
	struct pm_arch_hwinfo hw = {.vdso_base = 0x3ff7ffe000, .cache = {1, 2, 3, 4, 5, 6, 7, 8}};
	struct pm_auxv_entry e[PM_ARCH_DLINFO_MAX];
	size_t n = pm_arch_riscv64.auxv_dlinfo(&hw, e, PM_ARCH_DLINFO_MAX);

	cr_assert_eq(n, 10);
	cr_assert_eq(e[0].type, PM_AT_SYSINFO_EHDR);
	for (int i = 0; i < 8; i++) {
		cr_assert_eq(e[1 + i].type, (uint64_t)(PM_AT_L1I_CACHESIZE + i));
		cr_assert_eq(e[1 + i].value, (uint64_t)(i + 1));
	}
	cr_assert_eq(e[9].type, PM_AT_MINSIGSTKSZ);
	cr_assert_eq(e[9].value, 1088, "the frame without vector state");
}

/* This host is x86_64 Linux: its real auxv agrees with the descriptor. */
PM_TEST(arch_desc, matches_this_x86_64_host)
{
	cr_assert_eq(getauxval(AT_PAGESZ), pm_arch_x86_64.page_size);
	cr_assert_str_eq((const char *)getauxval(AT_PLATFORM), pm_arch_x86_64.elf_platform);
	/* Valgrind builds its own client stack without AT_MINSIGSTKSZ. */
	if (!RUNNING_ON_VALGRIND)
		cr_assert_gt(getauxval(AT_MINSIGSTKSZ), 0,
		             "Linux always sends AT_MINSIGSTKSZ on x86_64");
}
