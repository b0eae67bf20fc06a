/* SPDX-License-Identifier: MIT */
/*
 * Private to src/cred and src/ns: atomics, the group list and per-user
 * counter layouts, and the helpers the two folders share.
 */
#ifndef PM_SRC_CRED_INTERNAL_H
#define PM_SRC_CRED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/cred.h"
#include "procmgr/cred_exec.h"
#include "procmgr/cred_check.h"
#include "procmgr/errno.h"
#include "procmgr/rlimit.h"
#include "procmgr/userns.h"

/*
 * ---- Atomics (compiler builtins: single instructions on x86_64 and rv64ia) ----
 * clang-tidy 14 does not see the builtins write through their pointer, hence
 * the NOLINTs.
 */

/* NOLINTNEXTLINE(readability-non-const-parameter) */
static inline void pm_atomic_inc_u32_(uint32_t *p)
{
	__atomic_fetch_add(p, 1u, __ATOMIC_RELAXED);
}

/* Decrement; true when the count reached zero (acquire-release, like refcount_dec_and_test). */
/* NOLINTNEXTLINE(readability-non-const-parameter) */
static inline bool pm_atomic_dec_and_test_u32_(uint32_t *p)
{
	return __atomic_sub_fetch(p, 1u, __ATOMIC_ACQ_REL) == 0;
}

/* Decrement unless the count is 1; true if decremented. */
/* NOLINTNEXTLINE(readability-non-const-parameter) */
static inline bool pm_atomic_dec_not_one_u32_(uint32_t *p)
{
	uint32_t old = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (old > 1) {
		if (__atomic_compare_exchange_n(p, &old, old - 1, true, __ATOMIC_ACQ_REL,
		                                __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/* NOLINTNEXTLINE(readability-non-const-parameter) */
static inline int64_t pm_atomic_add_i64_(int64_t *p, int64_t v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_RELAXED);
}

static inline int64_t pm_atomic_load_i64_(const int64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Increment *p if the result stays <= max (Linux atomic_long_inc_below, inclusive form). */
/* NOLINTNEXTLINE(readability-non-const-parameter) */
static inline bool pm_atomic_inc_max_i64_(int64_t *p, int64_t max)
{
	int64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);

	do {
		if (old >= max)
			return false;
	} while (!__atomic_compare_exchange_n(p, &old, old + 1, true, __ATOMIC_RELAXED,
	                                      __ATOMIC_RELAXED));
	return true;
}

/* Credentials are immutable to readers but their reference count is not. */
static inline struct pm_cred *pm_cred_mut_(const struct pm_cred *c)
{
	return (struct pm_cred *)(uintptr_t)c;
}

static inline struct pm_userns *pm_userns_mut_(const struct pm_userns *ns)
{
	return (struct pm_userns *)(uintptr_t)ns;
}

#define PM_I64_MAX INT64_MAX

/* ---- Supplementary groups ---- */

struct pm_group_info {
	uint32_t usage;
	uint32_t ngroups;
	pm_gid_t gid[];
};

/* Allocate a list for n groups, usage 1 (Linux groups_alloc). -PM_ENOMEM. */
int pm_groups_alloc_(uint32_t n, struct pm_group_info **out);
/* Sort a private list (Linux groups_sort). */
void pm_groups_sort_(struct pm_group_info *gi);
void pm_groups_put_(struct pm_group_info *gi);
struct pm_group_info *pm_groups_get_(struct pm_group_info *gi);
/* Binary search (Linux groups_search). */
bool pm_groups_search_(const struct pm_group_info *gi, pm_gid_t kgid);

/* ---- Per-user counters (Linux struct ucounts) ---- */

struct pm_ucounts {
	struct pm_ucounts *next; /* hash chain of ns->ucounts_hash, under ns->ucounts_lock */
	struct pm_userns *ns;    /* a reference */
	pm_uid_t uid;            /* global uid */
	uint32_t count;          /* references (atomic) */
	int64_t ucount[PM_UCOUNT_COUNTS];
	int64_t rlimit[PM_UCOUNT_RLIMIT_COUNTS];
};

/*
 * The counters of (ns, uid) with a new reference, created if needed (Linux
 * alloc_ucounts). Allocates with no lock held, then takes ns's leaf lock.
 */
int pm_ucounts_alloc_(struct pm_userns *ns, pm_uid_t uid, struct pm_ucounts **out);
struct pm_ucounts *pm_ucounts_get_(struct pm_ucounts *uc);
void pm_ucounts_put_(struct pm_ucounts *uc);
/* Linux inc_ucount/dec_ucount: a counted object at every level, each below its ns's max. */
int pm_ucounts_inc_(struct pm_userns *ns, pm_uid_t uid, enum pm_ucount_type type,
                    struct pm_ucounts **out);
void pm_ucounts_dec_(struct pm_ucounts *uc, enum pm_ucount_type type);
/* Linux inc_rlimit_ucounts/dec_rlimit_ucounts: add v at every level. */
void pm_ucounts_rlimit_add_(struct pm_ucounts *uc, enum pm_ucount_rlimit_type type, int64_t v);
bool pm_ucounts_rlimit_over_(const struct pm_ucounts *uc, enum pm_ucount_rlimit_type type,
                             uint64_t limit);

/* ---- Credentials ---- */

/* Allocate an uninitialised credential (usage 1 set by the caller). */
struct pm_cred *pm_cred_alloc_(void);
/* Give *new the counters of (new->user_ns, new->uid) if they differ (Linux set_cred_ucounts). */
int pm_cred_set_ucounts_(struct pm_cred *new);
/* The global uid of root in the credential's namespace (Linux make_kuid(ns, 0)). */
static inline pm_uid_t pm_cred_root_uid_(const struct pm_cred *c)
{
	return pm_userns_make_kuid(c->user_ns, 0);
}
static inline bool pm_cred_issecure_(const struct pm_cred *c, unsigned int bit)
{
	return (c->securebits & PM_SECBIT(bit)) != 0;
}
/* Commit with the NPROC bookkeeping of set*uid (Linux flag_nproc_exceeded + commit_creds). */
void pm_cred_commit_setuid_(struct pm_cred_slot *self, struct pm_cred *new,
                            const struct pm_rlimits *rlim);

/* ---- User namespaces (src/ns) ---- */

/*
 * Create a namespace owned by new->euid below new->user_ns and move *new
 * into it (Linux create_user_ns + set_cred_user_ns). On failure *new is
 * unchanged.
 */
int pm_userns_create_(struct pm_cred *new, const struct pm_rlimits *rlim, bool chrooted);

#endif /* PM_SRC_CRED_INTERNAL_H */
