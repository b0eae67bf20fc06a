/* Intrusive lists (include/procmgr/list.h). */
#include "pm_test.h"
#include "procmgr/list.h"

TestSuite(list, .init = pm_test_setup);

struct item {
	int v;
	struct pm_list node;
};

static int collect(struct pm_list *head, int *out, int max)
{
	struct pm_list *pos;
	int n = 0;

	pm_list_for_each (pos, head) {
		if (n < max)
			out[n] = pm_list_entry(pos, struct item, node)->v;
		n++;
	}
	return n;
}

PM_TEST(list, add_front_back_and_order)
{
	struct pm_list head = PM_LIST_INIT(head);
	struct item a = {.v = 1}, b = {.v = 2}, c = {.v = 3};
	int got[4];

	cr_assert(pm_list_empty(&head));
	pm_list_add_tail(&a.node, &head);
	pm_list_add_tail(&b.node, &head);
	pm_list_add(&c.node, &head);
	cr_assert(!pm_list_empty(&head));
	cr_assert_eq(collect(&head, got, 4), 3);
	cr_assert_eq(got[0], 3);
	cr_assert_eq(got[1], 1);
	cr_assert_eq(got[2], 2);
}

PM_TEST(list, del_detaches_and_is_idempotent)
{
	struct pm_list head;
	struct item a = {.v = 1}, b = {.v = 2};
	int got[2];

	pm_list_init(&head);
	pm_list_add_tail(&a.node, &head);
	pm_list_add_tail(&b.node, &head);
	pm_list_del(&a.node);
	cr_assert(pm_list_empty(&a.node), "a deleted node points to itself");
	pm_list_del(&a.node);
	cr_assert_eq(collect(&head, got, 2), 1);
	cr_assert_eq(got[0], 2);
	pm_list_del(&b.node);
	cr_assert(pm_list_empty(&head));
}

PM_TEST(list, for_each_safe_allows_deletion)
{
	struct pm_list head, *pos, *tmp;
	struct item items[10];
	int got[10];

	pm_list_init(&head);
	for (int i = 0; i < 10; i++) {
		items[i].v = i;
		pm_list_add_tail(&items[i].node, &head);
	}
	pm_list_for_each_safe (pos, tmp, &head) {
		if (pm_list_entry(pos, struct item, node)->v % 2)
			pm_list_del(pos);
	}
	cr_assert_eq(collect(&head, got, 10), 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(got[i], 2 * i);
}
