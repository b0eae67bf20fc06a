/* SPDX-License-Identifier: MIT */
/**
 * @file arch.h
 * @brief The contract an architecture port implements.
 *
 * A port (ports/x86_64, ports/riscv64) provides two things:
 *
 *  1. **A descriptor** (struct pm_arch_desc): constant data and pure
 *     functions about the architecture's user ABI: ELF machine check, page
 *     size, address-space layout constants for each paging mode, auxv
 *     platform entries, signal numbers of the syscalls procmgr cares about.
 *     Modules take a descriptor as a parameter, so the hosted build can plan
 *     programs of either architecture (`pmexec --dry-run` on a riscv64 ELF
 *     on an x86_64 host). Ports export theirs as a const object
 *     (pm_arch_x86_64, pm_arch_riscv64).
 *
 *  2. **Native functions** (`pm_arch_*` below), for the one architecture a
 *     kernel runs on: user register access, building and restoring Linux's
 *     rt_sigframe, syscall restart and the first entry to user mode. They
 *     work on `struct pm_user_regs`, which the port defines completely in
 *     its own header (ports/ARCH/include/procmgr/arch_regs.h) so the kernel
 *     can embed it in its trap frame.
 *
 * Every item says whether it is required; a port must provide all required
 * functions (the link fails otherwise). The reference values are Linux's
 * (fact sheet: ../shared/reference/linux-exec-abi.md, sections 1, 5, 6, 7).
 *
 * @ingroup pm_arch
 */
#ifndef PROCMGR_ARCH_H
#define PROCMGR_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_arch Architecture ports: what a port implements
 * @brief Descriptor data and native functions of one architecture.
 * @{
 */

/** ELF e_machine values of the reference ports (include/uapi/linux/elf-em.h). */
#define PM_EM_X86_64 62
/** ELF e_machine of RISC-V. */
#define PM_EM_RISCV  243

/** Architecture identifiers. */
enum pm_arch_id {
	PM_ARCH_X86_64 = 1,  /**< x86_64 (AMD64) */
	PM_ARCH_RISCV64 = 2, /**< riscv64 (RV64GC, LP64D) */
};

/**
 * User address-space layout of one paging mode (x86_64 4-level or 5-level,
 * riscv64 Sv39, Sv48 or Sv57). All values in bytes, before randomisation.
 */
struct pm_arch_layout {
	const char *name;               /**< "4-level", "sv39", ... */
	unsigned int va_bits;           /**< virtual address bits of the mode */
	pm_uaddr_t task_size;           /**< TASK_SIZE: first address user space cannot use */
	pm_uaddr_t default_map_window;  /**< DEFAULT_MAP_WINDOW: top of default mmap placement */
	pm_uaddr_t stack_top;           /**< STACK_TOP before randomisation */
	pm_uaddr_t stack_top_max;       /**< STACK_TOP_MAX (temporary exec stack) */
	pm_uaddr_t unmapped_base;       /**< TASK_UNMAPPED_BASE: legacy bottom-up mmap base */
	pm_uaddr_t et_dyn_base;         /**< ELF_ET_DYN_BASE, unaligned as Linux computes it */
	uint64_t stack_rnd_mask;        /**< STACK_RND_MASK, in pages */
	unsigned int mmap_rnd_bits;     /**< default mmap_rnd_bits (Kconfig minimum) */
	unsigned int mmap_rnd_bits_max; /**< largest mmap_rnd_bits the sysctl accepts */
};

/** Machine facts the kernel knows at boot and passes to exec (auxv). */
struct pm_arch_hwinfo {
	uint64_t hwcap;       /**< AT_HWCAP value */
	uint64_t hwcap2;      /**< AT_HWCAP2 value (used only if the arch has it) */
	pm_uaddr_t vdso_base; /**< AT_SYSINFO_EHDR, or 0 when no vDSO is mapped */
	uint64_t minsigstksz; /**< AT_MINSIGSTKSZ; 0 = use the descriptor's frame size */
	/** riscv64 AT_L1I..AT_L3 cache size and geometry pairs (0 = unknown). */
	uint64_t cache[8];
};

/** One auxiliary-vector entry: {a_type, a_val}. */
struct pm_auxv_entry {
	uint64_t type;  /**< AT_* */
	uint64_t value; /**< its value */
};

/** Which get_unmapped_area() rules an architecture follows. */
enum pm_arch_mmap_rules {
	/** mm/mmap.c generic_get_unmapped_area[_topdown]() (riscv64): a hint is
	 *  rounded up and must clear both neighbours and mmap_min_addr; the
	 *  search ends at STACK_TOP_MAX; a failed top-down search retries
	 *  bottom-up from TASK_UNMAPPED_BASE. */
	PM_ARCH_MMAP_GENERIC = 0,
	/** arch/x86/kernel/sys_x86_64.c: a top-down hint is rounded down and
	 *  must stay on one side of DEFAULT_MAP_WINDOW (a hint above it opens
	 *  the 5-level range); the bottom-up fallback starts at the randomised
	 *  legacy base. */
	PM_ARCH_MMAP_X86 = 1,
};

/** Constant description of one architecture's user ABI. */
struct pm_arch_desc {
	enum pm_arch_id id;   /**< which architecture */
	const char *name;     /**< "x86_64" or "riscv64" (uname -m) */
	uint16_t elf_machine; /**< ELF e_machine accepted */
	uint64_t page_size;   /**< ELF_EXEC_PAGESIZE in bytes */
	/** AT_PLATFORM string (x86_64: "x86_64"), or NULL when the arch has none. */
	const char *elf_platform;
	bool has_hwcap2;      /**< AT_HWCAP2 is emitted */
	bool has_sa_restorer; /**< SA_RESTORER exists and is required */
	/** An unlimited RLIMIT_STACK forces the legacy mmap layout (generic
	 *  mm/util.c rule: riscv64 yes, x86_64 no). */
	bool legacy_layout_if_unlimited_stack;
	/** arch_align_stack() subtracts a random value below this many bytes
	 *  (x86_64 8192, riscv64 4096). */
	uint32_t align_stack_rnd;
	uint64_t brk_rnd_range;  /**< arch_randomize_brk() range in bytes (1 GiB) */
	int nr_rt_sigreturn;     /**< __NR_rt_sigreturn */
	int nr_restart_syscall;  /**< __NR_restart_syscall */
	size_t sigaction_size;   /**< sizeof the kernel struct sigaction */
	size_t rt_sigframe_size; /**< sizeof struct rt_sigframe without FP/vector state */
	size_t n_layouts;        /**< number of entries of @c layouts */
	const struct pm_arch_layout *layouts; /**< paging modes; [0] is the default */
	enum pm_arch_mmap_rules mmap_rules;   /**< get_unmapped_area() variant */

	/**
	 * Required. Linux's elf_check_arch() on the 64-byte ELF header @p ehdr
	 * (e_ident, e_machine, e_flags are read from it).
	 * @return 0 if this arch runs it, else -PM_ENOEXEC.
	 */
	int (*elf_check)(const uint8_t *ehdr);

	/**
	 * Required. ARCH_DLINFO: the arch-specific auxv entries that open the
	 * vector, in Linux's order (x86_64: AT_SYSINFO_EHDR if a vDSO,
	 * AT_MINSIGSTKSZ; riscv64: AT_SYSINFO_EHDR, the eight cache entries,
	 * AT_MINSIGSTKSZ or AT_IGNORE).
	 * @param hw   machine facts from the kernel.
	 * @param out  receives at most @p max entries.
	 * @param max  capacity of @p out; at least PM_ARCH_DLINFO_MAX.
	 * @return the number of entries written.
	 */
	size_t (*auxv_dlinfo)(const struct pm_arch_hwinfo *hw, struct pm_auxv_entry *out,
	                      size_t max);
};

/** Most ARCH_DLINFO entries any port emits. */
#define PM_ARCH_DLINFO_MAX 12

/** The x86_64 descriptor (ports/x86_64). */
extern const struct pm_arch_desc pm_arch_x86_64;
/** The riscv64 descriptor (ports/riscv64). */
extern const struct pm_arch_desc pm_arch_riscv64;

/* ======================================================================== */
/** @name Native functions: user registers
 * All required. @p regs is the kernel's saved user context of a thread,
 * laid out as the port's struct pm_user_regs.
 * @{
 */

/**
 * @brief The descriptor of the architecture this kernel runs on.
 * @return &pm_arch_x86_64 or &pm_arch_riscv64 (or a new port's).
 */
const struct pm_arch_desc *pm_arch_native(void);

/** @brief User program counter. @param regs the context. @return the pc. */
pm_uaddr_t pm_arch_regs_pc(const struct pm_user_regs *regs);
/** @brief Set the user program counter. @param regs the context. @param pc new pc. */
void pm_arch_regs_set_pc(struct pm_user_regs *regs, pm_uaddr_t pc);
/** @brief User stack pointer. @param regs the context. @return the sp. */
pm_uaddr_t pm_arch_regs_sp(const struct pm_user_regs *regs);
/** @brief Set the user stack pointer. @param regs the context. @param sp new sp. */
void pm_arch_regs_set_sp(struct pm_user_regs *regs, pm_uaddr_t sp);
/** @brief Thread pointer (x86_64 fs base, riscv64 tp). @param regs the context. @return it. */
pm_uaddr_t pm_arch_regs_tp(const struct pm_user_regs *regs);
/** @brief Set the thread pointer (clone CLONE_SETTLS). @param regs the context. @param tp value. */
void pm_arch_regs_set_tp(struct pm_user_regs *regs, pm_uaddr_t tp);

/**
 * @brief Number of the system call the thread is in (x86_64 orig_ax, riscv64
 *        a7 while cause is ECALL).
 * @param regs  the context.
 * @return the number, or -1 when the thread is not in a system call.
 */
int64_t pm_arch_syscall_nr(const struct pm_user_regs *regs);

/**
 * @brief System call argument @p n as the thread passed it.
 * @param regs  the context.
 * @param n     0..5.
 * @return the argument (riscv64: orig_a0 for n = 0).
 */
uint64_t pm_arch_syscall_arg(const struct pm_user_regs *regs, unsigned int n);

/**
 * @brief Set the system call's return value (x86_64 rax, riscv64 a0).
 * @param regs  the context.
 * @param ret   value or negated errno.
 */
void pm_arch_syscall_set_return(struct pm_user_regs *regs, int64_t ret);

/**
 * @brief The system call's current return value.
 * @param regs  the context.
 * @return rax or a0 as a signed value.
 */
int64_t pm_arch_syscall_return(const struct pm_user_regs *regs);

/**
 * @brief Registers of a freshly exec'd thread (Linux start_thread and
 *        ELF_PLAT_INIT): everything zero except @p pc and @p sp, flags and
 *        segments at their user defaults.
 * @param regs  the context to overwrite.
 * @param pc    entry point (interpreter entry if there is one).
 * @param sp    initial stack pointer (points at argc, 16-byte aligned).
 */
void pm_arch_regs_init_exec(struct pm_user_regs *regs, pm_uaddr_t pc, pm_uaddr_t sp);

/** @} */

/* ======================================================================== */
/** @name Native functions: signal frames
 * Planning is pure (compute, then write), so frames can be tested byte by
 * byte: the port computes where the frame goes and its bytes into a caller
 * buffer; the signal module copies them to user memory and only then
 * commits the new registers.
 * @{
 */

/** What the signal module hands the port to build one rt_sigframe. */
struct pm_sigframe_in {
	int signo;                     /**< signal being delivered */
	const struct pm_siginfo *info; /**< its siginfo */
	uint64_t sa_flags;             /**< SA_SIGINFO, SA_ONSTACK, SA_RESTORER, ... */
	pm_uaddr_t handler;            /**< sa_handler */
	pm_uaddr_t restorer;           /**< sa_restorer (x86_64), else 0 */
	/** riscv64: the vDSO __vdso_rt_sigreturn address; x86_64: unused. */
	pm_uaddr_t sigreturn_trampoline;
	pm_sigset_t saved_mask;   /**< mask restored by rt_sigreturn */
	struct pm_stack altstack; /**< sas_ss_sp, stored sas_ss_flags, sas_ss_size */
	/** User FP/vector state in the arch's signal-frame format (x86_64:
	 *  FXSAVE/XSAVE image; riscv64: f[32] then fcsr), or NULL if none. */
	const void *fpstate;
	size_t fpstate_size; /**< bytes at @c fpstate */
};

/** Where a frame goes and how big it is. */
struct pm_sigframe_layout {
	pm_uaddr_t frame;   /**< user address of the frame (new sp) */
	size_t size;        /**< bytes from @c frame to write, FP area included */
	pm_uaddr_t fpstate; /**< user address of the FP area inside, or 0 */
};

/**
 * @brief Compute where the frame for @p in goes on the user stack (Linux
 *        get_sigframe).
 * @param regs  the interrupted context (already restart-adjusted).
 * @param in    the delivery.
 * @param out   receives the placement.
 * @return 0; -PM_EFAULT when the frame would not fit (leaves the alternate
 *         stack, or wraps below 0): the signal module then forces SIGSEGV.
 */
int pm_arch_sigframe_layout(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            struct pm_sigframe_layout *out);

/**
 * @brief Write the frame's bytes, exactly as Linux's setup_rt_frame would
 *        leave them in user memory, into @p buf.
 * @param regs    the interrupted context.
 * @param in      the delivery.
 * @param layout  from pm_arch_sigframe_layout().
 * @param buf     destination, @p layout->size bytes; byte 0 is @p layout->frame.
 * @return 0; -PM_EFAULT if the delivery cannot be framed (x86_64 without
 *         SA_RESTORER).
 */
int pm_arch_sigframe_fill(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                          const struct pm_sigframe_layout *layout, void *buf);

/**
 * @brief Set the registers for entering the handler (pc, sp, argument
 *        registers, return address, flags) as Linux does.
 * @param regs    the context to change.
 * @param in      the delivery.
 * @param layout  from pm_arch_sigframe_layout().
 */
void pm_arch_sigframe_enter(struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            const struct pm_sigframe_layout *layout);

/** What rt_sigreturn restores besides the registers. */
struct pm_sigreturn_out {
	pm_sigset_t mask;         /**< new blocked mask (SIGKILL/SIGSTOP removed) */
	struct pm_stack altstack; /**< uc_stack, for restore_altstack */
	pm_uaddr_t fpstate;       /**< user address of the FP image to restore, or 0 */
};

/**
 * @brief Where rt_sigreturn finds the frame (x86_64 sp - 8, riscv64 sp) and
 *        how many bytes to read (without the FP area).
 * @param regs   the context at the rt_sigreturn system call.
 * @param frame  receives the frame's user address.
 * @return the frame size in bytes.
 */
size_t pm_arch_sigreturn_frame(const struct pm_user_regs *regs, pm_uaddr_t *frame);

/**
 * @brief Validate a frame read back from user memory and restore the
 *        registers from it (Linux restore_sigcontext).
 * @param regs   the context to overwrite; unchanged on failure.
 * @param frame  the frame's bytes (from pm_arch_sigreturn_frame()).
 * @param size   their count.
 * @param out    receives the mask, alternate stack and FP location.
 * @return 0; -PM_EINVAL for a forged or malformed frame (reserved fields
 *         set, unknown extension headers, bad segment values): the signal
 *         module then forces SIGSEGV.
 */
int pm_arch_sigreturn_restore(struct pm_user_regs *regs, const void *frame, size_t size,
                              struct pm_sigreturn_out *out);

/** @} */

/* ======================================================================== */
/** @name Native functions: system-call restart
 * @{
 */

/** What to do with an interrupted system call (decided by the signal module). */
enum pm_restart_action {
	PM_RESTART_NONE = 0,         /**< leave the result as it is */
	PM_RESTART_EINTR = 1,        /**< the call returns -EINTR */
	PM_RESTART_AGAIN = 2,        /**< re-execute the same call */
	PM_RESTART_RESTARTBLOCK = 3, /**< re-execute as restart_syscall */
};

/**
 * @brief Apply a restart decision (x86_64: rax = orig_ax, rip -= 2;
 *        riscv64: a0 = orig_a0, epc -= 4; restart_syscall number for
 *        PM_RESTART_RESTARTBLOCK).
 * @param regs    the context of a thread that was in a system call.
 * @param action  the decision.
 */
void pm_arch_syscall_restart(struct pm_user_regs *regs, enum pm_restart_action action);

/** @} */

/* ======================================================================== */
/** @name Native functions: entering user mode
 * @{
 */

/**
 * @brief Enter user mode for the first time at @p pc with stack @p sp and
 *        every other register zero. Provided by each port in assembly for
 *        kernels that want it (and by the hosted port for pmexec); procmgr
 *        itself never calls it.
 * @param pc  entry point.
 * @param sp  initial stack pointer.
 */
PM_NORETURN void pm_arch_enter_user(pm_uaddr_t pc, pm_uaddr_t sp);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ARCH_H */
