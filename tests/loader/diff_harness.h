/* SPDX-License-Identifier: MIT */
/*
 * Differential testing of exec against the running Linux kernel.
 *
 * The same files are exec'd twice:
 *  - by Linux, in a child that asked to be traced and turned address-space
 *    randomisation off: a failed execve reports its errno; a successful one
 *    stops the child with SIGTRAP before its first instruction (then the
 *    maps, auxv, argv, environ, mm fields and registers are read from
 *    /proc and ptrace); a failure after the point of no return stops it
 *    with SIGSEGV instead;
 *  - by procmgr: pm_exec_prepare, the point of no return, pm_exec_load into
 *    a simulated address space through a mapper that records every mapping.
 * Then the two are compared field by field.
 */
#ifndef PM_TEST_DIFF_HARNESS_H
#define PM_TEST_DIFF_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/exec.h"

#define DIFF_MAX_MAPS 64

enum diff_kind {
	DIFF_ERRNO = 1, /* execve returned an error (before the point of no return) */
	DIFF_FATAL = 2, /* execve did not return; the process got SIGSEGV */
	DIFF_OK = 3,    /* the new program is ready to run */
};

/* One mapping of the new image: kind 0 anonymous, 1 the program's file,
 * 2 the interpreter's file. */
struct diff_map {
	uint64_t start, end, off;
	unsigned int prot;
	int kind;
};

struct diff_result {
	enum diff_kind kind;
	int err; /* DIFF_ERRNO: the positive errno */
	/* DIFF_OK */
	struct diff_map maps[DIFF_MAX_MAPS];
	size_t nmaps;
	uint64_t at_phdr, at_phent, at_phnum, at_base, at_entry;
	uint64_t entry; /* first pc */
	char cmdline[512 << 10], environ[512 << 10], execfn[4096];
	size_t cmdline_len, environ_len;
	uint64_t start_code, end_code, start_data, end_data, start_brk;
	bool exec_stack;
	int run_status; /* Linux: the wait status once the program ran */
};

/* Let Linux randomise the layout (default: ADDR_NO_RANDOMIZE). */
extern bool diff_aslr;

/* A directory for the test's files (created). */
const char *diff_dir(void);

/* Skip (true) when Linux cannot be asked: under Valgrind, or no /proc. */
bool diff_unavailable(void);

/* Exec `path` under Linux. */
void diff_linux(const char *path, const char *const *argv, const char *const *envp,
                const char *prog_path, const char *interp_path, struct diff_result *r);

/* Exec `path` with procmgr (prog_path/interp_path as for diff_linux: they
 * tell the program's mappings from the interpreter's). */
void diff_procmgr(const char *path, const char *const *argv, const char *const *envp,
                  const char *prog_path, const char *interp_path, struct diff_result *r);

/* Compare; returns NULL or a description of the first difference. */
const char *diff_compare(const struct diff_result *linux_r, const struct diff_result *pm_r,
                         char *buf, size_t cap);

#endif /* PM_TEST_DIFF_HARNESS_H */
