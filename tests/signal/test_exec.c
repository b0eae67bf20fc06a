/* SPDX-License-Identifier: MIT */
/*
 * execve's signal resets (fs/exec.c begin_new_exec: unshare_sighand,
 * flush_signal_handlers(me, 0), the altstack cleared; the mask and
 * pending signals kept), the loader's exec hook over them, and the
 * disposition tables allocated at clone and exec under fault injection
 * (kernel/fork.c copy_sighand).
 */
#include <stdlib.h>
#include <string.h>

#include "sig_fixture.h"
#include "exec_test.h"
#include "procmgr/exec.h"
#include "signal/signal_internal.h"

TestSuite(sigexec, .init = pm_test_setup);

/* flush_signal_handlers(t, 0): handled -> SIG_DFL, SIG_IGN stays,
 * flags, masks and restorers cleared; blocked and pending kept;
 * begin_new_exec clears sas_ss_sp and sas_ss_size. */
static void assert_reset(struct pm_thread *a, pm_sigset_t blocked)
{
	struct pm_sigaction o;
	struct pm_stack ss;

	cr_assert_eq(pm_sigaction(a, SIGUSR1, NULL, &o), 0);
	cr_assert_eq(o.sa_handler, PM_SIG_DFL, "a handled signal is reset");
	cr_assert_eq(o.sa_flags, 0);
	cr_assert_eq(o.sa_mask, 0);
	cr_assert_eq(o.sa_restorer, 0);
	cr_assert_eq(pm_sigaction(a, SIGINT, NULL, &o), 0);
	cr_assert_eq(o.sa_handler, PM_SIG_IGN, "an ignored signal stays ignored");
	cr_assert_eq(o.sa_flags, 0);
	cr_assert_eq(pm_sig_blocked(a), blocked, "the mask survives exec");
	cr_assert(pm_sigismember(pm_sigpending(a), SIGUSR2), "pending signals survive exec");
	pm_sig_altstack(a, &ss);
	cr_assert_eq(ss.ss_sp, 0);
	cr_assert_eq(ss.ss_size, 0);
}

static pm_sigset_t setup_dispositions(struct tu *u, struct pm_thread *a)
{
	pm_sigset_t blocked = pm_sigmask(SIGUSR2) | pm_sigmask(40);
	struct pm_stack ss = {0x10000, 0, 0, 8192};

	sig_handle(a, SIGUSR1, H1, PM_SA_RESTART | PM_SA_SIGINFO | PM_SA_RESTORER,
	           pm_sigmask(SIGTERM));
	sig_handle(a, SIGINT, PM_SIG_IGN, PM_SA_RESTART, pm_sigmask(SIGTERM));
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &blocked, NULL), 0);
	cr_assert_eq(pm_kill(u->init, pm_getpid(a), SIGUSR2), 0);
	cr_assert_eq(pm_sigaltstack(a, &ss, NULL, 0x7000, 0), 0);
	return blocked;
}

PM_TEST(sigexec, exec_resets_handled_dispositions)
{
	struct tu u;
	struct pm_thread *a;
	pm_sigset_t blocked;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	blocked = setup_dispositions(&u, a);
	cr_assert_eq(pm_sig_exec_prepare(a), 0);
	cr_assert_eq(pm_sig_exec(a), 0);
	assert_reset(a, blocked);
	tu_settle(&u);
	tu_teardown(&u);
}

/* unshare_sighand: a table shared with another process (CLONE_SIGHAND
 * without CLONE_THREAD) is copied first; the other keeps its handlers.
 * The copy is allocated by pm_sig_exec_prepare(); when that fails nothing
 * changes. */
PM_TEST(sigexec, shared_table_is_unshared_with_fault_injection)
{
	struct tu u;
	struct pm_thread *a, *b;
	struct pm_sigaction o;
	pm_sigset_t blocked;
	struct sig_snap s;
	bool failed = false;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_SIGHAND, SIGCHLD, &b), 0);
	blocked = setup_dispositions(&u, a);
	snap_take(a->process, &s);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_sig_exec_prepare(a);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_null(a->process->sig.exec_spare);
		snap_assert(a->process, &s, "a failed pm_sig_exec_prepare");
		failed = true;
	}
	cr_assert(failed, "a shared table needs an allocation");
	pm_host_fault_alloc_after(0);
	cr_assert_eq(pm_sig_exec(a), 0, "prepared: no allocation at the point of no return");
	pm_host_fault_reset();
	assert_reset(a, blocked);
	cr_assert_neq(a->process->sig.sighand, b->process->sig.sighand);
	cr_assert_eq(pm_sigaction(b, SIGUSR1, NULL, &o), 0);
	cr_assert_eq(o.sa_handler, H1, "the other process keeps its handler");
	/* Unprepared exec with no memory: -PM_ENOMEM, nothing changed. */
	{
		struct pm_thread *c;

		cr_assert_eq(tu_clone(b, PM_CLONE_VM | PM_CLONE_SIGHAND, SIGCHLD, &c), 0);
		snap_take(b->process, &s);
		pm_host_fault_alloc_after(0);
		cr_assert_eq(pm_sig_exec(b), -PM_ENOMEM);
		pm_host_fault_reset();
		snap_assert(b->process, &s, "an unprepared pm_sig_exec without memory");
		cr_assert_eq(b->process->sig.sighand, c->process->sig.sighand);
	}
	tu_settle(&u);
	tu_teardown(&u);
}

/* copy_sighand at fork: the new table is the one allocation; its failure
 * is -PM_ENOMEM with the parent's signal state unchanged. */
PM_TEST(sigexec, fork_sighand_allocation_fault)
{
	struct tu u;
	struct pm_thread *a, *c = NULL;
	struct sig_snap s;
	struct pm_table_stats st0, st1;
	struct pm_sigaction o;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	(void)setup_dispositions(&u, a);
	snap_take(a->process, &s);
	pm_table_stats(&u.t, &st0);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_host_fault_alloc_nth(n);
		err = tu_clone(a, 0, SIGCHLD, &c);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		snap_assert(a->process, &s, "a failed fork");
		pm_table_stats(&u.t, &st1);
		cr_assert_eq(st1.processes, st0.processes);
		tu_check(&u);
	}
	cr_assert_eq(pm_sigaction(c, SIGUSR1, NULL, &o), 0);
	cr_assert_eq(o.sa_handler, H1, "fork copies the dispositions");
	cr_assert_eq(pm_sig_blocked(c), pm_sig_blocked(a), "and the mask");
	cr_assert_eq(pm_sigpending(c), 0, "but not pending signals");
	tu_settle(&u);
	tu_teardown(&u);
}

/* The loader's exec with the signal module as its signals_reset hook:
 * pm_exec_prepare() leaves the dispositions alone; the point of no
 * return resets them. */
PM_TEST(sigexec, loader_exec_hook_resets_dispositions)
{
	struct tu u;
	struct uenv ue;
	struct pm_thread *a;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_hooks hooks = {0};
	struct pm_exec_params pa;
	struct pm_sigaction o;
	pm_sigset_t blocked;
	static const char *argv[] = {"p", NULL}, *envp[] = {NULL};

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	blocked = setup_dispositions(&u, a);
	uenv_init(&ue, 1 << 20);
	vprog_add("/bin/p");
	hooks.ctx = a;
	hooks.signals_reset = pm_sig_exec_hook;
	pa = xparams("/bin/p", u_vec(&ue, argv), u_vec(&ue, envp));
	pa.hooks = &hooks;
	cr_assert_eq(pm_sig_exec_prepare(a), 0);
	cr_assert_eq(pm_exec_prepare(ex, &pa), 0);
	cr_assert_eq(pm_sigaction(a, SIGUSR1, NULL, &o), 0);
	cr_assert_eq(o.sa_handler, H1, "nothing changes before the point of no return");
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	assert_reset(a, blocked);
	pm_exec_release(ex);
	free(ex);
	uenv_fini(&ue);
	tu_settle(&u);
	tu_teardown(&u);
}

/* The hook past the point of no return with no memory for the unshared
 * table: bprm_execve's force_fatal_sig(SIGSEGV) kills the process (SIG_DFL
 * whatever the handler); with no memory even for SIGSEGV's record, SIGKILL
 * (which needs none) does. */
PM_TEST(sigexec, exec_hook_failure_is_fatal)
{
	struct tu u;
	struct pm_sig_delivery d;

	tu_setup(&u, NULL);
	for (int round = 0; round < 2; round++) {
		struct pm_thread *a = tu_fork(u.init), *b;
		struct pm_sigqueue *stolen;

		cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_SIGHAND, SIGCHLD, &b), 0);
		sig_handle(a, SIGSEGV, H1, 0, 0);
		stolen = pool_steal(&u.t);
		if (round == 0)
			pm_host_fault_alloc_nth(1);
		else
			pm_host_fault_alloc_after(0);
		pm_sig_exec_hook(a);
		pm_host_fault_reset();
		pool_return(&u.t, stolen);
		if (round == 0) {
			cr_assert_eq(sig_next(a, &d), PM_SIGACT_COREDUMP);
			cr_assert_eq(d.signo, SIGSEGV);
		} else {
			cr_assert_eq(sig_next(a, &d), PM_SIGACT_EXIT);
			cr_assert_eq(d.signo, SIGKILL);
		}
		cr_assert_eq(pm_exit_signaled(a, d.signo, false), 0);
		tu_settle(&u);
	}
	tu_teardown(&u);
}
