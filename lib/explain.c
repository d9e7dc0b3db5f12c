// SPDX-License-Identifier: GPL-2.0
/*
 * explain.c - apv_explain_*: why a configured ID is not in guest_matrix.
 *
 * The kernel's filter (docs/kernel-abi.md §4.3): the guest gets the
 * configured IDs that are in the host configuration, minus every adapter
 * for which some APQN with the remaining domains is not a queue bound to
 * vfio_ap whose last reset succeeded.  Domains are filtered only by the
 * host configuration.  The reason given is the first the filter would
 * hit; "not passable" is what is left when the queue is bound (a failed
 * or pending reset, which sysfs does not show).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "host_priv.h"

static void explain_add(struct apv_effective *out, enum apv_id_kind kind, unsigned int id,
			enum apv_filter_reason reason, unsigned int apqi, const char *driver)
{
	struct apv_filtered *f;

	if (out->nfiltered >= APV_FILTERED_MAX)
		return;
	f = &out->filtered[out->nfiltered++];
	f->kind = kind;
	f->id = id;
	f->reason = reason;
	f->apqi = apqi;
	snprintf(f->driver, sizeof(f->driver), "%s", driver ? driver : "");
}

/* The first queue of adapter @apid (with @aqm) that keeps it out. */
static void explain_adapter(const struct apv_host *host, unsigned int apid,
			    const struct apv_ids *aqm, struct apv_effective *out)
{
	const struct apv_queue *q;
	unsigned int apqi;

	apv_ids_for_each(apqi, aqm) {
		q = apv_host_find_queue(host, apid, apqi);
		if (!q) {
			explain_add(out, APV_ADAPTER, apid, APV_FILTER_NO_QUEUE, apqi, NULL);
			return;
		}
		if (strcmp(q->driver, "vfio_ap")) {
			explain_add(out, APV_ADAPTER, apid, APV_FILTER_NOT_BOUND, apqi, q->driver);
			return;
		}
	}
	explain_add(out, APV_ADAPTER, apid, APV_FILTER_NOT_PASSABLE, 0, NULL);
}

void apv_explain_mdev(const struct apv_host *host, const struct apv_mdev *mdev,
		      struct apv_effective *out)
{
	const struct apv_bus *bus = &host->bus;
	struct apv_ids in_cfg_aqm, gone;
	unsigned int id;

	memset(out, 0, sizeof(*out));
	apv_ids_and(&out->adm, &mdev->matrix.adm, &bus->cfg_adm);
	apv_ids_andnot(&gone, &mdev->matrix.adm, &bus->cfg_adm);
	apv_ids_for_each(id, &gone)
		explain_add(out, APV_CONTROL_DOMAIN, id, APV_FILTER_NOT_IN_HOST_CONFIG, 0, NULL);
	if (!mdev->has_guest_matrix || mdev->guest_truncated)
		return;
	out->known = true;
	out->apm = mdev->guest_apm;
	out->aqm = mdev->guest_aqm;
	apv_ids_and(&in_cfg_aqm, &mdev->matrix.aqm, &bus->cfg_aqm);
	apv_ids_andnot(&gone, &mdev->matrix.apm, &mdev->guest_apm);
	apv_ids_for_each(id, &gone) {
		if (!apv_ids_test(&bus->cfg_apm, id))
			explain_add(out, APV_ADAPTER, id, APV_FILTER_NOT_IN_HOST_CONFIG, 0, NULL);
		else
			explain_adapter(host, id, &in_cfg_aqm, out);
	}
	apv_ids_andnot(&gone, &mdev->matrix.aqm, &mdev->guest_aqm);
	apv_ids_for_each(id, &gone)
		explain_add(out, APV_DOMAIN, id,
			    apv_ids_test(&bus->cfg_aqm, id) ? APV_FILTER_NOT_PASSABLE :
			    APV_FILTER_NOT_IN_HOST_CONFIG, 0, NULL);
}

const char *apv_explain_reason_text(enum apv_filter_reason reason)
{
	switch (reason) {
	case APV_FILTER_NOT_IN_HOST_CONFIG:
		return "not in the host's AP configuration";
	case APV_FILTER_NO_QUEUE:
		return "queue device missing";
	case APV_FILTER_NOT_BOUND:
		return "queue not bound to vfio_ap";
	case APV_FILTER_NOT_PASSABLE:
		return "queue not usable (failed or pending reset)";
	}
	return "unknown";
}

const char *apv_explain_kind_name(enum apv_id_kind kind)
{
	switch (kind) {
	case APV_ADAPTER:
		return "adapter";
	case APV_DOMAIN:
		return "domain";
	case APV_CONTROL_DOMAIN:
		return "control domain";
	}
	return "unknown";
}
