/* SPDX-License-Identifier: MIT */
/*
 * A small JSON reader for the integration tests: enough for the
 * documents pmexec --dry-run prints (objects, arrays, strings with \uXXXX
 * escapes below U+0100, non-negative integers, null, true, false). Values
 * are found by path: "segments[2].vaddr", "auxv[0].type", "interp".
 */
#ifndef PM_TEST_JSON_MINI_H
#define PM_TEST_JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jm_type { JM_NULL, JM_BOOL, JM_NUM, JM_STR, JM_ARR, JM_OBJ };

struct jm {
	enum jm_type type;
	uint64_t num; /* JM_NUM, JM_BOOL */
	char *str;    /* JM_STR (bytes \u00XX decoded to one byte each) */
	size_t n;     /* JM_ARR, JM_OBJ: children */
	struct jm *kids;
	char **keys; /* JM_OBJ */
};

/* Parse text; NULL (and a message in err) on a syntax error. */
struct jm *jm_parse(const char *text, char *err, size_t errcap);
/* Free what j holds (not j itself). */
void jm_free(struct jm *j);
/* Free a document from jm_parse(). */
void jm_destroy(struct jm *root);

/* The value at path, or NULL. */
const struct jm *jm_get(const struct jm *root, const char *path);

/* Convenience: a number (found=false if absent or not a number). */
uint64_t jm_num(const struct jm *root, const char *path, bool *found);
/* A string, or NULL. */
const char *jm_str(const struct jm *root, const char *path);
/* Array length (0 if absent). */
size_t jm_len(const struct jm *root, const char *path);

#endif /* PM_TEST_JSON_MINI_H */
