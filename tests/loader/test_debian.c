/* SPDX-License-Identifier: MIT */
/*
 * Real input: every ELF executable and shared object of a few Debian
 * packages (scripts/install-deps.sh installs them) is planned and compared
 * with readelf's view of the same file: type, entry, program-header count,
 * every PT_LOAD (offset, address, sizes, flags, alignment), the
 * interpreter path and PT_GNU_STACK; and the planned mappings are checked
 * against elf_load()'s page arithmetic. x86_64 packages and the riscv64
 * cross C library (libc6-riscv64-cross) are both planned on this host.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <valgrind/valgrind.h>

#include "loader_test.h"

TestSuite(debian, .init = pm_test_setup);

static const char *const packages[] = {
    "coreutils", "busybox-static", "bash", "python3.11-minimal", "libc6", "libc6-riscv64-cross"};

struct re_load {
	uint64_t off, vaddr, filesz, memsz, align;
	uint32_t flags;
};

struct re_view {
	int type; /* ET_* */
	uint64_t entry;
	unsigned int phnum;
	struct re_load load[32];
	size_t nload;
	char interp[4096];
	int gnu_stack; /* -1 none, else PF_* */
};

/* Parse `readelf -lW path`. */
static bool readelf(const char *path, struct re_view *v)
{
	char cmd[4200], line[4400];
	FILE *f;

	memset(v, 0, sizeof(*v));
	v->gnu_stack = -1;
	snprintf(cmd, sizeof(cmd), "readelf -lW '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char type[32];
		unsigned long long off, va, pa, fs, ms;
		int pos = 0;

		if (strncmp(line, "Elf file type is ", 17) == 0)
			v->type = strncmp(line + 17, "EXEC", 4) == 0 ? PM_ET_EXEC : PM_ET_DYN;
		else if (sscanf(line, "Entry point %llx", &off) == 1)
			v->entry = off;
		else if (sscanf(line, "There are %u program headers", &v->phnum) == 1)
			continue;
		else if (sscanf(line, " [Requesting program interpreter: %4095[^]]", v->interp) ==
		         1)
			continue;
		else if (sscanf(line, " %31s %llx %llx %llx %llx %llx %n", type, &off, &va, &pa,
		                &fs, &ms, &pos) == 6) {
			char *rest = line + pos, *align = strrchr(rest, ' ');
			uint32_t flags =
			    (strchr(rest, 'R') && strchr(rest, 'R') < align ? PM_PF_R : 0) |
			    (strchr(rest, 'W') && strchr(rest, 'W') < align ? PM_PF_W : 0) |
			    (strchr(rest, 'E') && strchr(rest, 'E') < align ? PM_PF_X : 0);

			if (strcmp(type, "GNU_STACK") == 0)
				v->gnu_stack = (int)flags;
			if (strcmp(type, "LOAD") != 0 || v->nload == 32)
				continue;
			v->load[v->nload] =
			    (struct re_load){off, va, fs, ms, strtoull(align, NULL, 16), flags};
			v->nload++;
		}
	}
	return pclose(f) == 0 && v->phnum > 0;
}

/* The page arithmetic of elf_load() for one planned segment. */
static void check_segment(const char *path, const struct pm_elf_plan *p,
                          const struct pm_elf_segment *s)
{
	uint64_t pageoff = s->p_vaddr & 4095, addr = p->load_bias + s->p_vaddr;

	cr_expect_eq(s->map_start, addr & ~4095ull, "%s", path);
	if (s->p_filesz) {
		cr_expect_eq(s->map_len, (s->p_filesz + pageoff + 4095) & ~4095ull, "%s", path);
		cr_expect_eq(s->map_offset, s->p_offset - pageoff, "%s", path);
	}
	if (s->p_memsz > s->p_filesz) {
		uint64_t end = (addr + s->p_memsz + 4095) & ~4095ull;

		cr_expect_eq(s->anon_start + s->anon_len, end, "%s", path);
		cr_expect_eq(s->anon_start & 4095, 0, "%s", path);
	}
	if (s->zero_len)
		cr_expect_eq((s->zero_start + s->zero_len) & 4095, 0, "%s", path);
}

/* Plan one file as a program (and as an interpreter if it can be one). */
static void check_file(const char *path, const struct re_view *v)
{
	struct stat st;
	const struct pm_arch_desc *arch;
	struct pm_elf_plan p;
	struct pm_hal_file *f;
	struct pm_elf_plan_args a = {.read = pm_elf_read_hal};

	cr_assert_eq(pm_host_file_open(path, &f), 0, "%s", path);
	stat(path, &st);
	a.read_ctx = f;
	a.file_size = (uint64_t)st.st_size;
	/* the machine decides the descriptor; both are accepted by one of them */
	a.arch = &pm_arch_x86_64;
	if (pm_elf_plan(&a, &p) == -PM_ENOEXEC) {
		a.arch = &pm_arch_riscv64;
		cr_assert_eq(pm_elf_plan(&a, &p), 0, "%s: neither x86_64 nor riscv64", path);
	}
	arch = a.arch;
	cr_expect_eq(p.e_type, v->type, "%s", path);
	cr_expect_eq(p.e_entry, v->entry, "%s", path);
	cr_expect_eq(p.phnum, v->phnum, "%s", path);
	cr_expect_eq(p.nseg, v->nload, "%s", path);
	cr_expect_eq(p.has_interp, v->interp[0] != 0, "%s", path);
	if (p.has_interp) {
		char interp[4096] = {0};
		size_t got = 0;

		pm_hal_file_read(f, p.interp_offset, interp, (size_t)p.interp_filesz, &got);
		cr_expect_str_eq(interp, v->interp, "%s", path);
	}
	cr_expect_eq((int)p.exec_stack,
	             v->gnu_stack < 0                ? PM_EXSTACK_DEFAULT
	             : (v->gnu_stack & PM_PF_X) != 0 ? PM_EXSTACK_ENABLE_X
	                                             : PM_EXSTACK_DISABLE_X,
	             "%s", path);
	if (!p.placed)
		cr_assert_eq(pm_elf_place(&p, (p.layout->task_size / 2) & ~0xffffffull), 0);
	cr_expect_eq(p.load_error, 0, "%s: %d once placed", path, p.load_error);
	for (size_t i = 0; i < p.nseg && i < v->nload; i++) {
		const struct pm_elf_segment *s = pm_elf_plan_segment(&p, i);
		const struct re_load *r = &v->load[i];

		cr_expect(s->p_offset == r->off && s->p_vaddr == r->vaddr &&
		              s->p_filesz == r->filesz && s->p_memsz == r->memsz &&
		              s->p_align == r->align && (s->p_flags & 7) == r->flags,
		          "%s: PT_LOAD %zu differs from readelf", path, i);
		check_segment(path, &p, s);
	}
	cr_expect_eq(p.entry, p.e_entry + p.load_bias, "%s", path);
	pm_elf_plan_release(&p);
	/* as an interpreter (ld.so, libc.so.6 and friends are ET_DYN) */
	if (v->type == PM_ET_DYN) {
		cr_expect_eq(pm_elf_plan_interp(&a, 0x555555554000ull, &p), 0, "%s", path);
		cr_expect_eq(p.placement, PM_ELF_PLACE_FIND, "%s", path);
		cr_expect_eq(p.hint, 0, "%s", path);
		pm_elf_plan_release(&p);
	}
	(void)arch;
	pm_hal_file_put(f);
}

static bool is_elf(const char *path)
{
	char magic[4] = {0};
	FILE *f;
	struct stat st;

	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fread(magic, 1, 4, f) != 4)
		magic[0] = 0;
	fclose(f);
	return memcmp(magic, "\177ELF", 4) == 0;
}

/* Under Valgrind (which would trace dpkg and readelf too): plan three real
 * programs and check what needs no readelf. */
static void valgrind_subset(void)
{
	static const char *const files[] = {"/bin/bash", "/bin/busybox",
	                                    "/lib64/ld-linux-x86-64.so.2"};

	for (size_t i = 0; i < PM_ARRAY_SIZE(files); i++) {
		struct pm_hal_file *f;
		struct pm_elf_plan p;
		struct pm_elf_plan_args a = {.arch = &pm_arch_x86_64, .read = pm_elf_read_hal};

		cr_assert_eq(pm_host_file_open(files[i], &f), 0, "%s", files[i]);
		a.read_ctx = f;
		cr_assert_eq(pm_elf_plan(&a, &p), 0, "%s", files[i]);
		if (!p.placed)
			cr_assert_eq(pm_elf_place(&p, 0x7ffff7fc0000ull), 0);
		cr_expect_eq(p.load_error, 0, "%s", files[i]);
		cr_expect_gt(p.nseg, 0, "%s", files[i]);
		for (size_t k = 0; k < p.nseg; k++)
			check_segment(files[i], &p, pm_elf_plan_segment(&p, k));
		pm_elf_plan_release(&p);
		pm_hal_file_put(f);
	}
}

PM_TEST(debian, packages_match_readelf)
{
	struct re_view *v = malloc(sizeof(*v));
	unsigned int files = 0, riscv = 0, limit = 100000;

	if (RUNNING_ON_VALGRIND) {
		valgrind_subset();
		free(v);
		return;
	}

	for (size_t k = 0; k < PM_ARRAY_SIZE(packages); k++) {
		char cmd[128], path[4096];
		unsigned int in_pkg = 0;
		FILE *list;

		snprintf(cmd, sizeof(cmd), "dpkg -L %s 2>/dev/null", packages[k]);
		list = popen(cmd, "r");
		cr_assert_not_null(list);
		while (fgets(path, sizeof(path), list) && files < limit) {
			path[strcspn(path, "\n")] = 0;
			if (!is_elf(path))
				continue;
			cr_assert(readelf(path, v), "readelf failed on %s", path);
			check_file(path, v);
			riscv += strstr(path, "riscv64") != NULL;
			files++;
			in_pkg++;
		}
		pclose(list);
		cr_expect(in_pkg > 0 || files >= limit,
		          "package %s has no ELF files here: run scripts/install-deps.sh",
		          packages[k]);
	}
	cr_log_info("debian: %u ELF files planned (%u riscv64)", files, riscv);
	cr_expect_geq(files, 150u);
	free(v);
}
