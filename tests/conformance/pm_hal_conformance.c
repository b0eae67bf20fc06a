/* SPDX-License-Identifier: MIT */
/* HAL conformance test (see pm_hal_conformance.h). Freestanding C. */
#include "pm_hal_conformance.h"

#include "procmgr/errno.h"

#define PAGE PM_PAGE_SIZE

struct run {
	const struct pm_hal_conformance_env *env;
	int failures;
};

static void check(struct run *r, const char *name, bool ok, const char *detail)
{
	if (!ok)
		r->failures++;
	if (r->env->report)
		r->env->report(r->env->ctx, name, ok, ok ? NULL : detail);
}

static uint8_t pattern(uint64_t i, uint8_t salt)
{
	return (uint8_t)(i * 7u + salt);
}

static void fill(uint8_t *p, size_t n, uint8_t salt)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pattern(i, salt);
}

static bool matches(const uint8_t *p, size_t n, uint8_t salt)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pattern(i, salt))
			return false;
	return true;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- memory ---- */

static void check_alloc(struct run *r)
{
	static const size_t aligns[] = {1, 2, 8, 16, 64, 256, 4096};
	static const size_t sizes[] = {1, 24, 100, 4096, 20000};
	enum { N = sizeof(aligns) / sizeof(aligns[0]) * (sizeof(sizes) / sizeof(sizes[0])) };
	uint8_t *blocks[N];
	size_t bsize[N];
	size_t n = 0;
	bool aligned = true, got = true, intact = true;

	for (size_t a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++) {
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint8_t *p = pm_hal_alloc(sizes[s], aligns[a]);

			if (!p) {
				got = false;
				continue;
			}
			if ((uintptr_t)p % aligns[a] != 0)
				aligned = false;
			fill(p, sizes[s], (uint8_t)n);
			blocks[n] = p;
			bsize[n] = sizes[s];
			n++;
		}
	}
	/* Every block still holds its own pattern: no two overlap. */
	for (size_t i = 0; i < n; i++)
		if (!matches(blocks[i], bsize[i], (uint8_t)i))
			intact = false;
	for (size_t i = 0; i < n; i++)
		pm_hal_free(blocks[i], bsize[i]);
	check(r, "alloc.returns_memory", got, "pm_hal_alloc returned NULL for a small request");
	check(r, "alloc.alignment", aligned, "a block is not aligned as requested");
	check(r, "alloc.no_overlap", intact, "blocks overlap or lost their contents");
}

/* ---- locks ---- */

static void check_locks(struct run *r)
{
	static const enum pm_lock_class classes[] = {PM_LOCK_VM, PM_LOCK_TABLE, PM_LOCK_SIGHAND,
	                                             PM_LOCK_CRED, PM_LOCK_LEAF};
	enum { NC = sizeof(classes) / sizeof(classes[0]) };
	pm_hal_lock_t locks[NC];
	bool held = true;

	for (size_t i = 0; i < NC; i++)
		pm_hal_lock_init(&locks[i], classes[i]);
	/* Nest every class in lock order, then unwind. */
	for (size_t i = 0; i < NC; i++) {
		pm_hal_lock_acquire(&locks[i]);
		if (!pm_hal_lock_is_held(&locks[i]))
			held = false;
	}
	for (size_t i = NC; i-- > 0;)
		pm_hal_lock_release(&locks[i]);
	check(r, "lock.nest_in_class_order", held, "pm_hal_lock_is_held false while held");

	/* Balance: many acquire/release pairs leave the lock usable. */
	for (int k = 0; k < 1000; k++) {
		pm_hal_lock_acquire(&locks[0]);
		pm_hal_lock_acquire(&locks[NC - 1]);
		pm_hal_lock_release(&locks[NC - 1]);
		pm_hal_lock_release(&locks[0]);
	}
	pm_hal_lock_acquire(&locks[2]);
	held = pm_hal_lock_is_held(&locks[2]);
	pm_hal_lock_release(&locks[2]);
	check(r, "lock.balance", held, "lock unusable after 1000 balanced pairs");
	for (size_t i = 0; i < NC; i++)
		pm_hal_lock_destroy(&locks[i]);
}

/* ---- user memory ---- */

static void check_user(struct run *r)
{
	const struct pm_hal_conformance_env *env = r->env;
	uint8_t buf[256], back[256];
	size_t n = 2 * PAGE;
	bool ok = true;

	/* Round trip across the page boundary inside user_rw, in chunks. */
	for (size_t off = 0; off < n; off += sizeof(buf)) {
		fill(buf, sizeof(buf), (uint8_t)off);
		if (pm_hal_copy_to_user(env->user_rw + off, buf, sizeof(buf)) != 0)
			ok = false;
	}
	for (size_t off = 0; off < n && ok; off += sizeof(back)) {
		if (pm_hal_copy_from_user(back, env->user_rw + off, sizeof(back)) != 0 ||
		    !matches(back, sizeof(back), (uint8_t)off))
			ok = false;
	}
	check(r, "user.round_trip", ok, "bytes written to user memory did not read back");

	fill(buf, sizeof(buf), 1);
	ok = pm_hal_copy_to_user(env->user_rw + PAGE - 100, buf, 200) == 0 &&
	     pm_hal_copy_from_user(back, env->user_rw + PAGE - 100, 200) == 0 &&
	     matches(back, 200, 1);
	check(r, "user.across_pages", ok, "copy across a page boundary failed");

	ok = pm_hal_clear_user(env->user_rw + 10, 300) == 0 &&
	     pm_hal_copy_from_user(back, env->user_rw + 10, 256) == 0 && all_zero(back, 256);
	check(r, "user.clear", ok, "pm_hal_clear_user did not zero");

	ok = pm_hal_copy_to_user(env->user_unmapped, buf, 0) == 0 &&
	     pm_hal_copy_from_user(back, env->user_unmapped, 0) == 0 &&
	     pm_hal_clear_user(env->user_unmapped, 0) == 0;
	check(r, "user.zero_length", ok, "a zero-length copy failed");

	ok = pm_hal_copy_from_user(back, env->user_unmapped, 8) == -PM_EFAULT &&
	     pm_hal_copy_to_user(env->user_unmapped, buf, 8) == -PM_EFAULT &&
	     pm_hal_clear_user(env->user_unmapped, 8) == -PM_EFAULT;
	check(r, "user.unmapped_faults", ok,
	      "access to an unmapped page did not return -PM_EFAULT");

	/* Addresses in the upper half are never user memory on either arch. */
	ok = pm_hal_copy_from_user(back, 0xffff800000000000ull, 8) == -PM_EFAULT &&
	     pm_hal_copy_to_user(0xffffffffffff0000ull, buf, 8) == -PM_EFAULT;
	check(r, "user.kernel_half_faults", ok, "a kernel-half address was not refused");

	if (env->user_ro) {
		ok = pm_hal_copy_from_user(back, env->user_ro, 8) == 0 &&
		     pm_hal_copy_to_user(env->user_ro, buf, 8) == -PM_EFAULT &&
		     pm_hal_clear_user(env->user_ro, 8) == -PM_EFAULT;
		check(r, "user.read_only", ok, "read-only page: read failed or write allowed");
	}
}

/* ---- address spaces ---- */

static void check_as(struct run *r)
{
	const struct pm_hal_conformance_env *env = r->env;
	struct pm_hal_as *as = env->as;
	pm_uaddr_t base = env->as_free;
	uint8_t buf[64], back[64];
	bool ok;

	fill(buf, sizeof(buf), 9);
	ok = pm_hal_as_map(as, base, 2 * PAGE, PM_PROT_READ | PM_PROT_WRITE,
	                   PM_MAP_PRIVATE | PM_MAP_ANONYMOUS, NULL, 0) == 0 &&
	     pm_hal_copy_from_user(back, base + PAGE, sizeof(back)) == 0 && all_zero(back, 64) &&
	     pm_hal_copy_to_user(base + PAGE, buf, sizeof(buf)) == 0 &&
	     pm_hal_copy_from_user(back, base + PAGE, sizeof(back)) == 0 && matches(back, 64, 9);
	check(r, "as.map_anonymous", ok, "a fresh anonymous mapping is not zeroed and writable");

	ok = pm_hal_as_map(as, base + PAGE, 2 * PAGE, PM_PROT_READ,
	                   PM_MAP_PRIVATE | PM_MAP_ANONYMOUS, NULL, 0) == -PM_EEXIST;
	check(r, "as.map_no_replace", ok,
	      "mapping over an existing mapping did not give -PM_EEXIST");

	ok = pm_hal_copy_from_user(back, base + 2 * PAGE - 8, 16) == -PM_EFAULT;
	check(r, "as.straddle_faults", ok, "a copy running past the end of a mapping succeeded");

	ok = pm_hal_as_protect(as, base, PAGE, PM_PROT_READ) == 0 &&
	     pm_hal_copy_to_user(base + 8, buf, 8) == -PM_EFAULT &&
	     pm_hal_copy_to_user(base + PAGE + 8, buf, 8) == 0;
	check(r, "as.protect", ok,
	      "mprotect to read-only did not stop user writes to that page only");

	ok = pm_hal_as_write(as, base + 16, buf, 32) == 0 &&
	     pm_hal_copy_from_user(back, base + 16, 32) == 0 && matches(back, 32, 9) &&
	     pm_hal_as_clear(as, base + 16, 16) == 0 &&
	     pm_hal_copy_from_user(back, base + 16, 16) == 0 && all_zero(back, 16);
	check(r, "as.forced_write", ok, "pm_hal_as_write/clear did not reach a read-only page");

	ok = pm_hal_as_write(as, base + 3 * PAGE, buf, 8) == -PM_EFAULT;
	check(r, "as.write_unmapped", ok, "pm_hal_as_write to an unmapped page did not fault");

	ok = pm_hal_as_unmap(as, base, 4 * PAGE) == 0 &&
	     pm_hal_copy_from_user(back, base + PAGE, 8) == -PM_EFAULT &&
	     pm_hal_as_unmap(as, base, 4 * PAGE) == 0;
	check(r, "as.unmap", ok, "unmapped memory still readable, or unmapping a hole failed");

	if (env->file) {
		uint8_t fb[16];
		size_t want = env->file_size < sizeof(fb) ? (size_t)env->file_size : sizeof(fb);

		ok = pm_hal_as_map(as, base, PAGE, PM_PROT_READ, PM_MAP_PRIVATE, env->file, 0) ==
		         0 &&
		     pm_hal_copy_from_user(fb, base, want) == 0 && matches(fb, want, 3) &&
		     pm_hal_as_unmap(as, base, PAGE) == 0;
		check(r, "as.map_file", ok, "a file mapping does not show the file's bytes");
	}
}

/* ---- files ---- */

static void check_file(struct run *r)
{
	const struct pm_hal_conformance_env *env = r->env;
	struct pm_hal_file *f = env->file;
	struct pm_file_attr attr;
	uint8_t buf[16];
	size_t got = 99;
	bool ok;
	int err;

	ok = pm_hal_file_read(f, 0, buf, sizeof(buf), &got) == 0 && got == sizeof(buf) &&
	     matches(buf, sizeof(buf), 3);
	check(r, "file.read", ok, "reading the first 16 bytes failed or gave wrong bytes");

	ok = pm_hal_file_read(f, env->file_size - 4, buf, sizeof(buf), &got) == 0 && got == 4 &&
	     buf[0] == pattern(env->file_size - 4, 3);
	check(r, "file.short_read_at_eof", ok, "a read across end of file did not stop there");

	ok = pm_hal_file_read(f, env->file_size, buf, sizeof(buf), &got) == 0 && got == 0;
	check(r, "file.read_past_eof", ok, "a read at end of file did not return 0 bytes");

	ok = pm_hal_file_getattr(f, &attr) == 0 && attr.size == env->file_size;
	check(r, "file.getattr", ok, "pm_hal_file_getattr failed or gave the wrong size");

	err = pm_hal_file_get_caps(f, buf, sizeof(buf), &got);
	check(r, "file.get_caps", err == 0 || err == -PM_ENODATA,
	      "pm_hal_file_get_caps returned neither 0 nor -PM_ENODATA");

	pm_hal_file_get(f);
	pm_hal_file_put(f);
	check(r, "file.get_put", pm_hal_file_read(f, 0, buf, 1, &got) == 0,
	      "the file is unusable after a get/put pair");
}

/* ---- entropy and time ---- */

static void check_misc(struct run *r)
{
	uint8_t a[32], b[32];
	bool differ = false;
	uint64_t t1, t2, t3;

	__builtin_memset(a, 0, sizeof(a));
	__builtin_memset(b, 0, sizeof(b));
	pm_hal_random_bytes(a, sizeof(a));
	pm_hal_random_bytes(b, sizeof(b));
	for (size_t i = 0; i < sizeof(a); i++)
		if (a[i] != b[i])
			differ = true;
	check(r, "random.varies", differ && !all_zero(a, sizeof(a)),
	      "two 32-byte draws were equal or zero");

	t1 = pm_hal_time_ns();
	t2 = pm_hal_time_ns();
	t3 = pm_hal_time_ns();
	check(r, "time.monotonic", t1 <= t2 && t2 <= t3, "pm_hal_time_ns went backwards");
}

int pm_hal_conformance_run(const struct pm_hal_conformance_env *env)
{
	struct run r = {.env = env, .failures = 0};

	if (!env || !env->user_rw || env->user_rw_size < 2 * PAGE || !env->user_unmapped ||
	    (env->file && env->file_size < 16))
		return -PM_EINVAL;
	check_alloc(&r);
	check_locks(&r);
	check_user(&r);
	if (env->as && env->as_free)
		check_as(&r);
	if (env->file)
		check_file(&r);
	check_misc(&r);
	return r.failures;
}
