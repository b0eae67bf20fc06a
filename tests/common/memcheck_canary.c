/*
 * A Criterion test with a deliberate invalid read in its worker process.
 * Run only by the memcheck preset, to prove the Valgrind gate
 * (scripts/memcheck-run.sh) fails when a worker has an error, even though
 * Criterion itself reports the test as passing.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

Test(canary, invalid_read_in_worker)
{
	char *p = malloc(4);
	volatile char c = p[6];

	(void)c;
	free(p);
}
