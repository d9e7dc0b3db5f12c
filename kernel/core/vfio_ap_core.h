/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_ap_core.h - the vfio_ap dynamic-configuration engine.
 *
 * This is the behaviour of drivers/s390/crypto/vfio_ap_ops.c as specified in
 * spec/kernel-abi.md (baseline: newest upstream), with no OS dependency.
 * Hosts: kernel/vfio_ap (s390 and x86), sim/apsim, tests, benchmarks.
 *
 * The engine talks to the AP bus only through struct vap_bus_ops (what the
 * real ap_bus exports to vfio_ap) and to KVM/eventfds/logging through
 * struct vap_host_ops.  The AP bus talks to the engine through the driver
 * callbacks vap_queue_probe(), vap_queue_remove(), vap_resource_in_use(),
 * vap_on_config_changed() and vap_on_scan_complete(), exactly as the real
 * bus calls struct ap_driver.
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

#define VAP_MAX_INSTANCES	65536	/* MAX_ZDEV_ENTRIES_EXT = 256 x 256 */
#define VAP_NUM_IRQS		2
#define VAP_REQ_IRQ_INDEX	0
#define VAP_CFG_CHG_IRQ_INDEX	1

/* AP response codes (spec §1.3) */
#define AP_RC_NORMAL		0x00
#define AP_RC_Q_NOT_AVAIL	0x01
#define AP_RC_RESET_IN_PROGRESS	0x02
#define AP_RC_DECONFIGURED	0x03
#define AP_RC_CHECKSTOPPED	0x04
#define AP_RC_BUSY		0x05
#define AP_RC_INVALID_ADDRESS	0x06
#define AP_RC_OTHERWISE_CHANGED	0x07
#define AP_RC_STATE_CHANGE	0x0a
#define AP_RC_ASSOC_NOT_UNIQUE	0x35
#define AP_RC_ASSOC_FAILED	0x36

/* AP device types */
#define AP_TYPE_CEX4	10
#define AP_TYPE_CEX8	14

/* Lock ranks (compat.h checks them in userspace), in acquisition order. */
enum vap_lock_rank {
	VAP_RANK_AP_ATTR = 10,		/* ap_attr_mutex, owned by the AP bus */
	VAP_RANK_GUESTS = 20,		/* matrix_dev->guests_lock */
	VAP_RANK_KVM = 30,		/* kvm->lock */
	VAP_RANK_PQAP_HOOK = 40,	/* kvm->arch.crypto.pqap_hook_rwsem */
	VAP_RANK_MDEVS = 50,		/* matrix_dev->mdevs_lock */
	VAP_RANK_BUS_STATE = 60,	/* simulated bus device state (apb) */
};

/* Host AP configuration: a copy of QCI (struct ap_config_info, §1.1). */
struct vap_qci {
	bool apsc, apxa, qact, rc8a, apsb;
	u8 na, nd;
	struct apbm apm, aqm, adm;
};

static inline bool vap_qci_present(const struct vap_qci *q)
{
	return q->apsc || q->apxa || q->qact || q->rc8a || q->apsb;
}

/* Field by field: struct padding must not make two QCI blocks differ. */
static inline bool vap_qci_equal(const struct vap_qci *a, const struct vap_qci *b)
{
	return a->apsc == b->apsc && a->apxa == b->apxa && a->qact == b->qact &&
	       a->rc8a == b->rc8a && a->apsb == b->apsb && a->na == b->na && a->nd == b->nd &&
	       apbm_equal(&a->apm, &b->apm) && apbm_equal(&a->aqm, &b->aqm) &&
	       apbm_equal(&a->adm, &b->adm);
}

struct vap_matrix {
	unsigned int apm_max, aqm_max, adm_max;
	struct apbm apm, aqm, adm;
};

/*
 * A guest (struct kvm).  The host creates it; the engine programs its CRYCB
 * (kvm_arch_crypto_set_masks) under @lock and then tells the host through
 * vap_host_ops.crycb_changed.
 */
struct vap_kvm {
	struct apc_mutex lock;			/* kvm->lock */
	struct apc_mutex pqap_hook_rwsem;	/* write side only here */
	bool has_crycb;				/* crycbd != 0 */
	bool crycb_fmt2;			/* APXA + MSAX3: 256-bit masks */
	struct vap_mdev *pqap_hook;		/* mdev whose hook is installed */
	/* CRYCB contents as KVM would hold them */
	struct apbm crycb_apm, crycb_aqm, crycb_adm;
	unsigned long crycb_updates;		/* set_masks + clear_masks calls */
	void *host_priv;
};

struct vap_mdev;

/* One vfio_ap_queue: exists while the queue device is bound to vfio_ap. */
struct vap_queue {
	bool bound;
	u8 reset_rc;			/* reset_status.response_code */
	struct vap_mdev *mdev;		/* in this mdev's qtable (NULL: none) */
};

struct vap_mdev {
	struct vap_mdev *next;		/* mdev_list, creation order */
	u8 uuid[16];
	char name[APTXT_UUID_LEN + 1];	/* dev_name(): lowercase UUID */
	struct vap_matrix matrix;	/* assigned */
	struct vap_matrix shadow;	/* shadow_apcb: guest_matrix */
	struct vap_kvm *kvm;		/* attached guest or NULL */
	bool open;			/* vfio device open (open_device ran) */
	void *req_trigger;		/* VFIO_AP_REQ_IRQ_INDEX eventfd */
	void *cfg_chg_trigger;		/* VFIO_AP_CFG_CHG_IRQ_INDEX eventfd */
	struct apbm apm_add, aqm_add, adm_add;	/* pending host additions */
	unsigned int nr_linked;		/* queues in qtable */
	/* qtable as bitmaps: linked[apid] = APQIs of queues linked here */
	struct apbm linked[APBM_BITS];
	void *host_priv;
};

/* What vfio_ap needs from the AP bus (real ap_bus or the apb model). */
struct vap_bus_ops {
	/* ap_attr_mutex */
	void (*attr_lock)(void *bus);
	void (*attr_unlock)(void *bus);
	/* ap_apqn_in_matrix_owned_by_def_drv(); caller holds attr lock */
	bool (*owned_by_def_drv)(void *bus, const struct apbm *apm, const struct apbm *aqm);
	/* TAPQ: response code, and the AP type when rc says there is info */
	int (*tapq)(void *bus, unsigned int apid, unsigned int apqi, int *type);
	/* ZAPQ + verification until final: the final response code */
	int (*zapq)(void *bus, unsigned int apid, unsigned int apqi);
};

enum vap_log_level { VAP_LOG_WARN, VAP_LOG_NOTICE, VAP_LOG_INFO };

/* What vfio_ap needs from KVM, eventfds and the log. */
struct vap_host_ops {
	/*
	 * kvm_arch_crypto_set_masks / clear_masks happen inside the engine on
	 * struct vap_kvm; this notifies the host afterwards (may be NULL).
	 */
	void (*crycb_changed)(void *host, struct vap_kvm *kvm);
	/* eventfd_signal(trigger) */
	void (*signal)(void *host, struct vap_mdev *mdev, int irq_index, void *trigger);
	/*
	 * One log line.  @mdev != NULL: dev_*() on the mdev, i.e. the line the
	 * kernel prints is "vfio_ap_mdev <mdev->name>: <msg>".
	 */
	void (*log)(void *host, enum vap_log_level level, const struct vap_mdev *mdev,
		    const char *msg);
};

/* The singleton matrix_dev plus the vfio_ap AP driver's queue objects. */
struct vap_matrix_dev {
	struct apc_mutex guests_lock;
	struct apc_mutex mdevs_lock;
	struct vap_qci info;		/* matrix_dev->info */
	struct vap_mdev *mdev_list;
	unsigned int nr_mdevs;
	const struct vap_bus_ops *bus_ops;
	void *bus;
	const struct vap_host_ops *host_ops;
	void *host;
	struct vap_queue queues[APBM_BITS][APBM_BITS];
	/* rc_ok[apid]: APQIs whose last reset rc is 0, 3 or 4 (passable) */
	struct apbm rc_ok[APBM_BITS];
	/* reset list of a hot unplug (too big for a kernel stack) */
	struct apbm scratch[APBM_BITS];
	unsigned long reset_count;	/* ZAPQs issued, for tests */
};

/* ---- life cycle ------------------------------------------------------- */

/*
 * Allocate and initialise the matrix device.  @info is the host QCI at
 * module init (NULL: no facility 12, all zero).  Returns NULL on -ENOMEM.
 */
struct vap_matrix_dev *vap_matrix_dev_create(const struct vap_qci *info,
					     const struct vap_bus_ops *bus_ops, void *bus,
					     const struct vap_host_ops *host_ops, void *host);
/* All mdevs must have been removed. */
void vap_matrix_dev_destroy(struct vap_matrix_dev *md);

void vap_kvm_init(struct vap_kvm *kvm, bool has_crycb, bool crycb_fmt2, void *host_priv);
void vap_kvm_destroy(struct vap_kvm *kvm);

/* ---- mdev type and mdev life cycle (§2.3) ----------------------------- */

/* available_instances: "%u\n" */
int vap_available_instances_show(struct vap_matrix_dev *md, char *buf);
/*
 * create: Return: 0 and *out, or -EINVAL (length not 36/37, bad UUID),
 * -EEXIST (UUID in use), -EUSERS (no instances left), -ENOMEM.
 */
int vap_mdev_create(struct vap_matrix_dev *md, const char *buf, size_t count,
		    struct vap_mdev **out);
struct vap_mdev *vap_mdev_find(struct vap_matrix_dev *md, const u8 uuid[16]);
/*
 * remove store: Return: count, or -EINVAL (not a number); 0 is a no-op and
 * returns count; -EBUSY when the vfio device is still open (the kernel
 * host blocks instead: it calls vap_mdev_request() until the device is
 * closed, then calls vap_mdev_remove()).  A second concurrent remover is
 * the host's (mdev core's) business.  On success the mdev is freed.
 */
long vap_mdev_remove_store(struct vap_matrix_dev *md, struct vap_mdev *mdev,
			   const char *buf, size_t count);
/* Unconditional removal once closed (mdev core remove callback). */
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
 */
long vap_assign_adapter_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
long vap_unassign_adapter_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
long vap_assign_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
long vap_unassign_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
long vap_assign_control_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
long vap_unassign_control_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
long vap_ap_config_store(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf, size_t count);
int vap_ap_config_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf);
int vap_matrix_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf);
int vap_guest_matrix_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf);
int vap_control_domains_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf);
/* matrix device "features" */
int vap_features_show(struct vap_matrix_dev *md, char *buf);

/* ---- AP driver callbacks (called by the bus) (§3.3, §4.6, §4.7) ------- */

/* Queue bound to vfio_ap.  Return: 0 (-ENOMEM cannot happen here). */
int vap_queue_probe(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi);
/* Queue unbound from vfio_ap (unbind, mask change, device removal). */
void vap_queue_remove(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi);
/*
 * in_use(apm, aqm): 0, or -EADDRINUSE (the bus maps it to -EBUSY).
 * Called with the bus's ap_attr_mutex held.
 */
int vap_resource_in_use(struct vap_matrix_dev *md, const struct apbm *apm, const struct apbm *aqm);
void vap_on_config_changed(struct vap_matrix_dev *md, const struct vap_qci *cur, const struct vap_qci *prev);
void vap_on_scan_complete(struct vap_matrix_dev *md, const struct vap_qci *cur, const struct vap_qci *prev);
/* The queue's "status" attribute: "in use\n", "assigned\n", "unassigned\n". */
int vap_queue_status_show(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi, char *buf);

/* ---- VFIO device (§2.6, §4.8) ----------------------------------------- */

/*
 * open_device: -EINVAL when @kvm is NULL (no KVM), -EPERM when the VM already
 * has a vfio_ap mdev attached, -EBUSY when this device is already open.
 * A VM without CRYCB: 0, not attached.
 */
int vap_mdev_open(struct vap_matrix_dev *md, struct vap_mdev *m, struct vap_kvm *kvm);
/* close_device: zero the CRYCB, reset all linked queues, detach. */
void vap_mdev_close(struct vap_matrix_dev *md, struct vap_mdev *m);
/* .request(count) while a removal waits for the device to be closed */
void vap_mdev_request(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int count);
/* VFIO_DEVICE_SET_IRQS: trigger NULL clears.  -EINVAL for a bad index. */
int vap_mdev_set_irq(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int index, void *trigger);
/* VFIO_DEVICE_RESET: 0, or -EIO if any linked queue's reset rc != 0. */
int vap_mdev_reset(struct vap_matrix_dev *md, struct vap_mdev *m);

#endif /* APVIRT_CORE_VFIO_AP_CORE_H */
