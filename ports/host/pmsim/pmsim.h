/* SPDX-License-Identifier: MIT */
/*
 * pmsim: runs a script of process system calls (../../shared/PMSIM.md,
 * docs/pmsim.md) against one procmgr table and prints one line per call.
 *
 * Layout: main.c (command line), parse.c (lines and argument
 * expressions), names.c (Linux constant names), world.c (the table, the
 * actors, naming, settling after each line), calls.c (the call registry
 * and the line runner) and one calls_*.c file per module that adds calls
 * (calls_proc.c for the process table, calls_cred.c for credentials and
 * limits). A module adds its calls by
 * defining a `const struct pmsim_call pmsim_calls_X[]` table and listing
 * it in calls.c; calls no module registers print -ENOSYS.
 */
#ifndef PMSIM_H
#define PMSIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "procmgr/table.h"
#include "procmgr/cred_exec.h"

#define PMSIM_MAXARGS   8
#define PMSIM_MAXLEVELS (PM_MAX_PID_NS_LEVEL + 1)
#define PMSIM_BADPID    0x3ffffff0 /* a pid no namespace holds: invisible names */

/* ---- parsed lines ---- */

struct pmsim_line {
	int no;
	char actor[64];
	char call[64];
	char asname[64];
	char *args[PMSIM_MAXARGS];
	int nargs;
	char *expect;
};

/* ---- actors ---- */

enum pmsim_state { ACT_ALIVE, ACT_DEAD };

/* A pending call of an actor that blocked (a wait with nothing ready). */
struct pmsim_blocked {
	const struct pmsim_call *call;
	struct pmsim_line line; /* args point into argbuf */
	char argbuf[512];
	char echo[1024];
};

/* A handler frame set up and not yet run (signal delivery). */
struct pmsim_frame {
	int sig;
	int code;       /* si_code: SI_QUEUE prints the value */
	int value;      /* si_value.sival_int */
	uint64_t saved; /* the mask rt_sigreturn restores */
};

struct pmsim_actor {
	char name[64];
	bool is_thread; /* created with CLONE_THREAD */
	int tg;         /* thread-group identity (the creating process actor) */
	int state;
	struct pm_thread *th;    /* NULL once procmgr released it */
	struct pm_process *proc; /* storage this actor's fork created, or NULL */
	uint32_t depth;          /* level of its PID namespace */
	struct pm_pidns *ns[PMSIM_MAXLEVELS];
	pm_pid_t nr[PMSIM_MAXLEVELS];
	int vfork_child; /* actor this one waits for in vfork, or -1 */
	struct pmsim_blocked *blocked;
	struct pmsim_frame *frames; /* handler frames, the last set up on top */
	int nframes, capframes;
	char **log;
	int nlog, caplog;
};

/* ---- results ---- */

enum pmsim_fmt {
	FMT_INT,    /* a number */
	FMT_PID,    /* a process-level id, printed by name */
	FMT_TID,    /* a thread-level id, printed by name */
	FMT_WAIT4,  /* wait4 status */
	FMT_WAITID, /* waitid siginfo */
	FMT_SIG,    /* a signal number or 0 */
	FMT_SIGSET, /* a signal set (ret holds it) */
	FMT_TEXT,   /* the call's own text (pmsim_result.text) */
	FMT_NONE,   /* the call does not return: "?" */
};

enum pmsim_kind { RES_VAL, RES_NORET, RES_BLOCKED, RES_STOPPED };

struct pmsim_result {
	enum pmsim_kind kind;
	enum pmsim_fmt fmt;
	long ret;                 /* value or -errno */
	uint64_t set;             /* FMT_SIGSET payload */
	struct pm_wait_result wr; /* FMT_WAIT4 / FMT_WAITID payload */
	int child;                /* actor created by the call, or -1 */
	char text[2048];          /* FMT_TEXT payload */
};

struct pmsim_call {
	const char *name;
	int min_args, max_args;
	/* Run `L` as actor x; fill r (kind RES_VAL, fmt and ret at least). */
	void (*run)(int x, const struct pmsim_line *L, struct pmsim_result *r);
};

/* strcpy for buffers known to be large enough (checked by the callers). */
static inline void pmsim_copy(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
}

/* ---- parse.c ---- */
char *pmsim_trim(char *s);
void pmsim_parse_line(char *s, int no, struct pmsim_line *L);
void pmsim_parse_file(char *s, int no);
long pmsim_eval(int x, const char *expr);
/* One term; *ok cleared if it cannot be evaluated. */
long pmsim_eval_term(int x, const char *term, int *ok);
uint64_t pmsim_eval_set(int x, const char *expr, int kind);
/* A script error: message on stderr, exit status 2. */
void pmsim_die_begin(int line);
void pmsim_die_end(void) __attribute__((noreturn));
#define pmsim_die(line, ...)                        \
	do {                                        \
		pmsim_die_begin(line);              \
		(void)fprintf(stderr, __VA_ARGS__); \
		pmsim_die_end();                    \
	} while (0)
void pmsim_arg_count(const struct pmsim_line *L, int lo, int hi);

/* Declared executables (`file` lines). */
struct pmsim_file {
	char name[64];
	uint32_t mode;
	pm_uid_t uid;
	pm_gid_t gid;
	bool nosuid;
	uint64_t caps_p, caps_i;
	bool caps_e, has_caps;
};
const struct pmsim_file *pmsim_find_file(const char *name);

/* ---- names.c ---- */
bool pmsim_constant(const char *s, long *v);
const char *pmsim_signame(long sig, char *buf);
const char *pmsim_errname(long err, char *buf);
const char *pmsim_cldname(int code);
void pmsim_fmt_set(uint64_t m, int kind, char *out);

/* ---- world.c ---- */
extern struct pm_table pmsim_table;
extern struct pmsim_actor *pmsim_actors;
extern int pmsim_nactors;

void pmsim_world_init(void);
void pmsim_world_fini(void);
int pmsim_new_actor(const char *name);
/* Record the numbers of actor i's thread (after creation or exec). */
void pmsim_snapshot(int i);
bool pmsim_alive(int i);
bool pmsim_stopped(int i);
int pmsim_find_actor(const char *tok);
int pmsim_find_named(const char *name);
/* Number of actor y as actor x sees it; -1 when invisible. */
long pmsim_pid_in_view(int y, int x);
/* Name (or number) of id n as actor x sees it. */
const char *pmsim_pidname(long n, int x, bool threadlevel, char *buf);
void pmsim_add_log(int i, const char *text);
void pmsim_print_logs(void);
/* The kernel's part after a line: signals are delivered (handlers run,
 * default actions taken), dying threads exit, blocked calls are retried,
 * released objects freed. Returns true if actor `caller` died or stopped
 * on its own way back from its call (-1: no caller). */
bool pmsim_settle(int caller);

/* ---- calls.c ---- */
void pmsim_run_line(struct pmsim_line *L);
void pmsim_format(int x, const struct pmsim_result *r, char *out);
extern int pmsim_failures;

/* Call tables of the modules (calls_*.c). */
extern const struct pmsim_call pmsim_calls_proc[];
extern const struct pmsim_call pmsim_calls_signal[];
extern const struct pmsim_call pmsim_calls_cred[];

/* Calls that can only kill or stop their caller by succeeding (PMSIM.md:
 * they print their result, = 0, when the caller dies or stops). */
bool pmsim_call_inferable(const char *name);

/* ---- calls_cred.c: the credential parts of other calls ---- */
/* prctl's credential options; false when the option is not one. */
bool pmsim_cred_prctl(int x, const struct pmsim_line *L, struct pmsim_result *r);
struct pmsim_exec_creds {
	struct pm_exec_creds ec;
	bool unreadable; /* would_dump: the image becomes non-dumpable */
};
/* execve's credential steps before the point of no return: RLIMIT_NPROC,
 * the lookup (f NULL: ENOENT), execute permission, the new credentials.
 * 0 or -errno (nothing held). */
int pmsim_exec_creds_prepare(int x, const struct pmsim_file *f, struct pmsim_exec_creds *out);
void pmsim_exec_creds_abort(struct pmsim_exec_creds *ec);
/* ... and after it: commit, dumpable, the secure-exec stack clamp. */
void pmsim_exec_creds_commit(int x, struct pmsim_exec_creds *ec);

#endif /* PMSIM_H */
