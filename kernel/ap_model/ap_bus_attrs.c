// SPDX-License-Identifier: GPL-2.0
/*
 * ap_bus_attrs.c - the attribute files of the AP bus model: /sys/bus/ap
 * (docs/kernel-abi.md §3.1) and the card and queue devices (§3.5).
 *
 * One table per object, one row per file, as BUS_ATTR/DEVICE_ATTR rows
 * are in ap_bus.c, ap_card.c and ap_queue.c upstream; visibility of the
 * driver-dependent files is a predicate on the row.  Card and queue rows
 * run under dev_lock, taken by apb_attr_show()/apb_attr_store() together
 * with the check that the device still exists; bus rows take what they
 * need themselves (the mask stores must drop ap_attr_mutex before they
 * take dev_lock to re-bind, which ranks first).
 */

#include "ap_bus_priv.h"

/* ---- parsers ---------------------------------------------------------------- */

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

/* ---- bus attributes (§3.1) --------------------------------------------------- */

/* A bus show that reads device state: under dev_lock. */
static int apb_bus_show_dev(struct apb_bus *bus, char *buf,
			    int (*fn)(struct apb_bus *bus, char *buf))
{
	int n;

	apc_mutex_lock(&bus->dev_lock);
	n = fn(bus, buf);
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

static int apb_qci_mask_show(const struct apb_bus *bus, const struct apbm *m, char *buf)
{
	if (!ap_qci_present(&bus->qci))
		return snprintf(buf, APC_PAGE_SIZE, "not supported\n");
	return aptxt_format_mask_line(m, buf);
}

static int apb_features_text(const struct apb_bus *bus, char *buf)
{
	const struct ap_qci *q = &bus->qci;
	int n = 0;

	if (!ap_qci_present(q))
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

static int apb_bindings_text(struct apb_bus *bus, char *buf)
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

#define APB_BUS_SHOW(name, body)						\
static int apb_##name##_locked(struct apb_bus *bus, char *buf)		\
{									\
	return body;							\
}									\
static int apb_##name##_show(struct apb_bus *bus, unsigned int apid,	\
			      unsigned int apqi, char *buf)		\
{									\
	return apb_bus_show_dev(bus, buf, apb_##name##_locked);		\
}

APB_BUS_SHOW(ap_adapter_mask, apb_qci_mask_show(bus, &bus->qci.apm, buf))
APB_BUS_SHOW(ap_usage_domain_mask, apb_qci_mask_show(bus, &bus->qci.aqm, buf))
APB_BUS_SHOW(ap_control_domain_mask, apb_qci_mask_show(bus, &bus->qci.adm, buf))
APB_BUS_SHOW(ap_domain, APB_SHOW("%d\n", bus->ap_domain))
/* ap_irq_flag: set at module init on every LPAR and KVM host with AP IRQs */
APB_BUS_SHOW(ap_interrupts, APB_SHOW("%d\n", 1))
APB_BUS_SHOW(ap_max_adapter_id, APB_SHOW("%u\n", bus->max_adapter_id))
APB_BUS_SHOW(ap_max_domain_id, APB_SHOW("%u\n", bus->max_domain_id))
APB_BUS_SHOW(bindings, apb_bindings_text(bus, buf))
APB_BUS_SHOW(bindings_complete_count,
	     APB_SHOW("%llu\n", (unsigned long long)bus->bindings_complete_count))
APB_BUS_SHOW(config_time, APB_SHOW("%d\n", bus->config_time))
APB_BUS_SHOW(features, apb_features_text(bus, buf))
APB_BUS_SHOW(poll_thread, APB_SHOW("%d\n", bus->poll_thread ? 1 : 0))
APB_BUS_SHOW(poll_timeout, APB_SHOW("%llu\n", (unsigned long long)bus->poll_timeout))
APB_BUS_SHOW(scans, APB_SHOW("%llu\n", (unsigned long long)bus->scans))

static int apb_apmask_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	return apb_mask_show(bus, &bus->apmask, buf);
}

static int apb_aqmask_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	return apb_mask_show(bus, &bus->aqmask, buf);
}

static long apb_apmask_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			     const char *buf, size_t count)
{
	return apb_mask_store(bus, true, buf, count);
}

static long apb_aqmask_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			     const char *buf, size_t count)
{
	return apb_mask_store(bus, false, buf, count);
}

static long apb_ap_domain_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				const char *buf, size_t count)
{
	int d;
	bool ok;

	/* sscanf("%i\n") */
	if (aptxt_sscanf_int(buf, count, true, &d))
		return -EINVAL;
	apc_mutex_lock(&bus->attr_lock);
	ok = d >= 0 && (unsigned int)d <= bus->max_domain_id &&
	     apbm_test(&bus->aqmask, (unsigned int)d);
	apc_mutex_unlock(&bus->attr_lock);
	if (!ok)
		return -EINVAL;
	apc_mutex_lock(&bus->dev_lock);
	bus->ap_domain = d;
	apc_mutex_unlock(&bus->dev_lock);
	return (long)count;
}

/* Any write triggers one synchronous scan. */
static long apb_scans_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			    const char *buf, size_t count)
{
	apb_scan(bus);
	return (long)count;
}

/* A bus setting: parse into @val under dev_lock, return count or -EINVAL. */
static long apb_setting_store(struct apb_bus *bus, const char *buf, size_t count,
			      int (*set)(struct apb_bus *bus, const char *buf, size_t count))
{
	int rc;

	apc_mutex_lock(&bus->dev_lock);
	rc = set(bus, buf, count);
	apc_mutex_unlock(&bus->dev_lock);
	return rc ? rc : (long)count;
}

static int apb_set_config_time(struct apb_bus *bus, const char *buf, size_t count)
{
	int v;

	/* sscanf("%d\n") */
	if (aptxt_sscanf_int(buf, count, false, &v) || v < 5 || v > 120)
		return -EINVAL;
	bus->config_time = v;
	return 0;
}

static int apb_set_poll_thread(struct apb_bus *bus, const char *buf, size_t count)
{
	bool b;

	if (apb_strtobool(buf, count, &b))
		return -EINVAL;
	bus->poll_thread = b;
	return 0;
}

static int apb_set_poll_timeout(struct apb_bus *bus, const char *buf, size_t count)
{
	u64 t;
	int rc;

	if (!ap_profile_has(bus->profile, AP_FEAT_POLL_TIMEOUT_KSTRTOUL)) {
		/* 6.1: sscanf("%llu\n") != 1 || time < 1 || time > 120e9: -EINVAL */
		if (aptxt_sscanf_ull(buf, count, &t) || t < 1 || t > 120000000000ULL)
			return -EINVAL;
		bus->poll_timeout = t;
		return 0;
	}
	rc = aptxt_kstrtoul(buf, count, &t);
	/* kstrtoul(): -ERANGE past 2^64 - 1 reaches the writer as is */
	if (rc)
		return rc;
	if (t > 120000000000ULL)
		return -EINVAL;
	bus->poll_timeout = t;
	return 0;
}

#define APB_SETTING_STORE(name)						\
static long apb_##name##_store(struct apb_bus *bus, unsigned int apid,	\
			       unsigned int apqi, const char *buf, size_t count) \
{									\
	return apb_setting_store(bus, buf, count, apb_set_##name);	\
}

APB_SETTING_STORE(config_time)
APB_SETTING_STORE(poll_thread)
APB_SETTING_STORE(poll_timeout)

/* bindings_complete_count exists from 6.19 on. */
static bool apb_bus_has_bindings_count(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return ap_profile_has(bus->profile, AP_FEAT_BINDINGS_COUNT);
}

/* features exists from 6.4 on. */
static bool apb_bus_has_features(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return ap_profile_has(bus->profile, AP_FEAT_BUS_FEATURES);
}

#define APB_RO(name)		{ #name, 0444, apb_##name##_show, NULL, NULL }
#define APB_RW(name)		{ #name, 0644, apb_##name##_show, apb_##name##_store, NULL }
#define APB_RO_IF(name, vis)	{ #name, 0444, apb_##name##_show, NULL, vis }
#define APB_RW_IF(name, vis)	{ #name, 0644, apb_##name##_show, apb_##name##_store, vis }

static const struct apb_attr apb_bus_attr_table[] = {
	APB_RO(ap_adapter_mask),
	APB_RO(ap_control_domain_mask),
	APB_RW(ap_domain),
	APB_RO(ap_interrupts),
	APB_RO(ap_max_adapter_id),
	APB_RO(ap_max_domain_id),
	APB_RO(ap_usage_domain_mask),
	APB_RW(apmask),
	APB_RW(aqmask),
	APB_RO(bindings),
	APB_RO_IF(bindings_complete_count, apb_bus_has_bindings_count),
	APB_RW(config_time),
	APB_RO_IF(features, apb_bus_has_features),
	APB_RW(poll_thread),
	APB_RW(poll_timeout),
	APB_RW(scans),
};

/* ---- card attributes (§3.5), dev_lock held ------------------------------------ */

/* The row's device inside a show (apid/apqi are the row's arguments). */
#define APB_CARD	(&bus->card[apid])

/* zcrypt's card attributes exist while the card is bound to cex4card. */
static bool apb_card_zcrypt(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->card[apid].bound;
}

#define APB_CARD_SHOW(name, fmt, val)					\
static int apb_card_##name##_show(struct apb_bus *bus, unsigned int apid,	\
				  unsigned int apqi, char *buf)		\
{									\
	return APB_SHOW(fmt, val);					\
}

APB_CARD_SHOW(ap_functions, "0x%08X\n", APB_CARD->functions)
APB_CARD_SHOW(chkstop, "%d\n", APB_CARD->chkstop ? 1 : 0)
APB_CARD_SHOW(config, "%d\n", APB_CARD->config ? 1 : 0)
/* hwinfo.qd: the queue depth minus one (lszcrypt shows 08) */
APB_CARD_SHOW(depth, "%d\n", 7)
APB_CARD_SHOW(hwtype, "%d\n", APB_CARD->comp_type)
APB_CARD_SHOW(load, "%d\n", 0)
APB_CARD_SHOW(max_msg_size, "%u\n", 12288u)
APB_CARD_SHOW(modalias, "ap:t%02X\n", APB_CARD->comp_type)
/* zcrypt_card.c online_show(): a checkstopped card reads offline (6.10+) */
static bool apb_chkstop_counts(struct apb_bus *bus, bool chkstop)
{
	return chkstop && ap_profile_has(bus->profile, AP_FEAT_ONLINE_CHKSTOP);
}

APB_CARD_SHOW(online, "%d\n",
	      APB_CARD->config && !apb_chkstop_counts(bus, APB_CARD->chkstop) &&
	      APB_CARD->online ? 1 : 0)
APB_CARD_SHOW(pendingq_count, "%d\n", 0)
APB_CARD_SHOW(raw_hwtype, "%d\n", APB_CARD->raw_type)
APB_CARD_SHOW(request_count, "%llu\n", (unsigned long long)APB_CARD->request_count)
APB_CARD_SHOW(requestq_count, "%d\n", 0)

/* zcrypt card "type": CEX<n><A|C|P> by generation and mode. */
static int apb_card_type_show(const struct apb_card_dev *c, char *buf)
{
	char mode = c->functions & APB_FUNC_EP11 ? 'P' : c->functions & APB_FUNC_CCA ? 'C' : 'A';

	return snprintf(buf, APC_PAGE_SIZE, "CEX%u%c\n",
			AP_TYPE_GENERATION((unsigned int)c->comp_type), mode);
}

static int apb_card_type_attr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				   char *buf)
{
	return apb_card_type_show(APB_CARD, buf);
}

/* sscanf("%d\n") 0 or 1, as the zcrypt and ap_card stores take it. */
static int apb_parse_01(const char *buf, size_t count, bool *on)
{
	int v;

	if (aptxt_sscanf_int(buf, count, false, &v) || v < 0 || v > 1)
		return -EINVAL;
	*on = v;
	return 0;
}

/*
 * Card config write (ap_card.c config_store()): SCLP (de)configure only
 * when the state differs, but the CONFIG= uevent after every accepted
 * write, unchanged ones included; then a rescan.
 */
static long apb_card_config_write(struct apb_bus *bus, unsigned int apid, const char *buf,
				  size_t count)
{
	struct apb_card_dev *c = &bus->card[apid];
	char path[APB_PATH_MAX];
	bool on;

	if (apb_parse_01(buf, count, &on))
		return -EINVAL;
	if (c->config != on)
		apb_hw_set_card_config(bus, apid, on);
	c->config = on;
	apb_card_path(apid, path, sizeof(path));
	apb_config_uevent(bus, path, c->config);
	return (long)count;
}

/* Every accepted write rescans: the queues see TAPQ rc 03 / 00. */
static long apb_card_config_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				  const char *buf, size_t count)
{
	long rc = apb_card_config_write(bus, apid, buf, count);

	if (rc > 0)
		apb_scan_locked(bus);
	return rc;
}

static long apb_card_request_count_store(struct apb_bus *bus, unsigned int apid,
					 unsigned int apqi, const char *buf, size_t count)
{
	bus->card[apid].request_count = 0;
	return (long)count;
}

static void apb_online_uevent(struct apb_bus *bus, const char *path, bool online)
{
	apb_uevent(bus, path, online ? "ONLINE=1" : "ONLINE=0");
}

static long apb_card_online_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				  const char *buf, size_t count)
{
	struct apb_card_dev *c = &bus->card[apid];
	char path[APB_PATH_MAX];
	bool v;

	if (apb_parse_01(buf, count, &v))
		return -EINVAL;
	/* zcrypt_card.c: deconfigured, or (6.10+) checkstopped */
	if (v && (!c->config || apb_chkstop_counts(bus, c->chkstop)))
		return -ENODEV;
	c->online = v;
	apb_card_path(apid, path, sizeof(path));
	apb_online_uevent(bus, path, c->online);
	/* its zcrypt queues follow; ONLINE= only where the value changed */
	for (apqi = 0; apqi < APBM_BITS; apqi++) {
		struct apb_queue_dev *q = &bus->queue[apid][apqi];

		if (q->drv != APB_DRV_CEX4QUEUE || q->online == v)
			continue;
		q->online = v;
		apb_queue_path(apid, apqi, path, sizeof(path));
		apb_online_uevent(bus, path, v);
	}
	return (long)count;
}

#define APB_CARD_RO(name)	{ #name, 0444, apb_card_##name##_show, NULL, NULL }
#define APB_CARD_RW(name)	\
	{ #name, 0644, apb_card_##name##_show, apb_card_##name##_store, NULL }

static const struct apb_attr apb_card_attr_table[] = {
	{ "API_ordinalnr", 0444, apb_card_api_ordinalnr_show, NULL, apb_card_is_ep11 },
	{ "FW_version", 0444, apb_card_fw_version_show, NULL, apb_card_is_ep11 },
	APB_CARD_RO(ap_functions),
	APB_CARD_RO(chkstop),
	APB_CARD_RW(config),
	APB_CARD_RO(depth),
	APB_CARD_RO(hwtype),
	{ "load", 0444, apb_card_load_show, NULL, apb_card_zcrypt },
	APB_CARD_RO(max_msg_size),
	APB_CARD_RO(modalias),
	{ "online", 0644, apb_card_online_show, apb_card_online_store, apb_card_zcrypt },
	{ "op_modes", 0444, apb_card_op_modes_show, NULL, apb_card_is_ep11 },
	APB_CARD_RO(pendingq_count),
	APB_CARD_RO(raw_hwtype),
	APB_CARD_RW(request_count),
	APB_CARD_RO(requestq_count),
	{ "serialnr", 0444, apb_card_serialnr_show, NULL, apb_card_is_coproc },
	{ "type", 0444, apb_card_type_attr_show, NULL, apb_card_zcrypt },
};

/* ---- queue attributes (§3.5), dev_lock held ------------------------------------ */

#define APB_QUEUE	(&bus->queue[apid][apqi])

/* zcrypt's queue attributes exist while bound to cex4queue. */
static bool apb_queue_zcrypt(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->queue[apid][apqi].drv == APB_DRV_CEX4QUEUE;
}

/* The registered driver's own attribute ("status") on the queues it owns. */
static bool apb_queue_driver_owned(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->queue[apid][apqi].drv == APB_DRV_VFIO_AP && bus->drv_ops &&
	       bus->drv_ops->queue_status_show;
}

/* driver_override exists from 6.19 on. */
static bool apb_queue_has_override(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return ap_profile_has(bus->profile, AP_FEAT_DRIVER_OVERRIDE);
}

/* The queue's ap_functions exists from 6.4 on (the card's is older). */
static bool apb_queue_has_functions(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return ap_profile_has(bus->profile, AP_FEAT_QUEUE_AP_FUNCTIONS);
}

#define APB_QUEUE_SHOW(name, fmt, val)					\
static int apb_queue_##name##_show(struct apb_bus *bus, unsigned int apid,	\
				   unsigned int apqi, char *buf)		\
{									\
	return APB_SHOW(fmt, val);					\
}

APB_QUEUE_SHOW(ap_functions, "0x%08X\n", bus->card[apid].functions)
APB_QUEUE_SHOW(chkstop, "%d\n", APB_QUEUE->chkstop ? 1 : 0)
APB_QUEUE_SHOW(config, "%d\n", APB_QUEUE->config ? 1 : 0)
APB_QUEUE_SHOW(interrupt, "%s\n", "Interrupts disabled.")
APB_QUEUE_SHOW(load, "%d\n", 0)
APB_QUEUE_SHOW(online, "%d\n",
	       APB_QUEUE->config && !apb_chkstop_counts(bus, APB_QUEUE->chkstop) &&
	       APB_QUEUE->online ? 1 : 0)
APB_QUEUE_SHOW(pendingq_count, "%d\n", 0)
/* "-" while the queue's dev_state is UNINITIATED (struct apb_queue_dev) */
static int apb_queue_request_count_show(struct apb_bus *bus, unsigned int apid,
					unsigned int apqi, char *buf)
{
	if (!APB_QUEUE->initiated)
		return APB_SHOW("%s\n", "-");
	return APB_SHOW("%llu\n", (unsigned long long)APB_QUEUE->request_count);
}

APB_QUEUE_SHOW(requestq_count, "%d\n", 0)
APB_QUEUE_SHOW(reset, "%s\n", "No Reset Timer set.")

static int apb_queue_status_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				 char *buf)
{
	return bus->drv_ops->queue_status_show(bus->drv, apid, apqi, buf);
}

static long apb_queue_request_count_store(struct apb_bus *bus, unsigned int apid,
					  unsigned int apqi, const char *buf, size_t count)
{
	bus->queue[apid][apqi].request_count = 0;
	return (long)count;
}

/* Flush + restart the reset state machine: nothing to model. */
static long apb_queue_reset_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				  const char *buf, size_t count)
{
	return (long)count;
}

static int apb_queue_driver_override_show(struct apb_bus *bus, unsigned int apid,
					  unsigned int apqi, char *buf)
{
	const struct apb_queue_dev *q = APB_QUEUE;
	int n;

	apc_mutex_lock(&bus->attr_lock);
	n = snprintf(buf, APC_PAGE_SIZE, "%s\n", q->driver_override ?: "");
	apc_mutex_unlock(&bus->attr_lock);
	return n;
}

/*
 * driver_set_override(): @count must stay below PAGE_SIZE - 1 (the show
 * adds a newline); the name ends at the first NUL, then at the first
 * newline; an empty name or a leading newline clears.  Other characters,
 * blanks too, are kept.  *@name gets the new string or NULL (clear).
 */
static int apb_override_name(const char *buf, size_t count, char **name)
{
	size_t len;
	const char *nl;

	if (count >= APC_PAGE_SIZE - 1)
		return -EINVAL;
	len = strnlen(buf, count);
	nl = memchr(buf, '\n', len);
	if (nl)
		len = (size_t)(nl - buf);
	*name = NULL;
	if (!len)
		return 0;
	*name = apb_strndup(buf, len);
	return *name ? 0 : -ENOMEM;
}

/* Install @name (NULL: clear) and keep the override bitmaps in step. */
static void apb_set_override(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			     char *name)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];

	apc_assert_held(&bus->attr_lock);
	apb_free_override(bus, apid, apqi);
	if (!name)
		return;
	q->driver_override = name;
	bus->nr_overrides++;
	apbm_set(&bus->override[apid], apqi);
	if (q->drv == APB_DRV_CEX4QUEUE)
		apbm_set(&bus->override_def[apid], apqi);
}

/*
 * driver_override (6.19+): only while both masks are all ones (-EINVAL
 * otherwise), then driver_set_override()'s rules.  It steers the next
 * probe, it does not re-bind by itself.
 */
static long apb_queue_driver_override_store(struct apb_bus *bus, unsigned int apid,
					    unsigned int apqi, const char *buf, size_t count)
{
	char *name;
	int rc = apb_override_name(buf, count, &name);

	if (rc)
		return rc;
	apc_mutex_lock(&bus->attr_lock);
	if (!apbm_full(&bus->apmask) || !apbm_full(&bus->aqmask)) {
		apc_mutex_unlock(&bus->attr_lock);
		apc_free(name);
		return -EINVAL;
	}
	apb_set_override(bus, apid, apqi, name);
	apc_mutex_unlock(&bus->attr_lock);
	return (long)count;
}

static long apb_queue_online_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				   const char *buf, size_t count)
{
	struct apb_queue_dev *q = &bus->queue[apid][apqi];
	struct apb_card_dev *c = &bus->card[apid];
	char path[APB_PATH_MAX];
	bool v;

	if (apb_parse_01(buf, count, &v))
		return -EINVAL;
	/* zcrypt_queue.c: queue or card deconfigured, or (6.10+) checkstopped */
	if (v && (!q->config || !c->config || apb_chkstop_counts(bus, q->chkstop) ||
		  apb_chkstop_counts(bus, c->chkstop)))
		return -ENODEV;
	if (v && !c->online)
		return -EINVAL;
	q->online = v;
	apb_queue_path(apid, apqi, path, sizeof(path));
	apb_online_uevent(bus, path, q->online);
	return (long)count;
}

#define APB_QUEUE_RO(name)	{ #name, 0444, apb_queue_##name##_show, NULL, NULL }
#define APB_QUEUE_RW(name)	\
	{ #name, 0644, apb_queue_##name##_show, apb_queue_##name##_store, NULL }

static const struct apb_attr apb_queue_attr_table[] = {
	{ "ap_functions", 0444, apb_queue_ap_functions_show, NULL, apb_queue_has_functions },
	APB_QUEUE_RO(chkstop),
	APB_QUEUE_RO(config),
	{ "driver_override", 0644, apb_queue_driver_override_show,
	  apb_queue_driver_override_store, apb_queue_has_override },
	APB_QUEUE_RO(interrupt),
	{ "load", 0444, apb_queue_load_show, NULL, apb_queue_zcrypt },
	{ "mkvps", 0444, apb_queue_mkvps_show, NULL, apb_queue_is_coproc },
	{ "online", 0644, apb_queue_online_show, apb_queue_online_store, apb_queue_zcrypt },
	{ "op_modes", 0444, apb_queue_op_modes_show, NULL, apb_queue_is_ep11 },
	APB_QUEUE_RO(pendingq_count),
	APB_QUEUE_RW(request_count),
	APB_QUEUE_RO(requestq_count),
	APB_QUEUE_RW(reset),
	{ "status", 0444, apb_queue_status_show, NULL, apb_queue_driver_owned },
};

/* ---- /sys/class/zcrypt (zcrypt_api.c) ------------------------------------------- */

/* The class's own files: write-only, mode 0600 as upstream declares them. */
static const struct apb_attr apb_zcrypt_attr_table[] = {
	{ "create", 0600, NULL, apb_zcdn_create_store, NULL },
	{ "destroy", 0600, NULL, apb_zcdn_destroy_store, NULL },
};

#define APB_ZCDN_RW(name)	\
	{ #name, 0644, apb_zcdn_##name##_show, apb_zcdn_##name##_store, NULL }

/* One device node's files (zcdn_dev_attr_group, and the core's dev). */
static const struct apb_attr apb_zcdn_attr_table[] = {
	APB_ZCDN_RW(admask),
	APB_ZCDN_RW(apmask),
	APB_ZCDN_RW(aqmask),
	{ "dev", 0444, apb_zcdn_dev_show, NULL, NULL },
	APB_ZCDN_RW(ioctlmask),
};

/* ---- dispatch --------------------------------------------------------------------- */

const struct apb_attr *apb_attrs(enum apb_obj obj, unsigned int *n)
{
	switch (obj) {
	case APB_OBJ_BUS:
		*n = ARRAY_SIZE(apb_bus_attr_table);
		return apb_bus_attr_table;
	case APB_OBJ_CARD:
		*n = ARRAY_SIZE(apb_card_attr_table);
		return apb_card_attr_table;
	case APB_OBJ_ZCRYPT:
		*n = ARRAY_SIZE(apb_zcrypt_attr_table);
		return apb_zcrypt_attr_table;
	case APB_OBJ_ZCDN:
		*n = ARRAY_SIZE(apb_zcdn_attr_table);
		return apb_zcdn_attr_table;
	default:
		*n = ARRAY_SIZE(apb_queue_attr_table);
		return apb_queue_attr_table;
	}
}

const struct apb_attr *apb_attr_find(enum apb_obj obj, const char *name)
{
	unsigned int i, n;
	const struct apb_attr *t = apb_attrs(obj, &n);

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

/* dev_lock held (card and queue rows). */
static bool apb_present_locked(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
			       unsigned int apid, unsigned int apqi)
{
	if (apid >= APBM_BITS || apqi >= APBM_BITS || (obj == APB_OBJ_ZCDN && apid >= APB_ZCDN_MAX))
		return false;
	if (obj == APB_OBJ_CARD && !bus->card[apid].exists)
		return false;
	if (obj == APB_OBJ_QUEUE && !bus->queue[apid][apqi].exists)
		return false;
	if (obj == APB_OBJ_ZCDN && !bus->zcdn[apid].name[0])
		return false;
	return !a->is_visible || a->is_visible(bus, apid, apqi);
}

/* Bus and class files belong to no device: their rows lock for themselves. */
static bool apb_obj_is_device(enum apb_obj obj)
{
	return obj != APB_OBJ_BUS && obj != APB_OBJ_ZCRYPT;
}

bool apb_attr_present(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
		      unsigned int apid, unsigned int apqi)
{
	bool present;

	if (!apb_obj_is_device(obj))
		return !a->is_visible || a->is_visible(bus, 0, 0);
	apc_mutex_lock(&bus->dev_lock);
	present = apb_present_locked(bus, obj, a, apid, apqi);
	apc_mutex_unlock(&bus->dev_lock);
	return present;
}

int apb_attr_show(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
		  unsigned int apid, unsigned int apqi, char *buf)
{
	int n = -ENOENT;

	if (!a->show)
		return -EIO;	/* dev_attr_show() without a show method */
	if (!apb_obj_is_device(obj))
		return apb_attr_present(bus, obj, a, 0, 0) ? a->show(bus, 0, 0, buf) : -ENOENT;
	apc_mutex_lock(&bus->dev_lock);
	if (apb_present_locked(bus, obj, a, apid, apqi))
		n = a->show(bus, apid, apqi, buf);
	apc_mutex_unlock(&bus->dev_lock);
	return n;
}

long apb_attr_store(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
		    unsigned int apid, unsigned int apqi, const char *buf, size_t count)
{
	long rc = -ENOENT;

	if (!apb_obj_is_device(obj)) {
		if (!apb_attr_present(bus, obj, a, 0, 0))
			return -ENOENT;
		return a->store ? a->store(bus, 0, 0, buf, count) : -EACCES;
	}
	apc_mutex_lock(&bus->dev_lock);
	if (apb_present_locked(bus, obj, a, apid, apqi))
		rc = a->store ? a->store(bus, apid, apqi, buf, count) : -EACCES;
	apc_mutex_unlock(&bus->dev_lock);
	return rc;
}

/* ---- by name ---------------------------------------------------------------------- */

int apb_bus_attr_show(struct apb_bus *bus, const char *attr, char *buf)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_BUS, attr);

	return a ? apb_attr_show(bus, APB_OBJ_BUS, a, 0, 0, buf) : -ENOENT;
}

long apb_bus_attr_store(struct apb_bus *bus, const char *attr, const char *buf, size_t count)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_BUS, attr);

	return a ? apb_attr_store(bus, APB_OBJ_BUS, a, 0, 0, buf, count) : -ENOENT;
}

int apb_card_attr_show(struct apb_bus *bus, unsigned int apid, const char *attr, char *buf)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_CARD, attr);

	return a ? apb_attr_show(bus, APB_OBJ_CARD, a, apid, 0, buf) : -ENOENT;
}

long apb_card_attr_store(struct apb_bus *bus, unsigned int apid, const char *attr,
			 const char *buf, size_t count)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_CARD, attr);

	return a ? apb_attr_store(bus, APB_OBJ_CARD, a, apid, 0, buf, count) : -ENOENT;
}

int apb_queue_attr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			const char *attr, char *buf)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_QUEUE, attr);

	return a ? apb_attr_show(bus, APB_OBJ_QUEUE, a, apid, apqi, buf) : -ENOENT;
}

long apb_queue_attr_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			  const char *attr, const char *buf, size_t count)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_QUEUE, attr);

	return a ? apb_attr_store(bus, APB_OBJ_QUEUE, a, apid, apqi, buf, count) : -ENOENT;
}
