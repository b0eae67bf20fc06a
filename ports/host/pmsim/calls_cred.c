/* SPDX-License-Identifier: MIT */
/*
 * pmsim's credential, capability and limit calls (PMSIM.md "Credentials"
 * and "Limits"), each one procmgr call made the way a kernel's system call
 * would make it: the credential module on the calling thread's slot
 * (pm_thread_cred) and its process's limits (pm_process_rlimits), then
 * pm_thread_cred_changed for commit_creds' side effects. Also the
 * credential steps of execve and access(2) on declared files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"
#include "procmgr/cred.h"
#include "procmgr/cred_check.h"
#include "procmgr/cred_exec.h"
#include "procmgr/errno.h"
#include "procmgr/rlimit.h"

#define MAX_GROUPS 65536 /* NGROUPS_MAX */

static struct pm_thread *self(int x)
{
	return pmsim_actors[x].th;
}

static struct pm_cred_slot *slot(int x)
{
	return pm_thread_cred(self(x));
}

static const struct pm_cred *cred(int x)
{
	return pm_cred_slot_current(slot(x));
}

static struct pm_rlimits *rlim(int x)
{
	return pm_process_rlimits(pm_thread_process(self(x)));
}

static void val(struct pmsim_result *r, long ret)
{
	r->kind = RES_VAL;
	r->fmt = FMT_INT;
	r->ret = ret;
}

static void text(struct pmsim_result *r)
{
	r->kind = RES_VAL;
	r->fmt = FMT_TEXT;
	r->ret = 0;
}

/* An id argument: (uid_t)-1 is written -1. */
static uint32_t id_arg(int x, const struct pmsim_line *L, int k)
{
	return (uint32_t)pmsim_eval(x, L->args[k]);
}

/* A successful call may have committed credentials: apply commit_creds'
 * side effects (dumpable, parent-death signal). */
static void done(int x, struct pmsim_result *r, long ret)
{
	val(r, ret);
	if (ret >= 0)
		pm_thread_cred_changed(self(x));
}

/* ---- ids ------------------------------------------------------------------------- */

static void c_getuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_uid_t ids[3];

	(void)L;
	pm_cred_getresuid(cred(x), ids);
	val(r, ids[0]);
}

static void c_geteuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_uid_t ids[3];

	(void)L;
	pm_cred_getresuid(cred(x), ids);
	val(r, ids[1]);
}

static void c_getgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_gid_t ids[3];

	(void)L;
	pm_cred_getresgid(cred(x), ids);
	val(r, ids[0]);
}

static void c_getegid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_gid_t ids[3];

	(void)L;
	pm_cred_getresgid(cred(x), ids);
	val(r, ids[1]);
}

static void c_getresuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_uid_t ids[3];

	(void)L;
	pm_cred_getresuid(cred(x), ids);
	text(r);
	(void)snprintf(r->text, sizeof(r->text), "%u %u %u", ids[0], ids[1], ids[2]);
}

static void c_getresgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_gid_t ids[3];

	(void)L;
	pm_cred_getresgid(cred(x), ids);
	text(r);
	(void)snprintf(r->text, sizeof(r->text), "%u %u %u", ids[0], ids[1], ids[2]);
}

static void c_setuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, pm_cred_setuid(slot(x), rlim(x), id_arg(x, L, 0)));
}

static void c_setreuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, pm_cred_setreuid(slot(x), rlim(x), id_arg(x, L, 0), id_arg(x, L, 1)));
}

static void c_setresuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(
	    x, r,
	    pm_cred_setresuid(slot(x), rlim(x), id_arg(x, L, 0), id_arg(x, L, 1), id_arg(x, L, 2)));
}

static void c_setgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, pm_cred_setgid(slot(x), id_arg(x, L, 0)));
}

static void c_setregid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, pm_cred_setregid(slot(x), id_arg(x, L, 0), id_arg(x, L, 1)));
}

static void c_setresgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, pm_cred_setresgid(slot(x), id_arg(x, L, 0), id_arg(x, L, 1), id_arg(x, L, 2)));
}

/* setfsuid and setfsgid never fail: they print the previous id. */
static void c_setfsuid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, (long)pm_cred_setfsuid(slot(x), id_arg(x, L, 0)));
}

static void c_setfsgid(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r, (long)pm_cred_setfsgid(slot(x), id_arg(x, L, 0)));
}

/* ---- groups ------------------------------------------------------------------------ */

/* [A,B,...] into a new array; returns the count. */
static int parse_list(int x, const struct pmsim_line *L, const char *expr, pm_gid_t **out)
{
	char *buf = strdup(expr), *p, *tok, *save = NULL;
	pm_gid_t *list = malloc(MAX_GROUPS * sizeof(*list));
	size_t n;
	int k = 0;

	if (!buf || !list)
		pmsim_die(0, "out of memory");
	p = pmsim_trim(buf);
	n = strlen(p);
	if (n < 2 || p[0] != '[' || p[n - 1] != ']')
		pmsim_die(L->no, "expected a list [..]: %s", expr);
	p[n - 1] = '\0';
	for (tok = strtok_r(p + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = pmsim_trim(tok);
		if (!*tok)
			continue;
		if (k == MAX_GROUPS)
			pmsim_die(L->no, "list too long");
		list[k++] = (pm_gid_t)pmsim_eval(x, tok);
	}
	free(buf);
	*out = list;
	return k;
}

static void c_setgroups(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_gid_t *list;
	int n = parse_list(x, L, L->args[0], &list);

	done(x, r, pm_cred_setgroups(slot(x), n, list));
	free(list);
}

static void c_getgroups(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	int n = pm_cred_getgroups(cred(x), 0, NULL);
	pm_gid_t *list = malloc((size_t)(n ? n : 1) * sizeof(*list));
	size_t o = 1;

	(void)L;
	if (!list)
		pmsim_die(0, "out of memory");
	n = pm_cred_getgroups(cred(x), n, list);
	text(r);
	r->text[0] = '[';
	for (int i = 0; i < n && o + 12 < sizeof(r->text); i++)
		o += (size_t)snprintf(r->text + o, sizeof(r->text) - o, "%s%u", i ? "," : "",
		                      list[i]);
	(void)snprintf(r->text + o, sizeof(r->text) - o, "]");
	free(list);
}

/* ---- capabilities -------------------------------------------------------------------- */

static void c_capget(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	long pid = L->nargs ? pmsim_eval(x, L->args[0]) : 0;
	const struct pm_cred *c;
	char e[600], p[600], i[600]; /* every name but one: 586 bytes */
	int err;

	/* capget: a negative pid is EINVAL; 0 and the caller's tid are the caller. */
	if (pid < 0) {
		val(r, -PM_EINVAL);
		return;
	}
	err = pm_thread_cred_find(self(x), (pm_pid_t)pid, &c);
	if (err) {
		val(r, err);
		return;
	}
	pmsim_fmt_set(c->cap_effective, 'c', e);
	pmsim_fmt_set(c->cap_permitted, 'c', p);
	pmsim_fmt_set(c->cap_inheritable, 'c', i);
	pm_cred_put(c);
	text(r);
	(void)snprintf(r->text, sizeof(r->text), "eff=%s prm=%s inh=%s", e, p, i);
}

static void c_capset(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	done(x, r,
	     pm_cred_capset(slot(x), pmsim_eval_set(x, L->args[0], 'c'),
	                    pmsim_eval_set(x, L->args[1], 'c'),
	                    pmsim_eval_set(x, L->args[2], 'c')));
}

bool pmsim_cred_prctl(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	uint64_t a[5] = {0, 0, 0, 0, 0};
	int64_t ret;

	for (int k = 0; k < L->nargs && k < 5; k++)
		a[k] = (uint64_t)pmsim_eval(x, L->args[k]);
	ret = pm_cred_prctl(slot(x), (int)a[0], a[1], a[2], a[3], a[4]);
	if (ret == -PM_ENOSYS)
		return false;
	done(x, r, (long)ret);
	return true;
}

/* ---- files: access, and the credential steps of execve --------------------------------- */

static void file_attr(const struct pmsim_file *f, struct pm_file_attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->mode = PM_S_IFREG | (f->mode & 07777);
	attr->uid = f->uid;
	attr->gid = f->gid;
	attr->flags = f->nosuid ? PM_FILE_NOSUID : 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The file's caps= as setcap stores them: a revision 2 security.capability. */
static size_t file_caps(const struct pmsim_file *f, unsigned char *buf)
{
	if (!f->has_caps)
		return 0;
	put_le32(buf, PM_VFS_CAP_REVISION_2 | (f->caps_e ? PM_VFS_CAP_FLAGS_EFFECTIVE : 0));
	put_le32(buf + 4, (uint32_t)f->caps_p);
	put_le32(buf + 8, (uint32_t)f->caps_i);
	put_le32(buf + 12, (uint32_t)(f->caps_p >> 32));
	put_le32(buf + 16, (uint32_t)(f->caps_i >> 32));
	return PM_XATTR_CAPS_SZ_2;
}

static void c_access(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	const struct pmsim_file *f;
	long mode = pmsim_eval(x, L->args[1]);
	struct pm_file_attr attr;
	struct pm_cred tmp;

	/* do_faccessat: bad mode bits first, then the lookup, with the real ids. */
	if (mode & ~7L) {
		val(r, -PM_EINVAL);
		return;
	}
	f = pmsim_find_file(L->args[0]);
	if (!f) {
		val(r, -PM_ENOENT);
		return;
	}
	file_attr(f, &attr);
	val(r, pm_cred_generic_permission(pm_cred_access_creds(cred(x), &tmp), &attr,
	                                  (unsigned int)mode | PM_MAY_ACCESS));
}

int pmsim_exec_creds_prepare(int x, const struct pmsim_file *f, struct pmsim_exec_creds *out)
{
	unsigned char caps[PM_XATTR_CAPS_SZ];
	size_t len = f ? file_caps(f, caps) : 0;
	struct pm_file_attr attr;
	int err;

	/* do_execveat_common: a set*uid over RLIMIT_NPROC fails the next execve,
	 * before the file is looked up. */
	err = pm_cred_exec_nproc_check(slot(x), rlim(x));
	if (err)
		return err;
	if (!f)
		return -PM_ENOENT;
	file_attr(f, &attr);
	/* open_exec: the caller's fs ids must be allowed to execute it. */
	err = pm_cred_generic_permission(cred(x), &attr, PM_MAY_EXEC | PM_MAY_OPEN);
	if (err)
		return err;
	/* would_dump: an unreadable program makes a non-dumpable image. */
	out->unreadable = pm_cred_generic_permission(cred(x), &attr, PM_MAY_READ) != 0;
	/* begin_new_exec's bprm_creds_from_file, before the point of no return. */
	return pm_cred_exec_prepare(cred(x), &attr, len ? caps : NULL, len, 0, NULL, &out->ec);
}

void pmsim_exec_creds_abort(struct pmsim_exec_creds *ec)
{
	pm_cred_exec_abort(&ec->ec);
}

void pmsim_exec_creds_commit(int x, struct pmsim_exec_creds *ec)
{
	bool secure = ec->ec.secureexec;

	pm_cred_exec_commit(slot(x), &ec->ec);
	pm_thread_cred_changed(self(x));
	if (ec->unreadable)
		(void)pm_set_dumpable(self(x), PM_SUID_DUMP_DISABLE);
	if (secure)
		pm_rlimits_exec_secure(rlim(x));
}

/* ---- limits ------------------------------------------------------------------------------ */

static void fmt_limit(char *out, uint64_t v)
{
	if (v == PM_RLIM_INFINITY)
		pmsim_copy(out, "RLIM_INFINITY");
	else
		(void)sprintf(out, "%llu", (unsigned long long)v);
}

static void show_limit(struct pmsim_result *r, const struct pm_rlimit *l)
{
	char s[32], h[32];

	fmt_limit(s, l->rlim_cur);
	fmt_limit(h, l->rlim_max);
	text(r);
	(void)snprintf(r->text, sizeof(r->text), "%s %s", s, h);
}

static void c_getrlimit(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	struct pm_rlimit old;
	int err = pm_prlimit(self(x), 0, (unsigned int)pmsim_eval(x, L->args[0]), NULL, &old);

	if (err)
		val(r, err);
	else
		show_limit(r, &old);
}

static void c_setrlimit(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	struct pm_rlimit n = {(uint64_t)pmsim_eval(x, L->args[1]),
	                      (uint64_t)pmsim_eval(x, L->args[2])};

	val(r, pm_prlimit(self(x), 0, (unsigned int)pmsim_eval(x, L->args[0]), &n, NULL));
}

/* prlimit(PID, RES) reads; prlimit(PID, RES, SOFT, HARD) sets and prints 0. */
static void c_prlimit(int x, const struct pmsim_line *L, struct pmsim_result *r)
{
	pm_pid_t pid = (pm_pid_t)pmsim_eval(x, L->args[0]);
	unsigned int res = (unsigned int)pmsim_eval(x, L->args[1]);
	struct pm_rlimit old, n;
	int err;

	if (L->nargs == 3)
		pmsim_die(L->no, "prlimit takes 2 or 4 arguments");
	if (L->nargs == 2) {
		err = pm_prlimit(self(x), pid, res, NULL, &old);
		if (err)
			val(r, err);
		else
			show_limit(r, &old);
		return;
	}
	n.rlim_cur = (uint64_t)pmsim_eval(x, L->args[2]);
	n.rlim_max = (uint64_t)pmsim_eval(x, L->args[3]);
	val(r, pm_prlimit(self(x), pid, res, &n, NULL));
}

const struct pmsim_call pmsim_calls_cred[] = {
    {"getuid", 0, 0, c_getuid},
    {"geteuid", 0, 0, c_geteuid},
    {"getgid", 0, 0, c_getgid},
    {"getegid", 0, 0, c_getegid},
    {"getresuid", 0, 0, c_getresuid},
    {"getresgid", 0, 0, c_getresgid},
    {"getgroups", 0, 0, c_getgroups},
    {"setuid", 1, 1, c_setuid},
    {"setgid", 1, 1, c_setgid},
    {"setreuid", 2, 2, c_setreuid},
    {"setregid", 2, 2, c_setregid},
    {"setresuid", 3, 3, c_setresuid},
    {"setresgid", 3, 3, c_setresgid},
    {"setfsuid", 1, 1, c_setfsuid},
    {"setfsgid", 1, 1, c_setfsgid},
    {"setgroups", 1, 1, c_setgroups},
    {"capget", 0, 1, c_capget},
    {"capset", 3, 3, c_capset},
    {"access", 2, 2, c_access},
    {"getrlimit", 1, 1, c_getrlimit},
    {"setrlimit", 3, 3, c_setrlimit},
    {"prlimit", 2, 4, c_prlimit},
    {NULL, 0, 0, NULL},
};
