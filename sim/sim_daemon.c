// SPDX-License-Identifier: GPL-2.0
/*
 * sim_daemon.c - the apsim daemon: start, serve, stop.
 *
 * start   The parent checks everything it can (host file, root, a running
 *         or stale instance), then forks.  The child mounts <root>/sys and
 *         reports through a pipe once the kernel's FUSE INIT was answered;
 *         only then does "apsim start" return.  The daemon's stderr goes to
 *         <root>/apsim.log, its pid to <root>/apsim.pid.
 * serve   Our own worker pool instead of fuse_loop_mt(): a removal that
 *         blocks until a "detach" (§4.8) occupies a worker for as long as
 *         it takes, so the pool grows on demand (up to SIM_POOL_MAX) and a
 *         blocked remove can never starve the control file.
 * stop    SIGTERM (or SIGINT/SIGHUP): blocked removals give up, the mount
 *         is detached, workers blocked in read(2) are kicked with SIGUSR1,
 *         joined, and the engine is torn down.  "apsim stop" waits for the
 *         process to exit and removes a mount left by a crashed daemon.
 */
#define FUSE_USE_VERSION 31

#include <fuse.h>
#include <fuse_lowlevel.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim_daemon.h"
#include "sim_fs.h"
#include "sim_hostfile.h"
#include "sim_state.h"

#define SIM_POOL_MAX		256
#define SIM_START_TIMEOUT_MS	30000
#define SIM_STOP_TIMEOUT_MS	10000

struct sim_paths {
	char root[PATH_MAX];
	char mnt[PATH_MAX + 8];
	char pidfile[PATH_MAX + 16];
	char logfile[PATH_MAX + 16];
};

/* ---- paths, pid file, mounts --------------------------------------------- */

static int sim_paths(const char *root, struct sim_paths *p)
{
	struct stat st;

	if (!realpath(root, p->root))
		return -errno;
	if (stat(p->root, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	snprintf(p->mnt, sizeof(p->mnt), "%s/sys", p->root);
	snprintf(p->pidfile, sizeof(p->pidfile), "%s/apsim.pid", p->root);
	snprintf(p->logfile, sizeof(p->logfile), "%s/apsim.log", p->root);
	return 0;
}

static pid_t sim_read_pid(const struct sim_paths *p)
{
	char buf[32] = "";
	ssize_t n;
	int fd = open(p->pidfile, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

static int sim_write_pid(const struct sim_paths *p)
{
	char buf[32];
	int fd = open(p->pidfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	return close(fd) ? -errno : 0;
}

/* Read /proc/<pid>/<what> into @buf (NUL-terminated); length or -1. */
static ssize_t sim_proc_read(pid_t pid, const char *what, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * A live (not zombie) apsim: the pid file may be stale and the pid reused,
 * so the command line must name apsim (also under valgrind and friends).
 */
static bool sim_pid_alive(pid_t pid)
{
	char buf[4096], *rp;
	ssize_t n;

	if (pid <= 0 || kill(pid, 0) || sim_proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return false;
	/* "pid (comm) S ...": comm may contain anything, so look from the right */
	rp = strrchr(buf, ')');
	if (!rp || rp[1] != ' ' || rp[2] == 'Z')
		return false;
	n = sim_proc_read(pid, "cmdline", buf, sizeof(buf));
	return n > 0 && memmem(buf, (size_t)n, "apsim", 5) != NULL;
}

/* Undo /proc/self/mountinfo's octal escapes (\040 and friends) in place. */
static void sim_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static bool sim_is_mounted(const char *mnt)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *save, *field;
	size_t cap = 0;
	bool found = false;
	int i;

	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		field = strtok_r(line, " ", &save);
		for (i = 1; field && i < 5; i++)
			field = strtok_r(NULL, " ", &save);
		if (field) {
			sim_unescape(field);
			found = !strcmp(field, mnt);
		}
	}
	free(line);
	fclose(f);
	return found;
}

/* Lazy unmount: as root directly, otherwise through fusermount3. */
static int sim_unmount(const char *mnt)
{
	pid_t pid;
	int status;

	if (!umount2(mnt, MNT_DETACH) || errno == EINVAL)
		return 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execlp("fusermount3", "fusermount3", "-u", "-z", "-q", mnt, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EBUSY;
	return 0;
}

/* ---- worker pool --------------------------------------------------------- */

struct sim_pool {
	struct fuse_session *se;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t tids[SIM_POOL_MAX];
	unsigned int nthreads, nidle, nrunning;
	pthread_t main_thread;
	bool stopping;
};

static void *sim_pool_worker(void *arg);

/* lock held */
static int sim_pool_spawn(struct sim_pool *p)
{
	int rc;

	if (p->nthreads == SIM_POOL_MAX || p->stopping)
		return -EAGAIN;
	rc = pthread_create(&p->tids[p->nthreads], NULL, sim_pool_worker, p);
	if (rc)
		return -rc;
	p->nthreads++;
	p->nidle++;
	p->nrunning++;
	return 0;
}

static void sim_pool_busy(struct sim_pool *p)
{
	pthread_mutex_lock(&p->lock);
	if (!--p->nidle)
		sim_pool_spawn(p);	/* keep one reader ready */
	pthread_mutex_unlock(&p->lock);
}

static void sim_pool_idle(struct sim_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->nidle++;
	pthread_mutex_unlock(&p->lock);
}

/* The session ended on its own (unmounted from outside): wake the main thread. */
static void sim_pool_exit(struct sim_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->nrunning--;
	p->nidle--;
	if (!p->stopping)
		pthread_kill(p->main_thread, SIGUSR2);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void *sim_pool_worker(void *arg)
{
	struct sim_pool *p = arg;
	struct fuse_buf fbuf = { .mem = NULL };
	int res;

	while (!fuse_session_exited(p->se)) {
		res = fuse_session_receive_buf(p->se, &fbuf);
		if (res == -EINTR || res == -EAGAIN)
			continue;
		if (res <= 0) {
			fuse_session_exit(p->se);
			break;
		}
		sim_pool_busy(p);
		fuse_session_process_buf(p->se, &fbuf);
		sim_pool_idle(p);
	}
	free(fbuf.mem);
	sim_pool_exit(p);
	return NULL;
}

static int sim_pool_start(struct sim_pool *p, struct fuse_session *se)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->se = se;
	p->main_thread = pthread_self();
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	pthread_mutex_lock(&p->lock);
	rc = sim_pool_spawn(p);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

/* Kick readers out of read(2) until every worker has left, then join. */
static void sim_pool_stop(struct sim_pool *p)
{
	struct timespec ts;
	unsigned int i;

	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	fuse_session_exit(p->se);
	while (p->nrunning) {
		for (i = 0; i < p->nthreads; i++)
			pthread_kill(p->tids[i], SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &ts);
		sim_timespec_add_ms(&ts, 20);
		pthread_cond_timedwait(&p->cond, &p->lock, &ts);
	}
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->tids[i], NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
}

/* ---- the daemon ---------------------------------------------------------- */

struct sim_ready {
	int fd;			/* pipe to "apsim start", or -1 (foreground) */
	const char *mnt;
};

static void sim_report(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A start-up failure: through the pipe, or on stderr in the foreground. */
static void sim_report(int fd, const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fd >= 0)
		dprintf(fd, "%s\n", msg);
	fprintf(stderr, "apsim: %s\n", msg);
}

static void sim_ready_cb(void *arg)
{
	struct sim_ready *r = arg;

	if (r->fd >= 0) {
		if (write(r->fd, "OK\n", 3) != 3)
			fprintf(stderr, "apsim: readiness pipe: %s\n", strerror(errno));
		close(r->fd);
		r->fd = -1;
	}
	fprintf(stderr, "apsim: ready: %s (pid %d)\n", r->mnt, (int)getpid());
}

static void sim_sigusr1(int sig)
{
	/* only interrupts read(2) on /dev/fuse */
}

/* SIGTERM/INT/HUP and USR2 (session ended) are taken by sigwait() in main. */
static void sim_signals(sigset_t *wait_set)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sim_sigusr1;	/* no SA_RESTART: read(2) returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(wait_set);
	sigaddset(wait_set, SIGTERM);
	sigaddset(wait_set, SIGINT);
	sigaddset(wait_set, SIGHUP);
	sigaddset(wait_set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, wait_set, NULL);
}

static struct fuse *sim_fuse_new(struct sim *s)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse *f = NULL;

	if (!fuse_opt_add_arg(&args, "apsim") && !fuse_opt_add_arg(&args, "-o") &&
	    !fuse_opt_add_arg(&args, "fsname=apsim,subtype=apsim"))
		f = fuse_new(&args, &sim_fs_ops, sizeof(sim_fs_ops), s);
	fuse_opt_free_args(&args);
	return f;
}

/* Serve until a signal (or an outside unmount), then tear down. */
static void sim_serve(struct sim *s, struct fuse *f, const struct sim_paths *p,
		      const sigset_t *wait_set)
{
	struct sim_pool pool;
	int sig = 0;

	if (sim_pool_start(&pool, fuse_get_session(f))) {
		fprintf(stderr, "apsim: cannot start worker threads\n");
		return;
	}
	while (sigwait(wait_set, &sig) || (sig != SIGTERM && sig != SIGINT && sig != SIGHUP &&
					   sig != SIGUSR2))
		;
	fprintf(stderr, "apsim: stopping (%s)\n", sig == SIGUSR2 ? "unmounted" : strsignal(sig));
	sim_shutdown(s);	/* blocked removals give up */
	if (sim_unmount(p->mnt))
		fprintf(stderr, "apsim: cannot unmount %s\n", p->mnt);
	sim_pool_stop(&pool);
}

static int sim_daemon(const struct sim_paths *p, const struct apb_host_spec *spec,
		      unsigned int request_ms, int ready_fd)
{
	struct sim_ready ready = { ready_fd, p->mnt };
	sigset_t wait_set;
	struct fuse *f;
	struct sim *s;
	int rc = 1;

	sim_signals(&wait_set);
	s = sim_create(spec, request_ms);
	if (!s) {
		sim_report(ready_fd, "cannot create the simulated host: %s", strerror(ENOMEM));
		return 1;
	}
	f = sim_fuse_new(s);
	sim_fs_set_ready_hook(sim_ready_cb, &ready);
	if (!f || fuse_mount(f, p->mnt)) {
		sim_report(ready_fd, "cannot mount %s (see %s)", p->mnt, p->logfile);
	} else if (sim_write_pid(p)) {
		sim_report(ready_fd, "cannot write %s: %s", p->pidfile, strerror(errno));
		sim_unmount(p->mnt);
	} else {
		sim_serve(s, f, p, &wait_set);
		unlink(p->pidfile);
		rc = 0;
	}
	/* already unmounted above; closing /dev/fuse aborts what is left */
	if (f)
		fuse_destroy(f);
	sim_destroy(s);
	if (ready.fd >= 0)
		close(ready.fd);
	return rc;
}

/* ---- apsim start --------------------------------------------------------- */

static void sim_child_stdio(const struct sim_paths *p)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int log = open(p->logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (null >= 0)
		dup2(null, STDIN_FILENO);
	if (log >= 0) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
	} else if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	if (null > STDERR_FILENO)
		close(null);
	if (log > STDERR_FILENO)
		close(log);
}

/* Wait for "OK" (or an error line, or EOF) from the daemon. */
static int sim_wait_ready(int fd, pid_t pid, const struct sim_paths *p)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char msg[PATH_MAX + 256];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(msg) - 1) {
		if (poll(&pfd, 1, SIM_START_TIMEOUT_MS) <= 0) {
			kill(pid, SIGTERM);
			fprintf(stderr, "apsim: %s: timed out waiting for the mount\n", p->mnt);
			return 1;
		}
		n = read(fd, msg + len, sizeof(msg) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	msg[len] = '\0';
	if (!strcmp(msg, "OK\n"))
		return 0;
	waitpid(pid, NULL, WNOHANG);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	if (len)
		fprintf(stderr, "apsim: %s\n", msg);
	else
		fprintf(stderr, "apsim: the daemon exited during start-up (see %s)\n", p->logfile);
	return 1;
}

static int sim_spawn(const struct sim_paths *p, const struct apb_host_spec *spec,
		     unsigned int request_ms)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "apsim: pipe: %s\n", strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "apsim: fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid) {
		close(fds[0]);
		setsid();
		sim_child_stdio(p);
		_exit(sim_daemon(p, spec, request_ms, fds[1]));
	}
	close(fds[1]);
	pid = sim_wait_ready(fds[0], pid, p);
	close(fds[0]);
	return (int)pid;
}

/* Refuse a running instance; clean up after a dead one. */
static int sim_check_root(const struct sim_paths *p)
{
	pid_t pid = sim_read_pid(p);

	if (sim_pid_alive(pid)) {
		fprintf(stderr, "apsim: %s: already running (pid %d)\n", p->root, (int)pid);
		return 1;
	}
	if (sim_is_mounted(p->mnt)) {
		if (pid <= 0) {
			fprintf(stderr, "apsim: %s is already mounted\n", p->mnt);
			return 1;
		}
		fprintf(stderr, "apsim: removing the stale mount of pid %d at %s\n", (int)pid,
			p->mnt);
		if (sim_unmount(p->mnt)) {
			fprintf(stderr, "apsim: cannot unmount %s\n", p->mnt);
			return 1;
		}
	}
	unlink(p->pidfile);
	if (mkdir(p->mnt, 0755) && errno != EEXIST) {
		fprintf(stderr, "apsim: %s: %s\n", p->mnt, strerror(errno));
		return 1;
	}
	return 0;
}

int sim_start(const struct sim_start_opts *o)
{
	struct apb_host_spec spec;
	struct sim_paths p;
	char err[PATH_MAX + 256];
	int rc;

	if (sim_hostfile_load(o->host_file, &spec, err, sizeof(err))) {
		fprintf(stderr, "apsim: %s\n", err);
		return 1;
	}
	if (o->profile)
		spec.profile = o->profile;	/* the command line wins */
	rc = sim_paths(o->root, &p);
	if (rc) {
		fprintf(stderr, "apsim: %s: %s\n", o->root, strerror(-rc));
		return 1;
	}
	if (sim_check_root(&p))
		return 1;
	if (o->foreground)
		return sim_daemon(&p, &spec, o->request_ms, -1);
	return sim_spawn(&p, &spec, o->request_ms);
}

/* ---- apsim stop ---------------------------------------------------------- */

static bool sim_wait_exit(pid_t pid, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (!sim_pid_alive(pid))
			return true;
		usleep(10000);
	}
	return !sim_pid_alive(pid);
}

int sim_stop(const char *root)
{
	struct sim_paths p;
	int rc = sim_paths(root, &p);
	bool alive, mounted;
	pid_t pid;

	if (rc) {
		fprintf(stderr, "apsim: %s: %s\n", root, strerror(-rc));
		return 1;
	}
	pid = sim_read_pid(&p);
	alive = sim_pid_alive(pid);
	if (alive) {
		kill(pid, SIGTERM);
		if (!sim_wait_exit(pid, SIM_STOP_TIMEOUT_MS)) {
			fprintf(stderr, "apsim: pid %d did not stop; killing it\n", (int)pid);
			kill(pid, SIGKILL);
			sim_wait_exit(pid, 1000);
			rc = 1;
		}
	}
	mounted = sim_is_mounted(p.mnt);
	if (mounted && sim_unmount(p.mnt)) {
		fprintf(stderr, "apsim: cannot unmount %s\n", p.mnt);
		rc = 1;
	} else if (mounted && !alive) {
		fprintf(stderr, "apsim: removed the stale mount at %s\n", p.mnt);
	}
	unlink(p.pidfile);
	if (!alive && !mounted) {
		fprintf(stderr, "apsim: %s: not running\n", p.root);
		rc = 1;
	}
	return rc ? 1 : 0;
}
