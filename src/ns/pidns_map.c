/* SPDX-License-Identifier: MIT */
/*
 * The pid map of a namespace: a 64-way radix tree from number to struct
 * pm_pid, the shape of Linux's IDR (lib/idr.c over the xarray). Each node
 * keeps two bitmaps: `used` (slot not NULL) and `full` (no free number
 * below this slot: an entry, a full subtree, pid 0 or a range past
 * pid_max). Lookup walks a fixed number of levels (3 for the default
 * pid_max, 4 for PID_MAX_LIMIT); finding a free number is one descent
 * guided by `full`, with at most one backtrack per level.
 *
 * Nodes come from pm_hal_alloc() before any lock is taken (a stash filled
 * from the table's node cache), never under a lock.
 */
#include "ns/pidns_internal.h"
#include "hal/pm_assert.h"
#include "hal/pm_bits.h"
#include "hal/pm_string.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

#define NODE_ALIGN 64

/* ---- node cache and stash ---------------------------------------------- */

/*
 * The cache is protected by the table lock: nodes move between it and a
 * stash under that lock, and only the shortfall is allocated, with the
 * lock dropped.
 */
void pidmap_cache_init_(struct pm_node_cache *c, uint32_t max)
{
	c->free = NULL;
	c->count = 0;
	c->max = max;
}

void pidmap_cache_destroy_(struct pm_node_cache *c)
{
	while (c->free) {
		void *n = c->free;

		c->free = *(void **)n;
		pm_hal_free(n, sizeof(struct pidmap_node));
	}
	c->count = 0;
}

static void stash_push(struct pidmap_stash *s, void *n)
{
	*(void **)n = s->head;
	s->head = n;
	s->count++;
}

static void *stash_pop(struct pidmap_stash *s)
{
	void *n = s->head;

	PM_ASSERT(n != NULL);
	s->head = *(void **)n;
	s->count--;
	return n;
}

static void take_from_cache(struct pm_table *t, struct pidmap_stash *s, uint32_t need)
{
	struct pm_node_cache *c = &t->cache;

	while (s->count < need && c->free) {
		void *n = c->free;

		c->free = *(void **)n;
		c->count--;
		stash_push(s, n);
	}
}

int pidmap_stash_prepare_locked_(struct pm_table *t, struct pidmap_stash *s, uint32_t need)
{
	take_from_cache(t, s, need);
	if (s->count >= need)
		return 0;
	pm_hal_lock_release(&t->lock);
	while (s->count < need) {
		void *n = pm_hal_alloc(sizeof(struct pidmap_node), NODE_ALIGN);

		if (!n)
			break;
		stash_push(s, n);
	}
	pm_hal_lock_acquire(&t->lock);
	take_from_cache(t, s, need);
	return s->count >= need ? 0 : -PM_ENOMEM;
}

/* A node no map uses any more: keep it for the next operation, or free it. */
static void node_release(struct pm_table *t, void *n)
{
	struct pm_node_cache *c = &t->cache;

	if (c->count < c->max) {
		*(void **)n = c->free;
		c->free = n;
		c->count++;
	} else {
		pm_hal_free(n, sizeof(struct pidmap_node));
	}
}

void pidmap_stash_drain_locked_(struct pm_table *t, struct pidmap_stash *s)
{
	while (s->count > 0)
		node_release(t, stash_pop(s));
}

/* ---- geometry ------------------------------------------------------------ */

uint32_t pidmap_height_for_(pm_pid_t pid_max)
{
	uint32_t h = 1;
	uint64_t span = PIDMAP_SLOTS;

	while (span < (uint64_t)pid_max) {
		span <<= PIDMAP_SHIFT;
		h++;
	}
	return h;
}

void pidmap_init_(struct pm_pidmap *m, pm_pid_t pid_max)
{
	m->root = NULL;
	m->height = pidmap_height_for_(pid_max);
	m->count = 0;
	PM_ASSERT(m->height <= PM_PIDMAP_MAX_HEIGHT);
}

static inline unsigned int slot_of(uint64_t nr, uint32_t level)
{
	return (unsigned int)((nr >> (PIDMAP_SHIFT * level)) & (PIDMAP_SLOTS - 1));
}

/* Slots of a node at `level` covering numbers from `base` that can never
 * hold a number: past pid_max, and pid 0. */
static uint64_t reserved_mask(uint64_t base, uint32_t level, uint64_t pid_max)
{
	uint64_t step = (uint64_t)1 << (PIDMAP_SHIFT * level);
	uint64_t mask = 0;
	uint64_t in_range;

	in_range = (pid_max - base + step - 1) / step;
	if (in_range < PIDMAP_SLOTS)
		mask = ~(((uint64_t)1 << in_range) - 1);
	if (base == 0 && level == 0)
		mask |= 1;
	return mask;
}

static struct pidmap_node *node_new(struct pidmap_stash *s, uint64_t base, uint32_t level,
                                    pm_pid_t pid_max)
{
	struct pidmap_node *n = stash_pop(s);

	/* Slots are valid only where `used` says so: no need to clear them. */
	n->used = 0;
	n->full = reserved_mask(base, level, pm_max_u64((uint64_t)pid_max, base + 1));
	return n;
}

/* ---- lookup ---------------------------------------------------------------- */

struct pm_pid *pidmap_find_(const struct pm_pidmap *m, pm_pid_t nr)
{
	const struct pidmap_node *n = m->root;
	unsigned int shift = PIDMAP_SHIFT * m->height;

	if (nr <= 0 || (uint64_t)nr >> shift || !n)
		return NULL;
	for (;;) {
		unsigned int i;

		shift -= PIDMAP_SHIFT;
		i = (unsigned int)(((uint64_t)nr >> shift) & (PIDMAP_SLOTS - 1));
		if (!((n->used >> i) & 1))
			return NULL;
		if (shift == 0)
			return n->slot[i];
		n = n->slot[i];
	}
}

/* ---- finding a free number ------------------------------------------------- */

/* First free number >= start in the subtree of n (level, base), if any. */
static bool find_free(const struct pidmap_node *n, uint32_t level, uint64_t base, uint64_t start,
                      uint64_t *out)
{
	uint64_t step = (uint64_t)1 << (PIDMAP_SHIFT * level);
	unsigned int i = (unsigned int)((start - base) >> (PIDMAP_SHIFT * level));
	uint64_t cand = ~n->full & (~(uint64_t)0 << i);

	while (cand) {
		unsigned int j = pm_ctz64(cand);
		uint64_t sub_base = base + j * step;
		uint64_t sub_start = pm_max_u64(start, sub_base);
		if (level == 0 || !(n->used & ((uint64_t)1 << j))) {
			*out = sub_start;
			return true;
		}
		if (find_free(n->slot[j], level - 1, sub_base, sub_start, out))
			return true;
		cand &= cand - 1;
	}
	return false;
}

static bool map_find_free(const struct pm_pidmap *m, uint64_t start, pm_pid_t pid_max,
                          uint64_t *out)
{
	if (start >= (uint64_t)pid_max)
		return false;
	if (!m->root) {
		*out = start;
		return true;
	}
	return find_free(m->root, m->height - 1, 0, start, out);
}

static void map_insert(struct pm_pidmap *m, uint64_t nr, void *entry, struct pidmap_stash *s,
                       pm_pid_t pid_max)
{
	struct pidmap_node *path[PM_PIDMAP_MAX_HEIGHT];
	struct pidmap_node *n;
	uint32_t level = m->height - 1;
	uint64_t span = (uint64_t)1 << (PIDMAP_SHIFT * m->height);

	if (!m->root)
		m->root = node_new(s, 0, level, pid_max);
	n = m->root;
	for (;;) {
		unsigned int i = slot_of(nr, level);
		uint64_t bit = (uint64_t)1 << i;

		path[level] = n;
		if (level == 0) {
			PM_ASSERT(!(n->used & bit) && !(n->full & bit));
			n->slot[i] = entry;
			n->used |= bit;
			n->full |= bit;
			break;
		}
		span >>= PIDMAP_SHIFT;
		if (!(n->used & bit)) {
			uint64_t base = nr & ~(span - 1);

			n->slot[i] = node_new(s, base, level - 1, pid_max);
			n->used |= bit;
		}
		n = n->slot[i];
		level--;
	}
	/* A node that became full makes its slot full in the parent. */
	for (level = 0; level + 1 < m->height; level++) {
		if (path[level]->full != ~(uint64_t)0)
			break;
		path[level + 1]->full |= (uint64_t)1 << slot_of(nr, level + 1);
	}
	m->count++;
}

int pidmap_alloc_cyclic_(struct pm_pidns *ns, struct pm_pid *pid, struct pidmap_stash *s,
                         pm_pid_t *nr)
{
	struct pm_pidmap *m = &ns->map;
	uint64_t pid_min = 1, start, found;
	uint32_t before;

	/* init really needs pid 1; after a wrap numbers restart at 300. */
	if (ns->cursor > PM_RESERVED_PIDS)
		pid_min = PM_RESERVED_PIDS;
	start = pm_max_u64((uint64_t)ns->cursor, pid_min);
	if (!map_find_free(m, start, ns->pid_max, &found) &&
	    (start <= pid_min || !map_find_free(m, pid_min, ns->pid_max, &found)))
		return -PM_EAGAIN;
	PM_ASSERT(found > 0 && found < (uint64_t)ns->pid_max);
	before = s->count;
	map_insert(m, found, pid, s, ns->pid_max);
	ns->table->live_nodes += before - s->count;
	ns->cursor = (pm_pid_t)(found + 1);
	*nr = (pm_pid_t)found;
	return 0;
}

/* ---- removal ------------------------------------------------------------------ */

void pidmap_remove_(struct pm_table *t, struct pm_pidmap *m, pm_pid_t nr)
{
	struct pidmap_node *path[PM_PIDMAP_MAX_HEIGHT];
	struct pidmap_node *n = m->root;
	uint32_t level = m->height;

	PM_ASSERT(n != NULL);
	while (level-- > 0) {
		path[level] = n;
		PM_ASSERT(n->used & ((uint64_t)1 << slot_of((uint64_t)nr, level)));
		if (level > 0)
			n = n->slot[slot_of((uint64_t)nr, level)];
	}
	for (level = 0; level < m->height; level++) {
		uint64_t bit = (uint64_t)1 << slot_of((uint64_t)nr, level);

		n = path[level];
		n->full &= ~bit;
		if (level == 0)
			n->used &= ~bit;
	}
	/* Free nodes that hold nothing any more, bottom up. */
	for (level = 0; level < m->height; level++) {
		n = path[level];
		if (n->used)
			break;
		if (level + 1 < m->height) {
			struct pidmap_node *parent = path[level + 1];
			unsigned int i = slot_of((uint64_t)nr, level + 1);

			parent->used &= ~((uint64_t)1 << i);
		} else {
			m->root = NULL;
		}
		t->live_nodes--;
		node_release(t, n);
	}
	m->count--;
}

/* ---- ordered walk --------------------------------------------------------------- */

static void *next_used(const struct pidmap_node *n, uint32_t level, uint64_t base, uint64_t start,
                       uint64_t *out)
{
	uint64_t step = (uint64_t)1 << (PIDMAP_SHIFT * level);
	unsigned int i = (unsigned int)((start - base) >> (PIDMAP_SHIFT * level));
	uint64_t cand = n->used & (~(uint64_t)0 << i);

	while (cand) {
		unsigned int j = pm_ctz64(cand);
		uint64_t sub_base = base + j * step;
		void *r;

		if (level == 0) {
			*out = sub_base;
			return n->slot[j];
		}
		r = next_used(n->slot[j], level - 1, sub_base, pm_max_u64(start, sub_base), out);
		if (r)
			return r;
		cand &= cand - 1;
	}
	return NULL;
}

struct pm_pid *pidmap_next_(const struct pm_pidmap *m, pm_pid_t *nr)
{
	uint64_t start = *nr > 0 ? (uint64_t)*nr : 0;
	uint64_t found = 0;
	struct pm_pid *p;

	if (!m->root || start >> (PIDMAP_SHIFT * m->height))
		return NULL;
	p = next_used(m->root, m->height - 1, 0, start, &found);
	if (p)
		*nr = (pm_pid_t)found;
	return p;
}

/* ---- checks and teardown ------------------------------------------------------------- */

static int check_node(const struct pidmap_node *n, uint32_t level, uint64_t base, pm_pid_t pid_max,
                      uint64_t *entries, uint64_t *nodes, const char **why)
{
	uint64_t step = (uint64_t)1 << (PIDMAP_SHIFT * level);
	uint64_t full = reserved_mask(base, level, pm_max_u64((uint64_t)pid_max, base + 1));

	(*nodes)++;
	if (!n->used) {
		*why = "pidmap: an empty node was not freed";
		return -PM_EINVAL;
	}
	for (unsigned int i = 0; i < PIDMAP_SLOTS; i++) {
		uint64_t bit = (uint64_t)1 << i;
		const void *s = (n->used & bit) ? n->slot[i] : NULL;

		if (!(n->used & bit))
			continue;
		if (!s) {
			*why = "pidmap: a used slot is NULL";
			return -PM_EINVAL;
		}
		if (level == 0) {
			(*entries)++;
			full |= bit;
			continue;
		}
		if (check_node(s, level - 1, base + i * step, pid_max, entries, nodes, why))
			return -PM_EINVAL;
		if (((const struct pidmap_node *)s)->full == ~(uint64_t)0)
			full |= bit;
	}
	if (full != n->full) {
		*why = "pidmap: full bits differ from the slots";
		return -PM_EINVAL;
	}
	return 0;
}

int pidmap_check_(const struct pm_pidmap *m, pm_pid_t pid_max, uint64_t *nodes, const char **why)
{
	uint64_t entries = 0;

	if (m->height != pidmap_height_for_(pid_max)) {
		*why = "pidmap: wrong height";
		return -PM_EINVAL;
	}
	if (m->root && check_node(m->root, m->height - 1, 0, pid_max, &entries, nodes, why))
		return -PM_EINVAL;
	if (entries != m->count) {
		*why = "pidmap: count differs from the entries";
		return -PM_EINVAL;
	}
	return 0;
}

static void destroy_node(struct pm_table *t, struct pidmap_node *n, uint32_t level)
{
	if (level > 0)
		for (unsigned int i = 0; i < PIDMAP_SLOTS; i++)
			if (n->used & ((uint64_t)1 << i))
				destroy_node(t, n->slot[i], level - 1);
	t->live_nodes--;
	pm_hal_free(n, sizeof(*n));
}

void pidmap_destroy_(struct pm_table *t, struct pm_pidmap *m)
{
	if (m->root)
		destroy_node(t, m->root, m->height - 1);
	m->root = NULL;
	m->count = 0;
}
