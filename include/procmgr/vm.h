/* SPDX-License-Identifier: MIT */
/**
 * @file vm.h
 * @brief VM layout: the areas of an address space, mmap placement, brk,
 *        ASLR, fork duplication, and the initial stack of a new program.
 *
 * A `struct pm_vmspace` is the set of VM areas (Linux's VMAs) of one
 * address space. It lives inside the kernel's own mm structure and records
 * where every mapping is, with its protection, flags and backing file; the
 * kernel's page tables are changed through the HAL's `pm_hal_as_*()` calls,
 * which every operation here makes itself, in the right order, undoing them
 * if a later step fails. The areas sit in a B+tree whose nodes carry the
 * largest free gap of their subtree, so finding an address and finding room
 * for a new mapping both take O(log n).
 *
 * The layout rules (where mmap puts things, how far the stack and brk move
 * under ASLR, how the initial stack is laid out) are Linux's, taken from the
 * architecture descriptor the vmspace was made with (procmgr/arch.h), so a
 * host can plan layouts for either architecture.
 *
 * **Locking.** A vmspace takes no lock of its own. The caller serialises
 * every call on one vmspace the way Linux holds mmap_lock: a writer lock
 * around anything that changes it (mmap, munmap, mprotect, brk, stack
 * growth, fork's source while it is copied), a reader lock (or the same
 * lock) around lookups. The kernel needs that lock anyway to keep its page
 * tables in step with the areas across several calls (a page fault looks up
 * the area, then maps a page), and it is the lock that may be held across
 * `pm_hal_as_*()` calls (class PM_LOCK_VM in docs/architecture.md). Since
 * procmgr holds none of its own locks here, its allocations and HAL calls
 * happen with only the caller's lock held, as Linux's do under mmap_lock.
 *
 * **Errors.** Every function that changes a vmspace either succeeds or
 * returns a negated Linux errno and leaves the areas, the counters and the
 * page tables as they were (the one documented exception is a MAP_FIXED
 * replacement whose undo itself fails, see pm_vm_mmap()).
 *
 * The initial stack of a new program is built by the functions of
 * procmgr/vm_stack.h.
 *
 * **Randomisation** comes from pm_hal_random_bytes() only. The vmspace flag
 * PM_VM_NO_RANDOMIZE (Linux's ADDR_NO_RANDOMIZE personality, or
 * randomize_va_space = 0) turns all of it off, so layouts are reproducible.
 *
 * @ingroup pm_vm
 */
#ifndef PROCMGR_VM_H
#define PROCMGR_VM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/types.h"
#include "procmgr/arch.h"
#include "procmgr/mman.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_vm VM layout and initial stack
 * @brief VM areas, mmap placement, brk, ASLR, fork and the initial stack.
 * @{
 */

/* ======================================================================== */
/** @name Constants
 * @{
 */

/** An unlimited resource limit (Linux RLIM64_INFINITY). */
#define PM_VM_RLIM_INFINITY (~(uint64_t)0)

/** mprotect(): accepted and ignored, as on Linux (PROT_SEM). */
#define PM_PROT_SEM       0x8
/** mprotect(): extend the change down to the start of a grows-down area. */
#define PM_PROT_GROWSDOWN 0x01000000
/** mprotect(): extend up (no grows-up areas exist on x86_64 or riscv64). */
#define PM_PROT_GROWSUP   0x02000000

/** Gap kept below a grows-down area: Linux's stack_guard_gap, 256 pages. */
#define PM_VM_STACK_GUARD_GAP       (256ull * 4096ull)
/** Default lowest mappable address (Linux CONFIG_DEFAULT_MMAP_MIN_ADDR with
 *  the LSM floor, 64 KiB on Debian's x86_64 and riscv64 kernels). */
#define PM_VM_MMAP_MIN_ADDR_DEFAULT 65536ull
/** Default most areas per vmspace: Linux's DEFAULT_MAX_MAP_COUNT. */
#define PM_VM_MAX_MAP_COUNT_DEFAULT 65530ull
/** Longest argument or environment string, NUL included (MAX_ARG_STRLEN). */
#define PM_VM_MAX_ARG_STRLEN        131072ull
/** Smallest budget for argument strings and pointers (ARG_MAX). */
#define PM_VM_ARG_MAX               131072ull
/** Default stack limit, and the cap of a set-id program's (_STK_LIM). */
#define PM_VM_STK_LIM               (8ull << 20)
/** Room the initial stack area gets below the strings (setup_arg_pages). */
#define PM_VM_STACK_EXPAND          131072ull

/** @} */

/* ======================================================================== */
/** @name Address spaces
 * @{
 */

/** pm_vm_config.flags: no randomisation at all (ADDR_NO_RANDOMIZE). */
#define PM_VM_NO_RANDOMIZE     0x1u
/** pm_vm_config.flags: legacy bottom-up mmap layout (ADDR_COMPAT_LAYOUT or
 *  sysctl vm.legacy_va_layout). */
#define PM_VM_LEGACY_LAYOUT    0x2u
/** pm_vm_config.flags: randomise stack and mmap but not brk
 *  (randomize_va_space = 1). */
#define PM_VM_NO_BRK_RANDOMIZE 0x4u

/** Resource limits the VM rules read, in bytes (soft limits unless said). */
struct pm_vm_limits {
	uint64_t stack;    /**< RLIMIT_STACK soft: mmap_base gap, stack size */
	uint64_t data;     /**< RLIMIT_DATA soft: private writable memory, brk */
	uint64_t data_max; /**< RLIMIT_DATA hard (Linux lets a 0 soft limit pass up to it) */
	uint64_t as;       /**< RLIMIT_AS soft: all mapped memory */
};

/** How to create a vmspace. */
struct pm_vm_config {
	/** Architecture whose rules apply (&pm_arch_x86_64, &pm_arch_riscv64). */
	const struct pm_arch_desc *arch;
	/** Paging mode: one of arch->layouts, or NULL for arch->layouts[0]. */
	const struct pm_arch_layout *layout;
	unsigned int flags;         /**< PM_VM_NO_RANDOMIZE, PM_VM_LEGACY_LAYOUT, ... */
	unsigned int mmap_rnd_bits; /**< vm.mmap_rnd_bits; 0 = layout's default */
	uint64_t mmap_min_addr;     /**< vm.mmap_min_addr; 0 = PM_VM_MMAP_MIN_ADDR_DEFAULT */
	uint64_t max_map_count;     /**< vm.max_map_count; 0 = PM_VM_MAX_MAP_COUNT_DEFAULT */
	/** The limits; all-zero means Linux's defaults (stack 8 MiB, the
	 *  others unlimited). */
	struct pm_vm_limits limits;
};

/** pm_vma.flags: shared mapping (MAP_SHARED). */
#define PM_VMA_SHARED    0x1u
/** pm_vma.flags: grows down (stack; MAP_GROWSDOWN). */
#define PM_VMA_GROWSDOWN 0x2u
/** pm_vma.flags: pages locked (MAP_LOCKED). */
#define PM_VMA_LOCKED    0x4u
/** pm_vma.flags: no swap reservation (MAP_NORESERVE). */
#define PM_VMA_NORESERVE 0x8u
/** pm_vma.flags: special mapping (vDSO and the like); never merged. */
#define PM_VMA_SPECIAL   0x10u

/**
 * One VM area: [start, end) mapped alike (Linux's vm_area_struct). Read
 * only: procmgr owns it; a pointer stays valid until the next call that
 * changes the vmspace.
 */
struct pm_vma {
	pm_uaddr_t start;         /**< first byte, page aligned */
	pm_uaddr_t end;           /**< one past the last byte, page aligned */
	uint64_t pgoff;           /**< file offset of @c start in bytes; for an anonymous
	                               private area its start address (Linux's vm_pgoff) */
	struct pm_hal_file *file; /**< backing file (procmgr holds a reference), or NULL */
	uint64_t dev;             /**< the file's device number, for a maps listing */
	uint64_t ino;             /**< the file's inode number */
	unsigned int prot;        /**< PM_PROT_* in force */
	unsigned int maxprot;     /**< PM_PROT_* mprotect may still grant (VM_MAY*) */
	unsigned int flags;       /**< PM_VMA_* */
};

/** Where the program's pieces are, as /proc/PID/stat reports them. */
struct pm_vm_image {
	pm_uaddr_t start_code;  /**< lowest address of executable segments */
	pm_uaddr_t end_code;    /**< end of their file contents */
	pm_uaddr_t start_data;  /**< highest p_vaddr of a PT_LOAD (Linux's rule) */
	pm_uaddr_t end_data;    /**< end of the file contents of the data */
	pm_uaddr_t start_brk;   /**< where brk() memory starts */
	pm_uaddr_t brk;         /**< current program break */
	pm_uaddr_t start_stack; /**< initial stack pointer (argc) */
	pm_uaddr_t arg_start;   /**< first argument string */
	pm_uaddr_t arg_end;     /**< end of the argument strings */
	pm_uaddr_t env_start;   /**< first environment string */
	pm_uaddr_t env_end;     /**< end of the environment strings */
};

/** Memory accounting, in pages (Linux's mm counters). */
struct pm_vm_counters {
	uint64_t total_vm;  /**< all areas (RLIMIT_AS) */
	uint64_t data_vm;   /**< private writable, not stack (RLIMIT_DATA) */
	uint64_t exec_vm;   /**< executable, not writable, not stack */
	uint64_t stack_vm;  /**< grows-down areas */
	uint64_t locked_vm; /**< locked areas */
};

/** Internal B+tree node (vma_tree.c); opaque. */
struct pm_vmt_node;

/**
 * The VM areas of one address space (Linux's mm_struct, VM part). The
 * kernel embeds it in its mm; every field is private to procmgr (read them
 * through the functions below).
 */
struct pm_vmspace {
	struct pm_hal_as *as;                /**< page tables the areas describe */
	const struct pm_arch_desc *arch;     /**< architecture rules */
	const struct pm_arch_layout *layout; /**< paging mode */
	unsigned int flags;                  /**< PM_VM_* */
	unsigned int mmap_rnd_bits;          /**< mmap randomisation bits */
	bool topdown;                        /**< top-down layout (MMF_TOPDOWN) */
	pm_uaddr_t mmap_base;                /**< top of top-down placement (or legacy base) */
	pm_uaddr_t mmap_legacy_base;         /**< bottom-up base (x86 keeps both) */
	uint64_t mmap_min_addr;              /**< lowest placement address */
	uint64_t max_map_count;              /**< most areas */
	struct pm_vm_limits limits;          /**< resource limits in force */
	struct pm_vm_image image;            /**< program layout bookkeeping */
	struct pm_vm_counters acct;          /**< accounting */
	struct pm_vmt_node *root;            /**< tree root, NULL when empty */
	unsigned int height;                 /**< tree levels (0 when empty) */
	size_t map_count;                    /**< number of areas */
	struct pm_vmt_node *spare;           /**< preallocated tree nodes */
	unsigned int nspare;                 /**< how many */
};

/**
 * @brief Make an empty vmspace for the address space @p as and pick its
 *        mmap layout (pm_vm_pick_layout()).
 *
 * @param vs   storage for the vmspace (caller-owned, e.g. inside its mm).
 * @param as   the kernel's address space the areas will describe; procmgr
 *             calls pm_hal_as_*() on it.
 * @param cfg  architecture, paging mode, flags and limits.
 * @return 0; -PM_EINVAL if @p vs, @p as, @p cfg or cfg->arch is NULL,
 *         cfg->layout is not one of the architecture's layouts, the flags
 *         have unknown bits, or mmap_rnd_bits is above the layout's
 *         maximum. Allocates nothing.
 *
 * **Locking**: none (the object is not shared yet). Draws random bytes
 * unless PM_VM_NO_RANDOMIZE. **Linux**: mm_init() + setup_new_exec().
 */
int pm_vmspace_init(struct pm_vmspace *vs, struct pm_hal_as *as, const struct pm_vm_config *cfg);

/**
 * @brief Free every area record and tree node and drop the file
 *        references; the page tables are left alone (the kernel tears its
 *        address space down itself).
 * @param vs  an initialised vmspace; unusable afterwards.
 *
 * **Locking**: the caller's writer lock, or none if unshared.
 * **Linux**: exit_mmap() minus the page-table work.
 */
void pm_vmspace_destroy(struct pm_vmspace *vs);

/**
 * @brief Replace the resource limits the vmspace enforces (after
 *        setrlimit/prlimit, or at exec).
 * @param vs   the vmspace.
 * @param lim  new limits in bytes; PM_VM_RLIM_INFINITY for unlimited.
 *
 * **Locking**: writer. Later calls use the new values; nothing already
 * mapped is checked again (as on Linux).
 */
void pm_vmspace_set_limits(struct pm_vmspace *vs, const struct pm_vm_limits *lim);

/**
 * @brief Choose the mmap layout from the stack limit and the flags (Linux
 *        arch_pick_mmap_layout(), called at exec after a set-id program's
 *        stack limit was capped).
 *
 * Top-down unless PM_VM_LEGACY_LAYOUT, or (on architectures whose
 * descriptor says so, riscv64) an unlimited stack limit. Top-down:
 * mmap_base = PAGE_ALIGN(top - gap - rnd) with gap = stack limit + stack
 * guard gap + the stack's randomisation range, clamped to [128 MiB,
 * top / 6 * 5]; legacy: TASK_UNMAPPED_BASE + rnd. rnd is (random &
 * (2^mmap_rnd_bits - 1)) pages, 0 without randomisation.
 *
 * @param vs  the vmspace.
 * **Locking**: writer. **Linux**: arch/x86/mm/mmap.c, mm/util.c.
 */
void pm_vm_pick_layout(struct pm_vmspace *vs);

/**
 * @brief Record where the program's code, data and brk are (the loader's
 *        bookkeeping, read by brk() and the maps listing).
 * @param vs   the vmspace.
 * @param img  the values; start_brk and brk are normally set by
 *             pm_vm_brk_init() instead.
 * **Locking**: writer. **Linux**: load_elf_binary() filling mm->start_code...
 */
void pm_vm_set_image(struct pm_vmspace *vs, const struct pm_vm_image *img);

/**
 * @brief Read the program layout bookkeeping.
 * @param vs  the vmspace.
 * @return the image (start_code ... env_end, brk).
 * **Locking**: reader.
 */
const struct pm_vm_image *pm_vm_image(const struct pm_vmspace *vs);

/**
 * @brief Read the memory counters.
 * @param vs  the vmspace.
 * @return total, data, exec, stack and locked pages.
 * **Locking**: reader. **Linux**: /proc/PID/status VmSize, VmData, ...
 */
const struct pm_vm_counters *pm_vm_counters(const struct pm_vmspace *vs);

/**
 * @brief Number of areas (Linux's mm->map_count).
 * @param vs  the vmspace.
 * @return the count.
 * **Locking**: reader.
 */
size_t pm_vm_count(const struct pm_vmspace *vs);

/**
 * @brief Check every internal invariant: order and overlap of areas, tree
 *        shape and gap summaries, counters. For tests and fuzzers.
 * @param vs  the vmspace.
 * @return 0, or -PM_EINVAL if something is inconsistent (a procmgr bug).
 * **Locking**: reader.
 */
int pm_vm_check(const struct pm_vmspace *vs);

/** @} */

/* ======================================================================== */
/** @name Lookups and iteration
 * @{
 */

/**
 * @brief The area containing @p addr.
 * @param vs    the vmspace.
 * @param addr  any user address.
 * @return the area, or NULL if @p addr is not mapped.
 * **Locking**: reader. O(log n). **Linux**: vma_lookup().
 */
const struct pm_vma *pm_vm_find(const struct pm_vmspace *vs, pm_uaddr_t addr);

/**
 * @brief The first area that ends above @p addr: the one containing it, or
 *        the next one up. Iterate a maps listing with
 *        `for (v = pm_vm_find_next(vs, 0); v; v = pm_vm_find_next(vs, v->end))`.
 * @param vs    the vmspace.
 * @param addr  any user address.
 * @return the area, or NULL if none ends above @p addr.
 * **Locking**: reader. O(log n). **Linux**: find_vma().
 */
const struct pm_vma *pm_vm_find_next(const struct pm_vmspace *vs, pm_uaddr_t addr);

/**
 * @brief The last area that starts below @p addr.
 * @param vs    the vmspace.
 * @param addr  any user address.
 * @return the area, or NULL.
 * **Locking**: reader. O(log n). **Linux**: find_vma_prev()'s prev.
 */
const struct pm_vma *pm_vm_find_prev(const struct pm_vmspace *vs, pm_uaddr_t addr);

/** What a maps listing calls an area. */
enum pm_vma_kind {
	PM_VMA_KIND_NONE = 0,  /**< nothing special: a file path or blank */
	PM_VMA_KIND_HEAP = 1,  /**< "[heap]": overlaps [start_brk, brk) */
	PM_VMA_KIND_STACK = 2, /**< "[stack]": contains the initial stack pointer */
};

/**
 * @brief Classify an area for a maps listing (Linux show_map_vma(): heap if
 *        it overlaps (start_brk, brk), stack if it holds start_stack).
 * @param vs   the vmspace.
 * @param vma  one of its areas.
 * @return PM_VMA_KIND_HEAP, PM_VMA_KIND_STACK or PM_VMA_KIND_NONE.
 * **Locking**: reader.
 */
enum pm_vma_kind pm_vm_area_kind(const struct pm_vmspace *vs, const struct pm_vma *vma);

/** @} */

/* ======================================================================== */
/** @name mmap, munmap, mprotect
 * @{
 */

/** pm_vm_map_req.extra: a special mapping (vDSO): never merged. */
#define PM_VM_MAPX_SPECIAL 0x1u
/** pm_vm_map_req.extra: the caller may map below mmap_min_addr
 *  (CAP_SYS_RAWIO in Linux's cap_mmap_addr()). */
#define PM_VM_MAPX_RAWIO   0x2u

/** An mmap request (the arguments of Linux's mmap system call). */
struct pm_vm_map_req {
	pm_uaddr_t addr;          /**< hint, or the exact address with MAP_FIXED* */
	uint64_t len;             /**< bytes, > 0; rounded up to pages */
	unsigned int prot;        /**< PM_PROT_*; other bits are ignored, as on Linux */
	unsigned int flags;       /**< PM_MAP_* */
	struct pm_hal_file *file; /**< the file, or NULL (and MAP_ANONYMOUS) */
	uint64_t offset;          /**< file offset in bytes, page aligned */
	/** The file was opened for writing (a shared writable mapping needs
	 *  it: FMODE_WRITE). Files are assumed open for reading. */
	bool file_writable;
	unsigned int extra; /**< PM_VM_MAPX_* */
};

/**
 * @brief Choose where a mapping of @p len bytes would go, without mapping
 *        it (Linux get_unmapped_area()).
 *
 * Top-down below mmap_base, or bottom-up from the legacy base, honouring
 * the hint when the range is free, mmap_min_addr and the stack guard gap;
 * a failed top-down search falls back to bottom-up, as on Linux. With
 * MAP_FIXED the address is checked, not chosen. The architecture's rules
 * apply: on x86_64 a hint is rounded down and a hint above 47 bits opens
 * the 5-level range (mmap_address_hint_valid); elsewhere the generic rules.
 *
 * @param vs     the vmspace.
 * @param hint   address wanted, or 0.
 * @param len    bytes, page aligned, > 0.
 * @param flags  PM_MAP_* (only MAP_FIXED and MAP_FIXED_NOREPLACE matter).
 * @param out    receives the page-aligned address.
 * @return 0; -PM_ENOMEM when @p len exceeds TASK_SIZE, a fixed range ends
 *         beyond it, or no free range is large enough; -PM_EINVAL for a
 *         fixed address that is not page aligned or a @p len that is not.
 * **Locking**: reader. O(log n). **Linux**: __get_unmapped_area(),
 * generic_get_unmapped_area[_topdown](), arch/x86/kernel/sys_x86_64.c.
 */
int pm_vm_get_unmapped_area(const struct pm_vmspace *vs, pm_uaddr_t hint, uint64_t len,
                            unsigned int flags, pm_uaddr_t *out);

/**
 * @brief Map memory (Linux do_mmap() and mmap_region()).
 *
 * Places the mapping (pm_vm_get_unmapped_area()), checks it, maps it with
 * pm_hal_as_map() and records it, merging with a compatible neighbour
 * (same file with contiguous offsets, same protections and flags) as Linux
 * does. MAP_FIXED replaces what was in the range; MAP_FIXED_NOREPLACE
 * refuses to.
 *
 * @param vs   the vmspace.
 * @param req  the request.
 * @param out  receives the address mapped.
 * @return 0 or, in Linux's order of checks:
 *  - -PM_EINVAL: @c len is 0; @c offset not page aligned; a fixed address
 *    not page aligned; the mapping type is not MAP_SHARED, MAP_PRIVATE or
 *    (with a file) MAP_SHARED_VALIDATE; MAP_GROWSDOWN with a file or a
 *    shared anonymous mapping; MAP_HUGETLB (not supported by the HAL);
 *  - -PM_ENOMEM: @c len rounds past 2^64, exceeds TASK_SIZE or finds no
 *    room; a fixed range ends beyond TASK_SIZE; the vmspace already has
 *    more than max_map_count areas; RLIMIT_AS or RLIMIT_DATA would be
 *    exceeded (may_expand_vm); no memory for the record;
 *  - -PM_EOVERFLOW: offset + len overflow the file offset range;
 *  - -PM_EPERM: a fixed address below mmap_min_addr without
 *    PM_VM_MAPX_RAWIO; PROT_EXEC on a file of a noexec mount;
 *  - -PM_EEXIST: MAP_FIXED_NOREPLACE and the range is not free;
 *  - -PM_EOPNOTSUPP: MAP_SHARED_VALIDATE with flags Linux does not know;
 *  - -PM_EACCES: a shared writable mapping of a file not open for writing;
 *  - whatever pm_hal_file_getattr() or pm_hal_as_map() returned.
 *
 * On failure nothing changed, with one exception: if a MAP_FIXED mapping
 * fails after the areas it replaces were unmapped, they are mapped again
 * (anonymous pages come back zero-filled: the HAL cannot keep their
 * contents), and if even that fails the range is left unmapped, as Linux
 * before 6.12 did.
 *
 * **Locking**: writer. O(log n) plus the areas replaced.
 */
int pm_vm_mmap(struct pm_vmspace *vs, const struct pm_vm_map_req *req, pm_uaddr_t *out);

/**
 * @brief Unmap [addr, addr + len), splitting areas that straddle the ends
 *        (Linux do_vmi_munmap()).
 * @param vs    the vmspace.
 * @param addr  page-aligned start.
 * @param len   bytes, rounded up to pages.
 * @return 0 (also when nothing was mapped there); -PM_EINVAL if @p addr is
 *         not page aligned, lies above TASK_SIZE, the range ends beyond
 *         TASK_SIZE or @p len is 0; -PM_ENOMEM when punching a hole in one
 *         area would exceed max_map_count, or no memory for the split
 *         record; an error of pm_hal_as_unmap(). Nothing changes on error.
 * **Locking**: writer. O(log n) plus the areas removed.
 */
int pm_vm_munmap(struct pm_vmspace *vs, pm_uaddr_t addr, uint64_t len);

/**
 * @brief Change the protection of [addr, addr + len), splitting areas at
 *        the ends and merging compatible neighbours afterwards (Linux
 *        do_mprotect_pkey()).
 *
 * Unlike Linux, which changes areas one by one and stops at the first
 * error, every check is made for the whole range first, so a failure
 * changes nothing (same errno as Linux).
 *
 * @param vs    the vmspace.
 * @param addr  page-aligned start.
 * @param len   bytes, rounded up to pages; 0 succeeds at once.
 * @param prot  PM_PROT_READ/WRITE/EXEC, optionally PM_PROT_SEM and
 *              PM_PROT_GROWSDOWN.
 * @return 0; -PM_EINVAL for unknown bits in @p prot, both GROWSDOWN and
 *         GROWSUP, an unaligned @p addr, or GROWSDOWN on an area that does
 *         not grow down (GROWSUP always: no such areas here); -PM_ENOMEM
 *         if the range wraps, is not fully mapped, a split would exceed
 *         max_map_count, making it writable would exceed RLIMIT_DATA, or no
 *         memory; -PM_EACCES if an area may not get a requested protection
 *         (its maxprot: a shared mapping of a read-only file, a noexec
 *         file); an error of pm_hal_as_protect().
 * **Locking**: writer. O(log n) plus the areas changed.
 */
int pm_vm_mprotect(struct pm_vmspace *vs, pm_uaddr_t addr, uint64_t len, unsigned int prot);

/** @} */

/* ======================================================================== */
/** @name Layout decisions for exec (the loader's pieces)
 * @{
 */

/**
 * @brief The randomisation Linux adds to ELF_ET_DYN_BASE for a PIE with an
 *        interpreter (arch_mmap_rnd()).
 * @param vs  the vmspace (its flags and mmap_rnd_bits).
 * @return (random & (2^mmap_rnd_bits - 1)) * PAGE_SIZE, or 0 without
 *         randomisation. Draws fresh random bytes on each call.
 * **Locking**: none needed.
 */
uint64_t pm_vm_mmap_rnd(const struct pm_vmspace *vs);

/**
 * @brief The stack top of a new program: PAGE_ALIGN(arch_align_stack(
 *        randomize_stack_top(STACK_TOP))), as setup_arg_pages() uses it.
 * @param vs  the vmspace (layout and flags).
 * @return the page-aligned top. With randomisation it is STACK_TOP minus
 *         up to STACK_RND_MASK pages, minus one more page half the time.
 * **Locking**: none needed. **Linux**: mm/util.c randomize_stack_top(),
 * arch_align_stack() of arch/x86 and arch/riscv process.c.
 */
pm_uaddr_t pm_vm_stack_top(const struct pm_vmspace *vs);

/** Executable-stack request from PT_GNU_STACK (Linux EXSTACK_*). */
#define PM_VM_EXSTACK_DEFAULT   0 /**< no PT_GNU_STACK: the arch default (not executable) */
#define PM_VM_EXSTACK_DISABLE_X 1 /**< PT_GNU_STACK without PF_X */
#define PM_VM_EXSTACK_ENABLE_X  2 /**< PT_GNU_STACK with PF_X */

/**
 * @brief Create the initial stack area below @p top (Linux
 *        setup_arg_pages()): the pages holding @p strings_size bytes plus
 *        128 KiB, or RLIMIT_STACK if that is smaller, grows-down,
 *        read/write (and executable if asked).
 * @param vs            the vmspace (normally new and empty).
 * @param top           page-aligned stack top from pm_vm_stack_top().
 * @param strings_size  bytes from the lowest argument string to @p top
 *                      (pm_vm_stack_layout.strings_size).
 * @param exec_stack    PM_VM_EXSTACK_* from the program's PT_GNU_STACK.
 * @param start         receives the area's start (may be NULL).
 * @return 0; -PM_ENOMEM if the strings do not fit above mmap_min_addr;
 *         -PM_EFAULT if the area cannot be created (it collides with an
 *         area, breaks RLIMIT_AS, or the HAL fails: setup_arg_pages turns
 *         every stack failure into EFAULT); -PM_EINVAL for an unaligned
 *         @p top or an unknown @p exec_stack.
 * **Locking**: writer.
 */
int pm_vm_stack_map(struct pm_vmspace *vs, pm_uaddr_t top, uint64_t strings_size, int exec_stack,
                    pm_uaddr_t *start);

/**
 * @brief Grow the grows-down area above @p addr down to cover it (Linux
 *        expand_downwards(), what a page fault below the stack does).
 * @param vs    the vmspace.
 * @param addr  the faulting or wanted address.
 * @return 0 (also if @p addr is already mapped); -PM_EFAULT if the next
 *         area up does not grow down or there is none; -PM_EPERM below
 *         mmap_min_addr; -PM_ENOMEM if it would come within the stack guard
 *         gap of an accessible area below, exceed RLIMIT_STACK or RLIMIT_AS,
 *         or no memory; an error of pm_hal_as_map().
 * **Locking**: writer.
 */
int pm_vm_expand_stack(struct pm_vmspace *vs, pm_uaddr_t addr);

/**
 * @brief Set the program break of a new program (load_elf_binary()'s brk
 *        handling): PAGE_ALIGN(@p elf_brk), or ELF_ET_DYN_BASE for a
 *        static PIE; with randomisation one page higher (unless moved) and
 *        then randomize_page(brk, arch brk_rnd_range).
 * @param vs          the vmspace.
 * @param elf_brk     end of the highest segment's memory (with load bias).
 * @param static_pie  ET_DYN without PT_INTERP (brk moves away from mmap).
 * @return 0, or -PM_EINVAL if PAGE_ALIGN(@p elf_brk) is beyond TASK_SIZE.
 * **Locking**: writer.
 */
int pm_vm_brk_init(struct pm_vmspace *vs, pm_uaddr_t elf_brk, bool static_pie);

/**
 * @brief The brk() system call.
 *
 * Shrinking unmaps whole pages above the new break; growing maps private
 * read/write pages, merging with the brk area. The result is what the
 * system call returns to user space: the new break, or the old one when
 * the request is refused.
 *
 * @param vs      the vmspace.
 * @param brk     requested break (0 just asks for the current one).
 * @param result  receives the break now in force.
 * @return 0 when @p brk was set; otherwise *@p result is the old break and
 *         the reason is -PM_EINVAL (below start_brk), -PM_ENOSPC
 *         (RLIMIT_DATA: check_data_rlimit), -PM_ENOMEM (beyond TASK_SIZE,
 *         within a page (or the stack guard gap) of the next area,
 *         RLIMIT_AS/DATA, max_map_count, no memory) or an error of the HAL.
 * **Locking**: writer. **Linux**: mm/mmap.c SYSCALL_DEFINE1(brk).
 */
int pm_vm_brk(struct pm_vmspace *vs, pm_uaddr_t brk, pm_uaddr_t *result);

/** @} */

/* ======================================================================== */
/** @name fork
 * @{
 */

/**
 * @brief Give @p child a copy of @p parent's areas, counters and layout,
 *        and ask the HAL to copy the pages (copy-on-write for private
 *        areas, shared for shared ones) into @p child_as (Linux dup_mmap()).
 * @param child     storage for the child's vmspace (not initialised).
 * @param child_as  the child's empty address space.
 * @param parent    the parent's vmspace.
 * @return 0; -PM_ENOMEM (child left uninitialised, nothing mapped in
 *         @p child_as); an error of pm_hal_as_fork_range() (the ranges
 *         already copied are unmapped from @p child_as again).
 * **Locking**: writer lock on @p parent (Linux write-locks the old mm);
 * @p child is not shared yet. O(n).
 */
int pm_vmspace_fork(struct pm_vmspace *child, struct pm_hal_as *child_as,
                    struct pm_vmspace *parent);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_VM_H */
