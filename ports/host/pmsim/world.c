/* SPDX-License-Identifier: MIT */
/*
 * pmsim's world: one procmgr table, its actors (every process or thread a
 * script names or creates), how ids are printed, and the kernel's part
 * after each line (dying threads exit, default actions are taken, blocked
 * calls are retried, released objects are freed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"
#include "procmgr/host.h"
#include "procmgr/signal_deliver.h"

struct pm_table pmsim_table;
struct pmsim_actor *pmsim_actors;
int pmsim_nactors;

static int cap_actors;
/* Wrapped so that the array's element is a struct, not a bare pointer. */
struct seen {
	struct pm_pidns *ns;
};

static struct seen *seen_ns;
static int nseen, capseen;
static void **to_free;
static size_t nfree, capfree;
/* Threads procmgr woke (PM_EVENT_SIGNAL_PENDING, PM_EVENT_THREAD_RESUME),
 * in order: they take their signals first, as on Linux, where the woken
 * thread runs at once and the others only at their next return to user
 * mode. */
struct woke {
	struct pm_thread *t;
};

static struct woke *woken;
static size_t nwoken, capwoken;

static void *xrealloc(void *p, size_t n)
{
	void *r = realloc(p, n);

	if (!r)
		pmsim_die(0, "out of memory");
	return r;
}

static void queue_free(void *p)
{
	if (nfree == capfree) {
		capfree = capfree ? 2 * capfree : 64;
		to_free = xrealloc(to_free, capfree * sizeof(*to_free));
	}
	to_free[nfree++] = p;
}

static void flush_frees(void)
{
	for (size_t i = 0; i < nfree; i++)
		free(to_free[i]);
	nfree = 0;
}

static void note_woken(struct pm_thread *t)
{
	if (nwoken == capwoken) {
		capwoken = capwoken ? 2 * capwoken : 64;
		woken = xrealloc(woken, capwoken * sizeof(struct pm_thread *));
	}
	woken[nwoken++].t = t;
}

/* procmgr holds no more references: the memory may go (after the line). */
static void on_event(void *ctx, const struct pm_event *ev)
{
	(void)ctx;
	if ((ev->type == PM_EVENT_SIGNAL_PENDING || ev->type == PM_EVENT_THREAD_RESUME) &&
	    ev->thread) {
		note_woken(ev->thread);
		return;
	}
	if (ev->type != PM_EVENT_RELEASE)
		return;
	for (int i = 0; i < pmsim_nactors; i++) {
		struct pmsim_actor *a = &pmsim_actors[i];

		if (ev->thread && a->th == ev->thread) {
			a->th = NULL;
			a->nframes = 0;
		}
		if (!ev->thread && a->proc == ev->process)
			a->proc = NULL;
	}
	queue_free(ev->thread ? (void *)ev->thread : (void *)ev->process);
}

int pmsim_new_actor(const char *name)
{
	struct pmsim_actor *a;

	if (pmsim_nactors == cap_actors) {
		cap_actors = cap_actors ? 2 * cap_actors : 64;
		pmsim_actors = xrealloc(pmsim_actors, (size_t)cap_actors * sizeof(*pmsim_actors));
	}
	a = &pmsim_actors[pmsim_nactors];
	memset(a, 0, sizeof(*a));
	if (name)
		(void)snprintf(a->name, sizeof(a->name), "%s", name);
	a->vfork_child = -1;
	a->tg = pmsim_nactors;
	return pmsim_nactors++;
}

/* Namespaces are compared by address: keep each alive until the end. */
static void remember_ns(struct pm_pidns *ns)
{
	for (int i = 0; i < nseen; i++)
		if (seen_ns[i].ns == ns)
			return;
	if (nseen == capseen) {
		capseen = capseen ? 2 * capseen : 16;
		seen_ns = xrealloc(seen_ns, (size_t)capseen * sizeof(*seen_ns));
	}
	pm_pidns_get(ns);
	seen_ns[nseen++].ns = ns;
}

void pmsim_snapshot(int i)
{
	struct pmsim_actor *a = &pmsim_actors[i];
	struct pm_pid *pid = pm_thread_pid(a->th);
	struct pm_pidns *ns = pm_thread_pidns(a->th);

	a->depth = pm_pidns_level(ns);
	for (; ns; ns = pm_pidns_parent(ns)) {
		uint32_t l = pm_pidns_level(ns);

		remember_ns(ns);
		a->ns[l] = ns;
		a->nr[l] = pm_pid_nr_ns(pid, ns);
	}
}

void pmsim_world_init(void)
{
	struct pm_process *p = calloc(1, sizeof(*p));
	struct pm_thread *t = calloc(1, sizeof(*t));
	int i;

	if (!p || !t)
		pmsim_die(0, "out of memory");
	pm_host_notify_hook(on_event, NULL);
	if (pm_table_init(&pmsim_table, NULL) || pm_table_spawn_init(&pmsim_table, p, t))
		pmsim_die(0, "cannot create the table");
	i = pmsim_new_actor("init");
	pmsim_actors[i].th = t;
	pmsim_actors[i].proc = p;
	pmsim_snapshot(i);
}

void pmsim_world_fini(void)
{
	for (int i = 0; i < nseen; i++)
		pm_pidns_put(seen_ns[i].ns);
	pm_table_destroy(&pmsim_table);
	flush_frees();
	pm_host_notify_hook(NULL, NULL);
	for (int i = 0; i < pmsim_nactors; i++) {
		free(pmsim_actors[i].blocked);
		free(pmsim_actors[i].frames);
		for (int k = 0; k < pmsim_actors[i].nlog; k++)
			free(pmsim_actors[i].log[k]);
		free(pmsim_actors[i].log);
	}
	free(pmsim_actors);
	free(seen_ns);
	free(to_free);
	free(woken);
}

bool pmsim_alive(int i)
{
	struct pmsim_actor *a = &pmsim_actors[i];

	return a->th && !pm_thread_exited(a->th);
}

bool pmsim_stopped(int i)
{
	struct pm_thread *t = pmsim_actors[i].th;

	return pmsim_alive(i) && (pm_sig_thread_stopped(t) ||
	                          pm_process_state(pm_thread_process(t)) == PM_PROC_STOPPED);
}

/* ---- names ---------------------------------------------------------------- */

int pmsim_find_named(const char *name)
{
	for (int i = pmsim_nactors - 1; i >= 0; i--)
		if (pmsim_actors[i].name[0] && strcmp(pmsim_actors[i].name, name) == 0)
			return i;
	return -1;
}

/* ACTOR of a line: a name, or a pid in the root namespace. */
int pmsim_find_actor(const char *tok)
{
	char *e;
	long n = strtol(tok, &e, 10);
	int best = -1;

	if (!*tok || *e)
		return pmsim_find_named(tok);
	for (int i = pmsim_nactors - 1; i >= 0; i--) {
		if (pmsim_actors[i].nr[0] != n)
			continue;
		if (pmsim_alive(i))
			return i;
		if (best < 0)
			best = i;
	}
	return best;
}

long pmsim_pid_in_view(int y, int x)
{
	const struct pmsim_actor *Y = &pmsim_actors[y], *X = &pmsim_actors[x];
	uint32_t d = X->depth;

	if (Y->depth < d || Y->ns[d] != X->ns[d])
		return -1;
	return Y->nr[d];
}

/*
 * A process-level id names the actor that created the process (even a
 * dead one, or after another thread took its id by exec); a thread-level
 * id names the live thread holding it. Live actors win over dead ones.
 */
const char *pmsim_pidname(long n, int x, bool threadlevel, char *buf)
{
	int best = -1;

	for (int i = pmsim_nactors - 1; n > 0 && i >= 0; i--) {
		if (pmsim_pid_in_view(i, x) != n)
			continue;
		if (pmsim_alive(i)) {
			best = i;
			break;
		}
		if (best < 0)
			best = i;
	}
	if (best >= 0 && !threadlevel && pmsim_actors[best].is_thread) {
		for (int i = pmsim_nactors - 1; i >= 0; i--)
			if (!pmsim_actors[i].is_thread &&
			    pmsim_actors[i].tg == pmsim_actors[best].tg &&
			    pmsim_pid_in_view(i, x) == n) {
				best = i;
				break;
			}
	}
	if (best >= 0 && pmsim_actors[best].name[0])
		return pmsim_actors[best].name;
	(void)snprintf(buf, 32, "%ld", n);
	return buf;
}

/* ---- logs (indented lines under the line that caused them) -------------------- */

void pmsim_add_log(int i, const char *text)
{
	struct pmsim_actor *a = &pmsim_actors[i];

	if (a->nlog == a->caplog) {
		a->caplog = a->caplog ? 2 * a->caplog : 8;
		a->log = xrealloc(a->log, (size_t)a->caplog * sizeof(*a->log));
	}
	a->log[a->nlog] = strdup(text);
	if (!a->log[a->nlog])
		pmsim_die(0, "out of memory");
	a->nlog++;
}

void pmsim_print_logs(void)
{
	for (int i = 0; i < pmsim_nactors; i++) {
		struct pmsim_actor *a = &pmsim_actors[i];
		for (int k = 0; k < a->nlog; k++) {
			if (a->name[0])
				(void)printf("  %s: %s\n", a->name, a->log[k]);
			else
				(void)printf("  %d: %s\n", (int)a->nr[0], a->log[k]);
			free(a->log[k]);
		}
		a->nlog = 0;
	}
}

/* ---- settling ------------------------------------------------------------------ */

static bool exit_dying(void)
{
	bool any = false;

	for (int i = 0; i < pmsim_nactors; i++) {
		struct pm_thread *t = pmsim_actors[i].th;

		if (t && pm_thread_exit_pending(t)) {
			pm_exit_group(t, 0);
			any = true;
		}
	}
	return any;
}

/* ---- signal delivery (PMSIM.md "Signal delivery") ---------------------------------- */

static int actor_of(const struct pm_thread *t)
{
	for (int i = 0; i < pmsim_nactors; i++)
		if (pmsim_actors[i].th == t)
			return i;
	return -1;
}

static void push_frame(struct pmsim_actor *a, const struct pm_sig_delivery *d)
{
	struct pmsim_frame *f;

	if (a->nframes == a->capframes) {
		a->capframes = a->capframes ? 2 * a->capframes : 8;
		a->frames = xrealloc(a->frames, (size_t)a->capframes * sizeof(*a->frames));
	}
	f = &a->frames[a->nframes++];
	f->sig = d->signo;
	f->code = d->info.si_code;
	f->value = d->info.u.rt.value.sival_int;
	f->saved = d->saved_mask;
}

/* The handler on top of the stack runs and returns (rt_sigreturn). */
static void run_frame(int i)
{
	struct pmsim_actor *a = &pmsim_actors[i];
	struct pmsim_frame f = a->frames[--a->nframes];
	char sb[32], line[96];

	if (f.code == -1 /* SI_QUEUE */)
		(void)snprintf(line, sizeof(line), "handler(%s, value=%d)",
		               pmsim_signame(f.sig, sb), f.value);
	else
		(void)snprintf(line, sizeof(line), "handler(%s)", pmsim_signame(f.sig, sb));
	pmsim_add_log(i, line);
	pm_sig_set_blocked(a->th, f.saved);
}

/*
 * fs/coredump.c:vfs_coredump with core_pattern "core" (a file in the
 * working directory, as where the scenarios are recorded): the file is
 * written when RLIMIT_CORE is at least the ELF minimum of one page and the
 * process is dumpable by its user (SUID_DUMP_ROOT needs an absolute
 * pattern). The status then carries the core flag.
 */
static bool core_written(struct pm_thread *t)
{
	struct pm_process *p = pm_thread_process(t);

	return pm_get_dumpable(t) == PM_SUID_DUMP_USER &&
	       pm_rlimit_cur(pm_process_rlimits(p), PM_RLIMIT_CORE) >= PM_PAGE_SIZE;
}

/*
 * What a Linux thread does on its way back to user mode: a frame for every
 * deliverable signal, each on top of the last, then the top handler runs
 * and returns, and what its return unblocked is delivered again. Returns
 * true if anything happened; *died_or_stopped is set when the thread
 * died or stopped.
 */
static bool deliver_thread(int i, bool *died_or_stopped)
{
	struct pmsim_actor *a = &pmsim_actors[i];
	bool any = false;

	for (;;) {
		struct pm_sig_delivery d;
		bool was_stopped = pm_sig_thread_stopped(a->th);
		int r = pm_signal_next(a->th, 0, &d);

		if (r == PM_SIGACT_HANDLER) {
			pm_sig_delivered(a->th, &d);
			push_frame(a, &d);
			any = true;
			continue;
		}
		if (r == PM_SIGACT_EXIT || r == PM_SIGACT_COREDUMP) {
			bool core = r == PM_SIGACT_COREDUMP && core_written(a->th);

			a->nframes = 0;
			pm_exit_signaled(a->th, d.signo, core);
			*died_or_stopped = true;
			return true;
		}
		if (r == PM_SIGACT_STOP) {
			if (!was_stopped) {
				*died_or_stopped = true;
				any = true;
			}
			return any;
		}
		if (r != PM_SIGACT_NONE || a->nframes == 0)
			return any;
		run_frame(i);
		any = true;
	}
}

static bool can_take_signals(int i)
{
	return pmsim_alive(i) && pmsim_actors[i].vfork_child < 0;
}

/* Woken threads first, in the order procmgr woke them, then the rest in
 * creation order. */
static bool deliver_signals(int caller, bool *caller_hit)
{
	bool any = false;
	size_t n = nwoken;

	for (size_t k = 0; k < n && k < nwoken; k++) {
		int i = actor_of(woken[k].t);
		bool hit = false;

		if (i >= 0 && can_take_signals(i) && deliver_thread(i, &hit))
			any = true;
		if (hit && i == caller)
			*caller_hit = true;
	}
	if (n) {
		memmove(woken, woken + n, (nwoken - n) * sizeof(*woken));
		nwoken -= n;
	}
	for (int i = 0; i < pmsim_nactors; i++) {
		bool hit = false;

		if (can_take_signals(i) && deliver_thread(i, &hit))
			any = true;
		if (hit && i == caller)
			*caller_hit = true;
	}
	return any;
}

static bool release_vfork_parents(void)
{
	bool any = false;

	for (int i = 0; i < pmsim_nactors; i++) {
		struct pmsim_actor *a = &pmsim_actors[i];
		int c = a->vfork_child;

		if (c < 0)
			continue;
		if (!pmsim_alive(c) || !pm_thread_vfork_parent(pmsim_actors[c].th)) {
			a->vfork_child = -1;
			any = true;
		}
	}
	return any;
}

static bool retry_blocked(void)
{
	bool any = false;

	for (int i = 0; i < pmsim_nactors; i++) {
		struct pmsim_actor *a = &pmsim_actors[i];
		struct pmsim_result r;
		char res[2048], line[4096];

		if (!a->blocked)
			continue;
		if (!pmsim_alive(i)) {
			free(a->blocked);
			a->blocked = NULL;
			continue;
		}
		if (pmsim_stopped(i))
			continue;
		memset(&r, 0, sizeof(r));
		r.child = -1;
		a->blocked->call->run(i, &a->blocked->line, &r);
		if (r.kind == RES_BLOCKED)
			continue;
		pmsim_format(i, &r, res);
		(void)snprintf(line, sizeof(line), "%s = %s", a->blocked->echo, res);
		pmsim_add_log(i, line);
		free(a->blocked);
		a->blocked = NULL;
		any = true;
	}
	return any;
}

bool pmsim_settle(int caller)
{
	bool caller_hit = false;

	for (int round = 0; round < 1000; round++) {
		bool any = deliver_signals(round == 0 ? caller : -1, &caller_hit);

		any |= exit_dying();
		any |= release_vfork_parents();
		any |= retry_blocked();
		if (!any)
			break;
	}
	flush_frees();
	return caller_hit;
}
