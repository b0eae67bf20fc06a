/* SPDX-License-Identifier: MIT */
/*
 * fork: the child's vmspace is a copy of the parent's (Linux kernel/fork.c
 * dup_mm and mm/mmap.c dup_mmap). The tree is cloned node for node (O(n),
 * no rebalancing), each area record is copied with a new file reference,
 * and then the HAL copies the pages: copy-on-write for private areas,
 * shared for shared ones. Any failure unwinds the child completely.
 */
#include "vm/vm_internal.h"

#include "procmgr/errno.h"
#include "procmgr/hal.h"

/* ---- the tree, node for node ---- */

static struct pm_vmt_node *clone_node(struct pm_vmspace *dst, const struct pm_vmt_node *s)
{
	struct pm_vmt_node *d = vmt_node_take(dst, s->leaf != 0);

	d->n = s->n;
	d->u = s->u;
	if (!s->leaf)
		for (unsigned int k = 0; k < s->n; k++)
			d->u.i.child[k] = clone_node(dst, s->u.i.child[k]);
	return d;
}

static unsigned int count_nodes(const struct pm_vmt_node *n)
{
	unsigned int c = 1;

	if (!n->leaf)
		for (unsigned int i = 0; i < n->n; i++)
			c += count_nodes(n->u.i.child[i]);
	return c;
}

/*
 * Copy the shape of src's tree into the empty dst, all nodes allocated
 * first. dst's leaves point at src's area records until they are replaced
 * with copies. -PM_ENOMEM leaves dst empty.
 */
static int clone_tree(struct pm_vmspace *dst, const struct pm_vmspace *src)
{
	unsigned int need = src->root ? count_nodes(src->root) : 0;

	while (dst->nspare < need) {
		struct pm_vmt_node *n = pm_hal_alloc(sizeof(*n), 64);

		if (!n) {
			vmt_free_all(dst);
			return -PM_ENOMEM;
		}
		vmt_node_give(dst, n);
	}
	if (src->root)
		dst->root = clone_node(dst, src->root);
	dst->height = src->height;
	dst->map_count = src->map_count;
	return 0;
}

/* ---- records and pages ---- */

/* Free the first n record copies of the child (each with its file ref). */
static void drop_copies(struct pm_vmspace *child, size_t n)
{
	struct vmt_cursor c;

	for (bool ok = vmt_first(child, &c); ok && n > 0; ok = vmt_next(&c), n--) {
		struct pm_vma *v = vmt_vma(&c);

		vm_vma_put_file(v);
		vm_vma_free(child, v);
	}
	vmt_free_all(child);
}

/* Unmap the child's first n areas from its address space again. */
static void unmap_copied(struct pm_vmspace *child, size_t n)
{
	struct vmt_cursor c;

	for (bool ok = vmt_first(child, &c); ok && n > 0; ok = vmt_next(&c), n--) {
		const struct pm_vma *v = vmt_vma(&c);

		(void)pm_hal_as_unmap(child->as, v->start, v->end - v->start);
	}
}

int pm_vmspace_fork(struct pm_vmspace *child, struct pm_hal_as *child_as, struct pm_vmspace *parent)
{
	struct vmt_cursor c;
	size_t n = 0;
	int err;

	*child = *parent;
	child->as = child_as;
	child->root = NULL;
	child->height = 0;
	child->map_count = 0;
	child->spare = NULL;
	child->nspare = 0;
	err = clone_tree(child, parent);
	if (err)
		return err;
	for (bool ok = vmt_first(child, &c); ok; ok = vmt_next(&c), n++) {
		struct pm_vma *copy = vm_vma_alloc(child);

		if (!copy) {
			drop_copies(child, n);
			return -PM_ENOMEM;
		}
		*copy = *vmt_vma(&c);
		vm_vma_get_file(copy);
		vmt_set_vma(&c, copy);
	}
	n = 0;
	for (bool ok = vmt_first(child, &c); ok; ok = vmt_next(&c), n++) {
		const struct pm_vma *v = vmt_vma(&c);
		unsigned int f = (v->flags & PM_VMA_SHARED) ? PM_MAP_SHARED : PM_MAP_PRIVATE;

		err = pm_hal_as_fork_range(child_as, parent->as, v->start, v->end - v->start, f);
		if (err) {
			unmap_copied(child, n);
			pm_vmspace_destroy(child);
			return err;
		}
	}
	return 0;
}
