// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_queue.c - the AP driver "vfio_ap" and the engine's view of the bus.
 *
 * Written against s390's drivers/s390/crypto/ap_bus.h and asm/ap.h; on x86
 * kernel/ap_sim provides the same names (kernel/vfio_ap/INTERFACE.md).
 * The driver takes CEX4 to CEX8 queue devices (docs/kernel-abi.md §3.3) and
 * adds the "status" attribute to those it owns (§2.5).
 *
 * Resets (§4.9): ZAPQ, then for rc 00, 02, 05 or 0a a TAPQ every 20 ms
 * until the queue leaves the reset, ZAPQ again when the stored ZAPQ code or
 * the TAPQ's says so.  The engine asks for one queue at a time and gets
 * the final code; it prints the WARNs of §4.9 itself.
 *
 * Lock order: vfio_ap_glue.h.  The bus calls probe/remove and the config
 * callbacks with its device/scan lock held, in_use() with ap_perms_mutex
 * held; bus_ops->attr_lock() takes ap_perms_mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <asm/ap.h>

#include "vfio_ap_glue.h"
#include "ap_bus.h"

#define VAP_RESET_POLL_MS	20
#define VAP_RESET_WAIT_MAX_MS	10000	/* then the busy code stays: filtered */
#define VAP_TAPQ_T_BIT		BIT(23)	/* TAPQ with the extended info */

/* ---- bitmaps --------------------------------------------------------- */

/*
 * The kernel's AP masks are unsigned long arrays addressed with
 * set_bit_inv(): ID n is bit 63 - n % 64 of long n / 64, which is exactly
 * an apbm word.
 */
void vap_apbm_to_longs(const struct apbm *b, unsigned long *l)
{
	unsigned int i;

	BUILD_BUG_ON(BITS_PER_LONG != 64);
	for (i = 0; i < APBM_WORDS; i++)
		l[i] = b->w[i];
}

void vap_longs_to_apbm(const unsigned long *l, struct apbm *b)
{
	unsigned int i;

	for (i = 0; i < APBM_WORDS; i++)
		b->w[i] = l[i];
}

/* QCI's masks are read as unsigned longs with test_bit_inv(), as the bus does. */
static void vap_qci_mask(const unsigned int *u, struct apbm *b)
{
	vap_longs_to_apbm((const unsigned long *)u, b);
}

void vap_qci_to_engine(const struct ap_config_info *ci, struct ap_qci *q)
{
	memset(q, 0, sizeof(*q));
	q->apsc = ci->apsc;
	q->apxa = ci->apxa;
	q->qact = ci->qact;
	q->rc8a = ci->rc8a;
	q->na = ci->Na;
	q->nd = ci->Nd;
	vap_qci_mask(ci->apm, &q->apm);
	vap_qci_mask(ci->aqm, &q->aqm);
	vap_qci_mask(ci->adm, &q->adm);
}

int vap_read_qci(struct ap_qci *q)
{
	struct ap_config_info *ci;

	memset(q, 0, sizeof(*q));
	if (!ap_instructions_available())
		return -ENODEV;
	if (!vap_arch_has_qci())
		return 0;	/* no facility 12: all zero (§1.1) */
	ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	if (!ci)
		return -ENOMEM;
	if (!ap_qci(ci))
		vap_qci_to_engine(ci, q);
	kfree(ci);
	return 0;
}

/* ---- struct ap_bus_ops over ap_bus.h --------------------------------- */

static void vap_kbus_attr_lock(void *bus)
{
	mutex_lock(&ap_perms_mutex);
}

static void vap_kbus_attr_unlock(void *bus)
{
	mutex_unlock(&ap_perms_mutex);
}

static bool vap_kbus_owned_by_def_drv(void *bus, const struct apbm *apm, const struct apbm *aqm)
{
	unsigned long a[APBM_WORDS], q[APBM_WORDS];

	vap_apbm_to_longs(apm, a);
	vap_apbm_to_longs(aqm, q);
	return ap_apqn_in_matrix_owned_by_def_drv(a, q);
}

/* The codes after which TAPQ's GR2 holds the queue's info. */
static bool vap_tapq_has_info(int rc)
{
	return rc == AP_RC_NORMAL || rc == AP_RC_RESET_IN_PROGRESS ||
	       rc == AP_RC_DECONFIGURED || rc == AP_RC_CHECKSTOPPED ||
	       rc == AP_RC_BUSY;
}

static int vap_kbus_tapq(void *bus, unsigned int apid, unsigned int apqi, int *type)
{
	unsigned long info = 0;
	struct ap_queue_status st = ap_tapq(AP_MKQID(apid, apqi) | VAP_TAPQ_T_BIT, &info);

	if (vap_tapq_has_info(st.response_code))
		*type = (info >> 24) & 0xff;
	return st.response_code;
}

static bool vap_zapq_again(int stored, int tapq_rc)
{
	return stored == AP_RC_RESET_IN_PROGRESS || stored == AP_RC_BUSY ||
	       stored == AP_RC_STATE_CHANGE ||
	       tapq_rc == AP_RC_ASSOC_NOT_UNIQUE ||
	       tapq_rc == AP_RC_ASSOC_FAILED;
}

/*
 * §4.9's verification loop: TAPQ every 20 ms.  Busy: keep waiting (with
 * the rate-limited notice, no newline as upstream).  Settled: ZAPQ again
 * if the stored ZAPQ code or the TAPQ's asks for it, else done.  Any
 * other code ends the loop; the engine WARNs about it.
 */
static int vap_verify_reset(ap_qid_t qid, int stored)
{
	struct ap_queue_status st;
	int waited;

	for (waited = VAP_RESET_POLL_MS; ; waited += VAP_RESET_POLL_MS) {
		msleep(VAP_RESET_POLL_MS);
		st = ap_tapq(qid, NULL);
		switch (st.response_code) {
		case AP_RC_RESET_IN_PROGRESS:
		case AP_RC_BUSY:
			pr_notice_ratelimited("Waited %dms for reset of queue %02x.%04x (%u, %u, %u)",
					      waited, AP_QID_CARD(qid), AP_QID_QUEUE(qid),
					      st.response_code, st.queue_empty, st.irq_enabled);
			if (waited >= VAP_RESET_WAIT_MAX_MS)
				return st.response_code;
			break;
		case AP_RC_NORMAL:
		case AP_RC_DECONFIGURED:
		case AP_RC_CHECKSTOPPED:
		case AP_RC_ASSOC_NOT_UNIQUE:
		case AP_RC_ASSOC_FAILED:
			if (!vap_zapq_again(stored, st.response_code))
				return st.response_code;
			stored = ap_zapq(qid).response_code;
			break;
		default:
			return st.response_code;
		}
	}
}

static int vap_kbus_zapq(void *bus, unsigned int apid, unsigned int apqi, bool *verified)
{
	ap_qid_t qid = AP_MKQID(apid, apqi);
	int rc = ap_zapq(qid).response_code;

	*verified = false;
	switch (rc) {
	case AP_RC_NORMAL:
	case AP_RC_RESET_IN_PROGRESS:
	case AP_RC_BUSY:
	case AP_RC_STATE_CHANGE:
		*verified = true;
		rc = vap_verify_reset(qid, rc);
		break;
	case AP_RC_DECONFIGURED:
	case AP_RC_CHECKSTOPPED:
		break;
	default:
		return rc;	/* refused: the interrupt state is unchanged */
	}
	if (rc == AP_RC_NORMAL || rc == AP_RC_DECONFIGURED ||
	    rc == AP_RC_CHECKSTOPPED)
		vap_arch_queue_reset_done(apid, apqi, rc);
	return rc;
}

const struct ap_bus_ops vap_kbus_ops = {
	.attr_lock = vap_kbus_attr_lock,
	.attr_unlock = vap_kbus_attr_unlock,
	.owned_by_def_drv = vap_kbus_owned_by_def_drv,
	.tapq = vap_kbus_tapq,
	.zapq = vap_kbus_zapq,
};

/* ---- the AP driver ---------------------------------------------------- */

static void vap_apqn(struct ap_device *apdev, unsigned int *apid, unsigned int *apqi)
{
	ap_qid_t qid = to_ap_queue(&apdev->device)->qid;

	*apid = AP_QID_CARD(qid);
	*apqi = AP_QID_QUEUE(qid);
}

static ssize_t status_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	unsigned int apid, apqi;

	vap_apqn(to_ap_dev(dev), &apid, &apqi);
	return vap_queue_status_show(vap_glue.md, apid, apqi, buf);
}
static DEVICE_ATTR_RO(status);

static struct attribute *vap_queue_attrs[] = {
	&dev_attr_status.attr,
	NULL,
};

static const struct attribute_group vap_queue_group = {
	.attrs = vap_queue_attrs,
};

static int vap_queue_dev_probe(struct ap_device *apdev)
{
	unsigned int apid, apqi;
	int ret;

	vap_apqn(apdev, &apid, &apqi);
	ret = vap_queue_probe(vap_glue.md, apid, apqi);
	if (ret)
		return ret;
	ret = sysfs_create_group(&apdev->device.kobj, &vap_queue_group);
	if (ret)
		vap_queue_remove(vap_glue.md, apid, apqi);
	return ret;
}

static void vap_queue_dev_remove(struct ap_device *apdev)
{
	unsigned int apid, apqi;

	vap_apqn(apdev, &apid, &apqi);
	sysfs_remove_group(&apdev->device.kobj, &vap_queue_group);
	vap_queue_remove(vap_glue.md, apid, apqi);
}

static int vap_in_use(unsigned long *apm, unsigned long *aqm)
{
	struct apbm a, q;

	vap_longs_to_apbm(apm, &a);
	vap_longs_to_apbm(aqm, &q);
	return vap_resource_in_use(vap_glue.md, &a, &q);
}

/* Two QCI blocks in engine form: too big for the stack together with ours. */
static void vap_config_event(void (*fn)(struct vap_matrix_dev *, const struct ap_qci *,
					const struct ap_qci *),
			     struct ap_config_info *cur, struct ap_config_info *prev)
{
	struct ap_qci *q = kmalloc_array(2, sizeof(*q), GFP_KERNEL);

	if (WARN_ON_ONCE(!q))
		return;
	vap_qci_to_engine(cur, &q[0]);
	vap_qci_to_engine(prev, &q[1]);
	fn(vap_glue.md, &q[0], &q[1]);
	kfree(q);
}

static void vap_on_cfg_changed(struct ap_config_info *cur, struct ap_config_info *prev)
{
	vap_config_event(vap_on_config_changed, cur, prev);
}

static void vap_on_scan_done(struct ap_config_info *cur, struct ap_config_info *prev)
{
	vap_config_event(vap_on_scan_complete, cur, prev);
}

static struct ap_device_id vap_queue_ids[] = {
	{ .dev_type = AP_DEVICE_TYPE_CEX4, .match_flags = AP_DEVICE_ID_MATCH_QUEUE_TYPE },
	{ .dev_type = AP_DEVICE_TYPE_CEX5, .match_flags = AP_DEVICE_ID_MATCH_QUEUE_TYPE },
	{ .dev_type = AP_DEVICE_TYPE_CEX6, .match_flags = AP_DEVICE_ID_MATCH_QUEUE_TYPE },
	{ .dev_type = AP_DEVICE_TYPE_CEX7, .match_flags = AP_DEVICE_ID_MATCH_QUEUE_TYPE },
	{ .dev_type = AP_DEVICE_TYPE_CEX8, .match_flags = AP_DEVICE_ID_MATCH_QUEUE_TYPE },
	{ /* end of list */ },
};

static struct ap_driver vap_ap_driver = {
	.probe = vap_queue_dev_probe,
	.remove = vap_queue_dev_remove,
	.in_use = vap_in_use,
	.on_config_changed = vap_on_cfg_changed,
	.on_scan_complete = vap_on_scan_done,
	.ids = vap_queue_ids,
};

int vap_queue_driver_register(void)
{
	return ap_driver_register(&vap_ap_driver, THIS_MODULE, VAP_DRV_NAME);
}

void vap_queue_driver_unregister(void)
{
	ap_driver_unregister(&vap_ap_driver);
}
