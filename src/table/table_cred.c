/* SPDX-License-Identifier: MIT */
/*
 * Credentials and limits inside the table (table_cred.h): accessors, the
 * side effects of commit_creds (kernel/cred.c), the pid lookups of
 * capget (kernel/capability.c) and prlimit64 (kernel/sys.c), and the
 * dumpable mode (kernel/sys.c prctl, fs/exec.c).
 */
#include "table/table_cred.h"
#include "table/table_internal.h"
#include "procmgr/cred_check.h"

struct pm_cred_slot *pm_thread_cred(struct pm_thread *t)
{
	return &t->cred;
}

struct pm_rlimits *pm_process_rlimits(struct pm_process *p)
{
	return &p->rlim;
}

struct pm_thread *pm_process_leader_locked(const struct pm_process *p)
{
	return p->leader;
}

pm_uid_t table_cred_uid_(struct pm_thread *t, const struct pm_thread *viewer)
{
	const struct pm_cred *c = pm_cred_slot_get(&t->cred);
	const struct pm_cred *v = pm_cred_slot_current(&viewer->cred);
	pm_uid_t uid = pm_userns_from_kuid_munged(v->user_ns, c->uid);

	pm_cred_put(c);
	return uid;
}

void table_set_dumpable_(struct pm_process *p, uint8_t mode)
{
	struct pm_list *pos;

	p->dumpable = mode;
	pm_list_for_each (pos, &p->vm_peers)
		pm_list_entry(pos, struct pm_process, vm_peers)->dumpable = mode;
}

void table_cred_effects_(struct pm_thread *t)
{
	uint32_t e = pm_cred_slot_take_effects(&t->cred);

	if (e & PM_CRED_EFFECT_NONDUMPABLE)
		table_set_dumpable_(t->process, PM_SUID_DUMP_DISABLE);
	if (e & PM_CRED_EFFECT_CLEAR_PDEATH)
		t->pdeath_signal = 0;
}

void pm_thread_cred_changed(struct pm_thread *self)
{
	struct pm_table *t = self->process->table;

	tlock(t);
	table_cred_effects_(self);
	tunlock(t);
}

/* find_task_by_vpid, or the caller for 0. */
static struct pm_thread *lookup_locked(struct pm_thread *self, pm_pid_t tid)
{
	struct pm_thread *th;

	if (tid == 0)
		return self;
	if (tid < 0)
		return NULL;
	th = pm_find_thread_locked(thread_ns_(self), tid);
	/* A released thread is gone; a zombie leader is still found (pid_task). */
	return th && th->exit_state != PM_EXIT_DEAD ? th : NULL;
}

int pm_thread_cred_find(struct pm_thread *self, pm_pid_t tid, const struct pm_cred **out)
{
	struct pm_table *t = self->process->table;
	struct pm_thread *th;
	int err = 0;

	tlock(t);
	th = (self->flags & PM_TF_EXITING) ? NULL : lookup_locked(self, tid);
	if (th)
		*out = pm_cred_slot_get(&th->cred);
	else
		err = -PM_ESRCH;
	tunlock(t);
	return err;
}

int pm_prlimit(struct pm_thread *self, pm_pid_t pid, unsigned int resource,
               const struct pm_rlimit *new_rlim, struct pm_rlimit *old_rlim)
{
	struct pm_table *t = self->process->table;
	const struct pm_cred *mine = pm_cred_slot_current(&self->cred);
	struct pm_thread *th;
	int err;

	tlock(t);
	th = (self->flags & PM_TF_EXITING) ? NULL : lookup_locked(self, pid);
	if (!th) {
		err = -PM_ESRCH;
	} else {
		const struct pm_cred *tc = pm_cred_slot_get(&th->cred);

		err = pm_rlimit_prlimit(&th->process->rlim, mine, tc, th == self, resource,
		                        new_rlim, old_rlim);
		pm_cred_put(tc);
	}
	tunlock(t);
	return err;
}

int pm_get_dumpable(struct pm_thread *self)
{
	struct pm_table *t = self->process->table;
	int mode;

	tlock(t);
	mode = self->process->dumpable;
	tunlock(t);
	return mode;
}

int pm_set_dumpable(struct pm_thread *self, unsigned long mode)
{
	struct pm_table *t = self->process->table;

	if (mode != PM_SUID_DUMP_DISABLE && mode != PM_SUID_DUMP_USER)
		return -PM_EINVAL;
	tlock(t);
	table_set_dumpable_(self->process, (uint8_t)mode);
	tunlock(t);
	return 0;
}
