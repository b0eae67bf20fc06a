/* SPDX-License-Identifier: MIT */
/*
 * The set*id family (Linux kernel/sys.c) and the capability fix-ups that
 * follow uid changes (security/commoncap.c cap_task_fix_setuid). Checks
 * come before the allocation, so a refused call allocates nothing.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"

enum setid_kind { SETID_ID, SETID_RE, SETID_RES, SETID_FS };

/* cap_emulate_setxuid: capabilities follow real/effective/saved uid 0. */
static void emulate_setxuid(struct pm_cred *new, const struct pm_cred *old)
{
	pm_uid_t root = pm_cred_root_uid_(old);
	bool old_root = old->uid == root || old->euid == root || old->suid == root;
	bool new_root = new->uid == root || new->euid == root || new->suid == root;

	if (old_root && !new_root) {
		if (!pm_cred_issecure_(old, PM_SECURE_KEEP_CAPS)) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		/* Pre-ambient programs expect setresuid to non-root then exec to drop caps. */
		new->cap_ambient = 0;
	}
	if (old->euid == root && new->euid != root)
		new->cap_effective = 0;
	if (old->euid != root && new->euid == root)
		new->cap_effective = new->cap_permitted;
}

/* cap_task_fix_setuid (securebits are read from the old credentials, issecure()). */
static void fix_setuid(struct pm_cred *new, const struct pm_cred *old, enum setid_kind kind)
{
	pm_uid_t root;

	if (pm_cred_issecure_(old, PM_SECURE_NO_SETUID_FIXUP))
		return;
	if (kind != SETID_FS) {
		emulate_setxuid(new, old);
		return;
	}
	root = pm_cred_root_uid_(old);
	if (old->fsuid == root && new->fsuid != root)
		new->cap_effective &= ~PM_CAP_FS_SET;
	if (old->fsuid != root && new->fsuid == root)
		new->cap_effective |= new->cap_permitted &PM_CAP_FS_SET;
}

static bool capable_setuid(const struct pm_cred *c)
{
	return pm_cred_ns_capable(c, c->user_ns, PM_CAP_SETUID);
}

static bool capable_setgid(const struct pm_cred *c)
{
	return pm_cred_ns_capable(c, c->user_ns, PM_CAP_SETGID);
}

/* Shared tail of the uid calls: fix-ups, counters, commit. */
static int finish_setuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim,
                         struct pm_cred *new, enum setid_kind kind)
{
	int err;

	fix_setuid(new, self->cred, kind);
	err = pm_cred_set_ucounts_(new);
	if (err) {
		pm_cred_abort(new);
		return err;
	}
	pm_cred_commit_setuid_(self, new, rlim);
	return 0;
}

int pm_cred_setuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim, pm_uid_t uid)
{
	const struct pm_cred *old = self->cred;
	pm_uid_t kuid = pm_userns_make_kuid(old->user_ns, uid);
	bool priv;
	struct pm_cred *new;
	int err;

	if (kuid == PM_UID_INVALID)
		return -PM_EINVAL;
	priv = capable_setuid(old);
	if (!priv && kuid != old->uid && kuid != old->suid)
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (priv)
		new->suid = new->uid = kuid;
	new->fsuid = new->euid = kuid;
	return finish_setuid(self, rlim, new, SETID_ID);
}

int pm_cred_setreuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim, pm_uid_t ruid,
                     pm_uid_t euid)
{
	const struct pm_cred *old = self->cred;
	pm_uid_t kruid = pm_userns_make_kuid(old->user_ns, ruid);
	pm_uid_t keuid = pm_userns_make_kuid(old->user_ns, euid);
	struct pm_cred *new;
	int err;

	if ((ruid != PM_UID_INVALID && kruid == PM_UID_INVALID) ||
	    (euid != PM_UID_INVALID && keuid == PM_UID_INVALID))
		return -PM_EINVAL;
	if (ruid != PM_UID_INVALID && kruid != old->uid && kruid != old->euid &&
	    !capable_setuid(old))
		return -PM_EPERM;
	if (euid != PM_UID_INVALID && keuid != old->uid && keuid != old->euid &&
	    keuid != old->suid && !capable_setuid(old))
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (ruid != PM_UID_INVALID)
		new->uid = kruid;
	if (euid != PM_UID_INVALID)
		new->euid = keuid;
	if (ruid != PM_UID_INVALID || (euid != PM_UID_INVALID && keuid != old->uid))
		new->suid = new->euid;
	new->fsuid = new->euid;
	return finish_setuid(self, rlim, new, SETID_RE);
}

/* A requested id is "new" if it is none of the current real, effective and saved ids. */
static bool is_new_id(uint32_t req, uint32_t k, uint32_t r, uint32_t e, uint32_t s)
{
	return req != UINT32_MAX && k != r && k != e && k != s;
}

int pm_cred_setresuid(struct pm_cred_slot *self, const struct pm_rlimits *rlim, pm_uid_t ruid,
                      pm_uid_t euid, pm_uid_t suid)
{
	const struct pm_cred *old = self->cred;
	pm_uid_t kr = pm_userns_make_kuid(old->user_ns, ruid);
	pm_uid_t ke = pm_userns_make_kuid(old->user_ns, euid);
	pm_uid_t ks = pm_userns_make_kuid(old->user_ns, suid);
	struct pm_cred *new;
	int err;

	if ((ruid != PM_UID_INVALID && kr == PM_UID_INVALID) ||
	    (euid != PM_UID_INVALID && ke == PM_UID_INVALID) ||
	    (suid != PM_UID_INVALID && ks == PM_UID_INVALID))
		return -PM_EINVAL;
	/* Nothing would change: the no-op fast path. */
	if ((ruid == PM_UID_INVALID || kr == old->uid) &&
	    (euid == PM_UID_INVALID || (ke == old->euid && ke == old->fsuid)) &&
	    (suid == PM_UID_INVALID || ks == old->suid))
		return 0;
	if ((is_new_id(ruid, kr, old->uid, old->euid, old->suid) ||
	     is_new_id(euid, ke, old->uid, old->euid, old->suid) ||
	     is_new_id(suid, ks, old->uid, old->euid, old->suid)) &&
	    !capable_setuid(old))
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (ruid != PM_UID_INVALID)
		new->uid = kr;
	if (euid != PM_UID_INVALID)
		new->euid = ke;
	if (suid != PM_UID_INVALID)
		new->suid = ks;
	new->fsuid = new->euid;
	return finish_setuid(self, rlim, new, SETID_RES);
}

pm_uid_t pm_cred_setfsuid(struct pm_cred_slot *self, pm_uid_t uid)
{
	const struct pm_cred *old = self->cred;
	pm_uid_t old_fsuid = pm_userns_from_kuid_munged(old->user_ns, old->fsuid);
	pm_uid_t kuid = pm_userns_make_kuid(old->user_ns, uid);
	struct pm_cred *new;

	if (kuid == PM_UID_INVALID || kuid == old->fsuid)
		return old_fsuid;
	if (kuid != old->uid && kuid != old->euid && kuid != old->suid && !capable_setuid(old))
		return old_fsuid;
	if (pm_cred_prepare(old, &new))
		return old_fsuid;
	new->fsuid = kuid;
	fix_setuid(new, old, SETID_FS);
	pm_cred_commit(self, new);
	return old_fsuid;
}

int pm_cred_setgid(struct pm_cred_slot *self, pm_gid_t gid)
{
	const struct pm_cred *old = self->cred;
	pm_gid_t kgid = pm_userns_make_kgid(old->user_ns, gid);
	bool priv;
	struct pm_cred *new;
	int err;

	if (kgid == PM_GID_INVALID)
		return -PM_EINVAL;
	priv = capable_setgid(old);
	if (!priv && kgid != old->gid && kgid != old->sgid)
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (priv)
		new->gid = new->sgid = kgid;
	new->egid = new->fsgid = kgid;
	pm_cred_commit(self, new);
	return 0;
}

int pm_cred_setregid(struct pm_cred_slot *self, pm_gid_t rgid, pm_gid_t egid)
{
	const struct pm_cred *old = self->cred;
	pm_gid_t krgid = pm_userns_make_kgid(old->user_ns, rgid);
	pm_gid_t kegid = pm_userns_make_kgid(old->user_ns, egid);
	struct pm_cred *new;
	int err;

	if ((rgid != PM_GID_INVALID && krgid == PM_GID_INVALID) ||
	    (egid != PM_GID_INVALID && kegid == PM_GID_INVALID))
		return -PM_EINVAL;
	if (rgid != PM_GID_INVALID && krgid != old->gid && krgid != old->egid &&
	    !capable_setgid(old))
		return -PM_EPERM;
	if (egid != PM_GID_INVALID && kegid != old->gid && kegid != old->egid &&
	    kegid != old->sgid && !capable_setgid(old))
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (rgid != PM_GID_INVALID)
		new->gid = krgid;
	if (egid != PM_GID_INVALID)
		new->egid = kegid;
	if (rgid != PM_GID_INVALID || (egid != PM_GID_INVALID && kegid != old->gid))
		new->sgid = new->egid;
	new->fsgid = new->egid;
	pm_cred_commit(self, new);
	return 0;
}

int pm_cred_setresgid(struct pm_cred_slot *self, pm_gid_t rgid, pm_gid_t egid, pm_gid_t sgid)
{
	const struct pm_cred *old = self->cred;
	pm_gid_t kr = pm_userns_make_kgid(old->user_ns, rgid);
	pm_gid_t ke = pm_userns_make_kgid(old->user_ns, egid);
	pm_gid_t ks = pm_userns_make_kgid(old->user_ns, sgid);
	struct pm_cred *new;
	int err;

	if ((rgid != PM_GID_INVALID && kr == PM_GID_INVALID) ||
	    (egid != PM_GID_INVALID && ke == PM_GID_INVALID) ||
	    (sgid != PM_GID_INVALID && ks == PM_GID_INVALID))
		return -PM_EINVAL;
	if ((rgid == PM_GID_INVALID || kr == old->gid) &&
	    (egid == PM_GID_INVALID || (ke == old->egid && ke == old->fsgid)) &&
	    (sgid == PM_GID_INVALID || ks == old->sgid))
		return 0;
	if ((is_new_id(rgid, kr, old->gid, old->egid, old->sgid) ||
	     is_new_id(egid, ke, old->gid, old->egid, old->sgid) ||
	     is_new_id(sgid, ks, old->gid, old->egid, old->sgid)) &&
	    !capable_setgid(old))
		return -PM_EPERM;
	err = pm_cred_prepare(old, &new);
	if (err)
		return err;
	if (rgid != PM_GID_INVALID)
		new->gid = kr;
	if (egid != PM_GID_INVALID)
		new->egid = ke;
	if (sgid != PM_GID_INVALID)
		new->sgid = ks;
	new->fsgid = new->egid;
	pm_cred_commit(self, new);
	return 0;
}

pm_gid_t pm_cred_setfsgid(struct pm_cred_slot *self, pm_gid_t gid)
{
	const struct pm_cred *old = self->cred;
	pm_gid_t old_fsgid = pm_userns_from_kgid_munged(old->user_ns, old->fsgid);
	pm_gid_t kgid = pm_userns_make_kgid(old->user_ns, gid);
	struct pm_cred *new;

	if (kgid == PM_GID_INVALID || kgid == old->fsgid)
		return old_fsgid;
	if (kgid != old->gid && kgid != old->egid && kgid != old->sgid && !capable_setgid(old))
		return old_fsgid;
	if (pm_cred_prepare(old, &new))
		return old_fsgid;
	new->fsgid = kgid;
	pm_cred_commit(self, new);
	return old_fsgid;
}
