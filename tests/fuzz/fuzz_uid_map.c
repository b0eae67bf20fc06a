/*
 * Fuzz the uid_map parser and the whole map write: arbitrary text is
 * written to a fresh child namespace by the root of the parent. The first
 * byte picks the map kind and the writer. Invariants: the parser either
 * refuses or returns 1..340 extents that are non-empty, do not wrap and do
 * not overlap on either side; a successful write translates every id of
 * every extent down and back up; a refused write leaves the map
 * unwritten; nothing leaks (LeakSanitizer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/cred.h"
#include "procmgr/errno.h"
#include "procmgr/rlimit.h"
#include "procmgr/userns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_extents(const struct pm_uid_gid_extent *e, size_t n)
{
	if (n < 1 || n > PM_UID_GID_MAP_MAX_EXTENTS)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (e[i].count == 0 || e[i].first == UINT32_MAX || e[i].lower_first == UINT32_MAX)
			abort();
		if ((uint32_t)(e[i].first + e[i].count) <= e[i].first ||
		    (uint32_t)(e[i].lower_first + e[i].count) <= e[i].lower_first)
			abort();
		for (size_t j = 0; j < i; j++) {
			if (e[j].first <= e[i].first + e[i].count - 1 &&
			    e[j].first + e[j].count - 1 >= e[i].first)
				abort();
			if (e[j].lower_first <= e[i].lower_first + e[i].count - 1 &&
			    e[j].lower_first + e[j].count - 1 >= e[i].lower_first)
				abort();
		}
	}
}

static void check_map(const struct pm_userns *ns, const struct pm_uid_gid_map *map,
                      const struct pm_uid_gid_extent *e, size_t n)
{
	if (map->nr_extents != n)
		abort();
	for (size_t i = 0; i < n; i++) {
		/* First, last and one id in between of every extent. */
		uint32_t probe[3] = {0, e[i].count - 1, e[i].count / 2};

		for (int k = 0; k < 3; k++) {
			uint32_t in = e[i].first + probe[k];
			uint32_t out = pm_userns_map_id_range_down(map, in, 1);

			if (out != e[i].lower_first + probe[k])
				abort();
			if (pm_userns_map_id_up(map, out) != in)
				abort();
		}
	}
	(void)ns;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_uid_gid_extent e[PM_UID_GID_MAP_MAX_EXTENTS];
	struct pm_userns root;
	struct pm_rlimits rl;
	const struct pm_cred *init;
	struct pm_cred *child;
	const struct pm_cred *writer;
	enum pm_userns_map_kind kind;
	size_t n = 0;
	int perr, werr;

	if (size < 1)
		return 0;
	kind = (enum pm_userns_map_kind)(data[0] % 3);
	perr = pm_userns_parse_map((const char *)data + 1, size - 1, e, &n);
	if (perr == 0)
		check_extents(e, n);
	else if (perr != -PM_EINVAL)
		abort();

	pm_userns_init_root(&root, 1000);
	pm_rlimits_init(&rl, 1000);
	if (pm_cred_init_root(&root, &init) != 0)
		abort();
	if (pm_cred_prepare_userns(init, &rl, false, &child) != 0)
		abort();
	/* The root of the parent, or the namespace's own root (unprivileged paths). */
	writer = (data[0] & 4) ? child : init;
	werr = pm_userns_write_map(child->user_ns, kind, (const char *)data + 1, size - 1, 0,
	                           writer, writer);
	{
		const struct pm_uid_gid_map *map =
		    kind == PM_USERNS_UID_MAP   ? &child->user_ns->uid_map
		    : kind == PM_USERNS_GID_MAP ? &child->user_ns->gid_map
		                                : &child->user_ns->projid_map;

		if (werr == 0) {
			if (perr != 0)
				abort();
			/* The parent is the identity map: outside ids are global ids. */
			check_map(child->user_ns, map, e, n);
		} else {
			if (werr != -PM_EINVAL && werr != -PM_EPERM)
				abort();
			if (map->nr_extents != 0)
				abort();
			if (perr != 0 && werr != -PM_EINVAL)
				abort();
		}
	}
	pm_cred_abort(child);
	pm_cred_put(init);
	pm_rlimits_destroy(&rl);
	pm_userns_destroy_root(&root);
	return 0;
}
