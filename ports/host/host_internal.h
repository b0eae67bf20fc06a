/* SPDX-License-Identifier: MIT */
/* Shared internals of the hosted port. */
#ifndef PM_HOST_INTERNAL_H
#define PM_HOST_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/host.h"

/* Counters (pm_host_stats), updated atomically from every thread. */
struct host_counters {
	atomic_uint_fast64_t allocs, frees, failed_allocs, live_allocs, live_bytes, peak_bytes;
	atomic_uint_fast64_t user_copies, user_faults;
	atomic_uint_fast64_t files_open;
};

extern struct host_counters host_counters_;

/* Fault injection for user copies: true if this copy must fault. */
bool host_copy_should_fault_(void);

/* A file handle (struct pm_hal_file). */
struct pm_hal_file {
	atomic_int refs;
	int fd; /* host fd, or -1 for a virtual file */
	struct pm_file_attr attr;
	unsigned char *data; /* virtual: contents */
	unsigned char *caps; /* virtual: security.capability, or NULL */
	size_t caps_size;
};

void host_files_reset_(void);
void host_events_reset_(void);
/* pm_hal_notify() calls since the program started (pm_host_stats.events). */
uint64_t host_events_calls_(void);

#endif /* PM_HOST_INTERNAL_H */
