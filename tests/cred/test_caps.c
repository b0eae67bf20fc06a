/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: names, cap_capable over namespace ancestry, capget/capset
 * (kernel/capability.c, cap_capset) and the prctl options of
 * cap_task_prctl. Error values were checked against Linux 6.18.
 */
#include "cred_test.h"

TestSuite(caps, .init = pm_test_setup);

PM_TEST(caps, names_round_trip)
{
	cr_assert_str_eq(pm_cap_name(PM_CAP_CHOWN), "CAP_CHOWN");
	cr_assert_str_eq(pm_cap_name(PM_CAP_CHECKPOINT_RESTORE), "CAP_CHECKPOINT_RESTORE");
	cr_assert_null(pm_cap_name(41), "capability numbers past the last");
	for (unsigned int c = 0; c <= PM_CAP_LAST_CAP; c++)
		cr_assert_eq(pm_cap_from_name(pm_cap_name(c)), (int)c);
	cr_assert_eq(pm_cap_from_name("net_raw"), PM_CAP_NET_RAW);
	cr_assert_eq(pm_cap_from_name("cap_kill"), PM_CAP_KILL);
	cr_assert_eq(pm_cap_from_name("CAP_NOPE"), -PM_EINVAL);
	cr_assert_eq(pm_cap_from_name(""), -PM_EINVAL);
	cr_assert(pm_cap_valid(40) && !pm_cap_valid(41) && !pm_cap_valid(UINT64_MAX));
}

/* cap_capable: own ns -> pE; ancestor caps reach descendants; the owner holds all in a child. */
PM_TEST(caps, ns_capable_walks_ancestry)
{
	struct world w;
	struct pm_cred *chain[33];
	const struct pm_cred *prev;
	int n = 0;

	world_init(&w);
	become_user(&w, 1000);
	prev = cur(&w);
	for (n = 0; n < 32; n++) {
		cr_assert_eq(pm_cred_prepare_userns(prev, &w.rlim, false, &chain[n]), 0);
		prev = chain[n];
		/* Creating the next level needs the creator mapped: map 1000 as itself. */
		cr_assert_eq(pm_userns_write_map(chain[n]->user_ns, PM_USERNS_UID_MAP,
		                                 "1000 1000 1", 11, 0, chain[n], chain[n]),
		             0);
		cr_assert_eq(pm_userns_write_setgroups(chain[n]->user_ns, chain[n], "deny", 4, 0),
		             0);
		cr_assert_eq(pm_userns_write_map(chain[n]->user_ns, PM_USERNS_GID_MAP,
		                                 "1000 1000 1", 11, 0, chain[n], chain[n]),
		             0);
	}
	/* user 1000 in the initial namespace owns level 1, so it has every cap down to level 32. */
	cr_assert(pm_cred_ns_capable(cur(&w), chain[31]->user_ns, PM_CAP_SYS_ADMIN));
	cr_assert(pm_cred_ns_capable(cur(&w), chain[0]->user_ns, PM_CAP_SYS_ADMIN));
	cr_assert_not(pm_cred_ns_capable(cur(&w), &w.root, PM_CAP_SYS_ADMIN));
	/* Level 1 root has caps over level 32, not over its parent. */
	cr_assert(pm_cred_ns_capable(chain[0], chain[31]->user_ns, PM_CAP_KILL));
	cr_assert_not(pm_cred_ns_capable(chain[5], chain[2]->user_ns, PM_CAP_KILL),
	              "not a descendant");
	cr_assert_not(pm_cred_capable(chain[0], PM_CAP_KILL));
	/* Another user owns nothing. */
	become_user(&w, 1001);
	cr_assert_not(pm_cred_ns_capable(cur(&w), chain[0]->user_ns, PM_CAP_KILL));
	/* Root of the initial namespace has everything everywhere (through pE). */
	cr_assert(pm_cred_ns_capable(w.init, chain[31]->user_ns, PM_CAP_SETUID));
	while (n > 0)
		pm_cred_abort(chain[--n]);
	world_fini(&w);
}

PM_TEST(caps, capset_rules)
{
	struct world w;

	world_init(&w);
	set_creds(&w.self, 1000, 1000, 1000, 1000, CAP(KILL) | CAP(NET_RAW), CAP(KILL), 0);
	/* pP may not grow; pE within the new pP; pI within pI|pP without CAP_SETPCAP. */
	cr_assert_eq(pm_cred_capset(&w.self, 0, CAP(KILL) | CAP(CHOWN), 0), -PM_EPERM);
	cr_assert_eq(pm_cred_capset(&w.self, CAP(NET_RAW), CAP(KILL), 0), -PM_EPERM);
	cr_assert_eq(pm_cred_capset(&w.self, 0, CAP(KILL), CAP(CHOWN)), -PM_EPERM);
	cr_assert_eq(pm_cred_capset(&w.self, CAP(NET_RAW), CAP(KILL) | CAP(NET_RAW), CAP(NET_RAW)),
	             0);
	cr_assert_eq(cur(&w)->cap_inheritable, CAP(NET_RAW));
	cr_assert_eq(cur(&w)->cap_effective, CAP(NET_RAW));
	/* With CAP_SETPCAP pI may take anything in the bounding set, but only that. */
	set_creds(&w.self, 1000, 1000, 1000, 1000, CAP(SETPCAP), CAP(SETPCAP), 0);
	cr_assert_eq(pm_cred_capset(&w.self, CAP(SETPCAP), CAP(SETPCAP), CAP(SYS_ADMIN)), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_DROP, PM_CAP_SYS_TIME, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_capset(&w.self, CAP(SETPCAP), CAP(SETPCAP), CAP(SYS_TIME)), -PM_EPERM);
	/* Bits past the last capability are ignored. */
	cr_assert_eq(pm_cred_capset(&w.self, 0, CAP(SETPCAP) | (1ull << 50), 0), 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(SETPCAP));
	world_fini(&w);
}

PM_TEST(caps, capset_trims_ambient)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(
	    pm_cred_capset(&w.self, PM_CAP_FULL_SET, PM_CAP_FULL_SET, CAP(NET_RAW) | CAP(KILL)), 0);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, PM_CAP_KILL, 0, 0),
	    0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE,
	                           PM_CAP_NET_RAW, 0, 0),
	             0);
	cr_assert_eq(pm_cred_capset(&w.self, PM_CAP_FULL_SET, PM_CAP_FULL_SET, CAP(NET_RAW)), 0);
	cr_assert_eq(cur(&w)->cap_ambient, CAP(NET_RAW), "pA stays within pP & pI");
	world_fini(&w);
}

/* capget/capset through user memory, with Linux 6.18's answers to bad headers. */
PM_TEST(caps, capget_capset_user_memory)
{
	struct world w;
	struct pm_hal_as *as = pm_host_as_create(false);
	pm_uaddr_t u;
	struct pm_cap_user_header *h;
	struct pm_cap_user_data *d;
	int32_t pid;
	unsigned int nd;

	world_init(&w);
	pm_host_as_set_current(as);
	cr_assert_eq(pm_host_as_map_anywhere(as, 4096, PM_PROT_READ | PM_PROT_WRITE, &u), 0);
	h = pm_host_as_ptr(as, u, 64);
	d = pm_host_as_ptr(as, u + 16, 24);
	/* A bad version with data: EINVAL and the preferred version written back. */
	h->version = 0x1234;
	cr_assert_eq(pm_cred_capget_begin(u, u + 16, &pid, &nd), -PM_EINVAL);
	cr_assert_eq(h->version, PM_LINUX_CAPABILITY_VERSION_3);
	/* Probing with a NULL data pointer succeeds. */
	h->version = 0x1234;
	cr_assert_eq(pm_cred_capget_begin(u, 0, &pid, &nd), 0);
	cr_assert_eq(h->version, PM_LINUX_CAPABILITY_VERSION_3);
	h->pid = -1;
	cr_assert_eq(pm_cred_capget_begin(u, u + 16, &pid, &nd), -PM_EINVAL, "negative pid");
	h->pid = 0;
	cr_assert_eq(pm_cred_capget_begin(u, u + 16, &pid, &nd), 1);
	cr_assert_eq(nd, 2);
	cr_assert_eq(pm_cred_capget_finish(cur(&w), u + 16, nd), 0);
	cr_assert_eq(d[0].effective, 0xffffffffu);
	cr_assert_eq(d[1].permitted, 0x1ffu, "capabilities 32..40 in the high word");
	h->version = PM_LINUX_CAPABILITY_VERSION_1;
	cr_assert_eq(pm_cred_capget_begin(u, u + 16, &pid, &nd), 1);
	cr_assert_eq(nd, 1, "version 1 copies one record");
	cr_assert_eq(pm_cred_capget_begin(u + 4096 - 2, u + 16, &pid, &nd), -PM_EFAULT);
	cr_assert_eq(pm_cred_capget_finish(cur(&w), u + 4096 - 12, 2), -PM_EFAULT);
	/* capset may only target the caller. */
	h->version = PM_LINUX_CAPABILITY_VERSION_3;
	h->pid = 77;
	cr_assert_eq(pm_cred_capset_user(&w.self, 5, u, u + 16), -PM_EPERM);
	h->pid = 5;
	memset(d, 0, 24);
	d[0].permitted = d[0].effective = CAP(KILL);
	cr_assert_eq(pm_cred_capset_user(&w.self, 5, u, u + 16), 0);
	cr_assert_eq(cur(&w)->cap_permitted, CAP(KILL));
	h->version = 7;
	cr_assert_eq(pm_cred_capset_user(&w.self, 5, u, u + 16), -PM_EINVAL);
	h->version = PM_LINUX_CAPABILITY_VERSION_3;
	h->pid = 0;
	cr_assert_eq(pm_cred_capset_user(&w.self, 9, u, u + 4096 - 4), -PM_EFAULT);
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
	world_fini(&w);
}

PM_TEST(caps, bounding_set_read_and_drop)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_READ, 40, 0, 0, 0), 1);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_READ, 41, 0, 0, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_DROP, 99, 0, 0, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_DROP, PM_CAP_NET_RAW, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_READ, PM_CAP_NET_RAW, 0, 0, 0), 0);
	cr_assert(pm_cap_raised(cur(&w)->cap_permitted, PM_CAP_NET_RAW), "pP is not touched");
	become_user(&w, 1000);
	/* Without CAP_SETPCAP: EPERM, even before the capability number is checked. */
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_DROP, 99, 0, 0, 0), -PM_EPERM);
	world_fini(&w);
}

PM_TEST(caps, ambient_rules)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, 99, 0, 0),
	             -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, 1, 0, 0),
	             -PM_EPERM, "not inheritable");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, 9, 1, 0, 0), -PM_EINVAL);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0),
	    -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_IS_SET, 1, 1, 0),
	             -PM_EINVAL);
	cr_assert_eq(pm_cred_capset(&w.self, PM_CAP_FULL_SET, PM_CAP_FULL_SET, CAP(SETUID)), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, 7, 0, 0),
	             0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_IS_SET, 7, 0, 0),
	             1);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_LOWER, 7, 0, 0),
	             0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_IS_SET, 7, 0, 0),
	             0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, 7, 0, 0),
	             0);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), 0);
	cr_assert_eq(cur(&w)->cap_ambient, 0);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, PM_SECBIT_NO_CAP_AMBIENT_RAISE, 0, 0, 0),
	    0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_RAISE, 7, 0, 0),
	             -PM_EPERM, "SECURE_NO_CAP_AMBIENT_RAISE");
	world_fini(&w);
}

/* PR_SET_SECUREBITS on Linux 6.18: locks, unknown bits, and the unprivileged exec bits. */
PM_TEST(caps, securebits)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(PM_SECURE_ALL_BITS, 0x555u);
	cr_assert_eq(PM_SECURE_ALL_LOCKS, 0xaaau);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x1000, 0, 0, 0), -PM_EPERM,
	             "unknown bit");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0, 0, 0, 0), 0,
	             "privileged no-op");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x30, 0, 0, 0), 0,
	             "keep-caps, locked");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 0, 0, 0, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x20, 0, 0, 0), -PM_EPERM,
	             "locked bit changed");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x10, 0, 0, 0), -PM_EPERM,
	             "unlocking");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_SECUREBITS, 0, 0, 0, 0), 0x30);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);
	/* Without CAP_SETPCAP only bits 8-11 may change, and a no-op is refused. */
	world_fini(&w);
	world_init(&w);
	become_user(&w, 1000);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0, 0, 0, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x100, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x500, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x10, 0, 0, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x300, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_SECUREBITS, 0x200, 0, 0, 0), -PM_EPERM);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_SECUREBITS, 0, 0, 0, 0), 0x300);
	world_fini(&w);
}

PM_TEST(caps, keepcaps_and_no_new_privs)
{
	struct world w;

	world_init(&w);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 2, 0, 0, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), -PM_EINVAL);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0, "stays set");
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	cr_assert_eq(pm_cred_prctl(&w.self, 9999, 0, 0, 0, 0), -PM_ENOSYS, "not ours");
	world_fini(&w);
}

PM_TEST(caps, prctl_and_capset_fault_injection)
{
	struct world w;

	world_init(&w);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_CAPBSET_DROP, 3, 0, 0, 0), -PM_ENOMEM);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_KEEPCAPS, 1, 0, 0, 0), -PM_ENOMEM);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_prctl(&w.self, PM_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), -PM_ENOMEM);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(
	    pm_cred_prctl(&w.self, PM_PR_CAP_AMBIENT, PM_PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0),
	    -PM_ENOMEM);
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(pm_cred_capset(&w.self, 0, 0, 0), -PM_ENOMEM);
	pm_host_fault_reset();
	cr_assert_eq(cur(&w), w.init, "nothing was committed");
	world_fini(&w);
}
