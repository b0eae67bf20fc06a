/* SPDX-License-Identifier: MIT */
/*
 * Reading file bytes for the loader: Linux's elf_read() over kernel_read(),
 * including rw_verify_area()'s refusal of offsets that are negative as a
 * loff_t, so that a lying p_offset gets Linux's errno and never reaches the
 * kernel's file layer.
 *
 * And PT_GNU_PROPERTY: the .note.gnu.property note, parsed with the rules
 * of fs/binfmt_elf.c:parse_elf_properties() and parse_elf_property().
 * Linux 6.18 enforces them only where CONFIG_ARCH_USE_GNU_PROPERTY is
 * selected (neither x86_64 nor riscv64); procmgr always parses, to report
 * the x86 feature bits, and records the errno Linux would give.
 */
#include "hal/pm_string.h"
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/hal.h"

int pm_elf_read_hal(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
	return pm_hal_file_read(ctx, off, buf, len, got);
}

int elf_pread_(const struct pm_elf_plan_args *a, uint64_t off, void *buf, size_t len)
{
	size_t got = 0;
	int err;

	/* rw_verify_area: pos < 0, or pos + count < 0, as loff_t. */
	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -PM_EINVAL;
	err = a->read(a->read_ctx, off, buf, len, &got);
	if (err)
		return err;
	return got == len ? 0 : -PM_EIO;
}

/* ---- PT_GNU_PROPERTY ---- */

#define NT_GNU_PROPERTY_TYPE_0         5u
#define GNU_PROPERTY_X86_FEATURE_1_AND 0xc0000002u
#define NOTE_HDR                       12u /* n_namesz, n_descsz, n_type */
#define NOTE_NAME                      4u  /* "GNU\0" */
#define PROP_ALIGN                     8u  /* ELF_GNU_PROPERTY_ALIGN on 64-bit */

static uint64_t round_up8(uint64_t v)
{
	return (v + PROP_ALIGN - 1) & ~(uint64_t)(PROP_ALIGN - 1);
}

/* One property at *off (parse_elf_property): 0, 1 at the end, or -errno. */
static int parse_one(const uint8_t *data, size_t *off, size_t datasz, bool have_prev,
                     uint32_t *prev, struct pm_elf_plan *plan)
{
	size_t o = *off, left;
	uint32_t type, prsz;
	uint64_t step;

	if (o == datasz)
		return 1;
	if (o > datasz || o % PROP_ALIGN)
		return -PM_EIO;
	left = datasz - o;
	if (left < 8)
		return -PM_ENOEXEC;
	type = elf_le32(data + o);
	prsz = elf_le32(data + o + 4);
	o += 8;
	left -= 8;
	if (prsz > left)
		return -PM_ENOEXEC;
	step = round_up8(prsz);
	if (step > left)
		return -PM_ENOEXEC;
	/* Properties are unique and sorted by pr_type. */
	if (have_prev && type <= *prev)
		return -PM_ENOEXEC;
	*prev = type;
	if (plan->arch->id == PM_ARCH_X86_64 && type == GNU_PROPERTY_X86_FEATURE_1_AND && prsz == 4)
		plan->gnu_property.x86_feature_1 = elf_le32(data + o);
	*off = o + (size_t)step;
	return 0;
}

void elf_parse_gnu_property_(const struct pm_elf_plan_args *a, struct pm_elf_plan *plan)
{
	uint8_t note[PM_ELF_GNU_PROPERTY_MAX];
	struct pm_elf_gnu_property *gp = &plan->gnu_property;
	size_t n = 0, off, datasz;
	uint32_t descsz, prev = 0;
	bool have_prev = false;
	int ret;

	gp->status = 0;
	gp->x86_feature_1 = 0;
	if (!gp->present)
		return;
	if (gp->filesz > sizeof(note)) {
		gp->status = -PM_ENOEXEC;
		return;
	}
	/* kernel_read: short reads are fine here; failures read as -EIO. */
	if (gp->offset > (uint64_t)INT64_MAX || gp->filesz > (uint64_t)INT64_MAX - gp->offset ||
	    a->read(a->read_ctx, gp->offset, note, (size_t)gp->filesz, &n) != 0 || n > gp->filesz ||
	    n < NOTE_HDR + NOTE_NAME) {
		gp->status = -PM_EIO;
		return;
	}
	descsz = elf_le32(note + 4);
	if (elf_le32(note + 8) != NT_GNU_PROPERTY_TYPE_0 || elf_le32(note) != NOTE_NAME ||
	    pm_memcmp(note + NOTE_HDR, "GNU", NOTE_NAME) != 0) {
		gp->status = -PM_ENOEXEC;
		return;
	}
	off = (size_t)round_up8(NOTE_HDR + NOTE_NAME);
	if (off > n || descsz > n - off) {
		gp->status = -PM_ENOEXEC;
		return;
	}
	datasz = off + descsz;
	do {
		ret = parse_one(note, &off, datasz, have_prev, &prev, plan);
		have_prev = true;
	} while (ret == 0);
	gp->status = ret < 0 ? ret : 0;
}
