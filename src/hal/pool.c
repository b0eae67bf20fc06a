/* SPDX-License-Identifier: MIT */
/* Fixed-block pool over caller memory (procmgr/pool.h). */
#include "procmgr/pool.h"

#include "procmgr/errno.h"
#include "hal/pm_bits.h"
#include "hal/pm_checked.h"

#define POOL_MAX_ALIGN 4096u

static void pool_make_empty(struct pm_pool *pool)
{
	pool->base_ = 0;
	pool->block_size_ = 0;
	pool->nblocks_ = 0;
	pool->nfree_ = 0;
	pool->free_ = NULL;
	pool->used_ = NULL;
}

/* Blocks that fit in avail bytes together with their bitmap words. */
static size_t pool_fit(uint64_t avail, uint64_t bsize, uint64_t align, uint64_t *bitmap_bytes)
{
	/* Each block costs bsize bytes plus one bit; the bitmap is padded to
	 * whole 64-bit words and then to the block alignment. */
	uint64_t n;

	if (avail > ((uint64_t)1 << 56))
		avail = (uint64_t)1 << 56; /* keeps avail * 8 in range; 64 PiB is plenty */
	if (bsize > avail)
		return 0;
	n = (avail * 8) / (bsize * 8 + 1);

	while (n > 0) {
		uint64_t words = (n + 63) / 64;
		uint64_t bm = words * 8;
		uint64_t need;

		if (!pm_align_up(bm, align, &bm))
			return 0;
		if (!pm_mul_overflow_u64(n, bsize, &need) &&
		    !pm_add_overflow_u64(need, bm, &need) && need <= avail) {
			*bitmap_bytes = bm;
			return (size_t)n;
		}
		n--;
	}
	return 0;
}

int pm_pool_init(struct pm_pool *pool, void *mem, size_t mem_size, size_t block_size, size_t align)
{
	uint64_t lo, hi, start, bsize, avail, bitmap_bytes = 0;
	size_t n;

	if (!pool)
		return -PM_EINVAL;
	pool_make_empty(pool);
	if (!mem || block_size == 0 || !pm_is_pow2(align) || align > POOL_MAX_ALIGN)
		return -PM_EINVAL;
	if (align < sizeof(uint64_t))
		align = sizeof(uint64_t); /* the bitmap and the free links need it */
	if (block_size < sizeof(void *))
		block_size = sizeof(void *);
	if (!pm_align_up(block_size, align, &bsize))
		return -PM_EINVAL;
	lo = (uintptr_t)mem;
	if (pm_add_overflow_u64(lo, mem_size, &hi))
		return -PM_EINVAL;
	if (!pm_align_up(lo, align, &start) || start >= hi)
		return -PM_ENOMEM;
	avail = hi - start;

	n = pool_fit(avail, bsize, align, &bitmap_bytes);
	if (n == 0)
		return -PM_ENOMEM;

	pool->used_ = (uint64_t *)(uintptr_t)start;
	for (size_t w = 0; w < (n + 63) / 64; w++)
		pool->used_[w] = 0;
	pool->base_ = (uintptr_t)(start + bitmap_bytes);
	pool->block_size_ = (size_t)bsize;
	pool->nblocks_ = n;
	pool->nfree_ = n;
	/* Thread the free list in address order: block i points to block i+1. */
	pool->free_ = (void *)pool->base_;
	for (size_t i = 0; i < n; i++) {
		void **link = (void **)(pool->base_ + i * bsize);

		*link = (i + 1 < n) ? (void *)(pool->base_ + (i + 1) * bsize) : NULL;
	}
	return 0;
}

void *pm_pool_alloc(struct pm_pool *pool)
{
	void *blk = pool->free_;
	size_t idx;

	if (!blk)
		return NULL;
	pool->free_ = *(void **)blk;
	pool->nfree_--;
	idx = ((uintptr_t)blk - pool->base_) / pool->block_size_;
	pool->used_[idx / 64] |= (uint64_t)1 << (idx % 64);
	return blk;
}

int pm_pool_free(struct pm_pool *pool, void *ptr)
{
	uintptr_t off;
	size_t idx;
	uint64_t bit;

	if (!ptr || !pm_pool_contains(pool, ptr))
		return -PM_EINVAL;
	off = (uintptr_t)ptr - pool->base_;
	if (off % pool->block_size_ != 0)
		return -PM_EINVAL;
	idx = off / pool->block_size_;
	bit = (uint64_t)1 << (idx % 64);
	if (!(pool->used_[idx / 64] & bit))
		return -PM_EINVAL;
	pool->used_[idx / 64] &= ~bit;
	*(void **)ptr = pool->free_;
	pool->free_ = ptr;
	pool->nfree_++;
	return 0;
}

bool pm_pool_contains(const struct pm_pool *pool, const void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;

	return pool->nblocks_ != 0 && p >= pool->base_ &&
	       p - pool->base_ < (uintptr_t)pool->nblocks_ * pool->block_size_;
}

size_t pm_pool_available(const struct pm_pool *pool)
{
	return pool->nfree_;
}

size_t pm_pool_capacity(const struct pm_pool *pool)
{
	return pool->nblocks_;
}

size_t pm_pool_block_size(const struct pm_pool *pool)
{
	return pool->block_size_;
}
