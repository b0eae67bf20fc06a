/* SPDX-License-Identifier: MIT */
/*
 * pmexec: run a real Linux program through procmgr's exec (or print what
 * that exec would build). Internal interfaces between its files:
 *
 *   main.c   options, the flow, exit statuses
 *   image.c  one exec through the library: argv/envp in a simulated old
 *            address space, pm_exec_prepare, the point of no return, the
 *            vmspace, stack area, segments, vDSO, brk and stack
 *   json.c   the --dry-run document
 *   run.c    running the image in this process: collisions with pmexec's
 *            own mappings, re-exec, the process state exec resets, the jump
 *   diag.c   what was wrong with a program that failed to exec
 */
#ifndef PMEXEC_H
#define PMEXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "procmgr/cred.h"
#include "procmgr/exec.h"
#include "procmgr/exec_vm.h"
#include "procmgr/rlimit.h"
#include "procmgr/userns.h"
#include "procmgr/vm.h"

/* Marker of a re-exec after a collision: "ATTEMPT:PERSONALITY" (hex). */
#define PMX_REEXEC_ENV   "PMEXEC_REEXEC"
/* Re-execs pmexec makes before giving up on a collision. */
#define PMX_MAX_ATTEMPTS 8

/* The command line. */
struct pmx_opts {
	bool dry_run;
	int randomize; /* -1: as the host would (personality, randomize_va_space) */
	bool seeded;
	uint64_t seed;
	const char *layout; /* paging mode name, or NULL for the default */
	char *argv0;        /* replaces the program's argv[0], or NULL */
	bool env_given;     /* --env or -i: envp is exactly `env` */
	char **env;
	size_t nenv;
	const char *program; /* PROGRAM as given */
	char **args;         /* PROGRAM's argv (args[0] is PROGRAM or argv0) */
	size_t nargs;
	char **self_argv;          /* pmexec's own argv, for a re-exec */
	unsigned int attempt;      /* re-execs so far */
	unsigned long personality; /* the personality pmexec was started with */
};

/* How far an exec got. */
enum pmx_stage {
	PMX_PREPARE = 0, /* failed before the point of no return: err is execve's */
	PMX_LOAD = 1,    /* failed after it: Linux kills the process (SIGSEGV) */
	PMX_DONE = 2,    /* the image is ready */
};

/* One exec through procmgr, into a simulated (dry run) or real space. */
struct pmx_exec {
	const struct pm_arch_desc *arch;
	const struct pm_arch_layout *layout;
	bool real;
	bool randomize;
	uint64_t rlim_stack;
	struct pm_hal_as *old_as; /* holds argv and envp, as the caller's memory */
	struct pm_hal_as *new_as;
	struct pm_exec *ex;
	struct pm_vmspace vs;
	bool vs_live;
	struct pm_exec_vm ev;
	struct pm_exec_image img;
	struct pm_arch_hwinfo hw;
	/* credentials of this process, modelled for the credential hooks */
	struct pm_userns root;
	const struct pm_cred *init;
	struct pm_cred_slot slot;
	struct pm_rlimits rlim;
	struct pm_exec_cred_hooks hooks;
	bool world_live;
	enum pmx_stage stage;
	int err;
	bool load_error; /* the failure is the plan's own (no retry helps) */
	bool setid;      /* run mode ignored set-id bits / file capabilities */
};

/* main.c */
void pmx_usage(FILE *out);

/* image.c */
int pmx_exec_build(struct pmx_exec *x, const struct pmx_opts *o, const struct pm_arch_desc *arch,
                   bool real);
void pmx_exec_fini(struct pmx_exec *x);
/* The machine of the ELF PROGRAM finally runs (following `#!`), or 0. */
uint16_t pmx_detect_machine(const char *path);

/* json.c */
void pmx_json_print(FILE *f, const struct pmx_exec *x);

/* run.c */
bool pmx_host_randomizes(unsigned long personality, bool *brk_too);
void pmx_reexec_marker(struct pmx_opts *o);
void pmx_signals_reset(void *ctx);
_Noreturn void pmx_run(struct pmx_exec *x, const struct pmx_opts *o);
/* End the process as Linux ends an exec failing after its point of no return. */
_Noreturn void pmx_die_segv(void);
_Noreturn void pmx_retry_or_die(const struct pmx_opts *o, const char *program, int err);

/* diag.c */
/* Print "pmexec: FILE: ENAME (text): what was wrong" for an exec error. */
void pmx_report(const struct pmx_opts *o, const struct pmx_exec *x, int err);

#endif /* PMEXEC_H */
