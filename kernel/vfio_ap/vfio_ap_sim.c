// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_sim.c - the guest on x86: kernel/ap_sim's simulated KVM.
 *
 * x86 has no s390 KVM, so a VFIO open brings no guest by itself (vdev->kvm
 * is NULL and the engine answers -EINVAL, as upstream without KVM) unless
 * ap_sim's ctl "vfio-vm UUID --vm NAME" designated one: the open then
 * gets that simulated VM (ap_sim_vfio_vm_get()), so a userspace client
 * drives the real VFIO ioctls.  Guests also come from ap_sim's control
 * file directly: "attach", "detach" and "irq" call the ops registered
 * here, which do what QEMU's open, close and VFIO_DEVICE_SET_IRQS do on
 * s390 (kernel/ap_sim/INTERFACE.md).  The engine gets ap_sim's struct
 * ap_kvm for the guest, shared by every mdev the guest opens, and holds a
 * guest reference while it is attached.
 *
 * There is no PQAP interception on x86: AQIC is s390 only
 * (vfio_ap_s390.c); the engine's routing (vap_mdev_aqic()) is covered by
 * the unit tests.
 *
 * Lock order: ap_sim's ctl mutex, then vap_kdevs_lock (vap_kdev_call()),
 * then the engine's (vfio_ap_glue.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vfio_ap_glue.h"
#include "ap_sim_kvm.h"

static int vap_sim_do_open(struct vap_kdev *kd, void *arg)
{
	struct ap_sim_kvm *guest = arg;
	struct ap_kvm *kvm;

	if (kd->removing)
		return -ENOENT;		/* on its way out: no new guest */
	if (!guest)
		return vap_kdev_attach(kd, NULL);	/* no KVM: -EINVAL */
	/* the same guest opening it again: nothing to do */
	if (kd->m->open && kd->kvm == ap_sim_kvm_ap_kvm(guest))
		return 0;
	if (kd->m->open)
		return -EBUSY;
	ap_sim_kvm_get(guest);
	kvm = ap_sim_kvm_ap_kvm(guest);
	return vap_kdev_attach(kd, kvm);
}

static int vap_sim_open(const guid_t *uuid, struct ap_sim_kvm *kvm)
{
	return vap_kdev_call(uuid, vap_sim_do_open, kvm);
}

static int vap_sim_do_close(struct vap_kdev *kd, void *arg)
{
	if (!kd->m->open)
		return -EINVAL;
	vap_kdev_detach(kd);
	return 0;
}

static int vap_sim_close(const guid_t *uuid)
{
	return vap_kdev_call(uuid, vap_sim_do_close, NULL);
}

struct vap_sim_irq {
	unsigned int index;
	bool set;
};

static int vap_sim_do_set_irq(struct vap_kdev *kd, void *arg)
{
	struct vap_sim_irq *irq = arg;

	return vap_kdev_set_trigger(kd, irq->index, irq->set ? &vap_arch_trigger : NULL);
}

static int vap_sim_set_irq(const guid_t *uuid, unsigned int index, bool set)
{
	struct vap_sim_irq irq = { .index = index, .set = set };

	return vap_kdev_call(uuid, vap_sim_do_set_irq, &irq);
}

static const struct ap_sim_guest_ops vap_sim_guest_ops = {
	.open = vap_sim_open,
	.close = vap_sim_close,
	.set_irq = vap_sim_set_irq,
};

/* ---- the arch hooks ---------------------------------------------------- */

/* A VFIO open: the VM ap_sim's "vfio-vm" designated, else no KVM. */
struct ap_kvm *vap_arch_kvm_get(struct vap_kdev *kd)
{
	struct ap_sim_kvm *guest;

	guest = ap_sim_vfio_vm_get(&to_mdev_device(kd->vdev.dev)->uuid);
	return guest ? ap_sim_kvm_ap_kvm(guest) : NULL;
}

/*
 * The reference vap_arch_kvm_get() or vap_sim_do_open() took: found from
 * the handle itself, as a VFIO open and a ctl attach may race.
 */
void vap_arch_kvm_put(struct vap_kdev *kd, struct ap_kvm *kvm)
{
	ap_sim_ap_kvm_put(kvm);
}

void vap_arch_kdev_init(struct vap_kdev *kd)
{
}

void vap_arch_queue_reset_done(unsigned int apid, unsigned int apqi, int rc)
{
}

void vap_arch_dma_unmap(struct vap_kdev *kd, u64 iova, u64 length)
{
}

void vap_arch_signal(struct vap_kdev *kd, int irq_index)
{
	ap_sim_guest_signal(&to_mdev_device(kd->vdev.dev)->uuid, irq_index);
}

void vap_arch_log(const char *line)
{
	ap_sim_log(line);
}

bool vap_arch_has_qci(void)
{
	return true;	/* ap_qci() answers whether the simulated machine has QCI */
}

int vap_arch_init(struct vap_glue *g)
{
	return ap_sim_register_guest_ops(&vap_sim_guest_ops);
}

void vap_arch_exit(void)
{
	ap_sim_unregister_guest_ops(&vap_sim_guest_ops);
}
