/* SPDX-License-Identifier: MIT */
#include "elf_build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procmgr/arch.h"
#include "procmgr/elf.h"

/* mov $42,%edi; mov $60,%eax; syscall */
const uint8_t eb_x86_exit42[] = {0xbf, 0x2a, 0, 0, 0, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05};
const size_t eb_x86_exit42_len = sizeof(eb_x86_exit42);

/* mov $39,%eax; syscall; mov %eax,%edi; mov $19,%esi; mov $62,%eax;
 * syscall; mov $42,%edi; mov $60,%eax; syscall */
const uint8_t eb_x86_stop42[] = {0xb8, 0x27, 0, 0,    0,    0x0f, 0x05, 0x89, 0xc7, 0xbe, 0x13,
                                 0,    0,    0, 0xb8, 0x3e, 0,    0,    0,    0x0f, 0x05, 0xbf,
                                 0x2a, 0,    0, 0,    0xb8, 0x3c, 0,    0,    0,    0x0f, 0x05};
const size_t eb_x86_stop42_len = sizeof(eb_x86_stop42);

void eb_init(struct eb_elf *e, uint16_t type, uint16_t machine)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->machine = machine;
	e->phnum = -1;
}

size_t eb_ph(struct eb_elf *e, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
             uint64_t filesz, uint64_t memsz, uint64_t align)
{
	struct eb_phdr *p = &e->ph[e->nph];

	p->type = type;
	p->flags = flags;
	p->offset = offset;
	p->vaddr = vaddr;
	p->filesz = filesz;
	p->memsz = memsz;
	p->align = align;
	return e->nph++;
}

void eb_blob(struct eb_elf *e, uint64_t off, const void *data, size_t len)
{
	e->blob[e->nblob].off = off;
	e->blob[e->nblob].data = data;
	e->blob[e->nblob].len = len;
	e->nblob++;
}

static uint64_t phoff_of(const struct eb_elf *e)
{
	return e->phoff ? e->phoff : 64;
}

size_t eb_size(const struct eb_elf *e)
{
	size_t end = 64;

	if (phoff_of(e) < (1u << 24))
		end = (size_t)phoff_of(e) + e->nph * 56;
	for (size_t i = 0; i < e->nblob; i++)
		if (e->blob[i].off + e->blob[i].len > end)
			end = (size_t)(e->blob[i].off + e->blob[i].len);
	return e->size ? e->size : end;
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Copy src to out[off..] clipped to the image. */
static void put_clipped(uint8_t *out, size_t size, uint64_t off, const void *src, size_t len)
{
	if (off >= size)
		return;
	if (len > size - off)
		len = (size_t)(size - off);
	memcpy(out + off, src, len);
}

size_t eb_write(const struct eb_elf *e, uint8_t *out, size_t cap)
{
	size_t size = eb_size(e);
	uint8_t eh[64] = {0};

	if (size > cap)
		return 0;
	memset(out, 0, size);
	memcpy(eh, e->no_magic ? "\177ELG" : "\177ELF", 4);
	eh[PM_EI_CLASS] = e->ident_class ? e->ident_class : PM_ELFCLASS64;
	eh[PM_EI_DATA] = PM_ELFDATA2LSB;
	eh[PM_EI_VERSION] = PM_EV_CURRENT;
	put16(eh + 16, e->type);
	put16(eh + 18, e->machine);
	put32(eh + 20, 1);
	put64(eh + 24, e->entry);
	put64(eh + 32, phoff_of(e));
	put32(eh + 48, e->flags);
	put16(eh + 52, 64);
	put16(eh + 54, e->phentsize ? e->phentsize : 56);
	put16(eh + 56, (uint16_t)(e->phnum >= 0 ? (size_t)e->phnum : e->nph));
	put16(eh + 58, 64);
	put_clipped(out, size, 0, eh, sizeof(eh));
	for (size_t i = 0; i < e->nph; i++) {
		uint8_t ph[56];
		const struct eb_phdr *p = &e->ph[i];

		put32(ph, p->type);
		put32(ph + 4, p->flags);
		put64(ph + 8, p->offset);
		put64(ph + 16, p->vaddr);
		put64(ph + 24, p->vaddr);
		put64(ph + 32, p->filesz);
		put64(ph + 40, p->memsz);
		put64(ph + 48, p->align);
		put_clipped(out, size, phoff_of(e) + i * 56, ph, sizeof(ph));
	}
	for (size_t i = 0; i < e->nblob; i++)
		put_clipped(out, size, e->blob[i].off, e->blob[i].data, e->blob[i].len);
	return size;
}

uint8_t *eb_build(const struct eb_elf *e, size_t *size)
{
	size_t n = eb_size(e);
	uint8_t *buf = malloc(n ? n : 1);

	if (buf)
		*size = eb_write(e, buf, n);
	return buf;
}

void eb_std_fix(struct eb_elf *e, uint64_t vaddr, const uint8_t *code, size_t len)
{
	uint64_t code_off = 64 + e->nph * 56;

	e->ph[0].filesz = e->ph[0].memsz = code_off + len;
	e->entry = vaddr + code_off;
	e->nblob = 0;
	eb_blob(e, code_off, code, len);
}

void eb_std(struct eb_elf *e, uint64_t vaddr, const uint8_t *code, size_t len)
{
	eb_init(e, PM_ET_EXEC, PM_EM_X86_64);
	eb_ph(e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, vaddr, 0, 0, 0x1000);
	eb_std_fix(e, vaddr, code, len);
}

int eb_mem_read(void *ctx, uint64_t off, void *buf, size_t len, size_t *got)
{
	struct eb_mem *m = ctx;

	m->reads++;
	if (m->fail_at && (int)m->reads == m->fail_at)
		return m->fail_err;
	*got = 0;
	if (off < m->size) {
		*got = (size_t)(m->size - off) < len ? (size_t)(m->size - off) : len;
		memcpy(buf, m->data + off, *got);
	}
	return 0;
}

int eb_write_file(const char *path, const void *data, size_t len, unsigned int mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return chmod(path, mode) ? -errno : 0;
}
