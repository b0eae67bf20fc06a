/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 descriptor: constant facts of the x86_64 Linux user ABI.
 * Sources: arch/x86/include/asm/elf.h (elf_check_arch, ELF_ET_DYN_BASE,
 * __STACK_RND_MASK, ARCH_DLINFO, ELF_PLATFORM), page_64_types.h and
 * page_64.h (TASK_SIZE, DEFAULT_MAP_WINDOW, STACK_TOP), processor.h
 * (__TASK_UNMAPPED_BASE), arch/x86/Kconfig (ARCH_MMAP_RND_BITS_MIN/MAX),
 * arch/x86/kernel/process.c (arch_align_stack, arch_randomize_brk),
 * arch/x86/entry/syscalls/syscall_64.tbl.
 */
#include "procmgr/arch.h"
#include "procmgr/auxv.h"
#include "procmgr/elf.h"
#include "procmgr/errno.h"

#define X86_WINDOW 0x7ffffffff000ull /* (1 << 47) - 4096 */

static const struct pm_arch_layout x86_64_layouts[] = {
    {
        .name = "4-level",
        .va_bits = 48,
        .task_size = X86_WINDOW,
        .default_map_window = X86_WINDOW,
        .stack_top = X86_WINDOW,
        .stack_top_max = X86_WINDOW,
        .unmapped_base = 0x2aaaaaaab000ull, /* PAGE_ALIGN(window / 3) */
        .et_dyn_base = 0x555555554aaaull,   /* window / 3 * 2 */
        .stack_rnd_mask = 0x3fffff,
        .mmap_rnd_bits = 28,
        .mmap_rnd_bits_max = 32,
    },
    {
        /* LA57: the mmap window and the stack stay below 47 bits unless
		 * a hint asks for more (mmap_address_hint_valid). */
        .name = "5-level",
        .va_bits = 57,
        .task_size = 0x00fffffffffff000ull, /* (1 << 56) - 4096 */
        .default_map_window = X86_WINDOW,
        .stack_top = X86_WINDOW,
        .stack_top_max = 0x00fffffffffff000ull,
        .unmapped_base = 0x2aaaaaaab000ull,
        .et_dyn_base = 0x555555554aaaull,
        .stack_rnd_mask = 0x3fffff,
        .mmap_rnd_bits = 28,
        .mmap_rnd_bits_max = 32,
    },
};

/* elf_check_arch: e_machine only; the class is not checked on x86_64. */
static int x86_64_elf_check(const uint8_t *ehdr)
{
	uint16_t machine = (uint16_t)(ehdr[18] | (ehdr[19] << 8));

	return machine == PM_EM_X86_64 ? 0 : -PM_ENOEXEC;
}

/* ARCH_DLINFO: AT_SYSINFO_EHDR only when a vDSO is mapped, then
 * AT_MINSIGSTKSZ (get_sigframe_size(), which the kernel knows from its FPU;
 * without one we give the uapi MINSIGSTKSZ). */
static size_t x86_64_auxv_dlinfo(const struct pm_arch_hwinfo *hw, struct pm_auxv_entry *out,
                                 size_t max)
{
	size_t n = 0;

	if (hw->vdso_base && n < max)
		out[n++] = (struct pm_auxv_entry){PM_AT_SYSINFO_EHDR, hw->vdso_base};
	if (n < max)
		out[n++] = (struct pm_auxv_entry){PM_AT_MINSIGSTKSZ,
		                                  hw->minsigstksz ? hw->minsigstksz : 2048};
	return n;
}

const struct pm_arch_desc pm_arch_x86_64 = {
    .id = PM_ARCH_X86_64,
    .name = "x86_64",
    .elf_machine = PM_EM_X86_64,
    .page_size = 4096,
    .elf_platform = "x86_64",
    .has_hwcap2 = true,
    .has_sa_restorer = true,
    .legacy_layout_if_unlimited_stack = false,
    .align_stack_rnd = 8192,
    .brk_rnd_range = 1ull << 30,
    .nr_rt_sigreturn = 15,
    .nr_restart_syscall = 219,
    .sigaction_size = 32,
    .rt_sigframe_size = 440,
    .n_layouts = sizeof(x86_64_layouts) / sizeof(x86_64_layouts[0]),
    .layouts = x86_64_layouts,
    .mmap_rules = PM_ARCH_MMAP_X86,
    .elf_check = x86_64_elf_check,
    .auxv_dlinfo = x86_64_auxv_dlinfo,
};
