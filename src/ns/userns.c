/* SPDX-License-Identifier: MIT */
/*
 * User namespaces: initial namespaces, creation, reference counting and
 * id translation (Linux kernel/user_namespace.c create_user_ns,
 * free_user_ns, map_id_range_down, map_id_up, make_kuid, from_kuid).
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_string.h"

static void userns_fill(struct pm_userns *ns)
{
	pm_memset(ns, 0, sizeof(*ns));
	ns->refcount = 1;
	ns->flags = PM_USERNS_SETGROUPS_ALLOWED;
	for (int i = 0; i < PM_UCOUNT_COUNTS; i++)
		ns->ucount_max[i] = INT32_MAX;
	for (int i = 0; i < PM_UCOUNT_RLIMIT_COUNTS; i++)
		ns->rlimit_max[i] = PM_I64_MAX;
	pm_hal_lock_init(&ns->state_lock, PM_LOCK_CRED);
	pm_hal_lock_init(&ns->ucounts_lock, PM_LOCK_LEAF);
}

void pm_userns_init_root(struct pm_userns *ns, uint64_t max_threads)
{
	/* The identity map of every id but (uid_t)-1. */
	static const struct pm_uid_gid_extent all = {0, 0, 4294967295u};

	userns_fill(ns);
	ns->root = ns;
	ns->uid_map.u.extent[0] = all;
	ns->gid_map.u.extent[0] = all;
	ns->projid_map.u.extent[0] = all;
	ns->uid_map.nr_extents = 1;
	ns->gid_map.nr_extents = 1;
	ns->projid_map.nr_extents = 1;
	if (max_threads / 2 > 0 && max_threads / 2 < (uint64_t)PM_I64_MAX)
		ns->ucount_max[PM_UCOUNT_USER_NAMESPACES] = (int64_t)(max_threads / 2);
}

void pm_userns_destroy_root(struct pm_userns *ns)
{
	PM_ASSERT(ns->parent == NULL && ns->refcount == 1);
	for (int i = 0; i < PM_UCOUNTS_HASH_SIZE; i++)
		PM_ASSERT(ns->ucounts_hash[i] == NULL);
	pm_hal_lock_destroy(&ns->state_lock);
	pm_hal_lock_destroy(&ns->ucounts_lock);
	ns->refcount = 0;
}

struct pm_userns *pm_userns_get(const struct pm_userns *ns)
{
	struct pm_userns *m = pm_userns_mut_(ns);

	pm_atomic_inc_u32_(&m->refcount);
	return m;
}

static void map_free(struct pm_uid_gid_map *map)
{
	const size_t one = sizeof(struct pm_uid_gid_extent);

	/* Like Linux, the forward array has room for every extent; the reverse one is exact. */
	if (map->nr_extents > PM_UID_GID_MAP_MAX_BASE_EXTENTS) {
		pm_hal_free(map->u.sorted.forward, PM_UID_GID_MAP_MAX_EXTENTS * one);
		pm_hal_free(map->u.sorted.reverse, map->nr_extents * one);
	}
}

/* free_user_ns: iterative, so a deep chain does not recurse. */
void pm_userns_put(const struct pm_userns *cns)
{
	struct pm_userns *ns = pm_userns_mut_(cns);

	while (ns && pm_atomic_dec_and_test_u32_(&ns->refcount)) {
		struct pm_userns *parent = ns->parent;
		struct pm_ucounts *uc = ns->ucounts;

		/* An initial namespace is caller-owned: its last reference is the caller's. */
		PM_ASSERT(parent != NULL);
		map_free(&ns->uid_map);
		map_free(&ns->gid_map);
		map_free(&ns->projid_map);
		pm_hal_lock_destroy(&ns->state_lock);
		pm_hal_lock_destroy(&ns->ucounts_lock);
		pm_hal_free(ns, sizeof(*ns));
		/* dec_user_namespaces; the counters hold a reference to @parent. */
		pm_ucounts_dec_(uc, PM_UCOUNT_USER_NAMESPACES);
		ns = parent;
	}
}

bool pm_userns_in(const struct pm_userns *ancestor, const struct pm_userns *child)
{
	const struct pm_userns *ns = child;

	while (ns->level > ancestor->level)
		ns = ns->parent;
	return ns == ancestor;
}

/* enforced_nproc_rlimit: global root in an initial namespace is not limited. */
static uint64_t enforced_nproc(const struct pm_cred *c, const struct pm_rlimits *rlim)
{
	if (c->uid == 0 && c->user_ns->parent == NULL)
		return PM_RLIM_INFINITY;
	return pm_rlimit_cur(rlim, PM_RLIMIT_NPROC);
}

static int64_t to_max(uint64_t v)
{
	return v > (uint64_t)PM_I64_MAX ? PM_I64_MAX : (int64_t)v;
}

int pm_userns_create_(struct pm_cred *new, const struct pm_rlimits *rlim, bool chrooted)
{
	struct pm_userns *parent = new->user_ns, *ns;
	pm_uid_t owner = new->euid;
	pm_gid_t group = new->egid;
	struct pm_ucounts *uc;
	int err;

	if (parent->level > PM_USERNS_MAX_LEVEL)
		return -PM_ENOSPC;
	err = pm_ucounts_inc_(parent, owner, PM_UCOUNT_USER_NAMESPACES, &uc);
	if (err)
		return err;
	err = -PM_EPERM;
	/* The creator must be visible in the parent, and not confined by chroot. */
	if (chrooted || !pm_userns_kuid_has_mapping(parent, owner) ||
	    !pm_userns_kgid_has_mapping(parent, group))
		goto fail;
	err = -PM_ENOMEM;
	ns = pm_hal_alloc(sizeof(*ns), _Alignof(struct pm_userns));
	if (!ns)
		goto fail;
	userns_fill(ns);
	ns->parent_could_setfcap = pm_cap_raised(new->cap_effective, PM_CAP_SETFCAP);
	/* The credential's reference to @parent now belongs to @ns. */
	ns->parent = parent;
	ns->root = parent->root;
	ns->level = parent->level + 1;
	ns->owner = owner;
	ns->group = group;
	ns->ucounts = uc;
	ns->flags = __atomic_load_n(&parent->flags, __ATOMIC_ACQUIRE);
	ns->rlimit_max[PM_UCOUNT_RLIMIT_NPROC] = to_max(enforced_nproc(new, rlim));
	ns->rlimit_max[PM_UCOUNT_RLIMIT_SIGPENDING] =
	    to_max(pm_rlimit_cur(rlim, PM_RLIMIT_SIGPENDING));
	/* set_cred_user_ns: every capability, but only over the new namespace. */
	new->securebits = 0;
	new->cap_inheritable = 0;
	new->cap_permitted = PM_CAP_FULL_SET;
	new->cap_effective = PM_CAP_FULL_SET;
	new->cap_ambient = 0;
	new->cap_bset = PM_CAP_FULL_SET;
	new->user_ns = ns;
	return 0;
fail:
	pm_ucounts_dec_(uc, PM_UCOUNT_USER_NAMESPACES);
	return err;
}

/* ---- Translation ---- */

static uint32_t load_nr(const struct pm_uid_gid_map *map)
{
	return __atomic_load_n(&map->nr_extents, __ATOMIC_ACQUIRE);
}

/* Does [id, id + count) lie inside [first, first + n)? Counts never wrap (parse rule). */
static bool in_extent(uint32_t first, uint32_t n, uint32_t id, uint32_t count)
{
	uint32_t last = first + n - 1, id2 = id + count - 1;

	return id >= first && id <= last && id2 >= first && id2 <= last;
}

static const struct pm_uid_gid_extent *find_down(const struct pm_uid_gid_map *map, uint32_t id,
                                                 uint32_t count)
{
	uint32_t n = load_nr(map);
	const struct pm_uid_gid_extent *e;
	size_t lo = 0, hi = n;

	if (n <= PM_UID_GID_MAP_MAX_BASE_EXTENTS) {
		for (uint32_t i = 0; i < n; i++)
			if (in_extent(map->u.extent[i].first, map->u.extent[i].count, id, count))
				return &map->u.extent[i];
		return NULL;
	}
	e = map->u.sorted.forward;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (in_extent(e[mid].first, e[mid].count, id, count))
			return &e[mid];
		if (id < e[mid].first || id + count - 1 < e[mid].first)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct pm_uid_gid_extent *find_up(const struct pm_uid_gid_map *map, uint32_t id)
{
	uint32_t n = load_nr(map);
	const struct pm_uid_gid_extent *e;
	size_t lo = 0, hi = n;

	if (n <= PM_UID_GID_MAP_MAX_BASE_EXTENTS) {
		for (uint32_t i = 0; i < n; i++)
			if (in_extent(map->u.extent[i].lower_first, map->u.extent[i].count, id, 1))
				return &map->u.extent[i];
		return NULL;
	}
	e = map->u.sorted.reverse;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (in_extent(e[mid].lower_first, e[mid].count, id, 1))
			return &e[mid];
		if (id < e[mid].lower_first)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

uint32_t pm_userns_map_id_range_down(const struct pm_uid_gid_map *map, uint32_t id, uint32_t count)
{
	const struct pm_uid_gid_extent *e = find_down(map, id, count);

	return e ? id - e->first + e->lower_first : UINT32_MAX;
}

uint32_t pm_userns_map_id_up(const struct pm_uid_gid_map *map, uint32_t id)
{
	const struct pm_uid_gid_extent *e = find_up(map, id);

	return e ? id - e->lower_first + e->first : UINT32_MAX;
}

pm_uid_t pm_userns_make_kuid(const struct pm_userns *ns, pm_uid_t uid)
{
	return pm_userns_map_id_range_down(&ns->uid_map, uid, 1);
}

pm_uid_t pm_userns_from_kuid(const struct pm_userns *ns, pm_uid_t kuid)
{
	return pm_userns_map_id_up(&ns->uid_map, kuid);
}

pm_uid_t pm_userns_from_kuid_munged(const struct pm_userns *ns, pm_uid_t kuid)
{
	pm_uid_t uid = pm_userns_map_id_up(&ns->uid_map, kuid);

	return uid == PM_UID_INVALID ? PM_OVERFLOWUID : uid;
}

pm_gid_t pm_userns_make_kgid(const struct pm_userns *ns, pm_gid_t gid)
{
	return pm_userns_map_id_range_down(&ns->gid_map, gid, 1);
}

pm_gid_t pm_userns_from_kgid(const struct pm_userns *ns, pm_gid_t kgid)
{
	return pm_userns_map_id_up(&ns->gid_map, kgid);
}

pm_gid_t pm_userns_from_kgid_munged(const struct pm_userns *ns, pm_gid_t kgid)
{
	pm_gid_t gid = pm_userns_map_id_up(&ns->gid_map, kgid);

	return gid == PM_GID_INVALID ? PM_OVERFLOWGID : gid;
}

bool pm_userns_kuid_has_mapping(const struct pm_userns *ns, pm_uid_t kuid)
{
	return pm_userns_from_kuid(ns, kuid) != PM_UID_INVALID;
}

bool pm_userns_kgid_has_mapping(const struct pm_userns *ns, pm_gid_t kgid)
{
	return pm_userns_from_kgid(ns, kgid) != PM_GID_INVALID;
}
