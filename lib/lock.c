// SPDX-License-Identifier: GPL-2.0
/*
 * lock.c - apv_lock_*: the s390-tools AP configuration lock (see
 * apv_lock.h for the protocol).  Compatible with ap-check, which locks on
 * behalf of mdevctl, and with chzdev: whoever holds the file may change
 * apmask/aqmask and vfio_ap mdevs, everyone else waits.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct apv_lock {
	char path[PATH_MAX];
	pid_t pid;
};

/* PID of the holder: >0, 0 for "none written yet", -ENOENT if unlocked. */
static int lock_read_pid(const char *path, time_t *mtime)
{
	char buf[40];
	struct stat st;
	ssize_t n;
	long pid;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (fstat(fd, &st) == 0)
		*mtime = st.st_mtime;
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid <= INT_MAX ? (int)pid : 0;
}

/*
 * Remove the lock if it is stale: its PID is gone, or no PID has shown
 * up for APV_LOCK_PID_WAIT seconds.  Returns the live holder's PID, 0
 * when the lock may be tried again at once.  Caller holds the breaker.
 */
static pid_t lock_break_stale(const char *path)
{
	time_t mtime = 0;
	int pid = lock_read_pid(path, &mtime);

	if (pid < 0)
		return 0;
	if (pid > 0) {
		if (kill(pid, 0) == 0 || errno == EPERM)
			return pid;
		unlink(path);	/* ESRCH: the holder died */
		return 0;
	}
	if (time(NULL) > mtime + APV_LOCK_PID_WAIT) {
		unlink(path);
		return 0;
	}
	return -1;	/* just being created: wait */
}

/*
 * Reading a stale lock and unlinking it must be one step: two waiters
 * that both saw the dead holder would otherwise both unlink, and the
 * second unlink would remove the lock the first one had just taken, so
 * both would "hold" it.  Breakers serialise on flock(2) of a side file;
 * the lock itself stays the s390-tools PID file.
 */
static pid_t lock_check_stale(const char *path)
{
	char brk[PATH_MAX];
	pid_t holder;
	int fd;

	if (snprintf(brk, sizeof(brk), "%s.break", path) >= (int)sizeof(brk))
		return -1;
	fd = open(brk, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;	/* cannot break it now: wait and retry */
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	holder = lock_break_stale(path);
	close(fd);		/* drops the flock */
	return holder;
}

static int lock_make_temp(const char *path, pid_t pid, char *tmp, size_t size,
			  struct apv_error *err)
{
	char buf[32];
	int fd, len;
	ssize_t n;

	len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (snprintf(tmp, size, "%s%05d%02x", path, (int)getpid(),
		     (unsigned int)time(NULL) & 255) >= (int)size)
		return apv_error_set(err, ENAMETOOLONG, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return apv_error_set(err, errno, "cannot create %s: %s", tmp, strerror(errno));
	n = write(fd, buf, (size_t)len);
	if (close(fd) || n != len) {
		unlink(tmp);
		return apv_error_set(err, EIO, "cannot write %s", tmp);
	}
	return 0;
}

/* "1234 (ap-check)" for the message that names the holder. */
static void lock_describe(pid_t pid, char *buf, size_t size)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	if (comm[0])
		snprintf(buf, size, "%d (%s)", (int)pid, comm);
	else
		snprintf(buf, size, "%d", (int)pid);
}

static long lock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * link() until it works (0), the lock turns out to name @owner already
 * (1: a pre callout of the same mdevctl took it), it is stale, or the
 * deadline passes.
 */
static int lock_link(const char *tmp, const char *path, pid_t owner, unsigned int timeout,
		     struct apv_error *err)
{
	long deadline = lock_now_ms() + (long)timeout * 1000L;
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)lock_now_ms();
	pid_t holder = 0;
	char who[64];

	for (;;) {
		if (link(tmp, path) == 0)
			return 0;
		if (errno != EEXIST)
			return apv_error_set(err, errno, "cannot create %s: %s", path, strerror(errno));
		holder = lock_check_stale(path);
		if (holder == owner)
			return 1;
		if (lock_now_ms() >= deadline)
			break;
		/* 30..62 ms, randomised like s390-tools so waiters spread out. */
		if (holder != 0)
			usleep((useconds_t)(30000 + rand_r(&seed) % 32768));
	}
	if (holder > 0) {
		lock_describe(holder, who, sizeof(who));
		return apv_error_set(err, EBUSY, "%s is held by pid %s; gave up after %u s (is mdevctl, ap-check or chzdev running?)",
				     path, who, timeout);
	}
	return apv_error_set(err, EBUSY, "%s is being created by another process; gave up after %u s",
			     path, timeout);
}

static int lock_path(const struct apv_ctx *ctx, char *dir, char *path, struct apv_error *err)
{
	if (apv_path_run(ctx, dir, PATH_MAX, "lock") < 0 ||
	    apv_path_run(ctx, path, PATH_MAX, "lock/" APV_LOCK_NAME) < 0)
		return apv_error_set(err, ENAMETOOLONG, "lock path too long");
	return 0;
}

int apv_lock_acquire_for(const struct apv_ctx *ctx, pid_t owner, struct apv_lock **out,
			 struct apv_error *err)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	struct apv_lock *lock;
	int rc;

	if (owner <= 0)
		return apv_error_set(err, EINVAL, "no process %d to lock for", (int)owner);
	lock = calloc(1, sizeof(*lock));
	if (!lock)
		return apv_error_set(err, ENOMEM, "out of memory");
	lock->pid = owner;
	rc = lock_path(ctx, dir, lock->path, err);
	if (!rc)
		rc = apv_file_mkdirs(dir, 0755, err);
	if (!rc)
		rc = lock_make_temp(lock->path, lock->pid, tmp, sizeof(tmp), err);
	if (rc) {
		free(lock);
		return rc;
	}
	rc = lock_link(tmp, lock->path, owner, apv_ctx_lock_timeout(ctx), err);
	unlink(tmp);
	if (rc < 0) {
		free(lock);
		return rc;
	}
	*out = lock;
	return rc;
}

int apv_lock_acquire(const struct apv_ctx *ctx, struct apv_lock **out, struct apv_error *err)
{
	int rc = apv_lock_acquire_for(ctx, getpid(), out, err);

	return rc < 0 ? rc : 0;
}

void apv_lock_keep(struct apv_lock *lock)
{
	free(lock);
}

int apv_lock_release_for(const struct apv_ctx *ctx, pid_t owner)
{
	char dir[PATH_MAX], path[PATH_MAX];
	time_t mtime;

	if (owner <= 0 || lock_path(ctx, dir, path, NULL))
		return 0;
	if (lock_read_pid(path, &mtime) != owner)
		return 0;
	return unlink(path) == 0;
}

void apv_lock_release(struct apv_lock *lock)
{
	time_t mtime;

	if (!lock)
		return;
	/* Only our own lock: a stale-lock breaker may have taken it over. */
	if (lock_read_pid(lock->path, &mtime) == lock->pid)
		unlink(lock->path);
	free(lock);
}
