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
 *     work on three types the port defines completely in its own header
 *     (ports/ARCH/include/procmgr/arch_regs.h): `struct pm_user_regs` (the
 *     kernel embeds it in its trap frame), `struct pm_user_fpu` and
 *     `struct pm_user_fpu_restore` (the kernel's FPU code fills and reads
 *     them). Arch-neutral code only passes pointers to them, so the signal
 *     module needs no knowledge of any port. Each port builds them into its
 *     own static library (procmgr_port_x86_64, procmgr_port_riscv64).
 *
 * Every function below is required (the link fails if one is missing).
 * The reference values are Linux's (fact sheet:
 * ../shared/reference/linux-exec-abi.md, sections 1, 5, 6, 7); each
 * function names the Linux function it reproduces. docs/porting.md walks a
 * new port through this header with x86_64 and riscv64 as examples.
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
	/** AT_MINSIGSTKSZ: Linux's get_sigframe_size() (x86_64: the largest
	 *  frame with the largest FP area, 3376 on an AVX-512 machine with
	 *  IA32 emulation) or signal_minsigstksz (riscv64: the frame with
	 *  vector state if the CPU has V). 0 falls back to MINSIGSTKSZ (2048)
	 *  on x86_64 and to the frame without vector state (1088) on riscv64. */
	uint64_t minsigstksz;
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
	uint64_t brk_rnd_range; /**< arch_randomize_brk() range in bytes (1 GiB) */
	int nr_rt_sigreturn;    /**< __NR_rt_sigreturn */
	int nr_restart_syscall; /**< __NR_restart_syscall */
	size_t sigaction_size;  /**< sizeof the kernel struct sigaction */
	/** sizeof(struct rt_sigframe): x86_64 without the separate FP area
	 *  (440), riscv64 with the F/D state but without vector state (1088). */
	size_t rt_sigframe_size;
	size_t n_layouts;                     /**< number of entries of @c layouts */
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
/** @name Port-defined types
 * Each port defines these completely in its
 * ports/ARCH/include/procmgr/arch_regs.h. Arch-neutral code (the signal
 * module) only passes pointers to them around; the kernel's own arch code
 * fills and reads them.
 * @{
 */

/**
 * The saved user context of a thread (forward declaration; the port's
 * definition): x86_64 user_regs_struct then the trap information of the
 * thread; riscv64 pt_regs (user_regs_struct, pc first, then status,
 * badaddr, cause, orig_a0). The kernel embeds it in its trap frame or
 * thread and keeps it current on every entry from user mode.
 */
struct pm_user_regs;

/**
 * The thread's user FP/vector state as the kernel's FPU code describes it
 * (forward declaration; the port's definition): its format (x86_64 XSAVE
 * size and features, riscv64 FPU presence and vector length) and, for
 * signal delivery, its current contents. Passed to every frame function.
 */
struct pm_user_fpu;

/**
 * How rt_sigreturn asks the kernel to reload the user FP/vector state
 * (forward declaration; the port's definition): x86_64 the XRSTOR/FXRSTOR
 * plan, riscv64 the F/D registers and vector CSRs read from the frame.
 */
struct pm_user_fpu_restore;

/** @} */

/* ======================================================================== */
/** @name Native functions: user registers
 * All required. @p regs is the kernel's saved user context of a thread,
 * laid out as the port's struct pm_user_regs. No locking: the context
 * belongs to one thread, which is not running while it is read or changed.
 * @{
 */

/**
 * @brief The descriptor of the architecture this kernel runs on.
 * @return &pm_arch_x86_64 or &pm_arch_riscv64 (or a new port's).
 */
const struct pm_arch_desc *pm_arch_native(void);

/** @brief User program counter (x86_64 rip, riscv64 pc/sepc). @param regs the context. @return the pc. */
pm_uaddr_t pm_arch_regs_pc(const struct pm_user_regs *regs);
/** @brief Set the user program counter. @param regs the context. @param pc new pc. */
void pm_arch_regs_set_pc(struct pm_user_regs *regs, pm_uaddr_t pc);
/** @brief User stack pointer (x86_64 rsp, riscv64 sp). @param regs the context. @return the sp. */
pm_uaddr_t pm_arch_regs_sp(const struct pm_user_regs *regs);
/** @brief Set the user stack pointer. @param regs the context. @param sp new sp. */
void pm_arch_regs_set_sp(struct pm_user_regs *regs, pm_uaddr_t sp);
/** @brief Thread pointer (x86_64 fs_base, riscv64 tp). @param regs the context. @return it. */
pm_uaddr_t pm_arch_regs_tp(const struct pm_user_regs *regs);
/**
 * @brief Set the thread pointer, as clone(CLONE_SETTLS) does (x86_64
 *        fs_base: Linux do_arch_prctl_64(ARCH_SET_FS); riscv64 tp).
 * @param regs  the context.
 * @param tp    the new thread pointer (a user address; not checked).
 */
void pm_arch_regs_set_tp(struct pm_user_regs *regs, pm_uaddr_t tp);

/**
 * @brief Number of the system call the thread is in (Linux
 *        syscall_get_nr(); x86_64 orig_rax, riscv64 a7 while cause is
 *        EXC_SYSCALL).
 * @param regs  the context.
 * @return the number, or -1 when the thread is not in a system call (x86_64
 *         orig_rax = -1; riscv64 cause other than 8).
 */
int64_t pm_arch_syscall_nr(const struct pm_user_regs *regs);

/**
 * @brief System call argument @p n as the thread passed it (Linux
 *        syscall_get_arguments(); x86_64 rdi, rsi, rdx, r10, r8, r9;
 *        riscv64 orig_a0, a1 .. a5).
 * @param regs  the context.
 * @param n     0..5.
 * @return the argument; 0 for @p n above 5.
 */
uint64_t pm_arch_syscall_arg(const struct pm_user_regs *regs, unsigned int n);

/**
 * @brief Set the system call's return value (Linux
 *        syscall_set_return_value(); x86_64 rax, riscv64 a0).
 * @param regs  the context.
 * @param ret   value or negated errno.
 */
void pm_arch_syscall_set_return(struct pm_user_regs *regs, int64_t ret);

/**
 * @brief The system call's current return value, where the signal module
 *        finds the -PM_ERESTART* codes (Linux syscall_get_error()).
 * @param regs  the context.
 * @return rax or a0 as a signed value.
 */
int64_t pm_arch_syscall_return(const struct pm_user_regs *regs);

/**
 * @brief Registers of a freshly exec'd thread (Linux start_thread(),
 *        ELF_PLAT_INIT and set_personality_64bit()).
 *
 * Every field is written. x86_64: all general registers 0, rip = @p pc,
 * rsp = @p sp, cs = __USER_CS, ss = __USER_DS, rflags = IF | FIXED (0x202),
 * data selectors and fs/gs bases 0, orig_rax = __NR_execve (59) as Linux
 * sets it. riscv64: all general registers 0 (Linux leaves the execve
 * caller's values except a0 = 0; zero leaks nothing and matches what init
 * gets), pc = @p pc, sp = @p sp, status = SPIE | FS=Initial | UXL=64 (the
 * port's RV64GC user ABI has an FPU; V off), cause, badaddr and orig_a0 0.
 * The FP/vector registers themselves are the kernel's to reset.
 *
 * @param regs  the context to overwrite.
 * @param pc    entry point (the interpreter's entry if there is one).
 * @param sp    initial stack pointer (points at argc, 16-byte aligned).
 */
void pm_arch_regs_init_exec(struct pm_user_regs *regs, pm_uaddr_t pc, pm_uaddr_t sp);

/** @} */

/* ======================================================================== */
/** @name Native functions: signal frames
 *
 * Delivering a handler (after the restart decision, see
 * pm_arch_syscall_restart()):
 *
 *  1. pm_arch_sigframe_layout(): where the frame goes and its size;
 *     -PM_EFAULT means force SIGSEGV, as Linux's force_sigsegv().
 *  2. pm_arch_sigframe_fill() into a buffer of that size, then copy the
 *     buffer to the user address (a fault also forces SIGSEGV).
 *  3. pm_arch_sigframe_enter(): the registers for the handler. Only now is
 *     the thread's context changed; then the signal module updates the
 *     mask and disarms an SS_AUTODISARM alternate stack
 *     (signal_delivered()), and the kernel resets the user FPU state where
 *     the port's struct pm_user_fpu says so (x86_64).
 *
 * Returning from it (the rt_sigreturn system call):
 *
 *  1. pm_arch_sigreturn_frame(): where the frame is and how many bytes to
 *     read; an unreadable frame forces SIGSEGV.
 *  2. pm_arch_sigreturn_restore() on those bytes: registers restored, the
 *     mask, alternate stack and FP/vector reload plan returned.
 *  3. If it reports state kept outside the frame (@c ext), the kernel reads
 *     it and calls pm_arch_sigreturn_fpu(); then it loads the FP/vector
 *     state as struct pm_user_fpu_restore says.
 *
 * Every function is pure: it reads its arguments and writes only its
 * outputs, never user memory, never takes a lock, never allocates.
 * @{
 */

/** What the signal module hands the port to build one rt_sigframe. */
struct pm_sigframe_in {
	int signo; /**< the signal being delivered, 1..64 */
	/** Its siginfo (required). Only the first 48 bytes (Linux's
	 *  kernel_siginfo) reach the frame and the other 80 are zero, as
	 *  copy_siginfo_to_user() writes them. x86_64 writes it only with
	 *  SA_SIGINFO; riscv64 always. */
	const struct pm_siginfo *info;
	uint64_t sa_flags;  /**< the action's sa_flags (SA_SIGINFO, SA_ONSTACK, SA_RESTORER, ...) */
	pm_uaddr_t handler; /**< the action's sa_handler */
	/** The action's sa_restorer: the handler's return address on x86_64,
	 *  where SA_RESTORER is mandatory; unused on riscv64. */
	pm_uaddr_t restorer;
	/** riscv64: the address of the vDSO's __vdso_rt_sigreturn (or of
	 *  an equivalent `li a7, 139; ecall` the kernel maps), the handler's
	 *  return address; unused on x86_64. */
	pm_uaddr_t sigreturn_trampoline;
	/** The mask the frame saves and rt_sigreturn restores: Linux's
	 *  sigmask_to_save(), the sigsuspend/ppoll temporary mask's
	 *  predecessor if one is active, else the blocked mask. */
	pm_sigset_t saved_mask;
	/** The thread's sigaltstack as stored: sas_ss_sp, the stored
	 *  sas_ss_flags (0, SS_DISABLE or SS_AUTODISARM, never a computed
	 *  SS_ONSTACK) and sas_ss_size (0 when none). */
	struct pm_stack altstack;
	/** The thread's user FP/vector state, from the kernel's FPU code;
	 *  NULL when the kernel does not manage one (the frame then has none,
	 *  which no Linux frame does). */
	const struct pm_user_fpu *fpu;
};

/** Where a frame goes and how big it is (from pm_arch_sigframe_layout()). */
struct pm_sigframe_layout {
	pm_uaddr_t frame; /**< user address of the frame: the handler's sp */
	size_t size;      /**< bytes from @c frame to write, FP area included */
	/** x86_64: user address of the FP area (sc.fpstate), 0 if none;
	 *  riscv64: always 0 (the F/D state is inside the frame). */
	pm_uaddr_t fpstate;
};

/**
 * @brief Compute where the frame for @p in goes on the user stack (Linux
 *        get_sigframe(): x86_64 with the 128-byte red zone, the 64-byte
 *        aligned FP area and a frame at 8 mod 16; riscv64 16-byte aligned,
 *        no red zone; both switch to the alternate stack with SA_ONSTACK
 *        when one is set up and not in use).
 * @param regs  the interrupted context (restart decision already applied).
 * @param in    the delivery.
 * @param out   receives the placement; unchanged on failure.
 * @return 0; -PM_EFAULT when Linux would fail the delivery: the frame
 *         would leave the alternate stack the thread is on or is entering
 *         (riscv64: only when already on it, as Linux checks), the
 *         addresses wrap around, or (x86_64) SA_RESTORER is not set. The
 *         signal module then forces SIGSEGV.
 */
int pm_arch_sigframe_layout(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            struct pm_sigframe_layout *out);

/**
 * @brief Write the frame's bytes into @p buf exactly as Linux's
 *        setup_rt_frame() leaves them in user memory (x86_64
 *        x64_setup_rt_frame() and copy_fpstate_to_sigframe(); riscv64
 *        setup_rt_frame() and setup_sigcontext()).
 *
 * Bytes Linux leaves untouched (sigcontext reserved words, structure
 * padding, x86_64 siginfo without SA_SIGINFO, alignment gaps) are written
 * as zeros: user space cannot depend on them and zeros leak nothing.
 *
 * @param regs    the interrupted context, as passed to pm_arch_sigframe_layout().
 * @param in      the delivery.
 * @param layout  from pm_arch_sigframe_layout() for the same @p regs and @p in.
 * @param buf     destination of @p layout->size bytes; byte 0 goes to
 *                @p layout->frame. Any alignment.
 * @return 0; -PM_EFAULT for a delivery Linux refuses (x86_64 without
 *         SA_RESTORER; pm_arch_sigframe_layout() refuses it first).
 */
int pm_arch_sigframe_fill(const struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                          const struct pm_sigframe_layout *layout, void *buf);

/**
 * @brief Set the registers for entering the handler, as Linux does after a
 *        successful setup_rt_frame().
 *
 * x86_64: rdi = signo, rsi = &frame->info, rdx = &frame->uc, rax = 0,
 * rsp = frame, rip = handler, cs = __USER_CS, ss = __USER_DS, rflags without
 * DF, RF and TF (handle_signal()). riscv64: a0 = signo, a1 = &frame->info,
 * a2 = &frame->uc, sp = frame, pc = handler, ra = sigreturn trampoline.
 * Everything else keeps its interrupted value.
 *
 * @param regs    the context to change.
 * @param in      the delivery.
 * @param layout  from pm_arch_sigframe_layout().
 */
void pm_arch_sigframe_enter(struct pm_user_regs *regs, const struct pm_sigframe_in *in,
                            const struct pm_sigframe_layout *layout);

/** What rt_sigreturn restores besides the registers. */
struct pm_sigreturn_out {
	/** New blocked mask: the frame's uc_sigmask with SIGKILL and SIGSTOP
	 *  removed (set_current_blocked()). */
	pm_sigset_t mask;
	/** The frame's uc_stack, for restore_altstack(): the signal module
	 *  applies it as sigaltstack() would, ignoring errors. */
	struct pm_stack altstack;
	/** The stack pointer restore_altstack() checks "on the alternate
	 *  stack" against: x86_64 the sp at the rt_sigreturn call (Linux
	 *  restores the alternate stack before the registers), riscv64 the
	 *  restored sp. */
	pm_uaddr_t altstack_sp;
	/** User address of FP/vector state kept outside the frame that the
	 *  kernel reads next and hands to pm_arch_sigreturn_fpu() (x86_64 the
	 *  FP area at sc.fpstate, riscv64 the vector registers at datap); 0
	 *  when there is none. */
	pm_uaddr_t ext;
	size_t ext_size; /**< bytes to read at @c ext */
};

/**
 * @brief Where rt_sigreturn finds the frame (x86_64 sp - 8, since the
 *        handler's `ret` popped the return address; riscv64 sp) and how
 *        many bytes to read (Linux's access_ok() range).
 * @param regs   the context at the rt_sigreturn system call.
 * @param fpu    the thread's FP/vector format (riscv64: an active vector
 *               state makes the frame longer), or NULL.
 * @param frame  receives the frame's user address (it may wrap or lie
 *               outside user space: the kernel's copy then faults).
 * @return the bytes to read: x86_64 440, riscv64 1088 or more with V.
 */
size_t pm_arch_sigreturn_frame(const struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                               pm_uaddr_t *frame);

/**
 * @brief Validate a frame read back from user memory and restore the
 *        registers from it (Linux sys_rt_sigreturn() and
 *        restore_sigcontext()).
 *
 * x86_64: every general register, rip and rsp from the sigcontext; cs and
 * ss forced to RPL 3, ss replaced by __USER_DS when the frame lacks
 * UC_STRICT_RESTORE_SS and cs is 64-bit; only the FIX_EFLAGS bits of
 * rflags taken from the frame; orig_rax = -1 (no restart processing).
 * riscv64: the 32 user_regs_struct words; cause = -1.
 *
 * @param regs   the context to overwrite; unchanged on failure.
 * @param fpu    the thread's FP/vector format, or NULL.
 * @param frame  the bytes read at the address pm_arch_sigreturn_frame() gave.
 * @param size   their count.
 * @param out    receives mask, alternate stack and the @c ext request;
 *               unchanged on failure.
 * @param fr     receives the FP/vector reload plan; unchanged on failure.
 * @return 0; -PM_EFAULT if @p size is below what pm_arch_sigreturn_frame()
 *         asked for; -PM_EINVAL for a frame Linux refuses or whose return
 *         would fault in Linux's exit path: x86_64 a code selector other
 *         than __USER_CS or __USER32_CS or a stack selector other than
 *         __USER_DS (IRET would fault); riscv64 a nonzero reserved word, an
 *         unknown or malformed extension header, a vector header when the
 *         thread has no live vector state or with a NULL datap (Linux's
 *         copy from it faults), a header chain leaving the bytes read
 *         (Linux would follow it into further user memory). The signal
 *         module then forces SIGSEGV. (By the time Linux finds a bad frame
 *         it has already installed the frame's mask and, on riscv64,
 *         overwritten some registers; procmgr changes nothing, which only
 *         a SIGSEGV handler inspecting its own frame could tell.)
 */
int pm_arch_sigreturn_restore(struct pm_user_regs *regs, const struct pm_user_fpu *fpu,
                              const void *frame, size_t size, struct pm_sigreturn_out *out,
                              struct pm_user_fpu_restore *fr);

/**
 * @brief Check the FP/vector state kept outside the frame and complete the
 *        reload plan (x86_64 check_xstate_in_sigframe() and
 *        __fpu_restore_sig(); riscv64 __restore_v_state()).
 * @param fpu   the thread's FP/vector format (not NULL: @c ext is 0 without one).
 * @param ext   the @c ext_size bytes read at @c ext; the plan points into
 *              them, so keep them until the state is loaded (x86_64: in
 *              64-byte aligned memory, as XRSTOR needs).
 * @param size  their count.
 * @param fr    the plan from pm_arch_sigreturn_restore(), completed here.
 * @return 0; -PM_EFAULT if @p size is below @c ext_size; -PM_EINVAL when
 *         Linux's restore fails: x86_64 an FP area not aligned as XRSTOR
 *         (64 bytes) or FXRSTOR (16) needs. The kernel's XRSTOR/FXRSTOR may
 *         still fault on bits only the CPU checks (reserved MXCSR bits,
 *         XSTATE_BV outside XCR0): it must catch that, reset the FP state
 *         and force SIGSEGV, as Linux does.
 */
int pm_arch_sigreturn_fpu(const struct pm_user_fpu *fpu, const void *ext, size_t size,
                          struct pm_user_fpu_restore *fr);

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
 * @brief Apply a restart decision (Linux handle_signal() and
 *        arch_do_signal_or_restart()).
 *
 * The signal module decides from pm_arch_syscall_return() (-ERESTARTSYS
 * and friends) and the handler's SA_RESTART, and calls this once, before
 * building a frame (so the frame saves the rewound context) or before
 * returning to user mode without a handler. x86_64: EINTR rax = -EINTR;
 * AGAIN rax = orig_rax, rip -= 2 (the `syscall` instruction);
 * RESTARTBLOCK rax = __NR_restart_syscall (219), rip -= 2. riscv64: EINTR
 * a0 = -EINTR; AGAIN a0 = orig_a0, pc -= 4 (`ecall`); RESTARTBLOCK also
 * a7 = __NR_restart_syscall (128). riscv64 also sets cause = -1 for every
 * action, as Linux does when it first looks at the context, so the thread
 * no longer counts as in a system call; on x86_64 orig_rax keeps the
 * number and rax no longer holds a restart code, so a second decision
 * finds nothing to do.
 *
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
 * @brief Enter user mode for the first time at @p pc with stack @p sp.
 *
 * Assembly in each port (entry.S), for kernels that want it; procmgr itself
 * never calls it. Kernel builds: x86_64 loads every general register with
 * 0, x87/SSE state with its init values (FNINIT, MXCSR 0x1f80, xmm0-15
 * zero) and IRETQs to __USER_CS:@p pc with rflags 0x202 and __USER_DS:@p sp;
 * riscv64 zeroes every register but sp, f0-f31 and fcsr, sets sstatus SPP
 * = user, SPIE and FS = Initial, and SRETs to @p pc. The kernel has already
 * switched page tables, set its kernel stack for traps (x86_64 TSS.rsp0 and
 * swapgs convention, riscv64 sscratch/stvec), reset any wider vector state,
 * and disabled interrupts. The hosted build (ports/host, `pmexec`) jumps
 * in the current privilege level instead, with the same register state
 * except that riscv64 must keep @p pc in t0 to jump.
 *
 * @param pc  entry point.
 * @param sp  initial stack pointer (16-byte aligned, pointing at argc).
 */
PM_NORETURN void pm_arch_enter_user(pm_uaddr_t pc, pm_uaddr_t sp);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_ARCH_H */
