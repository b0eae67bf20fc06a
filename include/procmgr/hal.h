/* SPDX-License-Identifier: MIT */
/**
 * @file hal.h
 * @brief The contract a kernel implements so procmgr can run on it.
 *
 * procmgr reaches its host kernel only through the `pm_hal_*` functions
 * declared here. They are plain extern functions bound at link time (no
 * weak symbols, no function-pointer table): a kernel provides every one of
 * them, even if only to return an error, and the link fails if one is
 * missing. docs/porting.md walks through them one by one; ports/host/ is a
 * complete implementation over POSIX; tests/conformance/ is a test any port
 * can run against its own implementation.
 *
 * Each function below says:
 *  - **Called by**: which part of procmgr calls it and why;
 *  - **Context**: whether it may sleep and which procmgr locks may be held;
 *  - **Returns**: what it must return, including on failure.
 *
 * General rules:
 *  - procmgr never calls pm_hal_alloc(), the user-memory, address-space or
 *    file functions while holding any of its locks. The kernel may sleep in
 *    them. Every other function may be called with procmgr locks held, from
 *    any context procmgr itself is called from, and must not sleep.
 *  - No HAL function may call back into procmgr.
 *  - Errors are negated PM_E* values (procmgr/errno.h); procmgr passes them
 *    on to its caller unchanged unless a function says otherwise.
 *
 * @ingroup pm_hal
 */
#ifndef PROCMGR_HAL_H
#define PROCMGR_HAL_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/config.h"
#include "procmgr/types.h"
#include "procmgr/mman.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_hal HAL: what a kernel implements
 * @brief Link-time contract between procmgr and its host kernel.
 * @{
 */

/* ======================================================================== */
/** @name Memory
 * Internal nodes (PID radix nodes, queued siginfo, VM areas, id-map extents)
 * come from here. Objects a kernel embeds (processes, threads) never do.
 * ports/host backs this with malloc; a kernel without a heap can back it
 * with pm_pool (procmgr/pool.h).
 * @{
 */

/**
 * @brief Allocate @p size bytes aligned to @p align.
 *
 * @param size   bytes wanted; never 0.
 * @param align  required alignment in bytes: a power of two, at most 4096.
 * @return the memory (contents undefined), or NULL when none is available.
 *
 * **Called by**: every module, in a preload step before it takes a lock.
 * **Context**: no procmgr lock held; may sleep.
 * **Returns**: NULL on failure; procmgr then returns -PM_ENOMEM and leaves
 * all state as it was.
 */
void *pm_hal_alloc(size_t size, size_t align);

/**
 * @brief Free memory from pm_hal_alloc().
 *
 * @param ptr   a pointer pm_hal_alloc() returned (never NULL).
 * @param size  the size passed to that pm_hal_alloc() call, in bytes (so a
 *              pool or slab allocator needs no header).
 *
 * **Called by**: every module, when a node is no longer referenced.
 * **Context**: may be called with procmgr locks held; must not sleep.
 */
void pm_hal_free(void *ptr, size_t size);

/** @} */

/* ======================================================================== */
/** @name Locks
 * procmgr embeds locks in its objects as opaque storage of
 * PM_HAL_LOCK_SIZE bytes (config.h) and asks the kernel to operate on them.
 * Each lock has a class; classes are always taken in increasing order (the
 * lock order of docs/architecture.md), and two locks of the same class are
 * only nested where the function taking them documents it.
 *
 * Interrupt rule: if a kernel calls procmgr from interrupt context (for
 * example it sends a signal from a timer interrupt), every lock class those
 * calls take (PM_LOCK_SIGHAND for signal generation, PM_LOCK_TABLE for
 * process-group or pid lookups) must be interrupt-safe: acquire disables
 * local interrupts and saves their previous state, release restores it. The
 * lock storage may hold that saved state, since only the holder touches it.
 * @{
 */

/** Opaque storage for one kernel lock, sized and aligned by config.h. */
typedef struct pm_hal_lock {
	/** The kernel's lock lives here; procmgr never reads or writes it. */
	alignas(PM_HAL_LOCK_ALIGN) unsigned char opaque[PM_HAL_LOCK_SIZE];
} pm_hal_lock_t;

/**
 * Lock classes, in lock order: a thread holding a lock of class C only
 * acquires locks of a class greater than C. The kernel may use the class to
 * pick an implementation (sleeping vs. spinning, interrupt-safe or not) and
 * to check the order, as the hosted port does.
 */
enum pm_lock_class {
	/** A process's VM-area set (like mmap_lock); held across pm_hal_as_*()
	 *  calls, so it must be a sleeping lock if those sleep. */
	PM_LOCK_VM = 1,
	/** The process table: pid maps, parent/child links, groups, sessions
	 *  (like tasklist_lock and pidmap_lock). */
	PM_LOCK_TABLE = 2,
	/** A signal-handler group: dispositions, pending queues, masks,
	 *  job-control state (like sighand->siglock). */
	PM_LOCK_SIGHAND = 3,
	/** Credential replacement and user-namespace id-map writes. */
	PM_LOCK_CRED = 4,
	/** Leaf locks of internal pools and counters; nothing nests inside. */
	PM_LOCK_LEAF = 5,
};

/**
 * @brief Initialise the lock stored in @p lock.
 *
 * @param lock  storage embedded in a procmgr object; not yet initialised.
 * @param cls   the lock's class (enum pm_lock_class).
 *
 * **Called by**: object init functions (pm_table_init, ...).
 * **Context**: no lock held on @p lock; must not sleep.
 */
void pm_hal_lock_init(pm_hal_lock_t *lock, enum pm_lock_class cls);

/**
 * @brief Destroy a lock initialised by pm_hal_lock_init(); it is not held.
 *
 * @param lock  the lock; its storage may be reused afterwards.
 *
 * **Called by**: object destroy functions. **Context**: must not sleep.
 */
void pm_hal_lock_destroy(pm_hal_lock_t *lock);

/**
 * @brief Acquire @p lock, waiting as long as needed.
 *
 * @param lock  an initialised lock not held by the calling thread.
 *
 * **Called by**: every module around its critical sections.
 * **Context**: other procmgr locks of lower classes may be held. May sleep
 * only for PM_LOCK_VM (see enum pm_lock_class). Locks are not recursive.
 */
void pm_hal_lock_acquire(pm_hal_lock_t *lock);

/**
 * @brief Release @p lock, held by the calling thread.
 *
 * @param lock  the lock to release. Locks are released in the reverse order
 *              of acquisition.
 *
 * **Context**: must not sleep.
 */
void pm_hal_lock_release(pm_hal_lock_t *lock);

/**
 * @brief Is @p lock held (by the calling thread, if the kernel can tell)?
 *
 * @param lock  an initialised lock.
 * @return true if held. A kernel that cannot tell returns true.
 *
 * **Called by**: consistency checks (PM_ASSERT) in functions whose name ends
 * in `_locked`. **Context**: any; must not sleep.
 */
bool pm_hal_lock_is_held(const pm_hal_lock_t *lock);

/** @} */

/* ======================================================================== */
/** @name User memory
 * Accesses to the address space of the calling (current) thread. procmgr
 * never dereferences a user address: it checks the range for overflow and
 * calls these. The kernel must check the range lies in user space (below its
 * TASK_SIZE) and report a fault, never crash, on any bad address.
 * @{
 */

/**
 * @brief Copy @p n bytes from kernel memory @p src to user address @p uaddr.
 *
 * @param uaddr  destination user address; [uaddr, uaddr + n) does not wrap.
 * @param src    source in kernel memory.
 * @param n      bytes to copy (may be 0, then it succeeds).
 * @return 0, or -PM_EFAULT if any byte is not writable user memory; a prefix
 *         may have been written then.
 *
 * **Called by**: signal (siginfo, frames), table (wait status), vm (initial
 * stack), cred (capget). **Context**: no procmgr lock held; may sleep
 * (page faults).
 */
int pm_hal_copy_to_user(pm_uaddr_t uaddr, const void *src, size_t n);

/**
 * @brief Copy @p n bytes from user address @p uaddr to kernel memory @p dst.
 *
 * @param dst    destination in kernel memory.
 * @param uaddr  source user address; [uaddr, uaddr + n) does not wrap.
 * @param n      bytes to copy (may be 0, then it succeeds).
 * @return 0, or -PM_EFAULT if any byte is not readable user memory; @p dst
 *         is undefined then.
 *
 * **Called by**: loader (argv, envp), signal (sigaction, sigreturn frames),
 * cred (capset, group lists). **Context**: no procmgr lock held; may sleep.
 */
int pm_hal_copy_from_user(void *dst, pm_uaddr_t uaddr, size_t n);

/**
 * @brief Zero @p n bytes at user address @p uaddr.
 *
 * @param uaddr  destination user address; [uaddr, uaddr + n) does not wrap.
 * @param n      bytes to zero (may be 0).
 * @return 0, or -PM_EFAULT if any byte is not writable user memory.
 *
 * **Called by**: loader (zeroing the tail of a bss page, Linux padzero).
 * **Context**: no procmgr lock held; may sleep.
 */
int pm_hal_clear_user(pm_uaddr_t uaddr, size_t n);

/** @} */

/* ======================================================================== */
/** @name Address spaces
 * Operations on an address space the kernel identifies by an opaque
 * `struct pm_hal_as *` (its mm). procmgr's VM module decides where things
 * go; these calls make it so in the page tables. They may target an address
 * space that is not the current one (exec builds the new image aside).
 * @{
 */

/**
 * @brief Create a mapping of [start, start + len) in @p as.
 *
 * @param as      the address space.
 * @param start   page-aligned user address.
 * @param len     page-aligned length in bytes, > 0; start + len does not
 *                wrap and lies below the port's TASK_SIZE.
 * @param prot    PM_PROT_* bits.
 * @param flags   PM_MAP_PRIVATE or PM_MAP_SHARED, optionally with
 *                PM_MAP_GROWSDOWN (stack). Always placed exactly.
 * @param file    the file to map, or NULL for anonymous zero pages.
 * @param offset  page-aligned file offset in bytes (0 for anonymous).
 * @return 0; -PM_EEXIST if any page of the range is already mapped (the
 *         kernel must never replace a mapping: procmgr unmaps first);
 *         -PM_ENOMEM when out of memory; -PM_EACCES or -PM_ENODEV if the
 *         file cannot be mapped. On failure nothing was mapped.
 *
 * **Called by**: loader (segments, bss), vm (stack, brk, mmap).
 * **Context**: no procmgr lock held except possibly PM_LOCK_VM; may sleep.
 */
int pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                  unsigned int flags, struct pm_hal_file *file, uint64_t offset);

/**
 * @brief Remove every mapping in [start, start + len) of @p as.
 *
 * @param as     the address space.
 * @param start  page-aligned user address.
 * @param len    page-aligned length in bytes, > 0; unmapped holes inside the
 *               range are allowed.
 * @return 0, or -PM_ENOMEM if splitting a mapping needs memory that is not
 *         available (then nothing changed).
 *
 * **Called by**: vm (munmap, MAP_FIXED replacement), loader (rollback).
 * **Context**: as pm_hal_as_map().
 */
int pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len);

/**
 * @brief Change the protection of [start, start + len), which is mapped.
 *
 * @param as     the address space.
 * @param start  page-aligned user address.
 * @param len    page-aligned length in bytes, > 0.
 * @param prot   new PM_PROT_* bits.
 * @return 0, -PM_ENOMEM (split failed; nothing changed), or -PM_EACCES if a
 *         shared file mapping cannot be made writable.
 *
 * **Called by**: vm (mprotect). **Context**: as pm_hal_as_map().
 */
int pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot);

/**
 * @brief Give @p dst a copy of the mappings of @p src in [start, start + len)
 *        for fork: private mappings copy-on-write, shared ones shared.
 *
 * @param dst    the child's address space; the range is unmapped there.
 * @param src    the parent's address space; the range is mapped there.
 * @param start  page-aligned user address.
 * @param len    page-aligned length in bytes, > 0.
 * @param flags  PM_MAP_PRIVATE or PM_MAP_SHARED: how the area is mapped.
 * @return 0, or -PM_ENOMEM (then nothing was added to @p dst).
 *
 * **Called by**: vm (vmspace duplication at fork). **Context**: as
 * pm_hal_as_map().
 */
int pm_hal_as_fork_range(struct pm_hal_as *dst, struct pm_hal_as *src, pm_uaddr_t start,
                         uint64_t len, unsigned int flags);

/**
 * @brief Write @p n bytes into @p as at @p uaddr, whatever the protection
 *        (like access_process_vm with FOLL_FORCE).
 *
 * @param as     the address space (need not be the current one).
 * @param uaddr  destination; [uaddr, uaddr + n) is mapped in @p as.
 * @param src    source bytes in kernel memory.
 * @param n      bytes (may be 0).
 * @return 0, or -PM_EFAULT if part of the range is not mapped.
 *
 * **Called by**: vm (the initial stack of a new image), loader (zeroing bss
 * tails). **Context**: as pm_hal_as_map().
 */
int pm_hal_as_write(struct pm_hal_as *as, pm_uaddr_t uaddr, const void *src, size_t n);

/**
 * @brief Zero @p n bytes of @p as at @p uaddr, whatever the protection.
 *
 * @param as     the address space.
 * @param uaddr  destination; [uaddr, uaddr + n) is mapped in @p as.
 * @param n      bytes (may be 0).
 * @return 0, or -PM_EFAULT if part of the range is not mapped.
 *
 * **Called by**: loader (padzero of the last file page of a segment).
 * **Context**: as pm_hal_as_map().
 */
int pm_hal_as_clear(struct pm_hal_as *as, pm_uaddr_t uaddr, size_t n);

/** @} */

/* ======================================================================== */
/** @name Files (for the loader)
 * The loader opens, reads and inspects executables through these. A file is
 * an opaque `struct pm_hal_file *` with a reference count.
 * @{
 */

/* File type and mode bits, Linux's values (include/uapi/linux/stat.h). */
#define PM_S_IFMT   0170000 /**< mask of the file type */
#define PM_S_IFSOCK 0140000 /**< socket */
#define PM_S_IFLNK  0120000 /**< symbolic link */
#define PM_S_IFREG  0100000 /**< regular file */
#define PM_S_IFBLK  0060000 /**< block device */
#define PM_S_IFDIR  0040000 /**< directory */
#define PM_S_IFCHR  0020000 /**< character device */
#define PM_S_IFIFO  0010000 /**< FIFO */
#define PM_S_ISUID  0004000 /**< set-user-id on exec */
#define PM_S_ISGID  0002000 /**< set-group-id on exec */
#define PM_S_ISVTX  0001000 /**< sticky */
#define PM_S_IRWXU  00700   /**< owner rwx */
#define PM_S_IRWXG  00070   /**< group rwx */
#define PM_S_IRWXO  00007   /**< others rwx */
#define PM_S_IXUSR  00100   /**< owner execute */
#define PM_S_IXGRP  00010   /**< group execute */
#define PM_S_IXOTH  00001   /**< others execute */

/** pm_file_attr.flags: the file's mount is nosuid (set-id bits and file
 *  capabilities are ignored at exec). */
#define PM_FILE_NOSUID 0x1u
/** pm_file_attr.flags: the file's mount is noexec. */
#define PM_FILE_NOEXEC 0x2u

/** What the loader and the credential module need to know about a file. */
struct pm_file_attr {
	uint32_t mode;  /**< PM_S_IF* type and permission bits */
	pm_uid_t uid;   /**< owner, as a global (initial-namespace) id */
	pm_gid_t gid;   /**< group, as a global id */
	uint32_t flags; /**< PM_FILE_* */
	uint64_t size;  /**< size in bytes */
	uint64_t dev;   /**< device number, for VM area identity */
	uint64_t ino;   /**< inode number, for VM area identity */
	/** User namespace owning the file's superblock (file capabilities
	 *  count only if it is the caller's or an ancestor); NULL = initial. */
	const struct pm_userns *sb_userns;
};

/**
 * @brief Open @p path for execution (Linux open_exec), resolved from the
 *        current process's root and working directory.
 *
 * @param path  NUL-terminated path in kernel memory (already copied in).
 * @param out   receives a file with one reference on success.
 * @return 0; -PM_ENOENT, -PM_ENOTDIR, -PM_ELOOP, -PM_ENAMETOOLONG from the
 *         lookup; -PM_EACCES if not a regular file, no execute permission
 *         or a noexec mount; -PM_ETXTBSY if the file is open for writing.
 *         While the reference is held, opening the file for writing must
 *         fail with ETXTBSY (deny_write_access).
 *
 * **Called by**: loader, for PT_INTERP interpreters and #! interpreters.
 * **Context**: no procmgr lock held; may sleep.
 */
int pm_hal_file_open_exec(const char *path, struct pm_hal_file **out);

/**
 * @brief Take another reference to @p file.
 * @param file  a file with at least one reference.
 *
 * **Called by**: vm (an area backed by the file). **Context**: any; must not
 * sleep.
 */
void pm_hal_file_get(struct pm_hal_file *file);

/**
 * @brief Drop a reference to @p file; the last one closes it.
 * @param file  a file with at least one reference.
 *
 * **Called by**: loader, vm. **Context**: may be called with procmgr locks
 * held; must not sleep (defer the close if closing can sleep).
 */
void pm_hal_file_put(struct pm_hal_file *file);

/**
 * @brief Read up to @p len bytes at byte offset @p off.
 *
 * @param file  the file.
 * @param off   byte offset.
 * @param buf   destination in kernel memory.
 * @param len   bytes wanted.
 * @param got   receives the bytes read: fewer than @p len only at end of
 *              file.
 * @return 0, or -PM_EIO (or another read error) on failure.
 *
 * **Called by**: loader (ELF headers, PT_INTERP, #! line).
 * **Context**: no procmgr lock held; may sleep.
 */
int pm_hal_file_read(struct pm_hal_file *file, uint64_t off, void *buf, size_t len, size_t *got);

/**
 * @brief Fill @p attr with the file's mode, owner and mount flags.
 *
 * @param file  the file.
 * @param attr  receives the attributes.
 * @return 0, or a negative errno if they cannot be read.
 *
 * **Called by**: loader and cred (set-id bits, DAC checks).
 * **Context**: no procmgr lock held; may sleep.
 */
int pm_hal_file_getattr(struct pm_hal_file *file, struct pm_file_attr *attr);

/**
 * @brief Read the raw `security.capability` extended attribute (struct
 *        vfs_cap_data, revision 1, 2 or 3, as stored on disk).
 *
 * @param file  the file.
 * @param buf   destination; procmgr passes at least 24 bytes (revision 3).
 * @param len   size of @p buf in bytes.
 * @param got   receives the attribute's length (it may exceed @p len; then
 *              only @p len bytes were copied and procmgr rejects it).
 * @return 0; -PM_ENODATA when the file has no such attribute (the common
 *         case); another negative errno on read failure. procmgr parses and
 *         validates the bytes itself: they are untrusted.
 *
 * **Called by**: cred (file capabilities at exec, get_vfs_caps_from_disk).
 * **Context**: no procmgr lock held; may sleep.
 */
int pm_hal_file_get_caps(struct pm_hal_file *file, void *buf, size_t len, size_t *got);

/** @} */

/* ======================================================================== */
/** @name Entropy and time
 * @{
 */

/**
 * @brief Fill @p buf with @p n random bytes (Linux get_random_bytes).
 *
 * @param buf  destination.
 * @param n    bytes wanted.
 *
 * Cannot fail. Used for ASLR offsets and AT_RANDOM; a kernel without a
 * good source should still vary the bytes (a test rig may make them fixed).
 *
 * **Called by**: vm, loader. **Context**: any; may be called with procmgr
 * locks held; must not sleep.
 */
void pm_hal_random_bytes(void *buf, size_t n);

/**
 * @brief Monotonic time since boot, in nanoseconds (CLOCK_MONOTONIC).
 *
 * @return nanoseconds; never decreases.
 *
 * **Called by**: table (process start time). **Context**: any; must not
 * sleep.
 */
uint64_t pm_hal_time_ns(void);

/** @} */

/* ======================================================================== */
/** @name Events
 * procmgr decides; the kernel acts. When a decision needs the kernel to
 * wake, stop or release something, procmgr reports it with pm_hal_notify().
 * @{
 */

/** What happened; which fields of struct pm_event are set depends on it. */
enum pm_event_type {
	/** @c thread has a signal it should act on (Linux signal_wake_up):
	 *  interrupt an interruptible sleep. @c arg is 1 when even a stopped
	 *  or killable sleep must end (SIGKILL, group exit). */
	PM_EVENT_SIGNAL_PENDING = 1,
	/** @c thread was stopped by job control and must run again (SIGCONT). */
	PM_EVENT_THREAD_RESUME = 2,
	/** A child of @c process (or a traced task) changed state: exited,
	 *  stopped or continued. Wake the threads of @c process sleeping in
	 *  wait4/waitid (Linux __wake_up_parent). */
	PM_EVENT_CHILD_STATE = 3,
	/** Every thread of @c process has exited; it is a zombie or was
	 *  reaped. The kernel may release the process's address space and
	 *  files (Asterinas's PidEvent::Exit). */
	PM_EVENT_PROCESS_EXIT = 4,
	/** procmgr holds no more references to @c process (or to @c thread if
	 *  set): the kernel may free the memory embedding it. */
	PM_EVENT_RELEASE = 5,
	/** The process group @c arg (a pid in @c pidns) became orphaned
	 *  (POSIX.1 3.265); SIGHUP/SIGCONT have already been sent if due. */
	PM_EVENT_PGRP_ORPHANED = 6,
	/** Session leader @c process exited; session id @c arg in @c pidns.
	 *  The terminal layer hangs up the controlling terminal. */
	PM_EVENT_SESSION_LEADER_EXIT = 7,
	/** @c pidns has no process left: its init and every member are gone. */
	PM_EVENT_PIDNS_EMPTY = 8,
};

/** One event; fields not named by the type are NULL or 0. */
struct pm_event {
	enum pm_event_type type;    /**< what happened */
	struct pm_process *process; /**< the process concerned, if any */
	struct pm_thread *thread;   /**< the thread concerned, if any */
	struct pm_pidns *pidns;     /**< the PID namespace concerned, if any */
	int64_t arg;                /**< type-specific value */
};

/**
 * @brief Tell the kernel about @p ev.
 *
 * @param ev  the event; valid only during the call.
 *
 * **Called by**: table, signal. **Context**: may be called with procmgr
 * locks held (PM_LOCK_TABLE, PM_LOCK_SIGHAND); must not sleep and must not
 * call back into procmgr: queue work if acting needs either.
 */
void pm_hal_notify(const struct pm_event *ev);

/** @} */

/* ======================================================================== */
/** @name Fatal errors
 * @{
 */

/**
 * @brief Stop: procmgr found its own state inconsistent (a PM_ASSERT
 *        failed). Never called for bad input from user space.
 *
 * @param file  source file of the failed check.
 * @param line  line of the failed check.
 * @param msg   the failed condition, as text.
 *
 * **Context**: any. Does not return.
 */
PM_NORETURN void pm_hal_panic(const char *file, int line, const char *msg);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_HAL_H */
