/* SPDX-License-Identifier: MIT */
/*
 * Pending queues and their siginfo records (Linux kernel/signal.c:
 * sigqueue_alloc, __sigqueue_free, collect_signal, next_signal,
 * dequeue_synchronous_signal, flush_sigqueue_mask, flush_sigqueue).
 *
 * A queue keeps, per signal, a circular list of records in the order they
 * were queued, so taking the next record of a signal is O(1) whatever else
 * is queued. Records come from the sighand's cache (under its lock) or the
 * table's pool (its own PM_LOCK_LEAF lock); the pool is refilled through
 * pm_hal_alloc() with no lock held, so generation never allocates.
 */
#include "signal/signal_internal.h"
#include "hal/pm_bits.h"

/* ---- the pool ------------------------------------------------------------------ */

void pool_init_(struct pm_sig_pool *pool)
{
	pm_hal_lock_init(&pool->lock, PM_LOCK_LEAF);
	pool->free = NULL;
	pool->count = 0;
	pool->allocated = 0;
}

void pool_destroy_(struct pm_sig_pool *pool)
{
	while (pool->free) {
		struct pm_sigqueue *q = pool->free;

		pool->free = q->next;
		pm_hal_free(q, sizeof(*q));
		pool->allocated--;
	}
	pool->count = 0;
	PM_ASSERT(pool->allocated == 0);
	pm_hal_lock_destroy(&pool->lock);
}

uint32_t pool_free_count_(struct pm_sig_pool *pool)
{
	return __atomic_load_n(&pool->count, __ATOMIC_RELAXED);
}

struct pm_sigqueue *pool_take_(struct pm_sig_pool *pool)
{
	struct pm_sigqueue *q;

	pm_hal_lock_acquire(&pool->lock);
	q = pool->free;
	if (q) {
		pool->free = q->next;
		__atomic_store_n(&pool->count, pool->count - 1, __ATOMIC_RELAXED);
	}
	pm_hal_lock_release(&pool->lock);
	return q;
}

void pool_give_(struct pm_sig_pool *pool, struct pm_sigqueue *q)
{
	PM_ASSERT(!q->charged);
	if (q->ucounts) {
		pm_cred_ucounts_put(q->ucounts);
		q->ucounts = NULL;
	}
	pm_hal_lock_acquire(&pool->lock);
	if (pool->count < PM_SIG_POOL_MAX) {
		q->next = pool->free;
		pool->free = q;
		__atomic_store_n(&pool->count, pool->count + 1, __ATOMIC_RELAXED);
	} else {
		pool->allocated--;
		pm_hal_free(q, sizeof(*q));
	}
	pm_hal_lock_release(&pool->lock);
}

struct pm_sigqueue *sigq_alloc_(struct pm_sig_pool *pool)
{
	struct pm_sigqueue *q = pm_hal_alloc(sizeof(*q), _Alignof(struct pm_sigqueue));

	if (!q)
		return NULL;
	q->next = NULL;
	q->ucounts = NULL;
	q->charged = false;
	pm_hal_lock_acquire(&pool->lock);
	pool->allocated++;
	pm_hal_lock_release(&pool->lock);
	return q;
}

int pm_sig_pool_fill(struct pm_table *t, uint32_t n)
{
	struct pm_sig_pool *pool = &t->sigpool;

	if (n > PM_SIG_POOL_MAX)
		n = PM_SIG_POOL_MAX;
	while (pool_free_count_(pool) < n) {
		struct pm_sigqueue *q = sigq_alloc_(pool);

		if (!q)
			return -PM_ENOMEM;
		pool_give_(pool, q);
	}
	return 0;
}

struct pm_sig_pool *sig_pool_of_(struct pm_process *p)
{
	return &p->table->sigpool;
}

void sighand_drain_(struct pm_sighand *sh, struct pm_sig_pool *pool)
{
	while (sh->cache) {
		struct pm_sigqueue *q = sh->cache;

		sh->cache = q->next;
		sh->ncache--;
		pool_give_(pool, q);
	}
}

struct pm_sigqueue *sigq_get_(struct pm_process *p)
{
	struct pm_sighand *sh = p->sig.sighand;
	struct pm_sigqueue *q = sh->cache;

	if (q) {
		sh->cache = q->next;
		sh->ncache--;
		return q;
	}
	return pool_take_(sig_pool_of_(p));
}

void sigq_put_(struct pm_process *p, struct pm_sigqueue *q)
{
	struct pm_sighand *sh = p->sig.sighand;

	if (q->charged) {
		pm_cred_sigpending_uncharge_held(q->ucounts);
		q->charged = false;
	}
	if (sh->ncache < PM_SIG_CACHE_MAX) {
		q->next = sh->cache;
		sh->cache = q;
		sh->ncache++;
		return;
	}
	pool_give_(sig_pool_of_(p), q);
}

/* ---- queues ------------------------------------------------------------------------ */

void sigpending_init_(struct pm_sigpending *q)
{
	pm_memset(q, 0, sizeof(*q));
}

void sigq_append_(struct pm_sigpending *pend, int sig, struct pm_sigqueue *q)
{
	struct pm_sigqueue *tail = pend->tail[sig - 1];

	q->seq = pend->seq++;
	if (tail) {
		q->next = tail->next;
		tail->next = q;
	} else {
		q->next = q;
	}
	pend->tail[sig - 1] = q;
}

/* Unlink the first record of sig; the bit goes when it was the last. */
static struct pm_sigqueue *take_head(struct pm_sigpending *pend, int sig)
{
	struct pm_sigqueue *tail = pend->tail[sig - 1];
	struct pm_sigqueue *head = tail->next;

	if (head == tail) {
		pend->tail[sig - 1] = NULL;
		pend->signal &= ~M(sig);
	} else {
		tail->next = head->next;
	}
	return head;
}

static void info_out(struct pm_siginfo *info, const struct pm_sigqueue *q)
{
	pm_memcpy(info, q->info, SIG_KINFO_SIZE);
	pm_memset((uint8_t *)info + SIG_KINFO_SIZE, 0, sizeof(*info) - SIG_KINFO_SIZE);
}

void sigq_collect_(struct pm_process *p, struct pm_sigpending *pend, int sig,
                   struct pm_siginfo *info)
{
	struct pm_sigqueue *q;

	if (!pend->tail[sig - 1]) {
		/* Queued without its siginfo (over RLIMIT_SIGPENDING or out of
		 * records): what collect_signal synthesises. */
		pend->signal &= ~M(sig);
		pm_memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = PM_SI_USER;
		return;
	}
	q = take_head(pend, sig);
	info_out(info, q);
	sigq_put_(p, q);
}

int sig_next_(pm_sigset_t pending, pm_sigset_t blocked)
{
	pm_sigset_t x = pending & ~blocked;

	if (!x)
		return 0;
	if (x & PM_SIG_SYNCHRONOUS_MASK)
		x &= PM_SIG_SYNCHRONOUS_MASK;
	return (int)pm_ctz64(x) + 1;
}

static int32_t rec_code(const struct pm_sigqueue *q)
{
	int32_t code;

	pm_memcpy(&code, q->info + 8, sizeof(code));
	return code;
}

/*
 * The first queued fault signal of t's own queue. As in Linux, the gate is
 * an unblocked synchronous signal being pending, but the record taken is
 * the oldest synchronous one with si_code > SI_USER, blocked or not.
 * Standard signals have at most one record per queue, so the candidates
 * are the (at most six) records of the synchronous signals.
 */
int sigq_dequeue_sync_(struct pm_thread *t, struct pm_siginfo *info)
{
	struct pm_sigpending *pend = &t->sig.pending;
	struct pm_sigqueue *best = NULL;
	pm_sigset_t cand;
	int best_sig = 0;

	if (!((pend->signal & ~t->sig.blocked) & PM_SIG_SYNCHRONOUS_MASK))
		return 0;
	cand = pend->signal & PM_SIG_SYNCHRONOUS_MASK;
	while (cand) {
		int sig = (int)pm_ctz64(cand) + 1;
		struct pm_sigqueue *tail = pend->tail[sig - 1];

		cand &= cand - 1;
		if (!tail)
			continue;
		if (rec_code(tail->next) > PM_SI_USER && (!best || tail->next->seq < best->seq)) {
			best = tail->next;
			best_sig = sig;
		}
	}
	if (!best)
		return 0;
	best = take_head(pend, best_sig);
	info_out(info, best);
	sigq_put_(t->process, best);
	return best_sig;
}

void sigq_flush_mask_(struct pm_process *p, struct pm_sigpending *pend, pm_sigset_t mask)
{
	pm_sigset_t m = mask & pend->signal;

	pend->signal &= ~mask;
	while (m) {
		int sig = (int)pm_ctz64(m) + 1;
		struct pm_sigqueue *tail = pend->tail[sig - 1];

		m &= m - 1;
		if (!tail)
			continue;
		pend->tail[sig - 1] = NULL;
		for (struct pm_sigqueue *q = tail->next, *next;; q = next) {
			next = q->next;
			sigq_put_(p, q);
			if (q == tail)
				break;
		}
	}
}

void sigq_flush_(struct pm_process *p, struct pm_sigpending *pend)
{
	sigq_flush_mask_(p, pend, ~(pm_sigset_t)0);
}

/* ---- RLIMIT_SIGPENDING (the credential module's per-user counts) --------------- */

/*
 * sig_get_ucounts: one queued signal counts against the receiving thread's
 * real user and its RLIMIT_SIGPENDING soft limit; `override` (standard
 * signals from kill() and the kernel) charges past the limit.
 */
static bool charge_cred(const struct pm_cred *c, uint64_t limit, bool override,
                        struct pm_sigqueue *q)
{
	struct pm_ucounts *uc;

	if (q->ucounts == c->ucounts) {
		q->charged = pm_cred_sigpending_charge_held(q->ucounts, limit, override);
		return q->charged;
	}
	uc = pm_cred_sigpending_charge(c, limit, override);
	if (!uc)
		return false;
	if (q->ucounts)
		pm_cred_ucounts_put(q->ucounts);
	q->ucounts = uc;
	q->charged = true;
	return true;
}

bool sig_charge_(struct pm_thread *t, struct pm_thread *self, bool override, struct pm_sigqueue *q)
{
	uint64_t limit = pm_rlimit_cur(&t->process->rlim, PM_RLIMIT_SIGPENDING);
	const struct pm_cred *c;
	bool ok;

	PM_ASSERT(!q->charged);
	if (t == self)
		return charge_cred(pm_cred_slot_current(&t->cred), limit, override, q);
	c = pm_cred_slot_get(&t->cred);
	ok = charge_cred(c, limit, override, q);
	pm_cred_put(c);
	return ok;
}
