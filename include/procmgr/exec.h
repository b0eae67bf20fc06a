/* SPDX-License-Identifier: MIT */
/**
 * @file exec.h
 * @brief Exec preparation: argv/envp, `#!` chains, ELF and interpreter
 *        plans, the point of no return, loading (fs/exec.c).
 *
 * An exec is a transaction, in three calls:
 *
 *  1. pm_exec_prepare(): everything Linux's execve does before its point of
 *     no return: copy argv/envp from user memory with the E2BIG/EFAULT
 *     rules, resolve `#!` scripts (at most 5 nested rewrites, then ELOOP),
 *     validate and plan the program and its ELF interpreter, and ask the
 *     credential module for the new credentials and AT_SECURE. Any failure
 *     returns Linux's errno and leaves the calling process untouched.
 *  2. pm_exec_point_of_no_return(): from here on failures are fatal (the
 *     kernel kills the process with SIGSEGV, Linux force_fatal_sig). It
 *     resets handled signal dispositions and commits the credentials
 *     through the seams below. The kernel kills other threads, switches to
 *     the new address space, and creates the stack (VM module) around it.
 *  3. pm_exec_load(): maps the program and interpreter into the new address
 *     space and returns everything the stack builder needs (struct
 *     pm_exec_image). pm_exec_release() then frees the exec state.
 *
 * The credential and signal modules are separate; exec reaches them only
 * through struct pm_exec_hooks, which the kernel fills with their
 * functions.
 *
 * @ingroup pm_loader
 */
#ifndef PROCMGR_EXEC_H
#define PROCMGR_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/hal.h"
#include "procmgr/loader.h"
#include "procmgr/rlimit.h"
#include "procmgr/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_loader
 * @{
 */

/** Longest argument or environment string, NUL included (MAX_ARG_STRLEN). */
#define PM_MAX_ARG_STRLEN  131072u
/** Most argv (or envp) entries (MAX_ARG_STRINGS). */
#define PM_MAX_ARG_STRINGS 0x7fffffffu
/** Strings always allowed whatever the stack limit (ARG_MAX). */
#define PM_ARG_MAX         131072u
/** Deepest binfmt rewrite chain: a 6th `#!` level fails with -PM_ELOOP
 *  (fs/exec.c:exec_binprm, "depth > 5"). */
#define PM_EXEC_MAX_DEPTH  5u

/** New credentials for the program, from the credential module. */
struct pm_exec_newcred {
	struct pm_cred *cred; /**< the prepared credentials (opaque to exec) */
	bool secureexec;      /**< AT_SECURE (bprm->secureexec) */
	pm_uid_t uid;         /**< AT_UID: real uid, in the task's user namespace */
	pm_uid_t euid;        /**< AT_EUID */
	pm_gid_t gid;         /**< AT_GID */
	pm_gid_t egid;        /**< AT_EGID */
};

/**
 * The seams through which exec reaches the credential and signal modules.
 * Every callback is optional; @c ctx is the kernel's (for example its task).
 * None is called with a procmgr lock held.
 */
struct pm_exec_hooks {
	void *ctx; /**< passed to every callback */
	/**
	 * Compute the credentials the program will run with and AT_SECURE, for
	 * the final binary @p file (after `#!` rewrites; Linux
	 * fs/exec.c:bprm_creds_from_file: bprm_fill_uid() for set-user/group-ID
	 * bits unless the mount is nosuid, then the capability rules of
	 * security/commoncap.c:cap_bprm_creds_from_file with the file's
	 * capabilities). Called last in pm_exec_prepare(), before the point of
	 * no return. Return 0 and fill @p out, or a negative errno, which
	 * pm_exec_prepare() returns. Not set: the credentials do not change
	 * and @p out stays zeroed (AT_SECURE 0; the kernel supplies AT_UID..).
	 */
	int (*creds_prepare)(void *ctx, struct pm_hal_file *file, const struct pm_file_attr *attr,
	                     struct pm_exec_newcred *out);
	/** Drop credentials from creds_prepare when exec fails before the
	 *  point of no return (Linux abort_creds). */
	void (*creds_abort)(void *ctx, struct pm_exec_newcred *creds);
	/** Install them at the point of no return (Linux commit_creds). */
	void (*creds_commit)(void *ctx, struct pm_exec_newcred *creds);
	/** At the point of no return: every handled signal disposition becomes
	 *  SIG_DFL, ignored ones stay ignored, sa_flags/sa_mask/restorer are
	 *  cleared (kernel/signal.c:flush_signal_handlers(t, 0)). */
	void (*signals_reset)(void *ctx);
};

/** What pm_exec_prepare() needs to know about the execve call. */
struct pm_exec_params {
	const struct pm_arch_desc *arch;     /**< the new image's architecture */
	const struct pm_arch_layout *layout; /**< NULL: arch->layouts[0] */
	/** bprm->filename: the path as given to execve (or the /dev/fd/N form
	 *  for execveat), already copied to kernel memory; becomes AT_EXECFN
	 *  and the script path of a `#!` rewrite. */
	const char *filename;
	/** The file to execute, already opened (execveat), or NULL: opened
	 *  with pm_hal_file_open_exec(@c filename). Exec takes its own
	 *  reference; the caller keeps its own. */
	struct pm_hal_file *file;
	pm_uaddr_t argv; /**< user address of argv[] (0: none, as NULL) */
	pm_uaddr_t envp; /**< user address of envp[] (0: none) */
	/** RLIMIT_STACK soft limit in bytes (UINT64_MAX: unlimited). */
	uint64_t rlim_stack_cur;
	unsigned int elf_flags;     /**< PM_ELF_RANDOMIZE, PM_ELF_GNU_PROPERTY_STRICT */
	unsigned int mmap_rnd_bits; /**< 0: the layout's default */
	/** BINPRM_FLAGS_PATH_INACCESSIBLE: the name came from an O_CLOEXEC fd,
	 *  so a `#!` script fails with -PM_ENOENT. */
	bool path_inaccessible;
	const struct pm_exec_hooks *hooks; /**< seams, or NULL */
};

/**
 * Exec state (Linux's struct linux_binprm). Caller-owned and large (two
 * plans, the interpreter path): allocate it, do not put it on a small
 * stack. Fields are read-only to the caller; pm_exec_image gives the
 * results.
 */
struct pm_exec {
	/** @name Parameters
	 * @{ */
	const struct pm_arch_desc *arch;     /**< architecture */
	const struct pm_arch_layout *layout; /**< paging mode */
	unsigned int elf_flags;              /**< PM_ELF_* */
	unsigned int mmap_rnd_bits;          /**< 0: default */
	uint64_t rlim_stack_cur;             /**< RLIMIT_STACK at exec */
	bool path_inaccessible;              /**< see pm_exec_params */
	const struct pm_exec_hooks *hooks;   /**< seams, or NULL */
	/** @} */
	/** @name Strings (argv, envp, filename) as they go on the new stack
	 * @{ */
	char *strings;       /**< allocation holding them at its top */
	size_t strings_size; /**< its size in bytes */
	size_t p;            /**< offset of the lowest string (argv[0]) */
	size_t env_off;      /**< offset of envp[0]'s string */
	size_t execfn_off;   /**< offset of the filename (AT_EXECFN) */
	size_t limit;        /**< bytes all strings may take (bprm_stack_limits) */
	uint32_t argc;       /**< argv entries (at least 1) */
	uint32_t envc;       /**< envp entries */
	/** @} */
	/** @name Files and formats
	 * @{ */
	struct pm_hal_file *file;        /**< the program (bprm->file) */
	struct pm_hal_file *interp_file; /**< its ELF interpreter, or NULL */
	unsigned int depth;              /**< `#!` rewrites so far */
	/** bprm->interp: the name a `#!` rewrite passes as the script path
	 *  (the filename at first, then each interpreter's name) */
	char interp_name[PM_BINPRM_BUF_SIZE];
	bool interp_is_filename;             /**< interp_name not used yet */
	char buf[PM_BINPRM_BUF_SIZE];        /**< the file's first bytes (bprm->buf) */
	char interp_path[PM_ELF_INTERP_MAX]; /**< PT_INTERP path */
	struct pm_elf_plan main;             /**< the program's plan */
	struct pm_elf_plan interp;           /**< the interpreter's (if interp_file) */
	/** @} */
	/** @name Credentials and progress
	 * @{ */
	struct pm_exec_newcred creds; /**< from pm_exec_hooks::creds_prepare */
	bool have_creds;              /**< creds must be committed or aborted */
	bool prepared;                /**< pm_exec_prepare() succeeded */
	bool ponr;                    /**< past the point of no return */
	                              /** @} */
};

/** Everything the new image's stack and registers need (VM stack builder). */
struct pm_exec_image {
	/** @name The strings block: argv strings, envp strings, then the
	 *  filename, contiguous and NUL-terminated, exactly as Linux leaves them
	 *  just below the stack's top 8 zero bytes.
	 * @{ */
	const char *strings; /**< first byte (argv[0]'s string) */
	size_t strings_len;  /**< bytes, the last NUL included */
	size_t
	    envp_offset; /**< offset of envp[0]'s string (== strings_len - filename's when envc == 0) */
	size_t execfn_offset; /**< offset of the filename (AT_EXECFN) */
	uint32_t argc;        /**< argv entries (>= 1: an empty argv gets "") */
	uint32_t envc;        /**< envp entries */
	/** @} */
	/** @name Auxiliary vector values
	 * @{ */
	pm_uaddr_t at_phdr;  /**< AT_PHDR */
	uint64_t at_phent;   /**< AT_PHENT (56) */
	uint64_t at_phnum;   /**< AT_PHNUM */
	pm_uaddr_t at_base;  /**< AT_BASE: interpreter load address, 0 without one */
	pm_uaddr_t at_entry; /**< AT_ENTRY: the program's entry */
	bool secure;         /**< AT_SECURE */
	pm_uid_t uid;        /**< AT_UID (from the credential hook) */
	pm_uid_t euid;       /**< AT_EUID */
	pm_gid_t gid;        /**< AT_GID */
	pm_gid_t egid;       /**< AT_EGID */
	/** @} */
	/** @name Registers and memory layout
	 * @{ */
	pm_uaddr_t entry;               /**< first user pc: interpreter entry, else AT_ENTRY */
	pm_uaddr_t brk_start;           /**< mm->start_brk before randomisation */
	bool brk_moved;                 /**< static-pie brk at ELF_ET_DYN_BASE (no guard page) */
	pm_uaddr_t start_code;          /**< mm->start_code */
	pm_uaddr_t end_code;            /**< mm->end_code */
	pm_uaddr_t start_data;          /**< mm->start_data */
	pm_uaddr_t end_data;            /**< mm->end_data */
	enum pm_elf_exstack exec_stack; /**< the program's PT_GNU_STACK request */
	/** GNU property x86 feature bits of the interpreter if there is one,
	 *  else of the program (PM_GNU_PROPERTY_X86_*) */
	uint32_t x86_feature_1;
	/** RLIMIT_STACK for the new layout: capped at PM_STK_LIM by a secure
	 *  exec (begin_new_exec), else unchanged */
	uint64_t rlim_stack_cur;
	/** @} */
};

/**
 * @brief Do everything execve does before its point of no return.
 *
 * In Linux's order (fs/exec.c:do_execveat_common, bprm_execve,
 * exec_binprm, fs/binfmt_script.c, fs/binfmt_elf.c):
 *  1. open @p params->filename with pm_hal_file_open_exec() unless a file
 *     is given;
 *  2. count argv then envp (a NULL array is empty), reading each pointer
 *     from user memory; compute the string budget: min(6 MiB,
 *     RLIMIT_STACK / 4), at least ARG_MAX (128 KiB), minus 8 bytes per
 *     argv/envp pointer (argc counted as at least 1);
 *  3. copy the filename, the envp strings (last first) and the argv
 *     strings (last first) to a kernel buffer, each at most
 *     PM_MAX_ARG_STRLEN bytes with its NUL, all within the budget; an empty
 *     argv gets "" as argv[0];
 *  4. up to PM_EXEC_MAX_DEPTH + 1 format passes: read the first
 *     PM_BINPRM_BUF_SIZE bytes; a `#!` script (pm_shebang_parse()) drops
 *     argv[0], pushes the script path, the optional argument and the
 *     interpreter name, and continues with the interpreter file; an ELF is
 *     planned (pm_elf_plan()), its PT_INTERP path read and opened, and the
 *     interpreter planned (pm_elf_plan_interp()); anything else is
 *     -PM_ENOEXEC;
 *  5. call pm_exec_hooks::creds_prepare for the final file.
 *
 * @param ex      exec state to fill (its previous contents are ignored).
 * @param params  the call's parameters.
 * @return 0 (then call pm_exec_point_of_no_return() or pm_exec_release());
 *         on failure @p ex holds nothing and the caller's state is
 *         untouched:
 *         - pm_hal_file_open_exec() errors (-PM_ENOENT, -PM_EACCES,
 *           -PM_ETXTBSY, ...) for the program, a `#!` interpreter or a
 *           PT_INTERP path;
 *         - -PM_EFAULT: an argv/envp pointer or string is not readable;
 *         - -PM_E2BIG: more than PM_MAX_ARG_STRINGS entries, a string longer
 *           than PM_MAX_ARG_STRLEN, or the strings (with `#!` additions)
 *           over the budget;
 *         - -PM_ENOEXEC: neither ELF nor `#!`, or any pm_elf_plan() /
 *           pm_shebang_parse() refusal;
 *         - -PM_ELIBBAD, -PM_EIO, -PM_EINVAL from pm_elf_plan_interp() and
 *           PT_INTERP reads; a file read error;
 *         - -PM_ELOOP: a 6th `#!` rewrite;
 *         - -PM_ENOENT: a `#!` script when @c path_inaccessible;
 *         - the creds_prepare hook's error;
 *         - -PM_ENOMEM: an allocation failed;
 *         - -PM_EINVAL: NULL or inconsistent @p ex / @p params.
 *
 * Context: no procmgr lock held; may sleep (user copies, file reads). The
 * caller's current address space holds argv/envp.
 */
int pm_exec_prepare(struct pm_exec *ex, const struct pm_exec_params *params);

/**
 * @brief Cross the point of no return (fs/exec.c:begin_new_exec): reset
 *        handled signal dispositions, then commit the new credentials,
 *        through the hooks.
 *
 * @param ex  state from a successful pm_exec_prepare().
 * @return 0, or -PM_EINVAL if @p ex is not prepared or already past it.
 *
 * After this, every failure of the exec is fatal to the process (SIGSEGV),
 * as in Linux. Context: no procmgr lock held (the hooks take theirs).
 */
int pm_exec_point_of_no_return(struct pm_exec *ex);

/**
 * @brief Map the program and its interpreter into the new address space and
 *        describe the image (the mapping part of load_elf_binary).
 *
 * The program is applied first (pm_elf_apply()), then the interpreter,
 * whose free-range search therefore sees the program's mappings, as in
 * Linux. If the interpreter fails, the program's mappings are removed too.
 *
 * @param ex      state past pm_exec_point_of_no_return().
 * @param mapper  the new address space's mapper (find_free is needed for a
 *                static-pie program or an ET_DYN interpreter).
 * @param out     receives the image description; its strings point into
 *                @p ex and stay valid until pm_exec_release().
 * @return 0, or the error Linux hits after its point of no return (a plan's
 *         load_error, -PM_EEXIST/-PM_ENOMEM from the mapper, -PM_EFAULT);
 *         the kernel then kills the process with SIGSEGV. -PM_EINVAL if
 *         @p ex is not past the point of no return.
 *
 * Context: as pm_elf_apply().
 */
int pm_exec_load(struct pm_exec *ex, const struct pm_elf_mapper *mapper, struct pm_exec_image *out);

/**
 * @brief Free the exec state: strings, plans, file references; credentials
 *        prepared but not committed are aborted through the hook.
 *
 * @param ex  any exec state, even a zeroed one; safe to call twice.
 *
 * Context: no procmgr lock held.
 */
void pm_exec_release(struct pm_exec *ex);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_EXEC_H */
