// SPDX-License-Identifier: GPL-2.0
/*
 * bench_ref.c - the naive per-APQN reference timed by bench/engine.
 * See bench_ref.h for what it is (and is not).
 */
#include "bench_ref.h"

#define REF_FOR_EACH(id) for ((id) = 0; (id) < REF_IDS; (id)++)

static void ref_log(struct ref_host *h, const struct ref_mdev *m, const char *what,
		    unsigned int apid, unsigned int apqi)
{
	snprintf(h->last_log, sizeof(h->last_log), "vfio_ap_mdev %s: %s %02x.%04x", m->name, what,
		 apid, apqi);
	h->log_lines++;
}

static void ref_to_bools(const struct apbm *m, bool *ids)
{
	unsigned int id;

	REF_FOR_EACH(id)
		ids[id] = apbm_test(m, id);
}

static void ref_from_bools(const bool *ids, struct apbm *m)
{
	unsigned int id;

	apbm_zero(m);
	REF_FOR_EACH(id)
		if (ids[id])
			apbm_set(m, id);
}

static bool ref_reserved(const struct ref_host *h, unsigned int apid, unsigned int apqi)
{
	return h->apmask[apid] && h->aqmask[apqi];
}

void ref_host_init(struct ref_host *h, const struct apbm *apmask, const struct apbm *aqmask)
{
	unsigned int apid, apqi;

	memset(h, 0, sizeof(*h));
	REF_FOR_EACH(apid)
		h->qci_apm[apid] = h->qci_aqm[apid] = h->qci_adm[apid] = true;
	ref_to_bools(apmask, h->apmask);
	ref_to_bools(aqmask, h->aqmask);
	REF_FOR_EACH(apid)
		REF_FOR_EACH(apqi)
			h->vfio_bound[apid][apqi] = !ref_reserved(h, apid, apqi);
}

void ref_host_fini(struct ref_host *h)
{
	struct ref_mdev *m;

	while ((m = h->mdevs)) {
		h->mdevs = m->next;
		free(m);
	}
}

struct ref_mdev *ref_mdev_create(struct ref_host *h, const char *uuid)
{
	struct ref_mdev *m = calloc(1, sizeof(*m)), **tail = &h->mdevs;

	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "%s", uuid);
	m->apm_max = m->aqm_max = m->adm_max = REF_IDS - 1;
	while (*tail)
		tail = &(*tail)->next;
	*tail = m;
	return m;
}

static void ref_reset(struct ref_host *h, unsigned int apid, unsigned int apqi)
{
	h->reset_rc[apid][apqi] = 0;
	h->resets++;
}

/* Is any APQN of apm x aqm held by an mdev other than @self?  Log them. */
static bool ref_shared(struct ref_host *h, const struct ref_mdev *self, const bool *apm,
		       const bool *aqm, const char *what)
{
	unsigned int apid, apqi;
	struct ref_mdev *o;
	bool found;

	for (o = h->mdevs; o; o = o->next) {
		if (o == self)
			continue;
		found = false;
		REF_FOR_EACH(apid)
			REF_FOR_EACH(apqi)
				if (apm[apid] && aqm[apqi] && o->apm[apid] && o->aqm[apqi]) {
					ref_log(h, self ? self : o, what, apid, apqi);
					found = true;
				}
		if (found)
			return true;
	}
	return false;
}

static int ref_validate(struct ref_host *h, const struct ref_mdev *m, const bool *apm,
			const bool *aqm)
{
	unsigned int apid, apqi;

	REF_FOR_EACH(apid)
		REF_FOR_EACH(apqi)
			if (apm[apid] && aqm[apqi] && ref_reserved(h, apid, apqi))
				return -EADDRNOTAVAIL;
	if (ref_shared(h, m, apm, aqm, "may not assign queue"))
		return -EADDRINUSE;
	return 0;
}

static void ref_link_all(struct ref_host *h, struct ref_mdev *m)
{
	unsigned int apid, apqi;

	REF_FOR_EACH(apid)
		REF_FOR_EACH(apqi)
			if (m->apm[apid] && m->aqm[apqi] && h->vfio_bound[apid][apqi])
				h->link[apid][apqi] = m;
}

/* Shadow from scratch; reset the queues of adapters that left it. */
static void ref_filter(struct ref_host *h, struct ref_mdev *m, bool cdoms)
{
	bool prev[REF_IDS], filtered[REF_IDS] = { false };
	unsigned int apid, apqi;

	memcpy(prev, m->sapm, sizeof(prev));
	REF_FOR_EACH(apid) {
		m->sapm[apid] = m->apm[apid] && h->qci_apm[apid];
		m->saqm[apid] = m->aqm[apid] && h->qci_aqm[apid];
		if (cdoms)
			m->sadm[apid] = m->adm[apid] && h->qci_adm[apid];
	}
	REF_FOR_EACH(apid) {
		REF_FOR_EACH(apqi) {
			if (!m->sapm[apid] || !m->saqm[apqi])
				continue;
			if (h->link[apid][apqi] == m && h->reset_rc[apid][apqi] == 0)
				continue;
			m->sapm[apid] = false;
			filtered[apid] = prev[apid];
		}
	}
	REF_FOR_EACH(apid)
		REF_FOR_EACH(apqi)
			if (filtered[apid] && m->saqm[apqi] && h->link[apid][apqi] == m)
				ref_reset(h, apid, apqi);
}

/* Unlink (@apid, any) or (any, @apqi) of @m; reset what was passed through. */
static void ref_unplug(struct ref_host *h, struct ref_mdev *m, int apid_only, int apqi_only)
{
	unsigned int apid, apqi;

	REF_FOR_EACH(apid) {
		REF_FOR_EACH(apqi) {
			if ((apid_only >= 0 && apid != (unsigned int)apid_only) ||
			    (apqi_only >= 0 && apqi != (unsigned int)apqi_only) ||
			    h->link[apid][apqi] != m)
				continue;
			if (m->sapm[apid] && m->saqm[apqi])
				ref_reset(h, apid, apqi);
			h->link[apid][apqi] = NULL;
		}
	}
	if (apid_only >= 0)
		m->sapm[apid_only] = false;
	if (apqi_only >= 0)
		m->saqm[apqi_only] = false;
}

static int ref_parse_id(const char *buf, size_t count, unsigned int max, unsigned int *id)
{
	u64 val;
	int rc = aptxt_kstrtoul(buf, count, &val);

	if (rc)
		return rc;
	if (val > max)
		return -ENODEV;
	*id = (unsigned int)val;
	return 0;
}

long ref_assign_adapter_store(struct ref_host *h, struct ref_mdev *m, const char *buf, size_t count)
{
	unsigned int id;
	int rc = ref_parse_id(buf, count, m->apm_max, &id);

	if (rc)
		return rc;
	if (m->apm[id])
		return (long)count;
	m->apm[id] = true;
	rc = ref_validate(h, m, m->apm, m->aqm);
	if (rc) {
		m->apm[id] = false;
		return rc;
	}
	ref_link_all(h, m);
	ref_filter(h, m, false);
	return (long)count;
}

long ref_unassign_adapter_store(struct ref_host *h, struct ref_mdev *m, const char *buf, size_t count)
{
	unsigned int id;
	int rc = ref_parse_id(buf, count, m->apm_max, &id);

	if (rc)
		return rc;
	if (!m->apm[id])
		return (long)count;
	m->apm[id] = false;
	ref_unplug(h, m, (int)id, -1);
	return (long)count;
}

long ref_ap_config_store(struct ref_host *h, struct ref_mdev *m, const char *buf, size_t count)
{
	bool apm[REF_IDS], aqm[REF_IDS], adm[REF_IDS];
	struct apbm a, q, d;
	unsigned int id;
	int rc;

	if (aptxt_parse_ap_config(buf, count, &a, &q, &d))
		return -EINVAL;
	ref_to_bools(&a, apm);
	ref_to_bools(&q, aqm);
	ref_to_bools(&d, adm);
	rc = ref_validate(h, m, apm, aqm);
	if (rc)
		return rc;
	REF_FOR_EACH(id)
		if (m->apm[id] && !apm[id])
			ref_unplug(h, m, (int)id, -1);
	REF_FOR_EACH(id)
		if (m->aqm[id] && !aqm[id])
			ref_unplug(h, m, -1, (int)id);
	memcpy(m->apm, apm, sizeof(apm));
	memcpy(m->aqm, aqm, sizeof(aqm));
	memcpy(m->adm, adm, sizeof(adm));
	ref_link_all(h, m);
	ref_filter(h, m, true);
	return (long)count;
}

static struct ref_mdev *ref_owner(struct ref_host *h, unsigned int apid, unsigned int apqi)
{
	struct ref_mdev *m;

	for (m = h->mdevs; m; m = m->next)
		if (m->apm[apid] && m->aqm[apqi])
			return m;
	return NULL;
}

static void ref_queue_probe(struct ref_host *h, unsigned int apid, unsigned int apqi)
{
	struct ref_mdev *m = ref_owner(h, apid, apqi);

	h->vfio_bound[apid][apqi] = true;
	h->reset_rc[apid][apqi] = 0;
	if (m) {
		h->link[apid][apqi] = m;
		ref_filter(h, m, false);
	}
}

static void ref_queue_remove(struct ref_host *h, unsigned int apid, unsigned int apqi)
{
	struct ref_mdev *m = h->link[apid][apqi];
	unsigned int q;

	if (m && m->sapm[apid] && m->saqm[apqi]) {
		m->sapm[apid] = false;
		REF_FOR_EACH(q)
			if (h->link[apid][q] == m && m->saqm[q])
				ref_reset(h, apid, q);
	} else if (h->qci_apm[apid] && h->qci_aqm[apqi]) {
		ref_reset(h, apid, apqi);
	}
	h->link[apid][apqi] = NULL;
	h->vfio_bound[apid][apqi] = false;
}

long ref_apmask_store(struct ref_host *h, const char *buf, size_t count)
{
	bool newly[REF_IDS], all[REF_IDS], any = false, reserved;
	char line[80], uevent[sizeof(line) + 8];
	unsigned int apid, apqi;
	struct apbm cur, new;

	ref_from_bools(h->apmask, &cur);
	if (aptxt_parse_mask(buf, count, &cur, &new))
		return -EINVAL;
	REF_FOR_EACH(apid) {
		newly[apid] = apbm_test(&new, apid) && !h->apmask[apid];
		any |= newly[apid];
		all[apid] = true;
	}
	if (any && ref_shared(h, NULL, newly, all, "Can not reserve queue"))
		return -EBUSY;
	if (apbm_equal(&cur, &new))
		return (long)count;
	ref_to_bools(&new, h->apmask);
	REF_FOR_EACH(apid) {
		REF_FOR_EACH(apqi) {
			reserved = ref_reserved(h, apid, apqi);
			if (reserved && h->vfio_bound[apid][apqi])
				ref_queue_remove(h, apid, apqi);
			else if (!reserved && !h->vfio_bound[apid][apqi])
				ref_queue_probe(h, apid, apqi);
		}
	}
	aptxt_format_mask_line(&new, line);
	snprintf(uevent, sizeof(uevent), "APMASK=%s", line);
	h->uevents++;
	return (long)count;
}
