/* SPDX-License-Identifier: MIT */
/*
 * The running kernel as an oracle for exec: a child turns address-space
 * randomisation off (unless asked not to), asks to be traced and calls
 * execve; a failed execve reports its errno through a pipe, a successful
 * one stops the child with SIGTRAP before its first instruction, and a
 * failure after the point of no return stops it with SIGSEGV. At the stop
 * the helper reads what Linux built: the registers (PTRACE_GETREGS),
 * /proc/PID/maps, /proc/PID/auxv, /proc/PID/stat, cmdline and environ,
 * and the whole initial stack [sp, end of [stack]) from /proc/PID/mem.
 * Then it kills the child, or lets it run to its end.
 *
 * Shared by the loader's differential tests, the VM's real-stack test and
 * pmexec's integration tests. x86_64 Linux only.
 */
#ifndef PM_TEST_LINUX_EXEC_H
#define PM_TEST_LINUX_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

#define LX_MAX_MAPS 128
#define LX_MAX_AUXV 64

/* One line of /proc/PID/maps. */
struct lx_map {
	uint64_t start, end, offset;
	char perms[5]; /* "r-xp" */
	char path[256];
};

struct lx_req {
	const char *path;    /* given to execve */
	char *const *argv;   /* may be NULL (an empty argv) */
	char *const *envp;   /* may be NULL (an empty environment) */
	bool randomize;      /* false: ADDR_NO_RANDOMIZE (the default) */
	uint64_t rlim_stack; /* RLIMIT_STACK soft limit to set; 0 leaves it */
	bool run_to_end;     /* after the stop, let it run and keep its status */
	bool quiet;          /* run_to_end: its stdout and stderr go to /dev/null */
};

enum lx_outcome {
	LX_ERRNO = 1,   /* execve returned an error: err */
	LX_FATAL = 2,   /* execve did not return but the process got SIGSEGV */
	LX_STOPPED = 3, /* the new program is ready to run: everything below is set */
};

struct lx_state {
	enum lx_outcome outcome;
	int err; /* LX_ERRNO: the positive errno */
	struct user_regs_struct regs;
	struct lx_map maps[LX_MAX_MAPS];
	size_t nmaps;
	uint64_t auxv[2 * LX_MAX_AUXV];  /* type, value pairs, AT_NULL included */
	size_t naux;                     /* pairs */
	uint64_t stack_start, stack_end; /* the [stack] mapping */
	bool stack_exec;                 /* [stack] is executable */
	uint8_t *stack;                  /* [sp, stack_end) (malloc) */
	size_t stack_size;
	uint64_t stat[64]; /* /proc/PID/stat fields by their 1-based number */
	char *cmdline;     /* /proc/PID/cmdline (malloc), cmdline_len bytes */
	size_t cmdline_len;
	char *environ; /* /proc/PID/environ (malloc) */
	size_t environ_len;
	int run_status; /* run_to_end: the wait status */
};

/* Named /proc/PID/stat fields (proc(5) numbering). */
enum {
	LX_STAT_START_CODE = 26,
	LX_STAT_END_CODE = 27,
	LX_STAT_START_STACK = 28,
	LX_STAT_START_DATA = 45,
	LX_STAT_END_DATA = 46,
	LX_STAT_START_BRK = 47,
	LX_STAT_ARG_START = 48,
	LX_STAT_ARG_END = 49,
	LX_STAT_ENV_START = 50,
	LX_STAT_ENV_END = 51,
};

/* True when Linux cannot be asked here: under Valgrind (its loader builds
 * the client's stack, and ptrace is emulated) or without /proc. */
bool lx_unavailable(void);

/* Exec under Linux as described; 0, or -1 if the child could not be made. */
int lx_exec(const struct lx_req *req, struct lx_state *st);

/* Free what lx_exec allocated. */
void lx_free(struct lx_state *st);

/* An auxv value (found tells whether the type is present). */
uint64_t lx_auxv(const struct lx_state *st, uint64_t type, bool *found);

/* The NUL-terminated string at user address a inside the captured stack,
 * or NULL if a is outside it. */
const char *lx_stack_str(const struct lx_state *st, uint64_t a);

/* The 64-bit word at user address a inside the captured stack (0 outside). */
uint64_t lx_stack_word(const struct lx_state *st, uint64_t a);

#endif /* PM_TEST_LINUX_EXEC_H */
