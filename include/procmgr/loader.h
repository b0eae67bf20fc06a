/* SPDX-License-Identifier: MIT */
/**
 * @file loader.h
 * @brief ELF64 validation, pure load plans, applying a plan, `#!` parsing.
 *
 * The loader reproduces Linux's fs/binfmt_elf.c:load_elf_binary() and
 * load_elf_interp() in three separate steps:
 *
 *  1. **Plan** (pm_elf_plan(), pm_elf_plan_interp()): read the ELF header
 *     and program headers through a caller callback (no whole-file buffer),
 *     apply every check Linux makes before the point of no return with
 *     Linux's errno, and compute the segments Linux would map: page-rounded
 *     addresses, file offsets, protections, bss zeroing, the load bias,
 *     entry, AT_PHDR, brk start. Checks Linux only makes *after* the point
 *     of no return (where execve no longer returns but the process gets
 *     SIGSEGV) do not fail the plan: they are recorded in
 *     pm_elf_plan::load_error.
 *  2. **Place** (pm_elf_place()): images Linux places with a non-fixed mmap
 *     (static-pie, ET_DYN interpreters) get their address from a "find a
 *     free range" service; everything else is placed at plan time.
 *  3. **Apply** (pm_elf_apply()): map the segments through a small mapper
 *     interface (by default the HAL's address-space calls), rolling back
 *     everything it mapped if a step fails.
 *
 * pm_shebang_parse() reproduces fs/binfmt_script.c:load_script()'s parsing
 * of the first line of a script. Exec preparation, which chains all of this
 * (and copies argv/envp), is in procmgr/exec.h.
 *
 * Untrusted input: every byte read through the callback is untrusted. No
 * input makes the loader read outside the buffers it owns; every offset and
 * size is overflow-checked or computed with Linux's own wrapping arithmetic
 * where Linux relies on it.
 *
 * @ingroup pm_loader
 */
#ifndef PROCMGR_LOADER_H
#define PROCMGR_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/arch.h"
#include "procmgr/elf.h"
#include "procmgr/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pm_loader ELF loader
 * @brief ELF validation and load plans, applying plans, `#!` scripts and
 *        exec preparation (fs/binfmt_elf.c, fs/binfmt_script.c, fs/exec.c).
 * @{
 */

/** Bytes exec reads from the start of a file to pick a format
 *  (BINPRM_BUF_SIZE, include/uapi/linux/binfmts.h). */
#define PM_BINPRM_BUF_SIZE          256u
/** Most program headers Linux 6.18 accepts: 65536 / sizeof(Elf64_Phdr)
 *  (load_elf_phdrs). */
#define PM_ELF_PHNUM_MAX            1170u
/** Longest PT_INTERP segment Linux reads, NUL included (PATH_MAX). */
#define PM_ELF_INTERP_MAX           4096u
/** Largest PT_GNU_PROPERTY segment Linux parses (NOTE_DATA_SZ). */
#define PM_ELF_GNU_PROPERTY_MAX     1024u
/** PT_LOAD entries a plan holds without allocating. */
#define PM_ELF_PLAN_INLINE_SEGMENTS 8u

/** pm_elf_plan_args::flags: randomise placement (Linux PF_RANDOMIZE: no
 *  ADDR_NO_RANDOMIZE personality and randomize_va_space != 0). */
#define PM_ELF_RANDOMIZE           0x1u
/** pm_elf_plan_args::flags: fail on a malformed PT_GNU_PROPERTY note as
 *  Linux does on architectures that select CONFIG_ARCH_USE_GNU_PROPERTY.
 *  Linux 6.18 selects it on neither x86_64 nor riscv64 (checked on the
 *  running x86_64 kernel), so by default the note is parsed for reporting
 *  only and never fails an exec. */
#define PM_ELF_GNU_PROPERTY_STRICT 0x2u

/** GNU_PROPERTY_X86_FEATURE_1_AND bit: indirect branch tracking (IBT). */
#define PM_GNU_PROPERTY_X86_FEATURE_1_IBT   0x1u
/** GNU_PROPERTY_X86_FEATURE_1_AND bit: shadow stack (SHSTK). */
#define PM_GNU_PROPERTY_X86_FEATURE_1_SHSTK 0x2u

/**
 * Read callback: copy up to @p len bytes at byte offset @p off of the file
 * into @p buf and store the count in @p got (fewer only at end of file).
 * Return 0 or a negative errno (passed on unchanged where Linux passes a
 * read error on). Offsets above INT64_MAX are never requested: the loader
 * answers those itself with Linux's -EINVAL (rw_verify_area).
 */
typedef int (*pm_elf_read_fn)(void *ctx, uint64_t off, void *buf, size_t len, size_t *got);

/**
 * @brief A pm_elf_read_fn over the HAL: @p ctx is a `struct pm_hal_file *`.
 *
 * @param ctx  the file.
 * @param off  byte offset.
 * @param buf  destination.
 * @param len  bytes wanted.
 * @param got  receives the bytes read.
 * @return pm_hal_file_read()'s result.
 *
 * Context: no procmgr lock held; may sleep.
 */
int pm_elf_read_hal(void *ctx, uint64_t off, void *buf, size_t len, size_t *got);

/** Stack executability requested by PT_GNU_STACK (EXSTACK_*, binfmts.h). */
enum pm_elf_exstack {
	PM_EXSTACK_DEFAULT = 0,   /**< no PT_GNU_STACK: the arch default */
	PM_EXSTACK_DISABLE_X = 1, /**< PT_GNU_STACK without PF_X */
	PM_EXSTACK_ENABLE_X = 2,  /**< PT_GNU_STACK with PF_X */
};

/** How an image is placed (load_elf_binary "PIE handling"). */
enum pm_elf_placement {
	/** The load bias is known at plan time (ET_EXEC, PIE with PT_INTERP,
	 *  ET_EXEC interpreter, first PT_LOAD without file bytes). */
	PM_ELF_PLACE_FIXED = 0,
	/** Linux maps the first PT_LOAD without MAP_FIXED (static-pie, ET_DYN
	 *  interpreter): the image goes where a free range of
	 *  pm_elf_plan::span bytes is found (top-down below mmap_base, or at
	 *  pm_elf_plan::hint if free). */
	PM_ELF_PLACE_FIND = 1,
	/** As PM_ELF_PLACE_FIND, then the found address is rounded down to
	 *  pm_elf_plan::max_align (static-pie with p_align above a page). */
	PM_ELF_PLACE_FIND_ALIGNED = 2,
};

/** One PT_LOAD, as Linux's elf_load() maps it. */
struct pm_elf_segment {
	/** @name From the program header (untrusted values, as read)
	 * @{ */
	uint64_t p_offset; /**< p_offset */
	uint64_t p_vaddr;  /**< p_vaddr (link-time address) */
	uint64_t p_filesz; /**< p_filesz */
	uint64_t p_memsz;  /**< p_memsz */
	uint64_t p_align;  /**< p_align */
	uint32_t p_flags;  /**< PF_* */
	uint16_t index;    /**< index of the program header */
	/** @} */
	/** @name Computed for the plan's current load bias (absolute user
	 *  addresses; meaningful only when pm_elf_plan::load_error is 0)
	 * @{ */
	unsigned int prot;     /**< PM_PROT_* of the file mapping (make_prot) */
	pm_uaddr_t map_start;  /**< ELF_PAGESTART(bias + p_vaddr) */
	uint64_t map_len;      /**< bytes of file mapping (page multiple); 0 = none */
	uint64_t map_offset;   /**< file offset mapped at map_start (page aligned) */
	pm_uaddr_t zero_start; /**< first byte padzero() clears after the file bytes */
	/** bytes padzero() clears up to the page end; 0 when there are none or
	 *  the segment is not writable (Linux's clear_user then faults and the
	 *  file's bytes stay: an observable Linux behaviour kept on purpose) */
	uint64_t zero_len;
	pm_uaddr_t anon_start;  /**< first anonymous (bss) page (vm_brk_flags) */
	uint64_t anon_len;      /**< anonymous bytes (page multiple); 0 = none */
	unsigned int anon_prot; /**< read+write, plus exec if @c prot has it */
	                        /** @} */
};

/** What PT_GNU_PROPERTY (.note.gnu.property) says. */
struct pm_elf_gnu_property {
	bool present;    /**< the image has one that Linux would consider */
	uint16_t index;  /**< its program header index */
	uint64_t offset; /**< p_offset */
	uint64_t filesz; /**< p_filesz */
	/** 0, or the errno Linux's parse_elf_properties() returns for it
	 *  (only fatal with PM_ELF_GNU_PROPERTY_STRICT) */
	int status;
	/** x86_64: GNU_PROPERTY_X86_FEATURE_1_AND (PM_GNU_PROPERTY_X86_*);
	 *  riscv64: always 0 (Linux 6.18 parses no riscv property) */
	uint32_t x86_feature_1;
};

/** PT_TLS, reported for the C library's benefit. */
struct pm_elf_tls {
	bool present;    /**< the image has a PT_TLS */
	uint64_t vaddr;  /**< p_vaddr (link-time) */
	uint64_t filesz; /**< initialised bytes */
	uint64_t memsz;  /**< total bytes */
	uint64_t align;  /**< p_align */
};

/**
 * A load plan. Caller-owned (it is large: keep it off small kernel
 * stacks); filled by pm_elf_plan() or pm_elf_plan_interp(); released with
 * pm_elf_plan_release() (it owns an allocation when the image has more than
 * PM_ELF_PLAN_INLINE_SEGMENTS PT_LOADs). Do not copy it with memcpy.
 * Absolute addresses are valid once pm_elf_plan::placed is true.
 */
struct pm_elf_plan {
	/** @name Inputs
	 * @{ */
	const struct pm_arch_desc *arch;     /**< architecture planned for */
	const struct pm_arch_layout *layout; /**< paging mode (TASK_SIZE, ELF_ET_DYN_BASE) */
	uint64_t file_size;                  /**< pm_elf_plan_args::file_size */
	/** @} */
	/** @name ELF header and program headers of note
	 * @{ */
	uint64_t e_entry;       /**< e_entry (link-time) */
	uint64_t e_phoff;       /**< e_phoff */
	uint64_t interp_offset; /**< the first PT_INTERP's p_offset */
	uint64_t interp_filesz; /**< its p_filesz, 2..PM_ELF_INTERP_MAX */
	uint64_t phdr_vaddr;    /**< PT_PHDR's p_vaddr (reported only; Linux ignores it) */
	struct pm_elf_gnu_property gnu_property; /**< PT_GNU_PROPERTY */
	struct pm_elf_tls tls;                   /**< first PT_TLS */
	uint32_t e_flags;                        /**< e_flags */
	enum pm_elf_exstack exec_stack;          /**< last PT_GNU_STACK wins */
	uint16_t e_type;       /**< ET_EXEC or ET_DYN (anything for an interpreter) */
	uint16_t e_machine;    /**< EM_* */
	uint16_t phnum;        /**< e_phnum (AT_PHNUM) */
	uint16_t phent;        /**< e_phentsize, always 56 (AT_PHENT) */
	uint16_t interp_index; /**< the first PT_INTERP's index */
	bool interp_role;      /**< planned as an interpreter */
	bool has_interp;       /**< a PT_INTERP is used (main images only) */
	bool has_phdr;         /**< a PT_PHDR exists */
	/** @} */
	/** @name Segments
	 * @{ */
	size_t nseg;         /**< PT_LOAD count (0 is possible: load_error says) */
	uint64_t total_size; /**< total_mapping_size(): max(v + memsz) - min(PAGESTART(v)) */
	uint64_t max_align;  /**< maximum_alignment(): page-rounded largest p_align */
	/** Inline storage; use pm_elf_plan_segment() rather than this. */
	struct pm_elf_segment seg_inline[PM_ELF_PLAN_INLINE_SEGMENTS];
	struct pm_elf_segment *seg_extra; /**< allocated storage, or NULL */
	/** @} */
	/** @name Placement
	 * @{ */
	pm_uaddr_t hint;    /**< mmap hint Linux passes for PM_ELF_PLACE_FIND* */
	uint64_t span;      /**< bytes to find for PM_ELF_PLACE_FIND*: PAGEALIGN(total_size) */
	uint64_t load_bias; /**< added to every p_vaddr (AT_BASE for an interpreter) */
	enum pm_elf_placement placement; /**< how the bias is decided */
	/** PM_MAP_FIXED_NOREPLACE or PM_MAP_FIXED: how the first segment is
	 *  mapped (later ones always replace, as Linux's MAP_FIXED) */
	unsigned int first_map_flags;
	/** The first file mapping spans the whole image (total_size) and is
	 *  trimmed afterwards (elf_map's collision-proof reservation). */
	bool reserve;
	bool placed; /**< load_bias and every address below are final */
	/** @} */
	/** @name Image (absolute, once placed)
	 * @{ */
	pm_uaddr_t entry;      /**< e_entry + load_bias (AT_ENTRY / interpreter entry) */
	pm_uaddr_t phdr_addr;  /**< AT_PHDR: from the PT_LOAD holding e_phoff, else 0 + bias */
	pm_uaddr_t start_code; /**< mm->start_code */
	pm_uaddr_t end_code;   /**< mm->end_code */
	pm_uaddr_t start_data; /**< mm->start_data */
	pm_uaddr_t end_data;   /**< mm->end_data */
	/** mm->start_brk before brk randomisation: ELF_PAGEALIGN(highest
	 *  p_vaddr + p_memsz + bias), or ELF_ET_DYN_BASE page-aligned for a
	 *  static-pie (main images only) */
	pm_uaddr_t brk_start;
	/** 0, or the errno Linux hits after the point of no return while
	 *  mapping this image (execve then kills the process with SIGSEGV
	 *  instead of returning). pm_elf_apply() refuses such a plan. */
	int load_error;
	/** brk was moved to ELF_ET_DYN_BASE (static-pie): the VM layout then
	 *  adds no guard page before randomising it */
	bool brk_moved;
	/** @} */
};

/** Arguments shared by pm_elf_plan() and pm_elf_plan_interp(). */
struct pm_elf_plan_args {
	const struct pm_arch_desc *arch;     /**< required */
	const struct pm_arch_layout *layout; /**< NULL: arch->layouts[0] */
	pm_elf_read_fn read;                 /**< required */
	void *read_ctx;                      /**< passed to @c read */
	/** Optional: the file's first bytes, already read by exec into a
	 *  PM_BINPRM_BUF_SIZE buffer and zero-padded (bprm->buf); at least 64
	 *  bytes. Main images only; NULL: the planner reads the header. */
	const uint8_t *head;
	unsigned int flags;         /**< PM_ELF_RANDOMIZE, PM_ELF_GNU_PROPERTY_STRICT */
	unsigned int mmap_rnd_bits; /**< arch_mmap_rnd() bits; 0: the layout's default */
	/** The file's size in bytes, or 0 if unknown. With it the plan also
	 *  predicts Linux's padzero fault on a writable segment whose last file
	 *  page lies wholly beyond the end of the file (SIGBUS in the page
	 *  fault, hence -EFAULT after the point of no return). */
	uint64_t file_size;
};

/**
 * @brief Validate and plan a main program (fs/binfmt_elf.c:load_elf_binary).
 *
 * Reads the ELF header (64 bytes; a short file reads as zero-padded, as
 * bprm->buf does), the program header table, the last byte of the first
 * PT_INTERP, and the PT_GNU_PROPERTY note through @p args->read. Then
 * computes the segments and the placement:
 *  - ET_EXEC: fixed, load bias 0;
 *  - ET_DYN with PT_INTERP: fixed at ELF_ET_DYN_BASE (+ arch_mmap_rnd()
 *    with PM_ELF_RANDOMIZE, entropy from pm_hal_random_bytes()) rounded
 *    down to maximum_alignment(), minus the first PT_LOAD's page;
 *  - ET_DYN without PT_INTERP: PM_ELF_PLACE_FIND (or _FIND_ALIGNED above a
 *    page of alignment); pm_elf_place() or pm_elf_apply() completes it.
 *
 * @param args  the architecture, layout, reader and flags.
 * @param plan  receives the plan; released with pm_elf_plan_release() after
 *              success (after failure it holds nothing).
 * @return 0 (check @p plan->load_error for failures Linux reports only
 *         after the point of no return); before the point of no return,
 *         in Linux's order:
 *         - the read callback's error reading the header;
 *         - -PM_ENOEXEC: no "\x7fELF" magic, e_type not ET_EXEC/ET_DYN, the
 *           arch's elf_check() refuses e_machine/class, e_phentsize != 56,
 *           e_phnum 0 or above PM_ELF_PHNUM_MAX, program headers not fully
 *           readable; PT_INTERP p_filesz below 2 or above 4096, or its last
 *           byte not NUL;
 *         - -PM_EINVAL: PT_INTERP range beyond INT64_MAX (rw_verify_area);
 *         - -PM_EIO: PT_INTERP beyond the end of the file, or a read error;
 *         - with PM_ELF_GNU_PROPERTY_STRICT and no PT_INTERP: the note's
 *           parse error (-PM_ENOEXEC, -PM_EIO);
 *         - -PM_ENOMEM: more than PM_ELF_PLAN_INLINE_SEGMENTS PT_LOADs and
 *           pm_hal_alloc() failed;
 *         - -PM_EINVAL: a NULL or incomplete @p args.
 *
 * Context: no procmgr lock held (the callback may sleep). Pure apart from
 * reading, entropy and one optional allocation.
 */
int pm_elf_plan(const struct pm_elf_plan_args *args, struct pm_elf_plan *plan);

/**
 * @brief Validate and plan an ELF interpreter (PT_INTERP target), as
 *        load_elf_binary()'s interpreter checks and load_elf_interp() do.
 *
 * Reads the interpreter's 64-byte header (a short read is -PM_EIO, unlike a
 * main program) and program headers. The interpreter's own PT_INTERP is
 * ignored, as Linux ignores it. Placement: an ET_EXEC interpreter is mapped
 * at its link addresses, replacing what is there (MAP_FIXED); an ET_DYN one
 * is PM_ELF_PLACE_FIND with hint 0 when the main program has a non-zero
 * load bias (Linux's no_base), else hint = its first PT_LOAD's page.
 *
 * @param args            the architecture, layout, reader and flags
 *                        (@c head is ignored).
 * @param main_load_bias  the main program's load bias (0 for ET_EXEC).
 * @param plan            receives the plan (release with
 *                        pm_elf_plan_release() after success).
 * @return 0 (post-point-of-no-return failures in @p plan->load_error:
 *         e_type not ET_EXEC/ET_DYN gives -PM_EPERM, no PT_LOAD -PM_EINVAL,
 *         segment bounds -PM_ENOMEM, as load_elf_interp returns them); or
 *         - the read error, or -PM_EIO for a header shorter than 64 bytes;
 *         - -PM_ELIBBAD: no ELF magic, elf_check() refuses it, bad
 *           e_phentsize/e_phnum, program headers not fully readable;
 *         - with PM_ELF_GNU_PROPERTY_STRICT: the note's parse error;
 *         - -PM_ENOMEM, -PM_EINVAL as pm_elf_plan().
 *
 * Context: as pm_elf_plan().
 */
int pm_elf_plan_interp(const struct pm_elf_plan_args *args, pm_uaddr_t main_load_bias,
                       struct pm_elf_plan *plan);

/**
 * @brief Free what a plan owns. Safe on a zeroed plan and twice.
 * @param plan  a plan filled by pm_elf_plan() or pm_elf_plan_interp().
 *
 * Context: any; does not sleep.
 */
void pm_elf_plan_release(struct pm_elf_plan *plan);

/**
 * @brief The @p i-th PT_LOAD of @p plan, in program-header order.
 * @param plan  a plan.
 * @param i     index below @p plan->nseg.
 * @return the segment (NULL if @p i is out of range).
 *
 * Context: any.
 */
const struct pm_elf_segment *pm_elf_plan_segment(const struct pm_elf_plan *plan, size_t i);

/**
 * @brief Place a PM_ELF_PLACE_FIND* plan: its first PT_LOAD's page goes at
 *        @p addr (rounded down to max_align for PM_ELF_PLACE_FIND_ALIGNED),
 *        as Linux's mmap result does; every address and load_error is
 *        recomputed.
 *
 * @param plan  an unplaced plan.
 * @param addr  where a free range of @p plan->span bytes starts (what the
 *              top-down search below mmap_base returned).
 * @return 0, or -PM_EINVAL if @p plan is already placed.
 *
 * Context: any. Pure.
 */
int pm_elf_place(struct pm_elf_plan *plan, pm_uaddr_t addr);

/* ======================================================================== */
/** @name Applying a plan
 * @{
 */

/**
 * How pm_elf_apply() changes an address space. The HAL version
 * (pm_elf_hal_mapper_init()) calls pm_hal_as_*(); a kernel routes it
 * through its VM-area bookkeeping (the VM module's vmspace) instead.
 */
struct pm_elf_mapper {
	void *ctx; /**< passed to every callback */
	/**
	 * Required. Map [start, start + len) (page-aligned, below TASK_SIZE)
	 * with @p prot. @p flags is PM_MAP_PRIVATE plus PM_MAP_FIXED_NOREPLACE
	 * (-PM_EEXIST if anything is there) or PM_MAP_FIXED (replace what is
	 * there, as mmap MAP_FIXED and vm_brk_flags do), and PM_MAP_ANONYMOUS
	 * when @p file is NULL (zero pages). @p offset is page aligned.
	 * Return 0 or a negative errno; nothing mapped on failure.
	 */
	int (*map)(void *ctx, pm_uaddr_t start, uint64_t len, unsigned int prot, unsigned int flags,
	           struct pm_hal_file *file, uint64_t offset);
	/** Required. Unmap [start, start + len) (page-aligned; holes allowed). */
	int (*unmap)(void *ctx, pm_uaddr_t start, uint64_t len);
	/** Required. Zero @p n bytes at @p uaddr, which the image mapped
	 *  writable (padzero). Return 0 or -PM_EFAULT. */
	int (*clear)(void *ctx, pm_uaddr_t uaddr, uint64_t n);
	/**
	 * Required for PM_ELF_PLACE_FIND* plans. Linux get_unmapped_area()
	 * without MAP_FIXED: a free range of @p len bytes (page multiple) at
	 * @p hint if it is non-zero, page aligned, fits below TASK_SIZE and is
	 * free; otherwise the highest free range below mmap_base (top-down;
	 * bottom-up from mmap_base in the legacy layout). Return 0 and the
	 * start in @p out, or -PM_ENOMEM.
	 */
	int (*find_free)(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out);
};

/** A pm_elf_mapper over the HAL's address-space calls. */
struct pm_elf_hal_mapper {
	struct pm_elf_mapper mapper; /**< pass &this->mapper to pm_elf_apply() */
	struct pm_hal_as *as;        /**< the address space built */
	/** the free-range service (see pm_elf_mapper::find_free), or NULL */
	int (*find_free)(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out);
	void *find_ctx; /**< passed to @c find_free */
};

/**
 * @brief Fill @p hm so that its mapper acts on @p as through pm_hal_as_map,
 *        pm_hal_as_unmap (first, for PM_MAP_FIXED) and pm_hal_as_clear.
 *
 * @param hm         the mapper to fill.
 * @param as         the address space (the new image's, built aside).
 * @param find_free  the free-range service, or NULL when only fixed plans
 *                   will be applied (then PM_ELF_PLACE_FIND* gives -PM_ENOMEM).
 * @param find_ctx   passed to @p find_free.
 *
 * Context: any.
 */
void pm_elf_hal_mapper_init(struct pm_elf_hal_mapper *hm, struct pm_hal_as *as,
                            int (*find_free)(void *ctx, pm_uaddr_t hint, uint64_t len,
                                             pm_uaddr_t *out),
                            void *find_ctx);

/**
 * @brief Map @p plan's image with @p mapper (fs/binfmt_elf.c:elf_load for
 *        every PT_LOAD, in program-header order).
 *
 * Places an unplaced plan first (pm_elf_mapper::find_free, then
 * pm_elf_place()). Then, per segment: the file mapping (the first one
 * spanning the whole image and trimmed when @c reserve), padzero of the
 * last file page of writable segments, the anonymous bss pages. On any
 * failure everything this call mapped is unmapped again.
 *
 * @param plan    a plan with no load_error (placed by this call if needed).
 * @param mapper  how to map; find_free required for unplaced plans.
 * @param file    the file the plan was read from (mapped by reference).
 * @return 0; @p plan->load_error if set (nothing mapped); -PM_ENOMEM from
 *         find_free; the mapper's error (-PM_EEXIST when the first segment
 *         collides, -PM_ENOMEM, ...); -PM_EFAULT if padzero faults;
 *         -PM_EINVAL for NULL arguments.
 *
 * Context: no procmgr lock held except possibly PM_LOCK_VM, as the mapper
 * requires; may sleep. In an exec this runs after the point of no return:
 * a failure there kills the process with SIGSEGV (Linux bprm_execve).
 */
int pm_elf_apply(struct pm_elf_plan *plan, const struct pm_elf_mapper *mapper,
                 struct pm_hal_file *file);

/** @} */

/* ======================================================================== */
/** @name Scripts
 * @{
 */

/** The interpreter line of a `#!` script, as offsets into the buffer. */
struct pm_shebang {
	uint16_t name_off; /**< interpreter path: first byte */
	uint16_t name_len; /**< its length (a C string there after parsing) */
	bool has_arg;      /**< an optional argument follows */
	uint16_t arg_off;  /**< the argument's first byte */
	uint16_t arg_len;  /**< its length (may contain spaces; may be 0) */
};

/**
 * @brief Parse the first line of a script (fs/binfmt_script.c:load_script).
 *
 * Linux's rules: the buffer must start with "#!"; the line ends at the
 * first newline before any NUL, else (no newline: a long first line) the
 * interpreter path must be followed by a space, tab or NUL within the
 * buffer or it is taken as truncated; trailing spaces and tabs are trimmed
 * (a carriage return is not whitespace); the interpreter path ends at the first space,
 * tab or NUL; what follows the separating blanks up to the end of the line
 * is ONE optional argument.
 *
 * @param buf  the file's first PM_BINPRM_BUF_SIZE bytes, zero-padded when
 *             the file is shorter (bprm->buf); modified: the name and the
 *             argument are NUL-terminated in place, as Linux does.
 * @param out  receives the name and argument positions; both are NUL
 *             terminated C strings in @p buf (an interior NUL in the
 *             argument ends it earlier, as it does for Linux).
 * @return 0, or -PM_ENOEXEC: not "#!", no interpreter name, or a possibly
 *         truncated interpreter path.
 *
 * Context: any. Pure; reads only the PM_BINPRM_BUF_SIZE bytes of @p buf.
 */
int pm_shebang_parse(char buf[PM_BINPRM_BUF_SIZE], struct pm_shebang *out);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_LOADER_H */
