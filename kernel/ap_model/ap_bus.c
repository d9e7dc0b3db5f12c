// SPDX-License-Identifier: GPL-2.0
/*
 * ap_bus.c - the simulated s390 AP bus (docs/kernel-abi.md §3).
 *
 * The model, in the manner of a mock's written plan:
 *
 *  bus       qci (fetched by the last scan), apmask/aqmask, card and queue
 *            devices, drivers.  A queue device is *host-reserved* iff its
 *            APID is in apmask and its APQI in aqmask; reserved queues bind
 *            to cex4queue (DEFAULT), the others to the registered AP driver
 *            (vfio_ap; types CEX4..CEX8 only).  Cards always bind to
 *            cex4card.  The driver is reached only through its
 *            struct ap_driver_ops, as the real bus calls struct ap_driver.
 *  scan      §3.6: QCI diff -> on_config_changed, devices added/removed
 *            (adding probes the driver synchronously), on_scan_complete.
 *  masks     §3.2/§3.3: parse, unchanged = no-op, in_use veto on newly
 *            reserved IDs (other dimension: all ones >= 6.19, current mask
 *            <= 6.18), commit, revise bindings, APMASK=/AQMASK= uevent.
 *
 * The machine (QCI to be, types, TAPQ/ZAPQ) is ap_hw.c; the attribute
 * files are ap_bus_attrs.c.  A queue that was unbound by hand stays
 * unbound across mask changes (upstream's behaviour there is undefined,
 * §3.4).
 */
#include "ap_bus_priv.h"

static const u8 apb_default_adapters[] = { 0x03, 0x04, 0x05, 0x06 };

void apb_default_spec(struct apb_host_spec *spec)
{
	unsigned int i;

	memset(spec, 0, sizeof(*spec));
	spec->qci.apsc = true;
	spec->qci.apxa = true;
	spec->qci.qact = true;
	spec->qci.rc8a = true;
	spec->qci.na = 255;
	spec->qci.nd = 255;
	for (i = 0; i < ARRAY_SIZE(apb_default_adapters); i++) {
		apbm_set(&spec->qci.apm, apb_default_adapters[i]);
		spec->adapter[apb_default_adapters[i]].raw_type = AP_TYPE_CEX8;
		spec->adapter[apb_default_adapters[i]].functions = APB_FUNC_CCA;
	}
	apbm_set_range(&spec->qci.aqm, 0, 15);
	apbm_set_range(&spec->qci.adm, 0, 15);
	apbm_fill(&spec->apmask);
	apbm_fill(&spec->aqmask);
	spec->profile = ap_profile_default();
}

/* ---- small helpers ----------------------------------------------------- */

void apb_uevent(struct apb_bus *bus, const char *devpath, const char *vars)
{
	if (bus->ops && bus->ops->uevent)
		bus->ops->uevent(bus->env, devpath, vars);
}

/* The host's mirror of the devices (struct apb_ops.device); dev_lock held. */
static void apb_dev_event(struct apb_bus *bus, enum apb_dev_event ev, unsigned int apid,
			  int apqi, enum apb_drv drv)
{
	if (bus->ops && bus->ops->device)
		bus->ops->device(bus->env, ev, apid, apqi, drv);
}

void apb_card_path(unsigned int apid, char *buf, size_t len)
{
	snprintf(buf, len, "devices/ap/card%02x", apid);
}

void apb_queue_path(unsigned int apid, unsigned int apqi, char *buf, size_t len)
{
	snprintf(buf, len, "devices/ap/card%02x/%02x.%04x", apid, apid, apqi);
}

/* Compatible type: CEX4..CEX8 as is, newer via QACT, older: no device. */
static u8 apb_comp_type(const struct ap_qci *qci, u8 raw)
{
	if (raw >= AP_TYPE_CEX4 && raw <= AP_TYPE_CEX8)
		return raw;
	if (raw > AP_TYPE_CEX8 && qci->qact)
		return AP_TYPE_CEX8;
	return 0;
}

static void apb_attr_lock(void *priv)
{
	apc_mutex_lock(&((struct apb_bus *)priv)->attr_lock);
}

static void apb_attr_unlock(void *priv)
{
	apc_mutex_unlock(&((struct apb_bus *)priv)->attr_lock);
}

/*
 * ap_apqn_in_matrix_owned_by_def_drv(): does the host own any APQN of
 * apm x aqm?  Mask rule; an APQN with a driver_override (6.19+) is owned
 * iff it is bound to the DEFAULT driver.  Caller holds ap_attr_mutex.
 */
static bool apb_owned_by_def_drv(void *priv, const struct apbm *apm, const struct apbm *aqm)
{
	struct apb_bus *bus = priv;
	struct apbm plain, tmp;
	unsigned int apid;

	apc_assert_held(&bus->attr_lock);
	if (!bus->nr_overrides)
		return apbm_intersects(apm, &bus->apmask) && apbm_intersects(aqm, &bus->aqmask);
	apbm_for_each(apid, apm) {
		if (apbm_and(&tmp, aqm, &bus->override_def[apid]))
			return true;
		apbm_andnot(&plain, aqm, &bus->override[apid]);
		if (apbm_test(&bus->apmask, apid) && apbm_intersects(&plain, &bus->aqmask))
			return true;
	}
	return false;
}

const struct ap_bus_ops apb_bus_ops = {
	.attr_lock = apb_attr_lock,
	.attr_unlock = apb_attr_unlock,
	.owned_by_def_drv = apb_owned_by_def_drv,
	.tapq = apb_hw_tapq,
	.zapq = apb_hw_zapq,
};

/* ---- devices and drivers (dev_lock held) ----------------------------------- */

static void apb_note_probe(struct apb_bus *bus, bool ok);

static enum apb_drv apb_override_drv(const char *name)
{
	if (!strcmp(name, "cex4queue"))
		return APB_DRV_CEX4QUEUE;
	if (!strcmp(name, "vfio_ap"))
		return APB_DRV_VFIO_AP;
	return APB_DRV_NONE;	/* a driver that does not exist: nothing binds */
}

/*
 * The one driver a queue may bind to (ap_bus_match + ap_device_probe): the
 * driver_override if set, else cex4queue (DEFAULT) for host-reserved
 * queues and vfio_ap for the others.
 */
static enum apb_drv apb_allowed_driver(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	enum apb_drv drv;

	apc_mutex_lock(&bus->attr_lock);
	if (bus->queue[apid][apqi].driver_override)
		drv = apb_override_drv(bus->queue[apid][apqi].driver_override);
	else if (apbm_test(&bus->apmask, apid) && apbm_test(&bus->aqmask, apqi))
		drv = APB_DRV_CEX4QUEUE;
	else
		drv = APB_DRV_VFIO_AP;
	apc_mutex_unlock(&bus->attr_lock);
	return drv;
}

/*
 * The masks and the override count, read once for a walk over every queue
 * device: taking ap_attr_mutex per queue would cost 65,536 lock round trips
 * on a full host.  A walk racing a mask store sees one consistent state;
 * the racing store revises again afterwards.
 */
struct apb_rule {
	struct apbm apmask, aqmask;
	bool overrides;
};

static void apb_rule_read(struct apb_bus *bus, struct apb_rule *rule)
{
	apc_mutex_lock(&bus->attr_lock);
	rule->apmask = bus->apmask;
	rule->aqmask = bus->aqmask;
	rule->overrides = bus->nr_overrides != 0;
	apc_mutex_unlock(&bus->attr_lock);
}

static enum apb_drv apb_rule_driver(struct apb_bus *bus, const struct apb_rule *rule,
				    unsigned int apid, unsigned int apqi)
{
	if (rule->overrides)	/* rare: only while both masks are all ones */
		return apb_allowed_driver(bus, apid, apqi);
	if (apbm_test(&rule->apmask, apid) && apbm_test(&rule->aqmask, apqi))
		return APB_DRV_CEX4QUEUE;
	return APB_DRV_VFIO_AP;
}

/* Keep override_def (overridden and bound to DEFAULT) in step with binding. */
static void apb_note_default_binding(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				     bool bound_default)
{
	apc_mutex_lock(&bus->attr_lock);
	if (bound_default && apbm_test(&bus->override[apid], apqi))
		apbm_set(&bus->override_def[apid], apqi);
	else
		apbm_clear(&bus->override_def[apid], apqi);
	apc_mutex_unlock(&bus->attr_lock);
}

/*
 * really_probe(): the device gets the driver, then the driver's probe runs;
 * if that fails (vfio_ap: -ENOMEM) the device is left without a driver and
 * the error goes back to a bind store.
 */
static int apb_bind_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			  enum apb_drv drv)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	int rc = 0;

	q->drv = drv;
	apb_note_default_binding(bus, apid, apqi, drv == APB_DRV_CEX4QUEUE);
	if (drv == APB_DRV_CEX4QUEUE) {
		q->online = bus->card[apid].online;
		q->initiated = true;	/* zcrypt_cex4_queue_probe() */
		apb_dev_event(bus, APB_DEV_BIND, apid, (int)apqi, drv);
	} else if (drv == APB_DRV_VFIO_AP) {
		rc = bus->drv_ops->probe(bus->drv, apid, apqi);
		if (rc)
			q->drv = APB_DRV_NONE;
	}
	apb_note_probe(bus, rc == 0);
	return rc;
}

/* Device registration or re-probe: bind the allowed driver if present. */
static void apb_probe_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	enum apb_drv drv = apb_allowed_driver(bus, apid, apqi);

	if (drv == APB_DRV_CEX4QUEUE || (drv == APB_DRV_VFIO_AP && bus->drv_ops))
		apb_bind_queue(bus, apid, apqi, drv);
}

static void apb_unbind_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	if (q->drv == APB_DRV_VFIO_AP)
		bus->drv_ops->remove(bus->drv, apid, apqi);
	q->drv = APB_DRV_NONE;
	apb_dev_event(bus, APB_DEV_BIND, apid, (int)apqi, APB_DRV_NONE);
	q->online = false;
	q->initiated = false;	/* ap_queue_remove() */
	apb_note_default_binding(bus, apid, apqi, false);
}

void apb_free_override(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	if (!q->driver_override)
		return;
	apc_free(q->driver_override);
	q->driver_override = NULL;
	apbm_clear(&bus->override[apid], apqi);
	apbm_clear(&bus->override_def[apid], apqi);
	bus->nr_overrides--;
}

/* A vanished queue device takes its override with it. */
static void apb_drop_override(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	apc_mutex_lock(&bus->attr_lock);
	apb_free_override(bus, apid, apqi);
	apc_mutex_unlock(&bus->attr_lock);
}

static void apb_del_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	if (!bus->queue[apid][apqi].exists)
		return;
	apb_unbind_queue(bus, apid, apqi);
	apb_drop_override(bus, apid, apqi);
	memset(&bus->queue[apid][apqi], 0, sizeof(bus->queue[apid][apqi]));
	apb_dev_event(bus, APB_DEV_DEL, apid, (int)apqi, APB_DRV_NONE);
}

static void apb_del_card(struct apb_bus *bus, unsigned int apid)
{
	unsigned int apqi;

	for (apqi = 0; apqi < APBM_BITS; apqi++)
		apb_del_queue(bus, apid, apqi);
	memset(&bus->card[apid], 0, sizeof(bus->card[apid]));
	apb_dev_event(bus, APB_DEV_DEL, apid, -1, APB_DRV_NONE);
}

void apb_config_uevent(struct apb_bus *bus, const char *path, bool config)
{
	apb_uevent(bus, path, config ? "CONFIG=1" : "CONFIG=0");
}

/*
 * ap_queue_info(): TAPQ carries type info for 00, 02, 03, 04 and 05.
 * (All-zero info, upstream's WARN_ON_ONCE, is not modelled.)
 */
static bool apb_rc_has_info(int rc)
{
	return rc == AP_RC_NORMAL || (rc >= AP_RC_RESET_IN_PROGRESS && rc <= AP_RC_BUSY);
}

/*
 * ap_scan_adapter(): a card needs one configured usage domain whose TAPQ
 * has info, and takes its config and checkstop from the first one.
 * Returns that response code, or -1 (no card).
 */
static int apb_card_rc(struct apb_bus *bus, const struct apb_hw_view *hw, unsigned int apid)
{
	unsigned int apqi;
	int rc;

	for (apqi = 0; apqi <= bus->max_domain_id; apqi++) {
		if (!apbm_test(&bus->qci.aqm, apqi))
			continue;
		rc = apb_hw_view_rc(hw, apid, apqi);
		if (apb_rc_has_info(rc))
			return rc;
	}
	return -1;
}

/*
 * Create or refresh a card.  A new type or facility word re-creates it; a
 * checkstop change is only a debug-feature line upstream, a config change
 * sends CONFIG=.
 */
static void apb_scan_card(struct apb_bus *bus, unsigned int apid, u8 raw_type, u32 fac, int rc)
{
	struct apb_card_dev *c = &bus->card[apid];
	bool config = rc != AP_RC_DECONFIGURED, chkstop = rc == AP_RC_CHECKSTOPPED;
	char path[APB_PATH_MAX];

	if (c->exists && (c->raw_type != raw_type || c->functions != fac))
		apb_del_card(bus, apid);
	if (!c->exists) {
		c->exists = true;
		c->bound = true;	/* cex4card */
		c->online = true;
		c->raw_type = raw_type;
		c->comp_type = apb_comp_type(&bus->qci, raw_type);
		c->functions = fac;
		c->config = config;
		c->chkstop = chkstop;
		apb_dev_event(bus, APB_DEV_ADD, apid, -1, APB_DRV_NONE);
		apb_dev_event(bus, APB_DEV_BIND, apid, -1, APB_DRV_CEX4CARD);
		apb_note_probe(bus, true);
		return;
	}
	c->chkstop = chkstop;
	if (c->config != config) {
		c->config = config;
		apb_card_path(apid, path, sizeof(path));
		apb_config_uevent(bus, path, config);
	}
}

/*
 * ap_scan_domains() for one queue.  A new device is probed; from 6.7 on a
 * new queue that is neither deconfigured nor checkstopped is "nudged"
 * into the operating state after the probe, whatever bound.  On an
 * existing one a checkstop change skips the config check: a config change
 * in the same scan (and its CONFIG= uevent) waits for the next scan.
 */
static void apb_scan_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi, int rc)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	bool config = rc != AP_RC_DECONFIGURED, chkstop = rc == AP_RC_CHECKSTOPPED;
	char path[APB_PATH_MAX];

	if (!q->exists) {
		q->exists = true;
		q->config = config;
		q->chkstop = chkstop;
		apb_dev_event(bus, APB_DEV_ADD, apid, (int)apqi, APB_DRV_NONE);
		apb_probe_queue(bus, apid, apqi);	/* registration probes */
		if (config && !chkstop && ap_profile_has(bus->profile, AP_FEAT_QUEUE_NUDGE))
			q->initiated = true;
		return;
	}
	if (q->chkstop != chkstop) {
		q->chkstop = chkstop;
		return;
	}
	if (q->config != config) {
		q->config = config;
		apb_queue_path(apid, apqi, path, sizeof(path));
		apb_config_uevent(bus, path, config);
	}
}

static void apb_scan_adapter(struct apb_bus *bus, unsigned int apid, const struct apb_hw_view *hw)
{
	u8 raw = hw->adapter[apid].raw_type;
	unsigned int apqi;
	int rc = -1;

	if (apbm_test(&bus->qci.apm, apid) && apb_comp_type(&bus->qci, raw))
		rc = apb_card_rc(bus, hw, apid);
	if (rc < 0) {
		if (bus->card[apid].exists)
			apb_del_card(bus, apid);
		return;
	}
	apb_scan_card(bus, apid, raw, apb_hw_view_fac(hw, apid), rc);
	for (apqi = 0; apqi <= bus->max_domain_id; apqi++) {
		rc = apbm_test(&bus->qci.aqm, apqi) ? apb_hw_view_rc(hw, apid, apqi) : -1;
		if (apb_rc_has_info(rc))
			apb_scan_queue(bus, apid, apqi, rc);
		else
			apb_del_queue(bus, apid, apqi);
	}
}

void apb_bindings(struct apb_bus *bus, unsigned int *bound, unsigned int *total)
{
	unsigned int apid, apqi;

	*bound = *total = 0;
	for (apid = 0; apid < APBM_BITS; apid++) {
		if (!bus->card[apid].exists)
			continue;
		for (apqi = 0; apqi < APBM_BITS; apqi++) {
			if (!bus->queue[apid][apqi].exists)
				continue;
			(*total)++;
			if (bus->queue[apid][apqi].drv != APB_DRV_NONE)
				(*bound)++;
		}
	}
}

/*
 * ap_check_bindings_complete(): once a scan has run and every queue device
 * has a driver, one BINDINGS=complete uevent with the new count.  6.10+
 * sends it only while armed (!completion_done()); before, every call that
 * finds all bound sends one.
 */
static void apb_check_bindings(struct apb_bus *bus)
{
	bool rearm = ap_profile_has(bus->profile, AP_FEAT_BINDINGS_REARM);
	unsigned int bound, total;
	char env[APB_UEVENT_MAX];

	apb_bindings(bus, &bound, &total);
	if (!bus->scans || bound != total || (rearm && !bus->bindings_armed))
		return;
	bus->bindings_armed = false;
	bus->bindings_complete_count++;
	snprintf(env, sizeof(env), "BINDINGS=complete COMPLETECOUNT=%llu",
		 (unsigned long long)bus->bindings_complete_count);
	apb_uevent(bus, "devices/ap", env);
}

/*
 * A probe got past the reservation and driver_override checks
 * (ap_device_probe()).  6.10+: it re-arms BINDINGS=complete for the next
 * scan or driver registration, even if the driver's probe fails.
 * Before: a successful probe checks at once (a uevent per bind that
 * leaves all bound).
 */
static void apb_note_probe(struct apb_bus *bus, bool ok)
{
	if (ap_profile_has(bus->profile, AP_FEAT_BINDINGS_REARM))
		bus->bindings_armed = true;
	else if (ok)
		apb_check_bindings(bus);
}

/* 6.10+: a QCI change that adds adapters or domains re-arms as well. */
static void apb_rearm_on_new_ids(struct apb_bus *bus, const struct ap_qci *cur,
				 const struct ap_qci *old)
{
	struct apbm added;

	if (!ap_profile_has(bus->profile, AP_FEAT_BINDINGS_REARM))
		return;
	if (apbm_andnot(&added, &cur->apm, &old->apm) || apbm_andnot(&added, &cur->aqm, &old->aqm))
		bus->bindings_armed = true;
}

/*
 * ap_select_domain(), at every scan while no domain is set: the lowest
 * configured usage domain in aqmask for which a configured card in apmask
 * answers TAPQ with 00.  Once set it is never reset, even when the domain
 * leaves the configuration or aqmask.
 */
static void apb_select_domain(struct apb_bus *bus, const struct apb_hw_view *hw)
{
	struct apb_rule rule;
	struct apbm doms, cards;
	unsigned int apid, apqi;

	if (bus->ap_domain >= 0)
		return;
	apb_rule_read(bus, &rule);
	apbm_and(&doms, &bus->qci.aqm, &rule.aqmask);
	apbm_limit(&doms, bus->max_domain_id);
	apbm_and(&cards, &bus->qci.apm, &rule.apmask);
	apbm_limit(&cards, bus->max_adapter_id);
	apbm_for_each(apqi, &doms) {
		apbm_for_each(apid, &cards) {
			if (apb_hw_view_rc(hw, apid, apqi) == AP_RC_NORMAL) {
				bus->ap_domain = (int)apqi;
				return;
			}
		}
	}
}

void apb_scan_locked(struct apb_bus *bus)
{
	struct apb_hw_view *hw = &bus->scan_view;
	struct ap_qci old = bus->qci, cur;
	unsigned int apid;
	bool changed;

	apb_hw_snapshot(bus, hw);
	cur = hw->qci;
	changed = (ap_qci_present(&old) || ap_qci_present(&cur)) && !ap_qci_equal(&old, &cur);
	if (changed)
		apb_rearm_on_new_ids(bus, &cur, &old);
	if (changed && bus->drv_ops)
		bus->drv_ops->on_config_changed(bus->drv, &cur, &old);
	bus->qci = cur;
	apb_select_domain(bus, hw);
	for (apid = 0; apid <= bus->max_adapter_id; apid++)
		apb_scan_adapter(bus, apid, hw);
	if (changed && bus->drv_ops)
		bus->drv_ops->on_scan_complete(bus->drv, &cur, &old);
	if (!bus->scans++) {
		apb_uevent(bus, "devices/ap", "INITSCAN=done");
		apb_check_bindings(bus);	/* <= 6.9: only here */
	} else if (ap_profile_has(bus->profile, AP_FEAT_BINDINGS_REARM)) {
		apb_check_bindings(bus);
	}
}

void apb_scan(struct apb_bus *bus)
{
	apc_mutex_lock(&bus->dev_lock);
	apb_scan_locked(bus);
	apc_mutex_unlock(&bus->dev_lock);
}

/* ---- life cycle --------------------------------------------------------------- */

struct apb_bus *apb_create(const struct apb_host_spec *spec, const struct apb_ops *ops, void *env)
{
	struct apb_bus *bus = apc_zalloc(sizeof(*bus));

	if (!bus)
		return NULL;
	apc_mutex_init(&bus->hw_lock, APC_RANK_BUS_HW);
	apc_mutex_init(&bus->dev_lock, APC_RANK_BUS_DEV);
	apc_mutex_init(&bus->attr_lock, APC_RANK_AP_ATTR);
	apb_hw_init(bus, spec);
	bus->ops = ops;
	bus->env = env;
	bus->qci = spec->qci;			/* ap_init_qci_info() */
	bus->max_adapter_id = apb_max_id(&bus->qci, true);
	bus->max_domain_id = apb_max_id(&bus->qci, false);
	bus->apmask = spec->apmask;
	bus->aqmask = spec->aqmask;
	bus->profile = spec->profile ? spec->profile : ap_profile_default();
	bus->config_time = 30;
	bus->poll_timeout = 250000;
	bus->ap_domain = -1;		/* the scan selects one */
	bus->bindings_armed = true;	/* init_completion() */
	apb_scan(bus);
	return bus;
}

/* Free every driver_override of a bus nobody else uses now. */
static void apb_free_overrides(struct apb_bus *bus)
{
	unsigned int apid, apqi;

	for (apid = 0; bus->nr_overrides && apid < APBM_BITS; apid++) {
		apbm_for_each(apqi, &bus->override[apid]) {
			apc_free(bus->queue[apid][apqi].driver_override);
			bus->queue[apid][apqi].driver_override = NULL;
		}
	}
	memset(bus->override, 0, sizeof(bus->override));
	memset(bus->override_def, 0, sizeof(bus->override_def));
	bus->nr_overrides = 0;
}

/* kstrndup() */
char *apb_strndup(const char *s, size_t len)
{
	char *copy = apc_zalloc(len + 1);

	if (copy)
		memcpy(copy, s, len);
	return copy;
}

/*
 * Give a byte copy of a bus its own driver_override names: each pointer
 * becomes a copy, or NULL when memory ran out (then -ENOMEM, and the
 * copy is only fit to be freed).
 */
static int apb_dup_overrides(struct apb_bus *dst)
{
	unsigned int apid, apqi;
	char **name;
	int rc = 0;

	for (apid = 0; dst->nr_overrides && apid < APBM_BITS; apid++) {
		apbm_for_each(apqi, &dst->override[apid]) {
			name = &dst->queue[apid][apqi].driver_override;
			*name = apb_strndup(*name, strlen(*name));
			if (!*name)
				rc = -ENOMEM;
		}
	}
	return rc;
}

void apb_destroy(struct apb_bus *bus)
{
	if (!bus)
		return;
	if (bus->drv_ops)
		apb_unregister_driver(bus);
	apb_free_overrides(bus);
	apc_mutex_destroy(&bus->hw_lock);
	apc_mutex_destroy(&bus->dev_lock);
	apc_mutex_destroy(&bus->attr_lock);
	apc_free(bus);
}

struct apb_bus *apb_dup(const struct apb_bus *bus)
{
	struct apb_bus *copy = apc_zalloc(sizeof(*copy));

	if (!copy)
		return NULL;
	memcpy(copy, bus, sizeof(*copy));
	if (apb_dup_overrides(copy)) {
		apb_free_overrides(copy);
		apc_free(copy);
		return NULL;
	}
	return copy;
}

int apb_copy(struct apb_bus *dst, const struct apb_bus *src)
{
	int rc;

	apb_free_overrides(dst);
	memcpy(dst, src, sizeof(*dst));
	rc = apb_dup_overrides(dst);
	if (rc)
		apb_free_overrides(dst);
	return rc;
}

void apb_get_qci(struct apb_bus *bus, struct ap_qci *out)
{
	apc_mutex_lock(&bus->dev_lock);
	*out = bus->qci;
	apc_mutex_unlock(&bus->dev_lock);
}

struct apc_mutex *apb_attr_mutex(struct apb_bus *bus)
{
	return &bus->attr_lock;
}

/* Driver registration probes every matching unbound device. */
void apb_register_driver(struct apb_bus *bus, const struct ap_driver_ops *ops, void *drv)
{
	struct apb_rule rule;
	unsigned int apid, apqi;

	apc_mutex_lock(&bus->dev_lock);
	bus->drv_ops = ops;
	bus->drv = drv;
	apb_rule_read(bus, &rule);
	for (apid = 0; apid < APBM_BITS; apid++)
		for (apqi = 0; bus->card[apid].exists && apqi < APBM_BITS; apqi++)
			if (bus->queue[apid][apqi].exists &&
			    bus->queue[apid][apqi].drv == APB_DRV_NONE &&
			    apb_rule_driver(bus, &rule, apid, apqi) == APB_DRV_VFIO_AP)
				apb_bind_queue(bus, apid, apqi, APB_DRV_VFIO_AP);
	if (ap_profile_has(bus->profile, AP_FEAT_BINDINGS_REARM))
		apb_check_bindings(bus);	/* ap_driver_register() */
	apc_mutex_unlock(&bus->dev_lock);
}

void apb_unregister_driver(struct apb_bus *bus)
{
	unsigned int apid, apqi;

	apc_mutex_lock(&bus->dev_lock);
	for (apid = 0; apid < APBM_BITS; apid++)
		for (apqi = 0; bus->card[apid].exists && apqi < APBM_BITS; apqi++)
			if (bus->queue[apid][apqi].drv == APB_DRV_VFIO_AP)
				apb_unbind_queue(bus, apid, apqi);
	bus->drv_ops = NULL;
	bus->drv = NULL;
	apc_mutex_unlock(&bus->dev_lock);
}

/* ---- bind / unbind ------------------------------------------------------------------ */

/*
 * Device name as bus_find_device_by_name() matches it: sysfs_streq(), so
 * exactly "cardXX" or "XX.YYYY" in lowercase hex, one trailing '\n' allowed.
 */
static int apb_parse_devname(const char *buf, size_t count, bool *is_card, unsigned int *apid,
			     unsigned int *apqi)
{
	char name[16], canon[16];
	size_t len = count;

	if (memchr(buf, '\0', count))
		len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= sizeof(name))
		return -ENODEV;
	memcpy(name, buf, len);
	name[len] = '\0';
	*is_card = len == 6 && !strncmp(name, "card", 4);
	if (*is_card) {
		/* "cardXX" is the "XX" of an APQN */
		char apqn[8] = { name[4], name[5], '.', '0', '0', '0', '0', '\0' };

		if (aptxt_parse_apqn(apqn, apid, apqi))
			return -ENODEV;
		snprintf(canon, sizeof(canon), "card%02x", *apid);
	} else {
		if (len != 7 || aptxt_parse_apqn(name, apid, apqi))
			return -ENODEV;
		aptxt_format_apqn(*apid, *apqi, canon);
	}
	return strcmp(name, canon) ? -ENODEV : 0;
}

static long apb_bind_card(struct apb_bus *bus, enum apb_drv drv, unsigned int apid)
{
	struct apb_card_dev *c = &bus->card[apid];

	if (!c->exists || drv != APB_DRV_CEX4CARD)
		return -ENODEV;
	if (c->bound)
		return -EBUSY;
	c->bound = true;
	c->online = true;
	apb_dev_event(bus, APB_DEV_BIND, apid, -1, APB_DRV_CEX4CARD);
	apb_note_probe(bus, true);
	return 0;
}

static long apb_bind_one(struct apb_bus *bus, enum apb_drv drv, unsigned int apid,
			 unsigned int apqi)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	if (!q->exists || drv == APB_DRV_CEX4CARD || (drv == APB_DRV_VFIO_AP && !bus->drv_ops))
		return -ENODEV;
	if (q->drv != APB_DRV_NONE)
		return -EBUSY;
	/* a DEFAULT driver takes only reserved queues, vfio_ap only the others */
	if (apb_allowed_driver(bus, apid, apqi) != drv)
		return -ENODEV;
	return apb_bind_queue(bus, apid, apqi, drv);
}

static long apb_unbind_one(struct apb_bus *bus, enum apb_drv drv, bool is_card,
			   unsigned int apid, unsigned int apqi)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	struct apb_card_dev *c = &bus->card[apid];

	if (is_card && c->exists && c->bound && drv == APB_DRV_CEX4CARD) {
		c->bound = false;
		apb_dev_event(bus, APB_DEV_BIND, apid, -1, APB_DRV_NONE);
		return 0;
	}
	if (is_card || !q->exists || q->drv != drv || drv == APB_DRV_NONE)
		return -ENODEV;
	apb_unbind_queue(bus, apid, apqi);
	return 0;
}

/* drivers/<drv>/bind and unbind: a device name, then the change under dev_lock. */
static long apb_devname_store(struct apb_bus *bus, enum apb_drv drv, bool bind,
			      const char *buf, size_t count)
{
	unsigned int apid, apqi = 0;
	bool is_card;
	long rc = apb_parse_devname(buf, count, &is_card, &apid, &apqi);

	if (rc)
		return rc;
	apc_mutex_lock(&bus->dev_lock);
	if (!bind)
		rc = apb_unbind_one(bus, drv, is_card, apid, apqi);
	else if (is_card)
		rc = apb_bind_card(bus, drv, apid);
	else
		rc = apb_bind_one(bus, drv, apid, apqi);
	apc_mutex_unlock(&bus->dev_lock);
	return rc ? rc : (long)count;
}

long apb_bind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count)
{
	return apb_devname_store(bus, drv, true, buf, count);
}

long apb_unbind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count)
{
	return apb_devname_store(bus, drv, false, buf, count);
}

/* ---- masks (§3.2, §3.3) ----------------------------------------------------------------- */

/* Re-probe every bound queue whose reservation disagrees with its driver. */
static void apb_revise_bindings(struct apb_bus *bus)
{
	struct apb_rule rule;
	unsigned int apid, apqi;
	enum apb_drv drv;

	apc_mutex_lock(&bus->dev_lock);
	apb_rule_read(bus, &rule);
	for (apid = 0; apid < APBM_BITS; apid++) {
		for (apqi = 0; bus->card[apid].exists && apqi < APBM_BITS; apqi++) {
			drv = bus->queue[apid][apqi].drv;
			if (drv == APB_DRV_NONE || apb_rule_driver(bus, &rule, apid, apqi) == drv)
				continue;
			apb_unbind_queue(bus, apid, apqi);
			apb_probe_queue(bus, apid, apqi);
		}
	}
	apc_mutex_unlock(&bus->dev_lock);
}

/* in_use() on newly reserved IDs; attr lock held.  -EBUSY on conflict. */
static int apb_verify_reservation(struct apb_bus *bus, bool adapters, const struct apbm *newly)
{
	struct apbm ones, apm, aqm;

	if (!bus->drv_ops)
		return 0;
	apbm_fill(&ones);
	if (adapters) {
		apm = *newly;
		aqm = ap_profile_has(bus->profile, AP_FEAT_IN_USE_ALL_ONES) ? ones : bus->aqmask;
	} else {
		apm = ap_profile_has(bus->profile, AP_FEAT_IN_USE_ALL_ONES) ? ones : bus->apmask;
		aqm = *newly;
	}
	return bus->drv_ops->in_use(bus->drv, &apm, &aqm) ? -EBUSY : 0;
}

/*
 * Parse, veto, commit under ap_attr_mutex.  Return: 1 if the mask changed,
 * 0 if unchanged, or -errno (nothing changed).
 */
static int apb_mask_commit(struct apb_bus *bus, bool adapters, const char *buf, size_t count,
			   struct apbm *new)
{
	struct apbm *mask = adapters ? &bus->apmask : &bus->aqmask;
	struct apbm newly;
	int rc;

	apc_mutex_lock(&bus->attr_lock);
	/* 6.19+: masks and driver_override exclude each other */
	rc = bus->nr_overrides ? -EINVAL : aptxt_parse_mask(buf, count, mask, new);
	if (rc || apbm_equal(new, mask))
		goto done;
	if (apbm_andnot(&newly, new, mask))
		rc = apb_verify_reservation(bus, adapters, &newly);
	if (rc)
		goto done;
	*mask = *new;
	rc = 1;
done:
	apc_mutex_unlock(&bus->attr_lock);
	return rc;
}

/* The re-binding needs dev_lock, which ranks before ap_attr_mutex. */
long apb_mask_store(struct apb_bus *bus, bool adapters, const char *buf, size_t count)
{
	char env[APB_UEVENT_MAX];
	struct apbm new;
	int rc = apb_mask_commit(bus, adapters, buf, count, &new), n;

	if (rc <= 0)
		return rc ? rc : (long)count;
	apb_revise_bindings(bus);
	n = snprintf(env, sizeof(env), adapters ? "APMASK=" : "AQMASK=");
	aptxt_format_mask_line(&new, env + n);
	apb_uevent(bus, "devices/ap", env);
	return (long)count;
}

/* ---- snapshot queries ------------------------------------------------------------------------ */

bool apb_card_exists(struct apb_bus *bus, unsigned int apid)
{
	bool e;

	if (apid >= APBM_BITS)
		return false;
	apc_mutex_lock(&bus->dev_lock);
	e = bus->card[apid].exists;
	apc_mutex_unlock(&bus->dev_lock);
	return e;
}

bool apb_card_bound(struct apb_bus *bus, unsigned int apid)
{
	bool b;

	if (apid >= APBM_BITS)
		return false;
	apc_mutex_lock(&bus->dev_lock);
	b = bus->card[apid].exists && bus->card[apid].bound;
	apc_mutex_unlock(&bus->dev_lock);
	return b;
}

enum apb_drv apb_queue_driver(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			      bool *exists)
{
	enum apb_drv drv = APB_DRV_NONE;
	bool e = false;

	if (apid < APBM_BITS && apqi < APBM_BITS) {
		apc_mutex_lock(&bus->dev_lock);
		e = bus->queue[apid][apqi].exists;
		drv = bus->queue[apid][apqi].drv;
		apc_mutex_unlock(&bus->dev_lock);
	}
	if (exists)
		*exists = e;
	return drv;
}

const char *apb_drv_name(enum apb_drv drv)
{
	switch (drv) {
	case APB_DRV_CEX4QUEUE:
		return "cex4queue";
	case APB_DRV_VFIO_AP:
		return "vfio_ap";
	case APB_DRV_CEX4CARD:
		return "cex4card";
	default:
		return "";
	}
}

void apb_get_masks(struct apb_bus *bus, struct apbm *apmask, struct apbm *aqmask)
{
	apc_mutex_lock(&bus->attr_lock);
	*apmask = bus->apmask;
	*aqmask = bus->aqmask;
	apc_mutex_unlock(&bus->attr_lock);
}

const struct ap_profile *apb_profile(struct apb_bus *bus)
{
	return bus->profile;	/* fixed at creation */
}

unsigned int apb_nr_overrides(struct apb_bus *bus)
{
	unsigned int n;

	apc_mutex_lock(&bus->attr_lock);
	n = bus->nr_overrides;
	apc_mutex_unlock(&bus->attr_lock);
	return n;
}
