/*
 * Randomised model checks: long sequences of MAP_FIXED, munmap and
 * mprotect compared page by page with a plain array, so the tree's splits,
 * borrows, merges and gap summaries are exercised at several heights; and
 * the free-gap search compared with a brute-force scan.
 */
#include <stdlib.h>
#include <string.h>

#include "vm/vm_internal.h"
#include "vm_test.h"

TestSuite(vm_model, .init = vm_setup, .fini = vm_teardown);

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#define BASE 0x100000000ull

static const unsigned int prots[] = {PM_PROT_NONE, RO, RW, RX};

/* Expected areas: maximal runs of mapped pages with one protection (every
 * area is anonymous private, so neighbours alike always merge). */
static void compare(const int *model, size_t np)
{
	const struct pm_vma *v = pm_vm_find_next(&vm_vs, 0);
	size_t p = 0;

	while (p < np) {
		size_t q = p;

		if (model[p] < 0) {
			p++;
			continue;
		}
		while (q < np && model[q] == model[p])
			q++;
		cr_assert_not_null(v, "missing area at page %zu", p);
		cr_assert_eq(v->start, BASE + p * PG, "area start %#llx, model page %zu",
		             (unsigned long long)v->start, p);
		cr_assert_eq(v->end, BASE + q * PG, "area [%#llx, %#llx), model pages [%zu, %zu)",
		             (unsigned long long)v->start, (unsigned long long)v->end, p, q);
		cr_assert_eq(v->prot, (unsigned int)model[p]);
		v = pm_vm_find_next(&vm_vs, v->end);
		p = q;
	}
	cr_assert_null(v, "an area the model does not have");
}

static void run_model(size_t np, unsigned int ops, unsigned int max_len, bool fake)
{
	int *model = malloc(np * sizeof(*model));

	cr_assert_not_null(model);
	for (size_t i = 0; i < np; i++)
		model[i] = -1;
	vm_hal_fake(fake);
	for (unsigned int op = 0; op < ops; op++) {
		size_t p = rng() % np, n = 1 + rng() % max_len;
		unsigned int prot = prots[rng() % 4];
		pm_uaddr_t a = BASE + p * PG;
		bool all = true;

		if (p + n > np)
			n = np - p;
		switch (rng() % 3) {
		case 0:
			cr_assert_eq(vm_map(a, n * PG, prot, ANON | PM_MAP_FIXED), (int64_t)a);
			for (size_t i = p; i < p + n; i++)
				model[i] = (int)prot;
			break;
		case 1:
			cr_assert_eq(pm_vm_munmap(&vm_vs, a, n * PG), 0);
			for (size_t i = p; i < p + n; i++)
				model[i] = -1;
			break;
		default:
			for (size_t i = p; i < p + n; i++)
				all = all && model[i] >= 0;
			cr_assert_eq(pm_vm_mprotect(&vm_vs, a, n * PG, prot), all ? 0 : -PM_ENOMEM);
			for (size_t i = p; all && i < p + n; i++)
				model[i] = (int)prot;
		}
		cr_assert_eq(pm_vm_check(&vm_vs), 0, "invariants after op %u", op);
		if (op % 97 == 0 || op + 1 == ops)
			compare(model, np);
		if (!fake && op % 251 == 0)
			vm_consistent(&vm_vs);
	}
	free(model);
}

VM_TEST(vm_model, small_window_against_page_array)
{
	rng_state = 1;
	run_model(256, 4000, 16, false);
}

VM_TEST(vm_model, large_window_deep_tree)
{
	rng_state = 2;
	run_model(16384, 6000, 8, true);
	cr_assert_geq(vm_vs.height, 3u, "the test reached a deep tree (height %u)", vm_vs.height);
}

/* Fill, then empty in random order: every rebalancing path down to an
 * empty tree. */
VM_TEST(vm_model, fill_and_drain)
{
	enum { N = 3000 };
	static unsigned int order[N];

	rng_state = 3;
	vm_hal_fake(true);
	for (unsigned int i = 0; i < N; i++) {
		cr_assert_eq(vm_map(BASE + 2 * PG * i, PG, RO, ANON | PM_MAP_FIXED),
		             (int64_t)(BASE + 2 * PG * i));
		order[i] = i;
	}
	cr_assert_eq(pm_vm_count(&vm_vs), N);
	for (unsigned int i = N - 1; i > 0; i--) {
		unsigned int j = (unsigned int)(rng() % (i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned int i = 0; i < N; i++) {
		cr_assert_eq(pm_vm_munmap(&vm_vs, BASE + 2 * PG * order[i], PG), 0);
		if (i % 61 == 0)
			cr_assert_eq(pm_vm_check(&vm_vs), 0);
	}
	cr_assert_eq(pm_vm_count(&vm_vs), 0);
	cr_assert_eq(vm_vs.height, 0);
	cr_assert_eq(pm_vm_check(&vm_vs), 0);
}

/* Brute force: the highest / lowest free range of len in [low, high). */
static bool brute(const bool *used, size_t np, size_t low, size_t high, size_t len, bool top,
                  size_t *s, size_t *e)
{
	bool found = false;

	for (size_t p = low; p < high;) {
		size_t q = p;

		if (used[p]) {
			p++;
			continue;
		}
		while (q < high && !used[q])
			q++;
		if (q - p >= len) {
			*s = p;
			*e = q;
			found = true;
			if (!top)
				return true;
		}
		p = q;
	}
	(void)np;
	return found;
}

VM_TEST(vm_model, gap_search_against_brute_force)
{
	enum { NP = 4096 };
	static bool used[NP];

	rng_state = 4;
	vm_hal_fake(true);
	for (unsigned int i = 0; i < 1500; i++) {
		size_t p = rng() % NP, n = 1 + rng() % 4;

		if (p + n > NP)
			n = NP - p;
		cr_assert_gt(vm_map(BASE + p * PG, n * PG, prots[rng() % 4], ANON | PM_MAP_FIXED),
		             0);
		for (size_t k = p; k < p + n; k++)
			used[k] = true;
	}
	for (unsigned int q = 0; q < 3000; q++) {
		size_t low = rng() % NP, high = low + rng() % (NP - low + 1), len = 1 + rng() % 6,
		       s = 0, e = 0;
		pm_uaddr_t gs, ge;

		for (int top = 0; top < 2; top++) {
			bool want = brute(used, NP, low, high, len, top, &s, &e);
			bool got = top ? vmt_gap_highest(&vm_vs, BASE + low * PG, BASE + high * PG,
			                                 len * PG, &gs, &ge)
			               : vmt_gap_lowest(&vm_vs, BASE + low * PG, BASE + high * PG,
			                                len * PG, &gs, &ge);

			cr_assert_eq(got, want, "query %u top %d [%zu, %zu) len %zu", q, top, low,
			             high, len);
			if (want) {
				cr_assert_eq(gs, BASE + s * PG, "query %u top %d start", q, top);
				cr_assert_eq(ge, BASE + e * PG, "query %u top %d end", q, top);
			}
		}
	}
}
