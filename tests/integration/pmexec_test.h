/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of pmexec's integration suites: run a command (directly
 * or through pmexec) with a given environment and stack limit, capturing
 * its stdout, stderr and wait status; find the programs the suites use.
 */
#ifndef PM_TEST_PMEXEC_TEST_H
#define PM_TEST_PMEXEC_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm_test.h"

#ifndef PMEXEC_PATH
#error "PMEXEC_PATH must name the pmexec binary"
#endif

/* Debian's busybox-static (scripts/install-deps.sh installs it). */
#define BUSYBOX "/bin/busybox"

struct prun_opts {
	bool no_randomize;   /* personality ADDR_NO_RANDOMIZE (setarch -R) */
	uint64_t rlim_stack; /* RLIMIT_STACK soft limit, 0 to leave it */
	const char *cwd;     /* working directory, or NULL */
	bool ignore_sigint;  /* start with SIGINT ignored (execve keeps SIG_IGN) */
};

struct prun {
	char *out, *err; /* NUL-terminated (malloc) */
	size_t out_len, err_len;
	int status; /* wait status */
};

/* Run argv with envp; 0, or -1 if it could not be started at all. */
int prun(char *const argv[], char *const envp[], const struct prun_opts *o, struct prun *r);
void prun_free(struct prun *r);

/* argv with PMEXEC_PATH and `opts` (NULL-terminated) put in front. */
char **pmexec_argv(char *const *opts, char *const argv[]);

/* Skip when the suite cannot run: under Valgrind (it would trace pmexec
 * into the program it runs), or without busybox. */
void pmexec_test_requirements(void);

/* A scratch directory for the suite's files (created, absolute). */
const char *pmexec_test_dir(void);

/* Write a file with mode; its absolute path (static storage, 16 slots). */
const char *pmexec_test_file(const char *name, const void *data, size_t len, unsigned int mode);

#endif /* PM_TEST_PMEXEC_TEST_H */
