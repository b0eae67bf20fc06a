/* SPDX-License-Identifier: MIT */
/*
 * Baselines for the process-table benchmark, run in the same program:
 *  - an xv6-style fixed process array (kernel/proc.c: allocproc scans for
 *    an UNUSED slot, lookups and wait scan the whole array), with a dense
 *    64-byte record (xv6's struct proc is about 350 bytes: a kinder
 *    baseline than the original);
 *  - a red-black tree keyed by pid (BSD <sys/tree.h> from libbsd), with a
 *    pid counter that never reuses numbers, as Asterinas's BTreeMap table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libbsd's tree.h marks its static helpers __unused (a BSD cdefs macro). */
#ifndef __unused
#define __unused __attribute__((unused))
#endif
#include <bsd/sys/tree.h>

#include "bench_table.h"

/* ---- xv6-style array ---------------------------------------------------------- */

enum { X_UNUSED, X_USED, X_ZOMBIE };

struct xproc {
	int32_t pid;
	int32_t state;
	int32_t parent;
	int32_t xstate;
	unsigned char pad[48];
};

struct xv6 {
	struct xproc *proc;
	size_t cap;
	int32_t nextpid;
};

void *xv6_create(uint64_t n)
{
	struct xv6 *x = calloc(1, sizeof(*x));

	x->cap = n + 1; /* one free slot, at the end: allocproc scans it all */
	x->proc = calloc(x->cap, sizeof(*x->proc));
	for (uint64_t i = 0; i < n; i++) {
		x->proc[i].pid = (int32_t)(i + 1);
		x->proc[i].state = X_USED;
		x->proc[i].parent = 1;
	}
	x->nextpid = (int32_t)n + 1;
	return x;
}

void xv6_destroy(void *ctx)
{
	struct xv6 *x = ctx;

	free(x->proc);
	free(x);
}

static struct xproc *xv6_alloc(struct xv6 *x)
{
	for (size_t i = 0; i < x->cap; i++)
		if (x->proc[i].state == X_UNUSED) {
			x->proc[i].state = X_USED;
			x->proc[i].pid = x->nextpid++;
			return &x->proc[i];
		}
	return NULL;
}

static struct xproc *xv6_find(struct xv6 *x, int32_t pid)
{
	for (size_t i = 0; i < x->cap; i++)
		if (x->proc[i].state != X_UNUSED && x->proc[i].pid == pid)
			return &x->proc[i];
	return NULL;
}

void xv6_alloc_free(void *ctx, uint64_t iters)
{
	struct xv6 *x = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		struct xproc *p = xv6_alloc(x);

		pm_bench_keep(p);
		p->state = X_UNUSED;
	}
}

void xv6_lookup_hot(void *ctx, uint64_t iters)
{
	struct xv6 *x = ctx;
	int32_t pid = (int32_t)(x->cap / 2);

	for (uint64_t i = 0; i < iters; i++)
		pm_bench_keep(xv6_find(x, pid));
}

void xv6_lookup_cold(void *ctx, uint64_t iters)
{
	struct xv6 *x = ctx;
	uint64_t r = 88172645463325252ull;

	for (uint64_t i = 0; i < iters; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		pm_bench_keep(xv6_find(x, (int32_t)(r % (x->cap - 1)) + 1));
	}
}

/* allocproc, exit (ZOMBIE), then wait: scan for a zombie child, free it. */
void xv6_clone_exit_reap(void *ctx, uint64_t iters)
{
	struct xv6 *x = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		struct xproc *p = xv6_alloc(x);

		p->parent = 1;
		p->state = X_ZOMBIE;
		for (size_t k = 0; k < x->cap; k++)
			if (x->proc[k].parent == 1 && x->proc[k].state == X_ZOMBIE) {
				pm_bench_keep(x->proc[k].xstate);
				x->proc[k].state = X_UNUSED;
				break;
			}
	}
}

/* ---- red-black tree ------------------------------------------------------------ */

struct rnode {
	RB_ENTRY(rnode) link;
	int32_t pid;
	void *proc;
};

static int rcmp(struct rnode *a, struct rnode *b)
{
	return (a->pid > b->pid) - (a->pid < b->pid);
}

RB_HEAD(rtree, rnode);
RB_GENERATE_STATIC(rtree, rnode, link, rcmp)

struct rb {
	struct rtree root;
	struct rnode *nodes;
	struct rnode spare;
	uint64_t n;
	int32_t nextpid;
};

void *rb_create(uint64_t n)
{
	struct rb *t = calloc(1, sizeof(*t));

	RB_INIT(&t->root);
	t->n = n;
	t->nodes = calloc(n, sizeof(*t->nodes));
	/* Insert in a scattered order (a permutation: the multiplier is a prime
	 * not dividing n) so nodes are not laid out like the tree. */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t k = (i * 2654435761u) % n;

		t->nodes[i].pid = (int32_t)(k + 1);
		RB_INSERT(rtree, &t->root, &t->nodes[i]);
	}
	t->nextpid = (int32_t)n + 1;
	return t;
}

void rb_destroy(void *ctx)
{
	struct rb *t = ctx;

	free(t->nodes);
	free(t);
}

static struct rnode *rb_find(struct rb *t, int32_t pid)
{
	struct rnode key;

	key.pid = pid;
	return RB_FIND(rtree, &t->root, &key);
}

void rb_alloc_free(void *ctx, uint64_t iters)
{
	struct rb *t = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		t->spare.pid = t->nextpid++;
		RB_INSERT(rtree, &t->root, &t->spare);
		RB_REMOVE(rtree, &t->root, &t->spare);
	}
}

void rb_lookup_hot(void *ctx, uint64_t iters)
{
	struct rb *t = ctx;
	int32_t pid = (int32_t)(t->n / 2) + 1;

	for (uint64_t i = 0; i < iters; i++)
		pm_bench_keep(rb_find(t, pid));
}

void rb_lookup_cold(void *ctx, uint64_t iters)
{
	struct rb *t = ctx;
	uint64_t r = 88172645463325252ull;

	for (uint64_t i = 0; i < iters; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		pm_bench_keep(rb_find(t, (int32_t)(r % t->n) + 1));
	}
}

/* malloc a record, insert it, remove it and free it. */
void rb_clone_exit_reap(void *ctx, uint64_t iters)
{
	struct rb *t = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		struct rnode *n = malloc(sizeof(*n));

		n->pid = t->nextpid++;
		RB_INSERT(rtree, &t->root, n);
		n = rb_find(t, n->pid);
		RB_REMOVE(rtree, &t->root, n);
		free(n);
	}
}
