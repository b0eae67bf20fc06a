/* SPDX-License-Identifier: MIT */
/* Shared internals of the hosted port. */
#ifndef PM_HOST_INTERNAL_H
#define PM_HOST_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>

#include "procmgr/host.h"

#if defined(__has_include)
#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define HOST_HAVE_SINGLE_THREADED 1
#endif
#endif

/* True while the process has never had a second thread (glibc's
 * __libc_single_threaded, glibc 2.32 and later): no other thread can race,
 * so locks and counters may skip the bus lock, as glibc's own locks do.
 * False where the C library cannot tell. */
static inline bool host_single_threaded_(void)
{
#ifdef HOST_HAVE_SINGLE_THREADED
	return __libc_single_threaded;
#else
	return false;
#endif
}

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
