/* Fixed-block pools over caller memory (include/procmgr/pool.h). */
#include <stdint.h>
#include <string.h>

#include "pm_test.h"
#include "procmgr/errno.h"
#include "procmgr/pool.h"

TestSuite(pool, .init = pm_test_setup);

static _Alignas(64) unsigned char mem[8192];

PM_TEST(pool, init_rejects_bad_arguments)
{
	struct pm_pool p;

	cr_assert_eq(pm_pool_init(NULL, mem, sizeof(mem), 32, 8), -PM_EINVAL);
	cr_assert_eq(pm_pool_init(&p, NULL, sizeof(mem), 32, 8), -PM_EINVAL);
	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 0, 8), -PM_EINVAL);
	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 32, 0), -PM_EINVAL);
	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 32, 24), -PM_EINVAL);
	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 32, 8192), -PM_EINVAL);
	cr_assert_eq(pm_pool_init(&p, mem, 8, 32, 8), -PM_ENOMEM, "no room for bitmap and a block");
	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 16384, 8), -PM_ENOMEM);
	cr_assert_null(pm_pool_alloc(&p), "a failed init leaves an empty pool");
	cr_assert_eq(pm_pool_capacity(&p), 0);
}

PM_TEST(pool, hands_out_every_block_once)
{
	struct pm_pool p;
	void *blocks[512];
	size_t n = 0;

	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 24, 8), 0);
	cr_assert_eq(pm_pool_block_size(&p), 24);
	cr_assert_gt(pm_pool_capacity(&p), 300, "8 KiB holds over 300 24-byte blocks");
	cr_assert_eq(pm_pool_available(&p), pm_pool_capacity(&p));
	while ((blocks[n] = pm_pool_alloc(&p)) != NULL) {
		cr_assert(pm_pool_contains(&p, blocks[n]));
		cr_assert_eq((uintptr_t)blocks[n] % 8, 0);
		cr_assert((unsigned char *)blocks[n] >= mem &&
		          (unsigned char *)blocks[n] + 24 <= mem + sizeof(mem));
		memset(blocks[n], (int)n, 24);
		n++;
	}
	cr_assert_eq(n, pm_pool_capacity(&p));
	cr_assert_eq(pm_pool_available(&p), 0);
	/* No block was handed out twice: each still holds its own byte. */
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(((unsigned char *)blocks[i])[23], (unsigned char)i);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(pm_pool_free(&p, blocks[i]), 0);
	cr_assert_eq(pm_pool_available(&p), n);
}

PM_TEST(pool, alignment_and_rounding)
{
	struct pm_pool p;
	void *a, *b;

	cr_assert_eq(pm_pool_init(&p, mem + 3, sizeof(mem) - 3, 100, 64), 0);
	cr_assert_eq(pm_pool_block_size(&p), 128, "rounded up to the alignment");
	a = pm_pool_alloc(&p);
	b = pm_pool_alloc(&p);
	cr_assert_eq((uintptr_t)a % 64, 0);
	cr_assert_eq((uintptr_t)b % 64, 0);
	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 1, 1), 0);
	cr_assert_eq(pm_pool_block_size(&p), 8, "blocks hold at least a pointer");
}

PM_TEST(pool, free_refuses_bad_pointers)
{
	struct pm_pool p;
	unsigned char *a;
	size_t avail;

	cr_assert_eq(pm_pool_init(&p, mem, sizeof(mem), 32, 8), 0);
	a = pm_pool_alloc(&p);
	avail = pm_pool_available(&p);
	cr_assert_eq(pm_pool_free(&p, NULL), -PM_EINVAL);
	cr_assert_eq(pm_pool_free(&p, a + 8), -PM_EINVAL, "not a block boundary");
	static _Alignas(64) unsigned char elsewhere[64];

	cr_assert_eq(pm_pool_free(&p, elsewhere), -PM_EINVAL, "outside");
	cr_assert_eq(pm_pool_free(&p, a + 32), -PM_EINVAL, "a block that is free");
	cr_assert_eq(pm_pool_available(&p), avail, "refused frees change nothing");
	cr_assert_eq(pm_pool_free(&p, a), 0);
	cr_assert_eq(pm_pool_free(&p, a), -PM_EINVAL, "double free");
	cr_assert_eq(pm_pool_available(&p), avail + 1);
}

PM_TEST(pool, freed_blocks_are_reused)
{
	struct pm_pool p;
	void *a, *b;

	cr_assert_eq(pm_pool_init(&p, mem, 256, 32, 8), 0);
	a = pm_pool_alloc(&p);
	cr_assert_eq(pm_pool_free(&p, a), 0);
	b = pm_pool_alloc(&p);
	cr_assert_eq(a, b, "LIFO reuse keeps the hot block hot");
}

/* A kernel without a heap: pm_hal_alloc-style size classes over pools. */
PM_TEST(pool, size_classes_example)
{
	static _Alignas(64) unsigned char small[2048], big[8192];
	struct pm_pool cls[2];
	void *x, *y;

	cr_assert_eq(pm_pool_init(&cls[0], small, sizeof(small), 64, 16), 0);
	cr_assert_eq(pm_pool_init(&cls[1], big, sizeof(big), 512, 64), 0);
	x = pm_pool_alloc(&cls[0]);
	y = pm_pool_alloc(&cls[1]);
	cr_assert(pm_pool_contains(&cls[0], x) && !pm_pool_contains(&cls[1], x));
	cr_assert(pm_pool_contains(&cls[1], y) && !pm_pool_contains(&cls[0], y));
	cr_assert_eq(pm_pool_free(&cls[1], x), -PM_EINVAL, "freeing to the wrong class is refused");
	cr_assert_eq(pm_pool_free(&cls[0], x), 0);
	cr_assert_eq(pm_pool_free(&cls[1], y), 0);
}
