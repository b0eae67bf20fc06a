/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 descriptor: constant facts of the riscv64 Linux user ABI.
 * Sources: arch/riscv/include/asm/elf.h (elf_check_arch with ELFCLASS64,
 * ELF_ET_DYN_BASE, STACK_RND_MASK, ARCH_DLINFO, no ELF_PLATFORM),
 * pgtable.h and processor.h (TASK_SIZE_64, MMAP_VA_BITS,
 * DEFAULT_MAP_WINDOW, STACK_TOP, TASK_UNMAPPED_BASE with
 * MMAP_MIN_VA_BITS = 39), arch/riscv/Kconfig (ARCH_MMAP_RND_BITS_MIN/MAX),
 * arch/riscv/kernel/process.c (arch_align_stack), signal.c
 * (sizeof(struct rt_sigframe) = 1088, signal_minsigstksz), and
 * include/uapi/asm-generic/unistd.h (rt_sigreturn 139, restart_syscall 128).
 */
#include "procmgr/arch.h"
#include "procmgr/auxv.h"
#include "procmgr/elf.h"
#include "procmgr/errno.h"

#define RV_UNMAPPED_BASE 0x2aaaaab000ull /* PAGE_ALIGN((1 << 39) / 3) */

static const struct pm_arch_layout riscv64_layouts[] = {
    {
        .name = "sv39",
        .va_bits = 39,
        .task_size = 1ull << 38,
        .default_map_window = 1ull << 38,
        .stack_top = 1ull << 38,
        .stack_top_max = 1ull << 38,
        .unmapped_base = RV_UNMAPPED_BASE,
        .et_dyn_base = 0x2aaaaaaaaaull, /* (window / 3) * 2 */
        .stack_rnd_mask = 0x3ffff,
        .mmap_rnd_bits = 18,
        .mmap_rnd_bits_max = 24,
    },
    {
        .name = "sv48",
        .va_bits = 48,
        .task_size = 1ull << 47,
        .default_map_window = 1ull << 47,
        .stack_top = 1ull << 47,
        .stack_top_max = 1ull << 47,
        .unmapped_base = RV_UNMAPPED_BASE,
        .et_dyn_base = 0x555555555554ull,
        .stack_rnd_mask = 0x3ffff,
        .mmap_rnd_bits = 18,
        .mmap_rnd_bits_max = 24,
    },
    {
        /* MMAP_VA_BITS = min(VA_BITS, 48): default placement and the
		 * stack stay below 47 bits. */
        .name = "sv57",
        .va_bits = 57,
        .task_size = 1ull << 56,
        .default_map_window = 1ull << 47,
        .stack_top = 1ull << 47,
        .stack_top_max = 1ull << 56,
        .unmapped_base = RV_UNMAPPED_BASE,
        .et_dyn_base = 0x555555555554ull,
        .stack_rnd_mask = 0x3ffff,
        .mmap_rnd_bits = 18,
        .mmap_rnd_bits_max = 24,
    },
};

/* elf_check_arch: EM_RISCV and ELFCLASS64; e_flags (float ABI, RVC) are
 * not checked. */
static int riscv64_elf_check(const uint8_t *ehdr)
{
	uint16_t machine = (uint16_t)(ehdr[18] | (ehdr[19] << 8));

	return machine == PM_EM_RISCV && ehdr[PM_EI_CLASS] == PM_ELFCLASS64 ? 0 : -PM_ENOEXEC;
}

/* ARCH_DLINFO: AT_SYSINFO_EHDR always, the eight cache entries, then
 * AT_MINSIGSTKSZ (signal_minsigstksz: the rt_sigframe without vector state
 * unless the kernel says otherwise). */
static size_t riscv64_auxv_dlinfo(const struct pm_arch_hwinfo *hw, struct pm_auxv_entry *out,
                                  size_t max)
{
	size_t n = 0;

	if (n < max)
		out[n++] = (struct pm_auxv_entry){PM_AT_SYSINFO_EHDR, hw->vdso_base};
	for (unsigned int i = 0; i < 8 && n < max; i++)
		out[n++] = (struct pm_auxv_entry){PM_AT_L1I_CACHESIZE + i, hw->cache[i]};
	if (n < max)
		out[n++] = (struct pm_auxv_entry){PM_AT_MINSIGSTKSZ,
		                                  hw->minsigstksz ? hw->minsigstksz : 1088};
	return n;
}

const struct pm_arch_desc pm_arch_riscv64 = {
    .id = PM_ARCH_RISCV64,
    .name = "riscv64",
    .elf_machine = PM_EM_RISCV,
    .page_size = 4096,
    .elf_platform = NULL,
    .has_hwcap2 = false,
    .has_sa_restorer = false,
    .legacy_layout_if_unlimited_stack = true,
    .align_stack_rnd = 4096,
    .brk_rnd_range = 1ull << 30,
    .nr_rt_sigreturn = 139,
    .nr_restart_syscall = 128,
    .sigaction_size = 24,
    .rt_sigframe_size = 1088,
    .n_layouts = sizeof(riscv64_layouts) / sizeof(riscv64_layouts[0]),
    .layouts = riscv64_layouts,
    .mmap_rules = PM_ARCH_MMAP_GENERIC,
    .elf_check = riscv64_elf_check,
    .auxv_dlinfo = riscv64_auxv_dlinfo,
};
