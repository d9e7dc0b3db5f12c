/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_daemon.h - the apsim daemon (sim_daemon.c): "apsim start" (fork,
 * mount, readiness), the worker threads, and "apsim stop".
 */
#ifndef APVIRT_SIM_SIM_DAEMON_H
#define APVIRT_SIM_SIM_DAEMON_H

#include <stdbool.h>

#define APSIM_REQUEST_MS	100	/* default device-request period */

struct sim_start_opts {
	const char *root;
	const char *host_file;
	bool foreground;
	/* the kernel profile; NULL: the host file's, else the default */
	const struct ap_profile *profile;
	unsigned int request_ms;
};

int sim_start(const struct sim_start_opts *o);
int sim_stop(const char *root);

#endif /* APVIRT_SIM_SIM_DAEMON_H */
