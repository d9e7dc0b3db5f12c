/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm_model.h - a KVM guest's crypto block, for hosts without KVM on s390.
 *
 * What vfio_ap reaches through struct ap_kvm (kernel/common/ap_kvm.h):
 * kvm->lock, the pqap hook rwsem, and the CRYCB that
 * kvm_arch_crypto_set_masks() programs.  Format 2 CRYCBs (APXA + MSAX3)
 * hold 256-bit masks; format 0/1 keep adapters 0-63 and domains 0-15 only.
 */
#ifndef APVIRT_AP_MODEL_KVM_MODEL_H
#define APVIRT_AP_MODEL_KVM_MODEL_H

#include "ap_kvm.h"

struct kvmm_guest {
	struct ap_kvm kvm;			/* what the engine gets */
	struct apc_mutex lock;			/* kvm->lock */
	struct apc_mutex pqap_hook_rwsem;	/* write side only */
	bool crycb_fmt2;			/* APXA + MSAX3: 256-bit masks */
	/* the CRYCB as KVM holds it, under lock */
	struct apbm crycb_apm, crycb_aqm, crycb_adm;
	unsigned long crycb_updates;		/* set_masks + clear_masks calls */
	/* told after every CRYCB update, under lock (may be NULL) */
	void (*changed)(void *env, struct kvmm_guest *guest);
	void *env;
};

/* @has_crycb false: a guest without crypto (crycbd == 0). */
void kvmm_guest_init(struct kvmm_guest *g, bool has_crycb, bool crycb_fmt2,
		     void (*changed)(void *env, struct kvmm_guest *g), void *env);
void kvmm_guest_destroy(struct kvmm_guest *g);

/* What KVM reads of the guest's CRYCB, under kvm->lock: a consistent copy. */
struct kvmm_crycb {
	struct apbm apm, aqm, adm;
	unsigned long updates;
};

void kvmm_guest_crycb(struct kvmm_guest *g, struct kvmm_crycb *out);

static inline struct kvmm_guest *kvmm_guest_of(struct ap_kvm *kvm)
{
	return (struct kvmm_guest *)((char *)kvm - offsetof(struct kvmm_guest, kvm));
}

#endif /* APVIRT_AP_MODEL_KVM_MODEL_H */
