/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_sim.h - ap_sim.ko's own state, shared by its files only.
 *
 * ap_sim puts the AP bus model (kernel/ap_model, docs/kernel-abi.md §3)
 * behind a real bus_type "ap": the model decides, the driver core shows.
 * Every card and queue device of the model is a registered struct device
 * (ap_sim_dev.c), bound in the driver core to the driver the model bound
 * it to (cex4card, cex4queue, or the registered AP driver, vfio_ap).  The
 * model tells each change through struct apb_ops.device under its device
 * lock, so sysfs never lags behind the model.
 *
 * Lock order (docs/locking.md): ctl_mutex -> [bus model: dev_lock ->
 * ap_attr_mutex -> vfio_ap's locks -> hw_lock] ; the driver core's device
 * lock nests inside the model's dev_lock (probe/remove), and devs_lock,
 * lines_lock and vms_lock are leaves.
 */
#ifndef APVIRT_AP_SIM_AP_SIM_H
#define APVIRT_AP_SIM_AP_SIM_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>

#include "ap_bus.h"
#include "ap_sim_kvm.h"
#include "ap_bus_model.h"
#include "kvm_model.h"

#define AP_SIM_NAME_MAX		64	/* VM names, as apsim's */
#define AP_SIM_VMS_MAX		1024
#define AP_SIM_LINES_MAX	4096	/* log and uevent lines kept */
#define AP_SIM_LINE_MAX		256

/* A bounded list of text lines (the ctl's "log" and "uevents"). */
struct ap_sim_lines {
	spinlock_t lock;			/* a leaf: lines arrive under the model's locks */
	char (*line)[AP_SIM_LINE_MAX];	/* ring of AP_SIM_LINES_MAX */
	unsigned int first, count;
};

/* A simulated guest (struct kvm with a CRYCB). */
struct ap_sim_kvm {
	struct list_head node;		/* in ap_sim.vms, under vms_lock */
	struct kref ref;
	char name[AP_SIM_NAME_MAX];
	struct kvmm_guest guest;
	void *pqap_hook;
	unsigned long cfg_chg_signals, req_signals;	/* under vms_lock */
};

/*
 * The guest a VFIO open of mdev @uuid from userspace gets (ctl "vfio-vm"),
 * by name: vfio_ap's open looks the VM up then (ap_sim_vfio_vm_get()).
 */
struct ap_sim_vfio_vm {
	struct list_head node;		/* in ap_sim.vfio_vms, under vms_lock */
	guid_t uuid;
	char name[AP_SIM_NAME_MAX];
};

/* An mdev the ctl opened for a guest (attach), until detach. */
struct ap_sim_open {
	struct list_head node;		/* in ap_sim.opens, under vms_lock */
	guid_t uuid;
	struct ap_sim_kvm *kvm;		/* NULL: --no-kvm */
	bool irq[2];
};

struct ap_sim {
	struct apb_bus *bus;
	struct device *root;			/* /sys/devices/ap */

	/* the devices, written under the model's dev_lock and devs_lock */
	spinlock_t devs_lock;
	struct ap_card *card[AP_DEVICES];
	struct ap_queue **queue;		/* [AP_DEVICES * AP_DOMAINS] */

	struct device_driver cex4card, cex4queue;
	struct ap_driver *ap_drv;		/* the registered AP driver */
	struct mutex drv_mutex;			/* ap_driver_(un)register */

	/* ZAPQ's verification code, told by the next TAPQ (-1: none) */
	spinlock_t zapq_lock;
	short *zapq_rc;				/* [AP_DEVICES * AP_DOMAINS] */

	/* guests and the ctl's open mdevs */
	struct mutex ctl_mutex;			/* one ctl command at a time */
	spinlock_t vms_lock;
	struct list_head vms, opens, vfio_vms;
	unsigned int nvms;
	const struct ap_sim_guest_ops *guest_ops;	/* under ctl_mutex */

	struct ap_sim_lines log, uevents;
	struct dentry *debugfs;
};

extern struct ap_sim ap_sim;

static inline unsigned int ap_sim_qidx(unsigned int apid, unsigned int apqi)
{
	return apid * AP_DOMAINS + apqi;
}

/* ap_sim_lines.c */
int ap_sim_lines_init(struct ap_sim_lines *l);
void ap_sim_lines_free(struct ap_sim_lines *l);
void ap_sim_lines_add(struct ap_sim_lines *l, const char *line);
/* Copy every line (each + '\n') into a new kvmalloc'd buffer; *len bytes. */
char *ap_sim_lines_take(struct ap_sim_lines *l, bool clear, size_t *len);

/* ap_sim_dev.c: card and queue devices */
extern const struct apb_ops ap_sim_apb_ops;
int ap_sim_dev_init(void);
void ap_sim_dev_exit(void);
struct ap_queue *ap_sim_queue_get(unsigned int apid, unsigned int apqi);

/* ap_sim_drv.c: the bus type, drivers, the AP driver API */
int ap_sim_drv_init(void);
void ap_sim_drv_exit(void);
int ap_sim_drv_attrs_init(void);
void ap_sim_drv_attrs_exit(void);
/* Bind @dev in the driver core to @drv (NULL: unbind), model dev_lock held. */
void ap_sim_drv_mirror(struct device *dev, struct device_driver *drv);
struct device_driver *ap_sim_drv_of(enum apb_drv drv);
/* struct ap_qci -> s390's QCI block (the masks share struct apbm's layout) */
void ap_sim_qci_to_info(const struct ap_qci *q, struct ap_config_info *info);

/* ap_sim_hw.c */
int ap_sim_hw_init(void);
void ap_sim_hw_exit(void);

/* ap_sim_kvm.c: guests */
int ap_sim_kvm_create(const char *name, bool has_crycb, struct ap_sim_kvm **out, bool *created);
struct ap_sim_kvm *ap_sim_kvm_find(const char *name);	/* with a reference */
int ap_sim_kvm_remove(const char *name, char *open_uuid);
int ap_sim_vfio_vm_set(const guid_t *uuid, const char *name);
int ap_sim_vfio_vm_clear(const guid_t *uuid);
void ap_sim_kvm_exit(void);

/* ap_sim_ctl.c */
int ap_sim_ctl_init(void);
void ap_sim_ctl_exit(void);

#endif /* APVIRT_AP_SIM_AP_SIM_H */
