/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_bus_model.h - a simulated s390 AP bus and the hardware behind it.
 *
 * Used where there is no real AP bus: sim/apsim and (later) kernel/ap_sim
 * on x86.  It follows spec/kernel-abi.md §3 (baseline 6.19+, with the
 * in_use "other dimension" switchable to the <=6.18 rule).
 *
 * Two layers live here:
 *  - the *hardware*: what QCI would report now, adapter types and
 *    functions, card configure state, checkstop, one-shot reset response
 *    codes.  Changed by apb_hw_*(); invisible to the bus until a scan.
 *  - the *bus*: the QCI it last fetched, apmask/aqmask, card and queue
 *    devices, their drivers (cex4queue = DEFAULT, vfio_ap), scans, the
 *    bus attributes.  The vfio_ap engine is attached as an AP driver and
 *    gets probe/remove/in_use/on_config_changed/on_scan_complete calls.
 *
 * Locks (ranks from vfio_ap_core.h): dev_lock (scan mutex + device locks,
 * rank 5) -> ap_attr_mutex (10) -> [vfio_ap locks 20..50] -> hw_lock (70).
 * dev_lock is held while the bus calls the driver's probe/remove and the
 * config callbacks; ap_attr_mutex is never held across device changes.
 */
#ifndef APVIRT_CORE_AP_BUS_MODEL_H
#define APVIRT_CORE_AP_BUS_MODEL_H

#include "vfio_ap_core.h"

#define APB_RANK_DEV	5
#define APB_RANK_HW	70

enum apb_drv { APB_DRV_NONE, APB_DRV_CEX4QUEUE, APB_DRV_VFIO_AP, APB_DRV_CEX4CARD };

/* One adapter of the simulated machine. */
struct apb_adapter_spec {
	u8 raw_type;		/* 0 = no adapter; 10..14 CEX4..CEX8 */
	u32 functions;		/* ap_functions, selects the mode */
};

#define APB_FUNC_ACCEL	0x08000000u	/* accelerator */
#define APB_FUNC_CCA	0x10000000u	/* CCA coprocessor */
#define APB_FUNC_EP11	0x04000000u	/* EP11 coprocessor */
#define APB_FUNC_BASE	0x00e00000u	/* MEX4K, CRT4K, ... */

struct apb_host_spec {
	struct vap_qci qci;			/* initial QCI (APXA, Na, Nd, masks) */
	struct apb_adapter_spec adapter[APBM_BITS];
	struct apbm apmask, aqmask;		/* initial bus masks */
	bool in_use_all_ones;			/* true: >= 6.19 baseline (default) */
};

struct apb_ops {
	/*
	 * One KOBJ_CHANGE uevent on @devpath (e.g. "devices/ap").  @env holds
	 * its variables separated by single spaces, e.g. "CONFIG=0" or
	 * "BINDINGS=complete COMPLETECOUNT=2"; APMASK=/AQMASK= values end
	 * with the newline the kernel puts inside the variable.
	 */
	void (*uevent)(void *host, const char *devpath, const char *env);
	void (*log)(void *host, const char *line);
};

#define APB_OVERRIDE_MAX 64	/* driver_override names, NUL included */

struct apb_queue_dev {
	bool exists;
	enum apb_drv drv;
	bool config;		/* queue "config" as last seen by a scan */
	bool chkstop;
	bool online;		/* zcrypt "online" while bound to cex4queue */
	u64 request_count;
	char driver_override[APB_OVERRIDE_MAX];	/* under attr_lock; "" = none */
};

struct apb_card_dev {
	bool exists;
	u8 raw_type, comp_type;
	u32 functions;
	bool config;		/* card "config" */
	bool chkstop;
	bool online;
	bool bound;		/* to cex4card */
	u64 request_count;
};

struct apb_bus {
	/* hardware, under hw_lock */
	struct apc_mutex hw_lock;
	struct vap_qci hw_qci;
	struct apb_adapter_spec hw_adapter[APBM_BITS];
	bool hw_card_config[APBM_BITS];
	bool hw_chkstop[APBM_BITS];
	short hw_reset_rc[APBM_BITS][APBM_BITS];	/* -1: none injected */

	/* bus state */
	struct apc_mutex dev_lock;
	struct apc_mutex attr_lock;		/* ap_attr_mutex */
	struct vap_qci qci;			/* as fetched by the last scan */
	unsigned int max_adapter_id, max_domain_id;
	struct apbm apmask, aqmask;		/* under attr_lock */
	/* under attr_lock: APQNs with a driver_override, and of those the ones
	 * bound to the DEFAULT driver (ap_owned_by_def_drv() needs both) */
	struct apbm override[APBM_BITS], override_def[APBM_BITS];
	unsigned int nr_overrides;
	/* the 6.19+ baseline: in_use() uses all ones for the other dimension,
	 * and queues have driver_override */
	bool in_use_all_ones;
	int ap_domain;
	int config_time;
	bool poll_thread;
	u64 poll_timeout;
	u64 scans;
	u64 bindings_complete_count;
	bool bindings_complete;			/* last state, for the uevent */
	struct apb_card_dev card[APBM_BITS];
	struct apb_queue_dev queue[APBM_BITS][APBM_BITS];
	struct vap_matrix_dev *vfio;		/* registered vfio_ap driver */

	const struct apb_ops *ops;
	void *host;
};

/* The vap_bus_ops to give vap_matrix_dev_create() together with the bus. */
extern const struct vap_bus_ops apb_vfio_bus_ops;

/* Fill @spec with the default host: CEX8C 0x03-0x06, domains 0-15, APXA
 * Na = Nd = 255, masks all ones. */
void apb_default_spec(struct apb_host_spec *spec);

/* Create the bus and run the initial scan (cex4queue binds what it may). */
struct apb_bus *apb_create(const struct apb_host_spec *spec, const struct apb_ops *ops, void *host);
void apb_destroy(struct apb_bus *bus);

/* The QCI the bus currently holds (vfio_ap's module init copy). */
void apb_get_qci(struct apb_bus *bus, struct vap_qci *out);

/* Register / unregister the vfio_ap AP driver: binds / unbinds queues. */
void apb_register_vfio(struct apb_bus *bus, struct vap_matrix_dev *md);
void apb_unregister_vfio(struct apb_bus *bus);

/* One synchronous bus scan (§3.6). */
void apb_scan(struct apb_bus *bus);

/* ---- hardware changes (take effect at the next scan) ------------------ */
/* Add/remove an ID to/from the machine's configuration (QCI). -ENODEV if
 * the ID is above Na/Nd (or 63/15 without APXA). */
int apb_hw_set_adapter(struct apb_bus *bus, unsigned int apid, bool configured);
int apb_hw_set_domain(struct apb_bus *bus, unsigned int apqi, bool configured);
int apb_hw_set_control_domain(struct apb_bus *bus, unsigned int id, bool configured);
/* Change an adapter's hardware type/functions (0: none). */
int apb_hw_set_adapter_type(struct apb_bus *bus, unsigned int apid, u8 raw_type, u32 functions);
int apb_hw_set_chkstop(struct apb_bus *bus, unsigned int apid, bool chkstop);
/* The response code the next ZAPQ of this APQN ends with (one shot). */
int apb_hw_inject_reset_rc(struct apb_bus *bus, unsigned int apid, unsigned int apqi, u8 rc);

/* ---- driver bind/unbind (/sys/bus/ap/drivers/<drv>/{bind,unbind}) ------ */
/* @drv: APB_DRV_CEX4CARD, APB_DRV_CEX4QUEUE or APB_DRV_VFIO_AP.
 * @name: "XX.YYYY" or "cardXX", a trailing '\n' is tolerated.
 * bind: -ENODEV (no such device, no match, reservation mismatch),
 * -EBUSY (already bound).  unbind: -ENODEV unless bound to @drv. */
long apb_bind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count);
long apb_unbind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count);

/* ---- /sys/bus/ap attributes ------------------------------------------- */
/* Dispatch by attribute name: show returns chars or -ENOENT (no such
 * attribute); store returns count or -errno (-EACCES: read-only). */
int apb_bus_attr_show(struct apb_bus *bus, const char *attr, char *buf);
long apb_bus_attr_store(struct apb_bus *bus, const char *attr, const char *buf, size_t count);
/* NULL-terminated list of bus attribute names and their modes. */
extern const char *const apb_bus_attr_names[];
int apb_bus_attr_mode(const char *attr);

/* Card and queue device attributes (-ENOENT: no such device/attribute). */
int apb_card_attr_show(struct apb_bus *bus, unsigned int apid, const char *attr, char *buf);
long apb_card_attr_store(struct apb_bus *bus, unsigned int apid, const char *attr,
			 const char *buf, size_t count);
int apb_queue_attr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			const char *attr, char *buf);
long apb_queue_attr_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			  const char *attr, const char *buf, size_t count);
/* Attribute names present on a device right now (depend on the driver). */
int apb_card_attr_list(struct apb_bus *bus, unsigned int apid, const char **names, int max);
int apb_queue_attr_list(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			const char **names, int max);
/* File mode of a card / queue attribute: 0444, 0644 or 0200 (0: unknown). */
int apb_card_attr_mode(const char *attr);
int apb_queue_attr_mode(const char *attr);

/* Snapshot queries for hosts (take dev_lock). */
bool apb_card_exists(struct apb_bus *bus, unsigned int apid);
bool apb_card_bound(struct apb_bus *bus, unsigned int apid);	/* to cex4card */
enum apb_drv apb_queue_driver(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			      bool *exists);
const char *apb_drv_name(enum apb_drv drv);

#endif /* APVIRT_CORE_AP_BUS_MODEL_H */
