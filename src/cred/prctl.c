/* SPDX-License-Identifier: MIT */
/*
 * capget/capset (kernel/capability.c, security/commoncap.c cap_capset) and
 * the credential options of prctl (security/commoncap.c cap_task_prctl,
 * kernel/sys.c PR_SET/GET_NO_NEW_PRIVS).
 */
#include "cred/cred_internal.h"

#include "hal/pm_uaccess.h"

/* ---- capget / capset ---- */

static int cap_validate_magic(pm_uaddr_t uheader, unsigned int *ndata)
{
	uint32_t version;

	if (pm_copy_from_user(&version, uheader, sizeof(version)))
		return -PM_EFAULT;
	switch (version) {
	case PM_LINUX_CAPABILITY_VERSION_1:
		*ndata = 1;
		return 0;
	case PM_LINUX_CAPABILITY_VERSION_2:
	case PM_LINUX_CAPABILITY_VERSION_3:
		*ndata = 2;
		return 0;
	default:
		version = PM_LINUX_CAPABILITY_VERSION_3;
		if (pm_copy_to_user(uheader, &version, sizeof(version)))
			return -PM_EFAULT;
		return -PM_EINVAL;
	}
}

int pm_cred_capget_begin(pm_uaddr_t uheader, pm_uaddr_t udata, int32_t *pid, unsigned int *ndata)
{
	int err = cap_validate_magic(uheader, ndata);

	if (udata == 0 || err)
		return (udata == 0 && err == -PM_EINVAL) ? 0 : err;
	if (pm_copy_from_user(pid, uheader + 4, sizeof(*pid)))
		return -PM_EFAULT;
	if (*pid < 0)
		return -PM_EINVAL;
	return 1;
}

int pm_cred_capget_finish(const struct pm_cred *target, pm_uaddr_t udata, unsigned int ndata)
{
	struct pm_cap_user_data d[2];

	d[0].effective = (uint32_t)target->cap_effective;
	d[1].effective = (uint32_t)(target->cap_effective >> 32);
	d[0].permitted = (uint32_t)target->cap_permitted;
	d[1].permitted = (uint32_t)(target->cap_permitted >> 32);
	d[0].inheritable = (uint32_t)target->cap_inheritable;
	d[1].inheritable = (uint32_t)(target->cap_inheritable >> 32);
	if (ndata > 2)
		ndata = 2;
	return pm_copy_to_user(udata, d, ndata * sizeof(d[0])) ? -PM_EFAULT : 0;
}

int pm_cred_capset(struct pm_cred_slot *self, pm_kernel_cap_t eff, pm_kernel_cap_t prm,
                   pm_kernel_cap_t inh)
{
	const struct pm_cred *old = self->cred;
	struct pm_cred *new;
	int err;

	eff &= PM_CAP_FULL_SET;
	prm &= PM_CAP_FULL_SET;
	inh &= PM_CAP_FULL_SET;
	/* Without CAP_SETPCAP, pI' may only draw from pI and pP. */
	if (!pm_cap_raised(old->cap_effective, PM_CAP_SETPCAP) &&
	    !pm_cap_issubset(inh, old->cap_inheritable | old->cap_permitted))
		return -PM_EPERM;
	/* Never new pI bits outside the bounding set. */
	if (!pm_cap_issubset(inh, old->cap_inheritable | old->cap_bset))
		return -PM_EPERM;
	if (!pm_cap_issubset(prm, old->cap_permitted))
		return -PM_EPERM;
	if (!pm_cap_issubset(eff, prm))
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	new->cap_effective = eff;
	new->cap_inheritable = inh;
	new->cap_permitted = prm;
	new->cap_ambient &= prm &inh;
	pm_cred_commit(self, new);
	return 0;
}

int pm_cred_capset_user(struct pm_cred_slot *self, pm_pid_t self_tid, pm_uaddr_t uheader,
                        pm_uaddr_t udata)
{
	struct pm_cap_user_data d[2] = {{0, 0, 0}, {0, 0, 0}};
	unsigned int ndata;
	int32_t pid;
	int err = cap_validate_magic(uheader, &ndata);

	if (err)
		return err;
	if (pm_copy_from_user(&pid, uheader + 4, sizeof(pid)))
		return -PM_EFAULT;
	if (pid != 0 && pid != self_tid)
		return -PM_EPERM;
	if (pm_copy_from_user(d, udata, ndata * sizeof(d[0])))
		return -PM_EFAULT;
	return pm_cred_capset(self, d[0].effective | ((uint64_t)d[1].effective << 32),
	                      d[0].permitted | ((uint64_t)d[1].permitted << 32),
	                      d[0].inheritable | ((uint64_t)d[1].inheritable << 32));
}

/* ---- prctl ---- */

/* Commit a copy of the caller's credentials with securebits @sb and flags @fl. */
static int64_t commit_bits(struct pm_cred_slot *self, uint32_t sb, uint32_t fl)
{
	struct pm_cred *new;
	int err = pm_cred_prepare(self->cred, &new);

	if (err)
		return err;
	new->securebits = sb;
	new->flags = fl;
	pm_cred_commit(self, new);
	return 0;
}

static int64_t capbset_drop(struct pm_cred_slot *self, uint64_t cap)
{
	const struct pm_cred *old = self->cred;
	struct pm_cred *new;
	int err;

	if (!pm_cred_ns_capable(old, old->user_ns, PM_CAP_SETPCAP))
		return -PM_EPERM;
	if (!pm_cap_valid(cap))
		return -PM_EINVAL;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	new->cap_bset &= ~PM_CAP_TO_MASK(cap);
	pm_cred_commit(self, new);
	return 0;
}

static int64_t set_securebits(struct pm_cred_slot *self, uint64_t bits)
{
	const struct pm_cred *old = self->cred;
	uint64_t sb = old->securebits;

	/* No change to a locked bit, no unlocking, no unknown bits. */
	if ((((sb & PM_SECURE_ALL_LOCKS) >> 1) & (sb ^ bits)) ||
	    (sb & PM_SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(uint64_t)(PM_SECURE_ALL_LOCKS | PM_SECURE_ALL_BITS)))
		return -PM_EPERM;
	/* Anything else needs CAP_SETPCAP, except the interpreter bits; a no-op too. */
	if (!pm_cred_ns_capable(old, old->user_ns, PM_CAP_SETPCAP)) {
		const uint64_t unpriv =
		    PM_SECURE_ALL_UNPRIVILEGED | (PM_SECURE_ALL_UNPRIVILEGED << 1);
		uint64_t changed = sb ^ bits;

		if (!changed || (changed & ~unpriv))
			return -PM_EPERM;
	}
	return commit_bits(self, (uint32_t)bits, old->flags);
}

static int64_t set_keepcaps(struct pm_cred_slot *self, uint64_t v)
{
	const struct pm_cred *old = self->cred;
	uint32_t sb = old->securebits;

	if (v > 1)
		return -PM_EINVAL;
	if (pm_cred_issecure_(old, PM_SECURE_KEEP_CAPS_LOCKED))
		return -PM_EPERM;
	sb = v ? (sb | PM_SECBIT_KEEP_CAPS) : (sb & ~PM_SECBIT_KEEP_CAPS);
	return commit_bits(self, sb, old->flags);
}

static int64_t cap_ambient(struct pm_cred_slot *self, uint64_t op, uint64_t cap, uint64_t a4,
                           uint64_t a5)
{
	const struct pm_cred *old = self->cred;
	struct pm_cred *new;
	int err;

	if (op == PM_PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap | a4 | a5)
			return -PM_EINVAL;
	} else {
		if (!pm_cap_valid(cap) || a4 || a5)
			return -PM_EINVAL;
		if (op == PM_PR_CAP_AMBIENT_IS_SET)
			return pm_cap_raised(old->cap_ambient, (unsigned int)cap);
		if (op != PM_PR_CAP_AMBIENT_RAISE && op != PM_PR_CAP_AMBIENT_LOWER)
			return -PM_EINVAL;
		if (op == PM_PR_CAP_AMBIENT_RAISE &&
		    (!pm_cap_raised(old->cap_permitted, (unsigned int)cap) ||
		     !pm_cap_raised(old->cap_inheritable, (unsigned int)cap) ||
		     pm_cred_issecure_(old, PM_SECURE_NO_CAP_AMBIENT_RAISE)))
			return -PM_EPERM;
	}
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (op == PM_PR_CAP_AMBIENT_CLEAR_ALL)
		new->cap_ambient = 0;
	else if (op == PM_PR_CAP_AMBIENT_RAISE)
		new->cap_ambient |= PM_CAP_TO_MASK(cap);
	else
		new->cap_ambient &= ~PM_CAP_TO_MASK(cap);
	pm_cred_commit(self, new);
	return 0;
}

int64_t pm_cred_prctl(struct pm_cred_slot *self, int option, uint64_t arg2, uint64_t arg3,
                      uint64_t arg4, uint64_t arg5)
{
	const struct pm_cred *c = self->cred;

	switch (option) {
	case PM_PR_CAPBSET_READ:
		if (!pm_cap_valid(arg2))
			return -PM_EINVAL;
		return pm_cap_raised(c->cap_bset, (unsigned int)arg2);
	case PM_PR_CAPBSET_DROP:
		return capbset_drop(self, arg2);
	case PM_PR_SET_SECUREBITS:
		return set_securebits(self, arg2);
	case PM_PR_GET_SECUREBITS:
		return c->securebits;
	case PM_PR_GET_KEEPCAPS:
		return pm_cred_issecure_(c, PM_SECURE_KEEP_CAPS);
	case PM_PR_SET_KEEPCAPS:
		return set_keepcaps(self, arg2);
	case PM_PR_CAP_AMBIENT:
		return cap_ambient(self, arg2, arg3, arg4, arg5);
	case PM_PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -PM_EINVAL;
		if (c->flags & PM_CRED_NO_NEW_PRIVS)
			return 0;
		return commit_bits(self, c->securebits, c->flags | PM_CRED_NO_NEW_PRIVS);
	case PM_PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -PM_EINVAL;
		return (c->flags & PM_CRED_NO_NEW_PRIVS) != 0;
	default:
		return -PM_ENOSYS;
	}
}
