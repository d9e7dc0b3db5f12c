// SPDX-License-Identifier: GPL-2.0
/*
 * ap_hw.c - the simulated machine behind the AP bus model (docs/kernel-abi.md
 * §1): what QCI reports, adapter types and functions, card configure state
 * (SCLP), checkstop, and the answers of TAPQ and ZAPQ.
 *
 * A ZAPQ ends with: the injected code if any (2, 5 and 0x0a are "busy":
 * the verification loop re-issues and gets the state code), else 01
 * outside the machine's config, 04 checkstopped, 03 deconfigured, 00.
 * Everything here is under hw_lock, a leaf: the machine never calls back.
 */
#include "ap_bus_priv.h"

unsigned int apb_max_id(const struct ap_qci *qci, bool adapter)
{
	unsigned int n = adapter ? qci->na : qci->nd;

	if (qci->apxa && n)
		return n;
	return adapter ? 63 : 15;
}

void apb_hw_init(struct apb_bus *bus, const struct apb_host_spec *spec)
{
	unsigned int apid, apqi;

	bus->hw_qci = spec->qci;
	memcpy(bus->hw_adapter, spec->adapter, sizeof(bus->hw_adapter));
	for (apid = 0; apid < APBM_BITS; apid++) {
		bus->hw_card_config[apid] = true;
		for (apqi = 0; apqi < APBM_BITS; apqi++)
			bus->hw_reset_rc[apid][apqi] = -1;
	}
}

void apb_hw_snapshot(struct apb_bus *bus, struct ap_qci *qci, struct apb_adapter_spec *adapter,
		     bool *config, bool *chkstop)
{
	apc_mutex_lock(&bus->hw_lock);
	*qci = bus->hw_qci;
	memcpy(adapter, bus->hw_adapter, sizeof(bus->hw_adapter));
	memcpy(config, bus->hw_card_config, sizeof(bus->hw_card_config));
	memcpy(chkstop, bus->hw_chkstop, sizeof(bus->hw_chkstop));
	apc_mutex_unlock(&bus->hw_lock);
}

/* ---- TAPQ and ZAPQ -------------------------------------------------------- */

static int apb_hw_state_rc(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	apc_assert_held(&bus->hw_lock);
	if (!apbm_test(&bus->hw_qci.apm, apid) || !apbm_test(&bus->hw_qci.aqm, apqi) ||
	    !bus->hw_adapter[apid].raw_type)
		return AP_RC_Q_NOT_AVAIL;
	if (bus->hw_chkstop[apid])
		return AP_RC_CHECKSTOPPED;
	if (!bus->hw_card_config[apid])
		return AP_RC_DECONFIGURED;
	return AP_RC_NORMAL;
}

int apb_hw_tapq(void *priv, unsigned int apid, unsigned int apqi, int *type)
{
	struct apb_bus *bus = priv;
	int rc;

	apc_mutex_lock(&bus->hw_lock);
	rc = apb_hw_state_rc(bus, apid, apqi);
	*type = bus->hw_adapter[apid].raw_type;
	apc_mutex_unlock(&bus->hw_lock);
	return rc;
}

static bool apb_rc_busy(int rc)
{
	return rc == AP_RC_RESET_IN_PROGRESS || rc == AP_RC_BUSY || rc == AP_RC_STATE_CHANGE;
}

/* ZAPQ plus the driver's verification loop; the host hears the final code. */
int apb_hw_zapq(void *priv, unsigned int apid, unsigned int apqi)
{
	struct apb_bus *bus = priv;
	int rc, injected;

	apc_mutex_lock(&bus->hw_lock);
	injected = bus->hw_reset_rc[apid][apqi];
	bus->hw_reset_rc[apid][apqi] = -1;
	rc = apb_hw_state_rc(bus, apid, apqi);
	if (injected >= 0 && !apb_rc_busy(injected))
		rc = injected;
	apc_mutex_unlock(&bus->hw_lock);
	if (bus->ops && bus->ops->reset)
		bus->ops->reset(bus->host, apid, apqi, rc);
	return rc;
}

/* ---- changes (take effect at the next scan) -------------------------------- */

static int apb_hw_set_bit(struct apb_bus *bus, struct apbm *mask, unsigned int id, bool adapter,
			  bool on)
{
	if (id > apb_max_id(&bus->hw_qci, adapter))
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	if (on)
		apbm_set(mask, id);
	else
		apbm_clear(mask, id);
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

int apb_hw_set_adapter(struct apb_bus *bus, unsigned int apid, bool configured)
{
	return apb_hw_set_bit(bus, &bus->hw_qci.apm, apid, true, configured);
}

int apb_hw_set_domain(struct apb_bus *bus, unsigned int apqi, bool configured)
{
	return apb_hw_set_bit(bus, &bus->hw_qci.aqm, apqi, false, configured);
}

int apb_hw_set_control_domain(struct apb_bus *bus, unsigned int id, bool configured)
{
	return apb_hw_set_bit(bus, &bus->hw_qci.adm, id, false, configured);
}

int apb_hw_set_adapter_type(struct apb_bus *bus, unsigned int apid, u8 raw_type, u32 functions)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw_adapter[apid].raw_type = raw_type;
	bus->hw_adapter[apid].functions = functions;
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

int apb_hw_get_adapter_type(struct apb_bus *bus, unsigned int apid, struct apb_adapter_spec *out)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	*out = bus->hw_adapter[apid];
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

int apb_hw_set_chkstop(struct apb_bus *bus, unsigned int apid, bool chkstop)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw_chkstop[apid] = chkstop;
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

void apb_hw_set_card_config(struct apb_bus *bus, unsigned int apid, bool config)
{
	apc_mutex_lock(&bus->hw_lock);
	bus->hw_card_config[apid] = config;
	apc_mutex_unlock(&bus->hw_lock);
}

int apb_hw_inject_reset_rc(struct apb_bus *bus, unsigned int apid, unsigned int apqi, u8 rc)
{
	if (apid >= APBM_BITS || apqi >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw_reset_rc[apid][apqi] = rc;
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}
