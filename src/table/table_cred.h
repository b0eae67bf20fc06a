/* SPDX-License-Identifier: MIT */
/*
 * The process table's seam to the credential module (src/cred).
 *
 * The table keeps no credentials: a thread carries only the real uid it
 * was created with (pm_thread.uid), the key of RLIMIT_NPROC accounting and
 * the si_uid of wait results. Until the credential module lands, the
 * functions below implement a world where every task is root in the
 * initial user namespace: no limit applies and every capability is held.
 *
 * What the credential module takes over (and must keep the signatures of,
 * or change the three callers in clone.c and exit.c):
 *  - table_cred_nproc_charge_(): copy_creds' inc_rlimit_ucounts on the
 *    child's (uid, user namespace) and copy_process's is_rlimit_overlimit
 *    against the creator's RLIMIT_NPROC soft limit, with the INIT_USER,
 *    CAP_SYS_RESOURCE and CAP_SYS_ADMIN exemptions (kernel/fork.c). Called
 *    once per new task (threads included), PM_LOCK_TABLE held, before any
 *    pid is allocated; -PM_EAGAIN refuses the task and charges nothing.
 *  - table_cred_nproc_uncharge_(): dec_rlimit_ucounts in release_task,
 *    once per task, PM_LOCK_TABLE held.
 *  - table_cred_ns_admin_(): ns_capable(user ns, CAP_SYS_ADMIN) for
 *    CLONE_NEW* in copy_namespaces and unshare_nsproxy_namespaces, with
 *    the new user namespace counting when CLONE_NEWUSER is in the flags.
 *  - the per-thread credential pointer replaces pm_thread.uid; si_uid is
 *    then the child's real uid mapped into the waiter's user namespace.
 */
#ifndef PM_SRC_TABLE_CRED_H
#define PM_SRC_TABLE_CRED_H

#include <stdbool.h>
#include <stdint.h>

#include "procmgr/table.h"

/* Charge one new task of real uid `uid`, created by `creator` (NULL for
 * global init). 0 or -PM_EAGAIN. */
int table_cred_nproc_charge_(struct pm_table *t, struct pm_thread *creator, pm_uid_t uid);

/* A task of real uid `uid` was released. */
void table_cred_nproc_uncharge_(struct pm_table *t, pm_uid_t uid);

/* May `creator` create the namespaces named in `flags` (CLONE_NEW*)? */
bool table_cred_ns_admin_(struct pm_thread *creator, uint64_t flags);

#endif /* PM_SRC_TABLE_CRED_H */
