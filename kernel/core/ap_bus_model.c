// SPDX-License-Identifier: GPL-2.0
/*
 * ap_bus_model.c - the simulated s390 AP bus and machine (spec §3).
 *
 * The model, in the manner of a mock's written plan:
 *
 *  hardware  hw_qci (what QCI returns now), per adapter raw type and
 *            functions, card configure state (SCLP), checkstop and a
 *            one-shot reset response code per APQN.  TAPQ and ZAPQ answer
 *            from here (apb_tapq/apb_zapq).  A ZAPQ ends with: the injected
 *            code if any (2, 5 and 0x0a are "busy": the verification loop
 *            re-issues and gets the state code), else 01 outside the
 *            machine's config, 04 checkstopped, 03 deconfigured, 00.
 *  bus       qci (fetched by the last scan), apmask/aqmask, card and queue
 *            devices, drivers.  A queue device is *host-reserved* iff its
 *            APID is in apmask and its APQI in aqmask; reserved queues bind
 *            to cex4queue (DEFAULT), the others to vfio_ap when registered
 *            (types CEX4..CEX8 only).  Cards always bind to cex4card.
 *  scan      §3.6: QCI diff -> on_config_changed, devices added/removed
 *            (adding probes the driver synchronously), on_scan_complete.
 *  masks     §3.2/§3.3: parse, unchanged = no-op, in_use veto on newly
 *            reserved IDs (other dimension: all ones >= 6.19, current mask
 *            <= 6.18), commit, revise bindings, APMASK=/AQMASK= uevent.
 *
 * A queue that was unbound by hand stays unbound across mask changes
 * (upstream's behaviour there is undefined, spec §3.4).
 */
#include "ap_bus_model.h"

#define APB_UEVENT_MAX 96

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
		spec->adapter[apb_default_adapters[i]].functions = APB_FUNC_CCA | APB_FUNC_BASE;
	}
	apbm_set_range(&spec->qci.aqm, 0, 15);
	apbm_set_range(&spec->qci.adm, 0, 15);
	apbm_fill(&spec->apmask);
	apbm_fill(&spec->aqmask);
	spec->in_use_all_ones = true;
}

/* ---- small helpers ----------------------------------------------------- */

static void apb_uevent(struct apb_bus *bus, const char *devpath, const char *env)
{
	if (bus->ops && bus->ops->uevent)
		bus->ops->uevent(bus->host, devpath, env);
}

static void apb_card_path(unsigned int apid, char *buf, size_t len)
{
	snprintf(buf, len, "devices/ap/card%02x", apid);
}

static void apb_queue_path(unsigned int apid, unsigned int apqi, char *buf, size_t len)
{
	snprintf(buf, len, "devices/ap/card%02x/%02x.%04x", apid, apid, apqi);
}

static unsigned int apb_max_id(const struct vap_qci *qci, bool adapter)
{
	unsigned int n = adapter ? qci->na : qci->nd;

	if (qci->apxa && n)
		return n;
	return adapter ? 63 : 15;
}

/* Compatible type: CEX4..CEX8 as is, newer via QACT, older: no device. */
static u8 apb_comp_type(const struct vap_qci *qci, u8 raw)
{
	if (raw >= AP_TYPE_CEX4 && raw <= AP_TYPE_CEX8)
		return raw;
	if (raw > AP_TYPE_CEX8 && qci->qact)
		return AP_TYPE_CEX8;
	return 0;
}

/* ---- hardware answers (TAPQ, ZAPQ) -------------------------------------- */

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

static int apb_tapq(void *priv, unsigned int apid, unsigned int apqi, int *type)
{
	struct apb_bus *bus = priv;
	int rc;

	apc_mutex_lock(&bus->hw_lock);
	rc = apb_hw_state_rc(bus, apid, apqi);
	*type = bus->hw_adapter[apid].raw_type;
	apc_mutex_unlock(&bus->hw_lock);
	return rc;
}

static int apb_zapq(void *priv, unsigned int apid, unsigned int apqi)
{
	struct apb_bus *bus = priv;
	int rc, injected;

	apc_mutex_lock(&bus->hw_lock);
	injected = bus->hw_reset_rc[apid][apqi];
	bus->hw_reset_rc[apid][apqi] = -1;
	rc = apb_hw_state_rc(bus, apid, apqi);
	if (injected >= 0 && injected != AP_RC_RESET_IN_PROGRESS && injected != AP_RC_BUSY &&
	    injected != AP_RC_STATE_CHANGE)
		rc = injected;
	apc_mutex_unlock(&bus->hw_lock);
	return rc;
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

const struct vap_bus_ops apb_vfio_bus_ops = {
	.attr_lock = apb_attr_lock,
	.attr_unlock = apb_attr_unlock,
	.owned_by_def_drv = apb_owned_by_def_drv,
	.tapq = apb_tapq,
	.zapq = apb_zapq,
};

/* ---- devices and drivers (dev_lock held) ----------------------------------- */

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
	const char *ovr = bus->queue[apid][apqi].driver_override;
	enum apb_drv drv;

	apc_mutex_lock(&bus->attr_lock);
	if (ovr[0])
		drv = apb_override_drv(ovr);
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

static void apb_bind_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   enum apb_drv drv)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	q->drv = drv;
	apb_note_default_binding(bus, apid, apqi, drv == APB_DRV_CEX4QUEUE);
	if (drv == APB_DRV_CEX4QUEUE)
		q->online = bus->card[apid].online;
	else if (drv == APB_DRV_VFIO_AP)
		vap_queue_probe(bus->vfio, apid, apqi);
}

/* Device registration or re-probe: bind the allowed driver if present. */
static void apb_probe_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	enum apb_drv drv = apb_allowed_driver(bus, apid, apqi);

	if (drv == APB_DRV_CEX4QUEUE || (drv == APB_DRV_VFIO_AP && bus->vfio))
		apb_bind_queue(bus, apid, apqi, drv);
}

static void apb_unbind_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	if (q->drv == APB_DRV_VFIO_AP)
		vap_queue_remove(bus->vfio, apid, apqi);
	q->drv = APB_DRV_NONE;
	q->online = false;
	apb_note_default_binding(bus, apid, apqi, false);
}

/* A vanished queue device takes its override with it. */
static void apb_drop_override(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	apc_mutex_lock(&bus->attr_lock);
	if (apbm_test(&bus->override[apid], apqi)) {
		apbm_clear(&bus->override[apid], apqi);
		bus->nr_overrides--;
	}
	apc_mutex_unlock(&bus->attr_lock);
}

static void apb_del_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	if (!bus->queue[apid][apqi].exists)
		return;
	apb_unbind_queue(bus, apid, apqi);
	apb_drop_override(bus, apid, apqi);
	memset(&bus->queue[apid][apqi], 0, sizeof(bus->queue[apid][apqi]));
}

static void apb_del_card(struct apb_bus *bus, unsigned int apid)
{
	unsigned int apqi;

	for (apqi = 0; apqi < APBM_BITS; apqi++)
		apb_del_queue(bus, apid, apqi);
	memset(&bus->card[apid], 0, sizeof(bus->card[apid]));
}

static void apb_config_uevent(struct apb_bus *bus, const char *path, bool config)
{
	apb_uevent(bus, path, config ? "CONFIG=1" : "CONFIG=0");
}

/* Create or refresh a card from what the hardware reports. */
static void apb_scan_card(struct apb_bus *bus, unsigned int apid, const struct apb_adapter_spec *hw,
			  bool config, bool chkstop)
{
	struct apb_card_dev *c = &bus->card[apid];
	char path[48];

	if (c->exists && (c->raw_type != hw->raw_type || c->functions != hw->functions))
		apb_del_card(bus, apid);
	apb_card_path(apid, path, sizeof(path));
	if (!c->exists) {
		c->exists = true;
		c->bound = true;	/* cex4card */
		c->online = true;
		c->raw_type = hw->raw_type;
		c->comp_type = apb_comp_type(&bus->qci, hw->raw_type);
		c->functions = hw->functions;
		c->config = config;
		c->chkstop = chkstop;
		return;
	}
	if (c->config != config || c->chkstop != chkstop) {
		c->config = config;
		c->chkstop = chkstop;
		apb_config_uevent(bus, path, config);
	}
}

static void apb_scan_queue(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   bool config, bool chkstop)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	char path[48];

	if (!q->exists) {
		q->exists = true;
		q->config = config;
		q->chkstop = chkstop;
		apb_probe_queue(bus, apid, apqi);	/* registration probes */
		return;
	}
	if (q->config != config || q->chkstop != chkstop) {
		q->config = config;
		q->chkstop = chkstop;
		apb_queue_path(apid, apqi, path, sizeof(path));
		apb_config_uevent(bus, path, config);
	}
}

static void apb_scan_adapter(struct apb_bus *bus, unsigned int apid, const struct apb_adapter_spec *hw,
			     bool config, bool chkstop)
{
	unsigned int apqi;

	if (!apbm_test(&bus->qci.apm, apid) || !apb_comp_type(&bus->qci, hw->raw_type)) {
		if (bus->card[apid].exists)
			apb_del_card(bus, apid);
		return;
	}
	apb_scan_card(bus, apid, hw, config, chkstop);
	for (apqi = 0; apqi <= bus->max_domain_id; apqi++) {
		if (apbm_test(&bus->qci.aqm, apqi))
			apb_scan_queue(bus, apid, apqi, config, chkstop);
		else
			apb_del_queue(bus, apid, apqi);
	}
}

static void apb_bindings(struct apb_bus *bus, unsigned int *bound, unsigned int *total)
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

/* BINDINGS=complete once every queue device has a driver (§3.6 step 5). */
static void apb_check_bindings(struct apb_bus *bus)
{
	unsigned int bound, total;
	char env[APB_UEVENT_MAX];
	bool complete;

	apb_bindings(bus, &bound, &total);
	complete = bus->scans && bound == total;
	if (complete && !bus->bindings_complete) {
		bus->bindings_complete_count++;
		snprintf(env, sizeof(env), "BINDINGS=complete COMPLETECOUNT=%llu",
			 (unsigned long long)bus->bindings_complete_count);
		apb_uevent(bus, "devices/ap", env);
	}
	bus->bindings_complete = complete;
}

static void apb_scan_locked(struct apb_bus *bus)
{
	struct apb_adapter_spec hw[APBM_BITS];
	bool config[APBM_BITS], chkstop[APBM_BITS], changed;
	struct vap_qci old = bus->qci, cur;
	unsigned int apid;

	apc_mutex_lock(&bus->hw_lock);
	cur = bus->hw_qci;
	memcpy(hw, bus->hw_adapter, sizeof(hw));
	memcpy(config, bus->hw_card_config, sizeof(config));
	memcpy(chkstop, bus->hw_chkstop, sizeof(chkstop));
	apc_mutex_unlock(&bus->hw_lock);

	changed = (vap_qci_present(&old) || vap_qci_present(&cur)) &&
		  !vap_qci_equal(&old, &cur);
	if (changed && bus->vfio)
		vap_on_config_changed(bus->vfio, &cur, &old);
	bus->qci = cur;
	for (apid = 0; apid <= bus->max_adapter_id; apid++)
		apb_scan_adapter(bus, apid, &hw[apid], config[apid], chkstop[apid]);
	if (changed && bus->vfio)
		vap_on_scan_complete(bus->vfio, &cur, &old);
	if (!bus->scans++)
		apb_uevent(bus, "devices/ap", "INITSCAN=done");
	apb_check_bindings(bus);
}

void apb_scan(struct apb_bus *bus)
{
	apc_mutex_lock(&bus->dev_lock);
	apb_scan_locked(bus);
	apc_mutex_unlock(&bus->dev_lock);
}

/* ---- life cycle --------------------------------------------------------------- */

static void apb_init_hw(struct apb_bus *bus, const struct apb_host_spec *spec)
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

static int apb_first_domain(const struct apb_bus *bus)
{
	struct apbm usable;
	unsigned int id;

	apbm_and(&usable, &bus->qci.aqm, &bus->aqmask);
	apbm_limit(&usable, bus->max_domain_id);
	id = apbm_next(&usable, 0);
	return id < APBM_BITS ? (int)id : -1;
}

struct apb_bus *apb_create(const struct apb_host_spec *spec, const struct apb_ops *ops, void *host)
{
	struct apb_bus *bus = apc_zalloc(sizeof(*bus));

	if (!bus)
		return NULL;
	apc_mutex_init(&bus->hw_lock, APB_RANK_HW);
	apc_mutex_init(&bus->dev_lock, APB_RANK_DEV);
	apc_mutex_init(&bus->attr_lock, VAP_RANK_AP_ATTR);
	apb_init_hw(bus, spec);
	bus->ops = ops;
	bus->host = host;
	bus->qci = spec->qci;			/* ap_init_qci_info() */
	bus->max_adapter_id = apb_max_id(&bus->qci, true);
	bus->max_domain_id = apb_max_id(&bus->qci, false);
	bus->apmask = spec->apmask;
	bus->aqmask = spec->aqmask;
	bus->in_use_all_ones = spec->in_use_all_ones;
	bus->config_time = 30;
	bus->poll_timeout = 250000;
	bus->ap_domain = apb_first_domain(bus);
	apb_scan(bus);
	return bus;
}

void apb_destroy(struct apb_bus *bus)
{
	if (!bus)
		return;
	if (bus->vfio)
		apb_unregister_vfio(bus);
	apc_mutex_destroy(&bus->hw_lock);
	apc_mutex_destroy(&bus->dev_lock);
	apc_mutex_destroy(&bus->attr_lock);
	apc_free(bus);
}

void apb_get_qci(struct apb_bus *bus, struct vap_qci *out)
{
	apc_mutex_lock(&bus->dev_lock);
	*out = bus->qci;
	apc_mutex_unlock(&bus->dev_lock);
}

/* Driver registration probes every matching unbound device. */
void apb_register_vfio(struct apb_bus *bus, struct vap_matrix_dev *md)
{
	struct apb_rule rule;
	unsigned int apid, apqi;

	apc_mutex_lock(&bus->dev_lock);
	bus->vfio = md;
	apb_rule_read(bus, &rule);
	for (apid = 0; apid < APBM_BITS; apid++)
		for (apqi = 0; bus->card[apid].exists && apqi < APBM_BITS; apqi++)
			if (bus->queue[apid][apqi].exists && bus->queue[apid][apqi].drv == APB_DRV_NONE &&
			    apb_rule_driver(bus, &rule, apid, apqi) == APB_DRV_VFIO_AP)
				apb_bind_queue(bus, apid, apqi, APB_DRV_VFIO_AP);
	apb_check_bindings(bus);
	apc_mutex_unlock(&bus->dev_lock);
}

void apb_unregister_vfio(struct apb_bus *bus)
{
	unsigned int apid, apqi;

	apc_mutex_lock(&bus->dev_lock);
	for (apid = 0; apid < APBM_BITS; apid++)
		for (apqi = 0; bus->card[apid].exists && apqi < APBM_BITS; apqi++)
			if (bus->queue[apid][apqi].drv == APB_DRV_VFIO_AP)
				apb_unbind_queue(bus, apid, apqi);
	bus->vfio = NULL;
	apb_check_bindings(bus);
	apc_mutex_unlock(&bus->dev_lock);
}

/* ---- hardware changes ------------------------------------------------------------ */

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

int apb_hw_set_chkstop(struct apb_bus *bus, unsigned int apid, bool chkstop)
{
	if (apid >= APBM_BITS)
		return -ENODEV;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw_chkstop[apid] = chkstop;
	apc_mutex_unlock(&bus->hw_lock);
	return 0;
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
	return 0;
}

static long apb_bind_one(struct apb_bus *bus, enum apb_drv drv, unsigned int apid,
			 unsigned int apqi)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	if (!q->exists || drv == APB_DRV_CEX4CARD || (drv == APB_DRV_VFIO_AP && !bus->vfio))
		return -ENODEV;
	if (q->drv != APB_DRV_NONE)
		return -EBUSY;
	/* a DEFAULT driver takes only reserved queues, vfio_ap only the others */
	if (apb_allowed_driver(bus, apid, apqi) != drv)
		return -ENODEV;
	apb_bind_queue(bus, apid, apqi, drv);
	return 0;
}

long apb_bind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count)
{
	unsigned int apid, apqi = 0;
	bool is_card;
	long rc = apb_parse_devname(buf, count, &is_card, &apid, &apqi);

	if (rc)
		return rc;
	apc_mutex_lock(&bus->dev_lock);
	rc = is_card ? apb_bind_card(bus, drv, apid) : apb_bind_one(bus, drv, apid, apqi);
	apb_check_bindings(bus);
	apc_mutex_unlock(&bus->dev_lock);
	return rc ? rc : (long)count;
}

long apb_unbind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count)
{
	unsigned int apid, apqi = 0;
	bool is_card;
	long rc = apb_parse_devname(buf, count, &is_card, &apid, &apqi);

	if (rc)
		return rc;
	apc_mutex_lock(&bus->dev_lock);
	rc = -ENODEV;
	if (is_card && bus->card[apid].exists && bus->card[apid].bound && drv == APB_DRV_CEX4CARD) {
		bus->card[apid].bound = false;
		rc = 0;
	} else if (!is_card && bus->queue[apid][apqi].exists && bus->queue[apid][apqi].drv == drv &&
		   drv != APB_DRV_NONE) {
		apb_unbind_queue(bus, apid, apqi);
		rc = 0;
	}
	apb_check_bindings(bus);
	apc_mutex_unlock(&bus->dev_lock);
	return rc ? rc : (long)count;
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
	apb_check_bindings(bus);
	apc_mutex_unlock(&bus->dev_lock);
}

/* in_use() on newly reserved IDs; attr lock held.  -EBUSY on conflict. */
static int apb_verify_reservation(struct apb_bus *bus, bool adapters, const struct apbm *newly)
{
	struct apbm ones, apm, aqm;

	if (!bus->vfio)
		return 0;
	apbm_fill(&ones);
	if (adapters) {
		apm = *newly;
		aqm = bus->in_use_all_ones ? ones : bus->aqmask;
	} else {
		apm = bus->in_use_all_ones ? ones : bus->apmask;
		aqm = *newly;
	}
	return vap_resource_in_use(bus->vfio, &apm, &aqm) ? -EBUSY : 0;
}

static long apb_mask_store(struct apb_bus *bus, bool adapters, const char *buf, size_t count)
{
	struct apbm *mask = adapters ? &bus->apmask : &bus->aqmask;
	struct apbm new, newly;
	char env[APB_UEVENT_MAX];
	int rc, n;

	apc_mutex_lock(&bus->attr_lock);
	/* 6.19+: masks and driver_override exclude each other */
	rc = bus->nr_overrides ? -EINVAL : aptxt_parse_mask(buf, count, mask, &new);
	if (rc || apbm_equal(&new, mask)) {
		apc_mutex_unlock(&bus->attr_lock);
		return rc ? rc : (long)count;
	}
	if (apbm_andnot(&newly, &new, mask))
		rc = apb_verify_reservation(bus, adapters, &newly);
	if (!rc)
		*mask = new;
	apc_mutex_unlock(&bus->attr_lock);
	if (rc)
		return rc;
	apb_revise_bindings(bus);
	n = snprintf(env, sizeof(env), adapters ? "APMASK=" : "AQMASK=");
	aptxt_format_mask_line(&new, env + n);
	apb_uevent(bus, "devices/ap", env);
	return (long)count;
}

/* ---- bus attributes (§3.1) ------------------------------------------------------------------ */

const char *const apb_bus_attr_names[] = {
	"ap_adapter_mask", "ap_control_domain_mask", "ap_domain", "ap_interrupts",
	"ap_max_adapter_id", "ap_max_domain_id", "ap_usage_domain_mask", "apmask", "aqmask",
	"bindings", "bindings_complete_count", "config_time", "features", "poll_thread",
	"poll_timeout", "scans", NULL
};

int apb_bus_attr_mode(const char *attr)
{
	static const char *const rw[] = { "ap_domain", "apmask", "aqmask", "config_time",
					  "poll_thread", "poll_timeout", "scans" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rw); i++)
		if (!strcmp(attr, rw[i]))
			return 0644;
	for (i = 0; apb_bus_attr_names[i]; i++)
		if (!strcmp(attr, apb_bus_attr_names[i]))
			return 0444;
	return 0;
}

/* sscanf("%d"/"%i"): leading blanks, sign, digits; the rest is ignored. */
static int apb_sscanf_int(const char *buf, size_t count, bool base0, long long *val)
{
	char tmp[32];
	size_t len = count < sizeof(tmp) - 1 ? count : sizeof(tmp) - 1;
	char *end;

	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	*val = strtoll(tmp, &end, base0 ? 0 : 10);
	return end == tmp ? -EINVAL : 0;
}

/* kstrtobool(): the first character decides (e/y/t/1, d/n/f/0), "on"/"off". */
static int apb_strtobool(const char *buf, size_t count, bool *val)
{
	if (!count || !buf[0])
		return -EINVAL;
	switch (buf[0]) {
	case 'e': case 'E': case 'y': case 'Y': case 't': case 'T': case '1':
		*val = true;
		return 0;
	case 'd': case 'D': case 'n': case 'N': case 'f': case 'F': case '0':
		*val = false;
		return 0;
	case 'o': case 'O':
		if (count > 1 && (buf[1] == 'n' || buf[1] == 'N')) {
			*val = true;
			return 0;
		}
		if (count > 1 && (buf[1] == 'f' || buf[1] == 'F')) {
			*val = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

static int apb_qci_mask_show(const struct apb_bus *bus, const struct apbm *m, char *buf)
{
	if (!vap_qci_present(&bus->qci))
		return snprintf(buf, APC_PAGE_SIZE, "not supported\n");
	return aptxt_format_mask_line(m, buf);
}

static int apb_features_show(const struct apb_bus *bus, char *buf)
{
	const struct vap_qci *q = &bus->qci;
	int n = 0;

	if (!vap_qci_present(q))
		return snprintf(buf, APC_PAGE_SIZE, "-\n");
	buf[0] = '\0';
	if (q->apsc)
		n += snprintf(buf + n, APC_PAGE_SIZE - n, "APSC ");
	if (q->apxa)
		n += snprintf(buf + n, APC_PAGE_SIZE - n, "APXA ");
	if (q->qact)
		n += snprintf(buf + n, APC_PAGE_SIZE - n, "QACT ");
	if (q->rc8a)
		n += snprintf(buf + n, APC_PAGE_SIZE - n, "RC8A ");
	if (q->apsb)
		n += snprintf(buf + n, APC_PAGE_SIZE - n, "APSB ");
	buf[n - 1] = '\n';
	return n;
}

static int apb_bindings_show(struct apb_bus *bus, char *buf)
{
	unsigned int bound, total;

	apb_bindings(bus, &bound, &total);
	if (bus->scans && bound == total)
		return snprintf(buf, APC_PAGE_SIZE, "%u/%u (complete)\n", bound, total);
	return snprintf(buf, APC_PAGE_SIZE, "%u/%u\n", bound, total);
}

static int apb_mask_show(struct apb_bus *bus, const struct apbm *m, char *buf)
{
	struct apbm copy;

	apc_mutex_lock(&bus->attr_lock);
	copy = *m;
	apc_mutex_unlock(&bus->attr_lock);
	return aptxt_format_mask_line(&copy, buf);
}

static int apb_bus_show_locked(struct apb_bus *bus, const char *attr, char *buf)
{
	if (!strcmp(attr, "ap_domain"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", bus->ap_domain);
	if (!strcmp(attr, "ap_adapter_mask"))
		return apb_qci_mask_show(bus, &bus->qci.apm, buf);
	if (!strcmp(attr, "ap_usage_domain_mask"))
		return apb_qci_mask_show(bus, &bus->qci.aqm, buf);
	if (!strcmp(attr, "ap_control_domain_mask"))
		return apb_qci_mask_show(bus, &bus->qci.adm, buf);
	if (!strcmp(attr, "ap_max_adapter_id"))
		return snprintf(buf, APC_PAGE_SIZE, "%u\n", bus->max_adapter_id);
	if (!strcmp(attr, "ap_max_domain_id"))
		return snprintf(buf, APC_PAGE_SIZE, "%u\n", bus->max_domain_id);
	if (!strcmp(attr, "ap_interrupts"))
		return snprintf(buf, APC_PAGE_SIZE, "0\n");
	if (!strcmp(attr, "config_time"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", bus->config_time);
	if (!strcmp(attr, "poll_thread"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", bus->poll_thread ? 1 : 0);
	if (!strcmp(attr, "poll_timeout"))
		return snprintf(buf, APC_PAGE_SIZE, "%llu\n", (unsigned long long)bus->poll_timeout);
	if (!strcmp(attr, "scans"))
		return snprintf(buf, APC_PAGE_SIZE, "%llu\n", (unsigned long long)bus->scans);
	if (!strcmp(attr, "bindings"))
		return apb_bindings_show(bus, buf);
	if (!strcmp(attr, "bindings_complete_count"))
		return snprintf(buf, APC_PAGE_SIZE, "%llu\n",
				(unsigned long long)bus->bindings_complete_count);
	if (!strcmp(attr, "features"))
		return apb_features_show(bus, buf);
	return -ENOENT;
}

int apb_bus_attr_show(struct apb_bus *bus, const char *attr, char *buf)
{
	int n;

	if (!strcmp(attr, "apmask"))
		return apb_mask_show(bus, &bus->apmask, buf);
	if (!strcmp(attr, "aqmask"))
		return apb_mask_show(bus, &bus->aqmask, buf);
	apc_mutex_lock(&bus->dev_lock);
	n = apb_bus_show_locked(bus, attr, buf);
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

static long apb_ap_domain_store(struct apb_bus *bus, const char *buf, size_t count)
{
	long long d;
	bool ok;

	if (apb_sscanf_int(buf, count, true, &d))
		return -EINVAL;
	apc_mutex_lock(&bus->attr_lock);
	ok = d >= 0 && d <= bus->max_domain_id && apbm_test(&bus->aqmask, (unsigned int)d);
	apc_mutex_unlock(&bus->attr_lock);
	if (!ok)
		return -EINVAL;
	apc_mutex_lock(&bus->dev_lock);
	bus->ap_domain = (int)d;
	apc_mutex_unlock(&bus->dev_lock);
	return (long)count;
}

static long apb_settings_store(struct apb_bus *bus, const char *attr, const char *buf,
			       size_t count)
{
	long long v;
	u64 t;
	bool b;

	if (!strcmp(attr, "config_time")) {
		if (apb_sscanf_int(buf, count, false, &v) || v < 5 || v > 120)
			return -EINVAL;
		bus->config_time = (int)v;
	} else if (!strcmp(attr, "poll_thread")) {
		if (apb_strtobool(buf, count, &b))
			return -EINVAL;
		bus->poll_thread = b;
	} else {
		if (aptxt_kstrtoul(buf, count, &t) || t > 120000000000ULL)
			return -EINVAL;
		bus->poll_timeout = t;
	}
	return (long)count;
}

long apb_bus_attr_store(struct apb_bus *bus, const char *attr, const char *buf, size_t count)
{
	long rc;

	if (!strcmp(attr, "apmask"))
		return apb_mask_store(bus, true, buf, count);
	if (!strcmp(attr, "aqmask"))
		return apb_mask_store(bus, false, buf, count);
	if (!strcmp(attr, "ap_domain"))
		return apb_ap_domain_store(bus, buf, count);
	if (!strcmp(attr, "scans")) {
		apb_scan(bus);
		return (long)count;
	}
	if (!strcmp(attr, "config_time") || !strcmp(attr, "poll_thread") ||
	    !strcmp(attr, "poll_timeout")) {
		apc_mutex_lock(&bus->dev_lock);
		rc = apb_settings_store(bus, attr, buf, count);
		apc_mutex_unlock(&bus->dev_lock);
		return rc;
	}
	return apb_bus_attr_mode(attr) ? -EACCES : -ENOENT;
}

/* ---- card and queue attributes (§3.5) ------------------------------------------------- */

static const char *const apb_card_attrs[] = {
	"ap_functions", "chkstop", "config", "depth", "hwtype", "max_msg_size", "modalias",
	"pendingq_count", "raw_hwtype", "request_count", "requestq_count",
};
static const char *const apb_card_zcrypt_attrs[] = { "load", "online", "type" };
static const char *const apb_queue_attrs[] = {
	"ap_functions", "chkstop", "config", "interrupt", "pendingq_count", "request_count",
	"requestq_count", "reset",
};
static const char *const apb_queue_zcrypt_attrs[] = { "load", "online" };

int apb_card_attr_mode(const char *attr)
{
	if (!strcmp(attr, "config") || !strcmp(attr, "request_count") || !strcmp(attr, "online"))
		return 0644;
	return !strcmp(attr, "load") || !strcmp(attr, "type") || !strcmp(attr, "ap_functions") ||
	       !strcmp(attr, "chkstop") || !strcmp(attr, "depth") || !strcmp(attr, "hwtype") ||
	       !strcmp(attr, "max_msg_size") || !strcmp(attr, "modalias") ||
	       !strcmp(attr, "pendingq_count") || !strcmp(attr, "raw_hwtype") ||
	       !strcmp(attr, "requestq_count") ? 0444 : 0;
}

int apb_queue_attr_mode(const char *attr)
{
	if (!strcmp(attr, "request_count") || !strcmp(attr, "reset") || !strcmp(attr, "online") ||
	    !strcmp(attr, "driver_override"))
		return 0644;
	return !strcmp(attr, "load") || !strcmp(attr, "ap_functions") || !strcmp(attr, "chkstop") ||
	       !strcmp(attr, "config") || !strcmp(attr, "interrupt") ||
	       !strcmp(attr, "pendingq_count") || !strcmp(attr, "requestq_count") ||
	       !strcmp(attr, "status") ? 0444 : 0;
}

static int apb_list(const char **names, int max, int n, const char *const *add, unsigned int cnt)
{
	unsigned int i;

	for (i = 0; i < cnt && n < max; i++)
		names[n++] = add[i];
	return n;
}

int apb_card_attr_list(struct apb_bus *bus, unsigned int apid, const char **names, int max)
{
	int n = 0;

	apc_mutex_lock(&bus->dev_lock);
	if (apid < APBM_BITS && bus->card[apid].exists) {
		n = apb_list(names, max, n, apb_card_attrs, ARRAY_SIZE(apb_card_attrs));
		if (bus->card[apid].bound)
			n = apb_list(names, max, n, apb_card_zcrypt_attrs,
				     ARRAY_SIZE(apb_card_zcrypt_attrs));
	}
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

int apb_queue_attr_list(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			const char **names, int max)
{
	static const char *const status[] = { "status" };
	static const char *const driver_override[] = { "driver_override" };
	struct apb_queue_dev *q;
	int n = 0;

	if (apid >= APBM_BITS || apqi >= APBM_BITS)
		return 0;
	apc_mutex_lock(&bus->dev_lock);
	q = &bus->queue[apid][apqi];
	if (q->exists) {
		n = apb_list(names, max, n, apb_queue_attrs, ARRAY_SIZE(apb_queue_attrs));
		if (bus->in_use_all_ones)
			n = apb_list(names, max, n, driver_override, 1);
		if (q->drv == APB_DRV_CEX4QUEUE)
			n = apb_list(names, max, n, apb_queue_zcrypt_attrs,
				     ARRAY_SIZE(apb_queue_zcrypt_attrs));
		else if (q->drv == APB_DRV_VFIO_AP)
			n = apb_list(names, max, n, status, 1);
	}
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

/* zcrypt card "type": CEX<n><A|C|P> by generation and mode. */
static int apb_card_type_show(const struct apb_card_dev *c, char *buf)
{
	char mode = c->functions & APB_FUNC_EP11 ? 'P' : c->functions & APB_FUNC_CCA ? 'C' : 'A';

	return snprintf(buf, APC_PAGE_SIZE, "CEX%u%c\n", (unsigned int)c->comp_type - 6, mode);
}

static int apb_card_show_locked(struct apb_bus *bus, struct apb_card_dev *c, const char *attr,
				char *buf)
{
	if (!strcmp(attr, "hwtype"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", c->comp_type);
	if (!strcmp(attr, "raw_hwtype"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", c->raw_type);
	if (!strcmp(attr, "depth"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", 8);
	if (!strcmp(attr, "ap_functions"))
		return snprintf(buf, APC_PAGE_SIZE, "0x%08X\n", c->functions);
	if (!strcmp(attr, "request_count"))
		return snprintf(buf, APC_PAGE_SIZE, "%llu\n", (unsigned long long)c->request_count);
	if (!strcmp(attr, "requestq_count") || !strcmp(attr, "pendingq_count"))
		return snprintf(buf, APC_PAGE_SIZE, "0\n");
	if (!strcmp(attr, "modalias"))
		return snprintf(buf, APC_PAGE_SIZE, "ap:t%02X\n", c->comp_type);
	if (!strcmp(attr, "chkstop"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", c->chkstop ? 1 : 0);
	if (!strcmp(attr, "max_msg_size"))
		return snprintf(buf, APC_PAGE_SIZE, "%u\n", 12288u);
	if (!strcmp(attr, "config"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", c->config ? 1 : 0);
	if (c->bound && !strcmp(attr, "type"))
		return apb_card_type_show(c, buf);
	if (c->bound && !strcmp(attr, "online"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", c->online ? 1 : 0);
	if (c->bound && !strcmp(attr, "load"))
		return snprintf(buf, APC_PAGE_SIZE, "0\n");
	return -ENOENT;
}

int apb_card_attr_show(struct apb_bus *bus, unsigned int apid, const char *attr, char *buf)
{
	int n = -ENOENT;

	apc_mutex_lock(&bus->dev_lock);
	if (apid < APBM_BITS && bus->card[apid].exists)
		n = apb_card_show_locked(bus, &bus->card[apid], attr, buf);
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

/* Card config write: SCLP (de)configure, CONFIG= uevent, then a rescan. */
static long apb_card_config_store(struct apb_bus *bus, unsigned int apid, const char *buf,
				  size_t count)
{
	struct apb_card_dev *c = &bus->card[apid];
	char path[48];
	long long v;

	if (apb_sscanf_int(buf, count, false, &v) || (v != 0 && v != 1))
		return -EINVAL;
	if (c->config == (v == 1))
		return (long)count;
	apc_mutex_lock(&bus->hw_lock);
	bus->hw_card_config[apid] = v == 1;
	apc_mutex_unlock(&bus->hw_lock);
	c->config = v == 1;
	apb_card_path(apid, path, sizeof(path));
	apb_config_uevent(bus, path, c->config);
	return (long)count;
}

static void apb_online_uevent(struct apb_bus *bus, const char *path, bool online)
{
	apb_uevent(bus, path, online ? "ONLINE=1" : "ONLINE=0");
}

static long apb_card_online_store(struct apb_bus *bus, unsigned int apid, const char *buf,
				  size_t count)
{
	struct apb_card_dev *c = &bus->card[apid];
	char path[48];
	unsigned int apqi;
	long long v;

	if (apb_sscanf_int(buf, count, false, &v) || (v != 0 && v != 1))
		return -EINVAL;
	if (v && (!c->config || c->chkstop))
		return -ENODEV;
	c->online = v == 1;
	for (apqi = 0; apqi < APBM_BITS; apqi++)
		if (bus->queue[apid][apqi].drv == APB_DRV_CEX4QUEUE)
			bus->queue[apid][apqi].online = c->online;
	apb_card_path(apid, path, sizeof(path));
	apb_online_uevent(bus, path, c->online);
	return (long)count;
}

long apb_card_attr_store(struct apb_bus *bus, unsigned int apid, const char *attr,
			 const char *buf, size_t count)
{
	bool rescan = false;
	long rc = -ENOENT;

	apc_mutex_lock(&bus->dev_lock);
	if (apid >= APBM_BITS || !bus->card[apid].exists) {
		rc = -ENOENT;
	} else if (!strcmp(attr, "config")) {
		rc = apb_card_config_store(bus, apid, buf, count);
		rescan = rc > 0;
	} else if (!strcmp(attr, "request_count")) {
		bus->card[apid].request_count = 0;
		rc = (long)count;
	} else if (!strcmp(attr, "online") && bus->card[apid].bound) {
		rc = apb_card_online_store(bus, apid, buf, count);
	} else if (apb_card_attr_mode(attr)) {
		rc = -EACCES;
	}
	if (rescan)
		apb_scan_locked(bus);	/* the queues see TAPQ rc 03 / 00 */
	apc_mutex_unlock(&bus->dev_lock);
	return rc;
}

static int apb_driver_override_show(struct apb_bus *bus, struct apb_queue_dev *q, char *buf)
{
	int n;

	apc_mutex_lock(&bus->attr_lock);
	n = snprintf(buf, APC_PAGE_SIZE, "%s\n", q->driver_override);
	apc_mutex_unlock(&bus->attr_lock);
	return n;
}

/*
 * driver_override (6.19+): only while both masks are all ones (-EINVAL
 * otherwise); one trailing newline is dropped, an empty name clears.  It
 * steers the next probe, it does not re-bind by itself.  Names longer than
 * APB_OVERRIDE_MAX - 1 are refused with -EINVAL.
 */
static long apb_driver_override_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				      const char *buf, size_t count)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	size_t len = count;
	bool had, has;

	if (memchr(buf, '\0', count))
		len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= APB_OVERRIDE_MAX)
		return -EINVAL;
	apc_mutex_lock(&bus->attr_lock);
	if (!apbm_full(&bus->apmask) || !apbm_full(&bus->aqmask)) {
		apc_mutex_unlock(&bus->attr_lock);
		return -EINVAL;
	}
	had = q->driver_override[0];
	memcpy(q->driver_override, buf, len);
	q->driver_override[len] = '\0';
	has = len > 0;
	if (had != has) {
		bus->nr_overrides += has ? 1 : -1;
		if (has)
			apbm_set(&bus->override[apid], apqi);
		else
			apbm_clear(&bus->override[apid], apqi);
	}
	if (has && q->drv == APB_DRV_CEX4QUEUE)
		apbm_set(&bus->override_def[apid], apqi);
	else
		apbm_clear(&bus->override_def[apid], apqi);
	apc_mutex_unlock(&bus->attr_lock);
	return (long)count;
}

static int apb_queue_show_locked(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				 const char *attr, char *buf)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	if (!strcmp(attr, "request_count"))
		return snprintf(buf, APC_PAGE_SIZE, "%llu\n", (unsigned long long)q->request_count);
	if (!strcmp(attr, "requestq_count") || !strcmp(attr, "pendingq_count"))
		return snprintf(buf, APC_PAGE_SIZE, "0\n");
	if (!strcmp(attr, "reset"))
		return snprintf(buf, APC_PAGE_SIZE, "No Reset Timer set.\n");
	if (!strcmp(attr, "interrupt"))
		return snprintf(buf, APC_PAGE_SIZE, "Interrupts disabled.\n");
	if (!strcmp(attr, "config"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", q->config ? 1 : 0);
	if (!strcmp(attr, "chkstop"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", q->chkstop ? 1 : 0);
	if (!strcmp(attr, "ap_functions"))
		return snprintf(buf, APC_PAGE_SIZE, "0x%08X\n", bus->card[apid].functions);
	if (q->drv == APB_DRV_CEX4QUEUE && !strcmp(attr, "online"))
		return snprintf(buf, APC_PAGE_SIZE, "%d\n", q->online ? 1 : 0);
	if (q->drv == APB_DRV_CEX4QUEUE && !strcmp(attr, "load"))
		return snprintf(buf, APC_PAGE_SIZE, "0\n");
	if (q->drv == APB_DRV_VFIO_AP && !strcmp(attr, "status"))
		return vap_queue_status_show(bus->vfio, apid, apqi, buf);
	if (bus->in_use_all_ones && !strcmp(attr, "driver_override"))
		return apb_driver_override_show(bus, q, buf);
	return -ENOENT;
}

int apb_queue_attr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			const char *attr, char *buf)
{
	int n = -ENOENT;

	if (apid >= APBM_BITS || apqi >= APBM_BITS)
		return -ENOENT;
	apc_mutex_lock(&bus->dev_lock);
	if (bus->queue[apid][apqi].exists)
		n = apb_queue_show_locked(bus, apid, apqi, attr, buf);
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

static long apb_queue_online_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				   const char *buf, size_t count)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	struct apb_card_dev *c = &bus->card[apid];
	char path[48];
	long long v;

	if (apb_sscanf_int(buf, count, false, &v) || (v != 0 && v != 1))
		return -EINVAL;
	if (v && (!q->config || !c->config || q->chkstop || c->chkstop))
		return -ENODEV;
	if (v && !c->online)
		return -EINVAL;
	q->online = v == 1;
	apb_queue_path(apid, apqi, path, sizeof(path));
	apb_online_uevent(bus, path, q->online);
	return (long)count;
}

long apb_queue_attr_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			  const char *attr, const char *buf, size_t count)
{
	struct apb_queue_dev *q;
	long rc = -ENOENT;

	if (apid >= APBM_BITS || apqi >= APBM_BITS)
		return -ENOENT;
	apc_mutex_lock(&bus->dev_lock);
	q = &bus->queue[apid][apqi];
	if (!q->exists)
		rc = -ENOENT;
	else if (!strcmp(attr, "request_count"))
		rc = (q->request_count = 0, (long)count);
	else if (!strcmp(attr, "reset"))
		rc = (long)count;	/* flush + restart the reset state machine */
	else if (!strcmp(attr, "online") && q->drv == APB_DRV_CEX4QUEUE)
		rc = apb_queue_online_store(bus, apid, apqi, buf, count);
	else if (!strcmp(attr, "driver_override"))	/* no such file before 6.19 */
		rc = bus->in_use_all_ones ? apb_driver_override_store(bus, apid, apqi, buf, count) :
					    -ENOENT;
	else if (apb_queue_attr_mode(attr))
		rc = -EACCES;
	apc_mutex_unlock(&bus->dev_lock);
	return rc;
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
