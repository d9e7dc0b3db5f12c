// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - apv_log_*: every change, one line, to syslog (LOG_AUTHPRIV, so
 * it lands with the audit-relevant messages) and, if apvirt.conf names a
 * log_file, appended there as well:
 *
 *	uid=0 program=apvirt mdev <uuid> set: <before> -> <after>
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "internal.h"

/* "uid=U program=P TEXT" to syslog and the log file. */
static void log_write(const struct apv_ctx *ctx, int priority, const char *text)
{
	const char *file = apv_ctx_log_file(ctx);
	char line[2048];
	int n, fd;

	n = snprintf(line, sizeof(line), "uid=%u program=%s %s", (unsigned int)getuid(),
		     apv_ctx_program(ctx), text);
	if (n < 0)
		return;
	syslog(LOG_AUTHPRIV | priority, "%s", line);
	if (!*file)
		return;
	/* O_APPEND: concurrent writers never interleave within a line. */
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* Best effort: syslog already has the line; a log file is a copy. */
	if (write(fd, line, (size_t)n) != n)
		syslog(LOG_AUTHPRIV | LOG_WARNING, "cannot append to %s", file);
	close(fd);
}

void apv_log_change(const struct apv_ctx *ctx, const char *what, const char *before,
		    const char *after)
{
	char text[2048];

	snprintf(text, sizeof(text), "%s: %s -> %s", what, before, after);
	log_write(ctx, LOG_NOTICE, text);
}

void apv_log_note(const struct apv_ctx *ctx, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_write(ctx, LOG_INFO, text);
}
