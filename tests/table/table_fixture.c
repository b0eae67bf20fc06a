/* SPDX-License-Identifier: MIT */
/* The process-table test universe (table_fixture.h). */
#include "table_fixture.h"

#include <stdlib.h>

#include "procmgr/host.h"
#include "table/table_internal.h"
#include "table/table_jobctl.h"
#include "procmgr/signal_deliver.h"

#define MAX_PENDING 65536

static void *pending_free[MAX_PENDING];
static size_t npending;
static struct tu *current_u;

static void on_event(void *ctx, const struct pm_event *ev)
{
	(void)ctx;
	if (ev->type != PM_EVENT_RELEASE)
		return;
	cr_assert_lt(npending, MAX_PENDING);
	if (ev->thread) {
		pending_free[npending++] = ev->thread;
		if (current_u)
			current_u->released_threads++;
	} else {
		pending_free[npending++] = ev->process;
		if (current_u)
			current_u->released_processes++;
	}
}

static void flush(void)
{
	for (size_t i = 0; i < npending; i++)
		free(pending_free[i]);
	npending = 0;
}

struct pm_process *tu_new_process(void)
{
	struct pm_process *p = calloc(1, sizeof(*p));

	cr_assert_not_null(p);
	return p;
}

struct pm_thread *tu_new_thread(void)
{
	struct pm_thread *t = calloc(1, sizeof(*t));

	cr_assert_not_null(t);
	return t;
}

void tu_check(struct tu *u)
{
	const char *why = NULL;

	cr_assert_eq(pm_table_check(&u->t, &why), 0, "pm_table_check: %s", why);
}

void tu_setup(struct tu *u, const struct pm_table_config *cfg)
{
	struct pm_process *p = tu_new_process();

	current_u = u;
	u->released_threads = u->released_processes = 0;
	pm_host_notify_hook(on_event, NULL);
	cr_assert_eq(pm_table_init(&u->t, cfg), 0);
	u->init = tu_new_thread();
	cr_assert_eq(pm_table_spawn_init(&u->t, p, u->init), 0);
	tu_check(u);
}

void tu_teardown(struct tu *u)
{
	tu_check(u);
	pm_table_destroy(&u->t);
	flush();
	pm_host_notify_hook(NULL, NULL);
	current_u = NULL;
}

int tu_clone(struct pm_thread *self, uint64_t flags, int exit_signal, struct pm_thread **out)
{
	struct pm_clone_args a = {flags, exit_signal, false, false};
	struct pm_process *p = (flags & PM_CLONE_THREAD) ? NULL : tu_new_process();
	struct pm_thread *t = tu_new_thread();
	int err = pm_clone(self, &a, p, t, NULL);

	if (err) {
		free(p);
		free(t);
		t = NULL;
	}
	if (out)
		*out = t;
	return err;
}

int tu_clone_legacy(struct pm_thread *self, uint64_t word, struct pm_thread **out)
{
	struct pm_clone_args a;
	struct pm_process *p = tu_new_process();
	struct pm_thread *t = tu_new_thread();
	int err;

	pm_clone_args_legacy(word, &a);
	err = pm_clone(self, &a, p, t, NULL);
	if (err || (a.flags & PM_CLONE_THREAD))
		free(p);
	if (err) {
		free(t);
		t = NULL;
	}
	if (out)
		*out = t;
	return err;
}

struct pm_thread *tu_fork(struct pm_thread *self)
{
	struct pm_thread *t = NULL;
	int err = tu_clone(self, 0, SIGCHLD, &t);

	cr_assert_eq(err, 0, "fork failed: %d", err);
	return t;
}

struct pm_thread *tu_thread(struct pm_thread *self)
{
	struct pm_thread *t = NULL;
	int err = tu_clone(self, PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD, 0, &t);

	cr_assert_eq(err, 0, "thread creation failed: %d", err);
	return t;
}

/* Threads that must exit, collected under the lock. */
static size_t collect_dying(struct tu *u, struct pm_thread **out, size_t max)
{
	struct pm_pidns *root = &u->t.root_ns;
	struct pm_process *p;
	pm_pid_t nr = 1;
	size_t n = 0;

	pm_table_lock(&u->t);
	while ((p = pm_pidns_next_process_locked(root, &nr)) != NULL) {
		struct pm_thread *th = NULL;

		while ((th = pm_thread_next_locked(p, th)) != NULL) {
			if (!(th->flags & PM_TF_EXITING) &&
			    (group_exiting_(p) ||
			     (p->group_exec_task && p->group_exec_task != th)) &&
			    n < max)
				out[n++] = th;
		}
		nr++;
	}
	pm_table_unlock(&u->t);
	return n;
}

/* Live threads, collected under the lock (pm_signal_next takes it). */
static size_t collect_live(struct tu *u, struct pm_thread **out, size_t max)
{
	struct pm_process *p;
	pm_pid_t nr = 1;
	size_t n = 0;

	pm_table_lock(&u->t);
	while ((p = pm_pidns_next_process_locked(&u->t.root_ns, &nr)) != NULL) {
		struct pm_thread *th = NULL;

		while ((th = pm_thread_next_locked(p, th)) != NULL)
			if (!(th->flags & PM_TF_EXITING) && n < max)
				out[n++] = th;
		nr++;
	}
	pm_table_unlock(&u->t);
	return n;
}

/* Every thread returns to user mode once: its signals' default actions
 * are taken (the table suites install no handler). */
static bool deliver_all(struct tu *u)
{
	static struct pm_thread *live[4096];
	size_t n = collect_live(u, live, 4096);
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		struct pm_sig_delivery d;
		int r;

		bool was_stopped;

		if (pm_thread_exited(live[i]))
			continue;
		was_stopped = pm_sig_thread_stopped(live[i]);
		r = pm_signal_next(live[i], 0, &d);
		cr_assert_neq(r, PM_SIGACT_HANDLER, "the table suites install no handler");
		if (r == PM_SIGACT_EXIT || r == PM_SIGACT_COREDUMP) {
			cr_assert_eq(pm_exit_signaled(live[i], d.signo, false), 0);
			any = true;
		} else if (r == PM_SIGACT_STOP && !was_stopped) {
			any = true;
		}
	}
	return any;
}

void tu_settle(struct tu *u)
{
	static struct pm_thread *dying[4096];

	for (;;) {
		size_t n = collect_dying(u, dying, 4096);
		bool any = n > 0;

		for (size_t i = 0; i < n; i++) {
			cr_assert_eq(pm_exit_group(dying[i], 0), 0);
			tu_check(u);
		}
		if (deliver_all(u))
			any = true;
		if (!any)
			break;
	}
	tu_check(u);
	flush();
}

pm_pid_t tu_pid(const struct pm_thread *viewer, const struct pm_thread *target)
{
	return pm_pid_nr_ns(pm_process_pid(pm_thread_process(target)), pm_thread_pidns(viewer));
}

pm_pid_t tu_tid(const struct pm_thread *viewer, const struct pm_thread *target)
{
	return pm_pid_nr_ns(pm_thread_pid(target), pm_thread_pidns(viewer));
}

int tu_wait4(struct pm_thread *self, pm_pid_t pid, int options, struct pm_wait_result *res)
{
	return pm_wait4(self, pid, options, res);
}

unsigned int tu_events(enum pm_event_type type)
{
	unsigned int n = 0;
	struct pm_event ev;

	for (size_t i = 0; pm_host_event_get(i, &ev); i++)
		if (ev.type == type)
			n++;
	return n;
}

void tu_stop(struct pm_thread *member, int sig)
{
	struct pm_table *t = member->process->table;

	pm_table_lock(t);
	table_jobctl_stopped_(member->process, sig);
	pm_table_unlock(t);
}

/* A kernel SIGCONT (prepare_signal continues the group at once), then
 * the member runs, which reports the continue to the parent. */
void tu_continue(struct pm_thread *member)
{
	struct pm_sig_delivery d;

	cr_assert_eq(pm_sig_send(member, SIGCONT, NULL, true), 0);
	(void)pm_signal_next(member, 0, &d);
}

void tu_signal(struct pm_thread *target, int sig, bool force)
{
	struct pm_siginfo info = {.si_signo = sig, .si_code = 0 /* SI_USER */};

	/* Forced: the kernel's SEND_SIG_PRIV; else kill()'s SI_USER. */
	cr_assert_eq(pm_sig_send(target, sig, force ? NULL : &info, true), 0);
}
