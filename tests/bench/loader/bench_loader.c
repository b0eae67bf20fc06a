/*
 * ELF loader: validate and plan real programs (bash: dynamic PIE with
 * PT_INTERP and a GNU property note; busybox: static; ld.so: static-pie, and
 * as an interpreter), parse a "#!" line, and prepare a small exec. Files
 * are read into memory first: the plans read through a memcpy callback, so
 * the numbers exclude file reads (the target: under 5 us each).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_bench.h"
#include "procmgr/exec.h"
#include "procmgr/host.h"
#include "procmgr/loader.h"
#include "procmgr/mman.h"

struct image {
	uint8_t *data;
	size_t size;
	bool interp;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
	const struct image *im = ctx;

	*got = 0;
	if (off < im->size) {
		*got = im->size - off < len ? im->size - off : len;
		memcpy(buf, im->data + off, *got);
	}
	return 0;
}

static void plan_loop(void *ctx, uint64_t iters)
{
	struct image *im = ctx;
	struct pm_elf_plan_args a = {
	    .arch = &pm_arch_x86_64, .read = mem_read, .read_ctx = im, .file_size = im->size};
	static struct pm_elf_plan p;

	for (uint64_t i = 0; i < iters; i++) {
		int err = im->interp ? pm_elf_plan_interp(&a, 0x555555554000ull, &p)
		                     : pm_elf_plan(&a, &p);

		pm_bench_keep(err);
		if (!p.placed)
			pm_elf_place(&p, 0x7ffff7fc0000ull);
		pm_elf_plan_release(&p);
	}
}

static void shebang_loop(void *ctx, uint64_t iters)
{
	const char *line = ctx;
	char buf[PM_BINPRM_BUF_SIZE];
	struct pm_shebang sb;

	for (uint64_t i = 0; i < iters; i++) {
		memset(buf, 0, sizeof(buf));
		strcpy(buf, line);
		pm_bench_keep(pm_shebang_parse(buf, &sb));
	}
}

struct exec_ctx {
	struct pm_exec ex;
	struct pm_exec_params pa;
};

static void exec_loop(void *ctx, uint64_t iters)
{
	struct exec_ctx *c = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		pm_bench_keep(pm_exec_prepare(&c->ex, &c->pa));
		pm_exec_release(&c->ex);
	}
}

static bool load(const char *path, struct image *im)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	im->data = malloc((size_t)n);
	im->size = fread(im->data, 1, (size_t)n, f);
	fclose(f);
	return im->size == (size_t)n;
}

static void bench_file(const char *name, const char *path, bool interp, uint64_t iters)
{
	struct image im = {.interp = interp};

	if (!load(path, &im)) {
		pm_bench_note("%s: %s not found (scripts/install-deps.sh installs it)", name, path);
		return;
	}
	pm_bench_case(name, iters, plan_loop, &im);
	free(im.data);
}

/* A static program in memory for the exec case. */
static const uint8_t prog[] = {
    0x7f, 'E',  'L', 'F', 2, 1,    1,    0,    0, 0,    0, 0,    0,    0,  0,    0, 2,    0,   62,
    0,    1,    0,   0,   0, 0x78, 0,    0x40, 0, 0,    0, 0,    0,    64, 0,    0, 0,    0,   0,
    0,    0,    0,   0,   0, 0,    0,    0,    0, 0,    0, 0,    0,    0,  64,   0, 56,   0,   1,
    0,    64,   0,   0,   0, 0,    0,    1,    0, 0,    0, 5,    0,    0,  0,    0, 0,    0,   0,
    0,    0,    0,   0,   0, 0,    0x40, 0,    0, 0,    0, 0,    0,    0,  0x40, 0, 0,    0,   0,
    0,    0x84, 0,   0,   0, 0,    0,    0,    0, 0x84, 0, 0,    0,    0,  0,    0, 0,    0,   0x10,
    0,    0,    0,   0,   0, 0,    0xbf, 0x2a, 0, 0,    0, 0xb8, 0x3c, 0,  0,    0, 0x0f, 0x05};

int main(void)
{
	static struct exec_ctx ec;
	struct pm_host_file_spec spec = {.path = "/p", .data = prog, .size = sizeof(prog)};
	struct pm_hal_as *as = pm_host_as_create(false);
	pm_uaddr_t mem, vec[4];

	bench_file("plan_bash_dynamic_pie", "/bin/bash", false, 200000);
	bench_file("plan_busybox_static", "/bin/busybox", false, 200000);
	bench_file("plan_ld_so_static_pie", "/lib64/ld-linux-x86-64.so.2", false, 200000);
	bench_file("plan_ld_so_as_interpreter", "/lib64/ld-linux-x86-64.so.2", true, 200000);
	pm_bench_case("shebang_parse", 1000000, shebang_loop, "#!/usr/bin/env python3 -u\n");
	/* exec: open a virtual file, copy 3 argv + 2 envp strings, plan */
	pm_host_file_add(&spec);
	pm_host_as_map_anywhere(as, 4096, PM_PROT_READ | PM_PROT_WRITE, &mem);
	pm_host_as_set_current(as);
	pm_hal_copy_to_user(mem + 128, "p\0-v\0file.txt\0HOME=/root\0LANG=C", 32);
	vec[0] = mem + 128;
	vec[1] = mem + 130;
	vec[2] = mem + 133;
	vec[3] = 0;
	pm_hal_copy_to_user(mem, vec, sizeof(vec));
	vec[0] = mem + 142;
	vec[1] = mem + 153;
	vec[2] = 0;
	pm_hal_copy_to_user(mem + 64, vec, 3 * sizeof(vec[0]));
	ec.pa = (struct pm_exec_params){.arch = &pm_arch_x86_64,
	                                .filename = "/p",
	                                .argv = mem,
	                                .envp = mem + 64,
	                                .rlim_stack_cur = 8u << 20};
	pm_bench_case("exec_prepare_static_3args_2env", 100000, exec_loop, &ec);
	pm_bench_note("sizeof(struct pm_elf_plan) = %zu, sizeof(struct pm_exec) = %zu bytes",
	              sizeof(struct pm_elf_plan), sizeof(struct pm_exec));
	pm_host_as_set_current(NULL);
	pm_host_as_destroy(as);
	return 0;
}
