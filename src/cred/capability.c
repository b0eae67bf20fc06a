/* SPDX-License-Identifier: MIT */
/*
 * Capability checks against user-namespace ancestry (Linux
 * security/commoncap.c cap_capable, kernel/capability.c ns_capable) and
 * capability names.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"

/* Linux's names (include/uapi/linux/capability.h), in number order. */
static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

PM_STATIC_ASSERT(sizeof(cap_names) / sizeof(cap_names[0]) == 41,
                 "one name for each of Linux's 41 capabilities");

const char *pm_cap_name(unsigned int cap)
{
	if (cap >= sizeof(cap_names) / sizeof(cap_names[0]))
		return NULL;
	return cap_names[cap];
}

static unsigned char lower(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Case-insensitive equality; @b may omit the "CAP_" prefix of @a. */
static bool name_eq(const char *a, const char *b)
{
	if (lower(b[0]) != 'c' || lower(b[1]) != 'a' || lower(b[2]) != 'p' || b[3] != '_')
		a += 4;
	while (*a && lower(*a) == lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

int pm_cap_from_name(const char *name)
{
	for (unsigned int i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (name_eq(cap_names[i], name))
			return (int)i;
	return -PM_EINVAL;
}

bool pm_cred_ns_capable(const struct pm_cred *cred, const struct pm_userns *ns, unsigned int cap)
{
	const struct pm_userns *cns = cred->user_ns;

	PM_ASSERT(cap <= PM_CAP_LAST_CAP);
	for (;;) {
		if (pm_likely(ns == cns))
			return pm_cap_raised(cred->cap_effective, cap);
		/* Below the credential's level: not a descendant. */
		if (ns->level <= cns->level)
			return false;
		/* The owner of a child namespace has every capability in it. */
		if (ns->parent == cns && ns->owner == cred->euid)
			return true;
		ns = ns->parent;
	}
}

bool pm_cred_capable(const struct pm_cred *cred, unsigned int cap)
{
	return pm_cred_ns_capable(cred, cred->user_ns->root, cap);
}
