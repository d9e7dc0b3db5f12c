// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_model.c - the KVM side of vfio_ap: locks and the CRYCB masks
 * (kvm_arch_crypto_set_masks / kvm_arch_crypto_clear_masks).
 */
#include "kvm_model.h"
#include "lock_ranks.h"

static void kvmm_lock(struct ap_kvm *kvm)
{
	apc_mutex_lock(&kvmm_guest_of(kvm)->lock);
}

static void kvmm_unlock(struct ap_kvm *kvm)
{
	apc_mutex_unlock(&kvmm_guest_of(kvm)->lock);
}

static void kvmm_pqap_hook_lock(struct ap_kvm *kvm)
{
	apc_mutex_lock(&kvmm_guest_of(kvm)->pqap_hook_rwsem);
}

static void kvmm_pqap_hook_unlock(struct ap_kvm *kvm)
{
	apc_mutex_unlock(&kvmm_guest_of(kvm)->pqap_hook_rwsem);
}

static void kvmm_changed(struct kvmm_guest *g)
{
	g->crycb_updates++;
	if (g->changed)
		g->changed(g->env, g);
}

/* Format 0/1 CRYCBs hold IDs 0-63 (adapters) and 0-15 (domains) only. */
static void kvmm_set_masks(struct ap_kvm *kvm, const struct apbm *apm, const struct apbm *aqm,
			   const struct apbm *adm)
{
	struct kvmm_guest *g = kvmm_guest_of(kvm);

	apc_assert_held(&g->lock);
	g->crycb_apm = *apm;
	g->crycb_aqm = *aqm;
	g->crycb_adm = *adm;
	if (!g->crycb_fmt2) {
		apbm_limit(&g->crycb_apm, 63);
		apbm_limit(&g->crycb_aqm, 15);
		apbm_limit(&g->crycb_adm, 15);
	}
	kvmm_changed(g);
}

static void kvmm_clear_masks(struct ap_kvm *kvm)
{
	struct kvmm_guest *g = kvmm_guest_of(kvm);

	apc_assert_held(&g->lock);
	apbm_zero(&g->crycb_apm);
	apbm_zero(&g->crycb_aqm);
	apbm_zero(&g->crycb_adm);
	kvmm_changed(g);
}

static const struct ap_kvm_ops kvmm_ops = {
	.lock = kvmm_lock,
	.unlock = kvmm_unlock,
	.pqap_hook_lock = kvmm_pqap_hook_lock,
	.pqap_hook_unlock = kvmm_pqap_hook_unlock,
	.set_masks = kvmm_set_masks,
	.clear_masks = kvmm_clear_masks,
};

void kvmm_guest_init(struct kvmm_guest *g, bool has_crycb, bool crycb_fmt2,
		     void (*changed)(void *env, struct kvmm_guest *g), void *env)
{
	memset(g, 0, sizeof(*g));
	g->kvm.ops = &kvmm_ops;
	g->kvm.has_crycb = has_crycb;
	apc_mutex_init(&g->lock, APC_RANK_KVM);
	apc_mutex_init(&g->pqap_hook_rwsem, APC_RANK_PQAP_HOOK);
	g->crycb_fmt2 = crycb_fmt2;
	g->changed = changed;
	g->env = env;
}

void kvmm_guest_crycb(struct kvmm_guest *g, struct kvmm_crycb *out)
{
	apc_mutex_lock(&g->lock);
	out->apm = g->crycb_apm;
	out->aqm = g->crycb_aqm;
	out->adm = g->crycb_adm;
	out->updates = g->crycb_updates;
	apc_mutex_unlock(&g->lock);
}

void kvmm_guest_destroy(struct kvmm_guest *g)
{
	apc_mutex_destroy(&g->lock);
	apc_mutex_destroy(&g->pqap_hook_rwsem);
}
