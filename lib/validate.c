// SPDX-License-Identifier: GPL-2.0
/*
 * validate.c - apv_validate_* and apv_report_*: every conflict, found
 * before anything is written, each naming the APQN, its owner and a way
 * out.  Set algebra first (word-wise), APQNs are enumerated only where
 * two matrices really intersect.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "host_priv.h"

void apv_report_init(struct apv_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void apv_report_free(struct apv_report *rep)
{
	free(rep->issues);
	apv_report_init(rep);
}

struct issue_where {
	enum apv_issue_kind kind;
	int apid, apqi;
	const char *subject;
	const char *owner;
};

static int report_vadd(struct apv_report *rep, enum apv_severity sev, const struct issue_where *w,
		       const char *fmt, va_list ap)
{
	struct apv_issue *is;

	if (sev == APV_ERROR)
		rep->errors++;
	else
		rep->warnings++;
	if (rep->count >= APV_REPORT_MAX) {
		rep->dropped++;
		return 0;
	}
	if (!rep->issues) {
		rep->issues = calloc(APV_REPORT_MAX, sizeof(*rep->issues));
		if (!rep->issues)
			return -ENOMEM;
	}
	is = &rep->issues[rep->count++];
	is->severity = sev;
	is->kind = w->kind;
	is->apid = w->apid;
	is->apqi = w->apqi;
	snprintf(is->subject, sizeof(is->subject), "%s", w->subject ? w->subject : "");
	snprintf(is->owner, sizeof(is->owner), "%s", w->owner ? w->owner : "");
	vsnprintf(is->msg, sizeof(is->msg), fmt, ap);
	return 0;
}

static int __attribute__((format(printf, 4, 5)))
report_add(struct apv_report *rep, enum apv_severity sev, const struct issue_where *w,
	   const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = report_vadd(rep, sev, w, fmt, ap);
	va_end(ap);
	return rc;
}

int apv_report_add_error(struct apv_report *rep, enum apv_issue_kind kind, int apid, int apqi,
			 const char *subject, const char *owner, const char *fmt, ...)
{
	struct issue_where w = { kind, apid, apqi, subject, owner };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = report_vadd(rep, APV_ERROR, &w, fmt, ap);
	va_end(ap);
	return rc;
}

/* IDs of @ids above @max, one error each. */
static int validate_range(struct apv_report *rep, const char *subject, const struct apv_ids *ids,
			  unsigned int max, const char *what, const char *attr, int digits)
{
	struct issue_where w = { APV_ISSUE_ID_RANGE, -1, -1, subject, "host" };
	unsigned int id;
	int rc = 0;

	apv_ids_for_each(id, ids) {
		if (id <= max || rc)
			continue;
		rc = report_add(rep, APV_ERROR, &w, "%s 0x%0*x is above %s 0x%0*x; this host has %ss 0x%0*x to 0x%0*x only",
				what, digits, id, attr, digits, max, what, digits, 0, digits, max);
	}
	return rc;
}

static int validate_ranges(struct apv_report *rep, const struct apv_host *h, const char *subject,
			   const struct apv_matrix *m)
{
	int rc = validate_range(rep, subject, &m->apm, h->bus.max_apid, "adapter",
				"ap_max_adapter_id", 2);

	if (!rc)
		rc = validate_range(rep, subject, &m->aqm, h->bus.max_apqi, "domain",
				    "ap_max_domain_id", 4);
	if (!rc)
		rc = validate_range(rep, subject, &m->adm, h->bus.max_apqi, "control domain",
				    "ap_max_domain_id", 4);
	return rc;
}

/* What one APQN conflict says, by kind. */
static int report_apqn(struct apv_report *rep, const struct issue_where *w, bool defined_auto)
{
	unsigned int a = (unsigned int)w->apid, d = (unsigned int)w->apqi;

	switch (w->kind) {
	case APV_ISSUE_HOST_RESERVED:
		return report_add(rep, APV_ERROR, w, "APQN %02x.%04x is reserved for the host drivers (apmask and aqmask); give it to vfio_ap first: apvirt host release --adapter 0x%02x (or --domain 0x%04x)",
				  a, d, a, d);
	case APV_ISSUE_ACTIVE_MDEV:
		return report_add(rep, APV_ERROR, w, "APQN %02x.%04x is already assigned to mdev %s; remove it there first: apvirt mdev set %s --adapter -0x%02x (or --domain -0x%04x)",
				  a, d, w->owner, w->owner, a, d);
	case APV_ISSUE_DEFINED_MDEV:
		return report_add(rep, APV_ERROR, w, "APQN %02x.%04x is defined for mdev %s in its mdevctl profile (start %s); change or undefine that definition first (mdevctl modify/undefine -u %s)",
				  a, d, w->owner, defined_auto ? "auto" : "manual", w->owner);
	default:
		return report_add(rep, APV_ERROR, w, "APQN %02x.%04x conflicts with %s", a, d, w->owner);
	}
}

/* Every APQN of @m that is also in @o_apm x @o_aqm. */
static int validate_overlap(struct apv_report *rep, struct issue_where *w,
			    const struct apv_matrix *m, const struct apv_ids *o_apm,
			    const struct apv_ids *o_aqm, bool defined_auto)
{
	struct apv_ids apm, aqm;
	unsigned int a, d;
	int rc = 0;

	apv_ids_and(&apm, &m->apm, o_apm);
	apv_ids_and(&aqm, &m->aqm, o_aqm);
	if (apv_ids_empty(&apm) || apv_ids_empty(&aqm))
		return 0;
	apv_ids_for_each(a, &apm) {
		apv_ids_for_each(d, &aqm) {
			w->apid = (int)a;
			w->apqi = (int)d;
			rc = report_apqn(rep, w, defined_auto);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int validate_usage_domains(struct apv_report *rep, const char *subject,
				  const struct apv_matrix *m)
{
	struct issue_where w = { APV_ISSUE_NO_USAGE_DOMAIN, -1, -1, subject, "" };

	if (apv_ids_empty(&m->adm) || !apv_ids_empty(&m->aqm))
		return 0;
	return report_add(rep, APV_WARNING, &w, "mdev %s has control domains but no usage domain: its guest can run no crypto request and mdevctl's ap-check refuses to start it; add one with --domain",
			  subject);
}

/* @m (of mdev @subject) against the host, the active mdevs and profiles. */
static int validate_against_all(const struct apv_host *h, const struct apv_profiles *profiles,
				const char *subject, const struct apv_matrix *m,
				struct apv_report *rep, bool check_profiles_only_after)
{
	struct issue_where w = { APV_ISSUE_HOST_RESERVED, -1, -1, subject, "host" };
	size_t i;
	int rc;

	rc = validate_overlap(rep, &w, m, &h->bus.apmask, &h->bus.aqmask, false);
	for (i = 0; !rc && i < h->nmdevs; i++) {
		const struct apv_mdev *o = &h->mdevs[i];

		if (!strcasecmp(o->uuid, subject))
			continue;
		w.kind = APV_ISSUE_ACTIVE_MDEV;
		w.owner = o->uuid;
		rc = validate_overlap(rep, &w, m, &o->matrix.apm, &o->matrix.aqm, false);
	}
	for (i = 0; !rc && profiles && i < profiles->count; i++) {
		const struct apv_profile *p = profiles->items[i];
		int cmp = strcasecmp(apv_profile_uuid(p), subject);

		/* validate_host: each pair of profiles once */
		if (cmp == 0 || (check_profiles_only_after && cmp < 0))
			continue;
		/* An active mdev is checked by its live matrix above. */
		if (apv_host_find_mdev(h, apv_profile_uuid(p)))
			continue;
		w.kind = APV_ISSUE_DEFINED_MDEV;
		w.owner = apv_profile_uuid(p);
		rc = validate_overlap(rep, &w, m, &apv_profile_matrix(p)->apm,
				      &apv_profile_matrix(p)->aqm, apv_profile_autostart(p));
	}
	return rc;
}

static int validate_truncated(struct apv_report *rep, const struct apv_mdev *m)
{
	struct issue_where w = { APV_ISSUE_TRUNCATED, -1, -1, m->uuid, "" };

	if (!m->matrix_truncated)
		return 0;
	return report_add(rep, APV_WARNING, &w, "mdev %s: its matrix is longer than a page and this kernel has no ap_config; conflicts beyond the first page cannot be seen",
			  m->uuid);
}

/* Other mdevs read only in part: their conflicts past the cut are unseen. */
static int validate_others_complete(const struct apv_host *h, const char *uuid,
				    struct apv_report *rep)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < h->nmdevs; i++)
		if (strcasecmp(h->mdevs[i].uuid, uuid))
			rc = validate_truncated(rep, &h->mdevs[i]);
	return rc;
}

int apv_validate_matrix(const struct apv_host *host, const struct apv_profiles *profiles,
			const char *uuid, const struct apv_matrix *want,
			struct apv_report *rep)
{
	size_t before = rep->errors;
	int rc;

	rc = validate_ranges(rep, host, uuid, want);
	if (!rc)
		rc = validate_against_all(host, profiles, uuid, want, rep, false);
	if (!rc)
		rc = validate_usage_domains(rep, uuid, want);
	if (!rc)
		rc = validate_others_complete(host, uuid, rep);
	return rc ? rc : (int)(rep->errors - before);
}

/* Active mdevs: against the host masks and each later mdev (each pair once). */
static int validate_active(const struct apv_host *h, struct apv_report *rep)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < h->nmdevs; i++) {
		const struct apv_mdev *m = &h->mdevs[i];
		struct issue_where w = { APV_ISSUE_HOST_RESERVED, -1, -1, m->uuid, "host" };

		rc = validate_overlap(rep, &w, &m->matrix, &h->bus.apmask, &h->bus.aqmask, false);
		for (size_t j = i + 1; !rc && j < h->nmdevs; j++) {
			w.kind = APV_ISSUE_ACTIVE_MDEV;
			w.owner = h->mdevs[j].uuid;
			rc = validate_overlap(rep, &w, &m->matrix, &h->mdevs[j].matrix.apm,
					      &h->mdevs[j].matrix.aqm, false);
		}
		if (!rc)
			rc = validate_usage_domains(rep, m->uuid, &m->matrix);
		if (!rc)
			rc = validate_truncated(rep, m);
	}
	return rc;
}

int apv_validate_host(const struct apv_host *host, const struct apv_profiles *profiles,
		      struct apv_report *rep)
{
	size_t before = rep->errors;
	int rc = validate_active(host, rep);

	for (size_t i = 0; !rc && profiles && i < profiles->count; i++) {
		const struct apv_profile *p = profiles->items[i];
		const struct apv_matrix *m = apv_profile_matrix(p);

		rc = validate_ranges(rep, host, apv_profile_uuid(p), m);
		if (!rc)
			rc = validate_against_all(host, profiles, apv_profile_uuid(p), m, rep, true);
		if (!rc && !apv_host_find_mdev(host, apv_profile_uuid(p)))
			rc = validate_usage_domains(rep, apv_profile_uuid(p), m);
	}
	return rc ? rc : (int)(rep->errors - before);
}

/* Mdev @m holds APQNs that reserving @new_apm x @new_aqm would take. */
static int validate_reserve_one(struct apv_report *rep, const char *owner, const struct apv_matrix *m,
				const struct apv_ids *new_apm, const struct apv_ids *new_aqm,
				enum apv_severity sev)
{
	struct issue_where w = { APV_ISSUE_HOST_RESERVED, -1, -1, "host", owner };
	struct apv_ids apm, aqm;
	unsigned int a, d;

	apv_ids_and(&apm, &m->apm, new_apm);
	apv_ids_and(&aqm, &m->aqm, new_aqm);
	if (!apv_ids_empty(&apm) && !apv_ids_empty(&m->aqm)) {
		a = apv_ids_next(&apm, 0);
		d = apv_ids_next(&m->aqm, 0);
		w.apid = (int)a;
		w.apqi = (int)d;
		return report_add(rep, sev, &w, "adapter 0x%02x cannot be reserved for the host: mdev %s holds APQN %02x.%04x; remove it there first: apvirt mdev set %s --adapter -0x%02x",
				  a, owner, a, d, owner, a);
	}
	if (!apv_ids_empty(&aqm) && !apv_ids_empty(&m->apm)) {
		a = apv_ids_next(&m->apm, 0);
		d = apv_ids_next(&aqm, 0);
		w.apid = (int)a;
		w.apqi = (int)d;
		return report_add(rep, sev, &w, "domain 0x%04x cannot be reserved for the host: mdev %s holds APQN %02x.%04x; remove it there first: apvirt mdev set %s --domain -0x%04x",
				  d, owner, a, d, owner, d);
	}
	return 0;
}

int apv_validate_reserve(const struct apv_host *host, const struct apv_profiles *profiles,
			 const struct apv_ids *apmask, const struct apv_ids *aqmask,
			 struct apv_report *rep)
{
	struct apv_ids new_apm, new_aqm;
	size_t before = rep->errors;
	int rc = 0;

	/*
	 * The kernel's in_use check (6.19): a newly reserved adapter against
	 * every domain of an mdev, a newly reserved domain against every
	 * adapter.  Stricter than the reservation itself, and what decides
	 * whether the write is refused with EBUSY.
	 */
	apv_ids_andnot(&new_apm, apmask, &host->bus.apmask);
	apv_ids_andnot(&new_aqm, aqmask, &host->bus.aqmask);
	for (size_t i = 0; !rc && i < host->nmdevs; i++)
		rc = validate_reserve_one(rep, host->mdevs[i].uuid, &host->mdevs[i].matrix,
					  &new_apm, &new_aqm, APV_ERROR);
	/* A definition is hurt only by APQNs really reserved: a warning. */
	for (size_t i = 0; !rc && profiles && i < profiles->count; i++) {
		const struct apv_matrix *m = apv_profile_matrix(profiles->items[i]);
		struct apv_matrix both = *m;

		if (apv_host_find_mdev(host, apv_profile_uuid(profiles->items[i])))
			continue;	/* the active mdev was checked above */

		apv_ids_and(&both.apm, &m->apm, apmask);
		apv_ids_and(&both.aqm, &m->aqm, aqmask);
		if (apv_ids_empty(&both.apm) || apv_ids_empty(&both.aqm))
			continue;
		rc = validate_reserve_one(rep, apv_profile_uuid(profiles->items[i]), &both,
					  &new_apm, &new_aqm, APV_WARNING);
	}
	return rc ? rc : (int)(rep->errors - before);
}
