/* SPDX-License-Identifier: MIT */
/*
 * sigaction (Linux kernel/signal.c do_sigaction, sys_rt_sigaction;
 * kernel/fork.c copy_sighand).
 */
#include <stdlib.h>
#include <string.h>

#include "sig_fixture.h"
#include "signal/signal_internal.h"

TestSuite(sigaction, .init = pm_test_setup);

/* do_sigaction: !valid_signal(sig) || sig < 1 || (act && sig_kernel_only(sig))
 * is EINVAL, and nothing changes. */
PM_TEST(sigaction, bad_signal_numbers_and_kill_stop_are_einval)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sigaction h = {H1, PM_SA_RESTART, 0, 0}, ign = {PM_SIG_IGN, 0, 0, 0};
	struct pm_sigaction dfl = {PM_SIG_DFL, 0, 0, 0}, old;
	struct sig_snap s;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	sig_handle(a, SIGUSR1, H2, 0, 0);
	cr_assert_eq(pm_kill(a, pm_getpid(a), SIGUSR2), 0);
	snap_take(a->process, &s);
	const int bad[] = {0, 65, -1, 1000};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(pm_sigaction(a, bad[i], &h, &old), -PM_EINVAL, "sig %d", bad[i]);
		cr_assert_eq(pm_sigaction(a, bad[i], NULL, &old), -PM_EINVAL, "read sig %d",
		             bad[i]);
	}
	cr_assert_eq(pm_sigaction(a, SIGKILL, &h, NULL), -PM_EINVAL);
	cr_assert_eq(pm_sigaction(a, SIGKILL, &ign, NULL), -PM_EINVAL);
	cr_assert_eq(pm_sigaction(a, SIGKILL, &dfl, NULL), -PM_EINVAL, "even SIG_DFL");
	cr_assert_eq(pm_sigaction(a, SIGSTOP, &h, NULL), -PM_EINVAL);
	cr_assert_eq(pm_sigaction(a, SIGSTOP, &ign, NULL), -PM_EINVAL);
	snap_assert(a->process, &s, "a refused sigaction");
	/* Reading SIGKILL's disposition is allowed. */
	cr_assert_eq(pm_sigaction(a, SIGKILL, NULL, &old), 0);
	cr_assert_eq(old.sa_handler, PM_SIG_DFL);
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_sigaction clears unknown flag bits (act and oact &= UAPI_SA_FLAGS)
 * instead of refusing them, so programs can probe (SA_UNSUPPORTED); on
 * this x86_64 host rt_sigaction(SIGUSR1, flags ~0) reads back 0xdc000807. */
PM_TEST(sigaction, unknown_flags_are_accepted_and_cleared)
{
	struct tu u;
	struct pm_sigaction act = {H1, ~0ull, 0x2000, ~(pm_sigset_t)0}, old;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_sigaction(u.init, SIGUSR1, &act, &old), 0);
	cr_assert_eq(pm_sigaction(u.init, SIGUSR1, NULL, &old), 0);
	cr_assert_eq(old.sa_flags, 0xdc000807ull, "flags %#llx", (unsigned long long)old.sa_flags);
	cr_assert_eq(old.sa_flags & PM_SA_UNSUPPORTED, 0);
	cr_assert_eq(old.sa_mask, ~(pm_sigset_t)0 & ~(pm_sigmask(SIGKILL) | pm_sigmask(SIGSTOP)),
	             "SIGKILL and SIGSTOP leave sa_mask (0xfffffffffffbfeff on Linux)");
	cr_assert_eq(old.sa_restorer, 0x2000);
	cr_assert_eq(old.sa_handler, H1);
	tu_teardown(&u);
}

PM_TEST(sigaction, old_action_is_returned_and_shared_with_clone_sighand)
{
	struct tu u;
	struct pm_thread *a, *b, *c;
	struct pm_sigaction act = {H1, PM_SA_SIGINFO | PM_SA_RESTART, 0, pm_sigmask(SIGINT)};
	struct pm_sigaction act2 = {H2, 0, 0, 0}, old;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigaction(a, SIGTERM, &act, &old), 0);
	cr_assert_eq(old.sa_handler, PM_SIG_DFL, "a fresh process has SIG_DFL everywhere");
	cr_assert_eq(pm_sigaction(a, SIGTERM, &act2, &old), 0);
	cr_assert_eq(memcmp(&old, &act, sizeof(old)), 0, "the previous action comes back");
	/* copy_sighand: CLONE_SIGHAND shares the table, fork copies it. */
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_SIGHAND, SIGCHLD, &b), 0);
	c = tu_fork(a);
	cr_assert_eq(pm_sigaction(b, SIGTERM, &act, NULL), 0);
	cr_assert_eq(pm_sigaction(a, SIGTERM, NULL, &old), 0);
	cr_assert_eq(old.sa_handler, H1, "CLONE_SIGHAND shares dispositions");
	cr_assert_eq(pm_sigaction(c, SIGTERM, NULL, &old), 0);
	cr_assert_eq(old.sa_handler, H2, "fork copies them");
	tu_settle(&u);
	tu_teardown(&u);
}

/* do_sigaction: setting SIG_IGN (or SIG_DFL of an ignore-by-default
 * signal) flushes it from the shared queue and every thread's, blocked
 * or not (POSIX 3.3.1.3). */
PM_TEST(sigaction, ignoring_discards_pending_from_every_queue)
{
	struct tu u;
	struct pm_thread *a, *t2;
	pm_sigset_t all = ~(pm_sigset_t)0;
	struct pm_sigaction ign = {PM_SIG_IGN, 0, 0, 0};

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_BLOCK, &all, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_BLOCK, &all, NULL), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(t2), SIGUSR1), 0);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(a), SIGUSR1), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), 40), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), 40), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGCHLD), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR2), 0);
	cr_assert(pm_sigismember(a->process->sig.shared_pending.signal, SIGUSR1));
	cr_assert(pm_sigismember(t2->sig.pending.signal, SIGUSR1));
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, 40), 2);
	cr_assert_eq(pm_sigaction(t2, SIGUSR1, &ign, NULL), 0);
	cr_assert_eq(pm_sigaction(a, 40, &ign, NULL), 0);
	cr_assert_not(pm_sigismember(a->process->sig.shared_pending.signal, SIGUSR1));
	cr_assert_not(pm_sigismember(a->sig.pending.signal, SIGUSR1));
	cr_assert_not(pm_sigismember(t2->sig.pending.signal, SIGUSR1));
	cr_assert_not(pm_sigismember(a->process->sig.shared_pending.signal, 40));
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, 40), 0, "records freed too");
	/* SIG_DFL of SIGCHLD (ignored by default) discards it; SIG_DFL of
	 * SIGUSR2 (terminate) does not. */
	sig_handle(a, SIGCHLD, PM_SIG_DFL, 0, 0);
	sig_handle(a, SIGUSR2, PM_SIG_DFL, 0, 0);
	cr_assert_not(pm_sigismember(a->process->sig.shared_pending.signal, SIGCHLD));
	cr_assert(pm_sigismember(a->process->sig.shared_pending.signal, SIGUSR2));
	cr_assert_eq(pm_sigpending(a), pm_sigmask(SIGUSR2));
	tu_settle(&u);
	tu_teardown(&u);
}

/* sys_rt_sigaction: sigsetsize must be sizeof(sigset_t); EFAULT on the
 * new action changes nothing; x86_64's 32-byte layout (with sa_restorer),
 * riscv64's 24-byte one (no SA_RESTORER in its UAPI_SA_FLAGS). */
PM_TEST(sigaction, rt_sigaction_on_user_memory)
{
	struct tu u;
	struct pm_hal_as *as = pm_host_as_create(false);
	const struct pm_arch_desc *x86 = &pm_arch_x86_64, *rv = &pm_arch_riscv64;
	pm_uaddr_t ua;
	uint64_t *w;
	struct sig_snap s;

	tu_setup(&u, NULL);
	cr_assert_eq(pm_host_as_map_anywhere(as, 4096, PM_PROT_READ | PM_PROT_WRITE, &ua), 0);
	pm_host_as_set_current(as);
	w = pm_host_as_ptr(as, ua, 128);
	w[0] = H1;
	w[1] = PM_SA_RESTART | PM_SA_RESTORER;
	w[2] = 0x7000;
	w[3] = pm_sigmask(SIGINT);
	snap_take(u.init->process, &s);
	cr_assert_eq(pm_rt_sigaction(u.init, x86, SIGUSR1, ua, 0, 4), -PM_EINVAL);
	cr_assert_eq(pm_rt_sigaction(u.init, x86, SIGUSR1, 0x10, 0, 8), -PM_EFAULT);
	cr_assert_eq(pm_rt_sigaction(u.init, x86, 0, ua, 0, 8), -PM_EINVAL);
	cr_assert_eq(pm_rt_sigaction(u.init, x86, SIGKILL, ua, 0, 8), -PM_EINVAL);
	snap_assert(u.init->process, &s, "a failed rt_sigaction");
	cr_assert_eq(pm_rt_sigaction(u.init, x86, SIGUSR1, ua, ua + 32, 8), 0);
	cr_assert_eq(w[4], PM_SIG_DFL);
	cr_assert_eq(pm_rt_sigaction(u.init, x86, SIGUSR1, 0, ua + 32, 8), 0);
	cr_assert_eq(memcmp(w, w + 4, 32), 0, "the action reads back in the same layout");
	/* riscv64: handler, flags, mask; SA_RESTORER dropped. */
	cr_assert_eq(pm_rt_sigaction(u.init, rv, SIGUSR2, ua, 0, 8), 0);
	cr_assert_eq(pm_rt_sigaction(u.init, rv, SIGUSR2, 0, ua + 64, 8), 0);
	cr_assert_eq(w[8], H1);
	cr_assert_eq(w[9], PM_SA_RESTART);
	cr_assert_eq(w[10], 0x7000 & ~(pm_sigmask(SIGKILL) | pm_sigmask(SIGSTOP)),
	             "the third word is the mask on riscv64");
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
	tu_teardown(&u);
}
