/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_ctl.h - the command interpreter of the control file
 * kernel/debug/ap_sim/ctl (sim_ctl.c).
 */
#ifndef APVIRT_SIM_SIM_CTL_H
#define APVIRT_SIM_SIM_CTL_H

#include <stddef.h>

struct sim;
struct sim_buf;

/* Run one command line; output (or "error: ...\n") into @out.  0 or -errno. */
int sim_ctl_run(struct sim *s, const char *line, size_t len, struct sim_buf *out);

#endif /* APVIRT_SIM_SIM_CTL_H */
