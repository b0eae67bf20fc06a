/* SPDX-License-Identifier: MIT */
/*
 * Signals: kill of a standard signal to a one-thread process plus its
 * dequeue by pm_signal_next(), a real-time signal with siginfo
 * (rt_sigqueueinfo) plus its dequeue, sigprocmask, choosing the thread
 * for a process-directed signal in groups of 1, 64 and 4096 threads (the
 * main thread blocks it, so complete_signal's search runs), and kill of a
 * process group of 1000 processes plus their dequeues; last, the first
 * case again once the host process has had a second thread, so that the
 * hosted locks and the event ring take locked instructions, as a
 * kernel's SMP spinlocks do. Baseline in the same run: the bit operations
 * a pending set needs at the least (set a bit, find the lowest, clear it).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_bench.h"
#include "procmgr/host.h"
#include "procmgr/signal.h"
#include "procmgr/signal_deliver.h"
#include "procmgr/table.h"

#define SIGUSR1 10
#define SIGCHLD 17

struct world {
	struct pm_table t;
	struct pm_process *procs;
	struct pm_thread *threads;
	uint64_t nprocs, nthreads;
	struct pm_thread *self;
	pm_pid_t pgid;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_signal: %s failed\n", what);
	exit(1);
}

/* init and a process `self` with `threads` threads and `children` child
 * processes in self's new process group. */
static struct world *world_create(uint64_t threads, uint64_t children)
{
	struct world *w = calloc(1, sizeof(*w));
	struct pm_clone_args fork_args = {0, SIGCHLD, false, false};
	struct pm_clone_args thr_args = {PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD, 0, false,
	                                 false};
	struct pm_sigaction h = {0x401000, 0, 0, 0};
	uint64_t np = 2 + children, nt = 1 + threads + children;

	w->procs = calloc(np, sizeof(*w->procs));
	w->threads = calloc(nt, sizeof(*w->threads));
	if (!w || !w->procs || !w->threads || pm_table_init(&w->t, NULL) ||
	    pm_table_spawn_init(&w->t, &w->procs[0], &w->threads[0]))
		die("set-up");
	if (pm_clone(&w->threads[0], &fork_args, &w->procs[1], &w->threads[1], NULL))
		die("fork");
	w->self = &w->threads[1];
	if (pm_setpgid(w->self, 0, 0) || pm_sigaction(w->self, SIGUSR1, &h, NULL) ||
	    pm_sigaction(w->self, 40, &h, NULL))
		die("setpgid");
	for (uint64_t i = 1; i < threads; i++)
		if (pm_clone(w->self, &thr_args, NULL, &w->threads[1 + i], NULL))
			die("thread");
	for (uint64_t i = 0; i < children; i++)
		if (pm_clone(w->self, &fork_args, &w->procs[2 + i], &w->threads[1 + threads + i],
		             NULL))
			die("child");
	w->nprocs = np;
	w->nthreads = nt;
	w->pgid = pm_getpid(w->self);
	/* Records for the signals in flight, as a warm kernel would have. */
	if (pm_sig_pool_fill(&w->t, children + 16))
		die("pool");
	return w;
}

static void world_destroy(struct world *w)
{
	pm_table_destroy(&w->t);
	free(w->procs);
	free(w->threads);
	free(w);
}

/* ---- baseline ---------------------------------------------------------------- */

static void bench_bits(void *ctx, uint64_t iters)
{
	volatile pm_sigset_t *pend = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		pm_sigset_t p = *pend | pm_sigmask(SIGUSR1);
		int sig = pm_sigfirst(p);

		*pend = p & ~pm_sigmask(sig);
		pm_bench_keep(sig);
	}
}

/* ---- send and dequeue ----------------------------------------------------------- */

static void bench_kill_std(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	struct pm_sig_delivery d;
	pm_pid_t pid = pm_getpid(w->self);

	for (uint64_t i = 0; i < iters; i++) {
		if (pm_kill(w->self, pid, SIGUSR1) ||
		    pm_signal_next(w->self, 0, &d) != PM_SIGACT_HANDLER)
			die("kill + dequeue");
	}
}

static void bench_rt(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	struct pm_sig_delivery d;
	struct pm_siginfo info;
	pm_pid_t pid = pm_getpid(w->self);

	memset(&info, 0, sizeof(info));
	info.si_code = PM_SI_QUEUE;
	for (uint64_t i = 0; i < iters; i++) {
		info.u.rt.value.sival_int = (int32_t)i;
		if (pm_rt_sigqueueinfo(w->self, pid, 40, &info) ||
		    pm_signal_next(w->self, 0, &d) != PM_SIGACT_HANDLER)
			die("sigqueue + dequeue");
	}
}

static void bench_sigprocmask(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	pm_sigset_t set = pm_sigmask(SIGUSR1), old;

	for (uint64_t i = 0; i < iters; i++)
		if (pm_sigprocmask(w->self, (i & 1) ? PM_SIG_UNBLOCK : PM_SIG_BLOCK, &set, &old))
			die("sigprocmask");
}

/* The main thread blocks SIGUSR1: complete_signal searches from the last
 * chosen thread; the chosen one dequeues. */
static void bench_choose(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	struct pm_process *p = pm_thread_process(w->self);
	struct pm_sig_delivery d;
	pm_pid_t pid = pm_getpid(w->self);

	for (uint64_t i = 0; i < iters; i++) {
		if (pm_kill(w->self, pid, SIGUSR1))
			die("kill");
		if (pm_signal_next(p->sig.curr_target, 0, &d) != PM_SIGACT_HANDLER)
			die("choose + dequeue");
	}
}

static void bench_pgrp(void *ctx, uint64_t iters)
{
	struct world *w = ctx;
	struct pm_sig_delivery d;

	for (uint64_t i = 0; i < iters; i++) {
		if (pm_kill(w->self, -w->pgid, SIGUSR1))
			die("kill(-pgid)");
		for (uint64_t c = 1; c < w->nthreads; c++)
			(void)pm_signal_next(&w->threads[c], 0, &d);
	}
}

static void *no_op(void *arg)
{
	return arg;
}

/* From here on glibc, and the hosted port after it, treat the process as
 * multi-threaded (__libc_single_threaded stays false). */
static void become_multithreaded(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, no_op, NULL) || pthread_join(t, NULL))
		die("pthread_create");
}

int main(void)
{
	int smoke = pm_bench_smoke();
	uint64_t n = smoke ? 1 : 1000000;
	pm_sigset_t pend = 0;
	struct world *w;
	static const uint64_t groups[] = {1, 64, 4096};

	pm_bench_case("baseline_bitset_set_first_clear", n * 10, bench_bits, &pend);
	w = world_create(1, 0);
	pm_bench_case("kill_std_plus_dequeue", n, bench_kill_std, w);
	{
		uint64_t locks = pm_host_thread_lock_acquires();

		bench_kill_std(w, 1);
		pm_bench_note("kill_std_plus_dequeue takes %llu locks per round",
		              (unsigned long long)(pm_host_thread_lock_acquires() - locks));
	}
	pm_bench_case("sigqueue_rt_siginfo_plus_dequeue", n, bench_rt, w);
	pm_bench_case("sigprocmask_block_unblock", n * 2, bench_sigprocmask, w);
	world_destroy(w);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		uint64_t threads = smoke && groups[g] > 64 ? 64 : groups[g];
		char name[64];
		pm_sigset_t usr1 = pm_sigmask(SIGUSR1);

		w = world_create(threads, 0);
		if (threads > 1 && pm_sigprocmask(w->self, PM_SIG_BLOCK, &usr1, NULL))
			die("block");
		snprintf(name, sizeof(name), "choose_thread_%llu_plus_dequeue",
		         (unsigned long long)groups[g]);
		pm_bench_case(name, n, bench_choose, w);
		world_destroy(w);
	}
	w = world_create(1, smoke ? 10 : 999);
	pm_bench_note("kill_pgrp_1000: one kill(-pgid) of 1000 processes plus 1000 dequeues");
	pm_bench_case("kill_pgrp_1000_plus_dequeues", smoke ? 1 : 2000, bench_pgrp, w);
	world_destroy(w);
	become_multithreaded();
	w = world_create(1, 0);
	pm_bench_note("kill_std_plus_dequeue_bus_locked: the first case after a second host "
	              "thread has existed (every hosted lock and event then takes a locked "
	              "instruction)");
	pm_bench_case("kill_std_plus_dequeue_bus_locked", n, bench_kill_std, w);
	world_destroy(w);
	return 0;
}
