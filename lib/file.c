// SPDX-License-Identifier: GPL-2.0
/*
 * file.c - apv_file_*: small regular files read whole, and replaced
 * atomically (temp file, fsync, rename, fsync of the directory), so a
 * reader sees the old or the new content and never a mix.
 */
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Read up to @max + 1 bytes (one more than allowed shows "too large"). */
static ssize_t file_read_bounded(int fd, char *buf, size_t max)
{
	size_t got = 0;
	ssize_t n;

	while (got <= max) {
		n = read(fd, buf + got, max + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int apv_file_read(const char *path, size_t max, char **text, size_t *len,
		  struct apv_error *err)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return -ENOENT;
		return apv_error_set(err, e, "cannot open %s: %s", path, strerror(e));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return apv_error_set(err, EINVAL, "%s: not a regular file", path);
	}
	buf = malloc(max + 2);
	if (!buf) {
		close(fd);
		return apv_error_set(err, ENOMEM, "out of memory");
	}
	/* Bounded by @max, not by st_size: the file may grow meanwhile. */
	n = file_read_bounded(fd, buf, max);
	e = errno;
	close(fd);
	if (n < 0 || (size_t)n > max) {
		free(buf);
		if (n < 0)
			return apv_error_set(err, e, "cannot read %s: %s", path, strerror(e));
		return apv_error_set(err, EFBIG, "%s: larger than %zu bytes", path, max);
	}
	buf[n] = '\0';
	*text = buf;
	*len = (size_t)n;
	return 0;
}

static int file_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd, rc = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

static int file_write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int apv_file_replace(const char *path, const char *text, size_t len, mode_t mode,
		     struct apv_error *err)
{
	char tmp[PATH_MAX];
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.apvirt-XXXXXX", path) >= (int)sizeof(tmp))
		return apv_error_set(err, ENAMETOOLONG, "%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return apv_error_set(err, errno, "cannot create a file beside %s: %s", path,
				     strerror(errno));
	rc = file_write_all(fd, text, len);
	if (!rc && fchmod(fd, mode))
		rc = -errno;
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return apv_error_set(err, -rc, "cannot write %s: %s", path, strerror(-rc));
	}
	rc = file_fsync_dir(path);
	if (rc)
		return apv_error_set(err, -rc, "cannot sync the directory of %s: %s", path,
				     strerror(-rc));
	return 0;
}

int apv_file_mkdirs(const char *path, mode_t mode, struct apv_error *err)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return apv_error_set(err, ENAMETOOLONG, "%s: path too long", path);
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return apv_error_set(err, errno, "cannot create %s: %s", buf,
					     strerror(errno));
		buf[i] = path[i];
	}
	return 0;
}
