/* SPDX-License-Identifier: MIT */
/*
 * Benchmark harness. A benchmark program calls pm_bench_case() for each
 * operation it measures; the harness prints one line per case:
 *
 *   BENCH name=<case> iters=<n> ns_per_op=<median of 5 timed runs>
 *
 * Run natively it times; run under Callgrind (scripts/bench.sh does both)
 * it instruments only the measured loop and dumps one profile per case,
 * from which bench.sh computes instructions per operation. Iterations are
 * scaled down under Valgrind and to 1 with PM_BENCH_SMOKE=1 (the CTest
 * smoke run that keeps benchmarks compiling and working).
 *
 * Benchmarks are programs, never tests: nothing here asserts a speed.
 */
#ifndef PM_BENCH_H
#define PM_BENCH_H

#include <stdint.h>

/* Run the measured operation `iters` times. */
typedef void (*pm_bench_fn)(void *ctx, uint64_t iters);

/* Measure fn over `iters` iterations and print its BENCH line. */
void pm_bench_case(const char *name, uint64_t iters, pm_bench_fn fn, void *ctx);

/* Print an informational line (sizes, parameters): "NOTE <text>". */
void pm_bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True in the smoke run (PM_BENCH_SMOKE=1): keep set-up small too. */
int pm_bench_smoke(void);

/* True under Valgrind: set-up should shrink large populations if slow. */
int pm_bench_under_valgrind(void);

/* Keep the compiler from optimising a value away. */
#define pm_bench_keep(x) __asm__ __volatile__("" : : "r"(x) : "memory")

#endif /* PM_BENCH_H */
