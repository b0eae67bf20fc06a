/* SPDX-License-Identifier: MIT */
#include "diff_harness.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exec_test.h"
#include "linux_exec.h"
#include "procmgr/auxv.h"

#ifndef PM_LOADER_TMPDIR
#define PM_LOADER_TMPDIR "/tmp/pm-loader-diff"
#endif

bool diff_aslr;

const char *diff_dir(void)
{
	static char dir[PATH_MAX];

	if (!dir[0]) {
		mkdir(PM_LOADER_TMPDIR, 0755);
		if (!realpath(PM_LOADER_TMPDIR, dir))
			snprintf(dir, sizeof(dir), "%s", PM_LOADER_TMPDIR);
	}
	return dir;
}

bool diff_unavailable(void)
{
	return lx_unavailable();
}

static size_t pm_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* ---- normalising mapping lists ---- */

static int map_cmp(const void *a, const void *b)
{
	const struct diff_map *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort, then merge neighbours Linux's VMA merging could join. */
static void normalise(struct diff_result *r)
{
	size_t out = 0;

	qsort(r->maps, r->nmaps, sizeof(r->maps[0]), map_cmp);
	for (size_t i = 0; i < r->nmaps; i++) {
		struct diff_map *prev = out ? &r->maps[out - 1] : NULL, *m = &r->maps[i];

		if (prev && prev->end == m->start && prev->prot == m->prot &&
		    prev->kind == m->kind &&
		    (m->kind == 0 || prev->off + (prev->end - prev->start) == m->off)) {
			prev->end = m->end;
			continue;
		}
		r->maps[out++] = *m;
	}
	r->nmaps = out;
}

/* ---- Linux (the shared oracle, tests/common/linux_exec.c) ---- */

static void linux_collect(const struct lx_state *st, const char *prog, const char *interp,
                          struct diff_result *r)
{
	const char *execfn = lx_stack_str(st, lx_auxv(st, PM_AT_EXECFN, NULL));

	for (size_t i = 0; i < st->nmaps; i++) {
		const struct lx_map *lm = &st->maps[i];
		const char *perms = lm->perms;
		struct diff_map m;

		if (lm->path[0] == '[' || r->nmaps == DIFF_MAX_MAPS)
			continue;
		m.start = lm->start;
		m.end = lm->end;
		m.off = lm->offset;
		m.prot = (perms[0] == 'r' ? PM_PROT_READ : 0u) |
		         (perms[1] == 'w' ? PM_PROT_WRITE : 0u) |
		         (perms[2] == 'x' ? PM_PROT_EXEC : 0u);
		m.kind = !lm->path[0]                          ? 0
		         : strcmp(lm->path, prog) == 0         ? 1
		         : interp && !strcmp(lm->path, interp) ? 2
		                                               : -1;
		if (m.kind < 0)
			continue;
		if (m.kind == 0)
			m.off = 0;
		r->maps[r->nmaps++] = m;
	}
	r->exec_stack = st->stack_exec;
	r->at_phdr = lx_auxv(st, PM_AT_PHDR, NULL);
	r->at_phent = lx_auxv(st, PM_AT_PHENT, NULL);
	r->at_phnum = lx_auxv(st, PM_AT_PHNUM, NULL);
	r->at_base = lx_auxv(st, PM_AT_BASE, NULL);
	r->at_entry = lx_auxv(st, PM_AT_ENTRY, NULL);
	snprintf(r->execfn, sizeof(r->execfn), "%s", execfn ? execfn : "");
	r->cmdline_len = pm_min(st->cmdline_len, sizeof(r->cmdline));
	memcpy(r->cmdline, st->cmdline, r->cmdline_len);
	r->environ_len = pm_min(st->environ_len, sizeof(r->environ));
	memcpy(r->environ, st->environ, r->environ_len);
	r->start_code = st->stat[LX_STAT_START_CODE];
	r->end_code = st->stat[LX_STAT_END_CODE];
	r->start_data = st->stat[LX_STAT_START_DATA];
	r->end_data = st->stat[LX_STAT_END_DATA];
	r->start_brk = st->stat[LX_STAT_START_BRK];
	r->entry = st->regs.rip;
	normalise(r);
}

void diff_linux(const char *path, const char *const *argv, const char *const *envp,
                const char *prog_path, const char *interp_path, struct diff_result *r)
{
	struct lx_req req = {.path = path,
	                     .argv = (char *const *)argv,
	                     .envp = (char *const *)envp,
	                     .randomize = diff_aslr,
	                     .rlim_stack = 8u << 20,
	                     .run_to_end = true};
	struct lx_state *st = calloc(1, sizeof(*st));

	memset(r, 0, sizeof(*r));
	if (!st || lx_exec(&req, st)) {
		free(st);
		return;
	}
	if (st->outcome == LX_ERRNO) {
		r->kind = DIFF_ERRNO;
		r->err = st->err;
	} else if (st->outcome == LX_FATAL) {
		r->kind = DIFF_FATAL;
	} else {
		r->kind = DIFF_OK;
		linux_collect(st, prog_path, interp_path, r);
		r->run_status = st->run_status;
	}
	lx_free(st);
	free(st);
}

/* ---- procmgr ---- */

struct recorder {
	struct pm_elf_mapper m;
	struct pm_elf_hal_mapper hal;
	struct lt_find find;
	const struct pm_exec *ex;
	bool interp_is_prog;
	struct diff_result *r;
};

/* Remove [s, e) from the recorded mappings, splitting as needed. */
static void rec_remove(struct diff_result *r, uint64_t s, uint64_t e)
{
	size_t n = r->nmaps;

	for (size_t i = 0; i < n; i++) {
		struct diff_map m = r->maps[i];

		if (m.end <= s || m.start >= e)
			continue;
		if (m.start < s && m.end > e && r->nmaps < DIFF_MAX_MAPS) {
			struct diff_map hi = m;

			hi.off += m.kind ? e - m.start : 0;
			hi.start = e;
			r->maps[r->nmaps++] = hi;
		}
		if (m.start < s) {
			r->maps[i].end = s;
		} else if (m.end > e) {
			r->maps[i].off += m.kind ? e - m.start : 0;
			r->maps[i].start = e;
		} else {
			r->maps[i].end = r->maps[i].start; /* emptied */
		}
	}
	for (size_t i = 0; i < r->nmaps;) {
		if (r->maps[i].end == r->maps[i].start)
			r->maps[i] = r->maps[--r->nmaps];
		else
			i++;
	}
}

static int rec_map(void *ctx, pm_uaddr_t start, uint64_t len, unsigned int prot, unsigned int flags,
                   struct pm_hal_file *file, uint64_t off)
{
	struct recorder *rc = ctx;
	int err = rc->hal.mapper.map(&rc->hal, start, len, prot, flags, file, off);
	struct diff_map m = {.start = start, .end = start + len, .prot = prot, .off = off};

	if (err)
		return err;
	rec_remove(rc->r, start, start + len);
	m.kind = !file ? 0 : file == rc->ex->file ? 1 : rc->interp_is_prog ? 1 : 2;
	if (!file)
		m.off = 0;
	if (rc->r->nmaps < DIFF_MAX_MAPS)
		rc->r->maps[rc->r->nmaps++] = m;
	return 0;
}

static int rec_unmap(void *ctx, pm_uaddr_t start, uint64_t len)
{
	struct recorder *rc = ctx;

	rec_remove(rc->r, start, start + len);
	return rc->hal.mapper.unmap(&rc->hal, start, len);
}

static int rec_clear(void *ctx, pm_uaddr_t a, uint64_t n)
{
	struct recorder *rc = ctx;

	return rc->hal.mapper.clear(&rc->hal, a, n);
}

static int rec_find(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	struct recorder *rc = ctx;

	return lt_find_free(&rc->find, hint, len, out);
}

static pm_uaddr_t u_strv(struct uenv *u, const char *const *v)
{
	pm_uaddr_t *ptrs, at;
	size_t n = 0;

	if (!v)
		return 0;
	while (v[n])
		n++;
	ptrs = calloc(n + 1, sizeof(*ptrs));
	for (size_t i = 0; i < n; i++)
		ptrs[i] = u_str(u, v[i]);
	at = u_bytes(u, ptrs, (n + 1) * sizeof(ptrs[0]));
	free(ptrs);
	return at;
}

void diff_procmgr(const char *path, const char *const *argv, const char *const *envp,
                  const char *prog_path, const char *interp_path, struct diff_result *r)
{
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct recorder rc = {
	    .m = {.map = rec_map, .unmap = rec_unmap, .clear = rec_clear, .find_free = rec_find},
	    .r = r};
	struct pm_exec_params pa;
	struct pm_exec_image img;
	struct pm_hal_as *as = pm_host_as_create(false);
	struct uenv u;
	int err;

	memset(r, 0, sizeof(*r));
	uenv_init(&u, 16 << 20);
	pa = xparams(path, u_strv(&u, argv), u_strv(&u, envp));
	err = pm_exec_prepare(ex, &pa);
	if (err) {
		r->kind = DIFF_ERRNO;
		r->err = -err;
		goto out;
	}
	pm_exec_point_of_no_return(ex);
	rc.m.ctx = &rc;
	rc.ex = ex;
	rc.interp_is_prog = prog_path && interp_path && strcmp(prog_path, interp_path) == 0;
	rc.find = (struct lt_find){.as = as, .base = X86_MMAP_BASE};
	pm_elf_hal_mapper_init(&rc.hal, as, NULL, NULL);
	err = pm_exec_load(ex, &rc.m, &img);
	if (err) {
		r->kind = DIFF_FATAL;
		r->err = -err;
		r->nmaps = 0;
		goto out;
	}
	r->kind = DIFF_OK;
	r->at_phdr = img.at_phdr;
	r->at_phent = img.at_phent;
	r->at_phnum = img.at_phnum;
	r->at_base = img.at_base;
	r->at_entry = img.at_entry;
	r->entry = img.entry;
	/* capped like the Linux side's reads of /proc */
	r->cmdline_len = pm_min(img.envp_offset, sizeof(r->cmdline));
	memcpy(r->cmdline, img.strings, r->cmdline_len);
	r->environ_len = pm_min(img.execfn_offset - img.envp_offset, sizeof(r->environ));
	memcpy(r->environ, img.strings + img.envp_offset, r->environ_len);
	snprintf(r->execfn, sizeof(r->execfn), "%s", img.strings + img.execfn_offset);
	r->start_code = img.start_code;
	r->end_code = img.end_code;
	r->start_data = img.start_data;
	r->end_data = img.end_data;
	r->start_brk = img.brk_start;
	r->exec_stack = img.exec_stack == PM_EXSTACK_ENABLE_X;
	normalise(r);
out:
	pm_exec_release(ex);
	free(ex);
	pm_host_as_destroy(as);
	uenv_fini(&u);
}

/* ---- comparison ---- */

#define DIFF_U64(field)                                                               \
	if (l->field != p->field) {                                                   \
		snprintf(buf, cap, #field ": linux %#llx procmgr %#llx",              \
		         (unsigned long long)l->field, (unsigned long long)p->field); \
		return buf;                                                           \
	}

const char *diff_compare(const struct diff_result *l, const struct diff_result *p, char *buf,
                         size_t cap)
{
	if (l->kind != p->kind || (l->kind == DIFF_ERRNO && l->err != p->err)) {
		snprintf(buf, cap, "outcome: linux %d/%d procmgr %d/%d", l->kind, l->err, p->kind,
		         p->err);
		return buf;
	}
	if (l->kind != DIFF_OK)
		return NULL;
	DIFF_U64(entry)
	DIFF_U64(at_phdr)
	DIFF_U64(at_phent)
	DIFF_U64(at_phnum)
	DIFF_U64(at_base)
	DIFF_U64(at_entry)
	DIFF_U64(start_code)
	DIFF_U64(end_code)
	DIFF_U64(start_data)
	DIFF_U64(end_data)
	DIFF_U64(start_brk)
	DIFF_U64(exec_stack)
	DIFF_U64(cmdline_len)
	DIFF_U64(environ_len)
	if (memcmp(l->cmdline, p->cmdline, l->cmdline_len) ||
	    memcmp(l->environ, p->environ, l->environ_len) || strcmp(l->execfn, p->execfn)) {
		snprintf(buf, cap, "argv/envp/execfn differ (execfn linux '%s' procmgr '%s')",
		         l->execfn, p->execfn);
		return buf;
	}
	DIFF_U64(nmaps)
	for (size_t i = 0; i < l->nmaps; i++) {
		const struct diff_map *a = &l->maps[i], *b = &p->maps[i];

		if (a->start != b->start || a->end != b->end || a->prot != b->prot ||
		    a->kind != b->kind || a->off != b->off) {
			snprintf(buf, cap,
			         "map %zu: linux %#llx-%#llx prot %u kind %d off %#llx, procmgr "
			         "%#llx-%#llx prot %u kind %d off %#llx",
			         i, (unsigned long long)a->start, (unsigned long long)a->end,
			         a->prot, a->kind, (unsigned long long)a->off,
			         (unsigned long long)b->start, (unsigned long long)b->end, b->prot,
			         b->kind, (unsigned long long)b->off);
			return buf;
		}
	}
	return NULL;
}
