/* Runs every riscv64 port test and prints "N passed, N failed". */
#include <stdlib.h>

#include "procmgr/hal.h"
#include "rv_test.h"

int rv_failed_now;

/* The port's assertions end up here (PM_ASSERT). */
void pm_hal_panic(const char *file, int line, const char *msg)
{
	printf("panic at %s:%d: %s\n", file, line, msg);
	abort();
}

int main(void)
{
	const struct rv_test *groups[] = {rv_layout_tests, rv_frame_tests, rv_regs_tests};
	int passed = 0, failed = 0;

	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (const struct rv_test *t = groups[g]; t->name; t++) {
			rv_failed_now = 0;
			t->fn();
			printf("%s %s\n", rv_failed_now ? "FAIL" : "ok  ", t->name);
			if (rv_failed_now)
				failed++;
			else
				passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
