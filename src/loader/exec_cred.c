/* SPDX-License-Identifier: MIT */
/*
 * The exec hooks over the credential module (fs/exec.c
 * bprm_creds_from_file, begin_new_exec's commit_creds, free_bprm's
 * abort_creds). The loader reaches credentials only through
 * struct pm_exec_hooks; this fills it with the cred module's functions.
 */
#include "hal/pm_string.h"
#include "procmgr/errno.h"
#include "procmgr/exec_vm.h"
#include "procmgr/userns.h"

static int cred_prepare(void *ctx, struct pm_hal_file *file, const struct pm_file_attr *attr,
                        struct pm_exec_newcred *out)
{
	struct pm_exec_cred_hooks *h = ctx;
	const struct pm_cred *c;
	int err;

	(void)attr; /* pm_cred_exec_prepare_file() reads it with the capabilities */
	if (h->prepared)
		return -PM_EINVAL; /* one exec in flight per hooks object */
	err = pm_cred_exec_prepare_file(pm_cred_slot_current(h->slot), file, h->unsafe, h->ptracer,
	                                &h->ec);
	if (err)
		return err;
	h->prepared = true;
	c = h->ec.cred;
	out->cred = h->ec.cred;
	out->secureexec = h->ec.secureexec;
	/* create_elf_tables: from_kuid_munged(cred->user_ns, cred->uid) ... */
	out->uid = pm_userns_from_kuid_munged(c->user_ns, c->uid);
	out->euid = pm_userns_from_kuid_munged(c->user_ns, c->euid);
	out->gid = pm_userns_from_kgid_munged(c->user_ns, c->gid);
	out->egid = pm_userns_from_kgid_munged(c->user_ns, c->egid);
	return 0;
}

static void cred_abort(void *ctx, struct pm_exec_newcred *creds)
{
	struct pm_exec_cred_hooks *h = ctx;

	(void)creds;
	if (!h->prepared)
		return;
	pm_cred_exec_abort(&h->ec);
	pm_memset(&h->ec, 0, sizeof(h->ec));
	h->prepared = false;
}

static void cred_commit(void *ctx, struct pm_exec_newcred *creds)
{
	struct pm_exec_cred_hooks *h = ctx;

	(void)creds;
	if (!h->prepared)
		return;
	h->secureexec = h->ec.secureexec;
	h->per_clear = h->ec.per_clear;
	pm_cred_exec_commit(h->slot, &h->ec);
	/* begin_new_exec: a secure exec caps the stack limit it keeps. */
	if (h->secureexec && h->rlim)
		pm_rlimits_exec_secure(h->rlim);
	pm_memset(&h->ec, 0, sizeof(h->ec));
	h->prepared = false;
	h->committed = true;
}

static void signals_reset(void *ctx)
{
	struct pm_exec_cred_hooks *h = ctx;

	if (h->signals_reset)
		h->signals_reset(h->signals_ctx);
}

void pm_exec_cred_hooks_init(struct pm_exec_cred_hooks *h, struct pm_cred_slot *slot,
                             struct pm_rlimits *rlim, unsigned int unsafe,
                             const struct pm_cred *ptracer, void (*reset)(void *ctx),
                             void *signals_ctx)
{
	pm_memset(h, 0, sizeof(*h));
	h->hooks.ctx = h;
	h->hooks.creds_prepare = cred_prepare;
	h->hooks.creds_abort = cred_abort;
	h->hooks.creds_commit = cred_commit;
	h->hooks.signals_reset = signals_reset;
	h->slot = slot;
	h->rlim = rlim;
	h->unsafe = unsafe;
	h->ptracer = ptracer;
	h->signals_reset = reset;
	h->signals_ctx = signals_ctx;
}
