/* SPDX-License-Identifier: MIT */
/*
 * Exec into a vmspace: the loader's mapper over the VM module, the stack
 * area before the segments (fs/exec.c:setup_arg_pages), and after them
 * brk, the image bookkeeping and the initial stack (fs/binfmt_elf.c:
 * load_elf_binary's tail and create_elf_tables). Loader code calling the
 * VM module's public API: the VM module knows nothing of the loader.
 */
#include "hal/pm_string.h"
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/exec_vm.h"
#include "procmgr/hal.h"
#include "procmgr/mman.h"

/* ---- the mapper ---- */

static int vm_map_cb(void *ctx, pm_uaddr_t start, uint64_t len, unsigned int prot,
                     unsigned int flags, struct pm_hal_file *file, uint64_t offset)
{
	struct pm_vm_map_req req = {
	    .addr = start,
	    .len = len,
	    .prot = prot,
	    .flags = flags | (file ? 0u : PM_MAP_ANONYMOUS),
	    .file = file,
	    .offset = file ? offset : 0,
	};
	pm_uaddr_t got = 0;

	return pm_vm_mmap(ctx, &req, &got);
}

static int vm_unmap_cb(void *ctx, pm_uaddr_t start, uint64_t len)
{
	return pm_vm_munmap(ctx, start, len);
}

static int vm_clear_cb(void *ctx, pm_uaddr_t uaddr, uint64_t n)
{
	struct pm_vmspace *vs = ctx;

	/* padzero: the page was just mapped writable from the file. */
	return pm_hal_as_clear(vs->as, uaddr, (size_t)n) ? -PM_EFAULT : 0;
}

static int vm_find_cb(void *ctx, pm_uaddr_t hint, uint64_t len, pm_uaddr_t *out)
{
	return pm_vm_get_unmapped_area(ctx, hint, len, PM_MAP_PRIVATE, out);
}

void pm_exec_vm_mapper_init(struct pm_elf_mapper *m, struct pm_vmspace *vs)
{
	m->ctx = vs;
	m->map = vm_map_cb;
	m->unmap = vm_unmap_cb;
	m->clear = vm_clear_cb;
	m->find_free = vm_find_cb;
}

/* ---- configuration ---- */

/* RLIMIT_STACK as begin_new_exec leaves it: capped for a secure exec. */
static uint64_t exec_stack_limit(const struct pm_exec *ex)
{
	if (ex->creds.secureexec && ex->rlim_stack_cur > PM_STK_LIM)
		return PM_STK_LIM;
	return ex->rlim_stack_cur;
}

void pm_exec_vm_config(const struct pm_exec *ex, struct pm_vm_config *cfg)
{
	static const struct pm_vm_limits zero;

	cfg->arch = ex->arch;
	cfg->layout = ex->layout;
	cfg->mmap_rnd_bits = ex->mmap_rnd_bits;
	if (ex->elf_flags & PM_ELF_RANDOMIZE)
		cfg->flags &= ~PM_VM_NO_RANDOMIZE;
	else
		cfg->flags |= PM_VM_NO_RANDOMIZE;
	if (pm_memcmp(&cfg->limits, &zero, sizeof(zero)) == 0) {
		cfg->limits.data = PM_VM_RLIM_INFINITY;
		cfg->limits.data_max = PM_VM_RLIM_INFINITY;
		cfg->limits.as = PM_VM_RLIM_INFINITY;
	}
	cfg->limits.stack = exec_stack_limit(ex);
}

/* ---- stack input ---- */

/* The strings block as pm_vm_stack_in lists: argv, envp, then execfn. */
static int strings_in(const char *s, size_t len, size_t envp_off, size_t execfn_off, uint32_t argc,
                      uint32_t envc, struct pm_vm_stack_in *in)
{
	if (!s || envp_off > execfn_off || execfn_off >= len || s[len - 1] != '\0')
		return -PM_EINVAL;
	in->argv = (struct pm_vm_strv){.blob = s, .blob_len = envp_off, .count = argc};
	in->envp = (struct pm_vm_strv){
	    .blob = s + envp_off, .blob_len = execfn_off - envp_off, .count = envc};
	in->execfn = s + execfn_off;
	return 0;
}

int pm_exec_stack_in(const struct pm_exec_image *img, const struct pm_arch_hwinfo *hw,
                     struct pm_vm_stack_in *in)
{
	int err;

	if (!img || !hw || !in)
		return -PM_EINVAL;
	pm_memset(in, 0, sizeof(*in));
	err = strings_in(img->strings, img->strings_len, img->envp_offset, img->execfn_offset,
	                 img->argc, img->envc, in);
	if (err)
		return err;
	in->phdr = img->at_phdr;
	in->phent = img->at_phent;
	in->phnum = img->at_phnum;
	in->entry = img->at_entry;
	in->base = img->at_base;
	in->hw = *hw;
	in->uid = img->uid;
	in->euid = img->euid;
	in->gid = img->gid;
	in->egid = img->egid;
	in->secure = img->secure;
	in->stack_limit = img->rlim_stack_cur;
	return 0;
}

/* ---- the stack area (setup_arg_pages) ---- */

int pm_exec_vm_stack_area(struct pm_exec_vm *ev, struct pm_vmspace *vs, const struct pm_exec *ex)
{
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout lay;
	int err;

	if (!ev || !vs || !ex || !ex->ponr || !ex->strings)
		return -PM_EINVAL;
	pm_memset(ev, 0, sizeof(*ev));
	pm_memset(&in, 0, sizeof(in));
	ev->vs = vs;
	pm_exec_vm_mapper_init(&ev->mapper, vs);
	ev->rlim_stack_cur = exec_stack_limit(ex);
	err = strings_in(ex->strings + ex->p, ex->strings_size - ex->p, ex->env_off - ex->p,
	                 ex->execfn_off - ex->p, ex->argc, ex->envc, &in);
	if (err)
		return err;
	in.stack_limit = ev->rlim_stack_cur;
	ev->stack_top = pm_vm_stack_top(vs);
	/* Planning only: the strings' size does not depend on the auxv. */
	err = pm_vm_stack_build(ex->arch, &in, ev->stack_top, &lay, NULL, 0);
	if (err)
		return err;
	ev->strings_size = lay.strings_size;
	return pm_vm_stack_map(vs, ev->stack_top, ev->strings_size, (int)ex->main.exec_stack,
	                       &ev->stack_start);
}

/* ---- after the segments ---- */

int pm_exec_vm_finish(struct pm_exec_vm *ev, const struct pm_exec_image *img,
                      const struct pm_arch_hwinfo *hw, const uint8_t *random)
{
	struct pm_vm_stack_in in;
	struct pm_vm_stack_layout lay;
	struct pm_vm_image im;
	void *buf;
	int err;

	if (!ev || !ev->vs || !img || !hw)
		return -PM_EINVAL;
	err = pm_exec_stack_in(img, hw, &in);
	if (err)
		return err;
	pm_vm_stack_random(ev->vs, &in);
	if (random)
		pm_memcpy(in.random, random, sizeof(in.random));
	/* Size first, so a failure below leaves brk and the image alone. */
	err = pm_vm_stack_build(ev->vs->arch, &in, ev->stack_top, &lay, NULL, 0);
	if (err)
		return err;
	buf = pm_hal_alloc(lay.size, 16);
	if (!buf)
		return -PM_ENOMEM;
	err = pm_vm_stack_build(ev->vs->arch, &in, ev->stack_top, &lay, buf, lay.size);
	if (!err)
		err = pm_vm_brk_init(ev->vs, img->brk_start, img->brk_moved);
	if (!err) {
		im = *pm_vm_image(ev->vs);
		im.start_code = img->start_code;
		im.end_code = img->end_code;
		im.start_data = img->start_data;
		im.end_data = img->end_data;
		pm_vm_set_image(ev->vs, &im);
		err = pm_vm_stack_write(ev->vs, &lay, buf);
	}
	pm_hal_free(buf, lay.size);
	if (err)
		return err;
	ev->stack = lay;
	ev->entry = img->entry;
	ev->sp = lay.sp;
	return 0;
}
