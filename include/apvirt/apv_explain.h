/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_explain.h - configured versus effective: which IDs of an mdev the
 * guest really gets (guest_matrix) and why the others are filtered.
 */
#ifndef APVIRT_APV_EXPLAIN_H
#define APVIRT_APV_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include <apvirt/apv_host.h>
#include <apvirt/apv_ids.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Why configured IDs do not reach the guest: one entry per adapter,
 * domain or control domain that is configured but not effective.
 */
enum apv_filter_reason {
	APV_FILTER_NOT_IN_HOST_CONFIG,	/* not in the host's AP configuration */
	APV_FILTER_NO_QUEUE,		/* a queue device of the adapter is missing */
	APV_FILTER_NOT_BOUND,		/* a queue is bound to another driver */
	APV_FILTER_NOT_PASSABLE,	/* bound to vfio_ap, still filtered: reset */
};

enum apv_id_kind { APV_ADAPTER, APV_DOMAIN, APV_CONTROL_DOMAIN };

struct apv_filtered {
	enum apv_id_kind kind;
	unsigned int id;
	enum apv_filter_reason reason;
	unsigned int apqi;		/* the queue's domain for NO_QUEUE, NOT_BOUND */
	char driver[APV_NAME_MAX];	/* for NOT_BOUND */
};

#define APV_FILTERED_MAX	(3 * APV_ID_COUNT)

struct apv_effective {
	bool known;			/* false: no guest_matrix, or it was cut */
	struct apv_ids apm, aqm, adm;	/* what the guest gets */
	size_t nfiltered;
	struct apv_filtered filtered[APV_FILTERED_MAX];
};

/*
 * Compare @mdev's configured matrix with its guest_matrix and explain
 * every configured ID that is filtered (only when @out->known: without a
 * complete guest_matrix nothing can be said).  Control domains have no guest
 * view in sysfs: the effective ones are the configured ones in the host
 * configuration.
 */
void apv_explain_mdev(const struct apv_host *host, const struct apv_mdev *mdev,
		       struct apv_effective *out);
const char *apv_explain_reason_text(enum apv_filter_reason reason);
const char *apv_explain_kind_name(enum apv_id_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_EXPLAIN_H */
