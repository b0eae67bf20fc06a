/* SPDX-License-Identifier: MIT */
/*
 * Free-gap search over the area tree: the highest (top-down) or lowest
 * free range of a given length inside [low, high). Linux asks its maple
 * tree the same question (mas_empty_area_rev / mas_empty_area from
 * unmapped_area_topdown / unmapped_area in mm/mmap.c).
 *
 * Each inner node knows the largest gap inside each child, so a child
 * whose gaps are all too small is skipped without being read. A child
 * lying wholly inside [low, high) whose largest gap is big enough always
 * yields a result; only the children straddling low or high can be
 * entered in vain, one per level on each side, so a search reads
 * O(height) nodes.
 */
#include "vm/vm_internal.h"

struct gap_req {
	pm_uaddr_t low, high;
	uint64_t len;
	pm_uaddr_t start, end; /* the result */
};

/* Does the free range [gs, ge) clipped to [low, high) hold len bytes? */
static bool fits(struct gap_req *r, pm_uaddr_t gs, pm_uaddr_t ge)
{
	pm_uaddr_t lo = gs > r->low ? gs : r->low;
	pm_uaddr_t hi = ge < r->high ? ge : r->high;

	if (hi <= lo || hi - lo < r->len)
		return false;
	r->start = lo;
	r->end = hi;
	return true;
}

static bool highest(const struct pm_vmt_node *n, struct gap_req *r)
{
	if (n->leaf) {
		for (unsigned int j = n->n; j-- > 1;) {
			if (n->u.l.start[j] <= r->low)
				return false;
			if (fits(r, n->u.l.end[j - 1], n->u.l.start[j]))
				return true;
		}
		return false;
	}
	for (unsigned int i = n->n; i-- > 0;) {
		if (n->u.i.last[i] <= r->low)
			return false;
		if (n->u.i.first[i] < r->high && n->u.i.gap[i] >= r->len &&
		    highest(n->u.i.child[i], r))
			return true;
		if (i > 0 && fits(r, n->u.i.last[i - 1], n->u.i.first[i]))
			return true;
	}
	return false;
}

static bool lowest(const struct pm_vmt_node *n, struct gap_req *r)
{
	if (n->leaf) {
		for (unsigned int j = 1; j < n->n; j++) {
			if (n->u.l.end[j - 1] >= r->high)
				return false;
			if (fits(r, n->u.l.end[j - 1], n->u.l.start[j]))
				return true;
		}
		return false;
	}
	for (unsigned int i = 0; i < n->n; i++) {
		if (n->u.i.first[i] >= r->high)
			return false;
		if (n->u.i.last[i] > r->low && n->u.i.gap[i] >= r->len &&
		    lowest(n->u.i.child[i], r))
			return true;
		if (i + 1u < n->n && fits(r, n->u.i.last[i], n->u.i.first[i + 1]))
			return true;
	}
	return false;
}

static pm_uaddr_t tree_first(const struct pm_vmt_node *n)
{
	return n->leaf ? n->u.l.start[0] : n->u.i.first[0];
}

static pm_uaddr_t tree_last(const struct pm_vmt_node *n)
{
	return n->leaf ? n->u.l.end[n->n - 1] : n->u.i.last[n->n - 1];
}

static bool search(const struct pm_vmspace *vs, struct gap_req *r, bool top)
{
	const struct pm_vmt_node *root = vs->root;

	if (r->len == 0 || r->low >= r->high)
		return false;
	if (!root)
		return fits(r, 0, UINT64_MAX);
	if (top)
		return fits(r, tree_last(root), UINT64_MAX) || highest(root, r) ||
		       fits(r, 0, tree_first(root));
	return fits(r, 0, tree_first(root)) || lowest(root, r) ||
	       fits(r, tree_last(root), UINT64_MAX);
}

bool vmt_gap_highest(const struct pm_vmspace *vs, pm_uaddr_t low, pm_uaddr_t high, uint64_t len,
                     pm_uaddr_t *start, pm_uaddr_t *end)
{
	struct gap_req r = {low, high, len, 0, 0};

	if (!search(vs, &r, true))
		return false;
	*start = r.start;
	*end = r.end;
	return true;
}

bool vmt_gap_lowest(const struct pm_vmspace *vs, pm_uaddr_t low, pm_uaddr_t high, uint64_t len,
                    pm_uaddr_t *start, pm_uaddr_t *end)
{
	struct gap_req r = {low, high, len, 0, 0};

	if (!search(vs, &r, false))
		return false;
	*start = r.start;
	*end = r.end;
	return true;
}
