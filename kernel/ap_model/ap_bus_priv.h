/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_bus_priv.h - the AP bus model's own state, shared by its files only
 * (ap_hw.c, ap_bus.c, ap_bus_attrs.c).  Hosts use ap_bus_model.h.
 */
#ifndef APVIRT_AP_MODEL_AP_BUS_PRIV_H
#define APVIRT_AP_MODEL_AP_BUS_PRIV_H

#include "ap_bus_model.h"
#include "ap_text.h"
#include "lock_ranks.h"

#define APB_UEVENT_MAX 96
/* A show's text into the page @buf, as sysfs_emit() */
#define APB_SHOW(fmt, ...)	snprintf(buf, APC_PAGE_SIZE, fmt, __VA_ARGS__)
#define APB_PATH_MAX 48

struct apb_queue_dev {
	bool exists;
	enum apb_drv drv;
	bool config;		/* queue "config" as last seen by a scan */
	bool chkstop;
	bool online;		/* zcrypt "online" while bound to cex4queue */
	/*
	 * dev_state > AP_DEV_STATE_UNINITIATED: set by a cex4queue probe or
	 * the 6.7+ nudge of a new device, cleared by every unbind
	 */
	bool initiated;
	u64 request_count;
	/* under attr_lock; NULL = none.  Allocated: a name may take a page. */
	char *driver_override;
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

/* The machine as TAPQ sees it; a scan reads it at once (apb_hw_snapshot()). */
struct apb_hw_view {
	struct ap_qci qci;
	struct apb_adapter_spec adapter[APBM_BITS];
	bool config[APBM_BITS];		/* SCLP configure state of the card */
	bool chkstop[APBM_BITS];
};

/* One zcrypt device node (struct zcdn_device); free while name[0] is 0. */
struct apb_zcdn {
	char name[APB_ZCDN_NAME_MAX];
	struct apbm ioctlmask, apmask, aqmask, admask;
};

struct apb_bus {
	/* the machine, under hw_lock */
	struct apc_mutex hw_lock;
	struct apb_hw_view hw;
	struct apb_fw_spec hw_fw[APBM_BITS];
	short hw_reset_rc[APBM_BITS][APBM_BITS];	/* -1: none injected */

	/* bus state */
	struct apc_mutex dev_lock;
	struct apc_mutex attr_lock;		/* ap_attr_mutex */
	struct ap_qci qci;			/* as fetched by the last scan */
	unsigned int max_adapter_id, max_domain_id;
	struct apbm apmask, aqmask;		/* under attr_lock */
	/*
	 * under attr_lock: APQNs with a driver_override, and of those the ones
	 * bound to the DEFAULT driver (ap_owned_by_def_drv() needs both)
	 */
	struct apbm override[APBM_BITS], override_def[APBM_BITS];
	unsigned int nr_overrides;
	const struct ap_profile *profile;	/* the kernel it behaves like */
	int ap_domain;
	int config_time;
	bool poll_thread;
	u64 poll_timeout;
	u64 scans;
	u64 bindings_complete_count;
	bool bindings_armed;			/* !completion_done() (6.10+) */
	struct apb_hw_view scan_view;		/* the scan's machine copy, dev_lock */
	struct apb_card_dev card[APBM_BITS];
	struct apb_queue_dev queue[APBM_BITS][APBM_BITS];
	struct apb_zcdn zcdn[APB_ZCDN_MAX];	/* by minor, under dev_lock */

	/* the registered AP driver (vfio_ap), under dev_lock */
	const struct ap_driver_ops *drv_ops;
	void *drv;

	const struct apb_ops *ops;
	void *env;
};

/* ---- ap_hw.c: the machine ------------------------------------------------ */
void apb_hw_init(struct apb_bus *bus, const struct apb_host_spec *spec);
/* Copy what a scan needs from the machine, under hw_lock. */
void apb_hw_snapshot(struct apb_bus *bus, struct apb_hw_view *view);
/* The response code TAPQ of @apid.@apqi gives in @view. */
int apb_hw_view_rc(const struct apb_hw_view *view, unsigned int apid, unsigned int apqi);
/* The facility bits TAPQ reports for adapter @apid (ap_functions). */
u32 apb_hw_view_fac(const struct apb_hw_view *view, unsigned int apid);
/* SCLP configure/deconfigure of a card. */
void apb_hw_set_card_config(struct apb_bus *bus, unsigned int apid, bool config);
int apb_hw_tapq(void *bus, unsigned int apid, unsigned int apqi, int *type);
int apb_hw_zapq(void *bus, unsigned int apid, unsigned int apqi, bool *verified);
unsigned int apb_max_id(const struct ap_qci *qci, bool adapter);

/* The firmware answers of adapter @apid (hw_lock taken inside). */
void apb_hw_get_fw(struct apb_bus *bus, unsigned int apid, struct apb_fw_spec *out);

/* ---- ap_zcrypt.c: zcrypt's firmware queries and device nodes -------------- */
/* Rows of ap_bus_attrs.c's tables; card and queue ones run under dev_lock. */
typedef int (*apb_show_fn)(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
typedef long (*apb_store_fn)(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			     const char *buf, size_t count);
bool apb_card_is_coproc(struct apb_bus *bus, unsigned int apid, unsigned int apqi);
bool apb_card_is_ep11(struct apb_bus *bus, unsigned int apid, unsigned int apqi);
int apb_card_serialnr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
int apb_card_api_ordinalnr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				char *buf);
int apb_card_fw_version_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			     char *buf);
int apb_card_op_modes_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
bool apb_queue_is_coproc(struct apb_bus *bus, unsigned int apid, unsigned int apqi);
bool apb_queue_is_ep11(struct apb_bus *bus, unsigned int apid, unsigned int apqi);
int apb_queue_mkvps_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
int apb_queue_op_modes_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
long apb_zcdn_create_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   const char *buf, size_t count);
long apb_zcdn_destroy_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			    const char *buf, size_t count);
int apb_zcdn_dev_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
int apb_zcdn_apmask_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
int apb_zcdn_aqmask_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
int apb_zcdn_admask_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
int apb_zcdn_ioctlmask_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			    char *buf);
long apb_zcdn_apmask_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   const char *buf, size_t count);
long apb_zcdn_aqmask_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   const char *buf, size_t count);
long apb_zcdn_admask_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   const char *buf, size_t count);
long apb_zcdn_ioctlmask_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			      const char *buf, size_t count);

/* ---- ap_bus.c: devices, scans, masks ------------------------------------- */
void apb_uevent(struct apb_bus *bus, const char *devpath, const char *vars);
void apb_card_path(unsigned int apid, char *buf, size_t len);
void apb_queue_path(unsigned int apid, unsigned int apqi, char *buf, size_t len);
void apb_config_uevent(struct apb_bus *bus, const char *path, bool config);
/* bound/total queue devices; "complete" once every one has a driver */
void apb_bindings(struct apb_bus *bus, unsigned int *bound, unsigned int *total);
void apb_scan_locked(struct apb_bus *bus);
long apb_mask_store(struct apb_bus *bus, bool adapters, const char *buf, size_t count);
/* kstrndup(): NULL on -ENOMEM. */
char *apb_strndup(const char *s, size_t len);
/* Free a queue's driver_override (attr_lock held or the bus quiescent). */
void apb_free_override(struct apb_bus *bus, unsigned int apid, unsigned int apqi);

#endif /* APVIRT_AP_MODEL_AP_BUS_PRIV_H */
