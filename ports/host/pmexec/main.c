/* SPDX-License-Identifier: MIT */
/*
 * pmexec [OPTIONS] PROGRAM [ARGS...]: run PROGRAM through procmgr's exec,
 * in this process, or print what that exec builds (--dry-run).
 *
 * Exit status: the program's own once it runs; 127 when PROGRAM (or a
 * file it needs) does not exist and 126 for any other exec error, as
 * shells do; 2 for a bad command line; a failure after the point of no
 * return ends the process with SIGSEGV, as Linux does (--dry-run: 139).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pmexec.h"
#include "procmgr/arch.h"
#include "procmgr/errno.h"
#include "procmgr/version.h"

extern char **environ;

void pmx_usage(FILE *out)
{
	fputs("usage: pmexec [OPTIONS] PROGRAM [ARGS...]\n"
	      "Run PROGRAM (static, static-pie, dynamic through its PT_INTERP, or a #! script)\n"
	      "with procmgr's ELF loader, VM layout and initial stack, in this process.\n"
	      "\n"
	      "  --dry-run            print the load plan, layout and initial stack as JSON\n"
	      "                       instead of running (x86_64 and riscv64 programs)\n"
	      "  --no-randomize       Linux's layout with randomisation off (setarch -R)\n"
	      "  --seed N             a randomised layout, reproducible from N\n"
	      "  --layout NAME        paging mode: 4-level, 5-level (x86_64), sv39, sv48, sv57\n"
	      "  --argv0 NAME         run with argv[0] = NAME\n"
	      "  --env NAME=VALUE     the environment is exactly the --env entries (repeat it)\n"
	      "  -i, --ignore-environment  start with an empty environment\n"
	      "  -h, --help           this text\n"
	      "  --version            procmgr's version\n"
	      "\n"
	      "Exit status: PROGRAM's own; 127 if it does not exist, 126 if it cannot be\n"
	      "executed (with the file, Linux's errno name and the reason on stderr).\n",
	      out);
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "pmexec: %s%s\nTry 'pmexec --help'.\n", msg, arg);
	return 2;
}

/* Parse options up to PROGRAM; returns -1 to go on, else an exit status. */
static int parse(int argc, char **argv, struct pmx_opts *o, int *first)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--dry-run") == 0) {
			o->dry_run = true;
		} else if (strcmp(a, "--no-randomize") == 0) {
			o->randomize = 0;
		} else if (strcmp(a, "-i") == 0 || strcmp(a, "--ignore-environment") == 0) {
			o->env_given = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			pmx_usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("pmexec (procmgr %s)\n", pm_version());
			return 0;
		} else if (!strcmp(a, "--seed") || !strcmp(a, "--layout") ||
		           !strcmp(a, "--argv0") || !strcmp(a, "--env")) {
			char *end;

			if (!val)
				return usage_error("a value is missing after ", a);
			i++;
			if (strcmp(a, "--seed") == 0) {
				errno = 0;
				o->seed = strtoull(val, &end, 0);
				if (errno || *end || !*val)
					return usage_error("--seed wants a number, not ", val);
				o->seeded = true;
				o->randomize = 1;
			} else if (strcmp(a, "--layout") == 0) {
				o->layout = val;
			} else if (strcmp(a, "--argv0") == 0) {
				o->argv0 = argv[i];
			} else {
				if (!strchr(val, '='))
					return usage_error("--env wants NAME=VALUE, not ", val);
				o->env[o->nenv++] = argv[i];
				o->env_given = true;
			}
		} else {
			return usage_error("unknown option ", a);
		}
	}
	if (i >= argc)
		return usage_error("no PROGRAM given", "");
	*first = i;
	return -1;
}

/* Plan, then run or print; the exit status as the file header says. */
static int pmexec(struct pmx_opts *o)
{
	const struct pm_arch_desc *arch = &pm_arch_x86_64;
	struct pmx_exec *x = calloc(1, sizeof(*x));
	int err, status;

	if (!x)
		return 1;
	/* A dry run plans for the program's own machine; a run needs this one. */
	if (o->dry_run && pmx_detect_machine(o->program) == PM_EM_RISCV)
		arch = &pm_arch_riscv64;
	err = pmx_exec_build(x, o, arch, !o->dry_run);
	if (err && x->stage == PMX_PREPARE) {
		pmx_report(o, x, err);
		status = err == -PM_ENOENT ? 127 : 126;
	} else if (err && !o->dry_run && !x->load_error) {
		pmx_retry_or_die(o, o->program, err); /* met pmexec's own mappings */
	} else if (err) {
		pmx_report(o, x, err);
		if (!o->dry_run)
			pmx_die_segv();
		status = 128 + 11;
	} else if (!o->dry_run) {
		pmx_run(x, o);
	} else {
		pmx_json_print(stdout, x);
		status = fflush(stdout) ? 1 : 0;
	}
	pmx_exec_fini(x);
	free(x);
	return status;
}

int main(int argc, char **argv)
{
	struct pmx_opts o = {.randomize = -1, .self_argv = argv};
	char **given_env;
	int first = 0, st;

	pmx_reexec_marker(&o); /* before the environment is passed on */
	given_env = o.env = calloc((size_t)argc + 1, sizeof(char *));
	if (!o.env)
		return 1;
	st = parse(argc, argv, &o, &first);
	if (st < 0) {
		o.program = argv[first];
		o.args = &argv[first];
		o.nargs = (size_t)(argc - first);
		if (!o.env_given)
			o.env = environ;
		if (o.argv0) {
			o.args = calloc(o.nargs + 1, sizeof(char *));
			if (o.args) {
				memcpy(o.args, &argv[first], o.nargs * sizeof(char *));
				o.args[0] = o.argv0;
			}
		}
		st = o.args ? pmexec(&o) : 1;
		if (o.argv0)
			free(o.args);
	}
	free(given_env);
	return st;
}
