/* SPDX-License-Identifier: MIT */
#include "diff_harness.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "exec_test.h"
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
	return RUNNING_ON_VALGRIND || access("/proc/self/maps", R_OK) != 0;
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

/* ---- Linux ---- */

static size_t read_all(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t k;

	if (fd < 0)
		return 0;
	while (n < cap && (k = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)k;
	close(fd);
	return n;
}

static void linux_maps(pid_t pid, const char *prog, const char *interp, struct diff_result *r)
{
	char path[64], line[PATH_MAX + 128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e, off;
		char perms[8], *name;
		int pos = 0;
		struct diff_map m;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &pos) != 4)
			continue;
		name = line + pos;
		name += strspn(name, " ");
		name[strcspn(name, "\n")] = 0;
		if (strcmp(name, "[stack]") == 0)
			r->exec_stack = perms[2] == 'x';
		if (name[0] == '[')
			continue;
		m.start = s;
		m.end = e;
		m.off = off;
		m.prot = (perms[0] == 'r' ? PM_PROT_READ : 0u) |
		         (perms[1] == 'w' ? PM_PROT_WRITE : 0u) |
		         (perms[2] == 'x' ? PM_PROT_EXEC : 0u);
		m.kind = !name[0]                          ? 0
		         : strcmp(name, prog) == 0         ? 1
		         : interp && !strcmp(name, interp) ? 2
		                                           : -1;
		if (m.kind < 0 || r->nmaps == DIFF_MAX_MAPS)
			continue;
		if (m.kind == 0)
			m.off = 0;
		r->maps[r->nmaps++] = m;
	}
	fclose(f);
}

static void linux_stat(pid_t pid, struct diff_result *r)
{
	char path[64], buf[2048], *p;
	unsigned long long v[64] = {0};
	size_t n;
	int field = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	n = read_all(path, buf, sizeof(buf) - 1);
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p)
		return;
	p += 2; /* ") " then the state */
	for (char *tok = strtok(p, " "); tok && field < 64; tok = strtok(NULL, " "), field++)
		v[field] = strtoull(tok, NULL, 10);
	r->start_code = v[26];
	r->end_code = v[27];
	r->start_data = v[45];
	r->end_data = v[46];
	r->start_brk = v[47];
}

static void linux_collect(pid_t pid, const char *prog, const char *interp, struct diff_result *r)
{
	char path[64];
	uint64_t auxv[128] = {0};
	struct user_regs_struct regs;
	size_t n;

	linux_maps(pid, prog, interp, r);
	snprintf(path, sizeof(path), "/proc/%d/auxv", pid);
	n = read_all(path, (char *)auxv, sizeof(auxv)) / 16;
	for (size_t i = 0; i < n; i++) {
		uint64_t t = auxv[2 * i], val = auxv[2 * i + 1];

		if (t == PM_AT_PHDR)
			r->at_phdr = val;
		else if (t == PM_AT_PHENT)
			r->at_phent = val;
		else if (t == PM_AT_PHNUM)
			r->at_phnum = val;
		else if (t == PM_AT_BASE)
			r->at_base = val;
		else if (t == PM_AT_ENTRY)
			r->at_entry = val;
		else if (t == PM_AT_EXECFN) {
			char mem[64];
			int fd;

			snprintf(mem, sizeof(mem), "/proc/%d/mem", pid);
			fd = open(mem, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				ssize_t k = pread(fd, r->execfn, sizeof(r->execfn) - 1, (off_t)val);

				r->execfn[k > 0 ? k : 0] = 0;
				close(fd);
			}
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	r->cmdline_len = read_all(path, r->cmdline, sizeof(r->cmdline));
	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	r->environ_len = read_all(path, r->environ, sizeof(r->environ));
	linux_stat(pid, r);
	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) == 0)
		r->entry = regs.rip;
	normalise(r);
}

void diff_linux(const char *path, const char *const *argv, const char *const *envp,
                const char *prog_path, const char *interp_path, struct diff_result *r)
{
	int pfd[2], st = 0, e = 0;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(pfd, O_CLOEXEC))
		return;
	pid = fork();
	if (pid == 0) {
		struct rlimit rl;

		close(pfd[0]);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		if (!diff_aslr)
			personality(ADDR_NO_RANDOMIZE);
		getrlimit(RLIMIT_STACK, &rl);
		rl.rlim_cur = 8u << 20;
		setrlimit(RLIMIT_STACK, &rl);
		execve(path, (char *const *)argv, (char *const *)envp);
		e = errno;
		(void)!write(pfd[1], &e, sizeof(e));
		_exit(127);
	}
	close(pfd[1]);
	n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	waitpid(pid, &st, 0);
	if (n == (ssize_t)sizeof(e)) {
		r->kind = DIFF_ERRNO;
		r->err = e;
		return;
	}
	if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP) {
		r->kind = DIFF_OK;
		linux_collect(pid, prog_path, interp_path, r);
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		for (;;) {
			waitpid(pid, &st, 0);
			if (!WIFSTOPPED(st))
				break;
			ptrace(PTRACE_CONT, pid, NULL, (void *)(uintptr_t)WSTOPSIG(st));
		}
		r->run_status = st;
		return;
	}
	if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGSEGV)
		r->kind = DIFF_FATAL;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
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
