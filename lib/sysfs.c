// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - apv_sysfs_*: bounded reads and checked writes of attribute
 * files.
 *
 * A read is one read() (kernfs and apsim run the show method per open; a
 * second read could see a new value).  A write is one write() of value
 * and newline together, and only a full count is success: a store that
 * fails reports its errno through write(), a short count would mean the
 * kernel saw a truncated value.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int apv_sysfs_read(const char *path, char *buf, size_t size, size_t *len, struct apv_error *err)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return -ENOENT;
		return apv_error_set(err, e, "cannot open %s: %s", path, strerror(e));
	}
	n = read(fd, buf, size - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return apv_error_set(err, e, "cannot read %s: %s", path, strerror(e));
	if ((size_t)n == size - 1)
		return apv_error_set(err, EFBIG, "%s: more than %zu bytes", path, size - 2);
	if (memchr(buf, '\0', (size_t)n))
		return apv_error_set(err, EINVAL, "%s: contains a NUL byte", path);
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return 0;
}

int apv_sysfs_read_line(const char *path, char *buf, size_t size, struct apv_error *err)
{
	char *nl;
	int rc;

	rc = apv_sysfs_read(path, buf, size, NULL, err);
	if (rc)
		return rc;
	nl = strchr(buf, '\n');
	if (nl) {
		if (nl[1] != '\0')
			return apv_error_set(err, EINVAL, "%s: more than one line", path);
		*nl = '\0';
	}
	return 0;
}

int apv_sysfs_read_long(const char *path, long min, long max, long *val, struct apv_error *err)
{
	char buf[64], *end;
	long v;

	int rc = apv_sysfs_read_line(path, buf, sizeof(buf), err);

	if (rc)
		return rc;
	errno = 0;
	v = strtol(buf, &end, 0);
	if (errno || end == buf || *end != '\0' || v < min || v > max)
		return apv_error_set(err, EINVAL, "%s: '%s' is not a number from %ld to %ld", path,
				     buf, min, max);
	*val = v;
	return 0;
}

int apv_sysfs_read_mask(const char *path, struct apv_ids *ids, struct apv_error *err)
{
	char buf[128];
	struct apbm m;
	int rc = apv_sysfs_read_line(path, buf, sizeof(buf), err);

	if (rc)
		return rc;
	/* The kernel prints "0x" and 64 digits; anything else is not a mask. */
	if (strncmp(buf, "0x", 2) || strlen(buf) != 66 ||
	    aptxt_parse_hexmask(buf, strlen(buf), &m))
		return apv_error_set(err, EINVAL, "%s: '%.80s' is not a 256-bit mask", path, buf);
	apv_ids_from_apbm(&m, ids);
	return 0;
}

int apv_sysfs_write(const char *path, const char *value, struct apv_error *err)
{
	char buf[APC_PAGE_SIZE];
	ssize_t n;
	int fd, e, len;

	len = snprintf(buf, sizeof(buf), "%s\n", value);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return apv_error_set(err, EINVAL, "%s: value longer than a page", path);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		return apv_error_set(err, e, "cannot open %s for writing: %s", path, strerror(e));
	}
	n = write(fd, buf, (size_t)len);
	e = errno;
	if (close(fd) && n == len) {
		/* A store may report its error at close on some file systems. */
		e = errno;
		n = -1;
	}
	if (n < 0)
		return apv_error_set(err, e, "writing '%s' to %s failed: %s", value, path,
				     strerror(e));
	if (n != len)
		return apv_error_set(err, EIO, "writing '%s' to %s: only %zd of %d bytes taken",
				     value, path, n, len);
	return 0;
}

bool apv_sysfs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int apv_sysfs_link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	buf[0] = '\0';
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	memcpy(buf, base, strlen(base) + 1);
	return 0;
}
