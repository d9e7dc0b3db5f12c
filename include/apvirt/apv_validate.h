/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_validate.h - conflicts found before anything is written.
 *
 * Every issue names the APQN (or ID), its owner and a way out, e.g.
 *	APQN 05.0004 is already assigned to mdev <uuid>; remove it there
 *	first: apvirt mdev set <uuid> --adapter -0x05
 */
#ifndef APVIRT_APV_VALIDATE_H
#define APVIRT_APV_VALIDATE_H

#include <stddef.h>

#include <apvirt/apv_host.h>
#include <apvirt/apv_ids.h>
#include <apvirt/apv_profile.h>

#ifdef __cplusplus
extern "C" {
#endif

enum apv_severity { APV_WARNING, APV_ERROR };

enum apv_issue_kind {
	APV_ISSUE_ID_RANGE,		/* ID above ap_max_* (kernel: ENODEV) */
	APV_ISSUE_HOST_RESERVED,	/* in apmask x aqmask (EADDRNOTAVAIL) */
	APV_ISSUE_ACTIVE_MDEV,		/* in another mdev's matrix (EADDRINUSE) */
	APV_ISSUE_DEFINED_MDEV,		/* in another mdevctl definition */
	APV_ISSUE_NO_USAGE_DOMAIN,	/* control domains without usage domains */
	APV_ISSUE_TRUNCATED,		/* a matrix could not be read in full */
	APV_ISSUE_OTHER_DOMAIN,		/* in another libvirt domain's metadata
					 * (apv_virt_check_others()) */
};

#define APV_ISSUE_MSG_MAX	512
#define APV_REPORT_MAX		1024	/* issues kept; more are only counted */

struct apv_issue {
	enum apv_severity severity;
	enum apv_issue_kind kind;
	int apid;			/* -1 when not about one adapter */
	int apqi;			/* -1 when not about one domain */
	char subject[APV_UUID_LEN + 1];	/* the mdev checked ("" for the host) */
	char owner[APV_UUID_LEN + 8];	/* "host" or the other mdev's UUID */
	char msg[APV_ISSUE_MSG_MAX];
};

struct apv_report {
	size_t count;			/* issues in @issues */
	size_t errors;			/* all errors, also those not kept */
	size_t warnings;
	size_t dropped;			/* issues beyond APV_REPORT_MAX */
	struct apv_issue *issues;
};

void apv_report_init(struct apv_report *rep);
void apv_report_free(struct apv_report *rep);

/*
 * Check that mdev @uuid may be configured with @want: IDs within the
 * maxima, no APQN reserved for the host, none in another active mdev or
 * another mdevctl definition (@profiles may be NULL), and a warning for
 * control domains without usage domains.  Returns -ENOMEM or the number
 * of errors added to @rep.
 */
int apv_validate_matrix(const struct apv_host *host, const struct apv_profiles *profiles,
			const char *uuid, const struct apv_matrix *want,
			struct apv_report *rep);

/* Every conflict between the host, the active mdevs and the definitions. */
int apv_validate_host(const struct apv_host *host, const struct apv_profiles *profiles,
		      struct apv_report *rep);

/*
 * Would reserving @apmask x @aqmask for the host take APQNs from an mdev?
 * As the 6.19 kernel's in_use check: a newly reserved adapter conflicts
 * with any domain of an mdev holding it, and the other way round.
 */
int apv_validate_reserve(const struct apv_host *host, const struct apv_profiles *profiles,
			 const struct apv_ids *apmask, const struct apv_ids *aqmask,
			 struct apv_report *rep);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_VALIDATE_H */
