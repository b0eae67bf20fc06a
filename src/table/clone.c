/* SPDX-License-Identifier: MIT */
/*
 * Process and thread creation: flag validation in Linux's order, then the
 * part of copy_process that links the new task into the table (kernel/
 * fork.c: clone3_args_valid, kernel_clone, copy_process; kernel/cred.c:
 * copy_creds; kernel/nsproxy.c: copy_namespaces; kernel/pid_namespace.c:
 * copy_pid_ns).
 */
#include "table/table_internal.h"
#include "table/table_signal.h"
#include "hal/pm_string.h"

/* Flags clone3 accepts (CLONE_LEGACY_FLAGS | CLEAR_SIGHAND | INTO_CGROUP). */
#define CLONE3_KNOWN (0xffffffffull | PM_CLONE_CLEAR_SIGHAND | PM_CLONE_INTO_CGROUP)
#define CLONE_NEW_ANY                                                                             \
	(PM_CLONE_NEWNS | PM_CLONE_NEWUTS | PM_CLONE_NEWIPC | PM_CLONE_NEWPID | PM_CLONE_NEWNET | \
	 PM_CLONE_NEWCGROUP | PM_CLONE_NEWTIME)

void pm_clone_args_legacy(uint64_t word, struct pm_clone_args *out)
{
	uint64_t low = word & 0xffffffffull;

	out->flags = low & ~PM_CSIGNAL;
	out->exit_signal = (int32_t)(low & PM_CSIGNAL);
	out->legacy = true;
	out->chrooted = false;
}

/* What clone3 rejects before kernel_clone (clone3_args_valid and the
 * exit_signal check of copy_clone_args_from_user), and kernel_clone's
 * legacy pidfd/parent_tid rule. */
static int check_entry(const struct pm_clone_args *a)
{
	uint64_t f = a->flags;

	if (a->legacy) {
		if ((f & PM_CLONE_PIDFD) && (f & PM_CLONE_PARENT_SETTID))
			return -PM_EINVAL;
		return 0;
	}
	if (a->exit_signal < 0 || a->exit_signal > TSIG_NSIG)
		return -PM_EINVAL;
	if (f & ~CLONE3_KNOWN)
		return -PM_EINVAL;
	if (f & (PM_CLONE_DETACHED | (PM_CSIGNAL & ~PM_CLONE_NEWTIME)))
		return -PM_EINVAL;
	if ((f & (PM_CLONE_SIGHAND | PM_CLONE_CLEAR_SIGHAND)) ==
	    (PM_CLONE_SIGHAND | PM_CLONE_CLEAR_SIGHAND))
		return -PM_EINVAL;
	if ((f & (PM_CLONE_THREAD | PM_CLONE_PARENT)) && a->exit_signal)
		return -PM_EINVAL;
	return 0;
}

/* The flag rules at the top of copy_process, in its order. */
static int check_flags(const struct pm_thread *self, uint64_t f)
{
	if ((f & (PM_CLONE_NEWNS | PM_CLONE_FS)) == (PM_CLONE_NEWNS | PM_CLONE_FS))
		return -PM_EINVAL;
	if ((f & (PM_CLONE_NEWUSER | PM_CLONE_FS)) == (PM_CLONE_NEWUSER | PM_CLONE_FS))
		return -PM_EINVAL;
	if ((f & PM_CLONE_THREAD) && !(f & PM_CLONE_SIGHAND))
		return -PM_EINVAL;
	if ((f & PM_CLONE_SIGHAND) && !(f & PM_CLONE_VM))
		return -PM_EINVAL;
	if ((f & PM_CLONE_PARENT) && (self->process->sigflags & PM_SIGNAL_UNKILLABLE))
		return -PM_EINVAL;
	if ((f & PM_CLONE_THREAD) && ((f & (PM_CLONE_NEWUSER | PM_CLONE_NEWPID)) ||
	                              thread_ns_(self) != self->pidns_for_children))
		return -PM_EINVAL;
	if ((f & PM_CLONE_PIDFD) && (f & PM_CLONE_DETACHED))
		return -PM_EINVAL;
	return 0;
}

/* ---- linking a new task ---------------------------------------------------- */

/* th was zeroed and its credential slot set up before the lock. */
static void thread_init(struct pm_thread *th, struct pm_process *p, struct pm_pid *pid,
                        struct pm_pidns *for_children, uint64_t flags)
{
	th->process = p;
	th->pid = pid;
	pid->thread = th;
	pid_get_(pid);
	pm_list_init(&th->children);
	th->pidns_for_children = for_children;
	th->clone_flags = flags;
	pm_list_add_tail(&th->group_node, &p->threads);
	p->nr_threads++;
	p->live++;
}

static void process_init(struct pm_process *p, struct pm_table *t, struct pm_pid *pid)
{
	pm_memset(p, 0, sizeof(*p));
	p->table = t;
	p->tgid = pid;
	pid->leader_of = p;
	pid_get_(pid);
	pm_list_init(&p->threads);
	pm_list_init(&p->sibling);
	pm_list_init(&p->sighand_peers);
	pm_list_init(&p->vm_peers);
	p->flags = PM_PF_FORKNOEXEC;
	p->dumpable = PM_SUID_DUMP_USER;
	p->start_time_ns = pm_hal_time_ns();
}

static void count_new(struct pm_table *t, struct pm_process *p, bool new_process)
{
	t->nr_threads++;
	t->threads_created++;
	if (new_process) {
		t->nr_processes++;
		t->processes_created++;
		p->state_class = PM_PROC_RUNNING;
		t->nr_state[PM_PROC_RUNNING]++;
	}
	table_state_update_(p);
}

/* INIT_RLIMITS (fork_init: RLIMIT_NPROC and RLIMIT_SIGPENDING are
 * max_threads / 2; unlimited when the table has no thread limit). */
static void init_rlimits(struct pm_table *t, struct pm_process *p)
{
	pm_rlimits_init(&p->rlim, t->max_threads);
	if (!t->max_threads) {
		struct pm_rlimit inf = {PM_RLIM_INFINITY, PM_RLIM_INFINITY};

		p->rlim.rlim[PM_RLIMIT_NPROC] = inf;
		p->rlim.rlim[PM_RLIMIT_SIGPENDING] = inf;
	}
}

int pm_table_spawn_init(struct pm_table *t, struct pm_process *proc, struct pm_thread *thread)
{
	struct pidmap_stash s = {NULL, 0};
	struct table_sig_prep sp = {NULL};
	const struct pm_cred *cred;
	struct pm_pid *pid;
	int err;

	if (!t || !proc || !thread)
		return -PM_EINVAL;
	pid = pid_new_(0);
	table_sig_clone_prepare_(0, &sp);
	if (!pid || !table_sig_clone_ready_(&sp, 0)) {
		if (pid)
			pid_discard_(pid);
		table_sig_clone_release_(&sp);
		return -PM_ENOMEM;
	}
	/* init_cred */
	err = pm_cred_init_root(&t->user_ns, &cred);
	if (err) {
		pid_discard_(pid);
		table_sig_clone_release_(&sp);
		return err;
	}
	tlock(t);
	err = pidmap_stash_prepare_locked_(t, &s, pid_nodes_needed_(&t->root_ns));
	if (!err && (t->init || t->nr_processes))
		err = -PM_EINVAL;
	if (!err)
		err = pid_assign_numbers_(&t->root_ns, pid, &s);
	if (err) {
		pidmap_stash_drain_locked_(t, &s);
		tunlock(t);
		pid_discard_(pid);
		table_sig_clone_release_(&sp);
		pm_cred_put(cred);
		return err;
	}
	pm_memset(thread, 0, sizeof(*thread));
	pm_cred_slot_init(&thread->cred, cred);
	process_init(proc, t, pid);
	init_rlimits(t, proc);
	thread_init(thread, proc, pid, &t->root_ns, 0);
	pidns_get_locked_(&t->root_ns);
	proc->leader = thread;
	proc->exit_signal = TSIG_CHLD;
	proc->flags |= PM_PF_SESSION_LEADER;
	process_attach_pgrp_(proc, pid);
	process_attach_session_(proc, pid);
	proc->sigflags |= PM_SIGNAL_UNKILLABLE;
	t->root_ns.child_reaper = thread;
	t->init = thread;
	table_sig_spawn_init_(proc, thread, &sp);
	count_new(t, proc, true);
	pidmap_stash_drain_locked_(t, &s);
	tunlock(t);
	pm_cred_put(cred);
	return 0;
}

/* The new process's parent, exit signal and exec generation (copy_process
 * under tasklist_lock). */
static void link_parent(struct pm_process *np, struct pm_thread *self, uint64_t f, int exit_signal)
{
	struct pm_process *cur = self->process;
	struct pm_process *parent;

	if (f & PM_CLONE_PARENT) {
		np->real_parent = cur->real_parent;
		np->parent_exec_id = cur->parent_exec_id;
		np->exit_signal = cur->exit_signal;
	} else {
		np->real_parent = self;
		np->parent_exec_id = self->self_exec_id;
		np->exit_signal = exit_signal;
	}
	parent = np->real_parent->process;
	if (parent->flags & (PM_PF_HAS_SUBREAPER | PM_PF_IS_SUBREAPER))
		np->flags |= PM_PF_HAS_SUBREAPER;
	pm_list_add_tail(&np->sibling, &np->real_parent->children);
}

struct clone_prep {
	struct pm_pid *pid;
	struct pm_pidns *newns; /* allocated, for PM_CLONE_NEWPID */
	struct pidmap_stash stash;
	struct table_sig_prep sig; /* the new dispositions, unless CLONE_SIGHAND */
	bool nodes_ok;
	int cred_err;              /* what pm_cred_clone() said */
	struct pm_cred_slot *cred; /* the child's slot, set up, until the child is linked */
};

/* After the lock is dropped: what the operation did not use. */
static void prep_release(struct clone_prep *pr)
{
	if (pr->pid)
		pid_discard_(pr->pid);
	if (pr->newns)
		pidns_free_unused_(pr->newns);
	table_sig_clone_release_(&pr->sig);
	if (pr->cred)
		pm_cred_slot_destroy(pr->cred);
}

/* Everything that needs memory, before the lock: the pid, a PID namespace,
 * and the child's credentials (copy_creds, which also charges
 * RLIMIT_NPROC). A failure is reported under the lock where Linux's would
 * be, after the checks that come first. */
static void prepare(struct pm_thread *self, const struct pm_clone_args *a, uint64_t f,
                    struct pm_thread *nthread, struct clone_prep *pr)
{
	struct pm_pidns *target = self->pidns_for_children;
	uint32_t level = target->level;

	if (f & PM_CLONE_NEWPID) {
		pr->newns = pidns_alloc_();
		level++;
	}
	pr->pid = pid_new_(level);
	table_sig_clone_prepare_(f, &pr->sig);
	pm_memset(nthread, 0, sizeof(*nthread));
	/* A released caller has no credentials left (create_locked: ESRCH). */
	pr->cred_err = -PM_ESRCH;
	if (self->cred.cred)
		pr->cred_err = pm_cred_clone(&nthread->cred, &self->cred, f, &self->process->rlim,
		                             a->chrooted);
	if (!pr->cred_err)
		pr->cred = &nthread->cred;
}

/* Radix nodes, with the table lock held (it may be dropped meanwhile). */
static void prepare_nodes_locked(struct pm_thread *self, uint64_t f, struct clone_prep *pr)
{
	struct pm_pidns *target = self->pidns_for_children;
	uint32_t need = pid_nodes_needed_(target);

	if (f & PM_CLONE_NEWPID)
		need += pidmap_height_for_(target->pid_max);
	pr->nodes_ok = pidmap_stash_prepare_locked_(self->process->table, &pr->stash, need) == 0;
}

/* copy_namespaces for the PID namespace: CAP_SYS_ADMIN over the child's
 * user namespace (a new one is the caller's own), SYSVSEM rule, then
 * copy_pid_ns (EINVAL after unshare, ENOSPC past the last level). */
static int namespaces_locked(struct pm_thread *self, uint64_t f, struct clone_prep *pr,
                             struct pm_pidns **ns)
{
	const struct pm_cred *mine = pm_cred_slot_current(&self->cred);
	const struct pm_cred *child = pm_cred_slot_current(pr->cred);
	int err;

	if ((f & CLONE_NEW_ANY) && !pm_cred_ns_capable(mine, child->user_ns, PM_CAP_SYS_ADMIN))
		return -PM_EPERM;
	if ((f & (PM_CLONE_NEWIPC | PM_CLONE_SYSVSEM)) == (PM_CLONE_NEWIPC | PM_CLONE_SYSVSEM))
		return -PM_EINVAL;
	if (!(f & PM_CLONE_NEWPID))
		return 0;
	if (thread_ns_(self) != *ns)
		return -PM_EINVAL;
	if (!pr->newns)
		return -PM_ENOMEM;
	err = pidns_setup_(pr->newns, *ns);
	if (err)
		return err;
	*ns = pr->newns;
	pr->newns = NULL;
	return 0;
}

/* copy_process from the credential check to the point of no return. */
static int create_locked(struct pm_thread *self, uint64_t f, struct clone_prep *pr,
                         struct pm_pidns **nsp)
{
	struct pm_table *t = self->process->table;
	struct pm_pidns *ns = self->pidns_for_children;
	int err;

	if (self->flags & PM_TF_EXITING)
		return -PM_ESRCH;
	err = check_flags(self, f);
	if (err)
		return err;
	/* A signal pending: fork restarts once it is handled (a fatal one
	 * kills the caller first). */
	if (group_exiting_(self->process) ||
	    (self->process->group_exec_task && self->process->group_exec_task != self) ||
	    table_sig_clone_pending_(self))
		return -PM_ERESTARTNOINTR;
	if (pr->cred_err)
		return pr->cred_err;
	if (t->max_threads && t->nr_threads >= t->max_threads)
		err = -PM_EAGAIN;
	else if (!table_sig_clone_ready_(&pr->sig, f))
		err = -PM_ENOMEM; /* copy_sighand comes before copy_namespaces */
	else
		err = namespaces_locked(self, f, pr, &ns);
	if (!err && (!pr->pid || !pr->nodes_ok))
		err = -PM_ENOMEM;
	if (!err)
		err = pid_assign_numbers_(ns, pr->pid, &pr->stash);
	if (err && ns != self->pidns_for_children)
		pidns_put_locked_(ns);
	if (err)
		return err;
	*nsp = ns;
	return 0;
}

int pm_clone(struct pm_thread *self, const struct pm_clone_args *args, struct pm_process *nproc,
             struct pm_thread *nthread, pm_pid_t *pid)
{
	struct clone_prep pr = {NULL, NULL, {NULL, 0}, {NULL}, false, 0, NULL};
	struct pm_table *t;
	struct pm_pidns *ns = NULL;
	struct pm_pid *newpid;
	uint64_t f;
	int err;

	if (!self || !args || !nthread || (!(args->flags & PM_CLONE_THREAD) && !nproc))
		return -PM_EINVAL;
	err = check_entry(args);
	if (err)
		return err;
	f = args->flags;
	if (args->legacy)
		f &= 0xffffffffull;
	t = self->process->table;
	prepare(self, args, f, nthread, &pr);
	tlock(t);
	prepare_nodes_locked(self, f, &pr);
	err = create_locked(self, f, &pr, &ns);
	if (err) {
		pidmap_stash_drain_locked_(t, &pr.stash);
		tunlock(t);
		prep_release(&pr);
		return err;
	}
	/* No more failure from here. */
	newpid = pr.pid;
	pr.pid = NULL;
	pr.cred = NULL;
	if (f & PM_CLONE_NEWPID) {
		/* The new namespace's creation reference becomes the child's. */
	} else {
		pidns_get_locked_(ns);
	}
	if (f & PM_CLONE_THREAD) {
		thread_init(nthread, self->process, newpid, ns, f);
	} else {
		process_init(nproc, t, newpid);
		pm_rlimits_copy(&nproc->rlim, &self->process->rlim);
		nproc->dumpable = self->process->dumpable;
		thread_init(nthread, nproc, newpid, ns, f);
		nproc->leader = nthread;
		link_parent(nproc, self, f, args->exit_signal);
		process_attach_pgrp_(nproc, self->process->pgrp);
		process_attach_session_(nproc, self->process->session);
		if (pid_is_child_reaper_(newpid)) {
			pm_pid_ns(newpid)->child_reaper = nthread;
			nproc->sigflags |= PM_SIGNAL_UNKILLABLE;
		}
		if (f & PM_CLONE_SIGHAND)
			pm_list_add_tail(&nproc->sighand_peers, &self->process->sighand_peers);
		if (f & PM_CLONE_VM)
			pm_list_add_tail(&nproc->vm_peers, &self->process->vm_peers);
	}
	nthread->self_exec_id = self->self_exec_id;
	if (f & PM_CLONE_VFORK)
		nthread->vfork_parent = self;
	table_sig_clone_(self, (f & PM_CLONE_THREAD) ? NULL : nproc, nthread, f, &pr.sig);
	count_new(t, nthread->process, !(f & PM_CLONE_THREAD));
	if (pid)
		*pid = pid_vnr_(newpid, self);
	pidmap_stash_drain_locked_(t, &pr.stash);
	tunlock(t);
	prep_release(&pr);
	return 0;
}
