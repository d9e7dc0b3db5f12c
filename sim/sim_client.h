/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_client.h - "apsim ctl" (sim_client.c): send one command to a running
 * daemon's control file and print the reply.
 */
#ifndef APVIRT_SIM_SIM_CLIENT_H
#define APVIRT_SIM_SIM_CLIENT_H

/* Run the command argv[0..argc-1] against <root>/sys; exit status 0 or 1. */
int sim_ctl_client(const char *root, int argc, char **argv);

#endif /* APVIRT_SIM_SIM_CLIENT_H */
