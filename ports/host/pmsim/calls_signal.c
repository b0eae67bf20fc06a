/* SPDX-License-Identifier: MIT */
/*
 * pmsim's signal calls (PMSIM.md "Signals"), each made the way a kernel's
 * system call would make it. Handlers are recorded by pmsim_settle()
 * (world.c) when they run.
 */
#include <stdio.h>
#include <string.h>

#include "pmsim.h"
#include "procmgr/cred.h"
#include "procmgr/errno.h"
#include "procmgr/signal.h"

static struct pm_thread *self(int x)
{
	return pmsim_actors[x].th;
}

static void val(struct pmsim_result *r, long ret)
{
	r->kind = RES_VAL;
	r->fmt = FMT_INT;
	r->ret = ret;
}

static void c_kill(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	val(r,
	    pm_kill(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]), (int)pmsim_eval(x, L->args[1])));
}

static void c_tgkill(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	val(r, pm_tgkill(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]),
	                 (pm_pid_t)pmsim_eval(x, L->args[1]), (int)pmsim_eval(x, L->args[2])));
}

/* glibc's sigqueue: rt_sigqueueinfo with si_code SI_QUEUE, the caller's
 * pid and real uid (getuid()), and the value. */
static void c_sigqueue(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	struct pm_siginfo info;
	pm_uid_t ids[3];
	int sig = (int)pmsim_eval(x, L->args[1]);

	pm_cred_getresuid(pm_cred_slot_current(pm_thread_cred(self(x))), ids);
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = PM_SI_QUEUE;
	info.u.rt.pid = pm_getpid(self(x));
	info.u.rt.uid = ids[0];
	info.u.rt.value.sival_ptr = (pm_uaddr_t)pmsim_eval(x, L->args[2]);
	val(r, pm_rt_sigqueueinfo(self(x), (pm_pid_t)pmsim_eval(x, L->args[0]), sig, &info));
}

/* A handler address; pmsim never runs user code, only records the call. */
#define PMSIM_HANDLER 0x1000

/* Like the Linux recorder: handlers are installed with SA_SIGINFO, and
 * every action with SA_RESTORER as x86_64 requires. */
static void c_sigaction(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	struct pm_sigaction act;
	long kind = pmsim_eval(x, L->args[1]);

	if (kind < 0 || kind > 2)
		pmsim_die(L->no, "sigaction: the action is SIG_DFL, SIG_IGN or handler");
	memset(&act, 0, sizeof(act));
	act.sa_handler = kind == 2 ? PMSIM_HANDLER : (pm_uaddr_t)kind;
	act.sa_flags = (uint64_t)(L->nargs > 2 ? pmsim_eval(x, L->args[2]) : 0) | PM_SA_RESTORER;
	if (kind == 2)
		act.sa_flags |= PM_SA_SIGINFO;
	act.sa_restorer = PMSIM_HANDLER + 0x100;
	act.sa_mask = L->nargs > 3 ? pmsim_eval_set(x, L->args[3], 's') : 0;
	val(r, pm_sigaction(self(x), (int)pmsim_eval(x, L->args[0]), &act, NULL));
}

static void c_sigprocmask(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_sigset_t set = pmsim_eval_set(x, L->args[1], 's');

	val(r, pm_sigprocmask(self(x), (int)pmsim_eval(x, L->args[0]), &set, NULL));
}

static void c_sigpending(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	(void)L;
	val(r, 0);
	r->fmt = FMT_SIGSET;
	r->set = pm_sigpending(self(x));
}

const struct pmsim_call pmsim_calls_signal[] = {
    {"kill", 2, 2, c_kill},
    {"tgkill", 3, 3, c_tgkill},
    {"sigqueue", 3, 3, c_sigqueue},
    {"sigaction", 2, 4, c_sigaction},
    {"sigprocmask", 2, 2, c_sigprocmask},
    {"sigpending", 0, 0, c_sigpending},
    {NULL, 0, 0, NULL},
};
