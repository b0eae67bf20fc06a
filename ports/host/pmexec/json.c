/* SPDX-License-Identifier: MIT */
/*
 * The --dry-run document: the load plan, the layout and the initial stack
 * of the planned image as one JSON object, with the keys and conventions
 * of the linux-exec-state oracle (numbers as decimal integers, prot as
 * "r-x", auxv in stack order ending with AT_NULL, strings with bytes below
 * 0x20 or from 0x7f written \u00XX, stack_hex with the 16 AT_RANDOM bytes
 * zeroed), so the two can be compared field by field.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "pmexec.h"
#include "procmgr/auxv.h"
#include "procmgr/elf.h"
#include "procmgr/host.h"
#if defined(__x86_64__)
#include "procmgr/arch_regs.h"
#endif

static const char *const at_names[] = {
    [PM_AT_NULL] = "AT_NULL",
    [PM_AT_IGNORE] = "AT_IGNORE",
    [PM_AT_EXECFD] = "AT_EXECFD",
    [PM_AT_PHDR] = "AT_PHDR",
    [PM_AT_PHENT] = "AT_PHENT",
    [PM_AT_PHNUM] = "AT_PHNUM",
    [PM_AT_PAGESZ] = "AT_PAGESZ",
    [PM_AT_BASE] = "AT_BASE",
    [PM_AT_FLAGS] = "AT_FLAGS",
    [PM_AT_ENTRY] = "AT_ENTRY",
    [PM_AT_NOTELF] = "AT_NOTELF",
    [PM_AT_UID] = "AT_UID",
    [PM_AT_EUID] = "AT_EUID",
    [PM_AT_GID] = "AT_GID",
    [PM_AT_EGID] = "AT_EGID",
    [PM_AT_PLATFORM] = "AT_PLATFORM",
    [PM_AT_HWCAP] = "AT_HWCAP",
    [PM_AT_CLKTCK] = "AT_CLKTCK",
    [PM_AT_SECURE] = "AT_SECURE",
    [PM_AT_BASE_PLATFORM] = "AT_BASE_PLATFORM",
    [PM_AT_RANDOM] = "AT_RANDOM",
    [PM_AT_HWCAP2] = "AT_HWCAP2",
    [PM_AT_RSEQ_FEATURE_SIZE] = "AT_RSEQ_FEATURE_SIZE",
    [PM_AT_RSEQ_ALIGN] = "AT_RSEQ_ALIGN",
    [PM_AT_HWCAP3] = "AT_HWCAP3",
    [PM_AT_HWCAP4] = "AT_HWCAP4",
    [PM_AT_EXECFN] = "AT_EXECFN",
    [PM_AT_SYSINFO] = "AT_SYSINFO",
    [PM_AT_SYSINFO_EHDR] = "AT_SYSINFO_EHDR",
    [PM_AT_L1I_CACHESIZE] = "AT_L1I_CACHESIZE",
    [PM_AT_L1I_CACHEGEOMETRY] = "AT_L1I_CACHEGEOMETRY",
    [PM_AT_L1D_CACHESIZE] = "AT_L1D_CACHESIZE",
    [PM_AT_L1D_CACHEGEOMETRY] = "AT_L1D_CACHEGEOMETRY",
    [PM_AT_L2_CACHESIZE] = "AT_L2_CACHESIZE",
    [PM_AT_L2_CACHEGEOMETRY] = "AT_L2_CACHEGEOMETRY",
    [PM_AT_L3_CACHESIZE] = "AT_L3_CACHESIZE",
    [PM_AT_L3_CACHEGEOMETRY] = "AT_L3_CACHEGEOMETRY",
    [PM_AT_MINSIGSTKSZ] = "AT_MINSIGSTKSZ",
};

/* The stack image [sp, top) of the planned image (malloc'd). */
struct stack_img {
	const uint8_t *b;
	pm_uaddr_t sp;
	size_t size;
};

static uint64_t word(const struct stack_img *s, pm_uaddr_t a)
{
	uint64_t v = 0;

	if (a >= s->sp && a - s->sp + 8 <= s->size)
		memcpy(&v, s->b + (a - s->sp), 8);
	return v;
}

static const char *str_at(const struct stack_img *s, pm_uaddr_t a)
{
	if (a < s->sp || a - s->sp >= s->size ||
	    !memchr(s->b + (a - s->sp), 0, s->size - (size_t)(a - s->sp)))
		return "";
	return (const char *)s->b + (a - s->sp);
}

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void jkey(FILE *f, const char *k)
{
	fprintf(f, ",\n  \"%s\": ", k);
}

static void prot_str(uint32_t pf, char out[4])
{
	out[0] = (pf & PM_PF_R) ? 'r' : '-';
	out[1] = (pf & PM_PF_W) ? 'w' : '-';
	out[2] = (pf & PM_PF_X) ? 'x' : '-';
	out[3] = 0;
}

static void segments(FILE *f, const struct pm_elf_plan *p)
{
	fputc('[', f);
	for (size_t i = 0; i < p->nseg; i++) {
		const struct pm_elf_segment *s = pm_elf_plan_segment(p, i);
		char prot[4];

		prot_str(s->p_flags, prot);
		fprintf(f,
		        "%s\n    {\"vaddr\": %llu, \"memsz\": %llu, \"filesz\": %llu, \"offset\": "
		        "%llu, "
		        "\"prot\": \"%s\"}",
		        i ? "," : "", (unsigned long long)s->p_vaddr + p->load_bias,
		        (unsigned long long)s->p_memsz, (unsigned long long)s->p_filesz,
		        (unsigned long long)s->p_offset, prot);
	}
	fputs("\n  ]", f);
}

static void addrs(FILE *f, const struct stack_img *s, pm_uaddr_t at, uint64_t n, bool strings)
{
	fputc('[', f);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a = word(s, at + 8 * i);

		fputs(i ? ", " : "", f);
		if (strings)
			jstr(f, str_at(s, a));
		else
			fprintf(f, "%llu", (unsigned long long)a);
	}
	fputc(']', f);
}

static void auxv(FILE *f, const struct stack_img *s, const struct pm_vm_stack_layout *l)
{
	fputc('[', f);
	for (size_t i = 0; i < l->auxv_count; i++) {
		uint64_t t = word(s, l->auxv + 16 * i), v = word(s, l->auxv + 16 * i + 8);

		fputs(i ? ",\n    " : "\n    ", f);
		if (t < sizeof(at_names) / sizeof(at_names[0]) && at_names[t])
			fprintf(f, "{\"type\": \"%s\", ", at_names[t]);
		else
			fprintf(f, "{\"type\": \"AT_%llu\", ", (unsigned long long)t);
		fprintf(f, "\"value\": %llu}", (unsigned long long)v);
	}
	fputs("\n  ]", f);
}

#if defined(__x86_64__)
static void regs_x86_64(FILE *f, pm_uaddr_t pc, pm_uaddr_t sp)
{
	struct pm_user_regs r;

	pm_arch_regs_init_exec(&r, pc, sp);
	{
		/* user_regs_struct's names, in linux-exec-state's order */
		const struct {
			const char *name;
			uint64_t v;
		} rs[] = {{"rip", r.rip},       {"rsp", r.rsp},         {"rax", r.rax},
		          {"rbx", r.rbx},       {"rcx", r.rcx},         {"rdx", r.rdx},
		          {"rsi", r.rsi},       {"rdi", r.rdi},         {"rbp", r.rbp},
		          {"r8", r.r8},         {"r9", r.r9},           {"r10", r.r10},
		          {"r11", r.r11},       {"r12", r.r12},         {"r13", r.r13},
		          {"r14", r.r14},       {"r15", r.r15},         {"orig_rax", r.orig_rax},
		          {"eflags", r.eflags}, {"cs", r.cs},           {"ss", r.ss},
		          {"ds", r.ds},         {"es", r.es},           {"fs", r.fs},
		          {"gs", r.gs},         {"fs_base", r.fs_base}, {"gs_base", r.gs_base}};

		for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++)
			fprintf(f, "%s\"%s\": %llu", i ? ", " : "{", rs[i].name,
			        (unsigned long long)rs[i].v);
		fputc('}', f);
	}
}
#endif

/* Copy [sp, top) out of the planned address space, page by page. */
static uint8_t *read_stack(const struct pmx_exec *x, pm_uaddr_t sp, size_t size)
{
	uint8_t *b = malloc(size ? size : 1);

	for (size_t done = 0; b && done < size;) {
		pm_uaddr_t a = sp + done;
		size_t chunk = 4096 - (size_t)(a & 4095);
		const void *p;

		if (chunk > size - done)
			chunk = size - done;
		p = pm_host_as_ptr(x->new_as, a, chunk);
		if (p)
			memcpy(b + done, p, chunk);
		else
			memset(b + done, 0, chunk);
		done += chunk;
	}
	return b;
}

void pmx_json_print(FILE *f, const struct pmx_exec *x)
{
	const struct pm_exec *ex = x->ex;
	const struct pm_vm_stack_layout *l = &x->ev.stack;
	const struct pm_vm_image *im = pm_vm_image(&x->vs);
	const struct pm_vma *stack = pm_vm_find(&x->vs, x->ev.stack_top - 1);
	struct stack_img s = {.sp = l->sp, .size = (size_t)(x->ev.stack_top - l->sp)};
	uint8_t *img = read_stack(x, l->sp, s.size);
	char sprot[4];

	if (!img)
		return;
	s.b = img;
	fputs("{\n  \"path\": ", f);
	jstr(f, str_at(&s, l->execfn));
	jkey(f, "type");
	fputs(ex->main.e_type == PM_ET_EXEC ? "\"ET_EXEC\"" : "\"ET_DYN\"", f);
	jkey(f, "machine");
	jstr(f, x->arch->name);
	jkey(f, "load_bias");
	fprintf(f, "%llu", (unsigned long long)ex->main.load_bias);
	jkey(f, "entry");
	fprintf(f, "%llu", (unsigned long long)x->img.at_entry);
	jkey(f, "segments");
	segments(f, &ex->main);
	jkey(f, "interp");
	if (ex->interp_file) {
		fputs("{\"path\": ", f);
		jstr(f, ex->interp_path);
		fprintf(f, ", \"load_bias\": %llu, \"entry\": %llu, \"segments\": ",
		        (unsigned long long)ex->interp.load_bias,
		        (unsigned long long)ex->interp.entry);
		segments(f, &ex->interp);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	jkey(f, "brk");
	fprintf(f, "%llu", (unsigned long long)im->start_brk);
	jkey(f, "stack_top");
	fprintf(f, "%llu", (unsigned long long)x->ev.stack_top);
	jkey(f, "sp");
	fprintf(f, "%llu", (unsigned long long)l->sp);
	jkey(f, "argc");
	fprintf(f, "%llu", (unsigned long long)l->argc);
	jkey(f, "argv");
	addrs(f, &s, l->argv, l->argc, true);
	jkey(f, "envp");
	addrs(f, &s, l->envp, l->envc, true);
	jkey(f, "execfn");
	jstr(f, str_at(&s, l->execfn));
	if (l->platform) {
		jkey(f, "platform");
		jstr(f, str_at(&s, l->platform));
	}
	jkey(f, "auxv");
	auxv(f, &s, l);
	jkey(f, "argv_addrs");
	addrs(f, &s, l->argv, l->argc, false);
	jkey(f, "envp_addrs");
	addrs(f, &s, l->envp, l->envc, false);
	jkey(f, "random_addr");
	fprintf(f, "%llu", (unsigned long long)l->random);
	jkey(f, "stack_prot");
	prot_str(stack ? ((stack->prot & PM_PROT_READ ? PM_PF_R : 0u) |
	                  (stack->prot & PM_PROT_WRITE ? PM_PF_W : 0u) |
	                  (stack->prot & PM_PROT_EXEC ? PM_PF_X : 0u))
	               : 0u,
	         sprot);
	jstr(f, sprot);
	jkey(f, "stack_vma_start");
	fprintf(f, "%llu", (unsigned long long)(stack ? stack->start : 0));
	jkey(f, "stat");
	fprintf(
	    f,
	    "{\"start_code\": %llu, \"end_code\": %llu, \"start_stack\": %llu, "
	    "\"start_data\": %llu, \"end_data\": %llu, \"start_brk\": %llu, \"arg_start\": %llu, "
	    "\"arg_end\": %llu, \"env_start\": %llu, \"env_end\": %llu}",
	    (unsigned long long)im->start_code, (unsigned long long)im->end_code,
	    (unsigned long long)im->start_stack, (unsigned long long)im->start_data,
	    (unsigned long long)im->end_data, (unsigned long long)im->start_brk,
	    (unsigned long long)im->arg_start, (unsigned long long)im->arg_end,
	    (unsigned long long)im->env_start, (unsigned long long)im->env_end);
#if defined(__x86_64__)
	if (x->arch->id == PM_ARCH_X86_64) {
		jkey(f, "regs");
		regs_x86_64(f, x->ev.entry, l->sp);
	}
#endif
	jkey(f, "stack_hex");
	if (l->random >= l->sp && l->random + 16 <= x->ev.stack_top)
		memset(img + (l->random - l->sp), 0, 16);
	fputc('"', f);
	for (size_t i = 0; i < s.size; i++) {
		static const char hexdig[] = "0123456789abcdef";

		fputc(hexdig[img[i] >> 4], f);
		fputc(hexdig[img[i] & 15], f);
	}
	fputs("\"\n}\n", f);
	free(img);
}
