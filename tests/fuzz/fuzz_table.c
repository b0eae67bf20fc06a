/* SPDX-License-Identifier: MIT */
/*
 * The process table and its signals driven by arbitrary bytes: each input
 * is a sequence of operations (fork, threads, clone with any flags, exit,
 * exit_group, wait4, waitid, setpgid, setsid, unshare, prctl, exec, kill,
 * tgkill, rt_sigqueueinfo with any siginfo bytes, sigaction,
 * sigprocmask, sigtimedwait, sigaltstack, set*uid and RLIMIT_NPROC
 * changes, user namespaces) on the live threads of one
 * table, with the kernel's part run after each (every thread takes its
 * signals: handlers run and return, default actions stop or kill).
 * pm_table_check() must hold after every step, and nothing may leak
 * (LeakSanitizer) or fault (ASan, UBSan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmgr/host.h"
#include "procmgr/table.h"
#include "procmgr/signal_deliver.h"
#include "table/table_internal.h"

#define MAX_ACTORS 48

struct fz {
	const uint8_t *data;
	size_t size, pos;
	struct pm_table t;
	struct pm_thread *th[MAX_ACTORS];
	struct pm_process *init;
	int n;
	void *to_free[4 * MAX_ACTORS + 64];
	size_t nfree;
};

static struct fz *cur;

static uint8_t byte(struct fz *f)
{
	return f->pos < f->size ? f->data[f->pos++] : 0;
}

static uint32_t word(struct fz *f)
{
	uint32_t w = 0;

	for (int i = 0; i < 4; i++)
		w = (w << 8) | byte(f);
	return w;
}

static void on_event(void *ctx, const struct pm_event *ev)
{
	(void)ctx;
	if (ev->type != PM_EVENT_RELEASE || !cur)
		return;
	if (ev->thread)
		for (int i = 0; i < cur->n; i++)
			if (cur->th[i] == ev->thread)
				cur->th[i] = NULL;
	if (cur->nfree == sizeof(cur->to_free) / sizeof(cur->to_free[0]))
		abort();
	cur->to_free[cur->nfree++] = ev->thread ? (void *)ev->thread : (void *)ev->process;
}

static void flush(struct fz *f)
{
	for (size_t i = 0; i < f->nfree; i++)
		free(f->to_free[i]);
	f->nfree = 0;
}

static void check(struct fz *f)
{
	const char *why;

	if (pm_table_check(&f->t, &why) != 0)
		abort();
}

/* A live thread chosen by the input, or NULL. */
static struct pm_thread *pick(struct fz *f)
{
	int i = f->n ? byte(f) % f->n : 0;

	for (int k = 0; k < f->n; k++) {
		struct pm_thread *t = f->th[(i + k) % f->n];

		if (t && !pm_thread_exited(t))
			return t;
	}
	return NULL;
}

/* A pid number as `t` would name it: some actor's, or noise. */
static pm_pid_t some_pid(struct fz *f, struct pm_thread *t)
{
	uint8_t b = byte(f);
	struct pm_thread *o = f->th[b % f->n];

	if (b & 0x80 || !o)
		return (pm_pid_t)(int8_t)byte(f);
	return pm_pid_nr_ns(pm_thread_pid(o), pm_thread_pidns(t));
}

static bool is_init_process(struct fz *f, struct pm_thread *t)
{
	return pm_thread_process(t) == f->init;
}

/*
 * A signal can kill the global init the way it does on Linux: a fatal
 * signal blocked by the init thread it names is queued and then taken by
 * another init thread with the default action (current Linux's
 * complete_signal does not check SIGNAL_UNKILLABLE), and do_exit then
 * panics. So that inputs explore everything else, init catches every
 * catchable signal, again after each exec, and the fuzzer never changes
 * its dispositions.
 */
static void guard_init(struct pm_thread *init)
{
	struct pm_sigaction act = {0};

	act.sa_handler = 0x1000;
	for (int sig = 1; sig <= 64; sig++)
		if (sig != PM_SIGKILL && sig != PM_SIGSTOP && pm_sigaction(init, sig, &act, NULL))
			abort();
}

static void add(struct fz *f, struct pm_thread *t)
{
	for (int i = 0; i < f->n; i++)
		if (!f->th[i]) {
			f->th[i] = t;
			return;
		}
	f->th[f->n++] = t;
}

static void do_clone(struct fz *f, struct pm_thread *t, uint64_t word_flags, bool legacy)
{
	struct pm_clone_args a = {word_flags, 17, false, false};
	struct pm_process *p;
	struct pm_thread *nt;

	if (f->n == MAX_ACTORS && f->th[MAX_ACTORS - 1])
		return;
	if (legacy)
		pm_clone_args_legacy(word_flags, &a);
	p = calloc(1, sizeof(*p));
	nt = calloc(1, sizeof(*nt));
	if (!p || !nt)
		abort();
	if (pm_clone(t, &a, p, nt, NULL) != 0) {
		free(p);
		free(nt);
		return;
	}
	if (a.flags & PM_CLONE_THREAD)
		free(p);
	add(f, nt);
}

/* Every live thread returns to user mode: handlers run and return at
 * once, default actions are taken; until nothing moves. */
static bool take_signals(struct fz *f, struct pm_thread *t)
{
	bool any = false;

	for (int k = 0; k < 64 && !pm_thread_exited(t); k++) {
		struct pm_sig_delivery d;
		bool was = pm_sig_thread_stopped(t);
		int r = pm_signal_next(t, 0, &d);

		if (r == PM_SIGACT_HANDLER) {
			pm_sig_delivered(t, &d);
			pm_sig_set_blocked(t, d.saved_mask);
			any = true;
		} else if (r == PM_SIGACT_EXIT || r == PM_SIGACT_COREDUMP) {
			pm_exit_signaled(t, d.signo, byte(f) & 1);
			return true;
		} else {
			return any || (r == PM_SIGACT_STOP && !was);
		}
	}
	return any;
}

static void settle(struct fz *f)
{
	for (int round = 0; round < 200; round++) {
		bool any = false;

		for (int i = 0; i < f->n; i++) {
			struct pm_thread *t = f->th[i];

			if (!t || pm_thread_exited(t))
				continue;
			if (pm_thread_exit_pending(t)) {
				pm_exit_group(t, 0);
				any = true;
			} else if (take_signals(f, t)) {
				any = true;
			}
		}
		if (!any)
			break;
	}
}

static int some_sig(struct fz *f)
{
	return (int)(byte(f) % 70) - 2;
}

static void signal_step(struct fz *f, struct pm_thread *t, uint8_t op)
{
	struct pm_siginfo info;
	struct pm_sigaction act;
	pm_sigset_t set;
	struct pm_stack ss;

	switch (op % 8) {
	case 0:
		(void)pm_kill(t, some_pid(f, t), some_sig(f));
		break;
	case 1:
		(void)pm_tgkill(t, some_pid(f, t), some_pid(f, t), some_sig(f));
		break;
	case 2:
		for (size_t i = 0; i < sizeof(info); i++)
			((uint8_t *)&info)[i] = (i < 16 || (byte(f) & 1)) ? byte(f) : 0;
		if (byte(f) & 1)
			(void)pm_rt_sigqueueinfo(t, some_pid(f, t), some_sig(f), &info);
		else
			(void)pm_rt_tgsigqueueinfo(t, some_pid(f, t), some_pid(f, t), some_sig(f),
			                           &info);
		break;
	case 3:
		act.sa_handler = byte(f) % 3;
		act.sa_flags = (uint64_t)word(f) << 32 | word(f);
		act.sa_restorer = 0;
		act.sa_mask = (uint64_t)word(f) << 32 | word(f);
		/* init's dispositions stay as guard_init() set them */
		(void)pm_sigaction(t, some_sig(f),
		                   (byte(f) & 1) && !is_init_process(f, t) ? &act : NULL, &act);
		break;
	case 4:
		set = (uint64_t)word(f) << 32 | word(f);
		(void)pm_sigprocmask(t, byte(f) % 4, (byte(f) & 1) ? &set : NULL, &set);
		break;
	case 5:
		set = (uint64_t)word(f) << 32 | word(f);
		if (pm_sigtimedwait(t, set, byte(f) & 1, &info) == -PM_EAGAIN && (byte(f) & 1))
			(void)pm_sigtimedwait_finish(t, set, byte(f) & 1, &info);
		break;
	case 6:
		ss.ss_sp = word(f);
		ss.ss_flags = (int32_t)word(f);
		ss.pad_ = 0;
		ss.ss_size = word(f);
		(void)pm_sigaltstack(t, &ss, &ss, word(f), 0);
		break;
	default:
		if (!is_init_process(f, t)) {
			info.si_signo = PM_SIGSEGV;
			info.si_code = 1;
			(void)pm_sig_force(t, &info, byte(f) % 3);
		} else {
			(void)pm_sig_send(t, some_sig(f), NULL, byte(f) & 1);
		}
		break;
	}
}

/* prctl, or a credential change the table must account for (RLIMIT_NPROC
 * charges follow the real uid; commits have side effects). */
static void prctl_or_cred(struct pm_thread *t, int what, uint8_t a, uint8_t b)
{
	struct pm_rlimits *rl = pm_process_rlimits(pm_thread_process(t));
	struct pm_rlimit l = {a % 8, a % 8 + b % 2};
	pm_uid_t uid = 1000 + a % 4;

	switch (what) {
	case 0:
		pm_set_pdeathsig(t, a % 70);
		break;
	case 1:
		pm_set_child_subreaper(t, a & 1);
		break;
	case 2:
		if (pm_cred_setresuid(pm_thread_cred(t), rl, uid, uid, uid) == 0)
			pm_thread_cred_changed(t);
		break;
	default:
		pm_prlimit(t, 0, PM_RLIMIT_NPROC, &l, NULL);
		break;
	}
}

static void step(struct fz *f, struct pm_thread *t, uint8_t op)
{
	struct pm_wait_result r;
	pm_pid_t v;
	uint32_t left;

	switch (op % 24) {
	case 0:
		do_clone(f, t, 0, false);
		break;
	case 1:
		do_clone(f, t, PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD, false);
		break;
	case 2:
		do_clone(f, t, word(f), byte(f) & 1);
		break;
	case 3:
		if (!is_init_process(f, t))
			pm_thread_exit(t, byte(f));
		break;
	case 4:
		if (!is_init_process(f, t))
			pm_exit_group(t, byte(f));
		break;
	case 5:
		pm_wait4(t, some_pid(f, t), (int)(word(f) & 0xe100000f), &r);
		break;
	case 6:
		pm_waitid(t, byte(f) % 4, some_pid(f, t), (int)(word(f) & 0xf100000f), &r);
		break;
	case 7:
		pm_setpgid(t, some_pid(f, t), some_pid(f, t));
		break;
	case 8:
		pm_setsid(t, &v);
		break;
	case 9:
		pm_getpgid(t, some_pid(f, t), &v);
		pm_getsid(t, some_pid(f, t), &v);
		(void)pm_getppid(t);
		break;
	case 10:
		pm_unshare(t, (uint64_t)word(f), byte(f) == 0xff);
		break;
	case 11:
		prctl_or_cred(t, byte(f) % 4, byte(f), byte(f));
		break;
	case 12:
		if (pm_sig_exec_prepare(t) == 0 && pm_exec_dethread(t, &left) == 0) {
			settle(f);
			if (!pm_thread_exited(t) && pm_exec_dethread_commit(t, byte(f) & 1) == 0 &&
			    pm_sig_exec(t) == 0 && is_init_process(f, t))
				guard_init(t);
		}
		break;
	default:
		signal_step(f, t, (uint8_t)(op / 24 + byte(f)));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t pid_maxes[] = {301, 400, 5000, 32768};
	struct fz *f = calloc(1, sizeof(*f));
	struct pm_table_config cfg = {0};
	struct pm_process *p;
	struct pm_thread *t;

	if (!f)
		abort();
	f->data = data;
	f->size = size;
	cur = f;
	pm_host_notify_hook(on_event, NULL);
	cfg.pid_max = pid_maxes[byte(f) % 4];
	cfg.max_threads = byte(f) % 64;
	if (pm_table_init(&f->t, &cfg) != 0)
		abort();
	p = calloc(1, sizeof(*p));
	t = calloc(1, sizeof(*t));
	if (!p || !t || pm_table_spawn_init(&f->t, p, t) != 0)
		abort();
	f->th[0] = t;
	f->init = p;
	f->n = 1;
	guard_init(t);
	while (f->pos < f->size) {
		uint8_t op = byte(f);
		struct pm_thread *who = pick(f);

		if (!who)
			break;
		step(f, who, op);
		settle(f);
		check(f);
		flush(f);
	}
	pm_table_destroy(&f->t);
	flush(f);
	pm_host_notify_hook(NULL, NULL);
	cur = NULL;
	free(f);
	return 0;
}
