/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "linux_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define AT_NULL_ 0

bool lx_unavailable(void)
{
	return RUNNING_ON_VALGRIND || access("/proc/self/maps", R_OK) != 0;
}

/* The whole of a /proc file into a malloc'd buffer (NUL appended). */
static char *slurp(pid_t pid, const char *what, size_t *len)
{
	char path[64];
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t k;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		*len = 0;
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		k = read(fd, buf + n, cap - n);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = 0;
	*len = n;
	return buf;
}

static void read_maps(pid_t pid, struct lx_state *st)
{
	size_t len;
	char *text = slurp(pid, "maps", &len), *save = NULL;

	if (!text)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long s, e, off;
		char perms[8];
		int pos = 0;
		struct lx_map *m;
		const char *name;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &pos) != 4 ||
		    st->nmaps == LX_MAX_MAPS)
			continue;
		name = line + pos;
		name += strspn(name, " ");
		m = &st->maps[st->nmaps++];
		m->start = s;
		m->end = e;
		m->offset = off;
		snprintf(m->perms, sizeof(m->perms), "%.4s", perms);
		snprintf(m->path, sizeof(m->path), "%s", name);
		if (strcmp(name, "[stack]") == 0) {
			st->stack_start = s;
			st->stack_end = e;
			st->stack_exec = perms[2] == 'x';
		}
	}
	free(text);
}

static void read_stat(pid_t pid, struct lx_state *st)
{
	size_t len;
	char *text = slurp(pid, "stat", &len), *p, *save = NULL;
	int field = 3;

	if (!text)
		return;
	p = strrchr(text, ')');
	if (p) {
		for (char *tok = strtok_r(p + 2, " ", &save); tok && field < 64;
		     tok = strtok_r(NULL, " ", &save), field++)
			st->stat[field] = strtoull(tok, NULL, 10);
	}
	free(text);
}

static void collect(pid_t pid, struct lx_state *st)
{
	char path[64];
	size_t len;
	char *aux;
	int fd;

	ptrace(PTRACE_GETREGS, pid, NULL, &st->regs);
	read_maps(pid, st);
	read_stat(pid, st);
	aux = slurp(pid, "auxv", &len);
	if (aux) {
		st->naux = len / 16 < LX_MAX_AUXV ? len / 16 : LX_MAX_AUXV;
		memcpy(st->auxv, aux, st->naux * 16);
		free(aux);
	}
	st->cmdline = slurp(pid, "cmdline", &st->cmdline_len);
	st->environ = slurp(pid, "environ", &st->environ_len);
	if (st->stack_end > st->regs.rsp && st->regs.rsp >= st->stack_start) {
		st->stack_size = (size_t)(st->stack_end - st->regs.rsp);
		st->stack = malloc(st->stack_size);
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (!st->stack || fd < 0 ||
		    pread(fd, st->stack, st->stack_size, (off_t)st->regs.rsp) !=
		        (ssize_t)st->stack_size) {
			free(st->stack);
			st->stack = NULL;
			st->stack_size = 0;
		}
		if (fd >= 0)
			close(fd);
	}
}

static void child(const struct lx_req *req, int errfd)
{
	static char *const empty[] = {NULL};
	int e;

	if (!req->randomize)
		personality((unsigned long)personality(0xffffffff) | ADDR_NO_RANDOMIZE);
	if (req->rlim_stack) {
		struct rlimit rl;

		getrlimit(RLIMIT_STACK, &rl);
		rl.rlim_cur = req->rlim_stack;
		setrlimit(RLIMIT_STACK, &rl);
	}
	if (req->quiet) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
	}
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	execve(req->path, req->argv ? req->argv : empty, req->envp ? req->envp : empty);
	e = errno;
	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

int lx_exec(const struct lx_req *req, struct lx_state *st)
{
	int pfd[2], ws = 0, e = 0;
	ssize_t n;
	pid_t pid;

	memset(st, 0, sizeof(*st));
	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		child(req, pfd[1]);
	}
	close(pfd[1]);
	n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	waitpid(pid, &ws, 0);
	if (n == (ssize_t)sizeof(e)) {
		st->outcome = LX_ERRNO;
		st->err = e;
		return 0;
	}
	if (WIFSTOPPED(ws) && WSTOPSIG(ws) == SIGTRAP) {
		st->outcome = LX_STOPPED;
		collect(pid, st);
		if (req->run_to_end) {
			ptrace(PTRACE_CONT, pid, NULL, NULL);
			for (;;) {
				waitpid(pid, &ws, 0);
				if (!WIFSTOPPED(ws))
					break;
				ptrace(PTRACE_CONT, pid, NULL, (void *)(uintptr_t)WSTOPSIG(ws));
			}
			st->run_status = ws;
			return 0;
		}
	} else if (WIFSTOPPED(ws) && WSTOPSIG(ws) == SIGSEGV) {
		st->outcome = LX_FATAL;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &ws, 0);
	return 0;
}

void lx_free(struct lx_state *st)
{
	free(st->stack);
	free(st->cmdline);
	free(st->environ);
	st->stack = NULL;
	st->cmdline = st->environ = NULL;
}

uint64_t lx_auxv(const struct lx_state *st, uint64_t type, bool *found)
{
	for (size_t i = 0; i < st->naux; i++) {
		if (st->auxv[2 * i] == type && (type != AT_NULL_ || i + 1 == st->naux)) {
			if (found)
				*found = true;
			return st->auxv[2 * i + 1];
		}
	}
	if (found)
		*found = false;
	return 0;
}

const char *lx_stack_str(const struct lx_state *st, uint64_t a)
{
	uint64_t sp = st->regs.rsp;

	if (!st->stack || a < sp || a >= sp + st->stack_size)
		return NULL;
	if (!memchr(st->stack + (a - sp), 0, st->stack_size - (size_t)(a - sp)))
		return NULL;
	return (const char *)st->stack + (a - sp);
}

uint64_t lx_stack_word(const struct lx_state *st, uint64_t a)
{
	uint64_t sp = st->regs.rsp, v = 0;

	if (st->stack && a >= sp && a + 8 <= sp + st->stack_size)
		memcpy(&v, st->stack + (a - sp), 8);
	return v;
}
