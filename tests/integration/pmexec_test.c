/* SPDX-License-Identifier: MIT */
#include "pmexec_test.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux_exec.h"

#ifndef PMEXEC_TEST_DIR
#define PMEXEC_TEST_DIR "/tmp/pmexec-tests"
#endif

static void child(char *const argv[], char *const envp[], const struct prun_opts *o, int out,
                  int err)
{
	int null = open("/dev/null", O_RDONLY);

	dup2(null, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (o && o->no_randomize)
		personality((unsigned long)personality(0xffffffff) | ADDR_NO_RANDOMIZE);
	if (o && o->rlim_stack) {
		struct rlimit rl;

		getrlimit(RLIMIT_STACK, &rl);
		rl.rlim_cur = o->rlim_stack;
		setrlimit(RLIMIT_STACK, &rl);
	}
	if (o && o->ignore_sigint)
		signal(SIGINT, SIG_IGN);
	if (o && o->cwd && chdir(o->cwd))
		_exit(125);
	execve(argv[0], argv, envp);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Append what fd has to *buf; false at end of file. */
static bool drain(int fd, char **buf, size_t *len, size_t *cap)
{
	ssize_t k;

	if (*len + 4096 + 1 > *cap) {
		char *nb = realloc(*buf, *cap = 2 * *cap + 4096 + 1);

		if (!nb)
			return false;
		*buf = nb;
	}
	k = read(fd, *buf + *len, 4096);
	if (k <= 0)
		return false;
	*len += (size_t)k;
	return true;
}

int prun(char *const argv[], char *const envp[], const struct prun_opts *o, struct prun *r)
{
	int po[2], pe[2];
	size_t cap_o = 0, cap_e = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child(argv, envp, o, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	{
		struct pollfd fds[2] = {{.fd = po[0], .events = POLLIN},
		                        {.fd = pe[0], .events = POLLIN}};
		int open_fds = 2;

		while (open_fds > 0 && poll(fds, 2, -1) > 0) {
			for (int i = 0; i < 2; i++) {
				bool more;

				if (fds[i].fd < 0 ||
				    !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				more = i == 0 ? drain(fds[i].fd, &r->out, &r->out_len, &cap_o)
				              : drain(fds[i].fd, &r->err, &r->err_len, &cap_e);
				if (!more) {
					close(fds[i].fd);
					fds[i].fd = -1;
					open_fds--;
				}
			}
		}
	}
	waitpid(pid, &r->status, 0);
	if (!r->out)
		r->out = calloc(1, 1);
	if (!r->err)
		r->err = calloc(1, 1);
	r->out[r->out_len] = 0;
	r->err[r->err_len] = 0;
	return 0;
}

void prun_free(struct prun *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

char **pmexec_argv(char *const *opts, char *const argv[])
{
	size_t no = 0, na = 0;
	char **v;

	while (opts && opts[no])
		no++;
	while (argv[na])
		na++;
	v = calloc(no + na + 2, sizeof(*v));
	cr_assert_not_null(v);
	v[0] = (char *)PMEXEC_PATH;
	if (no)
		memcpy(v + 1, opts, no * sizeof(*v));
	memcpy(v + 1 + no, argv, na * sizeof(*v));
	return v;
}

void pmexec_test_requirements(void)
{
	if (lx_unavailable())
		cr_skip_test("Valgrind would trace pmexec into the program it runs");
	cr_assert_eq(access(BUSYBOX, X_OK), 0,
	             BUSYBOX " is missing: scripts/install-deps.sh installs busybox-static");
}

const char *pmexec_test_dir(void)
{
	static char dir[PATH_MAX];

	if (!dir[0]) {
		mkdir(PMEXEC_TEST_DIR, 0755);
		if (!realpath(PMEXEC_TEST_DIR, dir))
			snprintf(dir, sizeof(dir), "%s", PMEXEC_TEST_DIR);
	}
	return dir;
}

const char *pmexec_test_file(const char *name, const void *data, size_t len, unsigned int mode)
{
	static char paths[16][PATH_MAX];
	static unsigned int next;
	char *p = paths[next++ % 16];
	int fd;

	snprintf(p, PATH_MAX, "%s/%s", pmexec_test_dir(), name);
	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	cr_assert_geq(fd, 0, "creating %s: %s", p, strerror(errno));
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	chmod(p, mode);
	return p;
}
