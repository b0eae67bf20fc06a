/* SPDX-License-Identifier: MIT */
/*
 * Permission checks other modules ask: file DAC (fs/namei.c
 * generic_permission, acl_permission_check; fs/open.c
 * access_override_creds), signals (kernel/signal.c kill_ok_by_cred,
 * check_kill_permission), ptrace-style comparison (kernel/ptrace.c
 * __ptrace_may_access, security/commoncap.c cap_ptrace_access_check) and
 * prlimit (kernel/sys.c check_prlimit_permission). All pure and lock-free.
 */
#include "cred/cred_internal.h"

#include "hal/pm_string.h"

/* Highest signal number (_NSIG). */
#define SIG_MAX 64
#define SIGCONT 18

/* acl_permission_check without ACLs. */
static int dac_check(const struct pm_cred *c, const struct pm_file_attr *a, unsigned int mask)
{
	uint32_t mode = a->mode;

	mask &= 7;
	/* Everybody has the requested rights: no need to know who we are. */
	if (!((mask * 0111u) & ~mode))
		return 0;
	if (a->uid == c->fsuid) {
		mode >>= 6;
		return (mask & ~mode) ? -PM_EACCES : 0;
	}
	/* Group class only matters when it differs from other in the bits asked. */
	if ((mask & (mode ^ (mode >> 3))) && pm_cred_in_group_p(c, a->gid))
		mode >>= 3;
	return (mask & ~mode) ? -PM_EACCES : 0;
}

/* capable_wrt_inode_uidgid: the capability in our own namespace, and the inode's ids mapped. */
static bool capable_wrt_inode(const struct pm_cred *c, const struct pm_file_attr *a,
                              unsigned int cap)
{
	return pm_cred_ns_capable(c, c->user_ns, cap) &&
	       pm_userns_kuid_has_mapping(c->user_ns, a->uid) &&
	       pm_userns_kgid_has_mapping(c->user_ns, a->gid);
}

int pm_cred_generic_permission(const struct pm_cred *cred, const struct pm_file_attr *attr,
                               unsigned int mask)
{
	if (dac_check(cred, attr, mask) == 0)
		return 0;
	if ((attr->mode & PM_S_IFMT) == PM_S_IFDIR) {
		/* Directories: DAC is always overridable. */
		if (!(mask & PM_MAY_WRITE) && capable_wrt_inode(cred, attr, PM_CAP_DAC_READ_SEARCH))
			return 0;
		if (capable_wrt_inode(cred, attr, PM_CAP_DAC_OVERRIDE))
			return 0;
		return -PM_EACCES;
	}
	mask &= PM_MAY_READ | PM_MAY_WRITE | PM_MAY_EXEC;
	if (mask == PM_MAY_READ && capable_wrt_inode(cred, attr, PM_CAP_DAC_READ_SEARCH))
		return 0;
	/* Execute is overridable only when some execute bit is set. */
	if ((!(mask & PM_MAY_EXEC) || (attr->mode & (PM_S_IXUSR | PM_S_IXGRP | PM_S_IXOTH))) &&
	    capable_wrt_inode(cred, attr, PM_CAP_DAC_OVERRIDE))
		return 0;
	return -PM_EACCES;
}

const struct pm_cred *pm_cred_access_creds(const struct pm_cred *cred, struct pm_cred *tmp)
{
	pm_kernel_cap_t eff = cred->cap_effective;

	if (!pm_cred_issecure_(cred, PM_SECURE_NO_SETUID_FIXUP)) {
		/* Clear the capabilities if we switch to a non-root user. */
		if (cred->uid != pm_cred_root_uid_(cred))
			eff = 0;
		else
			eff = cred->cap_permitted;
	}
	if (cred->fsuid == cred->uid && cred->fsgid == cred->gid && eff == cred->cap_effective)
		return cred;
	pm_memcpy(tmp, cred, sizeof(*tmp));
	tmp->usage = 0;
	tmp->fsuid = cred->uid;
	tmp->fsgid = cred->gid;
	tmp->cap_effective = eff;
	return tmp;
}

bool pm_cred_kill_ok_by_cred(const struct pm_cred *sender, const struct pm_cred *target)
{
	return sender->euid == target->suid || sender->euid == target->uid ||
	       sender->uid == target->suid || sender->uid == target->uid ||
	       pm_cred_ns_capable(sender, target->user_ns, PM_CAP_KILL);
}

int pm_cred_kill_permission(const struct pm_cred *sender, const struct pm_cred *target, int sig,
                            unsigned int flags)
{
	if (sig < 0 || sig > SIG_MAX)
		return -PM_EINVAL;
	if (flags & (PM_KILL_FROM_KERNEL | PM_KILL_SAME_THREAD_GROUP))
		return 0;
	if (pm_cred_kill_ok_by_cred(sender, target))
		return 0;
	/* SIGCONT may always reach the sender's own session. */
	if (sig == SIGCONT && (flags & PM_KILL_SAME_SESSION))
		return 0;
	return -PM_EPERM;
}

int pm_cred_ptrace_may_access(const struct pm_cred *caller, const struct pm_cred *target,
                              unsigned int mode, const struct pm_ptrace_target *t)
{
	bool fscreds = (mode & PM_PTRACE_MODE_FSCREDS) != 0;
	pm_uid_t uid = fscreds ? caller->fsuid : caller->uid;
	pm_gid_t gid = fscreds ? caller->fsgid : caller->gid;
	pm_kernel_cap_t caps = fscreds ? caller->cap_effective : caller->cap_permitted;

	/* Exactly one of FSCREDS and REALCREDS must say which ids to use. */
	if (fscreds == ((mode & PM_PTRACE_MODE_REALCREDS) != 0))
		return -PM_EPERM;
	if (t->same_thread_group)
		return 0;
	if (!(uid == target->euid && uid == target->suid && uid == target->uid &&
	      gid == target->egid && gid == target->sgid && gid == target->gid) &&
	    !pm_cred_ns_capable(caller, target->user_ns, PM_CAP_SYS_PTRACE))
		return -PM_EPERM;
	if (t->has_mm && !t->dumpable &&
	    !pm_cred_ns_capable(caller, t->mm_userns ? t->mm_userns : target->user_ns,
	                        PM_CAP_SYS_PTRACE))
		return -PM_EPERM;
	/* cap_ptrace_access_check: at least the target's permitted capabilities. */
	if (caller->user_ns == target->user_ns && pm_cap_issubset(target->cap_permitted, caps))
		return 0;
	if (pm_cred_ns_capable(caller, target->user_ns, PM_CAP_SYS_PTRACE))
		return 0;
	return -PM_EPERM;
}

int pm_cred_prlimit_permission(const struct pm_cred *caller, const struct pm_cred *target,
                               bool same_task)
{
	if (same_task)
		return 0;
	if (caller->uid == target->euid && caller->uid == target->suid &&
	    caller->uid == target->uid && caller->gid == target->egid &&
	    caller->gid == target->sgid && caller->gid == target->gid)
		return 0;
	return pm_cred_ns_capable(caller, target->user_ns, PM_CAP_SYS_RESOURCE) ? 0 : -PM_EPERM;
}
