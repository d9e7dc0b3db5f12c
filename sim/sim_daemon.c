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
 *         it takes, so the pool grows on demand (up to SIM_POOL_MAX), and
 *         at most SIM_REMOVE_WAITERS_MAX removals block at once (later ones
 *         return at once, see sim_mdev_remove), so blocked removals never
 *         take the workers the control file and the tree need.
 * stop    SIGTERM (or SIGINT/SIGHUP): blocked removals give up, the mount
 *         is detached, workers blocked in read(2) are kicked with SIGUSR1,
 *         joined, and the engine is torn down.  "apsim stop" signals only
 *         the holder of the pid file's lock, waits for it to exit and
 *         removes a mount left by a crashed daemon.
 * root    must belong to the caller and be writable by nobody else; files
 *         in it are opened below a directory descriptor without following
 *         links, and only a fuse.apsim mount at exactly <root>/sys is
 *         ever unmounted (sim_open_root, sim_unmount).
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
#include "sim_mdev.h"
#include "sim_state.h"

#define SIM_POOL_MAX		256
/* Blocked removals leave room for everything else (sim_mdev_remove). */
_Static_assert(SIM_REMOVE_WAITERS_MAX + 32 <= SIM_POOL_MAX,
	       "blocked removers must not be able to take the whole pool");
#define SIM_START_TIMEOUT_MS	30000
#define SIM_STOP_TIMEOUT_MS	10000

struct sim_paths {
	char root[PATH_MAX];
	char mnt[PATH_MAX + 8];
	char pidfile[PATH_MAX + 16];
	char logfile[PATH_MAX + 16];
	int rootfd;			/* <root>, opened once: files are opened below it */
};

#define SIM_PIDFILE	"apsim.pid"
#define SIM_LOGFILE	"apsim.log"
#define SIM_MNTDIR	"sys"

/* ---- the root directory, pid file, mounts -------------------------------- */

/*
 * apsim runs as root in a directory named on the command line.  Whoever
 * can write to that directory could plant apsim.log, apsim.pid or sys as
 * links to anything, so the root must belong to the caller and be
 * writable by nobody else; files in it are opened below a directory
 * descriptor with O_NOFOLLOW, and sys must be a real directory.
 * Prints the reason and returns 1 when the root is refused.
 */
static int sim_open_root(const char *root, struct sim_paths *p)
{
	struct stat st;

	p->rootfd = -1;
	if (!realpath(root, p->root)) {
		fprintf(stderr, "apsim: %s: %s\n", root, strerror(errno));
		return 1;
	}
	p->rootfd = open(p->root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (p->rootfd < 0 || fstat(p->rootfd, &st)) {
		fprintf(stderr, "apsim: %s: %s\n", p->root, strerror(errno));
		return 1;
	}
	if (st.st_uid != geteuid()) {
		fprintf(stderr, "apsim: %s: owned by uid %u, not by the caller (uid %u); refusing it as --root\n",
			p->root, (unsigned int)st.st_uid, (unsigned int)geteuid());
		return 1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		fprintf(stderr, "apsim: %s: writable by group or others (mode %04o); refusing it as --root\n",
			p->root, (unsigned int)(st.st_mode & 07777));
		return 1;
	}
	snprintf(p->mnt, sizeof(p->mnt), "%s/" SIM_MNTDIR, p->root);
	snprintf(p->pidfile, sizeof(p->pidfile), "%s/" SIM_PIDFILE, p->root);
	snprintf(p->logfile, sizeof(p->logfile), "%s/" SIM_LOGFILE, p->root);
	return 0;
}

static void sim_close_root(struct sim_paths *p)
{
	if (p->rootfd >= 0)
		close(p->rootfd);
	p->rootfd = -1;
}

/*
 * @name in the root, if it exists, must be of type @type (S_IFREG,
 * S_IFDIR) and never a symbolic link.  1 (and a message) if not.
 */
static int sim_check_entry(const struct sim_paths *p, const char *name, mode_t type)
{
	struct stat st;

	if (fstatat(p->rootfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "apsim: %s/%s: %s\n", p->root, name, strerror(errno));
		return 1;
	}
	if (S_ISLNK(st.st_mode)) {
		fprintf(stderr, "apsim: %s/%s: is a symbolic link; refusing to follow it\n", p->root,
			name);
		return 1;
	}
	if ((st.st_mode & S_IFMT) != type) {
		fprintf(stderr, "apsim: %s/%s: not a %s; refusing it\n", p->root, name,
			type == S_IFDIR ? "directory" : "regular file");
		return 1;
	}
	return 0;
}

/*
 * Who is the daemon?  It holds a POSIX write lock on its pid file for its
 * whole life (sim_pid_lock), so the lock's holder is the daemon for
 * certain, whatever the file says and whatever other processes are
 * called; no lock means no daemon, however the file got there.
 * Return: the holder's pid, 0 if none, -1 if held by a process we cannot
 * see (another pid namespace).
 */
static pid_t sim_lock_holder(const struct sim_paths *p)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = openat(p->rootfd, SIM_PIDFILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	pid_t pid = 0;

	if (fd < 0)
		return 0;
	if (!fcntl(fd, F_GETLK, &fl) && fl.l_type != F_UNLCK)
		pid = fl.l_pid > 0 ? fl.l_pid : -1;
	close(fd);
	return pid;
}

/*
 * The daemon's side: create and lock the pid file, write our pid.  The
 * descriptor stays open (and the lock held) until the process ends: a
 * POSIX lock would go with any close of the file, so nothing else in the
 * daemon opens it.  -EAGAIN if another daemon holds it.
 */
static int sim_pid_lock(const struct sim_paths *p)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char buf[32];
	int n, fd = openat(p->rootfd, SIM_PIDFILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_SETLK, &fl)) {
		n = errno == EACCES ? -EAGAIN : -errno;
		close(fd);
		return n;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
		close(fd);
		return -EIO;
	}
	return 0;	/* fd deliberately left open: it holds the lock */
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

enum sim_mnt { SIM_MNT_NONE, SIM_MNT_APSIM, SIM_MNT_OTHER };

/*
 * What is mounted at exactly @mnt: nothing, an apsim mount (file system
 * type fuse.apsim) or something else.  The last entry for a mount point
 * is the one on top, the one a umount would take.
 */
static enum sim_mnt sim_mounted(const char *mnt)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *save, *field, *dash;
	enum sim_mnt found = SIM_MNT_NONE;
	size_t cap = 0;
	int i;

	if (!f)
		return SIM_MNT_NONE;
	while (getline(&line, &cap, f) > 0) {
		/* "... - fstype source options": the type follows the separator */
		dash = strstr(line, " - ");
		if (!dash)
			continue;
		*dash = '\0';
		field = strtok_r(line, " ", &save);
		for (i = 1; field && i < 5; i++)
			field = strtok_r(NULL, " ", &save);
		if (!field)
			continue;
		sim_unescape(field);
		if (strcmp(field, mnt))
			continue;
		field = strtok_r(dash + 3, " ", &save);
		found = field && !strcmp(field, "fuse.apsim") ? SIM_MNT_APSIM : SIM_MNT_OTHER;
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * Lazy unmount of apsim's own mount at exactly @mnt, never through a
 * symbolic link: as root directly, otherwise through fusermount3.
 * 0 also when nothing of ours is mounted there.
 */
static int sim_unmount(const char *mnt)
{
	pid_t pid;
	int status;

	if (sim_mounted(mnt) != SIM_MNT_APSIM)
		return 0;
	if (!umount2(mnt, MNT_DETACH | UMOUNT_NOFOLLOW) || errno == EINVAL)
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

	/*
	 * Served like sysfs: every user may read the attributes, the kernel
	 * checks the modes (default_permissions), so only the owner (root)
	 * writes and the 0600 control file is the owner's.  allow_other needs
	 * no user_allow_other in /etc/fuse.conf when root mounts (that rule
	 * is fusermount3's, for users); another user's mount stays private.
	 */
	const char *opts = geteuid() ? "fsname=apsim,subtype=apsim,default_permissions" :
		"fsname=apsim,subtype=apsim,default_permissions,allow_other";

	if (!fuse_opt_add_arg(&args, "apsim") && !fuse_opt_add_arg(&args, "-o") &&
	    !fuse_opt_add_arg(&args, opts))
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
	rc = sim_pid_lock(p);
	if (rc) {
		if (rc == -EAGAIN)
			sim_report(ready_fd, "%s: already running (pid %d)", p->root,
				   (int)sim_lock_holder(p));
		else
			sim_report(ready_fd, "cannot write %s: %s", p->pidfile, strerror(-rc));
		return 1;
	}
	rc = 1;
	s = sim_create(spec, request_ms);
	if (!s) {
		sim_report(ready_fd, "cannot create the simulated host: %s", strerror(ENOMEM));
		return 1;
	}
	f = sim_fuse_new(s);
	sim_fs_set_ready_hook(sim_ready_cb, &ready);
	if (!f || fuse_mount(f, p->mnt)) {
		sim_report(ready_fd, "cannot mount %s (see %s)", p->mnt, p->logfile);
	} else {
		sim_serve(s, f, p, &wait_set);
		rc = 0;
	}
	unlinkat(p->rootfd, SIM_PIDFILE, 0);	/* the lock goes when we exit */
	/* already unmounted above; closing /dev/fuse aborts what is left */
	if (f)
		fuse_destroy(f);
	sim_destroy(s);
	if (ready.fd >= 0)
		close(ready.fd);
	return rc;
}

/* ---- apsim start --------------------------------------------------------- */

/* stdin from /dev/null, stdout and stderr to the log opened by the parent. */
static void sim_child_stdio(int log)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

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

/* The log, appended to; never through a link (see sim_open_root). */
static int sim_open_log(const struct sim_paths *p)
{
	int fd;

	if (sim_check_entry(p, SIM_LOGFILE, S_IFREG))
		return -1;
	fd = openat(p->rootfd, SIM_LOGFILE,
		    O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fprintf(stderr, "apsim: %s: %s\n", p->logfile, strerror(errno));
	return fd;
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
	int fds[2], log = sim_open_log(p);
	pid_t pid;

	if (log < 0)
		return 1;
	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "apsim: pipe: %s\n", strerror(errno));
		close(log);
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
		sim_child_stdio(log);
		_exit(sim_daemon(p, spec, request_ms, fds[1]));
	}
	close(fds[1]);
	close(log);
	pid = sim_wait_ready(fds[0], pid, p);
	close(fds[0]);
	return (int)pid;
}

/* Refuse a running instance and links; clean up after a dead one. */
static int sim_check_root(const struct sim_paths *p)
{
	pid_t pid = sim_lock_holder(p);

	if (pid) {
		fprintf(stderr, "apsim: %s: already running (pid %d)\n", p->root, (int)pid);
		return 1;
	}
	if (sim_check_entry(p, SIM_PIDFILE, S_IFREG) || sim_check_entry(p, SIM_LOGFILE, S_IFREG))
		return 1;
	switch (sim_mounted(p->mnt)) {
	case SIM_MNT_OTHER:
		fprintf(stderr, "apsim: %s is already mounted\n", p->mnt);
		return 1;
	case SIM_MNT_APSIM:
		fprintf(stderr, "apsim: removing the stale apsim mount at %s\n", p->mnt);
		if (sim_unmount(p->mnt)) {
			fprintf(stderr, "apsim: cannot unmount %s\n", p->mnt);
			return 1;
		}
		break;
	case SIM_MNT_NONE:
		break;
	}
	if (sim_check_entry(p, SIM_MNTDIR, S_IFDIR))
		return 1;
	unlinkat(p->rootfd, SIM_PIDFILE, 0);
	if (mkdirat(p->rootfd, SIM_MNTDIR, 0755) && errno != EEXIST) {
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
	if (sim_open_root(o->root, &p) || sim_check_root(&p))
		rc = 1;
	else if (o->foreground)
		rc = sim_daemon(&p, &spec, o->request_ms, -1);
	else
		rc = sim_spawn(&p, &spec, o->request_ms);
	sim_close_root(&p);
	return rc;
}

/* ---- apsim stop ---------------------------------------------------------- */

/* Wait until @pid no longer holds the pid file's lock (it has exited). */
static bool sim_wait_exit(const struct sim_paths *p, pid_t pid, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (sim_lock_holder(p) != pid)
			return true;
		usleep(10000);
	}
	return sim_lock_holder(p) != pid;
}

/*
 * Signal only the process that holds the pid file's lock: a stale pid
 * file names nobody, whatever runs under that pid now.
 */
static int sim_stop_daemon(const struct sim_paths *p, pid_t pid)
{
	if (pid < 0) {
		fprintf(stderr, "apsim: %s: the daemon runs outside this pid namespace\n", p->root);
		return 1;
	}
	kill(pid, SIGTERM);
	if (sim_wait_exit(p, pid, SIM_STOP_TIMEOUT_MS))
		return 0;
	fprintf(stderr, "apsim: pid %d did not stop; killing it\n", (int)pid);
	kill(pid, SIGKILL);
	sim_wait_exit(p, pid, 1000);
	return 1;
}

int sim_stop(const char *root)
{
	struct sim_paths p;
	enum sim_mnt mounted;
	int rc = 0;
	pid_t pid;

	if (sim_open_root(root, &p)) {
		sim_close_root(&p);
		return 1;
	}
	pid = sim_lock_holder(&p);
	if (pid)
		rc = sim_stop_daemon(&p, pid);
	mounted = sim_mounted(p.mnt);
	if (mounted == SIM_MNT_APSIM && sim_unmount(p.mnt)) {
		fprintf(stderr, "apsim: cannot unmount %s\n", p.mnt);
		rc = 1;
	} else if (mounted == SIM_MNT_APSIM && !pid) {
		fprintf(stderr, "apsim: removed the stale mount at %s\n", p.mnt);
	} else if (mounted == SIM_MNT_OTHER) {
		fprintf(stderr, "apsim: %s: the file system on top is not apsim's; leaving it mounted\n",
			p.mnt);
		rc = 1;
	}
	if (!pid && !sim_check_entry(&p, SIM_PIDFILE, S_IFREG))
		unlinkat(p.rootfd, SIM_PIDFILE, 0);
	if (!pid && mounted == SIM_MNT_NONE) {
		fprintf(stderr, "apsim: %s: not running\n", p.root);
		rc = 1;
	}
	sim_close_root(&p);
	return rc ? 1 : 0;
}
