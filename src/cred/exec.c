/* SPDX-License-Identifier: MIT */
/*
 * Credentials across execve: file capabilities (the security.capability
 * xattr, untrusted bytes: security/commoncap.c get_vfs_caps_from_disk),
 * set-id bits (fs/exec.c bprm_fill_uid) and the capability transition
 * (security/commoncap.c cap_bprm_creds_from_file, Linux 6.18 with the
 * "id_changed" rule). The new credentials are computed in a stack copy;
 * only a successful computation allocates.
 */
#include "cred/cred_internal.h"

#include "hal/pm_string.h"

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

/* Is @kroot uid 0 of @ns or of one of its ancestors? */
static bool rootid_owns_ns(pm_uid_t kroot, const struct pm_userns *ns)
{
	if (kroot == PM_UID_INVALID)
		return false;
	for (; ns; ns = ns->parent)
		if (pm_userns_from_kuid(ns, kroot) == 0)
			return true;
	return false;
}

int pm_cred_parse_vfs_caps(const void *buf, size_t len, const struct pm_userns *fs_ns,
                           const struct pm_userns *caller_ns, struct pm_vfs_caps *out)
{
	const unsigned char *p = buf;
	uint32_t magic;
	pm_uid_t rootkuid;

	if (len < 4)
		return -PM_EINVAL;
	if (!fs_ns)
		fs_ns = caller_ns->root;
	magic = le32(p);
	rootkuid = pm_userns_make_kuid(fs_ns, 0);
	switch (magic & PM_VFS_CAP_REVISION_MASK) {
	case PM_VFS_CAP_REVISION_1:
		if (len != PM_XATTR_CAPS_SZ_1)
			return -PM_EINVAL;
		break;
	case PM_VFS_CAP_REVISION_2:
		if (len != PM_XATTR_CAPS_SZ_2)
			return -PM_EINVAL;
		break;
	case PM_VFS_CAP_REVISION_3:
		if (len != PM_XATTR_CAPS_SZ_3)
			return -PM_EINVAL;
		rootkuid = pm_userns_make_kuid(fs_ns, le32(p + 20));
		break;
	default:
		return -PM_EINVAL;
	}
	/* The capabilities belong to the file system's root or the xattr's root id. */
	if (!rootid_owns_ns(rootkuid, caller_ns))
		return -PM_ENODATA;
	out->magic_etc = magic;
	out->rootid = rootkuid;
	out->permitted = le32(p + 4);
	out->inheritable = le32(p + 8);
	if ((magic & PM_VFS_CAP_REVISION_MASK) != PM_VFS_CAP_REVISION_1) {
		out->permitted |= (uint64_t)le32(p + 12) << 32;
		out->inheritable |= (uint64_t)le32(p + 16) << 32;
	}
	out->permitted &= PM_CAP_FULL_SET;
	out->inheritable &= PM_CAP_FULL_SET;
	return 0;
}

/* mnt_may_suid: the mount allows set-id and its superblock's namespace is ours or an ancestor. */
static bool may_suid(const struct pm_cred *old, const struct pm_file_attr *attr)
{
	const struct pm_userns *sb_ns = attr->sb_userns ? attr->sb_userns : old->user_ns->root;

	return !(attr->flags & PM_FILE_NOSUID) && pm_userns_in(sb_ns, old->user_ns);
}

/* bprm_fill_uid. */
static void fill_uid(struct pm_cred *new, const struct pm_cred *old,
                     const struct pm_file_attr *attr, bool suid_ok, bool *per_clear)
{
	if (!suid_ok || (old->flags & PM_CRED_NO_NEW_PRIVS) ||
	    !(attr->mode & (PM_S_ISUID | PM_S_ISGID)))
		return;
	/* Set-id bits are ignored when the owner is not mapped in the caller's namespace. */
	if (!pm_userns_kuid_has_mapping(new->user_ns, attr->uid) ||
	    !pm_userns_kgid_has_mapping(new->user_ns, attr->gid))
		return;
	if (attr->mode & PM_S_ISUID) {
		*per_clear = true;
		new->euid = attr->uid;
	}
	if ((attr->mode & (PM_S_ISGID | PM_S_IXGRP)) == (PM_S_ISGID | PM_S_IXGRP)) {
		*per_clear = true;
		new->egid = attr->gid;
	}
}

/* get_file_caps + bprm_caps_from_vfs_caps: pP' = (X & fP) | (pI & fI). */
static int file_caps(struct pm_cred *new, const struct pm_cred *old, const void *caps, size_t len,
                     const struct pm_userns *sb_ns, bool *effective, bool *has_fcap)
{
	struct pm_vfs_caps vc;
	int err;

	new->cap_permitted = 0;
	if (!caps)
		return 0;
	if (len > PM_XATTR_CAPS_SZ)
		return -PM_ERANGE;
	err = pm_cred_parse_vfs_caps(caps, len, sb_ns, old->user_ns, &vc);
	if (err == -PM_ENODATA)
		return 0;
	if (err)
		return err;
	*effective = (vc.magic_etc & PM_VFS_CAP_FLAGS_EFFECTIVE) != 0;
	*has_fcap = true;
	new->cap_permitted = (new->cap_bset &vc.permitted) | (new->cap_inheritable &vc.inheritable);
	/* A legacy program that relies on fE and misses a forced capability must not run. */
	if (*effective && (vc.permitted & ~new->cap_permitted)) {
		new->cap_permitted = 0;
		return -PM_EPERM;
	}
	return 0;
}

/* handle_privileged_root: uid 0 gets the bounding set (unless SECURE_NOROOT). */
static void privileged_root(struct pm_cred *new, const struct pm_cred *old, bool has_fcap,
                            bool *effective, pm_uid_t root)
{
	if (pm_cred_issecure_(old, PM_SECURE_NOROOT))
		return;
	/* Setuid-root with file capabilities run by a non-root user: only the file caps. */
	if (has_fcap && new->uid != root &&new->euid == root)
		return;
	if (new->euid == root || new->uid == root)
		new->cap_permitted = old->cap_bset | old->cap_inheritable;
	if (new->euid == root)
		*effective = true;
}

/* The computation of cap_bprm_creds_from_file on a stack copy of @old. */
static int exec_compute(struct pm_cred *new, const struct pm_cred *old,
                        const struct pm_file_attr *attr, const void *caps, size_t caps_len,
                        unsigned int unsafe, const struct pm_cred *ptracer,
                        struct pm_exec_creds *out)
{
	bool suid_ok = may_suid(old, attr);
	bool effective = false, has_fcap = false, id_changed, gained;
	pm_uid_t root;
	int err;

	pm_memcpy(new, old, sizeof(*new));
	/* prepare_exec_creds */
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	fill_uid(new, old, attr, suid_ok, &out->per_clear);
	err = file_caps(new, old, suid_ok ? caps : NULL, caps_len, attr->sb_userns, &effective,
	                &has_fcap);
	if (err)
		return err;
	root = pm_userns_make_kuid(new->user_ns, 0);
	privileged_root(new, old, has_fcap, &effective, root);
	gained = !pm_cap_issubset(new->cap_permitted, old->cap_permitted);
	if (gained)
		out->per_clear = true;
	id_changed = new->euid != old->euid || !pm_cred_in_group_p(old, new->egid);
	/* Unsafe exec of a privilege-gaining program: no new privileges. */
	if ((id_changed || gained) &&
	    ((unsafe & PM_EXEC_UNSAFE_SHARE) || (old->flags & PM_CRED_NO_NEW_PRIVS) ||
	     (ptracer && !pm_cred_ns_capable(ptracer, new->user_ns, PM_CAP_SYS_PTRACE)))) {
		if (!pm_cred_ns_capable(old, new->user_ns, PM_CAP_SETUID) ||
		    (old->flags & PM_CRED_NO_NEW_PRIVS)) {
			new->euid = new->uid;
			new->egid = new->gid;
		}
		new->cap_permitted &= old->cap_permitted;
	}
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	/* File caps or an id change cancel ambient. */
	if (has_fcap || id_changed)
		new->cap_ambient = 0;
	new->cap_permitted |= new->cap_ambient;
	new->cap_effective = effective ? new->cap_permitted : new->cap_ambient;
	new->securebits &= ~PM_SECBIT_KEEP_CAPS;
	out->secureexec = id_changed || new->euid != old->uid || new->egid != old->gid ||
	                  (new->uid != root &&
	                   (effective || !pm_cap_issubset(new->cap_permitted, new->cap_ambient)));
	out->nondumpable = old->euid != old->uid || old->egid != old->gid;
	return 0;
}

int pm_cred_exec_prepare(const struct pm_cred *old, const struct pm_file_attr *attr,
                         const void *caps, size_t caps_len, unsigned int unsafe,
                         const struct pm_cred *ptracer, struct pm_exec_creds *out)
{
	struct pm_cred tmp, *c;
	struct pm_exec_creds r = {NULL, false, false, false};
	int err = exec_compute(&tmp, old, attr, caps, caps_len, unsafe, ptracer, &r);

	if (err)
		return err;
	err = pm_cred_prepare(old, &c);
	if (err)
		return err;
	c->euid = tmp.euid;
	c->suid = tmp.suid;
	c->fsuid = tmp.fsuid;
	c->egid = tmp.egid;
	c->sgid = tmp.sgid;
	c->fsgid = tmp.fsgid;
	c->securebits = tmp.securebits;
	c->cap_permitted = tmp.cap_permitted;
	c->cap_effective = tmp.cap_effective;
	c->cap_ambient = tmp.cap_ambient;
	r.cred = c;
	*out = r;
	return 0;
}

int pm_cred_exec_prepare_file(const struct pm_cred *old, struct pm_hal_file *file,
                              unsigned int unsafe, const struct pm_cred *ptracer,
                              struct pm_exec_creds *out)
{
	struct pm_file_attr attr;
	unsigned char caps[PM_XATTR_CAPS_SZ];
	size_t got = 0;
	int err = pm_hal_file_getattr(file, &attr);

	if (err)
		return err;
	if (!may_suid(old, &attr))
		return pm_cred_exec_prepare(old, &attr, NULL, 0, unsafe, ptracer, out);
	err = pm_hal_file_get_caps(file, caps, sizeof(caps), &got);
	if (err == -PM_ENODATA || err == -PM_EOPNOTSUPP)
		return pm_cred_exec_prepare(old, &attr, NULL, 0, unsafe, ptracer, out);
	if (err)
		return err;
	if (got > sizeof(caps))
		return -PM_ERANGE;
	return pm_cred_exec_prepare(old, &attr, caps, got, unsafe, ptracer, out);
}

void pm_cred_exec_commit(struct pm_cred_slot *self, struct pm_exec_creds *ec)
{
	if (ec->nondumpable)
		self->effects |= PM_CRED_EFFECT_NONDUMPABLE;
	if (ec->secureexec)
		self->effects |= PM_CRED_EFFECT_CLEAR_PDEATH;
	pm_cred_commit(self, ec->cred);
	ec->cred = NULL;
}

void pm_cred_exec_abort(struct pm_exec_creds *ec)
{
	if (ec->cred)
		pm_cred_abort(ec->cred);
	ec->cred = NULL;
}

int pm_cred_exec_nproc_check(struct pm_cred_slot *self, const struct pm_rlimits *rlim)
{
	if ((self->flags & PM_CRED_SLOT_NPROC_EXCEEDED) &&
	    pm_cred_nproc_overlimit(self->cred, pm_rlimit_cur(rlim, PM_RLIMIT_NPROC)))
		return -PM_EAGAIN;
	self->flags &= ~PM_CRED_SLOT_NPROC_EXCEEDED;
	return 0;
}
