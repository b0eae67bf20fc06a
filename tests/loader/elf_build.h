/* SPDX-License-Identifier: MIT */
/*
 * Crafting ELF64 images for the loader tests: a header, a program-header
 * table and byte blobs at chosen offsets, with every field overridable so
 * that tests can lie in any of them. Plus tiny x86_64 programs, an
 * in-memory read callback and helpers to write files to disk.
 */
#ifndef PM_TEST_ELF_BUILD_H
#define PM_TEST_ELF_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/loader.h"

#define EB_MAX_PH   1200
#define EB_MAX_BLOB 8

struct eb_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

struct eb_blob {
	uint64_t off;
	const void *data;
	size_t len;
};

struct eb_elf {
	uint8_t ident_class; /* 0: ELFCLASS64 */
	uint16_t type;       /* ET_* */
	uint16_t machine;    /* EM_* */
	uint32_t flags;      /* e_flags */
	uint64_t entry;      /* e_entry */
	uint64_t phoff;      /* 0: 64 */
	uint16_t phentsize;  /* 0: 56 */
	int32_t phnum;       /* -1: nph */
	size_t nph;          /* program headers written */
	struct eb_phdr ph[EB_MAX_PH];
	size_t nblob;
	struct eb_blob blob[EB_MAX_BLOB];
	size_t size;   /* 0: just past the last thing written */
	bool no_magic; /* write "\x7fELG" instead */
};

/* Zeroed spec for an ET_EXEC x86_64 program. */
void eb_init(struct eb_elf *e, uint16_t type, uint16_t machine);
/* Append a program header; returns its index. */
size_t eb_ph(struct eb_elf *e, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
             uint64_t filesz, uint64_t memsz, uint64_t align);
/* Add a blob of bytes at a file offset. */
void eb_blob(struct eb_elf *e, uint64_t off, const void *data, size_t len);
/* Bytes the image takes (computed). */
size_t eb_size(const struct eb_elf *e);
/* Write the image into out (cap bytes); returns its size, 0 if it does not fit. */
size_t eb_write(const struct eb_elf *e, uint8_t *out, size_t cap);
/* Allocate and write; caller frees. */
uint8_t *eb_build(const struct eb_elf *e, size_t *size);

/* x86_64 code: exit(code). */
extern const uint8_t eb_x86_exit42[];
extern const size_t eb_x86_exit42_len;
/* x86_64 code: kill(getpid(), SIGSTOP); exit(42). */
extern const uint8_t eb_x86_stop42[];
extern const size_t eb_x86_stop42_len;

/*
 * The standard test program: ET_EXEC x86_64, one PT_LOAD (R+X) at vaddr
 * holding the headers and then `code`; entry at the code. Further program
 * headers can be added before writing (they shift the code: call
 * eb_std_fix() after adding them).
 */
void eb_std(struct eb_elf *e, uint64_t vaddr, const uint8_t *code, size_t len);
/* Recompute the standard program's code offset, entry and PT_LOAD size
 * after more program headers were added (the PT_LOAD is ph[0]). */
void eb_std_fix(struct eb_elf *e, uint64_t vaddr, const uint8_t *code, size_t len);

/* An in-memory file for pm_elf_read_fn. */
struct eb_mem {
	const uint8_t *data;
	size_t size;
	unsigned int reads; /* calls made */
	int fail_at;        /* >0: that call fails with fail_err */
	int fail_err;
};
int eb_mem_read(void *ctx, uint64_t off, void *buf, size_t len, size_t *got);

/* Write bytes to path with mode; 0 or -errno. */
int eb_write_file(const char *path, const void *data, size_t len, unsigned int mode);

#endif /* PM_TEST_ELF_BUILD_H */
