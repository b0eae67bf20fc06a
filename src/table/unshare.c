/* SPDX-License-Identifier: MIT */
/*
 * unshare(2), the part the process table owns (Linux kernel/fork.c:
 * ksys_unshare, check_unshare_flags; kernel/user_namespace.c:
 * unshare_userns; kernel/nsproxy.c: unshare_nsproxy_namespaces;
 * kernel/pid_namespace.c: copy_pid_ns).
 */
#include "table/table_internal.h"
#include "table/table_cred.h"

#define UNSHARE_KNOWN                                                                              \
	(PM_CLONE_THREAD | PM_CLONE_FS | PM_CLONE_NEWNS | PM_CLONE_SIGHAND | PM_CLONE_VM |         \
	 PM_CLONE_FILES | PM_CLONE_SYSVSEM | PM_CLONE_NEWUTS | PM_CLONE_NEWIPC | PM_CLONE_NEWNET | \
	 PM_CLONE_NEWUSER | PM_CLONE_NEWPID | PM_CLONE_NEWCGROUP | PM_CLONE_NEWTIME)
#define UNSHARE_NS                                                                                \
	(PM_CLONE_NEWNS | PM_CLONE_NEWUTS | PM_CLONE_NEWIPC | PM_CLONE_NEWNET | PM_CLONE_NEWPID | \
	 PM_CLONE_NEWCGROUP | PM_CLONE_NEWTIME)

/* The flags ksys_unshare implies before checking. */
static uint64_t implied(uint64_t f)
{
	if (f & PM_CLONE_NEWUSER)
		f |= PM_CLONE_THREAD | PM_CLONE_FS;
	if (f & PM_CLONE_VM)
		f |= PM_CLONE_SIGHAND;
	if (f & PM_CLONE_SIGHAND)
		f |= PM_CLONE_THREAD;
	if (f & PM_CLONE_NEWNS)
		f |= PM_CLONE_FS;
	return f;
}

/* check_unshare_flags: the "unsharing" of what is not shared only. */
static int check_flags(const struct pm_thread *self, uint64_t f)
{
	const struct pm_process *p = self->process;

	if (f & ~UNSHARE_KNOWN)
		return -PM_EINVAL;
	if ((f & (PM_CLONE_THREAD | PM_CLONE_SIGHAND | PM_CLONE_VM)) && !group_empty_(p))
		return -PM_EINVAL;
	if ((f & (PM_CLONE_SIGHAND | PM_CLONE_VM)) && !pm_list_empty(&p->sighand_peers))
		return -PM_EINVAL;
	if ((f & PM_CLONE_VM) && !pm_list_empty(&p->vm_peers))
		return -PM_EINVAL;
	return 0;
}

/* What was allocated before the lock. */
struct unshare_prep {
	struct pm_pidns *newns; /* for PM_CLONE_NEWPID */
	struct pm_cred *cred;   /* for PM_CLONE_NEWUSER, prepared */
	int cred_err;           /* pm_cred_prepare_userns()'s error */
};

static int unshare_locked(struct pm_thread *self, uint64_t f, struct unshare_prep *pr)
{
	const struct pm_cred *mine = pm_cred_slot_current(&self->cred);
	struct pm_pidns **newns = &pr->newns;
	int err;

	if (self->flags & PM_TF_EXITING)
		return -PM_ESRCH;
	err = check_flags(self, f);
	if (err)
		return err;
	/* unshare_userns comes before the other namespaces, which are then
	 * checked against the new user namespace (its owner holds every
	 * capability in it). */
	if (pr->cred_err)
		return pr->cred_err;
	if (!(f & UNSHARE_NS))
		return 0;
	if (!pm_cred_ns_capable(mine, pr->cred ? pr->cred->user_ns : mine->user_ns,
	                        PM_CAP_SYS_ADMIN))
		return -PM_EPERM;
	if (!(f & PM_CLONE_NEWPID))
		return 0;
	/* copy_pid_ns: one new namespace per fork of the creator. */
	if (thread_ns_(self) != self->pidns_for_children)
		return -PM_EINVAL;
	if (!*newns)
		return -PM_ENOMEM;
	err = pidns_setup_(*newns, self->pidns_for_children);
	if (err)
		return err;
	pidns_put_locked_(self->pidns_for_children);
	self->pidns_for_children = *newns;
	*newns = NULL;
	return 0;
}

int pm_unshare(struct pm_thread *self, uint64_t flags, bool chrooted)
{
	struct unshare_prep pr = {NULL, NULL, 0};
	struct pm_table *t;
	uint64_t f = implied(flags);
	int err;

	if (!self)
		return -PM_EINVAL;
	t = self->process->table;
	/* Allocated first; a failure is reported where Linux's would be. */
	if ((f & PM_CLONE_NEWPID) && !(f & ~UNSHARE_KNOWN))
		pr.newns = pidns_alloc_();
	if ((f & PM_CLONE_NEWUSER) && !(f & ~UNSHARE_KNOWN) && self->cred.cred)
		pr.cred_err = pm_cred_prepare_userns(pm_cred_slot_current(&self->cred),
		                                     &self->process->rlim, chrooted, &pr.cred);
	tlock(t);
	err = unshare_locked(self, f, &pr);
	if (!err && pr.cred) {
		/* Install the new user namespace (commit_creds moves the
		 * RLIMIT_NPROC charge to the new namespace's user). */
		pm_cred_commit(&self->cred, pr.cred);
		pr.cred = NULL;
		table_cred_effects_(self);
	}
	tunlock(t);
	if (pr.newns)
		pidns_free_unused_(pr.newns);
	if (pr.cred)
		pm_cred_abort(pr.cred);
	return err;
}
