/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev_if.h - the seam between the mdev core and a parent driver.
 *
 * In Linux the mdev core (drivers/vfio/mdev) owns the "create" and
 * "remove" attributes, parses UUIDs, refuses duplicates (-EEXIST) and
 * counts instances (-EUSERS), and calls the parent driver's probe and
 * remove.  kernel/ap_model/mdev_core.c models that core; kernel/core is
 * the parent driver.
 */
#ifndef APVIRT_COMMON_MDEV_IF_H
#define APVIRT_COMMON_MDEV_IF_H

#include "compat.h"

struct mdev_parent_ops {
	/* A new mdev @uuid: 0 and the driver's object in *drvdata, or -errno. */
	int (*probe)(void *parent, const u8 uuid[16], void **drvdata);
	/*
	 * Remove it.  -EBUSY while its vfio device is open: the core waits for
	 * the close (sending device requests) and calls again.
	 */
	int (*remove)(void *parent, void *drvdata);
};

#endif /* APVIRT_COMMON_MDEV_IF_H */
