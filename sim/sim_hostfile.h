/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_hostfile.h - the host description file of "apsim start --host FILE"
 * (sim_hostfile.c): text in, struct apb_host_spec out.
 */
#ifndef APVIRT_SIM_SIM_HOSTFILE_H
#define APVIRT_SIM_SIM_HOSTFILE_H

#include <stdio.h>

#include "ap_bus_model.h"

/*
 * Fill @spec from @path (NULL: apb_default_spec()).  On error, @err gets
 * "FILE:LINE: message" and -EINVAL (or -errno for an unreadable file or a
 * failed read).
 */
int sim_hostfile_load(const char *path, struct apb_host_spec *spec, char *err, size_t errlen);
/* The same from an open stream; @name is used in messages ("NAME:LINE: ..."). */
int sim_hostfile_parse(FILE *f, const char *name, struct apb_host_spec *spec, char *err,
		       size_t errlen);

#endif /* APVIRT_SIM_SIM_HOSTFILE_H */
