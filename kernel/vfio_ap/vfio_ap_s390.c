// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_s390.c - the guest on s390: struct kvm, its CRYCB and PQAP hook.
 *
 * One struct ap_kvm per struct kvm, shared by every mdev the VM opens, so
 * that the engine's "one vfio_ap mdev per VM" rule (-EPERM, §4.8) holds;
 * it keeps a KVM reference while any mdev holds it.  The engine sets the
 * masks with kvm_arch_crypto_set_masks() and the hook through
 * set_pqap_hook(), with kvm->lock and pqap_hook_rwsem held.
 *
 * AQIC (docs/kernel-abi.md §4.11): KVM calls vap_handle_pqap() with
 * pqap_hook_rwsem held for read; the engine checks under mdevs_lock that
 * the queue is linked to the attached mdev, then vap_aqic() pins the
 * guest's NIB page, registers the guest ISC with the GIB and issues the
 * host AQIC with the GISA origin.  The saved NIB and ISC of each queue sit
 * in vap_irqs (vap_irq_lock, a leaf below mdevs_lock) until a reset, a
 * disable or a dma_unmap of the NIB's page frees them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <asm/ap.h>
#include <asm/facility.h>

#include "vfio_ap_glue.h"
#include "ap_bus.h"

#define VAP_AQIC_RETRIES	5
#define VAP_AQIC_WAIT_MS	20
#define VAP_GR1_IR		(1UL << (63 - 16))	/* GR1 bit 16: enable */
#define VAP_GR1_ISC		0x7UL

/* ---- the guest table --------------------------------------------------- */

struct vap_kvm {
	struct ap_kvm ak;
	struct kvm *kvm;
	unsigned int users;		/* open mdevs and attempts (vap_kvms_lock) */
	struct list_head node;
};

static LIST_HEAD(vap_kvms);
static DEFINE_MUTEX(vap_kvms_lock);

static struct kvm *vap_kvm_of(struct ap_kvm *ak)
{
	return container_of(ak, struct vap_kvm, ak)->kvm;
}

static void vap_s390_lock(struct ap_kvm *ak)
{
	mutex_lock(&vap_kvm_of(ak)->lock);
}

static void vap_s390_unlock(struct ap_kvm *ak)
{
	mutex_unlock(&vap_kvm_of(ak)->lock);
}

static void vap_s390_hook_lock(struct ap_kvm *ak)
{
	down_write(&vap_kvm_of(ak)->arch.crypto.pqap_hook_rwsem);
}

static void vap_s390_hook_unlock(struct ap_kvm *ak)
{
	up_write(&vap_kvm_of(ak)->arch.crypto.pqap_hook_rwsem);
}

static void vap_s390_set_masks(struct ap_kvm *ak, const struct apbm *apm,
			       const struct apbm *aqm, const struct apbm *adm)
{
	unsigned long a[APBM_WORDS], q[APBM_WORDS], d[APBM_WORDS];

	vap_apbm_to_longs(apm, a);
	vap_apbm_to_longs(aqm, q);
	vap_apbm_to_longs(adm, d);
	kvm_arch_crypto_set_masks(vap_kvm_of(ak), a, q, d);
}

static void vap_s390_clear_masks(struct ap_kvm *ak)
{
	kvm_arch_crypto_clear_masks(vap_kvm_of(ak));
}

static void vap_s390_set_pqap_hook(struct ap_kvm *ak, void *owner)
{
	struct vap_mdev *m = owner;
	struct vap_kdev *kd = m ? m->host : NULL;

	vap_kvm_of(ak)->arch.crypto.pqap_hook = kd ? &kd->pqap_hook : NULL;
}

static const struct ap_kvm_ops vap_s390_kvm_ops = {
	.lock = vap_s390_lock,
	.unlock = vap_s390_unlock,
	.pqap_hook_lock = vap_s390_hook_lock,
	.pqap_hook_unlock = vap_s390_hook_unlock,
	.set_masks = vap_s390_set_masks,
	.clear_masks = vap_s390_clear_masks,
	.set_pqap_hook = vap_s390_set_pqap_hook,
};

static struct vap_kvm *vap_kvm_find(struct kvm *kvm)
{
	struct vap_kvm *vk;

	list_for_each_entry(vk, &vap_kvms, node)
		if (vk->kvm == kvm)
			return vk;
	return NULL;
}

struct ap_kvm *vap_arch_kvm_get(struct vap_kdev *kd)
{
	struct kvm *kvm = kd->vdev.kvm;
	struct vap_kvm *vk;

	if (!kvm)
		return NULL;
	mutex_lock(&vap_kvms_lock);
	vk = vap_kvm_find(kvm);
	if (!vk) {
		vk = kzalloc(sizeof(*vk), GFP_KERNEL);
		if (vk) {
			vk->ak.ops = &vap_s390_kvm_ops;
			vk->ak.has_crycb = kvm->arch.crypto.crycbd != 0;
			vk->kvm = kvm;
			kvm_get_kvm(kvm);
			list_add(&vk->node, &vap_kvms);
		}
	}
	if (vk)
		vk->users++;
	mutex_unlock(&vap_kvms_lock);
	return vk ? &vk->ak : NULL;
}

void vap_arch_kvm_put(struct vap_kdev *kd, struct ap_kvm *ak)
{
	struct vap_kvm *vk = container_of(ak, struct vap_kvm, ak);
	bool last;

	mutex_lock(&vap_kvms_lock);
	last = !--vk->users;
	if (last)
		list_del(&vk->node);
	mutex_unlock(&vap_kvms_lock);
	if (!last)
		return;
	kvm_put_kvm(vk->kvm);
	kfree(vk);
}

/* ---- interrupt state per queue ------------------------------------------ */

struct vap_irq {
	struct vap_kdev *kd;		/* whose VFIO device pinned the NIB */
	struct kvm *kvm;
	dma_addr_t nib;			/* guest address of the NIB */
	unsigned int gisc;		/* guest ISC, registered with the GIB */
};

static DEFINE_XARRAY(vap_irqs);		/* qid -> struct vap_irq */
static DEFINE_MUTEX(vap_irq_lock);

static void vap_irq_release(struct vap_irq *irq)
{
	kvm_s390_gisc_unregister(irq->kvm, irq->gisc);
	vfio_unpin_pages(&irq->kd->vdev, irq->nib, 1);
	kfree(irq);
}

/* Forget @qid's interrupt resources (the queue no longer interrupts). */
static void vap_irq_free(ap_qid_t qid)
{
	struct vap_irq *irq;

	mutex_lock(&vap_irq_lock);
	irq = xa_erase(&vap_irqs, qid);
	mutex_unlock(&vap_irq_lock);
	if (irq)
		vap_irq_release(irq);
}

void vap_arch_queue_reset_done(unsigned int apid, unsigned int apqi, int rc)
{
	vap_irq_free(AP_MKQID(apid, apqi));
}

/* AQIC off: retried while busy, then wait for the I bit to clear (§4.11). */
static struct ap_queue_status vap_aqic_disable(ap_qid_t qid)
{
	struct ap_qirq_ctrl ctrl = { 0 };
	struct ap_queue_status st;
	int retries;

	for (retries = VAP_AQIC_RETRIES; ; retries--) {
		st = ap_aqic(qid, ctrl, 0);
		if ((st.response_code != AP_RC_RESET_IN_PROGRESS &&
		     st.response_code != AP_RC_BUSY) || !retries)
			break;
		msleep(VAP_AQIC_WAIT_MS);
	}
	for (retries = VAP_AQIC_RETRIES; st.response_code == AP_RC_NORMAL && retries; retries--) {
		struct ap_queue_status t = ap_tapq(qid, NULL);

		if (!t.irq_enabled)
			break;
		msleep(VAP_AQIC_WAIT_MS);
	}
	vap_irq_free(qid);
	return st;
}

/* ---- the PQAP hook --------------------------------------------------------- */

struct vap_aqic_ctx {
	struct kvm_vcpu *vcpu;
	struct vap_kdev *kd;
	ap_qid_t qid;
	struct ap_queue_status status;
};

/* Pin the guest's NIB page: its host physical address, or 0. */
static phys_addr_t vap_pin_nib(struct vap_aqic_ctx *c, dma_addr_t nib)
{
	struct page *page;

	if (!nib || kvm_is_error_hva(gfn_to_hva(c->vcpu->kvm, nib >> PAGE_SHIFT)))
		return 0;
	if (vfio_pin_pages(&c->kd->vdev, nib, 1, IOMMU_READ | IOMMU_WRITE, &page) != 1)
		return 0;
	return page_to_phys(page) | (nib & ~PAGE_MASK);
}

static int vap_aqic_status(struct vap_aqic_ctx *c, unsigned int rc)
{
	c->status.response_code = rc;
	return rc;
}

static int vap_aqic_enable(struct vap_aqic_ctx *c)
{
	struct kvm *kvm = c->vcpu->kvm;
	dma_addr_t nib = c->vcpu->run->s.regs.gprs[2];
	unsigned int gisc = c->vcpu->run->s.regs.gprs[1] & VAP_GR1_ISC;
	struct ap_qirq_ctrl ctrl = { 0 };
	struct vap_irq *irq, *old;
	phys_addr_t h_nib;
	int nisc;

	irq = kzalloc(sizeof(*irq), GFP_KERNEL);
	h_nib = irq ? vap_pin_nib(c, nib) : 0;
	if (!h_nib) {
		kfree(irq);
		return vap_aqic_status(c, AP_RC_INVALID_ADDRESS);
	}
	*irq = (struct vap_irq){ .kd = c->kd, .kvm = kvm, .nib = nib, .gisc = gisc };
	nisc = kvm_s390_gisc_register(kvm, gisc);
	if (nisc < 0) {
		vfio_unpin_pages(&c->kd->vdev, nib, 1);
		kfree(irq);
		return vap_aqic_status(c, AP_RC_INVALID_ADDRESS);
	}
	ctrl.gisc = gisc;
	ctrl.isc = nisc;
	ctrl.ir = 1;
	ctrl.gisa = virt_to_phys(kvm->arch.gisa_int.origin) >> 4;
	c->status = ap_aqic(c->qid, ctrl, h_nib);
	if (c->status.response_code == AP_RC_NORMAL) {
		mutex_lock(&vap_irq_lock);
		old = xa_store(&vap_irqs, c->qid, irq, GFP_KERNEL);
		mutex_unlock(&vap_irq_lock);
		if (!xa_is_err(old)) {
			if (old)
				vap_irq_release(old);
			return AP_RC_NORMAL;
		}
		/* no memory to remember it: the interrupt cannot stay on */
		vap_irq_release(irq);
		c->status = vap_aqic_disable(c->qid);
		return c->status.response_code;
	}
	vap_irq_release(irq);
	if (c->status.response_code != AP_RC_OTHERWISE_CHANGED)
		c->status = vap_aqic_disable(c->qid);
	return c->status.response_code;
}

/* Runs under mdevs_lock, only for a queue linked to the attached mdev. */
static int vap_aqic(void *arg)
{
	struct vap_aqic_ctx *c = arg;

	if (c->vcpu->run->s.regs.gprs[1] & VAP_GR1_IR)
		return vap_aqic_enable(c);
	c->status = vap_aqic_disable(c->qid);
	return c->status.response_code;
}

/* The status goes to the upper half of GR1 (the APQSW). */
static void vap_set_gr1(struct kvm_vcpu *vcpu, struct ap_queue_status st)
{
	union {
		struct ap_queue_status st;
		u32 word;
	} u = { .st = st };

	vcpu->run->s.regs.gprs[1] = (u64)u.word << 32;
}

static int vap_handle_pqap(struct kvm_vcpu *vcpu)
{
	crypto_hook *hook = vcpu->kvm->arch.crypto.pqap_hook;
	struct vap_aqic_ctx c = { .vcpu = vcpu };
	int rc;

	/* without AIV QEMU answers the instruction itself */
	if (!(vcpu->arch.sie_block->eca & ECA_AIV))
		return -EOPNOTSUPP;
	c.qid = vcpu->run->s.regs.gprs[0] & 0xffff;
	c.status.response_code = AP_RC_Q_NOT_AVAIL;
	if (hook) {
		c.kd = container_of(hook, struct vap_kdev, pqap_hook);
		rc = vap_mdev_aqic(vap_glue.md, c.kd->m, AP_QID_CARD(c.qid), AP_QID_QUEUE(c.qid),
				   vap_aqic, &c);
		c.status.response_code = rc;
	}
	vap_set_gr1(vcpu, c.status);
	return 0;
}

static int vap_aqic_off(void *arg)
{
	return vap_aqic_disable(*(ap_qid_t *)arg).response_code;
}

/* The next queue at or after *@qid whose NIB @kd pinned in the range. */
static bool vap_irq_next_in(struct vap_kdev *kd, u64 iova, u64 length, unsigned long *qid)
{
	struct vap_irq *irq;
	bool found = false;

	mutex_lock(&vap_irq_lock);
	xa_for_each_start(&vap_irqs, *qid, irq, *qid) {
		if (irq->kd == kd && irq->nib >= iova && irq->nib - iova < length) {
			found = true;
			break;
		}
	}
	mutex_unlock(&vap_irq_lock);
	return found;
}

/*
 * The guest unmapped memory holding NIBs: their interrupts go off, through
 * the engine so that it runs under mdevs_lock like every AQIC (§4.11).
 */
void vap_arch_dma_unmap(struct vap_kdev *kd, u64 iova, u64 length)
{
	unsigned long qid = 0;
	ap_qid_t q;

	while (vap_irq_next_in(kd, iova, length, &qid)) {
		q = qid;
		if (vap_mdev_aqic(vap_glue.md, kd->m, AP_QID_CARD(q), AP_QID_QUEUE(q),
				  vap_aqic_off, &q) == AP_RC_Q_NOT_AVAIL)
			vap_irq_free(q);	/* no longer linked: just let go */
		qid++;
	}
}

void vap_arch_kdev_init(struct vap_kdev *kd)
{
	kd->pqap_hook = vap_handle_pqap;
}

bool vap_arch_has_qci(void)
{
	return test_facility(12);
}

int vap_arch_init(struct vap_glue *g)
{
	return 0;
}

void vap_arch_exit(void)
{
	WARN_ON_ONCE(!xa_empty(&vap_irqs));
	WARN_ON_ONCE(!list_empty(&vap_kvms));
}

/* Every trigger is an eventfd on s390. */
void vap_arch_signal(struct vap_kdev *kd, int irq_index)
{
	WARN_ON_ONCE(1);
}

void vap_arch_log(const char *line)
{
}
