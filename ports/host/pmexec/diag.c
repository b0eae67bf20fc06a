/* SPDX-License-Identifier: MIT */
/*
 * What was wrong. procmgr answers an exec with Linux's errno only; for the
 * message pmexec looks at the files again, following the `#!` chain as
 * exec did, and names the file and the rule it broke.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "pmexec.h"
#include "procmgr/elf.h"
#include "procmgr/errno.h"
#include "procmgr/loader.h"

static const char *machine_name(unsigned int m)
{
	switch (m) {
	case 3:
		return "i386";
	case 8:
		return "mips";
	case 20:
		return "ppc";
	case 21:
		return "ppc64";
	case 22:
		return "s390";
	case 40:
		return "arm";
	case PM_EM_X86_64:
		return "x86_64";
	case 183:
		return "aarch64";
	case PM_EM_RISCV:
		return "riscv64";
	case 258:
		return "loongarch";
	default:
		return "an unknown machine";
	}
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Why `path` (an ELF header in h, n bytes read) is refused, or NULL. */
static const char *elf_reason(const struct pmx_exec *x, int fd, const uint8_t *h, ssize_t n,
                              char *buf, size_t cap)
{
	unsigned int type = le16(h + 16), mach = le16(h + 18), phent = le16(h + 54),
	             phnum = le16(h + 56);
	uint64_t phoff = le64(h + 32);
	struct stat st;

	if (n < 64)
		return "the ELF header is cut short";
	if (type != PM_ET_EXEC && type != PM_ET_DYN) {
		snprintf(buf, cap, "ELF type %u is neither ET_EXEC nor ET_DYN", type);
		return buf;
	}
	if (mach != x->arch->elf_machine || (mach == PM_EM_RISCV && h[4] != 2)) {
		if (mach == PM_EM_RISCV && x->real)
			snprintf(
			    buf, cap,
			    "a riscv64 program cannot run on this %s host (pmexec --dry-run plans "
			    "it)",
			    x->arch->name);
		else
			snprintf(buf, cap, "built for %s (e_machine %u), not %s",
			         machine_name(mach), mach, x->arch->name);
		return buf;
	}
	if (phent != 56) {
		snprintf(buf, cap, "e_phentsize is %u, not sizeof(Elf64_Phdr) = 56", phent);
		return buf;
	}
	if (phnum == 0 || phnum > PM_ELF_PHNUM_MAX) {
		snprintf(buf, cap, "e_phnum is %u, outside 1..%u", phnum, PM_ELF_PHNUM_MAX);
		return buf;
	}
	if (fstat(fd, &st) == 0 && phoff + 56ull * phnum > (uint64_t)st.st_size) {
		snprintf(buf, cap,
		         "the program headers (offset %llu, %u entries) run past the end "
		         "of the file (%lld bytes)",
		         (unsigned long long)phoff, phnum, (long long)st.st_size);
		return buf;
	}
	return NULL;
}

/* The PT_INTERP path of the ELF on fd into out: 1, 0 without one, -1 bad. */
static int interp_of(int fd, const uint8_t *h, char *out, size_t cap)
{
	uint64_t phoff = le64(h + 32);
	unsigned int phnum = le16(h + 56);

	out[0] = 0;
	for (unsigned int i = 0; i < phnum; i++) {
		uint8_t ph[56];
		uint64_t off, sz;

		if (pread(fd, ph, sizeof(ph), (off_t)(phoff + 56ull * i)) != (ssize_t)sizeof(ph))
			return 0;
		if (le16(ph) != PM_PT_INTERP)
			continue;
		off = le64(ph + 8);
		sz = le64(ph + 32);
		if (sz < 2 || sz > cap || pread(fd, out, sz, (off_t)off) != (ssize_t)sz ||
		    out[sz - 1] != 0) {
			out[0] = 0;
			return -1;
		}
		return 1;
	}
	return 0;
}

/* Why opening `path` for exec fails with EACCES (NULL: nothing wrong here). */
static const char *access_reason(const char *path)
{
	struct stat st;
	struct statvfs vfs;

	if (stat(path, &st) != 0)
		return "it cannot be opened";
	if (S_ISDIR(st.st_mode))
		return "it is a directory";
	if (!S_ISREG(st.st_mode))
		return "it is not a regular file";
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		return "its file system is mounted noexec";
	if (access(path, X_OK) != 0)
		return "no execute permission";
	return NULL;
}

/*
 * Walk the chain as exec did and describe the failure. `file` receives
 * the file the rule is about.
 */
static const char *reason(const struct pmx_opts *o, const struct pmx_exec *x, int err, char *file,
                          size_t fcap, char *buf, size_t cap)
{
	snprintf(file, fcap, "%s", o->program);
	if (err == -PM_E2BIG)
		return "the argument list and environment are too long";
	if (err == -PM_ELOOP)
		return "more than 5 nested #! interpreters";
	for (unsigned int depth = 0; depth <= PM_EXEC_MAX_DEPTH; depth++) {
		uint8_t h[PM_BINPRM_BUF_SIZE] = {0};
		struct pm_shebang sb;
		ssize_t n;
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		const char *denied = err == -PM_EACCES ? access_reason(file) : NULL;

		if (denied) {
			if (fd >= 0)
				close(fd);
			return denied;
		}
		if (fd < 0)
			return depth ? "the #! interpreter does not exist" : "no such file";
		n = read(fd, h, sizeof(h));
		if (n >= 4 && memcmp(h, "\177ELF", 4) == 0) {
			const char *r = elf_reason(x, fd, h, n, buf, cap);
			char interp[PM_ELF_INTERP_MAX];
			int has = r ? 0 : interp_of(fd, h, interp, sizeof(interp));

			close(fd);
			if (r)
				return r;
			if (has < 0)
				return "its PT_INTERP is malformed (size outside 2..4096, not "
				       "NUL-terminated, or past the end of the file)";
			if (has == 0)
				return "the ELF file is malformed";
			snprintf(file, fcap, "%s", interp);
			if (err == -PM_ENOENT)
				return "its ELF interpreter (PT_INTERP) does not exist";
			if (err == -PM_ELIBBAD)
				return "its ELF interpreter is not a valid ELF for this machine";
			if (err == -PM_EACCES && access_reason(file))
				return access_reason(file);
			return "its ELF interpreter cannot be read";
		}
		close(fd);
		if (n >= 2 && h[0] == '#' && h[1] == '!') {
			if (pm_shebang_parse((char *)h, &sb) != 0)
				return "its #! line names no interpreter, or one that may be "
				       "truncated "
				       "(no space, tab or NUL within 256 bytes)";
			memmove(file, h + sb.name_off, (size_t)sb.name_len + 1);
			continue;
		}
		return "not an ELF file and not a #! script";
	}
	return "more than 5 nested #! interpreters";
}

void pmx_report(const struct pmx_opts *o, const struct pmx_exec *x, int err)
{
	char file[PM_ELF_INTERP_MAX], buf[256];
	const char *what;

	if (x->stage == PMX_LOAD) {
		snprintf(file, sizeof(file), "%s", o->program);
		what = x->load_error
		           ? "its segments cannot be mapped (p_filesz > p_memsz, an address "
		             "beyond TASK_SIZE, an unaligned offset, or no PT_LOAD); "
		             "Linux kills the process with SIGSEGV"
		           : "the new image could not be mapped; Linux kills the process "
		             "with SIGSEGV";
	} else if (err == -PM_EINVAL && !x->layout) {
		snprintf(file, sizeof(file), "%s", o->layout);
		what = "no such paging mode for this machine";
	} else {
		what = reason(o, x, err, file, sizeof(file), buf, sizeof(buf));
	}
	fprintf(stderr, "pmexec: %s: %s (%s): %s\n", file, pm_errno_name(err), pm_strerror(err),
	        what);
}
