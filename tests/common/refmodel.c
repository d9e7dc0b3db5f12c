// SPDX-License-Identifier: GPL-2.0
/*
 * refmodel.c - naive reference model of vfio_ap + AP bus, from the spec.
 *
 * Every rule below is written from docs/kernel-abi.md; the section is named
 * next to it.  Style on purpose: bool arrays and per-APQN loops, so that
 * the model and the engine (word-wise bitmap algebra) share no logic.
 *
 * Reading guide: "slot" is an index into rm->m[]; mdev_list order is the
 * creation order (rm_mdev_order()).  "linked" means the queue object is in
 * the mdev's qtable (q->link == slot, §4.1).
 */
#include <stdarg.h>

#include "refmodel.h"

/* ------------------------------------------------------------------------
 * small helpers
 */

static bool rm_any(const bool *v)
{
	unsigned int id;

	for (id = 0; id < RM_IDS; id++)
		if (v[id])
			return true;
	return false;
}

static bool rm_same(const bool *a, const bool *b)
{
	unsigned int id;

	for (id = 0; id < RM_IDS; id++)
		if (a[id] != b[id])
			return false;
	return true;
}

static void rm_to_apbm(const bool *v, struct apbm *b)
{
	unsigned int id;

	apbm_zero(b);
	for (id = 0; id < RM_IDS; id++)
		if (v[id])
			apbm_set(b, id);
}

static void rm_from_apbm(const struct apbm *b, bool *v)
{
	unsigned int id;

	for (id = 0; id < RM_IDS; id++)
		v[id] = apbm_test(b, id);
}

static void rm_log(struct rm *rm, int slot, const char *fmt, ...)
{
	char msg[RM_LOG_LEN - APTXT_UUID_LEN - 3], line[RM_LOG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%.36s: %s", rm->m[slot].name, msg);
	if (rm->ev.nr_logs < RM_MAX_LOGS)
		memcpy(rm->ev.log[rm->ev.nr_logs], line, sizeof(line));
	rm->ev.nr_logs++;
}

int rm_mdev_order(const struct rm *rm, int out[RM_MAX_MDEVS])
{
	int n = 0, i, j;

	for (i = 0; i < RM_MAX_MDEVS; i++)
		if (rm->m[i].used)
			out[n++] = i;
	/* insertion sort, newest first: mdev_list is built with list_add */
	for (i = 1; i < n; i++) {
		int s = out[i];

		for (j = i; j > 0 && rm->m[out[j - 1]].seq < rm->m[s].seq; j--)
			out[j] = out[j - 1];
		out[j] = s;
	}
	return n;
}

int rm_apqn_owner(const struct rm *rm, unsigned int apid, unsigned int apqi)
{
	int order[RM_MAX_MDEVS], n, i;

	n = rm_mdev_order(rm, order);
	for (i = 0; i < n; i++) {
		const struct rm_mdev *m = &rm->m[order[i]];

		if (m->apm[apid] && m->aqm[apqi])
			return order[i];
	}
	return -1;
}

/* §1.1: mdev maxima from QCI; without APXA 63 / 15. */
static unsigned int rm_vfio_max_apid(const struct rm *rm)
{
	return rm->apxa ? rm->na : 63;
}

static unsigned int rm_vfio_max_apqi(const struct rm *rm)
{
	return rm->apxa ? rm->nd : 15;
}

/* §1.1: the bus uses Na/Nd only with APXA and when non-zero. */
static unsigned int rm_bus_max_apid(const struct rm *rm)
{
	return rm->apxa && rm->na ? rm->na : 63;
}

static unsigned int rm_bus_max_apqi(const struct rm *rm)
{
	return rm->apxa && rm->nd ? rm->nd : 15;
}

/* §3.4: host-reserved iff APID in apmask AND APQI in aqmask. */
static bool rm_reserved(const struct rm *rm, unsigned int apid, unsigned int apqi)
{
	return rm->apmask[apid] && rm->aqmask[apqi];
}

static bool rm_vfio_bound(const struct rm *rm, unsigned int apid, unsigned int apqi)
{
	return rm->q[apid][apqi].exists && rm->q[apid][apqi].drv == RM_DRV_VFIO_AP;
}

/* ------------------------------------------------------------------------
 * KVM (§4.4)
 */

static void rm_guest_set_masks(struct rm *rm, struct rm_mdev *m)
{
	struct rm_guest *g = &rm->g[m->kvm];
	unsigned int id;

	/* format 0/1 CRYCBs only hold IDs 0-63 (apm) and 0-15 (aqm, adm) */
	for (id = 0; id < RM_IDS; id++) {
		g->apm[id] = m->s_apm[id] && (g->fmt2 || id <= 63);
		g->aqm[id] = m->s_aqm[id] && (g->fmt2 || id <= 15);
		g->adm[id] = m->s_adm[id] && (g->fmt2 || id <= 15);
	}
	g->updates++;
}

static void rm_guest_clear_masks(struct rm *rm, struct rm_mdev *m)
{
	struct rm_guest *g = &rm->g[m->kvm];

	memset(g->apm, 0, sizeof(g->apm));
	memset(g->aqm, 0, sizeof(g->aqm));
	memset(g->adm, 0, sizeof(g->adm));
	g->updates++;
}

/* vfio_ap_mdev_update_guest_apcb(): only when attached; 6.15+ signals. */
static void rm_update_guest(struct rm *rm, int slot)
{
	struct rm_mdev *m = &rm->m[slot];

	if (m->kvm < 0)
		return;
	rm_guest_set_masks(rm, m);
	if (m->cfg_trigger)
		m->signals[1]++;
}

/* ------------------------------------------------------------------------
 * resets (§4.9): the hardware answers the injected rc once, else 0 for a
 * configured APQN and 01 (not available) outside the configuration.
 */

static void rm_reset_queue(struct rm *rm, unsigned int apid, unsigned int apqi)
{
	struct rm_events *ev = &rm->ev;
	unsigned char rc;

	if (rm->inject[apid][apqi] >= 0) {
		rc = (unsigned char)rm->inject[apid][apqi];
		rm->inject[apid][apqi] = -1;
	} else if (rm->hw_apm[apid] && rm->hw_aqm[apqi]) {
		rc = 0x00;
	} else {
		rc = 0x01;
	}
	rm->q[apid][apqi].reset_rc = rc;
	if (ev->nr_resets < RM_MAX_RESETS) {
		ev->reset[ev->nr_resets].apid = (unsigned char)apid;
		ev->reset[ev->nr_resets].apqi = (unsigned char)apqi;
		ev->reset[ev->nr_resets].rc = rc;
	}
	ev->nr_resets++;
}

/* A reset list: the kernel collects queues, then resets them all. */
struct rm_qlist {
	unsigned int n;
	unsigned char apid[RM_IDS * 4], apqi[RM_IDS * 4];
};

static void rm_qlist_add(struct rm_qlist *l, unsigned int apid, unsigned int apqi)
{
	if (l->n < RM_IDS * 4) {
		l->apid[l->n] = (unsigned char)apid;
		l->apqi[l->n] = (unsigned char)apqi;
		l->n++;
	}
}

static void rm_qlist_reset(struct rm *rm, const struct rm_qlist *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		rm_reset_queue(rm, l->apid[i], l->apqi[i]);
}

/* Every queue linked to the mdev (close, VFIO_DEVICE_RESET, remove). */
static void rm_reset_all_linked(struct rm *rm, int slot)
{
	unsigned int a, d;

	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++)
			if (rm->q[a][d].exists && rm->q[a][d].link == slot)
				rm_reset_queue(rm, a, d);
}

/* ------------------------------------------------------------------------
 * links (§4.1)
 */

static void rm_link(struct rm *rm, int slot, unsigned int apid, unsigned int apqi)
{
	/* only queues that exist and are bound to vfio_ap; duplicates ignored */
	if (rm_vfio_bound(rm, apid, apqi))
		rm->q[apid][apqi].link = slot;
}

/* ------------------------------------------------------------------------
 * filtering (§4.3, 6.8+ rules: whole matrix, loop over the shadow)
 */

/* _queue_passable(): linked to this mdev and last reset rc 0, 3 or 4 */
static bool rm_passable(const struct rm *rm, int slot, unsigned int apid, unsigned int apqi)
{
	const struct rm_queue *q = &rm->q[apid][apqi];

	if (!q->exists || q->drv != RM_DRV_VFIO_AP || q->link != slot)
		return false;
	return q->reset_rc == 0x00 || q->reset_rc == 0x03 || q->reset_rc == 0x04;
}

static bool rm_filter_matrix(struct rm *rm, int slot, bool filtered[RM_IDS])
{
	struct rm_mdev *m = &rm->m[slot];
	bool prev_apm[RM_IDS], prev_aqm[RM_IDS];
	unsigned int a, d;

	memcpy(prev_apm, m->s_apm, sizeof(prev_apm));
	memcpy(prev_aqm, m->s_aqm, sizeof(prev_aqm));
	m->s_apm_max = rm_vfio_max_apid(rm);
	m->s_aqm_max = rm_vfio_max_apqi(rm);
	m->s_adm_max = rm_vfio_max_apqi(rm);
	memset(filtered, 0, RM_IDS * sizeof(bool));

	for (a = 0; a < RM_IDS; a++)
		m->s_apm[a] = m->apm[a] && rm->info_apm[a];
	for (d = 0; d < RM_IDS; d++)
		m->s_aqm[d] = m->aqm[d] && rm->info_aqm[d];

	for (a = 0; a < RM_IDS; a++) {
		if (!m->s_apm[a])
			continue;
		for (d = 0; d < RM_IDS; d++) {
			if (!m->s_aqm[d] || rm_passable(rm, slot, a, d))
				continue;
			m->s_apm[a] = false;
			if (prev_apm[a])
				filtered[a] = true;
			break;
		}
	}
	return !rm_same(prev_apm, m->s_apm) || !rm_same(prev_aqm, m->s_aqm);
}

static bool rm_filter_cdoms(struct rm *rm, int slot)
{
	struct rm_mdev *m = &rm->m[slot];
	bool prev[RM_IDS];
	unsigned int id;

	memcpy(prev, m->s_adm, sizeof(prev));
	for (id = 0; id < RM_IDS; id++)
		m->s_adm[id] = m->adm[id] && rm->info_adm[id];
	return !rm_same(prev, m->s_adm);
}

/* Reset every linked queue (APID in @filtered) x (APQI in the shadow). */
static void rm_reset_filtered(struct rm *rm, int slot, const bool filtered[RM_IDS])
{
	struct rm_mdev *m = &rm->m[slot];
	struct rm_qlist l = { 0 };
	unsigned int a, d;

	for (a = 0; a < RM_IDS; a++) {
		if (!filtered[a])
			continue;
		for (d = 0; d < RM_IDS; d++)
			if (m->s_aqm[d] && rm->q[a][d].exists && rm->q[a][d].link == slot)
				rm_qlist_add(&l, a, d);
	}
	rm_qlist_reset(rm, &l);
}

/* filter_matrix and, if it changed, guest update + reset of the filtered */
static void rm_filter_and_plug(struct rm *rm, int slot)
{
	bool filtered[RM_IDS];

	if (rm_filter_matrix(rm, slot, filtered)) {
		rm_update_guest(rm, slot);
		rm_reset_filtered(rm, slot, filtered);
	}
}

/* ------------------------------------------------------------------------
 * validation (§4.2)
 */

static int rm_validate(struct rm *rm, int slot, const bool *apm, const bool *aqm)
{
	int order[RM_MAX_MDEVS], n, i;
	unsigned int a, d;

	/* 1. EADDRNOTAVAIL: some APQN of the product is host-owned */
	for (a = 0; a < RM_IDS; a++) {
		if (!apm[a])
			continue;
		for (d = 0; d < RM_IDS; d++)
			if (aqm[d] && rm_reserved(rm, a, d))
				return -EADDRNOTAVAIL;
	}

	/* 2. EADDRINUSE: first other mdev sharing an APQN; one line per APQN */
	n = rm_mdev_order(rm, order);
	for (i = 0; i < n; i++) {
		const struct rm_mdev *o = &rm->m[order[i]];
		bool hit = false;

		if (order[i] == slot)
			continue;
		for (a = 0; a < RM_IDS; a++) {
			if (!apm[a] || !o->apm[a])
				continue;
			for (d = 0; d < RM_IDS; d++) {
				if (!aqm[d] || !o->aqm[d])
					continue;
				if (rm->kver < 615)	/* on the owner, naming itself */
					rm_log(rm, order[i],
					       "Userspace may not re-assign queue %02x.%04x already assigned to %s",
					       a, d, o->name);
				else
					rm_log(rm, slot,
					       "Userspace may not assign queue %02x.%04x to mdev: already assigned to %s",
					       a, d, o->name);
				hit = true;
			}
		}
		if (hit)
			return -EADDRINUSE;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * queue probe / remove (§4.6)
 */

static bool rm_has_pending_add(const struct rm_mdev *m)
{
	return rm_any(m->add_apm) || rm_any(m->add_aqm);
}

static void rm_queue_probe(struct rm *rm, unsigned int apid, unsigned int apqi)
{
	struct rm_queue *q = &rm->q[apid][apqi];
	int owner;

	q->reset_rc = 0;
	q->link = -1;
	owner = rm_apqn_owner(rm, apid, apqi);
	if (owner < 0)
		return;
	rm_link(rm, owner, apid, apqi);
	/* host additions pending: on_scan_complete filters (§4.7) */
	if (rm_has_pending_add(&rm->m[owner]))
		return;
	rm_filter_and_plug(rm, owner);
}

static void rm_queue_remove(struct rm *rm, unsigned int apid, unsigned int apqi)
{
	struct rm_queue *q = &rm->q[apid][apqi];
	int slot = q->link;
	unsigned int d;

	if (slot >= 0 && rm->m[slot].s_apm[apid] && rm->m[slot].s_aqm[apqi]) {
		struct rm_mdev *m = &rm->m[slot];
		struct rm_qlist l = { 0 };

		/* a single queue cannot be unplugged: the whole adapter goes */
		m->s_apm[apid] = false;
		rm_update_guest(rm, slot);
		for (d = 0; d < RM_IDS; d++)
			if (m->s_aqm[d] && rm->q[apid][d].exists && rm->q[apid][d].link == slot)
				rm_qlist_add(&l, apid, d);
		rm_qlist_reset(rm, &l);
	} else if (rm->info_apm[apid] && rm->info_aqm[apqi]) {
		/* 6.8+: a queue outside the host config is not reset */
		rm_reset_queue(rm, apid, apqi);
	}
	q->link = -1;
}

/* ------------------------------------------------------------------------
 * the bus: devices, drivers, scan (§3.4-§3.6)
 */

static void rm_device_register(struct rm *rm, unsigned int apid, unsigned int apqi)
{
	struct rm_queue *q = &rm->q[apid][apqi];

	q->exists = true;
	q->reg_seq = ++rm->reg_counter;
	q->link = -1;
	q->reset_rc = 0;
	/* device_add probes: cex4queue takes reserved APQNs, vfio_ap the rest */
	if (rm_reserved(rm, apid, apqi)) {
		q->drv = RM_DRV_CEX4QUEUE;
	} else {
		q->drv = RM_DRV_VFIO_AP;
		rm_queue_probe(rm, apid, apqi);
	}
}

static void rm_device_unregister(struct rm *rm, unsigned int apid, unsigned int apqi)
{
	struct rm_queue *q = &rm->q[apid][apqi];

	if (q->drv == RM_DRV_VFIO_AP)
		rm_queue_remove(rm, apid, apqi);
	q->exists = false;
	q->drv = RM_DRV_NONE;
	q->link = -1;
}

/* TAPQ type for on_config_changed; -1 when there is no usable info. */
static int rm_tapq_type(const struct rm *rm, unsigned int apid, unsigned int apqi)
{
	if (!rm->hw_apm[apid] || !rm->hw_aqm[apqi] || rm->hw_type[apid] == 0)
		return -1;
	return rm->hw_type[apid];
}

static bool rm_queue_wanted(const struct rm *rm, unsigned int apid, unsigned int apqi)
{
	/* types below CEX4 (and "no adapter") get no device at all (§3.4) */
	return apid <= rm_bus_max_apid(rm) && apqi <= rm_bus_max_apqi(rm) &&
	       rm->qci_apm[apid] && rm->qci_aqm[apqi] &&
	       rm->hw_type[apid] >= 10 && rm->hw_type[apid] <= 14;
}

/*
 * Clear the removed IDs of one dimension from a shadow, as 6.0-7.0 did:
 * the answer is "is anything left", not "did anything change".
 */
static bool rm_unplug_6x(bool *shadow, const bool *rem)
{
	unsigned int id;

	if (!rm_any(rem))
		return false;
	for (id = 0; id < RM_IDS; id++)
		if (rem[id])
			shadow[id] = false;
	return rm_any(shadow);
}

/*
 * §4.7 removal on 6.0-7.0: the adapters and domains the mdev holds, but
 * the control domains it does NOT hold; update the guest when a touched
 * shadow dimension is still non-empty.
 */
static void rm_cfg_remove_6x(struct rm *rm, int slot, const bool *aprem, const bool *aqrem,
			     const bool *cdrem)
{
	struct rm_mdev *m = &rm->m[slot];
	bool ap[RM_IDS], aq[RM_IDS], cd[RM_IDS], update;
	unsigned int id;

	for (id = 0; id < RM_IDS; id++) {
		ap[id] = aprem[id] && m->apm[id];
		aq[id] = aqrem[id] && m->aqm[id];
		cd[id] = cdrem[id] && !m->adm[id];
	}
	update = rm_unplug_6x(m->s_apm, ap);
	update |= rm_unplug_6x(m->s_aqm, aq);
	update |= rm_unplug_6x(m->s_adm, cd);
	if (update)
		rm_update_guest(rm, slot);
}

/* §4.7 on_config_changed: removal, then additions, then info = cur */
static void rm_on_config_changed(struct rm *rm, const bool *cur_apm, const bool *cur_aqm,
				 const bool *cur_adm, const bool *prev_apm,
				 const bool *prev_aqm, const bool *prev_adm)
{
	bool aprem[RM_IDS], aqrem[RM_IDS], cdrem[RM_IDS];
	bool apadd[RM_IDS], aqadd[RM_IDS], cdadd[RM_IDS];
	int order[RM_MAX_MDEVS], n, i;
	unsigned int a, d;

	for (a = 0; a < RM_IDS; a++) {
		aprem[a] = prev_apm[a] && !cur_apm[a];
		aqrem[a] = prev_aqm[a] && !cur_aqm[a];
		cdrem[a] = prev_adm[a] && !cur_adm[a];
		apadd[a] = cur_apm[a] && !prev_apm[a];
		aqadd[a] = cur_aqm[a] && !prev_aqm[a];
		cdadd[a] = cur_adm[a] && !prev_adm[a];
	}

	n = rm_mdev_order(rm, order);
	if ((rm_any(aprem) || rm_any(aqrem) || rm_any(cdrem)) && rm->cfg_bugs) {
		for (i = 0; i < n; i++)
			rm_cfg_remove_6x(rm, order[i], aprem, aqrem, cdrem);
	} else if (rm_any(aprem) || rm_any(aqrem) || rm_any(cdrem)) {
		for (i = 0; i < n; i++) {
			struct rm_mdev *m = &rm->m[order[i]];
			bool changed = false;

			for (a = 0; a < RM_IDS; a++) {
				if (aprem[a] && m->apm[a] && m->s_apm[a]) {
					m->s_apm[a] = false;
					changed = true;
				}
				if (aqrem[a] && m->aqm[a] && m->s_aqm[a]) {
					m->s_aqm[a] = false;
					changed = true;
				}
				if (cdrem[a] && m->adm[a] && m->s_adm[a]) {
					m->s_adm[a] = false;
					changed = true;
				}
			}
			/* no filtering and no reset: the queues vanish in the scan */
			if (changed)
				rm_update_guest(rm, order[i]);
		}
	}

	if ((rm_any(apadd) || rm_any(aqadd) || rm_any(cdadd)) && n > 0) {
		/* vfio_ap only drives CEX4+: drop adapters TAPQ says are older */
		for (a = 0; a < RM_IDS; a++) {
			if (!apadd[a])
				continue;
			for (d = 0; d < RM_IDS; d++) {
				int type;

				if (!aqadd[d])
					continue;
				type = rm_tapq_type(rm, a, d);
				if (type < 10) {
					apadd[a] = false;
					break;
				}
			}
		}
		for (i = 0; i < n; i++) {
			struct rm_mdev *m = &rm->m[order[i]];

			for (a = 0; a < RM_IDS; a++) {
				m->add_apm[a] = m->apm[a] && apadd[a];
				m->add_aqm[a] = m->aqm[a] && aqadd[a];
				m->add_adm[a] = m->adm[a] && cdadd[a];
			}
		}
	}

	memcpy(rm->info_apm, cur_apm, sizeof(rm->info_apm));
	memcpy(rm->info_aqm, cur_aqm, sizeof(rm->info_aqm));
	memcpy(rm->info_adm, cur_adm, sizeof(rm->info_adm));
}

static bool rm_intersects(const bool *a, const bool *b)
{
	unsigned int id;

	for (id = 0; id < RM_IDS; id++)
		if (a[id] && b[id])
			return true;
	return false;
}

/* §4.7 on_scan_complete: the deferred filtering, one guest update */
static void rm_on_scan_complete(struct rm *rm)
{
	int order[RM_MAX_MDEVS], n, i;

	n = rm_mdev_order(rm, order);
	for (i = 0; i < n; i++) {
		int slot = order[i];
		struct rm_mdev *m = &rm->m[slot];
		bool filtered[RM_IDS] = { false };
		bool changed = false;

		if (!rm_any(m->add_apm) && !rm_any(m->add_aqm) && !rm_any(m->add_adm))
			continue;
		if (rm_intersects(m->add_apm, m->apm) || rm_intersects(m->add_aqm, m->aqm))
			changed = rm_filter_matrix(rm, slot, filtered);
		if (rm_intersects(m->add_adm, m->adm))
			changed |= rm_filter_cdoms(rm, slot);
		if (changed)
			rm_update_guest(rm, slot);
		rm_reset_filtered(rm, slot, filtered);
		memset(m->add_apm, 0, sizeof(m->add_apm));
		memset(m->add_aqm, 0, sizeof(m->add_aqm));
		memset(m->add_adm, 0, sizeof(m->add_adm));
	}
}

void rm_scan(struct rm *rm)
{
	bool prev_apm[RM_IDS], prev_aqm[RM_IDS], prev_adm[RM_IDS];
	bool changed;
	unsigned int a, d;

	memcpy(prev_apm, rm->qci_apm, sizeof(prev_apm));
	memcpy(prev_aqm, rm->qci_aqm, sizeof(prev_aqm));
	memcpy(prev_adm, rm->qci_adm, sizeof(prev_adm));
	changed = !rm_same(prev_apm, rm->hw_apm) || !rm_same(prev_aqm, rm->hw_aqm) ||
		  !rm_same(prev_adm, rm->hw_adm);
	memcpy(rm->qci_apm, rm->hw_apm, sizeof(rm->qci_apm));
	memcpy(rm->qci_aqm, rm->hw_aqm, sizeof(rm->qci_aqm));
	memcpy(rm->qci_adm, rm->hw_adm, sizeof(rm->qci_adm));

	/* callbacks only when QCI changed, before any device changes (§3.6) */
	if (changed)
		rm_on_config_changed(rm, rm->qci_apm, rm->qci_aqm, rm->qci_adm,
				     prev_apm, prev_aqm, prev_adm);

	for (a = 0; a < RM_IDS; a++) {
		for (d = 0; d < RM_IDS; d++) {
			bool want = rm_queue_wanted(rm, a, d);

			if (rm->q[a][d].exists && !want)
				rm_device_unregister(rm, a, d);
			else if (!rm->q[a][d].exists && want)
				rm_device_register(rm, a, d);
		}
	}

	if (changed)
		rm_on_scan_complete(rm);
	rm->scans++;
}

static int rm_hw_check_apid(const struct rm *rm, unsigned int apid)
{
	return apid > rm_vfio_max_apid(rm) || apid >= RM_IDS ? -ENODEV : 0;
}

static int rm_hw_check_apqi(const struct rm *rm, unsigned int apqi)
{
	return apqi > rm_vfio_max_apqi(rm) || apqi >= RM_IDS ? -ENODEV : 0;
}

int rm_hw_set_adapter(struct rm *rm, unsigned int apid, bool configured)
{
	int ret = rm_hw_check_apid(rm, apid);

	if (!ret)
		rm->hw_apm[apid] = configured;
	return ret;
}

int rm_hw_set_domain(struct rm *rm, unsigned int apqi, bool configured)
{
	int ret = rm_hw_check_apqi(rm, apqi);

	if (!ret)
		rm->hw_aqm[apqi] = configured;
	return ret;
}

int rm_hw_set_control_domain(struct rm *rm, unsigned int id, bool configured)
{
	int ret = rm_hw_check_apqi(rm, id);

	if (!ret)
		rm->hw_adm[id] = configured;
	return ret;
}

int rm_hw_set_adapter_type(struct rm *rm, unsigned int apid, unsigned char type)
{
	if (apid >= RM_IDS)
		return -EINVAL;
	rm->hw_type[apid] = type;
	return 0;
}

int rm_hw_inject_reset_rc(struct rm *rm, unsigned int apid, unsigned int apqi, unsigned char rc)
{
	if (apid >= RM_IDS || apqi >= RM_IDS)
		return -EINVAL;
	rm->inject[apid][apqi] = rc;
	return 0;
}

/* ------------------------------------------------------------------------
 * apmask / aqmask (§3.2, §3.3)
 */

/* vfio_ap's in_use: first mdev holding an APQN of apm x aqm vetoes */
static int rm_resource_in_use(struct rm *rm, const bool *apm, const bool *aqm)
{
	int order[RM_MAX_MDEVS], n, i;
	unsigned int a, d;

	n = rm_mdev_order(rm, order);
	for (i = 0; i < n; i++) {
		const struct rm_mdev *m = &rm->m[order[i]];
		bool hit = false;

		for (a = 0; a < RM_IDS; a++) {
			if (!apm[a] || !m->apm[a])
				continue;
			for (d = 0; d < RM_IDS; d++) {
				if (!aqm[d] || !m->aqm[d])
					continue;
				if (rm->kver < 615)	/* one text for both before 6.15 */
					rm_log(rm, order[i],
					       "Userspace may not re-assign queue %02x.%04x already assigned to %s",
					       a, d, m->name);
				else
					rm_log(rm, order[i],
					       "Can not reserve queue %02x.%04x for host driver: in use by mdev",
					       a, d);
				hit = true;
			}
		}
		if (hit)
			return -EADDRINUSE;
	}
	return 0;
}

/* Existing queue devices in bus (registration) order. */
static unsigned int rm_devices_in_order(const struct rm *rm, unsigned short *out)
{
	unsigned int n = 0, a, d, i, j;

	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++)
			if (rm->q[a][d].exists)
				out[n++] = (unsigned short)(a << 8 | d);
	for (i = 1; i < n; i++) {
		unsigned short v = out[i];
		unsigned long seq = rm->q[v >> 8][v & 0xff].reg_seq;

		for (j = i; j > 0 && rm->q[out[j - 1] >> 8][out[j - 1] & 0xff].reg_seq > seq; j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	return n;
}

/*
 * __ap_revise_reserved: every queue whose reservation disagrees with its
 * driver's DEFAULT flag is re-probed by the other driver.  A queue left
 * without a driver by a manual unbind is not defined upstream (§3.4); it
 * is left alone here and the test does not rely on it.
 */
static void rm_revise_bindings(struct rm *rm)
{
	unsigned short *list = calloc(RM_IDS * RM_IDS, sizeof(*list));
	unsigned int n, i;

	if (!list)
		abort();
	n = rm_devices_in_order(rm, list);
	for (i = 0; i < n; i++) {
		unsigned int a = list[i] >> 8, d = list[i] & 0xff;
		struct rm_queue *q = &rm->q[a][d];
		bool reserved = rm_reserved(rm, a, d);

		if (q->drv == RM_DRV_CEX4QUEUE && !reserved) {
			q->drv = RM_DRV_VFIO_AP;
			rm_queue_probe(rm, a, d);
		} else if (q->drv == RM_DRV_VFIO_AP && reserved) {
			rm_queue_remove(rm, a, d);
			q->drv = RM_DRV_CEX4QUEUE;
		}
	}
	free(list);
}

long rm_mask_store(struct rm *rm, bool aq, const char *buf, size_t count)
{
	bool *mask = aq ? rm->aqmask : rm->apmask;
	bool newmask[RM_IDS], newly[RM_IDS], all[RM_IDS];
	struct apbm cur, parsed;
	char line[72];
	unsigned int id;
	int ret;

	rm_to_apbm(mask, &cur);
	ret = aptxt_parse_mask(buf, count, &cur, &parsed);
	if (ret)
		return -EINVAL;
	rm_from_apbm(&parsed, newmask);
	if (rm_same(newmask, mask))
		return (long)count;

	for (id = 0; id < RM_IDS; id++) {
		newly[id] = newmask[id] && !mask[id];
		all[id] = true;
	}
	if (rm_any(newly)) {
		/* the other dimension: current mask (<= 6.18) or all ones (6.19+) */
		const bool *other_ap = rm->in_use_all_ones ? all : rm->apmask;
		const bool *other_aq = rm->in_use_all_ones ? all : rm->aqmask;

		if (aq)
			ret = rm_resource_in_use(rm, other_ap, newly);
		else
			ret = rm_resource_in_use(rm, newly, other_aq);
		if (ret)
			return -EBUSY;
	}

	memcpy(mask, newmask, sizeof(newmask));
	rm_revise_bindings(rm);

	aptxt_format_mask_line(&parsed, line);
	if (rm->ev.nr_uevents < RM_MAX_UEVENTS)
		snprintf(rm->ev.uevent[rm->ev.nr_uevents], RM_UEVENT_LEN, "%s%s",
			 aq ? "AQMASK=" : "APMASK=", line);
	rm->ev.nr_uevents++;
	return (long)count;
}

int rm_mask_show(struct rm *rm, bool aq, char *buf)
{
	struct apbm b;

	rm_to_apbm(aq ? rm->aqmask : rm->apmask, &b);
	return aptxt_format_mask_line(&b, buf);
}

/* ------------------------------------------------------------------------
 * bind / unbind (§3.4; driver core semantics)
 */

/* Device lookup by exact name (a trailing newline is tolerated). */
static int rm_find_queue(const struct rm *rm, const char *buf, size_t count,
			 unsigned int *apid, unsigned int *apqi)
{
	char name[16], canon[8];
	size_t len = strnlen(buf, count);

	if (len && buf[len - 1] == '\n')
		len--;
	if (len != 7)
		return -ENODEV;
	memcpy(name, buf, len);
	name[len] = '\0';
	if (aptxt_parse_apqn(name, apid, apqi))
		return -ENODEV;
	aptxt_format_apqn(*apid, *apqi, canon);
	if (strcmp(canon, name) || !rm->q[*apid][*apqi].exists)
		return -ENODEV;
	return 0;
}

long rm_bind_store(struct rm *rm, enum rm_drv drv, const char *buf, size_t count)
{
	unsigned int a, d;
	struct rm_queue *q;
	bool reserved;

	/* "cardXX" never matches a queue driver: same -ENODEV as no device */
	if (rm_find_queue(rm, buf, count, &a, &d))
		return -ENODEV;
	q = &rm->q[a][d];
	if (q->drv != RM_DRV_NONE)
		return -EBUSY;
	reserved = rm_reserved(rm, a, d);
	if ((drv == RM_DRV_CEX4QUEUE) != reserved)
		return -ENODEV;
	q->drv = drv;
	if (drv == RM_DRV_VFIO_AP)
		rm_queue_probe(rm, a, d);
	return (long)count;
}

long rm_unbind_store(struct rm *rm, enum rm_drv drv, const char *buf, size_t count)
{
	unsigned int a, d;
	struct rm_queue *q;

	if (rm_find_queue(rm, buf, count, &a, &d))
		return -ENODEV;
	q = &rm->q[a][d];
	if (q->drv != drv)
		return -ENODEV;
	if (drv == RM_DRV_VFIO_AP)
		rm_queue_remove(rm, a, d);
	q->drv = RM_DRV_NONE;
	return (long)count;
}

/* §2.5: the owner is found through the matrices, not the link */
int rm_queue_status_show(struct rm *rm, unsigned int apid, unsigned int apqi, char *buf)
{
	int owner;

	if (!rm_vfio_bound(rm, apid, apqi))
		return -ENOENT;
	owner = rm_apqn_owner(rm, apid, apqi);
	if (owner < 0)
		return sprintf(buf, "unassigned\n");
	if (rm->m[owner].kvm >= 0 && rm->m[owner].s_apm[apid] && rm->m[owner].s_aqm[apqi])
		return sprintf(buf, "in use\n");
	return sprintf(buf, "assigned\n");
}

/* ------------------------------------------------------------------------
 * mdev life cycle (§2.3, §4.8)
 */

int rm_mdev_create(struct rm *rm, const char *buf, size_t count)
{
	unsigned char uuid[16];
	int slot;

	if (aptxt_parse_create_uuid(buf, count, uuid))
		return -EINVAL;
	for (slot = 0; slot < RM_MAX_MDEVS; slot++)
		if (rm->m[slot].used && !memcmp(rm->m[slot].uuid, uuid, 16))
			return -EEXIST;
	if (rm->nr_mdevs >= 65536)
		return -EUSERS;
	for (slot = 0; slot < RM_MAX_MDEVS && rm->m[slot].used; slot++)
		;
	if (slot == RM_MAX_MDEVS)
		return -ENOSPC;		/* neither the test nor the bench gets here */

	memset(&rm->m[slot], 0, sizeof(rm->m[slot]));
	rm->m[slot].used = true;
	rm->m[slot].seq = ++rm->mdev_seq;
	memcpy(rm->m[slot].uuid, uuid, 16);
	aptxt_format_uuid(uuid, rm->m[slot].name);
	rm->m[slot].apm_max = rm->m[slot].s_apm_max = rm_vfio_max_apid(rm);
	rm->m[slot].aqm_max = rm->m[slot].s_aqm_max = rm_vfio_max_apqi(rm);
	rm->m[slot].adm_max = rm->m[slot].s_adm_max = rm_vfio_max_apqi(rm);
	rm->m[slot].kvm = -1;
	rm->nr_mdevs++;
	return slot;
}

long rm_mdev_remove_store(struct rm *rm, int slot, const char *buf, size_t count)
{
	unsigned int a, d;
	u64 val;

	if (aptxt_kstrtoul(buf, count, &val))
		return -EINVAL;
	if (!val)
		return (long)count;
	/* the kernel blocks while open; the engine API reports -EBUSY */
	if (rm->m[slot].open)
		return -EBUSY;

	rm_reset_all_linked(rm, slot);
	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++)
			if (rm->q[a][d].link == slot)
				rm->q[a][d].link = -1;
	rm->m[slot].used = false;
	rm->nr_mdevs--;
	return (long)count;
}

int rm_available_instances_show(struct rm *rm, char *buf)
{
	return sprintf(buf, "%u\n", 65536 - rm->nr_mdevs);
}

/* ------------------------------------------------------------------------
 * assign / unassign (§2.4, §4.5)
 */

static int rm_parse_id(const char *buf, size_t count, unsigned int max, unsigned int *id)
{
	u64 val;
	int ret = aptxt_kstrtoul(buf, count, &val);

	if (ret)
		return ret;
	if (val > max)
		return -ENODEV;
	*id = (unsigned int)val;
	return 0;
}

long rm_assign_adapter(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	bool apm[RM_IDS];
	unsigned int id, d;
	int ret;

	ret = rm_parse_id(buf, count, m->apm_max, &id);
	if (ret)
		return ret;
	if (m->apm[id])
		return (long)count;

	memcpy(apm, m->apm, sizeof(apm));
	apm[id] = true;
	ret = rm_validate(rm, slot, apm, m->aqm);
	if (ret)
		return ret;

	m->apm[id] = true;
	for (d = 0; d < RM_IDS; d++)
		if (m->aqm[d])
			rm_link(rm, slot, id, d);
	rm_filter_and_plug(rm, slot);
	return (long)count;
}

long rm_assign_domain(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	bool aqm[RM_IDS];
	unsigned int id, a;
	int ret;

	ret = rm_parse_id(buf, count, m->aqm_max, &id);
	if (ret)
		return ret;
	if (m->aqm[id])
		return (long)count;

	memcpy(aqm, m->aqm, sizeof(aqm));
	aqm[id] = true;
	ret = rm_validate(rm, slot, m->apm, aqm);
	if (ret)
		return ret;

	m->aqm[id] = true;
	for (a = 0; a < RM_IDS; a++)
		if (m->apm[a])
			rm_link(rm, slot, a, id);
	rm_filter_and_plug(rm, slot);
	return (long)count;
}

/*
 * Hot unplug of adapters or domains (§4.5.2, also ap_config step 5):
 * unlink every linked queue of the IDs, queue the passed-through ones for
 * reset, drop the IDs from the shadow, one guest update, then the resets.
 */
static void rm_hot_unplug(struct rm *rm, int slot, const bool *ids, bool adapters)
{
	struct rm_mdev *m = &rm->m[slot];
	bool *shadow = adapters ? m->s_apm : m->s_aqm;
	struct rm_qlist l = { 0 };
	bool update = false;
	unsigned int i, j;

	for (i = 0; i < RM_IDS; i++) {
		if (!ids[i])
			continue;
		for (j = 0; j < RM_IDS; j++) {
			unsigned int a = adapters ? i : j, d = adapters ? j : i;
			struct rm_queue *q = &rm->q[a][d];

			if (!q->exists || q->link != slot)
				continue;
			q->link = -1;
			if (m->s_apm[a] && m->s_aqm[d])
				rm_qlist_add(&l, a, d);
		}
		if (shadow[i]) {
			shadow[i] = false;
			update = true;
		}
	}
	if (update)
		rm_update_guest(rm, slot);
	rm_qlist_reset(rm, &l);
}

long rm_unassign_adapter(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	bool one[RM_IDS] = { false };
	unsigned int id;
	int ret;

	ret = rm_parse_id(buf, count, m->apm_max, &id);
	if (ret)
		return ret;
	if (!m->apm[id])
		return (long)count;
	m->apm[id] = false;
	one[id] = true;
	rm_hot_unplug(rm, slot, one, true);
	return (long)count;
}

long rm_unassign_domain(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	bool one[RM_IDS] = { false };
	unsigned int id;
	int ret;

	ret = rm_parse_id(buf, count, m->aqm_max, &id);
	if (ret)
		return ret;
	if (!m->aqm[id])
		return (long)count;
	m->aqm[id] = false;
	one[id] = true;
	rm_hot_unplug(rm, slot, one, false);
	return (long)count;
}

long rm_assign_control_domain(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	unsigned int id;
	int ret;

	ret = rm_parse_id(buf, count, m->adm_max, &id);
	if (ret)
		return ret;
	if (m->adm[id])
		return (long)count;
	/* no reservation or sharing checks for control domains */
	m->adm[id] = true;
	if (rm_filter_cdoms(rm, slot))
		rm_update_guest(rm, slot);
	return (long)count;
}

long rm_unassign_control_domain(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	unsigned int id;
	int ret;

	ret = rm_parse_id(buf, count, m->adm_max, &id);
	if (ret)
		return ret;
	if (!m->adm[id])
		return (long)count;
	m->adm[id] = false;
	if (m->s_adm[id]) {
		m->s_adm[id] = false;
		rm_update_guest(rm, slot);
	}
	return (long)count;
}

/* §4.5.3: the whole configuration at once */
long rm_ap_config_store(struct rm *rm, int slot, const char *buf, size_t count)
{
	struct rm_mdev *m = &rm->m[slot];
	bool n_apm[RM_IDS], n_aqm[RM_IDS], n_adm[RM_IDS];
	bool rem_ap[RM_IDS], rem_aq[RM_IDS], add_ap[RM_IDS], add_aq[RM_IDS];
	bool filtered[RM_IDS];
	struct apbm apm, aqm, adm;
	unsigned int id, a, d;
	bool changed;
	int ret;

	if (aptxt_parse_ap_config(buf, count, &apm, &aqm, &adm))
		return -EINVAL;
	rm_from_apbm(&apm, n_apm);
	rm_from_apbm(&aqm, n_aqm);
	rm_from_apbm(&adm, n_adm);

	/* validation first, then the overflow check (§4.2) */
	ret = rm_validate(rm, slot, n_apm, n_aqm);
	if (ret)
		return ret;
	for (id = 0; id < RM_IDS; id++)
		if ((n_apm[id] && id > m->apm_max) || (n_aqm[id] && id > m->aqm_max) ||
		    (n_adm[id] && id > m->adm_max))
			return -ENODEV;

	for (id = 0; id < RM_IDS; id++) {
		rem_ap[id] = m->apm[id] && !n_apm[id];
		rem_aq[id] = m->aqm[id] && !n_aqm[id];
		add_ap[id] = n_apm[id] && !m->apm[id];
		add_aq[id] = n_aqm[id] && !m->aqm[id];
	}

	/* removals run against the old matrix */
	rm_hot_unplug(rm, slot, rem_ap, true);
	rm_hot_unplug(rm, slot, rem_aq, false);

	memcpy(m->apm, n_apm, sizeof(n_apm));
	memcpy(m->aqm, n_aqm, sizeof(n_aqm));
	memcpy(m->adm, n_adm, sizeof(n_adm));
	for (a = 0; a < RM_IDS; a++) {
		if (!add_ap[a])
			continue;
		for (d = 0; d < RM_IDS; d++)
			if (m->aqm[d])
				rm_link(rm, slot, a, d);
	}
	for (d = 0; d < RM_IDS; d++) {
		if (!add_aq[d])
			continue;
		for (a = 0; a < RM_IDS; a++)
			if (m->apm[a])
				rm_link(rm, slot, a, d);
	}

	changed = rm_filter_matrix(rm, slot, filtered);
	changed |= rm_filter_cdoms(rm, slot);
	if (changed) {
		rm_update_guest(rm, slot);
		rm_reset_filtered(rm, slot, filtered);
	}
	return (long)count;
}

/* ------------------------------------------------------------------------
 * reads (§2.4)
 */

int rm_ap_config_show(struct rm *rm, int slot, char *buf)
{
	struct apbm apm, aqm, adm;

	rm_to_apbm(rm->m[slot].apm, &apm);
	rm_to_apbm(rm->m[slot].aqm, &aqm);
	rm_to_apbm(rm->m[slot].adm, &adm);
	return aptxt_format_ap_config(&apm, &aqm, &adm, buf);
}

int rm_matrix_show(struct rm *rm, int slot, char *buf)
{
	const struct rm_mdev *m = &rm->m[slot];
	struct apbm apm, aqm;

	rm_to_apbm(m->apm, &apm);
	rm_to_apbm(m->aqm, &aqm);
	return aptxt_format_matrix(&apm, m->apm_max, &aqm, m->aqm_max, buf);
}

int rm_guest_matrix_show(struct rm *rm, int slot, char *buf)
{
	const struct rm_mdev *m = &rm->m[slot];
	struct apbm apm, aqm;

	rm_to_apbm(m->s_apm, &apm);
	rm_to_apbm(m->s_aqm, &aqm);
	return aptxt_format_matrix(&apm, m->s_apm_max, &aqm, m->s_aqm_max, buf);
}

int rm_control_domains_show(struct rm *rm, int slot, char *buf)
{
	const struct rm_mdev *m = &rm->m[slot];
	struct apbm adm;

	rm_to_apbm(m->adm, &adm);
	return aptxt_format_domains(&adm, m->adm_max, buf);
}

/* ------------------------------------------------------------------------
 * VFIO device (§4.8, §4.9)
 */

int rm_mdev_open(struct rm *rm, int slot, int guest)
{
	struct rm_mdev *m = &rm->m[slot];
	struct rm_guest *g;

	if (guest < 0)
		return -EINVAL;
	if (m->open)
		return -EBUSY;
	g = &rm->g[guest];
	if (!g->has_crycb) {
		/* success without attaching: kvm stays NULL */
		m->open = true;
		return 0;
	}
	if (g->hook >= 0)
		return -EPERM;
	g->hook = slot;
	m->kvm = guest;
	m->open = true;
	/* set_kvm does not filter: it pushes the existing shadow */
	rm_update_guest(rm, slot);
	return 0;
}

void rm_mdev_close(struct rm *rm, int slot)
{
	struct rm_mdev *m = &rm->m[slot];

	if (m->kvm >= 0) {
		rm->g[m->kvm].hook = -1;
		rm_guest_clear_masks(rm, m);	/* no eventfd signal on detach */
		rm_reset_all_linked(rm, slot);
		m->kvm = -1;
	}
	m->open = false;
}

void rm_mdev_request(struct rm *rm, int slot, unsigned int count)
{
	struct rm_mdev *m = &rm->m[slot];

	if (rm->kver < 605)	/* no request callback before 6.5 */
		return;
	if (m->kvm >= 0) {
		rm_guest_clear_masks(rm, m);
		if (m->cfg_trigger)
			m->signals[1]++;
	}
	if (m->req_trigger)
		m->signals[0]++;
	else if (count == 0)
		rm_log(rm, slot, "No device request registered, blocked until released by user");
}

int rm_mdev_set_irq(struct rm *rm, int slot, unsigned int index, bool set)
{
	if (rm->kver < 605)	/* no SET_IRQS before 6.5 */
		return -EOPNOTSUPP;
	if (index >= 2 || (index == 1 && rm->kver < 615))
		return -EINVAL;
	if (index == 0)
		rm->m[slot].req_trigger = set;
	else
		rm->m[slot].cfg_trigger = set;
	return 0;
}

int rm_mdev_reset(struct rm *rm, int slot)
{
	unsigned int a, d;
	int ret = 0;

	rm_reset_all_linked(rm, slot);
	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++)
			if (rm->q[a][d].exists && rm->q[a][d].link == slot &&
			    rm->q[a][d].reset_rc != 0)
				ret = -EIO;
	return ret;
}

/* ------------------------------------------------------------------------
 * life cycle of the model
 */

void rm_events_clear(struct rm *rm)
{
	rm->ev.nr_resets = 0;
	rm->ev.nr_logs = 0;
	rm->ev.nr_uevents = 0;
}

struct rm *rm_create(const struct rm_config *cfg)
{
	struct rm *rm = calloc(1, sizeof(*rm));
	unsigned int a, d;
	int i;

	if (!rm)
		return NULL;
	rm->apxa = cfg->apxa;
	rm->na = cfg->na;
	rm->nd = cfg->nd;
	memcpy(rm->hw_apm, cfg->apm, sizeof(rm->hw_apm));
	memcpy(rm->hw_aqm, cfg->aqm, sizeof(rm->hw_aqm));
	memcpy(rm->hw_adm, cfg->adm, sizeof(rm->hw_adm));
	memcpy(rm->hw_type, cfg->type, sizeof(rm->hw_type));
	memcpy(rm->apmask, cfg->apmask, sizeof(rm->apmask));
	memcpy(rm->aqmask, cfg->aqmask, sizeof(rm->aqmask));
	rm->in_use_all_ones = cfg->in_use_all_ones;
	rm->kver = cfg->kver;
	rm->cfg_bugs = cfg->cfg_bugs;
	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++) {
			rm->inject[a][d] = -1;
			rm->q[a][d].link = -1;
		}
	for (i = 0; i < RM_GUESTS; i++) {
		rm->g[i].has_crycb = cfg->guest[i].has_crycb;
		rm->g[i].fmt2 = cfg->guest[i].fmt2;
		rm->g[i].hook = -1;
	}

	/*
	 * Boot: the bus fetches QCI and creates the devices; only cex4queue
	 * is registered, so non-reserved queues stay without a driver.
	 */
	memcpy(rm->qci_apm, rm->hw_apm, sizeof(rm->qci_apm));
	memcpy(rm->qci_aqm, rm->hw_aqm, sizeof(rm->qci_aqm));
	memcpy(rm->qci_adm, rm->hw_adm, sizeof(rm->qci_adm));
	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++) {
			struct rm_queue *q = &rm->q[a][d];

			if (!rm_queue_wanted(rm, a, d))
				continue;
			q->exists = true;
			q->reg_seq = ++rm->reg_counter;
			q->drv = rm_reserved(rm, a, d) ? RM_DRV_CEX4QUEUE : RM_DRV_NONE;
		}
	rm->scans = 1;

	/* vfio_ap module init: QCI copy, then the AP driver binds the rest */
	memcpy(rm->info_apm, rm->qci_apm, sizeof(rm->info_apm));
	memcpy(rm->info_aqm, rm->qci_aqm, sizeof(rm->info_aqm));
	memcpy(rm->info_adm, rm->qci_adm, sizeof(rm->info_adm));
	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++)
			if (rm->q[a][d].exists && rm->q[a][d].drv == RM_DRV_NONE) {
				rm->q[a][d].drv = RM_DRV_VFIO_AP;
				rm_queue_probe(rm, a, d);
			}
	return rm;
}

void rm_destroy(struct rm *rm)
{
	free(rm);
}
