/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_sim_kvm.h - what ap_sim.ko offers the x86 build of vfio_ap besides
 * the AP bus: simulated KVM guests with a crypto block (CRYCB), the guest
 * side of the vfio device (attach/detach from the ctl file), and the
 * control file's log.
 *
 * On s390, vfio_ap gets a struct kvm from the vfio device (vdev->kvm) when
 * QEMU opens it, takes kvm->lock and kvm->arch.crypto.pqap_hook_rwsem, and
 * programs the CRYCB with kvm_arch_crypto_set_masks().  x86 has no s390
 * KVM, so ap_sim plays both the guest and KVM:
 *
 *   ctl "attach UUID --vm NAME"  -> ops->open(uuid, kvm)   (QEMU opens the
 *                                   vfio device of a guest with a CRYCB)
 *   ctl "attach UUID --no-kvm"   -> ops->open(uuid, NULL)  (no KVM)
 *   ctl "detach UUID"            -> ops->close(uuid)
 *   ctl "irq UUID INDEX set|clear" -> ops->set_irq(uuid, index, set)
 *
 * A real VFIO open from userspace (a test's QEMU stand-in) has no struct
 * kvm on x86 either: ctl "vfio-vm UUID --vm NAME" designates the guest
 * such an open of UUID gets, which vfio_ap's open_device asks for with
 * ap_sim_vfio_vm_get(); without a designation it gets none (EINVAL).
 *
 * vfio_ap registers its ops at module load (ap_sim is the lower layer) and
 * unregisters them before it unloads; ap_sim calls them without any of its
 * own locks held except the ctl command mutex (docs/locking.md: the ctl
 * mutex comes before every vfio_ap lock).  The kvm functions below are
 * the s390 KVM calls vfio_ap makes, one for one.
 */
#ifndef APVIRT_AP_SIM_KVM_H
#define APVIRT_AP_SIM_KVM_H

#include <linux/types.h>
#include <linux/uuid.h>

struct ap_kvm;
struct ap_sim_kvm;	/* one simulated guest (struct kvm) */

struct ap_sim_guest_ops {
	/*
	 * Open the vfio device of mdev @uuid as QEMU would, for guest @kvm
	 * (NULL: the device is opened without KVM).  0 or -errno: -ENOENT no
	 * such mdev, -EPERM another guest or no CRYCB, ... (docs/kernel-abi.md
	 * §2.6).  Opening an mdev already open for the same guest is 0.
	 */
	int (*open)(const guid_t *uuid, struct ap_sim_kvm *kvm);
	/* Close it (detach): 0, -ENOENT no such mdev, -EINVAL not open. */
	int (*close)(const guid_t *uuid);
	/*
	 * VFIO_DEVICE_SET_IRQS for @index (0 VFIO_AP_REQ_IRQ_INDEX, the
	 * device request; 1 VFIO_AP_CFG_CHG_IRQ_INDEX, the configuration
	 * change): with @set the trigger is ap_sim_guest_signal().  0 or
	 * -errno.
	 */
	int (*set_irq)(const guid_t *uuid, unsigned int index, bool set);
};

/* At most one set of ops; -EBUSY if another is registered. */
int ap_sim_register_guest_ops(const struct ap_sim_guest_ops *ops);
void ap_sim_unregister_guest_ops(const struct ap_sim_guest_ops *ops);

/*
 * The eventfd of irq @index of mdev @uuid was signalled (vfio_ap's
 * eventfd_signal() when the trigger was set through set_irq): ap_sim
 * counts it for the guest the mdev is open for (ctl "crycb").
 */
void ap_sim_guest_signal(const guid_t *uuid, unsigned int index);

/*
 * vfio_ap closed the vfio device of mdev @uuid by itself, not through
 * ops->close (its removal answered the device request by detaching the
 * guest): ap_sim forgets that the ctl had it open and drops its reference
 * to the guest.  Any sleeping context, vfio_ap's locks may be held.
 */
void ap_sim_guest_closed(const guid_t *uuid);

/* ---- the guest's KVM, as s390 vfio_ap uses struct kvm ------------------- */
void ap_sim_kvm_get(struct ap_sim_kvm *kvm);		/* kvm_get_kvm() */
void ap_sim_kvm_put(struct ap_sim_kvm *kvm);		/* kvm_put_kvm() */
void ap_sim_kvm_lock(struct ap_sim_kvm *kvm);		/* mutex_lock(&kvm->lock) */
void ap_sim_kvm_unlock(struct ap_sim_kvm *kvm);
/* down_write/up_write(&kvm->arch.crypto.pqap_hook_rwsem) */
void ap_sim_kvm_pqap_hook_lock(struct ap_sim_kvm *kvm);
void ap_sim_kvm_pqap_hook_unlock(struct ap_sim_kvm *kvm);
/* kvm->arch.crypto.crycbd != 0 */
bool ap_sim_kvm_has_crycb(struct ap_sim_kvm *kvm);
/* kvm->arch.crypto.pqap_hook: vfio_ap stores its hook owner there */
void **ap_sim_kvm_pqap_hook(struct ap_sim_kvm *kvm);
/*
 * kvm_arch_crypto_set_masks(): 256-bit masks, s390 bit order
 * (test_bit_inv); caller holds ap_sim_kvm_lock()
 */
void ap_sim_kvm_set_masks(struct ap_sim_kvm *kvm, unsigned long *apm, unsigned long *aqm,
			  unsigned long *adm);
/* kvm_arch_crypto_clear_masks(); caller holds ap_sim_kvm_lock() */
void ap_sim_kvm_clear_masks(struct ap_sim_kvm *kvm);
/*
 * The same guest as the engine's handle (kernel/common/ap_kvm.h), for a
 * glue that hands it to vap_mdev_open() directly; its ops are the calls
 * above.  Valid while the guest is held (ap_sim_kvm_get()).
 */
struct ap_kvm *ap_sim_kvm_ap_kvm(struct ap_sim_kvm *kvm);
/* ap_sim_kvm_put() of the guest whose handle @kvm is. */
void ap_sim_ap_kvm_put(struct ap_kvm *kvm);

/*
 * The guest designated (ctl "vfio-vm") for a VFIO open of mdev @uuid,
 * with a reference (ap_sim_kvm_put()), or NULL when none is designated or
 * its VM was removed.  Any sleeping context; takes only a leaf lock.
 */
struct ap_sim_kvm *ap_sim_vfio_vm_get(const guid_t *uuid);

/*
 * One line for the ctl "log" (the conformance suite reads the kernel's
 * warnings there): vfio_ap logs each dev_warn()/pr_warn() line here too,
 * formatted as the kernel prints it, e.g. "vfio_ap_mdev <uuid>: <text>".
 * Safe in any sleeping context.
 */
void ap_sim_log(const char *line);

#endif /* APVIRT_AP_SIM_KVM_H */
