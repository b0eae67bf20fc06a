/* SPDX-License-Identifier: MIT */
/*
 * PID namespace objects: creation below a parent, reference counting,
 * translation of pid numbers (Linux kernel/pid_namespace.c and the
 * translation helpers of kernel/pid.c). The death of a namespace's init
 * is handled with exit, in src/table/exit_ns.c.
 */
#include "ns/pidns_internal.h"
#include "hal/pm_assert.h"
#include "hal/pm_string.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

void pidns_init_root_(struct pm_table *t, pm_pid_t pid_max)
{
	struct pm_pidns *ns = &t->root_ns;

	pm_memset(ns, 0, sizeof(*ns));
	ns->table = t;
	ns->refcount = 1; /* the table's */
	ns->pid_allocated = PM_PIDNS_ADDING;
	ns->pid_max = pid_max;
	ns->embedded = true;
	pidmap_init_(&ns->map, pid_max);
	pm_list_init(&t->namespaces);
	pm_list_add_tail(&ns->all_node, &t->namespaces);
}

struct pm_pidns *pidns_alloc_(void)
{
	return pm_hal_alloc(sizeof(struct pm_pidns), _Alignof(struct pm_pidns));
}

void pidns_free_unused_(struct pm_pidns *ns)
{
	pm_hal_free(ns, sizeof(*ns));
}

/* Linux create_pid_namespace: level check, inherited pid_max (6.14+),
 * PIDNS_ADDING set, cursor at 0 so that the first process gets pid 1. */
int pidns_setup_(struct pm_pidns *ns, struct pm_pidns *parent)
{
	struct pm_table *t = parent->table;
	uint32_t level = parent->level + 1;

	if (level > PM_MAX_PID_NS_LEVEL)
		return -PM_ENOSPC;
	pm_memset(ns, 0, sizeof(*ns));
	ns->table = t;
	ns->parent = parent;
	ns->level = level;
	ns->refcount = 1; /* the creator's */
	ns->pid_allocated = PM_PIDNS_ADDING;
	ns->pid_max = parent->pid_max;
	ns->serial = ++t->ns_serial;
	pidmap_init_(&ns->map, ns->pid_max);
	parent->refcount++;
	t->nr_namespaces++;
	pm_list_add_tail(&ns->all_node, &t->namespaces);
	return 0;
}

void pidns_get_locked_(struct pm_pidns *ns)
{
	PM_ASSERT(ns->refcount > 0);
	ns->refcount++;
}

void pidns_put_locked_(struct pm_pidns *ns)
{
	while (ns) {
		struct pm_pidns *parent = ns->parent;

		PM_ASSERT(ns->refcount > 0);
		if (--ns->refcount > 0)
			return;
		PM_ASSERT(!ns->embedded && ns->map.count == 0 && ns->map.root == NULL);
		ns->table->nr_namespaces--;
		pm_list_del(&ns->all_node);
		pm_hal_free(ns, sizeof(*ns));
		ns = parent;
	}
}

/* ---- public: translation and accessors -------------------------------- */

pm_pid_t pm_pid_nr_ns(const struct pm_pid *pid, const struct pm_pidns *ns)
{
	if (!pid || !ns || ns->level > pid->level)
		return 0;
	if (pid->numbers[ns->level].ns != ns)
		return 0;
	return pid->numbers[ns->level].nr;
}

pm_pid_t pm_pid_nr_innermost(const struct pm_pid *pid)
{
	return pid ? pid->numbers[pid->level].nr : 0;
}

uint32_t pm_pid_level(const struct pm_pid *pid)
{
	return pid->level;
}

struct pm_pidns *pm_pid_ns(const struct pm_pid *pid)
{
	return pid->numbers[pid->level].ns;
}

uint32_t pm_pidns_level(const struct pm_pidns *ns)
{
	return ns->level;
}

struct pm_pidns *pm_pidns_parent(const struct pm_pidns *ns)
{
	return ns->parent;
}

bool pm_pidns_is_descendant(const struct pm_pidns *ns, const struct pm_pidns *ancestor)
{
	if (ns->level < ancestor->level)
		return false;
	while (ns->level > ancestor->level)
		ns = ns->parent;
	return ns == ancestor;
}

pm_pid_t pm_pidns_pid_max(const struct pm_pidns *ns)
{
	return ns->pid_max;
}

void pm_pidns_get(struct pm_pidns *ns)
{
	struct pm_table *t = ns->table;

	pm_hal_lock_acquire(&t->lock);
	pidns_get_locked_(ns);
	pm_hal_lock_release(&t->lock);
}

void pm_pidns_put(struct pm_pidns *ns)
{
	struct pm_table *t = ns->table;

	pm_hal_lock_acquire(&t->lock);
	pidns_put_locked_(ns);
	pm_hal_lock_release(&t->lock);
}

struct pm_thread *pm_pidns_child_reaper(struct pm_pidns *ns)
{
	struct pm_table *t = ns->table;
	struct pm_thread *r;

	pm_hal_lock_acquire(&t->lock);
	r = (ns->pid_allocated & PM_PIDNS_ADDING) ? ns->child_reaper : NULL;
	pm_hal_lock_release(&t->lock);
	return r;
}

bool pm_pidns_accepts_new(struct pm_pidns *ns)
{
	struct pm_table *t = ns->table;
	bool r;

	pm_hal_lock_acquire(&t->lock);
	r = (ns->pid_allocated & PM_PIDNS_ADDING) != 0;
	pm_hal_lock_release(&t->lock);
	return r;
}

uint32_t pm_pidns_nr_pids(struct pm_pidns *ns)
{
	struct pm_table *t = ns->table;
	uint32_t r;

	pm_hal_lock_acquire(&t->lock);
	r = ns->pid_allocated & ~PM_PIDNS_ADDING;
	pm_hal_lock_release(&t->lock);
	return r;
}
