/* SPDX-License-Identifier: MIT */
#include "json_mini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *p;
	char *err;
	size_t errcap;
	bool failed;
};

static void fail(struct parser *ps, const char *what)
{
	if (!ps->failed)
		snprintf(ps->err, ps->errcap, "%s near '%.20s'", what, ps->p);
	ps->failed = true;
}

static void ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
		ps->p++;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

static char *string(struct parser *ps)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);

	ps->p++; /* the opening quote */
	while (s && *ps->p && *ps->p != '"') {
		char c = *ps->p++;

		if (c == '\\') {
			char e = *ps->p++;

			if (e == 'u') {
				int v = 0;

				for (int i = 0; i < 4; i++) {
					int h = hexval(*ps->p++);

					if (h < 0) {
						fail(ps, "bad \\u escape");
						free(s);
						return NULL;
					}
					v = v * 16 + h;
				}
				c = (char)v;
			} else {
				c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
			}
		}
		if (n + 2 > cap) {
			char *ns = realloc(s, cap *= 2);

			if (!ns) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		s[n++] = c;
	}
	if (!s || *ps->p != '"') {
		fail(ps, "unterminated string");
		free(s);
		return NULL;
	}
	ps->p++;
	s[n] = 0;
	return s;
}

static bool value(struct parser *ps, struct jm *out);

static bool add_kid(struct jm *j, struct jm *kid, char *key)
{
	struct jm *nk = realloc(j->kids, (j->n + 1) * sizeof(*nk));

	if (!nk)
		return false;
	j->kids = nk;
	if (j->type == JM_OBJ) {
		char **nkeys = realloc(j->keys, (j->n + 1) * sizeof(*nkeys));

		if (!nkeys)
			return false;
		j->keys = nkeys;
		j->keys[j->n] = key;
	}
	j->kids[j->n++] = *kid;
	return true;
}

static bool container(struct parser *ps, struct jm *out, char close)
{
	out->type = close == '}' ? JM_OBJ : JM_ARR;
	ps->p++;
	ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		struct jm kid = {0};
		char *key = NULL;

		ws(ps);
		if (out->type == JM_OBJ) {
			if (*ps->p != '"') {
				fail(ps, "expected a key");
				return false;
			}
			key = string(ps);
			ws(ps);
			if (!key || *ps->p != ':') {
				free(key);
				fail(ps, "expected ':'");
				return false;
			}
			ps->p++;
		}
		if (!value(ps, &kid) || !add_kid(out, &kid, key)) {
			free(key);
			jm_free(&kid); /* frees children only: kid itself is on the stack */
			return false;
		}
		ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			return true;
		}
		fail(ps, "expected ',' or a closing bracket");
		return false;
	}
}

static bool value(struct parser *ps, struct jm *out)
{
	memset(out, 0, sizeof(*out));
	ws(ps);
	if (*ps->p == '{')
		return container(ps, out, '}');
	if (*ps->p == '[')
		return container(ps, out, ']');
	if (*ps->p == '"') {
		out->type = JM_STR;
		out->str = string(ps);
		return out->str != NULL;
	}
	if (*ps->p >= '0' && *ps->p <= '9') {
		char *end;

		out->type = JM_NUM;
		out->num = strtoull(ps->p, &end, 10);
		ps->p = end;
		return true;
	}
	if (strncmp(ps->p, "null", 4) == 0) {
		ps->p += 4;
		return true;
	}
	if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
		out->type = JM_BOOL;
		out->num = *ps->p == 't';
		ps->p += out->num ? 4 : 5;
		return true;
	}
	fail(ps, "unexpected character");
	return false;
}

struct jm *jm_parse(const char *text, char *err, size_t errcap)
{
	struct parser ps = {.p = text, .err = err, .errcap = errcap};
	struct jm *root = calloc(1, sizeof(*root));

	if (!root)
		return NULL;
	if (!value(&ps, root) || (ws(&ps), *ps.p != 0)) {
		fail(&ps, "trailing text");
		jm_free(root);
		free(root);
		return NULL;
	}
	return root;
}

/* Free j's contents (not j itself). */
void jm_free(struct jm *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++) {
		jm_free(&j->kids[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->kids);
	free(j->keys);
	free(j->str);
	memset(j, 0, sizeof(*j));
}

void jm_destroy(struct jm *root)
{
	jm_free(root);
	free(root);
}

const struct jm *jm_get(const struct jm *j, const char *path)
{
	while (j && *path) {
		if (*path == '.') {
			path++;
		} else if (*path == '[') {
			char *end;
			unsigned long i = strtoul(path + 1, &end, 10);

			if (j->type != JM_ARR || *end != ']' || i >= j->n)
				return NULL;
			j = &j->kids[i];
			path = end + 1;
		} else {
			size_t len = strcspn(path, ".[");
			const struct jm *next = NULL;

			if (j->type != JM_OBJ)
				return NULL;
			for (size_t i = 0; i < j->n; i++)
				if (strlen(j->keys[i]) == len &&
				    strncmp(j->keys[i], path, len) == 0)
					next = &j->kids[i];
			j = next;
			path += len;
		}
	}
	return j;
}

uint64_t jm_num(const struct jm *root, const char *path, bool *found)
{
	const struct jm *j = jm_get(root, path);
	bool ok = j && j->type == JM_NUM;

	if (found)
		*found = ok;
	return ok ? j->num : 0;
}

const char *jm_str(const struct jm *root, const char *path)
{
	const struct jm *j = jm_get(root, path);

	return j && j->type == JM_STR ? j->str : NULL;
}

size_t jm_len(const struct jm *root, const char *path)
{
	const struct jm *j = jm_get(root, path);

	return j && j->type == JM_ARR ? j->n : 0;
}
