/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_bus_if.h - the seam between the AP bus and an AP device driver.
 *
 * The part of s390's drivers/s390/crypto/ap_bus.h that vfio_ap uses, as two
 * ops tables, so that neither side names the other:
 *
 *  - struct ap_bus_ops: what the bus exports to its drivers (ap_attr_mutex,
 *    ap_apqn_in_matrix_owned_by_def_drv(), and the TAPQ/ZAPQ instructions
 *    the driver issues itself).  kernel/ap_model implements it for the
 *    simulated bus; the s390 build maps it onto the real ap_bus.h.
 *  - struct ap_driver_ops: what the bus calls on a registered driver
 *    (struct ap_driver's probe, remove, in_use, on_config_changed,
 *    on_scan_complete) plus the one queue attribute the driver adds to the
 *    queue devices it owns ("status").  kernel/core implements it.
 *
 * The bus calls probe/remove and the config callbacks with its device/scan
 * lock held, and in_use() with ap_attr_mutex held (docs/locking.md).
 */
#ifndef APVIRT_COMMON_AP_BUS_IF_H
#define APVIRT_COMMON_AP_BUS_IF_H

#include "ap_hw.h"

struct ap_bus_ops {
	/* ap_attr_mutex */
	void (*attr_lock)(void *bus);
	void (*attr_unlock)(void *bus);
	/* ap_apqn_in_matrix_owned_by_def_drv(); caller holds attr lock */
	bool (*owned_by_def_drv)(void *bus, const struct apbm *apm, const struct apbm *aqm);
	/* TAPQ: response code, and the AP type when rc says there is info */
	int (*tapq)(void *bus, unsigned int apid, unsigned int apqi, int *type);
	/*
	 * ZAPQ + verification until final: the final response code.
	 * *verified: the ZAPQ was accepted (00, 02, 05, 0a) and the code is
	 * the verifying TAPQ's; false: the ZAPQ's own refusal.
	 */
	int (*zapq)(void *bus, unsigned int apid, unsigned int apqi, bool *verified);
};

struct ap_driver_ops {
	/* A queue device was bound to the driver.  0 or -errno. */
	int (*probe)(void *drv, unsigned int apid, unsigned int apqi);
	/* A queue device is unbound (unbind, mask change, device removal). */
	void (*remove)(void *drv, unsigned int apid, unsigned int apqi);
	/* in_use(apm, aqm): 0, or -EADDRINUSE (the bus answers -EBUSY). */
	int (*in_use)(void *drv, const struct apbm *apm, const struct apbm *aqm);
	/* The QCI changed: before the bus adds or removes devices. */
	void (*on_config_changed)(void *drv, const struct ap_qci *cur, const struct ap_qci *prev);
	/* The scan that followed a QCI change is complete. */
	void (*on_scan_complete)(void *drv, const struct ap_qci *cur, const struct ap_qci *prev);
	/* The driver's "status" attribute on a queue it owns: chars or -errno. */
	int (*queue_status_show)(void *drv, unsigned int apid, unsigned int apqi, char *buf);
};

#endif /* APVIRT_COMMON_AP_BUS_IF_H */
