/*
 * A minimal harness for the riscv64 port tests, which run as a static
 * riscv64 program under qemu-riscv64 (Criterion has no riscv64 build
 * here). Each test is a function; a failed check prints its location and
 * marks the test failed; main prints "N passed, N failed" and exits 1 on
 * any failure.
 */
#ifndef PM_RV_TEST_H
#define PM_RV_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "procmgr/arch.h"
#include "procmgr/arch_regs.h"
#include "procmgr/arch_sigframe.h"
#include "procmgr/errno.h"

extern int rv_failed_now;

#define RV_CHECK(cond)                                                           \
	do {                                                                     \
		if (!(cond)) {                                                   \
			rv_failed_now = 1;                                       \
			printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                \
	} while (0)

#define RV_EQ(a, b)                                                                             \
	do {                                                                                    \
		unsigned long long rv_a_ = (unsigned long long)(a);                             \
		unsigned long long rv_b_ = (unsigned long long)(b);                             \
		if (rv_a_ != rv_b_) {                                                           \
			rv_failed_now = 1;                                                      \
			printf("  FAIL %s:%d: %s == %s (%#llx != %#llx)\n", __FILE__, __LINE__, \
			       #a, #b, rv_a_, rv_b_);                                           \
		}                                                                               \
	} while (0)

/* Test groups (one per file), each a list of named functions. */
struct rv_test {
	const char *name;
	void (*fn)(void);
};

extern const struct rv_test rv_layout_tests[];
extern const struct rv_test rv_frame_tests[];
extern const struct rv_test rv_regs_tests[];

/* sa_flags and ss_flags bits used by the tests. */
#define RV_SA_SIGINFO    0x00000004ull
#define RV_SA_ONSTACK    0x08000000ull
#define RV_SS_DISABLE    2
#define RV_SS_AUTODISARM ((int32_t)0x80000000u)

static inline uint64_t rv_u64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static inline uint32_t rv_u32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

#endif /* PM_RV_TEST_H */
