/*
 * Credential hot paths: the permission check of a signal send, ns_capable
 * walking 1 and 32 namespace levels, in_group_p over 1 and 65536 groups,
 * map_id_down over 5 (linear) and 340 (bisection) extents, and a
 * credential change (prepare + commit, and the whole setresuid). None of
 * the checks allocates (the harness runs them under the hosted HAL's
 * counters; bench_cred prints the allocation count as a NOTE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_bench.h"
#include "procmgr/cred.h"
#include "procmgr/cred_check.h"
#include "procmgr/errno.h"
#include "procmgr/host.h"
#include "procmgr/rlimit.h"
#include "procmgr/userns.h"

struct ctx {
	const struct pm_cred *a, *b;
	const struct pm_userns *ns;
	pm_gid_t gid;
	struct pm_cred_slot *slot;
	const struct pm_rlimits *rlim;
};

static void kill_check(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		int r = pm_cred_kill_permission(c->a, c->b, 15, 0);

		pm_bench_keep(r);
	}
}

static void ns_capable(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		bool r = pm_cred_ns_capable(c->a, c->ns, PM_CAP_SYS_ADMIN);

		pm_bench_keep(r);
	}
}

static void in_group(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		bool r = pm_cred_in_group_p(c->a, c->gid + (pm_gid_t)(i & 1));

		pm_bench_keep(r);
	}
}

static void map_down(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		pm_uid_t k = pm_userns_make_kuid(c->ns, (pm_uid_t)((i * 7) % c->gid));

		pm_bench_keep(k);
	}
}

static void prepare_commit(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		struct pm_cred *n;

		if (pm_cred_prepare(pm_cred_slot_current(c->slot), &n))
			abort();
		n->cap_inheritable ^= 1;
		pm_cred_commit(c->slot, n);
	}
}

static void setresuid_change(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++) {
		pm_uid_t u = (pm_uid_t)(i & 1);

		if (pm_cred_setresuid(c->slot, c->rlim, u, -1u, -1u))
			abort();
	}
}

static void setresuid_noop(void *p, uint64_t iters)
{
	struct ctx *c = p;

	for (uint64_t i = 0; i < iters; i++)
		if (pm_cred_setresuid(c->slot, c->rlim, -1u, 0, -1u))
			abort();
}

/* A chain of @depth namespaces owned by uid 1000, each mapping 0..65535 to its parent's ids. */
static void make_chain(const struct pm_cred *base, const struct pm_rlimits *rl, int depth,
                       struct pm_cred **out)
{
	const struct pm_cred *prev = base;

	for (int i = 0; i < depth; i++) {
		if (pm_cred_prepare_userns(prev, rl, false, &out[i]) ||
		    pm_userns_write_map(out[i]->user_ns, PM_USERNS_UID_MAP, "1000 1000 1", 11, 0,
		                        out[i], out[i]) ||
		    pm_userns_write_setgroups(out[i]->user_ns, out[i], "deny", 4, 0) ||
		    pm_userns_write_map(out[i]->user_ns, PM_USERNS_GID_MAP, "1000 1000 1", 11, 0,
		                        out[i], out[i]))
			abort();
		prev = out[i];
	}
}

int main(void)
{
	static struct pm_userns root;
	struct pm_rlimits rl;
	struct pm_cred_slot slot, user;
	const struct pm_cred *init;
	struct pm_cred *chain[32], *other, *nsx;
	struct pm_host_stats before, after;
	struct ctx c;
	char *text = malloc(4096), *t = text;
	pm_gid_t *groups = malloc(65536 * sizeof(*groups));

	pm_userns_init_root(&root, 1u << 20);
	pm_rlimits_init(&rl, 1u << 20);
	if (pm_cred_init_root(&root, &init))
		abort();
	pm_cred_slot_init(&slot, init);
	pm_cred_slot_init(&user, init);
	if (pm_cred_setresgid(&user, 1000, 1000, 1000) ||
	    pm_cred_setresuid(&user, &rl, 1000, 1000, 1000))
		abort();
	make_chain(pm_cred_slot_current(&user), &rl, 32, chain);
	if (pm_cred_prepare(init, &other))
		abort();
	other->uid = other->euid = other->suid = other->fsuid = 2000;
	other->cap_effective = other->cap_permitted = 0;

	pm_host_stats_get(&before);
	/* The kill check a sender without CAP_KILL makes against another user: the slow path. */
	c.a = pm_cred_slot_current(&user);
	c.b = other;
	pm_bench_case("kill_permission_other_user_denied", 5000000, kill_check, &c);
	c.b = pm_cred_slot_current(&user);
	pm_bench_case("kill_permission_same_user", 5000000, kill_check, &c);
	/* Root of the initial namespace asking about namespaces 1 and 32 levels down. */
	c.a = init;
	c.ns = chain[0]->user_ns;
	pm_bench_case("ns_capable_depth_1", 5000000, ns_capable, &c);
	c.ns = chain[31]->user_ns;
	pm_bench_case("ns_capable_depth_32", 2000000, ns_capable, &c);
	pm_host_stats_get(&after);
	pm_bench_note("allocations during the check benchmarks: %llu",
	              (unsigned long long)(after.allocs - before.allocs));

	for (int i = 0; i < 65536; i++)
		groups[i] = (pm_gid_t)(i * 2 + 10);
	if (pm_cred_setgroups(&slot, 1, groups))
		abort();
	c.a = pm_cred_slot_current(&slot);
	c.gid = 10;
	pm_bench_case("in_group_p_1_group", 5000000, in_group, &c);
	if (pm_cred_setgroups(&slot, 65536, groups))
		abort();
	c.a = pm_cred_slot_current(&slot);
	c.gid = 70000;
	pm_bench_case("in_group_p_65536_groups", 5000000, in_group, &c);

	/* Maps of 5 and 340 extents of 5 ids each (the text stays under a page), written by root. */
	for (int k = 0; k < 2; k++) {
		int extents = k ? 340 : 5;

		if (pm_cred_prepare_userns(init, &rl, false, &nsx))
			abort();
		t = text;
		for (int i = 0; i < extents; i++)
			t += sprintf(t, "%d %d 5\n", i * 5, 2000 + i * 5);
		if (pm_userns_write_map(nsx->user_ns, PM_USERNS_UID_MAP, text, strlen(text), 0,
		                        init, init))
			abort();
		c.ns = nsx->user_ns;
		c.gid = (pm_gid_t)(extents * 5);
		pm_bench_case(k ? "map_id_down_340_extents" : "map_id_down_5_extents", 5000000,
		              map_down, &c);
		pm_cred_abort(nsx);
	}

	c.slot = &slot;
	c.rlim = &rl;
	pm_bench_case("cred_prepare_commit", 2000000, prepare_commit, &c);
	pm_bench_case("setresuid_ruid_change", 1000000, setresuid_change, &c);
	pm_bench_case("setresuid_noop", 5000000, setresuid_noop, &c);
	pm_bench_note("sizeof(struct pm_cred) = %zu, sizeof(struct pm_userns) = %zu bytes",
	              sizeof(struct pm_cred), sizeof(struct pm_userns));

	for (int i = 31; i >= 0; i--)
		pm_cred_abort(chain[i]);
	pm_cred_abort(other);
	pm_cred_slot_destroy(&slot);
	pm_cred_slot_destroy(&user);
	pm_cred_put(init);
	pm_rlimits_destroy(&rl);
	pm_userns_destroy_root(&root);
	free(text);
	free(groups);
	return 0;
}
