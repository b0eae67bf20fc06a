/* SPDX-License-Identifier: MIT */
/*
 * Writing and showing id maps: the text of /proc/PID/uid_map, gid_map,
 * projid_map and setgroups (Linux kernel/user_namespace.c map_write,
 * mappings_overlap, new_idmap_permitted, verify_root_map, sort_idmaps,
 * proc_setgroups_write, uid_m_show). The text is untrusted.
 */
#include "cred/cred_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_string.h"

#define EXTENT_SIZE sizeof(struct pm_uid_gid_extent)

/* The kernel's isspace (lib/ctype.c): ASCII white space and 0xA0. */
static bool k_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xA0;
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && k_isspace(*p))
		p++;
	return p;
}

/* simple_strtoul(p, &p, 10) stored in a u32: decimal digits, wrapping. */
static uint32_t parse_u32(const char **pp, const char *end)
{
	const char *p = *pp;
	uint32_t v = 0;

	while (p < end && *p >= '0' && *p <= '9')
		v = v * 10u + (uint32_t)(*p++ - '0');
	*pp = p;
	return v;
}

/* Is the character at @p (end of line reads as NUL) white space? */
static bool space_at(const char *p, const char *end)
{
	return p < end && k_isspace(*p);
}

static bool overlaps(const struct pm_uid_gid_extent *prev, size_t n,
                     const struct pm_uid_gid_extent *e)
{
	uint32_t ul = e->first + e->count - 1, ll = e->lower_first + e->count - 1;

	for (size_t i = 0; i < n; i++) {
		uint32_t pul = prev[i].first + prev[i].count - 1;
		uint32_t pll = prev[i].lower_first + prev[i].count - 1;

		if (prev[i].first <= ul && pul >= e->first)
			return true;
		if (prev[i].lower_first <= ll && pll >= e->lower_first)
			return true;
	}
	return false;
}

/* Parse one line [p, end) into @e. */
static int parse_line(const char *p, const char *end, struct pm_uid_gid_extent *e)
{
	p = skip_spaces(p, end);
	e->first = parse_u32(&p, end);
	if (!space_at(p, end))
		return -PM_EINVAL;
	p = skip_spaces(p, end);
	e->lower_first = parse_u32(&p, end);
	if (!space_at(p, end))
		return -PM_EINVAL;
	p = skip_spaces(p, end);
	e->count = parse_u32(&p, end);
	if (p < end && !k_isspace(*p))
		return -PM_EINVAL;
	if (skip_spaces(p, end) != end)
		return -PM_EINVAL;
	if (e->first == UINT32_MAX || e->lower_first == UINT32_MAX)
		return -PM_EINVAL;
	/* A count of zero, or a range that wraps. */
	if (e->first + e->count <= e->first || e->lower_first + e->count <= e->lower_first)
		return -PM_EINVAL;
	return 0;
}

/* Parse into @out, which has room for @cap extents. */
static int parse_map(const char *text, size_t len, struct pm_uid_gid_extent *out, size_t cap,
                     size_t *nr)
{
	const char *end = text + pm_strnlen(text, len), *p = text;
	size_t n = 0;

	if (len >= PM_PAGE_SIZE)
		return -PM_EINVAL;
	for (;;) {
		const char *nl = p, *next;
		int err;

		while (nl < end && *nl != '\n')
			nl++;
		next = nl < end ? nl + 1 : NULL;
		if (next == end)
			next = NULL;
		err = parse_line(p, nl, &out[n]);
		if (err || overlaps(out, n, &out[n]))
			return -PM_EINVAL;
		if (n + 1 == PM_UID_GID_MAP_MAX_EXTENTS && next)
			return -PM_EINVAL;
		if (++n == cap && next)
			return -PM_E2BIG; /* internal: caller retries with room for every extent */
		if (!next)
			break;
		p = next;
	}
	*nr = n;
	return 0;
}

int pm_userns_parse_map(const char *text, size_t len, struct pm_uid_gid_extent *out, size_t *nr)
{
	int err = parse_map(text, len, out, PM_UID_GID_MAP_MAX_EXTENTS, nr);

	PM_ASSERT(err != -PM_E2BIG);
	return err;
}

static struct pm_uid_gid_map *map_of(struct pm_userns *ns, enum pm_userns_map_kind kind)
{
	return kind == PM_USERNS_UID_MAP   ? &ns->uid_map
	       : kind == PM_USERNS_GID_MAP ? &ns->gid_map
	                                   : &ns->projid_map;
}

/* verify_root_map: mapping the parent's uid 0 needs CAP_SETFCAP. */
static bool verify_root_map(const struct pm_cred *opener, const struct pm_userns *ns,
                            const struct pm_uid_gid_extent *e, size_t n)
{
	size_t i = 0;

	while (i < n && e[i].lower_first != 0)
		i++;
	if (i == n)
		return true;
	if (opener->user_ns == ns)
		return ns->parent_could_setfcap;
	return pm_cred_ns_capable(opener, ns->parent, PM_CAP_SETFCAP);
}

/* new_idmap_permitted, with the extents still in parent-namespace ids. */
static bool idmap_permitted(const struct pm_userns *ns, enum pm_userns_map_kind kind,
                            const struct pm_uid_gid_extent *e, size_t n,
                            const struct pm_cred *opener, const struct pm_cred *writer)
{
	unsigned int cap = kind == PM_USERNS_UID_MAP ? PM_CAP_SETUID : PM_CAP_SETGID;

	if (kind == PM_USERNS_UID_MAP && !verify_root_map(opener, ns, e, n))
		return false;
	/* One id, the opener's own: nothing it could not do without the map. */
	if (n == 1 && e[0].count == 1 && ns->owner == opener->euid) {
		if (kind == PM_USERNS_UID_MAP &&
		    pm_userns_make_kuid(ns->parent, e[0].lower_first) == opener->euid)
			return true;
		if (kind == PM_USERNS_GID_MAP &&
		    !(__atomic_load_n(&ns->flags, __ATOMIC_RELAXED) &
		      PM_USERNS_SETGROUPS_ALLOWED) &&
		    pm_userns_make_kgid(ns->parent, e[0].lower_first) == opener->egid)
			return true;
	}
	if (kind == PM_USERNS_PROJID_MAP)
		return true;
	return pm_cred_ns_capable(writer, ns->parent, cap) &&
	       pm_cred_ns_capable(opener, ns->parent, cap);
}

/* Heapsort by inside (by_lower false) or outside id. */
static uint32_t key_of(const struct pm_uid_gid_extent *e, bool by_lower)
{
	return by_lower ? e->lower_first : e->first;
}

static void sort_extents(struct pm_uid_gid_extent *a, size_t n, bool by_lower)
{
	for (size_t start = n / 2, end = n; end > 1;) {
		size_t root;

		if (start > 0) {
			start--;
		} else {
			struct pm_uid_gid_extent t = a[0];

			a[0] = a[--end];
			a[end] = t;
		}
		root = start;
		while (2 * root + 1 < end) {
			size_t c = 2 * root + 1;
			struct pm_uid_gid_extent t;

			if (c + 1 < end && key_of(&a[c], by_lower) < key_of(&a[c + 1], by_lower))
				c++;
			if (key_of(&a[root], by_lower) >= key_of(&a[c], by_lower))
				break;
			t = a[root];
			a[root] = a[c];
			a[c] = t;
			root = c;
		}
	}
}

/* Map lower ids through the parent's map into global ids (map_write's last check). */
static bool map_to_global(const struct pm_uid_gid_map *parent_map, struct pm_uid_gid_extent *e,
                          size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t k = pm_userns_map_id_range_down(parent_map, e[i].lower_first, e[i].count);

		if (k == UINT32_MAX)
			return false;
		e[i].lower_first = k;
	}
	return true;
}

static bool map_written(const struct pm_uid_gid_map *map)
{
	return __atomic_load_n(&map->nr_extents, __ATOMIC_ACQUIRE) != 0;
}

int pm_userns_write_map(struct pm_userns *ns, enum pm_userns_map_kind kind, const char *text,
                        size_t len, uint64_t offset, const struct pm_cred *opener,
                        const struct pm_cred *writer)
{
	struct pm_uid_gid_map *map = map_of(ns, kind);
	struct pm_uid_gid_extent small[PM_UID_GID_MAP_MAX_BASE_EXTENTS];
	struct pm_uid_gid_extent *e = small, *fwd = NULL, *rev = NULL;
	size_t n = 0;
	int err;

	if (!ns->parent || (opener->user_ns != ns && opener->user_ns != ns->parent))
		return -PM_EPERM;
	if (offset != 0 || len >= PM_PAGE_SIZE)
		return -PM_EINVAL;
	/* Checked again under the lock; this keeps Linux's order of errors. */
	if (map_written(map))
		return -PM_EPERM;
	if (kind != PM_USERNS_PROJID_MAP && !pm_cred_ns_capable(opener, ns, PM_CAP_SYS_ADMIN))
		return -PM_EPERM;
	err = parse_map(text, len, small, PM_UID_GID_MAP_MAX_BASE_EXTENTS, &n);
	if (err == -PM_E2BIG) {
		/* More than five extents: Linux keeps room for 340 and a sorted copy. */
		fwd = pm_hal_alloc(PM_UID_GID_MAP_MAX_EXTENTS * EXTENT_SIZE, _Alignof(uint32_t));
		if (!fwd)
			return -PM_ENOMEM;
		e = fwd;
		err = parse_map(text, len, fwd, PM_UID_GID_MAP_MAX_EXTENTS, &n);
		if (!err) {
			rev = pm_hal_alloc(n * EXTENT_SIZE, _Alignof(uint32_t));
			if (!rev)
				err = -PM_ENOMEM;
		}
	}
	if (err)
		goto out;

	pm_hal_lock_acquire(&ns->state_lock);
	err = -PM_EPERM;
	if (map->nr_extents != 0 || !idmap_permitted(ns, kind, e, n, opener, writer) ||
	    !map_to_global(map_of(ns->parent, kind), e, n))
		goto unlock;
	if (fwd) {
		sort_extents(fwd, n, false);
		pm_memcpy(rev, fwd, n * EXTENT_SIZE);
		sort_extents(rev, n, true);
		map->u.sorted.forward = fwd;
		map->u.sorted.reverse = rev;
		fwd = rev = NULL;
	} else {
		pm_memcpy(map->u.extent, small, n * EXTENT_SIZE);
	}
	/* Readers see the extents before the count. */
	__atomic_store_n(&map->nr_extents, (uint32_t)n, __ATOMIC_RELEASE);
	err = 0;
unlock:
	pm_hal_lock_release(&ns->state_lock);
out:
	if (fwd)
		pm_hal_free(fwd, PM_UID_GID_MAP_MAX_EXTENTS * EXTENT_SIZE);
	if (rev)
		pm_hal_free(rev, n * EXTENT_SIZE);
	return err;
}

int pm_userns_write_setgroups(struct pm_userns *ns, const struct pm_cred *opener, const char *text,
                              size_t len, uint64_t offset)
{
	const char *end = text + pm_strnlen(text, len), *p = text;
	bool allow;
	int err = 0;

	if (!pm_cred_ns_capable(opener, ns, PM_CAP_SYS_ADMIN))
		return -PM_EACCES;
	if (offset != 0 || len >= 8)
		return -PM_EINVAL;
	if (end - p >= 5 && pm_memcmp(p, "allow", 5) == 0) {
		allow = true;
		p += 5;
	} else if (end - p >= 4 && pm_memcmp(p, "deny", 4) == 0) {
		allow = false;
		p += 4;
	} else {
		return -PM_EINVAL;
	}
	if (skip_spaces(p, end) != end)
		return -PM_EINVAL;
	pm_hal_lock_acquire(&ns->state_lock);
	if (allow) {
		/* Once denied, setgroups stays denied. */
		if (!(ns->flags & PM_USERNS_SETGROUPS_ALLOWED))
			err = -PM_EPERM;
	} else if (ns->gid_map.nr_extents != 0) {
		/* Too late: gid_map already enabled setgroups. */
		err = -PM_EPERM;
	} else {
		__atomic_store_n(&ns->flags, ns->flags & ~PM_USERNS_SETGROUPS_ALLOWED,
		                 __ATOMIC_RELEASE);
	}
	pm_hal_lock_release(&ns->state_lock);
	return err;
}

bool pm_userns_may_setgroups(const struct pm_userns *ns)
{
	/* Once gid_map is written the switch can no longer change. */
	return map_written(&ns->gid_map) &&
	       (__atomic_load_n(&ns->flags, __ATOMIC_ACQUIRE) & PM_USERNS_SETGROUPS_ALLOWED);
}

/* "%10u" */
static char *put_u10(char *p, uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = n; i < 10; i++)
		*p++ = ' ';
	while (n)
		*p++ = d[--n];
	return p;
}

int pm_userns_show_map(const struct pm_userns *ns, enum pm_userns_map_kind kind,
                       const struct pm_userns *reader_ns, char *buf, size_t size, size_t *len)
{
	const struct pm_uid_gid_map *map = map_of(pm_userns_mut_(ns), kind);
	uint32_t n = __atomic_load_n(&map->nr_extents, __ATOMIC_ACQUIRE);
	const struct pm_uid_gid_extent *e =
	    n <= PM_UID_GID_MAP_MAX_BASE_EXTENTS ? map->u.extent : map->u.sorted.forward;
	const struct pm_userns *lower_ns = reader_ns;
	char *p = buf;

	if (lower_ns == ns && ns->parent)
		lower_ns = ns->parent;
	if ((size_t)n * 33 > size)
		return -PM_ENOSPC;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t lower =
		    pm_userns_map_id_up(map_of(pm_userns_mut_(lower_ns), kind), e[i].lower_first);

		p = put_u10(p, e[i].first);
		*p++ = ' ';
		p = put_u10(p, lower);
		*p++ = ' ';
		p = put_u10(p, e[i].count);
		*p++ = '\n';
	}
	*len = (size_t)(p - buf);
	return 0;
}
