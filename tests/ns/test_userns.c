/* SPDX-License-Identifier: MIT */
/*
 * User namespaces (kernel/user_namespace.c): uid_map text parsing with the
 * answers Linux 6.18 gives to the same writes, who may write what
 * (new_idmap_permitted, verify_root_map), the setgroups switch, and id
 * translation through nested maps.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../cred/cred_test.h"

TestSuite(userns, .init = pm_test_setup);

static int parse(const char *s, size_t len)
{
	struct pm_uid_gid_extent e[PM_UID_GID_MAP_MAX_EXTENTS];
	size_t n;

	return pm_userns_parse_map(s, len, e, &n);
}

#define P(lit) parse(lit, sizeof(lit) - 1)

/* Each of these was written to /proc/PID/uid_map of a fresh namespace on Linux 6.18. */
PM_TEST(userns, parse_matches_linux)
{
	struct pm_uid_gid_extent e[PM_UID_GID_MAP_MAX_EXTENTS];
	size_t n;

	cr_assert_eq(P("0 0 1"), 0);
	cr_assert_eq(P("0 0 1\n"), 0);
	cr_assert_eq(P("0 0 1\n\n"), -PM_EINVAL, "an empty line");
	cr_assert_eq(P(" 0 0 1 "), 0);
	cr_assert_eq(P("0\t0\t1"), 0);
	cr_assert_eq(P("0\xa0"
	               "0\xa0"
	               "1"),
	             0, "the kernel's isspace includes 0xA0");
	cr_assert_eq(P("0 0 0"), -PM_EINVAL, "count 0");
	cr_assert_eq(P("4294967295 0 1"), -PM_EINVAL);
	cr_assert_eq(P("0 4294967295 1"), -PM_EINVAL);
	cr_assert_eq(P("0 0 4294967295"), 0);
	cr_assert_eq(P("1 0 4294967295"), -PM_EINVAL, "wraps");
	cr_assert_eq(P("0 0 1\0garbage"), 0, "the text ends at a NUL");
	cr_assert_eq(P("0 0 1 x"), -PM_EINVAL);
	cr_assert_eq(P("0 0"), -PM_EINVAL);
	cr_assert_eq(P("0 0 1x"), -PM_EINVAL);
	cr_assert_eq(P("+0 0 1"), -PM_EINVAL);
	cr_assert_eq(P("-1 0 1"), -PM_EINVAL);
	cr_assert_eq(P("0x10 0 1"), -PM_EINVAL);
	cr_assert_eq(P("0 0 1\r"), 0);
	cr_assert_eq(P("0 0 1\n\t"), -PM_EINVAL);
	cr_assert_eq(P(""), -PM_EINVAL);
	cr_assert_eq(P("\n"), -PM_EINVAL);
	cr_assert_eq(P("0 0 1\n1 1 1"), 0);
	cr_assert_eq(P("0 0 2\n1 5 1"), -PM_EINVAL, "inside ranges overlap");
	cr_assert_eq(P("0 0 1\n5 0 1"), -PM_EINVAL, "outside ranges overlap");
	/* Numbers wrap like simple_strtoul stored in a u32 (Linux accepts these as 0). */
	cr_assert_eq(pm_userns_parse_map("4294967296 0 1", 14, e, &n), 0);
	cr_assert_eq(e[0].first, 0);
	cr_assert_eq(pm_userns_parse_map("18446744073709551616 0 1", 24, e, &n), 0);
	cr_assert_eq(e[0].first, 0);
	cr_assert_eq(pm_userns_parse_map("010 0 1", 7, e, &n), 0);
	cr_assert_eq(e[0].first, 10, "decimal even with a leading zero");
	cr_assert_eq(parse("0 0 1", PM_PAGE_SIZE), -PM_EINVAL, "a page or more");
}

static char *lines(unsigned int n, const char *tail)
{
	char *buf = malloc(n * 24 + 32), *p = buf;

	for (unsigned int i = 0; i < n; i++)
		p += sprintf(p, "%u %u 1\n", i * 2, i * 3);
	strcpy(p, tail);
	return buf;
}

PM_TEST(userns, at_most_340_extents)
{
	char *t = lines(340, "");

	cr_assert_eq(parse(t, strlen(t)), 0);
	free(t);
	t = lines(340, "1000 2000 1");
	cr_assert_eq(parse(t, strlen(t)), -PM_EINVAL, "a 341st line");
	free(t);
}

/* A tree: root, a child owned by uid 1000, maps written by the child itself (unprivileged). */
struct tree {
	struct world w;
	struct pm_cred_slot child;
	struct pm_userns *ns;
};

static void tree_init(struct tree *t)
{
	world_init(&t->w);
	become_user(&t->w, 1000);
	cr_assert_eq(pm_cred_clone(&t->child, &t->w.self, PM_CLONE_NEWUSER, &t->w.rlim, false), 0);
	t->ns = t->child.cred->user_ns;
}

static void tree_fini(struct tree *t)
{
	pm_cred_slot_destroy(&t->child);
	world_fini(&t->w);
}

#define WRITE(ns, kind, lit, opener, writer) \
	pm_userns_write_map(ns, kind, lit, sizeof(lit) - 1, 0, opener, writer)

PM_TEST(userns, unprivileged_maps_only_itself)
{
	struct tree t;
	const struct pm_cred *c;

	tree_init(&t);
	c = t.child.cred;
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1001 1", c, c), -PM_EPERM, "someone else");
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 2", c, c), -PM_EPERM,
	             "more than itself");
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 1", c, c), 0);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 1", c, c), -PM_EPERM, "written once");
	cr_assert_eq(WRITE(t.ns, PM_USERNS_GID_MAP, "0 1000 1", c, c), -PM_EPERM,
	             "gid: setgroups must be denied first");
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "deny", 4, 0), 0);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_GID_MAP, "0 1000 1", c, c), 0);
	cr_assert_eq(pm_userns_make_kuid(t.ns, 0), 1000);
	cr_assert_eq(pm_userns_from_kuid(t.ns, 1000), 0);
	cr_assert_eq(pm_userns_from_kuid_munged(t.ns, 0), 65534);
	cr_assert_eq(pm_userns_make_kgid(t.ns, 0), 1000);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_PROJID_MAP, "0 0 100", c, c), 0, "projid needs no caps");
	tree_fini(&t);
}

PM_TEST(userns, who_may_write)
{
	struct tree t;
	struct pm_cred_slot other;
	const struct pm_cred *c;

	tree_init(&t);
	c = t.child.cred;
	cr_assert_eq(WRITE(&t.w.root, PM_USERNS_UID_MAP, "0 0 1", t.w.init, t.w.init), -PM_EPERM,
	             "the initial namespace");
	/* An opener in an unrelated namespace (a sibling). */
	cr_assert_eq(pm_cred_clone(&other, &t.w.self, PM_CLONE_NEWUSER, &t.w.rlim, false), 0);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 1", other.cred, other.cred), -PM_EPERM);
	cr_assert_eq(pm_userns_write_map(t.ns, PM_USERNS_UID_MAP, "0 1000 1", 8, 1, c, c),
	             -PM_EINVAL, "offset");
	/* The parent's user 1000 (owner) may write it too, for itself. */
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 1", cur(&t.w), cur(&t.w)), 0);
	/* Root of the parent may map anything the parent has. */
	cr_assert_eq(
	    WRITE(other.cred->user_ns, PM_USERNS_UID_MAP, "0 100000 65536", t.w.init, t.w.init), 0);
	pm_cred_slot_destroy(&other);
	tree_fini(&t);
}

/* verify_root_map: mapping the parent's uid 0 needs CAP_SETFCAP (Linux 5.12+). */
PM_TEST(userns, mapping_root_needs_setfcap)
{
	struct world w;
	struct pm_cred_slot a, b;

	world_init(&w);
	/* Created by root without CAP_SETFCAP in its effective set. */
	set_creds(&w.self, 0, 0, 0, 0, PM_CAP_FULL_SET, PM_CAP_FULL_SET & ~CAP(SETFCAP), 0);
	cr_assert_eq(pm_cred_clone(&a, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_not(a.cred->user_ns->parent_could_setfcap);
	cr_assert_eq(WRITE(a.cred->user_ns, PM_USERNS_UID_MAP, "0 0 1", a.cred, a.cred), -PM_EPERM);
	cr_assert_eq(WRITE(a.cred->user_ns, PM_USERNS_UID_MAP, "0 0 1", cur(&w), cur(&w)),
	             -PM_EPERM, "the parent-side opener lacks CAP_SETFCAP too");
	cr_assert_eq(WRITE(a.cred->user_ns, PM_USERNS_UID_MAP, "0 0 1", w.init, w.init), 0);
	/* With CAP_SETFCAP at creation, the namespace may map root itself. */
	set_creds(&w.self, 0, 0, 0, 0, PM_CAP_FULL_SET, PM_CAP_FULL_SET, 0);
	cr_assert_eq(pm_cred_clone(&b, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	cr_assert_eq(WRITE(b.cred->user_ns, PM_USERNS_UID_MAP, "0 0 1", b.cred, b.cred), 0);
	pm_cred_slot_destroy(&a);
	pm_cred_slot_destroy(&b);
	world_fini(&w);
}

PM_TEST(userns, outside_ids_must_be_mapped_in_the_parent)
{
	struct tree t;
	struct pm_cred_slot grand;

	tree_init(&t);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 1", t.child.cred, t.child.cred), 0);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, t.child.cred, "deny", 4, 0), 0);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_GID_MAP, "0 1000 1", t.child.cred, t.child.cred), 0);
	cr_assert_eq(pm_cred_clone(&grand, &t.child, PM_CLONE_NEWUSER, &t.w.rlim, false), 0);
	/* The child's root (global 1000) writes its child's map: only its own id 0 exists. */
	cr_assert_eq(
	    WRITE(grand.cred->user_ns, PM_USERNS_UID_MAP, "0 0 2", t.child.cred, t.child.cred),
	    -PM_EPERM, "id 1 is not mapped in the parent");
	cr_assert_eq(
	    WRITE(grand.cred->user_ns, PM_USERNS_UID_MAP, "5 0 1", t.child.cred, t.child.cred), 0);
	cr_assert_eq(pm_userns_make_kuid(grand.cred->user_ns, 5), 1000, "composed: 5 -> 0 -> 1000");
	cr_assert_eq(pm_userns_from_kuid(grand.cred->user_ns, 1000), 5);
	pm_cred_slot_destroy(&grand);
	tree_fini(&t);
}

PM_TEST(userns, setgroups_switch)
{
	struct tree t;
	const struct pm_cred *c;

	tree_init(&t);
	c = t.child.cred;
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "deny\n", 5, 0), 0);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "allow", 5, 0), -PM_EPERM,
	             "denied for good");
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "  deny", 6, 0), -PM_EINVAL);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "denyx", 5, 0), -PM_EINVAL);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "allow   ", 8, 0), -PM_EINVAL, "8 bytes");
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "deny\0zz", 7, 0), 0);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, c, "deny", 4, 3), -PM_EINVAL);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, cur(&t.w), "deny", 4, 0), 0,
	             "the owner outside");
	tree_fini(&t);
	tree_init(&t);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_GID_MAP, "0 0 5", t.w.init, t.w.init), 0);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, t.child.cred, "deny", 4, 0), -PM_EPERM,
	             "gid_map written: too late");
	cr_assert_eq(pm_userns_write_setgroups(t.ns, t.child.cred, "allow", 5, 0), 0);
	cr_assert(pm_userns_may_setgroups(t.ns));
	become_user(&t.w, 1001);
	cr_assert_eq(pm_userns_write_setgroups(t.ns, cur(&t.w), "deny", 4, 0), -PM_EACCES,
	             "no CAP_SYS_ADMIN in the namespace: the open fails");
	tree_fini(&t);
}

PM_TEST(userns, many_extents_are_searched_by_bisection)
{
	struct world w;
	struct pm_cred_slot c;
	char *text = malloc(340 * 40), *p = text;
	struct pm_userns *ns;

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&c, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	ns = c.cred->user_ns;
	/* 340 extents in descending order (under a page): inside 2i, outside 1000 + 3(339 - i). */
	for (int i = 339; i >= 0; i--)
		p += sprintf(p, "%d %d 2\n", i * 2, 1000 + 3 * (339 - i));
	cr_assert_lt(strlen(text), PM_PAGE_SIZE);
	cr_assert_eq(
	    pm_userns_write_map(ns, PM_USERNS_UID_MAP, text, strlen(text), 0, w.init, w.init), 0);
	for (uint32_t id = 0; id < 680; id++) {
		uint32_t i = id / 2, k = 1000 + 3 * (339 - i) + id % 2;

		cr_assert_eq(pm_userns_make_kuid(ns, id), k);
		cr_assert_eq(pm_userns_from_kuid(ns, k), id);
	}
	cr_assert_eq(pm_userns_make_kuid(ns, 680), PM_UID_INVALID);
	cr_assert_eq(pm_userns_from_kuid(ns, 1002), PM_UID_INVALID, "between outside extents");
	cr_assert_eq(pm_userns_map_id_range_down(&ns->uid_map, 1, 2), UINT32_MAX,
	             "a range across two extents");
	cr_assert_eq(pm_userns_map_id_range_down(&ns->uid_map, 2, 2), 1000 + 3 * 338);
	free(text);
	pm_cred_slot_destroy(&c);
	world_fini(&w);
}

PM_TEST(userns, write_fault_injection)
{
	struct world w;
	struct pm_cred_slot c;
	char *text = lines(6, "");

	world_init(&w);
	cr_assert_eq(pm_cred_clone(&c, &w.self, PM_CLONE_NEWUSER, &w.rlim, false), 0);
	for (uint64_t i = 1;; i++) {
		int err;

		pm_host_fault_alloc_nth(i);
		err = pm_userns_write_map(c.cred->user_ns, PM_USERNS_UID_MAP, text, strlen(text), 0,
		                          w.init, w.init);
		pm_host_fault_reset();
		if (err == 0)
			break;
		cr_assert_eq(err, -PM_ENOMEM);
		cr_assert_eq(c.cred->user_ns->uid_map.nr_extents, 0, "still unwritten");
	}
	cr_assert_eq(c.cred->user_ns->uid_map.nr_extents, 6);
	free(text);
	pm_cred_slot_destroy(&c);
	world_fini(&w);
}

PM_TEST(userns, show_map_as_proc_prints_it)
{
	struct tree t;
	char buf[128];
	size_t len;

	tree_init(&t);
	cr_assert_eq(WRITE(t.ns, PM_USERNS_UID_MAP, "0 1000 1", t.child.cred, t.child.cred), 0);
	cr_assert_eq(pm_userns_show_map(t.ns, PM_USERNS_UID_MAP, t.ns, buf, sizeof(buf), &len), 0);
	buf[len] = 0;
	cr_assert_str_eq(buf, "         0       1000          1\n", "seen from inside: parent ids");
	cr_assert_eq(pm_userns_show_map(t.ns, PM_USERNS_UID_MAP, &t.w.root, buf, sizeof(buf), &len),
	             0);
	buf[len] = 0;
	cr_assert_str_eq(buf, "         0       1000          1\n");
	cr_assert_eq(pm_userns_show_map(t.ns, PM_USERNS_UID_MAP, t.ns, buf, 10, &len), -PM_ENOSPC);
	cr_assert_eq(
	    pm_userns_show_map(&t.w.root, PM_USERNS_UID_MAP, &t.w.root, buf, sizeof(buf), &len), 0);
	buf[len] = 0;
	cr_assert_str_eq(buf, "         0          0 4294967295\n", "the initial identity map");
	tree_fini(&t);
}

PM_TEST(userns, in_userns_and_references)
{
	struct tree t;

	tree_init(&t);
	cr_assert(pm_userns_in(&t.w.root, t.ns));
	cr_assert(pm_userns_in(t.ns, t.ns));
	cr_assert_not(pm_userns_in(t.ns, &t.w.root));
	cr_assert_eq(t.ns->root, &t.w.root);
	cr_assert_eq(pm_userns_get(t.ns), t.ns);
	pm_userns_put(t.ns);
	pm_userns_put(NULL);
	tree_fini(&t);
}
