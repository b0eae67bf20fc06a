/* SPDX-License-Identifier: MIT */
/* Process-table benchmark: the baselines (bench_baselines.c). */
#ifndef PM_BENCH_TABLE_H
#define PM_BENCH_TABLE_H

#include <stdint.h>

#include "pm_bench.h"

void *xv6_create(uint64_t n);
void xv6_destroy(void *ctx);
void xv6_alloc_free(void *ctx, uint64_t iters);
void xv6_lookup_hot(void *ctx, uint64_t iters);
void xv6_lookup_cold(void *ctx, uint64_t iters);
void xv6_clone_exit_reap(void *ctx, uint64_t iters);

void *rb_create(uint64_t n);
void rb_destroy(void *ctx);
void rb_alloc_free(void *ctx, uint64_t iters);
void rb_lookup_hot(void *ctx, uint64_t iters);
void rb_lookup_cold(void *ctx, uint64_t iters);
void rb_clone_exit_reap(void *ctx, uint64_t iters);

#endif
