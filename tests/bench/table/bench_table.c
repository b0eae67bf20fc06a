/* SPDX-License-Identifier: MIT */
/*
 * Process table: pid allocation and release, lookup by number (hot: one
 * pid again and again; cold: random live pids), and fork+exit+reap, at
 * 1e2, 1e4 and 1e6 live processes, beside an xv6-style array and a
 * red-black tree (bench_baselines.c). Lookups run with the table lock held
 * around the loop (procmgr's _locked lookup: the radix walk itself).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_table.h"
#include "procmgr/host.h"
#include "procmgr/table.h"
#include "table/table_internal.h"

struct world {
	uint64_t n;
	struct pm_table t;
	struct pm_process *procs;
	struct pm_thread *threads;
	pm_pid_t *pids;
	struct pm_process cproc;
	struct pm_thread cthr;
};

static struct world *world_create(uint64_t n)
{
	struct pm_table_config cfg = {.pid_max = PM_PID_MAX_LIMIT};
	struct pm_clone_args fork_args = {0, 17, false, false};
	struct world *w = calloc(1, sizeof(*w));

	w->n = n;
	w->procs = calloc(n, sizeof(*w->procs));
	w->threads = calloc(n, sizeof(*w->threads));
	w->pids = calloc(n, sizeof(*w->pids));
	if (!w->procs || !w->threads || !w->pids || pm_table_init(&w->t, &cfg) ||
	    pm_table_spawn_init(&w->t, &w->procs[0], &w->threads[0])) {
		fprintf(stderr, "bench_table: set-up failed\n");
		exit(1);
	}
	w->pids[0] = 1;
	for (uint64_t i = 1; i < n; i++)
		if (pm_clone(&w->threads[0], &fork_args, &w->procs[i], &w->threads[i],
		             &w->pids[i])) {
			fprintf(stderr, "bench_table: fork %llu failed\n", (unsigned long long)i);
			exit(1);
		}
	return w;
}

static void world_destroy(struct world *w)
{
	pm_table_destroy(&w->t);
	free(w->procs);
	free(w->threads);
	free(w->pids);
	free(w);
}

/* Linux alloc_pid + free_pid: the struct, a number, and back. */
static void pid_alloc_free(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	struct pm_pidns *ns = &w->t.root_ns;

	for (uint64_t i = 0; i < iters; i++) {
		struct pidmap_stash s = {NULL, 0};
		struct pm_pid *pid = pid_new_(0);

		pm_table_lock(&w->t);
		pidmap_stash_prepare_locked_(&w->t, &s, ns->map.height);
		pid_assign_numbers_(ns, pid, &s);
		pid_get_(pid);
		pid_put_(&w->t, pid);
		pidmap_stash_drain_locked_(&w->t, &s);
		pm_table_unlock(&w->t);
	}
}

static void lookup_hot(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	pm_pid_t pid = w->pids[w->n / 2];

	pm_table_lock(&w->t);
	for (uint64_t i = 0; i < iters; i++)
		pm_bench_keep(pm_find_thread_locked(&w->t.root_ns, pid));
	pm_table_unlock(&w->t);
}

static void lookup_cold(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	uint64_t r = 88172645463325252ull;

	pm_table_lock(&w->t);
	for (uint64_t i = 0; i < iters; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		pm_bench_keep(pm_find_thread_locked(&w->t.root_ns, w->pids[r % w->n]));
	}
	pm_table_unlock(&w->t);
}

/* The lock pair each unlocked lookup adds on the hosted HAL (a checked
 * pthread mutex). */
static void lookup_hot_locking(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	pm_pid_t pid = w->pids[w->n / 2];

	for (uint64_t i = 0; i < iters; i++) {
		pm_table_lock(&w->t);
		pm_bench_keep(pm_find_thread_locked(&w->t.root_ns, pid));
		pm_table_unlock(&w->t);
	}
}

static void clone_exit_reap(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	struct pm_clone_args fork_args = {0, 17, false, false};
	struct pm_wait_result res;

	for (uint64_t i = 0; i < iters; i++) {
		pm_pid_t pid = 0;

		pm_clone(&w->threads[0], &fork_args, &w->cproc, &w->cthr, &pid);
		pm_thread_exit(&w->cthr, 0);
		pm_wait4(&w->threads[0], pid, 0, &res);
	}
}

static uint64_t scaled(uint64_t iters, uint64_t n, uint64_t per_op)
{
	/* Linear baselines: keep about 2e8 touched records per case. */
	uint64_t k = 200000000ull / (n * per_op);

	return k < 1 ? 1 : (k < iters ? k : iters);
}

static void run_size(uint64_t n, uint64_t shown)
{
	char name[96];
	struct world *w = world_create(n);
	void *x = xv6_create(n);
	void *rb = rb_create(n);
	struct pm_table_stats st;

#define CASE(fmt, it, fn, ctx)                                                         \
	do {                                                                           \
		snprintf(name, sizeof(name), fmt "_n%llu", (unsigned long long)shown); \
		pm_bench_case(name, it, fn, ctx);                                      \
	} while (0)
	CASE("pid_alloc_free", 1000000, pid_alloc_free, w);
	CASE("xv6_alloc_free", scaled(1000000, n, 1), xv6_alloc_free, x);
	CASE("rbtree_alloc_free", 1000000, rb_alloc_free, rb);
	CASE("lookup_hot", 4000000, lookup_hot, w);
	CASE("lookup_hot_with_lock", 2000000, lookup_hot_locking, w);
	CASE("xv6_lookup_hot", scaled(1000000, n, 1), xv6_lookup_hot, x);
	CASE("rbtree_lookup_hot", 4000000, rb_lookup_hot, rb);
	CASE("lookup_cold", 4000000, lookup_cold, w);
	CASE("xv6_lookup_cold", scaled(1000000, n, 1), xv6_lookup_cold, x);
	CASE("rbtree_lookup_cold", 4000000, rb_lookup_cold, rb);
	CASE("clone_exit_reap", 400000, clone_exit_reap, w);
	CASE("xv6_clone_exit_reap", scaled(400000, n, 2), xv6_clone_exit_reap, x);
	CASE("rbtree_clone_exit_reap", 1000000, rb_clone_exit_reap, rb);
#undef CASE
	pm_table_stats(&w->t, &st);
	pm_bench_note("n=%llu: %u processes, %llu radix nodes of %zu bytes (%.1f bytes per "
	              "process), pid_max %d",
	              (unsigned long long)shown, st.processes, (unsigned long long)st.radix_nodes,
	              sizeof(struct pidmap_node),
	              (double)st.radix_nodes * (double)sizeof(struct pidmap_node) / (double)n,
	              PM_PID_MAX_LIMIT);
	rb_destroy(rb);
	xv6_destroy(x);
	world_destroy(w);
}

int main(void)
{
	static const uint64_t sizes[] = {100, 10000, 1000000};
	size_t per = sizeof(struct pm_process) + sizeof(struct pm_thread) + pid_alloc_size_(0);

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t n = sizes[i];

		if (pm_bench_smoke() && n > 10000)
			n = 1000;
		if (pm_bench_under_valgrind() && n > 200000) {
			pm_bench_note("under Valgrind the n=%llu population is %llu processes",
			              (unsigned long long)sizes[i], 200000ull);
			n = 200000;
		}
		run_size(n, sizes[i]);
	}
	pm_bench_note("per-process bookkeeping: struct pm_process %zu + struct pm_thread %zu + "
	              "struct pm_pid %zu = %zu bytes, plus the radix share above (target 1024)",
	              sizeof(struct pm_process), sizeof(struct pm_thread), pid_alloc_size_(0), per);
	return 0;
}
