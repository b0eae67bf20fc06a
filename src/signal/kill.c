/* SPDX-License-Identifier: MIT */
/*
 * The sending system calls and the kernel's own senders (Linux
 * kernel/signal.c: sys_kill, kill_something_info, kill_proc_info,
 * __kill_pgrp_info, group_send_sig_info, check_kill_permission,
 * prepare_kill_siginfo, sys_tgkill, sys_tkill, do_send_specific,
 * sys_rt_sigqueueinfo, do_rt_sigqueueinfo, do_rt_tgsigqueueinfo,
 * known_siginfo_layout, send_sig_info, force_sig_info_to_task,
 * force_sigsegv).
 *
 * Each call looks its targets up under the table lock, takes every
 * record it may need (from the sighand cache or the pool, else from
 * pm_hal_alloc() after dropping the locks, then starting over) and only
 * then changes anything, so an allocation failure changes nothing.
 */
#include "signal/signal_internal.h"
#include "table/table_jobctl.h"
#include "hal/pm_uaccess.h"

/* ---- permission and ids (the credential module) ----------------------------------- */

/* check_kill_permission's credential part: kill_ok_by_cred over the two
 * threads' current credentials (cred_check.h). */
int sig_kill_permission_(struct pm_thread *sender, struct pm_thread *target, int sig,
                         unsigned int flags)
{
	const struct pm_cred *tc;
	int err;

	if (flags & (PM_KILL_FROM_KERNEL | PM_KILL_SAME_THREAD_GROUP))
		return 0;
	tc = pm_cred_slot_get(&target->cred);
	err = pm_cred_kill_permission(pm_cred_slot_current(&sender->cred), tc, sig, flags);
	pm_cred_put(tc);
	return err;
}

/* The real uid of `sender` as the user namespace of `target` sees it, or
 * as its own does when `target` is NULL (prepare_kill_siginfo,
 * do_notify_parent: from_kuid_munged). */
pm_uid_t sig_sender_uid_(struct pm_thread *sender, struct pm_thread *target)
{
	const struct pm_cred *sc = pm_cred_slot_get(&sender->cred);
	const struct pm_cred *tc = target ? pm_cred_slot_get(&target->cred) : NULL;
	pm_uid_t uid = pm_userns_from_kuid_munged((tc ? tc : sc)->user_ns, sc->uid);

	if (tc)
		pm_cred_put(tc);
	pm_cred_put(sc);
	return uid;
}

/* send_signal_locked's si_uid remap: a uid written in the sender's user
 * namespace, read in the target's. */
pm_uid_t sig_remap_uid_(struct pm_thread *sender, struct pm_thread *target, pm_uid_t uid)
{
	const struct pm_cred *sc = pm_cred_slot_current(&sender->cred); /* current */
	const struct pm_cred *tc;

	if (target == sender)
		return uid;
	tc = pm_cred_slot_get(&target->cred);
	if (sc->user_ns != tc->user_ns)
		uid =
		    pm_userns_from_kuid_munged(tc->user_ns, pm_userns_make_kuid(sc->user_ns, uid));
	pm_cred_put(tc);
	return uid;
}

/* check_kill_permission: `info` NULL is SEND_SIG_NOINFO unless `priv`. */
static int check_kill_permission(struct pm_thread *sender, int sig, const struct pm_siginfo *info,
                                 bool priv, struct pm_thread *t)
{
	unsigned int flags = 0;

	if (sig < 0 || sig > PM_NSIG)
		return -PM_EINVAL;
	/* Kernel signals (SEND_SIG_PRIV, si_code > 0) need no permission. */
	if (priv || (info && info->si_code > PM_SI_USER))
		return 0;
	/* The same thread group needs nothing more. */
	if (sender->process == t->process)
		return 0;
	if (pm_process_session_locked(t->process) == pm_process_session_locked(sender->process))
		flags |= PM_KILL_SAME_SESSION;
	return sig_kill_permission_(sender, t, sig, flags);
}

/* prepare_kill_siginfo: the caller's pid as it sees itself and its uid.
 * Only the part a record keeps is written: the send path reads no more. */
static void kill_siginfo(struct pm_thread *self, int sig, int32_t code, struct pm_siginfo *info)
{
	pm_memset(info, 0, SIG_KINFO_SIZE);
	info->si_signo = sig;
	info->si_code = code;
	info->u.kill.pid = pm_getpid(self);
	info->u.kill.uid = pm_userns_from_kuid_munged(pm_cred_slot_current(&self->cred)->user_ns,
	                                              pm_cred_slot_current(&self->cred)->uid);
}

/* ---- one target ---------------------------------------------------------------------------- */

enum target_kind {
	TK_PROC,     /* kill_proc_info: the process holding thread id `pid` */
	TK_SPECIFIC, /* do_send_specific: thread `pid` (of process `tgid` if > 0) */
	TK_THREAD,   /* send_sig_info: `target` */
	TK_FORCE,    /* force_sig_info_to_task: `target` */
};

struct one_target {
	enum target_kind kind;
	struct pm_thread *self; /* the caller (NULL: the kernel) */
	struct pm_thread *target;
	pm_pid_t pid, tgid;
	bool group;
	enum pm_sig_force_mode mode;
	struct sig_send s;
};

/* Find the target under the table lock; its error, or 0 with *out set
 * (NULL when nothing is to be sent: the null signal). */
static int resolve(struct one_target *o, struct pm_thread **out)
{
	struct pm_thread *t = o->target;
	int sig = o->s.sig;
	int err;

	*out = NULL;
	if (o->kind == TK_PROC || o->kind == TK_SPECIFIC) {
		struct pm_pidns *ns = pm_thread_pidns(o->self);

		t = pm_find_thread_locked(ns, o->pid);
		if (!t || (o->kind == TK_SPECIFIC && o->tgid > 0 &&
		           pm_pid_nr_ns(pm_process_pid(t->process), ns) != o->tgid))
			return -PM_ESRCH;
		err = check_kill_permission(o->self, sig, o->s.info, false, t);
		if (err)
			return err;
	}
	if (sig)
		*out = t;
	return 0;
}

/* force_sig_info_to_task's changes to the disposition and the mask. */
static void force_prepare(struct one_target *o, struct pm_thread *t)
{
	struct pm_process *p = t->process;
	int sig = o->s.sig;
	struct pm_sigaction *ka = &p->sig.sighand->action[sig - 1];
	bool blocked = (t->sig.blocked & M(sig)) != 0;

	if (blocked || ka->sa_handler == PM_SIG_IGN || o->mode != PM_SIG_FORCE_CURRENT) {
		ka->sa_handler = PM_SIG_DFL;
		if (o->mode == PM_SIG_FORCE_EXIT)
			ka->sa_flags |= PM_SA_IMMUTABLE;
		if (blocked)
			t->sig.blocked &= ~M(sig);
	}
	/* No recursive faults in an init: it may die of this one. */
	if (ka->sa_handler == PM_SIG_DFL) {
		table_clear_unkillable_(p);
		p->sig.flags &= ~PM_SIGP_UNKILLABLE;
	}
}

static int one_target_send(struct one_target *o)
{
	struct pm_thread *anchor = o->self ? o->self : o->target;
	struct pm_table *tb;
	struct pm_sigqueue *spare = NULL;
	int err;

	PM_ASSERT(anchor != NULL); /* every caller names a sender or a target */
	tb = anchor->process->table;
	for (;;) {
		struct pm_thread *t;
		struct pm_process *p;
		bool group = o->group;

		pm_table_lock(tb);
		err = resolve(o, &t);
		if (err || !t) {
			pm_table_unlock(tb);
			break;
		}
		p = t->process;
		sig_lock(p);
		/* A record in the sighand cache stays there under this lock:
		 * the send takes it. Otherwise reserve one before sending. */
		if (!spare && !p->sig.sighand->cache && send_needs_record_(t, o->s.sig, group)) {
			spare = pool_take_(sig_pool_of_(p));
			if (!spare) {
				sig_unlock(p);
				pm_table_unlock(tb);
				spare = sigq_alloc_(&tb->sigpool);
				if (!spare)
					return -PM_ENOMEM;
				continue;
			}
		}
		if (spare)
			spare->next = NULL;
		o->s.resv = spare;
		spare = NULL;
		if (o->kind == TK_FORCE)
			force_prepare(o, t);
		err = send_signal_locked_(&o->s, t, group);
		if (o->kind == TK_FORCE && !t->sig.sigpending)
			signal_wake_up_(t, false);
		if (o->s.resv)
			sigq_put_(p, o->s.resv);
		o->s.resv = NULL;
		sig_unlock(p);
		pm_table_unlock(tb);
		break;
	}
	if (spare)
		pool_give_(&tb->sigpool, spare);
	return err;
}

/* ---- several targets ---------------------------------------------------------------------- */

struct many {
	struct pm_thread *self;
	int sig;
	struct pm_siginfo *info;
	pm_pid_t pid; /* 0: own group, -1: everyone, < -1: group -pid */
};

/* The process after prev (NULL: the first) kill(pid <= 0) reaches. */
static struct pm_process *next_target(struct many *m, struct pm_process *prev, pm_pid_t *nr)
{
	struct pm_thread *self = m->self;

	if (m->pid == -1) {
		struct pm_process *p;

		/* Everything but the namespace's init and the caller's process. */
		*nr = prev ? *nr + 1 : 2;
		while ((p = pm_pidns_next_process_locked(pm_thread_pidns(self), nr)) != NULL) {
			if (p != self->process)
				return p;
			(*nr)++;
		}
		return NULL;
	}
	if (!prev) {
		struct pm_pid *pgrp = m->pid == 0
		                          ? pm_process_pgrp_locked(self->process)
		                          : pm_find_pid_locked(pm_thread_pidns(self), -m->pid);

		return pgrp ? pm_pgrp_next_locked(pgrp, NULL) : NULL;
	}
	return pm_pgrp_next_locked(pm_process_pgrp_locked(prev), prev);
}

static uint32_t count_targets(struct many *m)
{
	struct pm_process *p = NULL;
	pm_pid_t nr = 0;
	uint32_t n = 0;

	while ((p = next_target(m, p, &nr)) != NULL)
		n++;
	return n;
}

static void give_back(struct pm_sig_pool *pool, struct pm_sigqueue *list)
{
	while (list) {
		struct pm_sigqueue *q = list;

		list = q->next;
		pool_give_(pool, q);
	}
}

/* __kill_pgrp_info, and kill_something_info's kill(-1) loop. */
static int kill_many(struct many *m)
{
	struct pm_table *tb = m->self->process->table;
	struct pm_sig_pool *pool = &tb->sigpool;
	struct sig_send s = {m->sig, m->info, false, m->self, NULL};
	bool records = m->sig > 0 && m->sig <= PM_NSIG && m->sig != PM_SIGKILL;
	struct pm_process *p = NULL;
	uint32_t have = 0, count = 0;
	int ret = -PM_ESRCH, retval = 0;
	pm_pid_t nr = 0;

	for (;;) {
		uint32_t need;

		pm_table_lock(tb);
		need = records ? count_targets(m) : 0;
		while (have < need) {
			struct pm_sigqueue *q = pool_take_(pool);

			if (!q)
				break;
			q->next = s.resv;
			s.resv = q;
			have++;
		}
		if (have >= need)
			break;
		pm_table_unlock(tb);
		while (have < need) {
			struct pm_sigqueue *q = sigq_alloc_(pool);

			if (!q) {
				give_back(pool, s.resv);
				return -PM_ENOMEM;
			}
			q->next = s.resv;
			s.resv = q;
			have++;
		}
	}
	while ((p = next_target(m, p, &nr)) != NULL) {
		struct pm_thread *t = table_leader_(p);
		int err = check_kill_permission(m->self, m->sig, m->info, false, t);

		if (!err && m->sig) {
			sig_lock(p);
			err = send_signal_locked_(&s, t, true);
			sig_unlock(p);
		}
		count++;
		if (m->pid == -1) {
			if (err != -PM_EPERM)
				retval = err;
		} else if (ret) {
			ret = err;
		}
	}
	pm_table_unlock(tb);
	give_back(pool, s.resv);
	if (m->pid == -1)
		return count ? retval : -PM_ESRCH;
	return ret;
}

/* ---- system calls ----------------------------------------------------------------------------- */

static int kill_proc_info(struct pm_thread *self, int sig, struct pm_siginfo *info, pm_pid_t pid)
{
	struct one_target o = {TK_PROC,
	                       self,
	                       NULL,
	                       pid,
	                       0,
	                       true,
	                       PM_SIG_FORCE_CURRENT,
	                       {sig, info, false, self, NULL}};

	return one_target_send(&o);
}

int pm_kill(struct pm_thread *self, pm_pid_t pid, int sig)
{
	struct pm_siginfo info;
	struct many m;

	kill_siginfo(self, sig, PM_SI_USER, &info);
	if (pid > 0)
		return kill_proc_info(self, sig, &info, pid);
	/* -INT_MIN is undefined. */
	if (pid == INT32_MIN)
		return -PM_ESRCH;
	m.self = self;
	m.sig = sig;
	m.info = &info;
	m.pid = pid;
	return kill_many(&m);
}

static int send_specific(struct pm_thread *self, pm_pid_t tgid, pm_pid_t tid, int sig,
                         struct pm_siginfo *info)
{
	struct one_target o = {TK_SPECIFIC,
	                       self,
	                       NULL,
	                       tid,
	                       tgid,
	                       false,
	                       PM_SIG_FORCE_CURRENT,
	                       {sig, info, false, self, NULL}};

	return one_target_send(&o);
}

int pm_tgkill(struct pm_thread *self, pm_pid_t tgid, pm_pid_t tid, int sig)
{
	struct pm_siginfo info;

	if (tid <= 0 || tgid <= 0)
		return -PM_EINVAL;
	kill_siginfo(self, sig, PM_SI_TKILL, &info);
	return send_specific(self, tgid, tid, sig, &info);
}

int pm_tkill(struct pm_thread *self, pm_pid_t tid, int sig)
{
	struct pm_siginfo info;

	if (tid <= 0)
		return -PM_EINVAL;
	kill_siginfo(self, sig, PM_SI_TKILL, &info);
	return send_specific(self, 0, tid, sig, &info);
}

/* known_siginfo_layout: codes whose fields fit in the kernel's 48 bytes. */
static bool known_layout(int sig, int32_t code)
{
	static const uint8_t limit[PM_SIGSYS + 1] = {
	    [PM_SIGILL] = 11, [PM_SIGFPE] = 15, [PM_SIGSEGV] = 10, [PM_SIGBUS] = 5,
	    [PM_SIGTRAP] = 6, [PM_SIGCHLD] = 6, [PM_SIGPOLL] = 6,  [PM_SIGSYS] = 2,
	};

	if (code == PM_SI_KERNEL)
		return true;
	if (code > PM_SI_USER) {
		if (sig >= 1 && sig <= PM_SIGSYS && limit[sig])
			return code <= limit[sig];
		return code <= 6; /* NSIGPOLL */
	}
	return code >= PM_SI_DETHREAD || code == PM_SI_ASYNCNL;
}

/* __copy_siginfo_from_user: si_signo is the system call's; an unknown
 * layout must not carry bytes the kernel would not keep. */
static int user_siginfo(int sig, const struct pm_siginfo *in, struct pm_siginfo *out)
{
	const uint8_t *b = (const uint8_t *)in;

	*out = *in;
	out->si_signo = sig;
	if (!known_layout(sig, out->si_code)) {
		for (size_t i = SIG_KINFO_SIZE; i < sizeof(*in); i++)
			if (b[i])
				return -PM_E2BIG;
	}
	return 0;
}

/* Only the kernel sends si_code >= 0, only kill()/tgkill() SI_TKILL:
 * nobody may claim either for someone else. */
static bool forged(struct pm_thread *self, const struct pm_siginfo *info, pm_pid_t pid)
{
	return (info->si_code >= 0 || info->si_code == PM_SI_TKILL) && pm_gettid(self) != pid;
}

int pm_rt_sigqueueinfo(struct pm_thread *self, pm_pid_t pid, int sig, const struct pm_siginfo *info)
{
	struct pm_siginfo k;
	int err = user_siginfo(sig, info, &k);

	if (err)
		return err;
	if (forged(self, &k, pid))
		return -PM_EPERM;
	return kill_proc_info(self, sig, &k, pid);
}

int pm_rt_tgsigqueueinfo(struct pm_thread *self, pm_pid_t tgid, pm_pid_t tid, int sig,
                         const struct pm_siginfo *info)
{
	struct pm_siginfo k;
	int err = user_siginfo(sig, info, &k);

	if (err)
		return err;
	if (tid <= 0 || tgid <= 0)
		return -PM_EINVAL;
	if (forged(self, &k, tid))
		return -PM_EPERM;
	return send_specific(self, tgid, tid, sig, &k);
}

int pm_sig_copy_siginfo_from_user(struct pm_siginfo *out, pm_uaddr_t uinfo)
{
	return pm_copy_from_user(out, uinfo, sizeof(*out)) ? -PM_EFAULT : 0;
}

/* ---- the kernel's senders ----------------------------------------------------------------------- */

int pm_sig_send(struct pm_thread *target, int sig, const struct pm_siginfo *info, bool group)
{
	struct pm_siginfo k;
	struct one_target o = {TK_THREAD,
	                       NULL,
	                       target,
	                       0,
	                       0,
	                       group,
	                       PM_SIG_FORCE_CURRENT,
	                       {sig, NULL, info == NULL, NULL, NULL}};

	if (!pm_sig_valid(sig))
		return -PM_EINVAL;
	if (info) {
		k = *info;
		k.si_signo = sig;
		o.s.info = &k;
	}
	return one_target_send(&o);
}

int pm_sig_force(struct pm_thread *t, const struct pm_siginfo *info, enum pm_sig_force_mode mode)
{
	struct pm_siginfo k = *info;
	struct one_target o = {TK_FORCE, NULL,  t,    0,
	                       0,        false, mode, {k.si_signo, &k, false, t, NULL}};

	if (!pm_sig_valid(k.si_signo))
		return -PM_EINVAL;
	return one_target_send(&o);
}

void pm_sig_force_sigsegv(struct pm_thread *self, int sig)
{
	struct pm_siginfo info;

	pm_memset(&info, 0, sizeof(info));
	info.si_signo = PM_SIGSEGV;
	info.si_code = PM_SI_KERNEL;
	/* A SIGSEGV that could not be delivered is fatal, not retried. */
	(void)pm_sig_force(self, &info,
	                   sig == PM_SIGSEGV ? PM_SIG_FORCE_DFL : PM_SIG_FORCE_CURRENT);
}

/* ---- for the table's seams ---------------------------------------------------------------------- */

int group_send_special_(struct pm_thread *sender, struct pm_thread *t, int sig, bool priv)
{
	struct sig_send s = {sig, NULL, priv, sender, NULL};
	int err = 0;

	if (!priv)
		err = check_kill_permission(sender, sig, NULL, false, t);
	if (!err && sig) {
		sig_lock(t->process);
		err = send_signal_locked_(&s, t, true);
		sig_unlock(t->process);
	}
	return err;
}
