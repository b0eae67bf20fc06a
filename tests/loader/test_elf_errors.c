/* SPDX-License-Identifier: MIT */
/*
 * Malformed programs: every refusal of fs/binfmt_elf.c before the point of
 * no return with its errno (load_elf_binary, load_elf_phdrs, the PT_INTERP
 * loop, rw_verify_area), and the failures Linux only meets after it
 * (recorded in load_error: execve then ends in SIGSEGV). Each errno here
 * was also observed on the running 6.18 kernel (see test_linux_diff.c).
 */
#include "loader_test.h"

TestSuite(elf_errors, .init = pm_test_setup);

static int plan_err(const struct eb_elf *e)
{
	struct pm_elf_plan p;
	int err = lt_plan(&pm_arch_x86_64, e, 0, &p);

	if (err == 0)
		pm_elf_plan_release(&p);
	return err;
}

/* load_error of a plan that must succeed before the point of no return. */
static int load_err(const struct eb_elf *e)
{
	struct pm_elf_plan p;
	int err = lt_plan(&pm_arch_x86_64, e, 0, &p);

	cr_assert_eq(err, 0, "plan failed early: %d", err);
	err = p.load_error;
	pm_elf_plan_release(&p);
	return err;
}

PM_TEST(elf_errors, header_fields)
{
	struct eb_elf e;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(plan_err(&e), 0);
	e.no_magic = true;
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	e.no_magic = false;
	for (uint16_t t = 0; t < 8; t++) {
		e.type = t;
		cr_assert_eq(plan_err(&e), t == PM_ET_EXEC || t == PM_ET_DYN ? 0 : -PM_ENOEXEC);
	}
	e.type = PM_ET_EXEC;
	e.machine = 3; /* EM_386 */
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	e.machine = PM_EM_X86_64;
	/* x86_64 does not check EI_CLASS (elf_check_arch is e_machine only) */
	e.ident_class = 1;
	cr_assert_eq(plan_err(&e), 0);
	e.ident_class = 0;
	e.phentsize = 55;
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	e.phentsize = 57;
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	e.phentsize = 0;
	e.phnum = 0;
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
}

/* 1 <= e_phnum <= 65536 / 56 (checked on Linux 6.18: 1170 runs, 1171 and
 * 65535 get ENOEXEC). */
PM_TEST(elf_errors, phnum_limits)
{
	struct eb_elf *e = malloc(sizeof(*e));

	eb_std(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	for (int i = 1; i < 1170; i++)
		eb_ph(e, PM_PT_NULL, 0, 0, 0, 0, 0, 0);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(plan_err(e), 0);
	eb_ph(e, PM_PT_NULL, 0, 0, 0, 0, 0, 0);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(plan_err(e), -PM_ENOEXEC);
	e->phnum = 65535;
	cr_assert_eq(plan_err(e), -PM_ENOEXEC);
	free(e);
}

/* Program headers that are not all in the file: ENOEXEC (load_elf_phdrs
 * collapses every read problem). */
PM_TEST(elf_errors, phdrs_out_of_file)
{
	struct eb_elf e;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.phnum = 2; /* one more than written: it lies past the end */
	e.size = 64 + 56 + 10;
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.phoff = 0x100000;
	e.size = 0x1000; /* the table lies past the end */
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	e.phoff = 1ull << 63;
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
	e.phoff = UINT64_MAX - 20; /* the table's end wraps */
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC);
}

/* Every prefix of a valid program: ENOEXEC until the table is whole, and
 * never a read outside the data (ASan checks the reader's memcpy). */
PM_TEST(elf_errors, truncated_files)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	size_t size;
	uint8_t *img;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_GNU_STACK, PM_PF_R | PM_PF_W, 0, 0, 0, 0, 16);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(&e, &size);
	for (size_t n = 0; n <= size; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		struct eb_mem m = {.data = copy, .size = n};
		struct pm_elf_plan_args a = {
		    .arch = &pm_arch_x86_64, .read = eb_mem_read, .read_ctx = &m};
		int err;

		memcpy(copy, img, n);
		err = pm_elf_plan(&a, &p);
		cr_assert_eq(err, n >= 64 + 2 * 56 ? 0 : -PM_ENOEXEC, "prefix %zu: %d", n, err);
		pm_elf_plan_release(&p);
		free(copy);
	}
	free(img);
}

/* The reader's errors: on the header they pass through (prepare_binprm),
 * on the program headers they read as ENOEXEC. */
PM_TEST(elf_errors, read_errors)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	size_t size;
	uint8_t *img;
	struct eb_mem m;
	struct pm_elf_plan_args a = {.arch = &pm_arch_x86_64, .read = eb_mem_read, .read_ctx = &m};

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(&e, &size);
	m = (struct eb_mem){.data = img, .size = size, .fail_at = 1, .fail_err = -PM_EIO};
	cr_assert_eq(pm_elf_plan(&a, &p), -PM_EIO);
	m = (struct eb_mem){.data = img, .size = size, .fail_at = 2, .fail_err = -PM_EIO};
	cr_assert_eq(pm_elf_plan(&a, &p), -PM_ENOEXEC);
	cr_assert_eq(pm_elf_plan(NULL, &p), -PM_EINVAL);
	cr_assert_eq(pm_elf_plan(&a, NULL), -PM_EINVAL);
	a.mmap_rnd_bits = 33; /* above the x86_64 maximum */
	cr_assert_eq(pm_elf_plan(&a, &p), -PM_EINVAL);
	free(img);
}

static void with_interp(struct eb_elf *e, uint64_t off, uint64_t filesz, const void *path,
                        size_t len)
{
	eb_std(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(e, PM_PT_INTERP, PM_PF_R, off, 0, filesz, filesz, 1);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	if (path)
		eb_blob(e, off, path, len);
}

/* PT_INTERP (load_elf_binary's first loop), each errno seen on 6.18. */
PM_TEST(elf_errors, pt_interp_rules)
{
	static char big[4097];
	struct eb_elf e;

	with_interp(&e, 0x200, 6, "/f/b\0", 6);
	cr_assert_eq(plan_err(&e), 0);
	with_interp(&e, 0x200, 1, "", 1);
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC); /* p_filesz < 2 */
	memset(big, 'a', sizeof(big));
	big[4096] = 0;
	with_interp(&e, 0x200, 4097, big, sizeof(big));
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC); /* > PATH_MAX */
	big[4095] = 0;
	with_interp(&e, 0x200, 4096, big, 4096);
	cr_assert_eq(plan_err(&e), 0);
	with_interp(&e, 0x200, 4, "/f/b", 4);
	cr_assert_eq(plan_err(&e), -PM_ENOEXEC); /* not NUL-terminated */
	with_interp(&e, 0x200, 5, "/f\0b", 5);
	cr_assert_eq(plan_err(&e), 0); /* interior NUL: a shorter path */
	with_interp(&e, 0x100000, 10, NULL, 0);
	cr_assert_eq(plan_err(&e), -PM_EIO); /* beyond the end of the file */
	with_interp(&e, 1ull << 63, 10, NULL, 0);
	cr_assert_eq(plan_err(&e), -PM_EINVAL); /* negative loff_t */
	with_interp(&e, (1ull << 63) - 5, 10, NULL, 0);
	cr_assert_eq(plan_err(&e), -PM_EINVAL); /* pos + count overflows */
}

/* Two PT_INTERPs: only the first is looked at; a broken second is fine. */
PM_TEST(elf_errors, two_pt_interps)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	with_interp(&e, 0x200, 5, "/a/b", 5);
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x300, 0, 1, 1, 1);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_blob(&e, 0x200, "/a/b", 5);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.interp_index, 1);
	cr_assert_eq(p.interp_offset, 0x200);
	pm_elf_plan_release(&p);
}

/* After the point of no return (SIGSEGV on Linux): the per-PT_LOAD TASK_SIZE
 * checks, mmap's refusals, the entry point. */
PM_TEST(elf_errors, load_errors)
{
	struct eb_elf e;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.ph[0].offset = 1; /* p_offset != p_vaddr mod page: mmap EINVAL */
	cr_assert_eq(load_err(&e), -PM_EINVAL);
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.ph[0].memsz = e.ph[0].filesz - 1;
	cr_assert_eq(load_err(&e), -PM_EINVAL);
	eb_std(&e, X86_TASK, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(load_err(&e), -PM_ENOMEM); /* the mmap fails before the bounds check */
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.ph[0].memsz = X86_TASK; /* p_vaddr + p_memsz beyond TASK_SIZE */
	cr_assert_neq(load_err(&e), 0);
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.entry = X86_TASK;
	cr_assert_eq(load_err(&e), -PM_EINVAL);
	/* gVisor's PIEOverflow: p_vaddr near 2^64 */
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.type = PM_ET_DYN;
	e.ph[0].vaddr = 0xfffffffffffff000ull - e.ph[0].memsz;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &(struct pm_elf_plan){0}), 0);
	/* an offset whose mapping end overflows */
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.ph[0].offset = UINT64_MAX & ~0xfffull;
	cr_assert_eq(load_err(&e), -PM_EINVAL);
	e.ph[0].offset = 0x7ffffffffffff000ull;
	cr_assert_eq(load_err(&e), -PM_EOVERFLOW);
	/* p_filesz wrapping the page-rounded size to 0 */
	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.ph[0].filesz = UINT64_MAX - 10;
	e.ph[0].memsz = UINT64_MAX;
	cr_assert_neq(load_err(&e), 0);
}

/* Static-pie whose PT_LOADs span nothing: total_mapping_size() == 0. */
PM_TEST(elf_errors, et_dyn_empty_span)
{
	struct eb_elf e;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R, 0, 0x10000, 0, 0, 0x1000);
	cr_assert_eq(load_err(&e), -PM_EINVAL);
}

/* ET_DYN with PT_INTERP but no PT_LOAD: Linux maps nothing of the program
 * and runs the interpreter (observed on 6.18). */
PM_TEST(elf_errors, et_dyn_without_load_runs_interp)
{
	struct eb_elf e;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x100, 0, 3, 3, 1);
	eb_blob(&e, 0x100, "/i", 3);
	e.entry = X86_TASK; /* the program's entry is not checked then */
	cr_assert_eq(load_err(&e), 0);
}

/* padzero on a writable segment whose last file page is wholly past the end
 * of the file: the page fault is SIGBUS, clear_user fails, exec -EFAULT. */
PM_TEST(elf_errors, writable_bss_page_beyond_eof)
{
	struct eb_elf e;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x5010, 0x605010, 0x10, 0x100, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(load_err(&e), -PM_EFAULT);
	/* read-only: the fault is ignored */
	e.ph[1].flags = PM_PF_R;
	cr_assert_eq(load_err(&e), 0);
	/* within the file: fine */
	e.ph[1].flags = PM_PF_R | PM_PF_W;
	e.size = 0x5020;
	cr_assert_eq(load_err(&e), 0);
}

/* Interpreter checks: ELIBBAD before the point of no return, EIO for a
 * short header; the rest after it. */
PM_TEST(elf_errors, interpreter_rules)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	struct eb_mem m = {.data = (const uint8_t *)"\177ELF\2\1\1", .size = 7};
	struct pm_elf_plan_args a = {.arch = &pm_arch_x86_64, .read = eb_mem_read, .read_ctx = &m};

	cr_assert_eq(pm_elf_plan_interp(&a, 0, &p), -PM_EIO);
	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x100, 0x100, 0x1000);
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, X86_DYN_BASE, &p), 0);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIND);
	cr_assert_eq(p.hint, 0);
	pm_elf_plan_release(&p);
	e.no_magic = true;
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), -PM_ELIBBAD);
	e.no_magic = false;
	e.machine = 21; /* EM_PPC64 */
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), -PM_ELIBBAD);
	e.machine = PM_EM_X86_64;
	e.phnum = 0;
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), -PM_ELIBBAD);
	e.phnum = -1;
	e.phentsize = 32;
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), -PM_ELIBBAD);
	e.phentsize = 0;
	/* e_type is checked only in load_elf_interp: (int)~0UL = -EPERM */
	e.type = PM_ET_REL;
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, -PM_EPERM);
	pm_elf_plan_release(&p);
	/* no PT_LOAD: total_mapping_size() == 0 */
	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_NOTE, 0, 0, 0, 0, 0, 4);
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, -PM_EINVAL);
	pm_elf_plan_release(&p);
	/* a segment past TASK_SIZE: -ENOMEM for an interpreter */
	eb_init(&e, PM_ET_EXEC, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R, 0, X86_TASK - 0x1000, 0x100, 0x2000, 0x1000);
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, -PM_ENOMEM);
	pm_elf_plan_release(&p);
}

/* Interpreter placement: ET_EXEC at its addresses replacing what is there;
 * ET_DYN next to an ET_EXEC program is hinted at its own first page. Its
 * own PT_INTERP is ignored (an interpreter that has an interpreter runs). */
PM_TEST(elf_errors, interpreter_placement)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x300, 0, 2, 2, 1);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_not(p.has_interp);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIXED);
	cr_assert_eq(p.first_map_flags, PM_MAP_FIXED);
	cr_assert(p.reserve);
	cr_assert_eq(p.load_bias, 0);
	cr_assert_eq(p.load_error, 0);
	pm_elf_plan_release(&p);
	e.type = PM_ET_DYN;
	cr_assert_eq(lt_plan_interp(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIND);
	cr_assert_eq(p.hint, 0x400000);
	cr_assert_eq(pm_elf_place(&p, 0x7fff00000000ull), 0);
	cr_assert_eq(p.entry, 0x7fff00000000ull + e.entry - 0x400000);
	pm_elf_plan_release(&p);
}

/* PT_GNU_PROPERTY: reported (x86 IBT/SHSTK), errors only when strict. */
PM_TEST(elf_errors, gnu_property)
{
	/* note: namesz 4, descsz 16, type 5, "GNU", X86_FEATURE_1_AND = 3 */
	static const uint8_t good[] = {4, 0, 0, 0,    16, 0, 0, 0, 5, 0, 0, 0, 'G', 'N', 'U', 0,
	                               2, 0, 0, 0xc0, 4,  0, 0, 0, 3, 0, 0, 0, 0,   0,   0,   0};
	uint8_t bad[sizeof(good)];
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_GNU_PROPERTY, PM_PF_R, 0x200, 0x400200, sizeof(good), sizeof(good), 8);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_blob(&e, 0x200, good, sizeof(good));
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_GNU_PROPERTY_STRICT, &p), 0);
	cr_assert(p.gnu_property.present);
	cr_assert_eq(p.gnu_property.status, 0);
	cr_assert_eq(p.gnu_property.x86_feature_1,
	             PM_GNU_PROPERTY_X86_FEATURE_1_IBT | PM_GNU_PROPERTY_X86_FEATURE_1_SHSTK);
	pm_elf_plan_release(&p);
	/* riscv64 reports no bits */
	e.machine = PM_EM_RISCV;
	cr_assert_eq(lt_plan(&pm_arch_riscv64, &e, 0, &p), 0);
	cr_assert_eq(p.gnu_property.x86_feature_1, 0);
	pm_elf_plan_release(&p);
	e.machine = PM_EM_X86_64;
	/* wrong note type */
	memcpy(bad, good, sizeof(bad));
	bad[8] = 1;
	e.nblob = 1;
	eb_blob(&e, 0x200, bad, sizeof(bad));
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0); /* ignored by default (6.18) */
	cr_assert_eq(p.gnu_property.status, -PM_ENOEXEC);
	pm_elf_plan_release(&p);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_GNU_PROPERTY_STRICT, &p), -PM_ENOEXEC);
	/* pr_datasz beyond the descriptor */
	memcpy(bad, good, sizeof(bad));
	bad[20] = 40;
	e.nblob = 1;
	eb_blob(&e, 0x200, bad, sizeof(bad));
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_GNU_PROPERTY_STRICT, &p), -PM_ENOEXEC);
	/* larger than NOTE_DATA_SZ */
	e.ph[1].filesz = 1025;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_GNU_PROPERTY_STRICT, &p), -PM_ENOEXEC);
	/* shorter than a note header and name: -EIO */
	e.ph[1].filesz = 15;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_GNU_PROPERTY_STRICT, &p), -PM_EIO);
	/* past the end of the file: -EIO */
	e.ph[1].filesz = sizeof(good);
	e.ph[1].offset = 0x10000;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_GNU_PROPERTY_STRICT, &p), -PM_EIO);
}
