/* SPDX-License-Identifier: MIT */
/*
 * The "#!" line of a script, parsed with the rules of Linux's
 * fs/binfmt_script.c:load_script(). The buffer is bprm->buf: the first
 * BINPRM_BUF_SIZE bytes of the file, zero-padded, so it need not hold a
 * NUL or a newline. Every search is bounded by the buffer.
 */
#include "hal/pm_string.h"
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
