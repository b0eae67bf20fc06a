/* SPDX-License-Identifier: MIT */
/*
 * One exec through procmgr, the way a kernel's execve would make it
 * (docs/exec.md): argv and envp sit in a simulated "old" address space as
 * the caller's user memory; pm_exec_prepare() copies and checks them and
 * plans the program; the point of no return commits the credentials (a
 * model of this process's own, through the cred module); the new image is
 * built in a fresh address space, simulated for --dry-run or this
 * process's own for a run, through a vmspace: stack area, segments and
 * interpreter, the vDSO (dry run only: a run keeps the host's), brk and
 * the initial stack.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pmexec.h"
#include "procmgr/auxv.h"
#include "procmgr/errno.h"
#include "procmgr/host.h"
#include "procmgr/loader.h"

#define PAGE 4096u

/* A number from a /proc/sys file, or `def`. */
static uint64_t sysctl_u64(const char *path, uint64_t def)
{
	char buf[32] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return def;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtoull(buf, NULL, 10) : def;
}

uint16_t pmx_detect_machine(const char *path)
{
	char name[PM_BINPRM_BUF_SIZE];

	snprintf(name, sizeof(name), "%s", path);
	for (unsigned int depth = 0; depth <= PM_EXEC_MAX_DEPTH; depth++) {
		char buf[PM_BINPRM_BUF_SIZE] = {0};
		struct pm_shebang sb;
		int fd = open(name, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0)
			return 0;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n >= 20 && memcmp(buf, "\177ELF", 4) == 0)
			return (uint16_t)((uint8_t)buf[18] | ((uint8_t)buf[19] << 8));
		if (n < 2 || pm_shebang_parse(buf, &sb) != 0)
			return 0;
		memmove(name, buf + sb.name_off, (size_t)sb.name_len + 1);
	}
	return 0;
}

/* ---- this process's credentials and limits, as the cred module sees them ---- */

static int world_init(struct pmx_exec *x)
{
	struct rlimit rl;
	struct pm_rlimit r;
	gid_t groups[256];
	pm_gid_t pg[256];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int n, err;

	pm_userns_init_root(&x->root, 1u << 20);
	err = pm_cred_init_root(&x->root, &x->init);
	if (err) {
		pm_userns_destroy_root(&x->root);
		return err;
	}
	pm_cred_slot_init(&x->slot, x->init);
	pm_rlimits_init(&x->rlim, 1u << 20);
	x->world_live = true;
	getrlimit(RLIMIT_STACK, &rl);
	r = (struct pm_rlimit){rl.rlim_cur, rl.rlim_max};
	(void)pm_rlimit_set(&x->rlim, x->init, PM_RLIMIT_STACK, &r, NULL);
	/* From root to this process's ids, as a login would (setgroups, setresgid, setresuid). */
	n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		pg[i] = groups[i];
	if (n >= 0 && (err = pm_cred_setgroups(&x->slot, n, pg)) != 0)
		return err;
	getresgid(&rg, &eg, &sg);
	getresuid(&ru, &eu, &su);
	err = pm_cred_setresgid(&x->slot, rg, eg, sg);
	if (!err)
		err = pm_cred_setresuid(&x->slot, &x->rlim, ru, eu, su);
	pm_cred_slot_take_effects(&x->slot);
	return err;
}

static void world_fini(struct pmx_exec *x)
{
	if (!x->world_live)
		return;
	pm_cred_slot_destroy(&x->slot);
	pm_cred_put(x->init);
	pm_rlimits_destroy(&x->rlim);
	pm_userns_destroy_root(&x->root);
	x->world_live = false;
}

/*
 * A run cannot take on new credentials: pmexec is not set-user-ID. It runs
 * such a program with the caller's own, as Linux does on a nosuid mount
 * (bprm_fill_uid and the file capabilities both skipped), and says so.
 */
static int run_creds_prepare(void *ctx, struct pm_hal_file *file, const struct pm_file_attr *attr,
                             struct pm_exec_newcred *out)
{
	struct pm_exec_cred_hooks *h = ctx;
	struct pmx_exec *x = (struct pmx_exec *)((char *)h - offsetof(struct pmx_exec, hooks));
	struct pm_file_attr a = *attr;
	const struct pm_cred *c;
	uint8_t caps[32];
	size_t got = 0;
	int err;

	x->setid = (a.mode & PM_S_ISUID) || (a.mode & (PM_S_ISGID | 0010)) == (PM_S_ISGID | 0010) ||
	           pm_hal_file_get_caps(file, caps, sizeof(caps), &got) == 0;
	a.flags |= PM_FILE_NOSUID;
	err = pm_cred_exec_prepare(pm_cred_slot_current(h->slot), &a, NULL, 0, h->unsafe,
	                           h->ptracer, &h->ec);
	if (err)
		return err;
	h->prepared = true;
	c = h->ec.cred;
	out->cred = h->ec.cred;
	out->secureexec = h->ec.secureexec;
	out->uid = pm_userns_from_kuid_munged(c->user_ns, c->uid);
	out->euid = pm_userns_from_kuid_munged(c->user_ns, c->euid);
	out->gid = pm_userns_from_kgid_munged(c->user_ns, c->gid);
	out->egid = pm_userns_from_kgid_munged(c->user_ns, c->egid);
	return 0;
}

/* ---- argv and envp as the caller's user memory ---- */

static size_t vec_count(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static size_t vec_bytes(char *const *v)
{
	size_t n = 0;

	for (size_t i = 0; v && v[i]; i++)
		n += strlen(v[i]) + 1;
	return n;
}

/* Copy a NULL-terminated vector at *at (strings first, then pointers). */
static pm_uaddr_t vec_copy(char *const *v, pm_uaddr_t *at)
{
	size_t n = vec_count(v);
	pm_uaddr_t *ptrs = calloc(n + 1, sizeof(*ptrs)), arr;

	if (!ptrs)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		ptrs[i] = *at;
		pm_hal_copy_to_user(*at, v[i], len);
		*at += len;
	}
	*at = (*at + 7) & ~(pm_uaddr_t)7;
	arr = *at;
	pm_hal_copy_to_user(arr, ptrs, (n + 1) * sizeof(*ptrs));
	*at += (n + 1) * sizeof(*ptrs);
	free(ptrs);
	return arr;
}

static int user_args(struct pmx_exec *x, char *const *argv, char *const *envp, pm_uaddr_t *uargv,
                     pm_uaddr_t *uenvp)
{
	size_t need = vec_bytes(argv) + vec_bytes(envp) +
	              (vec_count(argv) + vec_count(envp) + 2) * sizeof(pm_uaddr_t) + 64;
	pm_uaddr_t at;
	int err;

	x->old_as = pm_host_as_create(false);
	if (!x->old_as)
		return -PM_ENOMEM;
	err = pm_host_as_map_anywhere(x->old_as, need, PM_PROT_READ | PM_PROT_WRITE, &at);
	if (err)
		return err;
	pm_host_as_set_current(x->old_as);
	*uargv = vec_copy(argv, &at);
	*uenvp = vec_copy(envp, &at);
	return *uargv && *uenvp ? 0 : -PM_ENOMEM;
}

/* ---- the machine facts of the new image ---- */

/*
 * An entry of the auxv the kernel gave this process. Not getauxval():
 * glibc answers AT_HWCAP with its own platform bits (2 on x86_64).
 */
static uint64_t host_auxv(uint64_t type)
{
	uint64_t pair[2], v = 0;
	int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);

	while (fd >= 0 && read(fd, pair, sizeof(pair)) == (ssize_t)sizeof(pair) && pair[0]) {
		if (pair[0] == type) {
			v = pair[1];
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	return v;
}

static void hwinfo(struct pmx_exec *x)
{
	memset(&x->hw, 0, sizeof(x->hw));
	if (x->arch->id == PM_ARCH_X86_64) {
		/* This CPU's: the program runs (or would run) here. */
		x->hw.hwcap = host_auxv(PM_AT_HWCAP);
		x->hw.hwcap2 = host_auxv(PM_AT_HWCAP2);
		x->hw.minsigstksz = host_auxv(PM_AT_MINSIGSTKSZ);
		if (x->real)
			x->hw.vdso_base = host_auxv(PM_AT_SYSINFO_EHDR);
	} else {
		/* A plan for a riscv64 machine: RV64IMAFDC, cache geometry unknown. */
		x->hw.hwcap = (1u << ('i' - 'a')) | (1u << ('m' - 'a')) | (1u << ('a' - 'a')) |
		              (1u << ('f' - 'a')) | (1u << ('d' - 'a')) | (1u << ('c' - 'a'));
	}
}

/* Where [vvar]..[vdso] of this process start and end, and the vDSO's offset. */
static bool host_vdso_geometry(uint64_t *span, uint64_t *off)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	uint64_t first = 0, vdso = 0, end = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *rest;
		uint64_t s = strtoull(line, &rest, 16),
		         e = *rest == '-' ? strtoull(rest + 1, NULL, 16) : 0;

		if ((strstr(line, "[vvar") || strstr(line, "[vdso]")) && !first)
			first = s;
		if (strstr(line, "[vdso]")) {
			vdso = s;
			end = e;
		}
	}
	fclose(f);
	if (!vdso)
		return false;
	*span = end - first;
	*off = vdso - first;
	return true;
}

/*
 * The vDSO of a planned image (arch_setup_additional_pages after the
 * interpreter): [vvar] and [vdso] as one get_unmapped_area() block. x86_64
 * takes this host's sizes; riscv64 two pages of each (an estimate: Linux
 * compares no vDSO address, it is the kernel's choice).
 */
static int place_vdso(struct pmx_exec *x)
{
	uint64_t span = 4ull * PAGE, off = 2ull * PAGE;
	struct pm_vm_map_req req = {.prot = PM_PROT_READ,
	                            .flags =
	                                PM_MAP_PRIVATE | PM_MAP_ANONYMOUS | PM_MAP_FIXED_NOREPLACE,
	                            .extra = PM_VM_MAPX_SPECIAL};
	pm_uaddr_t at = 0, got;
	int err;

	if (x->arch->id == PM_ARCH_X86_64 && !host_vdso_geometry(&span, &off))
		return 0; /* booted with vdso=0: no AT_SYSINFO_EHDR */
	err = pm_vm_get_unmapped_area(&x->vs, 0, span, PM_MAP_PRIVATE, &at);
	if (!err) {
		req.addr = at;
		req.len = off;
		err = pm_vm_mmap(&x->vs, &req, &got);
	}
	if (!err) {
		req.addr = at + off;
		req.len = span - off;
		req.prot = PM_PROT_READ | PM_PROT_EXEC;
		err = pm_vm_mmap(&x->vs, &req, &got);
	}
	if (!err)
		x->hw.vdso_base = at + off;
	return err;
}

/* ---- the exec ---- */

static const struct pm_arch_layout *pick_layout(const struct pm_arch_desc *arch, const char *name)
{
	if (!name)
		return &arch->layouts[0];
	for (size_t i = 0; i < arch->n_layouts; i++)
		if (strcmp(arch->layouts[i].name, name) == 0)
			return &arch->layouts[i];
	return NULL;
}

static void vm_config(struct pmx_exec *x, struct pm_vm_config *cfg)
{
	struct rlimit data, as;
	bool brk_too = true;

	memset(cfg, 0, sizeof(*cfg));
	if (x->randomize)
		(void)pmx_host_randomizes(0, &brk_too);
	if (!brk_too)
		cfg->flags |= PM_VM_NO_BRK_RANDOMIZE;
	getrlimit(RLIMIT_DATA, &data);
	getrlimit(RLIMIT_AS, &as);
	cfg->limits.data = data.rlim_cur;
	cfg->limits.data_max = data.rlim_max;
	cfg->limits.as = as.rlim_cur;
	cfg->mmap_min_addr = sysctl_u64("/proc/sys/vm/mmap_min_addr", 0);
	pm_exec_vm_config(x->ex, cfg);
}

static int prepare(struct pmx_exec *x, const struct pmx_opts *o)
{
	struct pm_exec_params pa;
	pm_uaddr_t uargv = 0, uenvp = 0;
	unsigned int bits = 0;
	int err;

	err = world_init(x);
	if (!err)
		err = user_args(x, o->args, o->env, &uargv, &uenvp);
	if (err)
		return err;
	/* pmexec has no process table, hence no pm_thread: the program runs
	 * in this host process, whose dispositions are the host kernel's, so
	 * the reset is done on them (pmx_signals_reset) rather than with the
	 * signal module's pm_sig_exec_hook, which a kernel on procmgr uses. */
	pm_exec_cred_hooks_init(&x->hooks, &x->slot, &x->rlim, 0, NULL,
	                        x->real ? pmx_signals_reset : NULL, NULL);
	if (x->real)
		x->hooks.hooks.creds_prepare = run_creds_prepare;
	if (x->arch->id == PM_ARCH_X86_64) {
		bits = (unsigned int)sysctl_u64("/proc/sys/vm/mmap_rnd_bits", 0);
		if (bits > x->layout->mmap_rnd_bits_max)
			bits = 0;
	}
	memset(&pa, 0, sizeof(pa));
	pa.arch = x->arch;
	pa.layout = x->layout;
	pa.filename = o->program;
	pa.argv = uargv;
	pa.envp = uenvp;
	pa.rlim_stack_cur = x->rlim_stack;
	pa.elf_flags = x->randomize ? PM_ELF_RANDOMIZE : 0;
	pa.mmap_rnd_bits = bits;
	pa.hooks = &x->hooks.hooks;
	x->ex = calloc(1, sizeof(*x->ex));
	if (!x->ex)
		return -PM_ENOMEM;
	return pm_exec_prepare(x->ex, &pa);
}

static int load(struct pmx_exec *x)
{
	struct pm_vm_config cfg;
	uint8_t rnd[16];
	int err;

	x->new_as = pm_host_as_create(x->real);
	if (!x->new_as)
		return -PM_ENOMEM;
	vm_config(x, &cfg);
	err = pm_vmspace_init(&x->vs, x->new_as, &cfg);
	if (err)
		return err;
	x->vs_live = true;
	err = pm_exec_vm_stack_area(&x->ev, &x->vs, x->ex);
	if (!err)
		err = pm_exec_load(x->ex, &x->ev.mapper, &x->img);
	x->load_error = x->ex->main.load_error || x->ex->interp.load_error;
	if (!err && !x->real)
		err = place_vdso(x);
	/* A run's AT_RANDOM comes from the kernel, even with --seed. */
	if (!err && x->real && getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		err = -PM_EIO;
	if (!err)
		err = pm_exec_vm_finish(&x->ev, &x->img, &x->hw, x->real ? rnd : NULL);
	return err;
}

int pmx_exec_build(struct pmx_exec *x, const struct pmx_opts *o, const struct pm_arch_desc *arch,
                   bool real)
{
	struct rlimit rl;
	int err;

	memset(x, 0, sizeof(*x));
	x->arch = arch;
	x->real = real;
	x->layout = pick_layout(arch, o->layout);
	if (!x->layout)
		return x->err = -PM_EINVAL;
	x->randomize =
	    o->randomize > 0 || (o->randomize < 0 && pmx_host_randomizes(o->personality, NULL));
	getrlimit(RLIMIT_STACK, &rl);
	x->rlim_stack = rl.rlim_cur == RLIM_INFINITY ? PM_VM_RLIM_INFINITY : rl.rlim_cur;
	if (o->seeded)
		pm_host_random_seed(o->seed);
	hwinfo(x);
	x->stage = PMX_PREPARE;
	err = prepare(x, o);
	if (err)
		return x->err = err;
	pm_exec_point_of_no_return(x->ex);
	x->stage = PMX_LOAD;
	err = load(x);
	if (err)
		return x->err = err;
	x->stage = PMX_DONE;
	return 0;
}

void pmx_exec_fini(struct pmx_exec *x)
{
	if (x->ex) {
		pm_exec_release(x->ex);
		free(x->ex);
		x->ex = NULL;
	}
	if (x->vs_live)
		pm_vmspace_destroy(&x->vs);
	x->vs_live = false;
	if (x->new_as)
		pm_host_as_destroy(x->new_as);
	pm_host_as_set_current(NULL);
	if (x->old_as)
		pm_host_as_destroy(x->old_as);
	x->new_as = x->old_as = NULL;
	world_fini(x);
}
