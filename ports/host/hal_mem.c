/* SPDX-License-Identifier: MIT */
/*
 * pm_hal_alloc / pm_hal_free over malloc, with size checking, counters and
 * fault injection. Each block carries a header in front of the aligned
 * pointer recording the size, so pm_hal_free() can check the size procmgr
 * passes back and catch mismatches and double frees.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

#define BLOCK_MAGIC 0x706d616c6c6f6321ull /* "pmalloc!" */
#define FREED_MAGIC 0x706d66726565642dull /* "pmfreed-" */

struct block_hdr {
	uint64_t magic;
	size_t size;
	void *raw;
	uint64_t pad;
};

struct host_counters host_counters_;

/* Fault injection: calls are counted from the last reset. */
static atomic_uint_fast64_t alloc_calls;
static atomic_uint_fast64_t alloc_fail_nth;   /* 0 = off */
static atomic_uint_fast64_t alloc_fail_after; /* UINT64_MAX = off */
static atomic_uint_fast64_t copy_calls;
static atomic_uint_fast64_t copy_fail_nth;

static void __attribute__((constructor)) host_mem_init(void)
{
	atomic_store(&alloc_fail_after, UINT64_MAX);
}

void pm_host_fault_alloc_nth(uint64_t n)
{
	atomic_store(&alloc_calls, 0);
	atomic_store(&alloc_fail_after, UINT64_MAX);
	atomic_store(&alloc_fail_nth, n);
}

void pm_host_fault_alloc_after(uint64_t n)
{
	atomic_store(&alloc_calls, 0);
	atomic_store(&alloc_fail_nth, 0);
	atomic_store(&alloc_fail_after, n);
}

void pm_host_fault_copy_nth(uint64_t n)
{
	atomic_store(&copy_calls, 0);
	atomic_store(&copy_fail_nth, n);
}

void pm_host_fault_reset(void)
{
	atomic_store(&alloc_fail_nth, 0);
	atomic_store(&alloc_fail_after, UINT64_MAX);
	atomic_store(&copy_fail_nth, 0);
	atomic_store(&alloc_calls, 0);
	atomic_store(&copy_calls, 0);
}

uint64_t pm_host_alloc_calls(void)
{
	return atomic_load(&alloc_calls);
}

bool host_copy_should_fault_(void)
{
	uint64_t call = atomic_fetch_add(&copy_calls, 1) + 1;
	uint64_t nth = atomic_load(&copy_fail_nth);

	return nth != 0 && call == nth;
}

static bool alloc_should_fail(void)
{
	uint64_t call = atomic_fetch_add(&alloc_calls, 1) + 1;
	uint64_t nth = atomic_load(&alloc_fail_nth);

	if (nth != 0 && call == nth)
		return true;
	return call > atomic_load(&alloc_fail_after);
}

static void note_peak(uint64_t live)
{
	uint64_t peak = atomic_load(&host_counters_.peak_bytes);

	while (live > peak &&
	       !atomic_compare_exchange_weak(&host_counters_.peak_bytes, &peak, live))
		;
}

void *pm_hal_alloc(size_t size, size_t align)
{
	size_t total;
	unsigned char *raw;
	uintptr_t p;
	struct block_hdr *hdr;

	if (size == 0 || align == 0 || (align & (align - 1)) != 0 || align > 4096)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_alloc: size 0 or bad alignment");
	if (alloc_should_fail()) {
		atomic_fetch_add(&host_counters_.failed_allocs, 1);
		return NULL;
	}
	if (align < 16)
		align = 16;
	if (__builtin_add_overflow(size, align + sizeof(struct block_hdr), &total))
		return NULL;
	raw = malloc(total);
	if (!raw) {
		atomic_fetch_add(&host_counters_.failed_allocs, 1);
		return NULL;
	}
	p = ((uintptr_t)raw + sizeof(struct block_hdr) + align - 1) & ~(uintptr_t)(align - 1);
	hdr = (struct block_hdr *)p - 1;
	hdr->magic = BLOCK_MAGIC;
	hdr->size = size;
	hdr->raw = raw;
	/* Poison: procmgr must not rely on fresh memory being zero. */
	memset((void *)p, 0xa5, size);
	atomic_fetch_add(&host_counters_.allocs, 1);
	atomic_fetch_add(&host_counters_.live_allocs, 1);
	note_peak(atomic_fetch_add(&host_counters_.live_bytes, size) + size);
	return (void *)p;
}

void pm_hal_free(void *ptr, size_t size)
{
	struct block_hdr *hdr;

	if (!ptr)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_free(NULL)");
	hdr = (struct block_hdr *)ptr - 1;
	if (hdr->magic == FREED_MAGIC)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_free: double free");
	if (hdr->magic != BLOCK_MAGIC)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_free: not from pm_hal_alloc");
	if (hdr->size != size)
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_free: size differs from pm_hal_alloc");
	hdr->magic = FREED_MAGIC;
	memset(ptr, 0x5a, size);
	atomic_fetch_add(&host_counters_.frees, 1);
	atomic_fetch_sub(&host_counters_.live_allocs, 1);
	atomic_fetch_sub(&host_counters_.live_bytes, size);
	free(hdr->raw);
}

void pm_host_stats_get(struct pm_host_stats *out)
{
	out->allocs = atomic_load(&host_counters_.allocs);
	out->frees = atomic_load(&host_counters_.frees);
	out->failed_allocs = atomic_load(&host_counters_.failed_allocs);
	out->live_allocs = atomic_load(&host_counters_.live_allocs);
	out->live_bytes = atomic_load(&host_counters_.live_bytes);
	out->peak_bytes = atomic_load(&host_counters_.peak_bytes);
	out->user_copies = atomic_load(&host_counters_.user_copies);
	out->user_faults = atomic_load(&host_counters_.user_faults);
	out->events = host_events_calls_();
}
