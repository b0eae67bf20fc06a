/* SPDX-License-Identifier: MIT */
/*
 * A test universe for the process-table suites: a table with global init,
 * processes and threads allocated like a kernel would (one malloc each,
 * freed after PM_EVENT_RELEASE), and helpers that assert success and run
 * pm_table_check() after every operation.
 */
#ifndef PM_TABLE_FIXTURE_H
#define PM_TABLE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "pm_test.h"
#include "procmgr/errno.h"
#include "procmgr/table.h"

/* Signal numbers the tests use. */
#define SIGHUP  1
#define SIGQUIT 3
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20

struct tu {
	struct pm_table t;
	struct pm_thread *init;
	unsigned int released_threads;
	unsigned int released_processes;
};

/* A table with global init (pid 1). */
void tu_setup(struct tu *u, const struct pm_table_config *cfg);
/* pm_table_destroy and free everything; asserts the table was consistent. */
void tu_teardown(struct tu *u);
/* Assert pm_table_check() passes (with its reason on failure). */
void tu_check(struct tu *u);

/* New storage as a kernel would embed it. */
struct pm_process *tu_new_process(void);
struct pm_thread *tu_new_thread(void);

/* clone3-style pm_clone; asserts nothing; frees storage on failure. */
int tu_clone(struct pm_thread *self, uint64_t flags, int exit_signal, struct pm_thread **out);
/* Legacy clone(2) word. */
int tu_clone_legacy(struct pm_thread *self, uint64_t word, struct pm_thread **out);
/* fork(): asserts success. */
struct pm_thread *tu_fork(struct pm_thread *self);
/* A thread of self's process: asserts success. */
struct pm_thread *tu_thread(struct pm_thread *self);

/* Run the kernel's side after an operation: threads that must exit exit
 * (pm_exit_group), waiting default actions are taken, until nothing moves;
 * then free what procmgr released. */
void tu_settle(struct tu *u);

/* Numbers as `viewer` sees them. */
pm_pid_t tu_pid(const struct pm_thread *viewer, const struct pm_thread *target);
pm_pid_t tu_tid(const struct pm_thread *viewer, const struct pm_thread *target);

/* wait4 helper: returns pm_wait4's error, result in *res. */
int tu_wait4(struct pm_thread *self, pm_pid_t pid, int options, struct pm_wait_result *res);

/* Count recorded events of a type (since the last pm_host_events_clear()). */
unsigned int tu_events(enum pm_event_type type);

/* Internal entry points for job control and the interim signal seam,
 * under the table lock. */
void tu_stop(struct pm_thread *member, int sig);
void tu_continue(struct pm_thread *member);
void tu_signal(struct pm_thread *target, int sig, bool force);

#define WIFEXITED_(s)   (((s)&0x7f) == 0)
#define WEXITSTATUS_(s) (((s) >> 8) & 0xff)
#define WTERMSIG_(s)    ((s)&0x7f)
#define WIFSTOPPED_(s)  (((s)&0xff) == 0x7f)
#define WSTOPSIG_(s)    (((s) >> 8) & 0xff)

#endif /* PM_TABLE_FIXTURE_H */
