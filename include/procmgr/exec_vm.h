/* SPDX-License-Identifier: MIT */
/**
 * @file exec_vm.h
 * @brief Exec into a vmspace: the loader's mapper over the VM module, the
 *        stack area, brk and the initial stack of the new image, and the
 *        credential hooks over the cred module.
 *
 * exec.h stops at pm_exec_load(), which maps through an abstract
 * struct pm_elf_mapper and returns a struct pm_exec_image. This header
 * joins that to the VM module (vm.h, vm_stack.h) and the credential module
 * (cred_exec.h), so a kernel's execve is a short series of calls
 * (docs/exec.md has the worked example):
 *
 * @code
 * err = pm_exec_prepare(ex, &params);        // errors go back to user space
 * if (err) return err;
 * pm_exec_point_of_no_return(ex);            // credentials, signal handlers
 * pm_exec_vm_config(ex, &cfg);               // then pm_vmspace_init(vs, new_as, &cfg)
 * err = pm_exec_vm_stack_area(&ev, vs, ex);  // setup_arg_pages
 * if (!err) err = pm_exec_load(ex, &ev.mapper, &img);
 * if (!err) err = pm_exec_vm_finish(&ev, &img, &hw, NULL);  // brk, auxv, stack
 * pm_exec_release(ex);
 * if (err) kill with SIGSEGV; else pm_arch_regs_init_exec(regs, ev.entry, ev.sp);
 * @endcode
 *
 * **Dependencies.** This is loader code (src/loader/exec_vm.c,
 * exec_cred.c): the loader calls the VM and credential modules' public
 * functions; neither of them knows the loader, so the dependency stays one
 * way, as docs/architecture.md draws it (loader asks cred and vm).
 *
 * @ingroup pm_loader
 */
#ifndef PROCMGR_EXEC_VM_H
#define PROCMGR_EXEC_VM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/cred_exec.h"
#include "procmgr/exec.h"
#include "procmgr/loader.h"
#include "procmgr/rlimit.h"
#include "procmgr/vm.h"
#include "procmgr/vm_stack.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_loader
 * @{
 */

/* ======================================================================== */
/** @name The new image in a vmspace
 * @{
 */

/**
 * @brief Fill @p m with a pm_elf_mapper that maps through @p vs, so every
 *        segment becomes a VM area and reaches the page tables through
 *        the vmspace's own pm_hal_as_*() calls.
 *
 * map is pm_vm_mmap() with the flags pm_elf_apply() passes (MAP_FIXED or
 * MAP_FIXED_NOREPLACE, MAP_ANONYMOUS for bss); unmap is pm_vm_munmap();
 * clear (padzero) is pm_hal_as_clear() on the vmspace's address space;
 * find_free is pm_vm_get_unmapped_area() without MAP_FIXED (Linux's
 * get_unmapped_area() for a static-pie or an ET_DYN interpreter).
 *
 * @param m   the mapper to fill.
 * @param vs  the new image's vmspace; must outlive every use of @p m.
 *
 * **Locking**: the mapper's callbacks need the caller's writer lock on
 * @p vs (PM_LOCK_VM), as every vmspace change does. **Linux**: elf_map()
 * and vm_brk_flags() in fs/binfmt_elf.c, through vm_mmap().
 */
void pm_exec_vm_mapper_init(struct pm_elf_mapper *m, struct pm_vmspace *vs);

/**
 * @brief Complete a vmspace configuration for the image @p ex will load:
 *        architecture, paging mode, randomisation and mmap_rnd_bits as
 *        the exec was planned, and RLIMIT_STACK as exec leaves it (capped
 *        at PM_STK_LIM, 8 MiB, for a secure exec: begin_new_exec()).
 *
 * The caller fills @p cfg's other fields first (PM_VM_LEGACY_LAYOUT,
 * PM_VM_NO_BRK_RANDOMIZE, mmap_min_addr, max_map_count, the process's
 * limits); all-zero limits become Linux's defaults before the stack limit
 * is set. PM_VM_NO_RANDOMIZE is set exactly when @p ex was prepared
 * without PM_ELF_RANDOMIZE, so the plans and the layout agree.
 *
 * @param ex   exec state from pm_exec_prepare() (before or after the point
 *             of no return).
 * @param cfg  the configuration to complete, then pass to pm_vmspace_init().
 *
 * **Locking**: none. Pure. **Linux**: setup_new_exec()'s
 * arch_pick_mmap_layout(mm, &bprm->rlim_stack).
 */
void pm_exec_vm_config(const struct pm_exec *ex, struct pm_vm_config *cfg);

/**
 * @brief Convert an image description into stack-builder input: the
 *        argv, envp and execfn strings, AT_PHDR, AT_PHENT, AT_PHNUM,
 *        AT_BASE, AT_ENTRY, the ids and AT_SECURE, the machine facts of
 *        @p hw and the stack limit of the E2BIG budget. Pure.
 *
 * AT_RANDOM bytes and the arch_align_stack() drop are left zero: fill them
 * with pm_vm_stack_random() (pm_exec_vm_finish() does).
 *
 * @param img  from pm_exec_load(); its strings must stay valid while @p in
 *             is used.
 * @param hw   AT_HWCAP, AT_HWCAP2, the vDSO base, AT_MINSIGSTKSZ, caches.
 * @param in   receives the input (every field written).
 * @return 0, or -PM_EINVAL for NULL arguments or an image whose string
 *         offsets are out of order.
 *
 * **Locking**: none. **Linux**: the values create_elf_tables() reads from
 * bprm, mm and current_cred().
 */
int pm_exec_stack_in(const struct pm_exec_image *img, const struct pm_arch_hwinfo *hw,
                     struct pm_vm_stack_in *in);

/** State of one exec into a vmspace, between the calls below. Caller-owned. */
struct pm_exec_vm {
	/** Pass to pm_exec_load(): maps into @c vs (pm_exec_vm_mapper_init()). */
	struct pm_elf_mapper mapper;
	struct pm_vmspace *vs;   /**< the new image's vmspace */
	pm_uaddr_t stack_top;    /**< randomised stack top (pm_vm_stack_top()) */
	pm_uaddr_t stack_start;  /**< start of the stack area as first mapped */
	uint64_t strings_size;   /**< bytes of argv, envp, execfn strings and the top word */
	uint64_t rlim_stack_cur; /**< RLIMIT_STACK of the new image (capped if secure) */
	/** @name Results of pm_exec_vm_finish()
	 * @{ */
	struct pm_vm_stack_layout stack; /**< where the initial stack went */
	pm_uaddr_t entry;                /**< first user pc (interpreter entry, else AT_ENTRY) */
	pm_uaddr_t sp;                   /**< initial stack pointer (argc) */
	                                 /** @} */
};

/**
 * @brief Create the stack area of the new image, before the segments are
 *        mapped (fs/exec.c:setup_arg_pages()): the randomised stack top,
 *        the pages the strings will take plus 128 KiB (or RLIMIT_STACK if
 *        smaller), executable if PT_GNU_STACK asks. Also initialises
 *        @p ev and its mapper.
 *
 * @param ev  state to initialise.
 * @param vs  the new image's vmspace (pm_vmspace_init() with the
 *            configuration of pm_exec_vm_config()), normally empty.
 * @param ex  exec state past pm_exec_point_of_no_return().
 * @return 0; -PM_EINVAL for NULL arguments or @p ex not past the point of
 *         no return; -PM_E2BIG if the strings no longer fit the budget
 *         (cannot happen for strings pm_exec_prepare() accepted with the
 *         same stack limit); pm_vm_stack_map()'s errors: -PM_ENOMEM (no
 *         memory, or the strings do not fit above mmap_min_addr),
 *         -PM_EFAULT (the area cannot be created). Nothing is mapped on
 *         failure. After the point of no return any failure is fatal to
 *         the process (SIGSEGV), as in Linux.
 *
 * **Locking**: the caller's writer lock on @p vs; allocates.
 */
int pm_exec_vm_stack_area(struct pm_exec_vm *ev, struct pm_vmspace *vs, const struct pm_exec *ex);

/**
 * @brief Finish the new image after pm_exec_load() (and after the kernel
 *        mapped its vDSO): set the program break (pm_vm_brk_init()),
 *        record code/data bounds (pm_vm_set_image()), build the initial
 *        stack (pm_exec_stack_in(), pm_vm_stack_random(),
 *        pm_vm_stack_build()) and write it (pm_vm_stack_write()).
 *        @p ev->entry and @p ev->sp are then what
 *        pm_arch_regs_init_exec() needs.
 *
 * @param ev      state from pm_exec_vm_stack_area().
 * @param img     from pm_exec_load() into @p ev->mapper.
 * @param hw      machine facts (AT_HWCAP, AT_HWCAP2, vDSO base, ...).
 * @param random  16 bytes for AT_RANDOM, or NULL to draw them with
 *                pm_hal_random_bytes() (the usual case).
 * @return 0; -PM_EINVAL for NULL arguments or a brk beyond TASK_SIZE;
 *         -PM_E2BIG for strings over the budget; -PM_ENOMEM if the stack
 *         image buffer (pm_hal_alloc(), the image's size) cannot be had;
 *         -PM_EFAULT if the stack cannot hold the image. The vmspace stays
 *         consistent on failure but the exec is lost: the kernel kills the
 *         process with SIGSEGV (Linux bprm_execve after the point of no
 *         return).
 *
 * **Locking**: the caller's writer lock on @p vs; allocates and frees one
 * buffer. **Linux**: load_elf_binary() from "brk handling" to
 * create_elf_tables() and finalize_exec().
 */
int pm_exec_vm_finish(struct pm_exec_vm *ev, const struct pm_exec_image *img,
                      const struct pm_arch_hwinfo *hw, const uint8_t *random);

/** @} */

/* ======================================================================== */
/** @name Credential hooks over the cred module
 * @{
 */

/**
 * A ready-made struct pm_exec_hooks over the credential module: the new
 * credentials and AT_SECURE come from pm_cred_exec_prepare_file() (set-id
 * bits, file capabilities, Linux's secureexec rules), are committed with
 * pm_cred_exec_commit() at the point of no return or released with
 * pm_cred_exec_abort() when exec fails before it. The signal reset stays a
 * seam the caller fills. One per exec in flight; caller-owned.
 */
struct pm_exec_cred_hooks {
	/** Pass &this->hooks as pm_exec_params::hooks. */
	struct pm_exec_hooks hooks;
	/** @name Inputs (set by pm_exec_cred_hooks_init())
	 * @{ */
	struct pm_cred_slot *slot;        /**< the exec'ing thread's credentials */
	struct pm_rlimits *rlim;          /**< its process's limits, or NULL */
	unsigned int unsafe;              /**< PM_EXEC_UNSAFE_* bits */
	const struct pm_cred *ptracer;    /**< tracer's credentials, or NULL */
	void (*signals_reset)(void *ctx); /**< flush_signal_handlers seam, or NULL */
	void *signals_ctx;                /**< passed to @c signals_reset */
	/** @} */
	/** @name State and results
	 * @{ */
	struct pm_exec_creds ec; /**< prepared, not yet committed or aborted */
	bool prepared;           /**< @c ec holds credentials */
	bool committed;          /**< the exec passed its point of no return */
	bool secureexec;         /**< AT_SECURE of the committed exec */
	/** Clear PER_CLEAR_ON_SETID personality bits (a set-id exec). */
	bool per_clear;
	/** @} */
};

/**
 * @brief Fill @p h so that pm_exec_prepare(), pm_exec_point_of_no_return()
 *        and pm_exec_release() handle credentials as Linux's execve does.
 *
 * creds_prepare runs pm_cred_exec_prepare_file() on the final binary (the
 * interpreter of a `#!` script) against @p slot's current credentials and
 * reports AT_UID, AT_EUID, AT_GID and AT_EGID as the new credentials' ids
 * mapped into their user namespace (from_kuid_munged); creds_commit runs
 * pm_cred_exec_commit() on @p slot, then pm_rlimits_exec_secure() on
 * @p rlim for a secure exec; creds_abort runs pm_cred_exec_abort(). The
 * commit's PM_CRED_EFFECT_* bits stay in the slot for the table
 * (pm_cred_slot_take_effects()). Call pm_cred_exec_nproc_check() yourself
 * before pm_exec_prepare(), as Linux checks RLIMIT_NPROC first.
 *
 * @param h              the hooks to fill (every field written).
 * @param slot           the calling thread's slot.
 * @param rlim           the calling process's limits, or NULL.
 * @param unsafe         PM_EXEC_UNSAFE_* bits (shared fs_struct).
 * @param ptracer        credentials of the tracer, or NULL.
 * @param signals_reset  the signal module's flush_signal_handlers(), or NULL.
 * @param signals_ctx    passed to @p signals_reset.
 *
 * **Locking**: none; the hooks take the credential module's locks.
 * **Linux**: fs/exec.c bprm_creds_from_file(), begin_new_exec(),
 * free_bprm().
 */
void pm_exec_cred_hooks_init(struct pm_exec_cred_hooks *h, struct pm_cred_slot *slot,
                             struct pm_rlimits *rlim, unsigned int unsafe,
                             const struct pm_cred *ptracer, void (*signals_reset)(void *ctx),
                             void *signals_ctx);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_EXEC_VM_H */
