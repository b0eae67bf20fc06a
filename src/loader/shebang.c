/* SPDX-License-Identifier: MIT */
/*
 * `#!` scripts (fs/binfmt_script.c:load_script()): parsing the first line,
 * then rewriting argv and opening the interpreter for exec. The buffer is
 * bprm->buf: the first BINPRM_BUF_SIZE bytes of the file, zero-padded, so
 * it need not hold a NUL or a newline. Every search is bounded by it.
 */
#include "hal/pm_string.h"
#include "loader/loader_internal.h"
#include "procmgr/errno.h"
#include "procmgr/loader.h"

#define BUF_LAST (PM_BINPRM_BUF_SIZE - 1u)

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* First index in [first, last] that is not a space or tab, or -1. */
static int next_non_spacetab(const char *buf, unsigned int first, unsigned int last)
{
	for (unsigned int i = first; i <= last; i++)
		if (!spacetab(buf[i]))
			return (int)i;
	return -1;
}

/* First index in [first, last] that is a space, tab or NUL, or -1. */
static int next_terminator(const char *buf, unsigned int first, unsigned int last)
{
	for (unsigned int i = first; i <= last; i++)
		if (spacetab(buf[i]) || buf[i] == '\0')
			return (int)i;
	return -1;
}

int pm_shebang_parse(char buf[PM_BINPRM_BUF_SIZE], struct pm_shebang *out)
{
	unsigned int end = PM_BINPRM_BUF_SIZE, name;
	int found, sep, arg = -1;

	if (buf[0] != '#' || buf[1] != '!')
		return -PM_ENOEXEC;
	/* strnchr(): the first newline, but the search stops at a NUL. */
	for (unsigned int i = 0; i < PM_BINPRM_BUF_SIZE && buf[i]; i++) {
		if (buf[i] == '\n') {
			end = i;
			break;
		}
	}
	if (end == PM_BINPRM_BUF_SIZE) {
		/* No newline: an interpreter path with no terminator after it
		 * may have been cut by the buffer's end. */
		found = next_non_spacetab(buf, 2, BUF_LAST);
		if (found < 0 || next_terminator(buf, (unsigned int)found, BUF_LAST) < 0)
			return -PM_ENOEXEC;
		end = BUF_LAST;
	}
	while (spacetab(buf[end - 1]))
		end--;
	found = next_non_spacetab(buf, 2, end);
	if (found < 0 || (unsigned int)found == end)
		return -PM_ENOEXEC;
	name = (unsigned int)found;
	sep = next_terminator(buf, name, end);
	if (sep >= 0 && buf[sep] != '\0')
		arg = next_non_spacetab(buf, (unsigned int)sep, end);
	buf[end] = '\0';
	if (arg >= 0)
		buf[sep] = '\0';
	out->name_off = (uint16_t)name;
	out->name_len = (uint16_t)pm_strnlen(buf + name, PM_BINPRM_BUF_SIZE - name);
	out->has_arg = arg >= 0;
	out->arg_off = arg >= 0 ? (uint16_t)arg : 0;
	out->arg_len =
	    arg >= 0 ? (uint16_t)pm_strnlen(buf + arg, PM_BINPRM_BUF_SIZE - (unsigned int)arg) : 0;
	return 0;
}

/* fs/binfmt_script.c:load_script(). */
int exec_load_script_(struct pm_exec *ex, struct pm_hal_file **next)
{
	char line[PM_BINPRM_BUF_SIZE];
	struct pm_shebang sb;
	const char *script;
	int err;

	pm_memcpy(line, ex->buf, sizeof(line));
	err = pm_shebang_parse(line, &sb);
	if (err)
		return err;
	if (ex->path_inaccessible)
		return -PM_ENOENT;
	/* argv becomes: interpreter, [argument], script path, argv[1..]. */
	exec_remove_arg0_(ex);
	script = ex->interp_is_filename ? ex->strings + ex->execfn_off : ex->interp_name;
	err = exec_push_(ex, script);
	if (!err)
		ex->argc++;
	if (!err && sb.has_arg) {
		err = exec_push_(ex, line + sb.arg_off);
		if (!err)
			ex->argc++;
	}
	if (!err) {
		err = exec_push_(ex, line + sb.name_off);
		if (!err)
			ex->argc++;
	}
	if (err)
		return err;
	/* bprm_change_interp(): the name is the next level's script path. */
	pm_memcpy(ex->interp_name, line + sb.name_off, (size_t)sb.name_len + 1);
	ex->interp_is_filename = false;
	return pm_hal_file_open_exec(line + sb.name_off, next);
}
