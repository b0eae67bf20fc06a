/* SPDX-License-Identifier: MIT */
/*
 * Names of the Linux constants pmsim reads and prints (values of
 * include/uapi: asm-generic/signal.h, linux/capability.h, linux/sched.h,
 * linux/wait.h, linux/prctl.h, asm-generic/resource.h; identical on x86_64
 * and riscv64). Capability names come from the library (pm_cap_name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmsim.h"
#include "procmgr/capability.h"
#include "procmgr/errno.h"

static const char *const signames[32] = {
    NULL,        "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

static const char *const cldnames[7] = {
    "0", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED",
};

struct konst {
	const char *name;
	long value;
};

static const struct konst konsts[] = {
    /* signal aliases */
    {"SIGIOT", 6},
    {"SIGPOLL", 29},
    {"SIGCLD", 17},
    {"SIGUNUSED", 31},
    /* sigaction */
    {"SIG_DFL", 0},
    {"SIG_IGN", 1},
    {"handler", 2},
    {"SA_NOCLDSTOP", 0x1},
    {"SA_NOCLDWAIT", 0x2},
    {"SA_SIGINFO", 0x4},
    {"SA_UNSUPPORTED", 0x400},
    {"SA_EXPOSE_TAGBITS", 0x800},
    {"SA_RESTORER", 0x04000000},
    {"SA_ONSTACK", 0x08000000},
    {"SA_RESTART", 0x10000000},
    {"SA_NODEFER", 0x40000000},
    {"SA_NOMASK", 0x40000000},
    {"SA_RESETHAND", 0x80000000L},
    {"SA_ONESHOT", 0x80000000L},
    {"SIG_BLOCK", 0},
    {"SIG_UNBLOCK", 1},
    {"SIG_SETMASK", 2},
    /* wait */
    {"WNOHANG", 1},
    {"WUNTRACED", 2},
    {"WSTOPPED", 2},
    {"WEXITED", 4},
    {"WCONTINUED", 8},
    {"WNOWAIT", 0x01000000},
    {"__WNOTHREAD", 0x20000000},
    {"__WALL", 0x40000000},
    {"__WCLONE", 0x80000000L},
    {"P_ALL", 0},
    {"P_PID", 1},
    {"P_PGID", 2},
    {"P_PIDFD", 3},
    /* clone and unshare */
    {"CSIGNAL", 0xff},
    {"CLONE_NEWTIME", 0x80},
    {"CLONE_VM", 0x100},
    {"CLONE_FS", 0x200},
    {"CLONE_FILES", 0x400},
    {"CLONE_SIGHAND", 0x800},
    {"CLONE_PIDFD", 0x1000},
    {"CLONE_PTRACE", 0x2000},
    {"CLONE_VFORK", 0x4000},
    {"CLONE_PARENT", 0x8000},
    {"CLONE_THREAD", 0x10000},
    {"CLONE_NEWNS", 0x20000},
    {"CLONE_SYSVSEM", 0x40000},
    {"CLONE_SETTLS", 0x80000},
    {"CLONE_PARENT_SETTID", 0x100000},
    {"CLONE_CHILD_CLEARTID", 0x200000},
    {"CLONE_DETACHED", 0x400000},
    {"CLONE_UNTRACED", 0x800000},
    {"CLONE_CHILD_SETTID", 0x1000000},
    {"CLONE_NEWCGROUP", 0x2000000},
    {"CLONE_NEWUTS", 0x4000000},
    {"CLONE_NEWIPC", 0x8000000},
    {"CLONE_NEWUSER", 0x10000000},
    {"CLONE_NEWPID", 0x20000000},
    {"CLONE_NEWNET", 0x40000000},
    {"CLONE_IO", 0x80000000L},
    /* prctl */
    {"PR_SET_PDEATHSIG", 1},
    {"PR_GET_PDEATHSIG", 2},
    {"PR_GET_DUMPABLE", 3},
    {"PR_SET_DUMPABLE", 4},
    {"PR_GET_KEEPCAPS", 7},
    {"PR_SET_KEEPCAPS", 8},
    {"PR_CAPBSET_READ", 23},
    {"PR_CAPBSET_DROP", 24},
    {"PR_GET_SECUREBITS", 27},
    {"PR_SET_SECUREBITS", 28},
    {"PR_SET_CHILD_SUBREAPER", 36},
    {"PR_GET_CHILD_SUBREAPER", 37},
    {"PR_SET_NO_NEW_PRIVS", 38},
    {"PR_GET_NO_NEW_PRIVS", 39},
    {"PR_CAP_AMBIENT", 47},
    {"PR_CAP_AMBIENT_IS_SET", 1},
    {"PR_CAP_AMBIENT_RAISE", 2},
    {"PR_CAP_AMBIENT_LOWER", 3},
    {"PR_CAP_AMBIENT_CLEAR_ALL", 4},
    {"SECBIT_NOROOT", 0x1},
    {"SECBIT_NOROOT_LOCKED", 0x2},
    {"SECBIT_NO_SETUID_FIXUP", 0x4},
    {"SECBIT_NO_SETUID_FIXUP_LOCKED", 0x8},
    {"SECBIT_KEEP_CAPS", 0x10},
    {"SECBIT_KEEP_CAPS_LOCKED", 0x20},
    {"SECBIT_NO_CAP_AMBIENT_RAISE", 0x40},
    {"SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED", 0x80},
    /* rlimits */
    {"RLIMIT_CPU", 0},
    {"RLIMIT_FSIZE", 1},
    {"RLIMIT_DATA", 2},
    {"RLIMIT_STACK", 3},
    {"RLIMIT_CORE", 4},
    {"RLIMIT_RSS", 5},
    {"RLIMIT_NPROC", 6},
    {"RLIMIT_NOFILE", 7},
    {"RLIMIT_MEMLOCK", 8},
    {"RLIMIT_AS", 9},
    {"RLIMIT_LOCKS", 10},
    {"RLIMIT_SIGPENDING", 11},
    {"RLIMIT_MSGQUEUE", 12},
    {"RLIMIT_NICE", 13},
    {"RLIMIT_RTPRIO", 14},
    {"RLIMIT_RTTIME", 15},
    {"RLIM_INFINITY", -1},
    /* access */
    {"F_OK", 0},
    {"X_OK", 1},
    {"W_OK", 2},
    {"R_OK", 4},
    {"NULL", 0},
};

static bool rt_signal(const char *s, long *v)
{
	long base;
	const char *t;
	char *e;
	long n;

	if (strncmp(s, "SIGRTMIN", 8) == 0)
		base = 32;
	else if (strncmp(s, "SIGRTMAX", 8) == 0)
		base = 64;
	else
		return false;
	t = s + 8;
	if (!*t) {
		*v = base;
		return true;
	}
	if ((*t != '+' && *t != '-') || !t[1])
		return false;
	n = strtol(t + 1, &e, 0);
	if (*e)
		return false;
	*v = *t == '+' ? base + n : base - n;
	return true;
}

bool pmsim_constant(const char *s, long *v)
{
	for (int i = 1; i < 32; i++)
		if (strcmp(s, signames[i]) == 0) {
			*v = i;
			return true;
		}
	if (rt_signal(s, v))
		return true;
	for (int i = 0; i <= PM_CAP_LAST_CAP; i++)
		if (strcmp(s, pm_cap_name((unsigned int)i)) == 0) {
			*v = i;
			return true;
		}
	for (size_t i = 0; i < sizeof(konsts) / sizeof(konsts[0]); i++)
		if (strcmp(s, konsts[i].name) == 0) {
			*v = konsts[i].value;
			return true;
		}
	return false;
}

const char *pmsim_signame(long sig, char *buf)
{
	if (sig >= 1 && sig < 32)
		return signames[sig];
	if (sig == 32)
		return "SIGRTMIN";
	if (sig > 32 && sig <= 64)
		(void)snprintf(buf, 32, "SIGRTMIN+%ld", sig - 32);
	else
		(void)snprintf(buf, 32, "%ld", sig);
	return buf;
}

const char *pmsim_errname(long err, char *buf)
{
	const char *n = pm_errno_name((int)err);

	if (n[0] == 'E' && n[1] != '?')
		(void)snprintf(buf, 32, "-%s", n);
	else
		(void)snprintf(buf, 32, "-%ld", err);
	return buf;
}

const char *pmsim_cldname(int code)
{
	return code >= 0 && code <= 6 ? cldnames[code] : "?";
}

void pmsim_fmt_set(uint64_t m, int kind, char *out)
{
	uint64_t full = kind == 's' ? ~0ull : ((1ull << (PM_CAP_LAST_CAP + 1)) - 1);
	bool first = true;
	char *o = out;

	if (m && m == full) {
		pmsim_copy(out, "{ALL}");
		return;
	}
	*o++ = '{';
	for (int b = 0; b < 64; b++) {
		char nb[32];
		const char *nm;

		if (!(m & (1ull << b)))
			continue;
		if (kind == 's')
			nm = pmsim_signame(b + 1, nb);
		else if (b <= PM_CAP_LAST_CAP)
			nm = pm_cap_name((unsigned int)b);
		else {
			(void)snprintf(nb, sizeof(nb), "%d", b);
			nm = nb;
		}
		o += sprintf(o, "%s%s", first ? "" : ",", nm);
		first = false;
	}
	*o++ = '}';
	*o = '\0';
}
