// SPDX-License-Identifier: GPL-2.0
/*
 * sim_client.c - "apsim ctl": the command words joined into one line, written
 * to <root>/sys/kernel/debug/ap_sim/ctl in one write(2); the reply is read
 * back and printed, or its "error: " line goes to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "sim_buf.h"
#include "sim_client.h"

#define SIM_CTL_PATH		"sys/kernel/debug/ap_sim/ctl"

static int sim_ctl_read_all(int fd, struct sim_buf *out)
{
	char chunk[APC_PAGE_SIZE];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		sim_buf_add(out, chunk, (size_t)n);
	return n < 0 ? -errno : 0;
}

/* The reply's "error: " line, without prefix and newline. */
static const char *sim_ctl_error_text(struct sim_buf *reply)
{
	char *msg = reply->p ? reply->p : (char *)"";
	size_t n;

	if (!strncmp(msg, "error: ", 7))
		msg += 7;
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	return msg;
}

int sim_ctl_client(const char *root, int argc, char **argv)
{
	char path[PATH_MAX + 64];
	struct sim_buf line, reply;
	int fd, i, werr = 0, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", root, SIM_CTL_PATH);
	sim_buf_init(&line);
	sim_buf_init(&reply);
	for (i = 0; i < argc; i++)
		sim_buf_printf(&line, "%s%s", i ? " " : "", argv[i]);
	sim_buf_add(&line, "\n", 1);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "apsim ctl: %s: %s\n", path, strerror(errno));
		sim_buf_free(&line);
		return 1;
	}
	if (write(fd, line.p, line.len) < 0)
		werr = errno;
	if (sim_ctl_read_all(fd, &reply) && !werr)
		werr = errno;
	close(fd);
	if (werr) {
		const char *msg = sim_ctl_error_text(&reply);

		fprintf(stderr, "apsim ctl: %s\n", *msg ? msg : strerror(werr));
		rc = 1;
	} else if (reply.len) {
		fwrite(reply.p, 1, reply.len, stdout);
	}
	sim_buf_free(&line);
	sim_buf_free(&reply);
	return rc;
}
