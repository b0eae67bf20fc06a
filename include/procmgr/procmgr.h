/* SPDX-License-Identifier: MIT */
/**
 * @file procmgr.h
 * @brief Umbrella header: includes every public procmgr header.
 *
 * C and C++ both can include it; every declaration has C linkage.
 *
 * @defgroup pm_core Core: types, errors, configuration, helpers
 * @brief What every module shares.
 */
#ifndef PROCMGR_PROCMGR_H
#define PROCMGR_PROCMGR_H

#ifdef __cplusplus
extern "C" {
#endif

#include "procmgr/config.h"
#include "procmgr/errno.h"
#include "procmgr/types.h"
#include "procmgr/list.h"
#include "procmgr/mman.h"
#include "procmgr/pool.h"
#include "procmgr/hal.h"
#include "procmgr/arch.h"
#include "procmgr/auxv.h"
#include "procmgr/elf.h"
#include "procmgr/loader.h"
#include "procmgr/exec.h"
#include "procmgr/exec_vm.h"
#include "procmgr/version.h"
#include "procmgr/pidns.h"
#include "procmgr/sched.h"
#include "procmgr/signal.h"
#include "procmgr/signal_deliver.h"
#include "procmgr/table.h"
#include "procmgr/vm.h"
#include "procmgr/vm_stack.h"
#include "procmgr/capability.h"
#include "procmgr/userns.h"
#include "procmgr/cred.h"
#include "procmgr/cred_exec.h"
#include "procmgr/cred_check.h"
#include "procmgr/rlimit.h"

#ifdef __cplusplus
}
#endif

#endif /* PROCMGR_PROCMGR_H */
