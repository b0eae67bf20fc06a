/* SPDX-License-Identifier: MIT */
/*
 * Running the image in this process.
 *
 * The new image is mapped into pmexec's own address space, so it must not
 * land on pmexec's own mappings (its binary, libraries, heap, stack,
 * vDSO). The choice: keep Linux's layout for the new image exactly (so a
 * run and a --dry-run agree, and --no-randomize gives Linux's addresses),
 * and move pmexec instead when they meet. Every mapping of the new image
 * is made with MAP_FIXED_NOREPLACE by the hosted HAL, so a collision is
 * never silent: the map fails (EEXIST, or EFAULT for the stack area). On
 * such a failure, and when pmexec's own mappings sit in the stack's growth
 * room below the new stack area, pmexec re-executes itself with its own
 * randomisation turned on (so it lands elsewhere) and tries again, up to
 * PMX_MAX_ATTEMPTS times; the new image's randomisation follows the
 * personality pmexec was first started with, which the re-exec carries in
 * PMEXEC_REEXEC (removed from the environment before the program sees it).
 * Under `setarch -R` pmexec's own stack is exactly where the new stack
 * goes: the first attempt collides and the re-exec resolves it.
 *
 * Before the jump, pmexec does what execve does to the rest of the
 * process: handled signals back to SIG_DFL (through the exec hook, at the
 * point of no return), no alternate signal stack, close-on-exec
 * descriptors closed, the comm name, the mm's start_code..env_end, brk
 * and saved auxv (PR_SET_MM_MAP, so brk() and /proc/PID/{cmdline,environ,
 * auxv} follow the new program), its own rseq registration dropped, the
 * original personality back. pmexec's own mappings stay (unused memory);
 * /proc/self/exe still names pmexec (changing it needs pmexec's own file
 * unmapped and CAP_CHECKPOINT_RESTORE).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/prctl.h>

#include "pmexec.h"
#include "procmgr/arch.h"
#include "procmgr/errno.h"

bool pmx_host_randomizes(unsigned long pers, bool *brk_too)
{
	char buf[8] = {0};
	int fd = open("/proc/sys/kernel/randomize_va_space", O_RDONLY | O_CLOEXEC);
	int level = 2;

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			level = (int)strtol(buf, NULL, 10);
		close(fd);
	}
	if (brk_too)
		*brk_too = level > 1;
	return !(pers & ADDR_NO_RANDOMIZE) && level != 0;
}

void pmx_reexec_marker(struct pmx_opts *o)
{
	const char *m = getenv(PMX_REEXEC_ENV);

	o->personality = (unsigned long)personality(0xffffffff);
	if (m) {
		char *end;
		unsigned long attempt = strtoul(m, &end, 10);

		if (*end == ':') {
			o->attempt = (unsigned int)attempt;
			o->personality = strtoul(end + 1, NULL, 16);
		}
	}
	unsetenv(PMX_REEXEC_ENV);
}

/* The kernel's struct sigaction (x86_64): glibc's refuses its own signals. */
struct ksigaction {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};

void pmx_signals_reset(void *ctx)
{
	(void)ctx;
	/* kernel/signal.c:flush_signal_handlers(t, 0) */
	for (int sig = 1; sig <= 64; sig++) {
		struct ksigaction old, dfl = {0};

		if (sig == SIGKILL || sig == SIGSTOP ||
		    syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(uint64_t)))
			continue;
		dfl.handler = old.handler == (uintptr_t)SIG_IGN ? (uintptr_t)SIG_IGN : 0;
		if (memcmp(&old, &dfl, sizeof(dfl)) != 0)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(uint64_t));
	}
}

_Noreturn void pmx_die_segv(void)
{
	sigset_t s;

	/* force_fatal_sig(SIGSEGV): what Linux does to an exec failing here */
	fflush(NULL);
	signal(SIGSEGV, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(SIGSEGV);
	_exit(128 + SIGSEGV);
}

_Noreturn void pmx_retry_or_die(const struct pmx_opts *o, const char *program, int err)
{
	if (o->attempt + 1 < PMX_MAX_ATTEMPTS) {
		char m[64];

		snprintf(m, sizeof(m), "%u:%lx", o->attempt + 1, o->personality);
		setenv(PMX_REEXEC_ENV, m, 1);
		personality(o->personality & ~(unsigned long)ADDR_NO_RANDOMIZE);
		fflush(NULL);
		execv("/proc/self/exe", o->self_argv);
	}
	fprintf(stderr,
	        "pmexec: %s: %s (%s): the new image collides with pmexec's own mappings after %u "
	        "attempts; Linux would kill the process with SIGSEGV\n",
	        program, pm_errno_name(err), pm_strerror(err), o->attempt + 1);
	pmx_die_segv();
}

/* Is any of pmexec's own mappings (not an area of the new image) in [lo, hi)? */
static bool own_mapping_in(const struct pmx_exec *x, uint64_t lo, uint64_t hi)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	bool hit = false;

	if (!f)
		return false;
	while (!hit && fgets(line, sizeof(line), f)) {
		char *end;
		uint64_t s = strtoull(line, &end, 16),
		         e = *end == '-' ? strtoull(end + 1, NULL, 16) : 0;

		if (e <= lo || s >= hi)
			continue;
		for (uint64_t a = s < lo ? lo : s; a < e && a < hi; a += 4096) {
			if (!pm_vm_find(&x->vs, a)) {
				hit = true;
				break;
			}
		}
	}
	fclose(f);
	return hit;
}

/* Close the descriptors execve would (O_CLOEXEC). */
static void close_on_exec(void)
{
	DIR *d = opendir("/proc/self/fd");
	int fds[1024], n = 0;
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) && n < 1024) {
		int fd = (int)strtol(e->d_name, NULL, 10);

		if (e->d_name[0] != '.' && fd != dirfd(d))
			fds[n++] = fd;
	}
	closedir(d);
	for (int i = 0; i < n; i++) {
		int fl = fcntl(fds[i], F_GETFD);

		if (fl >= 0 && (fl & FD_CLOEXEC))
			close(fds[i]);
	}
}

/* mm->start_code .. env_end, brk and saved_auxv of the new program. */
static void set_mm(const struct pmx_exec *x)
{
	const struct pm_vm_image *im = pm_vm_image(&x->vs);
	const struct pm_vm_stack_layout *l = &x->ev.stack;
	struct prctl_mm_map m = {
	    .start_code = im->start_code,
	    .end_code = im->end_code,
	    .start_data = im->start_data,
	    .end_data = im->end_data,
	    .start_brk = im->start_brk,
	    .brk = im->brk,
	    .start_stack = im->start_stack,
	    .arg_start = im->arg_start,
	    .arg_end = im->arg_end,
	    .env_start = im->env_start,
	    .env_end = im->env_end,
	    .auxv = (__u64 *)(uintptr_t)l->auxv,
	    .auxv_size = (uint32_t)(l->auxv_count * 16),
	    .exe_fd = (uint32_t)-1,
	};

	/* Best effort: without it brk() continues pmexec's heap, which works too. */
	(void)prctl(PR_SET_MM, PR_SET_MM_MAP, &m, sizeof(m), 0);
}

static void drop_rseq(void)
{
	void *area;

	if (__rseq_size == 0)
		return;
	area = (char *)__builtin_thread_pointer() + __rseq_offset;
	if (syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG))
		(void)syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

_Noreturn void pmx_run(struct pmx_exec *x, const struct pmx_opts *o)
{
	const char *base = strrchr(o->program, '/');
	uint64_t room = x->rlim_stack < (64ull << 20) ? x->rlim_stack : (64ull << 20);
	pm_uaddr_t entry = x->ev.entry, sp = x->ev.sp;
	stack_t ss = {.ss_flags = SS_DISABLE};

	/* Room for the stack to grow, as Linux leaves it: nothing of pmexec's there. */
	room += PM_VM_STACK_GUARD_GAP;
	if (own_mapping_in(x, x->ev.stack_start > room ? x->ev.stack_start - room : 0,
	                   x->ev.stack_start))
		pmx_retry_or_die(o, o->program, -PM_EFAULT);
	if (x->setid)
		fprintf(
		    stderr,
		    "pmexec: warning: %s: set-user-ID, set-group-ID and file capabilities are not "
		    "applied (pmexec runs it with your credentials, as on a nosuid mount)\n",
		    o->program);
	set_mm(x);
	/* The image's areas keep the files mapped; procmgr's records go. */
	pm_exec_release(x->ex);
	pm_vmspace_destroy(&x->vs);
	x->vs_live = false;
	close_on_exec();
	sigaltstack(&ss, NULL);
	prctl(PR_SET_NAME, base ? base + 1 : o->program, 0, 0, 0);
	drop_rseq();
	personality(o->personality);
	fflush(NULL);
	pm_arch_enter_user(entry, sp);
}
