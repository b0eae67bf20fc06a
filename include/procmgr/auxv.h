/* SPDX-License-Identifier: MIT */
/**
 * @file auxv.h
 * @brief Auxiliary-vector entry types, with Linux's values
 *        (include/uapi/linux/auxvec.h, arch/x86 and arch/riscv auxvec.h).
 * @ingroup pm_core
 */
#ifndef PROCMGR_AUXV_H
#define PROCMGR_AUXV_H

/** @addtogroup pm_core
 * @{
 */

#define PM_AT_NULL              0  /**< end of vector */
#define PM_AT_IGNORE            1  /**< entry should be ignored */
#define PM_AT_EXECFD            2  /**< file descriptor of program */
#define PM_AT_PHDR              3  /**< program headers of program */
#define PM_AT_PHENT             4  /**< size of program header entry */
#define PM_AT_PHNUM             5  /**< number of program headers */
#define PM_AT_PAGESZ            6  /**< system page size */
#define PM_AT_BASE              7  /**< base address of interpreter */
#define PM_AT_FLAGS             8  /**< flags */
#define PM_AT_ENTRY             9  /**< entry point of program */
#define PM_AT_NOTELF            10 /**< program is not ELF */
#define PM_AT_UID               11 /**< real uid */
#define PM_AT_EUID              12 /**< effective uid */
#define PM_AT_GID               13 /**< real gid */
#define PM_AT_EGID              14 /**< effective gid */
#define PM_AT_PLATFORM          15 /**< string identifying the CPU */
#define PM_AT_HWCAP             16 /**< arch-dependent CPU capabilities */
#define PM_AT_CLKTCK            17 /**< frequency of times() */
#define PM_AT_SECURE            23 /**< secure mode boolean */
#define PM_AT_BASE_PLATFORM     24 /**< string identifying the real platform */
#define PM_AT_RANDOM            25 /**< address of 16 random bytes */
#define PM_AT_HWCAP2            26 /**< extension of AT_HWCAP */
#define PM_AT_RSEQ_FEATURE_SIZE 27 /**< rseq supported feature size */
#define PM_AT_RSEQ_ALIGN        28 /**< rseq allocation alignment */
#define PM_AT_HWCAP3            29 /**< extension of AT_HWCAP */
#define PM_AT_HWCAP4            30 /**< extension of AT_HWCAP */
#define PM_AT_EXECFN            31 /**< filename of program */
#define PM_AT_SYSINFO           32 /**< i386 vsyscall entry (unused on 64-bit) */
#define PM_AT_SYSINFO_EHDR      33 /**< vDSO base */
#define PM_AT_L1I_CACHESIZE     40 /**< riscv: L1 instruction cache size */
#define PM_AT_L1I_CACHEGEOMETRY 41 /**< riscv: L1 instruction cache geometry */
#define PM_AT_L1D_CACHESIZE     42 /**< riscv: L1 data cache size */
#define PM_AT_L1D_CACHEGEOMETRY 43 /**< riscv: L1 data cache geometry */
#define PM_AT_L2_CACHESIZE      44 /**< riscv: L2 cache size */
#define PM_AT_L2_CACHEGEOMETRY  45 /**< riscv: L2 cache geometry */
#define PM_AT_L3_CACHESIZE      46 /**< riscv: L3 cache size */
#define PM_AT_L3_CACHEGEOMETRY  47 /**< riscv: L3 cache geometry */
#define PM_AT_MINSIGSTKSZ       51 /**< minimal stack size for signal delivery */

/** @} */

#endif /* PROCMGR_AUXV_H */
