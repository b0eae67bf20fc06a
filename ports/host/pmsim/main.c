/* SPDX-License-Identifier: MIT */
/*
 * pmsim [SCRIPT|-]: run a pmsim script against one procmgr table and print
 * the transcript (docs/pmsim.md). Exit status: 0; 1 if a `== RESULT` check
 * failed; 2 for a script error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"

static char **read_lines(FILE *f, int *n)
{
	char **lines = NULL, *buf = NULL;
	size_t cap = 0;
	int k = 0;

	while (getline(&buf, &cap, f) >= 0) {
		char **grown = realloc(lines, (size_t)(k + 1) * sizeof(*lines));

		if (!grown)
			pmsim_die(0, "out of memory");
		lines = grown;
		lines[k] = strdup(buf);
		if (!lines[k])
			pmsim_die(0, "out of memory");
		k++;
	}
	free(buf);
	*n = k;
	return lines;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	FILE *f = stdin;
	char **lines;
	int n;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			(void)fprintf(stderr, "usage: pmsim [SCRIPT|-]\n");
			return 2;
		}
		path = argv[i];
	}
	if (path && strcmp(path, "-") != 0) {
		f = fopen(path, "r");
		if (!f) {
			perror(path);
			return 2;
		}
	}
	lines = read_lines(f, &n);
	if (f != stdin)
		(void)fclose(f);
	pmsim_world_init();
	for (int k = 0; k < n; k++) {
		char *s = pmsim_trim(lines[k]);

		if (!*s || *s == '#')
			continue;
		if (strncmp(s, "file", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) {
			pmsim_parse_file(s, k + 1);
		} else {
			struct pmsim_line L;

			pmsim_parse_line(s, k + 1, &L);
			pmsim_run_line(&L);
		}
	}
	pmsim_world_fini();
	for (int k = 0; k < n; k++)
		free(lines[k]);
	free(lines);
	return pmsim_failures ? 1 : 0;
}
