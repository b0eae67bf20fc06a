/* SPDX-License-Identifier: MIT */
/*
 * Interim credential seam (see table_cred.h): every task is root of the
 * initial user namespace, so RLIMIT_NPROC never refuses (INIT_USER is
 * exempt in Linux) and CAP_SYS_ADMIN is always held. The table still
 * counts charges so that pm_table_check() can prove every charge is
 * released exactly once.
 */
#include "table/table_cred.h"
#include "table/table_internal.h"

int table_cred_nproc_charge_(struct pm_table *t, struct pm_thread *creator, pm_uid_t uid)
{
	(void)creator;
	(void)uid;
	t->nproc_charged++;
	return 0;
}

void table_cred_nproc_uncharge_(struct pm_table *t, pm_uid_t uid)
{
	(void)uid;
	PM_ASSERT(t->nproc_charged > 0);
	t->nproc_charged--;
}

bool table_cred_ns_admin_(struct pm_thread *creator, uint64_t flags)
{
	(void)creator;
	(void)flags;
	return true;
}
