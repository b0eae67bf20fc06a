/* SPDX-License-Identifier: MIT */
/* Helpers for the signal suites (sig_fixture.h). */
#include "sig_fixture.h"

#include <string.h>

#include "procmgr/cred.h"
#include "signal/signal_internal.h"

static uint64_t queue_hash(const struct pm_sigpending *q)
{
	uint64_t h = 1469598103934665603ull;

	for (int sig = 1; sig <= PM_NSIG; sig++) {
		const struct pm_sigqueue *tail = q->tail[sig - 1];

		if (!tail)
			continue;
		for (const struct pm_sigqueue *r = tail->next;; r = r->next) {
			for (size_t i = 0; i < sizeof(r->info); i++)
				h = (h ^ r->info[i]) * 1099511628211ull;
			h = (h ^ (uint64_t)sig) * 1099511628211ull;
			if (r == tail)
				break;
		}
	}
	return h;
}

void snap_take(struct pm_process *p, struct sig_snap *s)
{
	struct pm_list *pos;
	unsigned int n = 0;

	memset(s, 0, sizeof(*s));
	pm_hal_lock_acquire(&p->sig.sighand->lock);
	memcpy(s->action, p->sig.sighand->action, sizeof(s->action));
	s->shared = p->sig.shared_pending.signal;
	s->shared_hash = queue_hash(&p->sig.shared_pending);
	pm_list_for_each (pos, &p->sig.threads) {
		struct pm_thread *t = sig_thread_of(pos);

		cr_assert_lt(n, SNAP_THREADS);
		s->th[n].blocked = t->sig.blocked;
		s->th[n].real_blocked = t->sig.real_blocked;
		s->th[n].saved = t->sig.saved_sigmask;
		s->th[n].pending = t->sig.pending.signal;
		s->th[n].hash = queue_hash(&t->sig.pending);
		s->th[n].jobctl = t->sig.jobctl;
		s->th[n].sigpending = t->sig.sigpending;
		s->th[n].restore = t->sig.restore_sigmask;
		s->th[n].altstack = t->sig.altstack;
		n++;
	}
	s->nthreads = n;
	pm_hal_lock_release(&p->sig.sighand->lock);
	s->pool_allocated = p->table->sigpool.allocated;
}

void snap_assert(struct pm_process *p, const struct sig_snap *s, const char *what)
{
	struct sig_snap now;

	snap_take(p, &now);
	cr_assert_eq(memcmp(now.action, s->action, sizeof(now.action)), 0,
	             "%s changed a disposition", what);
	cr_assert_eq(now.shared, s->shared, "%s changed the shared queue", what);
	cr_assert_eq(now.shared_hash, s->shared_hash, "%s changed shared siginfo", what);
	cr_assert_eq(now.nthreads, s->nthreads);
	for (unsigned int i = 0; i < now.nthreads; i++) {
		cr_assert_eq(now.th[i].blocked, s->th[i].blocked, "%s changed a mask", what);
		cr_assert_eq(now.th[i].real_blocked, s->th[i].real_blocked, "%s", what);
		cr_assert_eq(now.th[i].saved, s->th[i].saved, "%s", what);
		cr_assert_eq(now.th[i].pending, s->th[i].pending, "%s changed a thread queue",
		             what);
		cr_assert_eq(now.th[i].hash, s->th[i].hash, "%s changed thread siginfo", what);
		cr_assert_eq(now.th[i].jobctl, s->th[i].jobctl, "%s", what);
		cr_assert_eq(now.th[i].sigpending, s->th[i].sigpending, "%s", what);
		cr_assert_eq(now.th[i].restore, s->th[i].restore, "%s", what);
		cr_assert_eq(
		    memcmp(&now.th[i].altstack, &s->th[i].altstack, sizeof(struct pm_stack)), 0,
		    "%s changed the altstack", what);
	}
}

void sig_handle(struct pm_thread *t, int sig, pm_uaddr_t handler, uint64_t flags, pm_sigset_t mask)
{
	struct pm_sigaction a = {handler, flags, 0, mask};

	cr_assert_eq(pm_sigaction(t, sig, &a, NULL), 0, "sigaction(%d)", sig);
}

unsigned int sig_records(const struct pm_sigpending *q, int sig)
{
	const struct pm_sigqueue *tail = q->tail[sig - 1];
	unsigned int n = 0;

	if (!tail)
		return 0;
	for (const struct pm_sigqueue *r = tail->next;; r = r->next) {
		n++;
		if (r == tail)
			break;
	}
	return n;
}

int sig_next(struct pm_thread *t, struct pm_sig_delivery *d)
{
	int r = pm_signal_next(t, 0, d);

	cr_assert_geq(r, 0, "pm_signal_next: %d", r);
	return r;
}

void sig_drain(struct pm_thread *t)
{
	struct pm_sig_delivery d;

	for (int i = 0; i < 200; i++)
		if (sig_next(t, &d) != PM_SIGACT_HANDLER)
			return;
	cr_assert_fail("pm_signal_next never ran out of handlers");
}

unsigned int sig_wakeups(const struct pm_thread *t)
{
	unsigned int n = 0;
	struct pm_event ev;

	for (size_t i = 0; pm_host_event_get(i, &ev); i++)
		if (ev.type == PM_EVENT_SIGNAL_PENDING && ev.thread == t)
			n++;
	return n;
}

void sig_setuid(struct pm_thread *t, pm_uid_t id)
{
	struct pm_rlimits *rl = pm_process_rlimits(pm_thread_process(t));

	cr_assert_eq(pm_cred_setresgid(pm_thread_cred(t), id, id, id), 0);
	cr_assert_eq(pm_cred_setresuid(pm_thread_cred(t), rl, id, id, id), 0);
	pm_thread_cred_changed(t);
}

struct pm_sigqueue *pool_steal(struct pm_table *t)
{
	struct pm_sigqueue *list = NULL, *q;

	while ((q = pool_take_(&t->sigpool)) != NULL) {
		q->next = list;
		list = q;
	}
	return list;
}

void pool_return(struct pm_table *t, struct pm_sigqueue *list)
{
	while (list) {
		struct pm_sigqueue *q = list;

		list = q->next;
		pool_give_(&t->sigpool, q);
	}
}

void sig_set_rlimit_sigpending(struct pm_thread *t, uint64_t n)
{
	struct pm_rlimit r = {n, n};
	const struct pm_cred *c = pm_cred_slot_get(pm_thread_cred(t));

	cr_assert_eq(pm_rlimit_set(pm_process_rlimits(pm_thread_process(t)), c,
	                           PM_RLIMIT_SIGPENDING, &r, NULL),
	             0);
	pm_cred_put(c);
}
