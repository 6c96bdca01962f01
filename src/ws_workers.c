/*
 * Worker processes: the master forks N workers, restarts the ones that die
 * and stops them all on SIGTERM/SIGINT (contract in ws.h).
 *
 * The master blocks SIGCHLD, SIGTERM, SIGINT and SIGHUP and waits for them with
 * sigtimedwait(): no signal handler, no async-signal-safety concerns, and a
 * signal that arrives between two checks stays pending instead of being
 * lost. It only waits for its own workers' pids, so other children of the
 * process (proc_open) are left alone. The wait also times out every second,
 * so a worker is reaped even if its SIGCHLD was consumed elsewhere.
 *
 * A worker keeps SIGTERM and SIGINT blocked and learns of them through a
 * signalfd in its event loop (ws_workers_signal_fd()), so a stop request
 * cannot fall between a check and the loop's wait. It also asks the kernel
 * for SIGTERM when the master dies (PR_SET_PDEATHSIG), so no worker is left
 * serving without a supervisor.
 *
 * A worker that ends without being told to (exit() in a handler, whatever
 * its status, a fatal error, a signal) is a crash and is restarted. A stop
 * is told apart by a flag per worker in memory shared with the master
 * (mapped before the first fork): ws_workers_mark_stop() sets the calling
 * worker's flag, and the master stops every worker when one whose flag is
 * set ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ws.h"

#define RESTART_DELAY_MS 1000 /* for a worker that lived less than this */

typedef struct slot {
	pid_t pid;           /* 0: not running */
	int restart;         /* waiting to be started again */
	uint64_t started_ms; /* to tell a crash loop from a worker that ran */
	uint64_t restart_at;
} slot_t;

/* In a worker: its flag in the shared map; NULL in the master. */
static volatile unsigned char *own_stop_flag;

void ws_workers_mark_stop(void)
{
	if (own_stop_flag)
		*own_stop_flag = 1;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void child_setup(const sigset_t *old, pid_t master, int flags)
{
	/* A forwarded SIGHUP must not end a worker that has not set its
	 * handler yet (the default action would). */
	if (flags & WS_WORKERS_FORWARD_HUP)
		signal(SIGHUP, SIG_IGN);
	/* The caller's mask, plus the stop signals for the signalfd. */
	sigset_t m = *old;
	sigaddset(&m, SIGTERM);
	sigaddset(&m, SIGINT);
	sigprocmask(SIG_SETMASK, &m, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* The master may have died before prctl(): then nobody would send it. */
	if (getppid() != master)
		raise(SIGTERM);
}

/* Forks the worker of slot i. Returns 0 in the child, the pid in the
 * master, -1 with errno when fork() failed. */
static pid_t spawn(slot_t *slots, volatile unsigned char *stops, int i, const sigset_t *old, pid_t master,
		   int flags)
{
	fflush(NULL); /* or buffered output would be written twice */
	stops[i] = 0;
	pid_t pid = fork();
	if (pid == 0) {
		own_stop_flag = &stops[i];
		child_setup(old, master, flags);
		return 0;
	}
	if (pid > 0) {
		slots[i].pid = pid;
		slots[i].restart = 0;
		slots[i].started_ms = mono_ms();
	}
	return pid;
}

static void signal_all(slot_t *slots, int n, int sig)
{
	for (int i = 0; i < n; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, sig);
}

int ws_workers_run(int n, int flags, ws_workers_exit_cb on_exit, void *user_data, int *worker_id, char *errbuf,
		   size_t errlen)
{
	if (errbuf && errlen)
		errbuf[0] = 0;
	if (n < 1 || n > 1024 || !worker_id)
		return WS_ERR_INVAL;
	slot_t *slots = ws_malloc(sizeof(*slots) * (size_t)n);
	if (!slots)
		return WS_ERR_NOMEM;
	memset(slots, 0, sizeof(*slots) * (size_t)n);
	/* Zero-filled; stays mapped in the workers until they end. */
	volatile unsigned char *stops = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stops == MAP_FAILED) {
		if (errbuf)
			snprintf(errbuf, errlen, "mmap: %s", strerror(errno));
		ws_free(slots);
		return WS_ERR_SYS;
	}

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid_t master = getpid();

	int alive = 0, stopping = 0, rc = 0;
	for (int i = 0; i < n; i++) {
		pid_t pid = spawn(slots, stops, i, &old, master, flags);
		if (pid == 0) {
			ws_free(slots); /* stops stays mapped: own_stop_flag */
			*worker_id = i;
			return 1;
		}
		if (pid < 0) {
			if (errbuf)
				snprintf(errbuf, errlen, "fork: %s", strerror(errno));
			rc = WS_ERR_SYS;
			stopping = 1;
			signal_all(slots, n, SIGTERM);
			break;
		}
		alive++;
	}

	while (alive > 0) {
		uint64_t now = mono_ms();
		int64_t wait_ms = 1000;
		for (int i = 0; i < n; i++)
			if (slots[i].restart && (int64_t)(slots[i].restart_at - now) < wait_ms)
				wait_ms = slots[i].restart_at > now ? (int64_t)(slots[i].restart_at - now) : 0;
		struct timespec ts = {(time_t)(wait_ms / 1000), (long)(wait_ms % 1000) * 1000000L};
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &ts);
		if (sig == SIGHUP && (flags & WS_WORKERS_FORWARD_HUP))
			signal_all(slots, n, SIGHUP);
		if (sig == SIGTERM || sig == SIGINT) {
			/* The first stop request is forwarded; a second one means
			 * "now": the workers are killed. */
			signal_all(slots, n, stopping ? SIGKILL : SIGTERM);
			stopping = 1;
		}
		for (int i = 0; i < n; i++) {
			if (slots[i].pid <= 0)
				continue;
			int status = 0;
			pid_t r = waitpid(slots[i].pid, &status, WNOHANG);
			if (r == 0 || (r < 0 && errno == EINTR))
				continue;
			/* r < 0 (ECHILD): reaped behind our back (SIGCHLD ignored);
			 * count it as a crash, status unknown. */
			pid_t pid = slots[i].pid;
			slots[i].pid = 0;
			alive--;
			int told = stops[i];
			if (told && !stopping) {
				/* The application stopped this worker: stop them all. */
				stopping = 1;
				signal_all(slots, n, SIGTERM);
			}
			int again = !stopping && !told;
			if (on_exit)
				on_exit(i, (int)pid, r > 0 ? status : -1, again, user_data);
			if (again) {
				uint64_t lived = mono_ms() - slots[i].started_ms;
				slots[i].restart = 1;
				slots[i].restart_at = mono_ms() + (lived < RESTART_DELAY_MS ? RESTART_DELAY_MS : 0);
			}
		}
		now = mono_ms();
		for (int i = 0; i < n && !stopping; i++) {
			if (!slots[i].restart || slots[i].restart_at > now)
				continue;
			pid_t pid = spawn(slots, stops, i, &old, master, flags);
			if (pid == 0) {
				ws_free(slots);
				*worker_id = i;
				return 1;
			}
			if (pid < 0) {
				slots[i].restart_at = now + RESTART_DELAY_MS; /* try again later */
				continue;
			}
			alive++;
		}
		if (stopping)
			for (int i = 0; i < n; i++)
				slots[i].restart = 0;
	}
	/* Signals of the stop may still be pending: drop them, so that the
	 * restored mask does not deliver a SIGTERM the master already served. */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	munmap((void *)stops, (size_t)n);
	ws_free(slots);
	return rc;
}

int ws_workers_signal_fd(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int ws_workers_signal_read(int fd)
{
	struct signalfd_siginfo si;
	ssize_t n = read(fd, &si, sizeof(si));
	return n == (ssize_t)sizeof(si) ? (int)si.ssi_signo : 0;
}
