/* SPDX-License-Identifier: MIT */
/*
 * The process table's use of the credential module (src/cred): each
 * thread embeds a struct pm_cred_slot, each process a struct pm_rlimits,
 * the table a struct pm_userns (the initial user namespace).
 *
 * Where the table calls the module (Linux's places in brackets):
 *  - clone.c: pm_cred_init_root + pm_cred_slot_init for global init;
 *    pm_cred_clone for every other task, before the table lock, its error
 *    reported after the flag checks as copy_process does [copy_creds and
 *    the RLIMIT_NPROC check]; pm_cred_ns_capable over the child's user
 *    namespace for CLONE_NEW* [copy_namespaces]; pm_rlimits_copy for a new
 *    process [copy_signal].
 *  - unshare.c: pm_cred_prepare_userns then pm_cred_commit [unshare_userns,
 *    ksys_unshare].
 *  - exit.c: pm_cred_release (RLIMIT_NPROC uncharge) and
 *    pm_cred_slot_destroy when a thread is released [release_task,
 *    put_cred]; pm_rlimits_destroy when a process is.
 *  - wait.c: si_uid through table_cred_uid_() [from_kuid_munged].
 *  - table_cred.c: the public accessors, commit side effects, prlimit and
 *    capget lookups, dumpable.
 */
#ifndef PM_SRC_TABLE_CRED_H
#define PM_SRC_TABLE_CRED_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/table.h"

/* The real uid of t's credentials as viewer's user namespace sees it
 * (65534 when unmapped). PM_LOCK_TABLE held; takes t's slot lock. */
pm_uid_t table_cred_uid_(struct pm_thread *t, const struct pm_thread *viewer);

/* Set the dumpable mode of p's address space (p and every process sharing
 * it through CLONE_VM). PM_LOCK_TABLE held. */
void table_set_dumpable_(struct pm_process *p, uint8_t mode);

/* Apply the PM_CRED_EFFECT_* bits t's commits accumulated. PM_LOCK_TABLE held. */
void table_cred_effects_(struct pm_thread *t);

#endif /* PM_SRC_TABLE_CRED_H */
