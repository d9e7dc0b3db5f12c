/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_kvm.h - a KVM guest as vfio_ap sees it: a handle with ops.
 *
 * vfio_ap takes kvm->lock and the pqap hook rwsem of the guest it is
 * attached to, and programs the guest's CRYCB with
 * kvm_arch_crypto_set_masks()/kvm_arch_crypto_clear_masks().  Behind these
 * ops sit the real struct kvm (kernel/vfio_ap) or the KVM model
 * (kernel/ap_model/kvm_model.c: a CRYCB in memory).
 *
 * The engine calls set_masks/clear_masks with lock() held; the masks are
 * 256-bit, the guest's CRYCB format decides how much of them it keeps.
 */
#ifndef APVIRT_COMMON_AP_KVM_H
#define APVIRT_COMMON_AP_KVM_H

#include "ap_bitmap.h"

struct ap_kvm;

struct ap_kvm_ops {
	void (*lock)(struct ap_kvm *kvm);		/* mutex_lock(&kvm->lock) */
	void (*unlock)(struct ap_kvm *kvm);
	void (*pqap_hook_lock)(struct ap_kvm *kvm);	/* down_write(pqap_hook_rwsem) */
	void (*pqap_hook_unlock)(struct ap_kvm *kvm);
	void (*set_masks)(struct ap_kvm *kvm, const struct apbm *apm, const struct apbm *aqm,
			  const struct apbm *adm);
	void (*clear_masks)(struct ap_kvm *kvm);
	/*
	 * Optional: kvm->arch.crypto.pqap_hook = @owner's hook (NULL clears),
	 * called with lock() and pqap_hook_lock() held, right after the
	 * engine set or cleared ap_kvm.pqap_hook.  The s390 module points
	 * KVM's PQAP interception at the mdev here; models leave it NULL.
	 */
	void (*set_pqap_hook)(struct ap_kvm *kvm, void *owner);
};

struct ap_kvm {
	const struct ap_kvm_ops *ops;
	bool has_crycb;			/* kvm->arch.crypto.crycbd != 0 */
	void *pqap_hook;		/* kvm->arch.crypto.pqap_hook: the owning mdev */
};

#endif /* APVIRT_COMMON_AP_KVM_H */
