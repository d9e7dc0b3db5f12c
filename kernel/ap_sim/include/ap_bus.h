/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_bus.h - the part of s390's drivers/s390/crypto/ap_bus.h (Linux 6.1)
 * that an AP device driver such as vfio_ap uses, for the x86 test kernel.
 *
 * Same names, types and prototypes as on s390, so vfio_ap's glue compiles
 * unchanged on both.  Behind them is kernel/ap_sim (ap_sim.ko): a real
 * bus_type "ap" whose state lives in the AP bus model (kernel/ap_model,
 * docs/kernel-abi.md §3).  What differs from s390 is listed in
 * kernel/ap_sim/INTERFACE.md.
 */
#ifndef APVIRT_AP_SIM_AP_BUS_H
#define APVIRT_AP_SIM_AP_BUS_H

#include <linux/device.h>
#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/mod_devicetable.h>
#include <asm/ap.h>

#define AP_DEVICES 256		/* Number of AP devices. */
#define AP_DOMAINS 256		/* Number of AP domains. */
#define AP_IOCTLS  128		/* Number of ioctls. */

/* APQN (qid) handling */
#define AP_QID_CARD(_qid)	(((_qid) >> 8) & 0xff)
#define AP_QID_QUEUE(_qid)	((_qid) & 0xff)
#define AP_MKQID(_card, _queue)	(((_card) & 0xff) << 8 | ((_queue) & 0xff))

/* AP response codes (docs/kernel-abi.md §1.3) */
#define AP_RESPONSE_NORMAL			0x00
#define AP_RESPONSE_Q_NOT_AVAIL			0x01
#define AP_RESPONSE_RESET_IN_PROGRESS		0x02
#define AP_RESPONSE_DECONFIGURED		0x03
#define AP_RESPONSE_CHECKSTOPPED		0x04
#define AP_RESPONSE_BUSY			0x05
#define AP_RESPONSE_INVALID_ADDRESS		0x06
#define AP_RESPONSE_OTHERWISE_CHANGED		0x07
#define AP_RESPONSE_INVALID_GISA		0x08
#define AP_RESPONSE_STATE_CHANGE_IN_PROGRESS	0x0a
#define AP_RESPONSE_Q_FULL			0x10
#define AP_RESPONSE_NO_PENDING_REPLY		0x10
#define AP_RESPONSE_INDEX_TOO_BIG		0x11
#define AP_RESPONSE_NO_FIRST_PART		0x13
#define AP_RESPONSE_MESSAGE_TOO_BIG		0x15
#define AP_RESPONSE_REQ_FAC_NOT_INST		0x16
#define AP_RESPONSE_ASSOC_SECRET_NOT_UNIQUE	0x35
#define AP_RESPONSE_ASSOC_FAILED		0x36
#define AP_RESPONSE_INVALID_DOMAIN		0x42

/* AP device types */
#define AP_DEVICE_TYPE_CEX4	10
#define AP_DEVICE_TYPE_CEX5	11
#define AP_DEVICE_TYPE_CEX6	12
#define AP_DEVICE_TYPE_CEX7	13
#define AP_DEVICE_TYPE_CEX8	14

/* AP functions, bit numbers of a TAPQ GR2 counted from the left */
#define AP_FUNC_MEX4K	1
#define AP_FUNC_CRT4K	2
#define AP_FUNC_COPRO	3
#define AP_FUNC_ACCEL	4
#define AP_FUNC_EP11	5
#define AP_FUNC_APXA	6

/* struct ap_driver flags */
#define AP_DRIVER_FLAG_DEFAULT	0x0001

struct ap_device {
	struct device device;
	int device_type;		/* AP device type */
};

#define to_ap_dev(x) container_of((x), struct ap_device, device)

struct ap_card {
	struct ap_device ap_dev;
	int raw_hwtype;			/* AP raw hardware type */
	unsigned int functions;		/* TAPQ GR2 upper 32 facility bits */
	int queue_depth;		/* AP queue depth */
	int id;				/* AP card number */
	unsigned int maxmsgsize;	/* AP msg limit for this card */
	bool config;			/* configured state */
	bool chkstop;			/* checkstop state */
	atomic64_t total_request_count;	/* # requests ever for this AP device */
};

#define to_ap_card(x) container_of((x), struct ap_card, ap_dev.device)

struct ap_queue {
	struct ap_device ap_dev;
	struct ap_card *card;		/* Ptr to assoc. AP card */
	spinlock_t lock;		/* Per device lock */
	void *private;			/* ap driver private pointer */
	bool config;			/* configured state */
	bool chkstop;			/* checkstop state */
	ap_qid_t qid;			/* AP queue id */
	bool interrupt;			/* indicate if interrupts are enabled */
};

#define to_ap_queue(x) container_of((x), struct ap_queue, ap_dev.device)

struct ap_driver {
	struct device_driver driver;
	struct ap_device_id *ids;
	unsigned int flags;

	int (*probe)(struct ap_device *ap_dev);
	void (*remove)(struct ap_device *ap_dev);
	int (*in_use)(unsigned long *apm, unsigned long *aqm);
	/*
	 * Called at the start of the ap bus scan function when
	 * the crypto config information (qci) has changed.
	 */
	void (*on_config_changed)(struct ap_config_info *new_config_info,
				  struct ap_config_info *old_config_info);
	/*
	 * Called at the end of the ap bus scan function when
	 * the crypto config information (qci) has changed.
	 */
	void (*on_scan_complete)(struct ap_config_info *new_config_info,
				 struct ap_config_info *old_config_info);
};

#define to_ap_drv(x) container_of((x), struct ap_driver, driver)

int ap_driver_register(struct ap_driver *ap_drv, struct module *owner, char *name);
void ap_driver_unregister(struct ap_driver *ap_drv);

extern struct bus_type ap_bus_type;

/*
 * ap_perms_mutex (6.1; ap_attr_mutex from 6.10): the AP bus model's
 * attribute lock, which guards apmask/aqmask.  It is the model's own
 * mutex, reached through a pointer that ap_sim.ko sets at load.
 */
extern struct mutex *ap_sim_attr_mutex;
#define ap_perms_mutex	(*ap_sim_attr_mutex)
#define ap_attr_mutex	(*ap_sim_attr_mutex)

/* The queue device of @qid with a reference (put_device()), or NULL. */
struct ap_queue *ap_get_qdev(ap_qid_t qid);

/*
 * 1 if APQN card.queue belongs to the default drivers (apmask/aqmask),
 * 0 if not, -EINVAL for a bad ID.  Caller holds ap_perms_mutex.
 */
int ap_owned_by_def_drv(int card, int queue);
/*
 * 1 if any APQN of @apm x @aqm belongs to the default drivers, else 0.
 * Caller holds ap_perms_mutex.
 */
int ap_apqn_in_matrix_owned_by_def_drv(unsigned long *apm, unsigned long *aqm);

/* A synchronous bus scan.  Never call it with a vfio_ap lock held. */
void ap_bus_force_rescan(void);

#endif /* APVIRT_AP_SIM_AP_BUS_H */
