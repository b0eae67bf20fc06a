/* SPDX-License-Identifier: MIT */
/*
 * pm_elf_plan(): segments, placement and image values of valid programs,
 * checked against fs/binfmt_elf.c's arithmetic (elf_map, elf_load,
 * padzero, total_mapping_size, maximum_alignment, "PIE handling", "brk
 * handling"), on x86_64 and riscv64.
 */
#include "loader_test.h"

TestSuite(elf_plan, .init = pm_test_setup);

PM_TEST(elf_plan, static_exec_one_segment)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	const struct pm_elf_segment *s;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, 0);
	cr_assert(p.placed);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIXED);
	cr_assert_eq(p.load_bias, 0);
	cr_assert_eq(p.nseg, 1);
	s = pm_elf_plan_segment(&p, 0);
	cr_assert_eq(s->map_start, 0x400000);
	cr_assert_eq(s->map_len, 0x1000);
	cr_assert_eq(s->map_offset, 0);
	cr_assert_eq(s->prot, PM_PROT_READ | PM_PROT_EXEC);
	cr_assert_eq(s->anon_len, 0);
	cr_assert_eq(s->zero_len, 0);
	cr_assert_eq(p.entry, 0x400000 + 64 + 56);
	/* AT_PHDR: e_phoff inside the PT_LOAD at file offset 0. */
	cr_assert_eq(p.phdr_addr, 0x400040);
	cr_assert_eq(p.phnum, 1);
	cr_assert_eq(p.phent, 56);
	cr_assert_eq(p.start_code, 0x400000);
	cr_assert_eq(p.end_code, 0x400000 + 120 + eb_x86_exit42_len);
	cr_assert_eq(p.brk_start, 0x401000);
	cr_assert_not(p.brk_moved);
	cr_assert_eq(p.first_map_flags, PM_MAP_FIXED_NOREPLACE);
	cr_assert_not(p.reserve);
	cr_assert_eq(p.exec_stack, PM_EXSTACK_DEFAULT);
	cr_assert_null(pm_elf_plan_segment(&p, 1));
	pm_elf_plan_release(&p);
}

/* elf_load: file pages, padzero of the last file page, anonymous bss. */
PM_TEST(elf_plan, data_and_bss)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	const struct pm_elf_segment *s;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x1010, 0x601010, 0x100, 0x3000, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.size = 0x2000;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, 0);
	s = pm_elf_plan_segment(&p, 1);
	cr_assert_eq(s->map_start, 0x601000);
	cr_assert_eq(s->map_offset, 0x1000);
	cr_assert_eq(s->map_len, 0x1000);
	cr_assert_eq(s->prot, PM_PROT_READ | PM_PROT_WRITE);
	cr_assert_eq(s->zero_start, 0x601110);
	cr_assert_eq(s->zero_len, 0x1000 - 0x110);
	cr_assert_eq(s->anon_start, 0x602000);
	/* PAGEALIGN(0x601010 + 0x3000) - 0x602000 */
	cr_assert_eq(s->anon_len, 0x3000 - 0x1000 + 0x1000);
	cr_assert_eq(s->anon_prot, PM_PROT_READ | PM_PROT_WRITE);
	cr_assert_eq(p.start_data, 0x601010);
	cr_assert_eq(p.end_data, 0x601110);
	cr_assert_eq(p.brk_start, 0x605000);
	pm_elf_plan_release(&p);
}

/* padzero's clear_user faults on a read-only page and Linux ignores it: the
 * file's bytes stay (confirmed on the 6.18 kernel: the tail read 0x77). */
PM_TEST(elf_plan, readonly_bss_tail_not_zeroed)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	const struct pm_elf_segment *s;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0x1000, 0x601000, 0x10, 0x2000, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e.size = 0x1100;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	s = pm_elf_plan_segment(&p, 1);
	cr_assert_eq(s->zero_len, 0);
	cr_assert_eq(s->anon_start, 0x602000);
	cr_assert_eq(s->anon_len, 0x1000);
	/* bss of an executable segment is executable and writable */
	cr_assert_eq(s->anon_prot, PM_PROT_READ | PM_PROT_WRITE | PM_PROT_EXEC);
	pm_elf_plan_release(&p);
}

/* p_filesz == 0: no file mapping, anonymous pages from PAGESTART. */
PM_TEST(elf_plan, anon_only_segment)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	const struct pm_elf_segment *s;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R, 0x123, 0x700800, 0, 0x1000, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, 0);
	s = pm_elf_plan_segment(&p, 1);
	cr_assert_eq(s->map_len, 0);
	cr_assert_eq(s->anon_start, 0x700000);
	cr_assert_eq(s->anon_len, 0x2000);
	pm_elf_plan_release(&p);
}

/* A zero-length PT_LOAD maps nothing and is accepted. */
PM_TEST(elf_plan, zero_length_segment)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	const struct pm_elf_segment *s;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R, 0, 0x800000, 0, 0, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, 0);
	s = pm_elf_plan_segment(&p, 1);
	cr_assert_eq(s->map_len + s->anon_len + s->zero_len, 0);
	pm_elf_plan_release(&p);
}

/* PIE with PT_INTERP: ELF_ET_DYN_BASE, no randomisation. */
PM_TEST(elf_plan, pie_fixed_at_et_dyn_base)
{
	static const char interp[] = "/lib/ld.so";
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x200, 0, sizeof(interp), sizeof(interp), 1);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x1000, 0x1000, 0x1000);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x1000, 0x3000, 0x100, 0x200, 0x1000);
	eb_blob(&e, 0x200, interp, sizeof(interp));
	e.entry = 0x300;
	e.size = 0x1100;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert(p.has_interp);
	cr_assert_eq(p.interp_offset, 0x200);
	cr_assert_eq(p.interp_filesz, sizeof(interp));
	cr_assert_eq(p.load_error, 0);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIXED);
	cr_assert_eq(p.load_bias, X86_DYN_BASE);
	cr_assert_eq(p.entry, X86_DYN_BASE + 0x300);
	cr_assert_eq(p.total_size, 0x3200);
	cr_assert_eq(p.span, 0x4000);
	cr_assert(p.reserve);
	cr_assert_eq(p.first_map_flags, PM_MAP_FIXED_NOREPLACE);
	cr_assert_eq(pm_elf_plan_segment(&p, 1)->map_start, X86_DYN_BASE + 0x3000);
	cr_assert_eq(p.brk_start, X86_DYN_BASE + 0x4000);
	cr_assert_not(p.brk_moved);
	pm_elf_plan_release(&p);
}

/* ELF_ET_DYN_BASE + arch_mmap_rnd(), aligned to the largest p_align. */
PM_TEST(elf_plan, pie_randomised_and_aligned)
{
	static const char interp[] = "/i";
	struct eb_elf e;
	struct pm_elf_plan p;
	bool moved = false;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x200, 0, sizeof(interp), sizeof(interp), 1);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x1000, 0x1000, 0x200000);
	eb_blob(&e, 0x200, interp, sizeof(interp));
	e.size = 0x1000;
	pm_host_random_seed(7);
	for (int i = 0; i < 64; i++) {
		cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, PM_ELF_RANDOMIZE, &p), 0);
		cr_assert_eq(p.max_align, 0x200000);
		cr_assert_eq(p.load_bias % 0x200000, 0);
		cr_assert_geq(p.load_bias, 0x555555400000ull);
		/* 28 bits of pages above the base */
		cr_assert_lt(p.load_bias, 0x555555554aaaull + (1ull << 40));
		moved |= p.load_bias != 0x555555400000ull;
		pm_elf_plan_release(&p);
	}
	cr_assert(moved, "randomisation never moved the image");
}

/* Static-pie: placed by the free-range search, hint 0, brk moved. */
PM_TEST(elf_plan, static_pie_found_later)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x1800, 0x1800, 0x1000);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x1800, 0x2800, 0x10, 0x900, 0x1000);
	e.entry = 0x100;
	e.size = 0x1810;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIND);
	cr_assert_not(p.placed);
	cr_assert_eq(p.hint, 0);
	cr_assert_eq(p.span, 0x4000);
	cr_assert(p.brk_moved);
	cr_assert_eq(p.brk_start, 0x555555555000ull);
	cr_assert_eq(pm_elf_place(&p, 0x7ffff7ff0000ull), 0);
	cr_assert_eq(pm_elf_place(&p, 0x7ffff7ff0000ull), -PM_EINVAL);
	cr_assert_eq(p.load_bias, 0x7ffff7ff0000ull);
	cr_assert_eq(p.entry, 0x7ffff7ff0100ull);
	cr_assert_eq(pm_elf_plan_segment(&p, 1)->map_start, 0x7ffff7ff2000ull);
	cr_assert_eq(p.load_error, 0);
	pm_elf_plan_release(&p);
}

/* Static-pie with p_align above a page: the found address is aligned down
 * (load_elf_binary's probe), then PAGESTART(aligned - p_vaddr). */
PM_TEST(elf_plan, static_pie_aligned)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x1000, 0x1000, 0x10000);
	e.size = 0x1000;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.placement, PM_ELF_PLACE_FIND_ALIGNED);
	cr_assert_eq(pm_elf_place(&p, 0x7ffff7fff000ull - 0x1000), 0);
	cr_assert_eq(p.load_bias, 0x7ffff7ff0000ull);
	pm_elf_plan_release(&p);
}

/* A non-zero first p_vaddr of a static-pie: the image still goes where the
 * search says (d1fd836dcf00); the hint is Linux's wrapped PAGESTART. */
PM_TEST(elf_plan, static_pie_nonzero_vaddr)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0x234, 0x401234, 0x10, 0x10, 0x1000);
	e.size = 0x300;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.hint, 0xfffffffffffff000ull);
	cr_assert_eq(pm_elf_place(&p, 0x10000000), 0);
	cr_assert_eq(pm_elf_plan_segment(&p, 0)->map_start, 0x10000000);
	cr_assert_eq(p.load_bias, 0x10000000 - 0x401000);
	pm_elf_plan_release(&p);
}

/* Out-of-order and overlapping PT_LOADs are accepted (total size uses the
 * lowest and highest segment, later segments replace earlier pages). */
PM_TEST(elf_plan, out_of_order_and_overlapping)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0x200000, 0x100, 0x100, 0x1000);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W | PM_PF_X, 0, 0x400000, 0x100, 0x100, 0x1000);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.load_error, 0);
	cr_assert_eq(p.nseg, 3);
	cr_assert_eq(p.total_size, 0x200100);
	cr_assert_eq(pm_elf_plan_segment(&p, 1)->map_start, 0x200000);
	pm_elf_plan_release(&p);
	/* as a PIE, the total span is max end - min start */
	e.type = PM_ET_DYN;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.total_size, 0x200100);
	pm_elf_plan_release(&p);
}

/* PT_GNU_STACK: the last one wins; PT_TLS and PT_PHDR are reported. */
PM_TEST(elf_plan, gnu_stack_tls_phdr)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_GNU_STACK, PM_PF_R | PM_PF_W | PM_PF_X, 0, 0, 0, 0, 16);
	eb_ph(&e, PM_PT_PHDR, PM_PF_R, 64, 0x400040, 4 * 56, 4 * 56, 8);
	eb_ph(&e, PM_PT_TLS, PM_PF_R, 0x40, 0x400800, 0x10, 0x40, 0x20);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.exec_stack, PM_EXSTACK_ENABLE_X);
	cr_assert(p.has_phdr);
	cr_assert_eq(p.phdr_vaddr, 0x400040);
	cr_assert(p.tls.present);
	cr_assert_eq(p.tls.memsz, 0x40);
	cr_assert_eq(p.tls.align, 0x20);
	pm_elf_plan_release(&p);
	eb_ph(&e, PM_PT_GNU_STACK, PM_PF_R | PM_PF_W, 0, 0, 0, 0, 16);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.exec_stack, PM_EXSTACK_DISABLE_X);
	pm_elf_plan_release(&p);
}

/* No PT_LOAD containing e_phoff: AT_PHDR is the load bias itself. */
PM_TEST(elf_plan, phdr_outside_any_segment)
{
	struct eb_elf e;
	struct pm_elf_plan p;

	eb_init(&e, PM_ET_EXEC, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0x1000, 0x401000, 0x10, 0x10, 0x1000);
	e.entry = 0x401000;
	e.size = 0x1010;
	cr_assert_eq(lt_plan(&pm_arch_x86_64, &e, 0, &p), 0);
	cr_assert_eq(p.phdr_addr, 0);
	pm_elf_plan_release(&p);
}

/* More PT_LOADs than the plan holds inline: one allocation, released. */
PM_TEST(elf_plan, many_segments_allocate)
{
	struct eb_elf *e = malloc(sizeof(*e));
	struct pm_elf_plan p;
	struct pm_host_stats before, after;

	eb_std(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	for (int i = 1; i < 1170; i++)
		eb_ph(e, PM_PT_LOAD, PM_PF_R, 0, 0x1000000 + (uint64_t)i * 0x1000, 0x10, 0x10,
		      0x1000);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	e->ph[0].memsz = e->ph[0].filesz = 0x10;
	pm_host_stats_get(&before);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, e, 0, &p), 0);
	pm_host_stats_get(&after);
	cr_assert_eq(after.allocs, before.allocs + 1);
	cr_assert_eq(p.nseg, 1170);
	cr_assert_eq(pm_elf_plan_segment(&p, 1169)->map_start, 0x1000000 + 1169ull * 0x1000);
	pm_elf_plan_release(&p);
	pm_elf_plan_release(&p); /* twice is fine */
	/* Allocation failure: -ENOMEM, nothing kept. */
	pm_host_fault_alloc_nth(1);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, e, 0, &p), -PM_ENOMEM);
	pm_host_fault_reset();
	cr_assert_null(p.seg_extra);
	free(e);
}

/* riscv64: EM_RISCV with ELFCLASS64, e_flags ignored; Sv39 and Sv48 bases. */
PM_TEST(elf_plan, riscv64_layouts)
{
	static const char interp[] = "/lib/ld-linux-riscv64-lp64d.so.1";
	struct eb_elf e;
	struct pm_elf_plan p;
	struct eb_mem m;
	size_t size;
	uint8_t *img;
	struct pm_elf_plan_args a = {.arch = &pm_arch_riscv64, .read = eb_mem_read, .read_ctx = &m};

	eb_init(&e, PM_ET_DYN, PM_EM_RISCV);
	e.flags = 0x5; /* RVC | double-float ABI: not checked */
	eb_ph(&e, PM_PT_INTERP, PM_PF_R, 0x200, 0, sizeof(interp), sizeof(interp), 1);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x1000, 0x1000, 0x1000);
	eb_blob(&e, 0x200, interp, sizeof(interp));
	e.size = 0x1000;
	img = eb_build(&e, &size);
	m = (struct eb_mem){.data = img, .size = size};
	cr_assert_eq(pm_elf_plan(&a, &p), 0);
	cr_assert_eq(p.e_flags, 5);
	cr_assert_eq(p.load_bias, 0x2aaaaaa000ull); /* sv39 */
	pm_elf_plan_release(&p);
	a.layout = &pm_arch_riscv64.layouts[1];
	cr_assert_eq(pm_elf_plan(&a, &p), 0);
	cr_assert_eq(p.load_bias, 0x555555555000ull); /* sv48 */
	pm_elf_plan_release(&p);
	/* the x86_64 descriptor refuses it */
	a.arch = &pm_arch_x86_64;
	a.layout = NULL;
	cr_assert_eq(pm_elf_plan(&a, &p), -PM_ENOEXEC);
	free(img);
	/* ELFCLASS32 is refused on riscv64 (elf_check_arch checks the class) */
	e.ident_class = 1;
	cr_assert_eq(lt_plan(&pm_arch_riscv64, &e, 0, &p), -PM_ENOEXEC);
}

/* A header already read by exec (bprm->buf) is used instead of reading. */
PM_TEST(elf_plan, uses_given_head)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	uint8_t buf[256], *img;
	size_t size;
	struct eb_mem m;
	struct pm_elf_plan_args a = {.arch = &pm_arch_x86_64, .read = eb_mem_read, .read_ctx = &m};

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(&e, &size);
	m = (struct eb_mem){.data = img, .size = size};
	memset(buf, 0, sizeof(buf));
	memcpy(buf, img, size < sizeof(buf) ? size : sizeof(buf));
	buf[18] = 0; /* the given header says EM_NONE */
	a.head = buf;
	cr_assert_eq(pm_elf_plan(&a, &p), -PM_ENOEXEC);
	a.head = NULL;
	cr_assert_eq(pm_elf_plan(&a, &p), 0);
	pm_elf_plan_release(&p);
	free(img);
}
