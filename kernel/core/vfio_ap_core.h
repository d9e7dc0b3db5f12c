/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_ap_core.h - the vfio_ap dynamic-configuration engine.
 *
 * This is the behaviour of drivers/s390/crypto/vfio_ap_ops.c as specified in
 * docs/kernel-abi.md (baseline: newest upstream), with no OS dependency.
 * Hosts: kernel/vfio_ap (s390 and x86), sim/apsim, tests, benchmarks.
 *
 * The engine sees everything around it through kernel/common seams, as
 * vfio_ap sees the kernel through headers:
 *  - the AP bus through struct ap_bus_ops (ap_bus_if.h), and the bus calls
 *    it back through vap_ap_driver_ops (struct ap_driver);
 *  - a guest through struct ap_kvm (ap_kvm.h: kvm->lock, CRYCB masks);
 *  - the mdev core calls it through vap_mdev_parent_ops (mdev_if.h): the
 *    core parses UUIDs and counts instances, the engine probes and removes;
 *  - eventfds and the kernel log through struct vap_env_ops.
 *
 * Every entry point takes its own locks in the order written at the top of
 * vfio_ap_core.c; hosts must not hold any engine lock when calling in.
 * Every entry point either fully applies or returns -errno with the state
 * unchanged (the kernel's own "roll back the bit" cases included).
 */
#ifndef APVIRT_CORE_VFIO_AP_CORE_H
#define APVIRT_CORE_VFIO_AP_CORE_H

#include "ap_bitmap.h"
#include "ap_text.h"
#include "ap_hw.h"
#include "ap_bus_if.h"
#include "ap_kvm.h"
#include "mdev_if.h"
#include "ap_profile.h"

#define VAP_MAX_INSTANCES	65536	/* MAX_ZDEV_ENTRIES_EXT = 256 x 256 */
#define VAP_NUM_IRQS		2
#define VAP_REQ_IRQ_INDEX	0
#define VAP_CFG_CHG_IRQ_INDEX	1
#define VAP_IRQ_INFO_EVENTFD	(1 << 0)	/* VFIO_IRQ_INFO_EVENTFD */

struct vap_matrix {
	unsigned int apm_max, aqm_max, adm_max;
	struct apbm apm, aqm, adm;
};

struct vap_mdev;

/* One vfio_ap_queue: exists while the queue device is bound to vfio_ap. */
struct vap_queue {
	bool bound;
	u8 reset_rc;			/* reset_status.response_code */
	struct vap_mdev *mdev;		/* in this mdev's qtable (NULL: none) */
};

struct vap_mdev {
	struct vap_mdev *next;		/* mdev_list, newest first (list_add) */
	struct vap_mdev **pprev;	/* the pointer to this one: list_del in O(1) */
	u8 uuid[16];
	char name[APTXT_UUID_LEN + 1];	/* dev_name(): lowercase UUID */
	struct vap_matrix matrix;	/* assigned */
	struct vap_matrix shadow;	/* shadow_apcb: guest_matrix */
	struct ap_kvm *kvm;		/* attached guest or NULL */
	bool open;			/* vfio device open (open_device ran) */
	void *req_trigger;		/* VFIO_AP_REQ_IRQ_INDEX eventfd */
	void *cfg_chg_trigger;		/* VFIO_AP_CFG_CHG_IRQ_INDEX eventfd */
	struct apbm apm_add, aqm_add, adm_add;	/* pending host additions */
	unsigned int nr_linked;		/* queues in qtable */
	/*
	 * qtable as bitmaps: linked[apid] = APQIs of queues linked here.  One
	 * block of APBM_BITS rows (8 KiB), allocated when the first queue is
	 * linked and freed when nr_linked is back to 0 (NULL then), so an
	 * mdev without queues costs only this struct.  Read it through
	 * vap_mdev_linked().
	 */
	struct apbm *linked;
	void *host;			/* the host's object for it (kernel/vfio_ap) */
};

/* The empty row vap_mdev_linked() returns for an mdev without a qtable. */
extern const struct apbm vap_no_links;

/* APQIs of the queues with APID @apid linked to @m (caller holds mdevs_lock). */
static inline const struct apbm *vap_mdev_linked(const struct vap_mdev *m, unsigned int apid)
{
	return m->linked ? &m->linked[apid] : &vap_no_links;
}

enum vap_log_level { VAP_LOG_WARN, VAP_LOG_NOTICE, VAP_LOG_INFO };

/* What vfio_ap needs from its environment besides bus and KVM. */
struct vap_env_ops {
	/* eventfd_signal(trigger) */
	void (*signal)(void *env, struct vap_mdev *mdev, int irq_index, void *trigger);
	/*
	 * One log line.  @mdev != NULL: dev_*() on the mdev, i.e. the line the
	 * kernel prints is "vfio_ap_mdev <mdev->name>: <msg>".
	 */
	void (*log)(void *env, enum vap_log_level level, const struct vap_mdev *mdev,
		    const char *msg);
};

/* The singleton matrix_dev plus the vfio_ap AP driver's queue objects. */
struct vap_matrix_dev {
	struct apc_mutex guests_lock;
	struct apc_mutex mdevs_lock;
	const struct ap_profile *profile;	/* the kernel the engine behaves like */
	struct ap_qci info;		/* matrix_dev->info */
	struct vap_mdev *mdev_list;	/* the instance count is the mdev core's */
	const struct ap_bus_ops *bus_ops;
	void *bus;
	const struct vap_env_ops *env_ops;
	void *env;
	/*
	 * The tables below are separate apc_zalloc() (kvzalloc) blocks, made
	 * by vap_matrix_dev_create() and freed by vap_matrix_dev_destroy():
	 * a kernel must not embed 1 MiB in one kmalloc'ed struct.
	 * queues[apid][apqi]: APBM_BITS x APBM_BITS queue objects (1 MiB).
	 */
	struct vap_queue (*queues)[APBM_BITS];
	/* rc_ok[apid]: APQIs whose last reset rc is 0, 3 or 4 (passable); 8 KiB */
	struct apbm *rc_ok;
	/* scratch[apid]: reset list of a hot unplug (too big for a kernel stack) */
	struct apbm *scratch;
	unsigned long reset_count;	/* ZAPQs issued, for tests */
};

/* ---- life cycle ------------------------------------------------------- */

/*
 * Allocate and initialise the matrix device.  @info is the host QCI at
 * module init (NULL: no facility 12, all zero); @profile the kernel to
 * behave like (NULL: ap_profile_default()).  Returns NULL on -ENOMEM.
 * The host then registers vap_ap_driver_ops with the bus and
 * vap_mdev_parent_ops with the mdev core, @md being their private data.
 */
struct vap_matrix_dev *vap_matrix_dev_create(const struct ap_qci *info,
					     const struct ap_profile *profile,
					     const struct ap_bus_ops *bus_ops, void *bus,
					     const struct vap_env_ops *env_ops, void *env);
/* All mdevs must have been removed. */
void vap_matrix_dev_destroy(struct vap_matrix_dev *md);

/* The AP driver (struct ap_driver) and mdev parent driver callbacks. */
extern const struct ap_driver_ops vap_ap_driver_ops;
extern const struct mdev_parent_ops vap_mdev_parent_ops;

/* ---- mdev life cycle (§2.3), called by the mdev core ------------------- */

/* probe: matrix and shadow empty, maxima from info.  0 or -ENOMEM. */
int vap_mdev_probe(struct vap_matrix_dev *md, const u8 uuid[16], struct vap_mdev **out);
/*
 * remove: reset and unlink every linked queue, free the mdev.  -EBUSY
 * while the vfio device is open (the mdev core first calls
 * vap_mdev_request() until the device is closed).
 */
int vap_mdev_remove(struct vap_matrix_dev *md, struct vap_mdev *mdev);

/* ---- per-mdev attributes (§2.4) --------------------------------------- */
/*
 * Stores return count or -errno, reads the number of characters.
 * assign_adapter / assign_domain:
 *   -EINVAL (parse), -ERANGE (overflow), -ENODEV (ID > max),
 *   -EADDRNOTAVAIL (an APQN of the new matrix is host-reserved),
 *   -EADDRINUSE (an APQN is in another mdev's matrix).
 * unassign_*: -EINVAL, -ERANGE, -ENODEV.
 * assign_control_domain / unassign_control_domain: -EINVAL, -ERANGE, -ENODEV.
 * ap_config: -EINVAL, -EADDRNOTAVAIL, -EADDRINUSE, -ENODEV.
 * assign_adapter, assign_domain and ap_config also -ENOMEM (the mdev's first
 * linked queue needs its qtable), after validation and with nothing changed.
 */
typedef long vap_store_fn(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf,
			  size_t count);
typedef int vap_show_fn(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf);

vap_store_fn vap_assign_adapter_store;
vap_store_fn vap_unassign_adapter_store;
vap_store_fn vap_assign_domain_store;
vap_store_fn vap_unassign_domain_store;
vap_store_fn vap_assign_control_domain_store;
vap_store_fn vap_unassign_control_domain_store;
vap_store_fn vap_ap_config_store;
vap_show_fn vap_ap_config_show;
vap_show_fn vap_matrix_show;
vap_show_fn vap_guest_matrix_show;
vap_show_fn vap_control_domains_show;

/*
 * The per-mdev attribute group (vfio_ap_mdev_attrs[]): one row per file of
 * devices/vfio_ap/matrix/<uuid>/, in name order.  Every host derives its
 * files from it (apsim's tree, the tests, kernel/vfio_ap's DEVICE_ATTRs).
 * is_visible NULL: always present.
 */
struct vap_mdev_attr {
	const char *name;
	unsigned short mode;		/* 0444, 0200 or 0644 */
	vap_show_fn *show;
	vap_store_fn *store;
	bool (*is_visible)(const struct vap_matrix_dev *md);
};

extern const struct vap_mdev_attr vap_mdev_attrs[];
extern const unsigned int vap_nr_mdev_attrs;
/* The row named @name, or NULL. */
const struct vap_mdev_attr *vap_mdev_attr_find(const char *name);
/* The matrix device's "features" (6.12+); false: the kernel has no file. */
bool vap_features_visible(const struct vap_matrix_dev *md);
int vap_features_show(struct vap_matrix_dev *md, char *buf);

/*
 * ---- AP driver callbacks (§3.3, §4.6, §4.7) ----------------------------
 * What vap_ap_driver_ops calls; the bus reaches them only through that
 * table.  Tests may call them directly.
 */

/*
 * Queue bound to vfio_ap.  Return: 0, or -ENOMEM when the owning mdev's
 * qtable could not be allocated; then nothing changed and the queue is not
 * bound (the driver core leaves the device without a driver).
 */
int vap_queue_probe(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi);
/* Queue unbound from vfio_ap (unbind, mask change, device removal). */
void vap_queue_remove(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi);
/*
 * in_use(apm, aqm): 0, or -EADDRINUSE (the bus maps it to -EBUSY).
 * Called with the bus's ap_attr_mutex held.
 */
int vap_resource_in_use(struct vap_matrix_dev *md, const struct apbm *apm, const struct apbm *aqm);
void vap_on_config_changed(struct vap_matrix_dev *md, const struct ap_qci *cur,
			   const struct ap_qci *prev);
void vap_on_scan_complete(struct vap_matrix_dev *md, const struct ap_qci *cur,
			  const struct ap_qci *prev);
/* The queue's "status" attribute: "in use\n", "assigned\n", "unassigned\n". */
int vap_queue_status_show(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi,
			  char *buf);

/* ---- VFIO device (§2.6, §4.8) ----------------------------------------- */

/*
 * open_device: -EINVAL when @kvm is NULL (no KVM), -EPERM when the VM already
 * has a vfio_ap mdev attached, -EBUSY when this device is already open.
 * A VM without CRYCB: 0, not attached.
 */
int vap_mdev_open(struct vap_matrix_dev *md, struct vap_mdev *m, struct ap_kvm *kvm);
/* close_device: zero the CRYCB, reset all linked queues, detach. */
void vap_mdev_close(struct vap_matrix_dev *md, struct vap_mdev *m);
/*
 * .request(count) while a removal waits for the device to be closed; a
 * no-op before 6.5, which has no request callback.
 */
void vap_mdev_request(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int count);
/* VFIO_DEVICE_GET_INFO's num_irqs: 0 before 6.5, 1 before 6.15, then 2. */
unsigned int vap_mdev_num_irqs(const struct vap_matrix_dev *md);
/*
 * VFIO_DEVICE_GET_IRQ_INFO: count 1, flags VAP_IRQ_INFO_EVENTFD; -EINVAL
 * for an index >= num_irqs, -EOPNOTSUPP before 6.5.
 */
int vap_mdev_get_irq_info(const struct vap_matrix_dev *md, unsigned int index,
			  u32 *count, u32 *flags);
/*
 * VFIO_DEVICE_SET_IRQS: trigger NULL clears.  -EINVAL for a bad index (the
 * config-change index exists from 6.15 on), -EOPNOTSUPP for any index
 * before 6.5.
 */
int vap_mdev_set_irq(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int index,
		     void *trigger);
/* VFIO_DEVICE_RESET: 0, or -EIO if any linked queue's reset rc != 0. */
int vap_mdev_reset(struct vap_matrix_dev *md, struct vap_mdev *m);

/*
 * The guest's PQAP(AQIC) for @apid.@apqi, routed by KVM's pqap hook to @m
 * (KVM holds pqap_hook_rwsem for read; §4.11).  Under mdevs_lock: if @m is
 * not attached or the queue is not linked to it, AP_RC_Q_NOT_AVAIL (01);
 * otherwise @aqic(@arg) runs, still under mdevs_lock, and its AP response
 * code is returned.  The interrupt itself (NIB pinning, GISC, the host
 * AQIC) is the host's: only an s390 kernel can do it.
 */
int vap_mdev_aqic(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int apid,
		  unsigned int apqi, int (*aqic)(void *arg), void *arg);

#endif /* APVIRT_CORE_VFIO_AP_CORE_H */
