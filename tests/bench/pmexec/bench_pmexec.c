/* SPDX-License-Identifier: MIT */
/*
 * Whole-process time of `pmexec PROGRAM` against running PROGRAM
 * directly: posix_spawn, then waitpid, stdout and stderr to /dev/null,
 * the two interleaved run by run so that drift hits both, median of many
 * runs. A static program (busybox true) and a dynamic one (coreutils
 * true through ld.so), plus pmexec --dry-run of the dynamic one and
 * pmexec --version (pmexec's own start-up, against busybox true). Prints a
 * Markdown table (`make bench`); PM_BENCH_SMOKE=1 runs each twice (CTest).
 * A benchmark, never a test: nothing here asserts a speed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One run of argv: its wall time in microseconds, or -1 if it failed. */
static double run_once(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	double t0 = now_us(), t1;
	pid_t pid;
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	waitpid(pid, &st, 0);
	t1 = now_us();
	posix_spawn_file_actions_destroy(&fa);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t1 - t0 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Interleave direct and through-pmexec runs; print one table row. */
static int bench(const char *name, char *const direct[], char *const via[], int runs)
{
	double *d = calloc((size_t)runs, sizeof(*d)), *p = calloc((size_t)runs, sizeof(*p));
	double md, mp;

	if (!d || !p)
		return 1;
	for (int i = 0; i < 5 && runs > 2; i++) { /* warm the page cache */
		run_once(direct);
		run_once(via);
	}
	for (int i = 0; i < runs; i++) {
		d[i] = run_once(direct);
		p[i] = run_once(via);
		if (d[i] < 0 || p[i] < 0) {
			fprintf(stderr, "bench_pmexec: %s failed\n", name);
			return 1;
		}
	}
	md = median(d, runs);
	mp = median(p, runs);
	printf("| %s | %d | %.0f | %.0f | %.2f |\n", name, runs, md, mp, mp / md);
	free(d);
	free(p);
	return 0;
}

int main(void)
{
	int runs = getenv("PM_BENCH_SMOKE") ? 2 : 400;
	char *st_direct[] = {"/bin/busybox", "true", NULL};
	char *st_via[] = {PMEXEC_PATH, "/bin/busybox", "true", NULL};
	char *dyn_direct[] = {"/usr/bin/true", NULL};
	char *dyn_via[] = {PMEXEC_PATH, "/usr/bin/true", NULL};
	char *dry[] = {PMEXEC_PATH, "--dry-run", "/usr/bin/true", NULL};
	char *version[] = {PMEXEC_PATH, "--version", NULL};
	int err = 0;

	printf("| program | runs | direct µs (median) | through pmexec µs (median) | ratio |\n");
	printf("|---|---:|---:|---:|---:|\n");
	err |= bench("static: busybox true", st_direct, st_via, runs);
	err |= bench("dynamic: /usr/bin/true", dyn_direct, dyn_via, runs);
	err |= bench("pmexec --dry-run /usr/bin/true", dyn_direct, dry, runs);
	err |= bench("pmexec --version (its own start-up)", st_direct, version, runs);
	return err;
}
