/* SPDX-License-Identifier: MIT */
/* Entropy, time, events and panics of the hosted port. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "host_internal.h"

/* ---- entropy ---- */

static pthread_mutex_t rnd_lock = PTHREAD_MUTEX_INITIALIZER;
static bool rnd_seeded;
static uint64_t rnd_state;

void pm_host_random_seed(uint64_t seed)
{
	pthread_mutex_lock(&rnd_lock);
	rnd_seeded = true;
	rnd_state = seed;
	pthread_mutex_unlock(&rnd_lock);
}

void pm_host_random_unseed(void)
{
	pthread_mutex_lock(&rnd_lock);
	rnd_seeded = false;
	pthread_mutex_unlock(&rnd_lock);
}

/* splitmix64: a small, well-mixed deterministic stream. */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void pm_hal_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	pthread_mutex_lock(&rnd_lock);
	if (rnd_seeded) {
		while (n > 0) {
			uint64_t v = splitmix64(&rnd_state);
			size_t k = n < sizeof(v) ? n : sizeof(v);

			memcpy(p, &v, k);
			p += k;
			n -= k;
		}
	}
	pthread_mutex_unlock(&rnd_lock);
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			pm_hal_panic(__FILE__, __LINE__, "getrandom failed");
		}
		p += got;
		n -= (size_t)got;
	}
}

/* ---- time ---- */

static atomic_bool time_frozen;
static atomic_uint_fast64_t time_frozen_ns;

void pm_host_time_freeze(uint64_t ns)
{
	atomic_store(&time_frozen_ns, ns);
	atomic_store(&time_frozen, true);
}

void pm_host_time_unfreeze(void)
{
	atomic_store(&time_frozen, false);
}

uint64_t pm_hal_time_ns(void)
{
	struct timespec ts;

	if (atomic_load(&time_frozen))
		return atomic_load(&time_frozen_ns);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- events ---- */

/*
 * A ring claimed with one relaxed fetch-and-add per event (a plain
 * increment while the process has one thread): a mutex here cost two more
 * locked instructions on every signal sent. The readers and the hook
 * setter run while no other thread notifies (host.h says so).
 */
static struct pm_event ev_ring[PM_HOST_EVENTS_MAX];
static atomic_uint_fast64_t ev_next; /* pm_hal_notify() calls since start */
static uint64_t ev_base;             /* ev_next at the last clear */
static void (*_Atomic ev_hook)(void *ctx, const struct pm_event *ev);
static void *_Atomic ev_hook_ctx;

static uint64_t claim_event(void)
{
	uint64_t i;

	if (!host_single_threaded_())
		return atomic_fetch_add_explicit(&ev_next, 1, memory_order_relaxed);
	i = atomic_load_explicit(&ev_next, memory_order_relaxed);
	atomic_store_explicit(&ev_next, i + 1, memory_order_relaxed);
	return i;
}

void pm_hal_notify(const struct pm_event *ev)
{
	uint64_t i = claim_event();
	void (*hook)(void *, const struct pm_event *) =
	    atomic_load_explicit(&ev_hook, memory_order_relaxed);

	ev_ring[i % PM_HOST_EVENTS_MAX] = *ev;
	if (hook)
		hook(atomic_load_explicit(&ev_hook_ctx, memory_order_relaxed), ev);
}

void pm_host_notify_hook(void (*hook)(void *ctx, const struct pm_event *ev), void *ctx)
{
	atomic_store(&ev_hook_ctx, ctx);
	atomic_store(&ev_hook, hook);
}

uint64_t host_events_calls_(void)
{
	return atomic_load(&ev_next);
}

size_t pm_host_events_count(void)
{
	return (size_t)(atomic_load(&ev_next) - ev_base);
}

bool pm_host_event_get(size_t i, struct pm_event *out)
{
	uint64_t total = atomic_load(&ev_next) - ev_base;

	if (i >= total || total - i > PM_HOST_EVENTS_MAX)
		return false;
	*out = ev_ring[(ev_base + i) % PM_HOST_EVENTS_MAX];
	return true;
}

void pm_host_events_clear(void)
{
	ev_base = atomic_load(&ev_next);
}

void host_events_reset_(void)
{
	pm_host_events_clear();
	pm_host_notify_hook(NULL, NULL);
}

/* ---- panic ---- */

static void (*_Atomic panic_handler)(const char *file, int line, const char *msg);

void pm_host_panic_handler(void (*handler)(const char *file, int line, const char *msg))
{
	atomic_store(&panic_handler, handler);
}

void pm_hal_panic(const char *file, int line, const char *msg)
{
	void (*handler)(const char *, int, const char *) = atomic_load(&panic_handler);

	(void)fprintf(stderr, "procmgr panic: %s:%d: %s\n", file, line, msg);
	(void)fflush(stderr);
	if (handler)
		handler(file, line, msg);
	abort();
}

/* ---- reset ---- */

void pm_host_reset(void)
{
	pm_host_fault_reset();
	host_events_reset_();
	host_files_reset_();
	pm_host_random_unseed();
	pm_host_time_unfreeze();
	pm_host_panic_handler(NULL);
}
