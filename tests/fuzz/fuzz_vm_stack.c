/*
 * Fuzz the initial stack builder with untrusted argv/envp blobs (as a
 * kernel copies them from user space), counts, limits, stack tops and
 * randomisation. Invariants of every success: sp is 16-byte aligned and
 * below top, argc and every argv/envp pointer land on the right string,
 * the auxv ends with AT_NULL, and the pointer-array form of the same
 * strings gives the same bytes. Failures must be one of the documented
 * errnos.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/errno.h"
#include "procmgr/vm.h"
#include "procmgr/vm_stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Split blob into at most max string pointers; false if it is not exactly
 * count NUL-terminated strings. */
static bool to_array(const char *blob, size_t len, size_t count, const char **v)
{
	size_t off = 0;

	for (size_t i = 0; i < count; i++) {
		const char *nul = off < len ? memchr(blob + off, 0, len - off) : NULL;

		if (!nul)
			return false;
		v[i] = blob + off;
		off = (size_t)(nul - blob) + 1;
	}
	return off == len;
}

static void check(const uint8_t *img, const struct pm_vm_stack_layout *l,
                  const struct pm_vm_strv *sv, pm_uaddr_t ptrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t p = rd64(img + (ptrs - l->sp) + 8 * i);

		if (p < l->sp || p >= l->top ||
		    strcmp((const char *)img + (p - l->sp), sv->v[i]) != 0)
			abort();
	}
	if (rd64(img + (ptrs - l->sp) + 8 * n) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { MAXS = 64 };
	const struct pm_arch_desc *arch;
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout l, l2;
	const char *av[MAXS], *ev[MAXS];
	uint8_t *img, *img2;
	size_t alen, elen;
	pm_uaddr_t top;
	int err;

	if (size < 18)
		return 0;
	memset(&in, 0, sizeof(in));
	arch = data[0] & 1 ? &pm_arch_riscv64 : &pm_arch_x86_64;
	in.argv.count = data[1] % MAXS;
	in.envp.count = data[2] % MAXS;
	in.flags = data[3] & 3u;
	in.align_rnd = (uint32_t)(data[4] | data[5] << 8) % (arch->align_stack_rnd + 64);
	in.stack_limit = (uint64_t)data[6] << 14;
	top = (rd64(data + 8) & 0x7ffffffff000ull) >> (data[7] % 48);
	top &= ~0xfffull;
	alen = (size_t)(data[16] | data[17] << 8);
	data += 18;
	size -= 18;
	alen %= size + 1;
	in.argv.blob = (const char *)data;
	in.argv.blob_len = alen;
	elen = size - alen;
	in.envp.blob = (const char *)data + alen;
	in.envp.blob_len = elen;
	in.execfn = "/fuzz/exec";
	in.hw.vdso_base = 0x7fff0000;
	in.execfd = 3;

	err = pm_vm_stack_build(arch, &in, top, &l, NULL, 0);
	if (err) {
		if (err != -PM_EINVAL && err != -PM_E2BIG && err != -PM_EFAULT)
			abort();
		return 0;
	}
	if (l.sp % 16 || l.sp >= top || l.size != top - l.sp || l.arg_start < l.sp)
		abort();
	img = malloc(l.size);
	img2 = malloc(l.size);
	if (!img || !img2)
		abort();
	if (pm_vm_stack_build(arch, &in, top, &l, img, l.size) != 0)
		abort();
	if (rd64(img) != l.argc || rd64(img + (l.auxv - l.sp) + 16 * (l.auxv_count - 1)) != 0)
		abort();
	/* The same strings as pointer arrays: identical image. */
	if (!to_array(in.argv.blob, alen, in.argv.count, av) ||
	    !to_array(in.envp.blob, elen, in.envp.count, ev))
		abort();
	in.argv.v = av;
	in.envp.v = ev;
	if (pm_vm_stack_build(arch, &in, top, &l2, img2, l.size) != 0 ||
	    memcmp(&l, &l2, sizeof(l)) != 0 || memcmp(img, img2, l.size) != 0)
		abort();
	if (in.argv.count)
		check(img, &l, &in.argv, l.argv, in.argv.count);
	check(img, &l, &in.envp, l.envp, in.envp.count);
	free(img);
	free(img2);
	return 0;
}
