// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_hw.c - the AP instructions of asm/ap.h (include/asm/ap.h),
 * answered by the simulated machine of the bus model.
 *
 * The model knows a reset as one step: ZAPQ plus the verifying TAPQs
 * until the queue settles (apb_bus_ops.zapq).  vfio_ap issues the
 * instructions one by one, so an accepted ZAPQ answers 00 here and keeps
 * the code the reset ended with for the next TAPQ of the queue, which
 * the verification loop issues (INTERFACE.md).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "ap_sim.h"

#define AP_SIM_NO_RC	(-1)

/* the bus model's ap_attr_mutex, for ap_bus.h's ap_perms_mutex */
struct mutex *ap_sim_attr_mutex;
EXPORT_SYMBOL(ap_sim_attr_mutex);

static struct ap_queue_status ap_sim_status(int rc)
{
	struct ap_queue_status st = { 0 };

	st.response_code = rc;
	st.queue_empty = rc == AP_RESPONSE_NORMAL;
	return st;
}

/* One-shot verification code of @qid, or AP_SIM_NO_RC. */
static int ap_sim_take_zapq_rc(ap_qid_t qid)
{
	unsigned int i = ap_sim_qidx(AP_QID_CARD(qid), AP_QID_QUEUE(qid));
	int rc;

	spin_lock(&ap_sim.zapq_lock);
	rc = ap_sim.zapq_rc[i];
	ap_sim.zapq_rc[i] = AP_SIM_NO_RC;
	spin_unlock(&ap_sim.zapq_lock);
	return rc;
}

/*
 * A machine without the AP instructions (no facility 65): vfio_ap's load
 * must then fail with -ENODEV (docs/kernel-abi.md §9 item 2).  Writable,
 * so the VM test can switch it off and on around an insmod.
 */
static bool ap_instructions = true;
module_param(ap_instructions, bool, 0644);
MODULE_PARM_DESC(ap_instructions, "the machine has the AP instructions (default Y)");

bool ap_sim_instructions_available(void)
{
	return READ_ONCE(ap_instructions);
}
EXPORT_SYMBOL(ap_sim_instructions_available);

/* GR2 as s390 counts its bits: 0-31 facilities, 32-39 the AP type. */
static unsigned long ap_sim_tapq_info(unsigned int apid, int type)
{
	struct apb_adapter_spec hw = { 0 };

	apb_hw_get_adapter_type(ap_sim.bus, apid, &hw);
	return ((unsigned long)hw.functions << 32) | ((unsigned long)(type & 0xff) << 24);
}

struct ap_queue_status ap_sim_tapq(ap_qid_t qid, unsigned long *info)
{
	unsigned int apid = AP_QID_CARD(qid), apqi = AP_QID_QUEUE(qid);
	int type = 0, rc = apb_bus_ops.tapq(ap_sim.bus, apid, apqi, &type);
	int reset_rc = ap_sim_take_zapq_rc(qid);

	if (reset_rc != AP_SIM_NO_RC)
		rc = reset_rc;
	if (info)
		*info = ap_sim_tapq_info(apid, type);
	return ap_sim_status(rc);
}
EXPORT_SYMBOL(ap_sim_tapq);

struct ap_queue_status ap_sim_zapq(ap_qid_t qid)
{
	unsigned int apid = AP_QID_CARD(qid), apqi = AP_QID_QUEUE(qid);
	bool verified;
	int rc = apb_bus_ops.zapq(ap_sim.bus, apid, apqi, &verified);

	if (!verified)
		return ap_sim_status(rc);
	spin_lock(&ap_sim.zapq_lock);
	ap_sim.zapq_rc[ap_sim_qidx(apid, apqi)] = rc;
	spin_unlock(&ap_sim.zapq_lock);
	return ap_sim_status(AP_RESPONSE_NORMAL);
}
EXPORT_SYMBOL(ap_sim_zapq);

/* RAPQ resets without zeroizing: the same simulated reset. */
struct ap_queue_status ap_sim_rapq(ap_qid_t qid)
{
	return ap_sim_zapq(qid);
}
EXPORT_SYMBOL(ap_sim_rapq);

/*
 * No adapter interrupts are simulated: AQIC is accepted and remembered
 * only in the status it answers.
 */
struct ap_queue_status ap_sim_aqic(ap_qid_t qid, struct ap_qirq_ctrl qirqctrl,
				   phys_addr_t pa_ind)
{
	struct ap_queue_status st = ap_sim_status(AP_RESPONSE_NORMAL);

	st.irq_enabled = qirqctrl.ir;
	return st;
}
EXPORT_SYMBOL(ap_sim_aqic);

int ap_sim_qci(struct ap_config_info *config)
{
	struct ap_qci q;

	apb_get_qci(ap_sim.bus, &q);
	ap_sim_qci_to_info(&q, config);
	return 0;
}
EXPORT_SYMBOL(ap_sim_qci);

int ap_sim_hw_init(void)
{
	unsigned int i;

	spin_lock_init(&ap_sim.zapq_lock);
	ap_sim.zapq_rc = kvmalloc_array(AP_DEVICES * AP_DOMAINS, sizeof(*ap_sim.zapq_rc),
					GFP_KERNEL);
	if (!ap_sim.zapq_rc)
		return -ENOMEM;
	for (i = 0; i < AP_DEVICES * AP_DOMAINS; i++)
		ap_sim.zapq_rc[i] = AP_SIM_NO_RC;
	ap_sim_attr_mutex = &apb_attr_mutex(ap_sim.bus)->m;
	return 0;
}

void ap_sim_hw_exit(void)
{
	ap_sim_attr_mutex = NULL;
	kvfree(ap_sim.zapq_rc);
	ap_sim.zapq_rc = NULL;
}
