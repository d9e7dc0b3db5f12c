// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_kvm.c - simulated KVM guests: a name, a CRYCB (the KVM model,
 * kernel/ap_model/kvm_model.c) and the counts of the eventfd signals the
 * guest's QEMU would have seen.  The ctl creates a guest at its first
 * "attach --vm NAME" (or "vfio-vm UUID --vm NAME") and frees it at
 * "vm-remove NAME"; vfio_ap holds a reference while an mdev is open for
 * it (include/ap_sim_kvm.h).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "ap_sim.h"

static void ap_sim_kvm_free(struct kref *ref)
{
	struct ap_sim_kvm *kvm = container_of(ref, struct ap_sim_kvm, ref);

	kvmm_guest_destroy(&kvm->guest);
	kfree(kvm);
}

void ap_sim_kvm_get(struct ap_sim_kvm *kvm)
{
	kref_get(&kvm->ref);
}
EXPORT_SYMBOL(ap_sim_kvm_get);

void ap_sim_kvm_put(struct ap_sim_kvm *kvm)
{
	kref_put(&kvm->ref, ap_sim_kvm_free);
}
EXPORT_SYMBOL(ap_sim_kvm_put);

struct ap_kvm *ap_sim_kvm_ap_kvm(struct ap_sim_kvm *kvm)
{
	return &kvm->guest.kvm;
}
EXPORT_SYMBOL(ap_sim_kvm_ap_kvm);

void ap_sim_ap_kvm_put(struct ap_kvm *kvm)
{
	ap_sim_kvm_put(container_of(kvm, struct ap_sim_kvm, guest.kvm));
}
EXPORT_SYMBOL(ap_sim_ap_kvm_put);

void ap_sim_kvm_lock(struct ap_sim_kvm *kvm)
{
	kvm->guest.kvm.ops->lock(&kvm->guest.kvm);
}
EXPORT_SYMBOL(ap_sim_kvm_lock);

void ap_sim_kvm_unlock(struct ap_sim_kvm *kvm)
{
	kvm->guest.kvm.ops->unlock(&kvm->guest.kvm);
}
EXPORT_SYMBOL(ap_sim_kvm_unlock);

void ap_sim_kvm_pqap_hook_lock(struct ap_sim_kvm *kvm)
{
	kvm->guest.kvm.ops->pqap_hook_lock(&kvm->guest.kvm);
}
EXPORT_SYMBOL(ap_sim_kvm_pqap_hook_lock);

void ap_sim_kvm_pqap_hook_unlock(struct ap_sim_kvm *kvm)
{
	kvm->guest.kvm.ops->pqap_hook_unlock(&kvm->guest.kvm);
}
EXPORT_SYMBOL(ap_sim_kvm_pqap_hook_unlock);

bool ap_sim_kvm_has_crycb(struct ap_sim_kvm *kvm)
{
	return kvm->guest.kvm.has_crycb;
}
EXPORT_SYMBOL(ap_sim_kvm_has_crycb);

void **ap_sim_kvm_pqap_hook(struct ap_sim_kvm *kvm)
{
	return &kvm->guest.kvm.pqap_hook;
}
EXPORT_SYMBOL(ap_sim_kvm_pqap_hook);

void ap_sim_kvm_set_masks(struct ap_sim_kvm *kvm, unsigned long *apm, unsigned long *aqm,
			  unsigned long *adm)
{
	struct apbm m, q, d;

	memcpy(&m, apm, sizeof(m));
	memcpy(&q, aqm, sizeof(q));
	memcpy(&d, adm, sizeof(d));
	kvm->guest.kvm.ops->set_masks(&kvm->guest.kvm, &m, &q, &d);
}
EXPORT_SYMBOL(ap_sim_kvm_set_masks);

void ap_sim_kvm_clear_masks(struct ap_sim_kvm *kvm)
{
	kvm->guest.kvm.ops->clear_masks(&kvm->guest.kvm);
}
EXPORT_SYMBOL(ap_sim_kvm_clear_masks);

/* vms_lock held */
static struct ap_sim_kvm *ap_sim_kvm_lookup(const char *name)
{
	struct ap_sim_kvm *kvm;

	list_for_each_entry(kvm, &ap_sim.vms, node)
		if (!strcmp(kvm->name, name))
			return kvm;
	return NULL;
}

struct ap_sim_kvm *ap_sim_kvm_find(const char *name)
{
	struct ap_sim_kvm *kvm;

	spin_lock(&ap_sim.vms_lock);
	kvm = ap_sim_kvm_lookup(name);
	if (kvm)
		kref_get(&kvm->ref);
	spin_unlock(&ap_sim.vms_lock);
	return kvm;
}

/*
 * The guest @name with a reference: found (-EINVAL if its crypto block
 * differs from @has_crycb), or created (-ENOSPC past AP_SIM_VMS_MAX).
 * Called under ctl_mutex, so find-then-create does not race.
 */
int ap_sim_kvm_create(const char *name, bool has_crycb, struct ap_sim_kvm **out, bool *created)
{
	struct ap_sim_kvm *kvm = ap_sim_kvm_find(name);

	*created = false;
	if (kvm) {
		if (kvm->guest.kvm.has_crycb != has_crycb) {
			ap_sim_kvm_put(kvm);
			return -EINVAL;
		}
		*out = kvm;
		return 0;
	}
	if (ap_sim.nvms >= AP_SIM_VMS_MAX)
		return -ENOSPC;
	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL);
	if (!kvm)
		return -ENOMEM;
	kref_init(&kvm->ref);		/* the list's */
	strscpy(kvm->name, name, sizeof(kvm->name));
	/* the simulated machine has APXA and MSAX3: format-2 CRYCBs */
	kvmm_guest_init(&kvm->guest, has_crycb, true, NULL, NULL);
	kref_get(&kvm->ref);		/* the caller's */
	spin_lock(&ap_sim.vms_lock);
	list_add_tail(&kvm->node, &ap_sim.vms);
	ap_sim.nvms++;
	spin_unlock(&ap_sim.vms_lock);
	*out = kvm;
	*created = true;
	return 0;
}

/*
 * Forget guest @name: -ENOENT, or -EBUSY with the UUID of an mdev still
 * open for it in @open_uuid (UUID_STRING_LEN + 1 bytes; "" if none).
 * Under ctl_mutex.
 */
int ap_sim_kvm_remove(const char *name, char *open_uuid)
{
	struct ap_sim_open *o;
	struct ap_sim_kvm *kvm;

	open_uuid[0] = '\0';
	spin_lock(&ap_sim.vms_lock);
	kvm = ap_sim_kvm_lookup(name);
	if (!kvm) {
		spin_unlock(&ap_sim.vms_lock);
		return -ENOENT;
	}
	list_for_each_entry(o, &ap_sim.opens, node) {
		if (o->kvm == kvm) {
			snprintf(open_uuid, UUID_STRING_LEN + 1, "%pUb", &o->uuid);
			spin_unlock(&ap_sim.vms_lock);
			return -EBUSY;
		}
	}
	list_del(&kvm->node);
	ap_sim.nvms--;
	spin_unlock(&ap_sim.vms_lock);
	ap_sim_kvm_put(kvm);
	return 0;
}

/* vms_lock held */
static struct ap_sim_vfio_vm *ap_sim_vfio_vm_lookup(const guid_t *uuid)
{
	struct ap_sim_vfio_vm *v;

	list_for_each_entry(v, &ap_sim.vfio_vms, node)
		if (guid_equal(&v->uuid, uuid))
			return v;
	return NULL;
}

/*
 * A VFIO open of @uuid from now on is a guest of VM @name (which the
 * caller made sure exists); a designation replaces the previous one.
 * Under ctl_mutex.
 */
int ap_sim_vfio_vm_set(const guid_t *uuid, const char *name)
{
	struct ap_sim_vfio_vm *v = kzalloc(sizeof(*v), GFP_KERNEL), *old;

	if (!v)
		return -ENOMEM;
	v->uuid = *uuid;
	strscpy(v->name, name, sizeof(v->name));
	spin_lock(&ap_sim.vms_lock);
	old = ap_sim_vfio_vm_lookup(uuid);
	if (old)
		list_del(&old->node);
	list_add_tail(&v->node, &ap_sim.vfio_vms);
	spin_unlock(&ap_sim.vms_lock);
	kfree(old);
	return 0;
}

/* Forget the designation of @uuid: 0 or -ENOENT.  Under ctl_mutex. */
int ap_sim_vfio_vm_clear(const guid_t *uuid)
{
	struct ap_sim_vfio_vm *v;

	spin_lock(&ap_sim.vms_lock);
	v = ap_sim_vfio_vm_lookup(uuid);
	if (v)
		list_del(&v->node);
	spin_unlock(&ap_sim.vms_lock);
	if (!v)
		return -ENOENT;
	kfree(v);
	return 0;
}

/*
 * The VM designated for a VFIO open of @uuid, with a reference, or NULL
 * (none designated, or its VM was removed since): called from vfio_ap's
 * open_device, so no ctl lock is taken, only the leaf vms_lock.
 */
struct ap_sim_kvm *ap_sim_vfio_vm_get(const guid_t *uuid)
{
	struct ap_sim_vfio_vm *v;
	struct ap_sim_kvm *kvm = NULL;

	spin_lock(&ap_sim.vms_lock);
	v = ap_sim_vfio_vm_lookup(uuid);
	if (v)
		kvm = ap_sim_kvm_lookup(v->name);
	if (kvm)
		kref_get(&kvm->ref);
	spin_unlock(&ap_sim.vms_lock);
	return kvm;
}
EXPORT_SYMBOL(ap_sim_vfio_vm_get);

/* Unload: vfio_ap is gone (it depends on us), so nothing is open. */
void ap_sim_kvm_exit(void)
{
	struct ap_sim_vfio_vm *v, *vn;
	struct ap_sim_open *o, *on;
	struct ap_sim_kvm *kvm, *kn;

	list_for_each_entry_safe(o, on, &ap_sim.opens, node) {
		list_del(&o->node);
		if (o->kvm)
			ap_sim_kvm_put(o->kvm);
		kfree(o);
	}
	list_for_each_entry_safe(v, vn, &ap_sim.vfio_vms, node) {
		list_del(&v->node);
		kfree(v);
	}
	list_for_each_entry_safe(kvm, kn, &ap_sim.vms, node) {
		list_del(&kvm->node);
		ap_sim_kvm_put(kvm);
	}
	ap_sim.nvms = 0;
}
