/* SPDX-License-Identifier: MIT */
/*
 * The initial stack of a new program, byte for byte as Linux builds it:
 * fs/exec.c copies the strings (execfn, then envp and argv from last to
 * first, so they read in order upward) below an 8-byte zero word at the
 * top; fs/binfmt_elf.c create_elf_tables() then aligns down
 * (arch_align_stack), pushes the platform string and 16 random bytes,
 * reserves argc, argv[], envp[] and the auxv, and rounds the stack pointer
 * down to 16. Words are little-endian (both reference architectures).
 */
#include "vm/vm_internal.h"

#include "hal/pm_checked.h"
#include "hal/pm_string.h"
#include "procmgr/auxv.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"
#include "procmgr/vm_stack.h"

#define AUXV_MAX          (PM_ARCH_DLINFO_MAX + 24u)
#define CLOCKS_PER_SEC    100u /* AT_CLKTCK: USER_HZ */
#define ELF64_PHENT       56u
#define RSEQ_FEATURE_SIZE 28u /* offsetof(struct rseq, end) */
#define RSEQ_ALIGN        32u /* __alignof__(struct rseq) */

/* ---- string lists ---- */

/* Length with its NUL, bounded: MAX_ARG_STRLEN + 1 means "too long". */
static uint64_t arg_len(const char *s, size_t avail)
{
	size_t lim = avail < PM_VM_MAX_ARG_STRLEN ? avail : (size_t)PM_VM_MAX_ARG_STRLEN;
	size_t n = pm_strnlen(s, lim);

	if (n == lim)
		return n == PM_VM_MAX_ARG_STRLEN ? PM_VM_MAX_ARG_STRLEN + 1 : 0;
	return n + 1;
}

/*
 * Check a list and sum its bytes (NULs included). -PM_EINVAL for a list
 * that does not hold what it says (NULL pointers, a blob whose strings do
 * not end exactly at blob_len); -PM_E2BIG for a string past MAX_ARG_STRLEN
 * (copy_strings).
 */
static int strv_total(const struct pm_vm_strv *sv, uint64_t *total)
{
	uint64_t sum = 0;

	if (sv->count && !sv->v && !sv->blob)
		return -PM_EINVAL;
	if (sv->v) {
		for (size_t i = 0; i < sv->count; i++) {
			uint64_t l;

			if (!sv->v[i])
				return -PM_EINVAL;
			l = arg_len(sv->v[i], SIZE_MAX);
			if (l > PM_VM_MAX_ARG_STRLEN)
				return -PM_E2BIG;
			sum += l;
		}
	} else {
		for (size_t i = 0; i < sv->count; i++) {
			uint64_t l = arg_len(sv->blob + sum, sv->blob_len - (size_t)sum);

			if (l > PM_VM_MAX_ARG_STRLEN)
				return -PM_E2BIG;
			if (l == 0)
				return -PM_EINVAL;
			sum += l;
		}
		if (sum != sv->blob_len)
			return -PM_EINVAL;
	}
	*total = sum;
	return 0;
}

/* ---- the auxiliary vector (create_elf_tables, in Linux's order) ---- */

static size_t build_auxv(const struct pm_arch_desc *arch, const struct pm_vm_stack_in *in,
                         const struct pm_vm_stack_layout *l, struct pm_auxv_entry *a)
{
	size_t n = arch->auxv_dlinfo(&in->hw, a, PM_ARCH_DLINFO_MAX);

#define AUX(t, v) (a[n++] = (struct pm_auxv_entry){(t), (v)})
	AUX(PM_AT_HWCAP, in->hw.hwcap);
	AUX(PM_AT_PAGESZ, arch->page_size);
	AUX(PM_AT_CLKTCK, CLOCKS_PER_SEC);
	AUX(PM_AT_PHDR, in->phdr);
	AUX(PM_AT_PHENT, in->phent ? in->phent : ELF64_PHENT);
	AUX(PM_AT_PHNUM, in->phnum);
	AUX(PM_AT_BASE, in->base);
	AUX(PM_AT_FLAGS, in->at_flags);
	AUX(PM_AT_ENTRY, in->entry);
	AUX(PM_AT_UID, in->uid);
	AUX(PM_AT_EUID, in->euid);
	AUX(PM_AT_GID, in->gid);
	AUX(PM_AT_EGID, in->egid);
	AUX(PM_AT_SECURE, in->secure ? 1u : 0u);
	AUX(PM_AT_RANDOM, l->random);
	if (arch->has_hwcap2)
		AUX(PM_AT_HWCAP2, in->hw.hwcap2);
	AUX(PM_AT_EXECFN, l->execfn);
	if (arch->elf_platform)
		AUX(PM_AT_PLATFORM, l->platform);
	if (in->flags & PM_VM_STACK_EXECFD)
		AUX(PM_AT_EXECFD, (uint64_t)(int64_t)in->execfd);
	if (!(in->flags & PM_VM_STACK_NO_RSEQ)) {
		AUX(PM_AT_RSEQ_FEATURE_SIZE, RSEQ_FEATURE_SIZE);
		AUX(PM_AT_RSEQ_ALIGN, RSEQ_ALIGN);
	}
	AUX(PM_AT_NULL, 0);
#undef AUX
	return n;
}

/* ---- layout ---- */

/* p -= n, failing (EFAULT: the stack cannot reach) below address 0. */
static bool push(pm_uaddr_t *p, uint64_t n)
{
	if (*p < n)
		return false;
	*p -= n;
	return true;
}

/* fs/exec.c bprm_stack_limits(): strings and pointers must fit a quarter
 * of the stack limit (at most 6 MiB, at least ARG_MAX). */
static int check_budget(const struct pm_vm_stack_in *in, uint64_t argc, uint64_t envc,
                        uint64_t strings)
{
	uint64_t rlim = in->stack_limit ? in->stack_limit : PM_VM_STK_LIM;
	uint64_t limit = PM_VM_STK_LIM / 4 * 3, ptrs;

	if (rlim / 4 < limit)
		limit = rlim / 4;
	if (limit < PM_VM_ARG_MAX)
		limit = PM_VM_ARG_MAX;
	if (pm_add_overflow_u64(argc ? argc : 1, envc, &ptrs) ||
	    pm_mul_overflow_u64(ptrs, 8, &ptrs))
		return -PM_E2BIG;
	if (limit <= ptrs || strings > limit - ptrs)
		return -PM_E2BIG;
	return 0;
}

static int plan(const struct pm_arch_desc *arch, const struct pm_vm_stack_in *in, pm_uaddr_t top,
                struct pm_vm_stack_layout *l, struct pm_auxv_entry *aux)
{
	uint64_t argb = 0, envb = 0, fnl, words;
	pm_uaddr_t p = top;
	int err;

	if ((top & (PM_PAGE_SIZE - 1)) || !in->execfn || in->align_rnd >= arch->align_stack_rnd)
		return -PM_EINVAL;
	err = strv_total(&in->argv, &argb);
	if (!err)
		err = strv_total(&in->envp, &envb);
	if (err)
		return err;
	fnl = arg_len(in->execfn, SIZE_MAX);
	if (fnl > PM_VM_MAX_ARG_STRLEN)
		return -PM_E2BIG;
	pm_memset(l, 0, sizeof(*l));
	l->top = top;
	l->argc = in->argv.count ? in->argv.count : 1; /* Linux pushes "" for an empty argv */
	l->envc = in->envp.count;
	if (!in->argv.count)
		argb = 1;
	err = check_budget(in, in->argv.count, l->envc, fnl + envb + argb);
	if (err)
		return err;
	if (!push(&p, 8) || !push(&p, fnl))
		return -PM_EFAULT;
	l->execfn = l->env_end = p;
	if (!push(&p, envb))
		return -PM_EFAULT;
	l->env_start = l->arg_end = p;
	if (!push(&p, argb))
		return -PM_EFAULT;
	l->arg_start = p;
	l->strings_size = top - p;
	/* create_elf_tables: arch_align_stack, platform, AT_RANDOM. */
	if (!push(&p, in->align_rnd))
		return -PM_EFAULT;
	p &= ~(pm_uaddr_t)15;
	if (arch->elf_platform && !push(&p, pm_strnlen(arch->elf_platform, 64) + 1))
		return -PM_EFAULT;
	l->platform = arch->elf_platform ? p : 0;
	if (!push(&p, 16))
		return -PM_EFAULT;
	l->random = p;
	l->auxv_count = build_auxv(arch, in, l, aux);
	/* STACK_ADD(p, ei_index), then STACK_ROUND(sp, items). */
	words = 2 * l->auxv_count + (l->argc + 1) + (l->envc + 1) + 1;
	if (words > p / 8 || !push(&p, words * 8))
		return -PM_EFAULT;
	l->sp = p & ~(pm_uaddr_t)15;
	l->size = (size_t)(top - l->sp);
	l->argv = l->sp + 8;
	l->envp = l->argv + 8 * (l->argc + 1);
	l->auxv = l->envp + 8 * (l->envc + 1);
	return 0;
}

/* ---- filling ---- */

static void put64(uint8_t *b, uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* Copy a list's strings to b and write their user addresses (from uaddr
 * on) as words at ptrs. */
static void fill_strings(const struct pm_vm_strv *sv, uint8_t *b, pm_uaddr_t uaddr, uint8_t *ptrs)
{
	size_t off = 0;

	if (!sv->v) {
		pm_memcpy(b, sv->blob, sv->blob_len);
		for (size_t i = 0; i < sv->count; i++) {
			put64(ptrs + 8 * i, uaddr + off);
			off += pm_strnlen(sv->blob + off, sv->blob_len - off) + 1;
		}
		return;
	}
	for (size_t i = 0; i < sv->count; i++) {
		size_t len = pm_strnlen(sv->v[i], (size_t)PM_VM_MAX_ARG_STRLEN) + 1;

		pm_memcpy(b + off, sv->v[i], len);
		put64(ptrs + 8 * i, uaddr + off);
		off += len;
	}
}

int pm_vm_stack_build(const struct pm_arch_desc *arch, const struct pm_vm_stack_in *in,
                      pm_uaddr_t top, struct pm_vm_stack_layout *out, void *buf, size_t size)
{
	struct pm_auxv_entry aux[AUXV_MAX];
	struct pm_vm_stack_layout l;
	uint8_t *b = buf;
	int err;

	if (!arch || !in || !out)
		return -PM_EINVAL;
	err = plan(arch, in, top, &l, aux);
	if (err)
		return err;
	*out = l;
	if (!buf)
		return 0;
	if (size < l.size)
		return -PM_EFAULT;
	/* Fresh stack pages are zero: so are the image's gaps. */
	pm_memset(b, 0, l.size);
#define AT(addr) (b + ((addr)-l.sp))
	put64(AT(l.sp), l.argc);
	if (in->argv.count)
		fill_strings(&in->argv, AT(l.arg_start), l.arg_start, AT(l.argv));
	else
		put64(AT(l.argv), l.arg_start); /* argv[0] = "" (already zero) */
	fill_strings(&in->envp, AT(l.env_start), l.env_start, AT(l.envp));
	pm_memcpy(AT(l.execfn), in->execfn, pm_strnlen(in->execfn, (size_t)PM_VM_MAX_ARG_STRLEN));
	if (l.platform)
		pm_memcpy(AT(l.platform), arch->elf_platform, pm_strnlen(arch->elf_platform, 64));
	pm_memcpy(AT(l.random), in->random, 16);
	for (size_t i = 0; i < l.auxv_count; i++) {
		put64(AT(l.auxv + 16 * i), aux[i].type);
		put64(AT(l.auxv + 16 * i + 8), aux[i].value);
	}
#undef AT
	return 0;
}

void pm_vm_stack_random(const struct pm_vmspace *vs, struct pm_vm_stack_in *in)
{
	pm_hal_random_bytes(in->random, sizeof(in->random));
	in->align_rnd = vm_randomize(vs) ? vm_random_below(vs->arch->align_stack_rnd) : 0;
}

int pm_vm_stack_write(struct pm_vmspace *vs, const struct pm_vm_stack_layout *lay, const void *buf)
{
	const struct pm_vma *v = pm_vm_find(vs, lay->top - 1);

	if (!v || !(v->flags & PM_VMA_GROWSDOWN) || v->end != lay->top)
		return -PM_EFAULT;
	/* find_extend_vma_locked(): grow the stack down to sp if needed. */
	if (lay->sp < v->start && pm_vm_expand_stack(vs, lay->sp))
		return -PM_EFAULT;
	if (pm_hal_as_write(vs->as, lay->sp, buf, lay->size))
		return -PM_EFAULT;
	vs->image.start_stack = lay->sp;
	vs->image.arg_start = lay->arg_start;
	vs->image.arg_end = lay->arg_end;
	vs->image.env_start = lay->env_start;
	vs->image.env_end = lay->env_end;
	return 0;
}
