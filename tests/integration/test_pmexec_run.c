/* SPDX-License-Identifier: MIT */
/*
 * Real programs run through pmexec and directly: stdout and the wait
 * status must be identical. Static busybox applets (ET_EXEC), a
 * static-pie program (PMEXEC_PROBE), dynamically linked coreutils through
 * ld.so, `#!` scripts, with the environment passed through, under
 * randomisation, with --no-randomize, and with pmexec itself started
 * under setarch -R (its own stack then sits where the new one goes: the
 * re-exec must resolve it).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "pmexec_test.h"

TestSuite(pmexec_run, .init = pmexec_test_requirements);

static char *env_std[] = {"PATH=/usr/bin:/bin", "HOME=/root", "LANG=C", "PM_TEST=a b  c", NULL};

/* Run argv directly and through pmexec (with pmexec options popts); ro's
 * signal disposition applies to both, its personality to pmexec only. */
static void same_as_direct_opts(char *const *popts, const struct prun_opts *ro, char *const argv[],
                                char *const envp[])
{
	struct prun direct, via;
	char **pv = pmexec_argv(popts, argv);
	struct prun_opts dro = {.ignore_sigint = ro && ro->ignore_sigint};

	cr_assert_eq(prun(argv, envp, &dro, &direct), 0);
	cr_assert_eq(prun(pv, envp, ro, &via), 0);
	cr_expect_str_eq(via.out, direct.out,
	                 "%s: stdout differs\n--- pmexec ---\n%s--- direct ---\n%s", argv[0],
	                 via.out, direct.out);
	cr_expect_eq(via.out_len, direct.out_len, "%s: stdout length", argv[0]);
	cr_expect_eq(via.status, direct.status, "%s: status %#x through pmexec, %#x directly (%s)",
	             argv[0], via.status, direct.status, via.err);
	prun_free(&direct);
	prun_free(&via);
	free(pv);
}

static void same_as_direct(char *const argv[], char *const envp[])
{
	same_as_direct_opts(NULL, NULL, argv, envp);
}

/* A directory with fixed contents for ls and cat. */
static const char *fixture(void)
{
	static const char text[] = "procmgr\nline two\n";

	pmexec_test_file("fixture.txt", text, sizeof(text) - 1, 0644);
	pmexec_test_file("fixture.sh", "#!/bin/sh\n", 10, 0755);
	return pmexec_test_dir();
}

PM_TEST(pmexec_run, busybox_echo)
{
	char *argv[] = {BUSYBOX, "echo", "hello", "from", "procmgr", NULL};

	same_as_direct(argv, env_std);
}

PM_TEST(pmexec_run, busybox_true_false)
{
	char *t[] = {BUSYBOX, "true", NULL}, *f[] = {BUSYBOX, "false", NULL};

	same_as_direct(t, env_std);
	same_as_direct(f, env_std);
}

/* sh -c with arguments: $0, $1.., the exit status, a builtin's output. */
PM_TEST(pmexec_run, busybox_sh_args)
{
	char *argv[] = {BUSYBOX,     "sh",
	                "-c",        "echo \"[$0] [$1] [$2] $#\"; printf '%s\\n' \"$@\"; exit 3",
	                "zero",      "one",
	                "two words", NULL};

	same_as_direct(argv, env_std);
}

/* A program killed by a signal ends the same way through pmexec. */
PM_TEST(pmexec_run, busybox_killed_by_signal)
{
	char *argv[] = {BUSYBOX, "sh", "-c", "echo before; kill -TERM $$; echo after", NULL};

	same_as_direct(argv, env_std);
}

/* Exec resets handled signals to SIG_DFL but keeps ignored ones ignored
 * (flush_signal_handlers): a program started with SIGINT ignored survives
 * its own SIGINT, through pmexec as directly. */
PM_TEST(pmexec_run, ignored_signals_stay_ignored)
{
	struct prun_opts ign = {.ignore_sigint = true};
	char *argv[] = {BUSYBOX, "sh", "-c", "kill -INT $$; echo survived", NULL};
	char *dflt[] = {BUSYBOX, "sh", "-c", "kill -INT $$; echo survived", NULL};

	same_as_direct_opts(NULL, &ign, argv, env_std);
	same_as_direct(dflt, env_std);
}

PM_TEST(pmexec_run, static_pie)
{
	char *argv[] = {PMEXEC_PROBE, "x", "", "y z", NULL};
	char *ex[] = {PMEXEC_PROBE, "exit", "42", NULL};
	char *aux[] = {PMEXEC_PROBE, "auxv", NULL};

	same_as_direct(argv, env_std);
	same_as_direct(ex, env_std);
	same_as_direct(aux, env_std);
}

/* The stack area grows on demand (8 MiB limit), and brk() continues at the
 * program's own break. */
PM_TEST(pmexec_run, stack_growth_and_brk)
{
	char *st[] = {PMEXEC_PROBE, "stack", "6144", NULL};
	char *bk[] = {PMEXEC_PROBE, "brk", NULL};
	struct prun_opts o = {.rlim_stack = 8u << 20};
	struct prun r;
	char **pv = pmexec_argv(NULL, st);

	same_as_direct(st, env_std);
	same_as_direct(bk, env_std);
	cr_assert_eq(prun(pv, env_std, &o, &r), 0);
	cr_expect_str_eq(r.out, "stack 6144 KiB: ok\n");
	prun_free(&r);
	free(pv);
}

PM_TEST(pmexec_run, dynamic_ls_cat)
{
	const char *dir = fixture();
	char path[4096];
	char *ls[] = {"/bin/ls", "-l", "-a", "-n", (char *)dir, NULL};
	char *cat[] = {"/bin/cat", path, NULL};

	snprintf(path, sizeof(path), "%s/fixture.txt", dir);
	same_as_direct(ls, env_std);
	same_as_direct(cat, env_std);
}

/* The environment reaches the program unchanged (env, printenv). */
PM_TEST(pmexec_run, environment_passes_through)
{
	char *env[] = {"/usr/bin/env", NULL};
	char *pe[] = {"/usr/bin/printenv", "PM_TEST", NULL};
	char *missing[] = {"/usr/bin/printenv", "NOT_SET", NULL};
	char *empty[] = {NULL};

	same_as_direct(env, env_std);
	same_as_direct(pe, env_std);
	same_as_direct(missing, env_std);
	same_as_direct(env, empty);
}

/* --env and -i replace the environment. */
PM_TEST(pmexec_run, env_options)
{
	char *popts[] = {"--env", "ONLY=1", "--env", "TWO=2 2", NULL};
	char *iopts[] = {"-i", NULL};
	char *argv[] = {"/usr/bin/env", NULL};
	struct prun r;
	char **pv = pmexec_argv(popts, argv);

	cr_assert_eq(prun(pv, env_std, NULL, &r), 0);
	cr_expect_str_eq(r.out, "ONLY=1\nTWO=2 2\n");
	prun_free(&r);
	free(pv);
	pv = pmexec_argv(iopts, argv);
	cr_assert_eq(prun(pv, env_std, NULL, &r), 0);
	cr_expect_str_eq(r.out, "");
	cr_expect(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	prun_free(&r);
	free(pv);
}

/* #! scripts: /bin/sh (dash, dynamic) and busybox with an argument. */
PM_TEST(pmexec_run, scripts)
{
	static const char sh[] = "#!/bin/sh\necho \"script $0 $# $*\"\nprintenv PM_TEST\nexit 5\n";
	static const char bb[] = "#!" BUSYBOX " sh\necho \"busybox script $#: $1\"\n";
	char *a[] = {(char *)pmexec_test_file("run_sh.sh", sh, sizeof(sh) - 1, 0755), "x", "y",
	             NULL};
	char *b[] = {(char *)pmexec_test_file("run_bb.sh", bb, sizeof(bb) - 1, 0755), "arg", NULL};

	same_as_direct(a, env_std);
	same_as_direct(b, env_std);
}

/* --no-randomize and setarch -R: Linux's fixed layout for the program
 * (pmexec re-executes itself when its own mappings are in the way). */
PM_TEST(pmexec_run, fixed_layouts)
{
	char *norand[] = {"--no-randomize", NULL};
	char *seed[] = {"--seed", "12345", NULL};
	struct prun_opts setarch_r = {.no_randomize = true};
	char *bb[] = {BUSYBOX, "echo", "fixed", NULL};
	char *ls[] = {"/bin/ls", "-d", "/", NULL};
	char *pie[] = {PMEXEC_PROBE, "a", NULL};

	same_as_direct_opts(norand, NULL, bb, env_std);
	same_as_direct_opts(norand, NULL, ls, env_std);
	same_as_direct_opts(norand, NULL, pie, env_std);
	same_as_direct_opts(NULL, &setarch_r, bb, env_std);
	same_as_direct_opts(NULL, &setarch_r, ls, env_std);
	same_as_direct_opts(norand, &setarch_r, pie, env_std);
	same_as_direct_opts(seed, NULL, ls, env_std);
	same_as_direct_opts(seed, &setarch_r, pie, env_std);
}

/* The re-exec marker never reaches the program. */
PM_TEST(pmexec_run, no_marker_in_environment)
{
	struct prun_opts setarch_r = {.no_randomize = true};
	char *argv[] = {"/usr/bin/env", NULL};
	struct prun r;
	char **pv = pmexec_argv(NULL, argv);

	cr_assert_eq(prun(pv, env_std, &setarch_r, &r), 0);
	cr_expect_null(strstr(r.out, "PMEXEC"), "%s", r.out);
	cr_expect(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	prun_free(&r);
	free(pv);
}
