/* SPDX-License-Identifier: MIT */
/*
 * Signal numbers, names, sets and default actions against the host's
 * <signal.h> and Linux's kernel masks (include/uapi/asm-generic/signal.h,
 * arch/x86/include/uapi/asm/signal.h, include/linux/signal.h
 * SIG_KERNEL_*_MASK, kernel/signal.c SYNCHRONOUS_MASK, signal(7)).
 */
#include "pm_test.h"
#include "procmgr/signal.h"

/* After procmgr's header: glibc's sa_handler is a macro. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

TestSuite(sigset, .init = pm_test_setup);

PM_TEST(sigset, numbers_match_the_host)
{
	const struct {
		int pm, host;
	} n[] = {
	    {PM_SIGHUP, SIGHUP},       {PM_SIGINT, SIGINT},       {PM_SIGQUIT, SIGQUIT},
	    {PM_SIGILL, SIGILL},       {PM_SIGTRAP, SIGTRAP},     {PM_SIGABRT, SIGABRT},
	    {PM_SIGIOT, SIGIOT},       {PM_SIGBUS, SIGBUS},       {PM_SIGFPE, SIGFPE},
	    {PM_SIGKILL, SIGKILL},     {PM_SIGUSR1, SIGUSR1},     {PM_SIGSEGV, SIGSEGV},
	    {PM_SIGUSR2, SIGUSR2},     {PM_SIGPIPE, SIGPIPE},     {PM_SIGALRM, SIGALRM},
	    {PM_SIGTERM, SIGTERM},     {PM_SIGSTKFLT, SIGSTKFLT}, {PM_SIGCHLD, SIGCHLD},
	    {PM_SIGCONT, SIGCONT},     {PM_SIGSTOP, SIGSTOP},     {PM_SIGTSTP, SIGTSTP},
	    {PM_SIGTTIN, SIGTTIN},     {PM_SIGTTOU, SIGTTOU},     {PM_SIGURG, SIGURG},
	    {PM_SIGXCPU, SIGXCPU},     {PM_SIGXFSZ, SIGXFSZ},     {PM_SIGVTALRM, SIGVTALRM},
	    {PM_SIGPROF, SIGPROF},     {PM_SIGWINCH, SIGWINCH},   {PM_SIGIO, SIGIO},
	    {PM_SIGPOLL, SIGPOLL},     {PM_SIGPWR, SIGPWR},       {PM_SIGSYS, SIGSYS},
	    {PM_SIGRTMIN, __SIGRTMIN}, {PM_SIGRTMAX, SIGRTMAX},   {PM_NSIG + 1, _NSIG},
	};

	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		cr_assert_eq(n[i].pm, n[i].host, "entry %zu: %d != host %d", i, n[i].pm, n[i].host);
	cr_assert_eq(PM_SA_NOCLDSTOP, SA_NOCLDSTOP);
	cr_assert_eq(PM_SA_NOCLDWAIT, SA_NOCLDWAIT);
	cr_assert_eq(PM_SA_SIGINFO, SA_SIGINFO);
	cr_assert_eq(PM_SA_ONSTACK, SA_ONSTACK);
	cr_assert_eq(PM_SA_RESTART, SA_RESTART);
	cr_assert_eq(PM_SA_NODEFER, SA_NODEFER);
	cr_assert_eq(PM_SA_RESETHAND, (uint64_t)(unsigned int)SA_RESETHAND);
	cr_assert_eq(PM_SIG_BLOCK, SIG_BLOCK);
	cr_assert_eq(PM_SIG_UNBLOCK, SIG_UNBLOCK);
	cr_assert_eq(PM_SIG_SETMASK, SIG_SETMASK);
	cr_assert_eq(PM_SS_ONSTACK, SS_ONSTACK);
	cr_assert_eq(PM_SS_DISABLE, SS_DISABLE);
	cr_assert_eq(PM_SI_USER, SI_USER);
	cr_assert_eq(PM_SI_KERNEL, SI_KERNEL);
	cr_assert_eq(PM_SI_QUEUE, SI_QUEUE);
	cr_assert_eq(PM_SI_TIMER, SI_TIMER);
	cr_assert_eq(PM_SI_MESGQ, SI_MESGQ);
	cr_assert_eq(PM_SI_ASYNCIO, SI_ASYNCIO);
	cr_assert_eq(PM_SI_SIGIO, SI_SIGIO);
	cr_assert_eq(PM_SI_TKILL, SI_TKILL);
	cr_assert_eq(PM_SI_ASYNCNL, SI_ASYNCNL);
	cr_assert_eq(PM_CLD_EXITED, CLD_EXITED);
	cr_assert_eq(PM_CLD_KILLED, CLD_KILLED);
	cr_assert_eq(PM_CLD_DUMPED, CLD_DUMPED);
	cr_assert_eq(PM_CLD_STOPPED, CLD_STOPPED);
	cr_assert_eq(PM_CLD_CONTINUED, CLD_CONTINUED);
}

PM_TEST(sigset, names_match_the_host_abbreviations)
{
	char want[32];

	for (int sig = 1; sig <= 31; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		cr_assert_not_null(abbrev, "host has no name for %d", sig);
		/* glibc calls 29 POLL; the uapi header's primary name is SIGIO
		 * (#define SIGPOLL SIGIO), which procmgr uses. */
		snprintf(want, sizeof(want), "SIG%s", sig == 29 ? "IO" : abbrev);
		cr_assert_str_eq(pm_sig_name(sig), want, "signal %d", sig);
	}
	cr_assert_str_eq(pm_sig_name(32), "SIGRTMIN");
	cr_assert_str_eq(pm_sig_name(33), "SIGRTMIN+1");
	cr_assert_str_eq(pm_sig_name(64), "SIGRTMIN+32");
	cr_assert_null(pm_sig_name(0));
	cr_assert_null(pm_sig_name(65));
	cr_assert_null(pm_sig_name(-1));
}

PM_TEST(sigset, sigset_operations_use_the_kernel_bit_layout)
{
	pm_sigset_t s;
	sigset_t host;
	uint64_t word;

	/* sigaddset: bit (sig - 1) of word 0, as the kernel's and glibc's. */
	for (int sig = 1; sig <= 64; sig++) {
		pm_sigemptyset(&s);
		pm_sigaddset(&s, sig);
		/* glibc refuses its reserved 32 and 33 in sigaddset(). */
		if (sig != 32 && sig != 33) {
			sigemptyset(&host);
			cr_assert_eq(sigaddset(&host, sig), 0);
			memcpy(&word, &host, sizeof(word));
			cr_assert_eq(s, word, "signal %d", sig);
		}
		cr_assert_eq(s, pm_sigmask(sig));
		cr_assert(pm_sigismember(s, sig));
		cr_assert_not(pm_sigismember(s, sig == 64 ? 1 : sig + 1));
		cr_assert_eq(pm_sigfirst(s), sig);
		pm_sigdelset(&s, sig);
		cr_assert(pm_sigisemptyset(s));
	}
	pm_sigfillset(&s);
	cr_assert_eq(s, ~(pm_sigset_t)0);
	cr_assert_eq(pm_sigfirst(s), 1);
	cr_assert_eq(pm_sigfirst(0), 0, "empty set has no first signal");
	pm_sigemptyset(&s);
	pm_sigaddset(&s, 40);
	pm_sigaddset(&s, 12);
	cr_assert_eq(pm_sigfirst(s), 12, "lowest number first (next_signal)");
	cr_assert(pm_sig_valid(1) && pm_sig_valid(64));
	cr_assert(!pm_sig_valid(0) && !pm_sig_valid(65) && !pm_sig_valid(-9));
}

/* signal(7)'s table, which get_signal() derives from the kernel masks. */
static enum pm_sig_default expected_default(int sig)
{
	switch (sig) {
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return PM_SIG_DFL_CORE;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return PM_SIG_DFL_STOP;
	case SIGCONT:
		return PM_SIG_DFL_CONT;
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return PM_SIG_DFL_IGN;
	default:
		return PM_SIG_DFL_TERM; /* the rest, real-time signals included */
	}
}

PM_TEST(sigset, default_actions_of_all_64_signals)
{
	for (int sig = 1; sig <= 64; sig++)
		cr_assert_eq(pm_sig_default_action(sig), expected_default(sig), "signal %d (%s)",
		             sig, pm_sig_name(sig));
	cr_assert_eq(pm_sig_default_action(0), PM_SIG_DFL_IGN);
	cr_assert_eq(pm_sig_default_action(65), PM_SIG_DFL_IGN);
}

PM_TEST(sigset, kernel_masks_are_linux_s)
{
	pm_sigset_t only = 0, stop = 0, core = 0, ign = 0, sync = 0;

	/* include/linux/signal.h: SIG_KERNEL_ONLY_MASK, _STOP_MASK,
	 * _COREDUMP_MASK, _IGNORE_MASK; kernel/signal.c: SYNCHRONOUS_MASK. */
	pm_sigaddset(&only, SIGKILL);
	pm_sigaddset(&only, SIGSTOP);
	for (int s = SIGSTOP; s <= SIGTTOU; s++)
		pm_sigaddset(&stop, s);
	for (int sig = 1; sig <= 64; sig++)
		if (expected_default(sig) == PM_SIG_DFL_CORE)
			pm_sigaddset(&core, sig);
	pm_sigaddset(&ign, SIGCONT);
	pm_sigaddset(&ign, SIGCHLD);
	pm_sigaddset(&ign, SIGWINCH);
	pm_sigaddset(&ign, SIGURG);
	pm_sigaddset(&sync, SIGSEGV);
	pm_sigaddset(&sync, SIGBUS);
	pm_sigaddset(&sync, SIGILL);
	pm_sigaddset(&sync, SIGTRAP);
	pm_sigaddset(&sync, SIGFPE);
	pm_sigaddset(&sync, SIGSYS);
	cr_assert_eq(PM_SIG_KERNEL_ONLY_MASK, only);
	cr_assert_eq(PM_SIG_KERNEL_STOP_MASK, stop);
	cr_assert_eq(PM_SIG_KERNEL_COREDUMP_MASK, core);
	cr_assert_eq(PM_SIG_KERNEL_IGNORE_MASK, ign);
	cr_assert_eq(PM_SIG_SYNCHRONOUS_MASK, sync);
	cr_assert_eq(PM_SIG_RT_MASK, ~(pm_sigset_t)0 << 31);
}
