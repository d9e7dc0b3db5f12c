/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_ap_glue.h - apvirt's vfio_ap module: what its files share.
 *
 * The module is the engine (kernel/core, kernel/common) plus this glue:
 *   vfio_ap_main.c   module init/exit, root device "vfio_ap", the matrix
 *                    device on bus "matrix" bound to driver "vfio_ap",
 *                    the engine's environment (eventfds, kernel log)
 *   vfio_ap_mdev.c   mdev parent and type vfio_ap-passthrough, the per-mdev
 *                    attributes, the VFIO device (open/close, ioctls,
 *                    request, release)
 *   vfio_ap_queue.c  the AP driver (CEX4-CEX8 queues, "status") and the
 *                    engine's struct ap_bus_ops over ap_bus.h/asm/ap.h,
 *                    with the reset verification of docs/kernel-abi.md §4.9
 *   vfio_ap_s390.c   s390 only: the guest as struct kvm (CRYCB masks, the
 *                    PQAP hook, AQIC with GISA and NIB pinning)
 *   vfio_ap_sim.c    x86 only: the guest as kernel/ap_sim's simulated KVM
 *
 * Lock order: docs/locking.md and the top of kernel/core/vfio_ap_core.c
 * (docs/kernel-abi.md §5.1), outermost first:
 *
 *   driver core device locks, mdev core     (callers of probe/remove)
 *   -> ap_perms_mutex / ap_attr_mutex        AP bus (bus_ops->attr_lock)
 *     -> matrix_dev->guests_lock             engine
 *       -> kvm->lock                         guest
 *         -> kvm->arch.crypto.pqap_hook_rwsem  guest (write; KVM: read
 *                                             around the AQIC hook)
 *           -> matrix_dev->mdevs_lock        engine
 *             -> vap_irq_lock                s390 AQIC state (leaf)
 *
 * vap_kvms_lock (the table of guests, vfio_ap_s390.c) is never held while
 * the engine is called: it is a leaf on its own.  vap_kdevs_lock (the list
 * of mdevs, vfio_ap_mdev.c) comes before the engine's locks: ap_sim's
 * attach, detach and irq run under it (after ap_sim's ctl mutex).
 */
#ifndef APVIRT_VFIO_AP_GLUE_H
#define APVIRT_VFIO_AP_GLUE_H

#include <linux/device.h>
#include <linux/vfio.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <asm/ap.h>
#ifdef CONFIG_S390
#include <linux/kvm_host.h>
#endif

#include "vfio_ap_core.h"

#define VAP_DRV_NAME		"vfio_ap"
#define VAP_PROFILE		"fixed"

/* One mdev: its VFIO device and the engine's object. */
struct vap_kdev {
	struct vfio_device vdev;	/* first: vfio_alloc_device() */
	struct vap_mdev *m;
	struct ap_kvm *kvm;		/* guest handle while open, or NULL */
	struct mutex irq_lock;		/* serialises SET_IRQS (trigger puts) */
	void *req_trigger;		/* eventfd references the glue holds */
	void *cfg_trigger;
	struct list_head node;		/* vap_kdevs, under vap_kdevs_lock */
	bool removing;			/* under vap_kdevs_lock: no new attach */
	wait_queue_head_t closed;	/* woken by every detach */
#ifdef CONFIG_S390
	crypto_hook pqap_hook;		/* kvm->arch.crypto.pqap_hook points here */
#endif
};

/* The module's singleton: the matrix device and the engine behind it. */
struct vap_glue {
	struct device *root;
	struct device matrix;		/* "matrix" on bus "matrix" */
	struct mdev_parent parent;
	struct vap_matrix_dev *md;
};

extern struct vap_glue vap_glue;

/* vfio_ap_mdev.c */
int vap_mdev_register(struct vap_glue *g);
void vap_mdev_unregister(struct vap_glue *g);

/*
 * Run @fn on the mdev @uuid with vap_kdevs_lock held (it stays registered
 * meanwhile; @fn may call the engine).  -ENOENT: no such mdev.
 */
int vap_kdev_call(const guid_t *uuid, int (*fn)(struct vap_kdev *kd, void *arg), void *arg);
/* Attach a guest (takes over the reference from vap_arch_kvm_get()). */
int vap_kdev_attach(struct vap_kdev *kd, struct ap_kvm *kvm);
/* Detach whatever guest holds the device open. */
void vap_kdev_detach(struct vap_kdev *kd);

/* vfio_ap_queue.c */
extern const struct ap_bus_ops vap_kbus_ops;
int vap_queue_driver_register(void);
void vap_queue_driver_unregister(void);
void vap_qci_to_engine(const struct ap_config_info *ci, struct ap_qci *q);
/* Host QCI at load: 0, or -ENODEV without AP instructions. */
int vap_read_qci(struct ap_qci *q);

/*
 * vfio_ap_s390.c / vfio_ap_sim.c: the guest behind an open VFIO device.
 * get: the handle for @kd's guest (one per guest, shared by its mdevs), NULL
 * when there is none (-EINVAL from the engine then); put releases it.
 */
struct ap_kvm *vap_arch_kvm_get(struct vap_kdev *kd);
void vap_arch_kvm_put(struct vap_kdev *kd, struct ap_kvm *kvm);
/* Before the engine: set up what the arch needs (the PQAP hook function). */
void vap_arch_kdev_init(struct vap_kdev *kd);
/* A queue's reset ended (rc final): free its interrupt resources (§4.9). */
void vap_arch_queue_reset_done(unsigned int apid, unsigned int apqi, int rc);
/* VFIO dma_unmap: disable interrupts whose NIB lies in the range (§4.11). */
void vap_arch_dma_unmap(struct vap_kdev *kd, u64 iova, u64 length);
/* Facility 12: the machine answers QCI. */
bool vap_arch_has_qci(void);
int vap_arch_init(struct vap_glue *g);
void vap_arch_exit(void);

/*
 * A trigger that is not an eventfd (kernel/ap_sim's guests on x86): the
 * engine holds its address, the arch signals it.
 */
extern char vap_arch_trigger;
void vap_arch_signal(struct vap_kdev *kd, int irq_index);
/* One log line as the kernel printed it (x86: also to ap_sim's log). */
void vap_arch_log(const char *line);
/* Set or clear (NULL) the trigger of @index; the old eventfd is put. */
int vap_kdev_set_trigger(struct vap_kdev *kd, unsigned int index, void *trigger);

/* Bitmaps in the kernel's unsigned long form (set_bit_inv() order). */
void vap_apbm_to_longs(const struct apbm *b, unsigned long *l);
void vap_longs_to_apbm(const unsigned long *l, struct apbm *b);

#endif /* APVIRT_VFIO_AP_GLUE_H */
