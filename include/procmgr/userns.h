/* SPDX-License-Identifier: MIT */
/**
 * @file userns.h
 * @brief User namespaces: nesting, uid_map/gid_map/projid_map writes and
 *        id translation (Linux kernel/user_namespace.c).
 *
 * Ids stored in credentials and file attributes are *global* ids (Linux's
 * kuid_t/kgid_t): the ids of the initial namespace of a namespace tree.
 * A namespace maps the ids its processes see ("inside") to global ids
 * ("outside", after composing with every ancestor's map). An id with no
 * mapping reads as the overflow id 65534.
 *
 * Lifetime: the initial namespace is caller-owned (pm_userns_init_root).
 * Child namespaces are allocated by procmgr when a credential creates one
 * (clone or unshare with CLONE_NEWUSER, see cred.h) and are reference
 * counted: every credential, every child namespace and every per-user
 * counter in it holds a reference.
 *
 * Locking: translation (pm_userns_make_kuid() and friends) takes no lock
 * and never allocates: a map is written once and published with a release
 * store of its extent count. Map writes and the setgroups switch take the
 * namespace's PM_LOCK_CRED lock. The per-user counters of a namespace are
 * protected by its PM_LOCK_LEAF lock.
 *
 * @ingroup pm_cred
 */
#ifndef PROCMGR_USERNS_H
#define PROCMGR_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmgr/config.h"
#include "procmgr/types.h"
#include "procmgr/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_cred
 * @{
 */

/** Id reported for an id with no mapping (Linux overflowuid, kernel.overflowuid). */
#ifndef PM_OVERFLOWUID
#define PM_OVERFLOWUID 65534u
#endif
/** Group id reported for a group with no mapping (Linux overflowgid). */
#ifndef PM_OVERFLOWGID
#define PM_OVERFLOWGID 65534u
#endif

/** Extents kept inline in a map and searched linearly (UID_GID_MAP_MAX_BASE_EXTENTS). */
#define PM_UID_GID_MAP_MAX_BASE_EXTENTS 5

/** Buckets of a namespace's per-user counter table. */
#define PM_UCOUNTS_HASH_SIZE 32

/** One line of a map: [first, first + count) inside is [lower_first, ...) outside. */
struct pm_uid_gid_extent {
	uint32_t first;       /**< first id inside the namespace */
	uint32_t lower_first; /**< first global id it maps to (after parse: the parent's id) */
	uint32_t count;       /**< number of ids, >= 1 */
};

/**
 * An id map (Linux struct uid_gid_map). Empty until written; written once.
 * Up to 5 extents are kept inline and searched linearly; more are kept in
 * two allocated arrays sorted by inside and by outside id and searched by
 * bisection.
 */
struct pm_uid_gid_map {
	/** Number of extents; 0 = not written. Read with acquire ordering. */
	uint32_t nr_extents;
	/** The extents: inline, or the two sorted arrays. */
	union {
		/** Inline extents, when nr_extents <= 5. */
		struct pm_uid_gid_extent extent[PM_UID_GID_MAP_MAX_BASE_EXTENTS];
		/** Sorted arrays, when nr_extents > 5. */
		struct {
			struct pm_uid_gid_extent *forward; /**< sorted by first */
			struct pm_uid_gid_extent *reverse; /**< sorted by lower_first */
		} sorted;
	} u; /**< storage */
};

/** Per-user counter kinds limited per namespace (Linux enum ucount_type, the subset used). */
enum pm_ucount_type {
	PM_UCOUNT_USER_NAMESPACES = 0, /**< namespaces created by a user (max_user_namespaces) */
	PM_UCOUNT_COUNTS = 1           /**< number of kinds */
};

/** Per-user counters checked against resource limits (Linux enum rlimit_type). */
enum pm_ucount_rlimit_type {
	PM_UCOUNT_RLIMIT_NPROC = 0,      /**< tasks (threads) of the user: RLIMIT_NPROC */
	PM_UCOUNT_RLIMIT_SIGPENDING = 1, /**< queued signals of the user: RLIMIT_SIGPENDING */
	PM_UCOUNT_RLIMIT_COUNTS = 2      /**< number of kinds */
};

struct pm_ucounts;

/** pm_userns.flags: setgroups(2) may be allowed ("allow" in /proc/PID/setgroups). */
#define PM_USERNS_SETGROUPS_ALLOWED 0x1u

/**
 * A user namespace (Linux struct user_namespace). Caller-owned for the
 * initial namespace, allocated by procmgr for the others. Fields are
 * procmgr's; use the functions below.
 */
struct pm_userns {
	struct pm_uid_gid_map uid_map;    /**< uid_map (written once) */
	struct pm_uid_gid_map gid_map;    /**< gid_map (written once) */
	struct pm_uid_gid_map projid_map; /**< projid_map (written once) */
	struct pm_userns *parent;         /**< parent namespace, NULL for an initial one */
	struct pm_userns *root;           /**< the initial namespace of this tree */
	uint32_t level;                   /**< 0 for the initial namespace */
	uint32_t refcount;                /**< references (atomic) */
	pm_uid_t owner;                   /**< creator's euid (global) */
	pm_gid_t group;                   /**< creator's egid (global) */
	uint32_t flags;                   /**< PM_USERNS_* (atomic; under @c state_lock) */
	bool parent_could_setfcap;        /**< creator had CAP_SETFCAP in its effective set */
	/** Counters of (parent, owner) charged for this namespace; NULL for an initial one. */
	struct pm_ucounts *ucounts;
	/** Per-namespace limits of the PM_UCOUNT_* counters (Linux ucount_max). */
	int64_t ucount_max[PM_UCOUNT_COUNTS];
	/** Limits of the rlimit counters one level up (Linux rlimit_max). */
	int64_t rlimit_max[PM_UCOUNT_RLIMIT_COUNTS];
	pm_hal_lock_t state_lock;   /**< PM_LOCK_CRED: map writes and @c flags */
	pm_hal_lock_t ucounts_lock; /**< PM_LOCK_LEAF: @c ucounts_hash */
	/** Per-user counters of this namespace, hashed by global uid. */
	struct pm_ucounts *ucounts_hash[PM_UCOUNTS_HASH_SIZE];
};

/**
 * @brief Initialise @p ns as an initial ("init_user_ns") namespace: every
 *        id 0..4294967294 maps to itself, setgroups allowed, owner 0.
 *
 * @param ns           caller-owned storage.
 * @param max_threads  the kernel's thread limit (Linux max_threads); the
 *                     initial namespace allows max_threads / 2 nested user
 *                     namespaces per user (user.max_user_namespaces), as
 *                     Linux's fork_init sets. 0 means no limit.
 *
 * **Locking**: none; @p ns is not shared yet. Source: kernel/user.c
 * init_user_ns, kernel/fork.c fork_init.
 */
void pm_userns_init_root(struct pm_userns *ns, uint64_t max_threads);

/**
 * @brief Tear down an initial namespace set up by pm_userns_init_root().
 *
 * @param ns  the namespace. Every credential and child namespace that
 *            referred to it must have been released (a procmgr assertion
 *            checks the reference count).
 *
 * **Locking**: none.
 */
void pm_userns_destroy_root(struct pm_userns *ns);

/**
 * @brief Take a reference to @p ns (Linux get_user_ns).
 * @param ns  a namespace with at least one reference.
 * @return @p ns.
 *
 * **Locking**: none (atomic).
 */
struct pm_userns *pm_userns_get(const struct pm_userns *ns);

/**
 * @brief Drop a reference to @p ns; the last one frees a child namespace
 *        and drops its reference to the parent (Linux put_user_ns).
 * @param ns  a namespace, or NULL (nothing happens).
 *
 * **Locking**: takes no procmgr lock except PM_LOCK_LEAF of ancestor
 * namespaces while releasing their counters; may be called with locks of
 * lower classes held.
 */
void pm_userns_put(const struct pm_userns *ns);

/**
 * @brief Is @p child the namespace @p ancestor or one of its descendants
 *        (Linux in_userns)?
 * @param ancestor  the candidate ancestor.
 * @param child     the namespace to test.
 * @return true if so. O(level difference). Lock-free.
 */
bool pm_userns_in(const struct pm_userns *ancestor, const struct pm_userns *child);

/** @name Id translation (Linux make_kuid, from_kuid, from_kuid_munged, ...)
 * All lock-free and allocation-free; O(log n) in the number of extents
 * (linear for up to five).
 * @{
 */

/**
 * @brief Global uid of @p uid as seen in @p ns (Linux make_kuid).
 * @param ns   the namespace.
 * @param uid  a uid inside @p ns.
 * @return the global uid, or PM_UID_INVALID if @p uid is not mapped.
 */
pm_uid_t pm_userns_make_kuid(const struct pm_userns *ns, pm_uid_t uid);

/**
 * @brief The uid @p ns sees for global uid @p kuid (Linux from_kuid).
 * @param ns    the namespace.
 * @param kuid  a global uid.
 * @return the uid inside @p ns, or PM_UID_INVALID if not mapped.
 */
pm_uid_t pm_userns_from_kuid(const struct pm_userns *ns, pm_uid_t kuid);

/**
 * @brief As pm_userns_from_kuid(), but an unmapped id reads as
 *        PM_OVERFLOWUID (Linux from_kuid_munged).
 * @param ns    the namespace.
 * @param kuid  a global uid.
 * @return the uid inside @p ns, or 65534.
 */
pm_uid_t pm_userns_from_kuid_munged(const struct pm_userns *ns, pm_uid_t kuid);

/**
 * @brief Global gid of @p gid as seen in @p ns (Linux make_kgid).
 * @param ns   the namespace.
 * @param gid  a gid inside @p ns.
 * @return the global gid, or PM_GID_INVALID if not mapped.
 */
pm_gid_t pm_userns_make_kgid(const struct pm_userns *ns, pm_gid_t gid);

/**
 * @brief The gid @p ns sees for global gid @p kgid (Linux from_kgid).
 * @param ns    the namespace.
 * @param kgid  a global gid.
 * @return the gid inside @p ns, or PM_GID_INVALID if not mapped.
 */
pm_gid_t pm_userns_from_kgid(const struct pm_userns *ns, pm_gid_t kgid);

/**
 * @brief As pm_userns_from_kgid(), unmapped reads as PM_OVERFLOWGID.
 * @param ns    the namespace.
 * @param kgid  a global gid.
 * @return the gid inside @p ns, or 65534.
 */
pm_gid_t pm_userns_from_kgid_munged(const struct pm_userns *ns, pm_gid_t kgid);

/**
 * @brief Does global uid @p kuid have a mapping in @p ns (kuid_has_mapping)?
 * @param ns    the namespace.
 * @param kuid  a global uid.
 * @return true if mapped.
 */
bool pm_userns_kuid_has_mapping(const struct pm_userns *ns, pm_uid_t kuid);

/**
 * @brief Does global gid @p kgid have a mapping in @p ns (kgid_has_mapping)?
 * @param ns    the namespace.
 * @param kgid  a global gid.
 * @return true if mapped.
 */
bool pm_userns_kgid_has_mapping(const struct pm_userns *ns, pm_gid_t kgid);

/**
 * @brief Translate the range [id, id + count) down through @p map
 *        (Linux map_id_range_down): the whole range must lie in one extent.
 * @param map    a map (possibly unwritten: then nothing is mapped).
 * @param id     first id inside.
 * @param count  number of ids, >= 1.
 * @return the outside id of @p id, or (uint32_t)-1.
 */
uint32_t pm_userns_map_id_range_down(const struct pm_uid_gid_map *map, uint32_t id, uint32_t count);

/**
 * @brief Translate outside id @p id up through @p map (Linux map_id_up).
 * @param map  a map.
 * @param id   outside id.
 * @return the inside id, or (uint32_t)-1.
 */
uint32_t pm_userns_map_id_up(const struct pm_uid_gid_map *map, uint32_t id);

/** @} */

/** @name Map writes (/proc/PID/uid_map, gid_map, projid_map, setgroups)
 * @{
 */

/** Which map a write targets. */
enum pm_userns_map_kind {
	PM_USERNS_UID_MAP = 0,    /**< uid_map: needs CAP_SETUID over the parent */
	PM_USERNS_GID_MAP = 1,    /**< gid_map: needs CAP_SETGID over the parent */
	PM_USERNS_PROJID_MAP = 2, /**< projid_map: needs no capability */
};

/**
 * @brief Parse map text as written to /proc/PID/uid_map (the parsing half
 *        of Linux map_write), without permission checks.
 *
 * Each line is "ID-inside ID-outside COUNT" separated by white space
 * (the kernel's isspace, which includes 0xA0); leading and trailing white
 * space is allowed, numbers are decimal digits only (no sign; values wrap
 * modulo 2^32 like the kernel's simple_strtoul assigned to u32). One final
 * newline may end the text; the text ends at its first NUL byte.
 *
 * @param text  the bytes written; need not be NUL-terminated.
 * @param len   their number; must be below the page size.
 * @param out   receives up to PM_UID_GID_MAP_MAX_EXTENTS extents in the
 *              order written (lower_first still a parent-namespace id).
 * @param nr    receives the number of extents (>= 1 on success).
 * @return 0; -PM_EINVAL for a length of PM_PAGE_SIZE or more, an empty
 *         map, a malformed or empty line, trailing junk, a first id of
 *         4294967295 on either side, a count of 0 or one that wraps, an
 *         extent overlapping an earlier one on either side, or more than
 *         PM_UID_GID_MAP_MAX_EXTENTS lines. @p out and @p nr are undefined
 *         on failure.
 *
 * Pure; no lock, no allocation. Source: kernel/user_namespace.c map_write,
 * mappings_overlap.
 */
int pm_userns_parse_map(const char *text, size_t len, struct pm_uid_gid_extent *out, size_t *nr);

struct pm_cred;

/**
 * @brief Write a map of @p ns, as a write of @p len bytes at file offset
 *        @p offset to /proc/PID/{uid,gid,projid}_map does (Linux
 *        proc_uid_map_write and map_write).
 *
 * @param ns      the namespace whose map is written (PID's namespace).
 * @param kind    which map.
 * @param text    the bytes written (kernel memory).
 * @param len     number of bytes.
 * @param offset  file offset of the write, in bytes.
 * @param opener  credentials of the task that opened the file (f_cred).
 * @param writer  credentials of the task writing now (current).
 * @return 0 on success (the write consumed all @p len bytes);
 *         -PM_EPERM if @p ns is an initial namespace, the opener's
 *         namespace is neither @p ns nor its parent, the map was already
 *         written, the opener lacks CAP_SYS_ADMIN in @p ns (uid and gid
 *         maps), the mapping is not permitted (new_idmap_permitted: one
 *         extent of one id mapping the opener's own euid/egid, the latter
 *         only after setgroups was denied; otherwise CAP_SETUID/CAP_SETGID
 *         over the parent for both writer and opener; mapping outside
 *         uid 0 needs CAP_SETFCAP as verify_root_map says), or an outside
 *         range is not mapped in the parent;
 *         -PM_EINVAL for an offset other than 0 or a parse error (see
 *         pm_userns_parse_map());
 *         -PM_ENOMEM if the sorted arrays of a map of more than five
 *         extents cannot be allocated.
 *         On failure the map stays unwritten.
 *
 * **Locking**: takes @p ns's PM_LOCK_CRED lock (after allocating).
 */
int pm_userns_write_map(struct pm_userns *ns, enum pm_userns_map_kind kind, const char *text,
                        size_t len, uint64_t offset, const struct pm_cred *opener,
                        const struct pm_cred *writer);

/**
 * @brief Write /proc/PID/setgroups (Linux proc_setgroups_open's permission
 *        check, then proc_setgroups_write).
 *
 * @param ns      the namespace.
 * @param opener  credentials of the task that opened the file for writing.
 * @param text    the bytes written: "allow" or "deny", optionally followed
 *                by white space; the text ends at its first NUL byte.
 * @param len     number of bytes; must be below 8.
 * @param offset  file offset; must be 0.
 * @return 0; -PM_EACCES if the opener lacks CAP_SYS_ADMIN in @p ns (Linux
 *         refuses the open); -PM_EINVAL for a bad offset, length or word;
 *         -PM_EPERM for "allow" after "deny", or "deny" after gid_map was
 *         written.
 *
 * **Locking**: takes @p ns's PM_LOCK_CRED lock.
 */
int pm_userns_write_setgroups(struct pm_userns *ns, const struct pm_cred *opener, const char *text,
                              size_t len, uint64_t offset);

/**
 * @brief May processes in @p ns call setgroups(2) (Linux
 *        userns_may_setgroups): gid_map written and setgroups "allow".
 * @param ns  the namespace.
 * @return true if so. Lock-free.
 */
bool pm_userns_may_setgroups(const struct pm_userns *ns);

/**
 * @brief Format map @p kind of @p ns as /proc/PID/uid_map shows it to a
 *        reader in namespace @p reader_ns (Linux uid_m_show): one line
 *        "%10u %10u %10u\n" per extent, outside ids relative to the
 *        reader's namespace (or the parent, when the reader is in @p ns).
 *
 * @param ns         the namespace whose map is shown.
 * @param kind       which map.
 * @param reader_ns  the namespace of the reader (the opener).
 * @param buf        destination.
 * @param size       bytes available at @p buf.
 * @param len        receives the bytes written (always <= @p size).
 * @return 0, or -PM_ENOSPC when @p buf is too small (33 bytes per extent).
 *
 * **Locking**: none.
 */
int pm_userns_show_map(const struct pm_userns *ns, enum pm_userns_map_kind kind,
                       const struct pm_userns *reader_ns, char *buf, size_t size, size_t *len);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_USERNS_H */
