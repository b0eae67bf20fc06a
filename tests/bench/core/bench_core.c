/*
 * Core helpers: the fixed-block pool against the hosted pm_hal_alloc
 * (malloc) as a baseline, and the checked user-string scan.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pm_bench.h"
#include "procmgr/host.h"
#include "procmgr/pool.h"
#include "hal/pm_uaccess.h"

static _Alignas(64) unsigned char pool_mem[1 << 16];

static void pool_pair(void *ctx, uint64_t iters)
{
	struct pm_pool *p = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		void *b = pm_pool_alloc(p);

		pm_bench_keep(b);
		pm_pool_free(p, b);
	}
}

static void hal_pair(void *ctx, uint64_t iters)
{
	(void)ctx;
	for (uint64_t i = 0; i < iters; i++) {
		void *b = pm_hal_alloc(64, 16);

		pm_bench_keep(b);
		pm_hal_free(b, 64);
	}
}

static void strnlen_64(void *ctx, uint64_t iters)
{
	pm_uaddr_t at = *(pm_uaddr_t *)ctx;
	size_t len = 0;

	for (uint64_t i = 0; i < iters; i++) {
		pm_strnlen_user(at, 4096, &len);
		pm_bench_keep(len);
	}
}

int main(void)
{
	struct pm_pool pool;
	struct pm_hal_as *as = pm_host_as_create(false);
	pm_uaddr_t str;
	char s[65];

	pm_pool_init(&pool, pool_mem, sizeof(pool_mem), 64, 16);
	pm_bench_case("pool_alloc_free_64B", 1000000, pool_pair, &pool);
	pm_bench_case("hosted_hal_alloc_free_64B_malloc_baseline", 1000000, hal_pair, NULL);

	pm_host_as_set_current(as);
	pm_host_as_map_anywhere(as, 4096, PM_PROT_READ | PM_PROT_WRITE, &str);
	for (int i = 0; i < 64; i++)
		s[i] = 'a';
	s[64] = 0;
	pm_hal_copy_to_user(str, s, sizeof(s));
	pm_bench_case("strnlen_user_64B", 200000, strnlen_64, &str);
	pm_bench_note("sizeof(struct pm_pool) = %zu bytes", sizeof(struct pm_pool));
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
	return 0;
}
