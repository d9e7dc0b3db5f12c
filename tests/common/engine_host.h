/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine_host.h - what vfio_ap's module init and exit do, for a test or a
 * benchmark that plays the kernel around the engine (eh_*): the AP bus
 * model, the matrix device registered with it as the AP driver, and the
 * mdev core with the matrix device as its parent.  apsim wires the same
 * way in sim/sim_state.c.
 */
#ifndef APVIRT_TESTS_COMMON_ENGINE_HOST_H
#define APVIRT_TESTS_COMMON_ENGINE_HOST_H

#include "vfio_ap_core.h"
#include "ap_bus_model.h"
#include "mdev_core.h"

/*
 * Create the bus from @spec (reporting to @bus_ops/@env), the matrix
 * device with the QCI the bus holds and its profile (reporting to
 * @env_ops/@env), register it, and set up @mdevc.  0, or -ENOMEM with
 * nothing left behind.
 */
int eh_init(const struct apb_host_spec *spec, const struct apb_ops *bus_ops,
	    const struct vap_env_ops *env_ops, void *env, struct apb_bus **bus,
	    struct vap_matrix_dev **md, struct mdevc *mdevc);
/* Close and remove every mdev, unregister the driver, free it all. */
void eh_exit(struct apb_bus *bus, struct vap_matrix_dev *md, struct mdevc *mdevc);

#endif /* APVIRT_TESTS_COMMON_ENGINE_HOST_H */
