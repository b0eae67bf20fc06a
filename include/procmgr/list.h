/* SPDX-License-Identifier: MIT */
/**
 * @file list.h
 * @brief Intrusive circular doubly-linked lists (the shape of Linux's
 *        include/linux/list.h).
 *
 * The node lives inside the owner's struct; pm_list_entry() gets back to the
 * owner. No allocation, no locking: the owner's lock protects the list.
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_LIST_H
#define PROCMGR_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "procmgr/types.h"

/** @addtogroup pm_core
 * @{
 */

/** A list head or a node; an empty head points to itself. */
struct pm_list {
	struct pm_list *next; /**< next node, or the head */
	struct pm_list *prev; /**< previous node, or the head */
};

/** Static initialiser of an empty list head named @p name. */
#define PM_LIST_INIT(name)       \
	{                        \
		&(name), &(name) \
	}

/**
 * @brief Make @p head an empty list (or @p head a detached node).
 * @param head  the head or node to initialise.
 */
static inline void pm_list_init(struct pm_list *head)
{
	head->next = head;
	head->prev = head;
}

/**
 * @brief Is the list empty (or the node detached)?
 * @param head  a head initialised by pm_list_init().
 * @return true when @p head has no nodes.
 */
static inline bool pm_list_empty(const struct pm_list *head)
{
	return head->next == head;
}

/**
 * @brief Internal: link @p node between @p prev and @p next.
 * @param node  a detached node.
 * @param prev  the node that will precede it.
 * @param next  the node that will follow it.
 */
static inline void pm_list_insert_(struct pm_list *node, struct pm_list *prev, struct pm_list *next)
{
	next->prev = node;
	node->next = next;
	node->prev = prev;
	prev->next = node;
}

/**
 * @brief Insert @p node right after @p head (at the front).
 * @param node  a detached node.
 * @param head  the list head.
 */
static inline void pm_list_add(struct pm_list *node, struct pm_list *head)
{
	pm_list_insert_(node, head, head->next);
}

/**
 * @brief Insert @p node right before @p head (at the back).
 * @param node  a detached node.
 * @param head  the list head.
 */
static inline void pm_list_add_tail(struct pm_list *node, struct pm_list *head)
{
	pm_list_insert_(node, head->prev, head);
}

/**
 * @brief Unlink @p node and leave it detached (pointing to itself), so a
 *        second pm_list_del() is harmless.
 * @param node  a node on some list, or detached.
 */
static inline void pm_list_del(struct pm_list *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	pm_list_init(node);
}

/** The struct of type @p type that embeds @p node as @p member. */
#define pm_list_entry(node, type, member) pm_container_of(node, type, member)

/** Iterate @p pos over the nodes of @p head. The body must not unlink @p pos. */
#define pm_list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/** Iterate @p pos over @p head while the body may unlink @p pos; @p tmp is scratch. */
#define pm_list_for_each_safe(pos, tmp, head)                            \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

/** @} */

#endif /* PROCMGR_LIST_H */
