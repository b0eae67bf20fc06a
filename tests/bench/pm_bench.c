/* SPDX-License-Identifier: MIT */
/* Benchmark harness (pm_bench.h). */
#define _GNU_SOURCE
#include "pm_bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>

#define RUNS 5

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int pm_bench_smoke(void)
{
	const char *s = getenv("PM_BENCH_SMOKE");

	return s && s[0] == '1';
}

int pm_bench_under_valgrind(void)
{
	return RUNNING_ON_VALGRIND ? 1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void pm_bench_case(const char *name, uint64_t iters, pm_bench_fn fn, void *ctx)
{
	double per_op[RUNS];

	if (pm_bench_smoke()) {
		fn(ctx, 1);
		printf("BENCH name=%s iters=1 smoke=1\n", name);
		fflush(stdout);
		return;
	}
	if (RUNNING_ON_VALGRIND) {
		iters = iters / 20 ? iters / 20 : 1;
		fn(ctx, iters < 10 ? iters : 10); /* warm caches and lazy paths */
		CALLGRIND_ZERO_STATS;
		CALLGRIND_START_INSTRUMENTATION;
		fn(ctx, iters);
		CALLGRIND_STOP_INSTRUMENTATION;
		CALLGRIND_DUMP_STATS_AT(name);
		printf("BENCH name=%s iters=%llu\n", name, (unsigned long long)iters);
		fflush(stdout);
		return;
	}
	fn(ctx, iters / 10 ? iters / 10 : 1); /* warm-up */
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();

		fn(ctx, iters);
		per_op[r] = (double)(now_ns() - t0) / (double)iters;
	}
	qsort(per_op, RUNS, sizeof(per_op[0]), cmp_double);
	printf("BENCH name=%s iters=%llu ns_per_op=%.2f\n", name, (unsigned long long)iters,
	       per_op[RUNS / 2]);
	fflush(stdout);
}

void pm_bench_note(const char *fmt, ...)
{
	va_list ap;

	printf("NOTE ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
