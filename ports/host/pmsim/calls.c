/* SPDX-License-Identifier: MIT */
/*
 * The call registry, result formatting and the line runner. Modules add
 * their calls as tables in calls_*.c listed in `tables` below; a call no
 * table has prints -ENOSYS, as PMSIM.md asks of unsupported calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"

int pmsim_failures;

static const struct pmsim_call *const tables[] = {
    pmsim_calls_proc,
    pmsim_calls_signal,
    pmsim_calls_cred,
};

bool pmsim_call_inferable(const char *name)
{
	return strcmp(name, "kill") == 0 || strcmp(name, "tgkill") == 0 ||
	       strcmp(name, "sigqueue") == 0 || strcmp(name, "sigprocmask") == 0;
}

static const struct pmsim_call *find_call(const char *name)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct pmsim_call *c = tables[t]; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

static void format_wait4(int x, const struct pmsim_result *r, char *out)
{
	int st = r->wr.status;
	char nb[32], sb[32];
	const char *who;

	if (r->ret == 0) {
		pmsim_copy(out, "0");
		return;
	}
	who = pmsim_pidname(r->ret, x, false, nb);
	if ((st & 0x7f) == 0)
		(void)sprintf(out, "%s exited(%d)", who, (st >> 8) & 0xff);
	else if ((st & 0x7f) != 0x7f)
		(void)sprintf(out, "%s killed(%s%s)", who, pmsim_signame(st & 0x7f, sb),
		              (st & 0x80) ? ", core" : "");
	else if ((st & 0xff) == 0x7f)
		(void)sprintf(out, "%s stopped(%s)", who, pmsim_signame((st >> 8) & 0xff, sb));
	else if (st == 0xffff)
		(void)sprintf(out, "%s continued", who);
	else
		(void)sprintf(out, "%s status(0x%x)", who, (unsigned int)st);
}

static void format_waitid(int x, const struct pmsim_result *r, char *out)
{
	const struct pm_wait_result *w = &r->wr;
	char nb[32], sb[32], stb[32], sigb[32];

	if (w->signo == 0) {
		(void)sprintf(out, "%ld {}", r->ret);
		return;
	}
	if (w->code == PM_CLD_EXITED)
		(void)sprintf(stb, "%d", w->cld_status);
	else
		pmsim_copy(stb, pmsim_signame(w->cld_status, sb));
	(void)sprintf(out, "%ld {si_signo=%s, si_code=%s, si_pid=%s, si_uid=%u, si_status=%s}",
	              r->ret, pmsim_signame(w->signo, sigb), pmsim_cldname(w->code),
	              pmsim_pidname(w->pid, x, false, nb), (unsigned int)w->uid, stb);
}

void pmsim_format(int x, const struct pmsim_result *r, char *out)
{
	char nb[32];

	if (r->kind == RES_NORET || r->fmt == FMT_NONE) {
		pmsim_copy(out, "?");
		return;
	}
	if (r->kind == RES_BLOCKED) {
		pmsim_copy(out, "<blocked>");
		return;
	}
	if (r->ret < 0 && r->ret > -4096) {
		pmsim_copy(out, pmsim_errname(-r->ret, nb));
		return;
	}
	switch (r->fmt) {
	case FMT_PID:
		pmsim_copy(out, pmsim_pidname(r->ret, x, false, nb));
		break;
	case FMT_TID:
		pmsim_copy(out, pmsim_pidname(r->ret, x, true, nb));
		break;
	case FMT_WAIT4:
		format_wait4(x, r, out);
		break;
	case FMT_WAITID:
		format_waitid(x, r, out);
		break;
	case FMT_SIG:
		pmsim_copy(out, r->ret ? pmsim_signame(r->ret, nb) : "0");
		break;
	case FMT_SIGSET:
		pmsim_fmt_set(r->set, 's', out);
		break;
	case FMT_TEXT:
		pmsim_copy(out, r->text);
		break;
	default:
		(void)sprintf(out, "%ld", r->ret);
		break;
	}
}

static void norm_ws(const char *in, char *out, size_t n)
{
	size_t k = 0;
	bool sp = false;

	for (; *in && k + 1 < n; in++) {
		if (*in == ' ' || *in == '\t') {
			sp = true;
			continue;
		}
		if (sp && k)
			out[k++] = ' ';
		sp = false;
		out[k++] = *in;
	}
	out[k] = '\0';
}

static void check_expect(int x, const struct pmsim_line *L, const struct pmsim_result *r,
                         const char *echo, const char *res, bool ran)
{
	char a[2048], b[2048];
	bool ok;

	norm_ws(res, a, sizeof(a));
	norm_ws(L->expect, b, sizeof(b));
	ok = strcmp(a, b) == 0;
	/* A number may be checked against a name and the reverse. */
	if (!ok && ran && r->kind == RES_VAL && r->ret >= 0 &&
	    (r->fmt == FMT_INT || r->fmt == FMT_PID || r->fmt == FMT_TID)) {
		int eok = 1;
		long v = pmsim_eval_term(x, L->expect, &eok);

		ok = eok && v == r->ret;
	}
	if (!ok) {
		(void)fprintf(stderr, "pmsim: line %d: %s: %s: expected %s, got %s\n", L->no,
		              L->actor, echo, L->expect, res);
		pmsim_failures++;
	}
}

/* Keep a blocked call to retry it after later lines. */
static void park(int x, const struct pmsim_call *c, const struct pmsim_line *L, const char *echo)
{
	struct pmsim_blocked *b = calloc(1, sizeof(*b));
	size_t off = 0;

	if (!b)
		pmsim_die(0, "out of memory");
	b->call = c;
	b->line = *L;
	for (int k = 0; k < L->nargs; k++) {
		size_t n = strlen(L->args[k]) + 1;

		if (off + n > sizeof(b->argbuf))
			pmsim_die(L->no, "arguments too long");
		memcpy(b->argbuf + off, L->args[k], n);
		b->line.args[k] = b->argbuf + off;
		off += n;
	}
	b->line.expect = NULL;
	(void)snprintf(b->echo, sizeof(b->echo), "%s", echo);
	pmsim_actors[x].blocked = b;
}

void pmsim_run_line(struct pmsim_line *L)
{
	struct pmsim_result r;
	const struct pmsim_call *c = NULL;
	char echo[1024], res[2048];
	int x = pmsim_find_actor(L->actor);
	int o;
	bool ran = false;

	o = snprintf(echo, sizeof(echo), "%s(", L->call);
	for (int k = 0; k < L->nargs && o < (int)sizeof(echo); k++)
		o +=
		    snprintf(echo + o, sizeof(echo) - (size_t)o, "%s%s", k ? ", " : "", L->args[k]);
	if (o < (int)sizeof(echo))
		(void)snprintf(echo + o, sizeof(echo) - (size_t)o, ")");
	if (x < 0)
		pmsim_die(L->no, "unknown actor '%s'", L->actor);
	memset(&r, 0, sizeof(r));
	r.child = -1;
	if (!pmsim_alive(x)) {
		pmsim_copy(res, "-ESRCH");
	} else if (pmsim_stopped(x)) {
		pmsim_copy(res, "<stopped>");
	} else if (pmsim_actors[x].vfork_child >= 0 || pmsim_actors[x].blocked) {
		pmsim_copy(res, "<blocked>");
	} else if ((c = find_call(L->call)) == NULL) {
		(void)fprintf(stderr,
		              "pmsim: line %d: warning: unknown or unsupported call %s, printing "
		              "-ENOSYS\n",
		              L->no, L->call);
		pmsim_copy(res, "-ENOSYS");
	} else {
		pmsim_arg_count(L, c->min_args, c->max_args);
		c->run(x, L, &r);
		ran = true;
		if (r.child >= 0 && L->asname[0])
			(void)snprintf(pmsim_actors[r.child].name,
			               sizeof(pmsim_actors[r.child].name), "%s", L->asname);
		pmsim_format(x, &r, res);
		if (r.kind == RES_BLOCKED)
			park(x, c, L, echo);
	}
	/* A call whose caller dies or stops on its way back: the kill family
	 * and sigprocmask can only have done that by succeeding, so their
	 * result stands; anything else never returned. */
	if (pmsim_settle(ran ? x : -1) && r.kind == RES_VAL && !pmsim_call_inferable(L->call))
		pmsim_copy(res, "?");
	(void)printf("%s: %s = %s\n", L->actor, echo, res);
	pmsim_print_logs();
	(void)fflush(stdout);
	if (L->expect)
		check_expect(x, L, &r, echo, res, ran);
}
