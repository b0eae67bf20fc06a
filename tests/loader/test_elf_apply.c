/* SPDX-License-Identifier: MIT */
/*
 * pm_elf_apply(): segments land in a (simulated) host address space with
 * the file's bytes, zeroed bss and Linux's protections; collisions and
 * mapper failures roll back everything the call mapped.
 */
#include "loader_test.h"

TestSuite(elf_apply, .init = pm_test_setup);

/* A program with text, data+bss and a read-only bss tail, as a virtual
 * file; returns its bytes (caller frees). */
static uint8_t *make_prog(struct eb_elf *e, size_t *size)
{
	static uint8_t data[0x200];

	memset(data, 0x77, sizeof(data));
	eb_std(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_ph(e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x1010, 0x601010, 0x100, 0x3000, 0x1000);
	eb_ph(e, PM_PT_LOAD, PM_PF_R, 0x2000, 0x700000, 0x10, 0x20, 0x1000);
	eb_std_fix(e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	eb_blob(e, 0x1010, data, sizeof(data));
	eb_blob(e, 0x2000, data, 0x100);
	return eb_build(e, size);
}

static struct pm_hal_file *vfile(const char *path, const uint8_t *img, size_t size)
{
	struct pm_host_file_spec spec = {.path = path, .data = img, .size = size};
	struct pm_hal_file *f = NULL;

	cr_assert_eq(pm_host_file_add(&spec), 0);
	cr_assert_eq(pm_host_file_open(path, &f), 0);
	return f;
}

static int plan_file(struct pm_hal_file *f, struct pm_elf_plan *p)
{
	struct pm_file_attr attr;
	struct pm_elf_plan_args a = {
	    .arch = &pm_arch_x86_64, .read = pm_elf_read_hal, .read_ctx = f};

	pm_hal_file_getattr(f, &attr);
	a.file_size = attr.size;
	return pm_elf_plan(&a, p);
}

PM_TEST(elf_apply, maps_segments)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	struct pm_elf_hal_mapper hm;
	struct pm_host_mapping m;
	struct pm_hal_as *as = pm_host_as_create(false);
	size_t size;
	uint8_t *img = make_prog(&e, &size), *h;
	struct pm_hal_file *f = vfile("/prog", img, size);

	cr_assert_eq(plan_file(f, &p), 0);
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	cr_assert_eq(pm_elf_apply(&p, &hm.mapper, f), 0);
	/* text */
	cr_assert(pm_host_as_query(as, 0x400000, &m));
	cr_assert_eq(m.end, 0x401000);
	cr_assert_eq(m.prot, PM_PROT_READ | PM_PROT_EXEC);
	cr_assert(m.file);
	h = pm_host_as_ptr(as, 0x400000, 0x1000);
	cr_assert_eq(memcmp(h, img, 0x1000 < size ? 0x1000 : size), 0);
	/* data: file bytes, then zero to the page end (writable: padzero) */
	h = pm_host_as_ptr(as, 0x601000, 0x1000);
	cr_assert_eq(h[0x10], 0x77);
	cr_assert_eq(h[0x10f], 0x77);
	cr_assert_eq(h[0x110], 0);
	cr_assert_eq(h[0x1ff], 0);
	/* bss pages: anonymous, read-write */
	cr_assert(pm_host_as_query(as, 0x602000, &m));
	cr_assert_not(m.file);
	cr_assert_eq(m.prot, PM_PROT_READ | PM_PROT_WRITE);
	cr_assert_eq(m.end, 0x605000);
	/* read-only segment: the file's bytes stay after p_filesz */
	h = pm_host_as_ptr(as, 0x700000, 0x1000);
	cr_assert_eq(h[0x10], 0x77);
	cr_assert_eq(pm_host_as_count(as), 4);
	pm_elf_plan_release(&p);
	pm_hal_file_put(f);
	pm_host_as_destroy(as);
	free(img);
}

/* A static-pie is placed by the free-range service, top-down. */
PM_TEST(elf_apply, places_static_pie)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	struct pm_elf_hal_mapper hm;
	struct pm_hal_as *as = pm_host_as_create(false);
	struct lt_find fd = {.as = as, .base = X86_MMAP_BASE};
	size_t size;
	uint8_t *img;
	struct pm_hal_file *f;

	eb_init(&e, PM_ET_DYN, PM_EM_X86_64);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_X, 0, 0, 0x1800, 0x1800, 0x1000);
	eb_ph(&e, PM_PT_LOAD, PM_PF_R | PM_PF_W, 0x1800, 0x5800, 0x10, 0x900, 0x1000);
	e.size = 0x1810;
	img = eb_build(&e, &size);
	f = vfile("/spie", img, size);
	cr_assert_eq(plan_file(f, &p), 0);
	pm_elf_hal_mapper_init(&hm, as, lt_find_free, &fd);
	cr_assert_eq(pm_elf_apply(&p, &hm.mapper, f), 0);
	cr_assert_eq(fd.calls, 1);
	cr_assert(p.placed);
	cr_assert_eq(p.span, 0x7000);
	cr_assert_eq(p.load_bias, X86_MMAP_BASE - 0x7000);
	cr_assert_not_null(pm_host_as_ptr(as, p.load_bias, 0x2000));
	/* the reservation past the first segment was trimmed: a hole */
	cr_assert_null(pm_host_as_ptr(as, p.load_bias + 0x2000, 1));
	cr_assert_null(pm_host_as_ptr(as, p.load_bias + 0x4fff, 1));
	cr_assert_not_null(pm_host_as_ptr(as, p.load_bias + 0x5000, 0x1000));
	cr_assert_not_null(pm_host_as_ptr(as, p.load_bias + 0x6000, 0x1000));
	pm_elf_plan_release(&p);
	/* no service: -ENOMEM */
	cr_assert_eq(plan_file(f, &p), 0);
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	cr_assert_eq(pm_elf_apply(&p, &hm.mapper, f), -PM_ENOMEM);
	pm_elf_plan_release(&p);
	pm_hal_file_put(f);
	pm_host_as_destroy(as);
	free(img);
}

/* The first segment of a PIE collides (MAP_FIXED_NOREPLACE): EEXIST and
 * nothing of the image stays; an existing mapping under a later segment is
 * replaced (MAP_FIXED). */
PM_TEST(elf_apply, collisions)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	struct pm_elf_hal_mapper hm;
	struct pm_host_mapping m;
	struct pm_hal_as *as = pm_host_as_create(false);
	size_t size;
	uint8_t *img = make_prog(&e, &size);
	struct pm_hal_file *f = vfile("/prog", img, size);

	cr_assert_eq(pm_hal_as_map(as, 0x400000, 0x1000, PM_PROT_READ, PM_MAP_PRIVATE, NULL, 0), 0);
	cr_assert_eq(plan_file(f, &p), 0);
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	cr_assert_eq(pm_elf_apply(&p, &hm.mapper, f), -PM_EEXIST);
	cr_assert_eq(pm_host_as_count(as), 1);
	cr_assert_eq(pm_hal_as_unmap(as, 0x400000, 0x1000), 0);
	cr_assert_eq(pm_hal_as_map(as, 0x603000, 0x1000, PM_PROT_EXEC, PM_MAP_PRIVATE, NULL, 0), 0);
	cr_assert_eq(pm_elf_apply(&p, &hm.mapper, f), 0);
	cr_assert(pm_host_as_query(as, 0x603000, &m));
	cr_assert_eq(m.prot, PM_PROT_READ | PM_PROT_WRITE);
	pm_elf_plan_release(&p);
	/* a plan with a load error maps nothing */
	e.ph[0].offset = 1;
	free(img);
	img = eb_build(&e, &size);
	pm_hal_file_put(f);
	f = vfile("/prog", img, size);
	pm_host_as_destroy(as);
	as = pm_host_as_create(false);
	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	cr_assert_eq(plan_file(f, &p), 0);
	cr_assert_eq(pm_elf_apply(&p, &hm.mapper, f), -PM_EINVAL);
	cr_assert_eq(pm_host_as_count(as), 0);
	pm_elf_plan_release(&p);
	pm_hal_file_put(f);
	pm_host_as_destroy(as);
	free(img);
}

/* A mapper that fails its n-th call, over the HAL mapper. */
struct failing {
	struct pm_elf_mapper m;
	struct pm_elf_hal_mapper *inner;
	int n, calls;
};

static int f_map(void *ctx, pm_uaddr_t start, uint64_t len, unsigned int prot, unsigned int flags,
                 struct pm_hal_file *file, uint64_t off)
{
	struct failing *fm = ctx;

	if (++fm->calls == fm->n)
		return -PM_ENOMEM;
	return fm->inner->mapper.map(fm->inner, start, len, prot, flags, file, off);
}

static int f_unmap(void *ctx, pm_uaddr_t start, uint64_t len)
{
	struct failing *fm = ctx;

	return fm->inner->mapper.unmap(fm->inner, start, len);
}

static int f_clear(void *ctx, pm_uaddr_t a, uint64_t n)
{
	struct failing *fm = ctx;

	if (++fm->calls == fm->n)
		return -PM_EFAULT;
	return fm->inner->mapper.clear(fm->inner, a, n);
}

/* Every map or clear step failing in turn leaves the space as it was. */
PM_TEST(elf_apply, rollback_at_every_step)
{
	struct eb_elf e;
	struct pm_elf_plan p;
	struct pm_elf_hal_mapper hm;
	size_t size;
	uint8_t *img = make_prog(&e, &size);
	struct pm_hal_file *f = vfile("/prog", img, size);
	int n;

	for (n = 1;; n++) {
		struct pm_hal_as *as = pm_host_as_create(false);
		struct failing fm = {
		    .m = {.map = f_map, .unmap = f_unmap, .clear = f_clear}, .inner = &hm, .n = n};
		int err;

		fm.m.ctx = &fm;
		pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
		cr_assert_eq(
		    pm_hal_as_map(as, 0x10000, 0x1000, PM_PROT_READ, PM_MAP_PRIVATE, NULL, 0), 0);
		cr_assert_eq(plan_file(f, &p), 0);
		err = pm_elf_apply(&p, &fm.m, f);
		pm_elf_plan_release(&p);
		if (err == 0) {
			cr_assert_eq(pm_host_as_count(as), 5);
			pm_host_as_destroy(as);
			break;
		}
		cr_assert(err == -PM_ENOMEM || err == -PM_EFAULT);
		cr_assert_eq(pm_host_as_count(as), 1, "step %d left mappings", n);
		pm_host_as_destroy(as);
	}
	/* five steps: text, data, padzero, bss, read-only data */
	cr_assert_eq(n, 6);
	pm_hal_file_put(f);
	free(img);
}

PM_TEST(elf_apply, bad_arguments)
{
	struct pm_elf_plan p = {0};
	struct pm_elf_mapper m = {0};

	cr_assert_eq(pm_elf_apply(NULL, &m, NULL), -PM_EINVAL);
	cr_assert_eq(pm_elf_apply(&p, NULL, NULL), -PM_EINVAL);
	cr_assert_eq(pm_elf_apply(&p, &m, NULL), -PM_EINVAL);
	cr_assert_eq(pm_elf_place(NULL, 0), -PM_EINVAL);
	cr_assert_null(pm_elf_plan_segment(NULL, 0));
}
