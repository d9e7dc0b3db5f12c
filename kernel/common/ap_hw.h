/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_hw.h - AP hardware definitions shared by the engine and the models.
 *
 * What s390's asm/ap.h and ap_bus.h define for every AP user: the QCI
 * block (struct ap_config_info, docs/kernel-abi.md §1.1), the AP response
 * codes (§1.3) and the AP device types.  An s390 kernel build maps these
 * names onto the real headers; userspace and the x86 test module get the
 * same values from here.
 */
#ifndef APVIRT_COMMON_AP_HW_H
#define APVIRT_COMMON_AP_HW_H

#include "ap_bitmap.h"

#if defined(__KERNEL__) && defined(CONFIG_S390)
/*
 * On s390 the names stand for the architecture's own, from
 * drivers/s390/crypto/ap_bus.h (the module is built with that directory on
 * its include path); struct ap_qci below is filled from asm/ap.h's
 * struct ap_config_info by the glue.
 */
#include <asm/ap.h>
#include "ap_bus.h"

#define AP_RC_NORMAL		AP_RESPONSE_NORMAL
#define AP_RC_Q_NOT_AVAIL	AP_RESPONSE_Q_NOT_AVAIL
#define AP_RC_RESET_IN_PROGRESS	AP_RESPONSE_RESET_IN_PROGRESS
#define AP_RC_DECONFIGURED	AP_RESPONSE_DECONFIGURED
#define AP_RC_CHECKSTOPPED	AP_RESPONSE_CHECKSTOPPED
#define AP_RC_BUSY		AP_RESPONSE_BUSY
#define AP_RC_INVALID_ADDRESS	AP_RESPONSE_INVALID_ADDRESS
#define AP_RC_OTHERWISE_CHANGED	AP_RESPONSE_OTHERWISE_CHANGED
/* newer than 6.1's ap_bus.h (state change: 6.2; association: 6.2+) */
#define AP_RC_STATE_CHANGE	0x0a
#define AP_RC_ASSOC_NOT_UNIQUE	0x35
#define AP_RC_ASSOC_FAILED	0x36

#define AP_TYPE_CEX4		AP_DEVICE_TYPE_CEX4
#define AP_TYPE_CEX8		AP_DEVICE_TYPE_CEX8

#else /* userspace, and the x86 kernel module that simulates the bus */

/* AP response codes (§1.3), the values of ap_bus.h's AP_RESPONSE_* */
#define AP_RC_NORMAL		0x00
#define AP_RC_Q_NOT_AVAIL	0x01
#define AP_RC_RESET_IN_PROGRESS	0x02
#define AP_RC_DECONFIGURED	0x03
#define AP_RC_CHECKSTOPPED	0x04
#define AP_RC_BUSY		0x05
#define AP_RC_INVALID_ADDRESS	0x06
#define AP_RC_OTHERWISE_CHANGED	0x07
#define AP_RC_STATE_CHANGE	0x0a
#define AP_RC_ASSOC_NOT_UNIQUE	0x35
#define AP_RC_ASSOC_FAILED	0x36

/* AP device types (ap_bus.h's AP_DEVICE_TYPE_CEX4, _CEX8) */
#define AP_TYPE_CEX4		10
#define AP_TYPE_CEX8		14

#endif

/* The Crypto Express generation of a CEX4..CEX8 type, and back. */
#define AP_TYPE_CEX(gen)	(AP_TYPE_CEX4 + (gen) - 4)
#define AP_TYPE_GENERATION(type)	((type) - AP_TYPE_CEX4 + 4)

/* Host AP configuration: a copy of QCI (struct ap_config_info, §1.1). */
struct ap_qci {
	bool apsc, apxa, qact, rc8a, apsb;
	u8 na, nd;
	struct apbm apm, aqm, adm;
};

/* Without facility 12 there is no QCI: every field stays zero. */
static inline bool ap_qci_present(const struct ap_qci *q)
{
	return q->apsc || q->apxa || q->qact || q->rc8a || q->apsb;
}

/* Field by field: struct padding must not make two QCI blocks differ. */
static inline bool ap_qci_equal(const struct ap_qci *a, const struct ap_qci *b)
{
	return a->apsc == b->apsc && a->apxa == b->apxa && a->qact == b->qact &&
	       a->rc8a == b->rc8a && a->apsb == b->apsb && a->na == b->na && a->nd == b->nd &&
	       apbm_equal(&a->apm, &b->apm) && apbm_equal(&a->aqm, &b->aqm) &&
	       apbm_equal(&a->adm, &b->adm);
}

#endif /* APVIRT_COMMON_AP_HW_H */
