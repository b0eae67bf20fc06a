/* SPDX-License-Identifier: MIT */
/*
 * Address spaces and user memory of the hosted port.
 *
 * An address space is a sorted array of mappings. In a simulated space each
 * mapping points into a "backing" block of host memory (reference counted,
 * so splitting a mapping or sharing it with a fork child copies nothing); a
 * user address translates to backing + offset. In a real space the user
 * address is the host address and the mappings are made with mmap. The
 * HAL's user-memory functions act on the calling thread's current space and
 * honour protections; pm_hal_as_write/clear ignore them, like the kernel's
 * forced writes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host_internal.h"
#include "procmgr/errno.h"

/* Where pm_host_as_map_anywhere() starts looking in a simulated space. */
#define SIM_ANYWHERE_BASE 0x10000000ull
/* Highest address a simulated space accepts (riscv64 Sv57 TASK_SIZE). */
#define SIM_LIMIT         (1ull << 57)
/* Highest address a real space accepts (x86_64 4-level TASK_SIZE). */
#define REAL_LIMIT        0x7ffffffff000ull

struct backing {
	atomic_uint refs;
	unsigned char *mem;
	size_t len;
};

struct region {
	pm_uaddr_t start, end;
	unsigned int prot, flags;
	bool file;
	struct backing *b; /* simulated only */
	uint64_t boff;     /* offset of start within b */
};

struct pm_hal_as {
	pthread_mutex_t lock;
	bool real;
	struct region *r;
	size_t n, cap;
};

static _Thread_local struct pm_hal_as *current_as;

/* ---- backings ---- */

static struct backing *backing_new(size_t len)
{
	struct backing *b = malloc(sizeof(*b));
	void *mem;

	if (!b)
		return NULL;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	           -1, 0);
	if (mem == MAP_FAILED) {
		free(b);
		return NULL;
	}
	atomic_init(&b->refs, 1);
	b->mem = mem;
	b->len = len;
	return b;
}

static void backing_put(struct backing *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
		munmap(b->mem, b->len);
		free(b);
	}
}

/* ---- the region array ---- */

/* Index of the first region whose end is above addr. */
static size_t first_above(const struct pm_hal_as *as, pm_uaddr_t addr)
{
	size_t lo = 0, hi = as->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (as->r[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool overlaps_any(const struct pm_hal_as *as, pm_uaddr_t start, pm_uaddr_t end)
{
	size_t i = first_above(as, start);

	return i < as->n && as->r[i].start < end;
}

/* Make room for `extra` more regions; nothing changes on failure. */
static int reserve(struct pm_hal_as *as, size_t extra)
{
	size_t want = as->n + extra, cap = as->cap ? as->cap : 8;
	struct region *nr;

	if (want <= as->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	nr = realloc(as->r, cap * sizeof(*nr));
	if (!nr)
		return -PM_ENOMEM;
	as->r = nr;
	as->cap = cap;
	return 0;
}

static void insert_at(struct pm_hal_as *as, size_t i, const struct region *reg)
{
	memmove(&as->r[i + 1], &as->r[i], (as->n - i) * sizeof(*reg));
	as->r[i] = *reg;
	as->n++;
}

static void remove_at(struct pm_hal_as *as, size_t i)
{
	memmove(&as->r[i], &as->r[i + 1], (as->n - i - 1) * sizeof(as->r[0]));
	as->n--;
}

/* Host address of user address a inside region reg. */
static unsigned char *host_addr(const struct pm_hal_as *as, const struct region *reg, pm_uaddr_t a)
{
	if (as->real)
		return (unsigned char *)(uintptr_t)a;
	return reg->b->mem + reg->boff + (a - reg->start);
}

/* Split the region at index i so that a region boundary falls at addr. */
static void split_at(struct pm_hal_as *as, size_t i, pm_uaddr_t addr)
{
	struct region hi = as->r[i];

	hi.start = addr;
	if (!as->real) {
		hi.boff += addr - as->r[i].start;
		atomic_fetch_add(&hi.b->refs, 1);
	}
	as->r[i].end = addr;
	insert_at(as, i + 1, &hi);
}

/* Ensure boundaries at start and end; needs capacity for two more. */
static void split_edges(struct pm_hal_as *as, pm_uaddr_t start, pm_uaddr_t end)
{
	size_t i = first_above(as, start);

	if (i < as->n && as->r[i].start < start)
		split_at(as, i, start);
	i = first_above(as, end);
	if (i < as->n && as->r[i].start < end)
		split_at(as, i, end);
}

/* Is [start, end) covered, without holes, by regions allowing `need`? */
static bool covered(const struct pm_hal_as *as, pm_uaddr_t start, pm_uaddr_t end, unsigned int need)
{
	size_t i = first_above(as, start);
	pm_uaddr_t at = start;

	while (at < end) {
		if (i >= as->n || as->r[i].start > at || (as->r[i].prot & need) != need)
			return false;
		at = as->r[i].end;
		i++;
	}
	return true;
}

static int host_prot(unsigned int prot)
{
	return ((prot & PM_PROT_READ) ? PROT_READ : 0) | ((prot & PM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((prot & PM_PROT_EXEC) ? PROT_EXEC : 0);
}

static bool range_valid(const struct pm_hal_as *as, pm_uaddr_t start, uint64_t len)
{
	uint64_t end;

	if (len == 0 || (start & (PM_PAGE_SIZE - 1)) || (len & (PM_PAGE_SIZE - 1)))
		return false;
	if (__builtin_add_overflow(start, len, &end))
		return false;
	return end <= (as->real ? REAL_LIMIT : SIM_LIMIT);
}

/* ---- create / destroy / current ---- */

struct pm_hal_as *pm_host_as_create(bool real)
{
	struct pm_hal_as *as = calloc(1, sizeof(*as));

	if (!as)
		return NULL;
	pthread_mutex_init(&as->lock, NULL);
	as->real = real;
	return as;
}

void pm_host_as_destroy(struct pm_hal_as *as)
{
	if (!as)
		return;
	for (size_t i = 0; i < as->n; i++) {
		if (as->real)
			munmap((void *)(uintptr_t)as->r[i].start, as->r[i].end - as->r[i].start);
		else
			backing_put(as->r[i].b);
	}
	if (current_as == as)
		current_as = NULL;
	free(as->r);
	pthread_mutex_destroy(&as->lock);
	free(as);
}

void pm_host_as_set_current(struct pm_hal_as *as)
{
	current_as = as;
}

struct pm_hal_as *pm_host_as_current(void)
{
	return current_as;
}

/* ---- map ---- */

/* Fill a fresh mapping at dst (host memory) with file bytes from offset. */
static int fill_from_file(unsigned char *dst, uint64_t len, struct pm_hal_file *file, uint64_t off)
{
	size_t got = 0;
	int err = pm_hal_file_read(file, off, dst, len, &got);

	if (err)
		return err;
	if (got < len)
		memset(dst + got, 0, len - got);
	return 0;
}

static int map_real(pm_uaddr_t start, uint64_t len, unsigned int prot, unsigned int flags,
                    struct pm_hal_file *file, uint64_t off)
{
	int share = (flags & PM_MAP_TYPE) == PM_MAP_SHARED ? MAP_SHARED : MAP_PRIVATE;
	void *want = (void *)(uintptr_t)start;
	void *got;

	if (file && file->fd >= 0) {
		got = mmap(want, len, host_prot(prot), share | MAP_FIXED_NOREPLACE, file->fd,
		           (off_t)off);
	} else {
		/* A stack area grows on faults below it, as the kernel's does,
		 * so a program run in a real space can use its whole stack. */
		int grows = (flags & PM_MAP_GROWSDOWN) ? MAP_GROWSDOWN : 0;

		got = mmap(want, len, PROT_READ | PROT_WRITE,
		           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | grows, -1, 0);
		if (got != MAP_FAILED && file) {
			int err = fill_from_file(got, len, file, off);

			if (err) {
				munmap(got, len);
				return err;
			}
		}
		if (got != MAP_FAILED && mprotect(got, len, host_prot(prot))) {
			munmap(got, len);
			return -PM_ENOMEM;
		}
	}
	if (got == MAP_FAILED)
		return errno == EEXIST ? -PM_EEXIST : errno == ENOMEM ? -PM_ENOMEM : -PM_EACCES;
	if (got != want) {
		munmap(got, len);
		return -PM_EEXIST;
	}
	return 0;
}

int pm_hal_as_map(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot,
                  unsigned int flags, struct pm_hal_file *file, uint64_t offset)
{
	struct region reg = {.start = start, .prot = prot, .flags = flags, .file = file != NULL};
	int err;

	if (!range_valid(as, start, len) || (offset & (PM_PAGE_SIZE - 1)) || (prot & ~PM_PROT_MASK))
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_as_map: procmgr passed a bad range");
	reg.end = start + len;
	pthread_mutex_lock(&as->lock);
	if (overlaps_any(as, start, reg.end)) {
		err = -PM_EEXIST;
		goto out;
	}
	err = reserve(as, 1);
	if (err)
		goto out;
	if (as->real) {
		err = map_real(start, len, prot, flags, file, offset);
	} else {
		reg.b = backing_new(len);
		if (!reg.b)
			err = -PM_ENOMEM;
		else if (file && (err = fill_from_file(reg.b->mem, len, file, offset)) != 0)
			backing_put(reg.b);
	}
	if (!err)
		insert_at(as, first_above(as, start), &reg);
out:
	pthread_mutex_unlock(&as->lock);
	return err;
}

int pm_host_as_map_anywhere(struct pm_hal_as *as, uint64_t len, unsigned int prot, pm_uaddr_t *out)
{
	pm_uaddr_t at = SIM_ANYWHERE_BASE;
	int err;

	if (len == 0 || len > SIM_LIMIT)
		return -PM_EINVAL;
	len = (len + PM_PAGE_SIZE - 1) & ~(PM_PAGE_SIZE - 1);
	if (as->real) {
		void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -PM_ENOMEM;
		munmap(p, len); /* a free spot; pm_hal_as_map() takes it */
		at = (pm_uaddr_t)(uintptr_t)p;
	} else {
		pthread_mutex_lock(&as->lock);
		for (size_t i = first_above(as, at); i < as->n && as->r[i].start < at + len; i++)
			at = as->r[i].end;
		pthread_mutex_unlock(&as->lock);
	}
	err = pm_hal_as_map(as, at, len, prot, PM_MAP_PRIVATE | PM_MAP_ANONYMOUS, NULL, 0);
	if (!err)
		*out = at;
	return err;
}

/* ---- unmap / protect ---- */

int pm_hal_as_unmap(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len)
{
	pm_uaddr_t end = start + len;
	size_t i;
	int err;

	if (!range_valid(as, start, len))
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_as_unmap: procmgr passed a bad range");
	pthread_mutex_lock(&as->lock);
	err = reserve(as, 2);
	if (err)
		goto out;
	split_edges(as, start, end);
	i = first_above(as, start);
	while (i < as->n && as->r[i].start < end) {
		if (as->real)
			munmap((void *)(uintptr_t)as->r[i].start, as->r[i].end - as->r[i].start);
		else
			backing_put(as->r[i].b);
		remove_at(as, i);
	}
out:
	pthread_mutex_unlock(&as->lock);
	return err;
}

int pm_hal_as_protect(struct pm_hal_as *as, pm_uaddr_t start, uint64_t len, unsigned int prot)
{
	pm_uaddr_t end = start + len;
	int err;

	if (!range_valid(as, start, len) || (prot & ~PM_PROT_MASK))
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_as_protect: procmgr passed a bad range");
	pthread_mutex_lock(&as->lock);
	if (!covered(as, start, end, 0)) {
		err = -PM_ENOMEM;
		goto out;
	}
	err = reserve(as, 2);
	if (err)
		goto out;
	if (as->real && mprotect((void *)(uintptr_t)start, len, host_prot(prot))) {
		err = -PM_EACCES;
		goto out;
	}
	split_edges(as, start, end);
	for (size_t i = first_above(as, start); i < as->n && as->r[i].start < end; i++)
		as->r[i].prot = prot;
out:
	pthread_mutex_unlock(&as->lock);
	return err;
}

/* ---- fork ---- */

int pm_hal_as_fork_range(struct pm_hal_as *dst, struct pm_hal_as *src, pm_uaddr_t start,
                         uint64_t len, unsigned int flags)
{
	pm_uaddr_t end = start + len;
	struct region *add = NULL;
	size_t nadd = 0, first;
	int err = 0;

	if (dst->real || dst == src || !range_valid(src, start, len))
		pm_hal_panic(__FILE__, __LINE__, "pm_hal_as_fork_range: bad arguments");
	pthread_mutex_lock(&src->lock);
	pthread_mutex_lock(&dst->lock);
	if (!covered(src, start, end, 0)) {
		err = -PM_ENOMEM;
		goto out;
	}
	if (overlaps_any(dst, start, end)) {
		err = -PM_EEXIST;
		goto out;
	}
	first = first_above(src, start);
	add = calloc(src->n - first, sizeof(*add));
	if (!add || reserve(dst, src->n - first)) {
		err = -PM_ENOMEM;
		goto out;
	}
	/* Build every child mapping first, so a failure changes nothing. */
	for (size_t i = first; i < src->n && src->r[i].start < end; i++) {
		const struct region *s = &src->r[i];
		struct region c = *s;
		bool share = (flags & PM_MAP_TYPE) == PM_MAP_SHARED && !src->real;

		c.start = s->start < start ? start : s->start;
		c.end = s->end > end ? end : s->end;
		c.flags = flags;
		if (share) {
			c.boff = s->boff + (c.start - s->start);
			atomic_fetch_add(&c.b->refs, 1);
		} else {
			c.b = backing_new(c.end - c.start);
			c.boff = 0;
			if (!c.b) {
				err = -PM_ENOMEM;
				break;
			}
			memcpy(c.b->mem, host_addr(src, s, c.start), c.end - c.start);
		}
		add[nadd++] = c;
	}
	if (err) {
		for (size_t k = 0; k < nadd; k++)
			backing_put(add[k].b);
		goto out;
	}
	for (size_t k = 0; k < nadd; k++)
		insert_at(dst, first_above(dst, add[k].start), &add[k]);
out:
	free(add);
	pthread_mutex_unlock(&dst->lock);
	pthread_mutex_unlock(&src->lock);
	return err;
}

/* ---- byte access ---- */

enum access { ACC_READ, ACC_WRITE, ACC_CLEAR };

/*
 * Move n bytes between buf and [uaddr, uaddr + n) of as. need is the
 * protection every page must have (0 ignores protections).
 */
static int access_range(struct pm_hal_as *as, pm_uaddr_t uaddr, void *buf, size_t n,
                        enum access acc, unsigned int need)
{
	uint64_t end;
	size_t done = 0;
	int err = 0;

	if (__builtin_add_overflow(uaddr, n, &end))
		return -PM_EFAULT;
	pthread_mutex_lock(&as->lock);
	if (!covered(as, uaddr, end, need)) {
		err = -PM_EFAULT;
		goto out;
	}
	for (size_t i = first_above(as, uaddr); done < n; i++) {
		const struct region *reg = &as->r[i];
		pm_uaddr_t a = uaddr + done;
		size_t chunk = (size_t)((reg->end - a) < (n - done) ? (reg->end - a) : (n - done));
		unsigned char *h = host_addr(as, reg, a);
		bool unprotect = as->real && acc != ACC_READ && !(reg->prot & PM_PROT_WRITE);
		uintptr_t pg = (uintptr_t)h & ~(uintptr_t)(PM_PAGE_SIZE - 1);
		size_t pglen = ((uintptr_t)h + chunk + PM_PAGE_SIZE - 1 - pg) & ~(PM_PAGE_SIZE - 1);

		if (unprotect && mprotect((void *)pg, pglen, PROT_READ | PROT_WRITE)) {
			err = -PM_EFAULT;
			goto out;
		}
		if (acc == ACC_READ)
			memcpy((unsigned char *)buf + done, h, chunk);
		else if (acc == ACC_WRITE)
			memcpy(h, (const unsigned char *)buf + done, chunk);
		else
			memset(h, 0, chunk);
		if (unprotect)
			mprotect((void *)pg, pglen, host_prot(reg->prot));
		done += chunk;
	}
out:
	pthread_mutex_unlock(&as->lock);
	return err;
}

static int user_access(pm_uaddr_t uaddr, void *buf, size_t n, enum access acc)
{
	struct pm_hal_as *as = current_as;
	int err;

	atomic_fetch_add(&host_counters_.user_copies, 1);
	if (host_copy_should_fault_() || !as)
		err = -PM_EFAULT;
	else if (n == 0)
		err = 0;
	else
		err = access_range(as, uaddr, buf, n, acc,
		                   acc == ACC_READ ? PM_PROT_READ : PM_PROT_WRITE);
	if (err)
		atomic_fetch_add(&host_counters_.user_faults, 1);
	return err;
}

int pm_hal_copy_to_user(pm_uaddr_t uaddr, const void *src, size_t n)
{
	return user_access(uaddr, (void *)(uintptr_t)src, n, ACC_WRITE);
}

int pm_hal_copy_from_user(void *dst, pm_uaddr_t uaddr, size_t n)
{
	return user_access(uaddr, dst, n, ACC_READ);
}

int pm_hal_clear_user(pm_uaddr_t uaddr, size_t n)
{
	return user_access(uaddr, NULL, n, ACC_CLEAR);
}

int pm_hal_as_write(struct pm_hal_as *as, pm_uaddr_t uaddr, const void *src, size_t n)
{
	return n ? access_range(as, uaddr, (void *)(uintptr_t)src, n, ACC_WRITE, 0) : 0;
}

int pm_hal_as_clear(struct pm_hal_as *as, pm_uaddr_t uaddr, size_t n)
{
	return n ? access_range(as, uaddr, NULL, n, ACC_CLEAR, 0) : 0;
}

/* ---- inspection ---- */

void *pm_host_as_ptr(struct pm_hal_as *as, pm_uaddr_t uaddr, uint64_t n)
{
	void *p = NULL;
	size_t i;

	pthread_mutex_lock(&as->lock);
	i = first_above(as, uaddr);
	if (i < as->n && as->r[i].start <= uaddr && n <= as->r[i].end - uaddr)
		p = host_addr(as, &as->r[i], uaddr);
	pthread_mutex_unlock(&as->lock);
	return p;
}

bool pm_host_as_query(struct pm_hal_as *as, pm_uaddr_t uaddr, struct pm_host_mapping *out)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&as->lock);
	i = first_above(as, uaddr);
	if (i < as->n && as->r[i].start <= uaddr) {
		out->start = as->r[i].start;
		out->end = as->r[i].end;
		out->prot = as->r[i].prot;
		out->flags = as->r[i].flags;
		out->file = as->r[i].file;
		found = true;
	}
	pthread_mutex_unlock(&as->lock);
	return found;
}

size_t pm_host_as_count(struct pm_hal_as *as)
{
	size_t n;

	pthread_mutex_lock(&as->lock);
	n = as->n;
	pthread_mutex_unlock(&as->lock);
	return n;
}
