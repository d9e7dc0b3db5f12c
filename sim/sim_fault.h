/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_fault.h - fault injection (sim_fault.c): "fail PATH ERRNO" makes the
 * next writes of a sysfs path fail.  Paths are stored in canonical form,
 * the tree's fixed symlinks resolved.  The table is under sim->reg_lock.
 */
#ifndef APVIRT_SIM_SIM_FAULT_H
#define APVIRT_SIM_SIM_FAULT_H

#include <stddef.h>

struct sim;

/* Faults waiting at once; one more is refused with ENOSPC. */
#define SIM_FAULTS_MAX	1024

struct sim_fault {
	struct sim_fault *next;
	char *path;			/* canonical, relative to <root>/sys */
	int err;
	unsigned int count;
};

/* Fault injection: -errno to fail this write of @path with, or 0. */
int sim_fault_take(struct sim *s, const char *path);
/* 0, -EINVAL (not a sysfs-shaped path), -ENOSPC (table full) or -ENOMEM. */
int sim_fault_add(struct sim *s, const char *path, int err, unsigned int count);
/* Rewrite a path through the tree's fixed symlinks (bus/mdev/devices/...). */
void sim_canonical_path(const char *in, char *out, size_t size);

#endif /* APVIRT_SIM_SIM_FAULT_H */
