/* SPDX-License-Identifier: MIT */
/**
 * @file pool.h
 * @brief Fixed-block pool over caller memory, so a kernel without a heap
 *        can back pm_hal_alloc().
 *
 * A pool carves a caller-supplied buffer into blocks of one size and keeps
 * them on a free list; a bitmap (also carved from the buffer) records which
 * blocks are handed out, so freeing a foreign, misaligned or already free
 * pointer is refused instead of corrupting the list. Allocation and free are
 * O(1). Several pools of different block sizes make a simple size-class
 * allocator (docs/porting.md shows one).
 *
 * Locking: none. A pool is not thread-safe; the kernel serialises access
 * (its pm_hal_alloc() takes a lock, or each CPU has its own pools).
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_POOL_H
#define PROCMGR_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_core
 * @{
 */

/** A fixed-block pool. Fields are private; use the functions. */
struct pm_pool {
	uintptr_t base_;    /**< address of block 0 */
	size_t block_size_; /**< bytes per block, a multiple of the alignment */
	size_t nblocks_;    /**< blocks in the pool */
	size_t nfree_;      /**< blocks on the free list */
	void *free_;        /**< first free block (each holds the next pointer) */
	uint64_t *used_;    /**< one bit per block: 1 = handed out */
};

/**
 * @brief Make a pool of @p block_size-byte blocks aligned to @p align in
 *        the buffer [mem, mem + mem_size).
 *
 * @param pool        the pool to initialise.
 * @param mem         caller memory the pool owns until it is no longer used.
 * @param mem_size    bytes at @p mem.
 * @param block_size  bytes per block; rounded up to a multiple of @p align
 *                    and to at least sizeof(void *).
 * @param align       block alignment in bytes: a power of two, at most 4096.
 * @return 0; -PM_EINVAL if @p pool or @p mem is NULL, @p block_size is 0,
 *         @p align is not a power of two or above 4096, or sizes overflow;
 *         -PM_ENOMEM if the buffer cannot hold the bitmap and one block.
 *         On failure @p pool is left unusable (every alloc returns NULL).
 *
 * Source: none in Linux (its slab allocator plays this role); the layout
 * follows FreeRTOS's static-allocation habit.
 */
int pm_pool_init(struct pm_pool *pool, void *mem, size_t mem_size, size_t block_size, size_t align);

/**
 * @brief Take one block.
 * @param pool  an initialised pool.
 * @return a block of the pool's size and alignment, or NULL if none is free.
 */
void *pm_pool_alloc(struct pm_pool *pool);

/**
 * @brief Return a block.
 * @param pool  the pool it came from.
 * @param ptr   a block pm_pool_alloc() returned from @p pool.
 * @return 0; -PM_EINVAL if @p ptr is NULL, outside the pool, not at a block
 *         boundary, or not currently allocated (double free). Nothing
 *         changes on failure.
 */
int pm_pool_free(struct pm_pool *pool, void *ptr);

/**
 * @brief Does @p ptr point into @p pool's blocks (allocated or not)?
 * @param pool  an initialised pool.
 * @param ptr   any pointer.
 * @return true if it lies within the pool's block area.
 */
bool pm_pool_contains(const struct pm_pool *pool, const void *ptr);

/**
 * @brief Free blocks.
 * @param pool  an initialised pool.
 * @return how many blocks pm_pool_alloc() can still hand out.
 */
size_t pm_pool_available(const struct pm_pool *pool);

/**
 * @brief Total blocks.
 * @param pool  an initialised pool.
 * @return the number of blocks the buffer holds.
 */
size_t pm_pool_capacity(const struct pm_pool *pool);

/**
 * @brief Size of each block after rounding.
 * @param pool  an initialised pool.
 * @return bytes per block.
 */
size_t pm_pool_block_size(const struct pm_pool *pool);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_POOL_H */
