/* SPDX-License-Identifier: MIT */
/*
 * Private interface of the VM module: the B+tree of areas (vma_tree.c), the
 * free-gap search (vma_gap.c), and the helpers the operations share
 * (vmspace.c). See include/procmgr/vm.h for the public side.
 *
 * The tree is a B+tree over the areas in address order. Leaves hold copies
 * of each area's start and end beside the pointer, so a lookup never
 * touches an area record; inner nodes hold, per child, the child's lowest
 * start, highest end and largest gap between two of its areas. A gap
 * between two children belongs to their parent, so every summary is local
 * to its node: after a change only the nodes on one root-to-leaf path (and
 * a sibling after a split, borrow or merge) are recomputed.
 *
 * Changes never allocate inside the tree: callers first reserve enough
 * spare nodes (vmt_reserve) and area records, then make HAL calls, then
 * change the tree, which cannot fail. Nodes freed by merges go back to the
 * spare list, so steady map/unmap traffic does not reach the allocator.
 */
#ifndef PM_SRC_VM_INTERNAL_H
#define PM_SRC_VM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/vm.h"

#define VMT_LEAF_MAX  10u
#define VMT_LEAF_MIN  5u
#define VMT_INNER_MAX 7u
#define VMT_INNER_MIN 3u
/* Levels of a tree whose inner nodes have at least 2 children and leaves
 * at least 1 entry hold up to 2^31 areas in 32 levels; far more than any
 * map count allows. */
#define VMT_MAX_DEPTH 32u

struct pm_vmt_node {
	uint8_t leaf; /* 1: entries are areas; 0: entries are children */
	uint8_t n;    /* entries in use */
	union {
		/* Field order follows a lookup: what it scans first sits in the
		 * node's first cache lines (nodes are 64-byte aligned). */
		struct {
			pm_uaddr_t end[VMT_LEAF_MAX];
			pm_uaddr_t start[VMT_LEAF_MAX];
			struct pm_vma *vma[VMT_LEAF_MAX];
		} l;
		struct {
			pm_uaddr_t last[VMT_INNER_MAX]; /* highest end in the child */
			struct pm_vmt_node *child[VMT_INNER_MAX];
			pm_uaddr_t first[VMT_INNER_MAX]; /* lowest start in the child */
			uint64_t gap[VMT_INNER_MAX];     /* largest gap inside the child */
		} i;
	} u;
	struct pm_vmt_node *next_spare; /* spare list link (unused in the tree) */
};

/* A position in the tree: the path from the root to one leaf entry. */
struct vmt_cursor {
	struct pm_vmt_node *node[VMT_MAX_DEPTH];
	unsigned int idx[VMT_MAX_DEPTH];
	unsigned int depth; /* levels on the path; 0 = the end position */
};

/* ---- vma_tree.c ---- */

/* Make sure `n` inserts can run without allocating; -PM_ENOMEM if not. */
int vmt_reserve(struct pm_vmspace *vs, unsigned int inserts);
/* Give spare nodes beyond what the next operation needs back to the HAL. */
void vmt_trim(struct pm_vmspace *vs);
/* Take a spare node (one must be reserved) / give one back to the spares. */
struct pm_vmt_node *vmt_node_take(struct pm_vmspace *vs, bool leaf);
void vmt_node_give(struct pm_vmspace *vs, struct pm_vmt_node *n);
/* Free every node (spares included); areas are not touched. */
void vmt_free_all(struct pm_vmspace *vs);

/* Position at the first area whose end is above addr (or the end). */
bool vmt_seek(const struct pm_vmspace *vs, pm_uaddr_t addr, struct vmt_cursor *c);
/* Position at the first area (false if empty) / the last area. */
bool vmt_first(const struct pm_vmspace *vs, struct vmt_cursor *c);
bool vmt_last(const struct pm_vmspace *vs, struct vmt_cursor *c);
bool vmt_next(struct vmt_cursor *c);
bool vmt_prev(struct vmt_cursor *c);

static inline struct pm_vma *vmt_vma(const struct vmt_cursor *c)
{
	const struct pm_vmt_node *leaf = c->node[c->depth - 1];

	return leaf->u.l.vma[c->idx[c->depth - 1]];
}

/* Lookup without a cursor: the first area whose end is above addr. */
struct pm_vma *vmt_find_next(const struct pm_vmspace *vs, pm_uaddr_t addr);

/* Insert an area into a free range (reserve first). */
void vmt_insert(struct pm_vmspace *vs, struct pm_vma *vma);
/* Remove the area at the cursor; the cursor is invalid afterwards. */
void vmt_erase(struct pm_vmspace *vs, struct vmt_cursor *c);
/* Change the range of the area at the cursor (keeping the order). */
void vmt_set_range(struct vmt_cursor *c, pm_uaddr_t start, pm_uaddr_t end);
/* Remove the area record `vma` (found by its start). */
void vmt_erase_vma(struct pm_vmspace *vs, const struct pm_vma *vma);
/* Change the range of `vma`, found by its current start. */
void vmt_update(struct pm_vmspace *vs, struct pm_vma *vma, pm_uaddr_t start, pm_uaddr_t end);
/* Check the tree's shape and summaries; false if broken. */
bool vmt_check(const struct pm_vmspace *vs);
/* Point the leaf entry at the cursor to another record of the same range. */
static inline void vmt_set_vma(const struct vmt_cursor *c, struct pm_vma *vma)
{
	c->node[c->depth - 1]->u.l.vma[c->idx[c->depth - 1]] = vma;
}

/* ---- vma_gap.c ---- */

/* Highest (top-down) or lowest free range of at least len bytes inside
 * [low, high). On success [*start, *end) is that free range clipped to
 * [low, high); the area right above it is vmt_find_next(vs, *end). */
bool vmt_gap_highest(const struct pm_vmspace *vs, pm_uaddr_t low, pm_uaddr_t high, uint64_t len,
                     pm_uaddr_t *start, pm_uaddr_t *end);
bool vmt_gap_lowest(const struct pm_vmspace *vs, pm_uaddr_t low, pm_uaddr_t high, uint64_t len,
                    pm_uaddr_t *start, pm_uaddr_t *end);

/* ---- vmspace.c: shared helpers ---- */

struct pm_vma *vm_vma_alloc(struct pm_vmspace *vs);
void vm_vma_free(struct pm_vmspace *vs, struct pm_vma *vma);
/* Take or drop the file reference of an area record. */
void vm_vma_get_file(const struct pm_vma *vma);
void vm_vma_put_file(const struct pm_vma *vma);
/* May [a, b) and [b, c) of `lo` and `hi` become one area? */
bool vm_vma_mergeable(const struct pm_vma *lo, const struct pm_vma *hi);
/* Add (sign 1) or remove (-1) npages of an area with these prot/flags. */
void vm_acct(struct pm_vmspace *vs, unsigned int prot, unsigned int flags, uint64_t npages,
             int sign);
/* Linux may_expand_vm(): may npages more of such an area be mapped? */
bool vm_may_expand(const struct pm_vmspace *vs, unsigned int prot, unsigned int flags,
                   uint64_t npages);
/* The last area starting below addr (pm_vm_find_prev). */
struct pm_vma *vm_find_prev(const struct pm_vmspace *vs, pm_uaddr_t addr);
/* Linux vm_start_gap(): an area's start less its stack guard gap. */
pm_uaddr_t vm_start_gap(const struct pm_vma *vma);
/* Random helpers over pm_hal_random_bytes(). */
uint64_t vm_random_u64(void);
uint32_t vm_random_below(uint32_t n);
bool vm_randomize(const struct pm_vmspace *vs);

static inline uint64_t vm_pages(uint64_t bytes)
{
	return bytes >> PM_PAGE_SHIFT;
}

/* ---- vm_map.c ---- */

/* Unmap [start, end) (page aligned, valid) through the HAL and the tree.
 * Needs at most one spare record and vmt_reserve(vs, 1). */
int vm_unmap_range(struct pm_vmspace *vs, pm_uaddr_t start, pm_uaddr_t end);
/* Record a new area [start, end) whose pages the HAL already mapped,
 * merging with compatible neighbours; `rec` is a preallocated record that
 * is used or freed. Needs vmt_reserve(vs, 1). */
void vm_insert_area(struct pm_vmspace *vs, struct pm_vma *rec);

#endif /* PM_SRC_VM_INTERNAL_H */
