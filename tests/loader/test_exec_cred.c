/* SPDX-License-Identifier: MIT */
/*
 * The credential hooks over the cred module (pm_exec_cred_hooks_init):
 * set-id programs give AT_SECURE and the new ids in the image
 * (fs/exec.c:bprm_fill_uid, commoncap's secureexec rule), the commit at
 * the point of no return installs them and caps RLIMIT_STACK
 * (begin_new_exec), a failed exec aborts them (free_bprm), nosuid mounts
 * ignore the bit, the signal seam is forwarded, and allocation failures
 * leave the thread's credentials and limits as they were.
 */
#include "../cred/cred_test.h"
#include "exec_test.h"
#include "procmgr/exec_vm.h"

TestSuite(exec_cred, .init = pm_test_setup);

static void add_prog(const char *path, uint32_t mode, pm_uid_t uid, uint32_t flags)
{
	struct pm_host_file_spec spec = {.path = path, .mode = mode, .uid = uid, .flags = flags};
	struct eb_elf e;
	size_t size;
	uint8_t *img;

	eb_std(&e, 0x400000, eb_x86_exit42, eb_x86_exit42_len);
	img = eb_build(&e, &size);
	spec.data = img;
	spec.size = size;
	cr_assert_eq(pm_host_file_add(&spec), 0);
	free(img);
}

static int resets;

static void count_reset(void *ctx)
{
	(void)ctx;
	resets++;
}

static int prepare(struct pm_exec *ex, struct uenv *u, const char *path,
                   struct pm_exec_cred_hooks *h)
{
	static const char *argv[] = {"p", NULL}, *envp[] = {NULL};
	struct pm_exec_params pa = xparams(path, u_vec(u, argv), u_vec(u, envp));

	pa.hooks = &h->hooks;
	pa.rlim_stack_cur = pm_rlimit_cur(h->rlim, PM_RLIMIT_STACK);
	return pm_exec_prepare(ex, &pa);
}

static void load(struct pm_exec *ex, struct pm_exec_image *img)
{
	struct pm_hal_as *as = pm_host_as_create(false);
	struct pm_elf_hal_mapper hm;

	pm_elf_hal_mapper_init(&hm, as, NULL, NULL);
	cr_assert_eq(pm_exec_load(ex, &hm.mapper, img), 0);
	pm_host_as_destroy(as);
}

/* Root running a set-user-ID program of uid 1000: euid 1000, AT_SECURE,
 * the ids in the image, committed at the point of no return with
 * RLIMIT_STACK capped at 8 MiB. */
PM_TEST(exec_cred, setuid_program)
{
	struct world w;
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_cred_hooks h;
	struct pm_exec_image img;
	struct pm_rlimit big = {64u << 20, PM_RLIM_INFINITY};
	struct pm_vm_config cfg = {0};

	world_init(&w);
	uenv_init(&u, 1 << 20);
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_STACK, &big, NULL), 0);
	add_prog("/bin/suid", PM_S_IFREG | PM_S_ISUID | 0755, 1000, 0);
	resets = 0;
	pm_exec_cred_hooks_init(&h, &w.self, &w.rlim, 0, NULL, count_reset, NULL);
	cr_assert_eq(prepare(ex, &u, "/bin/suid", &h), 0);
	cr_assert(h.prepared);
	cr_assert_eq(cur(&w)->euid, 0, "nothing is committed before the point of no return");
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	cr_assert_eq(resets, 1);
	cr_assert(h.committed);
	cr_assert(h.secureexec);
	cr_assert(h.per_clear);
	cr_assert_eq(cur(&w)->uid, 0);
	cr_assert_eq(cur(&w)->euid, 1000);
	cr_assert_eq(cur(&w)->suid, 1000);
	cr_assert_eq(pm_rlimit_cur(&w.rlim, PM_RLIMIT_STACK), PM_STK_LIM);
	load(ex, &img);
	cr_assert(img.secure);
	cr_assert_eq(img.uid, 0);
	cr_assert_eq(img.euid, 1000);
	cr_assert_eq(img.gid, 0);
	cr_assert_eq(img.egid, 0);
	cr_assert_eq(img.rlim_stack_cur, PM_STK_LIM);
	pm_exec_vm_config(ex, &cfg);
	cr_assert_eq(cfg.limits.stack, PM_STK_LIM);
	pm_exec_release(ex);
	uenv_fini(&u);
	world_fini(&w);
	free(ex);
}

/* An ordinary program run by an ordinary user: the ids pass through, no
 * AT_SECURE, RLIMIT_STACK untouched. */
PM_TEST(exec_cred, plain_program)
{
	struct world w;
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_cred_hooks h;
	struct pm_exec_image img;
	struct pm_rlimit big = {64u << 20, PM_RLIM_INFINITY};

	world_init(&w);
	uenv_init(&u, 1 << 20);
	cr_assert_eq(pm_rlimit_set(&w.rlim, cur(&w), PM_RLIMIT_STACK, &big, NULL), 0);
	become_user(&w, 1000);
	add_prog("/bin/plain", 0, 0, 0);
	pm_exec_cred_hooks_init(&h, &w.self, &w.rlim, 0, NULL, NULL, NULL);
	cr_assert_eq(prepare(ex, &u, "/bin/plain", &h), 0);
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	cr_assert(!h.secureexec);
	cr_assert_eq(cur(&w)->euid, 1000);
	cr_assert_eq(pm_rlimit_cur(&w.rlim, PM_RLIMIT_STACK), 64u << 20);
	load(ex, &img);
	cr_assert(!img.secure);
	cr_assert_eq(img.uid, 1000);
	cr_assert_eq(img.euid, 1000);
	cr_assert_eq(img.gid, 1000);
	cr_assert_eq(img.rlim_stack_cur, 64u << 20);
	pm_exec_release(ex);
	uenv_fini(&u);
	world_fini(&w);
	free(ex);
}

/* A nosuid mount ignores the set-user-ID bit (bprm_fill_uid). */
PM_TEST(exec_cred, nosuid_mount)
{
	struct world w;
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_cred_hooks h;

	world_init(&w);
	uenv_init(&u, 1 << 20);
	become_user(&w, 1000);
	add_prog("/mnt/suid", PM_S_IFREG | PM_S_ISUID | 0755, 0, PM_FILE_NOSUID);
	pm_exec_cred_hooks_init(&h, &w.self, &w.rlim, 0, NULL, NULL, NULL);
	cr_assert_eq(prepare(ex, &u, "/mnt/suid", &h), 0);
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	cr_assert(!h.secureexec);
	cr_assert_eq(cur(&w)->euid, 1000);
	pm_exec_release(ex);
	uenv_fini(&u);
	world_fini(&w);
	free(ex);
}

/* An exec that fails before the point of no return aborts the prepared
 * credentials: the thread keeps its own, nothing leaks, and the hooks can
 * serve the next exec. */
PM_TEST(exec_cred, abort_before_commit)
{
	struct world w;
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_cred_hooks h;
	const struct pm_cred *before;

	world_init(&w);
	uenv_init(&u, 1 << 20);
	add_prog("/bin/suid", PM_S_IFREG | PM_S_ISUID | 0755, 1000, 0);
	pm_exec_cred_hooks_init(&h, &w.self, &w.rlim, 0, NULL, count_reset, NULL);
	before = cur(&w);
	resets = 0;
	cr_assert_eq(prepare(ex, &u, "/bin/suid", &h), 0);
	pm_exec_release(ex); /* the kernel gave up (say, a fatal signal) */
	cr_assert(!h.prepared);
	cr_assert(!h.committed);
	cr_assert_eq(resets, 0);
	cr_assert_eq(cur(&w), before);
	/* the same hooks again, this time to the end */
	cr_assert_eq(prepare(ex, &u, "/bin/suid", &h), 0);
	cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
	cr_assert_eq(cur(&w)->euid, 1000);
	pm_exec_release(ex);
	uenv_fini(&u);
	world_fini(&w);
	free(ex);
}

/* Every allocation failing in turn: pm_exec_prepare returns -PM_ENOMEM,
 * the prepared credentials are released, the thread's own are intact. */
PM_TEST(exec_cred, allocation_failures)
{
	struct world w;
	struct uenv u;
	struct pm_exec *ex = calloc(1, sizeof(*ex));
	struct pm_exec_cred_hooks h;
	const struct pm_cred *before;
	struct pm_host_stats s0, s1;

	world_init(&w);
	uenv_init(&u, 1 << 20);
	add_prog("/bin/suid", PM_S_IFREG | PM_S_ISUID | 0755, 1000, 0);
	before = cur(&w);
	for (uint64_t n = 1;; n++) {
		int err;

		pm_exec_cred_hooks_init(&h, &w.self, &w.rlim, 0, NULL, NULL, NULL);
		pm_host_stats_get(&s0);
		pm_host_fault_alloc_nth(n);
		err = prepare(ex, &u, "/bin/suid", &h);
		pm_host_fault_reset();
		if (err == 0) {
			cr_assert_eq(pm_exec_point_of_no_return(ex), 0);
			cr_assert_eq(cur(&w)->euid, 1000);
			pm_exec_release(ex);
			break;
		}
		cr_assert_eq(err, -PM_ENOMEM, "allocation %llu: %d", (unsigned long long)n, err);
		cr_assert(!h.prepared);
		cr_assert_eq(cur(&w), before);
		pm_host_stats_get(&s1);
		cr_assert_eq(s1.live_allocs, s0.live_allocs, "allocation %llu leaked",
		             (unsigned long long)n);
	}
	uenv_fini(&u);
	world_fini(&w);
	free(ex);
}
