/*
 * Fuzz the fixed-block pool with arbitrary geometry and alloc/free
 * sequences, including frees of pointers it never handed out. Invariants:
 * blocks are aligned, inside the buffer, never handed out twice; refused
 * frees change nothing; available + live == capacity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/errno.h"
#include "procmgr/pool.h"

#define MAX_LIVE 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(4096) unsigned char mem[1 << 14];
	void *live[MAX_LIVE];
	size_t nlive = 0, msize, bsize, align;
	struct pm_pool p;

	if (size < 4)
		return 0;
	msize = ((size_t)data[0] << 6) % sizeof(mem);
	bsize = (size_t)data[1] + 1;
	align = (size_t)1 << (data[2] % 14);
	if (pm_pool_init(&p, mem + (data[3] & 63), msize, bsize, align) != 0)
		return 0;
	for (size_t i = 4; i < size; i++) {
		uint8_t op = data[i];

		if (op < 128) {
			void *b = pm_pool_alloc(&p);

			if (!b) {
				if (pm_pool_available(&p) != 0)
					abort();
				continue;
			}
			if ((uintptr_t)b % align || !pm_pool_contains(&p, b) ||
			    (unsigned char *)b < mem || (unsigned char *)b >= mem + sizeof(mem))
				abort();
			for (size_t k = 0; k < nlive; k++)
				if (live[k] == b)
					abort(); /* handed out twice */
			memset(b, op, pm_pool_block_size(&p));
			if (nlive < MAX_LIVE)
				live[nlive++] = b;
			else if (pm_pool_free(&p, b) != 0) /* keep every live block tracked */
				abort();
		} else if (op < 224 && nlive) {
			size_t k = op % nlive;

			if (pm_pool_free(&p, live[k]) != 0)
				abort();
			live[k] = live[--nlive];
		} else {
			/* A pointer the pool did not hand out (or already took back). */
			unsigned char *q = mem + ((size_t)op * 37 + i) % sizeof(mem);
			size_t before = pm_pool_available(&p);
			int owned = 0;

			for (size_t k = 0; k < nlive; k++)
				owned |= live[k] == q;
			if (!owned && pm_pool_free(&p, q) != -PM_EINVAL)
				abort();
			if (!owned && pm_pool_available(&p) != before)
				abort();
		}
		if (pm_pool_available(&p) + nlive != pm_pool_capacity(&p))
			abort();
	}
	return 0;
}
