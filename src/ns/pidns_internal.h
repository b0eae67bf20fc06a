/* SPDX-License-Identifier: MIT */
/*
 * PID namespaces and their pid maps, shared by src/ns/pidns*.c and the
 * process table. Every function here expects PM_LOCK_TABLE held unless it
 * says otherwise.
 */
#ifndef PM_SRC_NS_PIDNS_INTERNAL_H
#define PM_SRC_NS_PIDNS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/pidns.h"
#include "procmgr/table.h"

/* One number of a pid in one namespace (Linux struct upid). */
struct pm_upid {
	pm_pid_t nr;
	struct pm_pidns *ns;
};

/*
 * Linux struct pid: a number in each namespace from the root (numbers[0])
 * down to the one it was created in (numbers[level]), and the tasks using
 * it in each role. count is the number of roles filled; when it drops to 0
 * the numbers are released and the memory freed (Linux free_pid + put_pid,
 * which procmgr never needs apart: nothing else holds a pid).
 */
struct pm_pid {
	uint32_t count;
	uint32_t level;
	struct pm_thread *thread;       /* PIDTYPE_PID: the thread with this id */
	struct pm_process *leader_of;   /* PIDTYPE_TGID: the process with this id */
	struct pm_list pgrp_members;    /* PIDTYPE_PGID: processes in this group */
	struct pm_list session_members; /* PIDTYPE_SID: processes in this session */
	struct pm_upid numbers[];
};

static inline size_t pid_alloc_size_(uint32_t level)
{
	return sizeof(struct pm_pid) + (size_t)(level + 1) * sizeof(struct pm_upid);
}

/* ---- radix nodes: cache and per-operation stash (pidns_map.c) ---- */

#define PIDMAP_SHIFT 6
#define PIDMAP_SLOTS 64

struct pidmap_node {
	uint64_t full; /* slot has no free number (used, reserved or out of range) */
	uint64_t used; /* slot is not NULL */
	void *slot[PIDMAP_SLOTS];
};

/* Nodes reserved, before any lock is taken, for one operation. */
struct pidmap_stash {
	void *head;
	uint32_t count;
};

void pidmap_cache_init_(struct pm_node_cache *c, uint32_t max);
/* Frees every cached node. */
void pidmap_cache_destroy_(struct pm_node_cache *c);
/* Reserve need nodes, table lock held: from the cache, and if it runs
 * short the lock is dropped while the rest is allocated, then retaken
 * (the caller re-checks its state after). 0 or -PM_ENOMEM (what was
 * reserved stays in the stash until drained). */
int pidmap_stash_prepare_locked_(struct pm_table *t, struct pidmap_stash *s, uint32_t need);
/* Give unused nodes back to the cache (or pm_hal_free), table lock held. */
void pidmap_stash_drain_locked_(struct pm_table *t, struct pidmap_stash *s);

/* ---- the map of one namespace ---- */

void pidmap_init_(struct pm_pidmap *m, pm_pid_t pid_max);
/* Worst-case new nodes one insertion into a map of this pid_max needs. */
uint32_t pidmap_height_for_(pm_pid_t pid_max);
struct pm_pid *pidmap_find_(const struct pm_pidmap *m, pm_pid_t nr);
/* idr_alloc_cyclic(pid_min, pid_max) with Linux's pid_min rule; stores pid
 * at the number it picks and advances the cursor. -PM_EAGAIN when full. */
int pidmap_alloc_cyclic_(struct pm_pidns *ns, struct pm_pid *pid, struct pidmap_stash *s,
                         pm_pid_t *nr);
void pidmap_remove_(struct pm_table *t, struct pm_pidmap *m, pm_pid_t nr);
/* The entry with the smallest number >= *nr; *nr receives it. */
struct pm_pid *pidmap_next_(const struct pm_pidmap *m, pm_pid_t *nr);
/* Verify bits and count; adds the node count to *nodes. */
int pidmap_check_(const struct pm_pidmap *m, pm_pid_t pid_max, uint64_t *nodes, const char **why);
/* Free every node (entries are not touched). */
void pidmap_destroy_(struct pm_table *t, struct pm_pidmap *m);

/* ---- namespaces (pidns.c) ---- */

void pidns_init_root_(struct pm_table *t, pm_pid_t pid_max);
/* Allocate a namespace below parent, not yet linked (no lock needed). */
struct pm_pidns *pidns_alloc_(void);
void pidns_free_unused_(struct pm_pidns *ns);
/* Link an allocated namespace below parent; takes a reference on parent.
 * -PM_ENOSPC past PM_MAX_PID_NS_LEVEL (ns then stays unused). */
int pidns_setup_(struct pm_pidns *ns, struct pm_pidns *parent);
void pidns_get_locked_(struct pm_pidns *ns);
void pidns_put_locked_(struct pm_pidns *ns);

#endif /* PM_SRC_NS_PIDNS_INTERNAL_H */
