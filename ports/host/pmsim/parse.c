/* SPDX-License-Identifier: MIT */
/*
 * pmsim's language: `ACTOR: CALL(ARG, ...) [as NAME] [== RESULT]` lines,
 * `file` declarations, and argument expressions (numbers, Linux constant
 * names joined with |, actor names and -names, sets {..}).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"

void pmsim_die_begin(int line)
{
	(void)fflush(stdout);
	if (line > 0)
		(void)fprintf(stderr, "pmsim: line %d: ", line);
	else
		(void)fprintf(stderr, "pmsim: ");
}

void pmsim_die_end(void)
{
	(void)fputc('\n', stderr);
	exit(2);
}

static int cur_line;

char *pmsim_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static bool is_ident(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s == '_' || *s == '-' || *s == '.' || (*s >= '0' && *s <= '9') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static void copy_field(char *dst, size_t n, const char *src)
{
	if (strlen(src) >= n)
		pmsim_die(cur_line, "name too long: %s", src);
	pmsim_copy(dst, src);
}

/* The argument list after '(' up to the matching ')'; returns what follows. */
static char *split_args(char *p, struct pmsim_line *L)
{
	int depth = 0;
	char *start = p;

	for (;; p++) {
		char c = *p;

		if (!c)
			pmsim_die(cur_line, "missing ')'");
		if (c == '(' || c == '{' || c == '[') {
			depth++;
		} else if ((c == ')' || c == '}' || c == ']') && depth > 0) {
			depth--;
		} else if (c == ')' || (c == ',' && depth == 0)) {
			char *a;

			*p = '\0';
			a = pmsim_trim(start);
			/* "f()" has no argument, "f(,)" has two empty ones. */
			if (*a || c == ',' || L->nargs > 0) {
				if (L->nargs == PMSIM_MAXARGS)
					pmsim_die(cur_line, "too many arguments");
				L->args[L->nargs++] = a;
			}
			start = p + 1;
			if (c == ')')
				return p + 1;
		}
	}
}

void pmsim_parse_line(char *s, int no, struct pmsim_line *L)
{
	char *colon, *lp, *p;

	memset(L, 0, sizeof(*L));
	L->no = cur_line = no;
	colon = strchr(s, ':');
	if (!colon)
		pmsim_die(no, "expected 'ACTOR: CALL(...)'");
	*colon = '\0';
	copy_field(L->actor, sizeof(L->actor), pmsim_trim(s));
	p = colon + 1;
	lp = strchr(p, '(');
	if (!lp)
		pmsim_die(no, "expected '(' after the call name");
	*lp = '\0';
	copy_field(L->call, sizeof(L->call), pmsim_trim(p));
	if (!is_ident(L->actor) || !is_ident(L->call))
		pmsim_die(no, "bad actor or call name");
	p = split_args(lp + 1, L);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n' || *p == '#')
			break;
		if (strncmp(p, "as", 2) == 0 && (p[2] == ' ' || p[2] == '\t')) {
			char *e, c;

			p += 2;
			while (*p == ' ' || *p == '\t')
				p++;
			e = p;
			while (*e && *e != ' ' && *e != '\t' && *e != '\n')
				e++;
			c = *e;
			*e = '\0';
			copy_field(L->asname, sizeof(L->asname), p);
			if (!is_ident(L->asname))
				pmsim_die(no, "bad name after 'as'");
			*e = c;
			p = e;
		} else if (strncmp(p, "==", 2) == 0) {
			L->expect = pmsim_trim(p + 2);
			break;
		} else {
			pmsim_die(no, "unexpected text after the call: %s", p);
		}
	}
}

void pmsim_arg_count(const struct pmsim_line *L, int lo, int hi)
{
	if (L->nargs < lo || L->nargs > hi)
		pmsim_die(L->no, "%s takes %d..%d arguments, got %d", L->call, lo, hi, L->nargs);
}

/* ---- expressions ---------------------------------------------------------- */

static long name_pid(const char *name, int x, int *ok)
{
	int y = pmsim_find_named(name);
	long p;

	if (y < 0) {
		*ok = 0;
		return 0;
	}
	p = pmsim_pid_in_view(y, x);
	return p < 0 ? PMSIM_BADPID : p;
}

long pmsim_eval_term(int x, const char *term, int *ok)
{
	char buf[256], *t, *e;
	long v;

	if (strlen(term) >= sizeof(buf)) {
		*ok = 0;
		return 0;
	}
	pmsim_copy(buf, term);
	t = pmsim_trim(buf);
	if (!*t) {
		*ok = 0;
		return 0;
	}
	if ((*t >= '0' && *t <= '9') || (*t == '-' && t[1] >= '0' && t[1] <= '9')) {
		v = strtol(t, &e, 0);
		if (*e) {
			unsigned long uv = strtoul(t, &e, 0); /* above LONG_MAX */

			if (*e)
				*ok = 0;
			return (long)uv;
		}
		return v;
	}
	if (pmsim_constant(t, &v))
		return v;
	if (*t == '-' && t[1])
		return -name_pid(t + 1, x, ok);
	return name_pid(t, x, ok);
}

long pmsim_eval(int x, const char *expr)
{
	char buf[512], *tok, *save = NULL;
	long v = 0;
	int ok = 1;

	if (strlen(expr) >= sizeof(buf))
		pmsim_die(cur_line, "expression too long");
	if (strchr(expr, '{') || strchr(expr, '['))
		pmsim_die(cur_line, "a set or list is not allowed here: %s", expr);
	pmsim_copy(buf, expr);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
		v |= pmsim_eval_term(x, tok, &ok);
	if (!ok)
		pmsim_die(cur_line, "cannot evaluate '%s'", expr);
	return v;
}

/* {A,B}, {}, {ALL}; kind 's' signals (bit sig - 1), 'c' capabilities. */
uint64_t pmsim_eval_set(int x, const char *expr, int kind)
{
	char buf[1024], *p, *tok, *save = NULL;
	uint64_t m = 0;
	size_t n;

	if (strlen(expr) >= sizeof(buf))
		pmsim_die(cur_line, "set too long");
	pmsim_copy(buf, expr);
	p = pmsim_trim(buf);
	n = strlen(p);
	if (n < 2 || p[0] != '{' || p[n - 1] != '}')
		pmsim_die(cur_line, "expected a set {..}: %s", expr);
	p[n - 1] = '\0';
	for (tok = strtok_r(p + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v;

		tok = pmsim_trim(tok);
		if (!*tok)
			continue;
		if (strcmp(tok, "ALL") == 0) {
			m |= kind == 's' ? ~0ull : ((1ull << (PM_CAP_LAST_CAP + 1)) - 1);
			continue;
		}
		v = pmsim_eval(x, tok);
		if (kind == 's' ? (v < 1 || v > 64) : (v < 0 || v > 63))
			pmsim_die(cur_line, "bad member of a set: %s", tok);
		m |= kind == 's' ? 1ull << (v - 1) : 1ull << v;
	}
	return m;
}

/* ---- file declarations ------------------------------------------------------ */

static struct pmsim_file *files;
static int nfiles;

const struct pmsim_file *pmsim_find_file(const char *name)
{
	for (int i = nfiles - 1; i >= 0; i--)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

/* file NAME mode=04755 uid=0 gid=0 [caps=CAP_A,CAP_B[+eip]] [nosuid] */
void pmsim_parse_file(char *s, int no)
{
	struct pmsim_file f;
	char *save = NULL, *tok;
	struct pmsim_file *grown;

	cur_line = no;
	memset(&f, 0, sizeof(f));
	f.mode = 0755;
	(void)strtok_r(s, " \t", &save);
	tok = strtok_r(NULL, " \t", &save);
	if (!tok || !is_ident(tok))
		pmsim_die(cur_line, "file: expected a name");
	copy_field(f.name, sizeof(f.name), tok);
	while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
		if (strncmp(tok, "mode=", 5) == 0) {
			f.mode = (uint32_t)strtoul(tok + 5, NULL, 8);
		} else if (strncmp(tok, "uid=", 4) == 0) {
			f.uid = (pm_uid_t)strtoul(tok + 4, NULL, 0);
		} else if (strncmp(tok, "gid=", 4) == 0) {
			f.gid = (pm_gid_t)strtoul(tok + 4, NULL, 0);
		} else if (strcmp(tok, "nosuid") == 0) {
			f.nosuid = true;
		} else if (strncmp(tok, "caps=", 5) == 0) {
			char set[512];
			const char *flags = "p";
			char *plus;
			uint64_t m;

			if (strlen(tok) + 3 > sizeof(set))
				pmsim_die(cur_line, "file: caps too long");
			(void)snprintf(set, sizeof(set), "{%s", tok + 5);
			plus = strchr(set, '+');
			if (plus) {
				*plus = '\0';
				flags = tok + 5 + (plus - set);
			}
			memcpy(set + strlen(set), "}", 2);
			m = strcmp(set, "{}") ? pmsim_eval_set(0, set, 'c') : 0;
			f.has_caps = true;
			for (const char *c = flags; *c; c++) {
				if (*c == 'p')
					f.caps_p |= m;
				else if (*c == 'i')
					f.caps_i |= m;
				else if (*c == 'e')
					f.caps_e = true;
				else
					pmsim_die(cur_line, "file: caps flags are e, i and p");
			}
		} else {
			pmsim_die(cur_line, "file: unknown attribute %s", tok);
		}
	}
	grown = realloc(files, (size_t)(nfiles + 1) * sizeof(*files));
	if (!grown)
		pmsim_die(0, "out of memory");
	files = grown;
	files[nfiles++] = f;
}
