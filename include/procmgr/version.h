/* SPDX-License-Identifier: MIT */
/**
 * @file version.h
 * @brief procmgr's version.
 * @ingroup pm_core
 */
#ifndef PROCMGR_VERSION_H
#define PROCMGR_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup pm_core
 * @{
 */

#define PM_VERSION_MAJOR 0 /**< incompatible API changes */
#define PM_VERSION_MINOR 1 /**< added functionality */
#define PM_VERSION_PATCH 0 /**< fixes */

/** The version as one comparable number: 0xMMmmpp. */
#define PM_VERSION ((PM_VERSION_MAJOR << 16) | (PM_VERSION_MINOR << 8) | PM_VERSION_PATCH)

/**
 * @brief The version string of the library actually linked.
 * @return a static string such as "0.1.0".
 */
const char *pm_version(void);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_VERSION_H */
