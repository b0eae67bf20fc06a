/* SPDX-License-Identifier: MIT */
/**
 * @file elf.h
 * @brief ELF64 file-format records and constants (the ELF gABI; Linux's
 *        include/uapi/linux/elf.h). Little-endian 64-bit only: the two
 *        reference architectures.
 *
 * The structs have the on-disk layout; procmgr reads them with memcpy from
 * file bytes and never trusts their values.
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_ELF_H
#define PROCMGR_ELF_H

#include <stdint.h>

/** @addtogroup pm_core
 * @{
 */

/* e_ident indexes and values */
#define PM_EI_NIDENT   16 /**< size of e_ident */
#define PM_EI_MAG0     0  /**< 0x7f */
#define PM_EI_MAG1     1  /**< 'E' */
#define PM_EI_MAG2     2  /**< 'L' */
#define PM_EI_MAG3     3  /**< 'F' */
#define PM_EI_CLASS    4  /**< file class */
#define PM_EI_DATA     5  /**< data encoding */
#define PM_EI_VERSION  6  /**< file version */
#define PM_EI_OSABI    7  /**< OS/ABI */
#define PM_ELFCLASS32  1  /**< 32-bit objects */
#define PM_ELFCLASS64  2  /**< 64-bit objects */
#define PM_ELFDATA2LSB 1  /**< little-endian */
#define PM_EV_CURRENT  1  /**< current version */

/* e_type */
#define PM_ET_NONE 0 /**< no type */
#define PM_ET_REL  1 /**< relocatable */
#define PM_ET_EXEC 2 /**< executable */
#define PM_ET_DYN  3 /**< shared object or PIE */
#define PM_ET_CORE 4 /**< core file */

/* p_type */
#define PM_PT_NULL         0          /**< unused entry */
#define PM_PT_LOAD         1          /**< loadable segment */
#define PM_PT_DYNAMIC      2          /**< dynamic linking information */
#define PM_PT_INTERP       3          /**< program interpreter path */
#define PM_PT_NOTE         4          /**< auxiliary information */
#define PM_PT_SHLIB        5          /**< reserved */
#define PM_PT_PHDR         6          /**< the program header table itself */
#define PM_PT_TLS          7          /**< thread-local storage template */
#define PM_PT_LOOS         0x60000000 /**< start of OS-specific types */
#define PM_PT_GNU_EH_FRAME 0x6474e550 /**< .eh_frame_hdr */
#define PM_PT_GNU_STACK    0x6474e551 /**< stack executability */
#define PM_PT_GNU_RELRO    0x6474e552 /**< read-only after relocation */
#define PM_PT_GNU_PROPERTY 0x6474e553 /**< .note.gnu.property */
#define PM_PT_LOPROC       0x70000000 /**< start of processor-specific types */
#define PM_PT_HIPROC       0x7fffffff /**< end of processor-specific types */

/* p_flags */
#define PM_PF_X 0x1 /**< executable */
#define PM_PF_W 0x2 /**< writable */
#define PM_PF_R 0x4 /**< readable */

/** ELF64 file header: 64 bytes. */
struct pm_elf64_ehdr {
	uint8_t e_ident[PM_EI_NIDENT]; /**< magic, class, data, version, ABI */
	uint16_t e_type;               /**< ET_* */
	uint16_t e_machine;            /**< EM_* */
	uint32_t e_version;            /**< EV_CURRENT */
	uint64_t e_entry;              /**< entry point virtual address */
	uint64_t e_phoff;              /**< program header table file offset */
	uint64_t e_shoff;              /**< section header table file offset */
	uint32_t e_flags;              /**< processor-specific flags */
	uint16_t e_ehsize;             /**< this header's size */
	uint16_t e_phentsize;          /**< program header entry size (56) */
	uint16_t e_phnum;              /**< program header count */
	uint16_t e_shentsize;          /**< section header entry size */
	uint16_t e_shnum;              /**< section header count */
	uint16_t e_shstrndx;           /**< section name string table index */
};

/** ELF64 program header: 56 bytes. */
struct pm_elf64_phdr {
	uint32_t p_type;   /**< PT_* */
	uint32_t p_flags;  /**< PF_* */
	uint64_t p_offset; /**< file offset */
	uint64_t p_vaddr;  /**< virtual address */
	uint64_t p_paddr;  /**< physical address (unused) */
	uint64_t p_filesz; /**< bytes in the file */
	uint64_t p_memsz;  /**< bytes in memory */
	uint64_t p_align;  /**< alignment */
};

/** @} */

#endif /* PROCMGR_ELF_H */
