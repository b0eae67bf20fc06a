/* SPDX-License-Identifier: MIT */
/*
 * pm_shebang_parse(): fs/binfmt_script.c:load_script()'s rules for the
 * "#!" line, on a zero-padded BINPRM_BUF_SIZE buffer. The argv results of
 * whole exec chains are compared with the running kernel in
 * test_linux_diff.c.
 */
#include "loader_test.h"

TestSuite(shebang, .init = pm_test_setup);

struct parsed {
	int err;
	char name[PM_BINPRM_BUF_SIZE];
	bool has_arg;
	char arg[PM_BINPRM_BUF_SIZE];
};

/* Parse the first `len` bytes of s (the rest of the buffer zero). */
static struct parsed parse_n(const char *s, size_t len)
{
	char buf[PM_BINPRM_BUF_SIZE] = {0};
	struct pm_shebang sb;
	struct parsed r = {0};

	memcpy(buf, s, len < sizeof(buf) ? len : sizeof(buf));
	r.err = pm_shebang_parse(buf, &sb);
	if (r.err)
		return r;
	cr_assert_eq(strlen(buf + sb.name_off), sb.name_len);
	memcpy(r.name, buf + sb.name_off, sb.name_len);
	r.has_arg = sb.has_arg;
	if (sb.has_arg) {
		cr_assert_eq(strlen(buf + sb.arg_off), sb.arg_len);
		memcpy(r.arg, buf + sb.arg_off, sb.arg_len);
	}
	return r;
}

static struct parsed parse(const char *s)
{
	return parse_n(s, strlen(s));
}

PM_TEST(shebang, basic_and_blanks)
{
	struct parsed r = parse("#!/bin/sh\necho hi\n");

	cr_assert_eq(r.err, 0);
	cr_assert_str_eq(r.name, "/bin/sh");
	cr_assert_not(r.has_arg);
	r = parse("#! \t  \t/bin/sh\n");
	cr_assert_str_eq(r.name, "/bin/sh");
	r = parse("#!/bin/sh   \t \n");
	cr_assert_str_eq(r.name, "/bin/sh");
	cr_assert_not(r.has_arg);
	r = parse("#!/x\tfoo\n");
	cr_assert_str_eq(r.name, "/x");
	cr_assert_str_eq(r.arg, "foo");
}

/* One optional argument, internal blanks included, trailing ones trimmed. */
PM_TEST(shebang, one_argument)
{
	struct parsed r = parse("#!/bin/sh -a -b\n");

	cr_assert(r.has_arg);
	cr_assert_str_eq(r.arg, "-a -b");
	r = parse("#!/usr/bin/env   python3 -u \t \nprint()\n");
	cr_assert_str_eq(r.name, "/usr/bin/env");
	cr_assert_str_eq(r.arg, "python3 -u");
}

/* '\r' is not whitespace: a DOS line ending becomes part of the name. */
PM_TEST(shebang, carriage_return)
{
	struct parsed r = parse("#!/bin/sh\r\n");

	cr_assert_str_eq(r.name, "/bin/sh\r");
	r = parse("#!/bin/sh -x\r\n");
	cr_assert_str_eq(r.arg, "-x\r");
}

PM_TEST(shebang, refused)
{
	cr_assert_eq(parse("").err, -PM_ENOEXEC);
	cr_assert_eq(parse("#").err, -PM_ENOEXEC);
	cr_assert_eq(parse("!#/bin/sh\n").err, -PM_ENOEXEC);
	cr_assert_eq(parse("#!\n").err, -PM_ENOEXEC);
	cr_assert_eq(parse("#!   \t\n").err, -PM_ENOEXEC);
}

/* "#!" then NULs: the NUL is both the name's first byte and its terminator,
 * so the name is "" (exec then fails in open_exec: EACCES on 6.18). */
PM_TEST(shebang, empty_name_from_nul)
{
	struct parsed r = parse("#!");

	cr_assert_eq(r.err, 0);
	cr_assert_str_eq(r.name, "");
	cr_assert_not(r.has_arg);
}

/* No newline in the buffer (a short file, zero-padded): the NUL ends it. */
PM_TEST(shebang, no_newline_short_file)
{
	struct parsed r = parse("#!/bin/sh");

	cr_assert_eq(r.err, 0);
	cr_assert_str_eq(r.name, "/bin/sh");
	r = parse("#!/bin/sh arg");
	cr_assert_str_eq(r.arg, "arg");
}

/* The search for the newline stops at the first NUL (strnchr). */
PM_TEST(shebang, nul_before_newline)
{
	struct parsed r = parse_n("#!/bin/sh\0junk\n", 15);

	cr_assert_eq(r.err, 0);
	cr_assert_str_eq(r.name, "/bin/sh");
	cr_assert_not(r.has_arg);
	/* a blank, then a NUL: the argument is the empty string */
	r = parse_n("#!/bin/sh \0x\n", 13);
	cr_assert(r.has_arg);
	cr_assert_str_eq(r.arg, "");
}

/* A first line longer than the buffer: the name must end inside it, or the
 * path is taken as truncated (ENOEXEC); the argument may be cut. */
PM_TEST(shebang, long_lines)
{
	char line[300];
	struct parsed r;

	memset(line, 'a', sizeof(line));
	memcpy(line, "#!/", 3);
	cr_assert_eq(parse_n(line, sizeof(line)).err, -PM_ENOEXEC);
	memcpy(line, "#!/bin/sh ", 10);
	r = parse_n(line, sizeof(line));
	cr_assert_eq(r.err, 0);
	cr_assert_str_eq(r.name, "/bin/sh");
	cr_assert_eq(strlen(r.arg), PM_BINPRM_BUF_SIZE - 10 - 1); /* byte 255 is never used */
	/* a name of 253 bytes with its newline at byte 255 */
	memset(line, 'b', sizeof(line));
	memcpy(line, "#!/", 3);
	line[255] = '\n';
	r = parse_n(line, sizeof(line));
	cr_assert_eq(r.err, 0);
	cr_assert_eq(strlen(r.name), 253);
	/* only blanks after "#!" to the end: ENOEXEC */
	memset(line, ' ', sizeof(line));
	memcpy(line, "#!", 2);
	cr_assert_eq(parse_n(line, sizeof(line)).err, -PM_ENOEXEC);
	/* a name running into byte 255 with a blank at 254 only */
	memset(line, 'c', sizeof(line));
	memcpy(line, "#!/", 3);
	line[254] = ' ';
	r = parse_n(line, sizeof(line));
	cr_assert_eq(r.err, 0);
	cr_assert_eq(strlen(r.name), 252);
	cr_assert_not(r.has_arg);
}
