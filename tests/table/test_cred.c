/* SPDX-License-Identifier: MIT */
/*
 * Credentials and limits inside the process table: RLIMIT_NPROC charged
 * by clone and released by reaping (kernel/fork.c copy_process,
 * kernel/exit.c release_task), limits copied at fork (copy_signal),
 * CLONE_NEWUSER in clone and unshare (kernel/user_namespace.c,
 * kernel/fork.c ksys_unshare), commit_creds' side effects, the pid lookups
 * of capget and prlimit64, and si_uid.
 */
#include <stdlib.h>

#include "table_fixture.h"
#include "procmgr/cred_exec.h"
#include "table/table_internal.h"

TestSuite(table_cred, .init = pm_test_setup);

#define CLONE_THREAD_ (PM_CLONE_VM | PM_CLONE_SIGHAND | PM_CLONE_THREAD)
#define CAPM(c)       PM_CAP_TO_MASK(PM_CAP_##c)

static const struct pm_cred *cr(struct pm_thread *t)
{
	return pm_cred_slot_current(pm_thread_cred(t));
}

static struct pm_rlimits *rl(struct pm_thread *t)
{
	return pm_process_rlimits(pm_thread_process(t));
}

/* setresgid + setresuid to @id, as a program dropping root does. */
static void become(struct tu *u, struct pm_thread *t, pm_uid_t id)
{
	cr_assert_eq(pm_cred_setresgid(pm_thread_cred(t), id, id, id), 0);
	cr_assert_eq(pm_cred_setresuid(pm_thread_cred(t), rl(t), id, id, id), 0);
	pm_thread_cred_changed(t);
	tu_check(u);
}

/* Drop root but keep @caps (PR_SET_KEEPCAPS, setresuid, capset). */
static void become_with_caps(struct tu *u, struct pm_thread *t, pm_uid_t id, pm_kernel_cap_t caps)
{
	cr_assert_eq(pm_cred_prctl(pm_thread_cred(t), PM_PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	become(u, t, id);
	cr_assert_eq(pm_cred_capset(pm_thread_cred(t), caps, caps, 0), 0);
	pm_thread_cred_changed(t);
	tu_check(u);
}

static void set_limit(struct pm_thread *t, unsigned int res, uint64_t soft, uint64_t hard)
{
	struct pm_rlimit l = {soft, hard};

	cr_assert_eq(pm_prlimit(t, 0, res, &l, NULL), 0);
}

static void same_counts(struct tu *u, const struct pm_table_stats *before)
{
	struct pm_table_stats now;

	pm_table_stats(&u->t, &now);
	cr_assert_eq(now.processes, before->processes);
	cr_assert_eq(now.threads, before->threads);
	cr_assert_eq(now.root_pids, before->root_pids);
	cr_assert_eq(now.namespaces, before->namespaces);
	tu_check(u);
}

PM_TEST(table_cred, init_has_init_cred_and_init_rlimits)
{
	struct pm_table_config cfg = {.max_threads = 1000};
	struct pm_rlimit l;
	struct tu u;
	pm_uid_t ids[3];

	tu_setup(&u, NULL);
	pm_cred_getresuid(cr(u.init), ids);
	cr_assert(ids[0] == 0 && ids[1] == 0 && ids[2] == 0, "kernel/cred.c init_cred");
	cr_assert_eq(cr(u.init)->cap_effective, PM_CAP_FULL_SET);
	cr_assert_eq(cr(u.init)->user_ns, &u.t.user_ns);
	cr_assert_eq(pm_cred_nproc_count(cr(u.init)), 1, "init is charged to root");
	cr_assert_eq(pm_prlimit(u.init, 0, PM_RLIMIT_STACK, NULL, &l), 0);
	cr_assert(l.rlim_cur == PM_STK_LIM && l.rlim_max == PM_RLIM_INFINITY, "INIT_RLIMITS");
	cr_assert_eq(pm_prlimit(u.init, 0, PM_RLIMIT_NPROC, NULL, &l), 0);
	cr_assert_eq(l.rlim_cur, PM_RLIM_INFINITY, "no thread limit: no RLIMIT_NPROC");
	cr_assert_eq(pm_get_dumpable(u.init), PM_SUID_DUMP_USER);
	tu_teardown(&u);
	tu_setup(&u, &cfg);
	cr_assert_eq(pm_prlimit(u.init, 0, PM_RLIMIT_NPROC, NULL, &l), 0);
	cr_assert(l.rlim_cur == 500 && l.rlim_max == 500, "fork_init: max_threads / 2");
	cr_assert_eq(pm_prlimit(u.init, 0, PM_RLIMIT_SIGPENDING, NULL, &l), 0);
	cr_assert(l.rlim_cur == 500 && l.rlim_max == 500);
	tu_teardown(&u);
}

PM_TEST(table_cred, clone_charges_rlimit_nproc_and_eagain_changes_nothing)
{
	struct pm_table_stats before;
	struct tu u;
	struct pm_thread *a, *b, *t = NULL;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	become(&u, a, 1000);
	set_limit(a, PM_RLIMIT_NPROC, 3, 3);
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 1, "the charge moved with the real uid");
	b = tu_fork(a);
	cr_assert_eq(tu_clone(a, CLONE_THREAD_, 0, &t), 0, "threads count too");
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 3);
	pm_table_stats(&u.t, &before);
	/* copy_process: over RLIMIT_NPROC -> EAGAIN, for processes and threads. */
	cr_assert_eq(tu_clone(a, 0, SIGCHLD, NULL), -PM_EAGAIN);
	cr_assert_eq(tu_clone(b, CLONE_THREAD_, 0, NULL), -PM_EAGAIN);
	cr_assert_eq(tu_clone(t, PM_CLONE_VM | PM_CLONE_VFORK, SIGCHLD, NULL), -PM_EAGAIN);
	same_counts(&u, &before);
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 3, "a refused clone charges nothing");
	cr_assert_eq(pm_cred_nproc_count(cr(u.init)), 1, "counts are per real user");
	tu_teardown(&u);
}

PM_TEST(table_cred, zombies_count_until_reaped)
{
	struct pm_wait_result r;
	struct tu u;
	struct pm_thread *a, *b, *t;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	become(&u, a, 1000);
	set_limit(a, PM_RLIMIT_NPROC, 2, 2);
	b = tu_fork(a);
	cr_assert_eq(pm_thread_exit(b, 0), 0);
	tu_check(&u);
	cr_assert_eq(tu_clone(a, 0, SIGCHLD, NULL), -PM_EAGAIN,
	             "release_task uncharges: a zombie still counts");
	cr_assert_eq(tu_wait4(a, -1, 0, &r), 0);
	tu_settle(&u);
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 1);
	t = tu_thread(a);
	cr_assert_eq(pm_thread_exit(t, 0), 0, "a thread is released at once");
	tu_settle(&u);
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 1);
	b = tu_fork(a);
	cr_assert_not_null(b);
	tu_teardown(&u);
}

PM_TEST(table_cred, root_cap_sys_resource_and_cap_sys_admin_are_exempt)
{
	struct tu u;
	struct pm_thread *a, *b, *c;

	tu_setup(&u, NULL);
	/* Real uid 0 (INIT_USER) is never limited. */
	a = tu_fork(u.init);
	set_limit(a, PM_RLIMIT_NPROC, 0, 0);
	b = tu_fork(a);
	cr_assert_not_null(b);
	/* A non-root user keeping CAP_SYS_RESOURCE or CAP_SYS_ADMIN is exempt. */
	c = tu_fork(u.init);
	become_with_caps(&u, c, 1000, CAPM(SYS_RESOURCE));
	set_limit(c, PM_RLIMIT_NPROC, 0, 0);
	cr_assert_eq(tu_clone(c, 0, SIGCHLD, NULL), 0, "CAP_SYS_RESOURCE");
	cr_assert_eq(pm_cred_capset(pm_thread_cred(c), 0, 0, 0), 0);
	cr_assert_eq(tu_clone(c, 0, SIGCHLD, NULL), -PM_EAGAIN, "no capability left");
	c = tu_fork(u.init);
	become_with_caps(&u, c, 1001, CAPM(SYS_ADMIN));
	set_limit(c, PM_RLIMIT_NPROC, 0, 0);
	cr_assert_eq(tu_clone(c, 0, SIGCHLD, NULL), 0, "CAP_SYS_ADMIN");
	/* Only the effective set counts (capable()). */
	cr_assert_eq(pm_cred_capset(pm_thread_cred(c), 0, CAPM(SYS_ADMIN), 0), 0);
	cr_assert_eq(tu_clone(c, 0, SIGCHLD, NULL), -PM_EAGAIN);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(table_cred, setuid_over_the_limit_fails_the_next_exec)
{
	struct pm_wait_result r;
	struct tu u;
	struct pm_thread *a, *b, *b2;

	tu_setup(&u, NULL);
	b = tu_fork(u.init);
	become(&u, b, 1000);
	b2 = tu_fork(b);
	a = tu_fork(u.init);
	set_limit(a, PM_RLIMIT_NPROC, 1, 1);
	/* kernel/sys.c flag_nproc_exceeded: user 1000 already has 2 tasks, over
	 * a's limit of 1; the set*uid succeeds... */
	cr_assert_eq(pm_cred_setresuid(pm_thread_cred(a), rl(a), 1000, 1000, 1000), 0);
	pm_thread_cred_changed(a);
	tu_check(&u);
	/* ...and fs/exec.c refuses the next execve while still over. */
	cr_assert_eq(pm_cred_exec_nproc_check(pm_thread_cred(a), rl(a)), -PM_EAGAIN);
	cr_assert_eq(pm_exit_group(b2, 0), 0);
	cr_assert_eq(pm_wait4(b, -1, 0, &r), 0);
	cr_assert_eq(pm_exit_group(b, 0), 0);
	cr_assert_eq(pm_wait4(u.init, tu_pid(u.init, b), 0, &r), 0);
	tu_settle(&u);
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 1);
	cr_assert_eq(pm_cred_exec_nproc_check(pm_thread_cred(a), rl(a)), 0, "back under");
	tu_teardown(&u);
}

PM_TEST(table_cred, limits_are_per_process_and_copied_at_fork)
{
	struct pm_rlimit l;
	struct tu u;
	struct pm_thread *a, *b, *t;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	set_limit(a, PM_RLIMIT_CORE, 0, 4096);
	t = tu_thread(a);
	b = tu_fork(t);
	tu_check(&u);
	cr_assert_eq(pm_prlimit(b, 0, PM_RLIMIT_CORE, NULL, &l), 0);
	cr_assert(l.rlim_cur == 0 && l.rlim_max == 4096, "copy_signal: inherited");
	set_limit(b, PM_RLIMIT_CORE, 0, 0);
	cr_assert_eq(pm_prlimit(t, 0, PM_RLIMIT_CORE, NULL, &l), 0);
	cr_assert_eq(l.rlim_max, 4096, "the child's change stays its own");
	set_limit(t, PM_RLIMIT_CORE, 0, 100);
	cr_assert_eq(pm_prlimit(a, 0, PM_RLIMIT_CORE, NULL, &l), 0);
	cr_assert_eq(l.rlim_max, 100, "threads share their process's limits");
	tu_teardown(&u);
}

PM_TEST(table_cred, prlimit_and_capget_lookups)
{
	const struct pm_cred *c;
	struct pm_wait_result r;
	struct pm_rlimit l = {1, 2}, old;
	struct tu u;
	struct pm_thread *a, *b, *t;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(u.init);
	become(&u, a, 1000);
	become(&u, b, 2000);
	t = tu_thread(a);
	cr_assert_eq(pm_prlimit(a, 99999, PM_RLIMIT_CORE, NULL, &old), -PM_ESRCH);
	cr_assert_eq(pm_prlimit(a, -1, PM_RLIMIT_CORE, NULL, &old), -PM_ESRCH);
	/* check_prlimit_permission comes before the resource check. */
	cr_assert_eq(pm_prlimit(a, tu_pid(a, b), 99, NULL, &old), -PM_EPERM);
	cr_assert_eq(pm_prlimit(a, tu_pid(a, b), PM_RLIMIT_CORE, &l, NULL), -PM_EPERM);
	cr_assert_eq(pm_prlimit(a, tu_tid(a, t), PM_RLIMIT_CORE, &l, &old), 0, "same ids");
	cr_assert_eq(old.rlim_cur, 0);
	cr_assert_eq(pm_prlimit(a, 0, 16, NULL, &old), -PM_EINVAL);
	cr_assert_eq(pm_prlimit(u.init, tu_pid(u.init, b), PM_RLIMIT_CORE, &l, NULL), 0,
	             "CAP_SYS_RESOURCE");
	cr_assert_eq(pm_thread_cred_find(a, 0, &c), 0);
	cr_assert_eq(c, cr(a));
	pm_cred_put(c);
	cr_assert_eq(pm_thread_cred_find(u.init, tu_pid(u.init, b), &c), 0);
	cr_assert_eq(c->uid, 2000);
	pm_cred_put(c);
	cr_assert_eq(pm_thread_cred_find(a, 424242, &c), -PM_ESRCH);
	/* A zombie is still found; a reaped process is not. */
	cr_assert_eq(pm_thread_exit(b, 0), 0);
	tu_settle(&u);
	cr_assert_eq(pm_thread_cred_find(u.init, 3, &c), 0);
	pm_cred_put(c);
	cr_assert_eq(pm_wait4(u.init, 3, 0, &r), 0);
	tu_settle(&u);
	cr_assert_eq(pm_thread_cred_find(u.init, 3, &c), -PM_ESRCH);
	tu_teardown(&u);
}

PM_TEST(table_cred, commit_side_effects_dumpable_and_pdeath)
{
	struct tu u;
	struct pm_thread *a, *v = NULL;
	uint32_t left;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	cr_assert_eq(pm_set_pdeathsig(a, SIGUSR1), 0);
	cr_assert_eq(pm_set_dumpable(a, 2), -PM_EINVAL);
	/* A commit that changes nothing effective keeps both. */
	cr_assert_eq(pm_cred_setresuid(pm_thread_cred(a), rl(a), 0, 0, 0), 0);
	pm_thread_cred_changed(a);
	cr_assert_eq(pm_get_pdeathsig(a), SIGUSR1);
	cr_assert_eq(pm_get_dumpable(a), PM_SUID_DUMP_USER);
	cr_assert_eq(tu_clone(a, PM_CLONE_VM | PM_CLONE_VFORK, SIGCHLD, &v), 0);
	cr_assert_eq(pm_get_dumpable(v), PM_SUID_DUMP_USER, "dup_mm copies the mode");
	/* commit_creds: an effective id changed. */
	cr_assert_eq(pm_cred_setresuid(pm_thread_cred(a), rl(a), -1, 1000, -1), 0);
	pm_thread_cred_changed(a);
	tu_check(&u);
	cr_assert_eq(pm_get_pdeathsig(a), 0);
	cr_assert_eq(pm_get_dumpable(a), PM_SUID_DUMP_DISABLE);
	cr_assert_eq(pm_get_dumpable(v), PM_SUID_DUMP_DISABLE, "the vfork child shares the mm");
	cr_assert_eq(pm_set_dumpable(a, 1), 0);
	/* The exec'd image gets a new, dumpable address space. */
	cr_assert_eq(pm_set_dumpable(v, 0), 0);
	cr_assert_eq(pm_exec_dethread(v, &left), 0);
	cr_assert_eq(pm_exec_dethread_commit(v, false), 0);
	cr_assert_eq(pm_get_dumpable(v), PM_SUID_DUMP_USER);
	cr_assert_eq(pm_get_dumpable(a), PM_SUID_DUMP_DISABLE);
	tu_check(&u);
	tu_teardown(&u);
}

PM_TEST(table_cred, waitid_si_uid_is_the_real_uid_as_the_waiter_sees_it)
{
	struct pm_wait_result r;
	struct tu u;
	struct pm_thread *a, *b, *c;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	b = tu_fork(a);
	become(&u, b, 1000);
	cr_assert_eq(pm_exit_group(b, 0), 0);
	cr_assert_eq(pm_waitid(a, PM_P_ALL, 0, PM_WEXITED, &r), 0);
	cr_assert_eq(r.uid, 1000);
	/* A waiter in a new user namespace sees an unmapped id as 65534. */
	become(&u, a, 1001);
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, false), 0);
	c = tu_fork(a);
	cr_assert_eq(pm_exit_group(c, 0), 0);
	cr_assert_eq(pm_waitid(a, PM_P_ALL, 0, PM_WEXITED, &r), 0);
	cr_assert_eq(r.uid, PM_OVERFLOWUID, "from_kuid_munged");
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(table_cred, clone_newuser)
{
	struct tu u;
	struct pm_thread *a, *b, *c;
	struct pm_clone_args args = {PM_CLONE_NEWUSER, SIGCHLD, false, true};
	struct pm_process *p = tu_new_process();
	struct pm_thread *th = tu_new_thread();
	pm_uid_t ids[3];

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	become(&u, a, 1000);
	set_limit(a, PM_RLIMIT_NPROC, 3, 3);
	/* copy_process: CLONE_NEWUSER with CLONE_THREAD or CLONE_FS. */
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWUSER | CLONE_THREAD_, 0, NULL), -PM_EINVAL);
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWUSER | PM_CLONE_FS, SIGCHLD, NULL), -PM_EINVAL);
	/* create_user_ns: a chrooted creator is refused. */
	cr_assert_eq(pm_clone(a, &args, p, th, NULL), -PM_EPERM);
	free(p);
	free(th);
	tu_check(&u);
	/* Namespaces need CAP_SYS_ADMIN, which the owner of a new user namespace has. */
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWPID, SIGCHLD, NULL), -PM_EPERM);
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWUSER | PM_CLONE_NEWPID, SIGCHLD, &b), 0);
	tu_check(&u);
	cr_assert_eq(pm_getpid(b), 1);
	cr_assert_eq(cr(b)->user_ns->parent, cr(a)->user_ns);
	cr_assert_eq(cr(b)->cap_effective, PM_CAP_FULL_SET, "full capabilities inside");
	cr_assert_eq(cr(a)->cap_effective, 0, "the parent keeps its own");
	pm_cred_getresuid(cr(b), ids);
	cr_assert_eq(ids[0], PM_OVERFLOWUID, "no uid_map yet");
	cr_assert_eq(cr(b)->uid, 1000, "the global id is unchanged");
	cr_assert_eq(pm_cred_nproc_count(cr(b)), 1, "charged in the new namespace");
	c = tu_fork(b);
	cr_assert_eq(cr(c), cr(b), "fork shares the credentials");
	cr_assert_eq(pm_cred_nproc_count(cr(c)), 2);
	/* The creator's RLIMIT_NPROC when it made the namespace is the ceiling
	 * of everything in it, counted with the creator's own tasks
	 * (is_rlimit_overlimit, set_userns_rlimits): a, b and c are 3. */
	cr_assert_eq(tu_clone(a, PM_CLONE_NEWUSER, SIGCHLD, NULL), -PM_EAGAIN);
	cr_assert_eq(tu_clone(c, 0, SIGCHLD, NULL), -PM_EAGAIN);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(table_cred, unshare_newuser)
{
	struct tu u;
	struct pm_thread *a, *t, *c;
	const struct pm_userns *old;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	become(&u, a, 1000);
	old = cr(a)->user_ns;
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWPID, false), -PM_EPERM, "no CAP_SYS_ADMIN");
	t = tu_thread(a);
	/* ksys_unshare: NEWUSER implies THREAD, so only a single thread may. */
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, false), -PM_EINVAL);
	cr_assert_eq(pm_unshare(t, PM_CLONE_NEWUSER, false), -PM_EINVAL);
	cr_assert_eq(cr(a)->user_ns, old);
	cr_assert_eq(pm_thread_exit(t, 0), 0);
	tu_settle(&u);
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, true), -PM_EPERM, "chrooted");
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER | PM_CLONE_NEWPID, false), 0);
	tu_check(&u);
	cr_assert_eq(cr(a)->user_ns->parent, old);
	cr_assert_eq(cr(a)->cap_permitted, PM_CAP_FULL_SET);
	cr_assert_eq(pm_cred_nproc_count(cr(a)), 1, "the charge moved to the new namespace");
	c = tu_fork(a);
	cr_assert_eq(pm_getpid(c), 1, "NEWPID took effect with the new user namespace");
	/* create_user_ns: the creator's euid and egid must be mapped where it is. */
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, false), -PM_EPERM, "no maps written");
	/* Up to 33 levels below the initial namespace, each mapping the user's
	 * own ids (new_idmap_permitted; the gid map after setgroups "deny"). */
	for (uint32_t level = 2; level <= 34; level++) {
		const struct pm_cred *me = cr(a);
		struct pm_userns *ns = me->user_ns;

		cr_assert_eq(pm_userns_write_setgroups(ns, me, "deny", 4, 0), 0);
		cr_assert_eq(
		    pm_userns_write_map(ns, PM_USERNS_UID_MAP, "1000 1000 1", 11, 0, me, me), 0);
		cr_assert_eq(
		    pm_userns_write_map(ns, PM_USERNS_GID_MAP, "1000 1000 1", 11, 0, me, me), 0);
		if (level == 34)
			break;
		cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, false), 0, "level %u", level);
		cr_assert_eq(cr(a)->user_ns->level, level);
		tu_check(&u);
	}
	cr_assert_eq(pm_unshare(a, PM_CLONE_NEWUSER, false), -PM_ENOSPC);
	cr_assert_eq(cr(a)->user_ns->level, 33);
	tu_settle(&u);
	tu_teardown(&u);
}

/* Every allocation failure: -PM_ENOMEM, nothing changed, nothing leaked. */
static void newuser_fault_loop(bool use_unshare)
{
	struct pm_table_config cfg = {.no_node_cache = true};
	struct pm_table_stats before;
	struct tu u;
	struct pm_thread *a;
	int failures = 0;

	tu_setup(&u, &cfg);
	a = tu_fork(u.init);
	become(&u, a, 1000);
	for (uint64_t n = 1;; n++) {
		const struct pm_cred *was = cr(a);
		int err;

		pm_table_stats(&u.t, &before);
		pm_host_fault_alloc_nth(n);
		if (use_unshare)
			err = pm_unshare(a, PM_CLONE_NEWUSER | PM_CLONE_NEWPID, false);
		else
			err = tu_clone(a, PM_CLONE_NEWUSER | PM_CLONE_NEWPID, SIGCHLD, NULL);
		pm_host_fault_reset();
		if (err == 0)
			break;
		failures++;
		cr_assert_eq(err, -PM_ENOMEM, "allocation %llu: %d", (unsigned long long)n, err);
		same_counts(&u, &before);
		cr_assert_eq(cr(a), was);
		cr_assert_eq(pm_cred_nproc_count(cr(a)), 1);
	}
	cr_assert_geq(failures, 4, "pid, PID namespace, credentials, user namespace, counters");
	tu_check(&u);
	tu_settle(&u);
	tu_teardown(&u);
}

PM_TEST(table_cred, every_allocation_failure_of_clone_newuser_changes_nothing)
{
	newuser_fault_loop(false);
}

PM_TEST(table_cred, every_allocation_failure_of_unshare_newuser_changes_nothing)
{
	newuser_fault_loop(true);
}

PM_TEST(table_cred, every_allocation_failure_of_setresuid_changes_nothing)
{
	struct tu u;
	struct pm_thread *a;
	int failures = 0;

	tu_setup(&u, NULL);
	a = tu_fork(u.init);
	for (uint64_t n = 1;; n++) {
		const struct pm_cred *was = cr(a);
		int err;

		pm_host_fault_alloc_nth(n);
		err = pm_cred_setresuid(pm_thread_cred(a), rl(a), 1000, 1000, 1000);
		pm_host_fault_reset();
		pm_thread_cred_changed(a);
		if (err == 0)
			break;
		failures++;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(cr(a), was);
		cr_assert_eq(pm_get_dumpable(a), PM_SUID_DUMP_USER);
		tu_check(&u);
	}
	cr_assert_eq(failures, 2, "the credentials and the new user's counters");
	cr_assert_eq(pm_get_dumpable(a), PM_SUID_DUMP_DISABLE);
	tu_teardown(&u);
}
