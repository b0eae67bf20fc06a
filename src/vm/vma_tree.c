/* SPDX-License-Identifier: MIT */
/*
 * The B+tree of VM areas (see vm_internal.h for the shape). Linux keeps its
 * VMAs in a maple tree, a B-tree whose nodes record the largest gap below
 * them (lib/maple_tree.c); this is the same idea with plain B+tree nodes of
 * 256 bytes: leaves of 10 areas, inner nodes of 7 children.
 *
 * Every function here works on a tree the caller has reserved nodes for and
 * cannot fail; allocation happens in vmt_reserve() only.
 */
#include "vm/vm_internal.h"

#include "hal/pm_assert.h"
#include "hal/pm_bits.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

PM_STATIC_ASSERT(sizeof(struct pm_vmt_node) <= 256, "a tree node fits a 256-byte block");

/* ---- spare nodes ---- */

int vmt_reserve(struct pm_vmspace *vs, unsigned int inserts)
{
	/* An insert splits at most one node per level and adds a root. */
	unsigned int need = inserts * (vs->height + 1 + inserts);

	while (vs->nspare < need) {
		struct pm_vmt_node *n = pm_hal_alloc(sizeof(*n), 64);

		if (!n)
			return -PM_ENOMEM;
		n->next_spare = vs->spare;
		vs->spare = n;
		vs->nspare++;
	}
	return 0;
}

void vmt_trim(struct pm_vmspace *vs)
{
	unsigned int keep = 2 * (vs->height + 3);

	while (vs->nspare > keep) {
		struct pm_vmt_node *n = vs->spare;

		vs->spare = n->next_spare;
		vs->nspare--;
		pm_hal_free(n, sizeof(*n));
	}
}

struct pm_vmt_node *vmt_node_take(struct pm_vmspace *vs, bool leaf)
{
	struct pm_vmt_node *n = vs->spare;

	PM_ASSERT(n != NULL);
	vs->spare = n->next_spare;
	vs->nspare--;
	n->leaf = leaf ? 1 : 0;
	n->n = 0;
	n->next_spare = NULL;
	return n;
}

void vmt_node_give(struct pm_vmspace *vs, struct pm_vmt_node *n)
{
	n->next_spare = vs->spare;
	vs->spare = n;
	vs->nspare++;
}

static void free_subtree(struct pm_vmt_node *n)
{
	if (!n->leaf)
		for (unsigned int i = 0; i < n->n; i++)
			free_subtree(n->u.i.child[i]);
	pm_hal_free(n, sizeof(*n));
}

void vmt_free_all(struct pm_vmspace *vs)
{
	if (vs->root)
		free_subtree(vs->root);
	vs->root = NULL;
	vs->height = 0;
	vs->map_count = 0;
	while (vs->spare) {
		struct pm_vmt_node *n = vs->spare;

		vs->spare = n->next_spare;
		pm_hal_free(n, sizeof(*n));
	}
	vs->nspare = 0;
}

/* ---- summaries ---- */

static pm_uaddr_t node_first(const struct pm_vmt_node *n)
{
	return n->leaf ? n->u.l.start[0] : n->u.i.first[0];
}

static pm_uaddr_t node_last(const struct pm_vmt_node *n)
{
	return n->leaf ? n->u.l.end[n->n - 1] : n->u.i.last[n->n - 1];
}

static uint64_t node_gap(const struct pm_vmt_node *n)
{
	uint64_t g = 0;

	if (n->leaf) {
		for (unsigned int j = 1; j < n->n; j++)
			g = pm_max_u64(g, n->u.l.start[j] - n->u.l.end[j - 1]);
		return g;
	}
	g = n->u.i.gap[0];
	for (unsigned int k = 1; k < n->n; k++) {
		g = pm_max_u64(g, n->u.i.gap[k]);
		g = pm_max_u64(g, n->u.i.first[k] - n->u.i.last[k - 1]);
	}
	return g;
}

static void set_child(struct pm_vmt_node *p, unsigned int i, struct pm_vmt_node *child)
{
	p->u.i.child[i] = child;
	p->u.i.first[i] = node_first(child);
	p->u.i.last[i] = node_last(child);
	p->u.i.gap[i] = node_gap(child);
}

/* The node at `level` of the path changed: refresh its ancestors. */
static void fix_path(const struct vmt_cursor *c, unsigned int level)
{
	for (unsigned int k = level; k-- > 0;)
		set_child(c->node[k], c->idx[k], c->node[k + 1]);
}

/* ---- lookups ---- */

/* Path to the first entry whose end is above addr; the leaf index may be
 * n (past the last entry of the last leaf). Tree not empty. */
static void descend(const struct pm_vmspace *vs, pm_uaddr_t addr, struct vmt_cursor *c)
{
	struct pm_vmt_node *n = vs->root;
	unsigned int d = 0, j = 0;

	while (!n->leaf) {
		unsigned int i = 0;

		while (i + 1 < n->n && n->u.i.last[i] <= addr)
			i++;
		c->node[d] = n;
		c->idx[d++] = i;
		n = n->u.i.child[i];
	}
	while (j < n->n && n->u.l.end[j] <= addr)
		j++;
	c->node[d] = n;
	c->idx[d] = j;
	c->depth = d + 1;
}

bool vmt_seek(const struct pm_vmspace *vs, pm_uaddr_t addr, struct vmt_cursor *c)
{
	if (!vs->root) {
		c->depth = 0;
		return false;
	}
	descend(vs, addr, c);
	if (c->idx[c->depth - 1] == c->node[c->depth - 1]->n) {
		c->depth = 0;
		return false;
	}
	return true;
}

struct pm_vma *vmt_find_next(const struct pm_vmspace *vs, pm_uaddr_t addr)
{
	const struct pm_vmt_node *n = vs->root;
	unsigned int j = 0;

	if (!n)
		return NULL;
	while (!n->leaf) {
		unsigned int i = 0;

		while (i + 1 < n->n && n->u.i.last[i] <= addr)
			i++;
		n = n->u.i.child[i];
	}
	while (j < n->n && n->u.l.end[j] <= addr)
		j++;
	return j < n->n ? n->u.l.vma[j] : NULL;
}

/* Fill the path below `level` with the leftmost (or rightmost) entries. */
static void edge_below(struct vmt_cursor *c, unsigned int level, bool rightmost)
{
	struct pm_vmt_node *n = c->node[level]->u.i.child[c->idx[level]];

	for (unsigned int k = level + 1; k < c->depth; k++) {
		c->node[k] = n;
		c->idx[k] = rightmost ? n->n - 1u : 0;
		if (!n->leaf)
			n = n->u.i.child[c->idx[k]];
	}
}

static bool edge(const struct pm_vmspace *vs, struct vmt_cursor *c, bool rightmost)
{
	if (!vs->root) {
		c->depth = 0;
		return false;
	}
	c->depth = vs->height;
	c->node[0] = vs->root;
	c->idx[0] = rightmost ? vs->root->n - 1u : 0;
	if (!vs->root->leaf)
		edge_below(c, 0, rightmost);
	return true;
}

bool vmt_first(const struct pm_vmspace *vs, struct vmt_cursor *c)
{
	return edge(vs, c, false);
}

bool vmt_last(const struct pm_vmspace *vs, struct vmt_cursor *c)
{
	return edge(vs, c, true);
}

bool vmt_next(struct vmt_cursor *c)
{
	unsigned int d = c->depth - 1;

	if (c->idx[d] + 1u < c->node[d]->n) {
		c->idx[d]++;
		return true;
	}
	while (d-- > 0) {
		if (c->idx[d] + 1u < c->node[d]->n) {
			c->idx[d]++;
			edge_below(c, d, false);
			return true;
		}
	}
	c->depth = 0;
	return false;
}

bool vmt_prev(struct vmt_cursor *c)
{
	unsigned int d = c->depth - 1;

	if (c->idx[d] > 0) {
		c->idx[d]--;
		return true;
	}
	while (d-- > 0) {
		if (c->idx[d] > 0) {
			c->idx[d]--;
			edge_below(c, d, true);
			return true;
		}
	}
	c->depth = 0;
	return false;
}

/* ---- entry moves ---- */

static void leaf_put(struct pm_vmt_node *l, unsigned int j, pm_uaddr_t s, pm_uaddr_t e,
                     struct pm_vma *v)
{
	l->u.l.start[j] = s;
	l->u.l.end[j] = e;
	l->u.l.vma[j] = v;
}

static void leaf_copy(struct pm_vmt_node *d, unsigned int dj, const struct pm_vmt_node *s,
                      unsigned int sj)
{
	leaf_put(d, dj, s->u.l.start[sj], s->u.l.end[sj], s->u.l.vma[sj]);
}

static void inner_copy(struct pm_vmt_node *d, unsigned int di, const struct pm_vmt_node *s,
                       unsigned int si)
{
	d->u.i.child[di] = s->u.i.child[si];
	d->u.i.first[di] = s->u.i.first[si];
	d->u.i.last[di] = s->u.i.last[si];
	d->u.i.gap[di] = s->u.i.gap[si];
}

static void entry_copy(struct pm_vmt_node *d, unsigned int di, const struct pm_vmt_node *s,
                       unsigned int si)
{
	if (d->leaf)
		leaf_copy(d, di, s, si);
	else
		inner_copy(d, di, s, si);
}

/* Open a hole at index i (entries i.. move up one). */
static void open_at(struct pm_vmt_node *n, unsigned int i)
{
	for (unsigned int k = n->n; k > i; k--)
		entry_copy(n, k, n, k - 1);
	n->n++;
}

/* Close the entry at index i. */
static void close_at(struct pm_vmt_node *n, unsigned int i)
{
	for (unsigned int k = i; k + 1u < n->n; k++)
		entry_copy(n, k, n, k + 1);
	n->n--;
}

/*
 * Split the full node `n` while inserting `one`'s entry 0 at index `pos`:
 * `n` keeps the lower half of the n + 1 entries, `r` (empty, same kind)
 * gets the upper half. `r` is filled before `n` shifts, since it reads
 * entries `n` is about to move.
 */
static void split_insert(struct pm_vmt_node *n, struct pm_vmt_node *r, unsigned int pos,
                         const struct pm_vmt_node *one)
{
	unsigned int total = n->n + 1u, left = (total + 1u) / 2u;

	for (unsigned int k = left; k < total; k++) {
		if (k == pos)
			entry_copy(r, k - left, one, 0);
		else
			entry_copy(r, k - left, n, k < pos ? k : k - 1u);
	}
	if (pos < left) {
		for (unsigned int k = left - 1u; k > pos; k--)
			entry_copy(n, k, n, k - 1u);
		entry_copy(n, pos, one, 0);
	}
	n->n = (uint8_t)left;
	r->n = (uint8_t)(total - left);
}

/* ---- insert ---- */

/*
 * The full node at `level` is about to take an entry at index `ins`. If a
 * sibling has room, move entries there instead of splitting (as a B*-tree
 * does): sequential insertion, the shape of top-down mmap placement, then
 * fills nodes instead of leaving them half empty. Only entries on the far
 * side of `ins` move, so the insertion point stays in this node; *ins is
 * updated. Both nodes keep at least their minimum fill.
 */
static bool shift_to_sibling(struct vmt_cursor *c, unsigned int level, unsigned int *ins)
{
	struct pm_vmt_node *n = c->node[level], *p, *sib;
	unsigned int max = n->leaf ? VMT_LEAF_MAX : VMT_INNER_MAX, pi, k;

	if (level == 0)
		return false;
	p = c->node[level - 1];
	pi = c->idx[level - 1];
	if (pi > 0) {
		sib = p->u.i.child[pi - 1];
		k = (max - sib->n) / 2u;
		k = k < *ins ? k : *ins;
		if (k > 0) {
			for (unsigned int i = 0; i < k; i++)
				entry_copy(sib, sib->n + i, n, i);
			sib->n = (uint8_t)(sib->n + k);
			for (unsigned int i = k; i < n->n; i++)
				entry_copy(n, i - k, n, i);
			n->n = (uint8_t)(n->n - k);
			*ins -= k;
			set_child(p, pi - 1, sib);
			return true;
		}
	}
	if (pi + 1u < p->n) {
		sib = p->u.i.child[pi + 1];
		k = (max - sib->n) / 2u;
		k = k < n->n - *ins ? k : n->n - *ins;
		if (k > 0) {
			for (unsigned int i = sib->n; i-- > 0;)
				entry_copy(sib, i + k, sib, i);
			for (unsigned int i = 0; i < k; i++)
				entry_copy(sib, i, n, n->n - k + i);
			sib->n = (uint8_t)(sib->n + k);
			n->n = (uint8_t)(n->n - k);
			set_child(p, pi + 1, sib);
			return true;
		}
	}
	return false;
}

/* Put `one`'s entry 0 into the node at `level` at index ins (room made). */
static void put_at(struct vmt_cursor *c, unsigned int level, unsigned int ins,
                   const struct pm_vmt_node *one)
{
	open_at(c->node[level], ins);
	entry_copy(c->node[level], ins, one, 0);
	fix_path(c, level);
}

void vmt_insert(struct pm_vmspace *vs, struct pm_vma *vma)
{
	struct vmt_cursor c;
	struct pm_vmt_node one, *carry;
	unsigned int level, ins;

	vs->map_count++;
	if (!vs->root) {
		vs->root = vmt_node_take(vs, true);
		vs->root->n = 1;
		leaf_put(vs->root, 0, vma->start, vma->end, vma);
		vs->height = 1;
		return;
	}
	descend(vs, vma->start, &c);
	level = c.depth - 1;
	ins = c.idx[level];
	one.leaf = 1;
	leaf_put(&one, 0, vma->start, vma->end, vma);
	if (c.node[level]->n < VMT_LEAF_MAX || shift_to_sibling(&c, level, &ins)) {
		put_at(&c, level, ins, &one);
		return;
	}
	carry = vmt_node_take(vs, true);
	split_insert(c.node[level], carry, ins, &one);
	while (level-- > 0) {
		struct pm_vmt_node *p = c.node[level];
		unsigned int pos = c.idx[level];

		set_child(p, pos, p->u.i.child[pos]); /* the left half shrank */
		one.leaf = 0;
		set_child(&one, 0, carry);
		ins = pos + 1;
		if (p->n < VMT_INNER_MAX || shift_to_sibling(&c, level, &ins)) {
			put_at(&c, level, ins, &one);
			return;
		}
		carry = vmt_node_take(vs, false);
		split_insert(p, carry, ins, &one);
	}
	/* The root split: a new root above the two halves. */
	{
		struct pm_vmt_node *root = vmt_node_take(vs, false);

		root->n = 2;
		set_child(root, 0, vs->root);
		set_child(root, 1, carry);
		vs->root = root;
		vs->height++;
	}
}

/* ---- erase ---- */

static void merge_into(struct pm_vmt_node *l, const struct pm_vmt_node *r)
{
	for (unsigned int k = 0; k < r->n; k++)
		entry_copy(l, l->n + k, r, k);
	l->n = (uint8_t)(l->n + r->n);
}

/* The node at `level` lost an entry: borrow or merge upward as needed. */
static void rebalance(struct pm_vmspace *vs, struct vmt_cursor *c, unsigned int level)
{
	for (;;) {
		struct pm_vmt_node *n = c->node[level], *p, *sib;
		unsigned int min = n->leaf ? VMT_LEAF_MIN : VMT_INNER_MIN, pi;

		if (level == 0) {
			if (n->n == 0) {
				vmt_node_give(vs, n);
				vs->root = NULL;
				vs->height = 0;
			} else if (!n->leaf && n->n == 1) {
				vs->root = n->u.i.child[0];
				vs->height--;
				vmt_node_give(vs, n);
			}
			return;
		}
		p = c->node[level - 1];
		pi = c->idx[level - 1];
		if (n->n >= min) {
			fix_path(c, level);
			return;
		}
		if (pi > 0 && p->u.i.child[pi - 1]->n > min) {
			sib = p->u.i.child[pi - 1];
			open_at(n, 0);
			entry_copy(n, 0, sib, sib->n - 1u);
			sib->n--;
			set_child(p, pi - 1, sib);
			fix_path(c, level);
			return;
		}
		if (pi + 1u < p->n && p->u.i.child[pi + 1]->n > min) {
			sib = p->u.i.child[pi + 1];
			entry_copy(n, n->n, sib, 0);
			n->n++;
			close_at(sib, 0);
			set_child(p, pi + 1, sib);
			fix_path(c, level);
			return;
		}
		if (pi > 0) {
			sib = p->u.i.child[pi - 1];
			merge_into(sib, n);
			vmt_node_give(vs, n);
			close_at(p, pi);
			set_child(p, pi - 1, sib);
			c->idx[level - 1] = pi - 1;
		} else {
			sib = p->u.i.child[pi + 1];
			merge_into(n, sib);
			vmt_node_give(vs, sib);
			close_at(p, pi + 1);
			set_child(p, pi, n);
		}
		level--;
	}
}

void vmt_erase(struct pm_vmspace *vs, struct vmt_cursor *c)
{
	unsigned int level = c->depth - 1;

	PM_ASSERT(vs->map_count > 0);
	close_at(c->node[level], c->idx[level]);
	vs->map_count--;
	rebalance(vs, c, level);
	c->depth = 0;
}

void vmt_set_range(struct vmt_cursor *c, pm_uaddr_t start, pm_uaddr_t end)
{
	unsigned int level = c->depth - 1;
	struct pm_vmt_node *l = c->node[level];
	unsigned int j = c->idx[level];

	l->u.l.start[j] = start;
	l->u.l.end[j] = end;
	l->u.l.vma[j]->start = start;
	l->u.l.vma[j]->end = end;
	fix_path(c, level);
}

static void seek_vma(const struct pm_vmspace *vs, const struct pm_vma *vma, struct vmt_cursor *c)
{
	bool found = vmt_seek(vs, vma->start, c);

	PM_ASSERT(found && vmt_vma(c) == vma);
	(void)found;
}

void vmt_erase_vma(struct pm_vmspace *vs, const struct pm_vma *vma)
{
	struct vmt_cursor c;

	seek_vma(vs, vma, &c);
	vmt_erase(vs, &c);
}

void vmt_update(struct pm_vmspace *vs, struct pm_vma *vma, pm_uaddr_t start, pm_uaddr_t end)
{
	struct vmt_cursor c;

	seek_vma(vs, vma, &c);
	vmt_set_range(&c, start, end);
}

/* ---- consistency check ---- */

struct check_state {
	pm_uaddr_t prev_end;
	size_t count;
	unsigned int leaf_depth;
};

static bool check_node(const struct pm_vmt_node *n, unsigned int depth, bool root,
                       struct check_state *st)
{
	unsigned int min = n->leaf ? VMT_LEAF_MIN : VMT_INNER_MIN;
	unsigned int max = n->leaf ? VMT_LEAF_MAX : VMT_INNER_MAX;

	if (n->n == 0 || n->n > max || (!root && n->n < min) || (root && !n->leaf && n->n < 2))
		return false;
	if (n->leaf) {
		if (st->leaf_depth && st->leaf_depth != depth)
			return false;
		st->leaf_depth = depth;
		for (unsigned int j = 0; j < n->n; j++) {
			const struct pm_vma *v = n->u.l.vma[j];

			if (n->u.l.start[j] >= n->u.l.end[j] || n->u.l.start[j] < st->prev_end ||
			    v->start != n->u.l.start[j] || v->end != n->u.l.end[j])
				return false;
			st->prev_end = n->u.l.end[j];
			st->count++;
		}
		return true;
	}
	for (unsigned int i = 0; i < n->n; i++) {
		const struct pm_vmt_node *ch = n->u.i.child[i];

		if (n->u.i.first[i] < st->prev_end || !check_node(ch, depth + 1, false, st))
			return false;
		if (n->u.i.first[i] != node_first(ch) || n->u.i.last[i] != node_last(ch) ||
		    n->u.i.gap[i] != node_gap(ch))
			return false;
	}
	return true;
}

bool vmt_check(const struct pm_vmspace *vs)
{
	struct check_state st = {0, 0, 0};

	if (!vs->root)
		return vs->height == 0 && vs->map_count == 0;
	if (!check_node(vs->root, 1, true, &st))
		return false;
	return st.count == vs->map_count && st.leaf_depth == vs->height;
}
