/* SPDX-License-Identifier: MIT */
/*
 * Pending queues and RLIMIT_SIGPENDING (Linux kernel/signal.c:
 * __send_signal_locked, __sigqueue_alloc / sig_get_ucounts,
 * collect_signal, next_signal, dequeue_signal), and the allocation
 * paths of generation under fault injection.
 */
#include <string.h>

#include "sig_fixture.h"
#include "procmgr/cred.h"
#include "signal/signal_internal.h"

TestSuite(queue, .init = pm_test_setup);

static struct pm_siginfo queued(int32_t code, int v)
{
	struct pm_siginfo i;

	memset(&i, 0, sizeof(i));
	i.si_code = code;
	i.u.rt.pid = 1; /* glibc's sigqueue() fills si_pid and si_uid itself */
	i.u.rt.value.sival_int = v;
	return i;
}

/* __send_signal_locked: legacy_queue() keeps one instance of a standard
 * signal per queue; real-time signals queue every instance in order. */
PM_TEST(queue, standard_coalesce_realtime_queue_in_order)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sig_delivery d;
	pm_sigset_t all = ~(pm_sigset_t)0, none = 0;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	for (int i = 0; i < 3; i++) {
		struct pm_siginfo info = queued(PM_SI_QUEUE, 100 + i);

		cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
		cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), SIGRTMIN + 1, &info), 0);
	}
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, SIGUSR1), 1, "coalesced");
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, SIGRTMIN + 1), 3);
	sig_handle(a, SIGUSR1, H1, 0, 0);
	sig_handle(a, SIGRTMIN + 1, H1, PM_SA_SIGINFO, 0);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &none, NULL), 0);
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_HANDLER);
	cr_assert_eq(d.signo, SIGUSR1, "standard signals first (lower number)");
	cr_assert_eq(d.info.si_code, PM_SI_USER);
	cr_assert_eq(d.info.u.kill.pid, 1, "si_pid: the sender as the target sees it");
	cr_assert_eq(d.info.u.kill.uid, 0);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(sig_next(a, &d), PM_SIGACT_HANDLER);
		cr_assert_eq(d.signo, SIGRTMIN + 1);
		cr_assert_eq(d.info.si_signo, SIGRTMIN + 1);
		cr_assert_eq(d.info.si_code, PM_SI_QUEUE);
		cr_assert_eq(d.info.u.rt.value.sival_int, 100 + i, "queued order");
		cr_assert_eq(d.info.u.rt.pid, 1, "the caller's si_pid, as given");
	}
	cr_assert_eq(sig_next(a, &d), PM_SIGACT_NONE);
	tu_settle(&u);
	tu_teardown(&u);
}

/* Per-thread vs shared: tgkill queues on the thread, kill on the process;
 * one thread's queue is invisible to another; the same standard signal
 * may be pending on both queues at once. */
PM_TEST(queue, shared_and_per_thread_queues)
{
	struct tu u;
	struct pm_thread *a, *t2;
	struct pm_siginfo info;
	pm_sigset_t all = ~(pm_sigset_t)0;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_tgkill(u.init, pm_getpid(a), pm_gettid(t2), SIGUSR1), 0);
	cr_assert_eq(a->process->sig.shared_pending.signal, pm_sigmask(SIGUSR1));
	cr_assert_eq(t2->sig.pending.signal, pm_sigmask(SIGUSR1));
	cr_assert_eq(a->sig.pending.signal, 0);
	cr_assert_eq(pm_sigtimedwait(t2, pm_sigmask(SIGUSR1), false, &info), SIGUSR1);
	cr_assert_eq(info.si_code, PM_SI_TKILL, "own queue first");
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGUSR1), false, &info), SIGUSR1);
	cr_assert_eq(info.si_code, PM_SI_USER, "then the shared one");
	cr_assert_eq(pm_sigtimedwait(t2, pm_sigmask(SIGUSR1), false, &info), -PM_EAGAIN);
	tu_settle(&u);
	tu_teardown(&u);
}

/* next_signal and dequeue_synchronous_signal: synchronous signals
 * (SEGV BUS ILL TRAP FPE SYS) before the rest; then the lowest number. */
PM_TEST(queue, synchronous_signals_first_then_lowest)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_sig_delivery d;
	const int order[] = {SIGILL, SIGSEGV, SIGINT, SIGUSR1, SIGRTMIN};
	pm_sigset_t all = ~(pm_sigset_t)0, none = 0;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sig_handle(a, sig, H1, 0, 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGRTMIN), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGSEGV), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGINT), 0);
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGILL), 0);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &none, NULL), 0);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		cr_assert_eq(sig_next(a, &d), PM_SIGACT_HANDLER);
		cr_assert_eq(d.signo, order[i], "step %zu: got %d", i, d.signo);
		pm_sig_delivered(a, &d);
		pm_sig_set_blocked(a, d.saved_mask);
	}
	tu_settle(&u);
	tu_teardown(&u);
}

/* sig_get_ucounts + __send_signal_locked at RLIMIT_SIGPENDING:
 *  - a real-time signal from sigqueue (si_code < 0) fails with EAGAIN;
 *  - a real-time kill() (SI_USER) is delivered without its siginfo;
 *  - standard signals from kill() and the kernel (si_code >= 0) are
 *    charged past the limit (override_rlimit);
 *  - a standard signal from sigqueue loses its siginfo;
 *  - a real-time signal from the kernel with an explicit info is EAGAIN,
 *    with SEND_SIG_PRIV it loses its siginfo. */
PM_TEST(queue, rlimit_sigpending_at_the_limit)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_siginfo info = queued(PM_SI_QUEUE, 1), got;
	struct sig_snap s;
	pm_sigset_t all = ~(pm_sigset_t)0;
	const struct pm_cred *c;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	sig_set_rlimit_sigpending(a, 2);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info), 0);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info), 0);
	c = pm_cred_slot_get(pm_thread_cred(a));
	cr_assert_eq(pm_cred_sigpending_count(c), 2, "each queued record is charged");
	snap_take(a->process, &s);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info), -PM_EAGAIN);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 41, &info), -PM_EAGAIN);
	struct pm_siginfo kinfo = queued(PM_SI_KERNEL, 0);
	cr_assert_eq(pm_sig_send(a, 42, &kinfo, true), -PM_EAGAIN);
	snap_assert(a->process, &s, "a real-time signal over the limit");
	cr_assert_eq(pm_sigpending(a), pm_sigmask(40));
	/* kill() of a real-time signal: pending, siginfo lost. */
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), 43), 0);
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, 43), 0);
	cr_assert(pm_sigismember(pm_sigpending(a), 43));
	/* SEND_SIG_PRIV real-time: pending, siginfo lost. */
	cr_assert_eq(pm_sig_send(a, 44, NULL, true), 0);
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, 44), 0);
	/* Standard signal from kill(): override, charged past the limit. */
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGUSR1), 0);
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, SIGUSR1), 1);
	cr_assert_eq(pm_cred_sigpending_count(c), 3);
	/* Standard signal from the kernel: override too. */
	cr_assert_eq(pm_sig_send(a, SIGPIPE, NULL, true), 0);
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, SIGPIPE), 1);
	cr_assert_eq(pm_cred_sigpending_count(c), 4);
	/* Standard signal from sigqueue: no override, siginfo lost. */
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), SIGUSR2, &info), 0);
	cr_assert_eq(sig_records(&a->process->sig.shared_pending, SIGUSR2), 0);
	cr_assert(pm_sigismember(pm_sigpending(a), SIGUSR2));
	/* collect_signal without a record: SI_USER with zero pid and uid. */
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGUSR2), false, &got), SIGUSR2);
	cr_assert_eq(got.si_code, PM_SI_USER);
	cr_assert_eq(got.u.kill.pid, 0);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(43), false, &got), 43);
	cr_assert_eq(got.si_code, PM_SI_USER);
	/* Dequeuing uncharges. */
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(40), false, &got), 40);
	cr_assert_eq(got.si_code, PM_SI_QUEUE);
	cr_assert_eq(pm_cred_sigpending_count(c), 3);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGUSR1), false, &got), SIGUSR1);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(SIGPIPE), false, &got), SIGPIPE);
	cr_assert_eq(pm_cred_sigpending_count(c), 1);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 41, &info), 0, "room again");
	pm_cred_put(c);
	tu_settle(&u);
	tu_teardown(&u);
}

/* The charge is the receiver's real user's: records left queued at exit
 * are uncharged when the process is released (__exit_signal). */
PM_TEST(queue, charges_are_released_with_the_process)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_siginfo info = queued(PM_SI_QUEUE, 1);
	pm_sigset_t all = ~(pm_sigset_t)0;
	const struct pm_cred *c;
	int64_t before;

	tu_setup(&u, NULL);
	c = pm_cred_slot_get(pm_thread_cred(u.init));
	before = pm_cred_sigpending_count(c);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 50, &info), 0);
	cr_assert_eq(pm_cred_sigpending_count(c), before + 5, "same user (root)");
	cr_assert_eq(pm_kill(u.init, pm_getpid(a), SIGKILL), 0);
	tu_settle(&u);
	struct pm_wait_result r;
	cr_assert_eq(tu_wait4(u.init, -1, 0, &r), 0);
	cr_assert_eq(pm_cred_sigpending_count(c), before);
	pm_cred_put(c);
	tu_settle(&u);
	tu_teardown(&u);
}

/* A dequeued record waits in the sighand cache with its reference to the
 * user it was charged to, so the next charge to that user takes no
 * reference; after a setuid the next charge goes to the new user and the
 * old reference is dropped (the counts are Linux's either way). */
PM_TEST(queue, a_recycled_record_follows_the_receivers_user)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_siginfo info = queued(PM_SI_QUEUE, 1), got;
	pm_sigset_t all = ~(pm_sigset_t)0;
	const struct pm_cred *root, *user;
	struct pm_sighand *sh;
	int64_t before;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	sh = a->process->sig.sighand;
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	root = pm_cred_slot_get(pm_thread_cred(a));
	before = pm_cred_sigpending_count(root);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info), 0);
	cr_assert_eq(pm_cred_sigpending_count(root), before + 1);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(40), false, &got), 40);
	cr_assert_eq(pm_cred_sigpending_count(root), before, "dequeuing uncharges");
	cr_assert_not_null(sh->cache, "the record waits in the sighand cache");
	cr_assert_eq(sh->cache->ucounts, root->ucounts, "with its reference");
	cr_assert(!sh->cache->charged);

	sig_setuid(a, 1000);
	user = pm_cred_slot_get(pm_thread_cred(a));
	cr_assert_neq(user->ucounts, root->ucounts);
	cr_assert_eq(pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info), 0);
	cr_assert_eq(pm_cred_sigpending_count(user), 1, "charged to the new user");
	cr_assert_eq(pm_cred_sigpending_count(root), before);
	cr_assert_eq(pm_sigtimedwait(a, pm_sigmask(40), false, &got), 40);
	cr_assert_eq(pm_cred_sigpending_count(user), 0);
	cr_assert_eq(sh->cache->ucounts, user->ucounts, "the reference moved");
	pm_cred_put(user);
	pm_cred_put(root);
	tu_settle(&u);
	tu_teardown(&u); /* memcheck: the cached reference is dropped with the sighand */
}

/* Generation takes its record before any lock-held change: with the pool
 * and caches empty, every allocation failure is -PM_ENOMEM with nothing
 * queued, masked or charged, and no leak. */
PM_TEST(queue, fault_injection_on_every_sender)
{
	struct tu u;
	struct pm_thread *a, *t2;
	pm_sigset_t all = ~(pm_sigset_t)0;
	struct pm_siginfo info = queued(PM_SI_QUEUE, 7);

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	t2 = tu_thread(a);
	cr_assert_eq(pm_setpgid(a, 0, 0), 0);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sigprocmask(t2, PM_SIG_SETMASK, &all, NULL), 0);
	for (int which = 0; which < 6; which++) {
		struct pm_sigqueue *stolen = pool_steal(&u.t);
		bool failed = false;
		struct sig_snap s;

		snap_take(a->process, &s);
		for (uint64_t n = 1;; n++) {
			int err = 0;

			pm_host_fault_alloc_nth(n);
			switch (which) {
			case 0:
				err = pm_kill(u.init, pm_getpid(a), SIGUSR1);
				break;
			case 1:
				err = pm_kill(u.init, -pm_getpid(a), SIGUSR2);
				break;
			case 2:
				err = pm_tgkill(u.init, pm_getpid(a), pm_gettid(t2), SIGINT);
				break;
			case 3:
				err = pm_rt_sigqueueinfo(u.init, pm_getpid(a), 40, &info);
				break;
			case 4:
				err = pm_rt_tgsigqueueinfo(u.init, pm_getpid(a), pm_gettid(t2), 41,
				                           &info);
				break;
			default:
				err = pm_kill(u.init, -1, SIGTERM);
				break;
			}
			pm_host_fault_reset();
			if (err == 0)
				break;
			cr_assert_eq(err, -PM_ENOMEM, "sender %d, fault %llu: %d", which,
			             (unsigned long long)n, err);
			snap_assert(a->process, &s, "a sender that ran out of memory");
			failed = true;
		}
		cr_assert(failed, "sender %d never allocated with an empty pool", which);
		pool_return(&u.t, stolen);
	}
	cr_assert_eq(pm_sigpending(t2), pm_sigmask(SIGUSR1) | pm_sigmask(SIGUSR2) |
	                                    pm_sigmask(SIGINT) | pm_sigmask(40) | pm_sigmask(41) |
	                                    pm_sigmask(SIGTERM));
	tu_settle(&u);
	tu_teardown(&u);
}

/* The target: standard signals do not allocate. A record comes from the
 * sighand's cache or the table's pool (Linux's sigqueue kmem_cache) and
 * goes back there at dequeue, so once the pool holds the records in
 * flight (pm_sig_pool_fill, or one earlier send), standard kill, tgkill
 * and their dequeue call pm_hal_alloc() zero times. */
PM_TEST(queue, standard_signals_do_not_allocate)
{
	struct tu u;
	struct pm_thread *a;
	struct pm_siginfo got;
	pm_sigset_t all = ~(pm_sigset_t)0;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_sigprocmask(a, PM_SIG_SETMASK, &all, NULL), 0);
	cr_assert_eq(pm_sig_pool_fill(&u.t, 2), 0);
	pm_host_fault_reset();
	for (int i = 0; i < 1000; i++) {
		cr_assert_eq(pm_kill(a, pm_getpid(a), SIGUSR1), 0);
		cr_assert_eq(pm_kill(a, pm_getpid(a), SIGUSR1), 0, "coalesced");
		cr_assert_eq(pm_tgkill(a, pm_getpid(a), pm_gettid(a), SIGUSR2), 0);
		cr_assert_eq(pm_sigtimedwait(a, all, false, &got), SIGUSR2);
		cr_assert_eq(pm_sigtimedwait(a, all, false, &got), SIGUSR1);
	}
	cr_assert_eq(pm_host_alloc_calls(), 0, "%llu allocations",
	             (unsigned long long)pm_host_alloc_calls());
	tu_settle(&u);
	tu_teardown(&u);
}
