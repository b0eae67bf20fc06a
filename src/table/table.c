/* SPDX-License-Identifier: MIT */
/*
 * The table object: initialisation, teardown, counters, state accounting
 * and the work that waits for a PID namespace to empty.
 */
#include "table/table_internal.h"
#include "table/table_wait.h"
#include "table/table_signal.h"
#include "hal/pm_string.h"

#define NODE_CACHE_DEFAULT 64

int pm_table_init(struct pm_table *t, const struct pm_table_config *cfg)
{
	uint32_t pid_max = PM_PID_MAX_DEFAULT, cache = NODE_CACHE_DEFAULT;

	if (!t)
		return -PM_EINVAL;
	if (cfg && cfg->pid_max)
		pid_max = cfg->pid_max;
	if (pid_max < PM_RESERVED_PIDS + 1 || pid_max > PM_PID_MAX_LIMIT)
		return -PM_EINVAL;
	if (cfg && cfg->node_cache_max)
		cache = cfg->node_cache_max;
	if (cfg && cfg->no_node_cache)
		cache = 0;
	pm_memset(t, 0, sizeof(*t));
	pm_hal_lock_init(&t->lock, PM_LOCK_TABLE);
	pidns_init_root_(t, (pm_pid_t)pid_max);
	t->max_threads = cfg ? cfg->max_threads : 0;
	t->nr_namespaces = 1;
	pidmap_cache_init_(&t->cache, cache);
	table_sig_table_init_(t);
	pm_userns_init_root(&t->user_ns, t->max_threads);
	return 0;
}

/* Unlink p and its threads from everything, without exit semantics. */
static void force_detach(struct pm_table *t, struct pm_process *p)
{
	struct pm_list *pos;

	pm_list_for_each (pos, &p->threads) {
		struct pm_thread *th = pm_list_entry(pos, struct pm_thread, group_node);

		th->exit_state = PM_EXIT_DEAD;
		th->flags |= PM_TF_EXITING;
		table_sig_thread_release_(th);
		th->pid->thread = NULL;
		pid_put_(t, th->pid);
		pidns_put_locked_(th->pidns_for_children);
		pm_cred_slot_destroy(&th->cred);
		t->nr_threads--;
	}
	p->exit_state = PM_EXIT_DEAD;
	table_sig_process_release_(p);
	process_detach_pgrp_(p);
	process_detach_session_(p);
	p->tgid->leader_of = NULL;
	pid_put_(t, p->tgid);
	pm_rlimits_destroy(&p->rlim);
	t->nr_processes--;
}

void pm_table_destroy(struct pm_table *t)
{
	struct pm_list dead, *pos, *tmp;
	struct pm_pid *pid;
	pm_pid_t nr = 1;

	tlock(t);
	t->zap_list = NULL;
	pm_list_init(&dead);
	/* Every process has a number in the root namespace. */
	while ((pid = pidmap_next_(&t->root_ns.map, &nr)) != NULL) {
		struct pm_process *p = pid->leader_of;

		if (p && p->exit_state != PM_EXIT_DEAD) {
			pm_list_del(&p->sibling);
			pm_list_add_tail(&p->sibling, &dead);
			p->exit_state = PM_EXIT_DEAD;
		}
		nr++;
	}
	pm_list_for_each (pos, &dead)
		force_detach(t, pm_list_entry(pos, struct pm_process, sibling));
	pm_list_for_each_safe (pos, tmp, &dead) {
		struct pm_process *p = pm_list_entry(pos, struct pm_process, sibling);
		struct pm_list *tp, *tt;

		pm_list_del(&p->sibling);
		pm_list_for_each_safe (tp, tt, &p->threads) {
			pm_list_del(tp);
			table_notify_(PM_EVENT_RELEASE, NULL,
			              pm_list_entry(tp, struct pm_thread, group_node), NULL, 0);
		}
		table_notify_(PM_EVENT_RELEASE, p, NULL, NULL, 0);
	}
	PM_ASSERT(t->root_ns.map.count == 0 && t->nr_threads == 0 && t->nr_processes == 0);
	pidmap_destroy_(t, &t->root_ns.map);
	pidmap_cache_destroy_(&t->cache);
	tunlock(t);
	table_sig_table_destroy_(t);
	pm_hal_lock_destroy(&t->lock);
	pm_userns_destroy_root(&t->user_ns);
}

void pm_table_lock(struct pm_table *t)
{
	tlock(t);
}

void pm_table_unlock(struct pm_table *t)
{
	tunlock(t);
}

void pm_table_stats(struct pm_table *t, struct pm_table_stats *out)
{
	tlock(t);
	pm_memset(out, 0, sizeof(*out));
	out->processes = t->nr_processes;
	out->threads = t->nr_threads;
	for (int i = 0; i < PM_PROC_NSTATES; i++)
		out->by_state[i] = t->nr_state[i];
	out->namespaces = t->nr_namespaces;
	out->root_pids = t->root_ns.pid_allocated & ~PM_PIDNS_ADDING;
	out->processes_created = t->processes_created;
	out->processes_exited = t->processes_exited;
	out->threads_created = t->threads_created;
	out->threads_exited = t->threads_exited;
	out->radix_nodes = t->live_nodes;
	out->cached_nodes = t->cache.count;
	tunlock(t);
}

int pm_table_check(struct pm_table *t, const char **why)
{
	const char *w = "ok";
	int err;

	tlock(t);
	err = table_check_locked_(t, &w);
	tunlock(t);
	if (why)
		*why = w;
	return err;
}

/* ---- events and state counters ----------------------------------------------- */

void table_notify_(enum pm_event_type type, struct pm_process *p, struct pm_thread *th,
                   struct pm_pidns *ns, int64_t arg)
{
	struct pm_event ev;

	ev.type = type;
	ev.process = p;
	ev.thread = th;
	ev.pidns = ns;
	ev.arg = arg;
	pm_hal_notify(&ev);
}

static enum pm_proc_state state_of(const struct pm_process *p)
{
	if (p->exit_state == PM_EXIT_ZOMBIE)
		return PM_PROC_ZOMBIE;
	if ((p->sigflags & PM_SIGNAL_STOP_STOPPED) && !group_exiting_(p))
		return PM_PROC_STOPPED;
	if (p->live > 0 && p->nr_sleeping == p->live)
		return PM_PROC_SLEEPING;
	return PM_PROC_RUNNING;
}

void table_state_update_(struct pm_process *p)
{
	enum pm_proc_state s;

	if (p->exit_state == PM_EXIT_DEAD)
		return;
	s = state_of(p);
	if (s != p->state_class) {
		p->table->nr_state[p->state_class]--;
		p->table->nr_state[s]++;
		p->state_class = (uint8_t)s;
	}
}

void table_state_remove_(struct pm_process *p)
{
	p->table->nr_state[p->state_class]--;
}

void table_run_deferred_(struct pm_table *t)
{
	while (zap_complete_ready_(t))
		;
}

void rusage_add_(struct pm_rusage *to, const struct pm_rusage *from)
{
	to->utime_ns += from->utime_ns;
	to->stime_ns += from->stime_ns;
	to->minflt += from->minflt;
	to->majflt += from->majflt;
	to->nvcsw += from->nvcsw;
	to->nivcsw += from->nivcsw;
	to->inblock += from->inblock;
	to->oublock += from->oublock;
	if (from->maxrss_kb > to->maxrss_kb)
		to->maxrss_kb = from->maxrss_kb;
}

/* ---- kernel reports ------------------------------------------------------------ */

void pm_thread_set_sleeping(struct pm_thread *t, bool sleeping)
{
	struct pm_table *tbl = t->process->table;

	tlock(tbl);
	if (!(t->flags & PM_TF_EXITING) && sleeping != !!(t->flags & PM_TF_SLEEPING)) {
		if (sleeping) {
			t->flags |= PM_TF_SLEEPING;
			t->process->nr_sleeping++;
		} else {
			t->flags &= (uint8_t)~PM_TF_SLEEPING;
			t->process->nr_sleeping--;
		}
		table_state_update_(t->process);
	}
	tunlock(tbl);
}

void pm_thread_add_rusage(struct pm_thread *t, const struct pm_rusage *add)
{
	struct pm_table *tbl = t->process->table;

	tlock(tbl);
	rusage_add_(&t->rusage, add);
	tunlock(tbl);
}

void pm_process_rusage(struct pm_process *p, bool children, struct pm_rusage *out)
{
	struct pm_table *t = p->table;

	tlock(t);
	if (children)
		*out = p->children;
	else
		process_rusage_(p, false, out);
	tunlock(t);
}

enum pm_proc_state pm_process_state(struct pm_process *p)
{
	struct pm_table *t = p->table;
	enum pm_proc_state s;

	tlock(t);
	s = state_of(p);
	tunlock(t);
	return s;
}
