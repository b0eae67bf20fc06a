/* SPDX-License-Identifier: MIT */
/*
 * pmexec_probe: a static-pie program for pmexec's integration tests (no
 * Debian package ships a static-pie). Its output depends only on its
 * arguments and environment, so a run through pmexec and a direct run
 * must print the same bytes.
 *
 *   pmexec_probe                 argc, argv, envp
 *   pmexec_probe exit N          exit status N
 *   pmexec_probe stack KIB       use KIB KiB of stack (the stack must grow)
 *   pmexec_probe brk             grow the heap by 8 MiB with brk and use it
 *   pmexec_probe auxv            what the auxiliary vector says, in words
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static unsigned long deep(unsigned long kib)
{
	volatile char frame[1024];

	frame[0] = 1;
	frame[sizeof(frame) - 1] = 1;
	return kib ? deep(kib - 1) + frame[0] + frame[sizeof(frame) - 1] : 0;
}

static int heap(void)
{
	char *start = sbrk(0), *p = sbrk(8 << 20);

	if (p == (void *)-1 || p != start)
		return 1;
	memset(p, 0x5a, 8 << 20);
	return sbrk(0) == start + (8 << 20) ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "stack") == 0) {
		unsigned long kib = strtoul(argv[2], NULL, 10);

		printf("stack %lu KiB: %s\n", kib, deep(kib) == 2 * kib ? "ok" : "wrong");
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "brk") == 0) {
		printf("brk: %s\n", heap() ? "failed" : "ok");
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "auxv") == 0) {
		printf("execfn=%s secure=%lu pagesz=%lu clktck=%lu phent=%lu random=%s platform=%s "
		       "entry=%s\n",
		       (const char *)getauxval(AT_EXECFN), getauxval(AT_SECURE),
		       getauxval(AT_PAGESZ), getauxval(AT_CLKTCK), getauxval(AT_PHENT),
		       getauxval(AT_RANDOM) ? "yes" : "no", (const char *)getauxval(AT_PLATFORM),
		       getauxval(AT_ENTRY) ? "yes" : "no");
		return 0;
	}
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env %s\n", *e);
	return 0;
}
