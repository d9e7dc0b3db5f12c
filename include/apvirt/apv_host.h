/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_host.h - the host as sysfs shows it: AP bus, cards, queues and
 * every vfio_ap mdev, read in one pass (apv_host_read()).
 *
 * What the kernel can do is taken from what it shows: bus/ap/features
 * (6.4+), devices/vfio_ap/matrix/features (6.12+) and which attribute
 * files exist (an mdev without ap_config is handled with ordered writes).
 */
#ifndef APVIRT_APV_HOST_H
#define APVIRT_APV_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <apvirt/apv_ctx.h>
#include <apvirt/apv_error.h>
#include <apvirt/apv_ids.h>

#ifdef __cplusplus
extern "C" {
#endif

/* bus/ap/features tokens */
#define APV_BUS_FEAT_APSC	0x01
#define APV_BUS_FEAT_APXA	0x02
#define APV_BUS_FEAT_QACT	0x04
#define APV_BUS_FEAT_RC8A	0x08
#define APV_BUS_FEAT_APSB	0x10
/* devices/vfio_ap/matrix/features tokens */
#define APV_VFIO_FEAT_GUEST_MATRIX	0x01
#define APV_VFIO_FEAT_HOTPLUG		0x02
#define APV_VFIO_FEAT_AP_CONFIG		0x04

#define APV_NAME_MAX	32
#define APV_UUID_LEN	36

struct apv_bus {
	unsigned int max_apid;		/* ap_max_adapter_id */
	unsigned int max_apqi;		/* ap_max_domain_id */
	struct apv_ids apmask;		/* host-reserved adapters ... */
	struct apv_ids aqmask;		/* ... times host-reserved domains */
	bool has_qci;			/* the ap_*_mask files show QCI */
	struct apv_ids cfg_apm;		/* host configuration (QCI) */
	struct apv_ids cfg_aqm;
	struct apv_ids cfg_adm;
	bool has_features;		/* bus/ap/features exists */
	unsigned int features;		/* APV_BUS_FEAT_* */
	bool vfio_ap;			/* devices/vfio_ap/matrix exists */
	bool has_vfio_features;		/* .../matrix/features exists */
	unsigned int vfio_features;	/* APV_VFIO_FEAT_* */
};

enum apv_card_mode {
	APV_MODE_UNKNOWN,
	APV_MODE_CCA,
	APV_MODE_EP11,
	APV_MODE_ACCEL,
};

struct apv_card {
	unsigned int apid;
	int hwtype;			/* compatible type, 10 = CEX4 ... */
	int raw_hwtype;
	uint32_t functions;		/* ap_functions */
	enum apv_card_mode mode;
	int config;			/* 0/1, -1 unknown */
	int chkstop;			/* 0/1, -1 unknown */
	int online;			/* 0/1, -1 without zcrypt */
	char type[APV_NAME_MAX];	/* "CEX8C" (zcrypt) or built from hwtype */
	char driver[APV_NAME_MAX];	/* "" when unbound */
};

struct apv_queue {
	unsigned int apid;
	unsigned int apqi;
	int config;
	int chkstop;
	int online;			/* zcrypt-bound queues, else -1 */
	char driver[APV_NAME_MAX];	/* "cex4queue", "vfio_ap" or "" */
	char status[APV_NAME_MAX];	/* vfio_ap's status ("in use", ...) */
};

struct apv_mdev {
	char uuid[APV_UUID_LEN + 1];
	struct apv_matrix matrix;	/* configured (ap_config or matrix) */
	struct apv_ids guest_apm;	/* effective (guest_matrix) */
	struct apv_ids guest_aqm;
	bool has_ap_config;
	bool has_guest_matrix;
	bool matrix_truncated;		/* matrix cut at a page, no ap_config */
	bool guest_truncated;		/* guest_matrix cut at a page */
};

struct apv_host;

int apv_host_read(const struct apv_ctx *ctx, struct apv_host **out, struct apv_error *err);
void apv_host_free(struct apv_host *host);

const struct apv_bus *apv_host_bus(const struct apv_host *host);
size_t apv_host_ncards(const struct apv_host *host);
const struct apv_card *apv_host_card(const struct apv_host *host, size_t i);
size_t apv_host_nqueues(const struct apv_host *host);
const struct apv_queue *apv_host_queue(const struct apv_host *host, size_t i);
const struct apv_queue *apv_host_find_queue(const struct apv_host *host, unsigned int apid,
					     unsigned int apqi);
size_t apv_host_nmdevs(const struct apv_host *host);
const struct apv_mdev *apv_host_mdev(const struct apv_host *host, size_t i);
const struct apv_mdev *apv_host_find_mdev(const struct apv_host *host, const char *uuid);
/* The mdev whose matrix holds the APQN, or NULL. */
const struct apv_mdev *apv_host_owner(const struct apv_host *host, unsigned int apid,
				      unsigned int apqi);
/* Is the APQN reserved for the host drivers (apmask and aqmask)? */
bool apv_host_reserved(const struct apv_host *host, unsigned int apid, unsigned int apqi);
const char *apv_card_mode_name(enum apv_card_mode mode);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_HOST_H */
