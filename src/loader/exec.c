/* SPDX-License-Identifier: MIT */
/*
 * Exec preparation (fs/exec.c:do_execveat_common, bprm_execve,
 * exec_binprm, search_binary_handler, begin_new_exec) around the ELF
 * planner and the `#!` parser: everything before the point of no return
 * fails cleanly with Linux's errno; the point of no return is a call of its
 * own; loading happens after it, into the new address space.
 */
#include "hal/pm_string.h"
#include "loader/loader_internal.h"
#include "procmgr/errno.h"

static void elf_args(const struct pm_exec *ex, struct pm_hal_file *file, const uint8_t *head,
                     struct pm_elf_plan_args *a)
{
	struct pm_file_attr attr;

	pm_memset(a, 0, sizeof(*a));
	a->arch = ex->arch;
	a->layout = ex->layout;
	a->read = pm_elf_read_hal;
	a->read_ctx = file;
	a->head = head;
	a->flags = ex->elf_flags;
	a->mmap_rnd_bits = ex->mmap_rnd_bits;
	if (pm_hal_file_getattr(file, &attr) == 0)
		a->file_size = attr.size;
}

/* The ELF handler up to the point of no return (load_elf_binary). */
static int load_elf(struct pm_exec *ex)
{
	struct pm_elf_plan_args a;
	int err;

	elf_args(ex, ex->file, (const uint8_t *)ex->buf, &a);
	err = pm_elf_plan(&a, &ex->main);
	if (err || !ex->main.has_interp)
		return err;
	err =
	    elf_pread_(&a, ex->main.interp_offset, ex->interp_path, (size_t)ex->main.interp_filesz);
	if (err)
		return err;
	/* Interior NULs end the path; the last byte was checked. */
	ex->interp_path[ex->main.interp_filesz - 1] = '\0';
	err = pm_hal_file_open_exec(ex->interp_path, &ex->interp_file);
	if (err)
		return err;
	elf_args(ex, ex->interp_file, NULL, &a);
	return pm_elf_plan_interp(&a, ex->main.load_bias, &ex->interp);
}

/* search_binary_handler(): read bprm->buf, then the format that matches. */
static int search_binary_handler(struct pm_exec *ex, struct pm_hal_file **next)
{
	size_t got = 0;
	int err;

	pm_memset(ex->buf, 0, sizeof(ex->buf));
	err = pm_hal_file_read(ex->file, 0, ex->buf, sizeof(ex->buf), &got);
	if (err)
		return err;
	if (ex->buf[0] == '#' && ex->buf[1] == '!')
		return exec_load_script_(ex, next);
	if (pm_memcmp(ex->buf, "\177ELF", 4) == 0)
		return load_elf(ex);
	return -PM_ENOEXEC;
}

/* exec_binprm(): up to PM_EXEC_MAX_DEPTH + 1 passes, then ELOOP. */
static int exec_binprm(struct pm_exec *ex)
{
	for (ex->depth = 0;; ex->depth++) {
		struct pm_hal_file *next = NULL;
		int err;

		if (ex->depth > PM_EXEC_MAX_DEPTH)
			return -PM_ELOOP;
		err = search_binary_handler(ex, &next);
		if (err)
			return err;
		if (!next)
			return 0;
		pm_hal_file_put(ex->file);
		ex->file = next;
	}
}

/* bprm_creds_from_file(), through the credential module's hook. */
static int prepare_creds(struct pm_exec *ex)
{
	struct pm_file_attr attr;
	int err;

	if (!ex->hooks || !ex->hooks->creds_prepare)
		return 0;
	err = pm_hal_file_getattr(ex->file, &attr);
	if (err)
		return err;
	err = ex->hooks->creds_prepare(ex->hooks->ctx, ex->file, &attr, &ex->creds);
	if (err)
		return err;
	ex->have_creds = true;
	return 0;
}

int pm_exec_prepare(struct pm_exec *ex, const struct pm_exec_params *pa)
{
	int err;

	if (!ex)
		return -PM_EINVAL;
	pm_memset(ex, 0, sizeof(*ex));
	if (!pa || !pa->arch || !pa->filename || !pa->arch->n_layouts)
		return -PM_EINVAL;
	ex->arch = pa->arch;
	ex->layout = pa->layout ? pa->layout : &pa->arch->layouts[0];
	ex->elf_flags = pa->elf_flags;
	ex->mmap_rnd_bits = pa->mmap_rnd_bits;
	ex->rlim_stack_cur = pa->rlim_stack_cur;
	ex->path_inaccessible = pa->path_inaccessible;
	ex->hooks = pa->hooks;
	ex->interp_is_filename = true;
	if (pa->file) {
		pm_hal_file_get(pa->file);
		ex->file = pa->file;
	} else {
		err = pm_hal_file_open_exec(pa->filename, &ex->file);
		if (err)
			goto fail;
	}
	err = exec_args_copy_(ex, pa->filename, pa->argv, pa->envp);
	if (!err)
		err = exec_binprm(ex);
	if (!err)
		err = prepare_creds(ex);
	if (err)
		goto fail;
	ex->prepared = true;
	return 0;
fail:
	pm_exec_release(ex);
	return err;
}

int pm_exec_point_of_no_return(struct pm_exec *ex)
{
	if (!ex || !ex->prepared || ex->ponr)
		return -PM_EINVAL;
	ex->ponr = true;
	if (ex->hooks && ex->hooks->signals_reset)
		ex->hooks->signals_reset(ex->hooks->ctx);
	if (ex->have_creds && ex->hooks && ex->hooks->creds_commit)
		ex->hooks->creds_commit(ex->hooks->ctx, &ex->creds);
	ex->have_creds = false;
	return 0;
}

static void fill_image(const struct pm_exec *ex, struct pm_exec_image *out)
{
	const struct pm_elf_plan *m = &ex->main;
	const struct pm_elf_plan *ip = ex->interp_file ? &ex->interp : NULL;

	pm_memset(out, 0, sizeof(*out));
	out->strings = ex->strings + ex->p;
	out->strings_len = ex->strings_size - ex->p;
	out->envp_offset = ex->env_off - ex->p;
	out->execfn_offset = ex->execfn_off - ex->p;
	out->argc = ex->argc;
	out->envc = ex->envc;
	out->at_phdr = m->phdr_addr;
	out->at_phent = m->phent;
	out->at_phnum = m->phnum;
	out->at_base = ip ? ip->load_bias : 0;
	out->at_entry = m->entry;
	out->entry = ip ? ip->entry : m->entry;
	out->secure = ex->creds.secureexec;
	out->uid = ex->creds.uid;
	out->euid = ex->creds.euid;
	out->gid = ex->creds.gid;
	out->egid = ex->creds.egid;
	out->brk_start = m->brk_start;
	out->brk_moved = m->brk_moved;
	out->start_code = m->start_code;
	out->end_code = m->end_code;
	out->start_data = m->start_data;
	out->end_data = m->end_data;
	out->exec_stack = m->exec_stack;
	out->x86_feature_1 = (ip ? ip : m)->gnu_property.x86_feature_1;
	out->rlim_stack_cur = ex->creds.secureexec && ex->rlim_stack_cur > PM_STK_LIM
	                          ? PM_STK_LIM
	                          : ex->rlim_stack_cur;
}

int pm_exec_load(struct pm_exec *ex, const struct pm_elf_mapper *mapper, struct pm_exec_image *out)
{
	int err;

	if (!ex || !ex->ponr || !mapper || !out)
		return -PM_EINVAL;
	err = pm_elf_apply(&ex->main, mapper, ex->file);
	if (err)
		return err;
	if (ex->interp_file) {
		err = pm_elf_apply(&ex->interp, mapper, ex->interp_file);
		if (err) {
			elf_unmap_all_(&ex->main, mapper);
			return err;
		}
	}
	fill_image(ex, out);
	return 0;
}

void pm_exec_release(struct pm_exec *ex)
{
	if (!ex)
		return;
	if (ex->have_creds && ex->hooks && ex->hooks->creds_abort)
		ex->hooks->creds_abort(ex->hooks->ctx, &ex->creds);
	ex->have_creds = false;
	pm_elf_plan_release(&ex->main);
	pm_elf_plan_release(&ex->interp);
	if (ex->interp_file)
		pm_hal_file_put(ex->interp_file);
	if (ex->file)
		pm_hal_file_put(ex->file);
	if (ex->strings)
		pm_hal_free(ex->strings, ex->strings_size);
	ex->interp_file = NULL;
	ex->file = NULL;
	ex->strings = NULL;
	ex->prepared = false;
}
