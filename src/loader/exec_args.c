/* SPDX-License-Identifier: MIT */
/*
 * argv and envp for a new program (fs/exec.c: count(), bprm_stack_limits(),
 * copy_strings(), copy_string_kernel(), remove_arg_zero()).
 *
 * The strings are measured first, in Linux's order and with Linux's checks
 * (so the first failing string gives Linux's errno), then copied into one
 * buffer of the exact size plus room for what `#!` rewrites can add. Like
 * Linux's stack, the buffer fills from its top down: the filename highest,
 * then the envp strings, then the argv strings, so its tail is byte for
 * byte what goes below the new stack's top.
 *
 * Pointer arrays are read in chunks that never extend past the page of the
 * entry Linux reads next, so a chunk cannot fault where Linux would not.
 */
#include "hal/pm_bits.h"
#include "hal/pm_checked.h"
#include "hal/pm_string.h"
#include "hal/pm_uaccess.h"
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

#define PTR_CACHE   64u
/* What `#!` rewrites may add beyond the filename: at most six levels (the
 * sixth then fails with ELOOP), each an interpreter name and an argument
 * carved from one BINPRM_BUF_SIZE line, plus the previous name; and the ""
 * given to an empty argv. */
#define SCRIPT_ROOM (6u * 2u * PM_BINPRM_BUF_SIZE + 1u)

/* A user array of pointers, read through a small window. */
struct uarr {
	pm_uaddr_t base;
	uint64_t first;
	uint32_t n;
	uint64_t v[PTR_CACHE];
};

/*
 * Entry i. forward: the window starts at i and stops at the page end (as
 * count() reads, entries beyond the NULL must not be touched). Backward:
 * the window ends at i; count() already read every entry before it.
 */
static int uarr_get(struct uarr *r, uint64_t i, bool forward, uint64_t *out)
{
	uint64_t first, cnt, at;

	if (r->n && i >= r->first && i - r->first < r->n) {
		*out = r->v[i - r->first];
		return 0;
	}
	if (forward) {
		if (pm_add_overflow_u64(r->base, i * 8u, &at))
			return -PM_EFAULT;
		first = i;
		cnt = pm_min_u64(PTR_CACHE, (PM_PAGE_SIZE - (at & (PM_PAGE_SIZE - 1))) / 8u);
		cnt = cnt ? cnt : 1; /* an entry straddling two pages */
	} else {
		cnt = pm_min_u64(PTR_CACHE, i + 1);
		first = i + 1 - cnt;
		if (pm_add_overflow_u64(r->base, first * 8u, &at))
			return -PM_EFAULT;
	}
	r->n = 0;
	if (pm_copy_from_user(r->v, at, (size_t)cnt * 8u) != 0)
		return -PM_EFAULT;
	r->first = first;
	r->n = (uint32_t)cnt;
	*out = r->v[i - first];
	return 0;
}

/* count(): entries before the NULL; -EFAULT, -E2BIG above MAX_ARG_STRINGS. */
static int count(struct uarr *r, uint32_t *out)
{
	uint64_t i = 0, p;

	if (!r->base) {
		*out = 0;
		return 0;
	}
	for (;; i++) {
		if (uarr_get(r, i, true, &p))
			return -PM_EFAULT;
		if (!p)
			break;
		if (i >= PM_MAX_ARG_STRINGS)
			return -PM_E2BIG;
	}
	*out = (uint32_t)i;
	return 0;
}

/* bprm_stack_limits(): the bytes all strings may take. */
static int stack_limits(struct pm_exec *ex)
{
	uint64_t limit = pm_min_u64(PM_STK_LIM / 4 * 3, ex->rlim_stack_cur / 4);
	uint64_t ptr_size = ((uint64_t)pm_max_u64(ex->argc, 1) + ex->envc) * 8u;

	limit = pm_max_u64(limit, PM_ARG_MAX);
	if (limit <= ptr_size)
		return -PM_E2BIG;
	ex->limit = (size_t)(limit - ptr_size);
	return 0;
}

/* Bytes the strings use so far (top of the buffer down to p). */
static size_t used(const struct pm_exec *ex, size_t measured)
{
	return ex->strings ? ex->strings_size - ex->p : measured;
}

/* One user string of copy_strings(): check (and copy when ex->strings). */
static int one_user_string(struct pm_exec *ex, pm_uaddr_t str, size_t *measured)
{
	size_t len = 0;

	if (pm_strnlen_user(str, PM_MAX_ARG_STRLEN, &len) != 0 || len == 0)
		return -PM_EFAULT;
	if (len > PM_MAX_ARG_STRLEN || len > ex->limit - used(ex, *measured))
		return -PM_E2BIG;
	if (!ex->strings) {
		*measured += len;
		return 0;
	}
	/* The strings changed since they were measured. */
	if (len > ex->p - SCRIPT_ROOM)
		return -PM_E2BIG;
	ex->p -= len;
	if (pm_copy_from_user(ex->strings + ex->p, str, len) != 0)
		return -PM_EFAULT;
	ex->strings[ex->p + len - 1] = '\0';
	return 0;
}

/* copy_strings() for one array, last entry first. */
static int strings_of(struct pm_exec *ex, struct uarr *r, uint32_t n, size_t *measured)
{
	for (uint32_t i = n; i-- > 0;) {
		uint64_t str;
		int err = uarr_get(r, i, false, &str);

		if (err)
			return err;
		err = one_user_string(ex, str, measured);
		if (err)
			return err;
	}
	return 0;
}

/* Every string in Linux's order: filename, envp, argv. */
static int all_strings(struct pm_exec *ex, const char *filename, struct uarr *av, struct uarr *ev,
                       size_t *measured)
{
	size_t fl = pm_strnlen(filename, PM_MAX_ARG_STRLEN) + 1;
	int err;

	if (fl > PM_MAX_ARG_STRLEN || fl > ex->limit)
		return -PM_E2BIG;
	if (ex->strings) {
		ex->p -= fl;
		pm_memcpy(ex->strings + ex->p, filename, fl);
		ex->execfn_off = ex->p;
	} else {
		*measured = fl;
	}
	err = strings_of(ex, ev, ex->envc, measured);
	if (err)
		return err;
	ex->env_off = ex->p;
	return strings_of(ex, av, ex->argc, measured);
}

int exec_args_copy_(struct pm_exec *ex, const char *filename, pm_uaddr_t argv, pm_uaddr_t envp)
{
	struct uarr av = {.base = argv}, ev = {.base = envp};
	size_t measured = 0, size;
	int err;

	err = count(&av, &ex->argc);
	if (!err)
		err = count(&ev, &ex->envc);
	if (!err)
		err = stack_limits(ex);
	if (!err)
		err = all_strings(ex, filename, &av, &ev, &measured);
	if (err)
		return err;
	if (pm_add_overflow_size(measured, SCRIPT_ROOM + pm_strnlen(filename, PM_MAX_ARG_STRLEN),
	                         &size))
		return -PM_E2BIG;
	ex->strings = pm_hal_alloc(size, 1);
	if (!ex->strings)
		return -PM_ENOMEM;
	ex->strings_size = size;
	ex->p = size;
	err = all_strings(ex, filename, &av, &ev, &measured);
	if (err)
		return err;
	/* An empty argv gets "" so that argv[0] exists (since Linux 5.18). */
	if (ex->argc == 0) {
		err = exec_push_(ex, "");
		if (err)
			return err;
		ex->argc = 1;
	}
	return 0;
}

int exec_push_(struct pm_exec *ex, const char *s)
{
	size_t len = pm_strnlen(s, PM_MAX_ARG_STRLEN) + 1;

	if (len > PM_MAX_ARG_STRLEN || len > ex->limit - (ex->strings_size - ex->p))
		return -PM_E2BIG;
	/* Cannot happen: SCRIPT_ROOM bounds what rewrites add. */
	if (len > ex->p)
		return -PM_E2BIG;
	ex->p -= len;
	pm_memcpy(ex->strings + ex->p, s, len);
	return 0;
}

void exec_remove_arg0_(struct pm_exec *ex)
{
	if (!ex->argc)
		return;
	ex->p += pm_strnlen(ex->strings + ex->p, ex->strings_size - ex->p) + 1;
	ex->argc--;
}
