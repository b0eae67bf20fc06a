/* SPDX-License-Identifier: MIT */
/*
 * pmsim's process calls (PMSIM.md "Process"), each one procmgr call made
 * the way a kernel's system call would make it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"
#include "procmgr/errno.h"
#include "table/table_internal.h"
#include "procmgr/signal_deliver.h"

#define SIGCHLD_ 17

static struct pm_thread *self(int x)
{
	return pmsim_actors[x].th;
}

static void val(struct pmsim_result *r, enum pmsim_fmt fmt, long ret)
{
	r->kind = RES_VAL;
	r->fmt = fmt;
	r->ret = ret;
}

/* ---- creation -------------------------------------------------------------------- */

static void do_clone(int x, uint64_t word, struct pmsim_result *r)
{
	struct pm_clone_args a;
	struct pm_process *p = NULL;
	struct pm_thread *t;
	struct pmsim_actor *c;
	pm_pid_t pid = 0;
	int err, ci;

	pm_clone_args_legacy(word, &a);
	val(r, (a.flags & PM_CLONE_THREAD) ? FMT_TID : FMT_PID, 0);
	t = calloc(1, sizeof(*t));
	if (!(a.flags & PM_CLONE_THREAD))
		p = calloc(1, sizeof(*p));
	if (!t || (!(a.flags & PM_CLONE_THREAD) && !p))
		pmsim_die(0, "out of memory");
	err = pm_clone(self(x), &a, p, t, &pid);
	if (err) {
		free(p);
		free(t);
		r->ret = err;
		return;
	}
	ci = pmsim_new_actor(NULL);
	c = &pmsim_actors[ci];
	c->th = t;
	c->proc = p;
	c->is_thread = (a.flags & PM_CLONE_THREAD) != 0;
	c->tg = c->is_thread ? pmsim_actors[x].tg : ci;
	pmsim_snapshot(ci);
	if (a.flags & PM_CLONE_VFORK)
		pmsim_actors[x].vfork_child = ci;
	r->child = ci;
	r->ret = pid;
}

static void c_fork(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	(void)L;
	do_clone(x, SIGCHLD_, r);
}

static void c_vfork(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	(void)L;
	do_clone(x, PM_CLONE_VM | PM_CLONE_VFORK | SIGCHLD_, r);
}

static void c_clone(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	do_clone(x, (uint64_t)pmsim_eval(x, L->args[0]), r);
}

/* ---- exit and exec ---------------------------------------------------------------- */

/* Global init's last thread may not go: Linux panics ("Attempted to kill
 * init!"); pmsim-linux's init is a namespace init instead. */
static void refuse_init_death(int x, const struct pmsim_line *L, bool group)
{
	struct pm_process *p = pm_thread_process(self(x));
	struct pm_thread *t = NULL;
	int live = 0;

	if (pm_pid_nr_ns(pm_process_pid(p), pm_thread_pidns(pmsim_actors[0].th)) != 1 ||
	    pm_pidns_level(pm_thread_pidns(self(x))) != 0)
		return;
	pm_table_lock(&pmsim_table);
	while ((t = pm_thread_next_locked(p, t)) != NULL)
		if (!(t->flags & PM_TF_EXITING))
			live++;
	pm_table_unlock(&pmsim_table);
	if (group || live == 1)
		pmsim_die(L->no, "global init cannot exit (Linux panics)");
}

static void c_exit(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	refuse_init_death(x, L, false);
	pm_thread_exit(self(x), (int)pmsim_eval(x, L->args[0]));
	r->kind = RES_NORET;
	r->fmt = FMT_NONE;
}

static void c_exit_group(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	refuse_init_death(x, L, true);
	pm_exit_group(self(x), (int)pmsim_eval(x, L->args[0]));
	r->kind = RES_NORET;
	r->fmt = FMT_NONE;
}

/*
 * execve of a declared file: the credential steps (calls_cred.c: RLIMIT_NPROC,
 * permission, set-id bits and file capabilities) around the table's.
 */
static void c_execve(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	const struct pmsim_file *f = pmsim_find_file(L->args[0]);
	struct pm_thread *me = self(x);
	struct pmsim_exec_creds ec;
	uint32_t left = 0;
	int err;

	val(r, FMT_INT, 0);
	err = pmsim_exec_creds_prepare(x, f, &ec);
	if (err) {
		r->ret = err;
		return;
	}
	err = pm_sig_exec_prepare(me);
	if (!err)
		err = pm_exec_dethread(me, &left);
	if (err) {
		pmsim_exec_creds_abort(&ec);
		r->ret = err;
		return;
	}
	/* de_thread waits for the other threads to die. */
	for (int i = 0; left && i < pmsim_nactors; i++) {
		struct pm_thread *t = pmsim_actors[i].th;

		if (t && t != me && pm_thread_exit_pending(t)) {
			pm_exit_group(t, 0);
			left--;
		}
	}
	err = pm_exec_dethread_commit(me, ec.ec.secureexec);
	if (!err)
		err = pm_sig_exec(me);
	if (err) {
		pmsim_exec_creds_abort(&ec);
		r->ret = err;
		return;
	}
	pmsim_actors[x].nframes = 0; /* a new image: no handler frame survives */
	pmsim_exec_creds_commit(x, &ec);
	pmsim_snapshot(x);
}

/* ---- ids, groups, sessions ------------------------------------------------------------- */

static void c_getpid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	(void)L;
	val(r, FMT_PID, pm_getpid(self(x)));
}

static void c_getppid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	(void)L;
	val(r, FMT_PID, pm_getppid(self(x)));
}

static void c_gettid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	(void)L;
	val(r, FMT_TID, pm_gettid(self(x)));
}

static void c_setsid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_pid_t sid = 0;
	int err = pm_setsid(self(x), &sid);

	(void)L;
	val(r, FMT_PID, err ? err : sid);
}

static void c_getpgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_pid_t v = 0;
	int err = pm_getpgid(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]), &v);

	val(r, FMT_PID, err ? err : v);
}

static void c_getsid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_pid_t v = 0;
	int err = pm_getsid(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]), &v);

	val(r, FMT_PID, err ? err : v);
}

static void c_setpgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	val(r, FMT_INT,
	    pm_setpgid(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]),
	               (pm_pid_t)pmsim_eval(x, L->args[1])));
}

/* ---- wait --------------------------------------------------------------------------- */

static void c_wait4(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	int err = pm_wait4(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]),
	                   (int)pmsim_eval(x, L->args[1]), &r->wr);

	val(r, FMT_WAIT4, err ? err : r->wr.pid);
	if (err == -PM_EAGAIN)
		r->kind = RES_BLOCKED;
}

static void c_waitid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	long which = pmsim_eval(x, L->args[0]), id = pmsim_eval(x, L->args[1]);
	int options = (int)pmsim_eval(x, L->args[2]);
	int err;

	val(r, FMT_WAITID, 0);
	/* pidfds are the kernel's: procmgr sees the pid they resolve to. */
	if (which == PM_P_PIDFD) {
		r->ret = id < 0 ? -PM_EINVAL : -PM_ENOSYS;
		return;
	}
	err = pm_waitid(self(x), (int)which, (pm_pid_t)id, options, &r->wr);
	r->ret = err;
	if (err == -PM_EAGAIN)
		r->kind = RES_BLOCKED;
}

/* ---- prctl, unshare -------------------------------------------------------------------- */

static void c_prctl(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	long opt = pmsim_eval(x, L->args[0]);
	long arg = L->nargs > 1 ? pmsim_eval(x, L->args[1]) : 0;

	val(r, FMT_INT, 0);
	switch (opt) {
	case PM_PR_SET_PDEATHSIG:
		r->ret = arg < 0 || arg > 64 ? -PM_EINVAL : pm_set_pdeathsig(self(x), (int)arg);
		break;
	case PM_PR_GET_PDEATHSIG:
		val(r, FMT_SIG, pm_get_pdeathsig(self(x)));
		break;
	case PM_PR_SET_CHILD_SUBREAPER:
		r->ret = pm_set_child_subreaper(self(x), (unsigned long)arg);
		break;
	case PM_PR_GET_CHILD_SUBREAPER:
		r->ret = pm_get_child_subreaper(self(x));
		break;
	case PM_PR_GET_DUMPABLE:
		r->ret = pm_get_dumpable(self(x));
		break;
	case PM_PR_SET_DUMPABLE:
		r->ret = pm_set_dumpable(self(x), (unsigned long)arg);
		break;
	default:
		/* The credential options; the others belong to modules not there yet. */
		if (!pmsim_cred_prctl(x, L, r))
			r->ret = -PM_ENOSYS;
		break;
	}
}

static void c_unshare(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	uint64_t flags = (uint64_t)pmsim_eval(x, L->args[0]);

	val(r, FMT_INT, 0);
	r->ret = pm_unshare(self(x), flags, false);
}

const struct pmsim_call pmsim_calls_proc[] = {
    {"fork", 0, 0, c_fork},       {"vfork", 0, 0, c_vfork},           {"clone", 1, 1, c_clone},
    {"exit", 1, 1, c_exit},       {"exit_group", 1, 1, c_exit_group}, {"execve", 1, 1, c_execve},
    {"getpid", 0, 0, c_getpid},   {"getppid", 0, 0, c_getppid},       {"gettid", 0, 0, c_gettid},
    {"setsid", 0, 0, c_setsid},   {"getpgid", 1, 1, c_getpgid},       {"getsid", 1, 1, c_getsid},
    {"setpgid", 2, 2, c_setpgid}, {"wait4", 2, 2, c_wait4},           {"waitid", 3, 3, c_waitid},
    {"prctl", 1, 5, c_prctl},     {"unshare", 1, 1, c_unshare},       {NULL, 0, 0, NULL},
};
