/* SPDX-License-Identifier: MIT */
/**
 * @file vm_stack.h
 * @brief The initial stack of a new program: argc, argv, envp and the
 *        auxiliary vector, laid out byte for byte as Linux lays them out.
 *
 * Part of the VM module (procmgr/vm.h). Planning and filling are pure: the
 * image is written into a caller buffer, so it can be tested, fuzzed and
 * printed; pm_vm_stack_write() then copies it into the new address space
 * through the HAL.
 *
 * @ingroup pm_vm
 */
#ifndef PROCMGR_VM_STACK_H
#define PROCMGR_VM_STACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/types.h"
#include "procmgr/arch.h"
#include "procmgr/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_vm
 * @{
 */

/* ======================================================================== */
/** @name Initial stack
 * The stack of a new program, built as Linux's create_elf_tables() builds
 * it: strings at the top (execfn, envp, argv), the platform string, 16
 * random bytes, then argc, argv[], NULL, envp[], NULL and the auxiliary
 * vector, with the final stack pointer 16-byte aligned. Planning and
 * filling are pure (a caller buffer); pm_vm_stack_write() copies the
 * result into the new address space.
 * @{
 */

/**
 * A list of strings in kernel memory: either an array of @c count pointers
 * (@c v non-NULL) or @c count NUL-terminated strings back to back in
 * @c blob (as copied from user space, untrusted).
 */
struct pm_vm_strv {
	const char *const *v; /**< array of @c count strings, or NULL to use @c blob */
	const char *blob;     /**< strings back to back, each with its NUL */
	size_t blob_len;      /**< bytes of @c blob: exactly the strings and their NULs */
	size_t count;         /**< number of strings */
};

/** pm_vm_stack_in.flags: no AT_RSEQ_* entries (a kernel without rseq). */
#define PM_VM_STACK_NO_RSEQ 0x1u
/** pm_vm_stack_in.flags: emit AT_EXECFD with @c execfd (binfmt_misc 'O'). */
#define PM_VM_STACK_EXECFD  0x2u

/** Everything the initial stack is made from. */
struct pm_vm_stack_in {
	struct pm_vm_strv argv;   /**< arguments; none means Linux's {""} */
	struct pm_vm_strv envp;   /**< environment */
	const char *execfn;       /**< the path given to execve (AT_EXECFN) */
	pm_uaddr_t phdr;          /**< AT_PHDR: the program headers' address (load bias in) */
	uint64_t phent;           /**< AT_PHENT; 0 = sizeof(Elf64_Phdr) = 56 */
	uint64_t phnum;           /**< AT_PHNUM */
	pm_uaddr_t entry;         /**< AT_ENTRY: the program's e_entry + load bias */
	pm_uaddr_t base;          /**< AT_BASE: interpreter load address, 0 if none */
	uint64_t at_flags;        /**< AT_FLAGS (AT_FLAGS_PRESERVE_ARGV0 or 0) */
	struct pm_arch_hwinfo hw; /**< AT_HWCAP, AT_HWCAP2, vDSO, AT_MINSIGSTKSZ, caches */
	pm_uid_t uid;             /**< AT_UID, in the task's user namespace */
	pm_uid_t euid;            /**< AT_EUID */
	pm_gid_t gid;             /**< AT_GID */
	pm_gid_t egid;            /**< AT_EGID */
	bool secure;              /**< AT_SECURE */
	int execfd;               /**< AT_EXECFD value with PM_VM_STACK_EXECFD */
	unsigned int flags;       /**< PM_VM_STACK_* */
	uint8_t random[16];       /**< the AT_RANDOM bytes */
	/** arch_align_stack()'s random drop in bytes, below the descriptor's
	 *  align_stack_rnd (0 without randomisation); see pm_vm_stack_random(). */
	uint32_t align_rnd;
	/** RLIMIT_STACK soft limit in bytes, for the E2BIG budget
	 *  (0 = PM_VM_STK_LIM). */
	uint64_t stack_limit;
};

/** Where everything of an initial stack lands (user addresses). */
struct pm_vm_stack_layout {
	pm_uaddr_t top;        /**< stack top the image ends at */
	pm_uaddr_t sp;         /**< initial stack pointer: argc is here */
	size_t size;           /**< bytes of the image: [sp, top) */
	uint64_t strings_size; /**< bytes from the lowest argument string to top */
	uint64_t argc;         /**< argc written (1 when argv was empty) */
	uint64_t envc;         /**< envc written */
	pm_uaddr_t argv;       /**< address of argv[0]'s pointer */
	pm_uaddr_t envp;       /**< address of envp[0]'s pointer */
	pm_uaddr_t auxv;       /**< address of the first auxv pair */
	size_t auxv_count;     /**< auxv pairs including AT_NULL */
	pm_uaddr_t execfn;     /**< AT_EXECFN */
	pm_uaddr_t platform;   /**< AT_PLATFORM string, or 0 */
	pm_uaddr_t random;     /**< AT_RANDOM */
	pm_uaddr_t arg_start;  /**< first argument string */
	pm_uaddr_t arg_end;    /**< end of the argument strings */
	pm_uaddr_t env_start;  /**< first environment string */
	pm_uaddr_t env_end;    /**< end of the environment strings (execfn follows) */
};

/**
 * @brief Fill @p in's AT_RANDOM bytes and arch_align_stack() drop from
 *        pm_hal_random_bytes() (the drop stays 0 with PM_VM_NO_RANDOMIZE;
 *        AT_RANDOM is random even then, as on Linux).
 * @param vs  the vmspace (arch and flags).
 * @param in  the input to complete.
 * **Locking**: none needed.
 */
void pm_vm_stack_random(const struct pm_vmspace *vs, struct pm_vm_stack_in *in);

/**
 * @brief Lay out the initial stack ending at @p top and, if @p buf is not
 *        NULL, write its bytes ([sp, top)) into @p buf. Pure: no HAL call.
 *
 * @param arch   the architecture (platform string, ARCH_DLINFO, HWCAP2).
 * @param in     the strings and auxv values.
 * @param top    stack top (page aligned), e.g. from pm_vm_stack_top().
 * @param out    receives the layout.
 * @param buf    destination of the image, or NULL to plan only.
 * @param size   bytes at @p buf (at least out->size).
 * @return 0; -PM_EINVAL for NULL arguments, an unaligned @p top, a blob
 *         whose strings do not match its count and length, or an
 *         align_rnd not below arch->align_stack_rnd; -PM_E2BIG if a string
 *         (NUL included) is longer than MAX_ARG_STRLEN, or the strings and
 *         pointers exceed the budget of bprm_stack_limits() (a quarter of
 *         the stack limit, at most 6 MiB, at least ARG_MAX); -PM_EFAULT if
 *         the image would reach below address 0 or @p size is too small
 *         (Linux: the stack cannot grow that far). @p buf is undefined on
 *         failure.
 * **Locking**: none. **Linux**: fs/exec.c copy_strings(),
 * bprm_stack_limits(); fs/binfmt_elf.c create_elf_tables().
 */
int pm_vm_stack_build(const struct pm_arch_desc *arch, const struct pm_vm_stack_in *in,
                      pm_uaddr_t top, struct pm_vm_stack_layout *out, void *buf, size_t size);

/**
 * @brief Copy a built image into the vmspace's address space, growing the
 *        stack area down if the image reaches below it, and record
 *        start_stack and the argument and environment bounds.
 * @param vs   the vmspace whose stack area (pm_vm_stack_map()) ends at
 *             lay->top.
 * @param lay  the layout from pm_vm_stack_build().
 * @param buf  the image, lay->size bytes.
 * @return 0; -PM_EFAULT if [sp, top) is not inside a stack area that can
 *         grow to cover it, or pm_hal_as_write() fails.
 * **Locking**: writer.
 */
int pm_vm_stack_write(struct pm_vmspace *vs, const struct pm_vm_stack_layout *lay, const void *buf);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_VM_STACK_H */
