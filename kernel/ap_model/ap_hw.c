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

	bus->hw.qci = spec->qci;
	memcpy(bus->hw.adapter, spec->adapter, sizeof(bus->hw.adapter));
	memcpy(bus->hw_fw, spec->fw, sizeof(bus->hw_fw));
	for (apid = 0; apid < APBM_BITS; apid++) {
		bus->hw.config[apid] = true;
		for (apqi = 0; apqi < APBM_BITS; apqi++)
			bus->hw_reset_rc[apid][apqi] = -1;
	}
}

void apb_hw_snapshot(struct apb_bus *bus, struct apb_hw_view *view)
{
	apc_mutex_lock(&bus->hw_lock);
	*view = bus->hw;
	apc_mutex_unlock(&bus->hw_lock);
}

/* ---- TAPQ and ZAPQ -------------------------------------------------------- */

/* Outside the configuration 01; a checkstop wins over deconfigured. */
int apb_hw_view_rc(const struct apb_hw_view *view, unsigned int apid, unsigned int apqi)
{
	if (!apbm_test(&view->qci.apm, apid) || !apbm_test(&view->qci.aqm, apqi) ||
	    !view->adapter[apid].raw_type)
		return AP_RC_Q_NOT_AVAIL;
	if (view->chkstop[apid])
		return AP_RC_CHECKSTOPPED;
	if (!view->config[apid])
		return AP_RC_DECONFIGURED;
	return AP_RC_NORMAL;
}

/*
 * TAPQ GR2's facility word: APSC and APXA as the machine has them (the
 * same facilities QCI reports), the mode, RSA 4K (ME and CRT) on every
 * CEX4..CEX8 accelerator, and the "full function set" class on CCA
 * coprocessors from CEX7 on (a CEX8C in an LPAR reads 0x92800000).
 * SLCF is left off: no source says a CEX8C sets it.
 */
u32 apb_hw_view_fac(const struct apb_hw_view *view, unsigned int apid)
{
	const struct apb_adapter_spec *a = &view->adapter[apid];
	u32 mode = a->functions & APB_FUNC_MODES, fac = mode;

	if (view->qci.apsc)
		fac |= APB_FUNC_APSC;
	if (view->qci.apxa)
		fac |= APB_FUNC_APXA;
	if (mode == APB_FUNC_ACCEL)
		fac |= APB_FUNC_MEX4K | APB_FUNC_CRT4K;
	if (mode == APB_FUNC_CCA && a->raw_type >= AP_TYPE_CEX4 + 3)
		fac |= APB_FUNC_CLASS_FULL;
	return fac;
}

static int apb_hw_state_rc(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	apc_assert_held(&bus->hw_lock);
	return apb_hw_view_rc(&bus->hw, apid, apqi);
}

int apb_hw_tapq(void *priv, unsigned int apid, unsigned int apqi, int *type)
{
	struct apb_bus *bus = priv;
	int rc;

	apc_mutex_lock(&bus->hw_lock);
	rc = apb_hw_state_rc(bus, apid, apqi);
	*type = bus->hw.adapter[apid].raw_type;
	apc_mutex_unlock(&bus->hw_lock);
	return rc;
}

static bool apb_rc_busy(int rc)
{
	return rc == AP_RC_RESET_IN_PROGRESS || rc == AP_RC_BUSY || rc == AP_RC_STATE_CHANGE;
}

/*
 * ZAPQ plus the driver's verification loop; the host hears the final code.
 * The ZAPQ answers with the injected code or the state; an accepted one
 * (00 or busy) is verified by TAPQ, which reports the state.
 */
int apb_hw_zapq(void *priv, unsigned int apid, unsigned int apqi, bool *verified)
{
	struct apb_bus *bus = priv;
	int rc, injected;

	apc_mutex_lock(&bus->hw_lock);
	injected = bus->hw_reset_rc[apid][apqi];
	bus->hw_reset_rc[apid][apqi] = -1;
	rc = apb_hw_state_rc(bus, apid, apqi);
	*verified = rc == AP_RC_NORMAL || (injected >= 0 && apb_rc_busy(injected));
	if (injected >= 0 && !apb_rc_busy(injected)) {
		rc = injected;
		*verified = rc == AP_RC_NORMAL;
	}
	apc_mutex_unlock(&bus->hw_lock);
	if (bus->ops && bus->ops->reset)
		bus->ops->reset(bus->host, apid, apqi, rc);
	return rc;
}

/* ---- changes (take effect at the next scan) -------------------------------- */

static int apb_hw_set_bit(struct apb_bus *bus, struct apbm *mask, unsigned int id, bool adapter,
			  bool on)
{
	if (id > apb_max_id(&bus->hw.qci, adapter))
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
	return apb_hw_set_bit(bus, &bus->hw.qci.apm, apid, true, configured);
}

int apb_hw_set_domain(struct apb_bus *bus, unsigned int apqi, bool configured)
{
	return apb_hw_set_bit(bus, &bus->hw.qci.aqm, apqi, false, configured);
}

int apb_hw_set_control_domain(struct apb_bus *bus, unsigned int id, bool configured)
{
	return apb_hw_set_bit(bus, &bus->hw.qci.adm, id, false, configured);
}

int apb_hw_set_adapter_type(struct apb_bus *bus, unsigned int apid, u8 raw_type, u32 functions)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw.adapter[apid].raw_type = raw_type;
	bus->hw.adapter[apid].functions = functions;
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

int apb_hw_get_adapter_type(struct apb_bus *bus, unsigned int apid, struct apb_adapter_spec *out)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	*out = bus->hw.adapter[apid];
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

void apb_hw_get_fw(struct apb_bus *bus, unsigned int apid, struct apb_fw_spec *out)
{
	apc_mutex_lock(&bus->hw_lock);
	*out = bus->hw_fw[apid];
	apc_mutex_unlock(&bus->hw_lock);
}

int apb_hw_set_chkstop(struct apb_bus *bus, unsigned int apid, bool chkstop)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw.chkstop[apid] = chkstop;
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
}

void apb_hw_set_card_config(struct apb_bus *bus, unsigned int apid, bool config)
{
	apc_mutex_lock(&bus->hw_lock);
	bus->hw.config[apid] = config;
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
