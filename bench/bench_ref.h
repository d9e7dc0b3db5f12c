/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_ref.h - a deliberately naive reference for bench/engine.
 *
 * The same sysfs operations as the engine plus the AP bus model, written
 * the obvious way: one bool per ID and per APQN, loops over 256 x 256 and
 * over every mdev, the owner of a queue found by searching all matrices.
 * It exists only to put the engine's word-wise bitmap algebra in
 * perspective; it is not a specification (spec/kernel-abi.md is).  It
 * parses with the same kernel/core/ap_text.c, so the timings compare the
 * algorithms, not the parsers.
 *
 * Scope: what the benchmark exercises.  No guests (nothing is attached),
 * every queue exists, every ZAPQ ends with rc 0.
 */
#ifndef APVIRT_BENCH_REF_H
#define APVIRT_BENCH_REF_H

#include "ap_text.h"

#define REF_IDS 256

struct ref_mdev {
	struct ref_mdev *next;
	char name[APTXT_UUID_LEN + 1];
	unsigned int apm_max, aqm_max, adm_max;
	bool apm[REF_IDS], aqm[REF_IDS], adm[REF_IDS];		/* assigned */
	bool sapm[REF_IDS], saqm[REF_IDS], sadm[REF_IDS];	/* shadow */
};

struct ref_host {
	bool qci_apm[REF_IDS], qci_aqm[REF_IDS], qci_adm[REF_IDS];
	bool apmask[REF_IDS], aqmask[REF_IDS];
	bool vfio_bound[REF_IDS][REF_IDS];	/* else bound to the host driver */
	struct ref_mdev *link[REF_IDS][REF_IDS];
	u8 reset_rc[REF_IDS][REF_IDS];
	struct ref_mdev *mdevs;
	unsigned long resets, log_lines, uevents;
	char last_log[160];
};

/* A full host: every ID configured, every queue bound by the masks. */
void ref_host_init(struct ref_host *h, const struct apbm *apmask, const struct apbm *aqmask);
void ref_host_fini(struct ref_host *h);
struct ref_mdev *ref_mdev_create(struct ref_host *h, const char *uuid);

long ref_assign_adapter_store(struct ref_host *h, struct ref_mdev *m, const char *buf, size_t count);
long ref_unassign_adapter_store(struct ref_host *h, struct ref_mdev *m, const char *buf, size_t count);
long ref_ap_config_store(struct ref_host *h, struct ref_mdev *m, const char *buf, size_t count);
long ref_apmask_store(struct ref_host *h, const char *buf, size_t count);

#endif /* APVIRT_BENCH_REF_H */
