/* SPDX-License-Identifier: MIT */
/**
 * @file mman.h
 * @brief Memory protection and mapping constants, with Linux's values
 *        (include/uapi/asm-generic/mman-common.h, mman.h).
 *
 * Shared by the HAL's address-space operations and the VM module.
 *
 * @ingroup pm_core
 */
#ifndef PROCMGR_MMAN_H
#define PROCMGR_MMAN_H

/** @addtogroup pm_core
 * @{
 */

#define PM_PROT_NONE  0x0 /**< no access */
#define PM_PROT_READ  0x1 /**< readable */
#define PM_PROT_WRITE 0x2 /**< writable */
#define PM_PROT_EXEC  0x4 /**< executable */
/** Every protection bit procmgr knows; others are unknown (-PM_EINVAL). */
#define PM_PROT_MASK  (PM_PROT_READ | PM_PROT_WRITE | PM_PROT_EXEC)

#define PM_MAP_SHARED          0x01     /**< changes are shared */
#define PM_MAP_PRIVATE         0x02     /**< changes are private (copy-on-write) */
#define PM_MAP_SHARED_VALIDATE 0x03     /**< shared, unknown flags rejected */
#define PM_MAP_TYPE            0x0f     /**< mask of the mapping type */
#define PM_MAP_FIXED           0x10     /**< place exactly, replacing what is there */
#define PM_MAP_ANONYMOUS       0x20     /**< no file */
#define PM_MAP_GROWSDOWN       0x0100   /**< stack-like area that grows down */
#define PM_MAP_DENYWRITE       0x0800   /**< ignored (Linux ignores it too) */
#define PM_MAP_EXECUTABLE      0x1000   /**< ignored (Linux ignores it too) */
#define PM_MAP_LOCKED          0x2000   /**< pages are locked */
#define PM_MAP_NORESERVE       0x4000   /**< no swap reservation */
#define PM_MAP_POPULATE        0x8000   /**< prefault pages */
#define PM_MAP_NONBLOCK        0x10000  /**< with POPULATE: do not block on I/O */
#define PM_MAP_STACK           0x20000  /**< address is a stack (a hint) */
#define PM_MAP_HUGETLB         0x40000  /**< huge pages */
#define PM_MAP_SYNC            0x80000  /**< synchronous page faults (DAX) */
#define PM_MAP_FIXED_NOREPLACE 0x100000 /**< place exactly, EEXIST if occupied */

/** @} */

#endif /* PROCMGR_MMAN_H */
