/* SPDX-License-Identifier: MIT */
/*
 * Differential tests: crafted programs, interpreters and scripts exec'd by
 * the running Linux kernel and by procmgr, compared outcome by outcome
 * (errno, SIGSEGV after the point of no return, or success) and, on
 * success, mapping by mapping, with the auxv values, argv, envp, AT_EXECFN,
 * the mm fields of /proc/PID/stat, the stack's executability and the first
 * pc. Scenarios transcribed from gVisor's exec_binary.cc and LTP's execve
 * tests, plus the loader issue's hostile inputs. x86_64 only: riscv64
 * programs cannot be exec'd on this host.
 */
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "diff_harness.h"
#include "exec_test.h"

TestSuite(linux_diff, .init = pm_test_setup);

static const char *const default_env[] = {"A=1", "B=two", NULL};

/* Per-test file names live in the diff directory. */
static const char *fpath(const char *name)
{
	static char paths[64][PATH_MAX];
	static int next;
	char *p = paths[next++ % 64];

	snprintf(p, PATH_MAX, "%s/%s", diff_dir(), name);
	return p;
}

static const char *write_elf(const char *name, const struct eb_elf *e, unsigned int mode)
{
	const char *p = fpath(name);
	size_t size;
	uint8_t *img = eb_build(e, &size);

	cr_assert_eq(eb_write_file(p, img, size, mode), 0, "writing %s", p);
	free(img);
	return p;
}

static const char *write_text(const char *name, const char *text, size_t len, unsigned int mode)
{
	const char *p = fpath(name);

	cr_assert_eq(eb_write_file(p, text, len, mode), 0);
	return p;
}

/* Exec with both, compare; expect_exit >= 0: Linux's program must then
 * exit with it. */
static void check_argv(const char *what, const char *path, const char *const *argv,
                       const char *prog, const char *interp, int expect_exit)
{
	struct diff_result *l = calloc(1, sizeof(*l)), *p = calloc(1, sizeof(*p));
	char buf[512];
	const char *d;

	diff_linux(path, argv, default_env, prog, interp, l);
	diff_procmgr(path, argv, default_env, prog, interp, p);
	d = diff_compare(l, p, buf, sizeof(buf));
	if (getenv("PM_DIFF_VERBOSE"))
		fprintf(stderr, "%-28s linux %d/%-3d procmgr %d/%-3d maps %zu/%zu entry %#llx %s\n",
		        what, l->kind, l->err, p->kind, p->err, l->nmaps, p->nmaps,
		        (unsigned long long)l->entry, d ? d : "same");
	cr_expect_null(d, "%s: %s", what, d);
	if (!d && l->kind == DIFF_OK && expect_exit >= 0)
		cr_expect(WIFEXITED(l->run_status) && WEXITSTATUS(l->run_status) == expect_exit,
		          "%s: the program ended with status %#x", what, l->run_status);
	free(l);
	free(p);
}

static void check(const char *what, const char *path, const char *prog, const char *interp,
                  int expect_exit)
{
	const char *argv[] = {path, "arg1", NULL};

	check_argv(what, path, argv, prog, interp, expect_exit);
}

/* The standard program under `name`, optionally changed by `tweak`. */
static const char *std_prog(const char *name, void (*tweak)(struct eb_elf *))
{
	static struct eb_elf e;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	if (tweak)
		tweak(&e);
	return write_elf(name, &e, 0755);
}

#define STD(name, ...)                                             \
	static void tw_##name(struct eb_elf *e)                    \
	{                                                          \
		__VA_ARGS__;                                       \
	}                                                          \
	static void case_##name(void)                              \
	{                                                          \
		const char *p = std_prog("std_" #name, tw_##name); \
		check(#name, p, p, NULL, 42);                      \
	}

STD(plain, (void)e)
STD(bad_magic, e->no_magic = true)
STD(et_rel, e->type = PM_ET_REL)
STD(et_core, e->type = PM_ET_CORE)
STD(em_386, e->machine = 3)
STD(class32_em_x86_64, e->ident_class = 1)
STD(phentsize_55, e->phentsize = 55)
STD(phnum_0, e->phnum = 0)
STD(phnum_65535, e->phnum = 65535)
STD(phoff_past_eof, e->phoff = 0x100000; e->size = 0x1000)
STD(phoff_2_63, e->phoff = 1ull << 63; e->size = 0x1000)
STD(missing_phdr, e->phnum = 2; e->size = 64 + 56 + 8)
STD(unaligned_offset, e->ph[0].offset = 1)
STD(filesz_above_memsz, e->ph[0].memsz = e->ph[0].filesz - 1)
STD(entry_past_task, e->entry = X86_TASK)
STD(vaddr_past_task, e->ph[0].vaddr = X86_TASK; e->entry = X86_TASK + 0x78)
STD(memsz_huge, e->ph[0].memsz = X86_TASK)
STD(offset_overflow, e->ph[0].offset = 0xfffffffffffff000ull)
STD(offset_eoverflow, e->ph[0].offset = 0x7ffffffffffff000ull)
STD(align_not_pow2, e->ph[0].align = 0x3000)
STD(filesz_past_eof, e->ph[0].filesz = e->ph[0].memsz = 0x5000)
STD(no_gnu_stack, (void)e)
STD(gnu_stack_x, eb_ph(e, PM_PT_GNU_STACK, 7, 0, 0, 0, 0, 16);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(gnu_stack_nx, eb_ph(e, PM_PT_GNU_STACK, 6, 0, 0, 0, 0, 16);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(gnu_property_garbage, eb_ph(e, PM_PT_GNU_PROPERTY, 4, 0, 0, 2000, 2000, 8);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(loproc_header, eb_ph(e, 0x70000003, 4, 0, 0, 16, 16, 1);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(data_bss, eb_ph(e, PM_PT_LOAD, 6, 0x1000, 0x601000, 0x800, 0x1800, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len); e->size = 0x1800)
STD(rwx_extra_pages, eb_ph(e, PM_PT_LOAD, 7, 0x1100, 0x601100, 0x800, 0x1800, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len); e->size = 0x1900)
STD(readonly_bss_tail, eb_ph(e, PM_PT_LOAD, 4, 0x1000, 0x601000, 0x10, 0x2000, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len); e->size = 0x1100)
STD(anon_only, eb_ph(e, PM_PT_LOAD, 4, 0x123, 0x700000, 0, 0x1800, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(zero_length, eb_ph(e, PM_PT_LOAD, 4, 0, 0x700000, 0, 0, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(writable_bss_past_eof, eb_ph(e, PM_PT_LOAD, 6, 0x5010, 0x605010, 0x10, 0x100, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(out_of_order, eb_ph(e, PM_PT_LOAD, 5, 0, 0x200000, 0x100, 0x100, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(overlapping, eb_ph(e, PM_PT_LOAD, 7, 0, 0x400000, 0x200, 0x200, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len))
STD(bss_under_next_segment, eb_ph(e, PM_PT_LOAD, 6, 0x1000, 0x601000, 0x10, 0x3000, 0x1000);
    eb_ph(e, PM_PT_LOAD, 4, 0x2000, 0x602000, 0x10, 0x10, 0x1000);
    eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len); e->size = 0x2100)

PM_TEST(linux_diff, headers_and_segments)
{
	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	case_plain();
	case_bad_magic();
	case_et_rel();
	case_et_core();
	case_em_386();
	case_class32_em_x86_64();
	case_phentsize_55();
	case_phnum_0();
	case_phnum_65535();
	case_phoff_past_eof();
	case_phoff_2_63();
	case_missing_phdr();
	case_unaligned_offset();
	case_filesz_above_memsz();
	case_entry_past_task();
	case_vaddr_past_task();
	case_memsz_huge();
	case_offset_overflow();
	case_offset_eoverflow();
	case_align_not_pow2();
	case_filesz_past_eof();
	case_no_gnu_stack();
	case_gnu_stack_x();
	case_gnu_stack_nx();
	case_gnu_property_garbage();
	case_loproc_header();
	case_data_bss();
	case_rwx_extra_pages();
	case_readonly_bss_tail();
	case_anon_only();
	case_zero_length();
	case_writable_bss_past_eof();
	case_out_of_order();
	case_overlapping();
	case_bss_under_next_segment();
}

PM_TEST(linux_diff, tiny_files)
{
	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	check("empty", write_text("tiny_empty", "", 0, 0755), NULL, NULL, -1);
	check("magic_only", write_text("tiny_magic", "\177ELF", 4, 0755), NULL, NULL, -1);
	check("executable", std_prog("tiny_0644", NULL), fpath("tiny_0644"), NULL, 42);
	chmod(fpath("tiny_0644"), 0644);
	check("mode_0644", fpath("tiny_0644"), NULL, NULL, -1);
	check("text", write_text("tiny_text", "hello\n", 6, 0755), NULL, NULL, -1);
}

PM_TEST(linux_diff, phnum_limit)
{
	struct eb_elf *e = malloc(sizeof(*e));
	const char *p;

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	eb_std(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	for (int i = 1; i < 1170; i++)
		eb_ph(e, PM_PT_NULL, 0, 0, 0, 0, 0, 0);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	p = write_elf("phnum_1170", e, 0755);
	check("phnum_1170", p, p, NULL, 42);
	eb_ph(e, PM_PT_NULL, 0, 0, 0, 0, 0, 0);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	check("phnum_1171", write_elf("phnum_1171", e, 0755), NULL, NULL, -1);
	free(e);
}

/* ---- PIEs, static-pies and ELF interpreters ---- */

/* An ET_DYN image at vaddr 0: one PT_LOAD (flags) with the headers, then
 * the exit(42) code, then optionally a PT_INTERP path. */
static void dyn_image(struct eb_elf *e, uint32_t flags, const char *interp)
{
	eb_std(e, 0, eb_x86_exit42, eb_x86_exit42_len);
	e->type = PM_ET_DYN;
	e->ph[0].flags = flags;
	if (interp) {
		size_t len = strlen(interp) + 1, idx = eb_ph(e, PM_PT_INTERP, 4, 0, 0, len, len, 1);
		uint64_t off;

		eb_std_fix(e, 0, eb_x86_exit42, eb_x86_exit42_len);
		off = 64 + e->nph * 56 + eb_x86_exit42_len;
		e->ph[idx].offset = off;
		eb_blob(e, off, interp, len);
		e->ph[0].filesz = e->ph[0].memsz = off + len;
	}
}

static const char *interp_file(const char *name, void (*tweak)(struct eb_elf *))
{
	static struct eb_elf e;

	dyn_image(&e, 7, NULL);
	if (tweak)
		tweak(&e);
	return write_elf(name, &e, 0755);
}

static void check_dyn(const char *what, uint16_t type, uint64_t align, const char *interp,
                      void (*tweak)(struct eb_elf *))
{
	static struct eb_elf e;
	char name[64];
	const char *p;

	dyn_image(&e, 5, interp);
	e.type = type;
	e.ph[0].align = align;
	if (tweak)
		tweak(&e);
	snprintf(name, sizeof(name), "dyn_%s", what);
	p = write_elf(name, &e, 0755);
	/* /proc/PID/maps names files by their absolute path */
	check(what, p, p, interp && interp[0] == '.' ? fpath(interp + 2) : interp, 42);
}

static void tw_interp_rel(struct eb_elf *e)
{
	e->type = PM_ET_REL;
}

static void tw_no_load(struct eb_elf *e)
{
	e->ph[0].type = PM_PT_NOTE;
}

static void tw_ppc(struct eb_elf *e)
{
	e->machine = 21;
}

static void tw_phnum0(struct eb_elf *e)
{
	e->phnum = 0;
}

static void tw_second_interp(struct eb_elf *e)
{
	eb_ph(e, PM_PT_INTERP, 4, 0x10, 0, 1, 1, 1);
}

static void tw_dyn_out_of_order(struct eb_elf *e)
{
	eb_ph(e, PM_PT_LOAD, 6, 0x1000, 0x20000, 0x800, 0x1800, 0x1000);
	e->ph[0].vaddr = 0x40000;
	e->entry += 0x40000;
	e->size = 0x1800;
}

static void tw_nonzero_vaddr(struct eb_elf *e)
{
	e->ph[0].vaddr = 0x400000;
	e->entry += 0x400000;
	eb_ph(e, PM_PT_LOAD, 6, 0x1000, 0x461000, 0x800, 0x1800, 0x1000);
	e->size = 0x1800;
}

static void tw_empty_span(struct eb_elf *e)
{
	e->ph[0].filesz = e->ph[0].memsz = 0;
}

static void tw_exec_at_400000(struct eb_elf *e)
{
	e->type = PM_ET_EXEC;
	e->ph[0].vaddr = 0x400000;
	e->entry += 0x400000;
}

PM_TEST(linux_diff, pie_and_interpreters)
{
	const char *ld, *p;

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	ld = interp_file("ld_dyn", NULL);
	check_dyn("pie", PM_ET_DYN, 0x1000, ld, NULL);
	check_dyn("pie_align_2m", PM_ET_DYN, 0x200000, ld, NULL);
	check_dyn("pie_align_bogus", PM_ET_DYN, 0x3000, ld, NULL);
	check_dyn("static_pie", PM_ET_DYN, 0x1000, NULL, NULL);
	check_dyn("static_pie_align_64k", PM_ET_DYN, 0x10000, NULL, NULL);
	check_dyn("static_pie_nonzero_vaddr", PM_ET_DYN, 0x1000, NULL, tw_nonzero_vaddr);
	check_dyn("static_pie_empty_span", PM_ET_DYN, 0x1000, NULL, tw_empty_span);
	check_dyn("pie_out_of_order", PM_ET_DYN, 0x1000, ld, tw_dyn_out_of_order);
	check_dyn("static_pie_out_of_order", PM_ET_DYN, 0x1000, NULL, tw_dyn_out_of_order);
	check_dyn("pie_without_load", PM_ET_DYN, 0x1000, ld, tw_no_load);
	check_dyn("exec_with_dyn_interp", PM_ET_EXEC, 0x1000, ld, tw_exec_at_400000);
	check_dyn("two_interps", PM_ET_DYN, 0x1000, ld, tw_second_interp);
	/* an ET_EXEC interpreter mapped over the program (MAP_FIXED) */
	p = std_prog("ld_exec", NULL);
	check_dyn("exec_interp_over_program", PM_ET_EXEC, 0x1000, p, tw_exec_at_400000);
	/* an interpreter that has an interpreter: its PT_INTERP is ignored */
	check_dyn("interp_with_interp", PM_ET_DYN, 0x1000, fpath("dyn_pie"), NULL);
	/* a relative PT_INTERP is resolved from the working directory */
	cr_assert_eq(chdir(diff_dir()), 0);
	check_dyn("relative_interp", PM_ET_DYN, 0x1000, "./ld_dyn", NULL);
}

PM_TEST(linux_diff, interpreter_errors)
{
	char script[80];
	const char *p;

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	check_dyn("interp_missing", PM_ET_DYN, 0x1000, "/nonexistent/ld.so", NULL);
	check_dyn("interp_et_rel", PM_ET_DYN, 0x1000, interp_file("ld_rel", tw_interp_rel), NULL);
	check_dyn("interp_no_load", PM_ET_DYN, 0x1000, interp_file("ld_noload", tw_no_load), NULL);
	check_dyn("interp_ppc64", PM_ET_DYN, 0x1000, interp_file("ld_ppc", tw_ppc), NULL);
	check_dyn("interp_phnum0", PM_ET_DYN, 0x1000, interp_file("ld_phnum0", tw_phnum0), NULL);
	check_dyn("interp_short", PM_ET_DYN, 0x1000,
	          write_text("ld_short", "\177ELF\2\1\1", 7, 0755), NULL);
	memset(script, ' ', sizeof(script));
	memcpy(script, "#!/bin/sh", 9);
	check_dyn("interp_is_script", PM_ET_DYN, 0x1000,
	          write_text("ld_script", script, sizeof(script), 0755), NULL);
	p = interp_file("ld_0644", NULL);
	chmod(p, 0644);
	check_dyn("interp_not_executable", PM_ET_DYN, 0x1000, p, NULL);
}

/* PT_INTERP segments whose bytes lie: sizes, terminator, offsets. */
static void interp_seg(const char *what, uint64_t off, uint64_t filesz, const void *bytes,
                       size_t len)
{
	static struct eb_elf e;
	char name[64];
	const char *p;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(&e, PM_PT_INTERP, 4, off, 0, filesz, filesz, 1);
	eb_std_fix(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	if (bytes)
		eb_blob(&e, off, bytes, len);
	snprintf(name, sizeof(name), "pti_%s", what);
	p = write_elf(name, &e, 0755);
	check(what, p, p, NULL, 42);
}

PM_TEST(linux_diff, pt_interp_segments)
{
	static char big[4097];

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	interp_seg("interp_len1", 0x200, 1, "", 1);
	memset(big, 'a', sizeof(big));
	interp_seg("interp_len4097", 0x200, 4097, big, sizeof(big));
	interp_seg("interp_no_nul", 0x200, 4, "/f/b", 4);
	interp_seg("interp_past_eof", 0x100000, 10, NULL, 0);
	interp_seg("interp_off_2_63", 1ull << 63, 10, NULL, 0);
	interp_seg("interp_off_wraps", (1ull << 63) - 5, 10, NULL, 0);
	interp_seg("interp_enoent", 0x200, 5, "/f/b", 5);
	interp_seg("interp_interior_nul", 0x200, 7, "/f/b\0x", 7);
}

/* ---- `#!` scripts ---- */

static const char *script(const char *name, const char *fmt, const char *arg, unsigned int mode)
{
	char text[1024];
	int n = snprintf(text, sizeof(text), fmt, arg);

	return write_text(name, text, (size_t)n, mode);
}

PM_TEST(linux_diff, scripts)
{
	const char *argv_null[] = {NULL}, *argv3[4];
	char line[400], name[32], prog[PATH_MAX], s[PATH_MAX];

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	snprintf(prog, sizeof(prog), "%s", std_prog("sh_prog", NULL));
	snprintf(s, sizeof(s), "%s", script("sh_basic", "#!%s\necho\n", prog, 0755));
	check("script_basic", s, prog, NULL, 42);
	check("script_blanks", script("sh_blanks", "#! \t %s\t-a  -b \t\n", prog, 0755), prog, NULL,
	      42);
	check("script_no_newline", script("sh_nonl", "#!%s", prog, 0755), prog, NULL, 42);
	check("script_cr", script("sh_cr", "#!%s\r\n", prog, 0755), prog, NULL, 42);
	{
		char text[300];
		int n = snprintf(text, sizeof(text), "#!%s \n", prog);

		/* "#!prog \0x\n": a NUL after the blank gives an empty argument */
		text[n - 1] = 0;
		memcpy(text + n, "x\n", 2);
		check("script_empty_arg", write_text("sh_emptyarg", text, (size_t)n + 2, 0755),
		      prog, NULL, 42);
		text[n - 2] = 0; /* "#!prog\0 x\n": NUL right after the name */
		check("script_nul_name_end", write_text("sh_nulname", text, (size_t)n + 2, 0755),
		      prog, NULL, 42);
	}
	/* a long first line: the argument is cut at the buffer, the name not */
	memset(line, 'x', sizeof(line));
	line[sizeof(line) - 1] = 0;
	snprintf(name, sizeof(name), "%s", "sh_longarg");
	{
		char text[600];
		int n = snprintf(text, sizeof(text), "#!%s %s\n", prog, line);

		check("script_long_arg", write_text(name, text, (size_t)n, 0755), prog, NULL, 42);
		n = snprintf(text, sizeof(text), "#!/%s\n", line);
		check("script_long_name", write_text("sh_longname", text, (size_t)n, 0755), prog,
		      NULL, 42);
	}
	check("script_no_name", write_text("sh_noname", "#!  \n", 5, 0755), prog, NULL, 42);
	check("script_missing_interp", script("sh_missing", "#!%s\n", "/nonexistent", 0755), prog,
	      NULL, 42);
	check("script_not_executable", script("sh_0644", "#!%s\n", prog, 0644), prog, NULL, 42);
	chmod(std_prog("sh_prog_0644", NULL), 0644);
	check("script_interp_not_executable",
	      script("sh_to0644", "#!%s\n", fpath("sh_prog_0644"), 0755), prog, NULL, 42);
	/* an empty argv through a script */
	check_argv("script_null_argv", s, argv_null, prog, NULL, 42);
	/* a script running a PIE with an interpreter */
	check_dyn("pie_for_script", PM_ET_DYN, 0x1000, interp_file("sh_ld", NULL), NULL);
	check("script_to_pie", script("sh_pie", "#!%s -q\n", fpath("dyn_pie_for_script"), 0755),
	      fpath("dyn_pie_for_script"), fpath("sh_ld"), 42);
	argv3[0] = "zero";
	argv3[1] = "one";
	argv3[2] = "two";
	argv3[3] = NULL;
	check_argv("script_argv", s, argv3, prog, NULL, 42);
}

/* exec_binprm: five nested rewrites work, a sixth fails with ELOOP. */
PM_TEST(linux_diff, script_depth)
{
	const char *prev;
	char name[16];

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	prev = std_prog("nest0", NULL);
	for (int i = 1; i <= 6; i++) {
		snprintf(name, sizeof(name), "nest%d", i);
		prev = script(name, "#!%s\n", prev, 0755);
		snprintf(name, sizeof(name), "depth_%d", i);
		check(name, prev, fpath("nest0"), NULL, 42);
	}
	check("self_loop", script("loop", "#!%s\n", fpath("loop"), 0755), NULL, NULL, -1);
}

/* ---- argv and envp limits (fs/exec.c) ---- */

PM_TEST(linux_diff, arguments)
{
	const char *prog, *argv[4] = {NULL};
	char *big = malloc(PM_MAX_ARG_STRLEN + 1);
	const char **many = calloc(40, sizeof(*many));

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	prog = std_prog("args_prog", NULL);
	argv[0] = NULL;
	check_argv("argv_null", prog, argv, prog, NULL, 42);
	memset(big, 'a', PM_MAX_ARG_STRLEN);
	big[PM_MAX_ARG_STRLEN - 1] = 0;
	argv[0] = prog;
	argv[1] = big;
	check_argv("arg_131071", prog, argv, prog, NULL, 42);
	big[PM_MAX_ARG_STRLEN - 1] = 'a';
	big[PM_MAX_ARG_STRLEN] = 0;
	check_argv("arg_131072", prog, argv, prog, NULL, 42);
	/* 17 strings of 128 KiB exceed the 2 MiB of an 8 MiB stack */
	big[PM_MAX_ARG_STRLEN - 1] = 0;
	for (int i = 0; i < 17; i++)
		many[i] = big;
	check_argv("args_over_budget", prog, many, prog, NULL, 42);
	many[15] = NULL;
	check_argv("args_under_budget", prog, many, prog, NULL, 42);
	free(many);
	free(big);
}

/* With randomisation on, Linux's PIE bias is ELF_ET_DYN_BASE plus 28 bits
 * of pages (mmap_rnd_bits), rounded down to the largest p_align: the same
 * set procmgr draws from. */
PM_TEST(linux_diff, randomised_pie_base)
{
	const char *ld, *p, *argv[] = {NULL, NULL};
	struct diff_result *l = calloc(1, sizeof(*l));
	struct pm_elf_plan plan;
	struct eb_elf *e = malloc(sizeof(*e));
	uint64_t seen = 0;

	if (diff_unavailable())
		cr_skip_test("needs the real kernel (not under Valgrind)");
	ld = interp_file("rnd_ld", NULL);
	dyn_image(e, 5, ld);
	e->ph[0].align = 0x200000;
	p = write_elf("rnd_pie", e, 0755);
	argv[0] = p;
	diff_aslr = true;
	for (int i = 0; i < 8; i++) {
		uint64_t bias;

		diff_linux(p, argv, default_env, p, ld, l);
		cr_assert_eq(l->kind, DIFF_OK);
		bias = l->at_entry - e->entry;
		cr_expect_eq(bias % 0x200000, 0, "bias %#llx", (unsigned long long)bias);
		cr_expect_geq(bias, 0x555555400000ull);
		cr_expect_lt(bias, 0x555555554aaaull + (1ull << 40));
		seen |= bias ^ 0x555555400000ull;
	}
	diff_aslr = false;
	cr_expect_neq(seen, 0, "Linux never moved the PIE");
	pm_host_random_seed(1);
	cr_assert_eq(lt_plan(&pm_arch_x86_64, e, PM_ELF_RANDOMIZE, &plan), 0);
	cr_expect_eq(plan.load_bias % 0x200000, 0);
	cr_expect_geq(plan.load_bias, 0x555555400000ull);
	cr_expect_lt(plan.load_bias, 0x555555554aaaull + (1ull << 40));
	pm_elf_plan_release(&plan);
	free(e);
	free(l);
}
