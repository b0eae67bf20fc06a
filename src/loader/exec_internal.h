/* SPDX-License-Identifier: MIT */
/* Internals shared by exec.c and exec_args.c. */
#ifndef PM_SRC_LOADER_EXEC_INTERNAL_H
#define PM_SRC_LOADER_EXEC_INTERNAL_H

#include "procmgr/exec.h"

/*
 * count() argv and envp, bprm_stack_limits(), then copy the filename, the
 * envp strings and the argv strings (fs/exec.c:do_execveat_common) into
 * ex->strings, with "" for an empty argv. 0 or -EFAULT, -E2BIG, -ENOMEM.
 */
int exec_args_copy_(struct pm_exec *ex, const char *filename, pm_uaddr_t argv, pm_uaddr_t envp);

/* copy_string_kernel(): push a kernel string below argv[0]. 0 or -E2BIG. */
int exec_push_(struct pm_exec *ex, const char *s);

/* remove_arg_zero(): drop argv[0]. */
void exec_remove_arg0_(struct pm_exec *ex);

/* Unmap every range pm_elf_apply() mapped for plan (elf_apply.c). */
void elf_unmap_all_(const struct pm_elf_plan *plan, const struct pm_elf_mapper *mapper);

#endif /* PM_SRC_LOADER_EXEC_INTERNAL_H */
