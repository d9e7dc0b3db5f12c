/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host_priv.h - the inside of struct apv_host, for host.c and the
 * modules that walk it (validate.c, explain.c) or read one mdev (txn.c).
 */
#ifndef APVIRT_LIB_HOST_PRIV_H
#define APVIRT_LIB_HOST_PRIV_H

#include "internal.h"

struct apv_host {
	struct apv_bus bus;
	size_t ncards;
	struct apv_card cards[APV_ID_COUNT];
	size_t nqueues, queues_cap;
	struct apv_queue *queues;	/* sorted by APID, then APQI */
	size_t nmdevs, mdevs_cap;
	struct apv_mdev *mdevs;		/* sorted by UUID */
};

/*
 * Parse `matrix` / `guest_matrix` text: "AA.DDDD", "AA." or ".DDDD"
 * lines.  @truncated is set when the text was cut at a page (the last
 * line has no newline); the lines before it are still used.
 */
int apv_host_parse_matrix(const char *text, size_t len, struct apv_ids *apm,
			  struct apv_ids *aqm, bool *truncated);
/*
 * Just one mdev's matrix (and guest_matrix), without the rest of the
 * host: a transaction's read back.  -ENOENT when the mdev is gone.
 */
int apv_host_read_one_mdev(const struct apv_ctx *ctx, const char *uuid, struct apv_mdev *m,
			   struct apv_error *err);
/* `control_domains` text: one "DDDD" line per domain. */
int apv_host_parse_domains(const char *text, size_t len, struct apv_ids *adm);

#endif /* APVIRT_LIB_HOST_PRIV_H */
